/*
 * csv.h - delimited exports with a header row (CSV, TSV, ';'-separated Excel files):
 * the tokenizer (csv_read.c), the column mapping for known exports (csv_map.c) and the
 * import driver (csv.c) that the "csv" and "wos-tab" formats share.
 *
 * Tokenizer: RFC 4180 - fields separated by one delimiter byte, optionally quoted with
 * '"', a quote inside a quoted field doubled, line breaks (LF, CRLF, CR) allowed inside
 * quotes (they come out as '\n'). Real files break the RFC, so it is lenient where the
 * intent is clear: a quote in the middle of an unquoted field is a character; a quoted
 * field followed by more text before the delimiter ("abc"def) is read as written, quotes
 * included; a quoted field that never closes makes that row bad (reported with the line
 * where the quote opened) and the lines after it are read again as rows, so one stray
 * quote cannot swallow the rest of the file. Rows are capped in size like lines.
 *
 * Mapping: each export has its own column names (Scopus "Source title", Embase "Author
 * Names", Lens "Author/s" ...). A profile is recognised from the header (its signature
 * columns) and maps columns to record fields with a rule telling how to read the cell
 * (a list separated by ';', names in "Surname Initials" order, a page range ...).
 * Columns no rule claims go to extra under their header, so nothing is lost; `--map
 * field=Column` rules come first and override everything.
 */
#ifndef WINNOW_FORMATS_CSV_H
#define WINNOW_FORMATS_CSV_H

#include <stddef.h>
#include "winnow/buf.h"
#include "winnow/import.h"
#include "winnow/input.h"

/* ---- tokenizer ---- */

struct wn_csv {
	struct wn_lines lines;
	int lines_ok;
	char delim;
	int quoting;            /* 0: '"' is an ordinary character (WoS tab-delimited) */
	size_t max_row;         /* cap on the bytes of one row */
	struct wn_buf raw;      /* physical lines of the current row, '\n'-joined */
	struct wn_buf val;      /* cell values, back to back */
	size_t *off, *len;      /* cell i is val.data[off[i] .. off[i]+len[i]) */
	size_t ncells, capcells;
	unsigned long row_line; /* first physical line of the current row */
	/* lines to read again after a row that never closed its quote */
	struct wn_buf replay;
	size_t replay_pos;
	unsigned long replay_line; /* number of the next replayed line */
	unsigned long lineno;      /* number of the last physical line read */
};

/* Set up on an input already in text mode. -1 on allocation failure. */
int wn_csv_init(struct wn_csv *c, struct wn_input *in, char delim, int quoting,
		size_t max_row, struct wn_err *err);
void wn_csv_release(struct wn_csv *c);
/* Next row: 1 = a row (ncells >= 1; a blank line is one empty cell); 0 = end of input;
 * -1 = I/O or allocation error; 2 = a bad row (err says why and where; the caller
 * reports and counts it, then calls again). */
int wn_csv_next(struct wn_csv *c, struct wn_err *err);
/* Cell i of the current row (NUL-terminated copy not guaranteed: use *n). */
const char *wn_csv_cell(const struct wn_csv *c, size_t i, size_t *n);

/* Guess the delimiter from the first bytes of a file (text, BOM removed): the candidate
 * (tab, ',', ';', '|') that splits some early line into the most fields. 0 when no line
 * has one. */
char wn_csv_guess_delim(const char *text, size_t n);

/* ---- mapping ---- */

struct wn_csv_map;
struct wn_wos_rec;

/* Hooks a format can plug into the driver (wos-tab reads cells as WoS tags). */
struct wn_csv_hooks {
	const char *name;       /* profile name, e.g. "wos-tab" */
	void *data;
	int (*begin)(void *data, struct wn_err *err);
	/* one non-empty cell: returns 0, or -1 on error */
	int (*cell)(void *data, const char *column, const char *v, size_t n, struct wn_err *err);
	int (*finish)(void *data, struct wn_err *err);
};

/* Build the mapping for a header row. `user` is the --map text ("title=Headline,
 * authors=Writers") or NULL; an unknown field name or a column the header does not have
 * is an error (WN_EUSAGE, message names both). *profile_name gets the export recognised
 * ("scopus", "embase", ... or "generic"). */
struct wn_csv_map *wn_csv_map_new(const struct wn_csv *header, const char *user,
				  const char **profile_name, struct wn_err *err);
void wn_csv_map_free(struct wn_csv_map *m);
/* Default source of the recognised export (e.g. "Scopus"), or NULL. */
const char *wn_csv_map_source(const struct wn_csv_map *m);
/* 1 for winnow's own CSV export: every row is a record, even one with nothing but a
 * type (what was exported is read back). */
int wn_csv_map_lenient(const struct wn_csv_map *m);
/* Number of header columns a profile or --map rule claimed (0: nothing recognised). */
size_t wn_csv_map_known(const struct wn_csv_map *m);
/* Fill the record builder from the current row (wn_recb_begin already called).
 * Returns 0, -1 on error. */
int wn_csv_map_row(struct wn_csv_map *m, const struct wn_csv *row, struct wn_recb *b,
		   struct wn_err *err);
/* 1 if the header cell names a column some profile knows (header detection). */
int wn_csv_known_column(const char *s, size_t n);
/* Map-valid field names for --map, NULL-terminated (for messages and docs). */
extern const char *const wn_csv_map_fields[];

/* ---- driver ---- */

/* Import a delimited file. hooks == NULL: the column profiles (format "csv"); else the
 * cells go to the hooks (format "wos-tab"). quoting as for the tokenizer. */
int wn_csv_import(struct wn_import *imp, struct wn_input *in, const struct wn_csv_hooks *hooks,
		  int quoting, struct wn_err *err);

#endif

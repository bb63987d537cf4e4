/*
 * export.h - records out of the stream into the formats reference managers and
 * screening tools import: RIS, CSV and BibTeX.
 *
 * An exporter writes one record at a time to a stdio stream (the tool owns the stream:
 * stdout or a wn_output temp file). The writers are chosen so that what winnow-fetch
 * reads back is what was written:
 *   RIS     CRLF lines and a UTF-8 BOM (the RIS specification's line ends; EndNote,
 *           Zotero, Rayyan and Covidence all take it), TY first and ER last, one line
 *           per value; abstract paragraphs on continuation lines; extra values whose
 *           key is a RIS tag written back under that tag, so RIS -> RIS is lossless.
 *   CSV     RFC 4180 with CRLF and a BOM (Excel reads UTF-8 then), a fixed column order
 *           (the record fields, lists joined with "; ", extra as JSON) and cells that
 *           would run as spreadsheet formulas defused with a leading "'".
 *   BibTeX  one @type{key, ...} per record, keys ASCII and unique in the file (the
 *           key the record was imported with, else first author's surname + year +
 *           a, b, ...), LaTeX specials escaped, corporate authors braced.
 * `with_notes` adds what review tools need to keep decisions and merges: the
 * `duplicates` a dedup merged, screening fields and extra values the format has no
 * place for - as N1 notes (RIS), extra columns (CSV) or an annote field (BibTeX).
 *
 * Ownership: the exporter borrows the FILE and the records. Functions return 0, or -1
 * with err set (WN_EIO / WN_EPIPE from the stream, WN_ENOMEM).
 */
#ifndef WINNOW_EXPORT_H
#define WINNOW_EXPORT_H

#include <stdio.h>
#include <json-c/json.h>
#include "winnow/err.h"

enum wn_export_format { WN_EXPORT_RIS, WN_EXPORT_CSV, WN_EXPORT_BIBTEX };

struct wn_export_opts {
	enum wn_export_format format;
	int with_notes;
};

struct wn_exporter;

/* Look up a format by name ("ris", "csv", "bibtex"/"bib"). -1 when unknown. */
int wn_export_format_by_name(const char *name, enum wn_export_format *fmt);
/* New exporter writing to out. NULL with WN_ENOMEM. */
struct wn_exporter *wn_exporter_new(FILE *out, const struct wn_export_opts *opts,
				    struct wn_err *err);
/* Write one record (a JSON object of the record stream). Records missing fields are
 * fine; a record that is not an object is WN_EUSAGE. */
int wn_exporter_write(struct wn_exporter *x, json_object *rec, struct wn_err *err);
/* After the last record: writes what ends the file (the CSV header when there were no
 * records at all) and checks the stream for write errors. */
int wn_exporter_finish(struct wn_exporter *x, struct wn_err *err);
/* Number of records written. */
unsigned long wn_exporter_count(const struct wn_exporter *x);
void wn_exporter_free(struct wn_exporter *x);

#endif

/*
 * csv.c - the import driver for delimited exports and the "csv" format (CSV, TSV and
 * ';'-separated files with a header row; see csv.h).
 *
 * The driver: text mode (BOM, UTF-16), the delimiter guessed from the first lines, the
 * header found (Embase and its Excel re-save put a SEARCH QUERY preamble before it; the
 * query is kept in the file's ledger entry, it documents the search), then one record
 * per row. A blank row is not a record; a row that cannot be read (a quote that never
 * closes, an over-long row) or has neither a title nor an identifier is skipped, named
 * and counted.
 *
 * Detection: a first line (after any preamble) split by the guessed delimiter into
 * cells, some of which are column names an export profile knows; a table with no known
 * column scores low, so `--map` can still name its columns.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/text.h"
#include "csv.h"
#include "csv_util.h"
#include "formats.h"

#define HEADER_SCAN 30 /* rows to look through for the header (preamble) */

/* Count cells of one line (naive quote handling) and how many are known columns. */
static void scan_line(const char *s, size_t n, char delim, size_t *cells, size_t *known)
{
	size_t i = 0;

	*cells = *known = 0;
	while (i <= n) {
		size_t j = i;
		int inq = 0;
		const char *p;
		size_t len;

		while (j < n && (inq || s[j] != delim)) {
			if (s[j] == '"')
				inq = !inq;
			j++;
		}
		p = s + i;
		len = j - i;
		wn_text_trim(&p, &len);
		if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
			p++;
			len -= 2;
		}
		(*cells)++;
		if (len && wn_csv_known_column(p, len))
			(*known)++;
		i = j + 1;
	}
}

static int csv_detect(const unsigned char *head, size_t n)
{
	char text[16384];
	size_t len = wn_fu_head_text(head, n, text, sizeof(text)), pos = 0, ln, rows = 0;
	const char *line;
	char delim = wn_csv_guess_delim(text, len);
	size_t first_cells = 0, consistent = 0;

	if (!delim)
		return 0;
	/* markup or JSON is never a table, whatever its commas say */
	for (pos = 0; pos < len && wn_isspace((unsigned char)text[pos]); pos++)
		;
	if (pos < len && (text[pos] == '<' || text[pos] == '{' || text[pos] == '['))
		return 0;
	pos = 0;
	while (rows < 10 && wn_fu_next_line(text, len, &pos, &line, &ln)) {
		size_t cells, known;
		if (!ln)
			continue;
		rows++;
		scan_line(line, ln, delim, &cells, &known);
		if (known >= 3 || (known >= 2 && cells >= 3))
			return known >= 5 ? 80 : 70;
		if (known >= 1 && cells >= 2 && cells <= 4 * known)
			return 50;
		if (cells >= 2) {
			if (!first_cells)
				first_cells = cells;
			else if (cells == first_cells)
				consistent++;
		}
	}
	/* a table whose columns winnow does not know: --map can name them */
	return consistent >= (first_cells >= 3 ? 1 : 2) || (first_cells >= 3 && rows == 1) ? 10 : 0;
}

static size_t nonempty(const struct wn_csv *c, size_t *known)
{
	size_t i, k = 0;

	*known = 0;
	for (i = 0; i < c->ncells; i++) {
		size_t n;
		const char *s = wn_csv_cell(c, i, &n);
		wn_text_trim(&s, &n);
		if (n) {
			k++;
			if (wn_csv_known_column(s, n))
				(*known)++;
		}
	}
	return k;
}

static int same_ci(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++)
		if (wn_tolower((unsigned char)a[i]) != wn_tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Does the row hold every column the --map text names? */
static int has_user_columns(const struct wn_csv *c, const char *user)
{
	const char *p = user;

	while (*p) {
		const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));
		if (eq) {
			const char *col = eq + 1;
			size_t cn = (size_t)(end - col), i;
			int found = 0;
			wn_text_trim(&col, &cn);
			for (i = 0; i < c->ncells && !found; i++) {
				size_t n;
				const char *s = wn_csv_cell(c, i, &n);
				wn_text_trim(&s, &n);
				found = same_ci(s, n, col, cn);
			}
			if (!found)
				return 0;
		}
		p = comma ? comma + 1 : end;
	}
	return 1;
}

/* Non-empty cells beyond the header's columns (a trailing delimiter is harmless). */
static int extra_cells(const struct wn_csv *c, size_t from)
{
	size_t i;

	for (i = from; i < c->ncells; i++) {
		size_t n;
		const char *s = wn_csv_cell(c, i, &n);
		wn_text_trim(&s, &n);
		if (n)
			return 1;
	}
	return 0;
}

static int row_blank(const struct wn_csv *c)
{
	size_t i;

	for (i = 0; i < c->ncells; i++) {
		size_t n;
		const char *s = wn_csv_cell(c, i, &n);
		wn_text_trim(&s, &n);
		if (n)
			return 0;
	}
	return 1;
}

/* Keep "SEARCH QUERY" preamble rows (Embase) in the file's ledger entry. */
static void note_preamble(struct wn_import *imp, const struct wn_csv *c)
{
	size_t n0, n1;
	const char *k = wn_csv_cell(c, 0, &n0), *v = wn_csv_cell(c, 1, &n1);
	json_object *info = wn_import_file_info(imp);

	wn_text_trim(&k, &n0);
	wn_text_trim(&v, &n1);
	if (info && n1 && wn_text_ieq(k, n0, "SEARCH QUERY")) {
		json_object *s = json_object_new_string_len(v, (int)n1);
		if (s && json_object_object_add(info, "search_query", s))
			json_object_put(s);
	}
}

static int csv_row_cells(const struct wn_csv_hooks *h, const struct wn_csv *header,
			 const struct wn_csv *row, struct wn_err *err)
{
	size_t i;

	for (i = 0; i < row->ncells; i++) {
		size_t n, hn;
		const char *s = wn_csv_cell(row, i, &n), *col = wn_csv_cell(header, i, &hn);
		char name[64];

		wn_text_trim(&s, &n);
		if (!n)
			continue;
		wn_text_trim(&col, &hn);
		if (i >= header->ncells || !hn || hn >= sizeof(name))
			snprintf(name, sizeof(name), "column %zu", i + 1);
		else {
			memcpy(name, col, hn);
			name[hn] = '\0';
		}
		if (h->cell(h->data, name, s, n, err) < 0)
			return -1;
	}
	return 0;
}

int wn_csv_import(struct wn_import *imp, struct wn_input *in, const struct wn_csv_hooks *hooks,
		  int quoting, struct wn_err *err)
{
	const struct wn_import_opts *o = wn_import_options(imp);
	const char *user = hooks ? NULL : o->csv_map;
	struct wn_csv c, header;
	struct wn_csv_map *map = NULL;
	struct wn_recb *b = wn_import_recb(imp);
	const unsigned char *head;
	char text[16384], delim;
	const char *profile = hooks ? hooks->name : NULL;
	unsigned long header_line = 0, preamble = 0, wide = 0, wide_line = 0;
	struct wn_fu_weak weak = { 0, 0, 0 };
	ssize_t hn;
	int r, rc = 0, found = 0;

	if (wn_input_text_mode(in, 1, err) < 0)
		return -1;
	hn = wn_input_peek(in, &head, sizeof(text), err);
	if (hn < 0)
		return -1;
	delim = hooks ? '\t' : wn_csv_guess_delim(text, wn_fu_head_text(head, (size_t)hn, text, sizeof(text)));
	if (!delim)
		delim = ',';
	if (wn_csv_init(&c, in, delim, quoting, wn_import_max_line(imp), err) < 0) {
		wn_csv_release(&c);
		return -1;
	}
	memset(&header, 0, sizeof(header));
	wn_buf_init(&header.val, 0);
	/* find the header row */
	r = 1;
	while (!found && (r = wn_csv_next(&c, err)) != 0) {
		size_t ne, known;
		if (r < 0) {
			rc = -1;
			goto out;
		}
		if (r == 2) {
			wn_import_diag(imp, WN_DIAG_WARNING, 0, c.row_line, "%s", err->msg);
			wn_err_clear(err);
			continue;
		}
		ne = nonempty(&c, &known);
		if (ne >= 2 && (hooks ? known >= 2 : (user ? has_user_columns(&c, user) : known >= 1))) {
			found = 1;
			break;
		}
		if (ne) {
			preamble++;
			note_preamble(imp, &c);
		}
		if (c.row_line >= HEADER_SCAN)
			break;
	}
	if (!found && r == 0 && c.lineno == 0)
		goto out; /* no lines at all: no records (the session says so) */
	if (!found) {
		if (rc == 0)
			wn_err_set(err, WN_EFORMAT,
				   "'%s': no header row with column names winnow knows in the first %d "
				   "lines; name the columns with --map field=Column (fields: title, authors, "
				   "year, journal, doi, ...)", wn_import_filename(imp), HEADER_SCAN);
		rc = -1;
		goto out;
	}
	header_line = c.row_line;
	if (preamble)
		wn_import_diag(imp, WN_DIAG_NOTE, 0, 1, "%lu line%s before the header (line %lu) ignored",
			       header_line - 1, header_line == 2 ? "" : "s", header_line);
	/* keep the header: copy its cells into a second tokenizer's buffers */
	if (wn_buf_add(&header.val, c.val.data, c.val.len, err) < 0) {
		rc = -1;
		goto out;
	}
	header.ncells = c.ncells;
	header.off = wn_calloc(c.ncells, sizeof(size_t));
	header.len = wn_calloc(c.ncells, sizeof(size_t));
	if (!header.off || !header.len) {
		rc = wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(header.off, c.off, c.ncells * sizeof(size_t));
	memcpy(header.len, c.len, c.ncells * sizeof(size_t));
	if (!hooks) {
		map = wn_csv_map_new(&header, user, &profile, err);
		if (!map) {
			if (err->code == WN_EUSAGE)
				wn_err_prefix(err, "'%s'", wn_import_filename(imp));
			rc = -1;
			goto out;
		}
		wn_import_diag(imp, WN_DIAG_NOTE, 0, header_line,
			       "read as %s %s export (%zu of %zu columns mapped, the others kept in extra)",
			       profile, delim == '\t' ? "TSV" : delim == ';' ? "';'-separated" : "CSV",
			       wn_csv_map_known(map), header.ncells);
	}
	{
		json_object *info = wn_import_file_info(imp), *p;
		if (info && (p = json_object_new_string(profile ? profile : "generic")) &&
		    json_object_object_add(info, "profile", p))
			json_object_put(p);
	}
	while ((r = wn_csv_next(&c, err)) != 0) {
		int content;
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 2) {
			char why[WN_ERR_MSG_MAX];
			const char *reason = err->code == WN_ELIMIT ? "row too long" : "unterminated quote";
			memcpy(why, err->msg, sizeof(why));
			wn_err_clear(err);
			if (wn_import_skip(imp, c.row_line, reason, err, "%s", why) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if (row_blank(&c))
			continue;
		if (c.ncells == 1 && header.ncells >= 3) {
			/* a line without delimiters in a table: a section label (abstrackr's
			 * "citations that are not yet labeled"), not a record */
			size_t n;
			const char *s = wn_csv_cell(&c, 0, &n);
			wn_import_diag(imp, WN_DIAG_NOTE, 0, c.row_line,
				       "'%.*s' has no field separators: not a record, ignored",
				       (int)(n > 80 ? 80 : n), s);
			continue;
		}
		if (c.ncells > header.ncells && extra_cells(&c, header.ncells) && !wide++)
			wide_line = c.row_line;
		if (hooks) {
			if (hooks->begin(hooks->data, err) < 0 ||
			    csv_row_cells(hooks, &header, &c, err) < 0 ||
			    hooks->finish(hooks->data, err) < 0) {
				rc = -1;
				break;
			}
		} else {
			const char *src = wn_csv_map_source(map);
			if (wn_recb_begin(b, err) < 0 || wn_csv_map_row(map, &c, b, err) < 0 ||
			    (src && wn_recb_text(b, WN_F_SOURCE, src, strlen(src), WN_RECB_KEEP, err) < 0)) {
				if (err->code == WN_ELIMIT) {
					/* a value over a size limit spoils its row, not the file */
					char why[WN_ERR_MSG_MAX];
					memcpy(why, err->msg, sizeof(why));
					wn_err_clear(err);
					if (wn_import_skip(imp, c.row_line, "value too long", err, "%s", why) < 0) {
						rc = -1;
						break;
					}
					continue;
				}
				rc = -1;
				break;
			}
		}
		content = wn_fu_content(wn_recb_peek(b));
		if (!content && map && wn_csv_map_lenient(map))
			content = 1;
		if (!content) {
			if (wn_import_skip(imp, c.row_line, "no bibliographic fields", err,
					   "the row has no title, authors, identifier, journal, year or abstract") < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if (content == 1)
			wn_fu_weak_add(&weak, imp, c.row_line);
		if (wn_import_emit(imp, c.row_line, err) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0)
		wn_fu_weak_report(&weak, imp);
	if (rc == 0 && wide)
		wn_import_diag(imp, WN_DIAG_WARNING, 0, wide_line,
			       "%lu row%s more fields than the header (%zu): values after the extra "
			       "field may be in the wrong columns; check the export", wide,
			       wide == 1 ? " has" : "s have", header.ncells);
out:
	wn_csv_map_free(map);
	wn_free(header.off);
	wn_free(header.len);
	wn_buf_release(&header.val);
	wn_csv_release(&c);
	return rc;
}

static int csv_parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	return wn_csv_import(imp, in, NULL, 1, err);
}

const struct wn_format wn_format_csv = {
	"csv",
	"CSV/TSV with a header row (Scopus, Embase, CINAHL, Covidence, Rayyan, Lens, OpenAlex, Zotero, ...; --map)",
	NULL,
	csv_detect,
	csv_parse,
	NULL
};

/*
 * export_csv.c - records as CSV (see include/winnow/export.h).
 *
 * The columns are fixed, so two exports of different reviews line up and a script can
 * rely on them: the record fields in their canonical order, then notices and extra as
 * JSON (nothing is dropped), then with --with-notes the merge (duplicates), a readable
 * notes column and any field a later stage added ("fields", JSON). Lists are joined
 * with "; " - unless an item itself holds a ';', then the list is written as a JSON
 * array - so winnow-fetch reads the file back into the same records (the "winnow"
 * column profile in csv_map.c).
 *
 * RFC 4180: CRLF, fields quoted when they hold a comma, quote, line break or leading or
 * trailing space, quotes doubled. A UTF-8 BOM so that Excel reads UTF-8. A cell
 * starting with = + @ (or - not followed by a digit) would run as a formula when the
 * file is opened in a spreadsheet: it gets a leading "'" (OWASP's advice), which the
 * reader removes again.
 */
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/record.h"
#include "export_int.h"

static const char *const columns[] = {
	"id", "source", "source_id", "type", "title", "abstract", "authors", "year", "date",
	"journal", "journal_abbrev", "issn", "isbn", "volume", "issue", "pages", "doi", "pmid",
	"pmcid", "language", "pubtypes", "mesh", "keywords", "url", "publisher", "notices",
	"extra", NULL
};
static const char *const note_columns[] = { "duplicates", "notes", "fields", NULL };

static int cell(struct wn_buf *b, const char *s, size_t n, struct wn_err *err)
{
	size_t i;
	int quote = 0, defuse = 0;

	if (n && (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r' ||
		  (s[0] == '-' && !(n > 1 && (wn_isdigit((unsigned char)s[1]) || s[1] == '.')))))
		defuse = 1;
	for (i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		quote = 1;
	if (quote && wn_buf_addc(b, '"', err) < 0)
		return -1;
	if (defuse && wn_buf_addc(b, '\'', err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '"' && wn_buf_addc(b, '"', err) < 0)
			return -1;
		if (wn_buf_addc(b, s[i], err) < 0)
			return -1;
	}
	return quote ? wn_buf_addc(b, '"', err) : 0;
}

/* A list: "a; b; c", or a JSON array when an item holds ';' or starts with '['. */
static int list_text(struct wn_buf *t, json_object *v, struct wn_err *err)
{
	size_t i, n = json_object_array_length(v);
	int json = 0;

	for (i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(v, i);
		const char *s;
		if (!json_object_is_type(it, json_type_string)) {
			json = 1;
			break;
		}
		s = json_object_get_string(it);
		if (strchr(s, ';') || s[0] == '[' || !s[0])
			json = 1;
	}
	if (json || (n == 1 && json_object_get_string_len(json_object_array_get_idx(v, 0)) &&
		     json_object_get_string(json_object_array_get_idx(v, 0))[0] == '[')) {
		size_t len;
		const char *s = wn_export_json(v, &len);
		if (!s)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		return wn_buf_add(t, s, len, err);
	}
	for (i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(v, i);
		if ((i && wn_buf_adds(t, "; ", err) < 0) ||
		    wn_buf_add(t, json_object_get_string(it), (size_t)json_object_get_string_len(it), err) < 0)
			return -1;
	}
	return 0;
}

static int value(struct wn_exporter *x, json_object *rec, const char *col, struct wn_err *err)
{
	struct wn_buf *t = &x->tmp;
	json_object *v;
	size_t len;
	const char *s;

	if (!json_object_object_get_ex(rec, col, &v) || !v)
		return 0;
	wn_buf_reset(t);
	switch (json_object_get_type(v)) {
	case json_type_string:
		return cell(&x->buf, json_object_get_string(v), (size_t)json_object_get_string_len(v), err);
	case json_type_array:
		if (!strcmp(col, WN_F_NOTICES) || !strcmp(col, WN_F_DUPLICATES))
			break;
		if (list_text(t, v, err) < 0)
			return -1;
		return cell(&x->buf, t->data, t->len, err);
	case json_type_int:
		if (wn_buf_addf(t, err, "%lld", (long long)json_object_get_int64(v)) < 0)
			return -1;
		return cell(&x->buf, t->data, t->len, err);
	default:
		break;
	}
	s = wn_export_json(v, &len);
	if (!s)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	return cell(&x->buf, s, len, err);
}

static int header(struct wn_exporter *x, struct wn_err *err)
{
	size_t i;

	if (wn_buf_adds(&x->buf, "\xEF\xBB\xBF", err) < 0)
		return -1;
	for (i = 0; columns[i]; i++)
		if ((i && wn_buf_addc(&x->buf, ',', err) < 0) || wn_buf_adds(&x->buf, columns[i], err) < 0)
			return -1;
	if (x->opts.with_notes)
		for (i = 0; note_columns[i]; i++)
			if (wn_buf_addc(&x->buf, ',', err) < 0 || wn_buf_adds(&x->buf, note_columns[i], err) < 0)
				return -1;
	x->started = 1;
	return wn_buf_adds(&x->buf, "\r\n", err);
}

static int add_note(void *data, const char *text, size_t n, struct wn_err *err)
{
	struct wn_buf *t = data;

	if (t->len && wn_buf_addc(t, '\n', err) < 0)
		return -1;
	return wn_buf_add(t, text, n, err);
}

/* Extra values are all in the extra column: no note for them. */
static int all_extra(const char *key)
{
	(void)key;
	return 1;
}

int wn_export_csv(struct wn_exporter *x, json_object *rec, struct wn_err *err)
{
	size_t i, row;

	if (!x->started && header(x, err) < 0)
		return -1;
	row = x->buf.len; /* the first record's buffer starts with the header */
	for (i = 0; columns[i]; i++) {
		if ((i && wn_buf_addc(&x->buf, ',', err) < 0) || value(x, rec, columns[i], err) < 0)
			return -1;
	}
	if (strspn(x->buf.data + row, ",") == x->buf.len - row) {
		/* None of the columns has a value: an empty row would read back as no record
		 * at all (a blank row is not a record). The record's fields, whatever they
		 * are, go to the extra column instead, so it reads back as one record (which
		 * the importer then skips and counts if it has no title or identifier).
		 * Only this row's bytes count: for the first record the buffer also holds
		 * the header, which once hid an empty first row from this test. */
		size_t len;
		const char *s = wn_export_json(rec, &len);
		if (!s)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		if (cell(&x->buf, s, len, err) < 0)
			return -1;
	}
	if (x->opts.with_notes) {
		json_object *fields = json_object_new_object();
		struct wn_buf notes;
		int rc;

		if (!fields)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		{
			json_object_object_foreach(rec, k, v) {
				if (!wn_export_known_field(k) &&
				    json_object_object_add(fields, k, json_object_get(v))) {
					json_object_put(fields);
					return wn_err_set(err, WN_ENOMEM, "out of memory");
				}
			}
		}
		wn_buf_init(&notes, 0);
		rc = wn_buf_addc(&x->buf, ',', err) < 0 || value(x, rec, WN_F_DUPLICATES, err) < 0 ||
		     wn_buf_addc(&x->buf, ',', err) < 0 ||
		     wn_export_notes(x, rec, all_extra, add_note, &notes, err) < 0 ||
		     cell(&x->buf, notes.data, notes.len, err) < 0 || wn_buf_addc(&x->buf, ',', err) < 0;
		if (!rc && json_object_object_length(fields)) {
			size_t len;
			const char *s = wn_export_json(fields, &len);
			rc = !s ? wn_err_set(err, WN_ENOMEM, "out of memory") : cell(&x->buf, s, len, err) < 0;
		}
		wn_buf_release(&notes);
		json_object_put(fields);
		if (rc)
			return -1;
	}
	return wn_buf_adds(&x->buf, "\r\n", err);
}

int wn_export_csv_finish(struct wn_exporter *x, struct wn_err *err)
{
	/* no records: still a valid file with its header */
	return x->started ? 0 : header(x, err);
}

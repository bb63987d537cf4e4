/*
 * export_common.c - the exporter object and what its three writers share (see
 * include/winnow/export.h): format names, publication kinds, notes for --with-notes,
 * and checked writes.
 */
#include <errno.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/jsonl.h"
#include "winnow/output.h"
#include "winnow/record.h"
#include "winnow/text.h"
#include "export_int.h"

int wn_export_format_by_name(const char *name, enum wn_export_format *fmt)
{
	if (!strcmp(name, "ris"))
		*fmt = WN_EXPORT_RIS;
	else if (!strcmp(name, "csv"))
		*fmt = WN_EXPORT_CSV;
	else if (!strcmp(name, "bibtex") || !strcmp(name, "bib"))
		*fmt = WN_EXPORT_BIBTEX;
	else
		return -1;
	return 0;
}

struct wn_exporter *wn_exporter_new(FILE *out, const struct wn_export_opts *opts,
				    struct wn_err *err)
{
	struct wn_exporter *x = wn_calloc(1, sizeof(*x));

	if (!x || !(x->keys = json_object_new_object())) {
		wn_free(x);
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	x->out = out;
	x->opts = *opts;
	wn_buf_init(&x->buf, 0);
	wn_buf_init(&x->tmp, 0);
	wn_buf_init(&x->tmp2, 0);
	return x;
}

void wn_exporter_free(struct wn_exporter *x)
{
	if (!x)
		return;
	wn_buf_release(&x->buf);
	wn_buf_release(&x->tmp);
	wn_buf_release(&x->tmp2);
	json_object_put(x->keys);
	wn_free(x);
}

unsigned long wn_exporter_count(const struct wn_exporter *x)
{
	return x->count;
}

int wn_export_flush(struct wn_exporter *x, struct wn_err *err)
{
	if (x->buf.len && fwrite(x->buf.data, 1, x->buf.len, x->out) != x->buf.len) {
		if (errno == EPIPE)
			return wn_err_set(err, WN_EPIPE, "output closed");
		return wn_err_sys(err, errno, "cannot write the output");
	}
	wn_buf_reset(&x->buf);
	if (ferror(x->out))
		return wn_output_check(x->out, "the output", err) < 0 ? -1
			: wn_err_set(err, WN_EIO, "cannot write the output");
	return 0;
}

int wn_exporter_write(struct wn_exporter *x, json_object *rec, struct wn_err *err)
{
	int rc;

	if (!json_object_is_type(rec, json_type_object))
		return wn_err_set(err, WN_EUSAGE, "a record must be a JSON object");
	wn_buf_reset(&x->buf);
	switch (x->opts.format) {
	case WN_EXPORT_RIS:
		rc = wn_export_ris(x, rec, err);
		break;
	case WN_EXPORT_CSV:
		rc = wn_export_csv(x, rec, err);
		break;
	default:
		rc = wn_export_bibtex(x, rec, err);
		break;
	}
	if (rc < 0 || wn_export_flush(x, err) < 0)
		return -1;
	x->count++;
	return 0;
}

int wn_exporter_finish(struct wn_exporter *x, struct wn_err *err)
{
	wn_buf_reset(&x->buf);
	if (x->opts.format == WN_EXPORT_CSV && wn_export_csv_finish(x, err) < 0)
		return -1;
	if (wn_export_flush(x, err) < 0)
		return -1;
	return 0;
}

int wn_export_known_field(const char *key)
{
	size_t i;

	for (i = 0; wn_record_field_order[i]; i++)
		if (!strcmp(wn_record_field_order[i], key))
			return 1;
	return 0;
}

static int type_in(const char *t, const char *const *list)
{
	size_t i, n = strlen(t);

	for (i = 0; list[i]; i++)
		if (wn_text_ieq(t, n, list[i]))
			return 1;
	return 0;
}

enum wn_pubkind wn_export_kind(json_object *rec)
{
	static const char *const article[] = {
		"JOUR", "EJOUR", "JFULL", "MGZN", "NEWS", "INPR", "article", "Journal Article",
		"journal-article", "journalArticle", "J", "Article", "Review", "Editorial",
		"Letter", "Erratum", "Note", "Journal", "Short Survey", "Magazine Article",
		"Newspaper Article", "Electronic Article", "Article in Press", "magazineArticle",
		"newspaperArticle", NULL
	};
	static const char *const book[] = {
		"BOOK", "EBOOK", "EDBOOK", "book", "B", "Edited Book", "monograph", "Electronic Book",
		"mvbook", "collection", NULL
	};
	static const char *const chapter[] = {
		"CHAP", "ECHAP", "incollection", "inbook", "Book Section", "Book Chapter",
		"Chapter", "bookSection", "book-chapter", "Electronic Book Section", NULL
	};
	static const char *const conference[] = {
		"CONF", "CPAPER", "inproceedings", "conference", "proceedings",
		"Conference Paper", "Conference Proceedings", "conferencePaper",
		"proceedings-article", "C", "Conference Review", NULL
	};
	static const char *const thesis[] = {
		"THES", "phdthesis", "mastersthesis", "thesis", "Dissertation", NULL
	};
	static const char *const report[] = { "RPRT", "techreport", "report", NULL };
	static const char *const abstract[] = {
		"ABST", "Conference Abstract", "Meeting Abstract", NULL
	};
	static const char *const patent[] = { "PAT", "patent", "P", NULL };
	static const char *const web[] = { "ELEC", "online", "www", "Web Page", "webpage", NULL };
	static const char *const data[] = { "DATA", "dataset", "Dataset", NULL };
	const char *t = wn_record_get(rec, WN_F_TYPE);

	if (t) {
		if (type_in(t, article))
			return WN_KIND_ARTICLE;
		if (type_in(t, book))
			return WN_KIND_BOOK;
		if (type_in(t, chapter))
			return WN_KIND_CHAPTER;
		if (type_in(t, conference))
			return WN_KIND_CONFERENCE;
		if (type_in(t, thesis))
			return WN_KIND_THESIS;
		if (type_in(t, report))
			return WN_KIND_REPORT;
		if (type_in(t, abstract))
			return WN_KIND_ABSTRACT;
		if (type_in(t, patent))
			return WN_KIND_PATENT;
		if (type_in(t, web))
			return WN_KIND_WEB;
		if (type_in(t, data))
			return WN_KIND_DATA;
		return WN_KIND_UNKNOWN;
	}
	return wn_record_get(rec, WN_F_JOURNAL) ? WN_KIND_ARTICLE : WN_KIND_GENERIC;
}

const char *wn_export_json(json_object *v, size_t *len)
{
	const char *s = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE, len);

	if (!s || !*len) {
		/* every JSON value prints as something: nothing means out of memory */
		*len = 0;
		return NULL;
	}
	return s;
}

/* A value as note text: strings as they are, lists joined with "; ", objects as JSON. */
static int value_text(struct wn_buf *out, json_object *v, struct wn_err *err)
{
	size_t n;
	const char *s;

	if (json_object_is_type(v, json_type_string))
		return wn_buf_add(out, json_object_get_string(v), (size_t)json_object_get_string_len(v), err);
	if (json_object_is_type(v, json_type_array)) {
		size_t i, k = json_object_array_length(v);
		int all_strings = 1;
		for (i = 0; i < k; i++)
			if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_string))
				all_strings = 0;
		if (all_strings) {
			for (i = 0; i < k; i++) {
				json_object *it = json_object_array_get_idx(v, i);
				if ((i && wn_buf_adds(out, "; ", err) < 0) ||
				    wn_buf_add(out, json_object_get_string(it),
					       (size_t)json_object_get_string_len(it), err) < 0)
					return -1;
			}
			return 0;
		}
	}
	s = wn_export_json(v, &n);
	if (!s)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	return wn_buf_add(out, s, n, err);
}

int wn_export_notes(struct wn_exporter *x, json_object *rec, int (*skip_extra)(const char *key),
		    wn_note_fn fn, void *data, struct wn_err *err)
{
	struct wn_buf *t = &x->tmp2;
	json_object *dups, *extra;

	if (json_object_object_get_ex(rec, WN_F_DUPLICATES, &dups) &&
	    json_object_is_type(dups, json_type_array)) {
		size_t i, k = json_object_array_length(dups);
		for (i = 0; i < k; i++) {
			json_object *d = json_object_array_get_idx(dups, i), *v;
			wn_buf_reset(t);
			if (wn_buf_adds(t, "winnow duplicate merged: ", err) < 0)
				return -1;
			if (!json_object_is_type(d, json_type_object)) {
				if (value_text(t, d, err) < 0)
					return -1;
			} else {
				static const char *const keys[] = { "id", "source", "source_id", "rule", "score", NULL };
				size_t kk;
				int first = 1;
				for (kk = 0; keys[kk]; kk++) {
					if (!json_object_object_get_ex(d, keys[kk], &v))
						continue;
					if ((!first && wn_buf_adds(t, ", ", err) < 0) ||
					    (kk && wn_buf_addf(t, err, "%s ", keys[kk]) < 0) || value_text(t, v, err) < 0)
						return -1;
					first = 0;
				}
			}
			if (fn(data, t->data, t->len, err) < 0)
				return -1;
		}
	}
	/* fields later stages added (screening, decisions): "winnow <field>: value" */
	{
		json_object_object_foreach(rec, key, val) {
			if (wn_export_known_field(key))
				continue;
			wn_buf_reset(t);
			if (wn_buf_addf(t, err, "winnow %s: ", key) < 0 || value_text(t, val, err) < 0 ||
			    fn(data, t->data, t->len, err) < 0)
				return -1;
		}
	}
	if (json_object_object_get_ex(rec, WN_F_EXTRA, &extra) &&
	    json_object_is_type(extra, json_type_object)) {
		json_object_object_foreach(extra, key, val) {
			if (skip_extra && skip_extra(key))
				continue;
			wn_buf_reset(t);
			if (wn_buf_addf(t, err, "%s: ", key) < 0 || value_text(t, val, err) < 0 ||
			    fn(data, t->data, t->len, err) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * test_pubmed_harness.h - run one import over bytes in memory and keep what came out:
 * the records (as a json-c array), the diagnostics (one line each) and the session's
 * summary. Shared by the PubMed XML, MEDLINE and RIS unit tests.
 */
#ifndef TEST_PUBMED_HARNESS_H
#define TEST_PUBMED_HARNESS_H

#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "wn_test.h"
#include "winnow/buf.h"
#include "winnow/import.h"
#include "winnow/input.h"
#include "winnow/jsonl.h"

struct run {
	json_object *recs;      /* array of records */
	struct wn_buf diags;    /* "W|N|E record line: msg\n" ... */
	json_object *summary;   /* copy of wn_import_summary */
	int rc;                 /* parse's return */
	struct wn_err err;
};

static inline int run_emit(void *data, json_object *rec, struct wn_err *err)
{
	struct run *r = data;

	(void)err;
	json_object_array_add(r->recs, rec);
	return 0;
}

static inline void run_diag(void *data, enum wn_diag_level level, const char *file, unsigned long record,
		     unsigned long line, const char *msg)
{
	struct run *r = data;

	(void)file;
	wn_buf_addf(&r->diags, NULL, "%c %lu %lu: %s\n",
		    level == WN_DIAG_NOTE ? 'N' : level == WN_DIAG_WARNING ? 'W' : 'E', record, line, msg);
}

struct run_opts {
	const char *format;   /* NULL: detect */
	int strict;
	size_t max_line;
	const char *source;
};

/* Import p[0..n) (named `name`) and fill r. Free with run_free. */
static inline void run_import_opts(struct run *r, const void *p, size_t n, const char *name,
			    const struct run_opts *o)
{
	struct wn_import_opts io;
	struct wn_import *imp;
	struct wn_input *in;
	const struct wn_format *fmt = o->format ? wn_format_by_name(o->format) : NULL;

	memset(r, 0, sizeof(*r));
	r->recs = json_object_new_array();
	wn_buf_init(&r->diags, 0);
	memset(&io, 0, sizeof(io));
	io.emit = run_emit;
	io.emit_data = r;
	io.diag = run_diag;
	io.diag_data = r;
	io.strict = o->strict;
	io.max_line = o->max_line;
	io.source = o->source;
	imp = wn_import_new(&io, &r->err);
	in = wn_input_from_memory(p, n, name, &r->err);
	r->rc = wn_import_input(imp, in, fmt, &r->err);
	r->summary = json_object_get(wn_import_summary(imp));
	wn_input_close(in);
	wn_import_free(imp);
}

static inline void run_import(struct run *r, const void *p, size_t n, const char *format)
{
	struct run_opts o = { format, 0, 0, NULL };

	run_import_opts(r, p, n, "test", &o);
}

static inline void run_free(struct run *r)
{
	json_object_put(r->recs);
	json_object_put(r->summary);
	wn_buf_release(&r->diags);
}

static inline size_t run_count(const struct run *r)
{
	return json_object_array_length(r->recs);
}

static inline json_object *run_rec(const struct run *r, size_t i)
{
	return json_object_array_get_idx(r->recs, i);
}

/* String field of record i (NULL when absent). */
static inline const char *rec_str(const struct run *r, size_t i, const char *field)
{
	return wn_record_get(run_rec(r, i), field);
}

/* Compact JSON of a field of record i ("" when absent); valid until the next call. */
static inline const char *rec_json(const struct run *r, size_t i, const char *field)
{
	json_object *v;

	if (!json_object_object_get_ex(run_rec(r, i), field, &v))
		return "";
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* Value of extra.<tag> of record i as compact JSON ("" when absent). */
static inline const char *rec_extra(const struct run *r, size_t i, const char *tag)
{
	json_object *x, *v;

	if (!json_object_object_get_ex(run_rec(r, i), "extra", &x) || !json_object_object_get_ex(x, tag, &v))
		return "";
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

static inline long summary_int(const struct run *r, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(r->summary, key, &v) ? (long)json_object_get_int64(v) : -1;
}

/* skip_reasons.<reason> of the summary (0 when absent). */
static inline long skip_reason(const struct run *r, const char *reason)
{
	json_object *sr, *v;

	if (!json_object_object_get_ex(r->summary, "skip_reasons", &sr) || !json_object_object_get_ex(sr, reason, &v))
		return 0;
	return (long)json_object_get_int64(v);
}

/* The first file entry's key as compact JSON ("" when absent). */
static inline const char *file_info(const struct run *r, const char *key)
{
	json_object *files, *f, *v;

	if (!json_object_object_get_ex(r->summary, "files", &files) || !(f = json_object_array_get_idx(files, 0)) ||
	    !json_object_object_get_ex(f, key, &v))
		return "";
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

static inline int has_diag(const struct run *r, const char *text)
{
	return strstr(r->diags.data, text) != NULL;
}

/* gzip-compress p into a new malloc'ed buffer; *outn gets its size. */
static inline unsigned char *gzip_bytes(const void *p, size_t n, size_t *outn)
{
	z_stream z;
	size_t cap = n + n / 10 + 1024;
	unsigned char *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	*outn = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* Read a whole file (tests/data, ../shared) into a malloc'ed buffer; NULL if absent. */
static inline char *slurp_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t cap = 0, len = 0, k;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			p = realloc(p, cap);
		}
		k = fread(p + len, 1, cap - len, f);
		if (k == 0)
			break;
		len += k;
	}
	fclose(f);
	*n = len;
	return p;
}

#endif

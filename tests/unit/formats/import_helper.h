/*
 * import_helper.h - run an importer on bytes in memory and keep what it did, for the
 * format unit tests (test_wos.c, test_csv.c, test_bibtex.c, ...).
 *
 *   struct imp_result r;
 *   imp_run(&r, "bibtex", text, len, NULL);   // NULL format name: detect
 *   CHECK_INT(r.nrec, 2); CHECK_STR(field(r.rec[0], "title"), "...");
 *   imp_free(&r);
 */
#ifndef IMPORT_HELPER_H
#define IMPORT_HELPER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "winnow/import.h"
#include "winnow/input.h"
#include "winnow/record.h"
#include "winnow/xmlsafe.h"

#define IMP_MAX 64

struct imp_result {
	json_object *rec[IMP_MAX];
	int nrec;
	int rc;                  /* wn_import_input's return */
	unsigned long skipped;
	char diags[8192];        /* every diagnostic, one per line */
	char err[1024];
	json_object *summary;    /* wn_import_summary copy (own reference) */
};

static int imp_emit(void *data, json_object *rec, struct wn_err *err)
{
	struct imp_result *r = data;

	(void)err;
	if (r->nrec < IMP_MAX)
		r->rec[r->nrec++] = rec;
	else
		json_object_put(rec);
	return 0;
}

static void imp_diag(void *data, enum wn_diag_level level, const char *file,
		     unsigned long record, unsigned long line, const char *msg)
{
	struct imp_result *r = data;
	size_t k = strlen(r->diags);

	(void)file;
	snprintf(r->diags + k, sizeof(r->diags) - k, "%s r%lu l%lu: %s\n",
		 level == WN_DIAG_NOTE ? "note" : level == WN_DIAG_WARNING ? "warning" : "error",
		 record, line, msg);
}

/* Import text with the named format (NULL: detect). opts_map: --map text or NULL. */
static inline int imp_run_max(struct imp_result *r, const char *format, const char *text,
			      size_t len, const char *map, int strict, size_t max_line);

static inline int imp_run_opts(struct imp_result *r, const char *format, const char *text,
			       size_t len, const char *map, int strict)
{
	return imp_run_max(r, format, text, len, map, strict, 0);
}

/* The same with a line (record) length cap, for the huge-field tests. */
static inline int imp_run_max(struct imp_result *r, const char *format, const char *text,
			      size_t len, const char *map, int strict, size_t max_line)
{
	struct wn_import_opts o;
	struct wn_import *imp;
	struct wn_input *in;
	struct wn_err err;
	const struct wn_format *f = NULL;

	memset(r, 0, sizeof(*r));
	wn_xml_init();
	memset(&o, 0, sizeof(o));
	o.emit = imp_emit;
	o.emit_data = r;
	o.diag = imp_diag;
	o.diag_data = r;
	o.csv_map = map;
	o.strict = strict;
	o.max_line = max_line;
	if (format && !(f = wn_format_by_name(format))) {
		snprintf(r->err, sizeof(r->err), "no format %s", format);
		return r->rc = -1;
	}
	imp = wn_import_new(&o, &err);
	if (!imp)
		return r->rc = -1;
	in = wn_input_from_memory(text, len, "test", &err);
	if (!in) {
		wn_import_free(imp);
		return r->rc = -1;
	}
	wn_err_clear(&err);
	r->rc = wn_import_input(imp, in, f, &err);
	if (r->rc < 0)
		snprintf(r->err, sizeof(r->err), "%s", err.msg);
	r->skipped = wn_import_skipped(imp);
	r->summary = json_object_get(wn_import_summary(imp));
	wn_input_close(in);
	wn_import_free(imp);
	return r->rc;
}

static inline int imp_run(struct imp_result *r, const char *format, const char *text, size_t len)
{
	return imp_run_opts(r, format, text, len, NULL, 0);
}

static inline int imp_str(struct imp_result *r, const char *format, const char *text)
{
	return imp_run(r, format, text, strlen(text));
}

static inline void imp_free(struct imp_result *r)
{
	int i;

	for (i = 0; i < r->nrec; i++)
		json_object_put(r->rec[i]);
	json_object_put(r->summary);
	r->nrec = 0;
	r->summary = NULL;
}

/* A string field, an item of an array field, an extra value. */
static inline const char *fld(json_object *rec, const char *name)
{
	return wn_record_get(rec, name);
}

static inline const char *item(json_object *rec, const char *name, size_t i)
{
	return wn_record_item(rec, name, i);
}

static inline const char *xtra(json_object *rec, const char *key, size_t i)
{
	json_object *e, *v;

	if (!json_object_object_get_ex(rec, "extra", &e) || !json_object_object_get_ex(e, key, &v))
		return NULL;
	if (json_object_is_type(v, json_type_string))
		return i == 0 ? json_object_get_string(v) : NULL;
	if (json_object_is_type(v, json_type_array) && i < json_object_array_length(v))
		return json_object_get_string(json_object_array_get_idx(v, i));
	return NULL;
}

/* Path of a file under tests/data (WINNOW_TESTDATA, else relative to the test's
 * working directory, tests/unit/formats). */
static inline const char *data_path(const char *rel)
{
	static char buf[4096];
	const char *dir = getenv("WINNOW_TESTDATA");

	snprintf(buf, sizeof(buf), "%s/%s", dir && *dir ? dir : "../../data", rel);
	return buf;
}

/* Read a whole file (test data) into a static-sized heap buffer; caller frees. */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

#endif

/*
 * fuzz_import.c - see fuzz_import.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "fuzz_import.h"
#include "winnow/hash.h"
#include "winnow/import.h"
#include "winnow/jsonl.h"
#include "winnow/xmlsafe.h"

struct sink {
	struct wn_hasher h;
	unsigned long records;
};

static int on_record(void *data, json_object *rec, struct wn_err *err)
{
	struct sink *s = data;
	const char *js;
	size_t len;

	(void)err;
	wnf_check_record(rec, 1);
	js = wn_json_compact(rec, &len);
	if (js)
		wn_hasher_add(&s->h, js, len);
	s->records++;
	json_object_put(rec);
	return 0;
}

static void on_diag(void *data, enum wn_diag_level level, const char *file,
		    unsigned long record, unsigned long line, const char *msg)
{
	(void)data;
	(void)level;
	(void)record;
	(void)line;
	if (!file || !msg)
		wnf_fail("diagnostic without file or message");
	if (getenv("WNF_VERBOSE"))
		fprintf(stderr, "diag: %s: %s\n", file, msg);
}

static const char *fmt_name;
/* what the clean run of the current input produced */
static uint64_t clean_hash;
static unsigned long clean_records, clean_skipped;
static int clean_rc;

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	static const size_t caps[4] = { 0, 0, 0, 200 };
	const struct wn_format *fmt = NULL;
	struct wn_import_opts o;
	struct wn_import *imp;
	struct wn_input *in;
	struct wn_err err;
	struct sink s;
	int rc;

	if (fmt_name && !(fmt = wn_format_by_name(fmt_name)))
		wnf_fail("format '%s' is not registered", fmt_name);
	memset(&o, 0, sizeof(o));
	o.strict = (bits & 3) == 0;
	o.source = (bits >> 2 & 3) == 0 ? "Fuzz DB" : NULL;
	o.max_line = caps[bits >> 4 & 3];
	o.emit = on_record;
	o.emit_data = &s;
	o.diag = on_diag;
	wn_hasher_init(&s.h);
	s.records = 0;
	wn_err_clear(&err);
	imp = wn_import_new(&o, &err);
	if (!imp)
		return;
	in = wn_input_from_memory(data, size, "fuzz.in", &err);
	if (!in) {
		wn_import_free(imp);
		return;
	}
	if (!fmt) {
		const unsigned char *head;
		ssize_t n = wn_input_peek(in, &head, 65536, &err);
		if (n > 0)
			fmt = wn_format_detect(head, (size_t)n, NULL);
		if (!fmt)
			goto out;
	}
	rc = wn_import_input(imp, in, fmt, &err);
	if (getenv("WNF_VERBOSE"))
		fprintf(stderr, "%s pass: %s rc=%d records=%lu skipped=%lu%s%s\n",
			wnf_injecting() ? "failing" : "clean", fmt->name, rc, s.records,
			wn_import_skipped(imp), rc < 0 ? ": " : "", rc < 0 ? err.msg : "");
	if (s.records != wn_import_records(imp))
		wnf_fail("%lu records emitted, the session counted %lu", s.records, wn_import_records(imp));
	if (!wnf_injecting()) {
		/* a file that cannot be read at all (corrupt gzip, no CSV header) may stop the
		 * import with a format error; it must say which file */
		if (rc < 0 && err.code != WN_ENOMEM && err.code != WN_EFORMAT && err.code != WN_ELIMIT)
			wnf_fail("import failed with an unexpected error (%d): %s", (int)err.code, err.msg);
		if (rc < 0 && err.code != WN_ENOMEM && !strstr(err.msg, "fuzz.in"))
			wnf_fail("import error does not name the file: %s", err.msg);
		clean_rc = rc;
		clean_hash = wn_hasher_final(&s.h);
		clean_records = s.records;
		clean_skipped = wn_import_skipped(imp);
	} else if (rc == 0 && clean_rc == 0) {
		if (s.records != clean_records || wn_import_skipped(imp) != clean_skipped ||
		    wn_hasher_final(&s.h) != clean_hash)
			wnf_fail("an allocation failure changed the import without failing it "
				 "(%lu records, %lu skipped; clean run %lu, %lu)", s.records,
				 wn_import_skipped(imp), clean_records, clean_skipped);
	}
out:
	wn_input_close(in);
	wn_import_free(imp);
}

void wnf_import(const char *format, const uint8_t *data, size_t size)
{
	static int ready;

	if (!ready) {
		wn_xml_init();
		ready = 1;
	}
	fmt_name = format;
	clean_rc = -1;
	wnf_run(data, size, pass);
}

/*
 * fuzz_export.c - the exporters (lib/formats/export_*.c) and the promise in export.h
 * that "what winnow-fetch reads back is what was written".
 *
 * The input is a record stream (JSON Lines, read with the stream reader). Its records are
 * exported as RIS, CSV and BibTeX into memory, and each export is imported again with the
 * matching importer. Invariants:
 *   - every exported record comes back as exactly one record (imported or skipped):
 *     a title holding "\nER  - \nTY  - JOUR", a quote, a brace or a line break must never
 *     split one record into two or merge two into one;
 *   - a record whose title is already clean text comes back with the same title (RIS and
 *     CSV; BibTeX titles go through LaTeX escaping and may normalise);
 *   - the exporter never crashes or leaks, whatever the record holds (a field of the
 *     wrong type, a huge number, an empty array).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "winnow/export.h"
#include "winnow/import.h"
#include "winnow/jsonl.h"
#include "winnow/utf8.h"
#include "winnow/xmlsafe.h"

#define MAX_RECS 32

struct back {
	unsigned long n;
	json_object *recs[MAX_RECS * 2];
};

static int on_record(void *data, json_object *rec, struct wn_err *err)
{
	struct back *b = data;

	(void)err;
	if (b->n < MAX_RECS * 2)
		b->recs[b->n] = rec;
	else
		json_object_put(rec);
	b->n++;
	return 0;
}

/* A title that any importer keeps as it is: valid UTF-8, printable, single spaces,
 * trimmed, and no character a format escapes. */
static int clean_title(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || !wn_utf8_valid(s, n) || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || (c == ' ' && s[i + 1] == ' ') || c == '{' || c == '}' ||
		    c == '\\' || c == '"' || c == '$' || c == '%' || c == '&' || c == '#' || c == '_' ||
		    c == '^' || c == '~' || c == '\'' || c >= 0x80)
			return 0;
	}
	return 1;
}

static void roundtrip(json_object **recs, size_t nrecs, enum wn_export_format f,
		      const char *import_name, int with_notes)
{
	struct wn_export_opts eo = { f, with_notes };
	struct wn_exporter *x;
	struct wn_err err;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *mem = open_memstream(&buf, &len);
	struct wn_import_opts io;
	struct wn_import *imp;
	struct wn_input *in;
	struct back b;
	unsigned long written;
	int rc;

	if (!mem)
		return;
	wn_err_clear(&err);
	x = wn_exporter_new(mem, &eo, &err);
	if (!x) {
		fclose(mem);
		free(buf);
		return;
	}
	for (i = 0; i < nrecs; i++) {
		if (wn_exporter_write(x, recs[i], &err) < 0)
			break;
	}
	rc = i < nrecs ? -1 : wn_exporter_finish(x, &err);
	written = wn_exporter_count(x);
	wn_exporter_free(x);
	fclose(mem);
	if (rc < 0) {
		if (!wnf_injecting() && err.code != WN_ENOMEM)
			wnf_fail("%s export failed: %s", import_name, err.msg);
		free(buf);
		return;
	}
	if (written != nrecs)
		wnf_fail("%s: %zu records given, %lu written", import_name, nrecs, written);

	/* read it back */
	memset(&io, 0, sizeof(io));
	memset(&b, 0, sizeof(b));
	io.emit = on_record;
	io.emit_data = &b;
	imp = wn_import_new(&io, &err);
	in = imp ? wn_input_from_memory(buf, len, "export.out", &err) : NULL;
	if (imp && in) {
		const struct wn_format *fmt = wn_format_by_name(import_name);
		if (!fmt)
			wnf_fail("no importer named %s", import_name);
		rc = wn_import_input(imp, in, fmt, &err);
		if (getenv("WNF_VERBOSE"))
			fprintf(stderr, "%s: %lu written, read back rc=%d: %lu records, %lu skipped%s%s\n",
				import_name, written, rc, wn_import_records(imp), wn_import_skipped(imp),
				rc < 0 ? ": " : "", rc < 0 ? err.msg : "");
		if (rc == 0 && !wnf_injecting()) {
			unsigned long got = wn_import_records(imp) + wn_import_skipped(imp);
			if (got != written)
				wnf_fail("%s: %lu records exported, %lu read back (%lu skipped): a record was split or merged",
					 import_name, written, got, wn_import_skipped(imp));
			if (f != WN_EXPORT_BIBTEX && !wn_import_skipped(imp)) {
				for (i = 0; i < nrecs && i < b.n && i < MAX_RECS * 2; i++) {
					const char *t0 = wn_record_get(recs[i], WN_F_TITLE);
					const char *t1 = wn_record_get(b.recs[i], WN_F_TITLE);
					if (t0 && clean_title(t0) && (!t1 || strcmp(t0, t1) != 0))
						wnf_fail("%s: title '%.80s' read back as '%.80s'", import_name,
							 t0, t1 ? t1 : "(none)");
				}
			}
		}
	}
	for (i = 0; i < b.n && i < MAX_RECS * 2; i++)
		json_object_put(b.recs[i]);
	wn_input_close(in);
	wn_import_free(imp);
	free(buf);
}

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	json_object *recs[MAX_RECS];
	size_t n = 0, i;
	struct wn_err err;
	struct wn_input *in = wn_input_from_memory(data, size, "fuzz.jsonl", &err);
	struct wn_jsonl_reader *r = in ? wn_jsonl_from_input(in, 1 << 16, &err) : NULL;

	while (r && n < MAX_RECS) {
		json_object *o;
		int rc = wn_jsonl_next(r, &o, &err);
		if (rc == WN_JSONL_EOF || rc == WN_JSONL_ERROR)
			break;
		if (rc == WN_JSONL_OK)
			recs[n++] = o;
	}
	wn_jsonl_close(r);
	wn_input_close(in);
	if (n) {
		int notes = (int)(bits & 1);
		roundtrip(recs, n, WN_EXPORT_RIS, "ris", notes);
		roundtrip(recs, n, WN_EXPORT_CSV, "csv", notes);
		roundtrip(recs, n, WN_EXPORT_BIBTEX, "bibtex", notes);
	}
	for (i = 0; i < n; i++)
		json_object_put(recs[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;

	if (!ready) {
		wn_xml_init();
		ready = 1;
	}
	wnf_run(data, size, pass);
	return 0;
}

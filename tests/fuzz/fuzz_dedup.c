/*
 * fuzz_dedup.c - winnow-dedup's engine on a record stream (lib/dedup), end to end.
 *
 * The input is a JSON Lines stream. Each run checks what must hold whatever the lines:
 *   - the skim (skim.c): a line handed to json-c with its abstract cut to one letter
 *     parses exactly when the line itself does, and the text cut is where the skim
 *     says it was (the output pass writes a kept record's abstract from there);
 *   - the flattened line (flat.c): its plain values and the array of the others are
 *     accepted by the stream reader exactly when the line is, and hold the same value
 *     for each field the engine reads;
 *   - every record read is written once or counted as removed, and every output line
 *     is a record the stream reader accepts;
 *   - one thread and two write the same bytes (the second writes through the writer
 *     thread once the input has more than one batch).
 * The title normaliser rewrites a title in place (normalize.c); it is run on each line
 * as a title, and its output must be words of lower-case letters and digits (or other
 * scripts' letters) separated by single spaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"
#include "winnow/dedup.h"
#include "winnow/jsonl.h"
#include "winnow/normalize.h"
#include "dd.h"

static int parses(const char *s, size_t n)
{
	json_tokener *tok = json_tokener_new();
	json_object *o;
	int ok;

	if (!tok)
		return -1;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, s, (int)n);
	ok = o && json_tokener_get_error(tok) == json_tokener_success &&
	     json_tokener_get_parse_end(tok) == n;
	json_object_put(o);
	json_tokener_free(tok);
	return ok;
}

/* The reader's verdict on text (as a line: an object; else any value): 1 accepted, 0
 * bad, -1 out of memory. The value in *val. */
static int reader_verdict(const char *text, size_t n, int as_line, json_object **val)
{
	json_tokener *tok = json_tokener_new();
	struct wn_err err;
	int rc;

	*val = NULL;
	if (!tok)
		return -1;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	rc = as_line ? wn_jsonl_parse_line(tok, text, n, "f", 1, val, &err)
		     : wn_jsonl_parse_value(tok, text, n, "f", 1, val, &err);
	json_tokener_free(tok);
	return rc == WN_JSONL_OK ? 1 : rc == WN_JSONL_BAD ? 0 : -1;
}

/* --keep-apart: the value dd_apart_flat finds on the flattened line is the one the
 * record object gives (dd_features). */
static void check_apart(const char *line, const struct dd_flat *f, json_object *obj,
			json_object *arr, const char *top, const char *sub)
{
	static const char *const none[] = { NULL };
	struct dd_prefs p = { none, 0, "", NULL };
	struct dd_scratch s;
	struct dd_arena a;
	struct dd_rec r;
	struct dd_key *keys = NULL;
	size_t nkeys = 0, keycap = 0;
	struct wn_err err;
	json_tokener *tok = json_tokener_new();
	uint64_t flat_apart = 0;

	if (!tok)
		return;
	snprintf(p.apart_top, sizeof(p.apart_top), "%s", top);
	p.apart_sub = sub;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	dd_scratch_init(&s);
	dd_arena_init(&a);
	if (dd_features(obj, &r, 0, &p, &s, &a, &keys, &nkeys, &keycap, &err) == 0 &&
	    dd_apart_flat(line, f, arr, &p, tok, &s.apart, &flat_apart, &err) == 0 &&
	    !wnf_injecting() && flat_apart != r.apart)
		wnf_fail("flat: --keep-apart %s%s%s finds another value", top, sub ? "." : "", sub ? sub : "");
	free(keys);
	dd_arena_release(&a);
	dd_scratch_release(&s);
	json_tokener_free(tok);
}

static void check_flat(const char *line, size_t n)
{
	struct dd_flat f;
	struct wn_err err;
	json_object *obj = NULL, *arr = NULL;
	int a, b;

	dd_flat_init(&f);
	if (dd_flatten_line(line, n, &f, &err) != 1 || wnf_injecting()) {
		dd_flat_release(&f);
		return;
	}
	a = reader_verdict(line, n, 1, &obj);
	b = f.njson ? reader_verdict(f.text.data, f.text.len, 0, &arr) : 1;
	if (a >= 0 && b >= 0 && a != b)
		wnf_fail("flat: the line is %s, its flattened reading %s", a ? "accepted" : "refused",
			 b ? "accepted" : "refused");
	if (a == 1 && b == 1) {
		size_t i, known = 0, met = 0;
		if (f.njson && (!json_object_is_type(arr, json_type_array) ||
				json_object_array_length(arr) != f.njson))
			wnf_fail("flat: the array does not hold one item per value left to json-c");
		for (i = 0; i < f.n; i++)
			known += f.field[i] != DD_FLAT_OTHER;
		json_object_object_foreach(obj, key, val) {
			int k = dd_field_index(key, strlen(key));
			const struct dd_value *v;
			if (k < 0)
				continue;
			met++;
			for (i = 0; i < f.n && f.field[i] != k; i++)
				;
			if (i == f.n) {
				wnf_fail("flat: field \"%s\" is not read", key);
				continue;
			}
			v = &f.val[i];
			if (v->type == DD_V_JSON ? k != DD_FIELD_ABSTRACT &&
						   !json_object_equal(val, json_object_array_get_idx(arr, v->n))
						 : !dd_value_is_json(v, k, val))
				wnf_fail("flat: field \"%s\" is read as another value", key);
		}
		if (met != known)
			wnf_fail("flat: %zu known fields in the object, %zu read flat", met, known);
		check_apart(line, &f, obj, arr, "extra", "search_set");
		check_apart(line, &f, obj, arr, "batch", NULL);
	}
	json_object_put(obj);
	json_object_put(arr);
	dd_flat_release(&f);
}

static void check_line(const char *line, size_t n)
{
	struct wn_buf skim, title;
	struct wn_err err;
	struct wn_title_info info;
	const char *out;
	size_t outn, i, aoff = 0, alen = 0;
	int rc;

	wn_buf_init(&skim, 0);
	rc = dd_skim_line(line, n, &skim, &out, &outn, &aoff, &alen, &err);
	if (rc == 1 && (aoff == 0 || aoff + alen >= n || line[aoff - 1] != '"' || line[aoff + alen] != '"' ||
			outn != n - alen + 1 || memcmp(out, line, aoff) != 0 || out[aoff] != 'x' ||
			memcmp(out + aoff + 1, line + aoff + alen, n - aoff - alen) != 0))
		wnf_fail("skim: the copy is not the line with the reported abstract cut to \"x\"");
	if (rc == 1 && !wnf_injecting()) {
		int a = parses(line, n), b = parses(out, outn);
		if (a >= 0 && b >= 0 && a != b)
			wnf_fail("skim: the line %s, its skimmed copy %s", a ? "parses" : "does not parse",
				 b ? "parses" : "does not");
	}
	wn_buf_release(&skim);
	check_flat(line, n);
	wn_buf_init(&title, 0);
	if (wn_norm_title(&title, line, n, &info, &err) == 0 && !wnf_injecting()) {
		for (i = 0; i < title.len; i++) {
			unsigned char c = (unsigned char)title.data[i];
			if (c == ' ' ? (i == 0 || i + 1 == title.len || title.data[i - 1] == ' ')
				     : (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))))
				wnf_fail("title: byte %zu of \"%s\" breaks the word rule", i, title.data);
		}
		if (title.data[title.len] != '\0')
			wnf_fail("title: not terminated");
	}
	wn_buf_release(&title);
}

/* Dedup the stream at path with the given threads; the unique lines in *out. */
static int run(const char *path, unsigned threads, char **out, size_t *outn,
	       unsigned long *in, unsigned long *removed)
{
	struct wn_dedup_opts o;
	struct wn_dedup *d;
	struct wn_err err;
	FILE *f;
	int rc = -1;

	memset(&o, 0, sizeof(o));
	o.threads = threads;
	*out = NULL;
	*outn = 0;
	d = wn_dedup_new(&o, &err);
	if (!d)
		return -1;
	f = open_memstream(out, outn);
	if (f && wn_dedup_read(d, path, &err) == 0 && wn_dedup_run(d, &err) == 0 &&
	    wn_dedup_write(d, f, &err) == 0) {
		const struct wn_dedup_stats *st = wn_dedup_stats(d);
		*in = st->records_in;
		*removed = st->removed;
		rc = 0;
	}
	if (f && fclose(f) != 0)
		rc = -1;
	wn_dedup_free(d);
	return rc;
}

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	char path[64], *o1 = NULL, *o2 = NULL;
	size_t n1 = 0, n2 = 0, i = 0;
	unsigned long in1 = 0, rm1 = 0, in2 = 0, rm2 = 0, lines = 0;
	int fd, r1, r2;

	(void)bits;
	while (i < size) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t e = nl ? (size_t)(nl - data) : size;
		check_line((const char *)data + i, e - i);
		i = e + 1;
	}
	fd = wnf_memfile(data, size, path, sizeof(path));
	if (fd < 0)
		return;
	r1 = run(path, 1, &o1, &n1, &in1, &rm1);
	r2 = run(path, 2, &o2, &n2, &in2, &rm2);
	close(fd);
	if (!wnf_injecting() && r1 == 0 && r2 == 0) {
		json_tokener *tok = json_tokener_new();
		if (!tok)
			wnf_fail("out of memory without injection");
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
		if (n1 != n2 || (n1 && memcmp(o1, o2, n1) != 0))
			wnf_fail("one thread and two wrote different output");
		for (i = 0; i < n1; i++)
			lines += o1[i] == '\n';
		if (lines != in1 - rm1 || in1 != in2 || rm1 != rm2)
			wnf_fail("%lu records in, %lu removed, but %lu lines out", in1, rm1, lines);
		for (i = 0; i < n1;) {
			char *nl = memchr(o1 + i, '\n', n1 - i);
			size_t e = nl ? (size_t)(nl - o1) : n1;
			json_object *rec = NULL;
			struct wn_err err;
			if (wn_jsonl_parse_line(tok, o1 + i, e - i, "out", 1, &rec, &err) != WN_JSONL_OK)
				wnf_fail("an output line the stream reader rejects: %s", err.msg);
			json_object_put(rec);
			i = e + 1;
		}
		json_tokener_free(tok);
	}
	free(o1);
	free(o2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_run(data, size, pass);
	return 0;
}

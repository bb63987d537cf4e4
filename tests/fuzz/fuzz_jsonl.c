/*
 * fuzz_jsonl.c - the record stream reader (lib/core/jsonl.c) and writer.
 *
 * Every stage after winnow-fetch reads its input with wn_jsonl_next, so this is the
 * parser every pipeline depends on. Invariants: a line is either an object (which the
 * writer must write back as one valid line that parses to the same value), or a bad line
 * with a message naming the line; the reader always reaches the end.
 */
#include <stdio.h>
#include <string.h>
#include "fuzz.h"
#include "winnow/jsonl.h"

static FILE *devnull;

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	static const size_t caps[4] = { 0, 64, 4096, 1 << 20 };
	struct wn_err err;
	struct wn_input *in;
	struct wn_jsonl_reader *r;
	unsigned long last = 0;

	wn_err_clear(&err);
	in = wn_input_from_memory(data, size, "fuzz.jsonl", &err);
	if (!in)
		return;
	r = wn_jsonl_from_input(in, caps[bits & 3], &err);
	if (!r) {
		wn_input_close(in);
		return;
	}
	for (;;) {
		json_object *obj = NULL;
		int rc = wn_jsonl_next(r, &obj, &err);

		if (rc == WN_JSONL_EOF || rc == WN_JSONL_ERROR)
			break;
		if (wn_jsonl_lineno(r) < last)
			wnf_fail("line numbers went back from %lu to %lu", last, wn_jsonl_lineno(r));
		last = wn_jsonl_lineno(r);
		if (rc == WN_JSONL_BAD) {
			if (obj)
				wnf_fail("a bad line returned an object");
			if (!strstr(err.msg, "fuzz.jsonl"))
				wnf_fail("bad-line message does not name the file: %s", err.msg);
			continue;
		}
		if (rc != WN_JSONL_OK || !obj)
			wnf_fail("wn_jsonl_next returned %d", rc);
		wnf_check_record(obj, 0);
		wnf_check_roundtrip(obj);
		if (devnull && wn_jsonl_write(devnull, obj, &err) < 0 && !wnf_injecting())
			wnf_fail("cannot write a record read from the stream: %s", err.msg);
		json_object_put(obj);
	}
	wn_jsonl_close(r);
	wn_input_close(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	wnf_run(data, size, pass);
	return 0;
}

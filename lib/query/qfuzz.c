/*
 * qfuzz.c - one fuzzing step over the query library (see wn_query_fuzz_one).
 *
 * The invariants checked are the ones the rest of winnow relies on: parsing never
 * crashes or leaks whatever the bytes; a query that parses, printed in its own dialect
 * without notes, parses back to the same IR; printed in any dialect, it parses there.
 */
#include <stdio.h>
#include <stdlib.h>
#include "winnow/query.h"

static void die(const char *what, enum wn_qdialect from, enum wn_qdialect to, const char *text,
		const uint8_t *in, size_t n)
{
	fprintf(stderr, "wn_query_fuzz_one: %s (%s -> %s)\n%s\ninput: %.*s\n", what,
		wn_qdialect_name(from), wn_qdialect_name(to), text, (int)n, (const char *)in);
	abort();
}

int wn_query_fuzz_one(const uint8_t *data, size_t n)
{
	enum wn_qdialect d;
	struct wn_query *q;
	struct wn_err err;
	int t;

	if (n < 1)
		return 0;
	d = (enum wn_qdialect)(data[0] % WN_QD_COUNT);
	q = wn_query_parse((const char *)data + 1, n - 1, d, &err);
	if (!q)
		return 0; /* out of memory */
	if (wn_query_lint(q, &err) < 0 || !q->root) {
		wn_query_free(q);
		return 0;
	}
	for (t = 0; t < WN_QD_COUNT; t++) {
		struct wn_buf out;
		struct wn_qdiags notes;
		struct wn_query *r;

		wn_buf_init(&out, 0);
		wn_qdiags_init(&notes);
		if (wn_query_print(&out, q->root, (enum wn_qdialect)t, &notes, &err) == 0) {
			r = wn_query_parse(out.data, out.len, (enum wn_qdialect)t, &err);
			if (r) {
				if (!r->root)
					die("printed query does not parse", d, (enum wn_qdialect)t, out.data, data + 1, n - 1);
				if (t == (int)d && notes.n == 0 && !wn_qnode_equal(q->root, r->root))
					die("round trip changed the query", d, d, out.data, data + 1, n - 1);
				wn_query_free(r);
			}
		}
		wn_qdiags_release(&notes);
		wn_buf_release(&out);
	}
	wn_query_free(q);
	return 0;
}

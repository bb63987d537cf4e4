/*
 * fuzz_query.c - see fuzz_query.h.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "fuzz_query.h"
#include "winnow/qmatch.h"

static enum wn_qdialect wnf_query_dialect;

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	uint8_t *buf = malloc(size + 1);
	struct wn_query *q;
	struct wn_err err;
	size_t i;

	(void)bits;
	if (!buf)
		return;
	buf[0] = (uint8_t)wnf_query_dialect;
	memcpy(buf + 1, data, size);
	wn_query_fuzz_one(buf, size + 1);
	free(buf);

	/* the matcher */
	wn_err_clear(&err);
	q = wn_query_parse((const char *)data, size, wnf_query_dialect, &err);
	if (!q)
		return;
	if (q->root) {
		struct wn_qmatch_opts o = { 0, NULL, wnf_query_dialect };
		struct wn_qdiags notes;
		struct wn_qmatch *m;

		wn_qdiags_init(&notes);
		m = wn_qmatch_compile(q->root, &o, &notes, &err);
		if (m) {
			struct wn_qmatch_state *st = wn_qmatch_state_new(m, &err);
			for (i = 0; st && wnf_sample_record(i); i++) {
				int r = wn_qmatch_record(st, wnf_sample_record(i), &err);
				if (r < -1 || r > 1)
					wnf_fail("wn_qmatch_record returned %d", r);
			}
			wn_qmatch_state_free(st);
			wn_qmatch_free(m);
		}
		wn_qdiags_release(&notes);
	} else if (wn_qdiags_count(&q->diags, WN_QSEV_ERROR) == 0 && !wnf_injecting()) {
		wnf_fail("a query that did not parse has no error finding");
	}
	wn_query_free(q);
}

void wnf_query(enum wn_qdialect d, const uint8_t *data, size_t size)
{
	wnf_query_dialect = d;
	wnf_run(data, size, pass);
}

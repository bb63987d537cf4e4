/*
 * fuzz_criteria.c - the criteria file of winnow-screen filter (lib/query/criteria.c):
 * INI-like rules whose require/forbid conditions are search strings.
 *
 * Invariants: a file that is refused says which file (and line) and why; a file that
 * parses can be checked against real records, and wn_criteria_check answers a rule
 * index in range, -1 (kept) or, only when an allocation failed, -2.
 */
#include <string.h>
#include "fuzz.h"
#include "winnow/criteria.h"
#include "winnow/qmatch.h"

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	struct wn_qmatch_opts qo = { 0, NULL, WN_QD_GENERIC };
	struct wn_qdiags notes;
	struct wn_criteria *c;
	struct wn_err err;
	size_t i;

	(void)bits;
	wn_qdiags_init(&notes);
	wn_err_clear(&err);
	c = wn_criteria_parse((const char *)data, size, "fuzz.criteria", &qo, &notes, &err);
	if (!c) {
		if (!wnf_injecting() && err.code != WN_ENOMEM && !strstr(err.msg, "fuzz.criteria"))
			wnf_fail("refused criteria file, message does not name it: %s", err.msg);
		wn_qdiags_release(&notes);
		return;
	}
	{
		struct wn_criteria_state *st = wn_criteria_state_new(c, &err);
		size_t n = wn_criteria_count(c);
		unsigned char failed[4096];

		for (i = 0; i < n; i++) {
			if (!wn_criteria_name(c, i) || !wn_criteria_reason(c, i))
				wnf_fail("rule %zu without a name or reason", i);
		}
		for (i = 0; st && wnf_sample_record(i); i++) {
			int r;
			memset(failed, 0, sizeof(failed));
			r = wn_criteria_check(st, wnf_sample_record(i), n <= sizeof(failed) ? failed : NULL, &err);
			if (r < -2 || r >= (int)n || (r == -2 && !wnf_injecting()))
				wnf_fail("wn_criteria_check returned %d (%zu rules): %s", r, n, err.msg);
			if (r >= 0 && n <= sizeof(failed) && !failed[r])
				wnf_fail("rule %d failed but is not marked", r);
		}
		wn_criteria_state_free(st);
	}
	wn_criteria_free(c);
	wn_qdiags_release(&notes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_run(data, size, pass);
	return 0;
}

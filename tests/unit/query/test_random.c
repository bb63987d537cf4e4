/* Randomized tests of the query library:
 *  1. random IRs printed in every dialect parse back, reach a fixed point after one
 *     cycle, and - when the printer reported nothing it could not express - match
 *     exactly the same real records as the original IR (translation keeps meaning);
 *  2. mutated real search strings (bytes inserted, deleted, swapped) go through
 *     wn_query_fuzz_one, which aborts on a crash-free invariant violation.
 * Deterministic: a fixed-seed generator, so a failure reproduces. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/alloc.h"
#include "winnow/jsonl.h"
#include "winnow/qmatch.h"
#include "winnow/query.h"

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (unsigned)(rng % n) : 0;
}

static const char *const words[] = {
	"health", "care", "integrated", "patients", "study", "model", "network", "data",
	"social", "children", "treatment", "analysis", "learning", "system", "research",
	"integrat*", "pati*nt*", "wom?n", "colo$1r", "behavio*", "communit*", "web", "science",
	"dinosaur*", "mutual", "information", "dependence", "anxiety", "trust", "covid"
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static const unsigned fieldsets[] = {
	0, 0, 0, WN_QF_TI, WN_QF_AB, WN_QF_TI | WN_QF_AB | WN_QF_KW, WN_QF_KW, WN_QF_TI | WN_QF_AB,
	WN_QF_ALL
};

static struct wn_qnode *rand_term(int for_near)
{
	struct wn_err err;
	char text[128];
	unsigned f = fieldsets[rnd(sizeof(fieldsets) / sizeof(fieldsets[0]))];
	int k = rnd(4) == 0 && !for_near ? 2 : 1, i;
	size_t n = 0;

	if (!for_near && rnd(20) == 0) {
		static const char *const heads[] = { "Humans", "Animals", "Female", "Adult", "Neoplasms" };
		const char *h = heads[rnd(5)];
		return wn_qnode_new_term(h, strlen(h), WN_QF_MESH, rnd(2) ? WN_QT_EXPLODE : 0, NULL, &err);
	}
	if (!for_near && rnd(25) == 0)
		return wn_qnode_new_term("english", 7, WN_QF_LA, 0, NULL, &err);
	for (i = 0; i < k; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", i ? " " : "", words[rnd(NWORDS)]);
	return wn_qnode_new_term(text, n, f, rnd(5) == 0 ? WN_QT_QUOTED : 0, NULL, &err);
}

static struct wn_qnode *rand_node(int depth)
{
	struct wn_err err;
	struct wn_qnode *kids[4];
	unsigned n, i, r = rnd(10);

	if (depth <= 0 || r < 3)
		return rand_term(0);
	if (r == 3) {
		/* proximity over words (or OR-groups of words) in one field set */
		unsigned f = rnd(2) ? 0 : WN_QF_TI | WN_QF_AB | WN_QF_KW;
		n = 2;
		for (i = 0; i < n; i++) {
			kids[i] = rand_term(1);
			if (kids[i]->fields != f) {
				struct wn_qnode *t = wn_qnode_new_term(kids[i]->text, strlen(kids[i]->text), f,
								       0, NULL, &err);
				wn_qnode_unref(kids[i]);
				kids[i] = t;
			}
			if (strchr(kids[i]->text, ' ')) {
				const char *w = words[rnd(NWORDS)];
				struct wn_qnode *t = wn_qnode_new_term(w, strlen(w), f, 0, NULL, &err);
				wn_qnode_unref(kids[i]);
				kids[i] = t;
			}
		}
		return wn_qnode_new_op(WN_Q_NEAR, kids, n, rnd(6), rnd(3) == 0, &err);
	}
	n = 2 + rnd(2);
	for (i = 0; i < n; i++)
		kids[i] = rand_node(depth - 1);
	return wn_qnode_new_op(r < 6 ? WN_Q_AND : r < 9 ? WN_Q_OR : WN_Q_NOT, kids, n, 0, 0, &err);
}

/* the records to evaluate on */
static json_object **recs;
static size_t nrecs;

static void load_records(void)
{
	struct wn_err err;
	struct wn_jsonl_reader *r = wn_jsonl_open("../../data/query/records.jsonl", 0, &err);
	json_object *o;
	int rc;

	CHECK(r != NULL);
	if (!r)
		return;
	while ((rc = wn_jsonl_next(r, &o, &err)) == WN_JSONL_OK) {
		recs = realloc(recs, (nrecs + 1) * sizeof(*recs));
		recs[nrecs++] = o;
	}
	wn_jsonl_close(r);
	CHECK(nrecs > 200);
}

/* bit vector of matching records */
static void matches(const struct wn_qnode *q, unsigned char *out)
{
	struct wn_err err;
	struct wn_qmatch *m = wn_qmatch_compile(q, NULL, NULL, &err);
	struct wn_qmatch_state *s;
	size_t i;

	CHECK(m != NULL);
	if (!m)
		return;
	s = wn_qmatch_state_new(m, &err);
	for (i = 0; i < nrecs; i++)
		out[i] = (unsigned char)wn_qmatch_record(s, recs[i], &err);
	wn_qmatch_state_free(s);
	wn_qmatch_free(m);
}

static unsigned long translations_checked, nonempty;

static void test_random_ir(void)
{
	int iter;
	unsigned char *a = calloc(nrecs + 1, 1), *b = calloc(nrecs + 1, 1);

	for (iter = 0; iter < 400; iter++) {
		struct wn_qnode *ir = rand_node(3);
		unsigned char evaluated = 0;
		int d;
		size_t i;

		if (!ir)
			continue;
		for (d = 0; d < WN_QD_COUNT; d++) {
			struct wn_err err;
			struct wn_buf s1, s2;
			struct wn_qdiags notes;
			struct wn_query *q1 = NULL, *q2 = NULL;

			wn_buf_init(&s1, 0);
			wn_buf_init(&s2, 0);
			wn_qdiags_init(&notes);
			CHECK(wn_query_print(&s1, ir, (enum wn_qdialect)d, &notes, &err) == 0);
			q1 = wn_query_parse(s1.data, s1.len, (enum wn_qdialect)d, &err);
			CHECK(q1 && q1->root);
			if (!q1 || !q1->root) {
				fprintf(stderr, "  [%s] does not parse: %s\n", wn_qdialect_name((enum wn_qdialect)d), s1.data);
				goto next;
			}
			/* one cycle reaches a fixed point */
			CHECK(wn_query_print(&s2, q1->root, (enum wn_qdialect)d, NULL, &err) == 0);
			q2 = wn_query_parse(s2.data, s2.len, (enum wn_qdialect)d, &err);
			CHECK(q2 && q2->root && wn_qnode_equal(q1->root, q2->root));
			if (q2 && q2->root && !wn_qnode_equal(q1->root, q2->root))
				fprintf(stderr, "  [%s] not a fixed point:\n    %s\n    %s\n",
					wn_qdialect_name((enum wn_qdialect)d), s1.data, s2.data);
			/* nothing reported as inexpressible: the same records match */
			if (wn_qdiags_count(&notes, WN_QSEV_WARNING) == 0 && nrecs) {
				if (!evaluated) {
					matches(ir, a);
					evaluated = 1;
				}
				matches(q1->root, b);
				translations_checked++;
				for (i = 0; i < nrecs; i++)
					if (a[i] != b[i])
						break;
				CHECK(i == nrecs);
				if (i < nrecs) {
					struct wn_buf c;
					wn_buf_init(&c, 0);
					wn_qnode_format(&c, ir, &err);
					fprintf(stderr, "  [%s] meaning changed on record %zu:\n    IR  %s\n    out %s\n",
						wn_qdialect_name((enum wn_qdialect)d), i, c.data, s1.data);
					wn_buf_release(&c);
				}
				for (i = 0; i < nrecs; i++)
					if (a[i]) {
						nonempty++;
						break;
					}
			}
next:
			wn_query_free(q1);
			wn_query_free(q2);
			wn_buf_release(&s1);
			wn_buf_release(&s2);
			wn_qdiags_release(&notes);
		}
		wn_qnode_unref(ir);
	}
	/* the property must have been exercised on queries that match something */
	CHECK(translations_checked > 800);
	CHECK(nonempty > 100);
	free(a);
	free(b);
}

static const char *const seeds[] = {
	"NHS AND (\"Integrated Health*\" OR \"Integrating Health*\" OR \"Integrated Care*\") AND (Factor* OR Perform* OR Success* OR Fail*)",
	"1. exp Delivery of Health Care, Integrated/\n2. (integrat* adj3 (care or health*)).ti,ab.\n3. or/1-2\n4. limit 3 to (english language and yr=\"1997 - 2020\")",
	"TITLE-ABS-KEY(integrat* W/3 care) AND PUBYEAR > 1996 AND NOT DOCTYPE(ed)",
	"TS=(integrat* NEAR/3 (care OR health*)) AND PY=1997-2020 NOT TS=animal*",
	"(MH \"Delivery of Health Care, Integrated+\") OR TI (integrat* N3 care) OR AB wom?n",
	"\"hand hygiene\"[tiab:~3] AND 1997/12/08:2020/04/08[dp] AND english[la] NOT review[pt]",
	"#1 Search: a[tiab]\n#2 b[mh]\n#3 #1 AND #2 (123)",
};

static void test_mutations(void)
{
	char buf[1024];
	int iter;

	for (iter = 0; iter < 6000; iter++) {
		const char *s = seeds[rnd(sizeof(seeds) / sizeof(seeds[0]))];
		size_t n = strlen(s), k, m;
		static const char ins[] = "()\"[]{}*?$#:/.,=~ \n\x93\xe2\x80\x9c";
		memcpy(buf + 1, s, n);
		buf[0] = (char)rnd(256);
		n++;
		m = 1 + rnd(6);
		for (k = 0; k < m; k++) {
			size_t at = 1 + rnd((unsigned)(n - 1 ? n - 1 : 1));
			switch (rnd(3)) {
			case 0: /* insert */
				if (n + 1 < sizeof(buf)) {
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = ins[rnd(sizeof(ins) - 1)];
					n++;
				}
				break;
			case 1: /* delete */
				if (at < n) {
					memmove(buf + at, buf + at + 1, n - at - 1);
					n--;
				}
				break;
			default: /* replace with a random byte */
				if (at < n)
					buf[at] = (char)rnd(256);
			}
		}
		if (getenv("WN_TRACE")) { fprintf(stderr, "INPUT %zu:", n); fwrite(buf, 1, n, stderr); fprintf(stderr, "\nEND\n"); }
		CHECK(wn_query_fuzz_one((const uint8_t *)buf, n) == 0);
	}
	/* and every seed as is, in every dialect */
	for (iter = 0; iter < (int)(sizeof(seeds) / sizeof(seeds[0])) * WN_QD_COUNT; iter++) {
		const char *s = seeds[iter / WN_QD_COUNT];
		size_t n = strlen(s);
		buf[0] = (char)(iter % WN_QD_COUNT);
		memcpy(buf + 1, s, n);
		CHECK(wn_query_fuzz_one((const uint8_t *)buf, n + 1) == 0);
	}
}

int main(void)
{
	size_t i;

	load_records();
	RUN(test_random_ir);
	RUN(test_mutations);
	fprintf(stderr, "translations compared on records: %lu (%lu with matches)\n", translations_checked,
		nonempty);
	for (i = 0; i < nrecs; i++)
		json_object_put(recs[i]);
	free(recs);
	return wn_test_report();
}

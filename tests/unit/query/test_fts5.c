/* Differential test: winnow's query evaluator against SQLite's FTS5, an independent
 * full-text engine, on real records (tests/data/query/records.jsonl: titles and
 * abstracts of PubMed, Scopus, Embase, CINAHL, PsycInfo, Web of Science and Lens
 * exports), for the syntax both share: AND, OR, NOT, phrases, prefix*, and NEAR of two
 * terms ("at most N words between", any order, same column).
 *
 * Random queries are built as IR, printed for FTS5 (fully parenthesised), and run on
 * both; the sets of matching records must be identical. Words come from the records,
 * so most queries match something. Known tokeniser difference: winnow also folds
 * compatibility forms (the "fi" ligature is "fi"); FTS5's unicode61 does not - the
 * vocabulary is ASCII, and records are compared as they are. The other known difference:
 * "x NEAR x" - FTS5 lets one occurrence of x count for both sides, winnow needs two;
 * such queries are not generated. */
#include <sqlite3.h>
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/jsonl.h"
#include "winnow/qmatch.h"
#include "winnow/query.h"

static unsigned long long rng = 0x2545F4914F6CDD1DULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (unsigned)(rng % n) : 0;
}

static json_object **recs;
static size_t nrecs;
static char **vocab;
static size_t nv;

/* a sample of the title words (ASCII, 3 to 20 letters) */
static int add_vocab(const char *tok, size_t n, size_t off, size_t len, void *data)
{
	size_t i;

	(void)off;
	(void)len;
	(void)data;
	if (n < 3 || n > 20 || rnd(4))
		return 0;
	if ((n == 3 && (!strncmp(tok, "and", 3) || !strncmp(tok, "not", 3))) ||
	    (n == 4 && !strncmp(tok, "near", 4)))
		return 0; /* operators in the generic dialect */
	for (i = 0; i < n; i++)
		if ((unsigned char)tok[i] >= 0x80)
			return 0;
	vocab = realloc(vocab, (nv + 1) * sizeof(*vocab));
	vocab[nv++] = strndup(tok, n);
	return 0;
}

static void load(sqlite3 *db)
{
	struct wn_err err;
	struct wn_jsonl_reader *r = wn_jsonl_open("../../data/query/records.jsonl", 0, &err);
	json_object *o;
	sqlite3_stmt *ins;

	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, abstract, tokenize='unicode61 remove_diacritics 2')",
			   NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "INSERT INTO t(rowid, title, abstract) VALUES (?, ?, ?)", -1, &ins, NULL) == SQLITE_OK);
	while (wn_jsonl_next(r, &o, &err) == WN_JSONL_OK) {
		json_object *ti, *ab;
		const char *t = json_object_object_get_ex(o, "title", &ti) ? json_object_get_string(ti) : "";
		const char *a = json_object_object_get_ex(o, "abstract", &ab) ? json_object_get_string(ab) : "";
		recs = realloc(recs, (nrecs + 1) * sizeof(*recs));
		recs[nrecs] = o;
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)nrecs);
		sqlite3_bind_text(ins, 2, t, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, a, -1, SQLITE_STATIC);
		CHECK(sqlite3_step(ins) == SQLITE_DONE);
		sqlite3_reset(ins);
		wn_qtok_each(t, strlen(t), add_vocab, NULL);
		nrecs++;
	}
	sqlite3_finalize(ins);
	wn_jsonl_close(r);
	CHECK(nrecs > 200);
	CHECK(nv > 100);
}

static const char *word(void)
{
	return vocab[rnd((unsigned)nv)];
}

struct q {
	struct wn_buf fts; /* FTS5 text */
	struct wn_buf gen; /* generic dialect text for winnow */
};

static void gen(struct q *q, int depth)
{
	unsigned r = rnd(10);

	if (depth <= 0 || r < 4) {
		unsigned k = rnd(6);
		const char *w = word();
		if (k == 0) { /* prefix */
			size_t n = strlen(w) > 4 ? 3 + rnd(3) : strlen(w);
			wn_buf_addf(&q->fts, NULL, "%.*s*", (int)n, w);
			wn_buf_addf(&q->gen, NULL, "%.*s*", (int)n, w);
		} else if (k == 1) { /* phrase of two words that follow each other somewhere */
			const char *w2 = word();
			int pre = rnd(2);
			wn_buf_addf(&q->fts, NULL, "\"%s %s\"%s", w, w2, pre ? " *" : "");
			wn_buf_addf(&q->gen, NULL, "\"%s %s%s\"", w, w2, pre ? "*" : "");
		} else if (k == 2) { /* NEAR */
			const char *w2 = word();
			unsigned d = rnd(6);
			/* a word near itself: FTS5 lets one occurrence count twice, winnow wants
			 * two occurrences (as Ovid and PubMed do) - a known difference */
			while (strcmp(w, w2) == 0)
				w2 = word();
			wn_buf_addf(&q->fts, NULL, "NEAR(%s %s, %u)", w, w2, d);
			wn_buf_addf(&q->gen, NULL, "(%s NEAR/%u %s)", w, d, w2);
		} else {
			wn_buf_addf(&q->fts, NULL, "%s", w);
			wn_buf_addf(&q->gen, NULL, "%s", w);
		}
		return;
	}
	{
		const char *op = r < 6 ? "AND" : r < 9 ? "OR" : "NOT";
		wn_buf_adds(&q->fts, "(", NULL);
		wn_buf_adds(&q->gen, "(", NULL);
		gen(q, depth - 1);
		wn_buf_addf(&q->fts, NULL, " %s ", op);
		wn_buf_addf(&q->gen, NULL, " %s ", op);
		gen(q, depth - 1);
		wn_buf_adds(&q->fts, ")", NULL);
		wn_buf_adds(&q->gen, ")", NULL);
	}
}

static void test_differential(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	unsigned char *ours, *theirs;
	int iter, compared = 0, nonempty = 0, bad = 0;
	size_t i;

	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	load(db);
	if (!nrecs || !nv)
		return;
	ours = calloc(nrecs, 1);
	theirs = calloc(nrecs, 1);
	CHECK(sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?", -1, &st, NULL) == SQLITE_OK);
	for (iter = 0; iter < 1500; iter++) {
		struct q q;
		struct wn_err err;
		struct wn_query *p;
		struct wn_qmatch_opts o;
		struct wn_qmatch *m;
		struct wn_qmatch_state *s;
		int any = 0;

		wn_buf_init(&q.fts, 0);
		wn_buf_init(&q.gen, 0);
		gen(&q, 1 + (int)rnd(3));
		memset(theirs, 0, nrecs);
		sqlite3_bind_text(st, 1, q.fts.data, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			theirs[sqlite3_column_int64(st, 0)] = 1;
		sqlite3_reset(st);
		p = wn_query_parse(q.gen.data, q.gen.len, WN_QD_GENERIC, &err);
		CHECK(p && p->root);
		if (!p || !p->root) {
			fprintf(stderr, "  does not parse: %s\n", q.gen.data);
			wn_query_free(p);
			goto next;
		}
		memset(&o, 0, sizeof(o));
		o.default_fields = WN_QF_TI | WN_QF_AB;
		m = wn_qmatch_compile(p->root, &o, NULL, &err);
		s = wn_qmatch_state_new(m, &err);
		for (i = 0; i < nrecs; i++)
			ours[i] = (unsigned char)wn_qmatch_record(s, recs[i], &err);
		wn_qmatch_state_free(s);
		wn_qmatch_free(m);
		wn_query_free(p);
		for (i = 0; i < nrecs; i++) {
			if (ours[i] != theirs[i]) {
				if (bad++ < 5)
					fprintf(stderr, "  record %zu: winnow %d, fts5 %d\n    winnow: %s\n    fts5:   %s\n", i,
						ours[i], theirs[i], q.gen.data, q.fts.data);
				break;
			}
			any |= ours[i];
		}
		compared++;
		nonempty += any;
next:
		wn_buf_release(&q.fts);
		wn_buf_release(&q.gen);
	}
	CHECK_INT(bad, 0);
	CHECK(compared >= 1500);
	CHECK(nonempty >= 300);
	fprintf(stderr, "fts5 differential: %d queries on %zu records, %d matching something, %d differences\n",
		compared, nrecs, nonempty, bad);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(ours);
	free(theirs);
}

int main(void)
{
	size_t i;

	RUN(test_differential);
	for (i = 0; i < nrecs; i++)
		json_object_put(recs[i]);
	free(recs);
	for (i = 0; i < nv; i++)
		free(vocab[i]);
	free(vocab);
	return wn_test_report();
}

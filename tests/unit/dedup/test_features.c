/* Unit tests: features.c - what a record's journal names tell, the first time a thread
 * meets a name (folded) and every time after (remembered): the same. (A memo that could
 * not be allocated leaves every name to be folded, as a name too long for it is: the
 * allocation-failure runs of tests/cli/robust/t12 go through that.) */
#include <stdlib.h>
#include <string.h>
#include "wn_test.h"
#include "dd.h"

static const char *const prefer_list[] = { "PubMed" };
static struct dd_prefs prefs = { prefer_list, 1, "", NULL };

struct built {
	struct dd_rec r;
	struct dd_arena arena;
	struct dd_key *keys;
	size_t nkeys, keycap;
};

static void build(struct built *b, struct dd_scratch *s, const char *json)
{
	struct wn_err err;
	json_object *o = json_tokener_parse(json);

	memset(b, 0, sizeof(*b));
	dd_arena_init(&b->arena);
	CHECK(o != NULL);
	if (o)
		CHECK_INT(dd_features(o, &b->r, 0, &prefs, s, &b->arena, &b->keys, &b->nkeys, &b->keycap, &err), 0);
	json_object_put(o);
}

static void release(struct built *b)
{
	dd_arena_release(&b->arena);
	free(b->keys);
}

/* The journal fields of json, built by a scratch that has seen the record `times`
 * times already: folded journal, folded abbreviation, kind bits. */
static void journal_fields(struct dd_scratch *s, const char *json, char *j, char *ja, int *kind)
{
	struct built b;

	build(&b, s, json);
	strcpy(j, b.r.journal);
	strcpy(ja, b.r.jabbrev);
	*kind = b.r.kind;
	release(&b);
}

static void test_remembered_same(void)
{
	static const char *const recs[] = {
		"{\"title\":\"A\",\"journal\":\"The New England Journal of Medicine\",\"journal_abbrev\":\"N Engl J Med\"}",
		"{\"title\":\"B\",\"journal\":\"Annual International Conference of the IEEE Engineering in Medicine and Biology Society\"}",
		"{\"title\":\"C\",\"journal\":\"Cochrane Database of Systematic Reviews\",\"journal_abbrev\":\"Cochrane Database Syst Rev\"}",
		"{\"title\":\"D\",\"journal\":\"Revista Espa\\u00f1ola de Cardiolog\\u00eda (English Edition)\"}",
		"{\"title\":\"E\",\"journal_abbrev\":\"Proceedings of the 12th Annual Meeting\"}",
		/* longer than a remembered name may be: folded every time */
		"{\"title\":\"F\",\"journal\":\"Journal of a very long name that goes on and on, a name longer than one hundred and twelve bytes, the longest a remembered name may have, Series B\"}",
	};
	struct dd_scratch s;
	size_t i, round;
	char j0[6][600], ja0[6][600];
	int k0[6];

	dd_scratch_init(&s);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
			char j[600], ja[600];
			int kind;
			journal_fields(&s, recs[i], j, ja, &kind);
			if (round == 0) {
				strcpy(j0[i], j);
				strcpy(ja0[i], ja);
				k0[i] = kind;
			} else {
				CHECK_STR(j, j0[i]);
				CHECK_STR(ja, ja0[i]);
				CHECK_INT(kind, k0[i]);
			}
		}
	}
	CHECK(s.jmemo != NULL); /* (else the rounds after the first compared nothing new) */
	/* what the names say */
	CHECK_INT(k0[0] & (DD_K_CONF_VENUE | DD_K_COCHRANE), 0);
	CHECK(k0[1] & DD_K_CONF_VENUE);
	CHECK(k0[2] & DD_K_COCHRANE);
	CHECK_STR(j0[3], "revista espanola cardiologia");
	/* a conference is told by the full name only, not by the abbreviation field */
	CHECK_INT(k0[4] & DD_K_CONF_VENUE, 0);
	CHECK(strlen(j0[5]) > 100);
	/* the same name as journal and as abbreviation: one memo entry serves both */
	{
		char j[600], ja[600];
		int kind;
		journal_fields(&s, "{\"title\":\"G\",\"journal\":\"N Engl J Med\",\"journal_abbrev\":\"Annual International Conference of the IEEE Engineering in Medicine and Biology Society\"}", j, ja, &kind);
		CHECK_STR(j, ja0[0]);
		CHECK_STR(ja, j0[1]);
		CHECK_INT(kind & DD_K_CONF_VENUE, 0);
	}
	dd_scratch_release(&s);
	CHECK(s.jmemo == NULL);
}

/* Publication types: the kind a name gives is the same remembered or not, also when
 * more names come by than the memo holds (each evicts an older one). */
static void test_type_kinds(void)
{
	static const struct { const char *type; int kind; } t[] = {
		{ "Journal Article", 0 }, { "Erratum", DD_K_ERRATUM }, { "Conference Paper", DD_K_CONFERENCE },
		{ "Book Chapter", DD_K_CHAPTER }, { "Book", DD_K_BOOK }, { "Review", 0 },
		{ "Retraction of Publication", DD_K_NOTICE }, { "Published Erratum", DD_K_ERRATUM },
		{ "Meeting Abstract", DD_K_CONFERENCE }, { "Randomized Controlled Trial", 0 },
		{ "Expression of Concern", DD_K_NOTICE }, { "incollection", DD_K_CHAPTER },
		/* longer than a remembered name may be */
		{ "Conference proceedings of a very long name, longer than forty-seven bytes", DD_K_CONFERENCE },
	};
	const int mask = DD_K_ERRATUM | DD_K_CONFERENCE | DD_K_CHAPTER | DD_K_BOOK | DD_K_NOTICE;
	struct dd_scratch s;
	size_t round, i;

	dd_scratch_init(&s);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			char json[256];
			struct built b;
			snprintf(json, sizeof(json), "{\"title\":\"T\",\"pubtypes\":[\"%s\"]}", t[i].type);
			build(&b, &s, json);
			if ((b.r.kind & mask) != t[i].kind)
				fprintf(stderr, "  round %zu: %s -> kind %d, want %d\n", round, t[i].type,
					b.r.kind & mask, t[i].kind);
			CHECK_INT(b.r.kind & mask, t[i].kind);
			release(&b);
		}
	}
	/* two types in one record: both count, the second remembered or not */
	{
		struct built b;
		build(&b, &s, "{\"title\":\"T\",\"type\":\"Book\",\"pubtypes\":[\"Erratum\",\"Journal Article\"]}");
		CHECK_INT(b.r.kind & mask, DD_K_BOOK | DD_K_ERRATUM);
		release(&b);
	}
	dd_scratch_release(&s);
}

/* One author string may hold several names: split at ';', or at " and " in the BibTeX
 * form ("Surname, I and Surname, I"); empty pieces are no names. */
static void test_author_strings_split(void)
{
	static const struct {
		const char *json;
		unsigned n;
		const char *last;
	} cases[] = {
		{ "{\"title\":\"t\",\"authors\":[\"Zuber, J; Legendre, C;Fremeaux-Bacchi, V\"]}", 3, "fremeaux bacchi" },
		{ "{\"title\":\"t\",\"authors\":[\"Zuber, J;\", \";\", \"Legendre, C\"]}", 2, "legendre" },
		{ "{\"title\":\"t\",\"authors\":\"Zuber, Julien and Legendre, Christophe\"}", 2, "legendre" },
		{ "{\"title\":\"t\",\"authors\":[\"Zuber, J\", \"Brand and Co, A\"]}", 2, "brand and co" },
	};
	struct dd_scratch s;
	size_t i;

	dd_scratch_init(&s);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct built b;
		build(&b, &s, cases[i].json);
		CHECK_INT(b.r.nstored, (int)cases[i].n);
		if (b.r.nstored == cases[i].n && cases[i].n > 0) {
			const struct dd_author *a = &b.r.authors[cases[i].n - 1];
			CHECK_INT((int)a->sur_len, (int)strlen(cases[i].last));
			CHECK(memcmp(a->sur, cases[i].last, a->sur_len) == 0);
		}
		release(&b);
	}
	dd_scratch_release(&s);
}

int main(void)
{
	RUN(test_author_strings_split);
	RUN(test_remembered_same);
	RUN(test_type_kinds);
	return wn_test_report();
}

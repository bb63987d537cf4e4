/* Unit tests: strsim.c - Jaro-Winkler, bounded Levenshtein, word signatures. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/strsim.h"

static double jw(const char *a, const char *b)
{
	return wn_sim_jaro_winkler(a, strlen(a), b, strlen(b));
}

static size_t lev(const char *a, const char *b, size_t max)
{
	return wn_levenshtein_bounded(a, strlen(a), b, strlen(b), max);
}

static void test_jaro_winkler(void)
{
	/* the textbook values (Winkler 1990) */
	CHECK_NEAR(jw("martha", "marhta"), 0.9611, 0.0001);
	CHECK_NEAR(jw("dwayne", "duane"), 0.84, 0.0001);
	CHECK_NEAR(jw("dixon", "dicksonx"), 0.8133, 0.0001);
	CHECK_NEAR(jw("abc", "abc"), 1.0, 0);
	CHECK_NEAR(jw("", ""), 1.0, 0);
	CHECK_NEAR(jw("abc", ""), 0.0, 0);
	CHECK_NEAR(jw("abc", "xyz"), 0.0, 0);
	CHECK_NEAR(jw("a", "a"), 1.0, 0);
	/* symmetric */
	CHECK_NEAR(jw("haemolytic", "hemolytic"), jw("hemolytic", "haemolytic"), 1e-12);
}

static void test_levenshtein(void)
{
	char a[400], b[400];

	CHECK_INT(lev("kitten", "sitting", 10), 3);
	CHECK_INT(lev("kitten", "sitting", 3), 3);
	CHECK_INT(lev("kitten", "sitting", 2), 3);   /* over the bound: bound + 1 */
	CHECK_INT(lev("", "abc", 5), 3);
	CHECK_INT(lev("abc", "", 2), 3);
	CHECK_INT(lev("same", "same", 0), 0);
	CHECK_INT(lev("flaw", "lawn", 5), 2);
	CHECK_INT(lev("atypicalhaemolyticuraemicsyndrome", "atypicalhemolyticuremicsyndrome", 10), 2);
	CHECK_INT(lev("abcdef", "azcdef", 1), 1);
	CHECK_INT(lev("abcdefgh", "abcd", 3), 4); /* length difference alone is over the bound */
	/* strings longer than the cap are compared on their first WN_SIM_MAX_LEN bytes */
	memset(a, 'x', sizeof(a));
	memset(b, 'x', sizeof(b));
	a[399] = b[399] = '\0';
	b[390] = 'y';
	CHECK_INT(wn_levenshtein_bounded(a, 399, b, 399, 5), 0);
	b[10] = 'y';
	CHECK_INT(wn_levenshtein_bounded(a, 399, b, 399, 5), 1);
}

static void test_levenshtein_similarity(void)
{
	CHECK_NEAR(wn_sim_levenshtein("abcdefghij", 10, "abcdefghiX", 10, 0.5), 0.9, 1e-9);
	CHECK_NEAR(wn_sim_levenshtein("abcdefghij", 10, "XXXXXfghij", 10, 0.6), 0.0, 0); /* 0.5 < floor */
	CHECK_NEAR(wn_sim_levenshtein("abcdefghij", 10, "XXXXXfghij", 10, 0.5), 0.5, 1e-9);
	CHECK_NEAR(wn_sim_levenshtein("", 0, "", 0, 0.9), 1.0, 0);
}

static void test_signature(void)
{
	uint64_t a = wn_sim_word_signature("atypical hemolytic uremic syndrome", 34);
	uint64_t b = wn_sim_word_signature("syndrome uremic hemolytic atypical", 34);
	uint64_t c = wn_sim_word_signature("screening for cervical cancer", 29);

	CHECK(a == b); /* a set of words: order does not matter */
	CHECK_NEAR(wn_sim_signature_overlap(a, b), 1.0, 0);
	CHECK(wn_sim_signature_overlap(a, c) < 0.3);
	CHECK_NEAR(wn_sim_signature_overlap(0, 0), 1.0, 0);
}

int main(void)
{
	RUN(test_jaro_winkler);
	RUN(test_levenshtein);
	RUN(test_levenshtein_similarity);
	RUN(test_signature);
	return wn_test_report();
}

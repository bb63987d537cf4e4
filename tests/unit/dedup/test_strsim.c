/* Unit tests: strsim.c - Jaro-Winkler, bounded Levenshtein, word signatures. */
#include <stdlib.h>
#include <string.h>
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

/* The plain full table, as a reference. */
static size_t lev_reference(const char *a, size_t an, const char *b, size_t bn)
{
	size_t d[64][64], i, j;

	for (i = 0; i <= an; i++)
		d[i][0] = i;
	for (j = 0; j <= bn; j++)
		d[0][j] = j;
	for (i = 1; i <= an; i++)
		for (j = 1; j <= bn; j++) {
			size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			d[i][j] = v;
		}
	return d[an][bn];
}

/* Random pairs, near each other and not, every bound: the bounded distance is the
 * distance when within the bound, else bound + 1 (whatever shortcut found it). */
static void test_levenshtein_against_reference(void)
{
	unsigned seed = 12345;
	int t, bad = 0;

	for (t = 0; t < 20000 && bad < 5; t++) {
		char a[64], b[64];
		size_t an, bn, i, max, want, got;
		/* a small alphabet (letters that share a bin of the letter count, too) */
		static const char alpha[] = "aeAEtx0 ";
		seed = seed * 1103515245u + 12345u;
		an = (seed >> 16) % 40;
		for (i = 0; i < an; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = alpha[(seed >> 16) % 8];
		}
		/* b: a copy of a with a few edits, or independent */
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) % 2) {
			size_t edits = (seed >> 20) % 6, e;
			memcpy(b, a, an);
			bn = an;
			for (e = 0; e < edits; e++) {
				size_t at;
				seed = seed * 1103515245u + 12345u;
				at = bn ? (seed >> 16) % bn : 0;
				switch ((seed >> 8) % 3) {
				case 0: if (bn) b[at] = alpha[(seed >> 24) % 8]; break;
				case 1: if (bn < 60) { memmove(b + at + 1, b + at, bn - at); b[at] = 'x'; bn++; } break;
				default: if (bn) { memmove(b + at, b + at + 1, bn - at - 1); bn--; } break;
				}
			}
		} else {
			bn = (seed >> 16) % 40;
			for (i = 0; i < bn; i++) {
				seed = seed * 1103515245u + 12345u;
				b[i] = alpha[(seed >> 16) % 8];
			}
		}
		seed = seed * 1103515245u + 12345u;
		max = (seed >> 16) % 45;
		want = lev_reference(a, an, b, bn);
		if (want > max)
			want = max + 1;
		got = wn_levenshtein_bounded(a, an, b, bn, max);
		if (got != want)
			bad++;
		CHECK_INT((int)got, (int)want);
	}
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
	/* the union of its words' signatures; empty words (spaces at either end, two in a
	 * row) add nothing */
	CHECK(wn_sim_word_signature("cervical cancer", 15) ==
	      (wn_sim_word_signature("cervical", 8) | wn_sim_word_signature("cancer", 6)));
	CHECK(wn_sim_word_signature("  cervical  cancer ", 19) == wn_sim_word_signature("cervical cancer", 15));
	CHECK(wn_sim_word_signature("", 0) == 0);
	CHECK(wn_sim_word_signature("   ", 3) == 0);
	CHECK(__builtin_popcountll(wn_sim_word_signature("x", 1)) == 1);
}

int main(void)
{
	RUN(test_jaro_winkler);
	RUN(test_levenshtein);
	RUN(test_levenshtein_against_reference);
	RUN(test_levenshtein_similarity);
	RUN(test_signature);
	return wn_test_report();
}

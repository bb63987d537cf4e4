/* Unit tests: block.c - the title prefix a windowed block is sorted by first: wherever two
 * prefixes differ, they order the titles as comparing the whole titles does (forwards, or
 * read backwards for title-suffix blocks), so the prefix never changes which records end
 * up neighbours. */
#include <stdlib.h>
#include "wn_test.h"
#include "dd.h"

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* strcmp of the strings read backwards (the order of title-suffix blocks) */
static int rcmp(const char *a, const char *b)
{
	size_t i = strlen(a), j = strlen(b);

	while (i > 0 && j > 0) {
		unsigned char x = (unsigned char)a[--i], y = (unsigned char)b[--j];
		if (x != y)
			return x < y ? -1 : 1;
	}
	return i > 0 ? 1 : j > 0 ? -1 : 0;
}

static int agrees(const char *a, const char *b, int from_end)
{
	uint64_t pa = dd_title_prefix(a, strlen(a), from_end), pb = dd_title_prefix(b, strlen(b), from_end);
	int whole = from_end ? rcmp(a, b) : strcmp(a, b);

	if (pa == pb)
		return 1; /* a tie: the whole titles decide */
	return sign(whole) == (pa < pb ? -1 : 1);
}

static void test_prefix_order(void)
{
	static const char *const t[] = {
		"", "a", "ab", "abc", "abcdefgh", "abcdefghi", "abcdefgz", "b", "zz", "a b", "a c",
		"effect of exercise on blood pressure", "effect of exercise on blood pressure a review",
		"effects of exercise", "\xc3\xa9tude", "etude", "1 2 3", "10 years", "9 years",
		"randomized trial of x", "a randomized trial of x", "trial of x", "x",
	};
	size_t n = sizeof(t) / sizeof(t[0]), i, j;
	unsigned seed = 12345;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			if (!agrees(t[i], t[j], 0) || !agrees(t[i], t[j], 1))
				fprintf(stderr, "  \"%s\" / \"%s\"\n", t[i], t[j]);
			CHECK(agrees(t[i], t[j], 0));
			CHECK(agrees(t[i], t[j], 1));
		}
	/* random strings over a small alphabet (so that long shared prefixes and suffixes
	 * are common) */
	for (i = 0; i < 20000; i++) {
		char a[16], b[16];
		size_t la, lb, k;
		seed = seed * 1103515245u + 12345u;
		la = (seed >> 16) % 14;
		seed = seed * 1103515245u + 12345u;
		lb = (seed >> 16) % 14;
		for (k = 0; k < la; k++) {
			seed = seed * 1103515245u + 12345u;
			a[k] = "ab \xc3"[(seed >> 16) % 4];
		}
		a[la] = '\0';
		for (k = 0; k < lb; k++) {
			seed = seed * 1103515245u + 12345u;
			b[k] = "ab \xc3"[(seed >> 16) % 4];
		}
		b[lb] = '\0';
		if (!agrees(a, b, 0) || !agrees(a, b, 1)) {
			fprintf(stderr, "  random pair differs: \"%s\" / \"%s\"\n", a, b);
			CHECK(0);
			break;
		}
	}
	/* the prefix does tell titles apart (else this test compares nothing) */
	CHECK(dd_title_prefix("abc", 3, 0) < dd_title_prefix("abd", 3, 0));
	CHECK(dd_title_prefix("xba", 3, 1) < dd_title_prefix("xca", 3, 1));
	CHECK(dd_title_prefix("ab", 2, 0) < dd_title_prefix("abc", 3, 0));
}

int main(void)
{
	RUN(test_prefix_order);
	return wn_test_report();
}

/*
 * wn_test.h - a minimal unit-test harness (in the spirit of redis's testhelp.h).
 *
 *   static void test_something(void) { CHECK(1 + 1 == 2); CHECK_STR(a, "x"); }
 *   int main(void) { RUN(test_something); return wn_test_report(); }
 *
 * Each failed check prints file:line and the expression; the run ends with
 * "N checks, M failed" and a non-zero exit status on any failure.
 */
#ifndef WN_TEST_H
#define WN_TEST_H

#include <stdio.h>
#include <string.h>

static int wn_test_checks, wn_test_failures;
static const char *wn_test_current = "";

#define CHECK(cond) do { \
	wn_test_checks++; \
	if (!(cond)) { \
		wn_test_failures++; \
		fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, wn_test_current, #cond); \
	} \
} while (0)

#define CHECK_STR(actual, expected) do { \
	const char *a_ = (actual), *e_ = (expected); \
	wn_test_checks++; \
	if (!a_ || !e_ || strcmp(a_, e_) != 0) { \
		wn_test_failures++; \
		fprintf(stderr, "%s:%d: %s: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
			wn_test_current, #actual, a_ ? a_ : "(null)", e_ ? e_ : "(null)"); \
	} \
} while (0)

#define CHECK_INT(actual, expected) do { \
	long long a_ = (long long)(actual), e_ = (long long)(expected); \
	wn_test_checks++; \
	if (a_ != e_) { \
		wn_test_failures++; \
		fprintf(stderr, "%s:%d: %s: %s is %lld, expected %lld\n", __FILE__, __LINE__, \
			wn_test_current, #actual, a_, e_); \
	} \
} while (0)

#define CHECK_NEAR(actual, expected, tol) do { \
	double a_ = (actual), e_ = (expected); \
	wn_test_checks++; \
	if (!(a_ - e_ <= (tol) && e_ - a_ <= (tol))) { \
		wn_test_failures++; \
		fprintf(stderr, "%s:%d: %s: %s is %.10g, expected %.10g (tolerance %g)\n", __FILE__, \
			__LINE__, wn_test_current, #actual, a_, e_, (double)(tol)); \
	} \
} while (0)

#define RUN(fn) do { wn_test_current = #fn; fn(); } while (0)

static inline int wn_test_report(void)
{
	printf("%d checks, %d failed\n", wn_test_checks, wn_test_failures);
	return wn_test_failures ? 1 : 0;
}

#endif

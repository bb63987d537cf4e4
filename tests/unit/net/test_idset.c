/*
 * test_idset.c - the PMID set and PMID parsing.
 */
#include <stdlib.h>
#include "idset.h"
#include "wn_test.h"

static void test_set(void)
{
	struct wn_idset s;
	uint64_t i;
	int all = 1;

	wn_idset_init(&s);
	CHECK(!wn_idset_has(&s, 5));
	CHECK_INT(wn_idset_add(&s, 5, NULL), 1);
	CHECK_INT(wn_idset_add(&s, 5, NULL), 0);
	CHECK_INT(wn_idset_add(&s, 0, NULL), 1);
	CHECK_INT(wn_idset_add(&s, 0, NULL), 0);
	CHECK(wn_idset_has(&s, 0));
	/* dense runs (PMIDs) and growth */
	for (i = 30000000; i < 30100000; i++)
		wn_idset_add(&s, i, NULL);
	CHECK_INT(wn_idset_count(&s), 100002);
	for (i = 30000000; i < 30100000; i++)
		all &= wn_idset_has(&s, i);
	CHECK(all);
	CHECK(!wn_idset_has(&s, 29999999));
	CHECK(!wn_idset_has(&s, 30100000));
	CHECK(wn_idset_has(&s, 5));
	wn_idset_release(&s);
	CHECK_INT(wn_idset_count(&s), 0);
}

static void test_parse(void)
{
	uint64_t v = 0;

	CHECK_INT(wn_pmid_parse("38147649", 8, &v), 0);
	CHECK_INT(v, 38147649);
	CHECK_INT(wn_pmid_parse("1", 1, &v), 0);
	CHECK_INT(wn_pmid_parse("", 0, &v), -1);
	CHECK_INT(wn_pmid_parse("12a", 3, &v), -1);
	CHECK_INT(wn_pmid_parse("-1", 2, &v), -1);
	CHECK_INT(wn_pmid_parse(" 12", 3, &v), -1);
	CHECK_INT(wn_pmid_parse("12345678901234567890", 20, &v), -1); /* too long: no overflow */
	CHECK_INT(wn_pmid_parse("9999999999999999999", 19, &v), 0);
}

int main(void)
{
	RUN(test_set);
	RUN(test_parse);
	return wn_test_report();
}

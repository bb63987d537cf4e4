/*
 * fuzz_query_scopus.c - search strings in the scopus dialect (lib/query); see fuzz_query.h.
 */
#include "fuzz.h"
#include "fuzz_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_query(WN_QD_SCOPUS, data, size);
	return 0;
}

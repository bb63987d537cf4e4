/*
 * fuzz_query_ebsco.c - search strings in the ebsco dialect (lib/query); see fuzz_query.h.
 */
#include "fuzz.h"
#include "fuzz_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_query(WN_QD_EBSCO, data, size);
	return 0;
}

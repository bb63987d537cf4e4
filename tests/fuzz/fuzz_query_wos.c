/*
 * fuzz_query_wos.c - search strings in the wos dialect (lib/query); see fuzz_query.h.
 */
#include "fuzz.h"
#include "fuzz_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_query(WN_QD_WOS, data, size);
	return 0;
}

/*
 * fuzz_refer.c - the refer importer; see fuzz_import.h for what is checked.
 */
#include "fuzz.h"
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_import("refer", data, size);
	return 0;
}

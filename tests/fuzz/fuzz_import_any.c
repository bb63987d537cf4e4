/*
 * fuzz_import_any.c - format detection and every importer (as winnow-fetch file without --format); see fuzz_import.h for what is checked.
 */
#include "fuzz.h"
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_import(NULL, data, size);
	return 0;
}

/*
 * fuzz_csv.c - the csv importer; see fuzz_import.h for what is checked.
 */
#include "fuzz.h"
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_import("csv", data, size);
	return 0;
}

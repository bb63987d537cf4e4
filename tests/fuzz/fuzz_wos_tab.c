/*
 * fuzz_wos_tab.c - the wos-tab importer; see fuzz_import.h for what is checked.
 */
#include "fuzz.h"
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_import("wos-tab", data, size);
	return 0;
}

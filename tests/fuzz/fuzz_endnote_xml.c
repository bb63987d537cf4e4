/*
 * fuzz_endnote_xml.c - the endnote-xml importer; see fuzz_import.h for what is checked.
 */
#include "fuzz.h"
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_import("endnote-xml", data, size);
	return 0;
}

/*
 * fuzz_import.h - the harness shared by the format targets (fuzz_ris.c, fuzz_wos.c, ...).
 *
 * wnf_import runs one input through an importer the way winnow-fetch file does (the
 * import session, from memory), with options taken from the input's hash: --strict or
 * not, a --source override or not, a small line cap or the default. Invariants:
 *   - every record emitted passes wnf_check_record (an id, valid UTF-8, no empty values,
 *     no control characters) and survives the JSONL round trip;
 *   - records + skipped == the records the session numbered (nothing vanishes);
 *   - a failed import is out of memory, or a format error or limit naming the file;
 *   - under an injected allocation failure, an import that still succeeds must produce
 *     exactly the records of the clean run: an allocation failure may stop the run, but
 *     never silently change or skip a record.
 */
#ifndef WINNOW_FUZZ_IMPORT_H
#define WINNOW_FUZZ_IMPORT_H

#include <stddef.h>
#include <stdint.h>

/* format: a name for wn_format_by_name, or NULL to detect (as winnow-fetch does). */
void wnf_import(const char *format, const uint8_t *data, size_t size);

#endif

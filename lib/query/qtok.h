/*
 * qtok.h - private to lib/query: normalising one non-ASCII code point for the tokeniser.
 */
#ifndef WINNOW_QTOK_H
#define WINNOW_QTOK_H

#include <stddef.h>
#include <stdint.h>

/* Write the normalised form of cp (case-folded, marks removed) into out (at least 48
 * bytes); *is_word says whether cp is a letter, digit or mark (else a separator).
 * Returns the bytes written (0 for a separator or a bare mark). */
size_t wn_qtok_cp(int32_t cp, char *out, int *is_word);

#endif

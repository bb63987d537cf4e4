/*
 * utf8.h - UTF-8 validation, repair, transcoding and sanitising.
 *
 * Rule of the record stream: everything winnow emits is valid UTF-8. Input is checked at
 * the boundary. Invalid byte sequences in text are most often Windows-1252/Latin-1 text
 * inside a file that claims UTF-8 (RIS from older reference managers), so repair decodes
 * each invalid byte as Windows-1252 instead of dropping it, and returns how many bytes
 * it repaired so the caller can report it (never silently).
 *
 * Terminal and message safety: record text shown to a person passes through
 * wn_utf8_sanitize, which replaces C0 controls (except the ones asked for), DEL, ESC and
 * C1 controls, so a crafted title cannot move the cursor or rewrite the screen.
 */
#ifndef WINNOW_UTF8_H
#define WINNOW_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include "winnow/buf.h"

/* 1 if s[0..n) is valid UTF-8 (shortest form, no surrogates, <= U+10FFFF), else 0.
 * NUL bytes are valid UTF-8; callers that forbid them check separately. */
int wn_utf8_valid(const char *s, size_t n);

/* Byte offset of the first invalid sequence, or n if valid. */
size_t wn_utf8_first_invalid(const char *s, size_t n);

/* Decode one code point at s (n > 0). Sets *adv to bytes consumed (>= 1). Returns the
 * code point, or -1 for an invalid sequence (then *adv is 1). */
int32_t wn_utf8_decode(const char *s, size_t n, size_t *adv);

/* Encode cp (<= 0x10FFFF, not a surrogate) into out; returns bytes written (1..4), or 0
 * when cp cannot be encoded. */
size_t wn_utf8_encode(uint32_t cp, char out[4]);

/* Unicode code point of a Windows-1252 byte (0x80-0x9F map to the CP1252 table; the 5
 * unassigned bytes map to U+FFFD). */
uint32_t wn_cp1252_decode(unsigned char c);

/* Append s to out as valid UTF-8, decoding invalid bytes as Windows-1252. Returns the
 * number of bytes that needed repair (0 if s was valid), or -1 on allocation failure. */
long wn_utf8_repair(struct wn_buf *out, const char *s, size_t n, struct wn_err *err);

/* Transcode UTF-16 (little or big endian, without BOM) to UTF-8, appending to out.
 * Unpaired surrogates become U+FFFD and are counted in *bad (may be NULL). An odd
 * trailing byte is counted as bad. -1 on allocation failure. */
int wn_utf16_to_utf8(struct wn_buf *out, const unsigned char *s, size_t n, int big_endian,
		     unsigned long *bad, struct wn_err *err);

enum {
	WN_SANITIZE_KEEP_NEWLINE = 1, /* keep \n (else it becomes a space) */
	WN_SANITIZE_KEEP_TAB = 2      /* keep \t (else it becomes a space) */
};

/* Append s to out with control characters made harmless: C0 controls (other than the
 * kept ones), DEL, C1 controls (U+0080-U+009F) and invalid UTF-8 become '?'. Returns
 * the number of replacements, -1 on allocation failure. */
long wn_utf8_sanitize(struct wn_buf *out, const char *s, size_t n, unsigned flags,
		      struct wn_err *err);

/* Display width of a UTF-8 string in terminal columns (wide East Asian characters count
 * 2, combining marks 0). Invalid bytes count 1. */
size_t wn_utf8_width(const char *s, size_t n);

#endif

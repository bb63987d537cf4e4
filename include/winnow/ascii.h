/*
 * ascii.h - locale-free character classes.
 *
 * <ctype.h> is undefined behaviour on negative chars and depends on the locale; bytes of
 * UTF-8 text are routinely >= 0x80. These helpers look only at ASCII and take any byte
 * value safely (git's sane-ctype.h, SQLite's ISSPACE).
 */
#ifndef WINNOW_ASCII_H
#define WINNOW_ASCII_H

static inline int wn_isspace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static inline int wn_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int wn_isupper(int c) { return c >= 'A' && c <= 'Z'; }
static inline int wn_islower(int c) { return c >= 'a' && c <= 'z'; }
static inline int wn_isalpha(int c) { return wn_isupper(c) || wn_islower(c); }
static inline int wn_isalnum(int c) { return wn_isalpha(c) || wn_isdigit(c); }
static inline int wn_isxdigit(int c) { return wn_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static inline int wn_tolower(int c) { return wn_isupper(c) ? c + ('a' - 'A') : c; }
static inline int wn_toupper(int c) { return wn_islower(c) ? c - ('a' - 'A') : c; }

#endif

/*
 * normalize.h - text folding and title normalisation for comparing bibliographic records.
 *
 * The same title reaches us as "Atypical Hemolytic–Uremic Syndrome", "ATYPICAL
 * HAEMOLYTIC-URAEMIC SYNDROME." and "[Atypical hemolytic uremic syndrome]. [German]";
 * a comparison is only as good as the folding in front of it (research/dedup.md: most of
 * the difference between tools is normalisation). wn_norm_fold is the one folding every
 * text field goes through:
 *
 *   - HTML/XML character references are decoded (&amp; &eacute; &#233; &#xE9; ...) and
 *     tags are removed (<i>, <sup>, MathML <mml:mi> ...), keeping their text;
 *   - Unicode is decomposed compatibly (NFKD), marks are stripped and case is folded
 *     (utf8proc), so "Ö", "ö", "o&#776;" and "O" are all "o"; letters NFKD leaves alone
 *     are transliterated (ø o, æ ae, œ oe, ł l, đ d, þ th, ß ss) and Greek letters are
 *     spelled out (α alpha, β beta, μ mu), because MEDLINE and Embase write "TNF-alpha"
 *     where publishers write "TNF-α";
 *   - apostrophes disappear ("Crohn's" = "Crohns"), every other non-alphanumeric
 *     character (dashes of every kind, punctuation, symbols, Unicode spaces) separates
 *     words; the result is lower-case words joined by single spaces, or - with
 *     WN_FOLD_NOSPACE - without any separator, so "hemolytic-uremic", "hemolytic uremic"
 *     and "hemolyticuremic" fold alike.
 *
 * wn_norm_title applies the title rules on top (each unit-tested): bracketed translated
 * titles are unwrapped ("[Title]." -> "title"), trailing language and note brackets are
 * dropped ("[Polish]", "(author's transl)", "[1]", "(multiple letters)"), and markers
 * that make a record a different kind of publication are removed from the text but kept
 * as flags (erratum/correction, retraction notice, reply, comment; "RETRACTED:" on the
 * article itself is only informational). Roman numerals after "part", "phase", "type" ...
 * become digits, so "Part II" = "Part 2". The numbers of the title and words that tell
 * companion papers apart ("women"/"men", "in vitro"/"in vivo", "protocol") are collected
 * for the vetoes of the pair decision.
 *
 * All functions are pure (no global state) and thread-safe. Output buffers are caller's.
 */
#ifndef WINNOW_NORMALIZE_H
#define WINNOW_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>
#include "winnow/buf.h"
#include "winnow/err.h"

enum {
	WN_FOLD_NOSPACE = 1  /* drop word separators entirely */
};

/* Append the folded form of s[0..n) (UTF-8; invalid bytes separate words) to out.
 * Returns 0, or -1 on allocation failure / cap (err set). */
int wn_norm_fold(struct wn_buf *out, const char *s, size_t n, unsigned flags,
		 struct wn_err *err);

/* The first letter or digit of s, folded ("Émile" -> 'e', "Øystein" -> 'o'); for a
 * letter outside Latin, the first byte of its UTF-8 form. 0 when there is none. No
 * allocation (for initials). */
int wn_norm_first_letter(const char *s, size_t n);

/* Decode one character reference at s[0..n) (s[0] == '&'): the code point, with *adv set
 * to the bytes consumed; -1 when s does not start a known reference. A named reference
 * to an accented Latin letter ("&eacute;") gives the base letter, since folding strips
 * the accent anyway; "&szlig;", "&aelig;" and the like give their first code point and
 * set *second to the next one (or -1). */
int32_t wn_norm_entity(const char *s, size_t n, size_t *adv, int32_t *second);

/* Title flags. */
enum {
	WN_TITLE_ERRATUM = 1 << 0,    /* "Erratum:", "Correction to:", "Corrigendum" ... */
	WN_TITLE_NOTICE = 1 << 1,     /* retraction notice / expression of concern */
	WN_TITLE_REPLY = 1 << 2,      /* "Reply to", "Authors' reply", "Response to" ... */
	WN_TITLE_COMMENT = 1 << 3,    /* "Comment on", "Re:", "Commentary on" ... */
	WN_TITLE_RETRACTED = 1 << 4,  /* "RETRACTED:" / "Retracted article" (the article itself) */
	WN_TITLE_WITHDRAWN = 1 << 5,  /* "WITHDRAWN:" (Cochrane) - informational */
	WN_TITLE_TRANSLATED = 1 << 6, /* the title was a [bracketed] translation */
	WN_TITLE_GENERIC = 1 << 7     /* "Editorial", "Introduction", ...: too generic to decide on */
};

/* Flags that make a record a different publication from one without them. */
#define WN_TITLE_KIND_MASK (WN_TITLE_ERRATUM | WN_TITLE_NOTICE | WN_TITLE_REPLY | WN_TITLE_COMMENT)

/* Discriminating words (bit per group): two titles that differ only in these are
 * companion papers, not duplicates. */
enum {
	WN_TW_FEMALE = 1 << 0,    /* women, female, girls, mothers, maternal */
	WN_TW_MALE = 1 << 1,      /* men, male, boys, fathers */
	WN_TW_CHILD = 1 << 2,     /* children, paediatric, adolescents, infants, neonates */
	WN_TW_ADULT = 1 << 3,     /* adults, elderly, older */
	WN_TW_VIVO = 1 << 4,      /* in vivo */
	WN_TW_VITRO = 1 << 5,     /* in vitro */
	WN_TW_RAT = 1 << 6,       /* rats */
	WN_TW_MOUSE = 1 << 7,     /* mice */
	WN_TW_PROTOCOL = 1 << 8,  /* protocol, rationale and design, study design */
	WN_TW_FOLLOWUP = 1 << 9,  /* follow-up, long-term results, extension */
	WN_TW_UPDATE = 1 << 10,   /* update, updated */
	WN_TW_PART = 1 << 11,     /* "part N" (the number is in the numbers) */
	WN_TW_INTERIM = 1 << 12,  /* interim, preliminary */
	WN_TW_SECONDARY = 1 << 13 /* secondary / post hoc / subgroup analysis */
};

#define WN_TITLE_MAX_NUMS 8

struct wn_title_info {
	unsigned flags;                     /* WN_TITLE_* */
	unsigned words;                     /* WN_TW_* */
	unsigned nnums;                     /* numbers found (at most WN_TITLE_MAX_NUMS kept) */
	uint32_t nums[WN_TITLE_MAX_NUMS];   /* the numbers in the title, in order (capped) */
	uint64_t numsig;                    /* every number of the title, one bit each (hashed) */
	unsigned part, phase;               /* the number after "part" ("pt"), after "phase"; 0 */
	size_t main_len;                    /* letters (no spaces) of the title before its
					     * subtitle (":" or "?"); 0 without a subtitle */
	unsigned nwords;                    /* words in the folded title */
};

/* Normalise a title: out gets the folded title (words joined by single spaces, leading
 * "the"/"a"/"an" removed), info the flags, words and numbers. out is replaced, not
 * appended to, and s must not point into it. Returns 0 or -1 (allocation/cap; out is
 * then empty). */
int wn_norm_title(struct wn_buf *out, const char *s, size_t n, struct wn_title_info *info,
		  struct wn_err *err);

/* The WN_TW_* bit of one word of a folded title (w[0..n), lower case, no spaces), 0 when
 * it is in no group (pairs of words such as "post hoc" are wn_norm_title's). */
unsigned wn_title_word_group(const char *w, size_t n);

/* The i-th word of the word-group table with its bit in *bit (may be NULL); NULL past
 * the end. For tests: every word of the table must be found by wn_title_word_group. */
const char *wn_title_group_word(size_t i, unsigned *bit);

#endif

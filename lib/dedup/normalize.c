/*
 * normalize.c - text folding and title normalisation (see normalize.h).
 *
 * Folding works code point by code point with utf8proc_decompose_char (compatibility
 * decomposition, case folding, marks stripped, default-ignorables dropped), so it never
 * allocates: the only memory is the caller's output buffer. ASCII, the common case,
 * takes a fast path that does not call utf8proc at all.
 *
 * Title rules work in two layers. Brackets and leading markers are only visible in the
 * raw text, so they are handled first, on the raw bytes; everything that concerns words
 * (articles, Roman numerals, numbers, companion-paper words) is done on the folded words.
 */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/normalize.h"
#include "winnow/utf8.h"

/* ---------------------------------------------------------------- character refs */

struct named_ref {
	const char *name;
	int32_t cp, cp2;
};

/* Entities that are not "accented letter" forms (those are decoded generically below). */
static const struct named_ref named_refs[] = {
	{ "amp", '&', -1 }, { "lt", '<', -1 }, { "gt", '>', -1 }, { "quot", '"', -1 },
	{ "apos", '\'', -1 }, { "nbsp", ' ', -1 }, { "ndash", 0x2013, -1 },
	{ "mdash", 0x2014, -1 }, { "hellip", 0x2026, -1 }, { "lsquo", 0x2018, -1 },
	{ "rsquo", 0x2019, -1 }, { "ldquo", 0x201C, -1 }, { "rdquo", 0x201D, -1 },
	{ "laquo", 0xAB, -1 }, { "raquo", 0xBB, -1 }, { "middot", 0xB7, -1 },
	{ "times", 0xD7, -1 }, { "deg", 0xB0, -1 }, { "plusmn", 0xB1, -1 },
	{ "micro", 0x3BC, -1 }, { "reg", 0xAE, -1 }, { "trade", 0x2122, -1 },
	{ "copy", 0xA9, -1 }, { "thinsp", ' ', -1 }, { "ensp", ' ', -1 }, { "emsp", ' ', -1 },
	{ "minus", '-', -1 }, { "le", 0x2264, -1 }, { "ge", 0x2265, -1 },
	{ "szlig", 's', 's' }, { "aelig", 'a', 'e' }, { "AElig", 'a', 'e' },
	{ "oelig", 'o', 'e' }, { "OElig", 'o', 'e' }, { "oslash", 'o', -1 },
	{ "Oslash", 'o', -1 }, { "eth", 'd', -1 }, { "ETH", 'd', -1 }, { "thorn", 't', 'h' },
	{ "THORN", 't', 'h' }, { "alpha", 0x3B1, -1 }, { "beta", 0x3B2, -1 },
	{ "gamma", 0x3B3, -1 }, { "delta", 0x3B4, -1 }, { "epsilon", 0x3B5, -1 },
	{ "zeta", 0x3B6, -1 }, { "eta", 0x3B7, -1 }, { "theta", 0x3B8, -1 },
	{ "iota", 0x3B9, -1 }, { "kappa", 0x3BA, -1 }, { "lambda", 0x3BB, -1 },
	{ "mu", 0x3BC, -1 }, { "nu", 0x3BD, -1 }, { "xi", 0x3BE, -1 },
	{ "omicron", 0x3BF, -1 }, { "pi", 0x3C0, -1 }, { "rho", 0x3C1, -1 },
	{ "sigma", 0x3C3, -1 }, { "sigmaf", 0x3C2, -1 }, { "tau", 0x3C4, -1 },
	{ "upsilon", 0x3C5, -1 }, { "phi", 0x3C6, -1 }, { "chi", 0x3C7, -1 },
	{ "psi", 0x3C8, -1 }, { "omega", 0x3C9, -1 }, { "Alpha", 0x391, -1 },
	{ "Beta", 0x392, -1 }, { "Gamma", 0x393, -1 }, { "Delta", 0x394, -1 },
	{ "Kappa", 0x39A, -1 }, { "Omega", 0x3A9, -1 }, { "shy", 0xAD, -1 },
	{ NULL, 0, -1 }
};

/* "&eacute;" style: a letter followed by the name of a diacritic. */
static const char *const accent_names[] = {
	"acute", "grave", "circ", "tilde", "uml", "ring", "cedil", "caron", "macr", "breve",
	"ogon", "dot", "dblac", "slash", "strok", NULL
};

int32_t wn_norm_entity(const char *s, size_t n, size_t *adv, int32_t *second)
{
	size_t i, len;
	char name[33];
	const struct named_ref *r;

	*second = -1;
	if (n < 3 || s[0] != '&')
		return -1;
	if (s[1] == '#') {
		uint32_t cp = 0;
		int hex = (n > 2 && (s[2] == 'x' || s[2] == 'X'));
		size_t digits = 0;

		for (i = hex ? 3 : 2; i < n && i < 12; i++) {
			int c = (unsigned char)s[i];
			if (c == ';')
				break;
			if (hex && wn_isxdigit(c))
				cp = cp * 16 + (uint32_t)(wn_isdigit(c) ? c - '0' : wn_tolower(c) - 'a' + 10);
			else if (!hex && wn_isdigit(c))
				cp = cp * 10 + (uint32_t)(c - '0');
			else
				return -1;
			digits++;
		}
		if (i >= n || s[i] != ';' || digits == 0 || cp == 0 || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		*adv = i + 1;
		return (int32_t)cp;
	}
	for (i = 1; i < n && i < 33; i++) {
		if (s[i] == ';')
			break;
		if (!wn_isalnum((unsigned char)s[i]))
			return -1;
	}
	if (i >= n || s[i] != ';' || i == 1)
		return -1;
	len = i - 1;
	memcpy(name, s + 1, len);
	name[len] = '\0';
	for (r = named_refs; r->name; r++) {
		if (strcmp(r->name, name) == 0) {
			*adv = i + 1;
			*second = r->cp2;
			return r->cp;
		}
	}
	if (len >= 3 && wn_isalpha((unsigned char)name[0])) {
		const char *const *a;
		for (a = accent_names; *a; a++) {
			if (strcmp(name + 1, *a) == 0) {
				*adv = i + 1;
				return wn_tolower((unsigned char)name[0]);
			}
		}
	}
	return -1;
}

/* ---------------------------------------------------------------- tags */

/* Tags whose boundary separates words (everything else is inline markup: <i>, <sup>,
 * MathML token elements ...). */
static const char *const block_tags[] = {
	"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3",
	"h4", "title", "section", "para", "sec", NULL
};

/* If s[0..n) starts with a markup tag, return its length and whether it separates words;
 * 0 if it is not a tag (a lone "<" as in "p < 0.05"). */
static size_t tag_length(const char *s, size_t n, int *separates)
{
	size_t i = 1, name_start, name_len;
	char name[16];
	const char *const *b;

	if (i < n && s[i] == '/')
		i++;
	if (i >= n || !wn_isalpha((unsigned char)s[i]))
		return 0;
	name_start = i;
	while (i < n && (wn_isalnum((unsigned char)s[i]) || s[i] == ':' || s[i] == '-' ||
			 s[i] == '_' || s[i] == '.'))
		i++;
	name_len = i - name_start;
	if (i < n && !(s[i] == '>' || s[i] == '/' || wn_isspace((unsigned char)s[i])))
		return 0;
	for (; i < n && i < 512; i++) {
		if (s[i] == '>')
			break;
		if (s[i] == '<' || s[i] == '\n')
			return 0;
	}
	if (i >= n || s[i] != '>')
		return 0;
	*separates = 0;
	{
		/* drop a namespace prefix (mml:mi) before looking the name up */
		const char *nm = s + name_start;
		const char *colon = memchr(nm, ':', name_len);
		if (colon) {
			name_len -= (size_t)(colon + 1 - nm);
			nm = colon + 1;
		}
		if (name_len < sizeof(name)) {
			size_t k;
			for (k = 0; k < name_len; k++)
				name[k] = (char)wn_tolower((unsigned char)nm[k]);
			name[name_len] = '\0';
			for (b = block_tags; *b; b++)
				if (strcmp(*b, name) == 0)
					*separates = 1;
		}
	}
	return i + 1;
}

/* ---------------------------------------------------------------- folding */

struct folder {
	struct wn_buf *out;
	size_t start;      /* out->len when folding began */
	unsigned flags;
	int pending;       /* a separator is due before the next character */
	struct wn_err *err;
	int failed;
};

static void f_sep(struct folder *f)
{
	f->pending = 1;
}

static void f_put(struct folder *f, const char *s, size_t n)
{
	if (f->failed)
		return;
	if (f->pending && !(f->flags & WN_FOLD_NOSPACE) && f->out->len > f->start) {
		if (wn_buf_addc(f->out, ' ', f->err) < 0) {
			f->failed = 1;
			return;
		}
	}
	f->pending = 0;
	if (wn_buf_add(f->out, s, n, f->err) < 0)
		f->failed = 1;
}

static const char *const greek_names[] = {
	"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
	"kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "sigma",
	"tau", "upsilon", "phi", "chi", "psi", "omega"
};

/* Letters that NFKD does not decompose but that readers take for a plain Latin letter. */
static const char *latin_extra(int32_t cp)
{
	switch (cp) {
	case 0xD8: case 0xF8: return "o";          /* Ø ø */
	case 0xC6: case 0xE6: return "ae";         /* Æ æ */
	case 0x152: case 0x153: return "oe";       /* Œ œ */
	case 0x141: case 0x142: return "l";        /* Ł ł */
	case 0x110: case 0x111: return "d";        /* Đ đ */
	case 0xD0: case 0xF0: return "d";          /* Ð ð */
	case 0xDE: case 0xFE: return "th";         /* Þ þ */
	case 0x131: return "i";                    /* dotless ı */
	case 0xDF: case 0x1E9E: return "ss";       /* ß ẞ */
	case 0x166: case 0x167: return "t";        /* Ŧ ŧ */
	case 0x126: case 0x127: return "h";        /* Ħ ħ */
	case 0x138: return "k";                    /* ĸ */
	default: return NULL;
	}
}

static int is_apostrophe(int32_t cp)
{
	return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC ||
	       cp == 0x02B9 || cp == 0xB4 || cp == 0x2032;
}

/* One code point after decomposition. */
static void f_final(struct folder *f, int32_t d)
{
	const char *x;

	if (d < 0x80) {
		char c = (char)d;
		if (wn_isalnum(d)) {
			c = (char)wn_tolower(d);
			f_put(f, &c, 1);
		} else if (!is_apostrophe(d)) {
			f_sep(f);
		}
		return;
	}
	if (is_apostrophe(d))
		return;
	if ((x = latin_extra(d)) != NULL) {
		f_put(f, x, strlen(x));
		return;
	}
	if (d >= 0x391 && d <= 0x3A9 && d != 0x3A2)
		d += 0x20; /* capital Greek left by case folding of a decomposed form */
	if (d >= 0x3B1 && d <= 0x3C9) {
		x = greek_names[d - 0x3B1];
		f_put(f, x, strlen(x));
		return;
	}
	switch (utf8proc_category(d)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: {
		char enc[4];
		size_t k = wn_utf8_encode((uint32_t)d, enc);
		if (k)
			f_put(f, enc, k);
		else
			f_sep(f);
		return;
	}
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return;
	default:
		f_sep(f);
	}
}

static void f_codepoint(struct folder *f, int32_t cp)
{
	utf8proc_int32_t dst[32];
	utf8proc_ssize_t k, i;
	int bc = 0;
	const char *x;

	if (cp < 0x80) {
		f_final(f, cp);
		return;
	}
	if (cp == 0x2122 || cp == 0x2120 || cp == 0xAE || cp == 0xA9) {
		f_sep(f); /* trade marks: NFKD would spell out "TM" */
		return;
	}
	if ((x = latin_extra(cp)) != NULL) {
		f_put(f, x, strlen(x));
		return;
	}
	k = utf8proc_decompose_char(cp, dst, 32, (utf8proc_option_t)(UTF8PROC_DECOMPOSE |
				    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
				    UTF8PROC_IGNORE), &bc);
	if (k < 0 || k > 32) {
		f_sep(f);
		return;
	}
	for (i = 0; i < k; i++)
		f_final(f, dst[i]);
}

int wn_norm_first_letter(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t adv;
		int32_t cp = wn_utf8_decode(s + i, n - i, &adv);
		utf8proc_int32_t dst[32];
		utf8proc_ssize_t k, j;
		int bc = 0;
		const char *x;

		i += adv;
		if (cp < 0)
			continue;
		if (cp < 0x80) {
			if (wn_isalnum(cp))
				return wn_tolower(cp);
			continue;
		}
		if ((x = latin_extra(cp)) != NULL)
			return (unsigned char)x[0];
		k = utf8proc_decompose_char(cp, dst, 32, (utf8proc_option_t)(UTF8PROC_DECOMPOSE |
					    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK), &bc);
		for (j = 0; j < k && j < 32; j++) {
			if (dst[j] < 0x80 && wn_isalnum(dst[j]))
				return wn_tolower(dst[j]);
			if (dst[j] >= 0x80 && utf8proc_category(dst[j]) >= UTF8PROC_CATEGORY_LU &&
			    utf8proc_category(dst[j]) <= UTF8PROC_CATEGORY_LO) {
				char enc[4];
				return wn_utf8_encode((uint32_t)dst[j], enc) ? (unsigned char)enc[0] : 0;
			}
		}
	}
	return 0;
}

/* What the ASCII fast path of wn_norm_fold does with each byte below 0x80: a letter or
 * digit is written (as this lower-case byte), an apostrophe or backtick left out (it
 * joins: "women's"), '&' and '<' end the fast path (an entity, a tag), anything else
 * separates words. */
enum { AF_SEP = 0, AF_SKIP = 1, AF_STOP = 2 };
#define AF(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : \
	       ((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9') ? (c) : \
	       (c) == '\'' || (c) == '`' ? AF_SKIP : (c) == '&' || (c) == '<' ? AF_STOP : AF_SEP)
#define AF8(c) AF(c), AF(c + 1), AF(c + 2), AF(c + 3), AF(c + 4), AF(c + 5), AF(c + 6), AF(c + 7)
static const unsigned char ascii_fold[128] = {
	AF8(0), AF8(8), AF8(16), AF8(24), AF8(32), AF8(40), AF8(48), AF8(56),
	AF8(64), AF8(72), AF8(80), AF8(88), AF8(96), AF8(104), AF8(112), AF8(120)
};
#undef AF8
#undef AF

int wn_norm_fold(struct wn_buf *out, const char *s, size_t n, unsigned flags,
		 struct wn_err *err)
{
	struct folder f;
	size_t i = 0;

	f.out = out;
	f.start = out->len;
	f.flags = flags;
	f.pending = 0;
	f.err = err;
	f.failed = 0;
	/* ASCII writes at most one byte per input byte (a separator replaces at least one
	 * input byte), so reserving n bytes lets the fast path store without checks */
	if (wn_buf_grow(out, n + 1, err) < 0)
		return -1;
	while (i < n && !f.failed) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80 && c != '&' && c != '<') {
			/* fast path: a run of ASCII, straight into the buffer. It writes at most
			 * one byte more than it reads (a separator due from before), and room for
			 * that is made once; the bytes go through a local pointer, as a store
			 * through out->data would make the compiler load out->len again after
			 * every byte (a char may alias anything). */
			char *o, *first;
			if (out->len + (n - i) + 2 > out->cap && wn_buf_grow(out, n - i + 1, err) < 0)
				return -1;
			o = out->data + out->len;
			first = out->data + f.start;
			for (;;) {
				unsigned v = ascii_fold[c];
				if (v > AF_STOP) {
					if (f.pending && !(flags & WN_FOLD_NOSPACE) && o > first)
						*o++ = ' ';
					f.pending = 0;
					*o++ = (char)v;
				} else if (v == AF_SEP) {
					f.pending = 1;
				}
				if (++i >= n)
					break;
				c = (unsigned char)s[i];
				if (c >= 0x80 || ascii_fold[c] == AF_STOP)
					break;
			}
			out->len = (size_t)(o - out->data);
			continue;
		}
		if (c == '&') {
			size_t adv;
			int32_t second, cp = wn_norm_entity(s + i, n - i, &adv, &second);
			if (cp >= 0) {
				f_codepoint(&f, cp);
				if (second >= 0)
					f_codepoint(&f, second);
				i += adv;
			} else {
				f_sep(&f);
				i++;
			}
			continue;
		}
		if (c == '<') {
			int separates = 0;
			size_t len = tag_length(s + i, n - i, &separates);
			if (len) {
				if (separates)
					f_sep(&f);
				i += len;
			} else {
				f_sep(&f);
				i++;
			}
			continue;
		}
		{
			size_t adv;
			int32_t cp = wn_utf8_decode(s + i, n - i, &adv);
			if (cp < 0)
				f_sep(&f);
			else
				f_codepoint(&f, cp);
			i += adv;
		}
	}
	if (f.failed)
		return -1;
	out->data[out->len] = '\0';
	return 0;
}

/* ---------------------------------------------------------------- title: raw layer */

struct marker {
	const char *text;   /* lower-case ASCII prefix */
	unsigned flag;
	int need;           /* 0: any word boundary; 1: must be followed by ':'; 2: by ':' or end */
};

static const struct marker leading_markers[] = {
	{ "erratum to", WN_TITLE_ERRATUM, 0 }, { "erratum for", WN_TITLE_ERRATUM, 0 },
	{ "erratum in", WN_TITLE_ERRATUM, 0 }, { "erratum", WN_TITLE_ERRATUM, 2 },
	{ "errata", WN_TITLE_ERRATUM, 2 }, { "corrigendum to", WN_TITLE_ERRATUM, 0 },
	{ "corrigendum", WN_TITLE_ERRATUM, 2 }, { "correction to", WN_TITLE_ERRATUM, 0 },
	{ "correction for", WN_TITLE_ERRATUM, 0 }, { "correction", WN_TITLE_ERRATUM, 1 },
	{ "author correction", WN_TITLE_ERRATUM, 1 }, { "publisher correction", WN_TITLE_ERRATUM, 1 },
	{ "notice of retraction", WN_TITLE_NOTICE, 0 }, { "retraction note to", WN_TITLE_NOTICE, 0 },
	{ "retraction note", WN_TITLE_NOTICE, 2 }, { "retraction notice to", WN_TITLE_NOTICE, 0 },
	{ "retraction notice", WN_TITLE_NOTICE, 2 }, { "retraction of", WN_TITLE_NOTICE, 0 },
	{ "retraction statement", WN_TITLE_NOTICE, 2 }, { "retraction", WN_TITLE_NOTICE, 2 },
	{ "statement of retraction", WN_TITLE_NOTICE, 2 },
	{ "editorial expression of concern", WN_TITLE_NOTICE, 0 },
	{ "expression of concern", WN_TITLE_NOTICE, 0 },
	{ "retracted article", WN_TITLE_RETRACTED, 2 }, { "retracted", WN_TITLE_RETRACTED, 1 },
	{ "[retracted]", WN_TITLE_RETRACTED, 0 }, { "withdrawn", WN_TITLE_WITHDRAWN, 1 },
	{ "[withdrawn]", WN_TITLE_WITHDRAWN, 0 },
	{ "reply to", WN_TITLE_REPLY, 0 }, { "reply", WN_TITLE_REPLY, 1 },
	{ "in reply", WN_TITLE_REPLY, 0 }, { "authors reply", WN_TITLE_REPLY, 0 },
	{ "authors' reply", WN_TITLE_REPLY, 0 }, { "author's reply", WN_TITLE_REPLY, 0 },
	{ "author reply", WN_TITLE_REPLY, 0 }, { "the authors reply", WN_TITLE_REPLY, 0 },
	{ "the authors' reply", WN_TITLE_REPLY, 0 }, { "response to letter", WN_TITLE_REPLY, 0 },
	{ "response to the letter", WN_TITLE_REPLY, 0 }, { "response to comment", WN_TITLE_REPLY, 0 },
	{ "response to the comment", WN_TITLE_REPLY, 0 }, { "response to the editor", WN_TITLE_REPLY, 0 },
	{ "response to commentary", WN_TITLE_REPLY, 0 }, { "response to", WN_TITLE_REPLY, 1 },
	{ "response", WN_TITLE_REPLY, 1 }, { "author response", WN_TITLE_REPLY, 0 },
	{ "authors response", WN_TITLE_REPLY, 0 }, { "authors' response", WN_TITLE_REPLY, 0 },
	{ "comment on", WN_TITLE_COMMENT, 0 }, { "comments on", WN_TITLE_COMMENT, 0 },
	{ "commentary on", WN_TITLE_COMMENT, 0 }, { "comment", WN_TITLE_COMMENT, 1 },
	{ "commentary", WN_TITLE_COMMENT, 1 }, { "re", WN_TITLE_COMMENT, 1 },
	{ "editorial comment", 0, 1 }, { "editorial", 0, 1 },
	{ NULL, 0, 0 }
};

/* Parenthesised or bracketed notes at the end of a title that are not part of it. An
 * entry with a flag must be the whole note ("[Erratum]"); one without may start it
 * ("[Erratum appears in N Engl J Med. 2009 ...]" is MEDLINE's note on the article itself,
 * not an erratum). */
static const struct marker trailing_notes[] = {
	{ "retracted article", WN_TITLE_RETRACTED, 0 }, { "retracted", WN_TITLE_RETRACTED, 0 },
	{ "withdrawn", WN_TITLE_WITHDRAWN, 0 }, { "erratum", WN_TITLE_ERRATUM, 0 },
	{ "reply", WN_TITLE_REPLY, 0 }, { "authors reply", WN_TITLE_REPLY, 0 },
	{ "author reply", WN_TITLE_REPLY, 0 }, { "comment", WN_TITLE_COMMENT, 0 },
	{ "authors transl", 0, 0 }, { "author s transl", 0, 0 }, { "multiple letters", 0, 0 },
	{ "letter", 0, 0 }, { "editorial", 0, 0 }, { "review", 0, 0 }, { "abstract", 0, 0 },
	{ "reprint", 0, 0 }, { "see comments", 0, 0 }, { "published erratum appears", 0, 0 },
	{ "erratum appears", 0, 0 }, { "erratum in", 0, 0 }, { "comment in", 0, 0 },
	{ "retraction in", 0, 0 }, { "update in", 0, 0 }, { "summary for patients in", 0, 0 },
	{ "republished in", 0, 0 }, { "corrected and republished", 0, 0 },
	{ "english abstract", 0, 0 }, { "meeting abstract", 0, 0 }, { "corrected", 0, 0 },
	{ NULL, 0, 0 }
};

static const char *const languages[] = {
	"english", "german", "french", "spanish", "italian", "polish", "russian", "chinese",
	"japanese", "portuguese", "dutch", "czech", "hungarian", "turkish", "korean", "danish",
	"swedish", "norwegian", "finnish", "greek", "hebrew", "croatian", "serbian", "slovak",
	"slovenian", "romanian", "persian", "arabic", "ukrainian", "lithuanian", "bulgarian",
	"estonian", "latvian", "icelandic", "afrikaans", "catalan", "thai", "vietnamese",
	"indonesian", "malay", "bosnian", "macedonian", "albanian", NULL
};

static int match_word_list(const char *w, size_t n, const char *const *list)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; list[i]; i++)
		if (list[i][0] == w[0] && strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
			return 1;
	return 0;
}

/* Is s[0..n) a bracket's content of the form "Journal (2009) 360 (542-544)" - a year in
 * brackets, a volume, and a page range in brackets at the end? Embase adds the citation
 * of the corrected article to the title of an erratum in this form: "Eculizumab for aHUS
 * (New England Journal of Medicine (2009) 360 (542-544))". Raw text, no allocation. */
static int embase_erratum_citation(const char *s, size_t n)
{
	size_t i, close, open;
	int digits = 0;

	/* "(542-544)" or "(542)" at the end */
	while (n > 0 && wn_isspace((unsigned char)s[n - 1]))
		n--;
	if (n < 12 || s[n - 1] != ')')
		return 0;
	close = n - 1;
	for (open = close; open > 0 && s[open - 1] != '('; open--) {
		unsigned char c = (unsigned char)s[open - 1];
		if (wn_isdigit(c))
			digits++;
		else if (c != '-' && c != ' ' && !wn_isalpha(c))
			return 0; /* "e123", "S12-S14" pass; other text does not */
	}
	if (open == 0 || !digits)
		return 0;
	/* before it, somewhere: "(" four digits ")" - the year - after a name */
	for (i = 1; i + 6 <= open - 1; i++)
		if (s[i] == '(' && wn_isdigit((unsigned char)s[i + 1]) &&
		    wn_isdigit((unsigned char)s[i + 2]) && wn_isdigit((unsigned char)s[i + 3]) &&
		    wn_isdigit((unsigned char)s[i + 4]) && s[i + 5] == ')' &&
		    (s[i + 1] == '1' || s[i + 1] == '2'))
			return 1;
	return 0;
}

/* Is the folded note "vol 360 pg 542 2009" (Web of Science's title of a correction:
 * "Eculizumab for aHUS (vol 360, pg 542, 2009)")? */
static int wos_erratum_citation(const char *f, size_t n)
{
	const char *pg;

	if (n < 12 || memcmp(f, "vol ", 4) != 0)
		return 0;
	pg = strstr(f, " pg ");
	return pg != NULL && pg - f < 24 && wn_isdigit((unsigned char)pg[4]);
}

/* The content of a trailing bracket, folded, is a note we drop (returns 1 and may set a
 * flag). `square`: [..] (any short note, a language, a number) or (..) (known notes). */
static int droppable_note(const char *s, size_t n, int square, unsigned *flags)
{
	struct wn_buf b;
	const struct marker *m;
	int rc = 0;

	if (n > 400)
		return 0;
	if (!square && embase_erratum_citation(s, n)) {
		*flags |= WN_TITLE_ERRATUM;
		return 1;
	}
	wn_buf_init(&b, 4096);
	if (wn_norm_fold(&b, s, n, 0, NULL) < 0) {
		wn_buf_release(&b);
		return 0;
	}
	if (!square && wos_erratum_citation(b.data, b.len)) {
		*flags |= WN_TITLE_ERRATUM;
		wn_buf_release(&b);
		return 1;
	}
	for (m = trailing_notes; m->text; m++) {
		size_t k = strlen(m->text);
		if (b.len >= k && memcmp(b.data, m->text, k) == 0 &&
		    (m->flag ? b.len == k : (b.len == k || b.data[k] == ' '))) {
			*flags |= m->flag;
			rc = 1;
			break;
		}
	}
	if (!rc && n > 60) {
		wn_buf_release(&b);
		return 0;
	}
	if (!rc) {
		/* "[Polish]", "[Article in German]", "(Chinese)" */
		const char *w = b.data;
		size_t wl = b.len;
		if (wl > 11 && memcmp(w, "article in ", 11) == 0) {
			w += 11;
			wl -= 11;
		}
		if (match_word_list(w, wl, languages))
			rc = 1;
	}
	if (!rc) {
		/* "[33 refs]": MEDLINE's count of references */
		size_t k = 0;
		while (k < b.len && wn_isdigit((unsigned char)b.data[k]))
			k++;
		if (k > 0 && (strcmp(b.data + k, " refs") == 0 || strcmp(b.data + k, " ref") == 0 ||
			      strcmp(b.data + k, " references") == 0))
			rc = 1;
	}
	if (!rc && square) {
		/* Embase's "[1]" letter numbers, and other short bracketed notes */
		size_t k;
		int digits = b.len > 0;
		for (k = 0; k < b.len; k++)
			if (!wn_isdigit((unsigned char)b.data[k]))
				digits = 0;
		rc = digits || b.len == 0;
	}
	wn_buf_release(&b);
	return rc;
}

/* Subtitles that name the section of the journal, not the work: "...: Brief
 * communication" in one database is the same title without it in another. */
static const char *const section_labels[] = {
	"brief communication", "brief communications", "short communication",
	"rapid communication", "brief report", "short report", "research letter",
	"original article", "original research", "original contribution",
	"original investigation", "clinical investigation", "review article", NULL
};

/* The length of s without a trailing ": <section label>" (s itself when there is none). */
static size_t strip_section_label(const char *s, size_t n)
{
	struct wn_buf b;
	size_t colon = n, keep = n;

	while (colon > 0 && s[colon - 1] != ':' && n - colon < 40)
		colon--;
	if (colon < 2 || s[colon - 1] != ':')
		return n;
	wn_buf_init(&b, 256);
	if (wn_norm_fold(&b, s + colon, n - colon, 0, NULL) == 0 &&
	    match_word_list(b.data, b.len, section_labels))
		keep = colon - 1;
	wn_buf_release(&b);
	return keep;
}

/* Where the first bracket that is never closed opens, or (size_t)-1: a title cut short
 * inside a bracket ("Erratum: Title (The Journal of Pediatrics (M"). */
static size_t unclosed_paren(const char *s, size_t n)
{
	size_t i, first = (size_t)-1;
	int depth = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '(') {
			if (depth == 0)
				first = i;
			depth++;
		} else if (s[i] == ')' && depth > 0) {
			depth--;
		}
	}
	return depth > 0 ? first : (size_t)-1;
}

static int is_trim(char c)
{
	return wn_isspace((unsigned char)c) || c == '.' || c == ';' || c == ',';
}

/* Index of the bracket opening the one that closes at s[end-1], or (size_t)-1. */
static size_t matching_open(const char *s, size_t end, char open, char close)
{
	size_t i = end - 1;
	int depth = 0;

	for (;;) {
		if (s[i] == close)
			depth++;
		else if (s[i] == open && --depth == 0)
			return i;
		if (i == 0)
			return (size_t)-1;
		i--;
	}
}

/* Skip spaces, quotes and markup tags from pos on. */
static size_t skip_blank_and_tags(const char *s, size_t n, size_t pos)
{
	for (;;) {
		int sep;
		size_t len;
		while (pos < n && (wn_isspace((unsigned char)s[pos]) || s[pos] == '"'))
			pos++;
		if (pos < n && s[pos] == '<' && (len = tag_length(s + pos, n - pos, &sep)) > 0) {
			pos += len;
			continue;
		}
		return pos;
	}
}

/* Strip leading markers; returns the number of bytes to skip and sets flags. Markup
 * around a marker ("<i>Erratum:</i> ...") does not hide it. */
static size_t strip_leading(const char *s, size_t n, unsigned *flags)
{
	size_t pos = 0;
	int rounds;

	for (rounds = 0; rounds < 4; rounds++) {
		const struct marker *m;
		int hit = 0;

		pos = skip_blank_and_tags(s, n, pos);
		for (m = leading_markers; m->text; m++) {
			size_t k, j = 0, e = pos;
			int ok = 1;
			if (pos >= n || wn_tolower((unsigned char)s[pos]) != m->text[0])
				continue;
			k = strlen(m->text);
			for (j = 0; j < k && ok; j++) {
				char want = m->text[j];
				if (e >= n) {
					ok = 0;
				} else if (want == '\'' && n - e >= 3 && (unsigned char)s[e] == 0xE2 &&
					   (unsigned char)s[e + 1] == 0x80 && (unsigned char)s[e + 2] == 0x99) {
					e += 3; /* a curly apostrophe (U+2019), as in "Authors' reply" */
				} else if ((char)wn_tolower((unsigned char)s[e]) == want) {
					e++;
				} else {
					ok = 0;
				}
			}
			if (!ok)
				continue;
			if (e < n && wn_isalnum((unsigned char)s[e]))
				continue; /* "Responses", "Erratums": not the marker */
			j = skip_blank_and_tags(s, n, e); /* "<i>Erratum</i>: ..." */
			if (m->need == 1 && !(j < n && (s[j] == ':' || s[j] == '-' || s[j] == '.')))
				continue;
			if (m->need == 2 && !(j >= n || s[j] == ':' || s[j] == '-' || s[j] == '.'))
				continue;
			*flags |= m->flag;
			while (j < n && (s[j] == ':' || s[j] == '-' || s[j] == '.' || s[j] == ' ' || s[j] == '"'))
				j = skip_blank_and_tags(s, n, j + 1);
			pos = j;
			hit = 1;
			break;
		}
		if (!hit)
			break;
	}
	return pos;
}

/* ---------------------------------------------------------------- title: word layer */

struct span {
	const char *p;
	size_t n;
};

static int word_is(struct span w, const char *lit)
{
	size_t k;

	if (w.n == 0 || w.p[0] != lit[0])
		return 0; /* most words differ in the first letter: no strlen */
	k = strlen(lit);
	return w.n == k && memcmp(w.p, lit, k) == 0;
}

static int roman_value(struct span w)
{
	static const char *const romans[] = {
		"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
		"xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx", NULL
	};
	int i;

	if (w.n == 0 || w.n > 5 || (w.p[0] != 'i' && w.p[0] != 'v' && w.p[0] != 'x'))
		return 0;
	for (i = 0; romans[i]; i++)
		if (word_is(w, romans[i]))
			return i + 1;
	return 0;
}

static int number_word(struct span w)
{
	static const char *const nums[] = {
		"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", NULL
	};
	int i;

	if (w.n < 3 || w.n > 5 || !strchr("otfsen", w.p[0]))
		return 0;
	for (i = 0; nums[i]; i++)
		if (word_is(w, nums[i]))
			return i + 1;
	return 0;
}

static int roman_trigger(struct span w)
{
	static const char *const trig[] = {
		"part", "phase", "type", "grade", "stage", "class", "study", "trial", "section",
		"chapter", "series", "volume", "pt", "group", "level", "degree", "factor", NULL
	};
	return match_word_list(w.p, w.n, trig);
}

struct word_group {
	const char *word;
	unsigned char len;
	unsigned bit;
};

/* Sorted by word (binary search: every title word is looked up). */
static const struct word_group word_groups[] = {
	{ "adolescent", 10, WN_TW_CHILD }, { "adolescents", 11, WN_TW_CHILD },
	{ "adult", 5, WN_TW_ADULT }, { "adults", 6, WN_TW_ADULT }, { "boys", 4, WN_TW_MALE },
	{ "child", 5, WN_TW_CHILD }, { "childhood", 9, WN_TW_CHILD },
	{ "children", 8, WN_TW_CHILD }, { "elderly", 7, WN_TW_ADULT },
	{ "extension", 9, WN_TW_FOLLOWUP }, { "fathers", 7, WN_TW_MALE },
	{ "female", 6, WN_TW_FEMALE }, { "females", 7, WN_TW_FEMALE },
	{ "followup", 8, WN_TW_FOLLOWUP }, { "girls", 5, WN_TW_FEMALE },
	{ "infant", 6, WN_TW_CHILD }, { "infants", 7, WN_TW_CHILD },
	{ "interim", 7, WN_TW_INTERIM }, { "male", 4, WN_TW_MALE }, { "males", 5, WN_TW_MALE },
	{ "men", 3, WN_TW_MALE }, { "mice", 4, WN_TW_MOUSE }, { "mothers", 7, WN_TW_FEMALE },
	{ "mouse", 5, WN_TW_MOUSE }, { "murine", 6, WN_TW_MOUSE }, { "neonatal", 8, WN_TW_CHILD },
	{ "neonates", 8, WN_TW_CHILD }, { "newborns", 8, WN_TW_CHILD },
	{ "paediatric", 10, WN_TW_CHILD }, { "pediatric", 9, WN_TW_CHILD },
	{ "preliminary", 11, WN_TW_INTERIM }, { "protocol", 8, WN_TW_PROTOCOL },
	{ "rat", 3, WN_TW_RAT }, { "rationale", 9, WN_TW_PROTOCOL }, { "rats", 4, WN_TW_RAT },
	{ "subanalysis", 11, WN_TW_SECONDARY }, { "substudy", 8, WN_TW_SECONDARY },
	{ "toddlers", 8, WN_TW_CHILD }, { "update", 6, WN_TW_UPDATE },
	{ "updated", 7, WN_TW_UPDATE }, { "vitro", 5, WN_TW_VITRO }, { "vivo", 4, WN_TW_VIVO },
	{ "woman", 5, WN_TW_FEMALE }, { "women", 5, WN_TW_FEMALE },
};

#define N_WORD_GROUPS (sizeof(word_groups) / sizeof(word_groups[0]))

/* The lengths of word_groups[]' words, a bit per length, by first letter: most title
 * words have no (first letter, length) in common with any of them and are turned away
 * before the search (every title word is looked up, a stray plural twice). Kept by hand
 * next to the table; a unit test looks every word of the table up through it. */
#define L(n) (1u << (n))
static const uint16_t word_group_lengths[26] = {
	['a' - 'a'] = L(5) | L(6) | L(10) | L(11),
	['b' - 'a'] = L(4),
	['c' - 'a'] = L(5) | L(8) | L(9),
	['e' - 'a'] = L(7) | L(9),
	['f' - 'a'] = L(6) | L(7) | L(8),
	['g' - 'a'] = L(5),
	['i' - 'a'] = L(6) | L(7),
	['m' - 'a'] = L(3) | L(4) | L(5) | L(6) | L(7),
	['n' - 'a'] = L(8),
	['p' - 'a'] = L(8) | L(9) | L(10) | L(11),
	['r' - 'a'] = L(3) | L(4) | L(9),
	['s' - 'a'] = L(8) | L(11),
	['t' - 'a'] = L(8),
	['u' - 'a'] = L(6) | L(7),
	['v' - 'a'] = L(4) | L(5),
	['w' - 'a'] = L(5),
};
#undef L

/* The WN_TW_* bit of a word, 0 if it is none of them. Binary search on the sorted table;
 * the first letter decides most steps without touching the rest of the strings. */
static unsigned word_group_search(struct span w)
{
	size_t lo = 0, hi = N_WORD_GROUPS;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2, k;
		const char *lit = word_groups[mid].word;
		int c = (unsigned char)w.p[0] - (unsigned char)lit[0];
		if (c == 0) {
			k = word_groups[mid].len;
			c = memcmp(w.p, lit, w.n < k ? w.n : k);
			if (c == 0)
				c = w.n < k ? -1 : w.n > k;
		}
		if (c == 0)
			return word_groups[mid].bit;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* The same, with the quick rejection in front (small, so it is inlined where the title
 * words are read: a rejected word costs no call). */
static inline unsigned word_group_of(struct span w)
{
	unsigned letter;

	if (w.n < 3 || w.n > 11)
		return 0; /* the table's words have 3 to 11 letters */
	letter = (unsigned)(unsigned char)w.p[0] - 'a';
	if (letter >= 26 || !(word_group_lengths[letter] >> w.n & 1))
		return 0;
	return word_group_search(w);
}

unsigned wn_title_word_group(const char *w, size_t n)
{
	struct span s = { w, n };

	return word_group_of(s);
}

const char *wn_title_group_word(size_t i, unsigned *bit)
{
	if (i >= N_WORD_GROUPS)
		return NULL;
	if (bit)
		*bit = word_groups[i].bit;
	return word_groups[i].word;
}

static const char *const generic_titles[] = {
	"editorial", "introduction", "preface", "foreword", "commentary", "comment", "letter",
	"letter to the editor", "letters to the editor", "reply", "response", "correspondence",
	"erratum", "errata", "correction", "corrigendum", "news", "book review", "book reviews",
	"abstracts", "abstract", "index", "contents", "table of contents", "in this issue",
	"announcements", "obituary", "acknowledgments", "acknowledgements", "acknowledgment",
	"acknowledgement", "reviewers", "conclusion", "conclusions", "discussion", "summary",
	"overview", "highlights", "guest editorial", "editorial comment", "editors note",
	"invited commentary", "meeting abstracts", "poster abstracts", "oral presentations",
	"case report", "case reports", "untitled", "no title", "title not available", NULL
};

#define MAX_WORDS 400

/* Thousands written with a space or comma ("10 000", "10,000", both folded to "10 000")
 * become one number, in place: "10000". */
static void join_thousands(struct wn_buf *f)
{
	size_t i, o = 0, word_start = 0;
	int prev_joinable = 0; /* the word before the current space is all digits, <= 3 or joined */
	const char *p = f->data, *e = f->data + f->len, *q;

	/* a space is dropped only between two digits: most titles have no such space, and
	 * are left as they are without being copied onto themselves */
	for (;;) {
		q = memchr(p, ' ', (size_t)(e - p));
		if (!q)
			return;
		if (q > f->data && q + 1 < e && wn_isdigit((unsigned char)q[-1]) &&
		    wn_isdigit((unsigned char)q[1]))
			break;
		p = q + 1;
	}
	for (i = 0; i < f->len; i++) {
		char c = f->data[i];
		if (c == ' ') {
			size_t k, wl = o - word_start, nl = 0;
			int digits = wl > 0;
			for (k = word_start; k < o; k++)
				if (!wn_isdigit((unsigned char)f->data[k]))
					digits = 0;
			if (digits && (wl <= 3 || prev_joinable)) {
				for (k = i + 1; k < f->len && f->data[k] != ' '; k++) {
					if (!wn_isdigit((unsigned char)f->data[k]))
						break;
					nl++;
				}
				if (nl == 3 && (k == f->len || f->data[k] == ' ')) {
					prev_joinable = 1;
					continue; /* drop the space: the next group extends this number */
				}
			}
			prev_joinable = 0;
			f->data[o++] = c;
			word_start = o;
			continue;
		}
		f->data[o++] = c;
	}
	f->len = o;
	f->data[o] = '\0';
}

/* Letters of the main title - the text before the first ":" or "?", normalised as a
 * title of its own - when the title has a subtitle; else 0. (The main title normalised
 * alone: markers, brackets and numbers are treated as in any title.) It is normalised
 * into m, the caller's output buffer, before the whole title is: no buffer of its own
 * per title. */
static int main_title_letters(struct wn_buf *m, const char *s, size_t n, size_t *letters,
			      struct wn_err *err)
{
	struct wn_title_info mi;
	size_t i, k;

	*letters = 0;
	{
		/* the first ":" or "?" (memchr twice: most titles have neither) */
		const char *colon = memchr(s, ':', n);
		const char *quest = memchr(s, '?', colon ? (size_t)(colon - s) : n);
		i = quest ? (size_t)(quest - s) : colon ? (size_t)(colon - s) : n;
	}
	if (i == 0 || i + 1 >= n)
		return 0;
	/* s[0, i) has no ":" or "?": this call does not come back here */
	if (wn_norm_title(m, s, i, &mi, err) < 0)
		return -1;
	for (k = 0; k < m->len; k++)
		if (m->data[k] != ' ')
			(*letters)++;
	return 0;
}

int wn_norm_title(struct wn_buf *out, const char *s, size_t n, struct wn_title_info *info,
		  struct wn_err *err)
{
	struct span words[MAX_WORDS];
	struct span prev = { "", 0 }; /* the word written last */
	char *copy = NULL;
	size_t nw = 0, i, start, grow;
	int rounds, rc = -1;

	memset(info, 0, sizeof(*info));
	if (main_title_letters(out, s, n, &info->main_len, err) < 0) {
		wn_buf_reset(out);
		return -1;
	}
	wn_buf_reset(out);

	/* raw layer: trailing notes and brackets, then leading markers */
	for (rounds = 0; rounds < 8 && n > 0; rounds++) {
		size_t open;
		while (n > 0 && is_trim(s[n - 1]))
			n--;
		while (n > 0 && wn_isspace((unsigned char)s[0])) {
			s++;
			n--;
		}
		if (n < 2)
			break;
		if (s[n - 1] == ']' && (open = matching_open(s, n, '[', ']')) != (size_t)-1) {
			if (open == 0) {
				/* MEDLINE's [translated title] */
				info->flags |= WN_TITLE_TRANSLATED;
				s++;
				n -= 2;
				continue;
			}
			if (droppable_note(s + open + 1, n - open - 2, 1, &info->flags)) {
				n = open;
				continue;
			}
			break;
		}
		if (s[n - 1] == ')' && (open = matching_open(s, n, '(', ')')) != (size_t)-1 && open > 0 &&
		    droppable_note(s + open + 1, n - open - 2, 0, &info->flags)) {
			n = open;
			continue;
		}
		if ((open = strip_section_label(s, n)) < n) {
			n = open;
			continue;
		}
		break;
	}
	start = strip_leading(s, n, &info->flags);
	s += start;
	n -= start;
	/* an erratum whose title was cut short inside the citation of the corrected article
	 * ("Erratum: Title (The Journal of Pediatrics (M"): the unclosed bracket is no title
	 * (only in its second half, so a cut that leaves little of the title is left alone) */
	if (info->flags & WN_TITLE_ERRATUM) {
		size_t open = unclosed_paren(s, n);
		if (open != (size_t)-1 && open > n / 2)
			n = open;
	}
	/* "[Title]" again after a marker: "Retracted: [Title]" */
	while (n > 0 && is_trim(s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']' && matching_open(s, n, '[', ']') == 0) {
		info->flags |= WN_TITLE_TRANSLATED;
		s++;
		n -= 2;
	}

	/* word layer: folded into out, then rewritten there word by word: a word dropped
	 * or a numeral written in digits only shrinks the text, so the writing stays
	 * behind the reading (no second buffer per title) */
	if (wn_norm_fold(out, s, n, 0, err) < 0)
		goto done;
	join_thousands(out);
	{
		const char *p = out->data, *e = out->data + out->len;
		while (p < e && nw < MAX_WORDS) {
			const char *q = memchr(p, ' ', (size_t)(e - p));
			if (!q)
				q = e;
			words[nw].p = p;
			words[nw].n = (size_t)(q - p);
			nw++;
			p = q + 1;
		}
		if (p < e && nw == MAX_WORDS)
			words[nw - 1].n = (size_t)(e - words[nw - 1].p); /* keep the rest as one */
	}
	/* the one numeral that grows: "x" after "part", "type" ... becomes "10"; then the
	 * words are read from a copy (rare), and out gets a byte more for each */
	for (i = 1, grow = 0; i < nw; i++)
		if (words[i].n == 1 && words[i].p[0] == 'x' && roman_trigger(words[i - 1]))
			grow++;
	if (grow) {
		size_t k;
		if (!(copy = wn_malloc(out->len + 1))) {
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto done;
		}
		memcpy(copy, out->data, out->len + 1);
		for (k = 0; k < nw; k++)
			words[k].p = copy + (words[k].p - out->data);
		if (wn_buf_grow(out, grow + 1, err) < 0)
			goto done;
	}
	out->len = 0;
	/* the last word "reply" marks a reply ("...: the authors reply") */
	if (nw >= 2 && word_is(words[nw - 1], "reply"))
		info->flags |= WN_TITLE_REPLY;
	i = 0;
	if (nw > 1 && (word_is(words[0], "the") || word_is(words[0], "a") || word_is(words[0], "an")))
		i = 1;
	for (; i < nw; i++) {
		struct span w = words[i];
		char num[12];
		/* (out->len <= w.p - out->data: one space was dropped per word written, or a
		 * whole word skipped, and numerals shrink) */
		int v = 0;

		/* (the word before as written: its place in the text may be overwritten) */
		if (i > 0 && w.n <= 5 && (roman_value(w) || number_word(w)) && roman_trigger(prev)) {
			v = roman_value(w);
			if (!v && (word_is(prev, "part") || word_is(prev, "phase")))
				v = number_word(w);
			if (v) {
				snprintf(num, sizeof(num), "%d", v);
				w.p = num;
				w.n = strlen(num);
			}
		}
		info->words |= word_group_of(w);
		if (w.n > 3 && w.p[w.n - 1] == 's') {
			struct span ws = w;
			ws.n--; /* "womens", "adultss": a stray plural is the same word */
			info->words |= word_group_of(ws);
		}
		if (i + 1 < nw) {
			if (word_is(w, "follow") && word_is(words[i + 1], "up"))
				info->words |= WN_TW_FOLLOWUP;
			if ((word_is(w, "secondary") || word_is(w, "subgroup")) &&
			    (word_is(words[i + 1], "analysis") || word_is(words[i + 1], "analyses")))
				info->words |= WN_TW_SECONDARY;
			if (word_is(w, "post") && word_is(words[i + 1], "hoc"))
				info->words |= WN_TW_SECONDARY;
			if (word_is(w, "part") || word_is(w, "pt") || word_is(w, "phase")) {
				struct span nx = words[i + 1];
				unsigned pv = roman_value(nx) ? (unsigned)roman_value(nx) :
					      number_word(nx) ? (unsigned)number_word(nx) : 0;
				size_t k;
				for (k = 0; k < nx.n && k < 4 && wn_isdigit((unsigned char)nx.p[k]); k++)
					pv = (k ? pv * 10 : 0) + (unsigned)(nx.p[k] - '0');
				if (pv && w.p[1] == 'h') {
					if (!info->phase)
						info->phase = pv;
				} else if (pv) {
					info->words |= WN_TW_PART;
					if (!info->part)
						info->part = pv;
				}
			}
		}
		if (w.n > 0 && w.n <= 9) {
			size_t k;
			uint32_t val = 0;
			int digits = 1;
			for (k = 0; k < w.n; k++) {
				if (!wn_isdigit((unsigned char)w.p[k])) {
					digits = 0;
					break;
				}
				val = val * 10 + (uint32_t)(w.p[k] - '0');
			}
			if (digits) {
				if (info->nnums < WN_TITLE_MAX_NUMS)
					info->nums[info->nnums] = val;
				info->nnums++;
				/* all of them, however many: "part 2" may be the tenth number */
				info->numsig |= (uint64_t)1 << (((uint64_t)val * 0x9E3779B97F4A7C15ULL) >> 58);
			}
		}
		if (out->len)
			out->data[out->len++] = ' ';
		memmove(out->data + out->len, w.p, w.n);
		prev.p = out->data + out->len;
		prev.n = w.n;
		out->len += w.n;
		info->nwords++;
	}
	out->data[out->len] = '\0';
	if (info->nnums > WN_TITLE_MAX_NUMS)
		info->nnums = WN_TITLE_MAX_NUMS;
	if (info->nwords <= 1 || match_word_list(out->data, out->len, generic_titles))
		info->flags |= WN_TITLE_GENERIC;
	rc = 0;
done:
	wn_free(copy);
	if (rc < 0)
		wn_buf_reset(out);
	return rc;
}

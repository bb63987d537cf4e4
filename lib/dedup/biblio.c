/*
 * biblio.c - DOIs, pages, ISSN/ISBN, numbers, author and journal names (see biblio.h).
 *
 * The parsers are small hand-written scanners rather than regular expressions: they run
 * once per field of every record (a million records is normal), must never allocate on
 * the hot path, and each rule is easier to test and to explain on its own.
 */
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/biblio.h"
#include "winnow/normalize.h"

/* ---------------------------------------------------------------- DOIs */

static int hexval(int c)
{
	if (wn_isdigit(c))
		return c - '0';
	c = wn_tolower(c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* The DOI ends before these. Everything else printable may be part of one (SICI DOIs
 * hold "<", ">", ";" and "#"). */
static int doi_stop(unsigned char c)
{
	return c <= ' ' || c == '"' || c == ',' || c == 0x7F;
}

/* Trailing characters that are punctuation around a DOI, not part of it. */
static size_t doi_trim(const char *d, size_t n)
{
	for (;;) {
		char c;
		if (n >= 5 && (memcmp(d + n - 5, "[doi]", 5) == 0 || memcmp(d + n - 5, "[pii]", 5) == 0)) {
			n -= 5;
			continue;
		}
		if (n == 0)
			return 0;
		c = d[n - 1];
		if (c == '.' || c == ';' || c == ':' || c == '\'' || c == '/' || c == '}') {
			n--;
			continue;
		}
		if (c == ')' || c == ']' || c == '>') {
			char open = c == ')' ? '(' : c == ']' ? '[' : '<';
			size_t k;
			int depth = 0;
			for (k = 0; k < n; k++) {
				if (d[k] == open)
					depth++;
				else if (d[k] == c)
					depth--;
			}
			if (depth < 0) {
				n--;
				continue;
			}
		}
		return n;
	}
}

/* PLoS component DOIs (figures, tables, supporting files) name the article DOI plus a
 * suffix: "10.1371/journal.pone.0012345.g001" is part of "...0012345". */
static size_t doi_component(const char *d, size_t n)
{
	size_t k, digits = 0;

	if (n < 14 || memcmp(d, "10.1371/", 8) != 0)
		return n;
	k = n;
	while (k > 0 && wn_isdigit((unsigned char)d[k - 1])) {
		k--;
		digits++;
	}
	if (digits < 3 || digits > 4 || k < 3)
		return n;
	if (d[k - 1] == 'g' || d[k - 1] == 't' || d[k - 1] == 's' || d[k - 1] == 'e') {
		size_t dot = k - 1;
		if (dot > 0 && d[dot - 1] == 'd' && d[k - 1] == 's') /* ".sd001" */
			dot--;
		if (dot > 0 && d[dot - 1] == '.')
			return dot - 1;
	}
	return n;
}

static int doi_seen(const struct wn_buf *out, const char *d, size_t n)
{
	const char *p = out->data, *e = out->data + out->len;

	while (p < e) {
		const char *q = memchr(p, '\n', (size_t)(e - p));
		if (!q)
			q = e;
		if ((size_t)(q - p) == n && memcmp(p, d, n) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

int wn_doi_extract(struct wn_buf *out, const char *s, size_t n, struct wn_err *err)
{
	/* A DOI field, or a URL, is short; the first 4 KiB decoded are plenty (a longer field
	 * is a list of cited references, which we do not want anyway). */
	char tmp[4096];
	size_t tn = 0, i = 0, j;
	int found = 0;

	while (i < n && tn < sizeof(tmp)) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			tmp[tn++] = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
			i += 3;
		} else if (c == '&' && n - i >= 4 && memcmp(s + i, "&lt;", 4) == 0) {
			tmp[tn++] = '<';
			i += 4;
		} else if (c == '&' && n - i >= 4 && memcmp(s + i, "&gt;", 4) == 0) {
			tmp[tn++] = '>';
			i += 4;
		} else if (c == '&' && n - i >= 5 && memcmp(s + i, "&amp;", 5) == 0) {
			tmp[tn++] = '&';
			i += 5;
		} else {
			tmp[tn++] = (char)c;
			i++;
		}
	}
	for (j = 0; j + 3 < tn; j++) {
		size_t k, digits = 0, start, len, m;
		char doi[WN_DOI_MAX + 1];
		const char *slash;

		if (tmp[j] != '1' || tmp[j + 1] != '0' || tmp[j + 2] != '.')
			continue;
		if (j > 0 && wn_isalnum((unsigned char)tmp[j - 1]))
			continue;
		for (k = j + 3; k < tn && wn_isdigit((unsigned char)tmp[k]); k++)
			digits++;
		/* registrant codes may have sub-codes: 10.1000.10/123 */
		while (k + 1 < tn && tmp[k] == '.' && wn_isdigit((unsigned char)tmp[k + 1])) {
			k++;
			while (k < tn && wn_isdigit((unsigned char)tmp[k]))
				k++;
		}
		if (digits < 4 || digits > 9 || k >= tn || tmp[k] != '/')
			continue;
		start = j;
		k++;
		while (k < tn && !doi_stop((unsigned char)tmp[k]))
			k++;
		len = k - start;
		j = k;
		if (len > WN_DOI_MAX)
			continue;
		for (m = 0; m < len; m++)
			doi[m] = (char)wn_tolower((unsigned char)tmp[start + m]);
		len = doi_trim(doi, len);
		len = doi_component(doi, len);
		/* the suffix after the slash must not be empty */
		slash = memchr(doi, '/', len);
		if (!slash || (size_t)(slash - doi) + 1 >= len)
			continue;
		if (doi_seen(out, doi, len))
			continue;
		if (wn_buf_add(out, doi, len, err) < 0 || wn_buf_addc(out, '\n', err) < 0)
			return -1;
		found++;
	}
	return found;
}

int wn_doi_cochrane(const char *doi, size_t n, uint32_t *review, unsigned *version)
{
	static const char prefix[] = "10.1002/14651858.cd";
	size_t k = sizeof(prefix) - 1, i;
	uint32_t r = 0;
	unsigned v = 1;

	if (n <= k || memcmp(doi, prefix, k) != 0)
		return 0;
	for (i = k; i < n && wn_isdigit((unsigned char)doi[i]) && i < k + 9; i++)
		r = r * 10 + (uint32_t)(doi[i] - '0');
	if (i == k)
		return 0;
	if (i + 4 < n && memcmp(doi + i, ".pub", 4) == 0) {
		unsigned x = 0;
		size_t j;
		for (j = i + 4; j < n && wn_isdigit((unsigned char)doi[j]) && j < i + 8; j++)
			x = x * 10 + (unsigned)(doi[j] - '0');
		if (j > i + 4)
			v = x;
	}
	*review = r;
	*version = v;
	return 1;
}

/* ---------------------------------------------------------------- pages */

static int roman_digit(int c)
{
	switch (wn_tolower(c)) {
	case 'i': return 1;
	case 'v': return 5;
	case 'x': return 10;
	case 'l': return 50;
	case 'c': return 100;
	case 'd': return 500;
	case 'm': return 1000;
	default: return 0;
	}
}

/* Value of a Roman numeral s[0..n), 0 if it is not one. */
static uint32_t roman_number(const char *s, size_t n)
{
	uint32_t v = 0;
	size_t i;

	if (n == 0 || n > 12)
		return 0;
	for (i = 0; i < n; i++) {
		int a = roman_digit((unsigned char)s[i]);
		int b = i + 1 < n ? roman_digit((unsigned char)s[i + 1]) : 0;
		if (!a)
			return 0;
		if (a < b)
			v -= (uint32_t)a;
		else
			v += (uint32_t)a;
	}
	return (int32_t)v > 0 ? v : 0;
}

static int has_month(const char *s, size_t n)
{
	static const char *const months[] = {
		"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct",
		"nov", "dec", NULL
	};
	size_t i = 0;

	while (i < n) {
		size_t j = i, k;
		while (j < n && wn_isalpha((unsigned char)s[j]))
			j++;
		if (j > i) {
			char w[16];
			size_t len = j - i;
			if (len >= 3 && len < sizeof(w)) {
				for (k = 0; k < len; k++)
					w[k] = (char)wn_tolower((unsigned char)s[i + k]);
				w[len] = '\0';
				for (k = 0; months[k]; k++)
					if (strncmp(w, months[k], strlen(months[k])) == 0 &&
					    (len == strlen(months[k]) || len >= 4))
						return 1;
			}
			i = j;
		} else {
			i++;
		}
	}
	return 0;
}

/* Strip a leading "pp.", "p.", "pages", "ARTN", "UNSP", "Article number" ... */
static size_t skip_page_words(const char *s, size_t n)
{
	static const char *const words[] = {
		"article number", "article no", "art no", "article", "artn", "unsp", "pages",
		"page", "pp", "p", "no", NULL
	};
	size_t i = 0;
	int again = 1;

	while (again) {
		size_t k;
		again = 0;
		while (i < n && (wn_isspace((unsigned char)s[i]) || s[i] == '.' || s[i] == ':' || s[i] == '#'))
			i++;
		for (k = 0; words[k]; k++) {
			size_t len = strlen(words[k]), m;
			int ok = 1;
			if (n - i < len + 1)
				continue;
			for (m = 0; m < len && ok; m++) {
				char c = (char)wn_tolower((unsigned char)s[i + m]);
				if (words[k][m] == ' ') {
					if (!(c == ' ' || c == '.'))
						ok = 0;
				} else if (c != words[k][m]) {
					ok = 0;
				}
			}
			/* the word must end here: "p.123", "pp 12", "ARTN e12" - not "pe123" */
			if (ok && (s[i + len] == '.' || s[i + len] == ' ' || s[i + len] == ':')) {
				i += len;
				again = 1;
				break;
			}
		}
	}
	return i;
}

struct page_tok {
	char letters[4];
	size_t nletters;
	uint32_t value;
	size_t ndigits;
	int roman;
};

/* One page token at s[*i]: up to 3 letters, then digits (or a Roman numeral). */
static int page_token(const char *s, size_t n, size_t *i, struct page_tok *t)
{
	size_t j = *i, k;

	memset(t, 0, sizeof(*t));
	k = j;
	while (k < n && wn_isalpha((unsigned char)s[k]))
		k++;
	if (k > j && (k >= n || !wn_isdigit((unsigned char)s[k]))) {
		uint32_t r = roman_number(s + j, k - j);
		if (r) {
			t->value = r;
			t->roman = 1;
			t->ndigits = k - j;
			*i = k;
			return 1;
		}
		return 0;
	}
	if (k - j > 3)
		return 0;
	for (; j < k; j++)
		t->letters[t->nletters++] = (char)wn_tolower((unsigned char)s[j]);
	while (j < n && wn_isdigit((unsigned char)s[j])) {
		if (t->ndigits < 9)
			t->value = t->value * 10 + (uint32_t)(s[j] - '0');
		t->ndigits++;
		j++;
	}
	if (t->ndigits == 0)
		return 0;
	if (t->ndigits > 9)
		return 0;
	while (j < n && wn_isalpha((unsigned char)s[j]))
		j++; /* "123a" */
	*i = j;
	return 1;
}

int wn_pages_parse(const char *s, size_t n, struct wn_pages *p)
{
	size_t i;
	struct page_tok a, b;

	memset(p, 0, sizeof(*p));
	if (n > 128)
		n = 128;
	if (has_month(s, n))
		return 0;
	i = skip_page_words(s, n);
	if (!page_token(s, n, &i, &a))
		return 0;
	if (a.value == 0 && !a.roman)
		return 0;
	p->start = a.value;
	p->roman = a.roman;
	memcpy(p->prefix, a.letters, a.nletters);
	/* separator: -, --, en/em dash, "to" */
	{
		size_t j = i;
		int sep = 0;
		while (j < n && s[j] == ' ')
			j++;
		while (j < n && s[j] == '-') {
			j++;
			sep = 1;
		}
		if (!sep && j + 2 < n && (unsigned char)s[j] == 0xE2 && (unsigned char)s[j + 1] == 0x80 &&
		    ((unsigned char)s[j + 2] >= 0x90 && (unsigned char)s[j + 2] <= 0x95)) {
			j += 3;
			sep = 1;
		}
		if (!sep && j + 2 < n && wn_tolower((unsigned char)s[j]) == 't' &&
		    wn_tolower((unsigned char)s[j + 1]) == 'o' && s[j + 2] == ' ') {
			j += 3;
			sep = 1;
		}
		while (j < n && s[j] == ' ')
			j++;
		if (sep && page_token(s, n, &j, &b) && b.roman == a.roman) {
			uint32_t end = b.value;
			if (!a.roman && b.ndigits < a.ndigits) {
				uint32_t scale = 1;
				size_t k;
				for (k = 0; k < b.ndigits; k++)
					scale *= 10;
				end = (a.value / scale) * scale + b.value;
			}
			/* an end before the start is a typo in one of them; kept, so that two
			 * records with the same end page can still be recognised */
			p->end = end;
		}
	}
	return 1;
}

/* ---------------------------------------------------------------- ISSN, ISBN, numbers */

size_t wn_issn_extract(const char *s, size_t n, uint32_t *out, size_t max)
{
	size_t i, count = 0;

	for (i = 0; i + 8 <= n && count < max; i++) {
		size_t j = i, k;
		uint32_t v = 0;
		int check;

		if (i > 0 && (wn_isdigit((unsigned char)s[i - 1]) || s[i - 1] == '-'))
			continue;
		for (k = 0; k < 4; k++, j++) {
			if (j >= n || !wn_isdigit((unsigned char)s[j]))
				break;
			v = v * 10 + (uint32_t)(s[j] - '0');
		}
		if (k < 4)
			continue;
		if (j < n && (s[j] == '-' || s[j] == ' '))
			j++;
		for (k = 0; k < 3; k++, j++) {
			if (j >= n || !wn_isdigit((unsigned char)s[j]))
				break;
			v = v * 10 + (uint32_t)(s[j] - '0');
		}
		if (k < 3 || j >= n)
			continue;
		if (wn_isdigit((unsigned char)s[j]))
			check = s[j] - '0';
		else if (s[j] == 'X' || s[j] == 'x')
			check = 10;
		else
			continue;
		j++;
		if (j < n && (wn_isalnum((unsigned char)s[j]) || s[j] == '-'))
			continue; /* part of a longer number (an ISBN) */
		{
			uint32_t packed = v * 11 + (uint32_t)check;
			size_t m;
			int dup = 0;
			for (m = 0; m < count; m++)
				if (out[m] == packed)
					dup = 1;
			if (!dup)
				out[count++] = packed;
		}
		i = j - 1;
	}
	return count;
}

size_t wn_isbn_extract(const char *s, size_t n, uint64_t *out, size_t max)
{
	size_t i = 0, count = 0;

	while (i < n && count < max) {
		char d[16];
		size_t nd = 0, j;

		if (!wn_isdigit((unsigned char)s[i]) || (i > 0 && wn_isalnum((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		for (j = i; j < n; j++) {
			char c = s[j];
			if (wn_isdigit((unsigned char)c) || ((c == 'X' || c == 'x') && nd == 9)) {
				if (nd < sizeof(d))
					d[nd] = (char)wn_toupper((unsigned char)c);
				nd++;
				if (c == 'X' || c == 'x') {
					j++;
					break;
				}
			} else if (c == '-' && j + 1 < n && wn_isalnum((unsigned char)s[j + 1])) {
				continue;
			} else {
				break;
			}
		}
		if (j < n && wn_isalnum((unsigned char)s[j]))
			nd = 0; /* glued to letters: not an ISBN */
		i = j;
		if (nd == 13 && d[0] == '9' && d[1] == '7' && (d[2] == '8' || d[2] == '9')) {
			uint64_t v = 0;
			size_t k;
			for (k = 3; k < 12; k++)
				v = v * 10 + (uint64_t)(d[k] - '0');
			if (d[2] == '9')
				v += 1000000000ULL;
			out[count++] = v;
		} else if (nd == 10) {
			uint64_t v = 0;
			size_t k;
			for (k = 0; k < 9; k++)
				v = v * 10 + (uint64_t)(d[k] - '0');
			out[count++] = v;
		}
		if (count > 1) {
			size_t k;
			for (k = 0; k + 1 < count; k++)
				if (out[k] == out[count - 1]) {
					count--;
					break;
				}
		}
	}
	return count;
}

uint32_t wn_first_number(const char *s, size_t n, int *supplement)
{
	size_t i;
	uint32_t v = 0;
	int any = 0;

	if (supplement) {
		*supplement = 0;
		for (i = 0; i + 5 <= n; i++) {
			if (wn_tolower((unsigned char)s[i]) == 's' && wn_tolower((unsigned char)s[i + 1]) == 'u' &&
			    wn_tolower((unsigned char)s[i + 2]) == 'p' && wn_tolower((unsigned char)s[i + 3]) == 'p' &&
			    wn_tolower((unsigned char)s[i + 4]) == 'l') {
				*supplement = 1;
				break;
			}
		}
	}
	for (i = 0; i < n && !wn_isdigit((unsigned char)s[i]); i++)
		;
	for (; i < n && wn_isdigit((unsigned char)s[i]); i++) {
		if (v < 100000000)
			v = v * 10 + (uint32_t)(s[i] - '0');
		any = 1;
	}
	return any ? v : 0;
}

/* ---------------------------------------------------------------- authors */

/* Last occurrence of c in s[0..n), or NULL (memrchr is a GNU extension). */
static const char *last_char(const char *s, size_t n, char c)
{
	while (n > 0) {
		n--;
		if (s[n] == c)
			return s + n;
	}
	return NULL;
}

/* Sorted: looked up by binary search for every word of every author name. */
static const char *const group_words[] = {
	"academy", "agency", "alliance", "association", "authors", "board", "center", "centre",
	"collaboration", "collaborative", "college", "committee", "consortium", "council",
	"department", "federation", "force", "foundation", "group", "groups", "hospital",
	"initiative", "institute", "investigators", "members", "ministry", "network",
	"organisation", "organization", "panel", "program", "programme", "project", "registry",
	"service", "services", "society", "study", "taskforce", "team", "trialists", "university",
	"working", "writing", NULL
};

#define N_GROUP_WORDS (sizeof(group_words) / sizeof(group_words[0]) - 1)


static const char *const skip_names[] = {
	"anonymous", "anon", "et al", "and others", "unknown", "no authors listed",
	"no author", "others", "anonymous a", NULL
};

static const char *const particles[] = {
	"van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "del", "della", "dos",
	"das", "des", "ten", "ter", "bin", "al", "el", "vander", "vanden", "st", "mac", NULL
};

static const char *const suffixes[] = {
	"jr", "sr", "ii", "iii", "iv", "2nd", "3rd", "junior", "senior", NULL
};

static int in_list(const char *w, size_t n, const char *const *list)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; list[i]; i++)
		if (list[i][0] == w[0] && strncmp(list[i], w, n) == 0 && !list[i][n])
			return 1;
	return 0;
}

/* A raw token that is initials: "J", "J.", "JA", "J.-C.", "C.S.-C." */
static int initials_token(const char *s, size_t n)
{
	size_t i, letters = 0;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (wn_isupper(c))
			letters++;
		else if (c != '.' && c != '-')
			return 0;
	}
	return letters >= 1 && letters <= 4;
}

/* Case-insensitive ASCII match of a raw token (trailing full stop ignored) against a
 * list of lower-case words: "Jr." is "jr", "VAN" is "van". */
static int token_in(const char *t, size_t n, const char *const *list)
{
	size_t i, k;

	while (n > 0 && t[n - 1] == '.')
		n--;
	if (n == 0 || n > 16)
		return 0;
	for (i = 0; list[i]; i++) {
		const char *w = list[i];
		/* compare letter by letter, then require the word to end too: no strlen */
		for (k = 0; k < n && w[k]; k++)
			if (wn_tolower((unsigned char)t[k]) != w[k])
				break;
		if (k == n && !w[k])
			return 1;
	}
	return 0;
}

/* Is the raw token (any case) one of group_words? Binary search, lower-casing on the fly. */
static int is_group_word(const char *t, size_t n)
{
	size_t lo = 0, hi = N_GROUP_WORDS;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2, k;
		const char *w = group_words[mid];
		int c = 0;
		for (k = 0; k < n && w[k]; k++) {
			c = wn_tolower((unsigned char)t[k]) - (unsigned char)w[k];
			if (c)
				break;
		}
		if (!c)
			c = k < n ? 1 : (w[k] ? -1 : 0);
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* Append the initials of given names g[0..n) to ini (capped). No allocation. */
static void add_initials(const char *g, size_t n, char *ini, size_t *ni)
{
	size_t i = 0;

	while (i < n) {
		size_t j, k;
		int all_upper = 1;

		while (i < n && (g[i] == ' ' || g[i] == '.' || g[i] == '-' || g[i] == ','))
			i++;
		j = i;
		while (j < n && !(g[j] == ' ' || g[j] == '.' || g[j] == '-' || g[j] == ','))
			j++;
		if (j == i)
			break;
		for (k = i; k < j; k++)
			if (!wn_isupper((unsigned char)g[k]))
				all_upper = 0;
		if (token_in(g + i, j - i, suffixes)) {
			/* Jr, III: not a given name */
		} else if (all_upper && j - i <= 3) {
			/* "JA" in "Zuber JA": each letter an initial */
			for (k = i; k < j && *ni < WN_INITIALS_MAX; k++)
				ini[(*ni)++] = (char)wn_tolower((unsigned char)g[k]);
		} else if (*ni < WN_INITIALS_MAX) {
			int c = wn_norm_first_letter(g + i, j - i);
			if (c)
				ini[(*ni)++] = (char)c;
		}
		i = j;
	}
}

static int contains_word(const char *s, size_t n, const char *const *list)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		if (in_list(s + i, j - i, list))
			return 1;
		i = j + 1;
	}
	return 0;
}

int wn_author_parse(const char *s, size_t n, struct wn_buf *surname,
		    char initials[WN_INITIALS_MAX + 1], struct wn_err *err)
{
	size_t ni = 0, comma;
	const char *sur, *given;
	size_t sn, gn;

	wn_buf_reset(surname);
	initials[0] = '\0';
	if (n > 4096)
		n = 4096;
	/* anonymous? a group? The marker words are ASCII, so the raw words are looked at
	 * (folding every name in full would cost more than everything else here) */
	{
		char small[64];
		size_t k = 0, i;
		int word = 0, letters = 0;
		for (i = 0; i < n && k + 1 < sizeof(small); i++) {
			unsigned char c = (unsigned char)s[i];
			if (wn_isalnum(c)) {
				if (word && k)
					small[k++] = ' ';
				word = 0;
				small[k++] = (char)wn_tolower(c);
				letters = 1;
			} else if (c >= 0x80) {
				letters = 1;
				k = sizeof(small); /* not a skip name */
				break;
			} else {
				word = 1;
			}
		}
		if (!letters)
			return WN_AUTHOR_SKIP;
		if (i == n && k < sizeof(small)) {
			small[k] = '\0';
			if (in_list(small, k, skip_names) || (k > 10 && memcmp(small, "anonymous ", 10) == 0))
				return WN_AUTHOR_SKIP;
		}
		for (i = 0; i < n;) {
			size_t j = i;
			while (j < n && wn_isalnum((unsigned char)s[j]))
				j++;
			/* every group word has four letters or more: initials never are one */
			if (j - i >= 4 && j - i <= 13 && is_group_word(s + i, j - i)) {
				if (wn_norm_fold(surname, s, n, 0, err) < 0)
					return -1;
				return WN_AUTHOR_GROUP;
			}
			i = j + 1;
		}
	}

	while (n > 0 && wn_isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && wn_isspace((unsigned char)s[n - 1]))
		n--;
	for (comma = 0; comma < n && s[comma] != ','; comma++)
		;
	if (comma < n) {
		sur = s;
		sn = comma;
		given = s + comma + 1;
		gn = n - comma - 1;
	} else {
		/* no comma: "Zuber JA" / "O'Donnell C. P." (initials last) or "Julien Zuber" */
		size_t starts[64], lens[64], ntok = 0, k, i = 0;

		while (i < n && ntok < 64) {
			size_t j;
			while (i < n && s[i] == ' ')
				i++;
			j = i;
			while (j < n && s[j] != ' ')
				j++;
			if (j > i) {
				starts[ntok] = i;
				lens[ntok] = j - i;
				ntok++;
			}
			i = j;
		}
		if (ntok == 0)
			return WN_AUTHOR_SKIP;
		k = ntok;
		while (k > 1 && initials_token(s + starts[k - 1], lens[k - 1]))
			k--;
		if (k < ntok) {
			sur = s;
			sn = starts[k - 1] + lens[k - 1];
			given = s + starts[k];
			gn = n - starts[k];
		} else if (ntok == 1) {
			sur = s;
			sn = n;
			given = s + n;
			gn = 0;
		} else {
			/* given names first; the surname is the last word with its particles */
			size_t first = ntok - 1;
			while (first > 1 && wn_islower((unsigned char)s[starts[first - 1]]) &&
			       token_in(s + starts[first - 1], lens[first - 1], particles))
				first--;
			sur = s + starts[first];
			sn = n - starts[first];
			given = s;
			gn = starts[first];
		}
	}
	/* particles written after the given names: "Boxtel, M.P.J. van" */
	{
		size_t g = gn;
		while (g > 0 && given[g - 1] == ' ')
			g--;
		for (;;) {
			size_t ws = g;
			while (ws > 0 && given[ws - 1] != ' ' && given[ws - 1] != '.')
				ws--;
			if (ws == g || !wn_islower((unsigned char)given[ws]) ||
			    !token_in(given + ws, g - ws, particles))
				break;
			if (wn_norm_fold(surname, given + ws, g - ws, 0, err) < 0 ||
			    wn_buf_addc(surname, ' ', err) < 0)
				return -1;
			g = ws;
			while (g > 0 && given[g - 1] == ' ')
				g--;
		}
		gn = g;
	}
	if (wn_norm_fold(surname, sur, sn, 0, err) < 0)
		return -1;
	/* "Smith Jr": a suffix glued to the surname without a comma */
	{
		const char *sp = last_char(surname->data, surname->len, ' ');
		if (sp && in_list(sp + 1, surname->len - (size_t)(sp + 1 - surname->data), suffixes))
			wn_buf_truncate(surname, (size_t)(sp - surname->data));
	}
	while (surname->len > 0 && surname->data[surname->len - 1] == ' ')
		wn_buf_truncate(surname, surname->len - 1);
	add_initials(given, gn, initials, &ni);
	initials[ni] = '\0';
	if (surname->len == 0)
		return ni ? WN_AUTHOR_PERSON : WN_AUTHOR_SKIP;
	return WN_AUTHOR_PERSON;
}

/* ---------------------------------------------------------------- journals */

static const char *const journal_stop[] = {
	"of", "the", "and", "for", "in", "on", "de", "la", "le", "les", "du", "des", "der",
	"die", "das", "und", "et", "y", "i", "e", "a", "an", "da", "di", "del", "della", "van",
	"voor", "fur", "en", "to", "at", NULL
};

static const char *const journal_tail[] = {
	"conference", "supplement", "suppl", "abstracts", "congress", "meeting", "online",
	"print", "electronic", NULL
};

int wn_journal_fold(struct wn_buf *out, const char *s, size_t n, struct wn_err *err)
{
	struct wn_buf f;
	size_t i, cut = n;
	const char *p, *e;

	wn_buf_reset(out);
	/* a subtitle or parallel title: "X : a publication of ...", "X = Y", "X (Online)" */
	for (i = 1; i < n; i++) {
		if (s[i] == ':' || s[i] == '=' || s[i] == '(' || s[i] == '[' ||
		    (s[i] == '/' && i + 1 < n && (s[i + 1] == ' ' || wn_isupper((unsigned char)s[i + 1])))) {
			cut = i;
			break;
		}
	}
	wn_buf_init(&f, out->max);
	if (wn_norm_fold(&f, s, cut, 0, err) < 0) {
		wn_buf_release(&f);
		return -1;
	}
	if (f.len == 0 && cut < n && wn_norm_fold(&f, s, n, 0, err) < 0) {
		wn_buf_release(&f);
		return -1;
	}
	p = f.data;
	e = f.data + f.len;
	while (p < e) {
		const char *q = memchr(p, ' ', (size_t)(e - p));
		if (!q)
			q = e;
		if (!in_list(p, (size_t)(q - p), journal_stop)) {
			if ((out->len && wn_buf_addc(out, ' ', err) < 0) ||
			    wn_buf_add(out, p, (size_t)(q - p), err) < 0) {
				wn_buf_release(&f);
				return -1;
			}
		}
		p = q + 1;
	}
	wn_buf_release(&f);
	/* trailing "Conference", "Supplement 2", "(Online)" markers */
	for (;;) {
		const char *sp;
		size_t wl;
		sp = last_char(out->data, out->len, ' ');
		if (!sp)
			break;
		wl = out->len - (size_t)(sp + 1 - out->data);
		if (in_list(sp + 1, wl, journal_tail) ||
		    (wl <= 4 && wn_isdigit((unsigned char)sp[1]))) {
			wn_buf_truncate(out, (size_t)(sp - out->data));
			continue;
		}
		break;
	}
	return 0;
}

/* Is the word a[0..an) an abbreviation of b[0..bn) (same first letter, letters in
 * order), or the other way round? */
static int word_abbrev(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i, j;

	if (an > bn) {
		const char *t = a;
		size_t tn = an;
		a = b;
		an = bn;
		b = t;
		bn = tn;
	}
	if (an == 0 || a[0] != b[0])
		return 0;
	for (i = 0, j = 0; i < an && j < bn; j++)
		if (a[i] == b[j])
			i++;
	return i == an;
}

#define JW_MAX 24

struct jword {
	const char *p;
	size_t n;
};

static size_t split_words(const char *s, size_t n, struct jword *w, size_t max)
{
	size_t count = 0;
	const char *p = s, *e = s + n;

	while (p < e && count < max) {
		const char *q = memchr(p, ' ', (size_t)(e - p));
		if (!q)
			q = e;
		if (q > p) {
			w[count].p = p;
			w[count].n = (size_t)(q - p);
			count++;
		}
		p = q + 1;
	}
	return count;
}

int wn_journal_same(const char *a, size_t an, const char *b, size_t bn)
{
	struct jword wa[JW_MAX], wb[JW_MAX];
	size_t na, nb, i;

	if (an == 0 || bn == 0)
		return 0;
	if (an == bn && memcmp(a, b, an) == 0)
		return 1;
	na = split_words(a, an, wa, JW_MAX);
	nb = split_words(b, bn, wb, JW_MAX);
	if (na == nb) {
		int ok = 1;
		for (i = 0; i < na && ok; i++)
			ok = word_abbrev(wa[i].p, wa[i].n, wb[i].p, wb[i].n);
		if (ok)
			return 1;
	}
	/* acronym: "jama" / "journal american medical association" */
	if ((na == 1 && nb >= 2 && wa[0].n == nb) || (nb == 1 && na >= 2 && wb[0].n == na)) {
		const char *acr = na == 1 ? wa[0].p : wb[0].p;
		size_t k, nw = na == 1 ? nb : na;
		int ok = nw >= 2 && nw <= 8;
		for (k = 0; k < nw && ok; k++)
			ok = acr[k] == (na == 1 ? wb[k].p[0] : wa[k].p[0]);
		if (ok)
			return 1;
	}
	return 0;
}

size_t wn_journal_initials(const char *s, size_t n, char *out, size_t size)
{
	size_t i, k = 0;

	if (size == 0)
		return 0;
	for (i = 0; i < n && k + 1 < size; i++)
		if (i == 0 || s[i - 1] == ' ')
			out[k++] = s[i];
	out[k] = '\0';
	return k;
}

int wn_journal_is_conference(const char *s, size_t n)
{
	static const char *const conf_words[] = {
		"conference", "congress", "meeting", "symposium", "workshop", "colloquium",
		"convention", "conferences", "meetings", "congresses", "abstracts", NULL
	};
	struct wn_buf f;
	int rc = 0;
	char low[256];
	size_t i, k;

	if (n > 1024)
		n = 1024;
	/* most journal names have none of these letters in a row: no need to fold them
	 * (only plain ASCII: "Conf&eacute;rence" or "Conférence" folds to a match) */
	for (i = 0, k = 0; i < n && k + 1 < sizeof(low); i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || c == '&' || c == '<')
			break;
		low[k++] = (char)wn_tolower(c);
	}
	low[k] = '\0';
	if (k == n && !strstr(low, "conferen") && !strstr(low, "congress") && !strstr(low, "meeting") &&
	    !strstr(low, "symposi") && !strstr(low, "workshop") && !strstr(low, "colloqui") &&
	    !strstr(low, "convention") && !strstr(low, "abstracts") && !strstr(low, "proceeding"))
		return 0;
	wn_buf_init(&f, 1 << 14);
	if (wn_norm_fold(&f, s, n, 0, NULL) == 0) {
		if (contains_word(f.data, f.len, conf_words)) {
			rc = 1;
		} else {
			/* "Proceedings" names journals too (PNAS, Mayo Clinic Proceedings); with a
			 * year or "annual"/"international" it is a conference */
			static const char *const proc[] = { "proceedings", "proceeding", NULL };
			static const char *const ctx[] = { "annual", "international", "amcis", "icis", NULL };
			if (contains_word(f.data, f.len, proc)) {
				i = 0;
				if (contains_word(f.data, f.len, ctx))
					rc = 1;
				while (!rc && i + 4 <= f.len) {
					if ((i == 0 || f.data[i - 1] == ' ') &&
					    (f.data[i] == '1' || f.data[i] == '2') &&
					    wn_isdigit((unsigned char)f.data[i + 1]) && wn_isdigit((unsigned char)f.data[i + 2]) &&
					    wn_isdigit((unsigned char)f.data[i + 3]) &&
					    (i + 4 == f.len || f.data[i + 4] == ' '))
						rc = 1;
					i++;
				}
			}
		}
	}
	wn_buf_release(&f);
	return rc;
}

/*
 * qlex.c - the lexer of every dialect (see qlex.h).
 *
 * One scanner with dialect switches rather than six: most of the syntax is shared
 * (parentheses, quotes, words, AND/OR/NOT), and the differences are small and local -
 * which words are operators (PubMed only upper case; Ovid adjN; EBSCO Nn/Wn; Scopus
 * W/n, PRE/n and "AND NOT"; WoS NEAR/x and SAME), where a field code goes (PubMed [tag]
 * after, Ovid .ti. after, Scopus TITLE( and WoS TS= and EBSCO TI before), and which
 * characters end a word. A word's wildcards are left as typed: the parser normalises
 * them, because their meaning depends on the dialect.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "qint.h"
#include "qlex.h"

void wn_qtokens_release(struct wn_qtokens *t)
{
	wn_free(t->v);
	memset(t, 0, sizeof(*t));
}

static struct wn_qtoken *tok_add(struct wn_qtokens *t, enum wn_qtok type, const struct wn_qsrc *s,
				 size_t off, size_t len, int glued)
{
	struct wn_qtoken *k;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct wn_qtoken *v = wn_reallocarray(t->v, cap, sizeof(*v));
		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	k = &t->v[t->n++];
	memset(k, 0, sizeof(*k));
	k->type = type;
	k->off = off;
	k->len = len;
	k->line = s->line[off < s->n ? off : s->n];
	k->col = s->col[off < s->n ? off : s->n];
	k->glued = glued;
	return k;
}

static int ieqn(const char *p, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!lit[i] || wn_tolower((unsigned char)p[i]) != wn_tolower((unsigned char)lit[i]))
			return 0;
	return lit[n] == '\0';
}

static int all_digits(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!wn_isdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

static unsigned small_num(const char *p, size_t n)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n && i < 6; i++)
		v = v * 10 + (unsigned)(p[i] - '0');
	return n > 6 ? 999999 : v;
}

static int is_delim(enum wn_qdialect d, char c)
{
	if (wn_isspace((unsigned char)c) || c == '(' || c == ')' || c == '"' || c == '\0')
		return 1;
	if ((d == WN_QD_PUBMED || d == WN_QD_GENERIC) && c == '[')
		return 1;
	if (d == WN_QD_SCOPUS && c == '{')
		return 1;
	return 0;
}

/* Ovid field suffix at s[i] == '.': ".ti,ab." / ".ti,ab" / ".mp." followed by a
 * delimiter. Returns its length (0 if not a suffix). */
static size_t ovid_suffix_at(const char *s, size_t i, size_t end)
{
	size_t j = i + 1, codes = 0;

	for (;;) {
		size_t k = j;
		while (k < end && wn_isalpha((unsigned char)s[k]))
			k++;
		if (k - j < 2 || k - j > 3)
			return 0;
		codes++;
		j = k;
		if (j < end && s[j] == ',') {
			j++;
			while (j < end && s[j] == ' ')
				j++;
			continue;
		}
		break;
	}
	if (j < end && s[j] == '.')
		j++;
	if (j < end && !(wn_isspace((unsigned char)s[j]) || s[j] == ')' || s[j] == '/' ||
			 s[j] == '('))
		return 0;
	return codes ? j - i : 0;
}

/* NEAR-like operator words. Returns 1 and fills dist/ordered. */
static int near_word(enum wn_qdialect d, const char *p, size_t n, unsigned *dist, int *ordered)
{
	switch (d) {
	case WN_QD_OVID:
		if (ieqn(p, n, "adj")) {
			*dist = 0;
			*ordered = 1;
			return 1;
		}
		if (n > 3 && n <= 6 && ieqn(p, 3, "adj") && all_digits(p + 3, n - 3)) {
			unsigned k = small_num(p + 3, n - 3);
			*dist = k > 0 ? k - 1 : 0; /* adjN: at most N-1 words between */
			*ordered = 0;
			return 1;
		}
		return 0;
	case WN_QD_EBSCO:
		if (n >= 2 && n <= 4 && (p[0] == 'N' || p[0] == 'n' || p[0] == 'W' || p[0] == 'w') &&
		    all_digits(p + 1, n - 1)) {
			*dist = small_num(p + 1, n - 1);
			*ordered = p[0] == 'W' || p[0] == 'w';
			return 1;
		}
		return 0;
	case WN_QD_SCOPUS:
		if (n >= 3 && n <= 5 && (p[0] == 'W' || p[0] == 'w') && p[1] == '/' &&
		    all_digits(p + 2, n - 2)) {
			*dist = small_num(p + 2, n - 2);
			*ordered = 0;
			return 1;
		}
		if (n >= 5 && n <= 7 && ieqn(p, 4, "pre/") && all_digits(p + 4, n - 4)) {
			*dist = small_num(p + 4, n - 4);
			*ordered = 1;
			return 1;
		}
		return 0;
	case WN_QD_WOS:
	case WN_QD_GENERIC:
		if (d == WN_QD_WOS && ieqn(p, n, "near")) {
			*dist = 15; /* WoS: bare NEAR is NEAR/15 */
			*ordered = 0;
			return 1;
		}
		if (n >= 6 && n <= 8 && ieqn(p, 5, "near/") && all_digits(p + 5, n - 5)) {
			*dist = small_num(p + 5, n - 5);
			*ordered = 0;
			return 1;
		}
		if (d == WN_QD_GENERIC && n >= 5 && n <= 7 && ieqn(p, 4, "pre/") &&
		    all_digits(p + 4, n - 4)) {
			*dist = small_num(p + 4, n - 4);
			*ordered = 1;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* Boolean operator words: QT_AND, QT_OR, QT_NOT or 0. PubMed needs upper case; a
 * lower-case one is a word there (flagged by the parser). */
static int bool_word(const char *p, size_t n, int *lower)
{
	int t = 0;

	if (ieqn(p, n, "and"))
		t = QT_AND;
	else if (ieqn(p, n, "or"))
		t = QT_OR;
	else if (ieqn(p, n, "not"))
		t = QT_NOT;
	if (t)
		*lower = !(p[0] >= 'A' && p[0] <= 'Z');
	return t;
}

static size_t skip_sp(const char *s, size_t i, size_t end)
{
	while (i < end && wn_isspace((unsigned char)s[i]))
		i++;
	return i;
}

int wn_qlex(struct wn_qtokens *t, const struct wn_qsrc *src, size_t start, size_t end,
	    enum wn_qdialect d, struct wn_qdiags *diags, struct wn_err *err)
{
	const char *s = src->s;
	size_t i = start;
	int glued = 0;
	struct wn_qtoken *k;

#define ADD(type, off, len) do { \
		k = tok_add(t, (type), src, (off), (len), glued); \
		if (!k) \
			goto oom; \
	} while (0)
#define ERR(code, at, ...) do { \
		if (wn_qdiags_add(diags, WN_QSEV_ERROR, (code), src->line[at], src->col[at], __VA_ARGS__) < 0) \
			goto oom; \
	} while (0)

	while (i < end) {
		char c = s[i];
		size_t j;

		if (wn_isspace((unsigned char)c)) {
			i++;
			glued = 0;
			continue;
		}
		if (c == '(' || c == ')') {
			ADD(c == '(' ? QT_LP : QT_RP, i, 1);
			i++;
			glued = 1;
			continue;
		}
		if (c == '"') {
			for (j = i + 1; j < end && s[j] != '"'; j++)
				;
			if (j >= end) {
				ERR("Q003", i, "unbalanced quote: this '\"' is never closed");
				return 0;
			}
			ADD(QT_QUOTED, i + 1, j - i - 1);
			i = j + 1;
			glued = 1;
			continue;
		}
		if (c == '{' && d == WN_QD_SCOPUS) {
			for (j = i + 1; j < end && s[j] != '}'; j++)
				;
			if (j >= end) {
				ERR("Q003", i, "unbalanced brace: this '{' is never closed");
				return 0;
			}
			ADD(QT_EXACT, i + 1, j - i - 1);
			i = j + 1;
			glued = 1;
			continue;
		}
		if (c == '[' && (d == WN_QD_PUBMED || d == WN_QD_GENERIC)) {
			for (j = i + 1; j < end && s[j] != ']' && s[j] != '['; j++)
				;
			if (j >= end || s[j] != ']') {
				ERR("Q002", i, "unbalanced bracket: this '[' is never closed");
				return 0;
			}
			ADD(QT_TAG, i + 1, j - i - 1);
			k->line = src->line[i];
			k->col = src->col[i];
			i = j + 1;
			glued = 1;
			continue;
		}
		if (c == '#' && i + 1 < end && wn_isdigit((unsigned char)s[i + 1]) &&
		    (d == WN_QD_PUBMED || d == WN_QD_WOS || d == WN_QD_GENERIC)) {
			for (j = i + 1; j < end && wn_isdigit((unsigned char)s[j]); j++)
				;
			if (j >= end || is_delim(d, s[j])) {
				ADD(QT_REF, i, j - i);
				k->num = small_num(s + i + 1, j - i - 1);
				i = j;
				glued = 1;
				continue;
			}
		}
		if (c == ':' && (d == WN_QD_PUBMED || d == WN_QD_GENERIC) &&
		    (!glued || (t->n && t->v[t->n - 1].type == QT_TAG))) {
			ADD(QT_COLON, i, 1);
			i++;
			glued = 0;
			continue;
		}
		if (d == WN_QD_OVID) {
			size_t sl;
			if (c == '.' && (sl = ovid_suffix_at(s, i, end)) > 0) {
				ADD(QT_SUFFIX, i, sl);
				i += sl;
				glued = 1;
				continue;
			}
			if (c == '/') {
				for (j = i + 1; j < end && !wn_isspace((unsigned char)s[j]) && s[j] != '(' &&
					     s[j] != ')' && s[j] != '"'; j++)
					;
				ADD(QT_HEADING, i + 1, j - i - 1);
				i = j;
				glued = 1;
				continue;
			}
			/* "*Heading/" starts a term: after a space or an opening parenthesis
			 * (the printer writes "(*Burnout, Psychological/ and x)") */
			if (c == '*' && (!glued || (t->n && t->v[t->n - 1].type == QT_LP &&
						    t->v[t->n - 1].off + 1 == i)) && i + 1 < end &&
			    (wn_isalnum((unsigned char)s[i + 1]) || (unsigned char)s[i + 1] >= 0x80 ||
			     s[i + 1] == '"')) {
				ADD(QT_MAJOR, i, 1);
				i++;
				glued = 1;
				continue;
			}
			if ((ieqn(s + i, end - i >= 3 ? 3 : end - i, "or/") ||
			     ieqn(s + i, end - i >= 4 ? 4 : end - i, "and/") ||
			     ieqn(s + i, end - i >= 4 ? 4 : end - i, "not/"))) {
				size_t pl = (s[i] == 'o' || s[i] == 'O') ? 3 : 4;
				if (i + pl < end && wn_isdigit((unsigned char)s[i + pl])) {
					for (j = i + pl; j < end && (wn_isdigit((unsigned char)s[j]) ||
								     s[j] == '-' || s[j] == ','); j++)
						;
					ADD(QT_COMBINE, i + pl, j - i - pl);
					k->op = pl == 3 ? QT_OR : (s[i] == 'a' || s[i] == 'A') ? QT_AND : QT_NOT;
					i = j;
					glued = 1;
					continue;
				}
			}
		}
		if (c == ']' || c == '}' || (c == '[' && d != WN_QD_OVID)) {
			ERR("Q002", i, "unbalanced '%c'", c);
			return 0;
		}
		/* a word: up to the next delimiter */
		for (j = i; j < end && !is_delim(d, s[j]); j++) {
			if (d == WN_QD_OVID && (s[j] == '/' || (s[j] == '.' && ovid_suffix_at(s, j, end))))
				break;
			if (d == WN_QD_WOS && s[j] == '=')
				break;
			if (d == WN_QD_SCOPUS && s[j] == '}')
				break;
			if ((d == WN_QD_PUBMED || d == WN_QD_GENERIC) && s[j] == ']')
				break;
		}
		if (j == i) {
			/* a lone '=' (WoS) or similar */
			ADD(QT_BAD, i, 1);
			i++;
			glued = 1;
			continue;
		}
		{
			const char *w = s + i;
			size_t n = j - i;
			unsigned dist;
			int ordered, lower = 0, b;
			const struct wn_qfcode *fc;

			/* WoS TS=... */
			if (d == WN_QD_WOS && j < end && s[j] == '=' &&
			    (fc = wn_qfcode_find(d, w, n)) != NULL) {
				ADD(QT_PREFIX, i, n);
				i = j + 1;
				glued = 1;
				continue;
			}
			/* Scopus TITLE-ABS-KEY( */
			if (d == WN_QD_SCOPUS && wn_qfcode_find(d, w, n)) {
				size_t p = skip_sp(s, j, end);
				if (p < end && s[p] == '(') {
					ADD(QT_PREFIX, i, n);
					i = j;
					glued = 1;
					continue;
				}
			}
			/* Scopus PUBYEAR > 2000 */
			if (d == WN_QD_SCOPUS && ieqn(w, n, "pubyear")) {
				size_t p = skip_sp(s, j, end), q, y;
				int op = 0;
				if (p < end && (s[p] == '>' || s[p] == '<' || s[p] == '=')) {
					op = s[p];
					q = p + 1;
				} else if (p + 3 <= end && ieqn(s + p, 3, "aft")) {
					op = '>';
					q = p + 3;
				} else if (p + 3 <= end && ieqn(s + p, 3, "bef")) {
					op = '<';
					q = p + 3;
				} else if (p + 2 <= end && ieqn(s + p, 2, "is")) {
					op = '=';
					q = p + 2;
				} else {
					q = p;
				}
				q = skip_sp(s, q, end);
				for (y = q; y < end && wn_isdigit((unsigned char)s[y]); y++)
					;
				/* 1 to 4 digits: "PUBYEAR > 999" is how the printer says "any year";
				 * the parser refuses years out of range */
				if (op && y > q && y - q <= 4 && (y >= end || is_delim(d, s[y]))) {
					ADD(QT_PUBYEAR, i, y - i);
					k->op = op;
					k->num = small_num(s + q, y - q);
					i = y;
					glued = 1;
					continue;
				}
			}
			/* EBSCO TI x, MH "x" */
			if (d == WN_QD_EBSCO && n == 2 && wn_isupper((unsigned char)w[0]) &&
			    wn_isupper((unsigned char)w[1]) && wn_qfcode_find(d, w, n) && j < end) {
				size_t p = skip_sp(s, j, end);
				if (p < end && p > j && s[p] != ')') {
					ADD(QT_PREFIX, i, n);
					i = j;
					glued = 0;
					continue;
				}
			}
			/* Scopus AND NOT */
			b = bool_word(w, n, &lower);
			if (b == QT_AND && d == WN_QD_SCOPUS) {
				size_t p = skip_sp(s, j, end), q = p;
				while (q < end && !is_delim(d, s[q]))
					q++;
				if (ieqn(s + p, q - p, "not")) {
					ADD(QT_ANDNOT, i, q - i);
					i = q;
					glued = 0;
					continue;
				}
			}
			if (b) {
				ADD(b, i, n);
				k->lower = lower;
				i = j;
				glued = 0;
				continue;
			}
			if (d == WN_QD_WOS && ieqn(w, n, "same")) {
				ADD(QT_SAME, i, n);
				i = j;
				glued = 0;
				continue;
			}
			if (near_word(d, w, n, &dist, &ordered)) {
				ADD(QT_NEAR, i, n);
				k->dist = dist;
				k->ordered = ordered;
				i = j;
				glued = 0;
				continue;
			}
			if (d == WN_QD_OVID && ieqn(w, n, "exp") && j < end) {
				ADD(QT_EXP, i, n);
				i = j;
				glued = 0;
				continue;
			}
			if (d == WN_QD_OVID && all_digits(w, n)) {
				ADD(QT_REF, i, n);
				k->num = small_num(w, n);
				i = j;
				glued = 1;
				continue;
			}
			if (d == WN_QD_EBSCO && n >= 2 && (w[0] == 'S' || w[0] == 's') &&
			    all_digits(w + 1, n - 1)) {
				ADD(QT_REF, i, n);
				k->num = small_num(w + 1, n - 1);
				i = j;
				glued = 1;
				continue;
			}
			ADD(QT_WORD, i, n);
			i = j;
			glued = 1;
		}
	}
	return 0;
oom:
	return wn_err_set(err, WN_ENOMEM, "out of memory");
#undef ADD
#undef ERR
}

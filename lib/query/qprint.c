/*
 * qprint.c - the IR printed in a dialect: translation (see query.h).
 *
 * Rules that make "parse, print, parse" a fixed point:
 *  - every compound operand is parenthesised, so no dialect's precedence matters;
 *  - a term is written so that the target's lexer reads it back as one word or one
 *    phrase (checked by lexing it: a word the target would read as an operator, a line
 *    reference or a field code is quoted);
 *  - field sets are written with the target's exact code when it has one, as an OR of
 *    single-field codes when that is exact (the parser merges them back), and otherwise
 *    widened to the narrowest code that covers them - with a note;
 *  - proximity distances are converted ("at most k words between" is Ovid adj(k+1)).
 * Anything the target cannot say exactly is approximated and noted (Q201 widened, Q202
 * approximated, Q203 lost), never dropped silently.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "qint.h"
#include "qlex.h"

#define WN_QTOK_PROBE 512

struct pr {
	enum wn_qdialect d;
	struct wn_buf *out;
	struct wn_qdiags *notes;
	struct wn_err *err;
	int oom;
};

#define NOTE(P, code, n, ...) \
	do { \
		if ((P)->notes && wn_qdiags_add((P)->notes, WN_QSEV_WARNING, (code), (n)->line, (n)->col, \
						__VA_ARGS__) < 0) \
			(P)->oom = 1; \
	} while (0)

static int add(struct pr *P, const char *s)
{
	if (wn_buf_adds(P->out, s, P->err) < 0) {
		P->oom = 1;
		return -1;
	}
	return 0;
}

static int addn(struct pr *P, const char *s, size_t n)
{
	if (wn_buf_add(P->out, s, n, P->err) < 0) {
		P->oom = 1;
		return -1;
	}
	return 0;
}

static int popcount(unsigned x)
{
	int c = 0;

	for (; x; x &= x - 1)
		c++;
	return c;
}

/* ---- words ---- */

/* The term text with IR wildcards written the target's way. */
static int dialect_text(struct pr *P, const struct wn_qnode *n, struct wn_buf *o)
{
	const char *s = n->text;
	int widened = 0, first_star = -1;
	size_t i;

	for (i = 0; s[i]; i++) {
		const char *rep = NULL;
		char one[2] = { s[i], 0 };
		if (s[i] == '*') {
			rep = "*";
			if (first_star < 0)
				first_star = (int)i;
		} else if (s[i] == '?') {
			int at_end = s[i + 1] == '\0' || s[i + 1] == ' ';
			switch (P->d) {
			case WN_QD_PUBMED: rep = "*"; widened = 1; break;
			case WN_QD_OVID: rep = "#"; break;
			case WN_QD_EBSCO:
				/* EBSCO drops a '?' that ends a word */
				if (at_end) {
					rep = "*";
					widened = 1;
				} else {
					rep = "?";
				}
				break;
			default: rep = "?"; break;
			}
		} else if (s[i] == '$') {
			size_t used;
			unsigned v = wn_qwild_num(s + i + 1, strlen(s + i + 1), &used);
			i += used;
			if (P->d == WN_QD_OVID || P->d == WN_QD_GENERIC) {
				if (wn_buf_addf(o, P->err, "$%u", v) < 0)
					return -1;
				continue;
			}
			if (v == 1 && P->d == WN_QD_EBSCO)
				rep = "#";
			else if (v == 1 && P->d == WN_QD_WOS)
				rep = "$";
			else {
				rep = "*";
				widened = 1;
			}
		} else {
			rep = one;
		}
		if (wn_buf_adds(o, rep, P->err) < 0)
			return -1;
	}
	if (widened)
		NOTE(P, "Q201", n, "'%s': %s has no wildcard for a limited number of characters: written as '*'",
		     n->text, wn_qdialect_name(P->d));
	if (P->d == WN_QD_PUBMED && first_star >= 0 && first_star < 4)
		NOTE(P, "Q105", n, "'%s': PubMed needs at least 4 characters before '*'", n->text);
	if (P->d == WN_QD_SCOPUS && (n->flags & WN_QT_EXACT) && strpbrk(n->text, "*?$"))
		NOTE(P, "Q202", n, "'%s': Scopus ignores wildcards in {exact phrases}", n->text);
	return 0;
}

/* 1 if the target reads `w` back as exactly one bare word, 0 if not, -1 when memory
 * runs out (P->oom set: the answer is unknown, and guessing "no" would quote the word
 * and silently change the translation). */
static int reads_as_word(struct pr *P, enum wn_qdialect d, const char *w, size_t n)
{
	struct wn_qsrc src;
	struct wn_qtokens t = { NULL, 0, 0 };
	struct wn_qdiags diags;
	int ok = 0, lexed;

	char probe[WN_QTOK_PROBE];
	/* lexed with a word after it, as in context ("MH x" is a field prefix in EBSCO).
	 * Ovid: a three-letter word, because what follows a word there can be " and" or
	 * " or", and "x.ab, and" reads as x with the field suffix ".ab, and" */
	const char *next = d == WN_QD_OVID ? " xyz" : " x";
	size_t nn = strlen(next);

	if (n + nn + 1 > sizeof(probe))
		return 0;
	memcpy(probe, w, n);
	memcpy(probe + n, next, nn + 1);
	wn_qdiags_init(&diags);
	if (wn_qsrc_init(&src, probe, n + nn, &diags, P->err) < 0) {
		wn_qdiags_release(&diags);
		P->oom = 1;
		return -1;
	}
	lexed = src.n == n + nn ? wn_qlex(&t, &src, 0, src.n, d, &diags, P->err) : 0;
	if (lexed < 0) {
		wn_qtokens_release(&t);
		wn_qsrc_release(&src);
		wn_qdiags_release(&diags);
		P->oom = 1;
		return -1;
	}
	if (src.n == n + nn && t.n == 2 &&
	    t.v[1].type == QT_WORD && t.v[0].len == n && diags.n == 0 &&
	    (t.v[0].type == QT_WORD ||
	     /* PubMed reads lower-case and/or/not as words */
	     (d == WN_QD_PUBMED && t.v[0].lower &&
	      (t.v[0].type == QT_AND || t.v[0].type == QT_OR || t.v[0].type == QT_NOT))))
		ok = 1;
	/* Ovid: a word that ends like a heading or a field suffix, or "exp"/"limit" */
	if (ok && d == WN_QD_OVID && ((n == 5 && strncmp(w, "limit", 5) == 0) || memchr(w, '[', n) ||
				      memchr(w, ']', n)))
		ok = 0; /* Ovid has no brackets: "[...]" is read as a copy-paste gloss */
	if (ok && n >= 4 && memchr(w, '[', n) && strstr(w, "[mp=") && (size_t)(strstr(w, "[mp=") - w) < n)
		ok = 0;
	wn_qtokens_release(&t);
	wn_qsrc_release(&src);
	wn_qdiags_release(&diags);
	return ok;
}

/* "1.", "1)", "#1", "S1" followed by a space or the end: a line label. */
static int looks_like_label(const char *w)
{
	size_t i = 0, d;

	if (w[0] == '#' || w[0] == 'S' || w[0] == 's')
		i++;
	d = i;
	while (wn_isdigit((unsigned char)w[i]))
		i++;
	if (i == d)
		return 0;
	if (w[i] == '.' || w[i] == ')')
		i++;
	return w[i] == ' ' || w[i] == '\0';
}

/* Write the term's words: bare when the target reads them back the same, else quoted. */
static int term_words(struct pr *P, const struct wn_qnode *n, int allow_bare_phrase)
{
	struct wn_buf t;
	int quote, rc = -1;

	wn_buf_init(&t, 0);
	if (dialect_text(P, n, &t) < 0)
		goto out;
	if (n->flags & WN_QT_EXACT) {
		if (P->d == WN_QD_SCOPUS) {
			rc = add(P, "{") < 0 || addn(P, t.data, t.len) < 0 || add(P, "}") < 0 ? -1 : 0;
			goto out;
		}
		NOTE(P, "Q202", n, "exact phrase {%s} written as a quoted phrase", n->text);
	}
	quote = (n->flags & (WN_QT_QUOTED | WN_QT_EXACT)) != 0;
	if (!quote && P->out->len == 0 && looks_like_label(t.data)) {
		quote = 1; /* "1. x" at the start of a query is a line number */
	} else if (!quote) {
		if (strchr(t.data, ' ') && !allow_bare_phrase) {
			quote = 1;
		} else {
			/* every word must read back as a word (Ovid: "1996" alone is a line) */
			const char *p = t.data;
			while (*p && !quote) {
				const char *e = strchr(p, ' ');
				size_t len = e ? (size_t)(e - p) : strlen(p);
				int r = reads_as_word(P, P->d, p, len);
				if (r < 0)
					goto out;
				quote = !r;
				p += len;
				while (*p == ' ')
					p++;
			}
		}
	}
	if (quote && strchr(n->text, ' ') == NULL && !(n->flags & (WN_QT_QUOTED | WN_QT_EXACT)) &&
	    P->d == WN_QD_OVID && wn_isdigit((unsigned char)t.data[0])) {
		/* fine: "2019" quoted is a word, not line 2019 */
	}
	if (quote && !(n->flags & (WN_QT_QUOTED | WN_QT_EXACT)) && P->notes &&
	    (!strchr(t.data, ' ') || allow_bare_phrase) &&
	    wn_qdiags_add(P->notes, WN_QSEV_NOTE, "Q202", n->line, n->col,
			  "'%s' written in quotes: %s would otherwise read it as syntax", n->text,
			  wn_qdialect_name(P->d)) < 0)
		P->oom = 1;
	if (quote)
		rc = add(P, "\"") < 0 || addn(P, t.data, t.len) < 0 || add(P, "\"") < 0 ? -1 : 0;
	else
		rc = addn(P, t.data, t.len);
out:
	if (rc < 0)
		P->oom = 1;
	wn_buf_release(&t);
	return rc;
}

/* ---- field codes ---- */

/* Choose codes for `fields` (no MeSH). Fills codes[] (at most 16) and returns how many;
 * *widened is set when the codes cover more than asked. 0 when nothing fits. */
static size_t choose_codes(struct pr *P, unsigned fields, const struct wn_qfcode **codes,
			   int *widened)
{
	const struct wn_qfcode *c, *best = NULL;
	size_t k = 0;
	unsigned bit;
	int ok = 1;

	*widened = 0;
	for (c = wn_qfcodes(P->d); c->name; c++)
		if (c->print && c->date < 0 && c->flags == 0 && c->fields == fields) {
			codes[0] = c;
			return 1;
		}
	/* one code per field bit */
	for (bit = 1; bit <= WN_QF_OTHER && ok; bit <<= 1) {
		const struct wn_qfcode *found = NULL;
		if (!(fields & bit))
			continue;
		for (c = wn_qfcodes(P->d); c->name; c++)
			if (c->print && c->date < 0 && c->flags == 0 && c->fields == bit) {
				found = c;
				break;
			}
		if (!found || k >= 16)
			ok = 0;
		else
			codes[k++] = found;
	}
	if (ok && k)
		return k;
	/* the narrowest code that covers them all */
	for (c = wn_qfcodes(P->d); c->name; c++)
		if (c->print && c->date < 0 && c->flags == 0 && (c->fields & fields) == fields &&
		    (!best || popcount(c->fields) < popcount(best->fields)))
			best = c;
	if (best) {
		*widened = 1;
		codes[0] = best;
		return 1;
	}
	return 0;
}

static void fields_names(unsigned fields, char *out, size_t cap)
{
	unsigned bit;
	size_t n = 0;

	out[0] = '\0';
	for (bit = 1; bit <= WN_QF_OTHER; bit <<= 1)
		if (fields & bit) {
			int w = snprintf(out + n, cap - n, "%s%s", n ? "," : "", wn_qfield_name(bit));
			if (w < 0 || (size_t)w >= cap - n)
				return;
			n += (size_t)w;
		}
}

/* Write one term in one code (prefix, suffix or tag style). */
static int term_in_code(struct pr *P, const struct wn_qnode *n, const struct wn_qfcode *c)
{
	switch (P->d) {
	case WN_QD_PUBMED:
	case WN_QD_GENERIC:
		/* a phrase is always quoted: PubMed splits an unquoted one that is not in its
		 * phrase index, and generic reads adjacent words as AND */
		if (term_words(P, n, 0) < 0)
			return -1;
		if (!c)
			return 0;
		return add(P, "[") < 0 || add(P, c->name) < 0 || add(P, "]") < 0 ? -1 : 0;
	case WN_QD_OVID:
		if (term_words(P, n, 1) < 0)
			return -1;
		if (!c)
			return 0;
		return add(P, ".") < 0 || add(P, c->name) < 0 || add(P, ".") < 0 ? -1 : 0;
	case WN_QD_SCOPUS:
		if (!c)
			return term_words(P, n, 0);
		if (add(P, c->name) < 0 || add(P, "(") < 0 || term_words(P, n, 0) < 0)
			return -1;
		return add(P, ")");
	case WN_QD_WOS:
		if (!c)
			return term_words(P, n, 0);
		if (add(P, c->name) < 0 || add(P, "=") < 0 || term_words(P, n, 0) < 0)
			return -1;
		return 0;
	case WN_QD_EBSCO:
		if (!c)
			return term_words(P, n, 1);
		if (add(P, c->name) < 0 || add(P, " ") < 0 || term_words(P, n, 1) < 0)
			return -1;
		return 0;
	default:
		return -1;
	}
}

static int print_mesh(struct pr *P, const struct wn_qnode *n)
{
	int explode = (n->flags & WN_QT_EXPLODE) != 0, major = (n->flags & WN_QT_MAJOR) != 0;
	struct wn_qnode tmp = *n;
	const char *abbr;

	tmp.flags &= ~(unsigned)(WN_QT_EXPLODE | WN_QT_MAJOR | WN_QT_QUOTED);
	switch (P->d) {
	case WN_QD_PUBMED:
	case WN_QD_GENERIC: {
		struct wn_buf t;
		int rc;
		wn_buf_init(&t, 0);
		rc = dialect_text(P, n, &t);
		/* the parser splits the qualifier off at the last '/': a heading holding
		 * one gets an empty qualifier, "a/b/", to read back whole */
		if (!rc && n->qual)
			rc = wn_buf_addf(&t, P->err, "/%s", n->qual);
		else if (!rc && memchr(t.data, '/', t.len))
			rc = wn_buf_add(&t, "/", 1, P->err);
		if (rc < 0) {
			wn_buf_release(&t);
			P->oom = 1;
			return -1;
		}
		rc = add(P, "\"") < 0 || addn(P, t.data, t.len) < 0 ||
		     add(P, major ? "\"[majr" : "\"[mh") < 0 || add(P, explode ? "]" : ":noexp]") < 0;
		wn_buf_release(&t);
		return rc ? -1 : 0;
	}
	case WN_QD_OVID:
		if (explode && add(P, "exp ") < 0)
			return -1;
		if (major && add(P, "*") < 0)
			return -1;
		tmp.fields = 0;
		tmp.qual = NULL;
		{
			/* a heading with an operator word or special characters is quoted, and
			 * so is one that starts the query looking like a line label ("9. x/") */
			const char *p = n->text;
			int needq = P->out->len == 0 && looks_like_label(n->text);
			while (*p && !needq) {
				const char *e = strchr(p, ' ');
				size_t len = e ? (size_t)(e - p) : strlen(p);
				/* "Burnout, Psychological/" stays bare: the word is checked
				 * without its trailing comma ("fail*)t," still needs quotes) */
				size_t wl = len > 1 && p[len - 1] == ',' ? len - 1 : len;
				int r = reads_as_word(P, WN_QD_OVID, p, wl);
				if (r < 0)
					return -1;
				if (!r)
					needq = 1;
				p += len;
				while (*p == ' ')
					p++;
			}
			struct wn_buf t;
			int rc;
			wn_buf_init(&t, 0);
			rc = dialect_text(P, n, &t);
			if (!rc)
				rc = needq ? (add(P, "\"") < 0 || addn(P, t.data, t.len) < 0 || add(P, "\"") < 0) :
					     addn(P, t.data, t.len);
			wn_buf_release(&t);
			if (rc)
				return -1;
		}
		if (add(P, "/") < 0)
			return -1;
		if (n->qual) {
			abbr = wn_mesh_qualifier_abbr(n->qual);
			if (!abbr) {
				NOTE(P, "Q203", n, "subheading '%s' has no Ovid abbreviation: dropped", n->qual);
				return 0;
			}
			return add(P, abbr);
		}
		return 0;
	case WN_QD_EBSCO:
		{
			struct wn_buf t;
			int rc;
			size_t tl = strlen(n->text);
			/* MH "X+" is how EBSCO says explode: a heading whose own text ends in
			 * '+' (from "MH (a OR "X+")") is read back exploded */
			if (!explode && tl && n->text[tl - 1] == '+')
				NOTE(P, "Q202", n, "heading '%s' ends in '+', which EBSCO reads as explode", n->text);
			int slash, qualified = 0;
			wn_buf_init(&t, 0);
			rc = dialect_text(P, n, &t);
			slash = !rc && memchr(t.data, '/', t.len) != NULL;
			if (!rc)
				rc = add(P, major ? "(MM \"" : "(MH \"") < 0 || addn(P, t.data, t.len) < 0;
			wn_buf_release(&t);
			if (rc)
				return -1;
			if (n->qual) {
				abbr = wn_mesh_qualifier_abbr(n->qual);
				if (abbr) {
					char up[3] = { (char)wn_toupper((unsigned char)abbr[0]),
						       (char)wn_toupper((unsigned char)abbr[1]), 0 };
					if (add(P, "/") < 0 || add(P, up) < 0)
						return -1;
					qualified = 1;
				} else {
					NOTE(P, "Q203", n, "subheading '%s' has no abbreviation: dropped", n->qual);
				}
			}
			/* the qualifier is split off at the last '/' (as in print PubMed) */
			if (slash && !qualified && add(P, "/") < 0)
				return -1;
		}
		return add(P, explode ? "+\")" : "\")");
	case WN_QD_SCOPUS:
	case WN_QD_WOS:
		NOTE(P, "Q202", n, "%s has no MeSH: heading '%s' searched as %s%s",
		     wn_qdialect_name(P->d), n->text,
		     P->d == WN_QD_SCOPUS ? "an index term" : "a topic phrase",
		     explode ? " (narrower headings not included)" : "");
		tmp.fields = P->d == WN_QD_SCOPUS ? WN_QF_MESHW : (WN_QF_TI | WN_QF_AB | WN_QF_KW);
		tmp.flags |= WN_QT_QUOTED;
		tmp.qual = NULL;
		if (n->qual)
			NOTE(P, "Q203", n, "subheading '%s' dropped", n->qual);
		{
			const struct wn_qfcode *c = NULL, *cs;
			for (cs = wn_qfcodes(P->d); cs->name; cs++)
				if (cs->print && cs->fields == tmp.fields) {
					c = cs;
					break;
				}
			return term_in_code(P, &tmp, c);
		}
	default:
		return -1;
	}
}

static int print_term(struct pr *P, const struct wn_qnode *n, unsigned ctx_fields)
{
	const struct wn_qfcode *codes[16];
	size_t k, i;
	int widened;
	unsigned fields = n->fields;

	if (fields & WN_QF_MESH) {
		if (fields != WN_QF_MESH) {
			/* MeSH plus other fields: write as an OR */
			struct wn_qnode a = *n, b = *n;
			a.fields = WN_QF_MESH;
			b.fields = fields & ~(unsigned)WN_QF_MESH;
			b.flags &= ~(unsigned)(WN_QT_EXPLODE | WN_QT_MAJOR);
			b.qual = NULL;
			if (add(P, "(") < 0 || print_mesh(P, &a) < 0 || add(P, P->d == WN_QD_OVID ? " or " : " OR ") < 0 ||
			    print_term(P, &b, 0) < 0 || add(P, ")") < 0)
				return -1;
			return 0;
		}
		return print_mesh(P, n);
	}
	if (fields && fields == ctx_fields)
		return term_in_code(P, n, NULL); /* the enclosing group carries the field */
	if (!fields)
		return term_in_code(P, n, NULL);
	k = choose_codes(P, fields, codes, &widened);
	if (k == 0) {
		char names[128];
		fields_names(fields, names, sizeof(names));
		NOTE(P, "Q203", n, "%s has no field for '%s' (%s): searched without a field",
		     wn_qdialect_name(P->d), n->text, names);
		return term_in_code(P, n, NULL);
	}
	if (widened) {
		char names[128];
		fields_names(fields, names, sizeof(names));
		NOTE(P, "Q201", n, "%s has no field for exactly %s: '%s' searched in %s", wn_qdialect_name(P->d),
		     names, n->text, codes[0]->name);
	}
	if (k == 1)
		return term_in_code(P, n, codes[0]);
	if (P->d == WN_QD_OVID) {
		/* .ti,kf. lists several codes in one suffix */
		if (term_words(P, n, 1) < 0 || add(P, ".") < 0)
			return -1;
		for (i = 0; i < k; i++)
			if ((i && add(P, ",") < 0) || add(P, codes[i]->name) < 0)
				return -1;
		return add(P, ".");
	}
	if (add(P, "(") < 0)
		return -1;
	for (i = 0; i < k; i++) {
		if (i && add(P, " OR ") < 0)
			return -1;
		if (term_in_code(P, n, codes[i]) < 0)
			return -1;
	}
	return add(P, ")");
}

/* ---- dates ---- */

static int print_range(struct pr *P, const struct wn_qnode *n, int parent_and)
{
	static const char *const pm[] = { "dp", "edat", "crdt" };
	long ly = n->lo / 10000, hy = n->hi / 10000;
	int open_lo = n->lo == 0, open_hi = n->hi >= 99999999;
	char a[48], b[48];

	if (n->year_only) {
		snprintf(a, sizeof(a), "%04ld", open_lo ? 1000L : ly);
		snprintf(b, sizeof(b), "%04ld", open_hi ? 3000L : hy);
	}
	switch (P->d) {
	case WN_QD_PUBMED:
	case WN_QD_GENERIC:
		if (!n->year_only) {
			snprintf(a, sizeof(a), "%04ld/%02ld/%02ld", open_lo ? 1000L : ly,
				 open_lo ? 1L : n->lo / 100 % 100, open_lo ? 1L : n->lo % 100);
			snprintf(b, sizeof(b), "%04ld/%02ld/%02ld", open_hi ? 3000L : hy,
				 open_hi ? 12L : n->hi / 100 % 100, open_hi ? 31L : n->hi % 100);
		}
		if (wn_buf_addf(P->out, P->err, "%s:%s[%s]", a, b, pm[n->date]) < 0)
			P->oom = 1;
		return P->oom ? -1 : 0;
	case WN_QD_OVID:
		NOTE(P, "Q202", n, "date range written as a search of the .%s. field; Ovid limits are usually applied with 'limit N to yr=' on the final line",
		     n->date == WN_QDATE_ENTRY ? "ed" : n->date == WN_QDATE_CREATE ? "dc" : n->year_only ? "yr" : "dp");
		if (n->date != WN_QDATE_PUB || !n->year_only) {
			snprintf(a, sizeof(a), "%08ld", open_lo ? 10000101L : n->lo);
			snprintf(b, sizeof(b), "%08ld", open_hi ? 30001231L : n->hi);
		}
		if (wn_buf_addf(P->out, P->err, "%s-%s.%s.", a, b,
				n->date == WN_QDATE_ENTRY ? "ed" : n->date == WN_QDATE_CREATE ? "dc" :
				n->year_only ? "yr" : "dp") < 0)
			P->oom = 1;
		return P->oom ? -1 : 0;
	case WN_QD_SCOPUS:
		if (n->date != WN_QDATE_PUB)
			NOTE(P, "Q202", n, "Scopus has only the publication year: the %s range is applied to it",
			     n->date == WN_QDATE_ENTRY ? "entry date" : "create date");
		if (!n->year_only)
			NOTE(P, "Q201", n, "Scopus limits by year only: the date range is widened to whole years");
		if (open_lo && open_hi)
			return add(P, "PUBYEAR > 999");
		if (!open_lo && !open_hi && ly == hy)
			return wn_buf_addf(P->out, P->err, "PUBYEAR = %04ld", ly) < 0 ? (P->oom = 1, -1) : 0;
		if (!open_lo && !open_hi && !parent_and && add(P, "(") < 0)
			return -1;
		if (!open_lo && wn_buf_addf(P->out, P->err, "PUBYEAR > %04ld", ly - 1) < 0)
			return P->oom = 1, -1;
		if (!open_lo && !open_hi && add(P, " AND ") < 0)
			return -1;
		if (!open_hi && wn_buf_addf(P->out, P->err, "PUBYEAR < %04ld", hy + 1) < 0)
			return P->oom = 1, -1;
		if (!open_lo && !open_hi && !parent_and && add(P, ")") < 0)
			return -1;
		return 0;
	case WN_QD_WOS:
		if (n->date != WN_QDATE_PUB)
			NOTE(P, "Q202", n, "Web of Science has only the publication year: the %s range is applied to it",
			     n->date == WN_QDATE_ENTRY ? "entry date" : "create date");
		if (!n->year_only)
			NOTE(P, "Q201", n, "PY= takes years only: the date range is widened to whole years");
		snprintf(a, sizeof(a), "%04ld", open_lo ? 1000L : ly);
		snprintf(b, sizeof(b), "%04ld", open_hi ? 3000L : hy);
		if (wn_buf_addf(P->out, P->err, "PY=%s-%s", a, b) < 0)
			P->oom = 1;
		return P->oom ? -1 : 0;
	case WN_QD_EBSCO:
		if (n->date != WN_QDATE_PUB)
			NOTE(P, "Q202", n, "EBSCO DT is the publication date: the %s range is applied to it",
			     n->date == WN_QDATE_ENTRY ? "entry date" : "create date");
		if (!n->year_only) {
			snprintf(a, sizeof(a), "%08ld", open_lo ? 10000101L : n->lo);
			snprintf(b, sizeof(b), "%08ld", open_hi ? 30001231L : n->hi);
		}
		if (wn_buf_addf(P->out, P->err, "DT %s-%s", a, b) < 0)
			P->oom = 1;
		return P->oom ? -1 : 0;
	default:
		return -1;
	}
}

/* ---- operators ---- */

static const char *op_word(struct pr *P, const struct wn_qnode *n)
{
	int ovid = P->d == WN_QD_OVID;

	switch (n->kind) {
	case WN_Q_AND: return ovid ? " and " : " AND ";
	case WN_Q_OR: return ovid ? " or " : " OR ";
	case WN_Q_NOT: return P->d == WN_QD_SCOPUS ? " AND NOT " : ovid ? " not " : " NOT ";
	default: return " ";
	}
}

static int print_node(struct pr *P, const struct wn_qnode *n, unsigned ctx_fields, int parent_and);

/* All terms below n have the same fields (returned), or 0. MeSH terms never group. */
static unsigned uniform_fields(const struct wn_qnode *n)
{
	size_t i;
	unsigned f = 0, g;

	if (n->kind == WN_Q_TERM)
		return (n->fields & WN_QF_MESH) ? 0 : n->fields;
	if (n->kind == WN_Q_RANGE)
		return 0;
	for (i = 0; i < n->nkids; i++) {
		g = uniform_fields(n->kids[i]);
		if (!g || (f && g != f))
			return 0;
		f = g;
	}
	return f;
}

/* 1 if a SAME chain sits inside the operands of proximity n. Only Web of Science has
 * SAME; elsewhere it is written as AND, and an AND cannot be a proximity operand. */
static int near_has_same(const struct wn_qnode *n)
{
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		const struct wn_qnode *k = n->kids[i];
		if (k->kind == WN_Q_NEAR && k->dist == WN_QDIST_SAME)
			return 1;
		if ((k->kind == WN_Q_NEAR || k->kind == WN_Q_OR) && near_has_same(k))
			return 1;
	}
	return 0;
}

/* Ovid proximity: adjN allows N-1 words between; plain adj is an ordered phrase. */
static int near_op(struct pr *P, const struct wn_qnode *n)
{
	char buf[32];

	if (n->dist == WN_QDIST_SAME) {
		if (P->d == WN_QD_WOS)
			return add(P, " SAME ");
		NOTE(P, "Q202", n, "SAME (same field) written as AND: %s has no such operator",
		     wn_qdialect_name(P->d));
		return add(P, P->d == WN_QD_OVID ? " and " : " AND ");
	}
	switch (P->d) {
	case WN_QD_OVID:
		if (n->ordered && n->dist > 0)
			NOTE(P, "Q202", n, "Ovid adjN ignores word order: the ordered proximity becomes unordered");
		if (n->ordered && n->dist == 0)
			return add(P, " adj ");
		if (n->dist + 1 > 99)
			NOTE(P, "Q115", n, "Ovid allows adj99 at most");
		snprintf(buf, sizeof(buf), " adj%u ", n->dist + 1);
		return add(P, buf);
	case WN_QD_SCOPUS:
		snprintf(buf, sizeof(buf), " %s/%u ", n->ordered ? "PRE" : "W", n->dist);
		return add(P, buf);
	case WN_QD_WOS:
		if (n->ordered)
			NOTE(P, "Q202", n, "Web of Science NEAR ignores word order: the ordered proximity becomes unordered");
		if (n->dist > 15)
			NOTE(P, "Q115", n, "Web of Science allows NEAR/15 at most");
		snprintf(buf, sizeof(buf), " NEAR/%u ", n->dist);
		return add(P, buf);
	case WN_QD_EBSCO:
		snprintf(buf, sizeof(buf), " %c%u ", n->ordered ? 'W' : 'N', n->dist);
		return add(P, buf);
	default:
		snprintf(buf, sizeof(buf), " %s/%u ", n->ordered ? "PRE" : "NEAR", n->dist);
		return add(P, buf);
	}
}

/* PubMed proximity: "a b"[tiab:~N]; operands must be single words in ti/tiab/ad. */
static int pubmed_near(struct pr *P, const struct wn_qnode *n)
{
	size_t i, combos = 1;
	unsigned fields = 0;
	const struct wn_qfcode *code = NULL;
	size_t idx[32];

	if (n->nkids > 32 || n->dist == WN_QDIST_SAME)
		return 1;
	for (i = 0; i < n->nkids; i++) {
		const struct wn_qnode *k = n->kids[i];
		size_t j, alts = 1;
		if (k->kind == WN_Q_OR) {
			alts = k->nkids;
			for (j = 0; j < k->nkids; j++)
				if (k->kids[j]->kind != WN_Q_TERM)
					return 1;
		} else if (k->kind != WN_Q_TERM) {
			return 1;
		}
		for (j = 0; j < alts; j++) {
			const struct wn_qnode *t = k->kind == WN_Q_OR ? k->kids[j] : k;
			if (strchr(t->text, ' ') || (t->flags & WN_QT_EXACT) || (t->fields & WN_QF_MESH))
				return 1;
			if (!fields)
				fields = t->fields;
			else if (t->fields != fields)
				return 1;
		}
		combos *= alts;
		if (combos > 64)
			return 1;
	}
	if (fields == WN_QF_TI)
		code = wn_qfcode_find(WN_QD_PUBMED, "ti", 2);
	else if (fields == (WN_QF_TI | WN_QF_AB | WN_QF_KW) || fields == WN_QF_AB ||
		 fields == (WN_QF_TI | WN_QF_AB) || fields == 0)
		code = wn_qfcode_find(WN_QD_PUBMED, "tiab", 4);
	else if (fields == WN_QF_AD)
		code = wn_qfcode_find(WN_QD_PUBMED, "ad", 2);
	if (!code)
		return 1;
	if (fields != code->fields)
		NOTE(P, "Q201", n, "PubMed proximity works in [ti], [tiab] and [ad] only: searched in [%s]", code->name);
	if (n->ordered && n->nkids > 1)
		NOTE(P, "Q202", n, "PubMed proximity ignores word order: the ordered proximity becomes unordered");
	for (i = 0; i < n->nkids; i++) {
		const struct wn_qnode *k = n->kids[i];
		size_t j, alts = k->kind == WN_Q_OR ? k->nkids : 1;
		for (j = 0; j < alts; j++)
			if (strpbrk((k->kind == WN_Q_OR ? k->kids[j] : k)->text, "*?$")) {
				NOTE(P, "Q202", n, "PubMed does not document wildcards inside a proximity search: check the result count");
				i = n->nkids;
				break;
			}
	}
	memset(idx, 0, sizeof(idx));
	if (combos > 1 && add(P, "(") < 0)
		return -1;
	for (;;) {
		if (add(P, "\"") < 0)
			return -1;
		for (i = 0; i < n->nkids; i++) {
			const struct wn_qnode *k = n->kids[i];
			const struct wn_qnode *t = k->kind == WN_Q_OR ? k->kids[idx[i]] : k;
			struct wn_buf w;
			wn_buf_init(&w, 0);
			if (dialect_text(P, t, &w) < 0 || (i && add(P, " ") < 0) || addn(P, w.data, w.len) < 0) {
				wn_buf_release(&w);
				P->oom = 1;
				return -1;
			}
			wn_buf_release(&w);
		}
		if (wn_buf_addf(P->out, P->err, "\"[%s:~%u]", code->name, n->dist) < 0)
			return P->oom = 1, -1;
		/* next combination */
		for (i = n->nkids; i > 0; i--) {
			const struct wn_qnode *k = n->kids[i - 1];
			size_t alts = k->kind == WN_Q_OR ? k->nkids : 1;
			if (++idx[i - 1] < alts)
				break;
			idx[i - 1] = 0;
		}
		if (i == 0)
			break;
		if (add(P, " OR ") < 0)
			return -1;
	}
	if (combos > 1 && add(P, ")") < 0)
		return -1;
	return 0;
}

static int print_kids(struct pr *P, const struct wn_qnode *n, unsigned ctx_fields)
{
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		const struct wn_qnode *k = n->kids[i];
		int compound = k->kind != WN_Q_TERM && k->kind != WN_Q_RANGE;
		if (i) {
			if (n->kind == WN_Q_NEAR) {
				if (near_op(P, n) < 0)
					return -1;
			} else if (add(P, op_word(P, n)) < 0) {
				return -1;
			}
		}
		if (compound && add(P, "(") < 0)
			return -1;
		if (print_node(P, k, ctx_fields, n->kind == WN_Q_AND) < 0)
			return -1;
		if (compound && add(P, ")") < 0)
			return -1;
	}
	return 0;
}

static int print_node(struct pr *P, const struct wn_qnode *n, unsigned ctx_fields, int parent_and)
{
	unsigned uf;

	if (P->oom)
		return -1;
	if (n->kind == WN_Q_TERM)
		return print_term(P, n, ctx_fields);
	if (n->kind == WN_Q_RANGE)
		return print_range(P, n, parent_and);
	if (n->kind == WN_Q_NEAR && P->d == WN_QD_PUBMED) {
		int r = pubmed_near(P, n);
		if (r <= 0)
			return r;
		NOTE(P, "Q203", n, "PubMed cannot express this proximity (%s): written as AND",
		     n->dist == WN_QDIST_SAME ? "same field" : "phrases, groups or fields it does not allow");
		{
			struct wn_qnode tmp = *n;
			tmp.kind = WN_Q_AND;
			return print_kids(P, &tmp, ctx_fields);
		}
	}
	if (n->kind == WN_Q_NEAR && P->d != WN_QD_WOS && n->dist != WN_QDIST_SAME && near_has_same(n)) {
		/* (a SAME b) NEAR/3 c: the SAME becomes AND, so this proximity must too
		 * (AND finds everything the proximity finds: the translation widens) */
		struct wn_qnode tmp = *n;
		NOTE(P, "Q203", n, "%s cannot express a proximity around SAME (same field): written as AND",
		     wn_qdialect_name(P->d));
		tmp.kind = WN_Q_AND;
		return print_node(P, &tmp, ctx_fields, parent_and);
	}
	/* a group whose terms share one field: write the field once, around the group */
	uf = uniform_fields(n);
	if (!ctx_fields && uf && P->d != WN_QD_PUBMED && P->d != WN_QD_GENERIC) {
		const struct wn_qfcode *codes[16];
		int widened;
		size_t k = choose_codes(P, uf, codes, &widened);
		if (P->d == WN_QD_OVID && k >= 1 && !widened) {
			size_t j;
			if (add(P, "(") < 0 || print_kids(P, n, uf) < 0 || add(P, ").") < 0)
				return -1;
			for (j = 0; j < k; j++)
				if ((j && add(P, ",") < 0) || add(P, codes[j]->name) < 0)
					return -1;
			return add(P, ".");
		}
		if (k == 1 && !widened) {
			const char *c = codes[0]->name;
			switch (P->d) {
			case WN_QD_SCOPUS:
				if (add(P, c) < 0 || add(P, "(") < 0 || print_kids(P, n, uf) < 0 || add(P, ")") < 0)
					return -1;
				return 0;
			case WN_QD_WOS:
				if (add(P, c) < 0 || add(P, "=(") < 0 || print_kids(P, n, uf) < 0 || add(P, ")") < 0)
					return -1;
				return 0;
			case WN_QD_EBSCO:
				if (add(P, c) < 0 || add(P, " (") < 0 || print_kids(P, n, uf) < 0 || add(P, ")") < 0)
					return -1;
				return 0;
			default:
				break;
			}
		}
	}
	return print_kids(P, n, ctx_fields);
}

/* Ovid: trailing date ranges and languages of the top AND become "limit" lines. */
static int print_ovid(struct pr *P, const struct wn_qnode *n)
{
	size_t i, keep;

	if (n->kind != WN_Q_AND)
		return print_node(P, n, 0, 0);
	for (keep = n->nkids; keep > 1; keep--) {
		const struct wn_qnode *k = n->kids[keep - 1];
		if (!(k->kind == WN_Q_RANGE && (k->year_only || k->date == WN_QDATE_ENTRY)) &&
		    !(k->kind == WN_Q_TERM && k->fields == WN_QF_LA && wn_lang_code(k->text, strlen(k->text))))
			break;
	}
	if (keep == n->nkids)
		return print_node(P, n, 0, 0);
	if (add(P, "1 ") < 0)
		return -1;
	if (keep == 1) {
		const struct wn_qnode *k = n->kids[0];
		int compound = k->kind != WN_Q_TERM && k->kind != WN_Q_RANGE;
		if (print_node(P, k, 0, 0) < 0)
			return -1;
		(void)compound;
	} else {
		struct wn_qnode tmp = *n;
		tmp.nkids = keep;
		if (print_node(P, &tmp, 0, 0) < 0)
			return -1;
	}
	if (add(P, "\n2 limit 1 to ") < 0)
		return -1;
	if (n->nkids - keep > 1 && add(P, "(") < 0)
		return -1;
	for (i = keep; i < n->nkids; i++) {
		const struct wn_qnode *k = n->kids[i];
		if (i > keep && add(P, " and ") < 0)
			return -1;
		int r;
		if (k->kind == WN_Q_RANGE && k->date == WN_QDATE_PUB) {
			if (k->hi >= 99999999)
				r = wn_buf_addf(P->out, P->err, "yr=\"%04ld - Current\"", k->lo ? k->lo / 10000 : 1000);
			else
				r = wn_buf_addf(P->out, P->err, "yr=\"%04ld - %04ld\"", k->lo ? k->lo / 10000 : 1000,
						k->hi / 10000);
		} else if (k->kind == WN_Q_RANGE) {
			r = wn_buf_addf(P->out, P->err, "ed=%08ld-%08ld", k->lo ? k->lo : 10000101L,
					k->hi >= 99999999 ? 30001231L : k->hi);
		} else {
			r = wn_buf_addf(P->out, P->err, "%s language",
					wn_lang_name(wn_lang_code(k->text, strlen(k->text))));
		}
		if (r < 0) {
			P->oom = 1;
			return -1;
		}
	}
	if (n->nkids - keep > 1 && add(P, ")") < 0)
		return -1;
	return 0;
}

int wn_query_print(struct wn_buf *out, const struct wn_qnode *n, enum wn_qdialect d,
		   struct wn_qdiags *notes, struct wn_err *err)
{
	struct pr P;
	int rc;

	P.d = d;
	P.out = out;
	P.notes = notes;
	P.err = err;
	P.oom = 0;
	if (!n)
		return wn_err_set(err, WN_EUSAGE, "no query to print");
	rc = d == WN_QD_OVID ? print_ovid(&P, n) : print_node(&P, n, 0, 0);
	if (rc < 0 || P.oom)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	return 0;
}

/*
 * qparse.c - from tokens to the IR, per dialect (see query.h).
 *
 * Each line (or the whole expression) is parsed by one shunting-yard loop: operands and
 * operators go on two explicit stacks, parentheses are stack entries, so nesting costs
 * heap, not C stack; depth of the resulting tree is capped by the node constructors.
 *
 * Precedence, per dialect (higher binds tighter; all operators are left-associative):
 *   pubmed  AND = OR = NOT (strictly left to right; NLM PubMed tutorial)
 *   ovid    AND = OR = NOT < adjN (Ovid does not document it: lint flags mixing)
 *   generic OR < AND < NOT < NEAR/PRE
 *   scopus  AND NOT < AND < W/n, PRE/n < OR   (Scopus help: OR first, AND NOT last)
 *   wos     OR < AND < NOT < NEAR, SAME         (WoS help: SAME > NOT > AND > OR)
 *   ebsco   OR < AND = NOT < Nn, Wn             (EBSCO: "AND takes precedence over OR")
 * Adjacent operands without an operator: Ovid and EBSCO read adjacent words as one
 * phrase; PubMed reads a tagged word sequence (`cigarette smoking[tiab]`) as a phrase
 * and untagged words as AND (its automatic term mapping is not reproduced); the others
 * AND them.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "qint.h"
#include "qlex.h"

enum { OP_LP = 100, OP_PREFIX };

struct opent {
	int kind;            /* QT_AND, QT_OR, QT_NOT, QT_ANDNOT, QT_NEAR, QT_SAME, OP_LP, OP_PREFIX */
	int prec;
	unsigned dist;
	int ordered;
	unsigned line, col;
	int first_op;        /* OP_LP: first boolean operator seen inside (for Q103) */
	unsigned first_line, first_col;
	const struct wn_qfcode *code; /* OP_PREFIX */
};

struct pstate {
	enum wn_qdialect d;
	struct wn_qsrc *src;
	struct wn_query *q;
	struct wn_err *err;
	int oom;
	int fatal;           /* this line failed */
	unsigned curnum;     /* number of the line being parsed (0: unnumbered) */
	/* stacks of the current expression */
	struct opent *ops;
	size_t nops, opcap;
	struct wn_qnode **vals;
	size_t nvals, valcap;
	int base_first_op;
	unsigned base_first_line, base_first_col;
	struct wn_buf tmp;
};

#define DIAG(P, sev, code, line, col, ...) \
	do { \
		if (wn_qdiags_add(&(P)->q->diags, (sev), (code), (line), (col), __VA_ARGS__) < 0) \
			(P)->oom = 1; \
	} while (0)
#define FAIL(P, code, line, col, ...) \
	do { \
		DIAG(P, WN_QSEV_ERROR, code, line, col, __VA_ARGS__); \
		(P)->fatal = 1; \
	} while (0)

static const char *op_name(int kind)
{
	switch (kind) {
	case QT_AND: return "AND";
	case QT_OR: return "OR";
	case QT_NOT: return "NOT";
	case QT_ANDNOT: return "AND NOT";
	case QT_NEAR: return "proximity";
	case QT_SAME: return "SAME";
	default: return "?";
	}
}

static int prec(enum wn_qdialect d, int kind)
{
	switch (d) {
	case WN_QD_PUBMED:
	case WN_QD_OVID:
		return kind == QT_NEAR ? 2 : 1;
	case WN_QD_SCOPUS:
		switch (kind) {
		case QT_ANDNOT: case QT_NOT: return 1;
		case QT_AND: return 2;
		case QT_NEAR: return 3;
		default: return 4; /* OR */
		}
	case WN_QD_WOS:
		switch (kind) {
		case QT_OR: return 1;
		case QT_AND: return 2;
		case QT_NOT: return 3;
		default: return 4; /* NEAR, SAME */
		}
	case WN_QD_EBSCO:
		switch (kind) {
		case QT_OR: return 1;
		case QT_AND: case QT_NOT: return 2;
		default: return 3;
		}
	default: /* generic */
		switch (kind) {
		case QT_OR: return 1;
		case QT_AND: return 2;
		case QT_NOT: case QT_ANDNOT: return 3;
		default: return 4;
		}
	}
}

static const char *reading(enum wn_qdialect d)
{
	switch (d) {
	case WN_QD_PUBMED: return "PubMed reads AND, OR and NOT strictly left to right";
	case WN_QD_OVID: return "Ovid does not document its precedence (read here left to right)";
	case WN_QD_SCOPUS: return "Scopus applies OR first, then W/n and PRE/n, then AND, then AND NOT";
	case WN_QD_WOS: return "Web of Science applies NOT before AND before OR";
	case WN_QD_EBSCO: return "EBSCO applies AND before OR";
	default: return "read here with NOT before AND before OR";
	}
}

/* ---- stacks ---- */

static int push_val(struct pstate *P, struct wn_qnode *n)
{
	if (P->nvals == P->valcap) {
		size_t cap = P->valcap ? P->valcap * 2 : 16;
		struct wn_qnode **v = wn_reallocarray(P->vals, cap, sizeof(*v));
		if (!v) {
			wn_qnode_unref(n);
			P->oom = 1;
			return -1;
		}
		P->vals = v;
		P->valcap = cap;
	}
	P->vals[P->nvals++] = n;
	return 0;
}

static struct opent *push_op(struct pstate *P, int kind, const struct wn_qtoken *t)
{
	struct opent *o;

	if (P->nops == P->opcap) {
		size_t cap = P->opcap ? P->opcap * 2 : 16;
		struct opent *v = wn_reallocarray(P->ops, cap, sizeof(*v));
		if (!v) {
			P->oom = 1;
			return NULL;
		}
		P->ops = v;
		P->opcap = cap;
	}
	o = &P->ops[P->nops++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->line = t ? t->line : 0;
	o->col = t ? t->col : 0;
	return o;
}

static void clear_stacks(struct pstate *P)
{
	while (P->nvals)
		wn_qnode_unref(P->vals[--P->nvals]);
	P->nops = 0;
}

static int node_err(struct pstate *P, unsigned line, unsigned col)
{
	if (P->err->code == WN_ENOMEM) {
		P->oom = 1;
	} else {
		FAIL(P, P->err->code == WN_ELIMIT ? "Q006" : "Q001", line, col, "%s", P->err->msg);
	}
	return -1;
}

/* A proximity operand: a term, an OR of terms, or a proximity chain. */
static int near_operand_ok(const struct wn_qnode *n)
{
	size_t i;

	if (n->kind == WN_Q_TERM)
		return 1;
	if (n->kind == WN_Q_OR || n->kind == WN_Q_NEAR) {
		for (i = 0; i < n->nkids; i++)
			if (!near_operand_ok(n->kids[i]))
				return 0;
		return 1;
	}
	return 0;
}

static int reduce(struct pstate *P)
{
	struct opent o = P->ops[--P->nops];
	struct wn_qnode *kids[2], *n;
	enum wn_qkind kind;

	if (P->nvals < 2) {
		FAIL(P, "Q004", o.line, o.col, "%s has no operand on its left", op_name(o.kind));
		return -1;
	}
	kids[1] = P->vals[--P->nvals];
	kids[0] = P->vals[--P->nvals];
	switch (o.kind) {
	case QT_AND: kind = WN_Q_AND; break;
	case QT_OR: kind = WN_Q_OR; break;
	case QT_NOT: case QT_ANDNOT: kind = WN_Q_NOT; break;
	default: kind = WN_Q_NEAR; break;
	}
	if (kind == WN_Q_NEAR && (!near_operand_ok(kids[0]) || !near_operand_ok(kids[1]))) {
		FAIL(P, "Q010", o.line, o.col,
		     "a proximity operator needs words, phrases or OR-groups of them on both sides");
		wn_qnode_unref(kids[0]);
		wn_qnode_unref(kids[1]);
		return -1;
	}
	n = wn_qnode_new_op(kind, kids, 2, o.kind == QT_SAME ? WN_QDIST_SAME : o.dist,
			    o.ordered, P->err);
	if (!n)
		return node_err(P, o.line, o.col);
	return push_val(P, n);
}

/* ---- term text ---- */

/* Append word text, wildcards normalised to the IR alphabet (query.h). */
static int norm_text(struct pstate *P, struct wn_buf *out, const char *p, size_t n,
		     unsigned line, unsigned col)
{
	enum wn_qdialect d = P->d;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = p[i];
		int at_end = i + 1 == n || wn_isspace((unsigned char)p[i + 1]);
		const char *rep = NULL;
		char one[2] = { c, 0 };

		if (wn_isspace((unsigned char)c)) {
			if (out->len && out->data[out->len - 1] != ' ')
				rep = " ";
			else
				continue;
		} else if (c == '*') {
			rep = "*";
		} else if (c == '?') {
			switch (d) {
			case WN_QD_PUBMED:
				/* punctuation to PubMed: it separates words */
				DIAG(P, WN_QSEV_WARNING, "Q110", line, col,
				     "PubMed has no '?' wildcard: the '?' separates words");
				if (out->len && out->data[out->len - 1] != ' ')
					rep = " ";
				else
					continue;
				break;
			case WN_QD_OVID:
				rep = "$1";
				break;
			case WN_QD_EBSCO:
				if (at_end) {
					DIAG(P, WN_QSEV_WARNING, "Q118", line, col,
					     "EBSCO removes a '?' at the end of a word: it is not a wildcard there");
					continue;
				}
				rep = "?";
				break;
			default:
				rep = "?";
			}
		} else if (c == '#' && d == WN_QD_OVID) {
			rep = "?";
		} else if (c == '#' && d == WN_QD_EBSCO) {
			rep = "$1";
		} else if (c == '$') {
			if (d == WN_QD_OVID || d == WN_QD_GENERIC) {
				size_t used;
				unsigned v = wn_qwild_num(p + i + 1, n - i - 1, &used);
				if (used && v > 0) {
					if (wn_buf_addf(out, P->err, "$%u", v) < 0)
						return -1;
					i += used;
					continue;
				}
				rep = "*"; /* "$" or "$0": unlimited; the digits stay literal */
			} else if (d == WN_QD_WOS) {
				rep = "$1";
			} else {
				continue; /* literal '$': not a word character anyway */
			}
		} else if (c == ':' && d == WN_QD_OVID && at_end) {
			rep = "*";
		} else {
			rep = one;
		}
		if (wn_buf_adds(out, rep, P->err) < 0)
			return -1;
	}
	return 0;
}

static void trim_buf(struct wn_buf *b)
{
	wn_buf_trim(b);
}

/* ---- dates ---- */

/* "1997:2020", "1997/12/08:2020/04/08", "1997-2020", "19971208-20200408", "2019" ->
 * range. `sep` is the range separator to look for (':' or '-'). */
static int parse_date_range(const char *s, size_t n, char sep, long *lo, long *hi)
{
	size_t i, cut = n;

	while (n && (wn_isspace((unsigned char)*s) || *s == '"' || *s == '(')) {
		s++;
		n--;
	}
	while (n && (wn_isspace((unsigned char)s[n - 1]) || s[n - 1] == '"' || s[n - 1] == ')'))
		n--;
	cut = n;
	if (sep == '-') {
		/* the range dash is the one between two dates: "1997-2020", "1997 - 2020",
		 * "19971208-20200408"; a single "2019-03" is a month */
		for (i = 0; i < n; i++)
			if (s[i] == '-' && (i >= 4 && (i + 1 < n))) {
				size_t a = i, b = i + 1;
				while (a > 0 && s[a - 1] == ' ')
					a--;
				while (b < n && s[b] == ' ')
					b++;
				if (a >= 4 && wn_isdigit((unsigned char)s[a - 1]) &&
				    (b + 4 <= n || (n - b >= 3 && wn_isalpha((unsigned char)s[b]))) &&
				    (a == 4 || a == 8)) {
					cut = i;
					break;
				}
			}
	} else {
		for (i = 0; i < n; i++)
			if (s[i] == sep) {
				cut = i;
				break;
			}
	}
	if (cut == n) {
		if (wn_qdate_parse(s, n, 0, lo) < 0 || wn_qdate_parse(s, n, 1, hi) < 0)
			return -1;
		return 0;
	}
	{
		const char *b = s + cut + 1;
		size_t bn = n - cut - 1;
		size_t an = cut;
		while (an && s[an - 1] == ' ')
			an--;
		while (bn && *b == ' ') {
			b++;
			bn--;
		}
		if (an == 0)
			*lo = 0;
		else if (wn_qdate_parse(s, an, 0, lo) < 0)
			return -1;
		if (bn == 0 || (bn >= 7 && (b[0] == 'c' || b[0] == 'C'))) /* "current" */
			*hi = 99999999;
		else if (wn_qdate_parse(b, bn, 1, hi) < 0)
			return -1;
	}
	if (*lo <= 10000101)
		*lo = 0;
	if (*hi >= 30000101)
		*hi = 99999999;
	return *lo <= *hi ? 0 : -1;
}

static int year_only_text(const char *s, size_t n)
{
	size_t i, digits = 0;

	for (i = 0; i < n; i++) {
		if (wn_isdigit((unsigned char)s[i])) {
			digits++;
			if (digits > 4)
				return 0;
		} else {
			if (s[i] == '/' || (s[i] == '-' && digits && digits < 4))
				return 0;
			digits = 0;
		}
	}
	return 1;
}

static struct wn_qnode *range_node(struct pstate *P, const char *s, size_t n, char sep,
				   int date, unsigned line, unsigned col)
{
	long lo, hi;
	struct wn_qnode *r;

	if (parse_date_range(s, n, sep, &lo, &hi) < 0) {
		FAIL(P, "Q011", line, col, "'%.*s' is not a date or a date range", (int)(n > 60 ? 60 : n), s);
		return NULL;
	}
	/* years only when the text has no month or day and the range is whole years:
	 * "1997-2" is February 1997, which printing as years would widen */
	r = wn_qnode_new_range(lo, hi, (enum wn_qdate)date,
			       year_only_text(s, n) && (lo == 0 || lo % 10000 == 101) &&
				       (hi >= 99999999 || hi % 10000 == 1231),
			       P->err);
	if (!r) {
		node_err(P, line, col);
		return NULL;
	}
	r->line = line;
	r->col = col;
	return r;
}

/* ---- terms ---- */

static struct wn_qnode *make_term(struct pstate *P, const char *text, size_t n, unsigned fields,
				  unsigned flags, const char *qual, unsigned line, unsigned col)
{
	struct wn_qnode *t;
	char *clean = wn_malloc(n + 1);
	size_t i, k = 0;

	if (!clean) {
		P->oom = 1;
		return NULL;
	}
	/* a double quote cannot be written inside a phrase in any dialect: it becomes a
	 * space, as it would separate words anyway */
	for (i = 0; i < n; i++) {
		char c = text[i] == '"' ? ' ' : text[i];
		if (c == ' ' && (k == 0 || clean[k - 1] == ' '))
			continue;
		clean[k++] = c;
	}
	while (k && clean[k - 1] == ' ')
		k--;
	if (k == 0) {
		wn_free(clean);
		FAIL(P, "Q001", line, col, "empty search term");
		return NULL;
	}
	t = wn_qnode_new_term(clean, k, fields, flags, qual, P->err);
	wn_free(clean);
	if (!t) {
		node_err(P, line, col);
		return NULL;
	}
	t->line = line;
	t->col = col;
	return t;
}

static int is_word(enum wn_qtok t)
{
	return t == QT_WORD || t == QT_QUOTED;
}

/* A PubMed/generic tag's meaning: fields, flags, date (-1 if none), proximity (-1). */
struct tagv {
	unsigned fields, flags;
	int date;
	long prox;
	int known;
};

static void parse_tag(struct pstate *P, const struct wn_qtoken *t, struct tagv *v)
{
	const char *s = P->src->s + t->off;
	size_t n = t->len, name_n, i;
	const struct wn_qfcode *c;

	memset(v, 0, sizeof(*v));
	v->date = -1;
	v->prox = -1;
	while (n && wn_isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	for (name_n = 0; name_n < n && s[name_n] != ':'; name_n++)
		;
	i = name_n;
	while (name_n && wn_isspace((unsigned char)s[name_n - 1]))
		name_n--;
	c = wn_qfcode_find(P->d, s, name_n);
	if (!c) {
		DIAG(P, WN_QSEV_WARNING, "Q104", t->line, t->col,
		     "unknown field tag [%.*s]: %s", (int)(name_n > 40 ? 40 : name_n), s,
		     P->d == WN_QD_PUBMED ? "PubMed ignores it and searches all fields (so does winnow)"
					  : "searched in all fields");
		v->fields = WN_QF_ALL;
	} else {
		v->known = 1;
		v->fields = c->fields;
		v->flags = c->flags;
		v->date = c->date;
		if (P->d == WN_QD_PUBMED && (c->fields == WN_QF_OTHER))
			DIAG(P, WN_QSEV_WARNING, "Q119", t->line, t->col,
			     "field [%.*s] is not in winnow records: the term cannot match locally",
			     (int)name_n, s);
	}
	if (i < n) {
		const char *o = s + i + 1;
		size_t on = n - i - 1;
		while (on && wn_isspace((unsigned char)*o)) {
			o++;
			on--;
		}
		if (on == 5 && strncmp(o, "noexp", 5) == 0) {
			v->flags &= ~(unsigned)WN_QT_EXPLODE;
		} else if (on >= 2 && o[0] == '~') {
			long k = 0;
			size_t j;
			for (j = 1; j < on && wn_isdigit((unsigned char)o[j]) && k < 100000; j++)
				k = k * 10 + (o[j] - '0');
			if (j == on)
				v->prox = k;
			else
				DIAG(P, WN_QSEV_WARNING, "Q010", t->line, t->col,
				     "proximity '%.*s' is not ~N: ignored", (int)on, o);
		} else {
			DIAG(P, WN_QSEV_WARNING, "Q104", t->line, t->col,
			     "unknown option ':%.*s' in a field tag: ignored", (int)(on > 20 ? 20 : on), o);
		}
	}
}

/* Split "Neoplasms/therapy" for MeSH terms: the qualifier, full name, lower case, its
 * words separated by one space like term text (query.h), so that "x/ therapy" and the
 * printed "x/therapy" are the same IR. *qual is NULL when there is no qualifier (an
 * empty one, "x/", is none). The split is at the last '/', as Ovid's "heading/sh" is
 * read: no qualifier holds a '/', and a heading that does (from another dialect) is
 * printed "a/b/" or "a/b/therapy" and reads back the same. -1 on allocation failure. */
static int split_qualifier(struct wn_buf *text, char **qual)
{
	char *slash = NULL, *q;
	const char *a, *full;
	size_t qn, i, k;

	*qual = NULL;
	for (i = text->len; i > 0 && !slash; i--) /* (memrchr is not on macOS) */
		if (text->data[i - 1] == '/')
			slash = text->data + i - 1;
	if (!slash)
		return 0;
	a = slash + 1;
	qn = text->len - (size_t)(a - text->data);
	while (qn && wn_isspace((unsigned char)*a)) {
		a++;
		qn--;
	}
	while (qn && wn_isspace((unsigned char)a[qn - 1]))
		qn--;
	if (qn) {
		full = wn_mesh_qualifier_name(a, qn);
		q = full ? wn_strdup(full) : wn_strndup(a, qn);
		if (!q)
			return -1;
		for (i = k = 0; q[i]; i++) {
			char c = wn_isspace((unsigned char)q[i]) ? ' ' : (char)wn_tolower((unsigned char)q[i]);
			if (c == ' ' && k && q[k - 1] == ' ')
				continue;
			q[k++] = c;
		}
		q[k] = '\0';
		*qual = q;
	}
	wn_buf_truncate(text, (size_t)(slash - text->data));
	wn_buf_trim(text);
	return 0;
}

/* NEAR of the words of text (PubMed "a b c"[tiab:~N]). */
static struct wn_qnode *prox_of_words(struct pstate *P, const char *text, unsigned fields,
				      unsigned dist, unsigned line, unsigned col)
{
	struct wn_qnode **kids = NULL, *n;
	size_t nk = 0, cap = 0;
	const char *p = text;

	while (*p) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct wn_qnode *t;
		if (nk == cap) {
			size_t c2 = cap ? cap * 2 : 4;
			struct wn_qnode **v = wn_reallocarray(kids, c2, sizeof(*v));
			if (!v)
				goto oom;
			kids = v;
			cap = c2;
		}
		t = make_term(P, p, len, fields, 0, NULL, line, col);
		if (!t)
			goto fail;
		kids[nk++] = t;
		p += len;
		while (*p == ' ')
			p++;
	}
	n = wn_qnode_new_op(WN_Q_NEAR, kids, nk, dist, 0, P->err);
	wn_free(kids);
	if (!n) {
		node_err(P, line, col);
		return NULL;
	}
	return n;
oom:
	P->oom = 1;
fail:
	while (nk)
		wn_qnode_unref(kids[--nk]);
	wn_free(kids);
	return NULL;
}

/* Ovid limit values: "english language", "humans", yr="1997 - 2020", ed=... */
static struct wn_qnode *limit_value(struct pstate *P, const char *s, size_t n, unsigned line,
				    unsigned col)
{
	const char *lang;

	while (n && (wn_isspace((unsigned char)*s) || *s == '(')) {
		s++;
		n--;
	}
	while (n && (wn_isspace((unsigned char)s[n - 1]) || s[n - 1] == ')'))
		n--;
	if (n > 3 && s[2] == '=' && (wn_tolower((unsigned char)s[0]) == 'y' ||
				     wn_tolower((unsigned char)s[0]) == 'e' ||
				     wn_tolower((unsigned char)s[0]) == 'd')) {
		int date = wn_tolower((unsigned char)s[0]) == 'y' ? WN_QDATE_PUB :
			   wn_tolower((unsigned char)s[0]) == 'e' ? WN_QDATE_ENTRY : WN_QDATE_CREATE;
		return range_node(P, s + 3, n - 3, '-', date, line, col);
	}
	lang = wn_lang_code(s, n);
	if (lang)
		return make_term(P, wn_lang_name(lang), strlen(wn_lang_name(lang)), WN_QF_LA, 0, NULL,
				 line, col);
	if ((n == 6 && strncmp(s, "humans", 6) == 0) || (n == 6 && strncmp(s, "Humans", 6) == 0))
		return make_term(P, "Humans", 6, WN_QF_MESH, 0, NULL, line, col);
	if ((n == 7 && (strncmp(s, "animals", 7) == 0 || strncmp(s, "Animals", 7) == 0)))
		return make_term(P, "Animals", 7, WN_QF_MESH, 0, NULL, line, col);
	DIAG(P, WN_QSEV_WARNING, "Q113", line, col,
	     "limit '%.*s' has no equivalent in winnow records: it cannot be applied locally",
	     (int)(n > 60 ? 60 : n), s);
	return make_term(P, s, n, WN_QF_OTHER, 0, NULL, line, col);
}

static struct wn_qnode *line_ref(struct pstate *P, const struct wn_qtoken *t, unsigned num)
{
	size_t i;

	for (i = 0; i < P->q->nlines; i++) {
		if (P->q->lines[i].number == num) {
			if (!P->q->lines[i].node) {
				FAIL(P, "Q005", t->line, t->col, "line %u refers to line %u, which failed to parse",
				     P->curnum, num);
				return NULL;
			}
			P->q->lines[i].referenced = 1;
			return wn_qnode_ref(P->q->lines[i].node);
		}
	}
	if (!P->curnum)
		FAIL(P, "Q005", t->line, t->col,
		     "reference to search %u, which is not part of this query", num);
	else if (num >= P->curnum)
		FAIL(P, "Q005", t->line, t->col, "line %u refers to line %u, which is not before it",
		     P->curnum, num);
	else
		FAIL(P, "Q005", t->line, t->col, "line %u refers to line %u, which does not exist",
		     P->curnum, num);
	return NULL;
}

/* Ovid or/1-5,7 */
static struct wn_qnode *combine(struct pstate *P, const struct wn_qtoken *t)
{
	const char *s = P->src->s + t->off;
	size_t n = t->len, i = 0, nk = 0, cap = 0;
	struct wn_qnode **kids = NULL, *r;
	enum wn_qkind kind = t->op == QT_AND ? WN_Q_AND : t->op == QT_NOT ? WN_Q_NOT : WN_Q_OR;

	while (i < n) {
		unsigned a = 0, b, k;
		int da = 0;
		while (i < n && wn_isdigit((unsigned char)s[i]) && da < 6) {
			a = a * 10 + (unsigned)(s[i++] - '0');
			da++;
		}
		b = a;
		if (i < n && s[i] == '-') {
			int db = 0;
			i++;
			b = 0;
			while (i < n && wn_isdigit((unsigned char)s[i]) && db < 6) {
				b = b * 10 + (unsigned)(s[i++] - '0');
				db++;
			}
			if (!db)
				b = a;
		}
		if (i < n && s[i] == ',')
			i++;
		else if (i < n) {
			FAIL(P, "Q001", t->line, t->col, "cannot read the line list '%.*s'", (int)n, s);
			goto fail;
		}
		if (!da || b < a || b - a > 10000) {
			FAIL(P, "Q001", t->line, t->col, "cannot read the line list '%.*s'", (int)n, s);
			goto fail;
		}
		for (k = a; k <= b; k++) {
			struct wn_qnode *x = line_ref(P, t, k);
			if (!x)
				goto fail;
			if (nk == cap) {
				size_t c2 = cap ? cap * 2 : 8;
				struct wn_qnode **v = wn_reallocarray(kids, c2, sizeof(*v));
				if (!v) {
					wn_qnode_unref(x);
					P->oom = 1;
					goto fail;
				}
				kids = v;
				cap = c2;
			}
			kids[nk++] = x;
		}
	}
	if (!nk) {
		FAIL(P, "Q001", t->line, t->col, "empty line list");
		goto fail;
	}
	r = wn_qnode_new_op(kind, kids, nk, 0, 0, P->err);
	wn_free(kids);
	if (!r)
		node_err(P, t->line, t->col);
	return r;
fail:
	while (nk)
		wn_qnode_unref(kids[--nk]);
	wn_free(kids);
	return NULL;
}

/* The field prefix on top of the operator stack, if any (popped). */
static const struct wn_qfcode *take_prefix(struct pstate *P)
{
	if (P->nops && P->ops[P->nops - 1].kind == OP_PREFIX)
		return P->ops[--P->nops].code;
	return NULL;
}

static struct wn_qnode *apply_code(struct pstate *P, struct wn_qnode *n, const struct wn_qfcode *c,
				   unsigned line, unsigned col)
{
	struct wn_qnode *r;

	if (!c || !n)
		return n;
	if (c->date >= 0) {
		FAIL(P, "Q011", line, col, "a date field needs a date or a date range");
		wn_qnode_unref(n);
		return NULL;
	}
	r = wn_qnode_with_fields(n, c->fields, P->err);
	if (!r)
		node_err(P, line, col);
	return r;
}

/* Build the operand starting at tk[*pi]; advances *pi. */
static struct wn_qnode *operand(struct pstate *P, struct wn_qtoken *tk, size_t nt, size_t *pi)
{
	struct wn_qtoken *t = &tk[*pi];
	const struct wn_qfcode *pre = take_prefix(P);
	unsigned flags = 0, fields = pre ? pre->fields : 0;
	unsigned line = t->line, col = t->col;
	struct wn_buf *text = &P->tmp;
	size_t i = *pi, first = *pi, last;
	int nparts = 0, quoted = 0, exact = 0, explicit_fields = pre != NULL;
	char *qual = NULL;
	struct wn_qnode *n = NULL;

	if (pre)
		flags |= pre->flags;
	/* references and Scopus PUBYEAR */
	if (t->type == QT_REF) {
		(*pi)++;
		return apply_code(P, line_ref(P, t, t->num), pre, line, col);
	}
	if (t->type == QT_COMBINE) {
		(*pi)++;
		return apply_code(P, combine(P, t), pre, line, col);
	}
	if (t->type == QT_PUBYEAR) {
		long y = t->num, ly, hy;
		struct wn_qnode *r;
		(*pi)++;
		/* the first and last year searched; the IR knows years 1000 to 9999 (dates
		 * before 1000 are an open start, as in every other dialect's date syntax) */
		ly = t->op == '>' ? y + 1 : t->op == '=' ? y : 0;
		hy = t->op == '<' ? y - 1 : t->op == '=' ? y : 9999;
		if (ly > 9999 || hy < 1000) {
			FAIL(P, "Q011", line, col, "'PUBYEAR %c %ld' leaves no year to search (years 1000 to 9999)",
			     t->op, y);
			return NULL;
		}
		r = wn_qnode_new_range(ly ? ly * 10000 + 101 : 0, hy * 10000 + 1231, WN_QDATE_PUB, 1, P->err);
		if (!r)
			node_err(P, line, col);
		else {
			r->line = line;
			r->col = col;
		}
		return r;
	}
	/* date prefixes: PY=1997-2020, DT 1997-2020 */
	if (pre && pre->date >= 0) {
		if (t->type == QT_LP && i + 2 < nt && tk[i + 1].type == QT_WORD && tk[i + 2].type == QT_RP) {
			*pi = i + 3;
			return range_node(P, P->src->s + tk[i + 1].off, tk[i + 1].len, '-', pre->date, line, col);
		}
		if (is_word(t->type)) {
			*pi = i + 1;
			return range_node(P, P->src->s + t->off, t->len, '-', pre->date, line, col);
		}
		FAIL(P, "Q011", line, col, "a date field needs a date or a date range");
		return NULL;
	}
	/* Ovid exp / * before a heading */
	while (i < nt && (tk[i].type == QT_EXP || tk[i].type == QT_MAJOR)) {
		flags |= tk[i].type == QT_EXP ? WN_QT_EXPLODE : WN_QT_MAJOR;
		i++;
	}
	/* the words of the term */
	wn_buf_reset(text);
	last = i;
	while (i < nt) {
		enum wn_qtok ty = tk[i].type;
		int phrase_dialect = P->d == WN_QD_OVID || P->d == WN_QD_EBSCO;
		if (ty == QT_NEAR && nparts == 0)
			ty = QT_WORD; /* EBSCO "N2", Ovid "adj" where a word is expected */
		if (ty != QT_WORD && ty != QT_QUOTED && ty != QT_EXACT)
			break;
		if (nparts > 0 && !phrase_dialect) {
			/* PubMed: words followed by a tag are one phrase */
			size_t k = i;
			if (P->d != WN_QD_PUBMED || quoted || ty != QT_WORD)
				break;
			while (k < nt && tk[k].type == QT_WORD)
				k++;
			if (k >= nt || tk[k].type != QT_TAG)
				break;
		}
		if (nparts > 0 && phrase_dialect && (ty == QT_QUOTED) != 0 && P->d == WN_QD_EBSCO)
			break;
		if (nparts > 0 && P->d == WN_QD_PUBMED && ty == QT_QUOTED)
			break;
		if (text->len && wn_buf_addc(text, ' ', P->err) < 0)
			goto oom;
		if (norm_text(P, text, P->src->s + tk[i].off, tk[i].len, tk[i].line, tk[i].col) < 0)
			goto oom;
		if (ty == QT_QUOTED)
			quoted++;
		if (ty == QT_EXACT)
			exact = 1;
		nparts++;
		last = i;
		i++;
		if (P->d != WN_QD_OVID && P->d != WN_QD_EBSCO && P->d != WN_QD_PUBMED)
			break; /* one word per operand */
		if (P->d == WN_QD_PUBMED && ty == QT_QUOTED)
			break;
	}
	(void)last;
	if (nparts == 0) {
		if (flags & (WN_QT_EXPLODE | WN_QT_MAJOR))
			FAIL(P, "Q001", line, col, "'exp' or '*' must be followed by a subject heading and '/'");
		else
			FAIL(P, "Q004", line, col, "a search term is missing here");
		return NULL;
	}
	trim_buf(text);
	/* EBSCO MH "Heading+" */
	if (P->d == WN_QD_EBSCO && pre && (pre->fields & WN_QF_MESH) && text->len &&
	    text->data[text->len - 1] == '+') {
		flags |= WN_QT_EXPLODE;
		wn_buf_truncate(text, text->len - 1);
		trim_buf(text);
	}
	if (text->len == 0) {
		FAIL(P, "Q001", line, col, "empty search term");
		return NULL;
	}
	if (quoted == 1 && nparts == 1)
		flags |= WN_QT_QUOTED;
	/* PubMed: several words in one term are a phrase, written in quotes */
	if (P->d == WN_QD_PUBMED && memchr(text->data, ' ', text->len))
		flags |= WN_QT_QUOTED;
	if (exact)
		flags |= WN_QT_EXACT;
	/* what follows the term: [tag], .suffix., heading slash */
	if (i < nt && tk[i].type == QT_TAG && (P->d == WN_QD_PUBMED || P->d == WN_QD_GENERIC)) {
		struct tagv v;
		parse_tag(P, &tk[i], &v);
		if (explicit_fields)
			DIAG(P, WN_QSEV_WARNING, "Q001", tk[i].line, tk[i].col, "two field codes on one term");
		i++;
		if (v.date >= 0) {
			/* "2015"[dp] : "3000"[dp] */
			if (i + 1 < nt && tk[i].type == QT_COLON && is_word(tk[i + 1].type)) {
				struct wn_buf both;
				size_t j = i + 1;
				wn_buf_init(&both, 0);
				if (wn_buf_add(&both, text->data, text->len, P->err) < 0 ||
				    wn_buf_addc(&both, ':', P->err) < 0 ||
				    wn_buf_add(&both, P->src->s + tk[j].off, tk[j].len, P->err) < 0) {
					wn_buf_release(&both);
					goto oom;
				}
				i = j + 1;
				if (i < nt && tk[i].type == QT_TAG)
					i++;
				n = range_node(P, both.data, both.len, ':', v.date, line, col);
				wn_buf_release(&both);
			} else {
				n = range_node(P, text->data, text->len, ':', v.date, line, col);
			}
			*pi = i;
			return n;
		}
		fields = v.fields;
		flags |= v.flags;
		explicit_fields = 1;
		/* PubMed looks a tagged word sequence up as a phrase, as if quoted */
		if (nparts > 1 && P->d == WN_QD_PUBMED)
			flags |= WN_QT_QUOTED;
		if (v.prox >= 0) {
			if (!(flags & WN_QT_QUOTED) || !strchr(text->data, ' ')) {
				DIAG(P, WN_QSEV_WARNING, "Q010", line, col,
				     "proximity [field:~N] needs two or more words in quotes: read as a plain term");
			} else {
				if (P->d == WN_QD_PUBMED && (fields & ~(unsigned)(WN_QF_TI | WN_QF_AB | WN_QF_KW | WN_QF_AD)))
					DIAG(P, WN_QSEV_WARNING, "Q010", line, col,
					     "PubMed proximity works only in [ti], [tiab] and [ad]");
				*pi = i;
				n = prox_of_words(P, text->data, fields, (unsigned)v.prox, line, col);
				return n;
			}
		}
	} else if (i < nt && tk[i].type == QT_HEADING && P->d == WN_QD_OVID) {
		const char *qs = P->src->s + tk[i].off;
		size_t qn = tk[i].len, k;
		fields = WN_QF_MESH;
		explicit_fields = 1;
		for (k = 0; k + 5 <= qn; k++)
			if (strncmp(qs + k, "freq=", 5) == 0 || strncmp(qs + k, "FREQ=", 5) == 0) {
				DIAG(P, WN_QSEV_WARNING, "Q113", tk[i].line, tk[i].col,
				     "frequency limit '/%.*s' cannot be applied locally: ignored", (int)qn, qs);
				qn = 0;
				fields = 0;
				explicit_fields = 0;
				break;
			}
		if (qn) {
			size_t a = 0;
			/* several qualifiers "dt,th": the first one here; others as OR below */
			while (a < qn && qs[a] != ',')
				a++;
			{
				const char *full = wn_mesh_qualifier_name(qs[0] == '*' ? qs + 1 : qs,
									  qs[0] == '*' ? a - 1 : a);
				qual = full ? wn_strdup(full) : wn_strndup(qs, a);
				if (!qual)
					goto oom;
				if (!full)
					DIAG(P, WN_QSEV_WARNING, "Q104", tk[i].line, tk[i].col,
					     "unknown subheading '/%.*s'", (int)a, qs);
			}
			if (a < qn)
				DIAG(P, WN_QSEV_WARNING, "Q113", tk[i].line, tk[i].col,
				     "several subheadings '/%.*s': only the first is used", (int)qn, qs);
		}
		if (!(flags & WN_QT_EXPLODE) && quoted == 0)
			flags &= ~(unsigned)WN_QT_QUOTED;
		i++;
	} else if (i < nt && tk[i].type == QT_SUFFIX && P->d == WN_QD_OVID) {
		/* handled below, shared with groups */
	}
	if ((flags & (WN_QT_EXPLODE | WN_QT_MAJOR)) && P->d == WN_QD_OVID && !(fields & WN_QF_MESH)) {
		if (flags & WN_QT_EXPLODE) {
			FAIL(P, "Q001", line, col, "'exp' must be followed by a subject heading ending in '/'");
			wn_free(qual);
			return NULL;
		}
		/* '*word' without a heading: a left truncation */
		DIAG(P, WN_QSEV_WARNING, "Q110", line, col,
		     "Ovid has no left truncation: '*' before a word is read as a wildcard");
		flags &= ~(unsigned)WN_QT_MAJOR;
		if (wn_buf_grow(text, 1, P->err) < 0)
			goto oom;
		memmove(text->data + 1, text->data, text->len + 1);
		text->data[0] = '*';
		text->len++;
	}
	if ((fields & WN_QF_MESH) && !qual && (P->d == WN_QD_PUBMED || P->d == WN_QD_GENERIC ||
					      P->d == WN_QD_EBSCO)) {
		if (split_qualifier(text, &qual) < 0)
			goto oom;
	}
	if (fields & (WN_QF_MESH | WN_QF_PT | WN_QF_LA | WN_QF_JOURNAL))
		flags &= ~(unsigned)WN_QT_QUOTED; /* whole-value fields: quotes change nothing */
	if (!(fields & WN_QF_MESH))
		flags &= ~(unsigned)(WN_QT_EXPLODE | WN_QT_MAJOR);
	(void)first;
	n = make_term(P, text->data, text->len, fields, flags, qual, line, col);
	wn_free(qual);
	*pi = i;
	return n;
oom:
	wn_free(qual);
	P->oom = 1;
	return NULL;
}

/* Ovid .ti,ab. after a term or a group. */
static struct wn_qnode *apply_suffix(struct pstate *P, struct wn_qnode *n, const struct wn_qtoken *t)
{
	const char *s = P->src->s + t->off + 1;
	size_t len = t->len - 1, i = 0;
	unsigned fields = 0;
	int date = -1;
	struct wn_qnode *r;

	if (len && s[len - 1] == '.')
		len--;
	while (i < len) {
		size_t a = i;
		const struct wn_qfcode *c;
		while (i < len && s[i] != ',')
			i++;
		{
			size_t e = i;
			while (a < e && s[a] == ' ')
				a++;
			c = wn_qfcode_find(WN_QD_OVID, s + a, e - a);
			if (!c) {
				DIAG(P, WN_QSEV_WARNING, "Q104", t->line, t->col,
				     "unknown Ovid field '.%.*s.': searched in all fields", (int)(e - a), s + a);
				fields |= WN_QF_ALL;
			} else if (c->date >= 0) {
				date = c->date;
			} else {
				fields |= c->fields;
				if (c->fields == WN_QF_OTHER)
					DIAG(P, WN_QSEV_WARNING, "Q119", t->line, t->col,
					     "field '.%.*s.' is not in winnow records: the term cannot match locally",
					     (int)(e - a), s + a);
			}
		}
		if (i < len)
			i++;
	}
	if (date >= 0) {
		if (n->kind != WN_Q_TERM) {
			FAIL(P, "Q011", t->line, t->col, "a date field needs a date or a date range");
			wn_qnode_unref(n);
			return NULL;
		}
		r = range_node(P, n->text, strlen(n->text), '-', date, n->line, n->col);
		wn_qnode_unref(n);
		return r;
	}
	if (n->kind == WN_Q_TERM && n->fields) {
		DIAG(P, WN_QSEV_WARNING, "Q001", t->line, t->col, "two field codes on one term");
		return n;
	}
	r = wn_qnode_with_fields(n, fields, P->err);
	if (!r)
		node_err(P, t->line, t->col);
	return r;
}

/* Note mixing of boolean operators at one parenthesis level (Q103). */
static void note_mixing(struct pstate *P, const struct wn_qtoken *t, int kind)
{
	int *first = &P->base_first_op;
	unsigned *fl = &P->base_first_line, *fc = &P->base_first_col;
	size_t k;
	int a, b;

	if (kind == QT_NEAR || kind == QT_SAME)
		return;
	for (k = P->nops; k > 0; k--)
		if (P->ops[k - 1].kind == OP_LP) {
			first = &P->ops[k - 1].first_op;
			fl = &P->ops[k - 1].first_line;
			fc = &P->ops[k - 1].first_col;
			break;
		}
	if (!*first) {
		*first = kind;
		*fl = t->line;
		*fc = t->col;
		return;
	}
	a = *first == QT_ANDNOT ? QT_NOT : *first;
	b = kind == QT_ANDNOT ? QT_NOT : kind;
	if (a == b)
		return;
	/* AND with NOT reads the same in every dialect ((a AND b) NOT c = a AND (b NOT c)) */
	if ((a == QT_AND && b == QT_NOT) || (a == QT_NOT && b == QT_AND)) {
		if (P->d != WN_QD_SCOPUS)
			return;
	}
	DIAG(P, WN_QSEV_WARNING, "Q103", t->line, t->col,
	     "%s and %s mixed without parentheses: %s; add parentheses", op_name(*first),
	     op_name(kind), reading(P->d));
}

static int starts_operand(struct pstate *P, const struct wn_qtoken *t)
{
	switch (t->type) {
	case QT_WORD: case QT_QUOTED: case QT_EXACT: case QT_LP: case QT_PREFIX: case QT_REF:
	case QT_COMBINE: case QT_PUBYEAR: case QT_EXP: case QT_MAJOR:
		return 1;
	case QT_NEAR:
		return P->d == WN_QD_EBSCO || P->d == WN_QD_OVID;
	default:
		return 0;
	}
}

static int is_binop(enum wn_qtok t)
{
	return t == QT_AND || t == QT_OR || t == QT_NOT || t == QT_ANDNOT || t == QT_NEAR ||
	       t == QT_SAME;
}

static struct wn_qnode *parse_limit(struct pstate *P, struct wn_qtoken *tk, size_t nt);

/* Parse one expression: tk[0..nt). NULL on error (reported) or allocation failure. */
static struct wn_qnode *parse_expr(struct pstate *P, struct wn_qtoken *tk, size_t nt)
{
	size_t i = 0;
	int expect = 1; /* expecting an operand */
	struct wn_qnode *res = NULL;

	P->nops = 0;
	P->nvals = 0;
	P->base_first_op = 0;
	if (nt == 0) {
		FAIL(P, "Q008", P->curnum ? P->src->line[0] : 1, 1, "empty search");
		return NULL;
	}
	if (P->d == WN_QD_OVID && tk[0].type == QT_WORD && tk[0].len == 5 &&
	    strncmp(P->src->s + tk[0].off, "limit", 5) == 0)
		return parse_limit(P, tk, nt);
	if (P->d == WN_QD_OVID && nt >= 4 && tk[0].type == QT_WORD &&
	    (strncmp(P->src->s + tk[0].off, "remove", 6) == 0) && tk[nt - 1].type == QT_REF) {
		/* "remove duplicates from 5" */
		return line_ref(P, &tk[nt - 1], tk[nt - 1].num);
	}
	while (i < nt && !P->fatal && !P->oom) {
		struct wn_qtoken *t = &tk[i];

		if (P->d == WN_QD_PUBMED && (t->type == QT_AND || t->type == QT_OR || t->type == QT_NOT) &&
		    t->lower) {
			DIAG(P, WN_QSEV_WARNING, "Q102", t->line, t->col,
			     "lower-case '%.*s' is a search word in PubMed, not an operator: write %s",
			     (int)t->len, P->src->s + t->off, op_name(t->type));
			t->type = QT_WORD;
		}
		if (expect) {
			if (t->type == QT_LP) {
				struct opent *o = push_op(P, OP_LP, t);
				if (!o)
					break;
				i++;
				continue;
			}
			if (t->type == QT_PREFIX) {
				struct opent *o;
				const struct wn_qfcode *c = wn_qfcode_find(P->d, P->src->s + t->off, t->len);
				if (!c) {
					FAIL(P, "Q104", t->line, t->col, "unknown field code");
					break;
				}
				o = push_op(P, OP_PREFIX, t);
				if (!o)
					break;
				o->code = c;
				if (c->fields == WN_QF_OTHER)
					DIAG(P, WN_QSEV_WARNING, "Q119", t->line, t->col,
					     "field %.*s is not in winnow records: its terms cannot match locally",
					     (int)t->len, P->src->s + t->off);
				i++;
				continue;
			}
			if (starts_operand(P, t)) {
				struct wn_qnode *n = operand(P, tk, nt, &i);
				if (!n)
					break;
				if (i < nt && tk[i].type == QT_SUFFIX) {
					n = apply_suffix(P, n, &tk[i]);
					i++;
					if (!n)
						break;
				}
				if (push_val(P, n) < 0)
					break;
				expect = 0;
				continue;
			}
			if (t->type == QT_RP) {
				FAIL(P, "Q004", t->line, t->col, "')' where a search term was expected");
				break;
			}
			if (is_binop(t->type)) {
				FAIL(P, "Q004", t->line, t->col, "%s has no operand on its left",
				     op_name(t->type));
				break;
			}
			FAIL(P, "Q001", t->line, t->col, "unexpected '%.*s'", (int)(t->len > 40 ? 40 : t->len),
			     P->src->s + t->off);
			break;
		}
		/* expecting an operator */
		if (t->type == QT_RP) {
			size_t k;
			struct wn_qnode *g;
			while (P->nops && P->ops[P->nops - 1].kind != OP_LP)
				if (reduce(P) < 0)
					break;
			if (P->fatal || P->oom)
				break;
			k = P->nops;
			if (k == 0) {
				FAIL(P, "Q002", t->line, t->col, "unbalanced parenthesis: this ')' has no '('");
				break;
			}
			P->nops--;
			i++;
			g = P->vals[--P->nvals];
			if (i < nt && tk[i].type == QT_SUFFIX && P->d == WN_QD_OVID) {
				g = apply_suffix(P, g, &tk[i]);
				i++;
			} else if (i < nt && tk[i].type == QT_TAG) {
				struct tagv v;
				parse_tag(P, &tk[i], &v);
				if (P->d == WN_QD_PUBMED)
					DIAG(P, WN_QSEV_ERROR, "Q009", tk[i].line, tk[i].col,
					     "PubMed cannot apply a field tag to a parenthesised group: put the tag on each term (applied to each term here)");
				if (v.date >= 0) {
					FAIL(P, "Q011", tk[i].line, tk[i].col, "a date tag after a group");
					wn_qnode_unref(g);
					break;
				}
				g = wn_qnode_with_fields(g, v.fields, P->err);
				if (!g)
					node_err(P, tk[i].line, tk[i].col);
				i++;
			}
			if (!g)
				break;
			{
				const struct wn_qfcode *c;
				while ((c = take_prefix(P)) != NULL && g)
					g = apply_code(P, g, c, t->line, t->col);
			}
			if (!g || push_val(P, g) < 0)
				break;
			continue;
		}
		if (is_binop(t->type) || (t->type == QT_NOT)) {
			int kind = t->type;
			struct opent *o;
			int p;
			if (kind == QT_NEAR || kind == QT_SAME) {
				/* a proximity word at the end or before an operator is a word */
				if (i + 1 >= nt || !starts_operand(P, &tk[i + 1])) {
					if (P->d == WN_QD_EBSCO || P->d == WN_QD_OVID) {
						t->type = QT_WORD;
						goto implicit;
					}
					FAIL(P, "Q004", t->line, t->col, "%s has no operand on its right",
					     op_name(kind));
					break;
				}
			}
			if (kind == QT_NOT && P->d == WN_QD_SCOPUS)
				DIAG(P, WN_QSEV_WARNING, "Q111", t->line, t->col,
				     "Scopus expects AND NOT; NOT alone is read as AND NOT");
			p = prec(P->d, kind);
			note_mixing(P, t, kind);
			while (P->nops && P->ops[P->nops - 1].kind != OP_LP &&
			       P->ops[P->nops - 1].kind != OP_PREFIX && P->ops[P->nops - 1].prec >= p)
				if (reduce(P) < 0)
					break;
			if (P->fatal || P->oom)
				break;
			o = push_op(P, kind, t);
			if (!o)
				break;
			o->prec = p;
			o->dist = t->dist;
			o->ordered = t->ordered;
			if (kind == QT_NEAR && P->d == WN_QD_WOS && t->dist > 15)
				DIAG(P, WN_QSEV_WARNING, "Q115", t->line, t->col,
				     "Web of Science allows NEAR/15 at most");
			if (kind == QT_NEAR && P->d == WN_QD_OVID && t->dist + 1 > 99)
				DIAG(P, WN_QSEV_WARNING, "Q115", t->line, t->col, "Ovid allows adj99 at most");
			if (kind == QT_NEAR && P->d == WN_QD_SCOPUS && t->dist > 255)
				DIAG(P, WN_QSEV_WARNING, "Q115", t->line, t->col, "Scopus allows W/255 at most");
			i++;
			expect = 1;
			continue;
		}
implicit:
		if (starts_operand(P, t) || t->type == QT_WORD) {
			/* no operator between two operands: AND */
			struct opent *o;
			int p = prec(P->d, QT_AND);
			if (P->d == WN_QD_OVID || P->d == WN_QD_EBSCO)
				DIAG(P, WN_QSEV_WARNING, "Q112", t->line, t->col,
				     "no operator before this: read as AND");
			note_mixing(P, t, QT_AND);
			while (P->nops && P->ops[P->nops - 1].kind != OP_LP &&
			       P->ops[P->nops - 1].kind != OP_PREFIX && P->ops[P->nops - 1].prec >= p)
				if (reduce(P) < 0)
					break;
			if (P->fatal || P->oom)
				break;
			o = push_op(P, QT_AND, t);
			if (!o)
				break;
			o->prec = p;
			expect = 1;
			continue;
		}
		if (t->type == QT_TAG) {
			FAIL(P, "Q001", t->line, t->col, "field tag [%.*s] in an unexpected place",
			     (int)(t->len > 30 ? 30 : t->len), P->src->s + t->off);
			break;
		}
		if (t->type == QT_SUFFIX || t->type == QT_HEADING) {
			FAIL(P, "Q001", t->line, t->col, "'%.*s' in an unexpected place",
			     (int)(t->len > 30 ? 30 : t->len), P->src->s + t->off);
			break;
		}
		FAIL(P, "Q001", t->line, t->col, "unexpected '%.*s'", (int)(t->len > 40 ? 40 : t->len),
		     P->src->s + t->off);
		break;
	}
	if (!P->fatal && !P->oom) {
		if (expect) {
			const struct wn_qtoken *t = &tk[nt - 1];
			if (P->nops && P->ops[P->nops - 1].kind == OP_LP)
				FAIL(P, "Q002", P->ops[P->nops - 1].line, P->ops[P->nops - 1].col,
				     "unbalanced parenthesis: this '(' is never closed");
			else
				FAIL(P, "Q004", t->line, t->col, "the search ends with an operator");
		} else {
			while (P->nops && !P->fatal && !P->oom) {
				if (P->ops[P->nops - 1].kind == OP_LP) {
					FAIL(P, "Q002", P->ops[P->nops - 1].line, P->ops[P->nops - 1].col,
					     "unbalanced parenthesis: this '(' is never closed");
					break;
				}
				if (P->ops[P->nops - 1].kind == OP_PREFIX) {
					P->nops--;
					continue;
				}
				reduce(P);
			}
			if (!P->fatal && !P->oom && P->nvals == 1)
				res = P->vals[--P->nvals];
		}
	}
	clear_stacks(P);
	return res;
}

/* Ovid "limit 5 to (english language and humans)" */
static struct wn_qnode *parse_limit(struct pstate *P, struct wn_qtoken *tk, size_t nt)
{
	struct wn_qnode *kids[64], *base, *r;
	size_t nk = 0, i = 3;

	if (nt < 4 || tk[1].type != QT_REF || tk[2].type != QT_WORD || tk[2].len != 2 ||
	    wn_tolower((unsigned char)P->src->s[tk[2].off]) != 't') {
		FAIL(P, "Q001", tk[0].line, tk[0].col, "expected 'limit N to ...'");
		return NULL;
	}
	base = line_ref(P, &tk[1], tk[1].num);
	if (!base)
		return NULL;
	kids[nk++] = base;
	while (i < nt && nk < 64) {
		size_t a, b;
		struct wn_qnode *v;
		while (i < nt && (tk[i].type == QT_LP || tk[i].type == QT_RP || tk[i].type == QT_AND ||
				  tk[i].type == QT_OR))
			i++;
		if (i >= nt)
			break;
		a = i;
		while (i < nt && !(tk[i].type == QT_AND || tk[i].type == QT_OR || tk[i].type == QT_RP))
			i++;
		b = tk[i - 1].off + tk[i - 1].len + (tk[i - 1].type == QT_QUOTED ? 1 : 0);
		v = limit_value(P, P->src->s + tk[a].off - (tk[a].type == QT_QUOTED ? 1 : 0),
				b - tk[a].off + (tk[a].type == QT_QUOTED ? 1 : 0), tk[a].line, tk[a].col);
		if (!v)
			break;
		kids[nk++] = v;
	}
	if (i < nt && nk == 64 && !P->fatal && !P->oom)
		FAIL(P, "Q113", tk[i].line, tk[i].col, "more than 63 limits on one line: split the limit");
	if (P->fatal || P->oom) {
		while (nk)
			wn_qnode_unref(kids[--nk]);
		return NULL;
	}
	r = wn_qnode_new_op(WN_Q_AND, kids, nk, 0, 0, P->err);
	if (!r)
		node_err(P, tk[0].line, tk[0].col);
	return r;
}

static int add_qline(struct wn_query *q, unsigned number, unsigned srcline)
{
	struct wn_qline *v = wn_reallocarray(q->lines, q->nlines + 1, sizeof(*v));

	if (!v)
		return -1;
	q->lines = v;
	memset(&v[q->nlines], 0, sizeof(v[0]));
	v[q->nlines].number = number;
	v[q->nlines].srcline = srcline;
	q->nlines++;
	return 0;
}

struct wn_query *wn_query_parse(const char *text, size_t n, enum wn_qdialect d,
				struct wn_err *err)
{
	struct wn_query *q = wn_calloc(1, sizeof(*q));
	struct pstate P;
	struct wn_qsrc src;
	struct wn_qtokens toks = { NULL, 0, 0 };
	size_t li;
	int any_fatal = 0;

	if (!q) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	q->dialect = d;
	wn_qdiags_init(&q->diags);
	memset(&P, 0, sizeof(P));
	P.d = d;
	P.q = q;
	P.err = err;
	P.src = &src;
	wn_buf_init(&P.tmp, WN_QUERY_MAX_BYTES * 2);
	if (n > WN_QUERY_MAX_BYTES) {
		if (wn_qdiags_add(&q->diags, WN_QSEV_ERROR, "Q007", 0, 0,
				  "the query is longer than %zu bytes", WN_QUERY_MAX_BYTES) < 0)
			goto oom0;
		wn_buf_release(&P.tmp);
		return q;
	}
	if (wn_qsrc_init(&src, text, n, &q->diags, err) < 0)
		goto oom0;
	if (wn_qsrc_lines(&src, d, &q->diags, err) < 0)
		goto oom;
	for (li = 0; li < src.nlines; li++) {
		struct wn_qsrc_line *L = &src.lines[li];
		struct wn_qnode *node;
		if (src.numbered && add_qline(q, L->number, src.line[L->start]) < 0)
			goto oom;
		toks.n = 0;
		P.fatal = 0;
		P.curnum = L->number;
		if (wn_qlex(&toks, &src, L->start, L->end, d, &q->diags, err) < 0)
			goto oom;
		if (wn_qdiags_count(&q->diags, WN_QSEV_ERROR) && toks.n == 0 &&
		    q->diags.v[q->diags.n - 1].sev == WN_QSEV_ERROR) {
			any_fatal = 1;
			continue;
		}
		node = parse_expr(&P, toks.v, toks.n);
		if (P.oom)
			goto oom;
		if (!node)
			any_fatal = 1;
		if (src.numbered)
			q->lines[q->nlines - 1].node = node;
		else
			q->root = node;
	}
	if (src.numbered && q->nlines) {
		q->root = q->lines[q->nlines - 1].node ? wn_qnode_ref(q->lines[q->nlines - 1].node) : NULL;
		if (q->lines[q->nlines - 1].node)
			q->lines[q->nlines - 1].referenced = 1;
	}
	if (src.nlines == 0 || (src.n == 0)) {
		if (wn_qdiags_add(&q->diags, WN_QSEV_ERROR, "Q008", 0, 0, "the query is empty") < 0)
			goto oom;
		any_fatal = 1;
	}
	/* lexical errors (unbalanced quotes) leave a parse of a fragment: not usable */
	{
		size_t k;
		for (k = 0; k < q->diags.n; k++)
			if (q->diags.v[k].sev == WN_QSEV_ERROR && q->diags.v[k].code[1] == '0' &&
			    strcmp(q->diags.v[k].code, "Q009") != 0)
				any_fatal = 1;
	}
	if (any_fatal && q->root) {
		wn_qnode_unref(q->root);
		q->root = NULL;
	}
	if (q->root && wn_qnode_expanded_size(q->root, WN_QUERY_MAX_NODES) >= WN_QUERY_MAX_NODES) {
		if (wn_qdiags_add(&q->diags, WN_QSEV_ERROR, "Q007", 0, 0,
				  "the query has more than %d terms and operators when line references are expanded",
				  WN_QUERY_MAX_NODES) < 0)
			goto oom;
		wn_qnode_unref(q->root);
		q->root = NULL;
	}
	wn_qtokens_release(&toks);
	wn_qsrc_release(&src);
	wn_free(P.ops);
	wn_free(P.vals);
	wn_buf_release(&P.tmp);
	return q;
oom:
	wn_qtokens_release(&toks);
	wn_qsrc_release(&src);
oom0:
	clear_stacks(&P);
	wn_free(P.ops);
	wn_free(P.vals);
	wn_buf_release(&P.tmp);
	wn_query_free(q);
	wn_err_set(err, WN_ENOMEM, "out of memory");
	return NULL;
}

void wn_query_free(struct wn_query *q)
{
	size_t i;

	if (!q)
		return;
	wn_qnode_unref(q->root);
	for (i = 0; i < q->nlines; i++)
		wn_qnode_unref(q->lines[i].node);
	wn_free(q->lines);
	wn_qdiags_release(&q->diags);
	wn_free(q);
}

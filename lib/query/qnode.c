/*
 * qnode.c - the query IR: building nodes in normal form, equality, the canonical text
 * form, and the findings list (see query.h).
 *
 * Normal forms are applied here, in the constructors, rather than in a pass after
 * parsing, so that every producer of IR (the six parsers, the tests, the random query
 * generator) gets the same shape and "print then parse" can be compared with ==.
 * The depth cap is enforced here too: a node deeper than WN_QUERY_MAX_DEPTH is refused
 * with WN_ELIMIT, which is what keeps every recursive walk in this library bounded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/query.h"

static const char *const dialect_names[WN_QD_COUNT] = {
	"generic", "pubmed", "ovid", "scopus", "wos", "ebsco"
};

const char *wn_qdialect_name(enum wn_qdialect d)
{
	return (unsigned)d < WN_QD_COUNT ? dialect_names[d] : "unknown";
}

static int ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (wn_tolower((unsigned char)*a) != wn_tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

int wn_qdialect_from_name(const char *name, enum wn_qdialect *out)
{
	static const struct { const char *alias; enum wn_qdialect d; } aliases[] = {
		{ "medline", WN_QD_OVID }, { "embase", WN_QD_OVID }, { "psycinfo", WN_QD_OVID },
		{ "cinahl", WN_QD_EBSCO }, { "ebscohost", WN_QD_EBSCO },
		{ "webofscience", WN_QD_WOS }, { "web-of-science", WN_QD_WOS },
	};
	size_t i;

	for (i = 0; i < WN_QD_COUNT; i++)
		if (ieq(name, dialect_names[i])) {
			*out = (enum wn_qdialect)i;
			return 0;
		}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (ieq(name, aliases[i].alias)) {
			*out = aliases[i].d;
			return 0;
		}
	return -1;
}

const char *wn_qfield_name(unsigned bit)
{
	switch (bit) {
	case WN_QF_TI: return "ti";
	case WN_QF_AB: return "ab";
	case WN_QF_KW: return "kw";
	case WN_QF_MESH: return "mh";
	case WN_QF_MESHW: return "mhw";
	case WN_QF_AU: return "au";
	case WN_QF_JOURNAL: return "journal";
	case WN_QF_PT: return "pt";
	case WN_QF_LA: return "la";
	case WN_QF_DOI: return "doi";
	case WN_QF_PMID: return "pmid";
	case WN_QF_ALL: return "all";
	case WN_QF_AD: return "ad";
	case WN_QF_OTHER: return "other";
	default: return "?";
	}
}

/* ---- findings ---- */

static const struct { const char *code, *slug; } diag_slugs[] = {
	{ "Q001", "syntax-error" },
	{ "Q002", "unbalanced-parenthesis" },
	{ "Q003", "unbalanced-quote" },
	{ "Q004", "missing-operand" },
	{ "Q005", "bad-line-reference" },
	{ "Q006", "too-deep" },
	{ "Q007", "too-long" },
	{ "Q008", "empty-query" },
	{ "Q009", "field-on-group" },
	{ "Q010", "bad-proximity" },
	{ "Q011", "bad-date" },
	{ "Q101", "curly-quote" },
	{ "Q102", "lowercase-operator" },
	{ "Q103", "mixed-operators" },
	{ "Q104", "unknown-field" },
	{ "Q105", "short-truncation" },
	{ "Q106", "debris-search" },
	{ "Q107", "debris-hit-count" },
	{ "Q108", "debris-gloss" },
	{ "Q109", "unreferenced-line" },
	{ "Q110", "wildcard-not-supported" },
	{ "Q111", "not-operator" },
	{ "Q112", "implicit-and" },
	{ "Q113", "unsupported-syntax" },
	{ "Q114", "limit-in-subclause" },
	{ "Q115", "near-distance" },
	{ "Q116", "unusual-character" },
	{ "Q117", "truncation-in-phrase" },
	{ "Q118", "trailing-question-mark" },
	{ "Q119", "field-not-in-records" },
	{ "Q201", "translation-widened" },
	{ "Q202", "translation-approximated" },
	{ "Q203", "translation-lost" },
	{ "Q301", "evaluation-approximated" },
};

const char *wn_qdiag_slug(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(diag_slugs) / sizeof(diag_slugs[0]); i++)
		if (strcmp(diag_slugs[i].code, code) == 0)
			return diag_slugs[i].slug;
	return "";
}

void wn_qdiags_init(struct wn_qdiags *d)
{
	memset(d, 0, sizeof(*d));
}

void wn_qdiags_release(struct wn_qdiags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		wn_free(d->v[i].msg);
	wn_free(d->v);
	wn_qdiags_init(d);
}

#define WN_QDIAGS_MAX 1000 /* a hostile query cannot make us collect millions */

int wn_qdiags_add(struct wn_qdiags *d, enum wn_qsev sev, const char *code, unsigned line,
		  unsigned col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].line == line && d->v[i].col == col && strcmp(d->v[i].code, code) == 0)
			return 0;
	if (d->n >= WN_QDIAGS_MAX)
		return 0;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct wn_qdiag *v = wn_reallocarray(d->v, cap, sizeof(*v));
		if (!v)
			return -1;
		d->v = v;
		d->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->v[d->n].msg = wn_strdup(msg);
	if (!d->v[d->n].msg)
		return -1;
	d->v[d->n].sev = sev;
	d->v[d->n].code = code;
	d->v[d->n].slug = wn_qdiag_slug(code);
	d->v[d->n].line = line;
	d->v[d->n].col = col;
	d->n++;
	return 0;
}

size_t wn_qdiags_count(const struct wn_qdiags *d, enum wn_qsev min)
{
	size_t i, k = 0;

	for (i = 0; i < d->n; i++)
		if (d->v[i].sev >= min)
			k++;
	return k;
}

void wn_qdiags_sort(struct wn_qdiags *d)
{
	size_t i, j;

	/* insertion sort: stable, and the lists are short (capped) */
	for (i = 1; i < d->n; i++) {
		struct wn_qdiag x = d->v[i];
		j = i;
		while (j > 0 && (d->v[j - 1].line > x.line ||
				 (d->v[j - 1].line == x.line && d->v[j - 1].col > x.col))) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = x;
	}
}

/* ---- nodes ---- */

struct wn_qnode *wn_qnode_ref(struct wn_qnode *n)
{
	if (n)
		n->refs++;
	return n;
}

void wn_qnode_unref(struct wn_qnode *n)
{
	size_t i;

	if (!n || --n->refs > 0)
		return;
	for (i = 0; i < n->nkids; i++)
		wn_qnode_unref(n->kids[i]);
	wn_free(n->kids);
	wn_free(n->text);
	wn_free(n->qual);
	wn_free(n);
}

static struct wn_qnode *node_alloc(enum wn_qkind kind, struct wn_err *err)
{
	struct wn_qnode *n = wn_calloc(1, sizeof(*n));

	if (!n) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->refs = 1;
	n->depth = 1;
	return n;
}

/* The flags of a term in normal form for its fields: quotes change nothing in a
 * whole-value field (a language, a publication type, a journal, a heading), and only
 * headings explode or are major topics. The parsers apply the same rule to a term they
 * read, and wn_qnode_with_fields to a term that gets its field from a group
 * ("(\"I\")[la]" is "I"[la]), so every way of writing a term gives one IR. */
static unsigned term_flags(unsigned fields, unsigned flags)
{
	if (fields & (WN_QF_MESH | WN_QF_PT | WN_QF_LA | WN_QF_JOURNAL))
		flags &= ~(unsigned)WN_QT_QUOTED;
	if (!(fields & WN_QF_MESH))
		flags &= ~(unsigned)(WN_QT_EXPLODE | WN_QT_MAJOR);
	return flags;
}

struct wn_qnode *wn_qnode_new_term(const char *text, size_t len, unsigned fields,
				   unsigned flags, const char *qual, struct wn_err *err)
{
	struct wn_qnode *n = node_alloc(WN_Q_TERM, err);

	if (!n)
		return NULL;
	n->text = wn_strndup(text, len);
	n->qual = qual ? wn_strdup(qual) : NULL;
	if (!n->text || (qual && !n->qual)) {
		wn_qnode_unref(n);
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	n->fields = fields;
	n->flags = term_flags(fields, flags);
	return n;
}

struct wn_qnode *wn_qnode_new_range(long lo, long hi, enum wn_qdate date, int year_only,
				    struct wn_err *err)
{
	struct wn_qnode *n = node_alloc(WN_Q_RANGE, err);

	if (!n)
		return NULL;
	/* the IR knows dates from 1000-01-01 to 2999-12-31: outside, a range is open (the
	 * printers write an open start as 1000 and an open end as 3000) */
	n->lo = lo <= 10000101 ? 0 : lo;
	n->hi = hi >= 30000101 ? 99999999 : hi;
	n->date = date;
	n->year_only = year_only;
	return n;
}

static int str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Same term apart from its fields (for the OR merge). */
static int term_same_but_fields(const struct wn_qnode *a, const struct wn_qnode *b)
{
	return a->kind == WN_Q_TERM && b->kind == WN_Q_TERM && a->fields && b->fields &&
	       !(a->fields & (WN_QF_MESH | WN_QF_PT | WN_QF_LA)) &&
	       !(b->fields & (WN_QF_MESH | WN_QF_PT | WN_QF_LA)) &&
	       a->flags == b->flags && str_eq(a->text, b->text) && str_eq(a->qual, b->qual);
}

int wn_qnode_equal(const struct wn_qnode *a, const struct wn_qnode *b)
{
	size_t i;

	if (a == b)
		return 1;
	if (!a || !b || a->kind != b->kind || a->nkids != b->nkids)
		return 0;
	switch (a->kind) {
	case WN_Q_TERM:
		return a->fields == b->fields && a->flags == b->flags && str_eq(a->text, b->text) &&
		       str_eq(a->qual, b->qual);
	case WN_Q_RANGE:
		return a->lo == b->lo && a->hi == b->hi && a->date == b->date &&
		       a->year_only == b->year_only;
	case WN_Q_NEAR:
		if (a->dist != b->dist || a->ordered != b->ordered)
			return 0;
		break;
	default:
		break;
	}
	for (i = 0; i < a->nkids; i++)
		if (!wn_qnode_equal(a->kids[i], b->kids[i]))
			return 0;
	return 1;
}

static void drop_kids(struct wn_qnode **kids, size_t n, size_t from)
{
	size_t i;

	for (i = from; i < n; i++)
		wn_qnode_unref(kids[i]);
}

/* Merge kid i into kid i-1 when they are the same term in different fields (OR) or
 * date ranges on the same date (AND). Only neighbours are merged: that is what the
 * printers write ("TI x OR AB x", "PUBYEAR > 1996 AND PUBYEAR < 2021") and what people
 * write, and it keeps building a 20,000-term OR linear. Returns 1 if merged. */
static int merge_pair(struct wn_qnode **v, size_t *n, size_t i, enum wn_qkind kind,
		      struct wn_err *err)
{
	struct wn_qnode *a = v[i - 1], *b = v[i], *m;
	long lo = a->lo > b->lo ? a->lo : b->lo, hi = a->hi < b->hi ? a->hi : b->hi;

	/* disjoint ranges stay two nodes: an empty range cannot be written in any dialect,
	 * and their AND matches nothing all the same */
	if (kind == WN_Q_OR && term_same_but_fields(a, b))
		m = wn_qnode_new_term(a->text, strlen(a->text), a->fields | b->fields, a->flags,
				      a->qual, err);
	else if (kind == WN_Q_AND && a->kind == WN_Q_RANGE && b->kind == WN_Q_RANGE &&
		 a->date == b->date && lo <= hi)
		m = wn_qnode_new_range(lo, hi, a->date, a->year_only && b->year_only, err);
	else
		return 0;
	if (!m)
		return -1;
	m->line = a->line;
	m->col = a->col;
	wn_qnode_unref(a);
	wn_qnode_unref(b);
	v[i - 1] = m;
	memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(v[0]));
	(*n)--;
	return 1;
}

/* Normalise kids from index `from` on (each against its left neighbour). */
static int merge_from(struct wn_qnode **v, size_t *n, size_t from, enum wn_qkind kind,
		      struct wn_err *err)
{
	size_t i = from ? from : 1;

	while (i < *n) {
		int r = merge_pair(v, n, i, kind, err);
		if (r < 0)
			return -1;
		if (!r)
			i++;
	}
	return 0;
}

/* Can `first` be extended in place with more operands of `kind`? (The parser builds
 * left-deep chains one operator at a time: this keeps that linear.) */
static int extendable(const struct wn_qnode *first, enum wn_qkind kind, unsigned dist, int ordered)
{
	if (first->refs != 1 || first->kind != kind)
		return 0;
	if (kind == WN_Q_NEAR)
		return first->dist == dist && first->ordered == ordered;
	return kind == WN_Q_AND || kind == WN_Q_OR || kind == WN_Q_NOT;
}

static int push_kid(struct wn_qnode *n, struct wn_qnode *k)
{
	if (n->nkids == n->kidcap) {
		size_t cap = n->kidcap ? n->kidcap * 2 : 4;
		struct wn_qnode **v = wn_reallocarray(n->kids, cap, sizeof(*v));
		if (!v)
			return -1;
		n->kids = v;
		n->kidcap = cap;
	}
	n->kids[n->nkids++] = k;
	return 0;
}

struct wn_qnode *wn_qnode_new_op(enum wn_qkind kind, struct wn_qnode **kids, size_t nkids,
				 unsigned dist, int ordered, struct wn_err *err)
{
	struct wn_qnode *n;
	size_t i, j, first_new;
	unsigned depth = 0;

	if (nkids == 0 || kind == WN_Q_TERM || kind == WN_Q_RANGE) {
		drop_kids(kids, nkids, 0);
		wn_err_set(err, WN_EUSAGE, "operator node without operands");
		return NULL;
	}
	/* the node to fill: the first operand itself when it can be extended (a NOT b NOT
	 * c = NOT(a, b, c); (a W/3 b) W/3 c is the chain a W/3 b W/3 c; AND and OR flatten),
	 * else a new one */
	if (extendable(kids[0], kind, dist, ordered)) {
		n = kids[0];
		i = 1;
	} else {
		n = node_alloc(kind, err);
		if (!n) {
			drop_kids(kids, nkids, 0);
			return NULL;
		}
		n->dist = dist;
		n->ordered = ordered;
		n->line = kids[0]->line;
		n->col = kids[0]->col;
		n->depth = 1;
		i = 0;
	}
	first_new = n->nkids;
	for (; i < nkids; i++) {
		struct wn_qnode *kid = kids[i];
		if ((kind == WN_Q_AND || kind == WN_Q_OR) && kid->kind == kind) {
			for (j = 0; j < kid->nkids; j++) {
				if (push_kid(n, wn_qnode_ref(kid->kids[j])) < 0) {
					wn_qnode_unref(kid->kids[j]);
					wn_qnode_unref(kid);
					goto oom;
				}
			}
			wn_qnode_unref(kid);
		} else if (push_kid(n, kid) < 0) {
			wn_qnode_unref(kid);
			goto oom;
		}
	}
	if (kind == WN_Q_OR || kind == WN_Q_AND) {
		if (merge_from(n->kids, &n->nkids, first_new, kind, err) < 0) {
			wn_qnode_unref(n);
			return NULL;
		}
		if (n->nkids == 1) {
			struct wn_qnode *only = wn_qnode_ref(n->kids[0]);
			wn_qnode_unref(n);
			return only;
		}
	}
	depth = n->depth > 1 ? n->depth - 1 : 0;
	for (j = first_new; j < n->nkids; j++)
		if (n->kids[j]->depth > depth)
			depth = n->kids[j]->depth;
	if (depth + 1 > WN_QUERY_MAX_DEPTH) {
		wn_qnode_unref(n);
		wn_err_set(err, WN_ELIMIT, "query nested too deeply (more than %d levels)",
			   WN_QUERY_MAX_DEPTH);
		return NULL;
	}
	n->depth = depth + 1;
	return n;
oom:
	drop_kids(kids, nkids, i + 1);
	wn_qnode_unref(n);
	wn_err_set(err, WN_ENOMEM, "out of memory");
	return NULL;
}

static struct wn_qnode *clone_shallow(const struct wn_qnode *o, struct wn_err *err)
{
	struct wn_qnode *n;
	size_t i;

	if (o->kind == WN_Q_TERM) {
		n = wn_qnode_new_term(o->text, strlen(o->text), o->fields, o->flags, o->qual, err);
	} else if (o->kind == WN_Q_RANGE) {
		n = wn_qnode_new_range(o->lo, o->hi, o->date, o->year_only, err);
	} else {
		n = node_alloc(o->kind, err);
		if (n) {
			n->kids = wn_calloc(o->nkids, sizeof(*n->kids));
			n->kidcap = o->nkids;
			if (!n->kids) {
				wn_free(n);
				wn_err_set(err, WN_ENOMEM, "out of memory");
				return NULL;
			}
			for (i = 0; i < o->nkids; i++)
				n->kids[i] = wn_qnode_ref(o->kids[i]);
			n->nkids = o->nkids;
			n->dist = o->dist;
			n->ordered = o->ordered;
			n->depth = o->depth;
		}
	}
	if (n) {
		n->line = o->line;
		n->col = o->col;
	}
	return n;
}

static int needs_fields(const struct wn_qnode *n)
{
	size_t i;

	if (n->kind == WN_Q_TERM)
		return n->fields == 0;
	for (i = 0; i < n->nkids; i++)
		if (needs_fields(n->kids[i]))
			return 1;
	return 0;
}

struct wn_qnode *wn_qnode_with_fields(struct wn_qnode *n, unsigned fields, struct wn_err *err)
{
	struct wn_qnode *c;
	size_t i;

	if (!needs_fields(n))
		return n;
	if (n->refs > 1) {
		c = clone_shallow(n, err);
		wn_qnode_unref(n);
		if (!c)
			return NULL;
		n = c;
	}
	if (n->kind == WN_Q_TERM) {
		n->fields = fields;
		n->flags = term_flags(fields, n->flags);
		return n;
	}
	for (i = 0; i < n->nkids; i++) {
		struct wn_qnode *k = wn_qnode_with_fields(n->kids[i], fields, err);
		if (!k) {
			/* the child's reference was consumed: drop it from the node */
			size_t nk = n->nkids;
			memmove(&n->kids[i], &n->kids[i + 1], (nk - i - 1) * sizeof(n->kids[0]));
			n->nkids = nk - 1;
			wn_qnode_unref(n);
			return NULL;
		}
		n->kids[i] = k;
	}
	if (n->kind == WN_Q_OR) {
		/* fields may now make two terms the same: re-normalise */
		struct wn_qnode **kids = n->kids;
		size_t nk = n->nkids;
		struct wn_qnode *r;
		unsigned line = n->line, col = n->col;
		n->kids = NULL;
		n->nkids = 0;
		wn_qnode_unref(n);
		r = wn_qnode_new_op(WN_Q_OR, kids, nk, 0, 0, err);
		wn_free(kids);
		if (r) {
			r->line = line;
			r->col = col;
		}
		return r;
	}
	return n;
}

size_t wn_qnode_expanded_size(const struct wn_qnode *n, size_t cap)
{
	size_t i, s = 1;

	for (i = 0; i < n->nkids && s < cap; i++) {
		s += wn_qnode_expanded_size(n->kids[i], cap - s);
		if (s > cap)
			s = cap;
	}
	return s;
}

/* ---- canonical text form ---- */

static int fmt_fields(struct wn_buf *out, unsigned fields, struct wn_err *err)
{
	unsigned bit;
	int first = 1;

	for (bit = 1; bit <= WN_QF_OTHER; bit <<= 1) {
		if (!(fields & bit))
			continue;
		if (wn_buf_addf(out, err, "%s%s", first ? "" : ",", wn_qfield_name(bit)) < 0)
			return -1;
		first = 0;
	}
	return 0;
}

static int fmt_quoted(struct wn_buf *out, const char *s, struct wn_err *err)
{
	if (wn_buf_addc(out, '"', err) < 0)
		return -1;
	for (; *s; s++) {
		if ((*s == '"' || *s == '\\') && wn_buf_addc(out, '\\', err) < 0)
			return -1;
		if (wn_buf_addc(out, *s, err) < 0)
			return -1;
	}
	return wn_buf_addc(out, '"', err);
}

static int fmt_date(struct wn_buf *out, long d, int year_only, struct wn_err *err)
{
	if (year_only)
		return wn_buf_addf(out, err, "%04ld", d / 10000);
	return wn_buf_addf(out, err, "%04ld-%02ld-%02ld", d / 10000, d / 100 % 100, d % 100);
}

int wn_qnode_fmt_range(struct wn_buf *out, const struct wn_qnode *n, struct wn_err *err);
int wn_qnode_fmt_range(struct wn_buf *out, const struct wn_qnode *n, struct wn_err *err)
{
	static const char *const dn[] = { "dp", "edat", "crdt" };

	if (wn_buf_addf(out, err, "%s:", dn[n->date]) < 0)
		return -1;
	if (n->lo > 0 && fmt_date(out, n->lo, n->year_only, err) < 0)
		return -1;
	if (wn_buf_adds(out, "..", err) < 0)
		return -1;
	if (n->hi < 99999999 && fmt_date(out, n->hi, n->year_only, err) < 0)
		return -1;
	return 0;
}

static int fmt_term(struct wn_buf *out, const struct wn_qnode *n, struct wn_err *err)
{
	if (n->fields) {
		if (fmt_fields(out, n->fields, err) < 0)
			return -1;
		if ((n->flags & WN_QT_EXPLODE) && wn_buf_addc(out, '+', err) < 0)
			return -1;
		if ((n->flags & WN_QT_MAJOR) && wn_buf_addc(out, '*', err) < 0)
			return -1;
		if (wn_buf_addc(out, ':', err) < 0)
			return -1;
	}
	if ((n->flags & WN_QT_EXACT) && wn_buf_addc(out, '=', err) < 0)
		return -1;
	if (n->flags & (WN_QT_QUOTED | WN_QT_EXACT) || strchr(n->text, ' ') ||
	    !n->text[0] || strpbrk(n->text, "()\""))
		return fmt_quoted(out, n->text, err) < 0 ? -1 :
		       (n->qual ? wn_buf_addf(out, err, "/%s", n->qual) : 0);
	if (wn_buf_adds(out, n->text, err) < 0)
		return -1;
	return n->qual ? wn_buf_addf(out, err, "/%s", n->qual) : 0;
}

static int fmt_node(struct wn_buf *out, const struct wn_qnode *n, struct wn_err *err)
{
	static const char *const ops[] = { "", "and", "or", "not", "near", "" };
	size_t i;

	if (n->kind == WN_Q_TERM)
		return fmt_term(out, n, err);
	if (n->kind == WN_Q_RANGE)
		return wn_qnode_fmt_range(out, n, err);
	if (n->kind == WN_Q_NEAR) {
		if (n->dist == WN_QDIST_SAME) {
			if (wn_buf_adds(out, "(same", err) < 0)
				return -1;
		} else if (wn_buf_addf(out, err, "(%s/%u", n->ordered ? "pre" : "near", n->dist) < 0) {
			return -1;
		}
	} else if (wn_buf_addf(out, err, "(%s", ops[n->kind]) < 0) {
		return -1;
	}
	for (i = 0; i < n->nkids; i++) {
		if (wn_buf_addc(out, ' ', err) < 0 || fmt_node(out, n->kids[i], err) < 0)
			return -1;
	}
	return wn_buf_addc(out, ')', err);
}

int wn_qnode_format(struct wn_buf *out, const struct wn_qnode *n, struct wn_err *err)
{
	if (!n)
		return wn_buf_adds(out, "(none)", err);
	return fmt_node(out, n, err);
}

static int tree_node(struct wn_buf *out, const struct wn_qnode *n, unsigned indent,
		     struct wn_err *err)
{
	static const char *const ops[] = { "", "AND", "OR", "NOT", "", "" };
	size_t i;

	if (wn_buf_addf(out, err, "%*s", (int)(indent * 2), "") < 0)
		return -1;
	if (n->kind == WN_Q_TERM || n->kind == WN_Q_RANGE) {
		if (fmt_node(out, n, err) < 0)
			return -1;
		if (n->line && wn_buf_addf(out, err, "    [%u:%u]", n->line, n->col) < 0)
			return -1;
		return wn_buf_addc(out, '\n', err);
	}
	if (n->kind == WN_Q_NEAR) {
		if (n->dist == WN_QDIST_SAME) {
			if (wn_buf_adds(out, "SAME FIELD (any distance)\n", err) < 0)
				return -1;
		} else if (wn_buf_addf(out, err, "NEAR: at most %u word%s between, %s\n", n->dist,
				       n->dist == 1 ? "" : "s",
				       n->ordered ? "in this order" : "any order") < 0) {
			return -1;
		}
	} else if (n->kind == WN_Q_NOT) {
		if (wn_buf_adds(out, "NOT: the first, minus the others\n", err) < 0)
			return -1;
	} else if (wn_buf_addf(out, err, "%s\n", ops[n->kind]) < 0) {
		return -1;
	}
	for (i = 0; i < n->nkids; i++)
		if (tree_node(out, n->kids[i], indent + 1, err) < 0)
			return -1;
	return 0;
}

int wn_qnode_format_tree(struct wn_buf *out, const struct wn_qnode *n, struct wn_err *err)
{
	if (!n)
		return wn_buf_adds(out, "(none)\n", err);
	return tree_node(out, n, 0, err);
}

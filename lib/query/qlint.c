/*
 * qlint.c - the checks that need the whole parsed query (see wn_query_lint).
 *
 * The parser already reports what it sees while reading (unbalanced parentheses and
 * quotes, curly quotes, lower-case PubMed operators, unparenthesised mixed operators,
 * unknown field tags, copy-paste debris, missing line references). Here: truncation
 * stems too short for the dialect, wildcards inside phrases, numbered lines that the
 * final line never uses, and date limits buried inside sub-clauses.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/query.h"

struct lint {
	struct wn_query *q;
	int oom;
	size_t visits;
};

#define LINT(L, sev, code, n, ...) \
	do { \
		if (wn_qdiags_add(&(L)->q->diags, (sev), (code), (n)->line, (n)->col, __VA_ARGS__) < 0) \
			(L)->oom = 1; \
	} while (0)

static unsigned min_stem(enum wn_qdialect d)
{
	return d == WN_QD_PUBMED ? 4 : 3;
}

static void check_term(struct lint *L, const struct wn_qnode *n)
{
	const char *w = n->text;
	enum wn_qdialect d = L->q->dialect;

	if (n->fields & WN_QF_MESH)
		return;
	while (*w) {
		const char *e = strchr(w, ' ');
		size_t len = e ? (size_t)(e - w) : strlen(w), i, stem = 0;
		for (i = 0; i < len; i++) {
			if (w[i] == '*' || w[i] == '?' || w[i] == '$')
				break;
			if (wn_isalnum((unsigned char)w[i]) || (unsigned char)w[i] >= 0x80)
				stem++;
		}
		if (i < len && w[i] == '*' && stem < min_stem(d)) {
			if (stem == 0 && d == WN_QD_WOS)
				; /* left truncation is allowed in Web of Science */
			else
			if (d == WN_QD_PUBMED)
				LINT(L, WN_QSEV_WARNING, "Q105", n,
				     "'%.*s': PubMed needs at least 4 characters before '*' (rule since June 2024)",
				     (int)len, w);
			else if (d == WN_QD_WOS)
				LINT(L, WN_QSEV_WARNING, "Q105", n,
				     "'%.*s': Web of Science needs at least 3 characters before '*'", (int)len, w);
			else
				LINT(L, WN_QSEV_WARNING, "Q105", n,
				     "'%.*s': a stem of fewer than 3 characters matches far too many words",
				     (int)len, w);
		}
		w += len;
		while (*w == ' ')
			w++;
	}
	if (d == WN_QD_PUBMED && strchr(n->text, ' ') && strchr(n->text, '*'))
		LINT(L, WN_QSEV_NOTE, "Q117", n,
		     "'%s': PubMed truncates inside phrases only since June 2024; older runs of this string ignored the '*'",
		     n->text);
}

/* Walk the IR; `top` is 1 while we are in the root or its top-level AND. */
static void walk(struct lint *L, const struct wn_qnode *n, int top)
{
	size_t i;

	if (L->oom || ++L->visits > WN_QUERY_MAX_NODES)
		return;
	switch (n->kind) {
	case WN_Q_TERM:
		check_term(L, n);
		return;
	case WN_Q_RANGE:
		if (!top)
			LINT(L, WN_QSEV_WARNING, "Q114", n,
			     "date limit inside a sub-clause: it restricts only that part of the search");
		return;
	default:
		for (i = 0; i < n->nkids; i++)
			walk(L, n->kids[i], top && n->kind == WN_Q_AND);
	}
}

int wn_query_lint(struct wn_query *q, struct wn_err *err)
{
	struct lint L = { q, 0, 0 };
	size_t i;

	if (q->root)
		walk(&L, q->root, 1);
	/* the lines of a strategy that did not parse as a whole still get their terms
	 * checked (findings are not repeated: one per code and position) */
	for (i = 0; !q->root && i < q->nlines && !L.oom; i++)
		if (q->lines[i].node)
			walk(&L, q->lines[i].node, 1);
	for (i = 0; i + 1 < q->nlines && !L.oom; i++) {
		const struct wn_qline *l = &q->lines[i];
		if (l->node && !l->referenced)
			if (wn_qdiags_add(&q->diags, WN_QSEV_WARNING, "Q109", l->srcline, 1,
					  "line %u is not used by the final line %u", l->number,
					  q->lines[q->nlines - 1].number) < 0)
				L.oom = 1;
	}
	if (L.oom)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	return 0;
}

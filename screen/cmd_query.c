/*
 * cmd_query.c - winnow-screen query: lint, translate or explain a search string.
 *
 *   winnow-screen query [--dialect D] FILE          how winnow reads it (explain)
 *   winnow-screen query --lint [--strict] FILE      findings with stable codes
 *   winnow-screen query --to D FILE                 the same search in dialect D
 *
 * Findings and notes carry file:line:column and a code (docs/winnow-screen-query.1).
 * stdout carries the result (the explanation, the findings, the translation); messages
 * about the run go to stderr.
 */
#include <string.h>
#include "screen.h"
#include "winnow/input.h"
#include "winnow/query.h"

static const char *const usage[] = {
	"winnow-screen query [--dialect D] [--explain] [FILE]",
	"winnow-screen query --lint [--dialect D] [--strict] [FILE]",
	"winnow-screen query --to D [--dialect D] [--strict] [FILE]",
	NULL
};

static const char *sev_name(enum wn_qsev s)
{
	return s == WN_QSEV_ERROR ? "error" : s == WN_QSEV_WARNING ? "warning" : "note";
}

/* "file:line:col: warning: Q103 mixed-operators: ..." */
static void print_diag(FILE *fp, const char *file, const struct wn_qdiag *g)
{
	if (g->line)
		fprintf(fp, "%s:%u:%u: %s: %s %s: %s\n", file, g->line, g->col, sev_name(g->sev), g->code,
			g->slug, g->msg);
	else
		fprintf(fp, "%s: %s: %s %s: %s\n", file, sev_name(g->sev), g->code, g->slug, g->msg);
}

static void print_diags_err(struct wn_io *io, const char *file, struct wn_qdiags *d,
			    enum wn_qsev min)
{
	size_t i;

	wn_qdiags_sort(d);
	for (i = 0; i < d->n; i++) {
		const struct wn_qdiag *g = &d->v[i];
		if (g->sev < min)
			continue;
		if (g->sev == WN_QSEV_ERROR)
			wn_error(io, "%s:%u:%u: %s %s: %s", file, g->line, g->col, g->code, g->slug, g->msg);
		else if (g->sev == WN_QSEV_WARNING)
			wn_warning(io, "%s:%u:%u: %s %s: %s", file, g->line, g->col, g->code, g->slug, g->msg);
		else
			wn_note(io, "%s:%u:%u: %s %s: %s", file, g->line, g->col, g->code, g->slug, g->msg);
	}
}

int cmd_screen_query(int argc, char **argv, struct wn_io *io)
{
	const char *dialect = "generic", *to = NULL, *file = "-";
	int lint = 0, strict = 0, explain = 0, n, rc = WN_EXIT_OK;
	enum wn_qdialect d, td = WN_QD_GENERIC;
	struct wn_option opts[] = {
		WN_OPT_STRING_('d', "dialect", &dialect, "D",
			       "dialect of the query: pubmed, ovid, scopus, wos, ebsco, generic (default)"),
		WN_OPT_FLAG_(0, "lint", &lint, "check the query: findings with stable codes on stdout"),
		WN_OPT_STRING_(0, "to", &to, "D", "print the query in dialect D; what D cannot say is reported"),
		WN_OPT_FLAG_(0, "explain", &explain, "show how the query is read (the default)"),
		WN_OPT_FLAG_(0, "strict", &strict, "warnings count as errors (exit 3)"),
		WN_OPT_END_()
	};
	struct wn_query *q;
	struct wn_err err;
	const char *name;

	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP)
		return WN_EXIT_OK;
	if (n < 0)
		return WN_EXIT_USAGE;
	if (n > 1) {
		wn_error(io, "one query file at a time (got %d)", n);
		return WN_EXIT_USAGE;
	}
	if (n == 1)
		file = argv[0];
	if (wn_qdialect_from_name(dialect, &d) < 0) {
		wn_error(io, "unknown dialect '%s' (pubmed, ovid, scopus, wos, ebsco, generic)", dialect);
		return WN_EXIT_USAGE;
	}
	if (to && wn_qdialect_from_name(to, &td) < 0) {
		wn_error(io, "unknown dialect '%s' for --to (pubmed, ovid, scopus, wos, ebsco, generic)", to);
		return WN_EXIT_USAGE;
	}
	if (lint + (to != NULL) + explain > 1) {
		wn_error(io, "--lint, --to and --explain are separate tasks: give one");
		return WN_EXIT_USAGE;
	}
	q = wn_query_load(file, d, &err);
	if (!q)
		return wn_report(io, &err);
	if (wn_query_lint(q, &err) < 0) {
		wn_query_free(q);
		return wn_report(io, &err);
	}
	name = strcmp(file, "-") == 0 ? "<stdin>" : file;
	if (lint) {
		size_t i, ne = wn_qdiags_count(&q->diags, WN_QSEV_ERROR),
			  nw = wn_qdiags_count(&q->diags, WN_QSEV_WARNING) - ne;
		wn_qdiags_sort(&q->diags);
		for (i = 0; i < q->diags.n; i++)
			print_diag(io->out, name, &q->diags.v[i]);
		if (ne || (strict && nw))
			rc = WN_EXIT_DATA;
		if (!q->diags.n)
			wn_note(io, "'%s': no findings (%s)", name, wn_qdialect_name(d));
		wn_query_free(q);
		return rc;
	}
	if (!q->root) {
		print_diags_err(io, name, &q->diags, WN_QSEV_WARNING);
		wn_error(io, "'%s' is not a valid %s query (see above)", name, wn_qdialect_name(d));
		wn_query_free(q);
		return WN_EXIT_DATA;
	}
	if (to) {
		struct wn_buf out;
		struct wn_qdiags notes;
		wn_buf_init(&out, 0);
		wn_qdiags_init(&notes);
		struct wn_qnode *root = wn_qnode_ref(q->root);
		print_diags_err(io, name, &q->diags, WN_QSEV_WARNING);
		if (td != d && (td == WN_QD_SCOPUS || td == WN_QD_WOS)) {
			/* their advanced search wants a field on every term: give unfielded terms
			 * the default fields (title, abstract, keywords), and say so */
			struct wn_qnode *r2 = wn_qnode_with_fields(wn_qnode_ref(root), WN_QF_TI | WN_QF_AB | WN_QF_KW, &err);
			if (!r2) {
				wn_qnode_unref(root);
				wn_buf_release(&out);
				wn_query_free(q);
				return wn_report(io, &err);
			}
			if (!wn_qnode_equal(r2, root))
				wn_note(io, "%s: terms without a field are written in title, abstract and keywords (%s)", name,
					td == WN_QD_SCOPUS ? "TITLE-ABS-KEY" : "TS=");
			wn_qnode_unref(root);
			root = r2;
		}
		if (wn_query_print(&out, root, td, &notes, &err) < 0) {
			wn_qnode_unref(root);
			wn_buf_release(&out);
			wn_qdiags_release(&notes);
			wn_query_free(q);
			return wn_report(io, &err);
		}
		wn_qnode_unref(root);
		fprintf(io->out, "%s\n", out.data);
		print_diags_err(io, name, &notes, WN_QSEV_NOTE);
		if (strict && (notes.n || wn_qdiags_count(&q->diags, WN_QSEV_WARNING)))
			rc = WN_EXIT_DATA;
		wn_buf_release(&out);
		wn_qdiags_release(&notes);
		wn_query_free(q);
		return rc;
	}
	{
		struct wn_buf b;
		size_t i;
		wn_buf_init(&b, 0);
		if (wn_qnode_format(&b, q->root, &err) < 0 || wn_buf_adds(&b, "\n", &err) < 0) {
			wn_buf_release(&b);
			wn_query_free(q);
			return wn_report(io, &err);
		}
		fprintf(io->out, "dialect: %s\nreads as: %s", wn_qdialect_name(d), b.data);
		wn_buf_reset(&b);
		if (wn_qnode_format_tree(&b, q->root, &err) < 0) {
			wn_buf_release(&b);
			wn_query_free(q);
			return wn_report(io, &err);
		}
		fprintf(io->out, "tree:\n%s", b.data);
		wn_buf_release(&b);
		wn_qdiags_sort(&q->diags);
		if (q->diags.n)
			fprintf(io->out, "findings:\n");
		for (i = 0; i < q->diags.n; i++) {
			fprintf(io->out, "  ");
			print_diag(io->out, name, &q->diags.v[i]);
		}
		if (strict && wn_qdiags_count(&q->diags, WN_QSEV_WARNING))
			rc = WN_EXIT_DATA;
	}
	wn_query_free(q);
	return rc;
}

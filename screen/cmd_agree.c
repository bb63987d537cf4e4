/*
 * cmd_agree.c - winnow-screen agree: agreement between reviewers' decision logs.
 *
 *   winnow-screen agree [--json] [--conflicts FILE] [-o FILE] LOG...
 *
 * The logs are folded (votes.h) and counted (tally.h) with the semantics Covidence uses
 * for inter-rater reliability, which the output states every time: maybe counts as
 * include, and only the votes cast before a record's first resolution count (resolution
 * logs among LOG... are read for that; resolving conflicts never changes the agreement).
 *
 * Two reviewers: the 2x2 table, observed agreement, Cohen's kappa with its SE and 95 %
 * CI, PABAK with the prevalence and bias indices, Gwet's AC1 (agree.h). Three or more:
 * Fleiss' kappa (records every reviewer decided), Gwet's AC1 and Krippendorff's alpha
 * (every record two or more decided), and each pair's two-reviewer statistics. Records
 * only one reviewer decided are counted and listed, never silently dropped (the
 * "implicit disagreements" of asreview#2425).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "winnow/agree.h"
#include "winnow/alloc.h"
#include "winnow/jsonl.h"
#include "winnow/output.h"
#include "winnow/tally.h"
#include "winnow/votes.h"
#include "screen.h"
#include "screen_util.h"

static const char *const usage[] = {
	"winnow-screen agree [--json] [--conflicts FILE] [-o FILE] LOG...",
	NULL
};

#define LIST_MAX 20 /* ids listed in the text report; --conflicts has them all */

struct agree {
	struct wn_io *io;
	struct wn_votes *v;
	struct wn_tally t;
	FILE *conf;                   /* --conflicts, or NULL */
};

/* --conflicts: every record that is not plain agreement, with each reviewer's vote */
static int list_row(size_t row, enum wn_tally_kind kind, const struct wn_vote *votes, void *data)
{
	struct agree *g = data;
	size_t i;

	if (!g->conf || kind == WN_TK_AGREE)
		return 0;
	fprintf(g->conf, "%s\t%s", wn_votes_record_id(g->v, row), wn_tally_kind_name(kind));
	for (i = 0; i < g->t.ncols; i++) {
		if (votes[i].decision == WN_ACT_NONE)
			fputs("\t-", g->conf);
		else if (votes[i].reason)
			fprintf(g->conf, "\t%s: %s", wn_action_name(votes[i].decision), votes[i].reason);
		else
			fprintf(g->conf, "\t%s", wn_action_name(votes[i].decision));
	}
	fputc('\n', g->conf);
	return 0;
}

/* ---- text ---- */

static void num(FILE *fp, double x)
{
	if (isnan(x))
		fputs("NA", fp);
	else
		fprintf(fp, "%.4f", x);
}

static const char *name_of(const struct agree *g, size_t col)
{
	return wn_votes_column(g->v, col)->header.reviewer;
}

static void print_table(const struct agree *g, const struct wn_tally_pair *ps, FILE *fp)
{
	const char *a = name_of(g, ps->a), *b = name_of(g, ps->b);
	char la[WN_REVIEWER_MAX + 16], lb[WN_REVIEWER_MAX + 16];
	int w;

	snprintf(la, sizeof(la), "%s include", a);
	snprintf(lb, sizeof(lb), "%s exclude", a);
	w = (int)strlen(lb);
	fprintf(fp, "records decided by both: %.0f\n\n", ps->s.n);
	fprintf(fp, "%*s  %s: include  exclude\n", w, "", b);
	fprintf(fp, "%*s  %*.0f  %7.0f\n", w, la, (int)strlen(b) + 10, ps->table[0], ps->table[1]);
	fprintf(fp, "%*s  %*.0f  %7.0f\n\n", w, lb, (int)strlen(b) + 10, ps->table[2], ps->table[3]);
}

static void print_stats(const struct wn_tally_pair *ps, enum wn_stage stage, FILE *fp)
{
	const struct wn_agree2 *s = &ps->s;

	fputs("observed agreement   ", fp);
	num(fp, s->po);
	fputs("\nCohen's kappa        ", fp);
	num(fp, s->kappa);
	if (!isnan(s->kappa)) {
		fputs("  (SE ", fp);
		num(fp, s->kappa_se);
		fputs(", 95% CI ", fp);
		num(fp, s->kappa_ci_low);
		fputs(" to ", fp);
		num(fp, s->kappa_ci_high);
		fputs("; z ", fp);
		num(fp, s->kappa_z);
		fputs(", p ", fp);
		num(fp, s->kappa_p);
		fputs(")", fp);
	} else if (s->n > 0) {
		fputs("  (undefined: both reviewers used one category only)", fp);
	}
	fputs("\nPABAK                ", fp);
	num(fp, s->pabak);
	fputs("  (prevalence index ", fp);
	num(fp, s->prevalence_index);
	fputs(", bias index ", fp);
	num(fp, s->bias_index);
	fputs(")\nGwet's AC1           ", fp);
	num(fp, s->ac1);
	if (!isnan(s->ac1_se)) {
		fputs("  (SE ", fp);
		num(fp, s->ac1_se);
		fputs(")", fp);
	}
	fprintf(fp, "\ndisagreements        %.0f (--conflicts FILE lists them)\n", ps->table[1] + ps->table[2]);
	if (stage == WN_STAGE_FT)
		fprintf(fp, "exclusions with different reasons: %lu (agree on exclusion; a conflict for export)\n",
			ps->reasons_differ);
}

static void print_text(const struct agree *g, FILE *fp)
{
	enum wn_stage stage = wn_votes_stage(g->v);
	size_t i, m = g->t.ncols;

	fprintf(fp, "agreement at the %s stage, %zu reviewers:", wn_stage_title(stage), m);
	for (i = 0; i < m; i++)
		fprintf(fp, "%s %s (%s)", i ? "," : "", name_of(g, g->t.cols[i]),
			wn_votes_column(g->v, g->t.cols[i])->path);
	fprintf(fp, "\nmaybe counts as include; only votes cast before any resolution count (%lu record%s resolved)\n\n",
		g->t.resolved, g->t.resolved == 1 ? "" : "s");
	if (m == 2) {
		print_table(g, &g->t.pairs[0], fp);
		print_stats(&g->t.pairs[0], stage, fp);
	} else {
		fprintf(fp, "records decided by all %zu: %.0f (by some but not all: %lu)\n", m,
			isnan(g->t.complete.subjects) ? 0.0 : g->t.complete.subjects, g->t.partial);
		fputs("include votes per record:", fp);
		for (i = 0; i <= m; i++)
			fprintf(fp, " %zu: %.0f%s", i, g->t.dist[i], i < m ? "," : "\n");
		fputs("observed agreement   ", fp);
		num(fp, g->t.complete.pbar);
		fputs("  (mean pairwise, records decided by all)\nFleiss' kappa        ", fp);
		num(fp, g->t.complete.kappa);
		if (!isnan(g->t.complete.kappa_se0)) {
			fputs("  (SE under H0 ", fp);
			num(fp, g->t.complete.kappa_se0);
			fputs(", z ", fp);
			num(fp, g->t.complete.kappa_z);
			fputs(", p ", fp);
			num(fp, g->t.complete.kappa_p);
			fputs(")", fp);
		}
		fputs("\nPABAK                ", fp);
		num(fp, g->t.complete.bp);
		fputs("  (Brennan-Prediger)\nGwet's AC1           ", fp);
		num(fp, g->t.all.ac1);
		fputs("  (records decided by two or more)\nKrippendorff's alpha ", fp);
		num(fp, g->t.all.alpha);
		fputs("  (nominal, records decided by two or more)\n\npairs:\n", fp);
		for (i = 0; i < g->t.npairs; i++) {
			const struct wn_tally_pair *ps = &g->t.pairs[i];
			fprintf(fp, "  %s-%s: n %.0f, agreement ", name_of(g, ps->a), name_of(g, ps->b), ps->s.n);
			num(fp, ps->s.po);
			fputs(", kappa ", fp);
			num(fp, ps->s.kappa);
			fputs(", PABAK ", fp);
			num(fp, ps->s.pabak);
			fputs(", AC1 ", fp);
			num(fp, ps->s.ac1);
			fputc('\n', fp);
		}
	}
	fprintf(fp, "\ndecided by only one reviewer: %lu (", g->t.only_one);
	for (i = 0; i < m; i++)
		fprintf(fp, "%s%s only %lu", i ? ", " : "", name_of(g, g->t.cols[i]), g->t.only_by[i]);
	fputs(")\n", fp);
	if (g->t.only_one) {
		size_t rows = wn_votes_records(g->v), row, shown = 0;
		for (row = 0; row < rows && shown < LIST_MAX; row++) {
			size_t voted = 0, who = 0;
			struct wn_vote v;
			for (i = 0; i < m; i++) {
				if (wn_votes_get(g->v, row, g->t.cols[i], 1, &v)) {
					voted++;
					who = i;
				}
			}
			if (voted != 1)
				continue;
			wn_votes_get(g->v, row, g->t.cols[who], 1, &v);
			fprintf(fp, "  %s (%s: %s)\n", wn_votes_record_id(g->v, row), name_of(g, g->t.cols[who]),
				wn_action_name(v.decision));
			shown++;
		}
		if (g->t.only_one > shown)
			fprintf(fp, "  ... and %lu more (--conflicts FILE lists them all)\n", g->t.only_one - shown);
	}
	if (stage == WN_STAGE_FT)
		fprintf(fp, "not retrieved by at least one reviewer (left out of the table): %lu\n", g->t.nr_rows);
}

/* ---- JSON ---- */

static json_object *jnum(double x)
{
	char buf[64];

	if (isnan(x) || isinf(x))
		return NULL; /* json null */
	snprintf(buf, sizeof(buf), "%.10g", x);
	return json_object_new_double_s(x, buf);
}

/* Add v under key; a NULL v is JSON null only when null_ok (else an allocation failed). */
static int jput_(json_object *o, const char *key, json_object *v, int null_ok)
{
	if (!v && !null_ok)
		return -1;
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}
#define jput(o, k, v) jput_((o), (k), (v), 0)
#define jputn(o, k, v) jput_((o), (k), (v), 1) /* a number that may be undefined */

static int jadd(json_object *arr, json_object *v)
{
	if (!v || json_object_array_add(arr, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static json_object *pair_json(const struct agree *g, const struct wn_tally_pair *ps)
{
	json_object *o = json_object_new_object(), *t, *r0, *r1, *names;
	const struct wn_agree2 *s = &ps->s;
	int rc = 0;

	if (!o)
		return NULL;
	t = json_object_new_array();
	r0 = json_object_new_array();
	r1 = json_object_new_array();
	names = json_object_new_array();
	if (!t || !r0 || !r1 || !names) {
		json_object_put(t);
		json_object_put(r0);
		json_object_put(r1);
		json_object_put(names);
		json_object_put(o);
		return NULL;
	}
	rc |= jadd(r0, json_object_new_int64((int64_t)ps->table[0]));
	rc |= jadd(r0, json_object_new_int64((int64_t)ps->table[1]));
	rc |= jadd(r1, json_object_new_int64((int64_t)ps->table[2]));
	rc |= jadd(r1, json_object_new_int64((int64_t)ps->table[3]));
	rc |= jadd(t, r0);
	rc |= jadd(t, r1);
	rc |= jadd(names, json_object_new_string(name_of(g, ps->a)));
	rc |= jadd(names, json_object_new_string(name_of(g, ps->b)));
	rc |= jput(o, "reviewers", names);
	rc |= jput(o, "n", json_object_new_int64((int64_t)s->n));
	rc |= jput(o, "table", t);
	rc |= jputn(o, "observed_agreement", jnum(s->po));
	rc |= jputn(o, "kappa", jnum(s->kappa));
	rc |= jputn(o, "kappa_se", jnum(s->kappa_se));
	rc |= jputn(o, "kappa_ci_low", jnum(s->kappa_ci_low));
	rc |= jputn(o, "kappa_ci_high", jnum(s->kappa_ci_high));
	rc |= jputn(o, "pabak", jnum(s->pabak));
	rc |= jputn(o, "prevalence_index", jnum(s->prevalence_index));
	rc |= jputn(o, "bias_index", jnum(s->bias_index));
	rc |= jputn(o, "ac1", jnum(s->ac1));
	rc |= jputn(o, "chance_agreement", jnum(s->pe));
	rc |= jputn(o, "kappa_se0", jnum(s->kappa_se0));
	rc |= jputn(o, "kappa_z", jnum(s->kappa_z));
	rc |= jputn(o, "kappa_p", jnum(s->kappa_p));
	rc |= jputn(o, "ac1_se", jnum(s->ac1_se));
	rc |= jput(o, "only_first", json_object_new_int64((int64_t)ps->only_a));
	rc |= jput(o, "only_second", json_object_new_int64((int64_t)ps->only_b));
	rc |= jput(o, "not_retrieved", json_object_new_int64((int64_t)ps->nr));
	rc |= jput(o, "reasons_differ", json_object_new_int64((int64_t)ps->reasons_differ));
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *build_json(const struct agree *g)
{
	json_object *o, *x, *arr, *by;
	size_t i, m = g->t.ncols;
	int rc = 0;

	if (m == 2) {
		/* the two-reviewer keys at the top level */
		o = pair_json(g, &g->t.pairs[0]);
		if (!o)
			return NULL;
	} else {
		o = json_object_new_object();
		arr = json_object_new_array();
		if (!o || !arr) {
			json_object_put(o);
			json_object_put(arr);
			return NULL;
		}
		for (i = 0; i <= m; i++)
			rc |= jadd(arr, json_object_new_int64((int64_t)g->t.dist[i]));
		rc |= jput(o, "n", json_object_new_int64(isnan(g->t.complete.subjects) ? 0 : (int64_t)g->t.complete.subjects));
		rc |= jput(o, "table", arr);
		rc |= jputn(o, "observed_agreement", jnum(g->t.complete.pbar));
		rc |= jputn(o, "kappa", NULL);
		rc |= jputn(o, "kappa_se", NULL);
		rc |= jputn(o, "kappa_ci_low", NULL);
		rc |= jputn(o, "kappa_ci_high", NULL);
		rc |= jputn(o, "pabak", jnum(g->t.complete.bp));
		rc |= jputn(o, "prevalence_index", NULL);
		rc |= jputn(o, "bias_index", NULL);
		rc |= jputn(o, "ac1", jnum(g->t.all.ac1));
		rc |= jputn(o, "fleiss_kappa", jnum(g->t.complete.kappa));
		rc |= jputn(o, "fleiss_kappa_se0", jnum(g->t.complete.kappa_se0));
		rc |= jputn(o, "fleiss_z", jnum(g->t.complete.kappa_z));
		rc |= jputn(o, "fleiss_p", jnum(g->t.complete.kappa_p));
		rc |= jputn(o, "krippendorff_alpha", jnum(g->t.all.alpha));
		rc |= jput(o, "partial", json_object_new_int64((int64_t)g->t.partial));
		arr = json_object_new_array();
		if (!arr) {
			json_object_put(o);
			return NULL;
		}
		for (i = 0; i < g->t.npairs; i++) {
			x = pair_json(g, &g->t.pairs[i]);
			rc |= jadd(arr, x);
		}
		rc |= jput(o, "pairs", arr);
		arr = json_object_new_array();
		if (arr) {
			for (i = 0; i < m; i++)
				rc |= jadd(arr, json_object_new_string(name_of(g, g->t.cols[i])));
		}
		rc |= jput(o, "reviewers", arr);
	}
	rc |= jput(o, "stage", json_object_new_string(wn_stage_name(wn_votes_stage(g->v))));
	rc |= jput(o, "maybe_counts_as", json_object_new_string("include"));
	rc |= jput(o, "votes_counted", json_object_new_string("before resolution"));
	rc |= jput(o, "resolved", json_object_new_int64((int64_t)g->t.resolved));
	x = json_object_new_object();
	by = json_object_new_object();
	arr = json_object_new_array();
	if (!x || !by || !arr) {
		json_object_put(x);
		json_object_put(by);
		json_object_put(arr);
		json_object_put(o);
		return NULL;
	}
	for (i = 0; i < m; i++)
		rc |= jput(by, name_of(g, g->t.cols[i]), json_object_new_int64((int64_t)g->t.only_by[i]));
	{
		size_t rows = wn_votes_records(g->v), row;
		for (row = 0; row < rows; row++) {
			size_t voted = 0;
			struct wn_vote v;
			for (i = 0; i < m; i++)
				voted += (size_t)wn_votes_get(g->v, row, g->t.cols[i], 1, &v);
			if (voted == 1)
				rc |= jadd(arr, json_object_new_string(wn_votes_record_id(g->v, row)));
		}
	}
	rc |= jput(x, "count", json_object_new_int64((int64_t)g->t.only_one));
	rc |= jput(x, "by_reviewer", by);
	rc |= jput(x, "ids", arr);
	rc |= jput(o, "only_one_reviewer", x);
	rc |= jput(o, "not_retrieved_records", json_object_new_int64((int64_t)g->t.nr_rows));
	arr = json_object_new_array();
	if (arr)
		for (i = 0; i < m; i++)
			rc |= jadd(arr, json_object_new_string(wn_votes_column(g->v, g->t.cols[i])->path));
	rc |= jput(o, "logs", arr);
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static void on_torn(const char *path, const struct wn_declog_scan *scan, void *data)
{
	screen_warn_torn(data, path, scan);
}

int cmd_screen_agree(int argc, char **argv, struct wn_io *io)
{
	struct agree g;
	struct wn_err err;
	struct wn_output conf, out;
	const char *conflicts = NULL, *out_path = NULL;
	int json = 0, n, rc = WN_EXIT_OK, conf_open = 0, tallied = 0;
	size_t col;
	struct wn_option opts[] = {
		WN_OPT_FLAG_(0, "json", &json, "print the statistics as one JSON object"),
		WN_OPT_STRING_(0, "conflicts", &conflicts, "FILE",
			       "write every disagreement and single-reviewer record as TSV"),
		WN_OPT_STRING_('o', "output", &out_path, "FILE", "write the report to FILE (atomically)"),
		WN_OPT_END_()
	};

	memset(&g, 0, sizeof(g));
	g.io = io;
	wn_err_clear(&err);
	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP)
		return WN_EXIT_OK;
	if (n < 0)
		return WN_EXIT_USAGE;
	if (n < 2) {
		wn_error(io, "agreement needs the decision logs of at least two reviewers");
		wn_print_usage_short(io, usage);
		return WN_EXIT_USAGE;
	}
	g.v = wn_votes_new(WN_STAGE_NONE, &err);
	if (!g.v || wn_votes_load(g.v, (const char *const *)argv, (size_t)n, on_torn, io, &err) < 0)
		goto report;
	if (conflicts) {
		if (wn_output_open(&conf, conflicts, io->out, &err) < 0)
			goto report;
		conf_open = 1;
		g.conf = conf.fp;
		fputs("record_id\tkind", conf.fp);
		for (col = 0; col < wn_votes_columns(g.v); col++) {
			if (wn_votes_column(g.v, col)->header.role == WN_ROLE_REVIEW)
				fprintf(conf.fp, "\t%s", wn_votes_column(g.v, col)->header.reviewer);
		}
		fputc('\n', conf.fp);
	}
	if (wn_tally_compute(&g.t, g.v, list_row, &g, &err) != 0)
		goto report;
	tallied = 1;
	if (conf_open) {
		conf_open = 0;
		if (wn_output_commit(&conf, &err) < 0)
			goto report;
	}
	if (wn_output_open(&out, out_path, io->out, &err) < 0)
		goto report;
	if (json) {
		json_object *o = build_json(&g);
		if (!o || wn_jsonl_write(out.fp, o, &err) < 0) {
			if (!o)
				wn_err_set(&err, WN_ENOMEM, "out of memory");
			json_object_put(o);
			wn_output_abort(&out);
			goto report;
		}
		json_object_put(o);
	} else {
		print_text(&g, out.fp);
	}
	if (wn_output_commit(&out, &err) < 0)
		goto report;
	goto out;
report:
	rc = wn_report(io, &err);
out:
	if (conf_open)
		wn_output_abort(&conf);
	if (tallied)
		wn_tally_release(&g.t);
	wn_votes_free(g.v);
	return rc;
}

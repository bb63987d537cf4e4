/*
 * checks.c - the invariants of the PRISMA 2020 flow (research notes, screening.md 3.2),
 * and the joins between stages that make them hold.
 *
 * A violation is an error message that shows the equation with every term, the number
 * on each side, and the ledger line each number came from, so the person reading it can
 * find the run that went wrong. A check runs only when all its terms are known (a review
 * in progress has no full-text counts yet); p->nchecks counts the checks made.
 *
 * The checks, in the order a reader follows the diagram:
 *   join  dedup read the records fetch identified (when there is one dedup run);
 *   join  the first filter read the records dedup kept;
 *   I2    records screened = identified (databases + registers) - duplicates
 *                            - marked ineligible by automation - removed for other reasons
 *   I3    records excluded <= records screened; title/abstract screening finished
 *   I4    reports sought = records screened - records excluded
 *   I5    reports assessed = reports sought - not retrieved; full-text screening finished
 *   I6    reports excluded (sum of reasons) = assessed - included; one reason each
 *   I7    the same chain for other methods, which cannot seek more than they identified
 *   I8    studies <= reports; totals = previous + new
 */
#include <stdio.h>
#include <string.h>
#include "prisma_int.h"
#include "winnow/alloc.h"

struct term {
	const char *label;
	int64_t n;
	const char *from;
	char sign;     /* '+' or '-' (ignored for the first term) */
};

static int append_row(struct wn_buf *b, int width, const char *prefix, const char *label, int64_t n,
		      const char *from, struct wn_err *err)
{
	int pad = width - (int)strlen(prefix) - (int)strlen(label);

	return wn_buf_addf(b, err, "\n  %s%s%*s %8lld  %s", prefix, label, pad > 0 ? pad : 0, "",
			   (long long)n, from && *from ? from : "");
}

/* lhs == sum of terms? Records the check; on a mismatch adds the error message. */
static int check_sum(struct wn_prisma *p, struct wn_err *err, const char *title, const char *rule,
		     const char *lhs_label, int64_t lhs, const char *lhs_from,
		     const struct term *t, size_t nt, const char *hint)
{
	struct wn_buf b;
	int64_t rhs = 0;
	size_t i;
	int width = (int)strlen(lhs_label), rc;

	p->nchecks++;
	for (i = 0; i < nt; i++) {
		rhs += (i == 0 || t[i].sign == '+') ? t[i].n : -t[i].n;
		if ((int)strlen(t[i].label) + 2 > width)
			width = (int)strlen(t[i].label) + 2;
	}
	if (lhs == rhs)
		return 0;
	wn_buf_init(&b, 0);
	rc = wn_buf_addf(&b, err, "%s: %s is %lld, but by the rule it should be %lld", title,
			 lhs_label, (long long)lhs, (long long)rhs);
	if (rc == 0)
		rc = wn_buf_addf(&b, err, "\n  rule: %s", rule);
	if (rc == 0)
		rc = append_row(&b, width, "", lhs_label, lhs, lhs_from, err);
	for (i = 0; i < nt && rc == 0; i++) {
		char prefix[3] = { i == 0 ? ' ' : t[i].sign, ' ', 0 };
		rc = append_row(&b, width, i == 0 ? "= " : prefix, t[i].label, t[i].n, t[i].from, err);
	}
	if (rc == 0)
		rc = wn_buf_addf(&b, err, "\n  difference: %lld", (long long)(lhs - rhs));
	if (rc == 0 && hint)
		rc = wn_buf_addf(&b, err, "\n  %s", hint);
	if (rc == 0)
		rc = wn_prisma_msg(p, WN_PRISMA_ERROR, err, "%s", b.data);
	wn_buf_release(&b);
	return rc;
}

static int where_run(const struct wn_prisma *p, size_t run, const char *what, struct wn_buf *b,
		     struct wn_err *err)
{
	wn_buf_reset(b);
	if (prisma_where(&p->runs->r[run], b, err) < 0)
		return -1;
	return what ? wn_buf_addf(b, err, ": %s", what) : 0;
}

/* Screening finished? conflicts and undecided records are not yet in any box. */
static int check_finished(struct wn_prisma *p, const struct prisma_export *x, const char *stage,
			  struct wn_err *err)
{
	struct wn_buf b;
	int rc = 0;

	p->nchecks++;
	if (x->con == 0 && x->und == 0)
		return 0;
	wn_buf_init(&b, 0);
	if (where_run(p, x->run, NULL, &b, err) < 0)
		rc = -1;
	else
		rc = wn_prisma_msg(p, WN_PRISMA_ERROR, err,
				   "%s screening is not finished: %lld record%s in conflict and %lld not yet decided by every reviewer (%s)\n"
				   "  PRISMA counts a record once its screening is decided: settle the conflicts with 'winnow-screen resolve', finish the screening, then run 'winnow-screen export --stage %s' again",
				   stage, (long long)x->con, x->con == 1 ? "" : "s", (long long)x->und, b.data,
				   strcmp(stage, "full-text") == 0 ? "ft" : "ta");
	wn_buf_release(&b);
	return rc;
}

static int reasons_text(json_object *reasons, struct wn_buf *b, struct wn_err *err)
{
	int first = 1;

	if (!reasons || json_object_object_length(reasons) == 0)
		return wn_buf_adds(b, "none", err);
	json_object_object_foreach(reasons, k, v) {
		if (wn_buf_addf(b, err, "%s%s %lld", first ? "" : ", ", k,
				(long long)json_object_get_int64(v)) < 0)
			return -1;
		first = 0;
	}
	return 0;
}

/* I6/I7: the reasons of one full-text export add up to assessed - included. */
static int check_reasons(struct wn_prisma *p, const struct prisma_export *x, enum wn_prisma_key exk,
			 enum wn_prisma_key ask, const char *branch, struct wn_err *err)
{
	struct wn_buf f1, f2, rs, hint;
	struct term t[2];
	const struct wn_prisma_value *ex = &p->v[exk], *as = &p->v[ask];
	int rc;

	wn_buf_init(&f1, 0);
	wn_buf_init(&f2, 0);
	wn_buf_init(&rs, 0);
	wn_buf_init(&hint, 0);
	rc = where_run(p, x->run, "state_counts.include", &f2, err);
	if (rc == 0)
		rc = wn_buf_adds(&f1, ex->from, err);
	if (rc == 0)
		rc = reasons_text(ex->by, &rs, err);
	if (rc == 0)
		rc = wn_buf_addf(&hint, err,
				 "every excluded report needs exactly one reason (reasons: %s; reports excluded: %lld)",
				 rs.data, (long long)x->exc_assessed);
	t[0].label = "reports assessed";
	t[0].n = as->n;
	t[0].from = as->from;
	t[0].sign = '+';
	t[1].label = "reports included";
	t[1].n = x->inc;
	t[1].from = f2.data;
	t[1].sign = '-';
	if (rc == 0) {
		char title[96];
		snprintf(title, sizeof(title), "the reports excluded%s do not add up", branch);
		rc = check_sum(p, err, title,
			       "reports excluded (the sum over the reasons) = reports assessed - reports included",
			       "reports excluded (sum of reasons)", ex->n, f1.data, t, 2, hint.data);
	}
	wn_buf_release(&f1);
	wn_buf_release(&f2);
	wn_buf_release(&rs);
	wn_buf_release(&hint);
	return rc;
}

static int check_identified_join(struct wn_prisma *p, const struct prisma_facts *x,
				 struct wn_err *err)
{
	const struct wn_prisma_value *v = p->v;
	int64_t ident = v[WN_PK_DATABASE_RESULTS].n + v[WN_PK_REGISTER_RESULTS].n;
	struct wn_buf b1, b2;
	struct term t[3];
	int rc = 0;

	(void)ident;
	wn_buf_init(&b1, 0);
	wn_buf_init(&b2, 0);
	t[0].label = "records from databases";
	t[0].n = v[WN_PK_DATABASE_RESULTS].n;
	t[0].from = v[WN_PK_DATABASE_RESULTS].from;
	t[0].sign = '+';
	t[1].label = "records from registers";
	t[1].n = v[WN_PK_REGISTER_RESULTS].n;
	t[1].from = v[WN_PK_REGISTER_RESULTS].from;
	t[1].sign = '+';
	if (x->ndedup == 1 && x->dedup_in_first >= 0) {
		size_t nt = 2;
		if (x->pre_dedup_excluded) {
			t[2].label = "removed by filters run before dedup";
			t[2].n = x->pre_dedup_excluded;
			t[2].from = "winnow-screen filter runs before the dedup run";
			t[2].sign = '-';
			nt = 3;
		}
		rc = where_run(p, x->dedup_last, "records_in", &b1, err);
		if (rc == 0)
			rc = check_sum(p, err, "deduplication did not read the records identified",
				       "the records winnow-dedup reads = the records winnow-fetch identified (each export once), less those a filter removed before",
				       "records read by dedup", x->dedup_in_first, b1.data, t, nt,
				       "was a fetch run left out of the ledger, an export imported twice into the stream, or dedup fed another file?");
	}
	if (rc == 0 && x->npost_filter && x->ndedup) {
		struct term u[1];
		rc = where_run(p, x->filter_first, "records_in", &b1, err);
		if (rc == 0)
			rc = where_run(p, x->dedup_last, "records_out", &b2, err);
		u[0].label = "records kept by dedup";
		u[0].n = x->dedup_last_out;
		u[0].from = b2.data;
		u[0].sign = '+';
		if (rc == 0)
			rc = check_sum(p, err, "the filter did not read the records deduplication kept",
				       "the records winnow-screen filter reads = the records the stage before it wrote",
				       "records read by the filter", x->filter_first_in, b1.data, u, 1, NULL);
	}
	wn_buf_release(&b1);
	wn_buf_release(&b2);
	return rc;
}

int prisma_checks(struct wn_prisma *p, const struct prisma_facts *x, struct wn_err *err)
{
	const struct wn_prisma_value *v = p->v;
	struct wn_buf b1, b2;
	struct term t[6];
	int rc = 0;

	wn_buf_init(&b1, 0);
	wn_buf_init(&b2, 0);
	if (check_identified_join(p, x, err) < 0)
		goto fail;
	/* I2 */
	if (v[WN_PK_RECORDS_SCREENED].known) {
		t[0] = (struct term){ "records identified from databases", v[WN_PK_DATABASE_RESULTS].n,
				      v[WN_PK_DATABASE_RESULTS].from, '+' };
		t[1] = (struct term){ "records identified from registers", v[WN_PK_REGISTER_RESULTS].n,
				      v[WN_PK_REGISTER_RESULTS].from, '+' };
		t[2] = (struct term){ "duplicate records removed", v[WN_PK_DUPLICATES].n,
				      v[WN_PK_DUPLICATES].from, '-' };
		t[3] = (struct term){ "marked as ineligible by automation tools", v[WN_PK_EXCLUDED_AUTOMATIC].n,
				      v[WN_PK_EXCLUDED_AUTOMATIC].from, '-' };
		t[4] = (struct term){ "removed for other reasons", v[WN_PK_EXCLUDED_OTHER].n,
				      v[WN_PK_EXCLUDED_OTHER].from, '-' };
		if (check_sum(p, err, "the records screened do not add up",
			      "records screened = records identified (databases + registers) - duplicates - records marked as ineligible by automation tools - records removed for other reasons",
			      "records screened", v[WN_PK_RECORDS_SCREENED].n, v[WN_PK_RECORDS_SCREENED].from,
			      t, 5, NULL) < 0)
			goto fail;
	}
	/* I3, I4 */
	if (x->ta.have) {
		p->nchecks++;
		if (v[WN_PK_RECORDS_EXCLUDED].n > v[WN_PK_RECORDS_SCREENED].n &&
		    wn_prisma_msg(p, WN_PRISMA_ERROR, err,
				  "more records excluded (%lld) than screened (%lld)\n  both from %s",
				  (long long)v[WN_PK_RECORDS_EXCLUDED].n, (long long)v[WN_PK_RECORDS_SCREENED].n,
				  v[WN_PK_RECORDS_SCREENED].from) < 0)
			goto fail;
		if (check_finished(p, &x->ta, "title/abstract", err) < 0)
			goto fail;
		if (x->ft.have && x->ta.con == 0 && x->ta.und == 0) {
			t[0] = (struct term){ "records screened", v[WN_PK_RECORDS_SCREENED].n,
					      v[WN_PK_RECORDS_SCREENED].from, '+' };
			t[1] = (struct term){ "records excluded", v[WN_PK_RECORDS_EXCLUDED].n,
					      v[WN_PK_RECORDS_EXCLUDED].from, '-' };
			if (check_sum(p, err, "the reports sought for retrieval do not add up",
				      "reports sought for retrieval = records screened - records excluded (each record included at title/abstract is one report sought)",
				      "reports sought for retrieval", v[WN_PK_DBR_SOUGHT_REPORTS].n,
				      v[WN_PK_DBR_SOUGHT_REPORTS].from, t, 2,
				      "was the full-text stage given the records 'winnow-screen export --stage ta --decision include' wrote?") < 0)
				goto fail;
		}
	}
	/* I5, I6 */
	if (x->ft.have) {
		if (where_run(p, x->ft.run, "state_counts (include + exclude)", &b1, err) < 0)
			goto fail;
		t[0] = (struct term){ "reports sought for retrieval", v[WN_PK_DBR_SOUGHT_REPORTS].n,
				      v[WN_PK_DBR_SOUGHT_REPORTS].from, '+' };
		t[1] = (struct term){ "reports not retrieved", v[WN_PK_DBR_NOTRETRIEVED_REPORTS].n,
				      v[WN_PK_DBR_NOTRETRIEVED_REPORTS].from, '-' };
		p->nchecks++;
		if (v[WN_PK_DBR_NOTRETRIEVED_REPORTS].n > v[WN_PK_DBR_SOUGHT_REPORTS].n &&
		    wn_prisma_msg(p, WN_PRISMA_ERROR, err, "more reports not retrieved (%lld) than sought (%lld)\n  both from %s",
				  (long long)v[WN_PK_DBR_NOTRETRIEVED_REPORTS].n,
				  (long long)v[WN_PK_DBR_SOUGHT_REPORTS].n, v[WN_PK_DBR_SOUGHT_REPORTS].from) < 0)
			goto fail;
		if (check_finished(p, &x->ft, "full-text", err) < 0)
			goto fail;
		if (x->ft.con == 0 && x->ft.und == 0) {
			t[0] = (struct term){ "reports included", x->ft.inc, b1.data, '+' };
			t[1] = (struct term){ "reports excluded", x->ft.exc_assessed, b1.data, '+' };
			if (check_sum(p, err, "the reports assessed do not add up",
				      "reports assessed for eligibility = reports sought - reports not retrieved = reports included + reports excluded",
				      "reports assessed", v[WN_PK_DBR_ASSESSED].n, v[WN_PK_DBR_ASSESSED].from, t, 2,
				      NULL) < 0 ||
			    check_reasons(p, &x->ft, WN_PK_DBR_EXCLUDED, WN_PK_DBR_ASSESSED, "", err) < 0)
				goto fail;
		}
	}
	/* I7 */
	if (x->oft.have) {
		int64_t ident = x->kind_total[K_WEBSITE] + x->kind_total[K_ORGANISATION] +
				x->kind_total[K_CITATION] + x->kind_total[K_OTHER];
		p->nchecks++;
		if (v[WN_PK_OTHER_SOUGHT_REPORTS].n > ident &&
		    wn_prisma_msg(p, WN_PRISMA_ERROR, err,
				  "more reports sought by other methods (%lld, %s) than records identified by other methods (%lld: websites, organisations, citation searching, other)\n"
				  "  was the full-text export of the databases taken for the other methods' one? give it the records included at title/abstract",
				  (long long)v[WN_PK_OTHER_SOUGHT_REPORTS].n, v[WN_PK_OTHER_SOUGHT_REPORTS].from,
				  (long long)ident) < 0)
			goto fail;
		if (check_finished(p, &x->oft, "full-text (other methods)", err) < 0)
			goto fail;
		if (x->oft.con == 0 && x->oft.und == 0) {
			if (where_run(p, x->oft.run, "state_counts (include + exclude)", &b2, err) < 0)
				goto fail;
			t[0] = (struct term){ "reports included", x->oft.inc, b2.data, '+' };
			t[1] = (struct term){ "reports excluded", x->oft.exc_assessed, b2.data, '+' };
			if (check_sum(p, err, "the reports assessed (other methods) do not add up",
				      "reports assessed = reports sought - reports not retrieved = reports included + reports excluded",
				      "reports assessed", v[WN_PK_OTHER_ASSESSED].n, v[WN_PK_OTHER_ASSESSED].from, t, 2,
				      NULL) < 0 ||
			    check_reasons(p, &x->oft, WN_PK_OTHER_EXCLUDED, WN_PK_OTHER_ASSESSED,
					  " (other methods)", err) < 0)
				goto fail;
		}
	}
	/* I8 */
	if (v[WN_PK_NEW_STUDIES].known) {
		p->nchecks++;
		if (v[WN_PK_NEW_STUDIES].n > v[WN_PK_NEW_REPORTS].n &&
		    wn_prisma_msg(p, WN_PRISMA_ERROR, err, "more new studies (%lld) than reports of them (%lld): every study has at least one report",
				  (long long)v[WN_PK_NEW_STUDIES].n, (long long)v[WN_PK_NEW_REPORTS].n) < 0)
			goto fail;
	}
	if (p->previous) {
		p->nchecks++;
		if (v[WN_PK_PREVIOUS_STUDIES].n > v[WN_PK_PREVIOUS_REPORTS].n &&
		    wn_prisma_msg(p, WN_PRISMA_ERROR, err,
				  "--previous-studies %lld is more than --previous-reports %lld: every study has at least one report",
				  (long long)v[WN_PK_PREVIOUS_STUDIES].n, (long long)v[WN_PK_PREVIOUS_REPORTS].n) < 0)
			goto fail;
		if (v[WN_PK_TOTAL_STUDIES].known) {
			t[0] = (struct term){ "studies in the previous version", v[WN_PK_PREVIOUS_STUDIES].n,
					      v[WN_PK_PREVIOUS_STUDIES].from, '+' };
			t[1] = (struct term){ "new studies", v[WN_PK_NEW_STUDIES].n, v[WN_PK_NEW_STUDIES].from, '+' };
			if (check_sum(p, err, "the total of studies does not add up",
				      "total studies = previous studies + new studies", "total studies",
				      v[WN_PK_TOTAL_STUDIES].n, v[WN_PK_TOTAL_STUDIES].from, t, 2, NULL) < 0)
				goto fail;
		}
	}
	wn_buf_release(&b1);
	wn_buf_release(&b2);
	return rc;
fail:
	wn_buf_release(&b1);
	wn_buf_release(&b2);
	return -1;
}

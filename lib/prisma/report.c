/*
 * report.c - the PRISMA 2020 counts as the PRISMA2020 CSV template, as JSON and as a
 * text table (see prisma_report.h for the formats and why they are so).
 */
#include <string.h>
#include "prisma_int.h"
#include "winnow/output.h"
#include "winnow/prisma_report.h"
#include "winnow/utf8.h"
#include "winnow/version.h"

#define K(x) WN_PK_##x
/* The rows of the PRISMA2020 package's inst/extdata/PRISMA.csv (v1.1.4), in order, with
 * the package's strings: a CSV that the package and its Shiny app load unchanged. */
const struct wn_prisma_row wn_prisma_template[WN_PRISMA_TEMPLATE_ROWS] = {
	{ "NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
	  "Grey title box; Previous studies", "prevstud.html", "0", -1 },
	{ "previous_studies", "node5", "box1", "Studies included in previous version of review",
	  "Studies included in previous version of review", "Studies included in previous version of review",
	  "previous_studies.html", "0", K(PREVIOUS_STUDIES) },
	{ "previous_reports", "NA", "box1", "Reports of studies included in previous version of review",
	  "Reports of studies included in previous version of review", "NA", "previous_reports.html", "0",
	  K(PREVIOUS_REPORTS) },
	{ "NA", "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers",
	  "Identification of new studies via databases and registers",
	  "Yellow title box; Identification of new studies via databases and registers", "newstud.html", "0", -1 },
	{ "database_results", "node7", "box2", "Records identified from: Databases", "Databases",
	  "Records identified from: Databases and Registers", "database_results.html", "0", K(DATABASE_RESULTS) },
	{ "database_specific_results", "NA", "box2", "Records identified from: specific databases",
	  "Specific Databases", "NA", "database_results.html", "Database 1, xxx; Database 2, xxx; Database 3, xxx",
	  K(DATABASE_SPECIFIC_RESULTS) },
	{ "register_results", "NA", "box2", "Records identified from: Registers", "Registers", "NA", "NA", "0",
	  K(REGISTER_RESULTS) },
	{ "register_specific_results", "NA", "box2", "Records identified from: specific registers",
	  "Specific Registers", "NA", "database_results.html", "Register 1, xxx; Register 2, xxx; Register 3, xxx",
	  K(REGISTER_SPECIFIC_RESULTS) },
	{ "NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods",
	  "Identification of new studies via other methods",
	  "Grey title box; Identification of new studies via other methods", "othstud.html", "0", -1 },
	{ "website_results", "node17", "box11", "Records identified from: Websites", "Websites",
	  "Records identified from: Websites, Organisations and Citation Searching", "website_results.html", "0",
	  K(WEBSITE_RESULTS) },
	{ "organisation_results", "", "box11", "Records identified from: Organisations", "Organisations", "NA",
	  "NA", "0", K(ORGANISATION_RESULTS) },
	{ "citations_results", "NA", "box11", "Records identified from: Citation searching", "Citation searching",
	  "NA", "NA", "0", K(CITATIONS_RESULTS) },
	{ "duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records",
	  "duplicates.html", "0", K(DUPLICATES) },
	{ "excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools",
	  "Records marked as ineligible by automation tools", "NA", "NA", "0", K(EXCLUDED_AUTOMATIC) },
	{ "excluded_other", "NA", "box3", "Records removed for other reasons", "Records removed for other reasons",
	  "NA", "NA", "0", K(EXCLUDED_OTHER) },
	{ "records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened",
	  "Records screened (databases and registers)", "records_screened.html", "0", K(RECORDS_SCREENED) },
	{ "records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded",
	  "Records excluded (databases and registers)", "records_excluded.html", "0", K(RECORDS_EXCLUDED) },
	{ "dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)",
	  "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)",
	  "dbr_sought_reports.html", "0", K(DBR_SOUGHT_REPORTS) },
	{ "dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)",
	  "Reports not retrieved", "Reports not retrieved (databases and registers)",
	  "dbr_notretrieved_reports.html", "0", K(DBR_NOTRETRIEVED_REPORTS) },
	{ "other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)",
	  "Reports sought for retrieval", "Reports sought for retrieval (other)", "other_sought_reports.html", "0",
	  K(OTHER_SOUGHT_REPORTS) },
	{ "other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved",
	  "Reports not retrieved (other)", "other_notretrieved_reports.html", "0", K(OTHER_NOTRETRIEVED_REPORTS) },
	{ "dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)",
	  "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)",
	  "dbr_assessed.html", "0", K(DBR_ASSESSED) },
	{ "dbr_excluded", "node14", "box9",
	  "Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]",
	  "Reports excluded", "Reports excluded (databases and registers)", "dbrexcludedrecords.html",
	  "Reason1, xxx; Reason2, xxx; Reason3, xxx", K(DBR_EXCLUDED) },
	{ "other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
	  "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html", "0",
	  K(OTHER_ASSESSED) },
	{ "other_excluded", "node21", "box15",
	  "Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]",
	  "Reports excluded", "Reports excluded (other)", "other_excluded.html",
	  "Reason1, xxx; Reason2, xxx; Reason3, xxx", K(OTHER_EXCLUDED) },
	{ "new_studies", "node15", "box10", "New studies included in review", "New studies included in review",
	  "New studies included in review", "new_studies.html", "0", K(NEW_STUDIES) },
	{ "new_reports", "NA", "box10", "Reports of new included studies", "Reports of new included studies", "NA",
	  "NA", "0", K(NEW_REPORTS) },
	{ "total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review",
	  "Total studies included in review", "total_studies.html", "0", K(TOTAL_STUDIES) },
	{ "total_reports", "NA", "box16", "Reports of total included studies", "Reports of total included studies",
	  "NA", "NA", "0", K(TOTAL_REPORTS) },
	{ "identification", "node1", "identification", "Blue identification box", "Identification",
	  "Blue identification box", "identification.html", "0", K(IDENTIFICATION) },
	{ "screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box",
	  "screening.html", "0", K(SCREENING) },
	{ "included", "node3", "included", "Blue included box", "Included", "Blue included box", "included.html",
	  "0", K(INCLUDED) },
	{ "total_studies_ma", "node23", "box17", "Total studies included in meta-analysis",
	  "Total studies included in meta-analysis", "Total studies included in meta-analysis",
	  "total_studies_meta_analysis.html", "0", K(TOTAL_STUDIES_MA) },
	{ "total_reports_ma", "NA", "box17", "Reports of total included studies in meta-analysis",
	  "Reports of total included studies in meta-analysis", "NA", "NA", "0", K(TOTAL_REPORTS_MA) },
};
#undef K

/* A name inside a breakdown: the package splits on "; " and on the first ",", so commas and
 * semicolons become spaces (runs of spaces collapse); control characters go. */
static int safe_name(struct wn_buf *out, const char *s, struct wn_err *err)
{
	struct wn_buf clean;
	size_t i, start = out->len;
	int space = 0, rc = 0;

	wn_buf_init(&clean, 0);
	if (wn_utf8_sanitize(&clean, s, strlen(s), 0, err) < 0) {
		wn_buf_release(&clean);
		return -1;
	}
	for (i = 0; i < clean.len && rc == 0; i++) {
		char c = clean.data[i];
		if (c == ',' || c == ';' || c == ' ') {
			space = 1;
			continue;
		}
		if (space && out->len > start)
			rc = wn_buf_addc(out, ' ', err);
		space = 0;
		if (rc == 0)
			rc = wn_buf_addc(out, c, err);
	}
	if (rc == 0 && out->len == start)
		rc = wn_buf_adds(out, "(unnamed)", err);
	wn_buf_release(&clean);
	return rc;
}

int wn_prisma_breakdown_string(json_object *by, struct wn_buf *out, struct wn_err *err)
{
	int first = 1;

	if (!by || json_object_object_length(by) == 0)
		return wn_buf_adds(out, "0", err);
	json_object_object_foreach(by, k, v) {
		if ((!first && wn_buf_adds(out, "; ", err) < 0) || safe_name(out, k, err) < 0 ||
		    wn_buf_addf(out, err, ", %lld", (long long)json_object_get_int64(v)) < 0)
			return -1;
		first = 0;
	}
	return 0;
}

/* ---- CSV ---- */

static int csv_field(FILE *out, const char *s, int last)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
	return fputc(last ? '\n' : ',', out) == EOF ? -1 : 0;
}

static int csv_n(const struct wn_prisma *p, const struct wn_prisma_row *row, struct wn_buf *b,
		 struct wn_err *err)
{
	const struct wn_prisma_value *v;

	wn_buf_reset(b);
	if (row->key < 0 || row->key == WN_PK_IDENTIFICATION || row->key == WN_PK_SCREENING ||
	    row->key == WN_PK_INCLUDED)
		return wn_buf_adds(b, row->n, err);
	v = &p->v[row->key];
	if (!v->known)
		return 0;
	if (wn_prisma_key_is_breakdown((enum wn_prisma_key)row->key))
		return wn_prisma_breakdown_string(v->by, b, err);
	return wn_buf_addf(b, err, "%lld", (long long)v->n);
}

int wn_prisma_write_csv(FILE *out, const char *name, const struct wn_prisma *p, struct wn_err *err)
{
	struct wn_buf n;
	size_t i;

	wn_buf_init(&n, 0);
	fputs("data,node,box,description,boxtext,tooltips,url,n\n", out);
	for (i = 0; i < WN_PRISMA_TEMPLATE_ROWS; i++) {
		const struct wn_prisma_row *r = &wn_prisma_template[i];
		if (csv_n(p, r, &n, err) < 0) {
			wn_buf_release(&n);
			return -1;
		}
		csv_field(out, r->data, 0);
		csv_field(out, r->node, 0);
		csv_field(out, r->box, 0);
		csv_field(out, r->description, 0);
		csv_field(out, r->boxtext, 0);
		csv_field(out, r->tooltips, 0);
		csv_field(out, r->url, 0);
		csv_field(out, n.data, 1);
	}
	wn_buf_release(&n);
	return wn_output_check(out, name, err);
}

/* ---- JSON ---- */

json_object *wn_prisma_json(const struct wn_prisma *p, struct wn_err *err)
{
	json_object *o = json_object_new_object();
	int k;

	if (!o) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	for (k = 0; k < WN_PK__COUNT; k++) {
		const struct wn_prisma_value *v = &p->v[k];
		json_object *val = NULL;
		int rc;
		if (k == WN_PK_IDENTIFICATION || k == WN_PK_SCREENING || k == WN_PK_INCLUDED) {
			json_object *d = NULL;
			if (p->details)
				json_object_object_get_ex(p->details, wn_prisma_key_name((enum wn_prisma_key)k), &d);
			val = d ? json_object_get(d) : json_object_new_object();
			rc = pj_put(o, wn_prisma_key_name((enum wn_prisma_key)k), val, err);
		} else if (!v->known) {
			rc = json_object_object_add(o, wn_prisma_key_name((enum wn_prisma_key)k), NULL) ?
				wn_err_set(err, WN_ENOMEM, "out of memory") : 0;
		} else if (wn_prisma_key_is_breakdown((enum wn_prisma_key)k)) {
			val = v->by ? json_object_get(v->by) : json_object_new_object();
			rc = pj_put(o, wn_prisma_key_name((enum wn_prisma_key)k), val, err);
		} else {
			rc = pj_put(o, wn_prisma_key_name((enum wn_prisma_key)k), json_object_new_int64(v->n), err);
		}
		if (rc < 0) {
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

int wn_prisma_write_json(FILE *out, const char *name, const struct wn_prisma *p, struct wn_err *err)
{
	json_object *o = wn_prisma_json(p, err);
	const char *s;

	if (!o)
		return -1;
	s = pj_print(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		     JSON_C_TO_STRING_NOSLASHESCAPE, err);
	if (!s) {
		json_object_put(o);
		return -1;
	}
	fputs(s, out);
	fputc('\n', out);
	json_object_put(o);
	return wn_output_check(out, name, err);
}

/* ---- text ---- */

#define TEXT_WIDTH 64   /* label column, in display columns */

static int text_line(FILE *out, int indent, const char *label, const struct wn_prisma_value *v,
		     int64_t n, int known, struct wn_err *err)
{
	struct wn_buf clean;
	size_t w;
	int pad;

	wn_buf_init(&clean, 0);
	if (wn_utf8_sanitize(&clean, label, strlen(label), 0, err) < 0) {
		wn_buf_release(&clean);
		return -1;
	}
	if (v) {
		n = v->n;
		known = v->known;
	}
	w = wn_utf8_width(clean.data, clean.len) + (size_t)indent;
	pad = TEXT_WIDTH - (int)w;
	if (pad < 1) {
		fprintf(out, "%*s%s\n", indent, "", clean.data);
		pad = TEXT_WIDTH;
		indent = 0;
		clean.data[0] = 0;
	}
	if (known)
		fprintf(out, "%*s%s%*s%8lld\n", indent, "", clean.data, pad, "", (long long)n);
	else
		fprintf(out, "%*s%s%*s%8s\n", indent, "", clean.data, pad, "", "-");
	wn_buf_release(&clean);
	return 0;
}

static int text_breakdown(FILE *out, int indent, json_object *by, struct wn_err *err)
{
	if (!by)
		return 0;
	json_object_object_foreach(by, k, val) {
		if (text_line(out, indent, k, NULL, json_object_get_int64(val), 1, err) < 0)
			return -1;
	}
	return 0;
}

int wn_prisma_write_text(FILE *out, const char *name, const struct wn_prisma *p, struct wn_err *err)
{
	const struct wn_prisma_value *v = p->v;
	size_t i;

#define LINE(ind, label, key) \
	if (text_line(out, (ind), (label), &v[WN_PK_##key], 0, 0, err) < 0) return -1
#define BREAK(ind, key) \
	if (text_breakdown(out, (ind), v[WN_PK_##key].by, err) < 0) return -1

	fprintf(out, "PRISMA 2020 flow: winnow %s, ledger%s ", WINNOW_VERSION,
		p->runs && p->runs->nledgers > 1 ? "s" : "");
	for (i = 0; p->runs && i < p->runs->nledgers; i++)
		fprintf(out, "%s'%s'", i ? ", " : "", p->runs->ledgers[i]);
	fprintf(out, " (%s to %s)\n", p->first[0] ? p->first : "?", p->last[0] ? p->last : "?");
	if (p->previous) {
		fputs("\nPrevious studies\n", out);
		LINE(2, "Studies included in previous version of review", PREVIOUS_STUDIES);
		LINE(2, "Reports of studies included in previous version of review", PREVIOUS_REPORTS);
	}
	fputs("\nIdentification of new studies via databases and registers\n", out);
	LINE(2, "Records identified from databases", DATABASE_RESULTS);
	BREAK(6, DATABASE_SPECIFIC_RESULTS);
	LINE(2, "Records identified from registers", REGISTER_RESULTS);
	BREAK(6, REGISTER_SPECIFIC_RESULTS);
	fputs("  Records removed before screening:\n", out);
	LINE(4, "Duplicate records removed", DUPLICATES);
	LINE(4, "Records marked as ineligible by automation tools", EXCLUDED_AUTOMATIC);
	BREAK(8, EXCLUDED_AUTOMATIC);
	LINE(4, "Records removed for other reasons", EXCLUDED_OTHER);
	BREAK(8, EXCLUDED_OTHER);
	LINE(2, "Records screened", RECORDS_SCREENED);
	LINE(2, "Records excluded by reviewers", RECORDS_EXCLUDED);
	if (text_line(out, 2, "Records excluded by automation tools (before screening)",
		      &v[WN_PK_EXCLUDED_AUTOMATIC], 0, 0, err) < 0)
		return -1;
	LINE(2, "Reports sought for retrieval", DBR_SOUGHT_REPORTS);
	LINE(2, "Reports not retrieved", DBR_NOTRETRIEVED_REPORTS);
	LINE(2, "Reports assessed for eligibility", DBR_ASSESSED);
	LINE(2, "Reports excluded", DBR_EXCLUDED);
	BREAK(6, DBR_EXCLUDED);
	if (p->other_branch) {
		fputs("\nIdentification of new studies via other methods\n", out);
		LINE(2, "Records identified from websites", WEBSITE_RESULTS);
		LINE(2, "Records identified from organisations", ORGANISATION_RESULTS);
		LINE(2, "Records identified from citation searching", CITATIONS_RESULTS);
		if (p->other_kind_other &&
		    text_line(out, 2, "Records identified from other sources", NULL, p->other_kind_other, 1, err) < 0)
			return -1;
		LINE(2, "Reports sought for retrieval", OTHER_SOUGHT_REPORTS);
		LINE(2, "Reports not retrieved", OTHER_NOTRETRIEVED_REPORTS);
		LINE(2, "Reports assessed for eligibility", OTHER_ASSESSED);
		LINE(2, "Reports excluded", OTHER_EXCLUDED);
		BREAK(6, OTHER_EXCLUDED);
	}
	fputs("\nIncluded\n", out);
	if (p->previous) {
		LINE(2, "New studies included in review", NEW_STUDIES);
		LINE(2, "Reports of new included studies", NEW_REPORTS);
		LINE(2, "Total studies included in review", TOTAL_STUDIES);
		LINE(2, "Reports of total included studies", TOTAL_REPORTS);
	} else {
		LINE(2, "Studies included in review", NEW_STUDIES);
		LINE(2, "Reports of included studies", NEW_REPORTS);
	}
#undef LINE
#undef BREAK
	if (p->nerrors)
		fprintf(out, "\n%zu problem%s found (see the errors): these numbers must not be published\n",
			p->nerrors, p->nerrors == 1 ? "" : "s");
	else
		fprintf(out, "\nAll %zu checks hold.\n", p->nchecks);
	return wn_output_check(out, name, err);
}

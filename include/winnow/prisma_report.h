/*
 * prisma_report.h - the PRISMA 2020 counts as text, JSON and the PRISMA2020 CSV template.
 *
 * CSV: the data template of the PRISMA2020 R package and Shiny app (Haddaway et al.,
 * inst/extdata/PRISMA.csv, v1.1.4): header data,node,box,description,boxtext,tooltips,
 * url,n and its 34 rows in order, with the package's own description, box text, tooltip
 * and url strings; only `n` is filled in. The package finds rows by a regular expression
 * on `data`, strips every non-digit from counts, and splits breakdowns ("Reason, 12;
 * Reason, 7") on "; " and then on the first comma - so names written into a breakdown
 * have their commas and semicolons replaced, or the package would read wrong numbers
 * without a word (PRISMA2020 issue #77). An empty `n` is NA: a branch that does not apply
 * (previous review, other methods) is left empty and the package leaves it out.
 *
 * JSON: one object whose keys are exactly the template's data keys, in template order;
 * counts are numbers (null when not applicable), the breakdowns of the template
 * (database_specific_results, register_specific_results, dbr_excluded, other_excluded)
 * are objects of counts. The three side-label keys, which carry no count in the
 * template, hold the facts behind the numbers (details.c): "identification" the
 * provenance (winnow version, ledgers, first and last timestamps, runs) and the PRISMA-S
 * facts; "screening" the screening exports used; "included" where the reports came from.
 *
 * Text: a table of every box, with the breakdowns, for a terminal.
 */
#ifndef WINNOW_PRISMA_REPORT_H
#define WINNOW_PRISMA_REPORT_H

#include <stdio.h>
#include <json-c/json.h>
#include "winnow/buf.h"
#include "winnow/prisma.h"

struct wn_prisma_row {
	const char *data, *node, *box, *description, *boxtext, *tooltips, *url;
	const char *n;        /* the template's default n */
	int key;              /* enum wn_prisma_key, or -1 for a title row */
};

#define WN_PRISMA_TEMPLATE_ROWS 34
extern const struct wn_prisma_row wn_prisma_template[WN_PRISMA_TEMPLATE_ROWS];

/* "Name, n; Name, n" in the order of `by`, names made safe for the package's parser
 * (commas and semicolons become spaces, control characters go). */
int wn_prisma_breakdown_string(json_object *by, struct wn_buf *out, struct wn_err *err);

/* The JSON object (new reference), NULL on allocation failure. */
json_object *wn_prisma_json(const struct wn_prisma *p, struct wn_err *err);

/* Writers: -1 with WN_EIO/WN_EPIPE on a write error, WN_ENOMEM. `name` names the
 * output in messages. */
int wn_prisma_write_json(FILE *out, const char *name, const struct wn_prisma *p,
			 struct wn_err *err);
int wn_prisma_write_csv(FILE *out, const char *name, const struct wn_prisma *p,
			struct wn_err *err);
int wn_prisma_write_text(FILE *out, const char *name, const struct wn_prisma *p,
			 struct wn_err *err);

#endif

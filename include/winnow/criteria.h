/*
 * criteria.h - eligibility rules applied by `winnow-screen filter` (the database limits
 * of a search - dates, languages, publication types - and required or forbidden terms).
 *
 * The file format (docs/winnow-screen-filter.1, "CRITERIA FILE"):
 *
 *   # lines starting with '#' are comments
 *   [rule date-limit]
 *   reason = published outside 08/12/1997 - 08/04/2020
 *   kind = automation            # or: other  (PRISMA: "removed for other reasons")
 *   date = 1997-12-08 .. 2020-04-08
 *   missing = keep               # or: exclude (records without the field)
 *
 * One condition per rule: date, year, language, include-pubtypes, exclude-pubtypes,
 * require, forbid (the last two take a search string; `dialect` and `fields` set how it
 * is read). Rules are checked in file order; a record failing several is excluded for
 * the first, and the others are listed with it. A record whose field is missing - or
 * too coarse to decide, like a year-only date against a day-precise limit - follows the
 * rule's `missing` setting; with `keep` (the default) it passes the rule and, if it
 * passes all the rules, is counted as undetermined for that rule.
 */
#ifndef WINNOW_CRITERIA_H
#define WINNOW_CRITERIA_H

#include <json-c/json.h>
#include "winnow/err.h"
#include "winnow/qmatch.h"

enum wn_crit_kind { WN_CRIT_AUTOMATION = 0, WN_CRIT_OTHER = 1 };

struct wn_criteria;
struct wn_criteria_state;

/* Parse a criteria file (`name` is used in messages: "'x.criteria' line 4: ..."). The
 * search strings of require/forbid rules are compiled with `qo` (its default fields and
 * MeSH tree); their parse warnings and compile notes go to notes. NULL with err
 * (WN_EFORMAT for a bad file, naming the line). */
struct wn_criteria *wn_criteria_parse(const char *text, size_t n, const char *name,
				      const struct wn_qmatch_opts *qo, struct wn_qdiags *notes,
				      struct wn_err *err);
struct wn_criteria *wn_criteria_load(const char *path, const struct wn_qmatch_opts *qo,
				     struct wn_qdiags *notes, struct wn_err *err);
void wn_criteria_free(struct wn_criteria *c);

size_t wn_criteria_count(const struct wn_criteria *c);
const char *wn_criteria_name(const struct wn_criteria *c, size_t i);
const char *wn_criteria_reason(const struct wn_criteria *c, size_t i);
enum wn_crit_kind wn_criteria_kind(const struct wn_criteria *c, size_t i);

struct wn_criteria_state *wn_criteria_state_new(const struct wn_criteria *c, struct wn_err *err);
void wn_criteria_state_free(struct wn_criteria_state *s);

/* Check a record against every rule. Returns the index of the first rule it fails, -1
 * when it passes them all, -2 on allocation failure (err set). failed[i] is set to 1 for
 * every failing rule (array of wn_criteria_count entries, may be NULL). A record that
 * passes every rule, some of them only because its field was missing or too coarse,
 * adds 1 to the state's undetermined count of those rules. */
int wn_criteria_check(struct wn_criteria_state *s, json_object *rec, unsigned char *failed,
		      struct wn_err *err);
/* Records kept by rule i only because its field was missing or undecidable. */
unsigned long wn_criteria_undetermined(const struct wn_criteria_state *s, size_t i);

#endif

/*
 * cmd_export.c - winnow-screen export: the records in one screening state, for the next
 * stage, and the ledger line PRISMA counts from.
 *
 *   winnow-screen export --stage ta|ft --decision STATE [-o FILE] RECORDS.jsonl LOG...
 *
 * The state of each record comes from all the logs (votes.h): a resolution decides;
 * else both include or maybe -> include, both exclude -> exclude (full text: with the
 * same reason, else a conflict, as in Covidence), anything else a conflict, and a record
 * some reviewer has not decided yet is undecided. Records are written exactly as they
 * were read (byte for byte), in file order, so the output feeds the next stage directly.
 *
 * The ledger line (docs/ledger.md, "screen") carries the state of every record of the
 * stage whichever state was exported, so winnow-prisma can use the latest export of a
 * stage. Decisions on ids that are not in RECORDS.jsonl (a log of another review) are
 * counted as unmatched_ids and reported, never silently merged.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ledger.h"
#include "winnow/output.h"
#include "winnow/recindex.h"
#include "winnow/votes.h"
#include "screen.h"
#include "screen_util.h"

static const char *const usage[] = {
	"winnow-screen export --stage ta|ft --decision include|exclude|maybe|conflict|not-retrieved|undecided [-o FILE] RECORDS.jsonl LOG...",
	NULL
};

#define NO_REASON "reason not given"

enum sel { SEL_INCLUDE, SEL_EXCLUDE, SEL_MAYBE, SEL_CONFLICT, SEL_NOT_RETRIEVED, SEL_UNDECIDED };

static const char *const sel_names[] = { "include", "exclude", "maybe", "conflict", "not-retrieved",
					  "undecided", NULL };

struct export {
	struct wn_io *io;
	int strict;
	unsigned long bad;
};

static void on_bad_record(const char *msg, void *data)
{
	struct export *x = data;

	x->bad++;
	if (!x->strict)
		wn_warning(x->io, "%s; skipped", msg);
}

static void on_torn(const char *path, const struct wn_declog_scan *scan, void *data)
{
	screen_warn_torn(data, path, scan);
}

static int selected(enum sel s, const struct wn_record_state *st)
{
	switch (s) {
	case SEL_INCLUDE: return st->state == WN_ST_INCLUDE;
	case SEL_EXCLUDE: return st->state == WN_ST_EXCLUDE;
	case SEL_MAYBE: return st->state == WN_ST_INCLUDE && st->maybe;
	case SEL_CONFLICT: return st->state == WN_ST_CONFLICT;
	case SEL_NOT_RETRIEVED: return st->state == WN_ST_NOT_RETRIEVED;
	default: return st->state == WN_ST_UNDECIDED;
	}
}

static int export_main(int argc, char **argv, char **given, struct wn_io *io)
{
	struct export x;
	struct wn_err err;
	struct wn_recindex ri;
	struct wn_votes *v = NULL;
	struct wn_output out;
	struct wn_ledger led;
	const char *stage_s = NULL, *decision = NULL, *out_path = NULL, *ledger_opt = NULL;
	unsigned long count[WN_ST_COUNT] = { 0 }, maybe = 0, resolved = 0, written = 0, unmatched = 0;
	unsigned long conflict_reasons = 0;
	json_object *reasons = NULL, *entry;
	enum wn_stage stage;
	enum sel sel = SEL_INCLUDE;
	int n, rc = WN_EXIT_OK, out_open = 0, led_open = 0, i;
	size_t k, rows;
	struct wn_option opts[] = {
		WN_OPT_STRING_(0, "stage", &stage_s, "ta|ft", "the stage the logs are for"),
		WN_OPT_STRING_(0, "decision", &decision, "STATE",
			       "records to write: include, exclude, maybe (included with a maybe vote), conflict, not-retrieved, undecided"),
		WN_OPT_STRING_('o', "output", &out_path, "FILE", "write the records to FILE (atomically)"),
		WN_OPT_FLAG_(0, "strict", &x.strict, "lines of RECORDS.jsonl that are not records are errors (exit 3)"),
		WN_OPT_STRING_(0, "ledger", &ledger_opt, "FILE", "append the ledger line (or WINNOW_LEDGER)"),
		WN_OPT_END_()
	};

	memset(&x, 0, sizeof(x));
	x.io = io;
	wn_err_clear(&err);
	wn_recindex_init(&ri);
	memset(&led, 0, sizeof(led));
	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP)
		return WN_EXIT_OK;
	if (n < 0)
		return WN_EXIT_USAGE;
	if (!stage_s || !decision || n < 2) {
		wn_error(io, "%s", !stage_s ? "--stage ta|ft is required" : !decision
				   ? "--decision is required (include, exclude, maybe, conflict, not-retrieved, undecided)"
				   : n == 0 ? "the records file and the decision logs are required"
				   : "give the decision logs after the records file");
		wn_print_usage_short(io, usage);
		return WN_EXIT_USAGE;
	}
	stage = wn_stage_parse(stage_s);
	if (stage == WN_STAGE_NONE) {
		wn_error(io, "--stage must be ta (title/abstract) or ft (full text), not '%s'", stage_s);
		return WN_EXIT_USAGE;
	}
	for (i = 0; sel_names[i] && strcmp(sel_names[i], decision) != 0; i++)
		;
	if (!sel_names[i] && strcmp(decision, "not_retrieved") != 0) {
		wn_error(io, "--decision must be include, exclude, maybe, conflict, not-retrieved or undecided, not '%s'",
			 decision);
		return WN_EXIT_USAGE;
	}
	sel = sel_names[i] ? (enum sel)i : SEL_NOT_RETRIEVED;
	if (sel == SEL_NOT_RETRIEVED && stage != WN_STAGE_FT) {
		wn_error(io, "--decision not-retrieved is for the full-text stage");
		return WN_EXIT_USAGE;
	}
	if (sel == SEL_MAYBE && stage != WN_STAGE_TA) {
		wn_error(io, "--decision maybe is for the title/abstract stage");
		return WN_EXIT_USAGE;
	}
	if (wn_ledger_begin(&led, wn_ledger_path(ledger_opt), "screen", io->prog, argc, given, &err) < 0)
		return wn_report(io, &err);
	led_open = 1;
	entry = wn_ledger_entry(&led);

	if (wn_recindex_load(&ri, argv[0], on_bad_record, &x, &err) < 0)
		goto report;
	if (x.bad && x.strict) {
		wn_err_set(&err, WN_EFORMAT, "%lu line%s of '%s' %s not records (--strict)", x.bad,
			   x.bad == 1 ? "" : "s", ri.name, x.bad == 1 ? "is" : "are");
		goto report;
	}
	v = wn_votes_new(stage, &err);
	if (!v || wn_votes_load(v, (const char *const *)argv + 1, (size_t)n - 1, on_torn, io, &err) < 0)
		goto report;
	if (wn_output_open(&out, out_path, io->out, &err) < 0)
		goto report;
	out_open = 1;
	reasons = json_object_new_object();
	if (!reasons) {
		wn_err_set(&err, WN_ENOMEM, "out of memory");
		goto report;
	}
	for (k = 0; k < ri.n; k++) {
		const char *id = wn_recindex_id(&ri, k), *line;
		long row = wn_votes_find(v, id, strlen(id));
		struct wn_record_state st;
		size_t len;

		if (row >= 0) {
			wn_votes_state(v, (size_t)row, &st);
		} else {
			memset(&st, 0, sizeof(st));
			st.reviewers = (int)wn_votes_reviewers(v);
		}
		count[st.state]++;
		maybe += st.state == WN_ST_INCLUDE && st.maybe;
		resolved += (unsigned long)st.resolved;
		conflict_reasons += st.conflict == WN_CONFLICT_REASONS;
		if (st.state == WN_ST_EXCLUDE &&
		    wn_ledger_add_count(reasons, st.reason ? st.reason : NO_REASON, 1, &err) < 0)
			goto report;
		if (!selected(sel, &st))
			continue;
		line = wn_recindex_line(&ri, k, &len);
		if (fwrite(line, 1, len, out.fp) != len || fputc('\n', out.fp) == EOF) {
			if (wn_output_check(out.fp, out_path ? out_path : "standard output", &err) == 0)
				wn_err_set(&err, WN_EIO, "cannot write the records");
			goto report;
		}
		written++;
	}
	/* decisions on records that are not here: a log of another review, or another set */
	rows = wn_votes_records(v);
	for (k = 0; k < rows; k++) {
		const char *id = wn_votes_record_id(v, k);
		if (wn_recindex_find(&ri, id, strlen(id)) >= 0)
			continue;
		if (unmatched < 5)
			wn_warning(io, "the logs decide '%s', which is not in '%s' (a log of another review or record set?)",
				   id, ri.name);
		unmatched++;
	}
	if (unmatched > 5)
		wn_warning(io, "... %lu decided records in all are not in '%s'; they are not counted", unmatched,
			   ri.name);
	if (out_open) {
		out_open = 0;
		if (wn_output_commit(&out, &err) < 0)
			goto report;
	}
	if (count[WN_ST_CONFLICT] || count[WN_ST_UNDECIDED])
		wn_note(io, "%s stage: %lu record%s in conflict (winnow-screen resolve settles them), %lu undecided",
			wn_stage_title(stage), count[WN_ST_CONFLICT], count[WN_ST_CONFLICT] == 1 ? "" : "s",
			count[WN_ST_UNDECIDED]);

	/* the ledger line PRISMA reads (docs/ledger.md, "screen") */
	{
		json_object *sc = wn_ledger_object(entry, "state_counts", &err), *pr;
		const char **names = wn_calloc(wn_votes_columns(v) + 1, sizeof(*names));
		size_t nn = 0;

		if (!sc || !names ||
		    wn_ledger_set_str(entry, "step", "export", &err) < 0 ||
		    wn_ledger_set_str(entry, "screen_stage", wn_stage_name(stage), &err) < 0 ||
		    wn_ledger_set_str(entry, "selected", sel_names[sel], &err) < 0 ||
		    wn_ledger_set_int(entry, "records_in", (int64_t)ri.n, &err) < 0 ||
		    wn_ledger_set_int(entry, "records_out", (int64_t)written, &err) < 0 ||
		    wn_ledger_set_int(sc, "include", (int64_t)count[WN_ST_INCLUDE], &err) < 0 ||
		    wn_ledger_set_int(sc, "exclude", (int64_t)count[WN_ST_EXCLUDE], &err) < 0 ||
		    wn_ledger_set_int(sc, "conflict", (int64_t)count[WN_ST_CONFLICT], &err) < 0 ||
		    wn_ledger_set_int(sc, "undecided", (int64_t)count[WN_ST_UNDECIDED], &err) < 0 ||
		    wn_ledger_set_int(entry, "not_retrieved", (int64_t)count[WN_ST_NOT_RETRIEVED], &err) < 0 ||
		    json_object_object_add(entry, "excluded_by_reason", json_object_get(reasons)) != 0 ||
		    wn_ledger_set_int(entry, "maybe", (int64_t)maybe, &err) < 0 ||
		    wn_ledger_set_int(entry, "resolved", (int64_t)resolved, &err) < 0 ||
		    wn_ledger_set_int(entry, "reason_conflicts", (int64_t)conflict_reasons, &err) < 0 ||
		    wn_ledger_set_int(entry, "unmatched_ids", (int64_t)unmatched, &err) < 0 ||
		    wn_ledger_set_int(entry, "skipped", (int64_t)x.bad, &err) < 0) {
			wn_free(names);
			if (err.code == WN_OK)
				wn_err_set(&err, WN_ENOMEM, "out of memory");
			goto report;
		}
		if (x.bad) {
			json_object *sr = wn_ledger_object(entry, "skip_reasons", &err);
			if (!sr || wn_ledger_add_count(sr, "not a record", (int64_t)x.bad, &err) < 0) {
				wn_free(names);
				goto report;
			}
		}
		for (k = 0; k < wn_votes_columns(v); k++) {
			if (wn_votes_column(v, k)->header.role == WN_ROLE_REVIEW)
				names[nn++] = wn_votes_column(v, k)->header.reviewer;
		}
		if (screen_ledger_strings(entry, "reviewers", names, nn, &err) < 0 ||
		    screen_ledger_strings(entry, "logs", (const char *const *)argv + 1, (size_t)n - 1, &err) < 0) {
			wn_free(names);
			goto report;
		}
		nn = 0;
		for (k = 0; k < wn_votes_columns(v); k++) {
			if (wn_votes_column(v, k)->header.role == WN_ROLE_RESOLUTION)
				names[nn++] = wn_votes_column(v, k)->header.reviewer;
		}
		if (screen_ledger_strings(entry, "resolvers", names, nn, &err) < 0) {
			wn_free(names);
			goto report;
		}
		wn_free(names);
		/* the PRISMA 2020 boxes this stage fills, spelled out */
		pr = wn_ledger_object(entry, "prisma", &err);
		if (!pr)
			goto report;
		if (stage == WN_STAGE_TA) {
			if (wn_ledger_set_int(pr, "records_screened", (int64_t)ri.n, &err) < 0 ||
			    wn_ledger_set_int(pr, "records_excluded", (int64_t)count[WN_ST_EXCLUDE], &err) < 0 ||
			    wn_ledger_set_int(pr, "reports_sought", (int64_t)count[WN_ST_INCLUDE], &err) < 0)
				goto report;
		} else if (wn_ledger_set_int(pr, "reports_sought", (int64_t)ri.n, &err) < 0 ||
			   wn_ledger_set_int(pr, "reports_not_retrieved", (int64_t)count[WN_ST_NOT_RETRIEVED], &err) < 0 ||
			   wn_ledger_set_int(pr, "reports_assessed", (int64_t)(ri.n - count[WN_ST_NOT_RETRIEVED]), &err) < 0 ||
			   wn_ledger_set_int(pr, "reports_excluded", (int64_t)count[WN_ST_EXCLUDE], &err) < 0 ||
			   wn_ledger_set_int(pr, "reports_included", (int64_t)count[WN_ST_INCLUDE], &err) < 0) {
			goto report;
		}
		if (json_object_object_add(pr, "complete", json_object_new_boolean(
				count[WN_ST_CONFLICT] == 0 && count[WN_ST_UNDECIDED] == 0)) != 0) {
			wn_err_set(&err, WN_ENOMEM, "out of memory");
			goto report;
		}
	}
	led_open = 0;
	if (wn_ledger_commit(&led, "ok", &err) < 0)
		goto report;
	goto out;
report:
	rc = wn_report(io, &err);
out:
	if (out_open)
		wn_output_abort(&out);
	if (led_open) {
		struct wn_err lerr;
		wn_err_clear(&lerr);
		if (wn_ledger_commit(&led, "failed", &lerr) < 0)
			wn_report(io, &lerr);
	}
	json_object_put(reasons);
	wn_votes_free(v);
	wn_recindex_release(&ri);
	return rc;
}

int cmd_screen_export(int argc, char **argv, struct wn_io *io)
{
	return wn_run_keeping_argv(export_main, argc, argv, io);
}

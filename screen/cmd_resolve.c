/*
 * cmd_resolve.c - winnow-screen resolve: settle the conflicts between reviewers.
 *
 *   winnow-screen resolve --reviewer NAME --log FILE [--records RECORDS.jsonl] LOG...
 *
 * A third reviewer (or the pair, together, under a name such as "alice+bob") sees each
 * conflict with every reviewer's vote, reason, labels and notes - blinding ends here -
 * and decides. Decisions go to a resolution log: the same format as a review log, its
 * header marked role=resolution (declog.h). A resolution then decides the record's state
 * for export, and marks which votes came before it for agree.
 *
 * Conflicts are computed from LOG... alone (review logs, and resolution logs of others,
 * whose settled records are not asked again); the resolver's own log is folded after
 * that, so a session resumes where the last one stopped. --answers takes a TSV as for
 * review, but only for records in conflict.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "winnow/alloc.h"
#include "winnow/answers.h"
#include "winnow/highlight.h"
#include "winnow/ledger.h"
#include "winnow/recindex.h"
#include "winnow/votes.h"
#include "prompt.h"
#include "screen.h"
#include "screen_util.h"

static const char *const usage[] = {
	"winnow-screen resolve --reviewer NAME --log FILE [--records RECORDS.jsonl] [options] LOG...",
	"winnow-screen resolve --reviewer NAME --log FILE --answers ANSWERS.tsv LOG...",
	NULL
};

struct resolve {
	struct wn_io *io;
	struct prompt_cfg cfg;
	struct wn_recindex ri;
	int have_ri, strict;
	const char *answers_path;
	unsigned char *is_item;  /* per votes row: a conflict to settle */
	size_t nrows_items;
	unsigned long bad, ans_new, ans_changed, ans_same;
	int entry_rc;            /* exit code a log callback asked for */
};

static void on_torn(const char *path, const struct wn_declog_scan *scan, void *data)
{
	screen_warn_torn(data, path, scan);
}

static int on_entry(const struct wn_declog_entry *e, void *data)
{
	struct resolve *r = data;
	struct wn_err err;

	wn_err_clear(&err);
	if (wn_votes_apply(r->cfg.votes, r->cfg.mycol, e, &err) < 0) {
		r->entry_rc = wn_report(r->io, &err);
		return 1;
	}
	return 0;
}

static void on_bad_record(const char *msg, void *data)
{
	struct resolve *r = data;

	wn_warning(r->io, "%s; skipped", msg);
}

struct pass {
	struct resolve *r;
	int write;
	struct wn_err *err;
};

static void bad_line(struct pass *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad_line(struct pass *ps, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->r->strict) {
		if (!ps->write) {
			ps->r->bad++;
			wn_error(ps->r->io, "%s", msg);
		}
		return;
	}
	if (ps->write) {
		ps->r->bad++;
		wn_warning(ps->r->io, "%s; line skipped", msg);
	}
}

static void on_bad_answer(const char *msg, unsigned long lineno, void *data)
{
	struct pass *ps = data;

	(void)lineno;
	if (ps->r->strict ? !ps->write : ps->write)
		bad_line(ps, "%s", msg);
}

static int on_answer(const struct wn_answer *a, void *data)
{
	struct pass *ps = data;
	struct resolve *r = ps->r;
	struct wn_declog_event ev;
	struct wn_record_state st;
	struct wn_vote v;
	long row = wn_votes_find(r->cfg.votes, a->id, a->id_len);

	if (row < 0 || (size_t)row >= r->nrows_items || !r->is_item[row]) {
		if (row >= 0)
			wn_votes_state(r->cfg.votes, (size_t)row, &st);
		bad_line(ps, "%s:%lu: record '%s' is not in conflict (%s)", r->answers_path, a->lineno,
			 a->id, row < 0 ? "no reviewer decided it" : wn_state_name(st.state));
		return 0;
	}
	if (a->decision == WN_ACT_MAYBE) {
		bad_line(ps, "%s:%lu: a resolution decides: include or exclude, not maybe", r->answers_path,
			 a->lineno);
		return 0;
	}
	if (!ps->write)
		return 0;
	if (wn_votes_get(r->cfg.votes, (size_t)row, (size_t)r->cfg.mycol, 0, &v) &&
	    v.decision == a->decision && wn_reason_eq(v.reason, a->reason)) {
		r->ans_same++;
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.record = wn_votes_record_id(r->cfg.votes, (size_t)row);
	ev.action = a->decision;
	ev.reason = a->reason;
	ev.note = a->note;
	if (prompt_record_event(&r->cfg, &ev, NULL, ps->err) < 0)
		return -1;
	if (v.decision != WN_ACT_NONE)
		r->ans_changed++;
	else
		r->ans_new++;
	return 0;
}

static int run_answers(struct resolve *r, struct wn_err *err)
{
	struct pass ps = { r, 0, err };

	if (r->strict) {
		if (wn_answers_read(r->answers_path, r->cfg.stage, on_answer, on_bad_answer, &ps, NULL, err) != 0)
			return -1;
		if (r->bad)
			return wn_err_set(err, WN_EFORMAT, "%lu bad line%s in '%s' (--strict): nothing was recorded",
					  r->bad, r->bad == 1 ? "" : "s", r->answers_path);
	}
	ps.write = 1;
	/* one sync for the whole file: the import is acknowledged only after it */
	wn_declog_set_batch(r->cfg.log, 1);
	if (wn_answers_read(r->answers_path, r->cfg.stage, on_answer, on_bad_answer, &ps, NULL, err) != 0)
		return -1;
	wn_declog_set_batch(r->cfg.log, 0);
	return wn_declog_sync(r->cfg.log, err);
}

struct order_item {
	long key;
	size_t row;
};

static int by_key(const void *a, const void *b)
{
	const struct order_item *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int resolve_main(int argc, char **argv, char **given, struct wn_io *io)
{
	struct resolve r;
	struct wn_err err;
	struct wn_declog_header want;
	struct wn_declog_scan scan;
	struct wn_hl hl;
	struct screen_reasons reasons;
	struct prompt_result pr;
	struct wn_votes *v = NULL;
	struct wn_declog *log = NULL;
	struct order_item *ord = NULL;
	size_t *items = NULL, nitems = 0, rows, k;
	const char **paths = NULL;
	size_t npaths = 0;
	const char *reviewer = NULL, *log_path = NULL, *records = NULL, *stage_s = NULL, *keys = NULL;
	const char *highlight = NULL, *reasons_path = NULL, *ledger_opt = NULL;
	int no_color = 0, no_clear = 0, n, rc = WN_EXIT_OK, ran = 0, i;
	struct wn_option opts[] = {
		WN_OPT_STRING_(0, "reviewer", &reviewer, "NAME", "who resolves (a third reviewer, or e.g. alice+bob)"),
		WN_OPT_STRING_(0, "log", &log_path, "FILE", "the resolution log (created if missing)"),
		WN_OPT_STRING_(0, "records", &records, "FILE", "the records, to show each conflict's title and abstract"),
		WN_OPT_STRING_(0, "stage", &stage_s, "ta|ft", "check that the logs are of this stage"),
		WN_OPT_STRING_(0, "answers", &r.answers_path, "FILE", "take resolutions from a TSV instead of the keyboard"),
		WN_OPT_GROUP_("Prompt"),
		WN_OPT_STRING_(0, "keys", &keys, "SPEC", "remap keys: include=y,exclude=n,..."),
		WN_OPT_STRING_(0, "highlight", &highlight, "FILE", "terms to highlight: +term inclusion, -term exclusion"),
		WN_OPT_STRING_(0, "reasons", &reasons_path, "FILE", "exclusion reasons to pick by number"),
		WN_OPT_STRING_(0, "criteria", &reasons_path, "FILE", "same as --reasons"),
		WN_OPT_FLAG_(0, "no-color", &no_color, "no colours (as NO_COLOR)"),
		WN_OPT_FLAG_(0, "no-clear", &no_clear, "do not clear the screen between records"),
		WN_OPT_GROUP_("Other"),
		WN_OPT_FLAG_(0, "strict", &r.strict, "bad answer lines are errors (exit 3); nothing is recorded"),
		WN_OPT_STRING_(0, "ledger", &ledger_opt, "FILE", "append a ledger line (or WINNOW_LEDGER)"),
		WN_OPT_END_()
	};

	memset(&r, 0, sizeof(r));
	r.io = io;
	wn_err_clear(&err);
	wn_hl_init(&hl);
	memset(&reasons, 0, sizeof(reasons));
	memset(&pr, 0, sizeof(pr));
	wn_recindex_init(&r.ri);
	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP)
		return WN_EXIT_OK;
	if (n < 0)
		return WN_EXIT_USAGE;
	if (!reviewer || !log_path || n < 1) {
		wn_error(io, "%s", !reviewer ? "--reviewer NAME is required" : !log_path
				   ? "--log FILE is required (the resolution log)" : "the reviewers' decision logs are required");
		wn_print_usage_short(io, usage);
		return WN_EXIT_USAGE;
	}
	if (wn_declog_check_name(reviewer, &err) < 0)
		return wn_report(io, &err);
	memset(&want, 0, sizeof(want));
	if (stage_s && (want.stage = wn_stage_parse(stage_s)) == WN_STAGE_NONE) {
		wn_error(io, "--stage must be ta (title/abstract) or ft (full text), not '%s'", stage_s);
		return WN_EXIT_USAGE;
	}
	want.role = WN_ROLE_RESOLUTION;
	memcpy(want.reviewer, reviewer, strlen(reviewer) + 1);
	wn_keymap_default(&r.cfg.keys);
	if (keys && wn_keymap_parse(&r.cfg.keys, keys, &err) < 0)
		return wn_report(io, &err);
	paths = wn_calloc((size_t)n, sizeof(*paths));
	if (!paths) {
		wn_err_set(&err, WN_ENOMEM, "out of memory");
		goto report;
	}
	for (i = 0; i < n; i++) {
		if (same_file(argv[i], log_path))
			continue; /* the log being written: it is read as that, below */
		paths[npaths++] = argv[i];
	}
	if (highlight && wn_hl_load(&hl, highlight, &err) < 0)
		goto report;
	if (reasons_path && screen_reasons_load(&reasons, reasons_path, &err) < 0)
		goto report;
	if (records) {
		if (wn_recindex_load(&r.ri, records, on_bad_record, &r, &err) < 0)
			goto report;
		r.have_ri = 1;
	}

	/* the resolver's column first (columns come before events), then the others' logs */
	if (!want.stage) {
		struct wn_declog_header h;
		if (npaths == 0 || wn_declog_read_header(paths[0], &h, &err) < 0) {
			if (npaths == 0)
				wn_err_set(&err, WN_EUSAGE, "no reviewers' logs to resolve");
			goto report;
		}
		want.stage = h.stage;
	}
	v = wn_votes_new(want.stage, &err);
	if (!v || wn_votes_add_column(v, &want, log_path, &err) < 0 ||
	    wn_votes_load(v, paths, npaths, on_torn, io, &err) < 0)
		goto report;
	if (wn_votes_reviewers(v) < 1) {
		wn_err_set(&err, WN_EUSAGE, "no review logs among the logs given: nothing to resolve");
		goto report;
	}
	/* the conflicts, as the other logs leave them */
	rows = wn_votes_records(v);
	r.is_item = wn_calloc(rows + 1, 1);
	ord = wn_calloc(rows + 1, sizeof(*ord));
	if (!r.is_item || !ord) {
		wn_err_set(&err, WN_ENOMEM, "out of memory");
		goto report;
	}
	r.nrows_items = rows;
	for (k = 0; k < rows; k++) {
		struct wn_record_state st;
		wn_votes_state(v, k, &st);
		if (st.state != WN_ST_CONFLICT)
			continue;
		r.is_item[k] = 1;
		ord[nitems].row = k;
		/* in the records' order when they are given, else the logs' */
		if (r.have_ri) {
			const char *id = wn_votes_record_id(v, k);
			long pos = wn_recindex_find(&r.ri, id, strlen(id));
			ord[nitems].key = pos >= 0 ? pos : (long)(r.ri.n + k);
		} else {
			ord[nitems].key = (long)k;
		}
		nitems++;
	}
	qsort(ord, nitems, sizeof(*ord), by_key);
	items = wn_calloc(nitems + 1, sizeof(*items));
	if (!items) {
		wn_err_set(&err, WN_ENOMEM, "out of memory");
		goto report;
	}
	for (k = 0; k < nitems; k++)
		items[k] = ord[k].row;

	r.cfg.votes = v;
	r.cfg.mycol = 0;
	log = wn_declog_open(log_path, &want, on_entry, &r, &scan, &err);
	if (!log) {
		if (err.code != WN_OK)
			goto report;
		rc = r.entry_rc ? r.entry_rc : WN_EXIT_FAILURE; /* the callback reported it */
		goto out;
	}
	screen_warn_torn(io, log_path, &scan);
	r.cfg.io = io;
	r.cfg.mode = PROMPT_RESOLVE;
	r.cfg.stage = want.stage;
	r.cfg.reviewer = reviewer;
	r.cfg.ri = r.have_ri ? &r.ri : NULL;
	r.cfg.log = log;
	r.cfg.items = items;
	r.cfg.nitems = nitems;
	r.cfg.hl = &hl;
	r.cfg.reasons = (const char *const *)reasons.items;
	r.cfg.nreasons = reasons.n;
	r.cfg.color_ok = !no_color;
	r.cfg.clear = !no_clear;
	ran = 1;
	if (r.answers_path) {
		if (run_answers(&r, &err) < 0)
			goto report;
		pr.decisions = r.ans_new + r.ans_changed;
		pr.changes = r.ans_changed;
	} else if (nitems == 0) {
		wn_note(io, "no conflicts to resolve at the %s stage", wn_stage_title(want.stage));
	} else if (prompt_run(&r.cfg, &pr, &err) < 0) {
		goto report;
	}
	pr.remaining = 0;
	for (k = 0; k < nitems; k++) {
		struct wn_vote x;
		if (!wn_votes_get(v, items[k], 0, 0, &x))
			pr.remaining++;
	}
	wn_note(io, "%s: %lu resolution%s saved to '%s'; %lu of %zu conflicts still open", reviewer,
		pr.decisions, pr.decisions == 1 ? "" : "s", log_path, pr.remaining, nitems);
	goto out;
report:
	rc = wn_report(io, &err);
out:
	if (ran) {
		struct wn_ledger l;
		struct wn_err lerr;
		const char *lp = wn_ledger_path(ledger_opt);
		json_object *e;

		wn_err_clear(&lerr);
		if (lp && wn_ledger_begin(&l, lp, "screen", io->prog, argc, given, &lerr) == 0) {
			e = wn_ledger_entry(&l);
			if (wn_ledger_set_str(e, "step", "resolve", &lerr) < 0 ||
			    wn_ledger_set_str(e, "screen_stage", wn_stage_name(want.stage), &lerr) < 0 ||
			    wn_ledger_set_str(e, "reviewer", reviewer, &lerr) < 0 ||
			    wn_ledger_set_str(e, "log", log_path, &lerr) < 0 ||
			    screen_ledger_strings(e, "logs", paths, npaths, &lerr) < 0 ||
			    wn_ledger_set_str(e, "mode", r.answers_path ? "answers" : "prompt", &lerr) < 0 ||
			    wn_ledger_set_int(e, "conflicts", (int64_t)nitems, &lerr) < 0 ||
			    wn_ledger_set_int(e, "decisions", (int64_t)pr.decisions, &lerr) < 0 ||
			    wn_ledger_set_int(e, "changed", (int64_t)pr.changes, &lerr) < 0 ||
			    wn_ledger_set_int(e, "remaining", (int64_t)pr.remaining, &lerr) < 0 ||
			    wn_ledger_set_int(e, "skipped", (int64_t)r.bad, &lerr) < 0) {
				wn_ledger_release(&l);
			} else if (wn_ledger_commit(&l, rc == WN_EXIT_OK ? "ok" : "failed", &lerr) < 0) {
				/* reported below */
			}
		}
		if (lerr.code != WN_OK) {
			wn_report(io, &lerr);
			if (rc == WN_EXIT_OK)
				rc = WN_EXIT_FAILURE;
		}
	}
	if (log && wn_declog_close(log, &err) < 0 && rc == WN_EXIT_OK)
		rc = wn_report(io, &err);
	wn_free(paths);
	wn_free(items);
	wn_free(ord);
	wn_free(r.is_item);
	wn_votes_free(v);
	wn_recindex_release(&r.ri);
	wn_hl_release(&hl);
	screen_reasons_release(&reasons);
	return rc;
}

int cmd_screen_resolve(int argc, char **argv, struct wn_io *io)
{
	return wn_run_keeping_argv(resolve_main, argc, argv, io);
}

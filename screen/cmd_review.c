/*
 * cmd_review.c - winnow-screen review: one reviewer screens records, one log.
 *
 *   winnow-screen review --reviewer NAME --stage ta|ft --log FILE [options] RECORDS.jsonl
 *
 * Decisions come from the keyboard (the prompt on /dev/tty, prompt.h) or from an answers
 * TSV (--answers, answers.h); either way each one is appended to the reviewer's own
 * decision log and synced before it counts (declog.h). The log is opened first and
 * locked for the whole session; its header alone decides whether it is this reviewer's
 * log, so another reviewer's decisions are never read (blinding).
 *
 * Resume is automatic: the log is folded at start and records this reviewer already
 * decided are not asked again. The session's records are the whole file, or a pilot
 * sample (--sample N --seed S: the same for every reviewer who uses the same seed), in
 * file order or a reproducible random order (--order random --seed N).
 */
#include <stdlib.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/answers.h"
#include "winnow/declog.h"
#include "winnow/highlight.h"
#include "winnow/keymap.h"
#include "winnow/ledger.h"
#include "winnow/recindex.h"
#include "winnow/votes.h"
#include "prompt.h"
#include "screen.h"
#include "screen_util.h"

static const char *const usage[] = {
	"winnow-screen review --reviewer NAME --stage ta|ft --log FILE [options] RECORDS.jsonl",
	"winnow-screen review --reviewer NAME --stage ta|ft --log FILE --answers ANSWERS.tsv RECORDS.jsonl",
	NULL
};

struct review {
	struct wn_io *io;
	struct prompt_cfg cfg;
	struct wn_recindex ri;
	struct wn_votes *votes;
	struct wn_declog *log;
	int strict;
	const char *answers_path;
	const char *log_path;
	unsigned long bad_records, bad_answers;
	unsigned long ans_new, ans_changed, ans_same;
	json_object *skip_reasons;    /* for the ledger */
	int entry_rc;                 /* exit code a log callback asked for */
	int oom;                      /* a count for the ledger could not be kept */
};

static void on_bad_record(const char *msg, void *data)
{
	struct review *r = data;

	r->bad_records++;
	if (!r->strict)
		wn_warning(r->io, "%s; skipped", msg);
}

static int on_entry(const struct wn_declog_entry *e, void *data)
{
	struct review *r = data;
	struct wn_err err;

	wn_err_clear(&err);
	if (wn_votes_apply(r->votes, 0, e, &err) < 0) {
		r->entry_rc = wn_report(r->io, &err);
		return 1;
	}
	return 0;
}

/* ---- answers ---- */

static void count_skip(struct review *r, const char *why)
{
	if (!r->skip_reasons || wn_ledger_add_count(r->skip_reasons, why, 1, NULL) < 0)
		r->oom = 1;
}

struct answers_pass {
	struct review *r;
	int write;       /* 0: check only (the --strict pre-pass) */
	struct wn_err *err;
};

static void on_bad_answer(const char *msg, unsigned long lineno, void *data)
{
	struct answers_pass *ap = data;
	struct review *r = ap->r;

	(void)lineno;
	if (r->strict) {
		if (!ap->write) {
			r->bad_answers++;
			wn_error(r->io, "%s", msg);
		}
		return;
	}
	r->bad_answers++;
	count_skip(r, "bad answer line");
	wn_warning(r->io, "%s; line skipped", msg);
}

static int on_answer(const struct wn_answer *a, void *data)
{
	struct answers_pass *ap = data;
	struct review *r = ap->r;
	struct wn_declog_event ev;
	struct wn_vote v;
	long row;

	if (wn_recindex_find(&r->ri, a->id, a->id_len) < 0) {
		if (r->strict && !ap->write) {
			r->bad_answers++;
			wn_error(r->io, "%s:%lu: unknown record id '%s' (it is not in %s)", r->answers_path,
				 a->lineno, a->id, r->ri.name);
		} else if (ap->write) {
			r->bad_answers++;
			count_skip(r, "unknown record id");
			wn_warning(r->io, "%s:%lu: unknown record id '%s' (it is not in %s); line skipped",
				   r->answers_path, a->lineno, a->id, r->ri.name);
		}
		return 0;
	}
	if (!ap->write)
		return 0;
	row = wn_votes_intern(r->votes, a->id, a->id_len, ap->err);
	if (row < 0)
		return -1;
	if (wn_votes_get(r->votes, (size_t)row, 0, 0, &v) && v.decision == a->decision &&
	    wn_reason_eq(v.reason, a->reason)) {
		r->ans_same++; /* running the same answers again changes nothing */
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.record = wn_votes_record_id(r->votes, (size_t)row);
	ev.action = a->decision;
	ev.reason = a->reason;
	ev.note = a->note;
	if (prompt_record_event(&r->cfg, &ev, NULL, ap->err) < 0)
		return -1;
	if (v.decision != WN_ACT_NONE)
		r->ans_changed++;
	else
		r->ans_new++;
	return 0;
}

static int run_answers(struct review *r, struct wn_err *err)
{
	struct answers_pass ap = { r, 0, err };
	struct wn_answers_stats st;

	if (r->strict) {
		/* all or nothing: check every line before writing any */
		if (wn_answers_read(r->answers_path, r->cfg.stage, on_answer, on_bad_answer, &ap, &st, err) != 0)
			return -1;
		if (r->bad_answers) {
			wn_err_set(err, WN_EFORMAT, "%lu bad line%s in '%s' (--strict): nothing was recorded",
				   r->bad_answers, r->bad_answers == 1 ? "" : "s", r->answers_path);
			return -1;
		}
	}
	ap.write = 1;
	/* one sync for the whole file: the import is acknowledged only after it */
	wn_declog_set_batch(r->cfg.log, 1);
	if (wn_answers_read(r->answers_path, r->cfg.stage, on_answer, on_bad_answer, &ap, &st, err) != 0)
		return -1;
	wn_declog_set_batch(r->cfg.log, 0);
	return wn_declog_sync(r->cfg.log, err);
}

/* ---- the session's records ---- */

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Record indexes of the session: a sample and/or an order. */
static size_t *session_order(const struct wn_recindex *ri, long sample, int random, long seed,
			     size_t *n_out, struct wn_err *err)
{
	size_t *idx = wn_reallocarray(NULL, ri->n + 1, sizeof(*idx)), n = ri->n, i;
	uint64_t st, sample_seed, order_seed;

	if (!idx) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	/* two independent streams from one seed: the sample does not depend on the order */
	st = (uint64_t)seed;
	sample_seed = wn_splitmix64(&st);
	order_seed = wn_splitmix64(&st);
	if (sample > 0 && (size_t)sample < n) {
		wn_shuffle(idx, n, sample_seed);
		n = (size_t)sample;
		qsort(idx, n, sizeof(*idx), cmp_size);
	}
	if (random)
		wn_shuffle(idx, n, order_seed);
	*n_out = n;
	return idx;
}

static int write_ledger(struct review *r, int argc, char **argv, const char *ledger_path,
			const struct prompt_result *pr, size_t nitems, const char *status,
			struct wn_err *err)
{
	struct wn_ledger l;
	json_object *e;

	if (!ledger_path)
		return 0;
	if (wn_ledger_begin(&l, ledger_path, "screen", r->io->prog, argc, argv, err) < 0)
		return -1;
	e = wn_ledger_entry(&l);
	if (wn_ledger_set_str(e, "step", "review", err) < 0 ||
	    wn_ledger_set_str(e, "screen_stage", wn_stage_name(r->cfg.stage), err) < 0 ||
	    wn_ledger_set_str(e, "reviewer", r->cfg.reviewer, err) < 0 ||
	    wn_ledger_set_str(e, "log", r->log_path, err) < 0)
		goto fail;
	if (wn_ledger_set_str(e, "mode", r->answers_path ? "answers" : "prompt", err) < 0 ||
	    wn_ledger_set_int(e, "records", (int64_t)nitems, err) < 0 ||
	    wn_ledger_set_int(e, "decisions", (int64_t)pr->decisions, err) < 0 ||
	    wn_ledger_set_int(e, "changed", (int64_t)pr->changes, err) < 0 ||
	    wn_ledger_set_int(e, "undos", (int64_t)pr->undos, err) < 0 ||
	    wn_ledger_set_int(e, "notes", (int64_t)pr->notes, err) < 0 ||
	    wn_ledger_set_int(e, "labels", (int64_t)pr->labels, err) < 0 ||
	    wn_ledger_set_int(e, "remaining", (int64_t)pr->remaining, err) < 0 ||
	    wn_ledger_set_int(e, "skipped", (int64_t)(r->bad_records + r->bad_answers), err) < 0)
		goto fail;
	if (r->oom || !r->skip_reasons) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto fail;
	}
	if (r->skip_reasons) {
		json_object_get(r->skip_reasons);
		if (json_object_object_add(e, "skip_reasons", r->skip_reasons) != 0) {
			json_object_put(r->skip_reasons);
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto fail;
		}
	}
	return wn_ledger_commit(&l, status, err);
fail:
	wn_ledger_release(&l);
	return -1;
}

static int review_main(int argc, char **argv, char **given, struct wn_io *io)
{
	struct review r;
	struct wn_err err;
	struct wn_declog_header want;
	struct wn_declog_scan scan;
	struct wn_hl hl;
	struct screen_reasons reasons;
	struct prompt_result pr;
	const char *reviewer = NULL, *stage_s = NULL, *keys = NULL, *order = "file";
	const char *highlight = NULL, *reasons_path = NULL, *ledger_opt = NULL;
	long seed = 1, sample = 0;
	int no_color = 0, no_clear = 0, n, rc = WN_EXIT_OK, ran = 0;
	size_t *idx = NULL, *items = NULL, nitems = 0, i;
	struct wn_option opts[] = {
		WN_OPT_STRING_(0, "reviewer", &reviewer, "NAME", "who is screening (names the log's owner)"),
		WN_OPT_STRING_(0, "stage", &stage_s, "ta|ft", "title/abstract or full-text screening"),
		WN_OPT_STRING_(0, "log", &r.log_path, "FILE", "this reviewer's decision log (created if missing)"),
		WN_OPT_STRING_(0, "answers", &r.answers_path, "FILE",
			       "take decisions from a TSV (record_id, decision, reason) instead of the keyboard"),
		WN_OPT_GROUP_("Prompt"),
		WN_OPT_STRING_(0, "keys", &keys, "SPEC", "remap keys: include=y,exclude=n,... (see the man page)"),
		WN_OPT_STRING_(0, "highlight", &highlight, "FILE", "terms to highlight: +term inclusion, -term exclusion"),
		WN_OPT_STRING_(0, "reasons", &reasons_path, "FILE",
			       "exclusion reasons to pick by number (one a line, or a filter criteria file)"),
		WN_OPT_STRING_(0, "criteria", &reasons_path, "FILE", "same as --reasons"),
		WN_OPT_FLAG_(0, "no-color", &no_color, "no colours (as NO_COLOR): [+inclusion+] [-exclusion-] markers"),
		WN_OPT_FLAG_(0, "no-clear", &no_clear, "do not clear the screen between records"),
		WN_OPT_GROUP_("Which records, in which order"),
		WN_OPT_STRING_(0, "order", &order, "file|random", "file order (default) or a reproducible random order"),
		WN_OPT_INT_(0, "seed", &seed, "N", "seed for --order random and --sample (default 1)"),
		WN_OPT_INT_(0, "sample", &sample, "N", "screen a pilot sample of N records (same seed, same sample)"),
		WN_OPT_GROUP_("Other"),
		WN_OPT_FLAG_(0, "strict", &r.strict, "bad record or answer lines are errors (exit 3); nothing is recorded"),
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
	if (!reviewer || !stage_s || !r.log_path || n != 1) {
		wn_error(io, "%s", !reviewer ? "--reviewer NAME is required" : !stage_s ? "--stage ta|ft is required"
				   : !r.log_path ? "--log FILE is required (this reviewer's decision log)"
				   : n == 0 ? "the records file (RECORDS.jsonl) is required" : "give one records file");
		wn_print_usage_short(io, usage);
		return WN_EXIT_USAGE;
	}
	memset(&want, 0, sizeof(want));
	want.stage = wn_stage_parse(stage_s);
	if (want.stage == WN_STAGE_NONE) {
		wn_error(io, "--stage must be ta (title/abstract) or ft (full text), not '%s'", stage_s);
		return WN_EXIT_USAGE;
	}
	if (wn_declog_check_name(reviewer, &err) < 0)
		return wn_report(io, &err);
	if (strcmp(order, "file") != 0 && strcmp(order, "random") != 0) {
		wn_error(io, "--order must be file or random, not '%s'", order);
		return WN_EXIT_USAGE;
	}
	if (sample < 0 || seed < 0) {
		wn_error(io, "--%s must not be negative", sample < 0 ? "sample" : "seed");
		return WN_EXIT_USAGE;
	}
	want.role = WN_ROLE_REVIEW;
	memcpy(want.reviewer, reviewer, strlen(reviewer) + 1);
	wn_keymap_default(&r.cfg.keys);
	if (keys && wn_keymap_parse(&r.cfg.keys, keys, &err) < 0)
		return wn_report(io, &err);
	r.skip_reasons = json_object_new_object();
	if (highlight && wn_hl_load(&hl, highlight, &err) < 0)
		goto report;
	if (reasons_path && screen_reasons_load(&reasons, reasons_path, &err) < 0)
		goto report;

	/* the records: bad lines are reported and skipped (or fatal under --strict) */
	if (wn_recindex_load(&r.ri, argv[0], on_bad_record, &r, &err) < 0)
		goto report;
	if (r.bad_records) {
		if (!r.skip_reasons ||
		    wn_ledger_add_count(r.skip_reasons, "bad record line", (int64_t)r.bad_records, NULL) < 0)
			r.oom = 1;
		if (r.strict) {
			wn_err_set(&err, WN_EFORMAT, "%lu line%s of '%s' %s not records (--strict)", r.bad_records,
				   r.bad_records == 1 ? "" : "s", r.ri.name, r.bad_records == 1 ? "is" : "are");
			goto report;
		}
	}
	if (r.ri.n == 0) {
		wn_error(io, "'%s' holds no records to screen", r.ri.name);
		rc = WN_EXIT_DATA;
		goto out;
	}

	/* the log: ours alone (header checked before anything else is read), folded */
	r.votes = wn_votes_new(want.stage, &err);
	if (!r.votes || wn_votes_add_column(r.votes, &want, r.log_path, &err) < 0)
		goto report;
	r.log = wn_declog_open(r.log_path, &want, on_entry, &r, &scan, &err);
	if (!r.log) {
		if (err.code != WN_OK)
			goto report;
		rc = r.entry_rc ? r.entry_rc : WN_EXIT_FAILURE; /* the callback reported it */
		goto out;
	}
	screen_warn_torn(io, r.log_path, &scan);
	if (scan.remote_fs)
		wn_warning(io, "decision log '%s' is on a network file system, where locks and appends are unreliable: keep it on a local disk",
			   r.log_path);

	idx = session_order(&r.ri, sample, strcmp(order, "random") == 0, seed, &nitems, &err);
	items = idx ? wn_reallocarray(NULL, nitems + 1, sizeof(*items)) : NULL;
	if (!items) {
		if (idx)
			wn_err_set(&err, WN_ENOMEM, "out of memory");
		goto report;
	}
	for (i = 0; i < nitems; i++) {
		const char *id = wn_recindex_id(&r.ri, idx[i]);
		long row = wn_votes_intern(r.votes, id, strlen(id), &err);
		if (row < 0)
			goto report;
		items[i] = (size_t)row;
	}
	r.cfg.io = io;
	r.cfg.mode = PROMPT_REVIEW;
	r.cfg.stage = want.stage;
	r.cfg.reviewer = reviewer;
	r.cfg.ri = &r.ri;
	r.cfg.votes = r.votes;
	r.cfg.mycol = 0;
	r.cfg.log = r.log;
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
		for (i = 0; i < nitems; i++) {
			struct wn_vote v;
			if (!wn_votes_get(r.votes, items[i], 0, 0, &v))
				pr.remaining++;
		}
		wn_note(io, "%s: %lu decision%s recorded from '%s' (%lu changed an earlier one, %lu already recorded)",
			reviewer, pr.decisions, pr.decisions == 1 ? "" : "s", r.answers_path, r.ans_changed,
			r.ans_same);
		if (r.bad_answers)
			wn_warning(io, "%lu line%s of '%s' could not be used (see above)", r.bad_answers,
				   r.bad_answers == 1 ? "" : "s", r.answers_path);
	} else {
		if (prompt_run(&r.cfg, &pr, &err) < 0)
			goto report;
		wn_note(io, "%s: %lu decision%s saved to '%s' this session; %lu of %zu records still to screen",
			reviewer, pr.decisions, pr.decisions == 1 ? "" : "s", r.log_path, pr.remaining, nitems);
	}
	goto out;
report:
	rc = wn_report(io, &err);
out:
	if (ran || rc != WN_EXIT_OK) {
		const char *lp = wn_ledger_path(ledger_opt);
		struct wn_err lerr;
		wn_err_clear(&lerr);
		if (r.log && write_ledger(&r, argc, given, lp, &pr, nitems, rc == WN_EXIT_OK ? "ok" : "failed",
					  &lerr) < 0) {
			wn_report(io, &lerr);
			if (rc == WN_EXIT_OK)
				rc = WN_EXIT_FAILURE;
		}
	}
	if (r.log && wn_declog_close(r.log, &err) < 0 && rc == WN_EXIT_OK)
		rc = wn_report(io, &err);
	wn_free(idx);
	wn_free(items);
	wn_votes_free(r.votes);
	wn_recindex_release(&r.ri);
	wn_hl_release(&hl);
	screen_reasons_release(&reasons);
	json_object_put(r.skip_reasons);
	return rc;
}

int cmd_screen_review(int argc, char **argv, struct wn_io *io)
{
	return wn_run_keeping_argv(review_main, argc, argv, io);
}

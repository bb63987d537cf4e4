/*
 * cmd_prisma.c - winnow-prisma: the PRISMA 2020 flow from the ledger, checked; as a text
 * table, JSON, the PRISMA2020 package's CSV template, and an SVG diagram.
 *
 * The library computes and checks (lib/prisma); this file reads the options, prints the
 * messages the library collected (notes, warnings, errors with their detail lines), and
 * writes the outputs. Numbers that do not add up are not written to --csv, --svg or
 * --json (they would end up in a paper): the errors say why, the text table still shows
 * the numbers for diagnosis, and --force writes them anyway, marked as failing.
 */
#include <string.h>
#include "prisma_cmd.h"
#include "winnow/buf.h"
#include "winnow/ledger.h"
#include "winnow/output.h"
#include "winnow/prisma.h"
#include "winnow/prisma_log.h"
#include "winnow/prisma_report.h"
#include "winnow/prisma_svg.h"
#include "winnow/utf8.h"

static const char *const usage[] = {
	"winnow-prisma [--ledger FILE]... [options] [LOG...]",
	"winnow-prisma --ledger FILE --json",
	"winnow-prisma --ledger FILE --csv PRISMA.csv --svg PRISMA.svg",
	NULL
};

/* Print one collected message: its first line as note/warning/error, the rest as
 * indented detail lines (sanitised: record text and file names end up here). */
static void print_msg(struct wn_io *io, const struct wn_prisma_msg *m, int quiet)
{
	const char *nl = strchr(m->text, '\n');
	int len = nl ? (int)(nl - m->text) : (int)strlen(m->text);

	if (m->level == WN_PRISMA_NOTE && quiet)
		return;
	if (m->level == WN_PRISMA_ERROR)
		wn_error(io, "%.*s", len, m->text);
	else if (m->level == WN_PRISMA_WARNING)
		wn_warning(io, "%.*s", len, m->text);
	else
		wn_note(io, "%.*s", len, m->text);
	while (nl) {
		const char *line = nl + 1, *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		struct wn_buf clean;
		wn_buf_init(&clean, 0);
		if (wn_utf8_sanitize(&clean, line, n, 0, NULL) >= 0)
			fprintf(io->err, "%s%s\n", strncmp(clean.data, "  ", 2) == 0 ? "" : "  ", clean.data);
		wn_buf_release(&clean);
		nl = end;
	}
}

typedef int (*writer_fn)(FILE *, const char *, const struct wn_prisma *, struct wn_err *);

static int write_file(struct wn_io *io, const char *path, writer_fn fn, const struct wn_prisma *p)
{
	struct wn_output out;
	struct wn_err err;

	if (wn_output_open(&out, path, io->out, &err) < 0)
		return wn_report(io, &err);
	if (fn(out.fp, out.path ? out.path : "standard output", p, &err) < 0 ||
	    wn_output_commit(&out, &err) < 0) {
		wn_output_abort(&out);
		return wn_report(io, &err);
	}
	return WN_EXIT_OK;
}

static int record_run(struct wn_io *io, const char *ledger, int argc, char **argv,
		      const struct wn_prisma *p, const char *csv, const char *svg)
{
	struct wn_ledger led;
	struct wn_err err;
	json_object *e, *counts, *runs;

	if (wn_ledger_begin(&led, ledger, "prisma", "winnow-prisma", argc, argv, &err) < 0)
		return wn_report(io, &err);
	e = wn_ledger_entry(&led);
	counts = wn_prisma_json(p, &err);
	runs = counts ? wn_prisma_runs_used(p) : NULL;
	if (!counts || !runs) {
		json_object_put(counts);
		wn_ledger_release(&led);
		wn_err_set(&err, WN_ENOMEM, "out of memory");
		return wn_report(io, &err);
	}
	/* the counts only: the facts behind them are in the runs the ledger already holds */
	json_object_object_del(counts, "identification");
	json_object_object_del(counts, "screening");
	json_object_object_del(counts, "included");
	/* a failed add would leave the member out of the entry: never commit that */
	if (json_object_object_add(e, "counts", counts) != 0) {
		json_object_put(counts);
		counts = NULL;
	}
	if (!counts || json_object_object_add(e, "runs", runs) != 0) {
		json_object_put(runs);
		wn_ledger_release(&led);
		wn_err_set(&err, WN_ENOMEM, "out of memory");
		return wn_report(io, &err);
	}
	if (wn_ledger_set_int(e, "checks", (int64_t)p->nchecks, &err) < 0 ||
	    wn_ledger_set_int(e, "errors", (int64_t)p->nerrors, &err) < 0 ||
	    (csv && wn_ledger_set_str(e, "csv", csv, &err) < 0) ||
	    (svg && wn_ledger_set_str(e, "svg", svg, &err) < 0)) {
		wn_ledger_release(&led);
		return wn_report(io, &err);
	}
	if (wn_ledger_commit(&led, p->nerrors ? "failed" : "ok", &err) < 0)
		return wn_report(io, &err);
	return WN_EXIT_OK;
}

/* argv as given (option parsing reorders argv in place): for the ledger */
static int prisma_main(int argc, char **argv, char **given, struct wn_io *io)
{
	struct wn_strlist ledgers = { 0 };
	const char *csv = NULL, *svg = NULL, *studies = NULL;
	int json = 0, quiet = 0, force = 0, version = 0, append = 0, n, i, rc = WN_EXIT_OK;
	long prev_s = -1, prev_r = -1;
	struct wn_option opts[] = {
		WN_OPT_GROUP_("Input"),
		WN_OPT_LIST_(0, "ledger", &ledgers, "FILE", "a ledger the stages wrote (repeatable; default: $WINNOW_LEDGER)"),
		WN_OPT_INT_(0, "previous-studies", &prev_s, "N", "updated review: studies included in the previous version"),
		WN_OPT_INT_(0, "previous-reports", &prev_r, "N", "updated review: reports of those studies"),
		WN_OPT_STRING_(0, "studies", &studies, "FILE", "reports of one study: TSV \"report id<TAB>study\" (needs the full-text logs)"),
		WN_OPT_GROUP_("      LOG...              decision logs the exports read (each stage recounted from them)"),
		WN_OPT_GROUP_("Output (stdout: the text table, or --json)"),
		WN_OPT_FLAG_(0, "json", &json, "print the counts as JSON (the PRISMA2020 template's keys)"),
		WN_OPT_STRING_(0, "csv", &csv, "FILE", "write the PRISMA2020 package's CSV template, filled in"),
		WN_OPT_STRING_(0, "svg", &svg, "FILE", "write the flow diagram as SVG"),
		WN_OPT_FLAG_(0, "force", &force, "write --csv/--svg/--json even when the counts do not add up"),
		WN_OPT_FLAG_(0, "append-ledger", &append, "append this run (counts, runs used) to the first ledger"),
		WN_OPT_FLAG_('q', "quiet", &quiet, "no notes, only warnings and errors"),
		WN_OPT_FLAG_(0, "version", &version, "print version information and exit"),
		WN_OPT_END_()
	};
	struct wn_prisma p;
	struct wn_prisma_opts po;
	struct wn_err err;
	const char *env;
	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP) {
		wn_strlist_release(&ledgers);
		return WN_EXIT_OK;
	}
	if (n < 0) {
		wn_strlist_release(&ledgers);
		return WN_EXIT_USAGE;
	}
	if (version) {
		wn_strlist_release(&ledgers);
		wn_print_version(io, NULL);
		return WN_EXIT_OK;
	}
	if (prev_s < -1 || prev_r < -1 || (prev_r >= 0 && prev_s < 0)) {
		wn_error(io, prev_r >= 0 && prev_s < 0 ?
			 "--previous-reports needs --previous-studies (the studies those reports belong to)" :
			 "--previous-studies and --previous-reports take a count (0 or more)");
		wn_strlist_release(&ledgers);
		return WN_EXIT_USAGE;
	}
	env = wn_ledger_path(NULL);
	if (ledgers.n == 0 && env && wn_strlist_add(&ledgers, env, &err) < 0) {
		wn_strlist_release(&ledgers);
		return wn_report(io, &err);
	}
	if (ledgers.n == 0) {
		wn_error(io, "no ledger: give the file the stages wrote with --ledger FILE (or set WINNOW_LEDGER)");
		wn_print_usage_short(io, usage);
		wn_strlist_release(&ledgers);
		return WN_EXIT_USAGE;
	}

	wn_prisma_init(&p);
	for (i = 0; i < (int)ledgers.n; i++) {
		if (wn_prisma_add_ledger(&p, ledgers.items[i], &err) < 0) {
			rc = wn_report(io, &err);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		if (wn_prisma_add_log(&p, argv[i], &err) < 0) {
			rc = wn_report(io, &err);
			goto out;
		}
	}
	if (p.nerrors) {
		/* a ledger that cannot be read as one: counting what is left would mislead */
		for (i = 0; i < (int)p.nmsgs; i++)
			print_msg(io, &p.msgs[i], quiet);
		rc = WN_EXIT_DATA;
		goto out;
	}
	po.previous_studies = prev_s;
	po.previous_reports = prev_r;
	po.studies = studies;
	if (wn_prisma_compute(&p, &po, &err) < 0) {
		rc = wn_report(io, &err);
		goto out;
	}
	for (i = 0; i < (int)p.nmsgs; i++)
		print_msg(io, &p.msgs[i], quiet);

	if (p.nerrors && !force) {
		if (json || csv || svg)
			wn_error(io, "%s not written: the counts do not add up (--force writes them anyway, marked as failing)",
				 json && !csv && !svg ? "the JSON is" : "the outputs are");
		if (!json) {
			struct wn_err e2;
			if (wn_prisma_write_text(io->out, "standard output", &p, &e2) < 0) {
				rc = wn_report(io, &e2);
				goto out;
			}
		}
		rc = WN_EXIT_DATA;
		goto out;
	}
	if (csv && (rc = write_file(io, csv, wn_prisma_write_csv, &p)) != WN_EXIT_OK)
		goto out;
	if (svg && (rc = write_file(io, svg, wn_prisma_write_svg, &p)) != WN_EXIT_OK)
		goto out;
	if (json)
		rc = write_file(io, NULL, wn_prisma_write_json, &p);
	else if ((!csv || strcmp(csv, "-")) && (!svg || strcmp(svg, "-")))
		rc = write_file(io, NULL, wn_prisma_write_text, &p);
	if (rc == WN_EXIT_OK && append)
		rc = record_run(io, ledgers.items[0], argc, given, &p, csv, svg);
	if (rc == WN_EXIT_OK && p.nerrors)
		rc = WN_EXIT_DATA;
out:
	wn_prisma_release(&p);
	wn_strlist_release(&ledgers);
	return rc;
}

int cmd_prisma(int argc, char **argv, struct wn_io *io)
{
	return wn_run_keeping_argv(prisma_main, argc, argv, io);
}

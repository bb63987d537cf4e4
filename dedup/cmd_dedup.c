/*
 * cmd_dedup.c - winnow-dedup: the record stream in, unique records out.
 *
 *   winnow-dedup [--prefer PubMed,Embase] [--maybe FILE] [--decisions FILE]
 *                [--report FILE] [--ledger FILE] [-o FILE] [FILE...]
 *
 * Everything is read before anything is written (duplicates can be anywhere in the
 * stream), so every output - records, maybe pairs, report - is written atomically at the
 * end: a failed run leaves no half file. Bad input lines are reported with file and
 * line, skipped and counted (ledger: skipped, skip_reasons); --strict makes them fatal
 * (exit 3). The ledger line (docs/ledger.md, "dedup") carries the counts PRISMA needs.
 */
#include <string.h>
#include "dedup_cmd.h"
#include "winnow/alloc.h"
#include "winnow/dedup.h"
#include "winnow/ledger.h"
#include "winnow/output.h"

static const char *const usage[] = {
	"winnow-dedup [options] [FILE...] < records.jsonl > unique.jsonl",
	NULL
};

#define MAX_BAD_SHOWN 20

struct bad_state {
	struct wn_io *io;
	int strict;
	unsigned long shown, total;
	json_object *reasons;
};

static int on_bad_line(void *data, const char *file, unsigned long line, const char *reason,
		       const char *msg)
{
	struct bad_state *b = data;
	json_object *v;

	(void)file;
	(void)line;
	b->total++;
	if (b->reasons) {
		if (json_object_object_get_ex(b->reasons, reason, &v))
			json_object_set_int64(v, json_object_get_int64(v) + 1);
		else
			json_object_object_add(b->reasons, reason, json_object_new_int64(1));
	}
	if (b->strict)
		return 1; /* the run stops with this message as its error (exit 3) */
	if (b->shown < MAX_BAD_SHOWN) {
		size_t n = strlen(msg);
		if (n >= 7 && strcmp(msg + n - 7, "skipped") == 0)
			wn_warning(b->io, "%s", msg);
		else
			wn_warning(b->io, "%s: skipped", msg);
		b->shown++;
	}
	return 0;
}

static int write_side_file(struct wn_io *io, const char *path,
			   int (*fn)(struct wn_dedup *, FILE *, struct wn_err *),
			   struct wn_dedup *d, struct wn_err *err)
{
	struct wn_output o;

	(void)io;
	if (wn_output_open(&o, path, NULL, err) < 0)
		return -1;
	if (fn(d, o.fp, err) < 0) {
		wn_output_abort(&o);
		return -1;
	}
	return wn_output_commit(&o, err);
}

static int put_obj(json_object *e, const char *key, json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(e, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* The ledger line (docs/ledger.md, "dedup"). -1 with err when it cannot be built: the run
 * then fails rather than leave PRISMA a wrong count. */
static int fill_ledger(struct wn_ledger *led, struct wn_dedup *d, struct bad_state *bad,
		       struct wn_err *err)
{
	json_object *e = wn_ledger_entry(led);
	const struct wn_dedup_stats *st;

	if (!e || !d)
		return 0;
	st = wn_dedup_stats(d);
	if (wn_ledger_set_int(e, "records_in", (int64_t)st->records_in, err) < 0 ||
	    wn_ledger_set_int(e, "records_out", (int64_t)st->records_out, err) < 0 ||
	    wn_ledger_set_int(e, "removed", (int64_t)st->removed, err) < 0 ||
	    put_obj(e, "in_by_source", wn_dedup_in_by_source(d)) < 0 ||
	    put_obj(e, "removed_by_source", wn_dedup_removed_by_source(d)) < 0 ||
	    wn_ledger_set_int(e, "maybe_pairs", (int64_t)st->maybe_pairs, err) < 0 ||
	    wn_ledger_set_int(e, "decisions_applied", (int64_t)st->decisions_applied, err) < 0 ||
	    wn_ledger_set_int(e, "skipped", (int64_t)st->skipped, err) < 0 ||
	    put_obj(e, "skip_reasons", json_object_get(bad->reasons)) < 0 ||
	    /* beyond the contract: how the removals came about */
	    put_obj(e, "removed_by_rule", wn_dedup_removed_by_rule(d)) < 0 ||
	    wn_ledger_set_int(e, "clusters", (int64_t)st->clusters, err) < 0 ||
	    wn_ledger_set_int(e, "same_id", (int64_t)st->same_id, err) < 0 ||
	    wn_ledger_set_int(e, "pairs_compared", (int64_t)st->pairs_compared, err) < 0 ||
	    wn_ledger_set_int(e, "conflicts", (int64_t)st->conflicts, err) < 0 ||
	    wn_ledger_set_int(e, "decisions_unmatched", (int64_t)st->decisions_unmatched, err) < 0 ||
	    wn_ledger_set_int(e, "blocks_windowed", (int64_t)st->blocks_windowed, err) < 0)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	return 0;
}

/* argv as given (option parsing reorders argv in place): for the ledger */
static int dedup_main(int argc, char **argv, char **given, struct wn_io *io)
{
	const char *output = NULL, *maybe = NULL, *report = NULL, *ledger = NULL, *explain = NULL;
	const char *keep_apart = NULL;
	struct wn_strlist prefer = { 0 }, decisions = { 0 };
	long threads = 0, max_line = 0, block_cap = 0, window = 0, memory = 0;
	int strict = 0, quiet = 0, version = 0, timings = 0, n, i, rc = WN_EXIT_OK;
	struct wn_option opts[] = {
		WN_OPT_GROUP_("Deciding"),
		WN_OPT_CSV_('p', "prefer", &prefer, "SOURCES", "keep the record from the first of these sources, e.g. PubMed,Embase (then the most complete, then the smallest id)"),
		WN_OPT_LIST_('d', "decisions", &decisions, "FILE", "apply a person's decisions on pairs (the --maybe file with \"decision\" filled in); repeatable"),
		WN_OPT_STRING_(0, "keep-apart", &keep_apart, "FIELD", "records with the same value of FIELD (e.g. extra.search_set) were deduplicated before: never merge them with each other"),
		WN_OPT_GROUP_("Output"),
		WN_OPT_STRING_('o', "output", &output, "FILE", "write the unique records to FILE (atomically) instead of stdout"),
		WN_OPT_STRING_('m', "maybe", &maybe, "FILE", "write the borderline pairs (not merged) for a person to decide"),
		WN_OPT_STRING_('r', "report", &report, "FILE", "write one line per removed record: removed id, kept id, rule, score"),
		WN_OPT_STRING_(0, "ledger", &ledger, "FILE", "append a ledger line (default: $WINNOW_LEDGER)"),
		WN_OPT_FLAG_('q', "quiet", &quiet, "no summary note, only warnings and errors"),
		WN_OPT_GROUP_("Input"),
		WN_OPT_FLAG_(0, "strict", &strict, "a bad input line is an error (exit 3) instead of skipped"),
		WN_OPT_INT_(0, "max-line-bytes", &max_line, "N", "longest input line accepted (default 16 MiB)"),
		WN_OPT_GROUP_("Tuning"),
		WN_OPT_INT_('j', "threads", &threads, "N", "worker threads (default: the number of cores); the output is the same for any N"),
		WN_OPT_INT_(0, "block-cap", &block_cap, "N", "largest block compared all-pairs (default 64); larger ones by window"),
		WN_OPT_INT_(0, "window", &window, "N", "neighbours compared in an oversized block (default 24)"),
		WN_OPT_INT_(0, "memory", &memory, "MIB", "input lines kept in memory before the rest goes to a temporary file (default 256)"),
		WN_OPT_FLAG_(0, "timings", &timings, "print the time each stage took (a note on standard error)"),
		WN_OPT_STRING_(0, "explain", &explain, "ID,ID", "print why two records are or are not duplicates (evidence, verdict) and exit"),
		WN_OPT_FLAG_(0, "version", &version, "print the version and exit"),
		WN_OPT_END_()
	};
	struct wn_dedup_opts dopts;
	struct wn_dedup *d = NULL;
	struct wn_output out;
	struct wn_ledger led = { NULL, NULL };
	struct bad_state bad;
	struct wn_err err;
	int out_open = 0, led_open = 0;
	char *stdin_arg[] = { (char *)"-" };
	char **inputs;

	memset(&bad, 0, sizeof(bad));
	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP)
		goto done;
	if (n < 0) {
		rc = WN_EXIT_USAGE;
		goto done;
	}
	if (version) {
		wn_print_version(io, NULL);
		goto done;
	}
	if (threads < 0 || threads > 64 || max_line < 0 || block_cap < 0 || window < 0 ||
	    memory < 0 || memory > 1048576) {
		wn_error(io, "--threads must be 1 to 64; --max-line-bytes, --block-cap, --window and --memory positive");
		rc = WN_EXIT_USAGE;
		goto done;
	}
	if (block_cap == 1) {
		wn_error(io, "--block-cap must be at least 2");
		rc = WN_EXIT_USAGE;
		goto done;
	}
	inputs = n > 0 ? argv : stdin_arg;
	if (n == 0)
		n = 1;
	{
		int nstdin = 0;
		for (i = 0; i < n; i++)
			if (strcmp(inputs[i], "-") == 0 && ++nstdin > 1) {
				wn_error(io, "standard input ('-') can be given only once");
				rc = WN_EXIT_USAGE;
				goto done;
			}
	}
	for (i = 0; i < (int)prefer.n; i++) {
		if (!prefer.items[i][0]) {
			wn_error(io, "--prefer: empty source name in the list");
			rc = WN_EXIT_USAGE;
			goto done;
		}
	}
	if ((maybe && strcmp(maybe, "-") == 0) || (report && strcmp(report, "-") == 0)) {
		wn_error(io, "--maybe and --report need a file name (standard output carries the records)");
		rc = WN_EXIT_USAGE;
		goto done;
	}

	bad.io = io;
	bad.strict = strict;
	bad.reasons = json_object_new_object();
	memset(&dopts, 0, sizeof(dopts));
	dopts.threads = (unsigned)threads;
	dopts.prefer = prefer.items;
	dopts.nprefer = prefer.n;
	dopts.max_line = (size_t)max_line;
	dopts.block_cap = (size_t)block_cap;
	dopts.window = (size_t)window;
	dopts.keep_apart = keep_apart;
	dopts.memory_budget = memory ? (size_t)memory << 20 : 0;
	dopts.bad_line = on_bad_line;
	dopts.bad_data = &bad;
	wn_err_clear(&err);
	if (!bad.reasons) {
		wn_err_set(&err, WN_ENOMEM, "out of memory");
		rc = wn_report(io, &err);
		goto done;
	}
	if (wn_ledger_begin(&led, wn_ledger_path(ledger), "dedup", "winnow-dedup", argc, given, &err) < 0) {
		rc = wn_report(io, &err);
		goto done;
	}
	led_open = 1;
	d = wn_dedup_new(&dopts, &err);
	if (!d)
		goto fail;
	for (i = 0; i < (int)decisions.n; i++)
		if (wn_dedup_load_decisions(d, decisions.items[i], &err) < 0)
			goto fail;
	for (i = 0; i < n; i++)
		if (wn_dedup_read(d, inputs[i], &err) < 0)
			goto fail;
	if (explain) {
		char ida[512];
		const char *comma = strchr(explain, ',');
		size_t la = comma ? (size_t)(comma - explain) : 0;
		if (!comma || la == 0 || la >= sizeof(ida) || !comma[1]) {
			wn_error(io, "--explain needs two ids separated by a comma");
			rc = WN_EXIT_USAGE;
			goto done;
		}
		memcpy(ida, explain, la);
		ida[la] = '\0';
		if (wn_dedup_explain(d, ida, comma + 1, io->out, &err) < 0)
			goto fail;
		goto done;
	}
	if (wn_dedup_run(d, &err) < 0)
		goto fail;
	if (wn_output_open(&out, output, io->out, &err) < 0)
		goto fail;
	out_open = 1;
	if (wn_dedup_write(d, out.fp, &err) < 0)
		goto fail;
	if (maybe && write_side_file(io, maybe, wn_dedup_write_maybe, d, &err) < 0)
		goto fail;
	if (report && write_side_file(io, report, wn_dedup_write_report, d, &err) < 0)
		goto fail;
	if (fill_ledger(&led, d, &bad, &err) < 0)
		goto fail;
	out_open = 0;
	if (wn_output_commit(&out, &err) < 0)
		goto fail;
	{
		const struct wn_dedup_stats *st = wn_dedup_stats(d);
		if (bad.total > bad.shown && !strict)
			wn_warning(io, "%lu more bad lines not shown", bad.total - bad.shown);
		if (st->skipped)
			wn_warning(io, "%lu input line%s skipped (counted in the ledger); --strict makes this an error",
				   st->skipped, st->skipped == 1 ? "" : "s");
		if (st->blocks_windowed && !quiet)
			wn_note(io, "%lu large block%s (largest: %lu records with one key, e.g. a generic title) compared within a window of %zu neighbours; --block-cap raises the limit",
				st->blocks_windowed, st->blocks_windowed == 1 ? "" : "s", st->largest_block,
				window ? (size_t)window : (size_t)24);
		if (st->decisions_unmatched)
			wn_warning(io, "%lu decision%s name records that are not in the input",
				   st->decisions_unmatched, st->decisions_unmatched == 1 ? "" : "s");
		if (st->maybe_pairs && !maybe)
			wn_note(io, "%lu borderline pair%s not merged; --maybe FILE lists them for a person to decide",
				st->maybe_pairs, st->maybe_pairs == 1 ? "" : "s");
		if (timings)
			wn_note(io, "timings (wall/cpu): read %.2f/%.2fs, block %.2f/%.2fs, compare %.2f/%.2fs (%lu pairs), cluster %.2f/%.2fs, write %.2f/%.2fs",
				st->secs_read, st->cpu_read, st->secs_block, st->cpu_block,
				st->secs_compare, st->cpu_compare, st->pairs_compared,
				st->secs_cluster, st->cpu_cluster, st->secs_write, st->cpu_write);
		if (!quiet)
			wn_note(io, "%lu records in, %lu out: %lu duplicates removed, %lu borderline pair%s",
				st->records_in, st->records_out, st->removed, st->maybe_pairs,
				st->maybe_pairs == 1 ? "" : "s");
	}
	led_open = 0;
	if (wn_ledger_commit(&led, "ok", &err) < 0)
		rc = wn_report(io, &err);
	goto done;

fail:
	if (out_open)
		wn_output_abort(&out);
	rc = wn_report(io, &err);
	if (led_open) {
		struct wn_err lerr;
		(void)fill_ledger(&led, d, &bad, &lerr); /* as far as it goes: the run failed */
		led_open = 0;
		if (wn_ledger_commit(&led, "failed", &lerr) < 0)
			wn_report(io, &lerr);
	}
done:
	if (led_open)
		wn_ledger_release(&led);
	wn_dedup_free(d);
	json_object_put(bad.reasons);
	wn_strlist_release(&prefer);
	wn_strlist_release(&decisions);
	return rc;
}

int cmd_dedup(int argc, char **argv, struct wn_io *io)
{
	return wn_run_keeping_argv(dedup_main, argc, argv, io);
}

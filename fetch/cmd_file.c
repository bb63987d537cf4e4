/*
 * cmd_file.c - winnow-fetch file: export files in, record stream out.
 *
 * Every path is checked before any record is written (it exists, it is a format we can
 * read), so a typo in the fifth file name does not leave four files' worth of records in
 * a pipeline. Then each file is imported in order; records go to stdout (or -o, written
 * atomically); warnings name file, record and line; the ledger gets one line for the run.
 */
#include <string.h>
#include <libxml/xmlversion.h>
#include "fetch.h"
#include "winnow/alloc.h"
#include "winnow/import.h"
#include "winnow/input.h"
#include "winnow/jsonl.h"
#include "winnow/ledger.h"
#include "winnow/output.h"
#include "winnow/xmlsafe.h"
#ifdef WINNOW_HAVE_NET
#include "winnow/eutils.h"
#endif

static const char *const usage[] = {
	"winnow-fetch file [--format F] [--source NAME] [--strict] [-o FILE] PATH...",
	"winnow-fetch file --detect PATH...",
	"winnow-fetch file --list-formats",
	NULL
};

struct file_run {
	struct wn_io *io;
	FILE *out;
	int quiet;
	unsigned long warnings;
};

static void print_diag(void *data, enum wn_diag_level level, const char *file,
		       unsigned long record, unsigned long line, const char *msg)
{
	struct file_run *run = data;
	char where[256];

	if (record && line)
		snprintf(where, sizeof(where), "'%s' record %lu (line %lu)", file, record, line);
	else if (record)
		snprintf(where, sizeof(where), "'%s' record %lu", file, record);
	else if (line)
		snprintf(where, sizeof(where), "'%s' line %lu", file, line);
	else
		snprintf(where, sizeof(where), "'%s'", file);
	if (level == WN_DIAG_NOTE) {
		if (!run->quiet)
			wn_note(run->io, "%s: %s", where, msg);
	} else if (level == WN_DIAG_WARNING) {
		run->warnings++;
		wn_warning(run->io, "%s: %s", where, msg);
	} else {
		wn_error(run->io, "%s: %s", where, msg);
	}
}

#ifdef WINNOW_HAVE_NET
static void replay_log(void *data, enum wn_diag_level level, const char *msg)
{
	struct file_run *run = data;

	if (level == WN_DIAG_WARNING)
		wn_warning(run->io, "%s", msg);
	else if (level == WN_DIAG_ERROR)
		wn_error(run->io, "%s", msg);
	else if (!run->quiet)
		wn_note(run->io, "%s", msg);
}
#endif

static int write_record(void *data, json_object *rec, struct wn_err *err)
{
	struct file_run *run = data;
	int rc = wn_jsonl_write(run->out, rec, err);

	json_object_put(rec);
	return rc;
}

struct counter {
	unsigned long n;
	json_object *sources; /* name -> count */
};

static int count_record(void *data, json_object *rec, struct wn_err *err)
{
	struct counter *c = data;
	const char *s = wn_record_get(rec, WN_F_SOURCE);

	c->n++;
	if (s) {
		json_object *v;
		if (json_object_object_get_ex(c->sources, s, &v))
			json_object_set_int64(v, json_object_get_int64(v) + 1);
		else if (wn_json_put(c->sources, s, json_object_new_int64(1)) < 0) {
			json_object_put(rec);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	}
	json_object_put(rec);
	return 0;
}

static void list_formats(struct wn_io *io)
{
	const struct wn_format *const *f;

	for (f = wn_formats(); *f; f++)
		fprintf(io->out, "%-14s %s\n", (*f)->name, (*f)->description);
}

/* --detect: one line per file: path, format, source(s), records, skipped. */
static int detect_report(struct wn_io *io, int argc, char **argv, const struct wn_format *forced,
			 const char *csv_map)
{
	int i, rc = WN_EXIT_OK;

	fprintf(io->out, "%s\t%s\t%s\t%s\t%s\n", "file", "format", "source", "records", "skipped");
	for (i = 0; i < argc; i++) {
		struct file_run run = { io, io->out, 1, 0 };
		struct counter c = { 0, json_object_new_object() };
		struct wn_import_opts iopts;
		struct wn_import *imp;
		struct wn_err err;
		struct wn_buf srcs;

		memset(&iopts, 0, sizeof(iopts));
		iopts.csv_map = csv_map;
		iopts.emit = count_record;
		iopts.emit_data = &c;
		iopts.diag = print_diag;
		iopts.diag_data = &run;
		imp = wn_import_new(&iopts, &err);
		if (!imp || !c.sources) {
			json_object_put(c.sources);
			wn_import_free(imp);
			return wn_report(io, &err);
		}
		wn_err_clear(&err);
		if (wn_import_file(imp, argv[i], forced, &err) < 0) {
			fprintf(io->out, "%s\t%s\t-\t-\t-\n", argv[i], "unknown");
			wn_report(io, &err);
			rc = wn_exit_code(err.code);
		} else {
			json_object *files, *f0, *fmt;
			json_object_object_get_ex(wn_import_summary(imp), "files", &files);
			f0 = json_object_array_get_idx(files, 0);
			json_object_object_get_ex(f0, "format", &fmt);
			wn_buf_init(&srcs, 0);
			{
				json_object_object_foreach(c.sources, k, v) {
					(void)v;
					wn_buf_addf(&srcs, NULL, "%s%s", srcs.len ? "; " : "", k);
				}
			}
			fprintf(io->out, "%s\t%s\t%s\t%lu\t%lu\n", argv[i], json_object_get_string(fmt),
				srcs.len ? srcs.data : "-", wn_import_records(imp), wn_import_skipped(imp));
			wn_buf_release(&srcs);
		}
		json_object_put(c.sources);
		wn_import_free(imp);
	}
	return rc;
}

/* Check every path before writing anything. */
static int preflight(struct wn_io *io, int argc, char **argv, const struct wn_format *forced)
{
	int i, nstdin = 0;

	for (i = 0; i < argc; i++) {
		struct wn_err err;
		struct wn_input *in;
		const unsigned char *head;
		ssize_t n;

		if (strcmp(argv[i], "-") == 0) {
			if (++nstdin > 1) {
				wn_error(io, "standard input ('-') can be given only once");
				return WN_EXIT_USAGE;
			}
			continue; /* cannot be read twice; checked when imported */
		}
#ifdef WINNOW_HAVE_NET
		if (wn_rawdir_is(argv[i]))
			continue; /* a --save-raw directory of winnow-fetch pubmed: replayed */
#endif
		in = wn_input_open(argv[i], NULL, &err);
		if (!in)
			return wn_report(io, &err);
		n = wn_input_peek(in, &head, 65536, &err);
		if (n < 0) {
			/* a damaged gzip header etc.: let the import report it in context */
			wn_input_close(in);
			continue;
		}
		if (!forced && n == 0) {
			wn_input_close(in);
			wn_error(io, "'%s' is empty: no records to import", argv[i]);
			return WN_EXIT_DATA;
		}
		if (!forced && !wn_format_detect(head, (size_t)n, NULL)) {
			wn_input_close(in);
			wn_format_unknown(&err, argv[i]);
			return wn_report(io, &err);
		}
		wn_input_close(in);
	}
	return WN_EXIT_OK;
}

/* argv as given (option parsing reorders argv in place): for the ledger */
static int file_main(int argc, char **argv, char **given, struct wn_io *io)
{
	const char *format = NULL, *source = NULL, *kind = NULL, *output = NULL, *ledger = NULL;
	const char *csv_map = NULL;
	int strict = 0, detect = 0, list = 0, quiet = 0, n, i, rc = WN_EXIT_OK;
	long max_line = 0;
	const struct wn_format *forced = NULL;
	struct wn_option opts[] = {
		WN_OPT_GROUP_("Input"),
		WN_OPT_STRING_('f', "format", &format, "NAME", "read every PATH as this format (default: detect)"),
		WN_OPT_STRING_('s', "source", &source, "NAME", "database label for the records, e.g. \"CINAHL\""),
		WN_OPT_STRING_(0, "source-kind", &kind, "KIND", "database (default), register, website, organisation, citation, other"),
		WN_OPT_INT_(0, "max-line-bytes", &max_line, "N", "longest line (PubMed XML: record) accepted (default 16 MiB)"),
		WN_OPT_FLAG_(0, "strict", &strict, "any skipped record is an error (exit 3)"),
		WN_OPT_STRING_(0, "map", &csv_map, "FIELD=COLUMN,...",
			       "CSV/TSV: read these columns as these fields (title=Headline,authors=Writers)"),
		WN_OPT_GROUP_("Output"),
		WN_OPT_STRING_('o', "output", &output, "FILE", "write records to FILE (atomically) instead of stdout"),
		WN_OPT_STRING_(0, "ledger", &ledger, "FILE", "append a ledger line (default: $WINNOW_LEDGER)"),
		WN_OPT_FLAG_('q', "quiet", &quiet, "no notes, only warnings and errors"),
		WN_OPT_GROUP_("Other"),
		WN_OPT_FLAG_(0, "detect", &detect, "print each file's format, source and record count; write no records"),
		WN_OPT_FLAG_(0, "list-formats", &list, "list the formats winnow can read"),
		WN_OPT_END_()
	};
	struct wn_import_opts iopts;
	struct wn_import *imp = NULL;
	struct wn_output out;
	struct wn_ledger led = { NULL, NULL };
	struct file_run run;
	struct wn_err err;

	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP)
		return WN_EXIT_OK;
	if (n < 0)
		return WN_EXIT_USAGE;
	wn_xml_init();
	if (list) {
		list_formats(io);
		return WN_EXIT_OK;
	}
	if (format && !(forced = wn_format_by_name(format))) {
		wn_error(io, "unknown format '%s' (see --list-formats)", format);
		return WN_EXIT_USAGE;
	}
	if (csv_map && !forced)
		forced = wn_format_by_name("csv"); /* --map names columns: the files are tables */
	if (kind && strcmp(kind, "database") && strcmp(kind, "register") && strcmp(kind, "website") &&
	    strcmp(kind, "organisation") && strcmp(kind, "citation") && strcmp(kind, "other")) {
		wn_error(io, "unknown source kind '%s' (database, register, website, organisation, citation, other)", kind);
		return WN_EXIT_USAGE;
	}
	if (max_line < 0) {
		wn_error(io, "--max-line-bytes must be positive");
		return WN_EXIT_USAGE;
	}
	if (n == 0) {
		wn_error(io, "no input files (use '-' for standard input)");
		wn_print_usage_short(io, usage);
		return WN_EXIT_USAGE;
	}
	if (detect)
		return detect_report(io, n, argv, forced, csv_map);
	rc = preflight(io, n, argv, forced);
	if (rc)
		return rc;

	if (wn_output_open(&out, output, io->out, &err) < 0)
		return wn_report(io, &err);
	run.io = io;
	run.out = out.fp;
	run.quiet = quiet;
	run.warnings = 0;
	memset(&iopts, 0, sizeof(iopts));
	iopts.source = source;
	iopts.source_kind = kind;
	iopts.strict = strict;
	iopts.max_line = (size_t)max_line;
	iopts.csv_map = csv_map;
	iopts.emit = write_record;
	iopts.emit_data = &run;
	iopts.diag = print_diag;
	iopts.diag_data = &run;
	imp = wn_import_new(&iopts, &err);
	if (!imp || wn_ledger_begin(&led, wn_ledger_path(ledger), "fetch", "winnow-fetch", argc, given, &err) < 0) {
		wn_output_abort(&out);
		wn_import_free(imp);
		return wn_report(io, &err);
	}
	for (i = 0; i < n; i++) {
		wn_err_clear(&err);
#ifdef WINNOW_HAVE_NET
		if (wn_rawdir_is(argv[i])) {
			/* the records a `winnow-fetch pubmed --save-raw DIR` run delivered, offline */
			if (wn_rawdir_replay(argv[i], imp, replay_log, &run, &err) < 0) {
				rc = wn_report(io, &err);
				break;
			}
			continue;
		}
#endif
		if (wn_import_file(imp, argv[i], forced, &err) < 0) {
			rc = wn_report(io, &err);
			break;
		}
	}
	if (rc == WN_EXIT_OK && wn_output_commit(&out, &err) < 0)
		rc = wn_report(io, &err);
	if (rc != WN_EXIT_OK)
		wn_output_abort(&out);
	{
		json_object *e = wn_ledger_entry(&led), *sum = wn_import_summary(imp);
		int bad = !e || wn_ledger_set_str(e, "mode", "file", NULL) < 0;
		json_object_object_foreach(sum, k, v)
			bad |= wn_json_put(e, k, json_object_get(v)) < 0;
		if (bad) {
			/* a ledger line with a count missing would be worse than none */
			wn_ledger_release(&led);
			if (rc == WN_EXIT_OK) {
				wn_err_set(&err, WN_ENOMEM, "out of memory (the ledger line was not written)");
				rc = wn_report(io, &err);
			}
		} else if (wn_ledger_commit(&led, rc == WN_EXIT_OK ? "ok" : "failed", &err) < 0 && rc == WN_EXIT_OK)
			rc = wn_report(io, &err);
	}
	if (rc == WN_EXIT_OK && wn_import_skipped(imp))
		wn_warning(io, "%lu record%s skipped (reasons above, counted in the ledger); --strict makes this an error",
			   wn_import_skipped(imp), wn_import_skipped(imp) == 1 ? "" : "s");
	wn_import_free(imp);
	return rc;
}

int cmd_fetch_file(int argc, char **argv, struct wn_io *io)
{
	return wn_run_keeping_argv(file_main, argc, argv, io);
}

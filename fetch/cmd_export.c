/*
 * cmd_export.c - winnow-export: the record stream out as RIS, CSV or BibTeX, for
 * reference managers (EndNote, Zotero, Mendeley, JabRef) and screening tools (Rayyan,
 * Covidence, ASReview).
 *
 * Reads JSON Lines from the files given or stdin; a line that is not a record is
 * reported with file and line, skipped and counted (--strict makes it exit 3); the
 * output is written to stdout or atomically to -o FILE, so a failed run leaves no half
 * file. The formats themselves are in lib/formats/export_*.c (winnow/export.h).
 */
#include <string.h>
#include "fetch.h"
#include "winnow/export.h"
#include "winnow/jsonl.h"
#include "winnow/output.h"

static const char *const usage[] = {
	"winnow-export --format ris|csv|bibtex [-o FILE] [--with-notes] [--strict] [FILE...]",
	NULL
};

int cmd_export(int argc, char **argv, struct wn_io *io)
{
	const char *format = NULL, *output = NULL;
	int with_notes = 0, strict = 0, version = 0, n, i, rc = WN_EXIT_OK;
	unsigned long bad = 0;
	struct wn_option opts[] = {
		WN_OPT_STRING_('f', "format", &format, "NAME", "ris, csv or bibtex (required)"),
		WN_OPT_STRING_('o', "output", &output, "FILE", "write to FILE (atomically) instead of stdout"),
		WN_OPT_FLAG_(0, "with-notes", &with_notes,
			     "carry merges, decisions and other fields (RIS N1 notes, CSV columns, BibTeX annote)"),
		WN_OPT_FLAG_(0, "strict", &strict, "a line that is not a record is an error (exit 3)"),
		WN_OPT_FLAG_(0, "version", &version, "print version information and exit"),
		WN_OPT_END_()
	};
	struct wn_export_opts eo;
	struct wn_exporter *x = NULL;
	struct wn_output out;
	struct wn_err err;
	char *stdin_arg[] = { "-", NULL };

	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP)
		return WN_EXIT_OK;
	if (n < 0)
		return WN_EXIT_USAGE;
	if (version) {
		wn_print_version(io, NULL);
		return WN_EXIT_OK;
	}
	memset(&eo, 0, sizeof(eo));
	if (!format) {
		wn_error(io, "--format is required (ris, csv or bibtex)");
		wn_print_usage_short(io, usage);
		return WN_EXIT_USAGE;
	}
	if (wn_export_format_by_name(format, &eo.format) < 0) {
		wn_error(io, "unknown format '%s' (ris, csv or bibtex)", format);
		return WN_EXIT_USAGE;
	}
	eo.with_notes = with_notes;
	if (n == 0) {
		argv = stdin_arg;
		n = 1;
	}
	if (wn_output_open(&out, output, io->out, &err) < 0)
		return wn_report(io, &err);
	x = wn_exporter_new(out.fp, &eo, &err);
	if (!x) {
		wn_output_abort(&out);
		return wn_report(io, &err);
	}
	for (i = 0; i < n && rc == WN_EXIT_OK; i++) {
		struct wn_jsonl_reader *rd;
		json_object *rec;
		int r;

		wn_err_clear(&err);
		rd = wn_jsonl_open(argv[i], 0, &err);
		if (!rd) {
			rc = wn_report(io, &err);
			break;
		}
		while ((r = wn_jsonl_next(rd, &rec, &err)) != WN_JSONL_EOF) {
			if (r == WN_JSONL_ERROR) {
				rc = wn_report(io, &err);
				break;
			}
			if (r == WN_JSONL_BAD) {
				bad++;
				if (strict) {
					wn_error(io, "%s (--strict)", err.msg);
					rc = WN_EXIT_DATA;
					break;
				}
				wn_warning(io, "%s; skipped", err.msg);
				continue;
			}
			if (!json_object_is_type(rec, json_type_object)) {
				json_object_put(rec);
				continue;
			}
			r = wn_exporter_write(x, rec, &err);
			json_object_put(rec);
			if (r < 0) {
				rc = wn_report(io, &err);
				break;
			}
		}
		wn_jsonl_close(rd);
	}
	if (rc == WN_EXIT_OK && (wn_exporter_finish(x, &err) < 0 || wn_output_commit(&out, &err) < 0))
		rc = wn_report(io, &err);
	if (rc != WN_EXIT_OK)
		wn_output_abort(&out);
	if (rc == WN_EXIT_OK && bad)
		wn_warning(io, "%lu line%s of the input %s not records and %s skipped; --strict makes this an error",
			   bad, bad == 1 ? "" : "s", bad == 1 ? "was" : "were", bad == 1 ? "was" : "were");
	wn_exporter_free(x);
	return rc;
}

/*
 * cmd_pubmed.c - winnow-fetch pubmed: a PubMed search over NCBI's E-utilities, records
 * out (the work is in lib/net, see eutils.h; this file is the command line).
 *
 * What the command adds to the library: checking the arguments before any request is
 * made (query, limits, URL), where records go (stdout, or -o written atomically so a
 * failed run leaves no half file), the messages (query translation, PubMed's warnings,
 * retries, missing PMIDs), a progress bar on a terminal, the ledger line (PRISMA-S:
 * query, translation, time, limits, Count, records delivered), and the exit code:
 * 0 complete (or incomplete without --strict: reported, status "partial"), 3 stopped on
 * query warnings or incomplete under --strict, 4 E-utilities unavailable after the
 * retries (nothing half-written; safe to rerun, and with --save-raw the rerun
 * continues where this one stopped).
 *
 * Test switches (environment, honoured only when the E-utilities URL is a loopback
 * address): WINNOW_EUTILS_NO_DELAY=1 turns the rate limiter off and shortens backoff
 * 100-fold (Retry-After still honoured); WINNOW_EUTILS_SLICE=N splits searches above N
 * hits instead of 9,999 (the stand-in server is started with the same limit).
 */
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlversion.h>
#include "fetch.h"
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/eutils.h"
#include "winnow/http.h"
#include "winnow/import.h"
#include "winnow/input.h"
#include "winnow/jsonl.h"
#include "winnow/ledger.h"
#include "winnow/output.h"
#include "winnow/timefmt.h"
#include "winnow/utf8.h"
#include "winnow/xmlsafe.h"

static const char *const usage[] = {
	"winnow-fetch pubmed [options] QUERY",
	"winnow-fetch pubmed [options] --query-file FILE",
	"winnow-fetch pubmed [options] --pmids FILE",
	NULL
};

#define QUERY_MAX ((size_t)1 << 20)     /* a search strategy, not a data set */
#define PMIDS_MAX ((size_t)256 << 20)

struct pm_run {
	struct wn_io *io;
	FILE *out;
	int quiet;
	int bar;              /* a progress bar is on screen */
	int show_progress;
	double started, last_draw;
};

/* ---- messages and progress (stderr) ---- */

static void clear_bar(struct pm_run *r)
{
	if (r->bar) {
		fputs("\r\033[K", r->io->err);
		r->bar = 0;
	}
}

static void on_diag(void *data, enum wn_diag_level level, const char *msg)
{
	struct pm_run *r = data;

	clear_bar(r);
	if (level == WN_DIAG_NOTE) {
		if (!r->quiet)
			wn_note(r->io, "%s", msg);
	} else if (level == WN_DIAG_WARNING) {
		wn_warning(r->io, "%s", msg);
	} else {
		wn_error(r->io, "%s", msg);
	}
}

static void on_import_diag(void *data, enum wn_diag_level level, const char *file,
			   unsigned long record, unsigned long line, const char *msg)
{
	struct pm_run *r = data;
	char where[160];

	if (record)
		snprintf(where, sizeof(where), "'%s' record %lu", file, record);
	else
		snprintf(where, sizeof(where), "'%s'", file);
	(void)line; /* a line of a response body means little to a reader */
	clear_bar(r);
	if (level == WN_DIAG_NOTE) {
		if (!r->quiet)
			wn_note(r->io, "%s: %s", where, msg);
	} else if (level == WN_DIAG_WARNING) {
		wn_warning(r->io, "%s: %s", where, msg);
	} else {
		wn_error(r->io, "%s: %s", where, msg);
	}
}

static void on_progress(void *data, uint64_t done, uint64_t total)
{
	struct pm_run *r = data;
	double now = wn_time_mono(), rate, secs = now - r->started;
	char eta[32] = "";

	if (!r->show_progress || (now - r->last_draw < 0.2 && done < total))
		return;
	r->last_draw = now;
	rate = secs > 0.5 ? (double)done / secs : 0;
	if (rate > 0 && total > done) {
		unsigned long left = (unsigned long)((double)(total - done) / rate + 0.5);
		snprintf(eta, sizeof(eta), "  ETA %lu:%02lu", left / 60, left % 60);
	}
	fprintf(r->io->err, "\r\033[K%s: %llu/%llu records (%d%%)  %.0f/s%s", r->io->prog,
		(unsigned long long)done, (unsigned long long)total,
		total ? (int)(100.0 * (double)done / (double)total) : 100, rate, eta);
	fflush(r->io->err);
	r->bar = 1;
}

static int write_record(void *data, json_object *rec, struct wn_err *err)
{
	struct pm_run *r = data;
	int rc = wn_jsonl_write(r->out, rec, err);

	json_object_put(rec);
	return rc;
}

/* ---- arguments ---- */

/* YYYY, YYYY/MM or YYYY/MM/DD, as E-utilities takes them. */
static int valid_date(const char *s)
{
	size_t n = strlen(s), i;

	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '/')
				return 0;
		} else if (!wn_isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/* Read the query file: UTF-8, capped; surrounding whitespace dropped (the file ends in a
 * newline), everything else kept as it is. */
static char *read_query_file(struct wn_io *io, const char *path)
{
	struct wn_input_opts o = { QUERY_MAX + 1, NULL };
	struct wn_input *in;
	struct wn_buf b;
	struct wn_err err;
	char *q;

	in = wn_input_open(path, &o, &err);
	if (!in) {
		wn_report(io, &err);
		return NULL;
	}
	/* the cap is the input's (max_bytes): wn_input_slurp grows the buffer in 1 MiB steps */
	wn_buf_init(&b, 0);
	if (wn_input_text_mode(in, 1, &err) < 0 || wn_input_slurp(in, &b, &err) < 0) {
		if (err.code == WN_ELIMIT)
			wn_error(io, "'%s' is larger than %zu bytes: not a search query", wn_input_name(in), QUERY_MAX);
		else
			wn_report(io, &err);
		wn_input_close(in);
		wn_buf_release(&b);
		return NULL;
	}
	wn_buf_trim(&b);
	if (!wn_utf8_valid(b.data, b.len) || memchr(b.data, '\0', b.len)) {
		wn_error(io, "'%s' is not valid UTF-8 text: a query must be", wn_input_name(in));
		wn_input_close(in);
		wn_buf_release(&b);
		return NULL;
	}
	wn_input_close(in);
	q = wn_buf_detach(&b, NULL, &err);
	if (!q)
		wn_report(io, &err);
	return q;
}

/* PMIDs separated by whitespace or commas; a token that is not one is reported with its
 * line and skipped (an error under --strict). Returns -1 after printing an error. */
static int read_pmids(struct wn_io *io, const char *path, int strict, uint64_t **ids, size_t *n,
		      unsigned long *bad)
{
	struct wn_input_opts o = { PMIDS_MAX + 1, NULL };
	struct wn_input *in;
	struct wn_buf b;
	struct wn_err err;
	size_t cap = 0, i = 0;
	unsigned long line = 1;
	int rc = 0;

	*ids = NULL;
	*n = 0;
	*bad = 0;
	in = wn_input_open(path, &o, &err);
	if (!in) {
		wn_report(io, &err);
		return -1;
	}
	wn_buf_init(&b, 0);
	if (wn_input_text_mode(in, 1, &err) < 0 || wn_input_slurp(in, &b, &err) < 0) {
		wn_report(io, &err);
		wn_input_close(in);
		wn_buf_release(&b);
		return -1;
	}
	while (i < b.len && rc == 0) {
		size_t start;
		uint64_t v = 0;
		int ok = 1;
		if (b.data[i] == '\n')
			line++;
		if (wn_isspace((unsigned char)b.data[i]) || b.data[i] == ',') {
			i++;
			continue;
		}
		start = i;
		while (i < b.len && !wn_isspace((unsigned char)b.data[i]) && b.data[i] != ',')
			i++;
		if (i - start > 19)
			ok = 0;
		for (size_t k = start; ok && k < i; k++) {
			if (!wn_isdigit((unsigned char)b.data[k]))
				ok = 0;
			else
				v = v * 10 + (uint64_t)(b.data[k] - '0');
		}
		if (!ok || v == 0) {
			(*bad)++;
			if (strict) {
				wn_error(io, "'%s' line %lu: '%.*s' is not a PMID (--strict)", wn_input_name(in), line,
					 (int)(i - start > 40 ? 40 : i - start), b.data + start);
				rc = -1;
			} else {
				wn_warning(io, "'%s' line %lu: '%.*s' is not a PMID; skipped", wn_input_name(in), line,
					   (int)(i - start > 40 ? 40 : i - start), b.data + start);
			}
			continue;
		}
		if (*n == cap) {
			size_t c = cap ? cap * 2 : 1024;
			void *p = wn_reallocarray(*ids, c, sizeof(**ids));
			if (!p) {
				wn_error(io, "out of memory");
				rc = -1;
				break;
			}
			*ids = p;
			cap = c;
		}
		(*ids)[(*n)++] = v;
	}
	wn_input_close(in);
	wn_buf_release(&b);
	return rc;
}

/* argv for the ledger with the API key's value hidden. */
static char **redact_argv(int argc, char **argv)
{
	char **copy = wn_calloc((size_t)argc + 1, sizeof(*copy));
	int i;

	if (!copy)
		return NULL;
	for (i = 0; i < argc; i++) {
		copy[i] = argv[i];
		if (strncmp(argv[i], "--api-key=", 10) == 0)
			copy[i] = "--api-key=REDACTED";
		else if (strcmp(argv[i], "--api-key") == 0 && i + 1 < argc) {
			copy[i] = argv[i];
			copy[++i] = "REDACTED";
		}
	}
	return copy;
}

static const char *env_or(const char *opt, const char *name)
{
	const char *e;

	if (opt)
		return opt;
	e = getenv(name);
	return e && *e ? e : NULL;
}

/* ---- the ledger line (docs/ledger.md, "fetch (winnow-fetch pubmed)") ---- */

static int fill_ledger(struct wn_ledger *led, const char *query, const char *pmids_file,
			const char *mindate, const char *maxdate, const char *datetype,
			const struct wn_pubmed_result *res, struct wn_import *imp,
			const struct wn_eutils_stats *st, const char *base, const char *save_raw,
			unsigned long bad_pmids)
{
	json_object *e = wn_ledger_entry(led), *lim, *sum, *v, *miss;
	size_t i;
	int bad = 0;

	if (!e)
		return -1;
	bad |= wn_ledger_set_str(e, "mode", "pubmed", NULL) < 0;
	if (query)
		bad |= wn_ledger_set_str(e, "query", query, NULL) < 0;
	if (pmids_file) {
		bad |= wn_ledger_set_str(e, "pmids_file", pmids_file, NULL) < 0;
		if (bad_pmids)
			bad |= wn_ledger_set_int(e, "pmids_skipped", (int64_t)bad_pmids, NULL) < 0;
	}
	if (res->translation)
		bad |= wn_ledger_set_str(e, "translation", res->translation, NULL) < 0;
	if (res->searched[0])
		bad |= wn_ledger_set_str(e, "searched", res->searched, NULL) < 0;
	lim = wn_ledger_object(e, "limits", NULL);
	bad |= !lim;
	if (lim && mindate)
		bad |= wn_ledger_set_str(lim, "mindate", mindate, NULL) < 0;
	if (lim && maxdate)
		bad |= wn_ledger_set_str(lim, "maxdate", maxdate, NULL) < 0;
	if (lim && datetype)
		bad |= wn_ledger_set_str(lim, "datetype", datetype, NULL) < 0;
	bad |= wn_ledger_set_int(e, "count", (int64_t)res->count, NULL) < 0;
	sum = wn_import_summary(imp);
	bad |= wn_ledger_set_int(e, "records", (int64_t)wn_import_records(imp), NULL) < 0;
	miss = json_object_new_array();
	bad |= !miss;
	for (i = 0; miss && i < res->nmissing; i++)
		bad |= wn_json_push(miss, json_object_new_int64((int64_t)res->missing[i])) < 0;
	if (miss)
		bad |= wn_json_put(e, "missing_pmids", miss) < 0;
	bad |= wn_json_put(e, "complete", json_object_new_boolean(res->complete)) < 0;
	if (res->warnings)
		bad |= wn_json_put(e, "warnings", json_object_get(res->warnings)) < 0;
	if (res->slices)
		bad |= wn_json_put(e, "slices", json_object_get(res->slices)) < 0;
	if (res->unexpected)
		bad |= wn_ledger_set_int(e, "unexpected", (int64_t)res->unexpected, NULL) < 0;
	if (json_object_object_get_ex(sum, "sources", &v))
		bad |= wn_json_put(e, "sources", json_object_get(v)) < 0;
	if (json_object_object_get_ex(sum, "skipped", &v))
		bad |= wn_json_put(e, "skipped", json_object_get(v)) < 0;
	if (json_object_object_get_ex(sum, "skip_reasons", &v))
		bad |= wn_json_put(e, "skip_reasons", json_object_get(v)) < 0;
	if (json_object_object_get_ex(sum, "dropped", &v))
		bad |= wn_json_put(e, "dropped", json_object_get(v)) < 0;
	bad |= wn_ledger_set_int(e, "requests", (int64_t)(st ? st->requests : 0), NULL) < 0;
	bad |= wn_ledger_set_int(e, "retries", (int64_t)(st ? st->retries : 0), NULL) < 0;
	if (base && strcmp(base, WN_EUTILS_DEFAULT_URL) != 0)
		bad |= wn_ledger_set_str(e, "eutils_url", base, NULL) < 0;
	if (save_raw) {
		bad |= wn_ledger_set_str(e, "save_raw", save_raw, NULL) < 0;
		bad |= wn_json_put(e, "resumed", json_object_new_boolean(res->resumed)) < 0;
	}
	return bad ? -1 : 0;
}

int cmd_fetch_pubmed(int argc, char **argv, struct wn_io *io)
{
	const char *query_file = NULL, *pmids_file = NULL, *mindate = NULL, *maxdate = NULL;
	const char *datetype = NULL, *email = NULL, *api_key = NULL, *url = NULL, *cacert = NULL;
	const char *output = NULL, *ledger = NULL, *save_raw = NULL;
	long batch = WN_EUTILS_DEFAULT_BATCH, retries = 6, timeout = 60, max_mb = 256;
	int allow_warnings = 0, strict = 0, quiet = 0, progress_flag = -1, n, rc = WN_EXIT_OK;
	int loopback = 0;
	struct wn_option opts[] = {
		WN_OPT_GROUP_("Search"),
		WN_OPT_STRING_(0, "query-file", &query_file, "FILE", "read the query from FILE ('-': standard input)"),
		WN_OPT_STRING_(0, "pmids", &pmids_file, "FILE", "fetch these PMIDs (whitespace- or comma-separated) instead of searching"),
		WN_OPT_STRING_(0, "mindate", &mindate, "DATE", "earliest date, YYYY[/MM[/DD]] (with --maxdate)"),
		WN_OPT_STRING_(0, "maxdate", &maxdate, "DATE", "latest date, YYYY[/MM[/DD]] (with --mindate)"),
		WN_OPT_STRING_(0, "datetype", &datetype, "TYPE", "which date the limits apply to: pdat (publication, default), edat (Entrez), crdt (created)"),
		WN_OPT_FLAG_(0, "allow-warnings", &allow_warnings, "fetch even when PubMed reports errors or warnings about the query"),
		WN_OPT_GROUP_("NCBI E-utilities"),
		WN_OPT_STRING_(0, "email", &email, "ADDRESS", "your e-mail address, sent to NCBI (default: $NCBI_EMAIL)"),
		WN_OPT_STRING_(0, "api-key", &api_key, "KEY", "NCBI API key: 10 requests/s instead of 3 (default: $NCBI_API_KEY)"),
		WN_OPT_STRING_(0, "eutils-url", &url, "URL", "E-utilities base URL (default: $WINNOW_EUTILS_URL, else NCBI's); https only, http for loopback"),
		WN_OPT_STRING_(0, "cacert", &cacert, "FILE", "CA certificates to verify the server with (e.g. a corporate proxy's)"),
		WN_OPT_INT_(0, "batch", &batch, "N", "records per efetch request, 1-10000 (default 500)"),
		WN_OPT_INT_(0, "retries", &retries, "N", "attempts per request before giving up, 1-20 (default 6)"),
		WN_OPT_INT_(0, "timeout", &timeout, "SECONDS", "give up an attempt after this long without data (default 60)"),
		WN_OPT_INT_(0, "max-response", &max_mb, "MB", "refuse responses larger than this (default 256)"),
		WN_OPT_GROUP_("Output"),
		WN_OPT_STRING_('o', "output", &output, "FILE", "write records to FILE (atomically) instead of stdout"),
		WN_OPT_STRING_(0, "save-raw", &save_raw, "DIR", "keep every response (gzipped) and a manifest in DIR; rerun to resume"),
		WN_OPT_STRING_(0, "ledger", &ledger, "FILE", "append a ledger line (default: $WINNOW_LEDGER)"),
		WN_OPT_FLAG_(0, "strict", &strict, "an incomplete result or a skipped record is an error (exit 3)"),
		WN_OPT_BOOL_(0, "progress", &progress_flag, "progress bar on stderr (default: when it is a terminal)"),
		WN_OPT_FLAG_('q', "quiet", &quiet, "no notes, only warnings and errors"),
		WN_OPT_END_()
	};
	struct wn_eutils_opts eo;
	struct wn_eutils *eu = NULL;
	struct wn_pubmed_req req;
	struct wn_pubmed_result res;
	struct wn_import_opts iopts;
	struct wn_import *imp = NULL;
	struct wn_output out;
	struct wn_ledger led = { NULL, NULL };
	struct pm_run run;
	struct wn_err err;
	char *query_owned = NULL, **largv = NULL;
	const char *query = NULL;
	uint64_t *pmids = NULL;
	size_t npmids = 0;
	unsigned long bad_pmids = 0;
	const char *env;
	int fetch_rc, out_open = 0;

	/* the ledger records the arguments as given (parsing reorders argv) */
	largv = redact_argv(argc, argv);
	if (!largv) {
		wn_error(io, "out of memory");
		return WN_EXIT_FAILURE;
	}
	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP || n < 0) {
		wn_free(largv);
		return n == WN_PARSE_HELP ? WN_EXIT_OK : WN_EXIT_USAGE;
	}

	/* ---- what to search: exactly one of QUERY, --query-file, --pmids ---- */
	if (n > 1 || (n > 0) + !!query_file + !!pmids_file != 1) {
		wn_error(io, n > 1 ? "one query only (quote it: winnow-fetch pubmed 'asthma AND children')"
			 : "give a QUERY, --query-file FILE or --pmids FILE (exactly one)");
		wn_print_usage_short(io, usage);
		rc = WN_EXIT_USAGE;
		goto out_free;
	}
	if ((mindate != NULL) != (maxdate != NULL)) {
		wn_error(io, "--mindate and --maxdate go together (E-utilities needs both; e.g. --mindate 2015 --maxdate 3000)");
		rc = WN_EXIT_USAGE;
		goto out_free;
	}
	if ((mindate && !valid_date(mindate)) || (maxdate && !valid_date(maxdate))) {
		wn_error(io, "'%s' is not a date E-utilities takes (YYYY, YYYY/MM or YYYY/MM/DD)",
			 mindate && !valid_date(mindate) ? mindate : maxdate);
		rc = WN_EXIT_USAGE;
		goto out_free;
	}
	if (datetype && strcmp(datetype, "pdat") && strcmp(datetype, "edat") && strcmp(datetype, "crdt")) {
		wn_error(io, "unknown --datetype '%s' (pdat, edat or crdt)", datetype);
		rc = WN_EXIT_USAGE;
		goto out_free;
	}
	if (datetype && !mindate) {
		wn_error(io, "--datetype needs --mindate and --maxdate");
		rc = WN_EXIT_USAGE;
		goto out_free;
	}
	if (mindate && !datetype)
		datetype = "pdat"; /* E-utilities' default for PubMed, sent so the ledger says it */
	if (pmids_file && mindate) {
		wn_error(io, "--mindate/--maxdate limit a search; they do not apply to --pmids");
		rc = WN_EXIT_USAGE;
		goto out_free;
	}
	if (batch < 1 || batch > 10000 || retries < 1 || retries > 20 || timeout < 1 || timeout > 3600 ||
	    max_mb < 1 || max_mb > 4096) {
		wn_error(io, "%s is out of range (see --help)",
			 batch < 1 || batch > 10000 ? "--batch" : retries < 1 || retries > 20 ? "--retries"
			 : timeout < 1 || timeout > 3600 ? "--timeout" : "--max-response");
		rc = WN_EXIT_USAGE;
		goto out_free;
	}
	url = env_or(url, "WINNOW_EUTILS_URL");
	if (url && wn_http_check_url(url, &loopback, &err) < 0) {
		rc = wn_report(io, &err);
		goto out_free;
	}
	if (n == 1) {
		query = argv[0];
		if (!wn_utf8_valid(query, strlen(query))) {
			wn_error(io, "the query is not valid UTF-8");
			rc = WN_EXIT_USAGE;
			goto out_free;
		}
	} else if (query_file) {
		if (!(query = query_owned = read_query_file(io, query_file))) {
			rc = WN_EXIT_FAILURE;
			goto out_free;
		}
	}
	if (query) {
		const char *p = query;
		while (*p && wn_isspace((unsigned char)*p))
			p++;
		if (!*p) {
			wn_error(io, "the query is empty");
			rc = WN_EXIT_USAGE;
			goto out_free;
		}
	}
	if (pmids_file) {
		if (read_pmids(io, pmids_file, strict, &pmids, &npmids, &bad_pmids) < 0) {
			rc = WN_EXIT_DATA;
			goto out_free;
		}
		if (npmids == 0) {
			wn_error(io, "'%s' holds no PMIDs", pmids_file);
			rc = WN_EXIT_DATA;
			goto out_free;
		}
	}
	wn_xml_init();
	if (!wn_format_by_name("pubmed-xml")) {
		wn_error(io, "the PubMed XML reader is not in this build");
		rc = WN_EXIT_FAILURE;
		goto out_free;
	}

	/* ---- the client ---- */
	memset(&run, 0, sizeof(run));
	run.io = io;
	run.quiet = quiet;
	run.show_progress = wn_progress_wanted(io, progress_flag);
	memset(&eo, 0, sizeof(eo));
	eo.base_url = url;
	eo.email = env_or(email, "NCBI_EMAIL");
	eo.api_key = env_or(api_key, "NCBI_API_KEY");
	eo.http.cacert = cacert;
	eo.http.stall_timeout = timeout;
	eo.http.max_response = (size_t)max_mb << 20;
	eo.max_attempts = (int)retries;
	eo.log = on_diag;
	eo.log_data = &run;
	env = getenv("WINNOW_EUTILS_NO_DELAY");
	eo.no_delay = env && strcmp(env, "1") == 0;
	eu = wn_eutils_new(&eo, &err);
	if (!eu) {
		rc = wn_report(io, &err);
		goto out_free;
	}
	if (!eo.email && !quiet)
		wn_note(io, "no e-mail address given (--email or NCBI_EMAIL): NCBI asks for one, to contact you before it blocks heavy use");

	memset(&req, 0, sizeof(req));
	req.query = query;
	req.pmids = pmids;
	req.npmids = npmids;
	req.mindate = mindate;
	req.maxdate = maxdate;
	req.datetype = datetype;
	req.batch = (unsigned)batch;
	req.allow_warnings = allow_warnings;
	req.save_raw = save_raw;
	req.diag = on_diag;
	req.diag_data = &run;
	req.progress = on_progress;
	req.progress_data = &run;
	env = getenv("WINNOW_EUTILS_SLICE");
	if (env && *env) {
		char *end;
		unsigned long long v = strtoull(env, &end, 10);
		if (!loopback || *end || v < 1 || v > WN_EUTILS_MAX_HITS) {
			wn_error(io, "WINNOW_EUTILS_SLICE is a test switch for loopback servers (1-%d)", WN_EUTILS_MAX_HITS);
			rc = WN_EXIT_USAGE;
			goto out_free;
		}
		req.slice_max = v;
	}

	/* ---- run ---- */
	if (wn_output_open(&out, output, io->out, &err) < 0) {
		rc = wn_report(io, &err);
		goto out_free;
	}
	out_open = 1;
	run.out = out.fp;
	memset(&iopts, 0, sizeof(iopts));
	iopts.strict = strict;
	iopts.emit = write_record;
	iopts.emit_data = &run;
	iopts.diag = on_import_diag;
	iopts.diag_data = &run;
	imp = wn_import_new(&iopts, &err);
	if (!imp || wn_ledger_begin(&led, wn_ledger_path(ledger), "fetch", "winnow-fetch", argc, largv, &err) < 0) {
		rc = wn_report(io, &err);
		goto out_free;
	}
	wn_pubmed_result_init(&res);
	run.started = wn_time_mono();
	wn_err_clear(&err);
	fetch_rc = wn_pubmed_fetch(eu, &req, imp, &res, &err);
	clear_bar(&run);
	if (fetch_rc < 0) {
		if (err.code == WN_OK) /* a failure must never read as success */
			wn_err_set(&err, WN_EIO, "the fetch failed without an explanation");
		if (err.code == WN_EPIPE)
			wn_exit_epipe(); /* the reader went away: a quiet end */
		rc = wn_report(io, &err);
		if (err.code == WN_ENET)
			wn_note(io, "nothing half-written was kept; it is safe to rerun the same command%s",
				save_raw ? " (it continues from what --save-raw kept)" : "");
	} else {
		if (!res.complete)
			wn_warning(io, "the result is incomplete: %llu of %llu records delivered (status 'partial' in the ledger)%s",
				   (unsigned long long)wn_import_records(imp), (unsigned long long)res.count,
				   strict ? "" : "; --strict makes this an error");
		else if (!quiet)
			wn_note(io, "%llu record%s delivered (all %llu the search found)",
				(unsigned long long)wn_import_records(imp), wn_import_records(imp) == 1 ? "" : "s",
				(unsigned long long)res.count);
		if (wn_import_skipped(imp))
			wn_warning(io, "%lu record%s could not be read (reasons above, counted in the ledger)",
				   wn_import_skipped(imp), wn_import_skipped(imp) == 1 ? "" : "s");
		if (strict && !res.complete)
			rc = WN_EXIT_DATA;
	}
	if (rc == WN_EXIT_OK && wn_output_commit(&out, &err) < 0)
		rc = wn_report(io, &err);
	if (rc != WN_EXIT_OK)
		wn_output_abort(&out);
	out_open = 0;
	if (fill_ledger(&led, query, pmids_file, mindate, maxdate, datetype, &res, imp, wn_eutils_stats(eu),
			wn_eutils_base(eu), save_raw, bad_pmids) < 0) {
		/* a ledger line with a count missing would be worse than none */
		wn_ledger_release(&led);
		if (rc == WN_EXIT_OK) {
			wn_err_set(&err, WN_ENOMEM, "out of memory (the ledger line was not written)");
			rc = wn_report(io, &err);
		}
	} else if (wn_ledger_commit(&led, rc != WN_EXIT_OK ? "failed" : res.complete ? "ok" : "partial", &err) < 0 &&
	    rc == WN_EXIT_OK)
		rc = wn_report(io, &err);
	wn_pubmed_result_release(&res);
out_free:
	if (out_open)
		wn_output_abort(&out);
	wn_ledger_release(&led);
	wn_import_free(imp);
	wn_eutils_free(eu);
	wn_free(largv);
	wn_free(pmids);
	wn_free(query_owned);
	return rc;
}

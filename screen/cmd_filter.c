/*
 * cmd_filter.c - winnow-screen filter: keep the records that pass the eligibility
 * criteria and match the search string.
 *
 *   winnow-screen filter --query F [--dialect D] [--criteria F] [--excluded F]
 *                        [--explain] [INPUT...] > kept.jsonl
 *
 * Each record is checked against the criteria rules first (database limits: dates,
 * languages, publication types, required or forbidden terms), then against the search
 * string. An excluded record carries one reason - the first rule it fails, or the
 * search string - which goes to the ledger (docs/ledger.md, "filter") and, with
 * --excluded, into the record's "screen" field. Kept records are written exactly as
 * read (byte for byte) unless --explain adds "screen": {"matched", "terms"}.
 *
 * Speed: lines are read in batches; a batch is split between threads (each with its
 * own json-c tokener and matcher state) and written back in input order, so the output
 * does not depend on the number of threads. Added fields are spliced into the line
 * instead of re-serialising the record.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include "screen.h"
#include "winnow/alloc.h"
#include "winnow/criteria.h"
#include "winnow/input.h"
#include "winnow/jsonl.h"
#include "winnow/ledger.h"
#include "winnow/mesh.h"
#include "winnow/output.h"
#include "winnow/qmatch.h"
#include "winnow/query.h"

static const char *const usage[] = {
	"winnow-screen filter --query FILE [--dialect D] [--criteria FILE] [--excluded FILE] [--explain] [INPUT...]",
	"winnow-screen filter --criteria FILE [--excluded FILE] [INPUT...]",
	NULL
};

#define BATCH_LINES 4096
#define BATCH_BYTES ((size_t)32 << 20)
#define MAX_THREADS 16
#define REPORT_BAD 10

enum { L_KEEP, L_EXCL, L_BAD, L_BLANK };

struct lres {
	int status;
	int rule;          /* L_EXCL: criteria rule index, or -1 for the search string */
	size_t off, len;   /* bytes to write (in the worker's out buffer); len 0 = the line as is */
	int worker;
	const char *bad;   /* L_BAD: why (static string) */
};

struct shared {
	const struct wn_qmatch *qm;
	const struct wn_criteria *crit;
	int explain, want_excluded;
	const char *query_reason;
	/* the batch */
	const char *buf;
	const size_t *loff, *llen;
	struct lres *res;
};

struct worker {
	struct shared *sh;
	int id;
	json_tokener *tok;
	struct wn_qmatch_state *qs;
	struct wn_criteria_state *cs;
	unsigned char *failed;
	struct wn_buf out;
	struct wn_err err;
	int rc;
	size_t from, to;
	unsigned long records_without_date; /* unused placeholder for future counters */
};

/* Add a string member. json-c returns NULL from json_object_new_string when memory runs
 * out, and json_object_object_add would store that NULL as a JSON null without
 * complaint: both are checked here. */
static int add_str(json_object *o, const char *key, const char *val)
{
	json_object *s = json_object_new_string(val);

	if (!s)
		return -1;
	if (json_object_object_add(o, key, s) < 0) {
		json_object_put(s);
		return -1;
	}
	return 0;
}

/* Add a member, taking over val's reference (also when it fails; NULL fails). */
static int add_obj(json_object *o, const char *key, json_object *val)
{
	if (!val)
		return -1;
	if (json_object_object_add(o, key, val) < 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

/* Append the line with ,"screen":<json> spliced in before its final '}', or re-serialise
 * when the record already has a "screen" object (its keys are merged). */
static int emit_with_screen(struct worker *w, const char *line, size_t len, json_object *rec,
			    json_object *screen)
{
	json_object *old;
	size_t n;
	const char *js;

	if (json_object_object_get_ex(rec, "screen", &old) && json_object_is_type(old, json_type_object)) {
		json_object_object_foreach(screen, k, v) {
			if (json_object_object_add(old, k, json_object_get(v)) < 0) {
				json_object_put(v);
				return wn_err_set(&w->err, WN_ENOMEM, "out of memory");
			}
		}
		js = wn_json_compact(rec, &n);
		if (!js)
			return wn_err_set(&w->err, WN_ENOMEM, "out of memory");
		return wn_buf_add(&w->out, js, n, &w->err) < 0 || wn_buf_addc(&w->out, '\n', &w->err) < 0 ? -1 : 0;
	}
	if (old) /* "screen" of another type: replace it */
		json_object_object_del(rec, "screen");
	if (old) {
		if (json_object_object_add(rec, "screen", json_object_get(screen)) < 0)
			return wn_err_set(&w->err, WN_ENOMEM, "out of memory");
		js = wn_json_compact(rec, &n);
		if (!js)
			return wn_err_set(&w->err, WN_ENOMEM, "out of memory");
		return wn_buf_add(&w->out, js, n, &w->err) < 0 || wn_buf_addc(&w->out, '\n', &w->err) < 0 ? -1 : 0;
	}
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	/* the line is a JSON object: it ends with '}' */
	len--;
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	js = wn_json_compact(screen, &n);
	if (!js)
		return wn_err_set(&w->err, WN_ENOMEM, "out of memory");
	if (wn_buf_add(&w->out, line, len, &w->err) < 0 ||
	    wn_buf_adds(&w->out, json_object_object_length(rec) ? ",\"screen\":" : "\"screen\":", &w->err) < 0 ||
	    wn_buf_add(&w->out, js, n, &w->err) < 0 || wn_buf_adds(&w->out, "}\n", &w->err) < 0)
		return -1;
	return 0;
}

static int excluded_screen(struct worker *w, json_object **out, int rule)
{
	const struct wn_criteria *c = w->sh->crit;
	json_object *s = json_object_new_object(), *e = json_object_new_object(), *also = NULL;
	size_t i;

	*out = NULL;
	if (!s || !e)
		goto oom;
	if (rule >= 0) {
		if (add_str(e, "rule", wn_criteria_name(c, (size_t)rule)) < 0 ||
		    add_str(e, "reason", wn_criteria_reason(c, (size_t)rule)) < 0 ||
		    add_str(e, "kind", wn_criteria_kind(c, (size_t)rule) == WN_CRIT_OTHER ? "other" : "automation") < 0)
			goto oom;
		for (i = (size_t)rule + 1; i < wn_criteria_count(c); i++) {
			json_object *nm;
			if (!w->failed[i])
				continue;
			if (!also && !(also = json_object_new_array()))
				goto oom;
			if (!(nm = json_object_new_string(wn_criteria_name(c, i))))
				goto oom;
			if (json_object_array_add(also, nm) < 0) {
				json_object_put(nm);
				goto oom;
			}
		}
		if (also && json_object_object_add(e, "also", also) < 0)
			goto oom;
		also = NULL;
	} else {
		if (add_str(e, "rule", "search-string") < 0 || add_str(e, "reason", w->sh->query_reason) < 0 ||
		    add_str(e, "kind", "automation") < 0)
			goto oom;
	}
	if (json_object_object_add(s, "excluded", e) < 0)
		goto oom;
	e = NULL;
	*out = s;
	return 0;
oom:
	json_object_put(also);
	json_object_put(e);
	json_object_put(s);
	return wn_err_set(&w->err, WN_ENOMEM, "out of memory");
}

static int do_line(struct worker *w, size_t i)
{
	struct shared *sh = w->sh;
	const char *line = sh->buf + sh->loff[i];
	size_t len = sh->llen[i], k;
	struct lres *r = &sh->res[i];
	json_object *rec;
	int rule = -1, keep = 1;

	r->worker = w->id;
	r->len = 0;
	for (k = 0; k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'); k++)
		;
	if (k == len) {
		r->status = L_BLANK;
		return 0;
	}
	/* the stream reader's checks: strict JSON, one object, valid UTF-8, no NUL (jsonl.h) */
	{
		struct wn_err perr;
		wn_err_clear(&perr);
		switch (wn_jsonl_parse_line(w->tok, line, len, "", 0, &rec, &perr)) {
		case WN_JSONL_OK:
			break;
		case WN_JSONL_BAD:
			r->status = L_BAD;
			r->bad = wn_jsonl_bad_reason(&perr);
			return 0;
		default:
			w->err = perr; /* out of memory inside json-c: not a bad line */
			return -1;
		}
	}
	if (sh->crit) {
		rule = wn_criteria_check(w->cs, rec, w->failed, &w->err);
		if (rule == -2)
			goto fail;
		if (rule >= 0)
			keep = 0;
	}
	if (keep && sh->qm) {
		int m = wn_qmatch_record(w->qs, rec, &w->err);
		if (m < 0)
			goto fail;
		if (!m) {
			keep = 0;
			rule = -1;
		}
	}
	r->status = keep ? L_KEEP : L_EXCL;
	r->rule = rule;
	if (keep && sh->explain) {
		json_object *screen = json_object_new_object(), *clauses = NULL, *terms = NULL;
		if (!screen)
			goto oom;
		if (sh->qm && wn_qmatch_explain(w->qs, &clauses, &terms, &w->err) < 0) {
			json_object_put(screen);
			goto fail;
		}
		if (!clauses)
			clauses = json_object_new_array();
		if (!terms)
			terms = json_object_new_array();
		if (!clauses || !terms || json_object_object_add(screen, "matched", clauses) < 0) {
			json_object_put(clauses);
			json_object_put(terms);
			json_object_put(screen);
			goto oom;
		}
		if (json_object_object_add(screen, "terms", terms) < 0) {
			json_object_put(terms);
			json_object_put(screen);
			goto oom;
		}
		r->off = w->out.len;
		if (emit_with_screen(w, line, len, rec, screen) < 0) {
			json_object_put(screen);
			goto fail;
		}
		r->len = w->out.len - r->off;
		json_object_put(screen);
	} else if (!keep && sh->want_excluded) {
		json_object *screen;
		if (excluded_screen(w, &screen, rule) < 0)
			goto fail;
		r->off = w->out.len;
		if (emit_with_screen(w, line, len, rec, screen) < 0) {
			json_object_put(screen);
			goto fail;
		}
		r->len = w->out.len - r->off;
		json_object_put(screen);
	}
	json_object_put(rec);
	return 0;
oom:
	wn_err_set(&w->err, WN_ENOMEM, "out of memory");
fail:
	json_object_put(rec);
	return -1;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	size_t i;

	w->rc = 0;
	for (i = w->from; i < w->to; i++)
		if (do_line(w, i) < 0) {
			w->rc = -1;
			break;
		}
	return NULL;
}

struct counts {
	unsigned long in, out, skipped;
	json_object *excl_auto, *excl_other, *skip_reasons;
};

static int bump(json_object *o, const char *key)
{
	return wn_ledger_add_count(o, key, 1, NULL);
}

struct run {
	struct wn_io *io;
	struct shared sh;
	struct worker w[MAX_THREADS];
	int nthreads;
	struct wn_output out, excl;
	int have_excl;
	struct counts c;
	int strict, quiet;
	unsigned long bad_reported;
	/* batch */
	struct wn_buf batch;
	size_t *loff, *llen;
	unsigned long *lno;
	const char **lname;
	struct lres *res;
	size_t nl;
};

static int flush_batch(struct run *R, struct wn_err *err)
{
	size_t i, per;
	int t, nt = R->nthreads;
	pthread_t th[MAX_THREADS];
	int started[MAX_THREADS];

	if (!R->nl)
		return 0;
	R->sh.buf = R->batch.data;
	R->sh.loff = R->loff;
	R->sh.llen = R->llen;
	R->sh.res = R->res;
	if ((size_t)nt > R->nl)
		nt = (int)R->nl;
	per = (R->nl + (size_t)nt - 1) / (size_t)nt;
	for (t = 0; t < nt; t++) {
		R->w[t].from = (size_t)t * per;
		R->w[t].to = R->w[t].from + per > R->nl ? R->nl : R->w[t].from + per;
		wn_buf_reset(&R->w[t].out);
		started[t] = 0;
	}
	for (t = 1; t < nt; t++)
		started[t] = pthread_create(&th[t], NULL, work, &R->w[t]) == 0;
	work(&R->w[0]);
	for (t = 1; t < nt; t++) {
		if (started[t])
			pthread_join(th[t], NULL);
		else
			work(&R->w[t]); /* could not start a thread: do its share here */
	}
	for (t = 0; t < nt; t++)
		if (R->w[t].rc < 0) {
			*err = R->w[t].err;
			return -1;
		}
	/* write in input order */
	for (i = 0; i < R->nl; i++) {
		struct lres *r = &R->res[i];
		const char *p;
		size_t n;
		switch (r->status) {
		case L_BLANK:
			break;
		case L_BAD:
			R->c.skipped++;
			if (bump(R->c.skip_reasons, r->bad) < 0)
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			if (R->bad_reported++ < REPORT_BAD)
				wn_warning(R->io, "'%s' line %lu: %s: skipped", R->lname[i], R->lno[i], r->bad);
			if (R->strict)
				return wn_err_set(err, WN_EFORMAT, "'%s' line %lu: %s (--strict)", R->lname[i],
						  R->lno[i], r->bad);
			break;
		case L_KEEP:
			R->c.in++;
			R->c.out++;
			if (r->len) {
				p = R->w[r->worker].out.data + r->off;
				n = r->len;
				if (fwrite(p, 1, n, R->out.fp) != n)
					return wn_output_check(R->out.fp, "standard output", err) < 0 ? -1 :
					       wn_err_set(err, WN_EIO, "cannot write the records");
			} else {
				p = R->batch.data + R->loff[i];
				n = R->llen[i];
				if (fwrite(p, 1, n, R->out.fp) != n || putc('\n', R->out.fp) == EOF)
					return wn_output_check(R->out.fp, "standard output", err) < 0 ? -1 :
					       wn_err_set(err, WN_EIO, "cannot write the records");
			}
			break;
		case L_EXCL: {
			const char *reason;
			int other = 0;
			R->c.in++;
			if (r->rule >= 0) {
				reason = wn_criteria_reason(R->sh.crit, (size_t)r->rule);
				other = wn_criteria_kind(R->sh.crit, (size_t)r->rule) == WN_CRIT_OTHER;
			} else {
				reason = R->sh.query_reason;
			}
			if (bump(other ? R->c.excl_other : R->c.excl_auto, reason) < 0)
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			if (R->have_excl && r->len) {
				p = R->w[r->worker].out.data + r->off;
				if (fwrite(p, 1, r->len, R->excl.fp) != r->len)
					return wn_output_check(R->excl.fp, "the excluded records", err) < 0 ? -1 :
					       wn_err_set(err, WN_EIO, "cannot write the excluded records");
			}
			break;
		}
		default:
			break;
		}
	}
	if (ferror(R->out.fp))
		return wn_output_check(R->out.fp, "standard output", err) < 0 ? -1 :
		       wn_err_set(err, WN_EIO, "cannot write the records");
	R->nl = 0;
	wn_buf_reset(&R->batch);
	return 0;
}

static int read_input(struct run *R, const char *path, struct wn_err *err)
{
	struct wn_input *in = wn_input_open(path, NULL, err);
	struct wn_lines L;
	const char *line, *name;
	size_t len;
	int rc;

	if (!in)
		return -1;
	name = wn_input_name(in);
	if (wn_lines_init(&L, in, 0, err) < 0) {
		wn_input_close(in);
		return -1;
	}
	while ((rc = wn_lines_next(&L, &line, &len, err)) != 0) {
		if (rc < 0)
			break;
		if (rc == 2) {
			/* over-long line: reported and counted, never cut */
			R->c.skipped++;
			if (bump(R->c.skip_reasons, "line too long") < 0) {
				rc = wn_err_set(err, WN_ENOMEM, "out of memory");
				break;
			}
			wn_warning(R->io, "%s: skipped", err->msg);
			if (R->strict) {
				rc = wn_err_set(err, WN_EFORMAT, "'%s' line %lu: line too long (--strict)", name, L.lineno);
				break;
			}
			continue;
		}
		if (R->nl == BATCH_LINES || R->batch.len + len + 1 > BATCH_BYTES) {
			if (flush_batch(R, err) < 0) {
				rc = -1;
				break;
			}
		}
		R->loff[R->nl] = R->batch.len;
		R->llen[R->nl] = len;
		R->lno[R->nl] = L.lineno;
		R->lname[R->nl] = name;
		if (wn_buf_add(&R->batch, line, len, err) < 0 || wn_buf_addc(&R->batch, '\n', err) < 0) {
			rc = -1;
			break;
		}
		R->nl++;
	}
	if (rc == 0 && flush_batch(R, err) < 0)
		rc = -1;
	wn_lines_release(&L);
	wn_input_close(in);
	return rc < 0 ? -1 : 0;
}

static int cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > 4 ? 4 : (int)n;
}

static void print_diags(struct wn_io *io, const char *file, struct wn_qdiags *d, int quiet)
{
	size_t i;

	wn_qdiags_sort(d);
	for (i = 0; i < d->n; i++) {
		const struct wn_qdiag *g = &d->v[i];
		if (g->sev == WN_QSEV_ERROR)
			wn_error(io, "%s:%u:%u: %s %s: %s", file, g->line, g->col, g->code, g->slug, g->msg);
		else if (g->sev == WN_QSEV_WARNING)
			wn_warning(io, "%s:%u:%u: %s %s: %s", file, g->line, g->col, g->code, g->slug, g->msg);
		else if (!quiet)
			wn_note(io, "%s: %s", file, g->msg);
	}
}

static json_object *file_entry(const char *path, const char *text)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (add_str(o, "file", path) < 0 || add_str(o, "text", text ? text : "") < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static char *slurp_text(const char *path, struct wn_err *err)
{
	struct wn_input *in = wn_input_open(path, NULL, err);
	struct wn_buf b;
	char *s = NULL;

	if (!in)
		return NULL;
	wn_buf_init(&b, (size_t)64 << 20);
	if (wn_input_text_mode(in, 1, err) == 0 && wn_input_slurp(in, &b, err) == 0)
		s = wn_buf_detach(&b, NULL, err);
	wn_buf_release(&b);
	wn_input_close(in);
	return s;
}

struct fopts {
	const char *query, *dialect, *criteria, *excluded, *output, *ledger, *mesh_path, *dfields;
	const char *reason;
	long threads;
	int explain, strict, quiet;
};

static int filter_run(struct wn_io *io, int argc, char **orig, int n, char **argv,
		      const struct fopts *o);

/* orig: argv as given (option parsing reorders argv in place), for the ledger */
static int filter_main(int argc, char **argv, char **orig, struct wn_io *io)
{
	struct fopts o = { NULL, "generic", NULL, NULL, NULL, NULL, NULL, NULL,
			   "not matched by the search string", 0, 0, 0, 0 };
	int n;
	struct wn_option opts[] = {
		WN_OPT_GROUP_("What to apply"),
		WN_OPT_STRING_('q', "query", &o.query, "FILE", "the search string (a file; '-' for standard input)"),
		WN_OPT_STRING_('d', "dialect", &o.dialect, "D", "its dialect: pubmed, ovid, scopus, wos, ebsco, generic (default)"),
		WN_OPT_STRING_('c', "criteria", &o.criteria, "FILE", "eligibility rules (docs/winnow-screen-filter.1)"),
		WN_OPT_STRING_(0, "default-fields", &o.dfields, "LIST", "fields for terms without a field tag (default ti,ab,kw)"),
		WN_OPT_STRING_(0, "mesh", &o.mesh_path, "FILE", "MeSH descriptor XML (desc20xx.xml[.gz]) to explode [mh] terms"),
		WN_OPT_STRING_(0, "query-reason", &o.reason, "TEXT", "the exclusion reason of the search string"),
		WN_OPT_GROUP_("Output"),
		WN_OPT_STRING_('o', "output", &o.output, "FILE", "write the kept records to FILE (atomically) instead of stdout"),
		WN_OPT_STRING_(0, "excluded", &o.excluded, "FILE", "write the excluded records, with their reason, to FILE"),
		WN_OPT_FLAG_(0, "explain", &o.explain, "add \"screen\": {\"matched\", \"terms\"} to each kept record"),
		WN_OPT_STRING_(0, "ledger", &o.ledger, "FILE", "append a ledger line (default: $WINNOW_LEDGER)"),
		WN_OPT_FLAG_(0, "strict", &o.strict, "a line that is not a record is an error (exit 3)"),
		WN_OPT_FLAG_(0, "quiet", &o.quiet, "no notes, only warnings and errors"),
		WN_OPT_INT_(0, "threads", &o.threads, "N", "worker threads (default: the CPUs, at most 4); output order never changes"),
		WN_OPT_END_()
	};

	n = wn_parse_options(io, argc, argv, opts, usage, 0);
	if (n == WN_PARSE_HELP || n < 0)
		return n == WN_PARSE_HELP ? WN_EXIT_OK : WN_EXIT_USAGE;
	return filter_run(io, argc, orig, n, argv, &o);
}

int cmd_screen_filter(int argc, char **argv, struct wn_io *io)
{
	return wn_run_keeping_argv(filter_main, argc, argv, io);
}

static int filter_run(struct wn_io *io, int argc, char **orig, int n, char **argv,
		      const struct fopts *o)
{
	const char *query = o->query, *dialect = o->dialect, *criteria = o->criteria;
	const char *excluded = o->excluded, *output = o->output, *ledger = o->ledger;
	const char *mesh_path = o->mesh_path, *dfields = o->dfields, *reason = o->reason;
	long threads = o->threads;
	int explain = o->explain, strict = o->strict, quiet = o->quiet, i, rc = WN_EXIT_OK;
	enum wn_qdialect d;
	struct wn_qmatch_opts qo;
	struct wn_qdiags notes;
	struct wn_query *q = NULL;
	struct wn_qmatch *qm = NULL;
	struct wn_criteria *crit = NULL;
	struct wn_mesh *mesh = NULL;
	struct wn_ledger led = { NULL, NULL };
	struct run *R = NULL;
	struct wn_err err;
	char *qtext = NULL, *ctext = NULL;
	int out_open = 0, t;
	static const char *const stdin_only[] = { "-" };
	const char *const *inputs;
	int ninputs;

	if (!query && !criteria) {
		wn_error(io, "nothing to apply: give --query FILE, --criteria FILE or both");
		wn_print_usage_short(io, usage);
		return WN_EXIT_USAGE;
	}
	if (wn_qdialect_from_name(dialect, &d) < 0) {
		wn_error(io, "unknown dialect '%s' (pubmed, ovid, scopus, wos, ebsco, generic)", dialect);
		return WN_EXIT_USAGE;
	}
	if (threads < 0 || threads > MAX_THREADS) {
		wn_error(io, "--threads must be between 1 and %d", MAX_THREADS);
		return WN_EXIT_USAGE;
	}
	if (excluded && strcmp(excluded, "-") == 0) {
		wn_error(io, "--excluded needs a file name (standard output carries the kept records)");
		return WN_EXIT_USAGE;
	}
	if (excluded && output && strcmp(excluded, output) == 0) {
		wn_error(io, "--excluded and -o name the same file '%s'", excluded);
		return WN_EXIT_USAGE;
	}
	for (i = 0; i < n; i++)
		if ((query && strcmp(query, "-") == 0 && strcmp(argv[i], "-") == 0)) {
			wn_error(io, "standard input cannot be both the query and the records");
			return WN_EXIT_USAGE;
		}
	if (query && strcmp(query, "-") == 0 && n == 0) {
		wn_error(io, "the query is read from standard input: name the record files");
		return WN_EXIT_USAGE;
	}
	memset(&qo, 0, sizeof(qo));
	qo.dialect = d;
	qo.default_fields = WN_QF_TI | WN_QF_AB | WN_QF_KW;
	if (dfields) {
		const char *bad = NULL;
		if (wn_qfields_parse(dfields, &qo.default_fields, &bad) < 0) {
			wn_error(io, "unknown field in --default-fields '%s' (ti, ab, kw, mh, pt, journal, au, all)",
				 bad ? bad : dfields);
			return WN_EXIT_USAGE;
		}
	}
	wn_qdiags_init(&notes);
	if (mesh_path) {
		mesh = wn_mesh_load(mesh_path, &err);
		if (!mesh)
			return wn_report(io, &err);
		if (!quiet)
			wn_note(io, "'%s': %zu MeSH descriptors: [mh] terms include narrower headings",
				mesh_path, wn_mesh_count(mesh));
	}
	qo.mesh = mesh;
	if (query) {
		qtext = slurp_text(query, &err);
		if (!qtext) {
			rc = wn_report(io, &err);
			goto done;
		}
		q = wn_query_parse(qtext, strlen(qtext), d, &err);
		if (!q) {
			rc = wn_report(io, &err);
			goto done;
		}
		print_diags(io, query, &q->diags, quiet);
		if (!q->root) {
			wn_error(io, "'%s' is not a valid %s query (see above; 'winnow-screen query --lint' explains)",
				 query, wn_qdialect_name(d));
			rc = WN_EXIT_DATA;
			goto done;
		}
		qm = wn_qmatch_compile(q->root, &qo, &notes, &err);
		if (!qm) {
			rc = wn_report(io, &err);
			goto done;
		}
	}
	if (criteria) {
		struct wn_qmatch_opts co = qo;
		co.dialect = WN_QD_GENERIC;
		ctext = slurp_text(criteria, &err);
		if (!ctext) {
			rc = wn_report(io, &err);
			goto done;
		}
		crit = wn_criteria_parse(ctext, strlen(ctext), criteria, &co, &notes, &err);
		if (!crit) {
			rc = wn_report(io, &err);
			goto done;
		}
	}
	print_diags(io, query ? query : criteria, &notes, quiet);

	R = wn_calloc(1, sizeof(*R));
	if (!R) {
		rc = wn_report(io, (wn_err_set(&err, WN_ENOMEM, "out of memory"), &err));
		goto done;
	}
	R->io = io;
	R->strict = strict;
	R->quiet = quiet;
	R->sh.qm = qm;
	R->sh.crit = crit;
	R->sh.explain = explain;
	R->sh.want_excluded = excluded != NULL;
	R->sh.query_reason = reason;
	R->nthreads = threads ? (int)threads : cpu_count();
	wn_buf_init(&R->batch, BATCH_BYTES + ((size_t)64 << 20));
	R->loff = wn_calloc(BATCH_LINES, sizeof(*R->loff));
	R->llen = wn_calloc(BATCH_LINES, sizeof(*R->llen));
	R->lno = wn_calloc(BATCH_LINES, sizeof(*R->lno));
	R->lname = wn_calloc(BATCH_LINES, sizeof(*R->lname));
	R->res = wn_calloc(BATCH_LINES, sizeof(*R->res));
	R->c.excl_auto = json_object_new_object();
	R->c.excl_other = json_object_new_object();
	R->c.skip_reasons = json_object_new_object();
	if (!R->loff || !R->llen || !R->lno || !R->lname || !R->res || !R->c.excl_auto ||
	    !R->c.excl_other || !R->c.skip_reasons) {
		wn_err_set(&err, WN_ENOMEM, "out of memory");
		rc = wn_report(io, &err);
		goto done;
	}
	for (t = 0; t < R->nthreads; t++) {
		struct worker *w = &R->w[t];
		w->sh = &R->sh;
		w->id = t;
		wn_buf_init(&w->out, 0);
		w->tok = wn_alloc_should_fail() ? NULL : json_tokener_new();
		if (w->tok)
			json_tokener_set_flags(w->tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		if (!w->tok || (qm && !(w->qs = wn_qmatch_state_new(qm, &err))) ||
		    (crit && (!(w->cs = wn_criteria_state_new(crit, &err)) ||
			      !(w->failed = wn_calloc(wn_criteria_count(crit) + 1, 1))))) {
			wn_err_set(&err, WN_ENOMEM, "out of memory");
			rc = wn_report(io, &err);
			goto done;
		}
	}
	if (wn_ledger_begin(&led, wn_ledger_path(ledger), "filter", "winnow-screen", argc, orig, &err) < 0 ||
	    wn_output_open(&R->out, output, io->out, &err) < 0) {
		rc = wn_report(io, &err);
		goto done;
	}
	out_open = 1;
	if (excluded) {
		if (wn_output_open(&R->excl, excluded, NULL, &err) < 0) {
			rc = wn_report(io, &err);
			goto done;
		}
		R->have_excl = 1;
	}
	inputs = n ? (const char *const *)argv : stdin_only;
	ninputs = n ? n : 1;
	for (i = 0; i < ninputs && rc == WN_EXIT_OK; i++) {
		wn_err_clear(&err);
		if (read_input(R, inputs[i], &err) < 0)
			rc = wn_report(io, &err);
	}
	if (rc == WN_EXIT_OK && wn_output_commit(&R->out, &err) < 0)
		rc = wn_report(io, &err);
	if (rc == WN_EXIT_OK && R->have_excl) {
		if (wn_output_commit(&R->excl, &err) < 0)
			rc = wn_report(io, &err);
		R->have_excl = 0;
	}
	out_open = rc != WN_EXIT_OK;
	{
		/* every key of the ledger line or none: a line missing its counts would give
		 * PRISMA wrong numbers, so a failed allocation here is out of memory */
		json_object *e = wn_ledger_entry(&led), *notes_arr = NULL, *und;
		size_t k;
		char dfbuf[128] = "";
		unsigned bit;
		int bad = !e;
		bad = bad || wn_ledger_set_int(e, "records_in", (int64_t)R->c.in, &err) < 0;
		bad = bad || wn_ledger_set_int(e, "records_out", (int64_t)R->c.out, &err) < 0;
		bad = bad || add_obj(e, "excluded_automatic", json_object_get(R->c.excl_auto)) < 0;
		bad = bad || add_obj(e, "excluded_other", json_object_get(R->c.excl_other)) < 0;
		if (query)
			bad = bad || add_obj(e, "query", file_entry(query, qtext)) < 0;
		bad = bad || wn_ledger_set_str(e, "dialect", wn_qdialect_name(d), &err) < 0;
		if (criteria)
			bad = bad || add_obj(e, "criteria", file_entry(criteria, ctext)) < 0;
		for (bit = 1; bit <= WN_QF_ALL; bit <<= 1)
			if (qo.default_fields & bit) {
				size_t L = strlen(dfbuf);
				snprintf(dfbuf + L, sizeof(dfbuf) - L, "%s%s", L ? "," : "", wn_qfield_name(bit));
			}
		bad = bad || wn_ledger_set_str(e, "default_fields", dfbuf, &err) < 0;
		if (mesh_path)
			bad = bad || wn_ledger_set_str(e, "mesh", mesh_path, &err) < 0;
		bad = bad || !(notes_arr = json_object_new_array());
		for (k = 0; !bad && k < notes.n; k++)
			if (notes.v[k].sev == WN_QSEV_NOTE) {
				json_object *m = json_object_new_string(notes.v[k].msg);
				if (!m || json_object_array_add(notes_arr, m) < 0) {
					json_object_put(m);
					bad = 1;
				}
			}
		if (!bad) {
			bad = add_obj(e, "approximations", notes_arr) < 0;
			notes_arr = NULL;
		}
		json_object_put(notes_arr);
		if (!bad && crit && R->w[0].cs) {
			und = wn_ledger_object(e, "undetermined", &err);
			bad = !und;
			for (k = 0; !bad && k < wn_criteria_count(crit); k++) {
				unsigned long u = 0;
				for (t = 0; t < R->nthreads; t++)
					if (R->w[t].cs)
						u += wn_criteria_undetermined(R->w[t].cs, k);
				if (u)
					bad = wn_ledger_add_count(und, wn_criteria_name(crit, k), (int64_t)u, &err) < 0;
			}
		}
		bad = bad || wn_ledger_set_int(e, "skipped", (int64_t)R->c.skipped, &err) < 0;
		bad = bad || add_obj(e, "skip_reasons", json_object_get(R->c.skip_reasons)) < 0;
		if (bad) {
			wn_ledger_release(&led);
			if (rc == WN_EXIT_OK) {
				wn_err_set(&err, WN_ENOMEM, "out of memory");
				rc = wn_report(io, &err);
			}
		} else if (wn_ledger_commit(&led, rc == WN_EXIT_OK ? "ok" : "failed", &err) < 0 && rc == WN_EXIT_OK) {
			rc = wn_report(io, &err);
		}
	}
	if (rc == WN_EXIT_OK && !quiet) {
		size_t k;
		unsigned long excl = R->c.in - R->c.out;
		wn_note(io, "%lu records in, %lu kept, %lu excluded", R->c.in, R->c.out, excl);
		if (crit)
			for (k = 0; k < wn_criteria_count(crit); k++) {
				unsigned long u = 0;
				for (t = 0; t < R->nthreads; t++)
					if (R->w[t].cs)
						u += wn_criteria_undetermined(R->w[t].cs, k);
				if (u)
					wn_note(io, "rule '%s': %lu record%s passed it undecided (field missing or too coarse)",
						wn_criteria_name(crit, k), u, u == 1 ? "" : "s");
			}
	}
	if (rc == WN_EXIT_OK && R->c.skipped)
		wn_warning(io, "%lu line%s skipped (not records; counted in the ledger); --strict makes this an error",
			   R->c.skipped, R->c.skipped == 1 ? "" : "s");
done:
	if (R) {
		if (out_open)
			wn_output_abort(&R->out);
		if (R->have_excl)
			wn_output_abort(&R->excl);
		for (t = 0; t < MAX_THREADS; t++) {
			struct worker *w = &R->w[t];
			if (w->tok)
				json_tokener_free(w->tok);
			wn_qmatch_state_free(w->qs);
			wn_criteria_state_free(w->cs);
			wn_free(w->failed);
			if (w->sh)
				wn_buf_release(&w->out);
		}
		wn_buf_release(&R->batch);
		wn_free(R->loff);
		wn_free(R->llen);
		wn_free(R->lno);
		wn_free(R->lname);
		wn_free(R->res);
		json_object_put(R->c.excl_auto);
		json_object_put(R->c.excl_other);
		json_object_put(R->c.skip_reasons);
		wn_free(R);
	}
	if (led.entry)
		wn_ledger_release(&led);
	wn_qdiags_release(&notes);
	wn_qmatch_free(qm);
	wn_query_free(q);
	wn_criteria_free(crit);
	wn_mesh_free(mesh);
	wn_free(qtext);
	wn_free(ctext);
	return rc;
}

/*
 * pubmed.c - fetching a PubMed search completely (see eutils.h, layer 3).
 *
 * The run in four steps:
 *   1. search: esearch with usehistory=y and retmax = the slice limit, so one request
 *      gives the Count, the history (WebEnv, query_key) and, when it fits, every PMID.
 *      Above the limit the search is split into PMID ranges, "(QUERY) AND lo:hi[uid]",
 *      until each range's hits fit: at the smallest PMID the range's search listed
 *      (the listed hits are the newest, so the part above it usually fits at once), or
 *      in halves when that would not shrink the range much. Each final range (a "leaf")
 *      has its own history and PMID list. The leaves must add up to the Count.
 *   2. fetch: efetch pages of `batch` records over each leaf's history, the next pages
 *      requested on a worker thread while one is parsed (prefetch.h). Every page is
 *      checked against the PMIDs the leaf listed for it; a short page is re-fetched by
 *      id as soon as the leaf's pages are in.
 *   3. reconcile: PMIDs still missing get one more try by id at the end; whatever never
 *      came back is reported by PMID and the result is marked incomplete.
 *   4. with a raw directory, every response is saved before its records are delivered,
 *      the plan (the leaves) once the search is done, and a "done" line at the end.
 *
 * Resume: a raw directory with a plan is continued without searching again (the
 * original search, its time and Count stand): the saved pages are replayed (their
 * records delivered again, so the new output is complete by itself) and the PMIDs not
 * yet delivered are fetched by id, which does not depend on a WebEnv that may have
 * expired. A directory without a plan had not got past the search and starts over.
 *
 * De-duplication by PMID happens in the import session's filter (wn_rawdir_dedupe),
 * the same one an offline replay uses, so both drop exactly the same records.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "idset.h"
#include "prefetch.h"
#include "rawdir.h"
#include "winnow/alloc.h"
#include "winnow/eutils.h"
#include "winnow/hash.h"
#include "winnow/jsonl.h"
#include "winnow/timefmt.h"

#define RANGE_TOP 999999999ULL /* above any PMID for years to come (they have 8 digits) */

struct leaf {
	uint64_t lo, hi;      /* PMID range; hi == 0: the whole search (not split) */
	uint64_t count;       /* the range's Count */
	uint64_t *ids;        /* its IdList */
	size_t nids;
	char *webenv, *query_key; /* NULL when fetching by id */
	char file[48];        /* its saved esearch response, "" if none */
};

struct run {
	struct wn_eutils *eu;
	const struct wn_pubmed_req *req;
	struct wn_import *imp;
	struct wn_pubmed_result *res;
	struct wn_rawdir rd;
	int have_rd;
	unsigned long seq;    /* number of the last response */
	unsigned batch;
	uint64_t slice_max;
	struct leaf *leaves;
	size_t nleaves, leafcap;
	struct wn_idset expected, delivered;
	uint64_t *pending;    /* PMIDs still missing after their page's re-fetch */
	size_t npending, pendcap;
	int replaying;        /* records come from the raw directory */
	struct wn_err ferr;   /* an allocation failure inside the filter */
	struct wn_buf form;
	json_object *request; /* identity of the run (raw directory header) */
};

void wn_pubmed_result_init(struct wn_pubmed_result *r)
{
	memset(r, 0, sizeof(*r));
}

void wn_pubmed_result_release(struct wn_pubmed_result *r)
{
	wn_free(r->translation);
	wn_free(r->missing);
	json_object_put(r->warnings);
	json_object_put(r->slices);
	wn_pubmed_result_init(r);
}

static void diag(struct run *run, enum wn_diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void diag(struct run *run, enum wn_diag_level level, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!run->req->diag)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	run->req->diag(run->req->diag_data, level, msg);
}

static int oom(struct wn_err *err)
{
	return wn_err_set(err, WN_ENOMEM, "out of memory");
}

static int push_u64(uint64_t **a, size_t *n, size_t *cap, uint64_t v, struct wn_err *err)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		void *p = wn_reallocarray(*a, c, sizeof(**a));
		if (!p)
			return oom(err);
		*a = p;
		*cap = c;
	}
	(*a)[(*n)++] = v;
	return 0;
}

static const char *live_filter(void *data, json_object *rec)
{
	struct run *run = data;
	uint64_t pmid;
	int fresh;
	const char *why = wn_rawdir_dedupe(&run->delivered, rec, &pmid, &fresh, &run->ferr);

	if (why)
		return why;
	run->res->delivered++;
	if (run->replaying)
		run->res->replayed++;
	if (fresh && !wn_idset_has(&run->expected, pmid))
		run->res->unexpected++;
	return NULL;
}

static void progress(struct run *run)
{
	if (run->req->progress)
		run->req->progress(run->req->progress_data, run->res->delivered,
				   run->res->listed > run->res->count ? run->res->listed : run->res->count);
}

/* ---- requests ---- */

static int form_u64(struct wn_buf *f, const char *key, uint64_t v, struct wn_err *err)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return wn_http_form_add(f, key, num, err);
}

static int add_limits(struct run *run, struct wn_err *err)
{
	const struct wn_pubmed_req *q = run->req;

	if (q->datetype && wn_http_form_add(&run->form, "datetype", q->datetype, err) < 0)
		return -1;
	if (q->mindate && wn_http_form_add(&run->form, "mindate", q->mindate, err) < 0)
		return -1;
	if (q->maxdate && wn_http_form_add(&run->form, "maxdate", q->maxdate, err) < 0)
		return -1;
	return 0;
}

/* One esearch of `term`; the response is saved (when there is a raw directory) and
 * parsed into es. `range` names the slice in the manifest (NULL for the search). */
static int do_esearch(struct run *run, const char *term, const char *range, struct wn_esearch *es,
		      char file[48], struct wn_err *err)
{
	const char *body;
	size_t len;

	wn_buf_reset(&run->form);
	if (wn_http_form_add(&run->form, "db", "pubmed", err) < 0 ||
	    wn_http_form_add(&run->form, "term", term, err) < 0 ||
	    wn_http_form_add(&run->form, "usehistory", "y", err) < 0 ||
	    form_u64(&run->form, "retmax", run->slice_max, err) < 0 ||
	    wn_http_form_add(&run->form, "retstart", "0", err) < 0 ||
	    add_limits(run, err) < 0)
		return -1;
	if (wn_eutils_call(run->eu, "esearch", run->form.data, WN_EXPECT_ESEARCH, &body, &len, err) < 0)
		return -1;
	run->seq++;
	wn_rawdir_name(file, run->seq, "esearch");
	if (run->have_rd) {
		json_object *e = json_object_new_object();
		if (!e || wn_json_put(e, "n", json_object_new_int64((int64_t)run->seq)) ||
		    wn_json_put(e, "kind", json_object_new_string("esearch")) ||
		    (range && wn_json_put(e, "range", json_object_new_string(range)))) {
			json_object_put(e);
			return oom(err);
		}
		if (wn_rawdir_save(&run->rd, file, body, len, e, err) < 0)
			return -1;
	}
	if (wn_esearch_parse(body, len, es, err) < 0) {
		/* it passed the checks yet cannot be read: the service is misbehaving */
		wn_err_prefix(err, "esearch");
		if (err)
			err->code = WN_ENET;
		return -1;
	}
	if (!es->has_count) {
		return wn_err_set(err, WN_ENET, "esearch: E-utilities reported an error: %s",
				  es->error ? es->error : "(no text)");
	}
	return 0;
}

/* Import one accepted efetch body (saving it first). */
static int take_efetch(struct run *run, const char *body, size_t len, json_object *entry,
		       struct wn_err *err)
{
	char file[48];

	run->seq++;
	wn_rawdir_name(file, run->seq, "efetch");
	if (run->have_rd) {
		if (wn_json_put(entry, "n", json_object_new_int64((int64_t)run->seq)) ||
		    wn_json_put(entry, "kind", json_object_new_string("efetch"))) {
			json_object_put(entry);
			return oom(err);
		}
		if (wn_rawdir_save(&run->rd, file, body, len, entry, err) < 0)
			return -1;
	} else {
		json_object_put(entry);
	}
	if (wn_rawdir_import(run->imp, file, body, len, err) < 0)
		return -1;
	if (run->ferr.code) {
		*err = run->ferr;
		return -1;
	}
	progress(run);
	return 0;
}

static int id_form(struct wn_buf *form, const uint64_t *ids, size_t n, struct wn_err *err);

/* efetch of explicit PMIDs, on this thread (a re-fetch of what a page lacked). */
static int efetch_ids(struct run *run, const uint64_t *ids, size_t n, struct wn_err *err)
{
	const char *body;
	size_t len;
	json_object *e;

	if (n == 0)
		return 0;
	if (id_form(&run->form, ids, n, err) < 0)
		return -1;
	if (wn_eutils_call(run->eu, "efetch", run->form.data, WN_EXPECT_PUBMED_XML, &body, &len, err) < 0)
		return -1;
	e = json_object_new_object();
	if (!e || wn_json_put(e, "ids", json_object_new_int64((int64_t)n))) {
		json_object_put(e);
		return oom(err);
	}
	return take_efetch(run, body, len, e, err);
}

/* The PMIDs of ids[0..n) not delivered yet, into *out (reset first). */
static int not_delivered(struct run *run, const uint64_t *ids, size_t n, uint64_t **out,
			 size_t *nout, size_t *cap, struct wn_err *err)
{
	size_t i;

	*nout = 0;
	for (i = 0; i < n; i++)
		if (!wn_idset_has(&run->delivered, ids[i]) && push_u64(out, nout, cap, ids[i], err) < 0)
			return -1;
	return 0;
}

/* After a page that should have held ids[0..n): re-fetch what is missing once, right
 * away (short pages are usually transient), and queue what is still missing. */
static int check_page(struct run *run, const uint64_t *ids, size_t n, struct wn_err *err)
{
	uint64_t *miss = NULL;
	size_t nmiss = 0, cap = 0, i;
	int rc = not_delivered(run, ids, n, &miss, &nmiss, &cap, err);

	if (rc == 0 && nmiss) {
		diag(run, WN_DIAG_NOTE, "efetch returned %zu of %zu records of a page; fetching the %zu missing by PMID",
		     n - nmiss, n, nmiss);
		rc = efetch_ids(run, miss, nmiss, err);
		if (rc == 0)
			rc = not_delivered(run, ids, n, &miss, &nmiss, &cap, err);
		for (i = 0; rc == 0 && i < nmiss; i++)
			rc = push_u64(&run->pending, &run->npending, &run->pendcap, miss[i], err);
	}
	wn_free(miss);
	return rc;
}

/* A page to fetch: its form, its manifest entry, the PMIDs it should hold. */
struct page {
	char *form;
	json_object *entry;
	const uint64_t *expect;
	size_t nexpect;
};

static void free_pages(struct page *pages, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		wn_free(pages[i].form);
		json_object_put(pages[i].entry);
	}
	wn_free(pages);
}

/* Fetch the pages, the next ones requested on a worker thread while this one is parsed
 * (prefetch.h); then re-fetch, by id, what the short pages lacked. */
static int run_pages(struct run *run, struct page *pages, size_t n, struct wn_err *err)
{
	char **forms = n ? wn_calloc(n, sizeof(*forms)) : NULL;
	unsigned char *isshort = n ? wn_calloc(n, 1) : NULL;
	struct wn_prefetch *pf = NULL;
	size_t i;
	int rc = 0;

	if (n && (!forms || !isshort)) {
		rc = oom(err);
		goto out;
	}
	for (i = 0; i < n; i++)
		forms[i] = pages[i].form;
	if (n && !(pf = wn_prefetch_start(run->eu, "efetch", forms, n, WN_EXPECT_PUBMED_XML, err))) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < n && rc == 0; i++) {
		const char *body;
		size_t len, j;
		json_object *e = pages[i].entry;

		rc = wn_prefetch_next(pf, &body, &len, err);
		if (rc < 0)
			break;
		pages[i].entry = NULL;
		rc = take_efetch(run, body, len, e, err);
		for (j = 0; rc == 0 && j < pages[i].nexpect && !isshort[i]; j++)
			if (!wn_idset_has(&run->delivered, pages[i].expect[j]))
				isshort[i] = 1;
	}
	wn_prefetch_finish(pf);
	/* the client is ours again: make the short pages good */
	for (i = 0; i < n && rc == 0; i++)
		if (isshort[i])
			rc = check_page(run, pages[i].expect, pages[i].nexpect, err);
out:
	wn_free(forms);
	wn_free(isshort);
	return rc;
}

static int id_form(struct wn_buf *form, const uint64_t *ids, size_t n, struct wn_err *err)
{
	struct wn_buf idlist;
	size_t i;
	int rc = 0;

	wn_buf_init(&idlist, 0);
	for (i = 0; i < n && rc == 0; i++)
		rc = wn_buf_addf(&idlist, err, "%s%llu", i ? "," : "", (unsigned long long)ids[i]);
	wn_buf_reset(form);
	if (rc == 0)
		rc = wn_http_form_add(form, "db", "pubmed", err);
	if (rc == 0)
		rc = wn_http_form_add(form, "id", idlist.data, err);
	if (rc == 0)
		rc = wn_http_form_add(form, "retmode", "xml", err);
	wn_buf_release(&idlist);
	return rc;
}

/* Fetch ids[0..n) by id in pages of `batch`. */
static int fetch_by_id(struct run *run, const uint64_t *ids, size_t n, struct wn_err *err)
{
	size_t np = (n + run->batch - 1) / run->batch, i;
	struct page *pages = np ? wn_calloc(np, sizeof(*pages)) : NULL;
	struct wn_buf f;
	int rc = 0;

	if (np && !pages)
		return oom(err);
	wn_buf_init(&f, 0);
	for (i = 0; i < np && rc == 0; i++) {
		size_t at = i * run->batch, k = n - at < run->batch ? n - at : run->batch;
		pages[i].expect = ids + at;
		pages[i].nexpect = k;
		rc = id_form(&f, ids + at, k, err);
		if (rc == 0 && !(pages[i].form = wn_strndup(f.data, f.len)))
			rc = oom(err);
		if (rc == 0 && (!(pages[i].entry = json_object_new_object()) ||
				wn_json_put(pages[i].entry, "ids", json_object_new_int64((int64_t)k))))
			rc = oom(err);
	}
	wn_buf_release(&f);
	if (rc == 0)
		rc = run_pages(run, pages, np, err);
	free_pages(pages, np);
	return rc;
}

/* Fetch a leaf over its history: pages by retstart. */
static int fetch_leaf_history(struct run *run, size_t li, struct wn_err *err)
{
	struct leaf *lf = &run->leaves[li];
	size_t np = (size_t)((lf->count + run->batch - 1) / run->batch), i;
	struct page *pages = np ? wn_calloc(np, sizeof(*pages)) : NULL;
	int rc = 0;

	if (np && !pages)
		return oom(err);
	for (i = 0; i < np && rc == 0; i++) {
		uint64_t start = (uint64_t)i * run->batch;
		json_object *e;

		wn_buf_reset(&run->form);
		if (wn_http_form_add(&run->form, "db", "pubmed", err) < 0 ||
		    wn_http_form_add(&run->form, "query_key", lf->query_key, err) < 0 ||
		    wn_http_form_add(&run->form, "WebEnv", lf->webenv, err) < 0 ||
		    form_u64(&run->form, "retstart", start, err) < 0 ||
		    form_u64(&run->form, "retmax", run->batch, err) < 0 ||
		    wn_http_form_add(&run->form, "retmode", "xml", err) < 0) {
			rc = -1;
			break;
		}
		if (!(pages[i].form = wn_strndup(run->form.data, run->form.len))) {
			rc = oom(err);
			break;
		}
		e = pages[i].entry = json_object_new_object();
		if (!e || wn_json_put(e, "leaf", json_object_new_int64((int64_t)li)) ||
		    wn_json_put(e, "retstart", json_object_new_int64((int64_t)start)) ||
		    wn_json_put(e, "retmax", json_object_new_int64((int64_t)run->batch))) {
			rc = oom(err);
			break;
		}
		if (start < lf->nids) {
			pages[i].expect = lf->ids + start;
			pages[i].nexpect = lf->nids - start < run->batch ? lf->nids - (size_t)start : run->batch;
		}
	}
	if (rc == 0)
		rc = run_pages(run, pages, np, err);
	free_pages(pages, np);
	return rc;
}

/* ---- the search and its split ---- */

static struct leaf *new_leaf(struct run *run, struct wn_err *err)
{
	if (run->nleaves == run->leafcap) {
		size_t cap = run->leafcap ? run->leafcap * 2 : 8;
		void *p = wn_reallocarray(run->leaves, cap, sizeof(*run->leaves));
		if (!p) {
			oom(err);
			return NULL;
		}
		run->leaves = p;
		run->leafcap = cap;
	}
	memset(&run->leaves[run->nleaves], 0, sizeof(*run->leaves));
	return &run->leaves[run->nleaves++];
}

/* Move the esearch's PMIDs and history into a leaf. */
static void steal(struct leaf *lf, struct wn_esearch *es)
{
	lf->count = es->count;
	lf->ids = es->ids;
	lf->nids = es->nids;
	lf->webenv = es->webenv;
	lf->query_key = es->query_key;
	es->ids = NULL;
	es->nids = es->idcap = 0;
	es->webenv = es->query_key = NULL;
}

static int add_expected(struct run *run, const struct leaf *lf, struct wn_err *err)
{
	size_t i;

	for (i = 0; i < lf->nids; i++)
		if (wn_idset_add(&run->expected, lf->ids[i], err) < 0)
			return -1;
	return 0;
}

/* Split [lo, hi] until every part has at most slice_max hits; leaves in PMID order. */
static int split(struct run *run, uint64_t lo, uint64_t hi, int depth, struct wn_err *err)
{
	struct wn_buf term;
	struct wn_esearch es;
	char range[48], file[48];
	int rc;

	if (depth > 64)
		return wn_err_set(err, WN_ENET, "esearch: the PMID ranges do not converge (the counts keep changing)");
	snprintf(range, sizeof(range), "%llu:%llu", (unsigned long long)lo, (unsigned long long)hi);
	wn_buf_init(&term, 0);
	wn_esearch_init(&es);
	rc = wn_buf_addf(&term, err, "(%s) AND %s[uid]", run->req->query, range);
	if (rc == 0)
		rc = do_esearch(run, term.data, range, &es, file, err);
	wn_buf_release(&term);
	if (rc == 0 && es.count > run->slice_max) {
		uint64_t mid = lo + (hi - lo) / 2, least = UINT64_MAX;
		size_t i;
		/* PubMed lists the newest hits first, which is close to the highest PMIDs: the
		 * smallest PMID listed is then a split point whose upper part fits in one
		 * slice. Used only when it makes real progress; otherwise halve the range. */
		for (i = 0; i < es.nids; i++)
			if (es.ids[i] >= lo && es.ids[i] <= hi && es.ids[i] < least)
				least = es.ids[i];
		if (least != UINT64_MAX && least > lo && least - lo > (hi - lo) / 16)
			mid = least - 1;
		if (lo == hi)
			rc = wn_err_set(err, WN_ENET, "esearch: PMID %s has %llu hits", range,
					(unsigned long long)es.count);
		else if ((rc = split(run, lo, mid, depth + 1, err)) == 0)
			rc = split(run, mid + 1, hi, depth + 1, err);
	} else if (rc == 0 && es.count > 0) {
		struct leaf *lf = new_leaf(run, err);
		if (!lf) {
			rc = -1;
		} else {
			lf->lo = lo;
			lf->hi = hi;
			memcpy(lf->file, file, sizeof(file));
			steal(lf, &es);
			rc = add_expected(run, lf, err);
		}
	}
	wn_esearch_release(&es);
	return rc;
}

static int report_search(struct run *run, struct wn_esearch *es, struct wn_err *err)
{
	struct wn_pubmed_result *res = run->res;
	size_t i;
	int serious = 0;

	if (es->translation && !(res->translation = wn_strdup(es->translation)))
		return oom(err);
	diag(run, WN_DIAG_NOTE, "PubMed searched: %s", es->translation ? es->translation : "(no translation given)");
	diag(run, WN_DIAG_NOTE, "%llu record%s found", (unsigned long long)es->count, es->count == 1 ? "" : "s");
	for (i = 0; i < es->nmsgs; i++) {
		const struct wn_esearch_msg *m = &es->msgs[i];
		json_object *w;
		int s = wn_esearch_msg_serious(m);
		serious |= s;
		diag(run, s ? WN_DIAG_WARNING : WN_DIAG_NOTE, "PubMed %s: %s: %s",
		     strcmp(m->list, "ErrorList") == 0 ? "error" : "warning", m->type, m->text);
		if (!res->warnings && !(res->warnings = json_object_new_array()))
			return oom(err);
		w = json_object_new_object();
		if (!w || json_object_array_add(res->warnings, w) ||
		    wn_json_put(w, "list", json_object_new_string(m->list)) ||
		    wn_json_put(w, "type", json_object_new_string(m->type)) ||
		    wn_json_put(w, "text", json_object_new_string(m->text)))
			return oom(err);
	}
	if (serious && !run->req->allow_warnings) {
		res->stopped = 1;
		return wn_err_set(err, WN_EFORMAT,
				  "PubMed did not search the query as written (see above); correct the query, or pass --allow-warnings to fetch what it found");
	}
	return 0;
}

static int search(struct run *run, struct wn_err *err)
{
	struct wn_pubmed_result *res = run->res;
	struct wn_esearch es;
	char file[48];
	size_t i;
	int rc;

	wn_esearch_init(&es);
	wn_time_iso(wn_time_now(), res->searched);
	rc = do_esearch(run, run->req->query, NULL, &es, file, err);
	if (rc == 0) {
		res->count = es.count;
		rc = report_search(run, &es, err);
	}
	if (rc == 0 && es.count <= run->slice_max) {
		struct leaf *lf = es.count ? new_leaf(run, err) : NULL;
		if (es.count && !lf) {
			rc = -1;
		} else if (lf) {
			memcpy(lf->file, file, sizeof(file));
			steal(lf, &es);
			rc = add_expected(run, lf, err);
		}
	} else if (rc == 0) {
		uint64_t top = 0;
		/* the first ids are the newest: their maximum bounds the first range, and
		 * a second range catches anything above it */
		for (i = 0; i < es.nids; i++)
			if (es.ids[i] > top)
				top = es.ids[i];
		if (top == 0 || top >= RANGE_TOP)
			top = RANGE_TOP - 1;
		diag(run, WN_DIAG_NOTE, "more than %llu hits: splitting the search into PMID ranges",
		     (unsigned long long)run->slice_max);
		rc = split(run, 1, top, 0, err);
		if (rc == 0)
			rc = split(run, top + 1, RANGE_TOP, 0, err);
	}
	wn_esearch_release(&es);
	return rc;
}

/* Check the leaves against the Count; fill listed and slices. */
static int check_leaves(struct run *run, struct wn_err *err)
{
	struct wn_pubmed_result *res = run->res;
	uint64_t sum = 0;
	size_t i;

	res->listed = 0;
	for (i = 0; i < run->nleaves; i++) {
		struct leaf *lf = &run->leaves[i];
		sum += lf->count;
		res->listed += lf->nids;
		if (lf->nids != lf->count)
			diag(run, WN_DIAG_WARNING, "esearch counted %llu hits%s%s but listed %zu PMIDs",
			     (unsigned long long)lf->count, lf->hi ? " in PMID range " : "",
			     lf->hi ? lf->file : "", lf->nids);
		if (lf->hi) {
			char range[48];
			json_object *s;
			snprintf(range, sizeof(range), "%llu:%llu", (unsigned long long)lf->lo,
				 (unsigned long long)lf->hi);
			if (!res->slices && !(res->slices = json_object_new_array()))
				return oom(err);
			s = json_object_new_object();
			if (!s || json_object_array_add(res->slices, s) ||
			    wn_json_put(s, "range", json_object_new_string(range)) ||
			    wn_json_put(s, "count", json_object_new_int64((int64_t)lf->count)))
				return oom(err);
		}
	}
	if (run->req->query && sum != res->count)
		diag(run, WN_DIAG_WARNING,
		     "the PMID-range slices add up to %llu records but the search counted %llu (PubMed changed during the search?); the result cannot be complete",
		     (unsigned long long)sum, (unsigned long long)res->count);
	return 0;
}

static int write_plan(struct run *run, struct wn_err *err)
{
	json_object *p = json_object_new_object(), *leaves = json_object_new_array();
	size_t i;

	if (!p || !leaves || wn_json_put(p, "kind", json_object_new_string("plan")) ||
	    wn_json_put(p, "searched", json_object_new_string(run->res->searched)) ||
	    wn_json_put(p, "count", json_object_new_int64((int64_t)run->res->count)) ||
	    (run->res->translation &&
	     wn_json_put(p, "translation", json_object_new_string(run->res->translation))) ||
	    (run->res->warnings && wn_json_put(p, "warnings", json_object_get(run->res->warnings))) ||
	    wn_json_put(p, "leaves", json_object_get(leaves)))
		goto fail;
	for (i = 0; i < run->nleaves; i++) {
		struct leaf *lf = &run->leaves[i];
		json_object *l = json_object_new_object();
		if (!l || json_object_array_add(leaves, l) ||
		    wn_json_put(l, "count", json_object_new_int64((int64_t)lf->count)) ||
		    (lf->file[0] && wn_json_put(l, "file", json_object_new_string(lf->file))))
			goto fail;
		if (lf->hi) {
			char range[48];
			snprintf(range, sizeof(range), "%llu:%llu", (unsigned long long)lf->lo,
				 (unsigned long long)lf->hi);
			if (wn_json_put(l, "range", json_object_new_string(range)))
				goto fail;
		}
	}
	json_object_put(leaves);
	return wn_rawdir_append(&run->rd, p, err);
fail:
	json_object_put(leaves);
	json_object_put(p);
	return oom(err);
}

/* ---- resume ---- */

static json_object *find_line(struct wn_rawdir *rd, const char *kind)
{
	size_t i, n = json_object_array_length(rd->lines);

	for (i = 1; i < n; i++) {
		json_object *e = json_object_array_get_idx(rd->lines, i);
		const char *k = wn_rawdir_str(e, "kind");
		if (k && strcmp(k, kind) == 0)
			return e;
	}
	return NULL;
}

static int parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	const char *colon = s ? strchr(s, ':') : NULL;

	if (!colon || wn_pmid_parse(s, (size_t)(colon - s), lo) < 0 ||
	    wn_pmid_parse(colon + 1, strlen(colon + 1), hi) < 0)
		return -1;
	return 0;
}

/* Rebuild the leaves and the result's search facts from the plan. */
static int load_plan(struct run *run, json_object *plan, struct wn_err *err)
{
	struct wn_pubmed_result *res = run->res;
	json_object *leaves, *v;
	struct wn_buf body;
	size_t i, n;
	int rc = 0;

	snprintf(res->searched, sizeof(res->searched), "%s",
		 wn_rawdir_str(plan, "searched") ? wn_rawdir_str(plan, "searched") : "");
	res->count = (uint64_t)wn_rawdir_int(plan, "count", 0);
	if (wn_rawdir_str(plan, "translation") &&
	    !(res->translation = wn_strdup(wn_rawdir_str(plan, "translation"))))
		return oom(err);
	if (json_object_object_get_ex(plan, "warnings", &v))
		res->warnings = json_object_get(v);
	if (!json_object_object_get_ex(plan, "leaves", &leaves) ||
	    !json_object_is_type(leaves, json_type_array))
		return wn_err_set(err, WN_ECORRUPT, "'%s/%s': the plan has no leaves", run->rd.dir,
				  WN_RAWDIR_MANIFEST);
	wn_buf_init(&body, 0);
	n = json_object_array_length(leaves);
	for (i = 0; i < n && rc == 0; i++) {
		json_object *l = json_object_array_get_idx(leaves, i), *entry;
		const char *file = wn_rawdir_str(l, "file");
		struct wn_esearch es;
		struct leaf *lf;

		if (!file) {
			rc = wn_err_set(err, WN_ECORRUPT, "'%s/%s': a leaf of the plan names no esearch response",
					run->rd.dir, WN_RAWDIR_MANIFEST);
			break;
		}
		/* the leaf's saved esearch response holds its PMIDs */
		entry = json_object_new_object();
		if (!entry || wn_json_put(entry, "file", json_object_new_string(file))) {
			json_object_put(entry);
			rc = oom(err);
			break;
		}
		{
			size_t j, m = json_object_array_length(run->rd.lines);
			for (j = 1; j < m; j++) {
				json_object *e = json_object_array_get_idx(run->rd.lines, j);
				const char *f = wn_rawdir_str(e, "file");
				if (f && strcmp(f, file) == 0) {
					json_object_put(entry);
					entry = json_object_get(e);
					break;
				}
			}
		}
		wn_esearch_init(&es);
		rc = wn_rawdir_load(&run->rd, entry, &body, err);
		json_object_put(entry);
		if (rc == 0 && wn_esearch_parse(body.data, body.len, &es, err) < 0) {
			wn_err_prefix(err, "'%s/%s'", run->rd.dir, file);
			if (err)
				err->code = WN_ECORRUPT;
			rc = -1;
		}
		if (rc == 0 && !(lf = new_leaf(run, err)))
			rc = -1;
		if (rc == 0) {
			snprintf(lf->file, sizeof(lf->file), "%s", file);
			if (wn_rawdir_str(l, "range") && parse_range(wn_rawdir_str(l, "range"), &lf->lo, &lf->hi) < 0)
				rc = wn_err_set(err, WN_ECORRUPT, "'%s/%s': bad range in the plan", run->rd.dir,
						WN_RAWDIR_MANIFEST);
			steal(lf, &es);
			/* fetched by id from here: the WebEnv may have expired */
			wn_free(lf->webenv);
			wn_free(lf->query_key);
			lf->webenv = lf->query_key = NULL;
			if (rc == 0)
				rc = add_expected(run, lf, err);
		}
		wn_esearch_release(&es);
	}
	wn_buf_release(&body);
	return rc;
}

/* Deliver the records of every saved efetch response again. */
static int replay_saved(struct run *run, struct wn_err *err)
{
	struct wn_buf body;
	size_t i, n = json_object_array_length(run->rd.lines);
	int rc = 0;

	wn_buf_init(&body, 0);
	run->replaying = 1;
	for (i = 1; i < n && rc == 0; i++) {
		json_object *e = json_object_array_get_idx(run->rd.lines, i);
		const char *kind = wn_rawdir_str(e, "kind");
		if (!kind || strcmp(kind, "efetch") != 0)
			continue;
		rc = wn_rawdir_load(&run->rd, e, &body, err);
		if (rc == 0)
			rc = wn_rawdir_import(run->imp, wn_rawdir_str(e, "file"), body.data, body.len, err);
		if (rc == 0 && run->ferr.code) {
			*err = run->ferr;
			rc = -1;
		}
	}
	run->replaying = 0;
	wn_buf_release(&body);
	if (rc == 0)
		progress(run);
	return rc;
}

/* ---- the run ---- */

static json_object *make_request(const struct wn_pubmed_req *req, struct wn_err *err)
{
	json_object *r = json_object_new_object();
	int bad = !r || wn_json_put(r, "db", json_object_new_string("pubmed"));

	if (!bad && req->query)
		bad = wn_json_put(r, "query", json_object_new_string(req->query));
	if (!bad && !req->query) {
		char hex[17];
		wn_hash_hex(wn_hash64(req->pmids, req->npmids * sizeof(*req->pmids)), hex);
		bad = wn_json_put(r, "pmids", json_object_new_int64((int64_t)req->npmids)) ||
		      wn_json_put(r, "pmids_xxh64", json_object_new_string(hex));
	}
	if (!bad && req->mindate)
		bad = wn_json_put(r, "mindate", json_object_new_string(req->mindate));
	if (!bad && req->maxdate)
		bad = wn_json_put(r, "maxdate", json_object_new_string(req->maxdate));
	if (!bad && req->datetype)
		bad = wn_json_put(r, "datetype", json_object_new_string(req->datetype));
	if (bad) {
		json_object_put(r);
		oom(err);
		return NULL;
	}
	return r;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Final accounting: one more try for what is missing, then the list of the rest. */
static int reconcile(struct run *run, int fetch_more, struct wn_err *err)
{
	struct wn_pubmed_result *res = run->res;
	uint64_t *miss = NULL;
	size_t nmiss = 0, cap = 0, i;
	uint64_t sum = 0;

	if (fetch_more && run->npending) {
		if (not_delivered(run, run->pending, run->npending, &miss, &nmiss, &cap, err) < 0)
			goto fail;
		if (nmiss) {
			diag(run, WN_DIAG_NOTE, "asking once more for %zu record%s efetch did not return",
			     nmiss, nmiss == 1 ? "" : "s");
			for (i = 0; i < nmiss; i += run->batch) {
				size_t k = nmiss - i < run->batch ? nmiss - i : run->batch;
				if (efetch_ids(run, miss + i, k, err) < 0)
					goto fail;
			}
		}
	}
	nmiss = 0;
	for (i = 0; i < run->nleaves; i++) {
		size_t j;
		sum += run->leaves[i].count;
		for (j = 0; j < run->leaves[i].nids; j++)
			if (!wn_idset_has(&run->delivered, run->leaves[i].ids[j]) &&
			    push_u64(&miss, &nmiss, &cap, run->leaves[i].ids[j], err) < 0)
				goto fail;
	}
	if (nmiss)
		qsort(miss, nmiss, sizeof(*miss), cmp_u64);
	/* a PMID listed by two leaves (it cannot be, but be sure) is reported once */
	if (nmiss) {
		size_t w = 1;
		for (i = 1; i < nmiss; i++)
			if (miss[i] != miss[w - 1])
				miss[w++] = miss[i];
		nmiss = w;
	}
	res->missing = miss;
	res->nmissing = nmiss;
	res->complete = nmiss == 0 && res->listed == res->count && (!run->req->query || sum == res->count);
	if (nmiss) {
		struct wn_buf list;
		wn_buf_init(&list, 4096);
		for (i = 0; i < nmiss && i < 20; i++)
			wn_buf_addf(&list, NULL, "%s%llu", i ? ", " : "", (unsigned long long)miss[i]);
		diag(run, WN_DIAG_WARNING,
		     "%zu of %llu PMIDs the search listed never came back from efetch (deleted or withdrawn records?): %s%s",
		     nmiss, (unsigned long long)res->listed, list.data, nmiss > 20 ? ", ... (all in the ledger)" : "");
		wn_buf_release(&list);
	}
	if (res->unexpected)
		diag(run, WN_DIAG_NOTE, "%llu record%s came back that the search had not listed (delivered)",
		     (unsigned long long)res->unexpected, res->unexpected == 1 ? "" : "s");
	return 0;
fail:
	wn_free(miss);
	return -1;
}

static int write_done(struct run *run, struct wn_err *err)
{
	json_object *d = json_object_new_object(), *m = json_object_new_array();
	size_t i;

	if (!d || !m || wn_json_put(d, "kind", json_object_new_string("done")) ||
	    wn_json_put(d, "count", json_object_new_int64((int64_t)run->res->count)) ||
	    wn_json_put(d, "delivered", json_object_new_int64((int64_t)run->res->delivered)) ||
	    wn_json_put(d, "missing", json_object_get(m)))
		goto fail;
	for (i = 0; i < run->res->nmissing; i++)
		if (wn_json_push(m, json_object_new_int64((int64_t)run->res->missing[i])))
			goto fail;
	json_object_put(m);
	return wn_rawdir_append(&run->rd, d, err);
fail:
	json_object_put(m);
	json_object_put(d);
	return oom(err);
}

static int pmids_leaf(struct run *run, struct wn_err *err)
{
	struct leaf *lf;
	size_t i;

	run->res->count = 0;
	if (!run->req->npmids)
		return 0;
	if (!(lf = new_leaf(run, err)))
		return -1;
	/* the list without repeats, in the order given */
	lf->ids = wn_reallocarray(NULL, run->req->npmids, sizeof(*lf->ids));
	if (!lf->ids)
		return oom(err);
	for (i = 0; i < run->req->npmids; i++) {
		int added = wn_idset_add(&run->expected, run->req->pmids[i], err);
		if (added < 0)
			return -1;
		if (added)
			lf->ids[lf->nids++] = run->req->pmids[i];
	}
	lf->count = lf->nids;
	run->res->count = lf->nids;
	return 0;
}

static void run_release(struct run *run)
{
	size_t i;

	for (i = 0; i < run->nleaves; i++) {
		wn_free(run->leaves[i].ids);
		wn_free(run->leaves[i].webenv);
		wn_free(run->leaves[i].query_key);
	}
	wn_free(run->leaves);
	wn_free(run->pending);
	wn_idset_release(&run->expected);
	wn_idset_release(&run->delivered);
	wn_buf_release(&run->form);
	json_object_put(run->request);
	if (run->have_rd)
		wn_rawdir_close(&run->rd);
}

int wn_pubmed_fetch(struct wn_eutils *eu, const struct wn_pubmed_req *req,
		    struct wn_import *imp, struct wn_pubmed_result *res, struct wn_err *err)
{
	struct run run;
	json_object *plan = NULL, *done = NULL;
	int rc = 0, resumed = 0;
	size_t i;

	memset(&run, 0, sizeof(run));
	run.eu = eu;
	run.req = req;
	run.imp = imp;
	run.res = res;
	run.batch = req->batch ? req->batch : WN_EUTILS_DEFAULT_BATCH;
	run.slice_max = req->slice_max ? req->slice_max : WN_EUTILS_MAX_HITS;
	wn_idset_init(&run.expected);
	wn_idset_init(&run.delivered);
	wn_buf_init(&run.form, 0);
	wn_err_clear(&run.ferr);
	if (!req->query && (!req->pmids || !req->npmids))
		return wn_err_set(err, WN_EUSAGE, "nothing to fetch: no query and no PMIDs");
	if (run.batch > 10000)
		return wn_err_set(err, WN_EUSAGE, "efetch takes at most 10,000 records per request");
	if (!(run.request = make_request(req, err)))
		return -1;
	wn_import_set_filter(imp, live_filter, &run);
	if (req->save_raw) {
		char now[32];
		wn_time_iso(wn_time_now(), now);
		run.have_rd = 1;
		rc = wn_rawdir_create(&run.rd, req->save_raw, run.request, now, &resumed, err);
		if (rc == 0 && resumed) {
			plan = find_line(&run.rd, "plan");
			done = find_line(&run.rd, "done");
			if (!plan)
				rc = wn_rawdir_restart(&run.rd, run.request, now, err);
			else
				run.seq = run.rd.seq;
		}
	}
	if (rc == 0 && plan) {
		res->resumed = 1;
		diag(&run, WN_DIAG_NOTE, "continuing the fetch saved in '%s' (searched %s)", req->save_raw,
		     wn_rawdir_str(plan, "searched") ? wn_rawdir_str(plan, "searched") : "?");
		rc = req->query ? load_plan(&run, plan, err) : pmids_leaf(&run, err);
		if (rc == 0 && !req->query)
			snprintf(res->searched, sizeof(res->searched), "%s",
				 wn_rawdir_str(plan, "searched") ? wn_rawdir_str(plan, "searched") : "");
		if (rc == 0)
			rc = check_leaves(&run, err);
		if (rc == 0)
			rc = replay_saved(&run, err);
		for (i = 0; rc == 0 && !done && i < run.nleaves; i++) {
			uint64_t *todo = NULL;
			size_t ntodo = 0, cap = 0;
			rc = not_delivered(&run, run.leaves[i].ids, run.leaves[i].nids, &todo, &ntodo, &cap, err);
			if (rc == 0)
				rc = fetch_by_id(&run, todo, ntodo, err);
			wn_free(todo);
		}
	} else if (rc == 0) {
		if (req->query) {
			rc = search(&run, err);
		} else {
			wn_time_iso(wn_time_now(), res->searched);
			rc = pmids_leaf(&run, err);
		}
		if (rc == 0)
			rc = check_leaves(&run, err);
		if (rc == 0 && run.have_rd)
			rc = write_plan(&run, err);
		progress(&run);
		for (i = 0; rc == 0 && i < run.nleaves; i++) {
			if (run.leaves[i].webenv && run.leaves[i].query_key)
				rc = fetch_leaf_history(&run, i, err);
			else
				rc = fetch_by_id(&run, run.leaves[i].ids, run.leaves[i].nids, err);
		}
	}
	if (rc == 0)
		rc = reconcile(&run, !done, err);
	if (rc == 0 && run.have_rd && !done)
		rc = write_done(&run, err);
	wn_import_set_filter(imp, NULL, NULL);
	run_release(&run);
	return rc;
}

/*
 * flow.c - from ledger runs to the PRISMA 2020 counts (see prisma.h).
 *
 * The model (docs/ledger.md, "prisma"):
 *   identification  winnow-fetch runs: records per source; the source's kind (database,
 *                   register / website, organisation, citation, other) picks the branch.
 *   removed before  winnow-dedup runs: duplicates; winnow-screen filter runs: records
 *   screening       marked ineligible by automation tools (and "other reasons").
 *   screening       winnow-screen export --stage ta: records screened, excluded;
 *                   --stage ft: reports sought, not retrieved, assessed, excluded by
 *                   reason, included. Other-methods records have their own full-text
 *                   export (they are not screened by title and abstract in PRISMA).
 *
 * A stage run twice is counted once. What counts as "the same stage again":
 *   fetch   a file with the same size and XXH64 fingerprint as one imported before
 *           (whatever its name): its records are counted the first time only; the same
 *           PubMed query with the same limits: the later search is counted;
 *   dedup   the same input (same record count, same counts per source): the later run;
 *   filter  the same input (same record count) re-filtered: the later run;
 *   export  the same stage over the same decision logs: the later export.
 * Each case is reported, so nobody wonders where a run went.
 */
#include <stdio.h>
#include <string.h>
#include "prisma_int.h"
#include "winnow/alloc.h"

struct idxv {
	size_t *v;
	size_t n, cap;
};

/* Runs are visited in ledger order, so a repeat is always the last one pushed. */
static int idx_push(struct idxv *x, size_t i, struct wn_err *err)
{
	if (x->n && x->v[x->n - 1] == i)
		return 0;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 8;
		size_t *v = wn_reallocarray(x->v, cap, sizeof(*v));
		if (!v)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n++] = i;
	return 0;
}

const char *const prisma_kind_names[K__N] = {
	"database", "register", "website", "organisation", "citation", "other"
};
#define kind_names prisma_kind_names

int prisma_kind_of(const char *s)
{
	int k;

	if (!s)
		return K_DATABASE;
	for (k = 0; k < K__N; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return k;
	return -1;
}

struct flow {
	struct wn_prisma *p;
	struct wn_err *err;
	json_object *sources;       /* name -> {"kind", "records", "runs": [idx]} */
	struct idxv kind_runs[K__N];
	int64_t kind_total[K__N];
	struct idxv dedup, filter;
	int64_t dedup_in_first;     /* records_in of the only dedup run, -1 if not one run */
	int have_ta, have_ft, have_oft;
	struct prisma_export ta, ft, oft;
};


static struct prisma_run *R(struct flow *f, size_t i)
{
	return &f->p->runs->r[i];
}

static int where(struct flow *f, size_t i, struct wn_buf *b)
{
	wn_buf_reset(b);
	return prisma_where(R(f, i), b, f->err);
}

static int set_value(struct flow *f, enum wn_prisma_key k, int64_t n, const char *from)
{
	struct wn_prisma_value *v = &f->p->v[k];

	v->n = n;
	v->known = 1;
	prisma_set_from(v, from ? from : "");
	return 0;
}

static int set_value_runs(struct flow *f, enum wn_prisma_key k, int64_t n, const struct idxv *x,
			  const char *none)
{
	struct wn_buf b;
	int rc;

	if (x->n == 0)
		return set_value(f, k, n, none);
	wn_buf_init(&b, 0);
	rc = prisma_where_runs(f->p, x->v, x->n, &b, f->err);
	if (rc == 0)
		set_value(f, k, n, b.data);
	wn_buf_release(&b);
	return rc;
}

/* ---- which runs count ---- */

static int mark_candidates(struct flow *f)
{
	struct wn_prisma *p = f->p;
	size_t i;
	struct wn_buf b;
	int rc = 0;

	wn_buf_init(&b, 0);
	for (i = 0; i < p->runs->n && rc == 0; i++) {
		struct prisma_run *r = R(f, i);
		if (r->dup || r->kind == RUN_IGNORED)
			continue;
		if (r->status && strcmp(r->status, "failed") == 0) {
			if (where(f, i, &b) < 0 ||
			    wn_prisma_msg(p, WN_PRISMA_NOTE, f->err,
					  "%s failed: its counts are not used", b.data) < 0)
				rc = -1;
			continue;
		}
		if (r->status && strcmp(r->status, "partial") == 0) {
			if (where(f, i, &b) < 0 ||
			    wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
					  "%s finished only in part (status \"partial\"): its counts are used as recorded; check its warnings",
					  b.data) < 0)
				rc = -1;
		}
		r->used = 1;
	}
	wn_buf_release(&b);
	return rc;
}

/* ---- identification ---- */

static int pubmed_supersede(struct flow *f)
{
	struct wn_prisma *p = f->p;
	json_object *seen = json_object_new_object();
	struct wn_buf key, b1, b2;
	size_t i;
	int rc = 0;

	if (!seen)
		return wn_err_set(f->err, WN_ENOMEM, "out of memory");
	wn_buf_init(&key, 0);
	wn_buf_init(&b1, 0);
	wn_buf_init(&b2, 0);
	for (i = p->runs->n; i-- > 0 && rc == 0;) {
		struct prisma_run *r = R(f, i);
		const char *mode = pj_str(r->e, "mode"), *q = pj_str(r->e, "query");
		json_object *lim = pj_obj(r->e, "limits"), *prev;
		const char *lims;
		if (!r->used || r->kind != RUN_FETCH || !mode || strcmp(mode, "pubmed") || !q)
			continue;
		lims = lim ? pj_print(lim, JSON_C_TO_STRING_PLAIN, f->err) : "";
		wn_buf_reset(&key);
		if (!lims || wn_buf_addf(&key, f->err, "%s\n%s", q, lims) < 0) {
			rc = -1;
			break;
		}
		if (json_object_object_get_ex(seen, key.data, &prev)) {
			size_t later = (size_t)json_object_get_int64(prev);
			r->used = 0;
			r->superseded = 1;
			if (where(f, i, &b1) < 0 || where(f, later, &b2) < 0 ||
			    wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
					  "the PubMed search of %s was run again, with the same query and limits, at %s: only the later search is counted",
					  b1.data, b2.data) < 0)
				rc = -1;
			continue;
		}
		rc = pj_put(seen, key.data, json_object_new_int64((int64_t)i), f->err);
	}
	json_object_put(seen);
	wn_buf_release(&key);
	wn_buf_release(&b1);
	wn_buf_release(&b2);
	return rc;
}

/* Count n records of source `name` (kind from the run) found by run i. */
static int count_source(struct flow *f, size_t i, const char *name, int64_t n)
{
	json_object *rsrc = pj_obj(pj_obj(R(f, i)->e, "sources"), name);
	const char *kind_s = pj_str(rsrc, "kind");
	int kind = prisma_kind_of(kind_s);
	json_object *acc;
	struct wn_buf b;

	if (kind < 0) {
		wn_buf_init(&b, 0);
		if (where(f, i, &b) < 0 ||
		    wn_prisma_msg(f->p, WN_PRISMA_WARNING, f->err,
				  "%s gives source '%s' the kind '%s', which PRISMA does not know: counted as \"other\" (other methods)",
				  b.data, name, kind_s) < 0) {
			wn_buf_release(&b);
			return -1;
		}
		wn_buf_release(&b);
		kind = K_OTHER;
	}
	acc = pj_obj(f->sources, name);
	if (!acc) {
		acc = json_object_new_object();
		if (pj_put(f->sources, name, acc, f->err) < 0 ||
		    pj_put(acc, "kind", json_object_new_string(kind_names[kind]), f->err) < 0 ||
		    pj_put(acc, "records", json_object_new_int64(0), f->err) < 0 ||
		    pj_put(acc, "runs", json_object_new_array(), f->err) < 0)
			return -1;
	} else if (strcmp(pj_str(acc, "kind"), kind_names[kind]) != 0) {
		wn_buf_init(&b, 0);
		if (where(f, i, &b) < 0 ||
		    wn_prisma_msg(f->p, WN_PRISMA_WARNING, f->err,
				  "%s imports source '%s' as kind '%s', but an earlier run imported it as '%s': counted as '%s'",
				  b.data, name, kind_names[kind], pj_str(acc, "kind"), pj_str(acc, "kind")) < 0) {
			wn_buf_release(&b);
			return -1;
		}
		wn_buf_release(&b);
		kind = prisma_kind_of(pj_str(acc, "kind"));
	}
	if (pj_add(acc, "records", n, f->err) < 0)
		return -1;
	{
		/* runs come in ledger order: a repeat is the last entry */
		json_object *runs = pj_arr(acc, "runs");
		size_t len = json_object_array_length(runs);
		if ((!len || (size_t)json_object_get_int64(json_object_array_get_idx(runs, len - 1)) != i) &&
		    pj_push(runs, json_object_new_int64((int64_t)i), f->err) < 0)
			return -1;
	}
	f->kind_total[kind] += n;
	return idx_push(&f->kind_runs[kind], i, f->err);
}

/* The sources of one file entry (or of the whole run). */
static int count_sources_of(struct flow *f, size_t i, json_object *sources, int64_t records,
			    const char *file)
{
	int64_t counted = 0, n;
	json_object *run_sources = pj_obj(R(f, i)->e, "sources");

	if (sources) {
		json_object_object_foreach(sources, name, v) {
			/* per file: {"CINAHL": 12}; per run: {"CINAHL": {"kind", "records"}} */
			if (!pj_count(v, "records", &n) && !(json_object_is_type(v, json_type_int) &&
							     (n = json_object_get_int64(v)) >= 0))
				continue;
			if (count_source(f, i, name, n) < 0)
				return -1;
			counted += n;
		}
	}
	if (records > counted) {
		/* records without a source name: the run's only source, if it has one */
		const char *only = NULL;
		struct wn_buf b;
		if (run_sources && json_object_object_length(run_sources) == 1) {
			json_object_object_foreach(run_sources, name, v) {
				(void)v;
				only = name;
			}
		}
		if (only)
			return count_source(f, i, only, records - counted);
		wn_buf_init(&b, 0);
		if (where(f, i, &b) < 0 ||
		    wn_prisma_msg(f->p, WN_PRISMA_WARNING, f->err,
				  "%s: %lld records of '%s' name no source database: counted as source '(unnamed)'; import with --source NAME",
				  b.data, (long long)(records - counted), file ? file : "?") < 0) {
			wn_buf_release(&b);
			return -1;
		}
		wn_buf_release(&b);
		return count_source(f, i, "(unnamed)", records - counted);
	}
	return 0;
}

static int do_fetch(struct flow *f)
{
	struct wn_prisma *p = f->p;
	json_object *prints = json_object_new_object(); /* fingerprint -> "where" */
	struct wn_buf b, fp;
	size_t i;
	int rc = 0;

	if (!prints)
		return wn_err_set(f->err, WN_ENOMEM, "out of memory");
	if (pubmed_supersede(f) < 0) {
		json_object_put(prints);
		return -1;
	}
	wn_buf_init(&b, 0);
	wn_buf_init(&fp, 0);
	for (i = 0; i < p->runs->n && rc == 0; i++) {
		struct prisma_run *r = R(f, i);
		json_object *files = pj_arr(r->e, "files");
		int64_t records = 0;
		size_t k;

		if (!r->used || r->kind != RUN_FETCH)
			continue;
		pj_count(r->e, "records", &records);
		if (!files) {
			rc = count_sources_of(f, i, pj_obj(r->e, "sources"), records, NULL);
			continue;
		}
		for (k = 0; k < json_object_array_length(files) && rc == 0; k++) {
			json_object *fe = json_object_array_get_idx(files, k), *seen;
			const char *name = pj_str(fe, "file"), *xx = pj_str(fe, "xxh64");
			int64_t bytes = 0, frec = 0;
			pj_count(fe, "records", &frec);
			if (xx && pj_count(fe, "bytes", &bytes)) {
				wn_buf_reset(&fp);
				if (wn_buf_addf(&fp, f->err, "%s:%lld", xx, (long long)bytes) < 0) {
					rc = -1;
					break;
				}
				if (json_object_object_get_ex(prints, fp.data, &seen)) {
					if (where(f, i, &b) < 0 ||
					    wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
							  "'%s', imported by %s, has the same content as %s (same size, %lld bytes, and XXH64 %s): the same export was imported twice; its %lld records are counted once",
							  name ? name : "?", b.data, json_object_get_string(seen),
							  (long long)bytes, xx, (long long)frec) < 0)
						rc = -1;
					continue;
				}
				wn_buf_reset(&b);
				if (wn_buf_addf(&b, f->err, "'%s' imported by ", name ? name : "?") < 0 ||
				    prisma_where(r, &b, f->err) < 0 ||
				    pj_put(prints, fp.data, json_object_new_string(b.data), f->err) < 0) {
					rc = -1;
					break;
				}
			}
			rc = count_sources_of(f, i, pj_obj(fe, "sources"), frec, name);
		}
	}
	json_object_put(prints);
	wn_buf_release(&b);
	wn_buf_release(&fp);
	return rc;
}

/* ---- removed before screening ---- */

static int same_json(json_object *a, json_object *b)
{
	if (!a || !b)
		return !a && !b;
	/* not by printing: that allocates, and a failure would read as a difference */
	return json_object_equal(a, b);
}

/* Earlier runs of `kind` over the same input as a later one are superseded. */
static int supersede_reruns(struct flow *f, enum prisma_run_kind kind, const char *what)
{
	struct wn_prisma *p = f->p;
	struct wn_buf b1, b2;
	size_t i, j;
	int rc = 0;

	wn_buf_init(&b1, 0);
	wn_buf_init(&b2, 0);
	for (i = 0; i < p->runs->n && rc == 0; i++) {
		struct prisma_run *a = R(f, i);
		int64_t ina = -1, inb = -1;
		if (!a->used || a->kind != kind)
			continue;
		pj_count(a->e, "records_in", &ina);
		for (j = i + 1; j < p->runs->n; j++) {
			struct prisma_run *c = R(f, j);
			if (!c->used || c->kind != kind)
				continue;
			inb = -1;
			pj_count(c->e, "records_in", &inb);
			if (ina != inb || (kind == RUN_DEDUP &&
					   !same_json(pj_obj(a->e, "in_by_source"), pj_obj(c->e, "in_by_source"))))
				continue;
			a->used = 0;
			a->superseded = 1;
			if (where(f, i, &b1) < 0 || where(f, j, &b2) < 0 ||
			    wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
					  "%s ran %s over the same input (%lld records%s) as %s: the stage was run twice; only the later run is counted",
					  b2.data, what, (long long)ina,
					  kind == RUN_DEDUP ? ", the same counts per source" : "", b1.data) < 0)
				rc = -1;
			break;
		}
	}
	wn_buf_release(&b1);
	wn_buf_release(&b2);
	return rc;
}

static int do_dedup(struct flow *f)
{
	struct wn_prisma *p = f->p;
	json_object *by = json_object_new_object();
	struct wn_buf b;
	int64_t total = 0;
	size_t i;
	int rc = 0;

	if (!by)
		return wn_err_set(f->err, WN_ENOMEM, "out of memory");
	f->dedup_in_first = -1;
	if (supersede_reruns(f, RUN_DEDUP, "winnow-dedup") < 0) {
		json_object_put(by);
		return -1;
	}
	wn_buf_init(&b, 0);
	for (i = 0; i < p->runs->n && rc == 0; i++) {
		struct prisma_run *r = R(f, i);
		int64_t in = 0, out = 0, removed = -1;
		json_object *ibs;
		if (!r->used || r->kind != RUN_DEDUP)
			continue;
		if (idx_push(&f->dedup, i, f->err) < 0) {
			rc = -1;
			break;
		}
		if (where(f, i, &b) < 0) {
			rc = -1;
			break;
		}
		if (!pj_count(r->e, "records_in", &in) || !pj_count(r->e, "records_out", &out) || out > in) {
			rc = wn_prisma_msg(p, WN_PRISMA_ERROR, f->err,
					   "%s lacks valid \"records_in\" and \"records_out\" counts: cannot count its duplicates",
					   b.data);
			continue;
		}
		if (!pj_count(r->e, "removed", &removed))
			removed = in - out;
		else if (removed != in - out)
			rc = wn_prisma_msg(p, WN_PRISMA_ERROR, f->err,
					   "%s does not add up: %lld records in - %lld out = %lld, but it says %lld were removed",
					   b.data, (long long)in, (long long)out, (long long)(in - out), (long long)removed);
		total += in - out;
		f->dedup_in_first = f->dedup.n == 1 ? in : -1;
		ibs = pj_obj(r->e, "in_by_source");
		if (ibs) {
			json_object_object_foreach(ibs, name, v) {
				json_object *acc = pj_obj(f->sources, name);
				const char *k = pj_str(acc, "kind");
				(void)v;
				if (k && prisma_kind_of(k) >= K_WEBSITE && rc == 0)
					rc = wn_prisma_msg(p, WN_PRISMA_ERROR, f->err,
							   "%s read records from '%s', a source of kind '%s': PRISMA 2020 counts other methods in their own branch (reports sought, assessed), not with the database records that are deduplicated and screened\n"
							   "fix: import '%s' with --source-kind database to count it with the databases, or keep its records out of the database pipeline and screen them at full text on their own",
							   b.data, name, k, name);
			}
		}
		{
			json_object *rbs = pj_obj(r->e, "removed_by_source");
			if (rbs) {
				json_object_object_foreach(rbs, name, v) {
					int64_t n;
					if (json_object_is_type(v, json_type_int) && (n = json_object_get_int64(v)) >= 0 &&
					    rc == 0)
						rc = pj_add(by, name, n, f->err);
				}
			}
		}
	}
	wn_buf_release(&b);
	if (rc < 0) {
		json_object_put(by);
		return -1;
	}
	if (set_value_runs(f, WN_PK_DUPLICATES, total, &f->dedup,
			   "no winnow-dedup run in the ledger: none removed") < 0) {
		json_object_put(by);
		return -1;
	}
	f->p->v[WN_PK_DUPLICATES].by = by;
	if (f->dedup.n == 0 && f->kind_total[K_DATABASE] + f->kind_total[K_REGISTER] > 0 &&
	    json_object_object_length(f->sources) > 1)
		return wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
				     "records came from %d sources but no winnow-dedup run is in the ledger: 0 duplicates removed",
				     json_object_object_length(f->sources));
	return 0;
}

static int add_reasons(json_object *dst, json_object *src, struct wn_err *err)
{
	if (!src)
		return 0;
	json_object_object_foreach(src, name, v) {
		int64_t n;
		if (!json_object_is_type(v, json_type_int) || (n = json_object_get_int64(v)) < 0)
			continue;
		if (pj_add(dst, name, n, err) < 0)
			return -1;
	}
	return 0;
}

static int do_filter(struct flow *f)
{
	struct wn_prisma *p = f->p;
	json_object *aut = json_object_new_object(), *oth = json_object_new_object();
	struct wn_buf b;
	size_t i;
	int rc = 0;

	if (!aut || !oth) {
		json_object_put(aut);
		json_object_put(oth);
		return wn_err_set(f->err, WN_ENOMEM, "out of memory");
	}
	p->v[WN_PK_EXCLUDED_AUTOMATIC].by = aut;
	p->v[WN_PK_EXCLUDED_OTHER].by = oth;
	if (supersede_reruns(f, RUN_FILTER, "winnow-screen filter") < 0)
		return -1;
	wn_buf_init(&b, 0);
	for (i = 0; i < p->runs->n && rc == 0; i++) {
		struct prisma_run *r = R(f, i);
		int64_t in = 0, out = 0, a, o;
		if (!r->used || r->kind != RUN_FILTER)
			continue;
		if (idx_push(&f->filter, i, f->err) < 0 || where(f, i, &b) < 0) {
			rc = -1;
			break;
		}
		if (add_reasons(aut, pj_obj(r->e, "excluded_automatic"), f->err) < 0 ||
		    add_reasons(oth, pj_obj(r->e, "excluded_other"), f->err) < 0) {
			rc = -1;
			break;
		}
		a = pj_sum(pj_obj(r->e, "excluded_automatic"));
		o = pj_sum(pj_obj(r->e, "excluded_other"));
		if (!pj_count(r->e, "records_in", &in) || !pj_count(r->e, "records_out", &out) || out > in)
			rc = wn_prisma_msg(p, WN_PRISMA_ERROR, f->err,
					   "%s lacks valid \"records_in\" and \"records_out\" counts", b.data);
		else if (in - out != a + o)
			rc = wn_prisma_msg(p, WN_PRISMA_ERROR, f->err,
					   "%s does not add up: %lld records in - %lld kept = %lld removed, but its reasons count %lld (automation tools %lld, other reasons %lld)",
					   b.data, (long long)in, (long long)out, (long long)(in - out),
					   (long long)(a + o), (long long)a, (long long)o);
	}
	wn_buf_release(&b);
	if (rc < 0)
		return -1;
	if (set_value_runs(f, WN_PK_EXCLUDED_AUTOMATIC, pj_sum(aut), &f->filter,
			   "no winnow-screen filter run in the ledger: none removed") < 0 ||
	    set_value_runs(f, WN_PK_EXCLUDED_OTHER, pj_sum(oth), &f->filter,
			   "no winnow-screen filter run in the ledger: none removed") < 0)
		return -1;
	/* reasons in display order */
	{
		json_object *sa = pj_sorted_counts(aut, f->err), *so;
		if (!sa)
			return -1;
		so = pj_sorted_counts(oth, f->err);
		if (!so) {
			json_object_put(sa);
			return -1;
		}
		json_object_put(aut);
		json_object_put(oth);
		p->v[WN_PK_EXCLUDED_AUTOMATIC].by = sa;
		p->v[WN_PK_EXCLUDED_OTHER].by = so;
	}
	return 0;
}

/* ---- screening ---- */

static int logs_key(json_object *e, const char *stage, struct wn_buf *out, struct wn_err *err)
{
	json_object *logs = pj_arr(e, "logs");
	const char **names = NULL;
	size_t n = logs ? json_object_array_length(logs) : 0, i, j;

	if (wn_buf_addf(out, err, "%s\n", stage) < 0)
		return -1;
	if (n == 0)
		return 0;
	names = wn_calloc(n, sizeof(*names));
	if (!names)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		const char *s = pj_item_str(logs, i);
		names[i] = s ? s : "";
	}
	/* insertion sort: a handful of logs */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		if (wn_buf_addf(out, err, "%s\n", names[i]) < 0) {
			wn_free(names);
			return -1;
		}
	wn_free(names);
	return 0;
}

static int read_export(struct flow *f, size_t i, struct prisma_export *x)
{
	struct prisma_run *r = R(f, i);
	json_object *sc = pj_obj(r->e, "state_counts");
	struct wn_buf b;
	int64_t sum = 0, v;
	int has_nr_key, rc = 0;

	memset(x, 0, sizeof(*x));
	x->run = i;
	pj_count(sc, "include", &x->inc);
	pj_count(sc, "exclude", &x->exc);
	pj_count(sc, "conflict", &x->con);
	pj_count(sc, "undecided", &x->und);
	has_nr_key = pj_count(sc, "not_retrieved", &v) || pj_count(sc, "not-retrieved", &v);
	if (!pj_count(r->e, "not_retrieved", &x->nr) && has_nr_key)
		x->nr = v;
	x->reasons = pj_obj(r->e, "excluded_by_reason");
	sum = pj_sum(sc);
	wn_buf_init(&b, 0);
	if (where(f, i, &b) < 0) {
		wn_buf_release(&b);
		return -1;
	}
	x->exc_assessed = x->exc;
	if (!pj_count(r->e, "records_in", &x->in)) {
		rc = wn_prisma_msg(f->p, WN_PRISMA_ERROR, f->err,
				   "%s lacks a valid \"records_in\" count", b.data);
		x->in = sum + (has_nr_key ? 0 : x->nr);
	} else if (sum + (has_nr_key ? 0 : x->nr) == x->in) {
		/* not-retrieved counted apart from the states (or as a state of its own) */
	} else if (!has_nr_key && x->nr > 0 && sum == x->in && x->exc >= x->nr) {
		/* not-retrieved reports counted among the exclusions: take them out */
		x->exc_assessed = x->exc - x->nr;
	} else {
		rc = wn_prisma_msg(f->p, WN_PRISMA_ERROR, f->err,
				   "%s does not add up: its state counts (include %lld, exclude %lld, conflict %lld, undecided %lld%s) sum to %lld, but it read %lld records",
				   b.data, (long long)x->inc, (long long)x->exc, (long long)x->con,
				   (long long)x->und, x->nr ? ", not retrieved" : "",
				   (long long)(sum + (has_nr_key ? 0 : x->nr)), (long long)x->in);
	}
	{
		json_object *u;
		int64_t nu = 0;
		if (json_object_object_get_ex(r->e, "unmatched_ids", &u)) {
			if (json_object_is_type(u, json_type_array))
				nu = (int64_t)json_object_array_length(u);
			else
				pj_count(r->e, "unmatched_ids", &nu);
		}
		if (nu > 0 && rc == 0) {
			json_object *logs = pj_arr(r->e, "logs");
			const char *ls = logs ? pj_print(logs, JSON_C_TO_STRING_PLAIN, f->err) : "not named";
			rc = !ls ? -1 : wn_prisma_msg(f->p, WN_PRISMA_ERROR, f->err,
					   "%s read decisions on %lld record%s that are not among its records: a decision log from another review or another record set (logs: %s)\n"
					   "those decisions are not counted; export again with the logs of this review",
					   b.data, (long long)nu, nu == 1 ? "" : "s", ls);
		}
	}
	wn_buf_release(&b);
	return rc;
}

static int do_exports(struct flow *f)
{
	struct wn_prisma *p = f->p;
	json_object *groups = json_object_new_object(); /* key -> latest run index */
	struct idxv ta = { NULL, 0, 0 }, ft = { NULL, 0, 0 };
	struct wn_buf key, b1, b2;
	size_t i;
	int rc = 0;

	if (!groups)
		return wn_err_set(f->err, WN_ENOMEM, "out of memory");
	wn_buf_init(&key, 0);
	wn_buf_init(&b1, 0);
	wn_buf_init(&b2, 0);
	/* latest export per (stage, logs) */
	for (i = p->runs->n; i-- > 0 && rc == 0;) {
		struct prisma_run *r = R(f, i);
		const char *ss;
		json_object *later;
		if (!r->used || r->kind != RUN_EXPORT)
			continue;
		ss = pj_str(r->e, "screen_stage");
		wn_buf_reset(&key);
		if (logs_key(r->e, ss, &key, f->err) < 0) {
			rc = -1;
			break;
		}
		if (json_object_object_get_ex(groups, key.data, &later)) {
			struct prisma_run *l = R(f, (size_t)json_object_get_int64(later));
			r->used = 0;
			r->superseded = 1;
			if (!same_json(pj_obj(r->e, "state_counts"), pj_obj(l->e, "state_counts"))) {
				if (where(f, i, &b1) < 0 || where(f, (size_t)json_object_get_int64(later), &b2) < 0 ||
				    wn_prisma_msg(p, WN_PRISMA_NOTE, f->err,
						  "%s counted other states than the later export of the same stage and logs, %s (more decisions since?): the later one is used",
						  b1.data, b2.data) < 0)
					rc = -1;
			}
			continue;
		}
		if (pj_put(groups, key.data, json_object_new_int64((int64_t)i), f->err) < 0 ||
		    idx_push(strcmp(ss, "ft") == 0 ? &ft : &ta, i, f->err) < 0)
			rc = -1;
		else if (strcmp(ss, "ta") && strcmp(ss, "ft"))
			rc = wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
					   "'%s' line %lu exports screening stage '%s', which is neither \"ta\" nor \"ft\": counted as title/abstract",
					   r->ledger, r->line, ss);
	}
	json_object_put(groups);
	/* ta: the latest group (indexes were pushed latest first) */
	for (i = 1; i < ta.n && rc == 0; i++) {
		R(f, ta.v[i])->used = 0;
		R(f, ta.v[i])->superseded = 1;
		if (where(f, ta.v[i], &b1) < 0 || where(f, ta.v[0], &b2) < 0 ||
		    wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
				  "%s and %s both export title/abstract screening, over different decision logs: only the later is counted",
				  b1.data, b2.data) < 0)
			rc = -1;
	}
	if (rc == 0 && ta.n) {
		f->have_ta = 1;
		rc = read_export(f, ta.v[0], &f->ta);
	}
	/* ft: one export for the databases and registers, one for other methods */
	if (rc == 0 && ft.n) {
		int other = f->kind_total[K_WEBSITE] + f->kind_total[K_ORGANISATION] +
			    f->kind_total[K_CITATION] + f->kind_total[K_OTHER] > 0;
		size_t dbr = other ? (size_t)-1 : 0, oth = (size_t)-1, k;
		int by_logs = 0;
		if (other) {
			/* the logs tell best: the ids of the other-method records carry their source */
			for (k = 0; k < ft.n && rc == 0; k++) {
				double share;
				rc = prisma_logs_other_share(p, ft.v[k], f->sources, &share, f->err);
				if (rc < 0 || share < 0)
					continue;
				by_logs = 1;
				/* exports are listed latest first: the first of each kind wins */
				if (share > 0.5 && oth == (size_t)-1)
					oth = k;
				else if (share <= 0.5 && dbr == (size_t)-1)
					dbr = k;
			}
		}
		if (rc < 0) {
			/* fall through to the cleanup */
		} else if (by_logs) {
			/* settled above */
		} else if (other && f->have_ta) {
			/* the database export is the one whose reports are the records included at
			 * title/abstract; the latest other one covers the other methods */
			for (k = 0; k < ft.n; k++) {
				int64_t in = -1;
				pj_count(R(f, ft.v[k])->e, "records_in", &in);
				if (in == f->ta.inc)
					break;
			}
			dbr = k < ft.n ? k : 0;
			for (k = 0; k < ft.n; k++)
				if (k != dbr) {
					oth = k;
					break;
				}
		} else if (other && !f->have_ta) {
			oth = 0;
			dbr = ft.n > 1 ? 1 : (size_t)-1;
		}
		for (k = 0; k < ft.n && rc == 0; k++) {
			if (k == dbr || k == oth)
				continue;
			R(f, ft.v[k])->used = 0;
			R(f, ft.v[k])->superseded = 1;
			if (where(f, ft.v[k], &b1) < 0 ||
			    wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
					  "%s exports full-text screening over other decision logs than the later full-text export%s: only the later is counted",
					  b1.data, other ? "s (one per branch)" : "") < 0)
				rc = -1;
		}
		if (rc == 0 && dbr != (size_t)-1) {
			f->have_ft = 1;
			rc = read_export(f, ft.v[dbr], &f->ft);
		}
		if (rc == 0 && oth != (size_t)-1) {
			f->have_oft = 1;
			rc = read_export(f, ft.v[oth], &f->oft);
		}
	}
	wn_free(ta.v);
	wn_free(ft.v);
	wn_buf_release(&key);
	wn_buf_release(&b1);
	wn_buf_release(&b2);
	return rc;
}

/* ---- the values ---- */

static int set_from_run(struct flow *f, enum wn_prisma_key k, int64_t n, size_t run, const char *what)
{
	struct wn_buf b;
	int rc;

	wn_buf_init(&b, 0);
	rc = prisma_where(R(f, run), &b, f->err);
	if (rc == 0 && what)
		rc = wn_buf_addf(&b, f->err, ": %s", what);
	if (rc == 0)
		set_value(f, k, n, b.data);
	wn_buf_release(&b);
	return rc;
}

static int by_kind(struct flow *f, int kind, json_object **out)
{
	json_object *o = json_object_new_object();

	*out = o;
	if (!o)
		return wn_err_set(f->err, WN_ENOMEM, "out of memory");
	json_object_object_foreach(f->sources, name, acc) {
		int64_t n = 0;
		if (prisma_kind_of(pj_str(acc, "kind")) != kind)
			continue;
		pj_count(acc, "records", &n);
		if (pj_add(o, name, n, f->err) < 0)
			return -1;
	}
	return 0;
}

static int set_reasons(struct flow *f, enum wn_prisma_key k, const struct prisma_export *x)
{
	json_object *s = pj_sorted_counts(x->reasons, f->err);

	if (!s)
		return -1;
	json_object_put(f->p->v[k].by);
	f->p->v[k].by = s;
	return set_from_run(f, k, pj_sum(s), x->run, "excluded_by_reason");
}

static int values(struct flow *f, const struct wn_prisma_opts *o)
{
	struct wn_prisma *p = f->p;
	struct wn_prisma_value *v = p->v;
	int64_t prev_s = o ? o->previous_studies : -1, prev_r = o ? o->previous_reports : -1;
	int64_t new_reports = 0;
	int known_new = 0;

	/* identification */
	if (by_kind(f, K_DATABASE, &v[WN_PK_DATABASE_SPECIFIC_RESULTS].by) < 0 ||
	    by_kind(f, K_REGISTER, &v[WN_PK_REGISTER_SPECIFIC_RESULTS].by) < 0)
		return -1;
	if (set_value_runs(f, WN_PK_DATABASE_RESULTS, f->kind_total[K_DATABASE], &f->kind_runs[K_DATABASE],
			   "no database imported") < 0 ||
	    set_value_runs(f, WN_PK_DATABASE_SPECIFIC_RESULTS, f->kind_total[K_DATABASE],
			   &f->kind_runs[K_DATABASE], "no database imported") < 0 ||
	    set_value_runs(f, WN_PK_REGISTER_RESULTS, f->kind_total[K_REGISTER], &f->kind_runs[K_REGISTER],
			   "no register imported (source kind register)") < 0 ||
	    set_value_runs(f, WN_PK_REGISTER_SPECIFIC_RESULTS, f->kind_total[K_REGISTER],
			   &f->kind_runs[K_REGISTER], "no register imported (source kind register)") < 0)
		return -1;
	p->other_kind_other = f->kind_total[K_OTHER];
	p->other_branch = f->kind_total[K_WEBSITE] + f->kind_total[K_ORGANISATION] +
			  f->kind_total[K_CITATION] + f->kind_total[K_OTHER] > 0;
	if (p->other_branch) {
		static const struct { enum wn_prisma_key k; int kind; } om[] = {
			{ WN_PK_WEBSITE_RESULTS, K_WEBSITE },
			{ WN_PK_ORGANISATION_RESULTS, K_ORGANISATION },
			{ WN_PK_CITATIONS_RESULTS, K_CITATION }
		};
		size_t i;
		for (i = 0; i < sizeof(om) / sizeof(om[0]); i++) {
			if (by_kind(f, om[i].kind, &v[om[i].k].by) < 0 ||
			    set_value_runs(f, om[i].k, f->kind_total[om[i].kind], &f->kind_runs[om[i].kind],
					   "none imported with this source kind") < 0)
				return -1;
		}
	}
	/* title/abstract screening */
	if (f->have_ta) {
		if (set_from_run(f, WN_PK_RECORDS_SCREENED, f->ta.in, f->ta.run, "records_in") < 0 ||
		    set_from_run(f, WN_PK_RECORDS_EXCLUDED, f->ta.exc, f->ta.run, "state_counts.exclude") < 0)
			return -1;
	}
	/* full text, databases and registers */
	if (f->have_ft) {
		if (set_from_run(f, WN_PK_DBR_SOUGHT_REPORTS, f->ft.in, f->ft.run, "records_in") < 0 ||
		    set_from_run(f, WN_PK_DBR_NOTRETRIEVED_REPORTS, f->ft.nr, f->ft.run, "not_retrieved") < 0 ||
		    set_from_run(f, WN_PK_DBR_ASSESSED, f->ft.in - f->ft.nr, f->ft.run,
				 "records_in - not_retrieved") < 0 ||
		    set_reasons(f, WN_PK_DBR_EXCLUDED, &f->ft) < 0)
			return -1;
		new_reports += f->ft.inc;
		known_new = 1;
	} else if (f->have_ta) {
		if (set_from_run(f, WN_PK_DBR_SOUGHT_REPORTS, f->ta.inc, f->ta.run, "state_counts.include") < 0)
			return -1;
	}
	if (f->have_oft) {
		if (set_from_run(f, WN_PK_OTHER_SOUGHT_REPORTS, f->oft.in, f->oft.run, "records_in") < 0 ||
		    set_from_run(f, WN_PK_OTHER_NOTRETRIEVED_REPORTS, f->oft.nr, f->oft.run, "not_retrieved") < 0 ||
		    set_from_run(f, WN_PK_OTHER_ASSESSED, f->oft.in - f->oft.nr, f->oft.run,
				 "records_in - not_retrieved") < 0 ||
		    set_reasons(f, WN_PK_OTHER_EXCLUDED, &f->oft) < 0)
			return -1;
		new_reports += f->oft.inc;
		known_new = 1;
	}
	if (known_new) {
		struct wn_buf b;
		int rc = 0;
		wn_buf_init(&b, 0);
		if (f->have_ft && (rc = prisma_where(R(f, f->ft.run), &b, f->err)) == 0)
			rc = wn_buf_adds(&b, ": state_counts.include", f->err);
		if (rc == 0 && f->have_oft) {
			if (b.len)
				rc = wn_buf_adds(&b, " + ", f->err);
			if (rc == 0)
				rc = prisma_where(R(f, f->oft.run), &b, f->err);
			if (rc == 0)
				rc = wn_buf_adds(&b, ": state_counts.include", f->err);
		}
		if (rc == 0) {
			set_value(f, WN_PK_NEW_REPORTS, new_reports, b.data);
			/* one report per study: winnow has no link between reports of one study */
			set_value(f, WN_PK_NEW_STUDIES, new_reports, b.data);
		}
		wn_buf_release(&b);
		if (rc < 0)
			return -1;
	}
	if (prev_s >= 0 || prev_r >= 0) {
		p->previous = 1;
		set_value(f, WN_PK_PREVIOUS_STUDIES, prev_s >= 0 ? prev_s : 0, "--previous-studies");
		set_value(f, WN_PK_PREVIOUS_REPORTS, prev_r >= 0 ? prev_r : prev_s, "--previous-reports");
		if (prev_r < 0)
			prisma_set_from(&v[WN_PK_PREVIOUS_REPORTS], "--previous-studies (one report per study)");
	}
	if (known_new) {
		set_value(f, WN_PK_TOTAL_STUDIES, v[WN_PK_NEW_STUDIES].n + (p->previous ? v[WN_PK_PREVIOUS_STUDIES].n : 0),
			  p->previous ? "previous studies + new studies" : "new studies (not an updated review)");
		set_value(f, WN_PK_TOTAL_REPORTS, v[WN_PK_NEW_REPORTS].n + (p->previous ? v[WN_PK_PREVIOUS_REPORTS].n : 0),
			  p->previous ? "previous reports + new reports" : "new reports (not an updated review)");
	}
	/* what is not known yet, said once */
	if (!f->have_ta && f->kind_total[K_DATABASE] + f->kind_total[K_REGISTER] > 0 &&
	    wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
			  "no title/abstract screening export (winnow-screen export --stage ta) in the ledger: the flow stops before \"records screened\"") < 0)
		return -1;
	if (f->have_ta && !f->have_ft &&
	    wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
			  "no full-text screening export (winnow-screen export --stage ft) in the ledger: the flow stops at \"reports sought for retrieval\"") < 0)
		return -1;
	if (p->other_branch && !f->have_oft &&
	    wn_prisma_msg(p, WN_PRISMA_WARNING, f->err,
			  "%lld records were identified by other methods, but no full-text export covers them: the other-methods counts stop at identification",
			  (long long)(f->kind_total[K_WEBSITE] + f->kind_total[K_ORGANISATION] +
				      f->kind_total[K_CITATION] + f->kind_total[K_OTHER])) < 0)
		return -1;
	return 0;
}

int wn_prisma_compute(struct wn_prisma *p, const struct wn_prisma_opts *opts, struct wn_err *err)
{
	struct flow f;
	struct prisma_facts x;
	size_t k;
	int rc = -1;

	memset(&f, 0, sizeof(f));
	memset(&x, 0, sizeof(x));
	f.p = p;
	f.err = err;
	if (!p->runs) {
		p->runs = wn_calloc(1, sizeof(*p->runs));
		if (!p->runs)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	f.sources = json_object_new_object();
	p->details = json_object_new_object();
	if (!f.sources || !p->details) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	if (mark_candidates(&f) < 0 || do_fetch(&f) < 0 || do_dedup(&f) < 0 || do_filter(&f) < 0 ||
	    do_exports(&f) < 0 || values(&f, opts) < 0)
		goto out;
	/* hand the stage facts to the checks and the details */
	x.sources = f.sources;
	x.ta = f.ta;
	x.ft = f.ft;
	x.oft = f.oft;
	x.ta.have = f.have_ta;
	x.ft.have = f.have_ft;
	x.oft.have = f.have_oft;
	x.ndedup = f.dedup.n;
	x.dedup_in_first = f.dedup_in_first;
	if (f.dedup.n) {
		x.dedup_last = f.dedup.v[f.dedup.n - 1];
		pj_count(R(&f, x.dedup_last)->e, "records_out", &x.dedup_last_out);
	}
	/* a filter before deduplication (one database's export filtered by its strategy)
	 * reads part of what was identified; one after it reads what dedup kept */
	x.nfilter = f.filter.n;
	for (k = 0; k < f.filter.n; k++) {
		size_t ri = f.filter.v[k];
		if (f.dedup.n && ri < f.dedup.v[0]) {
			x.pre_dedup_excluded += pj_sum(pj_obj(R(&f, ri)->e, "excluded_automatic")) +
						pj_sum(pj_obj(R(&f, ri)->e, "excluded_other"));
			continue;
		}
		if (x.npost_filter++ == 0) {
			x.filter_first = ri;
			pj_count(R(&f, ri)->e, "records_in", &x.filter_first_in);
		}
	}
	memcpy(x.kind_total, f.kind_total, sizeof(x.kind_total));
	/* studies before the checks: new studies <= new reports, totals */
	if (opts && opts->studies && p->v[WN_PK_NEW_REPORTS].known &&
	    prisma_logs_studies(p, &x, opts->studies, err) < 0)
		goto out;
	if (prisma_checks(p, &x, err) < 0 || prisma_logs_check(p, &x, err) < 0 ||
	    prisma_details(p, &x, err) < 0)
		goto out;
	rc = 0;
out:
	for (k = 0; k < K__N; k++)
		wn_free(f.kind_runs[k].v);
	wn_free(f.dedup.v);
	wn_free(f.filter.v);
	json_object_put(f.sources);
	return rc;
}

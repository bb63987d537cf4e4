/*
 * dedup.c - the public face of the engine (dedup.h): options, the run, statistics.
 *
 * wn_dedup_run compares the candidate pairs on all threads. Pairs are cut into chunks of
 * fixed size; each chunk keeps its own list of non-trivial results and the lists are
 * joined in chunk order, so the edge list is the same for any number of threads.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "winnow/alloc.h"
#include "winnow/dedup.h"
#include "dd.h"

#define PAIR_CHUNK 8192

double dd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the whole process (all threads): with the wall clock it shows how well
 * a stage used the cores. */
double dd_cpu(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned wn_dedup_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

struct wn_dedup *wn_dedup_new(const struct wn_dedup_opts *opts, struct wn_err *err)
{
	struct wn_dedup *d = wn_calloc(1, sizeof(*d));

	if (!d) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	if (opts)
		d->opts = *opts;
	if (!d->opts.block_cap)
		d->opts.block_cap = 64;
	if (!d->opts.window)
		d->opts.window = 24;
	if (!d->opts.memory_budget)
		d->opts.memory_budget = (size_t)256 << 20;
	d->threads = d->opts.threads ? d->opts.threads : wn_dedup_default_threads();
	if (d->threads > 64)
		d->threads = 64;
	d->prefs.prefer = d->opts.prefer;
	d->prefs.nprefer = d->opts.prefer ? d->opts.nprefer : 0;
	if (d->prefs.nprefer > 254) {
		wn_free(d);
		wn_err_set(err, WN_EUSAGE, "too many preferred sources (at most 254)");
		return NULL;
	}
	if (d->opts.keep_apart) {
		const char *f = d->opts.keep_apart, *dot = strchr(f, '.');
		size_t n = dot ? (size_t)(dot - f) : strlen(f);
		if (n == 0 || n >= sizeof(d->prefs.apart_top) || (dot && !dot[1]) ||
		    (dot && strchr(dot + 1, '.'))) {
			wn_free(d);
			wn_err_set(err, WN_EUSAGE, "--keep-apart: '%s' is no field name (FIELD or FIELD.MEMBER)", f);
			return NULL;
		}
		memcpy(d->prefs.apart_top, f, n);
		d->prefs.apart_top[n] = '\0';
		d->prefs.apart_sub = dot ? dot + 1 : NULL;
	}
	return d;
}

void wn_dedup_free(struct wn_dedup *d)
{
	size_t i;

	if (!d)
		return;
	dd_batches_free(d);
	for (i = 0; i < d->nfiles; i++)
		wn_free(d->files[i]);
	wn_free(d->files);
	wn_free(d->recs);
	wn_free(d->keys);
	wn_free(d->edges);
	wn_free(d->maybe);
	for (i = 0; i < d->ndecisions; i++) {
		wn_free(d->decisions[i].ida);
		wn_free(d->decisions[i].idb);
	}
	wn_free(d->decisions);
	wn_free(d->manual);
	wn_free(d->kept);
	wn_free(d->next_member);
	wn_free(d->via);
	wn_free(d);
}

int wn_dedup_read(struct wn_dedup *d, const char *path, struct wn_err *err)
{
	double t0 = dd_now(), c0 = dd_cpu();
	int rc;

	if (d->ran)
		return wn_err_set(err, WN_EUSAGE, "records must be read before the run");
	rc = dd_read_file(d, path, err);
	d->stats.secs_read += dd_now() - t0;
	d->stats.cpu_read += dd_cpu() - c0;
	return rc;
}

int wn_dedup_load_decisions(struct wn_dedup *d, const char *path, struct wn_err *err)
{
	if (d->ran)
		return wn_err_set(err, WN_EUSAGE, "decisions must be loaded before the run");
	return dd_load_decisions(d, path, err);
}

/* ---------------------------------------------------------------- comparing */

struct cmp_ctx {
	struct wn_dedup *d;
	const uint64_t *pairs;
	struct dd_edge **chunk_edges;
	size_t *chunk_n;
};

static void prefetch_rec(const struct dd_rec *r)
{
	const char *p = (const char *)r;
	size_t k;

	for (k = 0; k < sizeof(*r); k += 64)
		__builtin_prefetch(p + k);
	__builtin_prefetch(p + sizeof(*r) - 1);
}

static void prefetch_strings(const struct dd_rec *r)
{
	__builtin_prefetch(r->title);
	__builtin_prefetch(r->journal);
	if (r->nstored)
		__builtin_prefetch(r->authors);
}

static int compare_range(void *ctx, size_t chunk, size_t begin, size_t end, struct wn_err *err)
{
	struct cmp_ctx *c = ctx;
	struct dd_edge *out = NULL;
	size_t n = 0, cap = 0, i;

	for (i = begin; i < end; i++) {
		uint32_t a = (uint32_t)(c->pairs[i] >> 32), b = (uint32_t)c->pairs[i];
		/* pairs come in rank order, which is hash order: each record of a pair is a
		 * cache miss, and so is each string it points to. So the memory is asked for
		 * ahead, in three steps: the record pointers, the records, their strings */
		if (i + 16 < end) {
			__builtin_prefetch(&c->d->recs[(uint32_t)c->pairs[i + 16]]);
			__builtin_prefetch(&c->d->recs[(uint32_t)(c->pairs[i + 16] >> 32)]);
		}
		if (i + 8 < end) {
			prefetch_rec(c->d->recs[(uint32_t)c->pairs[i + 8]]);
			prefetch_rec(c->d->recs[(uint32_t)(c->pairs[i + 8] >> 32)]);
		}
		if (i + 4 < end) {
			prefetch_strings(c->d->recs[(uint32_t)c->pairs[i + 4]]);
			prefetch_strings(c->d->recs[(uint32_t)(c->pairs[i + 4] >> 32)]);
		}
		const struct dd_rec *ra = c->d->recs[a], *rb = c->d->recs[b];
		struct dd_edge e;
		int rule, why;
		enum dd_verdict v;

		memset(&e, 0, sizeof(e));
		if (ra->id && rb->id && ra->id_hash == rb->id_hash && strcmp(ra->id, rb->id) == 0) {
			/* the same record imported twice */
			v = DD_DUP;
			rule = DD_R_SAME_ID;
			why = DD_WHY_NONE;
			e.ev.title = e.ev.authors = -1;
			e.ev.score = 1.0f;
		} else {
			v = dd_compare(ra, rb, &e.ev, &rule, &why, 0);
		}
		if (v == DD_NONE)
			continue;
		e.a = a;
		e.b = b;
		e.verdict = (uint8_t)v;
		e.rule = (uint8_t)(v == DD_DUP ? rule : 0);
		e.why = (uint8_t)why;
		e.score = e.ev.score;
		if (dd_grow((void **)&out, &cap, n + 1, sizeof(*out), err) < 0) {
			wn_free(out);
			return -1;
		}
		out[n++] = e;
	}
	c->chunk_edges[chunk] = out;
	c->chunk_n[chunk] = n;
	return 0;
}

int wn_dedup_run(struct wn_dedup *d, struct wn_err *err)
{
	uint64_t *pairs = NULL;
	size_t npairs = 0, nchunks, i, total = 0;
	struct cmp_ctx c;
	int rc = -1;
	double t0 = dd_now(), t1, c0 = dd_cpu(), c1;

	if (d->ran)
		return wn_err_set(err, WN_EUSAGE, "the run was already made");
	d->ran = 1;
	for (i = 0; i < d->nrecs; i++) {
		if (!d->recs[i]->id)
			d->stats.no_id++;
		if (!dd_has_substance(d->recs[i]))
			d->stats.bare++;
	}
	if (dd_spill_flush(d, err) < 0 || dd_candidate_pairs(d, &pairs, &npairs, err) < 0)
		return -1;
	d->stats.pairs_compared = npairs;
	t1 = dd_now();
	c1 = dd_cpu();
	d->stats.secs_block = t1 - t0;
	d->stats.cpu_block = c1 - c0;
	nchunks = (npairs + PAIR_CHUNK - 1) / PAIR_CHUNK;
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.pairs = pairs;
	c.chunk_edges = wn_calloc(nchunks ? nchunks : 1, sizeof(*c.chunk_edges));
	c.chunk_n = wn_calloc(nchunks ? nchunks : 1, sizeof(*c.chunk_n));
	if (!c.chunk_edges || !c.chunk_n) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	if (dd_parallel(d->threads, npairs, PAIR_CHUNK, compare_range, &c, err) < 0)
		goto out;
	wn_free(pairs);
	pairs = NULL;
	for (i = 0; i < nchunks; i++)
		total += c.chunk_n[i];
	d->edges = wn_malloc((total ? total : 1) * sizeof(*d->edges));
	if (!d->edges) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nchunks; i++) {
		if (c.chunk_n[i])
			memcpy(d->edges + d->nedges, c.chunk_edges[i], c.chunk_n[i] * sizeof(*d->edges));
		d->nedges += c.chunk_n[i];
	}
	t0 = dd_now();
	c0 = dd_cpu();
	d->stats.secs_compare = t0 - t1;
	d->stats.cpu_compare = c0 - c1;
	if (dd_resolve_decisions(d, err) < 0 || dd_cluster(d, err) < 0)
		goto out;
	d->stats.secs_cluster = dd_now() - t0;
	d->stats.cpu_cluster = dd_cpu() - c0;
	rc = 0;
out:
	if (c.chunk_edges)
		for (i = 0; i < nchunks; i++)
			wn_free(c.chunk_edges[i]);
	wn_free(c.chunk_edges);
	wn_free(c.chunk_n);
	wn_free(pairs);
	return rc;
}

/* ---------------------------------------------------------------- output */

int wn_dedup_write(struct wn_dedup *d, FILE *out, struct wn_err *err)
{
	double t0 = dd_now(), c0 = dd_cpu();
	int rc;

	if (!d->ran || !d->kept)
		return wn_err_set(err, WN_EUSAGE, "wn_dedup_run must succeed before writing");
	rc = dd_write_unique(d, out, err);
	d->stats.secs_write += dd_now() - t0;
	d->stats.cpu_write += dd_cpu() - c0;
	return rc;
}

int wn_dedup_write_maybe(struct wn_dedup *d, FILE *out, struct wn_err *err)
{
	if (!d->ran || !d->kept)
		return wn_err_set(err, WN_EUSAGE, "wn_dedup_run must succeed before writing");
	return dd_write_maybe(d, out, err);
}

int wn_dedup_write_report(struct wn_dedup *d, FILE *out, struct wn_err *err)
{
	if (!d->ran || !d->kept)
		return wn_err_set(err, WN_EUSAGE, "wn_dedup_run must succeed before writing");
	return dd_write_report(d, out, err);
}

const struct wn_dedup_stats *wn_dedup_stats(const struct wn_dedup *d)
{
	return &d->stats;
}

/* Add n to o's count of key. */
static int count_add(json_object *o, const char *key, int64_t n)
{
	json_object *v;

	if (json_object_object_get_ex(o, key, &v))
		return json_object_set_int64(v, json_object_get_int64(v) + n) ? 0 : -1;
	v = json_object_new_int64(n);
	if (!v || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* What record i is counted under: its source, or the rule that removed it. */
static const char *count_key(const struct wn_dedup *d, size_t i, int by_rule)
{
	if (by_rule)
		return dd_rule_name(d->via && d->via[i] ? d->via[i]->rule : DD_R_MANUAL);
	return d->recs[i]->source ? d->recs[i]->source : "(none)";
}

/* {source: n} over the records (all, or removed ones), keys sorted so the ledger line
 * does not depend on input order. Records of one source come in runs (one export file
 * after another), so a run is counted first and added to the object once when the key
 * changes: one hash lookup per run instead of one per record (three passes over 1M
 * records cost 0.27 s on the main thread). A source met again later only adds to its
 * count. */
static json_object *by_source(const struct wn_dedup *d, int removed_only, int by_rule)
{
	json_object *tmp = json_object_new_object(), *out = NULL;
	size_t i, nkeys = 0;
	const char **keys = NULL;
	const char *run_key = NULL;
	int64_t run = 0;

	if (!tmp)
		return NULL;
	for (i = 0; i < d->nrecs; i++) {
		const char *key;
		if (removed_only && (!d->kept || d->kept[i] == i))
			continue;
		key = count_key(d, i, by_rule);
		if (run && key != run_key && strcmp(key, run_key) != 0) {
			if (count_add(tmp, run_key, run) < 0)
				goto out;
			run = 0;
		}
		if (!run)
			run_key = key;
		run++;
	}
	if (run && count_add(tmp, run_key, run) < 0)
		goto out;
	keys = wn_malloc((size_t)(json_object_object_length(tmp) + 1) * sizeof(*keys));
	if (!keys)
		goto out;
	{
		json_object_object_foreach(tmp, k, v) {
			(void)v;
			keys[nkeys++] = k;
		}
	}
	/* insertion sort: a handful of sources */
	for (i = 1; i < nkeys; i++) {
		const char *x = keys[i];
		size_t j = i;
		while (j > 0 && strcmp(keys[j - 1], x) > 0) {
			keys[j] = keys[j - 1];
			j--;
		}
		keys[j] = x;
	}
	out = json_object_new_object();
	for (i = 0; out && i < nkeys; i++) {
		json_object *v;
		json_object_object_get_ex(tmp, keys[i], &v);
		if (json_object_object_add(out, keys[i], json_object_get(v)) != 0) {
			json_object_put(v);
			json_object_put(out);
			out = NULL;
		}
	}
out:
	wn_free(keys);
	json_object_put(tmp);
	return out;
}

json_object *wn_dedup_in_by_source(const struct wn_dedup *d)
{
	return by_source(d, 0, 0);
}

json_object *wn_dedup_removed_by_source(const struct wn_dedup *d)
{
	return by_source(d, 1, 0);
}

json_object *wn_dedup_removed_by_rule(const struct wn_dedup *d)
{
	return by_source(d, 1, 1);
}

/* ---------------------------------------------------------------- explain */

static const struct dd_rec *find_id(const struct wn_dedup *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->nrecs; i++)
		if (d->recs[i]->id && strcmp(d->recs[i]->id, id) == 0)
			return d->recs[i];
	return NULL;
}

static json_object *normalised_json(const struct dd_rec *r)
{
	json_object *o = json_object_new_object(), *au = json_object_new_array();
	size_t i;
	char buf[64];

	if (!o || !au) {
		json_object_put(o);
		json_object_put(au);
		return NULL;
	}
	json_object_object_add(o, "title", json_object_new_string(r->title));
	for (i = 0; i < r->nstored; i++) {
		snprintf(buf, sizeof(buf), "%.40s|%s", r->authors[i].sur, r->authors[i].ini);
		json_object_array_add(au, json_object_new_string(buf));
	}
	json_object_object_add(o, "authors", au);
	json_object_object_add(o, "authors_total", json_object_new_int(r->nauthors));
	if (r->group)
		json_object_object_add(o, "group", json_object_new_string(r->group));
	json_object_object_add(o, "year", json_object_new_int(r->year));
	json_object_object_add(o, "journal", json_object_new_string(r->journal));
	json_object_object_add(o, "journal_abbrev", json_object_new_string(r->jabbrev));
	json_object_object_add(o, "volume", json_object_new_int64(r->volume));
	json_object_object_add(o, "issue", json_object_new_int64(r->issue));
	snprintf(buf, sizeof(buf), "%s%u-%u%s", r->pages.prefix, r->pages.start, r->pages.end,
		 r->pages.roman ? " (roman)" : "");
	json_object_object_add(o, "pages", json_object_new_string(buf));
	json_object_object_add(o, "dois", json_object_new_string(r->dois));
	json_object_object_add(o, "pmid", json_object_new_int64((int64_t)r->pmid));
	json_object_object_add(o, "title_flags", json_object_new_int(r->tflags));
	json_object_object_add(o, "title_words", json_object_new_int(r->twords));
	json_object_object_add(o, "kind", json_object_new_int(r->kind));
	json_object_object_add(o, "completeness", json_object_new_int(r->completeness));
	return o;
}

int wn_dedup_explain(struct wn_dedup *d, const char *ida, const char *idb, FILE *out,
		     struct wn_err *err)
{
	const struct dd_rec *a = find_id(d, ida), *b = find_id(d, idb);
	struct dd_evidence ev;
	int rule, why, rc;
	enum dd_verdict v;
	json_object *o, *norm;

	if (!a || !b)
		return wn_err_set(err, WN_EUSAGE, "--explain: no record with id '%s' in the input",
				  !a ? ida : idb);
	v = dd_compare(a, b, &ev, &rule, &why, 1);
	o = json_object_new_object();
	norm = json_object_new_object();
	if (!o || !norm) {
		json_object_put(o);
		json_object_put(norm);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	json_object_object_add(o, "verdict", json_object_new_string(v == DD_DUP ? "duplicate" :
				     v == DD_MAYBE ? "maybe" : "different"));
	if (v == DD_DUP)
		json_object_object_add(o, "rule", json_object_new_string(dd_rule_name(rule)));
	if (v != DD_DUP)
		json_object_object_add(o, "reason", json_object_new_string(dd_reason_name(why)));
	json_object_object_add(o, "evidence", dd_evidence_json(a, b, &ev));
	json_object_object_add(norm, ida, normalised_json(a));
	json_object_object_add(norm, idb, normalised_json(b));
	json_object_object_add(o, "normalised", norm);
	rc = fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), out) == EOF ||
	     putc('\n', out) == EOF;
	json_object_put(o);
	return rc ? wn_err_set(err, WN_EIO, "cannot write the explanation") : 0;
}

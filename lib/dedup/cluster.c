/*
 * cluster.c - from duplicate pairs to clusters, and the record each cluster keeps
 * (see dd.h).
 *
 * Union-find (by size, with path halving) over the duplicate pairs. Pairwise decisions
 * are not transitive on their own: A = B and B = C can chain two records that must never
 * be one (two different PMIDs, through a record without one). So every cluster carries
 * the set of its exclusive identifiers - PMID, PMCID, Cochrane review version - and the
 * records a person declared different from one of its members; a union that would bring
 * a conflict together is refused and the pair goes to the maybe list instead. The
 * --keep-apart sets are tokens too, with the opposite test: two clusters that both hold
 * a record of one set conflict (two records deduplicated before are different).
 *
 * The outcome must not depend on input order, so pairs are applied in a fixed order:
 * decisions by a person first, then by rule strength, score (best first), and the
 * canonical rank of the two records.
 *
 * The record kept: the one from the most preferred source (--prefer), then the most
 * complete (abstract, identifiers, pages ... see features.c), then the smallest id, then
 * the content hash. Each removed record is explained by its best pair inside the
 * cluster (the first applied pair that touches it).
 */
#include <stdlib.h>
#include <string.h>
#include "winnow/alloc.h"
#include "dd.h"

#define NIL UINT32_MAX
#define TOK_PMID 1
#define TOK_PMCID 2
#define TOK_COCHRANE 3
#define TOK_APART 4 /* conflicts on the same value, not on a different one */

struct uf {
	uint32_t *parent, *size;
	/* exclusive identifiers per root: linked lists in a pool */
	uint32_t *tok_head;
	uint8_t *tok_kind;
	uint64_t *tok_val;
	uint32_t *tok_next;
	size_t ntok, tokcap;
	/* "different" decisions: per root, the partner records */
	uint32_t *cl_head, *cl_tail;
	uint32_t *cl_rec, *cl_next;
	size_t ncl, clcap;
};

static uint32_t uf_find(struct uf *u, uint32_t x)
{
	while (u->parent[x] != x) {
		u->parent[x] = u->parent[u->parent[x]];
		x = u->parent[x];
	}
	return x;
}

static int tok_add(struct uf *u, uint32_t root, uint8_t kind, uint64_t val, struct wn_err *err)
{
	size_t cap = u->tokcap;

	if (u->ntok + 1 > cap) {
		size_t ncap = cap ? cap * 2 : 1024;
		void *p;
		if (!(p = wn_reallocarray(u->tok_kind, ncap, sizeof(*u->tok_kind))))
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		u->tok_kind = p;
		if (!(p = wn_reallocarray(u->tok_val, ncap, sizeof(*u->tok_val))))
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		u->tok_val = p;
		if (!(p = wn_reallocarray(u->tok_next, ncap, sizeof(*u->tok_next))))
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		u->tok_next = p;
		u->tokcap = ncap;
	}
	u->tok_kind[u->ntok] = kind;
	u->tok_val[u->ntok] = val;
	u->tok_next[u->ntok] = u->tok_head[root];
	u->tok_head[root] = (uint32_t)u->ntok;
	u->ntok++;
	return 0;
}

static int cl_add(struct uf *u, uint32_t root, uint32_t partner, struct wn_err *err)
{
	if (u->ncl + 1 > u->clcap) {
		size_t ncap = u->clcap ? u->clcap * 2 : 64;
		void *p;
		if (!(p = wn_reallocarray(u->cl_rec, ncap, sizeof(*u->cl_rec))))
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		u->cl_rec = p;
		if (!(p = wn_reallocarray(u->cl_next, ncap, sizeof(*u->cl_next))))
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		u->cl_next = p;
		u->clcap = ncap;
	}
	u->cl_rec[u->ncl] = partner;
	u->cl_next[u->ncl] = NIL;
	if (u->cl_head[root] == NIL)
		u->cl_head[root] = (uint32_t)u->ncl;
	else
		u->cl_next[u->cl_tail[root]] = (uint32_t)u->ncl;
	u->cl_tail[root] = (uint32_t)u->ncl;
	u->ncl++;
	return 0;
}

/* 1 if clusters x and y (roots) must not be joined. `same_id`: the pair is one record
 * imported twice, which no --keep-apart set can make two. */
static int conflict(struct uf *u, uint32_t x, uint32_t y, int manual, int same_id)
{
	uint32_t i, j;

	for (i = u->cl_head[x]; i != NIL; i = u->cl_next[i])
		if (uf_find(u, u->cl_rec[i]) == y)
			return 1;
	for (i = u->cl_head[y]; i != NIL; i = u->cl_next[i])
		if (uf_find(u, u->cl_rec[i]) == x)
			return 1;
	if (manual)
		return 0; /* a person's "same" outranks identifiers */
	for (i = u->tok_head[x]; i != NIL; i = u->tok_next[i])
		for (j = u->tok_head[y]; j != NIL; j = u->tok_next[j])
			if (u->tok_kind[i] == u->tok_kind[j] &&
			    (u->tok_kind[i] == TOK_APART) == (u->tok_val[i] == u->tok_val[j]) &&
			    !(same_id && u->tok_kind[i] == TOK_APART))
				return 1;
	return 0;
}

static int uf_union(struct uf *u, uint32_t x, uint32_t y, struct wn_err *err)
{
	uint32_t i, j;

	if (u->size[x] < u->size[y]) {
		uint32_t t = x;
		x = y;
		y = t;
	}
	u->parent[y] = x;
	u->size[x] += u->size[y];
	/* tokens of y that x does not have yet */
	for (i = u->tok_head[y]; i != NIL; i = u->tok_next[i]) {
		int have = 0;
		for (j = u->tok_head[x]; j != NIL && !have; j = u->tok_next[j])
			have = u->tok_kind[i] == u->tok_kind[j] && u->tok_val[i] == u->tok_val[j];
		if (!have && tok_add(u, x, u->tok_kind[i], u->tok_val[i], err) < 0)
			return -1;
	}
	if (u->cl_head[y] != NIL) {
		if (u->cl_head[x] == NIL)
			u->cl_head[x] = u->cl_head[y];
		else
			u->cl_next[u->cl_tail[x]] = u->cl_head[y];
		u->cl_tail[x] = u->cl_tail[y];
	}
	return 0;
}

static void uf_release(struct uf *u)
{
	wn_free(u->parent);
	wn_free(u->size);
	wn_free(u->tok_head);
	wn_free(u->tok_kind);
	wn_free(u->tok_val);
	wn_free(u->tok_next);
	wn_free(u->cl_head);
	wn_free(u->cl_tail);
	wn_free(u->cl_rec);
	wn_free(u->cl_next);
}

static int uf_init(struct uf *u, struct wn_dedup *d, struct wn_err *err)
{
	size_t n = d->nrecs ? d->nrecs : 1, i;

	memset(u, 0, sizeof(*u));
	u->parent = wn_malloc(n * sizeof(*u->parent));
	u->size = wn_malloc(n * sizeof(*u->size));
	u->tok_head = wn_malloc(n * sizeof(*u->tok_head));
	u->cl_head = wn_malloc(n * sizeof(*u->cl_head));
	u->cl_tail = wn_malloc(n * sizeof(*u->cl_tail));
	if (!u->parent || !u->size || !u->tok_head || !u->cl_head || !u->cl_tail)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < d->nrecs; i++) {
		const struct dd_rec *r = d->recs[i];
		u->parent[i] = (uint32_t)i;
		u->size[i] = 1;
		u->tok_head[i] = NIL;
		u->cl_head[i] = u->cl_tail[i] = NIL;
		if (r->pmid && tok_add(u, (uint32_t)i, TOK_PMID, r->pmid, err) < 0)
			return -1;
		if (r->pmcid && tok_add(u, (uint32_t)i, TOK_PMCID, r->pmcid, err) < 0)
			return -1;
		if (r->cochrane && r->cochrane_version &&
		    tok_add(u, (uint32_t)i, TOK_COCHRANE, (uint64_t)r->cochrane << 8 | r->cochrane_version, err) < 0)
			return -1;
		if (r->apart && tok_add(u, (uint32_t)i, TOK_APART, r->apart, err) < 0)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- edge order */

/* The order in which pairs are applied (rule, best score first, then the ranks of the
 * two records), as two numbers per edge: the sort then reads one flat array instead of
 * following each edge to its records (a cache miss per comparison at a million). */
struct edge_key {
	uint64_t hi, lo;
};

struct edge_sort {
	const struct edge_key *k; /* by edge index */
};

static uint32_t score_order(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	/* IEEE 754 bits as an unsigned order: negative values reversed below positive */
	return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

static void edge_key_of(const struct wn_dedup *d, const struct dd_edge *e, struct edge_key *k)
{
	k->hi = (uint64_t)e->rule << 32 | (uint64_t)(UINT32_MAX - score_order(e->score));
	k->lo = (uint64_t)d->recs[e->a]->rank << 32 | d->recs[e->b]->rank;
}

static int edge_cmp(void *ctx, uint32_t x, uint32_t y)
{
	const struct edge_sort *s = ctx;
	const struct edge_key *a = &s->k[x], *b = &s->k[y];

	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* ---------------------------------------------------------------- keep order */

static int keep_cmp(void *ctx, uint32_t x, uint32_t y)
{
	struct wn_dedup *d = ctx;
	const struct dd_rec *a = d->recs[x], *b = d->recs[y];
	int c;

	if (a->prefer != b->prefer)
		return a->prefer < b->prefer ? -1 : 1;
	if (a->completeness != b->completeness)
		return a->completeness > b->completeness ? -1 : 1;
	if (a->id && b->id) {
		c = strcmp(a->id, b->id);
		if (c)
			return c;
	} else if (a->id != b->id) {
		return a->id ? -1 : 1; /* a record with an id before one without */
	}
	if (a->line_hash != b->line_hash)
		return a->line_hash < b->line_hash ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* ---------------------------------------------------------------- clustering */

int dd_cluster(struct wn_dedup *d, struct wn_err *err)
{
	struct uf u;
	uint32_t *order = NULL, *tmp = NULL, *cnt = NULL, *members = NULL;
	struct dd_edge *maybe = NULL;
	size_t nmaybe = 0, maybecap = 0, i, n = d->nrecs, ndup = 0;
	struct edge_sort es;
	struct edge_key *keys = NULL;
	int rc = -1;

	if (uf_init(&u, d, err) < 0)
		goto out;
	d->kept = wn_malloc((n ? n : 1) * sizeof(*d->kept));
	d->next_member = wn_malloc((n ? n : 1) * sizeof(*d->next_member));
	d->via = wn_calloc(n ? n : 1, sizeof(*d->via));
	if (!d->kept || !d->next_member || !d->via) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	/* "different" decisions first: they constrain everything after */
	for (i = 0; i < d->ndecisions; i++) {
		const struct dd_decision *dc = &d->decisions[i];
		if (!dc->resolved || dc->same)
			continue;
		if (cl_add(&u, dc->a, dc->b, err) < 0 || cl_add(&u, dc->b, dc->a, err) < 0)
			goto out;
	}
	/* then a person's "same", then the automatic pairs, strongest first */
	for (i = 0; i < d->nmanual; i++) {
		const struct dd_edge *e = &d->manual[i];
		uint32_t x = uf_find(&u, e->a), y = uf_find(&u, e->b);
		if (x == y)
			continue;
		if (conflict(&u, x, y, 1, 0)) {
			d->stats.conflicts++;
			continue;
		}
		if (uf_union(&u, x, y, err) < 0)
			goto out;
		if (!d->via[e->a])
			d->via[e->a] = e;
		if (!d->via[e->b])
			d->via[e->b] = e;
	}
	for (i = 0; i < d->nedges; i++)
		if (d->edges[i].verdict == DD_DUP)
			ndup++;
	order = wn_malloc((d->nedges ? d->nedges : 1) * sizeof(*order));
	tmp = wn_malloc((d->nedges ? d->nedges : 1) * sizeof(*tmp));
	if (!order || !tmp) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	{
		size_t k = 0;
		for (i = 0; i < d->nedges; i++)
			if (d->edges[i].verdict == DD_DUP)
				order[k++] = (uint32_t)i;
	}
	keys = wn_malloc((d->nedges ? d->nedges : 1) * sizeof(*keys));
	if (!keys) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < ndup; i++)
		edge_key_of(d, &d->edges[order[i]], &keys[order[i]]);
	es.k = keys;
	dd_sort_u32(order, ndup, tmp, edge_cmp, &es);
	for (i = 0; i < ndup; i++) {
		struct dd_edge *e = &d->edges[order[i]];
		uint32_t x = uf_find(&u, e->a), y = uf_find(&u, e->b);
		if (x == y)
			continue;
		if (conflict(&u, x, y, 0, e->rule == DD_R_SAME_ID)) {
			/* refused: a person should look at it */
			e->verdict = DD_MAYBE;
			e->why = DD_WHY_CLUSTER;
			d->stats.conflicts++;
			continue;
		}
		if (uf_union(&u, x, y, err) < 0)
			goto out;
		if (!d->via[e->a])
			d->via[e->a] = e;
		if (!d->via[e->b])
			d->via[e->b] = e;
	}

	/* members of each cluster, in keep order */
	cnt = wn_calloc(n + 1, sizeof(*cnt));
	members = wn_malloc((n ? n : 1) * sizeof(*members));
	wn_free(tmp);
	tmp = wn_malloc((n ? n : 1) * sizeof(*tmp));
	if (!cnt || !members || !tmp) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		cnt[uf_find(&u, (uint32_t)i) + 1]++;
	for (i = 0; i < n; i++)
		cnt[i + 1] += cnt[i];
	for (i = 0; i < n; i++) {
		uint32_t r = uf_find(&u, (uint32_t)i);
		members[cnt[r]++] = (uint32_t)i;
	}
	/* cnt[r] is now the end of r's group; its start is the previous root's end */
	{
		size_t start = 0;
		for (i = 0; i < n; i++) {
			size_t end, k;
			if (uf_find(&u, (uint32_t)i) != i)
				continue;
			end = cnt[i];
			start = end - u.size[i];
			if (end - start > 1) {
				dd_sort_u32(members + start, end - start, tmp, keep_cmp, d);
				d->stats.clusters++;
			}
			for (k = start; k < end; k++) {
				d->kept[members[k]] = members[start];
				d->next_member[members[k]] = k + 1 < end ? members[k + 1] : NIL;
			}
		}
	}
	d->stats.records_in = n;
	d->stats.records_out = 0;
	for (i = 0; i < n; i++) {
		if (d->kept[i] == i) {
			d->stats.records_out++;
		} else if (d->via[i] && d->via[i]->rule == DD_R_SAME_ID) {
			d->stats.same_id++;
		}
	}
	d->stats.removed = n - d->stats.records_out;

	/* the maybe pairs that still join two clusters, one per pair of clusters, best
	 * first; pairs a person decided are not asked again */
	for (i = 0; i < d->nedges; i++) {
		const struct dd_edge *e = &d->edges[i];
		if (e->verdict != DD_MAYBE || d->kept[e->a] == d->kept[e->b])
			continue;
		if (dd_grow((void **)&maybe, &maybecap, nmaybe + 1, sizeof(*maybe), err) < 0)
			goto out;
		maybe[nmaybe++] = *e;
	}
	{
		/* drop pairs between clusters a person called different, and repeats */
		size_t k = 0, j;
		uint32_t *mo = wn_malloc((nmaybe ? nmaybe : 1) * sizeof(*mo));
		uint32_t *mt = wn_malloc((nmaybe ? nmaybe : 1) * sizeof(*mt));
		struct dd_edge *out_edges;
		if (!mo || !mt) {
			wn_free(mo);
			wn_free(mt);
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto out;
		}
		for (i = 0; i < nmaybe; i++)
			mo[i] = (uint32_t)i;
		/* best first: rule field is unused for maybes, so order by score, rank */
		for (i = 0; i < nmaybe; i++)
			maybe[i].rule = 0;
		wn_free(keys);
		keys = wn_malloc((nmaybe ? nmaybe : 1) * sizeof(*keys));
		if (!keys) {
			wn_free(mo);
			wn_free(mt);
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto out;
		}
		for (i = 0; i < nmaybe; i++)
			edge_key_of(d, &maybe[i], &keys[i]);
		es.k = keys;
		dd_sort_u32(mo, nmaybe, mt, edge_cmp, &es);
		out_edges = wn_malloc((nmaybe ? nmaybe : 1) * sizeof(*out_edges));
		if (!out_edges) {
			wn_free(mo);
			wn_free(mt);
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto out;
		}
		{
			/* a small open-addressing set of cluster pairs already listed */
			size_t hcap = 16, mask;
			uint64_t *seen;
			while (hcap < nmaybe * 2)
				hcap *= 2;
			mask = hcap - 1;
			seen = wn_calloc(hcap, sizeof(*seen));
			if (!seen) {
				wn_free(mo);
				wn_free(mt);
				wn_free(out_edges);
				wn_err_set(err, WN_ENOMEM, "out of memory");
				goto out;
			}
			for (i = 0; i < nmaybe; i++) {
				const struct dd_edge *e = &maybe[mo[i]];
				uint32_t ka = d->kept[e->a], kb = d->kept[e->b];
				uint64_t key = ka < kb ? ((uint64_t)ka << 32 | kb) : ((uint64_t)kb << 32 | ka);
				size_t h;
				int skip = 0;
				key += 1; /* 0 marks an empty slot */
				for (j = u.cl_head[uf_find(&u, e->a)]; j != NIL && !skip; j = u.cl_next[j])
					skip = uf_find(&u, u.cl_rec[j]) == uf_find(&u, e->b);
				if (skip)
					continue;
				for (h = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask; seen[h]; h = (h + 1) & mask)
					if (seen[h] == key)
						skip = 1;
				if (skip)
					continue;
				seen[h] = key;
				out_edges[k++] = *e;
			}
			wn_free(seen);
		}
		wn_free(mo);
		wn_free(mt);
		d->maybe = out_edges;
		d->nmaybe = k;
		d->stats.maybe_pairs = k;
	}
	rc = 0;
out:
	wn_free(keys);
	wn_free(maybe);
	wn_free(order);
	wn_free(tmp);
	wn_free(cnt);
	wn_free(members);
	uf_release(&u);
	return rc;
}

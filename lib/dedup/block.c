/*
 * block.c - canonical record order and candidate pairs from blocking keys (see dd.h).
 *
 * Canonical order ("rank"): records sorted by the hash of their id, then the hash of
 * their whole line. It depends only on the records, so everything ordered by it -
 * members of a block, the orientation of a pair - is the same however the input was
 * ordered.
 *
 * Keys are grouped in place by their top 16 bits (American flag sort) and each bucket is sorted on
 * its own (in parallel: buckets are independent), so equal keys - a block - sit
 * together, members in rank order. A block of up to block_cap records yields all its
 * pairs. A larger one (a generic title such as "Editorial", a book DOI shared by fifty
 * chapters, a common volume/page combination) would yield a quadratic number of pairs,
 * so its members are sorted by title, year, first author and start page, and each is
 * paired with the next `window` records: duplicates, which agree on those, end up next
 * to each other (a third of the window for the title prefix and suffix keys: sorted by
 * the whole title, a record's duplicates are its nearest neighbours, and a million
 * records of one field fill such blocks by the thousand). Such blocks are counted in the statistics and reported by the tool, so
 * a capped block is never silent. Records sharing an id are chained in rank order (the
 * relation is transitive, so n-1 pairs suffice).
 *
 * Pairs from all blocks are sorted and made unique: a pair that shares five keys is
 * compared once.
 */
#include <stdlib.h>
#include <string.h>
#include "winnow/alloc.h"
#include "dd.h"

/* ---------------------------------------------------------------- rank */

int dd_rec_order(const struct dd_rec *a, const struct dd_rec *b)
{
	if (a->id_hash != b->id_hash)
		return a->id_hash < b->id_hash ? -1 : 1;
	if (a->line_hash != b->line_hash)
		return a->line_hash < b->line_hash ? -1 : 1;
	if (a->id && b->id) {
		int c = strcmp(a->id, b->id);
		if (c)
			return c;
	}
	return 0;
}

struct rank_item {
	uint64_t h1, h2;
	uint32_t idx;
};

static int rank_cmp(const void *x, const void *y)
{
	const struct rank_item *a = x, *b = y;

	if (a->h1 != b->h1)
		return a->h1 < b->h1 ? -1 : 1;
	if (a->h2 != b->h2)
		return a->h2 < b->h2 ? -1 : 1;
	/* identical lines: interchangeable, any fixed order will do */
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* LSD radix sort by h1, 11 bits a pass (6 passes; 2048 counters stay in the cache).
 * Stable, so records with the same h1 (the same id) stay in input order; those rare runs
 * are then put in rank_cmp order. A comparison sort here cost a serial second at 1M
 * records. */
#define RANK_BITS 11
#define RANK_DIGITS ((size_t)1 << RANK_BITS)

/* Returns the array that holds the result (it or tmp). */
static struct rank_item *rank_sort(struct rank_item *it, struct rank_item *tmp, size_t n)
{
	size_t count[RANK_DIGITS];
	unsigned shift;
	size_t i, j;

	for (shift = 0; shift < 64; shift += RANK_BITS) {
		struct rank_item *t;
		size_t sum = 0;

		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(it[i].h1 >> shift) & (RANK_DIGITS - 1)]++;
		if (count[(it[0].h1 >> shift) & (RANK_DIGITS - 1)] == n)
			continue; /* every key has this digit: nothing moves */
		for (j = 0; j < RANK_DIGITS; j++) {
			size_t c = count[j];
			count[j] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[count[(it[i].h1 >> shift) & (RANK_DIGITS - 1)]++] = it[i];
		t = it;
		it = tmp;
		tmp = t;
	}
	return it;
}

static int compute_ranks(struct wn_dedup *d, uint32_t *ranks, struct wn_err *err)
{
	size_t n = d->nrecs, i, j;
	struct rank_item *it = wn_calloc(n ? 2 * n : 1, sizeof(*it)), *res;

	if (!it)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		it[i].h1 = d->recs[i]->id_hash;
		it[i].h2 = d->recs[i]->line_hash;
		it[i].idx = (uint32_t)i;
	}
	res = n ? rank_sort(it, it + n, n) : it;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && res[j].h1 == res[i].h1; j++)
			;
		if (j - i > 1)
			qsort(res + i, j - i, sizeof(*res), rank_cmp);
	}
	for (i = 0; i < n; i++) {
		d->recs[res[i].idx]->rank = (uint32_t)i;
		ranks[res[i].idx] = (uint32_t)i;
	}
	wn_free(it);
	return 0;
}

/* ---------------------------------------------------------------- sorting keys */

#define BUCKET_BITS 16
#define NBUCKETS ((size_t)1 << BUCKET_BITS)

struct key_sort {
	struct wn_dedup *d;
	struct dd_key *keys;      /* bucketed */
	size_t *start;            /* NBUCKETS + 1 */
};

/* Keys by value, then record index: no record is touched (they are scattered in
 * memory; a sort that looked at them would wait on the cache for every comparison).
 * Where the order inside a block matters, block_pairs orders it by content. */
static int key_cmp_rank(struct wn_dedup *d, const struct dd_key *a, const struct dd_key *b)
{
	(void)d;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->rec < b->rec ? -1 : a->rec > b->rec;
}

/* By key, then record: insertion sort for a few keys, merge sort (via a scratch copy)
 * for a run of one key (a block: only the record order is left to settle). */
static void sort_by_rec(struct wn_dedup *d, struct dd_key *k, size_t n, struct dd_key *tmp)
{
	size_t i, j, mid, a, b, o;

	if (n <= 24) {
		for (i = 1; i < n; i++) {
			struct dd_key x = k[i];
			for (j = i; j > 0 && key_cmp_rank(d, &k[j - 1], &x) > 0; j--)
				k[j] = k[j - 1];
			k[j] = x;
		}
		return;
	}
	mid = n / 2;
	sort_by_rec(d, k, mid, tmp);
	sort_by_rec(d, k + mid, n - mid, tmp);
	memcpy(tmp, k, n * sizeof(*k));
	for (a = 0, b = mid, o = 0; a < mid && b < n;)
		k[o++] = key_cmp_rank(d, &tmp[a], &tmp[b]) <= 0 ? tmp[a++] : tmp[b++];
	while (a < mid)
		k[o++] = tmp[a++];
	while (b < n)
		k[o++] = tmp[b++];
}

static void flag_sort(struct dd_key *k, size_t n, unsigned shift);

/* Keys that agree above bit `shift`+8, sorted: the next 8 bits by an American flag pass,
 * then each part on its own - keys are hashes, so a part of a few hundred keys falls
 * apart into parts of one or two, and only runs of one key (blocks) are compared. */
static void sort_keys(struct wn_dedup *d, struct dd_key *k, size_t n, unsigned shift,
		      struct dd_key *tmp)
{
	size_t i, j;

	if (n <= 24) {
		sort_by_rec(d, k, n, tmp);
		return;
	}
	if (k[0].key == k[n - 1].key) {
		for (i = 1; i < n && k[i].key == k[0].key; i++)
			;
		if (i == n) {
			sort_by_rec(d, k, n, tmp); /* one key: a block */
			return;
		}
	}
	flag_sort(k, n, shift);
	for (i = 0; i < n; i = j) {
		unsigned digit = (unsigned)((k[i].key >> shift) & 0xFF);
		for (j = i + 1; j < n && (unsigned)((k[j].key >> shift) & 0xFF) == digit; j++)
			;
		if (j - i < 2)
			continue;
		if (shift == 0)
			sort_by_rec(d, k + i, j - i, tmp); /* all 64 bits equal */
		else
			sort_keys(d, k + i, j - i, shift - 8, tmp);
	}
}

static int sort_bucket_range(void *ctx, size_t chunk, size_t begin, size_t end, struct wn_err *err)
{
	struct key_sort *ks = ctx;
	struct dd_key *tmp = NULL;
	size_t tmpcap = 0, bk;

	(void)chunk;
	for (bk = begin; bk < end; bk++) {
		size_t n = ks->start[bk + 1] - ks->start[bk];
		if (n < 2)
			continue;
		if (n > 24 && n > tmpcap) {
			wn_free(tmp);
			tmp = wn_malloc(n * sizeof(*tmp));
			if (!tmp)
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			tmpcap = n;
		}
		sort_keys(ks->d, ks->keys + ks->start[bk], n, 64 - BUCKET_BITS - 8, tmp);
	}
	wn_free(tmp);
	return 0;
}

/* In-place radix pass on 8 bits of the key (bits shift..shift+7): American flag sort. */
static void flag_sort(struct dd_key *k, size_t n, unsigned shift)
{
	size_t count[256], next[256], end[256], i, sum = 0;

	if (n < 2)
		return;
	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++)
		count[(k[i].key >> shift) & 0xFF]++;
	for (i = 0; i < 256; i++) {
		next[i] = sum;
		sum += count[i];
		end[i] = sum;
	}
	for (i = 0; i < 256; i++) {
		while (next[i] < end[i]) {
			size_t t = (size_t)((k[next[i]].key >> shift) & 0xFF);
			if (t == i) {
				next[i]++;
			} else {
				struct dd_key x = k[next[i]];
				k[next[i]] = k[next[t]];
				k[next[t]++] = x;
			}
		}
	}
}

/* ---------------------------------------------------------------- pairs */

struct pairs {
	uint64_t *v;
	size_t n, cap;
	const uint32_t *rank;  /* rank of each record, a flat copy: the records themselves
				* are scattered in memory */
};

static int add_pair(struct pairs *p, struct wn_dedup *d, uint32_t x, uint32_t y, struct wn_err *err)
{
	(void)d;
	if (x == y)
		return 0;
	if (p->rank[x] > p->rank[y]) {
		uint32_t t = x;
		x = y;
		y = t;
	}
	if (p->n == p->cap && dd_grow((void **)&p->v, &p->cap, p->n + 1, sizeof(*p->v), err) < 0)
		return -1;
	p->v[p->n++] = (uint64_t)x << 32 | y;
	return 0;
}

/* Order of records inside an oversized block: title, year, first author, start page,
 * rank - duplicates agree on the first ones and end up close together. */
struct window_ctx {
	struct wn_dedup *d;
	int from_end; /* compare titles from their last letter (title-suffix blocks) */
	const struct dd_key *k;  /* the block's keys (positions sorted index them) */
	const uint64_t *pre;     /* by position: title_prefix of its record */
};

/* strcmp of the two strings read backwards */
static int rstrcmp(const char *a, const char *b)
{
	size_t i = strlen(a), j = strlen(b);

	while (i > 0 && j > 0) {
		unsigned char x = (unsigned char)a[--i], y = (unsigned char)b[--j];
		if (x != y)
			return x < y ? -1 : 1;
	}
	return i > 0 ? 1 : j > 0 ? -1 : 0;
}

static int window_cmp(void *ctx, uint32_t x, uint32_t y)
{
	const struct window_ctx *w = ctx;
	const struct dd_rec *a = w->d->recs[x], *b = w->d->recs[y];
	int c = w->from_end ? rstrcmp(a->title, b->title) : strcmp(a->title, b->title);

	if (c)
		return c;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->nstored && b->nstored) {
		c = strcmp(a->authors[0].sur, b->authors[0].sur);
		if (c)
			return c;
	} else if (a->nstored != b->nstored) {
		return a->nstored < b->nstored ? -1 : 1;
	}
	if (a->pages.start != b->pages.start)
		return a->pages.start < b->pages.start ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* (dd.h) */
uint64_t dd_title_prefix(const char *title, size_t n, int from_end)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8; i++) {
		unsigned char c = i < n ? (unsigned char)title[from_end ? n - 1 - i : i] : 0;
		v = v << 8 | c;
	}
	return v;
}

/* window_cmp on positions in the block: the prefixes first (one flat array), the
 * records only when they tie - a sort that read two records per comparison waited on
 * the memory for each */
static int window_pos_cmp(void *ctx, uint32_t x, uint32_t y)
{
	const struct window_ctx *w = ctx;

	if (w->pre[x] != w->pre[y])
		return w->pre[x] < w->pre[y] ? -1 : 1;
	return window_cmp(ctx, w->k[x].rec, w->k[y].rec);
}

/* The loose keys - a title's first or last letters, year with volume and page - bring
 * together records of one topic or one journal issue that have nothing else in common.
 * Their pairs are kept only when the first authors share a letter (surname or first
 * initial, either way round: "Myong, C L" / "Lim, M C", "Chen" / "Che"; or the second
 * author's surname: the first two in the other order), or one record has no author.
 * Duplicates nearly always pass; most strangers do not. */
static int loose_kind(int kind)
{
	return kind == DD_KEY_TITLE_PRE || kind == DD_KEY_TITLE_SUF || kind == DD_KEY_YEAR_PAGE;
}

static int gated(const struct dd_key *x, const struct dd_key *y)
{
	uint32_t gx = x->info & DD_KEY_GATE, gy = y->info & DD_KEY_GATE;

	return gx && gy && !(gx & gy);
}

/* Both keys made for the year after the records' own: their own year's block has the
 * pair already. */
static int both_second(const struct dd_key *x, const struct dd_key *y)
{
	return (x->info & y->info & DD_KEY_SECOND) != 0;
}

static int rank_order(void *ctx, uint32_t x, uint32_t y)
{
	struct wn_dedup *d = ctx;
	uint32_t rx = d->recs[x]->rank, ry = d->recs[y]->rank;

	return rx < ry ? -1 : rx > ry;
}

/* The block's records, sorted by cmp, in v (a scratch array of the same size in tmp).
 * Both are freed by the caller, also on failure. */
static int sorted_recs(const struct dd_key *k, size_t n, uint32_t **v, uint32_t **tmp,
		       int (*cmp)(void *, uint32_t, uint32_t), void *ctx, struct wn_err *err)
{
	size_t i;

	*v = wn_malloc(n * sizeof(**v));
	*tmp = wn_malloc(n * sizeof(**tmp));
	if (!*v || !*tmp)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		(*v)[i] = k[i].rec;
	dd_sort_u32(*v, n, *tmp, cmp, ctx);
	return 0;
}

struct block_stats {
	unsigned long largest, windowed;
};

static int block_pairs(struct wn_dedup *d, const struct dd_key *k, size_t n, struct pairs *p,
		       struct block_stats *bs, struct wn_err *err)
{
	size_t i, j, cap = d->opts.block_cap, w = d->opts.window;
	int kind = DD_KEY_KIND(&k[0]), loose = loose_kind(kind);

	if (n > bs->largest)
		bs->largest = n;
	if (kind == DD_KEY_ID) {
		/* a chain in rank order: the same pairs whatever the input order */
		uint32_t *v, *tmp;
		int rc = sorted_recs(k, n, &v, &tmp, rank_order, d, err);
		for (i = 1; i < n && rc == 0; i++)
			rc = add_pair(p, d, v[i - 1], v[i], err);
		wn_free(v);
		wn_free(tmp);
		return rc;
	}
	/* titles of one topic share their first or last 32 letters by the dozen; sorted by
	 * title, the duplicates among them are neighbours anyway */
	if (kind == DD_KEY_TITLE_PRE || kind == DD_KEY_TITLE_SUF) {
		cap = cap / 4 > 8 ? cap / 4 : 8;
		w = w / 3 > 4 ? w / 3 : 4;
	}
	if (n <= cap) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (!both_second(&k[i], &k[j]) && !(loose && gated(&k[i], &k[j])) &&
				    add_pair(p, d, k[i].rec, k[j].rec, err) < 0)
					return -1;
		return 0;
	}
	{
		/* positions in the block sorted (a key carries its record's author gate) */
		uint32_t *v = wn_malloc(n * sizeof(*v)), *tmp = wn_malloc(n * sizeof(*tmp));
		uint64_t *pre = wn_malloc(n * sizeof(*pre));
		struct window_ctx wc;
		int rc = 0;

		if (!v || !tmp || !pre) {
			rc = wn_err_set(err, WN_ENOMEM, "out of memory");
			goto window_done;
		}
		wc.d = d;
		wc.from_end = kind == DD_KEY_TITLE_SUF;
		wc.k = k;
		wc.pre = pre;
		for (i = 0; i < n; i++) {
			v[i] = (uint32_t)i;
			pre[i] = dd_title_prefix(d->recs[k[i].rec]->title, d->recs[k[i].rec]->title_len, wc.from_end);
		}
		dd_sort_u32(v, n, tmp, window_pos_cmp, &wc);
		for (i = 0; i < n && rc == 0; i++)
			for (j = i + 1; j < n && j <= i + w && rc == 0; j++) {
				if (loose && gated(&k[v[i]], &k[v[j]]))
					continue;
				rc = add_pair(p, d, k[v[i]].rec, k[v[j]].rec, err);
			}
		bs->windowed++;
window_done:
		wn_free(v);
		wn_free(tmp);
		wn_free(pre);
		return rc;
	}
}

struct flag_ctx {
	struct dd_key *keys;
	size_t bound[257];
};

static int flag_range(void *ctx, size_t chunk, size_t begin, size_t end, struct wn_err *err)
{
	struct flag_ctx *fc = ctx;
	size_t b;

	(void)chunk;
	(void)err;
	for (b = begin; b < end; b++)
		flag_sort(fc->keys + fc->bound[b], fc->bound[b + 1] - fc->bound[b], 48);
	return 0;
}

struct pair_ctx {
	struct wn_dedup *d;
	const struct dd_key *keys;
	size_t n;
	struct pairs *out;          /* per chunk */
	struct block_stats *stats;  /* per chunk */
};

static int pair_range(void *ctx, size_t chunk, size_t begin, size_t end, struct wn_err *err)
{
	struct pair_ctx *pc = ctx;
	const struct dd_key *k = pc->keys;
	size_t i = begin, j;

	/* a block that began in the previous chunk belongs to it */
	while (i > 0 && i < pc->n && k[i].key == k[i - 1].key)
		i++;
	for (; i < end; i = j) {
		for (j = i + 1; j < pc->n && k[j].key == k[i].key; j++)
			;
		if (j - i > 1 && block_pairs(pc->d, k + i, j - i, &pc->out[chunk], &pc->stats[chunk], err) < 0)
			return -1;
	}
	return 0;
}

/* LSD radix sort of 64-bit values, 16 bits a pass. */
static int radix_sort64(uint64_t *v, size_t n, struct wn_err *err)
{
	uint64_t *tmp, *src = v, *dst;
	size_t *count, pass, i;

	if (n < 2)
		return 0;
	tmp = wn_malloc(n * sizeof(*tmp));
	count = wn_malloc(NBUCKETS * sizeof(*count));
	if (!tmp || !count) {
		wn_free(tmp);
		wn_free(count);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	dst = tmp;
	for (pass = 0; pass < 4; pass++) {
		unsigned shift = (unsigned)(pass * 16);
		size_t sum = 0;
		memset(count, 0, NBUCKETS * sizeof(*count));
		for (i = 0; i < n; i++)
			count[(src[i] >> shift) & 0xFFFF]++;
		for (i = 0; i < NBUCKETS; i++) {
			size_t c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 0xFFFF]++] = src[i];
		{
			uint64_t *t = src;
			src = dst;
			dst = t;
		}
	}
	/* four passes: the result is back in v */
	wn_free(tmp);
	wn_free(count);
	return 0;
}

struct first_jobs {
	struct wn_dedup *d;
	uint32_t *ranks;
};

static int first_job(void *ctx, size_t chunk, size_t begin, size_t end, struct wn_err *err)
{
	struct first_jobs *fj = ctx;
	size_t j;

	(void)chunk;
	for (j = begin; j < end; j++) {
		if (j == 0 && compute_ranks(fj->d, fj->ranks, err) < 0)
			return -1;
		if (j == 1)
			flag_sort(fj->d->keys, fj->d->nkeys, 56);
	}
	return 0;
}

int dd_candidate_pairs(struct wn_dedup *d, uint64_t **out, size_t *nout, struct wn_err *err)
{
	struct key_sort ks;
	struct pairs p = { NULL, 0, 0, NULL };
	struct pair_ctx pc;
	struct dd_key *sorted = NULL;
	size_t i, j, c, chunk, nchunks = 0, *start = NULL;
	uint32_t *ranks;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	memset(&pc, 0, sizeof(pc));
	ranks = wn_malloc((d->nrecs ? d->nrecs : 1) * sizeof(*ranks));
	if (!ranks)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	/* the ranks, and the first pass of grouping the keys by their top 16 bits (in
	 * place: American flag sort, 8 bits at a time - 256 destinations keep the writes
	 * cache-friendly - with no second copy of the largest array of the run): two
	 * serial jobs that share nothing, so they run side by side */
	{
		struct first_jobs fj;
		fj.d = d;
		fj.ranks = ranks;
		if (dd_parallel(d->threads, 2, 1, first_job, &fj, err) < 0)
			goto out;
	}
	if (d->nkeys == 0) {
		rc = 0;
		goto out;
	}
	start = wn_calloc(NBUCKETS + 1, sizeof(*start));
	if (!start) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	sorted = d->keys;
	{
		/* the second 8 bits: each of the 256 first-level buckets on its own thread */
		struct flag_ctx fc;
		size_t lo = 0, b;
		fc.keys = sorted;
		for (b = 0; b < 256; b++) {
			fc.bound[b] = lo;
			while (lo < d->nkeys && (sorted[lo].key >> 56) == b)
				lo++;
		}
		fc.bound[256] = d->nkeys;
		if (dd_parallel(d->threads, 256, 8, flag_range, &fc, err) < 0)
			goto out;
	}
	for (i = 0; i < d->nkeys; i++)
		start[(sorted[i].key >> (64 - BUCKET_BITS)) + 1]++;
	for (i = 0; i < NBUCKETS; i++)
		start[i + 1] += start[i];
	ks.d = d;
	ks.keys = sorted;
	ks.start = start;
	if (dd_parallel(d->threads, NBUCKETS, 1024, sort_bucket_range, &ks, err) < 0)
		goto out;
	/* blocks to pairs, in chunks of keys on all threads; a chunk takes the blocks that
	 * start in it; the lists are joined in chunk order */
	chunk = d->nkeys / ((size_t)d->threads * 8) + 1;
	if (chunk < 65536)
		chunk = 65536;
	nchunks = (d->nkeys + chunk - 1) / chunk;
	pc.d = d;
	pc.keys = sorted;
	pc.n = d->nkeys;
	pc.out = wn_calloc(nchunks ? nchunks : 1, sizeof(*pc.out));
	pc.stats = wn_calloc(nchunks ? nchunks : 1, sizeof(*pc.stats));
	if (!pc.out || !pc.stats) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	for (c = 0; c < nchunks; c++)
		pc.out[c].rank = ranks;
	if (dd_parallel(d->threads, d->nkeys, chunk, pair_range, &pc, err) < 0)
		goto out;
	for (c = 0; c < nchunks; c++) {
		p.n += pc.out[c].n;
		if (pc.stats[c].largest > d->stats.largest_block)
			d->stats.largest_block = pc.stats[c].largest;
		d->stats.blocks_windowed += pc.stats[c].windowed;
	}
	p.v = wn_malloc((p.n ? p.n : 1) * sizeof(*p.v));
	if (!p.v) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	p.cap = p.n ? p.n : 1;
	for (c = 0, j = 0; c < nchunks; c++) {
		if (pc.out[c].n)
			memcpy(p.v + j, pc.out[c].v, pc.out[c].n * sizeof(*p.v));
		j += pc.out[c].n;
		wn_free(pc.out[c].v);
		pc.out[c].v = NULL;
	}
	/* keys are done with: give the memory back before comparing */
	wn_free(d->keys);
	d->keys = NULL;
	d->nkeys = d->keycap = 0;
	if (radix_sort64(p.v, p.n, err) < 0)
		goto out;
	for (i = 0, j = 0; i < p.n; i++)
		if (j == 0 || p.v[j - 1] != p.v[i])
			p.v[j++] = p.v[i];
	*out = p.v;
	*nout = j;
	p.v = NULL;
	rc = 0;
out:
	if (pc.out)
		for (c = 0; c < nchunks; c++)
			wn_free(pc.out[c].v);
	wn_free(pc.out);
	wn_free(pc.stats);
	wn_free(p.v);
	wn_free(start);
	wn_free(ranks);
	return rc;
}

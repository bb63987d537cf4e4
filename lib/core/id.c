/*
 * id.c - stable record ids (see record.h, "ids", and docs/record-format.md).
 *
 * Stability is the point: screening decisions are keyed by id, so re-importing the same
 * export must give the same ids on any machine. Ids therefore come only from the record's
 * own content - its source and identifier, or a hash of its bibliographic fields - and,
 * for the rare repeat inside one run, from input order, which is also part of the input.
 *
 * Uniqueness within a run is tracked with an open-addressing set of 64-bit hashes of the
 * ids handed out.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/hash.h"
#include "winnow/jsonl.h"
#include "winnow/record.h"

struct wn_idgen {
	uint64_t *slots; /* 0 = empty */
	size_t cap, used;
	/* for ids that repeat: base id hash -> last suffix given, so the thousandth copy of
	 * a record costs one probe, not a thousand */
	uint64_t *rep_keys;
	unsigned long *rep_vals;
	size_t rep_cap, rep_used;
	struct wn_buf id, slug, tmp;
};

struct wn_idgen *wn_idgen_new(struct wn_err *err)
{
	struct wn_idgen *g = wn_calloc(1, sizeof(*g));

	if (!g) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	g->cap = 1024;
	g->slots = wn_calloc(g->cap, sizeof(*g->slots));
	if (!g->slots) {
		wn_free(g);
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	wn_buf_init(&g->id, 1 << 20);
	wn_buf_init(&g->slug, 1 << 16);
	wn_buf_init(&g->tmp, 0);
	return g;
}

void wn_idgen_free(struct wn_idgen *g)
{
	if (!g)
		return;
	wn_free(g->slots);
	wn_free(g->rep_keys);
	wn_free(g->rep_vals);
	wn_buf_release(&g->id);
	wn_buf_release(&g->slug);
	wn_buf_release(&g->tmp);
	wn_free(g);
}

static int grow(struct wn_idgen *g, struct wn_err *err)
{
	size_t ncap = g->cap * 2, i;
	uint64_t *ns = wn_calloc(ncap, sizeof(*ns));

	if (!ns)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < g->cap; i++) {
		uint64_t h = g->slots[i];
		size_t j;
		if (!h)
			continue;
		for (j = h & (ncap - 1); ns[j]; j = (j + 1) & (ncap - 1))
			;
		ns[j] = h;
	}
	wn_free(g->slots);
	g->slots = ns;
	g->cap = ncap;
	return 0;
}

/* Insert h; returns 1 if it was new, 0 if already present, -1 on error. */
static int insert(struct wn_idgen *g, uint64_t h, struct wn_err *err)
{
	size_t j;

	h |= 1; /* 0 marks an empty slot */
	if ((g->used + 1) * 4 > g->cap * 3 && grow(g, err) < 0)
		return -1;
	for (j = h & (g->cap - 1); g->slots[j]; j = (j + 1) & (g->cap - 1)) {
		if (g->slots[j] == h)
			return 0;
	}
	g->slots[j] = h;
	g->used++;
	return 1;
}

/* Slot of key in the repeat table (existing or where it would go). */
static size_t rep_slot(const struct wn_idgen *g, uint64_t key)
{
	size_t j;

	for (j = key & (g->rep_cap - 1); g->rep_keys[j] && g->rep_keys[j] != key; j = (j + 1) & (g->rep_cap - 1))
		;
	return j;
}

static unsigned long rep_get(const struct wn_idgen *g, uint64_t key)
{
	size_t j;

	if (!g->rep_cap)
		return 1;
	j = rep_slot(g, key);
	return g->rep_keys[j] ? g->rep_vals[j] : 1;
}

static int rep_put(struct wn_idgen *g, uint64_t key, unsigned long v, struct wn_err *err)
{
	size_t j;

	if ((g->rep_used + 1) * 2 > g->rep_cap) {
		size_t ncap = g->rep_cap ? g->rep_cap * 2 : 64, i;
		uint64_t *nk = wn_calloc(ncap, sizeof(*nk));
		unsigned long *nv = wn_calloc(ncap, sizeof(*nv));
		if (!nk || !nv) {
			wn_free(nk);
			wn_free(nv);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		for (i = 0; i < g->rep_cap; i++) {
			if (!g->rep_keys[i])
				continue;
			for (j = g->rep_keys[i] & (ncap - 1); nk[j]; j = (j + 1) & (ncap - 1))
				;
			nk[j] = g->rep_keys[i];
			nv[j] = g->rep_vals[i];
		}
		wn_free(g->rep_keys);
		wn_free(g->rep_vals);
		g->rep_keys = nk;
		g->rep_vals = nv;
		g->rep_cap = ncap;
	}
	j = rep_slot(g, key);
	if (!g->rep_keys[j])
		g->rep_used++;
	g->rep_keys[j] = key;
	g->rep_vals[j] = v;
	return 0;
}

int wn_slug(struct wn_buf *out, const char *s, struct wn_err *err)
{
	int dash = 0;

	wn_buf_reset(out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (wn_isalnum(c)) {
			if (dash && out->len && wn_buf_addc(out, '-', err) < 0)
				return -1;
			dash = 0;
			if (wn_buf_addc(out, (char)wn_tolower(c), err) < 0)
				return -1;
		} else {
			dash = 1;
		}
	}
	if (!out->len)
		return wn_buf_adds(out, "record", err);
	return 0;
}

static const char *const hashed_fields[] = {
	WN_F_TYPE, WN_F_TITLE, WN_F_AUTHORS, WN_F_YEAR, WN_F_JOURNAL, WN_F_VOLUME,
	WN_F_ISSUE, WN_F_PAGES, WN_F_DOI, WN_F_ISSN, WN_F_ISBN, WN_F_ABSTRACT, NULL
};

/* -1 when a value could not be serialised (out of memory): an id computed from less
 * than the whole content would silently differ from the next run's. */
static int content_hash(json_object *rec, uint64_t *out, struct wn_err *err)
{
	struct wn_hasher h;
	size_t i;

	wn_hasher_init(&h);
	for (i = 0; hashed_fields[i]; i++) {
		json_object *v;
		const char *s;
		size_t len;

		if (!json_object_object_get_ex(rec, hashed_fields[i], &v))
			continue;
		/* the compact JSON of the value: stable across runs and machines */
		s = wn_json_compact(v, &len);
		if (!s)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		wn_hasher_add(&h, hashed_fields[i], strlen(hashed_fields[i]));
		wn_hasher_add(&h, "\x1f", 1);
		wn_hasher_add(&h, s, len);
		wn_hasher_add(&h, "\x1e", 1);
	}
	*out = wn_hasher_final(&h);
	return 0;
}

/* Append s with whitespace turned into '_' (ids are single tokens). */
static int add_token(struct wn_buf *b, const char *s, struct wn_err *err)
{
	for (; *s; s++) {
		if (wn_buf_addc(b, wn_isspace((unsigned char)*s) ? '_' : *s, err) < 0)
			return -1;
	}
	return 0;
}

int wn_idgen_assign(struct wn_idgen *g, json_object *rec, const char *fallback_slug,
		    struct wn_err *err)
{
	const char *source = wn_record_get(rec, WN_F_SOURCE);
	const char *sid = wn_record_get(rec, WN_F_SOURCE_ID);
	const char *pmid = wn_record_get(rec, WN_F_PMID);
	size_t base_len;
	uint64_t base_hash;
	unsigned long k;
	int rc;

	wn_buf_reset(&g->id);
	if (source && pmid && wn_text_ieq(source, strlen(source), "PubMed")) {
		if (wn_buf_adds(&g->id, "pubmed:", err) < 0 || add_token(&g->id, pmid, err) < 0)
			return -1;
	} else {
		if (wn_slug(&g->slug, source ? source : (fallback_slug ? fallback_slug : "record"), err) < 0)
			return -1;
		if (wn_buf_add(&g->id, g->slug.data, g->slug.len, err) < 0 ||
		    wn_buf_addc(&g->id, ':', err) < 0)
			return -1;
		if (sid) {
			if (add_token(&g->id, sid, err) < 0)
				return -1;
		} else {
			char hex[17];
			uint64_t h = 0;
			if (content_hash(rec, &h, err) < 0)
				return -1;
			wn_hash_hex(h, hex);
			if (wn_buf_addc(&g->id, 'x', err) < 0 || wn_buf_add(&g->id, hex, 16, err) < 0)
				return -1;
		}
	}
	base_len = g->id.len;
	base_hash = wn_hash64(g->id.data, g->id.len) | 1;
	rc = insert(g, base_hash, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		/* a repeat: continue after the last suffix given to this base */
		for (k = rep_get(g, base_hash) + 1;; k++) {
			wn_buf_truncate(&g->id, base_len);
			if (wn_buf_addf(&g->id, err, "~%lu", k) < 0)
				return -1;
			rc = insert(g, wn_hash64(g->id.data, g->id.len), err);
			if (rc < 0)
				return -1;
			if (rc == 1)
				break;
		}
		if (rep_put(g, base_hash, k, err) < 0)
			return -1;
	}
	return wn_record_set(rec, WN_F_ID, g->id.data, g->id.len, err);
}

/*
 * idmap.c - record id -> dense index (see idmap.h).
 *
 * The slot table is kept at most half full so probe runs stay short; it stores index+1
 * as 32-bit values (2^31 ids is far beyond any review) to keep it cache-friendly. Keys
 * live in 64 KiB chunks (one allocation per chunk, not per id); a key longer than a
 * chunk gets a chunk of its own.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/hash.h"
#include "winnow/idmap.h"

#define CHUNK_SIZE ((size_t)64 << 10)
#define MAX_IDS ((size_t)1 << 31)

void wn_idmap_init(struct wn_idmap *m)
{
	memset(m, 0, sizeof(*m));
}

void wn_idmap_release(struct wn_idmap *m)
{
	size_t i;

	for (i = 0; i < m->nchunks; i++)
		wn_free(m->chunks[i]);
	wn_free(m->chunks);
	wn_free(m->keys);
	wn_free(m->slots);
	wn_idmap_init(m);
}

long wn_idmap_find(const struct wn_idmap *m, const char *key, size_t len)
{
	uint64_t h;
	size_t mask, i;

	if (!m->nslots)
		return -1;
	h = wn_hash64(key, len);
	mask = m->nslots - 1;
	for (i = (size_t)h & mask; m->slots[i]; i = (i + 1) & mask) {
		const struct wn_idmap_key *k = &m->keys[m->slots[i] - 1];
		if (k->hash == h && k->len == len && memcmp(k->s, key, len) == 0)
			return (long)(m->slots[i] - 1);
	}
	return -1;
}

static int rehash(struct wn_idmap *m, size_t nslots, struct wn_err *err)
{
	uint32_t *slots = wn_calloc(nslots, sizeof(*slots));
	size_t i, mask = nslots - 1;

	if (!slots)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < m->n; i++) {
		size_t j = (size_t)m->keys[i].hash & mask;
		while (slots[j])
			j = (j + 1) & mask;
		slots[j] = (uint32_t)(i + 1);
	}
	wn_free(m->slots);
	m->slots = slots;
	m->nslots = nslots;
	return 0;
}

/* Copy key into chunk storage; NULL on allocation failure. */
static char *store(struct wn_idmap *m, const char *key, size_t len)
{
	char *p;

	if (!m->nchunks || m->chunk_size - m->chunk_used < len + 1) {
		size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;
		if (m->nchunks == m->chunkcap) {
			size_t ncap = m->chunkcap ? m->chunkcap * 2 : 16;
			char **c = wn_reallocarray(m->chunks, ncap, sizeof(*c));
			if (!c)
				return NULL;
			m->chunks = c;
			m->chunkcap = ncap;
		}
		p = wn_malloc(size);
		if (!p)
			return NULL;
		m->chunks[m->nchunks++] = p;
		m->chunk_size = size;
		m->chunk_used = 0;
	}
	p = m->chunks[m->nchunks - 1] + m->chunk_used;
	memcpy(p, key, len);
	p[len] = '\0';
	m->chunk_used += len + 1;
	return p;
}

long wn_idmap_intern(struct wn_idmap *m, const char *key, size_t len, int *added,
		     struct wn_err *err)
{
	long found = wn_idmap_find(m, key, len);
	struct wn_idmap_key *k;
	size_t j, mask;

	if (added)
		*added = 0;
	if (found >= 0)
		return found;
	if (m->n >= MAX_IDS - 1)
		return wn_err_set(err, WN_ELIMIT, "more than %zu distinct record ids", MAX_IDS - 1);
	if ((m->n + 1) * 2 > m->nslots && rehash(m, m->nslots ? m->nslots * 2 : 1024, err) < 0)
		return -1;
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 256;
		struct wn_idmap_key *keys = wn_reallocarray(m->keys, ncap, sizeof(*keys));
		if (!keys)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		m->keys = keys;
		m->cap = ncap;
	}
	k = &m->keys[m->n];
	k->s = store(m, key, len);
	if (!k->s)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	k->len = len;
	k->hash = wn_hash64(key, len);
	mask = m->nslots - 1;
	for (j = (size_t)k->hash & mask; m->slots[j]; j = (j + 1) & mask)
		;
	m->slots[j] = (uint32_t)(m->n + 1);
	if (added)
		*added = 1;
	return (long)m->n++;
}

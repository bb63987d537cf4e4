/*
 * idmap.h - a map from record ids (byte strings) to dense indexes 0, 1, 2, ...
 *
 * Screening joins things by record id: a reviewer's decisions to the records file, two
 * reviewers' logs to each other, an answers file to the records. Every one of those
 * joins goes through an idmap: each distinct id gets the next index in the order it was
 * first seen, so callers keep their per-record data in plain arrays indexed by it.
 *
 * Open addressing with linear probing over XXH64 hashes (the project's hash); keys are
 * copied into chunked storage owned by the map, so callers may pass borrowed bytes.
 * Lookups are O(1) on average; 100,000 ids take a few milliseconds to insert.
 */
#ifndef WINNOW_IDMAP_H
#define WINNOW_IDMAP_H

#include <stddef.h>
#include <stdint.h>
#include "winnow/err.h"

struct wn_idmap_key {
	const char *s;  /* NUL-terminated copy owned by the map */
	size_t len;
	uint64_t hash;
};

struct wn_idmap {
	struct wn_idmap_key *keys; /* by index */
	size_t n, cap;
	uint32_t *slots;           /* index + 1, 0 = empty */
	size_t nslots;             /* power of two */
	char **chunks;             /* key storage */
	size_t nchunks, chunkcap, chunk_used, chunk_size;
};

/* Initialise an empty map. Cannot fail (nothing is allocated until the first add). */
void wn_idmap_init(struct wn_idmap *m);
/* Free everything and reinitialise. */
void wn_idmap_release(struct wn_idmap *m);
/* Index of key[0..len), or -1 when absent. */
long wn_idmap_find(const struct wn_idmap *m, const char *key, size_t len);
/* Index of key[0..len), adding it with the next index when absent (*added set to 1 then,
 * else 0; added may be NULL). -1 with WN_ENOMEM, or WN_ELIMIT past 2^31 ids. */
long wn_idmap_intern(struct wn_idmap *m, const char *key, size_t len, int *added,
		     struct wn_err *err);
/* The key of an index (< wn_idmap_count). Borrowed, valid until release. */
static inline const char *wn_idmap_key(const struct wn_idmap *m, size_t index)
{
	return m->keys[index].s;
}
static inline size_t wn_idmap_count(const struct wn_idmap *m)
{
	return m->n;
}

#endif

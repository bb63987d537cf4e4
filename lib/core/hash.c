/*
 * hash.c - XXH64 with winnow's fixed seed (see hash.h).
 */
#include <assert.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>
#include "winnow/hash.h"

_Static_assert(sizeof(XXH64_state_t) <= sizeof(((struct wn_hasher *)0)->state),
	       "wn_hasher too small for XXH64_state_t");

uint64_t wn_hash64(const void *p, size_t n)
{
	return XXH64(p, n, WN_HASH_SEED);
}

uint64_t wn_hash64_seed(const void *p, size_t n, uint64_t seed)
{
	return XXH64(p, n, seed);
}

uint64_t wn_hash64_mem(const void *p, size_t n)
{
	return XXH3_64bits_withSeed(p, n, WN_HASH_SEED);
}

void wn_hash_hex(uint64_t h, char out[17])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 15; i >= 0; i--) {
		out[i] = hex[h & 0xF];
		h >>= 4;
	}
	out[16] = '\0';
}

void wn_hasher_init(struct wn_hasher *h)
{
	XXH64_reset((XXH64_state_t *)(void *)h->state, WN_HASH_SEED);
}

void wn_hasher_add(struct wn_hasher *h, const void *p, size_t n)
{
	XXH64_update((XXH64_state_t *)(void *)h->state, p, n);
}

uint64_t wn_hasher_final(const struct wn_hasher *h)
{
	return XXH64_digest((const XXH64_state_t *)(const void *)h->state);
}

/*
 * hash.h - winnow's hash functions (xxHash: XXH64 for what is written, XXH3 for what stays
 * in memory), with a fixed seed so that ids and checksums are the same on every run and
 * machine.
 */
#ifndef WINNOW_HASH_H
#define WINNOW_HASH_H

#include <stddef.h>
#include <stdint.h>

#define WN_HASH_SEED 0x77696e6e6f77ULL /* "winnow" */

uint64_t wn_hash64(const void *p, size_t n);
uint64_t wn_hash64_seed(const void *p, size_t n, uint64_t seed);
/* XXH3, several times faster than XXH64 on short keys and on long lines, for hashes that
 * live only in memory during one run (blocking keys, a line's content hash): never
 * written, so they may differ from wn_hash64's values. Same seed, same determinism. */
uint64_t wn_hash64_mem(const void *p, size_t n);

/* Write 16 lower-case hex digits and a NUL into out. */
void wn_hash_hex(uint64_t h, char out[17]);

/* Streaming form, for hashing several pieces as one. */
struct wn_hasher { unsigned long long state[12]; }; /* XXH64_state_t, opaque; no allocation */
void wn_hasher_init(struct wn_hasher *h);
void wn_hasher_add(struct wn_hasher *h, const void *p, size_t n);
uint64_t wn_hasher_final(const struct wn_hasher *h);

#endif

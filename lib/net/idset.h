/*
 * idset.h - a set of PMIDs (private to lib/net).
 *
 * Open addressing with linear probing over a power-of-two table, kept at most half
 * full; 0 marks an empty slot, so the id 0 (never a PMID) is kept in a flag. A fetch
 * of a few hundred thousand PMIDs needs a few MB.
 */
#ifndef WINNOW_NET_IDSET_H
#define WINNOW_NET_IDSET_H

#include <stddef.h>
#include <stdint.h>
#include "winnow/err.h"

struct wn_idset {
	uint64_t *slots;
	size_t cap, n;  /* cap is 0 or a power of two */
	int has_zero;
};

void wn_idset_init(struct wn_idset *s);
void wn_idset_release(struct wn_idset *s);
/* 1 if added, 0 if it was there, -1 on allocation failure. */
int wn_idset_add(struct wn_idset *s, uint64_t id, struct wn_err *err);
int wn_idset_has(const struct wn_idset *s, uint64_t id);
size_t wn_idset_count(const struct wn_idset *s);

/* Parse a PMID: decimal digits only, 1-19 of them. 0 ok, -1 otherwise. */
int wn_pmid_parse(const char *s, size_t n, uint64_t *out);

#endif

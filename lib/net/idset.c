/*
 * idset.c - a set of PMIDs (see idset.h).
 */
#include <string.h>
#include "idset.h"
#include "winnow/alloc.h"
#include "winnow/ascii.h"

void wn_idset_init(struct wn_idset *s)
{
	memset(s, 0, sizeof(*s));
}

void wn_idset_release(struct wn_idset *s)
{
	wn_free(s->slots);
	wn_idset_init(s);
}

static size_t slot_of(uint64_t id, size_t cap)
{
	/* PMIDs are dense: mix the bits so neighbours do not cluster */
	id ^= id >> 33;
	id *= 0xff51afd7ed558ccdULL;
	id ^= id >> 33;
	return (size_t)id & (cap - 1);
}

static int grow(struct wn_idset *s, struct wn_err *err)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i;
	uint64_t *slots;

	if (cap > ((size_t)1 << 40))
		return wn_err_set(err, WN_ELIMIT, "too many PMIDs");
	slots = wn_calloc(cap, sizeof(*slots));
	if (!slots)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < s->cap; i++) {
		size_t j;
		if (!s->slots[i])
			continue;
		for (j = slot_of(s->slots[i], cap); slots[j]; j = (j + 1) & (cap - 1))
			;
		slots[j] = s->slots[i];
	}
	wn_free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

int wn_idset_add(struct wn_idset *s, uint64_t id, struct wn_err *err)
{
	size_t j;

	if (id == 0) {
		if (s->has_zero)
			return 0;
		s->has_zero = 1;
		s->n++;
		return 1;
	}
	if ((s->n + 1) * 2 > s->cap && grow(s, err) < 0)
		return -1;
	for (j = slot_of(id, s->cap); s->slots[j]; j = (j + 1) & (s->cap - 1))
		if (s->slots[j] == id)
			return 0;
	s->slots[j] = id;
	s->n++;
	return 1;
}

int wn_idset_has(const struct wn_idset *s, uint64_t id)
{
	size_t j;

	if (id == 0)
		return s->has_zero;
	if (!s->cap)
		return 0;
	for (j = slot_of(id, s->cap); s->slots[j]; j = (j + 1) & (s->cap - 1))
		if (s->slots[j] == id)
			return 1;
	return 0;
}

size_t wn_idset_count(const struct wn_idset *s)
{
	return s->n;
}

int wn_pmid_parse(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 19)
		return -1;
	for (i = 0; i < n; i++) {
		if (!wn_isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

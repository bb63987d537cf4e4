/*
 * arena.c - bump allocation for the normalised strings of a batch of records, and
 * checked array growth (see dd.h).
 *
 * A million records hold several million short strings; allocating them one by one
 * would cost more than normalising them. An arena hands out pieces of 256 KiB chunks
 * and frees them all at once when the run ends.
 */
#include <stdint.h>
#include <string.h>
#include "winnow/alloc.h"
#include "dd.h"

#define DD_CHUNK (256 * 1024)

struct dd_chunk {
	struct dd_chunk *next;
	size_t size;
	/* data follows, aligned like max_align_t */
	max_align_t data[];
};

void dd_arena_init(struct dd_arena *a)
{
	memset(a, 0, sizeof(*a));
}

void dd_arena_release(struct dd_arena *a)
{
	struct dd_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		wn_free(c);
	}
	memset(a, 0, sizeof(*a));
}

void *dd_arena_alloc(struct dd_arena *a, size_t n, struct wn_err *err)
{
	size_t align = sizeof(void *), pad;
	void *p;

	pad = (align - ((uintptr_t)a->cur & (align - 1))) & (align - 1);
	if (!a->cur || a->left < n + pad) {
		size_t size = n > DD_CHUNK / 4 ? n : DD_CHUNK;
		struct dd_chunk *c;

		if (size > SIZE_MAX - sizeof(*c)) {
			wn_err_set(err, WN_ENOMEM, "out of memory");
			return NULL;
		}
		c = wn_malloc(sizeof(*c) + size);
		if (!c) {
			wn_err_set(err, WN_ENOMEM, "out of memory");
			return NULL;
		}
		c->size = size;
		c->next = a->head;
		a->head = c;
		a->bytes += sizeof(*c) + size;
		if (size != DD_CHUNK && a->cur) {
			/* a big one-off piece: keep filling the current chunk afterwards; the
			 * big chunk is linked second so the current one stays in use */
			a->head = c->next;
			c->next = a->head->next;
			a->head->next = c;
			return c->data;
		}
		a->cur = (char *)c->data;
		a->left = size;
		pad = 0;
	}
	p = a->cur + pad;
	a->cur += pad + n;
	a->left -= pad + n;
	return p;
}

char *dd_arena_strndup(struct dd_arena *a, const char *s, size_t n, struct wn_err *err)
{
	char *p = dd_arena_alloc(a, n + 1, err);

	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int dd_grow(void **p, size_t *cap, size_t need, size_t size, struct wn_err *err)
{
	size_t ncap;
	void *q;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		ncap *= 2;
	}
	q = wn_reallocarray(*p, ncap, size);
	if (!q)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	*p = q;
	*cap = ncap;
	return 0;
}

void dd_sort_u32(uint32_t *v, size_t n, uint32_t *tmp, dd_cmp_u32 cmp, void *ctx)
{
	size_t i, j, mid, a, b, o;

	if (n <= 16) {
		for (i = 1; i < n; i++) {
			uint32_t x = v[i];
			for (j = i; j > 0 && cmp(ctx, v[j - 1], x) > 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	mid = n / 2;
	dd_sort_u32(v, mid, tmp, cmp, ctx);
	dd_sort_u32(v + mid, n - mid, tmp, cmp, ctx);
	memcpy(tmp, v, n * sizeof(*v));
	for (a = 0, b = mid, o = 0; a < mid && b < n;)
		v[o++] = cmp(ctx, tmp[a], tmp[b]) <= 0 ? tmp[a++] : tmp[b++];
	while (a < mid)
		v[o++] = tmp[a++];
	while (b < n)
		v[o++] = tmp[b++];
}

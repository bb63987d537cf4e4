/*
 * buf.c - growable byte buffer with a cap (see buf.h).
 *
 * An empty buffer points at a static empty string so that init cannot fail and `data`
 * is never NULL; cap == 0 marks that state. Growth doubles, clamped to the cap + 1 for
 * the NUL.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/buf.h"

static char empty_string[1];

void wn_buf_init(struct wn_buf *b, size_t max)
{
	b->data = empty_string;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : WN_BUF_DEFAULT_MAX;
}

void wn_buf_release(struct wn_buf *b)
{
	if (b->cap)
		wn_free(b->data);
	wn_buf_init(b, b->max);
}

void wn_buf_reset(struct wn_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

int wn_buf_grow(struct wn_buf *b, size_t extra, struct wn_err *err)
{
	size_t need, ncap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return wn_err_set(err, WN_ELIMIT, "value longer than the limit of %zu bytes", b->max);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	if (ncap < need)
		ncap = need;
	p = b->cap ? wn_realloc(b->data, ncap) : wn_malloc(ncap);
	if (!p)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = ncap;
	return 0;
}

int wn_buf_add(struct wn_buf *b, const void *p, size_t n, struct wn_err *err)
{
	if (wn_buf_grow(b, n, err) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int wn_buf_adds(struct wn_buf *b, const char *s, struct wn_err *err)
{
	return wn_buf_add(b, s, strlen(s), err);
}

int wn_buf_addc(struct wn_buf *b, char c, struct wn_err *err)
{
	if (b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return 0;
	}
	return wn_buf_add(b, &c, 1, err);
}

int wn_buf_vaddf(struct wn_buf *b, struct wn_err *err, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(b->cap ? b->data + b->len : NULL, b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return wn_err_set(err, WN_EUSAGE, "bad format string");
	if (b->cap && (size_t)n < b->cap - b->len) {
		b->len += (size_t)n;
		return 0;
	}
	if (wn_buf_grow(b, (size_t)n, err) < 0)
		return -1;
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int wn_buf_addf(struct wn_buf *b, struct wn_err *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = wn_buf_vaddf(b, err, fmt, ap);
	va_end(ap);
	return rc;
}

void wn_buf_truncate(struct wn_buf *b, size_t n)
{
	if (n >= b->len)
		return;
	b->len = n;
	b->data[n] = '\0';
}

void wn_buf_trim(struct wn_buf *b)
{
	size_t s = 0, e = b->len;

	while (s < e && wn_isspace((unsigned char)b->data[s]))
		s++;
	while (e > s && wn_isspace((unsigned char)b->data[e - 1]))
		e--;
	if (s)
		memmove(b->data, b->data + s, e - s);
	if (b->cap) {
		b->len = e - s;
		b->data[b->len] = '\0';
	}
}

char *wn_buf_detach(struct wn_buf *b, size_t *len_out, struct wn_err *err)
{
	char *p;

	if (len_out)
		*len_out = b->len;
	if (!b->cap) {
		p = wn_strndup("", 0);
		if (!p)
			wn_err_set(err, WN_ENOMEM, "out of memory");
		return p;
	}
	p = b->data;
	wn_buf_init(b, b->max);
	return p;
}

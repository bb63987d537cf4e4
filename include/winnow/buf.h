/*
 * buf.h - a growable byte buffer with a hard size cap.
 *
 * Invariants (as git's strbuf): after wn_buf_init, `data` is never NULL and always
 * NUL-terminated at data[len]; the content may hold NUL bytes, so use `len`, not strlen.
 * Every buffer has a maximum (curl's dynbuf "toobig"): growing past it fails with
 * WN_ELIMIT instead of exhausting memory on a hostile 500 MB line.
 *
 * Ownership: the buffer owns `data`. wn_buf_detach hands it to the caller (free with
 * wn_free) and leaves the buffer empty and usable. wn_buf_release frees and reinits.
 */
#ifndef WINNOW_BUF_H
#define WINNOW_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include "winnow/err.h"

struct wn_buf {
	char *data;  /* never NULL; data[len] == '\0' */
	size_t len;  /* bytes used, not counting the terminating NUL */
	size_t cap;  /* bytes allocated (0 while data points at the shared empty string) */
	size_t max;  /* the cap: len may never exceed it */
};

#define WN_BUF_DEFAULT_MAX ((size_t)1 << 30) /* 1 GiB */

/* Initialise empty with the given cap (0 means WN_BUF_DEFAULT_MAX). Cannot fail. */
void wn_buf_init(struct wn_buf *b, size_t max);
/* Free the content and reinitialise (keeps the cap). Cannot fail. */
void wn_buf_release(struct wn_buf *b);
/* Make empty without freeing. Cannot fail. */
void wn_buf_reset(struct wn_buf *b);
/* Ensure room for `extra` more bytes. -1 with WN_ENOMEM or WN_ELIMIT. */
int wn_buf_grow(struct wn_buf *b, size_t extra, struct wn_err *err);
int wn_buf_add(struct wn_buf *b, const void *p, size_t n, struct wn_err *err);
int wn_buf_adds(struct wn_buf *b, const char *s, struct wn_err *err);
int wn_buf_addc(struct wn_buf *b, char c, struct wn_err *err);
int wn_buf_addf(struct wn_buf *b, struct wn_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int wn_buf_vaddf(struct wn_buf *b, struct wn_err *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Shorten to n bytes (n <= len). Cannot fail. */
void wn_buf_truncate(struct wn_buf *b, size_t n);
/* Trim ASCII whitespace at both ends. Cannot fail. */
void wn_buf_trim(struct wn_buf *b);
/* Take the content (NUL-terminated; free with wn_free). Returns NULL with WN_ENOMEM
 * only when the buffer was empty and the empty string could not be allocated. */
char *wn_buf_detach(struct wn_buf *b, size_t *len_out, struct wn_err *err);

#endif

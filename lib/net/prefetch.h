/*
 * prefetch.h - efetch pages requested on a worker thread, a few ahead of the parser
 * (private to lib/net).
 *
 * Why: a page's wait (the rate limiter's spacing, the server, the network) and the
 * parsing of the page before it are independent, so doing them at the same time keeps
 * the parser busy; against a fast server the fetch then runs at parsing speed.
 *
 * Rules that keep it simple: while a prefetch runs, only its worker uses the client
 * (struct wn_eutils); the responses are handed over strictly in order; the messages the
 * client logs for a request (retries) are collected and passed on, on the caller's
 * thread, with that request's response; the worker stops at the first failure, whose
 * error is reported when that response is asked for.
 */
#ifndef WINNOW_NET_PREFETCH_H
#define WINNOW_NET_PREFETCH_H

#include <stddef.h>
#include "winnow/eutils.h"

#define WN_PREFETCH_DEPTH 2 /* responses fetched ahead of the one being parsed */

struct wn_prefetch;

/* Start requesting forms[0..n) (borrowed; they must outlive the prefetch) from `util`.
 * NULL with WN_ENOMEM or WN_EIO (no thread). */
struct wn_prefetch *wn_prefetch_start(struct wn_eutils *eu, const char *util,
				      char *const *forms, size_t n, enum wn_eutils_expect expect,
				      struct wn_err *err);
/* The next response, in order: *body is valid until the next call. The messages the
 * client logged for it go to the client's own log callback first, on this thread. -1
 * with the request's error. */
int wn_prefetch_next(struct wn_prefetch *p, const char **body, size_t *len, struct wn_err *err);
/* Stop after the request in flight, wait for the worker, restore the client, free. */
void wn_prefetch_finish(struct wn_prefetch *p);

#endif

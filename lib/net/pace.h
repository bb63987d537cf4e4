/*
 * pace.h - how fast and how often to ask a web service (private to lib/net).
 *
 * Rate limit: a token bucket with room for one token, i.e. a minimum spacing between
 * request starts. NCBI allows 3 requests/s without an API key and 10/s with one, and
 * exactly 1/3 s still draws 429s, so the spacings are those the established clients
 * settled on (research/formats.md 1.3): 0.35 s and 0.11 s. A 429 holds the bucket
 * for its Retry-After, so the next request (of this client) waits too.
 *
 * Retry: exponential backoff with full jitter (a uniform wait in [0, min(cap, base *
 * 2^k)]), the AWS/curl scheme that keeps many clients from retrying in step; a
 * Retry-After from the server is a floor on the wait. A budget caps the total time
 * spent waiting; when the next wait would exceed it, give up now rather than sleep and
 * fail anyway (curl does the same).
 *
 * Time comes through struct wn_clock so unit tests run on a fake clock. The jitter
 * generator lives in struct wn_backoff (no global state; a seed makes it repeatable).
 */
#ifndef WINNOW_NET_PACE_H
#define WINNOW_NET_PACE_H

#include <stdint.h>

struct wn_clock {
	double (*now)(void *data);              /* monotonic seconds */
	void (*sleep)(void *data, double secs); /* may return early on a signal */
	void *data;
};

/* The real clock (wn_time_mono, nanosleep). */
extern const struct wn_clock wn_clock_real;

#define WN_PACE_INTERVAL_NOKEY 0.35
#define WN_PACE_INTERVAL_KEY 0.11

struct wn_ratelimit {
	double interval; /* minimum seconds between request starts; 0 = no limit */
	double next;     /* earliest start of the next request (clock time); 0 = now */
};

void wn_ratelimit_init(struct wn_ratelimit *rl, double interval);
/* Wait until a request may start and take the token. Returns the seconds waited. */
double wn_ratelimit_acquire(struct wn_ratelimit *rl, const struct wn_clock *clk);
/* Hold back the next request for at least `secs` from now (after a 429). */
void wn_ratelimit_hold(struct wn_ratelimit *rl, const struct wn_clock *clk, double secs);

struct wn_backoff {
	int max_attempts;   /* tries per request, the first included */
	double base;        /* first backoff ceiling, seconds */
	double cap;         /* largest single wait */
	double budget;      /* total waiting allowed per request */
	double retry_after_cap; /* a Retry-After beyond this is clamped to it */
	uint64_t rng;       /* xorshift state (never 0) */
};

void wn_backoff_init(struct wn_backoff *b, uint64_t seed);
/* Wait before attempt `failures + 1`, after `failures` failed attempts (>= 1), with
 * `waited` seconds already spent waiting on this request and the server's Retry-After
 * (seconds, < 0 if none). Returns the wait, or -1 when the request must be given up
 * (attempts or budget exhausted). */
double wn_backoff_next(struct wn_backoff *b, int failures, long retry_after, double waited);

#endif

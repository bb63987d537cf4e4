/*
 * pace.c - rate limit and retry backoff (see pace.h).
 */
#include <errno.h>
#include <time.h>
#include "pace.h"
#include "winnow/timefmt.h"

static double real_now(void *data)
{
	(void)data;
	return wn_time_mono();
}

static void real_sleep(void *data, double secs)
{
	struct timespec ts;

	(void)data;
	if (!(secs > 0))
		return;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	/* EINTR: sleep the rest (a signal that should end us does so itself) */
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

const struct wn_clock wn_clock_real = { real_now, real_sleep, NULL };

void wn_ratelimit_init(struct wn_ratelimit *rl, double interval)
{
	rl->interval = interval > 0 ? interval : 0;
	rl->next = 0;
}

double wn_ratelimit_acquire(struct wn_ratelimit *rl, const struct wn_clock *clk)
{
	double now = clk->now(clk->data), waited = 0;

	if (rl->next > now) {
		waited = rl->next - now;
		clk->sleep(clk->data, waited);
		now = clk->now(clk->data);
		/* a short sleep (signal) must not let the request start early */
		while (now < rl->next) {
			clk->sleep(clk->data, rl->next - now);
			now = clk->now(clk->data);
		}
	}
	/* spacing is measured from the actual start, so a slow request does not bank
	 * tokens for a burst afterwards */
	rl->next = now + rl->interval;
	return waited;
}

void wn_ratelimit_hold(struct wn_ratelimit *rl, const struct wn_clock *clk, double secs)
{
	double until = clk->now(clk->data) + secs;

	if (until > rl->next)
		rl->next = until;
}

void wn_backoff_init(struct wn_backoff *b, uint64_t seed)
{
	b->max_attempts = 6;
	b->base = 1.0;
	b->cap = 60.0;
	b->budget = 600.0;
	b->retry_after_cap = 120.0;
	/* splitmix64 of the seed: any seed (0 included) gives a good non-zero state */
	seed += 0x9E3779B97F4A7C15ULL;
	seed = (seed ^ (seed >> 30)) * 0xBF58476D1CE4E5B9ULL;
	seed = (seed ^ (seed >> 27)) * 0x94D049BB133111EBULL;
	seed ^= seed >> 31;
	b->rng = seed ? seed : 1;
}

static double uniform01(struct wn_backoff *b)
{
	uint64_t x = b->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	b->rng = x;
	return (double)(x >> 11) / 9007199254740992.0; /* [0, 1) with 53 bits */
}

double wn_backoff_next(struct wn_backoff *b, int failures, long retry_after, double waited)
{
	double ceiling, wait;
	int i;

	if (failures >= b->max_attempts)
		return -1;
	ceiling = b->base;
	for (i = 1; i < failures && ceiling < b->cap; i++)
		ceiling *= 2;
	if (ceiling > b->cap)
		ceiling = b->cap;
	wait = ceiling * uniform01(b);
	if (retry_after >= 0) {
		double ra = (double)retry_after;
		if (ra > b->retry_after_cap)
			ra = b->retry_after_cap;
		/* the server said when; add a little jitter so clients do not return in step */
		wait = ra + b->base * 0.25 * uniform01(b);
	}
	if (waited + wait > b->budget)
		return -1;
	return wait;
}

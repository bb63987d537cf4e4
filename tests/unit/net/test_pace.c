/*
 * test_pace.c - the rate limiter and the retry backoff, on a fake clock.
 */
#include "pace.h"
#include "wn_test.h"

struct fake { double now, slept; int sleeps; };

static double fake_now(void *d) { return ((struct fake *)d)->now; }
static void fake_sleep(void *d, double s)
{
	struct fake *f = d;
	f->now += s;
	f->slept += s;
	f->sleeps++;
}

static void test_spacing(void)
{
	struct fake f = { 100.0, 0, 0 };
	struct wn_clock clk = { fake_now, fake_sleep, &f };
	struct wn_ratelimit rl;
	double starts[5];
	int i;

	wn_ratelimit_init(&rl, WN_PACE_INTERVAL_NOKEY);
	for (i = 0; i < 5; i++) {
		wn_ratelimit_acquire(&rl, &clk);
		starts[i] = f.now;
	}
	CHECK_NEAR(starts[0], 100.0, 1e-9); /* the first request does not wait */
	for (i = 1; i < 5; i++)
		CHECK_NEAR(starts[i] - starts[i - 1], 0.35, 1e-9);
	/* under 3 per second in any window */
	CHECK(starts[3] - starts[0] > 1.0);
	/* a slow request does not bank tokens: after a 2 s pause, the next two are spaced */
	f.now += 2.0;
	wn_ratelimit_acquire(&rl, &clk);
	CHECK_INT(f.sleeps, 4);
	wn_ratelimit_acquire(&rl, &clk);
	CHECK_INT(f.sleeps, 5);
}

static void test_key_and_hold(void)
{
	struct fake f = { 0, 0, 0 };
	struct wn_clock clk = { fake_now, fake_sleep, &f };
	struct wn_ratelimit rl;
	double t0;

	wn_ratelimit_init(&rl, WN_PACE_INTERVAL_KEY);
	wn_ratelimit_acquire(&rl, &clk);
	t0 = f.now;
	wn_ratelimit_acquire(&rl, &clk);
	CHECK_NEAR(f.now - t0, 0.11, 1e-9); /* under 10 per second with a key */
	/* a 429's Retry-After holds the next request */
	wn_ratelimit_hold(&rl, &clk, 2.0);
	t0 = f.now;
	wn_ratelimit_acquire(&rl, &clk);
	CHECK_NEAR(f.now - t0, 2.0, 1e-9);
	/* a hold shorter than the spacing does not shorten it */
	wn_ratelimit_hold(&rl, &clk, 0.01);
	t0 = f.now;
	wn_ratelimit_acquire(&rl, &clk);
	CHECK_NEAR(f.now - t0, 0.11, 1e-9);
	/* no limit */
	wn_ratelimit_init(&rl, 0);
	f.sleeps = 0;
	wn_ratelimit_acquire(&rl, &clk);
	wn_ratelimit_acquire(&rl, &clk);
	CHECK_INT(f.sleeps, 0);
}

static void test_backoff(void)
{
	struct wn_backoff b, b2;
	double w, total = 0, prev_ceiling = 0.5;
	int k;

	wn_backoff_init(&b, 42);
	wn_backoff_init(&b2, 42);
	/* full jitter: each wait in [0, base * 2^(k-1)], capped */
	for (k = 1; k < b.max_attempts; k++) {
		double ceiling = prev_ceiling * 2;
		w = wn_backoff_next(&b, k, -1, total);
		CHECK(w >= 0 && w <= ceiling);
		CHECK_NEAR(wn_backoff_next(&b2, k, -1, total), w, 0); /* same seed, same waits */
		total += w;
		prev_ceiling = ceiling;
	}
	/* attempts exhausted */
	CHECK(wn_backoff_next(&b, b.max_attempts, -1, 0) < 0);
	/* the cap */
	b.max_attempts = 100;
	for (k = 1; k < 60; k++)
		CHECK(wn_backoff_next(&b, k, -1, 0) <= b.cap);
	/* Retry-After is a floor (plus a little jitter), clamped */
	w = wn_backoff_next(&b, 1, 7, 0);
	CHECK(w >= 7.0 && w <= 7.0 + b.base * 0.25);
	w = wn_backoff_next(&b, 1, 100000, 0);
	CHECK(w >= b.retry_after_cap && w <= b.retry_after_cap + 1);
	/* the budget: a wait that would exceed it gives up now */
	CHECK(wn_backoff_next(&b, 1, 30, b.budget - 10) < 0);
	/* jitter is spread, not constant */
	{
		double lo = 1e9, hi = -1;
		for (k = 0; k < 200; k++) {
			w = wn_backoff_next(&b, 4, -1, 0);
			lo = w < lo ? w : lo;
			hi = w > hi ? w : hi;
		}
		CHECK(lo < 2.0 && hi > 6.0);
	}
	/* any seed gives a working generator (0 included) */
	wn_backoff_init(&b, 0);
	CHECK(b.rng != 0);
}

int main(void)
{
	RUN(test_spacing);
	RUN(test_key_and_hold);
	RUN(test_backoff);
	return wn_test_report();
}

/*
 * parallel.c - a parallel "for" over index ranges (see dd.h).
 *
 * The range [0, n) is cut into chunks of fixed size; threads take the next chunk from
 * an atomic counter. Which thread runs a chunk varies from run to run, so callers write
 * results only into slots owned by the chunk (chunk number or index), never into a
 * shared list: the combined result is then the same for any number of threads.
 * The first error wins and stops the other threads at their next chunk.
 *
 * Every thread that parses JSON runs in the "C" locale object (dd_locale_enter). json-c
 * 0.16 makes each json_tokener_parse_ex call switch LC_NUMERIC to "C" with duplocale,
 * newlocale and freelocale of the thread's current locale; for the global locale these
 * take glibc's process-wide locale lock, once a record per thread, and two threads
 * parsing spend most of their time asleep on it (measured: -j2 no faster than -j1).
 * When the thread's locale already is glibc's "C" object, those calls return it at once
 * without the lock. Numbers are parsed the same way either way ("C" is what json-c
 * switches to); the caller's locale is given back when the stage ends.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include "winnow/alloc.h"
#include "dd.h"

struct par {
	dd_range_fn fn;
	void *ctx;
	size_t n, chunk;
	atomic_size_t next;
	atomic_int failed;
	pthread_mutex_t lock;
	struct wn_err err;
};

locale_t dd_locale_enter(void)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);

	/* on failure nothing changes: only slower */
	return c ? uselocale(c) : (locale_t)0;
}

void dd_locale_leave(locale_t old)
{
	locale_t c;

	if (!old)
		return;
	c = uselocale(old);
	if (c && c != LC_GLOBAL_LOCALE)
		freelocale(c);
}

static void *par_worker(void *arg)
{
	struct par *p = arg;
	struct wn_err err;

	for (;;) {
		size_t c = atomic_fetch_add(&p->next, 1), begin, end;

		if (atomic_load(&p->failed))
			break;
		begin = c * p->chunk;
		if (begin >= p->n)
			break;
		end = begin + p->chunk < p->n ? begin + p->chunk : p->n;
		wn_err_clear(&err);
		if (p->fn(p->ctx, c, begin, end, &err) < 0) {
			pthread_mutex_lock(&p->lock);
			if (!atomic_load(&p->failed))
				p->err = err;
			atomic_store(&p->failed, 1);
			pthread_mutex_unlock(&p->lock);
			break;
		}
	}
	return NULL;
}

static void *par_thread(void *arg)
{
	locale_t old = dd_locale_enter();

	par_worker(arg);
	dd_locale_leave(old);
	return NULL;
}

int dd_parallel(unsigned threads, size_t n, size_t chunk, dd_range_fn fn, void *ctx,
		struct wn_err *err)
{
	struct par p;
	pthread_t tid[64];
	unsigned started = 0, i;
	locale_t old;

	if (n == 0)
		return 0;
	if (chunk == 0)
		chunk = 1;
	memset(&p, 0, sizeof(p));
	p.fn = fn;
	p.ctx = ctx;
	p.n = n;
	p.chunk = chunk;
	atomic_init(&p.next, 0);
	atomic_init(&p.failed, 0);
	if (pthread_mutex_init(&p.lock, NULL) != 0)
		return wn_err_set(err, WN_ENOMEM, "cannot create a mutex");
	if (threads > 64)
		threads = 64;
	if ((n + chunk - 1) / chunk < threads)
		threads = (unsigned)((n + chunk - 1) / chunk);
	/* the calling thread is one of the workers */
	for (i = 1; i < threads; i++) {
		if (pthread_create(&tid[started], NULL, par_thread, &p) != 0)
			break; /* fewer threads: still correct, only slower */
		started++;
	}
	old = dd_locale_enter();
	par_worker(&p);
	dd_locale_leave(old);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&p.lock);
	if (atomic_load(&p.failed)) {
		if (err)
			*err = p.err;
		return -1;
	}
	return 0;
}

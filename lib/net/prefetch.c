/*
 * prefetch.c - the worker thread behind prefetch.h.
 *
 * A ring of WN_PREFETCH_DEPTH + 1 slots: the caller holds the slot it is parsing until
 * it asks for the next response, and the worker may fill at most WN_PREFETCH_DEPTH slots
 * ahead of it. One mutex and one condition variable guard the indexes and slot states;
 * the bodies and messages are written by the worker before it marks a slot ready (under
 * the mutex) and read by the caller after it sees it ready, so they need no lock.
 */
#include <pthread.h>
#include <string.h>
#include "prefetch.h"
#include "winnow/alloc.h"
#include "winnow/buf.h"

#define RING (WN_PREFETCH_DEPTH + 1)

struct slot {
	int ready;
	int rc;
	struct wn_err err;
	struct wn_buf body;
	struct wn_buf msgs;   /* level byte, message, NUL; repeated */
};

struct wn_prefetch {
	struct wn_eutils *eu;
	wn_eutils_log_fn saved_log;
	void *saved_data;
	const char *util;
	char *const *forms;
	size_t n;
	enum wn_eutils_expect expect;
	size_t next_req, next_out;
	int stop, done, started;
	struct slot slots[RING];
	struct slot *filling;  /* the worker's slot (log capture) */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* The client's log while the worker runs: keep the message with its request. */
static void capture(void *data, enum wn_diag_level level, const char *msg)
{
	struct wn_prefetch *p = data;
	struct wn_buf *m = &p->filling->msgs;

	/* a message lost to a full memory is not worth failing the fetch for */
	if (wn_buf_addc(m, (char)('0' + (int)level), NULL) == 0 &&
	    wn_buf_add(m, msg, strlen(msg) + 1, NULL) < 0)
		wn_buf_truncate(m, m->len - 1);
}

static void *worker(void *arg)
{
	struct wn_prefetch *p = arg;

	pthread_mutex_lock(&p->mu);
	while (!p->stop && p->next_req < p->n) {
		size_t i = p->next_req;
		struct slot *s = &p->slots[i % RING];
		const char *body = NULL;
		size_t len = 0;
		int rc;

		if (i >= p->next_out + WN_PREFETCH_DEPTH) {
			pthread_cond_wait(&p->cv, &p->mu);
			continue;
		}
		p->filling = s;
		wn_buf_reset(&s->msgs);
		wn_err_clear(&s->err);
		pthread_mutex_unlock(&p->mu);
		rc = wn_eutils_call(p->eu, p->util, p->forms[i], p->expect, &body, &len, &s->err);
		wn_buf_reset(&s->body);
		if (rc == 0 && wn_buf_add(&s->body, body, len, &s->err) < 0)
			rc = -1;
		pthread_mutex_lock(&p->mu);
		s->rc = rc;
		s->ready = 1;
		p->next_req++;
		pthread_cond_broadcast(&p->cv);
		if (rc < 0)
			break;
	}
	p->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct wn_prefetch *wn_prefetch_start(struct wn_eutils *eu, const char *util,
				      char *const *forms, size_t n, enum wn_eutils_expect expect,
				      struct wn_err *err)
{
	struct wn_prefetch *p = wn_calloc(1, sizeof(*p));
	size_t i;

	if (!p) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	p->eu = eu;
	p->util = util;
	p->forms = forms;
	p->n = n;
	p->expect = expect;
	for (i = 0; i < RING; i++) {
		wn_buf_init(&p->slots[i].body, 0);
		wn_buf_init(&p->slots[i].msgs, 1 << 20);
	}
	p->filling = &p->slots[0];
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->saved_log = capture;
	p->saved_data = p;
	wn_eutils_swap_log(eu, &p->saved_log, &p->saved_data);
	if (pthread_create(&p->th, NULL, worker, p) != 0) {
		wn_err_set(err, WN_EIO, "cannot start a thread");
		wn_prefetch_finish(p);
		return NULL;
	}
	p->started = 1;
	return p;
}

int wn_prefetch_next(struct wn_prefetch *p, const char **body, size_t *len, struct wn_err *err)
{
	size_t i;
	struct slot *s;
	const char *m, *end;

	pthread_mutex_lock(&p->mu);
	i = p->next_out;
	s = &p->slots[i % RING];
	while (!s->ready && !(p->done && p->next_req <= i))
		pthread_cond_wait(&p->cv, &p->mu);
	if (!s->ready) {
		pthread_mutex_unlock(&p->mu);
		return wn_err_set(err, WN_EUSAGE, "no more responses");
	}
	s->ready = 0;
	p->next_out++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	/* the slot is ours until the next call: the worker fills at most DEPTH ahead */
	for (m = s->msgs.data, end = m + s->msgs.len; m < end; m += strlen(m) + 1) {
		enum wn_diag_level level = (enum wn_diag_level)(*m++ - '0');
		if (p->saved_log)
			p->saved_log(p->saved_data, level, m);
	}
	if (s->rc < 0) {
		if (err)
			*err = s->err;
		return -1;
	}
	*body = s->body.data;
	*len = s->body.len;
	return 0;
}

void wn_prefetch_finish(struct wn_prefetch *p)
{
	size_t i;

	if (!p)
		return;
	if (p->started) {
		pthread_mutex_lock(&p->mu);
		p->stop = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->th, NULL);
	}
	wn_eutils_swap_log(p->eu, &p->saved_log, &p->saved_data);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	for (i = 0; i < RING; i++) {
		wn_buf_release(&p->slots[i].body);
		wn_buf_release(&p->slots[i].msgs);
	}
	wn_free(p);
}

/*
 * pubmed_xml_par.c - the PubMed XML import loop, on one thread or several.
 *
 * Three kinds of work, on their own threads for a big input: a reader inflates the
 * stream and cuts it into record chunks (pubmed_xml_split.c), copied into batches
 * (about 1 MiB or 256 records each); workers parse batches into records
 * (pubmed_xml_chunk.c); the calling thread hands finished batches to the import session
 * strictly in input order (which writes them out). Output, diagnostics and ids are
 * therefore the same, byte for byte, whatever the number of threads: only the reading
 * and the parsing move. (Measured: with reading on the calling thread, the calling
 * thread alone was most of the run.)
 *
 * With one thread (WINNOW_THREADS=1, a single CPU, or an input that fits in the first
 * batch) the calling thread parses each batch itself, through the same code.
 *
 * Memory is bounded by the batches in flight (2 per worker + 2): a few MiB of chunk
 * bytes and the records built from them, whatever the size of the file.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "winnow/alloc.h"
#include "winnow/import.h"
#include "pubmed_xml.h"

#define BATCH_BYTES ((size_t)1 << 20)
#define BATCH_ITEMS 256
#define MAX_WORKERS 8

enum bstate { B_FREE, B_FILLING, B_FILLED, B_WORKING, B_PARSED };

struct item {
	enum px_kind kind;
	size_t off, n;          /* bytes in batch->bytes */
	unsigned long line;
	const char *why;
	int read_tail;          /* a broken chunk cut short by a read failure */
	struct px_result res;   /* filled by the parser */
	json_object *rec;       /* PX_OK: the record (owned until committed) */
};

struct batch {
	enum bstate state;
	unsigned long seq;
	struct wn_buf bytes;
	struct item *items;
	size_t n, cap;
	json_object *deleted;   /* DeleteCitation PMIDs of this batch */
	int failed;             /* the parser ran out of memory */
	struct wn_err err;
};

struct par {
	pthread_mutex_t mu;
	pthread_cond_t work;    /* workers: a batch is FILLED, or stop */
	pthread_cond_t done;    /* calling thread: a batch is PARSED, or the reader ended */
	pthread_cond_t space;   /* reader: a batch is FREE, or stop */
	struct batch *b;
	size_t nb;
	unsigned long next_seq, commit_seq;
	int stop;               /* everyone: end now (a failure, or all done) */
	int nworkers;
	pthread_t th[MAX_WORKERS];
	pthread_t reader;
	int reader_live, reader_done, reader_rc;
	struct wn_err reader_err;
	struct px_split *sp;    /* the reader's alone while it runs */
	char encoding[40];      /* what the workers give libxml2 ("" = UTF-8) */
	size_t rec_max;
};

/* ---- batches ---- */

static void batch_clear(struct batch *bt)
{
	size_t i;

	for (i = 0; i < bt->n; i++) {
		if (bt->items[i].rec)
			json_object_put(bt->items[i].rec);
		bt->items[i].rec = NULL;
	}
	bt->n = 0;
	wn_buf_reset(&bt->bytes);
	if (bt->deleted)
		json_object_put(bt->deleted);
	bt->deleted = NULL;
	bt->failed = 0;
}

static void batch_release(struct batch *bt)
{
	batch_clear(bt);
	wn_buf_release(&bt->bytes);
	wn_free(bt->items);
	bt->items = NULL;
	bt->cap = 0;
}

static int batch_add(struct batch *bt, const struct px_chunk *c, int read_tail, struct wn_err *err)
{
	struct item *it;

	if (bt->n == bt->cap) {
		size_t ncap = bt->cap ? bt->cap * 2 : 64;
		struct item *ni = wn_reallocarray(bt->items, ncap, sizeof(*ni));
		if (!ni)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		bt->items = ni;
		bt->cap = ncap;
	}
	it = &bt->items[bt->n];
	memset(it, 0, sizeof(*it));
	it->kind = c->kind;
	it->off = bt->bytes.len;
	it->n = c->n;
	it->line = c->line;
	it->why = c->why;
	it->read_tail = read_tail;
	if (c->n && wn_buf_add(&bt->bytes, c->p, c->n, err) < 0)
		return -1;
	bt->n++;
	return 0;
}

/* Parse every chunk of the batch (on whichever thread). */
static void batch_parse(struct batch *bt, struct px_parser *px, struct wn_recb *b)
{
	size_t i;

	wn_err_clear(&bt->err);
	bt->deleted = wn_alloc_should_fail() ? NULL : json_object_new_array();
	if (!bt->deleted) {
		bt->failed = 1;
		wn_err_set(&bt->err, WN_ENOMEM, "out of memory");
		return;
	}
	for (i = 0; i < bt->n; i++) {
		struct item *it = &bt->items[i];
		struct px_chunk c;

		c.kind = it->kind;
		c.p = it->n ? bt->bytes.data + it->off : NULL;
		c.n = it->n;
		c.line = it->line;
		c.why = it->why;
		if (px_parse_chunk(px, &c, b, bt->deleted, &it->res, &bt->err) < 0) {
			bt->failed = 1;
			return;
		}
		if (it->res.outcome != PX_OK)
			continue;
		/* id and origin are set by the session; placing them now keeps the record in
		 * canonical order, so the session does not rebuild it */
		if (wn_record_set_int(wn_recb_peek(b), WN_F_ID, 0, &bt->err) < 0 ||
		    wn_record_set_int(wn_recb_peek(b), WN_F_ORIGIN, 0, &bt->err) < 0) {
			bt->failed = 1;
			wn_err_set(&bt->err, WN_ENOMEM, "out of memory");
			return;
		}
		it->rec = wn_recb_take(b, &bt->err);
		if (!it->rec) {
			bt->failed = 1;
			return;
		}
	}
}

/* Hand a parsed batch to the session, in order. */
static int batch_commit(struct wn_import *imp, struct batch *bt, struct px_split *sp,
			json_object *deleted, int *broken_tail, struct wn_err *err)
{
	size_t i, k;

	if (bt->failed) {
		*err = bt->err;
		if (err->code == WN_OK)
			wn_err_set(err, WN_ENOMEM, "out of memory");
		return -1;
	}
	for (i = 0; i < bt->n; i++) {
		struct item *it = &bt->items[i];
		json_object *rec = it->rec;

		it->rec = NULL;
		if (px_handle(imp, it->kind, it->line, it->read_tail, &it->res, rec, sp, err) < 0)
			return -1;
		*broken_tail = it->read_tail;
	}
	for (k = 0; bt->deleted && k < json_object_array_length(bt->deleted); k++) {
		json_object *pmid = json_object_get(json_object_array_get_idx(bt->deleted, k));
		if (json_object_array_add(deleted, pmid)) {
			json_object_put(pmid); /* the reference taken for the add */
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	}
	return 0;
}

/* Fill bt from the splitter. Returns 1 if anything was added, 0 at the end of input,
 * -1 on failure. */
static int batch_fill(struct batch *bt, struct px_split *sp, struct wn_err *err)
{
	struct px_chunk c;
	int r;

	while (bt->n < BATCH_ITEMS && bt->bytes.len < BATCH_BYTES) {
		int tail;
		r = px_split_next(sp, &c, err);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		tail = c.kind == PX_BROKEN && sp->read_failed && c.p + c.n == sp->buf + sp->len;
		if (batch_add(bt, &c, tail, err) < 0)
			return -1;
	}
	return bt->n > 0;
}

/* ---- workers ---- */

static void *worker(void *arg)
{
	struct par *p = arg;
	struct px_parser px;
	struct wn_recb b;
	struct wn_err err;
	int ok = px_parser_init(&px, &err) == 0;

	px.rec_max = p->rec_max;
	px.encoding = p->encoding[0] ? p->encoding : NULL;
	wn_recb_init(&b);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct batch *bt = NULL;
		size_t i;

		if (p->stop)
			break;
		for (i = 0; i < p->nb; i++) {
			if (p->b[i].state == B_FILLED && (!bt || p->b[i].seq < bt->seq))
				bt = &p->b[i];
		}
		if (!bt) {
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		bt->state = B_WORKING;
		pthread_mutex_unlock(&p->mu);
		if (ok) {
			batch_parse(bt, &px, &b);
		} else {
			bt->failed = 1;
			bt->err = err;
		}
		pthread_mutex_lock(&p->mu);
		bt->state = B_PARSED;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	wn_recb_release(&b);
	px_parser_release(&px);
	return NULL;
}

static int thread_count(void)
{
	const char *e = getenv("WINNOW_THREADS");
	long n;

	if (e && *e) {
		n = strtol(e, NULL, 10);
		if (n >= 1)
			return n > MAX_WORKERS ? MAX_WORKERS : (int)n;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

/* The reader thread: fill free batches from the splitter, in order, until the input
 * ends (or fails, or the run stops). */
static void *reader(void *arg)
{
	struct par *p = arg;
	struct wn_err err;

	wn_err_clear(&err);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct batch *bt = NULL;
		size_t i;
		int r;

		while (!p->stop) {
			for (i = 0; i < p->nb && !bt; i++) {
				if (p->b[i].state == B_FREE)
					bt = &p->b[i];
			}
			if (bt)
				break;
			pthread_cond_wait(&p->space, &p->mu);
		}
		if (p->stop)
			break;
		bt->state = B_FILLING;
		pthread_mutex_unlock(&p->mu);
		r = batch_fill(bt, p->sp, &err);
		pthread_mutex_lock(&p->mu);
		if (r <= 0) {
			bt->state = B_FREE;
			batch_clear(bt);
			p->reader_rc = r;
			p->reader_err = err;
			break;
		}
		bt->state = B_FILLED;
		bt->seq = p->next_seq++;
		pthread_cond_signal(&p->work);
	}
	p->reader_done = 1;
	pthread_cond_broadcast(&p->done);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The calling thread: hand batches over in order as they are parsed, until the reader
 * has ended and every batch it filled is handed over. */
static int commit_all(struct par *p, struct wn_import *imp, struct px_split *sp,
		      json_object *deleted, int *broken_tail, struct wn_err *err)
{
	int rc = 0;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct batch *bt = NULL;
		size_t i;

		for (i = 0; i < p->nb; i++) {
			if (p->b[i].state == B_PARSED && p->b[i].seq == p->commit_seq)
				bt = &p->b[i];
		}
		if (!bt) {
			if (p->reader_done && p->commit_seq == p->next_seq)
				break;
			pthread_cond_wait(&p->done, &p->mu);
			continue;
		}
		pthread_mutex_unlock(&p->mu);
		rc = batch_commit(imp, bt, sp, deleted, broken_tail, err);
		batch_clear(bt);
		pthread_mutex_lock(&p->mu);
		bt->state = B_FREE;
		p->commit_seq++;
		pthread_cond_signal(&p->space);
		if (rc < 0)
			break;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static void stop_threads(struct par *p)
{
	int i;

	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->space);
	pthread_mutex_unlock(&p->mu);
	if (p->reader_live)
		pthread_join(p->reader, NULL);
	p->reader_live = 0;
	for (i = 0; i < p->nworkers; i++)
		pthread_join(p->th[i], NULL);
	p->nworkers = 0;
}

/* The single-threaded loop: parse each batch here, commit it. */
static int run_here(struct wn_import *imp, struct px_split *sp, struct batch *bt, int have,
		    json_object *deleted, int *broken_tail, struct wn_err *err)
{
	struct px_parser px;
	int rc = 0;

	if (px_parser_init(&px, err) < 0) {
		px_parser_release(&px);
		return -1;
	}
	px.rec_max = sp->rec_max;
	for (;;) {
		if (!have) {
			have = batch_fill(bt, sp, err);
			if (have < 0) {
				rc = -1;
				break;
			}
			if (!have)
				break;
		}
		px.encoding = px_encoding(sp);
		batch_parse(bt, &px, wn_import_recb(imp));
		rc = batch_commit(imp, bt, sp, deleted, broken_tail, err);
		batch_clear(bt);
		if (rc < 0)
			break;
		have = 0;
	}
	px_parser_release(&px);
	return rc;
}

int px_run(struct wn_import *imp, struct px_split *sp, json_object *deleted, struct wn_err *err)
{
	struct par p;
	int nthreads = thread_count(), broken_tail = 0, rc = 0, first;
	size_t i;

	memset(&p, 0, sizeof(p));
	p.nb = nthreads > 1 ? (size_t)nthreads * 2 + 2 : 1;
	p.b = wn_calloc(p.nb, sizeof(*p.b));
	if (!p.b)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < p.nb; i++)
		wn_buf_init(&p.b[i].bytes, 0);
	p.rec_max = sp->rec_max;

	/* the first batch decides: an input that fits in it is parsed right here */
	first = batch_fill(&p.b[0], sp, err);
	if (first < 0) {
		rc = -1;
		goto out;
	}
	if (nthreads == 1 || !first || sp->eof) {
		rc = run_here(imp, sp, &p.b[0], first, deleted, &broken_tail, err);
		goto finish;
	}
	{
		const char *enc = px_encoding(sp);
		snprintf(p.encoding, sizeof(p.encoding), "%s", enc ? enc : "");
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.done, NULL);
	pthread_cond_init(&p.space, NULL);
	p.sp = sp;
	/* the first batch is filled already: kept back (seq 0) until every thread runs */
	p.b[0].state = B_FILLING;
	p.next_seq = 1;
	for (i = 0; i < (size_t)nthreads; i++) {
		if (pthread_create(&p.th[i], NULL, worker, &p) != 0)
			break;
		p.nworkers++;
	}
	if (p.nworkers > 0 && pthread_create(&p.reader, NULL, reader, &p) == 0)
		p.reader_live = 1;
	if (!p.reader_live) {
		/* no threads to be had: do it all here (the workers saw no batch) */
		stop_threads(&p);
		p.b[0].state = B_FREE;
		rc = run_here(imp, sp, &p.b[0], first, deleted, &broken_tail, err);
	} else {
		pthread_mutex_lock(&p.mu);
		p.b[0].state = B_FILLED;
		p.b[0].seq = 0;
		pthread_cond_signal(&p.work);
		pthread_mutex_unlock(&p.mu);
		rc = commit_all(&p, imp, sp, deleted, &broken_tail, err);
		stop_threads(&p);
		if (rc == 0 && p.reader_rc < 0) {
			*err = p.reader_err;
			rc = -1;
		}
	}
	pthread_cond_destroy(&p.space);
	pthread_cond_destroy(&p.done);
	pthread_cond_destroy(&p.work);
	pthread_mutex_destroy(&p.mu);
finish:
	if (rc == 0)
		rc = px_finish(imp, sp, broken_tail, deleted, err);
out:
	for (i = 0; i < p.nb; i++)
		batch_release(&p.b[i]);
	wn_free(p.b);
	return rc;
}

/*
 * reader.c - reading the record stream in parallel, and keeping the raw lines (see dd.h).
 *
 * The calling thread reads lines (wn_lines: gzip, CR/LF, the line cap) and packs them
 * into batches of a few thousand lines; worker threads parse each batch with their own
 * json-c tokener and normalise its records (features.c). The calling thread is one of
 * the workers: when the queue is full it parses the oldest waiting batch itself. A
 * batch's results live in the batch, whose place in the list is fixed when it is read,
 * so the outcome does not depend on which thread finished first. Finished batches are
 * committed in order by the calling thread: bad lines are reported (in input order),
 * the blocking keys are moved to the global list, and the raw lines are kept - in
 * memory up to the memory budget, after that appended to an unlinked temporary file -
 * because the output pass writes unchanged records back byte for byte.
 *
 * A plain regular file (not gzip, not a pipe) is mapped in memory instead of read: the
 * batches' lines then point into the map, with nothing copied and nothing spilled, and
 * the pages of committed batches are handed back (MADV_DONTNEED) so that the resident
 * size does not grow with the file; the output pass maps them in again from the page
 * cache. On a 1.4 GB input this took a fifth of the CPU time off the run: the copies,
 * the zeroed pages behind them and the spill file's write and read-back.
 *
 * With one thread the calling thread does everything itself; no thread is started.
 * At most 2 x threads batches are in flight, which bounds the memory of the reading
 * stage whatever the input size.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/hash.h"
#include "winnow/input.h"
#include "winnow/jsonl.h"
#include "winnow/utf8.h"
#include "dd.h"

#define BATCH_LINES 2048
#define BATCH_BYTES ((size_t)4 << 20)
#define KEYS_PER_RECORD 16

struct worker_state {
	json_tokener *tok;
	struct dd_scratch scratch;
};

struct read_ctx {
	struct wn_dedup *d;
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	struct dd_batch **queue;    /* batches waiting for a worker (ring) */
	size_t qhead, qlen, qcap;
	int closing;
};

/* ---------------------------------------------------------------- batches */

static void batch_free(struct dd_batch *b)
{
	size_t i;

	if (!b)
		return;
	if (!b->mapped)
		wn_free(b->raw);
	wn_free(b->off);
	wn_free(b->len);
	wn_free(b->lineno);
	wn_free(b->flags);
	if (b->toolong) {
		for (i = 0; i < b->nlines; i++)
			wn_free(b->toolong[i]);
		wn_free(b->toolong);
	}
	wn_free(b->recs);
	wn_free(b->keys);
	wn_free(b->bad);
	dd_arena_release(&b->arena);
	wn_free(b);
}

void dd_batches_free(struct wn_dedup *d)
{
	size_t i;

	for (i = 0; i < d->nbatches; i++)
		batch_free(d->batches[i]);
	wn_free(d->batches);
	d->batches = NULL;
	d->nbatches = d->batchcap = 0;
	if (d->spill) {
		fclose(d->spill);
		d->spill = NULL;
	}
	for (i = 0; i < d->nfiles && i < d->mapcap; i++)
		if (d->maps[i].p)
			munmap((void *)d->maps[i].p, d->maps[i].n);
	wn_free(d->maps);
	d->maps = NULL;
	d->mapcap = 0;
}

void dd_maps_release(struct wn_dedup *d, size_t from, size_t upto)
{
#ifdef MADV_DONTNEED
	long pg = sysconf(_SC_PAGESIZE);
	size_t i;

	if (pg <= 0)
		return;
	for (i = from; i < upto && i < d->nbatches;) {
		const struct dd_batch *b = d->batches[i], *last = b;
		const struct dd_map *m;
		size_t lo, hi;

		/* a file's batches are consecutive: release them as one stretch */
		while (i + 1 < upto && i + 1 < d->nbatches && d->batches[i + 1]->file == b->file &&
		       d->batches[i + 1]->mapped == b->mapped)
			last = d->batches[++i];
		i++;
		if (!b->mapped || b->file >= d->mapcap || !(m = &d->maps[b->file])->p)
			continue;
		/* whole pages only: the pages at either end may hold a neighbour's lines */
		lo = (size_t)(b->raw - m->p);
		hi = (size_t)(last->raw - m->p) + last->raw_len;
		lo = (lo + (size_t)pg - 1) / (size_t)pg * (size_t)pg;
		hi = hi / (size_t)pg * (size_t)pg;
		if (hi > lo)
			(void)madvise((void *)(m->p + lo), hi - lo, MADV_DONTNEED); /* advice only */
	}
#else
	(void)d;
	(void)from;
	(void)upto;
#endif
}

static struct dd_batch *batch_new(struct wn_dedup *d, uint32_t file, struct wn_err *err)
{
	struct dd_batch *b = wn_calloc(1, sizeof(*b));

	if (!b) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	dd_arena_init(&b->arena);
	b->file = file;
	if (dd_grow((void **)&d->batches, &d->batchcap, d->nbatches + 1, sizeof(*d->batches), err) < 0) {
		batch_free(b);
		return NULL;
	}
	b->seq = (uint32_t)d->nbatches;
	d->batches[d->nbatches++] = b;
	return b;
}

static int batch_add_line(struct dd_batch *b, const char *line, size_t len, unsigned long lineno,
			  const char *toolong, struct wn_err *err)
{
	size_t cap = b->linecap;

	if (b->nlines == cap) {
		size_t ncap = cap ? cap * 2 : 256;
		uint32_t *off = wn_reallocarray(b->off, ncap, sizeof(*off));
		if (!off)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		b->off = off;
		off = wn_reallocarray(b->len, ncap, sizeof(*off));
		if (!off)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		b->len = off;
		off = wn_reallocarray(b->lineno, ncap, sizeof(*off));
		if (!off)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		b->lineno = off;
		{
			uint8_t *f = wn_realloc(b->flags, ncap);
			if (!f)
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			b->flags = f;
		}
		b->linecap = ncap;
	}
	if (toolong) {
		if (!b->toolong) {
			/* a batch never holds more than BATCH_LINES lines */
			b->toolong = wn_calloc(BATCH_LINES + 1, sizeof(*b->toolong));
			if (!b->toolong)
				return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		b->toolong[b->nlines] = wn_strdup(toolong);
		if (!b->toolong[b->nlines])
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		b->flags[b->nlines] = 1;
		b->off[b->nlines] = (uint32_t)b->raw_len;
		b->len[b->nlines] = 0;
	} else if (b->mapped) {
		b->flags[b->nlines] = 0; /* offset and length: batch_add_mapped */
	} else {
		/* a batch fills up to BATCH_BYTES: room for that at once, instead of doubling
		 * from nothing (the copies of the doubling were a few per cent of the read);
		 * pages never written cost no memory */
		size_t need = b->raw_len + len + 1;
		if (!b->raw_cap && need < BATCH_BYTES + 65536)
			need = BATCH_BYTES + 65536;
		if (dd_grow((void **)&b->raw, &b->raw_cap, need, 1, err) < 0)
			return -1;
		memcpy(b->raw + b->raw_len, line, len);
		b->off[b->nlines] = (uint32_t)b->raw_len;
		b->len[b->nlines] = (uint32_t)len;
		b->raw_len += len;
		b->raw[b->raw_len++] = '\n';
		b->flags[b->nlines] = 0;
	}
	b->lineno[b->nlines] = lineno > UINT32_MAX ? UINT32_MAX : (uint32_t)lineno;
	b->nlines++;
	return 0;
}

/* A line of a mapped file: at `at` in the map, followed by a terminator of `term` bytes
 * (0 for a last line without one). The batch's raw stretch starts at its first line. */
static int batch_add_mapped(struct dd_batch *b, const char *map, size_t at, size_t len,
			    size_t term, unsigned long lineno, struct wn_err *err)
{
	size_t base;

	if (!b->raw) {
		b->raw = (char *)map + at;
		b->mapped = 1;
	}
	base = (size_t)(b->raw - map);
	if (batch_add_line(b, NULL, 0, lineno, NULL, err) < 0)
		return -1;
	b->off[b->nlines - 1] = (uint32_t)(at - base);
	b->len[b->nlines - 1] = (uint32_t)len;
	b->raw_len = at - base + len + term;
	return 0;
}

static int add_bad(struct dd_batch *b, uint32_t lineno, const char *reason, const char *msg,
		   struct wn_err *err)
{
	const char *m = dd_arena_strndup(&b->arena, msg, strlen(msg), err);

	if (!m || dd_grow((void **)&b->bad, &b->badcap, b->nbad + 1, sizeof(*b->bad), err) < 0)
		return -1;
	b->bad[b->nbad].lineno = lineno;
	b->bad[b->nbad].reason = reason;
	b->bad[b->nbad].msg = m;
	b->nbad++;
	return 0;
}

/* Parse and normalise every line of a batch (any thread). */
static int process_batch(struct wn_dedup *d, struct dd_batch *b, struct worker_state *w,
			 struct wn_err *err)
{
	size_t i;
	const char *name = d->files[b->file];
	int use_flat = !getenv("WINNOW_DEDUP_NO_FLAT");

	b->recs = wn_calloc(b->nlines ? b->nlines : 1, sizeof(*b->recs));
	if (!b->recs)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	/* room for the keys a record usually has (a dozen or so), at once: doubling from
	 * nothing copied each batch's keys a dozen times */
	if (dd_grow((void **)&b->keys, &b->keycap, b->nlines * KEYS_PER_RECORD, sizeof(*b->keys),
		    err) < 0)
		return -1;
	for (i = 0; i < b->nlines; i++) {
		json_object *obj;
		struct wn_err perr;
		struct dd_rec *r;
		const char *pline;
		size_t plen;
		int skimmed, prc, flat, frc;

		if (b->flags[i]) {
			if (add_bad(b, b->lineno[i], "line too long", b->toolong[i], err) < 0)
				return -1;
			continue;
		}
		/* The line's plain values are read straight from it and json-c parses the
		 * others as an array (flat.c), or, when the line is not of the ordinary kind
		 * for that, the line with its abstract skimmed (skim.c): the same tokens.
		 * wn_jsonl_parse_line/value check what they are given (NUL, strict UTF-8,
		 * \u0000); what is left out of it was checked the same way here. */
		flat = use_flat ? dd_flatten_line(b->raw + b->off[i], b->len[i], &w->scratch.flat,
						  err) : 0;
		if (flat < 0)
			return -1;
		obj = NULL;
		if (flat) {
			skimmed = 1;
			pline = w->scratch.flat.text.data;
			plen = w->scratch.flat.text.len;
		} else if ((skimmed = dd_skim_line(b->raw + b->off[i], b->len[i], &w->scratch.skim,
						   &pline, &plen, NULL, NULL, err)) < 0) {
			return -1;
		}
		wn_err_clear(&perr);
		if (flat && !w->scratch.flat.njson)
			prc = WN_JSONL_OK; /* every value was plain: nothing for json-c */
		else
			prc = flat ? wn_jsonl_parse_value(w->tok, pline, plen, name, b->lineno[i], &obj, &perr)
				   : wn_jsonl_parse_line(w->tok, pline, plen, name, b->lineno[i], &obj, &perr);
		if (prc == WN_JSONL_BAD && skimmed) {
			/* the message (a byte offset) is the one of the line as written */
			flat = 0;
			wn_err_clear(&perr);
			pline = b->raw + b->off[i];
			plen = b->len[i];
			prc = wn_jsonl_parse_line(w->tok, pline, plen, name, b->lineno[i], &obj, &perr);
		}
		switch (prc) {
		case WN_JSONL_OK:
			break;
		case WN_JSONL_BAD:
			if (add_bad(b, b->lineno[i], wn_jsonl_bad_reason(&perr), perr.msg, err) < 0)
				return -1;
			continue;
		default:
			/* out of memory inside json-c: not a bad line, the run cannot go on */
			if (err)
				*err = perr;
			return -1;
		}
		/* (wn_jsonl_parse_line has made sure json-c lost no value to a failed
		 * allocation: wn_json_lost_values, as dd_json_parse_checked does elsewhere) */
		r = &b->recs[b->nrecs];
		frc = flat ? dd_features_flat(obj, &w->scratch.flat, r, (uint32_t)b->nrecs, &d->prefs,
					      &w->scratch, &b->arena, &b->keys, &b->nkeys, &b->keycap, err)
			   : dd_features(obj, r, (uint32_t)b->nrecs, &d->prefs, &w->scratch, &b->arena,
					 &b->keys, &b->nkeys, &b->keycap, err);
		if (frc == 0 && flat && d->prefs.apart_top[0])
			frc = dd_apart_flat(b->raw + b->off[i], &w->scratch.flat, obj, &d->prefs, w->tok,
					    &w->scratch.apart, &r->apart, err);
		json_object_put(obj);
		if (frc < 0)
			return -1;
		r->line_hash = wn_hash64_mem(b->raw + b->off[i], b->len[i]);
		r->batch = b->seq;
		r->off = b->off[i];
		r->len = b->len[i];
		r->lineno = b->lineno[i];
		r->file = b->file;
		b->nrecs++;
	}
	return 0;
}

/* ---------------------------------------------------------------- committing */

static int spill_batch(struct wn_dedup *d, struct dd_batch *b, struct wn_err *err)
{
	if (!d->spill) {
		d->spill = tmpfile();
		if (!d->spill)
			return wn_err_sys(err, errno, "cannot create a temporary file for the record lines");
	}
	if (b->raw_len && fwrite(b->raw, 1, b->raw_len, d->spill) != b->raw_len)
		return wn_err_sys(err, errno ? errno : EIO, "cannot write the temporary file of record lines");
	b->spill_off = d->spill_len;
	d->spill_len += b->raw_len;
	b->spilled = 1;
	wn_free(b->raw);
	b->raw = NULL;
	b->raw_cap = 0;
	return 0;
}

/* In input order: report bad lines, move keys to the global list, keep the lines. */
static int commit_batch(struct wn_dedup *d, struct dd_batch *b, struct wn_err *err)
{
	size_t i;

	if (b->failed) {
		*err = b->err;
		return -1;
	}
	for (i = 0; i < b->nbad; i++) {
		d->stats.skipped++;
		if (d->opts.bad_line &&
		    d->opts.bad_line(d->opts.bad_data, d->files[b->file], b->bad[i].lineno,
				     b->bad[i].reason, b->bad[i].msg) != 0)
			return wn_err_set(err, WN_EFORMAT, "%s", b->bad[i].msg);
	}
	if (d->nrecs + b->nrecs > UINT32_MAX - 1)
		return wn_err_set(err, WN_ELIMIT, "too many records (the limit is %u)", UINT32_MAX - 1);
	b->base = (uint32_t)d->nrecs;
	if (dd_grow((void **)&d->recs, &d->reccap, d->nrecs + b->nrecs, sizeof(*d->recs), err) < 0 ||
	    dd_grow((void **)&d->keys, &d->keycap, d->nkeys + b->nkeys, sizeof(*d->keys), err) < 0)
		return -1;
	for (i = 0; i < b->nrecs; i++)
		d->recs[d->nrecs++] = &b->recs[i];
	for (i = 0; i < b->nkeys; i++) {
		d->keys[d->nkeys] = b->keys[i];
		d->keys[d->nkeys].rec += b->base;
		d->nkeys++;
	}
	wn_free(b->keys);
	b->keys = NULL;
	b->nkeys = b->keycap = 0;
	wn_free(b->off);
	wn_free(b->len);
	wn_free(b->lineno);
	wn_free(b->flags);
	b->off = b->len = b->lineno = NULL;
	b->flags = NULL;
	if (b->toolong) {
		for (i = 0; i < b->nlines; i++)
			wn_free(b->toolong[i]);
		wn_free(b->toolong);
		b->toolong = NULL;
	}
	/* lines the writer will need again: in memory within the budget, else on disk;
	 * mapped lines stay in the file */
	if (b->mapped)
		return 0;
	if (d->mem_raw + b->raw_len > d->opts.memory_budget)
		return spill_batch(d, b, err);
	d->mem_raw += b->raw_len;
	return 0;
}

/* ---------------------------------------------------------------- threads */

static void *read_worker(void *arg)
{
	struct read_ctx *c = arg;
	struct worker_state w;
	locale_t old = dd_locale_enter();

	w.tok = json_tokener_new();
	dd_scratch_init(&w.scratch);
	if (w.tok)
		json_tokener_set_flags(w.tok, JSON_TOKENER_STRICT); /* UTF-8: see process_batch */
	for (;;) {
		struct dd_batch *b;

		pthread_mutex_lock(&c->lock);
		while (c->qlen == 0 && !c->closing)
			pthread_cond_wait(&c->work, &c->lock);
		if (c->qlen == 0) {
			pthread_mutex_unlock(&c->lock);
			break;
		}
		b = c->queue[c->qhead];
		c->qhead = (c->qhead + 1) % c->qcap;
		c->qlen--;
		pthread_mutex_unlock(&c->lock);

		if (!w.tok) {
			b->failed = 1;
			wn_err_set(&b->err, WN_ENOMEM, "out of memory");
		} else if (process_batch(c->d, b, &w, &b->err) < 0) {
			b->failed = 1;
		}
		pthread_mutex_lock(&c->lock);
		b->done = 1;
		pthread_cond_broadcast(&c->done);
		pthread_mutex_unlock(&c->lock);
	}
	if (w.tok)
		json_tokener_free(w.tok);
	dd_scratch_release(&w.scratch);
	dd_locale_leave(old);
	return NULL;
}

/* Parse a batch on the calling thread and mark it done (called with the lock held when
 * there are workers; the lock is released while working). */
static void help(struct read_ctx *c, struct dd_batch *b, struct worker_state *self)
{
	pthread_mutex_unlock(&c->lock);
	if (!self->tok) {
		b->failed = 1;
		wn_err_set(&b->err, WN_ENOMEM, "out of memory");
	} else if (process_batch(c->d, b, self, &b->err) < 0) {
		b->failed = 1;
	}
	pthread_mutex_lock(&c->lock);
	b->done = 1;
	pthread_cond_broadcast(&c->done);
}

/* The oldest batch no worker has taken yet, or NULL (lock held). */
static struct dd_batch *take(struct read_ctx *c)
{
	struct dd_batch *b;

	if (c->qlen == 0)
		return NULL;
	b = c->queue[c->qhead];
	c->qhead = (c->qhead + 1) % c->qcap;
	c->qlen--;
	return b;
}

/* Hand a batch to the workers (or process it here with one thread). When the queue is
 * full the calling thread does not wait: it parses the oldest waiting batch itself, so
 * the reading thread is one of the workers and no more threads than --threads compete
 * for the cores (on a busy machine every needless wake-up costs a time slice). */
static int submit(struct read_ctx *c, struct dd_batch *b, struct worker_state *self,
		  struct wn_err *err)
{
	if (!c->qcap) {
		if (process_batch(c->d, b, self, &b->err) < 0)
			b->failed = 1;
		b->done = 1;
		(void)err;
		return 0;
	}
	pthread_mutex_lock(&c->lock);
	while (c->qlen == c->qcap)
		help(c, take(c), self);
	c->queue[(c->qhead + c->qlen) % c->qcap] = b;
	c->qlen++;
	pthread_cond_signal(&c->work);
	pthread_mutex_unlock(&c->lock);
	return 0;
}

/* Commit finished batches in order; with `wait`, wait for all of them. */
static int commit_ready(struct read_ctx *c, size_t *next, size_t upto, int wait,
			struct worker_state *self, struct wn_err *err)
{
	struct wn_dedup *d = c->d;

	while (*next < upto) {
		struct dd_batch *b = d->batches[*next];
		int done;

		if (c->qcap) {
			pthread_mutex_lock(&c->lock);
			while (wait && !b->done) {
				struct dd_batch *t = take(c);
				if (t)
					help(c, t, self);
				else
					pthread_cond_wait(&c->done, &c->lock);
			}
			done = b->done;
			pthread_mutex_unlock(&c->lock);
		} else {
			done = b->done;
		}
		if (!done)
			break;
		if (commit_batch(d, b, err) < 0)
			return -1;
		dd_maps_release(d, *next, *next + 1);
		(*next)++;
	}
	return 0;
}

/* Map `path` ("-": standard input) when it is a plain regular file read from its start:
 * not gzip (its magic bytes), not empty, not a pipe or a terminal. *map stays NULL when
 * the file is not one to map, and the caller reads it as a stream; only a failed
 * allocation of the map table is an error. */
static int map_input(struct wn_dedup *d, const char *path, uint32_t file, struct wn_err *err)
{
	struct stat st;
	unsigned char magic[2];
	int fd, own = 0;
	void *p;

	if (dd_grow((void **)&d->maps, &d->mapcap, (size_t)file + 1, sizeof(*d->maps), err) < 0)
		return -1;
	d->maps[file].p = NULL;
	d->maps[file].n = 0;
	if (getenv("WINNOW_DEDUP_NO_MAP"))
		return 0; /* (tests: the stream path on a regular file) */
	if (strcmp(path, "-") == 0) {
		fd = 0;
		if (lseek(fd, 0, SEEK_CUR) != 0)
			return 0; /* part of it was read before us: read on from there */
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0; /* the stream path reports it */
		own = 1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 2 ||
	    (uint64_t)st.st_size > (uint64_t)SIZE_MAX / 2 ||
	    pread(fd, magic, 2, 0) != 2 || (magic[0] == 0x1f && magic[1] == 0x8b)) {
		if (own)
			close(fd);
		return 0;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (own)
		close(fd);
	if (p == MAP_FAILED)
		return 0;
#ifdef MADV_SEQUENTIAL
	(void)madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
#endif
	d->maps[file].p = p;
	d->maps[file].n = (size_t)st.st_size;
	return 0;
}

/* The next line of a mapped file, as wn_lines_next reads a stream: terminated by LF,
 * CRLF or a lone CR, the last one perhaps by nothing; over max_line bytes it is
 * skipped (2, err says which line). *at is its offset, *term its terminator's length. */
static int map_next_line(const struct dd_map *m, size_t *pos, unsigned long *lineno,
			 size_t max_line, const char *name, size_t *at, size_t *len, size_t *term,
			 struct wn_err *err)
{
	const char *p = m->p + *pos, *e = m->p + m->n, *nl, *cr;

	if (p >= e)
		return 0;
	nl = memchr(p, '\n', (size_t)(e - p));
	cr = memchr(p, '\r', nl ? (size_t)(nl - p) : (size_t)(e - p));
	*at = *pos;
	if (cr) {
		*len = (size_t)(cr - p);
		*term = cr + 1 < e && cr[1] == '\n' ? 2 : 1;
	} else if (nl) {
		*len = (size_t)(nl - p);
		*term = 1;
	} else {
		*len = (size_t)(e - p);
		*term = 0;
	}
	*pos += *len + *term;
	(*lineno)++;
	if (*len > max_line) {
		wn_err_set(err, WN_ELIMIT, "'%s' line %lu: line longer than %zu bytes, skipped", name,
			   *lineno, max_line);
		return 2;
	}
	return 1;
}

int dd_read_file(struct wn_dedup *d, const char *path, struct wn_err *err)
{
	struct read_ctx c;
	struct wn_input *in = NULL;
	struct wn_lines lines;
	struct worker_state self;
	pthread_t tid[64];
	unsigned nthreads = 0, i;
	uint32_t file;
	size_t next = d->nbatches;
	struct dd_batch *b = NULL;
	int rc = -1, have_lines = 0;
	char *name;
	const struct dd_map *m = NULL;
	size_t mpos = 0, max_line;
	unsigned long mlineno = 0;
	locale_t old_locale = dd_locale_enter();

	memset(&c, 0, sizeof(c));
	c.d = d;
	self.tok = NULL;
	dd_scratch_init(&self.scratch);
	in = wn_input_open(path, NULL, err);
	if (!in)
		goto out;
	name = wn_strdup(wn_input_name(in));
	if (!name || dd_grow((void **)&d->files, &d->filecap, d->nfiles + 1, sizeof(*d->files),
			     err) < 0) {
		wn_free(name);
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	file = (uint32_t)d->nfiles;
	d->files[d->nfiles++] = name;
	if (wn_lines_init(&lines, in, d->opts.max_line, err) < 0)
		goto out;
	have_lines = 1;
	max_line = lines.max_line;
	if (map_input(d, path, file, err) < 0)
		goto out;
	if (d->maps[file].p)
		m = &d->maps[file];
	self.tok = json_tokener_new();
	if (!self.tok) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	json_tokener_set_flags(self.tok, JSON_TOKENER_STRICT); /* UTF-8: see process_batch */

	if (d->threads > 1) {
		c.qcap = 2 * d->threads;
		c.queue = wn_calloc(c.qcap, sizeof(*c.queue));
		if (!c.queue || pthread_mutex_init(&c.lock, NULL) != 0) {
			wn_free(c.queue);
			c.queue = NULL;
			c.qcap = 0;
		} else if (pthread_cond_init(&c.work, NULL) != 0 || pthread_cond_init(&c.done, NULL) != 0) {
			pthread_mutex_destroy(&c.lock);
			wn_free(c.queue);
			c.queue = NULL;
			c.qcap = 0;
		}
		/* the calling thread is the last worker */
		for (i = 0; c.qcap && i + 1 < d->threads && i < 64; i++) {
			if (pthread_create(&tid[nthreads], NULL, read_worker, &c) != 0)
				break;
			nthreads++;
		}
		if (c.qcap && nthreads == 0) {
			/* no thread could be started: read on this one */
			pthread_cond_destroy(&c.work);
			pthread_cond_destroy(&c.done);
			pthread_mutex_destroy(&c.lock);
			wn_free(c.queue);
			c.queue = NULL;
			c.qcap = 0;
		}
	}

	for (;;) {
		const char *line;
		size_t len, k, at = 0, term = 0;
		unsigned long lineno;
		int lrc;

		if (m) {
			lrc = map_next_line(m, &mpos, &mlineno, max_line, name, &at, &len, &term, err);
			line = m->p + at;
			lineno = mlineno;
		} else {
			lrc = wn_lines_next(&lines, &line, &len, err);
			lineno = lines.lineno;
		}
		if (lrc < 0)
			goto out_stop;
		if (lrc == 0)
			break;
		if (!b && !(b = batch_new(d, file, err)))
			goto out_stop;
		if (lrc == 2) {
			if (batch_add_line(b, NULL, 0, lineno, err->msg, err) < 0)
				goto out_stop;
		} else {
			for (k = 0; k < len && wn_isspace((unsigned char)line[k]); k++)
				;
			if (k == len)
				continue; /* blank lines are not records (as in wn_jsonl_next) */
			if (len > UINT32_MAX / 2) {
				char msg[300];
				snprintf(msg, sizeof(msg), "'%s' line %lu: line too long", name, lineno);
				if (batch_add_line(b, NULL, 0, lineno, msg, err) < 0)
					goto out_stop;
			} else if (m ? batch_add_mapped(b, m->p, at, len, term, lineno, err) < 0
				     : batch_add_line(b, line, len, lineno, NULL, err) < 0) {
				goto out_stop;
			}
		}
		if (b->nlines >= BATCH_LINES || b->raw_len >= BATCH_BYTES) {
			if (submit(&c, b, &self, err) < 0)
				goto out_stop;
			b = NULL;
			if (commit_ready(&c, &next, d->nbatches, 0, &self, err) < 0)
				goto out_stop;
		}
	}
	if (b) {
		if (submit(&c, b, &self, err) < 0)
			goto out_stop;
		b = NULL;
	}
	rc = 0;
out_stop:
	if (b) {
		/* never submitted: drop it from the list */
		d->nbatches--;
		batch_free(b);
		b = NULL;
	}
	if (c.qcap) {
		pthread_mutex_lock(&c.lock);
		c.closing = 1;
		pthread_cond_broadcast(&c.work);
		pthread_mutex_unlock(&c.lock);
	}
	if (rc == 0 && commit_ready(&c, &next, d->nbatches, 1, &self, err) < 0)
		rc = -1;
	if (c.qcap) {
		for (i = 0; i < nthreads; i++)
			pthread_join(tid[i], NULL);
		pthread_cond_destroy(&c.work);
		pthread_cond_destroy(&c.done);
		pthread_mutex_destroy(&c.lock);
		wn_free(c.queue);
	}
	if (rc < 0) {
		/* a failed read leaves no half-read batches behind */
		while (d->nbatches > next) {
			d->nbatches--;
			batch_free(d->batches[d->nbatches]);
		}
	}
out:
	if (have_lines)
		wn_lines_release(&lines);
	if (self.tok)
		json_tokener_free(self.tok);
	dd_scratch_release(&self.scratch);
	if (in && wn_input_close(in) < 0 && rc == 0)
		rc = wn_err_sys(err, errno, "cannot close '%s'", path);
	dd_locale_leave(old_locale);
	return rc;
}

/* ---------------------------------------------------------------- raw lines again */

static int read_spill(struct wn_dedup *d, uint64_t off, size_t len, struct wn_buf *buf,
		      struct wn_err *err)
{
	size_t got = 0;
	int fd = fileno(d->spill);

	/* the file was flushed when reading ended (dd_spill_flush): pread is then safe from
	 * several threads at once */
	wn_buf_reset(buf);
	if (wn_buf_grow(buf, len + 1, err) < 0)
		return -1;
	while (got < len) {
		ssize_t n = pread(fd, buf->data + got, len - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return wn_err_sys(err, n < 0 ? errno : EIO, "cannot read the temporary file of record lines");
		got += (size_t)n;
	}
	buf->len = len;
	buf->data[len] = '\0';
	return 0;
}

int dd_raw_line(struct wn_dedup *d, const struct dd_rec *r, struct wn_buf *buf,
		const char **line, size_t *len, struct wn_err *err)
{
	struct dd_batch *b = d->batches[r->batch];

	if (!b->spilled) {
		*line = b->raw + r->off;
		*len = r->len;
		return 0;
	}
	if (read_spill(d, b->spill_off + r->off, r->len, buf, err) < 0)
		return -1;
	*line = buf->data;
	*len = r->len;
	return 0;
}

int dd_batch_raw(struct wn_dedup *d, struct dd_batch *b, struct wn_buf *buf,
		 const char **raw, struct wn_err *err)
{
	if (!b->spilled) {
		*raw = b->raw;
		return 0;
	}
	if (read_spill(d, b->spill_off, b->raw_len, buf, err) < 0)
		return -1;
	*raw = buf->data;
	return 0;
}

int dd_spill_flush(struct wn_dedup *d, struct wn_err *err)
{
	if (d->spill && fflush(d->spill) != 0)
		return wn_err_sys(err, errno, "cannot write the temporary file of record lines");
	return 0;
}

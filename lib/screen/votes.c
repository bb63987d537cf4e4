/*
 * votes.c - folding decision logs into votes and screening states (see votes.h).
 *
 * Storage is a few flat arrays, so 100,000 records x several reviewers fold in
 * milliseconds:
 *   cells[row * ncols + col]  newest decision node and newest annotation node
 *   dec[]                     decision nodes (a chain per cell via `prev`)
 *   ann[]                     note/label nodes (a chain per cell via `prev`)
 *   order[col][]              decision nodes of each column in log order (for undo)
 *   pool                      reasons, notes and labels, NUL-terminated
 * A node is never removed: an undo sets a flag on the node it retracts.
 */
#include <limits.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/buf.h"
#include "winnow/votes.h"

#define NO_CUTOFF ((int64_t)INT64_MAX)

enum {
	DF_RETRACTED = 1,     /* retracted (final view) */
	DF_RETRACTED_PRE = 2, /* retracted by an undo at or before the cutoff */
	DF_PRE = 4            /* cast at or before the record's first resolution */
};

struct dec_node {
	uint64_t seq;
	int64_t time;
	uint32_t reason;  /* pool offset + 1, 0 = none */
	int32_t prev;     /* older node of the same cell, -1 = none */
	int32_t row;
	uint8_t action;
	uint8_t flags;
};

struct ann_node {
	int64_t time;
	uint32_t text;    /* pool offset + 1 */
	int32_t prev;
	uint8_t action;   /* WN_ACT_NOTE or WN_ACT_LABEL */
};

struct cell {
	int32_t dec;      /* newest decision node, -1 = none */
	int32_t ann;      /* newest annotation node, -1 = none */
};

struct col_order {
	int32_t *nodes;
	size_t n, cap;
};

struct wn_votes {
	enum wn_stage stage;
	struct wn_votes_column *cols;
	struct col_order *order;
	size_t ncols, nreview;
	struct wn_idmap rows;
	struct cell *cells;       /* rows_cap * ncols */
	int64_t *cutoff;          /* per row: first resolution time, NO_CUTOFF if none */
	size_t rows_cap;
	struct dec_node *dec;
	size_t ndec, deccap;
	struct ann_node *ann;
	size_t nann, anncap;
	struct wn_buf pool;
	int started;              /* events applied: no more columns */
};

const char *wn_state_name(enum wn_state s)
{
	switch (s) {
	case WN_ST_INCLUDE: return "include";
	case WN_ST_EXCLUDE: return "exclude";
	case WN_ST_CONFLICT: return "conflict";
	case WN_ST_NOT_RETRIEVED: return "not-retrieved";
	default: return "undecided";
	}
}

struct wn_votes *wn_votes_new(enum wn_stage stage, struct wn_err *err)
{
	struct wn_votes *v = wn_calloc(1, sizeof(*v));

	if (!v) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	v->stage = stage;
	wn_idmap_init(&v->rows);
	wn_buf_init(&v->pool, (size_t)UINT32_MAX - 1);
	return v;
}

void wn_votes_free(struct wn_votes *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->ncols; i++) {
		wn_free(v->cols[i].path);
		wn_free(v->order[i].nodes);
	}
	wn_free(v->cols);
	wn_free(v->order);
	wn_idmap_release(&v->rows);
	wn_free(v->cells);
	wn_free(v->cutoff);
	wn_free(v->dec);
	wn_free(v->ann);
	wn_buf_release(&v->pool);
	wn_free(v);
}

int wn_votes_add_column(struct wn_votes *v, const struct wn_declog_header *h, const char *path,
			struct wn_err *err)
{
	struct wn_votes_column *cols;
	struct col_order *order;
	size_t i;

	if (v->started)
		return wn_err_set(err, WN_EUSAGE, "columns must be added before events");
	if (v->stage == WN_STAGE_NONE)
		v->stage = h->stage;
	if (h->stage != v->stage) {
		for (i = 0; i < v->ncols && !v->cols[i].path; i++)
			;
		return wn_err_set(err, WN_EUSAGE,
				  "decision log '%s' is for the %s stage, but %s is for %s: give the logs of one stage",
				  path ? path : "?", wn_stage_title(h->stage),
				  i < v->ncols ? v->cols[i].path : "the rest", wn_stage_title(v->stage));
	}
	for (i = 0; i < v->ncols; i++) {
		if (v->cols[i].header.role == h->role && strcmp(v->cols[i].header.reviewer, h->reviewer) == 0)
			return wn_err_set(err, WN_EUSAGE,
					  "'%s' and '%s' are both %s logs of '%s' at the %s stage: give each reviewer's log once",
					  v->cols[i].path ? v->cols[i].path : "?", path ? path : "?",
					  wn_role_name(h->role), h->reviewer, wn_stage_title(h->stage));
	}
	cols = wn_reallocarray(v->cols, v->ncols + 1, sizeof(*cols));
	if (!cols)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	v->cols = cols;
	order = wn_reallocarray(v->order, v->ncols + 1, sizeof(*order));
	if (!order)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	v->order = order;
	memset(&v->cols[v->ncols], 0, sizeof(v->cols[0]));
	memset(&v->order[v->ncols], 0, sizeof(v->order[0]));
	v->cols[v->ncols].header = *h;
	if (path && !(v->cols[v->ncols].path = wn_strdup(path)))
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (h->role == WN_ROLE_REVIEW)
		v->nreview++;
	return (int)v->ncols++;
}

enum wn_stage wn_votes_stage(const struct wn_votes *v) { return v->stage; }
size_t wn_votes_columns(const struct wn_votes *v) { return v->ncols; }
size_t wn_votes_reviewers(const struct wn_votes *v) { return v->nreview; }
size_t wn_votes_records(const struct wn_votes *v) { return wn_idmap_count(&v->rows); }

const struct wn_votes_column *wn_votes_column(const struct wn_votes *v, size_t col)
{
	return &v->cols[col];
}

const char *wn_votes_record_id(const struct wn_votes *v, size_t row)
{
	return wn_idmap_key(&v->rows, row);
}

long wn_votes_find(const struct wn_votes *v, const char *id, size_t len)
{
	return wn_idmap_find(&v->rows, id, len);
}

long wn_votes_intern(struct wn_votes *v, const char *id, size_t len, struct wn_err *err)
{
	int added;
	long row;
	size_t i;

	v->started = 1;
	row = wn_idmap_intern(&v->rows, id, len, &added, err);
	if (row < 0 || !added)
		return row;
	if ((size_t)row >= v->rows_cap) {
		size_t ncap = v->rows_cap ? v->rows_cap * 2 : 1024;
		size_t ncols = v->ncols ? v->ncols : 1;
		struct cell *cells = wn_reallocarray(v->cells, ncap, ncols * sizeof(*cells));
		int64_t *cut;
		if (!cells)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		v->cells = cells;
		cut = wn_reallocarray(v->cutoff, ncap, sizeof(*cut));
		if (!cut)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		v->cutoff = cut;
		v->rows_cap = ncap;
	}
	for (i = 0; i < v->ncols; i++) {
		v->cells[(size_t)row * v->ncols + i].dec = -1;
		v->cells[(size_t)row * v->ncols + i].ann = -1;
	}
	v->cutoff[row] = NO_CUTOFF;
	return row;
}

/* Store s in the pool: offset + 1, 0 for NULL; (uint32_t)-1 on failure. */
static uint32_t pool_add(struct wn_votes *v, const char *s, struct wn_err *err)
{
	size_t off = v->pool.len;

	if (!s)
		return 0;
	if (wn_buf_add(&v->pool, s, strlen(s) + 1, err) < 0)
		return UINT32_MAX;
	return (uint32_t)(off + 1);
}

static const char *pool_get(const struct wn_votes *v, uint32_t ref)
{
	return ref ? v->pool.data + ref - 1 : NULL;
}

static int add_order(struct col_order *o, int32_t node, struct wn_err *err)
{
	if (o->n == o->cap) {
		size_t ncap = o->cap ? o->cap * 2 : 256;
		int32_t *p = wn_reallocarray(o->nodes, ncap, sizeof(*p));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		o->nodes = p;
		o->cap = ncap;
	}
	o->nodes[o->n++] = node;
	return 0;
}

static int apply_decision(struct wn_votes *v, int col, long row, const struct wn_declog_entry *e,
			  struct wn_err *err)
{
	struct cell *c = &v->cells[(size_t)row * v->ncols + (size_t)col];
	struct dec_node *d;
	uint32_t reason;

	if (v->ndec >= (size_t)INT32_MAX)
		return wn_err_set(err, WN_ELIMIT, "too many decisions");
	if (v->ndec == v->deccap) {
		size_t ncap = v->deccap ? v->deccap * 2 : 1024;
		struct dec_node *p = wn_reallocarray(v->dec, ncap, sizeof(*p));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		v->dec = p;
		v->deccap = ncap;
	}
	reason = pool_add(v, e->reason, err);
	if (reason == UINT32_MAX)
		return -1;
	d = &v->dec[v->ndec];
	d->seq = e->seq;
	d->time = (int64_t)e->time;
	d->reason = reason;
	d->prev = c->dec;
	d->row = (int32_t)row;
	d->action = (uint8_t)e->action;
	d->flags = (int64_t)e->time <= v->cutoff[row] ? DF_PRE : 0;
	if (add_order(&v->order[col], (int32_t)v->ndec, err) < 0)
		return -1;
	c->dec = (int32_t)v->ndec++;
	v->cols[col].decisions++;
	if (v->cols[col].header.role == WN_ROLE_RESOLUTION && v->cutoff[row] > (int64_t)e->time)
		v->cutoff[row] = (int64_t)e->time;
	return 0;
}

static int apply_undo(struct wn_votes *v, int col, long row, const struct wn_declog_entry *e,
		      struct wn_err *err)
{
	struct cell *c = &v->cells[(size_t)row * v->ncols + (size_t)col];
	int32_t i;

	for (i = c->dec; i >= 0; i = v->dec[i].prev) {
		if (v->dec[i].seq == e->ref)
			break;
	}
	if (i < 0 || (v->dec[i].flags & DF_RETRACTED))
		return wn_err_set(err, WN_ECORRUPT,
				  "decision log '%s' line %lu: the undo names #%llu, which is not a standing decision on '%s'",
				  v->cols[col].path ? v->cols[col].path : "?", e->lineno,
				  (unsigned long long)e->ref, e->record);
	v->dec[i].flags |= DF_RETRACTED;
	if ((int64_t)e->time <= v->cutoff[row])
		v->dec[i].flags |= DF_RETRACTED_PRE;
	v->cols[col].undos++;
	return 0;
}

static int apply_annotation(struct wn_votes *v, int col, long row, const struct wn_declog_entry *e,
			    struct wn_err *err)
{
	struct cell *c = &v->cells[(size_t)row * v->ncols + (size_t)col];
	struct ann_node *a;
	uint32_t text;

	if (v->nann >= (size_t)INT32_MAX)
		return wn_err_set(err, WN_ELIMIT, "too many notes");
	if (v->nann == v->anncap) {
		size_t ncap = v->anncap ? v->anncap * 2 : 256;
		struct ann_node *p = wn_reallocarray(v->ann, ncap, sizeof(*p));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		v->ann = p;
		v->anncap = ncap;
	}
	text = pool_add(v, e->action == WN_ACT_NOTE ? e->note : e->labels, err);
	if (text == UINT32_MAX)
		return -1;
	a = &v->ann[v->nann];
	a->time = (int64_t)e->time;
	a->text = text;
	a->prev = c->ann;
	a->action = (uint8_t)e->action;
	c->ann = (int32_t)v->nann++;
	if (e->action == WN_ACT_NOTE)
		v->cols[col].notes++;
	else
		v->cols[col].labels++;
	return 0;
}

int wn_votes_apply(struct wn_votes *v, int col, const struct wn_declog_entry *e,
		   struct wn_err *err)
{
	long row;

	if (col < 0 || (size_t)col >= v->ncols)
		return wn_err_set(err, WN_EUSAGE, "no such column");
	row = wn_votes_intern(v, e->record, e->record_len, err);
	if (row < 0)
		return -1;
	/* decisions a log could not have been written with (hand-made logs) are still
	 * folded: the state rule treats them sensibly, and agree reports them */
	if (wn_action_is_decision(e->action))
		return apply_decision(v, col, row, e, err);
	if (e->action == WN_ACT_UNDO)
		return apply_undo(v, col, row, e, err);
	if (e->action == WN_ACT_NOTE || e->action == WN_ACT_LABEL)
		return apply_annotation(v, col, row, e, err);
	return wn_err_set(err, WN_EUSAGE, "unknown action");
}

struct load_ctx {
	struct wn_votes *v;
	int col;
	struct wn_err *err;
};

static int load_one(const struct wn_declog_entry *e, void *data)
{
	struct load_ctx *c = data;

	return wn_votes_apply(c->v, c->col, e, c->err) < 0 ? -1 : 0;
}

int wn_votes_load(struct wn_votes *v, const char *const *paths, size_t n,
		  wn_votes_torn_fn torn_fn, void *torn_data, struct wn_err *err)
{
	size_t i, first = v->ncols;
	int pass;

	for (i = 0; i < n; i++) {
		struct wn_declog_header h;
		if (wn_declog_read_header(paths[i], &h, err) < 0 ||
		    wn_votes_add_column(v, &h, paths[i], err) < 0)
			return -1;
	}
	/* resolutions first: each vote is then compared with its record's first resolution */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			struct wn_declog_scan scan;
			struct load_ctx c;
			size_t col = first + i;
			enum wn_role want = pass == 0 ? WN_ROLE_RESOLUTION : WN_ROLE_REVIEW;

			if (v->cols[col].header.role != want)
				continue;
			c.v = v;
			c.col = (int)col;
			c.err = err;
			if (wn_declog_read(paths[i], load_one, &c, &scan, err) != 0)
				return -1;
			if (strcmp(scan.header.reviewer, v->cols[col].header.reviewer) != 0 ||
			    scan.header.role != v->cols[col].header.role ||
			    scan.header.stage != v->cols[col].header.stage)
				return wn_err_set(err, WN_ECORRUPT, "decision log '%s' changed while it was read",
						  paths[i]);
			if (scan.torn_line && torn_fn)
				torn_fn(paths[i], &scan, torn_data);
		}
	}
	v->started = 1;
	return 0;
}

int wn_votes_get(const struct wn_votes *v, size_t row, size_t col, int pre, struct wn_vote *out)
{
	int32_t i;

	memset(out, 0, sizeof(*out));
	if (row >= wn_idmap_count(&v->rows) || col >= v->ncols)
		return 0;
	for (i = v->cells[row * v->ncols + col].dec; i >= 0; i = v->dec[i].prev) {
		const struct dec_node *d = &v->dec[i];
		if (pre ? (!(d->flags & DF_PRE) || (d->flags & DF_RETRACTED_PRE))
			: (d->flags & DF_RETRACTED))
			continue;
		out->decision = (enum wn_action)d->action;
		out->reason = pool_get(v, d->reason);
		out->time = (time_t)d->time;
		out->seq = d->seq;
		return 1;
	}
	return 0;
}

int wn_votes_last_decision(const struct wn_votes *v, size_t col, size_t *row, uint64_t *seq)
{
	const struct col_order *o;
	size_t k;

	if (col >= v->ncols)
		return 0;
	o = &v->order[col];
	for (k = o->n; k-- > 0;) {
		const struct dec_node *d = &v->dec[o->nodes[k]];
		if (d->flags & DF_RETRACTED)
			continue;
		*row = (size_t)d->row;
		*seq = d->seq;
		return 1;
	}
	return 0;
}

int wn_votes_notes(const struct wn_votes *v, size_t row, size_t col, wn_votes_note_fn fn,
		   void *data)
{
	int32_t stack[256], i;
	size_t n = 0;
	int rc = 0;

	if (row >= wn_idmap_count(&v->rows) || col >= v->ncols)
		return 0;
	/* chains run newest first; show the newest 256 notes oldest first */
	for (i = v->cells[row * v->ncols + col].ann; i >= 0 && n < 256; i = v->ann[i].prev) {
		if (v->ann[i].action == WN_ACT_NOTE)
			stack[n++] = i;
	}
	while (n-- > 0 && rc == 0)
		rc = fn(pool_get(v, v->ann[stack[n]].text), (time_t)v->ann[stack[n]].time, data);
	return rc;
}

/* Does the comma-separated list out (", " joined) contain name[0..len)? Offset or -1. */
static long label_find(const struct wn_buf *out, const char *name, size_t len)
{
	size_t pos = 0;

	while (pos < out->len) {
		const char *comma = memchr(out->data + pos, ',', out->len - pos);
		size_t end = comma ? (size_t)(comma - out->data) : out->len;
		if (end - pos == len && memcmp(out->data + pos, name, len) == 0)
			return (long)pos;
		pos = comma ? end + 2 : out->len;
	}
	return -1;
}

int wn_votes_labels(const struct wn_votes *v, size_t row, size_t col, struct wn_buf *out,
		    struct wn_err *err)
{
	int32_t stack[1024], i;
	size_t n = 0;

	wn_buf_reset(out);
	if (row >= wn_idmap_count(&v->rows) || col >= v->ncols)
		return 0;
	for (i = v->cells[row * v->ncols + col].ann; i >= 0 && n < 1024; i = v->ann[i].prev) {
		if (v->ann[i].action == WN_ACT_LABEL)
			stack[n++] = i;
	}
	while (n-- > 0) {
		const char *s = pool_get(v, v->ann[stack[n]].text);
		while (s && *s) {
			const char *comma = strchr(s, ',');
			size_t len = comma ? (size_t)(comma - s) : strlen(s);
			const char *name = s;
			int remove = 0;
			long at;

			while (len && name[0] == ' ')
				name++, len--;
			while (len && name[len - 1] == ' ')
				len--;
			if (len && name[0] == '-')
				remove = 1, name++, len--;
			if (len) {
				at = label_find(out, name, len);
				if (remove && at >= 0) {
					size_t from = (size_t)at, to = from + len;
					if (to < out->len)
						to += 2;          /* ", " after it */
					else if (from >= 2)
						from -= 2;        /* last: drop ", " before it */
					memmove(out->data + from, out->data + to, out->len - to);
					wn_buf_truncate(out, out->len - (to - from));
				} else if (!remove && at < 0) {
					if ((out->len && wn_buf_adds(out, ", ", err) < 0) ||
					    wn_buf_add(out, name, len, err) < 0)
						return -1;
				}
			}
			s = comma ? comma + 1 : NULL;
		}
	}
	return 0;
}

/* Compare reasons ignoring ASCII case, runs of spaces, and punctuation at the ends. */
int wn_reason_eq(const char *a, const char *b)
{
	size_t i = 0, j = 0, na, nb;

	if (!a || !b)
		return !a && !b;
	na = strlen(a);
	nb = strlen(b);
	while (na && (wn_isspace((unsigned char)a[na - 1]) || a[na - 1] == '.'))
		na--;
	while (nb && (wn_isspace((unsigned char)b[nb - 1]) || b[nb - 1] == '.'))
		nb--;
	while (i < na && wn_isspace((unsigned char)a[i]))
		i++;
	while (j < nb && wn_isspace((unsigned char)b[j]))
		j++;
	while (i < na && j < nb) {
		int ca = (unsigned char)a[i], cb = (unsigned char)b[j];
		if (wn_isspace(ca) && wn_isspace(cb)) {
			while (i < na && wn_isspace((unsigned char)a[i]))
				i++;
			while (j < nb && wn_isspace((unsigned char)b[j]))
				j++;
			continue;
		}
		if (wn_tolower(ca) != wn_tolower(cb))
			return 0;
		i++;
		j++;
	}
	return i == na && j == nb;
}

void wn_votes_state(const struct wn_votes *v, size_t row, struct wn_record_state *st)
{
	struct wn_vote vote, best;
	size_t col;
	int yes = 0, no = 0, nr = 0, reasons_differ = 0, have_res = 0;
	const char *reason = NULL;

	memset(st, 0, sizeof(*st));
	st->reviewers = (int)v->nreview;
	memset(&best, 0, sizeof(best));
	for (col = 0; col < v->ncols; col++) {
		if (v->cols[col].header.role != WN_ROLE_RESOLUTION || !wn_votes_get(v, row, col, 0, &vote))
			continue;
		/* the newest resolution wins; on equal times the later log */
		if (!have_res || vote.time >= best.time) {
			best = vote;
			have_res = 1;
		}
	}
	for (col = 0; col < v->ncols; col++) {
		if (v->cols[col].header.role != WN_ROLE_REVIEW || !wn_votes_get(v, row, col, 0, &vote))
			continue;
		st->votes++;
		switch (vote.decision) {
		case WN_ACT_MAYBE:
			st->maybe = 1;
			/* fall through */
		case WN_ACT_INCLUDE:
			yes++;
			break;
		case WN_ACT_EXCLUDE:
			if (no > 0 && !wn_reason_eq(reason, vote.reason))
				reasons_differ = 1;
			if (no == 0)
				reason = vote.reason;
			no++;
			break;
		default:
			nr++;
			break;
		}
	}
	if (have_res) {
		st->resolved = 1;
		st->maybe = 0;
		switch (best.decision) {
		case WN_ACT_EXCLUDE:
			st->state = WN_ST_EXCLUDE;
			st->reason = best.reason;
			break;
		case WN_ACT_NOT_RETRIEVED:
			st->state = WN_ST_NOT_RETRIEVED;
			break;
		default:
			st->state = WN_ST_INCLUDE;
			break;
		}
		return;
	}
	if (st->votes == 0 || st->votes < st->reviewers) {
		st->state = WN_ST_UNDECIDED;
		return;
	}
	if (yes == st->votes) {
		st->state = WN_ST_INCLUDE;
	} else if (nr == st->votes) {
		st->state = WN_ST_NOT_RETRIEVED;
		st->maybe = 0;
	} else if (no == st->votes) {
		st->maybe = 0;
		if (!reasons_differ) {
			st->state = WN_ST_EXCLUDE;
			st->reason = reason;
		} else if (v->stage == WN_STAGE_FT) {
			/* Covidence: two full-text exclusions with different reasons conflict */
			st->state = WN_ST_CONFLICT;
			st->conflict = WN_CONFLICT_REASONS;
		} else {
			st->state = WN_ST_EXCLUDE; /* title/abstract reasons are optional */
		}
	} else {
		st->state = WN_ST_CONFLICT;
		st->conflict = WN_CONFLICT_VOTES;
		st->maybe = 0;
	}
}

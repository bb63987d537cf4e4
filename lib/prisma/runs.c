/*
 * runs.c - reading ledgers into runs; messages; the small helpers of lib/prisma.
 *
 * Every ledger line is kept whole (json-c object) with the file and line it came from,
 * because every number winnow-prisma prints must be traceable to the line that gave it.
 * The same run read twice - two ledgers that overlap, or one ledger given twice - is
 * recognised by its run id and kept once; the same run id with different content means
 * an edited ledger and is an error, since neither copy can be trusted.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "prisma_int.h"
#include "winnow/alloc.h"
#include "winnow/ledger.h"

static const char *const key_names[WN_PK__COUNT] = {
	"previous_studies", "previous_reports", "database_results", "database_specific_results",
	"register_results", "register_specific_results", "website_results",
	"organisation_results", "citations_results", "duplicates", "excluded_automatic",
	"excluded_other", "records_screened", "records_excluded", "dbr_sought_reports",
	"dbr_notretrieved_reports", "other_sought_reports", "other_notretrieved_reports",
	"dbr_assessed", "dbr_excluded", "other_assessed", "other_excluded", "new_studies",
	"new_reports", "total_studies", "total_reports", "identification", "screening",
	"included", "total_studies_ma", "total_reports_ma"
};

const char *wn_prisma_key_name(enum wn_prisma_key k)
{
	return (unsigned)k < WN_PK__COUNT ? key_names[k] : "";
}

int wn_prisma_key_is_breakdown(enum wn_prisma_key k)
{
	return k == WN_PK_DATABASE_SPECIFIC_RESULTS || k == WN_PK_REGISTER_SPECIFIC_RESULTS ||
	       k == WN_PK_DBR_EXCLUDED || k == WN_PK_OTHER_EXCLUDED;
}

void wn_prisma_init(struct wn_prisma *p)
{
	memset(p, 0, sizeof(*p));
}

void wn_prisma_release(struct wn_prisma *p)
{
	size_t i;

	for (i = 0; i < WN_PK__COUNT; i++)
		json_object_put(p->v[i].by);
	for (i = 0; i < p->nmsgs; i++)
		wn_free(p->msgs[i].text);
	wn_free(p->msgs);
	json_object_put(p->details);
	if (p->runs) {
		for (i = 0; i < p->runs->n; i++)
			json_object_put(p->runs->r[i].e);
		for (i = 0; i < p->runs->nledgers; i++)
			wn_free(p->runs->ledgers[i]);
		prisma_logs_release(p->runs);
		json_object_put(p->runs->ids);
		wn_free(p->runs->ledgers);
		wn_free(p->runs->r);
		wn_free(p->runs);
	}
	memset(p, 0, sizeof(*p));
}

int wn_prisma_msg(struct wn_prisma *p, enum wn_prisma_level level, struct wn_err *err,
		  const char *fmt, ...)
{
	struct wn_buf b;
	va_list ap, ap2;
	int rc;

	if (p->nmsgs == p->msgcap) {
		size_t cap = p->msgcap ? p->msgcap * 2 : 16;
		struct wn_prisma_msg *m = wn_reallocarray(p->msgs, cap, sizeof(*m));
		if (!m)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		p->msgs = m;
		p->msgcap = cap;
	}
	wn_buf_init(&b, 1 << 20);
	va_start(ap, fmt);
	va_copy(ap2, ap);
	rc = wn_buf_vaddf(&b, err, fmt, ap);
	if (rc < 0 && err && err->code == WN_ELIMIT) {
		/* a message quoting a megabyte of someone's data: keep its start */
		char cut[4096];
		vsnprintf(cut, sizeof(cut), fmt, ap2);
		wn_buf_reset(&b);
		rc = wn_buf_addf(&b, err, "%s...", cut);
	}
	va_end(ap2);
	va_end(ap);
	if (rc < 0) {
		wn_buf_release(&b);
		return -1;
	}
	p->msgs[p->nmsgs].level = level;
	p->msgs[p->nmsgs].text = wn_buf_detach(&b, NULL, err);
	if (!p->msgs[p->nmsgs].text)
		return -1;
	p->nmsgs++;
	if (level == WN_PRISMA_ERROR)
		p->nerrors++;
	else if (level == WN_PRISMA_WARNING)
		p->nwarnings++;
	return 0;
}

/* ---- JSON helpers ---- */

const char *pj_str(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

const char *pj_item_str(json_object *arr, size_t i)
{
	json_object *v = arr ? json_object_array_get_idx(arr, i) : NULL;

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

const char *pj_print(json_object *o, int flags, struct wn_err *err)
{
	const char *s;
	int saved = errno;

	errno = 0;
	s = json_object_to_json_string_ext(o, flags);
	if (!s || errno == ENOMEM) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	errno = saved;
	return s;
}

static int count_of(json_object *v, int64_t *out)
{
	if (json_object_is_type(v, json_type_int)) {
		int64_t n = json_object_get_int64(v);
		if (n < 0)
			return 0;
		*out = n;
		return 1;
	}
	if (json_object_is_type(v, json_type_double)) {
		double d = json_object_get_double(v);
		if (d >= 0 && d < 9e15 && d == (double)(int64_t)d) {
			*out = (int64_t)d;
			return 1;
		}
	}
	return 0;
}

int pj_count(json_object *o, const char *key, int64_t *out)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return 0;
	return count_of(v, out);
}

json_object *pj_obj(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

json_object *pj_arr(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

int64_t pj_sum(json_object *o)
{
	int64_t s = 0, n;

	if (!o || !json_object_is_type(o, json_type_object))
		return 0;
	json_object_object_foreach(o, k, v) {
		(void)k;
		if (count_of(v, &n))
			s += n;
	}
	return s;
}

int pj_put(json_object *obj, const char *key, json_object *val, struct wn_err *err)
{
	if (!val || json_object_object_add(obj, key, val) != 0) {
		json_object_put(val);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

int pj_push(json_object *arr, json_object *val, struct wn_err *err)
{
	if (!val || json_object_array_add(arr, val) != 0) {
		json_object_put(val);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

int pj_add(json_object *obj, const char *key, int64_t n, struct wn_err *err)
{
	json_object *v;

	if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_int))
		return json_object_set_int64(v, json_object_get_int64(v) + n) ? 0
			: wn_err_set(err, WN_ENOMEM, "out of memory");
	v = json_object_new_int64(n);
	if (!v || json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

struct kv { const char *k; int64_t n; size_t order; };

static int kv_cmp(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	{
		int c = strcmp(x->k, y->k);
		if (c)
			return c;
	}
	return x->order < y->order ? -1 : x->order > y->order;
}

json_object *pj_sorted_counts(json_object *o, struct wn_err *err)
{
	json_object *out = json_object_new_object();
	struct kv *a;
	size_t n = 0, i;

	if (!out) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	if (!o)
		return out;
	a = wn_calloc((size_t)json_object_object_length(o) + 1, sizeof(*a));
	if (!a) {
		json_object_put(out);
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	{
		json_object_object_foreach(o, k, v) {
			int64_t c = 0;
			count_of(v, &c);
			a[n].k = k;
			a[n].n = c;
			a[n].order = n;
			n++;
		}
	}
	qsort(a, n, sizeof(*a), kv_cmp);
	for (i = 0; i < n; i++) {
		if (pj_add(out, a[i].k, a[i].n, err) < 0) {
			json_object_put(out);
			out = NULL;
			break;
		}
	}
	wn_free(a);
	return out;
}

/* ---- where a number came from ---- */

static const char *tool_desc(const struct prisma_run *r, char *buf, size_t cap)
{
	const char *tool = r->tool ? r->tool : "?";
	const char *ss = pj_str(r->e, "screen_stage");

	if (r->kind == RUN_EXPORT && ss)
		snprintf(buf, cap, "%s export --stage %s", tool, ss);
	else if (r->kind == RUN_FILTER)
		snprintf(buf, cap, "%s filter", tool);
	else
		snprintf(buf, cap, "%s", tool);
	return buf;
}

int prisma_where(const struct prisma_run *r, struct wn_buf *out, struct wn_err *err)
{
	char t[128];

	return wn_buf_addf(out, err, "'%s' line %lu (%s)", r->ledger, r->line,
			   tool_desc(r, t, sizeof(t)));
}

int prisma_where_runs(const struct wn_prisma *p, const size_t *idx, size_t n,
		      struct wn_buf *out, struct wn_err *err)
{
	size_t i, l;
	char t[128];

	if (n == 0)
		return wn_buf_adds(out, "(no run)", err);
	if (n == 1)
		return prisma_where(&p->runs->r[idx[0]], out, err);
	/* group by ledger, in the order the ledgers were given (few), lines in order */
	for (l = 0; l < p->runs->nledgers; l++) {
		const char *ledger = p->runs->ledgers[l];
		size_t shown = 0;
		for (i = 0; i < n; i++) {
			const struct prisma_run *r = &p->runs->r[idx[i]];
			if (r->ledger != ledger)
				continue;
			if (shown == 0 && ((out->len && wn_buf_adds(out, "; ", err) < 0) ||
					   wn_buf_addf(out, err, "'%s' lines ", ledger) < 0))
				return -1;
			if (++shown > 12) {
				if (wn_buf_adds(out, ", ...", err) < 0)
					return -1;
				break;
			}
			if (wn_buf_addf(out, err, "%s%lu", shown > 1 ? ", " : "", r->line) < 0)
				return -1;
		}
	}
	return wn_buf_addf(out, err, " (%s)", tool_desc(&p->runs->r[idx[0]], t, sizeof(t)));
}

void prisma_set_from(struct wn_prisma_value *v, const char *s)
{
	size_t n = strlen(s);

	if (n < sizeof(v->from)) {
		memcpy(v->from, s, n + 1);
		return;
	}
	n = sizeof(v->from) - 4;
	/* do not cut a UTF-8 sequence in half */
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(v->from, s, n);
	memcpy(v->from + n, "...", 4);
}

/* ---- reading a ledger ---- */

struct add_ctx {
	struct wn_prisma *p;
	const char *ledger;   /* owned by p->runs->ledgers */
	struct wn_err *err;
	unsigned long entries;
};

static enum prisma_run_kind classify(json_object *e, const char *stage)
{
	if (pj_obj(e, "state_counts") && pj_str(e, "screen_stage"))
		return RUN_EXPORT;
	if (strcmp(stage, "fetch") == 0)
		return RUN_FETCH;
	if (strcmp(stage, "dedup") == 0)
		return RUN_DEDUP;
	if (strcmp(stage, "filter") == 0)
		return RUN_FILTER;
	return RUN_IGNORED;
}

static void note_time(struct wn_prisma *p, const char *started, const char *finished)
{
	/* ISO 8601 UTC strings of one format compare as they sort */
	if (started && strlen(started) < sizeof(p->first) &&
	    (!p->first[0] || strcmp(started, p->first) < 0))
		memcpy(p->first, started, strlen(started) + 1);
	if (finished && strlen(finished) < sizeof(p->last) &&
	    (!p->last[0] || strcmp(finished, p->last) > 0))
		memcpy(p->last, finished, strlen(finished) + 1);
}

static int add_entry(json_object *e, unsigned long lineno, void *data)
{
	struct add_ctx *c = data;
	struct wn_prisma *p = c->p;
	struct wn_prisma_runs *rs = p->runs;
	struct prisma_run *r;
	int64_t version = 0;
	const char *id = pj_str(e, "run"), *stage = pj_str(e, "stage");
	int dup = 0;

	c->entries++;
	/* a file that is not a ledger, or of a format we do not know: stop reading it (1),
	 * since counting the rest would only add errors that follow from this one */
	if (!pj_count(e, "ledger", &version) || !id || !stage) {
		return wn_prisma_msg(p, WN_PRISMA_ERROR, c->err,
				     "'%s' line %lu is not a winnow ledger entry (it lacks the keys \"ledger\", \"run\" and \"stage\"): was another file given as a ledger?",
				     c->ledger, lineno) < 0 ? -1 : 1;
	}
	if (version != WN_LEDGER_FORMAT) {
		return wn_prisma_msg(p, WN_PRISMA_ERROR, c->err,
				     "'%s' line %lu has ledger format %lld, which this winnow-prisma does not know (it reads format %d): use the winnow version that wrote it",
				     c->ledger, lineno, (long long)version, WN_LEDGER_FORMAT) < 0 ? -1 : 1;
	}
	/* winnow-prisma's own lines would move the diagram's dates each time it ran */
	if (strcmp(stage, "prisma") != 0)
		note_time(p, pj_str(e, "started"), pj_str(e, "finished"));
	{
		json_object *seen;
		if (json_object_object_get_ex(rs->ids, id, &seen)) {
			struct prisma_run *o = &rs->r[json_object_get_int64(seen)];
			/* compared without printing: printing allocates, and a failure would
			 * pass for a difference (or a crash) */
			if (!json_object_equal(o->e, e)) {
				return wn_prisma_msg(p, WN_PRISMA_ERROR, c->err,
						     "run %s appears twice with different contents ('%s' line %lu and '%s' line %lu): one of the ledgers was edited, so neither line can be trusted",
						     id, o->ledger, o->line, c->ledger, lineno) < 0 ? -1 : 0;
			}
			if (wn_prisma_msg(p, WN_PRISMA_WARNING, c->err,
					  "'%s' line %lu is run %s (%s), already read from '%s' line %lu: the ledgers overlap; the run is counted once",
					  c->ledger, lineno, id, pj_str(e, "tool") ? pj_str(e, "tool") : stage,
					  o->ledger, o->line) < 0)
				return -1;
			dup = 1;
		} else if (pj_put(rs->ids, id, json_object_new_int64((int64_t)rs->n), c->err) < 0) {
			return -1;
		}
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		struct prisma_run *nr = wn_reallocarray(rs->r, cap, sizeof(*nr));
		if (!nr)
			return wn_err_set(c->err, WN_ENOMEM, "out of memory");
		rs->r = nr;
		rs->cap = cap;
	}
	r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->e = json_object_get(e);
	r->ledger = c->ledger;
	r->line = lineno;
	r->id = id;
	r->stage = stage;
	r->tool = pj_str(e, "tool");
	r->status = pj_str(e, "status");
	r->kind = classify(e, stage);
	r->dup = dup;
	return 0;
}

int wn_prisma_add_ledger(struct wn_prisma *p, const char *path, struct wn_err *err)
{
	struct add_ctx c;
	unsigned long torn = 0;
	char **nl;
	size_t i;
	int rc;

	if (!p->runs) {
		p->runs = wn_calloc(1, sizeof(*p->runs));
		if (!p->runs)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (!p->runs->ids && !(p->runs->ids = json_object_new_object()))
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < p->runs->nledgers; i++) {
		if (strcmp(p->runs->ledgers[i], path) == 0)
			return wn_prisma_msg(p, WN_PRISMA_WARNING, err,
					     "ledger '%s' is given twice: read once", path);
	}
	nl = wn_reallocarray(p->runs->ledgers, p->runs->nledgers + 1, sizeof(*nl));
	if (!nl)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	p->runs->ledgers = nl;
	nl[p->runs->nledgers] = wn_strdup(path);
	if (!nl[p->runs->nledgers])
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	c.p = p;
	c.ledger = nl[p->runs->nledgers++];
	c.err = err;
	c.entries = 0;
	wn_err_clear(err);
	rc = wn_ledger_read(path, add_entry, &c, &torn, err);
	if (rc > 0)
		return 0; /* stopped: the reason is a message */
	if (rc < 0) {
		if (err && err->code == WN_OK)
			wn_err_set(err, WN_ENOMEM, "out of memory");
		return -1;
	}
	if (torn && wn_prisma_msg(p, WN_PRISMA_WARNING, err,
				  "'%s' line %lu is incomplete (a run was interrupted while writing it): ignored",
				  path, torn) < 0)
		return -1;
	if (c.entries == 0)
		return wn_prisma_msg(p, WN_PRISMA_ERROR, err,
				     "ledger '%s' is empty: no winnow run has written to it (give the file the stages wrote with --ledger or WINNOW_LEDGER)",
				     path);
	return 0;
}

json_object *wn_prisma_runs_used(const struct wn_prisma *p)
{
	json_object *a = json_object_new_array();
	size_t i;

	if (!a || !p->runs)
		return a;
	for (i = 0; i < p->runs->n; i++) {
		const struct prisma_run *r = &p->runs->r[i];
		json_object *o;
		if (!r->used)
			continue;
		o = json_object_new_object();
		if (!o || json_object_array_add(a, o) != 0) {
			json_object_put(o);
			json_object_put(a);
			return NULL;
		}
		if (pj_put(o, "ledger", json_object_new_string(r->ledger), NULL) < 0 ||
		    pj_put(o, "line", json_object_new_int64((int64_t)r->line), NULL) < 0 ||
		    pj_put(o, "run", json_object_new_string(r->id), NULL) < 0 ||
		    pj_put(o, "stage", json_object_new_string(r->stage), NULL) < 0 ||
		    (r->tool && pj_put(o, "tool", json_object_new_string(r->tool), NULL) < 0)) {
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

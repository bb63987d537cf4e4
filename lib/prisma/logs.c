/*
 * logs.c - decision logs as a second witness (see prisma_log.h).
 *
 * An export names the logs it read (ledger key "logs", paths as given to it). The logs
 * given to winnow-prisma are matched to those names by path, or failing that by file
 * name, since the two commands may run in different directories. A stage is recounted
 * only when every log its export read was given: a recount from part of the logs would
 * differ for no reason anyone could act on.
 */
#include <string.h>
#include "prisma_int.h"
#include "winnow/alloc.h"
#include "winnow/input.h"
#include "winnow/prisma_log.h"
#include "winnow/record.h"
#include "winnow/votes.h"

int wn_prisma_add_log(struct wn_prisma *p, const char *path, struct wn_err *err)
{
	struct wn_prisma_runs *rs;
	struct prisma_log *l;
	size_t i;

	if (!p->runs) {
		p->runs = wn_calloc(1, sizeof(*p->runs));
		if (!p->runs)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	rs = p->runs;
	for (i = 0; i < rs->nlogs; i++)
		if (strcmp(rs->logs[i].path, path) == 0)
			return wn_prisma_msg(p, WN_PRISMA_WARNING, err,
					     "decision log '%s' is given twice: read once", path);
	l = wn_reallocarray(rs->logs, rs->nlogs + 1, sizeof(*l));
	if (!l)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	rs->logs = l;
	l = &rs->logs[rs->nlogs];
	memset(l, 0, sizeof(*l));
	if (wn_declog_read_header(path, &l->h, err) < 0)
		return -1;
	l->path = wn_strdup(path);
	if (!l->path)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	rs->nlogs++;
	return 0;
}

void prisma_logs_release(struct wn_prisma_runs *rs)
{
	size_t i;

	for (i = 0; i < rs->nlogs; i++)
		wn_free(rs->logs[i].path);
	wn_free(rs->logs);
	rs->logs = NULL;
	rs->nlogs = 0;
}

static const char *base(const char *s)
{
	const char *b = strrchr(s, '/');

	return b ? b + 1 : s;
}

/* The given logs an export read: paths[] (borrowed), *named = logs the export names.
 * Returns how many were found; marks them in *which (array of nlogs flags) if non-NULL. */
static size_t match_logs(struct wn_prisma *p, const struct prisma_run *r, const char **paths,
			 size_t cap, size_t *named, size_t *which)
{
	json_object *logs = pj_arr(r->e, "logs");
	size_t n = logs ? json_object_array_length(logs) : 0, i, j, found = 0;

	*named = n;
	for (i = 0; i < n; i++) {
		const char *want = pj_item_str(logs, i);
		size_t hit = (size_t)-1;
		if (!want)
			continue;
		for (j = 0; j < p->runs->nlogs && hit == (size_t)-1; j++)
			if (strcmp(p->runs->logs[j].path, want) == 0)
				hit = j;
		for (j = 0; j < p->runs->nlogs && hit == (size_t)-1; j++)
			if (strcmp(base(p->runs->logs[j].path), base(want)) == 0)
				hit = j;
		if (hit == (size_t)-1 || found >= cap)
			continue;
		paths[found] = p->runs->logs[hit].path;
		if (which)
			which[found] = hit;
		found++;
	}
	return found;
}

struct torn_ctx {
	struct wn_prisma *p;
	struct wn_err *err;
	int rc;
};

static void on_torn(const char *path, const struct wn_declog_scan *scan, void *data)
{
	struct torn_ctx *t = data;

	if (t->rc == 0 &&
	    wn_prisma_msg(t->p, WN_PRISMA_WARNING, t->err,
			  "decision log '%s' line %lu is incomplete (written when a session was interrupted): that decision was never confirmed and is not counted",
			  path, scan->torn_line) < 0)
		t->rc = -1;
}

#define MAX_LOGS 64

/* Load the logs of export run `run`, if all were given. NULL with *missing set when not
 * (no error); NULL and -1 in *missing on failure. */
static struct wn_votes *load_for(struct wn_prisma *p, size_t run, int *missing, size_t *which,
				 size_t *nfound, struct wn_err *err)
{
	const char *paths[MAX_LOGS];
	size_t named, found;
	struct wn_votes *v;
	struct torn_ctx t = { p, err, 0 };

	found = match_logs(p, &p->runs->r[run], paths, MAX_LOGS, &named, which);
	if (nfound)
		*nfound = found;
	*missing = 0;
	if (named == 0 || found < named) {
		*missing = 1;
		return NULL;
	}
	v = wn_votes_new(WN_STAGE_NONE, err);
	if (!v) {
		*missing = -1;
		return NULL;
	}
	if (wn_votes_load(v, paths, found, on_torn, &t, err) < 0 || t.rc < 0) {
		wn_votes_free(v);
		*missing = -1;
		return NULL;
	}
	return v;
}

/* slug -> kind index, from the sources the fetch runs recorded */
static json_object *slug_kinds(json_object *sources, struct wn_err *err)
{
	json_object *m = json_object_new_object();
	struct wn_buf slug;

	if (!m) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	wn_buf_init(&slug, 4096);
	json_object_object_foreach(sources, name, acc) {
		wn_buf_reset(&slug);
		if (wn_slug(&slug, name, err) < 0 ||
		    pj_put(m, slug.data, json_object_new_int(prisma_kind_of(pj_str(acc, "kind"))), err) < 0) {
			json_object_put(m);
			m = NULL;
			break;
		}
	}
	wn_buf_release(&slug);
	return m;
}

int prisma_logs_other_share(struct wn_prisma *p, size_t run, json_object *sources,
			    double *share, struct wn_err *err)
{
	struct wn_votes *v;
	json_object *kinds;
	size_t rows, i, other = 0, known = 0;
	int missing;

	*share = -1;
	if (!p->runs || p->runs->nlogs == 0)
		return 0;
	v = load_for(p, run, &missing, NULL, NULL, err);
	if (!v)
		return missing < 0 ? -1 : 0;
	kinds = slug_kinds(sources, err);
	if (!kinds) {
		wn_votes_free(v);
		return -1;
	}
	rows = wn_votes_records(v);
	for (i = 0; i < rows; i++) {
		const char *id = wn_votes_record_id(v, i), *colon = strchr(id, ':');
		char slug[256];
		json_object *k;
		size_t n = colon ? (size_t)(colon - id) : 0;
		if (!n || n >= sizeof(slug))
			continue;
		memcpy(slug, id, n);
		slug[n] = 0;
		if (!json_object_object_get_ex(kinds, slug, &k))
			continue;
		known++;
		if (json_object_get_int(k) >= K_WEBSITE)
			other++;
	}
	if (known)
		*share = (double)other / (double)known;
	json_object_put(kinds);
	wn_votes_free(v);
	return 0;
}

struct tally {
	int64_t st[WN_ST_COUNT];
	int64_t rows;
	json_object *reasons;
};

static int tally(struct wn_votes *v, struct tally *t, struct wn_err *err)
{
	size_t i, rows = wn_votes_records(v);

	memset(t->st, 0, sizeof(t->st));
	t->rows = (int64_t)rows;
	t->reasons = json_object_new_object();
	if (!t->reasons)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < rows; i++) {
		struct wn_record_state s;
		wn_votes_state(v, i, &s);
		t->st[s.state]++;
		if (s.state == WN_ST_EXCLUDE &&
		    pj_add(t->reasons, s.reason ? s.reason : "reason not given", 1, err) < 0)
			return -1;
	}
	return 0;
}

static int recount(struct wn_prisma *p, const struct prisma_export *x, const char *what,
		   struct wn_votes *v, struct wn_err *err)
{
	struct tally t;
	struct wn_buf b, where;
	const struct prisma_run *r = &p->runs->r[x->run];
	int rc = 0, bad;

	if (tally(v, &t, err) < 0) {
		json_object_put(t.reasons);
		return -1;
	}
	p->nchecks++;
	bad = t.st[WN_ST_INCLUDE] != x->inc || t.st[WN_ST_EXCLUDE] != x->exc_assessed ||
	      t.st[WN_ST_CONFLICT] != x->con || t.st[WN_ST_NOT_RETRIEVED] != x->nr ||
	      t.st[WN_ST_UNDECIDED] > x->und;
	wn_buf_init(&b, 0);
	wn_buf_init(&where, 0);
	if (prisma_where(r, &where, err) < 0) {
		rc = -1;
		goto out;
	}
	if (bad) {
		rc = wn_buf_addf(&b, err,
				 "the decision logs no longer say what %s counted (%s)\n"
				 "  state            export   logs now\n"
				 "  include        %8lld   %8lld\n"
				 "  exclude        %8lld   %8lld\n"
				 "  conflict       %8lld   %8lld\n"
				 "  not retrieved  %8lld   %8lld\n"
				 "  undecided      %8lld   %8lld (records no reviewer decided count as undecided in the export only)\n"
				 "  decisions were made or undone after the export: run 'winnow-screen export' again, and the stages after it",
				 where.data, what, (long long)x->inc, (long long)t.st[WN_ST_INCLUDE],
				 (long long)x->exc_assessed, (long long)t.st[WN_ST_EXCLUDE], (long long)x->con,
				 (long long)t.st[WN_ST_CONFLICT], (long long)x->nr, (long long)t.st[WN_ST_NOT_RETRIEVED],
				 (long long)x->und, (long long)t.st[WN_ST_UNDECIDED]);
		if (rc == 0)
			rc = wn_prisma_msg(p, WN_PRISMA_ERROR, err, "%s", b.data);
		goto out;
	}
	p->nchecks++;
	if (t.rows > x->in) {
		rc = wn_prisma_msg(p, WN_PRISMA_ERROR, err,
				   "the %s decision logs decide %lld records, but %s had only %lld: %lld decisions are on records that are not in this review (a log from another review?)",
				   what, (long long)t.rows, where.data, (long long)x->in, (long long)(t.rows - x->in));
		goto out;
	}
	if (x->reasons && pj_obj(r->e, "excluded_by_reason")) {
		json_object *a = pj_sorted_counts(x->reasons, err), *c = a ? pj_sorted_counts(t.reasons, err) : NULL;
		p->nchecks++;
		if (!a || !c)
			rc = -1;
		else if (!json_object_equal(a, c)) {
			/* each printed into its own object's buffer: both stay valid */
			const char *as = pj_print(a, JSON_C_TO_STRING_PLAIN, err);
			const char *cs = as ? pj_print(c, JSON_C_TO_STRING_PLAIN, err) : NULL;
			rc = !cs ? -1 :
				wn_prisma_msg(p, WN_PRISMA_ERROR, err,
					      "the exclusion reasons in the decision logs differ from those %s counted\n  export: %s\n  logs:   %s\n  run the export again",
					      where.data, as, cs);
		}
		json_object_put(a);
		json_object_put(c);
	}
out:
	json_object_put(t.reasons);
	wn_buf_release(&b);
	wn_buf_release(&where);
	return rc;
}

/* Every report assessed at full text must have been included at title/abstract. */
static int check_ft_subset(struct wn_prisma *p, const struct prisma_export *ft, struct wn_votes *ta,
			   struct wn_votes *fv, struct wn_err *err)
{
	size_t i, rows = wn_votes_records(fv), bad = 0;
	struct wn_buf ex, where;
	int rc = 0;

	wn_buf_init(&ex, 0);
	wn_buf_init(&where, 0);
	p->nchecks++;
	for (i = 0; i < rows && rc == 0; i++) {
		const char *id = wn_votes_record_id(fv, i);
		long row = wn_votes_find(ta, id, strlen(id));
		struct wn_record_state s;
		if (row >= 0) {
			wn_votes_state(ta, (size_t)row, &s);
			if (s.state == WN_ST_INCLUDE)
				continue;
		}
		if (++bad <= 3)
			rc = wn_buf_addf(&ex, err, "%s'%s' (%s)", bad > 1 ? ", " : "", id,
					 row < 0 ? "never screened" : "not included at title/abstract");
	}
	if (rc == 0 && bad) {
		rc = prisma_where(&p->runs->r[ft->run], &where, err);
		if (rc == 0)
			rc = wn_prisma_msg(p, WN_PRISMA_ERROR, err,
					   "%zu of the %zu reports in the full-text decision logs (%s) were not included at title/abstract, e.g. %s%s\n"
					   "  a full-text log from another review, or full-text screening of the wrong records: only records that 'winnow-screen export --stage ta --decision include' wrote are reports sought",
					   bad, rows, where.data, ex.data, bad > 3 ? ", ..." : "");
	}
	wn_buf_release(&ex);
	wn_buf_release(&where);
	return rc;
}

int prisma_logs_check(struct wn_prisma *p, const struct prisma_facts *x, struct wn_err *err)
{
	const struct prisma_export *xs[3] = { &x->ta, &x->ft, &x->oft };
	static const char *const what[3] = { "title/abstract", "full-text", "full-text (other methods)" };
	struct wn_votes *v[3] = { NULL, NULL, NULL };
	size_t i, k, which[MAX_LOGS];
	int rc = 0;

	if (!p->runs || p->runs->nlogs == 0)
		return 0;
	for (i = 0; i < 3 && rc == 0; i++) {
		int missing;
		size_t found = 0;
		if (!xs[i]->have)
			continue;
		v[i] = load_for(p, xs[i]->run, &missing, which, &found, err);
		for (k = 0; k < found; k++)
			p->runs->logs[which[k]].read = 1;
		if (missing < 0) {
			rc = -1;
			break;
		}
		if (!v[i]) {
			if (found)
				rc = wn_prisma_msg(p, WN_PRISMA_WARNING, err,
						   "only %zu of the decision logs the %s export read ('%s' line %lu) were given: that stage is not recounted",
						   found, what[i], p->runs->r[xs[i]->run].ledger, p->runs->r[xs[i]->run].line);
			continue;
		}
		rc = recount(p, xs[i], what[i], v[i], err);
	}
	if (rc == 0 && v[0] && v[1])
		rc = check_ft_subset(p, &x->ft, v[0], v[1], err);
	for (i = 0; i < p->runs->nlogs && rc == 0; i++) {
		const struct prisma_log *l = &p->runs->logs[i];
		if (l->read)
			continue;
		rc = wn_prisma_msg(p, WN_PRISMA_WARNING, err,
				   "decision log '%s' (%s, %s %s) was not read by any export in the ledger: its decisions are not counted (export the stage with it, or leave it out)",
				   l->path, l->h.reviewer, wn_stage_title(l->h.stage),
				   l->h.role == WN_ROLE_RESOLUTION ? "resolution" : "screening");
	}
	for (i = 0; i < 3; i++)
		wn_votes_free(v[i]);
	return rc;
}

/* ---- --studies: several reports of one study ---- */

static int read_studies(struct wn_prisma *p, const char *path, json_object *map, struct wn_err *err)
{
	struct wn_input *in = wn_input_open(path, NULL, err);
	struct wn_lines ln;
	const char *line;
	size_t len;
	int rc = 0, got;

	if (!in)
		return -1;
	if (wn_input_text_mode(in, 1, err) < 0 || wn_lines_init(&ln, in, 1 << 16, err) < 0) {
		wn_input_close(in);
		return -1;
	}
	while (rc == 0 && (got = wn_lines_next(&ln, &line, &len, err)) != 0) {
		const char *tab;
		char *id;
		if (got < 0 || got == 2) {
			rc = got < 0 ? -1 : wn_prisma_msg(p, WN_PRISMA_ERROR, err, "'%s' line %lu is too long",
							   path, ln.lineno);
			break;
		}
		if (len == 0 || line[0] == '#')
			continue;
		tab = memchr(line, '\t', len);
		if (!tab || tab == line || tab + 1 == line + len || memchr(line, 0, len)) {
			rc = wn_prisma_msg(p, WN_PRISMA_ERROR, err,
					   "'%s' line %lu is not \"report id<TAB>study\": the studies are not counted",
					   path, ln.lineno);
			break;
		}
		id = wn_strndup(line, (size_t)(tab - line));
		if (!id) {
			rc = wn_err_set(err, WN_ENOMEM, "out of memory");
			break;
		}
		rc = pj_put(map, id, json_object_new_string_len(tab + 1, (int)(line + len - tab - 1)), err);
		wn_free(id);
	}
	wn_lines_release(&ln);
	wn_input_close(in);
	return rc;
}

int prisma_logs_studies(struct wn_prisma *p, const struct prisma_facts *x, const char *path,
			struct wn_err *err)
{
	const struct prisma_export *xs[2] = { &x->ft, &x->oft };
	json_object *map = json_object_new_object(), *studies = json_object_new_object();
	int64_t reports = 0;
	size_t i, k;
	int rc = 0, missing;
	struct wn_buf from;

	wn_buf_init(&from, 0);
	if (!map || !studies) {
		rc = wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	if (read_studies(p, path, map, err) < 0 || p->nerrors) {
		rc = p->nerrors ? 0 : -1;
		goto out;
	}
	for (i = 0; i < 2 && rc == 0; i++) {
		struct wn_votes *v;
		if (!xs[i]->have)
			continue;
		v = load_for(p, xs[i]->run, &missing, NULL, NULL, err);
		if (!v) {
			if (missing < 0)
				rc = -1;
			else
				rc = wn_prisma_msg(p, WN_PRISMA_ERROR, err,
						   "--studies '%s' needs the decision logs of the full-text export at '%s' line %lu, to know which reports were included",
						   path, p->runs->r[xs[i]->run].ledger, p->runs->r[xs[i]->run].line);
			break;
		}
		for (k = 0; k < wn_votes_records(v) && rc == 0; k++) {
			struct wn_record_state s;
			const char *id = wn_votes_record_id(v, k), *study;
			wn_votes_state(v, k, &s);
			if (s.state != WN_ST_INCLUDE)
				continue;
			reports++;
			study = pj_str(map, id);
			rc = pj_add(studies, study ? study : id, 1, err);
		}
		wn_votes_free(v);
		if (rc == 0)
			rc = wn_buf_addf(&from, err, "%s'%s' line %lu", from.len ? " + " : "",
					 p->runs->r[xs[i]->run].ledger, p->runs->r[xs[i]->run].line);
	}
	if (rc < 0 || p->nerrors)
		goto out;
	p->nchecks++;
	if (reports != p->v[WN_PK_NEW_REPORTS].n) {
		rc = wn_prisma_msg(p, WN_PRISMA_ERROR, err,
				   "the full-text logs include %lld reports, the exports counted %lld: --studies cannot group them (export again)",
				   (long long)reports, (long long)p->v[WN_PK_NEW_REPORTS].n);
		goto out;
	}
	p->v[WN_PK_NEW_STUDIES].n = (int64_t)json_object_object_length(studies);
	p->studies_grouped = 1;
	if (wn_buf_addf(&from, err, ": the included reports, grouped into studies by '%s'", path) < 0) {
		rc = -1;
		goto out;
	}
	prisma_set_from(&p->v[WN_PK_NEW_STUDIES], from.data);
	if (p->v[WN_PK_TOTAL_STUDIES].known)
		p->v[WN_PK_TOTAL_STUDIES].n = p->v[WN_PK_NEW_STUDIES].n +
					      (p->previous ? p->v[WN_PK_PREVIOUS_STUDIES].n : 0);
out:
	json_object_put(map);
	json_object_put(studies);
	wn_buf_release(&from);
	return rc;
}

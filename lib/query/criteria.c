/*
 * criteria.c - eligibility rules (see criteria.h for the file format and semantics).
 *
 * A deliberately small line format (INI-like sections) rather than JSON: reviewers
 * write these by hand next to their search strings, and a reason is a sentence.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/criteria.h"
#include "winnow/input.h"
#include "winnow/record.h"
#include "qint.h"

enum ctype { C_NONE, C_DATE, C_YEAR, C_LANG, C_PT_INCLUDE, C_PT_EXCLUDE, C_REQUIRE, C_FORBID };

struct rule {
	char *name, *reason;
	enum wn_crit_kind kind;
	enum ctype type;
	int missing_excludes;
	long lo, hi;              /* C_DATE / C_YEAR: yyyymmdd, 0 / 99999999 open */
	char **list;              /* languages (codes) or publication types (normalised) */
	size_t nlist;
	char *qtext;              /* require / forbid */
	enum wn_qdialect dialect;
	unsigned fields;
	struct wn_qmatch *qm;
	unsigned line;
};

struct wn_criteria {
	struct rule *r;
	size_t n;
};

struct wn_criteria_state {
	const struct wn_criteria *c;
	struct wn_qmatch_state **qs;
	unsigned long *undet;
	struct wn_buf nb;
};

static void rule_release(struct rule *r)
{
	size_t i;

	wn_free(r->name);
	wn_free(r->reason);
	for (i = 0; i < r->nlist; i++)
		wn_free(r->list[i]);
	wn_free(r->list);
	wn_free(r->qtext);
	wn_qmatch_free(r->qm);
}

void wn_criteria_free(struct wn_criteria *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		rule_release(&c->r[i]);
	wn_free(c->r);
	wn_free(c);
}

size_t wn_criteria_count(const struct wn_criteria *c) { return c->n; }
const char *wn_criteria_name(const struct wn_criteria *c, size_t i) { return c->r[i].name; }
const char *wn_criteria_reason(const struct wn_criteria *c, size_t i) { return c->r[i].reason; }
enum wn_crit_kind wn_criteria_kind(const struct wn_criteria *c, size_t i) { return c->r[i].kind; }

static void trim(const char **s, size_t *n)
{
	while (*n && wn_isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && wn_isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int keq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncmp(s, lit, n) == 0;
}

/* "1997-12-08 .. 2020-04-08", "1997 ..", ".. 2020" */
static int parse_range(const char *v, size_t n, int years, long *lo, long *hi)
{
	const char *dots = NULL;
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (v[i] == '.' && v[i + 1] == '.') {
			dots = v + i;
			break;
		}
	if (!dots)
		return -1;
	{
		const char *a = v, *b = dots + 2;
		size_t an = (size_t)(dots - v), bn = n - an - 2;
		trim(&a, &an);
		trim(&b, &bn);
		if (!an && !bn)
			return -1;
		if (!an)
			*lo = 0;
		else if (wn_qdate_parse(a, an, 0, lo) < 0 || (years && an != 4))
			return -1;
		if (!bn)
			*hi = 99999999;
		else if (wn_qdate_parse(b, bn, 1, hi) < 0 || (years && bn != 4))
			return -1;
	}
	return *lo <= *hi ? 0 : -1;
}

static int split_list(struct rule *r, const char *v, size_t n, int lang, struct wn_buf *tmp,
		      struct wn_err *err)
{
	while (n) {
		size_t len = 0;
		const char *item = v;
		char *c;
		while (len < n && v[len] != ',')
			len++;
		v += len;
		n -= len;
		if (n) {
			v++;
			n--;
		}
		trim(&item, &len);
		if (!len)
			continue;
		if (lang) {
			const char *code = wn_lang_code(item, len);
			if (!code)
				return -2;
			c = wn_strdup(code);
		} else {
			if (wn_qtok_normalize(tmp, item, len, err) < 0)
				return -1;
			if (!tmp->len)
				continue; /* "--": no letters or digits, no type */
			c = wn_strndup(tmp->data, tmp->len);
		}
		if (!c)
			return -1;
		{
			char **l = wn_reallocarray(r->list, r->nlist + 1, sizeof(*l));
			if (!l) {
				wn_free(c);
				return -1;
			}
			r->list = l;
			r->list[r->nlist++] = c;
		}
	}
	return r->nlist ? 0 : -3;
}

static const char *default_reason(enum ctype t)
{
	switch (t) {
	case C_DATE: return "publication date outside the limit";
	case C_YEAR: return "publication year outside the limit";
	case C_LANG: return "language not eligible";
	case C_PT_INCLUDE: return "publication type not eligible";
	case C_PT_EXCLUDE: return "publication type excluded";
	case C_REQUIRE: return "required terms missing";
	case C_FORBID: return "forbidden terms present";
	default: return "not eligible";
	}
}

/* Finish the rule being read: check it and compile its search string. */
static int finish_rule(struct rule *r, const char *name, const struct wn_qmatch_opts *qo,
		       struct wn_qdiags *notes, struct wn_err *err)
{
	if (r->type == C_NONE)
		return wn_err_set(err, WN_EFORMAT,
				  "'%s' line %u: rule '%s' has no condition (date, year, language, include-pubtypes, exclude-pubtypes, require or forbid)",
				  name, r->line, r->name);
	if (!r->reason && !(r->reason = wn_strdup(default_reason(r->type))))
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (r->type == C_REQUIRE || r->type == C_FORBID) {
		struct wn_query *q = wn_query_parse(r->qtext, strlen(r->qtext), r->dialect, err);
		struct wn_qmatch_opts o = qo ? *qo : (struct wn_qmatch_opts){ 0, NULL, WN_QD_GENERIC };
		size_t i;
		if (!q)
			return -1;
		if (!q->root) {
			for (i = 0; i < q->diags.n; i++)
				if (q->diags.v[i].sev == WN_QSEV_ERROR)
					break;
			wn_err_set(err, WN_EFORMAT, "'%s' line %u: rule '%s': the search string does not parse: %s",
				   name, r->line, r->name, i < q->diags.n ? q->diags.v[i].msg : "empty");
			wn_query_free(q);
			return -1;
		}
		if (notes)
			for (i = 0; i < q->diags.n; i++)
				if (q->diags.v[i].sev >= WN_QSEV_WARNING &&
				    wn_qdiags_add(notes, q->diags.v[i].sev, q->diags.v[i].code, r->line, 0,
						  "rule '%s': %s", r->name, q->diags.v[i].msg) < 0) {
					wn_query_free(q);
					return wn_err_set(err, WN_ENOMEM, "out of memory");
				}
		if (r->fields)
			o.default_fields = r->fields;
		o.dialect = r->dialect;
		r->qm = wn_qmatch_compile(q->root, &o, notes, err);
		wn_query_free(q);
		if (!r->qm)
			return -1;
	}
	return 0;
}

struct wn_criteria *wn_criteria_parse(const char *text, size_t n, const char *name,
				      const struct wn_qmatch_opts *qo, struct wn_qdiags *notes,
				      struct wn_err *err)
{
	struct wn_criteria *c = wn_calloc(1, sizeof(*c));
	struct rule *cur = NULL;
	struct wn_buf tmp;
	size_t pos = 0;
	unsigned line = 0;

	wn_buf_init(&tmp, 0);
	if (!c)
		goto oom;
	while (pos < n) {
		const char *l = text + pos, *eq;
		size_t len = 0, kn, vn;
		const char *k, *v;
		while (pos + len < n && l[len] != '\n')
			len++;
		pos += len + 1;
		line++;
		if (len && l[len - 1] == '\r')
			len--;
		trim(&l, &len);
		if (!len || l[0] == '#' || l[0] == ';')
			continue;
		if (l[0] == '[') {
			const char *nm;
			size_t nn;
			if (l[len - 1] != ']' || len < 7 || strncmp(l, "[rule", 5) != 0 ||
			    !wn_isspace((unsigned char)l[5])) {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: expected '[rule NAME]'", name, line);
				goto fail;
			}
			nm = l + 6;
			nn = len - 7;
			trim(&nm, &nn);
			if (!nn) {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: the rule needs a name: '[rule NAME]'", name, line);
				goto fail;
			}
			if (cur && finish_rule(cur, name, qo, notes, err) < 0)
				goto fail;
			{
				struct rule *rv = wn_reallocarray(c->r, c->n + 1, sizeof(*rv));
				size_t i;
				if (!rv)
					goto oom;
				c->r = rv;
				cur = &c->r[c->n++];
				memset(cur, 0, sizeof(*cur));
				cur->line = line;
				cur->dialect = WN_QD_GENERIC;
				cur->name = wn_strndup(nm, nn);
				if (!cur->name)
					goto oom;
				for (i = 0; i + 1 < c->n; i++)
					if (strcmp(c->r[i].name, cur->name) == 0) {
						wn_err_set(err, WN_EFORMAT, "'%s' line %u: rule '%s' is defined twice",
							   name, line, cur->name);
						goto fail;
					}
			}
			continue;
		}
		eq = memchr(l, '=', len);
		if (!eq) {
			wn_err_set(err, WN_EFORMAT, "'%s' line %u: expected 'key = value' or '[rule NAME]'", name, line);
			goto fail;
		}
		if (!cur) {
			wn_err_set(err, WN_EFORMAT, "'%s' line %u: a setting before the first '[rule NAME]'", name, line);
			goto fail;
		}
		k = l;
		kn = (size_t)(eq - l);
		v = eq + 1;
		vn = len - kn - 1;
		trim(&k, &kn);
		trim(&v, &vn);
#define COND(t) do { \
		if (cur->type != C_NONE) { \
			wn_err_set(err, WN_EFORMAT, "'%s' line %u: rule '%s' already has a condition (one per rule)", name, line, cur->name); \
			goto fail; \
		} \
		cur->type = (t); \
	} while (0)
		if (keq(k, kn, "reason")) {
			if (!vn) {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: empty reason", name, line);
				goto fail;
			}
			/* a second reason replaces the first */
			wn_free(cur->reason);
			if (!(cur->reason = wn_strndup(v, vn)))
				goto oom;
		} else if (keq(k, kn, "kind")) {
			if (keq(v, vn, "automation"))
				cur->kind = WN_CRIT_AUTOMATION;
			else if (keq(v, vn, "other"))
				cur->kind = WN_CRIT_OTHER;
			else {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: kind is 'automation' or 'other', not '%.*s'",
					   name, line, (int)vn, v);
				goto fail;
			}
		} else if (keq(k, kn, "missing")) {
			if (keq(v, vn, "keep"))
				cur->missing_excludes = 0;
			else if (keq(v, vn, "exclude"))
				cur->missing_excludes = 1;
			else {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: missing is 'keep' or 'exclude'", name, line);
				goto fail;
			}
		} else if (keq(k, kn, "date") || keq(k, kn, "year")) {
			int years = k[0] == 'y';
			COND(years ? C_YEAR : C_DATE);
			if (parse_range(v, vn, years, &cur->lo, &cur->hi) < 0) {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: %s needs a range like '%s'", name, line,
					   years ? "year" : "date", years ? "1997 .. 2020" : "1997-12-08 .. 2020-04-08");
				goto fail;
			}
		} else if (keq(k, kn, "language") || keq(k, kn, "languages")) {
			int r;
			COND(C_LANG);
			r = split_list(cur, v, vn, 1, &tmp, err);
			if (r == -1)
				goto oom;
			if (r < 0) {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: unknown language in '%.*s' (names like english or codes like eng, en)",
					   name, line, (int)vn, v);
				goto fail;
			}
		} else if (keq(k, kn, "include-pubtypes") || keq(k, kn, "exclude-pubtypes")) {
			int r;
			COND(k[0] == 'i' ? C_PT_INCLUDE : C_PT_EXCLUDE);
			r = split_list(cur, v, vn, 0, &tmp, err);
			if (r == -1)
				goto oom;
			if (r < 0) {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: empty publication type list", name, line);
				goto fail;
			}
		} else if (keq(k, kn, "require") || keq(k, kn, "forbid")) {
			COND(k[0] == 'r' ? C_REQUIRE : C_FORBID);
			if (!vn) {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: empty search string", name, line);
				goto fail;
			}
			if (!(cur->qtext = wn_strndup(v, vn)))
				goto oom;
		} else if (keq(k, kn, "dialect")) {
			char d[32];
			snprintf(d, sizeof(d), "%.*s", (int)(vn < 31 ? vn : 31), v);
			if (wn_qdialect_from_name(d, &cur->dialect) < 0) {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: unknown dialect '%s'", name, line, d);
				goto fail;
			}
		} else if (keq(k, kn, "fields")) {
			char f[128];
			const char *bad;
			snprintf(f, sizeof(f), "%.*s", (int)(vn < 127 ? vn : 127), v);
			if (wn_qfields_parse(f, &cur->fields, &bad) < 0) {
				wn_err_set(err, WN_EFORMAT, "'%s' line %u: unknown field in '%s'", name, line, f);
				goto fail;
			}
		} else {
			wn_err_set(err, WN_EFORMAT, "'%s' line %u: unknown setting '%.*s'", name, line, (int)kn, k);
			goto fail;
		}
#undef COND
	}
	if (cur && finish_rule(cur, name, qo, notes, err) < 0)
		goto fail;
	if (!c->n) {
		wn_err_set(err, WN_EFORMAT, "'%s' has no rules ('[rule NAME]' sections)", name);
		goto fail;
	}
	wn_buf_release(&tmp);
	return c;
oom:
	wn_err_set(err, WN_ENOMEM, "out of memory");
fail:
	wn_buf_release(&tmp);
	wn_criteria_free(c);
	return NULL;
}

struct wn_criteria *wn_criteria_load(const char *path, const struct wn_qmatch_opts *qo,
				     struct wn_qdiags *notes, struct wn_err *err)
{
	struct wn_input *in = wn_input_open(path, NULL, err);
	struct wn_criteria *c = NULL;
	struct wn_buf b;

	if (!in)
		return NULL;
	wn_buf_init(&b, (size_t)16 << 20);
	if (wn_input_text_mode(in, 1, err) == 0 && wn_input_slurp(in, &b, err) == 0)
		c = wn_criteria_parse(b.data, b.len, wn_input_name(in), qo, notes, err);
	wn_buf_release(&b);
	wn_input_close(in);
	return c;
}

struct wn_criteria_state *wn_criteria_state_new(const struct wn_criteria *c, struct wn_err *err)
{
	struct wn_criteria_state *s = wn_calloc(1, sizeof(*s));
	size_t i;

	if (!s)
		goto oom;
	s->c = c;
	s->qs = wn_calloc(c->n ? c->n : 1, sizeof(*s->qs));
	s->undet = wn_calloc(c->n ? c->n : 1, sizeof(*s->undet));
	if (!s->qs || !s->undet)
		goto oom;
	wn_buf_init(&s->nb, 0);
	for (i = 0; i < c->n; i++)
		if (c->r[i].qm && !(s->qs[i] = wn_qmatch_state_new(c->r[i].qm, err)))
			goto fail;
	return s;
oom:
	wn_err_set(err, WN_ENOMEM, "out of memory");
fail:
	wn_criteria_state_free(s);
	return NULL;
}

void wn_criteria_state_free(struct wn_criteria_state *s)
{
	size_t i;

	if (!s)
		return;
	if (s->qs)
		for (i = 0; i < s->c->n; i++)
			wn_qmatch_state_free(s->qs[i]);
	wn_free(s->qs);
	wn_free(s->undet);
	wn_buf_release(&s->nb);
	wn_free(s);
}

unsigned long wn_criteria_undetermined(const struct wn_criteria_state *s, size_t i)
{
	return i < s->c->n ? s->undet[i] : 0;
}

/* 1 pass, 0 fail, 2 undetermined (missing or too coarse) */
static int check_date(const struct rule *r, json_object *rec)
{
	json_object *x;
	long lo = 0, hi = 0;
	int have = 0;

	if (json_object_object_get_ex(rec, WN_F_DATE, &x) &&
	    json_object_is_type(x, json_type_string)) {
		const char *d = json_object_get_string(x);
		size_t n = (size_t)json_object_get_string_len(x);
		have = wn_qdate_parse(d, n, 0, &lo) == 0 && wn_qdate_parse(d, n, 1, &hi) == 0;
	}
	if (!have && json_object_object_get_ex(rec, WN_F_YEAR, &x) && json_object_is_type(x, json_type_int)) {
		int64_t y = json_object_get_int64(x);
		if (y >= 1000 && y <= 9999) {
			lo = (long)y * 10000 + 101;
			hi = (long)y * 10000 + 1231;
			have = 1;
		}
	}
	if (!have)
		return 2;
	if (r->type == C_YEAR) {
		lo = lo / 10000 * 10000 + 101;
		hi = hi / 10000 * 10000 + 1231;
	}
	if (lo >= r->lo && hi <= r->hi)
		return 1;
	if (hi < r->lo || lo > r->hi)
		return 0;
	return 2;
}

static int check_lang(const struct rule *r, json_object *rec)
{
	json_object *x;
	const char *p;
	int any = 0;
	size_t i;

	if (!json_object_object_get_ex(rec, WN_F_LANGUAGE, &x) || !json_object_is_type(x, json_type_string))
		return 2;
	p = json_object_get_string(x);
	while (*p) {
		size_t len = strcspn(p, ";,/|");
		const char *code = wn_lang_code(p, len);
		if (code) {
			any = 1;
			for (i = 0; i < r->nlist; i++)
				if (strcmp(code, r->list[i]) == 0)
					return 1;
		}
		p += len;
		if (*p)
			p++;
	}
	return any ? 0 : 2;
}

static int pt_has(struct wn_criteria_state *s, const struct rule *r, json_object *rec, int *any,
		  struct wn_err *err)
{
	static const char *const keys[] = { WN_F_PUBTYPES, WN_F_TYPE };
	size_t k, i, j;

	for (k = 0; k < 2; k++) {
		json_object *x;
		if (!json_object_object_get_ex(rec, keys[k], &x))
			continue;
		for (i = 0; i < (json_object_is_type(x, json_type_array) ? json_object_array_length(x) : 1); i++) {
			json_object *y = json_object_is_type(x, json_type_array) ? json_object_array_get_idx(x, i) : x;
			if (!json_object_is_type(y, json_type_string))
				continue;
			if (wn_qtok_normalize(&s->nb, json_object_get_string(y),
					      (size_t)json_object_get_string_len(y), err) < 0)
				return -1;
			*any = 1;
			for (j = 0; j < r->nlist; j++)
				if (strcmp(s->nb.data, r->list[j]) == 0)
					return 1;
		}
	}
	return 0;
}

/* 1 when rule r (date, year, language) could not decide for rec (publication types are
 * decided again by the caller's loop; they are cheap) */
static int rule_undecided(const struct rule *r, json_object *rec)
{
	json_object *x;

	switch (r->type) {
	case C_DATE:
	case C_YEAR:
		return check_date(r, rec) == 2;
	case C_LANG:
		return check_lang(r, rec) == 2;
	case C_PT_INCLUDE:
	case C_PT_EXCLUDE:
		return !json_object_object_get_ex(rec, WN_F_PUBTYPES, &x) &&
		       !json_object_object_get_ex(rec, WN_F_TYPE, &x);
	default:
		return 0;
	}
}

int wn_criteria_check(struct wn_criteria_state *s, json_object *rec, unsigned char *failed,
		      struct wn_err *err)
{
	const struct wn_criteria *c = s->c;
	size_t i;
	int first = -1, undet = 0;

	for (i = 0; i < c->n; i++) {
		const struct rule *r = &c->r[i];
		int ok = 1, any = 0, h;
		switch (r->type) {
		case C_DATE:
		case C_YEAR:
			ok = check_date(r, rec);
			break;
		case C_LANG:
			ok = check_lang(r, rec);
			break;
		case C_PT_INCLUDE:
		case C_PT_EXCLUDE:
			h = pt_has(s, r, rec, &any, err);
			if (h < 0)
				return -2;
			if (!any)
				ok = 2;
			else
				ok = r->type == C_PT_INCLUDE ? h : !h;
			break;
		case C_REQUIRE:
		case C_FORBID:
			h = wn_qmatch_record(s->qs[i], rec, err);
			if (h < 0)
				return -2;
			ok = r->type == C_REQUIRE ? h : !h;
			break;
		default:
			break;
		}
		if (ok == 2) {
			if (r->missing_excludes)
				ok = 0;
			else
				undet = 1;
		}
		if (failed)
			failed[i] = ok == 0;
		if (ok == 0 && first < 0)
			first = (int)i;
	}
	/* a second pass only when some rule could not decide and the record is kept */
	if (undet && first < 0)
		for (i = 0; i < c->n; i++)
			s->undet[i] += rule_undecided(&c->r[i], rec);
	return first;
}

/*
 * output.c - writing the unique records and the removal report (see dd.h).
 *
 * Records come out in input order. A record that absorbed no other is written back
 * byte for byte as it was read (runs of such records in one write), so fields this stage
 * does not know pass through untouched - and it is much faster than re-serialising.
 * The kept record of a cluster is parsed again together with the records it absorbed:
 * fields it lacks are taken from them (in keep order), ISSNs are united, and the
 * `duplicates` list names every absorbed record with the rule and score that removed it
 * (plus its DOI and PMID when they differ from the kept record's, so no identifier is
 * lost). A record that was itself a kept record of an earlier run brings its own
 * `duplicates` along, so re-running dedup on its own output plus new records keeps the
 * whole history.
 */
#include <errno.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/jsonl.h"
#include "winnow/record.h"
#include "dd.h"

#define NIL UINT32_MAX

/* Fields a kept record takes from its duplicates when it has none itself. */
static const char *const fill_fields[] = {
	WN_F_TITLE, WN_F_ABSTRACT, WN_F_AUTHORS, WN_F_YEAR, WN_F_DATE, WN_F_JOURNAL,
	WN_F_JOURNAL_ABBREV, WN_F_ISSN, WN_F_ISBN, WN_F_VOLUME, WN_F_ISSUE, WN_F_PAGES,
	WN_F_DOI, WN_F_PMID, WN_F_PMCID, WN_F_LANGUAGE, WN_F_PUBTYPES, WN_F_MESH,
	WN_F_KEYWORDS, WN_F_URL, WN_F_PUBLISHER, WN_F_NOTICES, NULL
};

static int write_all(FILE *out, const char *p, size_t n, struct wn_err *err)
{
	if (n && fwrite(p, 1, n, out) != n) {
		if (errno == EPIPE)
			return wn_err_set(err, WN_EPIPE, "broken pipe");
		return wn_err_sys(err, errno ? errno : EIO, "cannot write output");
	}
	return 0;
}

json_object *dd_score_json(double v);
json_object *dd_score_json(double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", v);
	return json_object_new_double_s(v, buf);
}

static int add_str(json_object *o, const char *key, const char *v, struct wn_err *err)
{
	json_object *s;

	if (!v)
		return 0;
	s = json_object_new_string(v);
	if (!s || json_object_object_add(o, key, s) != 0) {
		json_object_put(s);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

static int add_obj(json_object *o, const char *key, json_object *v, struct wn_err *err)
{
	if (!v || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

/* Parse the raw line of record i. */
static json_object *parse_rec(struct wn_dedup *d, json_tokener *tok, uint32_t i,
			      struct wn_buf *buf, struct wn_err *err)
{
	const char *line;
	size_t len;
	json_object *o;

	if (dd_raw_line(d, d->recs[i], buf, &line, &len, err) < 0)
		return NULL;
	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		wn_err_set(err, WN_ENOMEM, "cannot parse a record again (out of memory?)");
		return NULL;
	}
	return o;
}

/* ISSNs of `from` that `to` does not have (compared as ISSNs, not strings). */
static int unite_issn(json_object *to, json_object *from, struct wn_err *err)
{
	size_t i, j;

	if (!json_object_is_type(to, json_type_array) || !json_object_is_type(from, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(from); i++) {
		json_object *it = json_object_array_get_idx(from, i);
		uint32_t v[1], w[1];
		int have = 0;
		if (!json_object_is_type(it, json_type_string) ||
		    !wn_issn_extract(json_object_get_string(it), (size_t)json_object_get_string_len(it), v, 1))
			continue;
		for (j = 0; j < json_object_array_length(to) && !have; j++) {
			json_object *t = json_object_array_get_idx(to, j);
			if (json_object_is_type(t, json_type_string) &&
			    wn_issn_extract(json_object_get_string(t), (size_t)json_object_get_string_len(t), w, 1))
				have = v[0] == w[0];
		}
		if (!have && json_object_array_add(to, json_object_get(it)) != 0) {
			json_object_put(it);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	}
	return 0;
}

static int same_string(json_object *a, json_object *b)
{
	return a && b && json_object_is_type(a, json_type_string) && json_object_is_type(b, json_type_string) &&
	       strcmp(json_object_get_string(a), json_object_get_string(b)) == 0;
}

/* The kept record of a cluster, with its duplicates merged in. New reference. */
static json_object *merge_cluster(struct wn_dedup *d, json_tokener *tok, uint32_t kept,
				  struct wn_buf *buf, struct wn_err *err)
{
	json_object *objs[64], **many = NULL, **o = objs, *rec, *dups = NULL, *v;
	size_t n = 0, cap = 64, i, f;
	uint32_t m;

	for (m = kept; m != NIL; m = d->next_member[m]) {
		if (n == cap) {
			json_object **nm = wn_reallocarray(many, cap * 2, sizeof(*nm));
			if (!nm) {
				wn_err_set(err, WN_ENOMEM, "out of memory");
				goto fail;
			}
			if (!many)
				memcpy(nm, objs, sizeof(objs));
			many = o = nm;
			cap *= 2;
		}
		o[n] = parse_rec(d, tok, m, buf, err);
		if (!o[n])
			goto fail;
		n++;
	}
	rec = o[0];
	for (f = 0; fill_fields[f]; f++) {
		if (json_object_object_get_ex(rec, fill_fields[f], &v)) {
			if (strcmp(fill_fields[f], WN_F_ISSN) == 0)
				for (i = 1; i < n; i++)
					if (json_object_object_get_ex(o[i], WN_F_ISSN, &v) &&
					    json_object_object_get_ex(rec, WN_F_ISSN, &dups) &&
					    unite_issn(dups, v, err) < 0)
						goto fail;
			dups = NULL;
			continue;
		}
		for (i = 1; i < n; i++) {
			if (json_object_object_get_ex(o[i], fill_fields[f], &v) && v) {
				if (json_object_object_add(rec, fill_fields[f], json_object_get(v)) != 0) {
					json_object_put(v);
					wn_err_set(err, WN_ENOMEM, "out of memory");
					goto fail;
				}
				break;
			}
		}
	}
	/* duplicates: what the kept record already had, then each absorbed record and what
	 * it had absorbed before */
	if (json_object_object_get_ex(rec, WN_F_DUPLICATES, &v) && json_object_is_type(v, json_type_array)) {
		dups = json_object_get(v);
	} else {
		dups = json_object_new_array();
		if (!dups) {
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto fail;
		}
	}
	for (i = 1, m = d->next_member[kept]; i < n && m != NIL; i++, m = d->next_member[m]) {
		json_object *e = json_object_new_object(), *x, *y;
		const struct dd_edge *via = d->via[m];
		const struct dd_rec *r = d->recs[m];
		if (!e) {
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto fail;
		}
		if (add_str(e, "id", r->id, err) < 0 || add_str(e, "source", r->source, err) < 0 ||
		    add_str(e, "source_id", r->source_id, err) < 0 ||
		    add_str(e, "rule", dd_rule_name(via ? via->rule : DD_R_MANUAL), err) < 0 ||
		    add_obj(e, "score", dd_score_json(via ? via->score : 1.0), err) < 0) {
			json_object_put(e);
			goto fail;
		}
		/* identifiers the kept record does not carry */
		if (json_object_object_get_ex(o[i], WN_F_DOI, &x) && json_object_is_type(x, json_type_string) &&
		    !(json_object_object_get_ex(rec, WN_F_DOI, &y) && same_string(x, y)) &&
		    add_obj(e, "doi", json_object_get(x), err) < 0) {
			json_object_put(e);
			goto fail;
		}
		if (json_object_object_get_ex(o[i], WN_F_PMID, &x) && json_object_is_type(x, json_type_string) &&
		    !(json_object_object_get_ex(rec, WN_F_PMID, &y) && same_string(x, y)) &&
		    add_obj(e, "pmid", json_object_get(x), err) < 0) {
			json_object_put(e);
			goto fail;
		}
		if (json_object_array_add(dups, e) != 0) {
			json_object_put(e);
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto fail;
		}
		if (json_object_object_get_ex(o[i], WN_F_DUPLICATES, &x) && json_object_is_type(x, json_type_array)) {
			size_t k;
			for (k = 0; k < json_object_array_length(x); k++) {
				json_object *it = json_object_array_get_idx(x, k);
				if (json_object_array_add(dups, json_object_get(it)) != 0) {
					json_object_put(it);
					wn_err_set(err, WN_ENOMEM, "out of memory");
					goto fail;
				}
			}
		}
	}
	if (json_object_object_add(rec, WN_F_DUPLICATES, dups) != 0) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto fail;
	}
	dups = NULL;
	if (wn_record_canonicalize(rec, err) < 0)
		goto fail;
	for (i = 1; i < n; i++)
		json_object_put(o[i]);
	wn_free(many);
	return rec;
fail:
	json_object_put(dups);
	for (i = 0; i < n; i++)
		json_object_put(o[i]);
	wn_free(many);
	return NULL;
}

int dd_write_unique(struct wn_dedup *d, FILE *out, struct wn_err *err)
{
	struct wn_buf batchbuf, linebuf;
	json_tokener *tok = json_tokener_new();
	size_t bi;
	int rc = -1;

	wn_buf_init(&batchbuf, 0);
	wn_buf_init(&linebuf, 0);
	if (!tok)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	for (bi = 0; bi < d->nbatches; bi++) {
		struct dd_batch *b = d->batches[bi];
		const char *raw;
		size_t i, run_start = 0, run_end = 0;
		int in_run = 0;

		if (b->nrecs == 0)
			continue;
		if (dd_batch_raw(d, b, &batchbuf, &raw, err) < 0)
			goto out;
		for (i = 0; i < b->nrecs; i++) {
			uint32_t g = b->base + (uint32_t)i;
			const struct dd_rec *r = &b->recs[i];

			if (d->kept[g] == g && d->next_member[g] == NIL) {
				/* unchanged: extend the run of lines written as they are */
				if (in_run && r->off == run_end) {
					run_end = r->off + r->len + 1;
				} else {
					if (in_run && write_all(out, raw + run_start, run_end - run_start, err) < 0)
						goto out;
					run_start = r->off;
					run_end = r->off + r->len + 1;
					in_run = 1;
				}
				continue;
			}
			if (in_run && write_all(out, raw + run_start, run_end - run_start, err) < 0)
				goto out;
			in_run = 0;
			if (d->kept[g] == g) {
				json_object *rec = merge_cluster(d, tok, g, &linebuf, err);
				int wrc;
				if (!rec)
					goto out;
				wrc = wn_jsonl_write(out, rec, err);
				json_object_put(rec);
				if (wrc < 0)
					goto out;
			}
		}
		if (in_run && write_all(out, raw + run_start, run_end - run_start, err) < 0)
			goto out;
	}
	rc = 0;
out:
	json_tokener_free(tok);
	wn_buf_release(&batchbuf);
	wn_buf_release(&linebuf);
	return rc;
}

/* Tab-separated values must not contain tabs or line breaks. */
static int put_field(FILE *out, const char *s, int last, struct wn_err *err)
{
	if (s) {
		for (; *s; s++) {
			char c = (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s;
			if (putc(c, out) == EOF)
				return wn_err_sys(err, errno ? errno : EIO, "cannot write the report");
		}
	}
	if (putc(last ? '\n' : '\t', out) == EOF)
		return wn_err_sys(err, errno ? errno : EIO, "cannot write the report");
	return 0;
}

int dd_write_report(struct wn_dedup *d, FILE *out, struct wn_err *err)
{
	size_t i;

	if (fputs("removed\tkept\trule\tscore\tremoved_source\tkept_source\n", out) == EOF)
		return wn_err_sys(err, errno ? errno : EIO, "cannot write the report");
	for (i = 0; i < d->nrecs; i++) {
		const struct dd_rec *r = d->recs[i], *k;
		const struct dd_edge *via = d->via[i];
		char score[32];

		if (d->kept[i] == i)
			continue;
		k = d->recs[d->kept[i]];
		snprintf(score, sizeof(score), "%.3f", via ? via->score : 1.0);
		if (put_field(out, r->id ? r->id : "", 0, err) < 0 ||
		    put_field(out, k->id ? k->id : "", 0, err) < 0 ||
		    put_field(out, dd_rule_name(via ? via->rule : DD_R_MANUAL), 0, err) < 0 ||
		    put_field(out, score, 0, err) < 0 ||
		    put_field(out, r->source ? r->source : "", 0, err) < 0 ||
		    put_field(out, k->source ? k->source : "", 1, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * pairfile.c - the maybe file (pairs for a person) and the decisions file (what the
 * person said), see dd.h and docs/winnow-dedup.1.
 *
 * One format serves both ways, so a reviewer can edit the maybe file and hand it back:
 *
 *   {"ids":["a","b"],"decision":null,"reason":"doi-conflict","score":0.912,
 *    "evidence":{...},"records":[{record a},{record b}]}
 *
 * The reviewer replaces null by "same" or "different"; --decisions reads the lines that
 * have a decision and ignores the rest (everything but "ids" and "decision" is for the
 * person). Pairs are written sorted by id, so the file of a re-run can be compared with
 * the previous one.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/hash.h"
#include "winnow/input.h"
#include "winnow/jsonl.h"
#include "dd.h"

json_object *dd_score_json(double v);

static int id_cmp(const char *a, const char *b)
{
	if (a && b)
		return strcmp(a, b);
	return a ? -1 : (b ? 1 : 0);
}

/* Both ends of a pair in id order. */
static void ordered(struct wn_dedup *d, const struct dd_edge *e, uint32_t *x, uint32_t *y)
{
	int c = id_cmp(d->recs[e->a]->id, d->recs[e->b]->id);

	if (c < 0 || (c == 0 && d->recs[e->a]->rank < d->recs[e->b]->rank)) {
		*x = e->a;
		*y = e->b;
	} else {
		*x = e->b;
		*y = e->a;
	}
}

static int maybe_cmp(void *ctx, uint32_t i, uint32_t j)
{
	struct wn_dedup *d = ctx;
	uint32_t a1, b1, a2, b2;
	int c;

	ordered(d, &d->maybe[i], &a1, &b1);
	ordered(d, &d->maybe[j], &a2, &b2);
	if ((c = id_cmp(d->recs[a1]->id, d->recs[a2]->id)) != 0)
		return c;
	if ((c = id_cmp(d->recs[b1]->id, d->recs[b2]->id)) != 0)
		return c;
	if (d->recs[a1]->rank != d->recs[a2]->rank)
		return d->recs[a1]->rank < d->recs[a2]->rank ? -1 : 1;
	return d->recs[b1]->rank < d->recs[b2]->rank ? -1 : d->recs[b1]->rank > d->recs[b2]->rank;
}

/* Add key -> val; 1 (and val released) when val is NULL or the add fails. */
static int put_new(json_object *o, const char *key, json_object *val)
{
	if (!val)
		return 1;
	if (json_object_object_add(o, key, val) != 0) {
		json_object_put(val);
		return 1;
	}
	return 0;
}

static json_object *id_json(const char *id)
{
	return id ? json_object_new_string(id) : NULL; /* null: a record without an id */
}

int dd_write_maybe(struct wn_dedup *d, FILE *out, struct wn_err *err)
{
	uint32_t *order, *tmp;
	json_tokener *tok;
	struct wn_buf buf;
	size_t i;
	int rc = -1;

	order = wn_malloc((d->nmaybe ? d->nmaybe : 1) * sizeof(*order));
	tmp = wn_malloc((d->nmaybe ? d->nmaybe : 1) * sizeof(*tmp));
	tok = json_tokener_new();
	wn_buf_init(&buf, 0);
	if (!order || !tmp || !tok) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < d->nmaybe; i++)
		order[i] = (uint32_t)i;
	dd_sort_u32(order, d->nmaybe, tmp, maybe_cmp, d);
	for (i = 0; i < d->nmaybe; i++) {
		const struct dd_edge *e = &d->maybe[order[i]];
		json_object *o = json_object_new_object(), *ids = json_object_new_array(), *recs = json_object_new_array();
		uint32_t x, y, which[2];
		int k, bad = !o || !ids || !recs;
		const struct dd_rec *rx, *ry;

		ordered(d, e, &x, &y);
		which[0] = x;
		which[1] = y;
		rx = d->recs[x];
		ry = d->recs[y];
		if (!bad) {
			/* an id is null for a record without one (it cannot be decided by id) */
			json_object *ia = id_json(rx->id), *ib = id_json(ry->id);
			bad |= (rx->id && !ia) || (ry->id && !ib);
			if (!bad && json_object_array_add(ids, ia) != 0) {
				json_object_put(ia);
				bad = 1;
			} else if (bad) {
				json_object_put(ia);
			}
			if (!bad && json_object_array_add(ids, ib) != 0) {
				json_object_put(ib);
				bad = 1;
			} else if (bad) {
				json_object_put(ib);
			}
			if (!bad) {
				bad |= json_object_object_add(o, "ids", ids) != 0;
				if (!bad)
					ids = NULL;
			}
			bad |= !bad && json_object_object_add(o, "decision", NULL) != 0;
			bad |= !bad && put_new(o, "reason", json_object_new_string(dd_reason_name(e->why)));
			bad |= !bad && put_new(o, "score", dd_score_json(e->score));
			bad |= !bad && put_new(o, "evidence", dd_evidence_json(rx, ry, &e->ev));
		}
		for (k = 0; k < 2 && !bad; k++) {
			const char *line;
			size_t len;
			json_object *r;
			if (dd_raw_line(d, d->recs[which[k]], &buf, &line, &len, err) < 0) {
				json_object_put(o);
				json_object_put(recs);
				goto out;
			}
			json_tokener_reset(tok);
			r = json_tokener_parse_ex(tok, line, (int)len);
			if (!r || json_tokener_get_error(tok) != json_tokener_success ||
			    dd_json_parse_checked(tok, line, len, &r, err) < 0 ||
			    json_object_array_add(recs, r) != 0) {
				json_object_put(r);
				bad = 1;
			}
		}
		if (!bad) {
			bad |= json_object_object_add(o, "records", recs) != 0;
			if (!bad)
				recs = NULL;
		}
		json_object_put(ids);
		json_object_put(recs);
		if (bad) {
			json_object_put(o);
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto out;
		}
		k = wn_jsonl_write(out, o, err);
		json_object_put(o);
		if (k < 0)
			goto out;
	}
	rc = 0;
out:
	wn_free(order);
	wn_free(tmp);
	if (tok)
		json_tokener_free(tok);
	wn_buf_release(&buf);
	return rc;
}

/* ---------------------------------------------------------------- decisions */

static const char *str_item(json_object *arr, size_t i)
{
	json_object *v = json_object_array_get_idx(arr, i);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int dd_load_decisions(struct wn_dedup *d, const char *path, struct wn_err *err)
{
	struct wn_input *in = wn_input_open(path, NULL, err);
	struct wn_lines lines;
	json_tokener *tok = NULL;
	const char *name;
	int rc = -1, have_lines = 0;

	if (!in)
		return -1;
	name = wn_input_name(in);
	if (wn_input_text_mode(in, 1, err) < 0 || wn_lines_init(&lines, in, 0, err) < 0)
		goto out;
	have_lines = 1;
	tok = json_tokener_new();
	if (!tok) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	for (;;) {
		const char *line, *a, *b, *dv;
		size_t len, k;
		json_object *o = NULL, *ids, *dec;
		struct dd_decision *dc;
		int lrc = wn_lines_next(&lines, &line, &len, err), same;

		if (lrc < 0)
			goto out;
		if (lrc == 0)
			break;
		if (lrc == 2) {
			err->code = WN_EFORMAT;
			wn_err_prefix(err, "bad decisions file");
			goto out;
		}
		for (k = 0; k < len && (line[k] == ' ' || line[k] == '\t'); k++)
			;
		if (k == len)
			continue;
		switch (wn_jsonl_parse_line(tok, line, len, name, lines.lineno, &o, err)) {
		case WN_JSONL_OK:
			break;
		case WN_JSONL_BAD:
			err->code = WN_EFORMAT;
			wn_err_prefix(err, "bad decisions file");
			goto out;
		default:
			goto out;
		}
		if (dd_json_parse_checked(tok, line, len, &o, err) < 0) {
			json_object_put(o);
			goto out;
		}
		if (!json_object_object_get_ex(o, "decision", &dec) || !dec) {
			json_object_put(o); /* undecided: a maybe line not reviewed yet */
			continue;
		}
		dv = json_object_is_type(dec, json_type_string) ? json_object_get_string(dec) : "";
		if (strcmp(dv, "same") == 0) {
			same = 1;
		} else if (strcmp(dv, "different") == 0) {
			same = 0;
		} else {
			wn_err_set(err, WN_EFORMAT, "'%s' line %lu: \"decision\" must be \"same\", \"different\" or null",
				   name, lines.lineno);
			json_object_put(o);
			goto out;
		}
		if (!json_object_object_get_ex(o, "ids", &ids) || !json_object_is_type(ids, json_type_array) ||
		    json_object_array_length(ids) != 2 || !(a = str_item(ids, 0)) || !(b = str_item(ids, 1))) {
			wn_err_set(err, WN_EFORMAT, "'%s' line %lu: a decision needs \"ids\": [\"id\", \"id\"]",
				   name, lines.lineno);
			json_object_put(o);
			goto out;
		}
		if (dd_grow((void **)&d->decisions, &d->deccap, d->ndecisions + 1, sizeof(*d->decisions), err) < 0) {
			json_object_put(o);
			goto out;
		}
		dc = &d->decisions[d->ndecisions];
		memset(dc, 0, sizeof(*dc));
		dc->ida = wn_strdup(a);
		dc->idb = wn_strdup(b);
		dc->same = same;
		json_object_put(o);
		if (!dc->ida || !dc->idb) {
			wn_free(dc->ida);
			wn_free(dc->idb);
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto out;
		}
		d->ndecisions++;
		d->stats.decisions_read++;
	}
	rc = 0;
out:
	if (tok)
		json_tokener_free(tok);
	if (have_lines)
		wn_lines_release(&lines);
	wn_input_close(in);
	return rc;
}

/* Map the ids of the decisions to records (the first of an id in rank order: records
 * sharing an id are merged anyway), and turn "same" into pairs for the clustering. */
int dd_resolve_decisions(struct wn_dedup *d, struct wn_err *err)
{
	size_t cap = 16, mask, i;
	uint32_t *slot;

	if (d->ndecisions == 0)
		return 0;
	while (cap < d->nrecs * 2 + 16)
		cap *= 2;
	mask = cap - 1;
	slot = wn_malloc(cap * sizeof(*slot));
	if (!slot)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	memset(slot, 0xFF, cap * sizeof(*slot));
	for (i = 0; i < d->nrecs; i++) {
		const struct dd_rec *r = d->recs[i];
		size_t h;
		if (!r->id)
			continue;
		for (h = (size_t)r->id_hash & mask; slot[h] != UINT32_MAX; h = (h + 1) & mask) {
			const struct dd_rec *o = d->recs[slot[h]];
			if (o->id_hash == r->id_hash && strcmp(o->id, r->id) == 0)
				break;
		}
		if (slot[h] == UINT32_MAX || d->recs[slot[h]]->rank > r->rank)
			slot[h] = (uint32_t)i;
	}
	for (i = 0; i < d->ndecisions; i++) {
		struct dd_decision *dc = &d->decisions[i];
		uint32_t found[2] = { UINT32_MAX, UINT32_MAX };
		const char *ids[2];
		int k;

		ids[0] = dc->ida;
		ids[1] = dc->idb;
		for (k = 0; k < 2; k++) {
			uint64_t hv = wn_hash64(ids[k], strlen(ids[k]));
			size_t h;
			if (!hv)
				hv = 1;
			for (h = (size_t)hv & mask; slot[h] != UINT32_MAX; h = (h + 1) & mask) {
				const struct dd_rec *o = d->recs[slot[h]];
				if (o->id_hash == hv && strcmp(o->id, ids[k]) == 0) {
					found[k] = slot[h];
					break;
				}
			}
		}
		if (found[0] == UINT32_MAX || found[1] == UINT32_MAX) {
			d->stats.decisions_unmatched++;
			continue;
		}
		if (found[0] == found[1])
			continue; /* the same id twice: nothing to decide */
		dc->a = found[0];
		dc->b = found[1];
		dc->resolved = 1;
		d->stats.decisions_applied++;
		if (dc->same) {
			struct dd_edge *e;
			if (dd_grow((void **)&d->manual, &d->manualcap, d->nmanual + 1, sizeof(*d->manual), err) < 0) {
				wn_free(slot);
				return -1;
			}
			e = &d->manual[d->nmanual++];
			memset(e, 0, sizeof(*e));
			e->a = d->recs[dc->a]->rank < d->recs[dc->b]->rank ? dc->a : dc->b;
			e->b = e->a == dc->a ? dc->b : dc->a;
			e->verdict = DD_DUP;
			e->rule = DD_R_MANUAL;
			e->score = 1.0f;
		}
	}
	wn_free(slot);
	return 0;
}

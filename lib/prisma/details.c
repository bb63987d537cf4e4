/*
 * details.c - the facts behind the counts, per phase: provenance, the PRISMA-S facts the
 * ledger holds (databases, dates searched, strategies, limits, counts, deduplication),
 * the reasons for removals, the screening exports used.
 *
 * They travel in the JSON output under the three keys of the PRISMA2020 template that
 * carry no count - the side labels "identification", "screening" and "included" - so
 * that the object's keys stay exactly the template's data keys (prisma_report.h).
 */
#include <string.h>
#include "prisma_int.h"
#include "winnow/version.h"

static json_object *run_ref(const struct prisma_run *r)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (pj_put(o, "ledger", json_object_new_string(r->ledger), NULL) < 0 ||
	    pj_put(o, "line", json_object_new_int64((int64_t)r->line), NULL) < 0 ||
	    pj_put(o, "run", json_object_new_string(r->id), NULL) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* Copy e[key] into o when present. */
static int copy_key(json_object *o, json_object *e, const char *key, struct wn_err *err)
{
	json_object *v;

	if (!json_object_object_get_ex(e, key, &v) || !v)
		return 0;
	return pj_put(o, key, json_object_get(v), err);
}

static int add_ref_keys(json_object *o, const struct prisma_run *r, struct wn_err *err)
{
	if (pj_put(o, "ledger", json_object_new_string(r->ledger), err) < 0 ||
	    pj_put(o, "line", json_object_new_int64((int64_t)r->line), err) < 0 ||
	    pj_put(o, "run", json_object_new_string(r->id), err) < 0)
		return -1;
	return 0;
}

/* One search of one source: a PubMed search or the files of a file import. */
static json_object *search_of(const struct prisma_run *r, const char *source, struct wn_err *err)
{
	json_object *o = json_object_new_object(), *files, *fl;
	const char *mode = pj_str(r->e, "mode");
	size_t k;

	if (!o) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	if (add_ref_keys(o, r, err) < 0 ||
	    pj_put(o, "mode", json_object_new_string(mode ? mode : "file"), err) < 0 ||
	    copy_key(o, r->e, "version", err) < 0)
		goto fail;
	if (mode && strcmp(mode, "pubmed") == 0) {
		static const char *const keys[] = { "query", "translation", "searched", "limits",
						    "count", "records", "missing_pmids", "warnings" };
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (copy_key(o, r->e, keys[k], err) < 0)
				goto fail;
		return o;
	}
	/* file exports carry no search date (PRISMA-S item 13 must come from the searcher's
	 * notes): the time of the import is what the ledger knows */
	{
		json_object *v;
		if (json_object_object_get_ex(r->e, "started", &v) && v &&
		    pj_put(o, "imported", json_object_get(v), err) < 0)
			goto fail;
	}
	files = pj_arr(r->e, "files");
	fl = json_object_new_array();
	if (pj_put(o, "files", fl, err) < 0)
		goto fail;
	for (k = 0; files && k < json_object_array_length(files); k++) {
		json_object *fe = json_object_array_get_idx(files, k), *f;
		int64_t n = 0;
		json_object *fs = pj_obj(fe, "sources");
		if (fs && !pj_count(fs, source, &n))
			continue;
		f = json_object_new_object();
		if (!f || json_object_array_add(fl, f) != 0) {
			json_object_put(f);
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto fail;
		}
		if (copy_key(f, fe, "file", err) < 0 || copy_key(f, fe, "format", err) < 0 ||
		    (fs && pj_put(f, "records", json_object_new_int64(n), err) < 0) ||
		    (!fs && copy_key(f, fe, "records", err) < 0) ||
		    copy_key(f, fe, "skipped", err) < 0 || copy_key(f, fe, "bytes", err) < 0 ||
		    copy_key(f, fe, "xxh64", err) < 0)
			goto fail;
	}
	return o;
fail:
	json_object_put(o);
	return NULL;
}

static int identification(struct wn_prisma *p, const struct prisma_facts *x, json_object *id,
			  struct wn_err *err)
{
	json_object *prov = json_object_new_object(), *ledgers, *ps, *dbs, *strat, *dd, *rb;
	size_t i;

	if (pj_put(id, "label", json_object_new_string("Identification"), err) < 0 ||
	    pj_put(id, "provenance", prov, err) < 0 ||
	    pj_put(prov, "winnow_version", json_object_new_string(WINNOW_VERSION), err) < 0 ||
	    pj_put(prov, "first", p->first[0] ? json_object_new_string(p->first) : json_object_new_string(""), err) < 0 ||
	    pj_put(prov, "last", p->last[0] ? json_object_new_string(p->last) : json_object_new_string(""), err) < 0 ||
	    pj_put(prov, "ledgers", ledgers = json_object_new_array(), err) < 0)
		return -1;
	for (i = 0; i < p->runs->nledgers; i++)
		if (pj_push(ledgers, json_object_new_string(p->runs->ledgers[i]), err) < 0)
			return -1;
	{
		json_object *used = wn_prisma_runs_used(p);
		if (pj_put(prov, "runs", used, err) < 0)
			return -1;
	}
	/* PRISMA-S: databases and other sources, each with its searches */
	ps = json_object_new_object();
	if (pj_put(id, "prisma_s", ps, err) < 0 ||
	    pj_put(ps, "sources", dbs = json_object_new_array(), err) < 0 ||
	    pj_put(ps, "strategies", strat = json_object_new_array(), err) < 0 ||
	    pj_put(ps, "deduplication", dd = json_object_new_array(), err) < 0)
		return -1;
	json_object_object_foreach(x->sources, name, acc) {
		json_object *s = json_object_new_object(), *searches, *runs = pj_arr(acc, "runs");
		size_t k;
		if (!s || json_object_array_add(dbs, s) != 0) {
			json_object_put(s);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		if (pj_put(s, "name", json_object_new_string(name), err) < 0 ||
		    copy_key(s, acc, "kind", err) < 0 || copy_key(s, acc, "records", err) < 0 ||
		    pj_put(s, "searches", searches = json_object_new_array(), err) < 0)
			return -1;
		for (k = 0; runs && k < json_object_array_length(runs); k++) {
			size_t ri = (size_t)json_object_get_int64(json_object_array_get_idx(runs, k));
			json_object *se = search_of(&p->runs->r[ri], name, err);
			if (!se)
				return -1;
			if (json_object_array_add(searches, se) != 0) {
				json_object_put(se);
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			}
		}
	}
	for (i = 0; i < p->runs->n; i++) {
		const struct prisma_run *r = &p->runs->r[i];
		json_object *o;
		if (!r->used || (r->kind != RUN_FILTER && r->kind != RUN_DEDUP))
			continue;
		o = run_ref(r);
		if (!o || json_object_array_add(r->kind == RUN_FILTER ? strat : dd, o) != 0) {
			json_object_put(o);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		if (r->kind == RUN_FILTER) {
			static const char *const keys[] = { "query", "dialect", "criteria", "records_in",
							    "records_out", "excluded_automatic", "excluded_other" };
			size_t k;
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
				if (copy_key(o, r->e, keys[k], err) < 0)
					return -1;
		} else {
			static const char *const keys[] = { "tool", "version", "argv", "records_in", "records_out",
							    "removed", "removed_by_source", "maybe_pairs",
							    "decisions_applied" };
			size_t k;
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
				if (copy_key(o, r->e, keys[k], err) < 0)
					return -1;
		}
	}
	rb = json_object_new_object();
	if (pj_put(id, "removed_before_screening", rb, err) < 0 ||
	    pj_put(rb, "duplicates_by_source", json_object_get(p->v[WN_PK_DUPLICATES].by), err) < 0 ||
	    pj_put(rb, "excluded_automatic", json_object_get(p->v[WN_PK_EXCLUDED_AUTOMATIC].by), err) < 0 ||
	    pj_put(rb, "excluded_other", json_object_get(p->v[WN_PK_EXCLUDED_OTHER].by), err) < 0)
		return -1;
	if (p->other_kind_other &&
	    pj_put(id, "other_methods_other", json_object_new_int64(p->other_kind_other), err) < 0)
		return -1;
	return 0;
}

static int export_facts(struct wn_prisma *p, json_object *into, const char *key,
			const struct prisma_export *x, struct wn_err *err)
{
	const struct prisma_run *r;
	json_object *o;
	static const char *const keys[] = { "records_in", "state_counts", "excluded_by_reason",
					    "not_retrieved", "maybe", "resolved", "reason_conflicts",
					    "reviewers", "resolvers", "logs", "unmatched_ids" };
	size_t k;

	if (!x->have)
		return 0;
	r = &p->runs->r[x->run];
	o = json_object_new_object();
	if (pj_put(into, key, o, err) < 0 || add_ref_keys(o, r, err) < 0)
		return -1;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (copy_key(o, r->e, keys[k], err) < 0)
			return -1;
	return 0;
}

int prisma_details(struct wn_prisma *p, const struct prisma_facts *x, struct wn_err *err)
{
	json_object *id = json_object_new_object(), *sc, *inc, *from;

	if (pj_put(p->details, "identification", id, err) < 0 || identification(p, x, id, err) < 0)
		return -1;
	sc = json_object_new_object();
	if (pj_put(p->details, "screening", sc, err) < 0 ||
	    pj_put(sc, "label", json_object_new_string("Screening"), err) < 0 ||
	    pj_put(sc, "records_excluded_by_automation", json_object_new_int64(
			   p->v[WN_PK_EXCLUDED_AUTOMATIC].n), err) < 0 ||
	    export_facts(p, sc, "title_abstract", &x->ta, err) < 0 ||
	    export_facts(p, sc, "full_text", &x->ft, err) < 0 ||
	    export_facts(p, sc, "full_text_other_methods", &x->oft, err) < 0)
		return -1;
	inc = json_object_new_object();
	if (pj_put(p->details, "included", inc, err) < 0 ||
	    pj_put(inc, "label", json_object_new_string("Included"), err) < 0)
		return -1;
	from = json_object_new_object();
	if (pj_put(inc, "reports_from", from, err) < 0 ||
	    (x->ft.have && pj_put(from, "databases_and_registers", json_object_new_int64(x->ft.inc), err) < 0) ||
	    (x->oft.have && pj_put(from, "other_methods", json_object_new_int64(x->oft.inc), err) < 0) ||
	    (p->previous && pj_put(from, "previous_version", json_object_new_int64(
					   p->v[WN_PK_PREVIOUS_REPORTS].n), err) < 0))
		return -1;
	return pj_put(inc, "studies_per_report", json_object_new_string(
			      p->studies_grouped ? "reports grouped into studies by --studies" :
			      "one study per report (--studies groups several reports of one study)"), err);
}

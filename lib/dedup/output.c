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
 *
 * The kept record's abstract - two thirds of a typical line - does not go through json-c
 * when its text as written is what json-c would write back: json-c parses the line with
 * the abstract cut to one letter (dd_skim_line), and that string is given a serializer
 * of its own that writes the text from the line (raw_abstract_to_json).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <json-c/printbuf.h>
#include "winnow/alloc.h"
#include "winnow/jsonl.h"
#include "winnow/record.h"
#include "dd.h"

#define NIL UINT32_MAX

#define fill_fields dd_fill_fields

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

#define FILL_BIT_ABSTRACT 1

/* A line parsed again. It parsed when it was read (and a skimmed copy parses exactly
 * when its line does): failing now is running out of memory. */
static json_object *parse_line(json_tokener *tok, const char *line, size_t len, struct wn_err *err)
{
	json_object *o;

	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    dd_json_parse_checked(tok, line, len, &o, err) < 0) {
		json_object_put(o);
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	return o;
}

/* Parse the raw line of record i. With skim, its abstract is left out (dd_skim_line):
 * a member's abstract is never taken when the kept record has one, and it is most of
 * the line. */
static json_object *parse_rec(struct wn_dedup *d, json_tokener *tok, uint32_t i, int skim,
			      struct wn_buf *buf, struct wn_buf *skimbuf, struct wn_err *err)
{
	const char *line;
	size_t len;

	if (dd_raw_line(d, d->recs[i], buf, &line, &len, err) < 0)
		return NULL;
	if (skim && dd_skim_line(line, len, skimbuf, &line, &len, NULL, NULL, err) < 0)
		return NULL;
	return parse_line(tok, line, len, err);
}

/* The kept record's abstract as written in its line, quotes included. */
struct raw_text {
	const char *p;
	size_t n;
};

/* Is JSON string text s[0..n) (valid: dd_skim_line checked it) exactly what json-c
 * writes back for the string it reads from it? json-c (0.16, json_escape_str) writes a
 * byte as it is unless it is a quote, a backslash or below 0x20 - with
 * JSON_C_TO_STRING_NOSLASHESCAPE (wn_json_compact), '/' too; bytes of 0x7F and above
 * are written as they are. Those it escapes it writes as \" \\ \b \f \n \r \t, or \u00XX.
 * The text checked by the skim holds no byte below 0x20, no bare quote or backslash;
 * so it comes back the same unless an escape is \/ (written back as '/') or \uXXXX
 * (written back as UTF-8 or otherwise). A unit test holds the linked json-c to this
 * (test_output_raw.c). */
static int same_when_rewritten(const char *s, size_t n)
{
	const char *p = s, *e = s + n;

	while ((p = memchr(p, '\\', (size_t)(e - p))) != NULL) {
		if (p + 1 >= e || !strchr("\"\\bfnrt", p[1]) || p[1] == '\0')
			return 0;
		p += 2;
	}
	return 1;
}

/* The serializer of the kept record's abstract: its text from the line. A failed
 * append must fail the whole serialisation (json-c then returns NULL, and
 * wn_json_compact "out of memory"), never give a record without its abstract. Right
 * for the flags of wn_json_compact only (same_when_rewritten). */
static int raw_abstract_to_json(json_object *jso, struct printbuf *pb, int level, int flags)
{
	const struct raw_text *t = json_object_get_userdata(jso);

	(void)level;
	(void)flags;
	if (!t || t->n > INT_MAX || printbuf_memappend(pb, t->p, (int)t->n) < 0) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Parse the kept record k. When its abstract can be written back as it is written
 * (same_when_rewritten), json-c reads the line with the abstract skimmed, and the
 * abstract's string writes the text from the line (raw, which must outlive the
 * object's serialisation, as must the line: read into buf, which nothing else uses
 * meanwhile). Else the whole line, as parse_rec. */
static json_object *parse_kept(struct wn_dedup *d, json_tokener *tok, uint32_t k,
			       struct wn_buf *buf, struct wn_buf *skimbuf, struct raw_text *raw,
			       struct wn_err *err)
{
	const char *line, *sk;
	size_t len, sklen, off, alen;
	json_object *o, *v;
	int rc;

	if (dd_raw_line(d, d->recs[k], buf, &line, &len, err) < 0)
		return NULL;
	rc = dd_skim_line(line, len, skimbuf, &sk, &sklen, &off, &alen, err);
	if (rc < 0)
		return NULL;
	if (rc == 1 && same_when_rewritten(line + off, alen)) {
		uint64_t tree_bytes = 0, text_bytes;
		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, sk, (int)sklen);
		/* as many values in the tree as in the text, and no fewer string bytes:
		 * nothing lost to a failed allocation, and no member name twice - so the
		 * tree's "abstract" is the one cut to a letter (json-c keeps the last of two) */
		if (o && json_tokener_get_error(tok) == json_tokener_success &&
		    wn_json_tree_counts(o, &tree_bytes) == wn_json_text_counts(sk, sklen, &text_bytes) &&
		    tree_bytes >= text_bytes &&
		    json_object_object_get_ex(o, WN_F_ABSTRACT, &v) &&
		    json_object_is_type(v, json_type_string) && json_object_get_string_len(v) == 1) {
			raw->p = line + off - 1;
			raw->n = alen + 2;
			json_object_set_serializer(v, raw_abstract_to_json, raw, NULL);
			return o;
		}
		json_object_put(o); /* anything else: the whole line, checked as usual */
	}
	return parse_line(tok, line, len, err);
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

/* Does record r have a DOI (normalised) that ref has not? */
static int new_doi(const struct dd_rec *r, const struct dd_rec *ref)
{
	const char *p = r->dois, *e = r->dois + r->dois_len;

	while (p < e) {
		const char *q = memchr(p, '\n', (size_t)(e - p)), *x, *xe;
		int found = 0;
		if (!q)
			q = e;
		for (x = ref ? ref->dois : "", xe = x + (ref ? ref->dois_len : 0); x < xe && !found;) {
			const char *xq = memchr(x, '\n', (size_t)(xe - x));
			if (!xq)
				xq = xe;
			found = xq - x == q - p && memcmp(x, p, (size_t)(q - p)) == 0;
			x = xq + 1;
		}
		if (!found)
			return 1;
		p = q + 1;
	}
	return 0;
}

/* The record whose `field` (fill bit) the kept record k ends up with: k itself, or the
 * first member in keep order that has it (the fill rule of merge_cluster). */
static const struct dd_rec *field_source(const struct wn_dedup *d, uint32_t k, unsigned bit)
{
	uint32_t m;

	for (m = k; m != NIL; m = d->next_member[m])
		if (d->recs[m]->fields & (1u << bit))
			return d->recs[m];
	return NULL;
}

#define FILL_BIT_DOI 12
#define FILL_BIT_PMID 13

/* The entry of `duplicates` for record m, absorbed by the cluster kept by k: id, source,
 * source_id, rule, score, and its DOI or PMID when the kept record does not carry it
 * (compared as identifiers: case and URL form do not count). */
static json_object *dup_entry(struct wn_dedup *d, uint32_t k, uint32_t m, struct wn_err *err)
{
	json_object *e = json_object_new_object();
	const struct dd_edge *via = d->via[m];
	const struct dd_rec *r = d->recs[m];
	const struct dd_rec *rd = field_source(d, k, FILL_BIT_DOI);
	const struct dd_rec *rp = field_source(d, k, FILL_BIT_PMID);

	if (!e) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	if (add_str(e, "id", r->id, err) < 0 || add_str(e, "source", r->source, err) < 0 ||
	    add_str(e, "source_id", r->source_id, err) < 0 ||
	    add_str(e, "rule", dd_rule_name(via ? via->rule : DD_R_MANUAL), err) < 0 ||
	    add_obj(e, "score", dd_score_json(via ? via->score : 1.0), err) < 0 ||
	    (r->doi_raw && r != rd && new_doi(r, rd) && add_str(e, "doi", r->doi_raw, err) < 0) ||
	    (r->pmid_raw && r != rp && !(rp && rp->pmid == r->pmid && r->pmid) &&
	     add_str(e, "pmid", r->pmid_raw, err) < 0)) {
		json_object_put(e);
		return NULL;
	}
	return e;
}

/* Buffers of one merging thread. The kept record's line has a buffer of its own: its
 * abstract is written from it (raw) after the members' lines were read into line. */
struct merge_bufs {
	struct wn_buf line, kept, skim;
	struct raw_text raw;
};

/* The kept record of a cluster, with its duplicates merged in. New reference; its
 * abstract may be written from b->kept or the input (parse_kept): serialise it before
 * b is used again. */
static json_object *merge_cluster(struct wn_dedup *d, json_tokener *tok, uint32_t kept,
				  struct merge_bufs *b, struct wn_err *err)
{
	int skim = (d->recs[kept]->fields >> FILL_BIT_ABSTRACT) & 1;
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
		o[n] = m == kept ? parse_kept(d, tok, m, &b->kept, &b->skim, &b->raw, err)
				 : parse_rec(d, tok, m, skim, &b->line, &b->skim, err);
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
		json_object *e, *x;
		e = dup_entry(d, kept, m, err);
		if (!e)
			goto fail;
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

/* Can the kept record k be written by appending "duplicates" to its line, without
 * parsing anything? When it has only known fields and no earlier "duplicates", and no
 * member has a field (or an ISSN) it lacks, nor an earlier "duplicates" of its own. */
static int fast_merge_ok(const struct wn_dedup *d, uint32_t k)
{
	const struct dd_rec *kr = d->recs[k];
	uint32_t m;

	if (kr->rflags)
		return 0;
	for (m = d->next_member[k]; m != NIL; m = d->next_member[m]) {
		const struct dd_rec *r = d->recs[m];
		size_t i, j;
		if (r->rflags & (DD_R_HAS_DUPS | DD_R_LONG_ID))
			return 0;
		if (r->fields & ~kr->fields)
			return 0;
		for (i = 0; i < r->nissn; i++) {
			int have = 0;
			for (j = 0; j < kr->nissn; j++)
				have |= r->issn[i] == kr->issn[j];
			if (!have)
				return 0;
		}
	}
	return 1;
}

/* line[0..len) with ,"duplicates":[...] added before its closing brace, into out. */
static int append_duplicates(struct wn_dedup *d, uint32_t k, const char *line, size_t len,
			     struct wn_buf *out, struct wn_err *err)
{
	json_object *arr = json_object_new_array();
	const char *js;
	size_t jn, end = len, before;
	uint32_t m;
	int rc = -1;

	if (!arr)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (m = d->next_member[k]; m != NIL; m = d->next_member[m]) {
		json_object *e = dup_entry(d, k, m, err);
		if (!e || json_object_array_add(arr, e) != 0) {
			json_object_put(e);
			if (e)
				wn_err_set(err, WN_ENOMEM, "out of memory");
			goto out;
		}
	}
	js = wn_json_compact(arr, &jn);
	if (!js) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	while (end > 0 && line[end - 1] != '}')
		end--;
	if (end == 0) {
		wn_err_set(err, WN_EFORMAT, "internal error: a record line without '}'");
		goto out;
	}
	end--; /* the closing brace */
	before = end;
	while (before > 0 && (line[before - 1] == ' ' || line[before - 1] == '\t' ||
			      line[before - 1] == '\r' || line[before - 1] == '\n'))
		before--;
	if (wn_buf_add(out, line, end, err) < 0 ||
	    (before > 0 && line[before - 1] != '{' && wn_buf_addc(out, ',', err) < 0) ||
	    wn_buf_adds(out, "\"duplicates\":", err) < 0 || wn_buf_add(out, js, jn, err) < 0 ||
	    wn_buf_add(out, "}\n", 2, err) < 0)
		goto out;
	rc = 0;
out:
	json_object_put(arr);
	return rc;
}

/* ---------------------------------------------------------------- the output pass */

/* Records are written in windows of batches. The lines of kept records that absorbed
 * others are prepared first, in parallel (each is independent of the others); then the
 * window is written in input order. A window bounds the memory of prepared lines. */
#define WINDOW_BATCHES 4
#define MERGE_CHUNK 32

struct prepared {
	char *line;
	size_t len;
};

struct merge_ctx {
	struct wn_dedup *d;
	const uint32_t *kept;      /* kept records with members, in input order */
	struct prepared *out;
};

static int merge_range(void *ctx, size_t chunk, size_t begin, size_t end, struct wn_err *err)
{
	struct merge_ctx *c = ctx;
	struct wn_dedup *d = c->d;
	json_tokener *tok = json_tokener_new();
	struct merge_bufs mb;
	struct wn_buf out;
	size_t i;
	int rc = -1;

	(void)chunk;
	memset(&mb, 0, sizeof(mb));
	wn_buf_init(&mb.line, 0);
	wn_buf_init(&mb.kept, 0);
	wn_buf_init(&mb.skim, 0);
	wn_buf_init(&out, 0);
	if (!tok)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	for (i = begin; i < end; i++) {
		uint32_t g = c->kept[i];

		wn_buf_reset(&out);
		if (fast_merge_ok(d, g)) {
			const char *raw;
			size_t len;
			if (dd_raw_line(d, d->recs[g], &mb.line, &raw, &len, err) < 0 ||
			    append_duplicates(d, g, raw, len, &out, err) < 0)
				goto done;
		} else {
			json_object *rec = merge_cluster(d, tok, g, &mb, err);
			const char *js;
			size_t jn;
			if (!rec)
				goto done;
			js = wn_json_compact(rec, &jn);
			if (!js || wn_buf_add(&out, js, jn, err) < 0 || wn_buf_addc(&out, '\n', err) < 0) {
				json_object_put(rec);
				if (!js)
					wn_err_set(err, WN_ENOMEM, "out of memory");
				goto done;
			}
			json_object_put(rec);
		}
		c->out[i].line = wn_buf_detach(&out, &c->out[i].len, err);
		if (!c->out[i].line)
			goto done;
	}
	rc = 0;
done:
	json_tokener_free(tok);
	wn_buf_release(&mb.line);
	wn_buf_release(&mb.kept);
	wn_buf_release(&mb.skim);
	wn_buf_release(&out);
	return rc;
}

/* One window, prepared: the kept records with members in input order and their lines. */
struct window {
	size_t w0, w1;             /* batches [w0, w1) */
	uint32_t *kept;
	struct prepared *prep;
	size_t nk;
};

static void window_free(struct window *w)
{
	size_t i;

	for (i = 0; i < w->nk; i++)
		wn_free(w->prep[i].line);
	wn_free(w->prep);
	wn_free(w->kept);
	memset(w, 0, sizeof(*w));
}

/* The window's kept records with members, and their merged lines (in parallel). */
static int prepare_window(struct wn_dedup *d, struct window *w, struct wn_err *err)
{
	size_t kcap = 0, bi, i;
	struct merge_ctx mc;

	for (bi = w->w0; bi < w->w1; bi++) {
		struct dd_batch *b = d->batches[bi];
		for (i = 0; i < b->nrecs; i++) {
			uint32_t g = b->base + (uint32_t)i;
			if (d->kept[g] == g && d->next_member[g] != NIL) {
				if (dd_grow((void **)&w->kept, &kcap, w->nk + 1, sizeof(*w->kept), err) < 0)
					return -1;
				w->kept[w->nk++] = g;
			}
		}
	}
	w->prep = wn_calloc(w->nk ? w->nk : 1, sizeof(*w->prep));
	if (!w->prep) {
		w->nk = 0; /* nothing prepared to free */
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	mc.d = d;
	mc.kept = w->kept;
	mc.out = w->prep;
	return dd_parallel(d->threads, w->nk, MERGE_CHUNK, merge_range, &mc, err);
}

/* Output is gathered into blocks of STAGE_BYTES before it is written: the runs of
 * unchanged lines between merged records are a few kilobytes, and stdio's own buffer
 * (4 KiB) turned a gigabyte of output into a quarter of a million write calls. */
#define STAGE_BYTES ((size_t)1 << 20)

struct stage {
	FILE *out;
	struct wn_buf buf;
};

static int stage_flush(struct stage *st, struct wn_err *err)
{
	int rc = write_all(st->out, st->buf.data, st->buf.len, err);

	wn_buf_reset(&st->buf);
	return rc;
}

static int stage_put(struct stage *st, const char *p, size_t n, struct wn_err *err)
{
	if (st->buf.len + n > STAGE_BYTES && stage_flush(st, err) < 0)
		return -1;
	if (n >= STAGE_BYTES)
		return write_all(st->out, p, n, err);
	return wn_buf_add(&st->buf, p, n, err);
}

/* Write a prepared window in input order: runs of unchanged lines as they were read,
 * kept records with members from their prepared lines; removed records not at all. */
static int write_window(struct wn_dedup *d, struct stage *out, const struct window *w,
			struct wn_buf *batchbuf, struct wn_err *err)
{
	size_t next = 0, bi, i;

	for (bi = w->w0; bi < w->w1; bi++) {
		struct dd_batch *b = d->batches[bi];
		const char *raw;
		size_t run_start = 0, run_end = 0;
		int in_run = 0;

		if (b->nrecs == 0)
			continue;
		if (dd_batch_raw(d, b, batchbuf, &raw, err) < 0)
			return -1;
		for (i = 0; i < b->nrecs; i++) {
			uint32_t g = b->base + (uint32_t)i;
			const struct dd_rec *r = &b->recs[i];

			if (d->kept[g] == g && d->next_member[g] == NIL) {
				/* unchanged: extend the run of lines written as they are */
				if (in_run && r->off == run_end) {
					run_end = r->off + r->len + 1;
				} else {
					if (in_run && stage_put(out, raw + run_start, run_end - run_start, err) < 0)
						return -1;
					run_start = r->off;
					run_end = r->off + r->len + 1;
					in_run = 1;
				}
				if (b->mapped && (r->off + r->len >= b->raw_len || raw[r->off + r->len] != '\n')) {
					/* a line of the mapped file that ends in CR LF, CR or
					 * nothing: written with the LF that ends every output line */
					if (stage_put(out, raw + run_start, run_end - 1 - run_start, err) < 0 ||
					    stage_put(out, "\n", 1, err) < 0)
						return -1;
					in_run = 0;
				}
				continue;
			}
			if (in_run && stage_put(out, raw + run_start, run_end - run_start, err) < 0)
				return -1;
			in_run = 0;
			if (d->kept[g] == g) {
				/* prepared in the same order */
				if (stage_put(out, w->prep[next].line, w->prep[next].len, err) < 0)
					return -1;
				next++;
			}
		}
		if (in_run && stage_put(out, raw + run_start, run_end - run_start, err) < 0)
			return -1;
	}
	return 0;
}

/* The pages of a mapped input that a written window no longer needs. Its own lines are
 * done with; merging also read duplicates' lines, from anywhere in the file, and those
 * pages are given back every RELEASE_ALL windows (one walk of the whole mapping per
 * window cost more than the faults it saved). */
#define RELEASE_ALL 4

static void release_window(struct wn_dedup *d, const struct window *w)
{
	if ((w->w0 / WINDOW_BATCHES) % RELEASE_ALL == RELEASE_ALL - 1 || w->w1 == d->nbatches)
		dd_maps_release(d, 0, d->nbatches);
	else
		dd_maps_release(d, w->w0, w->w1);
}

/* With more than one thread, window k is written by a thread of its own while window
 * k+1 is prepared: writing a gigabyte costs the kernel about as much time as merging
 * costs us, and the two need not wait for each other. One window is handed over at a
 * time (the hand-off slot), so at most two windows' prepared lines are in memory. */
struct writer {
	struct wn_dedup *d;
	FILE *out;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct window slot;
	int full, closing, failed;
	struct wn_err err;
};

static void *writer_main(void *arg)
{
	struct writer *wr = arg;
	struct wn_buf batchbuf;
	struct stage st;
	struct window w;
	int rc = 0;

	wn_buf_init(&batchbuf, 0);
	st.out = wr->out;
	wn_buf_init(&st.buf, 0);
	for (;;) {
		pthread_mutex_lock(&wr->lock);
		while (!wr->full && !wr->closing)
			pthread_cond_wait(&wr->cond, &wr->lock);
		if (!wr->full) {
			pthread_mutex_unlock(&wr->lock);
			break;
		}
		w = wr->slot;
		pthread_mutex_unlock(&wr->lock);
		rc = write_window(wr->d, &st, &w, &batchbuf, &wr->err);
		release_window(wr->d, &w);
		window_free(&w);
		pthread_mutex_lock(&wr->lock);
		wr->full = 0;
		if (rc < 0)
			wr->failed = 1;
		pthread_cond_broadcast(&wr->cond);
		pthread_mutex_unlock(&wr->lock);
		if (rc < 0)
			break;
	}
	if (rc == 0 && stage_flush(&st, &wr->err) < 0) {
		pthread_mutex_lock(&wr->lock);
		wr->failed = 1;
		pthread_mutex_unlock(&wr->lock);
	}
	wn_buf_release(&st.buf);
	wn_buf_release(&batchbuf);
	return NULL;
}

/* Hand w to the writer once it has taken the previous one. Returns -1 if the writer
 * failed (its error is reported by the caller). */
static int writer_put(struct writer *wr, struct window *w)
{
	int failed;

	pthread_mutex_lock(&wr->lock);
	while (wr->full && !wr->failed)
		pthread_cond_wait(&wr->cond, &wr->lock);
	failed = wr->failed;
	if (!failed) {
		wr->slot = *w;
		memset(w, 0, sizeof(*w));
		wr->full = 1;
		pthread_cond_broadcast(&wr->cond);
	}
	pthread_mutex_unlock(&wr->lock);
	return failed ? -1 : 0;
}

static int write_serial(struct wn_dedup *d, FILE *out, struct wn_err *err)
{
	struct wn_buf batchbuf;
	struct stage st;
	size_t w0;
	int rc = 0;

	wn_buf_init(&batchbuf, 0);
	st.out = out;
	wn_buf_init(&st.buf, 0);
	for (w0 = 0; w0 < d->nbatches && rc == 0; w0 += WINDOW_BATCHES) {
		struct window w = { 0 };
		w.w0 = w0;
		w.w1 = w0 + WINDOW_BATCHES < d->nbatches ? w0 + WINDOW_BATCHES : d->nbatches;
		rc = prepare_window(d, &w, err);
		if (rc == 0)
			rc = write_window(d, &st, &w, &batchbuf, err);
		release_window(d, &w);
		window_free(&w);
	}
	if (rc == 0)
		rc = stage_flush(&st, err);
	wn_buf_release(&st.buf);
	wn_buf_release(&batchbuf);
	return rc;
}

int dd_write_unique(struct wn_dedup *d, FILE *out, struct wn_err *err)
{
	struct writer wr;
	pthread_t tid;
	size_t w0;
	int rc = 0, failed;

	if (d->threads < 2 || d->nbatches < 2)
		return write_serial(d, out, err);
	memset(&wr, 0, sizeof(wr));
	wr.d = d;
	wr.out = out;
	if (pthread_mutex_init(&wr.lock, NULL) != 0)
		return write_serial(d, out, err);
	if (pthread_cond_init(&wr.cond, NULL) != 0) {
		pthread_mutex_destroy(&wr.lock);
		return write_serial(d, out, err);
	}
	if (pthread_create(&tid, NULL, writer_main, &wr) != 0) {
		pthread_cond_destroy(&wr.cond);
		pthread_mutex_destroy(&wr.lock);
		return write_serial(d, out, err);
	}
	for (w0 = 0; w0 < d->nbatches; w0 += WINDOW_BATCHES) {
		struct window w = { 0 };
		w.w0 = w0;
		w.w1 = w0 + WINDOW_BATCHES < d->nbatches ? w0 + WINDOW_BATCHES : d->nbatches;
		rc = prepare_window(d, &w, err);
		if (rc == 0 && writer_put(&wr, &w) < 0)
			rc = 1; /* the writer's error */
		window_free(&w); /* empty if handed over */
		if (rc)
			break;
	}
	pthread_mutex_lock(&wr.lock);
	wr.closing = 1;
	pthread_cond_broadcast(&wr.cond);
	pthread_mutex_unlock(&wr.lock);
	pthread_join(tid, NULL);
	failed = wr.failed;
	pthread_cond_destroy(&wr.cond);
	pthread_mutex_destroy(&wr.lock);
	if (failed && rc >= 0) {
		/* the first error: the writer's, unless preparing failed first */
		if (err)
			*err = wr.err;
		return -1;
	}
	return rc < 0 ? -1 : 0;
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

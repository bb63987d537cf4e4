/*
 * recindex.c - records file index (see recindex.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/alloc.h"
#include "winnow/input.h"
#include "winnow/jsonl.h"
#include "winnow/recindex.h"
#include "winnow/record.h"

void wn_recindex_init(struct wn_recindex *ri)
{
	memset(ri, 0, sizeof(*ri));
	wn_buf_init(&ri->data, 0);
	wn_idmap_init(&ri->ids);
}

void wn_recindex_release(struct wn_recindex *ri)
{
	wn_buf_release(&ri->data);
	wn_free(ri->recs);
	wn_idmap_release(&ri->ids);
	wn_free(ri->name);
	wn_recindex_init(ri);
}

static int report(struct wn_recindex *ri, wn_recindex_bad_fn bad, void *data, unsigned long lineno,
		  struct wn_err *err, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int report(struct wn_recindex *ri, wn_recindex_bad_fn bad, void *data, unsigned long lineno,
		  struct wn_err *err, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;
	int n;

	ri->bad++;
	n = snprintf(msg, sizeof(msg), "'%s' line %lu: ", ri->name, lineno);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	if (!bad)
		return wn_err_set(err, WN_EFORMAT, "%s", msg);
	bad(msg, data);
	return 0;
}

int wn_recindex_load(struct wn_recindex *ri, const char *path, wn_recindex_bad_fn bad,
		     void *data, struct wn_err *err)
{
	struct wn_input *in;
	json_tokener *tok;
	size_t pos = 0;
	unsigned long lineno = 0;
	int rc = 0;

	in = wn_input_open(path, NULL, err);
	if (!in)
		return -1;
	ri->name = wn_strdup(wn_input_name(in));
	if (!ri->name) {
		wn_input_close(in);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (wn_input_slurp(in, &ri->data, err) < 0) {
		wn_input_close(in);
		return -1;
	}
	wn_input_close(in);
	tok = json_tokener_new();
	if (!tok)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	while (pos < ri->data.len && rc == 0) {
		const char *line = ri->data.data + pos;
		const char *nl = memchr(line, '\n', ri->data.len - pos);
		size_t len = nl ? (size_t)(nl - line) : ri->data.len - pos, next = pos + len + 1;
		json_object *rec = NULL, *idv;
		struct wn_err lerr;
		const char *id;
		long k;
		int added;

		lineno++;
		if (len && line[len - 1] == '\r')
			len--;
		while (len && wn_isspace((unsigned char)line[len - 1]))
			len--;
		if (len == 0) {
			pos = next;
			continue;
		}
		ri->lines++;
		/* the record stream's own rules (jsonl.h); an allocation failure inside json-c
		 * is an error, never a "bad line" that would drop a record */
		switch (wn_jsonl_parse_line(tok, line, len, ri->name, lineno, &rec, &lerr)) {
		case WN_JSONL_OK:
			break;
		case WN_JSONL_BAD:
			ri->bad++;
			if (!bad) {
				rc = wn_err_set(err, lerr.code, "%s", lerr.msg);
			} else {
				bad(lerr.msg, data);
			}
			pos = next;
			continue;
		default:
			rc = wn_err_set(err, lerr.code ? lerr.code : WN_ENOMEM, "%s", lerr.msg);
			goto done;
		}
		if (!json_object_is_type(rec, json_type_object)) {
			json_object_put(rec);
			rc = report(ri, bad, data, lineno, err, "%s",
				    "not a JSON record (each line of the record stream is one JSON object)");
			pos = next;
			continue;
		}
		if (!json_object_object_get_ex(rec, WN_F_ID, &idv) || !json_object_is_type(idv, json_type_string) ||
		    !*(id = json_object_get_string(idv))) {
			json_object_put(rec);
			ri->no_id++;
			rc = report(ri, bad, data, lineno, err, "%s",
				    "a record without an \"id\" (decisions key on it; was it made by winnow-fetch?)");
			pos = next;
			continue;
		}
		k = wn_idmap_intern(&ri->ids, id, (size_t)json_object_get_string_len(idv), &added, err);
		if (k < 0) {
			json_object_put(rec);
			rc = -1;
			break;
		}
		if (!added) {
			ri->dup++;
			rc = report(ri, bad, data, lineno, err,
				    "record id '%.200s' appeared before in this file (the first copy is used)", id);
			json_object_put(rec);
			pos = next;
			continue;
		}
		json_object_put(rec);
		if (ri->n == ri->cap) {
			size_t ncap = ri->cap ? ri->cap * 2 : 1024;
			struct wn_recindex_rec *p = wn_reallocarray(ri->recs, ncap, sizeof(*p));
			if (!p) {
				rc = wn_err_set(err, WN_ENOMEM, "out of memory");
				break;
			}
			ri->recs = p;
			ri->cap = ncap;
		}
		ri->recs[ri->n].off = pos;
		ri->recs[ri->n].len = len;
		ri->recs[ri->n].lineno = lineno;
		ri->n++;
		pos = next;
	}
done:
	json_tokener_free(tok);
	return rc;
}

json_object *wn_recindex_get(const struct wn_recindex *ri, size_t i, struct wn_err *err)
{
	json_tokener *tok;
	json_object *rec;

	if (i >= ri->n) {
		wn_err_set(err, WN_EUSAGE, "no record %zu", i);
		return NULL;
	}
	tok = json_tokener_new();
	if (!tok) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	rec = json_tokener_parse_ex(tok, ri->data.data + ri->recs[i].off, (int)ri->recs[i].len);
	json_tokener_free(tok);
	if (!rec)
		wn_err_set(err, WN_ENOMEM, "out of memory");
	return rec;
}

uint64_t wn_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound) by rejection (no modulo bias). */
static uint64_t bounded(uint64_t *state, uint64_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound, r;

	do
		r = wn_splitmix64(state);
	while (r >= limit);
	return r % bound;
}

void wn_shuffle(size_t *idx, size_t n, uint64_t seed)
{
	uint64_t state = seed;
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = (size_t)bounded(&state, i), t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}

/*
 * record.c - typed access to records, canonical field order, and the record builder
 * (see record.h).
 *
 * Known field names are stored as constant keys (JSON_C_OBJECT_KEY_IS_CONSTANT) taken
 * from the order table, which saves a strdup per field on the import hot path; every
 * other key is copied by json-c.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/hash.h"
#include "winnow/record.h"
#include "winnow/utf8.h"

const char *const wn_record_field_order[] = {
	WN_F_ID, WN_F_SOURCE, WN_F_SOURCE_ID, WN_F_ORIGIN, WN_F_TYPE, WN_F_TITLE,
	WN_F_ABSTRACT, WN_F_AUTHORS, WN_F_YEAR, WN_F_DATE, WN_F_JOURNAL,
	WN_F_JOURNAL_ABBREV, WN_F_ISSN, WN_F_ISBN, WN_F_VOLUME, WN_F_ISSUE, WN_F_PAGES,
	WN_F_DOI, WN_F_PMID, WN_F_PMCID, WN_F_LANGUAGE, WN_F_PUBTYPES, WN_F_MESH,
	WN_F_KEYWORDS, WN_F_URL, WN_F_PUBLISHER, WN_F_NOTICES, WN_F_EXTRA,
	WN_F_DUPLICATES, NULL
};

/* Lengths of the names in wn_record_field_order, same order: comparing a length first
 * makes the lookup below cheap (it runs for every field of every record). */
static const unsigned char field_len[] = {
	2, 6, 9, 6, 4, 5, 8, 7, 4, 4, 7, 14, 4, 4, 6, 5, 5, 3, 4, 5, 8, 8, 4, 8, 3, 9, 7, 5, 10
};

_Static_assert(sizeof(field_len) == sizeof(wn_record_field_order) / sizeof(wn_record_field_order[0]) - 1,
	       "field_len must match wn_record_field_order");

static int field_rank(const char *key)
{
	size_t n = strlen(key);
	int i;

	for (i = 0; wn_record_field_order[i]; i++) {
		if (field_len[i] == n && wn_record_field_order[i][0] == key[0] &&
		    memcmp(wn_record_field_order[i], key, n) == 0)
			return i;
	}
	return -1;
}

/* The constant key for a known field name, or NULL. */
static const char *known_key(const char *field)
{
	int r = field_rank(field);

	return r < 0 ? NULL : wn_record_field_order[r];
}

/* Add or replace key -> val; consumes val's reference even on failure. */
static int put(json_object *obj, const char *key, json_object *val, struct wn_err *err)
{
	const char *k = known_key(key);
	int rc;

	if (!val)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (k && !json_object_object_get_ex(obj, k, NULL))
		rc = json_object_object_add_ex(obj, k, val, JSON_C_OBJECT_ADD_KEY_IS_NEW |
								 JSON_C_OBJECT_KEY_IS_CONSTANT);
	else
		rc = json_object_object_add(obj, key, val);
	if (rc != 0) {
		json_object_put(val);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

json_object *wn_record_new(struct wn_err *err)
{
	json_object *o = wn_alloc_should_fail() ? NULL : json_object_new_object();

	if (!o)
		wn_err_set(err, WN_ENOMEM, "out of memory");
	return o;
}

const char *wn_record_get(json_object *rec, const char *field)
{
	json_object *v;

	if (!rec || !json_object_object_get_ex(rec, field, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int64_t wn_record_get_int(json_object *rec, const char *field, int64_t dflt)
{
	json_object *v;

	if (!rec || !json_object_object_get_ex(rec, field, &v))
		return dflt;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		int64_t n = 0;
		if (!*s)
			return dflt;
		for (; *s; s++) {
			if (!wn_isdigit((unsigned char)*s) || n > 100000000)
				return dflt;
			n = n * 10 + (*s - '0');
		}
		return n;
	}
	return dflt;
}

size_t wn_record_count(json_object *rec, const char *field)
{
	json_object *v;

	if (!rec || !json_object_object_get_ex(rec, field, &v))
		return 0;
	if (json_object_is_type(v, json_type_array))
		return json_object_array_length(v);
	return json_object_is_type(v, json_type_string) ? 1 : 0;
}

const char *wn_record_item(json_object *rec, const char *field, size_t i)
{
	json_object *v, *it;

	if (!rec || !json_object_object_get_ex(rec, field, &v))
		return NULL;
	if (json_object_is_type(v, json_type_string))
		return i == 0 ? json_object_get_string(v) : NULL;
	if (!json_object_is_type(v, json_type_array) || i >= json_object_array_length(v))
		return NULL;
	it = json_object_array_get_idx(v, i);
	return json_object_is_type(it, json_type_string) ? json_object_get_string(it) : NULL;
}

int wn_record_set(json_object *rec, const char *field, const char *s, size_t n,
		  struct wn_err *err)
{
	if (n == 0) {
		json_object_object_del(rec, field);
		return 0;
	}
	return put(rec, field, wn_alloc_should_fail() ? NULL : json_object_new_string_len(s, (int)n), err);
}

int wn_record_set_int(json_object *rec, const char *field, int64_t v, struct wn_err *err)
{
	return put(rec, field, wn_alloc_should_fail() ? NULL : json_object_new_int64(v), err);
}

static int is_canonical(json_object *rec)
{
	int last = -1, seen_unknown = 0;

	json_object_object_foreach(rec, key, val) {
		int r = field_rank(key);
		(void)val;
		if (r < 0) {
			seen_unknown = 1;
			continue;
		}
		if (seen_unknown || r < last)
			return 0;
		last = r;
	}
	return 1;
}

/* Move every field of src into dst in canonical order (dst must be empty). */
static int move_fields(json_object *dst, json_object *src, struct wn_err *err)
{
	size_t i;
	json_object *v;

	for (i = 0; wn_record_field_order[i]; i++) {
		if (json_object_object_get_ex(src, wn_record_field_order[i], &v)) {
			if (put(dst, wn_record_field_order[i], json_object_get(v), err) < 0)
				return -1;
		}
	}
	{
		json_object_object_foreach(src, key, val) {
			if (field_rank(key) >= 0)
				continue;
			if (json_object_object_add(dst, key, json_object_get(val)) != 0) {
				json_object_put(val);
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			}
		}
	}
	return 0;
}

int wn_record_canonicalize(json_object *rec, struct wn_err *err)
{
	json_object *tmp;
	size_t nkeys, i;
	char **keys;

	if (is_canonical(rec))
		return 0;
	tmp = wn_record_new(err);
	if (!tmp)
		return -1;
	if (move_fields(tmp, rec, err) < 0) {
		json_object_put(tmp);
		return -1;
	}
	/* Empty rec, then move tmp's fields back (in tmp's order). Keys of rec are freed
	 * by del, so collect them first. */
	nkeys = (size_t)json_object_object_length(rec);
	keys = wn_calloc(nkeys ? nkeys : 1, sizeof(*keys));
	if (!keys) {
		json_object_put(tmp);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	i = 0;
	{
		json_object_object_foreach(rec, key, val) {
			(void)val;
			keys[i++] = key;
		}
	}
	for (i = 0; i < nkeys; i++) {
		char *k = wn_strdup(keys[i]);
		if (!k) {
			size_t j;
			for (j = 0; j < i; j++)
				wn_free(keys[j]);
			wn_free(keys);
			json_object_put(tmp);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		keys[i] = k;
	}
	for (i = 0; i < nkeys; i++) {
		json_object_object_del(rec, keys[i]);
		wn_free(keys[i]);
	}
	wn_free(keys);
	{
		json_object_object_foreach(tmp, key, val) {
			if (put(rec, key, json_object_get(val), err) < 0) {
				json_object_put(tmp);
				return -1;
			}
		}
	}
	json_object_put(tmp);
	return 0;
}

/* ---- builder ---- */

void wn_recb_init(struct wn_recb *b)
{
	b->rec = NULL;
	wn_buf_init(&b->scratch, 0);
	memset(&b->text, 0, sizeof(b->text));
	b->seen = NULL;
	b->seen_cap = b->seen_used = 0;
}

void wn_recb_release(struct wn_recb *b)
{
	if (b->rec)
		json_object_put(b->rec);
	b->rec = NULL;
	wn_buf_release(&b->scratch);
	wn_free(b->seen);
	b->seen = NULL;
	b->seen_cap = b->seen_used = 0;
}

int wn_recb_begin(struct wn_recb *b, struct wn_err *err)
{
	if (b->rec)
		json_object_put(b->rec);
	if (b->seen_used) {
		memset(b->seen, 0, b->seen_cap * sizeof(*b->seen));
		b->seen_used = 0;
	}
	b->rec = wn_record_new(err);
	return b->rec ? 0 : -1;
}

/*
 * The list values of the record being built, as hashes of (field, value): makes
 * WN_RECB_UNIQUE O(1) per value, so an export with 100,000 keywords in one record is not
 * quadratic. 64-bit hashes: a false "already there" would need a collision among the
 * values of one record.
 */
static uint64_t seen_hash(const char *field, const char *s, size_t n)
{
	struct wn_hasher h;

	wn_hasher_init(&h);
	wn_hasher_add(&h, field, strlen(field) + 1);
	wn_hasher_add(&h, s, n);
	return wn_hasher_final(&h) | 1; /* 0 marks an empty slot */
}

/* 1 if h was new (and is now recorded), 0 if present, -1 on allocation failure. */
static int seen_insert(struct wn_recb *b, uint64_t h, struct wn_err *err)
{
	size_t j;

	if ((b->seen_used + 1) * 2 > b->seen_cap) {
		size_t ncap = b->seen_cap ? b->seen_cap * 2 : 64, i;
		uint64_t *ns = wn_calloc(ncap, sizeof(*ns));
		if (!ns)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		for (i = 0; i < b->seen_cap; i++) {
			if (!b->seen[i])
				continue;
			for (j = b->seen[i] & (ncap - 1); ns[j]; j = (j + 1) & (ncap - 1))
				;
			ns[j] = b->seen[i];
		}
		wn_free(b->seen);
		b->seen = ns;
		b->seen_cap = ncap;
	}
	for (j = h & (b->seen_cap - 1); b->seen[j]; j = (j + 1) & (b->seen_cap - 1)) {
		if (b->seen[j] == h)
			return 0;
	}
	b->seen[j] = h;
	b->seen_used++;
	return 1;
}

static int clean(struct wn_recb *b, const char *s, size_t n, unsigned flags, struct wn_err *err)
{
	return wn_text_clean(&b->scratch, s, n, flags & WN_TEXT_MULTILINE, &b->text, err);
}

int wn_recb_text(struct wn_recb *b, const char *field, const char *s, size_t n,
		 unsigned flags, struct wn_err *err)
{
	json_object *old;

	if (!b->rec)
		return wn_err_set(err, WN_EUSAGE, "no record begun");
	if (clean(b, s, n, flags, err) < 0)
		return -1;
	if (!b->scratch.len)
		return 0;
	if (json_object_object_get_ex(b->rec, field, &old) && json_object_is_type(old, json_type_string)) {
		if (flags & WN_RECB_KEEP)
			return 0;
		if (flags & WN_RECB_APPEND) {
			const char *o = json_object_get_string(old);
			size_t olen = (size_t)json_object_get_string_len(old);
			struct wn_buf tmp;
			int rc;

			wn_buf_init(&tmp, 0);
			rc = wn_buf_add(&tmp, o, olen, err) < 0 ||
			     wn_buf_addc(&tmp, (flags & WN_TEXT_MULTILINE) ? '\n' : ' ', err) < 0 ||
			     wn_buf_add(&tmp, b->scratch.data, b->scratch.len, err) < 0 ||
			     wn_record_set(b->rec, field, tmp.data, tmp.len, err) < 0;
			wn_buf_release(&tmp);
			return rc ? -1 : 1;
		}
	}
	return wn_record_set(b->rec, field, b->scratch.data, b->scratch.len, err) < 0 ? -1 : 1;
}

static int array_has(json_object *arr, const char *s, size_t n)
{
	size_t i, len = json_object_array_length(arr);

	for (i = 0; i < len; i++) {
		json_object *it = json_object_array_get_idx(arr, i);
		if (json_object_is_type(it, json_type_string) &&
		    (size_t)json_object_get_string_len(it) == n &&
		    memcmp(json_object_get_string(it), s, n) == 0)
			return 1;
	}
	return 0;
}

static int append_to_array(json_object *parent, const char *field, const char *s, size_t n,
			   unsigned flags, struct wn_err *err)
{
	json_object *arr, *v;

	if (!json_object_object_get_ex(parent, field, &arr) || !json_object_is_type(arr, json_type_array)) {
		json_object *prev = NULL;
		if (json_object_object_get_ex(parent, field, &prev) && json_object_is_type(prev, json_type_string))
			json_object_get(prev);
		else
			prev = NULL;
		arr = wn_alloc_should_fail() ? NULL : json_object_new_array();
		if (!arr) {
			json_object_put(prev);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		if (prev && json_object_array_add(arr, prev) != 0) {
			json_object_put(prev);
			json_object_put(arr);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		if (put(parent, field, arr, err) < 0)
			return -1;
	} else if ((flags & WN_RECB_UNIQUE) && array_has(arr, s, n)) {
		return 0;
	}
	v = wn_alloc_should_fail() ? NULL : json_object_new_string_len(s, (int)n);
	if (!v || json_object_array_add(arr, v) != 0) {
		json_object_put(v);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 1;
}

int wn_recb_list(struct wn_recb *b, const char *field, const char *s, size_t n,
		 unsigned flags, struct wn_err *err)
{
	json_object *prev;
	int fresh;

	if (!b->rec)
		return wn_err_set(err, WN_EUSAGE, "no record begun");
	if (clean(b, s, n, flags, err) < 0)
		return -1;
	if (!b->scratch.len)
		return 0;
	/* a scalar set earlier becomes the first item: remember it too */
	if (json_object_object_get_ex(b->rec, field, &prev) && json_object_is_type(prev, json_type_string) &&
	    seen_insert(b, seen_hash(field, json_object_get_string(prev),
				     (size_t)json_object_get_string_len(prev)), err) < 0)
		return -1;
	fresh = seen_insert(b, seen_hash(field, b->scratch.data, b->scratch.len), err);
	if (fresh < 0)
		return -1;
	if (!fresh && (flags & WN_RECB_UNIQUE))
		return 0;
	return append_to_array(b->rec, field, b->scratch.data, b->scratch.len, flags & ~WN_RECB_UNIQUE, err);
}

/* Export tags and column names become keys of "extra", and a CSV header may hold
 * anything: keys get the same guarantee as values (valid UTF-8, no control
 * characters, never empty). Returns tag itself when it is already clean. */
static const char *clean_key(const char *tag, struct wn_buf *key, struct wn_err *err)
{
	size_t n = strlen(tag), i;
	int ok = n > 0 && wn_utf8_valid(tag, n);

	for (i = 0; ok && i < n; i++)
		if ((unsigned char)tag[i] < 0x20 || tag[i] == 0x7f)
			ok = 0;
	if (ok)
		return tag;
	if (wn_text_clean(key, tag, n, 0, NULL, err) < 0)
		return NULL;
	if (!key->len && wn_buf_addc(key, '_', err) < 0)
		return NULL;
	return key->data;
}

int wn_recb_extra(struct wn_recb *b, const char *tag, const char *s, size_t n,
		  unsigned flags, struct wn_err *err)
{
	json_object *extra, *old;
	struct wn_buf key;
	const char *k;
	int rc;

	if (!b->rec)
		return wn_err_set(err, WN_EUSAGE, "no record begun");
	if (clean(b, s, n, flags, err) < 0)
		return -1;
	if (!b->scratch.len)
		return 0;
	if (!json_object_object_get_ex(b->rec, WN_F_EXTRA, &extra)) {
		extra = wn_alloc_should_fail() ? NULL : json_object_new_object();
		if (put(b->rec, WN_F_EXTRA, extra, err) < 0)
			return -1;
	}
	wn_buf_init(&key, 0);
	k = clean_key(tag, &key, err);
	if (!k) {
		rc = -1;
	} else if (!json_object_object_get_ex(extra, k, &old)) {
		json_object *v = wn_alloc_should_fail() ? NULL
			: json_object_new_string_len(b->scratch.data, (int)b->scratch.len);
		rc = 1;
		if (!v || json_object_object_add(extra, k, v) != 0) {
			json_object_put(v);
			rc = wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	} else {
		rc = append_to_array(extra, k, b->scratch.data, b->scratch.len, flags, err);
	}
	wn_buf_release(&key);
	return rc;
}

int wn_recb_year(struct wn_recb *b, const char *s, size_t n, struct wn_err *err)
{
	int y = wn_text_find_year(s, n);

	if (!b->rec)
		return wn_err_set(err, WN_EUSAGE, "no record begun");
	if (!y || json_object_object_get_ex(b->rec, WN_F_YEAR, NULL))
		return 0;
	return wn_record_set_int(b->rec, WN_F_YEAR, y, err) < 0 ? -1 : 1;
}

/* Find "10.<digits>/<suffix>" in s; *start and *len give the DOI. */
static int find_doi(const char *s, size_t n, size_t *start, size_t *len)
{
	size_t i, j, e;

	for (i = 0; i + 4 < n; i++) {
		if (s[i] != '1' || s[i + 1] != '0' || s[i + 2] != '.')
			continue;
		if (i > 0 && wn_isalnum((unsigned char)s[i - 1]))
			continue;
		j = i + 3;
		while (j < n && wn_isdigit((unsigned char)s[j]))
			j++;
		if (j == i + 3 || j >= n)
			continue;
		while (j < n && (s[j] == '.' || wn_isdigit((unsigned char)s[j])))
			j++;
		if (j >= n || s[j] != '/' || j + 1 >= n)
			continue;
		e = j + 1;
		while (e < n && !wn_isspace((unsigned char)s[e]) && s[e] != '"' && s[e] != '<' &&
		       s[e] != '>')
			e++;
		/* trailing punctuation is not part of a DOI in running text */
		while (e > j + 1 && (s[e - 1] == '.' || s[e - 1] == ',' || s[e - 1] == ';' ||
				     s[e - 1] == ']' || (s[e - 1] == ')' && !memchr(s + i, '(', e - i))))
			e--;
		if (e <= j + 1)
			continue;
		*start = i;
		*len = e - i;
		return 1;
	}
	return 0;
}

static int url_decode_doi(struct wn_buf *out, const char *s, size_t n, struct wn_err *err)
{
	size_t i;

	wn_buf_reset(out);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && wn_isxdigit((unsigned char)s[i + 1]) &&
		    wn_isxdigit((unsigned char)s[i + 2])) {
			int hi = wn_isdigit((unsigned char)s[i + 1]) ? s[i + 1] - '0' : (wn_tolower((unsigned char)s[i + 1]) - 'a' + 10);
			int lo = wn_isdigit((unsigned char)s[i + 2]) ? s[i + 2] - '0' : (wn_tolower((unsigned char)s[i + 2]) - 'a' + 10);
			if (wn_buf_addc(out, (char)(hi * 16 + lo), err) < 0)
				return -1;
			i += 2;
		} else if (wn_buf_addc(out, s[i], err) < 0) {
			return -1;
		}
	}
	return 0;
}

int wn_recb_doi(struct wn_recb *b, const char *s, size_t n, struct wn_err *err)
{
	size_t st, len;
	struct wn_buf dec;
	int rc = 0;

	if (!b->rec)
		return wn_err_set(err, WN_EUSAGE, "no record begun");
	wn_buf_init(&dec, 0);
	/* DOIs copied from URLs arrive percent-encoded (10.1002%2F...) */
	if (memchr(s, '%', n)) {
		if (url_decode_doi(&dec, s, n, err) < 0) {
			wn_buf_release(&dec);
			return -1;
		}
		s = dec.data;
		n = dec.len;
	}
	if (find_doi(s, n, &st, &len)) {
		rc = 1;
		if (!json_object_object_get_ex(b->rec, WN_F_DOI, NULL) &&
		    wn_recb_text(b, WN_F_DOI, s + st, len, 0, err) < 0)
			rc = -1;
	}
	wn_buf_release(&dec);
	return rc;
}

json_object *wn_recb_take(struct wn_recb *b, struct wn_err *err)
{
	json_object *out;

	if (!b->rec) {
		wn_err_set(err, WN_EUSAGE, "no record begun");
		return NULL;
	}
	if (is_canonical(b->rec)) {
		out = b->rec;
		b->rec = NULL;
		return out;
	}
	out = wn_record_new(err);
	if (!out)
		return NULL;
	if (move_fields(out, b->rec, err) < 0) {
		json_object_put(out);
		return NULL;
	}
	json_object_put(b->rec);
	b->rec = NULL;
	return out;
}

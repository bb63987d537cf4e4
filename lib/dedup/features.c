/*
 * features.c - from a record object to what comparison needs (struct dd_rec) and its
 * blocking keys (see dd.h).
 *
 * Blocking keys are exact: two records are compared only if they share one. So the keys
 * are chosen to cover the ways real duplicates differ (research/dedup.md, section 5):
 * identifiers when both have them; the whole title, or its first or last 32 letters
 * with the year (a typo or an added subtitle changes one end only; "year" also means the
 * year after it, since the same paper is dated by print or by e-pub); and, for titles
 * that differ more (translations, truncation), bibliographic coordinates: first author
 * with start page, journal (by initials, so "N Engl J Med" meets "New England Journal of
 * Medicine") or ISSN with volume and start page, year with volume and start page, first
 * author with year and the longest title word, and again with the second longest (a
 * typo in a short title changes one of them, not both).
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/hash.h"
#include "winnow/record.h"
#include "winnow/strsim.h"
#include "dd.h"

void dd_scratch_init(struct dd_scratch *s)
{
	wn_buf_init(&s->a, 1 << 24);
	wn_buf_init(&s->b, 1 << 24);
	wn_buf_init(&s->c, 1 << 24);
	wn_buf_init(&s->skim, 0); /* a line of up to --max-line-bytes */
	wn_buf_init(&s->apart, 0); /* (so a value of such a line) */
	dd_flat_init(&s->flat);
	s->items = NULL;
	s->nitems = s->itemcap = 0;
	s->jmemo = NULL;
	memset(s->type_len, 0, sizeof(s->type_len));
	s->type_next = 0;
}

void dd_scratch_release(struct dd_scratch *s)
{
	wn_buf_release(&s->a);
	wn_buf_release(&s->b);
	wn_buf_release(&s->c);
	wn_buf_release(&s->skim);
	wn_buf_release(&s->apart);
	dd_flat_release(&s->flat);
	wn_free(s->items);
	s->items = NULL;
	s->nitems = s->itemcap = 0;
	wn_free(s->jmemo);
	s->jmemo = NULL;
}

/* The fields read here, found in one pass over the record (json-c's hash lookups,
 * one per field, cost more than walking the object once). */
enum {
	F_ID, F_SOURCE, F_SOURCE_ID, F_TITLE, F_AUTHORS, F_YEAR, F_DATE, F_JOURNAL, F_JABBREV,
	F_ISSN, F_ISBN, F_VOLUME, F_ISSUE, F_PAGES, F_DOI, F_URL, F_PMID, F_PMCID, F_TYPE,
	F_PUBTYPES, F_ABSTRACT, F_KEYWORDS, F_MESH, NFIELDS
};


const char *const dd_fill_fields[DD_NFILL + 1] = {
	WN_F_TITLE, WN_F_ABSTRACT, WN_F_AUTHORS, WN_F_YEAR, WN_F_DATE, WN_F_JOURNAL,
	WN_F_JOURNAL_ABBREV, WN_F_ISSN, WN_F_ISBN, WN_F_VOLUME, WN_F_ISSUE, WN_F_PAGES,
	WN_F_DOI, WN_F_PMID, WN_F_PMCID, WN_F_LANGUAGE, WN_F_PUBTYPES, WN_F_MESH,
	WN_F_KEYWORDS, WN_F_URL, WN_F_PUBLISHER, WN_F_NOTICES, NULL
};

/* Every field name of docs/record-format.md, sorted, with what it means here: its slot
 * in fv (or -1) and its bit in dd_rec.fields (or -1). One binary search per key. */
struct known_field {
	const char *name;
	uint8_t len;
	int8_t slot, fill;
};

#define KF(name, slot, fill) { name, sizeof(name) - 1, slot, fill }

static const struct known_field known_fields[] = {
	KF("abstract", F_ABSTRACT, 1), KF("authors", F_AUTHORS, 2), KF("date", F_DATE, 4),
	KF("doi", F_DOI, 12), KF("duplicates", -1, -1), KF("extra", -1, -1),
	KF("id", F_ID, -1), KF("isbn", F_ISBN, 8), KF("issn", F_ISSN, 7), KF("issue", F_ISSUE, 10),
	KF("journal", F_JOURNAL, 5), KF("journal_abbrev", F_JABBREV, 6), KF("keywords", F_KEYWORDS, 18),
	KF("language", -1, 15), KF("mesh", F_MESH, 17), KF("notices", -1, 21), KF("origin", -1, -1),
	KF("pages", F_PAGES, 11), KF("pmcid", F_PMCID, 14), KF("pmid", F_PMID, 13),
	KF("publisher", -1, 20), KF("pubtypes", F_PUBTYPES, 16), KF("source", F_SOURCE, -1),
	KF("source_id", F_SOURCE_ID, -1), KF("title", F_TITLE, 0), KF("type", F_TYPE, -1),
	KF("url", F_URL, 19), KF("volume", F_VOLUME, 9), KF("year", F_YEAR, 3)
};

#define N_KNOWN (sizeof(known_fields) / sizeof(known_fields[0]))

/* (the flattened reader keeps a 32-bit set of the known fields it has met) */
_Static_assert(N_KNOWN <= 32, "known_fields must fit a uint32_t set");

/* Where the names of each first letter begin in known_fields (names of letters without
 * any: an empty range). Written out rather than computed, so no table is built at run
 * time; test_features.c checks it against known_fields. */
static const uint8_t first_letter_start[27] = {
	/* a */ 0, /* b */ 2, /* c */ 2, /* d */ 2, /* e */ 5, /* f */ 6, /* g */ 6, /* h */ 6,
	/* i */ 6, /* j */ 10, /* k */ 12, /* l */ 13, /* m */ 14, /* n */ 15, /* o */ 16,
	/* p */ 17, /* q */ 22, /* r */ 22, /* s */ 22, /* t */ 24, /* u */ 26, /* v */ 27,
	/* w */ 28, /* x */ 28, /* y */ 28, /* z */ 29, /* end */ 29
};

_Static_assert(N_KNOWN == 29, "first_letter_start must be written again for known_fields");

int dd_field_index(const char *key, size_t n)
{
	size_t i, end;
	unsigned c;

	/* a record has a dozen or more keys and each is looked up: the first letter leaves
	 * at most five names, compared by length first */
	if (n == 0 || (c = (unsigned char)key[0] - 'a') >= 26)
		return -1;
	end = first_letter_start[c + 1];
	for (i = first_letter_start[c]; i < end; i++)
		if (known_fields[i].len == n && memcmp(key, known_fields[i].name, n) == 0)
			return (int)i;
	return -1;
}

int dd_field_is_read(int k)
{
	return k >= 0 && (size_t)k < N_KNOWN && known_fields[k].slot >= 0;
}

/* What a member named known_fields[k] with value val tells (one member of the record). */
static void note_field(int k, const struct dd_value *val, struct dd_value *fv, struct dd_rec *r)
{
	const struct known_field *kf;

	if (k < 0) {
		r->rflags |= DD_R_UNKNOWN_KEYS;
		return;
	}
	kf = &known_fields[k];
	if (kf->slot >= 0)
		fv[kf->slot] = *val;
	if (kf->fill >= 0 && val->type != DD_V_NULL)
		r->fields |= (uint32_t)1 << kf->fill;
	if (kf->slot < 0 && kf->fill < 0 && kf->name[0] == 'd')
		r->rflags |= DD_R_HAS_DUPS;
}

/* A json-c value that is no array as features_of reads it. */
static void scalar_of(json_object *o, struct dd_value *v)
{
	memset(v, 0, sizeof(*v));
	switch (json_object_get_type(o)) {
	case json_type_null:
		v->type = DD_V_NULL;
		break;
	case json_type_string:
		v->type = DD_V_STR;
		v->s = json_object_get_string(o);
		v->n = (size_t)json_object_get_string_len(o);
		break;
	case json_type_int:
		v->type = DD_V_INT;
		v->i = json_object_get_int64(o);
		break;
	default:
		v->type = DD_V_OTHER; /* true, 1.5, an object (an array): present, not read */
		break;
	}
}

/* A json-c value as features_of reads it; an array's items go to s->items (their place
 * in v->i until value_items_fix: the table may still move). -1 when it cannot grow. */
static int value_of(json_object *o, struct dd_value *v, struct dd_scratch *s, struct wn_err *err)
{
	size_t i, n;

	if (!json_object_is_type(o, json_type_array)) {
		scalar_of(o, v);
		return 0;
	}
	n = json_object_array_length(o);
	if (dd_grow((void **)&s->items, &s->itemcap, s->nitems + n, sizeof(*s->items), err) < 0)
		return -1;
	memset(v, 0, sizeof(*v));
	v->type = DD_V_ARRAY;
	v->n = n;
	v->i = (int64_t)s->nitems;
	for (i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(o, i);
		struct dd_item *item = &s->items[s->nitems++];
		if (it && json_object_is_type(it, json_type_string)) {
			item->s = json_object_get_string(it);
			item->len = (size_t)json_object_get_string_len(it);
		} else {
			item->s = NULL;
			item->len = 0;
		}
	}
	return 0;
}

/* The slots in `which` (bits) that hold an array json-c read: point at its items. */
static void value_items_fix(struct dd_value *fv, uint32_t which, const struct dd_scratch *s)
{
	size_t k;

	for (k = 0; k < NFIELDS; k++) {
		if ((which >> k & 1) && fv[k].type == DD_V_ARRAY) {
			fv[k].items = s->items ? s->items + fv[k].i : NULL; /* (NULL: no items) */
			fv[k].i = 0;
		}
	}
}

_Static_assert(NFIELDS <= 32, "value_items_fix takes the slots as a uint32_t set");

/* One pass over the record: the fields read here, the fill fields present, and whether
 * it has fields this stage does not know or an earlier run's "duplicates". */
static int collect_fields(json_object *obj, struct dd_value *fv, struct dd_rec *r,
			  struct dd_scratch *s, struct wn_err *err)
{
	memset(fv, 0, NFIELDS * sizeof(*fv));
	s->nitems = 0;
	json_object_object_foreach(obj, key, val) {
		struct dd_value v;
		if (value_of(val, &v, s, err) < 0)
			return -1;
		note_field(dd_field_index(key, strlen(key)), &v, fv, r);
	}
	value_items_fix(fv, UINT32_MAX, s);
	return 0;
}

/* The same from a flattened line: member i is field f->field[i], its value f->val[i]
 * or, when json-c read it, an item of arr. */
static int collect_flat(json_object *arr, const struct dd_flat *f, struct dd_value *fv,
			struct dd_rec *r, struct dd_scratch *s, struct wn_err *err)
{
	size_t i;
	uint32_t from_json = 0; /* slots json-c read (a plain array points into f already) */

	memset(fv, 0, NFIELDS * sizeof(*fv));
	s->nitems = 0;
	for (i = 0; i < f->n; i++) {
		struct dd_value v = f->val[i];
		int k = f->field[i] == DD_FLAT_OTHER ? -1 : f->field[i];
		if (v.type == DD_V_JSON) {
			if (value_of(json_object_array_get_idx(arr, v.n), &v, s, err) < 0)
				return -1;
			if (k >= 0 && known_fields[k].slot >= 0)
				from_json |= (uint32_t)1 << known_fields[k].slot;
		}
		note_field(k, &v, fv, r);
	}
	value_items_fix(fv, from_json, s);
	return 0;
}

/* String value of a field that may also be given as a number (volume: 12). */
static const char *get_text_num(const struct dd_value *v, size_t *len, char numbuf[24])
{
	if (v->type == DD_V_STR) {
		*len = v->n;
		return *len ? v->s : NULL;
	}
	if (v->type == DD_V_INT) {
		int k = snprintf(numbuf, 24, "%lld", (long long)v->i);
		*len = k > 0 && k < 24 ? (size_t)k : 0;
		return *len ? numbuf : NULL;
	}
	return NULL;
}

#define get_text(v, len) get_text_num((v), (len), numbuf)

/* Call fn for the field's value, or each string item of an array. */
typedef int (*item_fn)(void *ctx, const char *s, size_t n, struct wn_err *err);

static int each_item(const struct dd_value *v, item_fn fn, void *ctx, struct wn_err *err)
{
	if (v->type == DD_V_ARRAY) {
		size_t i;
		for (i = 0; i < v->n; i++)
			if (v->items[i].s && fn(ctx, v->items[i].s, v->items[i].len, err) < 0)
				return -1;
		return 0;
	}
	if (v->type == DD_V_STR)
		return fn(ctx, v->s, v->n, err);
	return 0;
}

static int64_t get_year(const struct dd_value *v)
{
	size_t n;
	const char *s;
	char numbuf[24];

	if (v->type == DD_V_INT)
		return v->i;
	s = get_text(v, &n);
	return s ? wn_text_find_year(s, n) : 0;
}

static int has_items(const struct dd_value *v)
{
	if (v->type == DD_V_ARRAY)
		return v->n > 0;
	return v->type == DD_V_STR;
}

static int ci_contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i, j;

	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k; j++)
			if (wn_tolower((unsigned char)s[i + j]) != needle[j])
				break;
		if (j == k)
			return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- authors */

struct author_ctx {
	struct dd_rec *r;
	struct dd_scratch *s;
	struct dd_arena *a;
	int split_and; /* "Surname, I and Surname, I" in one string (BibTeX style) */
};

static int add_one_author(struct author_ctx *c, const char *s, size_t n, struct wn_err *err)
{
	char ini[WN_INITIALS_MAX + 1];
	int kind = wn_author_parse(s, n, &c->s->c, ini, err);

	if (kind < 0)
		return -1;
	if (kind == WN_AUTHOR_GROUP) {
		if (!c->r->group) {
			c->r->group = dd_arena_strndup(c->a, c->s->c.data, c->s->c.len, err);
			if (!c->r->group)
				return -1;
		}
		if (c->r->ngroups < 255)
			c->r->ngroups++;
		return 0;
	}
	if (kind != WN_AUTHOR_PERSON)
		return 0;
	if (c->r->nstored < DD_MAX_AUTHORS) {
		struct dd_author *au = &c->s->authors[c->r->nstored];
		size_t len = c->s->c.len < 255 ? c->s->c.len : 255;
		au->sur = dd_arena_strndup(c->a, c->s->c.data, len, err);
		if (!au->sur)
			return -1;
		au->sur_len = (uint8_t)len;
		memcpy(au->ini, ini, sizeof(ini));
		c->r->nstored++;
	}
	if (c->r->nauthors < UINT16_MAX)
		c->r->nauthors++;
	return 0;
}

static int author_item(void *ctx, const char *s, size_t n, struct wn_err *err)
{
	struct author_ctx *c = ctx;
	size_t i = 0;

	/* one item may hold several names: "A, B; C, D" or (BibTeX) "A, B and C, D" */
	while (i < n) {
		size_t j = i, next;
		if (!c->split_and) {
			/* (the usual case: only ";" separates, and memchr finds it) */
			const char *q = memchr(s + i, ';', n - i);
			j = q ? (size_t)(q - s) : n;
			next = q ? j + 1 : n;
		} else {
			while (j < n && s[j] != ';' && !(n - j >= 5 && memcmp(s + j, " and ", 5) == 0))
				j++;
			next = j >= n ? n : s[j] == ';' ? j + 1 : j + 5;
		}
		if (j > i && add_one_author(c, s + i, j - i, err) < 0)
			return -1;
		i = next;
	}
	return 0;
}

/* ---------------------------------------------------------------- identifiers */

struct text_ctx {
	struct dd_rec *r;
	struct wn_buf *buf;
	struct dd_scratch *s;
};

static int issn_item(void *ctx, const char *s, size_t n, struct wn_err *err)
{
	struct dd_rec *r = ((struct text_ctx *)ctx)->r;
	uint32_t v[DD_MAX_ISSN];
	size_t k = wn_issn_extract(s, n, v, DD_MAX_ISSN), i, j;

	(void)err;
	for (i = 0; i < k && r->nissn < DD_MAX_ISSN; i++) {
		int dup = 0;
		for (j = 0; j < r->nissn; j++)
			if (r->issn[j] == v[i])
				dup = 1;
		if (!dup)
			r->issn[r->nissn++] = v[i];
	}
	return 0;
}

static int isbn_item(void *ctx, const char *s, size_t n, struct wn_err *err)
{
	struct dd_rec *r = ((struct text_ctx *)ctx)->r;
	uint64_t v[DD_MAX_ISBN];
	size_t k = wn_isbn_extract(s, n, v, DD_MAX_ISBN), i;

	/* RIS's SN holds ISSNs and ISBNs alike: an 8-character value here is an ISSN */
	if (k == 0)
		return issn_item(ctx, s, n, err);
	for (i = 0; i < k && r->nisbn < DD_MAX_ISBN; i++)
		r->isbn[r->nisbn++] = v[i];
	return 0;
}

static uint8_t type_kind(const char *s, size_t n)
{
	char t[96];
	size_t i;
	uint8_t kind = 0;

	if (n >= sizeof(t))
		n = sizeof(t) - 1; /* type names are short; a long value is not one */
	for (i = 0; i < n; i++)
		t[i] = (char)wn_tolower((unsigned char)s[i]);
	t[n] = '\0';
	if (strstr(t, "conference") || strstr(t, "congress") || strstr(t, "meeting") ||
	    strstr(t, "proceeding") || strstr(t, "symposium") || strstr(t, "poster") ||
	    strcmp(t, "conf") == 0 || strcmp(t, "cpaper") == 0 || strcmp(t, "abst") == 0)
		kind |= DD_K_CONFERENCE;
	if (strcmp(t, "book") == 0 || strcmp(t, "ebook") == 0 || strcmp(t, "edbook") == 0 ||
	    strcmp(t, "whole book") == 0 || strcmp(t, "book whole") == 0 || strcmp(t, "edited book") == 0)
		kind |= DD_K_BOOK;
	if (strstr(t, "chap") || strcmp(t, "book section") == 0 || strcmp(t, "inbook") == 0 ||
	    strcmp(t, "incollection") == 0 || strcmp(t, "book part") == 0)
		kind |= DD_K_CHAPTER;
	if (strstr(t, "erratum") || strcmp(t, "correction") == 0 ||
	    strcmp(t, "corrected and republished article") == 0)
		kind |= DD_K_ERRATUM;
	if (strstr(t, "retraction of publication") || strstr(t, "retraction notice") ||
	    strstr(t, "expression of concern"))
		kind |= DD_K_NOTICE;
	return kind;
}

/* The kind a publication type names, remembered per thread: a search has a handful of
 * type names ("Journal Article", "Review", ...) over and over, each lower-cased and
 * searched for a dozen words when met. */
static int type_item(void *ctx, const char *s, size_t n, struct wn_err *err)
{
	struct text_ctx *tc = ctx;
	struct dd_scratch *sc = tc->s;
	unsigned i;

	(void)err;
	if (n <= DD_TYPE_MEMO_LEN) {
		for (i = 0; i < DD_TYPE_MEMO; i++) {
			if (sc->type_len[i] == n + 1 && memcmp(sc->type_name[i], s, n) == 0) {
				tc->r->kind |= sc->type_kind[i];
				return 0;
			}
		}
		i = sc->type_next++ % DD_TYPE_MEMO;
		memcpy(sc->type_name[i], s, n);
		sc->type_len[i] = (uint8_t)(n + 1);
		sc->type_kind[i] = type_kind(s, n);
		tc->r->kind |= sc->type_kind[i];
		return 0;
	}
	tc->r->kind |= type_kind(s, n);
	return 0;
}

static uint64_t parse_digits(const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i, digits = 0;

	for (i = 0; i < n && wn_isspace((unsigned char)s[i]); i++)
		;
	for (; i < n && wn_isdigit((unsigned char)s[i]); i++) {
		if (++digits > 15)
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	for (; i < n && wn_isspace((unsigned char)s[i]); i++)
		;
	return i == n ? v : 0;
}

/* ---------------------------------------------------------------- keys */

static int add_key(struct dd_key **keys, size_t *nkeys, size_t *cap, uint32_t kind,
		   uint64_t key, uint32_t rec, uint32_t gate, struct wn_err *err)
{
	struct dd_key *k;

	if (*nkeys == *cap && dd_grow((void **)keys, cap, *nkeys + 1, sizeof(**keys), err) < 0)
		return -1;
	k = &(*keys)[*nkeys];
	k->key = key;
	k->rec = rec;
	/* kind may carry DD_KEY_SECOND */
	k->info = (gate & DD_KEY_GATE) | (kind & 15u) << 27 | (kind & DD_KEY_SECOND);
	(*nkeys)++;
	return 0;
}

static uint32_t letter_bit(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return (uint32_t)1 << (c - 'a');
	return c ? (uint32_t)1 << 26 : 0;
}

uint32_t dd_author_gate(const struct dd_rec *r)
{
	uint32_t g;

	if (!r->nstored)
		return 0;
	g = letter_bit((unsigned char)r->authors[0].sur[0]) |
	    letter_bit((unsigned char)r->authors[0].ini[0]);
	if (r->nstored > 1) /* first two authors in the other order */
		g |= letter_bit((unsigned char)r->authors[1].sur[0]);
	return g;
}

/* A key is hashed from a small buffer: the key kind, then its parts (strings end with a
 * 0 byte so "ab"+"c" and "a"+"bc" differ). One XXH64 call per key. */
struct keyer {
	unsigned char buf[192];
	size_t n;
};

static void k_begin(struct keyer *k, uint32_t kind)
{
	k->buf[0] = (unsigned char)kind;
	k->n = 1;
}

static void k_str(struct keyer *k, const char *s, size_t n)
{
	if (n > sizeof(k->buf) - k->n - 1)
		n = sizeof(k->buf) - k->n - 1; /* long parts are cut: a key, not a proof */
	memcpy(k->buf + k->n, s, n);
	k->n += n;
	k->buf[k->n++] = 0;
}

static void k_num(struct keyer *k, uint64_t v)
{
	if (k->n + sizeof(v) <= sizeof(k->buf)) {
		memcpy(k->buf + k->n, &v, sizeof(v));
		k->n += sizeof(v);
	}
}

static uint64_t k_end(struct keyer *k)
{
	uint64_t v = wn_hash64_mem(k->buf, k->n);
	return v ? v : 1;
}

/* The longest and second longest words of a folded title (ties: the first), for the
 * author-word keys: a typo changes at most one of them. */
static void longest_words(const char *t, size_t n, const char **w1, size_t *n1,
			  const char **w2, size_t *n2)
{
	const char *p = t, *e = t + n;

	*w1 = *w2 = NULL;
	*n1 = *n2 = 0;
	while (p < e) {
		const char *q = memchr(p, ' ', (size_t)(e - p));
		size_t len;
		if (!q)
			q = e;
		len = (size_t)(q - p);
		if (len > *n1) {
			*w2 = *w1;
			*n2 = *n1;
			*w1 = p;
			*n1 = len;
		} else if (len > *n2) {
			*w2 = p;
			*n2 = len;
		}
		p = q + 1;
	}
}

/* Letters of the title (without spaces) in the prefix and suffix keys: long enough that
 * titles of one topic ("human papillomavirus infection ...") do not all meet, short
 * enough to leave room for a changed end or beginning. */
#define TITLE_KEY_LEN 32

static int make_keys(const struct dd_rec *r, uint32_t index, struct dd_scratch *s,
		     struct dd_key **keys, size_t *nkeys, size_t *cap, struct wn_err *err)
{
	struct keyer k;
	const char *sl;
	size_t sln, i;
	uint32_t start = r->pages.roman ? 0 : r->pages.start;
	char ja[32], jb[32];
	size_t jan = 0, jbn = 0;
	int y;
	uint32_t gate = dd_author_gate(r);

#define KEY(kind) do { if (add_key(keys, nkeys, cap, (kind), k_end(&k), index, gate, err) < 0) return -1; } while (0)
#define KEY_Y(kind, y) KEY((uint32_t)(kind) | ((y) ? DD_KEY_SECOND : 0u))
	if (r->id) {
		k_begin(&k, DD_KEY_ID);
		k_str(&k, r->id, strlen(r->id));
		KEY(DD_KEY_ID);
	}
	{
		const char *p = r->dois, *e = r->dois + r->dois_len;
		while (p < e) {
			const char *q = memchr(p, '\n', (size_t)(e - p));
			if (!q)
				q = e;
			k_begin(&k, DD_KEY_DOI);
			k_str(&k, p, (size_t)(q - p));
			KEY(DD_KEY_DOI);
			p = q + 1;
		}
	}
	if (r->pmid) {
		k_begin(&k, DD_KEY_PMID);
		k_num(&k, r->pmid);
		KEY(DD_KEY_PMID);
	}
	if (r->pmcid) {
		k_begin(&k, DD_KEY_PMCID);
		k_num(&k, r->pmcid);
		KEY(DD_KEY_PMCID);
	}
	for (i = 0; i < r->nisbn; i++) {
		k_begin(&k, DD_KEY_ISBN);
		k_num(&k, r->isbn[i]);
		KEY(DD_KEY_ISBN);
	}
	/* the title without spaces */
	wn_buf_reset(&s->a);
	if (wn_buf_grow(&s->a, r->title_len + 1, err) < 0)
		return -1;
	{
		/* (through a local pointer: a store through s->a.data would make the compiler
		 * load s->a.len again after every byte) */
		char *o = s->a.data;
		for (i = 0; i < r->title_len; i++)
			if (r->title[i] != ' ')
				*o++ = r->title[i];
		*o = '\0';
		s->a.len = (size_t)(o - s->a.data);
	}
	sl = s->a.data;
	sln = s->a.len;
	if (sln > 0) {
		k_begin(&k, DD_KEY_TITLE);
		k_str(&k, sl, sln);
		KEY(DD_KEY_TITLE);
		for (y = 0; y < 2; y++) {
			uint64_t year = r->year ? (uint64_t)(r->year + y) : 0;
			if (!r->year && y)
				break;
			if (sln > TITLE_KEY_LEN) {
				k_begin(&k, DD_KEY_TITLE_PRE);
				k_str(&k, sl, TITLE_KEY_LEN);
				k_num(&k, year);
				KEY_Y(DD_KEY_TITLE_PRE, y);
			}
			if (sln > TITLE_KEY_LEN + 8) {
				k_begin(&k, DD_KEY_TITLE_SUF);
				k_str(&k, sl + sln - TITLE_KEY_LEN, TITLE_KEY_LEN);
				k_num(&k, year);
				KEY_Y(DD_KEY_TITLE_SUF, y);
			}
		}
	}
	if (r->nstored > 0) {
		const struct dd_author *fa = &r->authors[0];
		char fs[256];
		size_t fn = 0;
		for (i = 0; i < fa->sur_len && fn < sizeof(fs); i++)
			if (fa->sur[i] != ' ')
				fs[fn++] = fa->sur[i];
		if (start) {
			k_begin(&k, DD_KEY_AUTHOR_PAGE);
			k_str(&k, fs, fn);
			k_num(&k, start);
			KEY(DD_KEY_AUTHOR_PAGE);
		}
		if (r->year && r->title_len) {
			const char *w1, *w2;
			size_t l1, l2;
			longest_words(r->title, r->title_len, &w1, &l1, &w2, &l2);
			for (y = 0; y < 2 && w1; y++) {
				k_begin(&k, DD_KEY_AUTHOR_WORD);
				k_str(&k, fs, fn);
				k_num(&k, (uint64_t)(r->year + y));
				k_str(&k, w1, l1);
				KEY_Y(DD_KEY_AUTHOR_WORD, y);
			}
			for (y = 0; y < 2 && w2 && l2 >= 5; y++) {
				k_begin(&k, DD_KEY_AUTHOR_WORD2);
				k_str(&k, fs, fn);
				k_num(&k, (uint64_t)(r->year + y));
				k_str(&k, w2, l2);
				KEY_Y(DD_KEY_AUTHOR_WORD2, y);
			}
		}
	}
	if (start && r->volume) {
		jan = wn_journal_initials(r->journal, r->journal_len, ja, sizeof(ja));
		jbn = wn_journal_initials(r->jabbrev, r->jabbrev_len, jb, sizeof(jb));
		if (jan) {
			k_begin(&k, DD_KEY_JOURNAL_PAGE);
			k_str(&k, ja, jan);
			k_num(&k, r->volume);
			k_num(&k, start);
			KEY(DD_KEY_JOURNAL_PAGE);
		}
		if (jbn && !(jbn == jan && memcmp(ja, jb, jan) == 0)) {
			k_begin(&k, DD_KEY_JOURNAL_PAGE);
			k_str(&k, jb, jbn);
			k_num(&k, r->volume);
			k_num(&k, start);
			KEY(DD_KEY_JOURNAL_PAGE);
		}
		for (i = 0; i < r->nissn; i++) {
			k_begin(&k, DD_KEY_ISSN_PAGE);
			k_num(&k, r->issn[i]);
			k_num(&k, r->volume);
			k_num(&k, start);
			KEY(DD_KEY_ISSN_PAGE);
		}
		for (y = 0; y < 2 && r->year; y++) {
			k_begin(&k, DD_KEY_YEAR_PAGE);
			k_num(&k, (uint64_t)(r->year + y));
			k_num(&k, r->volume);
			k_num(&k, start);
			KEY_Y(DD_KEY_YEAR_PAGE, y);
		}
	}
#undef KEY_Y
#undef KEY
	return 0;
}

/* ---------------------------------------------------------------- journals */

/* A search holds a few thousand journals, each named by hundreds of records, and
 * folding a name (wn_journal_fold: Unicode, stop words, a buffer of its own) is a tenth
 * of a record's normalisation. So each thread remembers the names it has folded, in a
 * direct-mapped table keyed by a hash of the name as written: a hit is a hash and a
 * memcmp. The table only remembers; a name it has no room for is folded as before, so
 * results never depend on it (or on which thread read which record). */
#define JMEMO_SLOTS 512
#define JMEMO_RAW 112
#define JMEMO_FOLD 128

struct dd_journal_memo {
	uint64_t h;            /* 0: empty */
	uint8_t raw_len, fold_len, kind;
	char raw[JMEMO_RAW];
	char fold[JMEMO_FOLD];
};

/* The folded name into s->a, and its DD_K_CONF_VENUE and DD_K_COCHRANE bits. */
static int journal_of(struct dd_scratch *s, const char *v, size_t n, uint8_t *kind,
		      struct wn_err *err)
{
	struct dd_journal_memo *m = NULL;
	uint64_t h = 0;

	if (n <= JMEMO_RAW) {
		if (!s->jmemo)
			s->jmemo = wn_calloc(JMEMO_SLOTS, sizeof(*s->jmemo)); /* NULL: no memo */
		if (s->jmemo) {
			h = wn_hash64_mem(v, n) | 1;
			m = &s->jmemo[h % JMEMO_SLOTS];
			if (m->h == h && m->raw_len == n && memcmp(m->raw, v, n) == 0) {
				wn_buf_reset(&s->a);
				if (wn_buf_add(&s->a, m->fold, m->fold_len, err) < 0)
					return -1;
				*kind = m->kind;
				return 0;
			}
		}
	}
	if (wn_journal_fold(&s->a, v, n, err) < 0)
		return -1;
	*kind = (uint8_t)((wn_journal_is_conference(v, n) ? DD_K_CONF_VENUE : 0) |
			  (ci_contains(v, n, "cochrane database") ? DD_K_COCHRANE : 0));
	if (m && s->a.len < JMEMO_FOLD) {
		m->h = h;
		m->raw_len = (uint8_t)n;
		memcpy(m->raw, v, n);
		m->fold_len = (uint8_t)s->a.len;
		memcpy(m->fold, s->a.data, s->a.len);
		m->kind = *kind;
	}
	return 0;
}

/* ---------------------------------------------------------------- features */

static int prefer_rank(const struct dd_prefs *p, const char *src)
{
	size_t i;

	if (!src)
		return (int)p->nprefer;
	for (i = 0; i < p->nprefer; i++) {
		const char *want = p->prefer[i];
		size_t k = strlen(want), j;
		for (j = 0; j < k && src[j]; j++)
			if (wn_tolower((unsigned char)src[j]) != wn_tolower((unsigned char)want[j]))
				break;
		/* "Embase" prefers "Embase" and "Embase.com", not "Embasement" */
		if (j == k && !wn_isalnum((unsigned char)src[k]))
			return (int)i;
	}
	return (int)p->nprefer;
}

/* The hash of the --keep-apart value (a string or an integer) when v is the value of
 * the record's member p->apart_top; 0 when there is no such value. */
static uint64_t apart_of_value(json_object *v, const struct dd_prefs *p)
{
	struct dd_value dv;
	const char *s;
	size_t n = 0;
	char numbuf[24];
	uint64_t h;

	if (p->apart_sub &&
	    (!json_object_is_type(v, json_type_object) || !json_object_object_get_ex(v, p->apart_sub, &v)))
		return 0;
	scalar_of(v, &dv); /* (only a string or an integer gives a text) */
	if (!(s = get_text_num(&dv, &n, numbuf)))
		return 0;
	h = wn_hash64(s, n);
	return h ? h : 1;
}

/* The same for the record object (0 when the option is off or there is no member). */
static uint64_t apart_of(json_object *obj, const struct dd_prefs *p)
{
	json_object *v;

	if (!p->apart_top[0] || !json_object_object_get_ex(obj, p->apart_top, &v))
		return 0;
	return apart_of_value(v, p);
}

int dd_apart_flat(const char *line, const struct dd_flat *f, json_object *arr,
		  const struct dd_prefs *p, json_tokener *tok, struct wn_buf *buf, uint64_t *apart,
		  struct wn_err *err)
{
	size_t i, k = f->n, n = strlen(p->apart_top);
	json_object *v;

	*apart = 0;
	if (!n)
		return 0;
	/* the last member of that name: json-c keeps the last of two (names have no escape
	 * here: flat.c leaves such a line alone) */
	for (i = 0; i < f->n; i++)
		if (f->key_len[i] == n && memcmp(line + f->key_at[i], p->apart_top, n) == 0)
			k = i;
	if (k == f->n)
		return 0;
	if (f->val[k].type == DD_V_JSON) {
		*apart = apart_of_value(json_object_array_get_idx(arr, f->val[k].n), p);
		return 0;
	}
	/* a plain value (checked by flat.c): parsed alone, checked for nothing lost. With
	 * its NUL: json-c cannot know that "7" is a whole number until something follows */
	wn_buf_reset(buf);
	if (f->val_len[k] > INT32_MAX - 1 || wn_buf_add(buf, line + f->val_at[k], f->val_len[k], err) < 0)
		return -1;
	json_tokener_reset(tok);
	v = json_tokener_parse_ex(tok, buf->data, (int)buf->len + 1);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != buf->len) {
		/* (flat.c checked the text: only a failed allocation gets here) */
		json_object_put(v);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (v && dd_json_parse_checked(tok, buf->data, buf->len, &v, err) < 0) {
		json_object_put(v);
		return -1;
	}
	*apart = apart_of_value(v, p);
	json_object_put(v);
	return 0;
}

int dd_has_substance(const struct dd_rec *r)
{
	return r->title_len > 0 || r->ndois > 0 || r->pmid || r->pmcid;
}

/* The features of a record whose fields are fv (collect_fields), r zeroed but for what
 * collecting them set. */
static int features_of(const struct dd_value *fv, struct dd_rec *r, uint32_t index,
		       const struct dd_prefs *p, struct dd_scratch *s, struct dd_arena *a,
		       struct dd_key **keys, size_t *nkeys, size_t *keycap, struct wn_err *err)
{
	const char *v;
	size_t n;
	struct wn_title_info ti;
	struct text_ctx tc;
	int completeness = 0, rank;
	char numbuf[24];

	tc.r = r;
	tc.buf = &s->b;
	tc.s = s;

	if ((v = get_text(&fv[F_ID], &n))) {
		if (!(r->id = dd_arena_strndup(a, v, n, err)))
			return -1;
		r->id_hash = wn_hash64(v, n);
		if (!r->id_hash)
			r->id_hash = 1;
	}
	if ((v = get_text(&fv[F_SOURCE], &n)) && !(r->source = dd_arena_strndup(a, v, n, err)))
		return -1;
	if ((v = get_text(&fv[F_SOURCE_ID], &n)) && !(r->source_id = dd_arena_strndup(a, v, n, err)))
		return -1;

	/* title */
	r->title = "";
	if ((v = get_text(&fv[F_TITLE], &n))) {
		if (wn_norm_title(&s->a, v, n, &ti, err) < 0)
			return -1;
		if (s->a.len > 0) {
			size_t len = s->a.len < 1024 ? s->a.len : 1024;
			if (!(r->title = dd_arena_strndup(a, s->a.data, len, err)))
				return -1;
			r->title_len = (uint16_t)len;
			r->main_len = (uint16_t)(ti.main_len < 65535 ? ti.main_len : 0);
			r->title_sig = wn_sim_word_signature(r->title, len);
			r->tflags = (uint8_t)ti.flags;
			r->twords = (uint16_t)ti.words;
			r->numsig = ti.numsig;
			r->part = (uint8_t)(ti.part < 255 ? ti.part : 255);
			r->phase = (uint8_t)(ti.phase < 255 ? ti.phase : 255);
			completeness++;
		}
	}
	/* authors */
	{
		struct author_ctx ac;
		const struct dd_value *av = &fv[F_AUTHORS];
		ac.r = r;
		ac.s = s;
		ac.a = a;
		ac.split_and = 0;
		{
			const char *one = NULL;
			if (av->type == DD_V_STR)
				one = av->s;
			else if (av->type == DD_V_ARRAY && av->n == 1)
				one = av->items[0].s; /* (NULL: no string) */
			ac.split_and = one && strstr(one, " and ") && strchr(one, ',');
		}
		if (each_item(&fv[F_AUTHORS], author_item, &ac, err) < 0)
			return -1;
		if (r->nstored) {
			struct dd_author *au = dd_arena_alloc(a, r->nstored * sizeof(*au), err);
			if (!au)
				return -1;
			memcpy(au, s->authors, r->nstored * sizeof(*au));
			r->authors = au;
		}
		if (r->nauthors || r->ngroups)
			completeness++;
	}
	/* year */
	{
		int64_t y = get_year(&fv[F_YEAR]);
		if ((y < 1000 || y > 2999) && (v = get_text(&fv[F_DATE], &n)))
			y = wn_text_find_year(v, n);
		if (y >= 1000 && y <= 2999) {
			r->year = (int16_t)y;
			completeness++;
		}
	}
	/* journal */
	r->journal = r->jabbrev = "";
	if ((v = get_text(&fv[F_JOURNAL], &n))) {
		uint8_t jk;
		if (journal_of(s, v, n, &jk, err) < 0)
			return -1;
		if (s->a.len) {
			size_t len = s->a.len < 512 ? s->a.len : 512;
			if (!(r->journal = dd_arena_strndup(a, s->a.data, len, err)))
				return -1;
			r->journal_len = (uint16_t)len;
		}
		r->kind |= jk;
		completeness++;
	}
	if ((v = get_text(&fv[F_JABBREV], &n))) {
		uint8_t jk;
		if (journal_of(s, v, n, &jk, err) < 0)
			return -1;
		if (s->a.len) {
			size_t len = s->a.len < 512 ? s->a.len : 512;
			if (!(r->jabbrev = dd_arena_strndup(a, s->a.data, len, err)))
				return -1;
			r->jabbrev_len = (uint16_t)len;
		}
		r->kind |= jk & DD_K_COCHRANE; /* (a conference is told by the full name) */
	}
	if (each_item(&fv[F_ISSN], issn_item, &tc, err) < 0 ||
	    each_item(&fv[F_ISBN], isbn_item, &tc, err) < 0)
		return -1;
	if (r->nissn)
		completeness++;
	if ((v = get_text(&fv[F_VOLUME], &n))) {
		int supp = 0;
		r->volume = wn_first_number(v, n, &supp);
		r->vol_supp = (uint8_t)supp;
		completeness++;
	}
	if ((v = get_text(&fv[F_ISSUE], &n))) {
		int supp = 0;
		r->issue = wn_first_number(v, n, &supp);
		if (supp)
			r->vol_supp = 1;
		completeness++;
	}
	if ((v = get_text(&fv[F_PAGES], &n)) && wn_pages_parse(v, n, &r->pages))
		completeness++;
	/* identifiers */
	wn_buf_reset(&s->b);
	if ((v = get_text(&fv[F_DOI], &n)) && wn_doi_extract(&s->b, v, n, err) < 0)
		return -1;
	if ((v = get_text(&fv[F_URL], &n)) && (ci_contains(v, n, "doi.org/") || ci_contains(v, n, "doi:")) &&
	    wn_doi_extract(&s->b, v, n, err) < 0)
		return -1;
	if (s->b.len) {
		size_t len = s->b.len < 2048 ? s->b.len : 2048, i;
		while (len > 0 && s->b.data[len - 1] != '\n')
			len--;
		if (!(r->dois = dd_arena_strndup(a, s->b.data, len, err)))
			return -1;
		r->dois_len = (uint16_t)len;
		for (i = 0; i < len; i++)
			if (r->dois[i] == '\n' && r->ndois < 255)
				r->ndois++;
		completeness++;
		{
			/* a Cochrane review: number and version from the DOI */
			const char *dp = r->dois, *e = r->dois + len;
			while (dp < e) {
				const char *q = memchr(dp, '\n', (size_t)(e - dp));
				uint32_t review;
				unsigned version;
				if (!q)
					q = e;
				if (wn_doi_cochrane(dp, (size_t)(q - dp), &review, &version)) {
					r->cochrane = review;
					r->cochrane_version = (uint8_t)(version < 255 ? version : 255);
					r->kind |= DD_K_COCHRANE;
					break;
				}
				dp = q + 1;
			}
		}
	} else {
		r->dois = "";
	}
	if (!r->cochrane && (r->kind & DD_K_COCHRANE) && strcmp(r->pages.prefix, "cd") == 0)
		r->cochrane = r->pages.start; /* "CD002273" as pages: version unknown */
	/* DOI and PMID as written, for the "duplicates" entries (output.c) */
	if ((v = get_text(&fv[F_PMID], &n))) {
		r->pmid = parse_digits(v, n);
		if (fv[F_PMID].type == DD_V_STR) {
			if (n > 64)
				r->rflags |= DD_R_LONG_ID;
			else if (!(r->pmid_raw = dd_arena_strndup(a, v, n, err)))
				return -1;
		}
	}
	if ((v = get_text(&fv[F_DOI], &n)) && fv[F_DOI].type == DD_V_STR) {
		if (n > 512)
			r->rflags |= DD_R_LONG_ID;
		else if (!(r->doi_raw = dd_arena_strndup(a, v, n, err)))
			return -1;
	}
	if (!r->pmid && r->source && r->source_id &&
	    (ci_contains(r->source, strlen(r->source), "pubmed") || ci_contains(r->source, strlen(r->source), "medline")))
		r->pmid = parse_digits(r->source_id, strlen(r->source_id));
	if (!r->pmid && r->id && strncmp(r->id, "pubmed:", 7) == 0)
		r->pmid = parse_digits(r->id + 7, strlen(r->id + 7));
	if (r->pmid)
		completeness++;
	if ((v = get_text(&fv[F_PMCID], &n))) {
		if (n > 3 && ci_contains(v, 3, "pmc"))
			r->pmcid = parse_digits(v + 3, n - 3);
		else
			r->pmcid = parse_digits(v, n);
	}
	/* kind of publication */
	if (each_item(&fv[F_TYPE], type_item, &tc, err) < 0 ||
	    each_item(&fv[F_PUBTYPES], type_item, &tc, err) < 0)
		return -1;
	if ((v = get_text(&fv[F_ABSTRACT], &n)))
		completeness += 2;
	if (has_items(&fv[F_KEYWORDS]) || has_items(&fv[F_MESH]))
		completeness++;
	r->completeness = (uint8_t)completeness;
	rank = prefer_rank(p, r->source);
	r->prefer = (uint8_t)(rank < 255 ? rank : 255);
	return make_keys(r, index, s, keys, nkeys, keycap, err);
}

int dd_features(json_object *obj, struct dd_rec *r, uint32_t index, const struct dd_prefs *p,
		struct dd_scratch *s, struct dd_arena *a, struct dd_key **keys, size_t *nkeys,
		size_t *keycap, struct wn_err *err)
{
	struct dd_value fv[NFIELDS];

	memset(r, 0, sizeof(*r));
	if (collect_fields(obj, fv, r, s, err) < 0)
		return -1;
	r->apart = apart_of(obj, p);
	return features_of(fv, r, index, p, s, a, keys, nkeys, keycap, err);
}

int dd_features_flat(json_object *arr, const struct dd_flat *f, struct dd_rec *r,
		     uint32_t index, const struct dd_prefs *p, struct dd_scratch *s,
		     struct dd_arena *a, struct dd_key **keys, size_t *nkeys, size_t *keycap,
		     struct wn_err *err)
{
	struct dd_value fv[NFIELDS];

	memset(r, 0, sizeof(*r));
	if (collect_flat(arr, f, fv, r, s, err) < 0)
		return -1;
	if (f->flags & DD_FLAT_UNKNOWN)
		r->rflags |= DD_R_UNKNOWN_KEYS;
	return features_of(fv, r, index, p, s, a, keys, nkeys, keycap, err);
}

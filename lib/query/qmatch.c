/*
 * qmatch.c - evaluating a query on records (see qmatch.h for the field mapping and the
 * design).
 *
 * Compile: the IR DAG becomes a program in post-order (each shared node once). Every
 * word of every term becomes a pattern: exact words and truncated words (literal prefix
 * + one trailing '*') go into two hash tables keyed by a rolling FNV-1a hash, which the
 * record scanner probes while it builds each token - the prefix table at each prefix
 * length some pattern uses, the exact table at the token's end. Other wildcards (inner
 * '*', '?', '$N', leading '*') are checked with a small dynamic-programming glob.
 *
 * Per record: the fields the query needs are tokenised once; each hit sets a bit in the
 * pattern's field mask and records an occurrence (field, position, offsets). Then the
 * program runs: single words test the mask, phrases check consecutive positions,
 * proximity builds spans (field, first, last position) and joins them; whole-value
 * fields (MeSH headings, publication types, journal, authors, language, DOI, PMID) are
 * normalised once per record and compared with the term.
 */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/mesh.h"
#include "winnow/qmatch.h"
#include "winnow/record.h"
#include "winnow/utf8.h"
#include "qint.h"
#include "qtok.h"

#define FNV_OFF 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL
#define ITEM_GAP 1000u           /* positions between two values of one field */
#define MAX_OCC (1u << 20)        /* occurrences kept per record */
#define MAX_SPANS 4096u           /* spans kept per proximity operand */

/* word fields: the record fields that are tokenised */
#define WORD_BITS (WN_QF_TI | WN_QF_AB | WN_QF_KW | WN_QF_MESHW | WN_QF_PT | WN_QF_JOURNAL | WN_QF_AU)
#define ALL_WORDS WORD_BITS

static const struct wsrc {
	unsigned bit;
	const char *key;
	int array;
} wsrcs[] = {
	{ WN_QF_TI, WN_F_TITLE, 0 },
	{ WN_QF_AB, WN_F_ABSTRACT, 0 },
	{ WN_QF_KW, WN_F_KEYWORDS, 1 },
	{ WN_QF_MESHW, WN_F_MESH, 1 },
	{ WN_QF_PT, WN_F_PUBTYPES, 1 },
	{ WN_QF_PT, WN_F_TYPE, 0 },
	{ WN_QF_JOURNAL, WN_F_JOURNAL, 0 },
	{ WN_QF_JOURNAL, WN_F_JOURNAL_ABBREV, 0 },
	{ WN_QF_AU, WN_F_AUTHORS, 1 },
};
#define NWSRC (sizeof(wsrcs) / sizeof(wsrcs[0]))

enum { P_EXACT, P_PREFIX, P_GLOB };

struct pat {
	char *text;      /* normalised, wildcards in IR form */
	size_t len, litlen;
	int kind;
};

/* string -> pattern ids */
struct hent {
	uint64_t h;
	char *key;
	size_t klen;
	uint32_t *ids;
	size_t nids;
};

struct htab {
	struct hent *v;
	size_t cap, n;   /* cap is a power of two (or 0) */
};

enum { V_MESH, V_PT, V_JOURNAL, V_AU, V_LA, V_DOI, V_PMID };

struct vmatch {
	int kind;
	char *norm;          /* normalised term (PT, JOURNAL, AU, DOI, PMID) or language code */
	int glob;            /* norm has wildcards */
	struct htab names;   /* V_MESH: accepted descriptor names (normalised) */
	char *qual;          /* V_MESH: normalised qualifier or NULL */
	int major;
};

enum { I_TERM, I_RANGE, I_AND, I_OR, I_NOT, I_NEAR };

struct instr {
	int op;
	const struct wn_qnode *node;
	/* I_TERM word part */
	unsigned wfields;
	uint32_t *pats;
	size_t npats;
	/* I_TERM value part */
	struct vmatch *vm;
	size_t nvm;
	/* operators */
	uint32_t *kids;
	size_t nkids;
	unsigned dist;
	int ordered;
	/* I_RANGE */
	long lo, hi;
};

struct wn_qmatch {
	struct pat *pats;
	size_t npats, patcap;
	struct htab exact, prefix;
	uint64_t prefix_lens;    /* bit L set: some prefix pattern has L literal bytes */
	uint32_t *globs;
	size_t nglobs;
	struct instr *prog;
	size_t nprog, progcap;
	unsigned need_words;     /* word fields the program reads */
	unsigned need_values;    /* value fields the program reads */
	char **clauses;          /* printed top-level clauses */
	uint32_t *clause_instr;
	size_t nclauses;
	enum wn_qdialect dialect;
};

struct occ {
	uint32_t pos, off, len;
	uint16_t field;
	uint8_t src;
	uint16_t item;
};

struct occvec {
	struct occ *v;
	uint32_t n, cap;
};

struct span {
	uint32_t start, end;
	uint16_t field;
};

struct spanlist {
	uint32_t off, n;     /* in the state's span arena */
	unsigned stamp;
};

/* whole values of the current record, normalised */
struct vals {
	char **v;
	size_t n, cap;
	unsigned stamp;
};

struct meshv {
	char *desc;
	char **quals;
	int *qmajor;
	size_t nq;
	int major;
};

struct wn_qmatch_state {
	const struct wn_qmatch *m;
	uint32_t *mask;
	struct occvec *occ;
	size_t nocc_total;
	int occ_overflow;
	char *res;
	struct spanlist *sl;
	struct span *spans;
	size_t nspans, spancap;
	unsigned stamp;
	json_object *rec;
	/* pending prefix hits of the token being built */
	uint32_t pend[64];
	size_t npend;
	/* whole-value caches */
	struct vals pt, journal, issn, la;
	struct vals au;              /* "surname initials" and "surname given" forms */
	struct meshv *mesh;
	size_t nmesh, meshcap;
	unsigned mesh_stamp;
	struct wn_buf nb;
	struct wn_err *err;
	int oom;
	/* explain */
	unsigned char *seen;
};

/* ---------------------------------------------------------------- hash table */

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = FNV_OFF;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
	return h;
}

static void htab_release(struct htab *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++) {
		wn_free(t->v[i].key);
		wn_free(t->v[i].ids);
	}
	wn_free(t->v);
	memset(t, 0, sizeof(*t));
}

static const struct hent *htab_get(const struct htab *t, uint64_t h, const char *k, size_t n)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = (size_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		const struct hent *e = &t->v[i];
		if (!e->key)
			return NULL;
		if (e->h == h && e->klen == n && memcmp(e->key, k, n) == 0)
			return e;
	}
}

static int htab_grow(struct htab *t)
{
	struct htab nt;
	size_t i, cap = t->cap ? t->cap * 2 : 64;

	nt.v = wn_calloc(cap, sizeof(*nt.v));
	if (!nt.v)
		return -1;
	nt.cap = cap;
	nt.n = t->n;
	for (i = 0; i < t->cap; i++) {
		struct hent *e = &t->v[i];
		size_t j;
		if (!e->key)
			continue;
		for (j = (size_t)e->h & (cap - 1); nt.v[j].key; j = (j + 1) & (cap - 1))
			;
		nt.v[j] = *e;
	}
	wn_free(t->v);
	*t = nt;
	return 0;
}

/* Add id under key (ids of one key are unique). */
static int htab_add(struct htab *t, const char *k, size_t n, uint32_t id)
{
	uint64_t h = fnv(k, n);
	size_t i;
	struct hent *e;

	if ((t->n + 1) * 2 > t->cap && htab_grow(t) < 0)
		return -1;
	for (i = (size_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		e = &t->v[i];
		if (!e->key)
			break;
		if (e->h == h && e->klen == n && memcmp(e->key, k, n) == 0) {
			uint32_t *v;
			size_t j;
			for (j = 0; j < e->nids; j++)
				if (e->ids[j] == id)
					return 0;
			v = wn_reallocarray(e->ids, e->nids + 1, sizeof(*v));
			if (!v)
				return -1;
			e->ids = v;
			e->ids[e->nids++] = id;
			return 0;
		}
	}
	e->key = wn_strndup(k, n);
	e->ids = wn_malloc(sizeof(uint32_t));
	if (!e->key || !e->ids) {
		wn_free(e->key);
		wn_free(e->ids);
		e->key = NULL;
		e->ids = NULL;
		return -1;
	}
	e->h = h;
	e->klen = n;
	e->ids[0] = id;
	e->nids = 1;
	t->n++;
	return 0;
}

/* ---------------------------------------------------------------- glob */

/* Match IR pattern p[0..pn) against token t[0..tn) ('*' any run, '?' one character,
 * '$N' at most N characters), by dynamic programming over character boundaries. */
static int glob_match(const char *p, size_t pn, const char *t, size_t tn)
{
	size_t bounds[WN_QTOK_MAX + 2], nb = 0, i;
	unsigned char cur[WN_QTOK_MAX + 2], nxt[WN_QTOK_MAX + 2];
	size_t pi = 0;

	/* character boundaries of the token */
	for (i = 0; i <= tn && nb < WN_QTOK_MAX + 1;) {
		bounds[nb++] = i;
		if (i == tn)
			break;
		i++;
		while (i < tn && ((unsigned char)t[i] & 0xC0) == 0x80)
			i++;
	}
	memset(cur, 0, nb);
	cur[0] = 1;
	while (pi < pn) {
		char c = p[pi];
		memset(nxt, 0, nb);
		if (c == '*') {
			int on = 0;
			for (i = 0; i < nb; i++) {
				on |= cur[i];
				nxt[i] = (unsigned char)on;
			}
			pi++;
		} else if (c == '?') {
			for (i = 0; i + 1 < nb; i++)
				if (cur[i])
					nxt[i + 1] = 1;
			pi++;
		} else if (c == '$') {
			size_t used;
			unsigned v = wn_qwild_num(p + pi + 1, pn - pi - 1, &used), k;
			pi += 1 + used;
			for (i = 0; i < nb; i++)
				if (cur[i])
					for (k = 0; k <= v && i + k < nb; k++)
						nxt[i + k] = 1;
		} else {
			/* a literal run up to the next wildcard */
			size_t q = pi;
			while (q < pn && p[q] != '*' && p[q] != '?' && p[q] != '$')
				q++;
			for (i = 0; i < nb; i++) {
				size_t at = bounds[i], len = q - pi, j;
				if (!cur[i] || at + len > tn || memcmp(t + at, p + pi, len) != 0)
					continue;
				for (j = i; j < nb && bounds[j] < at + len; j++)
					;
				if (j < nb && bounds[j] == at + len)
					nxt[j] = 1;
			}
			pi = q;
		}
		memcpy(cur, nxt, nb);
	}
	return nb > 0 && cur[nb - 1] && bounds[nb - 1] == tn;
}

/* ---------------------------------------------------------------- query words */

/* Split normalised-for-query text into words, keeping wildcards: calls fn(word, n). */
static int query_words(const char *s, int (*fn)(const char *w, size_t n, void *d), void *d)
{
	char w[WN_QTOK_MAX + 16];
	size_t i = 0, wl = 0, n = strlen(s);
	int rc;

	while (i <= n) {
		unsigned char c = i < n ? (unsigned char)s[i] : ' ';
		size_t adv = 1;
		char buf[48];
		int word;
		size_t bl = 0;

		if (c == '*' || c == '?') {
			buf[0] = (char)c;
			bl = 1;
			word = 1;
		} else if (c == '$' && i + 1 < n && wn_isdigit((unsigned char)s[i + 1])) {
			size_t used;
			unsigned v = wn_qwild_num(s + i + 1, n - i - 1, &used);
			bl = (size_t)snprintf(buf, sizeof(buf), "$%u", v);
			adv = 1 + used;
			word = 1;
		} else if (c < 0x80) {
			word = wn_isalnum(c);
			if (word)
				buf[bl++] = (char)wn_tolower(c);
		} else {
			int32_t cp = wn_utf8_decode(s + i, n - i, &adv);
			bl = wn_qtok_cp(cp, buf, &word);
		}
		if (word) {
			if (wl + bl <= WN_QTOK_MAX) {
				memcpy(w + wl, buf, bl);
				wl += bl;
			}
		} else if (wl) {
			if ((rc = fn(w, wl, d)) != 0)
				return rc;
			wl = 0;
		}
		i += adv;
	}
	return 0;
}

static int add_pattern(struct wn_qmatch *m, const char *w, size_t n, uint32_t *id)
{
	size_t i, lit = 0, stars = 0, other = 0;
	struct pat *p;

	for (i = 0; i < m->npats; i++)
		if (m->pats[i].len == n && memcmp(m->pats[i].text, w, n) == 0) {
			*id = (uint32_t)i;
			return 0;
		}
	if (m->npats == m->patcap) {
		size_t cap = m->patcap ? m->patcap * 2 : 32;
		struct pat *v = wn_reallocarray(m->pats, cap, sizeof(*v));
		if (!v)
			return -1;
		m->pats = v;
		m->patcap = cap;
	}
	p = &m->pats[m->npats];
	p->text = wn_strndup(w, n);
	if (!p->text)
		return -1;
	p->len = n;
	while (lit < n && w[lit] != '*' && w[lit] != '?' && w[lit] != '$')
		lit++;
	for (i = lit; i < n; i++) {
		if (w[i] == '*')
			stars++;
		else if (w[i] == '?' || w[i] == '$')
			other++;
	}
	p->litlen = lit;
	*id = (uint32_t)m->npats;
	if (lit == n) {
		p->kind = P_EXACT;
		if (htab_add(&m->exact, w, n, *id) < 0)
			goto oom;
	} else if (stars == 1 && other == 0 && lit == n - 1 && lit > 0 && lit < 64) {
		p->kind = P_PREFIX;
		if (htab_add(&m->prefix, w, lit, *id) < 0)
			goto oom;
		m->prefix_lens |= (uint64_t)1 << lit;
	} else {
		uint32_t *g = wn_reallocarray(m->globs, m->nglobs + 1, sizeof(*g));
		if (!g)
			goto oom;
		m->globs = g;
		m->globs[m->nglobs++] = *id;
		p->kind = P_GLOB;
	}
	m->npats++;
	return 0;
oom:
	wn_free(p->text);
	return -1;
}

/* ---------------------------------------------------------------- compile */

struct cctx {
	struct wn_qmatch *m;
	const struct wn_qmatch_opts *o;
	struct wn_qdiags *notes;
	struct wn_err *err;
	/* node -> instruction index (open addressing on the pointer) */
	const struct wn_qnode **keys;
	uint32_t *vals;
	size_t cap, n;
	int noted_mesh, noted_ad, noted_entry, noted_default;
	struct wn_buf tmp;
	struct instr *cur;   /* instruction receiving words */
};

#define CNOTE(C, n, ...) \
	do { \
		if ((C)->notes && wn_qdiags_add((C)->notes, WN_QSEV_NOTE, "Q301", (n)->line, (n)->col, \
						__VA_ARGS__) < 0) \
			return wn_err_set((C)->err, WN_ENOMEM, "out of memory"); \
	} while (0)

static size_t ptr_slot(const struct cctx *C, const struct wn_qnode *n)
{
	size_t i = ((uintptr_t)n >> 4) * 0x9E3779B97F4A7C15ULL & (C->cap - 1);

	while (C->keys[i] && C->keys[i] != n)
		i = (i + 1) & (C->cap - 1);
	return i;
}

static int ptr_put(struct cctx *C, const struct wn_qnode *n, uint32_t v)
{
	size_t i;

	if ((C->n + 1) * 2 > C->cap) {
		size_t old = C->cap, k, cap = C->cap ? C->cap * 2 : 256;
		const struct wn_qnode **ok = C->keys;
		uint32_t *ov = C->vals;
		C->keys = wn_calloc(cap, sizeof(*C->keys));
		C->vals = wn_calloc(cap, sizeof(*C->vals));
		if (!C->keys || !C->vals) {
			wn_free(C->keys);
			wn_free(C->vals);
			C->keys = ok;
			C->vals = ov;
			return -1;
		}
		C->cap = cap;
		for (k = 0; k < old; k++)
			if (ok[k]) {
				size_t j = ptr_slot(C, ok[k]);
				C->keys[j] = ok[k];
				C->vals[j] = ov[k];
			}
		wn_free(ok);
		wn_free(ov);
	}
	i = ptr_slot(C, n);
	C->keys[i] = n;
	C->vals[i] = v;
	C->n++;
	return 0;
}

static struct instr *new_instr(struct wn_qmatch *m, int op, const struct wn_qnode *n, uint32_t *idx)
{
	struct instr *in;

	if (m->nprog == m->progcap) {
		size_t cap = m->progcap ? m->progcap * 2 : 32;
		struct instr *v = wn_reallocarray(m->prog, cap, sizeof(*v));
		if (!v)
			return NULL;
		m->prog = v;
		m->progcap = cap;
	}
	in = &m->prog[m->nprog];
	memset(in, 0, sizeof(*in));
	in->op = op;
	in->node = n;
	*idx = (uint32_t)m->nprog++;
	return in;
}

static int word_cb(const char *w, size_t n, void *d)
{
	struct cctx *C = d;
	struct instr *in = C->cur;
	uint32_t id, *v;

	if (add_pattern(C->m, w, n, &id) < 0)
		return -1;
	v = wn_reallocarray(in->pats, in->npats + 1, sizeof(*v));
	if (!v)
		return -1;
	in->pats = v;
	in->pats[in->npats++] = id;
	return 0;
}

static int has_wild(const char *s)
{
	return strpbrk(s, "*?$") != NULL;
}

struct explode_ctx {
	struct vmatch *vm;
	struct wn_buf *b;
	struct wn_err *err;
};

static int explode_cb(long idx, const char *name, void *data)
{
	struct explode_ctx *x = data;

	(void)idx;
	if (wn_qtok_normalize(x->b, name, strlen(name), x->err) < 0)
		return -1;
	return htab_add(&x->vm->names, x->b->data, x->b->len, 0) < 0 ? -1 : 0;
}

static int compile_value(struct cctx *C, struct instr *in, const struct wn_qnode *n, int kind)
{
	struct vmatch *v = wn_reallocarray(in->vm, in->nvm + 1, sizeof(*v));

	if (!v)
		return -1;
	in->vm = v;
	v = &in->vm[in->nvm++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	if (kind == V_MESH) {
		v->major = (n->flags & WN_QT_MAJOR) != 0;
		if (n->qual) {
			if (wn_qtok_normalize(&C->tmp, n->qual, strlen(n->qual), C->err) < 0 ||
			    !(v->qual = wn_strdup(C->tmp.data)))
				return -1;
		}
		if (wn_qtok_normalize(&C->tmp, n->text, strlen(n->text), C->err) < 0 ||
		    htab_add(&v->names, C->tmp.data, C->tmp.len, 0) < 0)
			return -1;
		if (C->o->mesh) {
			long idx = wn_mesh_find(C->o->mesh, n->text, strlen(n->text));
			if (idx < 0) {
				CNOTE(C, n, "'%s' is not a heading or entry term in the MeSH file: matched as written",
				      n->text);
			} else {
				struct explode_ctx x = { v, &C->tmp, C->err };
				if (n->flags & WN_QT_EXPLODE) {
					if (wn_mesh_explode(C->o->mesh, idx, explode_cb, &x, C->err) < 0)
						return -1;
				} else if (explode_cb(idx, wn_mesh_name(C->o->mesh, idx), &x) < 0) {
					return -1;
				}
			}
		} else if ((n->flags & WN_QT_EXPLODE) && !C->noted_mesh) {
			C->noted_mesh = 1;
			CNOTE(C, n, "no MeSH file (--mesh): '%s' and other exploded headings match the exact heading only, not narrower ones",
			      n->text);
		}
		return 0;
	}
	if (kind == V_LA) {
		const char *code = wn_lang_code(n->text, strlen(n->text));
		v->norm = wn_strdup(code ? code : n->text);
		return v->norm ? 0 : -1;
	}
	if (kind == V_DOI || kind == V_PMID) {
		size_t i;
		v->norm = wn_strdup(n->text);
		if (!v->norm)
			return -1;
		for (i = 0; v->norm[i]; i++)
			v->norm[i] = (char)wn_tolower((unsigned char)v->norm[i]);
		v->glob = has_wild(v->norm);
		return 0;
	}
	return -1; /* PT, JOURNAL, AU are compiled by the caller */
}

static int join_cb(const char *w, size_t n, void *d)
{
	struct wn_buf *b = d;

	if (b->len && wn_buf_addc(b, ' ', NULL) < 0)
		return -1;
	return wn_buf_add(b, w, n, NULL) < 0 ? -1 : 0;
}

static int compile_term(struct cctx *C, const struct wn_qnode *n, uint32_t *idx)
{
	struct instr *in = new_instr(C->m, I_TERM, n, idx);
	unsigned f = n->fields ? n->fields : C->o->default_fields;
	unsigned words = 0;
	int rc;

	if (!in)
		return -1;
	if (!n->fields && !C->noted_default) {
		char names[96] = "";
		unsigned bit;
		C->noted_default = 1;
		for (bit = 1; bit <= WN_QF_ALL; bit <<= 1)
			if (f & bit) {
				size_t L = strlen(names);
				snprintf(names + L, sizeof(names) - L, "%s%s", L ? "," : "", wn_qfield_name(bit));
			}
		CNOTE(C, n, "terms without a field tag (like '%s') search %s (--default-fields)%s", n->text, names,
		      C->o->dialect == WN_QD_PUBMED ? ": PubMed's automatic term mapping is approximated, not reproduced" :
		      C->o->dialect == WN_QD_OVID ? ": Ovid's default .mp. fields are approximated" : "");
	}
	if (f & WN_QF_ALL)
		words |= ALL_WORDS;
	/* words of the journal, authors and types when searched with text fields or as
	 * default fields; alone ([ta], [au], [pt]) they match whole values */
	if ((f & (WN_QF_TI | WN_QF_AB | WN_QF_KW | WN_QF_MESHW)) || !n->fields)
		words |= f & WORD_BITS;
	if (f & (WN_QF_AD | WN_QF_OTHER)) {
		if (!C->noted_ad) {
			C->noted_ad = 1;
			CNOTE(C, n, "'%s': winnow records have no %s field: such terms never match locally",
			      n->text, (f & WN_QF_AD) ? "affiliation" : "such");
		}
	}
	if (words) {
		in->wfields = words;
		C->m->need_words |= words;
		C->cur = in;
		if (query_words(n->text, word_cb, C) != 0)
			return -1;
		in = &C->m->prog[*idx]; /* stable: no new instructions were added */
		if (in->npats == 0)
			CNOTE(C, n, "'%s' has no letters or digits: it cannot match", n->text);
	}
	if (f & WN_QF_MESH) {
		if ((rc = compile_value(C, in, n, V_MESH)) < 0)
			return rc;
		C->m->need_values |= WN_QF_MESH;
	}
	if (f & WN_QF_LA) {
		if (compile_value(C, in, n, V_LA) < 0)
			return -1;
		C->m->need_values |= WN_QF_LA;
	}
	if (f & WN_QF_DOI) {
		if (compile_value(C, in, n, V_DOI) < 0)
			return -1;
	}
	if (f & WN_QF_PMID) {
		if (compile_value(C, in, n, V_PMID) < 0)
			return -1;
	}
	if (!(words & (WN_QF_PT | WN_QF_JOURNAL | WN_QF_AU)) && !(f & WN_QF_ALL) &&
	    !(f & (WN_QF_TI | WN_QF_AB | WN_QF_KW | WN_QF_MESHW))) {
		static const struct { unsigned bit; int kind; } wv[] = {
			{ WN_QF_PT, V_PT }, { WN_QF_JOURNAL, V_JOURNAL }, { WN_QF_AU, V_AU }
		};
		size_t k;
		for (k = 0; k < 3; k++) {
			struct vmatch *v;
			if (!(f & wv[k].bit))
				continue;
			v = wn_reallocarray(in->vm, in->nvm + 1, sizeof(*v));
			if (!v)
				return -1;
			in->vm = v;
			v = &in->vm[in->nvm++];
			memset(v, 0, sizeof(*v));
			v->kind = wv[k].kind;
			wn_buf_reset(&C->tmp);
			if (query_words(n->text, join_cb, &C->tmp) != 0)
				return -1;
			v->norm = wn_strndup(C->tmp.data, C->tmp.len);
			if (!v->norm)
				return -1;
			v->glob = has_wild(v->norm);
			C->m->need_values |= wv[k].bit;
		}
	}
	return 0;
}

static int compile_node(struct cctx *C, const struct wn_qnode *n, uint32_t *out)
{
	uint32_t *kids = NULL, idx;
	size_t i, s = C->cap ? ptr_slot(C, n) : 0;
	struct instr *in;

	if (C->cap && C->keys[s] == n) {
		*out = C->vals[s];
		return 0;
	}
	if (n->kind == WN_Q_TERM) {
		if (compile_term(C, n, &idx) < 0)
			return -1;
	} else if (n->kind == WN_Q_RANGE) {
		in = new_instr(C->m, I_RANGE, n, &idx);
		if (!in)
			return -1;
		in->lo = n->lo;
		in->hi = n->hi;
		if (n->date != WN_QDATE_PUB && !C->noted_entry) {
			C->noted_entry = 1;
			CNOTE(C, n, "records carry only the publication date: the %s date range is applied to it",
			      n->date == WN_QDATE_ENTRY ? "entry" : "create");
		}
	} else {
		kids = wn_calloc(n->nkids, sizeof(*kids));
		if (!kids)
			return -1;
		for (i = 0; i < n->nkids; i++)
			if (compile_node(C, n->kids[i], &kids[i]) < 0) {
				wn_free(kids);
				return -1;
			}
		in = new_instr(C->m, n->kind == WN_Q_AND ? I_AND : n->kind == WN_Q_OR ? I_OR :
				 n->kind == WN_Q_NOT ? I_NOT : I_NEAR, n, &idx);
		if (!in) {
			wn_free(kids);
			return -1;
		}
		in->kids = kids;
		in->nkids = n->nkids;
		in->dist = n->dist;
		in->ordered = n->ordered;
	}
	if (ptr_put(C, n, idx) < 0)
		return -1;
	*out = idx;
	return 0;
}

static void instr_release(struct instr *in)
{
	size_t i;

	wn_free(in->pats);
	wn_free(in->kids);
	for (i = 0; i < in->nvm; i++) {
		wn_free(in->vm[i].norm);
		wn_free(in->vm[i].qual);
		htab_release(&in->vm[i].names);
	}
	wn_free(in->vm);
}

void wn_qmatch_free(struct wn_qmatch *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->npats; i++)
		wn_free(m->pats[i].text);
	wn_free(m->pats);
	htab_release(&m->exact);
	htab_release(&m->prefix);
	wn_free(m->globs);
	for (i = 0; i < m->nprog; i++)
		instr_release(&m->prog[i]);
	wn_free(m->prog);
	for (i = 0; i < m->nclauses; i++)
		wn_free(m->clauses[i]);
	wn_free(m->clauses);
	wn_free(m->clause_instr);
	wn_free(m);
}

size_t wn_qmatch_patterns(const struct wn_qmatch *m) { return m->npats; }
size_t wn_qmatch_program_size(const struct wn_qmatch *m) { return m->nprog; }

static int add_clause(struct wn_qmatch *m, const struct wn_qnode *n, uint32_t idx, struct wn_err *err)
{
	struct wn_buf b;
	char **c = wn_reallocarray(m->clauses, m->nclauses + 1, sizeof(*c));
	uint32_t *ci;

	if (!c)
		return -1;
	m->clauses = c;
	ci = wn_reallocarray(m->clause_instr, m->nclauses + 1, sizeof(*ci));
	if (!ci)
		return -1;
	m->clause_instr = ci;
	wn_buf_init(&b, 0);
	if (wn_query_print(&b, n, m->dialect, NULL, err) < 0) {
		wn_buf_release(&b);
		return -1;
	}
	m->clauses[m->nclauses] = wn_buf_detach(&b, NULL, err);
	if (!m->clauses[m->nclauses])
		return -1;
	m->clause_instr[m->nclauses++] = idx;
	return 0;
}

struct wn_qmatch *wn_qmatch_compile(const struct wn_qnode *root, const struct wn_qmatch_opts *o,
				    struct wn_qdiags *notes, struct wn_err *err)
{
	struct wn_qmatch_opts dflt;
	struct cctx C;
	struct wn_qmatch *m;
	uint32_t top;
	size_t i;

	/* the helpers below fail without a message when memory runs out: start clean, so
	 * that "no message" means out of memory (the caller's err may hold anything) */
	wn_err_clear(err);
	if (!root) {
		wn_err_set(err, WN_EUSAGE, "no query to compile");
		return NULL;
	}
	if (!o) {
		memset(&dflt, 0, sizeof(dflt));
		o = &dflt;
	}
	m = wn_calloc(1, sizeof(*m));
	if (!m) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	m->dialect = o->dialect;
	memset(&C, 0, sizeof(C));
	C.m = m;
	C.o = o;
	if (!o->default_fields) {
		dflt = *o;
		dflt.default_fields = WN_QF_TI | WN_QF_AB | WN_QF_KW;
		C.o = o = &dflt;
	}
	C.notes = notes;
	C.err = err;
	wn_buf_init(&C.tmp, 0);
	if (compile_node(&C, root, &top) < 0)
		goto fail;
	/* the top-level clauses, for explain */
	if (root->kind == WN_Q_AND) {
		for (i = 0; i < root->nkids; i++) {
			size_t s = ptr_slot(&C, root->kids[i]);
			if (add_clause(m, root->kids[i], C.vals[s], err) < 0)
				goto fail;
		}
	} else if (add_clause(m, root, top, err) < 0) {
		goto fail;
	}
	wn_free(C.keys);
	wn_free(C.vals);
	wn_buf_release(&C.tmp);
	return m;
fail:
	/* a message set below (a MeSH file error, a buffer cap) is kept */
	if (err && (err->code == WN_OK || err->code == WN_ENOMEM))
		wn_err_set(err, WN_ENOMEM, "out of memory");
	wn_free(C.keys);
	wn_free(C.vals);
	wn_buf_release(&C.tmp);
	wn_qmatch_free(m);
	return NULL;
}

/* ---------------------------------------------------------------- state */

struct wn_qmatch_state *wn_qmatch_state_new(const struct wn_qmatch *m, struct wn_err *err)
{
	struct wn_qmatch_state *s = wn_calloc(1, sizeof(*s));

	if (!s)
		goto oom;
	s->m = m;
	s->mask = wn_calloc(m->npats ? m->npats : 1, sizeof(*s->mask));
	s->occ = wn_calloc(m->npats ? m->npats : 1, sizeof(*s->occ));
	s->res = wn_calloc(m->nprog ? m->nprog : 1, 1);
	s->sl = wn_calloc(m->nprog ? m->nprog : 1, sizeof(*s->sl));
	s->seen = wn_calloc(m->nprog ? m->nprog : 1, 1);
	if (!s->mask || !s->occ || !s->res || !s->sl || !s->seen)
		goto oom;
	wn_buf_init(&s->nb, 0);
	return s;
oom:
	wn_qmatch_state_free(s);
	wn_err_set(err, WN_ENOMEM, "out of memory");
	return NULL;
}

static void vals_release(struct vals *v)
{
	size_t i;

	for (i = 0; i < v->cap; i++)
		wn_free(v->v[i]);
	wn_free(v->v);
}

static void mesh_clear(struct wn_qmatch_state *s)
{
	size_t i, j;

	for (i = 0; i < s->nmesh; i++) {
		wn_free(s->mesh[i].desc);
		for (j = 0; j < s->mesh[i].nq; j++)
			wn_free(s->mesh[i].quals[j]);
		wn_free(s->mesh[i].quals);
		wn_free(s->mesh[i].qmajor);
	}
	s->nmesh = 0;
}

void wn_qmatch_state_free(struct wn_qmatch_state *s)
{
	size_t i;

	if (!s)
		return;
	if (s->occ)
		for (i = 0; i < s->m->npats; i++)
			wn_free(s->occ[i].v);
	wn_free(s->occ);
	wn_free(s->mask);
	wn_free(s->res);
	wn_free(s->sl);
	wn_free(s->seen);
	wn_free(s->spans);
	vals_release(&s->pt);
	vals_release(&s->journal);
	vals_release(&s->issn);
	vals_release(&s->la);
	vals_release(&s->au);
	mesh_clear(s);
	wn_free(s->mesh);
	wn_buf_release(&s->nb);
	wn_free(s);
}

/* ---------------------------------------------------------------- scanning */

static void hit(struct wn_qmatch_state *s, uint32_t id, unsigned bit, uint32_t pos, size_t off,
		size_t len, unsigned src, unsigned item)
{
	struct occvec *ov = &s->occ[id];

	s->mask[id] |= bit;
	if (s->nocc_total >= MAX_OCC) {
		s->occ_overflow = 1;
		return;
	}
	if (ov->n == ov->cap) {
		uint32_t cap = ov->cap ? ov->cap * 2 : 8;
		struct occ *v = wn_reallocarray(ov->v, cap, sizeof(*v));
		if (!v) {
			s->oom = 1;
			return;
		}
		ov->v = v;
		ov->cap = cap;
	}
	ov->v[ov->n].pos = pos;
	ov->v[ov->n].off = (uint32_t)off;
	ov->v[ov->n].len = (uint32_t)len;
	ov->v[ov->n].field = (uint16_t)bit;
	ov->v[ov->n].src = (uint8_t)src;
	ov->v[ov->n].item = (uint16_t)(item > 65535 ? 65535 : item);
	ov->n++;
	s->nocc_total++;
}

static void token_end(struct wn_qmatch_state *s, const char *tok, size_t tl, uint64_t h,
		      unsigned bit, uint32_t pos, size_t off, size_t len, unsigned src, unsigned item)
{
	const struct wn_qmatch *m = s->m;
	const struct hent *e = htab_get(&m->exact, h, tok, tl);
	size_t i;

	if (e)
		for (i = 0; i < e->nids; i++)
			hit(s, e->ids[i], bit, pos, off, len, src, item);
	for (i = 0; i < s->npend; i++)
		hit(s, s->pend[i], bit, pos, off, len, src, item);
	s->npend = 0;
	for (i = 0; i < m->nglobs; i++) {
		const struct pat *p = &m->pats[m->globs[i]];
		if (tl >= p->litlen && memcmp(tok, p->text, p->litlen) == 0 &&
		    glob_match(p->text, p->len, tok, tl))
			hit(s, m->globs[i], bit, pos, off, len, src, item);
	}
}

static void prefix_probe(struct wn_qmatch_state *s, const char *tok, size_t tl, uint64_t h)
{
	const struct hent *e = htab_get(&s->m->prefix, h, tok, tl);
	size_t i;

	if (e)
		for (i = 0; i < e->nids && s->npend < 64; i++)
			s->pend[s->npend++] = e->ids[i];
}

/* Tokenise one value into hits; *pos advances by one per token. */
static void scan(struct wn_qmatch_state *s, const char *str, size_t n, unsigned bit,
		 unsigned src, unsigned item, uint32_t *pos)
{
	const struct wn_qmatch *m = s->m;
	uint64_t plens = m->prefix_lens, h = FNV_OFF;
	char tok[WN_QTOK_MAX + 48];
	size_t i = 0, tl = 0, start = 0, end = 0;
	int intok = 0;

	s->npend = 0;
	while (i < n) {
		unsigned char c = (unsigned char)str[i];

		if (c < 0x80) {
			if (wn_isalnum(c)) {
				if (!intok) {
					intok = 1;
					start = i;
					tl = 0;
					h = FNV_OFF;
				}
				if (tl < WN_QTOK_MAX) {
					char lc = (char)(c | ((c >= 'A' && c <= 'Z') ? 0x20 : 0));
					tok[tl++] = lc;
					h = (h ^ (unsigned char)lc) * FNV_PRIME;
					if (tl < 64 && (plens >> tl) & 1)
						prefix_probe(s, tok, tl, h);
				}
				end = ++i;
				continue;
			}
			if (intok) {
				intok = 0;
				token_end(s, tok, tl, h, bit, (*pos)++, start, end - start, src, item);
			}
			i++;
		} else {
			size_t adv, w, k;
			int word;
			char buf[48];
			int32_t cp = wn_utf8_decode(str + i, n - i, &adv);
			w = wn_qtok_cp(cp, buf, &word);
			if (word) {
				if (!intok) {
					intok = 1;
					start = i;
					tl = 0;
					h = FNV_OFF;
				}
				for (k = 0; k < w && tl < WN_QTOK_MAX; k++) {
					tok[tl++] = buf[k];
					h = (h ^ (unsigned char)buf[k]) * FNV_PRIME;
					if (tl < 64 && (plens >> tl) & 1)
						prefix_probe(s, tok, tl, h);
				}
				end = i + adv;
			} else if (intok) {
				intok = 0;
				if (tl)
					token_end(s, tok, tl, h, bit, (*pos)++, start, end - start, src, item);
				else
					s->npend = 0;
			}
			i += adv;
		}
	}
	if (intok && tl)
		token_end(s, tok, tl, h, bit, (*pos)++, start, end - start, src, item);
	s->npend = 0;
}

/* The string of a word source value (for explain), or NULL. */
static const char *src_value(json_object *rec, unsigned src, unsigned item, size_t *n)
{
	json_object *v, *x;

	if (!json_object_object_get_ex(rec, wsrcs[src].key, &v))
		return NULL;
	x = v;
	if (wsrcs[src].array) {
		if (!json_object_is_type(v, json_type_array) || item >= json_object_array_length(v))
			return NULL;
		x = json_object_array_get_idx(v, item);
	}
	if (!json_object_is_type(x, json_type_string))
		return NULL;
	*n = (size_t)json_object_get_string_len(x);
	return json_object_get_string(x);
}

static void scan_record(struct wn_qmatch_state *s, json_object *rec)
{
	unsigned need = s->m->need_words;
	uint32_t pos[16];
	size_t k;

	memset(pos, 0, sizeof(pos));
	for (k = 0; k < NWSRC; k++) {
		json_object *v;
		unsigned bit = wsrcs[k].bit, bi = 0;
		if (!(need & bit) || !json_object_object_get_ex(rec, wsrcs[k].key, &v))
			continue;
		while (!((1u << bi) & bit))
			bi++;
		if (pos[bi])
			pos[bi] += ITEM_GAP;
		if (json_object_is_type(v, json_type_string)) {
			scan(s, json_object_get_string(v), (size_t)json_object_get_string_len(v), bit,
			     (unsigned)k, 0, &pos[bi]);
		} else if (json_object_is_type(v, json_type_array)) {
			size_t i, n = json_object_array_length(v);
			for (i = 0; i < n; i++) {
				json_object *x = json_object_array_get_idx(v, i);
				if (!json_object_is_type(x, json_type_string))
					continue;
				if (i)
					pos[bi] += ITEM_GAP;
				scan(s, json_object_get_string(x), (size_t)json_object_get_string_len(x),
				     bit, (unsigned)k, (unsigned)i, &pos[bi]);
			}
		}
	}
}

/* ---------------------------------------------------------------- whole values */

static int vals_add(struct wn_qmatch_state *s, struct vals *v, const char *str, size_t n, int tok)
{
	char *c;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8, i;
		char **nv = wn_reallocarray(v->v, cap, sizeof(*nv));
		if (!nv)
			return -1;
		for (i = v->cap; i < cap; i++)
			nv[i] = NULL;
		v->v = nv;
		v->cap = cap;
	}
	if (tok) {
		if (wn_qtok_normalize(&s->nb, str, n, s->err) < 0)
			return -1;
		c = wn_strndup(s->nb.data, s->nb.len);
	} else {
		c = wn_strndup(str, n);
	}
	if (!c)
		return -1;
	wn_free(v->v[v->n]);
	v->v[v->n++] = c;
	return 0;
}

/* Collect string values of key (string or array of strings). */
static int vals_from(struct wn_qmatch_state *s, struct vals *v, json_object *rec, const char *key, int tok)
{
	json_object *x;

	if (!json_object_object_get_ex(rec, key, &x))
		return 0;
	if (json_object_is_type(x, json_type_string))
		return vals_add(s, v, json_object_get_string(x), (size_t)json_object_get_string_len(x), tok);
	if (json_object_is_type(x, json_type_array)) {
		size_t i, n = json_object_array_length(x);
		for (i = 0; i < n; i++) {
			json_object *y = json_object_array_get_idx(x, i);
			if (json_object_is_type(y, json_type_string) &&
			    vals_add(s, v, json_object_get_string(y), (size_t)json_object_get_string_len(y), tok) < 0)
				return -1;
		}
	}
	return 0;
}

static int load_mesh(struct wn_qmatch_state *s)
{
	json_object *x;
	size_t i, n;

	if (s->mesh_stamp == s->stamp)
		return 0;
	s->mesh_stamp = s->stamp;
	mesh_clear(s);
	if (!json_object_object_get_ex(s->rec, WN_F_MESH, &x) || !json_object_is_type(x, json_type_array))
		return 0;
	n = json_object_array_length(x);
	for (i = 0; i < n; i++) {
		json_object *y = json_object_array_get_idx(x, i);
		const char *h, *slash;
		size_t len;
		struct meshv *mv;
		if (!json_object_is_type(y, json_type_string))
			continue;
		h = json_object_get_string(y);
		len = (size_t)json_object_get_string_len(y);
		if (s->nmesh == s->meshcap) {
			size_t cap = s->meshcap ? s->meshcap * 2 : 16;
			struct meshv *v = wn_reallocarray(s->mesh, cap, sizeof(*v));
			if (!v)
				return -1;
			s->mesh = v;
			s->meshcap = cap;
		}
		mv = &s->mesh[s->nmesh];
		memset(mv, 0, sizeof(*mv));
		if (len && *h == '*') {
			mv->major = 1;
			h++;
			len--;
		}
		slash = memchr(h, '/', len);
		if (wn_qtok_normalize(&s->nb, h, slash ? (size_t)(slash - h) : len, s->err) < 0 ||
		    !(mv->desc = wn_strndup(s->nb.data, s->nb.len)))
			return -1;
		s->nmesh++;
		while (slash) {
			const char *q = slash + 1, *e = memchr(q, '/', len - (size_t)(q - h));
			size_t qn = e ? (size_t)(e - q) : len - (size_t)(q - h);
			char **nq = wn_reallocarray(mv->quals, mv->nq + 1, sizeof(*nq));
			int *nm;
			if (!nq)
				return -1;
			mv->quals = nq;
			nm = wn_reallocarray(mv->qmajor, mv->nq + 1, sizeof(*nm));
			if (!nm)
				return -1;
			mv->qmajor = nm;
			mv->qmajor[mv->nq] = qn && *q == '*';
			if (qn && *q == '*') {
				q++;
				qn--;
			}
			if (wn_qtok_normalize(&s->nb, q, qn, s->err) < 0 ||
			    !(mv->quals[mv->nq] = wn_strndup(s->nb.data, s->nb.len)))
				return -1;
			mv->nq++;
			slash = e;
		}
	}
	return 0;
}

static int ensure_vals(struct wn_qmatch_state *s, struct vals *v, int which)
{
	if (v->stamp == s->stamp)
		return 0;
	v->stamp = s->stamp;
	v->n = 0;
	switch (which) {
	case V_PT:
		if (vals_from(s, v, s->rec, WN_F_PUBTYPES, 1) < 0 || vals_from(s, v, s->rec, WN_F_TYPE, 1) < 0)
			return -1;
		break;
	case V_JOURNAL:
		if (vals_from(s, v, s->rec, WN_F_JOURNAL, 1) < 0 ||
		    vals_from(s, v, s->rec, WN_F_JOURNAL_ABBREV, 1) < 0 ||
		    vals_from(s, v, s->rec, WN_F_ISSN, 1) < 0)
			return -1;
		break;
	case V_LA: {
		json_object *x;
		if (json_object_object_get_ex(s->rec, WN_F_LANGUAGE, &x) &&
		    json_object_is_type(x, json_type_string)) {
			const char *p = json_object_get_string(x);
			while (*p) {
				size_t len = strcspn(p, ";,/|");
				const char *code = wn_lang_code(p, len);
				if (code && vals_add(s, v, code, strlen(code), 0) < 0)
					return -1;
				if (!code && len && vals_add(s, v, p, len, 1) < 0)
					return -1;
				p += len;
				if (*p)
					p++;
			}
		}
		break;
	}
	case V_AU: {
		/* "Smith, John A" -> "smith ja" and "smith john a" */
		json_object *x;
		size_t i, n;
		if (!json_object_object_get_ex(s->rec, WN_F_AUTHORS, &x) || !json_object_is_type(x, json_type_array))
			break;
		n = json_object_array_length(x);
		for (i = 0; i < n; i++) {
			json_object *y = json_object_array_get_idx(x, i);
			const char *a, *comma;
			size_t len;
			if (!json_object_is_type(y, json_type_string))
				continue;
			a = json_object_get_string(y);
			len = (size_t)json_object_get_string_len(y);
			if (vals_add(s, v, a, len, 1) < 0)
				return -1;
			comma = memchr(a, ',', len);
			if (comma) {
				struct wn_buf ini;
				const char *g = comma + 1;
				int rc = 0;
				wn_buf_init(&ini, 0);
				if (wn_qtok_normalize(&s->nb, a, (size_t)(comma - a), s->err) < 0 ||
				    wn_buf_add(&ini, s->nb.data, s->nb.len, s->err) < 0 ||
				    wn_buf_addc(&ini, ' ', s->err) < 0)
					rc = -1;
				while (!rc && g < a + len) {
					while (g < a + len && !wn_isalpha((unsigned char)*g) && (unsigned char)*g < 0x80)
						g++;
					if (g >= a + len)
						break;
					if (wn_buf_addc(&ini, (char)wn_tolower((unsigned char)*g), s->err) < 0)
						rc = -1;
					while (g < a + len && (wn_isalpha((unsigned char)*g) || (unsigned char)*g >= 0x80))
						g++;
				}
				if (!rc && vals_add(s, v, ini.data, ini.len, 0) < 0)
					rc = -1;
				wn_buf_release(&ini);
				if (rc < 0)
					return -1;
			}
		}
		break;
	}
	default:
		break;
	}
	return 0;
}

static int value_eq(const struct vmatch *vm, const char *val)
{
	if (vm->glob) {
		/* whole-value glob: wildcards may not cross a space differently from tokens,
		 * which is what a reviewer means by "Journal of Integrated*" */
		return glob_match(vm->norm, strlen(vm->norm), val, strlen(val));
	}
	return strcmp(vm->norm, val) == 0;
}

static int match_value(struct wn_qmatch_state *s, const struct vmatch *vm, const char **what)
{
	size_t i, j;
	json_object *x;

	*what = NULL;
	switch (vm->kind) {
	case V_MESH:
		if (load_mesh(s) < 0)
			return -1;
		for (i = 0; i < s->nmesh; i++) {
			const struct meshv *mv = &s->mesh[i];
			int qok = !vm->qual, major = mv->major;
			if (!htab_get(&vm->names, fnv(mv->desc, strlen(mv->desc)), mv->desc, strlen(mv->desc)))
				continue;
			for (j = 0; j < mv->nq && !qok; j++)
				if (strcmp(mv->quals[j], vm->qual) == 0) {
					qok = 1;
					major |= mv->qmajor[j];
				}
			if (!vm->qual)
				for (j = 0; j < mv->nq; j++)
					major |= mv->qmajor[j];
			if (qok && (!vm->major || major)) {
				*what = "";
				return 1;
			}
		}
		return 0;
	case V_PT:
	case V_JOURNAL: {
		struct vals *v = vm->kind == V_PT ? &s->pt : &s->journal;
		if (ensure_vals(s, v, vm->kind) < 0)
			return -1;
		for (i = 0; i < v->n; i++)
			if (value_eq(vm, v->v[i])) {
				*what = v->v[i];
				return 1;
			}
		return 0;
	}
	case V_LA:
		if (ensure_vals(s, &s->la, V_LA) < 0)
			return -1;
		for (i = 0; i < s->la.n; i++)
			if (strcmp(s->la.v[i], vm->norm) == 0)
				return 1;
		return 0;
	case V_AU:
		if (ensure_vals(s, &s->au, V_AU) < 0)
			return -1;
		for (i = 0; i < s->au.n; i++) {
			const char *a = s->au.v[i];
			size_t qn = strlen(vm->norm);
			if (vm->glob ? glob_match(vm->norm, qn, a, strlen(a)) :
			    (strncmp(a, vm->norm, qn) == 0 && (a[qn] == '\0' || a[qn] == ' ' ||
							       (strchr(vm->norm, ' ') && !strchr(a + qn, ' '))))) {
				*what = a;
				return 1;
			}
		}
		return 0;
	case V_DOI:
	case V_PMID:
		if (json_object_object_get_ex(s->rec, vm->kind == V_DOI ? WN_F_DOI : WN_F_PMID, &x) &&
		    json_object_is_type(x, json_type_string)) {
			const char *r = json_object_get_string(x);
			char low[256];
			size_t k;
			for (k = 0; r[k] && k < sizeof(low) - 1; k++)
				low[k] = (char)wn_tolower((unsigned char)r[k]);
			low[k] = '\0';
			if (vm->glob ? glob_match(vm->norm, strlen(vm->norm), low, k) : strcmp(low, vm->norm) == 0)
				return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- evaluation */

static int record_dates(json_object *rec, long *lo, long *hi)
{
	json_object *x;

	if (json_object_object_get_ex(rec, WN_F_DATE, &x) && json_object_is_type(x, json_type_string)) {
		const char *d = json_object_get_string(x);
		size_t n = (size_t)json_object_get_string_len(x);
		if (wn_qdate_parse(d, n, 0, lo) == 0 && wn_qdate_parse(d, n, 1, hi) == 0)
			return 1;
	}
	if (json_object_object_get_ex(rec, WN_F_YEAR, &x) && json_object_is_type(x, json_type_int)) {
		int64_t y = json_object_get_int64(x);
		if (y >= 1000 && y <= 9999) {
			*lo = (long)y * 10000 + 101;
			*hi = (long)y * 10000 + 1231;
			return 1;
		}
	}
	return 0;
}

static int span_push(struct wn_qmatch_state *s, uint32_t start, uint32_t end, uint16_t field)
{
	if (s->nspans == s->spancap) {
		size_t cap = s->spancap ? s->spancap * 2 : 256;
		struct span *v = wn_reallocarray(s->spans, cap, sizeof(*v));
		if (!v) {
			s->oom = 1;
			return -1;
		}
		s->spans = v;
		s->spancap = cap;
	}
	s->spans[s->nspans].start = start;
	s->spans[s->nspans].end = end;
	s->spans[s->nspans].field = field;
	s->nspans++;
	return 0;
}

/* Is there an occurrence of pattern p in field f at position pos? */
static int occ_at(const struct wn_qmatch_state *s, uint32_t p, uint16_t f, uint32_t pos)
{
	const struct occvec *ov = &s->occ[p];
	uint32_t i;

	for (i = 0; i < ov->n; i++)
		if (ov->v[i].pos == pos && ov->v[i].field == f)
			return 1;
	return 0;
}

/* Spans of a word or phrase term (appended to the arena). */
static void term_spans(struct wn_qmatch_state *s, const struct instr *in)
{
	const struct occvec *ov;
	uint32_t i;
	size_t j;

	if (!in->npats)
		return;
	ov = &s->occ[in->pats[0]];
	for (i = 0; i < ov->n; i++) {
		const struct occ *o = &ov->v[i];
		if (!(o->field & in->wfields))
			continue;
		for (j = 1; j < in->npats; j++)
			if (!occ_at(s, in->pats[j], o->field, o->pos + (uint32_t)j))
				break;
		if (j == in->npats && span_push(s, o->pos, o->pos + (uint32_t)in->npats - 1, o->field) < 0)
			return;
	}
}

static struct spanlist *spans_of(struct wn_qmatch_state *s, uint32_t idx);

static void near_spans(struct wn_qmatch_state *s, const struct instr *in)
{
	size_t k;
	uint32_t cur_off, cur_n;
	struct spanlist *a = spans_of(s, in->kids[0]);

	if (!a)
		return;
	cur_off = a->off;
	cur_n = a->n;
	for (k = 1; k < in->nkids; k++) {
		struct spanlist *b = spans_of(s, in->kids[k]);
		uint32_t i, j, boff, bn, noff = (uint32_t)s->nspans;
		if (!b)
			return;
		boff = b->off;
		bn = b->n;
		for (i = 0; i < cur_n; i++) {
			for (j = 0; j < bn; j++) {
				struct span x = s->spans[cur_off + i], y = s->spans[boff + j];
				uint32_t gap;
				if (x.field != y.field)
					continue;
				if (y.start > x.end)
					gap = y.start - x.end - 1;
				else if (x.start > y.end && !in->ordered)
					gap = x.start - y.end - 1;
				else
					continue;
				if (in->dist != WN_QDIST_SAME && gap > in->dist)
					continue;
				if ((uint32_t)s->nspans - noff >= MAX_SPANS)
					break;
				if (span_push(s, x.start < y.start ? x.start : y.start,
					      x.end > y.end ? x.end : y.end, x.field) < 0)
					return;
			}
		}
		cur_off = noff;
		cur_n = (uint32_t)s->nspans - noff;
	}
	/* the result is the last list: move its bounds into the caller's list */
	s->sl[in - s->m->prog].off = cur_off;
	s->sl[in - s->m->prog].n = cur_n;
}

static struct spanlist *spans_of(struct wn_qmatch_state *s, uint32_t idx)
{
	const struct instr *in = &s->m->prog[idx];
	struct spanlist *l = &s->sl[idx];
	size_t k;

	if (l->stamp == s->stamp)
		return l;
	l->stamp = s->stamp;
	l->off = (uint32_t)s->nspans;
	l->n = 0;
	switch (in->op) {
	case I_TERM:
		term_spans(s, in);
		l->n = (uint32_t)s->nspans - l->off;
		break;
	case I_OR: {
		/* the kids' spans first (they may push), then one contiguous copy */
		uint32_t start, total = 0;
		for (k = 0; k < in->nkids; k++)
			if (!spans_of(s, in->kids[k]))
				return NULL;
		start = (uint32_t)s->nspans;
		for (k = 0; k < in->nkids; k++) {
			const struct spanlist *c = &s->sl[in->kids[k]];
			uint32_t i;
			for (i = 0; i < c->n && total < MAX_SPANS; i++, total++) {
				struct span sp = s->spans[c->off + i];
				if (span_push(s, sp.start, sp.end, sp.field) < 0)
					return NULL;
			}
		}
		l->off = start;
		l->n = total;
		break;
	}
	case I_NEAR:
		near_spans(s, in);
		break;
	default:
		break;
	}
	return s->oom ? NULL : l;
}

static int eval_term(struct wn_qmatch_state *s, const struct instr *in)
{
	size_t k;
	const char *what;

	if (in->npats == 1) {
		if (s->mask[in->pats[0]] & in->wfields)
			return 1;
	} else if (in->npats > 1) {
		/* cheap rejection: every word somewhere in the fields */
		for (k = 0; k < in->npats; k++)
			if (!(s->mask[in->pats[k]] & in->wfields))
				break;
		if (k == in->npats) {
			size_t before = s->nspans;
			const struct occvec *ov = &s->occ[in->pats[0]];
			uint32_t i;
			size_t j;
			for (i = 0; i < ov->n; i++) {
				const struct occ *o = &ov->v[i];
				if (!(o->field & in->wfields))
					continue;
				for (j = 1; j < in->npats; j++)
					if (!occ_at(s, in->pats[j], o->field, o->pos + (uint32_t)j))
						break;
				if (j == in->npats)
					return 1;
			}
			s->nspans = before;
		}
	}
	for (k = 0; k < in->nvm; k++) {
		int r = match_value(s, &in->vm[k], &what);
		if (r)
			return r;
	}
	return 0;
}

int wn_qmatch_record(struct wn_qmatch_state *s, json_object *rec, struct wn_err *err)
{
	const struct wn_qmatch *m = s->m;
	size_t i, k;

	s->rec = rec;
	s->err = err;
	s->oom = 0;
	s->stamp++;
	if (s->stamp == 0) { /* wrapped: reset the stamps */
		s->stamp = 1;
		memset(s->sl, 0, m->nprog * sizeof(*s->sl));
		s->pt.stamp = s->journal.stamp = s->issn.stamp = s->la.stamp = s->au.stamp = 0;
		s->mesh_stamp = 0;
	}
	s->nspans = 0;
	s->nocc_total = 0;
	s->occ_overflow = 0;
	for (i = 0; i < m->npats; i++) {
		s->mask[i] = 0;
		s->occ[i].n = 0;
	}
	if (m->need_words)
		scan_record(s, rec);
	for (i = 0; i < m->nprog && !s->oom; i++) {
		const struct instr *in = &m->prog[i];
		char r = 0;
		switch (in->op) {
		case I_TERM: {
			int t = eval_term(s, in);
			if (t < 0)
				s->oom = 1;
			r = t > 0;
			break;
		}
		case I_RANGE: {
			long lo, hi;
			r = record_dates(rec, &lo, &hi) && hi >= in->lo && lo <= in->hi;
			break;
		}
		case I_AND:
			r = 1;
			for (k = 0; k < in->nkids && r; k++)
				r = s->res[in->kids[k]];
			break;
		case I_OR:
			for (k = 0; k < in->nkids && !r; k++)
				r = s->res[in->kids[k]];
			break;
		case I_NOT:
			r = s->res[in->kids[0]];
			for (k = 1; k < in->nkids && r; k++)
				r = !s->res[in->kids[k]];
			break;
		case I_NEAR: {
			struct spanlist *l;
			r = 1;
			for (k = 0; k < in->nkids && r; k++)
				r = s->res[in->kids[k]];
			if (r) {
				l = spans_of(s, (uint32_t)i);
				r = l && l->n > 0;
			}
			break;
		}
		default:
			break;
		}
		s->res[i] = r;
	}
	if (s->oom)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	return m->nprog ? s->res[m->nprog - 1] : 0;
}

/* ---------------------------------------------------------------- explain */

struct terms {
	json_object *arr;
	struct wn_err *err;
};

static int add_term(struct terms *t, const char *s, size_t n)
{
	size_t i, len = json_object_array_length(t->arr);
	json_object *v;

	if (n == 0)
		return 0;
	for (i = 0; i < len; i++) {
		json_object *x = json_object_array_get_idx(t->arr, i);
		if ((size_t)json_object_get_string_len(x) == n && memcmp(json_object_get_string(x), s, n) == 0)
			return 0;
	}
	if (len >= 200)
		return 0; /* enough to highlight */
	v = json_object_new_string_len(s, (int)n);
	if (!v || json_object_array_add(t->arr, v) < 0) {
		json_object_put(v);
		return wn_err_set(t->err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

static int explain_term(struct wn_qmatch_state *s, const struct instr *in, struct terms *t)
{
	size_t k;

	if (in->npats) {
		const struct occvec *ov = &s->occ[in->pats[0]];
		uint32_t i;
		for (i = 0; i < ov->n; i++) {
			const struct occ *o = &ov->v[i];
			const struct occ *last = o;
			size_t j, n;
			const char *str;
			if (!(o->field & in->wfields))
				continue;
			for (j = 1; j < in->npats; j++) {
				const struct occvec *ov2 = &s->occ[in->pats[j]];
				uint32_t q;
				last = NULL;
				for (q = 0; q < ov2->n; q++)
					if (ov2->v[q].field == o->field && ov2->v[q].pos == o->pos + j) {
						last = &ov2->v[q];
						break;
					}
				if (!last)
					break;
			}
			if (!last || last->item != o->item || last->src != o->src)
				continue;
			str = src_value(s->rec, o->src, o->item, &n);
			if (str && last->off + last->len <= n && add_term(t, str + o->off, last->off + last->len - o->off) < 0)
				return -1;
		}
	}
	for (k = 0; k < in->nvm; k++) {
		const char *what;
		if (match_value(s, &in->vm[k], &what) > 0 && in->vm[k].kind == V_MESH) {
			/* the record's heading as written */
			json_object *x;
			size_t i, n;
			if (!json_object_object_get_ex(s->rec, WN_F_MESH, &x))
				continue;
			n = json_object_array_length(x);
			for (i = 0; i < n && i < s->nmesh; i++) {
				const char *h = json_object_get_string(json_object_array_get_idx(x, i));
				if (h && htab_get(&in->vm[k].names, fnv(s->mesh[i].desc, strlen(s->mesh[i].desc)),
						  s->mesh[i].desc, strlen(s->mesh[i].desc))) {
					const char *sl = strchr(h, '/');
					if (*h == '*')
						h++;
					sl = strchr(h, '/');
					if (add_term(t, h, sl ? (size_t)(sl - h) : strlen(h)) < 0)
						return -1;
				}
			}
		}
	}
	return 0;
}

static int explain_walk(struct wn_qmatch_state *s, uint32_t idx, struct terms *t)
{
	const struct instr *in = &s->m->prog[idx];
	size_t k;

	if (s->seen[idx] || !s->res[idx])
		return 0;
	s->seen[idx] = 1;
	switch (in->op) {
	case I_TERM:
		return explain_term(s, in, t);
	case I_NOT:
		return explain_walk(s, in->kids[0], t);
	case I_AND:
	case I_OR:
	case I_NEAR:
		for (k = 0; k < in->nkids; k++)
			if (explain_walk(s, in->kids[k], t) < 0)
				return -1;
		return 0;
	default:
		return 0;
	}
}

int wn_qmatch_explain(struct wn_qmatch_state *s, json_object **clauses, json_object **terms,
		      struct wn_err *err)
{
	const struct wn_qmatch *m = s->m;
	size_t i;

	if (clauses) {
		*clauses = json_object_new_array();
		if (!*clauses)
			goto oom;
		for (i = 0; i < m->nclauses; i++) {
			json_object *v;
			if (!s->res[m->clause_instr[i]])
				continue;
			v = json_object_new_string(m->clauses[i]);
			if (!v || json_object_array_add(*clauses, v) < 0) {
				json_object_put(v);
				goto oom;
			}
		}
	}
	if (terms) {
		struct terms t;
		*terms = json_object_new_array();
		if (!*terms)
			goto oom;
		t.arr = *terms;
		t.err = err;
		memset(s->seen, 0, m->nprog);
		if (m->nprog && explain_walk(s, (uint32_t)(m->nprog - 1), &t) < 0)
			goto oom;
	}
	return 0;
oom:
	if (clauses) {
		json_object_put(*clauses);
		*clauses = NULL;
	}
	if (terms) {
		json_object_put(*terms);
		*terms = NULL;
	}
	return wn_err_set(err, WN_ENOMEM, "out of memory");
}

/* ---------------------------------------------------------------- field names */

int wn_qfields_parse(const char *s, unsigned *out, const char **bad)
{
	static const struct { const char *name; unsigned bits; } names[] = {
		{ "ti", WN_QF_TI }, { "title", WN_QF_TI }, { "ab", WN_QF_AB }, { "abstract", WN_QF_AB },
		{ "kw", WN_QF_KW }, { "keywords", WN_QF_KW }, { "tiab", WN_QF_TI | WN_QF_AB | WN_QF_KW },
		{ "mh", WN_QF_MESHW }, { "mesh", WN_QF_MESHW }, { "pt", WN_QF_PT }, { "pubtypes", WN_QF_PT },
		{ "journal", WN_QF_JOURNAL }, { "ta", WN_QF_JOURNAL }, { "au", WN_QF_AU },
		{ "authors", WN_QF_AU }, { "all", WN_QF_ALL },
	};
	unsigned f = 0;
	const char *p = s;

	while (*p) {
		size_t len = strcspn(p, ","), i;
		int found = 0;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == len && strncmp(p, names[i].name, len) == 0) {
				f |= names[i].bits;
				found = 1;
			}
		if (!found && len) {
			if (bad)
				*bad = p;
			return -1;
		}
		p += len;
		if (*p)
			p++;
	}
	if (!f) {
		if (bad)
			*bad = s;
		return -1;
	}
	*out = f;
	return 0;
}

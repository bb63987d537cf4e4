/*
 * wos_tags.c - Web of Science field tags into record fields (see wos.h).
 *
 * Tag meanings follow Clarivate's field tag list (research/formats.md 3.3). Tags with no
 * record field go to extra under the tag, one entry per item, so nothing is lost; the
 * tags that carry lists (DE, ID, DT, WC, SC ...) are split on ';' either way.
 *
 * WoS exports also hold records of other databases on the platform; their UT says which
 * ("MEDLINE:16842170", "INSPEC:8863438"), and that becomes the source, because PRISMA
 * counts databases, not platforms.
 */
#include <string.h>
#include "winnow/text.h"
#include "csv_util.h"
#include "wos.h"

void wn_wos_rec_init(struct wn_wos_rec *r, struct wn_recb *b)
{
	r->b = b;
	wn_buf_init(&r->au, 0);
	wn_buf_init(&r->af, 0);
	wn_buf_init(&r->bp, 0);
	wn_buf_init(&r->ep, 0);
	wn_buf_init(&r->ar, 0);
	wn_buf_init(&r->ps, 0);
	wn_buf_init(&r->pd, 0);
	wn_buf_init(&r->py, 0);
	wn_buf_init(&r->ut, 0);
}

void wn_wos_rec_release(struct wn_wos_rec *r)
{
	wn_buf_release(&r->au);
	wn_buf_release(&r->af);
	wn_buf_release(&r->bp);
	wn_buf_release(&r->ep);
	wn_buf_release(&r->ar);
	wn_buf_release(&r->ps);
	wn_buf_release(&r->pd);
	wn_buf_release(&r->py);
	wn_buf_release(&r->ut);
}

int wn_wos_rec_begin(struct wn_wos_rec *r, struct wn_err *err)
{
	wn_buf_reset(&r->au);
	wn_buf_reset(&r->af);
	wn_buf_reset(&r->bp);
	wn_buf_reset(&r->ep);
	wn_buf_reset(&r->ar);
	wn_buf_reset(&r->ps);
	wn_buf_reset(&r->pd);
	wn_buf_reset(&r->py);
	wn_buf_reset(&r->ut);
	return wn_recb_begin(r->b, err);
}

int wn_wos_item_tag(const char *tag)
{
	static const char *const items[] = {
		"AU", "AF", "BA", "BF", "BE", "CA", "GP", "CR", "C1", "ED", NULL
	};
	size_t i;

	for (i = 0; items[i]; i++) {
		if (tag[0] == items[i][0] && tag[1] == items[i][1])
			return 1;
	}
	return 0;
}

enum act {
	A_EXTRA, A_TEXT, A_ABSTRACT, A_LIST_SEMI, A_KEYWORDS, A_AUTH, A_FULLAUTH, A_GROUP,
	A_DOI, A_PMID, A_ISSN, A_ISBN, A_SAVE, A_UT, A_EXTRA_ITEMS
};

struct tagmap {
	char tag[3];
	enum act act;
	const char *field; /* record field, or the buffer for A_SAVE */
};

static const struct tagmap tags[] = {
	{ "PT", A_TEXT, WN_F_TYPE },
	{ "AU", A_AUTH, NULL },
	{ "AF", A_FULLAUTH, NULL },
	{ "CA", A_GROUP, NULL },
	{ "TI", A_TEXT, WN_F_TITLE },
	{ "SO", A_TEXT, WN_F_JOURNAL },
	{ "JI", A_TEXT, WN_F_JOURNAL_ABBREV },
	{ "LA", A_TEXT, WN_F_LANGUAGE },
	{ "DT", A_LIST_SEMI, WN_F_PUBTYPES },
	{ "DE", A_KEYWORDS, NULL },
	{ "ID", A_KEYWORDS, NULL },
	{ "AB", A_ABSTRACT, WN_F_ABSTRACT },
	{ "PU", A_TEXT, WN_F_PUBLISHER },
	{ "SN", A_ISSN, NULL },
	{ "EI", A_ISSN, NULL },
	{ "BN", A_ISBN, NULL },
	{ "VL", A_TEXT, WN_F_VOLUME },
	{ "IS", A_TEXT, WN_F_ISSUE },
	{ "DI", A_DOI, NULL },
	{ "PM", A_PMID, NULL },
	{ "UT", A_UT, NULL },
	{ "BP", A_SAVE, "bp" },
	{ "EP", A_SAVE, "ep" },
	{ "AR", A_SAVE, "ar" },
	{ "PS", A_SAVE, "ps" },
	{ "PD", A_SAVE, "pd" },
	{ "PY", A_SAVE, "py" },
	{ "CR", A_EXTRA_ITEMS, NULL },
	{ "C1", A_EXTRA_ITEMS, NULL },
	{ "BA", A_EXTRA_ITEMS, NULL },
	{ "BF", A_EXTRA_ITEMS, NULL },
	{ "BE", A_EXTRA_ITEMS, NULL },
	{ "GP", A_EXTRA_ITEMS, NULL },
	{ "ED", A_EXTRA_ITEMS, NULL },
	{ "", A_EXTRA, NULL }
};

static const struct tagmap *lookup(const char *tag)
{
	size_t i;

	for (i = 0; tags[i].tag[0]; i++) {
		if (tags[i].tag[0] == tag[0] && tags[i].tag[1] == tag[1])
			return &tags[i];
	}
	return &tags[i];
}

static struct wn_buf *saved(struct wn_wos_rec *r, const char *which)
{
	if (!strcmp(which, "bp"))
		return &r->bp;
	if (!strcmp(which, "ep"))
		return &r->ep;
	if (!strcmp(which, "ar"))
		return &r->ar;
	if (!strcmp(which, "pd"))
		return &r->pd;
	if (!strcmp(which, "py"))
		return &r->py;
	return &r->ps;
}

/* Add items of v (one item, or ';'-joined when `joined`) to a '\n'-separated buffer. */
static int add_items(struct wn_buf *buf, const char *v, size_t n, int joined, struct wn_err *err)
{
	size_t i = 0;

	while (i <= n) {
		size_t j = i;
		const char *p;
		size_t len;

		if (joined)
			while (j < n && v[j] != ';')
				j++;
		else
			j = n;
		p = v + i;
		len = j - i;
		wn_text_trim(&p, &len);
		if (len) {
			/* an item never contains the separator */
			size_t start = buf->len, k;
			if (wn_buf_add(buf, p, len, err) < 0 || wn_buf_addc(buf, '\n', err) < 0)
				return -1;
			for (k = start; k + 1 < buf->len; k++)
				if (buf->data[k] == '\n')
					buf->data[k] = ' ';
		}
		i = j + 1;
	}
	return 0;
}

int wn_wos_rec_field(struct wn_wos_rec *r, const char *tag, const char *v, size_t n,
		     int joined, struct wn_err *err)
{
	const struct tagmap *m = lookup(tag);
	struct wn_recb *b = r->b;
	char t[3] = { tag[0], tag[1], '\0' };

	switch (m->act) {
	case A_TEXT:
	case A_ABSTRACT:
		/* a tag given twice: the first value is the field, the others go to extra */
		if (json_object_object_get_ex(wn_recb_peek(b), m->field, NULL))
			return wn_recb_extra(b, t, v, n, 0, err) < 0 ? -1 : 0;
		return wn_recb_text(b, m->field, v, n, m->act == A_ABSTRACT ? WN_RECB_MULTILINE : 0,
				    err) < 0 ? -1 : 0;
	case A_LIST_SEMI:
		return wn_fu_split(b, m->field, v, n, ";", WN_RECB_UNIQUE, err) < 0 ? -1 : 0;
	case A_KEYWORDS:
		return wn_fu_split(b, WN_F_KEYWORDS, v, n, ";", WN_RECB_UNIQUE, err) < 0 ? -1 : 0;
	case A_AUTH:
		/* names never contain ';', but some exports (MEDLINE on WoS) join them with it */
		return add_items(&r->au, v, n, 1, err);
	case A_FULLAUTH:
		return add_items(&r->af, v, n, 1, err);
	case A_GROUP:
		/* group authors are authors of the record, under their own name */
		return joined ? (wn_fu_split(b, WN_F_AUTHORS, v, n, ";", WN_RECB_UNIQUE, err) < 0 ? -1 : 0)
			      : (wn_fu_list(b, WN_F_AUTHORS, v, n, WN_RECB_UNIQUE, err) < 0 ? -1 : 0);
	case A_DOI:
		if (wn_recb_doi(b, v, n, err) < 0)
			return -1;
		return 0;
	case A_PMID: {
		const char *p = v;
		size_t len = n;
		wn_text_trim(&p, &len);
		return wn_recb_text(b, WN_F_PMID, p, len, WN_RECB_KEEP, err) < 0 ? -1 : 0;
	}
	case A_ISSN:
		return wn_fu_split(b, WN_F_ISSN, v, n, ";", WN_RECB_UNIQUE, err) < 0 ? -1 : 0;
	case A_ISBN:
		return wn_fu_split(b, WN_F_ISBN, v, n, ";", WN_RECB_UNIQUE, err) < 0 ? -1 : 0;
	case A_SAVE: {
		struct wn_buf *s = saved(r, m->field);
		if (s->len && wn_buf_addc(s, ' ', err) < 0)
			return -1;
		return wn_buf_add(s, v, n, err);
	}
	case A_UT:
		if (wn_recb_text(b, WN_F_SOURCE_ID, v, n, WN_RECB_KEEP, err) < 0)
			return -1;
		wn_buf_reset(&r->ut);
		return wn_buf_add(&r->ut, v, n, err);
	case A_EXTRA_ITEMS:
		if (joined)
			return wn_fu_split_extra(b, t, v, n, ";", err) < 0 ? -1 : 0;
		return wn_recb_extra(b, t, v, n, 0, err) < 0 ? -1 : 0;
	case A_EXTRA:
	default:
		/* a repeated non-item tag (rare) becomes a list in extra */
		return wn_recb_extra(b, t, v, n, 0, err) < 0 ? -1 : 0;
	}
}

/* Each '\n'-terminated item of buf to authors (names in "Surname, Given" form) or, with
 * a tag, to extra.<tag> as given. */
static int flush_items(struct wn_recb *b, const struct wn_buf *buf, const char *tag,
		       struct wn_err *err)
{
	struct wn_buf name;
	size_t i = 0;
	int rc = 0;

	wn_buf_init(&name, 0);
	while (i < buf->len && rc >= 0) {
		const char *nl = memchr(buf->data + i, '\n', buf->len - i);
		size_t len = (size_t)(nl - (buf->data + i));
		if (tag)
			rc = wn_recb_extra(b, tag, buf->data + i, len, 0, err);
		else if ((rc = wn_fu_name(&name, buf->data + i, len, WN_NAME_GUESS, 0, err)) == 0)
			rc = wn_recb_list(b, WN_F_AUTHORS, name.data, name.len, 0, err);
		i += len + 1;
	}
	wn_buf_release(&name);
	return rc < 0 ? -1 : 0;
}

/* The database behind a WoS record, from its UT prefix. */
static const char *source_of(const struct wn_buf *ut)
{
	static const struct { const char *prefix, *source; } dbs[] = {
		{ "WOS:", "Web of Science" },
		{ "MEDLINE:", "MEDLINE (Web of Science)" },
		{ "INSPEC:", "Inspec (Web of Science)" },
		{ "ZOOREC:", "Zoological Record (Web of Science)" },
		{ "BCI:", "BIOSIS Citation Index (Web of Science)" },
		{ "BIOSIS:", "BIOSIS Previews (Web of Science)" },
		{ "CABI:", "CAB Abstracts (Web of Science)" },
		{ "CCC:", "Current Contents Connect (Web of Science)" },
		{ "DIIDW:", "Derwent Innovations Index (Web of Science)" },
		{ "KJD:", "KCI-Korean Journal Database (Web of Science)" },
		{ "SCIELO:", "SciELO Citation Index (Web of Science)" },
		{ "RSCI:", "Russian Science Citation Index (Web of Science)" },
		{ "CSCD:", "Chinese Science Citation Database (Web of Science)" },
		{ "PQDT:", "ProQuest Dissertations & Theses (Web of Science)" },
		{ "GRANTS:", "Grants Index (Web of Science)" },
		{ NULL, NULL }
	};
	const char *p = ut->data;
	size_t n = ut->len, i;

	wn_text_trim(&p, &n);
	for (i = 0; dbs[i].prefix; i++) {
		if (wn_text_startswith(p, n, dbs[i].prefix))
			return dbs[i].source;
	}
	return "Web of Science";
}

int wn_wos_rec_finish(struct wn_wos_rec *r, struct wn_err *err)
{
	struct wn_recb *b = r->b;
	const char *src = source_of(&r->ut);
	int year = 0;

	/* full names (AF) when the export has them; the short forms stay in extra */
	if (r->af.len) {
		if (flush_items(b, &r->af, NULL, err) < 0 || flush_items(b, &r->au, "AU", err) < 0)
			return -1;
	} else if (flush_items(b, &r->au, NULL, err) < 0) {
		return -1;
	}
	/* pages: BP-EP; else the article number (e-locator, as MEDLINE gives it); else
	 * Inspec's PS page span */
	if (r->bp.len || r->ep.len) {
		if (wn_fu_pages(b, r->bp.data, r->bp.len, r->ep.data, r->ep.len, err) < 0)
			return -1;
		if (r->ar.len && wn_recb_extra(b, "AR", r->ar.data, r->ar.len, 0, err) < 0)
			return -1;
	} else if (r->ar.len) {
		if (wn_recb_text(b, WN_F_PAGES, r->ar.data, r->ar.len, 0, err) < 0)
			return -1;
	}
	if (r->ps.len) {
		if (json_object_object_get_ex(wn_recb_peek(b), WN_F_PAGES, NULL)) {
			if (wn_recb_extra(b, "PS", r->ps.data, r->ps.len, 0, err) < 0)
				return -1;
		} else if (wn_recb_text(b, WN_F_PAGES, r->ps.data, r->ps.len, 0, err) < 0) {
			return -1;
		}
	}
	if (r->py.len)
		year = wn_text_find_year(r->py.data, r->py.len);
	if (r->pd.len) {
		if (wn_fu_date(b, r->pd.data, r->pd.len, year, err) < 0)
			return -1;
		if (wn_recb_extra(b, "PD", r->pd.data, r->pd.len, 0, err) < 0)
			return -1;
	}
	if (year && wn_recb_peek(b) &&
	    wn_record_set_int(wn_recb_peek(b), WN_F_YEAR, year, err) < 0)
		return -1;
	/* MEDLINE records on the WoS platform carry their PMID in UT */
	if (wn_text_startswith(r->ut.data, r->ut.len, "MEDLINE:") &&
	    wn_recb_text(b, WN_F_PMID, r->ut.data + 8, r->ut.len - 8, WN_RECB_KEEP, err) < 0)
		return -1;
	return wn_recb_text(b, WN_F_SOURCE, src, strlen(src), WN_RECB_KEEP, err) < 0 ? -1 : 0;
}

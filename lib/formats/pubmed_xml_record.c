/*
 * pubmed_xml_record.c - one PubMed XML record chunk -> one record (see pubmed_xml.h).
 *
 * Each chunk is parsed on its own by libxml2 (the options of wn_xml_options(), one
 * parser context per thread, reused) with SAX callbacks: no tree is built, which is
 * most of what a DOM costs (measured: 2.5x faster on baseline records). The callbacks
 * keep a stack of the elements they are in and collect the text of the elements that
 * map to record fields; what an element means depends on where it is (PubmedData's
 * ArticleIdList is the record's, a Reference's is not).
 *
 * The mapping follows research/formats.md section 2:
 *   - identifiers only from PubmedData/ArticleIdList (a ReferenceList repeats the
 *     same elements for every cited work); ELocationID's DOI only as a fallback;
 *   - titles and abstracts keep the text of their inline markup (i, b, sup, sub, u,
 *     MathML); structured abstracts become "LABEL: text" paragraphs;
 *   - MeSH headings are written as MEDLINE's MH lines are (a "*" before the descriptor
 *     or qualifier that is a major topic, qualifiers after "/"), so XML and .nbib
 *     imports of one citation agree;
 *   - PubmedBookArticle becomes a "Book" or "Book Chapter" record, never dropped.
 * What has no record field but matters to a reviewer goes to `extra` under its element
 * name (MedlineDate, Status, ArticleDate, VernacularTitle, OtherAbstract, ...).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <libxml/parserInternals.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/xmlsafe.h"
#include "medline_util.h"
#include "pubmed_xml.h"

/* The elements the mapping looks at; everything else is E_OTHER. */
enum elem {
	E_OTHER,
	E_PubmedArticle, E_PubmedBookArticle, E_MedlineCitation, E_DeleteCitation,
	E_BookDocument, E_PubmedData, E_PubmedBookData, E_Book,
	E_PMID, E_Article, E_Journal, E_ISSN, E_JournalIssue, E_Volume, E_Issue, E_PubDate,
	E_Year, E_Month, E_Day, E_Season, E_MedlineDate, E_Title, E_ISOAbbreviation,
	E_ArticleTitle, E_VernacularTitle, E_Pagination, E_MedlinePgn, E_StartPage, E_EndPage,
	E_ELocationID, E_Abstract, E_AbstractText, E_CopyrightInformation, E_OtherAbstract,
	E_AuthorList, E_Author, E_LastName, E_ForeName, E_Initials, E_Suffix, E_CollectiveName,
	E_Language, E_PublicationTypeList, E_PublicationType, E_ArticleDate,
	E_MedlineJournalInfo, E_MedlineTA, E_ISSNLinking, E_NlmUniqueID,
	E_MeshHeadingList, E_MeshHeading, E_DescriptorName, E_QualifierName,
	E_KeywordList, E_Keyword, E_CommentsCorrectionsList, E_CommentsCorrections, E_RefSource,
	E_CoiStatement, E_ArticleIdList, E_ArticleId, E_PublicationStatus,
	E_Publisher, E_PublisherName, E_PublisherLocation, E_BookTitle, E_Edition,
	E_CollectionTitle, E_Isbn, E_LocationLabel,
	E_COUNT
};

static const char *const elem_names[E_COUNT] = {
	"", "PubmedArticle", "PubmedBookArticle", "MedlineCitation", "DeleteCitation",
	"BookDocument", "PubmedData", "PubmedBookData", "Book",
	"PMID", "Article", "Journal", "ISSN", "JournalIssue", "Volume", "Issue", "PubDate",
	"Year", "Month", "Day", "Season", "MedlineDate", "Title", "ISOAbbreviation",
	"ArticleTitle", "VernacularTitle", "Pagination", "MedlinePgn", "StartPage", "EndPage",
	"ELocationID", "Abstract", "AbstractText", "CopyrightInformation", "OtherAbstract",
	"AuthorList", "Author", "LastName", "ForeName", "Initials", "Suffix", "CollectiveName",
	"Language", "PublicationTypeList", "PublicationType", "ArticleDate",
	"MedlineJournalInfo", "MedlineTA", "ISSNLinking", "NlmUniqueID",
	"MeshHeadingList", "MeshHeading", "DescriptorName", "QualifierName",
	"KeywordList", "Keyword", "CommentsCorrectionsList", "CommentsCorrections", "RefSource",
	"CoiStatement", "ArticleIdList", "ArticleId", "PublicationStatus",
	"Publisher", "PublisherName", "PublisherLocation", "BookTitle", "Edition",
	"CollectionTitle", "Isbn", "LocationLabel",
};

/* Element name -> enum, the slow way (on a cache miss). */
static enum elem lookup_slow(const char *name)
{
	int i;

	for (i = 1; i < E_COUNT; i++) {
		if (name[0] == elem_names[i][0] && strcmp(name, elem_names[i]) == 0)
			return (enum elem)i;
	}
	return E_OTHER;
}

/* Element names come from the parser context's dictionary, which lives as long as the
 * context: the same name is the same pointer. An open-addressing table keyed by that
 * pointer answers most lookups without comparing strings; it is cleared if the
 * dictionary ever changes, and simply stops learning if it fills (then every unknown
 * name takes the slow way, still correctly). */
static enum elem lookup(struct px_parser *px, const xmlChar *name)
{
	size_t h, k;

	if (px->cache_dict != px->ctxt->dict) {
		memset(px->cache_name, 0, sizeof(px->cache_name));
		px->cache_used = 0;
		px->cache_dict = px->ctxt->dict;
	}
	h = (size_t)(((uintptr_t)name * (uintptr_t)0x9E3779B97F4A7C15u) >> 20) & (PX_NAME_CACHE - 1);
	for (k = 0; k < PX_NAME_CACHE; k++) {
		size_t slot = (h + k) & (PX_NAME_CACHE - 1);
		enum elem e;
		if (px->cache_name[slot] == name)
			return (enum elem)px->cache_elem[slot];
		if (px->cache_name[slot])
			continue;
		e = lookup_slow((const char *)name);
		if (px->cache_used * 2 < PX_NAME_CACHE) {
			px->cache_name[slot] = name;
			px->cache_elem[slot] = (unsigned char)e;
			px->cache_used++;
		}
		return e;
	}
	return lookup_slow((const char *)name);
}

#define MAX_DEPTH 300

/* Per-record SAX state. */
struct sax {
	struct px_parser *px;
	struct wn_recb *b;
	json_object *deleted;
	struct wn_err *err;
	int failed;             /* an allocation failed: stop building */
	int started;            /* an element began: libxml2 really parsed the chunk */

	enum elem stack[MAX_DEPTH];
	int depth;              /* elements open (stack[0..depth)) */

	struct wn_buf *cap;     /* text of the element being collected goes here */
	int cap_depth;          /* ... while depth >= cap_depth (0: not collecting) */

	/* per-record bits gathered before they can be used */
	int in_record;          /* 1 inside PubmedArticle/PubmedBookArticle/MedlineCitation */
	int book, chapter, nlang, has_ta, editors, author_invalid;
	int y, m, d;            /* PubDate parts */
	int in_pubdate;         /* which date: 1 PubDate, 2 ArticleDate */
	char *reftype;          /* CommentsCorrections RefType (copied) */
	char idtype[16];        /* ArticleId IdType */
	int eloc_kind;          /* ELocationID: 1 doi, 2 pii */
	int major;              /* MeshHeading part is a major topic */
	int have_eloc;
};

/* Scratch buffers live in px->bufs, indexed here. */
enum {
	B_TEXT, B_ABSTRACT, B_LAST, B_FORE, B_INIT, B_SUFFIX, B_COLL, B_MESH, B_REFSRC, B_REFPMID,
	B_PGN, B_START, B_END, B_ELOC, B_BOOKTITLE, B_BOOKAUTH, B_ISO, B_LABEL
};

static struct wn_buf *buf(struct sax *s, int i)
{
	return &s->px->bufs[i];
}

/* Something could not be allocated: every later callback of this parse does nothing.
 * (Not xmlStopParser: it frees the input at once, and with it the attribute values
 * the callback in progress may still be reading.) Callees that fail set err; the few
 * allocations made here directly (libxml2 strings, json-c) leave it to this. */
static int fail(struct sax *s)
{
	if (s->err && s->err->code == WN_OK)
		wn_err_set(s->err, WN_ENOMEM, "out of memory");
	s->failed = 1;
	return -1;
}

static void collect(struct sax *s, int which)
{
	s->cap = buf(s, which);
	wn_buf_reset(s->cap);
	s->cap_depth = s->depth;
}

static enum elem parent(const struct sax *s, int up)
{
	return s->depth - 1 - up >= 0 ? s->stack[s->depth - 1 - up] : E_OTHER;
}

/* Attribute value of a SAX2 attribute array (localname, prefix, URI, value, end). */
static const char *attr(const xmlChar **atts, int n, const char *name, size_t *len)
{
	int i;

	for (i = 0; i < n; i++) {
		const xmlChar **a = atts + i * 5;
		if (strcmp((const char *)a[0], name) == 0) {
			*len = (size_t)(a[4] - a[3]);
			return (const char *)a[3];
		}
	}
	return NULL;
}

/* Append an attribute value: without entity substitution libxml2 hands "&" over as
 * "&#38;" (every other entity is either predefined and substituted, or an error). */
static int add_attr_value(struct wn_buf *b, const char *v, size_t len, struct wn_err *err)
{
	const char *e = v + len, *amp;

	while ((amp = px_memmem(v, (size_t)(e - v), "&#38;", 5)) != NULL) {
		if (wn_buf_add(b, v, (size_t)(amp - v), err) < 0 || wn_buf_addc(b, '&', err) < 0)
			return -1;
		v = amp + 5;
	}
	return wn_buf_add(b, v, (size_t)(e - v), err);
}

static int attr_is(const xmlChar **atts, int n, const char *name, const char *value)
{
	size_t len;
	const char *v = attr(atts, n, name, &len);

	return v && len == strlen(value) && memcmp(v, value, len) == 0;
}

static int set_text(struct sax *s, const char *field, unsigned flags)
{
	struct wn_buf *t = buf(s, B_TEXT);

	return wn_recb_text(s->b, field, t->data, t->len, flags, s->err) < 0 ? fail(s) : 0;
}

static int add_list(struct sax *s, const char *field, unsigned flags)
{
	struct wn_buf *t = buf(s, B_TEXT);

	return wn_recb_list(s->b, field, t->data, t->len, flags, s->err) < 0 ? fail(s) : 0;
}

static int add_extra(struct sax *s, const char *tag)
{
	struct wn_buf *t = buf(s, B_TEXT);

	return wn_recb_extra(s->b, tag, t->data, t->len, 0, s->err) < 0 ? fail(s) : 0;
}

static int small_int(const struct wn_buf *t)
{
	const char *p = t->data;
	size_t n = t->len, i;
	int v = 0;

	wn_text_trim(&p, &n);
	if (n == 0 || n > 4)
		return 0;
	for (i = 0; i < n; i++) {
		if (!wn_isdigit((unsigned char)p[i]))
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int begin_record(struct sax *s, const char *type)
{
	s->in_record = 1;
	s->book = s->chapter = s->nlang = s->has_ta = 0;
	s->have_eloc = 0;
	wn_buf_reset(buf(s, B_ELOC));
	wn_buf_reset(buf(s, B_BOOKTITLE));
	wn_buf_reset(buf(s, B_BOOKAUTH));
	wn_buf_reset(buf(s, B_ISO));
	if (wn_recb_begin(s->b, s->err) < 0 ||
	    wn_recb_text(s->b, WN_F_SOURCE, "PubMed", 6, 0, s->err) < 0 ||
	    wn_recb_text(s->b, WN_F_TYPE, type, strlen(type), 0, s->err) < 0)
		return fail(s);
	return 0;
}

/* ---- start of an element ---- */

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
		     int nb_ns, const xmlChar **ns, int nb_atts, int nb_defaulted, const xmlChar **atts)
{
	struct sax *s = ctx;
	struct px_parser *px = s->px;
	enum elem e, p;
	size_t len;
	const char *v;

	(void)prefix;
	(void)uri;
	(void)nb_ns;
	(void)ns;
	(void)nb_defaulted;
	s->started = 1;
	if (s->failed)
		return;
	/* MathML and other prefixed elements are inline markup, never fields */
	e = prefix ? E_OTHER : lookup(px, localname);
	if (s->depth >= MAX_DEPTH) {
		s->depth++;
		return;
	}
	p = s->depth ? s->stack[s->depth - 1] : E_OTHER;
	s->stack[s->depth++] = e;
	if (s->cap_depth || e == E_OTHER)
		return; /* inside text being collected (inline markup), or nothing to do */

	switch (e) {
	case E_PubmedArticle:
		if (!s->in_record)
			begin_record(s, "Journal Article");
		return;
	case E_PubmedBookArticle:
		if (!s->in_record)
			begin_record(s, "Book");
		s->book = 1;
		return;
	case E_MedlineCitation:
		if (!s->in_record && begin_record(s, "Journal Article") < 0)
			return; /* no record to add to: err says why */
		if ((v = attr(atts, nb_atts, "Status", &len)) != NULL) {
			wn_buf_reset(buf(s, B_LABEL));
			if (add_attr_value(buf(s, B_LABEL), v, len, s->err) < 0 ||
			    wn_recb_extra(s->b, "Status", buf(s, B_LABEL)->data, buf(s, B_LABEL)->len, 0, s->err) < 0)
				fail(s);
		}
		return;
	case E_DeleteCitation:
		return;
	case E_PMID:
		if (p == E_MedlineCitation || p == E_BookDocument || p == E_DeleteCitation) {
			collect(s, B_TEXT);
			if (p != E_DeleteCitation && (v = attr(atts, nb_atts, "Version", &len)) != NULL &&
			    !(len == 1 && v[0] == '1') &&
			    wn_recb_extra(s->b, "PMID_Version", v, len, 0, s->err) < 0)
				fail(s);
		} else if (p == E_CommentsCorrections) {
			collect(s, B_REFPMID);
		}
		return;
	case E_ArticleTitle:
		if (p == E_BookDocument)
			s->chapter = 1;
		/* fall through */
	case E_VernacularTitle:
	case E_CoiStatement:
	case E_Language:
	case E_LocationLabel:
		if (p == E_Article || p == E_BookDocument || p == E_MedlineCitation)
			collect(s, B_TEXT);
		return;
	case E_ISSN:
	case E_Title:
	case E_ISOAbbreviation:
		if (p == E_Journal)
			collect(s, B_TEXT);
		return;
	case E_Volume:
		if (p == E_JournalIssue || p == E_Book)
			collect(s, B_TEXT);
		return;
	case E_Issue:
		if (p == E_JournalIssue)
			collect(s, B_TEXT);
		return;
	case E_PubDate:
		if (p == E_JournalIssue || p == E_Book) {
			s->in_pubdate = 1;
			s->y = s->m = s->d = 0;
		}
		return;
	case E_ArticleDate:
		if (p == E_Article) {
			s->in_pubdate = 2;
			s->y = s->m = s->d = 0;
		}
		return;
	case E_Year:
	case E_Month:
	case E_Day:
	case E_Season:
	case E_MedlineDate:
		if ((p == E_PubDate || p == E_ArticleDate) && s->in_pubdate)
			collect(s, B_TEXT);
		return;
	case E_Pagination:
		wn_buf_reset(buf(s, B_PGN));
		wn_buf_reset(buf(s, B_START));
		wn_buf_reset(buf(s, B_END));
		return;
	case E_MedlinePgn:
		if (p == E_Pagination)
			collect(s, B_PGN);
		return;
	case E_StartPage:
		if (p == E_Pagination)
			collect(s, B_START);
		return;
	case E_EndPage:
		if (p == E_Pagination)
			collect(s, B_END);
		return;
	case E_ELocationID:
		s->eloc_kind = 0;
		if (p == E_Article || p == E_BookDocument || p == E_Book) {
			if (attr_is(atts, nb_atts, "EIdType", "doi") && !attr_is(atts, nb_atts, "ValidYN", "N"))
				s->eloc_kind = 1;
			else if (p == E_Article && attr_is(atts, nb_atts, "EIdType", "pii"))
				s->eloc_kind = 2;
			if (s->eloc_kind)
				collect(s, B_TEXT);
		}
		return;
	case E_Abstract:
	case E_OtherAbstract:
		if (p == E_Article || p == E_BookDocument || p == E_MedlineCitation)
			wn_buf_reset(buf(s, B_ABSTRACT));
		return;
	case E_AbstractText: {
		struct wn_buf *a = buf(s, B_ABSTRACT);
		if (p != E_Abstract && p != E_OtherAbstract)
			return;
		if ((a->len && wn_buf_addc(a, '\n', s->err) < 0))
			return (void)fail(s);
		/* the paragraph starts here; its label first */
		px->para_start = a->len;
		if ((v = attr(atts, nb_atts, "Label", &len)) != NULL && len &&
		    (add_attr_value(a, v, len, s->err) < 0 || wn_buf_add(a, ": ", 2, s->err) < 0))
			return (void)fail(s);
		s->cap = a;
		s->cap_depth = s->depth;
		return;
	}
	case E_CopyrightInformation:
		if (p == E_Abstract || p == E_OtherAbstract)
			collect(s, B_TEXT);
		return;
	case E_AuthorList:
		s->editors = attr_is(atts, nb_atts, "Type", "editors");
		if (attr_is(atts, nb_atts, "CompleteYN", "N") &&
		    wn_recb_extra(s->b, "AuthorList_CompleteYN", "N", 1, 0, s->err) < 0)
			fail(s);
		return;
	case E_Author:
		if (p != E_AuthorList)
			return;
		s->author_invalid = attr_is(atts, nb_atts, "ValidYN", "N");
		wn_buf_reset(buf(s, B_LAST));
		wn_buf_reset(buf(s, B_FORE));
		wn_buf_reset(buf(s, B_INIT));
		wn_buf_reset(buf(s, B_SUFFIX));
		wn_buf_reset(buf(s, B_COLL));
		return;
	case E_LastName:
	case E_ForeName:
	case E_Initials:
	case E_Suffix:
	case E_CollectiveName:
		if (p == E_Author)
			collect(s, e == E_LastName ? B_LAST : e == E_ForeName ? B_FORE : e == E_Initials ? B_INIT
				: e == E_Suffix ? B_SUFFIX : B_COLL);
		return;
	case E_PublicationType:
		if (p == E_PublicationTypeList || p == E_BookDocument)
			collect(s, B_TEXT);
		return;
	case E_MedlineTA:
	case E_ISSNLinking:
	case E_NlmUniqueID:
		if (p == E_MedlineJournalInfo)
			collect(s, B_TEXT);
		return;
	case E_MeshHeading:
		wn_buf_reset(buf(s, B_MESH));
		return;
	case E_DescriptorName:
	case E_QualifierName: {
		struct wn_buf *m = buf(s, B_MESH);
		if (p != E_MeshHeading)
			return;
		if ((e == E_QualifierName && wn_buf_addc(m, '/', s->err) < 0) ||
		    (attr_is(atts, nb_atts, "MajorTopicYN", "Y") && wn_buf_addc(m, '*', s->err) < 0))
			return (void)fail(s);
		s->cap = m;
		s->cap_depth = s->depth;
		return;
	}
	case E_Keyword:
		if (p == E_KeywordList)
			collect(s, B_TEXT);
		return;
	case E_CommentsCorrections:
		wn_free(s->reftype);
		s->reftype = NULL;
		wn_buf_reset(buf(s, B_REFSRC));
		wn_buf_reset(buf(s, B_REFPMID));
		if (p == E_CommentsCorrectionsList && (v = attr(atts, nb_atts, "RefType", &len)) != NULL) {
			/* RefType is a name from a fixed list: no entities to decode */
			s->reftype = wn_strndup(v, len);
			if (!s->reftype)
				fail(s);
		}
		return;
	case E_RefSource:
		if (p == E_CommentsCorrections)
			collect(s, B_REFSRC);
		return;
	case E_ArticleId:
		s->idtype[0] = '\0';
		/* only the record's own list: never a Reference's */
		if (p == E_ArticleIdList && (parent(s, 2) == E_PubmedData || parent(s, 2) == E_BookDocument ||
					     parent(s, 2) == E_PubmedBookData) &&
		    (v = attr(atts, nb_atts, "IdType", &len)) != NULL && len < sizeof(s->idtype)) {
			memcpy(s->idtype, v, len);
			s->idtype[len] = '\0';
			if (strcmp(s->idtype, "pubmed") != 0)
				collect(s, B_TEXT);
		}
		return;
	case E_PublicationStatus:
		if (p == E_PubmedData || p == E_PubmedBookData)
			collect(s, B_TEXT);
		return;
	case E_PublisherName:
	case E_PublisherLocation:
		if (p == E_Publisher)
			collect(s, B_TEXT);
		return;
	case E_BookTitle:
		if (p == E_Book)
			collect(s, B_BOOKTITLE);
		return;
	case E_Edition:
	case E_CollectionTitle:
	case E_Isbn:
		if (p == E_Book)
			collect(s, B_TEXT);
		return;
	default:
		return;
	}
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
	struct sax *s = ctx;

	if (s->cap_depth && !s->failed && wn_buf_add(s->cap, ch, (size_t)len, s->err) < 0)
		fail(s);
}

/* ---- end of an element ---- */

static int end_author(struct sax *s)
{
	struct wn_buf *name = buf(s, B_TEXT);
	struct wn_buf *last = buf(s, B_LAST), *fore = buf(s, B_FORE), *init = buf(s, B_INIT);

	if (s->author_invalid)
		return 0;
	wn_buf_reset(name);
	if (last->len) {
		if (wn_buf_add(name, last->data, last->len, s->err) < 0)
			return fail(s);
		if ((fore->len || init->len) &&
		    (wn_buf_add(name, ", ", 2, s->err) < 0 ||
		     wn_buf_add(name, fore->len ? fore->data : init->data, fore->len ? fore->len : init->len, s->err) < 0))
			return fail(s);
		if (buf(s, B_SUFFIX)->len &&
		    (wn_buf_addc(name, ' ', s->err) < 0 ||
		     wn_buf_add(name, buf(s, B_SUFFIX)->data, buf(s, B_SUFFIX)->len, s->err) < 0))
			return fail(s);
	} else if (buf(s, B_COLL)->len) {
		if (wn_buf_add(name, buf(s, B_COLL)->data, buf(s, B_COLL)->len, s->err) < 0)
			return fail(s);
	} else {
		return 0;
	}
	if (s->editors)
		return add_extra(s, "editors");
	if (parent(s, 1) == E_Book && s->book) {
		/* the book's authors: placed after the chapter's, see end_book_document */
		struct wn_buf *ba = buf(s, B_BOOKAUTH);
		if (wn_buf_add(ba, name->data, name->len, s->err) < 0 || wn_buf_addc(ba, '\0', s->err) < 0)
			return fail(s);
		return 0;
	}
	return add_list(s, WN_F_AUTHORS, 0);
}

static int end_date(struct sax *s)
{
	char d[16];
	int n;

	if (s->in_pubdate == 1)
		return wn_medline_set_date(s->b, s->y, s->m, s->d, s->err) < 0 ? fail(s) : 0;
	/* ArticleDate: the electronic publication date, kept in extra */
	if (s->y < 1000 || s->y > 2999)
		return 0;
	if (s->m && s->d >= 1 && s->d <= 31)
		n = snprintf(d, sizeof(d), "%04d-%02d-%02d", s->y, s->m, s->d);
	else if (s->m)
		n = snprintf(d, sizeof(d), "%04d-%02d", s->y, s->m);
	else
		n = snprintf(d, sizeof(d), "%04d", s->y);
	return wn_recb_extra(s->b, "ArticleDate", d, (size_t)n, 0, s->err) < 0 ? fail(s) : 0;
}

static int end_pagination(struct sax *s)
{
	struct wn_buf *pgn = buf(s, B_PGN), *st = buf(s, B_START), *en = buf(s, B_END);
	const char *p = pgn->data;
	size_t n = pgn->len;

	wn_text_trim(&p, &n);
	if (n)
		return wn_recb_text(s->b, WN_F_PAGES, p, n, WN_RECB_KEEP, s->err) < 0 ? fail(s) : 0;
	if (!st->len)
		return 0;
	if (en->len && (wn_buf_addc(st, '-', s->err) < 0 || wn_buf_add(st, en->data, en->len, s->err) < 0))
		return fail(s);
	return wn_recb_text(s->b, WN_F_PAGES, st->data, st->len, WN_RECB_KEEP, s->err) < 0 ? fail(s) : 0;
}

static int end_language(struct sax *s)
{
	struct wn_buf *t = buf(s, B_TEXT);
	size_t i;

	/* "ENG" occurs; the codes are lower case */
	for (i = 0; i < t->len; i++)
		t->data[i] = (char)wn_tolower((unsigned char)t->data[i]);
	if (++s->nlang == 1)
		return set_text(s, WN_F_LANGUAGE, WN_RECB_KEEP);
	if (s->nlang == 2) {
		/* more than one: all of them in extra, the first still in `language` */
		const char *first = wn_record_get(wn_recb_peek(s->b), WN_F_LANGUAGE);
		if (first && wn_recb_extra(s->b, "Language", first, strlen(first), 0, s->err) < 0)
			return fail(s);
	}
	return add_extra(s, "Language");
}

static int end_article_id(struct sax *s)
{
	struct wn_buf *t = buf(s, B_TEXT);

	if (strcmp(s->idtype, "doi") == 0)
		return wn_recb_doi(s->b, t->data, t->len, s->err) < 0 ? fail(s) : 0;
	if (strcmp(s->idtype, "pmc") == 0 || strcmp(s->idtype, "pmcid") == 0)
		return set_text(s, WN_F_PMCID, WN_RECB_KEEP);
	return wn_recb_extra(s->b, s->idtype, t->data, t->len, WN_RECB_UNIQUE, s->err) < 0 ? fail(s) : 0;
}

/* End of MedlineCitation: journal_abbrev is MedlineTA (as MEDLINE's TA); the ISO
 * abbreviation stays in extra only when it says something else, and stands in when
 * there is no TA. */
static int end_citation(struct sax *s)
{
	struct wn_buf *iso = buf(s, B_ISO);
	const char *abbr;

	if (!iso->len)
		return 0;
	if (!s->has_ta)
		return wn_recb_text(s->b, WN_F_JOURNAL_ABBREV, iso->data, iso->len, WN_RECB_KEEP, s->err) < 0
			? fail(s) : 0;
	abbr = wn_record_get(wn_recb_peek(s->b), WN_F_JOURNAL_ABBREV);
	if (abbr && strlen(abbr) == iso->len && memcmp(abbr, iso->data, iso->len) == 0)
		return 0;
	return wn_recb_extra(s->b, "ISOAbbreviation", iso->data, iso->len, 0, s->err) < 0 ? fail(s) : 0;
}

/* End of BookDocument: the book title is the title of a book and the container of a
 * chapter; the book's own authors follow the chapter's. */
static int end_book_document(struct sax *s)
{
	struct wn_buf *bt = buf(s, B_BOOKTITLE), *ba = buf(s, B_BOOKAUTH);
	size_t i = 0;

	if (s->chapter && wn_recb_text(s->b, WN_F_TYPE, "Book Chapter", 12, 0, s->err) < 0)
		return fail(s);
	if (bt->len && wn_recb_text(s->b, s->chapter ? WN_F_JOURNAL : WN_F_TITLE, bt->data, bt->len,
				    WN_RECB_KEEP, s->err) < 0)
		return fail(s);
	while (i < ba->len) {
		size_t n = strlen(ba->data + i);
		if ((s->chapter ? wn_recb_extra(s->b, "book_authors", ba->data + i, n, 0, s->err)
				: wn_recb_list(s->b, WN_F_AUTHORS, ba->data + i, n, 0, s->err)) < 0)
			return fail(s);
		i += n + 1;
	}
	return 0;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	struct sax *s = ctx;
	enum elem e, p;
	int collecting;

	(void)localname;
	(void)prefix;
	(void)uri;
	if (s->failed || s->depth == 0)
		return;
	if (s->depth > MAX_DEPTH) {
		s->depth--;
		return;
	}
	e = s->stack[s->depth - 1];
	p = s->depth >= 2 ? s->stack[s->depth - 2] : E_OTHER;
	collecting = s->cap_depth == s->depth;
	s->depth--;
	if (s->cap_depth) {
		if (!collecting)
			return; /* the end of inline markup inside collected text */
		s->cap_depth = 0;
	}
	switch (e) {
	case E_PMID:
		if (!collecting)
			return;
		if (p == E_DeleteCitation) {
			const char *v = buf(s, B_TEXT)->data;
			size_t n = buf(s, B_TEXT)->len;
			json_object *o;
			wn_text_trim(&v, &n);
			if (!n || !s->deleted)
				return;
			o = wn_alloc_should_fail() ? NULL : json_object_new_string_len(v, (int)n);
			if (!o || json_object_array_add(s->deleted, o)) {
				json_object_put(o);
				fail(s);
			}
			return;
		}
		if (p == E_CommentsCorrections)
			return;
		if (set_text(s, WN_F_PMID, WN_RECB_KEEP) == 0)
			set_text(s, WN_F_SOURCE_ID, WN_RECB_KEEP);
		return;
	case E_ArticleTitle:
		if (collecting)
			set_text(s, WN_F_TITLE, 0);
		return;
	case E_VernacularTitle:
	case E_CoiStatement:
	case E_LocationLabel:
	case E_Edition:
	case E_CollectionTitle:
	case E_PublisherLocation:
	case E_NlmUniqueID:
	case E_CopyrightInformation:
	case E_PublicationStatus:
		if (collecting)
			add_extra(s, elem_names[e]);
		return;
	case E_Language:
		if (collecting)
			end_language(s);
		return;
	case E_ISSN:
	case E_ISSNLinking:
		if (collecting)
			add_list(s, WN_F_ISSN, WN_RECB_UNIQUE);
		return;
	case E_Isbn:
		if (collecting)
			add_list(s, WN_F_ISBN, WN_RECB_UNIQUE);
		return;
	case E_Title:
		if (collecting)
			set_text(s, WN_F_JOURNAL, WN_RECB_KEEP);
		return;
	case E_ISOAbbreviation:
		if (collecting) {
			struct wn_buf *iso = buf(s, B_ISO);
			const char *v = buf(s, B_TEXT)->data;
			size_t n = buf(s, B_TEXT)->len;
			wn_text_trim(&v, &n);
			wn_buf_reset(iso);
			if (wn_buf_add(iso, v, n, s->err) < 0)
				fail(s);
		}
		return;
	case E_MedlineTA:
		if (collecting) {
			s->has_ta = 1;
			set_text(s, WN_F_JOURNAL_ABBREV, WN_RECB_KEEP);
		}
		return;
	case E_Volume:
		if (collecting)
			set_text(s, WN_F_VOLUME, WN_RECB_KEEP);
		return;
	case E_Issue:
		if (collecting)
			set_text(s, WN_F_ISSUE, WN_RECB_KEEP);
		return;
	case E_Year:
		if (collecting)
			s->y = small_int(buf(s, B_TEXT));
		return;
	case E_Month:
		if (collecting)
			s->m = wn_medline_month(buf(s, B_TEXT)->data, buf(s, B_TEXT)->len);
		return;
	case E_Day:
		if (collecting)
			s->d = small_int(buf(s, B_TEXT));
		return;
	case E_Season:
		if (collecting)
			add_extra(s, "Season");
		return;
	case E_MedlineDate:
		if (collecting) {
			struct wn_buf *t = buf(s, B_TEXT);
			wn_medline_parse_date(t->data, t->len, &s->y, &s->m, &s->d);
			add_extra(s, "MedlineDate");
		}
		return;
	case E_PubDate:
	case E_ArticleDate:
		if (s->in_pubdate && (p == E_JournalIssue || p == E_Book || p == E_Article))
			end_date(s);
		s->in_pubdate = 0;
		return;
	case E_Pagination:
		if (p == E_Article || p == E_BookDocument)
			end_pagination(s);
		return;
	case E_ELocationID:
		if (!collecting)
			return;
		if (s->eloc_kind == 2) {
			add_extra(s, "ELocationID_pii");
		} else if (s->eloc_kind == 1 && !s->have_eloc) {
			struct wn_buf *t = buf(s, B_TEXT);
			s->have_eloc = 1;
			if (wn_buf_add(buf(s, B_ELOC), t->data, t->len, s->err) < 0)
				fail(s);
		}
		return;
	case E_AbstractText:
		if (collecting) {
			/* a paragraph is one line: line breaks inside it are layout */
			struct wn_buf *a = buf(s, B_ABSTRACT);
			size_t i;
			for (i = s->px->para_start; i < a->len; i++) {
				if (a->data[i] == '\n' || a->data[i] == '\r')
					a->data[i] = ' ';
			}
		}
		return;
	case E_Abstract:
	case E_OtherAbstract:
		if (p == E_Article || p == E_BookDocument || p == E_MedlineCitation) {
			struct wn_buf *a = buf(s, B_ABSTRACT);
			int rc = e == E_Abstract
				? wn_recb_text(s->b, WN_F_ABSTRACT, a->data, a->len, WN_RECB_MULTILINE | WN_RECB_KEEP, s->err)
				: wn_recb_extra(s->b, "OtherAbstract", a->data, a->len, WN_RECB_MULTILINE, s->err);
			if (rc < 0)
				fail(s);
		}
		return;
	case E_Author:
		if (p == E_AuthorList)
			end_author(s);
		return;
	case E_PublicationType:
		if (collecting)
			add_list(s, WN_F_PUBTYPES, WN_RECB_UNIQUE);
		return;
	case E_DescriptorName:
	case E_QualifierName:
		return;
	case E_MeshHeading:
		if (p == E_MeshHeadingList) {
			struct wn_buf *m = buf(s, B_MESH);
			if (wn_recb_list(s->b, WN_F_MESH, m->data, m->len, 0, s->err) < 0)
				fail(s);
		}
		return;
	case E_Keyword:
		if (collecting)
			add_list(s, WN_F_KEYWORDS, WN_RECB_UNIQUE);
		return;
	case E_CommentsCorrections:
		if (p == E_CommentsCorrectionsList && wn_medline_is_notice_type(s->reftype) &&
		    wn_medline_notice(s->b, s->reftype, buf(s, B_REFPMID)->data, buf(s, B_REFPMID)->len,
				      buf(s, B_REFSRC)->data, buf(s, B_REFSRC)->len, s->err) < 0)
			fail(s);
		return;
	case E_ArticleId:
		if (collecting)
			end_article_id(s);
		return;
	case E_PublisherName:
		if (collecting)
			set_text(s, WN_F_PUBLISHER, WN_RECB_KEEP);
		return;
	case E_MedlineCitation:
		end_citation(s);
		return;
	case E_BookDocument:
		end_book_document(s);
		return;
	default:
		return;
	}
}

/* ---- running it ---- */

/* The SAX user data (struct sax) is what libxml2 passes to the structured error
 * handler too. */
static void on_error(void *data, xmlErrorPtr e)
{
	struct sax *s = data;
	struct px_parser *px = s ? s->px : NULL;
	size_t n;

	if (!px || !e)
		return;
	/* not a fault of the record: whatever libxml2 says after it, the run must end */
	if (e->code == XML_ERR_NO_MEMORY)
		px->nomem = 1;
	if (e->level < XML_ERR_FATAL || px->errmsg[0])
		return;
	snprintf(px->errmsg, sizeof(px->errmsg), "%s", e->message ? e->message : "XML error");
	n = strlen(px->errmsg);
	while (n && (px->errmsg[n - 1] == '\n' || px->errmsg[n - 1] == ' '))
		px->errmsg[--n] = '\0';
	px->errline = e->line;
	px->errcode = e->code;
	px->errint1 = e->int1;
	snprintf(px->errstr1, sizeof(px->errstr1), "%s", e->str1 ? e->str1 : "");
	snprintf(px->errstr2, sizeof(px->errstr2), "%s", e->str2 ? e->str2 : "");
}

void px_sax_handlers(xmlSAXHandlerPtr h)
{
	memset(h, 0, sizeof(*h));
	h->initialized = XML_SAX2_MAGIC;
	h->startElementNs = on_start;
	h->endElementNs = on_end;
	h->characters = on_chars;
	h->cdataBlock = on_chars;
	h->ignorableWhitespace = on_chars;
	h->serror = on_error;
}

int px_sax_parse(struct px_parser *px, struct wn_recb *b, json_object *deleted, const char *p,
		 size_t n, struct wn_err *err)
{
	struct sax s;
	struct wn_xml_watch watch;
	xmlDocPtr doc;
	int ok, nomem;

	memset(&s, 0, sizeof(s));
	s.px = px;
	s.b = b;
	s.deleted = deleted;
	s.err = err;
	wn_err_clear(err);
	px->errmsg[0] = '\0';
	px->errline = px->errcode = px->errint1 = px->nomem = 0;
	if (n > (size_t)INT32_MAX) {
		snprintf(px->errmsg, sizeof(px->errmsg), "record too large");
		return 0;
	}
	px->ctxt->userData = &s;
	wn_xml_watch_begin(&watch);
	doc = xmlCtxtReadMemory(px->ctxt, p, (int)n, NULL, px->encoding, wn_xml_options());
	nomem = wn_xml_watch_end(&watch);
	px->ctxt->userData = NULL;
	if (doc)
		xmlFreeDoc(doc); /* not expected: no tree is built */
	wn_free(s.reftype);
	/* An allocation failure inside libxml2 is never the record's fault, and must not
	 * pass for a malformed record (skipped) or a well-formed one cut short (changed).
	 * libxml2 2.9 tells of it in several ways: XML_ERR_NO_MEMORY to the context's
	 * handler (possibly after other errors, or overwritten in errNo by a later one), to
	 * the thread's handler (input and buffer set-up), or not at all - then the document
	 * "parsed" without a single element, which a well-formed document cannot do. */
	nomem = nomem || px->nomem || px->ctxt->errNo == XML_ERR_NO_MEMORY ||
		(px->ctxt->wellFormed && !s.started);
	if (nomem && !s.failed) {
		wn_err_set(err, WN_ENOMEM, "out of memory (libxml2)");
		s.failed = 1;
	}
	ok = s.failed ? -1 : px->ctxt->wellFormed ? 1 : 0;
	/* the ELocationID DOI, when the ArticleIdList had none */
	if (ok == 1 && b->rec && s.have_eloc && !json_object_object_get_ex(b->rec, WN_F_DOI, NULL) &&
	    wn_recb_doi(b, buf(&s, B_ELOC)->data, buf(&s, B_ELOC)->len, err) < 0)
		ok = -1;
	if (ok != 1 && b->rec) {
		json_object_put(b->rec);
		b->rec = NULL;
	}
	return ok;
}

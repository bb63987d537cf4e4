/*
 * pubmed_xml_record.c - one PubMed XML record chunk -> one record (see pubmed_xml.h).
 *
 * Each chunk is parsed on its own with libxml2 (the options of wn_xml_options(), a
 * per-thread parser context reused between records) into a small tree, which is walked
 * once. The mapping follows research/formats.md section 2:
 *   - identifiers only from PubmedData/ArticleIdList (a ReferenceList repeats the
 *     same elements for every cited work); ELocationID's DOI only as a fallback;
 *   - titles and abstracts keep the text of their inline markup (i, b, sup, sub, u,
 *     MathML); structured abstracts become "LABEL: text" paragraphs;
 *   - MeSH headings are written as MEDLINE's MH lines are (a "*" before the
 *     descriptor or qualifier that is a major topic, qualifiers after "/"), so XML and .nbib imports of one citation agree;
 *   - PubmedBookArticle becomes a "Book" or "Book Chapter" record, never dropped.
 * What has no record field but matters to a reviewer goes to `extra` under its element
 * name (MedlineDate, Status, ArticleDate, VernacularTitle, OtherAbstract, ...).
 */
#include <string.h>
#include <libxml/parserInternals.h>
#include "winnow/ascii.h"
#include "winnow/utf8.h"
#include "winnow/xmlsafe.h"
#include "medline_util.h"
#include "pubmed_xml.h"

#define EACH_ELEMENT(c, n) \
	for ((c) = (n)->children; (c); (c) = (c)->next) \
		if ((c)->type == XML_ELEMENT_NODE)

static int is(xmlNodePtr n, const char *name)
{
	return strcmp((const char *)n->name, name) == 0;
}

/* Attribute value (borrowed), or NULL. */
static const char *attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;

	for (a = n->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) == 0) {
			if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
				return (const char *)a->children->content;
			return "";
		}
	}
	return NULL;
}

static int attr_is(xmlNodePtr n, const char *name, const char *value)
{
	const char *v = attr(n, name);

	return v && strcmp(v, value) == 0;
}

/* Append the text of n and its descendants (inline markup, MathML) to out. */
static int collect(struct wn_buf *out, xmlNodePtr n, struct wn_err *err)
{
	xmlNodePtr c;

	for (c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content && wn_buf_adds(out, (const char *)c->content, err) < 0)
				return -1;
		} else if (c->type == XML_ELEMENT_NODE && c->children) {
			if (collect(out, c, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* The text of n in px->text (reset first). */
static int text_of(struct px_parser *px, xmlNodePtr n, struct wn_err *err)
{
	wn_buf_reset(&px->text);
	/* the common case, one text child: no copy through collect's recursion */
	return collect(&px->text, n, err);
}

static int set_text(struct px_parser *px, struct wn_recb *b, const char *field, xmlNodePtr n,
		    unsigned flags, struct wn_err *err)
{
	if (text_of(px, n, err) < 0)
		return -1;
	return wn_recb_text(b, field, px->text.data, px->text.len, flags, err);
}

static int add_list(struct px_parser *px, struct wn_recb *b, const char *field, xmlNodePtr n,
		    unsigned flags, struct wn_err *err)
{
	if (text_of(px, n, err) < 0)
		return -1;
	return wn_recb_list(b, field, px->text.data, px->text.len, flags, err);
}

static int add_extra(struct px_parser *px, struct wn_recb *b, const char *tag, xmlNodePtr n,
		     struct wn_err *err)
{
	if (text_of(px, n, err) < 0)
		return -1;
	return wn_recb_extra(b, tag, px->text.data, px->text.len, 0, err);
}

static int small_int(struct px_parser *px, xmlNodePtr n, struct wn_err *err, int *v)
{
	const char *s;
	size_t len, i;

	*v = 0;
	if (text_of(px, n, err) < 0)
		return -1;
	s = px->text.data;
	len = px->text.len;
	wn_text_trim(&s, &len);
	if (len == 0 || len > 4)
		return 0;
	for (i = 0; i < len; i++) {
		if (!wn_isdigit((unsigned char)s[i])) {
			*v = 0;
			return 0;
		}
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* PubDate: (Year, ((Month, Day?) | Season)?) | MedlineDate. */
static int pub_date(struct px_parser *px, struct wn_recb *b, xmlNodePtr d, struct wn_err *err)
{
	xmlNodePtr c;
	int y = 0, m = 0, day = 0;

	EACH_ELEMENT(c, d) {
		if (is(c, "Year")) {
			if (small_int(px, c, err, &y) < 0)
				return -1;
		} else if (is(c, "Month")) {
			if (text_of(px, c, err) < 0)
				return -1;
			m = wn_medline_month(px->text.data, px->text.len);
		} else if (is(c, "Day")) {
			if (small_int(px, c, err, &day) < 0)
				return -1;
		} else if (is(c, "Season")) {
			if (add_extra(px, b, "Season", c, err) < 0)
				return -1;
		} else if (is(c, "MedlineDate")) {
			if (text_of(px, c, err) < 0)
				return -1;
			wn_medline_parse_date(px->text.data, px->text.len, &y, &m, &day);
			if (wn_recb_extra(b, "MedlineDate", px->text.data, px->text.len, 0, err) < 0)
				return -1;
		}
	}
	return wn_medline_set_date(b, y, m, day, err);
}

/* ArticleDate (the electronic publication date) kept as YYYY-MM-DD in extra. */
static int article_date(struct px_parser *px, struct wn_recb *b, xmlNodePtr d, struct wn_err *err)
{
	xmlNodePtr c;
	int y = 0, m = 0, day = 0;
	char buf[16];
	int n;

	EACH_ELEMENT(c, d) {
		if (is(c, "Year")) {
			if (small_int(px, c, err, &y) < 0)
				return -1;
		} else if (is(c, "Month")) {
			if (text_of(px, c, err) < 0)
				return -1;
			m = wn_medline_month(px->text.data, px->text.len);
		} else if (is(c, "Day")) {
			if (small_int(px, c, err, &day) < 0)
				return -1;
		}
	}
	if (y < 1000 || y > 2999)
		return 0;
	if (m && day >= 1 && day <= 31)
		n = snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, day);
	else if (m)
		n = snprintf(buf, sizeof(buf), "%04d-%02d", y, m);
	else
		n = snprintf(buf, sizeof(buf), "%04d", y);
	return wn_recb_extra(b, "ArticleDate", buf, (size_t)n, 0, err);
}

/* One Author: "LastName, ForeName Suffix" (Initials when there is no ForeName), or the
 * CollectiveName. Spellings marked ValidYN="N" are not the author's name: skipped. */
static int author(struct px_parser *px, struct wn_recb *b, xmlNodePtr a, int editors,
		  struct wn_err *err)
{
	xmlNodePtr c, last = NULL, fore = NULL, init = NULL, suffix = NULL, coll = NULL;
	struct wn_buf *name = &px->text2;

	if (attr_is(a, "ValidYN", "N"))
		return 0;
	EACH_ELEMENT(c, a) {
		if (is(c, "LastName"))
			last = c;
		else if (is(c, "ForeName"))
			fore = c;
		else if (is(c, "Initials"))
			init = c;
		else if (is(c, "Suffix"))
			suffix = c;
		else if (is(c, "CollectiveName"))
			coll = c;
	}
	wn_buf_reset(name);
	if (last) {
		if (collect(name, last, err) < 0)
			return -1;
		if (fore || init) {
			if (wn_buf_adds(name, ", ", err) < 0 || collect(name, fore ? fore : init, err) < 0)
				return -1;
		}
		if (suffix && (wn_buf_addc(name, ' ', err) < 0 || collect(name, suffix, err) < 0))
			return -1;
	} else if (coll) {
		if (collect(name, coll, err) < 0)
			return -1;
	} else {
		return 0;
	}
	if (editors)
		return wn_recb_extra(b, "editors", name->data, name->len, 0, err);
	return wn_recb_list(b, WN_F_AUTHORS, name->data, name->len, 0, err);
}

static int author_list(struct px_parser *px, struct wn_recb *b, xmlNodePtr l, struct wn_err *err)
{
	xmlNodePtr c;
	int editors = attr_is(l, "Type", "editors");

	EACH_ELEMENT(c, l) {
		if (is(c, "Author") && author(px, b, c, editors, err) < 0)
			return -1;
	}
	if (attr_is(l, "CompleteYN", "N"))
		return wn_recb_extra(b, "AuthorList_CompleteYN", "N", 1, 0, err);
	return 0;
}

/* Abstract or OtherAbstract: AbstractText+ as "LABEL: text" paragraphs. */
static int abstract(struct px_parser *px, struct wn_recb *b, xmlNodePtr a, const char *field,
		    int extra, struct wn_err *err)
{
	xmlNodePtr c;
	struct wn_buf *out = &px->text2;
	size_t i;

	wn_buf_reset(out);
	EACH_ELEMENT(c, a) {
		const char *label;
		size_t start;

		if (is(c, "CopyrightInformation")) {
			if (add_extra(px, b, "CopyrightInformation", c, err) < 0)
				return -1;
			continue;
		}
		if (!is(c, "AbstractText"))
			continue;
		if (out->len && wn_buf_addc(out, '\n', err) < 0)
			return -1;
		start = out->len;
		label = attr(c, "Label");
		if (label && *label) {
			if (wn_buf_adds(out, label, err) < 0 || wn_buf_adds(out, ": ", err) < 0)
				return -1;
		}
		if (collect(out, c, err) < 0)
			return -1;
		/* a paragraph is one line: line breaks inside it are layout */
		for (i = start; i < out->len; i++) {
			if (out->data[i] == '\n' || out->data[i] == '\r')
				out->data[i] = ' ';
		}
	}
	if (extra)
		return wn_recb_extra(b, field, out->data, out->len, WN_RECB_MULTILINE, err);
	return wn_recb_text(b, field, out->data, out->len, WN_RECB_MULTILINE | WN_RECB_KEEP, err);
}

/* MeshHeading -> MEDLINE MH style: "*Descriptor/qualifier", "Descriptor/ *qualifier". */
static int mesh_heading(struct px_parser *px, struct wn_recb *b, xmlNodePtr h, struct wn_err *err)
{
	xmlNodePtr c;
	struct wn_buf *out = &px->text2;

	wn_buf_reset(out);
	EACH_ELEMENT(c, h) {
		int desc = is(c, "DescriptorName");
		if (!desc && !is(c, "QualifierName"))
			continue;
		if (!desc && wn_buf_addc(out, '/', err) < 0)
			return -1;
		if (attr_is(c, "MajorTopicYN", "Y") && wn_buf_addc(out, '*', err) < 0)
			return -1;
		if (collect(out, c, err) < 0)
			return -1;
	}
	return wn_recb_list(b, WN_F_MESH, out->data, out->len, 0, err);
}

static int comments_corrections(struct px_parser *px, struct wn_recb *b, xmlNodePtr l,
				struct wn_err *err)
{
	xmlNodePtr c, d;

	EACH_ELEMENT(c, l) {
		const char *type = attr(c, "RefType");
		if (!is(c, "CommentsCorrections") || !wn_medline_is_notice_type(type))
			continue;
		wn_buf_reset(&px->text);
		wn_buf_reset(&px->text2);
		EACH_ELEMENT(d, c) {
			if (is(d, "RefSource")) {
				if (collect(&px->text2, d, err) < 0)
					return -1;
			} else if (is(d, "PMID")) {
				if (collect(&px->text, d, err) < 0)
					return -1;
			}
		}
		if (wn_medline_notice(b, type, px->text.data, px->text.len, px->text2.data,
				      px->text2.len, err) < 0)
			return -1;
	}
	return 0;
}

/* ArticleIdList of PubmedData / BookDocument / PubmedBookData. */
static int article_ids(struct px_parser *px, struct wn_recb *b, xmlNodePtr l, struct wn_err *err)
{
	xmlNodePtr c;

	EACH_ELEMENT(c, l) {
		const char *type;
		if (!is(c, "ArticleId"))
			continue;
		type = attr(c, "IdType");
		if (!type || strcmp(type, "pubmed") == 0)
			continue;
		if (text_of(px, c, err) < 0)
			return -1;
		if (strcmp(type, "doi") == 0) {
			if (wn_recb_doi(b, px->text.data, px->text.len, err) < 0)
				return -1;
		} else if (strcmp(type, "pmc") == 0 || strcmp(type, "pmcid") == 0) {
			if (wn_recb_text(b, WN_F_PMCID, px->text.data, px->text.len, WN_RECB_KEEP, err) < 0)
				return -1;
		} else if (wn_recb_extra(b, type, px->text.data, px->text.len, WN_RECB_UNIQUE, err) < 0) {
			return -1;
		}
	}
	return 0;
}

static int languages(struct px_parser *px, struct wn_recb *b, xmlNodePtr n, int *nlang,
		     struct wn_err *err)
{
	size_t i;

	if (text_of(px, n, err) < 0)
		return -1;
	/* "ENG" occurs; the codes are lower case */
	for (i = 0; i < px->text.len; i++)
		px->text.data[i] = (char)wn_tolower((unsigned char)px->text.data[i]);
	if (++*nlang == 1)
		return wn_recb_text(b, WN_F_LANGUAGE, px->text.data, px->text.len, WN_RECB_KEEP, err);
	if (*nlang == 2) {
		/* more than one: all of them in extra, the first still in `language` */
		const char *first = wn_record_get(wn_recb_peek(b), WN_F_LANGUAGE);
		if (first && wn_recb_extra(b, "Language", first, strlen(first), 0, err) < 0)
			return -1;
	}
	return wn_recb_extra(b, "Language", px->text.data, px->text.len, 0, err);
}

static int pmid(struct px_parser *px, struct wn_recb *b, xmlNodePtr n, struct wn_err *err)
{
	const char *ver = attr(n, "Version");

	if (text_of(px, n, err) < 0)
		return -1;
	if (wn_recb_text(b, WN_F_PMID, px->text.data, px->text.len, WN_RECB_KEEP, err) < 0 ||
	    wn_recb_text(b, WN_F_SOURCE_ID, px->text.data, px->text.len, WN_RECB_KEEP, err) < 0)
		return -1;
	/* versioned citations (since 2012): the PMID stays the id, the version is kept */
	if (ver && strcmp(ver, "1") != 0 &&
	    wn_recb_extra(b, "PMID_Version", ver, strlen(ver), 0, err) < 0)
		return -1;
	return 0;
}

static int pagination(struct px_parser *px, struct wn_recb *b, xmlNodePtr p, struct wn_err *err)
{
	xmlNodePtr c, start = NULL, end = NULL, pgn = NULL;

	EACH_ELEMENT(c, p) {
		if (is(c, "MedlinePgn"))
			pgn = c;
		else if (is(c, "StartPage"))
			start = c;
		else if (is(c, "EndPage"))
			end = c;
	}
	if (pgn) {
		if (text_of(px, pgn, err) < 0)
			return -1;
		if (px->text.len)
			return wn_recb_text(b, WN_F_PAGES, px->text.data, px->text.len, WN_RECB_KEEP, err);
	}
	if (!start)
		return 0;
	wn_buf_reset(&px->text2);
	if (collect(&px->text2, start, err) < 0)
		return -1;
	if (end && (wn_buf_addc(&px->text2, '-', err) < 0 || collect(&px->text2, end, err) < 0))
		return -1;
	return wn_recb_text(b, WN_F_PAGES, px->text2.data, px->text2.len, WN_RECB_KEEP, err);
}

static int journal(struct px_parser *px, struct wn_recb *b, xmlNodePtr j, struct wn_err *err)
{
	xmlNodePtr c, d;

	EACH_ELEMENT(c, j) {
		if (is(c, "ISSN")) {
			if (add_list(px, b, WN_F_ISSN, c, WN_RECB_UNIQUE, err) < 0)
				return -1;
		} else if (is(c, "Title")) {
			if (set_text(px, b, WN_F_JOURNAL, c, WN_RECB_KEEP, err) < 0)
				return -1;
		} else if (is(c, "ISOAbbreviation")) {
			if (add_extra(px, b, "ISOAbbreviation", c, err) < 0)
				return -1;
		} else if (is(c, "JournalIssue")) {
			EACH_ELEMENT(d, c) {
				int rc = 0;
				if (is(d, "Volume"))
					rc = set_text(px, b, WN_F_VOLUME, d, WN_RECB_KEEP, err);
				else if (is(d, "Issue"))
					rc = set_text(px, b, WN_F_ISSUE, d, WN_RECB_KEEP, err);
				else if (is(d, "PubDate"))
					rc = pub_date(px, b, d, err);
				if (rc < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* The Article of a MedlineCitation. eloc_doi receives an ELocationID DOI (fallback). */
static int article(struct px_parser *px, struct wn_recb *b, xmlNodePtr a, xmlNodePtr *eloc_doi,
		   int *nlang, struct wn_err *err)
{
	xmlNodePtr c, d;

	EACH_ELEMENT(c, a) {
		int rc = 0;
		if (is(c, "Journal")) {
			rc = journal(px, b, c, err);
		} else if (is(c, "ArticleTitle")) {
			rc = set_text(px, b, WN_F_TITLE, c, 0, err);
		} else if (is(c, "VernacularTitle")) {
			rc = add_extra(px, b, "VernacularTitle", c, err);
		} else if (is(c, "Pagination")) {
			rc = pagination(px, b, c, err);
		} else if (is(c, "ELocationID")) {
			const char *t = attr(c, "EIdType");
			if (t && strcmp(t, "doi") == 0 && !attr_is(c, "ValidYN", "N")) {
				if (!*eloc_doi)
					*eloc_doi = c;
			} else if (t && strcmp(t, "pii") == 0) {
				rc = add_extra(px, b, "ELocationID_pii", c, err);
			}
		} else if (is(c, "Abstract")) {
			rc = abstract(px, b, c, WN_F_ABSTRACT, 0, err);
		} else if (is(c, "AuthorList")) {
			rc = author_list(px, b, c, err);
		} else if (is(c, "Language")) {
			rc = languages(px, b, c, nlang, err);
		} else if (is(c, "PublicationTypeList")) {
			EACH_ELEMENT(d, c) {
				if (is(d, "PublicationType") &&
				    add_list(px, b, WN_F_PUBTYPES, d, WN_RECB_UNIQUE, err) < 0)
					return -1;
			}
		} else if (is(c, "ArticleDate")) {
			rc = article_date(px, b, c, err);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* MedlineCitation (inside PubmedArticle, or on its own in MedlineCitationSet files). */
static int citation(struct px_parser *px, struct wn_recb *b, xmlNodePtr m, xmlNodePtr *eloc_doi,
		    struct wn_err *err)
{
	xmlNodePtr c, d;
	const char *status = attr(m, "Status");
	const char *ta = NULL;
	int nlang = 0;

	if (status && wn_recb_extra(b, "Status", status, strlen(status), 0, err) < 0)
		return -1;
	EACH_ELEMENT(c, m) {
		int rc = 0;
		if (is(c, "PMID")) {
			rc = pmid(px, b, c, err);
		} else if (is(c, "Article")) {
			rc = article(px, b, c, eloc_doi, &nlang, err);
		} else if (is(c, "MedlineJournalInfo")) {
			EACH_ELEMENT(d, c) {
				if (is(d, "MedlineTA")) {
					rc = set_text(px, b, WN_F_JOURNAL_ABBREV, d, WN_RECB_KEEP, err);
					ta = "";
				} else if (is(d, "ISSNLinking")) {
					rc = add_list(px, b, WN_F_ISSN, d, WN_RECB_UNIQUE, err);
				} else if (is(d, "NlmUniqueID")) {
					rc = add_extra(px, b, "NlmUniqueID", d, err);
				}
				if (rc < 0)
					return -1;
			}
		} else if (is(c, "MeshHeadingList")) {
			EACH_ELEMENT(d, c) {
				if (is(d, "MeshHeading") && mesh_heading(px, b, d, err) < 0)
					return -1;
			}
		} else if (is(c, "KeywordList")) {
			EACH_ELEMENT(d, c) {
				if (is(d, "Keyword") && add_list(px, b, WN_F_KEYWORDS, d, WN_RECB_UNIQUE, err) < 0)
					return -1;
			}
		} else if (is(c, "CommentsCorrectionsList")) {
			rc = comments_corrections(px, b, c, err);
		} else if (is(c, "OtherAbstract")) {
			rc = abstract(px, b, c, "OtherAbstract", 1, err);
		} else if (is(c, "CoiStatement")) {
			rc = add_extra(px, b, "CoiStatement", c, err);
		}
		if (rc < 0)
			return -1;
	}
	/* journal_abbrev is MedlineTA (as MEDLINE's TA); the ISO abbreviation stays in
	 * extra only when it says something else, and stands in when there is no TA */
	{
		json_object *extra, *iso;
		if (json_object_object_get_ex(wn_recb_peek(b), WN_F_EXTRA, &extra) &&
		    json_object_object_get_ex(extra, "ISOAbbreviation", &iso) &&
		    json_object_is_type(iso, json_type_string)) {
			const char *s = json_object_get_string(iso);
			const char *abbr = wn_record_get(wn_recb_peek(b), WN_F_JOURNAL_ABBREV);
			if (!ta && wn_recb_text(b, WN_F_JOURNAL_ABBREV, s, strlen(s), WN_RECB_KEEP, err) < 0)
				return -1;
			if (!ta || (abbr && strcmp(abbr, s) == 0)) {
				json_object_object_del(extra, "ISOAbbreviation");
				if (json_object_object_length(extra) == 0)
					json_object_object_del(wn_recb_peek(b), WN_F_EXTRA);
			}
		}
	}
	return 0;
}

static int pubmed_data(struct px_parser *px, struct wn_recb *b, xmlNodePtr p, struct wn_err *err)
{
	xmlNodePtr c;

	EACH_ELEMENT(c, p) {
		int rc = 0;
		if (is(c, "ArticleIdList"))
			rc = article_ids(px, b, c, err);
		else if (is(c, "PublicationStatus"))
			rc = add_extra(px, b, "PublicationStatus", c, err);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int eloc_fallback(struct px_parser *px, struct wn_recb *b, xmlNodePtr eloc, struct wn_err *err)
{
	if (!eloc || json_object_object_get_ex(wn_recb_peek(b), WN_F_DOI, NULL))
		return 0;
	if (text_of(px, eloc, err) < 0)
		return -1;
	return wn_recb_doi(b, px->text.data, px->text.len, err) < 0 ? -1 : 0;
}

static int begin(struct wn_recb *b, const char *type, struct wn_err *err)
{
	if (wn_recb_begin(b, err) < 0 ||
	    wn_recb_text(b, WN_F_SOURCE, "PubMed", 6, 0, err) < 0 ||
	    wn_recb_text(b, WN_F_TYPE, type, strlen(type), 0, err) < 0)
		return -1;
	return 0;
}

static int pubmed_article(struct px_parser *px, struct wn_recb *b, xmlNodePtr r, struct wn_err *err)
{
	xmlNodePtr c, eloc = NULL;

	if (begin(b, "Journal Article", err) < 0)
		return -1;
	/* PubmedData first: its ArticleIdList is where identifiers come from */
	EACH_ELEMENT(c, r) {
		if (is(c, "PubmedData") && pubmed_data(px, b, c, err) < 0)
			return -1;
	}
	EACH_ELEMENT(c, r) {
		if (is(c, "MedlineCitation") && citation(px, b, c, &eloc, err) < 0)
			return -1;
	}
	return eloc_fallback(px, b, eloc, err);
}

static int medline_citation(struct px_parser *px, struct wn_recb *b, xmlNodePtr r, struct wn_err *err)
{
	xmlNodePtr eloc = NULL;

	if (begin(b, "Journal Article", err) < 0 || citation(px, b, r, &eloc, err) < 0)
		return -1;
	return eloc_fallback(px, b, eloc, err);
}

/* Book: Publisher, BookTitle, PubDate, AuthorList, Volume, Edition, Isbn, ... */
static int book(struct px_parser *px, struct wn_recb *b, xmlNodePtr k, int chapter,
		xmlNodePtr *eloc_doi, struct wn_err *err)
{
	xmlNodePtr c, d;

	EACH_ELEMENT(c, k) {
		int rc = 0;
		if (is(c, "BookTitle")) {
			rc = set_text(px, b, chapter ? WN_F_JOURNAL : WN_F_TITLE, c, WN_RECB_KEEP, err);
		} else if (is(c, "Publisher")) {
			EACH_ELEMENT(d, c) {
				if (is(d, "PublisherName"))
					rc = set_text(px, b, WN_F_PUBLISHER, d, WN_RECB_KEEP, err);
				else if (is(d, "PublisherLocation"))
					rc = add_extra(px, b, "PublisherLocation", d, err);
				if (rc < 0)
					return -1;
			}
		} else if (is(c, "PubDate")) {
			rc = pub_date(px, b, c, err);
		} else if (is(c, "AuthorList")) {
			/* a chapter's own authors come first (BookDocument); the book's authors
			 * are the authors of a whole book */
			if (!chapter || attr_is(c, "Type", "editors"))
				rc = author_list(px, b, c, err);
		} else if (is(c, "Volume")) {
			rc = set_text(px, b, WN_F_VOLUME, c, WN_RECB_KEEP, err);
		} else if (is(c, "Edition")) {
			rc = add_extra(px, b, "Edition", c, err);
		} else if (is(c, "CollectionTitle")) {
			rc = add_extra(px, b, "CollectionTitle", c, err);
		} else if (is(c, "Isbn")) {
			rc = add_list(px, b, WN_F_ISBN, c, WN_RECB_UNIQUE, err);
		} else if (is(c, "ELocationID")) {
			if (attr_is(c, "EIdType", "doi") && !*eloc_doi)
				*eloc_doi = c;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int book_document(struct px_parser *px, struct wn_recb *b, xmlNodePtr doc,
			 xmlNodePtr *eloc_doi, struct wn_err *err)
{
	xmlNodePtr c, d, bk = NULL;
	int chapter = 0, nlang = 0;

	EACH_ELEMENT(c, doc) {
		if (is(c, "ArticleTitle"))
			chapter = 1;
		else if (is(c, "Book"))
			bk = c;
	}
	if (wn_recb_text(b, WN_F_TYPE, chapter ? "Book Chapter" : "Book", chapter ? 12 : 4, 0, err) < 0)
		return -1;
	EACH_ELEMENT(c, doc) {
		int rc = 0;
		if (is(c, "PMID")) {
			rc = pmid(px, b, c, err);
		} else if (is(c, "ArticleIdList")) {
			rc = article_ids(px, b, c, err);
		} else if (is(c, "ArticleTitle")) {
			rc = set_text(px, b, WN_F_TITLE, c, 0, err);
		} else if (is(c, "VernacularTitle")) {
			rc = add_extra(px, b, "VernacularTitle", c, err);
		} else if (is(c, "Pagination")) {
			rc = pagination(px, b, c, err);
		} else if (is(c, "LocationLabel")) {
			rc = add_extra(px, b, "LocationLabel", c, err);
		} else if (is(c, "Language")) {
			rc = languages(px, b, c, &nlang, err);
		} else if (is(c, "AuthorList")) {
			rc = author_list(px, b, c, err);
		} else if (is(c, "PublicationType")) {
			rc = add_list(px, b, WN_F_PUBTYPES, c, WN_RECB_UNIQUE, err);
		} else if (is(c, "Abstract")) {
			rc = abstract(px, b, c, WN_F_ABSTRACT, 0, err);
		} else if (is(c, "KeywordList")) {
			EACH_ELEMENT(d, c) {
				if (is(d, "Keyword") && add_list(px, b, WN_F_KEYWORDS, d, WN_RECB_UNIQUE, err) < 0)
					return -1;
			}
		} else if (is(c, "ELocationID")) {
			if (attr_is(c, "EIdType", "doi") && !*eloc_doi)
				*eloc_doi = c;
		}
		if (rc < 0)
			return -1;
	}
	/* the book's own data after the chapter's, so the chapter's authors lead */
	if (bk && book(px, b, bk, chapter, eloc_doi, err) < 0)
		return -1;
	return 0;
}

static int pubmed_book_article(struct px_parser *px, struct wn_recb *b, xmlNodePtr r,
			       struct wn_err *err)
{
	xmlNodePtr c, eloc = NULL;

	if (begin(b, "Book", err) < 0)
		return -1;
	EACH_ELEMENT(c, r) {
		if (is(c, "PubmedBookData") && pubmed_data(px, b, c, err) < 0)
			return -1;
	}
	EACH_ELEMENT(c, r) {
		if (is(c, "BookDocument") && book_document(px, b, c, &eloc, err) < 0)
			return -1;
	}
	return eloc_fallback(px, b, eloc, err);
}

static int delete_citation(struct px_parser *px, xmlNodePtr r, json_object *deleted,
			   struct wn_err *err)
{
	xmlNodePtr c;

	EACH_ELEMENT(c, r) {
		const char *s;
		size_t n;
		json_object *v;

		if (!is(c, "PMID"))
			continue;
		if (text_of(px, c, err) < 0)
			return -1;
		s = px->text.data;
		n = px->text.len;
		wn_text_trim(&s, &n);
		if (!n || !deleted)
			continue;
		v = json_object_new_string_len(s, (int)n);
		if (!v || json_object_array_add(deleted, v)) {
			json_object_put(v);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	}
	return 0;
}

/* ---- libxml2 per chunk ---- */

static void on_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = data;
	struct px_parser *px = ctxt ? ctxt->_private : NULL;
	size_t n;

	if (!px || !e || e->level < XML_ERR_FATAL || px->errmsg[0])
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

/* libxml2's message for the last failure, reworded where its own wording would puzzle
 * a reviewer (line numbers are relative to the record; entities). */
static void describe_error(struct px_parser *px, unsigned long base_line, char *out, size_t n)
{
	unsigned long line = base_line + (unsigned long)(px->errline > 0 ? px->errline - 1 : 0);
	char at[40] = "";

	/* the diagnostic already names the record's first line */
	if (line != base_line)
		snprintf(at, sizeof(at), "line %lu: ", line);
	if (!px->errmsg[0]) {
		snprintf(out, n, "not well-formed XML");
	} else if (px->errcode == XML_ERR_UNDECLARED_ENTITY || px->errcode == XML_WAR_UNDECLARED_ENTITY) {
		snprintf(out, n, "%sthe entity '&%s;' is not one of XML's own (winnow never reads a DTD or expands the entities it declares)",
			 at, px->errstr1);
	} else if (px->errcode == XML_ERR_TAG_NAME_MISMATCH && px->errstr1[0] && px->errstr2[0]) {
		snprintf(out, n, "%s<%s> (line %lu) is closed by </%s>", at, px->errstr1,
			 base_line + (unsigned long)(px->errint1 > 0 ? px->errint1 - 1 : 0), px->errstr2);
	} else {
		snprintf(out, n, "%s%s", at, px->errmsg);
	}
}

int px_parser_init(struct px_parser *px, struct wn_err *err)
{
	memset(px, 0, sizeof(*px));
	wn_xml_init();
	wn_buf_init(&px->text, 0);
	wn_buf_init(&px->text2, 0);
	wn_buf_init(&px->repaired, 0);
	px->ctxt = xmlNewParserCtxt();
	if (!px->ctxt)
		return wn_err_set(err, WN_ENOMEM, "out of memory (libxml2)");
	px->ctxt->_private = px;
	px->ctxt->sax->serror = on_error;
	return 0;
}

void px_parser_release(struct px_parser *px)
{
	if (px->ctxt)
		xmlFreeParserCtxt(px->ctxt);
	px->ctxt = NULL;
	wn_buf_release(&px->text);
	wn_buf_release(&px->text2);
	wn_buf_release(&px->repaired);
}

int px_raw_pmid(const char *p, size_t n, char *out, size_t outsz)
{
	const char *e = p + n, *q = p;

	out[0] = '\0';
	while ((q = px_memmem(q, (size_t)(e - q), "<PMID", 5)) != NULL) {
		const char *gt = memchr(q, '>', (size_t)(e - q));
		size_t k = 0;
		if (!gt)
			return 0;
		for (gt++; gt < e && wn_isspace((unsigned char)*gt); gt++)
			;
		while (gt < e && wn_isdigit((unsigned char)*gt) && k + 1 < outsz)
			out[k++] = *gt++;
		out[k] = '\0';
		if (k)
			return 1;
		q = gt;
	}
	return 0;
}

static xmlDocPtr read_chunk(struct px_parser *px, const char *p, size_t n)
{
	px->errmsg[0] = '\0';
	px->errline = px->errcode = px->errint1 = 0;
	if (n > (size_t)INT32_MAX) {
		snprintf(px->errmsg, sizeof(px->errmsg), "record too large");
		return NULL;
	}
	return xmlCtxtReadMemory(px->ctxt, p, (int)n, NULL, px->encoding, wn_xml_options());
}

static void bad(struct px_result *res, const struct px_chunk *c, struct px_parser *px,
		const char *reason, const char *what)
{
	char pmid[32];

	res->outcome = PX_BAD;
	res->reason = reason;
	if (c->p && px_raw_pmid(c->p, c->n, pmid, sizeof(pmid)))
		snprintf(res->detail, sizeof(res->detail), "PMID %s: %s", pmid, what);
	else
		snprintf(res->detail, sizeof(res->detail), "%s", what);
}

int px_parse_chunk(struct px_parser *px, const struct px_chunk *c, struct wn_recb *b,
		   json_object *deleted, struct px_result *res, struct wn_err *err)
{
	xmlDocPtr doc;
	xmlNodePtr root;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (c->kind == PX_OVERSIZE) {
		char what[160];
		snprintf(what, sizeof(what), "the record is longer than %zu bytes (--max-line-bytes)",
			 px->rec_max);
		bad(res, c, px, "record too large", what);
		return 0;
	}
	if (c->kind == PX_BROKEN) {
		bad(res, c, px, "malformed XML", c->why);
		return 0;
	}
	doc = read_chunk(px, c->p, c->n);
	if (!doc && !px->encoding && !wn_utf8_valid(c->p, c->n)) {
		/* Latin-1 or Windows-1252 bytes in a file that says UTF-8: repair and retry, the
		 * way the text formats do, and say so */
		long k;
		wn_buf_reset(&px->repaired);
		k = wn_utf8_repair(&px->repaired, c->p, c->n, err);
		if (k < 0)
			return -1;
		res->repaired = (unsigned long)k;
		doc = read_chunk(px, px->repaired.data, px->repaired.len);
	}
	if (!doc) {
		char what[600];
		describe_error(px, c->line, what, sizeof(what));
		bad(res, c, px, "malformed XML", what);
		return 0;
	}
	root = xmlDocGetRootElement(doc);
	if (!root) {
		bad(res, c, px, "malformed XML", "no element");
	} else if (c->kind == PX_DELETE || is(root, "DeleteCitation")) {
		res->outcome = PX_DELETED;
		rc = delete_citation(px, root, deleted, err);
	} else {
		if (is(root, "PubmedArticle"))
			rc = pubmed_article(px, b, root, err);
		else if (is(root, "PubmedBookArticle"))
			rc = pubmed_book_article(px, b, root, err);
		else
			rc = medline_citation(px, b, root, err);
		if (rc == 0) {
			json_object *rec = wn_recb_peek(b);
			res->outcome = PX_OK;
			res->no_pmid = !json_object_object_get_ex(rec, WN_F_PMID, NULL);
			if (res->no_pmid && !json_object_object_get_ex(rec, WN_F_TITLE, NULL)) {
				json_object_put(b->rec);
				b->rec = NULL;
				bad(res, c, px, "no title or identifier", "the record has neither a PMID nor a title");
			}
		}
	}
	xmlFreeDoc(doc);
	return rc;
}

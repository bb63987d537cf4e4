/*
 * endnote_xml.c - EndNote XML (<xml><records><record>...), as written by EndNote,
 * Zotero, Mendeley, Bookends and others.
 *
 * EndNote wraps every value in one or more <style face=... size=...> runs and writes the
 * whole file on one line; Zotero and Mendeley write plain text. Both are handled by
 * taking the text of all descendants of a field element. The file is read with
 * libxml2's streaming reader (safe options, wn_xml_options) and each <record> expanded
 * on its own, so memory stays flat on large libraries. A document libxml2 cannot read
 * further (truncated, not well-formed) keeps the records before the damage; the rest
 * is skipped and counted as "malformed XML".
 *
 * Fields (research/formats.md 3.5): ref-type (its name), contributors/authors,
 * titles/title, periodical/full-title or secondary-title (journal), abbr-1 or alt-title
 * (abbreviation), pages, volume, number/issue, dates/year and pub-dates, isbn (ISSNs
 * too: told apart by length), accession-num, electronic-resource-num (DOI),
 * urls, abstract, keywords, language, publisher, remote-database-name (the source).
 * Everything else is kept in extra under its element name.
 *
 * Out of memory inside libxml2 ends the import, never a record: libxml2 2.9 reports an
 * allocation failure while parsing to the reader's error handler, but one while
 * building the tree or copying text out of it (xmlNodeGetContent, xmlGetProp) only to
 * the thread's structured error handler, and then returns NULL or leaves the node out.
 * A watch (xmlsafe.h) catches those; a NULL where libxml2 always gives a value counts
 * as one too. A read error of the input (EIO, or zlib out of memory) is the run's
 * error, not the document's.
 */
#include <string.h>
#include <libxml/parserInternals.h> /* XML_MAX_TEXT_LENGTH */
#include <libxml/xmlreader.h>
#include "winnow/ascii.h"
#include "winnow/input.h"
#include "winnow/text.h"
#include "winnow/xmlsafe.h"
#include "csv_util.h"
#include "formats.h"

static int en_detect(const unsigned char *head, size_t n)
{
	char text[8192];
	size_t len = wn_fu_head_text(head, n, text, sizeof(text));

	(void)len;
	if (strstr(text, "<records>") && strstr(text, "<record>") &&
	    (strstr(text, "<xml>") || strstr(text, "<ref-type") || strstr(text, "<rec-number>") ||
	     strstr(text, "<contributors>") || strstr(text, "<titles>")))
		return 95;
	if (strstr(text, "<xml>") && strstr(text, "<records>"))
		return 80;
	return 0;
}

struct en {
	struct wn_import *imp;
	struct wn_recb *b;
	struct wn_xml_source src; /* the input; a failed read is kept in src.err */
	char xml_err[512];
	unsigned long xml_line;
	int nomem;              /* the reader reported XML_ERR_NO_MEMORY */
	int huge;               /* ... for a text over libxml2's cap, not for memory */
	struct wn_xml_watch watch;
	struct wn_buf tmp;
	struct wn_fu_weak weak;
};

/* The structured handler: it has the error code, so out of memory is told apart. */
static void on_error(void *arg, xmlErrorPtr x)
{
	struct en *e = arg;

	if (!x)
		return;
	if (wn_xml_error_is_limit(x))
		e->huge = 1;
	else if (x->code == XML_ERR_NO_MEMORY)
		e->nomem = 1;
	if (x->level < XML_ERR_ERROR)
		return;
	if (!e->xml_err[0]) {
		size_t k;
		snprintf(e->xml_err, sizeof(e->xml_err), "%s", x->message ? x->message : "XML error");
		k = strlen(e->xml_err);
		while (k && (e->xml_err[k - 1] == '\n' || e->xml_err[k - 1] == ' '))
			e->xml_err[--k] = '\0';
		e->xml_line = x->line > 0 ? (unsigned long)x->line : 0;
	}
}

/* libxml2 ran out of memory since the import began (either way it says so). */
static int xml_nomem(const struct en *e)
{
	return e->nomem || e->watch.nomem;
}

static int oom(struct wn_err *err)
{
	return wn_err_set(err, WN_ENOMEM, "out of memory (libxml2)");
}

static int is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* All text below the element (style runs joined) into *t, freed with xmlFree. For an
 * element libxml2 always returns a string ("" when empty): NULL is out of memory. */
static int text_of(const xmlNode *n, char **t, size_t *len, struct wn_err *err)
{
	*t = (char *)xmlNodeGetContent(n);
	*len = *t ? strlen(*t) : 0;
	if (!*t)
		return oom(err);
	return 0;
}

static int put_text(struct en *e, const char *field, const xmlNode *n, unsigned flags,
		    struct wn_err *err)
{
	size_t len;
	char *t;
	int rc;

	if (text_of(n, &t, &len, err) < 0)
		return -1;
	rc = wn_recb_text(e->b, field, t, len, flags, err);
	xmlFree(t);
	return rc < 0 ? -1 : rc;
}

static int put_extra(struct en *e, const char *tag, const xmlNode *n, struct wn_err *err)
{
	size_t len;
	char *t;
	int rc;

	if (text_of(n, &t, &len, err) < 0)
		return -1;
	rc = wn_recb_extra(e->b, tag, t, len, 0, err);
	xmlFree(t);
	return rc < 0 ? -1 : 0;
}

static int put_list(struct en *e, const char *field, const xmlNode *n, struct wn_err *err)
{
	size_t len;
	char *t;
	int rc;

	if (text_of(n, &t, &len, err) < 0)
		return -1;
	rc = wn_fu_list(e->b, field, t, len, WN_RECB_UNIQUE, err);
	xmlFree(t);
	return rc < 0 ? -1 : 0;
}

/* A scalar field: the first value wins, later ones go to extra under the element. */
static int scalar(struct en *e, const char *field, const xmlNode *n, unsigned flags,
		  struct wn_err *err)
{
	if (json_object_object_get_ex(wn_recb_peek(e->b), field, NULL))
		return put_extra(e, (const char *)n->name, n, err);
	return put_text(e, field, n, flags, err) < 0 ? -1 : 0;
}

static int authors(struct en *e, const xmlNode *list, struct wn_err *err)
{
	const xmlNode *a;

	for (a = list->children; a; a = a->next) {
		size_t len;
		char *t;
		int rc;

		if (!is(a, "author"))
			continue;
		if (text_of(a, &t, &len, err) < 0)
			return -1;
		rc = wn_fu_name(&e->tmp, t, len, WN_NAME_GUESS, 0, err);
		xmlFree(t);
		if (rc < 0 || wn_recb_list(e->b, WN_F_AUTHORS, e->tmp.data, e->tmp.len, 0, err) < 0)
			return -1;
	}
	return 0;
}

/* <isbn> holds ISSNs too, sometimes several, separated by line breaks or ';'. */
static int codes(struct en *e, const xmlNode *n, struct wn_err *err)
{
	size_t len, i = 0;
	char *t;
	int rc = 0;

	if (text_of(n, &t, &len, err) < 0)
		return -1;
	while (i < len && rc >= 0) {
		size_t j, k, digits = 0;
		while (i < len && strchr(" \t\r\n;,", t[i]))
			i++;
		j = i;
		while (j < len && !strchr(" \t\r\n;,", t[j]))
			j++;
		if (j > i && t[i] == '(') {
			/* "(Electronic)", "(Print)", "(Linking)": a label, not a code */
			i = j;
			continue;
		}
		for (k = i; k < j; k++)
			if (wn_isdigit((unsigned char)t[k]) || t[k] == 'X' || t[k] == 'x')
				digits++;
		if (j > i) {
			if (digits >= 4)
				rc = wn_fu_list(e->b, digits == 8 ? WN_F_ISSN : WN_F_ISBN, t + i, j - i,
						  WN_RECB_UNIQUE, err);
			else
				rc = wn_recb_extra(e->b, "isbn", t + i, j - i, 0, err);
		}
		i = j;
	}
	xmlFree(t);
	return rc < 0 ? -1 : 0;
}

static int urls(struct en *e, const xmlNode *n, struct wn_err *err)
{
	const xmlNode *g, *u;

	for (g = n->children; g; g = g->next) {
		if (g->type != XML_ELEMENT_NODE)
			continue;
		for (u = g->children; u; u = u->next) {
			if (!is(u, "url"))
				continue;
			if (is(g, "related-urls") && !json_object_object_get_ex(wn_recb_peek(e->b), WN_F_URL, NULL)) {
				if (put_text(e, WN_F_URL, u, 0, err) < 0)
					return -1;
			} else if (put_extra(e, (const char *)g->name, u, err) < 0) {
				return -1;
			}
		}
	}
	return 0;
}

static int dates(struct en *e, const xmlNode *n, struct wn_err *err)
{
	const xmlNode *c, *d;
	int year = 0;

	for (c = n->children; c; c = c->next) {
		if (is(c, "year")) {
			size_t len;
			char *t;
			if (text_of(c, &t, &len, err) < 0)
				return -1;
			year = wn_text_find_year(t, len);
			if (wn_recb_year(e->b, t, len, err) < 0) {
				xmlFree(t);
				return -1;
			}
			if (!year && len && wn_recb_extra(e->b, "year", t, len, 0, err) < 0) {
				xmlFree(t);
				return -1;
			}
			xmlFree(t);
		}
	}
	for (c = n->children; c; c = c->next) {
		if (!is(c, "pub-dates"))
			continue;
		for (d = c->children; d; d = d->next) {
			size_t len;
			char *t;
			int rc;
			if (!is(d, "date"))
				continue;
			if (text_of(d, &t, &len, err) < 0)
				return -1;
			rc = wn_fu_date(e->b, t, len, year, err);
			if (rc == 0 && !json_object_object_get_ex(wn_recb_peek(e->b), WN_F_DATE, NULL))
				rc = wn_recb_extra(e->b, "pub-dates", t, len, 0, err);
			xmlFree(t);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

static int titles(struct en *e, const xmlNode *n, struct wn_err *err)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		int rc = 0;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is(c, "title"))
			rc = scalar(e, WN_F_TITLE, c, 0, err);
		else if (is(c, "secondary-title"))
			rc = scalar(e, WN_F_JOURNAL, c, 0, err);
		else if (is(c, "alt-title"))
			rc = scalar(e, WN_F_JOURNAL_ABBREV, c, 0, err);
		else
			rc = put_extra(e, (const char *)c->name, c, err);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int record(struct en *e, const xmlNode *rec, struct wn_err *err)
{
	const xmlNode *c, *k;
	json_object *r;
	const char *src, *acc;

	if (wn_recb_begin(e->b, err) < 0)
		return -1;
	/* the periodical's own names first: they are better than secondary-title */
	for (c = rec->children; c; c = c->next) {
		if (!is(c, "periodical"))
			continue;
		for (k = c->children; k; k = k->next) {
			if (is(k, "full-title") && scalar(e, WN_F_JOURNAL, k, 0, err) < 0)
				return -1;
			if (is(k, "abbr-1") && scalar(e, WN_F_JOURNAL_ABBREV, k, 0, err) < 0)
				return -1;
		}
	}
	for (c = rec->children; c; c = c->next) {
		int rc = 0;
		if (c->type != XML_ELEMENT_NODE || is(c, "periodical") || is(c, "foreign-keys") ||
		    is(c, "database") || is(c, "source-app"))
			continue;
		if (is(c, "ref-type")) {
			/* xmlGetProp's NULL is "no such attribute" or out of memory */
			int has_name = xmlHasProp(c, (const xmlChar *)"name") != NULL;
			xmlChar *name = has_name ? xmlGetProp(c, (const xmlChar *)"name") : NULL;
			if (has_name && !name) {
				rc = oom(err);
			} else if (name) {
				rc = wn_recb_text(e->b, WN_F_TYPE, (const char *)name,
						  strlen((const char *)name), 0, err);
				xmlFree(name);
			} else {
				/* no name (older files): EndNote's numbers for the common types; 0
				 * (Mendeley) says nothing */
				static const struct { const char *num, *name; } types[] = {
					{ "17", "Journal Article" }, { "6", "Book" }, { "5", "Book Section" },
					{ "28", "Edited Book" }, { "10", "Conference Proceedings" },
					{ "47", "Conference Paper" }, { "32", "Thesis" }, { "27", "Report" },
					{ "13", "Generic" }, { "12", "Web Page" }, { "25", "Patent" },
					{ "43", "Electronic Article" }, { NULL, NULL }
				};
				size_t len, q;
				char *t;
				if (text_of(c, &t, &len, err) < 0) {
					rc = -1;
				} else {
					const char *p = t;
					wn_text_trim(&p, &len);
					for (q = 0; types[q].num; q++)
						if (strlen(types[q].num) == len && !memcmp(types[q].num, p, len))
							break;
					if (types[q].num)
						rc = wn_recb_text(e->b, WN_F_TYPE, types[q].name, strlen(types[q].name), 0, err);
					else if (!(len == 1 && p[0] == '0'))
						rc = wn_recb_text(e->b, WN_F_TYPE, p, len, 0, err);
					xmlFree(t);
				}
			}
		} else if (is(c, "contributors")) {
			for (k = c->children; k && rc >= 0; k = k->next) {
				if (is(k, "authors"))
					rc = authors(e, k, err);
				else if (k->type == XML_ELEMENT_NODE)
					rc = put_extra(e, (const char *)k->name, k, err);
			}
		} else if (is(c, "titles")) {
			rc = titles(e, c, err);
		} else if (is(c, "pages")) {
			rc = scalar(e, WN_F_PAGES, c, 0, err);
		} else if (is(c, "volume")) {
			rc = scalar(e, WN_F_VOLUME, c, 0, err);
		} else if (is(c, "number") || is(c, "issue")) {
			rc = scalar(e, WN_F_ISSUE, c, 0, err);
		} else if (is(c, "dates")) {
			rc = dates(e, c, err);
		} else if (is(c, "isbn")) {
			rc = codes(e, c, err);
		} else if (is(c, "accession-num")) {
			rc = scalar(e, WN_F_SOURCE_ID, c, 0, err);
		} else if (is(c, "electronic-resource-num")) {
			size_t len;
			char *t;
			if (text_of(c, &t, &len, err) < 0) {
				rc = -1;
			} else {
				rc = wn_recb_doi(e->b, t, len, err);
				if (rc == 0)
					rc = wn_recb_extra(e->b, "electronic-resource-num", t, len, 0, err);
				xmlFree(t);
			}
		} else if (is(c, "urls")) {
			rc = urls(e, c, err);
		} else if (is(c, "abstract")) {
			rc = scalar(e, WN_F_ABSTRACT, c, WN_RECB_MULTILINE, err);
		} else if (is(c, "keywords")) {
			for (k = c->children; k && rc >= 0; k = k->next)
				if (is(k, "keyword"))
					rc = put_list(e, WN_F_KEYWORDS, k, err);
		} else if (is(c, "language")) {
			rc = scalar(e, WN_F_LANGUAGE, c, 0, err);
		} else if (is(c, "publisher")) {
			rc = scalar(e, WN_F_PUBLISHER, c, 0, err);
		} else if (is(c, "remote-database-name")) {
			rc = scalar(e, WN_F_SOURCE, c, 0, err);
		} else if (is(c, "work-type")) {
			rc = put_list(e, WN_F_PUBTYPES, c, err);
		} else {
			rc = put_extra(e, (const char *)c->name, c, err);
		}
		if (rc < 0)
			return -1;
	}
	/* EndNote keeps the PMID of PubMed/MEDLINE records as the accession number */
	r = wn_recb_peek(e->b);
	src = wn_record_get(r, WN_F_SOURCE);
	acc = wn_record_get(r, WN_F_SOURCE_ID);
	if (src && acc && (wn_text_ieq(src, strlen(src), "pubmed") || wn_text_ieq(src, strlen(src), "medline") ||
			   !strncmp(src, "MEDLINE", 7))) {
		size_t i, n = strlen(acc);
		for (i = 0; i < n && wn_isdigit((unsigned char)acc[i]); i++)
			;
		if (i == n && n && wn_recb_text(e->b, WN_F_PMID, acc, n, WN_RECB_KEEP, err) < 0)
			return -1;
	}
	return 0;
}


static int en_parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	xmlTextReaderPtr rd;
	struct en e;
	int r, rc = 0;

	wn_xml_init();
	memset(&e, 0, sizeof(e));
	e.imp = imp;
	e.b = wn_import_recb(imp);
	e.src.in = in;
	wn_buf_init(&e.tmp, 0);
	wn_xml_watch_begin(&e.watch);
	rd = xmlReaderForIO(wn_xml_source_read, wn_xml_source_close, &e.src, NULL, NULL, wn_xml_options());
	if (!rd) {
		rc = oom(err);
		goto out;
	}
	xmlTextReaderSetStructuredErrorHandler(rd, on_error, &e);
	r = xmlTextReaderRead(rd);
	while (r == 1 && !xml_nomem(&e)) {
		xmlNodePtr node;
		unsigned long line;

		if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT ||
		    strcmp((const char *)xmlTextReaderConstLocalName(rd), "record") != 0) {
			r = xmlTextReaderRead(rd);
			continue;
		}
		line = (unsigned long)xmlTextReaderGetParserLineNumber(rd);
		node = xmlTextReaderExpand(rd);
		if (!node || xml_nomem(&e)) {
			r = -1; /* an error inside the record: reported below */
			break;
		}
		if (record(&e, node, err) < 0) {
			rc = -1;
			break;
		}
		/* a node or a value left out of the tree, or text not copied out of it */
		if (xml_nomem(&e))
			break;
		switch (wn_fu_content(wn_recb_peek(e.b))) {
		case 0:
			rc = wn_import_skip(imp, line, "no bibliographic fields", err,
					    "the record has no title, author, identifier, journal, year or abstract");
			break;
		case 1:
			wn_fu_weak_add(&e.weak, imp, line);
			/* fall through */
		default:
			rc = wn_import_emit(imp, line, err);
			break;
		}
		if (rc < 0)
			break;
		/* past this record's subtree; the node reached is looked at as it is */
		r = xmlTextReaderNext(rd);
	}
	if (rc == 0 && xml_nomem(&e)) {
		rc = oom(err);
	} else if (rc == 0 && e.src.failed &&
		   (e.src.err.code == WN_EIO || e.src.err.code == WN_ENOMEM)) {
		/* the input failed, not the document */
		*err = e.src.err;
		rc = -1;
	} else if (rc == 0 && e.huge) {
		/* libxml2 stops at a text node over its cap: nothing after it can be read */
		rc = wn_import_skip(imp, e.xml_line, "field too long", err,
				    "a text in the record is longer than %d bytes (libxml2's limit); the rest of the file is not read",
				    XML_MAX_TEXT_LENGTH);
	} else if (rc == 0 && (r < 0 || e.xml_err[0] || e.src.failed)) {
		/* the document cannot be read further: keep what came before */
		rc = wn_import_skip(imp, e.xml_line, "malformed XML", err,
				    "%s; the rest of the file is not read",
				    e.xml_err[0] ? e.xml_err : e.src.failed ? e.src.err.msg : "XML error");
	}
	if (rc == 0)
		wn_fu_weak_report(&e.weak, imp);
	xmlFreeTextReader(rd);
out:
	wn_xml_watch_end(&e.watch);
	wn_buf_release(&e.tmp);
	return rc;
}

const struct wn_format wn_format_endnote_xml = {
	"endnote-xml",
	"EndNote XML (<xml><records>; EndNote, Zotero, Mendeley)",
	NULL,
	en_detect,
	en_parse,
	NULL
};

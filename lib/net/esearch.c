/*
 * esearch.c - reading an eSearchResult document (see eutils.h, layer 2).
 *
 * The document is small (at most 9,999 ids, a few hundred KB), so it is read as a tree
 * with the project's safe libxml2 options (no DTD, no entities, no network). Only the
 * root's own children count: <Count> also appears inside TranslationStack/TermSet,
 * where it is the count of one term, not of the search.
 */
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/eutils.h"
#include "winnow/xmlsafe.h"

/* PubMed lists at most 9,999; a document with far more is not one we asked for */
#define WN_ESEARCH_MAX_IDS 1000000u

void wn_esearch_init(struct wn_esearch *es)
{
	memset(es, 0, sizeof(*es));
}

void wn_esearch_release(struct wn_esearch *es)
{
	size_t i;

	wn_free(es->webenv);
	wn_free(es->query_key);
	wn_free(es->translation);
	wn_free(es->ids);
	for (i = 0; i < es->nmsgs; i++) {
		wn_free(es->msgs[i].list);
		wn_free(es->msgs[i].type);
		wn_free(es->msgs[i].text);
	}
	wn_free(es->msgs);
	wn_free(es->error);
	wn_esearch_init(es);
}

/* Text content of an element, whitespace-trimmed, as a new string (NULL on OOM). */
static char *node_text(xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	const char *s = c ? (const char *)c : "";
	size_t len = strlen(s);
	char *r;

	while (len && wn_isspace((unsigned char)*s))
		s++, len--;
	while (len && wn_isspace((unsigned char)s[len - 1]))
		len--;
	r = wn_strndup(s, len);
	xmlFree(c);
	return r;
}

/* Decimal uint64 (digits only, no sign, no overflow). 0 ok, -1 otherwise. */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (!wn_isdigit((unsigned char)*s) || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int add_msg(struct wn_esearch *es, const char *list, xmlNodePtr n, struct wn_err *err)
{
	struct wn_esearch_msg *m;

	if (es->nmsgs == es->msgcap) {
		size_t cap = es->msgcap ? es->msgcap * 2 : 8;
		void *p;
		if (cap > 4096)
			return 0; /* a hostile document: the first 4,096 messages are plenty */
		p = wn_reallocarray(es->msgs, cap, sizeof(*es->msgs));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		es->msgs = p;
		es->msgcap = cap;
	}
	m = &es->msgs[es->nmsgs];
	m->list = wn_strdup(list);
	m->type = wn_strdup((const char *)n->name);
	m->text = node_text(n);
	es->nmsgs++;
	if (!m->list || !m->type || !m->text)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	return 0;
}

static int add_id(struct wn_esearch *es, xmlNodePtr n, struct wn_err *err)
{
	char *t = node_text(n);
	uint64_t v;

	if (!t)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (parse_u64(t, &v) < 0) {
		wn_err_set(err, WN_EFORMAT, "eSearchResult: '%.40s' in IdList is not a PMID", t);
		wn_free(t);
		return -1;
	}
	wn_free(t);
	if (es->nids == es->idcap) {
		size_t cap = es->idcap ? es->idcap * 2 : 256;
		if (es->nids >= WN_ESEARCH_MAX_IDS)
			return wn_err_set(err, WN_ELIMIT, "eSearchResult lists more than %u ids",
					  (unsigned)WN_ESEARCH_MAX_IDS);
		void *p = wn_reallocarray(es->ids, cap, sizeof(*es->ids));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		es->ids = p;
		es->idcap = cap;
	}
	es->ids[es->nids++] = v;
	return 0;
}

static int set_text(char **dst, xmlNodePtr n, struct wn_err *err)
{
	wn_free(*dst);
	*dst = node_text(n);
	return *dst ? 0 : wn_err_set(err, WN_ENOMEM, "out of memory");
}

int wn_esearch_parse(const char *body, size_t len, struct wn_esearch *es, struct wn_err *err)
{
	xmlDocPtr doc;
	xmlNodePtr root, n, c;
	int rc = 0;

	wn_esearch_release(es);
	if (len > (size_t)INT32_MAX)
		return wn_err_set(err, WN_ELIMIT, "eSearchResult larger than 2 GiB");
	wn_xml_init();
	/* errors are reported through err, never printed (the library does not print) */
	doc = xmlReadMemory(body, (int)len, "esearch.xml", NULL,
			    wn_xml_options() | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *xe = xmlGetLastError();
		char what[200] = "";
		if (xe && xe->message) {
			size_t k;
			snprintf(what, sizeof(what), ": line %d: %s", xe->line, xe->message);
			k = strlen(what);
			while (k && (what[k - 1] == '\n' || what[k - 1] == ' '))
				what[--k] = '\0';
		}
		return wn_err_set(err, WN_EFORMAT, "the eSearchResult is not well-formed XML%s", what);
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is(root, "eSearchResult")) {
		xmlFreeDoc(doc);
		return wn_err_set(err, WN_EFORMAT, "not an eSearchResult document");
	}
	for (n = root->children; n && rc == 0; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is(n, "Count")) {
			char *t = node_text(n);
			if (!t) {
				rc = wn_err_set(err, WN_ENOMEM, "out of memory");
			} else if (parse_u64(t, &es->count) < 0) {
				rc = wn_err_set(err, WN_EFORMAT, "eSearchResult: Count '%.40s' is not a number", t);
			} else {
				es->has_count = 1;
			}
			wn_free(t);
		} else if (is(n, "WebEnv")) {
			rc = set_text(&es->webenv, n, err);
		} else if (is(n, "QueryKey")) {
			rc = set_text(&es->query_key, n, err);
		} else if (is(n, "QueryTranslation")) {
			rc = set_text(&es->translation, n, err);
		} else if (is(n, "ERROR")) {
			rc = set_text(&es->error, n, err);
		} else if (is(n, "IdList")) {
			for (c = n->children; c && rc == 0; c = c->next)
				if (is(c, "Id"))
					rc = add_id(es, c, err);
		} else if (is(n, "ErrorList") || is(n, "WarningList")) {
			for (c = n->children; c && rc == 0; c = c->next)
				if (c->type == XML_ELEMENT_NODE)
					rc = add_msg(es, (const char *)n->name, c, err);
		}
	}
	xmlFreeDoc(doc);
	if (rc == 0 && !es->has_count && !es->error)
		rc = wn_err_set(err, WN_EFORMAT, "the eSearchResult has no Count");
	if (rc == 0 && es->translation && !*es->translation) {
		wn_free(es->translation);
		es->translation = NULL;
	}
	return rc;
}

int wn_esearch_msg_serious(const struct wn_esearch_msg *m)
{
	if (strcmp(m->list, "ErrorList") == 0)
		return 1;
	/* "No items found." only says the count is 0, which the count already says */
	if (strcmp(m->type, "OutputMessage") == 0 && strcmp(m->text, "No items found.") == 0)
		return 0;
	return 1;
}

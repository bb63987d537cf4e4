/*
 * pubmed_xml_chunk.c - one record chunk through libxml2, with what can go wrong
 * (see pubmed_xml.h).
 *
 * Each thread owns a struct px_parser: a libxml2 parser context set up for SAX with the
 * mapping of pubmed_xml_record.c, reused for every record. A chunk that is not
 * well-formed comes back as PX_BAD with libxml2's reason reworded for a reviewer and
 * the line in the file; one whose bytes are not UTF-8 (Latin-1 in a file that says
 * UTF-8) is parsed again with them read as Windows-1252, and the repair is counted.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <libxml/parserInternals.h>
#include "winnow/ascii.h"
#include "winnow/utf8.h"
#include "winnow/xmlsafe.h"
#include "pubmed_xml.h"

int px_parser_init(struct px_parser *px, struct wn_err *err)
{
	size_t i;

	memset(px, 0, sizeof(*px));
	wn_xml_init();
	for (i = 0; i < PX_NBUFS; i++)
		wn_buf_init(&px->bufs[i], 0);
	wn_buf_init(&px->repaired, 0);
	px->ctxt = xmlNewParserCtxt();
	if (!px->ctxt)
		return wn_err_set(err, WN_ENOMEM, "out of memory (libxml2)");
	px->ctxt->userData = NULL;
	/* SAX2 with only what the mapping needs: no tree, no DTD handling at all */
	px_sax_handlers(px->ctxt->sax);
	return 0;
}

void px_parser_release(struct px_parser *px)
{
	size_t i;

	if (px->ctxt)
		xmlFreeParserCtxt(px->ctxt);
	px->ctxt = NULL;
	for (i = 0; i < PX_NBUFS; i++)
		wn_buf_release(&px->bufs[i]);
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

static void bad(struct px_result *res, const struct px_chunk *c, const char *reason, const char *what)
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
	int ok;

	memset(res, 0, sizeof(*res));
	if (c->kind == PX_OVERSIZE) {
		char what[160];
		snprintf(what, sizeof(what), "the record is longer than %zu bytes (--max-line-bytes)", px->rec_max);
		bad(res, c, "record too large", what);
		return 0;
	}
	if (c->kind == PX_BROKEN) {
		bad(res, c, "malformed XML", c->why);
		return 0;
	}
	ok = px_sax_parse(px, b, c->kind == PX_DELETE ? deleted : NULL, c->p, c->n, err);
	if (ok == 0 && !px->encoding && !wn_utf8_valid(c->p, c->n)) {
		/* Latin-1 or Windows-1252 bytes in a file that says UTF-8: repair and retry, the
		 * way the text formats do, and say so */
		long k;
		wn_buf_reset(&px->repaired);
		k = wn_utf8_repair(&px->repaired, c->p, c->n, err);
		if (k < 0) {
			ok = -1;
		} else {
			res->repaired = (unsigned long)k;
			ok = px_sax_parse(px, b, c->kind == PX_DELETE ? deleted : NULL, px->repaired.data,
					  px->repaired.len, err);
		}
	}
	if (ok < 0)
		return -1;
	if (ok == 0) {
		char what[600];
		describe_error(px, c->line, what, sizeof(what));
		bad(res, c, "malformed XML", what);
		return 0;
	}
	if (c->kind == PX_DELETE) {
		res->outcome = PX_DELETED;
		return 0;
	}
	if (!b->rec) {
		bad(res, c, "malformed XML", "no record element");
		return 0;
	}
	res->outcome = PX_OK;
	res->no_pmid = !json_object_object_get_ex(b->rec, WN_F_PMID, NULL);
	if (res->no_pmid && !json_object_object_get_ex(b->rec, WN_F_TITLE, NULL)) {
		json_object_put(b->rec);
		b->rec = NULL;
		bad(res, c, "no title or identifier", "the record has neither a PMID nor a title");
	}
	return 0;
}

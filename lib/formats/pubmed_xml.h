/*
 * pubmed_xml.h - the parts of the PubMed XML importer (private to lib/formats).
 *
 *   pubmed_xml_split.c   cuts the byte stream into one chunk per record
 *                        (PubmedArticle, PubmedBookArticle, a top-level MedlineCitation)
 *                        plus DeleteCitation lists, without parsing XML;
 *   pubmed_xml_chunk.c   parses one chunk with libxml2, reports what is wrong;
 *   pubmed_xml_record.c  the SAX callbacks that map a parsed record to a record;
 *   pubmed_xml_par.c     runs record parsing on a second thread for large inputs;
 *   pubmed_xml.c         the format: detection, the import loop, DeleteCitation.
 *
 * Why records are cut out before libxml2 sees them: a streaming parser stops at the
 * first well-formedness error, so one damaged record would lose every record after it.
 * Parsed one at a time, a damaged record is skipped and reported (file, record, line)
 * and the rest still imported. It also lets records be parsed in parallel, and keeps
 * memory flat: one record's tree at a time, whatever the file size. The DOCTYPE and
 * its internal subset are never handed to libxml2 at all, so no DTD is ever loaded and
 * no entity declared in the file can be expanded (billion laughs, XXE).
 */
#ifndef WINNOW_FORMATS_PUBMED_XML_H
#define WINNOW_FORMATS_PUBMED_XML_H

#include <stddef.h>
#include <libxml/parser.h>
#include "winnow/buf.h"
#include "winnow/err.h"
#include "winnow/input.h"
#include "winnow/record.h"

/* ---- splitting ---- */

enum px_kind {
	PX_RECORD,   /* a record element, start tag to end tag */
	PX_DELETE,   /* a DeleteCitation element */
	PX_BROKEN,   /* bytes that should have been a record but are not (why says so) */
	PX_OVERSIZE  /* a record longer than the limit (its bytes are not kept) */
};

struct px_chunk {
	enum px_kind kind;
	const char *p;          /* the chunk's bytes (valid until the next px_split_next) */
	size_t n;
	unsigned long line;     /* line of the file where it starts (1-based) */
	const char *why;        /* PX_BROKEN: what is wrong (static text) */
};

struct px_split {
	struct wn_input *in;
	char *buf;
	size_t cap, len, pos;   /* buf[0..len) read, scanning at pos */
	size_t lpos;            /* buf[0..lpos) is counted in `line` */
	unsigned long line;     /* number of the line at buf[lpos] */
	size_t rec_max;         /* longest record accepted */
	int eof, started;
	int read_failed;        /* the input failed before its end (see read_err) */
	struct wn_err read_err;
	char encoding[40];      /* from the XML declaration, "" if none */
	uint64_t skipped_bytes; /* bytes dropped while skipping an oversize record */
	unsigned long repaired; /* invalid UTF-8 bytes repaired, over the whole input */
};

/* memmem (a GNU extension) for the few places that need it. */
const void *px_memmem(const void *hay, size_t n, const char *needle, size_t k);

/* rec_max 0 = PX_REC_MAX. -1 on allocation failure. */
#define PX_REC_MAX ((size_t)16 << 20)
int px_split_init(struct px_split *s, struct wn_input *in, size_t rec_max, struct wn_err *err);
void px_split_release(struct px_split *s);
/* Next chunk: 1 = *c filled, 0 = end of input (check s->read_failed), -1 = allocation
 * failure. A read error ends the input: a record it cut short comes back as PX_BROKEN. */
int px_split_next(struct px_split *s, struct px_chunk *c, struct wn_err *err);

/* ---- one record ---- */

/* Parser state of one thread: a libxml2 context (SAX, reused for every record) and
 * scratch buffers. */
#define PX_NBUFS 18
#define PX_NAME_CACHE 1024
struct px_parser {
	xmlParserCtxtPtr ctxt;
	char errmsg[512];       /* first fatal libxml2 error of the last parse */
	int errline, errcode, errint1;
	int nomem;              /* libxml2 reported XML_ERR_NO_MEMORY in the last parse */
	char errstr1[64], errstr2[64];
	struct wn_buf bufs[PX_NBUFS]; /* element text being gathered (pubmed_xml_record.c) */
	size_t para_start;      /* where the abstract paragraph being read starts */
	struct wn_buf repaired; /* the chunk with invalid UTF-8 repaired */
	const char *encoding;   /* declared encoding of the document, or NULL */
	size_t rec_max;         /* the record size limit (for messages) */
	/* element names are dictionary strings: name pointer -> element, cached */
	const void *cache_dict;
	const unsigned char *cache_name[PX_NAME_CACHE];
	unsigned char cache_elem[PX_NAME_CACHE];
	size_t cache_used;
};

int px_parser_init(struct px_parser *px, struct wn_err *err);
void px_parser_release(struct px_parser *px);

/* What parsing one chunk gave. */
enum px_outcome {
	PX_OK,          /* the record is in the builder */
	PX_BAD,         /* not usable: reason/detail say why */
	PX_DELETED      /* a DeleteCitation: PMIDs appended to `deleted` */
};

struct px_result {
	enum px_outcome outcome;
	const char *reason;     /* PX_BAD: short stable reason for the ledger */
	char detail[640];       /* PX_BAD: message for the reviewer */
	unsigned long repaired; /* bytes of invalid UTF-8 read as Windows-1252 */
	int no_pmid;            /* PX_OK, but the record has no PMID */
};

/* Parse chunk c into b (which gets a new record). Returns 0 with *res filled, -1 on
 * allocation failure. `deleted` receives DeleteCitation PMIDs (may be NULL). */
int px_parse_chunk(struct px_parser *px, const struct px_chunk *c, struct wn_recb *b,
		   json_object *deleted, struct px_result *res, struct wn_err *err);

/* pubmed_xml_record.c: install the mapping's SAX2 callbacks (and error handler) in h. */
void px_sax_handlers(xmlSAXHandlerPtr h);
/* Parse p[0..n) with px's context: the record into b (a new one; none unless
 * well-formed), DeleteCitation PMIDs into deleted (may be NULL). Returns 1 well-formed,
 * 0 not (px->err* say why), -1 on allocation failure (err set). */
int px_sax_parse(struct px_parser *px, struct wn_recb *b, json_object *deleted, const char *p,
		 size_t n, struct wn_err *err);

/* First PMID in a raw chunk (for messages about records that did not parse). */
int px_raw_pmid(const char *p, size_t n, char *out, size_t outsz);

/* ---- the import loop (pubmed_xml.c, pubmed_xml_par.c) ---- */

struct wn_import;
/* Pass one parsed chunk to the session, in file order: emit the record (rec, owned),
 * or skip and report. read_tail: the chunk was cut short by a read failure. */
int px_handle(struct wn_import *imp, enum px_kind kind, unsigned long line, int read_tail,
	      const struct px_result *res, json_object *rec, struct px_split *sp,
	      struct wn_err *err);
/* After the last chunk: a read failure not yet reported, the DeleteCitation list. */
int px_finish(struct wn_import *imp, struct px_split *sp, int broken_tail,
	      json_object *deleted, struct wn_err *err);
/* The encoding to give libxml2 for each chunk: NULL for UTF-8 (and for UTF-16, which
 * text mode has already turned into UTF-8). */
const char *px_encoding(const struct px_split *sp);
/* Cut, parse and hand over every record of the input (WINNOW_THREADS threads). */
int px_run(struct wn_import *imp, struct px_split *sp, json_object *deleted, struct wn_err *err);

#endif

/*
 * xmlsafe.h - the one way winnow sets up libxml2 for untrusted input (DESIGN.md,
 * Security; research/style-reliability.md B.1).
 *
 * Never XML_PARSE_NOENT, DTDLOAD/DTDATTR/DTDVALID, XINCLUDE, HUGE or RECOVER; always
 * NONET (and NO_XXE where the library has it); an external entity loader that refuses
 * everything, so neither a file:// nor a network URL is ever read. On libxml2 2.9 the
 * loader is process-wide, hence wn_xml_init (idempotent, thread-safe) must run before
 * any parsing; every XML reader in winnow calls it.
 */
#ifndef WINNOW_XMLSAFE_H
#define WINNOW_XMLSAFE_H

#include <libxml/xmlerror.h>
#include "winnow/err.h"
#include "winnow/input.h"

/* Initialise libxml2 and install the deny-all entity loader. Safe to call repeatedly
 * and from several threads. */
void wn_xml_init(void);
/* The parser options every winnow XML reader uses. */
int wn_xml_options(void);

/* Out of memory inside libxml2. A parser context reports its own allocation failures
 * to its error handler (XML_ERR_NO_MEMORY), but libxml2 2.9 reports many others - input
 * and buffer set-up, tree building, xmlNodeGetContent, xmlStrdup - only to the calling
 * thread's structured error handler, and then carries on with a value left out or a
 * parse that never ran. A watch installs a handler on this thread that notes them
 * (and passes every error on to the handler it replaced); end it on the same thread,
 * in reverse order of beginning. Per thread and restored: two imports never share it. */
struct wn_xml_watch {
	xmlStructuredErrorFunc old;
	void *old_ctx;
	int nomem;              /* libxml2 said XML_ERR_NO_MEMORY while the watch ran */
};
void wn_xml_watch_begin(struct wn_xml_watch *w);
/* 1 if e, though coded XML_ERR_NO_MEMORY, is libxml2 2.9's cap on one text node
 * (XML_MAX_TEXT_LENGTH, 10,000,000 bytes without XML_PARSE_HUGE, which untrusted input
 * never gets): a limit of the input, to be reported as such, not out of memory. The
 * watch does not count it as out of memory. */
int wn_xml_error_is_limit(const xmlError *e);
/* Restore the previous handler; returns w->nomem. */
int wn_xml_watch_end(struct wn_xml_watch *w);

/* A wn_input as libxml2's I/O callbacks (xmlReaderForIO(wn_xml_source_read,
 * wn_xml_source_close, &src, ...)). libxml2 only learns that a read failed; the source
 * keeps why (a failed disk, a damaged gzip stream, out of memory), so that the caller
 * reports that rather than "malformed XML". Once failed it stays failed. */
struct wn_xml_source {
	struct wn_input *in;
	int failed;             /* a read failed: err says why */
	struct wn_err err;
};
int wn_xml_source_read(void *ctx, char *buf, int len);
int wn_xml_source_close(void *ctx);

#endif

/*
 * xmlsafe.c - safe libxml2 set-up (see xmlsafe.h).
 */
#include <pthread.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/globals.h>
#include "winnow/xmlsafe.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Refuse every external entity or DTD: records never need one, attackers always do. */
static xmlParserInputPtr deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void init_once(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_loader);
}

void wn_xml_init(void)
{
	pthread_once(&once, init_once);
}

int wn_xml_options(void)
{
	int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
#ifdef XML_PARSE_NO_XXE
	opts |= XML_PARSE_NO_XXE;
#endif
	return opts;
}

int wn_xml_error_is_limit(const xmlError *e)
{
	return e && e->code == XML_ERR_NO_MEMORY && e->message &&
	       (strstr(e->message, "huge text node") || strstr(e->message, "overflow prevented"));
}

static void watch_error(void *ctx, xmlErrorPtr e)
{
	struct wn_xml_watch *w = ctx;

	if (e && e->code == XML_ERR_NO_MEMORY && !wn_xml_error_is_limit(e))
		w->nomem = 1;
	if (w->old)
		w->old(w->old_ctx, e);
}

void wn_xml_watch_begin(struct wn_xml_watch *w)
{
	/* thread-local in libxml2 (its global state is per thread) */
	w->old = xmlStructuredError;
	w->old_ctx = xmlStructuredErrorContext;
	w->nomem = 0;
	xmlSetStructuredErrorFunc(w, watch_error);
}

int wn_xml_watch_end(struct wn_xml_watch *w)
{
	xmlSetStructuredErrorFunc(w->old_ctx, w->old);
	return w->nomem;
}

int wn_xml_source_read(void *ctx, char *buf, int len)
{
	struct wn_xml_source *src = ctx;
	ssize_t r;

	if (src->failed)
		return -1;
	r = wn_input_read(src->in, buf, (size_t)len, &src->err);
	if (r < 0) {
		src->failed = 1;
		return -1;
	}
	return (int)r;
}

int wn_xml_source_close(void *ctx)
{
	(void)ctx; /* the input belongs to the caller */
	return 0;
}

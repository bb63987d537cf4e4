/*
 * xmlsafe.c - safe libxml2 set-up (see xmlsafe.h).
 */
#include <pthread.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
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

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

/* Initialise libxml2 and install the deny-all entity loader. Safe to call repeatedly
 * and from several threads. */
void wn_xml_init(void);
/* The parser options every winnow XML reader uses. */
int wn_xml_options(void);

#endif

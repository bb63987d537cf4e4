/*
 * formats.h - the format descriptors defined in lib/formats/ (private to the area;
 * tools reach them through wn_formats() / wn_format_by_name()).
 */
#ifndef WINNOW_FORMATS_PRIVATE_H
#define WINNOW_FORMATS_PRIVATE_H

#include "winnow/import.h"

extern const struct wn_format wn_format_pubmed_xml;
extern const struct wn_format wn_format_medline;
extern const struct wn_format wn_format_ris;

/* issue 3: WoS, CSV/TSV, BibTeX, EndNote XML, refer, Ovid */
extern const struct wn_format wn_format_wos;
extern const struct wn_format wn_format_wos_tab;
extern const struct wn_format wn_format_csv;
extern const struct wn_format wn_format_bibtex;
extern const struct wn_format wn_format_endnote_xml;
extern const struct wn_format wn_format_refer;
extern const struct wn_format wn_format_ovid;

#endif

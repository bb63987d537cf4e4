/*
 * registry.c - the list of formats winnow-fetch can read, in detection priority order.
 *
 * To add a format: define `const struct wn_format wn_format_<name>` in its own file under
 * lib/formats/, declare it in formats.h and list it here. Detection takes the highest
 * score; on a tie the earlier entry wins, so put specific formats before general ones.
 */
#include <string.h>
#include "formats.h"

static const struct wn_format *const all_formats[] = {
	/* issue 2: PubMed XML, MEDLINE, RIS */
	&wn_format_pubmed_xml,
	&wn_format_medline,
	&wn_format_ris,
	/* issue 3 formats (after the PubMed/MEDLINE/RIS ones) */
	&wn_format_wos,
	&wn_format_wos_tab,
	&wn_format_bibtex,
	&wn_format_endnote_xml,
	&wn_format_refer,
	&wn_format_ovid,
	&wn_format_csv,
	NULL
};

const struct wn_format *const *wn_formats(void)
{
	return all_formats;
}

const struct wn_format *wn_format_by_name(const char *name)
{
	const struct wn_format *const *f;

	for (f = all_formats; *f; f++) {
		if (strcmp((*f)->name, name) == 0)
			return *f;
	}
	return NULL;
}

const struct wn_format *wn_format_detect(const unsigned char *head, size_t n, int *score)
{
	const struct wn_format *const *f, *best = NULL;
	int best_score = 0;

	for (f = all_formats; *f; f++) {
		int s = (*f)->detect ? (*f)->detect(head, n) : 0;
		if (s > best_score) {
			best_score = s;
			best = *f;
		}
	}
	if (score)
		*score = best_score;
	return best;
}

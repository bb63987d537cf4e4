/*
 * wos_tab.c - Web of Science tab-delimited export ("Tab-delimited (Win/Mac, UTF-8)"):
 * a header row of WoS field tags (PT, AU, ..., UT) and one record per line. Saved "for
 * Windows" it is UTF-16LE with a BOM; the input layer's text mode transcodes it.
 *
 * The cells are the same fields as in the plain-text export, with list items joined by
 * "; " instead of one per line, so they go through the same tag table (wos_tags.c) and
 * the two exports of a search give the same records. Quotes are ordinary characters in
 * this export (a title may start with one), so the tokenizer runs without quoting.
 */
#include <string.h>
#include "winnow/text.h"
#include "csv.h"
#include "csv_util.h"
#include "formats.h"
#include "wos.h"

static int wos_tab_detect(const unsigned char *head, size_t n)
{
	char text[2048], first[2048];
	size_t len = wn_fu_head_text(head, n, text, sizeof(text)), pos = 0, ln;
	const char *line;

	if (!wn_fu_next_line(text, len, &pos, &line, &ln))
		return 0;
	if (!(wn_text_startswith(line, ln, "PT\t") || wn_text_startswith(line, ln, "FN\t")))
		return 0;
	memcpy(first, line, ln);
	first[ln] = '\0';
	if ((strstr(first, "\tTI\t") || strstr(first, "\tAU\t")) &&
	    (strstr(first, "\tUT") || strstr(first, "\tSO\t")))
		return 95;
	return 40;
}

struct tab_state {
	struct wn_wos_rec rec;
};

static int tab_begin(void *data, struct wn_err *err)
{
	struct tab_state *t = data;

	return wn_wos_rec_begin(&t->rec, err);
}

static int tab_cell(void *data, const char *column, const char *v, size_t n, struct wn_err *err)
{
	struct tab_state *t = data;

	if (strlen(column) == 2)
		return wn_wos_rec_field(&t->rec, column, v, n, 1, err);
	return wn_recb_extra(t->rec.b, column, v, n, 0, err) < 0 ? -1 : 0;
}

static int tab_finish(void *data, struct wn_err *err)
{
	struct tab_state *t = data;

	return wn_wos_rec_finish(&t->rec, err);
}

static int wos_tab_parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	struct tab_state t;
	struct wn_csv_hooks h;
	int rc;

	wn_wos_rec_init(&t.rec, wn_import_recb(imp));
	h.name = "wos-tab";
	h.data = &t;
	h.begin = tab_begin;
	h.cell = tab_cell;
	h.finish = tab_finish;
	rc = wn_csv_import(imp, in, &h, 0, err);
	wn_wos_rec_release(&t.rec);
	return rc;
}

const struct wn_format wn_format_wos_tab = {
	"wos-tab",
	"Web of Science tab-delimited (UTF-8 or UTF-16 with BOM; header PT AU ... UT)",
	"Web of Science",
	wos_tab_detect,
	wos_tab_parse,
	NULL
};

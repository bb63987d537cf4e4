/*
 * svg.c - the PRISMA 2020 flow diagram, laid out and drawn as SVG (see prisma_svg.h).
 *
 * Layout is a grid: columns (previous studies, the flow, what left it, and the same two
 * for other methods) and rows (title, identification, screened, sought, assessed,
 * included, total). Each box's text is built as paragraphs, wrapped to the box's inner
 * width by the conservative measure of textwidth.h; the box is as tall as its lines,
 * each row as tall as its tallest box, and the rows beside a rotated phase label as
 * tall as the label needs. Then the boxes, arrows and labels are written out; nothing
 * is positioned by guesswork, so a long reason or a seven-digit count only makes a box
 * taller.
 */
#include <stdio.h>
#include <string.h>
#include "prisma_int.h"
#include "winnow/alloc.h"
#include "winnow/output.h"
#include "winnow/prisma_report.h"
#include "winnow/prisma_svg.h"
#include "winnow/textwidth.h"
#include "winnow/utf8.h"
#include "winnow/version.h"

#define FS WN_PRISMA_SVG_FONT_SIZE     /* body text size, px */
#define LH (FS * 1.3)                  /* line height */
#define ASC (FS * 0.95)                /* first baseline below the text top */
#define PAD_X 8.0                      /* inner padding of a box */
#define PAD_Y 7.0
#define COL_W (FS * 15.2)              /* width of a flow column */
#define PREV_W (FS * 11.0)             /* width of the previous-studies column */
#define GAP_SIDE (FS * 2.2)            /* between a flow box and its side box */
#define GAP_BRANCH (FS * 1.6)          /* between branches */
#define LABEL_W (FS * 2.0)             /* the rotated phase labels */
#define MARGIN FS
#define ROW_GAP (FS * 2.0)             /* vertical space for the arrows */
#define FOOT_FS 11.0
#define TEXT_MAX 400                   /* bytes of one paragraph drawn */

enum col { C_PREV, C_MAIN, C_SIDE, C_OM, C_OS, C__N };
enum row { R_TITLE, R_ID, R_SCREEN, R_SOUGHT, R_ASSESS, R_INC, R_TOTAL, R__N };
enum style { S_MAIN, S_GREY, S_TITLE_YELLOW, S_TITLE_GREY };

struct bline {
	char *s;
	int bold;
	double dx;
};

struct box {
	const char *id;
	enum style style;
	int col, span, row;
	int center;             /* centre the lines (titles) */
	double x, y, w, h;
	struct bline *l;
	size_t n, cap;
};

struct diagram {
	const struct wn_prisma *p;
	struct wn_err *err;
	struct box b[24];
	size_t nb;
	double colx[C__N], colw[C__N];
	int colon[C__N];
	double rowy[R__N], rowh[R__N];
	int rowon[R__N];
	double width, height;
	struct wn_textlines foot;
	double foot_y;
};

/* ---- text of the boxes ---- */

static void box_geometry(struct diagram *d, struct box *b)
{
	int last = b->col + b->span - 1;

	while (last > b->col && !d->colon[last])
		last--;
	b->x = d->colx[b->col];
	b->w = d->colx[last] + d->colw[last] - b->x;
}


static struct box *new_box(struct diagram *d, const char *id, enum style st, int col, int span, int row)
{
	struct box *b = &d->b[d->nb++];

	memset(b, 0, sizeof(*b));
	b->id = id;
	b->style = st;
	b->col = col;
	b->span = span;
	b->row = row;
	b->center = st == S_TITLE_YELLOW || st == S_TITLE_GREY;
	box_geometry(d, b);
	return b;
}

/* Add a paragraph: wrapped to the box, first line indented by `ind`, the rest by `hang`. */
static int para(struct diagram *d, struct box *b, const char *text, int bold, double ind, double hang)
{
	struct wn_textlines t;
	struct wn_buf clean;
	double inner = b->w - 2 * PAD_X;
	size_t i;
	int rc = 0;

	wn_textlines_init(&t);
	wn_buf_init(&clean, 0);
	/* a name of thousands of characters would make a box pages long: the diagram shows
	 * its start (the JSON and CSV carry it whole) */
	if (strlen(text) > TEXT_MAX) {
		size_t n = TEXT_MAX;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		if (wn_utf8_sanitize(&clean, text, n, 0, d->err) < 0 ||
		    wn_buf_adds(&clean, "\xe2\x80\xa6", d->err) < 0) {
			rc = -1;
			goto out;
		}
		text = NULL;
	}
	if ((text && wn_utf8_sanitize(&clean, text, strlen(text), 0, d->err) < 0) ||
	    wn_textwidth_wrap(clean.data, inner - ind, inner - hang, bold, FS, &t, d->err) < 0) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < t.n; i++) {
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 8;
			struct bline *l = wn_reallocarray(b->l, cap, sizeof(*l));
			if (!l) {
				rc = wn_err_set(d->err, WN_ENOMEM, "out of memory");
				goto out;
			}
			b->l = l;
			b->cap = cap;
		}
		b->l[b->n].s = t.line[i];
		t.line[i] = NULL;
		b->l[b->n].bold = bold;
		b->l[b->n].dx = i == 0 ? ind : hang;
		b->n++;
	}
out:
	for (i = 0; i < t.n; i++)
		wn_free(t.line[i]);
	t.n = 0;
	wn_textlines_release(&t);
	wn_buf_release(&clean);
	return rc;
}

static void fmt_n(char *out, size_t cap, const struct wn_prisma_value *v)
{
	char digits[32];
	size_t len, i, o = 0;

	/* no-break spaces: "(n = 12)" never wraps inside */
	if (!v->known) {
		snprintf(out, cap, "n\xc2\xa0=\xc2\xa0\xe2\x80\x93");
		return;
	}
	snprintf(digits, sizeof(digits), "%lld", (long long)v->n);
	len = strlen(digits);
	o = (size_t)snprintf(out, cap, "n\xc2\xa0=\xc2\xa0");
	for (i = 0; i < len && o + 2 < cap; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = 0;
}

static int para_n(struct diagram *d, struct box *b, const char *label, const struct wn_prisma_value *v,
		  int bold, double ind, double hang)
{
	char n[48];
	struct wn_buf t;
	int rc;

	fmt_n(n, sizeof(n), v);
	wn_buf_init(&t, 0);
	rc = wn_buf_addf(&t, d->err, "%s (%s)", label, n);
	if (rc == 0)
		rc = para(d, b, t.data, bold, ind, hang);
	wn_buf_release(&t);
	return rc;
}

static int para_breakdown(struct diagram *d, struct box *b, json_object *by, double ind, double hang)
{
	if (!by)
		return 0;
	json_object_object_foreach(by, k, v) {
		struct wn_prisma_value tmp;
		memset(&tmp, 0, sizeof(tmp));
		tmp.known = 1;
		tmp.n = json_object_get_int64(v);
		if (para_n(d, b, k, &tmp, 0, ind, hang) < 0)
			return -1;
	}
	return 0;
}

#define V(k) (&d->p->v[WN_PK_##k])

static int build_boxes(struct diagram *d)
{
	const struct wn_prisma *p = d->p;
	struct box *b;
	const double I1 = FS * 0.8, I2 = FS * 1.6, I3 = FS * 2.2;

	if (p->previous) {
		b = new_box(d, "prevstud", S_TITLE_GREY, C_PREV, 1, R_TITLE);
		if (para(d, b, "Previous studies", 1, 0, 0) < 0)
			return -1;
		b = new_box(d, "previous_studies", S_GREY, C_PREV, 1, R_ID);
		if (para_n(d, b, "Studies included in previous version of review", V(PREVIOUS_STUDIES), 0, 0, 0) < 0 ||
		    para_n(d, b, "Reports of studies included in previous version of review", V(PREVIOUS_REPORTS),
			   0, 0, 0) < 0)
			return -1;
	}
	b = new_box(d, "newstud", S_TITLE_YELLOW, C_MAIN, 2, R_TITLE);
	if (para(d, b, "Identification of new studies via databases and registers", 1, 0, 0) < 0)
		return -1;
	b = new_box(d, "database_results", S_MAIN, C_MAIN, 1, R_ID);
	if (para(d, b, "Records identified from:", 0, 0, 0) < 0 ||
	    para_n(d, b, "Databases", V(DATABASE_RESULTS), 0, I1, I2) < 0 ||
	    para_breakdown(d, b, V(DATABASE_SPECIFIC_RESULTS)->by, I2, I3) < 0 ||
	    para_n(d, b, "Registers", V(REGISTER_RESULTS), 0, I1, I2) < 0 ||
	    para_breakdown(d, b, V(REGISTER_SPECIFIC_RESULTS)->by, I2, I3) < 0)
		return -1;
	b = new_box(d, "duplicates", S_MAIN, C_SIDE, 1, R_ID);
	if (para(d, b, "Records removed before screening:", 0, 0, 0) < 0 ||
	    para_n(d, b, "Duplicate records removed", V(DUPLICATES), 0, I1, I2) < 0 ||
	    para_n(d, b, "Records marked as ineligible by automation tools", V(EXCLUDED_AUTOMATIC), 0, I1, I2) < 0 ||
	    para_breakdown(d, b, V(EXCLUDED_AUTOMATIC)->by, I2, I3) < 0 ||
	    para_n(d, b, "Records removed for other reasons", V(EXCLUDED_OTHER), 0, I1, I2) < 0 ||
	    para_breakdown(d, b, V(EXCLUDED_OTHER)->by, I2, I3) < 0)
		return -1;
	b = new_box(d, "records_screened", S_MAIN, C_MAIN, 1, R_SCREEN);
	if (para_n(d, b, "Records screened", V(RECORDS_SCREENED), 0, 0, 0) < 0)
		return -1;
	b = new_box(d, "records_excluded", S_MAIN, C_SIDE, 1, R_SCREEN);
	if (para_n(d, b, "Records excluded by reviewers", V(RECORDS_EXCLUDED), 0, 0, 0) < 0)
		return -1;
	b = new_box(d, "dbr_sought_reports", S_MAIN, C_MAIN, 1, R_SOUGHT);
	if (para_n(d, b, "Reports sought for retrieval", V(DBR_SOUGHT_REPORTS), 0, 0, 0) < 0)
		return -1;
	b = new_box(d, "dbr_notretrieved_reports", S_MAIN, C_SIDE, 1, R_SOUGHT);
	if (para_n(d, b, "Reports not retrieved", V(DBR_NOTRETRIEVED_REPORTS), 0, 0, 0) < 0)
		return -1;
	b = new_box(d, "dbr_assessed", S_MAIN, C_MAIN, 1, R_ASSESS);
	if (para_n(d, b, "Reports assessed for eligibility", V(DBR_ASSESSED), 0, 0, 0) < 0)
		return -1;
	b = new_box(d, "dbr_excluded", S_MAIN, C_SIDE, 1, R_ASSESS);
	if (V(DBR_EXCLUDED)->known && V(DBR_EXCLUDED)->by && json_object_object_length(V(DBR_EXCLUDED)->by)) {
		if (para_n(d, b, "Reports excluded", V(DBR_EXCLUDED), 0, 0, 0) < 0 ||
		    para_breakdown(d, b, V(DBR_EXCLUDED)->by, I1, I2) < 0)
			return -1;
	} else if (para_n(d, b, "Reports excluded", V(DBR_EXCLUDED), 0, 0, 0) < 0) {
		return -1;
	}
	b = new_box(d, "new_studies", S_MAIN, C_MAIN, 1, R_INC);
	if (para_n(d, b, p->previous ? "New studies included in review" : "Studies included in review",
		   V(NEW_STUDIES), 0, 0, 0) < 0 ||
	    para_n(d, b, p->previous ? "Reports of new included studies" : "Reports of included studies",
		   V(NEW_REPORTS), 0, 0, 0) < 0)
		return -1;
	if (p->previous) {
		b = new_box(d, "total_studies", S_GREY, C_MAIN, 1, R_TOTAL);
		if (para_n(d, b, "Total studies included in review", V(TOTAL_STUDIES), 0, 0, 0) < 0 ||
		    para_n(d, b, "Reports of total included studies", V(TOTAL_REPORTS), 0, 0, 0) < 0)
			return -1;
	}
	if (p->other_branch) {
		struct wn_prisma_value other;
		b = new_box(d, "othstud", S_TITLE_GREY, C_OM, 2, R_TITLE);
		if (para(d, b, "Identification of new studies via other methods", 1, 0, 0) < 0)
			return -1;
		b = new_box(d, "website_results", S_GREY, C_OM, 1, R_ID);
		if (para(d, b, "Records identified from:", 0, 0, 0) < 0 ||
		    para_n(d, b, "Websites", V(WEBSITE_RESULTS), 0, I1, I2) < 0 ||
		    para_breakdown(d, b, V(WEBSITE_RESULTS)->by, I2, I3) < 0 ||
		    para_n(d, b, "Organisations", V(ORGANISATION_RESULTS), 0, I1, I2) < 0 ||
		    para_breakdown(d, b, V(ORGANISATION_RESULTS)->by, I2, I3) < 0 ||
		    para_n(d, b, "Citation searching", V(CITATIONS_RESULTS), 0, I1, I2) < 0 ||
		    para_breakdown(d, b, V(CITATIONS_RESULTS)->by, I2, I3) < 0)
			return -1;
		if (p->other_kind_other) {
			memset(&other, 0, sizeof(other));
			other.known = 1;
			other.n = p->other_kind_other;
			if (para_n(d, b, "Other sources", &other, 0, I1, I2) < 0)
				return -1;
		}
		b = new_box(d, "other_sought_reports", S_GREY, C_OM, 1, R_SOUGHT);
		if (para_n(d, b, "Reports sought for retrieval", V(OTHER_SOUGHT_REPORTS), 0, 0, 0) < 0)
			return -1;
		b = new_box(d, "other_notretrieved_reports", S_GREY, C_OS, 1, R_SOUGHT);
		if (para_n(d, b, "Reports not retrieved", V(OTHER_NOTRETRIEVED_REPORTS), 0, 0, 0) < 0)
			return -1;
		b = new_box(d, "other_assessed", S_GREY, C_OM, 1, R_ASSESS);
		if (para_n(d, b, "Reports assessed for eligibility", V(OTHER_ASSESSED), 0, 0, 0) < 0)
			return -1;
		b = new_box(d, "other_excluded", S_GREY, C_OS, 1, R_ASSESS);
		if (para_n(d, b, "Reports excluded", V(OTHER_EXCLUDED), 0, 0, 0) < 0 ||
		    para_breakdown(d, b, V(OTHER_EXCLUDED)->by, I1, I2) < 0)
			return -1;
	}
	return 0;
}
#undef V

/* ---- layout ---- */

static void columns(struct diagram *d)
{
	double x = MARGIN + LABEL_W + FS * 0.8;
	int c;

	d->colon[C_PREV] = d->p->previous;
	d->colon[C_MAIN] = d->colon[C_SIDE] = 1;
	d->colon[C_OM] = d->colon[C_OS] = d->p->other_branch;
	d->colw[C_PREV] = PREV_W;
	for (c = C_MAIN; c < C__N; c++)
		d->colw[c] = COL_W;
	for (c = 0; c < C__N; c++) {
		if (!d->colon[c])
			continue;
		d->colx[c] = x;
		x += d->colw[c] + (c == C_MAIN || c == C_OM ? GAP_SIDE : GAP_BRANCH);
	}
	d->width = x - GAP_BRANCH + MARGIN;
}

static const char *const labels[3] = { "Identification", "Screening", "Included" };

static int layout(struct diagram *d)
{
	size_t i;
	int r;
	double y, need, have;

	for (r = 0; r < R__N; r++)
		d->rowon[r] = 0;
	for (i = 0; i < d->nb; i++) {
		struct box *b = &d->b[i];
		double h = 2 * PAD_Y + (double)b->n * LH;
		d->rowon[b->row] = 1;
		if (h > d->rowh[b->row])
			d->rowh[b->row] = h;
	}
	/* the rotated labels must fit beside their rows */
	need = wn_textwidth(labels[0], strlen(labels[0]), 1, FS) + 2 * PAD_Y;
	if (d->rowh[R_ID] < need)
		d->rowh[R_ID] = need;
	need = wn_textwidth(labels[1], strlen(labels[1]), 1, FS) + 2 * PAD_Y;
	have = d->rowh[R_SCREEN] + d->rowh[R_SOUGHT] + d->rowh[R_ASSESS] + 2 * ROW_GAP;
	if (have < need)
		d->rowh[R_SOUGHT] += need - have;
	need = wn_textwidth(labels[2], strlen(labels[2]), 1, FS) + 2 * PAD_Y;
	have = d->rowh[R_INC] + (d->rowon[R_TOTAL] ? d->rowh[R_TOTAL] + ROW_GAP : 0);
	if (have < need)
		d->rowh[R_INC] += need - have;
	y = MARGIN;
	for (r = 0; r < R__N; r++) {
		if (!d->rowon[r])
			continue;
		d->rowy[r] = y;
		y += d->rowh[r] + (r == R_TITLE ? FS : ROW_GAP);
	}
	y -= ROW_GAP;
	for (i = 0; i < d->nb; i++) {
		struct box *b = &d->b[i];
		b->y = d->rowy[b->row];
		b->h = d->rowh[b->row];
	}
	d->foot_y = y + FS;
	d->height = d->foot_y + (double)d->foot.n * FOOT_FS * 1.3 + MARGIN;
	return 0;
}

/* ---- output ---- */

static void xml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

static struct box *find(struct diagram *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->nb; i++)
		if (strcmp(d->b[i].id, id) == 0)
			return &d->b[i];
	return NULL;
}

static void arrow(FILE *out, double x1, double y1, double x2, double y2)
{
	fprintf(out, "<line class=\"arrow\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" marker-end=\"url(#head)\"/>\n",
		x1, y1, x2, y2);
}

static void down(FILE *out, const struct box *a, const struct box *b)
{
	if (a && b)
		arrow(out, a->x + a->w / 2, a->y + a->h, b->x + b->w / 2, b->y - 1);
}

static void right(FILE *out, const struct box *a, const struct box *b)
{
	if (a && b)
		arrow(out, a->x + a->w, a->y + a->h / 2, b->x - 1, b->y + b->h / 2);
}

static void draw_box(FILE *out, const struct box *b)
{
	static const char *const fill[] = { "#ffffff", "#dcdcdc", "#ffc125", "#dcdcdc" };
	static const char *const stroke[] = { "#000000", "#6e6e6e", "#8b6914", "#6e6e6e" };
	size_t i;
	int rounded = b->style == S_TITLE_YELLOW || b->style == S_TITLE_GREY;

	fprintf(out, "<g class=\"box\" id=\"%s\">\n", b->id);
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"%s fill=\"%s\" stroke=\"%s\" stroke-width=\"1.2\"/>\n",
		b->x, b->y, b->w, b->h, rounded ? " rx=\"8\"" : "", fill[b->style], stroke[b->style]);
	for (i = 0; i < b->n; i++) {
		double y = b->y + PAD_Y + ASC + (double)i * LH;
		/* centre the block of lines vertically when the box is taller than its text */
		y += (b->h - (2 * PAD_Y + (double)b->n * LH)) / 2;
		if (b->center)
			fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"%s>", b->x + b->w / 2, y,
				b->l[i].bold ? " font-weight=\"bold\"" : "");
		else
			fprintf(out, "<text x=\"%.1f\" y=\"%.1f\"%s>", b->x + PAD_X + b->l[i].dx, y,
				b->l[i].bold ? " font-weight=\"bold\"" : "");
		xml_text(out, b->l[i].s);
		fputs("</text>\n", out);
	}
	fputs("</g>\n", out);
}

static void draw_label(FILE *out, struct diagram *d, int which, double y0, double y1)
{
	double x = MARGIN, cx = x + LABEL_W / 2, cy = (y0 + y1) / 2;

	fprintf(out, "<g class=\"label\" id=\"label-%s\">\n", which == 0 ? "identification" :
		which == 1 ? "screening" : "included");
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" fill=\"#bcd2ee\" stroke=\"#6c7b8b\" stroke-width=\"1.2\"/>\n",
		x, y0, LABEL_W, y1 - y0);
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-90 %.1f %.1f)\" text-anchor=\"middle\" dominant-baseline=\"central\" font-weight=\"bold\">%s</text>\n",
		cx, cy, cx, cy, labels[which]);
	fputs("</g>\n", out);
	(void)d;
}

static int footer(struct diagram *d)
{
	const struct wn_prisma *p = d->p;
	struct wn_buf t;
	size_t i;
	int rc;

	wn_buf_init(&t, 0);
	rc = wn_buf_addf(&t, d->err, "Counts computed by winnow %s from the ledger%s ", WINNOW_VERSION,
			 p->runs && p->runs->nledgers > 1 ? "s" : "");
	for (i = 0; rc == 0 && p->runs && i < p->runs->nledgers; i++)
		rc = wn_buf_addf(&t, d->err, "%s%s", i ? ", " : "", p->runs->ledgers[i]);
	if (rc == 0)
		rc = wn_buf_addf(&t, d->err, " (runs from %s to %s); %zu checks hold%s.",
				 p->first[0] ? p->first : "?", p->last[0] ? p->last : "?", p->nchecks,
				 p->nerrors ? ", SOME FAIL: do not publish" : "");
	if (rc == 0) {
		struct wn_buf clean;
		wn_buf_init(&clean, 0);
		rc = wn_utf8_sanitize(&clean, t.data, t.len, 0, d->err) < 0 ? -1 : 0;
		if (rc == 0)
			rc = wn_textwidth_wrap(clean.data, d->width - 2 * MARGIN, d->width - 2 * MARGIN, 0, FOOT_FS,
					       &d->foot, d->err);
		wn_buf_release(&clean);
	}
	wn_buf_release(&t);
	return rc;
}

static int emit(FILE *out, struct diagram *d)
{
	const struct wn_prisma *p = d->p;
	json_object *meta;
	size_t i;
	struct box *b, *inc;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"%.0f\">\n",
		d->width, d->height, d->width, d->height, FS);
	fputs("<title>PRISMA 2020 flow diagram</title>\n", out);
	fprintf(out, "<desc>PRISMA 2020 flow diagram drawn by winnow %s: every count computed from the ledger of the review's runs, checked (%zu checks).</desc>\n",
		WINNOW_VERSION, p->nchecks);
	meta = wn_prisma_json(p, d->err);
	if (!meta)
		return -1;
	{
		const char *s = pj_print(meta, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, d->err);
		if (!s) {
			json_object_put(meta);
			return -1;
		}
		fputs("<metadata id=\"winnow-prisma\">", out);
		xml_text(out, s);
		fputs("</metadata>\n", out);
	}
	json_object_put(meta);
	fputs("<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#000000\"/></marker></defs>\n", out);
	fputs("<style>.arrow{stroke:#000000;stroke-width:1.2;fill:none}</style>\n", out);
	fprintf(out, "<rect id=\"background\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
		d->width, d->height);
	/* labels */
	draw_label(out, d, 0, d->rowy[R_ID], d->rowy[R_ID] + d->rowh[R_ID]);
	draw_label(out, d, 1, d->rowy[R_SCREEN], d->rowy[R_ASSESS] + d->rowh[R_ASSESS]);
	draw_label(out, d, 2, d->rowy[R_INC],
		   d->rowon[R_TOTAL] ? d->rowy[R_TOTAL] + d->rowh[R_TOTAL] : d->rowy[R_INC] + d->rowh[R_INC]);
	/* arrows first, boxes over them */
	down(out, find(d, "database_results"), find(d, "records_screened"));
	down(out, find(d, "records_screened"), find(d, "dbr_sought_reports"));
	down(out, find(d, "dbr_sought_reports"), find(d, "dbr_assessed"));
	down(out, find(d, "dbr_assessed"), find(d, "new_studies"));
	right(out, find(d, "database_results"), find(d, "duplicates"));
	right(out, find(d, "records_screened"), find(d, "records_excluded"));
	right(out, find(d, "dbr_sought_reports"), find(d, "dbr_notretrieved_reports"));
	right(out, find(d, "dbr_assessed"), find(d, "dbr_excluded"));
	inc = find(d, "new_studies");
	if (p->other_branch) {
		down(out, find(d, "website_results"), find(d, "other_sought_reports"));
		down(out, find(d, "other_sought_reports"), find(d, "other_assessed"));
		right(out, find(d, "other_sought_reports"), find(d, "other_notretrieved_reports"));
		right(out, find(d, "other_assessed"), find(d, "other_excluded"));
		b = find(d, "other_assessed");
		if (b && inc)
			fprintf(out, "<polyline class=\"arrow\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" marker-end=\"url(#head)\"/>\n",
				b->x + b->w / 2, b->y + b->h, b->x + b->w / 2, inc->y + inc->h / 2,
				inc->x + inc->w + 1, inc->y + inc->h / 2);
	}
	if (p->previous) {
		struct box *tot = find(d, "total_studies");
		down(out, inc, tot);
		b = find(d, "previous_studies");
		if (b && tot)
			fprintf(out, "<polyline class=\"arrow\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" marker-end=\"url(#head)\"/>\n",
				b->x + b->w / 2, b->y + b->h, b->x + b->w / 2, tot->y + tot->h / 2,
				tot->x - 1, tot->y + tot->h / 2);
	}
	for (i = 0; i < d->nb; i++)
		draw_box(out, &d->b[i]);
	for (i = 0; i < d->foot.n; i++) {
		fprintf(out, "<text class=\"provenance\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" fill=\"#444444\">",
			MARGIN, d->foot_y + FOOT_FS + (double)i * FOOT_FS * 1.3, FOOT_FS);
		xml_text(out, d->foot.line[i]);
		fputs("</text>\n", out);
	}
	fputs("</svg>\n", out);
	return 0;
}

int wn_prisma_write_svg(FILE *out, const char *name, const struct wn_prisma *p, struct wn_err *err)
{
	struct diagram *d = wn_calloc(1, sizeof(*d));
	size_t i, j;
	int rc = -1;

	if (!d)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	d->p = p;
	d->err = err;
	wn_textlines_init(&d->foot);
	columns(d);
	/* columns first: a box's text is wrapped to its width as it is built */
	if (build_boxes(d) < 0)
		goto out;
	if (footer(d) < 0 || layout(d) < 0 || emit(out, d) < 0)
		goto out;
	rc = wn_output_check(out, name, err);
out:
	for (i = 0; i < d->nb; i++) {
		for (j = 0; j < d->b[i].n; j++)
			wn_free(d->b[i].l[j].s);
		wn_free(d->b[i].l);
	}
	wn_textlines_release(&d->foot);
	wn_free(d);
	return rc;
}

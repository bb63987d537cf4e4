/*
 * textwidth.c - conservative text width and word wrapping (see textwidth.h).
 *
 * The tables give, per 1000 units of the em, the advance width of U+0020..U+007E then
 * U+00A0..U+00FF: the maximum of Helvetica (Adobe's AFM metrics; Arial and Liberation
 * Sans share them) and DejaVu Sans 2.37 (read from DejaVuSans.ttf / DejaVuSans-Bold.ttf,
 * hmtx table), rounded up.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/buf.h"
#include "winnow/textwidth.h"
#include "winnow/utf8.h"

static const unsigned short w_regular[191] = {
	318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337,
	637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 556,
	1015, 685, 687, 722, 771, 667, 611, 778, 752, 295, 500, 667, 558, 863, 749, 788,
	667, 788, 722, 667, 611, 732, 685, 989, 686, 667, 686, 391, 337, 391, 838, 556,
	500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612,
	635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838, 318,
	401, 637, 637, 637, 637, 337, 500, 500, 1000, 472, 612, 838, 361, 1000, 500, 500,
	838, 401, 401, 500, 637, 637, 318, 500, 401, 472, 612, 970, 970, 970, 531, 685,
	685, 685, 685, 685, 685, 975, 699, 632, 632, 632, 632, 295, 295, 295, 295, 775,
	749, 788, 788, 788, 788, 788, 838, 788, 732, 732, 732, 732, 611, 605, 630, 613,
	613, 613, 613, 613, 613, 982, 550, 616, 616, 616, 616, 278, 278, 278, 278, 612,
	634, 612, 612, 612, 612, 612, 838, 612, 634, 634, 634, 634, 592, 635, 592,
};

static const unsigned short w_bold[191] = {
	349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366,
	696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 611,
	1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 556, 775, 638, 996, 837, 851,
	733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 366, 458, 838, 556,
	500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688,
	716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838, 349,
	457, 696, 696, 637, 696, 366, 500, 500, 1000, 564, 646, 838, 416, 1000, 500, 500,
	838, 438, 438, 500, 736, 637, 380, 500, 438, 564, 646, 1036, 1036, 1036, 581, 774,
	774, 774, 774, 774, 774, 1085, 734, 684, 684, 684, 684, 373, 373, 373, 373, 838,
	837, 851, 851, 851, 851, 851, 838, 851, 813, 813, 813, 813, 725, 738, 720, 675,
	675, 675, 675, 675, 675, 1048, 593, 679, 679, 679, 679, 343, 343, 343, 343, 688,
	712, 688, 688, 688, 688, 688, 838, 688, 712, 712, 712, 712, 652, 716, 652,
};

#define SAFETY 1.03

static unsigned cp_units(int32_t cp, const char *s, size_t adv, int bold)
{
	const unsigned short *t = bold ? w_bold : w_regular;

	if (cp >= 0x20 && cp <= 0x7E)
		return t[cp - 0x20];
	if (cp >= 0xA0 && cp <= 0xFF)
		return t[cp - 0xA0 + 95];
	if (cp < 0)
		return 1000;
	/* combining marks draw over the previous character */
	return wn_utf8_width(s, adv) == 0 && cp >= 0x300 ? 0 : 1000;
}

double wn_textwidth(const char *s, size_t n, int bold, double size)
{
	unsigned long units = 0;
	size_t i = 0, adv;

	while (i < n) {
		int32_t cp = wn_utf8_decode(s + i, n - i, &adv);
		units += cp_units(cp, s + i, adv, bold);
		i += adv;
	}
	return (double)units * size / 1000.0 * SAFETY;
}

void wn_textlines_init(struct wn_textlines *t)
{
	memset(t, 0, sizeof(*t));
}

void wn_textlines_release(struct wn_textlines *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		wn_free(t->line[i]);
	wn_free(t->line);
	memset(t, 0, sizeof(*t));
}

static int push_line(struct wn_textlines *t, const char *s, size_t n, struct wn_err *err)
{
	char *copy;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		char **l = wn_reallocarray(t->line, cap, sizeof(*l));
		if (!l)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		t->line = l;
		t->cap = cap;
	}
	copy = wn_strndup(s, n);
	if (!copy)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	t->line[t->n++] = copy;
	return 0;
}

/* Break one over-long word: emit as many full lines of it as needed, leave the tail in
 * cur (which is empty on entry). */
static int break_word(const char *w, size_t wl, double width, int bold, double size,
		      struct wn_textlines *t, struct wn_buf *cur, int *first, double first_width,
		      struct wn_err *err)
{
	size_t i = 0;

	while (i < wl) {
		double lim = *first ? first_width : width;
		size_t j = i, adv, fit = i;
		while (j < wl) {
			wn_utf8_decode(w + j, wl - j, &adv);
			if (wn_textwidth(w + i, j + adv - i, bold, size) > lim)
				break;
			j += adv;
			fit = j;
		}
		if (fit == i) { /* not even one character fits: take one anyway */
			wn_utf8_decode(w + i, wl - i, &adv);
			fit = i + adv;
		}
		if (fit >= wl) {
			if (wn_buf_add(cur, w + i, wl - i, err) < 0)
				return -1;
			return 0;
		}
		if (push_line(t, w + i, fit - i, err) < 0)
			return -1;
		*first = 0;
		i = fit;
	}
	return 0;
}

int wn_textwidth_wrap(const char *s, double first_width, double max_width, int bold, double size,
		      struct wn_textlines *t, struct wn_err *err)
{
	struct wn_buf cur;
	const char *p = s;
	int first = 1, rc = 0;

	wn_buf_init(&cur, 0);
	for (;;) {
		const char *w;
		size_t wl;
		double lim;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		wl = (size_t)(p - w);
		lim = first ? first_width : max_width;
		if (cur.len) {
			/* try "cur word" */
			size_t keep = cur.len;
			if (wn_buf_addc(&cur, ' ', err) < 0 || wn_buf_add(&cur, w, wl, err) < 0) {
				rc = -1;
				break;
			}
			if (wn_textwidth(cur.data, cur.len, bold, size) <= lim)
				continue;
			wn_buf_truncate(&cur, keep);
			if (push_line(t, cur.data, cur.len, err) < 0) {
				rc = -1;
				break;
			}
			wn_buf_reset(&cur);
			first = 0;
			lim = max_width;
		}
		if (wn_textwidth(w, wl, bold, size) <= lim) {
			if (wn_buf_add(&cur, w, wl, err) < 0) {
				rc = -1;
				break;
			}
		} else if (break_word(w, wl, max_width, bold, size, t, &cur, &first, first_width, err) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && (cur.len || t->n == 0))
		rc = push_line(t, cur.data, cur.len, err);
	wn_buf_release(&cur);
	return rc;
}

/*
 * compare.c - the decision on one candidate pair (see dd.h).
 *
 * Evidence first, then the decision, in three layers:
 *
 *  1. hard vetoes - never the same record, not even worth a person's time: two
 *     different PMIDs or PMCIDs, two records of one --keep-apart set, an erratum / retraction notice / reply / comment paired
 *     with anything that is not one of the same kind, a book paired with one of its
 *     chapters, two different Cochrane reviews;
 *  2. soft vetoes - the known false-positive traps (research/dedup.md, section 4), which
 *     turn a would-be duplicate into a "maybe" for a person: years more than one apart,
 *     different DOIs, different start pages or volumes, a conference abstract against a
 *     journal article (unless volume and start page agree, i.e. it is the same printed
 *     item), companion papers ("in women" / "in men", "part 1" / "part 2", different
 *     numbers in the title: not when both give one page range in one volume of one
 *     journal, with the same first author), different versions of a Cochrane review;
 *  3. rules - each a conjunction that makes bibliographic sense on its own:
 *       pmid/pmcid  the same PubMed (Central) record, title not contradicting;
 *       doi         the same DOI, the same title (>= 0.90) and authors not contradicting;
 *       pages       the same start page in the same volume or journal, the same title
 *                   (>= 0.90) and the same first author or most authors;
 *       title       the same title (>= 0.95), the same first author and most authors,
 *                   the same journal, year within one, nothing contradicting.
 *     Generic titles ("Editorial") need the full set of coordinates. A pair close to a
 *     rule (title >= 0.85 with similar authors, or title >= 0.80 in the same journal
 *     issue) is a "maybe".
 *
 * The title measure is the edit-distance similarity of the folded titles without spaces
 * (1 - distance / longer length): stricter than Jaro-Winkler on long strings, so 0.90
 * means "at most one character in ten differs". A title that is a prefix or suffix of the
 * other (a dropped subtitle, an Embase citation tail) counts 0.93: enough for the rules
 * that also need pages or a DOI, not for the title rule.
 */
#include <string.h>
#include "winnow/strsim.h"
#include "dd.h"

static const char *const rule_names[DD_R_NRULES] = {
	"manual", "same-id", "pmid", "pmcid", "doi", "pages", "title"
};

static const char *const reason_names[DD_WHY_NREASONS] = {
	"none", "similar", "doi-conflict", "year", "pages", "volume", "conference",
	"companion", "title-numbers", "cochrane-version", "generic-title", "cluster-conflict",
	"doi-title-mismatch", "different-identifiers", "erratum-reply-comment-or-notice",
	"book-and-chapter", "different-cochrane-reviews", "no-title", "titles-differ",
	"authors-and-journal-differ", "not-enough-evidence", "kept-apart"
};

const char *dd_rule_name(int rule)
{
	return rule >= 0 && rule < DD_R_NRULES ? rule_names[rule] : "?";
}

const char *dd_reason_name(int why)
{
	return why >= 0 && why < DD_WHY_NREASONS ? reason_names[why] : "?";
}

/* ---------------------------------------------------------------- fields */

static size_t spaceless(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < n && k < cap; i++)
		if (s[i] != ' ')
			out[k++] = s[i];
	return k;
}

/* Are two strings the same once spaces are ignored? (No copy, no length cap.) */
static int same_but_spaces(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < an && a[i] == ' ')
			i++;
		while (j < bn && b[j] == ' ')
			j++;
		if (i == an || j == bn)
			return i == an && j == bn;
		if (a[i++] != b[j++])
			return 0;
	}
}

/* The title without spaces, into out (cap bytes); a title longer than that keeps its
 * beginning and its end (half each), where variants and "part 1" / "part 2" differ. */
static size_t head_tail(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = spaceless(s, n, out, cap), total = 0, i, half = cap / 2, t;

	if (k < cap)
		return k;
	for (i = 0; i < n; i++)
		if (s[i] != ' ')
			total++;
	if (total <= cap)
		return k;
	/* the last `half` letters over the second half of out */
	for (i = n, t = 0; i > 0 && t < half; i--)
		if (s[i - 1] != ' ')
			out[cap - 1 - t++] = s[i - 1];
	return cap;
}

static float title_sim(const struct dd_rec *a, const struct dd_rec *b, struct dd_evidence *ev,
		       double floor)
{
	char sa[WN_SIM_MAX_LEN], sb[WN_SIM_MAX_LEN];
	size_t na, nb, shorter, longer;
	double overlap, ls, contained = 0;

	if (!a->title_len || !b->title_len)
		return -1;
	if (same_but_spaces(a->title, a->title_len, b->title, b->title_len)) {
		ev->title_exact = 1;
		return 1.0f;
	}
	na = head_tail(a->title, a->title_len, sa, sizeof(sa));
	nb = head_tail(b->title, b->title_len, sb, sizeof(sb));
	shorter = na < nb ? na : nb;
	longer = na < nb ? nb : na;
	{
		const char *s = na < nb ? sa : sb, *l = na < nb ? sb : sa;
		const struct dd_rec *lr = na < nb ? b : a;
		/* one title is the start or the end of the other (an Embase citation tail, a
		 * "MEDICAL PROGRESS" heading), or exactly the other's main title without its
		 * subtitle, however long the subtitle */
		if ((shorter >= 25 && shorter * 2 >= longer &&
		     (memcmp(s, l, shorter) == 0 || memcmp(s, l + longer - shorter, shorter) == 0)) ||
		    (shorter >= 15 && lr->main_len == shorter && memcmp(s, l, shorter) == 0)) {
			ev->title_contained = 1;
			contained = 0.93;
		}
	}
	overlap = wn_sim_signature_overlap(a->title_sig, b->title_sig);
	if (overlap < 0.25 && !contained)
		return (float)(overlap * 0.5);
	ls = wn_sim_levenshtein(sa, na, sb, nb, floor);
	return (float)(ls > contained ? ls : contained);
}

/* Is every word of s a word of l? */
static int words_within(const char *s, size_t sn, const char *l, size_t ln)
{
	const char *p = s, *e = s + sn;

	while (p < e) {
		const char *q = memchr(p, ' ', (size_t)(e - p));
		const char *lp = l, *le = l + ln;
		int found = 0;

		if (!q)
			q = e;
		while (lp < le && !found) {
			const char *lq = memchr(lp, ' ', (size_t)(le - lp));
			if (!lq)
				lq = le;
			found = lq - lp == q - p && memcmp(lp, p, (size_t)(q - p)) == 0;
			lp = lq + 1;
		}
		if (!found)
			return 0;
		p = q + 1;
	}
	return 1;
}

/* 2: the same surname; 1: compatible (one is part of the other, "sberro" / "sberro
 * soussan", "boxtel" / "van boxtel"; or one typo in a name of five letters or more);
 * 0: different. */
static int surname_match(const struct dd_author *x, const struct dd_author *y)
{
	char sx[256], sy[256];
	size_t nx, ny;

	if (x->sur_len == y->sur_len && memcmp(x->sur, y->sur, x->sur_len) == 0)
		return x->sur_len > 0 ? 2 : 0;
	if (x->sur_len && y->sur_len && x->sur[0] != y->sur[0] &&
	    !memchr(x->sur, ' ', x->sur_len) && !memchr(y->sur, ' ', y->sur_len))
		return 0; /* one word each, different first letters: no rule below can match */
	nx = spaceless(x->sur, x->sur_len, sx, sizeof(sx));
	ny = spaceless(y->sur, y->sur_len, sy, sizeof(sy));

	if (nx == ny && memcmp(sx, sy, nx) == 0)
		return nx > 0 ? 2 : 0;
	if (nx == 0 || ny == 0)
		return 0;
	if (x->sur_len <= y->sur_len ? (memchr(y->sur, ' ', y->sur_len) &&
					 words_within(x->sur, x->sur_len, y->sur, y->sur_len))
				     : (memchr(x->sur, ' ', x->sur_len) &&
					words_within(y->sur, y->sur_len, x->sur, x->sur_len)))
		return 1;
	if (nx >= 5 && ny >= 5 && sx[0] == sy[0] && wn_levenshtein_bounded(sx, nx, sy, ny, 1) <= 1)
		return 1;
	return 0;
}

static int initials_ok(const struct dd_author *x, const struct dd_author *y)
{
	return !x->ini[0] || !y->ini[0] || x->ini[0] == y->ini[0];
}

/* Korean and Chinese names are often given in either order ("Myong, C L" / "Lim, M C"):
 * the surname's initial is the other's first initial and the other way round. */
static int swapped_match(const struct dd_author *x, const struct dd_author *y)
{
	return x->sur_len && y->sur_len && x->ini[0] && y->ini[0] &&
	       x->sur[0] == y->ini[0] && strchr(x->ini, y->sur[0]) != NULL;
}

static float author_sim(const struct dd_rec *a, const struct dd_rec *b, int8_t *first)
{
	unsigned char used[DD_MAX_AUTHORS];
	size_t i, j, k;
	double matched = 0;

	*first = -1;
	if (!a->nstored || !b->nstored) {
		if (a->group && b->group && !a->nstored && !b->nstored) {
			double jw = wn_sim_jaro_winkler(a->group, strlen(a->group), b->group, strlen(b->group));
			*first = jw >= 0.9;
			return jw >= 0.9 ? 1.0f : 0.0f;
		}
		return -1;
	}
	k = a->nstored < b->nstored ? a->nstored : b->nstored;
	*first = surname_match(&a->authors[0], &b->authors[0]) && initials_ok(&a->authors[0], &b->authors[0]);
	memset(used, 0, sizeof(used));
	for (i = 0; i < a->nstored; i++) {
		size_t lo = i > 3 ? i - 3 : 0, hi = i + 4 < b->nstored ? i + 4 : b->nstored;
		int hit = 0;
		for (j = lo; j < hi && !hit; j++) {
			if (!used[j] && surname_match(&a->authors[i], &b->authors[j]) &&
			    initials_ok(&a->authors[i], &b->authors[j])) {
				used[j] = 1;
				hit = 1;
			}
		}
		if (hit) {
			matched += 1;
			continue;
		}
		for (j = lo; j < hi && !hit; j++) {
			if (!used[j] && swapped_match(&a->authors[i], &b->authors[j])) {
				used[j] = 1;
				hit = 1;
			}
		}
		if (hit)
			matched += 0.5;
	}
	if (matched > (double)k)
		matched = (double)k;
	return (float)(matched / (double)k);
}

static int journal_cmp(const struct dd_rec *a, const struct dd_rec *b)
{
	size_t i, j;
	const char *va[2], *vb[2];
	size_t la[2], lb[2];

	for (i = 0; i < a->nissn; i++)
		for (j = 0; j < b->nissn; j++)
			if (a->issn[i] == b->issn[j])
				return 1;
	va[0] = a->journal; la[0] = a->journal_len;
	va[1] = a->jabbrev; la[1] = a->jabbrev_len;
	vb[0] = b->journal; lb[0] = b->journal_len;
	vb[1] = b->jabbrev; lb[1] = b->jabbrev_len;
	if (!la[0] && !la[1])
		return -1;
	if (!lb[0] && !lb[1])
		return -1;
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++)
			if (la[i] && lb[j] && wn_journal_same(va[i], la[i], vb[j], lb[j]))
				return 1;
	/* spelling variants of one name ("Seminars in Thrombosis & Hemostasis" / "...and
	 * Haemostasis"): full name against full name, abbreviation against abbreviation */
	for (i = 0; i < 2; i++)
		if (la[i] >= 8 && lb[i] >= 8 && va[i][0] == vb[i][0] &&
		    wn_sim_jaro_winkler(va[i], la[i], vb[i], lb[i]) >= 0.92)
			return 1;
	return 0;
}

static int doi_cmp(const struct dd_rec *a, const struct dd_rec *b)
{
	const char *p = a->dois, *e = a->dois + a->dois_len;

	if (!a->ndois || !b->ndois)
		return -1;
	while (p < e) {
		const char *q = memchr(p, '\n', (size_t)(e - p));
		const char *r = b->dois, *re = b->dois + b->dois_len;
		if (!q)
			q = e;
		while (r < re) {
			const char *rq = memchr(r, '\n', (size_t)(re - r));
			if (!rq)
				rq = re;
			if (rq - r == q - p && memcmp(r, p, (size_t)(q - p)) == 0)
				return 1;
			r = rq + 1;
		}
		p = q + 1;
	}
	return 0;
}

/* Start pages: 1 the same, 0 different, -1 not comparable. Databases disagree on
 * pages in ways that are not a contradiction, so these are "not comparable": article
 * numbers against page ranges ("e12724" / "1-6", "a1754" / "969-972": different
 * numbering, and "1-n" is the PDF's own pagination), a single page that lies inside the
 * other record's range ("488" / "487-488"), and a different start with the same end
 * ("2297-2108" / "2097-2108": a typo). "S12" and "12" are the same page (supplement
 * prefixes get lost), and so are "c37-c42" and "37-42" (a section's page prefix): a
 * prefix present on one side only is ignored when the numbers agree (both ends, or the
 * start for "S"). */
static int8_t pages_cmp(const struct wn_pages *a, const struct wn_pages *b)
{
	int same_prefix = strcmp(a->prefix, b->prefix) == 0;
	int s_prefix = (strcmp(a->prefix, "s") == 0 && !b->prefix[0]) ||
		       (strcmp(b->prefix, "s") == 0 && !a->prefix[0]);

	if (!a->start || !b->start || a->roman != b->roman)
		return -1;
	if (!same_prefix) {
		int one_empty = !a->prefix[0] || !b->prefix[0];
		if (one_empty && a->start == b->start &&
		    (s_prefix || (a->end && b->end && a->end == b->end)))
			return 1;
		/* a supplement page is a page: "S474" and "1273-1276" are different items (the
		 * conference abstract and the full paper); other prefixes are article numbers */
		return s_prefix && a->start != b->start ? 0 : -1;
	}
	if (a->start == b->start)
		return 1;
	if (a->start == 1 || b->start == 1)
		return -1;
	if ((!a->end && b->end >= b->start && a->start >= b->start && a->start <= b->end) ||
	    (!b->end && a->end >= a->start && b->start >= a->start && b->start <= a->end))
		return -1;
	if (a->end && b->end && a->end == b->end)
		return -1;
	return 0;
}

static int8_t num_cmp(uint64_t x, uint64_t y)
{
	if (!x || !y)
		return -1;
	return x == y;
}

/* Each title has a number the other does not ("part 1" / "part 2", "12-month" /
 * "24-month", "type 1" / "type 2"). One title having extra numbers is no conflict
 * (an Embase citation tail "... N Engl J Med. 2009"). */
static int numbers_conflict(const struct dd_rec *a, const struct dd_rec *b)
{
	/* "part 1" / "part 2" and "phase II" / "phase III" count even when the title has
	 * both numbers elsewhere (chemical names, dates) */
	if ((a->part && b->part && a->part != b->part) || (a->phase && b->phase && a->phase != b->phase))
		return 1;
	return (a->numsig & ~b->numsig) && (b->numsig & ~a->numsig);
}

/* A conference abstract printed in a journal supplement is indexed by one database as a
 * conference item and by another as a journal item. That is the same record - not the
 * "abstract vs full paper" trap - when both name the same journal in the same year,
 * nothing contradicts (volume), the journal item is no full paper (one page at most, or
 * none), and the meeting item names no other page. */
static int abstract_in_journal(const struct dd_rec *a, const struct dd_rec *b,
			       const struct dd_evidence *ev)
{
	const struct dd_rec *j = (a->kind & (DD_K_CONFERENCE | DD_K_CONF_VENUE)) ? b : a;
	const struct dd_rec *c = j == a ? b : a;
	int short_item = !j->pages.start || !j->pages.end || j->pages.end == j->pages.start;

	/* one printed abstract: one year, and the meeting item gives no other page */
	return ev->journal == 1 && ev->volume != 0 && ev->year_diff <= 0 && short_item &&
	       (ev->pages == 1 || !c->pages.start);
}

/* The same printed item: the same volume and start page, and the same extent - both
 * ranges end on the same page, or neither is a range. A one-page abstract "S256" is not
 * the article on pages 256-262 of the same volume. */
static int same_item(const struct dd_rec *a, const struct dd_rec *b, const struct dd_evidence *ev)
{
	int ra = a->pages.end > a->pages.start, rb = b->pages.end > b->pages.start;

	if (ev->volume != 1 || ev->pages != 1)
		return 0;
	if (ra && rb)
		return a->pages.end == b->pages.end;
	return !ra && !rb;
}

/* The word groups that name the other half of a pair of companion papers. */
static unsigned opposite(unsigned w)
{
	unsigned o = 0;

	if (w & WN_TW_FEMALE)
		o |= WN_TW_MALE;
	if (w & WN_TW_MALE)
		o |= WN_TW_FEMALE;
	if (w & WN_TW_CHILD)
		o |= WN_TW_ADULT;
	if (w & WN_TW_ADULT)
		o |= WN_TW_CHILD;
	if (w & WN_TW_VIVO)
		o |= WN_TW_VITRO;
	if (w & WN_TW_VITRO)
		o |= WN_TW_VIVO;
	if (w & WN_TW_RAT)
		o |= WN_TW_MOUSE;
	if (w & WN_TW_MOUSE)
		o |= WN_TW_RAT;
	return o;
}

/* Companion papers: each title has a word the other lacks ("in women" / "in men", "in
 * vitro" / "in vivo"), or one has a word the other does not have at all ("... : study
 * protocol", "... : 5-year follow-up"). A word that is only misspelt in one title (its
 * titles within two edits, or the same but for spaces) is no companion. */
static int companions(const struct dd_rec *a, const struct dd_rec *b, const struct dd_evidence *ev)
{
	unsigned diff = (unsigned)(a->twords ^ b->twords);
	char sa[WN_SIM_MAX_LEN], sb[WN_SIM_MAX_LEN];
	size_t na, nb;

	if (!diff)
		return 0;
	if ((a->twords & diff) && (b->twords & diff))
		return 1;
	/* "women" on one side, "men" (its opposite) on the other: however few letters apart */
	if ((opposite(a->twords & diff) & b->twords) || (opposite(b->twords & diff) & a->twords))
		return 1;
	if (ev->title_exact)
		return 0;
	na = spaceless(a->title, a->title_len, sa, sizeof(sa));
	nb = spaceless(b->title, b->title_len, sb, sizeof(sb));
	return wn_levenshtein_bounded(sa, na, sb, nb, 2) > 2;
}

/* What kind of publication the record is, as far as vetoes are concerned. */
static unsigned kind_of(const struct dd_rec *r)
{
	unsigned k = r->tflags & WN_TITLE_KIND_MASK;

	if (r->kind & DD_K_ERRATUM)
		k |= WN_TITLE_ERRATUM;
	if (r->kind & DD_K_NOTICE)
		k |= WN_TITLE_NOTICE;
	return k;
}

static float combined_score(const struct dd_evidence *ev)
{
	double sum = 0, w = 0;

#define ADD(weight, known, value) do { if (known) { sum += (weight) * (value); w += (weight); } } while (0)
	ADD(3, ev->title >= 0, ev->title);
	ADD(2, ev->authors >= 0, ev->authors);
	ADD(1, ev->journal >= 0, ev->journal);
	ADD(1, ev->year_diff >= 0, ev->year_diff == 0 ? 1.0 : ev->year_diff == 1 ? 0.5 : 0.0);
	ADD(1, ev->volume >= 0, ev->volume);
	ADD(1, ev->pages >= 0, ev->pages);
	ADD(2, ev->doi >= 0, ev->doi);
	ADD(3, ev->pmid >= 0, ev->pmid);
#undef ADD
	return w > 0 ? (float)(sum / w) : 0.0f;
}

/* ---------------------------------------------------------------- the decision */

/* All the evidence, for --explain (the decision below stops early instead). */
static void full_evidence(const struct dd_rec *a, const struct dd_rec *b, struct dd_evidence *ev)
{
	ev->authors = author_sim(a, b, &ev->first_author);
	ev->journal = (int8_t)journal_cmp(a, b);
	if (a->year && b->year)
		ev->year_diff = (int16_t)(a->year > b->year ? a->year - b->year : b->year - a->year);
	ev->volume = num_cmp(a->volume, b->volume);
	ev->issue = num_cmp(a->issue, b->issue);
	ev->pages = pages_cmp(&a->pages, &b->pages);
	if (ev->pages == 1 && a->pages.end && b->pages.end)
		ev->pages_end = a->pages.end == b->pages.end;
	ev->title = title_sim(a, b, ev, 0.0);
	ev->score = combined_score(ev);
}

enum dd_verdict dd_compare(const struct dd_rec *a, const struct dd_rec *b,
			   struct dd_evidence *ev, int *rule, int *why, int full)
{
	float t, au;
	int shared_id, soft = DD_WHY_NONE, generic, authors_ok, coords, same_range;
	unsigned ka, kb;

	memset(ev, 0, sizeof(*ev));
	*rule = -1;
	*why = DD_WHY_NONE;
	ev->pmid = num_cmp(a->pmid, b->pmid);
	ev->pmcid = num_cmp(a->pmcid, b->pmcid);
	ev->doi = (int8_t)doi_cmp(a, b);
	ev->title = -1;
	ev->authors = -1;
	ev->first_author = ev->journal = ev->volume = ev->issue = ev->pages = ev->pages_end = -1;
	ev->year_diff = -1;
	if (full)
		full_evidence(a, b, ev);

#define NO(reason) do { *why = (reason); return DD_NONE; } while (0)
	/* hard vetoes */
	if (ev->pmid == 0 || ev->pmcid == 0)
		NO(DD_WHY_IDS);
	if (a->apart && a->apart == b->apart)
		NO(DD_WHY_KEPT_APART); /* deduplicated before, together: the user says so */
	ka = kind_of(a);
	kb = kind_of(b);
	if (ka != kb)
		NO(DD_WHY_KIND);
	if (((a->kind & DD_K_BOOK) && (b->kind & DD_K_CHAPTER)) ||
	    ((b->kind & DD_K_BOOK) && (a->kind & DD_K_CHAPTER)))
		NO(DD_WHY_BOOK_CHAPTER);
	if (a->cochrane && b->cochrane && a->cochrane != b->cochrane)
		NO(DD_WHY_OTHER_REVIEW);

	shared_id = ev->doi == 1 || ev->pmid == 1 || ev->pmcid == 1;
	if (!shared_id && (!a->title_len || !b->title_len))
		NO(DD_WHY_NO_TITLE); /* no title on one side: only an identifier can tell */

	/* the cheap evidence first: most candidate pairs (titles that begin alike) end here */
	ev->authors = au = author_sim(a, b, &ev->first_author);
	ev->journal = (int8_t)journal_cmp(a, b);
	if (!shared_id && au >= 0 && au < 0.5f && ev->journal != 1)
		NO(DD_WHY_NO_AGREEMENT); /* no rule and no maybe can hold without either */
	if (a->year && b->year)
		ev->year_diff = (int16_t)(a->year > b->year ? a->year - b->year : b->year - a->year);
	ev->volume = num_cmp(a->volume, b->volume);
	ev->issue = num_cmp(a->issue, b->issue);
	ev->pages = pages_cmp(&a->pages, &b->pages);
	if (ev->pages == 1 && a->pages.end && b->pages.end)
		ev->pages_end = a->pages.end == b->pages.end;

	/* the title: below 0.8 only the coordinates rule and identifier pairs care (>= 0.5),
	 * so the edit distance can stop early everywhere else */
	coords = ev->journal == 1 && ev->volume == 1 && ev->pages == 1 && ev->pages_end == 1;
	ev->title = t = title_sim(a, b, ev, full ? 0.0 : (shared_id || coords ? 0.5 : 0.8));
	if (!shared_id && t < 0.6f)
		NO(DD_WHY_TITLE_DIFFERS);
	ev->score = combined_score(ev);
	generic = ((a->tflags | b->tflags) & WN_TITLE_GENERIC) != 0;
	authors_ok = au < 0 || au >= 0.5f;

	/* the same PubMed / PMC record */
	if (ev->pmid == 1 || ev->pmcid == 1) {
		if (t < 0 || t >= 0.8f) {
			*rule = ev->pmid == 1 ? DD_R_PMID : DD_R_PMCID;
			return DD_DUP;
		}
		*why = DD_WHY_DOI_TITLE;
		return DD_MAYBE;
	}

	/* One page range of two pages or more, in one volume of one journal, holds one
	 * article: with the same first author and year (within one), two records that agree
	 * on all of it are that article, whatever words or numbers one title has and the
	 * other lacks (a lost subtitle "...: in postmenopausal women", a typo "IL-3" for
	 * "IL-23"). Companion papers and part 1 / part 2 never share their pages. */
	same_range = ev->journal == 1 && ev->volume == 1 && ev->pages == 1 && ev->pages_end == 1 &&
		     a->pages.end > a->pages.start && strcmp(a->pages.prefix, b->pages.prefix) == 0 &&
		     ev->first_author == 1 && ev->year_diff <= 1;

	/* soft vetoes, strongest reason first */
	if (a->cochrane && b->cochrane &&
	    ((a->cochrane_version && b->cochrane_version && a->cochrane_version != b->cochrane_version) ||
	     ((!a->cochrane_version || !b->cochrane_version) && ev->year_diff != 0)))
		soft = DD_WHY_COCHRANE;
	else if (!same_range && companions(a, b, ev))
		soft = DD_WHY_COMPANION;
	else if (!same_range && !ev->title_exact && numbers_conflict(a, b))
		soft = DD_WHY_NUMBERS; /* a title that differs only in spacing ("IL2 7") has none */
	else if ((((a->kind ^ b->kind) & DD_K_CONFERENCE) ||
		  (((a->kind ^ b->kind) & DD_K_CONF_VENUE) && ev->journal != 1)) &&
		 !same_item(a, b, ev) && !abstract_in_journal(a, b, ev))
		soft = DD_WHY_CONFERENCE; /* a venue named differently in one database is no trap */

	/* the same DOI. Years further apart than one are the online-first year against the
	 * issue's ("Article in Press" in Embase, the print year in MEDLINE): with one DOI,
	 * one journal and one title that is still one article. */
	if (ev->doi == 1) {
		if (soft == DD_WHY_NONE && t >= 0.9f && authors_ok &&
		    (ev->year_diff <= 1 || ev->pages == 1 ||
		     (ev->year_diff <= 3 && t >= 0.95f && ev->journal == 1 && ev->volume != 0))) {
			*rule = DD_R_DOI;
			return DD_DUP;
		}
		if (soft == DD_WHY_NONE && t < 0 && au >= 0.8f && ev->year_diff <= 1 && ev->pages != 0) {
			*rule = DD_R_DOI;
			return DD_DUP;
		}
		if ((a->kind | b->kind) & (DD_K_BOOK | DD_K_CHAPTER))
			NO(DD_WHY_BOOK_CHAPTER); /* chapters share their book's DOI */
		/* one DOI, titles or authors that disagree: a wrong DOI in one database, or a
		 * figure's DOI - rare, and a person can tell at a glance */
		*why = soft != DD_WHY_NONE ? soft :
		       t >= 0.9f && authors_ok && ev->year_diff > 1 ? DD_WHY_YEAR : DD_WHY_DOI_TITLE;
		return DD_MAYBE;
	}

	if (soft == DD_WHY_NONE) {
		if (ev->year_diff > 1)
			soft = DD_WHY_YEAR;
		else if (ev->pages == 0)
			soft = DD_WHY_PAGES;
		else if (ev->volume == 0)
			soft = DD_WHY_VOLUME;
		else if (ev->doi == 0 &&
			 !(ev->pages == 1 && ev->volume == 1 && ev->journal == 1 && t >= 0.95f && au >= 0.8f))
			soft = DD_WHY_DOI_CONFLICT; /* unless every coordinate agrees: a wrong DOI */
	}
	if (soft != DD_WHY_NONE) {
		if (t >= 0.85f && authors_ok) {
			*why = soft;
			return DD_MAYBE;
		}
		NO(soft);
	}

	if (generic) {
		if (ev->pages == 1 && ev->volume == 1 && ev->journal == 1 && au >= 0.8f &&
		    ev->first_author == 1 && t >= 0.95f) {
			*rule = DD_R_PAGES;
			return DD_DUP;
		}
		if (t >= 0.9f && au >= 0.75f && ev->journal == 1 && (ev->pages == 1 || ev->volume == 1)) {
			*why = DD_WHY_GENERIC;
			return DD_MAYBE;
		}
		NO(DD_WHY_GENERIC);
	}

	/* the same page range (of two pages or more) in the same volume of the same journal
	 * is the same article, whatever the title says: a translated or damaged title still
	 * has to resemble it (or the first author agree) */
	if (ev->journal == 1 && ev->volume == 1 && ev->pages == 1 && ev->pages_end == 1 &&
	    a->pages.end > a->pages.start && strcmp(a->pages.prefix, b->pages.prefix) == 0 &&
	    (t >= 0.9f || (t >= 0.5f && ev->first_author == 1))) {
		*rule = DD_R_PAGES;
		return DD_DUP;
	}
	/* the same start page in the same volume (or journal) */
	if (ev->pages == 1 && t >= 0.9f &&
	    (ev->volume == 1 || ev->journal == 1 || (ev->volume < 0 && ev->journal < 0)) &&
	    ((au >= 0.5f && ev->first_author == 1) || au >= 0.75f || (au < 0 && ev->journal == 1))) {
		*rule = DD_R_PAGES;
		return DD_DUP;
	}
	/* the same title, authors and journal */
	if (t >= 0.95f && au >= 0.75f && ev->first_author == 1 && ev->journal == 1) {
		*rule = DD_R_TITLE;
		return DD_DUP;
	}
	/* the same long title and authors, the same year, no pages to compare (volume, if
	 * both have one, the same): two records of one conference paper ("AMCIS 2017" /
	 * "Americas Conference on Information Systems") */
	if (ev->title_exact && a->title_len >= 40 && au >= 0.9f && ev->first_author == 1 &&
	    ev->year_diff == 0 && ev->pages < 0 && ev->volume != 0) {
		*rule = DD_R_TITLE;
		return DD_DUP;
	}
	if ((t >= 0.85f && (au >= 0.6f || au < 0)) ||
	    (t >= 0.8f && ev->journal == 1 && (ev->pages == 1 || ev->volume == 1))) {
		*why = DD_WHY_SIMILAR;
		return DD_MAYBE;
	}
	NO(DD_WHY_NOT_ENOUGH);
#undef NO
}

/* ---------------------------------------------------------------- evidence as JSON */

/* Add key -> val; -1 (and val released) when val is NULL or the add fails. */
static int put(json_object *o, const char *key, json_object *val)
{
	if (!val)
		return -1;
	if (json_object_object_add(o, key, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

static int put_tri(json_object *o, const char *key, int8_t v)
{
	if (v < 0)
		return 0;
	return put(o, key, json_object_new_boolean(v == 1));
}

static json_object *new_double(double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", v);
	return json_object_new_double_s(v, buf);
}

json_object *dd_evidence_json(const struct dd_rec *a, const struct dd_rec *b,
			      const struct dd_evidence *ev)
{
	json_object *o = json_object_new_object();
	int rc = 0;

	if (!o)
		return NULL;
	(void)a;
	(void)b;
	if (ev->title >= 0)
		rc |= put(o, "title", new_double(ev->title));
	if (ev->authors >= 0)
		rc |= put(o, "authors", new_double(ev->authors));
	rc |= put_tri(o, "first_author", ev->first_author);
	rc |= put_tri(o, "journal", ev->journal);
	if (ev->year_diff >= 0)
		rc |= put(o, "year_diff", json_object_new_int(ev->year_diff));
	rc |= put_tri(o, "volume", ev->volume);
	rc |= put_tri(o, "issue", ev->issue);
	rc |= put_tri(o, "start_page", ev->pages);
	rc |= put_tri(o, "doi", ev->doi);
	rc |= put_tri(o, "pmid", ev->pmid);
	rc |= put(o, "score", new_double(ev->score));
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

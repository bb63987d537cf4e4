/* Unit tests: normalize.c - text folding and title rules, one check group per rule. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/normalize.h"

static char out_buf[4096];

/* Fold s and return the result (static buffer). */
static const char *fold(const char *s, unsigned flags)
{
	struct wn_buf b;
	struct wn_err err;

	wn_buf_init(&b, 0);
	if (wn_norm_fold(&b, s, strlen(s), flags, &err) < 0) {
		wn_buf_release(&b);
		return "(error)";
	}
	snprintf(out_buf, sizeof(out_buf), "%s", b.data);
	wn_buf_release(&b);
	return out_buf;
}

static struct wn_title_info info;

static const char *title(const char *s)
{
	struct wn_buf b;
	struct wn_err err;

	wn_buf_init(&b, 0);
	if (wn_norm_title(&b, s, strlen(s), &info, &err) < 0) {
		wn_buf_release(&b);
		return "(error)";
	}
	snprintf(out_buf, sizeof(out_buf), "%s", b.data);
	wn_buf_release(&b);
	return out_buf;
}

static void test_fold_case_and_marks(void)
{
	/* NFKD + marks stripped + case folded */
	CHECK_STR(fold("Müller", 0), "muller");
	CHECK_STR(fold("MÜLLER", 0), "muller");
	CHECK_STR(fold("Mu\xcc\x88ller", 0), "muller"); /* u + combining diaeresis */
	CHECK_STR(fold("Ångström Éva Çelik", 0), "angstrom eva celik");
	CHECK_STR(fold("ﬁbrosis", 0), "fibrosis");          /* ligature (compatibility) */
	CHECK_STR(fold("H₂O and x²", 0), "h2o and x2");      /* sub/superscripts */
	/* letters NFKD does not decompose */
	CHECK_STR(fold("Søren Ærø Œuvre Łódź Đorđe Þór straße", 0),
		  "soren aero oeuvre lodz dorde thor strasse");
	CHECK_STR(fold("ı", 0), "i");
}

static void test_fold_greek(void)
{
	CHECK_STR(fold("TNF-α and IFN-γ", 0), "tnf alpha and ifn gamma");
	CHECK_STR(fold("TNF-alpha", 0), "tnf alpha");
	CHECK_STR(fold("β2-microglobulin", WN_FOLD_NOSPACE), "beta2microglobulin");
	CHECK_STR(fold("μg and µg", 0), "mug and mug"); /* micro sign = mu */
	CHECK_STR(fold("Ω", 0), "omega");
}

static void test_fold_dashes_spaces_punct(void)
{
	CHECK_STR(fold("hemolytic–uremic—syndrome‐x", 0), "hemolytic uremic syndrome x");
	CHECK_STR(fold("a\xc2\xa0" "b\xe2\x80\x89" "c  d\t\ne", 0), "a b c d e"); /* nbsp, thin space */
	CHECK_STR(fold("  (Hello), [world]!  ", 0), "hello world");
	CHECK_STR(fold("Crohn's and Crohn’s", 0), "crohns and crohns"); /* apostrophes vanish */
	CHECK_STR(fold("hemolytic-uremic", WN_FOLD_NOSPACE), "hemolyticuremic");
	CHECK_STR(fold("Drug® and Product™", 0), "drug and product");
	CHECK_STR(fold("", 0), "");
	CHECK_STR(fold("?!.", 0), "");
	{
		/* every ASCII byte between two letters (the fast path reads a table) */
		int c;
		for (c = 1; c < 128; c++) {
			char in[4] = { 'A', (char)c, 'b', 0 }, want[4];
			if (c == '&' || c == '<')
				continue; /* an entity or a tag: test_fold_html */
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				snprintf(want, sizeof(want), "a%cb", c);
			else if (c >= 'A' && c <= 'Z')
				snprintf(want, sizeof(want), "a%cb", c + 32);
			else if (c == '\'' || c == '`')
				snprintf(want, sizeof(want), "ab");
			else
				snprintf(want, sizeof(want), "a b");
			CHECK_STR(fold(in, 0), want);
		}
	}
}

static void test_fold_html(void)
{
	CHECK_STR(fold("<i>Escherichia coli</i> in H<sub>2</sub>O", 0), "escherichia coli in h2o");
	CHECK_STR(fold("CD4<sup>+</sup> T cells", 0), "cd4 t cells");
	CHECK_STR(fold("<mml:math><mml:mi>α</mml:mi></mml:math>-helix", 0), "alpha helix");
	CHECK_STR(fold("first<br/>second", 0), "first second");
	CHECK_STR(fold("p < 0.05 and a<b", 0), "p 0 05 and a b"); /* not tags */
	CHECK_STR(fold("Fish &amp; Chips &lt;3", 0), "fish chips 3");
	CHECK_STR(fold("Caf&eacute; &#233;t&#xE9; na&iuml;ve", 0), "cafe ete naive");
	CHECK_STR(fold("&alpha;-synuclein &szlig;", 0), "alpha synuclein ss");
	CHECK_STR(fold("&unknownentity; &#0; &#xZZ;", 0), "unknownentity 0 xzz");
}

static void test_entity_decoder(void)
{
	size_t adv;
	int32_t second;

	CHECK_INT(wn_norm_entity("&amp;rest", 9, &adv, &second), '&');
	CHECK_INT(adv, 5);
	CHECK_INT(wn_norm_entity("&#x3B1;", 7, &adv, &second), 0x3B1);
	CHECK_INT(wn_norm_entity("&#945;", 6, &adv, &second), 945);
	CHECK_INT(wn_norm_entity("&aelig;", 7, &adv, &second), 'a');
	CHECK_INT(second, 'e');
	CHECK_INT(wn_norm_entity("&Ouml;", 6, &adv, &second), 'o');
	CHECK_INT(wn_norm_entity("&amp", 4, &adv, &second), -1);      /* no semicolon */
	CHECK_INT(wn_norm_entity("&#xD800;", 8, &adv, &second), -1);  /* surrogate */
	CHECK_INT(wn_norm_entity("&#99999999;", 11, &adv, &second), -1);
}

static void test_first_letter(void)
{
	CHECK_INT(wn_norm_first_letter("Émile", 6), 'e');
	CHECK_INT(wn_norm_first_letter("Øystein", 8), 'o');
	CHECK_INT(wn_norm_first_letter("-Jean", 5), 'j');
	CHECK_INT(wn_norm_first_letter("", 0), 0);
	CHECK(wn_norm_first_letter("Юрий", 8) != 0); /* Cyrillic: a byte, not 0 */
}

static void test_title_basic(void)
{
	CHECK_STR(title("The Role of Complement in HUS."), "role of complement in hus");
	CHECK(info.flags == 0);
	CHECK_INT(info.nwords, 5);
	CHECK_STR(title("An  update"), "update");
	CHECK_STR(title("A"), "a"); /* a one-word title keeps its word */
	CHECK(info.flags & WN_TITLE_GENERIC);
	CHECK_STR(title(""), "");
}

static void test_title_translated(void)
{
	/* MEDLINE's translated titles and language notes */
	CHECK_STR(title("[The role of complement in physiology and pathology]."),
		  "role of complement in physiology and pathology");
	CHECK(info.flags & WN_TITLE_TRANSLATED);
	CHECK_STR(title("The role of complement in physiology and pathology. [Polish]"),
		  "role of complement in physiology and pathology");
	CHECK_STR(title("[Indications of living-donor kidney transplantation]. [Spanish]"),
		  "indications of living donor kidney transplantation");
	CHECK_STR(title("Title here [Article in German]"), "title here");
	CHECK_STR(title("Title here (author's transl)"), "title here");
	CHECK_STR(title("Title here (Chinese)"), "title here");
	/* a bracket that is part of the title stays */
	CHECK_STR(title("Uptake of [18F]FDG in tumours"), "uptake of 18f fdg in tumours");
	CHECK_STR(title("Effects of drug X (a randomised trial)"), "effects of drug x a randomised trial");
}

static void test_title_notes(void)
{
	CHECK_STR(title("Update on HPV. [Review] [33 refs]"), "update on hpv");
	CHECK_STR(title("Atypical HUS associated with streptococcus (multiple letters) [1]"),
		  "atypical hus associated with streptococcus");
	/* MEDLINE's erratum note on the article itself is no erratum */
	CHECK_STR(title("Dynamics of HPV16 DNA load.[Erratum appears in J Clin Virol. 2006 Jun;36(2):160]"),
		  "dynamics of hpv16 dna load");
	CHECK(!(info.flags & WN_TITLE_ERRATUM));
	CHECK_STR(title("Some article [Erratum]"), "some article");
	CHECK(info.flags & WN_TITLE_ERRATUM);
	/* the citation of the corrected article marks a correction: Web of Science ... */
	CHECK_STR(title("Eculizumab for Atypical Hemolytic-Uremic Syndrome (vol 360, pg 542, 2009)"),
		  "eculizumab for atypical hemolytic uremic syndrome");
	CHECK(info.flags & WN_TITLE_ERRATUM);
	/* ... and Embase */
	CHECK_STR(title("Eculizumab for atypical hemolytic-uremic syndrome (New England Journal of "
			"Medicine (2009) 360 (542-544))"),
		  "eculizumab for atypical hemolytic uremic syndrome");
	CHECK(info.flags & WN_TITLE_ERRATUM);
	CHECK_STR(title("Erratum: Severe deficiency of ADAMTS 13 activity (The Journal of Pediatrics (M"),
		  "severe deficiency of adamts 13 activity");
	CHECK(info.flags & WN_TITLE_ERRATUM);
	/* brackets that only look like them are title text */
	CHECK_STR(title("Outcomes in the volunteer cohort (vol 2)"), "outcomes in the volunteer cohort vol 2");
	CHECK(!(info.flags & WN_TITLE_ERRATUM));
	CHECK_STR(title("Screening uptake (2009) in rural areas (12-14 years)"),
		  "screening uptake 2009 in rural areas 12 14 years");
	CHECK(!(info.flags & WN_TITLE_ERRATUM));
	/* an unclosed bracket is cut only from an erratum's title */
	CHECK_STR(title("Severe deficiency of ADAMTS 13 activity (The Journal of Pediatrics (M"),
		  "severe deficiency of adamts 13 activity the journal of pediatrics m");
	/* a section label as subtitle is no part of the title */
	CHECK_STR(title("Liver transplantation in a child with aHUS: Brief communication"),
		  "liver transplantation in a child with ahus");
	CHECK_STR(title("Liver transplantation in a child with aHUS: an original article"),
		  "liver transplantation in a child with ahus an original article");
	CHECK_STR(title("Brief communication: liver transplantation"), "brief communication liver transplantation");
}

static void test_title_markers(void)
{
	CHECK_STR(title("Erratum: Severe deficiency of ADAMTS 13"), "severe deficiency of adamts 13");
	CHECK(info.flags & WN_TITLE_ERRATUM);
	CHECK_STR(title("Correction to: Gain-of-function mutations"), "gain of function mutations");
	CHECK(info.flags & WN_TITLE_ERRATUM);
	CHECK_STR(title("Corrigendum to \"Trial of X\""), "trial of x");
	CHECK(info.flags & WN_TITLE_ERRATUM);
	/* "Correction of scoliosis" is an article, not a correction notice */
	CHECK_STR(title("Correction of scoliosis in children"), "correction of scoliosis in children");
	CHECK(!(info.flags & WN_TITLE_ERRATUM));
	CHECK_STR(title("Retraction note to: Tumour growth"), "tumour growth");
	CHECK(info.flags & WN_TITLE_NOTICE);
	CHECK_STR(title("Notice of Retraction: Tumour growth"), "tumour growth");
	CHECK(info.flags & WN_TITLE_NOTICE);
	CHECK_STR(title("Expression of concern: Tumour growth"), "tumour growth");
	CHECK(info.flags & WN_TITLE_NOTICE);
	/* the retracted article itself: informational only */
	CHECK_STR(title("RETRACTED: Tumour growth"), "tumour growth");
	CHECK(info.flags == WN_TITLE_RETRACTED);
	CHECK_STR(title("Tumour growth (Retracted article)"), "tumour growth");
	CHECK(info.flags == WN_TITLE_RETRACTED);
	CHECK_STR(title("WITHDRAWN: Antibiotics for acute otitis media"), "antibiotics for acute otitis media");
	CHECK(info.flags == WN_TITLE_WITHDRAWN);
	CHECK_STR(title("Reply to: Atypical HUS"), "atypical hus");
	CHECK(info.flags & WN_TITLE_REPLY);
	CHECK_STR(title("Authors’ reply"), "");
	CHECK(info.flags & WN_TITLE_REPLY);
	CHECK_STR(title("Atypical HUS associated with streptococcus - Reply"), "atypical hus associated with streptococcus reply");
	CHECK(info.flags & WN_TITLE_REPLY);
	CHECK_STR(title("Response to treatment in HUS"), "response to treatment in hus");
	CHECK(!(info.flags & WN_TITLE_REPLY)); /* an article about response */
	CHECK_STR(title("Comment on: Eculizumab for aHUS"), "eculizumab for ahus");
	CHECK(info.flags & WN_TITLE_COMMENT);
	CHECK_STR(title("Re: Eculizumab for aHUS"), "eculizumab for ahus");
	CHECK(info.flags & WN_TITLE_COMMENT);
	CHECK_STR(title("Editorial: Screening in 2010"), "screening in 2010");
	CHECK(info.flags == 0);
	/* markup around a marker does not hide it */
	CHECK_STR(title("<i>Erratum:</i> analysis of HIV-1"), "analysis of hiv 1");
	CHECK(info.flags & WN_TITLE_ERRATUM);
}

static void test_title_numbers_and_words(void)
{
	CHECK_STR(title("Trial design: Part II"), "trial design part 2");
	CHECK(info.words & WN_TW_PART);
	CHECK_INT(info.nnums, 1);
	CHECK_INT(info.nums[0], 2);
	CHECK_INT(info.part, 2);
	CHECK_STR(title("Type II diabetes, phase three"), "type 2 diabetes phase 3");
	CHECK_INT(info.phase, 3);
	CHECK_INT(info.part, 0);
	title("Compound 6-[(R)-2-[3-(3,4-dihydroxybenzoyl)]-2-ureido] acid: part 1");
	CHECK_INT(info.part, 1);
	CHECK_STR(title("Am I my brother's keeper?"), "am i my brothers keeper"); /* no trigger */
	/* the title is rewritten in place: numerals that shrink and the one that grows
	 * ("x" -> "10"), at the start, in the middle, at the end, several in a row */
	CHECK_STR(title("Part X"), "part 10");
	CHECK_STR(title("Part X, Stage X and Grade X: trial"), "part 10 stage 10 and grade 10 trial");
	CHECK_INT(info.part, 10);
	CHECK_STR(title("The stage XVIII, phase ten and type x of part three"),
		  "stage 18 phase 10 and type 10 of part 3");
	CHECK_INT(info.phase, 10);
	CHECK_INT(info.part, 3);
	CHECK_STR(title("A Type IV phase two"), "type 4 phase 2");
	CHECK_STR(title("x part x"), "x part 10");
	CHECK_STR(title("HPV among 10 000 women and 10,000 men"), "hpv among 10000 women and 10000 men");
	CHECK_INT(info.nnums, 2);
	CHECK(info.words & WN_TW_FEMALE);
	CHECK(info.words & WN_TW_MALE);
	/* groups of three only, after a number of three digits or fewer; at either end */
	CHECK_STR(title("1 000 000 cells, 2019 300 mice, 12 34 rats and 5 6789 dogs"),
		  "1000000 cells 2019 300 mice 12 34 rats and 5 6789 dogs");
	CHECK_STR(title("Trial 2 in 10 000"), "trial 2 in 10000");
	CHECK_STR(title("Cohort of 100 adults"), "cohort of 100 adults");
	/* the main title is the text before the first ":" or "?", whichever comes first */
	title("Why screen? A trial: its results");
	CHECK_INT(info.main_len, 9);
	title("Screening: why? A trial");
	CHECK_INT(info.main_len, 9);
	title("No subtitle here");
	CHECK_INT(info.main_len, 0);
	title("Effects in vitro and in vivo in mice");
	CHECK(info.words & WN_TW_VITRO);
	CHECK(info.words & WN_TW_VIVO);
	CHECK(info.words & WN_TW_MOUSE);
	title("Screening among HIV infected womens");
	CHECK(info.words & WN_TW_FEMALE); /* a stray plural */
	title("Long-term follow-up of the trial: a post hoc analysis");
	CHECK(info.words & WN_TW_FOLLOWUP);
	CHECK(info.words & WN_TW_SECONDARY);
	title("Study protocol for a randomised trial");
	CHECK(info.words & WN_TW_PROTOCOL);
	title("Numbers 1 2 3 4 5 6 7 8 9 10");
	CHECK_INT(info.nnums, WN_TITLE_MAX_NUMS);
}

/* The word groups one word at a time: every word of the table is found, with its own
 * bit, through the quick rejection by (first letter, length) in front of the search -
 * a word added to the table and not to that rejection fails here - and the table is
 * sorted, as the search needs. */
static void test_word_groups(void)
{
	static const char *const none[] = {
		"", "a", "me", "the", "and", "patients", "protocols", "rate", "mean", "wo",
		"womb", "adolescentss", "Women", "MEN", "1990s", "\xc3\xa9tude", "men ", "zzz", NULL
	};
	const char *w, *prev = NULL;
	unsigned bit;
	size_t i;

	for (i = 0; (w = wn_title_group_word(i, &bit)); i++) {
		CHECK(bit != 0);
		if (wn_title_word_group(w, strlen(w)) != bit)
			fprintf(stderr, "the table's word \"%s\":\n", w);
		CHECK_INT(wn_title_word_group(w, strlen(w)), bit);
		if (prev)
			CHECK(strcmp(prev, w) < 0);
		prev = w;
	}
	CHECK(i > 0);
	CHECK(wn_title_group_word(i, NULL) == NULL);
	for (i = 0; none[i]; i++)
		CHECK_INT(wn_title_word_group(none[i], strlen(none[i])), 0);
	CHECK_INT(wn_title_word_group("women", 5), WN_TW_FEMALE);
	CHECK_INT(wn_title_word_group("women", 4), 0);  /* "wome" */
	CHECK_INT(wn_title_word_group("rats", 3), WN_TW_RAT); /* "rat" */
	title("Outcomes of patients treated with the new procedures in a rate trial");
	CHECK_INT(info.words, 0);
}

/* One buffer for many titles (as the engine reuses its scratch buffer): each result is the
 * same as from a fresh buffer - the main title is normalised into the same memory
 * first, and whatever the buffer held before is replaced. */
static void test_title_reused_buffer(void)
{
	static const char *const titles[] = {
		"Long distance animal transport: the president and phosphorylation",
		"No subtitle here",
		"Why? Because",
		"A much longer main title than anything before it in this list, with Part II: a "
		"subtitle",
		"x: y",
		"Erratum: Effects of aspirin: a trial",
		"[Outcomes in women: a study]. [German]",
		"Trailing colon:",
		"Children and adults? Follow-up of the trial",
		NULL
	};
	struct wn_buf b;
	struct wn_err err;
	struct wn_title_info ri;
	size_t i;

	wn_buf_init(&b, 0);
	CHECK(wn_buf_adds(&b, "left over from before", &err) == 0);
	for (i = 0; titles[i]; i++) {
		CHECK(wn_norm_title(&b, titles[i], strlen(titles[i]), &ri, &err) == 0);
		CHECK_STR(b.data, title(titles[i]));
		CHECK_INT(b.len, strlen(out_buf));
		CHECK_INT(ri.main_len, info.main_len);
		CHECK_INT(ri.flags, info.flags);
		CHECK_INT(ri.words, info.words);
		CHECK_INT(ri.nnums, info.nnums);
		CHECK_INT(ri.nwords, info.nwords);
		CHECK_INT(ri.part, info.part);
		CHECK_INT(ri.phase, info.phase);
		CHECK(ri.numsig == info.numsig);
	}
	wn_buf_release(&b);
	/* a cap that the main title already goes past: an error, and an empty buffer */
	wn_buf_init(&b, 8);
	{
		const char *t = "Haemolytic uraemic syndrome: a review";
		CHECK(wn_norm_title(&b, t, strlen(t), &ri, &err) < 0);
	}
	CHECK_INT(b.len, 0);
	wn_buf_release(&b);
}

static void test_title_main(void)
{
	title("Long distance animal transport: the president and phosphorylation");
	CHECK_INT(info.main_len, strlen("longdistanceanimaltransport"));
	title("The Trial: Part II");
	CHECK_INT(info.main_len, strlen("trial"));
	title("No subtitle here");
	CHECK_INT(info.main_len, 0);
	title("Why? Because");
	CHECK_INT(info.main_len, 3);
	/* the main title normalised as a title of its own: a quote before the colon is no
	 * word, a leading marker is dropped, the first ":" counts even inside a bracket */
	title("miR-221/222 targeting in the World\": A report");
	CHECK_INT(info.main_len, strlen("mir221222targetingintheworld"));
	title("Erratum: Effects of aspirin: a trial");
	CHECK_INT(info.main_len, 0);
	title("Aspirin in stroke.[Erratum appears in Stroke. 2006 Jan;15(1):187]");
	CHECK_INT(info.main_len, strlen("aspirininstrokeerratumappearsinstroke2006jan151"));
	title("Trailing colon:");
	CHECK_INT(info.main_len, 0);
}

static void test_title_generic(void)
{
	title("Editorial");
	CHECK(info.flags & WN_TITLE_GENERIC);
	title("Letter to the Editor.");
	CHECK(info.flags & WN_TITLE_GENERIC);
	title("Introduction");
	CHECK(info.flags & WN_TITLE_GENERIC);
	title("Hemolytic anemia in adults");
	CHECK(!(info.flags & WN_TITLE_GENERIC));
}

static void test_title_long(void)
{
	/* more words than the word table holds: kept, not lost */
	char big[8000];
	size_t i, n = 0;

	for (i = 0; i < 900 && n + 10 < sizeof(big); i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "w%zu ", i);
	title(big);
	CHECK(strlen(out_buf) > 100);
	CHECK(strstr(out_buf, "w899") != NULL || strlen(out_buf) == sizeof(out_buf) - 1);
}

int main(void)
{
	RUN(test_fold_case_and_marks);
	RUN(test_fold_greek);
	RUN(test_fold_dashes_spaces_punct);
	RUN(test_fold_html);
	RUN(test_entity_decoder);
	RUN(test_first_letter);
	RUN(test_title_basic);
	RUN(test_title_translated);
	RUN(test_title_notes);
	RUN(test_title_markers);
	RUN(test_title_numbers_and_words);
	RUN(test_word_groups);
	RUN(test_title_main);
	RUN(test_title_reused_buffer);
	RUN(test_title_generic);
	RUN(test_title_long);
	return wn_test_report();
}

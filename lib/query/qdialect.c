/*
 * qdialect.c - field codes of each dialect, MeSH qualifier abbreviations, language names
 * and dates (see qint.h).
 *
 * Field meanings follow research/queries.md: PubMed [tiab] includes author keywords,
 * [tw] is wider than Ovid .tw. (which is title + abstract), Ovid .mp. is title,
 * abstract, keywords and heading words, Scopus TITLE-ABS-KEY is title, abstract and
 * keywords, WoS TS= (topic) likewise. A code marked print = 0 is read but never
 * written (an alias, or a code that would be misleading in output).
 */
#include <string.h>
#include "winnow/ascii.h"
#include "qint.h"

#define D_NONE (-1)
#define TW (WN_QF_TI | WN_QF_AB | WN_QF_KW | WN_QF_MESHW | WN_QF_PT)
#define MP (WN_QF_TI | WN_QF_AB | WN_QF_KW | WN_QF_MESHW)
#define TIABKW (WN_QF_TI | WN_QF_AB | WN_QF_KW)

static const struct wn_qfcode pubmed_codes[] = {
	{ "tiab", TIABKW, 0, D_NONE, 1 },
	{ "title/abstract", TIABKW, 0, D_NONE, 0 },
	{ "ti", WN_QF_TI, 0, D_NONE, 1 },
	{ "title", WN_QF_TI, 0, D_NONE, 0 },
	{ "tw", TW, 0, D_NONE, 1 },
	{ "text word", TW, 0, D_NONE, 0 },
	{ "all", WN_QF_ALL, 0, D_NONE, 1 },
	{ "all fields", WN_QF_ALL, 0, D_NONE, 0 },
	{ "mh", WN_QF_MESH, WN_QT_EXPLODE, D_NONE, 1 },
	{ "mesh", WN_QF_MESH, WN_QT_EXPLODE, D_NONE, 0 },
	{ "mesh terms", WN_QF_MESH, WN_QT_EXPLODE, D_NONE, 0 },
	{ "majr", WN_QF_MESH, WN_QT_EXPLODE | WN_QT_MAJOR, D_NONE, 1 },
	{ "mesh major topic", WN_QF_MESH, WN_QT_EXPLODE | WN_QT_MAJOR, D_NONE, 0 },
	{ "ot", WN_QF_KW, 0, D_NONE, 1 },
	{ "other term", WN_QF_KW, 0, D_NONE, 0 },
	{ "pt", WN_QF_PT, 0, D_NONE, 1 },
	{ "publication type", WN_QF_PT, 0, D_NONE, 0 },
	{ "la", WN_QF_LA, 0, D_NONE, 1 },
	{ "language", WN_QF_LA, 0, D_NONE, 0 },
	{ "au", WN_QF_AU, 0, D_NONE, 1 },
	{ "author", WN_QF_AU, 0, D_NONE, 0 },
	{ "1au", WN_QF_AU, 0, D_NONE, 0 },
	{ "lastau", WN_QF_AU, 0, D_NONE, 0 },
	{ "fau", WN_QF_AU, 0, D_NONE, 0 },
	{ "ta", WN_QF_JOURNAL, 0, D_NONE, 1 },
	{ "journal", WN_QF_JOURNAL, 0, D_NONE, 0 },
	{ "jour", WN_QF_JOURNAL, 0, D_NONE, 0 },
	{ "aid", WN_QF_DOI, 0, D_NONE, 1 },
	{ "lid", WN_QF_DOI, 0, D_NONE, 0 },
	{ "doi", WN_QF_DOI, 0, D_NONE, 0 },
	{ "pmid", WN_QF_PMID, 0, D_NONE, 1 },
	{ "uid", WN_QF_PMID, 0, D_NONE, 0 },
	{ "ad", WN_QF_AD, 0, D_NONE, 1 },
	{ "affiliation", WN_QF_AD, 0, D_NONE, 0 },
	{ "dp", 0, 0, WN_QDATE_PUB, 1 },
	{ "pdat", 0, 0, WN_QDATE_PUB, 0 },
	{ "date - publication", 0, 0, WN_QDATE_PUB, 0 },
	{ "publication date", 0, 0, WN_QDATE_PUB, 0 },
	{ "edat", 0, 0, WN_QDATE_ENTRY, 1 },
	{ "date - entrez", 0, 0, WN_QDATE_ENTRY, 0 },
	{ "crdt", 0, 0, WN_QDATE_CREATE, 1 },
	{ "date - create", 0, 0, WN_QDATE_CREATE, 0 },
	{ "nm", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "sb", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "sh", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "si", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "gr", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "ps", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "cn", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "ir", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "pl", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "filter", WN_QF_OTHER, 0, D_NONE, 0 },
	{ NULL, 0, 0, 0, 0 }
};

/* generic: PubMed-style tags, plus [ab] and [kw], which generic strings use */
static const struct wn_qfcode generic_codes[] = {
	{ "tiab", TIABKW, 0, D_NONE, 1 },
	{ "ti", WN_QF_TI, 0, D_NONE, 1 },
	{ "ab", WN_QF_AB, 0, D_NONE, 1 },
	{ "kw", WN_QF_KW, 0, D_NONE, 1 },
	{ "tw", TW, 0, D_NONE, 1 },
	{ "all", WN_QF_ALL, 0, D_NONE, 1 },
	{ "mh", WN_QF_MESH, WN_QT_EXPLODE, D_NONE, 1 },
	{ "majr", WN_QF_MESH, WN_QT_EXPLODE | WN_QT_MAJOR, D_NONE, 1 },
	{ "mhw", WN_QF_MESHW, 0, D_NONE, 1 },
	{ "pt", WN_QF_PT, 0, D_NONE, 1 },
	{ "la", WN_QF_LA, 0, D_NONE, 1 },
	{ "au", WN_QF_AU, 0, D_NONE, 1 },
	{ "ta", WN_QF_JOURNAL, 0, D_NONE, 1 },
	{ "journal", WN_QF_JOURNAL, 0, D_NONE, 0 },
	{ "doi", WN_QF_DOI, 0, D_NONE, 1 },
	{ "pmid", WN_QF_PMID, 0, D_NONE, 1 },
	{ "ad", WN_QF_AD, 0, D_NONE, 1 },
	{ "dp", 0, 0, WN_QDATE_PUB, 1 },
	{ "edat", 0, 0, WN_QDATE_ENTRY, 1 },
	{ "crdt", 0, 0, WN_QDATE_CREATE, 1 },
	{ NULL, 0, 0, 0, 0 }
};

static const struct wn_qfcode ovid_codes[] = {
	{ "ti", WN_QF_TI, 0, D_NONE, 1 },
	{ "ab", WN_QF_AB, 0, D_NONE, 1 },
	{ "tw", WN_QF_TI | WN_QF_AB, 0, D_NONE, 1 },
	{ "kf", WN_QF_KW, 0, D_NONE, 1 },
	{ "kw", WN_QF_KW, 0, D_NONE, 0 },
	{ "ot", WN_QF_KW, 0, D_NONE, 0 },
	{ "mp", MP, 0, D_NONE, 1 },
	{ "hw", WN_QF_MESHW, 0, D_NONE, 1 },
	{ "sh", WN_QF_MESH, 0, D_NONE, 1 },
	{ "pt", WN_QF_PT, 0, D_NONE, 1 },
	{ "lg", WN_QF_LA, 0, D_NONE, 1 },
	{ "au", WN_QF_AU, 0, D_NONE, 1 },
	{ "jn", WN_QF_JOURNAL, 0, D_NONE, 1 },
	{ "jx", WN_QF_JOURNAL, 0, D_NONE, 0 },
	{ "jw", WN_QF_JOURNAL, 0, D_NONE, 0 },
	{ "so", WN_QF_JOURNAL, 0, D_NONE, 0 },
	{ "do", WN_QF_DOI, 0, D_NONE, 1 },
	{ "ui", WN_QF_PMID, 0, D_NONE, 1 },
	{ "an", WN_QF_PMID, 0, D_NONE, 0 },
	{ "in", WN_QF_AD, 0, D_NONE, 1 },
	{ "af", WN_QF_ALL, 0, D_NONE, 1 },
	{ "yr", 0, 0, WN_QDATE_PUB, 1 },
	{ "dp", 0, 0, WN_QDATE_PUB, 0 },
	{ "ed", 0, 0, WN_QDATE_ENTRY, 1 },
	{ "dc", 0, 0, WN_QDATE_CREATE, 1 },
	{ "fs", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "nm", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "rn", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "px", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "rs", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "sa", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "ps", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "id", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "tn", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "dq", WN_QF_OTHER, 0, D_NONE, 0 },
	{ NULL, 0, 0, 0, 0 }
};

/* Scopus: function-style prefixes, TITLE-ABS-KEY(...) */
static const struct wn_qfcode scopus_codes[] = {
	{ "TITLE-ABS-KEY", TIABKW, 0, D_NONE, 1 },
	{ "TITLE-ABS", WN_QF_TI | WN_QF_AB, 0, D_NONE, 1 },
	{ "TITLE", WN_QF_TI, 0, D_NONE, 1 },
	{ "ABS", WN_QF_AB, 0, D_NONE, 1 },
	{ "KEY", WN_QF_KW | WN_QF_MESHW, 0, D_NONE, 1 },
	{ "AUTHKEY", WN_QF_KW, 0, D_NONE, 1 },
	{ "INDEXTERMS", WN_QF_MESHW, 0, D_NONE, 1 },
	{ "ALL", WN_QF_ALL, 0, D_NONE, 1 },
	{ "AUTH", WN_QF_AU, 0, D_NONE, 1 },
	{ "AUTHOR-NAME", WN_QF_AU, 0, D_NONE, 0 },
	{ "AUTHLASTNAME", WN_QF_AU, 0, D_NONE, 0 },
	{ "SRCTITLE", WN_QF_JOURNAL, 0, D_NONE, 1 },
	{ "EXACTSRCTITLE", WN_QF_JOURNAL, 0, D_NONE, 0 },
	{ "LANGUAGE", WN_QF_LA, 0, D_NONE, 1 },
	{ "DOCTYPE", WN_QF_PT, 0, D_NONE, 1 },
	{ "DOI", WN_QF_DOI, 0, D_NONE, 1 },
	{ "PMID", WN_QF_PMID, 0, D_NONE, 1 },
	{ "AFFIL", WN_QF_AD, 0, D_NONE, 1 },
	{ "SRCTYPE", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "SUBJAREA", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "FUND-SPONSOR", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "CHEM", WN_QF_OTHER, 0, D_NONE, 0 },
	{ NULL, 0, 0, 0, 0 }
};

/* Web of Science: TAG= prefixes */
static const struct wn_qfcode wos_codes[] = {
	{ "TS", TIABKW, 0, D_NONE, 1 },
	{ "TOPIC", TIABKW, 0, D_NONE, 0 },
	{ "TI", WN_QF_TI, 0, D_NONE, 1 },
	{ "AB", WN_QF_AB, 0, D_NONE, 1 },
	{ "AK", WN_QF_KW, 0, D_NONE, 1 },
	{ "KP", WN_QF_KW, 0, D_NONE, 0 },
	{ "AU", WN_QF_AU, 0, D_NONE, 1 },
	{ "SO", WN_QF_JOURNAL, 0, D_NONE, 1 },
	{ "LA", WN_QF_LA, 0, D_NONE, 1 },
	{ "DT", WN_QF_PT, 0, D_NONE, 1 },
	{ "DO", WN_QF_DOI, 0, D_NONE, 1 },
	{ "PMID", WN_QF_PMID, 0, D_NONE, 1 },
	{ "AD", WN_QF_AD, 0, D_NONE, 1 },
	{ "OG", WN_QF_AD, 0, D_NONE, 0 },
	{ "ALL", WN_QF_ALL, 0, D_NONE, 1 },
	{ "PY", 0, 0, WN_QDATE_PUB, 1 },
	{ "WC", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "SU", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "FO", WN_QF_OTHER, 0, D_NONE, 0 },
	{ NULL, 0, 0, 0, 0 }
};

/* EBSCOhost: two-letter prefixes, TI x */
static const struct wn_qfcode ebsco_codes[] = {
	{ "TI", WN_QF_TI, 0, D_NONE, 1 },
	{ "AB", WN_QF_AB, 0, D_NONE, 1 },
	{ "KW", WN_QF_KW, 0, D_NONE, 1 },
	{ "SU", WN_QF_MESHW | WN_QF_KW, 0, D_NONE, 1 },
	{ "MH", WN_QF_MESH, 0, D_NONE, 1 },
	{ "MM", WN_QF_MESH, WN_QT_MAJOR, D_NONE, 1 },
	{ "TX", WN_QF_ALL, 0, D_NONE, 1 },
	{ "AU", WN_QF_AU, 0, D_NONE, 1 },
	{ "SO", WN_QF_JOURNAL, 0, D_NONE, 1 },
	{ "LA", WN_QF_LA, 0, D_NONE, 1 },
	{ "PT", WN_QF_PT, 0, D_NONE, 1 },
	{ "DI", WN_QF_DOI, 0, D_NONE, 1 },
	{ "PM", WN_QF_PMID, 0, D_NONE, 1 },
	{ "AF", WN_QF_AD, 0, D_NONE, 1 },
	{ "DT", 0, 0, WN_QDATE_PUB, 1 },
	{ "AN", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "IS", WN_QF_OTHER, 0, D_NONE, 0 },
	{ "ZT", WN_QF_OTHER, 0, D_NONE, 0 },
	{ NULL, 0, 0, 0, 0 }
};

const struct wn_qfcode *wn_qfcodes(enum wn_qdialect d)
{
	switch (d) {
	case WN_QD_PUBMED: return pubmed_codes;
	case WN_QD_OVID: return ovid_codes;
	case WN_QD_SCOPUS: return scopus_codes;
	case WN_QD_WOS: return wos_codes;
	case WN_QD_EBSCO: return ebsco_codes;
	default: return generic_codes;
	}
}

static int ieqn(const char *a, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!lit[i] || wn_tolower((unsigned char)a[i]) != wn_tolower((unsigned char)lit[i]))
			return 0;
	return lit[n] == '\0';
}

const struct wn_qfcode *wn_qfcode_find(enum wn_qdialect d, const char *name, size_t n)
{
	const struct wn_qfcode *c;

	for (c = wn_qfcodes(d); c->name; c++)
		if (ieqn(name, n, c->name))
			return c;
	return NULL;
}

/* MeSH qualifiers (subheadings) and their two-letter abbreviations (NLM). */
static const char *const quals[][2] = {
	{ "ab", "abnormalities" }, { "ad", "administration & dosage" },
	{ "ae", "adverse effects" }, { "ag", "agonists" }, { "ah", "anatomy & histology" },
	{ "ai", "antagonists & inhibitors" }, { "an", "analysis" }, { "bi", "biosynthesis" },
	{ "bl", "blood" }, { "bs", "blood supply" }, { "cf", "cerebrospinal fluid" },
	{ "ch", "chemistry" }, { "ci", "chemically induced" }, { "cl", "classification" },
	{ "cn", "congenital" }, { "co", "complications" }, { "cs", "chemical synthesis" },
	{ "ct", "contraindications" }, { "cy", "cytology" }, { "df", "deficiency" },
	{ "dg", "diagnostic imaging" }, { "dh", "diet therapy" }, { "di", "diagnosis" },
	{ "dt", "drug therapy" }, { "du", "diagnostic use" }, { "ec", "economics" },
	{ "ed", "education" }, { "eh", "ethnology" }, { "em", "embryology" },
	{ "en", "enzymology" }, { "ep", "epidemiology" }, { "es", "ethics" },
	{ "et", "etiology" }, { "ge", "genetics" }, { "gd", "growth & development" },
	{ "hi", "history" }, { "im", "immunology" }, { "in", "injuries" },
	{ "ip", "isolation & purification" }, { "ir", "innervation" },
	{ "is", "instrumentation" }, { "lj", "legislation & jurisprudence" },
	{ "ma", "manpower" }, { "me", "metabolism" }, { "mi", "microbiology" },
	{ "mo", "mortality" }, { "mt", "methods" }, { "nu", "nursing" },
	{ "og", "organization & administration" }, { "pa", "pathology" },
	{ "pc", "prevention & control" }, { "pd", "pharmacology" },
	{ "pk", "pharmacokinetics" }, { "po", "poisoning" }, { "pp", "physiopathology" },
	{ "ph", "physiology" }, { "ps", "parasitology" }, { "px", "psychology" },
	{ "py", "pathogenicity" }, { "rh", "rehabilitation" }, { "rt", "radiotherapy" },
	{ "re", "radiation effects" }, { "rr", "radiation effects" }, { "se", "secretion" },
	{ "sc", "secondary" }, { "sd", "supply & distribution" },
	{ "sn", "statistics & numerical data" }, { "st", "standards" }, { "su", "surgery" },
	{ "td", "trends" }, { "th", "therapy" }, { "to", "toxicity" },
	{ "tr", "transplantation" }, { "tu", "therapeutic use" }, { "ul", "ultrastructure" },
	{ "ur", "urine" }, { "ut", "utilization" }, { "ve", "veterinary" },
	{ "vi", "virology" }, { "ri", "radionuclide imaging" }, { "ra", "radiography" },
	{ "us", "ultrasonography" },
};

const char *wn_mesh_qualifier_name(const char *abbr, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(quals) / sizeof(quals[0]); i++)
		if (ieqn(abbr, n, quals[i][0]))
			return quals[i][1];
	return NULL;
}

const char *wn_mesh_qualifier_abbr(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(quals) / sizeof(quals[0]); i++)
		if (ieqn(name, strlen(name), quals[i][1]))
			return quals[i][0];
	return NULL;
}

/* ISO 639-2/B codes with the English names and ISO 639-1 codes that exports use. */
static const char *const langs[][3] = {
	{ "eng", "english", "en" }, { "fre", "french", "fr" }, { "ger", "german", "de" },
	{ "spa", "spanish", "es" }, { "ita", "italian", "it" }, { "por", "portuguese", "pt" },
	{ "dut", "dutch", "nl" }, { "swe", "swedish", "sv" }, { "nor", "norwegian", "no" },
	{ "dan", "danish", "da" }, { "fin", "finnish", "fi" }, { "pol", "polish", "pl" },
	{ "rus", "russian", "ru" }, { "chi", "chinese", "zh" }, { "jpn", "japanese", "ja" },
	{ "kor", "korean", "ko" }, { "ara", "arabic", "ar" }, { "tur", "turkish", "tr" },
	{ "gre", "greek", "el" }, { "heb", "hebrew", "he" }, { "hun", "hungarian", "hu" },
	{ "cze", "czech", "cs" }, { "per", "persian", "fa" }, { "hin", "hindi", "hi" },
	{ "ice", "icelandic", "is" }, { "ukr", "ukrainian", "uk" }, { "rum", "romanian", "ro" },
	{ "hrv", "croatian", "hr" }, { "srp", "serbian", "sr" }, { "slo", "slovak", "sk" },
	{ "slv", "slovenian", "sl" }, { "bul", "bulgarian", "bg" }, { "lit", "lithuanian", "lt" },
	{ "lav", "latvian", "lv" }, { "est", "estonian", "et" }, { "afr", "afrikaans", "af" },
	{ "ind", "indonesian", "id" }, { "may", "malay", "ms" }, { "tha", "thai", "th" },
	{ "vie", "vietnamese", "vi" }, { "wel", "welsh", "cy" }, { "gle", "irish", "ga" },
	{ "cat", "catalan", "ca" }, { "lat", "latin", "la" },
};
/* 639-2/T spellings some exports use */
static const char *const lang_t[][2] = {
	{ "fra", "fre" }, { "deu", "ger" }, { "nld", "dut" }, { "zho", "chi" },
	{ "ces", "cze" }, { "ell", "gre" }, { "fas", "per" }, { "isl", "ice" },
	{ "ron", "rum" }, { "slk", "slo" }, { "msa", "may" }, { "cym", "wel" },
};

const char *wn_lang_code(const char *s, size_t n)
{
	size_t i;

	while (n && wn_isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && wn_isspace((unsigned char)s[n - 1]))
		n--;
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (ieqn(s, n, langs[i][0]) || ieqn(s, n, langs[i][1]) || ieqn(s, n, langs[i][2]))
			return langs[i][0];
	for (i = 0; i < sizeof(lang_t) / sizeof(lang_t[0]); i++)
		if (ieqn(s, n, lang_t[i][0]))
			return lang_t[i][1];
	/* "English Language" (Ovid limit), "english language" */
	if (n > 9 && ieqn(s + n - 9, 9, " language"))
		return wn_lang_code(s, n - 9);
	return NULL;
}

const char *wn_lang_name(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (strcmp(code, langs[i][0]) == 0)
			return langs[i][1];
	return NULL;
}

unsigned wn_qwild_num(const char *s, size_t n, size_t *used)
{
	*used = n && wn_isdigit((unsigned char)s[0]) ? 1 : 0;
	return *used ? (unsigned)(s[0] - '0') : 0;
}

static int days_in_month(long y, long m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int wn_qdate_parse(const char *s, size_t n, int end, long *out)
{
	long part[3] = { 0, 0, 0 };
	int np = 0, digits = 0;
	size_t i;

	while (n && (wn_isspace((unsigned char)*s) || *s == '"')) {
		s++;
		n--;
	}
	while (n && (wn_isspace((unsigned char)s[n - 1]) || s[n - 1] == '"'))
		n--;
	if (n == 8) { /* YYYYMMDD */
		for (i = 0; i < 8 && wn_isdigit((unsigned char)s[i]); i++)
			;
		if (i == 8) {
			part[0] = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
			part[1] = (s[4] - '0') * 10 + (s[5] - '0');
			part[2] = (s[6] - '0') * 10 + (s[7] - '0');
			np = 3;
			goto check;
		}
	}
	for (i = 0; i < n; i++) {
		if (wn_isdigit((unsigned char)s[i])) {
			if (++digits > 4)
				return -1;
			part[np] = part[np] * 10 + (s[i] - '0');
		} else if ((s[i] == '/' || s[i] == '-' || s[i] == '.') && digits && np < 2) {
			np++;
			digits = 0;
		} else {
			return -1;
		}
	}
	if (!digits)
		return -1;
	np++;
check:
	if (part[0] < 1000 || part[0] > 9999)
		return -1;
	if (np >= 2 && (part[1] < 1 || part[1] > 12))
		return -1;
	if (np == 3 && (part[2] < 1 || part[2] > days_in_month(part[0], part[1])))
		return -1;
	if (np == 1) {
		part[1] = end ? 12 : 1;
		part[2] = end ? 31 : 1;
	} else if (np == 2) {
		part[2] = end ? days_in_month(part[0], part[1]) : 1;
	}
	*out = part[0] * 10000 + part[1] * 100 + part[2];
	return 0;
}

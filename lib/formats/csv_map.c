/*
 * csv_map.c - column mapping for delimited exports (see csv.h).
 *
 * One table per export as it is found in real files (research/formats.md 3.6 and the
 * files in ../shared/samples): the signature columns that recognise it, the source it
 * names, and a rule per column. Rules are tried in order and the first claim wins, so a
 * profile lists its better column first (Scopus "Author full names" before "Authors").
 * A scalar field is claimed once; list fields (keywords, ISSNs) take several columns.
 * A file no profile recognises gets the generic rules (common column names in any case).
 *
 * Cells are cleaned by the record builder; what the rules add is the reading of each
 * export's conventions: author separators and name order, Excel's ="..." wrapping, page
 * ranges split over two columns, "PUBMED 21314913", decisions in Rayyan's notes.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/text.h"
#include <stdint.h>
#include "csv.h"
#include "csv_util.h"

enum kind {
	K_EXTRA, K_TEXT, K_ABSTRACT, K_YEAR, K_DATE, K_MONTH, K_DAY, K_DOI, K_AUTH,
	K_AUTH_SCOPUS, K_AUTH_SPRINGER, K_LIST, K_PAGES, K_SP, K_EP, K_ARTNO, K_SOURCE_ID,
	K_SOURCE_ID_URL, K_SOURCE, K_PMID, K_PMCID, K_ISSN, K_ISBN, K_ISSN_ISBN, K_URL,
	K_RAYYAN_NOTES, K_ZOTERO_EXTRA, K_EMBASE_SOURCE, K_PUBMED_CITATION, K_AUTH_PUBMED,
	K_SKIP, K_WLIST, K_WJSON, K_WDATE
};

struct rule {
	const char *col;
	enum kind kind;
	const char *field;        /* record field (K_TEXT, K_LIST) */
	const char *sep;          /* list or author separator (NULL: guess) */
	enum wn_name_style style; /* K_AUTH */
};

#define R(c, k, f) { c, k, f, NULL, WN_NAME_GUESS }
#define L(c, f, s) { c, K_LIST, f, s, WN_NAME_GUESS }
#define A(c, s, st) { c, K_AUTH, WN_F_AUTHORS, s, st }
#define END { NULL, K_EXTRA, NULL, NULL, WN_NAME_GUESS }

static const struct rule scopus[] = {
	R("Author full names", K_AUTH_SCOPUS, WN_F_AUTHORS),
	A("Authors", NULL, WN_NAME_INITIALS),
	R("Title", K_TEXT, WN_F_TITLE),
	R("Year", K_YEAR, NULL),
	R("Source title", K_TEXT, WN_F_JOURNAL),
	R("Abbreviated Source Title", K_TEXT, WN_F_JOURNAL_ABBREV),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Issue", K_TEXT, WN_F_ISSUE),
	R("Page start", K_SP, NULL),
	R("Page end", K_EP, NULL),
	R("Art. No.", K_ARTNO, NULL),
	R("DOI", K_DOI, NULL),
	R("Link", K_URL, NULL),
	R("Abstract", K_ABSTRACT, WN_F_ABSTRACT),
	L("Author Keywords", WN_F_KEYWORDS, ";"),
	L("Index Keywords", WN_F_KEYWORDS, ";"),
	R("ISSN", K_ISSN, NULL),
	R("ISBN", K_ISBN, NULL),
	R("PubMed ID", K_PMID, NULL),
	R("Language of Original Document", K_TEXT, WN_F_LANGUAGE),
	R("Document Type", K_TEXT, WN_F_TYPE),
	R("Publisher", K_TEXT, WN_F_PUBLISHER),
	R("EID", K_SOURCE_ID, NULL),
	END
};

static const struct rule embase[] = {
	R("Title", K_TEXT, WN_F_TITLE),
	A("Author Names", NULL, WN_NAME_INITIALS),
	R("Source title", K_TEXT, WN_F_JOURNAL),
	R("Source", K_EMBASE_SOURCE, NULL),
	R("Publication Year", K_YEAR, NULL),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Issue", K_TEXT, WN_F_ISSUE),
	R("First Page", K_SP, NULL),
	R("Last Page", K_EP, NULL),
	R("Date of Publication", K_DATE, NULL),
	R("Publication Type", K_TEXT, WN_F_TYPE),
	R("ISSN", K_ISSN, NULL),
	R("ISBN", K_ISBN, NULL),
	R("Book Publisher", K_TEXT, WN_F_PUBLISHER),
	R("Abstract", K_ABSTRACT, WN_F_ABSTRACT),
	L("Author Keywords", WN_F_KEYWORDS, ",;"),
	L("keywords", WN_F_KEYWORDS, ",;"),
	L("Emtree Drug Index Terms (Major Focus)", WN_F_KEYWORDS, ",;"),
	L("Emtree Drug Index Terms", WN_F_KEYWORDS, ",;"),
	L("Emtree Medical Index Terms (Major Focus)", WN_F_KEYWORDS, ",;"),
	L("Emtree Medical Index Terms", WN_F_KEYWORDS, ",;"),
	R("Embase Accession ID", K_SOURCE_ID, NULL),
	R("PUI", K_SOURCE_ID, NULL),
	R("Medline PMID", K_PMID, NULL),
	R("DOI", K_DOI, NULL),
	R("Embase Link", K_URL, NULL),
	R("Full Text Link", K_URL, NULL),
	R("Language of Article", K_TEXT, WN_F_LANGUAGE),
	END
};

static const struct rule cinahl[] = {
	R("Article Title", K_TEXT, WN_F_TITLE),
	A("Author", ";", WN_NAME_GUESS),
	R("Journal Title", K_TEXT, WN_F_JOURNAL),
	R("ISSN", K_ISSN, NULL),
	R("ISBN", K_ISBN, NULL),
	R("Publication Date", K_DATE, NULL),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Issue", K_TEXT, WN_F_ISSUE),
	R("First Page", K_SP, NULL),
	R("Accession Number", K_SOURCE_ID, NULL),
	R("DOI", K_DOI, NULL),
	R("Publisher", K_TEXT, WN_F_PUBLISHER),
	R("Doctype", K_TEXT, WN_F_TYPE),
	L("Subjects", WN_F_KEYWORDS, ";"),
	L("Keywords", WN_F_KEYWORDS, ";"),
	R("Abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("PLink", K_URL, NULL),
	END
};

static const struct rule covidence[] = {
	R("Title", K_TEXT, WN_F_TITLE),
	A("Authors", ";", WN_NAME_GUESS),
	R("Abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("Published Year", K_YEAR, NULL),
	R("Published Month", K_MONTH, NULL),
	R("Journal", K_TEXT, WN_F_JOURNAL),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Issue", K_TEXT, WN_F_ISSUE),
	R("Pages", K_PAGES, NULL),
	R("Accession Number", K_SOURCE_ID, NULL),
	R("DOI", K_DOI, NULL),
	END
};

static const struct rule rayyan[] = {
	R("key", K_SOURCE_ID, NULL),
	R("title", K_TEXT, WN_F_TITLE),
	R("year", K_YEAR, NULL),
	R("month", K_MONTH, NULL),
	R("day", K_DAY, NULL),
	R("journal", K_TEXT, WN_F_JOURNAL),
	R("issn", K_ISSN, NULL),
	R("volume", K_TEXT, WN_F_VOLUME),
	R("issue", K_TEXT, WN_F_ISSUE),
	R("pages", K_PAGES, NULL),
	A("authors", " and ", WN_NAME_GUESS),
	R("url", K_URL, NULL),
	R("language", K_TEXT, WN_F_LANGUAGE),
	R("publisher", K_TEXT, WN_F_PUBLISHER),
	R("abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("notes", K_RAYYAN_NOTES, NULL),
	R("doi", K_DOI, NULL),
	L("keywords", WN_F_KEYWORDS, ";"),
	R("pubmed_id", K_PMID, NULL),
	R("pmc_id", K_PMCID, NULL),
	END
};

static const struct rule lens[] = {
	R("Lens ID", K_SOURCE_ID, NULL),
	R("Title", K_TEXT, WN_F_TITLE),
	R("Date Published", K_DATE, NULL),
	R("Publication Year", K_YEAR, NULL),
	R("Publication Type", K_TEXT, WN_F_TYPE),
	R("Source Title", K_TEXT, WN_F_JOURNAL),
	R("ISSNs", K_ISSN, NULL),
	R("Publisher", K_TEXT, WN_F_PUBLISHER),
	A("Author/s", ";", WN_NAME_NATURAL),
	R("Abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Issue Number", K_TEXT, WN_F_ISSUE),
	R("Start Page", K_SP, NULL),
	R("End Page", K_EP, NULL),
	L("Keywords", WN_F_KEYWORDS, ";"),
	L("MeSH Terms", WN_F_MESH, ";"),
	R("Source URLs", K_URL, NULL),
	R("External URL", K_URL, NULL),
	R("PMID", K_PMID, NULL),
	R("DOI", K_DOI, NULL),
	R("PMCID", K_PMCID, NULL),
	END
};

static const struct rule openalex[] = {
	R("id", K_SOURCE_ID_URL, NULL),
	R("doi", K_DOI, NULL),
	R("title", K_TEXT, WN_F_TITLE),
	R("publication_year", K_YEAR, NULL),
	R("publication_date", K_DATE, NULL),
	R("language", K_TEXT, WN_F_LANGUAGE),
	R("type", K_TEXT, WN_F_TYPE),
	R("abstract", K_ABSTRACT, WN_F_ABSTRACT),
	A("authorships.author.display_name", "|", WN_NAME_NATURAL),
	A("authorships.raw_author_name", "|", WN_NAME_NATURAL),
	R("primary_location.source.display_name", K_TEXT, WN_F_JOURNAL),
	R("primary_location.source.issn", K_ISSN, NULL),
	R("primary_location.source.host_organization_name", K_TEXT, WN_F_PUBLISHER),
	R("biblio.volume", K_TEXT, WN_F_VOLUME),
	R("biblio.issue", K_TEXT, WN_F_ISSUE),
	R("biblio.first_page", K_SP, NULL),
	R("biblio.last_page", K_EP, NULL),
	R("ids.pmid", K_PMID, NULL),
	R("ids.pmcid", K_PMCID, NULL),
	R("primary_location.landing_page_url", K_URL, NULL),
	L("keywords.display_name", WN_F_KEYWORDS, "|"),
	END
};

static const struct rule zotero[] = {
	R("Item Type", K_TEXT, WN_F_TYPE),
	R("Publication Year", K_YEAR, NULL),
	A("Author", ";", WN_NAME_GUESS),
	R("Title", K_TEXT, WN_F_TITLE),
	R("Publication Title", K_TEXT, WN_F_JOURNAL),
	R("ISBN", K_ISBN, NULL),
	R("ISSN", K_ISSN, NULL),
	R("DOI", K_DOI, NULL),
	R("Url", K_URL, NULL),
	R("Abstract Note", K_ABSTRACT, WN_F_ABSTRACT),
	R("Date", K_DATE, NULL),
	R("Pages", K_PAGES, NULL),
	R("Issue", K_TEXT, WN_F_ISSUE),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Journal Abbreviation", K_TEXT, WN_F_JOURNAL_ABBREV),
	R("Publisher", K_TEXT, WN_F_PUBLISHER),
	R("Language", K_TEXT, WN_F_LANGUAGE),
	R("Archive", K_SOURCE, NULL),
	R("Library Catalog", K_SOURCE, NULL),
	R("Extra", K_ZOTERO_EXTRA, NULL),
	L("Manual Tags", WN_F_KEYWORDS, ";"),
	L("Automatic Tags", WN_F_KEYWORDS, ";"),
	END
};

static const struct rule pubmed[] = {
	R("PMID", K_PMID, NULL),
	R("Title", K_TEXT, WN_F_TITLE),
	R("Authors", K_AUTH_PUBMED, WN_F_AUTHORS),
	R("Citation", K_PUBMED_CITATION, NULL),
	R("Journal/Book", K_TEXT, WN_F_JOURNAL_ABBREV),
	R("Publication Year", K_YEAR, NULL),
	R("PMCID", K_PMCID, NULL),
	R("DOI", K_DOI, NULL),
	END
};

static const struct rule cochrane[] = {
	R("CENTRAL ID", K_SOURCE_ID, NULL),
	A("Author(s)", ";", WN_NAME_GUESS),
	R("Title", K_TEXT, WN_F_TITLE),
	R("Source", K_TEXT, WN_F_JOURNAL),
	R("Year", K_YEAR, NULL),
	R("Abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Issue", K_TEXT, WN_F_ISSUE),
	R("Pages", K_PAGES, NULL),
	R("PubMed ID", K_PMID, NULL),
	L("Publication Type", WN_F_PUBTYPES, ";"),
	L("Keywords", WN_F_KEYWORDS, ";"),
	R("DOI", K_DOI, NULL),
	R("URL", K_URL, NULL),
	R("Database Name", K_SOURCE, NULL),
	END
};

static const struct rule abstrackr[] = {
	R("(internal) id", K_SOURCE_ID, NULL),
	R("pubmed id", K_PMID, NULL),
	L("keywords", WN_F_KEYWORDS, ","),
	R("abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("title", K_TEXT, WN_F_TITLE),
	R("journal", K_TEXT, WN_F_JOURNAL),
	A("authors", " and ", WN_NAME_GUESS),
	END
};

static const struct rule scholar[] = {
	A("Authors", ";", WN_NAME_GUESS),
	R("Title", K_TEXT, WN_F_TITLE),
	R("Publication", K_TEXT, WN_F_JOURNAL),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Number", K_TEXT, WN_F_ISSUE),
	R("Pages", K_PAGES, NULL),
	R("Year", K_YEAR, NULL),
	R("Publisher", K_TEXT, WN_F_PUBLISHER),
	END
};

static const struct rule refworks[] = {
	R("Reference Type", K_TEXT, WN_F_TYPE),
	A("Authors, Primary", ";", WN_NAME_GUESS),
	R("Title Primary", K_TEXT, WN_F_TITLE),
	R("Periodical Full", K_TEXT, WN_F_JOURNAL),
	R("Periodical Abbrev", K_TEXT, WN_F_JOURNAL_ABBREV),
	R("Pub Year", K_YEAR, NULL),
	R("Pub Date Free From", K_DATE, NULL),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Issue", K_TEXT, WN_F_ISSUE),
	R("Start Page", K_SP, NULL),
	R("Other Pages", K_EP, NULL),
	L("Keywords", WN_F_KEYWORDS, ";"),
	R("Abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("Publisher", K_TEXT, WN_F_PUBLISHER),
	R("ISSN/ISBN", K_ISSN_ISBN, NULL),
	R("Accession Number", K_SOURCE_ID, NULL),
	R("Language", K_TEXT, WN_F_LANGUAGE),
	R("URL", K_URL, NULL),
	R("DOI", K_DOI, NULL),
	R("PMID", K_PMID, NULL),
	R("PMCID", K_PMCID, NULL),
	R("Database", K_SOURCE, NULL),
	END
};

static const struct rule ieee[] = {
	R("Document Title", K_TEXT, WN_F_TITLE),
	A("Authors", ";", WN_NAME_NATURAL),
	R("Publication Title", K_TEXT, WN_F_JOURNAL),
	R("Publication Year", K_YEAR, NULL),
	R("Volume", K_TEXT, WN_F_VOLUME),
	R("Issue", K_TEXT, WN_F_ISSUE),
	R("Start Page", K_SP, NULL),
	R("End Page", K_EP, NULL),
	R("Abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("ISSN", K_ISSN, NULL),
	R("ISBNs", K_ISBN, NULL),
	R("DOI", K_DOI, NULL),
	R("PDF Link", K_URL, NULL),
	L("Author Keywords", WN_F_KEYWORDS, ";"),
	L("IEEE Terms", WN_F_KEYWORDS, ";"),
	L("INSPEC Controlled Terms", WN_F_KEYWORDS, ";"),
	L("INSPEC Non-Controlled Terms", WN_F_KEYWORDS, ";"),
	L("Mesh_Terms", WN_F_MESH, ";"),
	R("Publisher", K_TEXT, WN_F_PUBLISHER),
	R("Document Identifier", K_TEXT, WN_F_TYPE),
	END
};

static const struct rule springer[] = {
	R("Item Title", K_TEXT, WN_F_TITLE),
	R("Publication Title", K_TEXT, WN_F_JOURNAL),
	R("Journal Volume", K_TEXT, WN_F_VOLUME),
	R("Journal Issue", K_TEXT, WN_F_ISSUE),
	R("Item DOI", K_DOI, NULL),
	R("Authors", K_AUTH_SPRINGER, WN_F_AUTHORS),
	R("Publication Year", K_YEAR, NULL),
	R("URL", K_URL, NULL),
	R("Content Type", K_TEXT, WN_F_TYPE),
	END
};

/* winnow-export --format csv: the record fields by name, lists joined with "; " (or a
 * JSON array), notices/extra/duplicates/fields as JSON. The id is not read: it is
 * given again from the record, as for any import; "notes" is derived text. */
static const struct rule winnow[] = {
	R("id", K_SKIP, NULL),
	R("source", K_SOURCE, NULL),
	R("source_id", K_SOURCE_ID, NULL),
	R("type", K_TEXT, WN_F_TYPE),
	R("title", K_TEXT, WN_F_TITLE),
	R("abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("authors", K_WLIST, WN_F_AUTHORS),
	R("year", K_YEAR, NULL),
	R("date", K_WDATE, NULL),
	R("journal", K_TEXT, WN_F_JOURNAL),
	R("journal_abbrev", K_TEXT, WN_F_JOURNAL_ABBREV),
	R("issn", K_WLIST, WN_F_ISSN),
	R("isbn", K_WLIST, WN_F_ISBN),
	R("volume", K_TEXT, WN_F_VOLUME),
	R("issue", K_TEXT, WN_F_ISSUE),
	R("pages", K_PAGES, NULL),
	R("doi", K_TEXT, WN_F_DOI),
	R("pmid", K_TEXT, WN_F_PMID),
	R("pmcid", K_TEXT, WN_F_PMCID),
	R("language", K_TEXT, WN_F_LANGUAGE),
	R("pubtypes", K_WLIST, WN_F_PUBTYPES),
	R("mesh", K_WLIST, WN_F_MESH),
	R("keywords", K_WLIST, WN_F_KEYWORDS),
	R("url", K_TEXT, WN_F_URL),
	R("publisher", K_TEXT, WN_F_PUBLISHER),
	R("notices", K_WJSON, WN_F_NOTICES),
	R("extra", K_WJSON, WN_F_EXTRA),
	R("duplicates", K_WJSON, WN_F_DUPLICATES),
	R("notes", K_SKIP, NULL),
	R("fields", K_WJSON, "fields"),
	END
};

/* Common column names of exports no profile knows (and of hand-made spreadsheets). */
static const struct rule generic[] = {
	R("title", K_TEXT, WN_F_TITLE),
	R("article title", K_TEXT, WN_F_TITLE),
	R("document title", K_TEXT, WN_F_TITLE),
	R("primary title", K_TEXT, WN_F_TITLE),
	R("TI", K_TEXT, WN_F_TITLE),
	R("abstract", K_ABSTRACT, WN_F_ABSTRACT),
	R("abstract note", K_ABSTRACT, WN_F_ABSTRACT),
	R("AB", K_ABSTRACT, WN_F_ABSTRACT),
	A("authors", NULL, WN_NAME_GUESS),
	A("author", NULL, WN_NAME_GUESS),
	A("author(s)", NULL, WN_NAME_GUESS),
	A("author names", NULL, WN_NAME_GUESS),
	A("AU", NULL, WN_NAME_GUESS),
	R("year", K_YEAR, NULL),
	R("publication year", K_YEAR, NULL),
	R("pub year", K_YEAR, NULL),
	R("PY", K_YEAR, NULL),
	R("date", K_DATE, NULL),
	R("publication date", K_DATE, NULL),
	R("journal", K_TEXT, WN_F_JOURNAL),
	R("journal title", K_TEXT, WN_F_JOURNAL),
	R("source title", K_TEXT, WN_F_JOURNAL),
	R("publication title", K_TEXT, WN_F_JOURNAL),
	R("secondary title", K_TEXT, WN_F_JOURNAL),
	R("journal abbreviation", K_TEXT, WN_F_JOURNAL_ABBREV),
	R("volume", K_TEXT, WN_F_VOLUME),
	R("issue", K_TEXT, WN_F_ISSUE),
	R("number", K_TEXT, WN_F_ISSUE),
	R("pages", K_PAGES, NULL),
	R("page", K_PAGES, NULL),
	R("start page", K_SP, NULL),
	R("first page", K_SP, NULL),
	R("page start", K_SP, NULL),
	R("end page", K_EP, NULL),
	R("last page", K_EP, NULL),
	R("page end", K_EP, NULL),
	R("doi", K_DOI, NULL),
	R("pmid", K_PMID, NULL),
	R("pubmed id", K_PMID, NULL),
	R("pmcid", K_PMCID, NULL),
	R("issn", K_ISSN, NULL),
	R("isbn", K_ISBN, NULL),
	L("keywords", WN_F_KEYWORDS, ";"),
	L("author keywords", WN_F_KEYWORDS, ";"),
	L("mesh", WN_F_MESH, ";"),
	L("mesh terms", WN_F_MESH, ";"),
	R("url", K_URL, NULL),
	R("link", K_URL, NULL),
	R("language", K_TEXT, WN_F_LANGUAGE),
	R("publisher", K_TEXT, WN_F_PUBLISHER),
	R("type", K_TEXT, WN_F_TYPE),
	R("document type", K_TEXT, WN_F_TYPE),
	R("publication type", K_TEXT, WN_F_TYPE),
	R("accession number", K_SOURCE_ID, NULL),
	R("database", K_SOURCE, NULL),
	END
};

struct profile {
	const char *name;
	const char *source;
	const char *sig[4];  /* every one must be a header column */
	const struct rule *rules;
};

static const struct profile profiles[] = {
	{ "winnow", NULL, { "id", "source_id", "journal_abbrev", "extra" }, winnow },
	{ "scopus", "Scopus", { "EID", "Source title", NULL, NULL }, scopus },
	{ "scopus", "Scopus", { "Authors", "Source title", "Link", "Page start" }, scopus },
	{ "embase", "Embase", { "Embase Accession ID", NULL, NULL, NULL }, embase },
	{ "embase", "Embase", { "Author Names", "Emtree Medical Index Terms", NULL, NULL }, embase },
	{ "cinahl", "CINAHL", { "Article Title", "PLink", NULL, NULL }, cinahl },
	{ "cinahl", "CINAHL", { "Article Title", "Journal Title", "Accession Number", "Doctype" }, cinahl },
	{ "covidence", NULL, { "Covidence #", NULL, NULL, NULL }, covidence },
	{ "rayyan", NULL, { "key", "title", "pubmed_id", "notes" }, rayyan },
	{ "lens", "Lens.org", { "Lens ID", NULL, NULL, NULL }, lens },
	{ "openalex", "OpenAlex", { "id", "display_name", "publication_year", NULL }, openalex },
	{ "zotero", NULL, { "Key", "Item Type", "Publication Year", NULL }, zotero },
	{ "pubmed", "PubMed", { "PMID", "Citation", "First Author", NULL }, pubmed },
	{ "cochrane", NULL, { "CENTRAL ID", NULL, NULL, NULL }, cochrane },
	{ "abstrackr", NULL, { "(internal) id", "consensus", NULL, NULL }, abstrackr },
	{ "google-scholar", "Google Scholar", { "Authors", "Publication", "Number", "Publisher" }, scholar },
	{ "refworks", NULL, { "Reference Type", "Authors, Primary", NULL, NULL }, refworks },
	{ "ieee", "IEEE Xplore", { "Document Title", "Publication Title", "Document Identifier", NULL }, ieee },
	{ "springer", "SpringerLink", { "Item Title", "Item DOI", "Content Type", NULL }, springer },
	{ NULL, NULL, { NULL, NULL, NULL, NULL }, NULL }
};

const char *const wn_csv_map_fields[] = {
	"title", "abstract", "authors", "year", "date", "journal", "journal_abbrev", "issn",
	"isbn", "volume", "issue", "pages", "start_page", "end_page", "doi", "pmid", "pmcid",
	"language", "type", "pubtypes", "mesh", "keywords", "url", "publisher", "source",
	"source_id", NULL
};

/* The rule a --map field name stands for. */
static int user_rule(const char *field, size_t n, struct rule *r)
{
	static const struct { const char *name; enum kind kind; const char *field; } m[] = {
		{ "title", K_TEXT, WN_F_TITLE }, { "abstract", K_ABSTRACT, WN_F_ABSTRACT },
		{ "authors", K_AUTH, WN_F_AUTHORS }, { "year", K_YEAR, NULL },
		{ "date", K_DATE, NULL }, { "journal", K_TEXT, WN_F_JOURNAL },
		{ "journal_abbrev", K_TEXT, WN_F_JOURNAL_ABBREV }, { "issn", K_ISSN, NULL },
		{ "isbn", K_ISBN, NULL }, { "volume", K_TEXT, WN_F_VOLUME },
		{ "issue", K_TEXT, WN_F_ISSUE }, { "pages", K_PAGES, NULL },
		{ "start_page", K_SP, NULL }, { "end_page", K_EP, NULL }, { "doi", K_DOI, NULL },
		{ "pmid", K_PMID, NULL }, { "pmcid", K_PMCID, NULL },
		{ "language", K_TEXT, WN_F_LANGUAGE }, { "type", K_TEXT, WN_F_TYPE },
		{ "pubtypes", K_LIST, WN_F_PUBTYPES }, { "mesh", K_LIST, WN_F_MESH },
		{ "keywords", K_LIST, WN_F_KEYWORDS }, { "url", K_URL, NULL },
		{ "publisher", K_TEXT, WN_F_PUBLISHER }, { "source", K_SOURCE, NULL },
		{ "source_id", K_SOURCE_ID, NULL }, { NULL, K_EXTRA, NULL }
	};
	size_t i;

	for (i = 0; m[i].name; i++) {
		if (strlen(m[i].name) == n && memcmp(m[i].name, field, n) == 0) {
			r->kind = m[i].kind;
			r->field = m[i].field;
			r->sep = m[i].kind == K_LIST ? ";|" : NULL;
			r->style = WN_NAME_GUESS;
			return 0;
		}
	}
	return -1;
}

/* ---- the map ---- */

struct col {
	char *name;           /* header text (trimmed) */
	const struct rule *rule;
	struct rule own;      /* storage for a --map rule */
};

struct wn_csv_map {
	struct col *cols;
	size_t ncols, known;
	const struct profile *profile;
	struct wn_buf tmp, sp, ep, artno, month, day;
	/* citation-like cells read after the row's own columns, which take precedence */
	const char *cite_col;
	enum kind cite_kind;
	struct wn_buf cite;
};

static int col_is(const char *name, const char *lit)
{
	return wn_text_ieq(name, strlen(name), lit);
}

static int has_col(const struct wn_csv_map *m, const char *lit)
{
	size_t i;

	for (i = 0; i < m->ncols; i++)
		if (col_is(m->cols[i].name, lit))
			return 1;
	return 0;
}

static int is_auth(enum kind k)
{
	return k == K_AUTH || k == K_AUTH_SCOPUS || k == K_AUTH_SPRINGER || k == K_AUTH_PUBMED;
}

/* Is the field of this rule a scalar that a column already claimed? */
static int field_taken(const struct wn_csv_map *m, const struct rule *r)
{
	size_t i;

	if (r->kind == K_LIST || r->kind == K_EXTRA || r->kind == K_ISSN || r->kind == K_ISBN ||
	    r->kind == K_SKIP || r->kind == K_WLIST || r->kind == K_WJSON ||
	    r->kind == K_ISSN_ISBN || r->kind == K_URL || r->kind == K_RAYYAN_NOTES ||
	    r->kind == K_ZOTERO_EXTRA || r->kind == K_SOURCE)
		return 0;
	for (i = 0; i < m->ncols; i++) {
		const struct rule *o = m->cols[i].rule;
		if (!o)
			continue;
		if (o->kind == r->kind && (o->field == r->field ||
					   (o->field && r->field && !strcmp(o->field, r->field))))
			return 1;
		/* authors come from one column only, whatever its kind */
		if (is_auth(r->kind) && is_auth(o->kind))
			return 1;
	}
	return 0;
}

static void claim(struct wn_csv_map *m, const struct rule *rules)
{
	const struct rule *r;
	size_t i;

	for (r = rules; r->col; r++) {
		if (field_taken(m, r))
			continue;
		for (i = 0; i < m->ncols; i++) {
			if (!m->cols[i].rule && col_is(m->cols[i].name, r->col)) {
				m->cols[i].rule = r;
				m->known++;
				break;
			}
		}
	}
}

/* Apply --map "field=Column,field=Column". Column names may not contain ','. */
static int apply_user(struct wn_csv_map *m, const char *user, struct wn_err *err)
{
	const char *p = user;

	while (*p) {
		const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p)), *f = p, *c;
		size_t fn, cn, i;
		struct rule r;

		if (!eq) {
			if (end == p) {
				p = comma ? comma + 1 : end;
				continue;
			}
			return wn_err_set(err, WN_EUSAGE, "--map: '%.*s' is not field=Column",
					  (int)(end - p), p);
		}
		fn = (size_t)(eq - f);
		c = eq + 1;
		cn = (size_t)(end - c);
		wn_text_trim(&f, &fn);
		wn_text_trim(&c, &cn);
		if (user_rule(f, fn, &r) < 0)
			return wn_err_set(err, WN_EUSAGE,
					  "--map: unknown field '%.*s' (title, abstract, authors, year, date, "
					  "journal, journal_abbrev, issn, isbn, volume, issue, pages, start_page, "
					  "end_page, doi, pmid, pmcid, language, type, pubtypes, mesh, keywords, "
					  "url, publisher, source, source_id)", (int)fn, f);
		/* exact spelling first, then any letter case */
		for (i = 0; i < m->ncols; i++)
			if (strlen(m->cols[i].name) == cn && memcmp(m->cols[i].name, c, cn) == 0)
				break;
		if (i == m->ncols) {
			for (i = 0; i < m->ncols; i++)
				if (wn_text_ieq(c, cn, m->cols[i].name))
					break;
		}
		if (i == m->ncols)
			return wn_err_set(err, WN_EUSAGE, "--map: the header has no column '%.*s'",
					  (int)cn, c);
		r.col = m->cols[i].name;
		m->cols[i].own = r;
		if (!m->cols[i].rule)
			m->known++;
		m->cols[i].rule = &m->cols[i].own;
		p = comma ? comma + 1 : end;
	}
	return 0;
}

struct wn_csv_map *wn_csv_map_new(const struct wn_csv *header, const char *user,
				  const char **profile_name, struct wn_err *err)
{
	struct wn_csv_map *m = wn_calloc(1, sizeof(*m));
	const struct profile *pr;
	size_t i;

	if (!m)
		goto oom;
	wn_buf_init(&m->tmp, 0);
	wn_buf_init(&m->sp, 0);
	wn_buf_init(&m->ep, 0);
	wn_buf_init(&m->artno, 0);
	wn_buf_init(&m->month, 0);
	wn_buf_init(&m->day, 0);
	wn_buf_init(&m->cite, 0);
	m->ncols = header->ncells;
	m->cols = wn_calloc(m->ncols ? m->ncols : 1, sizeof(*m->cols));
	if (!m->cols)
		goto oom;
	for (i = 0; i < m->ncols; i++) {
		size_t n;
		const char *s = wn_csv_cell(header, i, &n);
		wn_text_trim(&s, &n);
		m->cols[i].name = wn_strndup(s, n);
		if (!m->cols[i].name)
			goto oom;
	}
	if (user && *user && apply_user(m, user, err) < 0) {
		wn_csv_map_free(m);
		return NULL;
	}
	for (pr = profiles; pr->name; pr++) {
		int k, all = 1;
		for (k = 0; k < 4 && pr->sig[k]; k++)
			if (!has_col(m, pr->sig[k]))
				all = 0;
		if (all)
			break;
	}
	if (pr->name) {
		m->profile = pr;
		claim(m, pr->rules);
	} else {
		claim(m, generic);
	}
	if (profile_name)
		*profile_name = m->profile ? m->profile->name : "generic";
	return m;
oom:
	wn_csv_map_free(m);
	wn_err_set(err, WN_ENOMEM, "out of memory");
	return NULL;
}

void wn_csv_map_free(struct wn_csv_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; m->cols && i < m->ncols; i++)
		wn_free(m->cols[i].name);
	wn_free(m->cols);
	wn_buf_release(&m->tmp);
	wn_buf_release(&m->sp);
	wn_buf_release(&m->ep);
	wn_buf_release(&m->artno);
	wn_buf_release(&m->month);
	wn_buf_release(&m->day);
	wn_buf_release(&m->cite);
	wn_free(m);
}

const char *wn_csv_map_source(const struct wn_csv_map *m)
{
	return m->profile ? m->profile->source : NULL;
}

int wn_csv_map_lenient(const struct wn_csv_map *m)
{
	return m->profile && m->profile->rules == winnow;
}

size_t wn_csv_map_known(const struct wn_csv_map *m)
{
	return m->known;
}

int wn_csv_known_column(const char *s, size_t n)
{
	const struct profile *pr;
	const struct rule *r;

	wn_text_trim(&s, &n);
	if (!n)
		return 0;
	for (pr = profiles; pr->name; pr++)
		for (r = pr->rules; r->col; r++)
			if (wn_text_ieq(s, n, r->col))
				return 1;
	for (r = generic; r->col; r++)
		if (wn_text_ieq(s, n, r->col))
			return 1;
	return 0;
}

/* ---- cells ---- */

/* Excel's ="19326203" (keeps leading zeros) and stray surrounding quotes. */
static void unwrap(const char **s, size_t *n)
{
	wn_text_trim(s, n);
	if (*n >= 3 && (*s)[0] == '=' && (*s)[1] == '"' && (*s)[*n - 1] == '"') {
		*s += 2;
		*n -= 3;
	}
}

static int has_space(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (wn_isspace((unsigned char)s[i]))
			return 1;
	return 0;
}

/* Digits of an identifier cell: "PUBMED 21314913", "https://pubmed.ncbi.nlm.nih.gov/123",
 * "0" (abstrackr: none). */
static int set_digits(struct wn_recb *b, const char *field, const char *s, size_t n,
		      struct wn_err *err)
{
	size_t i = 0, j;

	while (i < n && !wn_isdigit((unsigned char)s[i]))
		i++;
	j = i;
	while (j < n && wn_isdigit((unsigned char)s[j]))
		j++;
	while (i < j && s[i] == '0')
		i++;
	if (i == j)
		return 0;
	return wn_recb_text(b, field, s + i, j - i, WN_RECB_KEEP, err);
}

static int set_pmcid(struct wn_recb *b, const char *s, size_t n, struct wn_err *err)
{
	const char *p = s;
	size_t i;

	for (i = 0; i + 3 <= n; i++) {
		if ((s[i] == 'P' || s[i] == 'p') && (s[i + 1] == 'M' || s[i + 1] == 'm') &&
		    (s[i + 2] == 'C' || s[i + 2] == 'c')) {
			size_t j = i + 3;
			while (j < n && wn_isdigit((unsigned char)s[j]))
				j++;
			if (j > i + 3) {
				struct wn_buf t;
				int rc;
				wn_buf_init(&t, j - i + 1); /* "PMC" + the digits: fits by construction */
				rc = (wn_buf_adds(&t, "PMC", err) < 0 || wn_buf_add(&t, s + i + 3, j - i - 3, err) < 0)
					? -1 : wn_recb_text(b, WN_F_PMCID, t.data, t.len, WN_RECB_KEEP, err);
				wn_buf_release(&t);
				return rc;
			}
		}
	}
	(void)p;
	/* bare digits */
	for (i = 0; i < n && wn_isdigit((unsigned char)s[i]); i++)
		;
	if (i == n && n) {
		struct wn_buf t;
		int rc;
		wn_buf_init(&t, n + 4); /* "PMC" + the digits: fits by construction */
		rc = (wn_buf_adds(&t, "PMC", err) < 0 || wn_buf_add(&t, s, n, err) < 0)
			? -1 : wn_recb_text(b, WN_F_PMCID, t.data, t.len, WN_RECB_KEEP, err);
		wn_buf_release(&t);
		return rc;
	}
	return 0;
}

static size_t digits_in(const char *s, size_t n)
{
	size_t i, d = 0;

	for (i = 0; i < n; i++)
		if (wn_isdigit((unsigned char)s[i]))
			d++;
	return d;
}

/* ISSN/ISBN lists: "18602002; 15361632", "0195-6671|1095-998X", ["2041-1723","..."]. */
static int add_codes(struct wn_recb *b, const char *field, const char *s, size_t n,
		     int either, struct wn_err *err)
{
	size_t i = 0;

	while (i < n) {
		size_t j;
		const char *p;
		size_t len;

		while (i < n && strchr(";,| []\"'\t", s[i]))
			i++;
		j = i;
		while (j < n && !strchr(";,| []\"'\t", s[j]))
			j++;
		p = s + i;
		len = j - i;
		if (len && digits_in(p, len) >= 4) {
			const char *f = field;
			if (either) {
				/* ISSN: 8 characters, 4 digits, optional hyphen */
				size_t k, digits = 0;
				for (k = 0; k < len; k++)
					if (wn_isdigit((unsigned char)p[k]) || p[k] == 'X' || p[k] == 'x')
						digits++;
				f = digits == 8 ? WN_F_ISSN : WN_F_ISBN;
			}
			if (wn_fu_list(b, f, p, len, WN_RECB_UNIQUE, err) < 0)
				return -1;
		}
		i = j;
	}
	return 0;
}

/* First URL in the cell; anything else there is kept in extra. */
static int set_url(struct wn_recb *b, const char *col, const char *s, size_t n,
		   struct wn_err *err)
{
	size_t i = 0, j;

	while (i < n && (wn_isspace((unsigned char)s[i]) || s[i] == ';' || s[i] == '|'))
		i++;
	j = i;
	while (j < n && !wn_isspace((unsigned char)s[j]) && s[j] != ';' && s[j] != '|')
		j++;
	if (j == i)
		return 0;
	if (json_object_object_get_ex(wn_recb_peek(b), WN_F_URL, NULL) || j < n) {
		/* a second URL column, or more than one link: all kept */
		if (wn_recb_extra(b, col, s, n, 0, err) < 0)
			return -1;
	}
	return wn_recb_text(b, WN_F_URL, s + i, j - i, WN_RECB_KEEP, err);
}

#define RAYYAN_KEY_MAX 64

/* Rayyan keeps screening in its notes: 'RAYYAN-INCLUSION: {"Emily"=>"Included"} |
 * RAYYAN-LABELS: a,b | RAYYAN-EXCLUSION-REASONS: wrong population | free text'. Each
 * part becomes an extra field ("RAYYAN-INCLUSION": ["Emily: Included"], ...). */
static int rayyan_notes(struct wn_recb *b, const char *col, const char *s, size_t n,
			struct wn_buf *tmp, struct wn_err *err)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i, len;
		const char *p;

		while (j < n && !(s[j] == '|' && (j + 1 >= n || s[j + 1] == ' ')))
			j++;
		p = s + i;
		len = j - i;
		wn_text_trim(&p, &len);
		if (len > 7 && wn_text_startswith(p, len, "RAYYAN-")) {
			const char *colon = memchr(p, ':', len);
			/* Rayyan's keys are short ("RAYYAN-EXCLUSION-REASONS"): a longer run
			 * before the colon is free text that happens to start with RAYYAN- */
			if (colon && (size_t)(colon - p) > RAYYAN_KEY_MAX)
				colon = NULL;
			if (colon) {
				size_t kn = (size_t)(colon - p), vn = len - kn - 1;
				const char *v = colon + 1;
				struct wn_buf key;
				int rc = 0;

				wn_buf_init(&key, RAYYAN_KEY_MAX + 1);
				if (wn_buf_add(&key, p, kn, err) < 0) {
					wn_buf_release(&key);
					return -1;
				}
				wn_text_trim(&v, &vn);
				if (vn && v[0] == '{') {
					/* {"Emily"=>"Included", "Bob"=>"Excluded"} */
					size_t k = 1;
					while (k < vn && rc >= 0) {
						size_t q1, q2, q3, q4;
						for (q1 = k; q1 < vn && v[q1] != '"'; q1++)
							;
						for (q2 = q1 + 1; q2 < vn && v[q2] != '"'; q2++)
							;
						for (q3 = q2 + 1; q3 < vn && v[q3] != '"'; q3++)
							;
						for (q4 = q3 + 1; q4 < vn && v[q4] != '"'; q4++)
							;
						if (q4 >= vn)
							break;
						wn_buf_reset(tmp);
						if (wn_buf_add(tmp, v + q1 + 1, q2 - q1 - 1, err) < 0 ||
						    wn_buf_adds(tmp, ": ", err) < 0 ||
						    wn_buf_add(tmp, v + q3 + 1, q4 - q3 - 1, err) < 0)
							rc = -1;
						else
							rc = wn_recb_extra(b, key.data, tmp->data, tmp->len, 0, err);
						k = q4 + 1;
					}
				} else {
					rc = wn_fu_split_extra(b, key.data, v, vn, ",", err);
				}
				wn_buf_release(&key);
				if (rc < 0)
					return -1;
				i = j + 1;
				continue;
			}
		}
		if (len && wn_recb_extra(b, col, p, len, 0, err) < 0)
			return -1;
		i = j + 1;
	}
	return 0;
}

/* Zotero's Extra: "PMID: 123\nPMCID: PMC45\n..." lines; known keys become fields. */
static int zotero_extra(struct wn_recb *b, const char *col, const char *s, size_t n,
			struct wn_err *err)
{
	size_t pos = 0, len;
	const char *line;

	while (wn_fu_next_line(s, n, &pos, &line, &len)) {
		int rc = 0;
		if (wn_text_startswith(line, len, "PMID:"))
			rc = set_digits(b, WN_F_PMID, line + 5, len - 5, err);
		else if (wn_text_startswith(line, len, "PMCID:"))
			rc = set_pmcid(b, line + 6, len - 6, err);
		else if (wn_text_startswith(line, len, "DOI:"))
			rc = wn_recb_doi(b, line + 4, len - 4, err);
		else
			rc = wn_recb_extra(b, col, line, len, 0, err);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Embase's "Source": "Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication:
 * 2014" - journal, year, volume:issue and pages when the export has no columns for them.
 * The text itself is kept in extra. */
static int embase_source(struct wn_recb *b, const char *col, const char *s, size_t n,
			 struct wn_err *err)
{
	const char *open = memchr(s, '(', n);
	json_object *rec = wn_recb_peek(b);

	if (wn_recb_extra(b, col, s, n, 0, err) < 0)
		return -1;
	if (!open)
		return 0;
	if (!json_object_object_get_ex(rec, WN_F_JOURNAL, NULL) &&
	    wn_recb_text(b, WN_F_JOURNAL, s, (size_t)(open - s), 0, err) < 0)
		return -1;
	{
		size_t rest = n - (size_t)(open - s), i;
		const char *close = memchr(open, ')', rest);
		int y;
		if (!close)
			return 0;
		y = wn_text_find_year(open, (size_t)(close - open));
		if (y && wn_recb_year(b, open, (size_t)(close - open), err) < 0)
			return -1;
		/* " 3:3 (152-160)" */
		i = (size_t)(close - s) + 1;
		while (i < n && s[i] == ' ')
			i++;
		if (i < n && wn_isdigit((unsigned char)s[i])) {
			size_t j = i, k;
			while (j < n && s[j] != ':' && s[j] != ' ' && s[j] != '(')
				j++;
			if (!json_object_object_get_ex(rec, WN_F_VOLUME, NULL) &&
			    wn_recb_text(b, WN_F_VOLUME, s + i, j - i, 0, err) < 0)
				return -1;
			if (j < n && s[j] == ':') {
				k = ++j;
				while (j < n && s[j] != ' ' && s[j] != '(')
					j++;
				if (!json_object_object_get_ex(rec, WN_F_ISSUE, NULL) &&
				    wn_recb_text(b, WN_F_ISSUE, s + k, j - k, 0, err) < 0)
					return -1;
			}
			while (j < n && s[j] == ' ')
				j++;
			if (wn_text_startswith(s + j, n - j, "Article Number:")) {
				/* e-locator journals: "15:1 Article Number: 4063." */
				size_t a;
				j += 15;
				while (j < n && s[j] == ' ')
					j++;
				a = j;
				while (j < n && s[j] != '.' && s[j] != ' ')
					j++;
				if (j > a && !json_object_object_get_ex(rec, WN_F_PAGES, NULL) &&
				    wn_recb_text(b, WN_F_PAGES, s + a, j - a, 0, err) < 0)
					return -1;
			} else if (j < n && s[j] == '(') {
				const char *c2 = memchr(s + j, ')', n - j);
				if (c2 && !json_object_object_get_ex(rec, WN_F_PAGES, NULL) &&
				    wn_recb_text(b, WN_F_PAGES, s + j + 1, (size_t)(c2 - s) - j - 1, 0, err) < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* PubMed's "Citation": "Eur J Med Genet. 2020 Feb;63(2):103640. doi: ... Epub 2019 Mar
 * 25." - date, volume, issue and pages (the export has no columns for them). */
static int pubmed_citation(struct wn_recb *b, const char *col, const char *s, size_t n,
			   struct wn_err *err)
{
	const char *semi = memchr(s, ';', n), *dot;
	json_object *rec = wn_recb_peek(b);
	size_t i, j;

	if (wn_recb_extra(b, col, s, n, 0, err) < 0)
		return -1;
	if (!semi)
		return 0;
	/* the date sits between the journal's ". " and ";" */
	for (dot = semi; dot > s && !(dot[-1] == '.' && dot[0] == ' '); dot--)
		;
	if (dot > s && wn_fu_date(b, dot, (size_t)(semi - dot), 0, err) < 0)
		return -1;
	i = (size_t)(semi - s) + 1;
	j = i;
	while (j < n && s[j] != '(' && s[j] != ':' && s[j] != '.' && s[j] != ' ')
		j++;
	if (j > i && !json_object_object_get_ex(rec, WN_F_VOLUME, NULL) &&
	    wn_recb_text(b, WN_F_VOLUME, s + i, j - i, 0, err) < 0)
		return -1;
	if (j < n && s[j] == '(') {
		const char *c = memchr(s + j, ')', n - j);
		if (c) {
			if (!json_object_object_get_ex(rec, WN_F_ISSUE, NULL) &&
			    wn_recb_text(b, WN_F_ISSUE, s + j + 1, (size_t)(c - s) - j - 1, 0, err) < 0)
				return -1;
			j = (size_t)(c - s) + 1;
		}
	}
	if (j < n && s[j] == ':') {
		size_t k = ++j;
		while (j < n && s[j] != ' ' && !(s[j] == '.' && (j + 1 == n || s[j + 1] == ' ')))
			j++;
		if (j > k && !json_object_object_get_ex(rec, WN_F_PAGES, NULL) &&
		    wn_recb_text(b, WN_F_PAGES, s + k, j - k, 0, err) < 0)
			return -1;
	}
	return 0;
}

/* Scopus "Author full names": "Wilson, Laura N. (57201234567); Gardner, J.D. (...)". */
static int scopus_full(struct wn_recb *b, const char *s, size_t n, struct wn_buf *tmp,
		       struct wn_err *err)
{
	size_t i;

	wn_buf_reset(tmp);
	for (i = 0; i < n; i++) {
		if (s[i] == '(') {
			size_t j = i + 1;
			while (j < n && wn_isdigit((unsigned char)s[j]))
				j++;
			if (j < n && s[j] == ')' && j > i + 1) {
				i = j;
				continue;
			}
		}
		if (wn_buf_addc(tmp, s[i], err) < 0)
			return -1;
	}
	return wn_fu_authors(b, tmp->data, tmp->len, ";", WN_NAME_GUESS, err) < 0 ? -1 : 0;
}

/* SpringerLink runs names together: "Araz R. AlievNigar T. Ismayilova". A lower-case
 * letter followed by an upper-case one after at least three lower-case letters starts a
 * new name (so "McNamara", "DeBlieux" stay whole). */
static int springer_authors(struct wn_recb *b, const char *s, size_t n, struct wn_buf *tmp,
			    struct wn_err *err)
{
	size_t i, lower = 0;

	wn_buf_reset(tmp);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (wn_isupper(c) && lower >= 3 && wn_buf_addc(tmp, ';', err) < 0)
			return -1;
		lower = wn_islower(c) ? lower + 1 : 0;
		if (wn_buf_addc(tmp, (char)c, err) < 0)
			return -1;
	}
	return wn_fu_authors(b, tmp->data, tmp->len, ";", WN_NAME_NATURAL, err) < 0 ? -1 : 0;
}

static int known_field(const char *key)
{
	size_t i;

	for (i = 0; wn_record_field_order[i]; i++)
		if (!strcmp(wn_record_field_order[i], key))
			return 1;
	return 0;
}

/* A JSON value of a winnow CSV cell; NULL when it is not valid JSON of that type. */
static json_object *parse_json(const char *s, size_t n, json_type want)
{
	struct json_tokener *tok;
	json_object *v;

	if (n > (size_t)INT32_MAX - 1)
		return NULL;
	tok = json_tokener_new();
	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	v = json_tokener_parse_ex(tok, s, (int)n);
	if (v && (json_tokener_get_error(tok) != json_tokener_success ||
		  tok->char_offset != (int)n || !json_object_is_type(v, want))) {
		json_object_put(v);
		v = NULL;
	}
	json_tokener_free(tok);
	return v;
}

/* "a; b; c" or a JSON array of strings (when an item has a ';'). */
static int winnow_list(struct wn_recb *b, const char *field, const char *col, const char *s,
		       size_t n, struct wn_err *err)
{
	json_object *arr;
	size_t i, k;

	if (!n || s[0] != '[')
		return wn_fu_split(b, field, s, n, ";", 0, err);
	arr = parse_json(s, n, json_type_array);
	if (!arr)
		return wn_recb_extra(b, col, s, n, 0, err);
	k = json_object_array_length(arr);
	for (i = 0; i < k; i++) {
		json_object *it = json_object_array_get_idx(arr, i);
		if (json_object_is_type(it, json_type_string) &&
		    wn_recb_list(b, field, json_object_get_string(it),
				 (size_t)json_object_get_string_len(it), 0, err) < 0) {
			json_object_put(arr);
			return -1;
		}
	}
	json_object_put(arr);
	return 1;
}

/* notices, duplicates (arrays), extra and fields (objects) as the exporter wrote them;
 * a cell that is not such JSON is kept as text in extra. */
static int winnow_json(struct wn_recb *b, const char *what, const char *col, const char *s,
		       size_t n, struct wn_err *err)
{
	int obj = !strcmp(what, WN_F_EXTRA) || !strcmp(what, "fields");
	json_object *v = parse_json(s, n, obj ? json_type_object : json_type_array);
	json_object *rec = wn_recb_peek(b);

	if (!v)
		return wn_recb_extra(b, col, s, n, 0, err);
	if (!strcmp(what, WN_F_EXTRA) || !strcmp(what, "fields")) {
		int fields = !strcmp(what, "fields");
		json_object_object_foreach(v, key, val) {
			if (fields) {
				/* fields later stages added; the record's own come from columns */
				if (known_field(key))
					continue;
				if (json_object_object_add(rec, key, json_object_get(val))) {
					json_object_put(val);
					json_object_put(v);
					return wn_err_set(err, WN_ENOMEM, "out of memory");
				}
				continue;
			}
			if (json_object_is_type(val, json_type_string)) {
				if (wn_recb_extra(b, key, json_object_get_string(val),
						  (size_t)json_object_get_string_len(val), WN_RECB_MULTILINE, err) < 0)
					goto fail;
			} else if (json_object_is_type(val, json_type_array)) {
				size_t i, k = json_object_array_length(val);
				json_object *extra, *arr = json_object_new_array();
				if (!arr)
					goto oom;
				for (i = 0; i < k; i++) {
					json_object *it = json_object_array_get_idx(val, i);
					if (json_object_array_add(arr, json_object_get(it))) {
						json_object_put(it);
						json_object_put(arr);
						goto oom;
					}
				}
				if (!json_object_object_get_ex(rec, WN_F_EXTRA, &extra)) {
					extra = json_object_new_object();
					if (!extra || json_object_object_add(rec, WN_F_EXTRA, extra)) {
						json_object_put(extra);
						json_object_put(arr);
						goto oom;
					}
				}
				if (json_object_object_add(extra, key, arr)) {
					json_object_put(arr);
					goto oom;
				}
			}
		}
		json_object_put(v);
		return 1;
	}
	if (json_object_object_add(rec, what, v)) {
		json_object_put(v);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 1;
oom:
	wn_err_set(err, WN_ENOMEM, "out of memory");
fail:
	json_object_put(v);
	return -1;
}

static int apply(struct wn_csv_map *m, const struct rule *r, const char *col, const char *s,
		 size_t n, struct wn_recb *b, struct wn_err *err)
{
	json_object *rec = wn_recb_peek(b);
	int rc = 0;

	switch (r->kind) {
	case K_TEXT:
		if (json_object_object_get_ex(rec, r->field, NULL))
			return wn_recb_extra(b, col, s, n, 0, err) < 0 ? -1 : 0;
		rc = wn_recb_text(b, r->field, s, n, 0, err);
		break;
	case K_ABSTRACT:
		rc = wn_recb_text(b, r->field, s, n, WN_RECB_MULTILINE | WN_RECB_KEEP, err);
		break;
	case K_YEAR:
		rc = wn_recb_year(b, s, n, err);
		if (rc == 0)
			rc = wn_recb_extra(b, col, s, n, 0, err);
		break;
	case K_DATE: {
		const char *d;
		rc = wn_fu_date(b, s, n, 0, err);
		/* the text stays in extra unless the date says all of it ("2012-07-03") */
		d = wn_record_get(rec, WN_F_DATE);
		if (rc >= 0 && !(d && strlen(d) == n && memcmp(d, s, n) == 0))
			rc = wn_recb_extra(b, col, s, n, 0, err);
		break;
	}
	case K_MONTH:
		return wn_buf_add(&m->month, s, n, err);
	case K_DAY:
		return wn_buf_add(&m->day, s, n, err);
	case K_DOI:
		rc = wn_recb_doi(b, s, n, err);
		if (rc == 0 || (rc > 0 && has_space(s, n)))
			rc = wn_recb_extra(b, col, s, n, 0, err);
		break;
	case K_AUTH:
		rc = wn_fu_authors(b, s, n, r->sep, r->style, err);
		break;
	case K_AUTH_SCOPUS:
		rc = scopus_full(b, s, n, &m->tmp, err);
		break;
	case K_AUTH_SPRINGER:
		rc = springer_authors(b, s, n, &m->tmp, err);
		break;
	case K_LIST:
		rc = wn_fu_split(b, r->field, s, n, r->sep ? r->sep : ";", WN_RECB_UNIQUE, err);
		break;
	case K_PAGES:
		rc = wn_recb_text(b, WN_F_PAGES, s, n, WN_RECB_KEEP, err);
		break;
	case K_SP:
		return wn_buf_add(&m->sp, s, n, err);
	case K_EP:
		return wn_buf_add(&m->ep, s, n, err);
	case K_ARTNO:
		return wn_buf_add(&m->artno, s, n, err);
	case K_SOURCE_ID:
		rc = wn_recb_text(b, WN_F_SOURCE_ID, s, n, WN_RECB_KEEP, err);
		break;
	case K_SOURCE_ID_URL: {
		/* "https://openalex.org/W4387881419" -> "W4387881419" */
		const char *slash = s + n;
		while (slash > s && slash[-1] != '/')
			slash--;
		rc = wn_recb_text(b, WN_F_SOURCE_ID, slash, n - (size_t)(slash - s), WN_RECB_KEEP, err);
		break;
	}
	case K_SOURCE:
		rc = wn_recb_text(b, WN_F_SOURCE, s, n, WN_RECB_KEEP, err);
		break;
	case K_PMID:
		rc = set_digits(b, WN_F_PMID, s, n, err);
		break;
	case K_PMCID:
		rc = set_pmcid(b, s, n, err);
		break;
	case K_ISSN:
		rc = add_codes(b, WN_F_ISSN, s, n, 0, err);
		break;
	case K_ISBN:
		rc = add_codes(b, WN_F_ISBN, s, n, 0, err);
		break;
	case K_ISSN_ISBN:
		rc = add_codes(b, WN_F_ISSN, s, n, 1, err);
		break;
	case K_URL:
		rc = set_url(b, col, s, n, err);
		break;
	case K_RAYYAN_NOTES:
		rc = rayyan_notes(b, col, s, n, &m->tmp, err);
		break;
	case K_ZOTERO_EXTRA:
		rc = zotero_extra(b, col, s, n, err);
		break;
	case K_EMBASE_SOURCE:
	case K_PUBMED_CITATION:
		m->cite_col = col;
		m->cite_kind = r->kind;
		return wn_buf_add(&m->cite, s, n, err);
	case K_AUTH_PUBMED:
		/* "Griffin DK, Larkin DM, O'Connor RE.": the final dot ends the list */
		if (n && s[n - 1] == '.')
			n--;
		rc = wn_fu_authors(b, s, n, ",", WN_NAME_INITIALS, err);
		break;
	case K_SKIP:
		return 0;
	case K_WLIST:
		rc = winnow_list(b, r->field, col, s, n, err);
		break;
	case K_WDATE:
		rc = wn_recb_text(b, WN_F_DATE, s, n, WN_RECB_KEEP, err);
		break;
	case K_WJSON:
		rc = winnow_json(b, r->field, col, s, n, err);
		break;
	case K_EXTRA:
	default:
		rc = wn_recb_extra(b, col, s, n, 0, err);
		break;
	}
	return rc < 0 ? -1 : 0;
}

int wn_csv_map_row(struct wn_csv_map *m, const struct wn_csv *row, struct wn_recb *b,
		   struct wn_err *err)
{
	json_object *rec;
	size_t i;

	wn_buf_reset(&m->sp);
	wn_buf_reset(&m->ep);
	wn_buf_reset(&m->artno);
	wn_buf_reset(&m->month);
	wn_buf_reset(&m->day);
	wn_buf_reset(&m->cite);
	for (i = 0; i < row->ncells; i++) {
		size_t n;
		const char *s = wn_csv_cell(row, i, &n);
		char colname[32];
		const char *col;

		unwrap(&s, &n);
		if (!n)
			continue;
		/* winnow-export wrote "'" before a cell a spreadsheet would run as a formula */
		if (m->profile && m->profile->rules == winnow && n >= 2 && s[0] == '\'' &&
		    strchr("=+-@\t\r", s[1])) {
			s++;
			n--;
		}
		if (i < m->ncols && m->cols[i].name[0]) {
			col = m->cols[i].name;
		} else {
			snprintf(colname, sizeof(colname), "column %zu", i + 1);
			col = colname;
		}
		if (i < m->ncols && m->cols[i].rule) {
			if (apply(m, m->cols[i].rule, col, s, n, b, err) < 0)
				return -1;
		} else if (wn_recb_extra(b, col, s, n, 0, err) < 0) {
			return -1;
		}
	}
	rec = wn_recb_peek(b);
	if (m->sp.len || m->ep.len) {
		if (wn_fu_pages(b, m->sp.data, m->sp.len, m->ep.data, m->ep.len, err) < 0)
			return -1;
		if (m->artno.len && wn_recb_extra(b, "Art. No.", m->artno.data, m->artno.len, 0, err) < 0)
			return -1;
	} else if (m->artno.len &&
		   wn_recb_text(b, WN_F_PAGES, m->artno.data, m->artno.len, WN_RECB_KEEP, err) < 0) {
		return -1;
	}
	if (m->month.len) {
		/* year, month (name or number) and day columns (Rayyan, Covidence) */
		int64_t y = wn_record_get_int(rec, WN_F_YEAR, 0);
		int mo = wn_fu_month(m->month.data, m->month.len), d = 0;
		if (!mo) {
			int v = 0;
			size_t k;
			for (k = 0; k < m->month.len && k < 3 && wn_isdigit((unsigned char)m->month.data[k]); k++)
				v = v * 10 + (m->month.data[k] - '0');
			if (k == m->month.len && v >= 1 && v <= 12)
				mo = v;
		}
		if (m->day.len) {
			size_t k;
			for (k = 0; k < m->day.len && k < 3 && wn_isdigit((unsigned char)m->day.data[k]); k++)
				d = d * 10 + (m->day.data[k] - '0');
			if (k != m->day.len || d < 1 || d > 31)
				d = 0;
		}
		if (y > 0 && y < 10000 && mo && !json_object_object_get_ex(rec, WN_F_DATE, NULL)) {
			char buf[32];
			if (d)
				snprintf(buf, sizeof(buf), "%04d-%02d-%02d", (int)y, mo, d);
			else
				snprintf(buf, sizeof(buf), "%04d-%02d", (int)y, mo);
			if (wn_recb_text(b, WN_F_DATE, buf, strlen(buf), 0, err) < 0)
				return -1;
		} else if (wn_recb_extra(b, "month", m->month.data, m->month.len, 0, err) < 0) {
			return -1;
		}
	}
	if (m->cite.len) {
		int rc = m->cite_kind == K_EMBASE_SOURCE
			? embase_source(b, m->cite_col, m->cite.data, m->cite.len, err)
			: pubmed_citation(b, m->cite_col, m->cite.data, m->cite.len, err);
		if (rc < 0)
			return -1;
	}
	return 0;
}

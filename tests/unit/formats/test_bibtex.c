/*
 * test_bibtex.c - the BibTeX/BibLaTeX reader (bibtex.c) and LaTeX to UTF-8
 * (bibtex_latex.c): grammar, macros and concatenation, accents and escapes, names,
 * recovery from a missing brace, encodings.
 */
#include "wn_test.h"
#include "import_helper.h"
#include "bibtex.h"

static const char *tex(const char *s, unsigned flags)
{
	static struct wn_buf b;
	static int init;

	if (!init) {
		wn_buf_init(&b, 0);
		init = 1;
	}
	wn_buf_reset(&b);
	if (wn_latex_to_utf8(&b, s, strlen(s), flags, NULL) < 0)
		return "ERROR";
	return b.data;
}

static void test_latex(void)
{
	CHECK_STR(tex("M{\\\"u}ller", 0), "Müller");
	CHECK_STR(tex("M\\\"{u}ller", 0), "Müller");
	CHECK_STR(tex("Laid{\\'e}", 0), "Laidé");
	CHECK_STR(tex("Fran\\c{c}ois \\c c", 0), "François ç");
	CHECK_STR(tex("\\v{S}koda \\v s", 0), "Škoda š");
	CHECK_STR(tex("Pe{\\~n}a G{\\\"o}del \\'{\\i}ndice", 0), "Peña Gödel índice");
	CHECK_STR(tex("Stra\\ss e {\\ss} \\o{}re \\AA{}ngstr\\\"om", 0), "Straße ß øre Ångström");
	CHECK_STR(tex("Smith \\& Sons 50\\% \\$5 \\#1 a\\_b", 0), "Smith & Sons 50% $5 #1 a_b");
	CHECK_STR(tex("pages 1--2, a---b, ``q''", 0), "pages 1–2, a—b, “q”");
	CHECK_STR(tex("\\emph{Homo} {\\it sapiens} \\textbf{bold}", 0), "Homo sapiens bold");
	CHECK_STR(tex("{An} amazing {title}", 0), "An amazing title");
	CHECK_STR(tex("$\\alpha$-helix and $^{13}$C", 0), "α-helix and 13C");
	CHECK_STR(tex("\\LaTeX\\ users", 0), "LaTeX users");
	CHECK_STR(tex("non~breaking", 0), "non breaking");
	/* an accent on a letter with no precomposed form keeps its combining mark */
	CHECK_STR(tex("\\~{x}", 0), "x\xcc\x83");
	/* verbatim fields: only the escapes */
	CHECK_STR(tex("10.1007/999\\_3", WN_LATEX_VERBATIM), "10.1007/999_3");
	CHECK_STR(tex("http://x.org/a--b~c", WN_LATEX_VERBATIM), "http://x.org/a--b~c");
	/* a lone backslash at the end */
	CHECK_STR(tex("x\\", 0), "x\\");
}

static void test_entries(void)
{
	static const char bib[] =
		"% a comment line\n@comment{ignored {nested} text}\n@preamble{\"\\newcommand{\\x}{}\"}\n"
		"@string{jn = \"Journal of \" # \"Tests\"}\n@STRING(yr = {2019})\n"
		"This text is outside entries and ignored; mail@example.org too.\n"
		"@Article{key1,\n  author = {M{\\\"u}ller, Hans and Jean de la Fontaine and {World Health Organization} and others},\n"
		"  title = \"A {\\\"U}ber {Study}: \\emph{in vivo}\",\n  journal = jn,\n  year = yr,\n"
		"  month = mar, day = 5,\n  pages = {123--130},\n  doi = {https://doi.org/10.1000/ABC\\_1},\n"
		"  keywords = {one; two, three},\n  issn = {1234-5678, 8765-4321},\n  eprint = {31234567}, eprinttype = {pubmed},\n"
		"  abstract = {First line\n   continues.\n\n   Second paragraph.},\n  note = {kept}\n}\n"
		"@inproceedings(key2, title={Proc paper}, booktitle={Proc. of X}, year=2020, source={Scopus})\n";
	struct imp_result r;

	CHECK_INT(imp_str(&r, NULL, bib), 0);
	CHECK_INT(r.nrec, 2);
	if (r.nrec == 2) {
		json_object *a = r.rec[0], *b = r.rec[1];
		CHECK_STR(fld(a, "type"), "article");
		CHECK_STR(fld(a, "title"), "A Über Study: in vivo");
		CHECK_STR(item(a, "authors", 0), "Müller, Hans");
		CHECK_STR(item(a, "authors", 1), "de la Fontaine, Jean");
		CHECK_STR(item(a, "authors", 2), "World Health Organization");
		CHECK_INT(wn_record_count(a, "authors"), 3); /* "others" is not a name */
		CHECK_STR(fld(a, "journal"), "Journal of Tests");
		CHECK_INT(wn_record_get_int(a, "year", 0), 2019);
		CHECK_STR(fld(a, "date"), "2019-03-05");
		CHECK_STR(fld(a, "pages"), "123-130");
		CHECK_STR(fld(a, "doi"), "10.1000/ABC_1");
		CHECK_STR(item(a, "keywords", 1), "two, three");
		CHECK_STR(item(a, "issn", 1), "8765-4321");
		CHECK_STR(fld(a, "pmid"), "31234567");
		CHECK_STR(fld(a, "abstract"), "First line continues.\nSecond paragraph.");
		CHECK_STR(xtra(a, "note", 0), "kept");
		CHECK_STR(xtra(a, "bibtex_key", 0), "key1");
		CHECK_STR(fld(b, "type"), "inproceedings");
		CHECK_STR(fld(b, "journal"), "Proc. of X");
		CHECK_STR(fld(b, "source"), "Scopus");
	}
	imp_free(&r);
}

static void test_damage(void)
{
	/* a missing closing brace: the entry ends where the next one starts; a syntax error
	 * skips to the next entry; an undefined macro is kept as text */
	static const char bib[] =
		"@article{a, title = {Unclosed title,\n  year = 2001\n"
		"@article{b, title = {Fine}, journal = undefinedmacro, year = 2002}\n"
		"@article{c, title {no equals sign}}\n"
		"@article{d, title = {Also fine}}\n"
		"@article{e,}\n";
	struct imp_result r;

	CHECK_INT(imp_str(&r, NULL, bib), 0);
	CHECK_INT(r.nrec, 2);
	CHECK_INT(r.skipped, 3);
	CHECK(strstr(r.diags, "missing closing brace") != NULL);
	CHECK(strstr(r.diags, "'=' expected after field 'title'") != NULL);
	CHECK(strstr(r.diags, "undefined @string macro 'undefinedmacro'") != NULL);
	CHECK(strstr(r.diags, "no bibliographic fields") != NULL);
	if (r.nrec == 2) {
		CHECK_STR(fld(r.rec[0], "title"), "Fine");
		CHECK_STR(fld(r.rec[0], "journal"), "undefinedmacro");
		CHECK_STR(fld(r.rec[1], "title"), "Also fine");
	}
	imp_free(&r);
	/* --strict: the first bad entry stops the import with exit-3 material */
	CHECK_INT(imp_run_opts(&r, NULL, bib, sizeof(bib) - 1, NULL, 1), -1);
	CHECK(strstr(r.err, "malformed BibTeX entry") != NULL);
	imp_free(&r);
}

static void test_files(void)
{
	static const struct { const char *f; int n; const char *title, *author; } t[] = {
		{ "bibtex/article_with_strings.bib", 1, "An amazing title", "César, Jean" },
		{ "bibtex/traps.bib", 1, "An amazing title", "Jean Laidé, Ben Loaeb" },
		{ "bibtex/encoding.bib", 1, "An amazing title: à", "César, Jean" },
		{ "bibtex/encoding-cp1252.bib", 1, "An amazing title: à", "César, Jean" },
		{ "bibtex/encoding-utf16le-bom.bib", 1, "An amazing title: à", "César, Jean" },
		{ "bibtex/ebsco.bib", 1, "Paper title.", "Smith, Tom" },
		{ "bibtex/web_of_science.bib", 2, "Inproceedings Title", "Writerone, Julia" },
		{ NULL, 0, NULL, NULL }
	};
	int i;

	for (i = 0; t[i].f; i++) {
		struct imp_result r;
		size_t len;
		char *buf = slurp(data_path(t[i].f), &len);
		CHECK(buf != NULL);
		if (!buf)
			continue;
		CHECK_INT(imp_run(&r, NULL, buf, len), 0);
		CHECK_INT(r.nrec, t[i].n);
		if (r.nrec) {
			CHECK_STR(fld(r.rec[0], "title"), t[i].title);
			CHECK_STR(item(r.rec[0], "authors", 0), t[i].author);
		}
		if (strstr(t[i].f, "cp1252"))
			CHECK(strstr(r.diags, "read as Windows-1252") != NULL);
		if (strstr(t[i].f, "web_of_science") && r.nrec == 2) {
			CHECK_STR(fld(r.rec[0], "source"), "Web of Science");
			CHECK_STR(fld(r.rec[0], "source_id"), "WOS:000223334444221");
			CHECK_STR(fld(r.rec[1], "date"), "2022-03-01");
		}
		free(buf);
		imp_free(&r);
	}
}

static void test_detect(void)
{
	const struct wn_format *f;
	static const char a[] = " @ARTICLE{Li2020,\nauthor={Li, W.},\n}";
	static const char b[] = "% comment\n\n@misc{x, title={t}}\n";
	static const char c[] = "Dear user@example.com, {hello}\n";

	f = wn_format_detect((const unsigned char *)a, sizeof(a) - 1, NULL);
	CHECK(f && !strcmp(f->name, "bibtex"));
	f = wn_format_detect((const unsigned char *)b, sizeof(b) - 1, NULL);
	CHECK(f && !strcmp(f->name, "bibtex"));
	f = wn_format_detect((const unsigned char *)c, sizeof(c) - 1, NULL);
	CHECK(!f || strcmp(f->name, "bibtex"));
}

static void test_huge_field(void)
{
	char *buf = malloc(20000);
	struct imp_result r;
	size_t n;

	if (!buf)
		return;
	n = (size_t)snprintf(buf, 20000, "@article{a, title={before}}\n@article{b, title={huge}, abstract={");
	memset(buf + n, 'a', 5000);
	n += 5000;
	n += (size_t)snprintf(buf + n, 20000 - n, "}}\n@article{c, title={after}}\n");
	CHECK_INT(imp_run_max(&r, NULL, buf, n, NULL, 0, 1024), 0);
	CHECK_INT(r.nrec, 2);
	CHECK_INT(r.skipped, 1);
	if (r.nrec == 2)
		CHECK_STR(fld(r.rec[1], "title"), "after");
	imp_free(&r);
	free(buf);
}

int main(void)
{
	RUN(test_latex);
	RUN(test_entries);
	RUN(test_damage);
	RUN(test_files);
	RUN(test_detect);
	RUN(test_huge_field);
	return wn_test_report();
}

/*
 * test_csv.c - the delimited-file reader (csv_read.c, csv_map.c, csv.c) and the shared
 * helpers it leans on (csv_util.c: names, dates): RFC 4180 quoting, broken quotes,
 * delimiter and header detection, export profiles, --map.
 */
#include "wn_test.h"
#include "import_helper.h"
#include "csv.h"
#include "csv_util.h"

/* Tokenize text; returns the rows as "a|b|c" lines. */
static void rows_of(const char *text, char delim, int quoting, char *out, size_t cap, size_t max_row)
{
	struct wn_input *in = wn_input_from_memory(text, strlen(text), "t", NULL);
	struct wn_csv c;
	struct wn_err err;
	int r;
	size_t o = 0;

	out[0] = '\0';
	if (!in || wn_input_text_mode(in, 1, &err) < 0 || wn_csv_init(&c, in, delim, quoting, max_row, &err) < 0) {
		snprintf(out, cap, "init failed");
		wn_input_close(in);
		return;
	}
	while ((r = wn_csv_next(&c, &err)) != 0 && o + 1 < cap) {
		size_t i;
		if (r < 0)
			break;
		if (r == 2) {
			o += (size_t)snprintf(out + o, cap - o, "BAD@%lu\n", c.row_line);
			continue;
		}
		for (i = 0; i < c.ncells && o + 1 < cap; i++) {
			size_t n;
			const char *s = wn_csv_cell(&c, i, &n);
			o += (size_t)snprintf(out + o, cap - o, "%s%.*s", i ? "|" : "", (int)n, s);
		}
		if (o + 1 < cap)
			o += (size_t)snprintf(out + o, cap - o, "\n");
	}
	wn_csv_release(&c);
	wn_input_close(in);
}

static void test_tokenizer(void)
{
	char out[2048];

	rows_of("a,b,c\r\n1,\"x, y\",\"he said \"\"hi\"\"\"\r\n", ',', 1, out, sizeof(out), 0);
	CHECK_STR(out, "a|b|c\n1|x, y|he said \"hi\"\n");
	/* a line break inside quotes (CRLF becomes \n), empty fields, trailing delimiter */
	rows_of("t,a\n\"two\r\nlines\",\n,\n", ',', 1, out, sizeof(out), 0);
	CHECK_STR(out, "t|a\ntwo\nlines|\n|\n");
	/* "abc"def is read as written; a quote inside an unquoted field is a character */
	rows_of("\"abc\"def,x\"y\n", ',', 1, out, sizeof(out), 0);
	CHECK_STR(out, "\"abc\"def|x\"y\n");
	/* spaces before an opening quote */
	rows_of("a, \"b,c\"\n", ',', 1, out, sizeof(out), 0);
	CHECK_STR(out, "a|b,c\n");
	/* no quoting (WoS tab-delimited): quotes are text */
	rows_of("\"Big data\" now\tx\n", '\t', 0, out, sizeof(out), 0);
	CHECK_STR(out, "\"Big data\" now|x\n");
	/* a quote that never closes: that row is bad, the lines after it are read again */
	rows_of("h1,h2\n\"never closed,1\nok,2\nok,3\n", ',', 1, out, sizeof(out), 0);
	CHECK_STR(out, "h1|h2\nBAD@2\nok|2\nok|3\n");
	/* a quoted field longer than the row cap: bad, the rest read again */
	rows_of("h\n\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nb\nc\n", ',', 1, out, sizeof(out), 32);
	CHECK_STR(out, "h\nBAD@2\nb\nc\n");
}

static void test_guess_delim(void)
{
	CHECK_INT(wn_csv_guess_delim("a,b,c\n1,2,3\n", 12), ',');
	CHECK_INT(wn_csv_guess_delim("a\tb\tc\n1,2\t3\t4\n", 14), '\t');
	/* Lens: ';' between authors varies per row, ',' splits every row the same */
	{
		static const char t[] = "Title,Author/s,Year\nX,A; B; C; D,2001\nY,E; F,2002\nZ,G,2003\n";
		CHECK_INT(wn_csv_guess_delim(t, sizeof(t) - 1), ',');
	}
	/* Excel re-save: ';' with a preamble */
	{
		static const char t[] = "SEARCH QUERY;x;;\n---;;;\n;;;\nTitle;Authors;Year;DOI\na;b;c;d\n";
		CHECK_INT(wn_csv_guess_delim(t, sizeof(t) - 1), ';');
	}
	/* rows broken up by quoted line breaks: the header decides */
	{
		static const char t[] = "id,title,abstract\n1,T,\"a; b; c\nd; e; f; g; h\"\n";
		CHECK_INT(wn_csv_guess_delim(t, sizeof(t) - 1), ',');
	}
	CHECK_INT(wn_csv_guess_delim("no delimiter here\n", 18), 0);
}

static const char *name(const char *s, enum wn_name_style st, int braces)
{
	static struct wn_buf b;
	static int init;

	if (!init) {
		wn_buf_init(&b, 0);
		init = 1;
	}
	if (wn_fu_name(&b, s, strlen(s), st, braces, NULL) < 0)
		return "ERROR";
	return b.data;
}

static void test_names(void)
{
	CHECK_STR(name("Wilson L.N.", WN_NAME_GUESS, 0), "Wilson, L.N.");
	CHECK_STR(name("Griffin DK", WN_NAME_INITIALS, 0), "Griffin, DK");
	CHECK_STR(name("Björn A. Blomberg", WN_NAME_NATURAL, 0), "Blomberg, Björn A.");
	CHECK_STR(name("Ludwig van Beethoven", WN_NAME_NATURAL, 0), "van Beethoven, Ludwig");
	CHECK_STR(name("Juan de la Fuente", WN_NAME_GUESS, 0), "de la Fuente, Juan");
	CHECK_STR(name("Martin Luther King Jr", WN_NAME_NATURAL, 0), "King, Martin Luther Jr");
	CHECK_STR(name("Smits,Maarten L. J.", WN_NAME_GUESS, 0), "Smits, Maarten L. J.");
	CHECK_STR(name("van den Hoven,null", WN_NAME_GUESS, 0), "van den Hoven");
	CHECK_STR(name("Smith, Jr, John", WN_NAME_GUESS, 0), "Smith, John Jr");
	CHECK_STR(name("{World Health Organization}", WN_NAME_GUESS, 1), "{World Health Organization}");
	CHECK_STR(name("Jean Laid{\\'e}", WN_NAME_NATURAL, 1), "Laid{\\'e}, Jean");
	CHECK_STR(name("Ødegaard Jens", WN_NAME_NATURAL, 0), "Jens, Ødegaard");
	CHECK_STR(name("  ;  ", WN_NAME_GUESS, 0), "");
	CHECK(wn_fu_is_initials("J.-P.", 5));
	CHECK(!wn_fu_is_initials("John", 4));
	CHECK(!wn_fu_is_initials("ABCDE", 5));
}

static const char *date_of(const char *s, int hint)
{
	static struct wn_recb b;
	static char out[64];
	static int init;
	const char *d;

	if (!init) {
		wn_recb_init(&b);
		init = 1;
	}
	wn_recb_begin(&b, NULL);
	if (wn_fu_date(&b, s, strlen(s), hint, NULL) < 0)
		return "ERROR";
	d = wn_record_get(wn_recb_peek(&b), "date");
	snprintf(out, sizeof(out), "%s", d ? d : "-");
	return out;
}

static void test_dates(void)
{
	CHECK_STR(date_of("2006 May-Jun", 0), "2006-05");
	CHECK_STR(date_of("JUN 14", 2006), "2006-06-14");
	CHECK_STR(date_of("NOV", 2005), "2005-11");
	CHECK_STR(date_of("2019/08/20/", 0), "2019-08-20");
	CHECK_STR(date_of("1948/07//", 0), "1948-07");
	CHECK_STR(date_of("16 March 2015", 0), "2015-03-16");
	CHECK_STR(date_of("Ecohydrology. 8(6):1048-1064, September 2015.", 0), "2015-09");
	CHECK_STR(date_of("Vol 28(2) April 2015, 103-106.", 0), "2015-04");
	CHECK_STR(date_of("4/3/2024", 0), "2024"); /* M/D or D/M: only the year is certain */
	/* EBSCO (CINAHL) CSV: month and year with no space between them */
	CHECK_STR(date_of("Jun2023", 0), "2023-06");
	CHECK_STR(date_of("=\"Nov2022\"", 0), "2022-11");
	CHECK_STR(date_of("2023Jun", 0), "2023-06");
	CHECK_STR(date_of("Sept2015", 0), "2015-09");
	CHECK_STR(date_of("Spring", 0), "-");
	CHECK_STR(date_of("Spring", 1999), "1999");
}

static void test_profiles(void)
{
	static const char scopus[] =
		"\xEF\xBB\xBF\"Authors\",\"Author full names\",\"Title\",\"Year\",\"Source title\",\"Volume\","
		"\"Page start\",\"Page end\",\"Art. No.\",\"DOI\",\"Link\",\"Author Keywords\",\"PubMed ID\","
		"\"Document Type\",\"Source\",\"EID\"\n"
		"\"Wilson L.N.; Gardner J.D.\",\"Wilson, Lauren N. (58975547800); Gardner, Jacob D. (57190394669)\","
		"\"Body size\",\"2024\",\"Nat Commun\",\"15\",\"\",\"\",\"2864\",\"10.1038/x\",\"https://scopus/x\","
		"\"a; b\",\"38580657\",\"Article\",\"Scopus\",\"2-s2.0-85189760133\"\n";
	struct imp_result r;

	CHECK_INT(imp_str(&r, NULL, scopus), 0);
	CHECK_INT(r.nrec, 1);
	if (r.nrec) {
		json_object *x = r.rec[0];
		CHECK_STR(fld(x, "source"), "Scopus");
		CHECK_STR(fld(x, "id"), "scopus:2-s2.0-85189760133");
		CHECK_STR(item(x, "authors", 0), "Wilson, Lauren N.");
		CHECK_STR(item(x, "authors", 1), "Gardner, Jacob D.");
		CHECK_STR(xtra(x, "Authors", 0), "Wilson L.N.; Gardner J.D.");
		CHECK_STR(fld(x, "pages"), "2864");
		CHECK_STR(fld(x, "pmid"), "38580657");
		CHECK_STR(item(x, "keywords", 1), "b");
	}
	CHECK(strstr(r.diags, "read as scopus CSV export") != NULL);
	imp_free(&r);
}

static void test_preamble_and_excel(void)
{
	static const char excel[] =
		"\xEF\xBB\xBFSEARCH QUERY;dinosaur:ti;;\n-----;;;\n;;;\n"
		"Title;Author Names;Embase Accession ID;ISSN\n"
		"A title;Liu R., Adler D.G.;L123;=\"19326203\"\n";
	struct imp_result r;
	json_object *files, *f0, *q;

	CHECK_INT(imp_str(&r, NULL, excel), 0);
	CHECK_INT(r.nrec, 1);
	if (r.nrec) {
		CHECK_STR(fld(r.rec[0], "source"), "Embase");
		CHECK_STR(item(r.rec[0], "authors", 1), "Adler, D.G.");
		CHECK_STR(item(r.rec[0], "issn", 0), "19326203");
		CHECK_STR(fld(r.rec[0], "source_id"), "L123");
	}
	json_object_object_get_ex(r.summary, "files", &files);
	f0 = json_object_array_get_idx(files, 0);
	CHECK(json_object_object_get_ex(f0, "search_query", &q) &&
	      !strcmp(json_object_get_string(q), "dinosaur:ti"));
	CHECK(strstr(r.diags, "3 lines before the header (line 4) ignored") != NULL);
	imp_free(&r);
}

static void test_rayyan_notes(void)
{
	static const char csv[] =
		"key,title,year,month,day,authors,notes,pubmed_id\n"
		"rayyan-1,T,2024,3,7,\"Yang, Z. and Jiang, B.\",\"RAYYAN-INCLUSION: {\"\"Emily\"\"=>\"\"Included\"\", \"\"Bob\"\"=>\"\"Excluded\"\"} | RAYYAN-LABELS: rct,adult | free note\",12\n";
	struct imp_result r;

	CHECK_INT(imp_str(&r, NULL, csv), 0);
	CHECK_INT(r.nrec, 1);
	if (r.nrec) {
		json_object *x = r.rec[0];
		CHECK_STR(xtra(x, "RAYYAN-INCLUSION", 0), "Emily: Included");
		CHECK_STR(xtra(x, "RAYYAN-INCLUSION", 1), "Bob: Excluded");
		CHECK_STR(xtra(x, "RAYYAN-LABELS", 1), "adult");
		CHECK_STR(xtra(x, "notes", 0), "free note");
		CHECK_STR(fld(x, "date"), "2024-03-07");
		CHECK_STR(item(x, "authors", 1), "Jiang, B.");
		CHECK_STR(fld(x, "source_id"), "rayyan-1");
	}
	imp_free(&r);
}

/* fuzz finding: a notes part "RAYYAN-<300 bytes>: x" overflowed the key buffer and
 * failed the whole import with an unnamed "value longer than the limit"; a PMC id with a
 * long digit run did the same. Both are now read like any other value. */
static void test_rayyan_long_key(void)
{
	char csv[2048], key[301], digits[201];
	struct imp_result r;

	memset(key, 'K', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	memset(digits, '7', sizeof(digits) - 1);
	digits[sizeof(digits) - 1] = '\0';
	snprintf(csv, sizeof(csv),
		 "key,title,year,month,day,authors,notes,pubmed_id,pmc_id\n"
		 "rayyan-1,First,2024,3,7,\"Yang, Z.\",\"RAYYAN-%s: x | RAYYAN-LABELS: rct\",12,PMC%s\n"
		 "rayyan-2,Second,2023,,,\"Xu, J.\",plain,13,%s\n", key, digits, digits);
	CHECK_INT(imp_str(&r, NULL, csv), 0);
	CHECK(r.err[0] == '\0');
	CHECK_INT(r.nrec, 2);
	CHECK_INT((int)r.skipped, 0);
	if (r.nrec == 2) {
		const char *n0 = xtra(r.rec[0], "notes", 0);
		CHECK(n0 != NULL && strncmp(n0, "RAYYAN-KKK", 10) == 0 && strlen(n0) == 7 + 300 + 3);
		CHECK_STR(xtra(r.rec[0], "RAYYAN-LABELS", 0), "rct");
		CHECK_STR(fld(r.rec[0], "title"), "First");
		CHECK_STR(fld(r.rec[1], "title"), "Second");
		CHECK(fld(r.rec[0], "pmcid") != NULL && strlen(fld(r.rec[0], "pmcid")) == 203);
		CHECK(fld(r.rec[1], "pmcid") != NULL && strlen(fld(r.rec[1], "pmcid")) == 203);
	}
	imp_free(&r);
}

static void test_map(void)
{
	static const char csv[] = "Headline,Writers,When,Misc\nA study,Doe J; Roe R,2020,x\n,,,only misc\n";
	struct imp_result r;

	/* without --map: no column is known, so the file is not taken as CSV */
	CHECK_INT(imp_str(&r, "csv", csv), -1);
	CHECK(strstr(r.err, "--map") != NULL);
	imp_free(&r);
	CHECK_INT(imp_run_opts(&r, "csv", csv, sizeof(csv) - 1, "title=Headline,authors=Writers,year=When", 0), 0);
	CHECK_INT(r.nrec, 1);
	CHECK_INT(r.skipped, 1); /* the row with only an unmapped column */
	if (r.nrec) {
		CHECK_STR(fld(r.rec[0], "title"), "A study");
		CHECK_STR(item(r.rec[0], "authors", 1), "Roe, R");
		CHECK_INT(wn_record_get_int(r.rec[0], "year", 0), 2020);
		CHECK_STR(xtra(r.rec[0], "Misc", 0), "x");
	}
	imp_free(&r);
	CHECK_INT(imp_run_opts(&r, "csv", csv, sizeof(csv) - 1, "titel=Headline", 0), -1);
	CHECK(strstr(r.err, "unknown field 'titel'") != NULL);
	imp_free(&r);
}

static void test_bad_rows(void)
{
	static const char csv[] =
		"Title,Authors,Year\n"
		"Good one,\"Doe, J\",2001\n"
		"Next good,Roe R,2003\n"
		"Wide,x,2004,extra cell\n"
		"\"Broken quote,x,2002\n"
		"Last good,Poe P,2005\n";
	struct imp_result r;

	CHECK_INT(imp_str(&r, NULL, csv), 0);
	/* the broken row is skipped; the row after it is read again */
	CHECK_INT(r.nrec, 4);
	CHECK_INT(r.skipped, 1);
	CHECK(strstr(r.diags, "unterminated quote") != NULL);
	CHECK(strstr(r.diags, "more fields than the header") != NULL);
	if (r.nrec == 4) {
		CHECK_STR(fld(r.rec[1], "title"), "Next good");
		CHECK_STR(xtra(r.rec[2], "column 4", 0), "extra cell");
		CHECK_STR(fld(r.rec[3], "title"), "Last good");
	}
	imp_free(&r);
	/* markup is not a table */
	CHECK(wn_format_detect((const unsigned char *)"<a>x,y,z</a>\n<b>1,2,3</b>\n", 26, NULL) == NULL ||
	      strcmp(wn_format_detect((const unsigned char *)"<a>x,y,z</a>\n<b>1,2,3</b>\n", 26, NULL)->name, "csv"));
}

static void test_real_files(void)
{
	static const struct { const char *file, *source; int n; } f[] = {
		{ "csv/cinahl.csv", "CINAHL", 10 }, { "csv/cochrane.csv", "Cochrane Central Register of Controlled Trials (CENTRAL)", 3 },
		{ "csv/covidence.csv", NULL, 10 }, { "csv/embase.csv", "Embase", 10 }, { "csv/excel.csv", "Embase", 10 },
		{ "csv/googlescholar.csv", "Google Scholar", 10 }, { "csv/pubmed.csv", "PubMed", 10 },
		{ "csv/rayyan.csv", NULL, 10 }, { "csv/zotero.csv", "Embase", 10 }, { "csv/abstrackr.csv", NULL, 10 },
		{ "csv/lens_5.csv", "Lens.org", 5 }, { "csv/lens_5.tsv", "Lens.org", 5 },
		{ "csv/refworks_5.tsv", NULL, 5 }, { "csv/scopus_3.csv", "Scopus", 3 },
		{ "csv/openalex_2.csv", "OpenAlex", 2 }, { "csv/ieee.csv", "IEEE Xplore", 10 },
		{ "csv/springer.csv", "SpringerLink", 18 }, { "csv/embase_asreview.csv", "Embase", 6 },
		{ NULL, NULL, 0 }
	};
	int i;

	for (i = 0; f[i].file; i++) {
		struct imp_result r;
		size_t len;
		char *buf = slurp(data_path(f[i].file), &len);
		CHECK(buf != NULL);
		if (!buf)
			continue;
		CHECK_INT(imp_run(&r, NULL, buf, len), 0);
		CHECK_INT(r.nrec, f[i].n);
		CHECK_INT(r.skipped, 0);
		if (r.nrec) {
			if (f[i].source)
				CHECK_STR(fld(r.rec[0], "source"), f[i].source);
			CHECK(fld(r.rec[0], "title") != NULL);
		}
		free(buf);
		imp_free(&r);
	}
}

/* Latin-1 bytes, a field longer than the cap, an empty file. */
static void test_bad_input(void)
{
	static const char latin1[] = "Title,Authors\nCaf\xe9,M\xfcller H\n";
	char *buf = malloc(20000);
	struct imp_result r;
	size_t n;

	CHECK_INT(imp_run(&r, NULL, latin1, sizeof(latin1) - 1), 0);
	CHECK_INT(r.nrec, 1);
	if (r.nrec) {
		CHECK_STR(fld(r.rec[0], "title"), "Caf\xc3\xa9");
		CHECK_STR(item(r.rec[0], "authors", 0), "M\xc3\xbcller, H");
	}
	CHECK(strstr(r.diags, "2 bytes of invalid UTF-8") != NULL);
	imp_free(&r);
	if (!buf)
		return;
	n = (size_t)snprintf(buf, 20000, "Title,Abstract\nbefore,x\nhuge,\"");
	memset(buf + n, 'a', 5000);
	n += 5000;
	n += (size_t)snprintf(buf + n, 20000 - n, "\"\nafter,y\n");
	CHECK_INT(imp_run_max(&r, NULL, buf, n, NULL, 0, 1024), 0);
	CHECK_INT(r.nrec, 2);
	CHECK_INT(r.skipped, 1);
	if (r.nrec == 2)
		CHECK_STR(fld(r.rec[1], "title"), "after");
	imp_free(&r);
	free(buf);
	CHECK_INT(imp_run(&r, "csv", "", 0), 0);
	CHECK_INT(r.nrec, 0);
	imp_free(&r);
	/* a header and no rows: nothing, said */
	CHECK_INT(imp_str(&r, NULL, "Title,Authors,Year\n"), 0);
	CHECK_INT(r.nrec, 0);
	CHECK(strstr(r.diags, "no records found") != NULL);
	imp_free(&r);
}

int main(void)
{
	RUN(test_tokenizer);
	RUN(test_guess_delim);
	RUN(test_names);
	RUN(test_dates);
	RUN(test_profiles);
	RUN(test_preamble_and_excel);
	RUN(test_rayyan_notes);
	RUN(test_rayyan_long_key);
	RUN(test_map);
	RUN(test_bad_rows);
	RUN(test_real_files);
	RUN(test_bad_input);
	return wn_test_report();
}

/*
 * test_highlight.c - term matching: whole words, case, phrases across punctuation,
 * truncation and wildcards, query syntax stripped, exclusion over inclusion, terms from
 * a record's "screen" field and from a --highlight file.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wn_test.h"
#include "winnow/highlight.h"

/* The marked text as "text with [+x+] [-y-]" for easy comparison. */
static const char *show(const struct wn_hl *h, const char *s)
{
	static char out[2048];
	unsigned char st[1024];
	size_t n = strlen(s), i, o = 0;

	if (wn_hl_mark(h, s, n, st, NULL) < 0)
		return "(error)";
	for (i = 0; i < n && o < sizeof(out) - 8; i++) {
		if (st[i] && (i == 0 || st[i - 1] != st[i])) {
			out[o++] = '[';
			out[o++] = st[i] == WN_HL_INCLUDE ? '+' : '-';
		}
		out[o++] = s[i];
		if (st[i] && (i + 1 == n || st[i + 1] != st[i])) {
			out[o++] = st[i] == WN_HL_INCLUDE ? '+' : '-';
			out[o++] = ']';
		}
	}
	out[o] = '\0';
	return out;
}

static void test_words(void)
{
	struct wn_hl h;

	wn_hl_init(&h);
	CHECK_INT(wn_hl_add(&h, "care", 4, WN_HL_INCLUDE, NULL), 1);
	CHECK_INT(wn_hl_add(&h, "CARE", 4, WN_HL_INCLUDE, NULL), 0); /* same term */
	CHECK_STR(show(&h, "Care, careful care-home scare CARE."), "[+Care+], careful [+care+]-home scare [+CARE+].");
	wn_hl_truncate(&h, 0);
	CHECK_INT(wn_hl_add(&h, "integrated care", 15, WN_HL_INCLUDE, NULL), 1);
	CHECK_STR(show(&h, "Integrated-care and integrated  care; integrated health care"),
		  "[+Integrated-care+] and [+integrated  care+]; integrated health care");
	wn_hl_truncate(&h, 0);
	CHECK_INT(wn_hl_add(&h, "integrat*", 9, WN_HL_INCLUDE, NULL), 1);
	CHECK_INT(wn_hl_add(&h, "wom?n", 5, WN_HL_INCLUDE, NULL), 1);
	CHECK_INT(wn_hl_add(&h, "behavio$r", 9, WN_HL_INCLUDE, NULL), 1);
	CHECK_STR(show(&h, "Integration, integrated, integrat, disintegrate; women, woman, womyn, wom"),
		  "[+Integration+], [+integrated+], [+integrat+], disintegrate; [+women+], [+woman+], [+womyn+], wom");
	CHECK_STR(show(&h, "behaviour behavior behavr"), "[+behaviour+] [+behavior+] behavr");
	wn_hl_release(&h);
}

static void test_unicode_and_kinds(void)
{
	struct wn_hl h;

	wn_hl_init(&h);
	CHECK_INT(wn_hl_add(&h, "Ärzte", strlen("Ärzte"), WN_HL_INCLUDE, NULL), 1);
	CHECK_INT(wn_hl_add(&h, "private sector", 14, WN_HL_EXCLUDE, NULL), 1);
	CHECK_INT(wn_hl_add(&h, "sector", 6, WN_HL_INCLUDE, NULL), 1);
	CHECK_STR(show(&h, "ÄRZTE und ärzte"), "[+ÄRZTE+] und [+ärzte+]");
	/* exclusion wins where both match */
	CHECK_STR(show(&h, "the private sector and public sector"),
		  "the [-private sector-] and public [+sector+]");
	wn_hl_release(&h);
}

static void test_syntax(void)
{
	struct wn_hl h;

	wn_hl_init(&h);
	CHECK_INT(wn_hl_add(&h, "\"Integrated Care*\"[tiab]", 24, WN_HL_INCLUDE, NULL), 1);
	CHECK_INT(wn_hl_add(&h, "nhs.ti,ab.", 10, WN_HL_INCLUDE, NULL), 1);
	CHECK_INT(wn_hl_add(&h, "TS=(fail*)", 10, WN_HL_INCLUDE, NULL), 1);
	CHECK_INT(wn_hl_add(&h, "***", 3, WN_HL_INCLUDE, NULL), 0);   /* nothing to match */
	CHECK_INT(wn_hl_add(&h, "\"  \"", 4, WN_HL_INCLUDE, NULL), 0);
	CHECK_INT(wn_hl_add(&h, "", 0, WN_HL_INCLUDE, NULL), 0);
	CHECK_STR(show(&h, "NHS integrated carers failed"), "[+NHS+] [+integrated carers+] [+failed+]");
	CHECK_INT(h.n, 3);
	wn_hl_release(&h);
}

static void test_record_terms(void)
{
	struct wn_hl h;
	json_object *rec = json_tokener_parse(
		"{\"id\":\"x\",\"screen\":{\"matched\":[\"#1\",\"#3\"],\"terms\":[\"dinosaur*\",{\"term\":\"feather\"},7],"
		"\"exclude_terms\":[\"bird\"]}}");
	json_object *plain = json_tokener_parse("{\"id\":\"y\",\"screen\":\"nope\"}");

	wn_hl_init(&h);
	CHECK_INT(wn_hl_add(&h, "fossil", 6, WN_HL_INCLUDE, NULL), 1);
	CHECK_INT(wn_hl_add_record(&h, rec, NULL), 3);
	CHECK_STR(show(&h, "Dinosaurs with feathers? A feather, a bird, 1 fossil"),
		  "[+Dinosaurs+] with feathers? A [+feather+], a [-bird-], 1 [+fossil+]");
	wn_hl_truncate(&h, 1);
	CHECK_INT(h.n, 1);
	CHECK_INT(wn_hl_add_record(&h, plain, NULL), 0);
	CHECK_INT(wn_hl_add_record(&h, NULL, NULL), 0);
	json_object_put(rec);
	json_object_put(plain);
	wn_hl_release(&h);
}

static void test_file(void)
{
	const char *tmp = getenv("WINNOW_TEST_TMP");
	char path[300];
	struct wn_hl h;
	struct wn_err err;
	FILE *fp;

	if (tmp && *tmp)
		mkdir(tmp, 0755);
	snprintf(path, sizeof(path), "%s/hl-%ld.txt", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	fp = fopen(path, "wb");
	if (!fp)
		return;
	fputs("\xEF\xBB\xBF# inclusion\r\n+integrated care*\r\n  NHS  \n\n-private sector\n", fp);
	fclose(fp);
	wn_hl_init(&h);
	CHECK_INT(wn_hl_load(&h, path, &err), 0);
	CHECK_INT(h.n, 3);
	CHECK_STR(show(&h, "NHS integrated carers in the private sector"),
		  "[+NHS+] [+integrated carers+] in the [-private sector-]");
	fp = fopen(path, "wb");
	fputs("+ok\n+bad \xff\n", fp);
	fclose(fp);
	CHECK_INT(wn_hl_load(&h, path, &err), -1);
	CHECK(err.code == WN_EFORMAT && strstr(err.msg, ":2: not valid UTF-8"));
	unlink(path);
	CHECK_INT(wn_hl_load(&h, path, &err), -1);
	CHECK(err.code == WN_EIO);
	wn_hl_release(&h);
}

int main(void)
{
	RUN(test_words);
	RUN(test_unicode_and_kinds);
	RUN(test_syntax);
	RUN(test_record_terms);
	RUN(test_file);
	return wn_test_report();
}

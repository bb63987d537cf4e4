/* Unit tests: buf.c, text.c, utf8.c, hash.c */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/buf.h"
#include "winnow/hash.h"
#include "winnow/text.h"
#include "winnow/utf8.h"

static void test_buf_basics(void)
{
	struct wn_buf b;
	struct wn_err err;

	wn_buf_init(&b, 0);
	CHECK(b.data != NULL && b.len == 0 && b.data[0] == '\0');
	CHECK(wn_buf_adds(&b, "abc", &err) == 0);
	CHECK(wn_buf_addf(&b, &err, "-%d-%s", 42, "x") == 0);
	CHECK_STR(b.data, "abc-42-x");
	CHECK(wn_buf_add(&b, "\0z", 2, &err) == 0);
	CHECK_INT(b.len, 10);
	CHECK(b.data[10] == '\0');
	wn_buf_truncate(&b, 3);
	CHECK_STR(b.data, "abc");
	wn_buf_release(&b);
	CHECK(b.len == 0 && b.data[0] == '\0');
}

static void test_buf_cap(void)
{
	struct wn_buf b;
	struct wn_err err;
	char big[100];

	memset(big, 'x', sizeof(big));
	wn_buf_init(&b, 64);
	CHECK(wn_buf_add(&b, big, 64, &err) == 0);
	CHECK(wn_buf_addc(&b, 'y', &err) == -1);
	CHECK(err.code == WN_ELIMIT);
	CHECK_INT(b.len, 64);
	wn_buf_release(&b);
}

static void test_buf_trim_detach(void)
{
	struct wn_buf b;
	char *p;
	size_t n;

	wn_buf_init(&b, 0);
	wn_buf_adds(&b, " \t hello world \r\n", NULL);
	wn_buf_trim(&b);
	CHECK_STR(b.data, "hello world");
	p = wn_buf_detach(&b, &n, NULL);
	CHECK_STR(p, "hello world");
	CHECK_INT(n, 11);
	CHECK(b.len == 0);
	free(p);
	wn_buf_release(&b);
}

static void test_utf8_valid(void)
{
	CHECK(wn_utf8_valid("plain ascii", 11));
	CHECK(wn_utf8_valid("caf\xc3\xa9", 5));
	CHECK(wn_utf8_valid("\xf0\x9f\x98\x80", 4));      /* U+1F600 */
	CHECK(!wn_utf8_valid("caf\xe9", 4));               /* Latin-1 é */
	CHECK(!wn_utf8_valid("\xc0\xaf", 2));              /* overlong '/' */
	CHECK(!wn_utf8_valid("\xed\xa0\x80", 3));          /* surrogate */
	CHECK(!wn_utf8_valid("\xf4\x90\x80\x80", 4));      /* > U+10FFFF */
	CHECK(!wn_utf8_valid("\xe2\x82", 2));              /* truncated */
	CHECK_INT(wn_utf8_first_invalid("abcdefghij\xff", 11), 10);
}

static void test_utf8_repair(void)
{
	struct wn_buf b;

	wn_buf_init(&b, 0);
	/* "café" in Latin-1 and a Windows-1252 en dash */
	CHECK_INT(wn_utf8_repair(&b, "caf\xe9 \x96 ok", 9, NULL), 2);
	CHECK_STR(b.data, "caf\xc3\xa9 \xe2\x80\x93 ok");
	wn_buf_reset(&b);
	CHECK_INT(wn_utf8_repair(&b, "caf\xc3\xa9", 5, NULL), 0);
	CHECK_STR(b.data, "caf\xc3\xa9");
	wn_buf_release(&b);
}

static void test_utf16(void)
{
	struct wn_buf b;
	unsigned long bad = 0;
	const unsigned char le[] = { 'P', 0, 'T', 0, 0xe9, 0, 0x3d, 0xd8, 0x00, 0xde };

	wn_buf_init(&b, 0);
	CHECK(wn_utf16_to_utf8(&b, le, sizeof(le), 0, &bad, NULL) == 0);
	CHECK_STR(b.data, "PT\xc3\xa9\xf0\x9f\x98\x80");
	CHECK_INT(bad, 0);
	wn_buf_reset(&b);
	CHECK(wn_utf16_to_utf8(&b, le, 7, 0, &bad, NULL) == 0); /* odd length */
	CHECK_INT(bad, 1);
	wn_buf_release(&b);
}

static void test_sanitize(void)
{
	struct wn_buf b;

	wn_buf_init(&b, 0);
	CHECK_INT(wn_utf8_sanitize(&b, "a\x1b[2Jb\x07" "c\xc2\x9b" "d\ne", 13, 0, NULL), 3);
	CHECK_STR(b.data, "a?[2Jb?c?d e");
	wn_buf_reset(&b);
	wn_utf8_sanitize(&b, "x\ny\tz", 5, WN_SANITIZE_KEEP_NEWLINE, NULL);
	CHECK_STR(b.data, "x\ny z");
	wn_buf_release(&b);
	CHECK_INT(wn_utf8_width("abc", 3), 3);
	CHECK_INT(wn_utf8_width("\xe4\xb8\xad", 3), 2); /* CJK is wide */
}

static void test_text_clean(void)
{
	struct wn_buf b;
	struct wn_text_stats st = { 0, 0 };

	wn_buf_init(&b, 0);
	{
		static const char raw[] = "  A  title\twith\r\n  breaks \x00" "and NUL ";
		wn_text_clean(&b, raw, sizeof(raw) - 1, 0, &st, NULL);
	}
	CHECK_STR(b.data, "A title with breaks and NUL");
	CHECK_INT(st.controls, 1);
	wn_text_clean(&b, "Para one.\r\n\r\nPara  two.", 23, WN_TEXT_MULTILINE, &st, NULL);
	CHECK_STR(b.data, "Para one.\nPara two.");
	wn_text_clean(&b, "Gr\xfc\xdf" "e", 5, 0, &st, NULL);
	CHECK_STR(b.data, "Gr\xc3\xbc\xc3\x9f" "e");
	CHECK_INT(st.repaired, 2);
	wn_text_clean(&b, " \t\r\n ", 5, 0, &st, NULL);
	CHECK_INT(b.len, 0);
	wn_text_clean(&b, "non\xc2\xa0" "breaking\xe2\x80\x83space", 21, 0, &st, NULL);
	CHECK_STR(b.data, "non breaking space");
	wn_buf_release(&b);
}

static void test_text_helpers(void)
{
	const char *s = "  x y  ";
	size_t n = 7;

	CHECK(wn_text_ieq("PubMed", 6, "pubmed"));
	CHECK(!wn_text_ieq("PubMe", 5, "pubmed"));
	wn_text_trim(&s, &n);
	CHECK_INT(n, 3);
	CHECK_INT(wn_text_find_year("1998 Dec-1999 Jan", 17), 1998);
	CHECK_INT(wn_text_find_year("vol 12345 in 2003//", 19), 2003);
	CHECK_INT(wn_text_find_year("no year", 7), 0);
}

static void test_hash(void)
{
	char hex[17];
	struct wn_hasher h;

	/* fixed seed: the value must never change, ids depend on it */
	wn_hash_hex(wn_hash64("winnow", 6), hex);
	CHECK_INT(strlen(hex), 16);
	wn_hasher_init(&h);
	wn_hasher_add(&h, "win", 3);
	wn_hasher_add(&h, "now", 3);
	CHECK(wn_hasher_final(&h) == wn_hash64("winnow", 6));
	CHECK(wn_hash64("a", 1) != wn_hash64("b", 1));
}

int main(void)
{
	RUN(test_buf_basics);
	RUN(test_buf_cap);
	RUN(test_buf_trim_detach);
	RUN(test_utf8_valid);
	RUN(test_utf8_repair);
	RUN(test_utf16);
	RUN(test_sanitize);
	RUN(test_text_clean);
	RUN(test_text_helpers);
	RUN(test_hash);
	return wn_test_report();
}

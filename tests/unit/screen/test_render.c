/*
 * test_render.c - what the prompt shows: terminal-safe text (escape sequences, C1
 * controls, bidi overrides in record text never reach the terminal), highlight markers
 * and colours, wrapping by display width.
 */
#include <string.h>
#include "wn_test.h"
#include "winnow/buf.h"
#include "winnow/render.h"
#include "winnow/utf8.h"

/* No byte of out may be a control other than \n, and no ESC at all. */
static int no_controls(const struct wn_buf *b)
{
	size_t i, adv;

	for (i = 0; i < b->len; i += adv) {
		int32_t cp = wn_utf8_decode(b->data + i, b->len - i, &adv);
		if (cp < 0 || (cp < 0x20 && cp != '\n') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
		    cp == 0x202E || cp == 0x2066 || cp == 0x200B)
			return 0;
	}
	return 1;
}

/* Every line's display width (ANSI SGR sequences skipped) is at most w. */
static int max_width(const struct wn_buf *b)
{
	size_t i = 0, start = 0;
	int best = 0;

	for (i = 0; i <= b->len; i++) {
		if (i == b->len || b->data[i] == '\n') {
			struct wn_buf plain;
			size_t j = start;
			int w;
			wn_buf_init(&plain, 0);
			while (j < i) {
				if (b->data[j] == '\033') {
					while (j < i && b->data[j] != 'm')
						j++;
					j++;
					continue;
				}
				wn_buf_addc(&plain, b->data[j++], NULL);
			}
			w = (int)wn_utf8_width(plain.data, plain.len);
			best = w > best ? w : best;
			wn_buf_release(&plain);
			start = i + 1;
		}
	}
	return best;
}

static void test_safe(void)
{
	static const char evil[] = "A\x1b]2;pwned\x07 B\x1b[2J\x1b[31mC \xc2\x9b" "31m D\x7f E\xe2\x80\xae"
				   "desrever F\xe2\x81\xa6 G\xe2\x80\x8b H\r\n\t\x01 I \xff end";
	struct wn_buf b;
	long r;

	wn_buf_init(&b, 0);
	r = wn_render_safe(&b, evil, sizeof(evil) - 1, 0, NULL);
	CHECK(r >= 12);
	CHECK(no_controls(&b));
	CHECK(strstr(b.data, "A?]2;pwned? B?[2J?[31mC ?31m D? E?desrever F? G? H") != NULL);
	CHECK(strstr(b.data, " end") != NULL);
	wn_buf_reset(&b);
	wn_render_safe(&b, "line\nnext", 9, 1, NULL);
	CHECK_STR(b.data, "line\nnext");
	wn_buf_reset(&b);
	wn_render_safe(&b, "line\nnext", 9, 0, NULL);
	CHECK_STR(b.data, "line next");
	wn_buf_release(&b);
}

static void test_wrap_and_markers(void)
{
	struct wn_hl h;
	struct wn_render_opts o;
	struct wn_buf b;
	const char *text = "Integrated care in the NHS: a qualitative study of integrated care partnerships "
			   "and the private sector, with a very-very-long-hyphenated-word-that-does-not-fit-anywhere-at-all.";

	wn_hl_init(&h);
	wn_hl_add(&h, "integrated care", 15, WN_HL_INCLUDE, NULL);
	wn_hl_add(&h, "private sector", 14, WN_HL_EXCLUDE, NULL);
	memset(&o, 0, sizeof(o));
	o.width = 30;
	o.hl = &h;
	wn_buf_init(&b, 0);
	CHECK_INT(wn_render_text(&b, text, strlen(text), 0, 2, 0, NULL, &o, NULL), 0);
	CHECK(max_width(&b) <= 30);
	CHECK(strstr(b.data, "[+Integrated care+]") != NULL);
	CHECK(strstr(b.data, "[-private") != NULL);
	CHECK(strstr(b.data, "\033") == NULL); /* no colour: no escape sequence at all */
	CHECK(b.data[b.len - 1] == '\n');
	CHECK(strstr(b.data, "\n  ") != NULL); /* continuation lines indented */
	/* colour: only SGR sequences, every styled line reset before its end */
	wn_buf_reset(&b);
	o.color = 1;
	CHECK_INT(wn_render_text(&b, text, strlen(text), 0, 0, 0, "1", &o, NULL), 0);
	CHECK(strstr(b.data, "\033[0;1;1;32mIntegrated") != NULL);
	CHECK(strstr(b.data, "\033[0;1;1;31mprivate") != NULL);
	CHECK(strstr(b.data, "[+") == NULL);
	{
		size_t i;
		int open = 0, bad = 0;
		for (i = 0; i < b.len; i++) {
			if (b.data[i] == '\033')
				open = strncmp(b.data + i, "\033[0m", 4) != 0;
			if (b.data[i] == '\n' && open)
				bad++;
			if (b.data[i] == '\033' && b.data[i + 1] != '[')
				bad++;
		}
		CHECK_INT(bad, 0);
	}
	CHECK(max_width(&b) <= 30);
	wn_buf_release(&b);
	wn_hl_release(&h);
}

static void test_wide(void)
{
	struct wn_render_opts o;
	struct wn_buf b;
	const char *cjk = "统合医疗统合医疗统合医疗统合医疗统合医疗统合医疗 和 漢字漢字漢字漢字漢字漢字漢字漢字";

	memset(&o, 0, sizeof(o));
	o.width = 20;
	wn_buf_init(&b, 0);
	CHECK_INT(wn_render_text(&b, cjk, strlen(cjk), 0, 0, 1, NULL, &o, NULL), 0);
	CHECK(max_width(&b) <= 20);
	CHECK(max_width(&b) >= 18);
	wn_buf_reset(&b);
	/* a paragraph break in an abstract is kept */
	CHECK_INT(wn_render_text(&b, "BACKGROUND: a.\nMETHODS: b.", 26, 0, 0, 1, NULL, &o, NULL), 0);
	CHECK_STR(b.data, "BACKGROUND: a.\nMETHODS: b.\n");
	wn_buf_release(&b);
}

static void test_record(void)
{
	json_object *rec = json_tokener_parse(
		"{\"id\":\"pubmed:1\",\"source\":\"PubMed\",\"title\":\"\\u001b[2JT\\u00edtulo \\u202eevil\","
		"\"authors\":[\"Smith, J\",\"Doe, \\u001b[31mA\"],\"year\":2019,\"journal\":\"J Care\",\"volume\":\"27\","
		"\"issue\":\"1\",\"pages\":\"83-94\",\"doi\":\"10.1/x\",\"abstract\":\"First.\\nSecond \\u009b2J.\"}");
	struct wn_render_opts o;
	struct wn_buf b;

	memset(&o, 0, sizeof(o));
	o.width = 60;
	wn_buf_init(&b, 0);
	CHECK(rec != NULL);
	CHECK_INT(wn_render_record(&b, rec, &o, NULL), 0);
	CHECK(no_controls(&b));
	CHECK(strncmp(b.data, "?[2JTítulo ?evil\n", strlen("?[2JTítulo ?evil\n")) == 0);
	CHECK(strstr(b.data, "Authors:   Smith, J; Doe, ?[31mA\n") != NULL);
	CHECK(strstr(b.data, "Published: 2019. J Care. 27(1): 83-94\n") != NULL);
	CHECK(strstr(b.data, "Source:    PubMed [pubmed:1] doi:10.1/x\n") != NULL);
	CHECK(strstr(b.data, "\nFirst.\nSecond ?2J.\n") != NULL);
	json_object_put(rec);
	rec = json_tokener_parse("{\"id\":\"x:1\"}");
	wn_buf_reset(&b);
	CHECK_INT(wn_render_record(&b, rec, &o, NULL), 0);
	CHECK(strstr(b.data, "(no title)") && strstr(b.data, "(no abstract)"));
	json_object_put(rec);
	wn_buf_release(&b);
}

static void test_huge_field(void)
{
	struct wn_render_opts o;
	struct wn_buf big, b;

	memset(&o, 0, sizeof(o));
	o.width = 80;
	wn_buf_init(&big, 0);
	wn_buf_init(&b, 0);
	while (big.len < 200000)
		wn_buf_adds(&big, "é word ", NULL);
	CHECK_INT(wn_render_text(&b, big.data, big.len, 0, 0, 1, NULL, &o, NULL), 0);
	CHECK(b.len < 30000);
	CHECK(strstr(b.data, "more bytes not shown") != NULL);
	CHECK(wn_utf8_valid(b.data, b.len));
	wn_buf_release(&big);
	wn_buf_release(&b);
}

int main(void)
{
	RUN(test_safe);
	RUN(test_wrap_and_markers);
	RUN(test_wide);
	RUN(test_record);
	RUN(test_huge_field);
	return wn_test_report();
}

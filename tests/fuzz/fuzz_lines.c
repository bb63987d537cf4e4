/*
 * fuzz_lines.c - input decoding and line splitting (lib/core/input.c: wn_input, text
 * mode, wn_lines), which every text format (RIS, MEDLINE, WoS, CSV, ...) reads through.
 *
 * In byte mode the lines are compared with a reference splitter written here for the
 * purpose (LF, CRLF and a lone CR end a line; a last line without terminator counts;
 * lines over the cap are skipped with code 2 and still numbered). One run in four puts
 * a filler line in front so that the input's own bytes straddle the reader's 256 KiB
 * buffer boundary, where a CR and its LF can arrive in different reads. In text mode
 * (BOM, UTF-16) the lines are only checked for terminators and length.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "winnow/input.h"

#define BOUNDARY (256 * 1024)

/* Next reference line from p[*pos..n): sets *s, *len; returns 0 at the end. */
static int ref_next(const uint8_t *p, size_t n, size_t *pos, const uint8_t **s, size_t *len)
{
	size_t i = *pos;

	if (i >= n)
		return 0;
	*s = p + i;
	while (i < n && p[i] != '\n' && p[i] != '\r')
		i++;
	*len = (size_t)(p + i - *s);
	if (i < n && p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
		i++;
	*pos = i < n ? i + 1 : n;
	return 1;
}

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	static const size_t caps[4] = { 0, 1, 80, 70000 };
	size_t max_line = caps[bits & 3], eff = max_line ? max_line : WN_LINES_DEFAULT_MAX;
	int text = (bits >> 2 & 3) == 0, pad = (bits >> 4 & 3) == 0;
	uint8_t *buf = NULL;
	const uint8_t *p = data;
	size_t n = size, rpos = 0;
	unsigned long ref_lineno = 0;
	struct wn_err err;
	struct wn_input *in;
	struct wn_lines l;
	int compare;

	if (pad) {
		/* filler line: ends (with "\n") 0..63 bytes before the boundary */
		size_t fill = BOUNDARY - 1 - (size_t)(bits >> 8 & 63);
		buf = malloc(fill + 1 + size);
		if (!buf)
			return;
		memset(buf, 'x', fill);
		buf[fill] = '\n';
		memcpy(buf + fill + 1, data, size);
		p = buf;
		n = fill + 1 + size;
	}
	compare = !text && !(n >= 2 && p[0] == 0x1f && p[1] == 0x8b);
	wn_err_clear(&err);
	in = wn_input_from_memory(p, n, "fuzz.txt", &err);
	if (!in)
		goto out;
	if (text && wn_input_text_mode(in, 1, &err) < 0)
		goto close;
	if (wn_lines_init(&l, in, max_line, &err) < 0)
		goto close;
	for (;;) {
		const char *line;
		size_t len;
		int rc = wn_lines_next(&l, &line, &len, &err);

		if (rc < 0)
			break;
		if (rc == 1 && (bits >> 6 & 1)) {
			/* unread must give back exactly the same line */
			const char *again;
			size_t len2;
			wn_lines_unread(&l);
			if (wn_lines_next(&l, &again, &len2, &err) != 1 || len2 != len ||
			    memcmp(again, line, len) != 0)
				wnf_fail("unread did not return the same line");
		}
		if (rc == 1) {
			if (len > eff)
				wnf_fail("line of %zu bytes returned over the cap %zu", len, eff);
			if (line[len] != '\0')
				wnf_fail("line not NUL-terminated");
			if (memchr(line, '\n', len) || memchr(line, '\r', len))
				wnf_fail("line %lu contains a terminator", l.lineno);
		}
		if (compare) {
			const uint8_t *s;
			size_t slen;
			if (!ref_next(p, n, &rpos, &s, &slen)) {
				if (rc != 0)
					wnf_fail("line %lu returned after the reference ended", l.lineno);
				break;
			}
			ref_lineno++;
			if (rc == 0)
				wnf_fail("reader ended at line %lu; the reference has more", ref_lineno);
			if (l.lineno != ref_lineno)
				wnf_fail("line number %lu, reference %lu", l.lineno, ref_lineno);
			if (rc == 2 && slen <= eff)
				wnf_fail("line %lu (%zu bytes) reported too long (cap %zu)", ref_lineno, slen, eff);
			if (rc == 1 && (len != slen || memcmp(line, s, len) != 0))
				wnf_fail("line %lu differs from the reference", ref_lineno);
			if (rc == 1 && slen > eff)
				wnf_fail("line %lu over the cap was returned", ref_lineno);
		} else if (rc == 0) {
			break;
		}
	}
	wn_lines_release(&l);
close:
	wn_input_close(in);
out:
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_run(data, size, pass);
	return 0;
}

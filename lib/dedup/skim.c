/*
 * skim.c - the abstract, checked but not built (see dd.h).
 *
 * Deduplication reads a record's abstract only to know that it has one (completeness,
 * and which fields a kept record may take from its duplicates); its text is written
 * back from the raw line. Yet the abstract is two thirds of a typical line, and json-c
 * builds it character by character into a new string. So before json-c sees a line,
 * the content of its top-level "abstract" string is checked here - as strictly as a
 * JSON parser would: no control character, only the escapes JSON defines, valid
 * UTF-8 - and, when it passes, json-c parses a copy in which
 * that content is one letter. The tokens of the copy are those of the line but for
 * that string's value, so the copy parses exactly when the line does. The content is
 * also held to the rest of the stream reader's rules (wn_jsonl_parse_line), which then
 * sees only the copy: valid UTF-8, and no \u0000 escape. Anything unusual
 * (no compact "abstract":"..." member at the top level, a bad escape, a key inside
 * a nested object) leaves the line to json-c as it is. Sixteen bytes are checked per step
 * with SSE2 where the compiler has it (every x86-64), else eight with the bit tricks of
 * "Bit Twiddling Hacks": a byte below 0x20, a quote, a backslash.
 *
 * Where the cut text was in the line is handed back too: the output pass writes a kept
 * record's abstract from there instead of having json-c build it and escape it again
 * (output.c).
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "dd.h"
#include "winnow/utf8.h"

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Does the word have a byte equal to zero? A byte below n (n <= 128)? */
#define HAS_ZERO(v) (((v) - ONES) & ~(v) & HIGHS)
#define HAS_LESS(v, n) (((v) - ONES * (n)) & ~(v) & HIGHS)

static int hexdigit(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* (dd.h) */
size_t dd_json_string_end(const unsigned char *s, size_t n, size_t i)
{
	int escapes = 0;

	return dd_json_string_end_esc(s, n, i, &escapes);
}

size_t dd_json_string_end_esc(const unsigned char *s, size_t n, size_t i, int *escapes)
{
	for (;;) {
#ifdef __SSE2__
		/* 16 bytes a step, and straight to the byte that stops the scan */
		const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
		const __m128i ctl = _mm_set1_epi8(0x1F);
		while (i + 16 <= n) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
						   _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v)); /* v <= 0x1F */
			int mask = _mm_movemask_epi8(hit);
			if (mask) {
				i += (size_t)__builtin_ctz((unsigned)mask);
				goto stop; /* (s[i] stops the scan: no need to look again) */
			}
			i += 16;
		}
#endif
		while (i + 8 <= n) {
			uint64_t v;
			memcpy(&v, s + i, 8);
			if (HAS_LESS(v, 0x20) || HAS_ZERO(v ^ (ONES * '"')) || HAS_ZERO(v ^ (ONES * '\\')))
				break;
			i += 8;
		}
#ifdef __SSE2__
	stop:
#endif
		if (i >= n)
			return (size_t)-1;
		if (s[i] == '"')
			return i;
		if (s[i] < 0x20)
			return (size_t)-1;
		if (s[i] == '\\') {
			*escapes = 1;
			if (i + 1 >= n)
				return (size_t)-1;
			switch (s[i + 1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				i += 2;
				break;
			case 'u':
				if (i + 6 > n || !hexdigit(s[i + 2]) || !hexdigit(s[i + 3]) ||
				    !hexdigit(s[i + 4]) || !hexdigit(s[i + 5]) ||
				    memcmp(s + i + 2, "0000", 4) == 0)
					return (size_t)-1; /* (\u0000: the parser reports it) */
				i += 6;
				break;
			default:
				return (size_t)-1;
			}
			continue;
		}
		i++;
	}
}

/* Is the member name starting at s[at] (its opening quote) at depth 1, outside any
 * string, right after the object's "{" or a ","? A lexical scan of s[0..at). */
static int top_level_key(const unsigned char *s, size_t at)
{
	size_t i = 0, last = (size_t)-1;
	int depth = 0;

	while (i < at) {
		unsigned char c = s[i];
		if (c == '"') {
			size_t e = dd_json_string_end(s, at, i + 1);
			if (e == (size_t)-1)
				return 0;
			i = e + 1;
			last = e;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			last = i;
		i++;
	}
	return depth == 1 && last != (size_t)-1 && (s[last] == '{' || s[last] == ',');
}

/* The first "abstract":" in s (memmem is a GNU extension). */
static const char *find_key(const char *s, size_t n, const char *key, size_t k)
{
	const char *p = s, *e = s + n;

	while ((size_t)(e - p) >= k && (p = memchr(p, '"', (size_t)(e - p) - k + 1)) != NULL) {
		if (memcmp(p, key, k) == 0)
			return p;
		p++;
	}
	return NULL;
}

int dd_skim_line(const char *line, size_t len, struct wn_buf *buf, const char **out,
		 size_t *outlen, size_t *abs_off, size_t *abs_len, struct wn_err *err)
{
	static const char key[] = "\"abstract\":\"";
	const unsigned char *s = (const unsigned char *)line;
	const char *k;
	size_t at, start, end;

	*out = line;
	*outlen = len;
	if (len < 256)
		return 0; /* nothing worth the copy */
	k = find_key(line, len, key, sizeof(key) - 1);
	if (!k)
		return 0;
	at = (size_t)(k - line);
	start = at + sizeof(key) - 1;
	end = dd_json_string_end(s, len, start);
	if (end == (size_t)-1 || end - start < 64 || !top_level_key(s, at) ||
	    !wn_utf8_valid(line + start, end - start))
		return 0;
	wn_buf_reset(buf);
	if (wn_buf_add(buf, line, start, err) < 0 || wn_buf_addc(buf, 'x', err) < 0 ||
	    wn_buf_add(buf, line + end, len - end, err) < 0)
		return -1;
	*out = buf->data;
	*outlen = buf->len;
	if (abs_off)
		*abs_off = start;
	if (abs_len)
		*abs_len = end - start;
	return 1;
}

/*
 * flat.c - a record line flattened for json-c: its values, without the object around
 * them (see dd.h).
 *
 * The reading pass looks at a record's fields by name only once, and json-c spends
 * about half of its time on a record object itself rather than on its values: a hash
 * table per object, grown once a record has more than ten members, a copy of every
 * key, a hash and a lookup per member, and all of it freed again. So the line is
 * scanned here, one level deep, and json-c parses an array of the member values in the
 * order they came - "[v1,v2,...]" - while dd_flat says which field each item is. On
 * real-sized records that is 40 % less json-c time.
 *
 * json-c still parses every value, with the reader's flags, so what it accepts and the
 * values it builds are those of the object. What json-c no longer sees - the braces,
 * the keys, the colons and commas - is checked here as a strict parser would: a key is
 * valid JSON string text and valid UTF-8; between tokens only JSON white space; no
 * comma before "}"; nothing after the object. Whatever is unusual (a key with an
 * escape, a known key given twice, a member list longer than DD_FLAT_MAX, anything
 * that is no JSON here) makes this return 0, and the line is read as an object, so
 * that json-c's own verdict and message stand. The abstract, read only for its
 * presence, is cut to one letter as dd_skim_line cuts it.
 */
#include <string.h>
#include "dd.h"
#include "winnow/utf8.h"

static size_t skip_ws(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* A scalar (number, true, false, null) is the run of these; json-c judges it. */
static int scalar_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '+' || c == '.';
}

/* The end (one past) of the value starting at s[i], or 0 when it cannot be one: a
 * string to its closing quote, an array or object to its matching bracket (strings
 * inside skipped whole, so a bracket in a string does not count), a scalar to the end
 * of its run. The content of nested values is json-c's to judge. */
static size_t value_end(const unsigned char *s, size_t n, size_t i)
{
	size_t depth = 0;

	if (i >= n)
		return 0;
	if (s[i] == '"') {
		size_t e = dd_json_string_end(s, n, i + 1);
		return e == (size_t)-1 ? 0 : e + 1;
	}
	if (s[i] != '[' && s[i] != '{') {
		size_t j = i;
		while (j < n && scalar_byte(s[j]))
			j++;
		return j > i ? j : 0;
	}
	while (i < n) {
		unsigned char c = s[i];
		if (c == '"') {
			size_t e = dd_json_string_end(s, n, i + 1);
			if (e == (size_t)-1)
				return 0;
			i = e + 1;
			continue;
		}
		if (c == '[' || c == '{') {
			depth++;
		} else if (c == ']' || c == '}') {
			if (--depth == 0)
				return i + 1;
		}
		i++;
	}
	return 0;
}

int dd_flatten_line(const char *line, size_t len, struct wn_buf *buf, struct dd_flat *f,
		    struct wn_err *err)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i;
	uint32_t seen = 0; /* known fields met so far (a second one: json-c keeps the last) */
	char *out;

	f->n = 0;
	f->flags = 0;
	wn_buf_reset(buf);
	i = skip_ws(s, len, 0);
	if (i >= len || s[i] != '{')
		return 0;
	i = skip_ws(s, len, i + 1);
	if (i < len && s[i] == '}')
		return 0; /* {}: rare, and json-c's reading of it stands */
	/* the array is never longer than the line ("{" and "}" become "[" and "]", each
	 * comma stands for one of the line's, keys are left out, the abstract shrinks): room
	 * for all of it at once, and values copied in without a check each */
	if (len >= buf->max)
		return 0; /* (over the buffer's cap: read as an object, its abstract skimmed) */
	if (wn_buf_grow(buf, len + 1, err) < 0)
		return -1;
	out = buf->data;
	*out++ = '[';
	for (;;) {
		size_t kend, vstart, vend;
		int field;

		if (i >= len || s[i] != '"')
			return 0;
		kend = dd_json_string_end(s, len, i + 1);
		if (kend == (size_t)-1 || memchr(s + i + 1, '\\', kend - i - 1))
			return 0; /* an escape in a key: "ti\u0074le" is "title" to json-c */
		field = dd_field_index(line + i + 1, kend - i - 1);
		if (field < 0) {
			if (!wn_utf8_valid(line + i + 1, kend - i - 1))
				return 0;
			f->flags |= DD_FLAT_UNKNOWN;
		} else {
			if (seen & (uint32_t)1 << field)
				return 0;
			seen |= (uint32_t)1 << field;
		}
		i = skip_ws(s, len, kend + 1);
		if (i >= len || s[i] != ':')
			return 0;
		vstart = skip_ws(s, len, i + 1);
		if (!(vend = value_end(s, len, vstart)))
			return 0;
		if (f->n == DD_FLAT_MAX)
			return 0;
		f->field[f->n++] = (uint8_t)(field < 0 ? DD_FLAT_OTHER : field);
		if (f->n > 1)
			*out++ = ',';
		if (field == DD_FIELD_ABSTRACT && s[vstart] == '"' && vend - vstart > 3 &&
		    wn_utf8_valid(line + vstart + 1, vend - vstart - 2)) {
			/* checked as strictly as json-c would (dd_json_string_end, UTF-8), and
			 * read only for its presence */
			memcpy(out, "\"x\"", 3);
			out += 3;
		} else {
			memcpy(out, line + vstart, vend - vstart);
			out += vend - vstart;
		}
		i = skip_ws(s, len, vend);
		if (i < len && s[i] == ',') {
			i = skip_ws(s, len, i + 1);
			continue;
		}
		if (i < len && s[i] == '}')
			break;
		return 0;
	}
	if (skip_ws(s, len, i + 1) != len)
		return 0; /* text after the object */
	*out++ = ']';
	buf->len = (size_t)(out - buf->data);
	buf->data[buf->len] = '\0';
	return 1;
}

/*
 * flat.c - a record line read one level deep, its plain values straight from the line
 * (see dd.h).
 *
 * The reading pass looks at a record's fields by name only once, and json-c spends most
 * of its time on what this stage never reads: a hash table per object, a copy of every
 * key, a new object for every string, all of it freed again. Yet most values of a
 * record line need no parser to be read: a string without an escape is its own bytes
 * (between the quotes), an array of such strings is a list of them, and the year is a
 * small integer. So the line is scanned here, one level deep:
 *
 *  - a plain value - a string without escapes, an array of such strings, an integer of
 *    at most 18 digits, null, true, false, or an object whose members are plain values
 *    of those kinds ("origin": {"file": "...", "index": 1}) - is checked here and read
 *    from the line; its strings are copied, NUL-ended, to f->strs;
 *  - every other value (a string with an escape, a number with a fraction, anything
 *    nested deeper) goes, as written, into an array "[v1,v2,...]" that json-c parses
 *    with the reader's flags (dd_value DD_V_JSON says which item is whose).
 *
 * Nothing is accepted here that json-c (strict mode) would refuse, and nothing is read
 * differently: what is checked here is a small, exact subset of JSON - the line is
 * valid UTF-8 (wn_utf8_valid, stricter than json-c), a string is valid JSON string text
 * with no control character (dd_json_string_end), an integer is -?(0|[1-9][0-9]*) - and
 * the values json-c would build from it are the bytes as they stand. The braces, the
 * keys, the colons and commas are checked as a strict parser would: only JSON white
 * space between tokens, no comma before "}", nothing after the object. Whatever is
 * unusual (a key with an escape, a known key given twice, more than DD_FLAT_MAX
 * members, anything that is no JSON here) makes this return 0, and the line is read as
 * an object, so that json-c's own verdict and message stand. The abstract, read only
 * for its presence, is "x" ("" when empty) once its text is checked: its bytes are
 * written back from the line (output.c). Test: test_flat.c reads every record of the
 * dev sets both ways and compares them; fuzz_dedup.c compares the verdicts and values.
 *
 * Where each member's name and value stand in the line is kept too (key_at, val_at):
 * --keep-apart finds its field there (dd_apart_flat, features.c) and has json-c parse
 * that one value, so it needs no record object either.
 *
 * On the generated benchmark's records this leaves json-c nothing to parse in 99 % of
 * the lines; reading a record costs a quarter fewer instructions than with json-c
 * parsing the values (bench/dedup/README.md).
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/utf8.h"
#include "dd.h"

void dd_flat_init(struct dd_flat *f)
{
	memset(f, 0, sizeof(*f));
	wn_buf_init(&f->text, 0); /* a line of up to --max-line-bytes */
	wn_buf_init(&f->strs, 0);
}

void dd_flat_release(struct dd_flat *f)
{
	wn_buf_release(&f->text);
	wn_buf_release(&f->strs);
	wn_free(f->items);
	f->items = NULL;
	f->nitems = f->itemcap = 0;
}

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

static size_t scalar_end(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && scalar_byte(s[i]))
		i++;
	return i;
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
		size_t j = scalar_end(s, n, i);
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

/* The scalar s[i..j) as a plain value: null, true, false, or an integer json-c reads to
 * the same int64 (at most 18 digits, so it cannot overflow; no leading zero, which
 * strict JSON forbids). DD_V_NONE for anything else (json-c's to judge). */
static int plain_scalar(const unsigned char *s, size_t i, size_t j, int64_t *num)
{
	size_t k = i, digits;
	int64_t v = 0;

	if (j - i == 4 && memcmp(s + i, "null", 4) == 0)
		return DD_V_NULL;
	if ((j - i == 4 && memcmp(s + i, "true", 4) == 0) ||
	    (j - i == 5 && memcmp(s + i, "false", 5) == 0))
		return DD_V_OTHER;
	if (k < j && s[k] == '-')
		k++;
	digits = j - k;
	if (digits == 0 || digits > 18 || (s[k] == '0' && digits > 1))
		return DD_V_NONE;
	for (; k < j; k++) {
		if (s[k] < '0' || s[k] > '9')
			return DD_V_NONE;
		v = v * 10 + (s[k] - '0');
	}
	*num = s[i] == '-' ? -v : v;
	return DD_V_INT;
}

/* The end (one past) of the plain string at s[i] == '"' without escapes, 0 when it is
 * not one (no JSON string here, or one with an escape). */
static size_t plain_string_end(const unsigned char *s, size_t n, size_t i)
{
	int esc = 0;
	size_t e = dd_json_string_end_esc(s, n, i + 1, &esc);

	return e == (size_t)-1 || esc ? 0 : e + 1;
}

/* The end of the plain array at s[i] == '[' - strings without escapes only - or 0. Its
 * items are appended to f->items (copied to *sout); *count says how many. */
static size_t plain_array_end(const unsigned char *s, size_t n, size_t i, struct dd_flat *f,
			      char **sout, size_t *count, struct wn_err *err, int *failed)
{
	*count = 0;
	i = skip_ws(s, n, i + 1);
	if (i < n && s[i] == ']')
		return i + 1;
	for (;;) {
		size_t e, len;
		if (i >= n || s[i] != '"' || !(e = plain_string_end(s, n, i)))
			return 0;
		len = e - i - 2;
		if (dd_grow((void **)&f->items, &f->itemcap, f->nitems + 1, sizeof(*f->items), err) < 0) {
			*failed = 1;
			return 0;
		}
		memcpy(*sout, s + i + 1, len);
		f->items[f->nitems].s = *sout;
		f->items[f->nitems].len = len;
		f->nitems++;
		(*sout)[len] = '\0';
		*sout += len + 1;
		++*count;
		i = skip_ws(s, n, e);
		if (i < n && s[i] == ']')
			return i + 1;
		if (i >= n || s[i] != ',')
			return 0;
		i = skip_ws(s, n, i + 1);
	}
}

/* How deep plain_value_end looks into a value (json-c's own limit is 32 levels). */
#define PLAIN_DEPTH 4

/* The end of the plain value at s[i] - a string without escapes, null, true, false, an
 * integer of plain_scalar's kind, or an array or object of such values, nested at most
 * PLAIN_DEPTH deep - or 0 for anything else. Only checked: nothing in it is read. */
static size_t plain_value_end(const unsigned char *s, size_t n, size_t i, int depth)
{
	size_t e;
	int64_t num;
	unsigned char close;

	if (i >= n)
		return 0;
	if (s[i] == '"')
		return plain_string_end(s, n, i);
	if (s[i] != '[' && s[i] != '{') {
		e = scalar_end(s, n, i);
		return e > i && plain_scalar(s, i, e, &num) != DD_V_NONE ? e : 0;
	}
	if (depth >= PLAIN_DEPTH)
		return 0;
	close = s[i] == '[' ? ']' : '}';
	i = skip_ws(s, n, i + 1);
	if (i < n && s[i] == close)
		return i + 1;
	for (;;) {
		if (close == '}') {
			/* a member name, and its colon */
			if (i >= n || s[i] != '"' || !(e = plain_string_end(s, n, i)))
				return 0;
			i = skip_ws(s, n, e);
			if (i >= n || s[i] != ':')
				return 0;
			i = skip_ws(s, n, i + 1);
		}
		if (!(e = plain_value_end(s, n, i, depth + 1)))
			return 0;
		i = skip_ws(s, n, e);
		if (i < n && s[i] == close)
			return i + 1;
		if (i >= n || s[i] != ',')
			return 0;
		i = skip_ws(s, n, i + 1);
	}
}

/* Read the value at s[i] of a member of field `field` into v: a plain value, or
 * DD_V_JSON when json-c is to read it (the caller copies it to f->text). The end (one
 * past) of the value, 0 when there is none here, (size_t)-1 when memory ran out. */
static size_t read_value(struct dd_flat *f, const unsigned char *s, size_t n, size_t i, int field,
			 struct dd_value *v, char **sout, struct wn_err *err)
{
	size_t e;
	int failed = 0;

	memset(v, 0, sizeof(*v));
	if (i >= n)
		return 0;
	if (field == DD_FLAT_OTHER || !dd_field_is_read(field)) {
		/* a value never read (an unknown field, "origin", "notices"...): checked, and
		 * whether it is null noted (a fill field's presence) */
		if ((e = plain_value_end(s, n, i, 1))) {
			v->type = s[i] == 'n' ? DD_V_NULL : DD_V_OTHER;
			return e;
		}
	} else if (s[i] == '"') {
		int esc = 0;
		e = dd_json_string_end_esc(s, n, i + 1, &esc);
		if (e == (size_t)-1)
			return 0;
		if (field == DD_FIELD_ABSTRACT) {
			/* checked (escapes too, dd_json_string_end) and read only for its presence;
			 * an escape stands for at least one character */
			v->type = DD_V_STR;
			v->s = e > i + 1 ? "x" : "";
			v->n = e > i + 1;
		} else if (esc) {
			v->type = DD_V_JSON;
		} else {
			v->type = DD_V_STR;
			v->n = e - i - 1;
			memcpy(*sout, s + i + 1, v->n);
			(*sout)[v->n] = '\0';
			v->s = *sout;
			*sout += v->n + 1;
		}
		return e + 1;
	} else if (s[i] == '[') {
		size_t first = f->nitems, count;
		e = plain_array_end(s, n, i, f, sout, &count, err, &failed);
		if (failed)
			return (size_t)-1;
		if (e) {
			v->type = DD_V_ARRAY;
			v->n = count;
			v->i = (int64_t)first; /* (the items' place: f->items may still move) */
			return e;
		}
		/* (the items an abandoned array appended stay unused) */
	} else if (s[i] == '{') {
		if ((e = plain_value_end(s, n, i, 1))) {
			v->type = DD_V_OTHER;
			return e;
		}
	} else {
		e = scalar_end(s, n, i);
		if (e == i)
			return 0;
		v->type = (uint8_t)plain_scalar(s, i, e, &v->i);
		if (v->type != DD_V_NONE)
			return e;
	}
	e = value_end(s, n, i);
	if (!e)
		return 0;
	memset(v, 0, sizeof(*v));
	v->type = DD_V_JSON;
	return e;
}

int dd_flatten_line(const char *line, size_t len, struct dd_flat *f, struct wn_err *err)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i, k;
	uint32_t seen = 0; /* known fields met so far (a second one: json-c keeps the last) */
	char *out, *sout;

	f->n = 0;
	f->njson = 0;
	f->flags = 0;
	f->nitems = 0;
	wn_buf_reset(&f->text);
	wn_buf_reset(&f->strs);
	i = skip_ws(s, len, 0);
	if (i >= len || s[i] != '{')
		return 0;
	i = skip_ws(s, len, i + 1);
	if (i < len && s[i] == '}')
		return 0; /* {}: rare, and json-c's reading of it stands */
	/* json-c's array is never longer than the line ("{" and "}" become "[" and "]",
	 * each comma stands for one of the line's, keys are left out), nor are the strings
	 * copied (each loses its two quotes and gains a NUL): room for all of it at once,
	 * so values are copied in without a check each and the strings never move */
	if (len >= f->text.max || len >= f->strs.max)
		return 0; /* (over the buffer's cap: read as an object, its abstract skimmed) */
	if (!wn_utf8_valid(line, len))
		return 0; /* the reader's message names the line */
	if (wn_buf_grow(&f->text, len + 1, err) < 0 || wn_buf_grow(&f->strs, len + 1, err) < 0)
		return -1;
	out = f->text.data;
	sout = f->strs.data;
	*out++ = '[';
	for (;;) {
		size_t kend, vstart, vend, i0 = i;
		int field, esc = 0;
		struct dd_value *v;

		if (i >= len || s[i] != '"')
			return 0;
		kend = dd_json_string_end_esc(s, len, i + 1, &esc);
		if (kend == (size_t)-1 || esc)
			return 0; /* an escape in a key: "ti\u0074le" is "title" to json-c */
		field = dd_field_index(line + i + 1, kend - i - 1);
		if (field < 0) {
			f->flags |= DD_FLAT_UNKNOWN;
			field = DD_FLAT_OTHER;
		} else {
			if (seen & (uint32_t)1 << field)
				return 0;
			seen |= (uint32_t)1 << field;
		}
		i = skip_ws(s, len, kend + 1);
		if (i >= len || s[i] != ':')
			return 0;
		if (f->n == DD_FLAT_MAX)
			return 0;
		vstart = skip_ws(s, len, i + 1);
		v = &f->val[f->n];
		vend = read_value(f, s, len, vstart, field, v, &sout, err);
		if (vend == (size_t)-1)
			return -1;
		if (!vend)
			return 0;
		f->key_at[f->n] = i0 + 1;
		f->key_len[f->n] = kend - i0 - 1;
		f->val_at[f->n] = vstart;
		f->val_len[f->n] = vend - vstart;
		f->field[f->n++] = (uint8_t)field;
		if (v->type == DD_V_JSON) {
			if (f->njson)
				*out++ = ',';
			memcpy(out, line + vstart, vend - vstart);
			out += vend - vstart;
			v->n = f->njson++;
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
	f->text.len = (size_t)(out - f->text.data);
	f->text.data[f->text.len] = '\0';
	f->strs.len = (size_t)(sout - f->strs.data);
	/* the items are all in place now */
	for (k = 0; k < f->n; k++) {
		if (f->val[k].type == DD_V_ARRAY) {
			/* (no items yet at all: an empty array, and no pointer to offset) */
			f->val[k].items = f->items ? f->items + f->val[k].i : NULL;
			f->val[k].i = 0;
		}
	}
	return 1;
}

int dd_value_is_json(const struct dd_value *v, int field, json_object *o)
{
	size_t k;

	switch (v->type) {
	case DD_V_NULL:
		return o == NULL;
	case DD_V_STR:
		if (!json_object_is_type(o, json_type_string))
			return 0;
		if (field == DD_FIELD_ABSTRACT)
			return v->n == (json_object_get_string_len(o) > 0);
		return (size_t)json_object_get_string_len(o) == v->n &&
		       memcmp(json_object_get_string(o), v->s, v->n) == 0 && v->s[v->n] == '\0';
	case DD_V_INT:
		return json_object_is_type(o, json_type_int) && json_object_get_int64(o) == v->i;
	case DD_V_ARRAY:
		if (!json_object_is_type(o, json_type_array) || json_object_array_length(o) != v->n)
			return 0;
		for (k = 0; k < v->n; k++) {
			json_object *it = json_object_array_get_idx(o, k);
			if (!v->items[k].s || !json_object_is_type(it, json_type_string) ||
			    (size_t)json_object_get_string_len(it) != v->items[k].len ||
			    memcmp(json_object_get_string(it), v->items[k].s, v->items[k].len) != 0 ||
			    v->items[k].s[v->items[k].len] != '\0')
				return 0;
		}
		return 1;
	case DD_V_OTHER:
		return o != NULL;
	default:
		return 0;
	}
}

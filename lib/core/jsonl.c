/*
 * jsonl.c - JSON Lines reader and writer (see jsonl.h).
 *
 * The reader sits on wn_lines (so it inherits gzip support, the line cap and CRLF
 * handling) and reuses one json_tokener for every line, in strict mode; the line's bytes
 * are checked with wn_utf8_valid first (json-c's own check is too loose): a line that is
 * accepted is valid JSON and valid UTF-8. A NUL, raw or as the escape \u0000, makes a
 * line bad too: fields are read as C strings, and a cut title is silent loss. After the
 * parse, the values in the tree are counted against the values in the text
 * (wn_json_lost_values), because json-c does not report a member it failed to add.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/jsonl.h"
#include "winnow/output.h"
#include "winnow/utf8.h"

struct wn_jsonl_reader {
	struct wn_input *in;
	int own_input;
	struct wn_lines lines;
	json_tokener *tok;
	unsigned long lineno;
};

struct wn_jsonl_reader *wn_jsonl_from_input(struct wn_input *in, size_t max_line,
					    struct wn_err *err)
{
	struct wn_jsonl_reader *r = wn_calloc(1, sizeof(*r));

	if (!r) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	r->in = in;
	if (wn_lines_init(&r->lines, in, max_line, err) < 0) {
		wn_free(r);
		return NULL;
	}
	r->tok = wn_alloc_should_fail() ? NULL : json_tokener_new();
	if (!r->tok) {
		wn_lines_release(&r->lines);
		wn_free(r);
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(r->tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	return r;
}

struct wn_jsonl_reader *wn_jsonl_open(const char *path, size_t max_line, struct wn_err *err)
{
	struct wn_input *in = wn_input_open(path, NULL, err);
	struct wn_jsonl_reader *r;

	if (!in)
		return NULL;
	r = wn_jsonl_from_input(in, max_line, err);
	if (!r) {
		wn_input_close(in);
		return NULL;
	}
	r->own_input = 1;
	return r;
}

void wn_jsonl_close(struct wn_jsonl_reader *r)
{
	if (!r)
		return;
	if (r->tok)
		json_tokener_free(r->tok);
	wn_lines_release(&r->lines);
	if (r->own_input)
		wn_input_close(r->in);
	wn_free(r);
}

unsigned long wn_jsonl_lineno(const struct wn_jsonl_reader *r) { return r->lineno; }
const char *wn_jsonl_name(const struct wn_jsonl_reader *r) { return wn_input_name(r->in); }

/* The line is the JSON literal null (json-c's only successful parse to NULL). */
static int null_literal(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && wn_isspace((unsigned char)s[i]))
		i++;
	if (n - i < 4 || memcmp(s + i, "null", 4) != 0)
		return 0;
	for (i += 4; i < n; i++)
		if (!wn_isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The text holds the escape \u0000 inside a string (not an escaped backslash followed
 * by "u0000"). json-c keeps the NUL inside the string, but every record field is read
 * as a C string, so the value would be cut there without a word. */
static int has_nul_escape(const char *s, size_t n)
{
	const char *p = s, *e = s + n, *q;

	/* every backslash in turn (memchr: most lines have a few, and a search for the
	 * six bytes cost ten times as much as this on a record line) */
	while ((q = memchr(p, '\\', (size_t)(e - p))) != NULL) {
		size_t before = 0; /* backslashes just before q */
		if (e - q < 6 || memcmp(q + 1, "u0000", 5) != 0) {
			p = q + 1;
			continue;
		}
		while (q - before > s && q[-1 - (ptrdiff_t)before] == '\\')
			before++;
		if (!(before & 1))
			return 1; /* q's backslash is not itself escaped: it starts an escape */
		p = q + 1;
	}
	return 0;
}

static int parse_text(json_tokener *tok, const char *line, size_t len, const char *name,
		      unsigned long lineno, int want_object, json_object **obj, struct wn_err *err)
{
	size_t i;
	json_object *o;
	enum json_tokener_error jerr;

	*obj = NULL;
	if (len > (size_t)INT32_MAX) {
		wn_err_set(err, WN_ELIMIT, "'%s' line %lu: line too long", name, lineno);
		return WN_JSONL_BAD;
	}
	if (memchr(line, '\0', len)) {
		wn_err_set(err, WN_EFORMAT, "'%s' line %lu: NUL byte in a JSON line", name, lineno);
		return WN_JSONL_BAD;
	}
	/* json-c's UTF-8 check (0.16) only follows the byte pattern: it lets overlong forms,
	 * encoded surrogates and code points past U+10FFFF through, which the writer then
	 * writes back as they came. Check the bytes here; \u escapes need no check, json-c
	 * turns an unpaired surrogate into U+FFFD. */
	if (!wn_utf8_valid(line, len)) {
		wn_err_set(err, WN_EFORMAT, "'%s' line %lu: invalid UTF-8", name, lineno);
		return WN_JSONL_BAD;
	}
	if (has_nul_escape(line, len)) {
		wn_err_set(err, WN_EFORMAT,
			   "'%s' line %lu: a string holds \\u0000 (a NUL character), which a record cannot keep",
			   name, lineno);
		return WN_JSONL_BAD;
	}
	json_tokener_reset(tok);
	errno = 0;
	o = json_tokener_parse_ex(tok, line, (int)len);
	jerr = json_tokener_get_error(tok);
	if (errno == ENOMEM || (!o && jerr == json_tokener_success && !null_literal(line, len)) ||
	    (jerr == json_tokener_success && wn_json_lost_values(o, line, len))) {
		/* json-c (0.16) does not report allocation failures while parsing: it returns
		 * NULL without an error, or an object with a member silently left out. The
		 * failed allocation sets errno. Not a bad line: skipping it would lose a
		 * record, keeping it would keep a damaged one. */
		json_object_put(o);
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return WN_JSONL_ERROR;
	}
	if (!o || jerr != json_tokener_success) {
		if (o)
			json_object_put(o);
		if (jerr == json_tokener_continue)
			wn_err_set(err, WN_EFORMAT, "'%s' line %lu: incomplete JSON (truncated line?)",
				   name, lineno);
		else
			wn_err_set(err, WN_EFORMAT, "'%s' line %lu: not valid JSON (%s at byte %zu)",
				   name, lineno, json_tokener_error_desc(jerr),
				   json_tokener_get_parse_end(tok) + (size_t)1);
		return WN_JSONL_BAD;
	}
	for (i = json_tokener_get_parse_end(tok); i < len; i++) {
		if (!wn_isspace((unsigned char)line[i])) {
			json_object_put(o);
			wn_err_set(err, WN_EFORMAT, "'%s' line %lu: more than one JSON value on the line",
				   name, lineno);
			return WN_JSONL_BAD;
		}
	}
	if (want_object && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		wn_err_set(err, WN_EFORMAT, "'%s' line %lu: not a JSON object", name, lineno);
		return WN_JSONL_BAD;
	}
	*obj = o;
	return WN_JSONL_OK;
}

int wn_jsonl_parse_line(json_tokener *tok, const char *line, size_t len, const char *name,
			unsigned long lineno, json_object **obj, struct wn_err *err)
{
	return parse_text(tok, line, len, name, lineno, 1, obj, err);
}

int wn_jsonl_parse_value(json_tokener *tok, const char *text, size_t len, const char *name,
			 unsigned long lineno, json_object **val, struct wn_err *err)
{
	return parse_text(tok, text, len, name, lineno, 0, val, err);
}

const char *wn_jsonl_bad_reason(const struct wn_err *e)
{
	if (e->code == WN_ELIMIT || strstr(e->msg, "too long") || strstr(e->msg, "longer than"))
		return "line too long";
	if (strstr(e->msg, "invalid UTF-8"))
		return "invalid UTF-8";
	if (strstr(e->msg, "NUL byte"))
		return "NUL byte";
	if (strstr(e->msg, "\\u0000"))
		return "NUL escape";
	if (strstr(e->msg, "incomplete JSON"))
		return "truncated JSON";
	if (strstr(e->msg, "not a JSON object"))
		return "not a JSON object";
	if (strstr(e->msg, "more than one JSON value"))
		return "text after the JSON object";
	return "not valid JSON";
}

int wn_jsonl_next(struct wn_jsonl_reader *r, json_object **obj, struct wn_err *err)
{
	const char *line;
	size_t len, i;

	*obj = NULL;
	for (;;) {
		int rc = wn_lines_next(&r->lines, &line, &len, err);
		if (rc < 0)
			return WN_JSONL_ERROR;
		r->lineno = r->lines.lineno;
		if (rc == 0)
			return WN_JSONL_EOF;
		if (rc == 2)
			return WN_JSONL_BAD; /* err names file and line */
		for (i = 0; i < len && wn_isspace((unsigned char)line[i]); i++)
			;
		if (i < len)
			break;
	}
	return wn_jsonl_parse_line(r->tok, line, len, wn_input_name(r->in), r->lineno, obj, err);
}

/* Values in the text: object members plus array elements, at every depth (the root is
 * not counted). A string is jumped over with memchr to its closing quote, one not
 * preceded by an odd number of '\\': this runs on every line read, so it must cost
 * little next to json-c's own parse. */
/* The fewest bytes json-c can build from the string text s[0..n) (between its quotes):
 * every byte as it is but escapes; \" \\ \/ \b \f \n \r \t give one byte each; a \u
 * escape counts none (it gives one to four, or a replacement character: never less). */
static uint64_t string_bytes_min(const char *s, size_t n)
{
	const char *p = s, *e = s + n, *q;
	uint64_t bytes = n;

	while ((q = memchr(p, '\\', (size_t)(e - p))) != NULL) {
		if (q + 1 < e && q[1] == 'u') {
			bytes -= (size_t)(e - q) < 6 ? (size_t)(e - q) : 6;
			p = q + 6;
		} else {
			bytes -= (size_t)(e - q) < 2 ? (size_t)(e - q) : 1;
			p = q + 2;
		}
		if (p >= e)
			break;
	}
	return bytes;
}

uint64_t wn_json_text_values(const char *s, size_t n)
{
	uint64_t bytes;

	return wn_json_text_counts(s, n, &bytes);
}

uint64_t wn_json_text_counts(const char *s, size_t n, uint64_t *bytes)
{
	uint64_t arrays = 0;  /* bit d: the container at depth d is an array */
	uint64_t pending = 0; /* bit d: that array has had no element yet */
	uint64_t count = 0;
	int depth = -1;
	size_t i = 0;

	*bytes = 0;

/* an array element starts here: count it once */
#define ELEMENT_STARTS()                                                                   \
	do {                                                                               \
		if (depth >= 0 && (arrays >> depth & 1) && (pending >> depth & 1)) {       \
			count++;                                                           \
			pending &= ~((uint64_t)1 << depth);                                \
		}                                                                          \
	} while (0)

	while (i < n) {
		char c = s[i];
		if (c == '"') {
			const char *p = s + i + 1, *e = s + n;
			for (;;) {
				const char *q = memchr(p, '"', (size_t)(e - p));
				size_t bs = 0;
				if (!q)
					return count; /* unterminated: the parser rejects it */
				while (q - bs > s + i + 1 && q[-1 - (ptrdiff_t)bs] == '\\')
					bs++;
				p = q + 1;
				if (!(bs & 1))
					break;
			}
			*bytes += string_bytes_min(s + i + 1, (size_t)(p - 1 - (s + i + 1)));
			ELEMENT_STARTS();
			i = (size_t)(p - s);
			continue;
		}
		switch (c) {
		case '{':
		case '[':
			ELEMENT_STARTS();
			if (++depth >= 64)
				return 0;
			if (c == '[') {
				arrays |= (uint64_t)1 << depth;
				pending |= (uint64_t)1 << depth;
			} else {
				arrays &= ~((uint64_t)1 << depth);
			}
			break;
		case '}':
		case ']':
			depth--;
			break;
		case ':':
			count++; /* one member */
			break;
		case ',':
			if (depth >= 0 && (arrays >> depth & 1))
				pending |= (uint64_t)1 << depth;
			break;
		case ' ': case '\t': case '\r': case '\n':
			break;
		default:
			ELEMENT_STARTS(); /* a number or literal */
			break;
		}
		i++;
	}
#undef ELEMENT_STARTS
	return count;
}

uint64_t wn_json_tree_counts(const json_object *o, uint64_t *bytes)
{
	uint64_t count = 0;

	if (!o)
		return 0;
	switch (json_object_get_type(o)) {
	case json_type_object: {
		json_object_object_foreach((json_object *)o, key, val) {
			*bytes += strlen(key);
			count += 1 + wn_json_tree_counts(val, bytes);
		}
		break;
	}
	case json_type_array: {
		size_t i, n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			count += 1 + wn_json_tree_counts(json_object_array_get_idx(o, i), bytes);
		break;
	}
	case json_type_string:
		*bytes += (uint64_t)json_object_get_string_len(o);
		break;
	default:
		break;
	}
	return count;
}

uint64_t wn_json_tree_values(const json_object *o)
{
	uint64_t bytes = 0;

	return wn_json_tree_counts(o, &bytes);
}

int wn_json_lost_values(const json_object *obj, const char *text, size_t len)
{
	uint64_t want, got, want_bytes, got_bytes = 0;

	if (!obj)
		return 0;
	want = wn_json_text_counts(text, len, &want_bytes);
	got = wn_json_tree_counts(obj, &got_bytes);
	if ((got >= want && got_bytes >= want_bytes) || want == 0)
		return 0; /* (0: nested deeper than followed, no verdict) */
	/* Fewer values: a lost value, or a key given twice (json-c keeps the last). Fewer
	 * string bytes: a string json-c cut short when its buffer could not grow (0.16
	 * goes on with what it has), or again a key given twice. Parsing again tells them
	 * apart: duplicates lose the same every time. */
	{
		json_tokener *tok = json_tokener_new();
		json_object *again;
		int lost = 1;
		if (!tok)
			return 1;
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		again = len <= (size_t)INT32_MAX ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
		if (again && json_tokener_get_error(tok) == json_tokener_success) {
			uint64_t again_bytes = 0;
			lost = wn_json_tree_counts(again, &again_bytes) != got || again_bytes != got_bytes;
		}
		json_object_put(again);
		json_tokener_free(tok);
		return lost;
	}
}

const char *wn_json_compact(json_object *obj, size_t *len)
{
	const char *s;
	int saved = errno;

	/* json-c (0.16) does not report a buffer that failed to grow while it serialises:
	 * it leaves that piece out and returns the rest (a record with a field name
	 * missing). The failed allocation sets errno, which is how it is noticed. */
	errno = 0;
	s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE, len);
	if (errno == ENOMEM)
		return NULL;
	errno = saved;
	return s;
}

int wn_json_put(json_object *obj, const char *key, json_object *val)
{
	if (!val || !obj || json_object_object_add(obj, key, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int wn_json_push(json_object *arr, json_object *val)
{
	if (!val || !arr || json_object_array_add(arr, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int wn_jsonl_write(FILE *out, json_object *obj, struct wn_err *err)
{
	size_t len;
	const char *s = wn_json_compact(obj, &len);

	if (!s)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (fwrite(s, 1, len, out) != len || putc('\n', out) == EOF) {
		if (errno == EPIPE)
			return wn_err_set(err, WN_EPIPE, "broken pipe");
		return wn_err_sys(err, errno ? errno : EIO, "cannot write output");
	}
	return 0;
}

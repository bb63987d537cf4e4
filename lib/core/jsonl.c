/*
 * jsonl.c - JSON Lines reader and writer (see jsonl.h).
 *
 * The reader sits on wn_lines (so it inherits gzip support, the line cap and CRLF
 * handling) and reuses one json_tokener for every line, in strict mode; the line's bytes
 * are checked with wn_utf8_valid first (json-c's own check is too loose): a line that is
 * accepted is valid JSON and valid UTF-8.
 */
#include <errno.h>
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

int wn_jsonl_parse_line(json_tokener *tok, const char *line, size_t len, const char *name,
			unsigned long lineno, json_object **obj, struct wn_err *err)
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
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		wn_err_set(err, WN_EFORMAT, "'%s' line %lu: not a JSON object", name, lineno);
		return WN_JSONL_BAD;
	}
	*obj = o;
	return WN_JSONL_OK;
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

/* Values in a tree: the root, every member value, every element. */
static size_t tree_values(const json_object *o, int depth)
{
	size_t n = 1, i, k;

	if (depth > 64)
		return n;
	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach((json_object *)o, key, v) {
			(void)key;
			n += tree_values(v, depth + 1);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		k = json_object_array_length(o);
		for (i = 0; i < k; i++)
			n += tree_values(json_object_array_get_idx(o, i), depth + 1);
	}
	return n;
}

int wn_json_lost_values(const json_object *obj, const char *text, size_t len)
{
	/* Count the values of strict JSON text: a value starts at '{', '[', a string that
	 * is not a key, a number or a literal. A string is a key when its container is an
	 * object expecting one (after '{' or ','). */
	unsigned char in_obj[65];
	int depth = 0, want_key = 0;
	size_t i = 0, n = 0;

	if (!obj)
		return 0;
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		if (c == '"') {
			if (!want_key)
				n++;
			want_key = 0;
			for (i++; i < len && text[i] != '"'; i++)
				if (text[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == 64)
				return 0; /* deeper than followed here: no verdict */
			n++;
			in_obj[++depth] = c == '{';
			want_key = c == '{';
		} else if (c == '}' || c == ']') {
			if (depth > 0)
				depth--;
			want_key = 0;
		} else if (c == ',') {
			want_key = depth > 0 && in_obj[depth];
		} else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
			n++;
			while (i + 1 < len && !strchr(",]} \t\r\n", text[i + 1]))
				i++;
		}
		i++;
	}
	if (tree_values(obj, 0) >= n)
		return 0;
	/* Fewer: a lost value, or a key given twice (json-c keeps the last). Parsing again
	 * tells them apart: duplicates lose the same values every time. */
	{
		json_tokener *tok = json_tokener_new();
		json_object *again;
		int lost = 1;
		if (!tok)
			return 1;
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		again = len <= (size_t)INT32_MAX ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
		if (again && json_tokener_get_error(tok) == json_tokener_success)
			lost = tree_values(again, 0) != tree_values(obj, 0);
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

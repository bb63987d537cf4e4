/*
 * prompt_util.c - helpers shared by the screening sub-commands (see screen_util.h).
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/input.h"
#include "winnow/text.h"
#include "winnow/utf8.h"
#include "screen_util.h"

void screen_reasons_release(struct screen_reasons *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		wn_free(r->items[i]);
	wn_free(r->items);
	memset(r, 0, sizeof(*r));
}

static int add_reason(struct screen_reasons *r, const char *s, size_t n, struct wn_err *err)
{
	size_t i;
	char *copy;

	for (i = 0; i < r->n; i++) {
		if (strlen(r->items[i]) == n && memcmp(r->items[i], s, n) == 0)
			return 0;
	}
	if (r->n >= SCREEN_REASONS_MAX)
		return wn_err_set(err, WN_ELIMIT, "more than %d exclusion reasons", SCREEN_REASONS_MAX);
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;
		char **p = wn_reallocarray(r->items, ncap, sizeof(*p));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		r->items = p;
		r->cap = ncap;
	}
	copy = wn_strndup(s, n);
	if (!copy)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	r->items[r->n++] = copy;
	return 0;
}

int screen_reasons_load(struct screen_reasons *r, const char *path, struct wn_err *err)
{
	struct wn_input *in = wn_input_open(path, NULL, err);
	struct wn_lines lines;
	int rc = 0, criteria = 0;

	if (!in)
		return -1;
	if (wn_input_text_mode(in, 1, err) < 0 || wn_lines_init(&lines, in, 64 << 10, err) < 0) {
		wn_input_close(in);
		return -1;
	}
	for (;;) {
		const char *line;
		size_t len, i;
		int k = wn_lines_next(&lines, &line, &len, err);

		if (k == 0)
			break;
		if (k < 0) {
			rc = -1;
			break;
		}
		if (k == 2 || !wn_utf8_valid(line, len) || memchr(line, '\0', len)) {
			rc = wn_err_set(err, WN_EFORMAT, "%s:%lu: %s", wn_input_name(in), lines.lineno,
					k == 2 ? "a line longer than 64 KiB" : "not valid UTF-8 text");
			break;
		}
		wn_text_trim(&line, &len);
		if (len == 0 || line[0] == '#')
			continue;
		/* a criteria file: only its "reason" lines name reasons */
		if (len > 6 && wn_text_startswith(line, len, "reason") &&
		    (line[6] == ':' || line[6] == '=' || line[6] == ' ')) {
			const char *v = line + 6;
			size_t vl = len - 6;
			while (vl && (*v == ':' || *v == '=' || wn_isspace((unsigned char)*v)))
				v++, vl--;
			if (!criteria) {
				/* earlier plain lines were rule text, not reasons */
				while (r->n)
					wn_free(r->items[--r->n]);
				criteria = 1;
			}
			if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0])
				v++, vl -= 2;
			if (vl && add_reason(r, v, vl, err) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if (criteria)
			continue;
		for (i = 0; i < len; i++) {
			if ((unsigned char)line[i] < 0x20)
				break;
		}
		if (i < len) {
			rc = wn_err_set(err, WN_EFORMAT, "%s:%lu: a control character in a reason",
					wn_input_name(in), lines.lineno);
			break;
		}
		if (len > WN_DECLOG_REASON_MAX) {
			rc = wn_err_set(err, WN_EFORMAT, "%s:%lu: a reason longer than %d bytes",
					wn_input_name(in), lines.lineno, WN_DECLOG_REASON_MAX);
			break;
		}
		if (add_reason(r, line, len, err) < 0) {
			rc = -1;
			break;
		}
	}
	wn_lines_release(&lines);
	wn_input_close(in);
	return rc;
}

void screen_warn_torn(struct wn_io *io, const char *path, const struct wn_declog_scan *scan)
{
	if (!scan->torn_line)
		return;
	if (scan->torn_path[0])
		wn_warning(io, "decision log '%s': its last line (line %lu, %llu bytes) was incomplete - a decision that was never confirmed as saved; it was moved to '%s'",
			   path, scan->torn_line, (unsigned long long)scan->torn_bytes, scan->torn_path);
	else
		wn_warning(io, "decision log '%s': its last line (line %lu, %llu bytes) is incomplete (never confirmed as saved, or being written now) and is not counted",
			   path, scan->torn_line, (unsigned long long)scan->torn_bytes);
}

int screen_ledger_strings(json_object *entry, const char *key, const char *const *items,
			  size_t n, struct wn_err *err)
{
	json_object *arr = wn_ledger_array(entry, key, err);
	size_t i;

	if (!arr)
		return -1;
	for (i = 0; i < n; i++) {
		json_object *s = json_object_new_string(items[i]);
		if (!s || json_object_array_add(arr, s) != 0) {
			json_object_put(s);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	}
	return 0;
}

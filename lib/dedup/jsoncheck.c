/*
 * jsoncheck.c - noticing that json-c lost part of a record (see dd.h).
 *
 * json-c's tokener ignores the result of adding a member to an object or an element to
 * an array, so when an allocation fails in the middle of a parse it returns a valid
 * object that silently lacks a field. For a deduplicator that is the worst kind of
 * failure: a missing DOI changes a decision, a missing field in a merged record is lost
 * data. So every line parsed again here (a kept record and its duplicates when they are
 * merged, the records of the maybe file) is checked - the reader's first parse is
 * checked the same way by wn_jsonl_parse_line (core: wn_json_lost_values): the number of values counted in the text (a
 * fast scan that jumps over strings with memchr) must equal the number of values in the
 * parsed tree. A difference is re-parsed once: duplicate keys in the text give the same
 * (smaller) count again and are accepted as json-c reads them; a failed allocation
 * does not repeat the same way, and if it does the run stops with "out of memory".
 */
#include <string.h>
#include "dd.h"

/* Values in the text: object members plus array elements, at every depth. 0 when the
 * nesting is deeper than 64 (json-c refuses deeper input anyway). */
uint64_t dd_json_text_values(const char *s, size_t n)
{
	uint64_t arrays = 0;       /* bit d: the container at depth d is an array */
	uint64_t pending = 0;      /* bit d: that array has had no element yet */
	uint64_t count = 0;
	int depth = -1;
	size_t i = 0;

	while (i < n) {
		char c = s[i];
		if (c == '"') {
			/* jump to the closing quote: one not preceded by an odd number of '\' */
			const char *p = s + i + 1, *e = s + n;
			for (;;) {
				const char *q = memchr(p, '"', (size_t)(e - p));
				size_t bs = 0;
				if (!q)
					return count; /* unterminated: json-c rejected it already */
				while (q - bs > s + i + 1 && q[-1 - (ptrdiff_t)bs] == '\\')
					bs++;
				p = q + 1;
				if (!(bs & 1))
					break;
			}
			if (depth >= 0 && (arrays >> depth & 1) && (pending >> depth & 1)) {
				count++;
				pending &= ~((uint64_t)1 << depth);
			}
			i = (size_t)(p - s);
			continue;
		}
		switch (c) {
		case '{':
		case '[':
			if (depth >= 0 && (arrays >> depth & 1) && (pending >> depth & 1)) {
				count++;
				pending &= ~((uint64_t)1 << depth);
			}
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
			count++;
			break;
		case ',':
			if (depth >= 0 && (arrays >> depth & 1))
				pending |= (uint64_t)1 << depth;
			break;
		case ' ': case '\t': case '\r': case '\n':
			break;
		default:
			/* a number, true, false or null starting an array element */
			if (depth >= 0 && (arrays >> depth & 1) && (pending >> depth & 1)) {
				count++;
				pending &= ~((uint64_t)1 << depth);
			}
			break;
		}
		i++;
	}
	return count;
}

uint64_t dd_json_tree_values(json_object *o)
{
	uint64_t count = 0;

	if (!o)
		return 0;
	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, val) {
			(void)key;
			count += 1 + dd_json_tree_values(val);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		size_t i, n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			count += 1 + dd_json_tree_values(json_object_array_get_idx(o, i));
	}
	return count;
}

int dd_json_parse_checked(json_tokener *tok, const char *line, size_t len, json_object **obj,
			  struct wn_err *err)
{
	uint64_t want = dd_json_text_values(line, len), got1, got2;
	json_object *again;

	if (!*obj)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	got1 = dd_json_tree_values(*obj);
	if (got1 == want || want == 0)
		return 0;
	json_tokener_reset(tok);
	again = json_tokener_parse_ex(tok, line, (int)len);
	if (!again || json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(again);
		return wn_err_set(err, WN_ENOMEM, "out of memory (a record was read incompletely)");
	}
	got2 = dd_json_tree_values(again);
	if (got2 == want || got2 > got1) {
		/* the second reading is complete (or more so): use it */
		json_object_put(*obj);
		*obj = again;
		if (got2 == want)
			return 0;
		got1 = got2;
		json_tokener_reset(tok);
		again = json_tokener_parse_ex(tok, line, (int)len);
		if (!again || json_tokener_get_error(tok) != json_tokener_success) {
			json_object_put(again);
			return wn_err_set(err, WN_ENOMEM, "out of memory (a record was read incompletely)");
		}
		got2 = dd_json_tree_values(again);
	}
	json_object_put(again);
	if (got2 == got1)
		return 0; /* the same both times: duplicate keys, read as json-c reads them */
	return wn_err_set(err, WN_ENOMEM, "out of memory (a record was read incompletely)");
}

/*
 * jsoncheck.c - noticing that json-c lost part of a record (see dd.h).
 *
 * json-c's tokener ignores the result of adding a member to an object or an element to
 * an array, so when an allocation fails in the middle of a parse it returns a valid
 * object that silently lacks a field. For a deduplicator that is the worst kind of
 * failure: a missing DOI changes a decision, a missing field in a merged record is lost
 * data. So every line parsed again here (a kept record and its duplicates when they are
 * merged, the records of the maybe file) is checked - the reader's first parse is
 * checked the same way by wn_jsonl_parse_line: the number of values counted in the text
 * (wn_json_text_values, a fast scan that jumps over strings with memchr) must equal the
 * number of values in the parsed tree. A difference is re-parsed once: duplicate keys in the text give the same
 * (smaller) count again and are accepted as json-c reads them; a failed allocation
 * does not repeat the same way, and if it does the run stops with "out of memory".
 */
#include <string.h>
#include "dd.h"
#include "winnow/jsonl.h"

int dd_json_parse_checked(json_tokener *tok, const char *line, size_t len, json_object **obj,
			  struct wn_err *err)
{
	uint64_t want = wn_json_text_values(line, len), got1, got2;
	json_object *again;

	if (!*obj)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	got1 = wn_json_tree_values(*obj);
	if (got1 == want || want == 0)
		return 0;
	json_tokener_reset(tok);
	again = json_tokener_parse_ex(tok, line, (int)len);
	if (!again || json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(again);
		return wn_err_set(err, WN_ENOMEM, "out of memory (a record was read incompletely)");
	}
	got2 = wn_json_tree_values(again);
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
		got2 = wn_json_tree_values(again);
	}
	json_object_put(again);
	if (got2 == got1)
		return 0; /* the same both times: duplicate keys, read as json-c reads them */
	return wn_err_set(err, WN_ENOMEM, "out of memory (a record was read incompletely)");
}

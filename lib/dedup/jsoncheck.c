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
 * (wn_json_text_counts, a fast scan that jumps over strings with memchr) must equal the
 * number of values in the parsed tree, and the tree's strings must hold at least the
 * bytes the text's strings make (json-c also goes on with a string cut short when its
 * buffer cannot grow). A difference is re-parsed once: duplicate keys in the text give the same
 * (smaller) count again and are accepted as json-c reads them; a failed allocation
 * does not repeat the same way, and if it does the run stops with "out of memory".
 */
#include <string.h>
#include "dd.h"
#include "winnow/jsonl.h"

struct counts {
	uint64_t values, bytes;
};

static struct counts tree_counts(const json_object *o)
{
	struct counts c;

	c.bytes = 0;
	c.values = wn_json_tree_counts(o, &c.bytes);
	return c;
}

static json_object *parse_again(json_tokener *tok, const char *line, size_t len)
{
	json_object *o;

	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (o && json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

int dd_json_parse_checked(json_tokener *tok, const char *line, size_t len, json_object **obj,
			  struct wn_err *err)
{
	uint64_t want_bytes, want = wn_json_text_counts(line, len, &want_bytes);
	struct counts c1, c2;
	json_object *again;

	if (!*obj)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	c1 = tree_counts(*obj);
	if (want == 0 || (c1.values >= want && c1.bytes >= want_bytes))
		return 0;
	if (!(again = parse_again(tok, line, len)))
		return wn_err_set(err, WN_ENOMEM, "out of memory (a record was read incompletely)");
	c2 = tree_counts(again);
	if (c2.values >= want && c2.bytes >= want_bytes) {
		/* the second reading is complete: use it */
		json_object_put(*obj);
		*obj = again;
		return 0;
	}
	if (c2.values > c1.values || c2.bytes > c1.bytes) {
		/* more complete, not whole: use it, and see whether a third agrees */
		json_object_put(*obj);
		*obj = again;
		c1 = c2;
		if (!(again = parse_again(tok, line, len)))
			return wn_err_set(err, WN_ENOMEM, "out of memory (a record was read incompletely)");
		c2 = tree_counts(again);
	}
	json_object_put(again);
	if (c2.values == c1.values && c2.bytes == c1.bytes)
		return 0; /* the same both times: duplicate keys, read as json-c reads them */
	return wn_err_set(err, WN_ENOMEM, "out of memory (a record was read incompletely)");
}

/*
 * qload.c - reading a query file (see wn_query_load).
 */
#include "winnow/input.h"
#include "winnow/query.h"

struct wn_query *wn_query_load(const char *path, enum wn_qdialect d, struct wn_err *err)
{
	struct wn_input *in = wn_input_open(path, NULL, err);
	struct wn_query *q = NULL;
	struct wn_buf b;

	if (!in)
		return NULL;
	/* room to spare: the slurp grows in 1 MiB steps; longer queries are refused by
	 * the parser (Q007) with a finding, or here when far too long */
	wn_buf_init(&b, WN_QUERY_MAX_BYTES * 4);
	if (wn_input_text_mode(in, 1, err) < 0 || wn_input_slurp(in, &b, err) < 0) {
		if (err && err->code == WN_ELIMIT)
			wn_err_set(err, WN_ELIMIT, "'%s' is longer than %zu bytes: not a search string",
				   wn_input_name(in), WN_QUERY_MAX_BYTES);
		goto out;
	}
	q = wn_query_parse(b.data, b.len, d, err);
out:
	wn_buf_release(&b);
	wn_input_close(in);
	return q;
}

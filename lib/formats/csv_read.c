/*
 * csv_read.c - the delimited-text tokenizer (see csv.h for the rules it follows).
 *
 * Rows are read one physical line at a time (wn_lines: any line ending, capped length)
 * and parsed by a small state machine that keeps its state across lines, so a quoted
 * field spanning lines costs one pass. The raw text of the row is kept next to the
 * parsed cells for the two repairs that need it: reading `"abc"def` as written, and
 * replaying the lines of a row whose quote never closed.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "csv.h"

enum state { S_START, S_UNQ, S_Q, S_QQ };

int wn_csv_init(struct wn_csv *c, struct wn_input *in, char delim, int quoting,
		size_t max_row, struct wn_err *err)
{
	memset(c, 0, sizeof(*c));
	c->delim = delim;
	c->quoting = quoting;
	c->max_row = max_row ? max_row : WN_LINES_DEFAULT_MAX;
	wn_buf_init(&c->raw, c->max_row + 2);
	wn_buf_init(&c->val, c->max_row + 2);
	wn_buf_init(&c->replay, 0);
	if (wn_lines_init(&c->lines, in, max_row, err) < 0)
		return -1;
	c->lines_ok = 1;
	return 0;
}

void wn_csv_release(struct wn_csv *c)
{
	if (c->lines_ok)
		wn_lines_release(&c->lines);
	c->lines_ok = 0;
	wn_buf_release(&c->raw);
	wn_buf_release(&c->val);
	wn_buf_release(&c->replay);
	wn_free(c->off);
	wn_free(c->len);
	c->off = c->len = NULL;
	c->ncells = c->capcells = 0;
}

const char *wn_csv_cell(const struct wn_csv *c, size_t i, size_t *n)
{
	if (i >= c->ncells) {
		*n = 0;
		return "";
	}
	*n = c->len[i];
	return c->val.data + c->off[i];
}

/* Next physical line: from the replay buffer first, then the input. 1/0/-1/2 as
 * wn_lines_next. */
static int physical(struct wn_csv *c, const char **line, size_t *len, struct wn_err *err)
{
	if (c->replay_pos < c->replay.len) {
		const char *s = c->replay.data + c->replay_pos;
		const char *nl = memchr(s, '\n', c->replay.len - c->replay_pos);
		size_t k = nl ? (size_t)(nl - s) : c->replay.len - c->replay_pos;
		*line = s;
		*len = k;
		c->replay_pos += k + (nl ? 1 : 0);
		c->lineno = c->replay_line++;
		if (c->replay_pos >= c->replay.len) {
			/* keep the data valid for this call; reset on the next */
			c->replay_pos = c->replay.len + 1;
		}
		return 1;
	}
	if (c->replay_pos > c->replay.len) {
		wn_buf_reset(&c->replay);
		c->replay_pos = 0;
	}
	{
		int r = wn_lines_next(&c->lines, line, len, err);
		c->lineno = c->lines.lineno;
		return r;
	}
}

static int end_cell(struct wn_csv *c, size_t start, struct wn_err *err)
{
	if (c->ncells == c->capcells) {
		size_t ncap = c->capcells ? c->capcells * 2 : 64;
		size_t *o = wn_reallocarray(c->off, ncap, sizeof(*o)), *l;
		if (!o)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		c->off = o;
		l = wn_reallocarray(c->len, ncap, sizeof(*l));
		if (!l)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		c->len = l;
		c->capcells = ncap;
	}
	c->off[c->ncells] = start;
	c->len[c->ncells] = c->val.len - start;
	c->ncells++;
	return 0;
}

/* Set aside the physical lines after the first of the current row for reading again. */
static int replay_rest(struct wn_csv *c, struct wn_err *err)
{
	const char *nl = memchr(c->raw.data, '\n', c->raw.len);
	struct wn_buf keep;
	size_t from;

	if (!nl)
		return 0;
	from = (size_t)(nl - c->raw.data) + 1;
	/* lines still waiting in the replay buffer come after these */
	wn_buf_init(&keep, 0);
	if (wn_buf_add(&keep, c->raw.data + from, c->raw.len - from, err) < 0 ||
	    (c->replay_pos < c->replay.len &&
	     (wn_buf_addc(&keep, '\n', err) < 0 ||
	      wn_buf_add(&keep, c->replay.data + c->replay_pos, c->replay.len - c->replay_pos, err) < 0))) {
		wn_buf_release(&keep);
		return -1;
	}
	wn_buf_release(&c->replay);
	c->replay = keep;
	c->replay_pos = 0;
	c->replay_line = c->row_line + 1;
	return 0;
}

int wn_csv_next(struct wn_csv *c, struct wn_err *err)
{
	enum state st = S_START;
	size_t cell_val = 0, cell_raw = 0, p = 0;
	const char *line;
	size_t len;
	int r;

	wn_buf_reset(&c->raw);
	wn_buf_reset(&c->val);
	c->ncells = 0;
	r = physical(c, &line, &len, err);
	if (r <= 0 || r == 2) {
		c->row_line = c->lineno;
		return r;
	}
	c->row_line = c->lineno;
	if (wn_buf_add(&c->raw, line, len, err) < 0)
		goto toolong;
	for (;;) {
		/* parse raw[p..] */
		for (; p < c->raw.len; p++) {
			char ch = c->raw.data[p];
			switch (st) {
			case S_START:
				cell_val = c->val.len;
				cell_raw = p;
				if (ch == c->delim) {
					if (end_cell(c, cell_val, err) < 0)
						return -1;
					break;
				}
				if (ch == '"' && c->quoting) {
					st = S_Q;
					break;
				}
				st = S_UNQ;
				if (wn_buf_addc(&c->val, ch, err) < 0)
					return -1;
				break;
			case S_UNQ: {
				/* the common case: a run of ordinary bytes, copied at once */
				size_t q = p;
				while (q < c->raw.len && c->raw.data[q] != c->delim && c->raw.data[q] != '"')
					q++;
				if (q > p) {
					if (wn_buf_add(&c->val, c->raw.data + p, q - p, err) < 0)
						return -1;
					p = q - 1;
					break;
				}
				if (ch == c->delim) {
					if (end_cell(c, cell_val, err) < 0)
						return -1;
					st = S_START;
					break;
				}
				if (ch == '"' && c->quoting) {
					/* `, "x"`: spaces before the opening quote */
					size_t k;
					for (k = cell_val; k < c->val.len && c->val.data[k] == ' '; k++)
						;
					if (k == c->val.len) {
						wn_buf_truncate(&c->val, cell_val);
						cell_raw = p;
						st = S_Q;
						break;
					}
				}
				if (wn_buf_addc(&c->val, ch, err) < 0)
					return -1;
				break;
			}
			case S_Q: {
				const char *qq;
				if (ch == '"') {
					st = S_QQ;
					break;
				}
				/* up to the next quote (or the end of what is read so far) */
				qq = memchr(c->raw.data + p, '"', c->raw.len - p);
				{
					size_t e = qq ? (size_t)(qq - c->raw.data) : c->raw.len;
					if (wn_buf_add(&c->val, c->raw.data + p, e - p, err) < 0)
						return -1;
					p = e - 1;
				}
				break;
			}
			case S_QQ:
				if (ch == '"') {
					st = S_Q;
					if (wn_buf_addc(&c->val, '"', err) < 0)
						return -1;
					break;
				}
				if (ch == c->delim) {
					if (end_cell(c, cell_val, err) < 0)
						return -1;
					st = S_START;
					break;
				}
				/* "abc"def: not a quoted field after all; read it as written */
				wn_buf_truncate(&c->val, cell_val);
				if (wn_buf_add(&c->val, c->raw.data + cell_raw, p - cell_raw, err) < 0 ||
				    wn_buf_addc(&c->val, ch, err) < 0)
					return -1;
				st = S_UNQ;
				break;
			}
		}
		if (st != S_Q) {
			if (end_cell(c, st == S_START ? c->val.len : cell_val, err) < 0)
				return -1;
			return 1;
		}
		/* the quoted field goes on in the next line */
		r = physical(c, &line, &len, err);
		if (r < 0)
			return -1;
		if (r == 2)
			return 2; /* err names the over-long line; the row is lost with it */
		if (r == 0) {
			unsigned long opened = c->row_line;
			if (replay_rest(c, err) < 0)
				return -1;
			return wn_err_set(err, WN_EFORMAT,
					  "quoted field opened on line %lu is never closed; "
					  "the lines after it are read again as rows", opened), 2;
		}
		if (c->raw.len + 1 + len > c->max_row)
			goto toolong;
		if (wn_buf_addc(&c->raw, '\n', err) < 0 || wn_buf_addc(&c->val, '\n', err) < 0 ||
		    wn_buf_add(&c->raw, line, len, err) < 0)
			goto toolong;
		p++; /* the '\n' just joined is in the value already */
	}
toolong:
	if (err && err->code == WN_ENOMEM)
		return -1;
	{
		unsigned long opened = c->row_line;
		if (replay_rest(c, err) < 0)
			return -1;
		return wn_err_set(err, WN_ELIMIT,
				  "row starting on line %lu is longer than %zu bytes (a quote that "
				  "never closes?); the lines after it are read again as rows",
				  opened, c->max_row), 2;
	}
}

/* Per candidate, the field count most rows agree on: a delimiter splits the header and
 * the rows into the same number of fields, while a separator inside values (';' between
 * authors, ',' in titles) varies from row to row. Rows are read as the tokenizer reads
 * them - a quoted field may span lines - and quoted text is not counted. Ties (few
 * rows in the head) go to the delimiter that splits the header, the first row, most. */
char wn_csv_guess_delim(const char *text, size_t n)
{
	static const char cand[] = { '\t', ',', ';', '|' };
	enum { ROWS = 30 };
	size_t counts[4][ROWS], nr = 0, i = 0;
	int k, pick = -1;
	size_t best_freq = 0, best_mode = 0, best_first = 0;

	while (i < n && nr < ROWS) {
		size_t cnt[4] = { 0, 0, 0, 0 };
		int inq = 0, any = 0, ended = 0;
		for (; i < n; i++) {
			char c = text[i];
			if (c == '"') {
				inq = !inq;
			} else if (!inq && (c == '\n' || c == '\r')) {
				ended = 1;
				break;
			} else if (!inq) {
				for (k = 0; k < 4; k++)
					if (c == cand[k])
						cnt[k]++;
			}
			any = 1;
		}
		while (i < n && (text[i] == '\n' || text[i] == '\r'))
			i++;
		if (!any)
			continue;
		if (!ended && nr > 0)
			break; /* the head ends inside this row: its count means nothing */
		for (k = 0; k < 4; k++)
			counts[k][nr] = cnt[k];
		nr++;
	}
	for (k = 0; k < 4; k++) {
		size_t a, b2, mode = 0, freq = 0, first = nr ? counts[k][0] : 0;
		for (a = 0; a < nr; a++) {
			size_t f = 0;
			if (!counts[k][a])
				continue;
			for (b2 = 0; b2 < nr; b2++)
				if (counts[k][b2] == counts[k][a])
					f++;
			if (f > freq || (f == freq && counts[k][a] > mode)) {
				freq = f;
				mode = counts[k][a];
			}
		}
		if (freq && (freq > best_freq ||
			     (freq == best_freq && (first > best_first ||
						    (first == best_first && mode > best_mode))))) {
			best_freq = freq;
			best_mode = mode;
			best_first = first;
			pick = k;
		}
	}
	return pick < 0 ? 0 : cand[pick];
}

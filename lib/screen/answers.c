/*
 * answers.c - reading an answers TSV (see answers.h).
 *
 * Lines come from wn_lines (capped length, any line ending), so a hostile file cannot
 * exhaust memory; an over-long line is one more bad line. Fields are trimmed of spaces
 * (spreadsheets add them) but never otherwise rewritten.
 */
#include <string.h>
#include "winnow/answers.h"
#include "winnow/ascii.h"
#include "winnow/buf.h"
#include "winnow/input.h"
#include "winnow/text.h"
#include "winnow/utf8.h"

#define MAX_FIELDS 4

struct fld {
	const char *p;
	size_t n;
};

static size_t split_tabs(const char *s, size_t n, struct fld *f)
{
	size_t k = 0, start = 0, i;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '\t') {
			if (k == MAX_FIELDS)
				return MAX_FIELDS + 1;
			f[k].p = s + start;
			f[k].n = i - start;
			wn_text_trim(&f[k].p, &f[k].n);
			k++;
			start = i + 1;
		}
	}
	/* trailing empty fields (a spreadsheet's extra tabs) do not count */
	while (k > 0 && f[k - 1].n == 0)
		k--;
	return k;
}

static int is_header(const struct fld *f, size_t k)
{
	return k >= 2 && (wn_text_ieq(f[0].p, f[0].n, "record_id") || wn_text_ieq(f[0].p, f[0].n, "id") ||
			  wn_text_ieq(f[0].p, f[0].n, "record")) &&
	       wn_text_ieq(f[1].p, f[1].n, "decision");
}

static int has_control(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return 1;
	}
	return 0;
}

static const char OOM[] = "out of memory";

/* Check one line; on success fill a (strings copied into b). Returns NULL, why the line
 * is bad, or OOM (an allocation failed: an error, never a bad line). */
static const char *check_line(const char *line, size_t len, enum wn_stage stage,
			      struct wn_answer *a, struct wn_buf *b, struct wn_buf *why)
{
	struct fld f[MAX_FIELDS + 1];
	size_t k, i, off[3];

	if (!wn_utf8_valid(line, len))
		return "not valid UTF-8";
	if (memchr(line, '\0', len))
		return "a NUL byte in the line";
	k = split_tabs(line, len, f);
	if (k > MAX_FIELDS)
		return "too many columns (record_id, decision, reason, note)";
	if (k < 2)
		return "expected record_id<TAB>decision[<TAB>reason]";
	if (f[0].n == 0)
		return "an empty record id";
	if (f[0].n > WN_DECLOG_ID_MAX)
		return "a record id longer than the limit";
	if (has_control(f[0].p, f[0].n))
		return "a control character in the record id";
	a->decision = WN_ACT_NONE;
	if (f[1].n <= 20) {
		char d[24];
		for (i = 0; i < f[1].n; i++)
			d[i] = (char)wn_tolower((unsigned char)f[1].p[i]);
		a->decision = wn_action_parse(d, f[1].n);
	}
	if (!wn_action_is_decision(a->decision)) {
		wn_buf_reset(why);
		if (wn_buf_addf(why, NULL, "unknown decision '%.*s' (include, exclude, maybe or not-retrieved)",
				(int)(f[1].n > 40 ? 40 : f[1].n), f[1].p) < 0)
			return OOM;
		return why->data;
	}
	if (!wn_action_allowed(a->decision, stage))
		return a->decision == WN_ACT_MAYBE
		       ? "'maybe' is not a full-text decision (include, exclude with a reason, or not-retrieved)"
		       : "'not-retrieved' is a full-text decision (title/abstract: include, exclude or maybe)";
	if (k >= 3 && f[2].n && a->decision != WN_ACT_EXCLUDE)
		return "a reason goes with 'exclude' only (is a column shifted?)";
	if (a->decision == WN_ACT_EXCLUDE && stage == WN_STAGE_FT && (k < 3 || f[2].n == 0))
		return "a full-text exclusion needs a reason (third column)";
	if (k >= 3 && f[2].n > WN_DECLOG_REASON_MAX)
		return "a reason longer than the limit";
	if (k >= 4 && f[3].n > WN_DECLOG_NOTE_MAX)
		return "a note longer than the limit";
	if ((k >= 3 && has_control(f[2].p, f[2].n)) || (k >= 4 && has_control(f[3].p, f[3].n)))
		return "a control character in the reason or note";
	wn_buf_reset(b);
	off[0] = 0;
	if (wn_buf_add(b, f[0].p, f[0].n, NULL) < 0 || wn_buf_addc(b, '\0', NULL) < 0)
		return OOM;
	off[1] = b->len;
	if (k >= 3 && (wn_buf_add(b, f[2].p, f[2].n, NULL) < 0 || wn_buf_addc(b, '\0', NULL) < 0))
		return OOM;
	off[2] = b->len;
	if (k >= 4 && (wn_buf_add(b, f[3].p, f[3].n, NULL) < 0 || wn_buf_addc(b, '\0', NULL) < 0))
		return OOM;
	a->id = b->data + off[0];
	a->id_len = f[0].n;
	a->reason = k >= 3 && f[2].n ? b->data + off[1] : NULL;
	a->note = k >= 4 && f[3].n ? b->data + off[2] : NULL;
	return NULL;
}

int wn_answers_read(const char *path, enum wn_stage stage, wn_answers_fn fn,
		    wn_answers_bad_fn bad_fn, void *data, struct wn_answers_stats *stats,
		    struct wn_err *err)
{
	struct wn_answers_stats local;
	struct wn_input *in;
	struct wn_lines lines;
	struct wn_buf b, why, msg;
	int rc = 0;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	in = wn_input_open(path, NULL, err);
	if (!in)
		return -1;
	if (wn_input_text_mode(in, 1, err) < 0 || wn_lines_init(&lines, in, 1 << 20, err) < 0) {
		wn_input_close(in);
		return -1;
	}
	wn_buf_init(&b, 0);
	wn_buf_init(&why, 0);
	wn_buf_init(&msg, 0);
	for (;;) {
		const char *line, *bad = NULL;
		size_t len;
		struct wn_answer a;
		int r = wn_lines_next(&lines, &line, &len, err);

		if (r == 0)
			break;
		if (r < 0) {
			rc = -1;
			break;
		}
		stats->lines++;
		if (r == 2) {
			bad = "a line longer than 1 MiB";
		} else {
			const char *p = line;
			size_t n = len;
			wn_text_trim(&p, &n);
			if (n == 0 || p[0] == '#')
				continue;
			if (lines.lineno == 1 || stats->answers + stats->bad == 0) {
				struct fld f[MAX_FIELDS + 1];
				size_t k = split_tabs(line, len, f);
				if (k <= MAX_FIELDS && is_header(f, k))
					continue;
			}
			memset(&a, 0, sizeof(a));
			bad = check_line(line, len, stage, &a, &b, &why);
			if (bad == OOM) {
				rc = wn_err_set(err, WN_ENOMEM, "out of memory");
				break;
			}
		}
		if (bad) {
			stats->bad++;
			wn_buf_reset(&msg);
			if (wn_buf_addf(&msg, err, "%s:%lu: %s", wn_input_name(in), lines.lineno, bad) < 0) {
				rc = -1;
				break;
			}
			if (!bad_fn) {
				rc = wn_err_set(err, WN_EFORMAT, "%s", msg.data);
				break;
			}
			bad_fn(msg.data, lines.lineno, data);
			continue;
		}
		a.lineno = lines.lineno;
		stats->answers++;
		if (fn) {
			rc = fn(&a, data);
			if (rc)
				break;
		}
	}
	wn_buf_release(&b);
	wn_buf_release(&why);
	wn_buf_release(&msg);
	wn_lines_release(&lines);
	wn_input_close(in);
	return rc;
}

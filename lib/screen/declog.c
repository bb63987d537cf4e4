/*
 * declog.c - the decision log's line format: names, escaping, formatting (declog.h,
 * docs/decision-log.md). Reading is in declog_read.c, durable appending in declog_write.c.
 *
 * Line grammar (fields separated by one TAB, the line ends in LF):
 *   header: "#winnow-decisions" "v1" key=value... "xxh64=<16 hex>"
 *   event:  seq time reviewer record action reason labels note "xxh64=<16 hex>"
 * The checksum is XXH64 (project seed) of every byte of the line before "xxh64=" (so it
 * covers the TAB in front of it). Text fields are escaped so that a field never holds a
 * TAB, LF or other control byte: \\ \t \n \r \xHH, an empty value is "-" and a value
 * that is exactly "-" is written "\-".
 */
#include <stdio.h>
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/buf.h"
#include "winnow/declog.h"
#include "winnow/hash.h"
#include "winnow/text.h"
#include "winnow/timefmt.h"
#include "winnow/utf8.h"
#include "declog_int.h"

/* ---- names ---- */

const char *wn_stage_name(enum wn_stage s)
{
	return s == WN_STAGE_TA ? "ta" : s == WN_STAGE_FT ? "ft" : NULL;
}

const char *wn_stage_title(enum wn_stage s)
{
	return s == WN_STAGE_TA ? "title/abstract" : s == WN_STAGE_FT ? "full text" : "(no stage)";
}

enum wn_stage wn_stage_parse(const char *s)
{
	if (!s)
		return WN_STAGE_NONE;
	if (strcmp(s, "ta") == 0 || strcmp(s, "title-abstract") == 0)
		return WN_STAGE_TA;
	if (strcmp(s, "ft") == 0 || strcmp(s, "full-text") == 0)
		return WN_STAGE_FT;
	return WN_STAGE_NONE;
}

const char *wn_role_name(enum wn_role r)
{
	return r == WN_ROLE_RESOLUTION ? "resolution" : "review";
}

static const char *const action_names[] = {
	[WN_ACT_NONE] = "none",
	[WN_ACT_INCLUDE] = "include",
	[WN_ACT_EXCLUDE] = "exclude",
	[WN_ACT_MAYBE] = "maybe",
	[WN_ACT_NOT_RETRIEVED] = "not-retrieved",
	[WN_ACT_UNDO] = "undo",
	[WN_ACT_NOTE] = "note",
	[WN_ACT_LABEL] = "label",
};

const char *wn_action_name(enum wn_action a)
{
	if ((unsigned)a >= sizeof(action_names) / sizeof(action_names[0]))
		return "none";
	return action_names[a];
}

enum wn_action wn_action_parse(const char *s, size_t n)
{
	unsigned a;

	for (a = WN_ACT_INCLUDE; a <= WN_ACT_LABEL; a++) {
		if (strlen(action_names[a]) == n && memcmp(action_names[a], s, n) == 0)
			return (enum wn_action)a;
	}
	if (wn_text_ieq(s, n, "not_retrieved") || wn_text_ieq(s, n, "notretrieved"))
		return WN_ACT_NOT_RETRIEVED;
	return WN_ACT_NONE;
}

int wn_action_allowed(enum wn_action a, enum wn_stage s)
{
	if (a == WN_ACT_MAYBE)
		return s == WN_STAGE_TA;
	if (a == WN_ACT_NOT_RETRIEVED)
		return s == WN_STAGE_FT;
	return wn_action_is_decision(a);
}

int wn_declog_check_name(const char *name, struct wn_err *err)
{
	size_t n = name ? strlen(name) : 0, i;

	if (n == 0)
		return wn_err_set(err, WN_EUSAGE, "the reviewer name is empty");
	if (n > WN_REVIEWER_MAX)
		return wn_err_set(err, WN_EUSAGE, "the reviewer name is longer than %d bytes",
				  WN_REVIEWER_MAX);
	if (!wn_utf8_valid(name, n))
		return wn_err_set(err, WN_EUSAGE, "the reviewer name is not valid UTF-8");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7F)
			return wn_err_set(err, WN_EUSAGE,
					  "the reviewer name contains a control character");
	}
	if (name[0] == ' ' || name[n - 1] == ' ')
		return wn_err_set(err, WN_EUSAGE,
				  "the reviewer name starts or ends with a space");
	return 0;
}

/* ---- formatting ---- */

int declog_escape(struct wn_buf *out, const char *s, struct wn_err *err)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0, n;

	if (!s || !*s)
		return wn_buf_addc(out, '-', err);
	n = strlen(s);
	if (n == 1 && s[0] == '-')
		return wn_buf_adds(out, "\\-", err);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[4];
		size_t elen = 2;

		if (c >= 0x20 && c != 0x7F && c != '\\')
			continue;
		if (wn_buf_add(out, s + start, i - start, err) < 0)
			return -1;
		esc[0] = '\\';
		switch (c) {
		case '\\': esc[1] = '\\'; break;
		case '\t': esc[1] = 't'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		default:
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			elen = 4;
		}
		if (wn_buf_add(out, esc, elen, err) < 0)
			return -1;
		start = i + 1;
	}
	return wn_buf_add(out, s + start, n - start, err);
}

static int add_checksum(struct wn_buf *out, size_t line_start, struct wn_err *err)
{
	char hex[17];

	wn_hash_hex(wn_hash64(out->data + line_start, out->len - line_start), hex);
	return wn_buf_addf(out, err, "xxh64=%s\n", hex);
}

static int check_text(const char *what, const char *s, size_t max, struct wn_err *err)
{
	size_t n;

	if (!s)
		return 0;
	n = strlen(s);
	if (n > max)
		return wn_err_set(err, WN_EUSAGE, "%s is longer than %zu bytes", what, max);
	if (!wn_utf8_valid(s, n))
		return wn_err_set(err, WN_EUSAGE, "%s is not valid UTF-8", what);
	return 0;
}

int wn_declog_format_header(struct wn_buf *out, const struct wn_declog_header *h,
			    struct wn_err *err)
{
	size_t start = out->len;

	if (wn_buf_addf(out, err, "%s\tv%d\tstage=%s\trole=%s\treviewer=", WN_DECLOG_MAGIC,
			WN_DECLOG_VERSION, wn_stage_name(h->stage), wn_role_name(h->role)) < 0 ||
	    declog_escape(out, h->reviewer, err) < 0 ||
	    wn_buf_addf(out, err, "\tcreated=%s\t", h->created) < 0 ||
	    add_checksum(out, start, err) < 0) {
		wn_buf_truncate(out, start);
		return -1;
	}
	return 0;
}

int wn_declog_format(struct wn_buf *out, uint64_t seq, time_t t, const char *reviewer,
		     const struct wn_declog_event *ev, struct wn_err *err)
{
	size_t start = out->len;
	char iso[32];

	if (!ev->record || !*ev->record)
		return wn_err_set(err, WN_EUSAGE, "an event needs a record id");
	if (ev->action == WN_ACT_NONE || ev->action > WN_ACT_LABEL)
		return wn_err_set(err, WN_EUSAGE, "unknown action");
	if (check_text("the record id", ev->record, WN_DECLOG_ID_MAX, err) < 0 ||
	    check_text("the reason", ev->reason, WN_DECLOG_REASON_MAX, err) < 0 ||
	    check_text("the labels", ev->labels, WN_DECLOG_REASON_MAX, err) < 0 ||
	    check_text("the note", ev->note, WN_DECLOG_NOTE_MAX, err) < 0)
		return -1;
	if (wn_buf_addf(out, err, "%llu\t%s\t", (unsigned long long)seq, wn_time_iso(t, iso)) < 0 ||
	    declog_escape(out, reviewer, err) < 0 || wn_buf_addc(out, '\t', err) < 0 ||
	    declog_escape(out, ev->record, err) < 0 ||
	    wn_buf_addf(out, err, "\t%s\t", wn_action_name(ev->action)) < 0)
		goto fail;
	if (ev->action == WN_ACT_UNDO) {
		if (wn_buf_addf(out, err, "%llu", (unsigned long long)ev->ref) < 0)
			goto fail;
	} else if (declog_escape(out, ev->reason, err) < 0) {
		goto fail;
	}
	if (wn_buf_addc(out, '\t', err) < 0 || declog_escape(out, ev->labels, err) < 0 ||
	    wn_buf_addc(out, '\t', err) < 0 || declog_escape(out, ev->note, err) < 0 ||
	    wn_buf_addc(out, '\t', err) < 0 || add_checksum(out, start, err) < 0)
		goto fail;
	return 0;
fail:
	wn_buf_truncate(out, start);
	return -1;
}


/*
 * declog.c - the decision log: format, checked reading, durable appending (declog.h,
 * docs/decision-log.md).
 *
 * Line grammar (fields separated by one TAB, the line ends in LF):
 *   header: "#winnow-decisions" "v1" key=value... "xxh64=<16 hex>"
 *   event:  seq time reviewer record action reason labels note "xxh64=<16 hex>"
 * The checksum is XXH64 (project seed) of every byte of the line before "xxh64=" (so it
 * covers the TAB in front of it). Text fields are escaped so that a field never holds a
 * TAB, LF or other control byte: \\ \t \n \r \xHH, an empty value is "-" and a value
 * that is exactly "-" is written "\-".
 *
 * Reading classifies a bad line as *tearable* (no LF, checksum mismatch, NUL bytes,
 * wrong field count - what a crash mid-write leaves) or *hard* (a line whose checksum
 * verifies but says something impossible: wrong sequence, another reviewer, unknown
 * action - an edit, not a crash). Only a tearable line with nothing but NUL bytes after
 * it is a torn tail; anything else is corruption, reported with line and byte offset.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/buf.h"
#include "winnow/declog.h"
#include "winnow/hash.h"
#include "winnow/output.h"
#include "winnow/text.h"
#include "winnow/timefmt.h"
#include "winnow/utf8.h"

#define NFIELDS 9
#define HEADER_MAX ((size_t)64 << 10)

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

static int escape(struct wn_buf *out, const char *s, struct wn_err *err)
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
	    escape(out, h->reviewer, err) < 0 ||
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
	    escape(out, reviewer, err) < 0 || wn_buf_addc(out, '\t', err) < 0 ||
	    escape(out, ev->record, err) < 0 ||
	    wn_buf_addf(out, err, "\t%s\t", wn_action_name(ev->action)) < 0)
		goto fail;
	if (ev->action == WN_ACT_UNDO) {
		if (wn_buf_addf(out, err, "%llu", (unsigned long long)ev->ref) < 0)
			goto fail;
	} else if (escape(out, ev->reason, err) < 0) {
		goto fail;
	}
	if (wn_buf_addc(out, '\t', err) < 0 || escape(out, ev->labels, err) < 0 ||
	    wn_buf_addc(out, '\t', err) < 0 || escape(out, ev->note, err) < 0 ||
	    wn_buf_addc(out, '\t', err) < 0 || add_checksum(out, start, err) < 0)
		goto fail;
	return 0;
fail:
	wn_buf_truncate(out, start);
	return -1;
}

/* ---- parsing ---- */

enum bad { BAD_OOM = -1, BAD_NONE = 0, BAD_TEARABLE, BAD_HARD };

struct field {
	const char *p;
	size_t n;
};

/* Split line[0..n) on TABs into at most max fields; returns the count (max + 1 if more). */
static size_t split(const char *line, size_t n, struct field *f, size_t max)
{
	size_t k = 0, start = 0, i;

	for (i = 0; i <= n; i++) {
		if (i == n || line[i] == '\t') {
			if (k == max)
				return max + 1;
			f[k].p = line + start;
			f[k].n = i - start;
			k++;
			start = i + 1;
		}
	}
	return k;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unescape a field into out (appending, NUL-terminated). Sets *none when the field is
 * "-". -1 on a bad escape (*why set) or allocation failure (err set). */
static int unescape(struct wn_buf *out, struct field f, int *none, const char **why,
		    struct wn_err *err)
{
	size_t i;

	*none = 0;
	if (f.n == 1 && f.p[0] == '-') {
		*none = 1;
		return wn_buf_addc(out, '\0', err);
	}
	if (f.n == 0) {
		*why = "an empty field";
		return -1;
	}
	for (i = 0; i < f.n; i++) {
		char c = f.p[i];
		if (c != '\\') {
			if (wn_buf_addc(out, c, err) < 0)
				return -1;
			continue;
		}
		if (++i >= f.n) {
			*why = "a bad escape";
			return -1;
		}
		switch (f.p[i]) {
		case '\\': c = '\\'; break;
		case 't': c = '\t'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case '-': c = '-'; break;
		case 'x':
			if (i + 2 >= f.n || hexval(f.p[i + 1]) < 0 || hexval(f.p[i + 2]) < 0) {
				*why = "a bad escape";
				return -1;
			}
			c = (char)(hexval(f.p[i + 1]) * 16 + hexval(f.p[i + 2]));
			i += 2;
			break;
		default:
			*why = "a bad escape";
			return -1;
		}
		if (wn_buf_addc(out, c, err) < 0)
			return -1;
	}
	return wn_buf_addc(out, '\0', err);
}

static int parse_u64(struct field f, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (f.n == 0 || f.n > 19 || (f.n > 1 && f.p[0] == '0'))
		return -1;
	for (i = 0; i < f.n; i++) {
		if (!wn_isdigit((unsigned char)f.p[i]))
			return -1;
		*v = *v * 10 + (uint64_t)(f.p[i] - '0');
	}
	return 0;
}

/* Verify "xxh64=<hex>" in the last field against the bytes before it. */
static int checksum_ok(const char *line, struct field last)
{
	char hex[17];

	if (last.n != 6 + 16 || memcmp(last.p, "xxh64=", 6) != 0)
		return 0;
	wn_hash_hex(wn_hash64(line, (size_t)(last.p - line)), hex);
	return memcmp(hex, last.p + 6, 16) == 0;
}

/* Parse the header line. Returns BAD_NONE, BAD_TEARABLE or BAD_HARD (*why set). */
static enum bad parse_header(const char *line, size_t n, struct wn_declog_header *h,
			     const char **why)
{
	struct field f[16];
	size_t k, i;
	int have_stage = 0, have_role = 0, have_rev = 0;

	memset(h, 0, sizeof(*h));
	if (n < strlen(WN_DECLOG_MAGIC) || memcmp(line, WN_DECLOG_MAGIC, strlen(WN_DECLOG_MAGIC)) != 0) {
		*why = "not a decision log";
		return BAD_HARD;
	}
	if (memchr(line, '\0', n)) {
		*why = "NUL bytes in the header";
		return BAD_TEARABLE;
	}
	k = split(line, n, f, 15);
	if (k < 3 || k > 15 || !checksum_ok(line, f[k - 1])) {
		*why = "the header's checksum does not match";
		return BAD_TEARABLE;
	}
	if (f[1].n != 2 || f[1].p[0] != 'v' || f[1].p[1] != '0' + WN_DECLOG_VERSION) {
		*why = "an unsupported format version (this winnow reads v1)";
		return BAD_HARD;
	}
	h->version = WN_DECLOG_VERSION;
	for (i = 2; i + 1 < k; i++) {
		const char *eq = memchr(f[i].p, '=', f[i].n);
		size_t kl, vl;
		const char *v;

		if (!eq)
			continue;
		kl = (size_t)(eq - f[i].p);
		v = eq + 1;
		vl = f[i].n - kl - 1;
		if (kl == 5 && memcmp(f[i].p, "stage", 5) == 0) {
			char s[16];
			if (vl >= sizeof(s))
				break;
			memcpy(s, v, vl);
			s[vl] = '\0';
			h->stage = wn_stage_parse(s);
			have_stage = h->stage != WN_STAGE_NONE;
		} else if (kl == 4 && memcmp(f[i].p, "role", 4) == 0) {
			if (vl == 6 && memcmp(v, "review", 6) == 0)
				h->role = WN_ROLE_REVIEW, have_role = 1;
			else if (vl == 10 && memcmp(v, "resolution", 10) == 0)
				h->role = WN_ROLE_RESOLUTION, have_role = 1;
		} else if (kl == 8 && memcmp(f[i].p, "reviewer", 8) == 0) {
			struct wn_buf b;
			struct field fv = { v, vl };
			int none = 0;
			const char *w = NULL;

			wn_buf_init(&b, WN_REVIEWER_MAX + 8);
			if (unescape(&b, fv, &none, &w, NULL) == 0 && !none &&
			    wn_declog_check_name(b.data, NULL) == 0) {
				memcpy(h->reviewer, b.data, strlen(b.data) + 1);
				have_rev = 1;
			}
			wn_buf_release(&b);
		} else if (kl == 7 && memcmp(f[i].p, "created", 7) == 0) {
			if (vl < sizeof(h->created)) {
				memcpy(h->created, v, vl);
				h->created[vl] = '\0';
			}
		}
	}
	if (!have_stage || !have_role || !have_rev) {
		*why = !have_stage ? "the header has no valid stage" :
		       !have_role ? "the header has no valid role" : "the header has no valid reviewer";
		return BAD_HARD;
	}
	return BAD_NONE;
}

struct parser {
	const char *path;
	struct wn_declog_header *h;
	struct wn_buf scratch;
	uint64_t last_seq;
	char reviewer_esc[4 * WN_REVIEWER_MAX + 8]; /* the reviewer as escaped in the log */
	size_t reviewer_esc_len;
};

/* Parse one event line (without LF) into e. Returns BAD_* (with *why). */
static enum bad parse_entry(struct parser *p, const char *line, size_t n,
			    struct wn_declog_entry *e, const char **why, struct wn_err *err)
{
	struct field f[NFIELDS + 1];
	size_t k, off[4];
	int none[4], i;
	uint64_t seq;
	char iso[32];

	if (memchr(line, '\0', n)) {
		*why = "NUL bytes in the line";
		return BAD_TEARABLE;
	}
	k = split(line, n, f, NFIELDS);
	if (k != NFIELDS) {
		*why = "the wrong number of fields";
		return BAD_TEARABLE;
	}
	if (!checksum_ok(line, f[NFIELDS - 1])) {
		*why = "its checksum does not match";
		return BAD_TEARABLE;
	}
	memset(e, 0, sizeof(*e));
	if (parse_u64(f[0], &seq) < 0) {
		*why = "a bad sequence number";
		return BAD_HARD;
	}
	if (seq != p->last_seq + 1) {
		*why = seq <= p->last_seq ? "a sequence number that goes backwards"
					  : "a gap in the sequence numbers (lines are missing)";
		return BAD_HARD;
	}
	if (f[1].n != 20 || (memcpy(iso, f[1].p, 20), iso[20] = '\0', wn_time_parse_iso(iso, &e->time) < 0)) {
		*why = "a bad time";
		return BAD_HARD;
	}
	if (f[2].n != p->reviewer_esc_len || memcmp(f[2].p, p->reviewer_esc, f[2].n) != 0) {
		*why = "another reviewer's name (a log holds one reviewer's decisions)";
		return BAD_HARD;
	}
	e->action = wn_action_parse(f[4].p, f[4].n);
	if (e->action == WN_ACT_NONE || f[4].n != strlen(wn_action_name(e->action))) {
		*why = "an unknown action";
		return BAD_HARD;
	}
	wn_buf_reset(&p->scratch);
	/* record, reason, labels, note -> scratch, NUL-separated */
	for (i = 0; i < 4; i++) {
		static const int idx[4] = { 3, 5, 6, 7 };
		off[i] = p->scratch.len;
		if (i == 1 && e->action == WN_ACT_UNDO) {
			none[i] = 1;
			if (parse_u64(f[5], &e->ref) < 0 || e->ref == 0 || e->ref >= seq) {
				*why = "an undo that names no earlier line";
				return BAD_HARD;
			}
			if (wn_buf_addc(&p->scratch, '\0', err) < 0)
				return BAD_OOM;
			continue;
		}
		*why = NULL;
		if (unescape(&p->scratch, f[idx[i]], &none[i], why, err) < 0)
			return *why ? BAD_HARD : BAD_OOM;
	}
	if (none[0]) {
		*why = "no record id";
		return BAD_HARD;
	}
	if (!wn_utf8_valid(p->scratch.data, p->scratch.len)) {
		*why = "invalid UTF-8";
		return BAD_HARD;
	}
	e->seq = seq;
	e->reviewer = p->h->reviewer;
	e->record = p->scratch.data + off[0];
	e->record_len = strlen(e->record);
	e->reason = none[1] ? NULL : p->scratch.data + off[1];
	e->labels = none[2] ? NULL : p->scratch.data + off[2];
	e->note = none[3] ? NULL : p->scratch.data + off[3];
	if ((e->action == WN_ACT_NOTE && !e->note) || (e->action == WN_ACT_LABEL && !e->labels)) {
		*why = e->action == WN_ACT_NOTE ? "a note line without a note" : "a label line without labels";
		return BAD_HARD;
	}
	return BAD_NONE;
}

/* 1 if p[0..n) starts like a decision log (or is a prefix of the magic: a torn header). */
static int looks_like_log(const char *p, size_t n)
{
	size_t m = strlen(WN_DECLOG_MAGIC);

	while (n > 0 && p[n - 1] == '\0')
		n--; /* a crash can leave zeros where the bytes were not yet written */
	return memcmp(p, WN_DECLOG_MAGIC, n < m ? n : m) == 0;
}

static int only_nuls(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != '\0')
			return 0;
	}
	return 1;
}

/*
 * Scan data[0..len) (the whole file). Fills scan; calls fn per event. Returns 0, the
 * callback's non-zero value, or -1 (err set). *torn_header is set when the only content
 * is a damaged header with nothing after it (a crash while the log was being created).
 */
static int scan_all(const char *path, const char *data, size_t len, wn_declog_fn fn, void *fdata,
		    struct wn_declog_scan *scan, int *torn_header, struct wn_err *err)
{
	struct parser p;
	size_t pos, lineno = 1;
	const char *nl, *why = NULL;
	enum bad bad;
	int rc = 0;

	*torn_header = 0;
	memset(scan, 0, sizeof(*scan));
	scan->file_size = len;
	if (len == 0)
		return wn_err_set(err, WN_EFORMAT, "decision log '%s' is empty", path);
	nl = memchr(data, '\n', len);
	if (!nl || nl - data > (ptrdiff_t)HEADER_MAX) {
		if (looks_like_log(data, len) && !nl) {
			*torn_header = 1;
			scan->torn_line = 1;
			scan->torn_bytes = len;
			return wn_err_set(err, WN_ECORRUPT,
					  "decision log '%s' has only an incomplete header (the session that created it stopped before saving any decision)",
					  path);
		}
		return wn_err_set(err, WN_EFORMAT, "'%s' is not a winnow decision log", path);
	}
	bad = parse_header(data, (size_t)(nl - data), &scan->header, &why);
	if (bad == BAD_TEARABLE && only_nuls(nl + 1, len - (size_t)(nl + 1 - data))) {
		*torn_header = 1;
		scan->torn_line = 1;
		scan->torn_bytes = len;
		return wn_err_set(err, WN_ECORRUPT,
				  "decision log '%s' has only a damaged header (the session that created it stopped before saving any decision)",
				  path);
	}
	if (bad == BAD_HARD && strcmp(why, "not a decision log") == 0)
		return wn_err_set(err, WN_EFORMAT, "'%s' is not a winnow decision log", path);
	if (bad != BAD_NONE)
		return wn_err_set(err, WN_ECORRUPT, "decision log '%s' is damaged at line 1 (byte 0): %s",
				  path, why);
	pos = (size_t)(nl - data) + 1;
	scan->good_size = pos;
	memset(&p, 0, sizeof(p));
	p.path = path;
	p.h = &scan->header;
	wn_buf_init(&p.scratch, 0);
	{
		struct wn_buf esc;
		wn_buf_init(&esc, sizeof(p.reviewer_esc) - 1);
		if (escape(&esc, scan->header.reviewer, err) < 0) {
			wn_buf_release(&esc);
			return -1;
		}
		memcpy(p.reviewer_esc, esc.data, esc.len);
		p.reviewer_esc_len = esc.len;
		wn_buf_release(&esc);
	}
	while (pos < len) {
		struct wn_declog_entry e;
		size_t end, linelen;

		lineno++;
		nl = memchr(data + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - data) : len;
		linelen = end - pos;
		if (!nl) {
			bad = BAD_TEARABLE;
			why = "no end of line";
		} else if (linelen > WN_DECLOG_LINE_MAX) {
			bad = BAD_TEARABLE;
			why = "an over-long line";
		} else {
			bad = parse_entry(&p, data + pos, linelen, &e, &why, err);
			if (bad == BAD_OOM) {
				rc = -1;
				break;
			}
		}
		if (bad != BAD_NONE) {
			size_t next = nl ? end + 1 : len;
			if (bad == BAD_TEARABLE && only_nuls(data + next, len - next)) {
				scan->torn_line = lineno;
				scan->torn_bytes = len - pos;
				break;
			}
			rc = wn_err_set(err, WN_ECORRUPT,
					"decision log '%s' is damaged at line %zu (byte %zu): %s",
					path, lineno, pos, why);
			break;
		}
		e.lineno = lineno;
		e.offset = pos;
		p.last_seq = e.seq;
		scan->entries++;
		scan->last_seq = e.seq;
		pos = end + 1;
		scan->good_size = pos;
		if (fn) {
			rc = fn(&e, fdata);
			if (rc)
				break;
		}
	}
	wn_buf_release(&p.scratch);
	return rc;
}

/* Read from fd (at offset 0) into out, all of it. */
static int slurp_fd(int fd, const char *path, struct wn_buf *out, struct wn_err *err)
{
	off_t off = 0;

	for (;;) {
		ssize_t n;
		if (wn_buf_grow(out, 1 << 16, err) < 0)
			return -1;
		n = pread(fd, out->data + out->len, out->cap - out->len - 1, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return wn_err_sys(err, errno, "cannot read decision log '%s'", path);
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		off += n;
	}
	return 0;
}

/* Read the first line (up to HEADER_MAX bytes) of fd. */
static int read_header_fd(int fd, const char *path, struct wn_declog_header *h, struct wn_err *err)
{
	char *buf = wn_malloc(HEADER_MAX + 1);
	size_t got = 0;
	const char *nl, *why = NULL;
	enum bad bad;
	int rc;

	if (!buf)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	while (got < HEADER_MAX) {
		ssize_t n = pread(fd, buf + got, HEADER_MAX - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = wn_err_sys(err, errno, "cannot read decision log '%s'", path);
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (memchr(buf + got - (size_t)n, '\n', (size_t)n))
			break;
	}
	if (got == 0) {
		rc = wn_err_set(err, WN_EFORMAT, "decision log '%s' is empty", path);
		goto out;
	}
	nl = memchr(buf, '\n', got);
	if (!nl) {
		if (looks_like_log(buf, got))
			rc = wn_err_set(err, WN_ECORRUPT, "decision log '%s' has only an incomplete header", path);
		else
			rc = wn_err_set(err, WN_EFORMAT, "'%s' is not a winnow decision log", path);
		goto out;
	}
	bad = parse_header(buf, (size_t)(nl - buf), h, &why);
	if (bad == BAD_HARD && strcmp(why, "not a decision log") == 0)
		rc = wn_err_set(err, WN_EFORMAT, "'%s' is not a winnow decision log", path);
	else if (bad != BAD_NONE)
		rc = wn_err_set(err, WN_ECORRUPT, "decision log '%s' is damaged at line 1 (byte 0): %s", path, why);
	else
		rc = 0;
out:
	wn_free(buf);
	return rc;
}

int wn_declog_read_header(const char *path, struct wn_declog_header *h, struct wn_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;
	struct stat st;

	if (fd < 0)
		return wn_err_sys(err, errno, "cannot open decision log '%s'", path);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return wn_err_set(err, WN_EUSAGE, "decision log '%s' is a directory", path);
	}
	rc = read_header_fd(fd, path, h, err);
	close(fd);
	return rc;
}

int wn_declog_read(const char *path, wn_declog_fn fn, void *data, struct wn_declog_scan *scan,
		   struct wn_err *err)
{
	struct wn_declog_scan local;
	struct wn_buf all;
	struct stat st;
	int fd, rc, torn_header;

	if (!scan)
		scan = &local;
	memset(scan, 0, sizeof(*scan));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wn_err_sys(err, errno, "cannot open decision log '%s'", path);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return wn_err_set(err, WN_EUSAGE, "decision log '%s' is a directory", path);
	}
	wn_buf_init(&all, 0);
	rc = slurp_fd(fd, path, &all, err);
	close(fd);
	if (rc == 0)
		rc = scan_all(path, all.data, all.len, fn, data, scan, &torn_header, err);
	wn_buf_release(&all);
	return rc;
}

/* ---- writing ---- */

struct wn_declog {
	int fd;
	int failed;          /* a sync failed: refuse every later append */
	int batch;           /* appends are synced by wn_declog_sync, not one by one */
	int dirty;           /* batch appends not yet synced */
	char *path;
	uint64_t size;       /* bytes of good content */
	uint64_t seq;        /* last sequence number */
	struct wn_declog_header h;
	struct wn_buf line;
};

/* pid holding an flock on fd's file, from /proc/locks (Linux); 0 if unknown. */
static long lock_holder(int fd)
{
	struct stat st;
	FILE *fp;
	char line[256];
	long pid = 0;

	if (fstat(fd, &st) < 0)
		return 0;
	fp = fopen("/proc/locks", "re");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		unsigned maj, mn;
		unsigned long long ino;
		long p;
		char kind[16], dummy[16], mode[16];

		if (strstr(line, "->"))
			continue; /* a waiter, not a holder */
		if (sscanf(line, "%*d: %15s %15s %15s %ld %x:%x:%llu", kind, dummy, mode, &p, &maj, &mn,
			   &ino) != 7)
			continue;
		if (strcmp(kind, "FLOCK") == 0 && ino == (unsigned long long)st.st_ino &&
		    maj == major(st.st_dev) && mn == minor(st.st_dev)) {
			pid = p;
			break;
		}
	}
	fclose(fp);
	return pid;
}

static int sync_fd(int fd)
{
#ifdef F_FULLFSYNC
	if (fcntl(fd, F_FULLFSYNC) == 0)
		return 0;
#endif
	if (fdatasync(fd) < 0 && errno != EINVAL)
		return -1;
	return 0;
}

/* Copy data[from..to) of the log to "<path>.torn-<time>[-n]"; its name into out. */
static int set_aside(const char *path, const char *bytes, size_t n, char *out, size_t outsz,
		     struct wn_err *err)
{
	char iso[32];
	int fd = -1, i;

	wn_time_iso(wn_time_now(), iso);
	for (i = 1; i < 1000 && fd < 0; i++) {
		if (i == 1)
			snprintf(out, outsz, "%s.torn-%s", path, iso);
		else
			snprintf(out, outsz, "%s.torn-%s-%d", path, iso, i);
		fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			return wn_err_sys(err, errno, "cannot create '%s' to keep the torn line of '%s'",
					  out, path);
	}
	if (fd < 0)
		return wn_err_set(err, WN_EIO, "cannot find a free name for the torn line of '%s'", path);
	if (wn_write_all(fd, bytes, n) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		return wn_err_sys(err, e, "cannot write '%s'", out);
	}
	if (close(fd) < 0)
		return wn_err_sys(err, errno, "cannot write '%s'", out);
	return wn_fsync_dir_of(out, err);
}

static int write_header(struct wn_declog *log, struct wn_err *err)
{
	wn_buf_reset(&log->line);
	wn_time_iso(wn_time_now(), log->h.created);
	if (wn_declog_format_header(&log->line, &log->h, err) < 0)
		return -1;
	if (wn_write_all(log->fd, log->line.data, log->line.len) < 0) {
		int e = errno;
		if (ftruncate(log->fd, 0) < 0) {
			/* nothing more we can do; the error below is what matters */
		}
		return wn_err_sys(err, e, "cannot write decision log '%s'", log->path);
	}
	if (sync_fd(log->fd) < 0)
		return wn_err_sys(err, errno, "cannot sync decision log '%s'", log->path);
	log->size = log->line.len;
	return wn_fsync_dir_of(log->path, err);
}

static int header_matches(const char *path, const struct wn_declog_header *have,
			  const struct wn_declog_header *want, struct wn_err *err)
{
	if (strcmp(have->reviewer, want->reviewer) != 0)
		return wn_err_set(err, WN_EUSAGE,
				  "decision log '%s' belongs to reviewer '%s', not '%s' (each reviewer keeps their own log; nothing of it was read)",
				  path, have->reviewer, want->reviewer);
	if (have->role != want->role)
		return wn_err_set(err, WN_EUSAGE, "decision log '%s' is a %s log, not a %s log", path,
				  wn_role_name(have->role), wn_role_name(want->role));
	if (have->stage != want->stage)
		return wn_err_set(err, WN_EUSAGE, "decision log '%s' is for the %s stage, not %s",
				  path, wn_stage_title(have->stage), wn_stage_title(want->stage));
	return 0;
}

static int is_remote_fs(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return 0;
	switch ((unsigned long)sf.f_type) {
	case 0x6969UL:      /* NFS */
	case 0x517BUL:      /* SMB */
	case 0xFF534D42UL:  /* CIFS */
	case 0xFE534D42UL:  /* SMB2 */
	case 0x65735546UL:  /* FUSE (sshfs and friends) */
		return 1;
	default:
		return 0;
	}
}

struct wn_declog *wn_declog_open(const char *path, const struct wn_declog_header *want,
				 wn_declog_fn fn, void *data, struct wn_declog_scan *scan,
				 struct wn_err *err)
{
	struct wn_declog_scan local;
	struct wn_declog *log;
	struct wn_buf all;
	struct stat st;
	int torn_header = 0, rc;

	if (!scan)
		scan = &local;
	memset(scan, 0, sizeof(*scan));
	if (!want || want->stage == WN_STAGE_NONE || wn_declog_check_name(want->reviewer, err) < 0) {
		if (want && want->stage == WN_STAGE_NONE)
			wn_err_set(err, WN_EUSAGE, "a decision log needs a stage");
		return NULL;
	}
	log = wn_calloc(1, sizeof(*log));
	if (!log) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	log->fd = -1;
	wn_buf_init(&log->line, 0);
	wn_buf_init(&all, 0);
	log->h = *want;
	log->h.version = WN_DECLOG_VERSION;
	log->path = wn_strdup(path);
	if (!log->path) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto fail;
	}
	log->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (log->fd < 0) {
		wn_err_sys(err, errno, "cannot open decision log '%s'", path);
		goto fail;
	}
	if (fstat(log->fd, &st) < 0) {
		wn_err_sys(err, errno, "cannot stat decision log '%s'", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		wn_err_set(err, WN_EUSAGE, "decision log '%s' is not a regular file", path);
		goto fail;
	}
	if (flock(log->fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK) {
			long pid = lock_holder(log->fd);
			if (pid > 0)
				wn_err_set(err, WN_EBUSY,
					   "decision log '%s' is in use by another process (pid %ld): only one session may write a log at a time",
					   path, pid);
			else
				wn_err_set(err, WN_EBUSY,
					   "decision log '%s' is in use by another process: only one session may write a log at a time",
					   path);
		} else {
			wn_err_sys(err, errno, "cannot lock decision log '%s'", path);
		}
		goto fail;
	}
	scan->remote_fs = is_remote_fs(log->fd);
	if (fstat(log->fd, &st) < 0) {
		wn_err_sys(err, errno, "cannot stat decision log '%s'", path);
		goto fail;
	}
	if (st.st_size > 0) {
		struct wn_declog_header have;
		/* the header alone decides whether this is our log: blinding means another
		 * reviewer's decisions are never read */
		if (read_header_fd(log->fd, path, &have, err) == 0) {
			if (header_matches(path, &have, want, err) < 0)
				goto fail;
		} else if (err && err->code != WN_ECORRUPT) {
			goto fail;
		}
		if (slurp_fd(log->fd, path, &all, err) < 0)
			goto fail;
		rc = scan_all(path, all.data, all.len, fn, data, scan, &torn_header, err);
		if (rc && !torn_header)
			goto fail;
		if (torn_header) {
			if (set_aside(path, all.data, all.len, scan->torn_path, sizeof(scan->torn_path), err) < 0)
				goto fail;
			if (ftruncate(log->fd, 0) < 0) {
				wn_err_sys(err, errno, "cannot truncate decision log '%s'", path);
				goto fail;
			}
			wn_err_clear(err);
			st.st_size = 0;
		} else if (scan->torn_line) {
			if (set_aside(path, all.data + scan->good_size, all.len - scan->good_size,
				      scan->torn_path, sizeof(scan->torn_path), err) < 0)
				goto fail;
			if (ftruncate(log->fd, (off_t)scan->good_size) < 0 || sync_fd(log->fd) < 0) {
				wn_err_sys(err, errno, "cannot truncate decision log '%s'", path);
				goto fail;
			}
		}
	}
	if (st.st_size == 0) {
		if (write_header(log, err) < 0)
			goto fail;
		scan->header = log->h;
		scan->created = 1;
		scan->good_size = log->size;
	} else {
		log->h = scan->header;
		log->size = scan->good_size;
		log->seq = scan->last_seq;
	}
	scan->file_size = log->size;
	wn_buf_release(&all);
	return log;
fail:
	wn_buf_release(&all);
	wn_declog_close(log, NULL);
	return NULL;
}

int wn_declog_append(struct wn_declog *log, const struct wn_declog_event *ev, uint64_t *seq_out,
		     struct wn_err *err)
{
	uint64_t seq = log->seq + 1;

	if (log->failed)
		return wn_err_set(err, WN_EIO,
				  "decision log '%s' could not be synced earlier; no more decisions are taken",
				  log->path);
	wn_buf_reset(&log->line);
	if (wn_declog_format(&log->line, seq, wn_time_now(), log->h.reviewer, ev, err) < 0)
		return -1;
	if (wn_write_all(log->fd, log->line.data, log->line.len) < 0) {
		int e = errno;
		/* cut a partial line off so the file ends on a whole line again (Redis) */
		if (ftruncate(log->fd, (off_t)log->size) < 0)
			log->failed = 1;
		return wn_err_sys(err, e, "cannot write decision log '%s' (the decision was not saved)",
				  log->path);
	}
	if (log->batch) {
		log->dirty = 1;
	} else if (sync_fd(log->fd) < 0) {
		/* never retry a failed sync: the kernel may have dropped the dirty pages and a
		 * second fsync would report success (PostgreSQL "fsyncgate") */
		log->failed = 1;
		return wn_err_sys(err, errno,
				  "could not sync decision log '%s'; the last decision may not be saved",
				  log->path);
	}
	log->size += log->line.len;
	log->seq = seq;
	if (seq_out)
		*seq_out = seq;
	return 0;
}

void wn_declog_set_batch(struct wn_declog *log, int on)
{
	log->batch = on;
}

int wn_declog_sync(struct wn_declog *log, struct wn_err *err)
{
	if (log->failed)
		return wn_err_set(err, WN_EIO, "decision log '%s' could not be synced earlier", log->path);
	if (!log->dirty)
		return 0;
	if (sync_fd(log->fd) < 0) {
		log->failed = 1;
		return wn_err_sys(err, errno, "could not sync decision log '%s'; the decisions just recorded may not be saved",
				  log->path);
	}
	log->dirty = 0;
	return 0;
}

uint64_t wn_declog_last_seq(const struct wn_declog *log)
{
	return log->seq;
}

const struct wn_declog_header *wn_declog_header(const struct wn_declog *log)
{
	return &log->h;
}

int wn_declog_close(struct wn_declog *log, struct wn_err *err)
{
	int rc = 0;

	if (!log)
		return 0;
	if (log->fd >= 0 && close(log->fd) < 0)
		rc = wn_err_sys(err, errno, "cannot close decision log '%s'", log->path ? log->path : "?");
	wn_buf_release(&log->line);
	wn_free(log->path);
	wn_free(log);
	return rc;
}

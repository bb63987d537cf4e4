/*
 * declog_read.c - reading a decision log, checking every line (declog.h).
 *
 * Reading classifies a bad line as *tearable* (no LF, checksum mismatch, NUL bytes,
 * wrong field count - what a crash mid-write leaves) or *hard* (a line whose checksum
 * verifies but says something impossible: wrong sequence, another reviewer, unknown
 * action - an edit, not a crash). Only a tearable line with nothing but NUL bytes after
 * it is a torn tail; anything else is corruption, reported with line and byte offset.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/buf.h"
#include "winnow/declog.h"
#include "winnow/hash.h"
#include "winnow/timefmt.h"
#include "winnow/utf8.h"
#include "declog_int.h"

#define NFIELDS 9
#define HEADER_MAX ((size_t)64 << 10)

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
			/* no allocation here: a name is short, and a failed allocation must
			 * never read as a damaged header */
			char name[WN_REVIEWER_MAX + 1];
			size_t j, o = 0;
			int ok = 1;

			for (j = 0; j < vl && ok; j++) {
				char c = v[j];
				if (c == '\\') {
					c = ++j < vl && (v[j] == '\\' || v[j] == '-') ? v[j] : 0;
					ok = c != 0;
				}
				if (o >= WN_REVIEWER_MAX)
					ok = 0;
				else
					name[o++] = c;
			}
			name[o] = '\0';
			if (ok && !(vl == 1 && v[0] == '-') && wn_declog_check_name(name, NULL) == 0) {
				memcpy(h->reviewer, name, o + 1);
				have_rev = 1;
			}
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
int declog_scan(const char *path, const char *data, size_t len, wn_declog_fn fn, void *fdata,
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
		if (declog_escape(&esc, scan->header.reviewer, err) < 0) {
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
int declog_slurp_fd(int fd, const char *path, struct wn_buf *out, struct wn_err *err)
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
int declog_read_header_fd(int fd, const char *path, struct wn_declog_header *h, struct wn_err *err)
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
	rc = declog_read_header_fd(fd, path, h, err);
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
	rc = declog_slurp_fd(fd, path, &all, err);
	close(fd);
	if (rc == 0)
		rc = declog_scan(path, all.data, all.len, fn, data, scan, &torn_header, err);
	wn_buf_release(&all);
	return rc;
}


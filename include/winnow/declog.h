/*
 * declog.h - the decision log: nothing a reviewer decided is ever lost
 * (docs/decision-log.md, DESIGN.md "Decision logs").
 *
 * One append-only text file per reviewer and stage. The first line is a header (format
 * version, stage, role, reviewer); every other line is one event - a decision, an undo,
 * a note or a label - with a sequence number, the time, the reviewer, the record id and
 * an XXH64 checksum of the bytes before it:
 *
 *   #winnow-decisions<TAB>v1<TAB>stage=ta<TAB>role=review<TAB>reviewer=alice<TAB>created=...<TAB>xxh64=...
 *   1<TAB>2026-01-01T10:22:03Z<TAB>alice<TAB>pubmed:31234567<TAB>include<TAB>-<TAB>-<TAB>-<TAB>xxh64=...
 *
 * Writing (wn_declog_open + wn_declog_append) follows the never-lose-a-decision recipe of
 * style-reliability.md B.3: the file is opened O_APPEND and held under an exclusive
 * flock for the whole session (a second writer is refused, naming the holder's pid); a
 * line is formatted whole, written with one write loop, and fdatasync'd before
 * wn_declog_append returns - only then may the prompt say "saved". A failed write is
 * cut back off (ftruncate); a failed sync is never retried (after fsyncgate, a retried
 * fsync can lie): the log refuses further appends and the tool must stop.
 *
 * Reading (wn_declog_read, and the scan inside wn_declog_open) checks every line: its
 * checksum, the sequence (each line is the previous + 1), the reviewer. A bad *last*
 * line was never confirmed (a crash or power cut mid-write): readers skip it and report
 * it; the writer moves its bytes to "<log>.torn-<time>" and truncates. A bad line
 * anywhere *before* the last is corruption: WN_ECORRUPT naming the line and byte offset,
 * never repaired automatically (Redis: truncated tail loads with a warning, corruption in
 * the middle is a hard error).
 *
 * Events, not states: the state of a record is computed by folding the events in order
 * (votes.h). An undo retracts one earlier decision by its sequence number; the log itself
 * is never rewritten.
 *
 * Readers never lock: a reader racing a writer may see a half-written last line, which
 * is reported as torn and skipped.
 */
#ifndef WINNOW_DECLOG_H
#define WINNOW_DECLOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "winnow/err.h"

#define WN_DECLOG_VERSION 1
#define WN_DECLOG_MAGIC "#winnow-decisions"
#define WN_REVIEWER_MAX 100       /* bytes in a reviewer name */
#define WN_DECLOG_ID_MAX 1000     /* bytes in a record id */
#define WN_DECLOG_REASON_MAX 1000 /* bytes in a reason or a label list */
#define WN_DECLOG_NOTE_MAX 16384  /* bytes in a note */
#define WN_DECLOG_LINE_MAX ((size_t)1 << 20) /* a longer line is damage, not data */

enum wn_stage { WN_STAGE_NONE = 0, WN_STAGE_TA = 1, WN_STAGE_FT = 2 };
enum wn_role { WN_ROLE_REVIEW = 0, WN_ROLE_RESOLUTION = 1 };

enum wn_action {
	WN_ACT_NONE = 0,
	WN_ACT_INCLUDE,       /* decisions ... */
	WN_ACT_EXCLUDE,
	WN_ACT_MAYBE,         /* title/abstract only */
	WN_ACT_NOT_RETRIEVED, /* full text only: the report could not be obtained */
	WN_ACT_UNDO,          /* retracts the decision whose seq is in `ref` */
	WN_ACT_NOTE,          /* a note on the record (`note`) */
	WN_ACT_LABEL          /* labels added ("x") or removed ("-x"), comma-separated */
};

/* "ta" / "ft"; NULL for NONE. */
const char *wn_stage_name(enum wn_stage s);
/* "title/abstract" / "full text". */
const char *wn_stage_title(enum wn_stage s);
/* Parse "ta" or "ft" (also "title-abstract", "full-text"); WN_STAGE_NONE if neither. */
enum wn_stage wn_stage_parse(const char *s);
/* "review" / "resolution". */
const char *wn_role_name(enum wn_role r);

/* "include", "exclude", "maybe", "not-retrieved", "undo", "note", "label". */
const char *wn_action_name(enum wn_action a);
/* Parse a name (as above, also "not_retrieved" and "notretrieved"); WN_ACT_NONE if none. */
enum wn_action wn_action_parse(const char *s, size_t n);
/* 1 for include, exclude, maybe and not-retrieved. */
static inline int wn_action_is_decision(enum wn_action a)
{
	return a >= WN_ACT_INCLUDE && a <= WN_ACT_NOT_RETRIEVED;
}
/* 1 if decision a is allowed at stage s (maybe: TA only; not-retrieved: FT only). */
int wn_action_allowed(enum wn_action a, enum wn_stage s);

/* Check a reviewer name: 1..WN_REVIEWER_MAX bytes of valid UTF-8, no control
 * characters, no leading or trailing space. -1 with WN_EUSAGE saying why. */
int wn_declog_check_name(const char *name, struct wn_err *err);

struct wn_declog_header {
	int version;
	enum wn_stage stage;
	enum wn_role role;
	char reviewer[WN_REVIEWER_MAX + 1];
	char created[32];
};

/* One event as read. Strings are borrowed: valid only during the callback. */
struct wn_declog_entry {
	uint64_t seq;
	time_t time;
	const char *reviewer;
	const char *record;
	size_t record_len;
	enum wn_action action;
	const char *reason;   /* NULL when none */
	const char *labels;   /* NULL when none */
	const char *note;     /* NULL when none */
	uint64_t ref;         /* WN_ACT_UNDO: seq of the decision it retracts; else 0 */
	unsigned long lineno; /* line in the file (the header is line 1) */
	uint64_t offset;      /* byte offset of the line */
};

/* What a scan found, for messages and the ledger. */
struct wn_declog_scan {
	struct wn_declog_header header;
	unsigned long entries;   /* valid event lines */
	uint64_t last_seq;
	uint64_t good_size;      /* bytes up to the end of the last valid line */
	uint64_t file_size;
	unsigned long torn_line; /* line number of a torn last line; 0 if none */
	uint64_t torn_bytes;     /* its length in bytes (with any trailing NULs) */
	char torn_path[4096];    /* writer only: where its bytes were moved ("" if not) */
	int created;             /* writer only: the log was created by this open */
	int remote_fs;           /* writer only: the log is on NFS/SMB (locks unreliable) */
};

/* Called for each valid event in order; return 0 to go on, non-zero to stop (that value
 * is then returned by the reader, with err left alone unless the callback set it). */
typedef int (*wn_declog_fn)(const struct wn_declog_entry *e, void *data);

/* Read only the header (the first line). Used to refuse another reviewer's log before
 * reading a single decision of it (blinding). -1 with WN_EIO, WN_EFORMAT (not a decision
 * log, or empty) or WN_ECORRUPT (damaged header). */
int wn_declog_read_header(const char *path, struct wn_declog_header *h, struct wn_err *err);

/* Read a whole log, calling fn for each valid event. A torn last line is skipped and
 * reported in scan->torn_line / torn_bytes (the caller warns). A damaged line before the
 * last is WN_ECORRUPT ("... line N (byte B) ..."). fn may be NULL; scan may be NULL. */
int wn_declog_read(const char *path, wn_declog_fn fn, void *data, struct wn_declog_scan *scan,
		   struct wn_err *err);

/* ---- writing ---- */

struct wn_declog;

/* Open (creating if needed) the log at path for appending, as `want` (stage, role and
 * reviewer; version and created are ignored). The file stays locked until close.
 *   - a second writer: WN_EBUSY ("... is in use by another process (pid N) ...");
 *   - a log of another reviewer, stage or role: WN_EUSAGE, decided from the header alone;
 *   - existing events are passed to fn (may be NULL) in order, to rebuild state;
 *   - a torn last line is moved aside and cut off (scan->torn_*; the caller warns);
 *   - a damaged line before the last: WN_ECORRUPT, the file untouched.
 * scan may be NULL. Returns NULL on failure. */
struct wn_declog *wn_declog_open(const char *path, const struct wn_declog_header *want,
				 wn_declog_fn fn, void *data, struct wn_declog_scan *scan,
				 struct wn_err *err);

/* An event to append. record, reason, labels and note must be valid UTF-8 within the
 * WN_DECLOG_*_MAX limits (control characters are escaped, not refused); NULL or "" means
 * none. ref is the seq to retract for WN_ACT_UNDO. */
struct wn_declog_event {
	const char *record;
	enum wn_action action;
	const char *reason;
	const char *labels;
	const char *note;
	uint64_t ref;
};

/* Append one event and make it durable (write + fdatasync) before returning; *seq_out
 * (may be NULL) gets its sequence number. On a write error the file is cut back to its
 * previous size (WN_EIO). On a sync error the log is marked failed and refuses every
 * later append: stop taking decisions. -1 on failure. */
int wn_declog_append(struct wn_declog *log, const struct wn_declog_event *ev, uint64_t *seq_out,
		     struct wn_err *err);
/* Batch mode (imports): with on = 1, appends are written but not synced one by one;
 * wn_declog_sync makes everything appended so far durable in one fdatasync, and must be
 * called (and succeed) before the batch is reported as saved. A crash mid-batch leaves
 * a prefix of it (and at most a torn last line), so rerunning the import completes it.
 * Interactive decisions never use batch mode: each is synced before it is confirmed. */
void wn_declog_set_batch(struct wn_declog *log, int on);
int wn_declog_sync(struct wn_declog *log, struct wn_err *err);
/* Sequence number of the last event (0 when none). */
uint64_t wn_declog_last_seq(const struct wn_declog *log);
const struct wn_declog_header *wn_declog_header(const struct wn_declog *log);
/* Close and unlock; accepts NULL. -1 if close reported an error (WN_EIO). */
int wn_declog_close(struct wn_declog *log, struct wn_err *err);

/* Format one event line exactly as the writer would (without writing it): for tests and
 * tools that build logs. The line ends in '\n'. */
struct wn_buf;
int wn_declog_format(struct wn_buf *out, uint64_t seq, time_t t, const char *reviewer,
		     const struct wn_declog_event *ev, struct wn_err *err);
/* Format a header line. */
int wn_declog_format_header(struct wn_buf *out, const struct wn_declog_header *h,
			    struct wn_err *err);

#endif

/*
 * test_declog.c - the decision log: format round trip, header checks, the lock, torn
 * tails at every byte offset of the last line, NUL tails, corrupt middle lines, gaps,
 * a failed write cut back off, batch mode, a torn header.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wn_test.h"
#include "screen_test.h"
#include "winnow/buf.h"
#include "winnow/declog.h"

static char dir[256];

static void path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static long file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static int slurp(const char *p, struct wn_buf *b)
{
	FILE *fp = fopen(p, "rb");
	char buf[4096];
	size_t n;

	wn_buf_reset(b);
	if (!fp)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		wn_buf_add(b, buf, n, NULL);
	fclose(fp);
	return 0;
}

static void spit(const char *p, const char *data, size_t n)
{
	FILE *fp = fopen(p, "wb");

	if (fp) {
		if (n)
			fwrite(data, 1, n, fp);
		fclose(fp);
	}
}

struct collected {
	int n;
	char record[8][64];
	char reason[8][256];
	char note[8][256];
	enum wn_action action[8];
	uint64_t ref[8];
};

static int collect(const struct wn_declog_entry *e, void *data)
{
	struct collected *c = data;

	if (c->n < 8) {
		snprintf(c->record[c->n], sizeof(c->record[0]), "%s", e->record);
		snprintf(c->reason[c->n], sizeof(c->reason[0]), "%s", e->reason ? e->reason : "(null)");
		snprintf(c->note[c->n], sizeof(c->note[0]), "%s", e->note ? e->note : "(null)");
		c->action[c->n] = e->action;
		c->ref[c->n] = e->ref;
	}
	c->n++;
	return 0;
}

/* A log with three decisions; returns the byte offsets where lines 2.. start. */
static void make_log(const char *p, long *line_start, int nlines)
{
	struct wn_declog_header h = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW);
	struct wn_declog *log;
	struct wn_declog_event ev;
	struct wn_err err;
	int i;

	unlink(p);
	log = wn_declog_open(p, &h, NULL, NULL, NULL, &err);
	CHECK(log != NULL);
	if (!log)
		return;
	line_start[0] = file_size(p);
	for (i = 0; i < nlines; i++) {
		char id[32];
		snprintf(id, sizeof(id), "pubmed:%d", 100 + i);
		memset(&ev, 0, sizeof(ev));
		ev.record = id;
		ev.action = i % 2 ? WN_ACT_EXCLUDE : WN_ACT_INCLUDE;
		ev.reason = i % 2 ? "wrong population" : NULL;
		CHECK_INT(wn_declog_append(log, &ev, NULL, &err), 0);
		line_start[i + 1] = file_size(p);
	}
	CHECK_INT(wn_declog_close(log, &err), 0);
}

static void test_names(void)
{
	struct wn_err err;

	CHECK_STR(wn_stage_name(WN_STAGE_TA), "ta");
	CHECK_STR(wn_stage_name(WN_STAGE_FT), "ft");
	CHECK(wn_stage_parse("full-text") == WN_STAGE_FT);
	CHECK(wn_stage_parse("x") == WN_STAGE_NONE);
	CHECK(wn_action_parse("not-retrieved", 13) == WN_ACT_NOT_RETRIEVED);
	CHECK(wn_action_parse("not_retrieved", 13) == WN_ACT_NOT_RETRIEVED);
	CHECK(wn_action_parse("includ", 6) == WN_ACT_NONE);
	CHECK(wn_action_allowed(WN_ACT_MAYBE, WN_STAGE_TA));
	CHECK(!wn_action_allowed(WN_ACT_MAYBE, WN_STAGE_FT));
	CHECK(wn_action_allowed(WN_ACT_NOT_RETRIEVED, WN_STAGE_FT));
	CHECK(!wn_action_allowed(WN_ACT_NOT_RETRIEVED, WN_STAGE_TA));
	CHECK(!wn_action_allowed(WN_ACT_UNDO, WN_STAGE_TA));
	CHECK_INT(wn_declog_check_name("Ana María", &err), 0);
	CHECK_INT(wn_declog_check_name("alice+bob", &err), 0);
	CHECK_INT(wn_declog_check_name("", &err), -1);
	CHECK_INT(wn_declog_check_name(" x", &err), -1);
	CHECK_INT(wn_declog_check_name("a\tb", &err), -1);
	CHECK_INT(wn_declog_check_name("a\x1b[2Jb", &err), -1);
	CHECK_INT(wn_declog_check_name("\xff\xfe", &err), -1);
}

static void test_round_trip(void)
{
	char p[512];
	struct wn_declog_header h = test_header("Ana María", WN_STAGE_FT, WN_ROLE_REVIEW);
	struct wn_declog *log;
	struct wn_declog_event ev;
	struct wn_declog_scan scan;
	struct collected c;
	struct wn_err err;
	uint64_t seq = 0;

	path_of(p, sizeof(p), "rt.log");
	unlink(p);
	log = wn_declog_open(p, &h, NULL, NULL, &scan, &err);
	CHECK(log != NULL);
	if (!log)
		return;
	CHECK_INT(scan.created, 1);
	memset(&ev, 0, sizeof(ev));
	ev.record = "doi:10.1000/a\tb";
	ev.action = WN_ACT_EXCLUDE;
	ev.reason = "wrong\tpopulation\nsecond line \\ back";
	CHECK_INT(wn_declog_append(log, &ev, &seq, &err), 0);
	CHECK_INT(seq, 1);
	memset(&ev, 0, sizeof(ev));
	ev.record = "pubmed:1";
	ev.action = WN_ACT_NOTE;
	ev.note = "-";
	CHECK_INT(wn_declog_append(log, &ev, &seq, &err), 0);
	memset(&ev, 0, sizeof(ev));
	ev.record = "pubmed:1";
	ev.action = WN_ACT_NOTE;
	ev.note = "ctl \x01\x1b[31m é 中文";
	CHECK_INT(wn_declog_append(log, &ev, &seq, &err), 0);
	memset(&ev, 0, sizeof(ev));
	ev.record = "doi:10.1000/a\tb";
	ev.action = WN_ACT_UNDO;
	ev.ref = 1;
	CHECK_INT(wn_declog_append(log, &ev, &seq, &err), 0);
	CHECK_INT(seq, 4);
	CHECK_INT(wn_declog_last_seq(log), 4);
	/* invalid UTF-8 is refused, not written */
	memset(&ev, 0, sizeof(ev));
	ev.record = "pubmed:2";
	ev.action = WN_ACT_NOTE;
	ev.note = "bad \xff";
	CHECK_INT(wn_declog_append(log, &ev, &seq, &err), -1);
	CHECK(err.code == WN_EUSAGE);
	CHECK_INT(wn_declog_close(log, &err), 0);

	memset(&c, 0, sizeof(c));
	CHECK_INT(wn_declog_read(p, collect, &c, &scan, &err), 0);
	CHECK_INT(c.n, 4);
	CHECK_INT(scan.entries, 4);
	CHECK_INT(scan.torn_line, 0);
	CHECK_STR(scan.header.reviewer, "Ana María");
	CHECK(scan.header.stage == WN_STAGE_FT && scan.header.role == WN_ROLE_REVIEW);
	CHECK_STR(c.record[0], "doi:10.1000/a\tb");
	CHECK_STR(c.reason[0], "wrong\tpopulation\nsecond line \\ back");
	CHECK_STR(c.note[1], "-");
	CHECK_STR(c.note[2], "ctl \x01\x1b[31m é 中文");
	CHECK(c.action[3] == WN_ACT_UNDO && c.ref[3] == 1);
	CHECK_STR(c.reason[3], "(null)");
	{
		/* no raw control byte reaches the file */
		struct wn_buf b;
		size_t i;
		int ctl = 0;
		wn_buf_init(&b, 0);
		slurp(p, &b);
		for (i = 0; i < b.len; i++)
			ctl += (unsigned char)b.data[i] < 0x20 && b.data[i] != '\t' && b.data[i] != '\n';
		CHECK_INT(ctl, 0);
		CHECK(strstr(b.data, "\\x1b[31m") != NULL);
		CHECK(strstr(b.data, "\tnote\t-\t-\t\\-\t") != NULL);
		wn_buf_release(&b);
	}
}

static void test_header_checks(void)
{
	char p[512];
	long starts[4];
	struct wn_declog_header h;
	struct wn_declog *log;
	struct collected c;
	struct wn_err err;

	path_of(p, sizeof(p), "hdr.log");
	make_log(p, starts, 3);
	memset(&c, 0, sizeof(c));
	h = test_header("bob", WN_STAGE_TA, WN_ROLE_REVIEW);
	log = wn_declog_open(p, &h, collect, &c, NULL, &err);
	CHECK(log == NULL);
	CHECK(err.code == WN_EUSAGE);
	CHECK(strstr(err.msg, "belongs to reviewer 'alice', not 'bob'") != NULL);
	CHECK_INT(c.n, 0); /* blinding: not one of alice's decisions was passed on */
	h = test_header("alice", WN_STAGE_FT, WN_ROLE_REVIEW);
	CHECK(wn_declog_open(p, &h, NULL, NULL, NULL, &err) == NULL);
	CHECK(strstr(err.msg, "is for the title/abstract stage, not full text") != NULL);
	h = test_header("alice", WN_STAGE_TA, WN_ROLE_RESOLUTION);
	CHECK(wn_declog_open(p, &h, NULL, NULL, NULL, &err) == NULL);
	CHECK(strstr(err.msg, "is a review log, not a resolution log") != NULL);
	CHECK_INT(file_size(p), starts[3]);
	/* the right owner resumes: events come back in order */
	h = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW);
	memset(&c, 0, sizeof(c));
	log = wn_declog_open(p, &h, collect, &c, NULL, &err);
	CHECK(log != NULL);
	CHECK_INT(c.n, 3);
	CHECK_STR(c.record[2], "pubmed:102");
	CHECK_INT(wn_declog_last_seq(log), 3);
	wn_declog_close(log, NULL);
	/* not a log at all */
	path_of(p, sizeof(p), "notalog.txt");
	spit(p, "id\tdecision\npubmed:1\tinclude\n", 29);
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_EFORMAT && strstr(err.msg, "is not a winnow decision log"));
	CHECK(wn_declog_open(p, &h, NULL, NULL, NULL, &err) == NULL);
	CHECK(err.code == WN_EFORMAT);
	spit(p, "", 0);
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_EFORMAT && strstr(err.msg, "is empty"));
	CHECK_INT(wn_declog_read(dir, NULL, NULL, NULL, &err), -1);
	path_of(p, sizeof(p), "missing.log");
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_EIO && strstr(err.msg, "No such file"));
}

static void test_lock(void)
{
	char p[512], pid[32];
	long starts[2];
	struct wn_declog_header h = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW);
	struct wn_declog *a, *b;
	struct wn_err err;

	path_of(p, sizeof(p), "lock.log");
	make_log(p, starts, 1);
	a = wn_declog_open(p, &h, NULL, NULL, NULL, &err);
	CHECK(a != NULL);
	/* a second open file description conflicts even within one process (flock) */
	b = wn_declog_open(p, &h, NULL, NULL, NULL, &err);
	CHECK(b == NULL);
	CHECK(err.code == WN_EBUSY);
	snprintf(pid, sizeof(pid), "(pid %ld)", (long)getpid());
	CHECK(strstr(err.msg, "is in use by another process") != NULL);
	CHECK(strstr(err.msg, pid) != NULL);
	wn_declog_close(a, NULL);
	b = wn_declog_open(p, &h, NULL, NULL, NULL, &err);
	CHECK(b != NULL);
	wn_declog_close(b, NULL);
}

/* Cut the last line at every byte offset: readers skip it, the writer moves it aside. */
static void test_torn_every_offset(void)
{
	char p[512];
	long starts[4], cut;
	struct wn_buf full, now, aside;
	struct wn_declog_header h = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW);
	int bad = 0;

	path_of(p, sizeof(p), "torn.log");
	make_log(p, starts, 3);
	wn_buf_init(&full, 0);
	wn_buf_init(&now, 0);
	wn_buf_init(&aside, 0);
	slurp(p, &full);
	for (cut = starts[2] + 1; cut < starts[3]; cut++) {
		struct wn_declog_scan scan;
		struct wn_declog *log;
		struct collected c;
		struct wn_err err;
		struct wn_declog_event ev;
		uint64_t seq = 0;

		spit(p, full.data, (size_t)cut);
		memset(&c, 0, sizeof(c));
		if (wn_declog_read(p, collect, &c, &scan, &err) != 0 || c.n != 2 || scan.torn_line != 4 ||
		    scan.torn_bytes != (uint64_t)(cut - starts[2]) || scan.good_size != (uint64_t)starts[2]) {
			bad++;
			continue;
		}
		memset(&c, 0, sizeof(c));
		log = wn_declog_open(p, &h, collect, &c, &scan, &err);
		if (!log || c.n != 2 || !scan.torn_path[0] || file_size(p) != starts[2]) {
			bad++;
			wn_declog_close(log, NULL);
			continue;
		}
		/* the torn bytes are kept, never lost */
		slurp(scan.torn_path, &aside);
		if (aside.len != (size_t)(cut - starts[2]) || memcmp(aside.data, full.data + starts[2], aside.len) != 0)
			bad++;
		unlink(scan.torn_path);
		memset(&ev, 0, sizeof(ev));
		ev.record = "pubmed:999";
		ev.action = WN_ACT_MAYBE;
		if (wn_declog_append(log, &ev, &seq, &err) != 0 || seq != 3)
			bad++;
		wn_declog_close(log, NULL);
		memset(&c, 0, sizeof(c));
		if (wn_declog_read(p, collect, &c, &scan, &err) != 0 || c.n != 3 || scan.torn_line != 0 ||
		    strcmp(c.record[2], "pubmed:999") != 0)
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK(starts[3] - starts[2] > 40); /* the loop really ran over a whole line */
	wn_buf_release(&full);
	wn_buf_release(&now);
	wn_buf_release(&aside);
}

/* The file grew before its content was written (SQLite's atomic-commit assumption). */
static void test_nul_tail(void)
{
	char p[512];
	long starts[3];
	struct wn_buf b;
	struct wn_declog_scan scan;
	struct collected c;
	struct wn_err err;
	size_t k;
	int bad = 0;

	path_of(p, sizeof(p), "nul.log");
	make_log(p, starts, 2);
	wn_buf_init(&b, 0);
	for (k = 1; k < 200; k += 37) {
		slurp(p, &b);
		wn_buf_truncate(&b, (size_t)starts[2]);
		while (b.len < (size_t)starts[2] + k)
			wn_buf_addc(&b, '\0', NULL);
		spit(p, b.data, b.len);
		memset(&c, 0, sizeof(c));
		if (wn_declog_read(p, collect, &c, &scan, &err) != 0 || c.n != 2 || scan.torn_line != 4)
			bad++;
	}
	/* a half-written line followed by zeros is torn as well */
	slurp(p, &b);
	wn_buf_truncate(&b, (size_t)starts[2]);
	wn_buf_adds(&b, "3\t2026-01-01T00:00:00Z\tali", NULL);
	wn_buf_add(&b, "\0\0\0\0\n\0\0", 7, NULL);
	spit(p, b.data, b.len);
	memset(&c, 0, sizeof(c));
	if (wn_declog_read(p, collect, &c, &scan, &err) != 0 || c.n != 2 || scan.torn_line != 4)
		bad++;
	CHECK_INT(bad, 0);
	wn_buf_release(&b);
}

static void test_corrupt_middle(void)
{
	char p[512], want[128];
	long starts[4], before;
	struct wn_buf full, b;
	struct wn_declog_header h = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW);
	struct wn_err err;
	struct collected c;
	long k;
	int bad = 0;

	path_of(p, sizeof(p), "mid.log");
	make_log(p, starts, 3);
	wn_buf_init(&full, 0);
	wn_buf_init(&b, 0);
	slurp(p, &full);
	/* flip each byte of line 3 (the second decision): always an error naming it */
	snprintf(want, sizeof(want), "is damaged at line 3 (byte %ld)", starts[1]);
	for (k = starts[1]; k < starts[2] - 1; k++) {
		wn_buf_reset(&b);
		wn_buf_add(&b, full.data, full.len, NULL);
		b.data[k] ^= 0x20;
		spit(p, b.data, b.len);
		memset(&c, 0, sizeof(c));
		if (wn_declog_read(p, collect, &c, NULL, &err) != -1 || err.code != WN_ECORRUPT ||
		    !strstr(err.msg, want))
			bad++;
		before = file_size(p);
		if (wn_declog_open(p, &h, NULL, NULL, NULL, &err) != NULL || err.code != WN_ECORRUPT ||
		    file_size(p) != before)
			bad++; /* never repaired automatically */
	}
	CHECK_INT(bad, 0);
	/* a line removed from the middle: the sequence has a gap */
	wn_buf_reset(&b);
	wn_buf_add(&b, full.data, (size_t)starts[1], NULL);
	wn_buf_add(&b, full.data + starts[2], full.len - (size_t)starts[2], NULL);
	spit(p, b.data, b.len);
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "a gap in the sequence numbers"));
	/* lines swapped: the sequence goes backwards */
	wn_buf_reset(&b);
	wn_buf_add(&b, full.data, (size_t)starts[0], NULL);
	wn_buf_add(&b, full.data + starts[1], (size_t)(starts[2] - starts[1]), NULL);
	wn_buf_add(&b, full.data + starts[0], (size_t)(starts[1] - starts[0]), NULL);
	wn_buf_add(&b, full.data + starts[2], full.len - (size_t)starts[2], NULL);
	spit(p, b.data, b.len);
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "line 2"));
	/* a damaged header */
	wn_buf_reset(&b);
	wn_buf_add(&b, full.data, full.len, NULL);
	b.data[25] ^= 1;
	spit(p, b.data, b.len);
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "line 1"));
	/* a blank line in the middle */
	wn_buf_reset(&b);
	wn_buf_add(&b, full.data, (size_t)starts[1], NULL);
	wn_buf_addc(&b, '\n', NULL);
	wn_buf_add(&b, full.data + starts[1], full.len - (size_t)starts[1], NULL);
	spit(p, b.data, b.len);
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "line 3"));
	wn_buf_release(&full);
	wn_buf_release(&b);
}

/* A line whose checksum verifies but that says something impossible is never "torn". */
static void test_hard_last_line(void)
{
	char p[512];
	long starts[2];
	struct wn_buf b;
	struct wn_declog_event ev;
	struct wn_err err;

	path_of(p, sizeof(p), "hard.log");
	make_log(p, starts, 1);
	wn_buf_init(&b, 0);
	slurp(p, &b);
	memset(&ev, 0, sizeof(ev));
	ev.record = "pubmed:7";
	ev.action = WN_ACT_INCLUDE;
	CHECK_INT(wn_declog_format(&b, 2, 0, "mallory", &ev, &err), 0);
	spit(p, b.data, b.len);
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "another reviewer"));
	wn_buf_reset(&b);
	slurp(p, &b);
	wn_buf_truncate(&b, (size_t)starts[1]);
	CHECK_INT(wn_declog_format(&b, 5, 0, "alice", &ev, &err), 0);
	spit(p, b.data, b.len);
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "gap"));
	wn_buf_release(&b);
}

/* A write that fails half-way (here: the file size limit) is cut back off. */
static void test_failed_write(void)
{
	char p[512];
	long starts[2], size;
	pid_t pid;
	int status = 0;
	struct collected c;
	struct wn_declog_scan scan;
	struct wn_err err;

	path_of(p, sizeof(p), "efbig.log");
	make_log(p, starts, 1);
	size = file_size(p);
	pid = fork();
	if (pid == 0) {
		struct wn_declog_header h = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW);
		struct rlimit rl;
		struct wn_declog *log;
		struct wn_declog_event ev;
		struct wn_err e2;
		char note[4000];

		signal(SIGXFSZ, SIG_IGN);
		log = wn_declog_open(p, &h, NULL, NULL, NULL, &e2);
		if (!log)
			_exit(10);
		rl.rlim_cur = rl.rlim_max = (rlim_t)size + 100;
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(11);
		memset(note, 'x', sizeof(note) - 1);
		note[sizeof(note) - 1] = '\0';
		memset(&ev, 0, sizeof(ev));
		ev.record = "pubmed:1";
		ev.action = WN_ACT_NOTE;
		ev.note = note;
		if (wn_declog_append(log, &ev, NULL, &e2) != -1 || e2.code != WN_EIO ||
		    !strstr(e2.msg, "the decision was not saved"))
			_exit(12);
		_exit(0);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(file_size(p), size); /* the partial line was truncated away */
	memset(&c, 0, sizeof(c));
	CHECK_INT(wn_declog_read(p, collect, &c, &scan, &err), 0);
	CHECK_INT(c.n, 1);
	CHECK_INT(scan.torn_line, 0);
}

static void test_batch(void)
{
	char p[512];
	struct wn_declog_header h = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW);
	struct wn_declog *log;
	struct wn_declog_event ev;
	struct collected c;
	struct wn_err err;
	int i;

	path_of(p, sizeof(p), "batch.log");
	unlink(p);
	log = wn_declog_open(p, &h, NULL, NULL, NULL, &err);
	CHECK(log != NULL);
	if (!log)
		return;
	wn_declog_set_batch(log, 1);
	for (i = 0; i < 5; i++) {
		char id[16];
		snprintf(id, sizeof(id), "r%d", i);
		memset(&ev, 0, sizeof(ev));
		ev.record = id;
		ev.action = WN_ACT_INCLUDE;
		CHECK_INT(wn_declog_append(log, &ev, NULL, &err), 0);
	}
	CHECK_INT(wn_declog_sync(log, &err), 0);
	CHECK_INT(wn_declog_sync(log, &err), 0);
	wn_declog_close(log, NULL);
	memset(&c, 0, sizeof(c));
	CHECK_INT(wn_declog_read(p, collect, &c, NULL, &err), 0);
	CHECK_INT(c.n, 5);
}

static void test_torn_header(void)
{
	char p[512];
	struct wn_declog_header h = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW), rh;
	struct wn_declog *log;
	struct wn_declog_scan scan;
	struct wn_err err;

	path_of(p, sizeof(p), "th.log");
	spit(p, "#winnow-decisions\tv1\tsta", 24);
	CHECK_INT(wn_declog_read(p, NULL, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "incomplete header"));
	CHECK_INT(wn_declog_read_header(p, &rh, &err), -1);
	CHECK(err.code == WN_ECORRUPT);
	log = wn_declog_open(p, &h, NULL, NULL, &scan, &err);
	CHECK(log != NULL);
	CHECK(scan.created == 1 && scan.torn_path[0]);
	wn_declog_close(log, NULL);
	CHECK_INT(wn_declog_read_header(p, &rh, &err), 0);
	CHECK_STR(rh.reviewer, "alice");
	if (scan.torn_path[0])
		unlink(scan.torn_path);
	/* all zeros: created, grown, never written */
	spit(p, "\0\0\0\0\0\0\0\0", 8);
	log = wn_declog_open(p, &h, NULL, NULL, &scan, &err);
	CHECK(log != NULL);
	CHECK(scan.created == 1);
	wn_declog_close(log, NULL);
	if (scan.torn_path[0])
		unlink(scan.torn_path);
}

int main(void)
{
	const char *tmp = getenv("WINNOW_TEST_TMP");

	setenv("WINNOW_TIME", "1767225600", 1);
	snprintf(dir, sizeof(dir), "%s/declog.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (tmp && *tmp)
		mkdir(tmp, 0755);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_names);
	RUN(test_round_trip);
	RUN(test_header_checks);
	RUN(test_lock);
	RUN(test_torn_every_offset);
	RUN(test_nul_tail);
	RUN(test_corrupt_middle);
	RUN(test_hard_last_line);
	RUN(test_failed_write);
	RUN(test_batch);
	RUN(test_torn_header);
	if (!wn_test_failures) {
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return wn_test_report();
}

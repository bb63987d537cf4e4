/*
 * test_declog_cut.c - the decision log cut at every byte offset, through the library
 * (lib/screen/declog.c), the way a crash, a full disk or a power cut can leave it
 * (style-reliability.md B.4: "truncate the file at every byte offset").
 *
 * A reference log is written with the writer itself: decisions with reasons, a note with
 * tabs, newlines and non-ASCII text, labels, an undo. Then for every offset k:
 *   - the reader accepts the prefix (a torn last line is reported, never an error) and
 *     returns exactly the events of the complete lines;
 *   - the writer, opening the cut log as its owner, sets the torn bytes aside (their copy
 *     is byte for byte the cut tail) and, appending the events that are missing, ends
 *     with a log identical to the reference: nothing confirmed is lost or doubled;
 *   - with NUL bytes or garbage after the cut (the size grew before the data), the same.
 * Then damage before the last line (a flipped byte in every earlier line) is refused as
 * WN_ECORRUPT and leaves the file untouched.
 *
 * WINNOW_TIME is set, so times (and with them the bytes of every line) are reproducible.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wn_test.h"
#include "winnow/buf.h"
#include "winnow/declog.h"

static char dir[256];

static const struct wn_declog_event events[] = {
	{ "pubmed:30922926", WN_ACT_INCLUDE, NULL, NULL, NULL, 0 },
	{ "pubmed:37068225", WN_ACT_EXCLUDE, "wrong population", NULL, NULL, 0 },
	{ "embase:L2003456789", WN_ACT_MAYBE, NULL, NULL, NULL, 0 },
	{ "pubmed:37068225", WN_ACT_NOTE, NULL, NULL, "n\xc3\xa4" "chste Woche\tpr\xc3\xbc" "fen\nzweite Zeile \\ \xe2\x80\x94" " ok", 0 },
	{ "pubmed:37068225", WN_ACT_UNDO, NULL, NULL, NULL, 2 },
	{ "pubmed:37068225", WN_ACT_INCLUDE, NULL, NULL, NULL, 0 },
	{ "ris:x9f0c1a7e2b3d4c5e", WN_ACT_LABEL, NULL, "rct,-pilot", NULL, 0 },
	{ "ris:x9f0c1a7e2b3d4c5e", WN_ACT_EXCLUDE, "not integrated care", NULL, NULL, 0 },
};
#define NEVENTS (sizeof(events) / sizeof(events[0]))

static const struct wn_declog_header owner = { 1, WN_STAGE_TA, WN_ROLE_REVIEW, "alice", "" };

static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *p;
	long sz;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	sz = ftell(fp);
	rewind(fp);
	p = malloc((size_t)sz + 1);
	if (p && fread(p, 1, (size_t)sz, fp) != (size_t)sz) {
		free(p);
		p = NULL;
	}
	fclose(fp);
	*n = (size_t)sz;
	return p;
}

static void put(const char *path, const char *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (!fp || fwrite(p, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

static int count_cb(const struct wn_declog_entry *e, void *data)
{
	(void)e;
	(*(unsigned long *)data)++;
	return 0;
}

/* Append events[from..] to an open log. */
static int append_rest(struct wn_declog *log, size_t from)
{
	struct wn_err err;
	size_t i;

	for (i = from; i < NEVENTS; i++)
		if (wn_declog_append(log, &events[i], NULL, &err) < 0) {
			fprintf(stderr, "append: %s\n", err.msg);
			return -1;
		}
	return 0;
}

static char ref_path[300], cut_path[300], torn_path[340];
static char *ref;
static size_t ref_len, hdr_len;

static void make_reference(void)
{
	struct wn_err err;
	struct wn_declog *log;

	snprintf(ref_path, sizeof(ref_path), "%s/ref.log", dir);
	log = wn_declog_open(ref_path, &owner, NULL, NULL, NULL, &err);
	CHECK(log != NULL);
	if (!log) {
		fprintf(stderr, "open: %s\n", err.msg);
		exit(1);
	}
	CHECK(append_rest(log, 0) == 0);
	CHECK(wn_declog_close(log, &err) == 0);
	ref = slurp(ref_path, &ref_len);
	CHECK(ref != NULL && ref_len > 200);
	hdr_len = (size_t)((char *)memchr(ref, '\n', ref_len) - ref) + 1;
}

/* One cut at k, with `pad` bytes of `padc` after it. */
static void cut_case(size_t k, size_t pad, char padc)
{
	struct wn_declog_scan scan;
	struct wn_declog *log;
	struct wn_err err;
	unsigned long complete = 0, seen = 0;
	size_t i, line_start = 0, n;
	char *buf = malloc(k + pad + 1), *after;

	memcpy(buf, ref, k);
	memset(buf + k, padc, pad);
	for (i = 0; i < k; i++) {
		if (ref[i] == '\n') {
			complete++;
			line_start = i + 1;
		}
	}
	put(cut_path, buf, k + pad);
	unlink(torn_path);

	/* reader */
	if (k >= hdr_len) {
		int rc = wn_declog_read(cut_path, count_cb, &seen, &scan, &err);
		CHECK(rc == 0);
		if (rc != 0)
			fprintf(stderr, "cut %zu+%zu: read: %s\n", k, pad, err.msg);
		CHECK_INT(seen, complete - 1);
		CHECK(((line_start < k || pad) ? scan.torn_line != 0 : scan.torn_line == 0));
	}

	/* writer: open as the owner, append what is missing */
	seen = 0;
	log = wn_declog_open(cut_path, &owner, count_cb, &seen, &scan, &err);
	if (k < hdr_len && !log) {
		/* only a piece of the header: the writer may refuse (it must not guess) */
		CHECK(err.code == WN_ECORRUPT || err.code == WN_EFORMAT);
		free(buf);
		return;
	}
	CHECK(log != NULL);
	if (!log) {
		fprintf(stderr, "cut %zu+%zu: open: %s\n", k, pad, err.msg);
		free(buf);
		return;
	}
	CHECK_INT(seen, k >= hdr_len ? complete - 1 : 0);
	CHECK(append_rest(log, seen) == 0);
	CHECK(wn_declog_close(log, &err) == 0);
	after = slurp(cut_path, &n);
	CHECK(after && n == ref_len && memcmp(after, ref, n) == 0);
	if (!(after && n == ref_len && memcmp(after, ref, n) == 0))
		fprintf(stderr, "cut %zu+%zu: resumed log differs from the reference\n", k, pad);
	free(after);
	/* the torn bytes were set aside, exactly */
	if (k >= hdr_len && (line_start < k || pad)) {
		char *torn = slurp(torn_path, &n);
		CHECK(torn != NULL);
		if (torn)
			CHECK(n == k + pad - line_start && memcmp(torn, buf + line_start, n) == 0);
		free(torn);
	}
	free(buf);
}

static void test_every_offset(void)
{
	size_t k;

	for (k = 0; k <= ref_len; k++) {
		cut_case(k, 0, 0);
		if (k % 7 == 0 && k < ref_len) {
			cut_case(k, 4096, '\0');  /* size grew before the data */
			cut_case(k, 13, 'x');     /* garbage in the last block */
		}
	}
	cut_case(ref_len, 4096, '\0');
}

static void test_damage_before_last(void)
{
	struct wn_err err;
	struct wn_declog *log;
	size_t i, n, lines = 0;
	char *after;

	/* flip one byte in the middle of every line but the last: refused, untouched */
	for (i = hdr_len; i + 1 < ref_len; i++) {
		size_t start = i, end;
		char *buf;

		if (ref[i - 1] != '\n')
			continue;
		end = (size_t)((char *)memchr(ref + start, '\n', ref_len - start) - ref);
		if (end + 1 >= ref_len)
			break; /* the last line: a torn tail, not damage */
		buf = malloc(ref_len);
		memcpy(buf, ref, ref_len);
		buf[(start + end) / 2] ^= 0x20;
		put(cut_path, buf, ref_len);
		lines++;
		CHECK(wn_declog_read(cut_path, NULL, NULL, NULL, &err) < 0 && err.code == WN_ECORRUPT);
		CHECK(strstr(err.msg, "line") != NULL);
		log = wn_declog_open(cut_path, &owner, NULL, NULL, NULL, &err);
		CHECK(log == NULL && err.code == WN_ECORRUPT);
		wn_declog_close(log, NULL);
		after = slurp(cut_path, &n);
		CHECK(after && n == ref_len && memcmp(after, buf, n) == 0);
		free(after);
		free(buf);
	}
	CHECK(lines >= NEVENTS - 1);
}

int main(void)
{
	/* every append is fdatasync'd: on a tmpfs that costs nothing, on a disk ~1000 cuts
	 * would take minutes */
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("WINNOW_TEST_TMP");

	setenv("WINNOW_TIME", "1767225600", 1);
	snprintf(dir, sizeof(dir), "%s/declog-cut.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	mkdir(tmp && *tmp ? tmp : "/tmp", 0755);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(cut_path, sizeof(cut_path), "%s/cut.log", dir);
	snprintf(torn_path, sizeof(torn_path), "%s/cut.log.torn-2026-01-01T00:00:00Z", dir);
	make_reference();
	RUN(test_every_offset);
	RUN(test_damage_before_last);
	free(ref);
	unlink(ref_path);
	unlink(cut_path);
	unlink(torn_path);
	rmdir(dir);
	return wn_test_report();
}

/*
 * fuzz_declog.c - the decision log (lib/screen/declog.c): the reader, and the writer's
 * recovery when it opens a log a crash, a full disk or an editor has damaged.
 *
 * The input is a log file. Reader invariants: events come in line order with strictly
 * increasing sequence numbers, each with a record id and a known action; a torn last
 * line is reported, never an event; damage before the last line is WN_ECORRUPT naming
 * the line. One run in four, when the header is readable, the writer opens a copy as
 * its owner and appends a decision: it must either refuse (corruption, usage) leaving
 * the file byte for byte as it was, or keep every event the reader saw, in order, and
 * add exactly one - the "nothing confirmed is ever lost" rule of the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"
#include "winnow/alloc.h"
#include "winnow/declog.h"

#define MAX_SEEN 4096

struct seen {
	unsigned long n;
	uint64_t last_seq;
	unsigned long last_line;
	uint64_t seqs[MAX_SEEN];
};

static int on_event(const struct wn_declog_entry *e, void *data)
{
	struct seen *s = data;

	if (e->seq <= s->last_seq && s->n)
		wnf_fail("event seq %llu after %llu", (unsigned long long)e->seq,
			 (unsigned long long)s->last_seq);
	if (e->lineno <= s->last_line)
		wnf_fail("event on line %lu after line %lu", e->lineno, s->last_line);
	if (!e->record || e->action == WN_ACT_NONE)
		wnf_fail("event without a record or action on line %lu", e->lineno);
	if (s->n < MAX_SEEN)
		s->seqs[s->n] = e->seq;
	s->n++;
	s->last_seq = e->seq;
	s->last_line = e->lineno;
	return 0;
}

static uint8_t *read_all(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *p;
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

static void clean_dir(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "%s/decisions.log", dir);
	unlink(cmd);
	/* the torn-line copy: its name has the (fixed) time in it */
	snprintf(cmd, sizeof(cmd), "%s/decisions.log.torn-2026-01-01T00:00:00Z", dir);
	unlink(cmd);
}

static void writer_check(const uint8_t *data, size_t size, const struct seen *before,
			 const struct wn_declog_header *h)
{
	const char *dir = wnf_scratch_dir();
	char path[400];
	FILE *fp;
	struct wn_declog_scan scan;
	struct wn_declog *log;
	struct wn_err err;
	struct seen during, after;
	uint64_t seq = 0;
	struct wn_declog_event ev = { "pubmed:1", WN_ACT_INCLUDE, NULL, NULL, NULL, 0 };
	uint8_t *now;
	size_t nlen;

	snprintf(path, sizeof(path), "%s/decisions.log", dir);
	fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
		wnf_fail("cannot write the scratch log");
	memset(&during, 0, sizeof(during));
	wn_err_clear(&err);
	log = wn_declog_open(path, h, on_event, &during, &scan, &err);
	if (!log) {
		now = read_all(path, &nlen);
		if (!wnf_injecting() && (!now || nlen != size || memcmp(now, data, size) != 0))
			wnf_fail("a refused open changed the log (%s)", err.msg);
		free(now);
		goto out;
	}
	if (during.n != before->n)
		wnf_fail("the writer saw %lu events, the reader %lu", during.n, before->n);
	if (wn_declog_append(log, &ev, &seq, &err) < 0) {
		if (!wnf_injecting())
			wnf_fail("append failed: %s", err.msg);
		wn_declog_close(log, NULL);
		goto out;
	}
	if (wn_declog_close(log, &err) < 0)
		wnf_fail("close failed: %s", err.msg);
	/* The writer is done: what follows checks its work, so the injected allocation
	 * failure (if it has not struck yet, or is sticky) must not land in the check's own
	 * read - that once failed the check with "out of memory" on a sound log. */
	wn_alloc_set_schedule(0, 0);
	memset(&after, 0, sizeof(after));
	if (wn_declog_read(path, on_event, &after, NULL, &err) < 0)
		wnf_fail("the log is unreadable after an append: %s", err.msg);
	if (after.n != before->n + 1)
		wnf_fail("%lu events before, %lu after one append", before->n, after.n);
	if (after.n <= MAX_SEEN && memcmp(after.seqs, before->seqs, before->n * sizeof(uint64_t)) != 0)
		wnf_fail("the events before the append changed");
	if (after.last_seq != seq)
		wnf_fail("the appended event is not the last one");
out:
	clean_dir(dir);
}

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	char path[64];
	struct wn_declog_scan scan;
	struct wn_declog_header h;
	struct seen s;
	struct wn_err err;
	int fd, rc, hrc;

	fd = wnf_memfile(data, size, path, sizeof(path));
	if (fd < 0)
		return;
	memset(&s, 0, sizeof(s));
	wn_err_clear(&err);
	rc = wn_declog_read(path, on_event, &s, &scan, &err);
	if (rc == 0 && scan.entries != s.n)
		wnf_fail("scan counts %lu events, the callback saw %lu", scan.entries, s.n);
	if (rc < 0 && err.code == WN_ECORRUPT && !strstr(err.msg, "line") && !strstr(err.msg, "header"))
		wnf_fail("corruption message does not name the line: %s", err.msg);
	hrc = wn_declog_read_header(path, &h, &err);
	close(fd);
	if (rc == 0 && hrc == 0 && (bits & 3) == 0)
		writer_check(data, size, &s, &h);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("WINNOW_TIME", "1767225600", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_run(data, size, pass);
	return 0;
}

/*
 * fuzz_ledger.c - the ledger reader (wn_ledger_read) and the append path's recovery of
 * a torn last line (wn_ledger_commit), lib/core/ledger.c.
 *
 * The input is a ledger file as a crash, an editor or a full disk may have left it.
 * Invariants of the reader: entries come in line order, each one an object; a torn last
 * line is reported (never an entry, never an error), a damaged line elsewhere is
 * WN_ECORRUPT naming its line. One run in four then appends an entry with
 * wn_ledger_commit to a copy: afterwards the file must be the old content up to its last
 * newline, followed by exactly one new line - nothing before it rewritten - and the
 * reader must find the new entry last.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"
#include "winnow/ledger.h"

struct seen {
	unsigned long entries, last_line;
	json_object *last;
};

static int on_entry(json_object *e, unsigned long lineno, void *data)
{
	struct seen *s = data;

	if (!json_object_is_type(e, json_type_object))
		wnf_fail("ledger entry on line %lu is not an object", lineno);
	if (lineno <= s->last_line)
		wnf_fail("ledger line %lu after line %lu", lineno, s->last_line);
	s->last_line = lineno;
	s->entries++;
	json_object_put(s->last);
	s->last = json_object_get(e);
	return 0;
}

static size_t count_lines(const uint8_t *p, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += p[i] == '\n';
	return k + (n && p[n - 1] != '\n');
}

static int write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (!fp)
		return -1;
	if (fwrite(p, 1, n, fp) != n) {
		fclose(fp);
		return -1;
	}
	return fclose(fp);
}

static uint8_t *read_file(const char *path, size_t *n)
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

static void remove_torn(const char *dir)
{
	char p[512];

	/* WINNOW_TIME is fixed in LLVMFuzzerInitialize, so the name is known */
	snprintf(p, sizeof(p), "%s/ledger.jsonl.torn-2026-01-01T00:00:00Z", dir);
	unlink(p);
}

static void commit_check(const uint8_t *data, size_t size, uint64_t bits)
{
	const char *dir = wnf_scratch_dir();
	char path[400];
	char *argv[] = { "winnow-fuzz", "--flag", NULL };
	struct wn_ledger l;
	struct wn_err err;
	uint8_t *after;
	size_t alen, keep = size;
	struct seen s = { 0, 0, NULL };
	unsigned long torn;
	int rc;

	snprintf(path, sizeof(path), "%s/ledger.jsonl", dir);
	if (write_file(path, data, size) < 0)
		wnf_fail("cannot write the scratch ledger");
	while (keep && data[keep - 1] != '\n')
		keep--;
	wn_err_clear(&err);
	if (wn_ledger_begin(&l, path, "fuzz", "winnow-fuzz", 2, argv, &err) < 0)
		goto out;
	wn_ledger_set_int(wn_ledger_entry(&l), "records", (int64_t)(bits & 0xffff), NULL);
	if (wn_ledger_commit(&l, "ok", &err) < 0) {
		if (!wnf_injecting())
			wnf_fail("commit failed: %s", err.msg);
		goto out;
	}
	after = read_file(path, &alen);
	if (!after)
		wnf_fail("cannot read the ledger back");
	if (alen <= keep || memcmp(after, data, keep) != 0)
		wnf_fail("commit changed the %zu bytes before the torn tail", keep);
	if (after[alen - 1] != '\n' || memchr(after + keep, '\n', alen - keep - 1))
		wnf_fail("commit did not append exactly one line");
	free(after);
	rc = wn_ledger_read(path, on_entry, &s, &torn, &err);
	if (rc == 0) {
		json_object *v;
		if (torn)
			wnf_fail("a torn line reported after commit");
		if (!s.last || !json_object_object_get_ex(s.last, "stage", &v) ||
		    strcmp(json_object_get_string(v), "fuzz") != 0)
			wnf_fail("the committed entry is not the last one read");
	}
out:
	json_object_put(s.last);
	unlink(path);
	remove_torn(dir);
}

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	char path[64];
	struct seen s = { 0, 0, NULL };
	struct wn_err err;
	unsigned long torn = 0;
	int fd, rc;

	fd = wnf_memfile(data, size, path, sizeof(path));
	if (fd < 0)
		return;
	wn_err_clear(&err);
	rc = wn_ledger_read(path, on_entry, &s, &torn, &err);
	close(fd);
	json_object_put(s.last);
	if (rc == 0 && torn && torn != count_lines(data, size))
		wnf_fail("torn line %lu is not the last line (%zu)", torn, count_lines(data, size));
	if (rc < 0 && !wnf_injecting() && err.code == WN_ECORRUPT && !strstr(err.msg, "line"))
		wnf_fail("corruption message does not name the line: %s", err.msg);
	if ((bits & 3) == 0)
		commit_check(data, size, bits);
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

/* Unit tests: input.c (gzip, text, lines), jsonl.c, output.c, ledger.c */
#include <stdlib.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include "wn_test.h"
#include "winnow/input.h"
#include "winnow/jsonl.h"
#include "winnow/ledger.h"
#include "winnow/output.h"

static char tmpdir[256];

static const char *path_in_tmp(const char *name)
{
	static char p[512];
	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	return p;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	fwrite(p, 1, n, f);
	fclose(f);
}

/* gzip-compress p into out (a fresh member) */
static size_t gz(const void *p, size_t n, unsigned char *out, size_t cap)
{
	z_stream z;
	size_t len;

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	len = cap - z.avail_out;
	deflateEnd(&z);
	return len;
}

static void read_all(struct wn_input *in, struct wn_buf *b, int *rc)
{
	struct wn_err err;
	*rc = wn_input_slurp(in, b, &err);
}

static void test_plain_and_gzip(void)
{
	static unsigned char zbuf[4096];
	struct wn_buf b;
	struct wn_input *in;
	int rc;
	size_t n1, n2;

	wn_buf_init(&b, 0);
	in = wn_input_from_memory("hello", 5, "mem", NULL);
	read_all(in, &b, &rc);
	CHECK(rc == 0);
	CHECK_STR(b.data, "hello");
	CHECK(!wn_input_is_gzip(in));
	wn_input_close(in);

	/* two gzip members concatenated, as some tools write them */
	n1 = gz("first ", 6, zbuf, sizeof(zbuf));
	n2 = gz("second", 6, zbuf + n1, sizeof(zbuf) - n1);
	write_file(path_in_tmp("two.gz"), zbuf, n1 + n2);
	wn_buf_reset(&b);
	in = wn_input_open(path_in_tmp("two.gz"), NULL, NULL);
	CHECK(in != NULL);
	read_all(in, &b, &rc);
	CHECK(rc == 0);
	CHECK(wn_input_is_gzip(in));
	CHECK_STR(b.data, "first second");
	wn_input_close(in);

	/* truncated gzip: a clear format error, not a silent short read */
	write_file(path_in_tmp("trunc.gz"), zbuf, n1 - 5);
	wn_buf_reset(&b);
	in = wn_input_open(path_in_tmp("trunc.gz"), NULL, NULL);
	{
		struct wn_err err;
		rc = wn_input_slurp(in, &b, &err);
		CHECK(rc == -1);
		CHECK(err.code == WN_EFORMAT);
		CHECK(strstr(err.msg, "truncated gzip") != NULL);
		CHECK(strstr(err.msg, "trunc.gz") != NULL);
	}
	wn_input_close(in);
	wn_buf_release(&b);
}

static void test_gzip_bomb_cap(void)
{
	static unsigned char zeros[1 << 20], zbuf[1 << 16];
	size_t n = gz(zeros, sizeof(zeros), zbuf, sizeof(zbuf));
	struct wn_input_opts o = { 100000, NULL };
	struct wn_input *in;
	struct wn_buf b;
	struct wn_err err;

	write_file(path_in_tmp("bomb.gz"), zbuf, n);
	in = wn_input_open(path_in_tmp("bomb.gz"), &o, NULL);
	wn_buf_init(&b, 0);
	CHECK(wn_input_slurp(in, &b, &err) == -1);
	CHECK(err.code == WN_ELIMIT);
	CHECK(b.len <= 100000);
	wn_input_close(in);
	wn_buf_release(&b);
}

static void test_missing_file(void)
{
	struct wn_err err;

	CHECK(wn_input_open("/nonexistent/x.ris", NULL, &err) == NULL);
	CHECK(strstr(err.msg, "cannot open '/nonexistent/x.ris'") != NULL);
	CHECK(wn_input_open("/", NULL, &err) == NULL);
	CHECK(strstr(err.msg, "is a directory") != NULL);
}

static void test_text_mode(void)
{
	struct wn_input *in;
	struct wn_buf b;
	int rc;
	const unsigned char u16[] = { 0xFF, 0xFE, 'P', 0, 'T', 0, 0xe9, 0, '\n', 0 };

	wn_buf_init(&b, 0);
	in = wn_input_from_memory("\xef\xbb\xbfTY  - JOUR", 13, "bom", NULL);
	CHECK(wn_input_text_mode(in, 1, NULL) == 0);
	CHECK_STR(wn_input_encoding(in), "utf-8-bom");
	read_all(in, &b, &rc);
	CHECK_STR(b.data, "TY  - JOUR");
	wn_input_close(in);

	wn_buf_reset(&b);
	in = wn_input_from_memory(u16, sizeof(u16), "u16", NULL);
	wn_input_text_mode(in, 1, NULL);
	CHECK_STR(wn_input_encoding(in), "utf-16le");
	read_all(in, &b, &rc);
	CHECK_STR(b.data, "PT\xc3\xa9\n");
	wn_input_close(in);
	wn_buf_release(&b);
}

static void test_lines(void)
{
	const char *text = "one\r\ntwo\nthree\rfour\r\n\nlast";
	const char *want[] = { "one", "two", "three", "four", "", "last" };
	struct wn_input *in = wn_input_from_memory(text, strlen(text), "t", NULL);
	struct wn_lines l;
	const char *line;
	size_t len, i = 0;
	int rc;

	wn_lines_init(&l, in, 0, NULL);
	while ((rc = wn_lines_next(&l, &line, &len, NULL)) == 1 && i < 6) {
		CHECK_STR(line, want[i]);
		CHECK_INT(l.lineno, i + 1);
		if (i == 1) {
			wn_lines_unread(&l);
			CHECK(wn_lines_next(&l, &line, &len, NULL) == 1);
			CHECK_STR(line, "two");
		}
		i++;
	}
	CHECK_INT(i, 6);
	CHECK_INT(rc, 0);
	wn_lines_release(&l);
	wn_input_close(in);
}

static void test_long_lines(void)
{
	/* a line longer than the read buffer, then one over the cap, then a normal one */
	size_t big = 600 * 1024, over = 2 << 20;
	char *text = malloc(big + over + 64);
	size_t n = 0;
	struct wn_input *in;
	struct wn_lines l;
	const char *line;
	size_t len;
	struct wn_err err;

	memset(text, 'a', big);
	n = big;
	text[n++] = '\n';
	memset(text + n, 'b', over);
	n += over;
	text[n++] = '\r';
	text[n++] = '\n';
	memcpy(text + n, "tail\n", 5);
	n += 5;
	in = wn_input_from_memory(text, n, "long", NULL);
	wn_lines_init(&l, in, 1 << 20, NULL);
	CHECK(wn_lines_next(&l, &line, &len, &err) == 1);
	CHECK_INT(len, big);
	CHECK(wn_lines_next(&l, &line, &len, &err) == 2);
	CHECK(err.code == WN_ELIMIT);
	CHECK(strstr(err.msg, "line 2") != NULL);
	CHECK(wn_lines_next(&l, &line, &len, &err) == 1);
	CHECK_STR(line, "tail");
	CHECK_INT(l.lineno, 3);
	CHECK(wn_lines_next(&l, &line, &len, &err) == 0);
	wn_lines_release(&l);
	wn_input_close(in);
	free(text);
}

static void test_jsonl(void)
{
	const char *text = "{\"id\":\"a\",\"title\":\"x\\/y\"}\n\n[1,2]\n{\"id\":\"b\"\n{\"id\":\"c\\u00e9\"} {}\n"
			   "{\"t\":\"caf\xe9\"}\n{\"id\":\"d\",\"unknown\":{\"k\":[1,true,null]}}";
	struct wn_input *in = wn_input_from_memory(text, strlen(text), "s.jsonl", NULL);
	struct wn_jsonl_reader *r = wn_jsonl_from_input(in, 0, NULL);
	json_object *o;
	struct wn_err err;
	size_t n;

	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_OK);
	CHECK_STR(wn_json_compact(o, &n), "{\"id\":\"a\",\"title\":\"x/y\"}");
	json_object_put(o);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_BAD);
	CHECK(strstr(err.msg, "'s.jsonl' line 3: not a JSON object") != NULL);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_BAD);
	CHECK(strstr(err.msg, "line 4") != NULL);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_BAD);
	CHECK(strstr(err.msg, "not valid JSON") != NULL);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_BAD);
	CHECK(strstr(err.msg, "invalid UTF-8") != NULL);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_OK);
	/* unknown fields pass through byte for byte */
	CHECK_STR(wn_json_compact(o, &n), "{\"id\":\"d\",\"unknown\":{\"k\":[1,true,null]}}");
	json_object_put(o);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_EOF);
	wn_jsonl_close(r);
	wn_input_close(in);
}

/* json-c's own UTF-8 check follows only the byte pattern: an overlong form (a fuzz
 * finding, in a key), an encoded surrogate and a code point past U+10FFFF were accepted
 * and written back invalid. Each is a bad line naming file and line; an unpaired \ud800
 * escape is valid JSON text and reads as U+FFFD. */
static void test_jsonl_strict_utf8(void)
{
	const char *text = "{\"es0\xe0\x93\xa1\":1}\n{\"a\":\"\xed\xa0\x80\"}\n"
			   "{\"a\":\"\xf4\x90\x80\x80\"}\n{\"a\":\"\\ud800x\"}\n";
	struct wn_input *in = wn_input_from_memory(text, strlen(text), "u.jsonl", NULL);
	struct wn_jsonl_reader *r = wn_jsonl_from_input(in, 0, NULL);
	json_object *o;
	struct wn_err err;
	size_t n;

	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_BAD);
	CHECK(strstr(err.msg, "'u.jsonl' line 1: invalid UTF-8") != NULL);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_BAD);
	CHECK(strstr(err.msg, "'u.jsonl' line 2: invalid UTF-8") != NULL);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_BAD);
	CHECK(strstr(err.msg, "'u.jsonl' line 3: invalid UTF-8") != NULL);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_OK);
	CHECK_STR(wn_json_compact(o, &n), "{\"a\":\"\xef\xbf\xbdx\"}");
	json_object_put(o);
	CHECK(wn_jsonl_next(r, &o, &err) == WN_JSONL_EOF);
	wn_jsonl_close(r);
	wn_input_close(in);
}

static void test_output_atomic(void)
{
	struct wn_output o;
	struct wn_err err;
	struct stat st;
	const char *target = path_in_tmp("out.jsonl");

	unlink(target);
	CHECK(wn_output_open(&o, target, stdout, &err) == 0);
	fputs("partial", o.fp);
	CHECK(stat(target, &st) != 0); /* nothing at the target until commit */
	wn_output_abort(&o);
	CHECK(stat(target, &st) != 0);
	CHECK(wn_output_open(&o, target, stdout, &err) == 0);
	fputs("whole\n", o.fp);
	CHECK(wn_output_commit(&o, &err) == 0);
	CHECK(stat(target, &st) == 0 && st.st_size == 6);
	CHECK(wn_output_open(&o, "/nonexistent-dir/x", stdout, &err) == -1);
	CHECK(strstr(err.msg, "/nonexistent-dir/x") != NULL);
}

/* A FIFO (like /dev/null or /dev/stdout) is written in place, never replaced by a
 * regular file: as root a rename over /dev/null would break the whole machine. */
static void test_output_to_fifo(void)
{
	struct wn_output o;
	struct wn_err err;
	struct stat st;
	char buf[16] = {0};
	const char *fifo = path_in_tmp("fifo");
	int fd;

	unlink(fifo);
	CHECK(mkfifo(fifo, 0600) == 0);
	/* a reader first, non-blocking, so that opening for writing does not block */
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	CHECK(fd >= 0);
	CHECK(wn_output_open(&o, fifo, stdout, &err) == 0);
	fputs("data\n", o.fp);
	CHECK(wn_output_commit(&o, &err) == 0);
	CHECK(read(fd, buf, sizeof(buf) - 1) == 5);
	CHECK_STR(buf, "data\n");
	close(fd);
	CHECK(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK(wn_output_open(&o, "/dev/null", stdout, &err) == 0);
	CHECK(o.tmp_path == NULL);
	fputs("discarded\n", o.fp);
	CHECK(wn_output_commit(&o, &err) == 0);
	CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
	unlink(fifo);
}

/* Ctrl-C / SIGTERM during -o must not leave the temporary file behind. */
static void test_output_signal_cleanup(void)
{
	char dir[600];
	pid_t pid;
	int status, leftovers = 0;
	DIR *d;
	struct dirent *de;

	snprintf(dir, sizeof(dir), "%s/sig", tmpdir);
	mkdir(dir, 0755);
	pid = fork();
	if (pid == 0) {
		struct wn_output o;
		char target[700];
		snprintf(target, sizeof(target), "%s/out.jsonl", dir);
		if (wn_output_open(&o, target, stdout, NULL) < 0)
			_exit(2);
		fputs("partial\n", o.fp);
		fflush(o.fp);
		raise(SIGTERM);
		_exit(3);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	d = opendir(dir);
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			leftovers++;
	}
	if (d)
		closedir(d);
	CHECK_INT(leftovers, 0);
}

static int count_entries(json_object *e, unsigned long lineno, void *data)
{
	json_object *v;
	(void)lineno;
	if (json_object_object_get_ex(e, "stage", &v))
		(*(int *)data)++;
	return 0;
}

static void test_ledger(void)
{
	const char *lp = path_in_tmp("ledger.jsonl");
	struct wn_ledger l;
	struct wn_err err;
	char *argv[] = { "prog", "--x", "a b" };
	int n = 0;
	unsigned long torn;
	FILE *f;

	unlink(lp);
	CHECK(wn_ledger_begin(&l, lp, "fetch", "winnow-fetch", 3, argv, &err) == 0);
	wn_ledger_set_int(wn_ledger_entry(&l), "records", 10, NULL);
	wn_ledger_add_count(wn_ledger_object(wn_ledger_entry(&l), "sources", NULL), "PubMed", 4, NULL);
	wn_ledger_add_count(wn_ledger_object(wn_ledger_entry(&l), "sources", NULL), "PubMed", 6, NULL);
	CHECK(wn_ledger_commit(&l, "ok", &err) == 0);
	CHECK(wn_ledger_begin(&l, lp, "dedup", "winnow-dedup", 1, argv, &err) == 0);
	CHECK(wn_ledger_commit(&l, "ok", &err) == 0);
	CHECK(wn_ledger_read(lp, count_entries, &n, &torn, &err) == 0);
	CHECK_INT(n, 2);
	CHECK_INT(torn, 0);

	/* a torn last line (crash mid-write) is skipped on read, set aside on append */
	f = fopen(lp, "a");
	fputs("{\"ledger\":1,\"stage\":\"scr", f);
	fclose(f);
	n = 0;
	CHECK(wn_ledger_read(lp, count_entries, &n, &torn, &err) == 0);
	CHECK_INT(n, 2);
	CHECK_INT(torn, 3);
	CHECK(wn_ledger_begin(&l, lp, "screen", "winnow-screen", 1, argv, &err) == 0);
	CHECK(wn_ledger_commit(&l, "ok", &err) == 0);
	n = 0;
	CHECK(wn_ledger_read(lp, count_entries, &n, &torn, &err) == 0);
	CHECK_INT(n, 3);
	CHECK_INT(torn, 0);

	/* a damaged line in the middle is an error naming the line */
	f = fopen(lp, "a");
	fputs("garbage\n", f);
	fclose(f);
	CHECK(wn_ledger_begin(&l, lp, "prisma", "winnow-prisma", 1, argv, &err) == 0);
	CHECK(wn_ledger_commit(&l, "ok", &err) == 0);
	CHECK(wn_ledger_read(lp, count_entries, &n, &torn, &err) == -1);
	CHECK(err.code == WN_ECORRUPT);
	CHECK(strstr(err.msg, "line 4") != NULL);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/unit-io-XXXXXX", getenv("WINNOW_TEST_TMP") ? getenv("WINNOW_TEST_TMP") : "/tmp");
	{
		char *slash = strrchr(tmpdir, '/');
		*slash = '\0';
		mkdir(tmpdir, 0755);
		*slash = '/';
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_plain_and_gzip);
	RUN(test_gzip_bomb_cap);
	RUN(test_missing_file);
	RUN(test_text_mode);
	RUN(test_lines);
	RUN(test_long_lines);
	RUN(test_jsonl);
	RUN(test_jsonl_strict_utf8);
	RUN(test_output_atomic);
	RUN(test_output_to_fifo);
	RUN(test_output_signal_cleanup);
	RUN(test_ledger);
	if (!wn_test_failures) {
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			return 1;
	}
	return wn_test_report();
}

/*
 * ledger.c - building, appending and reading ledger lines (see ledger.h, docs/ledger.md).
 *
 * Append protocol: format the line, open O_APPEND, take an exclusive flock (a concurrent
 * winnow run waits a moment rather than interleaving), set aside a torn tail left by a
 * crash (copied to <ledger>.torn-<time>, then truncated), write the line in one loop,
 * fdatasync. The run id is random: it only has to tell runs apart, e.g. when the same
 * ledger is given twice to winnow-prisma.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/buf.h"
#include "winnow/hash.h"
#include "winnow/jsonl.h"
#include "winnow/input.h"
#include "winnow/ledger.h"
#include "winnow/output.h"
#include "winnow/timefmt.h"
#include "winnow/version.h"

static int add(json_object *obj, const char *key, json_object *v, struct wn_err *err)
{
	if (!v || json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

int wn_ledger_set_int(json_object *obj, const char *key, int64_t v, struct wn_err *err)
{
	return add(obj, key, json_object_new_int64(v), err);
}

int wn_ledger_set_str(json_object *obj, const char *key, const char *v, struct wn_err *err)
{
	return add(obj, key, json_object_new_string(v), err);
}

int wn_ledger_add_count(json_object *obj, const char *key, int64_t n, struct wn_err *err)
{
	json_object *v;

	if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_int))
		return json_object_set_int64(v, json_object_get_int64(v) + n) ? 0
			: wn_err_set(err, WN_ENOMEM, "out of memory");
	return wn_ledger_set_int(obj, key, n, err);
}

json_object *wn_ledger_object(json_object *obj, const char *key, struct wn_err *err)
{
	json_object *v;

	if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_object))
		return v;
	v = json_object_new_object();
	if (add(obj, key, v, err) < 0)
		return NULL;
	return v;
}

json_object *wn_ledger_array(json_object *obj, const char *key, struct wn_err *err)
{
	json_object *v;

	if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_array))
		return v;
	v = json_object_new_array();
	if (add(obj, key, v, err) < 0)
		return NULL;
	return v;
}

static void run_id(char out[17])
{
	uint64_t seed[3];
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	seed[0] = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	seed[1] = (uint64_t)getpid();
	if (getrandom(&seed[2], sizeof(seed[2]), GRND_NONBLOCK) != (ssize_t)sizeof(seed[2]))
		seed[2] = (uint64_t)(uintptr_t)&seed;
	wn_hash_hex(wn_hash64(seed, sizeof(seed)), out);
}

int wn_ledger_begin(struct wn_ledger *l, const char *path, const char *stage,
		    const char *tool, int argc, char **argv, struct wn_err *err)
{
	char iso[32], id[17];
	json_object *args;
	int i;

	l->path = NULL;
	l->entry = json_object_new_object();
	if (!l->entry)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (path && *path && !(l->path = wn_strdup(path)))
		goto oom;
	run_id(id);
	if (wn_ledger_set_int(l->entry, "ledger", WN_LEDGER_FORMAT, err) < 0 ||
	    wn_ledger_set_str(l->entry, "run", id, err) < 0 ||
	    wn_ledger_set_str(l->entry, "stage", stage, err) < 0 ||
	    wn_ledger_set_str(l->entry, "tool", tool, err) < 0 ||
	    wn_ledger_set_str(l->entry, "version", WINNOW_VERSION, err) < 0 ||
	    wn_ledger_set_str(l->entry, "started", wn_time_iso(wn_time_now(), iso), err) < 0)
		goto fail;
	args = wn_ledger_array(l->entry, "argv", err);
	if (!args)
		goto fail;
	/* argv after wn_parse_options ends at a NULL (positional arguments moved first):
	 * stop there rather than pass NULL on */
	for (i = 1; i < argc && argv[i]; i++) {
		json_object *s = json_object_new_string(argv[i]);
		if (!s || json_object_array_add(args, s) != 0) {
			json_object_put(s);
			goto oom;
		}
	}
	return 0;
oom:
	wn_err_set(err, WN_ENOMEM, "out of memory");
fail:
	wn_ledger_release(l);
	return -1;
}

json_object *wn_ledger_entry(struct wn_ledger *l)
{
	return l->entry;
}

void wn_ledger_release(struct wn_ledger *l)
{
	if (l->entry)
		json_object_put(l->entry);
	l->entry = NULL;
	wn_free(l->path);
	l->path = NULL;
}

/* If the file does not end in '\n', copy the torn tail aside and cut it off. */
static int set_aside_torn_tail(int fd, const char *path, struct wn_err *err)
{
	struct stat st;
	off_t start, pos;
	char c, buf[4096];
	struct wn_buf aside;
	int afd, rc = 0;

	if (fstat(fd, &st) < 0)
		return wn_err_sys(err, errno, "cannot stat '%s'", path);
	if (st.st_size == 0)
		return 0;
	if (pread(fd, &c, 1, st.st_size - 1) != 1)
		return wn_err_sys(err, errno, "cannot read '%s'", path);
	if (c == '\n')
		return 0;
	/* find the start of the torn line */
	start = st.st_size;
	while (start > 0) {
		off_t from = start > (off_t)sizeof(buf) ? start - (off_t)sizeof(buf) : 0;
		ssize_t n = pread(fd, buf, (size_t)(start - from), from);
		if (n <= 0)
			return wn_err_sys(err, errno ? errno : EIO, "cannot read '%s'", path);
		for (pos = n - 1; pos >= 0; pos--) {
			if (buf[pos] == '\n')
				break;
		}
		if (pos >= 0) {
			start = from + pos + 1;
			break;
		}
		start = from;
	}
	wn_buf_init(&aside, 0);
	{
		char iso[32];
		if (wn_buf_addf(&aside, err, "%s.torn-%s", path, wn_time_iso(wn_time_now(), iso)) < 0)
			return -1;
	}
	afd = open(aside.data, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (afd < 0) {
		rc = wn_err_sys(err, errno, "cannot create '%s'", aside.data);
	} else {
		for (pos = start; pos < st.st_size && rc == 0;) {
			ssize_t n = pread(fd, buf, sizeof(buf), pos);
			if (n <= 0 || wn_write_all(afd, buf, (size_t)n) < 0)
				rc = wn_err_sys(err, errno ? errno : EIO, "cannot save the torn line of '%s'", path);
			pos += n > 0 ? n : 0;
		}
		if (rc == 0 && fsync(afd) < 0)
			rc = wn_err_sys(err, errno, "cannot sync '%s'", aside.data);
		close(afd);
	}
	if (rc == 0 && ftruncate(fd, start) < 0)
		rc = wn_err_sys(err, errno, "cannot truncate '%s'", path);
	wn_buf_release(&aside);
	return rc;
}

int wn_ledger_commit(struct wn_ledger *l, const char *status, struct wn_err *err)
{
	char iso[32];
	const char *s;
	size_t len;
	struct wn_buf line;
	int fd, rc = 0;

	if (!l->entry)
		return wn_err_set(err, WN_EUSAGE, "ledger entry not begun");
	if (wn_ledger_set_str(l->entry, "status", status, err) < 0 ||
	    wn_ledger_set_str(l->entry, "finished", wn_time_iso(wn_time_now(), iso), err) < 0) {
		wn_ledger_release(l);
		return -1;
	}
	if (!l->path) {
		wn_ledger_release(l);
		return 0;
	}
	s = wn_json_compact(l->entry, &len);
	wn_buf_init(&line, 0);
	if (!s || wn_buf_add(&line, s, len, err) < 0 || wn_buf_addc(&line, '\n', err) < 0) {
		wn_buf_release(&line);
		wn_ledger_release(l);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	fd = open(l->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = wn_err_sys(err, errno, "cannot open ledger '%s'", l->path);
		goto out;
	}
	if (flock(fd, LOCK_EX) < 0) {
		rc = wn_err_sys(err, errno, "cannot lock ledger '%s'", l->path);
		goto close_out;
	}
	if (set_aside_torn_tail(fd, l->path, err) < 0) {
		rc = -1;
		goto close_out;
	}
	if (wn_write_all(fd, line.data, line.len) < 0) {
		rc = wn_err_sys(err, errno, "cannot write ledger '%s'", l->path);
		goto close_out;
	}
	if (fdatasync(fd) < 0 && errno != EINVAL)
		rc = wn_err_sys(err, errno, "cannot sync ledger '%s'", l->path);
close_out:
	if (close(fd) < 0 && rc == 0)
		rc = wn_err_sys(err, errno, "cannot write ledger '%s'", l->path);
out:
	wn_buf_release(&line);
	wn_ledger_release(l);
	return rc;
}

/* The line is the JSON literal null (json-c's only successful parse to NULL). */
static int null_literal(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && wn_isspace((unsigned char)s[i]))
		i++;
	if (n - i < 4 || memcmp(s + i, "null", 4) != 0)
		return 0;
	for (i += 4; i < n; i++)
		if (!wn_isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

int wn_ledger_read(const char *path, wn_ledger_fn fn, void *data, unsigned long *torn_last,
		   struct wn_err *err)
{
	struct wn_input *in;
	struct wn_buf all;
	size_t pos = 0;
	unsigned long lineno = 0;
	json_tokener *tok;
	int rc = 0;

	if (torn_last)
		*torn_last = 0;
	in = wn_input_open(path, NULL, err);
	if (!in)
		return -1;
	wn_buf_init(&all, 0);
	if (wn_input_slurp(in, &all, err) < 0) {
		wn_input_close(in);
		wn_buf_release(&all);
		return -1;
	}
	wn_input_close(in);
	tok = json_tokener_new();
	if (!tok) {
		wn_buf_release(&all);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	while (pos < all.len && rc == 0) {
		char *nl = memchr(all.data + pos, '\n', all.len - pos);
		size_t end = nl ? (size_t)(nl - all.data) : all.len;
		size_t len = end - pos;
		json_object *o;

		lineno++;
		if (len == 0) {
			pos = end + 1;
			continue;
		}
		json_tokener_reset(tok);
		errno = 0;
		o = json_tokener_parse_ex(tok, all.data + pos, (int)len);
		if (errno == ENOMEM || (!o && json_tokener_get_error(tok) == json_tokener_success &&
					!null_literal(all.data + pos, len)) ||
		    (json_tokener_get_error(tok) == json_tokener_success &&
		     wn_json_lost_values(o, all.data + pos, json_tokener_get_parse_end(tok)))) {
			/* json-c (0.16) does not report allocation failures while parsing (NULL
			 * without an error, or a member left out); the failed allocation sets
			 * errno. Not damage in the ledger. */
			json_object_put(o);
			rc = wn_err_set(err, WN_ENOMEM, "out of memory");
			break;
		}
		if (!o || json_tokener_get_error(tok) != json_tokener_success ||
		    !json_object_is_type(o, json_type_object) ||
		    json_tokener_get_parse_end(tok) != len) {
			json_object_put(o);
			if (!nl) {
				if (torn_last)
					*torn_last = lineno;
				break;
			}
			rc = wn_err_set(err, WN_ECORRUPT,
					"ledger '%s' line %lu is not a valid ledger entry (the file was edited or damaged)",
					path, lineno);
			break;
		}
		rc = fn(o, lineno, data);
		json_object_put(o);
		pos = nl ? end + 1 : all.len;
	}
	json_tokener_free(tok);
	wn_buf_release(&all);
	return rc;
}

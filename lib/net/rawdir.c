/*
 * rawdir.c - the --save-raw directory (see rawdir.h) and its offline replay.
 *
 * Why replay goes through the same import session code as the live run: the records
 * are then the same bytes by construction - same parser, same file names as origin,
 * same order (the manifest's), same de-duplication rule, same id generator sequence.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <libdeflate.h>
#include "rawdir.h"
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/hash.h"
#include "winnow/input.h"
#include "winnow/jsonl.h"
#include "winnow/output.h"
#include "winnow/record.h"

#define MANIFEST_MAX ((size_t)256 << 20)

const char *wn_rawdir_str(json_object *entry, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(entry, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int64_t wn_rawdir_int(json_object *entry, const char *key, int64_t dflt)
{
	json_object *v;

	if (!json_object_object_get_ex(entry, key, &v) || !json_object_is_type(v, json_type_int))
		return dflt;
	return json_object_get_int64(v);
}

static int path_join(struct wn_buf *b, const char *dir, const char *name, struct wn_err *err)
{
	wn_buf_reset(b);
	return wn_buf_addf(b, err, "%s/%s", dir, name);
}

void wn_rawdir_name(char out[48], unsigned long seq, const char *kind)
{
	snprintf(out, 48, "%06lu-%s.xml.gz", seq, kind);
}

/* A file name from a manifest must be one of ours: NNNNNN-kind.xml.gz, no path. */
static int safe_name(const char *s)
{
	size_t i = 0;

	while (wn_isdigit((unsigned char)s[i]))
		i++;
	if (i < 6 || s[i] != '-')
		return 0;
	return strcmp(s + i + 1, "efetch.xml.gz") == 0 || strcmp(s + i + 1, "esearch.xml.gz") == 0;
}

/* ---- reading the manifest ---- */

/* Parse the manifest text into rd->lines. A last line without its newline, or that is
 * not JSON, is torn: *good_len is where the good lines end. */
static int parse_manifest(struct wn_rawdir *rd, const char *path, const char *text, size_t len,
			  size_t *good_len, struct wn_err *err)
{
	size_t pos = 0, lineno = 0;
	json_tokener *tok = json_tokener_new();

	*good_len = 0;
	if (!tok)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	rd->lines = json_object_new_array();
	if (!rd->lines) {
		json_tokener_free(tok);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		json_object *obj;

		lineno++;
		json_tokener_reset(tok);
		obj = n ? json_tokener_parse_ex(tok, text + pos, (int)n) : NULL;
		if (obj && json_tokener_get_parse_end(tok) != n) {
			json_object_put(obj);
			obj = NULL;
		}
		if (!obj || !json_object_is_type(obj, json_type_object)) {
			json_object_put(obj);
			if (!nl || pos + n + 1 == len) /* the last line: torn by a crash */
				break;
			json_tokener_free(tok);
			return wn_err_set(err, WN_ECORRUPT, "'%s' line %zu is damaged (not a JSON object)",
					  path, lineno);
		}
		if (!nl) { /* complete JSON but no newline: the write was cut; treat as torn */
			json_object_put(obj);
			break;
		}
		if (json_object_array_add(rd->lines, obj)) {
			json_object_put(obj);
			json_tokener_free(tok);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		pos += n + 1;
		*good_len = pos;
	}
	json_tokener_free(tok);
	if (json_object_array_length(rd->lines) == 0)
		return wn_err_set(err, WN_ECORRUPT, "'%s' has no header line", path);
	{
		json_object *h = json_object_array_get_idx(rd->lines, 0);
		if (wn_rawdir_int(h, "winnow_raw", 0) != WN_RAWDIR_FORMAT)
			return wn_err_set(err, WN_ECORRUPT,
					  "'%s' is not a winnow raw manifest of format %d", path, WN_RAWDIR_FORMAT);
	}
	/* the highest response number, so new files continue the sequence */
	{
		size_t i, n = json_object_array_length(rd->lines);
		for (i = 1; i < n; i++) {
			int64_t seq = wn_rawdir_int(json_object_array_get_idx(rd->lines, i), "n", 0);
			if (seq > 0 && (unsigned long)seq > rd->seq)
				rd->seq = (unsigned long)seq;
		}
	}
	return 0;
}

static int slurp_fd(int fd, const char *path, struct wn_buf *b, struct wn_err *err)
{
	char chunk[65536];

	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return wn_err_sys(err, errno, "cannot read '%s'", path);
		}
		if (r == 0)
			return 0;
		if (wn_buf_add(b, chunk, (size_t)r, err) < 0) {
			wn_err_prefix(err, "'%s'", path);
			return -1;
		}
	}
}

static void rd_init(struct wn_rawdir *rd)
{
	memset(rd, 0, sizeof(*rd));
	rd->fd = -1;
}

int wn_rawdir_read(struct wn_rawdir *rd, const char *dir, struct wn_err *err)
{
	struct wn_buf path, text;
	size_t good;
	int fd, rc;

	rd_init(rd);
	if (!(rd->dir = wn_strdup(dir)))
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	wn_buf_init(&path, 0);
	wn_buf_init(&text, MANIFEST_MAX);
	if (path_join(&path, dir, WN_RAWDIR_MANIFEST, err) < 0) {
		wn_buf_release(&path);
		return -1;
	}
	fd = open(path.data, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = wn_err_sys(err, errno, "cannot open '%s'", path.data);
	} else {
		rc = slurp_fd(fd, path.data, &text, err);
		close(fd);
		if (rc == 0)
			rc = parse_manifest(rd, path.data, text.data, text.len, &good, err);
	}
	wn_buf_release(&path);
	wn_buf_release(&text);
	return rc;
}

int wn_rawdir_is(const char *path)
{
	struct stat st;
	struct wn_buf p;
	int yes = 0;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	wn_buf_init(&p, 0);
	if (path_join(&p, path, WN_RAWDIR_MANIFEST, NULL) == 0 && stat(p.data, &st) == 0 &&
	    S_ISREG(st.st_mode))
		yes = 1;
	wn_buf_release(&p);
	return yes;
}

/* ---- writing ---- */

static int append_line(struct wn_rawdir *rd, json_object *entry, struct wn_err *err)
{
	size_t n;
	const char *s = wn_json_compact(entry, &n);
	struct wn_buf line;
	int rc = 0;

	if (!s)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	wn_buf_init(&line, 0);
	if (wn_buf_add(&line, s, n, err) < 0 || wn_buf_addc(&line, '\n', err) < 0) {
		wn_buf_release(&line);
		return -1;
	}
	if (wn_write_all(rd->fd, line.data, line.len) < 0 || fdatasync(rd->fd) < 0)
		rc = wn_err_sys(err, errno, "cannot write '%s/%s'", rd->dir, WN_RAWDIR_MANIFEST);
	wn_buf_release(&line);
	if (rc == 0 && wn_json_push(rd->lines, json_object_get(entry))) {
		json_object_put(entry);
		rc = wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return rc;
}

static json_object *make_header(json_object *request, const char *created, struct wn_err *err)
{
	json_object *h = json_object_new_object();

	if (!h || wn_json_put(h, "winnow_raw", json_object_new_int(WN_RAWDIR_FORMAT)) ||
	    wn_json_put(h, "created", json_object_new_string(created)) ||
	    wn_json_put(h, "request", json_object_get(request))) {
		json_object_put(h);
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	return h;
}

static int same_request(json_object *a, json_object *b)
{
	size_t na, nb;
	const char *sa, *sb;
	char *copy;
	int same;

	sa = wn_json_compact(a, &na);
	if (!sa || !(copy = wn_strndup(sa, na)))
		return 0;
	sb = wn_json_compact(b, &nb);
	same = sb && na == nb && memcmp(copy, sb, na) == 0;
	wn_free(copy);
	return same;
}

static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

int wn_rawdir_restart(struct wn_rawdir *rd, json_object *request, const char *created,
		      struct wn_err *err)
{
	json_object *h = make_header(request, created, err);

	if (!h)
		return -1;
	if (ftruncate(rd->fd, 0) < 0) {
		json_object_put(h);
		return wn_err_sys(err, errno, "cannot truncate '%s/%s'", rd->dir, WN_RAWDIR_MANIFEST);
	}
	json_object_put(rd->lines);
	rd->lines = json_object_new_array();
	rd->seq = 0;
	if (!rd->lines) {
		json_object_put(h);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (append_line(rd, h, err) < 0) {
		json_object_put(h);
		return -1;
	}
	json_object_put(h);
	return 0;
}

int wn_rawdir_create(struct wn_rawdir *rd, const char *dir, json_object *request,
		     const char *created, int *resumed, struct wn_err *err)
{
	struct wn_buf path, text;
	struct stat st;
	size_t good = 0;
	int rc = 0, existed;

	rd_init(rd);
	*resumed = 0;
	if (!(rd->dir = wn_strdup(dir)))
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return wn_err_sys(err, errno, "cannot create directory '%s'", dir);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return wn_err_set(err, WN_EUSAGE, "'%s' exists and is not a directory", dir);
	wn_buf_init(&path, 0);
	wn_buf_init(&text, MANIFEST_MAX);
	if (path_join(&path, dir, WN_RAWDIR_MANIFEST, err) < 0)
		goto out_fail;
	existed = stat(path.data, &st) == 0;
	if (!existed && !dir_is_empty(dir)) {
		rc = wn_err_set(err, WN_EUSAGE,
				"'%s' is not empty and holds no %s: not a raw directory of winnow-fetch (use a new directory)",
				dir, WN_RAWDIR_MANIFEST);
		goto out;
	}
	rd->fd = open(path.data, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (rd->fd < 0) {
		rc = wn_err_sys(err, errno, "cannot open '%s'", path.data);
		goto out;
	}
	if (flock(rd->fd, LOCK_EX | LOCK_NB) < 0) {
		rc = errno == EWOULDBLOCK
			? wn_err_set(err, WN_EBUSY, "'%s' is in use by another winnow-fetch", dir)
			: wn_err_sys(err, errno, "cannot lock '%s'", path.data);
		goto out;
	}
	if (slurp_fd(rd->fd, path.data, &text, err) < 0)
		goto out_fail;
	if (text.len == 0) {
		rc = wn_rawdir_restart(rd, request, created, err);
		goto out;
	}
	if (parse_manifest(rd, path.data, text.data, text.len, &good, err) < 0)
		goto out_fail;
	if (!same_request(request, json_object_object_get(json_object_array_get_idx(rd->lines, 0),
							  "request"))) {
		rc = wn_err_set(err, WN_EUSAGE,
				"'%s' holds the raw responses of a different search; use another directory to save this one",
				dir);
		goto out;
	}
	if (good < text.len && ftruncate(rd->fd, (off_t)good) < 0) {
		rc = wn_err_sys(err, errno, "cannot cut the torn last line of '%s'", path.data);
		goto out;
	}
	*resumed = 1;
	goto out;
out_fail:
	rc = -1;
out:
	wn_buf_release(&path);
	wn_buf_release(&text);
	return rc;
}

void wn_rawdir_close(struct wn_rawdir *rd)
{
	if (rd->fd >= 0)
		close(rd->fd); /* releases the lock */
	json_object_put(rd->lines);
	wn_free(rd->dir);
	rd_init(rd);
}

int wn_rawdir_append(struct wn_rawdir *rd, json_object *entry, struct wn_err *err)
{
	int rc = append_line(rd, entry, err);

	json_object_put(entry);
	return rc;
}

static int write_file(const char *tmp, const char *final, const void *p, size_t n, struct wn_err *err)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (fd < 0)
		return wn_err_sys(err, errno, "cannot create '%s'", tmp);
	if (wn_write_all(fd, p, n) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return wn_err_sys(err, e, "cannot write '%s'", tmp);
	}
	if (close(fd) < 0) {
		int e = errno;
		unlink(tmp);
		return wn_err_sys(err, e, "cannot write '%s'", tmp);
	}
	if (rename(tmp, final) < 0) {
		int e = errno;
		unlink(tmp);
		return wn_err_sys(err, e, "cannot rename '%s' to '%s'", tmp, final);
	}
	return wn_fsync_dir_of(final, err);
}

int wn_rawdir_save(struct wn_rawdir *rd, const char *name, const char *body, size_t len,
		   json_object *entry, struct wn_err *err)
{
	struct libdeflate_compressor *c = NULL;
	struct wn_buf path, tmp;
	void *gz = NULL;
	size_t bound, gzlen;
	char hex[17];
	int rc = -1;

	wn_buf_init(&path, 0);
	wn_buf_init(&tmp, 0);
	wn_hash_hex(wn_hash64(body, len), hex);
	if (wn_json_put(entry, "file", json_object_new_string(name)) ||
	    wn_json_put(entry, "bytes", json_object_new_int64((int64_t)len)) ||
	    wn_json_put(entry, "xxh64", json_object_new_string(hex))) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	c = libdeflate_alloc_compressor(6);
	bound = c ? libdeflate_gzip_compress_bound(c, len) : 0;
	gz = bound ? wn_malloc(bound) : NULL;
	if (!gz) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	gzlen = libdeflate_gzip_compress(c, body, len, gz, bound);
	if (!gzlen) {
		wn_err_set(err, WN_EIO, "cannot compress response '%s'", name);
		goto out;
	}
	if (path_join(&path, rd->dir, name, err) < 0 ||
	    wn_buf_addf(&tmp, err, "%s/.%s.tmp", rd->dir, name) < 0 ||
	    write_file(tmp.data, path.data, gz, gzlen, err) < 0)
		goto out;
	rc = append_line(rd, entry, err);
out:
	json_object_put(entry);
	if (c)
		libdeflate_free_compressor(c);
	wn_free(gz);
	wn_buf_release(&path);
	wn_buf_release(&tmp);
	return rc;
}

int wn_rawdir_load(struct wn_rawdir *rd, json_object *entry, struct wn_buf *body,
		   struct wn_err *err)
{
	const char *name = wn_rawdir_str(entry, "file"), *want = wn_rawdir_str(entry, "xxh64");
	int64_t bytes = wn_rawdir_int(entry, "bytes", -1);
	struct wn_input_opts iopts = { 0, NULL };
	struct wn_input *in;
	struct wn_buf path;
	char hex[17];
	int rc;

	if (!name || !safe_name(name) || !want || bytes < 0)
		return wn_err_set(err, WN_ECORRUPT, "'%s/%s': an entry does not name a saved response properly",
				  rd->dir, WN_RAWDIR_MANIFEST);
	wn_buf_init(&path, 0);
	if (path_join(&path, rd->dir, name, err) < 0)
		return -1;
	/* the size is known: a file that inflates beyond it is not the one saved */
	iopts.max_bytes = (uint64_t)bytes + 1;
	in = wn_input_open(path.data, &iopts, err);
	wn_buf_release(&path);
	if (!in)
		return -1;
	wn_buf_reset(body);
	rc = wn_input_slurp(in, body, err);
	wn_input_close(in);
	if (rc < 0) {
		if (err && err->code == WN_ELIMIT)
			return wn_err_set(err, WN_ECORRUPT,
					  "'%s/%s' is not the response that was saved (larger than the %lld bytes recorded)",
					  rd->dir, name, (long long)bytes);
		return -1;
	}
	wn_hash_hex(wn_hash64(body->data, body->len), hex);
	if ((int64_t)body->len != bytes || strcmp(hex, want) != 0)
		return wn_err_set(err, WN_ECORRUPT,
				  "'%s/%s' is not the response that was saved (size or checksum differs)",
				  rd->dir, name);
	return 0;
}

/* ---- replay ---- */

const char *wn_rawdir_dedupe(struct wn_idset *seen, json_object *rec, uint64_t *pmid,
			     int *fresh, struct wn_err *err)
{
	const char *s = wn_record_get(rec, WN_F_PMID);
	int added;

	*fresh = 0;
	*pmid = 0;
	if (!s || wn_pmid_parse(s, strlen(s), pmid) < 0)
		return NULL; /* nothing to compare by: keep it */
	added = wn_idset_add(seen, *pmid, err);
	if (added < 0)
		return NULL; /* out of memory: keep the record; the caller sees err */
	if (!added)
		return "PMID already delivered";
	*fresh = 1;
	return NULL;
}

static int find_tag(const char *b, size_t n, const char *tag)
{
	size_t k = strlen(tag);
	const char *p = b, *end = b + n;

	while ((size_t)(end - p) >= k) {
		const char *c = memchr(p, '<', (size_t)(end - p) - k + 1);
		if (!c)
			return 0;
		if (memcmp(c, tag, k) == 0)
			return 1;
		p = c + 1;
	}
	return 0;
}

int wn_rawdir_import(struct wn_import *imp, const char *name, const char *body, size_t len,
		     struct wn_err *err)
{
	const struct wn_format *fmt = wn_format_by_name("pubmed-xml");
	struct wn_input *in;
	int rc;

	if (!fmt)
		return wn_err_set(err, WN_EIO, "the PubMed XML reader (format 'pubmed-xml') is not in this build");
	/* an empty set (the answer for deleted PMIDs) has nothing to import: the missing
	 * PMIDs are reported by the caller, not as an empty file */
	if (!find_tag(body, len, "<PubmedArticle>") && !find_tag(body, len, "<PubmedArticle ") &&
	    !find_tag(body, len, "<PubmedBookArticle>") && !find_tag(body, len, "<PubmedBookArticle "))
		return 0;
	in = wn_input_from_memory(body, len, name, err);
	if (!in)
		return -1;
	rc = wn_import_input(imp, in, fmt, err);
	wn_input_close(in);
	/* never let a failure pass as "no error": the caller would take it for success */
	if (rc < 0 && err && err->code == WN_OK)
		wn_err_set(err, WN_EIO, "reading '%s' failed without an explanation (out of memory?)", name);
	return rc;
}

struct replay {
	struct wn_idset seen;
	struct wn_err oom;
	int failed;
};

static const char *replay_filter(void *data, json_object *rec)
{
	struct replay *r = data;
	uint64_t pmid;
	int fresh;
	const char *why = wn_rawdir_dedupe(&r->seen, rec, &pmid, &fresh, &r->oom);

	if (r->oom.code)
		r->failed = 1;
	return why;
}

int wn_rawdir_replay(const char *dir, struct wn_import *imp, wn_eutils_log_fn log,
		     void *log_data, struct wn_err *err)
{
	struct wn_rawdir rd;
	struct replay r;
	struct wn_buf body;
	size_t i, n;
	int rc = 0, done = 0;

	if (wn_rawdir_read(&rd, dir, err) < 0) {
		wn_rawdir_close(&rd);
		return -1;
	}
	wn_idset_init(&r.seen);
	wn_err_clear(&r.oom);
	r.failed = 0;
	wn_buf_init(&body, 0);
	wn_import_set_filter(imp, replay_filter, &r);
	n = json_object_array_length(rd.lines);
	for (i = 1; i < n && rc == 0; i++) {
		json_object *e = json_object_array_get_idx(rd.lines, i);
		const char *kind = wn_rawdir_str(e, "kind");

		if (kind && strcmp(kind, "done") == 0)
			done = 1;
		if (!kind || strcmp(kind, "efetch") != 0)
			continue;
		rc = wn_rawdir_load(&rd, e, &body, err);
		if (rc == 0)
			rc = wn_rawdir_import(imp, wn_rawdir_str(e, "file"), body.data, body.len, err);
		if (rc == 0 && r.failed) {
			*err = r.oom;
			rc = -1;
		}
	}
	wn_import_set_filter(imp, NULL, NULL);
	if (rc == 0 && !done && log) {
		char msg[600];
		snprintf(msg, sizeof(msg),
			 "'%s' holds an interrupted fetch (no 'done' entry): the records replayed are incomplete; rerun the fetch with --save-raw '%s' to finish it",
			 dir, dir);
		log(log_data, WN_DIAG_WARNING, msg);
	}
	wn_buf_release(&body);
	wn_idset_release(&r.seen);
	wn_rawdir_close(&rd);
	return rc;
}

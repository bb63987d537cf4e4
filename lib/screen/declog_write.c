/*
 * declog_write.c - appending to a decision log so that nothing confirmed is lost
 * (declog.h; style-reliability.md B.3).
 *
 * The writer holds an exclusive flock on the log for its whole life (a second writer is
 * refused, naming the holder's pid from /proc/locks), checks the header before reading
 * any event (blinding), moves a torn tail aside before appending, and makes every
 * appended line durable with fdatasync before returning - or, after a failed sync,
 * refuses to go on (fsyncgate).
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
#include "winnow/buf.h"
#include "winnow/declog.h"
#include "winnow/output.h"
#include "winnow/timefmt.h"
#include "declog_int.h"

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
		if (declog_read_header_fd(log->fd, path, &have, err) == 0) {
			if (header_matches(path, &have, want, err) < 0)
				goto fail;
		} else if (err && err->code != WN_ECORRUPT) {
			goto fail;
		}
		if (declog_slurp_fd(log->fd, path, &all, err) < 0)
			goto fail;
		rc = declog_scan(path, all.data, all.len, fn, data, scan, &torn_header, err);
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

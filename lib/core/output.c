/*
 * output.c - atomic output files and checked stdout (see output.h).
 *
 * The temporary file is created with mkstemp next to the target, so the final rename
 * stays within one filesystem and is atomic. Commit order: fflush, fsync, fclose (its
 * result checked: NFS reports write errors there), rename, fsync of the directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "winnow/alloc.h"
#include "winnow/buf.h"
#include "winnow/output.h"

/*
 * Temporary files are registered so that SIGINT, SIGTERM and SIGHUP remove them before
 * the process dies (git's lockfile does the same): Ctrl-C during `-o` leaves nothing
 * behind. The handler is installed only where the signal still has its default action,
 * so a tool with its own handler (the screening prompt) keeps it. The registry is a
 * fixed array of atomic pointers: async-signal-safe to read, no locks.
 */
#include <signal.h>
#include <stdatomic.h>

#define MAX_TEMPS 64
static _Atomic(char *) temp_paths[MAX_TEMPS];
static atomic_int handlers_installed;
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void remove_temps_and_die(int sig)
{
	size_t i;

	for (i = 0; i < MAX_TEMPS; i++) {
		char *p = atomic_load(&temp_paths[i]);
		if (p)
			unlink(p);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	size_t i;
	int expected = 0;

	if (!atomic_compare_exchange_strong(&handlers_installed, &expected, 1))
		return;
	for (i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++) {
		struct sigaction old, sa;
		if (sigaction(cleanup_signals[i], NULL, &old) < 0 || old.sa_handler != SIG_DFL)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = remove_temps_and_die;
		sigemptyset(&sa.sa_mask);
		sigaction(cleanup_signals[i], &sa, NULL);
	}
}

static void register_temp(char *path)
{
	size_t i;

	install_handlers();
	for (i = 0; i < MAX_TEMPS; i++) {
		char *expected = NULL;
		if (atomic_compare_exchange_strong(&temp_paths[i], &expected, path))
			return;
	}
	/* more than MAX_TEMPS open outputs: this one is not cleaned up on a signal */
}

static void unregister_temp(char *path)
{
	size_t i;

	for (i = 0; path && i < MAX_TEMPS; i++) {
		char *expected = path;
		if (atomic_compare_exchange_strong(&temp_paths[i], &expected, NULL))
			return;
	}
}

int wn_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int wn_fsync_dir_of(const char *path, struct wn_err *err)
{
	/* no allocation for ordinary paths: wn_output_commit calls this after the rename,
	 * when running out of memory must not turn a complete output into a failed run */
	char local[4096], *copy = NULL;
	char *dir;
	size_t n = strlen(path);
	int fd, rc = 0;

	if (n < sizeof(local)) {
		memcpy(local, path, n + 1);
		dir = dirname(local);
	} else {
		copy = wn_strdup(path);
		if (!copy)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		dir = dirname(copy);
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rc = wn_err_sys(err, errno, "cannot open directory '%s'", dir);
	} else {
		if (fsync(fd) < 0 && errno != EINVAL && errno != EROFS)
			rc = wn_err_sys(err, errno, "cannot sync directory '%s'", dir);
		close(fd);
	}
	wn_free(copy);
	return rc;
}

static int open_in_place(struct wn_output *o, const char *path, struct wn_err *err)
{
	o->fp = fopen(path, "w");
	if (!o->fp)
		return wn_err_sys(err, errno, "cannot open '%s' for writing", path);
	o->path = wn_strdup(path);
	if (!o->path) {
		fclose(o->fp);
		o->fp = NULL;
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	o->fd = fileno(o->fp);
	return 0;
}

int wn_output_open(struct wn_output *o, const char *path, FILE *stdout_fp, struct wn_err *err)
{
	struct wn_buf tmp;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (!path || strcmp(path, "-") == 0) {
		o->fp = stdout_fp;
		return 0;
	}
	{
		/* An existing device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`, a named
		 * pipe) is written in place: renaming a temporary file over it would replace
		 * the device node with a regular file, which as root breaks /dev/null for
		 * every other program on the machine. */
		struct stat st;
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			return open_in_place(o, path, err);
	}
	wn_buf_init(&tmp, 0);
	if (wn_buf_addf(&tmp, err, "%s.tmp-XXXXXX", path) < 0)
		return -1;
	o->fd = mkstemp(tmp.data);
	if (o->fd < 0) {
		wn_err_sys(err, errno, "cannot create a temporary file next to '%s'", path);
		wn_buf_release(&tmp);
		return -1;
	}
	{
		/* mkstemp makes 0600; an output is an ordinary file, so honour the umask */
		mode_t mask = umask(022);
		umask(mask);
		fchmod(o->fd, 0666 & ~mask);
	}
	o->tmp_path = wn_buf_detach(&tmp, NULL, err);
	o->path = wn_strdup(path);
	if (o->tmp_path)
		register_temp(o->tmp_path);
	o->fp = o->tmp_path && o->path ? fdopen(o->fd, "w") : NULL;
	if (!o->fp) {
		if (o->tmp_path) {
			unlink(o->tmp_path);
			unregister_temp(o->tmp_path);
		}
		close(o->fd);
		wn_free(o->tmp_path);
		wn_free(o->path);
		memset(o, 0, sizeof(*o));
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

int wn_output_check(FILE *fp, const char *name, struct wn_err *err)
{
	if (!ferror(fp))
		return 0;
	if (errno == EPIPE)
		return wn_err_set(err, WN_EPIPE, "broken pipe");
	return wn_err_sys(err, errno ? errno : EIO, "cannot write to '%s'", name);
}

int wn_output_commit(struct wn_output *o, struct wn_err *err)
{
	int rc = 0;

	if (!o->fp)
		return 0;
	if (!o->path) {
		errno = 0;
		if (fflush(o->fp) != 0 || ferror(o->fp)) {
			if (errno == EPIPE)
				rc = wn_err_set(err, WN_EPIPE, "broken pipe");
			else
				rc = wn_err_sys(err, errno ? errno : EIO, "cannot write to standard output");
		}
		o->fp = NULL;
		return rc;
	}
	errno = 0;
	if (!o->tmp_path) {
		/* written in place (a device or FIFO): nothing to rename or sync */
		if (fflush(o->fp) != 0 || ferror(o->fp))
			rc = wn_err_sys(err, errno ? errno : EIO, "cannot write '%s'", o->path);
		if (fclose(o->fp) != 0 && rc == 0)
			rc = wn_err_sys(err, errno, "cannot write '%s'", o->path);
		o->fp = NULL;
		wn_free(o->path);
		o->path = NULL;
		return rc;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp))
		rc = wn_err_sys(err, errno ? errno : EIO, "cannot write '%s'", o->path);
	else if (fsync(fileno(o->fp)) < 0 && errno != EINVAL)
		rc = wn_err_sys(err, errno, "cannot sync '%s'", o->path);
	if (fclose(o->fp) != 0 && rc == 0)
		rc = wn_err_sys(err, errno, "cannot write '%s'", o->path);
	o->fp = NULL;
	if (rc == 0 && rename(o->tmp_path, o->path) < 0)
		rc = wn_err_sys(err, errno, "cannot rename '%s' to '%s'", o->tmp_path, o->path);
	if (rc == 0)
		rc = wn_fsync_dir_of(o->path, err);
	if (rc < 0)
		unlink(o->tmp_path);
	unregister_temp(o->tmp_path);
	wn_free(o->tmp_path);
	wn_free(o->path);
	o->tmp_path = o->path = NULL;
	return rc;
}

void wn_output_abort(struct wn_output *o)
{
	if (o->path) {
		if (o->fp)
			fclose(o->fp);
		if (o->tmp_path)
			unlink(o->tmp_path);
		unregister_temp(o->tmp_path);
		wn_free(o->tmp_path);
		wn_free(o->path);
	}
	memset(o, 0, sizeof(*o));
	o->fd = -1;
}

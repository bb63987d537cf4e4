/*
 * faultshim.c - an LD_PRELOAD library that makes chosen system calls and third-party
 * allocations fail, for the robustness tests (docs/robustness.md; jq's and SQLite's
 * I/O-error tests do the same job).
 *
 * Why it exists:
 *   - WINNOW_FAIL_ALLOC (alloc.h) fails libwinnow's own allocations, but json-c, libxml2
 *     and zlib call malloc directly. The shim fails those: only calls whose return
 *     address lies inside one of the named libraries are counted, so the failure lands
 *     where winnow's code must notice a NULL from a library (json_object_new_*,
 *     xmlCtxtReadMemory, inflateInit), not inside libc or the dynamic loader.
 *   - A full disk or a dying disk cannot be had on demand without root. The shim fails
 *     write(2), fsync(2), fdatasync(2), close(2), ftruncate(2), rename(2) or open(2) on
 *     files whose path contains a pattern, with the errno asked for. (stdio's own writes
 *     go through libc-internal calls the shim cannot see; the tests use a small tmpfs or
 *     RLIMIT_FSIZE for those.)
 *
 * Environment:
 *   WNSHIM_FAIL_LIBALLOC=N[,sticky]  fail the Nth counted allocation (and all later ones)
 *   WNSHIM_LIBALLOC_COUNT=1          print "faultshim: library allocations: N" at exit
 *   WNSHIM_LIBS=a:b:...              libraries whose calls count (substrings of their
 *                                    path; default libjson-c:libxml2:libz.so)
 *   WNSHIM_FAIL_IO=RULE[;RULE...]    RULE is OP:PATTERN:ERRNO[:NTH[:COUNT]] - the NTH
 *                                    (default 1) and later calls of OP on a path
 *                                    containing PATTERN fail with ERRNO (a name: ENOSPC,
 *                                    EIO, EDQUOT, EPIPE, EACCES, EMFILE, EROFS, ENOMEM),
 *                                    COUNT times (default: for ever). OP is write,
 *                                    fsync, fdatasync, close, ftruncate, rename, open.
 *                                    PATTERN ending in '$' must match the end of the
 *                                    path. A failing write may first write part of the buffer
 *                                    when ERRNO is followed by "+short" (ENOSPC+short):
 *                                    the first half goes through, as on a disk that
 *                                    fills mid-write.
 *   WNSHIM_KILL=OP:PATTERN:NTH:WHEN  crash simulation: at the NTH call of OP (as above)
 *                                    on a matching path, the process SIGKILLs itself -
 *                                    WHEN is "before" the call, "after" it, or "half"
 *                                    (write only: half the buffer is written first, a
 *                                    torn line). A kill -9 at an exact point, where a
 *                                    timed kill lands only by luck.
 *   WNSHIM_LOG=1                     log each injected failure to stderr
 *
 * Not thread-safe in its counters (the tools that are tested are single-threaded where
 * it matters); never used outside tests.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <link.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- resolving the real functions ---- */

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_close)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_rename)(const char *, const char *);
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);

/* dlsym may allocate before real_malloc is known: serve that from a static arena */
static char boot[1 << 16];
static size_t boot_used;
static int resolving;

static void *boot_alloc(size_t n)
{
	size_t at = (boot_used + 15) & ~(size_t)15;

	if (at + n + 16 > sizeof(boot))
		return NULL;
	memcpy(boot + at, &n, sizeof(n));
	boot_used = at + 16 + n;
	return boot + at + 16;
}

static int is_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + sizeof(boot);
}

static void resolve(void)
{
	if (real_malloc || resolving)
		return;
	resolving = 1;
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
	real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	real_ftruncate = (int (*)(int, off_t))dlsym(RTLD_NEXT, "ftruncate");
	real_rename = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	real_openat = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	resolving = 0;
}

/* ---- configuration ---- */

static int configured;
static unsigned long fail_at, lib_count;
static int fail_sticky, count_report, log_failures;

struct range {
	uintptr_t lo, hi;
};
static struct range ranges[32];
static int nranges;
static char libs[512] = "libjson-c:libxml2:libz.so";

enum op { OP_WRITE, OP_FSYNC, OP_FDATASYNC, OP_CLOSE, OP_FTRUNCATE, OP_RENAME, OP_OPEN, OP_N };
static const char *const op_names[OP_N] = {
	"write", "fsync", "fdatasync", "close", "ftruncate", "rename", "open"
};

struct rule {
	enum op op;
	char pattern[256];
	int err;
	int shortw;
	unsigned long nth, count, seen, failed;
};
static struct rule rules[16];
static int nrules;

/* WNSHIM_KILL */
enum when { KILL_BEFORE, KILL_AFTER, KILL_HALF };
static struct {
	int on;
	enum op op;
	char pattern[256];
	unsigned long nth, seen;
	enum when when;
} killer;

static int errno_by_name(const char *s)
{
	static const struct { const char *name; int e; } t[] = {
		{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "EDQUOT", EDQUOT }, { "EPIPE", EPIPE },
		{ "EACCES", EACCES }, { "EMFILE", EMFILE }, { "EROFS", EROFS }, { "ENOMEM", ENOMEM },
		{ "EFBIG", EFBIG }, { "EINTR", EINTR },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strncmp(s, t[i].name, strlen(t[i].name)) == 0)
			return t[i].e;
	return EIO;
}

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	char pats[512], *save = NULL, *p;
	int i;

	(void)size;
	(void)data;
	if (!info->dlpi_name || !*info->dlpi_name)
		return 0;
	memcpy(pats, libs, sizeof(pats));
	for (p = strtok_r(pats, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (!strstr(info->dlpi_name, p))
			continue;
		for (i = 0; i < info->dlpi_phnum && nranges < 32; i++) {
			const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
			if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
				ranges[nranges].lo = info->dlpi_addr + ph->p_vaddr;
				ranges[nranges].hi = ranges[nranges].lo + ph->p_memsz;
				nranges++;
			}
		}
		break;
	}
	return 0;
}

static void report(void)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "faultshim: library allocations: %lu\n", lib_count);

	if (real_write && n > 0)
		real_write(2, msg, (size_t)n);
}

static void parse_rules(const char *s)
{
	char buf[2048], *save = NULL, *r;

	snprintf(buf, sizeof(buf), "%s", s);
	for (r = strtok_r(buf, ";", &save); r && nrules < 16; r = strtok_r(NULL, ";", &save)) {
		char *f[5] = { NULL, NULL, NULL, NULL, NULL }, *save2 = NULL, *x;
		int k = 0, i;
		struct rule *ru = &rules[nrules];

		for (x = strtok_r(r, ":", &save2); x && k < 5; x = strtok_r(NULL, ":", &save2))
			f[k++] = x;
		if (k < 3)
			continue;
		for (i = 0; i < OP_N; i++)
			if (strcmp(f[0], op_names[i]) == 0)
				break;
		if (i == OP_N)
			continue;
		memset(ru, 0, sizeof(*ru));
		ru->op = (enum op)i;
		snprintf(ru->pattern, sizeof(ru->pattern), "%s", f[1]);
		ru->err = errno_by_name(f[2]);
		ru->shortw = strstr(f[2], "+short") != NULL;
		ru->nth = f[3] ? strtoul(f[3], NULL, 10) : 1;
		ru->count = f[4] ? strtoul(f[4], NULL, 10) : 0;
		if (!ru->nth)
			ru->nth = 1;
		nrules++;
	}
}

static void parse_kill(const char *s)
{
	char buf[512], *f[4] = { NULL, NULL, NULL, NULL }, *save = NULL, *x;
	int k = 0, i;

	snprintf(buf, sizeof(buf), "%s", s);
	for (x = strtok_r(buf, ":", &save); x && k < 4; x = strtok_r(NULL, ":", &save))
		f[k++] = x;
	if (k < 3)
		return;
	for (i = 0; i < OP_N; i++)
		if (strcmp(f[0], op_names[i]) == 0)
			break;
	if (i == OP_N)
		return;
	killer.op = (enum op)i;
	snprintf(killer.pattern, sizeof(killer.pattern), "%s", f[1]);
	killer.nth = strtoul(f[2], NULL, 10);
	killer.when = !f[3] || strcmp(f[3], "before") == 0 ? KILL_BEFORE
		      : strcmp(f[3], "half") == 0 ? KILL_HALF : KILL_AFTER;
	killer.on = killer.nth > 0;
}

__attribute__((constructor)) static void configure(void)
{
	const char *s;

	resolve();
	if ((s = getenv("WNSHIM_LIBS")) && *s)
		snprintf(libs, sizeof(libs), "%s", s);
	if ((s = getenv("WNSHIM_FAIL_LIBALLOC")) && *s) {
		fail_at = strtoul(s, NULL, 10);
		fail_sticky = strstr(s, "sticky") != NULL;
	}
	count_report = (s = getenv("WNSHIM_LIBALLOC_COUNT")) && *s == '1';
	log_failures = (s = getenv("WNSHIM_LOG")) && *s == '1';
	if (fail_at || count_report)
		dl_iterate_phdr(phdr_cb, NULL);
	if (count_report)
		atexit(report);
	if ((s = getenv("WNSHIM_FAIL_IO")) && *s)
		parse_rules(s);
	if ((s = getenv("WNSHIM_KILL")) && *s)
		parse_kill(s);
	configured = 1;
}

/* ---- allocations ---- */

static int from_library(const void *ret)
{
	uintptr_t a = (uintptr_t)ret;
	int i;

	for (i = 0; i < nranges; i++)
		if (a >= ranges[i].lo && a < ranges[i].hi)
			return 1;
	return 0;
}

static void say(const char *what)
{
	char msg[160];
	int n;

	if (!log_failures || !real_write)
		return;
	n = snprintf(msg, sizeof(msg), "faultshim: failing %s\n", what);
	if (n > 0)
		real_write(2, msg, (size_t)n);
}

static int lib_should_fail(const void *ret)
{
	if (!configured || (!fail_at && !count_report) || !from_library(ret))
		return 0;
	lib_count++;
	if (fail_at && (lib_count == fail_at || (fail_sticky && lib_count > fail_at))) {
		say("a library allocation");
		return 1;
	}
	return 0;
}

void *malloc(size_t n)
{
	if (!real_malloc) {
		if (resolving)
			return boot_alloc(n);
		resolve();
		if (!real_malloc)
			return boot_alloc(n);
	}
	if (lib_should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return real_malloc(n);
}

void *calloc(size_t n, size_t k)
{
	if (!real_calloc) {
		void *p;
		if (k && n > SIZE_MAX / k)
			return NULL;
		p = boot_alloc(n * k);
		if (p)
			memset(p, 0, n * k);
		return p;
	}
	if (lib_should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return real_calloc(n, k);
}

void *realloc(void *p, size_t n)
{
	if (p && is_boot(p)) {
		size_t old;
		void *q;
		memcpy(&old, (char *)p - 16, sizeof(old));
		q = malloc(n);
		if (q)
			memcpy(q, p, old < n ? old : n);
		return q;
	}
	if (!real_realloc)
		return boot_alloc(n);
	if (lib_should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return real_realloc(p, n);
}

void free(void *p)
{
	if (!p || is_boot(p))
		return;
	if (real_free)
		real_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (!real_posix_memalign)
		resolve();
	if (lib_should_fail(__builtin_return_address(0)))
		return ENOMEM;
	return real_posix_memalign(out, align, n);
}

/* ---- I/O ---- */

static void fd_path(int fd, char *out, size_t n)
{
	char link[64];
	ssize_t k;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	k = readlink(link, out, n - 1);
	out[k > 0 ? k : 0] = '\0';
}

/* PATTERN occurs in path; "x$" only at its end. */
static int matches(const char *path, const char *pattern)
{
	size_t n = strlen(pattern), k = strlen(path);

	if (n && pattern[n - 1] == '$')
		return k >= n - 1 && memcmp(path + k - (n - 1), pattern, n - 1) == 0;
	return strstr(path, pattern) != NULL;
}

/* The rule that makes this call fail, or NULL. */
static struct rule *io_rule(enum op op, const char *path)
{
	int i;

	for (i = 0; i < nrules; i++) {
		struct rule *r = &rules[i];
		if (r->op != op || !matches(path, r->pattern))
			continue;
		r->seen++;
		if (r->seen >= r->nth && (!r->count || r->failed < r->count)) {
			r->failed++;
			if (log_failures) {
				char msg[400];
				int n = snprintf(msg, sizeof(msg), "faultshim: failing %s on %s\n",
						 op_names[op], path);
				if (n > 0 && real_write)
					real_write(2, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
			}
			return r;
		}
	}
	return NULL;
}

/* The WHEN at which this call must end the process, or -1. */
static int kill_point(enum op op, const char *path)
{
	if (!killer.on || killer.op != op || !matches(path, killer.pattern))
		return -1;
	if (++killer.seen != killer.nth)
		return -1;
	if (log_failures && real_write) {
		char msg[400];
		int n = snprintf(msg, sizeof(msg), "faultshim: SIGKILL at %s #%lu on %s\n",
				 op_names[op], killer.nth, path);
		if (n > 0)
			real_write(2, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	}
	return (int)killer.when;
}

static void die_now(void)
{
	kill(getpid(), SIGKILL);
	_exit(137);
}

static int fd_kill_point(enum op op, int fd)
{
	char path[4096];

	if (!killer.on || killer.op != op)
		return -1;
	fd_path(fd, path, sizeof(path));
	return kill_point(op, path);
}

static struct rule *fd_rule(enum op op, int fd)
{
	char path[4096];
	int i;

	for (i = 0; i < nrules; i++)
		if (rules[i].op == op)
			break;
	if (i == nrules)
		return NULL;
	fd_path(fd, path, sizeof(path));
	return io_rule(op, path);
}

ssize_t write(int fd, const void *p, size_t n)
{
	struct rule *r;

	if (!real_write)
		resolve();
	if (killer.on) {
		int w = fd_kill_point(OP_WRITE, fd);
		if (w == KILL_BEFORE)
			die_now();
		if (w == KILL_HALF) {
			real_write(fd, p, n / 2);
			die_now();
		}
		if (w == KILL_AFTER) {
			real_write(fd, p, n);
			die_now();
		}
	}
	if (nrules && (r = fd_rule(OP_WRITE, fd)) != NULL) {
		if (r->shortw && n > 1) {
			ssize_t w = real_write(fd, p, n / 2);
			if (w > 0)
				return w; /* the next call fails */
		}
		errno = r->err;
		return -1;
	}
	return real_write(fd, p, n);
}

int fsync(int fd)
{
	struct rule *r;

	if (!real_fsync)
		resolve();
	if (killer.on) {
		int w = fd_kill_point(OP_FSYNC, fd);
		if (w == KILL_BEFORE)
			die_now();
		if (w >= 0) {
			real_fsync(fd);
			die_now();
		}
	}
	if (nrules && (r = fd_rule(OP_FSYNC, fd)) != NULL) {
		errno = r->err;
		return -1;
	}
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	struct rule *r;

	if (!real_fdatasync)
		resolve();
	if (killer.on) {
		int w = fd_kill_point(OP_FDATASYNC, fd);
		if (w == KILL_BEFORE)
			die_now();
		if (w >= 0) {
			real_fdatasync(fd);
			die_now();
		}
	}
	if (nrules && (r = fd_rule(OP_FDATASYNC, fd)) != NULL) {
		errno = r->err;
		return -1;
	}
	return real_fdatasync(fd);
}

int close(int fd)
{
	struct rule *r;

	if (!real_close)
		resolve();
	if (nrules && (r = fd_rule(OP_CLOSE, fd)) != NULL) {
		real_close(fd); /* Linux frees the descriptor even when close reports an error */
		errno = r->err;
		return -1;
	}
	return real_close(fd);
}

int ftruncate(int fd, off_t len)
{
	struct rule *r;

	if (!real_ftruncate)
		resolve();
	if (nrules && (r = fd_rule(OP_FTRUNCATE, fd)) != NULL) {
		errno = r->err;
		return -1;
	}
	return real_ftruncate(fd, len);
}

int rename(const char *from, const char *to)
{
	struct rule *r;

	if (!real_rename)
		resolve();
	if (killer.on) {
		int w = kill_point(OP_RENAME, to);
		if (w == KILL_BEFORE)
			die_now();
		if (w >= 0) {
			real_rename(from, to);
			die_now();
		}
	}
	if (nrules && ((r = io_rule(OP_RENAME, to)) != NULL || (r = io_rule(OP_RENAME, from)) != NULL)) {
		errno = r->err;
		return -1;
	}
	return real_rename(from, to);
}

int open(const char *path, int flags, ...)
{
	struct rule *r;
	mode_t mode = 0;

	if (!real_open)
		resolve();
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (nrules && (r = io_rule(OP_OPEN, path)) != NULL) {
		errno = r->err;
		return -1;
	}
	return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int openat(int dirfd, const char *path, int flags, ...)
{
	struct rule *r;
	mode_t mode = 0;

	if (!real_openat)
		resolve();
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (nrules && (r = io_rule(OP_OPEN, path)) != NULL) {
		errno = r->err;
		return -1;
	}
	return real_openat(dirfd, path, flags, mode);
}

/*
 * cli.c - the shared frame of every winnow program (see cli.h).
 *
 * This is the one place that prints and exits on behalf of the library's users; the
 * library itself (lib/core and the areas) only returns errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json_c_version.h>
#include <utf8proc.h>
#include <xxhash.h>
#include <zlib.h>
#include <libdeflate.h>
#include "winnow/alloc.h"
#include "winnow/buf.h"
#include "winnow/cli.h"
#include "winnow/utf8.h"
#include "winnow/version.h"

/* Make sure fds 0, 1, 2 exist, so that no file we open later becomes one of them. */
static void ensure_std_fds(void)
{
	int fd;

	for (;;) {
		fd = open("/dev/null", O_RDWR);
		if (fd < 0)
			break;
		if (fd > 2) {
			close(fd);
			break;
		}
	}
}

void wn_io_init_std(struct wn_io *io, const char *prog)
{
	const char *nc = getenv("NO_COLOR");

	io->in = stdin;
	io->out = stdout;
	io->err = stderr;
	io->prog = prog;
	io->err_is_tty = isatty(2);
	io->color = io->err_is_tty && !(nc && *nc) && !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	io->warnings = 0;
}

void wn_exit_epipe(void)
{
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(141);
}

int wn_run_keeping_argv(wn_cmd_given_fn fn, int argc, char **argv, struct wn_io *io)
{
	char **given = wn_calloc((size_t)argc + 1, sizeof(*given));
	int rc;

	if (!given) {
		wn_error(io, "out of memory");
		return WN_EXIT_FAILURE;
	}
	memcpy(given, argv, (size_t)argc * sizeof(*given));
	rc = fn(argc, argv, given, io);
	wn_free(given);
	return rc;
}

int wn_main(const char *prog, wn_cmd_fn cmd, enum wn_sigpipe sigpipe, int argc, char **argv)
{
	struct wn_io io;
	int rc;

	ensure_std_fds();
	signal(SIGPIPE, sigpipe == WN_SIGPIPE_IGNORE ? SIG_IGN : SIG_DFL);
	wn_io_init_std(&io, prog);
	if (!isatty(1))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	rc = cmd(argc, argv, &io);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			wn_exit_epipe();
		/* a command that failed has already reported its write error: the stream's
		 * error flag is sticky, and a second message (with a guessed errno) is noise */
		if (!rc) {
			wn_error(&io, "cannot write to standard output: %s", strerror(errno ? errno : EIO));
			rc = WN_EXIT_FAILURE;
		}
	}
	if (fclose(stdout) != 0 && errno != EBADF) {
		if (errno == EPIPE)
			wn_exit_epipe();
		if (!rc) {
			wn_error(&io, "cannot write to standard output: %s", strerror(errno));
			rc = WN_EXIT_FAILURE;
		}
	}
	return rc;
}

static __attribute__((format(printf, 4, 0)))
void vmessage(struct wn_io *io, const char *kind, const char *color, const char *fmt, va_list ap)
{
	char raw[4096];
	struct wn_buf clean;

	vsnprintf(raw, sizeof(raw), fmt, ap);
	wn_buf_init(&clean, 0);
	/* record text ends up in messages: never let it reach the terminal raw */
	if (wn_utf8_sanitize(&clean, raw, strlen(raw), 0, NULL) < 0) {
		fprintf(io->err, "%s: %s: (message lost: out of memory)\n", io->prog, kind);
	} else if (io->color && color) {
		fprintf(io->err, "%s: \033[%sm%s\033[0m: %s\n", io->prog, color, kind, clean.data);
	} else {
		fprintf(io->err, "%s: %s: %s\n", io->prog, kind, clean.data);
	}
	fflush(io->err);
	wn_buf_release(&clean);
}

void wn_error(struct wn_io *io, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(io, "error", "1;31", fmt, ap);
	va_end(ap);
}

void wn_warning(struct wn_io *io, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(io, "warning", "1;33", fmt, ap);
	va_end(ap);
	io->warnings++;
}

void wn_note(struct wn_io *io, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(io, "note", NULL, fmt, ap);
	va_end(ap);
}

int wn_exit_code(enum wn_errcode code)
{
	switch (code) {
	case WN_OK: return WN_EXIT_OK;
	case WN_ENET: return WN_EXIT_REMOTE;
	case WN_EFORMAT:
	case WN_ECORRUPT: return WN_EXIT_DATA;
	case WN_EUSAGE: return WN_EXIT_USAGE;
	default: return WN_EXIT_FAILURE;
	}
}

int wn_report(struct wn_io *io, const struct wn_err *err)
{
	if (err->code == WN_EPIPE)
		wn_exit_epipe();
	wn_error(io, "%s", err->msg[0] ? err->msg : wn_errcode_name(err->code));
	return wn_exit_code(err->code);
}

int wn_progress_wanted(struct wn_io *io, int flag)
{
	pid_t fg;

	if (flag >= 0)
		return flag;
	if (!io->err_is_tty)
		return 0;
	/* git's is_foreground_fd: no progress from a background job */
	fg = tcgetpgrp(fileno(io->err));
	return fg < 0 || fg == getpgid(0);
}

void wn_print_version(struct wn_io *io, const char *const *extra)
{
	fprintf(io->out, "%s %s (libwinnow %s, json-c %s, utf8proc %s, zlib %s, xxHash %u.%u.%u, libdeflate %s",
		io->prog, WINNOW_VERSION, WINNOW_VERSION, json_c_version(), utf8proc_version(),
		zlibVersion(), XXH_VERSION_MAJOR, XXH_VERSION_MINOR, XXH_VERSION_RELEASE,
		LIBDEFLATE_VERSION_STRING);
	for (; extra && *extra; extra++)
		fprintf(io->out, ", %s", *extra);
	fprintf(io->out, ")\n");
}

const char *wn_ledger_path(const char *opt)
{
	const char *env;

	if (opt && *opt)
		return opt;
	env = getenv("WINNOW_LEDGER");
	return env && *env ? env : NULL;
}

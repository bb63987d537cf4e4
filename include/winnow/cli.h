/*
 * cli.h - what every winnow tool shares: main(), messages, exit codes, options.
 *
 * A tool's main() is one line: `return wn_main("winnow-dedup", cmd_dedup, argc, argv);`.
 * wn_main makes sure fds 0-2 are open (so a log file never becomes "stdout"), sets the
 * SIGPIPE policy, runs the command with a struct wn_io, then flushes and checks stdout
 * (a full disk is an error, a closed pipe is a quiet end), and returns the exit code.
 * Because commands take their streams in wn_io, tests and fuzzers can call them
 * in-process.
 *
 * Messages go to stderr as "<prog>: error: <what>" with control characters replaced
 * (record text ends up in messages; it must not drive the terminal).
 *
 * Options are declared as a table (git's parse-options): the same table parses argv
 * and prints --help, so the two cannot drift apart.
 */
#ifndef WINNOW_CLI_H
#define WINNOW_CLI_H

#include <stdio.h>
#include "winnow/err.h"

enum wn_exit {
	WN_EXIT_OK = 0,
	WN_EXIT_FAILURE = 1, /* runtime failure (I/O, out of memory, ...) */
	WN_EXIT_USAGE = 2,   /* bad command line */
	WN_EXIT_DATA = 3,    /* invalid input under --strict, or a corrupt decision log */
	WN_EXIT_REMOTE = 4   /* remote service unavailable after retries; safe to rerun */
};

struct wn_io {
	FILE *in, *out, *err;
	const char *prog;    /* "winnow-fetch" */
	int color;           /* 1 if colour may be used on err (tty and no NO_COLOR) */
	int err_is_tty;
	unsigned long warnings; /* number of warnings printed */
};

typedef int (*wn_cmd_fn)(int argc, char **argv, struct wn_io *io);

enum wn_sigpipe { WN_SIGPIPE_DEFAULT, WN_SIGPIPE_IGNORE };

/* Run cmd as a program. See the top of this file. */
int wn_main(const char *prog, wn_cmd_fn cmd, enum wn_sigpipe sigpipe, int argc, char **argv);
/* Run fn with a copy of argv as given, and argv itself for the options parser, which
 * reorders it in place: the ledger records the arguments as the user typed them. */
typedef int (*wn_cmd_given_fn)(int argc, char **argv, char **given, struct wn_io *io);
int wn_run_keeping_argv(wn_cmd_given_fn fn, int argc, char **argv, struct wn_io *io);
/* Fill io for the standard streams (used by wn_main; tests may build their own). */
void wn_io_init_std(struct wn_io *io, const char *prog);

void wn_error(struct wn_io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wn_warning(struct wn_io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wn_note(struct wn_io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print err as an error and return the exit code it maps to. For WN_EPIPE (the reader
 * of our output went away) nothing is printed and the process ends as if killed by
 * SIGPIPE (status 141), as `git log | head` does. */
int wn_report(struct wn_io *io, const struct wn_err *err);
/* Exit code for an error code: ENET -> 4, EFORMAT and ECORRUPT -> 3, EUSAGE -> 2,
 * else 1. */
int wn_exit_code(enum wn_errcode code);
/* For EPIPE on stdout: restore SIGPIPE and raise it (shell sees 141); never returns. */
void wn_exit_epipe(void) __attribute__((noreturn));

/* 1 if progress should be drawn on stderr: `flag` is 1 (--progress), 0 (--no-progress) or
 * -1 (auto: stderr is a terminal and we are in the foreground). */
int wn_progress_wanted(struct wn_io *io, int flag);

/* Print `version` info: "<prog> 0.1.0 (libwinnow 0.1.0, json-c 0.16, ...)" plus any extra
 * library versions the tool passes (e.g. "libxml2 2.9.14"), NULL-terminated. */
void wn_print_version(struct wn_io *io, const char *const *extra);

/* ---- options ---- */

enum wn_opt_type {
	WN_OPT_END = 0,
	WN_OPT_GROUP,    /* a heading in --help; no option */
	WN_OPT_FLAG,     /* int: set to 1 (or `defval`); no argument */
	WN_OPT_BOOL,     /* int: --name sets 1, --no-name sets 0 */
	WN_OPT_STRING,   /* const char *: argument (borrowed from argv) */
	WN_OPT_INT,      /* long: decimal argument, checked */
	WN_OPT_LIST,     /* struct wn_strlist: repeatable; also splits on commas if `defval` */
	WN_OPT_CALLBACK  /* cb(opt, arg) handles it; arg NULL unless `argh` is set */
};

struct wn_strlist {
	const char **items; /* borrowed strings (argv or split copies owned by the list) */
	size_t n, cap;
	char **owned;       /* copies made when splitting; freed by wn_strlist_release */
	size_t nowned, owncap;
};
void wn_strlist_release(struct wn_strlist *l);
int wn_strlist_add(struct wn_strlist *l, const char *s, struct wn_err *err);

struct wn_option;
typedef int (*wn_opt_cb)(const struct wn_option *opt, const char *arg, struct wn_io *io);

struct wn_option {
	enum wn_opt_type type;
	char short_name;        /* 0 for none */
	const char *long_name;  /* NULL for none */
	void *value;
	const char *argh;       /* argument placeholder for help, e.g. "FILE" */
	const char *help;
	long defval;            /* FLAG: value to set (0 means 1); LIST: 1 = split on commas */
	wn_opt_cb cb;
	void *cb_data;          /* for the callback's own use */
};

#define WN_OPT_GROUP_(h) { WN_OPT_GROUP, 0, NULL, NULL, NULL, (h), 0, NULL, NULL }
#define WN_OPT_FLAG_(s, l, v, h) { WN_OPT_FLAG, (s), (l), (v), NULL, (h), 0, NULL, NULL }
#define WN_OPT_BOOL_(s, l, v, h) { WN_OPT_BOOL, (s), (l), (v), NULL, (h), 0, NULL, NULL }
#define WN_OPT_STRING_(s, l, v, a, h) { WN_OPT_STRING, (s), (l), (v), (a), (h), 0, NULL, NULL }
#define WN_OPT_INT_(s, l, v, a, h) { WN_OPT_INT, (s), (l), (v), (a), (h), 0, NULL, NULL }
#define WN_OPT_LIST_(s, l, v, a, h) { WN_OPT_LIST, (s), (l), (v), (a), (h), 0, NULL, NULL }
#define WN_OPT_CSV_(s, l, v, a, h) { WN_OPT_LIST, (s), (l), (v), (a), (h), 1, NULL, NULL }
#define WN_OPT_CB_(s, l, a, h, cb, d) { WN_OPT_CALLBACK, (s), (l), NULL, (a), (h), 0, (cb), (d) }
#define WN_OPT_END_() { WN_OPT_END, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL }

enum { WN_PARSE_HELP = -2, WN_PARSE_ERROR = -1 };

/* Parse argv[1..argc) against opts. Positional arguments are moved to argv[0..n) and n
 * is returned. "--" ends options; "-" is a positional argument. -h/--help prints the
 * usage lines and option table to io->out and returns WN_PARSE_HELP; --version is left
 * to the caller as a FLAG if it wants one. An unknown option or bad value prints
 * "<prog>: error: ..." and the usage lines to io->err and returns WN_PARSE_ERROR.
 * `usage` is a NULL-terminated list of synopsis lines; `flags` WN_PARSE_STOP_AT_ARG stops
 * at the first positional argument (for sub-commands). */
enum { WN_PARSE_STOP_AT_ARG = 1 };
int wn_parse_options(struct wn_io *io, int argc, char **argv, const struct wn_option *opts,
		     const char *const *usage, unsigned flags);
/* Print the usage lines and the option table (what --help shows). */
void wn_print_help(FILE *fp, const char *const *usage, const struct wn_option *opts);
/* Print "usage: ..." lines to io->err (after a usage error). */
void wn_print_usage_short(struct wn_io *io, const char *const *usage);

/* Ledger path from --ledger (may be NULL) or the WINNOW_LEDGER environment variable. */
const char *wn_ledger_path(const char *opt);

#endif

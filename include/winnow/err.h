/*
 * err.h - how libwinnow reports failure.
 *
 * The library never prints and never exits (DESIGN.md). A function that can fail takes a
 * `struct wn_err *` (which may be NULL when the caller does not care), fills in a code
 * and a one-line message, and returns -1 or NULL. The message follows git's rules:
 * lower case, no full stop, what failed first, the subject quoted ('x.ris'). Tools turn
 * it into "winnow-fetch: error: <message>" after neutering control characters.
 *
 * A wn_err is plain data: no allocation, safe to copy, safe to reuse (wn_err_set
 * overwrites). The first error set wins only if the caller checks it; nothing here is
 * sticky.
 */
#ifndef WINNOW_ERR_H
#define WINNOW_ERR_H

#include <stddef.h>

enum wn_errcode {
	WN_OK = 0,
	WN_ENOMEM,    /* an allocation failed */
	WN_EIO,       /* read/write/open/fsync failed (errno-based) */
	WN_EFORMAT,   /* input is not what it claims to be, or is malformed */
	WN_ELIMIT,    /* a safety cap was hit (line length, decompressed size, depth) */
	WN_EUSAGE,    /* the caller passed something invalid */
	WN_ENET,      /* remote service failed (after retries) */
	WN_ECORRUPT,  /* a file we own (decision log, ledger) is damaged */
	WN_EPIPE,     /* the reader of our output went away (quiet exit) */
	WN_EBUSY,     /* a lock is held by someone else */
	WN_ESTOP      /* a callback asked to stop; not a failure of the callee */
};

#define WN_ERR_MSG_MAX 1024

struct wn_err {
	enum wn_errcode code;
	int sys_errno;              /* errno at the failure, 0 if none */
	char msg[WN_ERR_MSG_MAX];
};

/* Reset to "no error". Accepts NULL. Cannot fail. */
void wn_err_clear(struct wn_err *err);

/* Set code and message (printf-style). Accepts err == NULL (does nothing).
 * Returns -1 so that `return wn_err_set(...)` reads naturally. Cannot fail: a message
 * that does not fit is truncated. */
int wn_err_set(struct wn_err *err, enum wn_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like wn_err_set, but appends ": strerror(errnum)" and records errnum. */
int wn_err_sys(struct wn_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the existing message with more context: "<prefix>: <old message>". */
void wn_err_prefix(struct wn_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Short name of a code, e.g. "out of memory". Never NULL. */
const char *wn_errcode_name(enum wn_errcode code);

#endif

/*
 * err.c - filling in struct wn_err. Messages are formatted into the fixed buffer of the
 * struct; nothing here allocates, so reporting an out-of-memory error cannot itself fail.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include "winnow/err.h"

void wn_err_clear(struct wn_err *err)
{
	if (!err)
		return;
	err->code = WN_OK;
	err->sys_errno = 0;
	err->msg[0] = '\0';
}

static __attribute__((format(printf, 3, 0)))
void vset(struct wn_err *err, enum wn_errcode code, const char *fmt, va_list ap)
{
	err->code = code;
	err->sys_errno = 0;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int wn_err_set(struct wn_err *err, enum wn_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int wn_err_sys(struct wn_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vset(err, errnum == EPIPE ? WN_EPIPE : (errnum == ENOMEM ? WN_ENOMEM : WN_EIO), fmt, ap);
	va_end(ap);
	err->sys_errno = errnum;
	len = strlen(err->msg);
	if (len < sizeof(err->msg))
		snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errnum));
	return -1;
}

void wn_err_prefix(struct wn_err *err, const char *fmt, ...)
{
	char old[WN_ERR_MSG_MAX];
	size_t n, k;
	va_list ap;

	if (!err)
		return;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	/* append ": " and the old message, truncating if need be */
	for (k = 0; n + 1 < sizeof(err->msg) && k < 2; k++)
		err->msg[n++] = ": "[k];
	for (k = 0; n + 1 < sizeof(err->msg) && old[k]; k++)
		err->msg[n++] = old[k];
	err->msg[n] = '\0';
}

const char *wn_errcode_name(enum wn_errcode code)
{
	switch (code) {
	case WN_OK: return "no error";
	case WN_ENOMEM: return "out of memory";
	case WN_EIO: return "input/output error";
	case WN_EFORMAT: return "invalid input";
	case WN_ELIMIT: return "size limit exceeded";
	case WN_EUSAGE: return "invalid argument";
	case WN_ENET: return "remote service unavailable";
	case WN_ECORRUPT: return "corrupt file";
	case WN_EPIPE: return "broken pipe";
	case WN_EBUSY: return "resource busy";
	case WN_ESTOP: return "stopped";
	}
	return "unknown error";
}

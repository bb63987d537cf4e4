/*
 * http.h - one HTTP(S) client connection for talking to web services (libcurl).
 *
 * What it guarantees (research/style-reliability.md B.2), so that no caller has to
 * remember it:
 *   - HTTPS with certificate and host verification always on; plain http only when the
 *     URL's host is a loopback address (the stand-in servers of the tests). Redirects
 *     are followed at most WN_HTTP_MAX_REDIRS times and only to https.
 *   - HTTP/1.1 forced (NCBI's servers have broken HTTP/2), no proxy for loopback.
 *   - Bounded: a connect timeout, a stall timeout (no byte for N seconds) instead of a
 *     whole-transfer timeout, and a cap on the decoded response size (counted in the
 *     write callback, as MAXFILESIZE alone is not enough).
 *   - No CURLOPT_FAILONERROR: the status and the start of an error body are kept, so
 *     the caller can say what the server said.
 *
 * One request, one attempt: retries, rate limits and what counts as an error body
 * belong to the caller (eutils.h), which knows the service. The connection is reused
 * between requests (keep-alive). A struct wn_http is not shared between threads.
 */
#ifndef WINNOW_HTTP_H
#define WINNOW_HTTP_H

#include <stddef.h>
#include "winnow/buf.h"
#include "winnow/err.h"

#define WN_HTTP_MAX_REDIRS 3
#define WN_HTTP_DEFAULT_MAX_RESPONSE ((size_t)256 << 20) /* 256 MiB */

struct wn_http_opts {
	const char *user_agent;   /* NULL: "winnow/<version>" */
	long connect_timeout;     /* seconds; 0 = 20 */
	long stall_timeout;       /* seconds without a byte before giving up; 0 = 60 */
	size_t max_response;      /* decoded bytes; 0 = WN_HTTP_DEFAULT_MAX_RESPONSE */
	const char *cacert;       /* CA bundle for TLS (corporate proxies), or NULL */
};

/* How a request ended, as far as the transport is concerned. */
enum wn_http_outcome {
	WN_HTTP_DONE = 0,     /* a complete HTTP response arrived (any status) */
	WN_HTTP_TIMEOUT,      /* connect or stall timeout */
	WN_HTTP_CONNECT,      /* could not resolve or connect */
	WN_HTTP_BROKEN,       /* the connection broke or the body was cut short */
	WN_HTTP_TOO_BIG,      /* the response exceeded max_response */
	WN_HTTP_REFUSED       /* TLS verification, protocol or redirect policy: never retry */
};

struct wn_http_response {
	enum wn_http_outcome outcome;
	long status;              /* HTTP status, 0 if none */
	long retry_after;         /* seconds from Retry-After, -1 if absent */
	struct wn_buf body;       /* decoded body (capped at max_response) */
	char detail[256];         /* libcurl's explanation when outcome != DONE */
	double seconds;           /* time the request took */
};

struct wn_http;

/* Check that url may be used: https, or http to a loopback host. Sets *loopback (may be
 * NULL) to 1 if the host is a loopback address. -1 with WN_EUSAGE and a message naming
 * the URL otherwise. Needs no connection. */
int wn_http_check_url(const char *url, int *loopback, struct wn_err *err);

/* New client. NULL with WN_ENOMEM (or WN_EIO if libcurl cannot start). */
struct wn_http *wn_http_new(const struct wn_http_opts *opts, struct wn_err *err);
void wn_http_free(struct wn_http *h);

void wn_http_response_init(struct wn_http_response *r);
void wn_http_response_release(struct wn_http_response *r);

/* POST form (application/x-www-form-urlencoded, already encoded) to url, which must
 * have passed wn_http_check_url. Fills resp (its previous body is discarded). Returns 0
 * when a response or a transport failure was recorded in resp->outcome; -1 only for
 * errors of the caller or the machine (bad URL, out of memory). */
int wn_http_post(struct wn_http *h, const char *url, const char *form, size_t formlen,
		 struct wn_http_response *resp, struct wn_err *err);

/* Append key=value to a form body, percent-encoding both, with '&' between pairs.
 * -1 on allocation failure or cap. */
int wn_http_form_add(struct wn_buf *form, const char *key, const char *value,
		     struct wn_err *err);

/* Copy of a form or URL with the value of every `api_key` replaced by "REDACTED", for
 * messages and logs. */
int wn_http_redact(struct wn_buf *out, const char *s, struct wn_err *err);

/* "libcurl 7.88.1" for --version. */
const char *wn_http_version(void);

#endif

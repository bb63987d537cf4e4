/*
 * eutils.c - the E-utilities client: one request, politely, until it succeeds or the
 * service is declared unavailable (see eutils.h, layer 1).
 *
 * The loop in wn_eutils_call is the whole policy: take a token from the rate limiter,
 * POST, classify the outcome as accepted / transient / refused, and on a transient
 * failure wait (backoff, or the server's Retry-After) and try again. Whether a 200 is
 * really a success is decided by wn_eutils_check_body, because NCBI reports many
 * failures inside 200 responses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "pace.h"
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/eutils.h"
#include "winnow/timefmt.h"

struct wn_eutils {
	struct wn_http *http;
	char *base;          /* with a trailing '/' */
	char *tool, *email, *api_key;
	struct wn_ratelimit rl;
	struct wn_backoff bo;
	const struct wn_clock *clk;
	double backoff_scale; /* 1, or 0.01 with the test switch */
	struct wn_eutils_stats stats;
	struct wn_http_response resp;
	struct wn_buf url, form, msg;
	wn_eutils_log_fn log;
	void *log_data;
};

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = wn_strdup(s);
	if (!d)
		*oom = 1;
	return d;
}

struct wn_eutils *wn_eutils_new(const struct wn_eutils_opts *opts, struct wn_err *err)
{
	struct wn_eutils *eu;
	const char *base = opts->base_url ? opts->base_url : WN_EUTILS_DEFAULT_URL;
	struct wn_buf b;
	int loopback = 0, oom = 0;
	uint64_t seed = opts->seed;

	if (wn_http_check_url(base, &loopback, err) < 0)
		return NULL;
	if (opts->no_delay && !loopback) {
		wn_err_set(err, WN_EUSAGE,
			   "the no-delay test switch is refused for '%s': it is only for loopback test servers", base);
		return NULL;
	}
	if (opts->tool && (!*opts->tool || strpbrk(opts->tool, " \t\r\n"))) {
		wn_err_set(err, WN_EUSAGE, "the tool name '%s' must be non-empty and without spaces", opts->tool);
		return NULL;
	}
	eu = wn_calloc(1, sizeof(*eu));
	if (!eu)
		goto oom;
	wn_buf_init(&eu->url, 8192);
	wn_buf_init(&eu->form, 0);
	wn_buf_init(&eu->msg, 4096);
	wn_http_response_init(&eu->resp);
	wn_buf_init(&b, 8192);
	if (wn_buf_adds(&b, base, NULL) < 0 ||
	    (b.data[b.len - 1] != '/' && wn_buf_addc(&b, '/', NULL) < 0) ||
	    !(eu->base = wn_buf_detach(&b, NULL, NULL)))
		goto oom;
	eu->tool = dup_or_null(opts->tool ? opts->tool : WN_EUTILS_TOOL, &oom);
	eu->email = dup_or_null(opts->email && *opts->email ? opts->email : NULL, &oom);
	eu->api_key = dup_or_null(opts->api_key && *opts->api_key ? opts->api_key : NULL, &oom);
	if (oom)
		goto oom;
	eu->http = wn_http_new(&opts->http, err);
	if (!eu->http) {
		wn_eutils_free(eu);
		return NULL;
	}
	eu->clk = &wn_clock_real;
	if (opts->no_delay)
		wn_ratelimit_init(&eu->rl, 0);
	else if (opts->interval > 0)
		wn_ratelimit_init(&eu->rl, opts->interval);
	else
		wn_ratelimit_init(&eu->rl, eu->api_key ? WN_PACE_INTERVAL_KEY : WN_PACE_INTERVAL_NOKEY);
	if (!seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(wn_time_mono() * 1e9);
	wn_backoff_init(&eu->bo, seed);
	if (opts->max_attempts > 0)
		eu->bo.max_attempts = opts->max_attempts;
	if (opts->retry_base > 0)
		eu->bo.base = opts->retry_base;
	if (opts->retry_budget > 0)
		eu->bo.budget = opts->retry_budget;
	eu->backoff_scale = opts->no_delay ? 0.01 : 1.0;
	eu->log = opts->log;
	eu->log_data = opts->log_data;
	return eu;
oom:
	wn_err_set(err, WN_ENOMEM, "out of memory");
	wn_eutils_free(eu);
	return NULL;
}

void wn_eutils_free(struct wn_eutils *eu)
{
	if (!eu)
		return;
	wn_http_free(eu->http);
	wn_http_response_release(&eu->resp);
	wn_buf_release(&eu->url);
	wn_buf_release(&eu->form);
	wn_buf_release(&eu->msg);
	wn_free(eu->base);
	wn_free(eu->tool);
	wn_free(eu->email);
	wn_free(eu->api_key);
	wn_free(eu);
}

const struct wn_eutils_stats *wn_eutils_stats(const struct wn_eutils *eu) { return &eu->stats; }
const char *wn_eutils_base(const struct wn_eutils *eu) { return eu->base; }

void wn_eutils_swap_log(struct wn_eutils *eu, wn_eutils_log_fn *log, void **log_data)
{
	wn_eutils_log_fn l = eu->log;
	void *d = eu->log_data;

	eu->log = *log;
	eu->log_data = *log_data;
	*log = l;
	*log_data = d;
}

static void logf_(struct wn_eutils *eu, enum wn_diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void logf_(struct wn_eutils *eu, enum wn_diag_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!eu->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	eu->log(eu->log_data, level, msg);
}

/* ---- what a body says ---- */

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && wn_isspace((unsigned char)*p))
		p++;
	return p;
}

/* Copy the text between p and the next '<' (or the end) into why, one line, capped. */
static void copy_text(char *why, size_t whylen, const char *prefix, const char *p, const char *end,
		      char stop)
{
	size_t used;

	used = (size_t)snprintf(why, whylen, "%s", prefix);
	if (used >= whylen)
		return;
	p = skip_ws(p, end);
	while (p < end && *p != stop && used + 1 < whylen) {
		unsigned char c = (unsigned char)*p++;
		why[used++] = (char)(c < 0x20 || c == 0x7f ? ' ' : c);
	}
	while (used > 0 && why[used - 1] == ' ')
		used--;
	why[used] = '\0';
}

/* memmem is a GNU extension; this is all we need of it */
static const char *find(const char *b, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *p = b, *end = b + n;

	while ((size_t)(end - p) >= k) {
		const char *c = memchr(p, needle[0], (size_t)(end - p) - k + 1);
		if (!c)
			return NULL;
		if (memcmp(c, needle, k) == 0)
			return c;
		p = c + 1;
	}
	return NULL;
}

int wn_eutils_check_body(const char *body, size_t len, enum wn_eutils_expect expect,
			 char *why, size_t whylen)
{
	const char *end = body + len, *p = skip_ws(body, end), *e;

	if (p == end) {
		snprintf(why, whylen, "empty response");
		return 1;
	}
	if (*p == '{') {
		/* JSON error, e.g. {"error":"API rate limit exceeded","count":"5","limit":"3"} */
		e = find(p, (size_t)(end - p), "\"error\"");
		if (e) {
			e += 7;
			e = skip_ws(e, end);
			if (e < end && *e == ':')
				e = skip_ws(e + 1, end);
			if (e < end && *e == '"')
				copy_text(why, whylen, "error: ", e + 1, end, '"');
			else
				snprintf(why, whylen, "error response");
			return 1;
		}
	}
	if ((e = find(body, len, "<ERROR>")) != NULL || (e = find(body, len, "<error>")) != NULL) {
		copy_text(why, whylen, "", e + 7, end, '<');
		if (!*why)
			snprintf(why, whylen, "error response");
		return 1;
	}
	/* esummary reports a backend failure inside a 200 as a comment */
	if (find(body, len, "<DocumentSummarySet status=\"OK\"><!--")) {
		snprintf(why, whylen, "DocSum backend failure (a comment in place of the summaries)");
		return 1;
	}
	if (expect == WN_EXPECT_ESEARCH) {
		if (!find(body, len, "<eSearchResult")) {
			snprintf(why, whylen, "not an eSearchResult document");
			return 1;
		}
		if (!find(body, len, "</eSearchResult>")) {
			snprintf(why, whylen, "truncated response (no closing </eSearchResult>)");
			return 1;
		}
	} else if (expect == WN_EXPECT_PUBMED_XML) {
		static const char close_tag[] = "</PubmedArticleSet>", empty_tag[] = "<PubmedArticleSet/>";
		size_t n = len;
		while (n > 0 && wn_isspace((unsigned char)body[n - 1]))
			n--;
		if (!find(body, len, "<PubmedArticleSet")) {
			snprintf(why, whylen, "not a PubmedArticleSet document");
			return 1;
		}
		if (!(n >= sizeof(close_tag) - 1 &&
		      memcmp(body + n - (sizeof(close_tag) - 1), close_tag, sizeof(close_tag) - 1) == 0) &&
		    !(n >= sizeof(empty_tag) - 1 &&
		      memcmp(body + n - (sizeof(empty_tag) - 1), empty_tag, sizeof(empty_tag) - 1) == 0)) {
			snprintf(why, whylen, "truncated response (no closing </PubmedArticleSet>)");
			return 1;
		}
	}
	return 0;
}

/* First line of an error body for a message: the JSON/XML error text when there is one. */
static void body_excerpt(const struct wn_buf *body, char *out, size_t outlen)
{
	if (wn_eutils_check_body(body->data, body->len, WN_EXPECT_ANY, out, outlen) == 1 &&
	    strcmp(out, "empty response") != 0)
		return;
	copy_text(out, outlen, "", body->data, body->data + (body->len < 200 ? body->len : 200), '\n');
}

static int retryable_status(long s)
{
	return s == 408 || s == 429 || (s >= 500 && s <= 599);
}

int wn_eutils_call(struct wn_eutils *eu, const char *util, const char *form,
		   enum wn_eutils_expect expect, const char **body, size_t *len,
		   struct wn_err *err)
{
	int failures = 0;
	double waited = 0;
	char why[512];

	wn_buf_reset(&eu->url);
	wn_buf_reset(&eu->form);
	if (wn_buf_addf(&eu->url, err, "%s%s.fcgi", eu->base, util) < 0 ||
	    wn_buf_adds(&eu->form, form, err) < 0 ||
	    wn_http_form_add(&eu->form, "tool", eu->tool, err) < 0 ||
	    (eu->email && wn_http_form_add(&eu->form, "email", eu->email, err) < 0) ||
	    (eu->api_key && wn_http_form_add(&eu->form, "api_key", eu->api_key, err) < 0))
		return -1;
	for (;;) {
		struct wn_http_response *r = &eu->resp;
		double wait;

		eu->stats.waited += wn_ratelimit_acquire(&eu->rl, eu->clk);
		eu->stats.requests++;
		if (wn_http_post(eu->http, eu->url.data, eu->form.data, eu->form.len, r, err) < 0)
			return -1;
		switch (r->outcome) {
		case WN_HTTP_DONE:
			break;
		case WN_HTTP_TOO_BIG:
			return wn_err_set(err, WN_EIO, "%s: response refused: %s (see --max-response)",
					  util, r->detail);
		case WN_HTTP_REFUSED:
			return wn_err_set(err, WN_EIO, "%s: request to '%s' failed: %s", util, eu->url.data,
					  r->detail);
		default:
			snprintf(why, sizeof(why), "%s", r->detail);
			goto retry;
		}
		if (r->status == 200) {
			if (wn_eutils_check_body(r->body.data, r->body.len, expect, why, sizeof(why)) == 0) {
				eu->stats.bytes += r->body.len;
				*body = r->body.data;
				*len = r->body.len;
				return 0;
			}
			goto retry;
		}
		if (!retryable_status(r->status)) {
			char ex[256];
			body_excerpt(&r->body, ex, sizeof(ex));
			return wn_err_set(err, WN_EIO, "%s: E-utilities refused the request: HTTP %ld%s%s",
					  util, r->status, *ex ? ": " : "", ex);
		}
		{
			char ex[256];
			body_excerpt(&r->body, ex, sizeof(ex));
			snprintf(why, sizeof(why), "HTTP %ld%s%s", r->status, *ex ? ": " : "", ex);
		}
retry:
		failures++;
		wait = wn_backoff_next(&eu->bo, failures,
				       r->outcome == WN_HTTP_DONE ? r->retry_after : -1, waited);
		if (wait < 0)
			return wn_err_set(err, WN_ENET, "%s: E-utilities did not answer properly after %d attempt%s (last: %s)",
					  util, failures, failures == 1 ? "" : "s", why);
		if (!(r->outcome == WN_HTTP_DONE && r->retry_after >= 0))
			wait *= eu->backoff_scale;
		logf_(eu, WN_DIAG_NOTE, "%s: %s; retrying in %.1f s (%d attempt%s left)", util, why, wait,
		      eu->bo.max_attempts - failures, eu->bo.max_attempts - failures == 1 ? "" : "s");
		eu->stats.retries++;
		waited += wait;
		/* through the limiter, so a 429's hold also delays whatever comes next */
		wn_ratelimit_hold(&eu->rl, eu->clk, wait);
	}
}

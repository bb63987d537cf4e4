/*
 * http.c - the libcurl client behind http.h.
 *
 * One easy handle per client, reused so the connection stays open between the many
 * small requests of a fetch. Every safety setting is applied once in wn_http_new and
 * never touched again; only the URL and the POST body change per request. The write
 * callback counts decoded bytes against the cap and aborts the transfer past it; the
 * outcome is then classified from the CURLcode so that the caller can decide between
 * "retry" and "give up" without knowing libcurl.
 */
#include <string.h>
#include <curl/curl.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/http.h"
#include "winnow/text.h"
#include "winnow/version.h"

struct wn_http {
	CURL *curl;
	struct wn_http_opts opts;
	char *cacert;
	char *agent;
	char errbuf[CURL_ERROR_SIZE];
	struct wn_http_response *resp; /* the response being filled */
	int too_big;
	int loopback_proto;            /* protocols currently allowed include http */
};

static int host_is_loopback(const char *host)
{
	size_t n = strlen(host);

	if (wn_text_ieq(host, n, "localhost"))
		return 1;
	if (strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0)
		return 1;
	/* 127.0.0.0/8, written as a dotted quad */
	if (strncmp(host, "127.", 4) == 0) {
		const char *p = host + 4;
		int dots = 0;
		for (; *p; p++) {
			if (*p == '.')
				dots++;
			else if (!wn_isdigit((unsigned char)*p))
				return 0;
		}
		return dots == 2;
	}
	return 0;
}

int wn_http_check_url(const char *url, int *loopback, struct wn_err *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = 0, lb = 0;

	if (!u)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		rc = wn_err_set(err, WN_EUSAGE, "'%s' is not a valid URL", url);
		goto out;
	}
	lb = host_is_loopback(host);
	if (strcmp(scheme, "https") == 0)
		goto out;
	if (strcmp(scheme, "http") == 0 && lb)
		goto out;
	if (strcmp(scheme, "http") == 0)
		rc = wn_err_set(err, WN_EUSAGE,
				"refusing plain http for '%s': only https is allowed (http only for loopback addresses)", url);
	else
		rc = wn_err_set(err, WN_EUSAGE, "unsupported URL scheme '%s' in '%s' (use https)", scheme, url);
out:
	if (loopback)
		*loopback = lb;
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *data)
{
	struct wn_http *h = data;
	size_t n = size * nmemb;

	if (wn_buf_add(&h->resp->body, p, n, NULL) < 0) {
		h->too_big = h->resp->body.len + n > h->resp->body.max;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	return n;
}

struct wn_http *wn_http_new(const struct wn_http_opts *opts, struct wn_err *err)
{
	struct wn_http *h;
	struct wn_buf agent;
	CURLcode rc = CURLE_OK;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		wn_err_set(err, WN_EIO, "cannot initialise libcurl");
		return NULL;
	}
	h = wn_calloc(1, sizeof(*h));
	if (!h)
		goto oom;
	if (opts)
		h->opts = *opts;
	if (!h->opts.connect_timeout)
		h->opts.connect_timeout = 20;
	if (!h->opts.stall_timeout)
		h->opts.stall_timeout = 60;
	if (!h->opts.max_response)
		h->opts.max_response = WN_HTTP_DEFAULT_MAX_RESPONSE;
	wn_buf_init(&agent, 1024);
	if (wn_buf_adds(&agent, h->opts.user_agent ? h->opts.user_agent : "winnow/" WINNOW_VERSION, NULL) < 0 ||
	    !(h->agent = wn_buf_detach(&agent, NULL, NULL)))
		goto oom;
	if (h->opts.cacert && !(h->cacert = wn_strdup(h->opts.cacert)))
		goto oom;
	h->opts.cacert = h->cacert;
	h->opts.user_agent = h->agent;
	h->curl = curl_easy_init();
	if (!h->curl)
		goto oom;
	/* the fixed policy: set once (see the top of http.h) */
	rc |= curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	rc |= curl_easy_setopt(h->curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	rc |= curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "https");
	rc |= curl_easy_setopt(h->curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	rc |= curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 1L);
	rc |= curl_easy_setopt(h->curl, CURLOPT_MAXREDIRS, (long)WN_HTTP_MAX_REDIRS);
	/* a redirected POST stays a POST (the form carries the query) */
	rc |= curl_easy_setopt(h->curl, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
	rc |= curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	rc |= curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->cacert)
		rc |= curl_easy_setopt(h->curl, CURLOPT_CAINFO, h->cacert);
	rc |= curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT, h->opts.connect_timeout);
	rc |= curl_easy_setopt(h->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	rc |= curl_easy_setopt(h->curl, CURLOPT_LOW_SPEED_TIME, h->opts.stall_timeout);
	rc |= curl_easy_setopt(h->curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->opts.max_response);
	rc |= curl_easy_setopt(h->curl, CURLOPT_ACCEPT_ENCODING, "");
	rc |= curl_easy_setopt(h->curl, CURLOPT_USERAGENT, h->agent);
	rc |= curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	rc |= curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
	/* no signals (timeouts without SIGALRM); winnow-fetch ignores SIGPIPE itself */
	rc |= curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
	if (rc != CURLE_OK) {
		wn_err_set(err, WN_EIO, "libcurl lacks a required feature (%s)", curl_version());
		wn_http_free(h);
		return NULL;
	}
	return h;
oom:
	wn_err_set(err, WN_ENOMEM, "out of memory");
	wn_http_free(h);
	if (!h)
		curl_global_cleanup();
	return NULL;
}

void wn_http_free(struct wn_http *h)
{
	if (!h)
		return;
	if (h->curl)
		curl_easy_cleanup(h->curl);
	wn_free(h->agent);
	wn_free(h->cacert);
	wn_free(h);
	curl_global_cleanup();
}

void wn_http_response_init(struct wn_http_response *r)
{
	memset(r, 0, sizeof(*r));
	r->retry_after = -1;
	wn_buf_init(&r->body, 0);
}

void wn_http_response_release(struct wn_http_response *r)
{
	wn_buf_release(&r->body);
}

static enum wn_http_outcome classify(CURLcode c)
{
	switch (c) {
	case CURLE_OK:
		return WN_HTTP_DONE;
	case CURLE_OPERATION_TIMEDOUT:
		return WN_HTTP_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return WN_HTTP_CONNECT;
	case CURLE_FILESIZE_EXCEEDED:
		return WN_HTTP_TOO_BIG;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR: /* a handshake cut by the network */
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_WEIRD_SERVER_REPLY:
		return WN_HTTP_BROKEN;
	default:
		return WN_HTTP_REFUSED;
	}
}

int wn_http_post(struct wn_http *h, const char *url, const char *form, size_t formlen,
		 struct wn_http_response *resp, struct wn_err *err)
{
	int loopback = 0;
	CURLcode c = CURLE_OK;
	curl_off_t ra = -1;
	double secs = 0;

	if (wn_http_check_url(url, &loopback, err) < 0)
		return -1;
	wn_buf_release(&resp->body);
	wn_buf_init(&resp->body, h->opts.max_response);
	resp->outcome = WN_HTTP_DONE;
	resp->status = 0;
	resp->retry_after = -1;
	resp->detail[0] = '\0';
	resp->seconds = 0;
	h->resp = resp;
	h->too_big = 0;
	h->errbuf[0] = '\0';
	if (loopback != h->loopback_proto) {
		/* plain http (and no proxy) only while talking to this machine */
		c |= curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, loopback ? "http,https" : "https");
		c |= curl_easy_setopt(h->curl, CURLOPT_PROXY, loopback ? "" : NULL);
		if (c != CURLE_OK)
			return wn_err_set(err, WN_EIO, "cannot set up libcurl for '%s'", url);
		h->loopback_proto = loopback;
	}
	c |= curl_easy_setopt(h->curl, CURLOPT_URL, url);
	c |= curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, form);
	c |= curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)formlen);
	if (c != CURLE_OK)
		return wn_err_set(err, WN_EIO, "cannot set up libcurl for '%s'", url);
	c = curl_easy_perform(h->curl);
	h->resp = NULL;
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	if (curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		resp->retry_after = (long)ra;
	if (curl_easy_getinfo(h->curl, CURLINFO_TOTAL_TIME, &secs) == CURLE_OK)
		resp->seconds = secs;
	if (h->too_big) {
		resp->outcome = WN_HTTP_TOO_BIG;
	} else if (c == CURLE_WRITE_ERROR) {
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	} else {
		resp->outcome = classify(c);
	}
	if (resp->outcome != WN_HTTP_DONE)
		snprintf(resp->detail, sizeof(resp->detail), "%s",
			 h->errbuf[0] ? h->errbuf : curl_easy_strerror(c));
	if (c == CURLE_UNSUPPORTED_PROTOCOL || c == CURLE_TOO_MANY_REDIRECTS) {
		char *to = NULL;
		long hops = 0;
		curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_COUNT, &hops);
		if (curl_easy_getinfo(h->curl, CURLINFO_EFFECTIVE_URL, &to) == CURLE_OK && to &&
		    (hops > 0 || c == CURLE_TOO_MANY_REDIRECTS))
			snprintf(resp->detail, sizeof(resp->detail),
				 "refused to follow a redirect to '%.150s' (only to https, at most %d)", to,
				 WN_HTTP_MAX_REDIRS);
	}
	if (resp->outcome == WN_HTTP_TOO_BIG)
		snprintf(resp->detail, sizeof(resp->detail), "the response is larger than %zu bytes",
			 h->opts.max_response);
	return 0;
}

int wn_http_form_add(struct wn_buf *form, const char *key, const char *value,
		     struct wn_err *err)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *parts[2];
	int i;

	parts[0] = key;
	parts[1] = value;
	if (form->len && wn_buf_addc(form, '&', err) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		const unsigned char *p;
		if (i == 1 && wn_buf_addc(form, '=', err) < 0)
			return -1;
		for (p = (const unsigned char *)parts[i]; *p; p++) {
			int rc;
			/* RFC 3986 unreserved characters as they are; everything else escaped */
			if (wn_isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
				rc = wn_buf_addc(form, (char)*p, err);
			} else {
				char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
				rc = wn_buf_add(form, esc, 3, err);
			}
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

int wn_http_redact(struct wn_buf *out, const char *s, struct wn_err *err)
{
	const char *p = s;

	while (*p) {
		const char *k = strstr(p, "api_key=");
		const char *end;
		if (!k)
			return wn_buf_adds(out, p, err);
		/* only a real parameter: at the start or after '&' or '?' */
		if (k != s && k[-1] != '&' && k[-1] != '?') {
			if (wn_buf_add(out, p, (size_t)(k - p) + 8, err) < 0)
				return -1;
			p = k + 8;
			continue;
		}
		end = k + 8;
		while (*end && *end != '&')
			end++;
		if (wn_buf_add(out, p, (size_t)(k - p) + 8, err) < 0 ||
		    wn_buf_adds(out, "REDACTED", err) < 0)
			return -1;
		p = end;
	}
	return 0;
}

const char *wn_http_version(void)
{
	return "libcurl " LIBCURL_VERSION;
}

/*
 * eutils.h - PubMed through NCBI's E-utilities: complete, polite, resumable, reproducible.
 *
 * Three layers, each usable alone:
 *
 * 1. The client (struct wn_eutils): every request a POST of a form, with tool, email and
 *    api_key added, spaced by a rate limiter (0.35 s apart without a key, 0.11 s with
 *    one: under NCBI's 3/s and 10/s), retried with exponential backoff and full jitter
 *    on what is transient - 429 (Retry-After honoured), 5xx, timeouts, broken
 *    connections, empty bodies, and 200 responses whose body is an error (<ERROR>,
 *    {"error":...}, a truncated document, an esummary "DocSum Backend failed" comment) -
 *    and never on any other 4xx. When the attempts run out the call fails with WN_ENET
 *    (exit 4: safe to rerun).
 *
 * 2. ESearch results (struct wn_esearch): Count, WebEnv, QueryKey, the IdList,
 *    QueryTranslation, and every ErrorList / WarningList entry, read with libxml2.
 *
 * 3. The fetch (wn_pubmed_fetch): esearch with usehistory=y, then efetch pages over the
 *    history server into an import session (records parsed by the "pubmed-xml" format).
 *    PubMed serves at most 9,999 hits of one search, so a larger search is split by PMID
 *    ranges, "(QUERY) AND lo:hi[uid]", halving each range until it fits, as EDirect
 *    does; the slices must add up to the search's Count, and each PMID is delivered
 *    once. Every PMID the search listed is accounted for: a short page is re-fetched
 *    (by id), and what never arrives is reported by PMID - the result never claims a
 *    completeness it does not have. With a raw directory (--save-raw) every response
 *    is kept gzipped with a manifest, so the run can be replayed offline byte for byte
 *    (wn_rawdir_replay) and an interrupted run continues where it stopped.
 *
 * Raw directory layout (docs/winnow-fetch.1): manifest.jsonl, one JSON object per line -
 * a header naming the request, one line per saved response ("kind": "esearch" or
 * "efetch", "file", "bytes", "xxh64" of the decoded body), a "plan" line once the search
 * is split, and a "done" line with the final counts - plus the files NNNNNN-KIND.xml.gz.
 * Lines are appended with fdatasync after the file they name is on disk, so a crash
 * leaves a valid prefix (a torn last line is ignored).
 *
 * The library never prints: diagnostics and progress go to callbacks.
 */
#ifndef WINNOW_EUTILS_H
#define WINNOW_EUTILS_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "winnow/err.h"
#include "winnow/http.h"
#include "winnow/import.h"

#define WN_EUTILS_DEFAULT_URL "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
#define WN_EUTILS_TOOL "winnow"
/* PubMed returns at most this many hits of one search (retstart <= 9998). */
#define WN_EUTILS_MAX_HITS 9999
#define WN_EUTILS_DEFAULT_BATCH 500

typedef void (*wn_eutils_log_fn)(void *data, enum wn_diag_level level, const char *msg);

struct wn_eutils_opts {
	const char *base_url;   /* NULL: WN_EUTILS_DEFAULT_URL; must pass wn_http_check_url */
	const char *tool;       /* NULL: WN_EUTILS_TOOL */
	const char *email;      /* NULL: not sent */
	const char *api_key;    /* NULL: not sent (and the slower spacing applies) */
	struct wn_http_opts http;
	int max_attempts;       /* tries per request; 0 = 6 */
	double retry_base;      /* first backoff ceiling in seconds; 0 = 1 */
	double retry_budget;    /* total seconds of waiting per request; 0 = 600 */
	double interval;        /* spacing between requests; 0 = 0.35 (0.11 with a key) */
	int no_delay;           /* test switch: no spacing and 1/100 of the backoff; refused
				   unless the URL is a loopback address */
	uint64_t seed;          /* jitter generator seed; 0 = from the clock */
	wn_eutils_log_fn log;   /* retries and other notes; may be NULL */
	void *log_data;
};

struct wn_eutils_stats {
	unsigned long requests;  /* HTTP requests made (attempts, retries included) */
	unsigned long retries;   /* attempts that were retried */
	unsigned long long bytes;/* decoded response bytes accepted */
	double waited;           /* seconds spent in rate limiting and backoff */
};

/* What a response must look like to be accepted. */
enum wn_eutils_expect {
	WN_EXPECT_ESEARCH,       /* an eSearchResult document */
	WN_EXPECT_PUBMED_XML,    /* a complete PubmedArticleSet */
	WN_EXPECT_ANY            /* any non-empty body without an error marker */
};

struct wn_eutils;

/* New client. Checks the URL (https, or http to loopback) and the test switch. NULL with
 * WN_EUSAGE (bad URL), WN_ENOMEM or WN_EIO. */
struct wn_eutils *wn_eutils_new(const struct wn_eutils_opts *opts, struct wn_err *err);
void wn_eutils_free(struct wn_eutils *eu);

/* POST `form` (encoded parameters, without tool/email/api_key, which are added) to
 * <base>/<util>.fcgi, with rate limiting and retries, until a response passes the
 * checks for `expect`. On success *body points at the accepted body (owned by the
 * client, valid until the next call). Fails with WN_ENET after the last attempt (the
 * message says what went wrong each time it mattered), WN_EIO for a response that is
 * refused outright (other 4xx, TLS, too big), or WN_ENOMEM. */
int wn_eutils_call(struct wn_eutils *eu, const char *util, const char *form,
		   enum wn_eutils_expect expect, const char **body, size_t *len,
		   struct wn_err *err);

const struct wn_eutils_stats *wn_eutils_stats(const struct wn_eutils *eu);
/* Swap the log callback with *log / *log_data (e.g. to collect the messages of requests
 * made on another thread, then put the old one back). */
void wn_eutils_swap_log(struct wn_eutils *eu, wn_eutils_log_fn *log, void **log_data);
/* The base URL in use (with a trailing '/'). */
const char *wn_eutils_base(const struct wn_eutils *eu);

/* Check a 200 response body. Returns 0 if it looks like a good `expect` document, or 1
 * with a one-line reason in why[] (the text of an <ERROR>, "empty response", "truncated
 * document", ...): such a body is retried. Exposed for tests. */
int wn_eutils_check_body(const char *body, size_t len, enum wn_eutils_expect expect,
			 char *why, size_t whylen);

/* ---- ESearch results ---- */

struct wn_esearch_msg {
	char *list;  /* "ErrorList" or "WarningList" */
	char *type;  /* element name: "PhraseNotFound", "QuotedPhraseNotFound", "OutputMessage" ... */
	char *text;
};

struct wn_esearch {
	int has_count;
	uint64_t count;
	char *webenv, *query_key;  /* NULL when absent */
	char *translation;         /* QueryTranslation, NULL when absent */
	uint64_t *ids;             /* IdList, in the order given */
	size_t nids, idcap;
	struct wn_esearch_msg *msgs;
	size_t nmsgs, msgcap;
	char *error;               /* text of a top-level <ERROR>, NULL if none */
};

void wn_esearch_init(struct wn_esearch *es);
void wn_esearch_release(struct wn_esearch *es);
/* Parse an eSearchResult document. -1 with WN_EFORMAT if it is not one (the caller
 * treats that as a bad response), WN_ENOMEM. */
int wn_esearch_parse(const char *body, size_t len, struct wn_esearch *es, struct wn_err *err);
/* 1 if the message means PubMed did not search the query as written (every ErrorList
 * entry; WarningList entries other than OutputMessage "No items found"). */
int wn_esearch_msg_serious(const struct wn_esearch_msg *m);

/* ---- fetching a PubMed search ---- */

typedef void (*wn_pubmed_progress_fn)(void *data, uint64_t done, uint64_t total);

struct wn_pubmed_req {
	const char *query;         /* the search, sent untouched; or NULL with pmids */
	const uint64_t *pmids;     /* fetch these PMIDs (no search) when query is NULL */
	size_t npmids;
	const char *mindate, *maxdate; /* esearch limits (YYYY, YYYY/MM, YYYY/MM/DD) or NULL */
	const char *datetype;      /* pdat, edat, crdt (or NULL) */
	unsigned batch;            /* records per efetch; 0 = WN_EUTILS_DEFAULT_BATCH */
	uint64_t slice_max;        /* hits per slice; 0 = WN_EUTILS_MAX_HITS (tests lower it) */
	int allow_warnings;        /* go on despite ErrorList / WarningList entries */
	const char *save_raw;      /* raw directory, or NULL */
	wn_eutils_log_fn diag;     /* query translation, warnings, missing PMIDs */
	void *diag_data;
	wn_pubmed_progress_fn progress;
	void *progress_data;
};

struct wn_pubmed_result {
	char searched[32];         /* UTC time of the search (from the raw directory on resume) */
	char *translation;         /* PubMed's QueryTranslation, or NULL */
	uint64_t count;            /* esearch's Count (the number of PMIDs asked for) */
	uint64_t listed;           /* PMIDs the slices listed (== count when consistent) */
	uint64_t delivered;        /* records delivered (each PMID once) */
	uint64_t unexpected;       /* of those, PMIDs the search had not listed */
	uint64_t replayed;         /* of those, read back from the raw directory (resume) */
	uint64_t *missing;         /* PMIDs listed but never returned, ascending */
	size_t nmissing;
	json_object *warnings;     /* [{"list","type","text"}] from esearch (NULL if none) */
	json_object *slices;       /* [{"range":"lo:hi","count":n}] when split (NULL if not) */
	int complete;              /* 1 only when every listed PMID was delivered and the
				      slices added up to Count */
	int resumed;               /* continued from a raw directory */
	int stopped;               /* stopped before fetching because of query warnings */
};

void wn_pubmed_result_init(struct wn_pubmed_result *r);
void wn_pubmed_result_release(struct wn_pubmed_result *r);

/* Run the search (or take the PMIDs) and deliver every record through imp, whose emit
 * callback gets them (imp's filter is used internally while this runs). On query
 * warnings without allow_warnings: res->stopped = 1, -1 with WN_EFORMAT. Other
 * failures: WN_ENET (service unavailable: safe to rerun), WN_EUSAGE (a raw directory
 * of another search), WN_EIO, WN_ENOMEM, or whatever imp's emit reported (WN_EPIPE).
 * res is filled as far as the run got, also on failure (for the ledger). */
int wn_pubmed_fetch(struct wn_eutils *eu, const struct wn_pubmed_req *req,
		    struct wn_import *imp, struct wn_pubmed_result *res, struct wn_err *err);

/* ---- raw directories (--save-raw) ---- */

#define WN_RAWDIR_MANIFEST "manifest.jsonl"

/* 1 if path is a directory holding a raw-directory manifest. */
int wn_rawdir_is(const char *path);
/* Replay the efetch responses saved in dir through imp, in the manifest's order and
 * with the same de-duplication as the live run, so the records are byte for byte those
 * the run delivered. Each response is checked against its size and hash first. A
 * directory of an interrupted run is replayed as far as it goes, with a warning through
 * log. -1 with WN_ECORRUPT (damaged manifest or response), WN_EIO, WN_ENOMEM, or what
 * imp's emit reported. */
int wn_rawdir_replay(const char *dir, struct wn_import *imp, wn_eutils_log_fn log,
		     void *log_data, struct wn_err *err);

#endif

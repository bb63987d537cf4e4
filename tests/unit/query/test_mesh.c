/* Unit tests: reading the MeSH descriptor file (lib/query/mesh.c) - what is kept from
 * a record, explosion, bad files (each with its own message), a failed read of the
 * input as the run's error, and allocation failures inside libxml2 and libwinnow: every
 * load either gives the whole tree or fails with WN_ENOMEM "out of memory", never a
 * "malformed" file or a tree with a name or term left out. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include <libxml/globals.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlerror.h>
#include "wn_test.h"
#include "winnow/alloc.h"
#include "winnow/buf.h"
#include "winnow/mesh.h"

#define SAMPLE "../../data/query/mesh-sample.xml"

/* ---- a fingerprint of everything a load kept, to compare two loads ---- */

static int collect(long idx, const char *name, void *data)
{
	struct wn_buf *b = data;

	(void)idx;
	return wn_buf_adds(b, name, NULL) < 0 || wn_buf_addc(b, '|', NULL) < 0 ? -1 : 0;
}

/* names, then for each descriptor its explosion, then some entry-term look-ups;
 * malloc'd (plain malloc: the libwinnow failure schedule may be running) */
static char *fingerprint(const struct wn_mesh *m)
{
	static const char *const terms[] = { "tumors", "cancer", "breast cancer", "Integrated Delivery Systems",
					     "neoplasms", "humans", "no such heading" };
	struct wn_err err;
	struct wn_buf b;
	char *out;
	size_t i;

	wn_buf_init(&b, 0);
	for (i = 0; i < wn_mesh_count(m); i++) {
		char num[32];
		snprintf(num, sizeof(num), "\n%zu:", i);
		if (wn_buf_adds(&b, num, NULL) < 0 || wn_mesh_explode(m, (long)i, collect, &b, &err) < 0) {
			wn_buf_release(&b);
			return NULL;
		}
	}
	for (i = 0; i < sizeof(terms) / sizeof(*terms); i++) {
		char num[32];
		snprintf(num, sizeof(num), "\n%ld", wn_mesh_find(m, terms[i], strlen(terms[i])));
		if (wn_buf_adds(&b, num, NULL) < 0) {
			wn_buf_release(&b);
			return NULL;
		}
	}
	out = malloc(b.len + 1);
	if (out) {
		memcpy(out, b.len ? b.data : "", b.len);
		out[b.len] = '\0';
	}
	wn_buf_release(&b);
	return out;
}

static char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p = malloc(1 << 16);

	*n = 0;
	if (f && p)
		*n = fread(p, 1, 1 << 16, f);
	if (f)
		fclose(f);
	return p;
}

/* a scratch file (TMPDIR), gzip-compressed when gz; its name is written to path */
static int write_tmp(char *path, size_t cap, const char *data, size_t n, int gz)
{
	const char *dir = getenv("TMPDIR");
	int fd, ok;

	snprintf(path, cap, "%s/test_mesh.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (gz) {
		gzFile g = gzdopen(fd, "wb9");
		ok = g && gzwrite(g, data, (unsigned)n) == (int)n;
		ok = g && gzclose(g) == Z_OK && ok;
	} else {
		ok = write(fd, data, n) == (ssize_t)n;
		ok = close(fd) == 0 && ok;
	}
	return ok ? 0 : -1;
}

/* ---- what a record gives ---- */

static void test_sample(void)
{
	struct wn_err err;
	struct wn_mesh *m = wn_mesh_load(SAMPLE, &err);
	struct wn_buf b;
	long i;

	CHECK(m != NULL);
	if (!m) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK_INT(wn_mesh_count(m), 7);
	/* entry terms map to their descriptor, in any case or punctuation */
	CHECK_STR(wn_mesh_name(m, wn_mesh_find(m, "CANCER", 6)), "Neoplasms");
	CHECK_STR(wn_mesh_name(m, wn_mesh_find(m, "breast-cancer", 13)), "Breast Neoplasms");
	CHECK_STR(wn_mesh_name(m, wn_mesh_find(m, "integrated delivery systems", 27)),
		  "Delivery of Health Care, Integrated");
	/* explosion: C04 takes C04.588 and C04.588.180 and C04.557, not C17 or N04 */
	i = wn_mesh_find(m, "Neoplasms", 9);
	wn_buf_init(&b, 0);
	CHECK_INT(wn_mesh_explode(m, i, collect, &b, &err), 0);
	CHECK(b.data && strstr(b.data, "Neoplasms by Site|") && strstr(b.data, "Breast Neoplasms|") &&
	      strstr(b.data, "Neoplasms by Histologic Type|") && !strstr(b.data, "Delivery"));
	wn_buf_release(&b);
	wn_mesh_free(m);
}

static void test_records(void)
{
	/* the name in a "see related" reference is not a descriptor; a tree number
	 * C01.1 is not below C01.10's sibling C01.1x only because of the dot; CDATA and
	 * character references are text like any other */
	const char *x =
		"<DescriptorRecordSet>"
		"<DescriptorRecord><DescriptorName><String>Alpha</String></DescriptorName>"
		" <TreeNumberList><TreeNumber>C01.1</TreeNumber></TreeNumberList>"
		" <SeeRelatedList><SeeRelatedDescriptor><DescriptorReferredTo><DescriptorName><String>Ghost</String>"
		"</DescriptorName></DescriptorReferredTo></SeeRelatedDescriptor></SeeRelatedList>"
		" <ConceptList><Concept><TermList><Term><String>First Letter</String></Term></TermList></Concept></ConceptList>"
		"</DescriptorRecord>"
		"<DescriptorRecord><DescriptorName><String><![CDATA[Alpha, Sub]]></String></DescriptorName>"
		" <TreeNumberList><TreeNumber>C01.1.5</TreeNumber></TreeNumberList></DescriptorRecord>"
		"<DescriptorRecord><DescriptorName><String>Alpha &amp; Omega &#233;</String></DescriptorName>"
		" <TreeNumberList><TreeNumber>C01.10</TreeNumber></TreeNumberList>"
		/* an entry term that is another descriptor's preferred name does not take it */
		" <ConceptList><Concept><TermList><Term><String>Alpha</String></Term></TermList></Concept></ConceptList>"
		"</DescriptorRecord>"
		"<DescriptorRecord/>"
		"</DescriptorRecordSet>";
	struct wn_err err;
	struct wn_mesh *m = wn_mesh_load_memory(x, strlen(x), "records", &err);
	struct wn_buf b;

	CHECK(m != NULL);
	if (!m) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK_INT(wn_mesh_count(m), 3);
	CHECK_INT(wn_mesh_find(m, "Ghost", 5), -1);
	CHECK_INT(wn_mesh_find(m, "alpha", 5), 0);
	CHECK_INT(wn_mesh_find(m, "first letter", 12), 0);
	CHECK_STR(wn_mesh_name(m, 1), "Alpha, Sub");
	CHECK_STR(wn_mesh_name(m, 2), "Alpha & Omega \xc3\xa9");
	wn_buf_init(&b, 0);
	CHECK_INT(wn_mesh_explode(m, 0, collect, &b, &err), 0);
	CHECK_STR(b.data, "Alpha|Alpha, Sub|");
	wn_buf_release(&b);
	wn_mesh_free(m);
}

/* ---- bad files ---- */

/* load x from memory: NULL expected, with code and a message containing want */
static void bad(const char *x, int code, const char *want)
{
	struct wn_err err;
	struct wn_mesh *m = wn_mesh_load_memory(x, strlen(x), "bad.xml", &err);

	CHECK(m == NULL);
	wn_mesh_free(m);
	if (m)
		return;
	CHECK_INT(err.code, code);
	CHECK(strstr(err.msg, want) != NULL);
	if (!strstr(err.msg, want))
		fprintf(stderr, "  got \"%s\", expected \"%s\"\n", err.msg, want);
}

static void test_bad(void)
{
	bad("", WN_EFORMAT, "'bad.xml' is not a MeSH descriptor file (empty, or no XML element)");
	bad("  \n", WN_EFORMAT, "(empty, or no XML element)");
	bad("<?xml version=\"1.0\"?>\n<!-- nothing -->\n", WN_EFORMAT, "(empty, or no XML element)");
	bad("{\"id\":1}", WN_EFORMAT, "'bad.xml' line 1: malformed XML in the MeSH descriptor file: ");
	bad("<records><record/></records>", WN_EFORMAT, "root element <records>, expected <DescriptorRecordSet>");
	bad("<DescriptorRecordSet>\n<DescriptorRecord><DescriptorName><String>A</String></DescriptorName>\n",
	    WN_EFORMAT, "'bad.xml' line 2: the MeSH descriptor file ends before </DescriptorRecordSet> (truncated?)");
	bad("<DescriptorRecordSet><DescriptorRecord><DescriptorName><Str", WN_EFORMAT, "malformed XML");
	bad("<DescriptorRecordSet></DescriptorRecordSet><x/>", WN_EFORMAT,
	    "malformed XML in the MeSH descriptor file: Extra content at the end of the document");
	bad("<DescriptorRecordSet><DescriptorRecord><DescriptorName><String>A\xff</String>"
	    "</DescriptorName></DescriptorRecord></DescriptorRecordSet>", WN_EFORMAT, "malformed XML");
	bad("<DescriptorRecordSet><DescriptorRecord></DescriptorRecord></DescriptorRecordSet>", WN_EFORMAT,
	    "'bad.xml' has no descriptor records");
	bad("<DescriptorRecordSet><a></b></DescriptorRecordSet>", WN_EFORMAT, "malformed XML");
}

/* A long name is kept whole; above libxml2's text limit (10 MB without XML_PARSE_HUGE)
 * the file is refused as over a limit - not cut, and not "out of memory". */
static void test_huge(void)
{
	const char *pre = "<DescriptorRecordSet><DescriptorRecord><DescriptorName><String>";
	const char *post = "</String></DescriptorName></DescriptorRecord></DescriptorRecordSet>";
	size_t sizes[] = { 100000, 11000000 }, k;

	for (k = 0; k < 2; k++) {
		size_t n = strlen(pre) + sizes[k] + strlen(post);
		char *x = malloc(n + 1);
		struct wn_err err;
		struct wn_mesh *m;

		CHECK(x != NULL);
		if (!x)
			return;
		memcpy(x, pre, strlen(pre));
		memset(x + strlen(pre), 'a', sizes[k]);
		memcpy(x + strlen(pre) + sizes[k], post, strlen(post) + 1);
		m = wn_mesh_load_memory(x, n, "huge.xml", &err);
		if (k == 0) {
			CHECK(m != NULL && strlen(wn_mesh_name(m, 0)) == sizes[k]);
		} else {
			CHECK(m == NULL && err.code == WN_ELIMIT &&
			      strstr(err.msg, "'huge.xml' line 1: a text in the MeSH descriptor file is longer than 10000000 bytes"));
		}
		wn_mesh_free(m);
		free(x);
	}
}

/* A file: the .gz form reads the same; a damaged or cut .gz is the input's error, as
 * wn_input_read says it, not "malformed XML". */
static void test_files(void)
{
	struct wn_err err;
	struct wn_mesh *m, *g;
	char path[512], *x, *a, *b;
	size_t n;

	x = read_all(SAMPLE, &n);
	CHECK(x != NULL && n > 1000);
	if (!x || n <= 1000) {
		free(x);
		return;
	}
	m = wn_mesh_load(SAMPLE, &err);
	CHECK(write_tmp(path, sizeof(path), x, n, 1) == 0);
	g = wn_mesh_load(path, &err);
	CHECK(m && g);
	if (m && g) {
		a = fingerprint(m);
		b = fingerprint(g);
		CHECK(a && b && strcmp(a, b) == 0);
		free(a);
		free(b);
	}
	wn_mesh_free(m);
	wn_mesh_free(g);
	{
		/* cut in the middle of the compressed stream */
		FILE *f = fopen(path, "rb");
		unsigned char z[4096];
		size_t zn = f ? fread(z, 1, sizeof(z), f) : 0;
		if (f)
			fclose(f);
		unlink(path);
		CHECK(zn > 200);
		CHECK(write_tmp(path, sizeof(path), (const char *)z, zn / 2, 0) == 0);
		m = wn_mesh_load(path, &err);
		CHECK(m == NULL && strstr(err.msg, "truncated gzip data") && !strstr(err.msg, "malformed XML"));
		wn_mesh_free(m);
		unlink(path);
		/* damaged inside the stream */
		memset(z + zn / 2, 0xff, 8);
		CHECK(write_tmp(path, sizeof(path), (const char *)z, zn, 0) == 0);
		m = wn_mesh_load(path, &err);
		CHECK(m == NULL && strstr(err.msg, "gzip") && !strstr(err.msg, "malformed XML"));
		wn_mesh_free(m);
		unlink(path);
	}
	m = wn_mesh_load("no-such-mesh.xml", &err);
	CHECK(m == NULL && err.code == WN_EIO && strstr(err.msg, "no-such-mesh.xml"));
	m = wn_mesh_load(".", &err);
	CHECK(m == NULL && err.code != WN_ENOMEM);
	free(x);
}

/* ---- allocation failures ---- */

/* libxml2's allocator, failing the fail_at-th call (0: never) and, if sticky, every
 * later one. Installed for the whole process: thin wrappers over libc, so blocks
 * allocated before it are freed correctly. */
static unsigned long lx_calls, lx_fail_at;
static int lx_sticky;

static int lx_fails(void)
{
	lx_calls++;
	return lx_fail_at && (lx_calls == lx_fail_at || (lx_sticky && lx_calls > lx_fail_at));
}
static void *lx_malloc(size_t n) { return lx_fails() ? NULL : malloc(n); }
static void *lx_realloc(void *p, size_t n) { return lx_fails() ? NULL : realloc(p, n); }
static char *lx_strdup(const char *s) { return lx_fails() ? NULL : strdup(s); }
static void lx_free(void *p) { free(p); }

/* the thread's handlers before a load, which every load must leave in place */
static int outer_calls, outer_gcalls;
static void outer_structured(void *ctx, xmlErrorPtr e) { (void)ctx; (void)e; outer_calls++; }
static void outer_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; outer_gcalls++; }

/* one load under a failure schedule: the whole tree (ref) or "out of memory"; 1 if
 * neither */
static int judge(struct wn_mesh *m, const struct wn_err *err, const char *ref, const char *label,
		 unsigned long n)
{
	char *fp;
	int failed = 0;

	if (!m) {
		CHECK_INT(err->code, WN_ENOMEM);
		CHECK_STR(err->msg, "out of memory");
		if (err->code != WN_ENOMEM || strcmp(err->msg, "out of memory") != 0) {
			fprintf(stderr, "  %s %lu: %s\n", label, n, err->msg);
			return 1;
		}
		return 0;
	}
	wn_alloc_set_schedule(0, 0);
	lx_fail_at = 0;
	fp = fingerprint(m);
	CHECK(fp && strcmp(fp, ref) == 0);
	if (!fp || strcmp(fp, ref) != 0) {
		fprintf(stderr, "  %s %lu: a different tree\n", label, n);
		failed = 1;
	}
	free(fp);
	wn_mesh_free(m);
	return failed;
}

static void test_oom_libxml(void)
{
	struct wn_err err;
	struct wn_mesh *m;
	char *ref, *x, path[512];
	size_t n;
	unsigned long count_mem, count_file, count_gz, i;
	int failures = 0, sticky, gz;

	x = read_all(SAMPLE, &n);
	m = wn_mesh_load(SAMPLE, &err);
	ref = m ? fingerprint(m) : NULL;
	wn_mesh_free(m);
	CHECK(x && ref);
	if (!x || !ref || write_tmp(path, sizeof(path), x, n, 1) < 0) {
		free(x);
		free(ref);
		return;
	}
	CHECK(xmlMemSetup(lx_free, lx_malloc, lx_realloc, lx_strdup) == 0);
	xmlSetStructuredErrorFunc(NULL, outer_structured);
	xmlSetGenericErrorFunc(NULL, outer_generic);
	/* how many allocations a load from memory, from a file and from a .gz makes */
	lx_calls = 0;
	wn_mesh_free(wn_mesh_load_memory(x, n, "mesh.xml", &err));
	count_mem = lx_calls;
	lx_calls = 0;
	wn_mesh_free(wn_mesh_load(SAMPLE, &err));
	count_file = lx_calls;
	lx_calls = 0;
	wn_mesh_free(wn_mesh_load(path, &err));
	count_gz = lx_calls;
	CHECK(count_mem > 50 && count_file > 50 && count_gz > 50);
	for (gz = 0; gz < 3; gz++) {
		unsigned long count = gz == 0 ? count_mem : gz == 1 ? count_file : count_gz;
		const char *label = gz == 0 ? "memory" : gz == 1 ? "file" : "gz";
		for (sticky = 0; sticky < 2; sticky++) {
			unsigned long oom = 0;
			for (i = 1; i <= count + 1; i++) {
				lx_calls = 0;
				lx_fail_at = i;
				lx_sticky = sticky;
				m = gz == 0 ? wn_mesh_load_memory(x, n, "mesh.xml", &err) :
				    wn_mesh_load(gz == 1 ? SAMPLE : path, &err);
				lx_fail_at = 0;
				if (!m)
					oom++;
				failures += judge(m, &err, ref, label, i);
				if (failures > 5)
					break;
			}
			/* the loop made loads fail, or it proves nothing */
			CHECK(oom > count / 2);

		}
	}
	/* the load's handlers are gone again; libxml2's generic messages (the reader's
	 * own "malloc failed") were kept from the thread's handler (the watch passes the
	 * structured ones on, by design) */
	CHECK(outer_calls > 0);
	CHECK_INT(outer_gcalls, 0);
	CHECK(xmlStructuredError == outer_structured);
	CHECK(xmlGenericError == outer_generic);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	unlink(path);
	free(x);
	free(ref);
}

static void test_oom_winnow(void)
{
	struct wn_err err;
	struct wn_mesh *m;
	char *ref, *x;
	size_t n;
	unsigned long count, i;
	int failures = 0, sticky;

	x = read_all(SAMPLE, &n);
	m = wn_mesh_load_memory(x, n, "mesh.xml", &err);
	ref = m ? fingerprint(m) : NULL;
	wn_mesh_free(m);
	CHECK(x && ref);
	if (!x || !ref) {
		free(x);
		free(ref);
		return;
	}
	wn_alloc_set_schedule(0, 0);
	m = wn_mesh_load(SAMPLE, &err);
	count = wn_alloc_count();
	wn_mesh_free(m);
	if (count == 0) { /* built without WINNOW_FAULT_INJECTION */
		free(x);
		free(ref);
		return;
	}
	for (sticky = 0; sticky < 2; sticky++) {
		for (i = 1; i <= count + 1 && failures <= 5; i++) {
			wn_alloc_set_schedule(i, sticky);
			m = wn_mesh_load(SAMPLE, &err);
			wn_alloc_set_schedule(0, 0);
			failures += judge(m, &err, ref, "libwinnow", i);
		}
	}
	free(x);
	free(ref);
}

/* Two loads at once, on two threads: the watch and the handlers are per thread. */
static void *load_thread(void *arg)
{
	struct wn_err err;
	int k;

	for (k = 0; k < 20; k++) {
		struct wn_mesh *m = wn_mesh_load(SAMPLE, &err);
		if (!m || wn_mesh_count(m) != 7) {
			wn_mesh_free(m);
			*(int *)arg = 1;
			return NULL;
		}
		wn_mesh_free(m);
		/* a malformed one too: its errors stay on this thread */
		m = wn_mesh_load_memory("<DescriptorRecordSet><a></b>", 28, "bad", &err);
		if (m || err.code != WN_EFORMAT) {
			wn_mesh_free(m);
			*(int *)arg = 1;
			return NULL;
		}
	}
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[2];
	int bad_[2] = { 0, 0 }, k, started[2];

	for (k = 0; k < 2; k++)
		started[k] = pthread_create(&t[k], NULL, load_thread, &bad_[k]) == 0;
	for (k = 0; k < 2; k++) {
		CHECK(started[k]);
		if (started[k])
			pthread_join(t[k], NULL);
		CHECK_INT(bad_[k], 0);
	}
}

int main(void)
{
	RUN(test_sample);
	RUN(test_records);
	RUN(test_bad);
	RUN(test_huge);
	RUN(test_files);
	RUN(test_threads);
	RUN(test_oom_winnow);
	RUN(test_oom_libxml);
	return wn_test_report();
}

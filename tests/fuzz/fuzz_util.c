/*
 * fuzz_util.c - the shared part of the fuzz harnesses (see fuzz.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz.h"
#include "winnow/alloc.h"
#include "winnow/hash.h"
#include "winnow/jsonl.h"
#include "winnow/utf8.h"

/* records as winnow-fetch writes them: a PubMed record, an Embase one with non-ASCII
 * text, and one with hardly any fields (for rules about missing fields) */
static const char *const records[] = {
	"{\"id\":\"pubmed:29768149\",\"source\":\"PubMed\",\"title\":\"Prevalence of Burnout Among "
	"Physicians: A Systematic Review\",\"abstract\":\"IMPORTANCE: Burnout is a self-reported "
	"job-related syndrome increasingly recognized as a critical factor affecting physicians "
	"and their patients.\\nOBJECTIVE: To estimate the prevalence of burnout among physicians "
	"worldwide.\",\"authors\":[\"Rotenstein, Lisa S\",\"Torre, Matthew\"],\"year\":2018,"
	"\"date\":\"2018-09-18\",\"journal\":\"JAMA\",\"language\":\"eng\",\"pubtypes\":[\"Journal "
	"Article\",\"Systematic Review\"],\"mesh\":[\"*Burnout, Professional/epidemiology\","
	"\"Humans\",\"Physicians/psychology\"],\"keywords\":[\"burn-out\",\"well-being\"],"
	"\"doi\":\"10.1001/jama.2018.12777\",\"pmid\":\"29768149\"}",
	"{\"id\":\"embase:x1\",\"source\":\"Embase\",\"title\":\"Integrated health care for "
	"people with diabètes: a mixed-methods évaluation in 12 countries (2019–2020)\","
	"\"abstract\":\"Background and aims\",\"year\":1999,\"keywords\":[\"integrated care\","
	"\"diabetes mellitus, type 2\"],\"language\":\"English\"}",
	"{\"id\":\"ris:x2\",\"title\":\"x\"}",
};
static json_object *samples[3];

json_object *wnf_sample_record(size_t i)
{
	if (i >= sizeof(records) / sizeof(records[0]))
		return NULL;
	if (!samples[i] && !(samples[i] = json_tokener_parse(records[i])))
		wnf_fail("sample record %zu does not parse", i);
	return samples[i];
}



static int injecting;

int wnf_injecting(void)
{
	return injecting;
}

void wnf_run(const uint8_t *data, size_t size, wnf_pass_fn pass)
{
	uint64_t bits = wn_hash64(data, size);
	unsigned long n;
	const char *no = getenv("WNF_NO_OOM");

	wn_alloc_set_schedule(0, 0);
	pass(data, size, bits);
	n = wn_alloc_count();
	if (n == 0 || (no && *no == '1'))
		return;
	/* fail one of the allocations the clean run made; sticky one time in four */
	injecting = 1;
	wn_alloc_set_schedule(1 + (unsigned long)((bits >> 20) % n), ((bits >> 12) & 3) == 0);
	pass(data, size, bits);
	wn_alloc_set_schedule(0, 0);
	injecting = 0;
}

void wnf_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz invariant violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int wnf_memfile(const uint8_t *data, size_t size, char *path, size_t pathsz)
{
	int fd = memfd_create("wnf", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	snprintf(path, pathsz, "/proc/self/fd/%d", fd);
	return fd;
}

static char scratch[256];

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static void remove_scratch(void)
{
	if (scratch[0])
		remove_tree(scratch);
}

const char *wnf_scratch_dir(void)
{
	if (!scratch[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(scratch, sizeof(scratch), "%s/wnf.XXXXXX", base);
		if (!mkdtemp(scratch)) {
			perror("mkdtemp");
			abort();
		}
		atexit(remove_scratch);
	}
	return scratch;
}

static void check_string(const char *where, const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		wnf_fail("%s: empty string (fields are absent when unknown, never empty)", where);
	if (!wn_utf8_valid(s, n))
		wnf_fail("%s: invalid UTF-8 at byte %zu", where, wn_utf8_first_invalid(s, n));
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			wnf_fail("%s: control character 0x%02x at byte %zu", where, c, i);
	}
}

static void check_value(const char *where, json_object *v, int depth)
{
	char sub[256];

	if (depth > 8)
		wnf_fail("%s: nested deeper than a record can be", where);
	switch (json_object_get_type(v)) {
	case json_type_string:
		check_string(where, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		break;
	case json_type_array: {
		size_t i, n = json_object_array_length(v);
		if (n == 0)
			wnf_fail("%s: empty array", where);
		for (i = 0; i < n; i++) {
			snprintf(sub, sizeof(sub), "%.200s[%zu]", where, i);
			check_value(sub, json_object_array_get_idx(v, i), depth + 1);
		}
		break;
	}
	case json_type_object: {
		json_object_object_foreach(v, k, x) {
			snprintf(sub, sizeof(sub), "%.200s.%.40s", where, k);
			check_string(sub, k, strlen(k));
			check_value(sub, x, depth + 1);
		}
		break;
	}
	case json_type_null:
		wnf_fail("%s: null value", where);
	default:
		break;
	}
}

void wnf_check_record(json_object *rec, int imported)
{
	json_object *v, *idx;

	if (!json_object_is_type(rec, json_type_object))
		wnf_fail("record is not an object");
	if (!imported)
		return;
	if (!json_object_object_get_ex(rec, "id", &v) || !json_object_is_type(v, json_type_string))
		wnf_fail("record without a string id");
	if (!json_object_object_get_ex(rec, "origin", &v) ||
	    !json_object_object_get_ex(v, "index", &idx) || json_object_get_int64(idx) < 1)
		wnf_fail("record without origin.index >= 1");
	check_value("record", rec, 0);
	wnf_check_roundtrip(rec);
}

void wnf_check_roundtrip(json_object *obj)
{
	size_t len;
	const char *s;
	json_tokener *tok;
	json_object *back;

	s = wn_json_compact(obj, &len);
	if (!s)
		return; /* out of memory: nothing to compare */
	if (memchr(s, '\n', len))
		wnf_fail("compact JSON contains a newline: the stream would break");
	if (!wn_utf8_valid(s, len))
		wnf_fail("compact JSON is not valid UTF-8");
	tok = json_tokener_new();
	if (!tok)
		return;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	back = json_tokener_parse_ex(tok, s, (int)len);
	if (!back && !wnf_injecting())
		wnf_fail("the writer's output does not parse back: %.300s", s);
	if (back && !json_object_equal(obj, back))
		wnf_fail("the writer's output parses back to a different value: %.300s", s);
	json_object_put(back);
	json_tokener_free(tok);
}

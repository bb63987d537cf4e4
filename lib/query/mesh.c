/*
 * mesh.c - the MeSH descriptor tree (see mesh.h).
 *
 * Streaming read with xmlTextReader (constant memory whatever the file size), keeping
 * for each DescriptorRecord its preferred name (DescriptorName/String directly under
 * the record - the same element also appears inside "see related" and pharmacological
 * action references, which must not be taken), its tree numbers, and the strings of
 * its concepts' terms (entry terms). Explosion: the tree numbers sorted as strings, so
 * every number below "C04.588" is a contiguous run starting with "C04.588.".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlreader.h>
#include "winnow/alloc.h"
#include "winnow/input.h"
#include "winnow/mesh.h"
#include "winnow/qmatch.h"
#include "winnow/xmlsafe.h"

struct tn {
	char *num;
	uint32_t desc;
};

struct nameent {
	char *norm;
	uint32_t desc;
	int preferred;
};

struct wn_mesh {
	char **names;          /* preferred name per descriptor */
	size_t n, cap;
	struct tn *tns;
	size_t ntn, tncap;
	struct nameent *map;   /* open addressing on normalised names */
	size_t mapcap, mapn;
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

void wn_mesh_free(struct wn_mesh *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		wn_free(m->names[i]);
	wn_free(m->names);
	for (i = 0; i < m->ntn; i++)
		wn_free(m->tns[i].num);
	wn_free(m->tns);
	for (i = 0; i < m->mapcap; i++)
		wn_free(m->map[i].norm);
	wn_free(m->map);
	wn_free(m);
}

static int map_grow(struct wn_mesh *m)
{
	size_t cap = m->mapcap ? m->mapcap * 2 : 1024, i;
	struct nameent *v = wn_calloc(cap, sizeof(*v));

	if (!v)
		return -1;
	for (i = 0; i < m->mapcap; i++) {
		size_t j;
		if (!m->map[i].norm)
			continue;
		for (j = fnv(m->map[i].norm, strlen(m->map[i].norm)) & (cap - 1); v[j].norm; j = (j + 1) & (cap - 1))
			;
		v[j] = m->map[i];
	}
	wn_free(m->map);
	m->map = v;
	m->mapcap = cap;
	return 0;
}

/* Map a normalised name to a descriptor; a preferred name wins over an entry term. */
static int map_put(struct wn_mesh *m, const char *norm, size_t n, uint32_t desc, int preferred)
{
	size_t j;

	if (n == 0)
		return 0;
	if ((m->mapn + 1) * 2 > m->mapcap && map_grow(m) < 0)
		return -1;
	for (j = fnv(norm, n) & (m->mapcap - 1); m->map[j].norm; j = (j + 1) & (m->mapcap - 1)) {
		if (strlen(m->map[j].norm) == n && memcmp(m->map[j].norm, norm, n) == 0) {
			if (preferred && !m->map[j].preferred) {
				m->map[j].desc = desc;
				m->map[j].preferred = 1;
			}
			return 0;
		}
	}
	m->map[j].norm = wn_strndup(norm, n);
	if (!m->map[j].norm)
		return -1;
	m->map[j].desc = desc;
	m->map[j].preferred = preferred;
	m->mapn++;
	return 0;
}

long wn_mesh_find(const struct wn_mesh *m, const char *name, size_t n)
{
	struct wn_buf b;
	size_t j;
	long r = -1;

	if (!m->mapcap)
		return -1;
	wn_buf_init(&b, 0);
	if (wn_qtok_normalize(&b, name, n, NULL) < 0) {
		wn_buf_release(&b);
		return -1;
	}
	for (j = fnv(b.data, b.len) & (m->mapcap - 1); m->map[j].norm; j = (j + 1) & (m->mapcap - 1))
		if (strcmp(m->map[j].norm, b.data) == 0) {
			r = m->map[j].desc;
			break;
		}
	wn_buf_release(&b);
	return r;
}

size_t wn_mesh_count(const struct wn_mesh *m) { return m->n; }

const char *wn_mesh_name(const struct wn_mesh *m, long idx)
{
	return idx >= 0 && (size_t)idx < m->n ? m->names[idx] : NULL;
}

static int tn_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tn *)a)->num, ((const struct tn *)b)->num);
}

int wn_mesh_explode(const struct wn_mesh *m, long idx,
		    int (*fn)(long idx, const char *name, void *data), void *data,
		    struct wn_err *err)
{
	unsigned char *seen;
	size_t i;
	int rc = 0;

	if (idx < 0 || (size_t)idx >= m->n)
		return 0;
	seen = wn_calloc(m->n, 1);
	if (!seen)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	seen[idx] = 1;
	rc = fn(idx, m->names[idx], data);
	for (i = 0; i < m->ntn && !rc; i++) {
		size_t lo = 0, hi = m->ntn, len;
		const char *num;
		if (m->tns[i].desc != (uint32_t)idx)
			continue;
		num = m->tns[i].num;
		len = strlen(num);
		while (lo < hi) { /* first entry >= num */
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(m->tns[mid].num, num) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < m->ntn && strncmp(m->tns[lo].num, num, len) == 0 && !rc; lo++) {
			uint32_t d = m->tns[lo].desc;
			if (m->tns[lo].num[len] != '\0' && m->tns[lo].num[len] != '.')
				continue;
			if (!seen[d]) {
				seen[d] = 1;
				rc = fn((long)d, m->names[d], data);
			}
		}
	}
	wn_free(seen);
	if (rc < 0)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	return 0;
}

/* ---- reading ---- */

static int read_cb(void *ctx, char *buf, int len)
{
	struct wn_input *in = ctx;
	ssize_t r = wn_input_read(in, buf, (size_t)len, NULL);

	return r < 0 ? -1 : (int)r;
}

static int close_cb(void *ctx)
{
	(void)ctx;
	return 0;
}

struct loader {
	struct wn_mesh *m;
	struct wn_buf norm;
	int in_record;
	long cur;                 /* descriptor index of the record being read */
	char *pending_name;
	/* entry terms and tree numbers seen before the name is known are buffered */
};

static int add_desc(struct wn_mesh *m, const char *name)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		char **v = wn_reallocarray(m->names, cap, sizeof(*v));
		if (!v)
			return -1;
		m->names = v;
		m->cap = cap;
	}
	m->names[m->n] = wn_strdup(name);
	if (!m->names[m->n])
		return -1;
	m->n++;
	return 0;
}

static int add_tn(struct wn_mesh *m, const char *num, uint32_t desc)
{
	if (m->ntn == m->tncap) {
		size_t cap = m->tncap ? m->tncap * 2 : 1024;
		struct tn *v = wn_reallocarray(m->tns, cap, sizeof(*v));
		if (!v)
			return -1;
		m->tns = v;
		m->tncap = cap;
	}
	m->tns[m->ntn].num = wn_strdup(num);
	if (!m->tns[m->ntn].num)
		return -1;
	m->tns[m->ntn].desc = desc;
	m->ntn++;
	return 0;
}

/* libxml2 would print its messages to stderr: keep the first one for ours instead */
static void reader_error(void *arg, const char *msg, xmlParserSeverities sev, xmlTextReaderLocatorPtr loc)
{
	char *first = arg;
	size_t n;

	(void)loc;
	if (sev != XML_PARSER_SEVERITY_ERROR && sev != XML_PARSER_SEVERITY_VALIDITY_ERROR)
		return;
	if (first[0] || !msg)
		return;
	snprintf(first, 160, "%s", msg);
	n = strlen(first);
	while (n && (first[n - 1] == '\n' || first[n - 1] == ' '))
		first[--n] = '\0';
}

static struct wn_mesh *load_reader(xmlTextReaderPtr r, const char *name, struct wn_err *err)
{
	struct wn_mesh *m = wn_calloc(1, sizeof(*m));
	const char *path[24];
	int rc, rec_depth = -1, saw_root = 0;
	struct wn_buf nb;

	char xmlerr[160] = "";

	xmlTextReaderSetErrorHandler(r, reader_error, xmlerr);
	wn_buf_init(&nb, 0);
	if (!m) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	memset(path, 0, sizeof(path));
	while ((rc = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		if (type == XML_READER_TYPE_ELEMENT) {
			const char *ln = (const char *)xmlTextReaderConstLocalName(r);
			if (depth == 0) {
				if (!ln || strcmp(ln, "DescriptorRecordSet") != 0) {
					wn_err_set(err, WN_EFORMAT, "'%s' is not a MeSH descriptor file (root element <%s>, expected <DescriptorRecordSet>)",
						   name, ln ? ln : "?");
					goto fail;
				}
				saw_root = 1;
			}
			if (depth < 24)
				path[depth] = ln;
			if (ln && strcmp(ln, "DescriptorRecord") == 0 && depth == 1)
				rec_depth = depth;
			if (xmlTextReaderIsEmptyElement(r) && ln && strcmp(ln, "DescriptorRecord") == 0)
				rec_depth = -1;
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth == rec_depth)
				rec_depth = -1;
		} else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) && rec_depth >= 0) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			int d = depth - rec_depth; /* text depth relative to the record */
			if (!v || depth >= 24)
				continue;
			if (d == 3 && strcmp(path[rec_depth + 1], "DescriptorName") == 0 &&
			    strcmp(path[rec_depth + 2], "String") == 0) {
				if (add_desc(m, v) < 0 || wn_qtok_normalize(&nb, v, strlen(v), err) < 0 ||
				    map_put(m, nb.data, nb.len, (uint32_t)(m->n - 1), 1) < 0)
					goto oom;
			} else if (d == 3 && strcmp(path[rec_depth + 1], "TreeNumberList") == 0 &&
				   strcmp(path[rec_depth + 2], "TreeNumber") == 0 && m->n) {
				if (add_tn(m, v, (uint32_t)(m->n - 1)) < 0)
					goto oom;
			} else if (d == 6 && strcmp(path[rec_depth + 1], "ConceptList") == 0 &&
				   strcmp(path[rec_depth + 4], "Term") == 0 &&
				   strcmp(path[rec_depth + 5], "String") == 0 && m->n) {
				if (wn_qtok_normalize(&nb, v, strlen(v), err) < 0 ||
				    map_put(m, nb.data, nb.len, (uint32_t)(m->n - 1), 0) < 0)
					goto oom;
			}
		}
	}
	if (rc < 0) {
		wn_err_set(err, WN_EFORMAT, "'%s' line %d: malformed XML in the MeSH descriptor file%s%s", name,
			   xmlTextReaderGetParserLineNumber(r), xmlerr[0] ? ": " : "", xmlerr);
		goto fail;
	}
	if (!saw_root) {
		wn_err_set(err, WN_EFORMAT, "'%s' is not a MeSH descriptor file (no <DescriptorRecordSet>)", name);
		goto fail;
	}
	if (m->n == 0) {
		wn_err_set(err, WN_EFORMAT, "'%s' has no descriptor records", name);
		goto fail;
	}
	if (m->ntn)
		qsort(m->tns, m->ntn, sizeof(*m->tns), tn_cmp);
	wn_buf_release(&nb);
	return m;
oom:
	wn_err_set(err, WN_ENOMEM, "out of memory");
fail:
	wn_buf_release(&nb);
	wn_mesh_free(m);
	return NULL;
}

struct wn_mesh *wn_mesh_load(const char *path, struct wn_err *err)
{
	struct wn_input *in;
	xmlTextReaderPtr r;
	struct wn_mesh *m;

	wn_xml_init();
	in = wn_input_open(path, NULL, err);
	if (!in)
		return NULL;
	r = xmlReaderForIO(read_cb, close_cb, in, NULL, NULL, wn_xml_options());
	if (!r) {
		wn_input_close(in);
		wn_err_set(err, WN_ENOMEM, "cannot start the XML reader for '%s'", path);
		return NULL;
	}
	m = load_reader(r, wn_input_name(in), err);
	xmlFreeTextReader(r);
	wn_input_close(in);
	return m;
}

struct wn_mesh *wn_mesh_load_memory(const char *xml, size_t n, const char *name,
				    struct wn_err *err)
{
	xmlTextReaderPtr r;
	struct wn_mesh *m;

	wn_xml_init();
	if (n > (size_t)1 << 30)
		return wn_err_set(err, WN_ELIMIT, "'%s' is too large", name), NULL;
	r = xmlReaderForMemory(xml, (int)n, NULL, NULL, wn_xml_options());
	if (!r) {
		wn_err_set(err, WN_ENOMEM, "cannot start the XML reader for '%s'", name);
		return NULL;
	}
	m = load_reader(r, name, err);
	xmlFreeTextReader(r);
	return m;
}

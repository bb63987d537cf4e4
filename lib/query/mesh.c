/*
 * mesh.c - the MeSH descriptor tree (see mesh.h).
 *
 * Streaming read with xmlTextReader (constant memory whatever the file size), keeping
 * for each DescriptorRecord its preferred name (DescriptorName/String directly under
 * the record - the same element also appears inside "see related" and pharmacological
 * action references, which must not be taken), its tree numbers, and the strings of
 * its concepts' terms (entry terms). Explosion: the tree numbers sorted as strings, so
 * every number below "C04.588" is a contiguous run starting with "C04.588.".
 *
 * Out of memory inside libxml2 ends the load as out of memory (WN_ENOMEM), never as a
 * malformed file, and never with a name, term or tree number left out: libxml2 2.9 says
 * so to the reader's structured handler, to the thread's (a watch, xmlsafe.h), in the
 * context's errNo, or by a NULL where a node always has a value (an element's name, a
 * text node's text). A failed read of the input (EIO, zlib out of memory, a damaged
 * .gz) is the run's error as wn_input_read gave it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/globals.h>
#include <libxml/parserInternals.h>
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

/* One load: the input, what went wrong, and libxml2's error state. */
struct rd {
	struct wn_xml_source src;   /* the input (src.in NULL from memory); a failed read: src.err */
	int nomem;                  /* the reader reported XML_ERR_NO_MEMORY */
	int huge;                   /* ... for a text over libxml2's cap, not for memory */
	xmlParserCtxtPtr ctxt;      /* the reader's parser context, once an error named it */
	char xmlerr[160];           /* libxml2's first error, for ours */
	int docend;                 /* it was "the document does not end here": 1 before
	                             * the root element, 2 inside it, 3 after it */
	struct wn_xml_watch watch;
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
};

/* The reader's structured handler: it has the error code, so out of memory is told
 * apart from a malformed file; libxml2 would print the rest to stderr, so the first
 * error is kept for our message instead. */
static void on_error(void *arg, xmlErrorPtr x)
{
	struct rd *d = arg;
	size_t n;

	if (!x)
		return;
	/* libxml2 2.9 reports a text node over its cap as out of memory */
	if (wn_xml_error_is_limit(x))
		d->huge = 1;
	else if (x->code == XML_ERR_NO_MEMORY)
		d->nomem = 1;
	if (x->domain == XML_FROM_PARSER && x->ctxt)
		d->ctxt = x->ctxt;
	if (x->level < XML_ERR_ERROR || d->xmlerr[0])
		return;
	/* the reader's push parser gives the same code, and the message "Extra content at
	 * the end of the document", to a file that ends too early: where the parser was
	 * tells them apart */
	if (x->code == XML_ERR_DOCUMENT_END && x->domain == XML_FROM_PARSER && x->ctxt) {
		int st = ((xmlParserCtxtPtr)x->ctxt)->instate;
		d->docend = st == XML_PARSER_EPILOG || st == XML_PARSER_EOF ? 3 :
			    st == XML_PARSER_START || st == XML_PARSER_MISC || st == XML_PARSER_PROLOG ? 1 : 2;
	}
	snprintf(d->xmlerr, sizeof(d->xmlerr), "%s", x->message ? x->message : "XML error");
	n = strlen(d->xmlerr);
	while (n && (d->xmlerr[n - 1] == '\n' || d->xmlerr[n - 1] == ' '))
		d->xmlerr[--n] = '\0';
}

/* The reader's own allocation failures (xmlNewTextReader, xmlTextReaderRead) go to the
 * thread's generic handler, which prints them: they are told as "out of memory". */
static void quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* libxml2 ran out of memory since the load began, whichever way it said so: to the
 * reader's handler (possibly before or after other errors), to the thread's handler
 * (input and buffer set-up), or only in the context's errNo. */
static int rd_nomem(const struct rd *d)
{
	return d->nomem || d->watch.nomem ||
	       (!d->huge && d->ctxt && d->ctxt->errNo == XML_ERR_NO_MEMORY);
}

static void rd_begin(struct rd *d, struct wn_input *in)
{
	memset(d, 0, sizeof(*d));
	d->src.in = in;
	/* per thread in libxml2 2.9, like the watch; restored by rd_end */
	d->old_generic = xmlGenericError;
	d->old_generic_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, quiet_generic);
	wn_xml_watch_begin(&d->watch);
	/* under the watch: the first load in a process tells of libxml2's own set-up
	 * failing (an encoding handler left out) as out of memory, not as a bad file */
	wn_xml_init();
}

static void rd_end(struct rd *d)
{
	wn_xml_watch_end(&d->watch);
	xmlSetGenericErrorFunc(d->old_generic_ctx, d->old_generic);
}

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

/* Why the reader stopped early, as the run's error: out of memory, then a failed
 * input (EIO, zlib out of memory, a damaged .gz, a size cap), then the document. */
static void load_error(const struct rd *d, xmlTextReaderPtr r, const char *name, struct wn_err *err)
{
	int line = xmlTextReaderGetParserLineNumber(r);

	if (rd_nomem(d))
		wn_err_set(err, WN_ENOMEM, "out of memory");
	else if (d->src.failed)
		*err = d->src.err;
	else if (d->huge)
		wn_err_set(err, WN_ELIMIT, "'%s' line %d: a text in the MeSH descriptor file is longer than %d bytes (libxml2's limit)",
			   name, line, XML_MAX_TEXT_LENGTH);
	else if (d->docend == 1)
		wn_err_set(err, WN_EFORMAT, "'%s' is not a MeSH descriptor file (empty, or no XML element)", name);
	else if (d->docend == 2)
		wn_err_set(err, WN_EFORMAT, "'%s' line %d: the MeSH descriptor file ends before </DescriptorRecordSet> (truncated?)",
			   name, line);
	else
		wn_err_set(err, WN_EFORMAT, "'%s' line %d: malformed XML in the MeSH descriptor file%s%s", name,
			   line, d->xmlerr[0] ? ": " : "", d->xmlerr);
}

static struct wn_mesh *load_reader(struct rd *d, xmlTextReaderPtr r, const char *name, struct wn_err *err)
{
	struct wn_mesh *m;
	const char *path[24];
	int rc, rec_depth = -1, saw_root = 0;
	struct wn_buf nb;

	xmlTextReaderSetStructuredErrorHandler(r, on_error, d);
	m = wn_calloc(1, sizeof(*m));
	if (!m) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		return NULL;
	}
	wn_buf_init(&nb, 0);
	memset(path, 0, sizeof(path));
	/* a node handed out after libxml2 failed to allocate may be incomplete (text cut
	 * short, a node left out): nothing is taken from it */
	while ((rc = xmlTextReaderRead(r)) == 1 && !rd_nomem(d)) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		if (type == XML_READER_TYPE_ELEMENT) {
			const char *ln = (const char *)xmlTextReaderConstLocalName(r);
			if (!ln) /* an element always has a name */
				goto oom;
			if (depth == 0) {
				if (strcmp(ln, "DescriptorRecordSet") != 0) {
					wn_err_set(err, WN_EFORMAT, "'%s' is not a MeSH descriptor file (root element <%s>, expected <DescriptorRecordSet>)",
						   name, ln);
					goto fail;
				}
				saw_root = 1;
			}
			if (depth >= 0 && depth < 24)
				path[depth] = ln;
			if (strcmp(ln, "DescriptorRecord") == 0 && depth == 1)
				rec_depth = depth;
			if (xmlTextReaderIsEmptyElement(r) && strcmp(ln, "DescriptorRecord") == 0)
				rec_depth = -1;
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth == rec_depth)
				rec_depth = -1;
		} else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) && rec_depth >= 0) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			int dd = depth - rec_depth; /* text depth relative to the record */
			if (!v) /* a text node always has its text */
				goto oom;
			if (depth >= 24)
				continue;
			if (dd == 3 && strcmp(path[rec_depth + 1], "DescriptorName") == 0 &&
			    strcmp(path[rec_depth + 2], "String") == 0) {
				if (add_desc(m, v) < 0 || wn_qtok_normalize(&nb, v, strlen(v), err) < 0 ||
				    map_put(m, nb.data, nb.len, (uint32_t)(m->n - 1), 1) < 0)
					goto oom;
			} else if (dd == 3 && strcmp(path[rec_depth + 1], "TreeNumberList") == 0 &&
				   strcmp(path[rec_depth + 2], "TreeNumber") == 0 && m->n) {
				if (add_tn(m, v, (uint32_t)(m->n - 1)) < 0)
					goto oom;
			} else if (dd == 6 && strcmp(path[rec_depth + 1], "ConceptList") == 0 &&
				   strcmp(path[rec_depth + 4], "Term") == 0 &&
				   strcmp(path[rec_depth + 5], "String") == 0 && m->n) {
				if (wn_qtok_normalize(&nb, v, strlen(v), err) < 0 ||
				    map_put(m, nb.data, nb.len, (uint32_t)(m->n - 1), 0) < 0)
					goto oom;
			}
		}
	}
	if (rc != 0 || rd_nomem(d) || d->src.failed) {
		load_error(d, r, name, err);
		goto fail;
	}
	if (!saw_root) {
		/* a well-formed document has a root element, and one that is not well-formed
		 * ends in an error: libxml2 lost the document without saying why */
		if (!d->xmlerr[0]) {
			wn_err_set(err, WN_ENOMEM, "out of memory");
			goto fail;
		}
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

/* The reader could not be made: libxml2 allocates everything it needs then, but the
 * first read of the input happens there too. */
static void start_error(const struct rd *d, struct wn_err *err)
{
	/* not rd_nomem: a context named by an error is freed by now */
	if (d->src.failed && !d->nomem && !d->watch.nomem)
		*err = d->src.err;
	else
		wn_err_set(err, WN_ENOMEM, "out of memory");
}

struct wn_mesh *wn_mesh_load(const char *path, struct wn_err *err)
{
	struct wn_input *in;
	xmlTextReaderPtr r;
	struct wn_mesh *m = NULL;
	struct rd d;

	in = wn_input_open(path, NULL, err);
	if (!in)
		return NULL;
	rd_begin(&d, in);
	r = xmlReaderForIO(wn_xml_source_read, wn_xml_source_close, &d.src, NULL, NULL, wn_xml_options());
	if (r) {
		m = load_reader(&d, r, wn_input_name(in), err);
		xmlFreeTextReader(r);
	} else {
		start_error(&d, err);
	}
	rd_end(&d);
	wn_input_close(in);
	return m;
}

struct wn_mesh *wn_mesh_load_memory(const char *xml, size_t n, const char *name,
				    struct wn_err *err)
{
	xmlTextReaderPtr r;
	struct wn_mesh *m = NULL;
	struct rd d;

	if (n > (size_t)1 << 30)
		return wn_err_set(err, WN_ELIMIT, "'%s' is too large", name), NULL;
	rd_begin(&d, NULL);
	r = xmlReaderForMemory(xml, (int)n, NULL, NULL, wn_xml_options());
	if (r) {
		m = load_reader(&d, r, name, err);
		xmlFreeTextReader(r);
	} else {
		start_error(&d, err);
	}
	rd_end(&d);
	return m;
}

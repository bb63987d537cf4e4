/*
 * pubmed_xml.c - the PubMed XML format: efetch output, the annual baseline and daily
 * update files (.xml.gz), the old MedlineCitationSet files, and single PubmedArticle /
 * PubmedBookArticle / MedlineCitation documents.
 *
 * The import loop takes record chunks from the splitter (pubmed_xml_split.c), parses
 * each (pubmed_xml_record.c) and hands the record to the session, in file order. Big
 * inputs are parsed on two threads (pubmed_xml_par.c) with the same output, byte for
 * byte. A record that cannot be used is skipped and reported with its number, line and
 * PMID; the rest of the file is still imported. DeleteCitation lists (update files) are
 * not records: their PMIDs are reported in a note and in the file's ledger entry
 * ("deleted_pmids"), never dropped silently.
 */
#include <string.h>
#include "winnow/import.h"
#include "winnow/xmlsafe.h"
#include "formats.h"
#include "medline_util.h"
#include "pubmed_xml.h"

/* ---- detection ---- */

static const char *find_ascii(const unsigned char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	if (n < k)
		return NULL;
	return px_memmem(h, n, needle, k);
}

static int detect(const unsigned char *head, size_t n)
{
	unsigned char proj[8192];

	size_t i = 0;

	/* UTF-16 (with or without BOM): look at the ASCII projection */
	wn_medline_detect_view(head, n, proj, sizeof(proj), &head, &n);
	/* an XML document starts with markup (after a BOM and white space): a program or
	 * text that merely mentions PubmedArticle is not one */
	if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
		i = 3;
	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	if (i >= n || head[i] != '<')
		return 0;
	if (find_ascii(head, n, "<!DOCTYPE PubmedArticleSet") || find_ascii(head, n, "<PubmedArticleSet") ||
	    find_ascii(head, n, "<!DOCTYPE MedlineCitationSet") || find_ascii(head, n, "<MedlineCitationSet"))
		return 100;
	if (find_ascii(head, n, "<PubmedArticle") || find_ascii(head, n, "<PubmedBookArticle") ||
	    find_ascii(head, n, "<MedlineCitation ") || find_ascii(head, n, "<MedlineCitation>"))
		return 95;
	return 0;
}

/* ---- the import loop ---- */

/* Reason for the ledger when the input stops before its end. */
static const char *read_failure_reason(const struct wn_err *e)
{
	if (e->code == WN_ELIMIT)
		return "input over the size limit";
	return "truncated or corrupt gzip";
}

/* The read error's message without the leading "'file': " (the diagnostic names it). */
static const char *bare_message(const struct wn_err *e, const char *name)
{
	size_t k = name ? strlen(name) : 0;

	if (k && e->msg[0] == '\'' && strncmp(e->msg + 1, name, k) == 0 &&
	    strncmp(e->msg + 1 + k, "': ", 3) == 0)
		return e->msg + k + 4;
	return e->msg;
}

int px_handle(struct wn_import *imp, enum px_kind kind, unsigned long line, int read_tail,
	      const struct px_result *res, json_object *rec, struct px_split *sp,
	      struct wn_err *err)
{
	unsigned long recno = wn_import_next_index(imp);

	(void)kind;
	switch (res->outcome) {
	case PX_DELETED:
		return 0;
	case PX_BAD:
		if (read_tail) {
			/* the chunk is incomplete because the input broke off */
			return wn_import_skip(imp, line, read_failure_reason(&sp->read_err), err,
					      "%s; the record starting here is incomplete",
					      bare_message(&sp->read_err, wn_import_filename(imp)));
		}
		return wn_import_skip(imp, line, res->reason, err, "%s", res->detail);
	case PX_OK:
		sp->repaired += res->repaired;
		if (res->repaired)
			wn_import_diag(imp, WN_DIAG_WARNING, recno, line,
				       "invalid UTF-8: %lu byte%s read as Windows-1252", res->repaired,
				       res->repaired == 1 ? "" : "s");
		if (res->no_pmid)
			wn_import_diag(imp, WN_DIAG_WARNING, recno, line, "the record has no PMID");
		return wn_import_emit_record(imp, rec, line, err);
	}
	if (rec)
		json_object_put(rec);
	return 0;
}

int px_finish(struct wn_import *imp, struct px_split *sp, int broken_tail,
			 json_object *deleted, struct wn_err *err)
{
	size_t nd = json_object_array_length(deleted);

	if (sp->read_failed) {
		if (sp->read_err.code == WN_EIO || sp->read_err.code == WN_ENOMEM) {
			*err = sp->read_err;
			return -1;
		}
		if (!broken_tail &&
		    wn_import_skip(imp, 0, read_failure_reason(&sp->read_err), err,
				   "%s; the rest of the file could not be read",
				   bare_message(&sp->read_err, wn_import_filename(imp))) < 0)
			return -1;
	}
	if (sp->repaired && wn_import_file_info(imp)) {
		/* as the text formats do: the file's ledger entry says how much was repaired */
		json_object *v = json_object_new_int64((int64_t)sp->repaired);
		if (!v || json_object_object_add(wn_import_file_info(imp), "repaired_bytes", v)) {
			json_object_put(v);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	}
	if (nd) {
		json_object *info = wn_import_file_info(imp);
		char list[256];
		size_t i, used = 0;

		list[0] = '\0';
		for (i = 0; i < nd && used + 16 < sizeof(list); i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
						 json_object_get_string(json_object_array_get_idx(deleted, i)));
		wn_import_diag(imp, WN_DIAG_NOTE, 0, 0,
			       "DeleteCitation: %zu PMID%s withdrawn by this update file (%s%s); records with these PMIDs from earlier files are out of date%s",
			       nd, nd == 1 ? "" : "s", list, i < nd ? ", ..." : "",
			       info ? " (listed in the ledger as deleted_pmids)" : "");
		if (info && json_object_object_add(info, "deleted_pmids", json_object_get(deleted))) {
			json_object_put(deleted);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	}
	return 0;
}

const char *px_encoding(const struct px_split *sp)
{
	const char *e = sp->encoding;

	if (!e[0] || strncasecmp(e, "utf-8", 5) == 0 || strncasecmp(e, "utf8", 4) == 0 ||
	    strncasecmp(e, "utf-16", 6) == 0 || strncasecmp(e, "us-ascii", 8) == 0 ||
	    strncasecmp(e, "ascii", 5) == 0)
		return NULL;
	return e;
}

static int parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	struct px_split sp;
	json_object *deleted;
	int rc;

	wn_xml_init();
	if (wn_input_text_mode(in, 1, err) < 0)
		return -1;
	deleted = json_object_new_array();
	if (!deleted)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (px_split_init(&sp, in, wn_import_max_line(imp), err) < 0) {
		json_object_put(deleted);
		return -1;
	}
	rc = px_run(imp, &sp, deleted, err);
	px_split_release(&sp);
	json_object_put(deleted);
	return rc;
}

const struct wn_format wn_format_pubmed_xml = {
	.name = "pubmed-xml",
	.description = "PubMed XML (efetch, baseline/update .xml.gz, MedlineCitationSet)",
	.default_source = "PubMed",
	.detect = detect,
	.parse = parse,
	.count = NULL,
};

/*
 * export_int.h - the parts the RIS, CSV and BibTeX writers share (export.c), private
 * to lib/formats. The public interface is include/winnow/export.h.
 */
#ifndef WINNOW_FORMATS_EXPORT_INT_H
#define WINNOW_FORMATS_EXPORT_INT_H

#include <stdio.h>
#include <json-c/json.h>
#include "winnow/buf.h"
#include "winnow/export.h"

struct wn_exporter {
	FILE *out;
	struct wn_export_opts opts;
	unsigned long count;
	int started;             /* the file's first bytes (BOM, header) are written */
	struct wn_buf buf;       /* the record being formatted */
	struct wn_buf tmp, tmp2;
	json_object *keys;       /* BibTeX: keys used so far (lower case -> 1) */
};

/* What kind of publication a record's `type` names, whatever the export called it. */
enum wn_pubkind {
	WN_KIND_ARTICLE, WN_KIND_BOOK, WN_KIND_CHAPTER, WN_KIND_CONFERENCE, WN_KIND_THESIS,
	WN_KIND_REPORT, WN_KIND_ABSTRACT, WN_KIND_PATENT, WN_KIND_WEB, WN_KIND_DATA,
	WN_KIND_GENERIC,
	WN_KIND_UNKNOWN /* a type no table knows: the writer decides (RIS keeps it as is) */
};
enum wn_pubkind wn_export_kind(json_object *rec);

/* 1 if key is one of the record fields of docs/record-format.md. */
int wn_export_known_field(const char *key);

/* One line per note for --with-notes: what a merge absorbed, screening and other fields
 * the format has no place for. `skip_extra(key)` says which extra keys the writer has
 * already written (they are left out); NULL: all extra values become notes. Calls fn
 * for each note text; returns -1 if fn did. */
typedef int (*wn_note_fn)(void *data, const char *text, size_t n, struct wn_err *err);
int wn_export_notes(struct wn_exporter *x, json_object *rec, int (*skip_extra)(const char *key),
		    wn_note_fn fn, void *data, struct wn_err *err);

/* Compact JSON of a value (borrowed string); NULL when out of memory. */
const char *wn_export_json(json_object *v, size_t *len);

/* The writers: called by wn_exporter_write / _finish. */
int wn_export_ris(struct wn_exporter *x, json_object *rec, struct wn_err *err);
int wn_export_csv(struct wn_exporter *x, json_object *rec, struct wn_err *err);
int wn_export_csv_finish(struct wn_exporter *x, struct wn_err *err);
int wn_export_bibtex(struct wn_exporter *x, json_object *rec, struct wn_err *err);

/* Write buf to the stream; -1 with WN_EIO/WN_EPIPE when the stream failed. */
int wn_export_flush(struct wn_exporter *x, struct wn_err *err);

#endif

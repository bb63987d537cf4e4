/*
 * rawdir.h - the --save-raw directory: saved responses and their manifest (private to
 * lib/net; the public entry points are in eutils.h).
 *
 * Crash safety: a response is written to a temporary file, fsync'd and renamed into
 * place (and the directory fsync'd) before the manifest line naming it is appended
 * and fdatasync'd. So every line of the manifest names a complete file; a line torn by
 * a crash is cut off when the directory is next opened for writing, and ignored by
 * readers. The manifest stays flock'ed while a fetch writes to it, so two fetches into
 * one directory cannot interleave.
 */
#ifndef WINNOW_NET_RAWDIR_H
#define WINNOW_NET_RAWDIR_H

#include <json-c/json.h>
#include "idset.h"
#include "winnow/buf.h"
#include "winnow/err.h"
#include "winnow/eutils.h"

#define WN_RAWDIR_FORMAT 1

struct wn_rawdir {
	char *dir;
	int fd;                /* manifest, O_APPEND, flock'ed; -1 when read-only */
	json_object *lines;    /* array of the manifest's entries (header first) */
	unsigned long seq;     /* number of the last response in the manifest */
};

/* Open dir for reading (fd stays -1). Fails with WN_EIO if there is no manifest,
 * WN_ECORRUPT if it is damaged (a torn last line is not damage). */
int wn_rawdir_read(struct wn_rawdir *rd, const char *dir, struct wn_err *err);
/* Open dir for a fetch, creating it if needed. `request` (borrowed) identifies the
 * search; an existing manifest of the same request is kept (resume: rd->lines holds its
 * entries), of another request is WN_EUSAGE. A directory that exists, is not empty and
 * has no manifest is refused (WN_EUSAGE): it is not ours. *resumed is set to 1 when
 * entries were kept. */
int wn_rawdir_create(struct wn_rawdir *rd, const char *dir, json_object *request,
		     const char *created, int *resumed, struct wn_err *err);
/* Start over: truncate the manifest to a new header (a run that had not got past the
 * search). */
int wn_rawdir_restart(struct wn_rawdir *rd, json_object *request, const char *created,
		      struct wn_err *err);
void wn_rawdir_close(struct wn_rawdir *rd);

/* The file name of response number seq of this kind: "000007-efetch.xml.gz". */
void wn_rawdir_name(char out[48], unsigned long seq, const char *kind);
/* Save a response as file `name` and append its manifest line: `entry` (owned, consumed)
 * gets "file", "bytes" and "xxh64" added. */
int wn_rawdir_save(struct wn_rawdir *rd, const char *name, const char *body, size_t len,
		   json_object *entry, struct wn_err *err);
/* Append a line that names no file (plan, done). `entry` is consumed. */
int wn_rawdir_append(struct wn_rawdir *rd, json_object *entry, struct wn_err *err);
/* Read back the response an entry names, checking its size and hash, into body. */
int wn_rawdir_load(struct wn_rawdir *rd, json_object *entry, struct wn_buf *body,
		   struct wn_err *err);

/* The filter both the live run and a replay use, so that they drop the same records:
 * a record whose PMID was delivered already is dropped. `seen` collects the PMIDs. */
const char *wn_rawdir_dedupe(struct wn_idset *seen, json_object *rec, uint64_t *pmid,
			     int *fresh, struct wn_err *err);

/* Feed one response body through imp as the file `name` (the "pubmed-xml" format). */
int wn_rawdir_import(struct wn_import *imp, const char *name, const char *body, size_t len,
		     struct wn_err *err);

/* Small accessors for manifest entries. */
const char *wn_rawdir_str(json_object *entry, const char *key);
int64_t wn_rawdir_int(json_object *entry, const char *key, int64_t dflt);

#endif

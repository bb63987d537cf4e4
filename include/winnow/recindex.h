/*
 * recindex.h - the records file of a screening session, indexed by id.
 *
 * The prompt must answer a key in well under 50 ms with 100,000 records loaded, and
 * export must write records byte for byte as they came. So the file is read into memory
 * once, each line is parsed once to find its id, and only (offset, length) is kept per
 * record; a record is parsed again only when it is shown. Lines that are not records
 * (bad JSON, no "id", an id seen before) are reported as "FILE:LINE: why" and skipped,
 * and counted.
 *
 * Orders are reproducible everywhere: wn_shuffle is Fisher-Yates driven by splitmix64
 * from a 64-bit seed, bounded by rejection sampling, so the same seed gives the same
 * order on every machine and every run (a pilot sample drawn by two reviewers with the
 * same seed is the same sample).
 */
#ifndef WINNOW_RECINDEX_H
#define WINNOW_RECINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "winnow/buf.h"
#include "winnow/err.h"
#include "winnow/idmap.h"

struct wn_recindex_rec {
	size_t off;           /* in data */
	size_t len;           /* without the line end */
	unsigned long lineno;
};

struct wn_recindex {
	struct wn_buf data;          /* the whole (decompressed) file */
	struct wn_recindex_rec *recs;
	size_t n, cap;
	struct wn_idmap ids;         /* id -> index into recs */
	char *name;                  /* file name for messages */
	unsigned long lines;         /* non-blank lines read */
	unsigned long bad;           /* lines that were not records */
	unsigned long no_id;         /* ... of which: records without an id */
	unsigned long dup;           /* ... of which: repeated ids */
};

/* Called for every skipped line with "FILE:LINE: why". */
typedef void (*wn_recindex_bad_fn)(const char *msg, void *data);

void wn_recindex_init(struct wn_recindex *ri);
void wn_recindex_release(struct wn_recindex *ri);
/* Load path ("-" = stdin; gzip allowed). bad may be NULL (then the first bad line is an
 * error, WN_EFORMAT). -1 on I/O or allocation failure. */
int wn_recindex_load(struct wn_recindex *ri, const char *path, wn_recindex_bad_fn bad,
		     void *data, struct wn_err *err);
/* Record i parsed again (a new reference: json_object_put it), or NULL with err. */
json_object *wn_recindex_get(const struct wn_recindex *ri, size_t i, struct wn_err *err);
/* Record i's line, as read (not NUL-terminated; len without the line end). */
static inline const char *wn_recindex_line(const struct wn_recindex *ri, size_t i, size_t *len)
{
	*len = ri->recs[i].len;
	return ri->data.data + ri->recs[i].off;
}
static inline const char *wn_recindex_id(const struct wn_recindex *ri, size_t i)
{
	return wn_idmap_key(&ri->ids, i);
}
static inline long wn_recindex_find(const struct wn_recindex *ri, const char *id, size_t len)
{
	return wn_idmap_find(&ri->ids, id, len);
}

/* Shuffle idx[0..n) reproducibly from seed (see above). */
void wn_shuffle(size_t *idx, size_t n, uint64_t seed);
/* The k-th output of splitmix64 seeded with seed (k from 0): for deriving seeds. */
uint64_t wn_splitmix64(uint64_t *state);

#endif

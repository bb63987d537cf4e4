/*
 * ris.h - the RIS importer's parts (private to lib/formats):
 *   ris.c      detection and the line loop (what is a tag line, a continuation, a
 *              record boundary, junk between records);
 *   ris_map.c  one record's fields -> a winnow record.
 * The loop gathers a record's fields in file order, continuation lines joined, and
 * hands them to the mapper at ER (or at the next TY, or at the end of the file).
 */
#ifndef WINNOW_FORMATS_RIS_H
#define WINNOW_FORMATS_RIS_H

#include <stddef.h>
#include "winnow/buf.h"
#include "winnow/err.h"
#include "winnow/record.h"

struct ris_field {
	char tag[3];
	size_t off, len;        /* value in ris_rec.vals */
	unsigned long line;
	int used;               /* mapped to a record field (else it goes to extra) */
};

struct ris_rec {
	struct ris_field *f;
	size_t n, cap;
	struct wn_buf vals;     /* the values, back to back */
	struct wn_buf tmp;      /* scratch for the mapper */
};

void ris_rec_init(struct ris_rec *r);
void ris_rec_release(struct ris_rec *r);
void ris_rec_reset(struct ris_rec *r);
/* Add a field; its value may be appended to later with ris_rec_append. */
int ris_rec_add(struct ris_rec *r, const char tag[2], const char *v, size_t n,
		unsigned long line, struct wn_err *err);
/* Append to the last field's value, with sep (a space or '\n') in between. */
int ris_rec_append(struct ris_rec *r, char sep, const char *v, size_t n, struct wn_err *err);

/* Build the record in b from r (b gets a new record). -1 on allocation failure. */
int ris_map(struct ris_rec *r, struct wn_recb *b, struct wn_err *err);

#endif

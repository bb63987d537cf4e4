/*
 * declog_int.h - what the decision log's files share inside lib/screen (not public).
 */
#ifndef WINNOW_DECLOG_INT_H
#define WINNOW_DECLOG_INT_H

#include <stddef.h>
#include "winnow/buf.h"
#include "winnow/declog.h"

/* Append s escaped as a log field ("-" for NULL or empty). */
int declog_escape(struct wn_buf *out, const char *s, struct wn_err *err);
/* Read all of fd from offset 0 into out. */
int declog_slurp_fd(int fd, const char *path, struct wn_buf *out, struct wn_err *err);
/* Read and check the header line of fd. */
int declog_read_header_fd(int fd, const char *path, struct wn_declog_header *h,
			  struct wn_err *err);
/* Check every line of data[0..len) (a whole log), calling fn per event; see
 * declog_read.c. *torn_header is set when the only content is a damaged header. */
int declog_scan(const char *path, const char *data, size_t len, wn_declog_fn fn, void *fdata,
		struct wn_declog_scan *scan, int *torn_header, struct wn_err *err);

#endif

/*
 * input.h - reading an input file: plain or gzip, raw bytes or decoded text, in lines.
 *
 * One wn_input is one file (or stdin for "-"). Gzip is recognised by its magic bytes,
 * not the file name, and inflated as it is read, multi-member files included. The
 * decompressed size is capped (opts.max_bytes) so a gzip bomb ends with a clear
 * WN_ELIMIT error instead of filling memory or disk.
 *
 * Layers, each optional:
 *   bytes  - wn_input_read / wn_input_peek / wn_input_slurp: the (inflated) content.
 *   text   - wn_input_text_mode(in, 1) before the first read: a UTF-8 BOM is dropped and
 *            UTF-16 (LE or BE, by BOM) is transcoded to UTF-8. XML readers stay in byte
 *            mode, because libxml2 does its own encoding detection.
 *   lines  - struct wn_lines: one line at a time, without its terminator (LF, CRLF or a
 *            lone CR), with a cap on line length; an over-long line is reported and
 *            skipped, never truncated silently.
 */
#ifndef WINNOW_INPUT_H
#define WINNOW_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "winnow/buf.h"
#include "winnow/err.h"

struct wn_input_opts {
	uint64_t max_bytes;     /* cap on decompressed bytes; 0 = WN_INPUT_DEFAULT_MAX */
	const char *display;    /* name used in messages; NULL = the path ("-" -> "<stdin>") */
};

#define WN_INPUT_DEFAULT_MAX ((uint64_t)64 << 30) /* 64 GiB: a bomb guard, not a size limit */

struct wn_input;

/* Open path ("-" = standard input). opts may be NULL. NULL on failure (WN_EIO with the
 * path quoted). Cannot block beyond the open itself. */
struct wn_input *wn_input_open(const char *path, const struct wn_input_opts *opts,
			       struct wn_err *err);
/* Wrap a memory buffer (not copied; must outlive the input). Gzip is still detected. */
struct wn_input *wn_input_from_memory(const void *p, size_t n, const char *display,
				      struct wn_err *err);
/* Close and free. Returns -1 only if closing reported an error. Accepts NULL. */
int wn_input_close(struct wn_input *in);

/* Name for messages ("<stdin>" for "-"). */
const char *wn_input_name(const struct wn_input *in);
/* 1 if the content is gzip-compressed. Valid after the first peek/read. */
int wn_input_is_gzip(struct wn_input *in);
/* 1 if the input is a regular file (so its size is known). */
int wn_input_is_regular(const struct wn_input *in);
/* Size of the file on disk (compressed), or -1 when not a regular file. */
off_t wn_input_file_size(const struct wn_input *in);
/* Decompressed bytes delivered so far. */
uint64_t wn_input_offset(const struct wn_input *in);
/* Bytes read from the file itself (compressed, if it is) so far, and their XXH64 (the
 * project seed): at EOF, a fingerprint of the file for the ledger, so the same export
 * imported twice can be recognised. */
uint64_t wn_input_raw_bytes(const struct wn_input *in);
uint64_t wn_input_raw_hash(const struct wn_input *in);

/* Switch to text mode (see above). Must be called before the first read; the BOM or
 * UTF-16 decision is made on the first bytes. Returns the detected encoding name
 * ("utf-8", "utf-8-bom", "utf-16le", "utf-16be") via *encoding when non-NULL. */
int wn_input_text_mode(struct wn_input *in, int on, struct wn_err *err);
const char *wn_input_encoding(struct wn_input *in);

/* Look at up to n bytes of the (decompressed, raw - before text decoding) content without
 * consuming them. *p is valid until the next call on in. Returns the number of bytes
 * available (< n only at EOF), -1 on error. n is at most 64 KiB. */
ssize_t wn_input_peek(struct wn_input *in, const unsigned char **p, size_t n,
		      struct wn_err *err);
/* Read up to n bytes. Returns bytes read, 0 at EOF, -1 on error. */
ssize_t wn_input_read(struct wn_input *in, void *buf, size_t n, struct wn_err *err);
/* Append the rest of the content to out (respecting out->max and the input cap). */
int wn_input_slurp(struct wn_input *in, struct wn_buf *out, struct wn_err *err);

/* ---- lines ---- */

struct wn_lines {
	struct wn_input *in;
	char *buf;              /* read buffer */
	size_t cap, start, end; /* buf[start..end) is unread */
	size_t max_line;        /* longest line accepted */
	unsigned long lineno;   /* number of the line last returned (1-based) */
	int eof, pending_cr, unread;
	const char *last;       /* the line last returned (for unread) */
	size_t lastlen;
	struct wn_buf line;     /* assembled line when it spans reads */
};

#define WN_LINES_DEFAULT_MAX ((size_t)16 << 20) /* 16 MiB */

/* max_line 0 = WN_LINES_DEFAULT_MAX. -1 on allocation failure. */
int wn_lines_init(struct wn_lines *l, struct wn_input *in, size_t max_line, struct wn_err *err);
void wn_lines_release(struct wn_lines *l);
/* Next line, without terminator; *line is valid until the next call and is NUL-terminated
 * (the line itself may contain NUL bytes: use *len).
 * Returns 1 = a line, 0 = end of input, -1 = I/O error,
 *         2 = the line was longer than max_line: it was skipped (err says which line);
 *             the caller reports it and carries on. */
int wn_lines_next(struct wn_lines *l, const char **line, size_t *len, struct wn_err *err);
/* Put the last line back so the next call returns it again (one level only). */
void wn_lines_unread(struct wn_lines *l);

#endif

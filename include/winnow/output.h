/*
 * output.h - writing an output file so that a failed run leaves no half file.
 *
 * `-o FILE` opens FILE.tmp-XXXXXX in the same directory; wn_output_commit flushes,
 * fsyncs, closes and renames it over FILE (then fsyncs the directory), so readers see
 * the old file or the whole new one (git's lockfile recipe). wn_output_abort removes the
 * temporary file. Without a path (NULL or "-") the output is stdout and commit flushes
 * it and checks for write errors (ENOSPC, EIO) the way git and jq do at exit.
 *
 * EPIPE (the reader went away, e.g. `| head`) is reported as WN_EPIPE so the tool can
 * end quietly.
 */
#ifndef WINNOW_OUTPUT_H
#define WINNOW_OUTPUT_H

#include <stdio.h>
#include "winnow/err.h"

struct wn_output {
	FILE *fp;        /* write here */
	char *path;      /* final path, NULL for stdout */
	char *tmp_path;  /* temporary file, NULL for stdout */
	int fd;
};

/* Open. `stdout_fp` is the stream to use for "-"/NULL (normally io->out). */
int wn_output_open(struct wn_output *o, const char *path, FILE *stdout_fp, struct wn_err *err);
/* Finish successfully. After it (success or not) the output is closed. */
int wn_output_commit(struct wn_output *o, struct wn_err *err);
/* Give up: remove the temporary file. Safe to call after commit (does nothing). */
void wn_output_abort(struct wn_output *o);
/* Map the stream's error state to a wn_err (WN_EPIPE or WN_EIO); 0 if no error. */
int wn_output_check(FILE *fp, const char *name, struct wn_err *err);

/* Write all of p[0..n) to fd, retrying on EINTR and short writes. -1 with errno set. */
int wn_write_all(int fd, const void *p, size_t n);
/* fsync the directory containing path (so a rename or new file survives power loss). */
int wn_fsync_dir_of(const char *path, struct wn_err *err);

#endif

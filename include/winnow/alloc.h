/*
 * alloc.h - every allocation libwinnow makes goes through here.
 *
 * Why a wrapper: robustness tests fail the Nth allocation (SQLite's and curl's torture
 * loops) and check that the tool answers "out of memory" with a non-zero exit, no
 * corrupt output and no crash. With WINNOW_FAULT_INJECTION compiled in, the environment
 * variable WINNOW_FAIL_ALLOC=N makes the Nth call (counting from 1) and, with
 * WINNOW_FAIL_ALLOC=N,sticky, every later call fail. WINNOW_ALLOC_COUNT=1 prints the
 * number of allocations made at exit (to stderr), so a test knows how far to loop.
 *
 * The counter is process-wide and atomic: it is test instrumentation, not state that
 * changes behaviour between two uses in one process.
 *
 * All functions return NULL on failure and never abort. wn_free(NULL) is a no-op.
 * Sizes are checked for multiplication overflow (wn_calloc, wn_reallocarray).
 */
#ifndef WINNOW_ALLOC_H
#define WINNOW_ALLOC_H

#include <stddef.h>

void *wn_malloc(size_t n);
void *wn_calloc(size_t count, size_t size);
void *wn_realloc(void *p, size_t n);
void *wn_reallocarray(void *p, size_t count, size_t size);
char *wn_strdup(const char *s);
char *wn_strndup(const char *s, size_t n);
void wn_free(void *p);

/* 1 if the next allocation would be made to fail (lets code that calls third-party
 * allocators, e.g. json-c, honour the same failure schedule). Advances the counter. */
int wn_alloc_should_fail(void);

/* Number of allocations counted so far (for tests). */
unsigned long wn_alloc_count(void);

/* Replace the failure schedule (for fuzzers and in-process tests, which run many inputs
 * in one process): restart the count at 0 and fail the fail_at-th allocation from now
 * (0 = never), and every later one if sticky. Overrides WINNOW_FAIL_ALLOC. Not
 * thread-safe against concurrent allocations; a no-op without WINNOW_FAULT_INJECTION. */
void wn_alloc_set_schedule(unsigned long fail_at, int sticky);

#endif

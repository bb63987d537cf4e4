/*
 * alloc.c - allocation wrappers with optional fault injection (see alloc.h).
 *
 * The failure schedule is read once from the environment. The counter is atomic so that
 * threaded code (parallel parsing) counts correctly; the schedule is only a test tool.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "winnow/alloc.h"

#ifdef WINNOW_FAULT_INJECTION
static atomic_ulong alloc_count;
static atomic_int schedule_state; /* 0 = unread, 1 = read */
static unsigned long fail_at;     /* 0 = never */
static int fail_sticky;

static void report_count(void)
{
	fprintf(stderr, "winnow: allocations: %lu\n", (unsigned long)atomic_load(&alloc_count));
}

static void read_schedule(void)
{
	int expected = 0;
	const char *s;

	if (atomic_load(&schedule_state))
		return;
	if (!atomic_compare_exchange_strong(&schedule_state, &expected, 2))
		goto wait;
	s = getenv("WINNOW_FAIL_ALLOC");
	if (s && *s) {
		char *end;
		fail_at = strtoul(s, &end, 10);
		fail_sticky = end && strstr(end, "sticky") != NULL;
	}
	s = getenv("WINNOW_ALLOC_COUNT");
	if (s && *s == '1')
		atexit(report_count);
	atomic_store(&schedule_state, 1);
	return;
wait:
	while (atomic_load(&schedule_state) != 1)
		;
}

int wn_alloc_should_fail(void)
{
	unsigned long n;

	read_schedule();
	n = atomic_fetch_add(&alloc_count, 1) + 1;
	if (!fail_at)
		return 0;
	return n == fail_at || (fail_sticky && n > fail_at);
}

unsigned long wn_alloc_count(void)
{
	return atomic_load(&alloc_count);
}

void wn_alloc_set_schedule(unsigned long n, int sticky)
{
	read_schedule(); /* so that a later first allocation does not reread the environment */
	fail_at = n;
	fail_sticky = sticky;
	atomic_store(&alloc_count, 0);
}
#else
int wn_alloc_should_fail(void)
{
	return 0;
}

unsigned long wn_alloc_count(void)
{
	return 0;
}

void wn_alloc_set_schedule(unsigned long n, int sticky)
{
	(void)n;
	(void)sticky;
}
#endif

void *wn_malloc(size_t n)
{
	if (wn_alloc_should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *wn_calloc(size_t count, size_t size)
{
	if (wn_alloc_should_fail())
		return NULL;
	if (!count || !size)
		return calloc(1, 1);
	return calloc(count, size);
}

void *wn_realloc(void *p, size_t n)
{
	if (wn_alloc_should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void *wn_reallocarray(void *p, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return wn_realloc(p, count * size);
}

char *wn_strndup(const char *s, size_t n)
{
	char *p = wn_malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *wn_strdup(const char *s)
{
	return wn_strndup(s, strlen(s));
}

void wn_free(void *p)
{
	free(p);
}

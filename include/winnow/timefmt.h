/*
 * timefmt.h - the current time and its ISO 8601 form.
 *
 * Tests need reproducible ledgers and logs: when WINNOW_TIME is set (seconds since the
 * epoch, like SOURCE_DATE_EPOCH) wn_time_now returns it instead of the clock.
 */
#ifndef WINNOW_TIMEFMT_H
#define WINNOW_TIMEFMT_H

#include <time.h>

/* Seconds since the epoch (or WINNOW_TIME). */
time_t wn_time_now(void);
/* "2026-11-23T10:22:03Z" (UTC) into out (at least 21 bytes). Returns out. */
char *wn_time_iso(time_t t, char out[32]);
/* Parse "YYYY-MM-DDTHH:MM:SSZ" (or just "YYYY-MM-DD"); -1 if malformed. */
int wn_time_parse_iso(const char *s, time_t *out);
/* Monotonic seconds, for rates and timeouts. */
double wn_time_mono(void);

#endif

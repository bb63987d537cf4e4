/*
 * screen_test.h - helpers shared by the screening unit tests.
 */
#ifndef WINNOW_SCREEN_TEST_H
#define WINNOW_SCREEN_TEST_H

#include <stdio.h>
#include <string.h>
#include "winnow/declog.h"

/* A decision log header for reviewer who, at stage st, in role role. */
static inline struct wn_declog_header test_header(const char *who, enum wn_stage st, enum wn_role role)
{
	struct wn_declog_header h;

	memset(&h, 0, sizeof(h));
	h.stage = st;
	h.role = role;
	snprintf(h.reviewer, sizeof(h.reviewer), "%s", who);
	return h;
}

#endif

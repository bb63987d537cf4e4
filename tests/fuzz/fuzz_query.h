/*
 * fuzz_query.h - the harness shared by the query targets (fuzz_query_<dialect>.c).
 *
 * wnf_query parses the input as a search string of one dialect and runs the query
 * library's own property check (wn_query_fuzz_one: lint, print in every dialect, parse
 * back, the round trip in its own dialect gives the same IR), then compiles the query
 * into a matcher and evaluates it on two real records: wildcards, proximity and deep
 * nesting must neither crash nor take super-linear time. The failing run (fuzz.h)
 * checks that an allocation failure ends as an error, never as a crash or a leak.
 */
#ifndef WINNOW_FUZZ_QUERY_H
#define WINNOW_FUZZ_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include "winnow/query.h"

void wnf_query(enum wn_qdialect d, const uint8_t *data, size_t size);

#endif

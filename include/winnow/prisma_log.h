/*
 * prisma_log.h - decision logs as a second witness to the PRISMA counts.
 *
 * The ledger holds what `winnow-screen export` counted when it ran. The decision logs
 * hold every decision. Given the logs, winnow-prisma recounts each exported stage from
 * them (folded by votes.h, the same rules export uses) and checks that:
 *   - the logs still say what the export counted (no decisions made or undone since);
 *   - every report assessed at full text was included at title/abstract, and no log
 *     decides records that the stage never had: a log from another review, or of
 *     another records file, is found by its ids, which match no record of this review;
 *   - every log given was read by an export (else it is not counted, and said so).
 * They also tell the two full-text branches apart: a record id begins with the slug of
 * its source (docs/record-format.md), and the source's kind (database or register, or
 * website, organisation, citation) is in the fetch lines of the ledger.
 *
 * Call wn_prisma_add_log for each log before wn_prisma_compute; compute uses them.
 */
#ifndef WINNOW_PRISMA_LOG_H
#define WINNOW_PRISMA_LOG_H

#include "winnow/err.h"
#include "winnow/prisma.h"

/* Register a decision log (its header is read now: a file that is not a decision log is
 * WN_EFORMAT, a damaged header WN_ECORRUPT). The same path twice is read once. */
int wn_prisma_add_log(struct wn_prisma *p, const char *path, struct wn_err *err);

#endif

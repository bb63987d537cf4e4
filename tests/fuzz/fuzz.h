/*
 * fuzz.h - what every winnow fuzz harness shares (docs/robustness.md).
 *
 * A harness is one file fuzz_<target>.c that defines LLVMFuzzerTestOneInput. The same
 * file is linked two ways:
 *   - with libFuzzer (the `fuzz` preset, clang): bin/fuzz_<target>, to search for bugs;
 *   - with replay_main.c (any compiler, every build): bin/replay_<target>, which runs
 *     every file of tests/fuzz/corpus/<target>/ through the harness as the ctest test
 *     fuzz-regress.<target>, so each crash ever found stays fixed.
 *
 * Allocation failures. Each input is run twice through wnf_run: once normally, counting
 * libwinnow's allocations (alloc.h), then again with one allocation made to fail - which
 * one, and whether the failure is sticky, is derived from a hash of the input, so the
 * fuzzer explores out-of-memory paths (leaks, double frees, ignored NULLs) as it
 * explores inputs, and a crashing input replays identically (libxml2's fuzz/ does the
 * same with xmlFuzzInjectFailure). WNF_NO_OOM=1 in the environment skips the second run.
 *
 * Invariants. Harnesses do not only wait for crashes: they abort() when an output breaks
 * a documented rule (wnf_check_record: records are objects with an id, every string
 * valid UTF-8, never empty, no control characters but '\n'). An abort is a finding.
 */
#ifndef WINNOW_FUZZ_H
#define WINNOW_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional; libFuzzer and replay_main.c call it once before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* One pass of a harness over the input. `bits` is a hash of the input: harnesses take
 * their options from it (strict or not, line caps, ...), so a run is reproducible. */
typedef void (*wnf_pass_fn)(const uint8_t *data, size_t size, uint64_t bits);

/* Run pass normally, then with an injected allocation failure (see above). */
void wnf_run(const uint8_t *data, size_t size, wnf_pass_fn pass);

/* 1 while the second (failing) pass runs: invariants about complete output hold only
 * for the first. */
int wnf_injecting(void);

/* Abort with a message: an invariant does not hold. */
void wnf_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The data as a file: an anonymous memory file and its path "/proc/self/fd/N", for
 * APIs that take a path. Returns the fd (close it when done), or -1. */
int wnf_memfile(const uint8_t *data, size_t size, char *path, size_t pathsz);

/* A private scratch directory for the process (created on first use, removed at exit). */
const char *wnf_scratch_dir(void);

/* Check a record produced by an importer or read from a stream (see above). `imported`
 * adds the importer-only rules (an "id", origin.index >= 1). */
void wnf_check_record(json_object *rec, int imported);

/* A few real records (borrowed; NULL past the last) for harnesses that match or check
 * records: queries, criteria. */
json_object *wnf_sample_record(size_t i);

/* Serialise obj compactly and parse it back: the result must be equal (the JSONL writer
 * must write what the reader reads). */
void wnf_check_roundtrip(json_object *obj);

#endif

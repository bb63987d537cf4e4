/*
 * jsonl.h - the record stream: JSON Lines in and out.
 *
 * Reading: one JSON object per line. Lines are read in large blocks and parsed with one
 * reused json-c tokener (validating UTF-8), which is as fast as json-c goes. A bad line
 * (not JSON, not an object, invalid UTF-8, over the length cap) is returned as
 * WN_JSONL_BAD with a message naming file and line, and the reader carries on with the
 * next line: the caller counts it or, under --strict, stops (exit 3).
 * Blank lines are ignored.
 *
 * Writing: compact JSON (no escaped slashes, UTF-8 as is), one object per line.
 */
#ifndef WINNOW_JSONL_H
#define WINNOW_JSONL_H

#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include "winnow/err.h"
#include "winnow/input.h"

struct wn_jsonl_reader;

enum { WN_JSONL_EOF = 0, WN_JSONL_OK = 1, WN_JSONL_BAD = 2, WN_JSONL_ERROR = -1 };

/* Open a path ("-" = stdin); plain or gzip. max_line 0 = default (WN_LINES_DEFAULT_MAX). */
struct wn_jsonl_reader *wn_jsonl_open(const char *path, size_t max_line, struct wn_err *err);
/* Read from an already open input (the reader does not close it). */
struct wn_jsonl_reader *wn_jsonl_from_input(struct wn_input *in, size_t max_line,
					    struct wn_err *err);
void wn_jsonl_close(struct wn_jsonl_reader *r);
/* Next object: WN_JSONL_OK (caller owns *obj), WN_JSONL_EOF, WN_JSONL_BAD (skip-able;
 * err has "file:line: why"), WN_JSONL_ERROR (I/O or out of memory; stop). */
int wn_jsonl_next(struct wn_jsonl_reader *r, json_object **obj, struct wn_err *err);
/* Parse one line (without its terminator) by the reader's rules: one JSON object, valid
 * UTF-8, no NUL bytes, nothing after it. For callers that split lines themselves (e.g.
 * to parse on several threads, each with its own tokener). name and lineno are used in
 * the message. Returns WN_JSONL_OK (caller owns *obj) or WN_JSONL_BAD (err says why), or
 * WN_JSONL_ERROR (WN_ENOMEM) when json-c ran out of memory: not a bad line, so stop. */
int wn_jsonl_parse_line(json_tokener *tok, const char *line, size_t len, const char *name,
			unsigned long lineno, json_object **obj, struct wn_err *err);
/* As wn_jsonl_parse_line, but any JSON value is accepted, not only an object (a line
 * rewritten for a faster parse: winnow-dedup's flattened records). */
int wn_jsonl_parse_value(json_tokener *tok, const char *text, size_t len, const char *name,
			 unsigned long lineno, json_object **val, struct wn_err *err);
/* A short, stable name for why a line was bad (from the err of WN_JSONL_BAD or of a
 * skipped over-long line), for skip counts in the ledger: "line too long", "invalid
 * UTF-8", "NUL byte", "NUL escape", "truncated JSON", "not a JSON object", "text after
 * the JSON object" or "not valid JSON". */
const char *wn_jsonl_bad_reason(const struct wn_err *e);
/* Line number of the object last returned (1-based). */
unsigned long wn_jsonl_lineno(const struct wn_jsonl_reader *r);
const char *wn_jsonl_name(const struct wn_jsonl_reader *r);

/* Write obj as one line. -1 with WN_EIO / WN_EPIPE / WN_ENOMEM. */
int wn_jsonl_write(FILE *out, json_object *obj, struct wn_err *err);
/* Serialise obj compactly (the same bytes wn_jsonl_write writes, without newline).
 * Borrowed string valid until obj changes or is freed. NULL on allocation failure
 * (including one json-c itself would not report). */
const char *wn_json_compact(json_object *obj, size_t *len);

/* 1 if the tree json-c parsed from text[0..len) (strict JSON) holds fewer values than
 * the text: json-c 0.16 ignores a failed member or element insertion while parsing
 * (the object's table could not grow), and errno does not show it when a number is
 * parsed after it (json-c clears errno to call strtoll). A key given twice (json-c
 * keeps the last) is told apart by parsing again. 0 if they agree, or if the text is
 * nested deeper than this check follows. */
int wn_json_lost_values(const json_object *obj, const char *text, size_t len);
/* The two counts it compares: values in strict JSON text (object members plus array
 * elements at every depth, not the root; 0 when nested deeper than 64) and in a tree. */
uint64_t wn_json_text_values(const char *text, size_t len);
uint64_t wn_json_tree_values(const json_object *obj);
/* The same counts, and the string bytes (keys included): in the text the fewest a tree
 * built from it can hold (escapes counted at their least), in a tree added to *bytes.
 * json-c 0.16 also goes on when a string's buffer cannot grow, the string cut short:
 * a tree with fewer bytes than its text has lost text. */
uint64_t wn_json_text_counts(const char *text, size_t len, uint64_t *bytes);
uint64_t wn_json_tree_counts(const json_object *obj, uint64_t *bytes);

/* obj[key] = val, or arr[] += val, taking ownership of val. json-c stores a NULL value
 * as JSON null, so `add(o, k, json_object_new_string(s))` would turn a failed
 * allocation into a silently changed document: these return -1 (and release val) when
 * val is NULL or the add fails, so the caller can report out of memory. */
int wn_json_put(json_object *obj, const char *key, json_object *val);
int wn_json_push(json_object *arr, json_object *val);

#endif

/*
 * strsim.h - string similarity for comparing normalised fields.
 *
 * Jaro-Winkler is the measure the evaluated deduplication tools share (ASySD,
 * DedupEndNote, SRA-DM: research/dedup.md), good for names and short strings; it is
 * lenient on long strings that share a beginning, so titles are judged with a bounded
 * edit distance as well: wn_sim_levenshtein gives 1 - distance / longer length and stops
 * early once the distance is over the bound, so unrelated titles cost little.
 *
 * All functions work on bytes (the input is folded text, ASCII in the common case), take
 * at most WN_SIM_MAX_LEN bytes of each string, use no heap and are thread-safe.
 */
#ifndef WINNOW_STRSIM_H
#define WINNOW_STRSIM_H

#include <stddef.h>
#include <stdint.h>

#define WN_SIM_MAX_LEN 256

/* Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4). Two empty
 * strings are 1; one empty is 0. */
double wn_sim_jaro_winkler(const char *a, size_t an, const char *b, size_t bn);

/* Levenshtein distance between a and b, or max_dist + 1 if it is larger than max_dist. */
size_t wn_levenshtein_bounded(const char *a, size_t an, const char *b, size_t bn,
			      size_t max_dist);

/* 1 - distance / max(an, bn), or 0 when that is below `floor` (the computation stops
 * as soon as it knows). */
double wn_sim_levenshtein(const char *a, size_t an, const char *b, size_t bn, double floor);

/* A 64-bit signature of the words of s (space-separated): one bit per word hash.
 * popcount(a & b) / popcount(a | b) estimates the word-set overlap cheaply, to skip the
 * exact measures for pairs that share no words. */
uint64_t wn_sim_word_signature(const char *s, size_t n);
double wn_sim_signature_overlap(uint64_t a, uint64_t b);

#endif

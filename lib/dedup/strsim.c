/*
 * strsim.c - Jaro-Winkler, bounded Levenshtein, word signatures (see strsim.h).
 *
 * Levenshtein uses the classic two-row dynamic programme restricted to a diagonal band
 * of width 2k+1 (Ukkonen): cells outside the band cannot lead to a distance <= k, so
 * they are never computed; each row writes the cells its successor reads (the band plus
 * one cell on either side). After each row, if every cell in the band exceeds k, the
 * answer is known to be > k and the loop ends. Cost O(n * k) instead of O(n * m).
 */
#include <string.h>
#include "winnow/strsim.h"

double wn_sim_jaro_winkler(const char *a, size_t an, const char *b, size_t bn)
{
	unsigned char amatch[WN_SIM_MAX_LEN], bmatch[WN_SIM_MAX_LEN];
	size_t window, i, j, m = 0, t = 0, k, prefix = 0;
	double jaro;

	if (an > WN_SIM_MAX_LEN)
		an = WN_SIM_MAX_LEN;
	if (bn > WN_SIM_MAX_LEN)
		bn = WN_SIM_MAX_LEN;
	if (an == 0 && bn == 0)
		return 1.0;
	if (an == 0 || bn == 0)
		return 0.0;
	if (an == bn && memcmp(a, b, an) == 0)
		return 1.0;
	window = (an > bn ? an : bn) / 2;
	window = window > 0 ? window - 1 : 0;
	memset(amatch, 0, an);
	memset(bmatch, 0, bn);
	for (i = 0; i < an; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < bn ? i + window + 1 : bn;
		for (j = lo; j < hi; j++) {
			if (!bmatch[j] && a[i] == b[j]) {
				amatch[i] = bmatch[j] = 1;
				m++;
				break;
			}
		}
	}
	if (m == 0)
		return 0.0;
	for (i = 0, k = 0; i < an; i++) {
		if (!amatch[i])
			continue;
		while (!bmatch[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	jaro = ((double)m / (double)an + (double)m / (double)bn +
		((double)m - (double)t / 2.0) / (double)m) / 3.0;
	while (prefix < 4 && prefix < an && prefix < bn && a[prefix] == b[prefix])
		prefix++;
	return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* The distance within a band of the table, |i - j| <= max_dist (Ukkonen): max_dist + 1
 * when it is larger. a and b within WN_SIM_MAX_LEN, max_dist too. */
static size_t band_distance(const char *a, size_t an, const char *b, size_t bn, size_t max_dist)
{
	size_t row0[WN_SIM_MAX_LEN + 2], row1[WN_SIM_MAX_LEN + 2];
	size_t *prev = row0, *cur = row1, *tmp;
	size_t i, j, big;

	big = max_dist + 1;
	if ((an > bn ? an - bn : bn - an) > max_dist)
		return big;
	if (an == 0 || bn == 0)
		return an + bn; /* <= max_dist by the check above */
	/* Row 0, inside the band [0, max_dist] and one cell beyond it. */
	for (j = 0; j <= bn && j <= max_dist + 1; j++)
		prev[j] = j <= max_dist ? j : big;
	for (i = 1; i <= an; i++) {
		/* the band of row i: |i - j| <= max_dist */
		size_t lo = i > max_dist ? i - max_dist : 1;
		size_t hi = i + max_dist < bn ? i + max_dist : bn;
		size_t row_min;

		/* cell left of the band (or column 0) */
		cur[lo - 1] = lo == 1 ? (i <= max_dist ? i : big) : big;
		row_min = cur[lo - 1];
		for (j = lo; j <= hi; j++) {
			size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			if (del < v)
				v = del;
			if (ins < v)
				v = ins;
			if (v > big)
				v = big;
			cur[j] = v;
			if (v < row_min)
				row_min = v;
		}
		if (hi < bn)
			cur[hi + 1] = big; /* the next row reads one cell beyond */
		if (row_min > max_dist)
			return big;
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	return prev[bn] <= max_dist ? prev[bn] : big;
}

size_t wn_levenshtein_bounded(const char *a, size_t an, const char *b, size_t bn,
			      size_t max_dist)
{
	size_t bound;

	if (an > WN_SIM_MAX_LEN)
		an = WN_SIM_MAX_LEN;
	if (bn > WN_SIM_MAX_LEN)
		bn = WN_SIM_MAX_LEN;
	if (max_dist > WN_SIM_MAX_LEN)
		max_dist = WN_SIM_MAX_LEN;
	/* The band, narrow first: the table costs its width, and the titles that get
	 * here are mostly variants of one title, a few edits apart, while the bound allows
	 * a fifth or half of the length. A distance found within a narrower band is exact;
	 * only a larger one needs the next. */
	for (bound = 8;; bound *= 4) {
		size_t d;
		if (bound >= max_dist)
			return band_distance(a, an, b, bn, max_dist);
		d = band_distance(a, an, b, bn, bound);
		if (d <= bound)
			return d;
	}
}

double wn_sim_levenshtein(const char *a, size_t an, const char *b, size_t bn, double floor)
{
	size_t longer, max_dist, d;

	if (an > WN_SIM_MAX_LEN)
		an = WN_SIM_MAX_LEN;
	if (bn > WN_SIM_MAX_LEN)
		bn = WN_SIM_MAX_LEN;
	longer = an > bn ? an : bn;
	if (longer == 0)
		return 1.0;
	if (floor < 0)
		floor = 0;
	max_dist = (size_t)((1.0 - floor) * (double)longer);
	d = wn_levenshtein_bounded(a, an, b, bn, max_dist);
	if (d > max_dist)
		return 0.0;
	return 1.0 - (double)d / (double)longer;
}

uint64_t wn_sim_word_signature(const char *s, size_t n)
{
	const uint64_t basis = 0xcbf29ce484222325ULL;
	uint64_t sig = 0, h = basis;
	size_t i;
	int in_word = 0;

	/* one pass, byte by byte: words are short, and a call per word to find its end cost
	 * more than the hashing */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ') {
			if (in_word)
				sig |= (uint64_t)1 << (h >> 58);
			h = basis;
			in_word = 0;
			continue;
		}
		/* FNV-1a: a word is short, a 6-bit slot needs no more */
		h = (h ^ c) * 0x100000001b3ULL;
		in_word = 1;
	}
	if (in_word)
		sig |= (uint64_t)1 << (h >> 58);
	return sig;
}

double wn_sim_signature_overlap(uint64_t a, uint64_t b)
{
	int u = __builtin_popcountll(a | b);

	if (u == 0)
		return 1.0;
	return (double)__builtin_popcountll(a & b) / (double)u;
}

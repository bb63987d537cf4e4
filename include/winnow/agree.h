/*
 * agree.h - inter-rater agreement statistics for screening.
 *
 * Pure arithmetic on count tables: no logs, no I/O (votes.h turns logs into tables).
 * Formulas and the published reference values they are tested against are in
 * ../shared/research/screening.md §2.1 and §2.4:
 *
 *   Cohen's kappa, weighted or not, with the large-sample standard error of Fleiss,
 *   Cohen & Everitt (1969) - what SAS prints as ASE and statsmodels/irrCAC compute - a
 *   Wald 95 % CI (kappa +- 1.959964 SE), and the standard error under H0 with its z and
 *   two-sided p (what irr::kappa2 prints);
 *   PABAK = (q p_o - 1)/(q - 1) (Brennan-Prediger; 2 p_o - 1 for two categories) with the
 *   prevalence index (a - d)/n and bias index (b - c)/n of Byrt, Bishop & Carlin (1993);
 *   Scott's pi; Gwet's AC1 with the variance of irrCAC's gwet.ac1.table;
 *   Fleiss' kappa for m raters per subject with the null SE of Fleiss, Nee & Landis
 *   (1979) - not the 1971 formula older irr versions used;
 *   Gwet's AC1 and Krippendorff's alpha (nominal) for any number of raters with missing
 *   ratings, from per-subject category counts.
 *
 * A value that is undefined (kappa when p_e = 1, anything on an empty table) is NAN;
 * callers print "NA" (text) or null (JSON).
 */
#ifndef WINNOW_AGREE_H
#define WINNOW_AGREE_H

#include <stddef.h>
#include "winnow/err.h"

#define WN_AGREE_Z95 1.959963984540054

/* Two raters, a q x q table (rows: rater A's category, columns: rater B's). */
struct wn_agree2 {
	double n;
	int q;
	double po, pe;                     /* observed and chance agreement (Cohen) */
	double kappa, kappa_se;            /* Cohen's kappa, FCE (1969) standard error */
	double kappa_ci_low, kappa_ci_high;/* Wald 95 % CI, not capped */
	double kappa_se0, kappa_z, kappa_p;/* SE under H0, z = kappa / SE0, two-sided p */
	double scott_pi;
	double pabak;                      /* Brennan-Prediger: (q po - 1) / (q - 1) */
	double prevalence_index;           /* q == 2: (a - d) / n; else NAN */
	double bias_index;                 /* q == 2: (b - c) / n; else NAN */
	double ac1, ac1_se, ac1_pe;        /* Gwet's AC1 (unweighted tables only; else NAN) */
};

/* Compute the statistics of table[q*q] (row-major counts, q >= 2). weights: NULL for
 * unweighted, else q*q agreement weights with w[i][i] = 1 (kappa and its SEs then are
 * the weighted ones; p_o, p_e too). -1 with WN_EUSAGE for q < 2 or negative counts. */
int wn_agree_cohen(const double *table, int q, const double *weights, struct wn_agree2 *out,
		   struct wn_err *err);

/* Linear (1 - |i-j|/(q-1)) or quadratic (1 - (i-j)^2/(q-1)^2) agreement weights into
 * w[q*q]. */
void wn_agree_weights_linear(double *w, int q);
void wn_agree_weights_quadratic(double *w, int q);

/* Many raters: counts[s*q + k] = raters who put subject s in category k. */
struct wn_agree_multi {
	double subjects;    /* subjects used */
	double raters;      /* Fleiss: raters per subject (m); NAN when they differ */
	double pbar, pe;    /* Fleiss: mean pairwise agreement P-bar, chance P-bar_e */
	double kappa;       /* Fleiss' kappa; NAN when raters per subject differ */
	double kappa_se0, kappa_z, kappa_p; /* FNL 1979 null SE, z, two-sided p */
	double bp;          /* Brennan-Prediger / multi-rater PABAK: (P-bar - 1/q)/(1 - 1/q) */
	double ac1, ac1_pa, ac1_pe; /* Gwet's AC1 (missing ratings allowed) */
	double alpha;       /* Krippendorff's alpha, nominal (missing ratings allowed) */
};

/* Statistics over nsubj subjects and q >= 2 categories. Fleiss' kappa needs the same
 * number of raters on every subject (else NAN); AC1 and alpha use every subject with at
 * least two ratings (AC1's category prevalence uses every subject with one or more).
 * -1 with WN_EUSAGE on bad arguments. */
int wn_agree_multi(const double *counts, size_t nsubj, int q, struct wn_agree_multi *out,
		   struct wn_err *err);

/* Two-sided p-value of a standard normal z. */
double wn_agree_p2(double z);

#endif

/*
 * agree.c - agreement statistics (see agree.h for the formulas' sources).
 *
 * Everything is computed from proportions in double precision; tables are small (q is 2
 * for screening), so clarity wins over speed here. Where a formula divides by something
 * that can be zero (1 - p_e, the number of pairs) the result is NAN rather than an
 * infinity or a trap.
 */
#include <math.h>
#include <string.h>
#include "winnow/agree.h"
#include "winnow/alloc.h"

double wn_agree_p2(double z)
{
	if (isnan(z))
		return NAN;
	return erfc(fabs(z) / sqrt(2.0));
}

void wn_agree_weights_linear(double *w, int q)
{
	int i, j;

	for (i = 0; i < q; i++)
		for (j = 0; j < q; j++)
			w[i * q + j] = q > 1 ? 1.0 - fabs((double)(i - j)) / (q - 1) : 1.0;
}

void wn_agree_weights_quadratic(double *w, int q)
{
	int i, j;

	for (i = 0; i < q; i++)
		for (j = 0; j < q; j++)
			w[i * q + j] = q > 1 ? 1.0 - (double)((i - j) * (i - j)) / ((q - 1) * (q - 1)) : 1.0;
}

static double div_or_nan(double a, double b)
{
	return b == 0.0 ? NAN : a / b;
}

#define QMAX 64

int wn_agree_cohen(const double *table, int q, const double *weights, struct wn_agree2 *out,
		   struct wn_err *err)
{
	double row[QMAX], col[QMAX], wrow[QMAX], wcol[QMAX], pi[QMAX];
	double n = 0, po = 0, pe = 0, k, s, var, var0, sumpi = 0;
	int i, j;

	memset(out, 0, sizeof(*out));
	if (q < 2 || q > QMAX)
		return wn_err_set(err, WN_EUSAGE, "an agreement table needs 2 to %d categories", QMAX);
	for (i = 0; i < q * q; i++) {
		if (!(table[i] >= 0))
			return wn_err_set(err, WN_EUSAGE, "negative or missing count in an agreement table");
		n += table[i];
	}
	out->n = n;
	out->q = q;
	out->po = out->pe = out->kappa = out->kappa_se = out->kappa_ci_low = out->kappa_ci_high = NAN;
	out->kappa_se0 = out->kappa_z = out->kappa_p = out->scott_pi = out->pabak = NAN;
	out->prevalence_index = out->bias_index = out->ac1 = out->ac1_se = out->ac1_pe = NAN;
	if (n <= 0)
		return 0;
#define P(a, b) (table[(a) * q + (b)] / n)
#define W(a, b) (weights ? weights[(a) * q + (b)] : ((a) == (b) ? 1.0 : 0.0))
	for (i = 0; i < q; i++) {
		row[i] = col[i] = 0;
	}
	for (i = 0; i < q; i++) {
		for (j = 0; j < q; j++) {
			row[i] += P(i, j);
			col[j] += P(i, j);
		}
	}
	for (i = 0; i < q; i++) {
		wrow[i] = wcol[i] = 0;
		for (j = 0; j < q; j++) {
			wrow[i] += col[j] * W(i, j); /* w-bar_i. = sum_j p_.j w_ij */
			wcol[i] += row[j] * W(j, i); /* w-bar_.j = sum_i p_i. w_ij */
		}
	}
	for (i = 0; i < q; i++) {
		for (j = 0; j < q; j++) {
			po += W(i, j) * P(i, j);
			pe += W(i, j) * row[i] * col[j];
		}
	}
	out->po = po;
	out->pe = pe;
	out->pabak = (q * po - 1.0) / (q - 1);
	if (q == 2) {
		out->prevalence_index = (table[0] - table[3]) / n;
		out->bias_index = (table[1] - table[2]) / n;
	}
	if (pe < 1.0 - 1e-15) {
		k = (po - pe) / (1.0 - pe);
		out->kappa = k;
		/* Fleiss, Cohen & Everitt (1969), non-null variance */
		s = 0;
		for (i = 0; i < q; i++) {
			for (j = 0; j < q; j++) {
				double d = W(i, j) - (wrow[i] + wcol[j]) * (1.0 - k);
				s += P(i, j) * d * d;
			}
		}
		var = (s - pow(k - pe * (1.0 - k), 2)) / (n * pow(1.0 - pe, 2));
		out->kappa_se = var >= 0 ? sqrt(var) : NAN;
		out->kappa_ci_low = k - WN_AGREE_Z95 * out->kappa_se;
		out->kappa_ci_high = k + WN_AGREE_Z95 * out->kappa_se;
		/* ... and under H0 (kappa = 0) for the z test */
		s = 0;
		for (i = 0; i < q; i++) {
			for (j = 0; j < q; j++) {
				double d = W(i, j) - (wrow[i] + wcol[j]);
				s += row[i] * col[j] * d * d;
			}
		}
		var0 = (s - pe * pe) / (n * pow(1.0 - pe, 2));
		out->kappa_se0 = var0 > 0 ? sqrt(var0) : NAN;
		out->kappa_z = div_or_nan(k, out->kappa_se0);
		out->kappa_p = wn_agree_p2(out->kappa_z);
	}
	/* Scott's pi and Gwet's AC1 share the averaged margins pi_k */
	for (i = 0; i < q; i++) {
		pi[i] = (row[i] + col[i]) / 2.0;
		sumpi += pi[i] * pi[i];
	}
	if (!weights) {
		double pe_s = sumpi, pe_g = 0, a, sum1 = 0, v;
		out->scott_pi = pe_s < 1.0 ? (po - pe_s) / (1.0 - pe_s) : NAN;
		for (i = 0; i < q; i++)
			pe_g += pi[i] * (1.0 - pi[i]);
		pe_g /= (q - 1);
		out->ac1_pe = pe_g;
		if (pe_g < 1.0) {
			a = (po - pe_g) / (1.0 - pe_g);
			out->ac1 = a;
			/* irrCAC gwet.ac1.table (infinite population) */
			for (i = 0; i < q; i++) {
				for (j = 0; j < q; j++) {
					double d = W(i, j) - 2.0 * (1.0 - a) * (1.0 - (pi[i] + pi[j]) / 2.0) / (q - 1);
					sum1 += P(i, j) * d * d;
				}
			}
			v = (sum1 - pow(po - 2.0 * (1.0 - a) * pe_g, 2)) / (n * pow(1.0 - pe_g, 2));
			out->ac1_se = v >= 0 ? sqrt(v) : NAN;
		}
	}
#undef P
#undef W
	return 0;
}

int wn_agree_multi(const double *counts, size_t nsubj, int q, struct wn_agree_multi *out,
		   struct wn_err *err)
{
	double tot[QMAX], pj[QMAX], pik[QMAX];
	double nall = 0, m = -1, n2 = 0, n1 = 0, pa = 0, sumpq = 0, sumpqqp = 0;
	double o[QMAX * QMAX], nc[QMAX], ntot = 0, dobs = 0, dexp = 0;
	int equal = 1, k, l;
	size_t s;

	memset(out, 0, sizeof(*out));
	out->subjects = out->raters = out->pbar = out->pe = out->kappa = NAN;
	out->kappa_se0 = out->kappa_z = out->kappa_p = out->bp = NAN;
	out->ac1 = out->ac1_pa = out->ac1_pe = out->alpha = NAN;
	if (q < 2 || q > QMAX)
		return wn_err_set(err, WN_EUSAGE, "agreement needs 2 to %d categories", QMAX);
	for (k = 0; k < q; k++)
		tot[k] = pik[k] = nc[k] = 0;
	memset(o, 0, sizeof(o));
	for (s = 0; s < nsubj; s++) {
		const double *c = counts + s * (size_t)q;
		double r = 0, agree = 0;
		for (k = 0; k < q; k++) {
			if (!(c[k] >= 0))
				return wn_err_set(err, WN_EUSAGE, "negative or missing count");
			r += c[k];
		}
		if (r < 1)
			continue;
		n1++;
		for (k = 0; k < q; k++)
			pik[k] += c[k] / r;
		if (r < 2)
			continue;
		n2++;
		if (m < 0)
			m = r;
		else if (m != r)
			equal = 0;
		for (k = 0; k < q; k++) {
			tot[k] += c[k];
			agree += c[k] * (c[k] - 1);
			/* Krippendorff's coincidences: each ordered pair of values, weighted 1/(r-1) */
			for (l = 0; l < q; l++)
				o[k * q + l] += c[k] * (c[l] - (k == l)) / (r - 1);
		}
		nall += r;
		pa += agree / (r * (r - 1));
	}
	out->subjects = n2;
	if (n2 == 0)
		return 0;
	pa /= n2;
	out->pbar = pa;
	out->ac1_pa = pa;
	out->bp = (pa - 1.0 / q) / (1.0 - 1.0 / q);
	/* Gwet's AC1 (irrCAC gwet.ac1.raw): prevalence over subjects rated at least once */
	{
		double pe_g = 0;
		for (k = 0; k < q; k++) {
			double p = pik[k] / n1;
			pe_g += p * (1.0 - p);
		}
		pe_g /= (q - 1);
		out->ac1_pe = pe_g;
		out->ac1 = pe_g < 1.0 ? (pa - pe_g) / (1.0 - pe_g) : NAN;
	}
	/* Fleiss' kappa: needs m raters on every subject */
	if (equal) {
		double pe = 0;
		out->raters = m;
		for (k = 0; k < q; k++) {
			pj[k] = tot[k] / nall;
			pe += pj[k] * pj[k];
			sumpq += pj[k] * (1.0 - pj[k]);
			sumpqqp += pj[k] * (1.0 - pj[k]) * ((1.0 - pj[k]) - pj[k]);
		}
		out->pe = pe;
		if (pe < 1.0) {
			out->kappa = (pa - pe) / (1.0 - pe);
			if (sumpq > 0 && m > 1) {
				double var0 = 2.0 / (n2 * m * (m - 1)) * (sumpq * sumpq - sumpqqp) / (sumpq * sumpq);
				out->kappa_se0 = var0 > 0 ? sqrt(var0) : NAN;
				out->kappa_z = div_or_nan(out->kappa, out->kappa_se0);
				out->kappa_p = wn_agree_p2(out->kappa_z);
			}
		}
	}
	/* Krippendorff's alpha, nominal metric */
	for (k = 0; k < q; k++) {
		for (l = 0; l < q; l++) {
			nc[k] += o[k * q + l];
			if (k != l)
				dobs += o[k * q + l];
		}
		ntot += nc[k];
	}
	for (k = 0; k < q; k++)
		for (l = 0; l < q; l++)
			if (k != l)
				dexp += nc[k] * nc[l];
	if (ntot > 1 && dexp > 0)
		out->alpha = 1.0 - (ntot - 1) * dobs / dexp;
	return 0;
}

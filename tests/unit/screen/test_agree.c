/*
 * test_agree.c - agreement statistics against the published reference values collected
 * in ../shared/research/screening.md §2.4 (TV1-TV11): statsmodels' SAS output, irr,
 * irrCAC, Fleiss-Cohen-Everitt 1969, Cohen 1968, Wikipedia, Krippendorff.
 * Published values are checked to the decimals they were printed with (at least 4);
 * the notes' independently computed values to 1e-6.
 */
#include <math.h>
#include "wn_test.h"
#include "winnow/agree.h"

#define E4 5e-5   /* a value printed to 4 decimals */
#define E6 1.5e-6 /* a value printed to 6 decimals */

static void test_tv1_wikipedia(void)
{
	const double t[] = { 20, 5, 10, 15 };
	struct wn_agree2 a;

	CHECK_INT(wn_agree_cohen(t, 2, NULL, &a, NULL), 0);
	CHECK_NEAR(a.n, 50, 0);
	CHECK_NEAR(a.po, 0.70, 1e-12);
	CHECK_NEAR(a.pe, 0.50, 1e-12);
	CHECK_NEAR(a.kappa, 0.40, 1e-12);
	CHECK_NEAR(a.kappa_se, 0.126996, E6);
	CHECK_NEAR(a.kappa_ci_low, 0.151092, E6);
	CHECK_NEAR(a.kappa_ci_high, 0.648908, E6);
	CHECK_NEAR(a.kappa_se0, 0.138564, E6);
	CHECK_NEAR(a.kappa_z, 2.886751, E6);
	CHECK_NEAR(a.kappa_p, 0.003892, E6);
	CHECK_NEAR(a.pabak, 0.40, 1e-12);
	CHECK_NEAR(a.prevalence_index, 0.10, 1e-12);
	CHECK_NEAR(a.bias_index, -0.10, 1e-12);
	CHECK_NEAR(a.scott_pi, 0.393939, E6);
	CHECK_NEAR(a.ac1, 0.405941, E6);
	CHECK_NEAR(a.ac1_pe, 0.495, 1e-12);
	CHECK_NEAR(a.ac1_se, 0.130152, E6);
}

static void test_tv2_sas(void)
{
	const double t[] = { 0, 4, 1, 0, 8, 0, 0, 1, 5 };
	double w[9];
	struct wn_agree2 a;

	CHECK_INT(wn_agree_cohen(t, 3, NULL, &a, NULL), 0);
	/* published (SAS, via statsmodels' tests) */
	CHECK_NEAR(a.kappa, 0.4842, E4);
	CHECK_NEAR(a.kappa_se, 0.1380, E4);
	CHECK_NEAR(a.kappa_ci_low, 0.2137, E4);
	CHECK_NEAR(a.kappa_ci_high, 0.7547, E4);
	CHECK_NEAR(a.kappa_se0, 0.1484, E4);
	CHECK_NEAR(a.kappa_z, 3.2626, E4);
	CHECK_NEAR(a.kappa_p, 0.0011, E4);
	/* computed */
	CHECK_NEAR(a.po, 0.684211, E6);
	CHECK_NEAR(a.pe, 0.387812, E6);
	CHECK_NEAR(a.kappa, 0.484163, E6);
	CHECK_NEAR(a.kappa_se, 0.138014, E6);
	CHECK_NEAR(a.kappa_se0, 0.148398, E6);
	CHECK_NEAR(a.kappa_p, 0.001104, E6);
	CHECK(isnan(a.prevalence_index) && isnan(a.bias_index));

	wn_agree_weights_linear(w, 3);
	CHECK_INT(wn_agree_cohen(t, 3, w, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.4701, E4);
	CHECK_NEAR(a.kappa_se, 0.1457, E4);
	CHECK_NEAR(a.kappa_ci_low, 0.1845, E4);
	CHECK_NEAR(a.kappa_ci_high, 0.7558, E4);
	CHECK_NEAR(a.kappa_se0, 0.1426, E4);
	CHECK_NEAR(a.kappa_z, 3.2971, E4);
	CHECK_NEAR(a.po, 0.815789, E6);
	CHECK_NEAR(a.pe, 0.652355, E6);
	CHECK_NEAR(a.kappa, 0.470120, E6);
	CHECK_NEAR(a.kappa_se, 0.145746, E6);
	CHECK_NEAR(a.kappa_se0, 0.142585, E6);
	CHECK_NEAR(a.kappa_z, 3.297116, E6);
	CHECK(isnan(a.ac1)); /* AC1 is reported for unweighted tables only */
}

static void test_tv3_fce1969(void)
{
	const double t[] = { 106, 10, 4, 22, 28, 10, 2, 12, 6 };
	const double w4[] = { 1, 0, .4444, 0, 1, .6667, .4444, .6667, 1 };
	const double wx[] = { 1, 0, 4.0 / 9, 0, 1, 2.0 / 3, 4.0 / 9, 2.0 / 3, 1 };
	struct wn_agree2 a;

	CHECK_INT(wn_agree_cohen(t, 3, w4, &a, NULL), 0);
	/* published: p_o .787, p_e .567, kappa_w .508, Var .00324823, Var0 .004270; FCE's
	 * .508 is (.787 - .567) / (1 - .567) from the rounded p's (unrounded: .50707) */
	CHECK_NEAR(a.po, 0.787, 5e-4);
	CHECK_NEAR(a.pe, 0.567, 5e-4);
	CHECK_NEAR((0.787 - 0.567) / (1 - 0.567), 0.508, 5e-4);
	CHECK_NEAR(a.kappa, 0.508, 1e-3);
	CHECK_NEAR(a.kappa_se * a.kappa_se, 0.00324823, 5e-7);
	CHECK_NEAR(a.kappa_se0 * a.kappa_se0, 0.004270, 5e-6);
	CHECK_NEAR(a.kappa, 0.507070, E6);
	CHECK_NEAR(a.kappa_se, 0.056994, E6);
	CHECK_NEAR(a.kappa_se0, 0.065336, E6);
	CHECK_INT(wn_agree_cohen(t, 3, wx, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.507060, E6);
	CHECK_INT(wn_agree_cohen(t, 3, NULL, &a, NULL), 0);
	CHECK_NEAR(a.po, 0.70, 1e-12);
	CHECK_NEAR(a.pe, 0.475, 1e-12);
	CHECK_NEAR(a.kappa, 0.428571, E6);
	CHECK_NEAR(a.kappa_se, 0.053711, E6);
	CHECK_NEAR(a.kappa_se0, 0.055512, E6);
	CHECK_NEAR(a.kappa_z, 7.7203, E4);
}

static void disagreement_weights(const double *d, double *w, int q, double max)
{
	int i;

	for (i = 0; i < q * q; i++)
		w[i] = 1.0 - d[i] / max;
}

static void test_tv3b_cohen1968(void)
{
	const double t[] = { 88, 14, 18, 10, 40, 10, 2, 6, 12 }; /* proportions x 200 */
	const double d1[] = { 0, 1, 3, 1, 0, 6, 3, 6, 0 };
	const double d2[] = { 0, 1, 4, 1, 0, 6, 2, 2, 0 };
	double w[9];
	struct wn_agree2 a;

	CHECK_INT(wn_agree_cohen(t, 3, NULL, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.492, 5e-4);   /* Cohen reports .492 */
	CHECK_NEAR(a.kappa, 0.491525, E6);
	disagreement_weights(d1, w, 3, 6);
	CHECK_INT(wn_agree_cohen(t, 3, w, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.348, 5e-4);   /* and .348 */
	CHECK_NEAR(a.kappa, 0.347826, E6);
	disagreement_weights(d2, w, 3, 6);
	CHECK_INT(wn_agree_cohen(t, 3, w, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.353, 5e-4);   /* non-symmetric weights: .353 */
	CHECK_NEAR(a.kappa, 0.353383, E6);
}

/* irr::kappa2 weights given as a disagreement score per |i - j|. */
static void vector_weights(const double *v, int q, double *w)
{
	double mn = v[0], mx = v[0];
	int i, j;

	for (i = 1; i < q; i++) {
		mn = v[i] < mn ? v[i] : mn;
		mx = v[i] > mx ? v[i] : mx;
	}
	for (i = 0; i < q; i++)
		for (j = 0; j < q; j++)
			w[i * q + j] = 1.0 - (v[i > j ? i - j : j - i] - mn) / (mx - mn);
}

static void table_from(const int *r1, const int *r2, int n, const int *levels, int q, double *t)
{
	int s, i, a = 0, b = 0;

	for (i = 0; i < q * q; i++)
		t[i] = 0;
	for (s = 0; s < n; s++) {
		for (i = 0; i < q; i++) {
			if (levels[i] == r1[s])
				a = i;
			if (levels[i] == r2[s])
				b = i;
		}
		t[a * q + b] += 1;
	}
}

static void test_tv4_irr_anxiety(void)
{
	static const int r1[] = { 3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3 };
	static const int r2[] = { 3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4 };
	static const int r3[] = { 2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2 };
	static const int lv5[] = { 1, 2, 3, 4, 6 }, lv6[] = { 1, 2, 3, 4, 5, 6 };
	const double expect23[] = { 0, 0, 1, 0, 0, 4, 0, 1, 0, 0, 2, 3, 3, 0, 0, 0, 2, 0, 1, 1, 1, 0, 0, 1, 0 };
	const double v1[] = { 0, 0, 1, 1, 2 }, v2[] = { 0, 0, 0, 1, 1, 1 }, v3[] = { 0, 0, 1, 1, 2, 2 };
	double t[36], w[36];
	struct wn_agree2 a;
	int i, same = 1;

	table_from(r2, r3, 20, lv5, 5, t);
	for (i = 0; i < 25; i++)
		same &= t[i] == expect23[i];
	CHECK(same);
	CHECK_INT(wn_agree_cohen(t, 5, NULL, &a, NULL), 0);
	CHECK_NEAR(a.kappa, -0.006289308, 1e-9);
	CHECK_NEAR(a.kappa_z, -0.0604067, 1e-7);
	CHECK_NEAR(a.kappa_p, 0.9518317, 1e-7);
	wn_agree_weights_linear(w, 5);
	CHECK_INT(wn_agree_cohen(t, 5, w, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.1459075, 1e-7);
	CHECK_NEAR(a.kappa_z, 1.282472, 1e-6);
	CHECK_NEAR(a.kappa_p, 0.1996772, 1e-7);
	wn_agree_weights_quadratic(w, 5);
	CHECK_INT(wn_agree_cohen(t, 5, w, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.2520325, 1e-7);
	CHECK_NEAR(a.kappa_z, 1.437451, 1e-6);
	CHECK_NEAR(a.kappa_p, 0.1505898, 1e-7);
	vector_weights(v1, 5, w);
	CHECK_INT(wn_agree_cohen(t, 5, w, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.2391304, 1e-7);
	CHECK_NEAR(a.kappa_z, 1.223734, 1e-6);
	CHECK_NEAR(a.kappa_p, 0.2210526, 1e-7);

	table_from(r1, r2, 20, lv6, 6, t);
	vector_weights(v2, 6, w);
	CHECK_INT(wn_agree_cohen(t, 6, w, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.1891892, 1e-7);
	CHECK_NEAR(a.kappa_z, 0.5079002, 1e-7);
	CHECK_NEAR(a.kappa_p, 0.6115233, 1e-7);
	vector_weights(v3, 6, w);
	CHECK_INT(wn_agree_cohen(t, 6, w, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.2820513, 1e-7);
	CHECK_NEAR(a.kappa_z, 1.257410, 1e-6);
	CHECK_NEAR(a.kappa_p, 0.2086053, 1e-7);
}

static void test_tv5_fleiss_wikipedia(void)
{
	const double c[] = { 0, 0, 0, 0, 14, 0, 2, 6, 4, 2, 0, 0, 3, 5, 6, 0, 3, 9, 2, 0,
			     2, 2, 8, 1, 1, 7, 7, 0, 0, 0, 3, 2, 6, 3, 0, 2, 5, 3, 2, 2,
			     6, 5, 2, 1, 0, 0, 2, 2, 3, 7 };
	struct wn_agree_multi m;

	CHECK_INT(wn_agree_multi(c, 10, 5, &m, NULL), 0);
	CHECK_NEAR(m.kappa, 0.210, 5e-4); /* published */
	CHECK_NEAR(m.kappa, 0.209931, E6);
	CHECK_NEAR(m.pbar, 0.378022, E6);
	CHECK_NEAR(m.pe, 0.212755, E6);
	CHECK_NEAR(m.kappa_se0, 0.016965, E6);
	CHECK_NEAR(m.kappa_z, 12.374, 5e-4);
	CHECK_NEAR(m.raters, 14, 0);
}

static void test_tv6_fleiss_diagnoses(void)
{
	static const int d[30][6] = {
		{ 4, 4, 4, 4, 4, 4 }, { 2, 2, 2, 5, 5, 5 }, { 2, 3, 3, 3, 3, 5 }, { 5, 5, 5, 5, 5, 5 },
		{ 2, 2, 2, 4, 4, 4 }, { 1, 1, 3, 3, 3, 3 }, { 3, 3, 3, 3, 5, 5 }, { 1, 1, 3, 3, 3, 4 },
		{ 1, 1, 4, 4, 4, 4 }, { 5, 5, 5, 5, 5, 5 }, { 1, 4, 4, 4, 4, 4 }, { 1, 2, 4, 4, 4, 4 },
		{ 2, 2, 2, 3, 3, 3 }, { 1, 4, 4, 4, 4, 4 }, { 2, 2, 4, 4, 4, 5 }, { 3, 3, 3, 3, 3, 5 },
		{ 1, 1, 1, 4, 5, 5 }, { 1, 1, 1, 1, 1, 2 }, { 2, 2, 4, 4, 4, 4 }, { 1, 3, 3, 5, 5, 5 },
		{ 5, 5, 5, 5, 5, 5 }, { 2, 4, 4, 4, 4, 4 }, { 2, 2, 4, 5, 5, 5 }, { 1, 1, 4, 4, 4, 4 },
		{ 1, 4, 4, 4, 4, 5 }, { 2, 2, 2, 2, 2, 4 }, { 1, 1, 1, 1, 5, 5 }, { 2, 2, 4, 4, 4, 4 },
		{ 1, 3, 3, 3, 3, 3 }, { 5, 5, 5, 5, 5, 5 }
	};
	double c[30 * 5] = { 0 }, tot[5] = { 0 };
	struct wn_agree_multi m;
	int s, r;

	for (s = 0; s < 30; s++)
		for (r = 0; r < 6; r++) {
			c[s * 5 + d[s][r] - 1] += 1;
			tot[d[s][r] - 1] += 1;
		}
	CHECK(tot[0] == 26 && tot[1] == 26 && tot[2] == 30 && tot[3] == 55 && tot[4] == 43);
	CHECK_INT(wn_agree_multi(c, 30, 5, &m, NULL), 0);
	CHECK_NEAR(m.kappa, 0.4302445, 1e-7);   /* published (irr kappam.fleiss) */
	CHECK_NEAR(m.kappa_z, 17.65183, 1e-5);  /* published: the FNL 1979 SE */
	CHECK_NEAR(m.pbar, 0.5555556, 1e-7);
	CHECK_NEAR(m.pe, 0.2199383, 1e-7);
	CHECK_NEAR(m.kappa_se0, 0.0243739, 1e-7);
	CHECK_NEAR(m.alpha, 0.4334098, 1e-7);
	CHECK_NEAR(m.ac1, 0.44788, 5e-6);
	CHECK_NEAR(m.ac1_pa, 0.55556, 5e-6);
	CHECK_NEAR(m.ac1_pe, 0.19502, 5e-6);
}

static void test_tv7_irrcac_3x3(void)
{
	const double t[] = { 13, 0, 0, 0, 20, 7, 0, 4, 56 };
	struct wn_agree2 a;

	CHECK_INT(wn_agree_cohen(t, 3, NULL, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.796, 5e-4);       /* published */
	CHECK_NEAR(a.kappa, 0.796409, E6);
	CHECK_NEAR(a.kappa_se, 0.058911, E6);
	CHECK_NEAR(a.kappa_ci_low, 0.680947, E6);
	CHECK_NEAR(a.kappa_ci_high, 0.911872, E6);
	CHECK_NEAR(a.po, 0.89, 1e-12);
	CHECK_NEAR(a.pe, 0.4597, 1e-12);
	CHECK_NEAR(a.scott_pi, 0.796, 5e-4);    /* published */
	CHECK_NEAR(a.scott_pi, 0.796240, E6);
	CHECK_NEAR(a.ac1, 0.849, 5e-4);         /* published */
	CHECK_NEAR(a.ac1, 0.849331, E6);
	CHECK_NEAR(a.ac1_se, 0.043217, E6);
	CHECK_NEAR(a.ac1_pe, 0.269925, E6);
	CHECK_NEAR(a.pabak, 0.835, 1e-12);
}

static void test_tv8_irrcac_4x4(void)
{
	const double t[] = { 40, 4, 4, 17, 6, 25, 2, 13, 4, 1, 21, 12, 15, 5, 9, 45 };
	struct wn_agree2 a;

	CHECK_INT(wn_agree_cohen(t, 4, NULL, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.432, 5e-4);
	CHECK_NEAR(a.kappa_se, 0.046, 5e-4);
	CHECK_NEAR(a.kappa, 0.431501, E6);
	CHECK_NEAR(a.kappa_se, 0.045969, E6);
	CHECK_NEAR(a.po, 0.587444, E6);
	CHECK_NEAR(a.pe, 0.274307, E6);
	CHECK_NEAR(a.scott_pi, 0.430341, E6);
	CHECK_NEAR(a.ac1, 0.456, 5e-4);
	CHECK_NEAR(a.ac1_se, 0.043, 5e-4);
	CHECK_NEAR(a.ac1, 0.456158, E6);
	CHECK_NEAR(a.ac1_se, 0.043450, E6);
}

/* counts per unit from a units x coders matrix with 0 = missing */
static void counts_from(const int *r, int units, int coders, int q, double *c)
{
	int u, k;

	for (u = 0; u < units * q; u++)
		c[u] = 0;
	for (u = 0; u < units; u++)
		for (k = 0; k < coders; k++)
			if (r[u * coders + k])
				c[u * q + r[u * coders + k] - 1] += 1;
}

static void test_tv9_krippendorff_canonical(void)
{
	static const int r[12 * 4] = { 1, 1, 0, 1, 2, 2, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2,
				       1, 2, 3, 4, 4, 4, 4, 4, 1, 1, 2, 1, 2, 2, 2, 2, 0, 5, 5, 5,
				       0, 0, 1, 1, 0, 0, 3, 0 };
	double c[12 * 5];
	struct wn_agree_multi m;

	counts_from(r, 12, 4, 5, c);
	CHECK_INT(wn_agree_multi(c, 12, 5, &m, NULL), 0);
	CHECK_NEAR(m.ac1, 0.775, 5e-4);     /* published (irrCAC) */
	CHECK_NEAR(m.ac1_pa, 0.818, 5e-4);
	CHECK_NEAR(m.ac1_pe, 0.190, 5e-4);
	CHECK_NEAR(m.ac1, 0.775444, E6);
	CHECK_NEAR(m.ac1_pa, 0.818182, E6);
	CHECK_NEAR(m.ac1_pe, 0.190321, E6);
	CHECK_NEAR(m.alpha, 0.743, 5e-4);   /* published (Krippendorff, irr) */
	CHECK_NEAR(m.alpha, 0.743421, E6);
	CHECK(isnan(m.kappa));              /* unequal raters per unit: no Fleiss */
}

static void test_tv10_fast_krippendorff(void)
{
	static const int c1[] = { 0, 0, 0, 0, 0, 3, 4, 1, 2, 1, 1, 3, 3, 0, 3 };
	static const int c2[] = { 1, 0, 2, 1, 3, 3, 4, 3, 0, 0, 0, 0, 0, 0, 0 };
	static const int c3[] = { 0, 0, 2, 1, 3, 4, 4, 0, 2, 1, 1, 3, 3, 0, 4 };
	int r[15 * 3], u;
	double c[15 * 4];
	struct wn_agree_multi m;

	for (u = 0; u < 15; u++) {
		r[u * 3] = c1[u];
		r[u * 3 + 1] = c2[u];
		r[u * 3 + 2] = c3[u];
	}
	counts_from(r, 15, 3, 4, c);
	CHECK_INT(wn_agree_multi(c, 15, 4, &m, NULL), 0);
	CHECK_NEAR(m.alpha, 0.691358, E6);  /* published */
}

static void test_tv11_paradox(void)
{
	const double t1[] = { 2, 3, 2, 93 }, t2[] = { 40, 9, 6, 45 }, t3[] = { 80, 10, 5, 5 };
	struct wn_agree2 a;

	CHECK_INT(wn_agree_cohen(t1, 2, NULL, &a, NULL), 0);
	CHECK_NEAR(a.po, 0.95, 1e-12);
	CHECK_NEAR(a.kappa, 0.4186, E4);
	CHECK_NEAR(a.kappa_se, 0.2126, E4);
	CHECK_NEAR(a.kappa_ci_low, 0.0020, E4);
	CHECK_NEAR(a.kappa_ci_high, 0.8353, E4);
	CHECK_NEAR(a.pabak, 0.90, 1e-12);
	CHECK_NEAR(a.prevalence_index, -0.91, 1e-12);
	CHECK_NEAR(a.bias_index, 0.01, 1e-12);
	CHECK_NEAR(a.ac1, 0.9453, E4);
	CHECK_INT(wn_agree_cohen(t2, 2, NULL, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.6995, E4);
	CHECK_NEAR(a.kappa_se, 0.0714, E4);
	CHECK_NEAR(a.pabak, 0.70, 1e-12);
	CHECK_NEAR(a.prevalence_index, -0.05, 1e-12);
	CHECK_NEAR(a.bias_index, 0.03, 1e-12);
	CHECK_NEAR(a.ac1, 0.7007, E4);
	CHECK_INT(wn_agree_cohen(t3, 2, NULL, &a, NULL), 0);
	CHECK_NEAR(a.kappa, 0.3182, E4);
	CHECK_NEAR(a.kappa_se, 0.1335, E4);
	CHECK_NEAR(a.pabak, 0.70, 1e-12);
	CHECK_NEAR(a.prevalence_index, 0.75, 1e-12);
	CHECK_NEAR(a.bias_index, 0.05, 1e-12);
	CHECK_NEAR(a.ac1, 0.8080, E4);
}

static void test_degenerate(void)
{
	const double one[] = { 10, 0, 0, 0 }, none[] = { 0, 0, 0, 0 }, neg[] = { 1, -1, 0, 0 };
	const double two[] = { 5, 5, 5, 5, 5, 5 }; /* 2 raters per subject, 3 subjects x 2 cats */
	struct wn_agree2 a;
	struct wn_agree_multi m;

	/* both raters used one category: p_e = 1, kappa undefined, p_o reported */
	CHECK_INT(wn_agree_cohen(one, 2, NULL, &a, NULL), 0);
	CHECK_NEAR(a.po, 1.0, 0);
	CHECK(isnan(a.kappa) && isnan(a.kappa_se));
	CHECK_NEAR(a.pabak, 1.0, 0);
	CHECK_INT(wn_agree_cohen(none, 2, NULL, &a, NULL), 0);
	CHECK(a.n == 0 && isnan(a.po) && isnan(a.kappa));
	CHECK_INT(wn_agree_cohen(neg, 2, NULL, &a, NULL), -1);
	CHECK_INT(wn_agree_cohen(one, 1, NULL, &a, NULL), -1);
	CHECK_INT(wn_agree_multi(two, 3, 2, &m, NULL), 0);
	CHECK_NEAR(m.pbar, 5.0 * 4 * 2 / (10 * 9), 1e-12);
	CHECK_INT(wn_agree_multi(none, 2, 2, &m, NULL), 0);
	CHECK(m.subjects == 0 && isnan(m.kappa) && isnan(m.alpha));
	CHECK_NEAR(wn_agree_p2(1.959963984540054), 0.05, 1e-12);
}

int main(void)
{
	RUN(test_tv1_wikipedia);
	RUN(test_tv2_sas);
	RUN(test_tv3_fce1969);
	RUN(test_tv3b_cohen1968);
	RUN(test_tv4_irr_anxiety);
	RUN(test_tv5_fleiss_wikipedia);
	RUN(test_tv6_fleiss_diagnoses);
	RUN(test_tv7_irrcac_3x3);
	RUN(test_tv8_irrcac_4x4);
	RUN(test_tv9_krippendorff_canonical);
	RUN(test_tv10_fast_krippendorff);
	RUN(test_tv11_paradox);
	RUN(test_degenerate);
	return wn_test_report();
}

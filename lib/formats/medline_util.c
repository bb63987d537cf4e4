/*
 * medline_util.c - dates, notices and PMIDs shared by the PubMed XML and MEDLINE
 * importers (see medline_util.h).
 *
 * NLM dates come in many shapes (numeric or named months, seasons, MedlineDate ranges);
 * the rule here is the one in docs/record-format.md: `year` is the first plausible year,
 * `date` is as precise as the text allows and never more precise than it says.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/text.h"
#include "medline_util.h"

static const char *const month_names[12] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};
static const char *const month_full[12] = {
	"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december"
};

int wn_medline_month(const char *s, size_t n)
{
	size_t i;
	int v = 0;

	wn_text_trim(&s, &n);
	if (n && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 9)
		return 0;
	if (wn_isdigit((unsigned char)s[0])) {
		for (i = 0; i < n; i++) {
			if (!wn_isdigit((unsigned char)s[i]) || i >= 2)
				return 0;
			v = v * 10 + (s[i] - '0');
		}
		return v >= 1 && v <= 12 ? v : 0;
	}
	for (i = 0; i < 12; i++) {
		if (wn_text_ieq(s, n, month_names[i]) || wn_text_ieq(s, n, month_full[i]))
			return (int)i + 1;
	}
	/* "Sept" */
	if (wn_text_ieq(s, n, "sept"))
		return 9;
	return 0;
}

/* Next token of letters or digits in s[*i..n); separators are skipped and returned in
 * *sep (the last non-space separator seen, or ' '). */
static int next_token(const char *s, size_t n, size_t *i, const char **tok, size_t *tlen,
		      char *sep)
{
	size_t k = *i;

	*sep = ' ';
	while (k < n && !wn_isalnum((unsigned char)s[k])) {
		if (!wn_isspace((unsigned char)s[k]))
			*sep = s[k];
		k++;
	}
	if (k >= n) {
		*i = k;
		return 0;
	}
	*tok = s + k;
	if (wn_isdigit((unsigned char)s[k])) {
		while (k < n && wn_isdigit((unsigned char)s[k]))
			k++;
	} else {
		while (k < n && wn_isalpha((unsigned char)s[k]))
			k++;
		if (k < n && s[k] == '.')
			k++; /* "Sept." */
	}
	*tlen = (size_t)(s + k - *tok);
	*i = k;
	return 1;
}

static int digits_value(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 4)
		return -1;
	for (i = 0; i < n; i++) {
		if (!wn_isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int wn_medline_parse_date(const char *s, size_t n, int *y, int *m, int *d)
{
	size_t i = 0;
	const char *tok;
	size_t tlen;
	char sep;
	int v;

	*y = *m = *d = 0;
	wn_text_trim(&s, &n);
	/* the year: the first 4-digit token in range */
	while (next_token(s, n, &i, &tok, &tlen, &sep)) {
		v = digits_value(tok, tlen);
		if (tlen == 4 && v >= 1000 && v <= 2999) {
			*y = v;
			break;
		}
		if (!*y) {
			/* something before the year: not a plain date */
			*y = wn_text_find_year(s, n);
			return 0;
		}
	}
	if (!*y)
		return 0;
	if (!next_token(s, n, &i, &tok, &tlen, &sep))
		return 1;
	if (sep != ' ' && sep != '/' && sep != '.') /* "1944-1945": a range */
		return 0;
	*m = wn_medline_month(tok, tlen);
	if (!*m)
		return 0; /* a season, "Spring", "Winter-Spring" */
	if (!next_token(s, n, &i, &tok, &tlen, &sep))
		return 1;
	if (sep != ' ' && sep != '/' && sep != '.')
		return 0; /* "1989 May-Oct" */
	v = digits_value(tok, tlen);
	if (v < 1 || v > 31 || tlen > 2)
		return 0;
	*d = v;
	return next_token(s, n, &i, &tok, &tlen, &sep) ? 0 : 1;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2)
		return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
	return days[m - 1];
}

int wn_medline_set_date(struct wn_recb *b, int y, int m, int d, struct wn_err *err)
{
	char date[16];
	int len;

	if (y < 1000 || y > 2999)
		return 0;
	if (!json_object_object_get_ex(wn_recb_peek(b), WN_F_YEAR, NULL) &&
	    wn_record_set_int(wn_recb_peek(b), WN_F_YEAR, y, err) < 0)
		return -1;
	if (m < 1 || m > 12)
		len = snprintf(date, sizeof(date), "%04d", y);
	else if (d < 1 || d > days_in_month(y, m))
		len = snprintf(date, sizeof(date), "%04d-%02d", y, m);
	else
		len = snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
	if (json_object_object_get_ex(wn_recb_peek(b), WN_F_DATE, NULL))
		return 0;
	return wn_record_set(wn_recb_peek(b), WN_F_DATE, date, (size_t)len, err);
}

/* Add key -> cleaned value to obj; empty values are left out. */
static int add_clean(struct wn_recb *b, json_object *obj, const char *key, const char *s,
		     size_t n, struct wn_err *err)
{
	json_object *v;

	if (!s || !n)
		return 0;
	if (wn_text_clean(&b->scratch, s, n, 0, &b->text, err) < 0)
		return -1;
	if (!b->scratch.len)
		return 0;
	v = wn_alloc_should_fail() ? NULL : json_object_new_string_len(b->scratch.data, (int)b->scratch.len);
	if (!v || json_object_object_add(obj, key, v)) {
		json_object_put(v);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

int wn_medline_notice(struct wn_recb *b, const char *type, const char *pmid, size_t pmid_len,
		      const char *ref, size_t ref_len, struct wn_err *err)
{
	json_object *rec = wn_recb_peek(b), *arr, *obj, *v;

	if (!rec)
		return wn_err_set(err, WN_EUSAGE, "no record begun");
	obj = wn_alloc_should_fail() ? NULL : json_object_new_object();
	/* json-c takes a NULL value as JSON null: check the string before adding it */
	v = obj ? json_object_new_string(type) : NULL;
	if (!v || json_object_object_add(obj, "type", v)) {
		json_object_put(v);
		json_object_put(obj);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (add_clean(b, obj, "pmid", pmid, pmid_len, err) < 0 ||
	    add_clean(b, obj, "ref", ref, ref_len, err) < 0) {
		json_object_put(obj);
		return -1;
	}
	if (!json_object_object_get_ex(rec, WN_F_NOTICES, &arr)) {
		arr = wn_alloc_should_fail() ? NULL : json_object_new_array();
		if (!arr || json_object_object_add_ex(rec, WN_F_NOTICES, arr,
						      JSON_C_OBJECT_ADD_KEY_IS_NEW |
						      JSON_C_OBJECT_KEY_IS_CONSTANT)) {
			json_object_put(arr);
			json_object_put(obj);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	}
	if (json_object_array_add(arr, obj)) {
		json_object_put(obj);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

int wn_medline_is_notice_type(const char *reftype)
{
	return reftype && *reftype && strcmp(reftype, "Cites") != 0;
}

const char *wn_medline_find_pmid(const char *s, size_t len, size_t *n)
{
	size_t i, k;

	for (i = 0; i + 5 <= len; i++) {
		if (memcmp(s + i, "PMID:", 5) != 0)
			continue;
		k = i + 5;
		while (k < len && wn_isspace((unsigned char)s[k]))
			k++;
		i = k;
		while (k < len && wn_isdigit((unsigned char)s[k]))
			k++;
		if (k > i) {
			*n = k - i;
			return s + i;
		}
	}
	return NULL;
}

void wn_medline_detect_view(const unsigned char *head, size_t n, unsigned char *buf, size_t cap,
			    const unsigned char **view, size_t *vn)
{
	size_t i = 0, k = 0;

	*view = head;
	*vn = n;
	if (n < 2 || !((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) ||
		       head[0] == 0 || head[1] == 0))
		return;
	if (head[0] >= 0xFE)
		i = 2;
	for (; i < n && k < cap; i++) {
		if (head[i])
			buf[k++] = head[i];
	}
	*view = buf;
	*vn = k;
}

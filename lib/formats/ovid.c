/*
 * ovid.c - Ovid's own export layouts (the RIS that Ovid also writes is read by ris.c):
 *
 *   display/"Citation" layout: a record starts at a "<1>" line; a line at the left
 *     margin is a field label ("Author", "Title", "Source", "Abstract" ...), the
 *     indented lines under it are its value.
 *   tagged layout ("Ovid fields", .ovd/.cgi): a record starts at "<1. >"; lines
 *     "UI  - value" as in MEDLINE, 6-space continuation lines; "VN  - Ovid
 *     Technologies", "DB  - Embase" name the platform and the database.
 *
 * Labels and tags differ between Ovid databases; the common ones map to record fields
 * and every other one is kept in extra under its label or tag. Ovid's "Source" is a
 * citation ("Ecohydrology. 8(6):1048-1064, September 2015."): journal, volume, issue,
 * pages and date are read from it and the text itself is kept in extra.
 */
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/input.h"
#include "winnow/text.h"
#include "csv_util.h"
#include "formats.h"

/* "<12>" (display) -> 1, "<12. >" (tagged) -> 2, else 0 */
static int marker(const char *s, size_t n)
{
	size_t i = 0;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n < 3 || s[0] != '<' || s[n - 1] != '>')
		return 0;
	for (i = 1; i < n - 1 && wn_isdigit((unsigned char)s[i]); i++)
		;
	if (i == 1)
		return 0;
	if (i == n - 1)
		return 1;
	if (s[i] == '.') {
		i++;
		while (i < n - 1 && s[i] == ' ')
			i++;
		if (i == n - 1)
			return 2;
	}
	return 0;
}

static int tagged_line(const char *s, size_t n)
{
	return n >= 5 && wn_isupper((unsigned char)s[0]) &&
	       (wn_isupper((unsigned char)s[1]) || wn_isdigit((unsigned char)s[1])) &&
	       s[2] == ' ' && s[3] == ' ' && s[4] == '-';
}

static int ovid_detect(const unsigned char *head, size_t n)
{
	char text[4096];
	size_t len = wn_fu_head_text(head, n, text, sizeof(text)), pos = 0, ln;
	const char *line;
	int kind = 0;

	while (wn_fu_next_line(text, len, &pos, &line, &ln)) {
		const char *p = line;
		size_t k = ln;
		wn_text_trim(&p, &k);
		if (!k)
			continue;
		if (!kind) {
			kind = marker(p, k);
			if (!kind)
				return 0;
			continue;
		}
		if (kind == 2)
			return tagged_line(line, ln) ? 95 : 0;
		/* display: a label at the left margin */
		return (line[0] != ' ' && line[0] != '\t' && k < 60) ? 90 : 0;
	}
	return 0;
}

struct ovid {
	struct wn_import *imp;
	struct wn_recb *b;
	int layout;               /* 1 display, 2 tagged */
	char label[128];          /* current label or tag */
	struct wn_buf cur, name, src;
	int in_rec, damaged;
	unsigned long rec_line, outside, first_outside;
	struct wn_fu_weak weak;
};

enum okind {
	O_EXTRA, O_TITLE, O_AUTHORS, O_SOURCE, O_ABSTRACT, O_PUBTYPE, O_ID, O_KEYWORDS,
	O_LANGUAGE, O_ISSN, O_DOI, O_URL, O_DATABASE, O_YEAR, O_JOURNAL, O_JABBREV,
	O_VOLUME, O_ISSUE, O_PAGES, O_PMID, O_MESH, O_PUBLISHER, O_DATE, O_ISBN,
	O_CHAPTER, O_SKIP
};

static const struct { const char *label; enum okind kind; } labels[] = {
	{ "Author", O_AUTHORS }, { "Authors", O_AUTHORS }, { "Title", O_TITLE },
	{ "Chapter Title", O_CHAPTER }, { "Source", O_SOURCE }, { "Abstract", O_ABSTRACT },
	{ "Publication Type", O_PUBTYPE }, { "Accession Number", O_ID },
	{ "Unique Identifier", O_ID }, { "Author Keywords", O_KEYWORDS },
	{ "Keywords", O_KEYWORDS }, { "Keyword Heading", O_KEYWORDS },
	{ "MeSH Subject Headings", O_MESH }, { "Language", O_LANGUAGE }, { "ISSN", O_ISSN },
	{ "ISBN", O_ISBN }, { "DOI Number", O_DOI }, { "Digital Object Identifier", O_DOI },
	{ "Link to the Ovid Full Text or citation", O_URL }, { "URL", O_URL },
	{ "Database", O_DATABASE }, { "Year of Publication", O_YEAR },
	{ "Journal Name", O_JOURNAL }, { "Abbreviated Source", O_JABBREV },
	{ "Volume", O_VOLUME }, { "Issue", O_ISSUE }, { "Issue/Part", O_ISSUE },
	{ "Page", O_PAGES }, { "Pages", O_PAGES }, { "PubMed Identifier", O_PMID },
	{ "Publisher", O_PUBLISHER }, { "Date of Publication", O_DATE }, { "Score", O_SKIP },
	{ NULL, O_EXTRA }
};

static const struct { const char *tag; enum okind kind; } tags[] = {
	{ "TI", O_TITLE }, { "AU", O_AUTHORS }, { "SO", O_SOURCE }, { "AB", O_ABSTRACT },
	{ "PT", O_PUBTYPE }, { "UI", O_ID }, { "AN", O_ID }, { "KW", O_KEYWORDS },
	{ "MH", O_MESH }, { "LG", O_LANGUAGE }, { "LA", O_LANGUAGE }, { "IS", O_ISSN },
	{ "IB", O_ISBN }, { "DO", O_DOI }, { "XL", O_URL }, { "UR", O_URL }, { "DB", O_DATABASE },
	{ "YR", O_YEAR }, { "JN", O_JOURNAL }, { "JT", O_JOURNAL }, { "JA", O_JABBREV },
	{ "VO", O_VOLUME }, { "VI", O_VOLUME }, { "IP", O_ISSUE }, { "PG", O_PAGES },
	{ "PM", O_PMID }, { "PB", O_PUBLISHER }, { "DP", O_DATE }, { "VN", O_SKIP },
	{ NULL, O_EXTRA }
};

static enum okind kind_of(const struct ovid *o)
{
	size_t i;

	if (o->layout == 2) {
		for (i = 0; tags[i].tag; i++)
			if (!strcmp(tags[i].tag, o->label))
				return tags[i].kind;
		return O_EXTRA;
	}
	for (i = 0; labels[i].label; i++)
		if (wn_text_ieq(o->label, strlen(o->label), labels[i].label))
			return labels[i].kind;
	return O_EXTRA;
}

/* Trailing full stop Ovid puts after single values ("English.", "00005131-...-99049."). */
static void chop_dot(const char **v, size_t *n)
{
	wn_text_trim(v, n);
	if (*n > 1 && (*v)[*n - 1] == '.' && (*v)[*n - 2] != '.')
		(*n)--;
}

static int is_degree(const char *s, size_t n)
{
	static const char *const deg[] = {
		"MD", "PhD", "RN", "FAAN", "MSc", "BSc", "MPH", "DrPH", "MS", "MA", "BA", "DDS",
		"DO", "DVM", "PharmD", "MBBS", "FRCP", "FRCS", "MBA", "BS", "BN", "MN", "APRN",
		"NP", "CNM", "EdD", "DNP", "MSN", "BSN", "Prof", "Dr", "Jr", NULL
	};
	size_t i;

	while (n && (s[n - 1] == '.' || s[n - 1] == ','))
		n--;
	for (i = 0; deg[i]; i++)
		if (strlen(deg[i]) == n && memcmp(deg[i], s, n) == 0)
			return 1;
	return 0;
}

/* One Ovid author: "Verbeek, Jan MD *", "Shapiro, Edward S. 1", "Max [Ed]". Degrees,
 * affiliation markers and role labels are dropped. */
static int ovid_author(struct ovid *o, const char *s, size_t n, struct wn_err *err)
{
	char buf[512];
	size_t k = 0, i = 0;

	wn_text_trim(&s, &n);
	while (i < n && k + 1 < sizeof(buf)) {
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		if (!(j - i == 0 || is_degree(s + i, j - i) || (s[i] == '[' && s[j - 1] == ']') ||
		      strspn(s + i, "*+0123456789,") >= j - i)) {
			if (k && k + 1 < sizeof(buf))
				buf[k++] = ' ';
			while (i < j && k + 1 < sizeof(buf))
				buf[k++] = s[i++];
		}
		i = j + 1;
	}
	while (k && (buf[k - 1] == ',' || buf[k - 1] == ' '))
		k--;
	if (!k || is_degree(buf, k))
		return 0;
	if (wn_fu_name(&o->name, buf, k, WN_NAME_GUESS, 0, err) < 0)
		return -1;
	return wn_recb_list(o->b, WN_F_AUTHORS, o->name.data, o->name.len, 0, err) < 0 ? -1 : 0;
}

static int authors(struct ovid *o, const char *v, size_t n, struct wn_err *err)
{
	size_t i = 0;
	int semi = memchr(v, ';', n) != NULL, nl = memchr(v, '\n', n) != NULL;

	while (i < n) {
		size_t j = i;
		if (semi)
			while (j < n && v[j] != ';')
				j++;
		else if (nl)
			while (j < n && v[j] != '\n')
				j++;
		else
			/* "Mustermann  Musterfrau": two spaces between names */
			while (j < n && !(v[j] == ' ' && j + 1 < n && v[j + 1] == ' '))
				j++;
		if (ovid_author(o, v + i, j - i, err) < 0)
			return -1;
		i = j + 1;
		while (i < n && v[i] == ' ')
			i++;
	}
	return 0;
}

/* "Ecohydrology.   8(6):1048-1064, September 2015." and relatives. */
static int source(struct ovid *o, const char *v, size_t n, struct wn_err *err)
{
	json_object *rec = wn_recb_peek(o->b);
	size_t i = 0, j;

	if (wn_recb_extra(o->b, "Source", v, n, 0, err) < 0)
		return -1;
	/* the journal: up to the first ". " */
	while (i + 1 < n && !(v[i] == '.' && (v[i + 1] == ' ')))
		i++;
	if (i + 1 >= n)
		i = n && v[n - 1] == '.' ? n - 1 : n;
	if (v[0] != '(' && !json_object_object_get_ex(rec, WN_F_JOURNAL, NULL) &&
	    wn_recb_text(o->b, WN_F_JOURNAL, v, i, 0, err) < 0)
		return -1;
	/* vol(issue):pages */
	for (j = i; j < n; j++) {
		if (wn_isdigit((unsigned char)v[j]) && (j == 0 || v[j - 1] == ' ')) {
			size_t a = j, b;
			while (j < n && wn_isdigit((unsigned char)v[j]))
				j++;
			if (j < n && (v[j] == '(' || v[j] == ':')) {
				if (wn_recb_text(o->b, WN_F_VOLUME, v + a, j - a, WN_RECB_KEEP, err) < 0)
					return -1;
				if (v[j] == '(') {
					b = ++j;
					while (j < n && v[j] != ')')
						j++;
					if (wn_recb_text(o->b, WN_F_ISSUE, v + b, j - b, WN_RECB_KEEP, err) < 0)
						return -1;
					j++;
				}
				if (j < n && v[j] == ':') {
					b = ++j;
					while (j < n && v[j] != ',' && v[j] != ' ')
						j++;
					if (wn_recb_text(o->b, WN_F_PAGES, v + b, j - b, WN_RECB_KEEP, err) < 0)
						return -1;
				}
				break;
			}
		}
	}
	return wn_fu_date(o->b, v, n, 0, err) < 0 ? -1 : 0;
}

static int flush(struct ovid *o, struct wn_err *err)
{
	const char *v = o->cur.data;
	size_t n = o->cur.len;
	struct wn_recb *b = o->b;
	int rc = 0;

	wn_text_trim(&v, &n);
	if (!o->label[0] || !n) {
		wn_buf_reset(&o->cur);
		o->label[0] = '\0';
		return 0;
	}
	switch (kind_of(o)) {
	case O_TITLE: {
		/* "Title.[Article]": the bracket is Ovid's publication type */
		size_t k = n;
		if (k > 2 && v[k - 1] == ']') {
			const char *lb = v + k;
			while (lb > v && lb[-1] != '[')
				lb--;
			if (lb > v) {
				if (wn_fu_list(b, WN_F_PUBTYPES, lb, (size_t)(v + k - 1 - lb), WN_RECB_UNIQUE, err) < 0)
					return -1;
				k = (size_t)(lb - 1 - v);
			}
		}
		if (json_object_object_get_ex(wn_recb_peek(b), WN_F_TITLE, NULL)) {
			/* a book whose chapter came first: the book title is the "journal" */
			rc = wn_recb_text(b, WN_F_JOURNAL, v, k, WN_RECB_KEEP, err);
		} else {
			rc = wn_recb_text(b, WN_F_TITLE, v, k, 0, err);
		}
		break;
	}
	case O_CHAPTER: {
		json_object *rec = wn_recb_peek(b), *t;
		if (json_object_object_get_ex(rec, WN_F_TITLE, &t)) {
			/* the chapter is the record; the book title moves to journal */
			if (wn_recb_text(b, WN_F_JOURNAL, json_object_get_string(t),
					 (size_t)json_object_get_string_len(t), WN_RECB_KEEP, err) < 0)
				return -1;
		}
		rc = wn_recb_text(b, WN_F_TITLE, v, n, 0, err);
		break;
	}
	case O_AUTHORS:
		if (o->layout == 2) {
			rc = ovid_author(o, v, n, err);
		} else {
			rc = authors(o, v, n, err);
		}
		break;
	case O_SOURCE:
		rc = source(o, v, n, err);
		break;
	case O_ABSTRACT:
		rc = wn_recb_text(b, WN_F_ABSTRACT, v, n, WN_RECB_MULTILINE | WN_RECB_APPEND, err);
		break;
	case O_PUBTYPE:
		chop_dot(&v, &n);
		rc = wn_fu_list(b, WN_F_PUBTYPES, v, n, WN_RECB_UNIQUE, err);
		break;
	case O_ID:
		chop_dot(&v, &n);
		rc = wn_recb_text(b, WN_F_SOURCE_ID, v, n, WN_RECB_KEEP, err);
		break;
	case O_KEYWORDS:
		chop_dot(&v, &n);
		rc = wn_fu_split(b, WN_F_KEYWORDS, v, n, ";\n", WN_RECB_UNIQUE, err);
		break;
	case O_MESH:
		rc = wn_fu_split(b, WN_F_MESH, v, n, ";\n", WN_RECB_UNIQUE, err);
		break;
	case O_LANGUAGE:
		chop_dot(&v, &n);
		rc = wn_recb_text(b, WN_F_LANGUAGE, v, n, WN_RECB_KEEP, err);
		break;
	case O_ISSN:
	case O_ISBN: {
		size_t i = 0;
		while (i < n) {
			size_t j = i, d = 0, k;
			while (j < n && !strchr(" ;,\n", v[j]))
				j++;
			for (k = i; k < j; k++)
				if (wn_isdigit((unsigned char)v[k]))
					d++;
			if (d >= 4 && wn_fu_list(b, kind_of(o) == O_ISSN && d <= 8 ? WN_F_ISSN : WN_F_ISBN,
						   v + i, j - i, WN_RECB_UNIQUE, err) < 0)
				return -1;
			i = j + 1;
		}
		break;
	}
	case O_DOI:
		rc = wn_recb_doi(b, v, n, err);
		if (rc == 0)
			rc = wn_recb_extra(b, o->label, v, n, 0, err);
		break;
	case O_URL:
		rc = json_object_object_get_ex(wn_recb_peek(b), WN_F_URL, NULL)
			? wn_recb_extra(b, o->label, v, n, 0, err) : wn_recb_text(b, WN_F_URL, v, n, 0, err);
		break;
	case O_DATABASE:
		chop_dot(&v, &n);
		rc = wn_recb_text(b, WN_F_SOURCE, v, n, WN_RECB_KEEP, err);
		break;
	case O_YEAR:
		rc = wn_recb_year(b, v, n, err);
		break;
	case O_DATE:
		rc = wn_fu_date(b, v, n, 0, err);
		if (rc >= 0)
			rc = wn_recb_extra(b, o->label, v, n, 0, err);
		break;
	case O_JOURNAL:
		rc = wn_recb_text(b, WN_F_JOURNAL, v, n, WN_RECB_KEEP, err);
		break;
	case O_JABBREV:
		rc = wn_recb_text(b, WN_F_JOURNAL_ABBREV, v, n, WN_RECB_KEEP, err);
		break;
	case O_VOLUME:
		rc = wn_recb_text(b, WN_F_VOLUME, v, n, WN_RECB_KEEP, err);
		break;
	case O_ISSUE:
		rc = wn_recb_text(b, WN_F_ISSUE, v, n, WN_RECB_KEEP, err);
		break;
	case O_PAGES:
		rc = wn_recb_text(b, WN_F_PAGES, v, n, WN_RECB_KEEP, err);
		break;
	case O_PMID: {
		size_t i = 0, j;
		while (i < n && !wn_isdigit((unsigned char)v[i]))
			i++;
		for (j = i; j < n && wn_isdigit((unsigned char)v[j]); j++)
			;
		rc = j > i ? wn_recb_text(b, WN_F_PMID, v + i, j - i, WN_RECB_KEEP, err) : 0;
		break;
	}
	case O_PUBLISHER:
		rc = wn_recb_text(b, WN_F_PUBLISHER, v, n, WN_RECB_KEEP, err);
		break;
	case O_SKIP:
		break;
	case O_EXTRA:
	default:
		rc = wn_recb_extra(b, o->label, v, n, WN_RECB_MULTILINE, err);
		break;
	}
	wn_buf_reset(&o->cur);
	o->label[0] = '\0';
	return rc < 0 ? -1 : 0;
}

static int end_record(struct ovid *o, struct wn_err *err)
{
	json_object *rec;

	if (!o->in_rec)
		return 0;
	o->in_rec = 0;
	if (flush(o, err) < 0)
		return -1;
	if (o->damaged)
		return wn_import_skip(o->imp, o->rec_line, "line too long", err,
				      "a line of the record is longer than the limit (--max-line-bytes)");
	rec = wn_recb_peek(o->b);
	switch (wn_fu_content(rec)) {
	case 0:
		/* Ovid's Source alone (kept in extra) still names a publication */
		if (!json_object_object_get_ex(rec, WN_F_EXTRA, NULL))
			return wn_import_skip(o->imp, o->rec_line, "no bibliographic fields", err,
					      "the record has no title, author, source or accession number");
		/* fall through */
	case 1:
		wn_fu_weak_add(&o->weak, o->imp, o->rec_line);
		break;
	default:
		break;
	}
	return wn_import_emit(o->imp, o->rec_line, err);
}

static int line(struct ovid *o, const char *s, size_t n, unsigned long lineno, struct wn_err *err)
{
	const char *t = s;
	size_t tn = n;
	int m;

	wn_text_trim(&t, &tn);
	m = marker(t, tn);
	if (m) {
		if (end_record(o, err) < 0)
			return -1;
		if (!o->layout)
			o->layout = m;
		o->in_rec = 1;
		o->damaged = 0;
		o->rec_line = lineno;
		o->label[0] = '\0';
		wn_buf_reset(&o->cur);
		return wn_recb_begin(o->b, err);
	}
	if (!o->in_rec) {
		if (tn && !o->outside++)
			o->first_outside = lineno;
		return 0;
	}
	if (!tn) {
		/* blank: a paragraph break inside a value */
		if (o->cur.len && wn_buf_addc(&o->cur, '\n', err) < 0)
			return -1;
		return 0;
	}
	if (o->layout == 2) {
		if (tagged_line(s, n)) {
			if (flush(o, err) < 0)
				return -1;
			o->label[0] = s[0];
			o->label[1] = s[1];
			o->label[2] = '\0';
			return wn_buf_add(&o->cur, n > 6 ? s + 6 : "", n > 6 ? n - 6 : 0, err);
		}
	} else if (s[0] != ' ' && s[0] != '\t') {
		size_t k = tn < sizeof(o->label) ? tn : sizeof(o->label) - 1;
		if (flush(o, err) < 0)
			return -1;
		memcpy(o->label, t, k);
		o->label[k] = '\0';
		return 0;
	}
	if (!o->label[0])
		return wn_recb_extra(o->b, "text", t, tn, 0, err) < 0 ? -1 : 0;
	/* a value line (indented), or a tagged continuation */
	if (o->cur.len && o->cur.data[o->cur.len - 1] != '\n' &&
	    wn_buf_addc(&o->cur, o->layout == 1 ? '\n' : ' ', err) < 0)
		return -1;
	return wn_buf_add(&o->cur, t, tn, err);
}

static int ovid_parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	struct ovid o;
	struct wn_lines lines;
	const char *s;
	size_t n;
	int rc = 0, x;

	if (wn_input_text_mode(in, 1, err) < 0 ||
	    wn_lines_init(&lines, in, wn_import_max_line(imp), err) < 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.imp = imp;
	o.b = wn_import_recb(imp);
	wn_buf_init(&o.cur, 0);
	wn_buf_init(&o.name, 0);
	wn_buf_init(&o.src, 0);
	while ((x = wn_lines_next(&lines, &s, &n, err)) != 0) {
		if (x < 0) {
			rc = -1;
			break;
		}
		if (x == 2) {
			wn_import_diag(imp, WN_DIAG_WARNING, o.in_rec ? wn_import_next_index(imp) : 0,
				       lines.lineno, "%s", err->msg);
			wn_err_clear(err);
			o.damaged |= o.in_rec;
			continue;
		}
		if (line(&o, s, n, lines.lineno, err) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && end_record(&o, err) < 0)
		rc = -1;
	if (rc == 0)
		wn_fu_weak_report(&o.weak, imp);
	if (rc == 0 && o.outside)
		wn_import_diag(imp, WN_DIAG_NOTE, 0, o.first_outside,
			       "%lu line%s before the first record marker (<1>) ignored", o.outside,
			       o.outside == 1 ? "" : "s");
	wn_buf_release(&o.cur);
	wn_buf_release(&o.name);
	wn_buf_release(&o.src);
	wn_lines_release(&lines);
	return rc;
}

const struct wn_format wn_format_ovid = {
	"ovid",
	"Ovid display and tagged exports (<1> Author/Title/Source ...; <1. > UI  - ...)",
	NULL,
	ovid_detect,
	ovid_parse,
	NULL
};

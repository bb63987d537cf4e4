/*
 * qsrc.c - the first pass over a search string: repair, normalise characters, find the
 * lines of a numbered strategy and blank out copy-paste debris (see qsrc.h).
 *
 * Every byte of the normalised text keeps the line and column (in characters) it came
 * from, so findings point at what the user typed even after a curly quote (3 bytes)
 * became a straight one (1 byte). Debris is replaced by spaces rather than cut out, for
 * the same reason.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/utf8.h"
#include "qsrc.h"

void wn_qsrc_release(struct wn_qsrc *s)
{
	wn_free(s->s);
	wn_free(s->line);
	wn_free(s->col);
	wn_free(s->lines);
	memset(s, 0, sizeof(*s));
}

static int push(struct wn_qsrc *s, char c, unsigned line, unsigned col)
{
	s->s[s->n] = c;
	s->line[s->n] = line;
	s->col[s->n] = col;
	s->n++;
	return 0;
}

/* Map one code point to its ASCII stand-in: returns the byte, 0 to drop it, or -1 to
 * keep the code point as is. Sets *curly for typographic quotes. */
static int map_cp(int32_t cp, int *curly, int *odd)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x00B4:
		*curly = 1;
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB:
	case 0x00BB: case 0xFF02:
		*curly = 1;
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
		return '-';
	case 0x00A0: case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004:
	case 0x2005: case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200A:
	case 0x202F: case 0x205F: case 0x3000: case 0x0085: case 0x2028: case 0x2029:
		return ' ';
	case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
		return 0;
	case 0xFF08:
		return '(';
	case 0xFF09:
		return ')';
	default:
		break;
	}
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
		if (cp != '\n' && cp != '\t')
			*odd = 1;
		return cp == '\n' ? '\n' : ' ';
	}
	return -1;
}

int wn_qsrc_init(struct wn_qsrc *s, const char *text, size_t n, struct wn_qdiags *diags,
		 struct wn_err *err)
{
	struct wn_buf b;
	long repaired;
	size_t i;
	unsigned line = 1, col = 1;
	int curly_reported = 0, odd_reported = 0;

	memset(s, 0, sizeof(*s));
	wn_buf_init(&b, 0);
	repaired = wn_utf8_repair(&b, text, n, err);
	if (repaired < 0) {
		wn_buf_release(&b);
		return -1;
	}
	if (repaired > 0 &&
	    wn_qdiags_add(diags, WN_QSEV_WARNING, "Q116", 0, 0,
			  "%ld byte%s of invalid UTF-8 read as Windows-1252 (save the query as UTF-8)",
			  repaired, repaired == 1 ? "" : "s") < 0)
		goto oom;
	s->s = wn_malloc(b.len + 1);
	s->line = wn_calloc(b.len + 1, sizeof(unsigned));
	s->col = wn_calloc(b.len + 1, sizeof(unsigned));
	if (!s->s || !s->line || !s->col)
		goto oom;
	for (i = 0; i < b.len;) {
		size_t adv;
		int32_t cp = wn_utf8_decode(b.data + i, b.len - i, &adv);
		int curly = 0, odd = 0, m;

		if (cp == '\r') {
			if (i + 1 < b.len && b.data[i + 1] == '\n') {
				i++;
				continue;
			}
			cp = '\n';
		}
		m = cp < 0 ? ' ' : map_cp(cp, &curly, &odd);
		if (curly && !curly_reported) {
			curly_reported = 1;
			if (wn_qdiags_add(diags, WN_QSEV_WARNING, "Q101", line, col,
					  "typographic quote read as a straight one; databases need \" or '") < 0)
				goto oom;
		}
		if (odd && !odd_reported) {
			odd_reported = 1;
			if (wn_qdiags_add(diags, WN_QSEV_WARNING, "Q116", line, col,
					  "control character in the query read as a space") < 0)
				goto oom;
		}
		if (m == -1) {
			size_t k;
			for (k = 0; k < adv; k++)
				push(s, b.data[i + k], line, col);
		} else if (m > 0) {
			push(s, (char)m, line, col);
		}
		i += adv;
		if (cp == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	s->s[s->n] = '\0';
	s->line[s->n] = line;
	s->col[s->n] = col;
	wn_buf_release(&b);
	return 0;
oom:
	wn_buf_release(&b);
	wn_qsrc_release(s);
	return wn_err_set(err, WN_ENOMEM, "out of memory");
}

void wn_qsrc_blank(struct wn_qsrc *s, size_t from, size_t to)
{
	for (; from < to && from < s->n; from++)
		if (s->s[from] != '\n')
			s->s[from] = ' ';
}

/* A line label: "1.", "1)", "1 ", "#1", "S1", "s1" followed by a space. Returns the
 * label length (0 if none) and the number. `marked`: the label has a '#', 'S', '.' or
 * ')' (so a single line "3 cases" is not read as labelled). */
static size_t label_at(const char *p, size_t n, unsigned *num, int *marked)
{
	size_t i = 0, d0;
	unsigned v = 0;

	*marked = 0;
	if (i < n && (p[i] == '#' || p[i] == 'S' || p[i] == 's')) {
		*marked = 1;
		i++;
	}
	d0 = i;
	while (i < n && wn_isdigit((unsigned char)p[i]) && i - d0 < 5)
		v = v * 10 + (unsigned)(p[i++] - '0');
	if (i == d0 || (i < n && wn_isdigit((unsigned char)p[i])))
		return 0;
	if (i < n && (p[i] == '.' || p[i] == ')')) {
		*marked = 1;
		i++;
	}
	if (i < n && p[i] != ' ' && p[i] != '\t')
		return 0;
	*num = v;
	return i;
}

static int add_line(struct wn_qsrc *s, size_t start, size_t end, unsigned num)
{
	if (s->nlines == s->linecap) {
		size_t cap = s->linecap ? s->linecap * 2 : 16;
		struct wn_qsrc_line *v = wn_reallocarray(s->lines, cap, sizeof(*v));
		if (!v)
			return -1;
		s->lines = v;
		s->linecap = cap;
	}
	s->lines[s->nlines].start = start;
	s->lines[s->nlines].end = end;
	s->lines[s->nlines].number = num;
	s->nlines++;
	return 0;
}

/* Case-insensitive match of a literal at p. */
static int lit_at(const char *p, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; lit[i]; i++)
		if (i >= n || wn_tolower((unsigned char)p[i]) != lit[i])
			return 0;
	return 1;
}

/* Blank "[mp=...]" glosses (and, in Ovid, any bracketed gloss such as
 * "Lasers/du [Diagnostic Use]": Ovid has no bracket syntax). */
static int blank_glosses(struct wn_qsrc *s, enum wn_qdialect d, struct wn_qdiags *diags)
{
	size_t i, j;

	int inq = 0;

	for (i = 0; i < s->n; i++) {
		if (s->s[i] == '"')
			inq = !inq;
		if (s->s[i] == '\n')
			inq = 0;
		if (s->s[i] != '[' || inq)
			continue;
		if (!lit_at(s->s + i + 1, s->n - i - 1, "mp=") && d != WN_QD_OVID)
			continue;
		for (j = i + 1; j < s->n && s->s[j] != ']' && s->s[j] != '\n'; j++)
			;
		if (j >= s->n || s->s[j] != ']')
			continue;
		if (wn_qdiags_add(diags, WN_QSEV_WARNING, "Q108", s->line[i], s->col[i],
				  "copy-paste gloss '%.*s' ignored (it is not part of the search)",
				  (int)(j - i + 1 > 60 ? 60 : j - i + 1), s->s + i) < 0)
			return -1;
		wn_qsrc_blank(s, i, j + 1);
		i = j;
	}
	return 0;
}

int wn_qsrc_lines(struct wn_qsrc *s, enum wn_qdialect d, struct wn_qdiags *diags,
		  struct wn_err *err)
{
	size_t i, start, nonempty = 0, labelled = 0, marked = 0;
	unsigned last = 0;
	int increasing = 1;
	struct { size_t start, end, lab; unsigned num; } *ls = NULL;
	size_t nls = 0, lcap = 0;

	if (blank_glosses(s, d, diags) < 0)
		goto oom;
	/* collect non-empty lines with their label, if any */
	for (start = 0; start <= s->n; start = i + 1) {
		size_t a, b, lab;
		unsigned num = 0;
		int mk = 0;
		for (i = start; i < s->n && s->s[i] != '\n'; i++)
			;
		a = start;
		b = i;
		while (a < b && wn_isspace((unsigned char)s->s[a]))
			a++;
		while (b > a && wn_isspace((unsigned char)s->s[b - 1]))
			b--;
		if (a == b)
			continue;
		lab = label_at(s->s + a, b - a, &num, &mk);
		if (nls == lcap) {
			size_t cap = lcap ? lcap * 2 : 16;
			void *v = wn_reallocarray(ls, cap, sizeof(*ls));
			if (!v)
				goto oom;
			ls = v;
			lcap = cap;
		}
		ls[nls].start = a;
		ls[nls].end = b;
		ls[nls].lab = lab;
		ls[nls].num = num;
		nls++;
		nonempty++;
		if (lab && lab < b - a) {
			labelled++;
			if (mk)
				marked++;
			if (num <= last)
				increasing = 0;
			last = num;
		}
	}
	s->numbered = nonempty > 0 && labelled == nonempty && increasing &&
		      (nonempty > 1 || marked == 1);
	if (!s->numbered && d == WN_QD_OVID && nonempty > 1)
		s->numbered = 2; /* Ovid: one search per line, numbered by position */
	if (!s->numbered) {
		/* "Search: ..." copied from PubMed's history */
		if (nls && lit_at(s->s + ls[0].start, ls[0].end - ls[0].start, "search") &&
		    ls[0].end - ls[0].start > 7 && s->s[ls[0].start + 6] == ':') {
			if (wn_qdiags_add(diags, WN_QSEV_WARNING, "Q106", s->line[ls[0].start],
					  s->col[ls[0].start],
					  "copy-paste debris 'Search:' at the start ignored") < 0)
				goto oom;
			wn_qsrc_blank(s, ls[0].start, ls[0].start + 7);
		}
		if (add_line(s, 0, s->n, 0) < 0)
			goto oom;
		wn_free(ls);
		return 0;
	}
	for (i = 0; i < nls; i++) {
		size_t a = ls[i].start + (s->numbered == 1 ? ls[i].lab : 0), b = ls[i].end;
		unsigned num = s->numbered == 1 ? ls[i].num : (unsigned)(i + 1);

		while (a < b && wn_isspace((unsigned char)s->s[a]))
			a++;
		/* "Search: ..." / "Search ..." (PubMed history, EBSCO) */
		if (lit_at(s->s + a, b - a, "search") && b - a > 6 &&
		    (s->s[a + 6] == ' ' || s->s[a + 6] == ':')) {
			if (wn_qdiags_add(diags, WN_QSEV_WARNING, "Q106", s->line[a], s->col[a],
					  "copy-paste debris 'Search' at the start of line %u ignored", num) < 0)
				goto oom;
			wn_qsrc_blank(s, a, a + 7);
			a += 7;
		}
		/* a hit count at the end: "(1234)" or "(1,234)" */
		if (b > a && s->s[b - 1] == ')') {
			size_t k = b - 1;
			while (k > a && (wn_isdigit((unsigned char)s->s[k - 1]) || s->s[k - 1] == ','))
				k--;
			if (k > a && s->s[k - 1] == '(' && k < b - 1 && k - 1 > a &&
			    wn_isspace((unsigned char)s->s[k - 2])) {
				if (wn_qdiags_add(diags, WN_QSEV_WARNING, "Q107", s->line[k - 1],
						  s->col[k - 1],
						  "hit count '%.*s' at the end of line %u ignored",
						  (int)(b - k + 1), s->s + k - 1, num) < 0)
					goto oom;
				wn_qsrc_blank(s, k - 1, b);
				b = k - 1;
			}
		}
		if (add_line(s, a, b, num) < 0)
			goto oom;
	}
	wn_free(ls);
	return 0;
oom:
	wn_free(ls);
	return wn_err_set(err, WN_ENOMEM, "out of memory");
}

/*
 * pubmed_xml_split.c - cut a PubMed XML byte stream into records (see pubmed_xml.h).
 *
 * The splitter knows just enough XML to find element boundaries safely: comments,
 * CDATA sections, processing instructions and the DOCTYPE (with its internal subset)
 * are stepped over whole, so a "<PubmedArticle>" inside any of them is not mistaken
 * for a record. Everything else is left to libxml2, record by record.
 *
 * Record elements are PubmedArticle, PubmedBookArticle and, outside of those, a
 * MedlineCitation (the old MedlineCitationSet files and bare MedlineCitation
 * documents); DeleteCitation is returned as its own chunk. A record whose end tag never
 * comes (the next record starts first, or the file ends) is returned as PX_BROKEN so
 * the caller can report it; scanning goes on with the next record.
 *
 * Memory: the buffer holds the record being cut plus one read (1 MiB); a record longer
 * than rec_max is reported and dropped as it streams past, so the buffer never grows
 * beyond rec_max + 1 MiB whatever the input.
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "pubmed_xml.h"

#define READ_SIZE ((size_t)1 << 20)
#define TAIL_KEEP 64 /* bytes kept when dropping an oversize record (a split tag) */

enum rec_name { RN_NONE, RN_ARTICLE, RN_BOOK, RN_CITATION, RN_DELETE };

static const struct {
	const char *name;
	size_t len;
} rec_names[] = {
	{ NULL, 0 },
	{ "PubmedArticle", 13 },
	{ "PubmedBookArticle", 17 },
	{ "MedlineCitation", 15 },
	{ "DeleteCitation", 14 },
};

const void *px_memmem(const void *hay, size_t n, const char *needle, size_t k)
{
	const char *p = hay, *e = p + n;

	if (k == 0)
		return hay;
	while (n >= k && (p = memchr(p, needle[0], (size_t)(e - p) - k + 1)) != NULL) {
		if (memcmp(p, needle, k) == 0)
			return p;
		p++;
		if ((size_t)(e - p) < k)
			break;
	}
	return NULL;
}

int px_split_init(struct px_split *s, struct wn_input *in, size_t rec_max, struct wn_err *err)
{
	memset(s, 0, sizeof(*s));
	s->in = in;
	s->rec_max = rec_max ? rec_max : PX_REC_MAX;
	s->line = 1;
	s->cap = READ_SIZE + 1;
	s->buf = wn_malloc(s->cap);
	if (!s->buf)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	s->buf[0] = '\0';
	return 0;
}

void px_split_release(struct px_split *s)
{
	wn_free(s->buf);
	s->buf = NULL;
}

static void count_lines(struct px_split *s, size_t upto)
{
	const char *p = s->buf + s->lpos, *e = s->buf + upto;
	unsigned long n = 0;

	if (upto <= s->lpos)
		return;
	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		n++;
		p++;
	}
	s->line += n;
	s->lpos = upto;
}

/* Drop buf[0..keep_from) and read more. Returns 1 if bytes were added, 0 at EOF (or
 * after a read error, which is remembered), -1 on allocation failure. */
static int more(struct px_split *s, size_t keep_from, struct wn_err *err)
{
	ssize_t r;

	if (s->eof)
		return 0;
	if (keep_from > 0) {
		count_lines(s, keep_from);
		memmove(s->buf, s->buf + keep_from, s->len - keep_from);
		s->len -= keep_from;
		s->pos = s->pos > keep_from ? s->pos - keep_from : 0;
		s->lpos -= keep_from;
		s->buf[s->len] = '\0';
	}
	if (s->cap - s->len < READ_SIZE / 4) {
		size_t ncap = s->cap * 2;
		char *nb;
		if (ncap > s->rec_max + READ_SIZE + 1)
			ncap = s->rec_max + READ_SIZE + 1;
		if (ncap <= s->cap)
			/* only markup outside records can get here (records have their own
			 * limit): a comment, CDATA section or DOCTYPE of this size is not PubMed's */
			return wn_err_set(err, WN_ELIMIT,
					  "'%s' line %lu: a comment, CDATA section or DOCTYPE longer than %zu bytes",
					  wn_input_name(s->in), s->line, s->rec_max);
		nb = wn_realloc(s->buf, ncap);
		if (!nb)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		s->buf = nb;
		s->cap = ncap;
	}
	r = wn_input_read(s->in, s->buf + s->len, s->cap - s->len - 1, &s->read_err);
	if (r < 0) {
		s->read_failed = 1;
		s->eof = 1;
		return 0;
	}
	if (r == 0) {
		s->eof = 1;
		return 0;
	}
	s->len += (size_t)r;
	s->buf[s->len] = '\0';
	return 1;
}

static int is_name_end(char c)
{
	return c == '>' || c == '/' || wn_isspace((unsigned char)c);
}

/* Which record name starts at p (just after '<' or '</'), given avail bytes. */
static enum rec_name match_name(const char *p, size_t avail)
{
	int k;

	if (avail < 14 || (p[0] != 'P' && p[0] != 'M' && p[0] != 'D'))
		return RN_NONE;
	for (k = RN_ARTICLE; k <= RN_DELETE; k++) {
		size_t l = rec_names[k].len;
		if (avail > l && memcmp(p, rec_names[k].name, l) == 0 && is_name_end(p[l]))
			return (enum rec_name)k;
	}
	return RN_NONE;
}

static const char *find(const char *p, const char *end, const char *needle, size_t nl)
{
	if (end - p < (ptrdiff_t)nl)
		return NULL;
	return px_memmem(p, (size_t)(end - p), needle, nl);
}

/* Position after the markup starting at buf[i] == '<' when it is a comment, CDATA,
 * PI or declaration; i itself if it is an ordinary tag; 0 when more bytes are needed. */
static size_t skip_special(struct px_split *s, size_t i)
{
	const char *p = s->buf + i, *end = s->buf + s->len, *q;

	if (end - p < 12 && !s->eof)
		return 0;
	if (end - p < 2)
		return i;
	if (p[1] == '?') {
		q = find(p + 2, end, "?>", 2);
		return q ? (size_t)(q + 2 - s->buf) : (s->eof ? s->len : 0);
	}
	if (p[1] != '!')
		return i;
	if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
		q = find(p + 4, end, "-->", 3);
		return q ? (size_t)(q + 3 - s->buf) : (s->eof ? s->len : 0);
	}
	if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
		q = find(p + 9, end, "]]>", 3);
		return q ? (size_t)(q + 3 - s->buf) : (s->eof ? s->len : 0);
	}
	/* <!DOCTYPE ... [ internal subset ] > */
	for (q = p + 2; q < end; q++) {
		if (*q == '>')
			return (size_t)(q + 1 - s->buf);
		if (*q == '[') {
			const char *r = find(q, end, "]", 1);
			while (r) {
				const char *t = r + 1;
				while (t < end && wn_isspace((unsigned char)*t))
					t++;
				if (t < end && *t == '>')
					return (size_t)(t + 1 - s->buf);
				if (t >= end)
					break;
				r = find(t, end, "]", 1);
			}
			return s->eof ? s->len : 0;
		}
	}
	return s->eof ? s->len : 0;
}

/* Remember the encoding named by an XML declaration at buf[i..j). */
static void note_declaration(struct px_split *s, size_t i, size_t j)
{
	const char *p = s->buf + i, *e = s->buf + j, *q;
	size_t n;

	if (e - p < 6 || memcmp(p, "<?xml", 5) != 0 || !wn_isspace((unsigned char)p[5]))
		return;
	q = find(p, e, "encoding", 8);
	if (!q)
		return;
	q += 8;
	while (q < e && (wn_isspace((unsigned char)*q) || *q == '='))
		q++;
	if (q >= e || (*q != '"' && *q != '\''))
		return;
	p = ++q;
	while (q < e && *q != '"' && *q != '\'')
		q++;
	n = (size_t)(q - p);
	if (n == 0 || n >= sizeof(s->encoding))
		return;
	memcpy(s->encoding, p, n);
	s->encoding[n] = '\0';
}

/* Find the end of the record whose start tag begins at buf[r] (name rn). On return 1,
 * *end is one past its end tag; 2: broken at *end (another record starts there, or the
 * input ended); 3: oversize (dropped; scanning resumes after it); -1 error. */
static int find_end(struct px_split *s, size_t r, enum rec_name rn, size_t *end,
		    struct wn_err *err)
{
	const char *name = rec_names[rn].name;
	size_t nl = rec_names[rn].len;
	size_t i = r + 1 + nl;
	int oversize = 0;

	/* the start tag itself: self-closing? */
	for (;;) {
		char *gt = memchr(s->buf + i, '>', s->len - i);
		if (gt) {
			if (gt > s->buf + i && gt[-1] == '/') {
				*end = (size_t)(gt + 1 - s->buf);
				return 1;
			}
			i = (size_t)(gt + 1 - s->buf);
			break;
		}
		i = s->len;
		if (s->len - r > s->rec_max)
			break; /* the oversize logic below handles it */
		{
			size_t off = i - r;
			int m = more(s, r, err);
			if (m < 0)
				return -1;
			r = 0;
			i = off;
			if (m == 0) {
				*end = s->len;
				return 2;
			}
		}
	}
	for (;;) {
		char *lt = memchr(s->buf + i, '<', s->len - i);
		size_t avail;

		if (!lt) {
			i = s->len;
			goto need_more;
		}
		i = (size_t)(lt - s->buf);
		avail = s->len - i;
		if (avail < nl + 3 && !s->eof)
			goto need_more;
		if (lt[1] == '/') {
			if (avail >= nl + 3 && lt[2] == name[0] && memcmp(lt + 2, name, nl) == 0 &&
			    is_name_end(lt[2 + nl])) {
				char *gt = memchr(lt + 2 + nl, '>', s->len - (i + 2 + nl));
				if (!gt)
					goto need_more;
				*end = (size_t)(gt + 1 - s->buf);
				return oversize || *end - r > s->rec_max ? 3 : 1;
			}
			i++;
			continue;
		}
		if ((lt[1] == '!' || lt[1] == '?') && !oversize) {
			/* (an oversize record is only being skipped: no need to be careful) */
			size_t j = skip_special(s, i);
			if (j == 0)
				goto need_more;
			i = j > i ? j : i + 1;
			continue;
		}
		{
			enum rec_name other = match_name(lt + 1, avail - 1);
			if (other == RN_NONE && avail < 20 && !s->eof)
				goto need_more;
			if (other != RN_NONE &&
			    !(rn == RN_ARTICLE && other == RN_CITATION)) {
				*end = i;
				return oversize ? 3 : 2;
			}
		}
		i++;
		continue;
need_more:
		if (s->eof) {
			/* the input ended inside the record */
			*end = s->len;
			return oversize ? 3 : 2;
		}
		if (!oversize && (i - r > s->rec_max || s->len - r > s->rec_max)) {
			oversize = 1;
			s->skipped_bytes = 0;
		}
		if (oversize) {
			/* drop what was scanned, keeping a tail that may hold a split tag */
			size_t keep = s->len > TAIL_KEEP ? s->len - TAIL_KEEP : 0;
			int m;
			if (keep < r)
				keep = r;
			if (i < keep)
				keep = i;
			s->skipped_bytes += keep - r;
			r = keep;
			{
				size_t off = i - keep;
				m = more(s, keep, err);
				r = 0;
				i = off;
			}
			if (m < 0)
				return -1;
			continue;
		}
		{
			size_t off = i - r;
			int m = more(s, r, err);
			if (m < 0)
				return -1;
			r = 0;
			i = off;
			/* at the end of input, look once more at what is left (with eof set) */
		}
	}
}

int px_split_next(struct px_split *s, struct px_chunk *c, struct wn_err *err)
{
	for (;;) {
		char *lt;
		size_t i, avail, end;
		enum rec_name rn;
		int rc;

		lt = s->pos < s->len ? memchr(s->buf + s->pos, '<', s->len - s->pos) : NULL;
		if (!lt) {
			int m = more(s, s->len, err);
			if (m < 0)
				return -1;
			if (m == 0)
				return 0;
			continue;
		}
		i = (size_t)(lt - s->buf);
		s->pos = i;
		avail = s->len - i;
		if (avail < 24 && !s->eof) {
			int m = more(s, i, err);
			if (m < 0)
				return -1;
			continue;
		}
		if (lt[1] == '!' || lt[1] == '?') {
			size_t j = skip_special(s, i);
			if (j == 0) {
				if (more(s, i, err) < 0)
					return -1;
				continue;
			}
			if (!s->started && lt[1] == '?')
				note_declaration(s, i, j);
			s->started = 1;
			s->pos = j > i ? j : i + 1;
			continue;
		}
		s->started = 1;
		if (lt[1] == '/') {
			rn = match_name(lt + 2, avail - 2);
			if (rn != RN_NONE) {
				char *gt = memchr(lt, '>', avail);
				count_lines(s, i);
				c->kind = PX_BROKEN;
				c->p = lt;
				c->n = gt ? (size_t)(gt + 1 - lt) : avail;
				c->line = s->line;
				c->why = "an end tag without its start tag (a damaged record)";
				s->pos = i + c->n;
				return 1;
			}
			s->pos = i + 1;
			continue;
		}
		rn = match_name(lt + 1, avail - 1);
		if (rn == RN_NONE) {
			s->pos = i + 1;
			continue;
		}
		/* a record starts at i */
		count_lines(s, i);
		{
			unsigned long line = s->line;
			size_t start;
			/* find_end may move the buffer: remember the start as an offset from lpos,
			 * which more() keeps in step */
			size_t rel = i - s->lpos;
			rc = find_end(s, i, rn, &end, err);
			if (rc < 0)
				return -1;
			start = s->lpos + rel;
			if (rc == 3) {
				c->kind = PX_OVERSIZE;
				c->p = NULL;
				c->n = 0;
				c->line = line;
				c->why = "the record is longer than the limit";
				/* line counts of dropped bytes were taken by more() */
				s->pos = end;
				return 1;
			}
			c->kind = rc == 2 ? PX_BROKEN : (rn == RN_DELETE ? PX_DELETE : PX_RECORD);
			c->p = s->buf + start;
			c->n = end - start;
			c->line = line;
			c->why = rc == 2 ? (s->read_failed ? "the file ends inside the record (it could not be read further)"
					    : end >= s->len ? "the file ends inside the record (truncated)"
					    : "the record's end tag is missing (the next record starts first)")
				 : NULL;
			s->pos = end;
			return 1;
		}
	}
}

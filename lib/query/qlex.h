/*
 * qlex.h - private to lib/query: tokens of one line (or the whole expression) of a
 * search string, per dialect.
 */
#ifndef WINNOW_QLEX_H
#define WINNOW_QLEX_H

#include "qsrc.h"

enum wn_qtok {
	QT_END = 0,
	QT_LP,       /* ( */
	QT_RP,       /* ) */
	QT_WORD,     /* a bare word (raw text in off/len) */
	QT_QUOTED,   /* "a phrase" (text between the quotes) */
	QT_EXACT,    /* {exact phrase} (Scopus) */
	QT_AND, QT_OR, QT_NOT, QT_ANDNOT,
	QT_NEAR,     /* dist (normalised: at most dist words between), ordered */
	QT_SAME,     /* WoS SAME */
	QT_TAG,      /* [tiab] - text inside the brackets */
	QT_SUFFIX,   /* Ovid .ti,ab. - the codes */
	QT_HEADING,  /* Ovid "/" after a heading, with qualifiers in off/len ("dt,th"), maybe empty */
	QT_EXP,      /* Ovid exp */
	QT_MAJOR,    /* Ovid * before a heading */
	QT_PREFIX,   /* field prefix: TITLE-ABS-KEY( / TS= / TI (code in off/len) */
	QT_REF,      /* line reference: #3, S3, Ovid 3 (num) */
	QT_COMBINE,  /* Ovid or/1-5, and/1,3 (op in `op`, list in off/len after the slash) */
	QT_COLON,    /* PubMed range colon between two dates */
	QT_PUBYEAR,  /* Scopus PUBYEAR > 2000 (cmp in `op`, year in num) */
	QT_BAD       /* an unusable character (reported) */
};

struct wn_qtoken {
	enum wn_qtok type;
	size_t off, len;     /* raw text in the normalised source */
	unsigned line, col;
	unsigned dist;       /* QT_NEAR */
	int ordered;         /* QT_NEAR */
	unsigned num;        /* QT_REF, QT_PUBYEAR */
	int op;              /* QT_COMBINE: QT_AND/QT_OR; QT_PUBYEAR: '<', '>', '=' */
	int lower;           /* an operator written in lower case */
	int glued;           /* no space between this token and the previous one */
};

struct wn_qtokens {
	struct wn_qtoken *v;
	size_t n, cap;
};

/* Tokenise src->s[start..end). Lexical errors (unbalanced quote, bracket) are added to
 * diags as errors; the tokens stop there. -1 only on allocation failure. */
int wn_qlex(struct wn_qtokens *t, const struct wn_qsrc *src, size_t start, size_t end,
	    enum wn_qdialect d, struct wn_qdiags *diags, struct wn_err *err);
void wn_qtokens_release(struct wn_qtokens *t);

#endif

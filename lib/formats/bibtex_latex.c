/*
 * bibtex_latex.c - LaTeX markup in BibTeX values to plain UTF-8 (see bibtex.h).
 *
 * A table-driven reader, not a TeX engine: it knows the accent commands, the named
 * letters and symbols that occur in bibliographic data, and the formatting commands
 * whose argument is the text. Accents are written as the base letter followed by the
 * Unicode combining mark and the result is NFC-composed with utf8proc, so {\"o},
 * \"{o} and \" o all become U+00F6, and an accent on a letter with no precomposed form
 * still survives as letter + mark.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/utf8.h"
#include "bibtex.h"

struct named {
	const char *name;
	const char *utf8;
};

/* Control symbols and words that stand for a character. */
static const struct named letters[] = {
	{ "ss", "\xc3\x9f" }, { "SS", "SS" }, { "o", "\xc3\xb8" }, { "O", "\xc3\x98" },
	{ "ae", "\xc3\xa6" }, { "AE", "\xc3\x86" }, { "oe", "\xc5\x93" }, { "OE", "\xc5\x92" },
	{ "aa", "\xc3\xa5" }, { "AA", "\xc3\x85" }, { "l", "\xc5\x82" }, { "L", "\xc5\x81" },
	{ "i", "\xc4\xb1" }, { "j", "\xc8\xb7" }, { "dh", "\xc3\xb0" }, { "DH", "\xc3\x90" },
	{ "th", "\xc3\xbe" }, { "TH", "\xc3\x9e" }, { "ng", "\xc5\x8b" }, { "NG", "\xc5\x8a" },
	{ "dj", "\xc4\x91" }, { "DJ", "\xc4\x90" },
	{ "textendash", "\xe2\x80\x93" }, { "textemdash", "\xe2\x80\x94" },
	{ "textquoteleft", "\xe2\x80\x98" }, { "textquoteright", "\xe2\x80\x99" },
	{ "textquotedblleft", "\xe2\x80\x9c" }, { "textquotedblright", "\xe2\x80\x9d" },
	{ "quotedblbase", "\xe2\x80\x9e" }, { "guillemotleft", "\xc2\xab" },
	{ "guillemotright", "\xc2\xbb" }, { "guillemetleft", "\xc2\xab" },
	{ "guillemetright", "\xc2\xbb" }, { "textquotesingle", "'" },
	{ "textexclamdown", "\xc2\xa1" }, { "textquestiondown", "\xc2\xbf" },
	{ "S", "\xc2\xa7" }, { "P", "\xc2\xb6" }, { "copyright", "\xc2\xa9" },
	{ "textcopyright", "\xc2\xa9" }, { "textregistered", "\xc2\xae" },
	{ "texttrademark", "\xe2\x84\xa2" }, { "dag", "\xe2\x80\xa0" }, { "ddag", "\xe2\x80\xa1" },
	{ "pounds", "\xc2\xa3" }, { "textsterling", "\xc2\xa3" }, { "euro", "\xe2\x82\xac" },
	{ "texteuro", "\xe2\x82\xac" }, { "textdegree", "\xc2\xb0" }, { "degree", "\xc2\xb0" },
	{ "textmu", "\xc2\xb5" }, { "textbullet", "\xe2\x80\xa2" },
	{ "textperiodcentered", "\xc2\xb7" }, { "ldots", "\xe2\x80\xa6" }, { "dots", "\xe2\x80\xa6" },
	{ "textellipsis", "\xe2\x80\xa6" }, { "textbackslash", "\\" }, { "textasciitilde", "~" },
	{ "textasciicircum", "^" }, { "textless", "<" }, { "textgreater", ">" }, { "textbar", "|" },
	{ "textunderscore", "_" }, { "textdollar", "$" }, { "textpercent", "%" },
	{ "textampersand", "&" }, { "textbraceleft", "{" }, { "textbraceright", "}" },
	{ "times", "\xc3\x97" }, { "pm", "\xc2\xb1" }, { "mp", "\xe2\x88\x93" },
	{ "cdot", "\xc2\xb7" }, { "le", "\xe2\x89\xa4" }, { "leq", "\xe2\x89\xa4" },
	{ "ge", "\xe2\x89\xa5" }, { "geq", "\xe2\x89\xa5" }, { "neq", "\xe2\x89\xa0" },
	{ "ne", "\xe2\x89\xa0" }, { "approx", "\xe2\x89\x88" }, { "sim", "\xe2\x88\xbc" },
	{ "infty", "\xe2\x88\x9e" }, { "rightarrow", "\xe2\x86\x92" }, { "to", "\xe2\x86\x92" },
	{ "leftarrow", "\xe2\x86\x90" }, { "deg", "\xc2\xb0" }, { "circ", "\xe2\x88\x98" },
	{ "prime", "\xe2\x80\xb2" }, { "ell", "\xe2\x84\x93" }, { "partial", "\xe2\x88\x82" },
	{ "alpha", "\xce\xb1" }, { "beta", "\xce\xb2" }, { "gamma", "\xce\xb3" },
	{ "delta", "\xce\xb4" }, { "epsilon", "\xce\xb5" }, { "varepsilon", "\xce\xb5" },
	{ "zeta", "\xce\xb6" }, { "eta", "\xce\xb7" }, { "theta", "\xce\xb8" },
	{ "vartheta", "\xcf\x91" }, { "iota", "\xce\xb9" }, { "kappa", "\xce\xba" },
	{ "lambda", "\xce\xbb" }, { "mu", "\xce\xbc" }, { "nu", "\xce\xbd" }, { "xi", "\xce\xbe" },
	{ "pi", "\xcf\x80" }, { "rho", "\xcf\x81" }, { "sigma", "\xcf\x83" }, { "tau", "\xcf\x84" },
	{ "upsilon", "\xcf\x85" }, { "phi", "\xcf\x86" }, { "varphi", "\xcf\x95" },
	{ "chi", "\xcf\x87" }, { "psi", "\xcf\x88" }, { "omega", "\xcf\x89" },
	{ "Gamma", "\xce\x93" }, { "Delta", "\xce\x94" }, { "Theta", "\xce\x98" },
	{ "Lambda", "\xce\x9b" }, { "Xi", "\xce\x9e" }, { "Pi", "\xce\xa0" }, { "Sigma", "\xce\xa3" },
	{ "Upsilon", "\xce\xa5" }, { "Phi", "\xce\xa6" }, { "Psi", "\xce\xa8" },
	{ "Omega", "\xce\xa9" }, { "textalpha", "\xce\xb1" }, { "textbeta", "\xce\xb2" },
	{ "textgamma", "\xce\xb3" }, { "textmugreek", "\xce\xbc" },
	{ "nobreakspace", " " }, { "space", " " }, { "quad", " " }, { "qquad", " " },
	{ "newline", " " }, { "par", "\n" }, { "linebreak", " " }, { "hfill", " " },
	{ "LaTeX", "LaTeX" }, { "TeX", "TeX" }, { "BibTeX", "BibTeX" },
	{ NULL, NULL }
};

/* Commands whose arguments are simply the text (the command itself vanishes). */
static const char *const formatting[] = {
	"emph", "textit", "textbf", "textsc", "texttt", "textrm", "textsf", "textsl", "textup",
	"textmd", "textnormal", "mathrm", "mathit", "mathbf", "mathsf", "mathtt", "mathcal",
	"mathbb", "mathfrak", "boldsymbol", "bm", "text", "mbox", "hbox", "fbox", "url",
	"textsuperscript", "textsubscript", "ensuremath", "uppercase", "lowercase",
	"MakeUppercase", "MakeLowercase", "textnumero", "it", "bf", "sc", "em", "rm", "tt", "sf",
	"sl", "small", "footnotesize", "scriptsize", "tiny", "large", "Large", "normalsize",
	"upshape", "itshape", "bfseries", "mdseries", "scshape", "noopsort", "relax",
	"protect", "nocase", "NoCaseChange", "textcolor", "ding", "bibnamedelima",
	"bibnamedelimb", "bibnamedelimc", "bibnamedelimd", "bibnamedelimi", "allowbreak",
	NULL
};

/* Accent commands and the combining mark each stands for. */
static uint32_t accent_mark(const char *name, size_t n)
{
	static const struct { const char *name; uint32_t mark; } acc[] = {
		{ "\"", 0x0308 }, { "'", 0x0301 }, { "`", 0x0300 }, { "^", 0x0302 },
		{ "~", 0x0303 }, { "=", 0x0304 }, { ".", 0x0307 }, { "u", 0x0306 },
		{ "v", 0x030C }, { "H", 0x030B }, { "c", 0x0327 }, { "k", 0x0328 },
		{ "r", 0x030A }, { "d", 0x0323 }, { "b", 0x0331 }, { "t", 0x0361 },
		{ "G", 0x030F }, { "U", 0x030E }, { NULL, 0 }
	};
	size_t i;

	for (i = 0; acc[i].name; i++)
		if (strlen(acc[i].name) == n && memcmp(acc[i].name, name, n) == 0)
			return acc[i].mark;
	return 0;
}

static const char *lookup_letter(const char *name, size_t n)
{
	size_t i;

	for (i = 0; letters[i].name; i++)
		if (strlen(letters[i].name) == n && memcmp(letters[i].name, name, n) == 0)
			return letters[i].utf8;
	return NULL;
}

static int is_formatting(const char *name, size_t n)
{
	size_t i;

	for (i = 0; formatting[i]; i++)
		if (strlen(formatting[i]) == n && memcmp(formatting[i], name, n) == 0)
			return 1;
	return 0;
}

struct lx {
	const char *s;
	size_t n, i;
	struct wn_buf *out;
	int marks;     /* combining marks written: NFC needed */
	int math;
	unsigned flags;
};

static int put_cp(struct lx *x, uint32_t cp, struct wn_err *err)
{
	char enc[4];
	size_t k = wn_utf8_encode(cp, enc);

	return k ? wn_buf_add(x->out, enc, k, err) : 0;
}

static void skip_spaces(struct lx *x)
{
	while (x->i < x->n && (x->s[x->i] == ' ' || x->s[x->i] == '\t' || x->s[x->i] == '\n'))
		x->i++;
}

/* The argument of an accent: "{o}", "o", "{\i}", "\i". Writes the base letter(s). */
static int accent_arg(struct lx *x, struct wn_err *err)
{
	size_t end;
	int braced = 0;

	if (x->i < x->n && x->s[x->i] == '{') {
		braced = 1;
		x->i++;
	}
	if (x->i < x->n && x->s[x->i] == '\\') {
		/* \i, \j: dotless letters take the accent as plain i and j */
		size_t j = x->i + 1;
		while (j < x->n && wn_isalpha((unsigned char)x->s[j]))
			j++;
		if (j - x->i - 1 == 1 && (x->s[x->i + 1] == 'i' || x->s[x->i + 1] == 'j')) {
			if (wn_buf_addc(x->out, x->s[x->i + 1], err) < 0)
				return -1;
		} else {
			const char *l = lookup_letter(x->s + x->i + 1, j - x->i - 1);
			if (l && wn_buf_adds(x->out, l, err) < 0)
				return -1;
		}
		x->i = j;
		skip_spaces(x);
	} else if (x->i < x->n && x->s[x->i] != '}') {
		size_t adv;
		if (wn_utf8_decode(x->s + x->i, x->n - x->i, &adv) < 0)
			adv = 1;
		if (wn_buf_add(x->out, x->s + x->i, adv, err) < 0)
			return -1;
		x->i += adv;
	}
	if (braced) {
		/* "{oo}" is rare; keep the rest of the group as text */
		end = x->i;
		while (end < x->n && x->s[end] != '}')
			end++;
		if (end > x->i && wn_buf_add(x->out, x->s + x->i, end - x->i, err) < 0)
			return -1;
		x->i = end < x->n ? end + 1 : end;
	}
	return 0;
}

/* Skip one {...} group (the first argument of \href). */
static void skip_group(struct lx *x)
{
	int depth = 0;

	skip_spaces(x);
	if (x->i >= x->n || x->s[x->i] != '{')
		return;
	for (; x->i < x->n; x->i++) {
		if (x->s[x->i] == '\\' && x->i + 1 < x->n) {
			x->i++;
			continue;
		}
		if (x->s[x->i] == '{')
			depth++;
		else if (x->s[x->i] == '}' && --depth == 0) {
			x->i++;
			return;
		}
	}
}

static int command(struct lx *x, struct wn_err *err)
{
	const char *name;
	size_t nlen;
	uint32_t mark;
	const char *l;

	x->i++; /* the backslash */
	if (x->i >= x->n)
		return wn_buf_addc(x->out, '\\', err);
	name = x->s + x->i;
	if (!wn_isalpha((unsigned char)*name)) {
		char c = *name;
		x->i++;
		if (x->flags & WN_LATEX_VERBATIM)
			return strchr("_%&#${}~", c) ? wn_buf_addc(x->out, c, err)
				: (wn_buf_addc(x->out, '\\', err) < 0 ? -1 : wn_buf_addc(x->out, c, err));
		if ((mark = accent_mark(&c, 1)) != 0) {
			if (accent_arg(x, err) < 0 || put_cp(x, mark, err) < 0)
				return -1;
			x->marks = 1;
			return 0;
		}
		switch (c) {
		case '\\':
		case ' ':
		case ',':
		case ';':
		case ':':
			return wn_buf_addc(x->out, ' ', err);
		case '-':
		case '!':
		case '/':
		case '@':
			return 0;
		default:
			return wn_buf_addc(x->out, c, err); /* \& \% \$ \# \_ \{ \} */
		}
	}
	nlen = 0;
	while (x->i + nlen < x->n && wn_isalpha((unsigned char)x->s[x->i + nlen]))
		nlen++;
	x->i += nlen;
	if (x->flags & WN_LATEX_VERBATIM) {
		if (wn_buf_addc(x->out, '\\', err) < 0)
			return -1;
		return wn_buf_add(x->out, name, nlen, err);
	}
	if (nlen == 1 && (mark = accent_mark(name, 1)) != 0) {
		skip_spaces(x);
		if (accent_arg(x, err) < 0 || put_cp(x, mark, err) < 0)
			return -1;
		x->marks = 1;
		return 0;
	}
	skip_spaces(x);
	if ((l = lookup_letter(name, nlen)) != NULL) {
		/* "\ss{}": the empty group only ends the command */
		if (x->i + 1 < x->n && x->s[x->i] == '{' && x->s[x->i + 1] == '}')
			x->i += 2;
		return wn_buf_adds(x->out, l, err);
	}
	if (nlen == 4 && memcmp(name, "href", 4) == 0) {
		skip_group(x);
		return 0;
	}
	if (is_formatting(name, nlen))
		return 0;
	/* unknown: keep its name rather than lose text */
	return wn_buf_add(x->out, name, nlen, err);
}

int wn_latex_to_utf8(struct wn_buf *out, const char *s, size_t n, unsigned flags,
		     struct wn_err *err)
{
	struct lx x;
	size_t start = out->len;

	memset(&x, 0, sizeof(x));
	x.s = s;
	x.n = n;
	x.out = out;
	x.flags = flags;
	while (x.i < n) {
		char c = s[x.i];
		if (c == '\\') {
			if (command(&x, err) < 0)
				return -1;
			continue;
		}
		if (c == '{' || c == '}') {
			x.i++;
			continue;
		}
		if (flags & WN_LATEX_VERBATIM) {
			if (wn_buf_addc(out, c, err) < 0)
				return -1;
			x.i++;
			continue;
		}
		if (c == '$') {
			x.math = !x.math;
			x.i++;
			continue;
		}
		if (x.math && (c == '^' || c == '_')) {
			x.i++;
			continue;
		}
		if (c == '~') {
			if (wn_buf_addc(out, ' ', err) < 0)
				return -1;
			x.i++;
			continue;
		}
		if (c == '-' && x.i + 1 < n && s[x.i + 1] == '-') {
			int three = x.i + 2 < n && s[x.i + 2] == '-';
			if (wn_buf_adds(out, three ? "\xe2\x80\x94" : "\xe2\x80\x93", err) < 0)
				return -1;
			x.i += three ? 3 : 2;
			continue;
		}
		if ((c == '`' || c == '\'') && x.i + 1 < n && s[x.i + 1] == c) {
			if (wn_buf_adds(out, c == '`' ? "\xe2\x80\x9c" : "\xe2\x80\x9d", err) < 0)
				return -1;
			x.i += 2;
			continue;
		}
		if (wn_buf_addc(out, c, err) < 0)
			return -1;
		x.i++;
	}
	if (x.marks) {
		/* compose letter + combining mark into the precomposed character */
		utf8proc_uint8_t *nfc = NULL;
		utf8proc_ssize_t len;

		if (wn_alloc_should_fail())
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		len = utf8proc_map((const utf8proc_uint8_t *)out->data + start,
				   (utf8proc_ssize_t)(out->len - start), &nfc,
				   UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		if (len >= 0) {
			wn_buf_truncate(out, start);
			if (wn_buf_add(out, nfc, (size_t)len, err) < 0) {
				free(nfc);
				return -1;
			}
		} else if (len == UTF8PROC_ERROR_NOMEM) {
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		/* invalid UTF-8 in the input: left as it is; the record builder repairs it */
		free(nfc);
	}
	return 0;
}

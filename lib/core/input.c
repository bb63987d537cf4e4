/*
 * input.c - files and stdin, plain or gzip, as bytes, text or lines (see input.h).
 *
 * Three layers, each pulling from the one below:
 *   raw     - bytes from the fd or memory block, in a 256 KiB buffer;
 *   content - raw bytes, or what zlib inflates from them when the first two bytes are the
 *             gzip magic (multi-member aware, capped by max_bytes); a small look-ahead
 *             buffer in front of it implements peek;
 *   text    - optional: drops a UTF-8 BOM, transcodes UTF-16 to UTF-8.
 * Reads that are large and find nothing buffered go straight to read(2) or inflate into
 * the caller's buffer, so the plain path costs one copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "winnow/alloc.h"
#include "winnow/hash.h"
#include "winnow/input.h"
#include "winnow/utf8.h"

#define RAW_CAP (256 * 1024)
#define PEEK_MAX (64 * 1024)

enum enc { ENC_UNDECIDED, ENC_UTF8, ENC_UTF8_BOM, ENC_UTF16LE, ENC_UTF16BE };

struct wn_input {
	char *name;
	int fd, own_fd;
	const unsigned char *mem; /* memory source, or NULL */
	size_t memlen, mempos;
	int is_regular;
	off_t fsize;

	unsigned char *raw;
	size_t rawpos, rawend;
	int raw_eof;

	int gz_checked, is_gz, zs_live, gz_done;
	z_stream zs;
	uint64_t out_total, max_bytes;

	unsigned char *pk; /* look-ahead of content bytes */
	size_t pkpos, pkend;

	int text_mode;
	enum enc enc;
	unsigned char carry[4];
	size_t ncarry;
	struct wn_buf tbuf; /* transcoded text not yet returned */
	size_t tpos;

	struct wn_hasher raw_hash; /* over every byte read from the source */
	uint64_t raw_bytes;

	/* a read error met while filling the look-ahead: reported once the bytes before
	 * it have been consumed (so a truncated gzip still yields its good part) */
	int deferred;
	struct wn_err deferred_err;
};

static struct wn_input *alloc_input(const char *display, struct wn_err *err)
{
	struct wn_input *in = wn_calloc(1, sizeof(*in));

	if (!in)
		goto oom;
	in->name = wn_strdup(display);
	in->raw = wn_malloc(RAW_CAP);
	in->pk = wn_malloc(PEEK_MAX);
	if (!in->name || !in->raw || !in->pk) {
		wn_free(in->name);
		wn_free(in->raw);
		wn_free(in->pk);
		wn_free(in);
		goto oom;
	}
	in->fd = -1;
	in->fsize = -1;
	in->max_bytes = WN_INPUT_DEFAULT_MAX;
	wn_hasher_init(&in->raw_hash);
	wn_buf_init(&in->tbuf, 0);
	return in;
oom:
	wn_err_set(err, WN_ENOMEM, "out of memory");
	return NULL;
}

struct wn_input *wn_input_open(const char *path, const struct wn_input_opts *opts,
			       struct wn_err *err)
{
	const char *display = opts && opts->display ? opts->display
			      : (strcmp(path, "-") == 0 ? "<stdin>" : path);
	struct wn_input *in;
	struct stat st;

	in = alloc_input(display, err);
	if (!in)
		return NULL;
	if (opts && opts->max_bytes)
		in->max_bytes = opts->max_bytes;
	if (strcmp(path, "-") == 0) {
		in->fd = 0;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			wn_err_sys(err, errno, "cannot open '%s'", path);
			wn_input_close(in);
			return NULL;
		}
		in->own_fd = 1;
	}
	if (fstat(in->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			wn_err_set(err, WN_EIO, "'%s' is a directory", path);
			wn_input_close(in);
			return NULL;
		}
		if (S_ISREG(st.st_mode)) {
			in->is_regular = 1;
			in->fsize = st.st_size;
		}
	}
	return in;
}

struct wn_input *wn_input_from_memory(const void *p, size_t n, const char *display,
				      struct wn_err *err)
{
	struct wn_input *in = alloc_input(display ? display : "<memory>", err);

	if (!in)
		return NULL;
	in->mem = p;
	in->memlen = n;
	in->fsize = (off_t)n;
	in->is_regular = 1;
	return in;
}

int wn_input_close(struct wn_input *in)
{
	int rc = 0;

	if (!in)
		return 0;
	if (in->zs_live)
		inflateEnd(&in->zs);
	if (in->own_fd && close(in->fd) < 0)
		rc = -1;
	wn_buf_release(&in->tbuf);
	wn_free(in->name);
	wn_free(in->raw);
	wn_free(in->pk);
	wn_free(in);
	return rc;
}

const char *wn_input_name(const struct wn_input *in) { return in->name; }
int wn_input_is_regular(const struct wn_input *in) { return in->is_regular; }
off_t wn_input_file_size(const struct wn_input *in) { return in->is_regular ? in->fsize : -1; }
uint64_t wn_input_offset(const struct wn_input *in) { return in->out_total - (in->pkend - in->pkpos); }
uint64_t wn_input_raw_bytes(const struct wn_input *in) { return in->raw_bytes; }
uint64_t wn_input_raw_hash(const struct wn_input *in) { return wn_hasher_final(&in->raw_hash); }

/* ---- raw layer ---- */

/* Read from the source into dst; returns bytes, 0 at EOF, -1 on error. */
static ssize_t source_read(struct wn_input *in, void *dst, size_t n, struct wn_err *err)
{
	ssize_t r;

	if (in->mem) {
		size_t k = in->memlen - in->mempos;
		if (k > n)
			k = n;
		memcpy(dst, in->mem + in->mempos, k);
		in->mempos += k;
		wn_hasher_add(&in->raw_hash, dst, k);
		in->raw_bytes += k;
		return (ssize_t)k;
	}
	do {
		r = read(in->fd, dst, n);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return wn_err_sys(err, errno, "cannot read '%s'", in->name);
	wn_hasher_add(&in->raw_hash, dst, (size_t)r);
	in->raw_bytes += (uint64_t)r;
	return r;
}

/* Make sure raw has unread bytes (unless at EOF). -1 on error. */
static int fill_raw(struct wn_input *in, struct wn_err *err)
{
	ssize_t r;

	if (in->rawpos < in->rawend || in->raw_eof)
		return 0;
	r = source_read(in, in->raw, RAW_CAP, err);
	if (r < 0)
		return -1;
	in->rawpos = 0;
	in->rawend = (size_t)r;
	if (r == 0)
		in->raw_eof = 1;
	return 0;
}

static int check_gzip(struct wn_input *in, struct wn_err *err)
{
	if (in->gz_checked)
		return 0;
	/* gather at least two bytes for the magic */
	while (in->rawend - in->rawpos < 2 && !in->raw_eof) {
		ssize_t r;
		if (in->rawpos) {
			memmove(in->raw, in->raw + in->rawpos, in->rawend - in->rawpos);
			in->rawend -= in->rawpos;
			in->rawpos = 0;
		}
		r = source_read(in, in->raw + in->rawend, RAW_CAP - in->rawend, err);
		if (r < 0)
			return -1;
		if (r == 0)
			in->raw_eof = 1;
		in->rawend += (size_t)r;
	}
	in->gz_checked = 1;
	if (in->rawend - in->rawpos >= 2 && in->raw[in->rawpos] == 0x1f && in->raw[in->rawpos + 1] == 0x8b) {
		memset(&in->zs, 0, sizeof(in->zs));
		if (inflateInit2(&in->zs, 15 + 16) != Z_OK)
			return wn_err_set(err, WN_ENOMEM, "out of memory (zlib)");
		in->zs_live = 1;
		in->is_gz = 1;
	}
	return 0;
}

static int over_cap(struct wn_input *in, size_t more, struct wn_err *err)
{
	if (in->out_total + more > in->max_bytes)
		return wn_err_set(err, WN_ELIMIT,
				  "'%s': content exceeds the limit of %llu bytes (compressed data that expands this much is refused as a possible gzip bomb)",
				  in->name, (unsigned long long)in->max_bytes);
	return 0;
}

/* Inflate into dst. Returns bytes (0 at the end of the last member), -1 on error. */
static ssize_t inflate_some(struct wn_input *in, unsigned char *dst, size_t n, struct wn_err *err)
{
	for (;;) {
		int zr;
		size_t produced;

		if (in->gz_done)
			return 0;
		if (fill_raw(in, err) < 0)
			return -1;
		if (in->rawpos == in->rawend) {
			/* EOF of the source inside a member */
			return wn_err_set(err, WN_EFORMAT, "'%s': truncated gzip data (the file ends inside a compressed stream)", in->name);
		}
		in->zs.next_in = in->raw + in->rawpos;
		in->zs.avail_in = (uInt)(in->rawend - in->rawpos);
		in->zs.next_out = dst;
		in->zs.avail_out = (uInt)(n > (1u << 30) ? (1u << 30) : n);
		zr = inflate(&in->zs, Z_NO_FLUSH);
		in->rawpos = in->rawend - in->zs.avail_in;
		produced = (size_t)(in->zs.next_out - dst);
		if (zr == Z_STREAM_END) {
			/* another member may follow; trailing NUL padding is tolerated */
			if (fill_raw(in, err) < 0)
				return -1;
			while (in->rawpos < in->rawend || !in->raw_eof) {
				if (fill_raw(in, err) < 0)
					return -1;
				if (in->rawpos == in->rawend)
					break;
				if (in->raw[in->rawpos] == 0) {
					in->rawpos++;
					continue;
				}
				break;
			}
			if (in->rawpos == in->rawend) {
				in->gz_done = 1;
			} else if (in->raw[in->rawpos] == 0x1f) {
				inflateReset(&in->zs);
			} else {
				return wn_err_set(err, WN_EFORMAT, "'%s': unexpected data after the end of the gzip stream", in->name);
			}
		} else if (zr == Z_MEM_ERROR) {
			return wn_err_set(err, WN_ENOMEM, "out of memory (zlib)");
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			return wn_err_set(err, WN_EFORMAT, "'%s': corrupt gzip data (%s)", in->name,
					  in->zs.msg ? in->zs.msg : "inflate failed");
		}
		if (produced) {
			if (over_cap(in, produced, err) < 0)
				return -1;
			in->out_total += produced;
			return (ssize_t)produced;
		}
	}
}

/* Content bytes, bypassing the look-ahead buffer. */
static ssize_t content_read(struct wn_input *in, unsigned char *dst, size_t n, struct wn_err *err)
{
	ssize_t r;

	if (in->deferred) {
		if (err)
			*err = in->deferred_err;
		return -1;
	}

	if (check_gzip(in, err) < 0)
		return -1;
	if (in->is_gz)
		return inflate_some(in, dst, n, err);
	if (in->rawpos < in->rawend) {
		size_t k = in->rawend - in->rawpos;
		if (k > n)
			k = n;
		memcpy(dst, in->raw + in->rawpos, k);
		in->rawpos += k;
		r = (ssize_t)k;
	} else if (in->raw_eof) {
		return 0;
	} else if (n >= RAW_CAP / 2) {
		r = source_read(in, dst, n, err);
		if (r == 0)
			in->raw_eof = 1;
	} else {
		if (fill_raw(in, err) < 0)
			return -1;
		return content_read(in, dst, n, err);
	}
	if (r > 0) {
		if (over_cap(in, (size_t)r, err) < 0)
			return -1;
		in->out_total += (uint64_t)r;
	}
	return r;
}

int wn_input_is_gzip(struct wn_input *in)
{
	if (!in->gz_checked)
		check_gzip(in, NULL);
	return in->is_gz;
}

ssize_t wn_input_peek(struct wn_input *in, const unsigned char **p, size_t n, struct wn_err *err)
{
	if (n > PEEK_MAX)
		n = PEEK_MAX;
	if (in->pkpos && in->pkend - in->pkpos < n) {
		memmove(in->pk, in->pk + in->pkpos, in->pkend - in->pkpos);
		in->pkend -= in->pkpos;
		in->pkpos = 0;
	}
	while (in->pkend - in->pkpos < n) {
		struct wn_err e;
		ssize_t r = content_read(in, in->pk + in->pkend, PEEK_MAX - in->pkend, &e);
		if (r < 0) {
			if (in->pkend > in->pkpos) {
				/* give out what came before the error; reads report it after */
				in->deferred = 1;
				in->deferred_err = e;
				break;
			}
			if (err)
				*err = e;
			return -1;
		}
		if (r == 0)
			break;
		in->pkend += (size_t)r;
	}
	*p = in->pk + in->pkpos;
	return (ssize_t)(in->pkend - in->pkpos < n ? in->pkend - in->pkpos : n);
}

/* Content bytes including the look-ahead. */
static ssize_t bytes_read(struct wn_input *in, void *buf, size_t n, struct wn_err *err)
{
	if (in->pkpos < in->pkend) {
		size_t k = in->pkend - in->pkpos;
		if (k > n)
			k = n;
		memcpy(buf, in->pk + in->pkpos, k);
		in->pkpos += k;
		if (in->pkpos == in->pkend)
			in->pkpos = in->pkend = 0;
		return (ssize_t)k;
	}
	return content_read(in, buf, n, err);
}

/* ---- text layer ---- */

int wn_input_text_mode(struct wn_input *in, int on, struct wn_err *err)
{
	const unsigned char *p;
	ssize_t n;

	in->text_mode = on;
	if (!on || in->enc != ENC_UNDECIDED)
		return 0;
	n = wn_input_peek(in, &p, 4, err);
	if (n < 0)
		return -1;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		in->enc = ENC_UTF8_BOM;
		in->pkpos += 3;
	} else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
		in->enc = ENC_UTF16LE;
		in->pkpos += 2;
	} else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
		in->enc = ENC_UTF16BE;
		in->pkpos += 2;
	} else if (n >= 4 && p[0] && !p[1] && p[2] && !p[3]) {
		in->enc = ENC_UTF16LE; /* no BOM, but ASCII as UTF-16LE */
	} else if (n >= 4 && !p[0] && p[1] && !p[2] && p[3]) {
		in->enc = ENC_UTF16BE;
	} else {
		in->enc = ENC_UTF8;
	}
	return 0;
}

const char *wn_input_encoding(struct wn_input *in)
{
	switch (in->enc) {
	case ENC_UTF8_BOM: return "utf-8-bom";
	case ENC_UTF16LE: return "utf-16le";
	case ENC_UTF16BE: return "utf-16be";
	default: return "utf-8";
	}
}

static ssize_t utf16_read(struct wn_input *in, void *buf, size_t n, struct wn_err *err)
{
	unsigned char tmp[65536];

	while (in->tpos == in->tbuf.len) {
		ssize_t r;
		size_t have, use;

		wn_buf_reset(&in->tbuf);
		in->tpos = 0;
		memcpy(tmp, in->carry, in->ncarry);
		r = bytes_read(in, tmp + in->ncarry, sizeof(tmp) - in->ncarry, err);
		if (r < 0)
			return -1;
		have = in->ncarry + (size_t)r;
		in->ncarry = 0;
		if (r == 0) {
			if (!have)
				return 0;
			use = have; /* odd byte or lone surrogate at EOF: becomes U+FFFD */
		} else {
			use = have & ~(size_t)1;
			/* keep a trailing high surrogate for the next round */
			if (use >= 2) {
				unsigned u = in->enc == ENC_UTF16BE ? (unsigned)(tmp[use - 2] << 8 | tmp[use - 1])
								    : (unsigned)(tmp[use - 1] << 8 | tmp[use - 2]);
				if (u >= 0xD800 && u <= 0xDBFF)
					use -= 2;
			}
			in->ncarry = have - use;
			memcpy(in->carry, tmp + use, in->ncarry);
		}
		if (wn_utf16_to_utf8(&in->tbuf, tmp, use, in->enc == ENC_UTF16BE, NULL, err) < 0)
			return -1;
	}
	{
		size_t k = in->tbuf.len - in->tpos;
		if (k > n)
			k = n;
		memcpy(buf, in->tbuf.data + in->tpos, k);
		in->tpos += k;
		return (ssize_t)k;
	}
}

ssize_t wn_input_read(struct wn_input *in, void *buf, size_t n, struct wn_err *err)
{
	if (in->text_mode && (in->enc == ENC_UTF16LE || in->enc == ENC_UTF16BE))
		return utf16_read(in, buf, n, err);
	return bytes_read(in, buf, n, err);
}

int wn_input_slurp(struct wn_input *in, struct wn_buf *out, struct wn_err *err)
{
	for (;;) {
		ssize_t r;
		size_t room = out->max - out->len, want = 1 << 20;

		if (in->is_regular && in->fsize > 0 && !in->is_gz && out->len == 0 &&
		    (uint64_t)in->fsize < out->max)
			want = (size_t)in->fsize + 1;
		if (want > room)
			want = room;
		if (want == 0) {
			/* full: fine if the input is exhausted, else over the cap */
			char c;
			r = wn_input_read(in, &c, 1, err);
			if (r < 0)
				return -1;
			if (r == 0)
				break;
			return wn_err_set(err, WN_ELIMIT, "'%s' is larger than the limit of %zu bytes",
					  in->name, out->max);
		}
		if (wn_buf_grow(out, want, err) < 0)
			return -1;
		r = wn_input_read(in, out->data + out->len, out->cap - out->len - 1, err);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		out->len += (size_t)r;
		out->data[out->len] = '\0';
	}
	return 0;
}

/* ---- lines ---- */

#define LINES_CAP (256 * 1024)

int wn_lines_init(struct wn_lines *l, struct wn_input *in, size_t max_line, struct wn_err *err)
{
	memset(l, 0, sizeof(*l));
	l->in = in;
	l->max_line = max_line ? max_line : WN_LINES_DEFAULT_MAX;
	l->buf = wn_malloc(LINES_CAP + 1);
	if (!l->buf)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	l->cap = LINES_CAP;
	wn_buf_init(&l->line, l->max_line + 1);
	return 0;
}

void wn_lines_release(struct wn_lines *l)
{
	wn_free(l->buf);
	l->buf = NULL;
	wn_buf_release(&l->line);
}

void wn_lines_unread(struct wn_lines *l)
{
	if (l->last)
		l->unread = 1;
}

static int refill(struct wn_lines *l, struct wn_err *err)
{
	ssize_t r = wn_input_read(l->in, l->buf, l->cap, err);

	if (r < 0)
		return -1;
	l->start = 0;
	l->end = (size_t)r;
	if (r == 0)
		l->eof = 1;
	return 0;
}

int wn_lines_next(struct wn_lines *l, const char **line, size_t *len, struct wn_err *err)
{
	int too_long = 0;

	if (l->unread) {
		l->unread = 0;
		*line = l->last;
		*len = l->lastlen;
		return 1;
	}
	wn_buf_reset(&l->line);
	for (;;) {
		char *p, *q, *nl, *cr;
		size_t avail;

		if (l->start == l->end) {
			if (l->eof)
				break;
			if (refill(l, err) < 0)
				return -1;
			if (l->eof)
				break;
		}
		if (l->pending_cr) {
			l->pending_cr = 0;
			if (l->buf[l->start] == '\n') {
				l->start++;
				continue;
			}
		}
		p = l->buf + l->start;
		avail = l->end - l->start;
		nl = memchr(p, '\n', avail);
		cr = memchr(p, '\r', nl ? (size_t)(nl - p) : avail);
		q = cr ? cr : nl;
		if (!q) {
			/* no terminator in the buffer: keep the piece and read on */
			if (!too_long && l->line.len + avail > l->max_line)
				too_long = 1;
			if (!too_long && wn_buf_add(&l->line, p, avail, err) < 0)
				return -1;
			l->start = l->end;
			continue;
		}
		l->start = (size_t)(q - l->buf) + 1;
		if (q == cr) {
			if (l->start < l->end) {
				if (l->buf[l->start] == '\n')
					l->start++;
			} else {
				l->pending_cr = 1;
			}
		}
		l->lineno++;
		if (too_long || l->line.len + (size_t)(q - p) > l->max_line) {
			wn_err_set(err, WN_ELIMIT, "'%s' line %lu: line longer than %zu bytes, skipped",
				   wn_input_name(l->in), l->lineno, l->max_line);
			l->last = NULL;
			return 2;
		}
		if (l->line.len) {
			if (wn_buf_add(&l->line, p, (size_t)(q - p), err) < 0)
				return -1;
			*line = l->line.data;
			*len = l->line.len;
		} else {
			*q = '\0';
			*line = p;
			*len = (size_t)(q - p);
		}
		l->last = *line;
		l->lastlen = *len;
		return 1;
	}
	/* end of input: a last line without terminator */
	if (l->line.len || too_long) {
		l->lineno++;
		if (too_long) {
			wn_err_set(err, WN_ELIMIT, "'%s' line %lu: line longer than %zu bytes, skipped",
				   wn_input_name(l->in), l->lineno, l->max_line);
			l->last = NULL;
			return 2;
		}
		*line = l->line.data;
		*len = l->line.len;
		l->last = *line;
		l->lastlen = *len;
		return 1;
	}
	l->last = NULL;
	return 0;
}

/*
 * fuzz_gzip.c - the input layer's gzip path (lib/core/input.c): magic detection,
 * multi-member streams, NUL padding, truncation, the decompressed-size cap that stops a
 * gzip bomb, peek/read/slurp interleaved.
 *
 * Two kinds of run, chosen from the input's hash:
 *   raw  - the input itself is the file (mutated real .gz files): whatever happens, the
 *          bytes delivered never exceed the cap, the offset accounting adds up, and a
 *          read that succeeds to the end has consumed every byte of the file;
 *   wrap - the input is compressed here (one or two gzip members) and read back: the
 *          result must be exactly the input, or a WN_ELIMIT error when the cap is
 *          smaller than the input.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "fuzz.h"
#include "winnow/alloc.h"
#include "winnow/input.h"

/* gzip-compress p[0..n) onto out (one member). Returns bytes written or 0. */
static size_t gz_member(const uint8_t *p, size_t n, uint8_t *out, size_t cap, int level)
{
	z_stream zs;
	size_t got;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	zs.next_in = (Bytef *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		return 0;
	}
	got = cap - zs.avail_out;
	deflateEnd(&zs);
	return got;
}

/* Read everything through a mix of peek, read and slurp. Returns 0 at a clean EOF. */
static int drain(struct wn_input *in, uint64_t bits, uint8_t **outp, size_t *outlen,
		 struct wn_err *err)
{
	struct wn_buf all;
	uint64_t mix = bits;
	int rc = 0;

	wn_buf_init(&all, 0);
	for (;;) {
		uint8_t chunk[5000];
		const unsigned char *pk;
		ssize_t r;
		unsigned op = (unsigned)(mix & 3);

		mix = mix >> 2 | mix << 62;
		if (op == 0) {
			size_t want = 1 + (size_t)(mix >> 7 & 0xffff);
			r = wn_input_peek(in, &pk, want, err);
			if (r < 0) {
				rc = -1;
				break;
			}
			if ((size_t)r > want)
				wnf_fail("peek returned more than asked");
			continue; /* peek consumes nothing */
		}
		if (op == 3) {
			if (wn_input_slurp(in, &all, err) < 0)
				rc = -1;
			break;
		}
		r = wn_input_read(in, chunk, op == 1 ? 1 + (size_t)(mix & 511) : sizeof(chunk), err);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 0)
			break;
		if (wn_buf_add(&all, chunk, (size_t)r, err) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && wn_input_offset(in) != all.len)
		wnf_fail("offset %llu but %zu bytes delivered",
			 (unsigned long long)wn_input_offset(in), all.len);
	*outlen = all.len;
	*outp = (uint8_t *)wn_buf_detach(&all, NULL, NULL);
	wn_buf_release(&all);
	return rc;
}

static void pass(const uint8_t *data, size_t size, uint64_t bits)
{
	static const uint64_t caps[4] = { 0, 1, 1000, 1 << 16 };
	uint64_t cap = caps[bits >> 2 & 3];
	int wrap = (bits & 3) == 0;
	uint8_t *file = (uint8_t *)(uintptr_t)data, *got = NULL;
	size_t fsize = size, glen = 0;
	struct wn_input *in;
	struct wn_err err;
	int rc;

	if (wrap) {
		size_t bound = 2 * (size + 64) + 64, split = size ? (size_t)(bits >> 8) % (size + 1) : 0;
		size_t a, b = 0;
		int two = (bits >> 5 & 1) != 0;

		file = malloc(bound);
		if (!file)
			return;
		a = gz_member(data, two ? split : size, file, bound, (int)(bits >> 16 & 7) + 1);
		if (a && two)
			b = gz_member(data + split, size - split, file + a, bound - a, 6);
		if (!a || (two && !b)) {
			free(file);
			return;
		}
		fsize = a + b;
	}
	wn_err_clear(&err);
	in = wn_input_from_memory(file, fsize, "fuzz.gz", &err);
	if (!in)
		goto out;
	if (cap) {
		/* the cap is an open-time option; a memory input takes it the same way */
		struct wn_input_opts o = { cap, "fuzz.gz" };
		char path[64];
		int fd = wnf_memfile(file, fsize, path, sizeof(path));
		wn_input_close(in);
		in = NULL;
		if (fd < 0)
			goto out;
		in = wn_input_open(path, &o, &err);
		close(fd);
		if (!in)
			goto out;
	}
	rc = drain(in, bits, &got, &glen, &err);
	if (cap && glen > cap)
		wnf_fail("%zu bytes delivered over the cap of %llu", glen, (unsigned long long)cap);
	if (rc == 0 && wn_input_raw_bytes(in) != fsize)
		wnf_fail("clean EOF after %llu of %zu file bytes",
			 (unsigned long long)wn_input_raw_bytes(in), fsize);
	if (wrap && !wnf_injecting()) {
		if (cap && size > cap) {
			if (rc == 0 || err.code != WN_ELIMIT)
				wnf_fail("%zu bytes over a cap of %llu not refused", size, (unsigned long long)cap);
		} else if (rc != 0) {
			wnf_fail("valid gzip refused: %s", err.msg);
		} else if (glen != size || (size && memcmp(got, data, size) != 0)) {
			wnf_fail("gzip round trip: %zu bytes in, %zu out", size, glen);
		}
	}
	wn_input_close(in);
out:
	wn_free(got);
	if (file != data)
		free(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wnf_run(data, size, pass);
	return 0;
}

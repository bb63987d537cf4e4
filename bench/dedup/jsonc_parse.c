/*
 * jsonc_parse.c - the limit for winnow-dedup's throughput: parse every line of a JSON
 * Lines file with json-c and do nothing else (no normalising, no output).
 *
 *   cc -O2 jsonc_parse.c $(pkg-config --cflags --libs json-c) -o jsonc_parse
 *   ./jsonc_parse FILE        prints the number of objects parsed
 *
 * It reads in large blocks and splits lines itself, and uses one tokener with the same
 * flags as winnow's reader (strict, UTF-8 validation), so the comparison is fair: any
 * record stream tool has to do at least this much. One thread, as json-c is used by any
 * single-threaded reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

int main(int argc, char **argv)
{
	FILE *f;
	char *buf;
	size_t cap = (size_t)64 << 20, len = 0, n;
	unsigned long objects = 0, bad = 0;
	json_tokener *tok;

	if (argc != 2) {
		fprintf(stderr, "usage: jsonc_parse FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	buf = malloc(cap);
	tok = json_tokener_new();
	if (!f || !buf || !tok) {
		perror(argv[1]);
		return 1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0 || len > 0) {
		char *p = buf, *end = buf + len + n, *nl;
		len += n;
		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			json_object *o;
			json_tokener_reset(tok);
			o = json_tokener_parse_ex(tok, p, (int)(nl - p));
			if (o && json_tokener_get_error(tok) == json_tokener_success)
				objects++;
			else
				bad++;
			json_object_put(o);
			p = nl + 1;
		}
		len = (size_t)(end - p);
		memmove(buf, p, len);
		if (n == 0 && len > 0) {
			/* a last line without a newline */
			buf[len++] = '\n';
			continue;
		}
		if (len == cap) {
			fprintf(stderr, "line longer than %zu bytes\n", cap);
			return 1;
		}
	}
	printf("%lu objects, %lu bad lines\n", objects, bad);
	json_tokener_free(tok);
	free(buf);
	fclose(f);
	return 0;
}

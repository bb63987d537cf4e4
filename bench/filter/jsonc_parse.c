/*
 * jsonc_parse.c - the reference for winnow-screen filter's speed: parse every line of
 * a JSON Lines file with json-c and do nothing else.
 *
 *   cc -O2 jsonc_parse.c $(pkg-config --cflags --libs json-c) -o jsonc_parse
 *   ./jsonc_parse FILE      prints the number of objects parsed
 *
 * One json_tokener with the flags winnow uses (strict, UTF-8 validation), lines read
 * with getline: the least any tool that reads the record stream with json-c must do.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <json-c/json.h>

int main(int argc, char **argv)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long objects = 0, bad = 0;
	json_tokener *tok;

	if (argc != 2) {
		fprintf(stderr, "usage: jsonc_parse FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	tok = json_tokener_new();
	if (!f || !tok) {
		perror(argv[1]);
		return 1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	while ((n = getline(&line, &cap, f)) > 0) {
		json_object *o;
		if (line[n - 1] == '\n')
			n--;
		if (n == 0)
			continue;
		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, line, (int)n);
		if (o && json_object_is_type(o, json_type_object))
			objects++;
		else
			bad++;
		json_object_put(o);
	}
	printf("%lu objects, %lu bad lines\n", objects, bad);
	free(line);
	json_tokener_free(tok);
	fclose(f);
	return 0;
}

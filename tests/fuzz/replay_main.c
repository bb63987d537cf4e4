/*
 * replay_main.c - run fuzz inputs through a harness without libFuzzer (SQLite's
 * fuzzcheck idea): every build replays every corpus as an ordinary test, so a crash once
 * found stays fixed, and the harnesses keep compiling with gcc.
 *
 *   replay_<target> [-v] PATH...    PATH is a file or a directory of files (not recursive)
 *
 * Each file is one input. Exit 0 when all ran; a crash, sanitizer report or invariant
 * abort ends the process, and the last "running" line (with -v, or the one printed on
 * abort by the harness) names the input. Inputs are sorted so runs are reproducible.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "fuzz.h"

/* libFuzzer calls this first when a harness defines it; so do we */
#pragma weak LLVMFuzzerInitialize

static int verbose;
static unsigned long ran;

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0;

	if (!fp) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;
		if (cap - len < 65536) {
			uint8_t *p = realloc(data, cap ? cap * 2 : 65536);
			if (!p) {
				fprintf(stderr, "replay: out of memory reading '%s'\n", path);
				free(data);
				fclose(fp);
				return -1;
			}
			data = p;
			cap = cap ? cap * 2 : 65536;
		}
		n = fread(data + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		free(data);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	if (verbose)
		fprintf(stderr, "running %s (%zu bytes)\n", path, len);
	/* a copy of exactly len bytes, so that ASan catches reads past the end */
	{
		uint8_t *exact = malloc(len ? len : 1);
		if (!exact) {
			free(data);
			return -1;
		}
		memcpy(exact, data, len);
		free(data);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	ran++;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open directory '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap ? cap * 2 : 64) * sizeof(*names));
			if (!p) {
				rc = -1;
				break;
			}
			names = p;
			cap = cap ? cap * 2 : 64;
		}
		{
			size_t sz = strlen(dir) + strlen(e->d_name) + 2;
			names[n] = malloc(sz);
			if (!names[n]) {
				rc = -1;
				break;
			}
			snprintf(names[n], sz, "%s/%s", dir, e->d_name);
		}
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		struct stat st;
		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode) && run_file(names[i]) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int i, rc = 0;
	struct timespec t0, t1;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i < argc; i++) {
		struct stat st;
		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
			continue;
		}
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: cannot open '%s': %s\n", argv[i], strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode) ? run_dir(argv[i]) < 0 : run_file(argv[i]) < 0) {
			rc = 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("replayed %lu input%s in %.2f s\n", ran, ran == 1 ? "" : "s",
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (ran == 0 && rc == 0) {
		fprintf(stderr, "replay: no inputs found\n");
		rc = 1;
	}
	return rc;
}

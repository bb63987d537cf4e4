/* Unit tests: wn_run_keeping_argv (lib/tool/cli.c), which hands a command the arguments
 * as typed while the options parser reorders argv in place. */
#include <string.h>
#include "wn_test.h"
#include "winnow/cli.h"

static int reorders(int argc, char **argv, char **given, struct wn_io *io)
{
	int i;

	(void)io;
	/* what the parser does to "cmd a -- b": move and drop; given must not see it */
	if (argc >= 3) {
		char *t = argv[1];
		argv[1] = argv[2];
		argv[2] = t;
	}
	for (i = 0; i < argc; i++)
		CHECK(given[i] != NULL);
	CHECK(given[argc] == NULL);
	return argc >= 3 && strcmp(given[1], "first") == 0 && strcmp(given[2], "second") == 0 ? 7 : 1;
}

static void test_given_is_a_copy(void)
{
	char a0[] = "cmd", a1[] = "first", a2[] = "second";
	char *argv[] = { a0, a1, a2, NULL };
	struct wn_io io;

	wn_io_init_std(&io, "test");
	CHECK_INT(wn_run_keeping_argv(reorders, 3, argv, &io), 7);
	CHECK_STR(argv[1], "second"); /* the command's own argv was reordered */
}

/* Many arguments: nothing is cut (winnow-prisma once kept only the first 256). */
static void test_many_arguments(void)
{
	static char *argv[1001];
	static char bufs[1000][8];
	struct wn_io io;
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(bufs[i], sizeof(bufs[i]), "a%d", i);
		argv[i] = bufs[i];
	}
	strcpy(bufs[1], "first");
	strcpy(bufs[2], "second");
	wn_io_init_std(&io, "test");
	CHECK_INT(wn_run_keeping_argv(reorders, 1000, argv, &io), 7);
}

int main(void)
{
	RUN(test_given_is_a_copy);
	RUN(test_many_arguments);
	return wn_test_report();
}

/*
 * test_keymap.c - prompt keys: defaults, --keys remapping and its errors.
 */
#include <string.h>
#include "wn_test.h"
#include "winnow/keymap.h"

static void test_defaults(void)
{
	struct wn_keymap km;

	wn_keymap_default(&km);
	CHECK(wn_keymap_lookup(&km, 'i') == WN_KEY_INCLUDE);
	CHECK(wn_keymap_lookup(&km, 'e') == WN_KEY_EXCLUDE);
	CHECK(wn_keymap_lookup(&km, 'm') == WN_KEY_MAYBE);
	CHECK(wn_keymap_lookup(&km, 't') == WN_KEY_NOT_RETRIEVED);
	CHECK(wn_keymap_lookup(&km, 'u') == WN_KEY_UNDO);
	CHECK(wn_keymap_lookup(&km, '?') == WN_KEY_HELP);
	CHECK(wn_keymap_lookup(&km, 'q') == WN_KEY_QUIT);
	CHECK(wn_keymap_lookup(&km, 'I') == WN_KEY_INCLUDE); /* Caps Lock */
	CHECK(wn_keymap_lookup(&km, 'z') == WN_KEY_NONE);
	CHECK(wn_keymap_lookup(&km, 0) == WN_KEY_NONE);
	CHECK(wn_keymap_lookup(&km, 0x1b) == WN_KEY_NONE);
	CHECK(wn_keymap_lookup(&km, 300) == WN_KEY_NONE);
	CHECK_STR(wn_key_action_name(WN_KEY_NOT_RETRIEVED), "not-retrieved");
}

static void test_remap(void)
{
	struct wn_keymap km;
	struct wn_err err;

	wn_keymap_default(&km);
	/* ASReview-style, avoiding the I clash (asreview#1076): v include, x exclude */
	CHECK_INT(wn_keymap_parse(&km, "include=v, exclude = x,not_retrieved=N", &err), 0);
	CHECK(wn_keymap_lookup(&km, 'v') == WN_KEY_INCLUDE);
	CHECK(wn_keymap_lookup(&km, 'x') == WN_KEY_EXCLUDE);
	CHECK(wn_keymap_lookup(&km, 'N') == WN_KEY_NOT_RETRIEVED);
	CHECK(wn_keymap_lookup(&km, 'n') == WN_KEY_NOTE); /* its own binding wins over case folding */
	CHECK(wn_keymap_lookup(&km, 'i') == WN_KEY_NONE);
	CHECK_INT(wn_keymap_parse(&km, "include=u", &err), -1);
	CHECK(strstr(err.msg, "'u' is bound to both include and undo") != NULL);
	CHECK(wn_keymap_lookup(&km, 'v') == WN_KEY_INCLUDE); /* unchanged after an error */
	CHECK_INT(wn_keymap_parse(&km, "incl=y", &err), -1);
	CHECK(strstr(err.msg, "unknown action 'incl'") != NULL);
	CHECK_INT(wn_keymap_parse(&km, "include=yy", &err), -1);
	CHECK(strstr(err.msg, "one printable character") != NULL);
	CHECK_INT(wn_keymap_parse(&km, "include= ", &err), -1);
	CHECK_INT(wn_keymap_parse(&km, "include", &err), -1);
	CHECK(strstr(err.msg, "expected ACTION=KEY") != NULL);
	CHECK_INT(wn_keymap_parse(&km, "include=\xc3\xa9", &err), -1);
	CHECK_INT(wn_keymap_parse(&km, "", &err), 0);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_remap);
	return wn_test_report();
}

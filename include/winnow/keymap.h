/*
 * keymap.h - one key per action at the screening prompt, remappable.
 *
 * Screening tools disagree on letters (I is Include in Rayyan, Irrelevant in ASReview;
 * asreview#1076 asked for remappable keys), so every action has a default key and
 * `--keys include=y,exclude=n,...` rebinds any of them. A key is one printable ASCII
 * character other than space; two actions may not share one. Digits are free to bind
 * but are also used to pick a numbered reason inside the reason prompt.
 */
#ifndef WINNOW_KEYMAP_H
#define WINNOW_KEYMAP_H

#include "winnow/err.h"

enum wn_key_action {
	WN_KEY_NONE = 0,
	WN_KEY_INCLUDE,
	WN_KEY_EXCLUDE,
	WN_KEY_MAYBE,
	WN_KEY_NOT_RETRIEVED,
	WN_KEY_REASON,   /* exclude, choosing or typing a reason */
	WN_KEY_NOTE,
	WN_KEY_LABEL,
	WN_KEY_UNDO,     /* retract the last decision and show that record again */
	WN_KEY_BACK,     /* show the previous record (to change its decision) */
	WN_KEY_SKIP,     /* leave this record for later in the session */
	WN_KEY_HELP,
	WN_KEY_QUIT,
	WN_KEY__COUNT
};

struct wn_keymap {
	char key[WN_KEY__COUNT]; /* key[action]; 0 = unbound */
};

/* i e m t r n l u b s ? q */
void wn_keymap_default(struct wn_keymap *km);
/* Apply "action=key[,action=key...]" on top of km. -1 with WN_EUSAGE naming the problem
 * (unknown action, not a single printable key, a key bound twice); km is unchanged then. */
int wn_keymap_parse(struct wn_keymap *km, const char *spec, struct wn_err *err);
/* The action bound to byte c (an upper-case letter finds its lower-case binding when it
 * has none of its own, so Caps Lock does not get in the way). WN_KEY_NONE if unbound. */
enum wn_key_action wn_keymap_lookup(const struct wn_keymap *km, int c);
/* "include", "not-retrieved", ... (the names --keys takes). */
const char *wn_key_action_name(enum wn_key_action a);

#endif

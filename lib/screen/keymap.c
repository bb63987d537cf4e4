/*
 * keymap.c - prompt key bindings (see keymap.h).
 */
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/keymap.h"

static const char *const names[WN_KEY__COUNT] = {
	[WN_KEY_NONE] = "none",
	[WN_KEY_INCLUDE] = "include",
	[WN_KEY_EXCLUDE] = "exclude",
	[WN_KEY_MAYBE] = "maybe",
	[WN_KEY_NOT_RETRIEVED] = "not-retrieved",
	[WN_KEY_REASON] = "reason",
	[WN_KEY_NOTE] = "note",
	[WN_KEY_LABEL] = "label",
	[WN_KEY_UNDO] = "undo",
	[WN_KEY_BACK] = "back",
	[WN_KEY_SKIP] = "skip",
	[WN_KEY_HELP] = "help",
	[WN_KEY_QUIT] = "quit",
};

static const char defaults[WN_KEY__COUNT] = {
	[WN_KEY_INCLUDE] = 'i',
	[WN_KEY_EXCLUDE] = 'e',
	[WN_KEY_MAYBE] = 'm',
	[WN_KEY_NOT_RETRIEVED] = 't',
	[WN_KEY_REASON] = 'r',
	[WN_KEY_NOTE] = 'n',
	[WN_KEY_LABEL] = 'l',
	[WN_KEY_UNDO] = 'u',
	[WN_KEY_BACK] = 'b',
	[WN_KEY_SKIP] = 's',
	[WN_KEY_HELP] = '?',
	[WN_KEY_QUIT] = 'q',
};

const char *wn_key_action_name(enum wn_key_action a)
{
	return (unsigned)a < WN_KEY__COUNT ? names[a] : "none";
}

void wn_keymap_default(struct wn_keymap *km)
{
	memcpy(km->key, defaults, sizeof(km->key));
}

static enum wn_key_action action_by_name(const char *s, size_t n)
{
	int a;

	for (a = 1; a < WN_KEY__COUNT; a++) {
		if (strlen(names[a]) == n && memcmp(names[a], s, n) == 0)
			return (enum wn_key_action)a;
	}
	if (n == 13 && memcmp(s, "not_retrieved", 13) == 0)
		return WN_KEY_NOT_RETRIEVED;
	return WN_KEY_NONE;
}

int wn_keymap_parse(struct wn_keymap *km, const char *spec, struct wn_err *err)
{
	struct wn_keymap next = *km;
	const char *p = spec;
	int a, b;

	while (p && *p) {
		const char *end = strchr(p, ','), *eq, *name = p, *val;
		size_t len = end ? (size_t)(end - p) : strlen(p), nlen, vlen;
		enum wn_key_action act;

		eq = memchr(p, '=', len);
		if (!eq)
			return wn_err_set(err, WN_EUSAGE, "--keys: expected ACTION=KEY, got '%.*s'", (int)len, p);
		nlen = (size_t)(eq - p);
		while (nlen && name[0] == ' ')
			name++, nlen--;
		while (nlen && name[nlen - 1] == ' ')
			nlen--;
		act = action_by_name(name, nlen);
		if (act == WN_KEY_NONE)
			return wn_err_set(err, WN_EUSAGE,
					  "--keys: unknown action '%.*s' (include, exclude, maybe, not-retrieved, reason, note, label, undo, back, skip, help, quit)",
					  (int)nlen, name);
		val = eq + 1;
		vlen = (size_t)(p + len - val);
		while (vlen > 1 && val[0] == ' ')
			val++, vlen--;
		while (vlen > 1 && val[vlen - 1] == ' ')
			vlen--;
		if (vlen != 1 || (unsigned char)val[0] <= 0x20 || (unsigned char)val[0] >= 0x7F)
			return wn_err_set(err, WN_EUSAGE,
					  "--keys: the key for %s must be one printable character (not a space), got '%.*s'",
					  names[act], (int)vlen, val);
		next.key[act] = val[0];
		p = end ? end + 1 : NULL;
	}
	for (a = 1; a < WN_KEY__COUNT; a++) {
		for (b = a + 1; b < WN_KEY__COUNT; b++) {
			if (next.key[a] && next.key[a] == next.key[b])
				return wn_err_set(err, WN_EUSAGE,
						  "--keys: '%c' is bound to both %s and %s", next.key[a],
						  names[a], names[b]);
		}
	}
	*km = next;
	return 0;
}

enum wn_key_action wn_keymap_lookup(const struct wn_keymap *km, int c)
{
	int a;

	if (c <= 0 || c > 0x7E)
		return WN_KEY_NONE;
	for (a = 1; a < WN_KEY__COUNT; a++) {
		if (km->key[a] == c)
			return (enum wn_key_action)a;
	}
	if (wn_isupper(c)) {
		for (a = 1; a < WN_KEY__COUNT; a++) {
			if (km->key[a] == wn_tolower(c))
				return (enum wn_key_action)a;
		}
	}
	return WN_KEY_NONE;
}

/*
 * options.c - declarative option tables: parsing and --help (see cli.h).
 *
 * Long options must be spelled out in full (no abbreviations): scripts that reproduce a
 * review should not break when a new option makes an abbreviation ambiguous.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/cli.h"

void wn_strlist_release(struct wn_strlist *l)
{
	size_t i;

	for (i = 0; i < l->nowned; i++)
		wn_free(l->owned[i]);
	wn_free(l->owned);
	wn_free(l->items);
	memset(l, 0, sizeof(*l));
}

int wn_strlist_add(struct wn_strlist *l, const char *s, struct wn_err *err)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		const char **p = wn_reallocarray(l->items, ncap, sizeof(*p));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		l->items = p;
		l->cap = ncap;
	}
	l->items[l->n++] = s;
	return 0;
}

static int strlist_add_owned(struct wn_strlist *l, const char *s, size_t n, struct wn_err *err)
{
	char *copy;

	if (l->nowned == l->owncap) {
		size_t ncap = l->owncap ? l->owncap * 2 : 8;
		char **p = wn_reallocarray(l->owned, ncap, sizeof(*p));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		l->owned = p;
		l->owncap = ncap;
	}
	copy = wn_strndup(s, n);
	if (!copy)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	l->owned[l->nowned++] = copy;
	return wn_strlist_add(l, copy, err);
}

static int takes_arg(const struct wn_option *o)
{
	return o->type == WN_OPT_STRING || o->type == WN_OPT_INT || o->type == WN_OPT_LIST ||
	       (o->type == WN_OPT_CALLBACK && o->argh);
}

static void option_name(const struct wn_option *o, char *buf, size_t n)
{
	if (o->long_name)
		snprintf(buf, n, "--%s", o->long_name);
	else
		snprintf(buf, n, "-%c", o->short_name);
}

/* Running out of memory while reading the command line is not a usage error (exit 2,
 * with the usage lines): say so and end the run as any other failure (exit 1). */
static void __attribute__((noreturn)) out_of_memory(struct wn_io *io, const struct wn_err *err)
{
	wn_error(io, "%s", err->msg);
	exit(WN_EXIT_FAILURE);
}

static int apply(struct wn_io *io, const struct wn_option *o, const char *arg, int negate)
{
	char name[128];
	struct wn_err err;

	option_name(o, name, sizeof(name));
	switch (o->type) {
	case WN_OPT_FLAG:
		*(int *)o->value = o->defval ? (int)o->defval : 1;
		return 0;
	case WN_OPT_BOOL:
		*(int *)o->value = !negate;
		return 0;
	case WN_OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case WN_OPT_INT: {
		char *end;
		long v;
		errno = 0;
		v = strtol(arg, &end, 10);
		if (!*arg || *end || errno) {
			wn_error(io, "option '%s' expects a whole number, not '%s'", name, arg);
			return -1;
		}
		*(long *)o->value = v;
		return 0;
	}
	case WN_OPT_LIST: {
		struct wn_strlist *l = o->value;
		if (o->defval == 1) {
			const char *s = arg;
			for (;;) {
				const char *c = strchr(s, ',');
				size_t n = c ? (size_t)(c - s) : strlen(s);
				if (n && strlist_add_owned(l, s, n, &err) < 0)
					out_of_memory(io, &err);
				if (!c)
					break;
				s = c + 1;
			}
			return 0;
		}
		if (wn_strlist_add(l, arg, &err) < 0)
			out_of_memory(io, &err);
		return 0;
	}
	case WN_OPT_CALLBACK:
		return o->cb(o, arg, io) ? -1 : 0;
	default:
		return -1;
	}
}

static int usage_error(struct wn_io *io, const char *const *usage)
{
	wn_print_usage_short(io, usage);
	return WN_PARSE_ERROR;
}

int wn_parse_options(struct wn_io *io, int argc, char **argv, const struct wn_option *opts,
		     const char *const *usage, unsigned flags)
{
	int i, npos = 0, only_args = 0;

	for (i = 1; i < argc; i++) {
		char *a = argv[i];
		const struct wn_option *o;

		if (only_args || a[0] != '-' || a[1] == '\0') {
			argv[npos++] = a;
			if (flags & WN_PARSE_STOP_AT_ARG)
				only_args = 1;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
			int negate = 0;

			for (o = opts; o->type != WN_OPT_END; o++) {
				if (o->long_name && strlen(o->long_name) == nlen &&
				    strncmp(o->long_name, name, nlen) == 0)
					break;
			}
			if (o->type == WN_OPT_END && nlen > 3 && strncmp(name, "no-", 3) == 0) {
				for (o = opts; o->type != WN_OPT_END; o++) {
					if (o->type == WN_OPT_BOOL && o->long_name &&
					    strlen(o->long_name) == nlen - 3 &&
					    strncmp(o->long_name, name + 3, nlen - 3) == 0)
						break;
				}
				negate = o->type != WN_OPT_END;
			}
			if (o->type == WN_OPT_END) {
				if (nlen == 4 && strncmp(name, "help", 4) == 0) {
					wn_print_help(io->out, usage, opts);
					return WN_PARSE_HELP;
				}
				wn_error(io, "unknown option '--%.*s'", (int)nlen, name);
				return usage_error(io, usage);
			}
			if (takes_arg(o)) {
				const char *arg = eq ? eq + 1 : NULL;
				if (!arg) {
					if (i + 1 >= argc) {
						wn_error(io, "option '--%s' needs a value (%s)", o->long_name,
							 o->argh ? o->argh : "value");
						return usage_error(io, usage);
					}
					arg = argv[++i];
				}
				if (apply(io, o, arg, 0) < 0)
					return usage_error(io, usage);
			} else {
				if (eq) {
					wn_error(io, "option '--%s' takes no value", o->long_name);
					return usage_error(io, usage);
				}
				if (apply(io, o, NULL, negate) < 0)
					return usage_error(io, usage);
			}
			continue;
		}
		/* a cluster of short options */
		for (a++; *a; a++) {
			for (o = opts; o->type != WN_OPT_END; o++) {
				if (o->short_name && o->short_name == *a)
					break;
			}
			if (o->type == WN_OPT_END) {
				if (*a == 'h') {
					wn_print_help(io->out, usage, opts);
					return WN_PARSE_HELP;
				}
				wn_error(io, "unknown option '-%c'", *a);
				return usage_error(io, usage);
			}
			if (takes_arg(o)) {
				const char *arg = a[1] ? a + 1 : NULL;
				if (!arg) {
					if (i + 1 >= argc) {
						wn_error(io, "option '-%c' needs a value (%s)", *a,
							 o->argh ? o->argh : "value");
						return usage_error(io, usage);
					}
					arg = argv[++i];
				}
				if (apply(io, o, arg, 0) < 0)
					return usage_error(io, usage);
				break;
			}
			if (apply(io, o, NULL, 0) < 0)
				return usage_error(io, usage);
		}
	}
	argv[npos] = NULL;
	return npos;
}

void wn_print_usage_short(struct wn_io *io, const char *const *usage)
{
	size_t i;

	for (i = 0; usage && usage[i]; i++)
		fprintf(io->err, "%s %s\n", i == 0 ? "usage:" : "   or:", usage[i]);
	fprintf(io->err, "Try '--help' for more information.\n");
}

void wn_print_help(FILE *fp, const char *const *usage, const struct wn_option *opts)
{
	const struct wn_option *o;
	size_t i;

	for (i = 0; usage && usage[i]; i++)
		fprintf(fp, "%s %s\n", i == 0 ? "usage:" : "   or:", usage[i]);
	fputc('\n', fp);
	for (o = opts; o->type != WN_OPT_END; o++) {
		char left[160];
		int n = 0;

		if (o->type == WN_OPT_GROUP) {
			fprintf(fp, "%s%s\n", o == opts ? "" : "\n", o->help);
			continue;
		}
		n += snprintf(left + n, sizeof(left) - (size_t)n, "  ");
		if (o->short_name)
			n += snprintf(left + n, sizeof(left) - (size_t)n, "-%c%s", o->short_name,
				      o->long_name ? ", " : "");
		else
			n += snprintf(left + n, sizeof(left) - (size_t)n, "    ");
		if (o->long_name)
			n += snprintf(left + n, sizeof(left) - (size_t)n, "--%s%s", 
				      o->type == WN_OPT_BOOL ? "[no-]" : "", o->long_name);
		if (takes_arg(o))
			n += snprintf(left + n, sizeof(left) - (size_t)n, " %s", o->argh ? o->argh : "VALUE");
		if (n < 26)
			fprintf(fp, "%-26s%s\n", left, o->help ? o->help : "");
		else
			fprintf(fp, "%s\n%26s%s\n", left, "", o->help ? o->help : "");
	}
	fprintf(fp, "  -h, --help              show this help\n");
}

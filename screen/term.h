/*
 * term.h - the reviewer's terminal: keys in raw mode, whole screens out.
 *
 * The prompt talks to /dev/tty, never to stdin/stdout: stdout may carry data, stdin may
 * be the records file, and scripts can still drive a session through a real terminal
 * (tmux). The terminal is put in raw mode (no echo, no line buffering, no signal keys;
 * output processing kept so "\n" still means a new line) and restored on every way out:
 * a normal return, exit(), and the signals that end or stop a process (INT, TERM, HUP,
 * QUIT; TSTP stops after restoring and raw mode comes back on CONT). Every acknowledged
 * decision is already on disk when a signal arrives, so the handlers only restore the
 * terminal and re-raise.
 *
 * The saved terminal state is the one piece of process-global state in winnow-screen: a
 * signal handler can reach nothing else, and a process has one controlling terminal.
 */
#ifndef WINNOW_SCREEN_TERM_H
#define WINNOW_SCREEN_TERM_H

#include <stddef.h>
#include "winnow/buf.h"
#include "winnow/err.h"

enum {
	TERM_KEY_EOF = -1,     /* the terminal went away */
	TERM_KEY_ERROR = -2,
	TERM_KEY_RESIZE = -3,  /* the window changed size: redraw */
	TERM_KEY_LEFT = 0x100,
	TERM_KEY_RIGHT,
	TERM_KEY_UP,
	TERM_KEY_DOWN,
	TERM_KEY_ESC
};

struct term {
	int fd;
	int width, height;
	int color;         /* colour allowed (NO_COLOR unset, TERM not dumb) */
	int clear;         /* clear the screen between records */
	struct wn_buf out; /* a whole screen, written at once */
};

/* Open /dev/tty and enter raw mode. color_ok: 0 forces no colour. -1 with err (no
 * terminal: "use --answers to decide without one"). */
int term_open(struct term *t, int color_ok, struct wn_err *err);
/* Leave raw mode and close. Safe to call twice. */
void term_close(struct term *t);
/* Refresh width/height from the terminal. */
void term_size(struct term *t);
/* Write out what was buffered in t->out. -1 with err. */
int term_flush(struct term *t, struct wn_err *err);
/* Wait for one key: a byte (0..255), a TERM_KEY_* value. */
int term_key(struct term *t);
/* Read a line with simple editing (backspace, Ctrl-U, Ctrl-W), echoing it after
 * `prompt`. Enter accepts (1), Esc or Ctrl-C cancels (0); -1 when the terminal went away.
 * out gets valid UTF-8 without control characters, at most max bytes. */
int term_line(struct term *t, const char *prompt, struct wn_buf *out, size_t max);

#endif

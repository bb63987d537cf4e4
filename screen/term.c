/*
 * term.c - raw-mode terminal for the screening prompt (see term.h).
 *
 * Restoring the terminal is what matters most here: a reviewer whose shell is left
 * without echo after a crash loses trust in the tool. tcsetattr() is async-signal-safe,
 * so the handlers restore the saved state and re-raise the signal with its default
 * action; atexit covers exit() from anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "winnow/output.h"
#include "winnow/utf8.h"
#include "term.h"

/* The one process-global state (see term.h): what the signal handlers restore. */
static struct termios g_saved;
static volatile sig_atomic_t g_fd = -1;
static volatile sig_atomic_t g_raw;
static volatile sig_atomic_t g_resized;
static int g_atexit_done;

static const int end_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void restore_now(void)
{
	if (g_fd >= 0 && g_raw) {
		tcsetattr(g_fd, TCSAFLUSH, &g_saved);
		g_raw = 0;
	}
}

static int enter_raw(int fd)
{
	struct termios raw = g_saved;

	raw.c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
	raw.c_cflag |= CS8;
	raw.c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN | ISIG);
	/* OPOST stays on: "\n" keeps meaning CR LF for the output */
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSAFLUSH, &raw) < 0)
		return -1;
	g_raw = 1;
	return 0;
}

static void on_end_signal(int sig)
{
	int saved_errno = errno;

	restore_now();
	if (g_fd >= 0) {
		static const char msg[] = "\r\n";
		ssize_t w = write(g_fd, msg, sizeof(msg) - 1);
		(void)w;
	}
	signal(sig, SIG_DFL);
	raise(sig);
	errno = saved_errno;
}

static void on_tstp(int sig)
{
	int saved_errno = errno;

	(void)sig;
	restore_now();
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	errno = saved_errno;
}

static void on_cont(int sig)
{
	int saved_errno = errno;
	struct sigaction sa;

	(void)sig;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
	if (g_fd >= 0 && !g_raw)
		enter_raw(g_fd);
	g_resized = 1; /* redraw after coming back */
	errno = saved_errno;
}

static void on_winch(int sig)
{
	(void)sig;
	g_resized = 1;
}

static void at_exit_restore(void)
{
	restore_now();
}

static void install(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL); /* no SA_RESTART: a read() is interrupted to redraw */
}

void term_size(struct term *t)
{
	struct winsize ws;

	if (ioctl(t->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		t->width = ws.ws_col;
		t->height = ws.ws_row;
	} else {
		t->width = 80;
		t->height = 24;
	}
}

int term_open(struct term *t, int color_ok, struct wn_err *err)
{
	const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");
	size_t i;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	wn_buf_init(&t->out, 0);
	if (g_fd >= 0)
		return wn_err_set(err, WN_EBUSY, "the terminal is already in use by this process");
	t->fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (t->fd < 0)
		return wn_err_set(err, WN_EIO,
				  "cannot open the terminal (/dev/tty) for the prompt: %s; to record decisions without one, use --answers FILE",
				  strerror(errno));
	if (tcgetattr(t->fd, &g_saved) < 0) {
		int e = errno;
		close(t->fd);
		t->fd = -1;
		return wn_err_sys(err, e, "cannot read the terminal settings");
	}
	g_fd = t->fd;
	if (!g_atexit_done) {
		atexit(at_exit_restore);
		g_atexit_done = 1;
	}
	for (i = 0; i < sizeof(end_signals) / sizeof(end_signals[0]); i++)
		install(end_signals[i], on_end_signal);
	install(SIGTSTP, on_tstp);
	install(SIGCONT, on_cont);
	install(SIGWINCH, on_winch);
	if (enter_raw(t->fd) < 0) {
		int e = errno;
		term_close(t);
		return wn_err_sys(err, e, "cannot put the terminal in raw mode");
	}
	t->color = color_ok && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
	t->clear = !(term && strcmp(term, "dumb") == 0);
	term_size(t);
	return 0;
}

void term_close(struct term *t)
{
	size_t i;

	if (t->fd >= 0) {
		restore_now();
		for (i = 0; i < sizeof(end_signals) / sizeof(end_signals[0]); i++)
			signal(end_signals[i], SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		signal(SIGCONT, SIG_DFL);
		signal(SIGWINCH, SIG_DFL);
		g_fd = -1;
		close(t->fd);
		t->fd = -1;
	}
	wn_buf_release(&t->out);
}

int term_flush(struct term *t, struct wn_err *err)
{
	int rc = 0;

	if (t->out.len && wn_write_all(t->fd, t->out.data, t->out.len) < 0)
		rc = wn_err_sys(err, errno, "cannot write to the terminal");
	wn_buf_reset(&t->out);
	return rc;
}

/* Read one byte, waiting at most ms milliseconds (-1: forever). 1, 0 (timeout), -1
 * (EOF/error), -2 (interrupted by a resize). */
static int read_byte(struct term *t, unsigned char *c, int ms)
{
	for (;;) {
		struct pollfd p = { t->fd, POLLIN, 0 };
		int r;
		ssize_t n;

		if (g_resized) {
			g_resized = 0;
			return -2;
		}
		r = poll(&p, 1, ms);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return 0;
		n = read(t->fd, c, 1);
		if (n == 1)
			return 1;
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		return -1;
	}
}

int term_key(struct term *t)
{
	unsigned char c, d;
	int r = read_byte(t, &c, -1);

	if (r == -2)
		return TERM_KEY_RESIZE;
	if (r <= 0)
		return TERM_KEY_EOF;
	if (c != 0x1B)
		return c;
	/* an escape sequence (arrow keys) arrives at once; a lone Esc does not */
	if (read_byte(t, &d, 50) != 1)
		return TERM_KEY_ESC;
	if (d == '[' || d == 'O') {
		unsigned char f = 0;
		int i;
		for (i = 0; i < 16; i++) {
			if (read_byte(t, &f, 50) != 1)
				return TERM_KEY_ESC;
			if (f >= 0x40 && f <= 0x7E)
				break;
		}
		switch (f) {
		case 'A': return TERM_KEY_UP;
		case 'B': return TERM_KEY_DOWN;
		case 'C': return TERM_KEY_RIGHT;
		case 'D': return TERM_KEY_LEFT;
		default: return TERM_KEY_ESC;
		}
	}
	return TERM_KEY_ESC;
}

/* Show prompt + the tail of text that fits, on the current line. */
static void echo_line(struct term *t, const char *prompt, const struct wn_buf *text)
{
	struct wn_buf safe;
	size_t pw = wn_utf8_width(prompt, strlen(prompt)), start = 0;

	wn_buf_init(&safe, 0);
	wn_utf8_sanitize(&safe, text->data, text->len, 0, NULL);
	while (start < safe.len && pw + wn_utf8_width(safe.data + start, safe.len - start) + 1 >= (size_t)t->width) {
		start++;
		while (start < safe.len && ((unsigned char)safe.data[start] & 0xC0) == 0x80)
			start++;
	}
	wn_buf_adds(&t->out, "\r\033[K", NULL);
	wn_buf_adds(&t->out, prompt, NULL);
	wn_buf_add(&t->out, safe.data + start, safe.len - start, NULL);
	wn_buf_release(&safe);
	term_flush(t, NULL);
}

int term_line(struct term *t, const char *prompt, struct wn_buf *out, size_t max)
{
	struct wn_buf raw;
	int rc = -1;

	wn_buf_init(&raw, max + 8);
	echo_line(t, prompt, &raw);
	for (;;) {
		int k = term_key(t);

		if (k == TERM_KEY_EOF || k == TERM_KEY_ERROR)
			break;
		if (k == TERM_KEY_RESIZE) {
			term_size(t);
		} else if (k == '\r' || k == '\n') {
			wn_buf_reset(out);
			/* typed text is made valid UTF-8 without control characters */
			if (wn_utf8_repair(out, raw.data, raw.len, NULL) < 0)
				break;
			wn_buf_trim(out);
			rc = 1;
			break;
		} else if (k == TERM_KEY_ESC || k == 0x03 || k == 0x07) {
			rc = 0;
			break;
		} else if (k == 0x04 && raw.len == 0) {
			rc = 0;
			break;
		} else if (k == 0x7F || k == 0x08) {
			while (raw.len && ((unsigned char)raw.data[raw.len - 1] & 0xC0) == 0x80)
				raw.len--;
			if (raw.len)
				raw.len--;
			raw.data[raw.len] = '\0';
		} else if (k == 0x15) {
			wn_buf_reset(&raw);
		} else if (k == 0x17) {
			while (raw.len && raw.data[raw.len - 1] == ' ')
				raw.len--;
			while (raw.len && raw.data[raw.len - 1] != ' ')
				raw.len--;
			raw.data[raw.len] = '\0';
		} else if (k == '\t') {
			if (raw.len < max)
				wn_buf_addc(&raw, ' ', NULL);
		} else if (k >= 0x20 && k < 0x100 && k != 0x7F) {
			if (raw.len < max)
				wn_buf_addc(&raw, (char)k, NULL);
		}
		echo_line(t, prompt, &raw);
	}
	wn_buf_adds(&t->out, "\r\n", NULL);
	term_flush(t, NULL);
	wn_buf_release(&raw);
	return rc;
}

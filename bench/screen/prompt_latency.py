#!/usr/bin/env python3
"""Key-to-screen latency of `winnow-screen review` with many records loaded.

Runs the prompt in a pseudo-terminal (as a reviewer would), presses a decision key,
and measures the time until the next record's screen - ending in the "> " prompt, after
the decision was written and fdatasync'ed - has arrived. The limit (issue 7) is 50 ms
with 100,000 records loaded.

usage: prompt_latency.py WINNOW_SCREEN RECORDS.jsonl LOGDIR [KEYS]
"""
import os
import pty
import select
import statistics
import sys
import time


def read_until(fd, marker, timeout):
    """Read from fd until the bytes end with marker (the prompt); return the bytes."""
    buf = b""
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            raise TimeoutError("no prompt after %.0f s; got: %r" % (timeout, buf[-300:]))
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            raise EOFError("the prompt ended; got: %r" % buf[-300:])
        if not chunk:
            raise EOFError("the prompt ended")
        buf += chunk
        if buf.endswith(marker):
            return buf


def main():
    exe, records, logdir = sys.argv[1], sys.argv[2], sys.argv[3]
    keys = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    log = os.path.join(logdir, "bench-%d.log" % os.getpid())
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["NO_COLOR"] = "1"
        os.environ["TERM"] = "xterm"
        os.execv(exe, [exe, "review", "--reviewer", "bench", "--stage", "ta", "--log", log, records])
    # a realistic window: 120 x 40
    import fcntl
    import struct
    import termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    read_until(fd, b"> ", 600)
    startup = time.monotonic() - t0
    lat = []
    for k in range(1, keys + 1):
        key = b"i" if k % 3 else b"e"
        t = time.monotonic()
        os.write(fd, key)
        out = read_until(fd, b"> ", 10)
        lat.append((time.monotonic() - t) * 1000)
        if b"saved #%d" % k not in out:
            raise SystemExit("key %d: the screen did not confirm decision #%d" % (k, k))
    os.write(fd, b"q")
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    lat.sort()
    p95 = lat[int(len(lat) * 0.95) - 1]
    print("records_file=%s keys=%d startup_s=%.2f median_ms=%.2f p95_ms=%.2f max_ms=%.2f"
          % (os.path.basename(records), keys, startup, statistics.median(lat), p95, lat[-1]))
    os.unlink(log)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""winnow-fetch file on a PubMed-sized .xml.gz, against zcat and NCBI's xtract.

    bench/fetch/run.py [--records N] [--runs K] [--bin DIR] [--data FILE]

Builds (once, under bench/data/, git-ignored) a baseline-like file of at least N real
PubMed records from ../shared/samples (make-pubmed-data.py), then runs, alternately and
K times each in the same session:

    winnow-fetch file X.xml.gz > /dev/null                 (this tool)
    zcat X.xml.gz > /dev/null                              (the decompression limit)
    zcat X.xml.gz | xtract -pattern PubmedArticle -element MedlineCitation/PMID
        ArticleTitle LastName Year ELocationID > /dev/null (NCBI EDirect)
    WINNOW_THREADS=1 winnow-fetch file X.xml.gz            (the single-threaded path)

and prints the median wall time, throughput (MB of XML per second), peak RSS of each,
(GNU time) and the ratios the issue sets as goals: winnow/zcat throughput >= 0.8, faster than
xtract, peak RSS under 64 MB. It also checks that both paths wrote the same records.
--big 120000 also builds a four times larger file and measures the peak RSS of the
streaming path on it (it stays flat). The CPU column (user+sys, GNU time) does not
depend on how busy the machine is, as wall time does.
"""
import argparse
import gzip
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))


TIME = shutil.which("time") and os.path.exists("/usr/bin/time") and "/usr/bin/time"


def run(cmd, env=None):
    """Run cmd (list, or str for the shell); return (seconds, peak RSS in KiB, CPU
    seconds user+sys). RSS and CPU come from GNU time when it is installed (Debian
    package "time"): a child forked from Python would count Python's own pages; without
    it they are not measured (0)."""
    if isinstance(cmd, str):
        cmd = ["/bin/bash", "-c", cmd]
    rssfile = None
    if TIME:
        fd, rssfile = tempfile.mkstemp()
        os.close(fd)
        cmd = [TIME, "-f", "%M %U %S", "-o", rssfile] + cmd
    t0 = time.monotonic()
    rc = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    dt = time.monotonic() - t0
    if rc != 0:
        sys.exit("failed (%d): %s" % (rc, " ".join(cmd)))
    peak, cpu = 0, 0.0
    if rssfile:
        with open(rssfile) as f:
            fields = f.read().split()[-3:]
        peak, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
        os.unlink(rssfile)
    return dt, peak, cpu


def digest(cmd, env=None):
    h = hashlib.sha256()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    for chunk in iter(lambda: p.stdout.read(1 << 20), b""):
        h.update(chunk)
    p.wait()
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=30000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default=os.environ.get("WINNOW_BIN", os.path.join(SRC, "build", "release", "bin")))
    ap.add_argument("--data", help="use this .xml.gz instead of building one")
    ap.add_argument("--big", type=int, default=0,
                    help="also measure peak RSS on a file of this many records (e.g. 120000)")
    ap.add_argument("--shared", default=os.path.join(SRC, "..", "shared"))
    a = ap.parse_args()

    fetch = os.path.join(a.bin, "winnow-fetch")
    if not os.access(fetch, os.X_OK):
        sys.exit("no %s: build it first (cmake --preset release && cmake --build --preset release)" % fetch)
    data = a.data or os.path.join(SRC, "bench", "data", "pubmed-%dk.xml.gz" % (a.records // 1000))
    if not os.path.exists(data):
        os.makedirs(os.path.dirname(data), exist_ok=True)
        subprocess.check_call([sys.executable, os.path.join(HERE, "make-pubmed-data.py"),
                               "--records", str(a.records), "--shared", a.shared, data])
    have_xtract = shutil.which("xtract") is not None
    with gzip.open(data, "rb") as z:
        size = 0
        for chunk in iter(lambda: z.read(1 << 20), b""):
            size += len(chunk)
    mb = size / 1e6

    env1 = dict(os.environ, WINNOW_THREADS="1")
    # same records on both paths (the parallel one is the default)
    if digest([fetch, "file", "-q", data]) != digest([fetch, "file", "-q", data], env1):
        sys.exit("the parallel and the single-threaded path wrote different records")
    nrec = int(subprocess.check_output("%s file -q '%s' | wc -l" % (fetch, data), shell=True))

    tools = [
        ("winnow-fetch file", [fetch, "file", "-q", data], None),
        ("zcat", ["zcat", data], None),
    ]
    if have_xtract:
        tools.append(("zcat | xtract", "zcat '%s' | xtract -pattern PubmedArticle -element "
                      "MedlineCitation/PMID ArticleTitle LastName Year ELocationID" % data, None))
    tools.append(("winnow-fetch (1 thread)", [fetch, "file", "-q", data], env1))

    times = {name: [] for name, _, _ in tools}
    cpus = {name: [] for name, _, _ in tools}
    rss = {name: 0 for name, _, _ in tools}
    for _ in range(a.runs):
        for name, cmd, env in tools:   # alternate, so load changes hit all alike
            dt, peak, cpu = run(cmd, env)
            times[name].append(dt)
            cpus[name].append(cpu)
            rss[name] = max(rss[name], peak)
    # the streaming path's memory, on a file several times larger (flat RSS)
    big_rss = None
    if a.big:
        big = os.path.join(SRC, "bench", "data", "pubmed-%dk.xml.gz" % (a.big // 1000))
        if not os.path.exists(big):
            subprocess.check_call([sys.executable, os.path.join(HERE, "make-pubmed-data.py"),
                                   "--records", str(a.big), "--shared", a.shared, big])
        big_rss = run("'%s' file -q - < '%s'" % (fetch, big))[1]

    print("file: %s: %d records, %.0f MB of XML (%.0f MB gzip), %d runs each, %d CPUs"
          % (os.path.relpath(data), nrec, mb, os.path.getsize(data) / 1e6, a.runs, os.cpu_count()))
    med = {}
    for name, _, _ in tools:
        med[name] = statistics.median(times[name])
        print("%-24s median %6.2f s  %6.0f MB/s  CPU %5.2f s  peak RSS %6.1f MB   runs: %s"
              % (name, med[name], mb / med[name], statistics.median(cpus[name]), rss[name] / 1024.0,
                 " ".join("%.2f" % t for t in times[name])))
    w = med["winnow-fetch file"]
    print("throughput winnow-fetch / zcat:  %.2f  (goal >= 0.8)" % (med["zcat"] / w))
    if have_xtract:
        print("speed winnow-fetch / xtract:    %.2f  (goal > 1)" % (med["zcat | xtract"] / w))
    print("peak RSS winnow-fetch:          %.1f MB (goal < 64 MB)" % (rss["winnow-fetch file"] / 1024.0))
    if big_rss is not None:
        print("peak RSS on %d records (stdin): %.1f MB (flat: the same goal)" % (a.big, big_rss / 1024.0))
    print("parallel / single-threaded:     %.2f  (same records: yes)" % (med["winnow-fetch (1 thread)"] / w))


if __name__ == "__main__":
    main()

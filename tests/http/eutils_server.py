#!/usr/bin/env python3
"""A stand-in for NCBI's E-utilities (esearch, efetch) on 127.0.0.1, for winnow's tests.

It serves real PubMed records (the PubMed XML files of tests/data/eutils/records, cut
into records as they are) and behaves like the real service where a client can go
wrong (research/formats.md section 1):

  * PubMed's 9,999 limit: esearch lists at most --max-hits ids of one search and
    refuses retstart beyond it ("Search Backend failed: ... out of acceptable range"),
    also over the history server; a search "(Q) AND lo:hi[uid]" is restricted to that
    PMID range, which is how a client gets past the limit.
  * Rate limits: more than 3 requests in a second (10 with an api_key) get a 429 with
    Retry-After and NCBI's JSON body. api_key "badkey" gets NCBI's 400.
  * ErrorList / WarningList: the phrase zzznotfound gives PhraseNotFound, a quoted phrase
    starting with zzz gives QuotedPhraseNotFound, a field [zzz...] gives FieldNotFound,
    the term "nothing" finds nothing ("No items found.").
  * Count larger than what efetch delivers: --ghosts N lists N PMIDs that efetch never
    returns (deleted records).
  * Faults, planned (--faults) or random (--fail-rate with --seed): 500/502/503/429,
    empty bodies, truncated documents, connections cut mid-body, 200s with an <ERROR> or
    a JSON error, esummary-style DocSum comments, stalls, short pages, a redirect to
    plain http.

Every request is logged as one JSON line (--log): method, HTTP version, utility,
parameters, status, fault, PMIDs served; the tests assert on it.

Searches: any other term matches every record (newest PMID first); "limit:N" in the
term keeps the first N; --synthetic N replaces the corpus by N records made from the
real ones with new PMIDs (for searches above 9,999 hits).

  eutils_server.py --port-file F --log F [options]      run (writes the port to F)
  eutils_server.py --list-pmids TERM [options]          print the PMIDs efetch would
                                                         deliver for TERM, one a line
"""
import argparse
import gzip
import http.server
import json
import os
import random
import re
import socketserver
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, "..", "data", "eutils", "records")

RECORD_RE = re.compile(rb"<(PubmedArticle|PubmedBookArticle)>.*?</\1>", re.S)
PMID_RE = re.compile(rb"<PMID[^>]*>\s*(\d+)\s*</PMID>")
RANGE_RE = re.compile(r"^\((.*)\) AND (\d+):(\d+)\[uid\]$", re.S)

EFETCH_HEAD = (b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
               b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n')
ESEARCH_HEAD = ('<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD '
                'esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n')


def load_corpus(paths):
    """PMID -> record bytes, from every PubMed XML file (plain or gzip) in paths."""
    records = {}
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p))
        else:
            files.append(p)
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        for m in RECORD_RE.finditer(data):
            rec = m.group(0)
            pm = PMID_RE.search(rec)
            if pm and int(pm.group(1)) not in records:
                records[int(pm.group(1))] = rec
    return records


def synthesize(real, n, base):
    """n records with PMIDs base, base+3, ...: each a real record with its own PMID
    (the MedlineCitation/BookDocument PMID and the pubmed ArticleId) replaced."""
    templates = [real[k] for k in sorted(real)]
    out = {}
    for i in range(n):
        pmid = base + 3 * i
        t = templates[i % len(templates)]
        old = PMID_RE.search(t).group(1)
        rec = PMID_RE.sub(b'<PMID Version="1">%d</PMID>' % pmid, t, count=1)
        rec = rec.replace(b'<ArticleId IdType="pubmed">' + old + b"</ArticleId>",
                          b'<ArticleId IdType="pubmed">%d</ArticleId>' % pmid, 1)
        out[pmid] = rec
    return out


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Service:
    """The state of the stand-in: corpus, history server, rate limiter, faults, log."""

    def __init__(self, args):
        real = load_corpus(args.corpus or [DEFAULT_CORPUS])
        self.records = synthesize(real, args.synthetic, args.synthetic_base) if args.synthetic else real
        ids = sorted(self.records, reverse=True)
        # ghosts: listed by esearch, never returned by efetch (deleted records)
        ghosts = []
        if args.ghosts:
            lo, hi = min(ids), max(ids)
            step = max(1, (hi - lo) // (args.ghosts + 1))
            cand = lo + 1
            while len(ghosts) < args.ghosts:
                if cand not in self.records:
                    ghosts.append(cand)
                cand += step if step > 1 else 1
        self.ghosts = set(ghosts)
        self.all_ids = sorted(ids + ghosts, reverse=True)
        self.args = args
        self.max_hits = args.max_hits
        self.lock = threading.Lock()
        self.history = {}   # WebEnv -> {query_key: [pmids]}
        self.recent = {}    # client -> [times]
        self.counts = {}    # util -> requests so far
        self.n = 0
        self.rng = random.Random(args.seed)
        self.faults = {}
        for spec in filter(None, (args.faults or "").split(",")):
            parts = spec.split(":")
            self.faults[(parts[0], int(parts[1]))] = parts[2:]
        self.log = open(args.log, "a", buffering=1) if args.log else None

    # ---- searching ----

    def search(self, term):
        """(pmids, translation, errors, warnings) for a term."""
        errors, warnings = [], []
        lo = hi = None
        m = RANGE_RE.match(term)
        base = term
        if m:
            base, lo, hi = m.group(1), int(m.group(2)), int(m.group(3))
        ids = self.all_ids
        if base.strip() == "nothing":
            ids = []
            warnings.append(("OutputMessage", "No items found."))
        for w in re.findall(r"\bzzznotfound\b", base):
            errors.append(("PhraseNotFound", w))
        for q in re.findall(r'"(zzz[^"]*)"', base):
            warnings.append(("QuotedPhraseNotFound", '"%s"' % q))
        for f in re.findall(r"\[(zzz[^\]]*)\]", base):
            errors.append(("FieldNotFound", f))
        lim = re.search(r"\blimit:(\d+)\b", base)
        if lim:
            ids = ids[: int(lim.group(1))]
        if lo is not None:
            ids = [i for i in ids if lo <= i <= hi]
        translation = '"%s"[All Fields]' % re.sub(r'["\[\]]', "", base.strip())
        if lo is not None:
            translation = "(%s) AND %d:%d[uid]" % (translation, lo, hi)
        return ids, translation, errors, warnings

    def delivered_for(self, term):
        return [i for i in self.search(term)[0] if i not in self.ghosts]

    # ---- politeness ----

    def too_fast(self, client, limit):
        now = time.monotonic()
        with self.lock:
            times = [t for t in self.recent.get(client, []) if now - t < self.args.rate_window]
            times.append(now)
            self.recent[client] = times
            return len(times) > limit, len(times)


SERVICE = None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "eutils-standin/1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, ctype="text/xml; charset=UTF-8", headers=(), cut=False):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if cut:
            # promise the whole body, send half, hang up
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def do_GET(self):
        self.entry = {"method": "GET", "path": self.path}
        self.finish_log(405, None)
        self.send(405, "use POST\n", "text/plain")

    def finish_log(self, status, fault, **extra):
        s = SERVICE
        e = dict(self.entry)
        e.update({"n": s.n, "t": round(time.monotonic(), 4), "version": self.request_version,
                  "status": status, "fault": fault})
        e.update(extra)
        if s.log:
            with s.lock:
                s.log.write(json.dumps(e, sort_keys=True) + "\n")

    def do_POST(self):
        s = SERVICE
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n).decode("utf-8", "replace")
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
        util = os.path.basename(urllib.parse.urlparse(self.path).path).replace(".fcgi", "")
        with s.lock:
            s.n += 1
            s.counts[util] = s.counts.get(util, 0) + 1
            nth = s.counts[util]
        self.entry = {"method": "POST", "path": self.path, "util": util, "nth": nth,
                      "params": params, "ctype": self.headers.get("Content-Type")}
        key = params.get("api_key")
        if key == "badkey":
            body = json.dumps({"error": "API key invalid", "api-key": key, "type": "api-key",
                               "status": "unknown"})
            self.finish_log(400, None)
            return self.send(400, body, "application/json")
        if s.args.rate_limit:
            limit = 10 if key else 3
            fast, count = s.too_fast(key or self.client_address[0], limit)
            if fast:
                body = json.dumps({"error": "API rate limit exceeded", "api-key": key or self.client_address[0],
                                   "count": str(count), "limit": str(limit)})
                self.finish_log(429, "rate")
                return self.send(429, body, "application/json",
                                 [("Retry-After", str(s.args.retry_after))])
        fault = s.faults.get((util, nth))
        if fault is None and s.args.fail_rate and s.rng.random() < s.args.fail_rate:
            fault = ["500"]
        if fault and fault[0] in ("500", "502", "503", "504", "429", "400", "404"):
            code = int(fault[0])
            headers = [("Retry-After", fault[1])] if code == 429 and len(fault) > 1 else []
            self.finish_log(code, fault[0])
            return self.send(code, "<html><body>%d error</body></html>" % code, "text/html", headers)
        if fault and fault[0] == "stall":
            # say nothing for a while, then hang up (the client should have timed out)
            self.finish_log(0, "stall")
            time.sleep(float(fault[1]) if len(fault) > 1 else 5)
            self.close_connection = True
            return
        if fault and fault[0] == "redirect":
            # to plain http on this very server: a client must refuse (https-only redirects)
            where = "http://127.0.0.1:%d%s" % (self.server.server_address[1], self.path)
            self.finish_log(302, "redirect")
            return self.send(302, "", "text/plain", [("Location", where)])
        if fault and fault[0] == "empty":
            self.finish_log(200, "empty")
            return self.send(200, b"")
        if fault and fault[0] == "error200":
            self.finish_log(200, "error200")
            return self.send(200, '<?xml version="1.0" ?>\n<eFetchResult>\n\t<ERROR>Unable to fetch '
                             'records: backend temporarily unavailable</ERROR>\n</eFetchResult>\n')
        if fault and fault[0] == "json200":
            self.finish_log(200, "json200")
            return self.send(200, '{"error":"API rate limit exceeded","count":"4","limit":"3"}',
                             "application/json")
        if fault and fault[0] == "docsum":
            self.finish_log(200, "docsum")
            return self.send(200, '<?xml version="1.0" ?>\n<eSummaryResult><DocumentSummarySet status="OK">'
                             '<!-- Error> DocSum Backend failed --></DocumentSummarySet></eSummaryResult>\n')
        if util == "esearch":
            return self.esearch(params, fault)
        if util == "efetch":
            return self.efetch(params, fault)
        self.finish_log(400, None)
        return self.send(400, "<ERROR>unknown utility</ERROR>")

    def deliver(self, status, body, fault, **extra):
        if fault and fault[0] == "truncate":
            self.finish_log(status, "truncate", **extra)
            return self.send(status, body[: len(body) // 2])
        if fault and fault[0] == "cut":
            self.finish_log(status, "cut", **extra)
            return self.send(status, body, cut=True)
        self.finish_log(status, fault[0] if fault else None, **extra)
        return self.send(status, body)

    def error200(self, root, text, fault):
        body = '%s<%s>\n\t<ERROR>%s</ERROR>\n</%s>\n' % (ESEARCH_HEAD if root == "eSearchResult" else
                                                     '<?xml version="1.0" ?>\n', root, xml_escape(text), root)
        self.finish_log(200, fault[0] if fault else "refused", error=text)
        return self.send(200, body)

    def esearch(self, params, fault):
        s = SERVICE
        if params.get("db") != "pubmed":
            return self.error200("eSearchResult", "Invalid db name specified: %s" % params.get("db"), fault)
        term = params.get("term", "")
        retstart = int(params.get("retstart") or 0)
        retmax = int(params.get("retmax") or 20)
        if retstart > s.max_hits - 1:
            return self.error200("eSearchResult", "Search Backend failed: Exception: Position %d is out of "
                                 "acceptable range [%d,%d]" % (retstart, s.max_hits, s.max_hits - 1), fault)
        ids, translation, errors, warnings = s.search(term)
        out = [ESEARCH_HEAD, "<eSearchResult><Count>%d</Count>" % len(ids)]
        shown = ids[retstart:min(retstart + retmax, s.max_hits)]
        if retstart + retmax > s.max_hits and len(ids) > s.max_hits:
            warnings = warnings + [("OutputMessage", "Restrictions achieved. start and count adjusted to "
                                    "%d, %d" % (retstart, s.max_hits - retstart))]
        out.append("<RetMax>%d</RetMax><RetStart>%d</RetStart>" % (len(shown), retstart))
        if params.get("usehistory") == "y":
            with s.lock:
                webenv = "MCID_%024x" % s.rng.getrandbits(96)
                s.history[webenv] = {"1": ids}
            out.append("<QueryKey>1</QueryKey><WebEnv>%s</WebEnv>" % webenv)
        out.append("<IdList>\n" + "".join("<Id>%d</Id>\n" % i for i in shown) + "</IdList>")
        out.append("<TranslationSet/><QueryTranslation>%s</QueryTranslation>" % xml_escape(translation))
        if errors:
            out.append("<ErrorList>" + "".join("<%s>%s</%s>" % (k, xml_escape(v), k) for k, v in errors) +
                       "</ErrorList>")
        if warnings:
            out.append("<WarningList>" + "".join("<%s>%s</%s>" % (k, xml_escape(v), k) for k, v in warnings) +
                       "</WarningList>")
        out.append("</eSearchResult>\n")
        return self.deliver(200, "".join(out), fault, count=len(ids), listed=len(shown))

    def efetch(self, params, fault):
        s = SERVICE
        if params.get("db") != "pubmed":
            return self.error200("eFetchResult", "Invalid db name specified: %s" % params.get("db"), fault)
        if params.get("retmode", "xml") != "xml":
            return self.error200("eFetchResult", "only retmode=xml in this stand-in", fault)
        if "id" in params:
            try:
                want = [int(x) for x in params["id"].split(",") if x.strip()]
            except ValueError:
                return self.error200("eFetchResult", "Some IDs have invalid value", fault)
            source = "id"
        else:
            webenv, qk = params.get("WebEnv"), params.get("query_key")
            with s.lock:
                ids = s.history.get(webenv, {}).get(qk)
            if ids is None:
                return self.error200("eFetchResult", "Cannot retrieve history data. query_key: %s, WebEnv: %s"
                                     % (qk, webenv), fault)
            retstart = int(params.get("retstart") or 0)
            retmax = int(params.get("retmax") or 20)
            if retstart > s.max_hits - 1:
                return self.error200("eFetchResult", "Search Backend failed: Exception: Position %d is out of "
                                     "acceptable range [%d,%d]" % (retstart, s.max_hits, s.max_hits - 1), fault)
            want = ids[retstart:min(retstart + retmax, s.max_hits)]
            source = "history"
        got = [i for i in want if i in s.records]
        if fault and fault[0] == "short":
            drop = int(fault[1]) if len(fault) > 1 else 1
            got = got[:-drop] if drop < len(got) else []
        if got:
            body = EFETCH_HEAD + b"<PubmedArticleSet>\n" + b"\n".join(s.records[i] for i in got) + \
                b"\n</PubmedArticleSet>\n"
        else:
            body = EFETCH_HEAD + b"<PubmedArticleSet></PubmedArticleSet>\n"
        return self.deliver(200, body, fault, source=source, asked=len(want), served=got)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--corpus", action="append", help="PubMed XML file or directory (repeatable)")
    ap.add_argument("--synthetic", type=int, default=0, help="serve N records made from the corpus")
    ap.add_argument("--synthetic-base", type=int, default=20000000)
    ap.add_argument("--max-hits", type=int, default=9999)
    ap.add_argument("--ghosts", type=int, default=0)
    ap.add_argument("--no-rate-limit", dest="rate_limit", action="store_false")
    ap.add_argument("--rate-window", type=float, default=1.0)
    ap.add_argument("--retry-after", type=int, default=1)
    ap.add_argument("--faults", help="UTIL:N:KIND[:ARG],... (the Nth request to UTIL)")
    ap.add_argument("--fail-rate", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--list-pmids", metavar="TERM")
    ap.add_argument("--list-ghosts", action="store_true", help="print the PMIDs --ghosts adds")
    ap.add_argument("--dump-xml", metavar="FILE", help="write every record as one PubmedArticleSet (benchmarks)")
    args = ap.parse_args()
    global SERVICE
    SERVICE = Service(args)
    if args.dump_xml:
        with open(args.dump_xml, "wb") as f:
            f.write(EFETCH_HEAD + b"<PubmedArticleSet>\n")
            for i in SERVICE.all_ids:
                if i in SERVICE.records:
                    f.write(SERVICE.records[i] + b"\n")
            f.write(b"</PubmedArticleSet>\n")
        return
    if args.list_ghosts:
        for i in sorted(SERVICE.ghosts):
            print(i)
        return
    if args.list_pmids is not None:
        for i in SERVICE.delivered_for(args.list_pmids):
            print(i)
        return
    srv = Server(("127.0.0.1", 0), Handler)
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    else:
        print(port, flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())

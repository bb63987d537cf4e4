#!/usr/bin/env python3
"""Build a PubMed-sized baseline-like file for the winnow-fetch benchmark.

The real PubmedArticle records of the sample corpus (../shared/samples, every PubMed
XML file listed in SOURCES.tsv) are repeated, each copy with its PMIDs shifted so no
two records share one, until the file holds at least --records records. The result is
a gzip file shaped like an annual baseline file (DOCTYPE, PubmedArticleSet, records
one after another, a DeleteCitation at the end). Deterministic: same corpus, same file.

usage: make-pubmed-data.py [--records N] [--shared DIR] [--compact] OUT.xml.gz
"""
import argparse
import csv
import gzip
import os
import re
import sys

RECORD = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>|<PubmedArticle\s[^>]*>.*?</PubmedArticle>", re.S)
PMID = re.compile(rb"(<PMID[^>]*>\s*)(\d+)(\s*</PMID>)")
ARTICLE_ID = re.compile(rb'(<ArticleId IdType="pubmed">\s*)(\d+)(\s*</ArticleId>)')


def corpus_records(shared):
    """Every PubmedArticle of the corpus's PubMed XML files, deduplicated by PMID."""
    seen, out = set(), []
    with open(os.path.join(shared, "samples", "SOURCES.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if not row["format"].startswith("PubMed XML"):
                continue
            path = os.path.join(shared, "samples", row["file"])
            data = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
            for m in RECORD.finditer(data):
                rec = m.group(0)
                p = PMID.search(rec)
                if not p or p.group(2) in seen:
                    continue
                seen.add(p.group(2))
                out.append(rec)
    out.sort(key=lambda r: int(PMID.search(r).group(2)))
    return out


def shifted(rec, k):
    """The record with its own PMIDs (MedlineCitation/PMID, ArticleId pubmed) made unique
    for copy k. References keep theirs: only the first PMID and the record's own
    ArticleId are the record's."""
    if k == 0:
        return rec
    off = k * 50000000

    def bump(m):
        return m.group(1) + str(int(m.group(2)) + off).encode() + m.group(3)

    rec = PMID.sub(bump, rec, count=1)
    return ARTICLE_ID.sub(bump, rec, count=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=30000)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
    ap.add_argument("--compact", action="store_true",
                    help="records without line breaks, as in 2026 baseline files")
    ap.add_argument("out")
    a = ap.parse_args()
    recs = corpus_records(a.shared)
    if not recs:
        sys.exit("no PubMed XML records found under %s" % a.shared)
    with gzip.open(a.out, "wb", compresslevel=6) as z:
        z.write(b'<?xml version="1.0" encoding="utf-8"?>\n'
                b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
                b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n')
        n = 0
        k = 0
        while n < a.records:
            for rec in recs:
                r = shifted(rec, k)
                if a.compact:
                    r = re.sub(rb">\s*\n\s*<", b"><", r)
                z.write(r + b"\n")
                n += 1
                if n >= a.records:
                    break
            k += 1
        z.write(b"<DeleteCitation>\n<PMID Version=\"1\">1</PMID>\n</DeleteCitation>\n</PubmedArticleSet>\n")
    print("%s: %d records (%d distinct corpus records repeated)" % (a.out, n, len(recs)), file=sys.stderr)


if __name__ == "__main__":
    main()

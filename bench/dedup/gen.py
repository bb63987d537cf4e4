#!/usr/bin/env python3
"""Generate a realistic record stream with known duplicates, for benchmarks and a
held-out accuracy check of winnow-dedup.

    gen.py N OUT.jsonl TRUTH.csv [--seed S] [--samples DIR]

Real material only: titles, abstracts, author names and journals (name, ISO abbreviation,
ISSN) come from the PubMed XML files in ../shared/samples (not from the dev sets in
../shared/dedup-train, so the generated sets are unseen by the rules). Titles are
resampled word by word (a first-order chain over real titles), abstracts sentence by
sentence, so each generated paper is new but reads like a real one.

About a quarter of the papers are found in two to four databases, each copy written the
way that database writes it (and, outside PubMed, now and then damaged: a typo in the
title, a dropped subtitle, a [bracketed] translated title, given names first, no pages):
  PubMed   MEDLINE page ranges "123-9", full journal + ISO abbreviation, PMID, DOI
  Embase   full page ranges, initials "Surname, A.B.", sometimes the year after
           (e-pub vs print), DOI in most records, sometimes the URL form
  Scopus   HTML markup in some titles, "Surname, A.", DOI upper case or as a URL
  CINAHL   often no DOI, author lists cut after three names
  WoS      titles and journals in capitals, names "SURNAME, AB", diacritics dropped
Traps that are NOT duplicates are mixed in (each its own record in the truth): errata
and replies carrying the title of an article, "part 1"/"part 2" papers, companion papers
("in women"/"in men"), Cochrane reviews in two versions, a conference abstract and the
full paper of the same study, generic titles ("Editorial") by different authors, and
chapters sharing their book's DOI.

TRUTH.csv has the format of ../shared/dedup-train (merged_ids, ids joined by ';').
The output is deterministic for a given N and seed.
"""
import argparse
import gzip
import json
import os
import random
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def text_of(el):
    return ' '.join(''.join(el.itertext()).split()) if el is not None else ''


def load_samples(root):
    titles, sentences, names, journals = [], [], [], []
    for dirpath, _, files in os.walk(root):
        for fn in sorted(files):
            if not (fn.endswith('.xml') or fn.endswith('.xml.gz')):
                continue
            path = os.path.join(dirpath, fn)
            try:
                data = gzip.open(path).read() if fn.endswith('.gz') else open(path, 'rb').read()
                if b'<MedlineCitation' not in data:
                    continue
                tree = ET.fromstring(data)
            except (ET.ParseError, OSError):
                continue
            for mc in tree.iter('MedlineCitation'):
                art = mc.find('Article')
                if art is None:
                    continue
                t = text_of(art.find('ArticleTitle'))
                if len(t) > 20:
                    titles.append(t)
                ab = ' '.join(text_of(x) for x in art.findall('Abstract/AbstractText'))
                for s in re.split(r'(?<=[.!?])\s+(?=[A-Z])', ab):
                    if 30 < len(s) < 400:
                        sentences.append(s)
                for au in art.findall('AuthorList/Author'):
                    ln, fn_ = text_of(au.find('LastName')), text_of(au.find('ForeName'))
                    if ln and fn_:
                        names.append((ln, fn_))
                j = art.find('Journal')
                if j is not None:
                    name = text_of(j.find('Title'))
                    abbr = text_of(j.find('ISOAbbreviation'))
                    issn = text_of(j.find('ISSN'))
                    if name and abbr:
                        journals.append((name, abbr, issn))
    journals = sorted(set(journals))
    names = sorted(set(names))
    if len(titles) < 50 or len(sentences) < 100 or len(names) < 100 or len(journals) < 20:
        sys.exit('gen.py: not enough sample material under %s' % root)
    return titles, sentences, names, journals


class TitleChain:
    """First-order word chain over real titles."""

    def __init__(self, titles):
        self.next = {}
        self.starts = []
        for t in titles:
            w = t.rstrip('.').split()
            if len(w) < 4:
                continue
            self.starts.append(w[0])
            for a, b in zip(w, w[1:] + [None]):
                self.next.setdefault(a, []).append(b)

    def make(self, rnd, lo=7, hi=18):
        for _ in range(20):
            w = [rnd.choice(self.starts)]
            while len(w) < hi:
                nx = rnd.choice(self.next.get(w[-1], [None]))
                if nx is None:
                    break
                w.append(nx)
            if len(w) >= lo:
                return ' '.join(w)
        return ' '.join(w)


def ascii_fold(s):
    return ''.join(c for c in unicodedata.normalize('NFKD', s) if not unicodedata.combining(c))


def initials(fore, dots=True, space=False):
    parts = [p for p in re.split(r'[\s-]+', fore) if p]
    if dots:
        return (' ' if space else '').join(p[0] + '.' for p in parts)
    return ''.join(p[0] for p in parts)


SOURCES = ['PubMed', 'Embase', 'Scopus', 'CINAHL', 'Web of Science']


class Gen:
    def __init__(self, seed, samples):
        self.rnd = random.Random(seed)
        self.titles, self.sentences, self.names, self.journals = load_samples(samples)
        self.chain = TitleChain(self.titles)
        self.seen_titles = set()
        self.serial = 0
        self.pmid = 10000000
        self.out = {s: [] for s in SOURCES}
        self.groups = []

    # ---- papers (the "truth" objects) ----
    def paper(self, title=None, authors=None, journal=None, year=None):
        r = self.rnd
        if title is None:
            for _ in range(10):
                title = self.chain.make(r)
                if title.lower() not in self.seen_titles:
                    break
            self.seen_titles.add(title.lower())
        n_auth = min(1 + int(r.expovariate(1 / 4.0)), 40)
        journal = journal or r.choice(self.journals)
        start = r.randint(1, 2500)
        p = {
            'title': title,
            'authors': authors or [r.choice(self.names) for _ in range(n_auth)],
            'year': year or r.randint(1985, 2024),
            'journal': journal,
            'volume': str(r.randint(1, 250)),
            'issue': str(r.randint(1, 12)),
            'start': start,
            'end': start + r.randint(2, 14),
            'doi': '10.%d/%s.%d.%d' % (1000 + (zlib.crc32(journal[0].encode()) % 8000), ''.join(
                c for c in journal[1].lower() if c.isalnum())[:8], r.randint(1985, 2024), r.randint(1, 10**6)),
            'abstract': ' '.join(r.choice(self.sentences) for _ in range(r.randint(5, 10)))
            if r.random() < 0.85 else None,
            'type': 'Journal Article',
        }
        return p

    # ---- one database's copy of a paper ----
    def record(self, p, source, variants=True):
        r = self.rnd
        self.serial += 1
        rec = {}
        slug = source.lower().replace(' ', '-')
        rec['id'] = '%s:%07d' % (slug, self.serial)
        rec['source'] = source
        rec['source_id'] = '%07d' % self.serial
        rec['type'] = p.get('type', 'Journal Article')
        title = p['title']
        authors = []
        for ln, fn in p['authors']:
            if source == 'PubMed':
                authors.append('%s, %s' % (ln, fn))
            elif source == 'Embase':
                authors.append('%s, %s' % (ln, initials(fn)))
            elif source == 'Scopus':
                authors.append('%s, %s' % (ln, initials(fn, space=True)))
            elif source == 'CINAHL':
                authors.append('%s, %s' % (ln, fn))
            else:
                authors.append('%s, %s' % (ascii_fold(ln).upper(), initials(fn, dots=False).upper()))
        journal, abbr, issn = p['journal']
        year = p['year']
        pages = '%d-%d' % (p['start'], p['end'])
        doi = p['doi']
        if variants:
            if source == 'PubMed':
                s, e = str(p['start']), str(p['end'])
                k = 0
                while k < len(s) and k < len(e) - 1 and s[k] == e[k]:
                    k += 1
                pages = s + '-' + e[k:] if len(s) == len(e) else pages
                if r.random() < 0.3:
                    doi = None
            elif source == 'Embase':
                if r.random() < 0.12:
                    year += 1
                if r.random() < 0.25:
                    doi = None
                elif doi and r.random() < 0.2:
                    doi = 'https://dx.doi.org/' + doi
                if r.random() < 0.2:
                    title = title + '.'
            elif source == 'Scopus':
                if r.random() < 0.1:
                    w = title.split()
                    i = r.randrange(len(w))
                    w[i] = '<i>%s</i>' % w[i]
                    title = ' '.join(w)
                if doi and r.random() < 0.3:
                    doi = doi.upper()
                if r.random() < 0.1:
                    doi = None
            elif source == 'CINAHL':
                if r.random() < 0.6:
                    doi = None
                if len(authors) > 3 and r.random() < 0.5:
                    authors = authors[:3]
            else:
                title = title.upper()
                journal = abbr.upper()
                if r.random() < 0.2:
                    doi = None
        if variants and source != 'PubMed':
            title, authors, pages, year = self.harder(title, authors, pages, year)
        if source == 'PubMed':
            self.pmid += 1
            rec['source_id'] = str(self.pmid)
            rec['id'] = 'pubmed:%d' % self.pmid
            rec['pmid'] = str(self.pmid)
        rec['title'] = title
        if p.get('abstract') and (source != 'Web of Science' or r.random() < 0.7):
            rec['abstract'] = p['abstract']
        if authors:
            rec['authors'] = authors
        rec['year'] = year
        rec['journal'] = journal
        if source in ('PubMed', 'Embase') and abbr:
            rec['journal_abbrev'] = abbr
        if issn and source != 'CINAHL':
            rec['issn'] = [issn]
        rec['volume'] = p['volume']
        if p.get('issue'):
            rec['issue'] = p['issue']
        if p.get('pages') is not None:
            if p['pages']:
                rec['pages'] = p['pages']
        elif pages:
            rec['pages'] = pages
        if doi:
            rec['doi'] = doi
        self.out[source].append(rec)
        return rec['id']

    def harder(self, title, authors, pages, year):
        """Rarer damage, as real exports have it: a typo, a dropped subtitle, MEDLINE's
        bracketed translation, given names first, no pages, a truncated page range."""
        r = self.rnd
        x = r.random()
        if x < 0.06 and len(title) > 30:
            i = r.randrange(5, len(title) - 5)
            title = title[:i] + title[i + 1:] if r.random() < 0.5 else title[:i] + title[i + 1] + title[i] + title[i + 2:]
        elif x < 0.09 and ': ' in title and len(title.split(': ')[0]) > 25:
            title = title.split(': ')[0]
        elif x < 0.12:
            title = '[' + title.rstrip('.') + '].'
        x = r.random()
        if x < 0.05:
            authors = [(' '.join(a.split(', ', 1)[::-1]) if ', ' in a else a) for a in authors]
        x = r.random()
        if x < 0.05:
            pages = None
        return title, authors, pages, year

    def emit(self, p, sources):
        ids = [self.record(p, s) for s in sources]
        if len(ids) > 1:
            self.groups.append(ids)
        return ids

    # ---- traps: look alike, are different ----
    def traps(self, p):
        r = self.rnd
        kind = r.randrange(7)
        src = r.choice(SOURCES)
        if kind == 0:
            e = dict(p, title='Erratum: ' + p['title'], start=p['start'] + 300, abstract=None)
            e['end'] = e['start']
            self.emit(e, [src])
        elif kind == 1:
            e = dict(p, title='Reply to: ' + p['title'], authors=[r.choice(self.names)],
                     start=p['end'] + 1, abstract=None)
            e['end'] = e['start'] + 1
            self.emit(e, [src])
        elif kind == 2:
            for part in (1, 2):
                q = dict(p, title='%s: part %d' % (p['title'], part), start=p['start'] + 40 * part)
                q['end'] = q['start'] + 8
                q['doi'] = p['doi'] + '.p%d' % part
                self.emit(q, [r.choice(SOURCES)])
        elif kind == 3:
            for who in ('women', 'men'):
                q = dict(p, title='%s in %s' % (p['title'], who), start=p['start'] + (0 if who == 'women' else 20))
                q['end'] = q['start'] + 9
                q['doi'] = p['doi'] + '.' + who
                self.emit(q, [r.choice(SOURCES)])
        elif kind == 4:
            num = r.randint(1000, 14000)
            for v, dy in ((2, 0), (3, 3)):
                q = dict(p, journal=('Cochrane Database of Systematic Reviews', 'Cochrane Database Syst Rev',
                                      '1469-493X'), year=p['year'] + dy, volume=str(r.randint(1, 12)),
                         pages='CD%06d' % num, doi='10.1002/14651858.CD%06d.pub%d' % (num, v))
                self.emit(q, [r.choice(['PubMed', 'Embase'])])
        elif kind == 5:
            q = dict(p, type='Conference Abstract', volume=p['volume'], pages='S%d' % r.randint(1, 900),
                     doi=None, year=p['year'] - 1,
                     journal=(p['journal'][0] + ' Conference', p['journal'][1], p['journal'][2]))
            self.emit(q, ['Embase'])
            self.emit(dict(p, doi=p['doi'] + '.full'), [r.choice(SOURCES)])
        else:
            for _ in range(2):
                q = self.paper(title=r.choice(['Editorial', 'Introduction', 'Preface', 'Commentary']))
                q['abstract'] = None
                q['end'] = q['start']
                self.emit(q, [r.choice(SOURCES)])

    def run(self, n):
        r = self.rnd
        total = 0
        while total < n:
            p = self.paper()
            x = r.random()
            if x < 0.25:
                k = r.choice([2, 2, 2, 3, 3, 4])
                srcs = ['PubMed'] + r.sample(SOURCES[1:], k - 1)
                self.emit(p, srcs)
            elif x < 0.27:
                before = sum(len(v) for v in self.out.values())
                self.traps(p)
                total += sum(len(v) for v in self.out.values()) - before
                continue
            else:
                self.emit(p, [r.choice(SOURCES)])
            total = sum(len(v) for v in self.out.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('n', type=int)
    ap.add_argument('out')
    ap.add_argument('truth')
    ap.add_argument('--seed', type=int, default=42)
    ap.add_argument('--samples', default=os.path.join(HERE, '..', '..', '..', 'shared', 'samples'))
    a = ap.parse_args()
    g = Gen(a.seed, a.samples)
    g.run(a.n)
    # one export per database, concatenated as a review team would
    order = ['id', 'source', 'source_id', 'type', 'title', 'abstract', 'authors', 'year',
             'journal', 'journal_abbrev', 'issn', 'volume', 'issue', 'pages', 'doi', 'pmid']
    with open(a.out, 'w', encoding='utf-8') as f:
        for s in SOURCES:
            for rec in g.out[s]:
                rec = {k: rec[k] for k in order if k in rec}
                f.write(json.dumps(rec, ensure_ascii=False, separators=(',', ':')) + '\n')
    with open(a.truth, 'w', encoding='utf-8') as f:
        f.write('"merged_ids"\n')
        for ids in g.groups:
            f.write('"%s"\n' % ';'.join(ids))


if __name__ == '__main__':
    main()

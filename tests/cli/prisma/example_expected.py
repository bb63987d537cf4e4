#!/usr/bin/env python3
"""Recount the bundled example review without winnow, and compare with winnow-prisma.

  example_expected.py EXAMPLES_DIR PRISMA.json

Everything is counted here from the example's inputs alone: the export files (records
counted and read with Python's own parsers), examples/data/truth.tsv (which records are
the same record, decided by a person), the CINAHL strategy and the criteria (evaluated by
a few regular expressions written for these two), and the reviewers' TSVs (folded by the
screening rules of docs/decision-log.md: a resolution decides; otherwise both include or
maybe -> include, both exclude with the same reason -> exclude, both not-retrieved -> not
retrieved, anything else a conflict). Then every number of the PRISMA 2020 flow is
compared with what winnow-prisma --json printed.
"""
import csv
import json
import os
import re
import sys


def ris_records(path):
    recs, cur = [], {}
    for line in open(path, encoding='utf-8-sig'):
        m = re.match(r'^([A-Z][A-Z0-9])  - ?(.*?)\s*$', line)
        if not m:
            continue
        tag, val = m.groups()
        if tag == 'ER':
            recs.append(cur)
            cur = {}
        elif val:
            cur.setdefault(tag, []).append(val)
    return recs


def year_of(s):
    m = re.search(r'(1[89]\d\d|20\d\d)', s or '')
    return int(m.group(1)) if m else None


def load(ex):
    d = os.path.join(ex, 'data')
    recs = []   # dicts: id, source, year, text (for the strategy)
    xml = open(os.path.join(d, 'pubmed.xml'), encoding='utf-8').read()
    for a in re.findall(r'<PubmedArticle>.*?</PubmedArticle>', xml, re.S):
        pmid = re.search(r'<PMID[^>]*>(\d+)</PMID>', a).group(1)
        pd = re.search(r'<PubDate>(.*?)</PubDate>', a, re.S).group(1)
        recs.append({'id': 'pubmed:' + pmid, 'source': 'PubMed', 'year': year_of(pd)})
    rows = list(csv.DictReader(open(os.path.join(d, 'cinahl.csv'), encoding='utf-8-sig', newline='')))
    for r in rows:
        text = ' '.join([r['Article Title'], r['Abstract'], r['Subjects'], r['Keywords']])
        recs.append({'id': 'cinahl:' + r['Accession Number'], 'source': 'CINAHL',
                     'year': year_of(r['Publication Date']), 'text': text})
    for r in ris_records(os.path.join(d, 'hmic.ris')):
        recs.append({'id': 'hmic:' + r['AN'][0], 'source': 'HMIC', 'year': year_of(r['Y1'][0])})
    other = ['reference-lists:' + r['ID'][0] for r in ris_records(os.path.join(d, 'snowball.ris'))]
    return recs, other


def cinahl_strategy(text):
    """NHS AND ("Integrated Health*" OR "Integrating Health*" OR "Integrated Care*")
    AND (Factor* OR Perform* OR Success* OR Fail*), in title, abstract and keywords."""
    t = text.lower()
    return (re.search(r'\bnhs\b', t) is not None and
            re.search(r'\bintegrat(ed|ing)\W+health\w*|\bintegrated\W+care\w*', t) is not None and
            re.search(r'\b(factor|perform|success|fail)\w*', t) is not None)


def tsv(path):
    out = {}
    for line in open(path, encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        if len(f) >= 2:
            out[f[0]] = (f[1], f[2] if len(f) > 2 else None)
    return out


def fold(ids, reviews, resolution):
    """state and reason of each id"""
    res = {}
    for i in ids:
        if i in resolution:
            res[i] = resolution[i]
            continue
        votes = [r.get(i) for r in reviews]
        if any(v is None for v in votes):
            res[i] = ('undecided', None)
        elif all(v[0] in ('include', 'maybe') for v in votes):
            res[i] = ('include', None)
        elif all(v[0] == 'exclude' for v in votes) and len({v[1] for v in votes}) == 1:
            res[i] = ('exclude', votes[0][1])
        elif all(v[0] == 'not-retrieved' for v in votes):
            res[i] = ('not-retrieved', None)
        else:
            res[i] = ('conflict', None)
    return res


def count(states):
    c = {'include': 0, 'exclude': 0, 'not-retrieved': 0, 'conflict': 0, 'undecided': 0}
    reasons = {}
    for s, r in states.values():
        c[s] += 1
        if s == 'exclude':
            reasons[r] = reasons.get(r, 0) + 1
    return c, reasons


def expected(ex):
    recs, other = load(ex)
    truth = {}
    for line in open(os.path.join(ex, 'data', 'truth.tsv'), encoding='utf-8'):
        if line.startswith('#') or not line.strip():
            continue
        i, k = line.rstrip('\n').split('\t')
        truth[i] = k
    e = {}
    by_source = {}
    for r in recs:
        by_source[r['source']] = by_source.get(r['source'], 0) + 1
    e['database_specific_results'] = by_source
    e['database_results'] = len(recs)
    e['register_results'] = 0
    e['citations_results'] = len(other)
    e['website_results'] = 0
    e['organisation_results'] = 0
    # the CINAHL export filtered by its strategy, before deduplication
    pre = [r for r in recs if r['source'] == 'CINAHL' and not cinahl_strategy(r['text'])]
    kept = [r for r in recs if r not in pre]
    # deduplication: one record per truth key, the one of the first source in --prefer
    order = {'PubMed': 0, 'CINAHL': 1, 'HMIC': 2}
    groups = {}
    for r in kept:
        groups.setdefault(truth.get(r['id'], r['id']), []).append(r)
    unique = [min(g, key=lambda r: order[r['source']]) for g in groups.values()]
    e['duplicates'] = len(kept) - len(unique)
    # the criteria: years 1997-2020 (records without a year kept); every record is English
    post = [r for r in unique if r['year'] is not None and not 1997 <= r['year'] <= 2020]
    screened = [r['id'] for r in unique if r not in post]
    e['excluded_automatic'] = len(pre) + len(post)
    e['excluded_other'] = 0
    e['records_screened'] = len(screened)
    dec = os.path.join(ex, 'decisions')
    ta = fold(screened, [tsv(os.path.join(dec, 'ta-alice.tsv')), tsv(os.path.join(dec, 'ta-bob.tsv'))],
              tsv(os.path.join(dec, 'ta-carol.tsv')))
    c, _ = count(ta)
    assert c['conflict'] == 0 and c['undecided'] == 0, c
    e['records_excluded'] = c['exclude']
    sought = [i for i in screened if ta[i][0] == 'include']
    ft = fold(sought, [tsv(os.path.join(dec, 'ft-alice.tsv')), tsv(os.path.join(dec, 'ft-bob.tsv'))],
              tsv(os.path.join(dec, 'ft-carol.tsv')))
    c, reasons = count(ft)
    e['dbr_sought_reports'] = len(sought)
    e['dbr_notretrieved_reports'] = c['not-retrieved']
    e['dbr_assessed'] = len(sought) - c['not-retrieved']
    e['dbr_excluded'] = reasons
    inc = c['include']
    oft = fold(other, [tsv(os.path.join(dec, 'other-alice.tsv')), tsv(os.path.join(dec, 'other-bob.tsv'))], {})
    c, reasons = count(oft)
    e['other_sought_reports'] = len(other)
    e['other_notretrieved_reports'] = c['not-retrieved']
    e['other_assessed'] = len(other) - c['not-retrieved']
    e['other_excluded'] = reasons
    inc += c['include']
    e['new_studies'] = e['new_reports'] = e['total_studies'] = e['total_reports'] = inc
    e['previous_studies'] = e['previous_reports'] = None
    return e


def main():
    e = expected(sys.argv[1])
    got = json.load(open(sys.argv[2]))
    bad = 0
    for k, v in e.items():
        if got.get(k) != v:
            print('FAIL: %s: winnow-prisma says %r, the recount %r' % (k, got.get(k), v))
            bad += 1
        else:
            print('ok: %s = %s' % (k, json.dumps(v, sort_keys=True)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

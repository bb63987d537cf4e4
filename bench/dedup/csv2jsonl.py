#!/usr/bin/env python3
"""Convert a labelled dedup set (bib-dedupe's records_pre_merged.csv) to the winnow
record stream (docs/record-format.md), one JSON object per line.

    csv2jsonl.py records_pre_merged.csv > records.jsonl

Mapping: ID -> id, ENTRYTYPE -> type, title, year (integer), author -> authors (BibTeX
"Surname, I and Surname, I"; Embase-style "Tan A.Schulze A." is split at ".<Capital>"),
journal / booktitle / container_title -> journal, volume, number -> issue, pages, doi,
isbn -> issn (8-character values) or isbn, abstract. Other non-empty columns go to
"extra" under their own name, as an importer would keep them. Empty values are left out.
"""
import csv
import json
import re
import sys

ISSN = re.compile(r'^\s*\d{4}-?\d{3}[\dXx]\b')


def split_authors(s):
    s = s.strip()
    if not s:
        return []
    if ' and ' in s:
        return [a.strip() for a in s.split(' and ') if a.strip()]
    if ';' in s:
        return [a.strip() for a in s.split(';') if a.strip()]
    # "Tan A.Schulze A.O'Donnell C. P." (names glued after the initials' full stop)
    parts = re.split(r"(?<=\.)(?=[A-Z][a-z'])", s)
    return [p.strip() for p in parts if p.strip()]


def convert(row):
    rec = {}
    used = set()

    def take(col, field=None, conv=None):
        v = (row.get(col) or '').strip()
        used.add(col)
        if v:
            rec[field or col] = conv(v) if conv else v

    take('ID', 'id')
    take('ENTRYTYPE', 'type')
    take('title')
    take('abstract')
    authors = split_authors(row.get('author') or '')
    used.add('author')
    used.add('author_full')
    if authors:
        rec['authors'] = authors
    y = (row.get('year') or '').strip()
    used.add('year')
    if re.fullmatch(r'\d{4}', y):
        rec['year'] = int(y)
    for col in ('journal', 'booktitle', 'container_title'):
        used.add(col)
        v = (row.get(col) or '').strip()
        if v and 'journal' not in rec:
            rec['journal'] = v
    take('volume')
    take('number', 'issue')
    take('issue')
    take('pages')
    take('doi')
    used.add('isbn')
    for v in (row.get('isbn') or '').splitlines():
        v = v.strip()
        if not v:
            continue
        key = 'issn' if ISSN.match(v) else 'isbn'
        rec.setdefault(key, []).append(v)
    order = ['id', 'type', 'title', 'abstract', 'authors', 'year', 'journal', 'issn',
             'isbn', 'volume', 'issue', 'pages', 'doi']
    out = {k: rec[k] for k in order if k in rec}
    extra = {k: v.strip() for k, v in row.items()
             if k not in used and k not in ('case',) and v and v.strip()}
    if extra:
        out['extra'] = extra
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: csv2jsonl.py records_pre_merged.csv > records.jsonl')
    with open(sys.argv[1], newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            sys.stdout.write(json.dumps(convert(row), ensure_ascii=False,
                                        separators=(',', ':')) + '\n')


if __name__ == '__main__':
    main()

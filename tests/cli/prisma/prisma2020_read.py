#!/usr/bin/env python3
"""Read a PRISMA2020 CSV the way the PRISMA2020 R package does (PRISMA_data.R and
PRISMA_format.R, v1.1.4) and compare what it gets with winnow-prisma's JSON.

  prisma2020_read.py FLOW.csv FLOW.json

The package finds each row with grep(pattern, data[, 1]) (a regular expression on the
data column; the two totals are anchored with $ so they miss the _ma rows), reads counts
with PRISMA_format_number_ (commas and every non-digit removed; empty is NA), and splits
the breakdown rows with PRISMA_parse_reasons_ (on "; ", then the name is what precedes
the first comma and the count what follows it). Written independently from the R code's
description, not from winnow's writer.
"""
import csv
import json
import re
import sys

COUNT_PATTERNS = ['previous_studies', 'previous_reports', 'register_results', 'database_results',
                  'website_results', 'organisation_results', 'citations_results', 'duplicates',
                  'excluded_automatic', 'excluded_other', 'records_screened', 'records_excluded',
                  'dbr_sought_reports', 'dbr_notretrieved_reports', 'other_sought_reports',
                  'other_notretrieved_reports', 'dbr_assessed', 'other_assessed', 'new_studies',
                  'new_reports', 'total_studies$', 'total_reports$', 'total_studies_ma',
                  'total_reports_ma']
REASON_PATTERNS = ['database_specific_results', 'register_specific_results', 'dbr_excluded',
                   'other_excluded']
HEADER = ['data', 'node', 'box', 'description', 'boxtext', 'tooltips', 'url', 'n']


def format_number(x):
    x = x.replace(',', '')
    x = re.sub(r'[^0-9.]', '', x)
    return None if x == '' else float(x)


def parse_reasons(s):
    if not re.search(r'[^0-9,]', s):
        return [('', format_number(s))]
    out = []
    for piece in re.split(r'(;)( )?', s):
        if piece is None or piece in (';', ' '):
            continue
        name = re.sub(r',.*$', '', piece)
        n = format_number(re.sub(r'.*?,([ 0-9,]*)|.*()', lambda m: m.group(1) or '', piece))
        out.append((name, n))
    return out


def safe(name):
    return re.sub(r' +', ' ', re.sub(r'[,;]', ' ', name)).strip() or '(unnamed)'


def main():
    rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
    want = json.load(open(sys.argv[2]))
    bad = []
    if rows[0] != HEADER:
        bad.append('header is %r' % rows[0])
    if len(rows) != 35:
        bad.append('%d rows, the template has 34' % (len(rows) - 1))
    data = [r[0] for r in rows[1:]]
    for pat in COUNT_PATTERNS + REASON_PATTERNS:
        hits = [i for i, d in enumerate(data) if re.search(pat, d)]
        if len(hits) != 1:
            bad.append('grep("%s") finds %d rows' % (pat, len(hits)))
            continue
        n = rows[1 + hits[0]][7]
        key = pat.rstrip('$')
        if pat in COUNT_PATTERNS:
            got = format_number(n)
            exp = want[key]
            if not ((got is None and exp is None) or (exp is not None and got == float(exp))):
                bad.append('%s: the package reads %r, winnow computed %r' % (key, got, exp))
        else:
            exp = want[key]
            got = parse_reasons(n)
            if exp is None:
                if n != '':
                    bad.append('%s: %r written where the count is not known' % (key, n))
                continue
            if not exp:
                if got != [('', 0.0)]:
                    bad.append('%s: an empty breakdown reads as %r' % (key, got))
                continue
            pairs = [(safe(k), float(v)) for k, v in exp.items()]
            if got != pairs:
                bad.append('%s: the package reads %r, winnow computed %r' % (key, got, pairs))
    for b in bad:
        print('FAIL: ' + b)
    print('%d keys compared' % (len(COUNT_PATTERNS) + len(REASON_PATTERNS)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""Score winnow-dedup's output against a labelled set.

    score.py --truth merged_record_ids.csv --input records.jsonl --output unique.jsonl
             [--name SET] [--show] [--json]

--truth: one duplicate group per row (column merged_ids, ids joined by ';'); records not
listed are unique. --input: the records given to winnow-dedup; --output: what it wrote
(kept records carry "duplicates" lists naming the records they absorbed).

Two views, both printed (research/dedup.md section 2.0 explains why papers differ):

removal-based  each record a perfect tool removes is a positive (a group of n records
               has n-1). A removed record is a true removal if the record that absorbed
               it is in its true group; otherwise it is a FALSE REMOVAL (the costly
               error: a study may be lost). recall = true removals / positives.
               "studies lost" counts true groups (and unique records) with no record left.
pairwise       precision and recall over all record pairs inside predicted clusters
               versus pairs inside true groups.

Every input record must be accounted for (kept, or listed in some "duplicates"); a
record that is neither is reported as DROPPED, which is a bug, never acceptable.
Exit status 0; the numbers are for people and for the golden tests that assert them.
"""
import argparse
import csv
import json
import sys
import zlib
from itertools import combinations


def load_truth(path):
    group_of = {}
    with open(path, newline='', encoding='utf-8') as f:
        for gi, row in enumerate(csv.DictReader(f)):
            ids = [x.strip() for x in row['merged_ids'].split(';') if x.strip()]
            for i in ids:
                group_of[i] = gi
    return group_of


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--truth', required=True)
    ap.add_argument('--input', required=True)
    ap.add_argument('--output', required=True)
    ap.add_argument('--name', default='')
    ap.add_argument('--show', action='store_true', help='list errors')
    ap.add_argument('--json', action='store_true', help='print one JSON object')
    ap.add_argument('--part', default='', help='K/N: score only the true groups (and unique '
                    'records) whose crc32 falls in part K of N, a fixed split for held-out checks')
    a = ap.parse_args()

    inputs = {}
    order = []
    with open(a.input, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                rid = r.get('id')
                if rid is None:
                    rid = '(no id #%d)' % len(order)
                inputs[rid] = r
                order.append(rid)
    truth = load_truth(a.truth)
    # every record gets a true group; unlisted ones are alone
    tgroup = {}
    for i, rid in enumerate(order):
        tgroup[rid] = ('g', truth[rid]) if rid in truth else ('u', rid)
    in_part = lambda rid: True
    if a.part:
        k, n = (int(x) for x in a.part.split('/'))
        first = {}
        for rid in order:
            first.setdefault(tgroup[rid], rid)
        in_part = lambda rid: zlib.crc32(first[tgroup[rid]].encode()) % n == k

    # records without an id are found again in the output by their content
    noid = {}
    for rid in order:
        if rid.startswith('(no id'):
            noid.setdefault(json.dumps(inputs[rid], sort_keys=True), []).append(rid)
    kept_of = {}
    clusters = []
    with open(a.output, encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            rid = r.get('id')
            if rid is None:
                same = noid.get(json.dumps({k: v for k, v in r.items() if k != 'duplicates'},
                                           sort_keys=True))
                rid = same.pop(0) if same else '(no id, output line %d)' % (len(clusters) + 1)
            members = [rid]
            kept_of[rid] = rid
            for d in r.get('duplicates', []):
                kept_of[d.get('id')] = rid
                members.append(d.get('id'))
            clusters.append(members)

    dropped = [rid for rid in order if rid not in kept_of and not rid.startswith('(no id')]
    order = [rid for rid in order if in_part(rid)]
    removed = [rid for rid in order if rid in kept_of and kept_of[rid] != rid]
    true_rm, false_rm = [], []
    for rid in removed:
        (true_rm if tgroup[rid] == tgroup[kept_of[rid]] else false_rm).append(rid)
    groups = {}
    for rid in order:
        groups.setdefault(tgroup[rid], []).append(rid)
    positives = sum(len(v) - 1 for v in groups.values())
    retained = {}
    for rid in order:
        if kept_of.get(rid) == rid:
            retained[tgroup[rid]] = retained.get(tgroup[rid], 0) + 1
    lost = [g for g in groups if retained.get(g, 0) == 0]
    missed = positives - len(true_rm)

    tpairs = set()
    for v in groups.values():
        for x, y in combinations(sorted(v), 2):
            tpairs.add((x, y))
    ppairs = set()
    for m in clusters:
        for x, y in combinations(sorted(m), 2):
            if in_part(x) or in_part(y):
                ppairs.add((x, y))
    inter = len(tpairs & ppairs)
    prec = inter / len(ppairs) if ppairs else 1.0
    rec = inter / len(tpairs) if tpairs else 1.0

    res = {
        'set': a.name + (' part ' + a.part if a.part else ''), 'records': len(order), 'true_groups': sum(1 for g in groups if g[0] == 'g'),
        'should_remove': positives, 'removed': len(removed), 'true_removals': len(true_rm),
        'false_removals': len(false_rm), 'missed': missed, 'studies_lost': len(lost),
        'dropped': len(dropped),
        'removal_recall': round(len(true_rm) / positives, 4) if positives else 1.0,
        'removal_precision': round(len(true_rm) / len(removed), 4) if removed else 1.0,
        'pair_precision': round(prec, 4), 'pair_recall': round(rec, 4),
        'true_pairs': len(tpairs), 'predicted_pairs': len(ppairs),
    }
    if a.json:
        print(json.dumps(res, sort_keys=True))
    else:
        print('%-20s records %5d  should remove %4d  removed %4d  true %4d  FALSE %d  missed %d  '
              'lost %d  dropped %d' % (res['set'], res['records'], positives, len(removed), len(true_rm),
                                      len(false_rm), missed, len(lost), len(dropped)))
        print('%-20s removal recall %.4f  removal precision %.4f  pair precision %.4f  pair recall %.4f'
              % ('', res['removal_recall'], res['removal_precision'], prec, rec))
    if a.show:
        def show(rid):
            r = inputs.get(rid, {})
            return '%s | %s | %s | %s | %s %s %s | %s' % (
                rid, r.get('year'), (r.get('title') or '')[:100], '; '.join(r.get('authors', [])[:3])[:60],
                (r.get('journal') or '')[:30], r.get('volume'), r.get('pages'), r.get('doi'))
        for rid in false_rm:
            print('FALSE REMOVAL:\n   ', show(rid), '\n  into', show(kept_of[rid]))
        for g, v in groups.items():
            ks = [x for x in v if kept_of.get(x) == x]
            if len(ks) > 1:
                print('MISSED:')
                for x in v:
                    print('   ', 'kept' if kept_of.get(x) == x else 'rm  ', show(x))
        for rid in dropped:
            print('DROPPED:', show(rid))


if __name__ == '__main__':
    main()

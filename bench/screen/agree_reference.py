#!/usr/bin/env python3
"""A plain reference for `winnow-screen agree`: read two decision logs (the standing
decision per record, undo honoured, maybe = include) and compute the 2x2 table, p_o and
Cohen's kappa with the Fleiss-Cohen-Everitt SE. The benchmark times both on the same
logs and checks that kappa agrees.

usage: agree_reference.py A.log B.log
"""
import math
import sys


def standing(path):
    votes = {}
    stacks = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            p = line.rstrip("\n").split("\t")
            seq, rec, act = int(p[0]), p[3], p[4]
            if act in ("include", "exclude", "maybe", "not-retrieved"):
                stacks.setdefault(rec, []).append((seq, act))
            elif act == "undo":
                ref = int(p[5])
                stacks[rec] = [x for x in stacks[rec] if x[0] != ref]
    for rec, st in stacks.items():
        if st:
            votes[rec] = "yes" if st[-1][1] in ("include", "maybe") else "no"
    return votes


def main():
    a, b = standing(sys.argv[1]), standing(sys.argv[2])
    t = {("yes", "yes"): 0, ("yes", "no"): 0, ("no", "yes"): 0, ("no", "no"): 0}
    for rec, va in a.items():
        vb = b.get(rec)
        if vb:
            t[(va, vb)] += 1
    n = sum(t.values())
    p = {k: v / n for k, v in t.items()}
    row = {"yes": p[("yes", "yes")] + p[("yes", "no")], "no": p[("no", "yes")] + p[("no", "no")]}
    col = {"yes": p[("yes", "yes")] + p[("no", "yes")], "no": p[("yes", "no")] + p[("no", "no")]}
    po = p[("yes", "yes")] + p[("no", "no")]
    pe = row["yes"] * col["yes"] + row["no"] * col["no"]
    k = (po - pe) / (1 - pe)
    # FCE for the unweighted case
    a_ = sum(p[(i, i)] * (1 - (row[i] + col[i]) * (1 - k)) ** 2 for i in ("yes", "no"))
    b_ = (1 - k) ** 2 * sum(p[(i, j)] * (col[i] + row[j]) ** 2 for i in ("yes", "no") for j in ("yes", "no") if i != j)
    c_ = (k - pe * (1 - k)) ** 2
    se = math.sqrt((a_ + b_ - c_) / (n * (1 - pe) ** 2))
    print("n=%d kappa=%.6f se=%.6f" % (n, k, se))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Score a corpus run against the hand review.

    python3 corpus/review/score.py FINDINGS.txt [--lints a,b,..]

FINDINGS.txt is the output of corpus/run.sh. Every finding is looked up in verdicts.tsv
(crate, file:line, lint); a finding that is not there but matches a ground-truth problem
(same crate, file and lint, line within 3) counts as true; anything else is printed as
UNCLASSIFIED for a human to judge (and to add to verdicts.tsv). Recall is measured against
ground_truth.tsv, leaving out the entries marked GAP (no lint covers them, even in the spec)
and "(out of static reach)".
"""
import argparse
import collections
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))


def read_tsv(name):
    rows = []
    with open(os.path.join(here, name)) as f:
        for i, line in enumerate(f):
            line = line.rstrip("\n")
            if not line or (i == 0 and line.startswith("crate\t")):
                continue
            rows.append(line.split("\t"))
    return rows


def parse_findings(path):
    out, crate = [], None
    for line in open(path):
        m = re.match(r"=== (\S+) (\S+) \(", line)
        if m:
            crate = m.group(1)
            continue
        m = re.match(r"(\S+?):(\d+):\d+: \w+: .* \[reqleak::(\w+)\]$", line.rstrip("\n"))
        if m and crate:
            out.append((crate, m.group(1), int(m.group(2)), m.group(3)))
    return out


def split_loc(loc):
    f, _, rest = loc.partition(":")
    return f, int(re.match(r"\d+", rest).group(0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("findings")
    ap.add_argument("--lints", help="only these lints (comma-separated)")
    ap.add_argument("--no-tests", action="store_true",
                    help="leave out findings whose verdict says they are in test code")
    ap.add_argument("--markdown", action="store_true",
                    help="print every finding with its verdict as a Markdown table, and stop")
    args = ap.parse_args()
    lints = set(args.lints.split(",")) if args.lints else None

    verdicts, in_tests, whys = {}, set(), {}
    for crate, loc, lint, verdict, why in read_tsv("verdicts.tsv"):
        verdicts[(crate, loc, lint)] = verdict
        whys[(crate, loc, lint)] = why
        if why.startswith("test"):
            in_tests.add((crate, loc, lint))
    truth = []
    for crate, version, loc, lint, why in read_tsv("ground_truth.tsv"):
        if lint.startswith("GAP") or "out of static reach" in why:
            continue
        f, line = split_loc(loc)
        truth.append((crate, f, line, lint))

    findings = [x for x in parse_findings(args.findings) if not lints or x[3] in lints]
    if args.no_tests:
        findings = [x for x in findings if (x[0], f"{x[1]}:{x[2]}", x[3]) not in in_tests]
    if args.markdown:
        truth_why = {}
        for crate, version, loc, lint, why in read_tsv("ground_truth.tsv"):
            f, line = split_loc(loc)
            truth_why[(crate, f, line, lint)] = why
        print("| crate | file:line | lint | verdict | why |")
        print("|---|---|---|---|---|")
        for crate, f, line, lint in findings:
            key = (crate, f"{f}:{line}", lint)
            verdict, why = verdicts.get(key), whys.get(key, "")
            if verdict is None:
                near = [t for t in truth_why if t[0] == crate and t[1] == f and t[3] == lint
                        and abs(t[2] - line) <= 3]
                if near:
                    verdict, why = "true", "ground truth: " + truth_why[near[0]]
            why = why.replace("|", "\\|")
            print(f"| {crate} | {f}:{line} | {lint} | {verdict or 'UNCLASSIFIED'} | {why} |")
        return 0
    per_lint = collections.defaultdict(lambda: [0, 0])
    found = set()
    unclassified = []
    for crate, f, line, lint in findings:
        matches = [t for t in truth if t[0] == crate and t[1] == f and t[3] == lint and abs(t[2] - line) <= 3]
        found.update(matches)
        v = verdicts.get((crate, f"{f}:{line}", lint))
        if v is None and matches:
            v = "true"
        if v is None:
            unclassified.append((crate, f, line, lint))
            continue
        per_lint[lint][1] += 1
        if v == "true":
            per_lint[lint][0] += 1
    t = sum(v[0] for v in per_lint.values())
    n = sum(v[1] for v in per_lint.values())
    print("precision per lint (true / classified findings):")
    for lint, (tp, all_) in sorted(per_lint.items()):
        print(f"  {lint:32} {tp:3} / {all_:3}")
    print(f"  {'all':32} {t:3} / {n:3} = {t / n if n else 0:.2f}")
    if unclassified:
        print(f"UNCLASSIFIED ({len(unclassified)}): judge them and add them to verdicts.tsv")
        for u in unclassified:
            print(f"  {u[0]}\t{u[1]}:{u[2]}\t{u[3]}")
    considered = [x for x in truth if not lints or x[3] in lints]
    print(f"recall against the ground truth: {len(found & set(considered))} / {len(considered)}"
          f" = {len(found & set(considered)) / len(considered) if considered else 0:.2f}")
    by = collections.defaultdict(lambda: [0, 0])
    for x in considered:
        by[x[3]][1] += 1
        if x in found:
            by[x[3]][0] += 1
    for lint, (a, b) in sorted(by.items()):
        print(f"  {lint:32} {a:3} / {b:3}")
    missed = [x for x in considered if x not in found]
    if missed:
        print("missed:")
        for m in missed:
            print(f"  {m[0]}\t{m[1]}:{m[2]}\t{m[3]}")


if __name__ == "__main__":
    sys.exit(main())

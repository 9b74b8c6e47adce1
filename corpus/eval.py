#!/usr/bin/env python3
"""Measure cargo-reqleak on labelled sets of published crates, as a user runs it.

    corpus/eval.py sets                           the sets, their crates and labels
    corpus/eval.py run BIN OUT [--sets S,..] [--no-fetch] [-- ARGS]
                                                  run BIN over every crate, findings to OUT (JSON lines)
    corpus/eval.py score OUT [--sets S,..] [--markdown] [--unlabelled]
                                                  recall and precision per set and lint
    corpus/eval.py diff OLD NEW                   findings added and removed between two runs
    corpus/eval.py conflicts                      sites where two label files give different kinds

Sets (see corpus/README.md):
  corpus   corpus/Cargo.toml, labels corpus/review/labels.tsv               (tuning)
  a        ../shared/eval/published-a, labels there (read in place)         (tuning)
  b        ../shared/eval/published-b, labels there (read in place)         (tuning)
  heldout  corpus/heldout, labels corpus/heldout/labels.tsv, written and     (tuning since its
           committed before any analyzer run on those crates               misses were studied)
  heldout2 corpus/heldout2, labels corpus/heldout2/labels.tsv, written and   (tuning since its
           committed before any analyzer run on those crates               misses were studied)
  heldout3 corpus/heldout3, labels corpus/heldout3/labels.tsv, written and   (tuning since its
           committed before any analyzer run on those crates               misses were studied)
  heldout4 corpus/heldout4, labels corpus/heldout4/labels.tsv, written and   (tuning since its
           committed before any analyzer run on those crates               misses were studied)
  heldout5 corpus/heldout5, labels corpus/heldout5/labels.tsv, written and   (tuning since its
           committed before any analyzer run on those crates               misses were studied)
  heldout6 corpus/heldout6, labels corpus/heldout6/labels.tsv, written and   (tuning since its
           committed before any analyzer run on those crates               misses were studied)
  heldout7 corpus/heldout7, labels corpus/heldout7/labels.tsv, written and   (tuning since its
           committed before any analyzer run on those crates               misses were studied)
  heldout8 corpus/heldout8, labels corpus/heldout8/labels.tsv, written and   (tuning since its
           committed before any analyzer run on those crates               misses were studied)
  heldout9 corpus/heldout9, labels corpus/heldout9/labels.tsv, written and   (tuning since its
           committed before any analyzer run on those crates               misses were studied)
  heldout10 corpus/heldout10, labels corpus/heldout10/labels.tsv, written   (tuning since its
           and committed before any analyzer run on those crates           misses were studied)
  heldout11 corpus/heldout11, labels corpus/heldout11/labels.tsv, written   (tuning since its
           and committed before any analyzer run on those crates           misses were read)
  wide     every crate of the tuning sets above, once (the lintcheck-style set; the held-out
           set is left out, so that it is run only when its figures are taken)

`run` copies each crate's registry source to a scratch folder (the registry is never written to),
downloads its dependencies there with `cargo fetch` (resolving a `Cargo.lock` when the crate was
published without one), as a user's checkout has them, so that workspace mode reads the
dependencies that hand out reqwest values; then it runs `BIN reqleak --manifest-path COPY/Cargo.toml --message-format json` at default levels and
default targets: workspace mode, as a user runs it. Path mode on COPY/src is the fallback only when
workspace mode cannot run (exit status 2), and the run records which mode each crate got.

Labels (tab-separated `kind path lines lints why`, the format of ../shared/spec/review-rubric.md)
match a finding when its primary span starts within `lines` of `path` and its lint is one of
`lints` (or `lints` is `*`). `response_unread_on_early_exit` is the old name of `error_body_dropped`.
- recall: a set's own `find` rows that some finding of one of their lints matches;
- precision: findings on `find` rows / findings on `find` or `silent` rows. Rows of every label
  file count here (a judgement is a judgement, whichever file holds it); `any` rows are neither;
- unlabelled: findings on no row. They are listed and never counted until judged and labelled
  (corpus/review/judged.tsv for tuning crates, corpus/heldout/judged.tsv for held-out ones).
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_EVAL = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "eval"))
if not os.path.isdir(SHARED_EVAL):
    SHARED_EVAL = os.environ.get("REQLEAK_SHARED_EVAL", SHARED_EVAL)

# The project's held-out sets (corpus/NAME: a manifest, labels.tsv, judged.tsv), oldest first,
# by role: "held out" until a run's misses are studied, "tuning, was held out" after.
HELD_OUT_SETS = [
    ("heldout", "tuning, was held out"),
    ("heldout2", "tuning, was held out"),
    ("heldout3", "tuning, was held out"),
    ("heldout4", "tuning, was held out"),
    ("heldout5", "tuning, was held out"),
    ("heldout6", "tuning, was held out"),
    ("heldout7", "tuning, was held out"),
    ("heldout8", "tuning, was held out"),
    ("heldout9", "tuning, was held out"),
    ("heldout10", "tuning, was held out"),
    ("heldout11", "tuning, was held out"),
]

# name -> (manifest, own label files, kind)
SETS = {
    "corpus": (os.path.join(HERE, "Cargo.toml"), [os.path.join(HERE, "review", "labels.tsv")], "tuning"),
    "a": (os.path.join(SHARED_EVAL, "published-a", "Cargo.toml"),
          [os.path.join(SHARED_EVAL, "published-a", "labels.tsv")], "tuning"),
    "b": (os.path.join(SHARED_EVAL, "published-b", "Cargo.toml"),
          [os.path.join(SHARED_EVAL, "published-b", "labels.tsv")], "tuning"),
}
for _name, _role in HELD_OUT_SETS:
    SETS[_name] = (os.path.join(HERE, _name, "Cargo.toml"), [os.path.join(HERE, _name, "labels.tsv")], _role)
# Judgements of findings that were on no row when first seen. They count for precision, never
# for recall: recall is measured on the labels written before the analyzer was looked at.
JUDGED = [os.path.join(HERE, "review", "judged.tsv")] + [
    os.path.join(HERE, name, "judged.tsv") for name, _ in HELD_OUT_SETS]

# Old names of renamed lints: labels written before a rename still match.
ALIASES = {"response_unread_on_early_exit": "error_body_dropped"}
RESPONSE_LINTS = ["unconsumed_response", "await_holding_response", "error_body_dropped",
                  "collected_responses", "response_in_static", "leaked_response", "response_field",
                  "unbounded_body_read"]
CLIENT_LINTS = ["client_per_call", "client_per_request"]
GROUPS = {"response lints": set(RESPONSE_LINTS), "client lints": set(CLIENT_LINTS)}


def canon(lint):
    return ALIASES.get(lint, lint)


# ---------------------------------------------------------------------------------------------
# Sets and labels


def crates_of(manifest):
    """(name, version, source dir) of the direct dependencies of a set's manifest."""
    out = subprocess.run(
        ["cargo", "metadata", "--manifest-path", manifest, "--format-version", "1", "--locked",
         "--offline"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"cargo metadata failed for {manifest} (run `cargo fetch --manifest-path "
                 f"{manifest}` first):\n{out.stderr.strip()}")
    meta = json.loads(out.stdout)
    packages = {p["id"]: p for p in meta["packages"]}
    root = meta["resolve"]["root"]
    node = next(n for n in meta["resolve"]["nodes"] if n["id"] == root)
    rows = []
    for dep in node["deps"]:
        p = packages[dep["pkg"]]
        rows.append((p["name"], p["version"], os.path.dirname(p["manifest_path"])))
    # A binary-only crate is no dependency to the resolver (it has no lib target) and cargo
    # metadata leaves it out, but `cargo fetch` brings its pinned source all the same.
    found = {r[0] for r in rows}
    registry = os.path.join(os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo")),
                            "registry", "src")
    for dep in packages[root]["dependencies"]:
        if dep["name"] in found or not dep["req"].startswith("="):
            continue
        version = dep["req"][1:].strip()
        for index in sorted(os.listdir(registry)) if os.path.isdir(registry) else []:
            source = os.path.join(registry, index, f"{dep['name']}-{version}")
            if os.path.isfile(os.path.join(source, "Cargo.toml")):
                rows.append((dep["name"], version, source))
                break
    return sorted(rows)


class Label:
    __slots__ = ("kind", "path", "lo", "hi", "lints", "order", "why", "source")

    def __init__(self, kind, path, lo, hi, order, why, source):
        self.kind, self.path, self.lo, self.hi = kind, path, lo, hi
        self.order = order  # the lints as written; None for `*`
        self.lints = None if order is None else set(order)
        self.why, self.source = why, source

    def matches(self, path, line, lint):
        return (self.path == path and self.lo <= line <= self.hi
                and (self.lints is None or canon(lint) in self.lints))

    def where(self):
        lines = str(self.lo) if self.lo == self.hi else f"{self.lo}-{self.hi}"
        return f"{self.path}:{lines}"


def read_labels(path):
    labels = []
    if not os.path.exists(path):
        return labels
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 4 or cols[0] not in ("find", "silent", "any"):
                sys.exit(f"{path}:{n}: expected `kind<TAB>path<TAB>lines<TAB>lints<TAB>why`")
            kind, p, lines, lints = cols[:4]
            why = cols[4] if len(cols) > 4 else ""
            m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", lines)
            if not m:
                sys.exit(f"{path}:{n}: lines must be N or A-B, not {lines!r}")
            lo = int(m.group(1))
            hi = int(m.group(2) or lo)
            names = None if lints.strip() == "*" else \
                [canon(x.strip()) for x in lints.split(",") if x.strip()]
            labels.append(Label(kind, p.strip(), lo, hi, names, why,
                                f"{os.path.relpath(path, HERE)}:{n}"))
    return labels


def set_names(arg):
    names = [x for x in (arg or ",".join(SETS)).split(",") if x]
    for n in names:
        if n not in SETS and n != "wide":
            sys.exit(f"unknown set {n!r}: one of {', '.join(SETS)}, wide")
    return names


def set_crates(name):
    if name == "wide":
        # The held-out set stays out: it is run only before and after a part of work.
        seen = {}
        for s in SETS:
            if SETS[s][2] == "held out":
                continue
            if os.path.exists(SETS[s][0]):
                for c in crates_of(SETS[s][0]):
                    seen.setdefault((c[0], c[1]), c)
        return sorted(seen.values())
    return crates_of(SETS[name][0])


# ---------------------------------------------------------------------------------------------
# Running


def primary_span(message):
    for span in message.get("spans", []):
        if span.get("is_primary"):
            return span
    spans = message.get("spans", [])
    return spans[0] if spans else None


def fetch_dependencies(copy):
    """Download the crate's dependencies, as a user's checkout has them, so that workspace mode
    can index the ones that hand out reqwest values. A crate published without `Cargo.lock` gets
    one resolved now. Returns "fetched" or why not."""
    try:
        proc = subprocess.run(["cargo", "fetch", "--manifest-path", os.path.join(copy, "Cargo.toml")],
                              capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return "cargo fetch timed out"
    if proc.returncode != 0:
        lines = [x for x in proc.stderr.strip().splitlines() if x.strip()]
        return "cargo fetch failed: " + (lines[-1] if lines else f"exit {proc.returncode}")
    return "fetched"


def run_crate(binary, name, version, src, work, extra, fetch=True):
    """Run one crate; return (record, findings)."""
    folder = f"{name}-{version}"
    copy = os.path.join(work, folder)
    shutil.copytree(src, copy, symlinks=True)
    for root, dirs, files in os.walk(copy):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                os.chmod(p, 0o644)
    deps = fetch_dependencies(copy) if fetch else "not fetched (--no-fetch)"
    mode = "workspace"
    start = time.monotonic()
    cmd = [binary, "reqleak", "--manifest-path", os.path.join(copy, "Cargo.toml"),
           "--message-format", "json", "-q"] + extra
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=work)
    if proc.returncode == 2:
        mode = "path"
        cmd = [binary, "reqleak", "src", "--message-format", "json", "-q"] + extra
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=copy)
    elapsed = time.monotonic() - start
    findings = []
    for line in proc.stdout.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") != "compiler-message":
            continue
        m = msg["message"]
        code = (m.get("code") or {}).get("code") or ""
        if not code.startswith("reqleak::"):
            continue
        span = primary_span(m)
        if span is None:
            continue
        file = span["file_name"]
        if not os.path.isabs(file):
            base = copy if mode == "path" else os.path.dirname(msg.get("manifest_path") or
                                                               os.path.join(copy, "Cargo.toml"))
            file = os.path.normpath(os.path.join(base, file))
        rel = os.path.relpath(file, work)
        findings.append({"crate": folder, "path": rel, "line": span["line_start"],
                         "col": span["column_start"], "lint": code[len("reqleak::"):],
                         "level": m.get("level"), "message": m.get("message")})
    stderr = proc.stderr
    record = {"crate": folder, "mode": mode, "deps": deps, "exit": proc.returncode,
              "seconds": round(elapsed, 3),
              "internal_error": bool(re.search(r"internal error|panicked at", stderr)),
              "stderr": stderr[-2000:]}
    shutil.rmtree(copy, ignore_errors=True)
    return record, findings


def cmd_run(args):
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        sys.exit(f"not an executable: {args.bin}")
    crates = {}
    for s in set_names(args.sets):
        for c in set_crates(s):
            crates.setdefault((c[0], c[1]), c)
    extra = args.extra or []
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reqleak-eval.") as work, \
            open(args.out, "w", encoding="utf-8") as out:
        for name, version, src in sorted(crates.values()):
            record, findings = run_crate(binary, name, version, src, work, extra,
                                         fetch=not args.no_fetch)
            out.write(json.dumps({"record": record}) + "\n")
            for f in findings:
                out.write(json.dumps({"finding": f}) + "\n")
            out.flush()
            flag = " INTERNAL ERROR" if record["internal_error"] else ""
            print(f"{record['crate']:40} {record['mode']:9} exit {record['exit']} "
                  f"{record['seconds']:7.2f}s {len(findings):3} findings{flag}", file=sys.stderr)


def load_run(path):
    records, findings = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if "record" in obj:
                records[obj["record"]["crate"]] = obj["record"]
            else:
                findings.append(obj["finding"])
    return records, findings


# ---------------------------------------------------------------------------------------------
# Scoring


def all_labels():
    labels = []
    for s in SETS:
        for p in SETS[s][1]:
            labels.extend(read_labels(p))
    for p in JUDGED:
        labels.extend(read_labels(p))
    return labels


def verdict(finding, labels):
    """'find', 'silent', 'any', 'conflict' or None, and the rows that matched."""
    rows = [lb for lb in labels if lb.matches(finding["path"], finding["line"], finding["lint"])]
    kinds = {lb.kind for lb in rows}
    if not kinds:
        return None, rows
    if "find" in kinds and "silent" in kinds:
        return "conflict", rows
    for k in ("find", "silent", "any"):
        if k in kinds:
            return k, rows
    return None, rows


def ratio(num, den):
    return f"{num}/{den} = {num / den:.2f}" if den else "–"


def score_set(name, findings, labels):
    crates = {f"{n}-{v}" for n, v, _ in set_crates(name)}
    if name == "wide":
        own = [lb for lb in labels if lb.source.split(":")[0] not in
               {os.path.relpath(p, HERE) for p in JUDGED}]
    else:
        own_files = {os.path.relpath(p, HERE) for p in SETS[name][1]}
        own = [lb for lb in labels if lb.source.split(":")[0] in own_files]
    own = [lb for lb in own if lb.path.split("/")[0] in crates]
    if name == "wide":
        # crates shared by two sets are labelled twice: one site, one row
        seen, unique = set(), []
        for lb in own:
            k = (lb.kind, lb.path, lb.lo)
            if k not in seen:
                seen.add(k)
                unique.append(lb)
        own = unique
    mine = [f for f in findings if f["crate"] in crates]
    per = collections.defaultdict(lambda: collections.Counter())
    unlabelled, wrong, missed, conflicts = [], [], [], []
    for f in mine:
        lint = canon(f["lint"])
        v, rows = verdict(f, labels)
        c = per[lint]
        c["findings"] += 1
        if v == "find":
            c["true"] += 1
        elif v == "silent":
            c["false"] += 1
            wrong.append((f, rows))
        elif v == "any":
            c["any"] += 1
        elif v == "conflict":
            c["conflict"] += 1
            conflicts.append((f, rows))
        else:
            c["unlabelled"] += 1
            unlabelled.append(f)
    for lb in own:
        if lb.kind != "find":
            continue
        hit = next((f for f in mine if lb.matches(f["path"], f["line"], f["lint"])), None)
        # a row is counted under the lint that found it, a missed one under its first lint
        lint = canon(hit["lint"]) if hit else (lb.order[0] if lb.order else "*")
        per[lint]["labelled"] += 1
        if hit:
            per[lint]["found"] += 1
        else:
            missed.append(lb)
    return per, unlabelled, wrong, missed, conflicts, len(crates)


def table(name, kind, per, ncrates, markdown):
    lints = [x for x in RESPONSE_LINTS + CLIENT_LINTS if x in per] + \
        sorted(x for x in per if x not in RESPONSE_LINTS + CLIENT_LINTS)
    rows = []
    for lint in lints:
        c = per[lint]
        rows.append((lint, c))
    for gname, members in GROUPS.items():
        g = collections.Counter()
        for lint in members:
            g.update(per.get(lint, {}))
        rows.append((gname, g))
    total = collections.Counter()
    for lint in per:
        total.update(per[lint])
    rows.append(("all", total))
    head = ["lint", "recall", "precision", "findings", "any", "unlabelled"]
    out = []
    title = f"set {name} ({kind}, {ncrates} crates)"
    if markdown:
        out.append(f"**{title}**\n")
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
    else:
        out.append(f"== {title}")
        out.append(f"{head[0]:32} {head[1]:>16} {head[2]:>16} {head[3]:>9} {head[4]:>4} {head[5]:>10}")
    for lint, c in rows:
        rec = ratio(c["found"], c["labelled"])
        pre = ratio(c["true"], c["true"] + c["false"])
        cells = [lint, rec, pre, str(c["findings"]), str(c["any"]), str(c["unlabelled"] + c["conflict"])]
        if markdown:
            bold = lint in ("response lints", "client lints", "all")
            out.append("| " + " | ".join(f"**{x}**" if bold and x != "–" else x for x in cells) + " |")
        else:
            out.append(f"{cells[0]:32} {cells[1]:>16} {cells[2]:>16} {cells[3]:>9} {cells[4]:>4} {cells[5]:>10}")
    return "\n".join(out)


def cmd_score(args):
    records, findings = load_run(args.run)
    labels = all_labels()
    exit_code = 0
    for name in set_names(args.sets):
        kind = "wide" if name == "wide" else SETS[name][2]
        per, unlabelled, wrong, missed, conflicts, n = score_set(name, findings, labels)
        print(table(name, kind, per, n, args.markdown))
        print()
        if args.details:
            for lb in missed:
                print(f"  missed  {lb.where()}  [{','.join(sorted(lb.lints or []))}]  {lb.why}")
            for f, rows in wrong:
                print(f"  false   {f['path']}:{f['line']}  [{f['lint']}]  {rows[0].why}  ({rows[0].source})")
        for f, rows in conflicts:
            print(f"  CONFLICT {f['path']}:{f['line']} [{f['lint']}]: "
                  + "; ".join(f"{r.kind} ({r.source})" for r in rows))
        if unlabelled and (args.unlabelled or name != "wide"):
            print(f"  {len(unlabelled)} unlabelled findings (judge them and add rows to "
                  f"corpus/review/judged.tsv or corpus/heldout/judged.tsv):")
            for f in unlabelled:
                print(f"    {f['path']}:{f['line']}:{f['col']} [{f['lint']}] {f['message']}")
        if unlabelled:
            exit_code = 1
        print()
    if args.robustness:
        crates = {f"{n}-{v}" for s in set_names(args.sets) for n, v, _ in set_crates(s)}
        recs = [records[c] for c in sorted(crates) if c in records]
        bad = [r for r in recs if r["internal_error"] or r["exit"] not in (0, 1)]
        path_mode = [r for r in recs if r["mode"] != "workspace"]
        print(f"robustness: {len(recs)} crates run, {len(bad)} with an internal error or exit "
              f"status other than 0/1, {len(path_mode)} in path mode")
        for r in bad:
            print(f"  {r['crate']}: exit {r['exit']}: {r['stderr'].strip()[-300:]}")
        for r in path_mode:
            print(f"  path mode: {r['crate']}")
        slow = sorted(recs, key=lambda r: -r["seconds"])[:8]
        total = sum(r["seconds"] for r in recs)
        print(f"time: {total:.1f} s in all, median "
              f"{sorted(r['seconds'] for r in recs)[len(recs) // 2]:.2f} s per crate; slowest: "
              + ", ".join(f"{r['crate']} {r['seconds']:.2f} s" for r in slow))
    return exit_code


# ---------------------------------------------------------------------------------------------
# Diff and conflicts


def key(f):
    return (f["path"], f["line"], f["col"], canon(f["lint"]))


def cmd_diff(args):
    _, old = load_run(args.old)
    _, new = load_run(args.new)
    labels = all_labels()
    old_keys = collections.Counter(key(f) for f in old)
    new_keys = collections.Counter(key(f) for f in new)
    added = [f for f in new if new_keys[key(f)] > old_keys[key(f)]]
    removed = [f for f in old if old_keys[key(f)] > new_keys[key(f)]]
    score = collections.Counter()

    def show(sign, f):
        v, rows = verdict(f, labels)
        tag = {"find": "right", "silent": "WRONG", "any": "either", "conflict": "CONFLICT",
               None: "unlabelled"}[v]
        why = f"  ({rows[0].why})" if rows and rows[0].why else ""
        print(f"{sign} {f['path']}:{f['line']}:{f['col']} [{f['lint']}] {tag}{why}")
        if v in ("find", "silent"):
            score[(sign, v)] += 1

    for f in sorted(removed, key=key):
        show("-", f)
    for f in sorted(added, key=key):
        show("+", f)
    print(f"{len(removed)} removed ({score[('-', 'find')]} right, {score[('-', 'silent')]} wrong), "
          f"{len(added)} added ({score[('+', 'find')]} right, {score[('+', 'silent')]} wrong); "
          f"{len(old)} findings before, {len(new)} after")


def cmd_conflicts(_args):
    labels = all_labels()
    by_path = collections.defaultdict(list)
    for lb in labels:
        by_path[lb.path].append(lb)
    n = 0
    for path, rows in sorted(by_path.items()):
        for i, x in enumerate(rows):
            for y in rows[i + 1:]:
                if x.source.split(":")[0] == y.source.split(":")[0]:
                    continue
                if x.hi < y.lo or y.hi < x.lo:
                    continue
                if x.kind == y.kind:
                    continue
                shared = x.lints is None or y.lints is None or (x.lints & y.lints)
                if shared:
                    n += 1
                    print(f"{x.where()}: {x.kind} [{','.join(sorted(x.lints or ['*']))}] "
                          f"({x.source}) vs {y.kind} [{','.join(sorted(y.lints or ['*']))}] ({y.source})")
    print(f"{n} conflicts")
    return 1 if n else 0


def cmd_sets(args):
    for name in set_names(args.sets):
        crates = set_crates(name)
        if name == "wide":
            print(f"wide: {len(crates)} crates")
            continue
        labels = [lb for p in SETS[name][1] for lb in read_labels(p)]
        kinds = collections.Counter(lb.kind for lb in labels)
        print(f"{name} ({SETS[name][2]}): {len(crates)} crates, "
              f"{kinds['find']} find, {kinds['silent']} silent, {kinds['any']} any  "
              f"[{os.path.relpath(SETS[name][0], os.getcwd())}]")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sets")
    p.add_argument("--sets")
    p = sub.add_parser("run")
    p.add_argument("bin")
    p.add_argument("out")
    p.add_argument("--sets", help="comma-separated set names or wide (default: every labelled set)")
    p.add_argument("--no-fetch", action="store_true",
                   help="do not `cargo fetch` each crate's dependencies (no dependency index)")
    p = sub.add_parser("score")
    p.add_argument("run")
    p.add_argument("--sets")
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--details", action="store_true", help="list every miss and false finding")
    p.add_argument("--unlabelled", action="store_true", help="list the wide set's unlabelled findings too")
    p.add_argument("--robustness", action="store_true", help="internal errors, path-mode fallbacks, time per crate")
    p = sub.add_parser("diff")
    p.add_argument("old")
    p.add_argument("new")
    sub.add_parser("conflicts")
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:  # `run BIN OUT -- ARGS..`: ARGS go to cargo-reqleak unchanged
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    args = ap.parse_args(argv)
    args.extra = extra
    return {"sets": cmd_sets, "run": cmd_run, "score": cmd_score, "diff": cmd_diff,
            "conflicts": cmd_conflicts}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())

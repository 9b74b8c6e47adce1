#!/usr/bin/env bash
# Lintcheck-style diff of two cargo-reqleak builds over every labelled crate (the wide set).
#
#   corpus/diff.sh OLD_BIN NEW_BIN [OUT_DIR]
#
# Runs both binaries over the wide set (corpus/, ../shared/eval/published-{a,b}, corpus/heldout),
# each crate in workspace mode on a scratch copy at default levels, and prints every finding added
# or removed with its label's verdict (right, WRONG, either, unlabelled), then the scores of NEW.
# The runs are kept in OUT_DIR (default corpus/out) as old.jsonl and new.jsonl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 2 ] || { echo "usage: $0 OLD_BIN NEW_BIN [OUT_DIR]" >&2; exit 2; }
out="${3:-$here/out}"
mkdir -p "$out"
python3 "$here/eval.py" run "$1" "$out/old.jsonl" --sets wide
python3 "$here/eval.py" run "$2" "$out/new.jsonl" --sets wide
python3 "$here/eval.py" diff "$out/old.jsonl" "$out/new.jsonl"
python3 "$here/eval.py" score "$out/new.jsonl" --sets corpus,a,b,heldout,wide --robustness || true

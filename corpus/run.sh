#!/usr/bin/env bash
# Run a cargo-reqleak binary over every corpus crate.
#
#   corpus/run.sh BIN [OUT] [-- EXTRA-ARGS...]
#
# BIN   the cargo-reqleak binary to try (e.g. target/release/cargo-reqleak)
# OUT   the file that collects the output (default: corpus/out/findings.txt)
# EXTRA-ARGS are passed to cargo-reqleak (e.g. -- -W response_unread_on_early_exit, or --tests).
#
# Each crate's registry source is copied to a temporary directory first (the registry is never
# written to). Workspace mode (`--manifest-path <copy>/Cargo.toml`) is tried first; if it cannot
# run (exit status 2), path mode on `<copy>/src` is the fallback. Paths in OUT are relative to the
# crate's root. A header line `=== name version (mode, exit status) ===` starts each crate's part.
# Finally the per-lint counts are printed (and appended to OUT).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 BIN [OUT] [-- EXTRA-ARGS...]" >&2; exit 2; }
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; shift
out="$here/out/findings.txt"
if [ $# -ge 1 ] && [ "$1" != "--" ]; then out="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
extra=("$@")
[ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
: > "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/reqleak-corpus.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$here/list.sh" > "$work/list.tsv"
while IFS=$'\t' read -r name version src; do
  [ -d "$src" ] || { echo "missing $src: run cargo fetch --manifest-path corpus/Cargo.toml" >&2; exit 2; }
  copy="$work/$name-$version"
  cp -R "$src" "$copy"
  chmod -R u+w "$copy"
  mode=workspace
  set +e
  "$bin" reqleak --manifest-path "$copy/Cargo.toml" --message-format short -q "${extra[@]}" \
    > "$work/stdout" 2> "$work/stderr"
  status=$?
  if [ $status -eq 2 ]; then
    mode="path (workspace mode failed: $(head -c 200 "$work/stderr" | tr '\n' ' '))"
    (cd "$copy" && "$bin" reqleak src --message-format short -q "${extra[@]}") \
      > "$work/stdout" 2> "$work/stderr"
    status=$?
  fi
  set -e
  {
    echo "=== $name $version ($mode, exit $status) ==="
    # Paths relative to the crate's root.
    sed -e "s#$copy/##g" "$work/stdout"
    sed -e "s#$copy/##g" -e 's/^/stderr: /' "$work/stderr"
  } >> "$out"
  rm -rf "$copy"
done < "$work/list.tsv"

counts="$(grep -o '\[reqleak::[a-z_]*\]' "$out" | sort | uniq -c | sort -rn || true)"
total="$(grep -c '\[reqleak::' "$out" || true)"
printf '=== counts per lint ===\n%s\ntotal: %s\n' "$counts" "$total" | tee -a "$out"

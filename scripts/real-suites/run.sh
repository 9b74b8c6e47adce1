#!/usr/bin/env bash
# Runs the test suites of published crates whose tests drive reqwest against a local mock
# server, first as published, then with `#[reqleak::check]` on every test that makes requests,
# and prints one line per crate: attribute sites inserted (one in a `macro_rules!` may make many
# tests), tests run, compile result, tests passed/failed in each run, reqleak reports, and the
# wall-time ratio of the test runs (build excluded; the fastest of RUNS runs of each).
#
# Usage: scripts/real-suites/run.sh [WORK_DIR]   (default: a fresh temporary directory)
# Env:   CRATES="wiremock@0.6.5:reqwest-0-12 ..." to choose the crates (NAME@VERSION:FEATURE, the
#        reqleak feature for the crate's reqwest version); ATTR (default `#[reqleak::check]`);
#        RUNS (default 3).
#        The third-party code is copied from Cargo's registry into WORK_DIR and never committed.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/scripts/real-suites"
WORK="${1:-$(mktemp -d -t reqleak-suites.XXXXXX)}"
mkdir -p "$WORK"
CRATES="${CRATES:-wiremock@0.6.5:reqwest-0-12 httpmock@0.8.3:reqwest-0-12 mockito@1.7.2:reqwest-0-13 reqwest-retry@0.9.1:reqwest-0-13}"
RUNS="${RUNS:-3}"  # test runs per variant; the fastest counts
ATTR="${ATTR:-#[reqleak::check]}"  # e.g. ATTR='#[reqleak::check(strict)]'
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$WORK/target}"  # share one to reuse builds
export CARGO_TERM_COLOR=never

# Bring the packages into Cargo's registry cache with an ordinary `cargo fetch`.
fetch_dir="$WORK/fetch"
mkdir -p "$fetch_dir/src"
echo 'fn main() {}' >"$fetch_dir/src/main.rs"
{
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n[dependencies]\n'
  for spec in $CRATES; do
    nv="${spec%%:*}"
    printf '%s = "=%s"\n' "${nv%@*}" "${nv#*@}"
  done
} >"$fetch_dir/Cargo.toml"
(cd "$fetch_dir" && cargo fetch -q)

printf '%-22s %-14s %-6s %-9s %-9s %-12s %-12s %-8s %s\n' crate reqwest-feature sites tests-run compiles baseline instrumented reports time-ratio
for spec in $CRATES; do
  nv="${spec%%:*}"
  feature="${spec#*:}"
  name="${nv%@*}"
  version="${nv#*@}"
  src="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$name-$version" | head -1)"
  for variant in baseline instrumented; do
    dir="$WORK/$variant/$name"
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    cp -r "$src" "$dir"
    # A workspace of its own, resolved afresh (the same way for both runs: the published lock
    # file cannot take reqleak's dependencies), and (instrumented) reqleak as a dev-dependency.
    printf '\n[workspace]\n' >>"$dir/Cargo.toml"
    rm -f "$dir/Cargo.lock" "$dir/rust-toolchain" "$dir/rust-toolchain.toml"  # this toolchain
    if [ "$variant" = instrumented ]; then
      printf '\n[dev-dependencies.reqleak]\npath = "%s/runtime"\ndefault-features = false\nfeatures = ["%s", "blocking"]\n' \
        "$REPO" "$feature" >>"$dir/Cargo.toml"
      count="$(python3 "$HERE/instrument.py" "$dir" "$ATTR")"
    fi
    (cd "$dir" && cargo test --tests --no-run -q >"$WORK/$variant-$name.build.log" 2>&1) && built=yes || built=no
    secs=""
    for _ in $(seq "$RUNS"); do
      start=$(date +%s.%N)
      (cd "$dir" && cargo test --tests --no-fail-fast >"$WORK/$variant-$name.test.log" 2>&1) || true
      end=$(date +%s.%N)
      t=$(echo "$end - $start" | bc)
      if [ -z "$secs" ] || [ "$(echo "$t < $secs" | bc)" = 1 ]; then secs=$t; fi
    done
    passed=$(grep -Eo '[0-9]+ passed' "$WORK/$variant-$name.test.log" | awk '{s+=$1} END {print s+0}')
    failed=$(grep -Eo '[0-9]+ failed' "$WORK/$variant-$name.test.log" | awk '{s+=$1} END {print s+0}')
    eval "${variant}_built=$built ${variant}_secs=$secs ${variant}_result='${passed}p/${failed}f'"
  done
  reports=$(grep -c '^reqleak: `' "$WORK/instrumented-$name.test.log" || true)
  grep -A6 '^reqleak: `' "$WORK/instrumented-$name.test.log" >"$WORK/reports-$name.txt" || true
  ratio=$(echo "scale=2; $instrumented_secs / $baseline_secs" | bc)
  ran=$(( ${instrumented_result%%p/*} + $(echo "$instrumented_result" | sed 's/.*p\///; s/f//') ))
  printf '%-22s %-14s %-6s %-9s %-9s %-12s %-12s %-8s %s\n' "$name $version" "$feature" "$count" "$ran" \
    "$instrumented_built" "$baseline_result" "$instrumented_result" "$reports" "$ratio"
done
echo "logs: $WORK/{baseline,instrumented}-NAME.{build,test}.log, reports: $WORK/reports-NAME.txt"

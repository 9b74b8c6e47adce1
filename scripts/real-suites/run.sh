#!/usr/bin/env bash
# Runs the test suites of published crates whose tests drive reqwest against a local mock
# server, first as published, then with `#[reqleak::check]` on every test that makes requests,
# and prints one line per crate: attribute sites inserted (one in a `macro_rules!` may make many
# tests), tests run, compile result, tests passed/failed in each run, reqleak reports, what the
# checks saw (REQLEAK_LOG=checks: responses tracked, clients built, checks that saw nothing), and
# the wall-time ratio of the test runs (build excluded; the fastest of RUNS runs of each).
#
# Usage: scripts/real-suites/run.sh [WORK_DIR]   (default: a fresh temporary directory)
# Env:   CRATES="wiremock@0.6.5:reqwest-0-12 ..." to choose the crates
#        (NAME@VERSION:FEATURE[:lib[:DEP=VERSION..]]: the reqleak feature for the crate's reqwest
#        version; `lib`: the crate's tests are unit tests in src/ that call its library: they and
#        the library's impl blocks that send requests get the attribute, and `cargo test --lib`
#        runs them; DEP=VERSION pins a dev-dependency, `=` implied, e.g. `mockito=1.2.0`); ATTR
#        (default `#[reqleak::check]`); RUNS (default 3).
#        The third-party code is copied from Cargo's registry into WORK_DIR and never committed.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/scripts/real-suites"
WORK="${1:-$(mktemp -d -t reqleak-suites.XXXXXX)}"
mkdir -p "$WORK"
# influxdb2 and weaviate-community are on reqwest 0.11, and their tests call the library (whose
# impl blocks are instrumented: `lib`). weaviate-community's manifest names mockito 1.2.0 (a
# caret requirement): a newer mockito's `Server::new()` panics inside `#[tokio::test]`, so it is
# pinned to the version named.
CRATES="${CRATES:-wiremock@0.6.5:reqwest-0-12 httpmock@0.8.3:reqwest-0-12 mockito@1.7.2:reqwest-0-13 reqwest-retry@0.9.1:reqwest-0-13 influxdb2@0.5.2:reqwest-0-11:lib weaviate-community@0.2.2:reqwest-0-11:lib:mockito=1.2.0}"
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
# (The pinned dev-dependencies are fetched when each suite resolves.)
(cd "$fetch_dir" && cargo fetch -q)

printf '%-26s %-13s %-9s %-9s %-9s %-12s %-12s %-8s %-10s %-8s %-8s %s\n' crate reqwest-feature sites tests-run compiles baseline instrumented reports responses clients blind time-ratio
for spec in $CRATES; do
  IFS=: read -r nv feature lib pins <<<"$spec"
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
    # Pinned dev-dependencies (both runs: the published suite must pass too).
    for pin in ${pins//,/ }; do
      python3 - "$dir/Cargo.toml" "${pin%%=*}" "${pin#*=}" <<'PY'
import re, sys
path, dep, version = sys.argv[1:]
text = open(path).read()
text = re.sub(r'(\[dev-dependencies\.' + re.escape(dep) + r'\]\nversion = )"[^"]*"', r'\1"=' + version + '"', text)
open(path, "w").write(text)
PY
    done
    if [ "$variant" = instrumented ]; then
      # With `lib`, the library's code carries the attribute: reqleak is a dependency.
      section=dev-dependencies
      [ "$lib" = lib ] && section=dependencies
      printf '\n[%s.reqleak]\npath = "%s/runtime"\ndefault-features = false\nfeatures = ["%s", "blocking"]\n' \
        "$section" "$REPO" "$feature" >>"$dir/Cargo.toml"
      if [ "$lib" = lib ]; then
        read -r count impls <<<"$(python3 "$HERE/instrument.py" "$dir" "$ATTR" --lib)"
        count="$count+${impls}i"
      else
        count="$(python3 "$HERE/instrument.py" "$dir" "$ATTR")"
      fi
    fi
    # `lib`: the crate's tests are its unit tests (in src/), run with `--lib`.
    targets=--tests
    [ "$lib" = lib ] && targets=--lib
    (cd "$dir" && cargo test $targets --no-run -q >"$WORK/$variant-$name.build.log" 2>&1) && built=yes || built=no
    secs=""
    checks_log="$WORK/checks-$name.log"
    for _ in $(seq "$RUNS"); do
      rm -f "$checks_log"
      start=$(date +%s.%N)
      (cd "$dir" && REQLEAK_LOG=checks REQLEAK_LOG_FILE="$checks_log" \
        cargo test $targets --no-fail-fast >"$WORK/$variant-$name.test.log" 2>&1) || true
      end=$(date +%s.%N)
      t=$(echo "$end - $start" | bc)
      if [ -z "$secs" ] || [ "$(echo "$t < $secs" | bc)" = 1 ]; then secs=$t; fi
    done
    passed=$( (grep -Eo '[0-9]+ passed' "$WORK/$variant-$name.test.log" || true) | awk '{s+=$1} END {print s+0}')
    failed=$( (grep -Eo '[0-9]+ failed' "$WORK/$variant-$name.test.log" || true) | awk '{s+=$1} END {print s+0}')
    eval "${variant}_built=$built ${variant}_secs=$secs ${variant}_result='${passed}p/${failed}f'"
  done
  reports=$(grep -c '^reqleak: `' "$WORK/instrumented-$name.test.log" || true)
  # What the checks saw (the last instrumented run): responses, clients, checks that saw none.
  responses=$( (grep -Eo 'ended: [0-9]+ responses?' "$checks_log" 2>/dev/null || true) | awk '{s+=$2} END {print s+0}')
  clients=$( (grep -Eo '[0-9]+ clients? built' "$checks_log" 2>/dev/null || true) | awk '{s+=$1} END {print s+0}')
  blind=$(grep -c 'saw no response' "$checks_log" 2>/dev/null || true)
  checks=$(cat "$checks_log" 2>/dev/null | wc -l)
  grep -A6 '^reqleak: `' "$WORK/instrumented-$name.test.log" >"$WORK/reports-$name.txt" || true
  ratio=$(echo "scale=2; $instrumented_secs / $baseline_secs" | bc)
  ran=$(( ${instrumented_result%%p/*} + $(echo "$instrumented_result" | sed 's/.*p\///; s/f//') ))
  printf '%-26s %-13s %-9s %-9s %-9s %-12s %-12s %-8s %-10s %-8s %-8s %s\n' "$name $version" "$feature" "$count" "$ran" \
    "$instrumented_built" "$baseline_result" "$instrumented_result" "$reports" "$responses" "$clients" \
    "${blind:-0}/${checks// /}" "$ratio"
done
echo "sites: test attributes (+Ni: impl blocks of the library); blind: checks that saw no response / checks"
echo "logs: $WORK/{baseline,instrumented}-NAME.{build,test}.log, reports: $WORK/reports-NAME.txt, checks: $WORK/checks-NAME.log"

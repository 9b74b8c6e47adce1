#!/usr/bin/env bash
# The release `cargo-reqleak --message-format short` against the parse floor (the
# `parse_floor` example: read, `syn::parse_file`, walk the tree) on the same files: every
# crate of the published corpus (`corpus/list.sh`), in path mode, runs interleaved. Prints
# each run's wall time, CPU time (user + system, which other load on the machine disturbs
# less) and maximum RSS, then the median and the best of each and their ratios.
#
#   cargo-reqleak/benches/binary_vs_floor.sh [ROUNDS] [-- EXTRA-ARGS]   # e.g. -- --all-targets
#
# EXTRA-ARGS go to both programs (`--all-targets` is the only one parse_floor knows).
# Needs the corpus sources (`cargo fetch --manifest-path corpus/Cargo.toml`) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=10
if [ $# -gt 0 ] && [ "$1" != "--" ]; then rounds=$1; shift; fi
[ "${1:-}" = "--" ] && shift
extra=("$@")

cargo build --release --quiet -p cargo-reqleak --bin cargo-reqleak --example parse_floor
reqleak=target/release/cargo-reqleak
floor=target/release/examples/parse_floor
mapfile -t dirs < <(corpus/list.sh | cut -f3)
echo "corpus: ${#dirs[@]} crates; $($floor "${extra[@]}" "${dirs[@]}")"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in $(seq "$rounds"); do
  /usr/bin/time -f "%e %U %S %M" -o "$out/r" "$reqleak" reqleak --message-format short -q --no-cache \
    "${extra[@]}" "${dirs[@]}" > /dev/null || true
  /usr/bin/time -f "%e %U %S %M" -o "$out/f" "$floor" "${extra[@]}" "${dirs[@]}" > /dev/null
  read -r rt ru rs rm < "$out/r"; read -r ft fu fs fm < "$out/f"
  echo "$rt $ru $rs $rm" >> "$out/reqleak"; echo "$ft $fu $fs $fm" >> "$out/floor"
  printf 'round %2d: cargo-reqleak %6.2f s (CPU %6.2f s) %7d KB | parse floor %6.2f s (CPU %6.2f s) %7d KB\n' \
    "$round" "$rt" "$(awk "BEGIN { print $ru + $rs }")" "$rm" "$ft" "$(awk "BEGIN { print $fu + $fs }")" "$fm"
done
python3 - "$out/reqleak" "$out/floor" <<'EOF'
import statistics, sys
runs = [[tuple(map(float, l.split())) for l in open(p)] for p in sys.argv[1:3]]
wall = [[w for w, _, _, _ in x] for x in runs]
cpu = [[u + s for _, u, s, _ in x] for x in runs]
rss = [max(m for _, _, _, m in x) / 1024 for x in runs]
med, best = statistics.median, min
for name, w, c, m in zip(["cargo-reqleak", "parse floor  "], wall, cpu, rss):
    print(f"{name}: wall median {med(w):.2f} s, best {best(w):.2f} s; "
          f"CPU median {med(c):.2f} s, best {best(c):.2f} s; max RSS {m:.0f} MB")
print(f"ratio: wall median {med(wall[0]) / med(wall[1]):.2f}, best {best(wall[0]) / best(wall[1]):.2f}; "
      f"CPU median {med(cpu[0]) / med(cpu[1]):.2f}, best {best(cpu[0]) / best(cpu[1]):.2f}")
EOF

#!/usr/bin/env bash
# Files and lines of Rust in each corpus crate (all `*.rs` in the published package, and the
# part under src/), with totals. Reads the registry sources; writes nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
printf '%-24s %-12s %7s %9s %7s %9s\n' crate version files lines src_fil src_lines
tf=0; tl=0; sf=0; sl=0
while IFS=$'\t' read -r name version src; do
  f=$(find "$src" -name '*.rs' -type f | wc -l)
  l=$(find "$src" -name '*.rs' -type f -print0 | xargs -0 -r cat | wc -l)
  if [ -d "$src/src" ]; then
    f2=$(find "$src/src" -name '*.rs' -type f | wc -l)
    l2=$(find "$src/src" -name '*.rs' -type f -print0 | xargs -0 -r cat | wc -l)
  else f2=0; l2=0; fi
  printf '%-24s %-12s %7d %9d %7d %9d\n' "$name" "$version" "$f" "$l" "$f2" "$l2"
  tf=$((tf+f)); tl=$((tl+l)); sf=$((sf+f2)); sl=$((sl+l2))
done < <("$here/list.sh")
printf '%-24s %-12s %7d %9d %7d %9d\n' TOTAL "" "$tf" "$tl" "$sf" "$sl"

#!/usr/bin/env bash
# Print each corpus crate: name <TAB> version <TAB> source directory under ~/.cargo/registry/src/.
set -euo pipefail
exec python3 "$(dirname "$0")/list.py" "$@"

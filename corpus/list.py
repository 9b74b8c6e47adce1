#!/usr/bin/env python3
"""Print the corpus crates: name, version and source directory (one a line, tab-separated).

The corpus crates are the direct dependencies of corpus/Cargo.toml, resolved through the
committed corpus/Cargo.lock. Their sources live under ~/.cargo/registry/src/ once
`cargo fetch --manifest-path corpus/Cargo.toml` has run; this script never writes there.
"""
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
manifest = os.path.join(here, "Cargo.toml")
out = subprocess.run(
    ["cargo", "metadata", "--manifest-path", manifest, "--format-version", "1", "--locked"],
    check=True, capture_output=True, text=True,
).stdout
meta = json.loads(out)
packages = {p["id"]: p for p in meta["packages"]}
root = meta["resolve"]["root"]
node = next(n for n in meta["resolve"]["nodes"] if n["id"] == root)
rows = []
for dep in node["deps"]:
    p = packages[dep["pkg"]]
    rows.append((p["name"], p["version"], os.path.dirname(p["manifest_path"])))
for name, version, src in sorted(rows):
    print(f"{name}\t{version}\t{src}")
if not rows:
    sys.exit("no corpus crates found")

#!/usr/bin/env python3
"""Print the corpus crates: name, version and source directory (one a line, tab-separated).

The corpus crates are the direct dependencies of corpus/Cargo.toml, resolved through the
committed corpus/Cargo.lock (`eval.py`'s reading of a set's manifest). Their sources live under
~/.cargo/registry/src/ once `cargo fetch --manifest-path corpus/Cargo.toml` has run; this script
never writes there.
"""
import importlib.util
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("eval", os.path.join(here, "eval.py"))
evaluation = importlib.util.module_from_spec(spec)
spec.loader.exec_module(evaluation)

rows = evaluation.crates_of(os.path.join(here, "Cargo.toml"))
for name, version, src in rows:
    print(f"{name}\t{version}\t{src}")
if not rows:
    sys.exit("no corpus crates found")

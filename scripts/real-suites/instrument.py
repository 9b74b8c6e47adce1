#!/usr/bin/env python3
"""Puts `#[reqleak::check]` on every test function of a crate's tests that make requests.

Usage: instrument.py CRATE_DIR [ATTRIBUTE] [--lib]   (ATTRIBUTE: default `#[reqleak::check]`)

Every `.rs` file under CRATE_DIR/tests (recursively) that mentions reqwest (or `.send(`) gets
`#[reqleak::check]` inserted above the attribute group of each test function (`#[test]`,
`#[tokio::test(..)]`, `#[async_std::test]`, any `#[x::test]`), above the test attribute on
purpose: the attribute moves itself below it. With `--lib`, for a crate whose tests are unit
tests in src/ calling its library: the test functions of the files under CRATE_DIR/src are
instrumented the same way, and every top-level `impl` block of a file there that calls `.send(`
gets `#[reqleak::check]` (without options: its functions report into the test that calls them).
Prints the number of tests instrumented, and with `--lib` the number of impl blocks.
"""
import pathlib
import re
import sys

TEST_ATTR = re.compile(r"^\s*#\[\s*(test|[A-Za-z_][A-Za-z0-9_]*::test)\s*(\(.*\))?\s*\]\s*$")
ANY_ATTR = re.compile(r"^\s*#\[")


def instrument(path: pathlib.Path, attribute: str) -> int:
    text = path.read_text()
    if "reqwest" not in text and ".send(" not in text:
        return 0
    lines = text.split("\n")
    out = []
    count = 0
    i = 0
    while i < len(lines):
        if ANY_ATTR.match(lines[i]):
            # An attribute group: consecutive attribute lines (multi-line ones kept whole).
            group = []
            depth = 0
            while i < len(lines) and (ANY_ATTR.match(lines[i]) or depth > 0):
                depth += lines[i].count("[") - lines[i].count("]")
                group.append(lines[i])
                i += 1
            if any(TEST_ATTR.match(l) for l in group) and not any(
                "reqleak::check" in l for l in group
            ):
                indent = re.match(r"^\s*", group[0]).group(0)
                out.append(f"{indent}{attribute}")
                count += 1
            out.extend(group)
            continue
        out.append(lines[i])
        i += 1
    path.write_text("\n".join(out))
    return count


IMPL = re.compile(r"^impl\b.*\{\s*$")


def instrument_lib(path: pathlib.Path) -> int:
    """`#[reqleak::check]` above each top-level `impl .. {` of a file that sends requests."""
    text = path.read_text()
    if ".send(" not in text:
        return 0
    out = []
    count = 0
    for line in text.split("\n"):
        if IMPL.match(line):
            out.append("#[reqleak::check]")
            count += 1
        out.append(line)
    path.write_text("\n".join(out))
    return count


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--lib"]
    lib = "--lib" in sys.argv[1:]
    root = pathlib.Path(args[0])
    attribute = args[1] if len(args) > 1 else "#[reqleak::check]"
    total = 0
    for f in sorted((root / "tests").rglob("*.rs")):
        total += instrument(f, attribute)
    if lib:
        impls = 0
        for f in sorted((root / "src").rglob("*.rs")):
            impls += instrument_lib(f)
            total += instrument(f, attribute)
        print(total, impls)
    else:
        print(total)


if __name__ == "__main__":
    main()

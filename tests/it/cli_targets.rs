//! Target selection as `cargo clippy` has it: by default the library and the binaries (and the
//! build script) without their test code; `--lib`, `--bins`, `--bin NAME`, `--examples`,
//! `--example NAME`, `--tests`, `--test NAME`, `--benches`, `--bench NAME`, `--all-targets`.
//! In path mode the same flags apply to files under `tests/`, `benches/` and `examples/`.

use crate::support;

use support::{package_manifest, run, tree, LEAKED};

/// A leak in library code (line 2), in a `#[cfg(test)]` module (line 7) and in a function
/// with a test attribute (line 13).
const LIB: &str = "pub fn forget(resp: reqwest::blocking::Response) {
    std::mem::forget(resp);
}
#[cfg(test)]
mod tests {
    pub fn forget(resp: reqwest::blocking::Response) {
        std::mem::forget(resp);
    }
}

#[tokio::test]
async fn in_a_test(resp: reqwest::blocking::Response) {
    std::mem::forget(resp);
}
";

const MAIN: &str = "fn main() {}\npub fn forget(resp: reqwest::blocking::Response) {\n    std::mem::forget(resp);\n}\n";

fn files() -> Vec<(&'static str, String)> {
    vec![
        ("src/lib.rs", LIB.to_string()),
        ("src/main.rs", MAIN.to_string()),
        ("src/bin/tool.rs", MAIN.to_string()),
        ("tests/it.rs", format!("#[test]\nfn t() {{}}\n{LEAKED}")),
        ("examples/ex.rs", MAIN.to_string()),
        ("benches/b.rs", MAIN.to_string()),
        ("build.rs", MAIN.to_string()),
    ]
}

/// The files of [`files`], and `extra`, in a temporary directory.
fn files_tree(extra: &[(&'static str, String)]) -> tempfile::TempDir {
    let mut all = files();
    all.extend(extra.iter().cloned());
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(p, t)| (*p, t.as_str())).collect();
    tree(&borrowed)
}

fn package() -> tempfile::TempDir {
    files_tree(&[("Cargo.toml", package_manifest("kinds", ""))])
}

/// `file:line` of every finding, in order.
fn found(dir: &tempfile::TempDir, flags: &[&str]) -> Vec<String> {
    let mut args = vec!["--message-format", "short", "-q"];
    args.extend(flags);
    let out = run(dir.path(), &args);
    assert_eq!(out.stderr, "", "{flags:?}");
    out.stdout
        .lines()
        .map(|l| {
            let mut parts = l.splitn(3, ':');
            format!("{}:{}", parts.next().unwrap(), parts.next().unwrap())
        })
        .collect()
}

const BUILD: &str = "build.rs:3";
const BENCH: &str = "benches/b.rs:3";
const EXAMPLE: &str = "examples/ex.rs:3";
const TOOL: &str = "src/bin/tool.rs:3";
const LIB_CODE: &str = "src/lib.rs:2";
const LIB_TEST_MOD: &str = "src/lib.rs:7";
const LIB_TEST_FN: &str = "src/lib.rs:13";
const MAIN_RS: &str = "src/main.rs:3";
const IT: &str = "tests/it.rs:4";
/// What `--all-targets` finds, in order.
const EVERY_FINDING: &[&str] = &[
    BENCH,
    BUILD,
    EXAMPLE,
    TOOL,
    LIB_CODE,
    LIB_TEST_MOD,
    LIB_TEST_FN,
    MAIN_RS,
    IT,
];

#[test]
fn workspace_mode_selects_targets_as_cargo_clippy() {
    let dir = package();
    let cases: &[(&[&str], &[&str])] = &[
        (&[], &[BUILD, TOOL, LIB_CODE, MAIN_RS]),
        (&["--lib"], &[BUILD, LIB_CODE]),
        (&["--bins"], &[BUILD, TOOL, MAIN_RS]),
        (&["--bin", "tool"], &[BUILD, TOOL]),
        (&["--examples"], &[BUILD, EXAMPLE]),
        (&["--example", "ex"], &[BUILD, EXAMPLE]),
        (
            &["--tests"],
            &[
                BUILD,
                TOOL,
                LIB_CODE,
                LIB_TEST_MOD,
                LIB_TEST_FN,
                MAIN_RS,
                IT,
            ],
        ),
        (&["--test", "it"], &[BUILD, IT]),
        (
            &["--benches"],
            &[
                BENCH,
                BUILD,
                TOOL,
                LIB_CODE,
                LIB_TEST_MOD,
                LIB_TEST_FN,
                MAIN_RS,
            ],
        ),
        (&["--bench", "b"], &[BENCH, BUILD]),
        (&["--lib", "--test", "it"], &[BUILD, LIB_CODE, IT]),
        (&["--all-targets"], EVERY_FINDING),
    ];
    for (flags, expected) in cases {
        assert_eq!(found(&dir, flags), *expected, "{flags:?}");
    }
}

#[test]
fn an_unknown_target_name_is_an_error_naming_the_targets() {
    let dir = package();
    let out = run(dir.path(), &["--bin", "tol"]);
    assert_eq!((out.status, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        "error: no bin target named `tol` (available bin targets: kinds, tool)\n"
    );
    let out = run(dir.path(), &["--example", "x", "--test", "it"]);
    assert_eq!(
        out.stderr,
        "error: no example target named `x` (available example targets: ex)\n"
    );
}

#[test]
fn path_mode_applies_the_flags_to_directories_and_test_attributes() {
    let dir = files_tree(&[]);
    let cases: &[(&[&str], &[&str])] = &[
        (&["."], &[BUILD, TOOL, LIB_CODE, MAIN_RS]),
        (&[".", "--lib"], &[BUILD, TOOL, LIB_CODE, MAIN_RS]),
        (&[".", "--examples"], &[BUILD, EXAMPLE]),
        (
            &[".", "--tests"],
            &[
                BUILD,
                TOOL,
                LIB_CODE,
                LIB_TEST_MOD,
                LIB_TEST_FN,
                MAIN_RS,
                IT,
            ],
        ),
        (&[".", "--all-targets"], EVERY_FINDING),
    ];
    for (flags, expected) in cases {
        assert_eq!(found(&dir, flags), *expected, "{flags:?}");
    }
    // The innermost of `src`, `tests`, `benches`, `examples` decides: a `src/` below a
    // `tests/` folder is a library again.
    let dir = tree(&[("tests/fixture/src/lib.rs", LEAKED)]);
    assert_eq!(found(&dir, &["."]), ["tests/fixture/src/lib.rs:2"]);
}

#[test]
fn path_mode_says_which_named_files_were_left_out() {
    let dir = files_tree(&[]);
    let out = run(
        dir.path(),
        &["--message-format", "short", "tests/it.rs", "src/lib.rs"],
    );
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stdout,
        "src/lib.rs:2:5: error: `std::mem::forget` leaks this response [reqleak::leaked_response]\n"
    );
    assert_eq!(
        out.stderr,
        "note: not analyzed, as their targets are not selected (add --tests, --benches, --examples or --all-targets): tests/it.rs\n\
         reqleak: 0 warnings, 1 error in 1 file (T ms)\n"
    );
    let out = run(
        dir.path(),
        &["--message-format", "short", "tests", "examples/", "src"],
    );
    assert_eq!(
        out.stderr,
        "note: not analyzed, as their targets are not selected (add --tests, --benches, --examples or --all-targets): tests, examples/\n\
         reqleak: 0 warnings, 3 errors in 3 files (T ms)\n"
    );
    let out = run(dir.path(), &["-q", "tests/it.rs"]);
    assert_eq!(
        (out.status, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    let out = run(dir.path(), &["--bin", "tool", "src"]);
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        "error: `--bin NAME` selects a Cargo target by name, which needs workspace mode; with paths, use `--bins`, `--examples`, `--tests` or `--benches`\n"
    );
}

/// A library whose public function builds a client per call, and a binary that calls it once:
/// the binary, built by default, makes the function a command of a CLI (silent); built only
/// with a feature the package does not enable by default, it is the optional CLI of a library
/// and says nothing (the function is public API, flagged).
#[test]
fn only_a_binary_built_by_default_makes_library_functions_commands() {
    const LIB: &str = "pub async fn status(url: &str) -> reqwest::Result<String> {
    let client = reqwest::Client::new();
    client.get(url).send().await?.text().await
}
";
    const MAIN: &str = "#[tokio::main]
async fn main() {
    let _ = cli::status(\"https://example.com/\").await;
}
";
    let package = |bin: &str| {
        let manifest = format!("{}\n{bin}", package_manifest("cli", ""));
        tree(&[
            ("Cargo.toml", manifest.as_str()),
            ("src/lib.rs", LIB),
            ("src/main.rs", MAIN),
        ])
    };
    assert_eq!(found(&package(""), &[]), Vec::<String>::new());
    let default_on = "[features]\ndefault = [\"cli\"]\ncli = []\n\n[[bin]]\nname = \"cli\"\npath = \"src/main.rs\"\nrequired-features = [\"cli\"]\n";
    assert_eq!(found(&package(default_on), &[]), Vec::<String>::new());
    let optional = "[features]\ncli = []\n\n[[bin]]\nname = \"cli\"\npath = \"src/main.rs\"\nrequired-features = [\"cli\"]\n";
    assert_eq!(found(&package(optional), &[]), ["src/lib.rs:2"]);
}

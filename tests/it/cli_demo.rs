//! The README's first command: the demo crate shows every default-on lint.

use crate::support;

use std::collections::BTreeSet;
use std::path::Path;

use support::run;

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn the_demo_shows_every_default_on_lint() {
    let out = run(
        workspace_root(),
        &[
            "--color",
            "never",
            "--manifest-path",
            "examples/demo/Cargo.toml",
        ],
    );
    insta::assert_snapshot!("demo_human", out.stdout);
    assert_eq!(
        out.stderr,
        "reqleak: 9 warnings, 1 error in 5 files (T ms)\n"
    );
    assert_eq!(out.status, 1);

    let out = run(
        workspace_root(),
        &[
            "--message-format",
            "json",
            "--manifest-path",
            "examples/demo/Cargo.toml",
        ],
    );
    let codes: BTreeSet<String> = support::json_summary(&out)
        .into_iter()
        .map(|(_, _, code)| code)
        .collect();
    let default_on: BTreeSet<String> = reqleak_analysis::LINTS
        .iter()
        .filter(|l| l.reporter == reqleak_analysis::Reporter::Analyzer)
        .filter(|l| l.default_level != reqleak_analysis::Level::Allow)
        .map(|l| l.code())
        .collect();
    assert_eq!(codes, default_on);
    assert!(out
        .json_lines()
        .iter()
        .filter(|m| m["reason"] == "compiler-message")
        .all(|m| m["target"]["name"] == "reqleak-demo"
            && m["manifest_path"]
                .as_str()
                .unwrap()
                .ends_with("examples/demo/Cargo.toml")));
}

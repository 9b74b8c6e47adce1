//! A crate on reqwest 0.12 whose reqleak tracks 0.13 only (its default features): the check
//! fails loudly, listing each response it could not track and naming the feature to enable.
//!
//! The crate (`tests/untracked/`) is its own workspace, built here into `target/untracked`: in
//! this workspace reqleak's features are unified, and 0.12 is tracked.

use reqleak_tests::line_of;

const MAIN: &str = include_str!("../untracked/src/main.rs");

#[test]
fn untracked_reqwest_version_fails_the_check_naming_the_feature() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--locked", "--manifest-path"])
        .arg(root.join("tests/untracked/Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/untracked"))
        .output()
        .expect("cargo run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result =
        "core::result::Result<reqwest::async_impl::response::Response, reqwest::error::Error>";
    let (kept, read) = (line_of(MAIN, "// @kept"), line_of(MAIN, "// @read"));
    assert_eq!(
        stdout,
        format!(
            "reqleak: `reqleak_untracked::fetch` could not track 2 responses\n\
             \x20 - untracked `{result}` created at src/main.rs:{kept}:16 in reqleak_untracked::fetch\n\
             \x20 - untracked `{result}` created at src/main.rs:{read}:16 in reqleak_untracked::fetch\n\
             \x20 = help: this build of reqleak tracks reqwest 0.13 only: enable the feature `reqwest-0-12` of `reqleak` to track reqwest 0.12 (reqleak supports 0.12 and 0.13)\n"
        )
    );
}

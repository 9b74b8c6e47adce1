//! A crate on reqwest 0.12 and 0.11 whose reqleak tracks 0.13 only (its default features): each
//! check fails loudly, listing each response it could not track and naming the one feature to
//! enable, told apart by the `http` version the response type is built on.
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
    let read011 = line_of(MAIN, "// @read011");
    assert_eq!(
        stdout,
        format!(
            "reqleak: `reqleak_untracked::fetch` could not track 2 responses\n\
             \x20 - untracked `{result}` created at src/main.rs:{kept}:16 in reqleak_untracked::fetch\n\
             \x20 - untracked `{result}` created at src/main.rs:{read}:16 in reqleak_untracked::fetch\n\
             \x20 = help: this is a reqwest 0.12 response, and this build of reqleak does not track 0.12: enable the feature `reqwest-0-12` of `reqleak`\n\
             reqleak: `reqleak_untracked::fetch_011` could not track 1 response\n\
             \x20 - untracked `{result}` created at src/main.rs:{read011}:16 in reqleak_untracked::fetch_011\n\
             \x20 = help: this is a reqwest 0.11 response, and this build of reqleak does not track 0.11: enable the feature `reqwest-0-11` of `reqleak`\n"
        )
    );
}

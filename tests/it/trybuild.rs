//! Compile-time behaviour of `#[reqleak::check]`: misuse is a clear error at the culprit token,
//! and every supported function shape compiles.
//!
//! The expected errors (`trybuild/fail/*.stderr`) are rustc's own output, whose wording, notes
//! and spans change between releases. As in dtolnay's crates, they are compared only under the
//! toolchain they were recorded with, [`RECORDED_WITH`]; under any other the failing cases are
//! skipped with a message, and the cases that must compile still run. After a toolchain
//! upgrade, record them again and review the diff:
//!
//! ```sh
//! TRYBUILD=overwrite cargo test -p reqleak-tests --test it trybuild
//! ```
//!
//! then set [`RECORDED_WITH`] to the new `rustc --version`.

use std::process::Command;

/// The start of `rustc --version` for the toolchain the `.stderr` files were recorded with (a
/// nightly or beta of the same number prints `-nightly`/`-beta` after it, and does not match).
const RECORDED_WITH: &str = "rustc 1.95.0 ";

/// `rustc --version` of the compiler cargo runs here (`$RUSTC`, or `rustc` on the path, which
/// rustup resolves to the same toolchain as the cargo running this test).
fn rustc_version() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    Command::new(rustc)
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default()
}

/// Whether `version` (a `rustc --version` line) is the toolchain of the `.stderr` files.
fn is_recorded_toolchain(version: &str) -> bool {
    version.starts_with(RECORDED_WITH)
}

#[test]
fn check_attribute() {
    let t = trybuild::TestCases::new();
    let version = rustc_version();
    if is_recorded_toolchain(&version) {
        t.compile_fail("trybuild/fail/*.rs");
    } else {
        eprintln!(
            "trybuild: skipping the expected compile errors of trybuild/fail: they were \
             recorded with `{}` and this is `{}`",
            RECORDED_WITH.trim_end(),
            version.trim_end()
        );
    }
    t.pass("trybuild/pass/*.rs");
}

#[test]
fn only_the_recorded_toolchain_compares_errors() {
    let release = RECORDED_WITH.trim_end();
    assert!(is_recorded_toolchain(&format!(
        "{release} (59807616e 2026-04-14)\n"
    )));
    assert!(!is_recorded_toolchain(&format!(
        "{release}-nightly (0ac3a8a 2026-03-01)"
    )));
    assert!(!is_recorded_toolchain(&format!(
        "{release}-beta.3 (a1b2c3d 2026-03-20)"
    )));
    assert!(!is_recorded_toolchain("rustc 1.96.0 (0ac3a8a 2026-05-28)"));
    assert!(!is_recorded_toolchain(""));
}

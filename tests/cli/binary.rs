//! The real `cargo-reqleak` executable, built once per test binary with `cargo build` (the one
//! `cargo install --path cargo-reqleak` installs; `CARGO_BIN_EXE_*` is only set for tests of the
//! binary's own package), and the `cargo` that runs the tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The `cargo` running the tests (`$CARGO`), else the one on the `PATH`.
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// Builds `cargo-reqleak` once and returns its path (from cargo's `compiler-artifact`).
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let output = Command::new(cargo())
            .current_dir(workspace)
            .args([
                "build",
                "--quiet",
                "-p",
                "cargo-reqleak",
                "--bin",
                "cargo-reqleak",
                "--message-format=json-render-diagnostics",
            ])
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|m| {
                m["reason"] == "compiler-artifact" && m["target"]["name"] == "cargo-reqleak"
            })
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo-reqleak was built")
    })
}

/// A `PATH` with the directory of `cargo-reqleak` first, so that `cargo reqleak` finds it.
pub fn path_with_binary() -> std::ffi::OsString {
    let bin_dir = binary().parent().unwrap().to_path_buf();
    std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap()
}

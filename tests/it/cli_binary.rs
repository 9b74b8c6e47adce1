//! The real executable: built with cargo (the one `cargo install --path cargo-reqleak` installs), run
//! as `cargo-reqleak ...` and as the cargo subcommand `cargo reqleak ...`, with real exit
//! statuses and streams. (`CARGO_BIN_EXE_*` is only set for tests of the binary's own
//! package, so the binary is built here with `cargo build`, which is quick when it is fresh.)

use crate::binary;
use crate::support;

use std::process::Command;

use binary::{binary, cargo};

use support::{normalize_time, package_manifest, tree, LEAKED, UNCONSUMED};

struct Out {
    status: i32,
    stdout: String,
    stderr: String,
}

fn exec(command: &mut Command) -> Out {
    let output = command.output().expect("runs");
    Out {
        status: output.status.code().expect("exit status"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: normalize_time(&String::from_utf8(output.stderr).unwrap()),
    }
}

fn fixture() -> tempfile::TempDir {
    tree(&[
        ("Cargo.toml", &package_manifest("app", "")),
        ("src/lib.rs", &format!("mod leak;\n{UNCONSUMED}")),
        ("src/leak.rs", LEAKED),
    ])
}

const EXPECTED: &str = "src/leak.rs:2:5: error: `std::mem::forget` leaks this response [reqleak::leaked_response]
src/lib.rs:3:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]
";

#[test]
fn runs_directly_with_and_without_the_subcommand_word() {
    let dir = fixture();
    for args in [
        &["--message-format", "short"][..],
        &["reqleak", "--message-format", "short"][..],
    ] {
        let out = exec(Command::new(binary()).current_dir(dir.path()).args(args));
        assert_eq!(out.status, 1);
        assert_eq!(out.stdout, EXPECTED);
        assert_eq!(
            out.stderr,
            "reqleak: 1 warning, 1 error in 2 files (T ms)\n"
        );
    }
    let out = exec(Command::new(binary()).current_dir(dir.path()).args([
        "-A",
        "leaked_response",
        "src/lib.rs",
    ]));
    assert_eq!(out.status, 0);
    let out = exec(
        Command::new(binary())
            .current_dir(dir.path())
            .arg("missing.rs"),
    );
    assert_eq!((out.status, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        "error: no such file or directory: `missing.rs`\n"
    );
}

#[test]
fn runs_as_a_cargo_subcommand() {
    let dir = fixture();
    let out = exec(
        Command::new(cargo())
            .current_dir(dir.path().join("src"))
            .env("PATH", binary::path_with_binary())
            .args(["reqleak", "--message-format", "short", "-q"]),
    );
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert_eq!(out.stdout, EXPECTED);
    assert_eq!(out.stderr, "");
    // Clippy's spelling of levels, through cargo: `cargo reqleak -- -D warnings`.
    let out = exec(
        Command::new(cargo())
            .current_dir(dir.path())
            .env("PATH", binary::path_with_binary())
            .args([
                "reqleak",
                "--message-format",
                "short",
                "-q",
                "--all-targets",
            ])
            .args(["--", "-D", "warnings"]),
    );
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert_eq!(out.stdout, EXPECTED.replace("3:5: warning", "3:5: error"));
}

/// An unreadable directory stops the run (exit 2, one line). Permission bits do not stop
/// root, which CI runs as, so as root the binary runs as the unprivileged user `nobody`.
#[test]
fn unreadable_directory_is_a_fatal_error() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;

    let dir = tree(&[
        ("src/ok.rs", "fn ok() {}\n"),
        ("src/locked/a.rs", UNCONSUMED),
    ]);
    let is_root = std::fs::metadata(dir.path()).unwrap().uid() == 0;
    let binary_copy = dir.path().join("cargo-reqleak");
    std::fs::copy(binary(), &binary_copy).unwrap();
    for (path, mode) in [
        (dir.path().to_path_buf(), 0o755),
        (dir.path().join("src"), 0o755),
        (dir.path().join("src/ok.rs"), 0o644),
        (binary_copy.clone(), 0o755),
        (dir.path().join("src/locked"), 0o000),
    ] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let mut command = Command::new(&binary_copy);
    command
        .current_dir(dir.path())
        .args(["--message-format", "short", "src"]);
    if is_root {
        command.uid(65534).gid(65534);
    }
    let out = exec(&mut command);
    std::fs::set_permissions(
        dir.path().join("src/locked"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: cannot read directory `src/locked`: Permission denied\n"
    );
    assert_eq!(out.status, 2);
}

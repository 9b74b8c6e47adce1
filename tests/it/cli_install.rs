//! Installable from outside the repository: the four published crates (`reqleak`,
//! `reqleak-macros`, `reqleak-analysis`, `cargo-reqleak`) carry the metadata crates.io shows
//! and pass `cargo package` (offline, without building: path dependencies need a `version`,
//! files must be inside the package), no manifest has a placeholder URL, and
//! `cargo install --path cargo-reqleak` installs the `cargo reqleak` subcommand.

use crate::binary;

use std::path::Path;
use std::process::Command;

use cargo_metadata::MetadataCommand;

const PUBLISHED: [&str; 4] = [
    "reqleak-macros",
    "reqleak",
    "reqleak-analysis",
    "cargo-reqleak",
];

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn the_published_crates_have_crates_io_metadata_and_no_placeholder_url() {
    let metadata = MetadataCommand::new()
        .manifest_path(workspace().join("Cargo.toml"))
        .no_deps()
        .exec()
        .unwrap();
    // crates.io's category slugs that the crates use.
    let known = [
        "development-tools",
        "development-tools::cargo-plugins",
        "development-tools::testing",
        "web-programming::http-client",
    ];
    for name in PUBLISHED {
        let package = metadata
            .workspace_packages()
            .into_iter()
            .find(|p| p.name.as_str() == name)
            .unwrap();
        assert!(package.publish.is_none(), "{name} is publishable");
        assert!(
            package.description.as_deref().is_some_and(|d| d.len() > 20),
            "{name}: description"
        );
        assert_eq!(package.license.as_deref(), Some("MIT OR Apache-2.0"));
        // The workspace's README, as `readme.workspace = true` resolves it.
        assert_eq!(
            package.readme.as_ref().map(|r| r.as_str()),
            Some("../README.md"),
            "{name}: readme"
        );
        assert!(
            (1..=5).contains(&package.keywords.len())
                && package.keywords.iter().all(|k| k.len() <= 20
                    && k.chars().all(|c| c.is_ascii_lowercase() || c == '-')),
            "{name}: keywords {:?}",
            package.keywords
        );
        assert!(
            !package.categories.is_empty()
                && package
                    .categories
                    .iter()
                    .all(|c| known.contains(&c.as_str())),
            "{name}: categories {:?}",
            package.categories
        );
    }
    for package in metadata.workspace_packages() {
        // No placeholder: a URL is added when the project has a real home.
        assert_eq!(package.repository, None, "{}", package.name);
        assert_eq!(package.homepage, None, "{}", package.name);
        assert_eq!(package.documentation, None, "{}", package.name);
    }
}

#[test]
fn the_published_crates_pass_cargo_package_offline() {
    let target = tempfile::tempdir().unwrap();
    let mut command = Command::new(binary::cargo());
    command
        .current_dir(workspace())
        .args([
            "package",
            "--no-verify",
            "--offline",
            "--locked",
            "--allow-dirty",
        ])
        .arg("--target-dir")
        .arg(target.path());
    for name in PUBLISHED {
        command.args(["-p", name]);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    // Until the project has a public home, cargo notes the missing repository URL; nothing else.
    assert_eq!(
        warnings,
        ["warning: manifest has no documentation, homepage or repository"; 4]
    );
    for name in PUBLISHED {
        let file = target.path().join(format!("package/{name}-0.1.0.crate"));
        assert!(file.is_file(), "{}", file.display());
        let listed = Command::new(binary::cargo())
            .current_dir(workspace())
            .args([
                "package",
                "--list",
                "--offline",
                "--locked",
                "--allow-dirty",
                "-p",
                name,
            ])
            .output()
            .unwrap();
        assert!(listed.status.success());
        let files = String::from_utf8_lossy(&listed.stdout);
        let files: Vec<&str> = files.lines().collect();
        for expected in ["Cargo.toml", "README.md", "src/lib.rs"] {
            assert!(files.contains(&expected), "{name}: {expected} in {files:?}");
        }
        if name == "cargo-reqleak" {
            assert!(files.contains(&"src/main.rs"));
        }
        if name == "reqleak-analysis" {
            // Each lint's documentation is compiled in with include_str!.
            assert!(files.contains(&"src/lints/leaked_response.md"), "{files:?}");
        }
    }
}

/// The README's install line from a checkout, `cargo install --locked --path cargo-reqleak`,
/// puts `cargo-reqleak` in the root's `bin/`, where cargo finds it as `cargo reqleak`. (A
/// debug build in the tests' target directory, which the other tests have mostly built.)
#[test]
fn cargo_install_path_cargo_reqleak_installs_the_subcommand() {
    let root = tempfile::tempdir().unwrap();
    let target_dir = binary::binary()
        .ancestors()
        .nth(2)
        .expect("the binary is in <target>/debug/")
        .to_path_buf();
    let output = Command::new(binary::cargo())
        .current_dir(workspace())
        .env("CARGO_TARGET_DIR", &target_dir)
        .args([
            "install",
            "--locked",
            "--offline",
            "--debug",
            "--quiet",
            "--path",
            "cargo-reqleak",
            "--root",
        ])
        .arg(root.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bin = root.path().join("bin");
    assert!(bin.join("cargo-reqleak").is_file(), "{}", bin.display());
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let version = Command::new(binary::cargo())
        .current_dir(root.path())
        .env("PATH", path)
        .args(["reqleak", "--version"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&version.stdout);
    assert!(
        version.status.success() && stdout.contains(env!("CARGO_PKG_VERSION")),
        "{stdout}{}",
        String::from_utf8_lossy(&version.stderr)
    );
}

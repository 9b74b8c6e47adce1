//! The CI recipes shipped in the repository, run as far as this machine allows:
//! - `.github/workflows/reqleak.yml`: parsed as YAML, and its `cargo reqleak` steps run locally,
//!   exactly as written, with GitHub's `bash` flags, in a small workspace;
//! - `hooks/pre-commit`: installed in a temporary git repository and run by `git commit`; it
//!   checks the staged content (renamed files included), not the working tree;
//! - `.pre-commit-hooks.yaml`: its entry run on a file list, as the pre-commit framework does.

use crate::binary;
use crate::sarif;
use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{package_manifest, tree, CLEAN, LEAKED, UNCONSUMED};
use yaml_rust2::{Yaml, YamlLoader};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn yaml(path: &str) -> Yaml {
    let text = std::fs::read_to_string(repository().join(path)).unwrap();
    YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .remove(0)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs a workflow `run:` script as GitHub does with its default shell.
fn github_bash(script: &str, dir: &Path) -> Output {
    Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", binary::path_with_binary())
        .output()
        .unwrap()
}

#[test]
fn the_workflow_installs_runs_sarif_and_uploads_it() {
    let workflow = yaml(".github/workflows/reqleak.yml");
    let on = &workflow["on"];
    assert!(!on["push"].is_badvalue() && !on["pull_request"].is_badvalue());
    let job = &workflow["jobs"]["reqleak"];
    assert_eq!(
        job["permissions"]["security-events"].as_str(),
        Some("write")
    );
    let steps = job["steps"].as_vec().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert_eq!(
        uses,
        [
            "actions/checkout@v4",
            "dtolnay/rust-toolchain@stable",
            "github/codeql-action/upload-sarif@v3"
        ]
    );
    // The install step installs this repository's binary.
    assert_eq!(runs[0], "cargo install --locked --path cargo-reqleak");
    let manifest = std::fs::read_to_string(repository().join("cargo-reqleak/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"cargo-reqleak\""));
    // The SARIF step writes the file the upload step reads.
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str() == Some("github/codeql-action/upload-sarif@v3"))
        .unwrap();
    let sarif_file = upload["with"]["sarif_file"].as_str().unwrap();
    assert_eq!(
        runs[1],
        format!("cargo reqleak --workspace --exclude reqleak-demo --message-format sarif > {sarif_file} || test $? -eq 1")
    );
    assert_eq!(upload["with"]["category"].as_str(), Some("reqleak"));

    // The steps, run as written, in a workspace like this repository's: the demo member is
    // left out, the SARIF step passes with an error-level finding, the last step fails.
    let dir = tree(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\", \"reqleak-demo\"]\nresolver = \"2\"\n",
        ),
        ("app/Cargo.toml", &package_manifest("app", "")),
        ("app/src/lib.rs", &format!("mod leak;\n{UNCONSUMED}")),
        ("app/src/leak.rs", LEAKED),
        (
            "reqleak-demo/Cargo.toml",
            &package_manifest("reqleak-demo", ""),
        ),
        ("reqleak-demo/src/lib.rs", LEAKED),
    ]);
    let sarif_step = github_bash(runs[1], dir.path());
    assert!(sarif_step.status.success(), "{}", text(&sarif_step));
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(sarif_file)).unwrap())
            .unwrap();
    sarif::validate(&log);
    let results: Vec<(&str, &str)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap(),
                r["ruleId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("app/src/leak.rs", "reqleak::leaked_response"),
            ("app/src/lib.rs", "reqleak::unconsumed_response")
        ]
    );
    let fail_step = github_bash(runs[2], dir.path());
    assert_eq!(fail_step.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&fail_step.stdout),
        "app/src/leak.rs:2:5: error: `std::mem::forget` leaks this response [reqleak::leaked_response]\n\
         app/src/lib.rs:3:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n"
    );
    // When reqleak cannot run (exit status 2), the SARIF step fails instead of uploading.
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace\n").unwrap();
    let broken = github_bash(runs[1], dir.path());
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    assert!(text(&broken).contains("error: `cargo metadata` failed"));
}

/// A temporary git repository with the hook installed, isolated from the user's git config.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo { dir: tree(&[]) };
        repo.git(&["init", "-q", "-b", "main"]);
        let hook = repo.dir.path().join(".git/hooks/pre-commit");
        std::fs::copy(repository().join("hooks/pre-commit"), &hook).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        repo
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .current_dir(self.dir.path())
            .env("PATH", binary::path_with_binary())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("REQLEAK_ARGS")
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@localhost",
                "-c",
                "core.hooksPath=.git/hooks",
            ])
            .args(args);
        command
    }

    fn git(&self, args: &[&str]) -> Output {
        let output = self.command(args).output().unwrap();
        assert!(output.status.success(), "git {args:?}: {}", text(&output));
        output
    }

    fn write(&self, path: &str, contents: &str) {
        support::write(self.dir.path(), path, contents.as_bytes());
    }

    /// `git commit`, with the hook: (exit status, what it printed).
    fn commit(&self, message: &str) -> (i32, String) {
        let output = self
            .command(&["commit", "-q", "-m", message])
            .output()
            .unwrap();
        (output.status.code().unwrap(), text(&output))
    }

    fn commits(&self) -> usize {
        let output = self
            .command(&["rev-list", "--count", "--all"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    }
}

const LEAK_ERROR: &str = "error: `std::mem::forget` leaks this response [reqleak::leaked_response]";

#[test]
fn the_pre_commit_hook_checks_what_is_staged() {
    let repo = Repo::new();
    // Nothing in Rust staged: the hook has nothing to say.
    repo.write("README.md", "hello\n");
    repo.git(&["add", "README.md"]);
    assert_eq!(repo.commit("readme"), (0, String::new()));

    // A leak is staged; the working tree has the fix, unstaged: the commit stops.
    repo.write("src/lib.rs", LEAKED);
    repo.git(&["add", "src/lib.rs"]);
    repo.write("src/lib.rs", CLEAN);
    let (status, said) = repo.commit("leak");
    assert_eq!(status, 1, "{said}");
    assert_eq!(said, format!("src/lib.rs:2:5: {LEAK_ERROR}\n"));
    assert_eq!(repo.commits(), 1);

    // The fix is staged; the working tree has a leak again, unstaged: the commit goes ahead.
    repo.git(&["add", "src/lib.rs"]);
    repo.write("src/lib.rs", LEAKED);
    assert_eq!(repo.commit("clean"), (0, String::new()));
    assert_eq!(repo.commits(), 2);
    repo.git(&["checkout", "--", "src/lib.rs"]);

    // A renamed file is checked under its new name.
    repo.write("src/old.rs", LEAKED);
    repo.git(&["add", "src/old.rs"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "old"]);
    repo.git(&["mv", "src/old.rs", "src/new name.rs"]);
    let (status, said) = repo.commit("rename");
    assert_eq!(status, 1, "{said}");
    assert_eq!(said, format!("src/new name.rs:2:5: {LEAK_ERROR}\n"));
    repo.write("src/new name.rs", CLEAN);
    repo.git(&["add", "src/new name.rs"]);
    assert_eq!(repo.commit("rename and fix").0, 0);

    // Warnings are printed and do not stop the commit, unless asked to.
    repo.write("src/net.rs", UNCONSUMED);
    repo.git(&["add", "src/net.rs"]);
    let warning = "src/net.rs:2:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n";
    let output = repo
        .command(&["commit", "-q", "-m", "warn"])
        .env("REQLEAK_ARGS", "-D warnings")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output), warning.replace(": warning:", ": error:"));
    assert_eq!(repo.commit("warn"), (0, warning.to_string()));
}

#[test]
fn the_pre_commit_framework_entry_checks_the_files_it_is_given() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"].as_str(), Some("reqleak"));
    assert_eq!(hook["language"].as_str(), Some("system"));
    assert_eq!(hook["types"][0].as_str(), Some("rust"));
    let entry = hook["entry"].as_str().unwrap();
    assert_eq!(entry, "cargo reqleak --message-format short -q");
    let dir = tree(&[("src/lib.rs", LEAKED), ("src/ok.rs", CLEAN)]);
    // pre-commit appends the file names to the entry.
    let output = github_bash(&format!("{entry} src/lib.rs src/ok.rs"), dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output), format!("src/lib.rs:2:5: {LEAK_ERROR}\n"));
}

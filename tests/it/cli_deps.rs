//! Workspace mode indexes the package's dependencies that hand out reqwest values, from their
//! sources: `tests/deps-fixture` (a workspace of its own) has an app that depends on
//! `reqwest-middleware` (a registry crate) and on a small SDK (a path crate, renamed `sdk`).
//! The graph and each index are cached under the target directory (of a copy of the
//! fixture); a corrupt cache file is rewritten; when
//! `cargo metadata` cannot resolve the graph offline, a note says so and the run goes on.

use crate::support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use support::{at, json_summary, package_manifest, run, tree, UNCONSUMED};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deps-fixture")
}

/// `(name, version, source)` of every registry package of a lock file.
fn locked(path: &Path) -> BTreeSet<(String, String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lock: toml::Table = text.parse().unwrap();
    lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|package| {
            let field = |key: &str| package.get(key)?.as_str().map(str::to_owned);
            Some((field("name")?, field("version")?, field("source")?))
        })
        .collect()
}

#[test]
fn the_fixture_pins_only_what_the_workspace_fetches() {
    let workspace = locked(&fixture().join("../../Cargo.lock"));
    let missing: Vec<String> = locked(&fixture().join("Cargo.lock"))
        .difference(&workspace)
        .map(|(name, version, _)| format!("{name} {version}"))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/deps-fixture/Cargo.lock pins packages that reqleak's Cargo.lock lacks, so a \
         clean checkout has not fetched them: {missing:?}; align the two lock files (the \
         `tests` package depends on reqwest-middleware to keep its sources fetched)"
    );
}

/// A copy of the fixture (without build output) in a temporary directory: the runs write
/// their cache there, not in the source tree.
fn fixture_copy() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if name == "target" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(&name));
            } else {
                std::fs::copy(entry.path(), to.join(&name)).unwrap();
            }
        }
    }
    let dir = tree(&[]);
    copy(&fixture(), dir.path());
    dir
}

/// The app's findings, in workspace mode.
fn app_findings(root: &Path) -> Vec<(String, u64, String)> {
    let manifest = root.join("Cargo.toml");
    let out = run(
        root,
        &[
            "--manifest-path",
            manifest.to_str().unwrap(),
            "-p",
            "fixture-app",
            "--message-format",
            "json",
        ],
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "", "no note: the graph resolves offline");
    json_summary(&out)
}

fn expected() -> Vec<(String, u64, String)> {
    let unconsumed = "reqleak::unconsumed_response";
    vec![
        // A GET through the SDK's retry helper, handed back by its checker, dropped unread
        // (its PUT and HEAD look-alikes, silent, need what the index says of both).
        at("app/src/handoffs.rs", 30, unconsumed),
        at("app/src/handoffs.rs", 48, unconsumed),
        // `ClientWithMiddleware::get(..).send()`.
        at("app/src/lib.rs", 13, unconsumed),
        // `Api::fetch_raw`, an SDK method returning a `reqwest::Response`.
        at("app/src/lib.rs", 24, unconsumed),
        // The SDK's own client and request builder.
        at("app/src/lib.rs", 36, unconsumed),
        // `sdk::download`, an SDK function returning a response.
        at("app/src/lib.rs", 42, unconsumed),
        // `sdk::middleware_client` builds a client on every call (the index read its body).
        at("app/src/lib.rs", 49, "reqleak::client_per_call"),
        // A `ClientWithMiddleware` from an SDK function.
        at("app/src/lib.rs", 50, unconsumed),
        // `Api::new` builds a `reqwest::Client` inside its value, on every call of `count`.
        at("app/src/lib.rs", 57, "reqleak::client_per_call"),
        // `Next::run` in a retry middleware, held across the back-off sleep.
        at("app/src/retry.rs", 14, "reqleak::await_holding_response"),
    ]
}

/// What is found without the SDK's index (path mode, or no indexed dependency): the calls
/// that only its signatures explain (lines 24 and 42 of `lib.rs`), the clients that only its
/// bodies show (its constructors), and the responses that only what its functions do with
/// them explains (`handoffs.rs`) are not flagged.
fn expected_without_index() -> Vec<(String, u64, String)> {
    expected()
        .into_iter()
        .filter(|(file, line, lint)| {
            file != "app/src/handoffs.rs"
                && ![24, 42].contains(line)
                && lint != "reqleak::client_per_call"
        })
        .collect()
}

fn cache_files(cache: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(cache)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

fn json_file(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn dependencies_signatures_make_sources_cold_warm_and_after_a_corrupt_cache() {
    let dir = fixture_copy();
    let root = support::canonical(dir.path());
    let cache = root.join("target/reqleak/deps");

    // Cold: the graph is resolved, both dependencies are indexed, all three are cached.
    assert_eq!(app_findings(&root), expected());
    let files = cache_files(&cache);
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files[0].starts_with("fixture-sdk-0.1.0-"), "{files:?}");
    assert!(files[1].starts_with("graph-"), "{files:?}");
    assert!(
        files[2].starts_with("reqwest-middleware-0.5.2-"),
        "{files:?}"
    );
    let middleware = cache.join(&files[2]);
    let cached = json_file(&middleware);
    assert_eq!(cached["format"], cargo_reqleak::deps::FORMAT_VERSION);
    assert_eq!(cached["index"]["name"], "reqwest_middleware");
    assert!(cached["index"]["types"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(["ClientWithMiddleware", "Client"])));
    let sdk = json_file(&cache.join(&files[0]));
    assert_eq!(sdk["index"]["name"], "fixture_sdk", "its own crate name");
    assert_eq!(
        sdk["index"]["constructors"],
        serde_json::json!([["", "middleware_client"], ["Api", "new"]]),
        "the functions whose bodies build a client and hand it back; not `Api::with_client`, \
         which stores the one it is given"
    );

    // Warm: the same findings from the cache.
    assert_eq!(app_findings(&root), expected());

    // The cached graph is what a warm run reads: with the app's edges taken out of it, the
    // SDK is unknown.
    let graph_path = cache.join(&files[1]);
    let graph = json_file(&graph_path);
    let mut tampered = graph.clone();
    tampered["graph"]["selected"] = serde_json::json!([]);
    std::fs::write(&graph_path, tampered.to_string()).unwrap();
    assert_eq!(app_findings(&root), expected_without_index());

    // A changed manifest resolves the graph again.
    let manifest = root.join("app/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}# edited\n")).unwrap();
    assert_eq!(app_findings(&root), expected());
    assert_eq!(json_file(&graph_path)["graph"], graph["graph"]);

    // A corrupt cache file is ignored and rewritten.
    std::fs::write(&middleware, "{\"format\": 1, \"key\": ").unwrap();
    assert_eq!(app_findings(&root), expected());
    assert_eq!(json_file(&middleware), cached);

    // A changed source of the path dependency is indexed again: `fetch_raw` now returns a
    // `String`.
    let lib = root.join("sdk/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    let changed = "pub async fn fetch_raw(&self, path: &str) -> Result<String, Error>";
    std::fs::write(
        &lib,
        text.replace(
            "pub async fn fetch_raw(&self, path: &str) -> Result<reqwest::Response, Error>",
            changed,
        ),
    )
    .unwrap();
    assert!(std::fs::read_to_string(&lib).unwrap().contains(changed));
    let mut without_fetch_raw = expected();
    without_fetch_raw.retain(|(file, line, _)| (file.as_str(), *line) != ("app/src/lib.rs", 24));
    assert_eq!(app_findings(&root), without_fetch_raw);
}

#[test]
fn path_mode_knows_only_the_built_in_table() {
    let out = run(&fixture(), &["--message-format", "json", "app/src"]);
    assert_eq!(json_summary(&out), expected_without_index());
}

#[test]
fn without_a_lock_file_the_run_goes_on_with_a_note() {
    // `--locked` forbids creating the lock file: the graph cannot be had, the package itself
    // is still analyzed.
    let dir = tree(&[
        (
            "Cargo.toml",
            &package_manifest("app", "helper = { path = \"helper\" }\n"),
        ),
        ("src/lib.rs", UNCONSUMED),
        ("helper/Cargo.toml", &package_manifest("helper", "")),
        ("helper/src/lib.rs", ""),
    ]);
    let out = run(dir.path(), &["--message-format", "short"]);
    assert_eq!(
        out.stdout,
        "src/lib.rs:2:5: warning: this response is never read, moved on, or dropped explicitly \
         [reqleak::unconsumed_response]\n"
    );
    let lock = support::canonical(dir.path()).join("Cargo.lock");
    assert_eq!(
        out.stderr,
        format!(
            "note: run `cargo fetch` to let reqleak read your dependencies' signatures \
             (`cargo metadata --offline --locked` failed: cannot create the lock file {} \
             because --locked was passed to prevent this)\n\
             reqleak: 1 warning, 0 errors in 1 file (T ms)\n",
            lock.display()
        )
    );
    assert!(!lock.exists(), "reqleak never writes the lock file");
}

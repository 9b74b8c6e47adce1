//! Lazy bodies against eager ones: the analyzer leaves unparsed the function bodies that name
//! nothing of reqwest's until the crate shows they may matter (`analysis/src/model/lazy.rs`). That
//! must change nothing but the cost: on every ui fixture, this workspace, syn and reqwest (and
//! the published corpus of `corpus/` with `REQLEAK_LAZY_PUBLISHED=1`, best in release:
//! `cargo test --release -p reqleak-tests --test it lazy_bodies`), with and without test code,
//! a lazy run and an eager one find the same (`tests/common/lazy.rs` says what "the same" is).
//! The mutation fuzzer (`fuzz.rs`) checks the same on every mutant.

use std::path::{Path, PathBuf};

use reqleak_analysis::{analyze_crate, CrateFile, ModulePlace, Options};

use crate::corpus;
use crate::lazy;

/// Analyzes `files` lazily and eagerly, with and without test code; the disagreements.
fn compare(label: &str, files: &[CrateFile<'_>], paths: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for test_code in [false, true] {
        let run = |eager_bodies| {
            let options = Options {
                test_code,
                eager_bodies,
                ..Options::default()
            };
            analyze_crate(files, &options)
        };
        let (lazy, eager) = (run(false), run(true));
        assert_eq!(lazy.len(), files.len());
        for (index, why) in lazy::disagreements(&lazy, &eager) {
            let path = &paths[index];
            found.push(format!("{label} {path} (test code: {test_code}): {why}"));
        }
    }
    found
}

fn check(packages: &[corpus::Package]) {
    let mut disagreements = Vec::new();
    for package in packages {
        let files = package.crate_files();
        let paths: Vec<String> = package.files.iter().map(|f| f.path.clone()).collect();
        disagreements.extend(compare(&package.label(), &files, &paths));
    }
    assert_none(&disagreements);
}

#[test]
fn lazy_and_eager_runs_agree_on_the_ui_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/ui")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    entries.sort();
    let mut disagreements = Vec::new();
    let mut fixtures = 0;
    for entry in entries {
        let mut sources = Vec::new();
        if entry.is_dir() {
            collect_rs(&entry, &entry, &mut sources);
        } else if entry.extension().is_some_and(|e| e == "rs") {
            let name = entry.file_name().map(|n| n.to_string_lossy().into_owned());
            let text = std::fs::read_to_string(&entry).expect("a fixture");
            sources.push((name.unwrap_or_default(), text));
        } else {
            continue;
        }
        fixtures += 1;
        let crate_name = entry
            .file_stem()
            .map(|n| n.to_string_lossy().replace('-', "_"))
            .unwrap_or_default();
        let has_lib = sources.iter().any(|(path, _)| path == "src/lib.rs");
        let files: Vec<CrateFile<'_>> = sources
            .iter()
            .map(|(path, text)| {
                let place = ModulePlace::infer(Path::new(path), &crate_name, has_lib);
                CrateFile::new(text).at(place, path)
            })
            .collect();
        let paths: Vec<String> = sources.iter().map(|(path, _)| path.clone()).collect();
        disagreements.extend(compare(&crate_name, &files, &paths));
    }
    assert!(fixtures >= 15, "only {fixtures} fixtures found");
    assert_none(&disagreements);
}

#[test]
fn lazy_and_eager_runs_agree_on_the_workspace_syn_and_reqwest() {
    check(&corpus::workspace());
}

#[test]
fn lazy_and_eager_runs_agree_on_the_published_corpus() {
    if std::env::var_os("REQLEAK_LAZY_PUBLISHED").is_none_or(|v| v != "1") {
        eprintln!("skipped: set REQLEAK_LAZY_PUBLISHED=1 (the corpus fetched) to run it");
        return;
    }
    match corpus::published() {
        Ok(packages) => check(&packages),
        Err(why) => panic!("the published corpus is not there: {why}"),
    }
}

/// A crate's own wrapper of reqwest's response, whose methods name nothing of reqwest's (so
/// their bodies are blanked, then parsed when the crate shows the wrapper): the token scan must
/// find each body where it is. A `{` right after a where clause's trailing comma is the body,
/// not a const generic argument (taken for one, the scan went on to the next method's body,
/// and a lazy run restored `status`'s body into `json`: `self` never read, and `status`
/// analyzed as empty); nor are the braces of a type macro in the return type.
#[test]
fn lazy_and_eager_runs_agree_on_bodies_after_where_clauses_and_type_macros() {
    let text = r#"pub struct Response {
    response: reqwest::Response,
}

macro_rules! bytes_of {
    ($t:ty) => { Vec<$t> };
}

impl Response {
    pub fn new(response: reqwest::Response) -> Self {
        Self { response }
    }

    pub async fn json<B>(self) -> Result<B, Error>
    where
        B: DeserializeOwned,
    {
        let body = self.response.json::<B>().await?;
        Ok(body)
    }

    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    pub async fn bytes(self) -> bytes_of! { u8 } {
        let bytes = self.response.bytes().await;
        bytes.map(|b| b.to_vec()).unwrap_or_default()
    }

    pub fn len(&self) -> Option<u64> {
        self.response.content_length()
    }
}
"#;
    // Both shapes, and each alone: a misread body makes the whole file parsed, which would
    // hide a misread of the other.
    let shapes = [
        ("both", text.to_owned()),
        ("where clause", text.replace("bytes_of! { u8 }", "Vec<u8>")),
        (
            "type macro",
            text.replace("B: DeserializeOwned,\n", "B: DeserializeOwned\n"),
        ),
    ];
    for (shape, text) in &shapes {
        let place = ModulePlace::infer(Path::new("src/lib.rs"), "wrapper", true);
        let files = [CrateFile::new(text).at(place, "src/lib.rs")];
        let paths = ["src/lib.rs".to_owned()];
        assert_none(&compare(shape, &files, &paths));
        let lazy = analyze_crate(&files, &Options::default());
        let findings = lazy[0].as_ref().expect("it parses");
        assert!(
            findings
                .iter()
                .all(|d| d.lint.name != "unconsumed_response"),
            "{shape}: {findings:?}"
        );
    }
}

fn assert_none(disagreements: &[String]) {
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

fn collect_rs(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a fixture directory")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_rs(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("inside the fixture")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("a fixture file");
            out.push((relative, text));
        }
    }
}

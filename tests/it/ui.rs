//! The ui fixture suite: every `tests/ui/*.rs` file is analyzed with
//! [`reqleak_analysis::analyze_source`] and its diagnostics are compared with the `//~` comments it
//! carries, as the list below says. A directory `tests/ui/<lint>_<topic>/` is a
//! small crate (`Cargo.toml`, `src/`, `tests/`..): its files are analyzed together with
//! [`reqleak_analysis::analyze_crate`], each placed where cargo's layout puts it, and each file's
//! comments are compared with its own diagnostics. Cross-file and cross-module cases live there.
//!
//! - A line that ends with `//~ lint_a, lint_b` expects one diagnostic of each named lint whose
//!   primary span starts on that line (a name given twice expects two). Every other line expects
//!   none.
//! - By default a fixture is checked against every lint of the analyzer whose default level is
//!   not `allow` (`unused_suppression`, the front-end's, cannot show in a fixture).
//!   A fixture whose first line is `//@ lints: name, name` is checked against exactly the listed
//!   lints (this is how the pedantic lints are tested); diagnostics of other lints are ignored.
//! - An annotation naming an unknown lint, or a lint the fixture does not check, is an error of
//!   the fixture.
//!
//! On failure the test prints, for every fixture, the missing and the extra diagnostics (line,
//! lint, and the message or the source line), then fails once.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use reqleak_analysis::{Diagnostic, Level, Reporter, LINTS};

/// The marker of an expected-diagnostic comment.
const ANNOTATION: &str = "//~";
/// The marker of the header line that selects the checked lints.
const HEADER: &str = "//@ lints:";

/// What a fixture's comments say.
#[derive(Debug, PartialEq, Eq)]
struct Expectations {
    /// The lints the fixture is checked against (sorted, deduplicated).
    checked: Vec<String>,
    /// How many diagnostics of each lint are expected on each 1-based line.
    expected: BTreeMap<(usize, String), usize>,
}

/// Parses the header and the `//~` comments of a fixture. `default_checked` is the list used
/// when the fixture has no header. Errors are the fixture's own mistakes, one message each.
fn parse_expectations(
    source: &str,
    known: &[&str],
    default_checked: &[&str],
) -> Result<Expectations, Vec<String>> {
    let mut errors = Vec::new();
    let mut checked: Vec<String> = default_checked.iter().map(|s| s.to_string()).collect();
    let mut expected = BTreeMap::new();
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        if let Some(rest) = line.trim_start().strip_prefix(HEADER) {
            if number != 1 {
                errors.push(format!(
                    "line {number}: the `{HEADER}` header must be the first line"
                ));
                continue;
            }
            checked.clear();
            for name in split_names(rest) {
                if known.contains(&name) {
                    checked.push(name.to_owned());
                } else {
                    errors.push(format!(
                        "line {number}: unknown lint `{name}` in the header"
                    ));
                }
            }
            if checked.is_empty() {
                errors.push(format!("line {number}: the header lists no lint"));
            }
            continue;
        }
        let Some(at) = line.find(ANNOTATION) else {
            continue;
        };
        let names = split_names(&line[at + ANNOTATION.len()..]);
        if names.is_empty() {
            errors.push(format!("line {number}: `{ANNOTATION}` names no lint"));
        }
        for name in names {
            if !known.contains(&name) {
                errors.push(format!("line {number}: unknown lint `{name}`"));
                continue;
            }
            *expected.entry((number, name.to_owned())).or_insert(0) += 1;
        }
    }
    checked.sort();
    checked.dedup();
    for (line, name) in expected.keys() {
        if !checked.contains(name) {
            errors.push(format!(
                "line {line}: `{name}` is annotated but not checked in this fixture \
                 (add it to a first-line `{HEADER}` header)"
            ));
        }
    }
    if errors.is_empty() {
        Ok(Expectations { checked, expected })
    } else {
        Err(errors)
    }
}

/// The comma-separated lint names of an annotation or a header.
fn split_names(text: &str) -> Vec<&str> {
    text.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect()
}

/// Compares the analyzer's diagnostics with a fixture's expectations. Returns the report of
/// the differences, or `None` when they agree.
fn compare(source: &str, expectations: &Expectations, found: &[Diagnostic]) -> Option<String> {
    let mut actual: BTreeMap<(usize, String), Vec<&Diagnostic>> = BTreeMap::new();
    for diagnostic in found {
        let name = diagnostic.lint.name.to_owned();
        if expectations.checked.contains(&name) {
            actual
                .entry((diagnostic.span.start.line, name))
                .or_default()
                .push(diagnostic);
        }
    }
    let lines: Vec<&str> = source.lines().collect();
    let mut missing = String::new();
    let mut extra = String::new();
    for ((line, name), &count) in &expectations.expected {
        let got = actual.get(&(*line, name.clone())).map_or(0, Vec::len);
        if got < count {
            let text = lines.get(line - 1).map_or("", |text| text.trim());
            let times = if count - got > 1 {
                format!(" (x{})", count - got)
            } else {
                String::new()
            };
            let _ = writeln!(missing, "    {line}: {name}{times}    | {text}");
        }
    }
    for ((line, name), diagnostics) in &actual {
        let want = expectations
            .expected
            .get(&(*line, name.clone()))
            .copied()
            .unwrap_or(0);
        for diagnostic in diagnostics.iter().skip(want) {
            let _ = writeln!(
                extra,
                "    {line}:{}: {name}: {}",
                diagnostic.span.start.column, diagnostic.message
            );
        }
    }
    if missing.is_empty() && extra.is_empty() {
        return None;
    }
    let mut report = String::new();
    if !missing.is_empty() {
        let _ = write!(report, "  missing (expected, not reported):\n{missing}");
    }
    if !extra.is_empty() {
        let _ = write!(report, "  extra (reported, not expected):\n{extra}");
    }
    Some(report)
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")
}

/// A fixture: a `tests/ui/*.rs` file, or a `tests/ui/<name>/` directory holding a small crate
/// (a `Cargo.toml` and its `src/`, `tests/`.. files), analyzed as one package.
struct Fixture {
    /// The file or directory name.
    name: String,
    /// Its files: the path inside the fixture (empty for a single file) and the text.
    files: Vec<(String, String)>,
    /// A crate fixture.
    is_crate: bool,
}

impl Fixture {
    /// `name` or `name/path`, for messages.
    fn file_label(&self, path: &str) -> String {
        if path.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{path}", self.name)
        }
    }
}

/// Every fixture, sorted by name.
fn fixtures() -> Vec<Fixture> {
    let dir = fixture_dir();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                let mut files = Vec::new();
                collect_rs(&path, &path, &mut files);
                files.sort();
                Fixture {
                    name,
                    files,
                    is_crate: true,
                }
            } else {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                Fixture {
                    name,
                    files: vec![(String::new(), text)],
                    is_crate: false,
                }
            }
        })
        .collect()
}

fn collect_rs(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
    {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect_rs(root, &path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("inside the fixture")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            out.push((relative, text));
        }
    }
}

/// Analyzes a fixture: a single file on its own, a crate as one package whose files sit where
/// cargo's layout puts them.
fn analyze(fixture: &Fixture) -> Vec<Result<Vec<Diagnostic>, reqleak_analysis::ParseError>> {
    if !fixture.is_crate {
        return vec![reqleak_analysis::analyze_source(&fixture.files[0].1)];
    }
    let lib_name = fixture.name.replace('-', "_");
    let has_lib = fixture.files.iter().any(|(path, _)| path == "src/lib.rs");
    let inputs: Vec<reqleak_analysis::CrateFile<'_>> = fixture
        .files
        .iter()
        .map(|(path, text)| {
            let place = reqleak_analysis::ModulePlace::infer(Path::new(path), &lib_name, has_lib);
            reqleak_analysis::CrateFile::new(text).at(place, path)
        })
        .collect();
    reqleak_analysis::analyze_crate(
        &inputs,
        &reqleak_analysis::Options {
            test_code: true,
            ..reqleak_analysis::Options::default()
        },
    )
}

/// The analyzer's lints: the front-end's (`unused_suppression`) cannot show in a fixture.
fn known_lints() -> Vec<&'static str> {
    LINTS
        .iter()
        .filter(|lint| lint.reporter == Reporter::Analyzer)
        .map(|lint| lint.name)
        .collect()
}

fn default_lints() -> Vec<&'static str> {
    LINTS
        .iter()
        .filter(|lint| lint.reporter == Reporter::Analyzer)
        .filter(|lint| lint.default_level != Level::Allow)
        .map(|lint| lint.name)
        .collect()
}

#[test]
fn ui_fixtures() {
    let known = known_lints();
    let default = default_lints();
    let fixtures = fixtures();
    assert!(
        !fixtures.is_empty(),
        "no fixture in {}",
        fixture_dir().display()
    );
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let analyzed = std::panic::catch_unwind(|| analyze(fixture)).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "non-string panic payload".to_owned())
        });
        let results = match analyzed {
            Ok(results) => results,
            Err(panic) => {
                failures.push(format!("{}: the analyzer panicked: {panic}", fixture.name));
                continue;
            }
        };
        for ((path, source), result) in fixture.files.iter().zip(results) {
            let name = fixture.file_label(path);
            let expectations = match parse_expectations(source, &known, &default) {
                Ok(expectations) => expectations,
                Err(errors) => {
                    failures.push(format!(
                        "{name}: bad fixture:\n    {}",
                        errors.join("\n    ")
                    ));
                    continue;
                }
            };
            match result {
                Err(error) => failures.push(format!(
                    "{name}: parse error at {}:{}: {}",
                    error.span.start.line, error.span.start.column, error.message
                )),
                Ok(found) => {
                    if let Some(report) = compare(source, &expectations, &found) {
                        failures.push(format!("{name}:\n{report}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} ui fixtures failed:\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

/// The fixtures are plausible Rust: they parse with `syn` (they are never compiled).
#[test]
fn fixtures_parse() {
    let mut errors: Vec<String> = Vec::new();
    for fixture in fixtures() {
        for (path, source) in &fixture.files {
            if let Err(error) = syn::parse_file(source) {
                let at = error.span().start();
                let name = fixture.file_label(path);
                errors.push(format!("{name}:{}:{}: {error}", at.line, at.column + 1));
            }
        }
    }
    assert!(
        errors.is_empty(),
        "fixtures that do not parse:\n{}",
        errors.join("\n")
    );
}

#[test]
fn every_lint_has_a_positive_fixture() {
    let known = known_lints();
    let default = default_lints();
    let mut positives: BTreeMap<String, usize> = BTreeMap::new();
    for fixture in fixtures() {
        for (_, source) in &fixture.files {
            // Bad fixtures are reported by `ui_fixtures`.
            if let Ok(expectations) = parse_expectations(source, &known, &default) {
                for ((_, name), count) in expectations.expected {
                    *positives.entry(name).or_insert(0) += count;
                }
            }
        }
    }
    let uncovered: Vec<&str> = known
        .iter()
        .copied()
        .filter(|name| !positives.contains_key(*name))
        .collect();
    assert!(
        uncovered.is_empty(),
        "lints with no positive ui case: {uncovered:?}"
    );
}

#[test]
fn fixture_names_are_lint_names() {
    let known = known_lints();
    for fixture in fixtures() {
        let name = fixture.name;
        let stem = name.trim_end_matches(".rs");
        let named_after_lint = known
            .iter()
            .any(|lint| stem == *lint || stem.starts_with(&format!("{lint}_")));
        assert!(
            named_after_lint || stem == "not_reqwest",
            "fixture {name} is not named after a lint (`<lint>.rs`, `<lint>_<topic>.rs` or a \
             crate directory `<lint>_<topic>/`)"
        );
    }
}

mod harness_self_test {
    use super::*;

    const KNOWN: &[&str] = &["alpha", "beta", "gamma"];
    const DEFAULT: &[&str] = &["alpha", "beta"];

    fn expected(pairs: &[(usize, &str, usize)]) -> BTreeMap<(usize, String), usize> {
        pairs
            .iter()
            .map(|(line, name, count)| ((*line, name.to_string()), *count))
            .collect()
    }

    #[test]
    fn annotations_mark_their_own_line() {
        let source = "fn f() {\n    a(); //~ alpha\n    b(); //~ alpha, beta\n}\n";
        let parsed = parse_expectations(source, KNOWN, DEFAULT).unwrap();
        assert_eq!(parsed.checked, vec!["alpha", "beta"]);
        assert_eq!(
            parsed.expected,
            expected(&[(2, "alpha", 1), (3, "alpha", 1), (3, "beta", 1)])
        );
    }

    #[test]
    fn a_repeated_name_expects_two_diagnostics() {
        let parsed = parse_expectations("x(); //~ alpha,alpha ,\n", KNOWN, DEFAULT).unwrap();
        assert_eq!(parsed.expected, expected(&[(1, "alpha", 2)]));
    }

    #[test]
    fn the_header_replaces_the_default_lints() {
        let source = "//@ lints: gamma\nfn f() {\n    g(); //~ gamma\n}\n";
        let parsed = parse_expectations(source, KNOWN, DEFAULT).unwrap();
        assert_eq!(parsed.checked, vec!["gamma"]);
        assert_eq!(parsed.expected, expected(&[(3, "gamma", 1)]));
        let source = "//@ lints: beta, gamma\n";
        let parsed = parse_expectations(source, KNOWN, DEFAULT).unwrap();
        assert_eq!(parsed.checked, vec!["beta", "gamma"]);
        assert!(parsed.expected.is_empty());
    }

    #[test]
    fn fixture_mistakes_are_errors() {
        // Unknown lint.
        assert!(parse_expectations("a(); //~ delta\n", KNOWN, DEFAULT).is_err());
        // Empty annotation.
        assert!(parse_expectations("a(); //~\n", KNOWN, DEFAULT).is_err());
        // A lint that is not checked in this fixture (allow-level, no header).
        assert!(parse_expectations("a(); //~ gamma\n", KNOWN, DEFAULT).is_err());
        // A lint outside the header's list.
        assert!(parse_expectations("//@ lints: gamma\na(); //~ alpha\n", KNOWN, DEFAULT).is_err());
        // A header that is not on the first line, or lists nothing / an unknown lint.
        assert!(parse_expectations("\n//@ lints: gamma\n", KNOWN, DEFAULT).is_err());
        assert!(parse_expectations("//@ lints:\n", KNOWN, DEFAULT).is_err());
        assert!(parse_expectations("//@ lints: omega\n", KNOWN, DEFAULT).is_err());
    }

    fn diagnostic(name: &str, line: usize) -> Diagnostic {
        let lint = LINTS
            .iter()
            .copied()
            .find(|lint| lint.name == name)
            .unwrap();
        let position = reqleak_analysis::Position {
            line,
            column: 5,
            byte: 0,
        };
        Diagnostic {
            lint,
            message: format!("found by {name}"),
            span: reqleak_analysis::Span {
                start: position,
                end: position,
            },
            primary_label: None,
            labels: Vec::new(),
            help: String::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn comparison_reports_missing_and_extra() {
        let known = known_lints();
        let default = default_lints();
        let source = "fn f() {\n    a(); //~ unconsumed_response\n    b();\n}\n";
        let parsed = parse_expectations(source, &known, &default).unwrap();

        assert_eq!(
            compare(source, &parsed, &[diagnostic("unconsumed_response", 2)]),
            None
        );
        // Not checked without a header: ignored.
        assert_eq!(
            compare(
                source,
                &parsed,
                &[
                    diagnostic("unconsumed_response", 2),
                    diagnostic("unbounded_body_read", 3)
                ]
            ),
            None
        );
        let report = compare(source, &parsed, &[diagnostic("leaked_response", 3)]).unwrap();
        assert!(report.contains("missing"), "{report}");
        assert!(report.contains("2: unconsumed_response"), "{report}");
        assert!(report.contains("a(); //~ unconsumed_response"), "{report}");
        assert!(report.contains("extra"), "{report}");
        assert!(
            report.contains("3:5: leaked_response: found by leaked_response"),
            "{report}"
        );
        // A duplicate diagnostic is an extra one.
        let report = compare(
            source,
            &parsed,
            &[
                diagnostic("unconsumed_response", 2),
                diagnostic("unconsumed_response", 2),
            ],
        )
        .unwrap();
        assert!(!report.contains("missing"), "{report}");
        assert!(report.contains("2:5: unconsumed_response"), "{report}");
    }
}

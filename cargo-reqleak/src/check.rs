//! Runs the analyzer on each unit and turns its findings into reported ones: suppression
//! comments first, then levels; unused suppressions, unreadable and unparsable files are
//! findings too. The result is sorted by file, line and column.
//!
//! The analyzer's findings come from the plan's cache when the unit's inputs are unchanged
//! (see [`super::cache`]); suppressions and levels are applied on every run, so a change to
//! them (or to a `Cargo.toml` lints table) never needs the analysis again.

use std::collections::HashSet;

use rayon::prelude::*;

use reqleak_analysis::diagnostic::Diagnostic;
use reqleak_analysis::lint::Level;
use reqleak_analysis::lints::unused_suppression::LINT as UNUSED_SUPPRESSION;

use super::cache::{self, Cache};
use super::discovery::{Plan, Unit};
use super::levels::{origin_note, Levels};
use super::suppression::Suppressions;
use super::units::{Finding, Severity, SourceFile};

/// The files of a run and what is reported about them.
#[derive(Debug)]
pub struct Report {
    /// Every file analyzed (or that failed to be), across units.
    pub files: Vec<SourceFile>,
    /// The reported findings, sorted.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Analyzes every unit of `plan`.
pub fn check(plan: Plan) -> Report {
    let cache = &plan.cache;
    let checked: Vec<(Vec<SourceFile>, Vec<Finding>)> = plan
        .units
        .into_par_iter()
        .map(|unit| check_unit(unit, cache))
        .collect();
    let mut files = Vec::new();
    let mut findings = Vec::new();
    for (unit_files, mut unit_findings) in checked {
        let offset = files.len();
        for finding in &mut unit_findings {
            finding.file += offset;
        }
        files.extend(unit_files);
        findings.extend(unit_findings);
    }
    findings.sort_by_cached_key(|f| {
        (
            files[f.file].display.clone(),
            f.span.map(|s| (s.start.line, s.start.column)),
            f.lint.map(|l| l.name),
            f.message.clone(),
        )
    });
    let mut noted = HashSet::new();
    for finding in &mut findings {
        if let Some(note) = finding.level_note.take() {
            if noted.insert(note.clone()) {
                finding.level_note = Some(note);
            }
        }
    }
    Report { files, findings }
}

fn check_unit(unit: Unit, cache: &Cache) -> (Vec<SourceFile>, Vec<Finding>) {
    let Unit {
        files,
        levels,
        test_code,
        dependencies,
    } = unit;
    let readable: Vec<usize> = (0..files.len())
        .filter(|&index| files[index].text.is_ok())
        .collect();
    let inputs: Vec<reqleak_analysis::CrateFile<'_>> = readable
        .iter()
        .filter_map(|&index| {
            let file = &files[index];
            let input = reqleak_analysis::CrateFile::new(file.text.as_deref().ok()?);
            Some(match &file.place {
                Some(place) => input.at(place.clone(), &file.display),
                None => input,
            })
        })
        .collect();
    let options = reqleak_analysis::Options {
        test_code,
        dependencies,
        // A switch for benchmarks and for telling a lazy-parsing bug from an analysis one:
        // the findings must be the same either way.
        eager_bodies: std::env::var_os("REQLEAK_EAGER_BODIES").is_some_and(|v| v == "1"),
    };
    // One result per input, in order; the analyzer turns its own panics into internal errors.
    let results = cache::analyze_unit(cache, &identity(&files, test_code), &inputs, &options);
    let mut findings = Vec::new();
    for (index, file) in files.iter().enumerate() {
        if let Err(err) = &file.text {
            findings.push(file_error(index, err.message.clone(), err.span));
        }
    }
    for (&index, result) in readable.iter().zip(results) {
        match result {
            Ok(diagnostics) => {
                let text = files[index].text.as_deref().unwrap_or_default();
                findings.extend(apply(index, text, diagnostics, &levels));
            }
            Err(err) if err.internal => findings.push(file_error(index, err.message, None)),
            Err(err) => {
                let mut finding = file_error(
                    index,
                    format!("could not parse file: {}", err.message),
                    Some(err.span),
                );
                finding.labels = err.labels;
                findings.push(finding);
            }
        }
    }
    (files, findings)
}

/// What names a unit across runs, for its cache files: its package, its targets (or its
/// first file, in path mode) and whether test code is analyzed.
fn identity(files: &[SourceFile], test_code: bool) -> String {
    let mut parts: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let place = file.place.as_ref()?;
            Some(format!("{}:{:?}", place.target, place.kind))
        })
        .collect();
    parts.sort();
    parts.dedup();
    let package = files
        .iter()
        .find_map(|file| Some(file.cargo.as_ref()?.package_id.as_str()))
        .unwrap_or("");
    let first = files.first().map_or("", |file| file.display.as_str());
    format!("{test_code}\n{package}\n{first}\n{}", parts.join("\n"))
}

fn file_error(file: usize, message: String, span: Option<reqleak_analysis::Span>) -> Finding {
    Finding {
        file,
        severity: Severity::Error,
        lint: None,
        message,
        span: span.filter(|s| s.start.line > 0),
        primary_label: None,
        labels: Vec::new(),
        help: None,
        notes: vec!["this file was not analyzed".to_string()],
        level_note: None,
    }
}

/// Suppression comments, then levels, for one file's diagnostics.
fn apply(file: usize, text: &str, diagnostics: Vec<Diagnostic>, levels: &Levels) -> Vec<Finding> {
    // Without findings and without a suppression comment there is nothing to do (and the
    // file need not be scanned: most files of a warm run).
    if diagnostics.is_empty() && !text.contains("reqleak:") {
        return Vec::new();
    }
    let mut suppressions = Suppressions::scan(text);
    let mut out = Vec::new();
    for d in diagnostics {
        let (level, origin) = levels.level(d.lint);
        if level == Level::Forbid {
            let why = origin_note(d.lint, level, &origin);
            suppressions.forbidden(d.lint, d.span.start.line, &why);
        } else if suppressions.suppress(d.lint, d.span.start.line) {
            continue;
        }
        let Some(severity) = severity(level) else {
            continue;
        };
        out.push(Finding {
            file,
            severity,
            lint: Some(d.lint),
            message: d.message,
            span: Some(d.span),
            primary_label: d.primary_label,
            labels: d.labels,
            help: Some(d.help),
            notes: d.notes,
            level_note: Some(origin_note(d.lint, level, &origin)),
        });
    }
    let (level, origin) = levels.level(&UNUSED_SUPPRESSION);
    if let Some(severity) = severity(level) {
        for (span, message) in suppressions.unused() {
            out.push(Finding {
                file,
                severity,
                lint: Some(&UNUSED_SUPPRESSION),
                message,
                span: Some(span),
                primary_label: None,
                labels: Vec::new(),
                help: Some(UNUSED_SUPPRESSION.help.to_string()),
                notes: Vec::new(),
                level_note: Some(origin_note(&UNUSED_SUPPRESSION, level, &origin)),
            });
        }
    }
    out
}

fn severity(level: Level) -> Option<Severity> {
    match level {
        Level::Allow => None,
        Level::Warn => Some(Severity::Warning),
        Level::Deny | Level::Forbid => Some(Severity::Error),
    }
}

//! Baselines: `--write-baseline FILE` records today's findings, `--baseline FILE` reports only
//! the findings that are not in it, and counts those that have gone as fixed.
//!
//! A finding is recorded by package, file, lint and a fingerprint of the flagged code: the
//! source text of its primary span with whitespace collapsed (long spans are cut and end with
//! a hash of the whole text). The line number is not part of it, so edits elsewhere in the file
//! keep the match. Identical findings (the same code flagged twice in one file) are counted:
//! a baseline entry with `count: 2` covers two of them, and a third is new.
//!
//! The file is JSON, versioned, with one entry per distinct finding in a stable order
//! (package, file, lint, code), so that it reads well in a diff:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {
//!       "package": "app",
//!       "file": "src/lib.rs",
//!       "lint": "unconsumed_response",
//!       "code": "client.get(url).send().await?",
//!       "count": 1
//!     }
//!   ]
//! }
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::units::{Finding, SourceFile};

/// The format version this build reads and writes.
pub const VERSION: u32 = 1;

/// What identifies a finding across edits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    /// The package name (`null` in path mode).
    pub package: Option<String>,
    /// The file, as displayed (relative to the workspace root, or as given in path mode).
    pub file: String,
    /// The lint name, without `reqleak::`.
    pub lint: String,
    /// The fingerprint of the flagged code.
    pub code: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    key: Key,
    count: usize,
}

#[derive(Debug, Serialize, Deserialize)]
struct FileFormat {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline: how many findings of each key it holds.
#[derive(Debug, Default)]
pub struct Baseline {
    counts: BTreeMap<Key, usize>,
}

/// The findings of a run split by a baseline.
#[derive(Debug, Default)]
pub struct Split {
    /// Findings that are not in the baseline: reported as usual.
    pub new: Vec<Finding>,
    /// Findings that are in it: not reported, counted (and marked `unchanged` in SARIF).
    pub baselined: Vec<Finding>,
    /// Baseline entries that no finding matched any more, with how many have gone.
    pub fixed: Vec<(Key, usize)>,
}

/// The key of a finding, if it can be baselined (a lint's finding with a span in a readable
/// file; files that could not be analyzed always fail the run).
pub fn key(finding: &Finding, file: &SourceFile) -> Option<Key> {
    let lint = finding.lint?;
    let span = finding.span?;
    let text = file.text.as_ref().ok()?;
    let range = super::render::byte_range(file, span.start.byte, span.end.byte);
    Some(Key {
        package: file.cargo.as_ref().map(|c| c.package_name.clone()),
        file: file.display.clone(),
        lint: lint.name.to_string(),
        code: fingerprint(&text[range]),
    })
}

/// The flagged code with whitespace collapsed; past 120 characters, its first 100 characters,
/// `…` and a hash of the whole.
pub fn fingerprint(code: &str) -> String {
    let collapsed = code.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= 120 {
        return collapsed;
    }
    let head: String = collapsed.chars().take(100).collect();
    format!("{head}… #{:016x}", fnv1a(collapsed.as_bytes()))
}

/// 64-bit FNV-1a: stable across Rust versions and platforms (std's hasher is not).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Baseline {
    /// Reads a baseline file; a missing, unreadable or invalid file is an error (exit 2).
    pub fn load(path: &Path, shown: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|err| {
            format!(
                "cannot read baseline `{}`: {} (write one with `--write-baseline {}`)",
                shown.display(),
                super::discovery::io_message(&err),
                shown.display()
            )
        })?;
        let version = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("version").and_then(|v| v.as_u64()));
        if let Some(version) = version.filter(|v| *v != u64::from(VERSION)) {
            return Err(format!(
                "baseline `{}` has version {version}; this reqleak reads version {VERSION}: \
                 write it again with `--write-baseline`",
                shown.display()
            ));
        }
        let parsed: FileFormat = serde_json::from_str(&text).map_err(|err| {
            format!(
                "baseline `{}` is not a reqleak baseline: {err}",
                shown.display()
            )
        })?;
        let mut counts = BTreeMap::new();
        for entry in parsed.findings {
            *counts.entry(entry.key).or_insert(0) += entry.count;
        }
        Ok(Baseline { counts })
    }

    /// Splits `findings` (sorted by file and position): for each key, the first findings up to
    /// the baseline's count are baselined and the rest are new; the counts left are fixed.
    pub fn split(&self, findings: Vec<Finding>, files: &[SourceFile]) -> Split {
        let mut left = self.counts.clone();
        let mut split = Split::default();
        for finding in findings {
            let slot = key(&finding, &files[finding.file]).and_then(|k| left.get_mut(&k));
            match slot {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    split.baselined.push(finding);
                }
                _ => split.new.push(finding),
            }
        }
        split.fixed = left.into_iter().filter(|(_, n)| *n > 0).collect();
        split
    }
}

/// The baseline file's text for `findings`.
pub fn render(findings: &[Finding], files: &[SourceFile]) -> String {
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    for finding in findings {
        if let Some(key) = key(finding, &files[finding.file]) {
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    let file = FileFormat {
        version: VERSION,
        findings: counts
            .into_iter()
            .map(|(key, count)| Entry { key, count })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_collapse_whitespace_and_cut_long_code() {
        assert_eq!(
            fingerprint("client\n        .get(url)\t.send()"),
            "client .get(url) .send()"
        );
        let long = "x".repeat(200);
        let print = fingerprint(&long);
        assert_eq!(print.chars().count(), 100 + 2 + 17);
        assert!(print.starts_with(&"x".repeat(100)));
        assert_ne!(print, fingerprint(&"x".repeat(201)));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}

//! One SARIF 2.1.0 log: the catalogue as `rules` (help text, default level, group tag), one
//! `result` per finding with its location relative to `%SRCROOT%` (the workspace root in
//! workspace mode, the current directory in path mode), labels as related locations.

use std::path::Path;

use serde_json::{json, Value};

use crate::baseline::Key;
use crate::units::{Finding, SourceFile};
use reqleak_analysis::lint::Level;
use reqleak_analysis::LINTS;

/// The rule id of findings that are not a lint's: a file that could not be read or parsed.
pub const FILE_ERROR_RULE: &str = "reqleak::file_error";

/// With `--baseline`: the findings found in the baseline and the baseline's entries that
/// have gone. The log then carries every result's `baselineState`: `new` for the reported
/// findings, `unchanged` for the baselined ones, `absent` for the fixed ones (as results of
/// kind `pass`, level `none`, located at their file).
#[derive(Clone, Copy, Debug)]
pub struct BaselineStates<'a> {
    /// The findings that are in the baseline.
    pub unchanged: &'a [Finding],
    /// The baseline entries that no finding matched, with their counts.
    pub absent: &'a [(Key, usize)],
}

/// The whole log.
pub fn log(
    findings: &[Finding],
    baseline: Option<BaselineStates<'_>>,
    files: &[SourceFile],
    root: &Path,
) -> Value {
    let mut rules: Vec<Value> = LINTS
        .iter()
        .map(|lint| {
            let level = match lint.default_level {
                Level::Allow => "none",
                Level::Warn => "warning",
                Level::Deny | Level::Forbid => "error",
            };
            json!({
                "id": lint.code(),
                "name": lint.name,
                "shortDescription": {"text": lint.summary},
                "fullDescription": {"text": lint.summary},
                "help": {"text": lint.help, "markdown": lint.explanation},
                "defaultConfiguration": {"level": level, "enabled": lint.default_level != Level::Allow},
                "properties": {"tags": [lint.group.as_str()]},
            })
        })
        .collect();
    rules.push(json!({
        "id": FILE_ERROR_RULE,
        "name": "file_error",
        "shortDescription": {"text": "a file that could not be read or parsed, and so was not analyzed"},
        "fullDescription": {"text": "a file that could not be read, is not UTF-8, or does not parse as Rust; it was not analyzed"},
        "help": {"text": "make the file valid UTF-8 Rust that `cargo build` accepts"},
        "defaultConfiguration": {"level": "error"},
    }));
    let rule_ids: Vec<String> = rules
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect();
    let state = |finding: &Finding| -> Option<&'static str> {
        let states = baseline?;
        Some(
            if states.unchanged.iter().any(|u| std::ptr::eq(u, finding)) {
                "unchanged"
            } else {
                "new"
            },
        )
    };
    let unchanged = baseline.map_or(&[][..], |b| b.unchanged);
    let mut results: Vec<Value> = findings
        .iter()
        .chain(unchanged)
        .map(|finding| {
            let file = &files[finding.file];
            let rule_id = finding
                .lint
                .map(|l| l.code())
                .unwrap_or_else(|| FILE_ERROR_RULE.to_string());
            let rule_index = rule_ids.iter().position(|r| *r == rule_id).unwrap_or(0);
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": artifact(file),
                }
            });
            if let Some(span) = finding.span {
                location["physicalLocation"]["region"] = region(span);
            }
            let mut message = finding.message.clone();
            if let Some(help) = &finding.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let related: Vec<Value> = finding
                .labels
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    json!({
                        "id": i,
                        "message": {"text": label.message},
                        "physicalLocation": {
                            "artifactLocation": artifact(file),
                            "region": region(label.span),
                        },
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": rule_id,
                "ruleIndex": rule_index,
                "level": finding.severity.as_str(),
                "message": {"text": message},
                "locations": [location],
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            if let Some(state) = state(finding) {
                result["baselineState"] = json!(state);
            }
            result
        })
        .collect();
    for (key, count) in baseline.map_or(&[][..], |b| b.absent) {
        let rule_id = format!("reqleak::{}", key.lint);
        let rule_index = rule_ids.iter().position(|r| *r == rule_id).unwrap_or(0);
        let artifact = if Path::new(&key.file).is_absolute() {
            json!({"uri": file_uri(Path::new(&key.file))})
        } else {
            json!({"uri": percent_encode(&key.file.replace('\\', "/")), "uriBaseId": "%SRCROOT%"})
        };
        for _ in 0..*count {
            results.push(json!({
                "ruleId": rule_id,
                "ruleIndex": rule_index,
                "kind": "pass",
                "level": "none",
                "message": {"text": format!("fixed since the baseline: `{}` is no longer flagged", key.code)},
                "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
                "baselineState": "absent",
            }));
        }
    }
    let mut root_uri = file_uri(root);
    if !root_uri.ends_with('/') {
        root_uri.push('/');
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "reqleak",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn artifact(file: &SourceFile) -> Value {
    let path = Path::new(&file.display);
    if path.is_absolute() {
        json!({"uri": file_uri(path)})
    } else {
        json!({"uri": percent_encode(&file.display.replace('\\', "/")), "uriBaseId": "%SRCROOT%"})
    }
}

fn region(span: reqleak_analysis::Span) -> Value {
    json!({
        "startLine": span.start.line,
        "startColumn": span.start.column,
        "endLine": span.end.line,
        "endColumn": span.end.column,
    })
}

fn file_uri(path: &Path) -> String {
    format!(
        "file://{}",
        percent_encode(&path.to_string_lossy().replace('\\', "/"))
    )
}

/// Percent-encodes what may not appear in a URI path.
fn percent_encode(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

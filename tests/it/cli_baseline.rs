//! Baselines: `--write-baseline FILE` records today's findings, `--baseline FILE` reports only
//! new ones. Findings are matched by package, file, lint and the flagged code (not the line),
//! counted when identical; gone ones are reported as fixed; SARIF carries `baselineState`.

use crate::sarif;
use crate::support;

use serde_json::json;
use support::{package_manifest, run, tree, write, LEAKED};

/// Two identical unread responses (lines 2 and 6) and a leak (line 10).
const LEGACY: &str = "pub async fn a(client: &reqwest::Client) -> reqwest::Result<()> {
    client.get(\"http://example.com/\").send().await?;
    Ok(())
}
pub async fn b(client: &reqwest::Client) -> reqwest::Result<()> {
    client.get(\"http://example.com/\").send().await?;
    Ok(())
}
pub fn forget(resp: reqwest::blocking::Response) {
    std::mem::forget(resp);
}
";

fn legacy() -> tempfile::TempDir {
    tree(&[
        ("Cargo.toml", &package_manifest("app", "")),
        ("src/lib.rs", LEGACY),
    ])
}

const BASELINE: &str = r#"{
  "version": 1,
  "findings": [
    {
      "package": "app",
      "file": "src/lib.rs",
      "lint": "leaked_response",
      "code": "std::mem::forget(resp)",
      "count": 1
    },
    {
      "package": "app",
      "file": "src/lib.rs",
      "lint": "unconsumed_response",
      "code": "client.get(\"http://example.com/\").send()",
      "count": 2
    }
  ]
}
"#;

#[test]
fn write_then_compare_reports_only_new_findings_and_counts_the_rest() {
    let dir = legacy();
    let out = run(dir.path(), &["--write-baseline", "reqleak-baseline.json"]);
    assert_eq!((out.status, out.stdout.as_str()), (0, ""));
    assert_eq!(
        out.stderr,
        "reqleak: 3 findings recorded in baseline `reqleak-baseline.json`, 0 other warnings, 0 other errors in 1 file (T ms)\n"
    );
    let written = std::fs::read_to_string(dir.path().join("reqleak-baseline.json")).unwrap();
    assert_eq!(written, BASELINE);

    let compare = [
        "--baseline",
        "reqleak-baseline.json",
        "--message-format",
        "short",
    ];
    let out = run(dir.path(), &compare);
    assert_eq!((out.status, out.stdout.as_str()), (0, ""));
    assert_eq!(
        out.stderr,
        "reqleak: 0 warnings, 0 errors in 1 file, 3 baselined, 0 fixed (T ms)\n"
    );

    // Edits elsewhere in the file (lines move) keep the match; a third copy of the same code
    // is new, and so is a new finding; the leak that went is fixed.
    let edited = format!(
        "// a new header line\n\n{}pub async fn c(client: &reqwest::Client) -> reqwest::Result<()> {{\n    client.get(\"http://example.com/\").send().await?;\n    Ok(())\n}}\n",
        LEGACY.replace("    std::mem::forget(resp);\n", "    drop(resp);\n")
    );
    write(dir.path(), "src/lib.rs", edited.as_bytes());
    let out = run(dir.path(), &compare);
    assert_eq!(out.status, 0);
    assert_eq!(
        out.stdout,
        "src/lib.rs:15:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n"
    );
    assert_eq!(
        out.stderr,
        "reqleak: 1 warning, 0 errors in 1 file, 2 baselined, 1 fixed (T ms)\n\
         note: 1 finding in the baseline has gone; `--write-baseline reqleak-baseline.json` drops it from it:\n  \
         fixed: src/lib.rs: reqleak::leaked_response `std::mem::forget(resp)`\n"
    );
    // JSON: the baselined findings are left out, the new one is there.
    let out = run(
        dir.path(),
        &[
            "--baseline",
            "reqleak-baseline.json",
            "--message-format",
            "json",
        ],
    );
    assert_eq!(
        support::json_summary(&out),
        vec![support::at(
            "src/lib.rs",
            15,
            "reqleak::unconsumed_response"
        )]
    );
}

#[test]
fn sarif_marks_new_unchanged_and_absent_results() {
    let dir = legacy();
    assert_eq!(run(dir.path(), &["--write-baseline", "b.json"]).status, 0);
    let changed = LEGACY
        .replace("    std::mem::forget(resp);\n", "    drop(resp);\n")
        .replace(
            "pub async fn b",
            "pub fn more(r: reqwest::blocking::Response) { std::mem::forget(r); }\npub async fn b",
        );
    write(dir.path(), "src/lib.rs", changed.as_bytes());
    let out = run(
        dir.path(),
        &["--baseline", "b.json", "--message-format", "sarif"],
    );
    assert_eq!(out.status, 1);
    let log: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    sarif::validate(&log);
    let results: Vec<(String, String, Option<u64>)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["baselineState"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64(),
            )
        })
        .collect();
    let row = |rule: &str, state: &str, line: Option<u64>| {
        (format!("reqleak::{rule}"), state.to_string(), line)
    };
    assert_eq!(
        results,
        [
            row("leaked_response", "new", Some(5)),
            row("unconsumed_response", "unchanged", Some(2)),
            row("unconsumed_response", "unchanged", Some(7)),
            row("leaked_response", "absent", None),
        ]
    );
    let absent = &log["runs"][0]["results"][3];
    assert_eq!(absent["kind"], "pass");
    assert_eq!(absent["level"], "none");
    assert_eq!(
        absent["message"]["text"],
        "fixed since the baseline: `std::mem::forget(resp)` is no longer flagged"
    );
    assert_eq!(
        absent["locations"][0]["physicalLocation"]["artifactLocation"],
        json!({"uri": "src/lib.rs", "uriBaseId": "%SRCROOT%"})
    );
    // Without --baseline, no result carries a baselineState.
    let out = run(dir.path(), &["--message-format", "sarif"]);
    assert!(!out.stdout.contains("baselineState"));
}

#[test]
fn path_mode_baselines_and_file_errors_that_are_never_baselined() {
    let dir = tree(&[
        ("a.rs", LEAKED),
        (
            "b.rs",
            "pub fn f() {\n    let = 1;\n    reqwest::get(\"u\");\n}\n",
        ),
    ]);
    let out = run(
        dir.path(),
        &[
            "--write-baseline",
            "base.json",
            "--message-format",
            "short",
            ".",
        ],
    );
    // The file that does not parse is still an error, and is not recorded.
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stdout,
        "b.rs:2:9: error: could not parse file: expected one of: identifier, `::`, `<`, `_`, literal, `const`, `ref`, `mut`, `&`, parentheses, square brackets, `..`, `const`\n"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap())
            .unwrap();
    assert_eq!(
        written,
        json!({"version": 1, "findings": [{
            "package": null, "file": "a.rs", "lint": "leaked_response",
            "code": "std::mem::forget(resp)", "count": 1
        }]})
    );
    let out = run(dir.path(), &["--baseline", "base.json", "-q", "a.rs"]);
    assert_eq!((out.status, out.stdout.as_str()), (0, ""));
}

#[test]
fn a_missing_or_foreign_baseline_is_an_error() {
    let dir = legacy();
    let out = run(dir.path(), &["--baseline", "nope.json"]);
    assert_eq!((out.status, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        "error: cannot read baseline `nope.json`: No such file or directory (write one with `--write-baseline nope.json`)\n"
    );
    write(dir.path(), "v9.json", br#"{"version": 9, "findings": []}"#);
    let out = run(dir.path(), &["--baseline", "v9.json"]);
    assert_eq!(
        out.stderr,
        "error: baseline `v9.json` has version 9; this reqleak reads version 1: write it again with `--write-baseline`\n"
    );
    write(dir.path(), "other.json", b"[1, 2]");
    let out = run(dir.path(), &["--baseline", "other.json"]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .starts_with("error: baseline `other.json` is not a reqleak baseline: "),
        "{}",
        out.stderr
    );
    let out = run(
        dir.path(),
        &["--baseline", "a.json", "--write-baseline", "a.json"],
    );
    assert_eq!(out.status, 2);
}

//! `--message-format sarif`: a SARIF 2.1.0 log valid against the official schema
//! (tests/cli/sarif-schema-2.1.0.json), with the catalogue as rules and one result a finding.

use crate::sarif;
use crate::support;

use sarif::validate;
use serde_json::json;
use support::{canonical, package_manifest, run, tree, LEAKED, UNCONSUMED};

#[test]
fn the_log_is_valid_and_carries_rules_and_results() {
    let dir = tree(&[
        ("Cargo.toml", &package_manifest("app", "")),
        ("src/lib.rs", &format!("mod leak;\n{UNCONSUMED}")),
        ("src/leak.rs", LEAKED),
        ("src/dir with space/x.rs", ""),
    ]);
    let out = run(dir.path(), &["--message-format", "sarif"]);
    assert_eq!(out.status, 1);
    assert_eq!(out.stderr, "");
    let log: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    validate(&log);

    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), reqleak_analysis::LINTS.len() + 1);
    for (rule, lint) in rules.iter().zip(reqleak_analysis::LINTS.iter()) {
        assert_eq!(rule["id"], lint.code());
        assert_eq!(rule["help"]["text"], lint.help);
        assert_eq!(rule["help"]["markdown"], lint.explanation);
        assert_eq!(rule["shortDescription"]["text"], lint.summary);
        let level = match lint.default_level {
            reqleak_analysis::Level::Allow => "none",
            reqleak_analysis::Level::Warn => "warning",
            reqleak_analysis::Level::Deny | reqleak_analysis::Level::Forbid => "error",
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
        assert_eq!(rule["properties"]["tags"], json!([lint.group.as_str()]));
    }
    // No placeholder URL: `informationUri` comes back with the project's real home.
    assert_eq!(run0["tool"]["driver"].get("informationUri"), None);
    assert_eq!(rules[rules.len() - 2]["id"], "reqleak::unused_suppression");
    assert_eq!(rules[rules.len() - 1]["id"], "reqleak::file_error");

    assert_eq!(
        run0["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", canonical(dir.path()).display())
    );
    let leaked = reqleak_analysis::find_lint("leaked_response").unwrap();
    let unconsumed = reqleak_analysis::find_lint("unconsumed_response").unwrap();
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "reqleak::leaked_response");
    assert_eq!(
        results[0]["ruleIndex"],
        reqleak_analysis::LINTS
            .iter()
            .position(|l| l.name == "leaked_response")
            .unwrap()
    );
    assert_eq!(results[0]["level"], "error");
    assert_eq!(
        results[0]["message"]["text"],
        format!(
            "`std::mem::forget` leaks this response\nhelp: {}",
            leaked.help
        )
    );
    assert_eq!(
        results[0]["locations"],
        json!([{"physicalLocation": {
            "artifactLocation": {"uri": "src/leak.rs", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 27}
        }}])
    );
    assert_eq!(results[1]["ruleId"], "reqleak::unconsumed_response");
    assert_eq!(results[1]["level"], "warning");
    assert_eq!(
        results[1]["message"]["text"],
        format!(
            "this response is never read, moved on, or dropped explicitly\nhelp: {}",
            unconsumed.help
        )
    );
}

#[test]
fn labels_become_related_locations_and_bad_files_use_the_file_error_rule() {
    let dir = tree(&[
        (
            "a.rs",
            "pub async fn slow(client: &reqwest::Client) -> reqwest::Result<String> {
    let resp = client.get(\"http://example.com/\").send().await?;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    resp.text().await
}
",
        ),
        ("b.rs", "fn f( {"),
    ]);
    let out = run(dir.path(), &["--message-format", "sarif", "."]);
    let log: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    validate(&log);
    let results = &log["runs"][0]["results"];
    assert_eq!(
        results[0]["relatedLocations"],
        json!([{
            "id": 0,
            "message": {"text": "it is still alive and unread across this await"},
            "physicalLocation": {
                "artifactLocation": {"uri": "a.rs", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 61, "endLine": 3, "endColumn": 66}
            }
        }])
    );
    assert_eq!(results[1]["ruleId"], "reqleak::file_error");
    assert_eq!(results[1]["level"], "error");
}

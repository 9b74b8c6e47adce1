//! Workspace mode (`cargo reqleak` without paths): discovery through `cargo metadata`,
//! package selection, every target kind, module trees, the JSON fields of each message, and
//! the errors of a missing or broken workspace.

use crate::support;

use support::{
    at, canonical, json_summary, package_manifest, run, tree, CLEAN, LEAKED, UNCONSUMED,
};

/// A virtual workspace with two members: `alpha` (a lib with an unconsumed response) and
/// `beta` (a bin whose `util` module leaks one).
fn two_members() -> tempfile::TempDir {
    tree(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"alpha\", \"beta\"]\nresolver = \"2\"\n",
        ),
        ("alpha/Cargo.toml", &package_manifest("alpha", "")),
        ("alpha/src/lib.rs", UNCONSUMED),
        ("beta/Cargo.toml", &package_manifest("beta", "")),
        ("beta/src/main.rs", "mod util;\nfn main() {}\n"),
        ("beta/src/util.rs", LEAKED),
    ])
}

#[test]
fn virtual_workspace_analyzes_every_member_with_exact_json_fields() {
    let dir = two_members();
    let root = canonical(dir.path());
    let out = run(dir.path(), &["--message-format", "json"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    let lines = out.json_lines();
    assert_eq!(lines.len(), 3, "{}", out.stdout);

    let alpha = &lines[0];
    assert_eq!(alpha["reason"], "compiler-message");
    assert_eq!(
        alpha["package_id"],
        format!("path+file://{}/alpha#0.1.0", root.display())
    );
    assert_eq!(
        alpha["manifest_path"],
        format!("{}/alpha/Cargo.toml", root.display())
    );
    assert_eq!(alpha["target"]["name"], "alpha");
    assert_eq!(alpha["target"]["kind"], serde_json::json!(["lib"]));
    assert_eq!(
        alpha["target"]["src_path"],
        format!("{}/alpha/src/lib.rs", root.display())
    );
    let d = &alpha["message"];
    assert_eq!(d["level"], "warning");
    assert_eq!(d["code"]["code"], "reqleak::unconsumed_response");
    assert_eq!(
        d["code"]["explanation"],
        reqleak_analysis::find_lint("unconsumed_response")
            .unwrap()
            .explanation
    );
    let span = &d["spans"][0];
    assert_eq!(
        (
            &span["file_name"],
            &span["line_start"],
            &span["column_start"],
            &span["line_end"],
            &span["column_end"],
            &span["byte_start"],
            &span["byte_end"],
            &span["is_primary"],
        ),
        (
            &serde_json::json!("alpha/src/lib.rs"),
            &serde_json::json!(2),
            &serde_json::json!(5),
            &serde_json::json!(2),
            &serde_json::json!(45),
            &serde_json::json!(73),
            &serde_json::json!(113),
            &serde_json::json!(true),
        )
    );
    assert_eq!(
        span["text"],
        serde_json::json!([{
            "text": "    client.get(\"http://example.com/\").send().await?;",
            "highlight_start": 5,
            "highlight_end": 45
        }])
    );

    let beta = &lines[1];
    assert_eq!(
        beta["package_id"],
        format!("path+file://{}/beta#0.1.0", root.display())
    );
    assert_eq!(beta["target"]["name"], "beta");
    assert_eq!(beta["target"]["kind"], serde_json::json!(["bin"]));
    assert_eq!(beta["message"]["level"], "error");
    assert_eq!(beta["message"]["spans"][0]["file_name"], "beta/src/util.rs");
    assert_eq!(
        lines[2],
        serde_json::json!({"reason": "build-finished", "success": false})
    );
}

fn with<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    ["--message-format", "json"]
        .iter()
        .chain(extra)
        .copied()
        .collect()
}

#[test]
fn package_selection_follows_cargo() {
    let dir = two_members();
    let both = vec![
        at("alpha/src/lib.rs", 2, "reqleak::unconsumed_response"),
        at("beta/src/util.rs", 2, "reqleak::leaked_response"),
    ];
    let alpha = vec![both[0].clone()];
    let beta = vec![both[1].clone()];
    let root = dir.path();
    let json = ["--message-format", "json"];

    // In a member's folder: that member, as `cargo build` does there.
    assert_eq!(json_summary(&run(&root.join("beta/src"), &json)), beta);
    // `--workspace` from a member's folder: all of them.
    assert_eq!(
        json_summary(&run(&root.join("beta"), &with(&["--workspace"]))),
        both
    );
    // `-p`, repeatable.
    assert_eq!(json_summary(&run(root, &with(&["-p", "alpha"]))), alpha);
    assert_eq!(
        json_summary(&run(root, &with(&["-p", "beta", "-p", "alpha"]))),
        both
    );
    // `--manifest-path` from anywhere.
    let elsewhere = tree(&[]);
    let manifest = root.join("alpha/Cargo.toml");
    let out = run(
        elsewhere.path(),
        &with(&["--manifest-path", manifest.to_str().unwrap()]),
    );
    assert_eq!(json_summary(&out), alpha);
    let manifest = root.join("Cargo.toml");
    let out = run(
        elsewhere.path(),
        &with(&["--manifest-path", manifest.to_str().unwrap()]),
    );
    assert_eq!(json_summary(&out), both);
}

#[test]
fn with_all_targets_every_target_kind_and_module_tree_is_followed_and_nothing_else() {
    let dir = tree(&[
        ("Cargo.toml", &package_manifest("kinds", "")),
        (
            "src/lib.rs",
            "mod flat;\nmod nested;\nmod outer {\n    mod deep;\n}\n#[path = \"elsewhere/special.rs\"]\nmod special;\n#[path = \"../target/generated.rs\"]\nmod generated;\n",
        ),
        ("src/flat.rs", "mod child;\n"),
        ("src/flat/child.rs", LEAKED),
        ("src/nested/mod.rs", &format!("mod http;\n{LEAKED}")),
        ("src/nested/http.rs", LEAKED),
        ("src/outer/deep.rs", LEAKED),
        ("src/elsewhere/special.rs", &format!("mod sibling;\n{LEAKED}")),
        ("src/elsewhere/sibling.rs", LEAKED),
        ("src/orphan.rs", LEAKED),
        ("target/generated.rs", LEAKED),
        ("src/main.rs", LEAKED),
        ("src/bin/tool.rs", &format!("fn main() {{}}\n{LEAKED}")),
        ("tests/it.rs", LEAKED),
        ("examples/ex.rs", &format!("fn main() {{}}\n{LEAKED}")),
        ("benches/bench.rs", LEAKED),
        ("build.rs", &format!("fn main() {{}}\n{LEAKED}")),
    ]);
    let out = run(dir.path(), &["--message-format", "json", "--all-targets"]);
    let code = "reqleak::leaked_response";
    assert_eq!(
        json_summary(&out),
        vec![
            at("benches/bench.rs", 2, code),
            at("build.rs", 3, code),
            at("examples/ex.rs", 3, code),
            at("src/bin/tool.rs", 3, code),
            at("src/elsewhere/sibling.rs", 2, code),
            at("src/elsewhere/special.rs", 3, code),
            at("src/flat/child.rs", 2, code),
            at("src/main.rs", 2, code),
            at("src/nested/http.rs", 2, code),
            at("src/nested/mod.rs", 3, code),
            at("src/outer/deep.rs", 2, code),
            at("tests/it.rs", 2, code),
        ]
    );
    let kinds: Vec<(String, String)> = out
        .json_lines()
        .iter()
        .filter(|m| m["reason"] == "compiler-message")
        .map(|m| {
            (
                m["target"]["kind"][0].as_str().unwrap().to_string(),
                m["target"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("bench", "bench"),
        ("custom-build", "build-script-build"),
        ("example", "ex"),
        ("bin", "tool"),
        ("lib", "kinds"),
        ("lib", "kinds"),
        ("lib", "kinds"),
        ("bin", "kinds"),
        ("lib", "kinds"),
        ("lib", "kinds"),
        ("lib", "kinds"),
        ("test", "it"),
    ]
    .iter()
    .map(|(k, n)| (k.to_string(), n.to_string()))
    .collect();
    assert_eq!(kinds, expected);
    let out = run(dir.path(), &["--message-format", "short", "--all-targets"]);
    assert_eq!(
        out.stderr,
        "reqleak: 0 warnings, 12 errors in 14 files (T ms)\n"
    );
}

#[test]
fn a_bad_file_in_a_package_is_an_error_and_the_rest_is_analyzed() {
    let dir = tree(&[
        ("Cargo.toml", &package_manifest("bad", "")),
        (
            "src/lib.rs",
            &format!("mod broken;\nmod latin;\n{UNCONSUMED}"),
        ),
        (
            "src/broken.rs",
            "pub fn f() {\n    let = 1;\n    reqwest::get(\"u\");\n}\n",
        ),
    ]);
    support::write(dir.path(), "src/latin.rs", b"pub fn caf\xe9() {}\n");
    let out = run(dir.path(), &["--message-format", "short"]);
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stdout,
        "src/broken.rs:2:9: error: could not parse file: expected one of: identifier, `::`, `<`, `_`, literal, `const`, `ref`, `mut`, `&`, parentheses, square brackets, `..`, `const`\n\
         src/latin.rs:1:11: error: file is not valid UTF-8: invalid byte 0xE9 at line 1, column 11\n\
         src/lib.rs:4:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n"
    );
}

#[test]
fn a_root_that_does_not_parse_does_not_hide_its_modules() {
    // A syntax error: syn fails, the tokens balance.
    let syntax = "mod client;\n#[path = \"extra/more.rs\"]\nmod more;\n\nfn broken() {\n    let x = 1 +;\n    reqwest::get(\"u\");\n}\n";
    // Unbalanced delimiters: proc-macro2 cannot even split the file into tokens.
    let mismatched = "mod client;\n#[path = \"extra/more.rs\"]\nmod more;\n\nfn broken() {\n    let x = (1, 2;\n}\n";
    let unclosed = "mod client;\n#[path = \"extra/more.rs\"]\nmod more;\n\nfn broken() {\n    if true {\n        g();\n}\n";
    let unexpected = "mod client;\n#[path = \"extra/more.rs\"]\nmod more;\n\nfn broken() {\n}\n}\n";
    for (root, error) in [
        (syntax, "src/lib.rs:6:16: error: could not parse file: expected an expression"),
        (mismatched, "src/lib.rs:7:1: error: could not parse file: mismatched closing delimiter: `}`"),
        (unclosed, "src/lib.rs:5:13: error: could not parse file: this file contains an unclosed delimiter"),
        (unexpected, "src/lib.rs:7:1: error: could not parse file: unexpected closing delimiter: `}`"),
    ] {
        let dir = tree(&[
            ("Cargo.toml", &package_manifest("broken", "")),
            ("src/lib.rs", root),
            ("src/client.rs", UNCONSUMED),
            ("src/extra/more.rs", LEAKED),
        ]);
        let out = run(dir.path(), &["--message-format", "short"]);
        assert_eq!(
            out.stdout,
            format!(
                "src/client.rs:2:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n\
                 src/extra/more.rs:2:5: error: `std::mem::forget` leaks this response [reqleak::leaked_response]\n\
                 {error}\n"
            ),
            "{root}"
        );
        assert_eq!(out.status, 1);
        assert_eq!(
            out.stderr,
            "reqleak: 1 warning, 2 errors in 3 files (T ms)\n"
        );
    }
}

#[test]
fn a_mismatched_delimiter_is_shown_as_rustc_shows_it() {
    let dir = tree(&[
        ("Cargo.toml", &package_manifest("broken", "")),
        ("src/lib.rs", "fn broken() {\n    let x = (1, 2;\n}\n"),
    ]);
    let out = run(dir.path(), &["--color", "never"]);
    assert_eq!(
        out.stdout,
        "error: could not parse file: mismatched closing delimiter: `}`
 --> src/lib.rs:3:1
  |
2 |     let x = (1, 2;
  |             - unclosed delimiter
3 | }
  | ^
  |
  = note: this file was not analyzed

"
    );
}

#[test]
fn not_in_a_workspace() {
    let dir = tree(&[("a.rs", CLEAN)]);
    let out = run(dir.path(), &[]);
    assert_eq!(out.status, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        format!(
            "error: `cargo metadata` failed: could not find `Cargo.toml` in `{}` or any parent directory\n",
            dir.path().display()
        )
    );
}

#[test]
fn broken_manifest() {
    let dir = tree(&[
        ("Cargo.toml", "[package]\nname = \"x\n"),
        ("src/lib.rs", CLEAN),
    ]);
    let out = run(dir.path(), &[]);
    assert_eq!(out.status, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: `cargo metadata` failed: invalid basic string, expected `\"` (at Cargo.toml:2:10)\n"
    );
}

#[test]
fn missing_manifest_path_and_unknown_package() {
    let dir = two_members();
    let out = run(dir.path(), &["--manifest-path", "gamma/Cargo.toml"]);
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        "error: manifest path `gamma/Cargo.toml` does not exist\n"
    );
    let out = run(dir.path(), &["--manifest-path", "alpha"]);
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        "error: manifest path `alpha` is a directory: give the path of its Cargo.toml\n"
    );
    let out = run(dir.path(), &["-p", "alfa"]);
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        format!(
            "error: package `alfa` is not a member of the workspace at `{}`: did you mean `alpha`?\n",
            canonical(dir.path()).display()
        )
    );
}

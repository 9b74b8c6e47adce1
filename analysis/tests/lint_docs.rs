//! The repository's lint reference, `docs/lints.md`, and the lint table of the README are
//! generated from the catalogue (`reqleak_analysis::LINTS`: each lint's level, group, summary and
//! its `lints/*.md` explanation). This test fails when either is out of date; with
//! `UPDATE_LINT_DOCS=1` it writes them instead:
//!
//! ```sh
//! UPDATE_LINT_DOCS=1 cargo test -p reqleak-analysis --test lint_docs
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use reqleak_analysis::{Lint, Reporter, LINTS};

const REGENERATE: &str = "UPDATE_LINT_DOCS=1 cargo test -p reqleak-analysis --test lint_docs";

/// Where the README's table starts and ends: the lines between these are generated.
const TABLE_START: &str = "<!-- lint table: generated from the catalogue, see docs/lints.md -->";
const TABLE_END: &str = "<!-- end of lint table -->";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("analysis/ is inside the repository")
        .to_path_buf()
}

/// The catalogue as a Markdown table, each name linking to its section (`link` + `#name`).
fn table(link: &str) -> String {
    let mut text = String::from("| lint | level | group | what it flags |\n|---|---|---|---|\n");
    for lint in LINTS {
        let _ = writeln!(
            text,
            "| [`{name}`]({link}#{name}) | {level} | {group} | {summary} |",
            name = lint.name,
            level = lint.default_level,
            group = lint.group,
            summary = lint.summary.replace('|', "\\|"),
        );
    }
    text
}

fn section(lint: &Lint) -> String {
    let mut text = format!(
        "## `{}`\n\nDefault level: `{}` · group: `{}` · code: `{}`\n\n",
        lint.name,
        lint.default_level,
        lint.group,
        lint.code()
    );
    if lint.reporter == Reporter::FrontEnd {
        text.push_str(
            "Reported by `cargo reqleak` itself, from its suppression comments; the analyzer \
             library never reports it.\n\n",
        );
    }
    let _ = write!(
        text,
        "{}.\n\n> help: {}\n\n{}\n",
        capitalized(lint.summary),
        lint.help,
        lint.explanation.trim_end()
    );
    text
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The whole of `docs/lints.md`.
fn reference() -> String {
    let mut text = format!(
        "# reqleak lints\n\n\
         <!-- Generated from the lint catalogue (analysis/src/lints/): edit a lint's `.md` file or \
         its entry there, then run `{REGENERATE}`. -->\n\n\
         Every lint of `cargo reqleak`. `cargo reqleak --list` prints this table and \
         `cargo reqleak --explain NAME` a lint's section. Levels: `deny` fails the run, `warn` \
         reports, `allow` is off unless enabled (`-W pedantic`, `-W NAME`); [Configuration](../README.md#configuration) \
         says how to set them per package and workspace.\n\n"
    );
    text.push_str(&table(""));
    for lint in LINTS {
        text.push('\n');
        text.push_str(&section(lint));
    }
    text
}

/// `readme` with the lines between the table's markers replaced by the table.
fn with_table(readme: &str) -> Result<String, String> {
    let start = readme
        .find(TABLE_START)
        .ok_or_else(|| format!("README.md has no line `{TABLE_START}`"))?
        + TABLE_START.len();
    let end = readme[start..]
        .find(TABLE_END)
        .ok_or_else(|| format!("README.md has no line `{TABLE_END}` after the start marker"))?
        + start;
    Ok(format!(
        "{}\n{}{}",
        &readme[..start],
        table("docs/lints.md"),
        &readme[end..]
    ))
}

/// Compares `path` with `expected`, or writes it with `UPDATE_LINT_DOCS=1`; a mismatch is
/// described by its first differing line.
fn check(path: &Path, expected: &str) -> Result<(), String> {
    let shown = path.strip_prefix(repository()).unwrap_or(path).display();
    if std::env::var_os("UPDATE_LINT_DOCS").is_some() {
        return std::fs::write(path, expected).map_err(|e| format!("cannot write {shown}: {e}"));
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    if actual == expected {
        return Ok(());
    }
    let line = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, e)| a != e)
        .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
    Err(format!(
        "{shown} is out of date with the lint catalogue (first difference at line {}):\n  \
         found:    {:?}\n  expected: {:?}",
        line + 1,
        actual.lines().nth(line).unwrap_or("<end of file>"),
        expected.lines().nth(line).unwrap_or("<end of file>"),
    ))
}

#[test]
fn lint_reference_is_up_to_date() {
    let root = repository();
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let problems: Vec<String> = [
        check(&root.join("docs/lints.md"), &reference()),
        with_table(&readme).and_then(|expected| check(&readme_path, &expected)),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    assert!(
        problems.is_empty(),
        "{}\nRegenerate with:\n  {REGENERATE}\nand review the diff.",
        problems.join("\n")
    );
}

#[test]
fn every_lint_has_a_section_and_a_row() {
    let reference = reference();
    for lint in LINTS {
        assert!(reference.contains(&format!("\n## `{}`\n", lint.name)));
        assert!(reference.contains(&format!("| [`{}`](#{}) |", lint.name, lint.name)));
    }
    // A table row per lint, and the header.
    assert_eq!(
        table("").lines().filter(|l| l.starts_with('|')).count(),
        LINTS.len() + 2
    );
}

#[test]
fn the_readme_table_is_replaced_between_its_markers() {
    let readme = format!("intro\n{TABLE_START}\n| stale |\n{TABLE_END}\nrest\n");
    let replaced = with_table(&readme).unwrap();
    assert!(replaced.starts_with(&format!("intro\n{TABLE_START}\n| lint |")));
    assert!(replaced.ends_with(&format!("|\n{TABLE_END}\nrest\n")));
    assert!(!replaced.contains("stale"));
    assert!(with_table("no markers").is_err());
}

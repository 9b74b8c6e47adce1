//! The rendered diagnostics of every ui fixture, as insta snapshots reviewed like code (clippy's
//! `.stderr` files, ruff's snapshots): `tests/ui.rs` pins which lint fires on which line; these
//! pin what the user reads — message, carets, labels at the await or exit, help and notes.
//! Fixtures with a `//@ lints:` header are rendered with exactly those lints enabled; a crate
//! fixture (a directory) is rendered whole, as `cargo reqleak <dir>` shows it.

use std::ffi::OsString;
use std::path::Path;

fn ui_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/ui"))
}

/// The lints a fixture's `//@ lints:` header enables, if it has one.
fn header_lints(text: &str) -> Option<Vec<String>> {
    let first = text.lines().next()?;
    let list = first.strip_prefix("//@ lints:")?;
    Some(list.split(',').map(|name| name.trim().to_owned()).collect())
}

fn render(file_name: &str, text: &str) -> String {
    let mut args: Vec<OsString> = ["cargo-reqleak", "--color", "never"]
        .iter()
        .map(OsString::from)
        .collect();
    if let Some(lints) = header_lints(text) {
        for group in ["correctness", "suspicious", "perf"] {
            args.extend([OsString::from("-A"), OsString::from(group)]);
        }
        for lint in lints {
            args.extend([OsString::from("-W"), OsString::from(lint)]);
        }
    }
    args.push(OsString::from(file_name));
    let mut out = Vec::new();
    let mut err = Vec::new();
    cargo_reqleak::run(args, ui_dir(), &mut out, &mut err);
    String::from_utf8(out).expect("the report is UTF-8")
}

#[test]
fn rendered_diagnostics_of_every_fixture() {
    let mut names: Vec<String> = std::fs::read_dir(ui_dir())
        .expect("tests/ui exists")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rs") || ui_dir().join(name).is_dir())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "fixtures found: {names:?}");
    for name in names {
        // A crate fixture is rendered as a whole (path mode on its directory).
        let text = if ui_dir().join(&name).is_dir() {
            String::new()
        } else {
            std::fs::read_to_string(ui_dir().join(&name)).unwrap()
        };
        let rendered = render(&name, &text);
        let expected_count = text.matches("//~").count();
        if expected_count > 0 || text.is_empty() {
            assert!(!rendered.is_empty(), "{name}: no diagnostics rendered");
        }
        insta::assert_snapshot!(name.trim_end_matches(".rs").to_owned(), rendered);
    }
}

//! Path mode: the given files, and the `*.rs` files under the given directories (respecting
//! `.gitignore`, skipping hidden entries and Cargo build directories), filtered by the target
//! selection flags as in workspace mode: a file's target kind is told by the innermost of its
//! directories named `src`, `tests`, `benches` or `examples` (none: `src`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{io_message, read_source, Plan, Unit};
use crate::frontend::args::Targets;
use crate::frontend::levels::Levels;
use crate::frontend::model::SourceFile;

/// Collects the files of path mode. `cwd` resolves relative paths; paths are displayed as
/// given. A missing path or an unreadable directory is an error (exit status 2). A path
/// argument whose files all belong to targets that are not selected gets a note.
pub fn plan(
    cwd: &Path,
    paths: &[PathBuf],
    levels: Levels,
    targets: &Targets,
) -> Result<Plan, String> {
    let mut found = BTreeSet::new();
    // What each path argument found, to say which ones were left out entirely.
    let mut by_argument: Vec<(&Path, Vec<PathBuf>)> = Vec::new();
    for given in paths {
        let absolute = cwd.join(given);
        let meta = std::fs::metadata(&absolute).map_err(|err| {
            if err.kind() == std::io::ErrorKind::NotFound {
                format!("no such file or directory: `{}`", given.display())
            } else {
                format!("cannot access `{}`: {}", given.display(), io_message(&err))
            }
        })?;
        if !meta.is_dir() {
            found.insert(clean(given));
            by_argument.push((given, vec![clean(given)]));
            continue;
        }
        let mut under = Vec::new();
        let walker = ignore::WalkBuilder::new(&absolute)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(|entry| !is_cargo_target_dir(entry.path()))
            .build();
        for entry in walker {
            let entry = entry.map_err(|err| walk_error(&err, cwd))?;
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            if is_file && entry.path().extension().is_some_and(|e| e == "rs") {
                let relative = entry.path().strip_prefix(&absolute).unwrap_or(entry.path());
                found.insert(clean(&given.join(relative)));
                under.push(clean(&given.join(relative)));
            }
        }
        by_argument.push((given, under));
    }
    let mut chosen: [Vec<PathBuf>; 2] = [Vec::new(), Vec::new()];
    for path in found {
        if let Some(test_code) = select(&path, targets) {
            chosen[usize::from(test_code)].push(path);
        }
    }
    // A path argument whose files were all left out is named in a note.
    let skipped: Vec<String> = by_argument
        .iter()
        .filter(|(_, files)| {
            !files.is_empty() && files.iter().all(|f| select(f, targets).is_none())
        })
        .map(|(given, _)| given.to_string_lossy().into_owned())
        .collect();
    // Files whose test code is analyzed and the others are analyzed apart, as two crates.
    let units = chosen
        .into_iter()
        .enumerate()
        .filter(|(_, paths)| !paths.is_empty())
        .map(|(test_code, paths)| Unit {
            files: paths
                .into_par_iter()
                .map(|path| SourceFile {
                    display: path.to_string_lossy().into_owned(),
                    text: read_source(&cwd.join(&path)),
                    cargo: None,
                })
                .collect(),
            levels: levels.clone(),
            test_code: test_code == 1,
        })
        .collect();
    let notes = if skipped.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "note: not analyzed, as their targets are not selected (add --tests, --benches, \
             --examples or --all-targets): {}",
            skipped.join(", ")
        )]
    };
    Ok(Plan {
        units,
        root: cwd.to_path_buf(),
        notes,
    })
}

/// Whether the flags select the target `path` belongs to, and if so whether its test code is
/// analyzed: the same rules as workspace mode, with the target kind told by the directories.
fn select(path: &Path, flags: &Targets) -> Option<bool> {
    // A build script is built (and linted) with any target of its package.
    if path.file_name().is_some_and(|n| n == "build.rs") {
        return Some(false);
    }
    let kind = path
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .rev()
        .find_map(|c| match c.as_os_str().to_str() {
            Some(name @ ("src" | "tests" | "benches" | "examples")) => Some(name),
            _ => None,
        })
        .unwrap_or("src");
    let default = flags.is_default();
    let all = flags.all_targets;
    let tests = flags.tests || all;
    let benches = flags.benches || all;
    let (selected, test_code) = match kind {
        "tests" => (tests, true),
        "benches" => (benches, true),
        "examples" => (flags.examples || all, false),
        _ => (
            default || flags.lib || flags.bins || tests || benches || all,
            tests || benches,
        ),
    };
    selected.then_some(test_code)
}

/// `path` without `.` components (`./src/a.rs` is shown as `src/a.rs`).
fn clean(path: &Path) -> PathBuf {
    let cleaned: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

/// A `target` directory that Cargo made (it tags it with `CACHEDIR.TAG`).
fn is_cargo_target_dir(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "target") && path.join("CACHEDIR.TAG").is_file()
}

fn walk_error(err: &ignore::Error, cwd: &Path) -> String {
    let mut path = None;
    let mut inner = err;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err
            }
            ignore::Error::Io(io) => {
                let shown = path
                    .as_deref()
                    .map(|p| p.strip_prefix(cwd).unwrap_or(p).display().to_string())
                    .unwrap_or_default();
                return format!("cannot read directory `{shown}`: {}", io_message(io));
            }
            other => return format!("cannot walk the directory: {other}"),
        }
    }
}

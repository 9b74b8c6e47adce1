//! Workspace mode: `cargo metadata --no-deps`, package selection with cargo's rules, target
//! selection with `cargo clippy`'s (by default the library and binaries, without their test
//! code), and the module trees of the selected targets.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, Package, Target, TargetKind};
use rayon::prelude::*;

use super::modtree::module_files;
use super::{Plan, Unit};
use crate::args::Targets;
use crate::cache::{self, Cache, ModuleCache};
use crate::levels::Levels;
use crate::units::{CargoContext, SourceFile};

/// The package selection flags.
#[derive(Debug)]
pub struct Selection<'a> {
    /// `--manifest-path`.
    pub manifest_path: Option<&'a Path>,
    /// `-p/--package`.
    pub packages: &'a [String],
    /// `--workspace`.
    pub workspace: bool,
    /// `--exclude`.
    pub exclude: &'a [String],
    /// The target selection flags.
    pub targets: &'a Targets,
}

/// Runs `cargo metadata`, selects packages and collects their module trees. `cli` holds the
/// command line's level flags, applied over each package's manifest tables. With `caching`,
/// `cargo metadata`'s answer and the files' `mod` declarations come from reqleak's cache
/// when their inputs are unchanged (see [`crate::cache`]).
pub fn plan(
    cwd: &Path,
    selection: &Selection<'_>,
    cli: &[(reqleak_analysis::lint::Level, String)],
    caching: bool,
) -> Result<Plan, String> {
    let manifest = selection.manifest_path.map(|p| cwd.join(p));
    if let Some(manifest) = &manifest {
        let shown = selection.manifest_path.unwrap_or(manifest).display();
        if manifest.is_dir() {
            return Err(format!(
                "manifest path `{shown}` is a directory: give the path of its Cargo.toml"
            ));
        }
        if !manifest.is_file() {
            return Err(format!("manifest path `{shown}` does not exist"));
        }
    }
    let metadata = cache::metadata(cwd, manifest.as_deref(), caching).map_err(metadata_error)?;
    let cache = if caching {
        Cache::in_target(metadata.target_directory.as_std_path())
    } else {
        Cache::disabled()
    };
    let modules = ModuleCache::load(&cache);
    let root = canonical(metadata.workspace_root.as_std_path());
    let packages = select(&metadata, cwd, manifest.as_deref(), selection)?;
    let mut notes = Vec::new();
    let members = metadata.workspace_packages();
    for name in selection.exclude {
        if !members.iter().any(|p| p.name.as_str() == name) {
            // As cargo says it.
            notes.push(format!(
                "warning: excluded package(s) `{name}` not found in workspace `{}`",
                metadata.workspace_root
            ));
        }
    }

    let workspace_manifest = display(&root, &root.join("Cargo.toml"));
    clippy_style_table(
        &root.join("Cargo.toml"),
        &workspace_manifest,
        &["workspace", "lints"],
    )?;
    for package in &packages {
        let manifest = package.manifest_path.as_std_path();
        clippy_style_table(manifest, &display(&root, manifest), &["lints"])?;
    }
    let chosen = choose_targets(&packages, selection.targets)?;
    let mut workspace_levels = Levels::default();
    notes.extend(crate::levels::rename_notes_in_manifest(
        &metadata.workspace_metadata,
        "workspace",
        &workspace_manifest,
    ));
    workspace_levels.apply_manifest(
        &metadata.workspace_metadata,
        "workspace",
        &workspace_manifest,
    )?;

    // Cargo's target directory (wherever `CARGO_TARGET_DIR` puts it) and the workspace's
    // `target/` folder are never read.
    let workspace_target = root.join("target");
    let skip: Vec<PathBuf> = [
        Some(metadata.target_directory.as_std_path()),
        metadata.build_directory.as_ref().map(|d| d.as_std_path()),
        Some(workspace_target.as_path()),
    ]
    .into_iter()
    .flatten()
    .flat_map(|d| [d.to_path_buf(), canonical(d)])
    .collect();

    // The dependencies that hand out reqwest values, indexed from their sources.
    let dependencies = crate::deps::index(
        &crate::deps::Workspace {
            cwd,
            manifest: manifest.as_deref(),
            root: metadata.workspace_root.as_std_path(),
            target_dir: metadata.target_directory.as_std_path(),
            caching,
        },
        &packages,
    );
    notes.extend(dependencies.note);
    for package in &packages {
        let manifest = display(&root, package.manifest_path.as_std_path());
        notes.extend(crate::levels::rename_notes_in_manifest(
            &package.metadata,
            "package",
            &manifest,
        ));
    }

    let units = packages
        .into_par_iter()
        .zip(chosen)
        .map(|(package, targets)| {
            let mut levels = workspace_levels.clone();
            let manifest = display(&root, package.manifest_path.as_std_path());
            levels.apply_manifest(&package.metadata, "package", &manifest)?;
            levels.apply_command_line(cli).map_err(|e| e.to_string())?;
            // The targets whose test code is selected are analyzed apart from the others,
            // with their test code (they are other crates anyway, for rustc).
            let mut seen = HashSet::new();
            let mut units = Vec::new();
            for test_code in [true, false] {
                let mode: Vec<&Target> = targets
                    .iter()
                    .filter(|(_, test)| *test == test_code)
                    .map(|(target, _)| *target)
                    .collect();
                let files =
                    package_files(package, &mode, &root, &skip, &mut seen, test_code, &modules);
                if !files.is_empty() {
                    units.push(Unit {
                        files,
                        levels: levels.clone(),
                        test_code,
                        dependencies: dependencies
                            .packages
                            .get(&package.id.repr)
                            .map(|deps| deps.for_unit(test_code))
                            .unwrap_or_default(),
                    });
                }
            }
            Ok(units)
        })
        .collect::<Result<Vec<Vec<Unit>>, String>>()?;
    modules.save();
    Ok(Plan {
        units: units.into_iter().flatten().collect(),
        root,
        notes,
        cache,
    })
}

/// The targets of each package that the flags select, each with whether its test code is
/// analyzed, as `cargo clippy` (that is, `cargo check`) has it:
/// - no flag: the library and the binaries, without test code;
/// - `--lib`, `--bins`, `--bin NAME`, `--examples`, `--example NAME`: those, without test code;
/// - `--tests`: the targets built as tests (library, binaries, integration tests, and examples
///   with `test = true`), with their test code; `--test NAME`: that integration test;
/// - `--benches`: the library and binaries with their test code (cargo builds them with
///   `--test` for benchmarks too) and the benchmarks; `--bench NAME`: that benchmark;
/// - `--all-targets`: all of the above;
/// - the build script whenever any other target of its package is selected, since cargo
///   builds (and clippy lints) it for any of them.
///
/// A name (`--bin NAME`..) that no selected package has is an error, as in cargo.
fn choose_targets<'m>(
    packages: &[&'m Package],
    flags: &Targets,
) -> Result<Vec<Vec<(&'m Target, bool)>>, String> {
    let default = flags.is_default();
    let all = flags.all_targets;
    let tests = flags.tests || all;
    let benches = flags.benches || all;
    let pick = |target: &Target| -> Option<bool> {
        let named = |names: &[String]| names.contains(&target.name);
        let mut selected = false;
        let mut test_code = false;
        let mut select = |on: bool, test: bool| {
            if on {
                selected = true;
                test_code |= test;
            }
        };
        if target.is_kind(TargetKind::Example) {
            select(flags.examples || all || named(&flags.example), false);
            select(tests && target.test, true);
        } else if target.is_kind(TargetKind::Test) {
            select(tests || named(&flags.test), true);
        } else if target.is_kind(TargetKind::Bench) {
            select(benches || named(&flags.bench), true);
        } else if target.is_kind(TargetKind::Bin) {
            select(default || flags.bins || all || named(&flags.bin), false);
            select(tests && target.test, true);
            select(benches, true);
        } else if is_lib(target) {
            select(default || flags.lib || all, false);
            select(tests && target.test, true);
            select(benches, true);
        }
        selected.then_some(test_code)
    };
    for (flag, kind, names) in [
        ("bin", TargetKind::Bin, &flags.bin),
        ("example", TargetKind::Example, &flags.example),
        ("test", TargetKind::Test, &flags.test),
        ("bench", TargetKind::Bench, &flags.bench),
    ] {
        let available: Vec<&str> = packages
            .iter()
            .flat_map(|p| &p.targets)
            .filter(|t| t.is_kind(kind.clone()))
            .map(|t| t.name.as_str())
            .collect();
        for name in names {
            if !available.contains(&name.as_str()) {
                let hint = match available.as_slice() {
                    [] => format!("the selected packages have no {flag} targets"),
                    some => format!("available {flag} targets: {}", some.join(", ")),
                };
                return Err(format!("no {flag} target named `{name}` ({hint})"));
            }
        }
    }
    Ok(packages
        .iter()
        .map(|package| {
            let mut chosen: Vec<(&Target, bool)> = package
                .targets
                .iter()
                .filter_map(|t| pick(t).map(|test| (t, test)))
                .collect();
            if !chosen.is_empty() {
                chosen.extend(
                    package
                        .targets
                        .iter()
                        .filter(|t| t.is_kind(TargetKind::CustomBuild))
                        .map(|t| (t, false)),
                );
            }
            chosen
        })
        .collect())
}

/// Whether cargo builds `target` only with features the package does not enable by default:
/// some of its `required-features` are not among the default ones (and those they enable).
fn is_optional(package: &Package, target: &Target) -> bool {
    let mut enabled: Vec<&str> = Vec::new();
    let mut pending: Vec<&str> = vec!["default"];
    while let Some(feature) = pending.pop() {
        if enabled.contains(&feature) {
            continue;
        }
        enabled.push(feature);
        if let Some(implied) = package.features.get(feature) {
            pending.extend(implied.iter().map(String::as_str));
        }
    }
    target
        .required_features
        .iter()
        .any(|feature| !enabled.contains(&feature.as_str()))
}

/// What kind of target this is, for the analysis.
fn place_kind(target: &Target) -> reqleak_analysis::TargetKind {
    use reqleak_analysis::TargetKind as Kind;
    if target.is_kind(TargetKind::Bin) {
        Kind::Bin
    } else if target.is_kind(TargetKind::Test) {
        Kind::Test
    } else if target.is_kind(TargetKind::Example) {
        Kind::Example
    } else if target.is_kind(TargetKind::Bench) {
        Kind::Bench
    } else if target.is_kind(TargetKind::CustomBuild) {
        Kind::BuildScript
    } else {
        Kind::Lib
    }
}

fn is_lib(target: &Target) -> bool {
    target.kind.iter().any(|k| {
        matches!(
            k,
            TargetKind::Lib
                | TargetKind::RLib
                | TargetKind::DyLib
                | TargetKind::CDyLib
                | TargetKind::StaticLib
                | TargetKind::ProcMacro
        )
    })
}

/// A clippy-style `[lints.reqleak]` (or `[workspace.lints.reqleak]`) table: cargo hands it to
/// rustc as `-D reqleak::..`, which rustc rejects (E0602), and reqleak does not read it. Say
/// where reqleak's levels go instead.
fn clippy_style_table(manifest: &Path, shown: &str, path: &[&str]) -> Result<(), String> {
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return Ok(());
    };
    let Ok(value) = text.parse::<toml::Table>() else {
        return Ok(()); // cargo metadata accepted it; nothing of ours to say
    };
    let mut table = Some(&value);
    for key in path {
        table = table.and_then(|t| t.get(*key)).and_then(|v| v.as_table());
    }
    if table.is_some_and(|t| t.contains_key("reqleak")) {
        let (written, meant) = if path[0] == "workspace" {
            (
                "[workspace.lints.reqleak]",
                "[workspace.metadata.reqleak.lints]",
            )
        } else {
            ("[lints.reqleak]", "[package.metadata.reqleak.lints]")
        };
        return Err(format!(
            "`{written}` in `{shown}`: cargo passes it to rustc, which rejects it (E0602, unknown \
             lint tool `reqleak`), and reqleak does not read it; move these settings to \
             `{meant}` (same keys and levels)"
        ));
    }
    Ok(())
}

/// The files of `targets`, each placed in its target's module tree. A module declared under
/// `#[cfg(test)]` is test code: its files are left out unless `test_code`.
fn package_files(
    package: &Package,
    targets: &[&Target],
    root: &Path,
    skip: &[PathBuf],
    seen: &mut HashSet<PathBuf>,
    test_code: bool,
    modules: &ModuleCache,
) -> Vec<SourceFile> {
    let mut files = Vec::new();
    for target in targets {
        let context = CargoContext {
            package_name: package.name.to_string(),
            package_id: package.id.repr.clone(),
            manifest_path: package.manifest_path.to_string(),
            target: serde_json::to_value(target).unwrap_or(serde_json::Value::Null),
        };
        let kind = place_kind(target);
        let optional = is_optional(package, target);
        let crate_name = reqleak_analysis::source::crate_name(&target.name);
        for file in module_files(target.src_path.as_std_path(), skip, seen, modules) {
            if file.test_only && !test_code {
                continue;
            }
            files.push(SourceFile {
                display: display(root, &file.path),
                text: file.text,
                cargo: Some(context.clone()),
                place: Some(reqleak_analysis::ModulePlace {
                    target: crate_name.clone(),
                    kind,
                    optional,
                    module: file.module,
                }),
            });
        }
    }
    files
}

/// cargo's default selection: with `-p`, those packages; with `--workspace`, every member;
/// otherwise, if the manifest in use (from `--manifest-path` or the nearest `Cargo.toml`
/// above `cwd`) is the workspace root, its default members (all members of a virtual
/// workspace), and if it is a member's, that member.
fn select<'m>(
    metadata: &'m Metadata,
    cwd: &Path,
    manifest: Option<&Path>,
    selection: &Selection<'_>,
) -> Result<Vec<&'m Package>, String> {
    let members = metadata.workspace_packages();
    if !selection.packages.is_empty() {
        let mut chosen = Vec::new();
        for name in selection.packages {
            let found = members.iter().find(|p| p.name.as_str() == name);
            match found {
                Some(p) => {
                    if !chosen.iter().any(|c: &&Package| c.id == p.id) {
                        chosen.push(*p);
                    }
                }
                None => {
                    let closest = members
                        .iter()
                        .map(|p| p.name.as_str())
                        .min_by_key(|m| strsim::damerau_levenshtein(name, m));
                    let hint = closest
                        .map(|c| format!(": did you mean `{c}`?"))
                        .unwrap_or_default();
                    return Err(format!(
                        "package `{name}` is not a member of the workspace at `{}`{hint}",
                        metadata.workspace_root
                    ));
                }
            }
        }
        return Ok(chosen);
    }
    if selection.workspace {
        return Ok(members
            .into_iter()
            .filter(|p| !selection.exclude.iter().any(|e| e == p.name.as_str()))
            .collect());
    }
    let current = manifest
        .map(canonical)
        .or_else(|| nearest_manifest(cwd))
        .unwrap_or_default();
    if let Some(package) = members
        .iter()
        .find(|p| canonical(p.manifest_path.as_std_path()) == current)
    {
        let is_root =
            canonical(metadata.workspace_root.as_std_path()).join("Cargo.toml") == current;
        if !is_root {
            return Ok(vec![*package]);
        }
    }
    if metadata.workspace_default_members.is_available() {
        let defaults = metadata.workspace_default_packages();
        if !defaults.is_empty() {
            return Ok(defaults);
        }
    }
    Ok(members)
}

fn nearest_manifest(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|m| m.is_file())
        .map(|m| canonical(&m))
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A path relative to the workspace root when it is inside it, else absolute.
fn display(root: &Path, path: &Path) -> String {
    let absolute = canonical(path);
    absolute
        .strip_prefix(root)
        .unwrap_or(&absolute)
        .to_string_lossy()
        .into_owned()
}

/// One line out of cargo's error: the first `error:` line, then each `Caused by:` line.
fn metadata_error(err: cargo_metadata::Error) -> String {
    match err {
        cargo_metadata::Error::CargoMetadata { stderr } => {
            let mut parts: Vec<String> = Vec::new();
            let mut lines = stderr.lines().map(str::trim).filter(|l| !l.is_empty());
            while let Some(line) = lines.next() {
                if let Some(rest) = line.strip_prefix("error:") {
                    parts.push(rest.trim().to_string());
                } else if let Some(location) = line.strip_prefix("-->") {
                    if let Some(last) = parts.last_mut() {
                        last.push_str(&format!(" (at {})", location.trim()));
                    }
                } else if line == "Caused by:" {
                    if let Some(cause) = lines.next() {
                        parts.push(cause.to_string());
                    }
                }
            }
            if parts.is_empty() {
                parts.push(stderr.trim().to_string());
            }
            format!("`cargo metadata` failed: {}", parts.join(": "))
        }
        cargo_metadata::Error::Io(io) => {
            format!("could not run `cargo metadata`: {}", super::io_message(&io))
        }
        other => format!("`cargo metadata` failed: {other}"),
    }
}

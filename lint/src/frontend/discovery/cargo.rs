//! Workspace mode: `cargo metadata --no-deps`, package selection with cargo's rules, and each
//! selected package's targets (lib, bins, tests, examples, benches, build script).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, MetadataCommand, Package};
use rayon::prelude::*;

use super::modtree::module_files;
use super::{Plan, Unit};
use crate::frontend::levels::Levels;
use crate::frontend::model::{CargoContext, SourceFile};
use crate::TargetKind;

/// The package selection flags.
#[derive(Debug, Default)]
pub struct Selection<'a> {
    /// `--manifest-path`.
    pub manifest_path: Option<&'a Path>,
    /// `-p/--package`.
    pub packages: &'a [String],
    /// `--workspace`.
    pub workspace: bool,
}

/// Runs `cargo metadata`, selects packages and collects their module trees. `cli` holds the
/// command line's level flags, applied over each package's manifest tables.
pub fn plan(
    cwd: &Path,
    selection: &Selection<'_>,
    cli: &[(crate::lint::Level, String)],
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
    let mut command = MetadataCommand::new();
    command.no_deps().current_dir(cwd);
    if let Some(manifest) = &manifest {
        command.manifest_path(manifest);
    }
    let metadata = command.exec().map_err(metadata_error)?;
    let root = canonical(metadata.workspace_root.as_std_path());
    let packages = select(&metadata, cwd, manifest.as_deref(), selection)?;

    let workspace_manifest = display(&root, &root.join("Cargo.toml"));
    let mut workspace_levels = Levels::default();
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

    let units = packages
        .into_par_iter()
        .map(|package| {
            let mut levels = workspace_levels.clone();
            let manifest = display(&root, package.manifest_path.as_std_path());
            levels.apply_manifest(&package.metadata, "package", &manifest)?;
            levels.apply_command_line(cli).map_err(|e| e.to_string())?;
            let test_code = true;
            Ok(Unit {
                files: package_files(package, &root, &skip, test_code),
                levels,
                test_code,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Plan { units, root })
}

/// The files of the package's targets. A module declared under `#[cfg(test)]` is test code:
/// its files are left out unless `test_code`.
fn package_files(
    package: &Package,
    root: &Path,
    skip: &[PathBuf],
    test_code: bool,
) -> Vec<SourceFile> {
    let mut seen = HashSet::new();
    let mut files = Vec::new();
    for target in &package.targets {
        let context = CargoContext {
            package_id: package.id.repr.clone(),
            manifest_path: package.manifest_path.to_string(),
            target: serde_json::to_value(target).unwrap_or(serde_json::Value::Null),
        };
        let kind = target_kind(target);
        let crate_name = crate::model::place::crate_name(&target.name);
        for file in module_files(target.src_path.as_std_path(), skip, &mut seen) {
            if file.test_only && !test_code {
                continue;
            }
            files.push(SourceFile {
                display: display(root, &file.path),
                text: file.text,
                cargo: Some(context.clone()),
                place: Some(crate::ModulePlace {
                    target: crate_name.clone(),
                    kind,
                    module: file.module,
                }),
            });
        }
    }
    files
}

/// What kind of target cargo says this is.
fn target_kind(target: &cargo_metadata::Target) -> TargetKind {
    use cargo_metadata::TargetKind as Cargo;
    let kinds = &target.kind;
    if kinds.iter().any(|k| matches!(k, Cargo::Bin)) {
        TargetKind::Bin
    } else if kinds.iter().any(|k| matches!(k, Cargo::Test)) {
        TargetKind::Test
    } else if kinds.iter().any(|k| matches!(k, Cargo::Example)) {
        TargetKind::Example
    } else if kinds.iter().any(|k| matches!(k, Cargo::Bench)) {
        TargetKind::Bench
    } else if kinds.iter().any(|k| matches!(k, Cargo::CustomBuild)) {
        TargetKind::BuildScript
    } else {
        TargetKind::Lib
    }
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
        return Ok(members);
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

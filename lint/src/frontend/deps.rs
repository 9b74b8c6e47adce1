//! Workspace mode: the package's dependencies that hand out reqwest values, indexed from their
//! sources (see `model::dep_index`), so that a call into them is known to return a response,
//! a client or a request builder. Nothing is compiled.
//!
//! - `cargo metadata --offline --locked --filter-platform HOST` gives the resolved graph and
//!   each package's manifest path. It never touches the network or the lock file; when it
//!   fails (no `Cargo.lock` yet, sources not downloaded) the run goes on without the index,
//!   and a note says why.
//! - A dependency is indexed when it depends directly (as a normal dependency) on `reqwest`,
//!   or on a crate that is indexed; `reqwest` itself is not. Only its library's module tree is
//!   read, without its test code. Dependencies are indexed after their own indexed
//!   dependencies, so `-> reqwest_middleware::ClientWithMiddleware` in an SDK is a client.
//! - Each index is cached in `<target-dir>/reqleak/deps/`, one file per package, keyed by
//!   [`FORMAT_VERSION`], reqleak's version, the package id (registry and git sources never
//!   change), the hash of its files for a path dependency, and the keys of its own indexed
//!   dependencies. A stale or corrupt file is ignored and rewritten.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, Node, Package, PackageId};
use serde::{Deserialize, Serialize};

use super::discovery::modtree::parsed_module_files;
use crate::model::dep_index::{self, DepFile};
use crate::model::foreign::ForeignCrate;

/// The version of the cache files' format and of the index's meaning: bump it whenever the
/// indexer reads sources differently, so that old cache files are rewritten.
pub const FORMAT_VERSION: u32 = 1;

/// Stack size of the indexing threads (syn recurses once per nesting level).
const INDEXER_STACK: usize = 256 << 20;

/// The indexed dependencies of one package, as its code names them.
#[derive(Clone, Debug, Default)]
pub struct PackageDeps {
    /// Normal and build dependencies.
    pub normal: Vec<ForeignCrate>,
    /// Dev-dependencies (for test code).
    pub dev: Vec<ForeignCrate>,
}

impl PackageDeps {
    /// The crates a unit of the package sees: with test code, the dev-dependencies too.
    pub fn for_unit(&self, test_code: bool) -> Vec<ForeignCrate> {
        let mut crates = self.normal.clone();
        if test_code {
            crates.extend(self.dev.iter().cloned());
        }
        crates
    }
}

/// The result of indexing: each selected package's dependencies, by package id.
#[derive(Debug, Default)]
pub struct Indexed {
    /// By package id.
    pub packages: HashMap<PackageId, PackageDeps>,
    /// Why nothing was indexed, for standard error.
    pub note: Option<String>,
}

/// Indexes the dependencies of `selected` (packages of the workspace found with
/// `cargo metadata --no-deps` in `cwd`, with `manifest` as `--manifest-path`), caching under
/// `target_dir`.
pub fn index(
    cwd: &Path,
    manifest: Option<&Path>,
    selected: &[&Package],
    target_dir: &Path,
) -> Indexed {
    if selected
        .iter()
        .all(|package| package.dependencies.is_empty())
    {
        return Indexed::default();
    }
    let mut options = vec!["--offline".to_owned(), "--locked".to_owned()];
    // Only this machine's dependencies: cargo has downloaded those (it fetches no other
    // platform's packages to build), and `--offline` fails on a package it lacks.
    if let Some(host) = host_triple(cwd) {
        options.extend(["--filter-platform".to_owned(), host]);
    }
    let mut command = MetadataCommand::new();
    command.current_dir(cwd).other_options(options);
    if let Some(manifest) = manifest {
        command.manifest_path(manifest);
    }
    let metadata = match command.exec() {
        Ok(metadata) => metadata,
        Err(err) => {
            return Indexed {
                packages: HashMap::new(),
                note: Some(format!(
                    "note: dependencies not indexed ({}); calls into them are analyzed without \
                     their signatures (run `cargo fetch` first)",
                    failure(&err)
                )),
            }
        }
    };
    let ids: Vec<&PackageId> = selected.iter().map(|package| &package.id).collect();
    Indexed {
        packages: index_graph(&metadata, &ids, &target_dir.join("reqleak").join("deps")),
        note: None,
    }
}

/// The host's target triple, from `rustc -vV` (the toolchain cargo would use in `cwd`).
fn host_triple(cwd: &Path) -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = std::process::Command::new(rustc)
        .arg("-vV")
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    String::from_utf8(output.stdout)
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(|host| host.trim().to_owned())
}

/// cargo's first error line.
fn failure(err: &cargo_metadata::Error) -> String {
    match err {
        cargo_metadata::Error::CargoMetadata { stderr } => stderr
            .lines()
            .find_map(|line| line.trim().strip_prefix("error:"))
            .map(|line| {
                format!(
                    "`cargo metadata --offline --locked` failed: {}",
                    line.trim()
                )
            })
            .unwrap_or_else(|| "`cargo metadata --offline --locked` failed".to_owned()),
        other => format!("`cargo metadata` failed: {other}"),
    }
}

/// What one indexed package became: its cache key and its index (under its own crate name).
struct Done {
    key: String,
    index: ForeignCrate,
}

/// Indexes what `selected` need from the resolved graph of `metadata`.
pub fn index_graph(
    metadata: &Metadata,
    selected: &[&PackageId],
    cache_dir: &Path,
) -> HashMap<PackageId, PackageDeps> {
    let Some(resolve) = &metadata.resolve else {
        return HashMap::new();
    };
    let packages: HashMap<&PackageId, &Package> =
        metadata.packages.iter().map(|p| (&p.id, p)).collect();
    let nodes: HashMap<&PackageId, &Node> = resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let is_reqwest = |id: &PackageId| {
        packages
            .get(id)
            .is_some_and(|p| p.name.as_str() == "reqwest")
    };

    // Packages that use reqwest, directly or through an indexed crate.
    let mut uses: HashSet<&PackageId> = HashSet::new();
    loop {
        let before = uses.len();
        for node in &resolve.nodes {
            if uses.contains(&node.id)
                || is_reqwest(&node.id)
                || packages.get(&node.id).and_then(|p| library(p)).is_none()
            {
                continue;
            }
            if normal_deps(node).any(|dep| is_reqwest(&dep.pkg) || uses.contains(&dep.pkg)) {
                uses.insert(&node.id);
            }
        }
        if uses.len() == before {
            break;
        }
    }
    // What the selected packages need: their direct dependencies that use reqwest, and the
    // indexed dependencies of those.
    let mut wanted: HashSet<&PackageId> = HashSet::new();
    let mut stack: Vec<&PackageId> = selected
        .iter()
        .filter_map(|id| nodes.get(id))
        .flat_map(|node| node.deps.iter().map(|dep| &dep.pkg))
        .filter(|id| uses.contains(id))
        .collect();
    while let Some(id) = stack.pop() {
        if wanted.insert(id) {
            if let Some(node) = nodes.get(id) {
                stack.extend(
                    normal_deps(node)
                        .map(|dep| &dep.pkg)
                        .filter(|dep| uses.contains(dep)),
                );
            }
        }
    }

    // Index them, dependencies first; each round in parallel.
    let mut done: HashMap<&PackageId, Done> = HashMap::new();
    let mut pending: Vec<&PackageId> = wanted.iter().copied().collect();
    pending.sort();
    while !pending.is_empty() {
        let (ready, rest): (Vec<&PackageId>, Vec<&PackageId>) = pending.iter().partition(|id| {
            nodes.get(*id).is_none_or(|node| {
                normal_deps(node)
                    .all(|dep| !wanted.contains(&dep.pkg) || done.contains_key(&dep.pkg))
            })
        });
        if ready.is_empty() {
            break; // a cycle through normal dependencies: cargo rejects those
        }
        let jobs: Vec<Job<'_>> = ready
            .iter()
            .filter_map(|id| {
                let package = packages.get(*id)?;
                let deps = nodes
                    .get(*id)
                    .map(|node| {
                        normal_deps(node)
                            .filter_map(|dep| {
                                let found = done.get(&dep.pkg)?;
                                Some((edge_name(dep, &found.index), found))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Some(Job { id, package, deps })
            })
            .collect();
        let results = run_jobs(&jobs, cache_dir);
        for (id, result) in ready.iter().zip(results) {
            done.insert(id, result);
        }
        pending = rest;
    }

    // Each selected package's view: its direct dependencies, by the names its code uses.
    let mut out = HashMap::new();
    for id in selected {
        let Some(node) = nodes.get(id) else {
            continue;
        };
        let mut deps = PackageDeps::default();
        for dep in &node.deps {
            let Some(found) = done.get(&dep.pkg) else {
                continue;
            };
            let mut krate = found.index.clone();
            krate.name = edge_name(dep, &found.index);
            let normal = dep.dep_kinds.is_empty()
                || dep
                    .dep_kinds
                    .iter()
                    .any(|k| matches!(k.kind, DependencyKind::Normal | DependencyKind::Build));
            if normal {
                deps.normal.push(krate);
            } else {
                deps.dev.push(krate);
            }
        }
        if !deps.normal.is_empty() || !deps.dev.is_empty() {
            out.insert((*id).clone(), deps);
        }
    }
    out
}

/// The normal dependencies of a node (what its library's code can name).
fn normal_deps(node: &Node) -> impl Iterator<Item = &cargo_metadata::NodeDep> {
    node.deps.iter().filter(|dep| {
        dep.dep_kinds.is_empty()
            || dep
                .dep_kinds
                .iter()
                .any(|k| k.kind == DependencyKind::Normal)
    })
}

/// The name a dependent's code gives a dependency (a renamed dependency's new name).
fn edge_name(dep: &cargo_metadata::NodeDep, index: &ForeignCrate) -> String {
    if dep.name.is_empty() {
        index.name.clone()
    } else {
        dep.name.clone()
    }
}

/// A package's library target (not a proc-macro: it exports no functions to call).
fn library(package: &Package) -> Option<&cargo_metadata::Target> {
    package.targets.iter().find(|target| {
        target.kind.iter().any(|kind| {
            matches!(
                kind,
                cargo_metadata::TargetKind::Lib
                    | cargo_metadata::TargetKind::RLib
                    | cargo_metadata::TargetKind::DyLib
            )
        })
    })
}

/// One package to index, with its indexed dependencies by the names its code uses.
struct Job<'a> {
    id: &'a PackageId,
    package: &'a Package,
    deps: Vec<(String, &'a Done)>,
}

/// Runs the jobs on the machine's cores, each on a thread with a deep stack.
fn run_jobs(jobs: &[Job<'_>], cache_dir: &Path) -> Vec<Done> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Done>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let at = next.fetch_add(1, Ordering::Relaxed);
        let Some(job) = jobs.get(at) else {
            break;
        };
        let done = index_cached(job, cache_dir);
        if let Ok(mut slot) = results[at].lock() {
            *slot = Some(done);
        }
    };
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let spawned = std::thread::Builder::new()
                .name(format!("reqleak-deps-{worker}"))
                .stack_size(INDEXER_STACK)
                .spawn_scoped(scope, work);
            if spawned.is_err() {
                work();
            }
        }
    });
    results
        .into_iter()
        .zip(jobs)
        .map(|(slot, job)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| Done {
                key: String::new(),
                index: ForeignCrate {
                    name: crate_name(job.package),
                    ..ForeignCrate::default()
                },
            })
        })
        .collect()
}

/// A cache file.
#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    key: String,
    index: ForeignCrate,
}

/// The package's index, from the cache when its key matches.
fn index_cached(job: &Job<'_>, cache_dir: &Path) -> Done {
    let key = cache_key(job);
    let path = cache_dir.join(format!(
        "{}-{}-{:016x}.json",
        job.package.name,
        job.package.version,
        fnv(job.id.repr.as_bytes())
    ));
    if let Some(cached) = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
        .filter(|cached| cached.format == FORMAT_VERSION && cached.key == key)
    {
        return Done {
            key,
            index: cached.index,
        };
    }
    let index = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| index_package(job)));
    let Ok(index) = index else {
        // A bug of the indexer: this package says nothing, and nothing is cached.
        return Done {
            key,
            index: ForeignCrate {
                name: crate_name(job.package),
                ..ForeignCrate::default()
            },
        };
    };
    let file = CacheFile {
        format: FORMAT_VERSION,
        key: key.clone(),
        index,
    };
    write_cache(cache_dir, &path, &file);
    Done {
        key,
        index: file.index,
    }
}

/// Writes a cache file atomically; a failure only costs the next run the work again.
fn write_cache(dir: &Path, path: &Path, file: &CacheFile) {
    let Ok(text) = serde_json::to_vec(file) else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(mut temp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    if std::io::Write::write_all(&mut temp, &text).is_ok() {
        let _ = temp.persist(path);
    }
}

/// Parses the package's library module tree and indexes it.
fn index_package(job: &Job<'_>) -> ForeignCrate {
    let name = crate_name(job.package);
    let Some(library) = library(job.package) else {
        return ForeignCrate {
            name,
            ..ForeignCrate::default()
        };
    };
    let parsed = parsed_module_files(library.src_path.as_std_path(), &[], &mut HashSet::new());
    let mut texts = Vec::new();
    let mut trees = Vec::new();
    for (file, tree) in parsed {
        if let (false, Ok(text), Some(tree)) = (file.test_only, file.text, tree) {
            texts.push(text);
            trees.push((file.module, tree));
        }
    }
    let files = trees
        .into_iter()
        .zip(&texts)
        .map(|((module, tree), text)| DepFile { tree, text, module })
        .collect();
    let deps: Vec<ForeignCrate> = job
        .deps
        .iter()
        .map(|(name, done)| {
            let mut krate = done.index.clone();
            krate.name = name.clone();
            krate
        })
        .collect();
    dep_index::index_crate(&name, files, &deps)
}

fn crate_name(package: &Package) -> String {
    library(package)
        .map(|target| crate::model::place::crate_name(&target.name))
        .unwrap_or_else(|| crate::model::place::crate_name(&package.name))
}

/// The cache key: format, reqleak's version, the package id, its files' hash when it is a
/// path dependency (registry and git sources never change), and its dependencies' keys.
fn cache_key(job: &Job<'_>) -> String {
    let mut text = format!(
        "{FORMAT_VERSION}\n{}\n{}\n",
        env!("CARGO_PKG_VERSION"),
        job.id.repr
    );
    if job.package.source.is_none() {
        if let Some(dir) = job.package.manifest_path.parent() {
            text.push_str(&format!("{:016x}\n", tree_hash(dir.as_std_path())));
        }
    }
    let mut deps: Vec<String> = job
        .deps
        .iter()
        .map(|(name, done)| format!("{name}={}", done.key))
        .collect();
    deps.sort();
    text.push_str(&deps.join("\n"));
    format!("{:016x}", fnv(text.as_bytes()))
}

/// A hash of a local package's `.rs` files and manifest (paths and contents), leaving out
/// build output, hidden directories and nested packages.
fn tree_hash(root: &Path) -> u64 {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let nested_package = path.join("Cargo.toml").is_file();
                if name != "target" && !name.starts_with('.') && !nested_package {
                    walk(&path, root, out);
                }
            } else if name.ends_with(".rs") || (dir == root && name == "Cargo.toml") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(root, root, &mut files);
    files.sort();
    let mut hash = Fnv::default();
    for file in files {
        hash.write(file.to_string_lossy().as_bytes());
        hash.write(&[0]);
        hash.write(&std::fs::read(&file).unwrap_or_default());
        hash.write(&[0]);
    }
    hash.0
}

/// FNV-1a, 64 bits: a hash that stays the same across Rust releases (cache keys on disk).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut hash = Fnv::default();
    hash.write(bytes);
    hash.0
}

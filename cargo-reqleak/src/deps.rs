//! Workspace mode: the package's dependencies that hand out reqwest values, indexed from their
//! sources (see `reqleak_analysis::dependencies`), so that a call into them is known to return a response,
//! a client or a request builder. Nothing is compiled.
//!
//! - `cargo metadata --offline --locked --filter-platform HOST` gives the resolved graph and
//!   each package's manifest path. It never touches the network or the lock file; when it
//!   fails (no `Cargo.lock` yet, sources not downloaded) the run goes on without the index,
//!   and a note suggests `cargo fetch`. It is not run at all when `Cargo.lock` shows that no
//!   dependency of the selected packages depends on `reqwest` (nothing would be indexed).
//! - A dependency is indexed when it depends directly (as a normal dependency) on `reqwest`,
//!   or on a crate that is indexed; `reqwest` itself is not. Only its library's module tree is
//!   read, without its test code. Dependencies are indexed after their own indexed
//!   dependencies, so `-> reqwest_middleware::ClientWithMiddleware` in an SDK is a client.
//! - Everything is cached in `<target-dir>/reqleak/deps/`: the part of the graph that matters
//!   (keyed by `Cargo.lock` and the manifests, so a warm run starts no process), and each
//!   package's index, one file a package, keyed by [`FORMAT_VERSION`], reqleak's version, the
//!   package id (registry and git sources never change), the hash of its files for a path
//!   package, and the keys of its own indexed dependencies. A stale or corrupt file is ignored
//!   and rewritten.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, Node, Package, PackageId};
use serde::{Deserialize, Serialize};

use super::discovery::modtree::parsed_module_files;
use reqleak_analysis::dependencies::{self as dep_index, DepFile};
use reqleak_analysis::ForeignCrate;

/// The version of the cache files' format and of the index's meaning: bump it whenever the
/// indexer reads sources differently, so that old cache files are rewritten.
pub const FORMAT_VERSION: u32 = 6;

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
    /// By package id (cargo's opaque string).
    pub packages: HashMap<String, PackageDeps>,
    /// Why nothing was indexed, for standard error.
    pub note: Option<String>,
}

/// Where the packages are: the workspace found with `cargo metadata --no-deps`.
pub struct Workspace<'a> {
    /// The directory reqleak runs in.
    pub cwd: &'a Path,
    /// `--manifest-path`, if given.
    pub manifest: Option<&'a Path>,
    /// The workspace's root directory (where `Cargo.lock` is).
    pub root: &'a Path,
    /// cargo's target directory.
    pub target_dir: &'a Path,
    /// Read and write the cache (not with `--no-cache`).
    pub caching: bool,
}

/// Indexes the dependencies of the `selected` packages of `workspace`.
pub fn index(workspace: &Workspace<'_>, selected: &[&Package]) -> Indexed {
    if selected
        .iter()
        .all(|package| package.dependencies.is_empty())
    {
        return Indexed::default();
    }
    if nothing_to_index(workspace.root, selected) {
        return Indexed::default();
    }
    let cache_dir = workspace.target_dir.join("reqleak").join("deps");
    let cache_dir = workspace.caching.then_some(cache_dir.as_path());
    let graph = match cached_graph(workspace, selected, cache_dir) {
        Ok(graph) => graph,
        Err(note) => {
            return Indexed {
                packages: HashMap::new(),
                note: Some(note),
            }
        }
    };
    Indexed {
        packages: index_graph(&graph, cache_dir),
        note: None,
    }
}

/// Whether `Cargo.lock` shows that no dependency of the selected packages, direct or not,
/// depends on `reqwest`: then nothing would be indexed, and the graph is not resolved at all
/// (so the other members' dev-only tools, which cargo may never have downloaded, cost no note
/// and no process). `false` when the lock file cannot be read or names a package it lacks.
fn nothing_to_index(root: &Path, selected: &[&Package]) -> bool {
    let Some(lock) = std::fs::read_to_string(root.join("Cargo.lock"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
    else {
        return false;
    };
    // Each package name's dependencies, over all its versions (a superset: safe here).
    let mut deps: HashMap<&str, HashSet<&str>> = HashMap::new();
    for package in lock
        .get("package")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = package.get("name").and_then(toml::Value::as_str) else {
            return false;
        };
        let entry = deps.entry(name).or_default();
        for dep in package
            .get("dependencies")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            // "name", "name version" or "name version (source)".
            match dep.as_str().and_then(|dep| dep.split(' ').next()) {
                Some(dep) => entry.insert(dep),
                None => return false,
            };
        }
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue: Vec<&str> = Vec::new();
    for package in selected {
        let Some(direct) = deps.get(package.name.as_str()) else {
            return false;
        };
        queue.extend(direct.iter().copied());
    }
    while let Some(name) = queue.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(own) = deps.get(name) else {
            return false;
        };
        if name != "reqwest" && own.contains("reqwest") {
            return false;
        }
        queue.extend(own.iter().copied());
    }
    true
}

/// The part of the resolved graph that the index needs.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Graph {
    /// The packages to index, each after its own indexed dependencies.
    packages: Vec<GraphPackage>,
    /// Each selected package's indexed direct dependencies: (package id, edges).
    selected: Vec<(String, Vec<Edge>)>,
}

/// A package to index.
#[derive(Debug, Serialize, Deserialize)]
struct GraphPackage {
    id: String,
    name: String,
    version: String,
    /// Its manifest (a path package's files are hashed from its directory).
    manifest_path: PathBuf,
    /// A path package (its sources may change).
    local: bool,
    /// Its library target: crate name and root file.
    library: Option<(String, PathBuf)>,
    /// Its indexed normal dependencies (earlier in [`Graph::packages`]).
    deps: Vec<Edge>,
}

/// A dependency edge to an indexed package.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Edge {
    /// The name the dependent's code uses (a renamed dependency's new name).
    name: String,
    /// Index into [`Graph::packages`].
    package: usize,
    /// A dev-dependency only.
    dev: bool,
}

/// The graph cache file.
#[derive(Serialize, Deserialize)]
struct GraphFile {
    format: u32,
    key: String,
    /// The path packages' manifests and their hashes: a change re-resolves.
    manifests: Vec<(PathBuf, u64)>,
    graph: Graph,
    /// `cargo metadata` could not resolve the graph offline: the note, and the state of
    /// cargo's downloads then ([`downloads`]); a `cargo fetch` changes it, and the next run
    /// tries again.
    failed: Option<(String, String)>,
}

/// The graph from the cache when `Cargo.lock` and the manifests are unchanged, else from
/// `cargo metadata` (then cached). `Err` is the note to print. Without a cache directory,
/// always from `cargo metadata`.
fn cached_graph(
    workspace: &Workspace<'_>,
    selected: &[&Package],
    cache_dir: Option<&Path>,
) -> Result<Graph, String> {
    let Some(cache_dir) = cache_dir else {
        return Ok(graph_of(&resolve(workspace)?, selected));
    };
    let lock = std::fs::read(workspace.root.join("Cargo.lock")).ok();
    let mut ids: Vec<&str> = selected.iter().map(|p| p.id.repr.as_str()).collect();
    ids.sort_unstable();
    let path = cache_dir.join(format!(
        "graph-{:016x}.json",
        fnv(ids.join("\n").as_bytes())
    ));
    let key = lock.as_ref().map(|lock| {
        let mut hash = Fnv::default();
        hash.write(format!("{FORMAT_VERSION}\n{}\n", env!("CARGO_PKG_VERSION")).as_bytes());
        hash.write(lock);
        for package in selected {
            hash.write(&std::fs::read(package.manifest_path.as_std_path()).unwrap_or_default());
        }
        format!("{:016x}", hash.0)
    });
    if let Some(key) = &key {
        let cached = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<GraphFile>(&bytes).ok())
            .filter(|file| {
                file.format == FORMAT_VERSION
                    && file.key == *key
                    && file
                        .manifests
                        .iter()
                        .all(|(manifest, hash)| file_hash(manifest) == *hash)
            });
        match cached {
            Some(GraphFile {
                failed: Some((note, downloaded)),
                ..
            }) if downloaded == downloads() => return Err(note),
            Some(GraphFile {
                failed: None,
                graph,
                ..
            }) => return Ok(graph),
            _ => {}
        }
    }
    let metadata = match resolve(workspace) {
        Ok(metadata) => metadata,
        Err(note) => {
            if let Some(key) = key {
                let file = GraphFile {
                    format: FORMAT_VERSION,
                    key,
                    manifests: Vec::new(),
                    graph: Graph::default(),
                    failed: Some((note.clone(), downloads())),
                };
                write_cache(cache_dir, &path, &file);
            }
            return Err(note);
        }
    };
    let graph = graph_of(&metadata, selected);
    if let Some(key) = key {
        let manifests = graph
            .packages
            .iter()
            .filter(|package| package.local)
            .map(|package| {
                (
                    package.manifest_path.clone(),
                    file_hash(&package.manifest_path),
                )
            })
            .collect();
        let file = GraphFile {
            format: FORMAT_VERSION,
            key,
            manifests,
            graph,
            failed: None,
        };
        write_cache(cache_dir, &path, &file);
        return Ok(file.graph);
    }
    Ok(graph)
}

/// The state of cargo's downloads: the modification times of the directories where
/// `cargo fetch` puts registry packages and git checkouts (`$CARGO_HOME`, by default
/// `~/.cargo`). A failed offline resolution is retried when it changes.
fn downloads() -> String {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default();
    let mut dirs = vec![home.join("git/db"), home.join("git/checkouts")];
    for parent in ["registry/cache", "registry/src", "registry/index"] {
        if let Ok(entries) = std::fs::read_dir(home.join(parent)) {
            dirs.extend(entries.flatten().map(|entry| entry.path()));
        }
    }
    dirs.sort();
    let mut hash = Fnv::default();
    for dir in dirs {
        let modified = std::fs::metadata(&dir)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hash.write(format!("{}\n{modified}\n", dir.display()).as_bytes());
    }
    format!("{:016x}", hash.0)
}

/// `cargo metadata` with the dependencies, offline and locked, for this machine's platform.
fn resolve(workspace: &Workspace<'_>) -> Result<Metadata, String> {
    let mut options = vec!["--offline".to_owned(), "--locked".to_owned()];
    // Only this machine's dependencies: cargo has downloaded those (it fetches no other
    // platform's packages to build), and `--offline` fails on a package it lacks.
    if let Some(host) = host_triple(workspace.cwd) {
        options.extend(["--filter-platform".to_owned(), host]);
    }
    let mut command = MetadataCommand::new();
    command.current_dir(workspace.cwd).other_options(options);
    if let Some(manifest) = workspace.manifest {
        command.manifest_path(manifest);
    }
    command.exec().map_err(|err| {
        format!(
            "note: run `cargo fetch` to let reqleak read your dependencies' signatures ({})",
            failure(&err)
        )
    })
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

/// What `selected` need from the resolved graph: their direct dependencies that use reqwest
/// (directly or through such a dependency), and the indexed dependencies of those, in order.
fn graph_of(metadata: &Metadata, selected: &[&Package]) -> Graph {
    let Some(resolve) = &metadata.resolve else {
        return Graph::default();
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
    let mut wanted: HashSet<&PackageId> = HashSet::new();
    let mut stack: Vec<&PackageId> = selected
        .iter()
        .filter_map(|package| nodes.get(&package.id))
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

    // Dependencies first.
    let mut graph = Graph::default();
    let mut placed: HashMap<&PackageId, usize> = HashMap::new();
    let mut pending: Vec<&PackageId> = wanted.iter().copied().collect();
    pending.sort();
    while !pending.is_empty() {
        let (ready, rest): (Vec<&PackageId>, Vec<&PackageId>) = pending.iter().partition(|id| {
            nodes.get(*id).is_none_or(|node| {
                normal_deps(node)
                    .all(|dep| !wanted.contains(&dep.pkg) || placed.contains_key(&dep.pkg))
            })
        });
        if ready.is_empty() {
            break; // a cycle through normal dependencies: cargo rejects those
        }
        for id in ready {
            let Some(package) = packages.get(id) else {
                continue;
            };
            let deps = nodes
                .get(id)
                .map(|node| {
                    normal_deps(node)
                        .filter_map(|dep| edge(dep, &placed, false))
                        .collect()
                })
                .unwrap_or_default();
            placed.insert(id, graph.packages.len());
            graph.packages.push(GraphPackage {
                id: id.repr.clone(),
                name: package.name.to_string(),
                version: package.version.to_string(),
                manifest_path: package.manifest_path.clone().into(),
                local: package.source.is_none(),
                library: library(package).map(|target| {
                    (
                        reqleak_analysis::source::crate_name(&target.name),
                        target.src_path.clone().into(),
                    )
                }),
                deps,
            });
        }
        pending = rest;
    }
    for package in selected {
        let Some(node) = nodes.get(&package.id) else {
            continue;
        };
        let edges: Vec<Edge> =
            node.deps
                .iter()
                .filter_map(|dep| {
                    let normal = dep.dep_kinds.is_empty()
                        || dep.dep_kinds.iter().any(|k| {
                            matches!(k.kind, DependencyKind::Normal | DependencyKind::Build)
                        });
                    edge(dep, &placed, !normal)
                })
                .collect();
        if !edges.is_empty() {
            graph.selected.push((package.id.repr.clone(), edges));
        }
    }
    graph
}

/// The edge to an indexed package.
fn edge(
    dep: &cargo_metadata::NodeDep,
    placed: &HashMap<&PackageId, usize>,
    dev: bool,
) -> Option<Edge> {
    Some(Edge {
        name: dep.name.clone(),
        package: *placed.get(&dep.pkg)?,
        dev,
    })
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

/// What one indexed package became: its cache key and its index (under its own crate name).
struct Done {
    key: String,
    index: ForeignCrate,
}

/// Indexes the graph's packages (each round of those whose dependencies are done, in
/// parallel) and hands each selected package its direct dependencies, renamed as its code
/// names them.
fn index_graph(graph: &Graph, cache_dir: Option<&Path>) -> HashMap<String, PackageDeps> {
    let mut done: Vec<Option<Done>> = graph.packages.iter().map(|_| None).collect();
    let mut pending: Vec<usize> = (0..graph.packages.len()).collect();
    while !pending.is_empty() {
        let (ready, rest): (Vec<usize>, Vec<usize>) = pending.iter().partition(|&&at| {
            graph.packages[at]
                .deps
                .iter()
                .all(|edge| done[edge.package].is_some())
        });
        if ready.is_empty() {
            break;
        }
        let jobs: Vec<Job<'_>> = ready
            .iter()
            .map(|&at| Job {
                package: &graph.packages[at],
                deps: graph.packages[at]
                    .deps
                    .iter()
                    .filter_map(|edge| {
                        let found = done[edge.package].as_ref()?;
                        Some((renamed(edge, found), found.key.clone()))
                    })
                    .collect(),
            })
            .collect();
        let results = run_jobs(&jobs, cache_dir);
        for (&at, result) in ready.iter().zip(results) {
            done[at] = Some(result);
        }
        pending = rest;
    }
    let mut out = HashMap::new();
    for (id, edges) in &graph.selected {
        let mut deps = PackageDeps::default();
        for edge in edges {
            let Some(found) = done.get(edge.package).and_then(Option::as_ref) else {
                continue;
            };
            let krate = renamed(edge, found);
            if edge.dev {
                deps.dev.push(krate);
            } else {
                deps.normal.push(krate);
            }
        }
        out.insert(id.clone(), deps);
    }
    out
}

/// An index under the name a dependent's code uses.
fn renamed(edge: &Edge, done: &Done) -> ForeignCrate {
    let mut krate = done.index.clone();
    if !edge.name.is_empty() {
        krate.name = edge.name.clone();
    }
    krate
}

/// One package to index, with its indexed dependencies (by the names its code uses) and
/// their cache keys.
struct Job<'a> {
    package: &'a GraphPackage,
    deps: Vec<(ForeignCrate, String)>,
}

/// Runs the jobs on the machine's cores, each on a thread with a deep stack.
fn run_jobs(jobs: &[Job<'_>], cache_dir: Option<&Path>) -> Vec<Done> {
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
                index: empty(job.package),
            })
        })
        .collect()
}

/// A package's index cache file.
#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    key: String,
    index: ForeignCrate,
}

/// The package's index, from the cache when its key matches (and there is a cache).
fn index_cached(job: &Job<'_>, cache_dir: Option<&Path>) -> Done {
    let key = cache_key(job);
    let package = job.package;
    let path = cache_dir.map(|dir| {
        dir.join(format!(
            "{}-{}-{:016x}.json",
            package.name,
            package.version,
            fnv(package.id.as_bytes())
        ))
    });
    if let Some(cached) = path
        .as_ref()
        .and_then(|path| std::fs::read(path).ok())
        .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
        .filter(|cached| cached.format == FORMAT_VERSION && cached.key == key)
    {
        return Done {
            key,
            index: cached.index,
        };
    }
    let index = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| index_package(job)));
    let Ok(Some(index)) = index else {
        // Its sources are gone, or the indexer has a bug: this package says nothing, and
        // nothing is cached.
        return Done {
            key,
            index: empty(package),
        };
    };
    let file = CacheFile {
        format: FORMAT_VERSION,
        key: key.clone(),
        index,
    };
    if let (Some(dir), Some(path)) = (cache_dir, &path) {
        write_cache(dir, path, &file);
    }
    Done {
        key,
        index: file.index,
    }
}

/// Writes a cache file atomically; a failure only costs the next run the work again.
fn write_cache(dir: &Path, path: &Path, file: &impl Serialize) {
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

/// Parses the package's library module tree (each file once) and indexes it; `None` when its
/// root file cannot be read.
fn index_package(job: &Job<'_>) -> Option<ForeignCrate> {
    let Some((name, root)) = &job.package.library else {
        return Some(empty(job.package));
    };
    let parsed = parsed_module_files(root, &[], &mut HashSet::new());
    if parsed.first().is_none_or(|(root, _)| root.text.is_err()) {
        return None;
    }
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
    let deps: Vec<ForeignCrate> = job.deps.iter().map(|(krate, _)| krate.clone()).collect();
    Some(dep_index::index_crate(name, files, &deps))
}

/// An empty index, under the package's crate name.
fn empty(package: &GraphPackage) -> ForeignCrate {
    ForeignCrate {
        name: package
            .library
            .as_ref()
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| reqleak_analysis::source::crate_name(&package.name)),
        ..ForeignCrate::default()
    }
}

/// The cache key: format, reqleak's version, the package id, its files' hash when it is a
/// path package (registry and git sources never change), and its dependencies' keys.
fn cache_key(job: &Job<'_>) -> String {
    let package = job.package;
    let mut text = format!(
        "{FORMAT_VERSION}\n{}\n{}\n",
        env!("CARGO_PKG_VERSION"),
        package.id
    );
    if package.local {
        if let Some(dir) = package.manifest_path.parent() {
            text.push_str(&format!("{:016x}\n", tree_hash(dir)));
        }
    }
    let mut deps: Vec<String> = job
        .deps
        .iter()
        .map(|(krate, key)| format!("{}={key}", krate.name))
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

/// The hash of a file's contents (of nothing when it cannot be read).
fn file_hash(path: &Path) -> u64 {
    fnv(&std::fs::read(path).unwrap_or_default())
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

//! The cache that makes warm runs cheap, under `<target-dir>/reqleak/cache/`:
//!
//! - `<unit>.results`: one unit's (package's) findings, before suppressions and levels, keyed
//!   by every file's key (the analyzer's `incremental::FileKey`: place, text, analysis options,
//!   reqleak's version). An unchanged unit is answered from here without parsing anything.
//! - `<unit>.state`: the analysis state the next run starts from when some file changed (see
//!   `reqleak_analysis::incremental`): only the changed files and the functions whose inputs
//!   changed are analyzed again.
//! - `modules.bin`: each file's `mod` declarations, by the hash of its text, so that finding
//!   the module trees parses no unchanged file (entries unused for a week are dropped).
//! - `metadata-<id>.json`: `cargo metadata --no-deps`, keyed by `Cargo.lock`, the workspace's
//!   manifests, the cargo configuration files and the environment variables that change it.
//!
//! The dependency index keeps its own files in `<target-dir>/reqleak/deps/` (`deps.rs`).
//!
//! Every file starts with a header (a magic string, [`FORMAT`], reqleak's version) and a
//! checksum of what follows; a file that is missing, from another version, truncated or
//! corrupt is ignored, and rewritten by the run. Files are written atomically (a temporary
//! file renamed over the old one), so that concurrent runs never read half a file. Nothing
//! here is ever an error: at worst the run costs what a cold one does. `--no-cache` neither
//! reads nor writes any of it.
//!
//! In path mode the target directory is that of the Cargo project around the working
//! directory (`CARGO_TARGET_DIR`, else `target/` beside the nearest `Cargo.lock`, else
//! beside the nearest `Cargo.toml`); outside any Cargo project nothing is cached.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::discovery::modtree::{self, ModDecl};
use reqleak_analysis::incremental::{self as driver, State};
use reqleak_analysis::FileResult;
use reqleak_analysis::{CrateFile, Options};

/// The version of the cache files' layout and meaning, beside reqleak's own version.
pub const FORMAT: u32 = 12;

const MAGIC: &[u8; 8] = b"RQLKCACH";

/// How long a module-declaration entry unused by any run is kept.
const MODULES_KEPT_SECS: u64 = 7 * 24 * 3600;

/// A stable 128-bit hash (xxh3) of parts, each written with its length: cache keys on disk.
struct Fingerprint(xxhash_rust::xxh3::Xxh3);

impl Fingerprint {
    /// A hash for one kind of key.
    fn new(domain: &str) -> Self {
        let mut hash = Fingerprint(xxhash_rust::xxh3::Xxh3::new());
        hash.str(domain);
        hash
    }

    /// Adds bytes.
    fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a string.
    fn str(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    /// Adds a number.
    fn u128(&mut self, value: u128) -> &mut Self {
        self.0.update(&value.to_le_bytes());
        self
    }

    /// The hash.
    fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

/// Where the cache lives, if anywhere.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    /// The target directory (created, with cargo's `CACHEDIR.TAG`, if missing).
    target: Option<PathBuf>,
}

impl Cache {
    /// No cache: nothing read, nothing written (`--no-cache`).
    pub fn disabled() -> Self {
        Cache { target: None }
    }

    /// The cache of a target directory.
    pub fn in_target(target: &Path) -> Self {
        Cache {
            target: Some(target.to_path_buf()),
        }
    }

    /// Path mode's cache: in the target directory of the Cargo project around `cwd`, if
    /// there is one.
    pub fn for_path_mode(cwd: &Path) -> Self {
        Cache {
            target: path_mode_target(cwd),
        }
    }

    /// The directory of the cache files, if caching.
    pub fn dir(&self) -> Option<PathBuf> {
        self.target
            .as_ref()
            .map(|target| target.join("reqleak").join("cache"))
    }

    /// Writes `value` to `name` in the cache directory (atomically); a failure only costs
    /// the next run the work again.
    fn store<T: Serialize>(&self, name: &str, value: &T) {
        let (Some(target), Some(dir)) = (&self.target, self.dir()) else {
            return;
        };
        let Ok(payload) = postcard::to_stdvec(value) else {
            return;
        };
        if !target.exists() {
            if std::fs::create_dir_all(target).is_err() {
                return;
            }
            // As cargo marks the directories it creates: backup tools skip it, and path
            // mode's walk knows it for a build directory.
            let _ = std::fs::write(
                target.join("CACHEDIR.TAG"),
                "Signature: 8a477f597d28d172789f06886806bc55\n\
                 # This file is a cache directory tag created by reqleak.\n\
                 # For information about cache directory tags see https://bford.info/cachedir/\n",
            );
        }
        write_atomically(&dir, &dir.join(name), &framed(&payload));
    }

    /// Reads `name` from the cache directory: `None` when missing, stale or corrupt.
    fn load<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let bytes = std::fs::read(self.dir()?.join(name)).ok()?;
        postcard::from_bytes(unframed(&bytes)?).ok()
    }

    /// Removes `name` from the cache directory.
    fn remove(&self, name: &str) {
        if let Some(dir) = self.dir() {
            let _ = std::fs::remove_file(dir.join(name));
        }
    }
}

/// The header of every cache file: magic, format, reqleak's version.
fn header() -> Vec<u8> {
    let mut header = MAGIC.to_vec();
    header.extend(FORMAT.to_le_bytes());
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    header.push(version.len() as u8);
    header.extend(version);
    header
}

/// Header, checksum, payload.
fn framed(payload: &[u8]) -> Vec<u8> {
    let mut bytes = header();
    bytes.extend(xxhash_rust::xxh3::xxh3_128(payload).to_le_bytes());
    bytes.extend(payload);
    bytes
}

/// The payload of a cache file whose header is this version's and whose checksum holds.
fn unframed(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(header().as_slice())?;
    let (checksum, payload) = rest.split_at_checked(16)?;
    let checksum = u128::from_le_bytes(checksum.try_into().ok()?);
    (xxhash_rust::xxh3::xxh3_128(payload) == checksum).then_some(payload)
}

/// Writes a file atomically, creating its directory; failures are ignored.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) {
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(mut temp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    if std::io::Write::write_all(&mut temp, bytes).is_ok() {
        let _ = temp.persist(path);
    }
}

/// A unit's findings, keyed by all its inputs.
#[derive(Serialize, Deserialize)]
struct UnitResults {
    key: u128,
    results: Vec<FileResult>,
}

/// Analyzes one unit's files, from the cache when it can: the unit's findings as they were
/// when no input changed, else an incremental analysis from the previous state. `identity`
/// names the unit across runs (its package and targets); the results are the analyzer's.
pub(crate) fn analyze_unit(
    cache: &Cache,
    identity: &str,
    files: &[CrateFile<'_>],
    options: &Options,
) -> Vec<FileResult> {
    if cache.dir().is_none() {
        return reqleak_analysis::analyze_crate(files, options);
    }
    let keys = driver::file_keys(files, options);
    let unit = format!(
        "{:032x}",
        Fingerprint::new("reqleak-unit").str(identity).finish()
    );
    let results_name = format!("{unit}.results");
    let state_name = format!("{unit}.state");
    let mut key = Fingerprint::new("reqleak-unit-key");
    for file in &keys {
        key.u128(file.content);
    }
    let key = key.finish();
    if let Some(cached) = cache
        .load::<UnitResults>(&results_name)
        .filter(|cached| cached.key == key && cached.results.len() == files.len())
    {
        return cached.results;
    }
    let previous: Option<State> = cache.load(&state_name);
    let (results, state) =
        driver::analyze_crate_incremental(files, options, &keys, previous.as_ref());
    drop(previous);
    match state {
        Some(state) => {
            cache.store(&state_name, &state);
            cache.store(
                &results_name,
                &UnitResults {
                    key,
                    results: results.clone(),
                },
            );
        }
        None => {
            // Something failed inside the analyzer: keep nothing of this run.
            cache.remove(&state_name);
            cache.remove(&results_name);
        }
    }
    results
}

/// Each file's `mod` declarations by the hash of its text, loaded at the start of workspace
/// discovery and saved at its end.
#[derive(Debug, Default)]
pub struct ModuleCache {
    cache: Cache,
    entries: Mutex<ModuleEntries>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ModuleEntries {
    /// Text hash → (declarations, last run that used it, in seconds since the epoch).
    by_text: HashMap<u128, (Vec<ModDecl>, u64)>,
    /// Something to write back.
    #[serde(skip)]
    dirty: bool,
}

const MODULES_FILE: &str = "modules.bin";

impl ModuleCache {
    /// The cache of `cache` (empty when disabled, or nothing was saved).
    pub fn load(cache: &Cache) -> Self {
        let entries = cache.load(MODULES_FILE).unwrap_or_default();
        ModuleCache {
            cache: cache.clone(),
            entries: Mutex::new(entries),
        }
    }

    /// The `mod` declarations of a file's text.
    pub(crate) fn declarations(&self, text: &str) -> Vec<ModDecl> {
        if self.cache.dir().is_none() {
            return modtree::declarations(text);
        }
        let hash = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
        let now = now();
        if let Ok(mut entries) = self.entries.lock() {
            if let Some((decls, used)) = entries.by_text.get_mut(&hash) {
                let decls = decls.clone();
                // Refreshed at most daily, so that warm runs do not rewrite the file.
                if now.saturating_sub(*used) > 24 * 3600 {
                    *used = now;
                    entries.dirty = true;
                }
                return decls;
            }
        }
        let decls = modtree::declarations(text);
        if let Ok(mut entries) = self.entries.lock() {
            entries.by_text.insert(hash, (decls.clone(), now));
            entries.dirty = true;
        }
        decls
    }

    /// Writes the entries back if something changed, leaving out those unused for a week.
    pub fn save(&self) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        let now = now();
        let before = entries.by_text.len();
        entries
            .by_text
            .retain(|_, (_, used)| now.saturating_sub(*used) <= MODULES_KEPT_SECS);
        if entries.dirty || entries.by_text.len() != before {
            self.cache.store(MODULES_FILE, &*entries);
            entries.dirty = false;
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The target directory of the Cargo project around `cwd`: `CARGO_TARGET_DIR` (or
/// `CARGO_BUILD_TARGET_DIR`), else `target/` beside the nearest `Cargo.lock` above `cwd`, else
/// beside the nearest `Cargo.toml`.
fn path_mode_target(cwd: &Path) -> Option<PathBuf> {
    if let Some(dir) = target_dir_from_env() {
        return Some(cwd.join(dir));
    }
    let near = |name: &str| cwd.ancestors().find(|dir| dir.join(name).is_file());
    near("Cargo.lock")
        .or_else(|| near("Cargo.toml"))
        .map(|dir| dir.join("target"))
}

fn target_dir_from_env() -> Option<PathBuf> {
    ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
        .iter()
        .find_map(|name| std::env::var_os(name).filter(|v| !v.is_empty()))
        .map(PathBuf::from)
}

/// `cargo metadata --no-deps` for `cwd` (and `--manifest-path`), from the cache when nothing
/// that changes its answer changed: `Cargo.lock`, the manifests of the workspace's root and
/// members, the glob members' directories, the `.cargo/config.toml` files that apply, and
/// the environment variables cargo reads for it. The cache sits in the target directory that
/// the answer names, found before running cargo from `CARGO_TARGET_DIR` or the nearest
/// `Cargo.lock`; when the answer names another one (`build.target-dir` in a configuration
/// file), nothing is cached.
pub fn metadata(
    cwd: &Path,
    manifest: Option<&Path>,
    caching: bool,
) -> Result<cargo_metadata::Metadata, cargo_metadata::Error> {
    let place = caching.then(|| metadata_place(cwd, manifest)).flatten();
    if let Some((cache, name)) = &place {
        let cached: Option<MetadataFile> = cache.load(name);
        if let Some(file) = cached.filter(MetadataFile::fresh) {
            if let Ok(metadata) = cargo_metadata::MetadataCommand::parse(&file.json) {
                return Ok(metadata);
            }
        }
    }
    let json = run_metadata(cwd, manifest)?;
    let metadata = cargo_metadata::MetadataCommand::parse(&json)?;
    if let Some((cache, name)) = place {
        let same_target = cache.target.as_ref().is_some_and(|guess| {
            canonical(guess) == canonical(metadata.target_directory.as_std_path())
        });
        if same_target {
            let watched = watched_files(cwd, manifest, &metadata);
            let file = MetadataFile { watched, json };
            cache.store(&name, &file);
        }
    }
    Ok(metadata)
}

/// `cargo metadata --format-version 1 --no-deps`, as `MetadataCommand::exec` runs it, with
/// its JSON line kept.
fn run_metadata(cwd: &Path, manifest: Option<&Path>) -> Result<String, cargo_metadata::Error> {
    let mut command = cargo_metadata::MetadataCommand::new();
    command.no_deps().current_dir(cwd);
    if let Some(manifest) = manifest {
        command.manifest_path(manifest);
    }
    let output = command.cargo_command().output()?;
    if !output.status.success() {
        return Err(cargo_metadata::Error::CargoMetadata {
            stderr: String::from_utf8(output.stderr)?,
        });
    }
    std::str::from_utf8(&output.stdout)?
        .lines()
        .find(|line| line.starts_with('{'))
        .map(str::to_owned)
        .ok_or(cargo_metadata::Error::NoJson)
}

/// The cache and file name for `cargo metadata`'s answer, if there is a place for it.
fn metadata_place(cwd: &Path, manifest: Option<&Path>) -> Option<(Cache, String)> {
    let start = manifest
        .and_then(Path::parent)
        .map(|dir| cwd.join(dir))
        .unwrap_or_else(|| cwd.to_path_buf());
    let target = match target_dir_from_env() {
        Some(dir) => cwd.join(dir),
        None => start
            .ancestors()
            .find(|dir| dir.join("Cargo.lock").is_file())?
            .join("target"),
    };
    let mut id = Fingerprint::new("reqleak-metadata");
    id.str(&canonical(cwd).to_string_lossy()).str(
        &manifest
            .map(|m| canonical(&cwd.join(m)).to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    for name in [
        "CARGO",
        "CARGO_HOME",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET_DIR",
        "CARGO_BUILD_BUILD_DIR",
        "RUSTUP_TOOLCHAIN",
    ] {
        id.str(&std::env::var(name).unwrap_or_default());
    }
    let name = format!("metadata-{:032x}.json", id.finish());
    Some((Cache::in_target(&target), name))
}

/// A cached `cargo metadata` answer and what it depends on.
#[derive(Serialize, Deserialize)]
struct MetadataFile {
    /// Files (their contents' hash, `None` when absent) and directories (their entries'
    /// names' hash) whose change changes the answer.
    watched: Vec<(PathBuf, Watched)>,
    /// The answer, as cargo printed it.
    json: String,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Watched {
    File(Option<u128>),
    Dir(u128),
}

impl MetadataFile {
    fn fresh(&self) -> bool {
        self.watched.iter().all(|(path, then)| match then {
            Watched::File(_) => Watched::File(file_hash(path)) == *then,
            Watched::Dir(_) => Watched::Dir(dir_hash(path)) == *then,
        })
    }
}

fn file_hash(path: &Path) -> Option<u128> {
    std::fs::read(path)
        .ok()
        .map(|bytes| xxhash_rust::xxh3::xxh3_128(&bytes))
}

/// The hash of a directory's entries' names (and whether each holds a `Cargo.toml`): a
/// member added under a glob (`members = ["crates/*"]`) changes it.
fn dir_hash(dir: &Path) -> u128 {
    let mut names: Vec<(String, bool)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    (name, entry.path().join("Cargo.toml").is_file())
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut hash = Fingerprint::new("reqleak-dir");
    for (name, manifest) in names {
        hash.str(&name).u128(u128::from(manifest));
    }
    hash.finish()
}

/// What `cargo metadata --no-deps` read to give `metadata`.
fn watched_files(
    cwd: &Path,
    manifest: Option<&Path>,
    metadata: &cargo_metadata::Metadata,
) -> Vec<(PathBuf, Watched)> {
    let root = metadata.workspace_root.as_std_path();
    let mut files: Vec<PathBuf> = vec![root.join("Cargo.lock"), root.join("Cargo.toml")];
    files.extend(
        metadata
            .packages
            .iter()
            .map(|package| package.manifest_path.clone().into_std_path_buf()),
    );
    match manifest {
        Some(manifest) => files.push(cwd.join(manifest)),
        // cargo looks for the nearest manifest, and for a workspace above it: one created
        // on the way changes the answer.
        None => files.extend(
            cwd.ancestors()
                .chain(root.ancestors())
                .map(|dir| dir.join("Cargo.toml")),
        ),
    }
    // Cargo's configuration files: in every directory from where it runs up, and in
    // CARGO_HOME.
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    for dir in cwd.ancestors().chain(root.ancestors()) {
        files.push(dir.join(".cargo").join("config.toml"));
        files.push(dir.join(".cargo").join("config"));
    }
    if let Some(home) = cargo_home {
        files.push(home.join("config.toml"));
        files.push(home.join("config"));
    }
    files.sort();
    files.dedup();
    let mut watched: Vec<(PathBuf, Watched)> = files
        .into_iter()
        .map(|path| {
            let hash = file_hash(&path);
            (path, Watched::File(hash))
        })
        .collect();
    for dir in glob_member_dirs(root) {
        let hash = dir_hash(&dir);
        watched.push((dir, Watched::Dir(hash)));
    }
    watched
}

/// The directories that the workspace's glob members and excludes list.
fn glob_member_dirs(root: &Path) -> Vec<PathBuf> {
    let Some(table) = std::fs::read_to_string(root.join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
    else {
        return Vec::new();
    };
    let Some(workspace) = table.get("workspace").and_then(|w| w.as_table()) else {
        return Vec::new();
    };
    let mut dirs = Vec::new();
    for key in ["members", "exclude", "default-members"] {
        let patterns = workspace.get(key).and_then(|v| v.as_array());
        for pattern in patterns.into_iter().flatten().filter_map(|v| v.as_str()) {
            if !pattern.contains(['*', '?', '[']) {
                continue;
            }
            // Every directory from the pattern's first glob component down could gain a
            // member: watch the deepest fixed one, and each of its subdirectories for
            // patterns like `crates/*/*`.
            let fixed: PathBuf = Path::new(pattern)
                .components()
                .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
                .collect();
            let base = root.join(fixed);
            let depth = Path::new(pattern).components().count()
                - Path::new(pattern)
                    .components()
                    .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
                    .count();
            let mut level = vec![base];
            for _ in 0..depth {
                let mut next = Vec::new();
                for dir in &level {
                    dirs.push(dir.clone());
                    if let Ok(entries) = std::fs::read_dir(dir) {
                        next.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
                    }
                }
                level = next;
            }
        }
    }
    dirs.sort();
    dirs.dedup();
    dirs
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_holds_only_this_version_with_a_good_checksum() {
        let framed = framed(b"payload");
        assert_eq!(unframed(&framed), Some(&b"payload"[..]));
        let mut flipped = framed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(
            unframed(&flipped),
            None,
            "a changed byte fails the checksum"
        );
        assert_eq!(unframed(&framed[..framed.len() - 1]), None, "truncated");
        let mut other = framed.clone();
        other[MAGIC.len()] ^= 1;
        assert_eq!(unframed(&other), None, "another format");
        assert_eq!(unframed(b""), None);
    }
}

//! Warm runs.
//!
//! [`analyze_crate_incremental`] starts from the [`State`] a previous run left: each file's
//! outline, and each function's summary, facts, findings and the summaries it read
//! ([`flow::Summaries`] records them). A file whose key (place, text, options) is unchanged is
//! not parsed to build the crate map. When the crate's interface (every file's place and
//! outline, spans left out, and the options) is the previous run's, the function ids are too,
//! and only what can differ is analyzed again:
//! - the functions of the changed files are analyzed once with the previous summaries, to
//!   learn what they read now;
//! - the functions are grouped into strongly connected components of the "reads the summary
//!   of" graph, in levels (a component reads only components of lower levels);
//! - level by level, a component is analyzed again, from its declared summaries up to a
//!   fixpoint, when it holds a changed function or reads a summary that changed; the others
//!   keep their cached results, which were computed from the same inputs. A component that
//!   now reads one of the same or a higher level (a new call) restarts the pass with the new
//!   edge;
//! - a file's own lints run again when it changed or a summary they read changed.
//!
//! Only the files that hold a function to analyze again are parsed. When the interface
//! changed (a function added, a signature or a `use` edited), every function is analyzed, as
//! in a cold run, though unchanged files' outlines still come from the state.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::rounds::Analysis;
use super::workers::Crew;
use super::{analyze, CrateFile, FileResult, Options};
use crate::diagnostic::{Diagnostic, ParseError, Position, Span};
use crate::flow::{given_of, FnFacts, Summary};
use crate::model::crate_map::{FileOutline, FnId};
use crate::model::lazy;

/// A warm run whose new calls keep reordering the components gives up after this many
/// restarts and analyzes everything.
pub(super) const MAX_RESTARTS: usize = 4;

/// The version of what [`State`] means: bump it whenever the analysis reads or records
/// differently in a way the crate's version does not tell (the cache is keyed by both).
pub(crate) const STATE_FORMAT: u32 = 4;

/// [`analyze_crate`](crate::analyze_crate) from a previous run's [`State`], with
/// each file's [`FileKey`] from [`file_keys`]. Returns the results, identical to a cold
/// run's, and the state to keep for the next run (`None` when something failed inside the
/// analyzer: nothing of it should be trusted).
pub fn analyze_crate_incremental(
    files: &[CrateFile<'_>],
    options: &Options,
    keys: &[FileKey],
    previous: Option<&State>,
) -> (Vec<FileResult>, Option<State>) {
    analyze(files, options, Some(Warm { keys, previous }))
}

/// A stable 128-bit hash (xxh3) of parts, each written with its length: cache keys on disk.
pub(crate) struct Fingerprint(xxhash_rust::xxh3::Xxh3);

impl Fingerprint {
    /// A hash for one kind of key.
    pub(crate) fn new(domain: &str) -> Self {
        let mut hash = Fingerprint(xxhash_rust::xxh3::Xxh3::new());
        hash.str(domain);
        hash
    }

    /// Adds bytes.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a string.
    pub(crate) fn str(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    /// Adds a number.
    pub(crate) fn u128(&mut self, value: u128) -> &mut Self {
        self.0.update(&value.to_le_bytes());
        self
    }

    /// The hash.
    pub(crate) fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

/// What identifies one input file for the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileKey {
    /// Where it is: its display path and its place in the package.
    pub ident: u128,
    /// That, the analysis options and the file's text.
    pub content: u128,
}

/// The key of the analysis options and of the analyzer itself.
pub(crate) fn options_key(options: &Options) -> u128 {
    let mut hash = Fingerprint::new("reqleak-options");
    hash.str(env!("CARGO_PKG_VERSION"))
        .u128(u128::from(STATE_FORMAT))
        .u128(u128::from(options.test_code))
        .u128(u128::from(options.eager_bodies))
        .bytes(&postcard::to_stdvec(&options.dependencies).unwrap_or_default());
    hash.finish()
}

/// Each file's [`FileKey`].
pub fn file_keys(files: &[CrateFile<'_>], options: &Options) -> Vec<FileKey> {
    let options = options_key(options);
    files
        .iter()
        .map(|file| {
            let mut ident = Fingerprint::new("reqleak-file");
            ident.str(file.display.unwrap_or(""));
            match &file.place {
                Some(place) => {
                    ident
                        .str(&place.target)
                        .str(&format!("{:?}", place.kind))
                        .u128(place.module.len() as u128);
                    for part in &place.module {
                        ident.str(part);
                    }
                }
                None => {
                    ident.str("");
                }
            }
            let ident = ident.finish();
            let content = Fingerprint::new("reqleak-content")
                .u128(ident)
                .u128(options)
                .str(file.text)
                .finish();
            FileKey { ident, content }
        })
        .collect()
}

/// What a run leaves for the next one: each file's key and outline, and each function's
/// summary, facts, findings and the summaries it read. Plain data: serialize it to keep it.
#[derive(Debug, Serialize, Deserialize)]
pub struct State {
    /// The crate's interface, under which the function ids and results below hold.
    pub(super) interface: u128,
    /// Each file, in input order.
    pub(super) files: Vec<FileState>,
    /// What the run that produced it did (not kept on disk; the tests read it).
    #[serde(skip)]
    #[cfg_attr(not(test), expect(dead_code, reason = "the tests read it"))]
    pub(crate) stats: Stats,
}

/// What a run did: how much a warm run saved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Files parsed.
    pub parsed: usize,
    /// Function analyses (a function analyzed in several rounds counts each time).
    pub analyses: usize,
    /// Those of them answered without parsing the function's body (see [`lazy`]).
    pub unparsed: usize,
    /// Whether the previous state's interface held (only changed parts analyzed).
    pub incremental: bool,
}

/// One file's part of a [`State`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct FileState {
    pub(super) key: FileKey,
    /// The outline's hash, spans left out (its part of the interface); 0 when it has none.
    pub(super) outline_hash: u128,
    /// The outline, or why the file was not analyzed.
    pub(super) outline: Result<FileOutline, ParseError>,
    /// Its functions, in file order.
    pub(super) fns: Vec<FnState>,
    /// The findings of the per-file lints.
    pub(super) lints: Vec<Diagnostic>,
    /// The summaries those lints read.
    pub(super) lint_reads: Vec<FnId>,
}

/// One function's part of a [`State`].
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(super) struct FnState {
    pub(super) summary: Summary,
    pub(super) facts: FnFacts,
    /// The findings of the per-function lints.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The summaries its analyses read, in the run that produced it.
    pub(super) reads: Vec<FnId>,
    /// Answered without parsing its body: what it read only matters as "all empty".
    pub(super) unparsed: bool,
}

/// The cache's side of a warm run.
pub(super) struct Warm<'k, 's> {
    pub(super) keys: &'k [FileKey],
    pub(super) previous: Option<&'s State>,
}

/// The warm run's analysis under an unchanged interface (see the module's documentation).
/// Returns which functions' summaries differ from the previous run's, or `None` to give up.
pub(super) fn incremental(
    analysis: &mut Analysis,
    crew: &mut Crew<'_>,
    previous: &State,
    dirty_files: &[usize],
) -> Option<Vec<bool>> {
    let fn_count = analysis.summaries.len();
    let mut old: Vec<Summary> = Vec::with_capacity(fn_count);
    for (index, file) in previous.files.iter().enumerate() {
        let range = analysis.crate_map.file_fns[index].clone();
        for (local, state) in file.fns.iter().enumerate() {
            if range.start + local != old.len() {
                return None;
            }
            old.push(state.summary.clone());
            analysis.facts[range.start + local] = state.facts.clone();
            analysis.reads[range.start + local] = state.reads.clone();
            analysis.unparsed[range.start + local] = state.unparsed;
        }
    }
    if old.len() != fn_count {
        return None;
    }
    analysis.summaries = old.clone();
    // What callers pass, as the previous run ended with it: kept through this run, and
    // checked at its end.
    analysis.given = given_of(&analysis.crate_map, &analysis.facts);
    let given = analysis.given.clone();

    // The changed files' functions, once with the previous summaries: what they read now.
    // When one turns out to be a component of its own that read only summaries that did not
    // change, this analysis is the one from its declared summary, and is kept.
    let seeds: HashSet<FnId> = dirty_files
        .iter()
        .flat_map(|&index| analysis.crate_map.file_fns[index].clone())
        .collect();
    let mut first: HashMap<FnId, Summary> = HashMap::new();
    if !seeds.is_empty() {
        let context = analysis.context();
        for mut result in crew.round(&context, Some(&Arc::new(seeds.clone()))) {
            first.insert(result.id, std::mem::take(&mut result.summary));
            analysis.record(&mut result);
        }
    }

    let mut restarts = 0;
    'pass: loop {
        analysis.summaries = old.clone();
        // Functions analyzed in an abandoned pass hold facts from stale inputs: they are
        // analyzed again too.
        let seeds: HashSet<FnId> = seeds
            .iter()
            .copied()
            .chain((0..fn_count).filter(|&id| analysis.analyzed[id]))
            .collect();
        // An answer given without the body changes only when a summary it read is no longer
        // empty: those reads do not join components (names like `parse` would make giant
        // ones); they are checked after the pass.
        let graph: Vec<Vec<FnId>> = (0..fn_count)
            .map(|id| analysis.component_reads(id).to_vec())
            .collect();
        let components = Components::of(&graph);
        let mut changed = vec![false; fn_count];
        for level in components.levels() {
            let mut region: HashSet<FnId> = HashSet::new();
            let read_changed = |id: FnId| {
                analysis.reads[id]
                    .iter()
                    .any(|&read| changed.get(read) == Some(&true))
            };
            let mut kept = Vec::new();
            for &component in &level {
                let members = &components.members[component];
                if !members
                    .iter()
                    .any(|&id| seeds.contains(&id) || read_changed(id))
                {
                    continue;
                }
                match (
                    members.as_slice(),
                    members.first().and_then(|id| first.get(id)),
                ) {
                    ([id], Some(found))
                        if !analysis.reads[*id].contains(id) && !read_changed(*id) =>
                    {
                        kept.push((*id, found));
                    }
                    _ => region.extend(members.iter().copied()),
                }
            }
            for (id, found) in kept {
                let mut summary = analysis.declared(id);
                summary.grow(found);
                changed[id] = summary != old[id];
                analysis.summaries[id] = summary;
            }
            if region.is_empty() {
                continue;
            }
            for &id in &region {
                analysis.summaries[id] = analysis.declared(id);
            }
            analysis.rounds(crew, Some(&region));
            for &id in &region {
                changed[id] = analysis.summaries[id] != old[id];
            }
            // A new read of a component not yet final: the order was wrong.
            let forward = region.iter().any(|&id| {
                let own = components.of[id];
                analysis.component_reads(id).iter().any(|&read| {
                    components.of.get(read).is_some_and(|&other| {
                        other != own && components.level[other] >= components.level[own]
                    })
                })
            });
            if forward {
                restarts += 1;
                if restarts > MAX_RESTARTS {
                    return None;
                }
                first.clear();
                continue 'pass;
            }
        }
        // The answers given without a body that read a summary no longer empty: analyzed
        // again (their bodies are parsed now), then the pass again with their new reads.
        let stale: HashSet<FnId> = (0..fn_count)
            .filter(|&id| {
                analysis.unparsed[id]
                    && analysis.reads[id]
                        .iter()
                        .any(|&read| !lazy::is_empty(&analysis.summaries[read]))
            })
            .collect();
        if !stale.is_empty() {
            restarts += 1;
            if restarts > MAX_RESTARTS {
                return None;
            }
            analysis.rounds(crew, Some(&stale));
            first.clear();
            continue 'pass;
        }
        // A caller that now passes something else changes what its callees were analyzed
        // with: start again, as a cold run.
        if given_of(&analysis.crate_map, &analysis.facts) != given {
            return None;
        }
        return Some(changed);
    }
}

/// The strongly connected components of the "reads the summary of" graph, each with its
/// level: 0 when it reads no other component, else one more than the highest it reads.
pub(super) struct Components {
    /// Each component's functions.
    pub(super) members: Vec<Vec<FnId>>,
    /// Each function's component.
    pub(super) of: Vec<usize>,
    /// Each component's level.
    pub(super) level: Vec<usize>,
}

impl Components {
    /// Tarjan's algorithm, without recursion; components come out callees first.
    pub(super) fn of(reads: &[Vec<FnId>]) -> Self {
        let count = reads.len();
        const UNSEEN: usize = usize::MAX;
        let mut index = vec![UNSEEN; count];
        let mut low = vec![0; count];
        let mut on_stack = vec![false; count];
        let mut stack: Vec<FnId> = Vec::new();
        let mut of = vec![UNSEEN; count];
        let mut members: Vec<Vec<FnId>> = Vec::new();
        let mut next = 0;
        let edges = |id: FnId| reads[id].iter().copied().filter(|&to| to < count);
        for root in 0..count {
            if index[root] != UNSEEN {
                continue;
            }
            // (node, position in its edge list)
            let mut work: Vec<(FnId, usize)> = vec![(root, 0)];
            index[root] = next;
            low[root] = next;
            next += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (node, ref mut position)) = work.last_mut() {
                if let Some(&to) = reads[node].get(*position) {
                    *position += 1;
                    if to >= count {
                        continue;
                    }
                    if index[to] == UNSEEN {
                        index[to] = next;
                        low[to] = next;
                        next += 1;
                        stack.push(to);
                        on_stack[to] = true;
                        work.push((to, 0));
                    } else if on_stack[to] {
                        low[node] = low[node].min(index[to]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == index[node] {
                    let component = members.len();
                    let mut found = Vec::new();
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        of[member] = component;
                        found.push(member);
                        if member == node {
                            break;
                        }
                    }
                    members.push(found);
                }
            }
        }
        let mut level = vec![0; members.len()];
        for component in 0..members.len() {
            let mut highest = None;
            for &id in &members[component] {
                for to in edges(id) {
                    let other = of[to];
                    if other != component {
                        highest = highest.max(Some(level[other]));
                    }
                }
            }
            level[component] = highest.map_or(0, |h| h + 1);
        }
        Components { members, of, level }
    }

    /// The components by level, lowest first.
    pub(super) fn levels(&self) -> Vec<Vec<usize>> {
        let top = self.level.iter().copied().max().map_or(0, |l| l + 1);
        let mut levels = vec![Vec::new(); top];
        for (component, &level) in self.level.iter().enumerate() {
            levels[level].push(component);
        }
        levels
    }
}

/// The hash of an outline without its spans: its part of the crate's interface.
pub(super) fn outline_hash(outline: &FileOutline) -> u128 {
    let mut plain = outline.clone();
    for function in &mut plain.fns {
        let nowhere = Position {
            line: 0,
            column: 0,
            byte: 0,
        };
        function.name_span = Span {
            start: nowhere,
            end: nowhere,
        };
    }
    Fingerprint::new("reqleak-outline")
        .bytes(&postcard::to_stdvec(&plain).unwrap_or_default())
        .finish()
}

//! The driver. A package's files are shared out among worker threads; each worker parses its
//! files once and keeps their syntax trees for the whole run (proc-macro2's spans belong to
//! the thread that parsed them). The coordinator joins the workers' outlines into the crate
//! map, then runs rounds: the workers analyze functions and return their summaries, and the
//! functions that read a summary that grew are analyzed again, until nothing changes. Last,
//! the workers run the lints on their files and the coordinator the whole-crate lints.
//!
//! # Lazy bodies
//!
//! A worker parses a file with the bodies that name nothing of reqwest's blanked
//! ([`lazy::plan`]). When a round asks for such a function, the worker first asks the crate
//! ([`LazyIndex::needs`]): if nothing in it can matter, it answers with what the signature
//! declares, and records as read the summaries of every function the body's names may call,
//! so that one of them growing (in a later round, or in a warm run) asks again. Otherwise it
//! parses that body alone, at its place in the file, puts it in the tree, and analyzes it. A
//! body once parsed stays in the tree. `Options::eager_bodies` parses every body.
//!
//! Nothing panics out of here: a panic while a file is parsed or analyzed becomes an internal
//! error for that file, and the others are still analyzed; a panic of the coordinator (the
//! crate map, the rounds) becomes an internal error for every file of the crate.
//!
//! # Warm runs
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
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, ParseError, Position, Span};
use crate::flow::{self, CrateFacts, FileContext, FnFacts, Summaries, Summary};
use crate::model::crate_map::{self, CrateMap, FileOutline, FnId, FnRef};
use crate::model::delimiters;
use crate::model::foreign::{self, ForeignCrate};
use crate::model::lazy::{self, LazyFn, LazyIndex, Vocabulary};
use crate::model::names::Names;
use crate::model::place::{ModulePlace, TargetKind};
use crate::model::source_map::SourceMap;
use crate::model::test_code;
use crate::{CrateFile, Options};

/// Stack size of the analyzer's threads: syn and the flow walk recurse once per nesting level,
/// and valid code can nest thousands of levels deep (long builder chains, generated code).
/// Stack memory is only reserved, not committed, so the size costs nothing on ordinary files.
const ANALYZER_STACK: usize = 256 << 20;

/// Summary rounds beyond the first; summaries only grow, so rounds end anyway, and this bounds
/// the work on pathological call graphs.
const MAX_ROUNDS: usize = 12;

/// A warm run whose new calls keep reordering the components gives up after this many
/// restarts and analyzes everything.
const MAX_RESTARTS: usize = 4;

/// The version of what [`State`] means: bump it whenever the analysis reads or records
/// differently in a way the crate's version does not tell (the cache is keyed by both).
pub(crate) const STATE_FORMAT: u32 = 3;

const INTERNAL_CRATE_ERROR: &str =
    "internal error: reqleak's analyzer panicked on this crate; please report it with the crate attached";

const INTERNAL_ERROR: &str =
    "internal error: reqleak's analyzer panicked on this file; please report it with the file attached";

/// One file's result: its findings, or why it was not analyzed.
pub(crate) type FileResult = Result<Vec<Diagnostic>, ParseError>;

/// Analyzes the files of one package together; see [`crate::analyze_crate`].
pub fn analyze_crate(files: &[CrateFile<'_>], options: &Options) -> Vec<FileResult> {
    analyze(files, options, None).0
}

/// [`analyze_crate`] from a previous run's [`State`] (see the module's documentation), with
/// each file's [`FileKey`] from [`file_keys`]. Returns the results, identical to a cold
/// run's, and the state to keep for the next run (`None` when something failed inside the
/// analyzer: nothing of it should be trusted).
pub(crate) fn analyze_crate_incremental(
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
pub(crate) struct FileKey {
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
pub(crate) fn file_keys(files: &[CrateFile<'_>], options: &Options) -> Vec<FileKey> {
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

/// What a run leaves for the next one: see the module's documentation.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct State {
    /// The crate's interface, under which the function ids and results below hold.
    interface: u128,
    /// Each file, in input order.
    files: Vec<FileState>,
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
struct FileState {
    key: FileKey,
    /// The outline's hash, spans left out (its part of the interface); 0 when it has none.
    outline_hash: u128,
    /// The outline, or why the file was not analyzed.
    outline: Result<FileOutline, ParseError>,
    /// Its functions, in file order.
    fns: Vec<FnState>,
    /// The findings of the per-file lints.
    lints: Vec<Diagnostic>,
    /// The summaries those lints read.
    lint_reads: Vec<FnId>,
}

/// One function's part of a [`State`].
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct FnState {
    summary: Summary,
    facts: FnFacts,
    /// The findings of the per-function lints.
    diagnostics: Vec<Diagnostic>,
    /// The summaries its analyses read, in the run that produced it.
    reads: Vec<FnId>,
    /// Answered without parsing its body: what it read only matters as "all empty".
    unparsed: bool,
}

/// The cache's side of a warm run.
struct Warm<'k, 's> {
    keys: &'k [FileKey],
    previous: Option<&'s State>,
}

fn analyze(
    files: &[CrateFile<'_>],
    options: &Options,
    warm: Option<Warm<'_, '_>>,
) -> (Vec<FileResult>, Option<State>) {
    if files.is_empty() {
        let state = warm.map(|_| State {
            interface: 0,
            files: Vec::new(),
            stats: Stats::default(),
        });
        return (Vec::new(), state);
    }
    // The previous state of each file whose key is unchanged: its outline is taken from
    // there, and the file is parsed only if something in it must be analyzed again.
    let cached: Vec<Option<&FileState>> = match &warm {
        Some(Warm {
            keys,
            previous: Some(previous),
        }) => {
            let by_key: HashMap<FileKey, &FileState> =
                previous.files.iter().map(|file| (file.key, file)).collect();
            keys.iter().map(|key| by_key.get(key).copied()).collect()
        }
        _ => files.iter().map(|_| None).collect(),
    };
    let eager: Vec<bool> = cached.iter().map(Option::is_none).collect();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, files.len());
    let shards = shard(files, &eager, workers);
    let foreign: Arc<[ForeignCrate]> = foreign::with_builtins(&options.dependencies).into();
    let vocabulary = Vocabulary::new(&foreign);
    let places: Vec<ModulePlace> = files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            file.place
                .clone()
                .unwrap_or_else(|| ModulePlace::root(format!("file{index}"), TargetKind::Lib))
        })
        .collect();
    std::thread::scope(|scope| {
        let (reply_tx, reply_rx) = mpsc::channel::<Reply>();
        let mut commands = Vec::new();
        let mut spawn_failed = Vec::new();
        for (worker, shard) in shards.iter().enumerate() {
            let (command_tx, command_rx) = mpsc::channel::<Command>();
            let reply = reply_tx.clone();
            let places = &places;
            let eager = &eager;
            let foreign = &foreign;
            let vocabulary = &vocabulary;
            let spawned = std::thread::Builder::new()
                .name(format!("reqleak-analyzer-{worker}"))
                .stack_size(ANALYZER_STACK)
                .spawn_scoped(scope, {
                    let shard = shard.clone();
                    move || {
                        let input = WorkerInput {
                            files,
                            places,
                            shard: &shard,
                            eager,
                            options,
                            foreign,
                            vocabulary,
                        };
                        run_worker(worker, &input, command_rx, reply)
                    }
                });
            match spawned {
                Ok(_) => commands.push(Some(command_tx)),
                Err(_) => {
                    commands.push(None);
                    spawn_failed.extend(shard.iter().copied());
                }
            }
        }
        drop(reply_tx);
        let alive = commands.iter().map(Option::is_some).collect();
        let mut crew = Crew {
            stats: Stats::default(),
            commands,
            replies: reply_rx,
            alive,
            shards: &shards,
        };
        // A panic of the coordinator (outside every file's guard) fails the whole crate;
        // dropping the commands then ends the workers.
        let inputs = Inputs {
            vocabulary: &vocabulary,
            files,
            places: &places,
            cached: &cached,
            warm: warm.as_ref(),
        };
        let (mut results, mut state) =
            panic::catch_unwind(AssertUnwindSafe(|| coordinate(&inputs, &mut crew)))
                .unwrap_or_else(|_| {
                    let results = files
                        .iter()
                        .map(|_| Err(internal_error(INTERNAL_CRATE_ERROR)))
                        .collect();
                    (results, None)
                });
        drop(crew);
        if !spawn_failed.is_empty() {
            state = None;
        }
        for index in spawn_failed {
            results[index] = Err(internal_error(
                "internal error: reqleak could not start an analyzer thread",
            ));
        }
        (results, state)
    })
}

/// Shares files out by size, largest first, each to the least loaded worker. Files to parse
/// at once weigh more than cached ones, which may not be parsed at all.
fn shard(files: &[CrateFile<'_>], eager: &[bool], workers: usize) -> Vec<Vec<usize>> {
    let weight = |index: usize| {
        let size = files[index].text.len() + 1;
        if eager[index] {
            size
        } else {
            size / 8 + 1
        }
    };
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(weight(index)));
    let mut shards = vec![Vec::new(); workers];
    let mut loads = vec![0usize; workers];
    for index in order {
        let least = (0..workers).min_by_key(|&w| loads[w]).unwrap_or(0);
        loads[least] += weight(index);
        shards[least].push(index);
    }
    for shard in &mut shards {
        shard.sort_unstable();
    }
    shards
}

/// What the coordinator tells a worker.
enum Command {
    /// Analyze the functions in `only` (all when `None`) with these summaries.
    Round(Arc<RoundContext>, Option<Arc<HashSet<FnId>>>),
    /// Run the per-function lints on the functions analyzed, and the per-file lints on the
    /// files in the set (all when `None`), and hand back the findings.
    Finish(Arc<RoundContext>, Option<Arc<HashSet<usize>>>),
}

/// What every worker shares in a round.
struct RoundContext {
    crate_map: Arc<CrateMap>,
    summaries: Vec<Summary>,
    mentions_reqwest: bool,
    /// What tells whether a blanked body must be parsed.
    lazy: Arc<LazyIndex>,
}

impl RoundContext {
    /// What the analysis of a file with `names` and `map` works with, in this round.
    fn file<'a>(&'a self, names: &'a Names, map: &'a SourceMap<'a>) -> FileContext<'a> {
        FileContext {
            names,
            crate_map: &self.crate_map,
            summaries: Summaries::new(&self.summaries),
            map,
            mentions_reqwest: self.mentions_reqwest,
        }
    }
}

/// What a worker tells the coordinator.
enum Reply {
    /// The outline of each file parsed at the start, or why there is none.
    Outlines(Vec<(usize, Result<FileOutline, ParseError>)>),
    /// The functions analyzed in a round.
    Analyzed(Vec<FnResult>),
    /// Each file's findings.
    Done(Vec<FileDone>),
    /// The worker panicked outside a file's guard: its files are internal errors.
    Failed(usize),
}

/// One function's analysis, as the coordinator needs it.
struct FnResult {
    id: FnId,
    summary: Summary,
    facts: FnFacts,
    /// The summaries the analysis read.
    reads: Vec<FnId>,
    /// Answered without parsing the body: nothing in it can matter.
    unparsed: bool,
}

/// What a worker hands back about one file at the end.
struct FileDone {
    index: usize,
    /// Why the file has no findings (it does not parse, or the analyzer failed on it).
    error: Option<ParseError>,
    /// The per-function lints' findings, for each function analyzed in this run.
    fns: Vec<(FnId, Vec<Diagnostic>)>,
    /// The per-file lints' findings and the summaries they read, if they were run.
    lints: Option<(Vec<Diagnostic>, Vec<FnId>)>,
}

/// The coordinator's end of the workers.
struct Crew<'s> {
    stats: Stats,
    commands: Vec<Option<mpsc::Sender<Command>>>,
    replies: mpsc::Receiver<Reply>,
    alive: Vec<bool>,
    shards: &'s [Vec<usize>],
}

impl Crew<'_> {
    /// Sends a command to every live worker and collects one reply from each; a worker that
    /// failed is not asked again.
    fn exchange(&mut self, command: impl Fn() -> Command) -> Vec<Reply> {
        for (worker, sender) in self.commands.iter().enumerate() {
            if let (Some(sender), true) = (sender, self.alive[worker]) {
                let _ = sender.send(command());
            }
        }
        self.collect()
    }

    /// One reply from every live worker.
    fn collect(&mut self) -> Vec<Reply> {
        let expected = self.alive.iter().filter(|a| **a).count();
        let mut gathered = Vec::new();
        while gathered.len() < expected {
            match self.replies.recv() {
                Ok(Reply::Failed(worker)) => {
                    self.alive[worker] = false;
                    gathered.push(Reply::Failed(worker));
                }
                Ok(reply) => gathered.push(reply),
                Err(_) => break,
            }
        }
        gathered
    }

    /// The outlines of the files parsed at the start.
    fn outlines(&mut self) -> Vec<(usize, Result<FileOutline, ParseError>)> {
        let mut found = Vec::new();
        for reply in self.collect() {
            if let Reply::Outlines(outlines) = reply {
                found.extend(outlines);
            }
        }
        found
    }

    /// Analyzes the functions in `only` (all when `None`).
    fn round(
        &mut self,
        context: &Arc<RoundContext>,
        only: Option<&Arc<HashSet<FnId>>>,
    ) -> Vec<FnResult> {
        let mut analyzed = Vec::new();
        for reply in self.exchange(|| Command::Round(Arc::clone(context), only.cloned())) {
            if let Reply::Analyzed(found) = reply {
                analyzed.extend(found);
            }
        }
        self.stats.analyses += analyzed.len();
        self.stats.unparsed += analyzed.iter().filter(|result| result.unparsed).count();
        analyzed
    }

    /// The lints' findings.
    fn finish(
        &mut self,
        context: &Arc<RoundContext>,
        lint_files: Option<Arc<HashSet<usize>>>,
    ) -> Vec<FileDone> {
        let mut done = Vec::new();
        for reply in self.exchange(|| Command::Finish(Arc::clone(context), lint_files.clone())) {
            if let Reply::Done(files) = reply {
                done.extend(files);
            }
        }
        self.stats.parsed = done.len();
        done
    }

    /// Whether every worker is still alive.
    fn all_alive(&self) -> bool {
        self.alive
            .iter()
            .zip(&self.commands)
            .all(|(alive, sender)| *alive || sender.is_none())
    }
}

/// What the coordinator works from.
struct Inputs<'i, 'f> {
    /// The names that keep a body unblanked, the workers' too.
    vocabulary: &'i Vocabulary,
    files: &'i [CrateFile<'f>],
    places: &'i [ModulePlace],
    /// Each file's previous state, when its key is unchanged.
    cached: &'i [Option<&'i FileState>],
    warm: Option<&'i Warm<'i, 'i>>,
}

/// The whole crate's analysis as the coordinator builds it.
struct Analysis {
    crate_map: Arc<CrateMap>,
    lazy: Arc<LazyIndex>,
    mentions_reqwest: bool,
    summaries: Vec<Summary>,
    facts: Vec<FnFacts>,
    /// What each function's analyses read (the previous run's, until analyzed again).
    reads: Vec<Vec<FnId>>,
    /// Functions analyzed in this run.
    analyzed: Vec<bool>,
    /// Whose latest answer came without parsing the body ([`FnResult::unparsed`]).
    unparsed: Vec<bool>,
}

impl Analysis {
    fn context(&self) -> Arc<RoundContext> {
        Arc::new(RoundContext {
            crate_map: Arc::clone(&self.crate_map),
            summaries: self.summaries.clone(),
            mentions_reqwest: self.mentions_reqwest,
            lazy: Arc::clone(&self.lazy),
        })
    }

    fn declared(&self, id: FnId) -> Summary {
        let outline = &self.crate_map.fns[id].outline;
        Summary::declared(outline.declared, outline.params.len())
    }

    /// What function `id` read that orders a warm run's components: nothing for an answer
    /// given without the body, which only depends on what it read being empty (checked
    /// after the pass).
    fn component_reads(&self, id: FnId) -> &[FnId] {
        match self.unparsed[id] {
            true => &[],
            false => &self.reads[id],
        }
    }

    /// Records an analysis: its facts, and what it read (added to what this run's earlier
    /// analyses of the function read).
    fn record(&mut self, result: &mut FnResult) {
        let reads = if self.analyzed[result.id] {
            let mut all = std::mem::take(&mut self.reads[result.id]);
            all.extend(result.reads.iter().copied());
            all.sort_unstable();
            all.dedup();
            all
        } else {
            result.reads.clone()
        };
        self.reads[result.id] = reads;
        self.analyzed[result.id] = true;
        self.unparsed[result.id] = result.unparsed;
        self.facts[result.id] = std::mem::take(&mut result.facts);
    }

    /// Runs rounds over `region` (every function when `None`) until no summary in it
    /// changes: each round analyzes again the functions of the region that read a summary
    /// that grew.
    fn rounds(&mut self, crew: &mut Crew<'_>, region: Option<&HashSet<FnId>>) {
        let mut readers: HashMap<FnId, HashSet<FnId>> = HashMap::new();
        if let Some(region) = region {
            for &id in region {
                for &read in &self.reads[id] {
                    if region.contains(&read) {
                        readers.entry(read).or_default().insert(id);
                    }
                }
            }
        }
        let mut only: Option<Arc<HashSet<FnId>>> = region.map(|r| Arc::new(r.clone()));
        for _ in 0..=MAX_ROUNDS {
            let context = self.context();
            let mut changed = Vec::new();
            for mut result in crew.round(&context, only.as_ref()) {
                let mut grown = self.summaries[result.id].clone();
                grown.grow(&result.summary);
                if grown != self.summaries[result.id] {
                    self.summaries[result.id] = grown;
                    changed.push(result.id);
                }
                for &read in &result.reads {
                    if region.is_none_or(|r| r.contains(&read)) {
                        readers.entry(read).or_default().insert(result.id);
                    }
                }
                self.record(&mut result);
            }
            let dirty: HashSet<FnId> = changed
                .iter()
                .flat_map(|id| readers.get(id).into_iter().flatten().copied())
                .collect();
            if dirty.is_empty() {
                break;
            }
            only = Some(Arc::new(dirty));
        }
    }
}

fn coordinate(inputs: &Inputs<'_, '_>, crew: &mut Crew<'_>) -> (Vec<FileResult>, Option<State>) {
    let files = inputs.files;

    // Outlines: fresh from the workers, or from the previous state.
    let mut outlines: Vec<Result<FileOutline, ParseError>> = inputs
        .cached
        .iter()
        .map(|cached| match cached {
            Some(file) => file.outline.clone(),
            None => Err(internal_error(INTERNAL_ERROR)),
        })
        .collect();
    for (index, outline) in crew.outlines() {
        outlines[index] = outline;
    }
    let crate_inputs: Vec<(ModulePlace, Option<&FileOutline>)> = inputs
        .places
        .iter()
        .cloned()
        .zip(outlines.iter().map(|o| o.as_ref().ok()))
        .collect();
    let crate_map = Arc::new(CrateMap::build(&crate_inputs));
    let present: Vec<Option<&FileOutline>> = crate_inputs.iter().map(|(_, o)| *o).collect();
    let lazy = Arc::new(LazyIndex::new(&crate_map, &present, inputs.vocabulary));
    let mentions_reqwest = files.iter().any(|file| file.text.contains("reqwest"));
    let fn_count = crate_map.fns.len();
    let mut analysis = Analysis {
        summaries: crate_map
            .fns
            .iter()
            .map(|def| Summary::declared(def.outline.declared, def.outline.params.len()))
            .collect(),
        facts: vec![FnFacts::default(); fn_count],
        reads: vec![Vec::new(); fn_count],
        analyzed: vec![false; fn_count],
        unparsed: vec![false; fn_count],
        crate_map,
        lazy,
        mentions_reqwest,
    };

    // The interface, and the previous state when it is the same.
    let outline_hashes: Vec<u128> = outlines
        .iter()
        .zip(inputs.cached)
        .map(|(outline, cached)| match cached {
            Some(file) => file.outline_hash,
            // Only a warm run keeps the interface.
            None if inputs.warm.is_none() => 0,
            None => outline.as_ref().map(outline_hash).unwrap_or(0),
        })
        .collect();
    let interface = inputs.warm.map(|warm| {
        let mut hash = Fingerprint::new("reqleak-interface");
        hash.u128(u128::from(mentions_reqwest))
            .u128(files.len() as u128);
        for (key, outline) in warm.keys.iter().zip(&outline_hashes) {
            hash.u128(key.ident).u128(*outline);
        }
        hash.finish()
    });
    let previous =
        inputs
            .warm
            .and_then(|warm| warm.previous)
            .filter(|previous| {
                Some(previous.interface) == interface
                    && previous.files.len() == files.len()
                    && previous
                        .files
                        .iter()
                        .zip(inputs.warm.map(|w| w.keys).unwrap_or_default())
                        .all(|(file, key)| file.key.ident == key.ident)
                    && previous.files.iter().enumerate().all(|(index, file)| {
                        file.fns.len() == analysis.crate_map.file_fns[index].len()
                    })
            });

    let mut cached_lints: Vec<Option<&FileState>> = files.iter().map(|_| None).collect();
    crew.stats.incremental = previous.is_some();
    match previous {
        Some(previous) => {
            let dirty_files: Vec<usize> = (0..files.len())
                .filter(|&index| inputs.cached[index].is_none())
                .collect();
            let changed =
                incremental(&mut analysis, crew, previous, &dirty_files).unwrap_or_else(|| {
                    // Give up: everything from the start, as a cold run.
                    for id in 0..fn_count {
                        analysis.summaries[id] = analysis.declared(id);
                    }
                    analysis.rounds(crew, None);
                    vec![true; fn_count]
                });
            let dirty: HashSet<usize> = dirty_files.into_iter().collect();
            for (index, file) in previous.files.iter().enumerate() {
                let stale = dirty.contains(&index)
                    || file
                        .lint_reads
                        .iter()
                        .any(|&id| changed.get(id) != Some(&false));
                if !stale {
                    cached_lints[index] = Some(file);
                }
            }
        }
        None => analysis.rounds(crew, None),
    }

    // The whole-crate lints.
    let paths: Vec<Option<String>> = files.iter().map(|f| f.display.map(str::to_owned)).collect();
    let crate_facts = CrateFacts {
        crate_map: &analysis.crate_map,
        summaries: &analysis.summaries,
        fns: &analysis.facts,
        paths: &paths,
    };
    let mut crate_findings: Vec<(usize, Diagnostic)> = Vec::new();
    if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(|| {
        crate::lints::check_crate(&crate_facts, &mut crate_findings)
    })) {
        drop(panic);
        crate_findings.clear();
    }

    // The per-file lints, where they must run.
    let lint_files: Option<Arc<HashSet<usize>>> = previous.map(|_| {
        Arc::new(
            (0..files.len())
                .filter(|&index| cached_lints[index].is_none())
                .collect(),
        )
    });
    let last = analysis.context();
    let done = crew.finish(&last, lint_files);

    // Each file's findings: the functions' (fresh or cached), the file's, the crate's.
    let mut fn_findings: Vec<Option<Vec<Diagnostic>>> = vec![None; fn_count];
    let mut fresh_lints: Vec<Option<(Vec<Diagnostic>, Vec<FnId>)>> =
        files.iter().map(|_| None).collect();
    let mut errors: Vec<Option<ParseError>> = outlines.iter().map(|o| o.clone().err()).collect();
    for file in done {
        for (id, found) in file.fns {
            if let Some(slot) = fn_findings.get_mut(id) {
                *slot = Some(found);
            }
        }
        if let Some(error) = file.error {
            errors[file.index] = Some(error);
        }
        fresh_lints[file.index] = file.lints;
    }
    for (worker, shard) in crew.shards.iter().enumerate() {
        if !crew.alive[worker] {
            for &index in shard {
                errors[index] = Some(internal_error(INTERNAL_ERROR));
            }
        }
    }
    let keep = inputs.warm.is_some();
    let mut trusted = crew.all_alive();
    let mut results: Vec<FileResult> = Vec::with_capacity(files.len());
    let mut state_files: Vec<FileState> = Vec::new();
    for (index, outline) in outlines.into_iter().enumerate() {
        let range = analysis.crate_map.file_fns[index].clone();
        let mut diagnostics = Vec::new();
        let mut fns = Vec::new();
        for id in range.clone() {
            let found = fn_findings[id].take().unwrap_or_else(|| {
                let cached = previous
                    .filter(|_| !analysis.analyzed[id])
                    .and_then(|p| p.files.get(index)?.fns.get(id - range.start));
                cached.map(|f| f.diagnostics.clone()).unwrap_or_default()
            });
            diagnostics.extend(found.iter().cloned());
            if keep {
                fns.push(FnState {
                    summary: analysis.summaries[id].clone(),
                    facts: analysis.facts[id].clone(),
                    diagnostics: found,
                    reads: analysis.reads[id].clone(),
                    unparsed: analysis.unparsed[id],
                });
            }
        }
        let lints = fresh_lints[index].take().or_else(|| {
            cached_lints[index].map(|file| (file.lints.clone(), file.lint_reads.clone()))
        });
        let result = match (errors[index].take(), &lints) {
            (Some(error), _) => {
                trusted &= !error.internal;
                Err(error)
            }
            (None, Some((file_lints, _))) => {
                diagnostics.extend(file_lints.iter().cloned());
                Ok(diagnostics)
            }
            // Neither run nor cached: cannot happen; say so rather than guess.
            (None, None) => {
                trusted = false;
                Err(internal_error(INTERNAL_ERROR))
            }
        };
        results.push(result);
        if let (Some(warm), true) = (inputs.warm, keep) {
            let (lints, lint_reads) = lints.unwrap_or_default();
            state_files.push(FileState {
                key: warm.keys[index],
                outline_hash: outline_hashes[index],
                outline,
                fns,
                lints,
                lint_reads,
            });
        }
    }
    for (file, diagnostic) in crate_findings {
        if let Some(Ok(diagnostics)) = results.get_mut(file) {
            diagnostics.push(diagnostic);
        }
    }
    for diagnostics in results.iter_mut().flatten() {
        sort(diagnostics);
    }
    let state = match (interface, trusted) {
        (Some(interface), true) => Some(State {
            interface,
            files: state_files,
            stats: crew.stats,
        }),
        _ => None,
    };
    (results, state)
}

/// The warm run's analysis under an unchanged interface (see the module's documentation).
/// Returns which functions' summaries differ from the previous run's, or `None` to give up.
fn incremental(
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
        return Some(changed);
    }
}

/// The strongly connected components of the "reads the summary of" graph, each with its
/// level: 0 when it reads no other component, else one more than the highest it reads.
struct Components {
    /// Each component's functions.
    members: Vec<Vec<FnId>>,
    /// Each function's component.
    of: Vec<usize>,
    /// Each component's level.
    level: Vec<usize>,
}

impl Components {
    /// Tarjan's algorithm, without recursion; components come out callees first.
    fn of(reads: &[Vec<FnId>]) -> Self {
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
    fn levels(&self) -> Vec<Vec<usize>> {
        let top = self.level.iter().copied().max().map_or(0, |l| l + 1);
        let mut levels = vec![Vec::new(); top];
        for (component, &level) in self.level.iter().enumerate() {
            levels[level].push(component);
        }
        levels
    }
}

/// The hash of an outline without its spans: its part of the crate's interface.
fn outline_hash(outline: &FileOutline) -> u128 {
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

fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.lint.name, &a.message).cmp(&(b.span.start, b.lint.name, &b.message))
    });
    diagnostics.dedup_by(|a, b| a.span == b.span && a.lint == b.lint);
}

/// What a worker works from.
struct WorkerInput<'i, 'f> {
    files: &'i [CrateFile<'f>],
    places: &'i [ModulePlace],
    shard: &'i [usize],
    /// The files to parse at the start (the others, when something in them is analyzed).
    eager: &'i [bool],
    options: &'i Options,
    foreign: &'i Arc<[ForeignCrate]>,
    vocabulary: &'i Vocabulary,
}

/// One worker: parses its files, then answers the coordinator's commands until told to finish.
fn run_worker(
    worker: usize,
    input: &WorkerInput<'_, '_>,
    commands: mpsc::Receiver<Command>,
    reply: mpsc::Sender<Reply>,
) {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let parse = |file: &mut ShardFile<'_>| {
            if file.parsed.is_none() {
                file.parse(input);
            }
        };
        let mut owned: Vec<ShardFile<'_>> = input
            .shard
            .iter()
            .map(|&index| ShardFile {
                index,
                text: input.files[index].text,
                parsed: None,
                facts: HashMap::new(),
                kept: HashSet::new(),
            })
            .collect();
        let mut outlines = Vec::new();
        for file in &mut owned {
            if input.eager[file.index] {
                parse(file);
                outlines.push((file.index, file.take_outline()));
            }
        }
        let _ = reply.send(Reply::Outlines(outlines));
        while let Ok(command) = commands.recv() {
            match command {
                Command::Round(context, only) => {
                    let mut analyzed = Vec::new();
                    for file in &mut owned {
                        let Some(range) = context.crate_map.file_fns.get(file.index).cloned()
                        else {
                            continue;
                        };
                        let wanted = match &only {
                            None => !range.is_empty(),
                            Some(only) => range.clone().any(|id| only.contains(&id)),
                        };
                        if wanted {
                            file.analyze(input, &context, only.as_deref(), &mut analyzed);
                        }
                    }
                    let _ = reply.send(Reply::Analyzed(analyzed));
                }
                Command::Finish(context, lint_files) => {
                    let mut done = Vec::new();
                    for file in &mut owned {
                        let lint = lint_files
                            .as_ref()
                            .is_none_or(|files| files.contains(&file.index));
                        if lint {
                            parse(file);
                        }
                        if let Some(finished) = file.finish(&context, lint) {
                            done.push(finished);
                        }
                    }
                    let _ = reply.send(Reply::Done(done));
                    break;
                }
            }
        }
    }));
    proc_macro2::extra::invalidate_current_thread_spans();
    if outcome.is_err() {
        let _ = reply.send(Reply::Failed(worker));
    }
}

/// A file a worker owns: its syntax tree once parsed, kept for the whole run, and its
/// functions' facts.
struct ShardFile<'a> {
    index: usize,
    text: &'a str,
    /// Its source map, and its tree and names or why there is none; `None` until parsed.
    parsed: Option<Parsed<'a>>,
    /// The latest facts of each function analyzed.
    facts: HashMap<FnId, flow::Facts>,
    /// The functions (by where their names start) whose bodies a round found it must read:
    /// never blanked again.
    kept: HashSet<usize>,
}

/// A parsed file.
struct Parsed<'a> {
    map: SourceMap<'a>,
    /// The tree and its names, or why there is none.
    tree: Result<(syn::File, Names), ParseError>,
    /// The outline (`None` when there is no tree, or outlining panicked, or once handed to
    /// the coordinator).
    outline: Option<FileOutline>,
    /// The functions whose bodies the tree lacks, by where their names start.
    blanked: HashMap<usize, LazyFn>,
}

impl<'a> ShardFile<'a> {
    /// Parses the file, blanking the bodies that cannot matter but those in `kept`.
    fn parse(&mut self, input: &WorkerInput<'_, '_>) {
        let plan = self.plan(input);
        self.parse_planned(input, plan);
    }

    /// Which bodies to blank (none when every body is to be parsed).
    fn plan(&self, input: &WorkerInput<'_, '_>) -> Option<lazy::Plan> {
        if input.options.eager_bodies {
            return None;
        }
        let (text, kept) = (self.text, &self.kept);
        guarded(|| lazy::plan(text, input.vocabulary, kept)).flatten()
    }

    /// Parses the file as `plan` says; the outline is the first parse's (blanked bodies
    /// change no declaration).
    fn parse_planned(&mut self, input: &WorkerInput<'_, '_>, plan: Option<lazy::Plan>) {
        let text = self.text;
        let options = input.options;
        let map = SourceMap::new(text);
        let foreign = input.foreign;
        let mut tree = guarded(|| {
            parse_file(
                text,
                plan.as_ref().map(|p| p.text.as_str()),
                &map,
                options,
                foreign,
            )
        })
        .unwrap_or_else(|| Err(internal_error(INTERNAL_ERROR)));
        let planned = plan.is_some();
        let mut blanked: HashMap<usize, LazyFn> = plan
            .map(|plan| plan.blanked.into_iter().map(|f| (f.name_at, f)).collect())
            .unwrap_or_default();
        if planned && tree.as_ref().is_err_and(|error| !error.internal) {
            // Whatever is wrong, the whole text says it, as an eager run would.
            blanked.clear();
            tree = guarded(|| parse_file(text, None, &map, options, foreign))
                .unwrap_or_else(|| Err(internal_error(INTERNAL_ERROR)));
        }
        if let Some(previous) = self.parsed.take() {
            // Parsed again with bodies a round needs: a syntax error in one of them is the
            // file's, as in an eager run.
            self.parsed = Some(Parsed {
                map,
                tree,
                outline: previous.outline,
                blanked,
            });
            return;
        }
        let place = &input.places[self.index];
        let outline = match &tree {
            Ok((file, names)) => guarded(|| crate_map::outline(file, names, &map, &place.module)),
            Err(_) => None,
        };
        let tree = match (tree, &outline) {
            (Ok(_), None) => Err(internal_error(INTERNAL_ERROR)),
            (tree, _) => tree,
        };
        self.parsed = Some(Parsed {
            map,
            tree,
            outline,
            blanked,
        });
    }

    /// The outline, for the coordinator: the file keeps only that it has one.
    fn take_outline(&mut self) -> Result<FileOutline, ParseError> {
        match &mut self.parsed {
            Some(Parsed {
                tree: Err(error), ..
            }) => Err(error.clone()),
            Some(Parsed {
                outline: outline @ Some(_),
                ..
            }) => outline.take().ok_or_else(|| internal_error(INTERNAL_ERROR)),
            _ => Err(internal_error(INTERNAL_ERROR)),
        }
    }

    fn analyze(
        &mut self,
        input: &WorkerInput<'_, '_>,
        context: &RoundContext,
        only: Option<&HashSet<FnId>>,
        out: &mut Vec<FnResult>,
    ) {
        let Some(range) = context.crate_map.file_fns.get(self.index).cloned() else {
            return;
        };
        if self.parsed.is_none() {
            match self.answer_without_parsing(input, context, &range, only, out) {
                Ok(()) => return,
                Err(plan) => self.parse_planned(input, plan),
            }
        }
        let mut unblank = Vec::new();
        if !self.walk(context, &range, only, &mut unblank, out) || unblank.is_empty() {
            return;
        }
        // Bodies the crate showed may matter: parse them, and analyze them.
        self.kept
            .extend(unblank.iter().map(|(_, name_at)| *name_at));
        if !self.restore(&unblank) {
            self.parse(input);
        }
        let ids: HashSet<FnId> = unblank.iter().map(|(id, _)| *id).collect();
        let mut still = Vec::new();
        self.walk(context, &range, Some(&ids), &mut still, out);
        debug_assert!(still.is_empty(), "kept bodies are never blanked again");
    }

    /// A file not parsed yet (in a warm run) whose functions to analyze are all blanked ones
    /// that need nothing is answered from its token scan alone; when one of them needs the
    /// tree, nothing is answered and the plan to parse with comes back.
    fn answer_without_parsing(
        &mut self,
        input: &WorkerInput<'_, '_>,
        context: &RoundContext,
        range: &std::ops::Range<FnId>,
        only: Option<&HashSet<FnId>>,
        out: &mut Vec<FnResult>,
    ) -> Result<(), Option<lazy::Plan>> {
        let Some(plan) = self.plan(input) else {
            return Err(None);
        };
        let blanked: HashMap<usize, &LazyFn> =
            plan.blanked.iter().map(|f| (f.name_at, f)).collect();
        let mut answers = Vec::new();
        for id in range.clone() {
            let outline = &context.crate_map.fns[id].outline;
            if only.is_some_and(|only| !only.contains(&id)) || !outline.has_body {
                continue;
            }
            let answer = blanked
                .get(&outline.name_span.start.byte)
                .and_then(|function| unparsed_answer(context, id, function));
            match answer {
                Some(answer) => answers.push((id, answer)),
                None => return Err(Some(plan)),
            }
        }
        for (id, (facts, reads)) in answers {
            out.push(FnResult {
                id,
                summary: facts.summary.clone(),
                facts: FnFacts::default(),
                reads,
                unparsed: true,
            });
            self.facts.insert(id, facts);
        }
        Ok(())
    }

    /// Parses the blanked bodies of `functions` (by where their names start) and puts them
    /// in the tree; false when that could not be done (the file is then parsed again).
    fn restore(&mut self, functions: &[(FnId, usize)]) -> bool {
        let text = self.text;
        let Some(parsed) = &mut self.parsed else {
            return false;
        };
        let Ok((file, _)) = &mut parsed.tree else {
            return false;
        };
        let map = &parsed.map;
        let blanked = &mut parsed.blanked;
        guarded(|| {
            let mut bodies = HashMap::new();
            for (_, name_at) in functions {
                let Some(function) = blanked.get(name_at) else {
                    return false;
                };
                let open = map.position_at(function.body.start);
                match lazy::parse_body(text, function, open.line, open.column) {
                    Ok(block) => bodies.insert(*name_at, block),
                    Err(_) => return false,
                };
            }
            let wanted = bodies.len();
            let position = |span: proc_macro2::Span| map.span(span).start.byte;
            if lazy::restore(file, &mut bodies, &position) != wanted {
                return false;
            }
            for (_, name_at) in functions {
                blanked.remove(name_at);
            }
            true
        })
        .unwrap_or(false)
    }

    /// Analyzes the functions of `range` in `only` (all when `None`) whose bodies the tree
    /// holds, and answers for the blanked ones that need nothing; those that do go to
    /// `unblank`, with where their names start. False when the analysis failed.
    fn walk(
        &mut self,
        context: &RoundContext,
        range: &std::ops::Range<FnId>,
        only: Option<&HashSet<FnId>>,
        unblank: &mut Vec<(FnId, usize)>,
        out: &mut Vec<FnResult>,
    ) -> bool {
        let Some(parsed) = &mut self.parsed else {
            return false;
        };
        let Ok((file, names)) = &parsed.tree else {
            return false;
        };
        let cx = context.file(names, &parsed.map);
        let mut found = Vec::new();
        let walked = guarded(|| {
            let mut visitor = Analyze {
                cx: &cx,
                context,
                blanked: &parsed.blanked,
                next: range.start,
                end: range.end,
                only,
                found: &mut found,
                unblank,
            };
            crate_map::visit_fns(file, &mut visitor);
        });
        if walked.is_none() {
            parsed.tree = Err(internal_error(INTERNAL_ERROR));
            self.facts.clear();
            return false;
        }
        for (id, facts, reads, unparsed) in found {
            out.push(FnResult {
                id,
                summary: facts.summary.clone(),
                facts: FnFacts {
                    calls: facts.calls.clone(),
                    clients: facts.clients.clone(),
                },
                reads,
                unparsed,
            });
            self.facts.insert(id, facts);
        }
        true
    }

    /// The findings of the functions analyzed in this run, and of the per-file lints when
    /// `lint`; `None` when there is nothing to say about this file.
    fn finish(&self, context: &RoundContext, lint: bool) -> Option<FileDone> {
        let Some(parsed) = self.parsed.as_ref() else {
            // Answered without parsing: no finding, but the functions were analyzed.
            return (!self.facts.is_empty()).then(|| FileDone {
                index: self.index,
                error: None,
                fns: self.facts.keys().map(|&id| (id, Vec::new())).collect(),
                lints: None,
            });
        };
        let (file, names) = match &parsed.tree {
            Ok(tree) => tree,
            Err(error) => {
                return Some(FileDone {
                    index: self.index,
                    error: Some(error.clone()),
                    fns: Vec::new(),
                    lints: None,
                })
            }
        };
        let linted = guarded(|| {
            let mut ids: Vec<&FnId> = self.facts.keys().collect();
            ids.sort_unstable();
            let fns: Vec<(FnId, Vec<Diagnostic>)> = ids
                .into_iter()
                .map(|id| {
                    let mut diagnostics = Vec::new();
                    crate::lints::check_function(&self.facts[id], &mut diagnostics);
                    (*id, diagnostics)
                })
                .collect();
            let lints = lint.then(|| {
                let cx = context.file(names, &parsed.map);
                let mut diagnostics = Vec::new();
                crate::lints::check_file(&cx, file, &mut diagnostics);
                (diagnostics, cx.summaries.take_reads())
            });
            (fns, lints)
        });
        Some(match linted {
            Some((fns, lints)) => FileDone {
                index: self.index,
                error: None,
                fns,
                lints,
            },
            None => FileDone {
                index: self.index,
                error: Some(internal_error(INTERNAL_ERROR)),
                fns: Vec::new(),
                lints: None,
            },
        })
    }
}

/// Walks a file's functions in [`crate_map::visit_fns`] order and analyzes those asked for.
struct Analyze<'c, 'f, 'o> {
    cx: &'c FileContext<'f>,
    context: &'c RoundContext,
    blanked: &'c HashMap<usize, LazyFn>,
    next: FnId,
    end: FnId,
    only: Option<&'o HashSet<FnId>>,
    found: &'o mut Vec<(FnId, flow::Facts, Vec<FnId>, bool)>,
    unblank: &'o mut Vec<(FnId, usize)>,
}

impl<'ast> crate_map::FnVisitor<'ast> for Analyze<'_, '_, '_> {
    fn function(&mut self, function: FnRef<'ast>) {
        let id = self.next;
        self.next += 1;
        if id >= self.end || self.only.is_some_and(|only| !only.contains(&id)) {
            return;
        }
        if function.block.is_none() {
            return;
        }
        let name_at = self.cx.map.span(function.sig.ident.span()).start.byte;
        if let Some(blanked) = self.blanked.get(&name_at) {
            match unparsed_answer(self.context, id, blanked) {
                Some((facts, reads)) => self.found.push((id, facts, reads, true)),
                None => self.unblank.push((id, name_at)),
            }
            return;
        }
        self.cx.summaries.take_reads();
        let facts = flow::analyze_fn(self.cx, id, &function);
        let reads = self.cx.summaries.take_reads();
        self.found.push((id, facts, reads, false));
    }
}

/// What the analysis of blanked `function` (crate function `id`) gives without reading its
/// body, and the summaries that answer read; `None` when its body must be read
/// ([`LazyIndex::needs`]). Nothing tracked can be in it: what its signature declares, no
/// findings. It reads what its names may call, so that a summary that grows asks again.
fn unparsed_answer(
    context: &RoundContext,
    id: FnId,
    function: &LazyFn,
) -> Option<(flow::Facts, Vec<FnId>)> {
    let lazy = &context.lazy;
    // Its own summary is what its signature declares, which `needs` reads anyway.
    let mut candidates = lazy.candidates(function);
    candidates.retain(|&callee| callee != id);
    let map = &context.crate_map;
    if lazy.needs(map, id, function, &candidates, &context.summaries) {
        return None;
    }
    let outline = &map.fns[id].outline;
    let facts = flow::Facts {
        summary: Summary::declared(outline.declared, outline.params.len()),
        ..flow::Facts::default()
    };
    Some((facts, candidates))
}

/// Parses `text`, or `blanked` (the same text with bodies blanked) when given.
fn parse_file(
    text: &str,
    blanked: Option<&str>,
    map: &SourceMap<'_>,
    options: &Options,
    foreign: &Arc<[ForeignCrate]>,
) -> Result<(syn::File, Names), ParseError> {
    crate::nesting::check(text)?;
    let mut file = syn::parse_file(blanked.unwrap_or(text)).map_err(|error| {
        // proc-macro2 cannot split the file into tokens: say why, as rustc does.
        let lexical = delimiters::lexed_text(text)
            .parse::<proc_macro2::TokenStream>()
            .is_err()
            .then(|| delimiters::diagnose(text))
            .flatten();
        if let Some(problem) = lexical {
            return ParseError {
                message: problem.message,
                span: problem.span,
                labels: problem.labels,
                internal: false,
            };
        }
        let location = error.span().start();
        let span = if location.line == 0 {
            file_start()
        } else {
            map.span(error.span())
        };
        ParseError {
            message: error.to_string(),
            span,
            labels: Vec::new(),
            internal: false,
        }
    })?;
    if !options.test_code {
        test_code::strip(&mut file);
    }
    let names = Names::collect_with(&file, Arc::clone(foreign));
    Ok((file, names))
}

/// Runs `work`, turning a panic into `None`.
fn guarded<T>(work: impl FnOnce() -> T) -> Option<T> {
    panic::catch_unwind(AssertUnwindSafe(work)).ok()
}

fn internal_error(message: &str) -> ParseError {
    ParseError {
        message: message.to_owned(),
        span: file_start(),
        labels: Vec::new(),
        internal: true,
    }
}

fn file_start() -> Span {
    let start = Position {
        line: 1,
        column: 1,
        byte: 0,
    };
    Span { start, end: start }
}

#[cfg(test)]
mod tests {
    //! Warm runs against cold ones: a generated crate of async functions that call each
    //! other across files (cycles included) is edited step by step, and after each step the
    //! incremental analysis from the previous step's state must give exactly the cold
    //! analysis's findings.

    use super::*;

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// What a generated function's body does with its callee's response.
    #[derive(Clone, Copy, Debug)]
    enum Body {
        Send,
        Forward,
        Read,
        Keep,
        Drop,
        PerCallClient,
        Hold,
        Collect,
    }

    const BODIES: [Body; 8] = [
        Body::Send,
        Body::Forward,
        Body::Read,
        Body::Keep,
        Body::Drop,
        Body::PerCallClient,
        Body::Hold,
        Body::Collect,
    ];

    #[derive(Clone, Debug)]
    struct Function {
        id: usize,
        declared: bool,
        /// Its parameter is the crate's `&Api`, not a `&reqwest::Client`: with a body that
        /// names nothing of reqwest's (a call), it is answered without its body until a
        /// summary it names is not empty.
        plain: bool,
        body: Body,
        /// The callee, by `id`.
        callee: usize,
    }

    /// A crate: the root file and three module files, each a list of functions, and blank
    /// lines at the top of each file (edits that move spans only). `m1` also declares a
    /// struct holding a response, whose method taking `self` (in `m2`) reads the response or
    /// not (`holder_reads`): `response_field` in `m1` reads that method's summary.
    struct Crate {
        files: Vec<Vec<Function>>,
        padding: Vec<usize>,
        next_id: usize,
        holder_reads: bool,
    }

    impl Crate {
        fn new(rng: &mut Rng) -> Self {
            let mut krate = Crate {
                files: vec![Vec::new(); 4],
                padding: vec![0; 4],
                next_id: 0,
                holder_reads: false,
            };
            for file in 0..4 {
                for _ in 0..6 {
                    krate.add(rng, file);
                }
            }
            let ids = krate.ids();
            for function in krate.files.iter_mut().flatten() {
                function.callee = ids[rng.below(ids.len())];
            }
            krate
        }

        fn ids(&self) -> Vec<usize> {
            self.files.iter().flatten().map(|f| f.id).collect()
        }

        fn add(&mut self, rng: &mut Rng, file: usize) {
            let ids = self.ids();
            let callee = if ids.is_empty() {
                self.next_id
            } else {
                ids[rng.below(ids.len())]
            };
            self.files[file].push(Function {
                id: self.next_id,
                declared: rng.below(2) == 0,
                plain: rng.below(2) == 0,
                body: BODIES[rng.below(BODIES.len())],
                callee,
            });
            self.next_id += 1;
        }

        fn path(&self, id: usize) -> String {
            let file = self
                .files
                .iter()
                .position(|fns| fns.iter().any(|f| f.id == id))
                .unwrap_or(0);
            if file == 0 {
                format!("crate::f{id}")
            } else {
                format!("crate::m{file}::f{id}")
            }
        }

        fn text(&self, file: usize) -> String {
            let mut text = "\n".repeat(self.padding[file]);
            match file {
                0 => text.push_str("pub mod m1;\npub mod m2;\npub mod m3;\n"),
                1 => text.push_str("pub struct Holder {\n    pub resp: reqwest::Response,\n}\n"),
                2 => text.push_str(if self.holder_reads {
                    "impl crate::m1::Holder {\n    pub async fn finish(self) -> String {\n        self.resp.text().await.unwrap()\n    }\n}\n"
                } else {
                    "impl crate::m1::Holder {\n    pub async fn finish(self) -> String {\n        String::new()\n    }\n}\n"
                }),
                _ => {}
            }
            for function in &self.files[file] {
                let returns = if function.declared {
                    "reqwest::Result<reqwest::Response>"
                } else {
                    "Result<Out, Error>"
                };
                let callee = self.path(function.callee);
                let body = match function.body {
                    Body::Send => "c.get(\"http://x/\").send().await".to_owned(),
                    Body::Forward => format!("{callee}(c).await"),
                    Body::Read => {
                        format!("let r = {callee}(c).await?;\n    let _ = r.text().await;\n    todo!()")
                    }
                    Body::Keep => format!("let r = {callee}(c).await?;\n    Ok(r)"),
                    Body::Drop => format!("{callee}(c).await?;\n    todo!()"),
                    Body::PerCallClient => format!(
                        "let fresh = reqwest::Client::new();\n    {callee}(&fresh).await"
                    ),
                    Body::Hold => format!(
                        "let r = {callee}(c).await?;\n    tokio::time::sleep(PAUSE).await;\n    Ok(r)"
                    ),
                    Body::Collect => format!(
                        "let mut all = Vec::new();\n    for _ in 0..3 {{\n        all.push({callee}(c).await?);\n    }}\n    todo!()"
                    ),
                };
                let param = match function.plain {
                    true => "c: &Api",
                    false => "c: &reqwest::Client",
                };
                text.push_str(&format!(
                    "\npub async fn f{}({param}) -> {returns} {{\n    {body}\n}}\n",
                    function.id
                ));
            }
            text
        }

        fn texts(&self) -> Vec<String> {
            (0..self.files.len()).map(|file| self.text(file)).collect()
        }

        /// One random edit; `true` when it can change the interface.
        fn edit(&mut self, rng: &mut Rng) -> bool {
            let file = rng.below(self.files.len());
            match rng.below(20) {
                0..=11 => {
                    // A body: what it does, or whom it calls.
                    let ids = self.ids();
                    let count = self.files[file].len();
                    let function = &mut self.files[file][rng.below(count)];
                    if rng.below(2) == 0 {
                        function.body = BODIES[rng.below(BODIES.len())];
                    } else {
                        function.callee = ids[rng.below(ids.len())];
                    }
                    false
                }
                12 => {
                    self.padding[file] = rng.below(4);
                    false
                }
                13 => {
                    self.holder_reads = !self.holder_reads;
                    false
                }
                14..=15 => {
                    let count = self.files[file].len();
                    let function = &mut self.files[file][rng.below(count)];
                    function.declared = !function.declared;
                    true
                }
                16..=17 => {
                    self.add(rng, file);
                    true
                }
                _ => {
                    if self.files[file].len() > 1 {
                        let gone = self.files[file].pop().map(|f| f.id);
                        let ids = self.ids();
                        for function in self.files.iter_mut().flatten() {
                            if Some(function.callee) == gone {
                                function.callee = ids[rng.below(ids.len())];
                            }
                        }
                    }
                    true
                }
            }
        }
    }

    fn inputs(texts: &[String]) -> Vec<CrateFile<'_>> {
        let names = ["lib.rs", "m1.rs", "m2.rs", "m3.rs"];
        texts
            .iter()
            .enumerate()
            .map(|(index, text)| {
                let mut place = ModulePlace::root("generated", TargetKind::Lib);
                if index > 0 {
                    place.module = vec![format!("m{index}")];
                }
                CrateFile::new(text).at(place, names[index])
            })
            .collect()
    }

    fn warm(
        texts: &[String],
        options: &Options,
        previous: Option<&State>,
    ) -> (Vec<FileResult>, State) {
        let files = inputs(texts);
        let keys = file_keys(&files, options);
        let (results, state) = analyze_crate_incremental(&files, options, &keys, previous);
        (results, state.expect("a state when nothing failed"))
    }

    fn summary(results: &[FileResult]) -> Vec<String> {
        results
            .iter()
            .enumerate()
            .flat_map(|(file, result)| match result {
                Ok(found) => found
                    .iter()
                    .map(|d| {
                        format!(
                            "{file}:{}:{} {}",
                            d.span.start.line, d.span.start.column, d.lint.name
                        )
                    })
                    .collect(),
                Err(error) => vec![format!("{file}: error {}", error.message)],
            })
            .collect()
    }

    /// The generated crate's texts for a fixed example: `lib.rs` declares `a`, `b` and `c`;
    /// `b` calls `a::fetch` and drops what it returns.
    fn chain(fetch: &str, other: &str) -> Vec<String> {
        vec![
            "pub mod m1;\npub mod m2;\npub mod m3;\n".to_owned(),
            format!("pub async fn fetch(c: &reqwest::Client) -> Result<Out, Error> {{\n    {fetch}\n}}\n"),
            "pub async fn caller(c: &reqwest::Client) -> Result<(), Error> {\n    crate::m1::fetch(c).await?;\n    Ok(())\n}\n".to_owned(),
            format!("pub fn other() {{\n    {other}\n}}\n"),
        ]
    }

    /// The statistics of an incremental run that parsed `parsed` files and ran `analyses`
    /// function analyses.
    /// What an incremental run that parsed `parsed` files and ran `analyses` analyses did,
    /// as `(parsed, analyses, incremental)`.
    fn incremental(parsed: usize, analyses: usize) -> (usize, usize, bool) {
        (parsed, analyses, true)
    }

    fn did(stats: Stats) -> (usize, usize, bool) {
        (stats.parsed, stats.analyses, stats.incremental)
    }

    #[test]
    fn a_body_that_names_nothing_of_reqwest_is_parsed_when_a_summary_reaches_it() {
        // `drop_it` names no reqwest item, but calls `fetch`, whose summary (a response)
        // comes from another file; `plain` calls nothing that matters and is never parsed.
        // `later` calls `relay`, whose summary is only known after a round.
        let texts = [
            "pub mod m1;\npub mod m2;\n".to_owned(),
            "pub async fn fetch(c: &reqwest::Client) -> reqwest::Result<reqwest::Response> {\n    c.get(\"http://x/\").send().await\n}\npub async fn relay(c: &reqwest::Client) {\n    let r = c.get(\"http://y/\").send().await;\n    consume(r).await;\n}\nasync fn consume<T>(value: T) -> T {\n    value\n}\n".to_owned(),
            "pub async fn drop_it(c: &Api) -> Result<(), Error> {\n    crate::m1::fetch(&c.0).await?;\n    Ok(())\n}\npub fn plain() -> u32 {\n    1 + 1\n}\npub async fn later(c: &Api) {\n    crate::m1::relay(&c.0).await;\n}\n".to_owned(),
        ];
        let mut runs = Vec::new();
        for eager_bodies in [false, true] {
            let options = Options {
                eager_bodies,
                ..Options::default()
            };
            let (found, state) = warm(&texts, &options, None);
            let summaries: Vec<Summary> = state
                .files
                .iter()
                .flat_map(|file| file.fns.iter().map(|f| f.summary.clone()))
                .collect();
            runs.push((summary(&found), summaries, state.stats));
        }
        let (lazy, eager) = (&runs[0], &runs[1]);
        assert_eq!(lazy.0, ["2:2:5 unconsumed_response"]);
        assert_eq!(lazy.0, eager.0);
        assert_eq!(lazy.1, eager.1, "the same summaries");
        // Unparsed: `plain`, `consume` (generic: no summary reaches it) and `later` in the
        // first round; `drop_it` was parsed at once, and `later` in the second round, once
        // `relay` was known to send with its parameter.
        assert_eq!((lazy.2.unparsed, lazy.2.analyses), (3, 8));
        assert_eq!((eager.2.unparsed, eager.2.analyses), (0, 8));
    }

    #[test]
    fn a_warm_run_reads_a_blanked_body_once_a_summary_it_names_is_no_longer_empty() {
        // `caller` names nothing of reqwest's: a cold run answers it without its body while
        // `fetch` returns nothing tracked. Editing `fetch`'s body (its signature, the crate's
        // interface, unchanged) must bring `caller` back in a warm run, and away again.
        let texts = |body: &str| {
            vec![
                "pub mod m1;\npub mod m2;\n".to_owned(),
                format!("pub async fn fetch(c: &reqwest::Client) -> Result<Out, Error> {{\n    {body}\n}}\n"),
                "pub async fn caller(c: &Api) -> Result<(), Error> {\n    crate::m1::fetch(&c.0).await?;\n    Ok(())\n}\n".to_owned(),
            ]
        };
        let quiet = "Ok(Out::default())";
        let sends = "c.get(\"http://x/\").send().await";
        let options = Options::default();
        let (cold, mut state) = warm(&texts(quiet), &options, None);
        assert_eq!(summary(&cold), Vec::<String>::new());
        assert_eq!(state.stats.unparsed, 1);
        for (body, expected) in [
            (sends, vec!["2:2:5 unconsumed_response"]),
            (quiet, vec![]),
            (sends, vec!["2:2:5 unconsumed_response"]),
        ] {
            let (results, next) = warm(&texts(body), &options, Some(&state));
            assert!(next.stats.incremental, "{:?}", next.stats);
            assert_eq!(summary(&results), expected);
            let (cold, _) = warm(&texts(body), &options, None);
            assert_eq!(results, cold);
            state = next;
        }
    }

    #[test]
    fn a_warm_run_parses_and_analyzes_only_what_changed() {
        let options = Options::default();
        let sends = "c.get(\"http://x/\").send().await";
        let (cold, state) = warm(&chain(sends, ""), &options, None);
        assert_eq!(summary(&cold), ["2:2:5 unconsumed_response"]);
        assert_eq!((state.stats.parsed, state.stats.incremental), (4, false));

        // Nothing changed: nothing parsed, nothing analyzed.
        let (results, state) = warm(&chain(sends, ""), &options, Some(&state));
        assert_eq!(results, cold);
        assert_eq!(did(state.stats), incremental(0, 0));

        // A body that no summary depends on: that file only, its function once.
        let (results, state) = warm(&chain(sends, "let _ = 1;"), &options, Some(&state));
        assert_eq!(results, cold);
        assert_eq!(did(state.stats), incremental(1, 1));

        // `fetch` changes but still returns a response: its caller's file is not parsed.
        let spaced = "c.get(\"http://y/\").send().await";
        let (results, state) = warm(&chain(spaced, "let _ = 1;"), &options, Some(&state));
        assert_eq!(summary(&results), ["2:2:5 unconsumed_response"]);
        assert_eq!(did(state.stats), incremental(1, 1));

        // `fetch` reads the body now: its caller has nothing left to drop, and is analyzed
        // again (its file parsed) to find that out.
        let reads = "Ok(c.get(\"http://y/\").send().await?.text().await?)";
        let (results, state) = warm(&chain(reads, "let _ = 1;"), &options, Some(&state));
        assert_eq!(summary(&results), ["1:2:40 unbounded_body_read"]);
        assert_eq!(
            results,
            analyze_crate(&inputs(&chain(reads, "let _ = 1;")), &options)
        );
        assert_eq!(did(state.stats), incremental(2, 2));

        // A new function changes the interface: every function is analyzed again.
        let added = "let _ = 1;\n}\npub fn more() {";
        let (results, state) = warm(&chain(reads, added), &options, Some(&state));
        assert_eq!(
            results,
            analyze_crate(&inputs(&chain(reads, added)), &options)
        );
        assert!(!state.stats.incremental);
        assert_eq!(state.stats.parsed, 4);
    }

    #[test]
    fn warm_runs_after_random_edits_find_what_cold_runs_find() {
        let options = Options::default();
        let mut incremental_steps = 0;
        let mut findings = 0;
        for seed in 1..=12u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            let mut krate = Crate::new(&mut rng);
            let texts = krate.texts();
            let (_, mut state) = warm(&texts, &options, None);
            for step in 0..30 {
                let edits = 1 + rng.below(3);
                let mut interface = false;
                for _ in 0..edits {
                    interface |= krate.edit(&mut rng);
                }
                let texts = krate.texts();
                let cold = analyze_crate(&inputs(&texts), &options);
                let (results, next) = warm(&texts, &options, Some(&state));
                assert_eq!(
                    results,
                    cold,
                    "seed {seed}, step {step}: the warm run differs from the cold one\n{}\n\
                     warm: {:?}\ncold: {:?}",
                    texts.join("\n// ----\n"),
                    summary(&results),
                    summary(&cold)
                );
                if !interface {
                    assert!(
                        next.stats.incremental,
                        "seed {seed}, step {step}: bodies only"
                    );
                    incremental_steps += 1;
                }
                findings += summary(&cold).len();
                state = next;
            }
        }
        // The edits exercised both paths and the crates had findings to get right.
        assert!(incremental_steps > 100, "{incremental_steps}");
        assert!(findings > 1000, "{findings}");
    }
}

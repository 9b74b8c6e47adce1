//! The driver. A package's files are shared out among worker threads ([`workers`]); each
//! worker parses its files once and keeps their syntax trees for the whole run (proc-macro2's
//! spans belong to the thread that parsed them). The coordinator joins the workers' outlines
//! into the crate map, then runs rounds ([`rounds`]): the workers analyze functions and return
//! their summaries, and the functions that read a summary that grew are analyzed again, until
//! nothing changes. Last, the workers run the lints on their files and the coordinator the
//! whole-crate lints. A warm run ([`incremental`]) starts from what a previous run left.
//!
//! Nothing panics out of here: a panic while a file is parsed or analyzed becomes an internal
//! error for that file, and the others are still analyzed; a panic of the coordinator (the
//! crate map, the rounds) becomes an internal error for every file of the crate.

mod incremental;
mod rounds;
#[cfg(test)]
mod tests;
mod workers;

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, ParseError, Position, Span};
use crate::model::foreign::{self, ForeignCrate};
use crate::model::lazy::Vocabulary;
use crate::model::place::{ModulePlace, TargetKind};

pub use incremental::{analyze_crate_incremental, file_keys, FileKey, State};
use incremental::{FileState, Stats, Warm};
use rounds::{coordinate, Inputs};
use workers::{run_worker, Command, Crew, Reply, WorkerInput};

/// Stack size of the analyzer's threads: syn and the flow walk recurse once per nesting level,
/// and valid code can nest thousands of levels deep (long builder chains, generated code).
/// Stack memory is only reserved, not committed, so the size costs nothing on ordinary files.
const ANALYZER_STACK: usize = 256 << 20;

const INTERNAL_CRATE_ERROR: &str =
    "internal error: reqleak's analyzer panicked on this crate; please report it with the crate attached";

const INTERNAL_ERROR: &str =
    "internal error: reqleak's analyzer panicked on this file; please report it with the file attached";

/// One file's result: its findings, or why it was not analyzed.
pub type FileResult = Result<Vec<Diagnostic>, ParseError>;

/// Analyzes the files of one package together (see [`crate::analyze_files`]) with `options`.
/// Results come back in input order.
pub fn analyze_crate(files: &[CrateFile<'_>], options: &Options) -> Vec<FileResult> {
    analyze(files, options, None).0
}

/// One file of a package, as the analyzer takes it.
#[derive(Clone, Debug)]
pub struct CrateFile<'a> {
    /// The file's text.
    pub text: &'a str,
    /// Where the file sits in its package (its target and module path). Without it, the
    /// file is the root module of a library of its own: paths into other files resolve to
    /// nothing, and the analysis stays silent about what it cannot see.
    pub place: Option<ModulePlace>,
    /// The file's path as shown to the user, for notes that name another file.
    pub display: Option<&'a str>,
}

impl<'a> CrateFile<'a> {
    /// A file with this text.
    pub fn new(text: &'a str) -> Self {
        CrateFile {
            text,
            place: None,
            display: None,
        }
    }

    /// The file at `place`, shown as `display`.
    pub fn at(mut self, place: ModulePlace, display: &'a str) -> Self {
        self.place = Some(place);
        self.display = Some(display);
        self
    }
}

/// What the analysis covers.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Analyze test code: `#[cfg(test)]` items and functions with a test attribute
    /// (`#[test]`, `#[tokio::test]`, `#[rstest]`..). Off by default, as in `cargo clippy`
    /// without `--tests`: unread mock bodies in tests cost nothing.
    pub test_code: bool,
    /// The package's dependencies that hand out reqwest values (indexed from their sources).
    /// A built-in table covers `reqwest-middleware` whatever this holds.
    pub dependencies: Vec<ForeignCrate>,
    /// Parse every function body. Off by default: a body that names nothing of reqwest's
    /// is kept as text until the crate shows it may matter (`model::lazy`), which gives
    /// the same findings for a fraction of the parsing. Tests compare the two.
    pub eager_bodies: bool,
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

fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.lint.name, &a.message).cmp(&(b.span.start, b.lint.name, &b.message))
    });
    diagnostics.dedup_by(|a, b| a.span == b.span && a.lint == b.lint);
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

//! The driver. A package's files are shared out among worker threads; each worker parses its
//! files once and keeps their syntax trees for the whole run (proc-macro2's spans belong to
//! the thread that parsed them). The coordinator joins the workers' outlines into the crate
//! map, then runs rounds: the workers analyze functions and return their summaries, and the
//! functions whose callees' summaries grew are analyzed again, until nothing changes. Last,
//! the workers run the lints on their files and the coordinator the whole-crate lints.
//!
//! Nothing panics out of here: a panic while a file is parsed or analyzed becomes an internal
//! error for that file, and the others are still analyzed; a panic of the coordinator (the
//! crate map, the rounds) becomes an internal error for every file of the crate.

use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, ParseError, Position, Span};
use crate::flow::{self, CrateFacts, FileContext, FnFacts, Summary};
use crate::model::crate_map::{self, CrateMap, FileOutline, FnId, FnRef};
use crate::model::delimiters;
use crate::model::foreign::{self, ForeignCrate};
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

const INTERNAL_CRATE_ERROR: &str =
    "internal error: reqleak's analyzer panicked on this crate; please report it with the crate attached";

const INTERNAL_ERROR: &str =
    "internal error: reqleak's analyzer panicked on this file; please report it with the file attached";

/// Analyzes the files of one package together; see [`crate::analyze_crate`].
pub fn analyze_crate(
    files: &[CrateFile<'_>],
    options: &Options,
) -> Vec<Result<Vec<Diagnostic>, ParseError>> {
    if files.is_empty() {
        return Vec::new();
    }
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, files.len());
    let shards = shard(files, workers);
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
            let spawned = std::thread::Builder::new()
                .name(format!("reqleak-analyzer-{worker}"))
                .stack_size(ANALYZER_STACK)
                .spawn_scoped(scope, {
                    let shard = shard.clone();
                    move || run_worker(worker, files, places, &shard, options, command_rx, reply)
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
        // A panic of the coordinator (outside every file's guard) fails the whole crate;
        // dropping the commands then ends the workers.
        let mut results = panic::catch_unwind(AssertUnwindSafe(|| {
            coordinate(files, &places, &shards, &commands, &reply_rx)
        }))
        .unwrap_or_else(|_| {
            files
                .iter()
                .map(|_| Err(internal_error(INTERNAL_CRATE_ERROR)))
                .collect()
        });
        drop(commands);
        for index in spawn_failed {
            results[index] = Err(internal_error(
                "internal error: reqleak could not start an analyzer thread",
            ));
        }
        results
    })
}

/// Shares files out by size, largest first, each to the least loaded worker.
fn shard(files: &[CrateFile<'_>], workers: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(files[index].text.len()));
    let mut shards = vec![Vec::new(); workers];
    let mut loads = vec![0usize; workers];
    for index in order {
        let least = (0..workers).min_by_key(|&w| loads[w]).unwrap_or(0);
        loads[least] += files[index].text.len() + 1;
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
    /// Run the lints and hand back each file's findings.
    Finish(Arc<RoundContext>),
}

/// What every worker shares in a round.
struct RoundContext {
    crate_map: Arc<CrateMap>,
    summaries: Vec<Summary>,
    mentions_reqwest: bool,
}

/// What a worker tells the coordinator.
enum Reply {
    /// Each file's outline (`None` when it did not parse or panicked).
    Outlines(Vec<(usize, Option<FileOutline>)>),
    /// The functions analyzed in a round.
    Analyzed(Vec<FnResult>),
    /// Each file's findings.
    Done(Vec<(usize, Result<Vec<Diagnostic>, ParseError>)>),
    /// The worker panicked outside a file's guard: its files are internal errors.
    Failed(usize),
}

/// One function's analysis, as the coordinator needs it.
struct FnResult {
    id: FnId,
    summary: Summary,
    facts: FnFacts,
}

fn coordinate(
    files: &[CrateFile<'_>],
    places: &[ModulePlace],
    shards: &[Vec<usize>],
    commands: &[Option<mpsc::Sender<Command>>],
    replies: &mpsc::Receiver<Reply>,
) -> Vec<Result<Vec<Diagnostic>, ParseError>> {
    let mut results: Vec<Result<Vec<Diagnostic>, ParseError>> =
        files.iter().map(|_| Ok(Vec::new())).collect();
    let mut alive: Vec<bool> = commands.iter().map(Option::is_some).collect();
    let mut failed_workers = Vec::new();

    // Outlines.
    let mut outlines: Vec<Option<FileOutline>> = files.iter().map(|_| None).collect();
    for reply in gather(replies, &alive) {
        match reply {
            Reply::Outlines(found) => {
                for (index, outline) in found {
                    outlines[index] = outline;
                }
            }
            Reply::Failed(worker) => failed_workers.push(worker),
            _ => {}
        }
    }
    for worker in failed_workers.drain(..) {
        alive[worker] = false;
    }
    let inputs: Vec<(ModulePlace, Option<&FileOutline>)> = places
        .iter()
        .cloned()
        .zip(outlines.iter().map(Option::as_ref))
        .collect();
    let crate_map = Arc::new(CrateMap::build(&inputs));
    let mentions_reqwest = files.iter().any(|file| file.text.contains("reqwest"));
    let mut summaries: Vec<Summary> = crate_map
        .fns
        .iter()
        .map(|def| Summary::declared(def.outline.declared, def.outline.params.len()))
        .collect();
    let mut fn_facts: Vec<FnFacts> = vec![FnFacts::default(); crate_map.fns.len()];
    let mut callers: HashMap<FnId, HashSet<FnId>> = HashMap::new();
    let context = |summaries: &[Summary]| {
        Arc::new(RoundContext {
            crate_map: Arc::clone(&crate_map),
            summaries: summaries.to_vec(),
            mentions_reqwest,
        })
    };

    // Summary rounds, to a fixpoint.
    let mut only: Option<Arc<HashSet<FnId>>> = None;
    for _ in 0..=MAX_ROUNDS {
        let round = context(&summaries);
        broadcast(commands, &alive, || {
            Command::Round(Arc::clone(&round), only.clone())
        });
        let mut changed = Vec::new();
        for reply in gather(replies, &alive) {
            match reply {
                Reply::Analyzed(found) => {
                    for result in found {
                        let mut grown = summaries[result.id].clone();
                        grown.grow(&result.summary);
                        if grown != summaries[result.id] {
                            summaries[result.id] = grown;
                            changed.push(result.id);
                        }
                        for call in &result.facts.calls {
                            callers.entry(call.callee).or_default().insert(result.id);
                        }
                        fn_facts[result.id] = result.facts;
                    }
                }
                Reply::Failed(worker) => failed_workers.push(worker),
                _ => {}
            }
        }
        for worker in failed_workers.drain(..) {
            alive[worker] = false;
        }
        if changed.is_empty() {
            break;
        }
        let dirty: HashSet<FnId> = changed
            .iter()
            .flat_map(|id| callers.get(id).into_iter().flatten().copied())
            .collect();
        if dirty.is_empty() {
            break;
        }
        only = Some(Arc::new(dirty));
    }

    // The whole-crate lints.
    let paths: Vec<Option<String>> = files.iter().map(|f| f.display.map(str::to_owned)).collect();
    let crate_facts = CrateFacts {
        crate_map: &crate_map,
        summaries: &summaries,
        fns: &fn_facts,
        paths: &paths,
    };
    let mut crate_findings: Vec<(usize, Diagnostic)> = Vec::new();
    if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(|| {
        crate::lints::check_crate(&crate_facts, &mut crate_findings)
    })) {
        drop(panic);
        crate_findings.clear();
    }

    // The per-file lints.
    let last = context(&summaries);
    broadcast(commands, &alive, || Command::Finish(Arc::clone(&last)));
    for reply in gather(replies, &alive) {
        match reply {
            Reply::Done(done) => {
                for (index, result) in done {
                    results[index] = result;
                }
            }
            Reply::Failed(worker) => failed_workers.push(worker),
            _ => {}
        }
    }
    for worker in failed_workers.drain(..) {
        alive[worker] = false;
    }
    for (worker, shard) in shards.iter().enumerate() {
        if !alive[worker] {
            for &index in shard {
                results[index] = Err(internal_error(INTERNAL_ERROR));
            }
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
    results
}

/// Sends a command to every live worker.
fn broadcast(
    commands: &[Option<mpsc::Sender<Command>>],
    alive: &[bool],
    command: impl Fn() -> Command,
) {
    for (worker, sender) in commands.iter().enumerate() {
        if let (Some(sender), true) = (sender, alive[worker]) {
            let _ = sender.send(command());
        }
    }
}

/// One reply from every live worker.
fn gather(replies: &mpsc::Receiver<Reply>, alive: &[bool]) -> Vec<Reply> {
    let expected = alive.iter().filter(|a| **a).count();
    let mut gathered = Vec::new();
    while gathered.len() < expected {
        match replies.recv() {
            Ok(reply) => gathered.push(reply),
            Err(_) => break,
        }
    }
    gathered
}

fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.lint.name, &a.message).cmp(&(b.span.start, b.lint.name, &b.message))
    });
    diagnostics.dedup_by(|a, b| a.span == b.span && a.lint == b.lint);
}

/// One worker: parses its files, then answers the coordinator's commands until told to finish.
fn run_worker(
    worker: usize,
    files: &[CrateFile<'_>],
    places: &[ModulePlace],
    shard: &[usize],
    options: &Options,
    commands: mpsc::Receiver<Command>,
    reply: mpsc::Sender<Reply>,
) {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let foreign: Arc<[ForeignCrate]> = foreign::with_builtins(&options.dependencies).into();
        let mut parsed: Vec<ShardFile<'_>> = shard
            .iter()
            .map(|&index| {
                ShardFile::parse(index, files[index].text, &places[index], options, &foreign)
            })
            .collect();
        let outlines = parsed
            .iter_mut()
            .map(|file| (file.index, file.outline.take()))
            .collect();
        let _ = reply.send(Reply::Outlines(outlines));
        while let Ok(command) = commands.recv() {
            match command {
                Command::Round(context, only) => {
                    let mut analyzed = Vec::new();
                    for file in &mut parsed {
                        file.analyze(&context, only.as_deref(), &mut analyzed);
                    }
                    let _ = reply.send(Reply::Analyzed(analyzed));
                }
                Command::Finish(context) => {
                    let done = parsed.iter().map(|file| file.finish(&context)).collect();
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

/// A file a worker owns: its syntax tree, kept for the whole run, and its functions' facts.
struct ShardFile<'a> {
    index: usize,
    map: SourceMap<'a>,
    /// The tree and its names, or why there is none.
    parsed: Result<(syn::File, Names), ParseError>,
    /// The outline, until handed to the coordinator.
    outline: Option<FileOutline>,
    /// The latest facts of each function analyzed.
    facts: HashMap<FnId, flow::Facts>,
}

impl<'a> ShardFile<'a> {
    fn parse(
        index: usize,
        text: &'a str,
        place: &ModulePlace,
        options: &Options,
        foreign: &Arc<[ForeignCrate]>,
    ) -> Self {
        let map = SourceMap::new(text);
        let parsed = guarded(|| parse_file(text, &map, options, Arc::clone(foreign)))
            .unwrap_or_else(|| Err(internal_error(INTERNAL_ERROR)));
        let outline = match &parsed {
            Ok((file, names)) => guarded(|| crate_map::outline(file, names, &map, &place.module)),
            Err(_) => None,
        };
        let parsed = match (parsed, &outline) {
            (Ok(_), None) => Err(internal_error(INTERNAL_ERROR)),
            (parsed, _) => parsed,
        };
        ShardFile {
            index,
            map,
            parsed,
            outline,
            facts: HashMap::new(),
        }
    }

    fn analyze(
        &mut self,
        context: &RoundContext,
        only: Option<&HashSet<FnId>>,
        out: &mut Vec<FnResult>,
    ) {
        let Ok((file, names)) = &self.parsed else {
            return;
        };
        let Some(range) = context.crate_map.file_fns.get(self.index).cloned() else {
            return;
        };
        let cx = FileContext {
            names,
            crate_map: &context.crate_map,
            summaries: &context.summaries,
            map: &self.map,
            mentions_reqwest: context.mentions_reqwest,
        };
        let mut found = Vec::new();
        let walked = guarded(|| {
            let mut visitor = Analyze {
                cx: &cx,
                next: range.start,
                end: range.end,
                only,
                found: &mut found,
            };
            crate_map::visit_fns(file, &mut visitor);
        });
        if walked.is_none() {
            self.parsed = Err(internal_error(INTERNAL_ERROR));
            self.facts.clear();
            return;
        }
        for (id, facts) in found {
            out.push(FnResult {
                id,
                summary: facts.summary.clone(),
                facts: FnFacts {
                    calls: facts.calls.clone(),
                    clients: facts.clients.clone(),
                },
            });
            self.facts.insert(id, facts);
        }
    }

    fn finish(&self, context: &RoundContext) -> (usize, Result<Vec<Diagnostic>, ParseError>) {
        let (file, names) = match &self.parsed {
            Ok(parsed) => parsed,
            Err(error) => return (self.index, Err(error.clone())),
        };
        let linted = guarded(|| {
            let cx = FileContext {
                names,
                crate_map: &context.crate_map,
                summaries: &context.summaries,
                map: &self.map,
                mentions_reqwest: context.mentions_reqwest,
            };
            let mut diagnostics = Vec::new();
            let mut ids: Vec<&FnId> = self.facts.keys().collect();
            ids.sort_unstable();
            for id in ids {
                crate::lints::check_function(&self.facts[id], &mut diagnostics);
            }
            crate::lints::check_file(&cx, file, &mut diagnostics);
            diagnostics
        });
        match linted {
            Some(diagnostics) => (self.index, Ok(diagnostics)),
            None => (self.index, Err(internal_error(INTERNAL_ERROR))),
        }
    }
}

/// Walks a file's functions in [`crate_map::visit_fns`] order and analyzes those asked for.
struct Analyze<'c, 'f, 'o> {
    cx: &'c FileContext<'f>,
    next: FnId,
    end: FnId,
    only: Option<&'o HashSet<FnId>>,
    found: &'o mut Vec<(FnId, flow::Facts)>,
}

impl<'ast> crate_map::FnVisitor<'ast> for Analyze<'_, '_, '_> {
    fn function(&mut self, function: FnRef<'ast>) {
        let id = self.next;
        self.next += 1;
        if id >= self.end || self.only.is_some_and(|only| !only.contains(&id)) {
            return;
        }
        if function.block.is_some() {
            self.found
                .push((id, flow::analyze_fn(self.cx, id, &function)));
        }
    }
}

fn parse_file(
    text: &str,
    map: &SourceMap<'_>,
    options: &Options,
    foreign: Arc<[ForeignCrate]>,
) -> Result<(syn::File, Names), ParseError> {
    crate::nesting::check(text)?;
    let mut file = syn::parse_file(text).map_err(|error| {
        // proc-macro2 cannot split the file into tokens: say why, as rustc does.
        let lexical = text
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
    let names = Names::collect_with(&file, foreign);
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

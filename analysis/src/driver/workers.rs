//! The worker threads: each parses its share of the files once, keeps their trees for the
//! whole run, and answers the coordinator's commands (a round of function analyses, then the
//! lints).
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

use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;

use super::incremental::Stats;
use super::{file_start, guarded, internal_error, CrateFile, Options, INTERNAL_ERROR};
use crate::diagnostic::{Diagnostic, ParseError};
use crate::flow::{self, FileContext, FnFacts, Given, Summaries, Summary};
use crate::lints::{self, Scope};
use crate::model::crate_map::{self, CrateMap, FileOutline, FnId, FnRef};
use crate::model::delimiters;
use crate::model::foreign::ForeignCrate;
use crate::model::lazy::{self, LazyFn, LazyIndex, Vocabulary};
use crate::model::names::Names;
use crate::model::place::ModulePlace;
use crate::model::source_map::SourceMap;
use crate::model::test_code;

/// What the coordinator tells a worker.
pub(super) enum Command {
    /// Analyze the functions in `only` (all when `None`) with these summaries.
    Round(Arc<RoundContext>, Option<Arc<HashSet<FnId>>>),
    /// Run the per-function lints on the functions analyzed, and the per-file lints on the
    /// files in the set (all when `None`), and hand back the findings.
    Finish(Arc<RoundContext>, Option<Arc<HashSet<usize>>>),
}

/// What every worker shares in a round.
pub(super) struct RoundContext {
    pub(super) crate_map: Arc<CrateMap>,
    pub(super) summaries: Vec<Summary>,
    /// What the crate's callers pass to each function.
    pub(super) given: Vec<Given>,
    pub(super) mentions_reqwest: bool,
    /// What tells whether a blanked body must be parsed.
    pub(super) lazy: Arc<LazyIndex>,
    /// Functions whose bodies an analysis asked for ([`FnResult::wanted`]): parsed even when
    /// blanked.
    pub(super) wanted: HashSet<FnId>,
}

impl RoundContext {
    /// What the analysis of a file with `names` and `map` works with, in this round.
    pub(super) fn file<'a>(&'a self, names: &'a Names, map: &'a SourceMap<'a>) -> FileContext<'a> {
        FileContext {
            names,
            crate_map: &self.crate_map,
            summaries: Summaries::new(&self.summaries),
            map,
            mentions_reqwest: self.mentions_reqwest,
            wanted: &self.wanted,
            given: &self.given,
        }
    }
}

/// What a worker tells the coordinator.
pub(super) enum Reply {
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
pub(super) struct FnResult {
    pub(super) id: FnId,
    pub(super) summary: Summary,
    pub(super) facts: FnFacts,
    /// The summaries the analysis read.
    pub(super) reads: Vec<FnId>,
    /// Answered without parsing the body: nothing in it can matter.
    pub(super) unparsed: bool,
    /// Functions whose bodies the analysis wants read ([`flow::Facts::wanted`]).
    pub(super) wanted: Vec<FnId>,
}

/// What a worker hands back about one file at the end.
pub(super) struct FileDone {
    pub(super) index: usize,
    /// Why the file has no findings (it does not parse, or the analyzer failed on it).
    pub(super) error: Option<ParseError>,
    /// The per-function lints' findings, for each function analyzed in this run.
    pub(super) fns: Vec<(FnId, Vec<Diagnostic>)>,
    /// The per-file lints' findings and the summaries they read, if they were run.
    pub(super) lints: Option<(Vec<Diagnostic>, Vec<FnId>)>,
}

/// The coordinator's end of the workers.
pub(super) struct Crew<'s> {
    pub(super) stats: Stats,
    pub(super) commands: Vec<Option<mpsc::Sender<Command>>>,
    pub(super) replies: mpsc::Receiver<Reply>,
    pub(super) alive: Vec<bool>,
    pub(super) shards: &'s [Vec<usize>],
}

impl Crew<'_> {
    /// Sends a command to every live worker and collects one reply from each; a worker that
    /// failed is not asked again.
    pub(super) fn exchange(&mut self, command: impl Fn() -> Command) -> Vec<Reply> {
        for (worker, sender) in self.commands.iter().enumerate() {
            if let (Some(sender), true) = (sender, self.alive[worker]) {
                let _ = sender.send(command());
            }
        }
        self.collect()
    }

    /// One reply from every live worker.
    pub(super) fn collect(&mut self) -> Vec<Reply> {
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
    pub(super) fn outlines(&mut self) -> Vec<(usize, Result<FileOutline, ParseError>)> {
        let mut found = Vec::new();
        for reply in self.collect() {
            if let Reply::Outlines(outlines) = reply {
                found.extend(outlines);
            }
        }
        found
    }

    /// Analyzes the functions in `only` (all when `None`).
    pub(super) fn round(
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
    pub(super) fn finish(
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
    pub(super) fn all_alive(&self) -> bool {
        self.alive
            .iter()
            .zip(&self.commands)
            .all(|(alive, sender)| *alive || sender.is_none())
    }
}

/// What a worker works from.
pub(super) struct WorkerInput<'i, 'f> {
    pub(super) files: &'i [CrateFile<'f>],
    pub(super) places: &'i [ModulePlace],
    pub(super) shard: &'i [usize],
    /// The files to parse at the start (the others, when something in them is analyzed).
    pub(super) eager: &'i [bool],
    pub(super) options: &'i Options,
    pub(super) foreign: &'i Arc<[ForeignCrate]>,
    pub(super) vocabulary: &'i Vocabulary,
}

/// One worker: parses its files, then answers the coordinator's commands until told to finish.
pub(super) fn run_worker(
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
pub(super) struct ShardFile<'a> {
    pub(super) index: usize,
    pub(super) text: &'a str,
    /// Its source map, and its tree and names or why there is none; `None` until parsed.
    pub(super) parsed: Option<Parsed<'a>>,
    /// The latest facts of each function analyzed.
    pub(super) facts: HashMap<FnId, flow::Facts>,
    /// The functions (by where their names start) whose bodies a round found it must read:
    /// never blanked again.
    pub(super) kept: HashSet<usize>,
}

/// A parsed file.
pub(super) struct Parsed<'a> {
    pub(super) map: SourceMap<'a>,
    /// The tree and its names, or why there is none.
    pub(super) tree: Result<(syn::File, Names), ParseError>,
    /// The outline (`None` when there is no tree, or outlining panicked, or once handed to
    /// the coordinator).
    pub(super) outline: Option<FileOutline>,
    /// The functions whose bodies the tree lacks, by where their names start.
    pub(super) blanked: HashMap<usize, LazyFn>,
}

impl<'a> ShardFile<'a> {
    /// Parses the file, blanking the bodies that cannot matter but those in `kept`.
    pub(super) fn parse(&mut self, input: &WorkerInput<'_, '_>) {
        let plan = self.plan(input);
        self.parse_planned(input, plan);
    }

    /// Which bodies to blank (none when every body is to be parsed).
    pub(super) fn plan(&self, input: &WorkerInput<'_, '_>) -> Option<lazy::Plan> {
        if input.options.eager_bodies {
            return None;
        }
        let (text, kept) = (self.text, &self.kept);
        guarded(|| lazy::plan(text, input.vocabulary, kept)).flatten()
    }

    /// Parses the file as `plan` says; the outline is the first parse's (blanked bodies
    /// change no declaration).
    pub(super) fn parse_planned(&mut self, input: &WorkerInput<'_, '_>, plan: Option<lazy::Plan>) {
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
        let misread = || {
            let Ok((file, _)) = &tree else {
                return false;
            };
            let position = |span: proc_macro2::Span| map.span(span).start.byte;
            guarded(|| !lazy::bodies_in_place(file, &blanked, &position)).unwrap_or(true)
        };
        if planned && (tree.as_ref().is_err_and(|error| !error.internal) || misread()) {
            // Whatever is wrong, the whole text says it, as an eager run would. And a body
            // the scan did not find where the tree has it cannot be blanked or restored
            // safely: the whole text then too.
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
    pub(super) fn take_outline(&mut self) -> Result<FileOutline, ParseError> {
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

    pub(super) fn analyze(
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
    pub(super) fn answer_without_parsing(
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
                wanted: Vec::new(),
            });
            self.facts.insert(id, facts);
        }
        Ok(())
    }

    /// Parses the blanked bodies of `functions` (by where their names start) and puts them
    /// in the tree; false when that could not be done (the file is then parsed again).
    pub(super) fn restore(&mut self, functions: &[(FnId, usize)]) -> bool {
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
    pub(super) fn walk(
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
                    passes: facts.passes.clone(),
                    responses_per_item: facts
                        .tracked
                        .iter()
                        .filter(|tracked| tracked.per_item)
                        .map(|tracked| tracked.span)
                        .collect(),
                },
                reads,
                unparsed,
                wanted: facts.wanted.clone(),
            });
            self.facts.insert(id, facts);
        }
        true
    }

    /// The findings of the functions analyzed in this run, and of the per-file lints when
    /// `lint`; `None` when there is nothing to say about this file.
    pub(super) fn finish(&self, context: &RoundContext, lint: bool) -> Option<FileDone> {
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
                .map(|id| (*id, run_lints(Scope::Function(self.index, &self.facts[id]))))
                .collect();
            let lints = lint.then(|| {
                let cx = context.file(names, &parsed.map);
                let diagnostics = run_lints(Scope::File(self.index, &cx, file));
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

/// The findings of the lints that read `scope`, one function or one file.
pub(super) fn run_lints(scope: Scope<'_, '_>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    lints::run(scope, &mut found);
    found
        .into_iter()
        .map(|(_, diagnostic)| diagnostic)
        .collect()
}

/// Walks a file's functions in [`crate_map::visit_fns`] order and analyzes those asked for.
pub(super) struct Analyze<'c, 'f, 'o> {
    pub(super) cx: &'c FileContext<'f>,
    pub(super) context: &'c RoundContext,
    pub(super) blanked: &'c HashMap<usize, LazyFn>,
    pub(super) next: FnId,
    pub(super) end: FnId,
    pub(super) only: Option<&'o HashSet<FnId>>,
    pub(super) found: &'o mut Vec<(FnId, flow::Facts, Vec<FnId>, bool)>,
    pub(super) unblank: &'o mut Vec<(FnId, usize)>,
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
pub(super) fn unparsed_answer(
    context: &RoundContext,
    id: FnId,
    function: &LazyFn,
) -> Option<(flow::Facts, Vec<FnId>)> {
    let lazy = &context.lazy;
    // Its own summary is what its signature declares, which `needs` reads anyway.
    let mut candidates = lazy.candidates(function);
    candidates.retain(|&callee| callee != id);
    let map = &context.crate_map;
    if context.wanted.contains(&id)
        || lazy.needs(map, id, function, &candidates, &context.summaries)
    {
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
pub(super) fn parse_file(
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
    crate::model::cfg_if::expand(&mut file);
    if !options.test_code {
        test_code::strip(&mut file);
    }
    let names = Names::collect_with(&file, Arc::clone(foreign));
    Ok((file, names))
}

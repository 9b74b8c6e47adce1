//! The coordinator's side of a run: the crate map from the workers' outlines, the rounds of
//! function analyses up to a fixpoint, and each file's findings gathered at the end.

use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;

use super::incremental::{incremental, outline_hash, FileState, Fingerprint, FnState, State, Warm};
use super::workers::{Crew, FnResult, RoundContext};
use super::{internal_error, sort, CrateFile, FileResult, INTERNAL_ERROR};
use crate::diagnostic::{Diagnostic, ParseError};
use crate::flow::{given_of, CrateFacts, FnFacts, Given, Summary};
use crate::lints::{self, Scope};
use crate::model::crate_map::{CrateMap, FileOutline, FnId};
use crate::model::lazy::{LazyIndex, Vocabulary};
use crate::model::place::ModulePlace;

/// Summary rounds beyond the first; summaries only grow, so rounds end anyway, and this bounds
/// the work on pathological call graphs.
pub(super) const MAX_ROUNDS: usize = 12;

/// What the coordinator works from.
pub(super) struct Inputs<'i, 'f> {
    /// The names that keep a body unblanked, the workers' too.
    pub(super) vocabulary: &'i Vocabulary,
    pub(super) files: &'i [CrateFile<'f>],
    pub(super) places: &'i [ModulePlace],
    /// Each file's previous state, when its key is unchanged.
    pub(super) cached: &'i [Option<&'i FileState>],
    pub(super) warm: Option<&'i Warm<'i, 'i>>,
}

/// The whole crate's analysis as the coordinator builds it.
pub(super) struct Analysis {
    pub(super) crate_map: Arc<CrateMap>,
    pub(super) lazy: Arc<LazyIndex>,
    pub(super) mentions_reqwest: bool,
    pub(super) summaries: Vec<Summary>,
    /// What the crate's callers pass to each function, from the facts of the latest round.
    pub(super) given: Vec<Given>,
    pub(super) facts: Vec<FnFacts>,
    /// What each function's analyses read (the previous run's, until analyzed again).
    pub(super) reads: Vec<Vec<FnId>>,
    /// Functions analyzed in this run.
    pub(super) analyzed: Vec<bool>,
    /// Whose latest answer came without parsing the body ([`FnResult::unparsed`]).
    pub(super) unparsed: Vec<bool>,
    /// Functions whose bodies an analysis of this run asked for ([`FnResult::wanted`]).
    pub(super) wanted: HashSet<FnId>,
}

impl Analysis {
    pub(super) fn context(&self) -> Arc<RoundContext> {
        Arc::new(RoundContext {
            crate_map: Arc::clone(&self.crate_map),
            summaries: self.summaries.clone(),
            given: self.given.clone(),
            mentions_reqwest: self.mentions_reqwest,
            lazy: Arc::clone(&self.lazy),
            wanted: self.wanted.clone(),
        })
    }

    pub(super) fn declared(&self, id: FnId) -> Summary {
        let outline = &self.crate_map.fns[id].outline;
        Summary::declared(outline.declared, outline.params.len())
    }

    /// What function `id` read that orders a warm run's components: nothing for an answer
    /// given without the body, which only depends on what it read being empty (checked
    /// after the pass).
    pub(super) fn component_reads(&self, id: FnId) -> &[FnId] {
        match self.unparsed[id] {
            true => &[],
            false => &self.reads[id],
        }
    }

    /// Records an analysis: its facts, and what it read (added to what this run's earlier
    /// analyses of the function read).
    pub(super) fn record(&mut self, result: &mut FnResult) {
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
    pub(super) fn rounds(&mut self, crew: &mut Crew<'_>, region: Option<&HashSet<FnId>>) {
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
            let mut asked = Vec::new();
            for mut result in crew.round(&context, only.as_ref()) {
                // How a function waits is said only of the bodies asked for, so that it does
                // not depend on whether the lazy parse read a body nobody asked for.
                if !context.wanted.contains(&result.id) {
                    result.summary.waits_locally = false;
                }
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
                // A body asked for is analyzed in the next round, and what it finds goes
                // back to the function that asked.
                for &wanted in &result.wanted {
                    readers.entry(wanted).or_default().insert(result.id);
                    if self.wanted.insert(wanted) {
                        asked.push(wanted);
                    }
                }
                self.record(&mut result);
            }
            let mut dirty: HashSet<FnId> = changed
                .iter()
                .flat_map(|id| readers.get(id).into_iter().flatten().copied())
                .collect();
            dirty.extend(asked.drain(..));
            // What callers pass flows the other way: a function whose callers now pass
            // something else is analyzed again. A warm run keeps it fixed and checks it after.
            if region.is_none() {
                let given = given_of(&self.crate_map, &self.facts);
                for (id, (now, before)) in given.iter().zip(&self.given).enumerate() {
                    if now != before {
                        dirty.insert(id);
                    }
                }
                self.given = given;
            }
            if dirty.is_empty() {
                break;
            }
            only = Some(Arc::new(dirty));
        }
    }
}

pub(super) fn coordinate(
    inputs: &Inputs<'_, '_>,
    crew: &mut Crew<'_>,
) -> (Vec<FileResult>, Option<State>) {
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
        given: vec![Given::new(); fn_count],
        facts: vec![FnFacts::default(); fn_count],
        reads: vec![Vec::new(); fn_count],
        analyzed: vec![false; fn_count],
        unparsed: vec![false; fn_count],
        wanted: HashSet::new(),
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
                    analysis.given = vec![Given::new(); fn_count];
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
    // Responses of one-shot code (a `main`, what only it calls, once) cost one connection
    // right before the process exits: the response lints stay silent there, and a client
    // built there is no pool per call.
    let one_shot = crate::flow::one_shot::one_shot_fns(&analysis.crate_map, &analysis.facts);
    let crate_facts = CrateFacts {
        crate_map: &analysis.crate_map,
        summaries: &analysis.summaries,
        fns: &analysis.facts,
        paths: &paths,
        one_shot: &one_shot,
    };
    let mut crate_findings: Vec<(usize, Diagnostic)> = Vec::new();
    if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(|| {
        lints::run(Scope::Crate(&crate_facts), &mut crate_findings)
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
            // A response made once per round of a loop costs a connection per round there.
            let silenced = |d: &Diagnostic| {
                one_shot.get(id).copied().unwrap_or(false)
                    && lints::SILENT_IN_ONE_SHOT.contains(&d.lint.name)
                    && !analysis.facts[id].responses_per_item.contains(&d.span)
            };
            diagnostics.extend(found.iter().filter(|d| !silenced(d)).cloned());
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

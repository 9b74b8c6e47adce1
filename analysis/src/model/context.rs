//! What the analysis of one file works with: the file's reqwest names and source map, and the
//! package's functions with what each does so far.

use super::crate_map::CrateMap;
use super::names::Names;
use super::source_map::SourceMap;
use super::summary::{Given, Summaries};

/// What every function of a file shares: its names, the crate, its source map.
pub struct FileContext<'a> {
    /// reqwest names in scope.
    pub names: &'a Names,
    /// The package's functions and scopes.
    pub crate_map: &'a CrateMap,
    /// What each function of the package does, so far (the flow engine's summaries, each
    /// read recorded).
    pub summaries: Summaries<'a>,
    /// Positions.
    pub map: &'a SourceMap<'a>,
    /// Some file of the package names reqwest: request-builder chains are reqwest's.
    pub mentions_reqwest: bool,
    /// Functions whose bodies an analysis asked for, to learn how they wait: theirs ask in
    /// turn for the functions they await.
    pub wanted: &'a std::collections::HashSet<crate::model::crate_map::FnId>,
    /// What the crate's callers pass to each function (by [`super::crate_map::FnId`]), so far;
    /// empty where nothing is known.
    pub given: &'a [Given],
}

//! Lint metadata: the catalogue entry every lint module declares beside its check.

use std::fmt;

/// How a finding is reported: not at all, as a warning, or as an error that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning; the exit status stays 0.
    Warn,
    /// Reported as an error; the exit status becomes 1.
    Deny,
    /// Like [`Level::Deny`], and nothing set later (a flag, a `Cargo.toml` table, a
    /// suppression comment) can lower it.
    Forbid,
}

impl Level {
    /// The spelling used on the command line and in `Cargo.toml` (`allow`, `warn`, `deny`,
    /// `forbid`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
            Level::Forbid => "forbid",
        }
    }

    /// Parses `allow`, `warn`, `deny` or `forbid`.
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            "forbid" => Some(Level::Forbid),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The lint groups, usable wherever a lint name is (`-W pedantic`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// Code that is certainly wrong: a response that is never released.
    Correctness,
    /// Code that is most likely wrong.
    Suspicious,
    /// Code that wastes connections or pools.
    Perf,
    /// Stricter checks that are off by default.
    Pedantic,
}

impl Group {
    /// Every group, in catalogue order.
    pub const ALL: [Group; 4] = [
        Group::Correctness,
        Group::Suspicious,
        Group::Perf,
        Group::Pedantic,
    ];

    /// The group's name as written on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Correctness => "correctness",
            Group::Suspicious => "suspicious",
            Group::Perf => "perf",
            Group::Pedantic => "pedantic",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What reports a lint's findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reporter {
    /// The analyzer ([`crate::analyze_crate`]), from the source.
    Analyzer,
    /// `cargo reqleak` itself, once the analysis is done: the analyzer never reports these
    /// (`unused_suppression` is about the suppression comments the front-end applies).
    FrontEnd,
}

/// One entry of the lint catalogue.
#[derive(Debug)]
pub struct Lint {
    /// The lint's name, `snake_case`, without the `reqleak::` prefix.
    pub name: &'static str,
    /// The level it has unless configured otherwise.
    pub default_level: Level,
    /// The group it belongs to.
    pub group: Group,
    /// The analyzer, or the front-end.
    pub reporter: Reporter,
    /// One line: what it flags.
    pub summary: &'static str,
    /// The `help:` text attached to its diagnostics: how to fix it.
    pub help: &'static str,
    /// The full documentation in clippy's form (What it does / Why is this bad / Example /
    /// Use instead), as Markdown; printed by `--explain` and gathered in `docs/lints.md`.
    pub explanation: &'static str,
}

impl Lint {
    /// The lint's code as it appears in diagnostics: `reqleak::NAME`.
    pub fn code(&self) -> String {
        format!("reqleak::{}", self.name)
    }
}

impl PartialEq for Lint {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for Lint {}

//! What a check reports.

use std::backtrace::Backtrace;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;

/// Where a response was created: `file:line:column` and the enclosing function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Site {
    /// The source file, as `file!()` gives it.
    pub file: &'static str,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The function (`module::path::name`), or `"?"` when unknown.
    pub function: &'static str,
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The state of a reported response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseState {
    /// Alive, no byte of its body read.
    Unread,
    /// Alive, its body partly read (async responses only: a `chunk()` loop left early).
    PartlyRead {
        /// Bytes of the body read so far.
        bytes_read: u64,
    },
    /// Passed to `std::mem::forget` in a checked function: never released for the life of the process.
    Forgotten,
    /// `strict` only: released, but its body was dropped before its end (async responses only).
    DroppedUnread {
        /// Bytes of the body read before it was dropped.
        bytes_read: u64,
        /// The `Content-Length` of the response, if known.
        content_length: Option<u64>,
    },
}

impl fmt::Display for ResponseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ResponseState::Unread => f.write_str("unread"),
            ResponseState::PartlyRead { bytes_read } => {
                write!(f, "partly read, {bytes_read} bytes")
            }
            ResponseState::Forgotten => f.write_str("forgotten"),
            ResponseState::DroppedUnread {
                bytes_read,
                content_length,
            } => {
                write!(f, "dropped unread, {bytes_read}")?;
                if let Some(len) = content_length {
                    write!(f, " of {len}")?;
                }
                f.write_str(" bytes read")
            }
        }
    }
}

/// One response in a [`LeakReport`] (or in [`crate::live()`]).
#[derive(Debug, Clone)]
pub struct LeakedResponse {
    /// The final URL of the response.
    pub url: String,
    /// Its status.
    pub status: StatusCode,
    /// Where it was created.
    pub site: Site,
    /// How long it had lived when the report was made.
    pub age: Duration,
    /// Its state.
    pub state: ResponseState,
    /// The backtrace of its creation, when `REQLEAK_BACKTRACE=1` was set.
    pub backtrace: Option<Arc<Backtrace>>,
}

/// A response of a reqwest version this build of reqleak does not track (or a blocking response
/// without the `blocking` feature): it went through an instrumented source untracked, so the
/// check fails rather than pass silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntrackedResponse {
    /// Its type, as `std::any::type_name` gives it.
    pub type_name: &'static str,
    /// Where it was created.
    pub site: Site,
    /// What to enable (the feature of `reqleak`).
    pub help: &'static str,
}

/// The responses a checked function (or a [`crate::Scope`]) did not release.
#[derive(Debug, Clone)]
pub struct LeakReport {
    /// The checked function or scope name.
    pub function: &'static str,
    /// Whether the check was `strict`.
    pub strict: bool,
    /// Whether the function panicked (the report is then printed, never raised).
    pub panicked: bool,
    /// The offending responses, in creation order (strict `DroppedUnread` ones last).
    pub responses: Vec<LeakedResponse>,
    /// Responses that could not be tracked (a reqwest version this build does not track).
    pub untracked: Vec<UntrackedResponse>,
}

impl LeakReport {
    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.responses.is_empty() && self.untracked.is_empty()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl fmt::Display for LeakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.responses.len();
        let held = self
            .responses
            .iter()
            .filter(|r| !matches!(r.state, ResponseState::DroppedUnread { .. }))
            .count();
        let unread = n - held;
        write!(f, "reqleak: `{}`", self.function)?;
        if self.panicked {
            f.write_str(" panicked and")?;
        }
        if held > 0 {
            write!(f, " left {held} response{} unreleased", plural(held))?;
        }
        if unread > 0 {
            if held > 0 {
                f.write_str(" and")?;
            }
            write!(
                f,
                " dropped {unread} response body{} unread (strict)",
                if unread == 1 { "" } else { "ies" }
            )?;
        }
        let untracked = self.untracked.len();
        if untracked > 0 {
            if n > 0 {
                f.write_str(" and")?;
            }
            write!(
                f,
                " could not track {untracked} response{}",
                plural(untracked)
            )?;
        }
        writeln!(f)?;
        for (i, r) in self.responses.iter().enumerate() {
            writeln!(
                f,
                "  {}. {} {} ({}, alive {:.1?})",
                i + 1,
                r.status,
                r.url,
                r.state,
                r.age
            )?;
            writeln!(f, "     created at {} in {}", r.site, r.site.function)?;
            if let Some(bt) = &r.backtrace {
                writeln!(f, "     backtrace of its creation:")?;
                for line in bt.to_string().lines() {
                    writeln!(f, "       {line}")?;
                }
            }
        }
        if held > 0 {
            writeln!(
                f,
                "  = note: an unreleased response keeps its pooled connection checked out for as long as it lives"
            )?;
            writeln!(
                f,
                "  = help: read each body (`bytes()`, `text()`, `json()`, a `chunk()` loop) or drop the response before returning; return it to hand it to the caller"
            )?;
        }
        if unread > 0 {
            writeln!(
                f,
                "  = note: a body dropped before its end may cost the HTTP/1.1 connection (hyper closes it instead of pooling it)"
            )?;
            writeln!(
                f,
                "  = help: read the body to its end (`bytes()`, `text()`, `json()`, a `chunk()` loop until `None`), or `drop(resp)` on purpose once you only need the status"
            )?;
        }
        for u in &self.untracked {
            writeln!(
                f,
                "  - untracked `{}` created at {} in {}",
                u.type_name, u.site, u.site.function
            )?;
        }
        let mut helps: Vec<&str> = self.untracked.iter().map(|u| u.help).collect();
        helps.sort_unstable();
        helps.dedup();
        for help in helps {
            writeln!(f, "  = help: {help}")?;
        }
        if n > 0 && self.responses.iter().all(|r| r.backtrace.is_none()) {
            writeln!(
                f,
                "  = note: run with `REQLEAK_BACKTRACE=1` for the backtrace of each creation"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for LeakReport {}

//! `REQLEAK_LOG=checks`: one line per check when it ends, saying what it saw, so that a check that
//! saw nothing (its requests went through code without the attribute) is told apart from a clean
//! one.
//!
//! The lines go to stderr, or, with `REQLEAK_LOG_FILE=<path>`, are appended to that file (one
//! `write` per line, so that test processes running at once do not interleave; a test harness
//! that captures output does not hide them).

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::OnceLock;

use crate::registry::Closed;

/// Whether `REQLEAK_LOG` names `checks` (a comma-separated list; `all` too).
pub(crate) fn checks_enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var("REQLEAK_LOG").is_ok_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|w| w.eq_ignore_ascii_case("checks") || w.eq_ignore_ascii_case("all"))
        })
    })
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The line of a check (or a [`crate::Scope`]) named `name` that ended with `closed`.
pub(crate) fn check_line(name: &str, closed: &Closed) -> String {
    let seen = closed.seen;
    let clients = format!("{} client{} built", seen.clients, plural(seen.clients));
    let mut line = format!("reqleak: check `{name}` ended: ");
    let untracked = closed.untracked.len();
    if seen.created == 0 && untracked > 0 {
        let _ = write!(
            line,
            "no tracked response, {untracked} untracked (see the report); {clients}"
        );
        return line;
    }
    if seen.created == 0 {
        let _ = write!(line, "saw no response ({clients}): ");
        line.push_str(
            "nothing was checked; if its requests go through a client of its own, put `#[reqleak::check]` on that client's `impl` (or its `mod`), or wrap its responses in `reqleak::track(..)`",
        );
        return line;
    }
    let left = closed
        .responses
        .iter()
        .filter(|r| !matches!(r.state, crate::ResponseState::DroppedUnread { .. }))
        .count() as u64;
    let handed = u64::from(closed.handed);
    let released = seen.created.saturating_sub(left + handed);
    let _ = write!(
        line,
        "{} response{} (created {}, released {}, consumed {}",
        seen.created,
        plural(seen.created),
        seen.created,
        released,
        seen.consumed
    );
    if handed > 0 {
        line.push_str(", handed to the caller 1");
    }
    if left > 0 {
        let _ = write!(line, ", unreleased {left}");
    }
    if untracked > 0 {
        let _ = write!(line, ", untracked {untracked}");
    }
    let _ = write!(line, "); {clients}");
    line
}

/// Prints the line of a check that ended, if `REQLEAK_LOG=checks`.
pub(crate) fn check_ended(name: &str, closed: &Closed) {
    if !checks_enabled() {
        return;
    }
    let mut line = check_line(name, closed);
    line.push('\n');
    match std::env::var_os("REQLEAK_LOG_FILE") {
        Some(path) if !path.is_empty() => {
            let written = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(line.as_bytes()));
            if let Err(e) = written {
                eprint!("reqleak: cannot append to REQLEAK_LOG_FILE ({e}): {line}");
            }
        }
        _ => eprint!("{line}"),
    }
}

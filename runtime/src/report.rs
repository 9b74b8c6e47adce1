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

/// A response body read whole (`bytes()`, `text()`, `json()`) past the check's `max_body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OversizedBody {
    /// The final URL of the response.
    pub url: String,
    /// The size of its body, in bytes (as read: after decompression).
    pub bytes: u64,
    /// The limit it passed.
    pub limit: u64,
    /// Where the whole-body read was called.
    pub read_at: Site,
    /// Where the response was created.
    pub created_at: Site,
}

/// A site of instrumented code that built a new client for about every request of a check
/// (`#[reqleak::check(pool)]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPerRequest {
    /// Where the clients were built (`Client::new()`, `Client::builder()..build()`,
    /// `reqwest::get`).
    pub site: Site,
    /// How many clients it built.
    pub clients: u64,
    /// How many requests went to `origin` while the check ran.
    pub requests: u64,
    /// `host:port` of those requests.
    pub origin: String,
}

/// Parses a size: a whole number with an optional unit, `B`, `KB`/`MB`/`GB` (powers of 1000) or
/// `KiB`/`MiB`/`GiB` (powers of 1024), case-insensitive, with or without a space; above zero.
pub(crate) fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..digits].parse().ok()?;
    let factor: u64 = match text[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "mb" => 1000 * 1000,
        "gb" => 1000 * 1000 * 1000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(factor).filter(|&n| n > 0)
}

/// A size as the user would write it: `8 MiB` when it is a whole number of MiB (or KiB, GiB),
/// else bytes.
pub(crate) fn format_size(n: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if n >= size && n % size == 0 {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} bytes")
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
    /// Bodies read whole past the check's `max_body`.
    pub oversized: Vec<OversizedBody>,
    /// Sites that built a client per request (`pool`).
    pub per_request: Vec<ClientPerRequest>,
}

impl LeakReport {
    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.responses.is_empty()
            && self.untracked.is_empty()
            && self.oversized.is_empty()
            && self.per_request.is_empty()
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
        let oversized = self.oversized.len();
        if oversized > 0 {
            if n + untracked > 0 {
                f.write_str(" and")?;
            }
            write!(
                f,
                " read {oversized} response bod{} whole past the limit of {}",
                if oversized == 1 { "y" } else { "ies" },
                format_size(self.oversized[0].limit)
            )?;
        }
        let per_request = self.per_request.len();
        if per_request > 0 {
            if n + untracked + oversized > 0 {
                f.write_str(" and")?;
            }
            write!(
                f,
                " built a client per request at {per_request} site{}",
                plural(per_request)
            )?;
        }
        writeln!(f)?;
        for (i, group) in group_responses(&self.responses).iter().enumerate() {
            let first = group[0];
            if group.len() == 1 {
                writeln!(
                    f,
                    "  {}. {} {} ({}, alive {:.1?})",
                    i + 1,
                    first.status,
                    first.url,
                    first.state,
                    first.age
                )?;
            } else {
                let youngest = group.iter().map(|r| r.age).min().unwrap_or_default();
                let oldest = group.iter().map(|r| r.age).max().unwrap_or_default();
                writeln!(
                    f,
                    "  {}. {} × {} ({}, alive {:.1?} to {:.1?})",
                    i + 1,
                    group.len(),
                    first.status,
                    first.state,
                    youngest,
                    oldest
                )?;
            }
            writeln!(
                f,
                "     created at {} in {}",
                first.site, first.site.function
            )?;
            if group.len() > 1 {
                let urls = distinct_urls(group.iter().map(|r| r.url.as_str()));
                for (url, count) in urls.iter().take(URLS_SHOWN) {
                    if *count == 1 {
                        writeln!(f, "     {url}")?;
                    } else {
                        writeln!(f, "     {url} ({count} ×)")?;
                    }
                }
                if urls.len() > URLS_SHOWN {
                    let more: usize = urls[URLS_SHOWN..].iter().map(|(_, n)| n).sum();
                    writeln!(
                        f,
                        "     and {more} more at {} other URL{}",
                        urls.len() - URLS_SHOWN,
                        plural(urls.len() - URLS_SHOWN)
                    )?;
                }
            }
            if let Some(bt) = &first.backtrace {
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
        let mut untracked: Vec<(&UntrackedResponse, usize)> = Vec::new();
        for u in &self.untracked {
            match untracked
                .iter_mut()
                .find(|(g, _)| g.site == u.site && g.type_name == u.type_name)
            {
                Some((_, n)) => *n += 1,
                None => untracked.push((u, 1)),
            }
        }
        for (u, n) in untracked {
            let times = if n == 1 {
                String::new()
            } else {
                format!("{n} × ")
            };
            writeln!(
                f,
                "  - {times}untracked `{}` created at {} in {}",
                u.type_name, u.site, u.site.function
            )?;
        }
        let mut helps: Vec<&str> = self.untracked.iter().map(|u| u.help).collect();
        helps.sort_unstable();
        helps.dedup();
        for help in helps {
            writeln!(f, "  = help: {help}")?;
        }
        for o in &self.oversized {
            writeln!(
                f,
                "  - {}: {} bytes ({}) read whole at {} in {} (created at {})",
                o.url,
                o.bytes,
                format_size_approx(o.bytes),
                o.read_at,
                o.read_at.function,
                o.created_at
            )?;
        }
        if oversized > 0 {
            writeln!(
                f,
                "  = note: a body read whole is held in memory at once, and nothing of it can be used before its end"
            )?;
            writeln!(
                f,
                "  = help: stream a large body instead of buffering it: `bytes_stream()`, or a `chunk()` loop that handles each chunk"
            )?;
        }
        for c in &self.per_request {
            writeln!(
                f,
                "  - {} in {} built {} clients for {} requests to {}: a new pool, DNS lookup and TLS handshake each time",
                c.site, c.site.function, c.clients, c.requests, c.origin
            )?;
        }
        if per_request > 0 {
            writeln!(
                f,
                "  = help: build one `Client` outside the loop and reuse it (it is cheap to clone: clones share the pool)"
            )?;
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

/// A size for a reader: `9.0 MiB`, `512.0 KiB`, `10 bytes`.
fn format_size_approx(n: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if n >= size {
            return format!("{:.1} {unit}", n as f64 / size as f64);
        }
    }
    format!("{n} bytes")
}

/// The URLs of a group shown (distinct, in order of first appearance).
const URLS_SHOWN: usize = 3;

/// The responses grouped by creation site, status and state (its printed form), each group in
/// creation order, the groups in order of their first response: ten responses kept from one line
/// of a loop are one entry of the report, not ten.
fn group_responses(responses: &[LeakedResponse]) -> Vec<Vec<&LeakedResponse>> {
    let mut groups: Vec<(String, Vec<&LeakedResponse>)> = Vec::new();
    for r in responses {
        let key = format!("{} {} {}", r.site, r.status, r.state);
        match groups
            .iter_mut()
            .find(|(k, g)| *k == key && g[0].site == r.site)
        {
            Some((_, g)) => g.push(r),
            None => groups.push((key, vec![r])),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Distinct URLs with their counts, in order of first appearance.
fn distinct_urls<'a>(urls: impl Iterator<Item = &'a str>) -> Vec<(&'a str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for url in urls {
        match out.iter_mut().find(|(u, _)| *u == url) {
            Some((_, n)) => *n += 1,
            None => out.push((url, 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: Site = Site {
        file: "src/write.rs",
        line: 49,
        column: 24,
        function: "client::write",
    };

    fn kept(url: &str, ms: u64) -> LeakedResponse {
        LeakedResponse {
            url: url.to_string(),
            status: StatusCode::OK,
            site: SITE,
            age: Duration::from_millis(ms),
            state: ResponseState::Unread,
            backtrace: None,
        }
    }

    #[test]
    fn groups_by_site_status_and_state() {
        let mut responses: Vec<LeakedResponse> = (1..=10)
            .map(|i| kept(&format!("http://h/{}", i.min(5)), i))
            .collect();
        responses.push(LeakedResponse {
            state: ResponseState::PartlyRead { bytes_read: 3 },
            ..kept("http://h/partly", 2)
        });
        let untracked = UntrackedResponse {
            type_name: "core::result::Result<reqwest::async_impl::response::Response, reqwest::error::Error>",
            site: Site { line: 60, ..SITE },
            help: "enable it",
        };
        let report = LeakReport {
            function: "client::tests::writes",
            strict: false,
            panicked: false,
            responses,
            untracked: vec![untracked.clone(); 10],
            oversized: Vec::new(),
            per_request: Vec::new(),
        };
        let result = untracked.type_name;
        assert_eq!(
            report.to_string(),
            format!(
                "reqleak: `client::tests::writes` left 11 responses unreleased and could not track 10 responses
  1. 10 × 200 OK (unread, alive 1.0ms to 10.0ms)
     created at src/write.rs:49:24 in client::write
     http://h/1
     http://h/2
     http://h/3
     and 7 more at 2 other URLs
  2. 200 OK http://h/partly (partly read, 3 bytes, alive 2.0ms)
     created at src/write.rs:49:24 in client::write
  = note: an unreleased response keeps its pooled connection checked out for as long as it lives
  = help: read each body (`bytes()`, `text()`, `json()`, a `chunk()` loop) or drop the response before returning; return it to hand it to the caller
  - 10 × untracked `{result}` created at src/write.rs:60:24 in client::write
  = help: enable it
  = note: run with `REQLEAK_BACKTRACE=1` for the backtrace of each creation
"
            )
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("8 MiB"), Some(8 << 20));
        assert_eq!(parse_size("500KB"), Some(500_000));
        assert_eq!(parse_size("0"), None);
        assert_eq!(format_size(8 << 20), "8 MiB");
        assert_eq!(format_size(1000), "1000 bytes");
        assert_eq!(format_size_approx((9 << 20) + 1), "9.0 MiB");
    }

    #[test]
    fn repeated_urls_are_counted() {
        let report = LeakReport {
            function: "f",
            strict: false,
            panicked: false,
            responses: vec![
                kept("http://h/a", 1),
                kept("http://h/a", 2),
                kept("http://h/b", 3),
            ],
            untracked: Vec::new(),
            oversized: Vec::new(),
            per_request: Vec::new(),
        };
        let text = report.to_string();
        assert!(
            text.contains("  1. 3 × 200 OK (unread, alive 1.0ms to 3.0ms)\n     created at src/write.rs:49:24 in client::write\n     http://h/a (2 ×)\n     http://h/b\n  = note"),
            "{text}"
        );
    }
}

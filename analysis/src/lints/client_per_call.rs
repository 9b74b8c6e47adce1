//! `client_per_call`: a function that callers outside the crate's sight call builds a new `Client` (a new connection pool) and sends a request with it on every call

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `client_per_call`.
pub static LINT: Lint = Lint {
    name: "client_per_call",
    default_level: Level::Warn,
    group: Group::Perf,
    reporter: Reporter::Analyzer,
    summary: "a public function (or a trait impl's method) builds a new `Client` (a new connection pool) and sends a request with it on every call",
    help: "take a `&Client` parameter, or keep one `Client` in the struct and reuse it (it is cheap to clone)",
    explanation: include_str!("client_per_call.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::CrateFacts;
use crate::model::crate_map::Owner;
use crate::model::place::TargetKind;

use super::Flagged;

/// Operations that run once per session by what they are: signing in and managing the
/// account, checking for an update. A client per call costs them nothing worth a warning.
/// A heuristic by name (documented in the lint's explanation, shown by the `Account` cases of
/// `tests/ui/client_per_call.rs`): nothing in such a function's code tells it runs once.
const ONCE_PER_SESSION: &[&str] = &[
    "login",
    "log_in",
    "logout",
    "log_out",
    "sign_in",
    "signin",
    "sign_up",
    "signup",
    "sign_out",
    "register",
    "authenticate",
    "change_password",
    "reset_password",
    "delete_account",
    "link_account",
    "unlink_account",
    "check_for_update",
    "check_for_updates",
    "check_update",
    "latest_version",
];

/// Whether a function's name says it runs once per session (`login`, `hub_login`,
/// `register_user`, `latest_version`).
fn is_once_per_session(name: &str) -> bool {
    ONCE_PER_SESSION.iter().any(|word| {
        name == *word
            || name
                .strip_prefix(word)
                .is_some_and(|rest| rest.starts_with('_'))
            || name
                .strip_suffix(word)
                .is_some_and(|rest| rest.ends_with('_'))
    })
}

/// Flags clients built on every call of a function whose callers the crate cannot see: a
/// library's public function or method, a trait impl's method (called through the trait, by
/// a framework or through `dyn`).
pub(crate) fn check(
    krate: &CrateFacts<'_>,
    flagged: &mut Flagged,
    out: &mut Vec<(usize, Diagnostic)>,
) {
    let map = krate.crate_map;
    let mut entries: Vec<usize> = (0..map.fns.len())
        .filter(|&id| {
            let def = &map.fns[id];
            let kind = map.targets[def.target].kind;
            let unseen_callers = match &def.outline.owner {
                Owner::Impl {
                    trait_name: Some(_),
                    ..
                } => true,
                _ => {
                    def.outline.is_pub
                        && kind == TargetKind::Lib
                        && (map.is_public_api(id) || def.outline.macro_attr)
                }
            };
            let exempt = matches!(
                kind,
                TargetKind::Example
                    | TargetKind::Test
                    | TargetKind::Bench
                    | TargetKind::BuildScript
            ) || (def.outline.name == "main" && def.outline.owner == Owner::Free)
                || is_once_per_session(&def.outline.name);
            unseen_callers && !exempt && def.outline.parent.is_none()
        })
        .collect();
    // The function that builds the client first, then those that reach it through calls.
    entries.sort_by_key(|&id| {
        krate.summaries[id]
            .per_call_client
            .as_ref()
            .map_or(usize::MAX, |site| site.via.len())
    });
    for entry in entries {
        let Some(site) = krate.summaries[entry].per_call_client.as_ref() else {
            continue;
        };
        // A client built for a once-per-session operation the entry calls.
        let one_shot = site
            .via
            .iter()
            .chain([&site.builder_fn])
            .any(|id| is_once_per_session(&map.fns[*id].outline.name));
        if one_shot {
            continue;
        }
        let file = map.fns[site.builder_fn].file;
        if !flagged.insert(file, site.span) {
            continue;
        }
        let name = map.fns[entry].display_name();
        let message = match &site.get {
            Some(written) => {
                format!("`{name}` calls `{written}`, which builds a new `Client` (a new connection pool), on every call")
            }
            None => format!("`{name}` builds a new `Client` (a new connection pool) on every call"),
        };
        let mut diagnostic = Diagnostic::new(&LINT, site.span, message)
            .with_primary_label("a new pool, DNS lookup and TLS handshake for each call")
            .with_note(
                "its callers are outside the crate's sight (a public API, a trait impl): each \
                 one that calls it in a loop opens a new connection every time",
            );
        if !site.via.is_empty() {
            let mut path = vec![entry];
            path.extend(site.via.iter().copied());
            let chain: Vec<String> = path
                .iter()
                .map(|id| format!("`{}`", map.fns[*id].display_name()))
                .collect();
            diagnostic = diagnostic.with_note(format!("the path of calls: {}", chain.join(" → ")));
        }
        out.push((file, diagnostic));
    }
}

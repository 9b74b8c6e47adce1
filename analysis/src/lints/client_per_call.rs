//! `client_per_call`: a function that callers outside the crate's sight call builds a new `Client` (a new connection pool), itself or through a factory, and sends a request with it on every call

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `client_per_call`.
pub static LINT: Lint = Lint {
    name: "client_per_call",
    default_level: Level::Warn,
    group: Group::Perf,
    reporter: Reporter::Analyzer,
    summary: "a public function (a trait impl's method, a framework command) builds a new `Client` (a new connection pool), itself or through a factory, and sends a request with it on every call",
    help: "take a `&Client` parameter, or keep one `Client` in the struct and reuse it (it is cheap to clone)",
    explanation: include_str!("client_per_call.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::{ClientSite, CrateFacts};
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

/// Whether a function never returns normally (`-> Result<Infallible, E>`, `-> Infallible`): a
/// server's or a worker's run, which a process runs once, not in a loop.
fn never_returns(outline: &crate::model::crate_map::FnOutline) -> bool {
    outline.returned_type.as_deref() == Some("Infallible")
}

/// Flags clients built on every call of a function whose callers the crate cannot see: a
/// library's public function or method, a trait impl's method (called through the trait, by
/// a framework or through `dyn`), a framework command (`#[tauri::command]`).
pub(crate) fn check(
    krate: &CrateFacts<'_>,
    flagged: &mut Flagged,
    out: &mut Vec<(usize, Diagnostic)>,
) {
    let map = krate.crate_map;
    let entries: Vec<usize> = (0..map.fns.len())
        .filter(|&id| {
            let def = &map.fns[id];
            let kind = map.targets[def.target].kind;
            let unseen_callers = match &def.outline.owner {
                Owner::Impl {
                    trait_name: Some(_),
                    ..
                } => true,
                // A trait's default body is a method of every type that implements the trait.
                Owner::Trait { .. } => def.outline.has_body,
                _ => {
                    (def.outline.is_pub
                        && kind == TargetKind::Lib
                        && (map.is_public_api(id) || def.outline.macro_attr))
                        || def.outline.command_attr
                }
            };
            let exempt = matches!(
                kind,
                TargetKind::Example
                    | TargetKind::Test
                    | TargetKind::Bench
                    | TargetKind::BuildScript
            ) || (def.outline.name == "main" && def.outline.owner == Owner::Free)
                || never_returns(&def.outline)
                || is_once_per_session(&def.outline.name)
                || def.outline.signs_in
                // A command of the package's own binary runs once per process.
                || krate.one_shot.get(id).copied().unwrap_or(false);
            unseen_callers && !exempt && def.outline.parent.is_none()
        })
        .collect();
    // Each construction reported once, from the entry closest to it: the function that builds
    // the client first, then those that reach it through calls.
    let mut reached: Vec<(usize, &ClientSite)> = entries
        .iter()
        .flat_map(|&entry| {
            krate.summaries[entry]
                .per_call_clients
                .iter()
                .map(move |site| (entry, site))
        })
        .collect();
    reached.sort_by_key(|(entry, site)| (site.via.len(), *entry));
    for (entry, site) in reached {
        // A client built for a once-per-session operation the entry calls.
        let once_per_session = site.via.iter().chain([&site.builder_fn]).any(|id| {
            let outline = &map.fns[*id].outline;
            is_once_per_session(&outline.name) || outline.signs_in
        });
        if once_per_session {
            continue;
        }
        let file = map.fns[site.builder_fn].file;
        if !flagged.insert(file, site.span) {
            continue;
        }
        let name = map.fns[entry].display_name();
        let factory = factory_name(krate, site);
        let message = match (&site.get, &factory) {
            (Some(written), _) => {
                format!("`{name}` calls `{written}`, which builds a new `Client` (a new connection pool), on every call")
            }
            (None, Some(factory)) => format!(
                "`{name}` calls `{factory}`, which builds a new `Client` (a new connection pool) and hands it back, on every call"
            ),
            (None, None) => {
                format!("`{name}` builds a new `Client` (a new connection pool) on every call")
            }
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
        if let Some(note) = factory_note(krate, site) {
            diagnostic = diagnostic.with_note(note);
        }
        out.push((file, diagnostic));
    }
}

/// The factory a [`ClientSite`]'s construction calls, as a note names it: the crate's function
/// called, or the dependency's function as the call writes it.
pub(crate) fn factory_name(krate: &CrateFacts<'_>, site: &ClientSite) -> Option<String> {
    let factory = site.factory.as_ref()?;
    match (factory.fns.first(), &factory.dependency) {
        (Some(id), _) => Some(krate.crate_map.fns[*id].display_name()),
        (None, Some(written)) => Some(written.clone()),
        (None, None) => None,
    }
}

/// The note naming the factory a [`ClientSite`]'s construction calls: the defect is the call,
/// made on every run of its function, not the factory, which hands back what it builds.
pub(crate) fn factory_note(krate: &CrateFacts<'_>, site: &ClientSite) -> Option<String> {
    let factory = site.factory.as_ref()?;
    let name = factory_name(krate, site)?;
    // What the factory calls on the way to the construction.
    let mut through: Vec<String> = factory
        .fns
        .iter()
        .skip(1)
        .map(|id| format!("`{}`", krate.crate_map.fns[*id].display_name()))
        .collect();
    if let (Some(written), false) = (&factory.dependency, factory.fns.is_empty()) {
        through.push(format!("`{written}`"));
    }
    through.dedup();
    let through = match through.is_empty() {
        true => String::new(),
        false => format!(" (through {})", through.join(" → ")),
    };
    Some(format!(
        "`{name}` builds a new `Client`{through} and hands it back, alone or inside the value \
         it returns: each call of it is a new connection pool"
    ))
}

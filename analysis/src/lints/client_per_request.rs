//! `client_per_request`: a new `Client` (a new connection pool) is built for every request in a loop, a per-item closure, a function called per item, or a web handler

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `client_per_request`.
pub static LINT: Lint = Lint {
    name: "client_per_request",
    default_level: Level::Warn,
    group: Group::Perf,
    reporter: Reporter::Analyzer,
    summary: "a new `Client` (a new connection pool) is built for every request in a loop, a per-item closure, a function called per item, or a web handler",
    help: "build one `Client` outside the loop and reuse it (it is cheap to clone)",
    explanation: include_str!("client_per_request.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::{CallKind, ClientOrigin, ClientSite, CrateFacts};
use crate::model::crate_map::FnId;

use super::Flagged;

const NOTE: &str = "each `Client` has its own connection pool: a new one per request opens a \
                    new connection (and TLS handshake) every time";
const HELP_ACROSS: &str = "build one `Client` once and pass it in (`&Client`), or keep one in \
                           the struct (it is cheap to clone)";

/// Flags clients built per iteration or per item, in the function itself or through the
/// functions it calls once per item, and in web handlers.
pub(crate) fn check(
    krate: &CrateFacts<'_>,
    flagged: &mut Flagged,
    out: &mut Vec<(usize, Diagnostic)>,
) {
    // In the function itself: a loop iteration or a per-item closure builds it.
    for (id, facts) in krate.fns.iter().enumerate() {
        let file = krate.crate_map.fns[id].file;
        for client in &facts.clients {
            if !client.per_iteration
                || !client.requested
                || client.per_item_config
                || client.once
                || client.unpooled
            {
                continue;
            }
            let message = match &client.origin {
                ClientOrigin::Get(written) => format!(
                    "`{written}` builds a new `Client` (a new connection pool) for every call"
                ),
                ClientOrigin::GetPerItem(written) => format!(
                    "`{written}` builds a new `Client` (a new connection pool) for every item"
                ),
                ClientOrigin::Built | ClientOrigin::Param(_) => {
                    "a new `Client` (a new connection pool) is built for every request".to_owned()
                }
            };
            if flagged.insert(file, client.span) {
                let mut diagnostic = Diagnostic::new(&LINT, client.span, message)
                    .with_primary_label("built once per iteration");
                if let Some(note) = client
                    .site
                    .as_ref()
                    .and_then(|site| super::client_per_call::factory_note(krate, site))
                {
                    diagnostic = diagnostic.with_note(note);
                }
                out.push((file, diagnostic.with_note(NOTE)));
            }
        }
    }
    // Through calls: a function that builds one on every call, called once per item.
    for (caller, facts) in krate.fns.iter().enumerate() {
        for call in &facts.calls {
            if !call.repeated || call.once || call.kind != CallKind::Call {
                continue;
            }
            for site in &krate.summaries[call.callee].per_call_clients {
                let chain = chain(krate, caller, call.callee, site);
                let caller_name = krate.crate_map.fns[caller].display_name();
                let callee_name = krate.crate_map.fns[call.callee].display_name();
                report(
                    krate,
                    site,
                    flagged,
                    out,
                    format!(
                        "a new `Client` (a new connection pool) is built for every request: \
                         `{caller_name}` calls `{callee_name}` once per item"
                    ),
                    (
                        krate.crate_map.fns[caller].file,
                        call.span,
                        "called once per item here",
                    ),
                    format!("the path of calls: {chain}"),
                );
            }
        }
    }
    // Web handlers run once per incoming request.
    let mut handlers: Vec<(FnId, Option<(usize, crate::Span)>)> = Vec::new();
    for (id, def) in krate.crate_map.fns.iter().enumerate() {
        if def.outline.handler_attr {
            handlers.push((id, None));
        }
    }
    for (registrar, facts) in krate.fns.iter().enumerate() {
        for call in facts.calls.iter().filter(|c| c.kind == CallKind::Handler) {
            let file = krate.crate_map.fns[registrar].file;
            handlers.push((call.callee, Some((file, call.span))));
        }
    }
    for (handler, registered) in handlers {
        for site in &krate.summaries[handler].per_call_clients {
            report_handler(krate, flagged, out, handler, registered, site);
        }
    }
}

/// A client built on every call of web handler `handler` (registered at `registered`).
fn report_handler(
    krate: &CrateFacts<'_>,
    flagged: &mut Flagged,
    out: &mut Vec<(usize, Diagnostic)>,
    handler: FnId,
    registered: Option<(usize, crate::Span)>,
    site: &ClientSite,
) {
    let name = krate.crate_map.fns[handler].display_name();
    let mut path = vec![handler];
    path.extend(site.via.iter().copied());
    let chain = names(krate, &path);
    let (label_file, label_span) = registered.unwrap_or((
        krate.crate_map.fns[handler].file,
        krate.crate_map.fns[handler].outline.name_span,
    ));
    report(
        krate,
        site,
        flagged,
        out,
        format!(
            "a new `Client` (a new connection pool) is built for every request `{name}` handles"
        ),
        (
            label_file,
            label_span,
            "a web handler: it runs once per incoming request",
        ),
        if site.via.is_empty() {
            format!("`{name}` is a web handler: it runs once per incoming request")
        } else {
            format!("`{name}` is a web handler: it runs once per incoming request; the path of calls: {chain}")
        },
    );
}

#[allow(clippy::too_many_arguments)]
fn report(
    krate: &CrateFacts<'_>,
    site: &ClientSite,
    flagged: &mut Flagged,
    out: &mut Vec<(usize, Diagnostic)>,
    message: String,
    (label_file, label_span, label): (usize, crate::Span, &str),
    note: String,
) {
    let file = krate.crate_map.fns[site.builder_fn].file;
    if !flagged.insert(file, site.span) {
        return;
    }
    let mut diagnostic =
        Diagnostic::new(&LINT, site.span, message).with_primary_label("built on every call");
    diagnostic.help = HELP_ACROSS.to_owned();
    if label_file == file {
        diagnostic = diagnostic.with_label(label_span, label);
    } else {
        let at = super::location(krate, label_file, label_span);
        diagnostic = diagnostic.with_note(format!("{label}: {at}"));
    }
    diagnostic = diagnostic.with_note(note);
    if let Some(factory) = super::client_per_call::factory_note(krate, site) {
        diagnostic = diagnostic.with_note(factory);
    }
    diagnostic = diagnostic.with_note(NOTE);
    out.push((file, diagnostic));
}

/// `caller` → `callee` → .. → the function that builds the client, as a note shows it.
fn chain(krate: &CrateFacts<'_>, caller: FnId, callee: FnId, site: &ClientSite) -> String {
    let mut path = vec![caller, callee];
    path.extend(site.via.iter().copied());
    names(krate, &path)
}

fn names(krate: &CrateFacts<'_>, path: &[FnId]) -> String {
    let mut shown: Vec<String> = Vec::new();
    for id in path {
        let name = format!("`{}`", krate.crate_map.fns[*id].display_name());
        if shown.last() != Some(&name) {
            shown.push(name);
        }
    }
    shown.join(" → ")
}

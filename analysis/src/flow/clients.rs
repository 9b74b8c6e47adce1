//! Clients: where the body builds one (`Client::new()`, `Client::builder()..build()`, a
//! factory of the crate, `reqwest::get`), what it configures, and whether it sends a request
//! with it or hands it on.

use super::engine::Engine;
use super::mentions;
use super::state::{ClientId, Fresh, State};
use super::{ClientFact, ClientOrigin};
use crate::diagnostic::Span;

/// Builder steps that configure a client for one item: one client per proxy (or local
/// address, identity, resolved address) is the only way to use several.
const PER_ITEM_CONFIG: &[&str] = &[
    "proxy",
    "local_address",
    "interface",
    "identity",
    "resolve",
    "resolve_to_addrs",
];

fn is_zero(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(int), .. })
        if int.base10_parse::<u64>().ok() == Some(0))
}

impl Engine<'_, '_> {
    /// Records a client fact, once per span however often loops re-walk it.
    pub(super) fn client_fact(&mut self, fact: ClientFact) -> ClientId {
        let key = (fact.span.start.byte, fact.span.end.byte);
        if let Some(&id) = self.client_by_span.get(&key) {
            return id;
        }
        let id = self.facts.clients.len();
        self.facts.clients.push(fact);
        self.client_by_span.insert(key, id);
        id
    }

    /// A client built here (or by `reqwest::get`, which sends with it at once).
    pub(super) fn built_client(
        &mut self,
        span: Span,
        origin: ClientOrigin,
        state: &mut State,
    ) -> ClientId {
        let requested = matches!(origin, ClientOrigin::Get(_) | ClientOrigin::GetPerItem(_));
        let id = self.client_fact(ClientFact {
            span,
            origin,
            requested,
            escaped: false,
            per_item_config: false,
            unpooled: false,
            per_iteration: false,
            once: self.body.once || self.rarity.after_recheck(span),
            site: None,
        });
        self.fresh(Fresh::Client(id), state);
        id
    }

    /// The client is handed on: returned, stored, moved into what the analysis does not follow.
    pub(super) fn escape_client(&mut self, client: ClientId) {
        self.facts.clients[client].escaped = true;
    }

    /// A request is sent with the client.
    pub(super) fn request_with(&mut self, client: ClientId) {
        self.facts.clients[client].requested = true;
    }

    /// A builder step on a client under construction: `.build()` ends the construction's span
    /// there; a per-item configuration (a proxy, a local address.. taken from a parameter or a
    /// loop's item, not from `self` or a constant) marks it.
    pub(super) fn client_step(
        &mut self,
        client: ClientId,
        method: &str,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        end: Span,
    ) {
        let from_item = args.iter().any(|arg| {
            mentions::in_expr(arg)
                .iter()
                .any(|name| self.item_names.contains(name))
        });
        let fact = &mut self.facts.clients[client];
        if PER_ITEM_CONFIG.contains(&method) && from_item {
            fact.per_item_config = true;
        }
        if method == "pool_max_idle_per_host" && args.first().is_some_and(is_zero) {
            fact.unpooled = true;
        }
        if method == "build"
            && matches!(fact.origin, ClientOrigin::Built)
            && end.end > fact.span.end
        {
            fact.span.end = end.end;
        }
    }
}

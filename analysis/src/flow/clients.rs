//! Clients: where the body builds one (`Client::new()`, `Client::builder()..build()`, a
//! factory of the crate or of a dependency, `reqwest::get`), what it configures, and whether
//! it sends a request with it or hands it on.
//!
//! A value can hold a client: a struct literal with a client in a field, a tuple, an
//! `Arc`/`Box`, a field of a field, the value a constructor returns after storing the client
//! it was given, `self` of a type that holds one. Such a value carries the client
//! ([`Value::client`] with a shape other than a client's or a builder's), and what happens to
//! the value happens to the client:
//! - **sending with it**: a method of the crate called on it that sends with what its `self`
//!   holds (by the method's summary), a request started on it (`holder.get(url)`), or any
//!   method of a value a dependency built (its methods are out of sight: calling one is using
//!   the client inside); passing it to a function whose summary says it sends with that
//!   parameter;
//! - **keeping it**: storing it, handing it to what the analysis does not follow, returning it
//!   (then the function is a factory: its summary says "returns a fresh client inside `T`").
//!
//! A method the analysis cannot resolve, called on a value of the crate, or on a parameter,
//! says nothing: precision first.

use super::engine::Engine;
use super::mentions;
use super::state::{Arg, ClientId, Fresh, Shape, State, Value};
use super::vocabulary::REQUEST_STARTS;
use super::{ClientFact, ClientOrigin, ClientSite, Factory};
use crate::diagnostic::Span;
use crate::model::crate_map::{FnId, Receiver};
use crate::model::syntax;
use crate::model::types::{self, Kind};

/// Methods that hand back the value they are called on (or a borrow of it): what it holds
/// stays held.
const CARRYING: &[&str] = &[
    "clone",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "unwrap",
    "expect",
    "to_owned",
    "into",
    "deref",
];

/// Whether a value holds a client without being one (nor a request builder on one).
pub(super) fn is_holder(value: &Value) -> bool {
    value.client.is_some() && !matches!(value.shape, Shape::Client | Shape::Builder(_))
}

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

    /// The client a parameter at `position` gives (or holds): whether the function sends with
    /// it, keeps it or returns it is what its summary says of that parameter.
    pub(super) fn param_client(&mut self, span: Span, position: usize) -> ClientId {
        self.client_fact(ClientFact {
            span,
            origin: ClientOrigin::Param(position),
            requested: false,
            escaped: false,
            returned: false,
            per_item_config: false,
            unpooled: false,
            per_iteration: false,
            serves_batch: false,
            once: false,
            site: None,
            defaulted: false,
        })
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
            returned: false,
            per_item_config: false,
            unpooled: false,
            per_iteration: false,
            serves_batch: false,
            once: self.body.once || self.rarity.after_recheck(span),
            site: None,
            defaulted: false,
        });
        self.fresh(Fresh::Client(id), state);
        id
    }

    /// The client is handed on: stored, moved into what the analysis does not follow.
    pub(super) fn escape_client(&mut self, client: ClientId) {
        self.facts.clients[client].escaped = true;
    }

    /// The client is handed back to the caller, alone or inside the value returned. From a
    /// closure or an async block, it goes to whoever runs it: handed on.
    pub(super) fn return_client(&mut self, client: ClientId) {
        if self.body.in_closure {
            self.escape_client(client);
        } else {
            self.facts.clients[client].returned = true;
        }
    }

    /// A request is sent with the client, at `span`.
    pub(super) fn request_with(&mut self, client: ClientId, span: Span, state: &mut State) {
        self.facts.clients[client].requested = true;
        self.fresh(Fresh::Request(client, span.start.byte), state);
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

impl Engine<'_, '_> {
    /// A client, or a value holding one, stored in a struct literal's field (or its `..base`):
    /// the struct holds the first; any other is handed on.
    pub(super) fn hold_client(&mut self, held: &mut Option<ClientId>, client: Option<ClientId>) {
        match (*held, client) {
            (None, Some(client)) => *held = Some(client),
            (Some(kept), Some(client)) if kept != client => self.escape_client(client),
            _ => {}
        }
    }

    /// `self` of a method whose type holds a client: a parameter holding one, so that the
    /// summary says whether the method sends with what `self` holds, keeps it or returns it.
    pub(super) fn self_holder(&mut self, span: Span) -> Value {
        let client = self.param_client(span, 0);
        Value {
            ids: Vec::new(),
            shape: Shape::Plain,
            client: Some(client),
            elements: Vec::new(),
        }
    }

    /// Whether a client fact is a value a dependency built: its methods are out of sight.
    fn built_by_dependency(&self, client: ClientId) -> bool {
        self.facts.clients[client]
            .site
            .as_ref()
            .and_then(|site| site.factory.as_ref())
            .is_some_and(|factory| factory.dependency.is_some())
    }

    /// A method called on a value holding a client (see the module documentation). `Err`
    /// gives the arguments back when the call is not about the client.
    pub(super) fn holder_method(
        &mut self,
        call: &syn::ExprMethodCall,
        method: &str,
        receiver: &Value,
        args: Vec<Arg>,
        state: &mut State,
    ) -> Result<Value, Vec<Arg>> {
        let Some(client) = receiver.client.filter(|_| is_holder(receiver)) else {
            return Err(args);
        };
        if CARRYING.contains(&method) {
            for arg in args {
                self.hand_on(arg.value, state);
            }
            return Ok(Value {
                ids: Vec::new(),
                shape: Shape::Plain,
                client: Some(client),
                elements: Vec::new(),
            });
        }
        let (candidates, precise) = self.resolve_method(&call.receiver, method, state);
        if !candidates.is_empty() {
            let unique = (precise && candidates.len() == 1).then(|| candidates[0]);
            let by_ref = unique.is_none_or(|callee| {
                self.cx.crate_map.fns[callee].outline.receiver != Some(Receiver::Value)
            });
            let mut all = vec![Arg {
                value: receiver.clone(),
                by_ref,
                lent: Vec::new(),
                lent_mut: Vec::new(),
                none: false,
            }];
            all.extend(args);
            let span = self.method_call_span(call);
            return Ok(self.same_crate_call(&candidates, precise, span, all, 0, None, state));
        }
        let fresh = !matches!(self.facts.clients[client].origin, ClientOrigin::Param(_));
        if REQUEST_STARTS.contains(&method)
            && (fresh || super::responses::looks_like_client(&call.receiver))
        {
            // `holder.get(url)`: a request started on the client it holds.
            for arg in args {
                self.hand_on(arg.value, state);
            }
            self.request_with(client, self.method_call_span(call), state);
            return Ok(Value {
                ids: Vec::new(),
                shape: Shape::Builder(super::responses::request_kind(method, &call.args)),
                client: Some(client),
                elements: Vec::new(),
            });
        }
        if self.built_by_dependency(client) {
            self.request_with(client, self.method_call_span(call), state);
        }
        Err(args)
    }

    /// Where a call of a factory (`callees`, a function of the crate whose summary says it
    /// returns a fresh client, alone, inside a value or under a request builder) builds one:
    /// a factory handing back a client (alone or inside a value) builds it at the call, for
    /// the caller; one handing back a request builder on it builds it inside, for every caller.
    pub(super) fn factory_site(
        &self,
        callees: &[FnId],
        span: Span,
        builder: bool,
    ) -> Option<ClientSite> {
        // cfg'd twins (`#[cfg(wasm)] fn client()` and `#[cfg(not(wasm))] fn client()`) are one
        // factory when they all are.
        let mut sites = Vec::new();
        for &callee in callees {
            sites.push((callee, self.cx.summaries.get(callee)?.fresh_client.clone()?));
        }
        let (callee, site) = sites.into_iter().next()?;
        if builder {
            let mut via = vec![callee];
            via.extend(site.via.iter().copied());
            return Some(ClientSite { via, ..site });
        }
        let mut fns = vec![callee];
        fns.extend(site.via.iter().copied());
        let dependency = site.factory.as_ref().and_then(|f| f.dependency.clone());
        if let Some(factory) = &site.factory {
            fns.extend(factory.fns.iter().copied());
        }
        fns.dedup();
        Some(ClientSite {
            builder_fn: self.function.id,
            span,
            get: None,
            via: Vec::new(),
            factory: Some(Factory { fns, dependency }),
        })
    }

    /// A call of a dependency's function that builds a client and hands it back, alone or
    /// inside its value (`async_openai::Client::with_config(cfg)`): a construction here.
    pub(super) fn dependency_construction(
        &mut self,
        span: Span,
        written: String,
        shape: Shape,
        state: &mut State,
    ) -> Value {
        let factory = Factory {
            fns: Vec::new(),
            dependency: Some(written),
        };
        let client = self.factory_construction(span, factory, state);
        Value {
            ids: Vec::new(),
            shape,
            client: Some(client),
            elements: Vec::new(),
        }
    }

    /// A call of `factory` at `span`, which builds a client and hands it back: a construction
    /// here.
    pub(super) fn factory_construction(
        &mut self,
        span: Span,
        factory: Factory,
        state: &mut State,
    ) -> ClientId {
        let client = self.built_client(span, ClientOrigin::Built, state);
        self.facts.clients[client].site = Some(ClientSite {
            builder_fn: self.function.id,
            span,
            get: None,
            via: Vec::new(),
            factory: Some(factory),
        });
        client
    }

    /// `client.unwrap_or_default()` (or `unwrap_or_else(Client::new)`) on a parameter's
    /// `Option<Client>`: the client given, or a new one in place of `None`. Returns the
    /// parameter's client, for the summary to say so of it.
    pub(super) fn defaulted_param(
        &self,
        receiver: &Value,
        method: &str,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
    ) -> Option<ClientId> {
        let client = receiver
            .client
            .filter(|_| receiver.shape == Shape::Client)?;
        if !matches!(self.facts.clients[client].origin, ClientOrigin::Param(_)) {
            return None;
        }
        let constructor = |path: &syn::Path| self.cx.names.client_constructor(path).is_some();
        let makes_client = |expr: &syn::Expr| match expr {
            // `Client::new`, `Client::default`.
            syn::Expr::Path(path) => constructor(&path.path),
            // `|| Client::new()`, `|| Client::builder().build().unwrap()`.
            syn::Expr::Closure(closure) => matches!(
                super::guards::chain_start(&closure.body),
                syn::Expr::Call(call)
                    if matches!(&*call.func, syn::Expr::Path(path) if constructor(&path.path))
            ),
            _ => false,
        };
        let defaults = match (method, args.first()) {
            ("unwrap_or_default", None) => true,
            ("unwrap_or_else", Some(arg)) => args.len() == 1 && makes_client(arg),
            _ => false,
        };
        defaults.then_some(client)
    }

    /// `self.config.builder.build()`, `self.client.unwrap_or_default()`: a field of the crate's
    /// struct that makes a client (a reqwest `ClientBuilder`, an `Option<Client>`), made into
    /// one.
    pub(super) fn builds_from_field(&self, receiver: &syn::Expr, method: &str) -> bool {
        if !matches!(method, "build" | "unwrap_or_default") {
            return false;
        }
        // Through `clone()` and builder steps: `self.builder.clone().timeout(t).build()`.
        let mut expr = syntax::strip_refs(receiver);
        while let syn::Expr::MethodCall(inner) = expr {
            let name = syntax::name(&inner.method);
            let through = name == "clone"
                || (method == "build"
                    && super::vocabulary::CLIENT_BUILDER_STEPS.contains(&name.as_str()));
            if !through {
                return false;
            }
            expr = syntax::strip_refs(&inner.receiver);
        }
        let syn::Expr::Field(field) = expr else {
            return false;
        };
        let syn::Member::Named(name) = &field.member else {
            return false;
        };
        self.expr_type(&field.base).is_some_and(|owner| {
            self.cx
                .crate_map
                .builds_client_field(&owner, &syntax::name(name))
        })
    }

    /// The crate type a place expression has, where its declarations say: `self` in an impl,
    /// a field of it (`self.config`), a field of a field.
    pub(super) fn expr_type(&self, expr: &syn::Expr) -> Option<String> {
        match syntax::strip_refs(expr) {
            syn::Expr::Path(path) if path.path.is_ident("self") => {
                self.function.self_ty.map(str::to_owned)
            }
            syn::Expr::Field(field) => {
                let syn::Member::Named(name) = &field.member else {
                    return None;
                };
                let owner = self.expr_type(&field.base)?;
                self.cx.crate_map.field_type(&owner, &syntax::name(name))
            }
            syn::Expr::Paren(paren) => self.expr_type(&paren.expr),
            _ => None,
        }
    }

    /// The value of `base.member` when `base` holds a client: the client itself for a client
    /// field, the holder for a field whose type holds one (a field of a field), or for any field
    /// of a value a dependency built.
    pub(super) fn held_field(&self, field: &syn::ExprField, base: &Value) -> Option<Value> {
        let client = base.client.filter(|_| is_holder(base))?;
        let syn::Member::Named(name) = &field.member else {
            return self.built_by_dependency(client).then(|| Value {
                ids: Vec::new(),
                shape: Shape::Plain,
                client: Some(client),
                elements: Vec::new(),
            });
        };
        if self.client_field(&field.base, name) {
            return Some(Value {
                ids: Vec::new(),
                shape: Shape::Client,
                client: Some(client),
                elements: Vec::new(),
            });
        }
        let holds = self
            .expr_type(&field.base)
            .and_then(|owner| self.cx.crate_map.field_type(&owner, &syntax::name(name)))
            .is_some_and(|ty| self.cx.crate_map.holds_client(&ty));
        (holds || self.built_by_dependency(client)).then(|| Value {
            ids: Vec::new(),
            shape: Shape::Plain,
            client: Some(client),
            elements: Vec::new(),
        })
    }

    /// Whether a parameter's type is a callable that takes a request builder and hands one
    /// back (`F: FnOnce(RequestBuilder) -> RequestBuilder`).
    pub(super) fn is_builder_step_type(&self, ty: &syn::Type) -> bool {
        let names = self.cx.names;
        let bounds = &self.function.bounds;
        types::classify_callable(names, bounds, ty).is_some_and(|r| r.kind == Kind::Builder)
    }

    /// `builder(request)`, a call of a parameter that turns a request builder into another:
    /// the builder it hands back is on the same client.
    pub(super) fn builder_step_call(
        &mut self,
        call: &syn::ExprCall,
        name: &str,
        state: &mut State,
    ) -> Option<Value> {
        if !self.builder_steps.contains(name) || state.var(name).is_none() {
            return None;
        }
        let mut stepped = None;
        for arg in &call.args {
            let value = self.expr(arg, state);
            match value.shape {
                Shape::Builder(request) if stepped.is_none() => {
                    stepped = Some(Value {
                        ids: Vec::new(),
                        shape: Shape::Builder(request),
                        client: value.client,
                        elements: Vec::new(),
                    })
                }
                _ => self.hand_on(value, state),
            }
        }
        Some(stepped.unwrap_or_default())
    }
}

//! Calls into the crate, read through the callee's summary (what it returns, what it does
//! with its parameters, the clients it builds), and handlers registered with a web framework.

use super::engine::{Engine, NestedContext, Release};
use super::state::{Arg, ClientId, Flavor, Fresh, Id, Shape, State, Value};
use super::vocabulary::*;
use super::{CallKind, CallSite, ClientOrigin, Factory, PlaceKind, RequestKind};
use crate::diagnostic::Span;
use crate::model::crate_map::{FnId, Owner};
use crate::model::foreign::Handoff;
use crate::model::names::ReqwestItem;
use crate::model::summary::ParamUse;
use crate::model::syntax;
use crate::model::types::{Kind, Returns};

impl Engine<'_, '_> {
    /// A routing call's function arguments (`get(handler)`, `web::get().to(handler)`) are
    /// registered as web handlers. Returns whether there was one.
    pub(super) fn register_handlers(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        state: &mut State,
    ) -> bool {
        let mut registered = false;
        for arg in args {
            if let Some(value) = self.function_as_closure(arg, false, true, state) {
                registered = true;
                self.hand_on(value, state);
            }
        }
        registered
    }

    /// The arguments of an initializer that runs its closure once (`OnceCell::get_or_init`,
    /// `LazyLock::new`): what they create is not per item, and is handed on.
    pub(super) fn run_once(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        state: &mut State,
    ) -> Value {
        let context = NestedContext {
            per_item: false,
            once: true,
        };
        for arg in args {
            let value = self.nested_arg(arg, context, state);
            self.hand_on(value, state);
        }
        Value::default()
    }

    /// The crate's functions a call path names: none when a local binding (a closure
    /// parameter, say) shadows it or it is not the crate's; several when ambiguous.
    pub(super) fn resolve_path(&self, path: &syn::Path, state: &State) -> Vec<FnId> {
        let segments = syntax::segments(path);
        if segments.len() == 1 && state.var(&segments[0]).is_some() {
            return Vec::new();
        }
        self.cx.crate_map.resolve(
            self.function.target,
            self.function.module,
            &segments,
            self.function.self_ty,
            Some(self.function.id),
        )
    }

    /// The crate's methods a method call may call, and whether the call is known to reach
    /// exactly them: `self.f()` in an impl is; a name shared with the standard library is not
    /// looked up; a name the crate defines once, in an inherent impl, is taken as that method.
    pub(super) fn resolve_method(
        &self,
        receiver: &syn::Expr,
        method: &str,
        state: &State,
    ) -> (Vec<FnId>, bool) {
        let map = self.cx.crate_map;
        // Every method of the crate is among those of its name: with none, there is nothing
        // to look up (most calls, on the standard library's types).
        if map.methods_named(method).is_empty() {
            return (Vec::new(), false);
        }
        // `self` in a trait's default method: the trait's method, wherever an implementor
        // overrides it.
        if let Some(found) = self.trait_self_methods(receiver, method) {
            return (found, true);
        }
        // `self`, a binding whose type the analysis knows, a call of the crate's function
        // whose signature names one of the crate's types.
        if let Some((ty, near)) = self.receiver_type_near(receiver, state, 0) {
            let found = self.typed_methods(&ty, method, near);
            if !found.is_empty() {
                return (found, true);
            }
        }
        if COMMON_METHODS.contains(&method) {
            return (Vec::new(), false);
        }
        let found = map.methods_named(method).to_vec();
        let precise = found.len() == 1
            && matches!(
                map.fns[found[0]].outline.owner,
                Owner::Impl {
                    trait_name: None,
                    ..
                }
            );
        (found, precise)
    }

    /// `self.method()` in a default method of a trait of the crate: `Self` is any type that
    /// implements the trait, so the call reaches the trait's own body of `method` and each
    /// impl's override of it, and nothing else (inherent methods are out of a trait body's
    /// sight). `None` elsewhere, or when the trait has no such method with a body anywhere.
    fn trait_self_methods(&self, receiver: &syn::Expr, method: &str) -> Option<Vec<FnId>> {
        let map = self.cx.crate_map;
        let Owner::Trait { trait_name: home } = &map.fns[self.function.id].outline.owner else {
            return None;
        };
        let syn::Expr::Path(path) = syntax::strip_refs(receiver) else {
            return None;
        };
        if !path.path.is_ident("self") {
            return None;
        }
        let found: Vec<FnId> = map
            .methods_named(method)
            .iter()
            .copied()
            .filter(|id| {
                let outline = &map.fns[*id].outline;
                outline.has_body
                    && match &outline.owner {
                        Owner::Trait { trait_name } => trait_name == home,
                        Owner::Impl {
                            trait_name: Some(trait_name),
                            ..
                        } => trait_name == home,
                        _ => false,
                    }
            })
            .collect();
        (!found.is_empty()).then_some(found)
    }

    /// The methods called `method` of the type `ty`: its inherent ones when it has some (Rust
    /// picks those over a trait's of the same name), its trait impls' otherwise.
    fn typed_methods(&self, ty: &str, method: &str, near: Option<FnId>) -> Vec<FnId> {
        let map = self.cx.crate_map;
        let near = near.unwrap_or(self.function.id);
        let mut found = map.methods_named_from(ty, method, near);
        let inherent = |id: &FnId| {
            matches!(
                map.fns[*id].outline.owner,
                Owner::Impl {
                    trait_name: None,
                    ..
                }
            )
        };
        if found.iter().any(inherent) {
            found.retain(inherent);
        }
        found
    }

    /// The crate type a method call's receiver has, as far as declarations tell: `self`, a
    /// binding whose type is known, a field of `self`, or what a call of the crate's function
    /// (or method) returns by its signature (`Cache::builder()`, `-> Self`), through `?`,
    /// `.await`, references and parentheses.
    pub(super) fn receiver_type(&self, receiver: &syn::Expr, state: &State) -> Option<String> {
        self.receiver_type_near(receiver, state, 0)
            .map(|(ty, _)| ty)
    }

    /// [`Engine::receiver_type`], with a function declared next to the type's methods when the
    /// type comes from a signature (several types of the crate may share its name).
    fn receiver_type_near(
        &self,
        receiver: &syn::Expr,
        state: &State,
        depth: usize,
    ) -> Option<(String, Option<FnId>)> {
        if depth > 8 {
            return None;
        }
        let map = self.cx.crate_map;
        let returned = |id: FnId| {
            let outline = &map.fns[id].outline;
            let ty = match (outline.returned_type.as_deref()?, &outline.owner) {
                ("Self", Owner::Impl { self_ty, .. }) => self_ty.clone(),
                ("Self", _) => return None,
                (name, _) => name.to_owned(),
            };
            Some((ty, Some(id)))
        };
        match syntax::strip_refs(receiver) {
            syn::Expr::Path(path) if path.path.is_ident("self") => self
                .function
                .self_ty
                .map(|ty| (ty.to_owned(), Some(self.function.id))),
            syn::Expr::Path(path) => path
                .path
                .get_ident()
                .and_then(|ident| state.var(&syntax::name(ident)))
                .and_then(|var| var.ty.clone())
                .map(|ty| (ty, None)),
            syn::Expr::Field(_) => self.expr_type(receiver).map(|ty| (ty, None)),
            syn::Expr::Try(inner) => self.receiver_type_near(&inner.expr, state, depth + 1),
            syn::Expr::Await(inner) => self.receiver_type_near(&inner.base, state, depth + 1),
            syn::Expr::Paren(inner) => self.receiver_type_near(&inner.expr, state, depth + 1),
            syn::Expr::Call(call) => {
                let syn::Expr::Path(path) = &*call.func else {
                    return None;
                };
                match self.resolve_path(&path.path, state).as_slice() {
                    [id] => returned(*id),
                    _ => None,
                }
            }
            syn::Expr::MethodCall(call) => {
                let method = syntax::name(&call.method);
                // No method of the crate has the name: nothing to type the chain with.
                if map.methods_named(&method).is_empty() {
                    return None;
                }
                let (ty, near) = self.receiver_type_near(&call.receiver, state, depth + 1)?;
                match self.typed_methods(&ty, &method, near).as_slice() {
                    [id] => returned(*id),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// What the candidates all agree they return.
    pub(super) fn agreed_returns(&self, candidates: &[FnId]) -> Option<Returns> {
        let mut agreed = None;
        for id in candidates {
            let returns = self.cx.summaries.get(*id).and_then(|s| s.returns)?;
            match agreed {
                None => agreed = Some(returns),
                Some(known) if known == returns => {}
                Some(_) => return None,
            }
        }
        agreed
    }

    /// Records a call of the crate's function `callee`.
    pub(super) fn call_site(
        &mut self,
        callee: FnId,
        span: Span,
        kind: CallKind,
        state: &mut State,
    ) {
        let key = (span.start.byte, span.end.byte, callee);
        let index = match self.call_by_span.get(&key) {
            Some(index) => *index,
            None => {
                let index = self.facts.calls.len();
                self.facts.calls.push(CallSite {
                    callee,
                    span,
                    repeated: false,
                    once: self.body.once || self.rarity.after_recheck(span),
                    kind,
                });
                self.call_by_span.insert(key, index);
                index
            }
        };
        self.fresh(Fresh::Call(index), state);
    }

    /// A call into the crate: the callee's summary says what it returns and what it does
    /// with each argument. `offset` is the position of the first argument among the callee's
    /// parameters (1 for a method call, whose receiver is parameter 0, and carries the
    /// method `receiver`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn same_crate_call(
        &mut self,
        candidates: &[FnId],
        precise: bool,
        span: Span,
        args: Vec<Arg>,
        offset: usize,
        receiver: Option<RequestKind>,
        state: &mut State,
    ) -> Value {
        let unique = (precise && candidates.len() == 1).then(|| candidates[0]);
        if let Some(callee) = unique {
            self.call_site(callee, span, CallKind::Call, state);
            // Blocking code calling a function that sends or blocks: the responses it holds
            // (not those it passes) wait as they would for another request made here.
            if !self.body.is_async && self.cx.summaries.get(callee).is_some_and(|s| s.blocks) {
                let passed: Vec<Id> = args
                    .iter()
                    .flat_map(|arg| arg.value.ids.iter().chain(&arg.lent).chain(&arg.lent_mut))
                    .copied()
                    .collect();
                self.hold_live(state, &passed, span, PlaceKind::BlockingWait);
                self.blocks = true;
            }
        }
        // Every function it may call is given what it passes.
        for &candidate in candidates {
            self.pass(candidate, receiver, &args, offset);
        }
        // The method of what it hands back: the argument's it returns, or its own.
        let request = self.returned_kind(
            unique.and_then(|callee| self.cx.summaries.get(callee)),
            receiver,
            &args,
            offset,
        );
        let mut handed_back: Vec<Id> = Vec::new();
        // A client given (or held by a value given) that the callee hands back in its value.
        let mut carried = None;
        for (position, arg) in args.into_iter().enumerate() {
            let usage = unique
                .and_then(|callee| self.cx.summaries.get(callee))
                .map(|summary| summary.param(position + offset))
                .unwrap_or_default();
            if usage.fails_on_status {
                // A status checker of the crate: past it, the status is a success.
                self.lent_to_checker(&arg.lent);
            }
            if !arg.lent_mut.is_empty() {
                // `&mut resp`: a callee that reads through the borrow reads the body; what
                // else it does with it, the summary does not say.
                if usage.reads {
                    self.read_by_callee(&arg.lent_mut, usage);
                    self.release(&arg.lent_mut, state, Release::Read);
                } else {
                    self.release(&arg.lent_mut, state, Release::Unknown);
                }
                continue;
            }
            if usage.reads {
                self.read_by_callee(&arg.value.ids, usage);
            }
            if usage.returns {
                // A checker that hands the response back: its status has been looked at.
                for &id in &arg.value.ids {
                    self.facts.tracked[id].status_checked = true;
                }
                handed_back.extend(arg.value.ids.iter().copied());
            } else if usage.reads {
                self.release(&arg.value.ids, state, Release::Read);
            } else if usage.unknown {
                self.release(&arg.value.ids, state, Release::Unknown);
            } else {
                self.release(&arg.value.ids, state, Release::Move);
            }
            // Several methods it may call (a trait's, overridden by its impls): the client is
            // sent with when every one of them sends with it.
            let all_send = unique.is_none()
                && precise
                && !candidates.is_empty()
                && candidates.iter().all(|&callee| {
                    self.cx
                        .summaries
                        .get(callee)
                        .is_some_and(|summary| summary.param(position + offset).sends)
                });
            if usage.defaults_client && usage.returns_client && arg.none {
                if let Some(callee) = unique {
                    carried = carried.or(Some(self.defaulted_client(callee, span, state)));
                }
            }
            if let Some(client) = arg.value.client {
                // Handed on to a callee that replaces `None` by a new client: so does this
                // function, for its own callers.
                if usage.defaults_client {
                    self.facts.clients[client].defaulted = true;
                }
                if usage.sends || all_send {
                    self.request_with(client, span, state);
                }
                if usage.sends_batch {
                    self.facts.clients[client].serves_batch = true;
                }
                if usage.returns_client && unique.is_some() {
                    carried = carried.or(Some(client));
                }
                // Kept by the callee: moved in, or a borrowed one it clones into what it keeps
                // (a `&mut` collection it fills, a field).
                if usage.keeps_client || (!arg.by_ref && unique.is_none()) {
                    self.escape_client(client);
                }
            }
        }
        match self.agreed_returns(candidates) {
            Some(Returns {
                kind: Kind::Response,
                future,
            }) => {
                if handed_back.is_empty() {
                    // What the callee sends: a HEAD helper returns bodiless responses.
                    let checked = unique
                        .and_then(|callee| self.cx.summaries.get(callee))
                        .is_some_and(|summary| summary.returns_checked);
                    let value = self.source(span, request, future, state);
                    if checked {
                        // A helper that hands it back only on success: checked there.
                        self.checked_at_source(&value.ids, future, state);
                    }
                    value
                } else {
                    if unique.is_some_and(|callee| self.cx.summaries[callee].returns_checked) {
                        for &id in &handed_back {
                            self.succeeded(id, state);
                        }
                    }
                    Value::handed_back(handed_back, future, request)
                }
            }
            Some(Returns {
                kind: kind @ (Kind::Builder | Kind::Client),
                ..
            }) => {
                let mut value = Value::shaped(if kind == Kind::Client {
                    Shape::Client
                } else {
                    Shape::Builder(request)
                });
                // A factory: the client (or the builder on it) is new on every call.
                if let Some(client) = self.factory_call(
                    candidates,
                    unique,
                    precise,
                    span,
                    kind == Kind::Builder,
                    state,
                ) {
                    value.client = Some(client);
                } else {
                    value.client = carried;
                }
                value
            }
            None if !handed_back.is_empty() => Value::responses(handed_back),
            // A factory of a value holding a fresh client ("returns a fresh client inside
            // `T`"), or a constructor that stores the client it was given.
            None => {
                let client = self
                    .factory_call(candidates, unique, precise, span, false, state)
                    .or(carried);
                Value {
                    client,
                    ..Value::default()
                }
            }
        }
    }

    /// A call of a dependency's function whose index says what it does with what it is given
    /// ([`Handoff`]), read as a call of the crate's own function with that summary: a response
    /// it hands back is the one given (checked, when it hands it back only on a success
    /// status), one it reads or fails on is read or checked, and what it returns answers the
    /// request of the argument it names.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn foreign_call(
        &mut self,
        returns: Returns,
        handoff: &Handoff,
        span: Span,
        args: Vec<Arg>,
        offset: usize,
        receiver: Option<RequestKind>,
        state: &mut State,
    ) -> Value {
        let summary = handoff.summary(returns);
        let request = self.returned_kind(Some(&summary), receiver, &args, offset);
        let mut handed_back: Vec<Id> = Vec::new();
        for (position, arg) in args.into_iter().enumerate() {
            let usage = summary.param(position + offset);
            if usage.fails_on_status {
                self.lent_to_checker(&arg.lent);
            }
            if usage.reads {
                self.read_by_callee(&arg.value.ids, usage);
            }
            if usage.returns && returns.kind == Kind::Response {
                for &id in &arg.value.ids {
                    self.facts.tracked[id].status_checked = true;
                }
                handed_back.extend(arg.value.ids.iter().copied());
                if let Some(client) = arg.value.client {
                    self.escape_client(client);
                }
            } else if usage.reads {
                self.release(&arg.value.ids, state, Release::Read);
            } else {
                self.hand_on(arg.value, state);
            }
        }
        if handed_back.is_empty() {
            let value = self.foreign_value(returns, span, request, state);
            if summary.returns_checked && returns.kind == Kind::Response {
                self.checked_at_source(&value.ids, returns.future, state);
            }
            return value;
        }
        if summary.returns_checked {
            for &id in &handed_back {
                self.succeeded(id, state);
            }
        }
        Value::handed_back(handed_back, returns.future, request)
    }

    /// Responses lent to a status checker (`check(&resp)?`): past the call, a success.
    fn lent_to_checker(&mut self, lent: &[Id]) {
        for &id in lent {
            self.facts.tracked[id].status_checked = true;
        }
        self.body.checked_by_call.extend(lent.iter().copied());
    }

    /// Responses of a helper that hands them back only on a success status: checked there
    /// (once awaited, for a future).
    fn checked_at_source(&mut self, ids: &[Id], future: bool, state: &mut State) {
        for &id in ids {
            let tracked = &mut self.facts.tracked[id];
            tracked.status_checked = true;
            tracked.checked_at_source = true;
            if !future {
                self.succeeded(id, state);
            }
        }
    }

    /// Responses a callee reads on some path, as its `usage` of them says: a download streams
    /// them, others read them whole.
    fn read_by_callee(&mut self, ids: &[Id], usage: ParamUse) {
        let success_path = self.body.error_path == 0;
        for &id in ids {
            let tracked = &mut self.facts.tracked[id];
            tracked.body_read = true;
            tracked.streamed |= usage.streams && success_path;
            tracked.whole_read |= usage.reads_whole && success_path;
        }
    }

    /// A call passing `None` where the callee builds a client in its place and hands it back
    /// inside its value (`InfoClient::new(None, url)`): a factory call, building one here.
    fn defaulted_client(&mut self, callee: FnId, span: Span, state: &mut State) -> ClientId {
        let factory = Factory {
            fns: vec![callee],
            dependency: None,
        };
        self.factory_construction(span, factory, state)
    }

    /// A call of a factory of the crate (see [`Engine::factory_site`]): the client it builds.
    fn factory_call(
        &mut self,
        candidates: &[FnId],
        unique: Option<FnId>,
        precise: bool,
        span: Span,
        builder: bool,
        state: &mut State,
    ) -> Option<ClientId> {
        let callees = match unique {
            Some(callee) => vec![callee],
            None if precise => candidates.to_vec(),
            None => return None,
        };
        let site = self.factory_site(&callees, span, builder)?;
        let client = self.built_client(span, ClientOrigin::Built, state);
        self.facts.clients[client].site = Some(site);
        Some(client)
    }

    /// `iter.map(reqwest::get)`, `iter.map(fetch)`: a function path used as a closure. Returns
    /// what the closure yields, and records the call it stands for (once per item when
    /// `per_item`, a handler when `handler`).
    pub(super) fn function_as_closure(
        &mut self,
        arg: &syn::Expr,
        per_item: bool,
        handler: bool,
        state: &mut State,
    ) -> Option<Value> {
        let syn::Expr::Path(path) = arg else {
            return None;
        };
        if self.cx.names.resolve_path(&path.path) == Some(ReqwestItem::Get) {
            let blocking = path.path.segments.iter().any(|s| s.ident == "blocking");
            if per_item {
                let span = self.cx.map.span(syn::spanned::Spanned::span(path));
                let client = self.built_client(
                    span,
                    ClientOrigin::GetPerItem(syntax::path_text(&path.path)),
                    state,
                );
                self.facts.clients[client].per_iteration = true;
            }
            return Some(Value::shaped(Shape::Closure(
                if self.body.is_async && !blocking {
                    Flavor::Future
                } else {
                    Flavor::Ready
                },
                RequestKind::default(),
            )));
        }
        let candidates = self.resolve_path(&path.path, state);
        if candidates.is_empty() {
            return None;
        }
        let span = self.cx.map.span(syn::spanned::Spanned::span(path));
        // Called where the analysis does not see with what.
        for &candidate in &candidates {
            self.pass(candidate, None, &[], 0);
        }
        if candidates.len() == 1 {
            let kind = if handler {
                CallKind::Handler
            } else {
                CallKind::Call
            };
            self.call_site(candidates[0], span, kind, state);
            if per_item {
                let index = self.facts.calls.len() - 1;
                let index = self
                    .call_by_span
                    .get(&(span.start.byte, span.end.byte, candidates[0]))
                    .copied()
                    .unwrap_or(index);
                self.facts.calls[index].repeated = true;
            }
        }
        let returns = self.agreed_returns(&candidates);
        Some(match returns {
            Some(Returns {
                kind: Kind::Response,
                future,
            }) => Value::shaped(Shape::Closure(
                if future {
                    Flavor::Future
                } else {
                    Flavor::Ready
                },
                RequestKind::default(),
            )),
            _ => Value::default(),
        })
    }

    /// The declared type (by name, through `Arc`/`Box`/`&`) of `self.field`.
    pub(super) fn field_type(&self, expr: &syn::Expr) -> Option<String> {
        let name = syntax::self_field(expr)?;
        self.cx.crate_map.field_type(self.function.self_ty?, &name)
    }

    /// Whether `base.name` is a reqwest `Client` field: by the declaration of the impl's type
    /// for `self.name`, by every declaration of that name otherwise.
    pub(super) fn client_field(&self, base: &syn::Expr, name: &syn::Ident) -> bool {
        let owner = match syntax::strip_refs(base) {
            syn::Expr::Path(path) if path.path.is_ident("self") => self.function.self_ty,
            _ => None,
        };
        self.cx.crate_map.client_field(owner, &syntax::name(name))
    }
}

//! Calls and method calls: sources, releases, pass-throughs, collections and leaks; calls into
//! the crate, read through the callee's summary; handlers registered with a web framework.

use rustc_hash::FxHashSet as HashSet;

use super::engine::{Engine, Release};
use super::mentions;
use super::nested::NestedContext;
use super::state::{Flavor, Fresh, Id, Shape, State, Value};
use super::vocabulary::*;
use super::{
    CallKind, CallSite, ClientOrigin, ClientSite, Event, PlaceKind, RequestKind, TrackedKind,
};
use crate::diagnostic::Span;
use crate::model::crate_map::{FnId, Owner, Receiver};
use crate::model::foreign;
use crate::model::names::ReqwestItem;
use crate::model::syntax;
use crate::model::types::{Kind, Returns};

/// An evaluated argument: its value, and whether it was passed by reference.
struct Arg {
    value: Value,
    by_ref: bool,
}

impl Engine<'_, '_> {
    /// Evaluates a call's arguments, noting which are passed by reference.
    fn args(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        state: &mut State,
    ) -> Vec<Arg> {
        args.iter()
            .map(|arg| Arg {
                value: self.expr(arg, state),
                by_ref: matches!(arg, syn::Expr::Reference(_)),
            })
            .collect()
    }

    /// A routing call's function arguments (`get(handler)`, `web::get().to(handler)`) are
    /// registered as web handlers. Returns whether there was one.
    fn register_handlers(
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
    fn run_once(
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

    /// A method call's whole span, from the start of its receiver chain (a source's span).
    fn method_call_span(&self, call: &syn::ExprMethodCall) -> Span {
        self.cx.map.span_between(
            syntax::first_span(&call.receiver),
            call.paren_token.span.close(),
        )
    }

    /// A method call's own part, `.name(args)` (a flagged call's span).
    fn method_span(&self, call: &syn::ExprMethodCall) -> Span {
        self.cx
            .map
            .span_between(call.dot_token.span, call.paren_token.span.close())
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
    fn resolve_method(
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
        if let syn::Expr::Path(path) = strip_refs(receiver) {
            // `self`, or a binding whose type the analysis knows.
            let ty = if path.path.is_ident("self") {
                self.function.self_ty
            } else {
                path.path
                    .get_ident()
                    .and_then(|ident| state.var(&syntax::name(ident)))
                    .and_then(|var| var.ty.as_deref())
            };
            if let Some(ty) = ty {
                let found = map.methods_of(ty, method);
                if !found.is_empty() {
                    return (found, true);
                }
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

    /// What the candidates all agree they return.
    fn agreed_returns(&self, candidates: &[FnId]) -> Option<Returns> {
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
    fn call_site(&mut self, callee: FnId, span: Span, kind: CallKind, state: &mut State) {
        let key = (span.start.byte, span.end.byte, callee);
        let index = match self.call_by_span.get(&key) {
            Some(index) => *index,
            None => {
                let index = self.facts.calls.len();
                self.facts.calls.push(CallSite {
                    callee,
                    span,
                    repeated: false,
                    once: self.body.once,
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
    /// parameters (1 for a method call, whose receiver is parameter 0).
    #[allow(clippy::too_many_arguments)]
    fn same_crate_call(
        &mut self,
        candidates: &[FnId],
        precise: bool,
        span: Span,
        args: Vec<Arg>,
        offset: usize,
        request: RequestKind,
        state: &mut State,
    ) -> Value {
        let unique = (precise && candidates.len() == 1).then(|| candidates[0]);
        if let Some(callee) = unique {
            self.call_site(callee, span, CallKind::Call, state);
        }
        let mut handed_back: Vec<Id> = Vec::new();
        for (position, arg) in args.into_iter().enumerate() {
            let usage = unique
                .and_then(|callee| self.cx.summaries.get(callee))
                .map(|summary| summary.param(position + offset))
                .unwrap_or_default();
            if usage.reads {
                // The callee reads it on some path: a download streams it, others read it whole.
                let success_path = self.body.error_path == 0;
                for &id in &arg.value.ids {
                    let tracked = &mut self.facts.tracked[id];
                    tracked.body_read = true;
                    tracked.streamed |= usage.streams && success_path;
                    tracked.whole_read |= usage.reads_whole && success_path;
                }
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
            if let Some(client) = arg.value.client {
                if usage.sends {
                    self.request_with(client);
                }
                if !arg.by_ref && (unique.is_none() || usage.keeps_client) {
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
                    let mut request = request;
                    if let Some(callee) = unique {
                        let sent = self.cx.summaries[callee].returns_request;
                        request.head |= sent.head;
                        request.write |= sent.write;
                    }
                    self.source(span, request, future, state)
                } else {
                    Value {
                        ids: handed_back,
                        shape: if future { Shape::Future } else { Shape::Plain },
                        client: None,
                        elements: Vec::new(),
                    }
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
                let fresh = unique.and_then(|callee| {
                    let site = self.cx.summaries.get(callee)?.fresh_client.clone()?;
                    let mut via = vec![callee];
                    via.extend(site.via.iter().copied());
                    Some(ClientSite { via, ..site })
                });
                if let Some(site) = fresh {
                    let client = self.built_client(span, ClientOrigin::Built, state);
                    self.facts.clients[client].site = Some(site);
                    value.client = Some(client);
                }
                value
            }
            None if !handed_back.is_empty() => Value::responses(handed_back),
            None => Value::default(),
        }
    }

    /// `iter.map(reqwest::get)`, `iter.map(fetch)`: a function path used as a closure. Returns
    /// what the closure yields, and records the call it stands for (once per item when
    /// `per_item`, a handler when `handler`).
    fn function_as_closure(
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
                let client =
                    self.built_client(span, ClientOrigin::GetPerItem(path_text(&path.path)), state);
                self.facts.clients[client].per_iteration = true;
            }
            return Some(Value::shaped(Shape::Closure(
                if self.body.is_async && !blocking {
                    Flavor::Future
                } else {
                    Flavor::Ready
                },
            )));
        }
        let candidates = self.resolve_path(&path.path, state);
        if candidates.is_empty() {
            return None;
        }
        let span = self.cx.map.span(syn::spanned::Spanned::span(path));
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
            }) => Value::shaped(Shape::Closure(if future {
                Flavor::Future
            } else {
                Flavor::Ready
            })),
            _ => Value::default(),
        })
    }

    pub(super) fn method_call(&mut self, call: &syn::ExprMethodCall, state: &mut State) -> Value {
        let method = syntax::name(&call.method);

        if method == "send" && call.args.is_empty() {
            if let Some(request) = self.request_chain(&call.receiver, state) {
                let receiver = self.expr(&call.receiver, state);
                if let Some(client) = receiver.client {
                    self.request_with(client);
                }
                let is_future = self.body.is_async;
                return self.source(self.method_call_span(call), request, is_future, state);
            }
        }

        let receiver = self.expr(&call.receiver, state);

        if method == "execute" && call.args.len() == 1 && receiver.shape == Shape::Client {
            let request = self.expr(&call.args[0], state);
            self.release(&request.ids, state, Release::Move);
            if let Some(client) = receiver.client {
                self.request_with(client);
            }
            let is_future = self.body.is_async;
            return self.source(
                self.method_call_span(call),
                RequestKind::default(),
                is_future,
                state,
            );
        }
        if receiver.shape == Shape::Service {
            match method.as_str() {
                // tower's `Service::call`, a middleware's `Next::run`.
                "call" | "run" => {
                    for arg in &call.args {
                        self.expr(arg, state);
                    }
                    return self.source(
                        self.method_call_span(call),
                        RequestKind::default(),
                        true,
                        state,
                    );
                }
                "ready" | "ready_and" | "clone" | "unwrap" | "expect" => {
                    return Value::shaped(Shape::Service)
                }
                _ => {}
            }
        }

        if !receiver.ids.is_empty() {
            return self.response_method(call, &method, receiver, state);
        }

        if !self.body.is_async && is_blocking_wait(&method, call.args.len()) {
            let span = self.method_span(call);
            self.hold_live(state, &[], span, PlaceKind::BlockingWait);
        }

        let per_item = PER_ITEM_ADAPTERS.contains(&method.as_str())
            || (MAYBE_PER_ITEM_ADAPTERS.contains(&method.as_str())
                && (matches!(receiver.shape, Shape::Iter(_))
                    || looks_like_iterator(&call.receiver)));
        if CLOSURE_PASSING.contains(&method.as_str()) || per_item {
            let handler = !per_item && chain_starts_with(&call.receiver, "warp");
            let context = NestedContext {
                per_item,
                once: false,
            };
            let mut closure_value = Value::default();
            for arg in &call.args {
                let value = match self.function_as_closure(arg, per_item, handler, state) {
                    Some(value) => value,
                    None => self.nested_arg(arg, context, state),
                };
                self.release(&value.ids, state, Release::Move);
                closure_value = closure_value.join(value);
            }
            return match (method.as_str(), closure_value.shape) {
                ("then", Shape::Closure(Flavor::Future)) => {
                    Value::shaped(Shape::Iter(Flavor::Ready))
                }
                ("map" | "filter_map" | "flat_map", Shape::Closure(flavor)) => {
                    Value::shaped(Shape::Iter(flavor))
                }
                _ => Value::default(),
            };
        }

        if ONCE_INITIALIZERS.contains(&method.as_str()) {
            return self.run_once(&call.args, state);
        }

        if ROUTE_METHODS.contains(&method.as_str())
            && receiver.shape != Shape::Client
            && self.register_handlers(&call.args, state)
        {
            return Value::default();
        }

        let args = self.args(&call.args, state);

        match method.as_str() {
            "buffer_unordered" | "buffered" if receiver.shape == Shape::Iter(Flavor::Future) => {
                return Value::shaped(Shape::Iter(Flavor::Ready));
            }
            "collect" | "try_collect" => return self.collect(call, method, &receiver),
            "into_iter" | "iter" | "iter_mut" | "into_stream" | "boxed" | "fuse" => {
                if let Shape::Iter(_) = receiver.shape {
                    return receiver;
                }
            }
            "push" | "push_back" | "push_front" | "insert" | "extend" | "append" => {
                let values: Vec<Value> = args.into_iter().map(|arg| arg.value).collect();
                self.store_in_collection(call, &method, &values, state);
                return Value::default();
            }
            _ => {}
        }

        // A method of one of the crate's request-builder wrappers (`send(self, check: bool)`).
        if let Shape::Builder(request) = receiver.shape {
            let map = self.cx.crate_map;
            let mut candidates: Vec<FnId> = map
                .builder_wrappers
                .iter()
                .flat_map(|wrapper| map.methods_of(wrapper, &method))
                .collect();
            candidates.sort_unstable();
            if candidates.len() == 1 {
                let span = self.method_call_span(call);
                return self.same_crate_call(&candidates, true, span, args, 1, request, state);
            }
        }
        if let Some(value) = self.client_method(call, &method, &receiver, &args, state) {
            for arg in &args {
                self.release(&arg.value.ids, state, Release::Move);
            }
            return value;
        }

        if !COMMON_METHODS.contains(&method.as_str()) || receiver_is_self(&call.receiver) {
            let (candidates, precise) = self.resolve_method(&call.receiver, &method, state);
            if !candidates.is_empty() {
                let span = self.method_call_span(call);
                let mut request = builds_head(call.args.iter());
                if let Shape::Builder(kind) = receiver.shape {
                    request.head |= kind.head;
                }
                return self.same_crate_call(&candidates, precise, span, args, 1, request, state);
            }
        }
        if !COMMON_METHODS.contains(&method.as_str()) {
            if let Some(returns) = foreign::method_returns(self.cx.names.foreign_crates(), &method)
            {
                for arg in args {
                    self.hand_on(arg.value, state);
                }
                let span = self.method_call_span(call);
                return self.foreign_value(returns, span, builds_head(call.args.iter()), state);
            }
        }
        for arg in args {
            self.release(&arg.value.ids, state, Release::Move);
            if let (Some(client), false) = (arg.value.client, arg.by_ref) {
                self.escape_client(client);
            }
        }
        // A method the vocabulary does not know, on a request builder: an extension
        // (`with_extension(x)`), which keeps it a builder.
        if let Shape::Builder(request) = receiver.shape {
            if !BUILDER_ENDS.contains(&method.as_str())
                && !COMMON_METHODS.contains(&method.as_str())
            {
                return Value {
                    ids: Vec::new(),
                    shape: Shape::Builder(request),
                    client: receiver.client,
                    elements: Vec::new(),
                };
            }
        }
        Value::default()
    }

    /// What a function of another crate returns, by its signature: a new response, a builder
    /// or a client (whose construction the analysis cannot see).
    fn foreign_value(
        &mut self,
        returns: Returns,
        span: Span,
        request: RequestKind,
        state: &mut State,
    ) -> Value {
        match returns.kind {
            Kind::Response => self.source(span, request, returns.future, state),
            Kind::Builder => Value::shaped(Shape::Builder(request)),
            Kind::Client => Value::shaped(Shape::Client),
        }
    }

    /// A method of a client, a client builder or a request builder.
    fn client_method(
        &mut self,
        call: &syn::ExprMethodCall,
        method: &str,
        receiver: &Value,
        args: &[Arg],
        state: &mut State,
    ) -> Option<Value> {
        let _ = args;
        match receiver.shape {
            Shape::Client if REQUEST_STARTS.contains(&method) => {
                if let Some(client) = receiver.client {
                    self.request_with(client);
                }
                return Some(Value {
                    ids: Vec::new(),
                    shape: Shape::Builder(request_kind(method, &call.args)),
                    client: receiver.client,
                    elements: Vec::new(),
                });
            }
            Shape::Client
                if matches!(method, "clone" | "build")
                    || PASS_THROUGHS.contains(&method)
                    || CLIENT_BUILDER_STEPS.contains(&method) =>
            {
                if let Some(client) = receiver.client {
                    let end = self.method_span(call);
                    self.client_step(client, method, &call.args, end);
                }
                return Some(receiver.clone());
            }
            Shape::Builder(request)
                if BUILDER_STEPS.contains(&method)
                    || matches!(method, "try_clone" | "unwrap" | "expect" | "upgrade") =>
            {
                // reqwest-websocket's `upgrade()`: the connection becomes a websocket.
                self.facts.upgrades |= method == "upgrade";
                return Some(Value {
                    ids: Vec::new(),
                    shape: Shape::Builder(request),
                    client: receiver.client,
                    elements: Vec::new(),
                });
            }
            _ => {}
        }
        if REQUEST_STARTS.contains(&method)
            && self.cx.mentions_reqwest
            && looks_like_client(&call.receiver)
        {
            return Some(Value::shaped(Shape::Builder(request_kind(
                method, &call.args,
            ))));
        }
        let _ = state;
        None
    }

    fn collect(&mut self, call: &syn::ExprMethodCall, method: String, receiver: &Value) -> Value {
        let named = call.turbofish.as_ref().is_some_and(|turbofish| {
            turbofish.args.iter().any(|arg| {
                matches!(arg, syn::GenericArgument::Type(ty)
                    if self.cx.names.collection_of_responses(ty))
            })
        });
        if named || receiver.shape == Shape::Iter(Flavor::Ready) {
            self.event(Event::Collected {
                span: self.method_span(call),
                call: method,
            });
            return Value::default();
        }
        match receiver.shape {
            Shape::Iter(Flavor::Future) => Value::shaped(Shape::Iter(Flavor::Future)),
            _ => Value::default(),
        }
    }

    /// A method called on a value that carries responses.
    fn response_method(
        &mut self,
        call: &syn::ExprMethodCall,
        method: &str,
        receiver: Value,
        state: &mut State,
    ) -> Value {
        if BODY_READS.contains(&method) {
            if WHOLE_BODY_READS.contains(&method) {
                self.event(Event::BodyRead {
                    span: self.method_span(call),
                    method: method.to_owned(),
                    on_error_path: self.body.error_path > 0,
                });
            }
            let how = if matches!(receiver.shape, Shape::Plain) {
                Release::Read
            } else {
                Release::Unknown
            };
            self.facts.upgrades |= method == "upgrade" || method == "into_websocket";
            // An error body read on a failure branch is neither: the success body is what
            // the function is about.
            if self.body.error_path == 0 {
                for &id in &receiver.ids {
                    let tracked = &mut self.facts.tracked[id];
                    if WHOLE_BODY_READS.contains(&method) {
                        tracked.whole_read = true;
                    } else {
                        tracked.streamed = true;
                    }
                }
            }
            self.release(&receiver.ids, state, how);
            for arg in &call.args {
                let value = self.expr(arg, state);
                self.release(&value.ids, state, Release::Move);
            }
            return Value::default();
        }
        if method == "error_for_status" {
            // An error status makes reqwest drop the response inside the call: what comes out
            // is a success.
            for &id in &receiver.ids {
                self.facts.tracked[id].status_checked = true;
            }
        }
        // The crate's own adapter for any future (`.with_metrics(..)` of a blanket impl):
        // the same response, once awaited.
        let adapter = receiver.shape == Shape::Future
            && self.cx.crate_map.methods_named(method).iter().any(|id| {
                let outline = &self.cx.crate_map.fns[*id].outline;
                outline.blanket
                    || (matches!(outline.owner, Owner::Trait { .. })
                        && outline.has_body
                        && outline.receiver == Some(Receiver::Value))
            });
        if PASS_THROUGHS.contains(&method) || adapter {
            for arg in &call.args {
                let value = self.expr(arg, state);
                self.release(&value.ids, state, Release::Move);
            }
            return receiver;
        }
        if CLOSURE_PASSING.contains(&method) {
            if let Some(syn::Expr::Closure(closure)) = call.args.first() {
                if receiver.shape == Shape::Future {
                    // `send().then(|r| ..)` on a future: the closure runs later.
                    self.release(&receiver.ids, state, Release::Unknown);
                    return Value::default();
                }
                return self.closure_in_place(closure, receiver, state);
            }
        }
        if BORROWS.contains(&method) {
            for arg in &call.args {
                self.expr(arg, state);
            }
            return Value::default();
        }
        if DISCARDS.contains(&method) {
            // `resp.error_for_status().unwrap_err()`: the response is given up on purpose.
            for arg in &call.args {
                self.expr(arg, state);
            }
            self.release(&receiver.ids, state, Release::Move);
            return Value::default();
        }
        // A method of the crate taking the response as `self` (an extension trait on reqwest's
        // response, a method of one of the crate's wrappers): what it does with it.
        let map = self.cx.crate_map;
        let mut candidates = map.methods_of("Response", method);
        for wrapper in map.wrappers.keys() {
            candidates.extend(map.methods_of(wrapper, method));
        }
        candidates.sort_unstable();
        candidates.dedup();
        if candidates.len() == 1 && receiver.shape == Shape::Plain {
            if map.fns[candidates[0]].outline.receiver == Some(Receiver::Ref) {
                for arg in &call.args {
                    let value = self.expr(arg, state);
                    self.release(&value.ids, state, Release::Move);
                }
                let span = self.method_call_span(call);
                self.call_site(candidates[0], span, CallKind::Call, state);
                return Value::default();
            }
            let span = self.method_call_span(call);
            let mut args = vec![Arg {
                value: receiver,
                by_ref: false,
            }];
            args.extend(self.args(&call.args, state));
            let request = builds_head(call.args.iter());
            return self.same_crate_call(&candidates, true, span, args, 0, request, state);
        }
        // Anything else: cannot tell what it does with the response.
        self.release(&receiver.ids, state, Release::Unknown);
        for arg in &call.args {
            let value = self.expr(arg, state);
            self.release(&value.ids, state, Release::Move);
        }
        Value::default()
    }

    fn store_in_collection(
        &mut self,
        call: &syn::ExprMethodCall,
        method: &str,
        args: &[Value],
        state: &mut State,
    ) {
        let collection = root_name(&call.receiver);
        let outlives = match collection.as_deref().and_then(|name| state.var(name)) {
            Some(var) => var.captured || var.loop_depth < self.body.loop_depth,
            None => self.body.loop_depth > 0 || self.body.in_closure,
        };
        let is_set = collection
            .as_deref()
            .is_some_and(|name| self.future_sets.contains(name));
        let annotated = !is_set
            && collection
                .as_deref()
                .and_then(|name| state.var(name))
                .is_some_and(|var| var.value.shape == Shape::Iter(Flavor::Ready));
        let mut gathers_responses = annotated;
        let mut gathers_futures = false;
        for value in args {
            match value.shape {
                Shape::Plain if !value.ids.is_empty() => gathers_responses = true,
                Shape::Future if !value.ids.is_empty() => gathers_futures = true,
                Shape::Iter(Flavor::Ready) => gathers_responses = true,
                Shape::Iter(Flavor::Future) => gathers_futures = true,
                _ => {}
            }
            self.release(&value.ids, state, Release::Move);
            if let Some(client) = value.client {
                self.escape_client(client);
            }
        }
        if gathers_responses && outlives {
            self.event(Event::Collected {
                span: self.method_span(call),
                call: method.to_owned(),
            });
        }
        if gathers_futures {
            // A set of futures yields their outputs: responses. A `Vec` yields the futures.
            let flavor = if is_set {
                Flavor::Ready
            } else {
                Flavor::Future
            };
            if let Some(var) = collection.as_deref().and_then(|name| state.var_mut(name)) {
                var.value.shape = Shape::Iter(flavor);
            }
        }
    }

    /// Whether `receiver.send()` sends a reqwest request: the receiver is a request-builder
    /// chain. Returns the kind of request. Between a known request start and the `send()`,
    /// a method the vocabulary does not know is a builder extension (`with_extension(x)`, a
    /// trait of another crate); a chain with one must start at a value known to be a client
    /// (or a builder), not only at a method called `get` in a file that mentions reqwest.
    fn request_chain(&self, receiver: &syn::Expr, state: &State) -> Option<RequestKind> {
        let mut expr = receiver;
        let mut extended = false;
        loop {
            match expr {
                syn::Expr::MethodCall(call) => {
                    let method = syntax::name(&call.method);
                    if BUILDER_STEPS.contains(&method.as_str()) || method == "try_clone" {
                        expr = &call.receiver;
                        continue;
                    }
                    // `builder.try_clone().unwrap().send()`, the retry idiom.
                    if matches!(method.as_str(), "unwrap" | "expect") {
                        if let syn::Expr::MethodCall(inner) = &*call.receiver {
                            if inner.method == "try_clone" {
                                expr = &inner.receiver;
                                continue;
                            }
                        }
                    }
                    // The crate's own `self.request(..)` builds the crate's own request.
                    if receiver_is_self(&call.receiver) {
                        let (candidates, _) = self.resolve_method(&call.receiver, &method, state);
                        if !candidates.is_empty() {
                            return (self.agreed_returns(&candidates).map(|r| r.kind)
                                == Some(Kind::Builder))
                            .then_some(RequestKind::default());
                        }
                    }
                    // `client.get("")` fails in the builder: it only makes an error.
                    if is_empty_url(call.args.first()) {
                        return None;
                    }
                    if REQUEST_STARTS.contains(&method.as_str()) {
                        let request = request_kind(&method, &call.args);
                        let client =
                            self.static_shape(&call.receiver, state) == Some(Shape::Client);
                        // `self.client.request(..)` where the field's type is the crate's own
                        // client: its method says what it builds.
                        if let Some(ty) = self.field_type(&call.receiver) {
                            let own = self.cx.crate_map.methods_of(&ty, &method);
                            if !own.is_empty() {
                                return (self.agreed_returns(&own).map(|r| r.kind)
                                    == Some(Kind::Builder))
                                .then_some(RequestKind::default());
                            }
                        }
                        return (client || (self.cx.mentions_reqwest && !extended))
                            .then_some(request);
                    }
                    if !COMMON_METHODS.contains(&method.as_str())
                        || receiver_is_self(&call.receiver)
                    {
                        let (candidates, _) = self.resolve_method(&call.receiver, &method, state);
                        if !candidates.is_empty() {
                            return (self.agreed_returns(&candidates).map(|r| r.kind)
                                == Some(Kind::Builder))
                            .then_some(RequestKind::default());
                        }
                    }
                    let known_elsewhere = COMMON_METHODS.contains(&method.as_str())
                        || BUILDER_ENDS.contains(&method.as_str())
                        || foreign::method_returns(self.cx.names.foreign_crates(), &method)
                            .is_some_and(|returns| returns.kind != Kind::Builder);
                    if known_elsewhere {
                        return None;
                    }
                    // A builder extension.
                    extended = true;
                    expr = &call.receiver;
                }
                syn::Expr::Paren(paren) => expr = &paren.expr,
                syn::Expr::Group(group) => expr = &group.expr,
                syn::Expr::Try(try_expr) => expr = &try_expr.expr,
                syn::Expr::Path(_) | syn::Expr::Call(_) | syn::Expr::Field(_) => {
                    return match self.static_shape(expr, state) {
                        Some(Shape::Builder(request)) => Some(request),
                        _ => None,
                    };
                }
                _ => return None,
            }
        }
    }

    /// The shape of a simple expression without walking it (no effects).
    fn static_shape(&self, expr: &syn::Expr, state: &State) -> Option<Shape> {
        match expr {
            syn::Expr::Path(path) => {
                let name = syntax::local_name(path)?;
                state.var(&name).map(|var| var.value.shape)
            }
            syn::Expr::Field(field) => match &field.member {
                syn::Member::Named(name) if self.client_field(&field.base, name) => {
                    Some(Shape::Client)
                }
                _ => None,
            },
            syn::Expr::Reference(reference) => self.static_shape(&reference.expr, state),
            syn::Expr::Paren(paren) => self.static_shape(&paren.expr, state),
            syn::Expr::Call(call) => {
                let syn::Expr::Path(path) = &*call.func else {
                    return None;
                };
                if self.cx.names.client_constructor(&path.path).is_some() {
                    return Some(Shape::Client);
                }
                match self
                    .agreed_returns(&self.resolve_path(&path.path, state))?
                    .kind
                {
                    Kind::Builder => Some(Shape::Builder(RequestKind::default())),
                    Kind::Client => Some(Shape::Client),
                    Kind::Response => None,
                }
            }
            _ => None,
        }
    }

    /// The declared type (by name, through `Arc`/`Box`/`&`) of `self.field`.
    fn field_type(&self, expr: &syn::Expr) -> Option<String> {
        let name = self_field(expr)?;
        self.cx.crate_map.field_type(self.function.self_ty?, &name)
    }

    /// The type name of what iterating `expr` yields, when it is a collection field of
    /// `self` (`self.items`, `&self.items`, `self.items.iter()`, `.clone()`, `.into_iter()`).
    pub(super) fn element_type(&self, expr: &syn::Expr) -> Option<String> {
        let mut expr = strip_refs(expr);
        while let syn::Expr::MethodCall(call) = expr {
            if !call.args.is_empty()
                || !matches!(
                    syntax::name(&call.method).as_str(),
                    "iter" | "iter_mut" | "into_iter" | "clone"
                )
            {
                return None;
            }
            expr = strip_refs(&call.receiver);
        }
        let name = self_field(expr)?;
        self.cx
            .crate_map
            .element_type(self.function.self_ty?, &name)
    }

    /// Whether `base.name` is a reqwest `Client` field: by the declaration of the impl's type
    /// for `self.name`, by every declaration of that name otherwise.
    pub(super) fn client_field(&self, base: &syn::Expr, name: &syn::Ident) -> bool {
        let owner = match strip_refs(base) {
            syn::Expr::Path(path) if path.path.is_ident("self") => self.function.self_ty,
            _ => None,
        };
        self.cx.crate_map.client_field(owner, &syntax::name(name))
    }

    pub(super) fn call(&mut self, call: &syn::ExprCall, state: &mut State) -> Value {
        let span = self.cx.map.span_between(
            syntax::first_span(&call.func),
            call.paren_token.span.close(),
        );
        let syn::Expr::Path(path) = &*call.func else {
            self.expr(&call.func, state);
            for arg in &call.args {
                let value = self.expr(arg, state);
                self.hand_on(value, state);
            }
            return Value::default();
        };
        let segments = syntax::segments(&path.path);
        let last = segments.last().map(String::as_str).unwrap_or_default();
        let type_name = segments
            .len()
            .checked_sub(2)
            .map(|at| segments[at].as_str())
            .unwrap_or_default();
        let written = segments.join("::");

        if self.cx.names.resolve_segments(&segments) == Some(ReqwestItem::Get) {
            for arg in &call.args {
                self.expr(arg, state);
            }
            let blocking = segments.iter().any(|s| s == "blocking");
            let is_future = self.body.is_async && !blocking;
            self.built_client(span, ClientOrigin::Get(path_text(&path.path)), state);
            return self.source(span, RequestKind::default(), is_future, state);
        }
        if last == "new"
            && self
                .cx
                .names
                .resolve_segments(&segments[..segments.len() - 1])
                == Some(ReqwestItem::WrappingClientBuilder)
        {
            // `reqwest_middleware::ClientBuilder::new(client)`: the same client, wrapped.
            let mut wrapped = Value::shaped(Shape::Client);
            for arg in &call.args {
                let value = self.expr(arg, state);
                wrapped.client = wrapped.client.or(value.client);
            }
            return wrapped;
        }
        if self.cx.names.client_constructor(&path.path).is_some() {
            for arg in &call.args {
                self.expr(arg, state);
            }
            let client = self.built_client(span, ClientOrigin::Built, state);
            return Value {
                ids: Vec::new(),
                shape: Shape::Client,
                client: Some(client),
                elements: Vec::new(),
            };
        }
        // A local closure that yields responses: each call makes a request.
        if let Some(name) = syntax::local_name(path) {
            if let Some(Shape::FnItem(function)) = state.var(&name).map(|var| var.value.shape) {
                let args = self.args(&call.args, state);
                let request = builds_head(call.args.iter());
                return self.same_crate_call(&[function], true, span, args, 0, request, state);
            }
            if let Some(Shape::Closure(flavor)) = state.var(&name).map(|var| var.value.shape) {
                for arg in &call.args {
                    let value = self.expr(arg, state);
                    self.hand_on(value, state);
                }
                return self.source(
                    span,
                    RequestKind::default(),
                    flavor == Flavor::Future,
                    state,
                );
            }
        }

        if last == "copy" && (segments.len() == 1 || type_name == "io") {
            // `io::copy(&mut resp, &mut out)` reads the body through `&mut`.
            let mut args = call.args.iter();
            if let Some(syn::Expr::Reference(reader)) = args.next() {
                let value = self.expr(&reader.expr, state);
                for &id in &value.ids {
                    self.facts.tracked[id].streamed = true;
                }
                self.release(&value.ids, state, Release::Read);
            }
            for arg in args {
                self.expr(arg, state);
            }
            return Value::default();
        }
        if last == "timeout" && call.args.len() == 2 {
            // `tokio::time::timeout(d, client.get(u).send())`: the same future, with a deadline.
            self.expr(&call.args[0], state);
            let future = self.expr(&call.args[1], state);
            if future.shape == Shape::Future {
                return future;
            }
            self.hand_on(future, state);
            return Value::default();
        }
        if !self.body.is_async && last == "sleep" && (segments.len() == 1 || type_name == "thread")
        {
            self.hold_live(state, &[], span, PlaceKind::BlockingWait);
        }
        if ONCE_CONSTRUCTORS.contains(&type_name) && last == "new" {
            return self.run_once(&call.args, state);
        }

        let candidates = self.resolve_path(&path.path, state);
        if candidates.is_empty()
            && ROUTE_FUNCTIONS.contains(&last)
            && self.register_handlers(&call.args, state)
        {
            return Value::default();
        }

        let args = self.args(&call.args, state);
        let all_ids: Vec<Id> = args
            .iter()
            .flat_map(|arg| arg.value.ids.iter().copied())
            .collect();

        match (type_name, last) {
            (_, "drop") if segments.len() == 1 || type_name == "mem" => {
                self.release(&all_ids, state, Release::Move);
                return Value::default();
            }
            (_, "forget") | ("Box", "leak")
                if type_name == "Box" || type_name == "mem" || segments.len() == 1 =>
            {
                if !all_ids.is_empty() {
                    self.event(Event::Leak {
                        span,
                        call: written,
                    });
                }
                self.release(&all_ids, state, Release::Move);
                return Value::default();
            }
            ("Box", "into_raw") | ("ManuallyDrop", "new") if !all_ids.is_empty() => {
                self.release(&all_ids, state, Release::Move);
                let kind = if last == "new" {
                    TrackedKind::ManuallyDrop
                } else {
                    TrackedKind::RawPointer
                };
                let id = self.track(kind, span, 1);
                state.live.insert(id);
                return Value::responses(vec![id]);
            }
            ("ManuallyDrop", "drop" | "into_inner" | "take") => {
                let names: HashSet<String> = call.args.iter().flat_map(mentions::in_expr).collect();
                let ids = self.mentioned_ids(&names, state);
                self.release(&ids, state, Release::Move);
                return Value::default();
            }
            (_, "Some" | "Ok" | "Err") | ("Box" | "Arc" | "Rc" | "Pin", "new" | "pin")
                if args.len() == 1 =>
            {
                return args
                    .into_iter()
                    .next()
                    .map(|arg| arg.value)
                    .unwrap_or_default();
            }
            // `serde_json::from_reader(resp)`: a blocking body read to its end.
            (_, "from_reader") => {
                for &id in &all_ids {
                    self.facts.tracked[id].whole_read = true;
                }
                self.release(&all_ids, state, Release::Read);
                return Value::default();
            }
            ("BufReader", "new") => {
                for &id in &all_ids {
                    self.facts.tracked[id].streamed = true;
                }
                self.release(&all_ids, state, Release::Read);
                return Value::default();
            }
            (_, "join_all" | "try_join_all" | "join_all_ordered") => {
                if args
                    .iter()
                    .any(|arg| arg.value.shape == Shape::Iter(Flavor::Future))
                {
                    self.event(Event::Collected {
                        span,
                        call: written,
                    });
                }
                self.release(&all_ids, state, Release::Move);
                return Value::default();
            }
            _ => {}
        }

        if !candidates.is_empty() {
            let request = builds_head(call.args.iter());
            return self.same_crate_call(&candidates, true, span, args, 0, request, state);
        }
        if let Some(returns) = self.cx.names.foreign_function(&segments) {
            for arg in args {
                self.hand_on(arg.value, state);
            }
            return self.foreign_value(returns, span, builds_head(call.args.iter()), state);
        }
        for arg in args {
            self.release(&arg.value.ids, state, Release::Move);
            if let (Some(client), false) = (arg.value.client, arg.by_ref) {
                self.escape_client(client);
            }
        }
        Value::default()
    }
}

/// The kind of request the arguments of a call of the crate build, when they all agree:
/// `retry(|| client.head(url).send())`, `send_request(Request::new(Method::HEAD, url))`,
/// `from_client(self, |c| c.head(&url))` make HEAD requests (no body);
/// `retry(|| client.post(url).json(&b).send())` makes a write.
fn builds_head<'e>(args: impl Iterator<Item = &'e syn::Expr>) -> RequestKind {
    #[derive(Default)]
    struct Finder {
        methods: Vec<String>,
    }
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            let method = call.method.to_string();
            if matches!(
                method.as_str(),
                "head" | "post" | "put" | "patch" | "delete" | "get"
            ) && call.args.len() <= 1
            {
                self.methods.push(method.to_uppercase());
            }
            syn::visit::visit_expr_method_call(self, call);
        }
        fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
            if let Some(method) = method_constant(&syn::Expr::Path(path.clone())) {
                self.methods.push(method);
            }
        }
    }
    let mut finder = Finder::default();
    for arg in args {
        syn::visit::Visit::visit_expr(&mut finder, arg);
    }
    let kinds: Vec<RequestKind> = finder
        .methods
        .iter()
        .map(|method| method_kind(Some(method)))
        .collect();
    RequestKind {
        head: !kinds.is_empty() && kinds.iter().all(|k| k.head),
        write: !kinds.is_empty() && kinds.iter().all(|k| k.write),
    }
}

/// Whether a method call blocks the thread until something else happens: a channel's
/// `recv()`, a thread's `join()`, a barrier's `wait()`.
fn is_blocking_wait(method: &str, args: usize) -> bool {
    matches!(
        (method, args),
        ("recv" | "join" | "wait", 0) | ("recv_timeout" | "wait_timeout", 1)
    )
}

/// `""`: a URL that cannot be requested.
fn is_empty_url(arg: Option<&syn::Expr>) -> bool {
    matches!(arg, Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })) if text.value().is_empty())
}

/// The kind of request a request start makes: `head(..)`, `post(..)`,
/// `request(Method::HEAD, ..)`.
pub(super) fn request_kind(
    method: &str,
    args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
) -> RequestKind {
    let name = match method {
        "request" => args.first().and_then(method_constant),
        other => Some(other.to_uppercase()),
    };
    method_kind(name.as_deref())
}

/// The kind of request an HTTP method name makes.
pub(super) fn method_kind(method: Option<&str>) -> RequestKind {
    RequestKind {
        head: method == Some("HEAD"),
        write: matches!(method, Some("POST" | "PUT" | "PATCH" | "DELETE")),
    }
}

/// `Method::HEAD`, `reqwest::Method::POST`, `http::Method::DELETE`: the constant's name.
pub(super) fn method_constant(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(path) => {
            let last = path.path.segments.last()?.ident.to_string();
            let is_method = path.path.segments.len() >= 2
                && path.path.segments[path.path.segments.len() - 2].ident == "Method";
            (is_method
                && matches!(
                    last.as_str(),
                    "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS"
                ))
            .then_some(last)
        }
        syn::Expr::Paren(paren) => method_constant(&paren.expr),
        syn::Expr::Reference(reference) => method_constant(&reference.expr),
        _ => None,
    }
}

/// A receiver named like a client: `client`, `self.http`, `api_client()`.
fn looks_like_client(expr: &syn::Expr) -> bool {
    let name = match expr {
        syn::Expr::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        syn::Expr::Field(field) => match &field.member {
            syn::Member::Named(ident) => Some(ident.to_string()),
            syn::Member::Unnamed(_) => None,
        },
        syn::Expr::MethodCall(call) => Some(call.method.to_string()),
        syn::Expr::Call(call) => match &*call.func {
            syn::Expr::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        syn::Expr::Reference(reference) => return looks_like_client(&reference.expr),
        syn::Expr::Paren(paren) => return looks_like_client(&paren.expr),
        _ => None,
    };
    name.is_some_and(|name| {
        let name = name.to_lowercase();
        name.contains("client") || name.contains("http")
    })
}

/// Whether `expr` is visibly an iterator or stream: `xs.iter()`, `stream::iter(xs)`, `0..n`,
/// and adapters of those.
pub(super) fn looks_like_iterator(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::MethodCall(call) => {
            let method = call.method.to_string();
            ITERATOR_STARTS.contains(&method.as_str())
                || (ITERATOR_STEPS.contains(&method.as_str())
                    && looks_like_iterator(&call.receiver))
        }
        syn::Expr::Call(call) => match &*call.func {
            syn::Expr::Path(path) => {
                path.path.segments.len() >= 2
                    && path.path.segments.last().is_some_and(|s| {
                        matches!(
                            s.ident.to_string().as_str(),
                            "iter" | "repeat" | "repeat_with" | "from_fn" | "unfold" | "successors"
                        )
                    })
            }
            _ => false,
        },
        syn::Expr::Range(_) => true,
        syn::Expr::Paren(paren) => looks_like_iterator(&paren.expr),
        syn::Expr::Reference(reference) => looks_like_iterator(&reference.expr),
        _ => false,
    }
}

/// Whether a method-call chain starts at a path of `krate` (`warp::path("x").and(..)`).
fn chain_starts_with(expr: &syn::Expr, krate: &str) -> bool {
    match expr {
        syn::Expr::MethodCall(call) => chain_starts_with(&call.receiver, krate),
        syn::Expr::Call(call) => chain_starts_with(&call.func, krate),
        syn::Expr::Path(path) => path.path.segments.first().is_some_and(|s| s.ident == krate),
        syn::Expr::Paren(paren) => chain_starts_with(&paren.expr, krate),
        _ => false,
    }
}

fn strip_refs(expr: &syn::Expr) -> &syn::Expr {
    match expr {
        syn::Expr::Reference(reference) => strip_refs(&reference.expr),
        syn::Expr::Paren(paren) => strip_refs(&paren.expr),
        other => other,
    }
}

fn receiver_is_self(expr: &syn::Expr) -> bool {
    matches!(strip_refs(expr), syn::Expr::Path(path) if path.path.is_ident("self"))
}

/// The local name at the root of `v`, `self.v`, `v.field` (for collections).
fn root_name(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(path) => syntax::local_name(path),
        syn::Expr::Paren(paren) => root_name(&paren.expr),
        syn::Expr::Reference(reference) => root_name(&reference.expr),
        syn::Expr::Unary(unary) => root_name(&unary.expr),
        _ => None,
    }
}

/// A path as written, with a leading `::` if it has one.
pub(super) fn path_text(path: &syn::Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let prefix = if path.leading_colon.is_some() {
        "::"
    } else {
        ""
    };
    format!("{prefix}{}", segments.join("::"))
}

/// The name of the field `expr` reads of `self` (`self.name`, through references).
fn self_field(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::Field(field) = strip_refs(expr) else {
        return None;
    };
    let syn::Member::Named(name) = &field.member else {
        return None;
    };
    let syn::Expr::Path(base) = strip_refs(&field.base) else {
        return None;
    };
    base.path.is_ident("self").then(|| syntax::name(name))
}

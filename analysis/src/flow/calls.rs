//! Calls and method calls, dispatched by what they call: reqwest ([`super::responses`]), the
//! crate ([`super::crate_calls`]), collections ([`super::collections`]), and the standard
//! library's releases, pass-throughs and leaks.

use rustc_hash::FxHashSet as HashSet;

use super::collections::looks_like_iterator;
use super::engine::{Engine, NestedContext, Release};
use super::mentions;
use super::responses::{chain_starts_with, is_blocking_wait};
use super::state::{Arg, Flavor, Id, Shape, State, Value};
use super::vocabulary::*;
use super::{ClientOrigin, Event, PlaceKind, RequestKind, TrackedKind};
use crate::diagnostic::Span;
use crate::model::crate_map::FnId;
use crate::model::foreign;
use crate::model::names::ReqwestItem;
use crate::model::syntax;
use crate::model::types::Kind;

impl Engine<'_, '_> {
    /// Evaluates a call's arguments, noting which are passed by reference.
    pub(super) fn args(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        state: &mut State,
    ) -> Vec<Arg> {
        args.iter().map(|arg| self.arg(arg, state)).collect()
    }

    /// Evaluates one argument, noting the responses a `&resp` lends.
    fn arg(&mut self, arg: &syn::Expr, state: &mut State) -> Arg {
        let mut lent = lent_responses(arg, state);
        if lent.is_empty() {
            lent = self.status_of(arg, state);
        }
        Arg {
            lent,
            value: self.expr(arg, state),
            by_ref: matches!(arg, syn::Expr::Reference(_)),
            lent_mut: Vec::new(),
            none: matches!(arg, syn::Expr::Path(path) if path.path.is_ident("None")),
        }
    }

    /// The arguments of a call into the crate: a `&mut resp` is lent, for the callee's summary
    /// to say what the borrow does, rather than given up as unknown.
    pub(super) fn crate_call_args(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        state: &mut State,
    ) -> Vec<Arg> {
        args.iter()
            .map(|arg| {
                let lent_mut = lent_mut_responses(arg, state);
                if lent_mut.is_empty() {
                    return self.arg(arg, state);
                }
                Arg {
                    lent: Vec::new(),
                    value: Value::default(),
                    by_ref: true,
                    lent_mut,
                    none: false,
                }
            })
            .collect()
    }

    /// A method call's whole span, from the start of its receiver chain (a source's span).
    pub(super) fn method_call_span(&self, call: &syn::ExprMethodCall) -> Span {
        self.cx.map.span_between(
            syntax::first_span(&call.receiver),
            call.paren_token.span.close(),
        )
    }

    /// A method call's own part, `.name(args)` (a flagged call's span).
    pub(super) fn method_span(&self, call: &syn::ExprMethodCall) -> Span {
        self.cx
            .map
            .span_between(call.dot_token.span, call.paren_token.span.close())
    }

    pub(super) fn method_call(&mut self, call: &syn::ExprMethodCall, state: &mut State) -> Value {
        let method = syntax::name(&call.method);

        if method == "send" && call.args.is_empty() {
            if let Some(request) = self.request_chain(&call.receiver, state) {
                let receiver = self.expr(&call.receiver, state);
                if let Some(client) = receiver.client {
                    self.request_with(client, self.method_call_span(call), state);
                }
                // The builder's own method, as the walk followed it (through bindings, the
                // crate's wrappers and functions), over what the chain shows.
                let request = match receiver.shape {
                    Shape::Builder(kind) => kind,
                    _ => request,
                };
                let is_future = self.body.is_async;
                return self.source(self.method_call_span(call), request, is_future, state);
            }
        }

        let receiver = self.expr(&call.receiver, state);

        if let Some(client) = self.defaulted_param(&receiver, &method, &call.args) {
            self.facts.clients[client].defaulted = true;
            return receiver;
        }

        if receiver.client.is_none() && self.builds_from_field(&call.receiver, &method) {
            for arg in &call.args {
                self.expr(arg, state);
            }
            let span = self.method_call_span(call);
            let client = self.built_client(span, ClientOrigin::Built, state);
            return Value {
                ids: Vec::new(),
                shape: Shape::Client,
                client: Some(client),
                elements: Vec::new(),
            };
        }

        // `client.execute(req)`, or `execute` given a request the walk follows (a client
        // behind a tuple field, say).
        let executes_request = || {
            matches!(
                self.static_shape(&call.args[0], state),
                Some(Shape::Builder(_))
            )
        };
        if method == "execute"
            && call.args.len() == 1
            && (receiver.shape == Shape::Client || executes_request())
        {
            let request = self.expr(&call.args[0], state);
            self.release(&request.ids, state, Release::Move);
            if let Some(client) = receiver.client {
                self.request_with(client, self.method_call_span(call), state);
            }
            let is_future = self.body.is_async;
            let kind = match request.shape {
                Shape::Builder(kind) => kind,
                _ => RequestKind::default(),
            };
            return self.source(self.method_call_span(call), kind, is_future, state);
        }
        if receiver.shape == Shape::Service {
            match method.as_str() {
                // tower's `Service::call`, a middleware's `Next::run`.
                "call" | "run" => {
                    // The request it is given says the method of what comes back.
                    let mut kind = RequestKind::default();
                    for (position, arg) in call.args.iter().enumerate() {
                        let value = self.expr(arg, state);
                        if let (0, Shape::Builder(request)) = (position, value.shape) {
                            kind = request;
                        }
                    }
                    return self.source(self.method_call_span(call), kind, true, state);
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
            self.blocks = true;
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
                ("then", Shape::Closure(Flavor::Future, _)) => {
                    Value::shaped(Shape::Iter(Flavor::Ready))
                }
                ("map" | "filter_map" | "flat_map", Shape::Closure(flavor, _)) => {
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

        let args = match self.holder_method(call, &method, &receiver, args, state) {
            Ok(value) => return value,
            Err(args) => args,
        };

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
                return self.same_crate_call(
                    &candidates,
                    true,
                    span,
                    args,
                    1,
                    Some(request),
                    state,
                );
            }
        }
        if let Some(value) = self.client_method(call, &method, &receiver, &args, state) {
            for arg in &args {
                self.release(&arg.value.ids, state, Release::Move);
            }
            return value;
        }

        // A common name is looked up when the receiver's type is known: `Builder::new().build()`.
        if !COMMON_METHODS.contains(&method.as_str())
            || syntax::receiver_is_self(&call.receiver)
            || (!self.cx.crate_map.methods_named(&method).is_empty()
                && self.receiver_type(&call.receiver, state).is_some())
        {
            let (candidates, precise) = self.resolve_method(&call.receiver, &method, state);
            if !candidates.is_empty() {
                let span = self.method_call_span(call);
                let request = self.kind_of(&receiver);
                return self.same_crate_call(&candidates, precise, span, args, 1, request, state);
            }
        }
        if !COMMON_METHODS.contains(&method.as_str()) {
            if let Some(returns) = foreign::method_returns(self.cx.names.foreign_crates(), &method)
            {
                let span = self.method_call_span(call);
                let crates = self.cx.names.foreign_crates();
                if let Some(handoff) = foreign::method_handoff(crates, &method) {
                    let request = self.kind_of(&receiver);
                    return self.foreign_call(returns, handoff, span, args, 1, request, state);
                }
                for arg in args {
                    self.hand_on(arg.value, state);
                }
                return self.foreign_value(returns, span, RequestKind::default(), state);
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
            self.built_client(
                span,
                ClientOrigin::Get(syntax::path_text(&path.path)),
                state,
            );
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
        if let Some(written) = self.cx.names.foreign_constructor(&segments) {
            // A dependency's function that builds a client and hands it back: a construction
            // here, of a client or of a value holding one.
            for arg in &call.args {
                let value = self.expr(arg, state);
                self.hand_on(value, state);
            }
            let shape = match self.cx.names.foreign_function(&segments).map(|r| r.kind) {
                Some(Kind::Client) => Shape::Client,
                Some(Kind::Builder) => Shape::Builder(RequestKind::default()),
                _ => Shape::Plain,
            };
            return self.dependency_construction(span, written, shape, state);
        }
        if self.cx.names.client_constructor(&path.path).is_some() {
            // A client type's constructor given a client (`ClientWithMiddleware::new(client,
            // ..)`): the same client, wrapped; no pool of its own.
            let mut given = None;
            for arg in &call.args {
                let value = self.expr(arg, state);
                given = given.or(value.client);
            }
            if given.is_some() {
                let mut wrapped = Value::shaped(Shape::Client);
                wrapped.client = given;
                return wrapped;
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
            if let Some(value) = self.builder_step_call(call, &name, state) {
                return value;
            }
            if let Some(Shape::FnItem(function)) = state.var(&name).map(|var| var.value.shape) {
                let args = self.args(&call.args, state);
                return self.same_crate_call(&[function], true, span, args, 0, None, state);
            }
            if let Some(Shape::Closure(flavor, kind)) = state.var(&name).map(|var| var.value.shape)
            {
                for arg in &call.args {
                    let value = self.expr(arg, state);
                    self.hand_on(value, state);
                }
                return self.source(span, kind, flavor == Flavor::Future, state);
            }
            // A closure or callable that makes a builder: the builder it makes.
            if let Some(Shape::Maker(kind)) = state.var(&name).map(|var| var.value.shape) {
                for arg in &call.args {
                    let value = self.expr(arg, state);
                    self.hand_on(value, state);
                }
                return Value::shaped(Shape::Builder(kind));
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
            if matches!(future.shape, Shape::Future(_)) {
                return future;
            }
            self.hand_on(future, state);
            return Value::default();
        }
        if !self.body.is_async && last == "sleep" && (segments.len() == 1 || type_name == "thread")
        {
            self.hold_live(state, &[], span, PlaceKind::BlockingWait);
            self.blocks = true;
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

        let args = if candidates.is_empty() {
            self.args(&call.args, state)
        } else {
            self.crate_call_args(&call.args, state)
        };
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
            // `Arc::clone(&holder)`: the same client (the same pool) behind a new handle. Only
            // the client is carried: what else the argument holds stays where it is.
            ("Arc" | "Rc" | "Clone", "clone")
                if args.len() == 1 && args[0].value.client.is_some() =>
            {
                let value = &args[0].value;
                return Value {
                    ids: Vec::new(),
                    shape: match value.shape {
                        Shape::Client => Shape::Client,
                        _ => Shape::Plain,
                    },
                    client: value.client,
                    elements: Vec::new(),
                };
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
            return self.same_crate_call(&candidates, true, span, args, 0, None, state);
        }
        // `Request::new(method, url)`: a request of that method, sent by `execute`.
        if (type_name, last) == ("Request", "new") && args.len() == 2 {
            if let Shape::Method(kind) = args[0].value.shape {
                return Value::shaped(Shape::Builder(kind));
            }
        }
        if let Some(returns) = self.cx.names.foreign_function(&segments) {
            if let Some(handoff) = self.cx.names.foreign_handoff(&segments) {
                return self.foreign_call(returns, handoff, span, args, 0, None, state);
            }
            for arg in args {
                self.hand_on(arg.value, state);
            }
            return self.foreign_value(returns, span, RequestKind::default(), state);
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

impl Engine<'_, '_> {
    /// The live responses whose status an argument is: `resp.status()`, `&resp.status()`, or a
    /// binding of it (`let status = resp.status();` then `&status`).
    fn status_of(&self, arg: &syn::Expr, state: &State) -> Vec<Id> {
        let mut expr = syntax::strip_parens(syntax::strip_refs(arg));
        if let syn::Expr::Path(path) = expr {
            if let Some(definition) =
                syntax::local_name(path).and_then(|n| self.status_defs.get(&n))
            {
                expr = syntax::strip_parens(definition);
            }
        }
        let syn::Expr::MethodCall(call) = expr else {
            return Vec::new();
        };
        if call.method != "status" || !call.args.is_empty() {
            return Vec::new();
        }
        let syn::Expr::Path(receiver) = syntax::strip_parens(&call.receiver) else {
            return Vec::new();
        };
        live_responses_of(receiver, state)
    }
}

/// The live responses `&name` lends to a call.
fn lent_responses(arg: &syn::Expr, state: &State) -> Vec<Id> {
    borrowed_responses(arg, false, state)
}

/// The live responses a `&mut resp` argument lends.
fn lent_mut_responses(arg: &syn::Expr, state: &State) -> Vec<Id> {
    borrowed_responses(arg, true, state)
}

fn borrowed_responses(arg: &syn::Expr, mutable: bool, state: &State) -> Vec<Id> {
    let syn::Expr::Reference(reference) = arg else {
        return Vec::new();
    };
    let syn::Expr::Path(path) = &*reference.expr else {
        return Vec::new();
    };
    if reference.mutability.is_some() != mutable {
        return Vec::new();
    }
    live_responses_of(path, state)
}

/// The live responses the local binding `path` names may be.
fn live_responses_of(path: &syn::ExprPath, state: &State) -> Vec<Id> {
    syntax::local_name(path)
        .and_then(|name| state.var(&name))
        .map(|var| {
            var.value
                .ids
                .iter()
                .copied()
                .filter(|id| state.live.contains(id))
                .collect()
        })
        .unwrap_or_default()
}

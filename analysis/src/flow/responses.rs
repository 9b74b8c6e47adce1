//! reqwest's side of a call: requests built and sent, client methods, what a response method
//! does with the response (reads, releases, passes on), and values of crates that wrap reqwest.

use super::engine::{Engine, Release};
use super::state::{Arg, Shape, State, Value};
use super::vocabulary::*;
use super::{CallKind, Event, RequestKind};
use crate::diagnostic::Span;
use crate::model::crate_map::{Owner, Receiver};
use crate::model::foreign;
use crate::model::syntax;
use crate::model::types::{Kind, Returns};

impl Engine<'_, '_> {
    /// The kind of request a request start makes: `head(..)`, `post(..)`, and
    /// `request(m, ..)` with the method `m` carries (a constant, a parameter, a binding).
    fn start_kind(&self, method: &str, args: &[Arg]) -> RequestKind {
        match method {
            "request" => args
                .first()
                .and_then(|arg| match arg.value.shape {
                    Shape::Method(kind) => Some(kind),
                    _ => None,
                })
                .unwrap_or_default(),
            other => RequestKind::of_method(Some(&other.to_uppercase())),
        }
    }

    /// What a function of another crate returns, by its signature: a new response, a builder
    /// or a client (whose construction the analysis cannot see).
    pub(super) fn foreign_value(
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
    pub(super) fn client_method(
        &mut self,
        call: &syn::ExprMethodCall,
        method: &str,
        receiver: &Value,
        args: &[Arg],
        state: &mut State,
    ) -> Option<Value> {
        match receiver.shape {
            Shape::Client if REQUEST_STARTS.contains(&method) => {
                if let Some(client) = receiver.client {
                    self.request_with(client, self.method_call_span(call), state);
                }
                return Some(Value {
                    ids: Vec::new(),
                    shape: Shape::Builder(self.start_kind(method, args)),
                    client: receiver.client,
                    elements: Vec::new(),
                });
            }
            // `build().unwrap_or_default()`: the client built, or a default one, as new.
            Shape::Client
                if matches!(method, "clone" | "build" | "unwrap_or_default")
                    || PASS_THROUGHS.contains(&method)
                    || CLIENT_BUILDER_STEPS.contains(&method) =>
            {
                if let Some(client) = receiver.client {
                    let end = self.method_span(call);
                    self.client_step(client, method, &call.args, end);
                }
                return Some(receiver.clone());
            }
            // Steps keep the method; so do `Option`/`Result` adapters around a builder
            // (`try_clone().ok_or_else(..)`), and `build()`: the `Request` it makes is sent
            // later through `execute`.
            Shape::Builder(request)
                if BUILDER_STEPS.contains(&method)
                    || PASS_THROUGHS.contains(&method)
                    || matches!(
                        method,
                        "try_clone" | "upgrade" | "ok_or" | "ok_or_else" | "build"
                    ) =>
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
            return Some(Value::shaped(Shape::Builder(self.start_kind(method, args))));
        }
        let _ = (call, state);
        None
    }

    /// A method called on a value that carries responses.
    pub(super) fn response_method(
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
                self.succeeded(id, state);
            }
        }
        // The crate's own adapter for any future (`.with_metrics(..)` of a blanket impl):
        // the same response, once awaited.
        let adapter = matches!(receiver.shape, Shape::Future(_))
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
                if matches!(receiver.shape, Shape::Future(_)) {
                    // `send().then(|r| ..)` on a future: the closure runs later.
                    self.release(&receiver.ids, state, Release::Unknown);
                    return Value::default();
                }
                return self.closure_in_place(closure, receiver, state);
            }
        }
        if BORROWS.contains(&method) {
            if matches!(method, "headers" | "content_length" | "cookies") {
                for &id in &receiver.ids {
                    self.facts.tracked[id].headers_read = true;
                }
            }
            for arg in &call.args {
                self.expr(arg, state);
            }
            return Value::default();
        }
        if DISCARDS.contains(&method) {
            // `resp.error_for_status().unwrap_err()`: the response is given up on purpose; on a
            // path taken on its failure status, that drops its body unread, which the path's
            // exit then reports as any other drop there.
            for arg in &call.args {
                self.expr(arg, state);
            }
            let given_up: Vec<_> = receiver
                .ids
                .iter()
                .copied()
                .filter(|id| !state.fates.get(id).is_some_and(|fate| fate.failed))
                .collect();
            self.release(&given_up, state, Release::Move);
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
                lent: Vec::new(),
                lent_mut: Vec::new(),
                none: false,
            }];
            args.extend(self.args(&call.args, state));
            return self.same_crate_call(&candidates, true, span, args, 0, None, state);
        }
        // Anything else: cannot tell what it does with the response.
        self.release(&receiver.ids, state, Release::Unknown);
        for arg in &call.args {
            let value = self.expr(arg, state);
            self.release(&value.ids, state, Release::Move);
        }
        Value::default()
    }

    /// Whether `receiver.send()` sends a reqwest request: the receiver is a request-builder
    /// chain. Returns the kind of request. Between a known request start and the `send()`,
    /// a method the vocabulary does not know is a builder extension (`with_extension(x)`, a
    /// trait of another crate); a chain with one must start at a value known to be a client
    /// (or a builder), not only at a method called `get` in a file that mentions reqwest.
    pub(super) fn request_chain(&self, receiver: &syn::Expr, state: &State) -> Option<RequestKind> {
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
                    // The crate's own `self.request(..)` builds the crate's own request, of the
                    // method its arguments name (`self.request(Method::POST, url)`).
                    if syntax::receiver_is_self(&call.receiver) {
                        let (candidates, _) = self.resolve_method(&call.receiver, &method, state);
                        if !candidates.is_empty() {
                            return (self.agreed_returns(&candidates).map(|r| r.kind)
                                == Some(Kind::Builder))
                            .then(|| {
                                RequestKind::of_method(
                                    call.args.iter().find_map(method_constant).as_deref(),
                                )
                            });
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
                        || syntax::receiver_is_self(&call.receiver)
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
                // An async function of the crate that makes the builder: `.start(..).await?`.
                syn::Expr::Await(await_expr) => expr = &await_expr.base,
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
}

/// Whether a method call blocks the thread until something else happens: a channel's
/// `recv()`, a thread's `join()`, a barrier's `wait()`.
pub(super) fn is_blocking_wait(method: &str, args: usize) -> bool {
    matches!(
        (method, args),
        ("recv" | "join" | "wait", 0) | ("recv_timeout" | "wait_timeout", 1)
    )
}

/// `""`: a URL that cannot be requested.
pub(super) fn is_empty_url(arg: Option<&syn::Expr>) -> bool {
    matches!(arg, Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })) if text.value().is_empty())
}

/// The kind of request a request start makes, as written: `head(..)`, `post(..)`,
/// `request(Method::HEAD, ..)`.
pub(super) fn request_kind(
    method: &str,
    args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
) -> RequestKind {
    let name = match method {
        "request" => args.first().and_then(method_constant),
        other => Some(other.to_uppercase()),
    };
    RequestKind::of_method(name.as_deref())
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
        // An extension method: `Method::from_bytes(b"MKCOL").unwrap()`, `..from_bytes(b"MOVE")?`.
        syn::Expr::Try(try_expr) => method_constant(&try_expr.expr),
        syn::Expr::MethodCall(call)
            if matches!(syntax::name(&call.method).as_str(), "unwrap" | "expect") =>
        {
            method_constant(&call.receiver)
        }
        syn::Expr::Call(call) => {
            let syn::Expr::Path(path) = &*call.func else {
                return None;
            };
            let segments = syntax::segments(&path.path);
            if !segments.ends_with(&["Method".to_owned(), "from_bytes".to_owned()]) {
                return None;
            }
            match call.args.first() {
                Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::ByteStr(bytes),
                    ..
                })) => String::from_utf8(bytes.value()).ok(),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A receiver named like a client: `client`, `self.http`, `api_client()`.
pub(super) fn looks_like_client(expr: &syn::Expr) -> bool {
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

/// Whether a method-call chain starts at a path of `krate` (`warp::path("x").and(..)`).
pub(super) fn chain_starts_with(expr: &syn::Expr, krate: &str) -> bool {
    match expr {
        syn::Expr::MethodCall(call) => chain_starts_with(&call.receiver, krate),
        syn::Expr::Call(call) => chain_starts_with(&call.func, krate),
        syn::Expr::Path(path) => path.path.segments.first().is_some_and(|s| s.ident == krate),
        syn::Expr::Paren(paren) => chain_starts_with(&paren.expr, krate),
        _ => false,
    }
}

//! Calls, method calls and macros: sources, releases, pass-throughs, collections and leaks.

use std::collections::HashSet;

use syn::spanned::Spanned;

use super::engine::{Engine, Exit, Release};
use super::mentions;
use super::state::{Flavor, Id, Shape, State, Value};
use super::vocabulary::*;
use super::{Event, TrackedKind};
use crate::diagnostic::Span;
use crate::model::index::{Returns, Signature};
use crate::model::names::ReqwestItem;
use crate::model::syntax;

impl Engine<'_, '_> {
    /// A method call's whole span, from the start of its receiver chain (a source's span).
    fn method_call_span(&self, call: &syn::ExprMethodCall) -> Span {
        self.cx.map.span_between(
            syntax::first_span(&call.receiver),
            call.paren_token.span.close(),
        )
    }

    /// `iter.map(reqwest::get)`, `iter.map(fetch)`: a function path used as a closure that
    /// returns responses (or their futures).
    fn function_as_closure(&self, arg: &syn::Expr, state: &State) -> Option<Flavor> {
        let syn::Expr::Path(path) = arg else {
            return None;
        };
        if self.cx.names.resolve_path(&path.path) == Some(ReqwestItem::Get) {
            let blocking = path.path.segments.iter().any(|s| s.ident == "blocking");
            return Some(if self.body.is_async && !blocking {
                Flavor::Future
            } else {
                Flavor::Ready
            });
        }
        let signature = self.callee(&path.path, state)?;
        (signature.returns == Returns::Response).then_some(if signature.is_async {
            Flavor::Future
        } else {
            Flavor::Ready
        })
    }

    /// The same-crate function a call path names: `f` (unless a local binding, such as a
    /// closure parameter, shadows it), `crate::m::f`, `self::f`, `super::f` and `m::f` among
    /// free functions; `Self::f` and `Type::f` among methods and associated functions.
    fn callee(&self, path: &syn::Path, state: &State) -> Option<Signature> {
        let segments: Vec<String> = path
            .segments
            .iter()
            .map(|s| mentions::unraw(&s.ident.to_string()))
            .collect();
        let (last, prefix) = segments.split_last()?;
        match prefix {
            [] if state.var(last).is_some() => None,
            [] => self.cx.index.function(last),
            [.., owner] if owner == "Self" || owner.starts_with(char::is_uppercase) => {
                self.cx.index.method(last)
            }
            _ => self.cx.index.function(last),
        }
    }

    /// A method call's own part, `.name(args)` (a flagged call's span).
    fn method_span(&self, call: &syn::ExprMethodCall) -> Span {
        self.cx
            .map
            .span_between(call.dot_token.span, call.paren_token.span.close())
    }

    pub(super) fn method_call(&mut self, call: &syn::ExprMethodCall, state: &mut State) -> Value {
        let method = mentions::unraw(&call.method.to_string());

        if method == "send" && call.args.is_empty() {
            if let Some(head) = self.request_chain(&call.receiver, state) {
                self.expr(&call.receiver, state);
                let is_future = self.body.is_async;
                return self.source(self.method_call_span(call), head, is_future, state);
            }
        }

        let receiver = self.expr(&call.receiver, state);

        if method == "execute" && call.args.len() == 1 && receiver.shape == Shape::Client {
            let request = self.expr(&call.args[0], state);
            self.release(&request.ids, state, Release::Move);
            let is_future = self.body.is_async;
            return self.source(self.method_call_span(call), false, is_future, state);
        }

        if !receiver.ids.is_empty() {
            return self.response_method(call, &method, receiver, state);
        }

        if CLOSURE_PASSING.contains(&method.as_str())
            || matches!(
                method.as_str(),
                "filter_map" | "flat_map" | "for_each" | "map_ok" | "and_then"
            )
        {
            let mut closure_value = Value::default();
            for arg in &call.args {
                let value = match self.function_as_closure(arg, state) {
                    Some(flavor) => Value::shaped(Shape::Closure(flavor)),
                    None => self.expr(arg, state),
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

        let args: Vec<Value> = call.args.iter().map(|arg| self.expr(arg, state)).collect();

        match method.as_str() {
            "buffer_unordered" | "buffered" if receiver.shape == Shape::Iter(Flavor::Future) => {
                return Value::shaped(Shape::Iter(Flavor::Ready));
            }
            "collect" | "try_collect" => {
                let named = call.turbofish.as_ref().is_some_and(|turbofish| {
                    turbofish.args.iter().any(|arg| {
                        matches!(arg, syn::GenericArgument::Type(ty)
                            if self.cx.names.collection_of_responses(ty))
                    })
                });
                if named {
                    self.event(Event::Collected {
                        span: self.method_span(call),
                        call: method,
                    });
                    return Value::default();
                }
                return match receiver.shape {
                    Shape::Iter(Flavor::Ready) => {
                        self.event(Event::Collected {
                            span: self.method_span(call),
                            call: method,
                        });
                        Value::default()
                    }
                    Shape::Iter(Flavor::Future) => Value::shaped(Shape::Iter(Flavor::Future)),
                    _ => Value::default(),
                };
            }
            "into_iter" | "iter" | "iter_mut" | "into_stream" | "boxed" | "fuse" => {
                if let Shape::Iter(_) = receiver.shape {
                    return receiver;
                }
            }
            "push" | "push_back" | "push_front" | "insert" | "extend" | "append" => {
                self.store_in_collection(call, &method, &args, state);
                return Value::default();
            }
            _ => {}
        }

        for value in &args {
            self.release(&value.ids, state, Release::Move);
        }

        match receiver.shape {
            Shape::Client if REQUEST_STARTS.contains(&method.as_str()) => {
                return Value::shaped(Shape::Builder {
                    head: is_head_request(&method, &call.args),
                });
            }
            Shape::Client
                if method == "clone"
                    || method == "build"
                    || BUILDER_STEPS.contains(&method.as_str()) =>
            {
                return Value::shaped(Shape::Client);
            }
            Shape::Client => {
                if matches!(method.as_str(), "unwrap" | "expect") {
                    return Value::shaped(Shape::Client);
                }
            }
            Shape::Builder { head }
                if BUILDER_STEPS.contains(&method.as_str())
                    || matches!(method.as_str(), "try_clone" | "unwrap" | "expect") =>
            {
                return Value::shaped(Shape::Builder { head });
            }
            _ => {}
        }
        if REQUEST_STARTS.contains(&method.as_str())
            && self.cx.names.mentions_reqwest
            && looks_like_client(&call.receiver)
        {
            return Value::shaped(Shape::Builder {
                head: is_head_request(&method, &call.args),
            });
        }

        if !COMMON_METHODS.contains(&method.as_str()) {
            if let Some(signature) = self.cx.index.method(&method) {
                return self.same_crate_call(signature, self.method_call_span(call), state);
            }
        }
        Value::default()
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
                });
            }
            let how = if matches!(receiver.shape, Shape::Plain) {
                Release::Read
            } else {
                Release::Unknown
            };
            self.release(&receiver.ids, state, how);
            for arg in &call.args {
                let value = self.expr(arg, state);
                self.release(&value.ids, state, Release::Move);
            }
            return Value::default();
        }
        if PASS_THROUGHS.contains(&method) {
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
        let annotated = collection
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
        }
        if gathers_responses && outlives {
            self.event(Event::Collected {
                span: self.method_span(call),
                call: method.to_owned(),
            });
        }
        if gathers_futures {
            if let Some(var) = collection.as_deref().and_then(|name| state.var_mut(name)) {
                var.value.shape = Shape::Iter(Flavor::Future);
            }
        }
    }

    fn same_crate_call(&mut self, signature: Signature, span: Span, state: &mut State) -> Value {
        match signature.returns {
            Returns::Response => self.source(span, false, signature.is_async, state),
            Returns::RequestBuilder => Value::shaped(Shape::Builder { head: false }),
            Returns::Client => Value::shaped(Shape::Client),
        }
    }

    /// Whether `receiver.send()` sends a reqwest request: the receiver is a request-builder
    /// chain. Returns whether it is a HEAD request.
    fn request_chain(&self, receiver: &syn::Expr, state: &State) -> Option<bool> {
        let mut expr = receiver;
        loop {
            match expr {
                syn::Expr::MethodCall(call) => {
                    let method = call.method.to_string();
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
                    if REQUEST_STARTS.contains(&method.as_str()) {
                        let head = is_head_request(&method, &call.args);
                        let client =
                            self.static_shape(&call.receiver, state) == Some(Shape::Client);
                        return (client || self.cx.names.mentions_reqwest).then_some(head);
                    }
                    if !COMMON_METHODS.contains(&method.as_str()) {
                        if let Some(signature) = self.cx.index.method(&method) {
                            return (signature.returns == Returns::RequestBuilder).then_some(false);
                        }
                    }
                    return None;
                }
                syn::Expr::Paren(paren) => expr = &paren.expr,
                syn::Expr::Group(group) => expr = &group.expr,
                syn::Expr::Try(try_expr) => expr = &try_expr.expr,
                syn::Expr::Path(_) | syn::Expr::Call(_) | syn::Expr::Field(_) => {
                    return match self.static_shape(expr, state) {
                        Some(Shape::Builder { head }) => Some(head),
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
            syn::Expr::Path(path) if path.qself.is_none() && path.path.segments.len() == 1 => {
                let name = mentions::unraw(&path.path.segments[0].ident.to_string());
                state.var(&name).map(|var| var.value.shape)
            }
            syn::Expr::Field(field) => match &field.member {
                syn::Member::Named(name) if self.cx.client_fields.contains(&name.to_string()) => {
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
                if self.client_constructor(&path.path) {
                    return Some(Shape::Client);
                }
                match self.callee(&path.path, state)?.returns {
                    Returns::RequestBuilder => Some(Shape::Builder { head: false }),
                    Returns::Client => Some(Shape::Client),
                    Returns::Response => None,
                }
            }
            _ => None,
        }
    }

    /// `Client::new`, `Client::default`, `Client::builder` under any of reqwest's names.
    fn client_constructor(&self, path: &syn::Path) -> bool {
        self.cx.names.client_constructor(path).is_some()
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
                self.release(&value.ids, state, Release::Move);
            }
            return Value::default();
        };
        let segments: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|s| mentions::unraw(&s.ident.to_string()))
            .collect();
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
            return self.source(span, false, is_future, state);
        }
        if self.client_constructor(&path.path) {
            for arg in &call.args {
                self.expr(arg, state);
            }
            return Value::shaped(Shape::Client);
        }

        if last == "copy" && (segments.len() == 1 || type_name == "io") {
            // `io::copy(&mut resp, &mut out)` reads the body through `&mut`.
            let mut args = call.args.iter();
            if let Some(syn::Expr::Reference(reader)) = args.next() {
                let value = self.expr(&reader.expr, state);
                self.release(&value.ids, state, Release::Read);
            }
            for arg in args {
                self.expr(arg, state);
            }
            return Value::default();
        }

        let args: Vec<Value> = call.args.iter().map(|arg| self.expr(arg, state)).collect();
        let all_ids: Vec<Id> = args.iter().flat_map(|v| v.ids.iter().copied()).collect();

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
                return Value {
                    ids: vec![id],
                    shape: Shape::Plain,
                };
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
                return args.into_iter().next().unwrap_or_default();
            }
            ("BufReader", "new") => {
                self.release(&all_ids, state, Release::Read);
                return Value::default();
            }
            (_, "join_all" | "try_join_all" | "join_all_ordered") => {
                if args.iter().any(|v| v.shape == Shape::Iter(Flavor::Future)) {
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

        self.release(&all_ids, state, Release::Move);
        match self.callee(&path.path, state) {
            Some(signature) => self.same_crate_call(signature, span, state),
            None => Value::default(),
        }
    }

    // ----- macros -----

    pub(super) fn mac(&mut self, mac: &syn::Macro, state: &mut State) -> Value {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if DIVERGING_MACROS.contains(&name.as_str()) {
            let span = self.span(mac.path.span());
            self.exit(state, &[], Exit::Panic, span);
            state.reachable = false;
            return Value::default();
        }
        if BORROWING_MACROS.contains(&name.as_str()) {
            // Each argument on its own, so that one the parser cannot read (a tracing
            // `target: ..`) leaves the others analyzed; what it mentions is "cannot tell".
            for arg in macro_arguments(&mac.tokens) {
                match syn::parse2::<syn::Expr>(arg.clone()) {
                    Ok(syn::Expr::Assign(assign)) => {
                        self.expr(&assign.right, state);
                    }
                    Ok(expr) => {
                        self.expr(&expr, state);
                    }
                    Err(_) => {
                        let ids = self.mentioned_ids(&mentions::in_tokens(&arg), state);
                        self.release(&ids, state, Release::Unknown);
                    }
                }
            }
            if name == "ensure" {
                let span = self.span(mac.path.span());
                self.exit(state, &[], Exit::Panic, span);
            }
            return Value::default();
        }
        // Any other macro: cannot tell what it does with a response it is given.
        let ids = self.mentioned_ids(&mentions::in_tokens(&mac.tokens), state);
        self.release(&ids, state, Release::Unknown);
        Value::default()
    }
}

/// A formatting or logging macro's arguments, split at top-level commas, with tracing's field
/// sigils (`%value`, `?value`, `name = %value`) removed so that each parses as an expression.
fn macro_arguments(tokens: &proc_macro2::TokenStream) -> Vec<proc_macro2::TokenStream> {
    use proc_macro2::TokenTree;
    let mut arguments = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut flush = |current: &mut Vec<TokenTree>| {
        if !current.is_empty() {
            arguments.push(current.drain(..).collect());
        }
    };
    for token in tokens.clone() {
        if let TokenTree::Punct(punct) = &token {
            let previous_is_start = match current.last() {
                None => true,
                Some(TokenTree::Punct(previous)) => {
                    previous.as_char() == '=' && previous.spacing() == proc_macro2::Spacing::Alone
                }
                Some(_) => false,
            };
            match punct.as_char() {
                ',' => {
                    flush(&mut current);
                    continue;
                }
                '%' | '?' if previous_is_start => continue,
                _ => {}
            }
        }
        current.push(token);
    }
    flush(&mut current);
    arguments
}

fn is_head_request(
    method: &str,
    args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
) -> bool {
    match method {
        "head" => true,
        "request" => args.first().is_some_and(|arg| {
            quote::ToTokens::to_token_stream(arg)
                .to_string()
                .ends_with("HEAD")
        }),
        _ => false,
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

/// The local name at the root of `v`, `self.v`, `v.field` (for collections).
fn root_name(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(path) if path.path.segments.len() == 1 => {
            Some(mentions::unraw(&path.path.segments[0].ident.to_string()))
        }
        syn::Expr::Paren(paren) => root_name(&paren.expr),
        syn::Expr::Reference(reference) => root_name(&reference.expr),
        syn::Expr::Unary(unary) => root_name(&unary.expr),
        _ => None,
    }
}

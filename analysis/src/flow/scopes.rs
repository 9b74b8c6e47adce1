//! Bindings, patterns and block scopes: what a name holds, and what leaving a block drops.

use syn::spanned::Spanned;

use super::engine::Engine;
use super::guards;
use super::state::{Flavor, Id, Shape, State, Value, Var};
use super::{ClientOrigin, Event, RequestKind, TrackedKind};
use crate::model::crate_map::unwrapped_type_name;
use crate::model::names::ReqwestItem;
use crate::model::syntax::{self, pattern_names};
use crate::model::types::{self, Kind};

impl Engine<'_, '_> {
    /// Binds a typed parameter (of the function at `position`, or of a closure): a response
    /// is a source the body owns, a client or builder keeps its shape, a callable that yields
    /// responses is a closure of them.
    pub(super) fn bind_param(
        &mut self,
        arg: &syn::PatType,
        position: Option<usize>,
        state: &mut State,
    ) -> Value {
        let value = self.typed_value(&arg.ty, Some(&arg.pat), position, state);
        self.bind_pattern(&arg.pat, value.clone(), state);
        value
    }

    /// The value a binding of type `ty` starts with.
    fn typed_value(
        &mut self,
        ty: &syn::Type,
        pat: Option<&syn::Pat>,
        position: Option<usize>,
        state: &mut State,
    ) -> Value {
        let names = self.cx.names;
        let bounds = &self.function.bounds;
        if names.type_item(ty) == Some(ReqwestItem::Next) {
            return Value::shaped(Shape::Service);
        }
        if let Some(returns) = types::classify(names, bounds, ty) {
            return match returns.kind {
                Kind::Response if !matches!(ty, syn::Type::Reference(_)) => {
                    let span = match pat {
                        Some(pat) => self.span(pat.span()),
                        None => self.span(ty.span()),
                    };
                    // What its callers pass: a response to a HEAD request has no body.
                    let id = self.track(
                        TrackedKind::Response {
                            request: self.param_kind(position),
                            is_future: returns.future,
                        },
                        span,
                        0,
                    );
                    if returns.future {
                        Value {
                            ids: vec![id],
                            shape: Shape::Future(self.param_kind(position)),
                            client: None,
                            elements: Vec::new(),
                        }
                    } else {
                        state.live.insert(id);
                        Value::responses(vec![id])
                    }
                }
                Kind::Response => Value::default(),
                // A client, or a request builder (on a client), given as a parameter: whether
                // the function sends with it or keeps it.
                Kind::Client | Kind::Builder => {
                    let mut value = Value::shaped(if returns.kind == Kind::Client {
                        Shape::Client
                    } else {
                        Shape::Builder(self.param_kind(position))
                    });
                    if let Some(position) = position {
                        let span = self.span(ty.span());
                        value.client = Some(self.param_client(span, position));
                    }
                    value
                }
            };
        }
        // A reference to a client or builder: its shape (the borrow does not own it).
        if let syn::Type::Reference(reference) = ty {
            if let Some(returns) = types::classify(names, bounds, &reference.elem) {
                return match returns.kind {
                    Kind::Client => self.typed_value(&reference.elem, pat, position, state),
                    Kind::Builder => Value::shaped(Shape::Builder(self.param_kind(position))),
                    Kind::Response => {
                        // A function's `&Response` parameter: what its failure status means.
                        // Through `&mut Response` it may also read the body (`chunk()`), which
                        // its summary then says of that parameter.
                        let (Some(position), false) = (position, returns.future) else {
                            return Value::default();
                        };
                        let span = self.span(ty.span());
                        let id = self.track(TrackedKind::BorrowedParam { position }, span, 0);
                        self.body.borrowed.push(id);
                        if reference.mutability.is_some() {
                            Value::responses(vec![id])
                        } else {
                            Value::default()
                        }
                    }
                };
            }
        }
        // A function's `StatusCode` parameter: a condition on it is one on the status of the
        // response its caller took it from, so that `check(&resp.status())?` is a status check
        // when `check` returns an error on a failure status.
        if let (Some(position), true, Some(syn::Pat::Ident(binding))) =
            (position, is_status_type(ty), pat)
        {
            let name = syntax::name(&binding.ident);
            let ident = &binding.ident;
            let span = self.span(ty.span());
            let id = self.track(TrackedKind::BorrowedParam { position }, span, 0);
            self.body.borrowed.push(id);
            self.status_defs
                .insert(name, syn::parse_quote!(#ident.status()));
            return Value::default();
        }
        if let Some(returns) = types::classify_callable(names, bounds, ty) {
            let kind = self.param_kind(position);
            match returns.kind {
                Kind::Response => {
                    let flavor = if returns.future {
                        Flavor::Future
                    } else {
                        Flavor::Ready
                    };
                    return Value::shaped(Shape::Closure(flavor, kind));
                }
                Kind::Builder => return Value::shaped(Shape::Maker(kind)),
                Kind::Client => {}
            }
        }
        // An HTTP method or a request (`m: Method`, `req: Request`): what callers pass.
        if self.cx.mentions_reqwest {
            match http_type(ty) {
                Some(HttpType::Method) => {
                    return Value::shaped(Shape::Method(self.param_kind(position)))
                }
                Some(HttpType::Request) => {
                    return Value::shaped(Shape::Builder(self.param_kind(position)))
                }
                None => {}
            }
            // A method's name as text (`method: &str`), where every caller in the crate passes
            // one (`push(.., "PUT")`, `push(.., "POST")`): a method for `Method::from_str`.
            if is_text_type(ty) {
                let kind = self.param_kind(position);
                if kind.head || kind.write || kind.get {
                    return Value::shaped(Shape::Method(kind));
                }
            }
        }
        if types::is_response_service(names, bounds, ty) {
            return Value::shaped(Shape::Service);
        }
        // One of the crate's types that holds a client (`api: &Api`): whether the function
        // sends with what it holds, keeps it or returns it.
        if let (Some(position), Some(name)) = (position, unwrapped_type_name(ty)) {
            if self.cx.crate_map.holds_client(&name) {
                let span = self.span(ty.span());
                let mut value = self.self_holder(span);
                if let Some(client) = value.client {
                    self.facts.clients[client].origin = ClientOrigin::Param(position);
                }
                value.shape = Shape::Plain;
                return value;
            }
        }
        Value::default()
    }

    /// Binds one name.
    pub(super) fn bind_name(&mut self, name: &str, value: Value, state: &mut State) {
        state.vars.push(Var {
            name: name.to_owned(),
            value,
            depth: self.body.depth,
            loop_depth: self.body.loop_depth,
            captured: false,
            ty: None,
        });
    }

    /// Binds a pattern's names: a tuple pattern against a tuple value binds each part to
    /// its element; `Ok(p)`/`Some(p)` look through; anything else binds every name to the
    /// whole value (the analysis cannot tell which part holds what).
    pub(super) fn bind_pattern(&mut self, pat: &syn::Pat, value: Value, state: &mut State) {
        match pat {
            syn::Pat::Tuple(tuple) if tuple.elems.len() == value.elements.len() => {
                for (part, element) in tuple.elems.iter().zip(value.elements) {
                    self.bind_pattern(part, element, state);
                }
            }
            syn::Pat::TupleStruct(tuple)
                if tuple.elems.len() == 1
                    && tuple.path.segments.last().is_some_and(|s| {
                        matches!(s.ident.to_string().as_str(), "Ok" | "Some" | "Err")
                    }) =>
            {
                self.bind_pattern(&tuple.elems[0], value, state);
            }
            syn::Pat::Paren(paren) => self.bind_pattern(&paren.pat, value, state),
            syn::Pat::Type(typed) => self.bind_pattern(&typed.pat, value, state),
            _ => {
                let mut names = Vec::new();
                pattern_names(pat, &mut names);
                for name in names {
                    state.vars.push(Var {
                        name,
                        value: value.clone(),
                        depth: self.body.depth,
                        loop_depth: self.body.loop_depth,
                        captured: false,
                        ty: None,
                    });
                }
                self.type_variant_fields(pat, state);
            }
        }
    }

    /// The types of the names a pattern on a variant of the crate's enum binds, from the
    /// variant's declaration: `Commands::Auth { command }` binds an `AuthCommands`, so that
    /// `command.run()` is that type's method.
    fn type_variant_fields(&self, pat: &syn::Pat, state: &mut State) {
        let (path, bound): (&syn::Path, Vec<(String, &syn::Pat)>) = match pat {
            syn::Pat::Struct(pattern) => (
                &pattern.path,
                pattern
                    .fields
                    .iter()
                    .map(|field| match &field.member {
                        syn::Member::Named(name) => (syntax::name(name), &*field.pat),
                        syn::Member::Unnamed(index) => (index.index.to_string(), &*field.pat),
                    })
                    .collect(),
            ),
            syn::Pat::TupleStruct(pattern) => (
                &pattern.path,
                pattern
                    .elems
                    .iter()
                    .enumerate()
                    .map(|(position, elem)| (position.to_string(), elem))
                    .collect(),
            ),
            _ => return,
        };
        let segments = syntax::segments(path);
        let [.., enum_name, variant] = segments.as_slice() else {
            return;
        };
        let enum_name = match enum_name.as_str() {
            "Self" => match self.function.self_ty {
                Some(ty) => ty,
                None => return,
            },
            name => name,
        };
        let owner = format!("{enum_name}::{variant}");
        for (field, bound) in bound {
            let syn::Pat::Ident(binding) = bound else {
                continue;
            };
            let Some(ty) = self.cx.crate_map.field_type(&owner, &field) else {
                continue;
            };
            if let Some(var) = state.var_mut(&syntax::name(&binding.ident)) {
                var.ty = Some(ty);
            }
        }
    }

    pub(super) fn push_scope(&mut self) {
        self.body.depth += 1;
    }

    /// Leaves a block: its bindings go out of scope and their responses are dropped,
    /// except those in `keep` (the block's value).
    pub(super) fn pop_scope(&mut self, state: &mut State, keep: &[Id]) {
        let depth = self.body.depth;
        state.vars.retain(|var| var.depth < depth);
        self.body.depth -= 1;
        self.drop_unbound(state, keep);
    }

    /// Drops temporaries: live values no binding refers to.
    pub(super) fn drop_unbound(&mut self, state: &mut State, keep: &[Id]) {
        let dropped: Vec<Id> = state
            .live
            .iter()
            .copied()
            .filter(|id| !keep.contains(id) && !state.is_bound(*id))
            .collect();
        for id in dropped {
            self.dropped_on_failure(state, id);
            state.live.remove(&id);
        }
    }

    pub(super) fn local(&mut self, local: &syn::Local, state: &mut State) {
        let (pat, annotation) = match &local.pat {
            syn::Pat::Type(typed) => (&*typed.pat, Some(&*typed.ty)),
            pat => (pat, None),
        };
        let mut value = match &local.init {
            Some(init) => {
                let value = self.expr(&init.expr, state);
                if let Some((_, diverge)) = &init.diverge {
                    // `let PAT = v else { .. }`: the else path has no `Ok`/`Some` response.
                    let mut other = state.clone();
                    if refutable_drops_value(pat) {
                        for id in &value.ids {
                            other.live.remove(id);
                        }
                    }
                    self.expr(diverge, &mut other);
                }
                value
            }
            None => Value::default(),
        };
        if let Some(ty) = annotation {
            self.annotate(ty, local, &mut value, state);
        }
        if matches!(pat, syn::Pat::Wild(_)) {
            return;
        }
        if let Some(init) = &local.init {
            let mut names = Vec::new();
            pattern_names(pat, &mut names);
            if is_future_set(&init.expr) {
                self.future_sets.extend(names.iter().cloned());
            }
            if guards::is_local_file_io(&init.expr) {
                self.local_files.extend(names.iter().cloned());
            } else {
                for name in &names {
                    self.local_files.remove(name);
                }
            }
            if let [name] = names.as_slice() {
                if guards::defines_status(&init.expr) {
                    let definition = self.read_condition(&init.expr, state).into_owned();
                    self.status_defs.insert(name.clone(), definition);
                } else {
                    self.status_defs.remove(name);
                }
            }
            if super::mentions::calls_method(&init.expr, "content_length") {
                self.size_vars.extend(names.iter().cloned());
            }
            if super::mentions::in_expr(&init.expr)
                .iter()
                .any(|name| self.item_names.contains(name))
            {
                self.item_names.extend(names);
            }
        }
        // `let cache = Cache::builder().build()?;`: the type its signature names, so that the
        // binding's method calls resolve to that type's methods.
        let ty = match (pat, &local.init) {
            (syn::Pat::Ident(_), Some(init)) => self.receiver_type(&init.expr, state),
            _ => None,
        };
        self.bind_pattern(pat, value, state);
        if let (Some(ty), syn::Pat::Ident(ident)) = (ty, pat) {
            if let Some(var) = state.var_mut(&syntax::name(&ident.ident)) {
                var.ty = Some(ty);
            }
        }
    }

    /// A `let` with a type annotation: the type says what the value is.
    fn annotate(
        &mut self,
        ty: &syn::Type,
        local: &syn::Local,
        value: &mut Value,
        state: &mut State,
    ) {
        let names = self.cx.names;
        if names.collection_of_responses(ty) {
            if let Some(init) = &local.init {
                if let Some(collect) = collect_call(&init.expr) {
                    self.event(Event::Collected {
                        span: self
                            .cx
                            .map
                            .span_between(collect.dot_token.span, collect.paren_token.span.close()),
                        call: collect.method.to_string(),
                    });
                }
            }
            value.shape = Shape::Iter(Flavor::Ready);
            return;
        }
        match types::classify(names, &self.function.bounds, ty) {
            Some(returns)
                if returns.kind == Kind::Response
                    && value.ids.is_empty()
                    && !matches!(ty, syn::Type::Reference(_)) =>
            {
                if let Some(init) = &local.init {
                    let span = self.span(init.expr.span());
                    *value = self.source(span, RequestKind::default(), returns.future, state);
                }
            }
            Some(returns) if returns.kind == Kind::Client => value.shape = Shape::Client,
            Some(returns) if returns.kind == Kind::Builder => {
                if !matches!(value.shape, Shape::Builder(_)) {
                    value.shape = Shape::Builder(RequestKind::default())
                }
            }
            _ => {
                if value.shape == Shape::Plain && value.ids.is_empty() {
                    if let Some(returns) =
                        types::classify_callable(names, &self.function.bounds, ty)
                    {
                        if returns.kind == Kind::Response {
                            let flavor = if returns.future {
                                Flavor::Future
                            } else {
                                Flavor::Ready
                            };
                            value.shape = Shape::Closure(flavor, RequestKind::default());
                        }
                    }
                }
            }
        }
    }
}

/// The `http` types a method travels in.
enum HttpType {
    /// `Method`, `reqwest::Method`, `http::Method`.
    Method,
    /// `Request`, `reqwest::Request`: built with a method, sent by `Client::execute`.
    Request,
}

/// Whether `ty` (or what it borrows) is named `Method` or `Request`, bare or under `reqwest`
/// or `http`.
fn http_type(ty: &syn::Type) -> Option<HttpType> {
    match syntax::strip_type_refs(ty) {
        syn::Type::Path(path) if path.qself.is_none() => {
            let segments = syntax::segments(&path.path);
            let (last, rest) = segments.split_last()?;
            if !rest
                .iter()
                .all(|s| s == "reqwest" || s == "http" || s == "blocking")
            {
                return None;
            }
            match last.as_str() {
                "Method" => Some(HttpType::Method),
                "Request" => Some(HttpType::Request),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `StatusCode` (reqwest's, http's), by value or by reference.
fn is_status_type(ty: &syn::Type) -> bool {
    syntax::last_segment(syntax::strip_type_refs(ty))
        .is_some_and(|last| last.ident == "StatusCode" && last.arguments.is_none())
}

/// `&str`, `String`, `&String`, `&'static str`.
fn is_text_type(ty: &syn::Type) -> bool {
    matches!(syntax::strip_type_refs(ty), syn::Type::Path(path)
        if path.qself.is_none() && (path.path.is_ident("str") || path.path.is_ident("String")))
}

/// `FuturesUnordered::new()`, `FuturesOrdered::default()`: a set of futures polled together.
fn is_future_set(expr: &syn::Expr) -> bool {
    let syn::Expr::Call(call) = expr else {
        return false;
    };
    let syn::Expr::Path(path) = &*call.func else {
        return false;
    };
    let segments = syntax::segments(&path.path);
    matches!(
        segments.as_slice(),
        [.., set, ctor] if (set == "FuturesUnordered" || set == "FuturesOrdered")
            && (ctor == "new" || ctor == "default")
    )
}

/// The `.collect()` an initializer ends in, through `?`, `.await`, `unwrap`/`expect`.
pub(super) fn collect_call(expr: &syn::Expr) -> Option<&syn::ExprMethodCall> {
    match expr {
        syn::Expr::MethodCall(call) if call.method == "collect" || call.method == "try_collect" => {
            Some(call)
        }
        syn::Expr::MethodCall(call) if call.method == "unwrap" || call.method == "expect" => {
            collect_call(&call.receiver)
        }
        syn::Expr::Try(inner) => collect_call(&inner.expr),
        syn::Expr::Await(inner) => collect_call(&inner.base),
        syn::Expr::Paren(inner) => collect_call(&inner.expr),
        _ => None,
    }
}

/// Whether the path a refutable pattern does *not* match has no response:
/// `Ok(..)`/`Some(..)` patterns (the other side is `Err`/`None`).
pub(super) fn refutable_drops_value(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::TupleStruct(tuple) => tuple
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Ok" || s.ident == "Some"),
        syn::Pat::Paren(paren) => refutable_drops_value(&paren.pat),
        _ => false,
    }
}

/// Whether a `match` arm's pattern leaves the response out: `Err(..)`, `None`, `_`.
pub(super) fn binds_nothing_of_value(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::Wild(_) => true,
        syn::Pat::Ident(ident) => ident.ident == "None",
        syn::Pat::Path(path) => path.path.is_ident("None"),
        syn::Pat::TupleStruct(tuple) => {
            tuple.path.segments.last().is_some_and(|s| s.ident == "Err")
        }
        _ => false,
    }
}

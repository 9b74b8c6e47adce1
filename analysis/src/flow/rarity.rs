//! Code that runs rarely, where a client built for one request is no pool thrown away per
//! request:
//! - a constructor (an associated function returning `Self`, `Result<Self>`, the impl's type)
//!   or a consuming builder's last step (a method taking `self` by value, of a type whose
//!   setters chain `self -> Self`, handing back a value of the crate with methods of its own):
//!   each runs once per value it makes; a function that never returns normally
//!   (`-> Result<Infallible>`) runs once for good;
//! - the code after a condition re-checked under a lock (double-checked locking: a token
//!   refreshed only by the first caller that finds it expired);
//! - the iterations of a loop bounded by a small constant, each aimed at a different target
//!   (a new server spawned per attempt on a new port).
//!
//! Each is a property of the code the analysis reads, not of names.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use syn::visit::Visit;

use super::engine::Engine;
use super::mentions;
use super::state::Fresh;
use crate::diagnostic::Span;
use crate::model::crate_map::{CrateMap, FnId, Owner, Receiver};
use crate::model::source_map::SourceMap;
use crate::model::syntax;

/// At most this many iterations make a loop a bounded retry rather than a loop over items.
pub(super) const MAX_BOUNDED_ITERATIONS: u128 = 5;

/// Methods that take a lock and hand back its guard (`Mutex::lock`, `RwLock::write`,
/// tokio's `lock().await`).
const LOCK_METHODS: &[&str] = &[
    "lock",
    "write",
    "read",
    "try_lock",
    "lock_owned",
    "write_owned",
    "read_owned",
];

/// Whether function `id` runs once per value it makes, or once for good: a constructor (not a
/// fetch of a record that decodes it from a response body), the
/// `build` step of a consuming builder, or a function that never returns normally
/// (`-> Result<Infallible>`: a server's run loop).
pub(super) fn runs_once(map: &CrateMap, id: FnId, rarity: &FnRarity) -> bool {
    let outline = &map.fns[id].outline;
    if outline.returned_type.as_deref() == Some("Infallible") {
        return true;
    }
    let Owner::Impl {
        self_ty,
        trait_name,
    } = &outline.owner
    else {
        return false;
    };
    // Awaiting a builder (`IntoFuture` of a type whose setters chain) is its last step.
    if trait_name.as_deref() == Some("IntoFuture") && outline.receiver == Some(Receiver::Value) {
        return chains_setters(map, self_ty);
    }
    let Some(returned) = outline.returned_type.as_deref() else {
        return false;
    };
    let returns_self = returned == "Self" || returned == self_ty;
    match outline.receiver {
        // A constructor sets a value up, once per value. One that hands back a response body
        // it decodes (`Customer::get(id) -> Self`, `resp.json::<Self>()`) fetches a record:
        // each call is a request like any other.
        None => returns_self && !rarity.returns_body,
        Some(Receiver::Value) => {
            trait_name.is_none()
                && !returns_self
                && !map.builder_wrappers.contains(self_ty)
                && chains_setters(map, self_ty)
                && has_methods(map, returned)
        }
        Some(Receiver::Ref) => false,
    }
}

/// A builder type: some method of it takes `self` by value and hands back `Self`.
fn chains_setters(map: &CrateMap, ty: &str) -> bool {
    map.fns.iter().any(|def| {
        let outline = &def.outline;
        matches!(&outline.owner, Owner::Impl { self_ty, .. } if self_ty == ty)
            && outline.receiver == Some(Receiver::Value)
            && matches!(outline.returned_type.as_deref(), Some(returned) if returned == "Self" || returned == ty)
    })
}

/// A type of the crate with methods that borrow it: a value used after it is built.
fn has_methods(map: &CrateMap, ty: &str) -> bool {
    map.fns.iter().any(|def| {
        matches!(&def.outline.owner, Owner::Impl { self_ty, .. } if self_ty == ty)
            && def.outline.receiver == Some(Receiver::Ref)
    })
}

/// What one function's body says about its rare paths, read once before the walk.
#[derive(Debug, Default)]
pub(super) struct FnRarity {
    /// Byte ranges that run only after a condition re-checked under a lock.
    rechecked: Vec<(usize, usize)>,
    /// The body's local integer constants (`const ATTEMPTS: u8 = 3;`).
    consts: HashMap<String, u128>,
    /// What the function hands back is a response body it decodes (see
    /// [`returns_decoded_body`]): it fetches a record, whatever its type.
    returns_body: bool,
}

impl FnRarity {
    /// Reads `block`, the body of a function of `crate_map`.
    pub(super) fn of(block: &syn::Block, map: &SourceMap<'_>, crate_map: &CrateMap) -> Self {
        let mut consts = Consts::default();
        consts.visit_block(block);
        FnRarity {
            rechecked: rechecked_regions(block, map, crate_map),
            consts: consts.found,
            returns_body: returns_decoded_body(block),
        }
    }

    /// Whether the code at `span` runs only after a condition re-checked under a lock.
    pub(super) fn after_recheck(&self, span: Span) -> bool {
        self.rechecked
            .iter()
            .any(|&(start, end)| start <= span.start.byte && span.end.byte <= end)
    }
}

#[derive(Default)]
struct Consts {
    found: HashMap<String, u128>,
}

impl<'ast> Visit<'ast> for Consts {
    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        if let Some(value) = int_literal(&item.expr) {
            self.found.insert(syntax::name(&item.ident), value);
        }
    }
}

fn int_literal(expr: &syn::Expr) -> Option<u128> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        syn::Expr::Paren(paren) => int_literal(&paren.expr),
        _ => None,
    }
}

/// The byte ranges after a lock is taken and a condition is checked again under it: an `if`
/// that reads the guard, or calls a predicate of the crate that a condition before the lock
/// called too. The rest of the block runs only when the `if` does not leave (it returns), or
/// its branch runs only when the condition holds.
fn rechecked_regions(
    block: &syn::Block,
    map: &SourceMap<'_>,
    crate_map: &CrateMap,
) -> Vec<(usize, usize)> {
    let mut locks = Locks::default();
    locks.visit_block(block);
    if locks.found.is_empty() {
        return Vec::new();
    }
    let mut conditions = Conditions::default();
    conditions.visit_block(block);
    let mut regions = Vec::new();
    for (lock_block, index, guard) in locks.found {
        let syn::Stmt::Local(local) = &lock_block.stmts[index] else {
            continue;
        };
        let lock_start = map.span(local.let_token.span).start.byte;
        let earlier: HashSet<&str> = conditions
            .found
            .iter()
            .filter(|(at, _)| map.span(*at).start.byte < lock_start)
            .flat_map(|(_, called)| called.iter().map(String::as_str))
            .filter(|name| is_crate_fn(crate_map, name))
            .collect();
        let block_end = map.span(lock_block.brace_token.span.close()).end.byte;
        let mut ifs = Ifs::default();
        for stmt in &lock_block.stmts[index + 1..] {
            ifs.visit_stmt(stmt);
        }
        for if_expr in ifs.found {
            let mut called = Called::default();
            called.visit_expr(&if_expr.cond);
            let reads_guard = mentions::in_expr(&if_expr.cond).contains(&guard);
            let again = called
                .names
                .iter()
                .any(|name| earlier.contains(name.as_str()));
            if !reads_guard && !again {
                continue;
            }
            let branch = &if_expr.then_branch.brace_token.span;
            if if_expr.else_branch.is_none() && returns(&if_expr.then_branch) {
                regions.push((map.span(branch.close()).end.byte, block_end));
            } else {
                regions.push((
                    map.span(branch.open()).start.byte,
                    map.span(branch.close()).end.byte,
                ));
            }
        }
    }
    regions
}

fn is_crate_fn(crate_map: &CrateMap, name: &str) -> bool {
    !crate_map.methods_named(name).is_empty()
        || crate_map
            .fns
            .iter()
            .any(|def| def.outline.owner == Owner::Free && def.outline.name == name)
}

/// `let guard = m.lock()`, `.write().await`, `.lock().unwrap()`, `.lock()?`: the lock's block,
/// the statement's index and the guard's name.
#[derive(Default)]
struct Locks<'ast> {
    found: Vec<(&'ast syn::Block, usize, String)>,
}

impl<'ast> Visit<'ast> for Locks<'ast> {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        for (index, stmt) in block.stmts.iter().enumerate() {
            let syn::Stmt::Local(local) = stmt else {
                continue;
            };
            let Some(init) = &local.init else {
                continue;
            };
            let mut names = Vec::new();
            syntax::pattern_names(&local.pat, &mut names);
            if let ([guard], true) = (names.as_slice(), takes_lock(&init.expr)) {
                self.found.push((block, index, guard.clone()));
            }
        }
        syn::visit::visit_block(self, block);
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
}

fn takes_lock(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Await(inner) => takes_lock(&inner.base),
        syn::Expr::Try(inner) => takes_lock(&inner.expr),
        syn::Expr::Paren(inner) => takes_lock(&inner.expr),
        syn::Expr::MethodCall(call) => {
            let method = syntax::name(&call.method);
            match method.as_str() {
                "unwrap" | "expect" | "unwrap_or_else" => takes_lock(&call.receiver),
                _ => LOCK_METHODS.contains(&method.as_str()) && call.args.is_empty(),
            }
        }
        _ => false,
    }
}

/// The conditions of `if`s and `while`s, by where they start, with the functions and methods
/// they call.
#[derive(Default)]
struct Conditions {
    found: Vec<(proc_macro2::Span, HashSet<String>)>,
}

impl<'ast> Visit<'ast> for Conditions {
    fn visit_expr_if(&mut self, if_expr: &'ast syn::ExprIf) {
        let mut called = Called::default();
        called.visit_expr(&if_expr.cond);
        self.found.push((if_expr.if_token.span, called.names));
        syn::visit::visit_expr_if(self, if_expr);
    }
}

/// The `if` expressions of a statement, outside closures.
#[derive(Default)]
struct Ifs<'ast> {
    found: Vec<&'ast syn::ExprIf>,
}

impl<'ast> Visit<'ast> for Ifs<'ast> {
    fn visit_expr_if(&mut self, if_expr: &'ast syn::ExprIf) {
        self.found.push(if_expr);
        syn::visit::visit_expr_if(self, if_expr);
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
}

/// The names of the functions and methods an expression calls.
#[derive(Default)]
struct Called {
    names: HashSet<String>,
}

impl<'ast> Visit<'ast> for Called {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func {
            if let Some(name) = syntax::last_name(&path.path) {
                self.names.insert(name);
            }
        }
        syn::visit::visit_expr_call(self, call);
    }
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.names.insert(syntax::name(&call.method));
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// Whether a block has a `return` outside closures.
fn returns(block: &syn::Block) -> bool {
    #[derive(Default)]
    struct Returns(bool);
    impl<'ast> Visit<'ast> for Returns {
        fn visit_expr_return(&mut self, _: &'ast syn::ExprReturn) {
            self.0 = true;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    }
    let mut found = Returns::default();
    found.visit_block(block);
    found.0
}

/// A loop bounded by a small constant whose iterations aim at different targets: what of an
/// iteration is not repeated per item.
pub(super) struct SpreadLoop {
    /// Calls whose arguments vary with the iteration, by span.
    calls: HashSet<(usize, usize)>,
    /// Every request the body makes goes to a URL that varies with the iteration.
    urls_vary: bool,
}

impl SpreadLoop {
    /// Drops from `again` what each iteration makes for a different target: calls given what
    /// varies with it, clients whose requests all go where it varies.
    pub(super) fn keep_repeated(&self, engine: &Engine<'_, '_>, again: &mut BTreeSet<Fresh>) {
        again.retain(|fresh| match *fresh {
            Fresh::Call(call) => {
                let span = engine.facts.calls[call].span;
                !self.calls.contains(&(span.start.byte, span.end.byte))
            }
            Fresh::Client(_) => !self.urls_vary,
            Fresh::Request(..) => true,
        });
    }
}

impl Engine<'_, '_> {
    /// `for pat in a..b` with at most [`MAX_BOUNDED_ITERATIONS`] iterations, whose body gives
    /// crate calls or request URLs something that varies with the iteration: the loop's
    /// binding, or a local computed from it or returned by a function of the crate called in
    /// the body (`let port = pick_port()?`).
    pub(super) fn spread_loop(
        &self,
        pat: &syn::Pat,
        iterated: &syn::Expr,
        body: &syn::Block,
    ) -> Option<SpreadLoop> {
        let count = self.iterations(iterated)?;
        if count == 0 || count > MAX_BOUNDED_ITERATIONS {
            return None;
        }
        let mut varying = Vec::new();
        syntax::pattern_names(pat, &mut varying);
        let mut varying: HashSet<String> = varying.into_iter().collect();
        let mut locals = Locals::default();
        locals.visit_block(body);
        loop {
            let before = varying.len();
            for (names, init) in &locals.found {
                let fresh = mentioned(init).iter().any(|n| varying.contains(n))
                    || calls_crate_fn(self.cx.crate_map, init);
                if fresh {
                    varying.extend(names.iter().cloned());
                }
            }
            if varying.len() == before {
                break;
            }
        }
        let mut calls = CallsGiven {
            map: self.cx.map,
            varying: &varying,
            found: HashSet::default(),
            urls: 0,
            varying_urls: 0,
        };
        calls.visit_block(body);
        let urls_vary = calls.urls > 0 && calls.urls == calls.varying_urls;
        if calls.found.is_empty() && !urls_vary {
            return None;
        }
        Some(SpreadLoop {
            calls: calls.found,
            urls_vary,
        })
    }

    /// The number of iterations of `a..b` or `a..=b` with literal or local-constant ends.
    pub(super) fn iterations(&self, iterated: &syn::Expr) -> Option<u128> {
        let syn::Expr::Range(range) = syntax::strip_parens(iterated) else {
            return None;
        };
        let bound = |expr: &syn::Expr| match syntax::strip_parens(expr) {
            syn::Expr::Path(path) => path
                .path
                .get_ident()
                .and_then(|ident| self.rarity.consts.get(&syntax::name(ident)).copied()),
            other => int_literal(other),
        };
        let start = bound(range.start.as_deref()?)?;
        let end = bound(range.end.as_deref()?)?;
        let inclusive = matches!(range.limits, syn::RangeLimits::Closed(_));
        Some((end + u128::from(inclusive)).saturating_sub(start))
    }
}

/// Whether `expr` calls a free function of the crate by a one-segment path: what it returns
/// may be new at each call (a free port, a spawned server).
fn calls_crate_fn(crate_map: &CrateMap, expr: &syn::Expr) -> bool {
    #[derive(Default)]
    struct Paths(Vec<String>);
    impl<'ast> Visit<'ast> for Paths {
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            if let syn::Expr::Path(path) = &*call.func {
                if let Some(ident) = path.path.get_ident() {
                    self.0.push(syntax::name(ident));
                }
            }
            syn::visit::visit_expr_call(self, call);
        }
    }
    let mut paths = Paths::default();
    paths.visit_expr(expr);
    paths.0.iter().any(|name| {
        crate_map
            .fns
            .iter()
            .any(|def| def.outline.owner == Owner::Free && def.outline.name == *name)
    })
}

/// `let` bindings of a block, with what they are given.
#[derive(Default)]
struct Locals<'ast> {
    found: Vec<(Vec<String>, &'ast syn::Expr)>,
}

impl<'ast> Visit<'ast> for Locals<'ast> {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            let mut names = Vec::new();
            syntax::pattern_names(&local.pat, &mut names);
            self.found.push((names, &init.expr));
        }
        syn::visit::visit_local(self, local);
    }
}

/// Calls given something that varies with the iteration (by span, as the walk records them),
/// and the request URLs of the body.
struct CallsGiven<'m, 'v> {
    map: &'m SourceMap<'m>,
    varying: &'v HashSet<String>,
    found: HashSet<(usize, usize)>,
    urls: usize,
    varying_urls: usize,
}

impl CallsGiven<'_, '_> {
    fn varies<'e>(&self, mut args: impl Iterator<Item = &'e syn::Expr>) -> bool {
        args.any(|arg| {
            mentioned(arg)
                .iter()
                .any(|name| self.varying.contains(name))
        })
    }

    fn record(&mut self, span: Span) {
        self.found.insert((span.start.byte, span.end.byte));
    }
}

impl<'ast> Visit<'ast> for CallsGiven<'_, '_> {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if self.varies(call.args.iter()) {
            let span = self.map.span_between(
                syntax::first_span(&call.func),
                call.paren_token.span.close(),
            );
            self.record(span);
        }
        syn::visit::visit_expr_call(self, call);
    }
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if self.varies(call.args.iter()) {
            let span = self.map.span_between(
                syntax::first_span(&call.receiver),
                call.paren_token.span.close(),
            );
            self.record(span);
        }
        let method = syntax::name(&call.method);
        let url = match (method.as_str(), call.args.len()) {
            ("get" | "post" | "put" | "patch" | "delete" | "head", 1) => call.args.first(),
            ("request", 2) => call.args.iter().nth(1),
            _ => None,
        };
        if let Some(url) = url {
            self.urls += 1;
            if self.varies(std::iter::once(url)) {
                self.varying_urls += 1;
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// The local names `expr` mentions, with those a format string captures inline
/// (`format!("http://127.0.0.1:{port}/")`).
fn mentioned(expr: &syn::Expr) -> HashSet<String> {
    struct Inline<'n>(&'n mut HashSet<String>);
    impl<'ast> Visit<'ast> for Inline<'_> {
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            inline_format_args(mac.tokens.clone(), self.0);
        }
    }
    let mut names = mentions::in_expr(expr);
    Inline(&mut names).visit_expr(expr);
    names
}

/// The names captured by `{name}` and `{name:..}` in the string literals of `tokens`.
fn inline_format_args(tokens: proc_macro2::TokenStream, names: &mut HashSet<String>) {
    syntax::string_literals(tokens, &mut |text| {
        for piece in text.split('{').skip(1) {
            let name: String = piece
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let closes = piece[name.len()..].starts_with(['}', ':']);
            if closes && name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
                names.insert(name);
            }
        }
    });
}

/// Whether every value the body hands back (its tail and its `return`s, through `Ok(..)`,
/// `Some(..)`, `?`, `.await` and `map_err`-like adapters) is a decoded response body: a whole
/// read (`.json()`, `.text()`, `.bytes()`), or a local bound to one. `Err(..)` returns no value.
fn returns_decoded_body(block: &syn::Block) -> bool {
    const ADAPTERS: &[&str] = &["map_err", "context", "with_context", "unwrap", "expect"];
    fn decoded(mut expr: &syn::Expr, locals: &HashSet<String>) -> Option<bool> {
        loop {
            expr = match expr {
                syn::Expr::Try(e) => &e.expr,
                syn::Expr::Await(e) => &e.base,
                syn::Expr::Paren(e) => &e.expr,
                syn::Expr::MethodCall(call)
                    if ADAPTERS.contains(&syntax::name(&call.method).as_str()) =>
                {
                    &call.receiver
                }
                syn::Expr::Call(call) => match &*call.func {
                    syn::Expr::Path(path) if path.path.is_ident("Err") => return None,
                    syn::Expr::Path(path)
                        if (path.path.is_ident("Ok") || path.path.is_ident("Some"))
                            && call.args.len() == 1 =>
                    {
                        &call.args[0]
                    }
                    _ => return Some(false),
                },
                syn::Expr::MethodCall(call) => {
                    let method = syntax::name(&call.method);
                    return Some(super::vocabulary::WHOLE_BODY_READS.contains(&method.as_str()));
                }
                syn::Expr::Path(path) => {
                    return Some(
                        path.path
                            .get_ident()
                            .is_some_and(|ident| locals.contains(&syntax::name(ident))),
                    )
                }
                _ => return Some(false),
            };
        }
    }
    #[derive(Default)]
    struct Returns<'a> {
        locals: HashSet<String>,
        lets: Vec<(String, &'a syn::Expr)>,
        returned: Vec<&'a syn::Expr>,
    }
    impl<'a> Visit<'a> for Returns<'a> {
        fn visit_local(&mut self, local: &'a syn::Local) {
            if let (syn::Pat::Ident(binding), Some(init)) = (&local.pat, &local.init) {
                self.lets.push((syntax::name(&binding.ident), &init.expr));
            }
            syn::visit::visit_local(self, local);
        }
        fn visit_expr_return(&mut self, ret: &'a syn::ExprReturn) {
            if let Some(expr) = &ret.expr {
                self.returned.push(expr);
            }
            syn::visit::visit_expr_return(self, ret);
        }
        fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'a syn::Item) {}
    }
    let mut found = Returns::default();
    found.visit_block(block);
    for (name, init) in &found.lets {
        if decoded(init, &found.locals) == Some(true) {
            found.locals.insert(name.clone());
        }
    }
    let tail = match block.stmts.last() {
        Some(syn::Stmt::Expr(expr, None)) => Some(expr),
        _ => None,
    };
    let verdicts: Vec<Option<bool>> = found
        .returned
        .iter()
        .copied()
        .chain(tail)
        .map(|expr| decoded(expr, &found.locals))
        .collect();
    verdicts.contains(&Some(true)) && !verdicts.contains(&Some(false))
}

//! Instrumenting the sources of a function body.
//!
//! A *source* is a zero-argument `.send()`, a one-argument `.execute(..)`, or a call of
//! `reqwest::get`/`reqwest::blocking::get`/`get`, with or without `.await`. Each one is wrapped in
//! `__reqleak_instrument`, which instruments responses and is the identity for anything else.
//! `std::mem::forget(x)` marks `x` as forgotten first.
//!
//! `drop(x)` marks `x` as dropped on purpose (strict does not report its unread body).
//!
//! The scope a source is attributed to: the thread's current scope, which instrumented code keeps
//! set while it runs (see `resume` below and the spawn wrapping); inside the body and `move`
//! closures/async blocks, the captured `__reqleak_id` when no scope is current (a block run by
//! code that is not instrumented, on another thread). A non-`move` closure/async block must not
//! gain a borrow of a local, so it reads the current scope only, and a `move` block created there
//! takes a fresh `__reqleak_id` from it.
//!
//! **Awaits.** In an async body, each `.await` of the body itself (not of a closure or async
//! block in it) polls its operand through `resume(current, ..)`, which makes the body's scope
//! current while the body runs and restores the caller's when it is suspended: the body's own
//! coroutine stays untouched.
//!
//! **Spawns.** What a one-argument `spawn`/`spawn_local`/`spawn_blocking` call (a function or
//! a method: `tokio::spawn`, `JoinSet::spawn`, `std::thread::spawn`, ..) is given runs as a
//! child of the current scope, without changing its type: a literal `async move` block opens its
//! child scope at its first poll and polls its awaits through `resume`; a literal `move || ..`
//! closure opens one while it runs. Any other argument is wrapped in a `Child` future only for
//! spawners known to take any future (`tokio::spawn`, `tokio::task::spawn_local`, ..), and left
//! alone otherwise.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprCall, Item, Macro, Pat, Stmt, Token};

pub struct Rewriter {
    /// The checked function's name (for the creation sites).
    pub function: String,
    /// The innermost closure/async block is `move` (or there is none).
    in_move: bool,
    /// A site under the current `move` chain uses the captured `__reqleak_id`.
    needs_id: bool,
    /// Sources instrumented so far.
    pub sites: usize,
    /// The body runs inline (not in a closure): `return e` hands `e` to the scope guard first,
    /// checked as this type (the function's return type).
    pub hand_returns: Option<TokenStream>,
    /// Closures and async blocks around the current expression (a `return` there is theirs).
    depth: usize,
    /// An async body: the `&Current` that its own `.await`s poll through.
    pub resume: Option<TokenStream>,
    /// Rewrites so far (a macro's tokens are re-emitted only when its arguments changed).
    edits: usize,
}

impl Rewriter {
    pub fn new(function: String) -> Self {
        Rewriter {
            function,
            in_move: true,
            needs_id: false,
            sites: 0,
            hand_returns: None,
            depth: 0,
            resume: None,
            edits: 0,
        }
    }

    fn scope_expr(&mut self) -> TokenStream {
        if self.in_move {
            self.needs_id = true;
            quote!(::reqleak::__private::scope_or(__reqleak_id))
        } else {
            quote!(::reqleak::__private::current_scope())
        }
    }

    /// Wraps the source `e`; its creation site is reported at `span` (the start of the source
    /// expression). A type error in the wrapping (a generic `send()` whose type is inferred from
    /// later code) points at the call, `call_span`, not at the attribute.
    fn instrument(&mut self, e: &mut Expr, span: Span, call_span: Span, get: bool) {
        self.sites += 1;
        self.edits += 1;
        let scope = self.scope_expr();
        let function = &self.function;
        let site = quote_spanned! {span=>
            static __REQLEAK_SITE: ::reqleak::__private::Site = ::reqleak::__private::Site {
                file: ::core::file!(),
                line: ::core::line!(),
                column: ::core::column!(),
                function: ::core::concat!(::core::module_path!(), "::", #function),
            };
        };
        let method = if get {
            quote_spanned!(call_span=> __reqleak_instrument_get)
        } else {
            quote_spanned!(call_span=> __reqleak_instrument)
        };
        let inner = &*e;
        let probe = quote_spanned! {call_span=>
            (&&&::reqleak::__private::Probe::new(#inner)).#method(#scope, &__REQLEAK_SITE)
        };
        *e = Expr::Verbatim(quote! {
            {
                #[allow(unused_imports)]
                use ::reqleak::__private::{
                    InstrumentFallback as _, InstrumentHttp02 as _, InstrumentHttp02Option as _,
                    InstrumentHttp02Result as _, InstrumentHttp1 as _, InstrumentHttp1Option as _,
                    InstrumentHttp1Result as _, InstrumentTrackable as _,
                };
                #site
                #probe
            }
        });
    }

    /// A client construction (see [`client_construction`]): its value goes through `Built`,
    /// which records a reqwest client (for `pool` and the log) and hands anything back unchanged.
    fn mark_client(&mut self, e: &mut Expr, span: Span, per_item: bool) {
        let scope = self.scope_expr();
        let function = &self.function;
        let inner = &*e;
        *e = Expr::Verbatim(quote_spanned! {span=>
            {
                #[allow(unused_imports)]
                use ::reqleak::__private::{ViaClient as _, ViaClientFallback as _};
                static __REQLEAK_CLIENT: ::reqleak::__private::Site = ::reqleak::__private::Site {
                    file: ::core::file!(),
                    line: ::core::line!(),
                    column: ::core::column!(),
                    function: ::core::concat!(::core::module_path!(), "::", #function),
                };
                (&::reqleak::__private::Built::new(#inner))
                    .__reqleak_client(#scope, &__REQLEAK_CLIENT, #per_item)
            }
        });
    }

    /// `x.bytes()` (and the other whole-body reads): the response in `x`, if it is one, is
    /// marked as read whole at this site (for `max_body`). A place is marked through a borrow,
    /// then used as written (a `&self` method on it must not move it); any other receiver is a
    /// value, passed through the probe, which hands it back unchanged.
    fn mark_whole_read(&mut self, e: &mut Expr, span: Span) {
        let Expr::MethodCall(m) = e else { return };
        let function = &self.function;
        let site = quote_spanned! {span=>
            static __REQLEAK_READ: ::reqleak::__private::Site = ::reqleak::__private::Site {
                file: ::core::file!(),
                line: ::core::line!(),
                column: ::core::column!(),
                function: ::core::concat!(::core::module_path!(), "::", #function),
            };
        };
        let uses = quote! {
            #[allow(unused_imports)]
            use ::reqleak::__private::{
                PeekFallback as _, PeekTrackable as _, ViaFallback as _, ViaTrackable as _,
            };
        };
        let receiver = &*m.receiver;
        if is_place(receiver) {
            let call = &*m;
            *e = Expr::Verbatim(quote! {
                {
                    {
                        #uses
                        #site
                        (&::reqleak::__private::Peek(&#receiver)).__reqleak_whole(&__REQLEAK_READ);
                    }
                    #call
                }
            });
        } else {
            let marked = Expr::Verbatim(quote! {
                {
                    #uses
                    #site
                    (&::reqleak::__private::Probe::new(#receiver)).__reqleak_whole(&__REQLEAK_READ)
                }
            });
            *m.receiver = marked;
        }
    }

    /// `drop(x)` or `mem::forget(x)`, its argument instrumented first: `x` goes through the
    /// probe's `mark` method (`__reqleak_deliberate`, `__reqleak_forgotten`), which records
    /// what happens to a response and hands back anything else unchanged.
    fn mark_argument(&mut self, e: &mut Expr, mark: &str) {
        visit_mut::visit_expr_mut(self, e);
        self.edits += 1;
        let Expr::Call(c) = &*e else {
            unreachable!("is_drop and is_mem_forget match calls only")
        };
        let func = &c.func;
        let arg = &c.args[0];
        let mark = syn::Ident::new(mark, Span::call_site());
        // One expression (no `let`): the argument's temporaries live as long as before.
        *e = Expr::Verbatim(quote! {
            {
                #[allow(unused_imports)]
                use ::reqleak::__private::{ViaFallback as _, ViaTrackable as _};
                #func((&::reqleak::__private::Probe::new(#arg)).#mark())
            }
        });
    }

    /// Visits a closure or async block body with `is_move` as the innermost capture mode.
    fn boundary(&mut self, e: &mut Expr, is_move: bool) {
        let (outer_move, outer_needs) = (self.in_move, self.needs_id);
        self.in_move = is_move;
        self.needs_id = false;
        self.depth += 1;
        visit_mut::visit_expr_mut(self, e);
        self.depth -= 1;
        let inner_needs = is_move && self.needs_id;
        self.in_move = outer_move;
        self.needs_id = outer_needs;
        if inner_needs {
            if outer_move {
                self.needs_id = true;
            } else {
                let inner = &*e;
                *e = Expr::Verbatim(quote! {
                    {
                        let __reqleak_id = ::reqleak::__private::current_scope();
                        #inner
                    }
                });
            }
        }
    }
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        _ => e,
    }
}

/// Whether `c` is a one-argument call of a path spelled one of `spellings`.
fn calls_path(c: &ExprCall, spellings: &[&[&str]]) -> bool {
    let Expr::Path(p) = &*c.func else {
        return false;
    };
    if c.args.len() != 1 || p.qself.is_some() {
        return false;
    }
    spellings.iter().any(|spelling| {
        p.path.segments.len() == spelling.len()
            && p.path
                .segments
                .iter()
                .zip(*spelling)
                .all(|(s, w)| s.ident == w)
    })
}

fn is_get_path(c: &ExprCall) -> bool {
    calls_path(
        c,
        &[
            &["get"],
            &["reqwest", "get"],
            &["reqwest", "blocking", "get"],
            &["blocking", "get"],
        ],
    )
}

/// Where a source is called: the method's name (`send`, `execute`), or the called path.
fn call_span(source: &Expr) -> Span {
    match strip(source) {
        Expr::MethodCall(m) => m.method.span(),
        Expr::Call(c) => c.func.span(),
        other => other.span(),
    }
}

fn is_source(e: &Expr) -> bool {
    match strip(e) {
        Expr::MethodCall(m) => {
            (m.method == "send" && m.args.is_empty())
                || (m.method == "execute" && m.args.len() == 1)
        }
        Expr::Call(c) => is_get_path(c),
        _ => false,
    }
}

/// `reqwest::get(..)` (or `get(..)`, `blocking::get(..)`), awaited or not: a source that also
/// builds a client.
fn is_get_source(e: &Expr) -> bool {
    let inner = match strip(e) {
        Expr::Await(a) => strip(&a.base),
        other => other,
    };
    matches!(inner, Expr::Call(c) if is_get_path(c))
}

/// Builder steps that configure a client for one item (as the `client_per_request` lint): a
/// client built with one of them is one of several on purpose, never reported.
const PER_ITEM_CONFIG: &[&str] = &[
    "proxy",
    "local_address",
    "interface",
    "identity",
    "resolve",
    "resolve_to_addrs",
];

/// Whether `e` is a zero-argument call of a path ending in `<ty>::<name>`.
fn calls_assoc(e: &Expr, ty: &str, name: &str) -> bool {
    let Expr::Call(c) = strip(e) else {
        return false;
    };
    let Expr::Path(p) = &*c.func else {
        return false;
    };
    let segs = &p.path.segments;
    c.args.is_empty()
        && p.qself.is_none()
        && segs.len() >= 2
        && segs[segs.len() - 1].ident == name
        && segs[segs.len() - 2].ident == ty
}

/// A client construction: `Client::new()`, `Client::default()`, or `.build()` at the end of a
/// chain written from `Client::builder()` or `ClientBuilder::new()`. `Some(per_item)`: whether
/// the chain configures it for one item. A `.build()` on a builder held in a variable is not
/// one (its steps are not visible: it might be configured per item).
fn client_construction(e: &Expr) -> Option<bool> {
    if calls_assoc(e, "Client", "new") || calls_assoc(e, "Client", "default") {
        return Some(false);
    }
    let Expr::MethodCall(m) = strip(e) else {
        return None;
    };
    if m.method != "build" || !m.args.is_empty() {
        return None;
    }
    let mut per_item = false;
    let mut at = &*m.receiver;
    while let Expr::MethodCall(step) = strip(at) {
        per_item |= PER_ITEM_CONFIG.iter().any(|w| step.method == w);
        at = &step.receiver;
    }
    (calls_assoc(at, "Client", "builder") || calls_assoc(at, "ClientBuilder", "new"))
        .then_some(per_item)
}

/// A call of a method that reads a response's body whole: `.bytes()`, `.text()`, `.json()`
/// (with or without turbofish), `.text_with_charset(x)`.
fn is_whole_read(m: &syn::ExprMethodCall) -> bool {
    (m.args.is_empty() && (m.method == "bytes" || m.method == "text" || m.method == "json"))
        || (m.args.len() == 1 && m.method == "text_with_charset")
}

/// A place expression (a path, a field, an index, a deref): it can be borrowed and then used.
fn is_place(e: &Expr) -> bool {
    match e {
        Expr::Path(_) => true,
        Expr::Field(f) => is_place(&f.base),
        Expr::Index(i) => is_place(&i.expr),
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)),
        Expr::Paren(p) => is_place(&p.expr),
        _ => false,
    }
}

fn is_drop(c: &ExprCall) -> bool {
    calls_path(
        c,
        &[
            &["drop"],
            &["mem", "drop"],
            &["std", "mem", "drop"],
            &["core", "mem", "drop"],
        ],
    )
}

const SPAWNS: [&str; 3] = ["spawn", "spawn_local", "spawn_blocking"];

/// `tokio::spawn(x)`, `thread::spawn(x)`, `set.spawn(x)`, `handle.spawn_blocking(x)`, ..
fn is_spawn(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => {
            c.args.len() == 1
                && matches!(&*c.func, Expr::Path(p) if p.qself.is_none()
                    && p.path.segments.last().is_some_and(|s| SPAWNS.iter().any(|w| s.ident == w)))
        }
        Expr::MethodCall(m) => m.args.len() == 1 && SPAWNS.iter().any(|w| m.method == w),
        _ => false,
    }
}

/// Spawners known to take any future (`F: Future`), which may be given a wrapped one.
fn is_generic_spawner(func: &Expr) -> bool {
    let Expr::Path(p) = func else { return false };
    let segs: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    matches!(
        segs.as_slice(),
        ["tokio", "spawn"]
            | [.., "tokio", "task", "spawn" | "spawn_local"]
            | ["task", "spawn" | "spawn_local"]
            | ["async_std", "task", "spawn" | "spawn_local"]
            | ["smol", "spawn"]
    )
}

fn is_mem_forget(c: &ExprCall) -> bool {
    calls_path(
        c,
        &[
            &["mem", "forget"],
            &["std", "mem", "forget"],
            &["core", "mem", "forget"],
        ],
    )
}

impl VisitMut for Rewriter {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        match e {
            Expr::Await(a) => {
                let source = is_source(&a.base);
                let get = is_get_source(e);
                let Expr::Await(a) = e else { unreachable!() };
                let (span, call) = (a.base.span(), call_span(&a.base));
                if source {
                    visit_mut::visit_expr_mut(self, &mut a.base);
                } else {
                    self.visit_expr_mut(&mut a.base);
                }
                if self.depth == 0 {
                    if let Some(current) = &self.resume {
                        let base = &a.base;
                        let wrapped: Expr = syn::parse_quote_spanned! {span=>
                            ::reqleak::__private::resume(
                                #current,
                                ::core::future::IntoFuture::into_future(#base),
                            )
                        };
                        *a.base = wrapped;
                        self.edits += 1;
                    }
                }
                if source {
                    self.instrument(e, span, call, get);
                }
            }
            Expr::MethodCall(_) | Expr::Call(_) if client_construction(e).is_some() => {
                let per_item = client_construction(e) == Some(true);
                let span = e.span();
                visit_mut::visit_expr_mut(self, e);
                self.edits += 1;
                self.mark_client(e, span, per_item);
            }
            Expr::MethodCall(m) if is_whole_read(m) => {
                let span = m.method.span();
                visit_mut::visit_expr_mut(self, e);
                self.edits += 1;
                self.mark_whole_read(e, span);
            }
            Expr::MethodCall(_) | Expr::Call(_) if is_source(e) => {
                let (span, call, get) = (e.span(), call_span(e), is_get_source(e));
                visit_mut::visit_expr_mut(self, e);
                self.instrument(e, span, call, get);
            }
            Expr::Call(_) | Expr::MethodCall(_) if is_spawn(e) => {
                let (arg, generic) = match e {
                    Expr::Call(c) => {
                        let generic = is_generic_spawner(&c.func);
                        self.visit_expr_mut(&mut c.func);
                        (&mut c.args[0], generic)
                    }
                    Expr::MethodCall(m) => {
                        self.visit_expr_mut(&mut m.receiver);
                        (&mut m.args[0], false)
                    }
                    _ => unreachable!(),
                };
                let scope = self.scope_expr();
                self.edits += 1;
                let taken = std::mem::replace(arg, Expr::Verbatim(TokenStream::new()));
                *arg = self.spawned(taken, scope, generic);
            }
            Expr::Call(c) if is_drop(c) => self.mark_argument(e, "__reqleak_deliberate"),
            Expr::Macro(m) => {
                if let Some(rewritten) = self.rewrite_macro(&m.mac) {
                    *e = rewritten;
                } else {
                    visit_mut::visit_expr_mut(self, e);
                }
            }
            Expr::Call(c) if is_mem_forget(c) => self.mark_argument(e, "__reqleak_forgotten"),
            Expr::Return(_) if self.depth == 0 && self.hand_returns.is_some() => {
                visit_mut::visit_expr_mut(self, e);
                self.edits += 1;
                let Expr::Return(r) = &*e else { unreachable!() };
                let ty = self.hand_returns.as_ref();
                let value = match &r.expr {
                    Some(v) => v.to_token_stream(),
                    None => quote!(()),
                };
                let ret = r.return_token;
                *e = Expr::Verbatim(quote! {
                    #ret {
                        let __reqleak_ret: #ty = #value;
                        {
                            #[allow(unused_imports)]
                            use ::reqleak::__private::{PeekFallback as _, PeekTrackable as _};
                            __reqleak_scope.hand(
                                (&::reqleak::__private::Peek(&__reqleak_ret)).__reqleak_handed(),
                            );
                        }
                        __reqleak_ret
                    }
                });
            }
            Expr::Closure(c) => {
                let is_move = c.capture.is_some();
                self.boundary(e, is_move);
            }
            Expr::Async(a) => {
                let is_move = a.capture.is_some();
                self.boundary(e, is_move);
            }
            _ => visit_mut::visit_expr_mut(self, e),
        }
    }

    /// Nested items are other functions: not instrumented.
    fn visit_item_mut(&mut self, _: &mut Item) {}

    fn visit_stmt_mut(&mut self, s: &mut Stmt) {
        if let Stmt::Macro(sm) = s {
            if let Some(rewritten) = self.rewrite_macro(&sm.mac) {
                *s = Stmt::Expr(rewritten, sm.semi_token);
                return;
            }
        }
        visit_mut::visit_stmt_mut(self, s);
    }

    /// Macro arguments that parse as comma-separated expressions (`vec!`, `join!`, `println!`..),
    /// or start with one (`matches!(expr, pat)`), are instrumented too; other macros are left
    /// alone, and so are the arguments a macro prints as written (`dbg!`, `stringify!`), whose
    /// text would change. In `join!`/`try_join!`, a bare `.send()` (a future the macro awaits)
    /// becomes `async { ..send().await }`, which is instrumented; its output is the same.
    fn visit_macro_mut(&mut self, m: &mut Macro) {
        let name = macro_name(m);
        if matches!(
            name.as_str(),
            "dbg" | "stringify" | "concat" | "include" | "include_str" | "include_bytes"
        ) {
            return;
        }
        let awaits_args = matches!(name.as_str(), "join" | "try_join");
        let before = self.edits;
        if let Ok(mut args) =
            Punctuated::<Expr, Token![,]>::parse_terminated.parse2(m.tokens.clone())
        {
            for arg in args.iter_mut() {
                if awaits_args && is_source(arg) {
                    let span = arg.span();
                    *arg = syn::parse_quote_spanned!(span=> async { #arg.await });
                }
                self.visit_expr_mut(arg);
            }
            if self.edits != before {
                m.tokens = args.into_token_stream();
            }
            return;
        }
        // `matches!(expr, pattern)`, `write!(f, ..)`: the first argument.
        let Ok((mut first, rest)) = (|input: syn::parse::ParseStream| {
            let first: Expr = input.parse()?;
            let comma: Token![,] = input.parse()?;
            let rest: TokenStream = input.parse()?;
            Ok((first, quote!(#comma #rest)))
        })
        .parse2(m.tokens.clone()) else {
            return;
        };
        self.visit_expr_mut(&mut first);
        if self.edits != before {
            m.tokens = quote!(#first #rest);
        }
    }
}

fn macro_name(m: &Macro) -> String {
    m.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// One arm of `select!` (tokio's and futures'): `pat = fut [, if cond] => body` or
/// `else => body` (`complete`/`default` in futures').
struct SelectArm {
    head: SelectHead,
    body: Expr,
}

// Parsed once per `select!` and dropped right away: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum SelectHead {
    Branch {
        pat: Pat,
        eq: Token![=],
        fut: Expr,
        cond: Option<(Token![,], Token![if], Expr)>,
    },
    Keyword(TokenStream),
}

struct SelectInput {
    biased: Option<TokenStream>,
    arms: Vec<SelectArm>,
}

impl syn::parse::Parse for SelectInput {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let mut biased = None;
        if input.peek(syn::Ident) && input.peek2(Token![;]) {
            let fork = input.fork();
            let ident: syn::Ident = fork.parse()?;
            if ident == "biased" {
                let ident: syn::Ident = input.parse()?;
                let semi: Token![;] = input.parse()?;
                biased = Some(quote!(#ident #semi));
            }
        }
        let mut arms = Vec::new();
        while !input.is_empty() {
            let head = if (input.peek(Token![else]) || input.peek(syn::Ident))
                && input.peek2(Token![=>])
            {
                let kw: TokenStream = if input.peek(Token![else]) {
                    input.parse::<Token![else]>()?.into_token_stream()
                } else {
                    input.parse::<syn::Ident>()?.into_token_stream()
                };
                SelectHead::Keyword(kw)
            } else {
                let pat = Pat::parse_multi_with_leading_vert(input)?;
                let eq: Token![=] = input.parse()?;
                let fut = Expr::parse_without_eager_brace(input)?;
                let cond = if input.peek(Token![,]) && input.peek2(Token![if]) {
                    Some((input.parse()?, input.parse()?, input.parse()?))
                } else {
                    None
                };
                SelectHead::Branch { pat, eq, fut, cond }
            };
            input.parse::<Token![=>]>()?;
            let braced = input.peek(syn::token::Brace);
            let body = if braced {
                let block: syn::ExprBlock = input.parse()?;
                Expr::Block(block)
            } else {
                input.parse()?
            };
            if input.peek(Token![,]) || (!braced && !input.is_empty()) {
                input.parse::<Token![,]>()?;
            }
            arms.push(SelectArm { head, body });
        }
        Ok(SelectInput { biased, arms })
    }
}

impl ToTokens for SelectInput {
    fn to_tokens(&self, out: &mut TokenStream) {
        if let Some(b) = &self.biased {
            b.to_tokens(out);
        }
        for arm in &self.arms {
            match &arm.head {
                SelectHead::Branch { pat, eq, fut, cond } => {
                    pat.to_tokens(out);
                    eq.to_tokens(out);
                    fut.to_tokens(out);
                    if let Some((comma, if_token, c)) = cond {
                        quote!(#comma #if_token #c).to_tokens(out);
                    }
                }
                SelectHead::Keyword(kw) => kw.to_tokens(out),
            }
            let body = &arm.body;
            quote!(=> #body,).to_tokens(out);
        }
    }
}

fn is_assert(m: &Macro) -> bool {
    matches!(macro_name(m).as_str(), "assert" | "debug_assert")
}

impl Rewriter {
    /// What a `spawn`-like call is given (see the module docs): a literal `async move` block
    /// gets a child scope of its own at its first poll, its awaits polled through `resume`; a
    /// literal `move` closure gets one while it runs; anything else goes through `Spawned` when
    /// the spawner is a known generic one (`tokio::spawn`, ..), and is left alone otherwise (a
    /// spawner of one's own may take exactly `Pin<Box<dyn Future>>`, and a coercion to it must
    /// still happen). The first two keep their type exactly (the block or closure itself).
    fn spawned(&mut self, arg: Expr, scope: TokenStream, generic: bool) -> Expr {
        match arg {
            Expr::Async(mut a) if a.capture.is_some() => {
                let mut child = Rewriter::new(self.function.clone());
                child.resume = Some(quote!(&__reqleak_current));
                child.visit_block_mut(&mut a.block);
                self.sites += child.sites;
                let stmts = &a.block.stmts;
                let attrs = &a.attrs;
                Expr::Verbatim(quote! {
                    {
                        let __reqleak_parent = #scope;
                        #(#attrs)*
                        async move {
                            let __reqleak_current =
                                ::reqleak::__private::Current::child(__reqleak_parent);
                            #[allow(unused_variables)]
                            let __reqleak_id = __reqleak_current.id();
                            #(#stmts)*
                        }
                    }
                })
            }
            Expr::Closure(mut c)
                if c.capture.is_some() && c.inputs.is_empty() && c.asyncness.is_none() =>
            {
                let mut child = Rewriter::new(self.function.clone());
                child.visit_expr_mut(&mut c.body);
                self.sites += child.sites;
                let body = &c.body;
                let wrapped: Expr = syn::parse_quote! {
                    {
                        let __reqleak_child = ::reqleak::__private::ChildThread::enter(__reqleak_parent);
                        #[allow(unused_variables)]
                        let __reqleak_id = __reqleak_child.id();
                        #body
                    }
                };
                *c.body = wrapped;
                Expr::Verbatim(quote! {
                    {
                        let __reqleak_parent = #scope;
                        #c
                    }
                })
            }
            mut other if !generic => {
                self.visit_expr_mut(&mut other);
                other
            }
            mut other => {
                self.visit_expr_mut(&mut other);
                Expr::Verbatim(quote! {
                    {
                        #[allow(unused_imports)]
                        use ::reqleak::__private::{
                            SpawnBoxed as _, SpawnFallback as _, SpawnFuture as _,
                        };
                        (&&&::reqleak::__private::Spawned::new(#other)).__reqleak_child(#scope)
                    }
                })
            }
        }
    }

    /// Macros rewritten as a whole: `assert!` whose condition has a source, and, in an async
    /// body, `join!`/`select!`, which await inside their own expansion.
    fn rewrite_macro(&mut self, m: &Macro) -> Option<Expr> {
        if is_assert(m) {
            return self.rewrite_assert(m);
        }
        let name = macro_name(m);
        match name.as_str() {
            "select" | "select_biased" => self.rewrite_select(m),
            "join" | "try_join" => self.rewrite_join(m),
            _ => None,
        }
    }

    /// `assert!(cond, ..)` with a source (or an await) in it: the same check and the same
    /// message (`assertion failed: <cond as written>`, or the given one), instrumented.
    fn rewrite_assert(&mut self, m: &Macro) -> Option<Expr> {
        let mut args = Punctuated::<Expr, Token![,]>::parse_terminated
            .parse2(m.tokens.clone())
            .ok()?;
        let original = args.first()?.to_token_stream();
        let before = self.edits;
        for arg in args.iter_mut() {
            self.visit_expr_mut(arg);
        }
        if self.edits == before {
            return None;
        }
        let mut iter = args.into_iter();
        let cond = iter.next()?;
        let rest: Vec<Expr> = iter.collect();
        let fail = if rest.is_empty() {
            quote! {
                ::core::panic!(
                    "{}",
                    ::core::concat!("assertion failed: ", ::core::stringify!(#original))
                )
            }
        } else {
            quote!(::core::panic!(#(#rest),*))
        };
        let check = quote! {
            if !(#cond) {
                #fail
            }
        };
        Some(Expr::Verbatim(if macro_name(m) == "debug_assert" {
            quote!({ if ::core::cfg!(debug_assertions) { #check } })
        } else {
            quote!({ #check })
        }))
    }

    /// `select!`: sources in its futures, conditions and arm bodies are instrumented (a bare
    /// `.send()` future becomes `async { ..send().await }`); in an async body, each future is
    /// polled through `resume` (the body runs the arm it picks).
    fn rewrite_select(&mut self, m: &Macro) -> Option<Expr> {
        let mut input: SelectInput = syn::parse2(m.tokens.clone()).ok()?;
        let before = self.edits;
        let resume = if self.depth == 0 {
            self.resume.clone()
        } else {
            None
        };
        for arm in &mut input.arms {
            if let SelectHead::Branch { fut, cond, .. } = &mut arm.head {
                if is_source(fut) {
                    let span = fut.span();
                    *fut = syn::parse_quote_spanned!(span=> async { #fut.await });
                }
                self.visit_expr_mut(fut);
                if let Some(current) = &resume {
                    let inner = &*fut;
                    *fut = syn::parse_quote!(::reqleak::__private::resume(#current, #inner));
                    self.edits += 1;
                }
                if let Some((_, _, c)) = cond {
                    self.visit_expr_mut(c);
                }
            }
            self.visit_expr_mut(&mut arm.body);
        }
        if self.edits == before {
            return None;
        }
        let path = &m.path;
        let bang = m.bang_token;
        Some(Expr::Verbatim(quote!(#path #bang { #input })))
    }

    /// `join!`/`try_join!` in an async body: each future is polled through `branch`, and the
    /// body runs again (`reenter`) once the macro is done.
    fn rewrite_join(&mut self, m: &Macro) -> Option<Expr> {
        let current = if self.depth == 0 {
            self.resume.clone()?
        } else {
            return None;
        };
        let mut args = Punctuated::<Expr, Token![,]>::parse_terminated
            .parse2(m.tokens.clone())
            .ok()?;
        for arg in args.iter_mut() {
            if is_source(arg) {
                let span = arg.span();
                *arg = syn::parse_quote_spanned!(span=> async { #arg.await });
            }
            self.visit_expr_mut(arg);
            let inner = &*arg;
            *arg = syn::parse_quote!((#current).branch(#inner));
        }
        self.edits += 1;
        let path = &m.path;
        let bang = m.bang_token;
        Some(Expr::Verbatim(quote! {
            {
                let __reqleak_joined = #path #bang (#args);
                (#current).reenter();
                __reqleak_joined
            }
        }))
    }
}

//! Instrumenting the sources of a function body.
//!
//! A *source* is a zero-argument `.send()`, a one-argument `.execute(..)`, or a call of
//! `reqwest::get`/`reqwest::blocking::get`/`get`, with or without `.await`. Each one is wrapped in
//! `__reqleak_instrument`, which instruments responses and is the identity for anything else.
//! `std::mem::forget(x)` marks `x` as forgotten first.
//!
//! The scope a source is attributed to: inside the body and `move` closures/async blocks (which
//! may run in a spawned task on another thread) it is the captured `__reqleak_id`, a `u64`; inside
//! a non-`move` closure/async block (which must not gain a borrow of a local) it is the thread's
//! current scope, and a `move` block created there takes a fresh `__reqleak_id` from it.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprCall, Item, Macro, Token};

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
        }
    }

    fn scope_expr(&mut self) -> TokenStream {
        if self.in_move {
            self.needs_id = true;
            quote!(__reqleak_id)
        } else {
            quote!(::reqleak::__private::current_scope())
        }
    }

    fn instrument(&mut self, e: &mut Expr, span: Span) {
        self.sites += 1;
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
        let inner = &*e;
        *e = Expr::Verbatim(quote! {
            {
                #[allow(unused_imports)]
                use ::reqleak::__private::{ViaFallback as _, ViaTrackable as _};
                #site
                (&::reqleak::__private::Probe::new(#inner))
                    .__reqleak_instrument(#scope, &__REQLEAK_SITE)
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
            Expr::Await(a) if is_source(&a.base) => {
                let span = a.base.span();
                visit_mut::visit_expr_mut(self, &mut a.base);
                self.instrument(e, span);
            }
            Expr::MethodCall(_) | Expr::Call(_) if is_source(e) => {
                let span = e.span();
                visit_mut::visit_expr_mut(self, e);
                self.instrument(e, span);
            }
            Expr::Call(c) if is_mem_forget(c) => {
                visit_mut::visit_expr_mut(self, e);
                let Expr::Call(c) = &*e else { unreachable!() };
                let func = &c.func;
                let arg = &c.args[0];
                // One expression (no `let`): the argument's temporaries live as long as before.
                *e = Expr::Verbatim(quote! {
                    {
                        #[allow(unused_imports)]
                        use ::reqleak::__private::{ViaFallback as _, ViaTrackable as _};
                        #func((&::reqleak::__private::Probe::new(#arg)).__reqleak_forgotten())
                    }
                });
            }
            Expr::Return(_) if self.depth == 0 && self.hand_returns.is_some() => {
                visit_mut::visit_expr_mut(self, e);
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

    /// Macro arguments that parse as comma-separated expressions (`vec!`, `join!`, `println!`..)
    /// are instrumented too; other macros are left alone, and so are the arguments a macro
    /// prints as written (`dbg!`, `stringify!`, the condition of `assert!`), whose text would
    /// change. In `join!`/`try_join!`, a bare `.send()` (a future the macro awaits) becomes
    /// `async { ..send().await }`, which is instrumented; its output is the same.
    fn visit_macro_mut(&mut self, m: &mut Macro) {
        let name = m
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let skip_first = match name.as_str() {
            "dbg" | "stringify" | "concat" | "include" | "include_str" | "include_bytes" => return,
            "assert" | "debug_assert" => 1,
            _ => 0,
        };
        let awaits_args = matches!(name.as_str(), "join" | "try_join");
        let Ok(mut args) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(m.tokens.clone())
        else {
            return;
        };
        let before = self.sites;
        for arg in args.iter_mut().skip(skip_first) {
            if awaits_args && is_source(arg) {
                let span = arg.span();
                *arg = syn::parse_quote_spanned!(span=> async { #arg.await });
            }
            self.visit_expr_mut(arg);
        }
        if self.sites != before {
            m.tokens = args.into_token_stream();
        }
    }
}

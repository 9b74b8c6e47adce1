//! Expanding `#[reqleak::check]`.
//!
//! **Active or not.** A proc macro cannot see the `debug_assertions` of the crate it expands in,
//! so without the `always` feature the output is two copies of the item:
//! `#[cfg(debug_assertions)]` on the instrumented one and `#[cfg(not(debug_assertions))]` on the
//! original, token for token. A build without `debug_assertions` compiles the untouched item
//! (zero cost); with `always` only the instrumented copy is emitted.
//!
//! **Where it goes.** On a function, the function is a *check*. On an `impl` block, a trait or an
//! inline `mod` (recursively), every function with a body is instrumented: test functions
//! (`#[test]`, `#[tokio::test]`, `#[x::test]`, ..) become checks, every other one is *tracked*:
//! its responses belong to the check running when they are created (the test that called it).
//!
//! **Test attributes.** A check must wrap the whole test, runtime included, so that above and
//! below `#[tokio::test]` (or any `#[x::test]`) mean the same: placed above one, the attribute
//! re-emits itself just below it and expands on what that attribute produces. The check then
//! runs after the test's runtime has shut down.
//!
//! **The body stays the function's own** (no closure, no inner async block), so nothing it can
//! observe changes: nested items' paths, `module_path!`, frame names in backtraces,
//! `#[track_caller]` locations, the expected type of the tail. A check adds statements before it:
//! ```text
//! static __REQLEAK_FN: FnMeta = ..;
//! let __reqleak_scope = ScopeGuard::enter(&__REQLEAK_FN);   // current scope while it runs
//! let __reqleak_id = __reqleak_scope.id();
//! let __reqleak_current = __reqleak_scope.current();          // async: for `resume`
//! let x = x;                                                  // by-value parameters
//! <statements, the tail as `{ let r: Ret = tail; __reqleak_scope.hand(<r's response>); r }`>
//! ```
//! Every exit (the end, `return`, `?`, a panic, a cancellation) drops the guard, which checks:
//! a return is checked (the handed response moves to the caller), a panic prints the report, and
//! an async function dropped while suspended at an `.await` (cancelled) reports nothing. An
//! async body keeps its scope current by polling what it awaits through `resume` (see `rewrite`).
//! By-value parameters are rebound first so that, as locals, they are dropped before the guard.
//! A tracked function only binds `__reqleak_id` (sync: the thread's current scope; async: a
//! `Current` that inherits it and keeps it current while the body runs).

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{
    Attribute, Block, FnArg, ImplItem, Item, ItemFn, Pat, ReturnType, Signature, Stmt, TraitItem,
    Type, Visibility,
};

use crate::args::{self, Args, Mode};
use crate::rewrite::Rewriter;

/// The whole expansion. `always`: emit the instrumented item only.
pub fn expand(attr: TokenStream, item: TokenStream, always: bool) -> TokenStream {
    let args: Args = match args::parse(attr.clone()) {
        Ok(a) => a,
        Err(e) => return with_error(item, e),
    };
    let parsed: Item = match syn::parse2(item.clone()) {
        Ok(i) => i,
        Err(e) => return with_error(item, e),
    };
    let instrumented = match parsed {
        Item::Fn(func) => {
            if let Some(c) = &func.sig.constness {
                return with_error(
                    item,
                    syn::Error::new(
                        c.span,
                        "`#[reqleak::check]` cannot check a `const fn`: it makes no requests at run time",
                    ),
                );
            }
            // Above a test attribute that builds a runtime: move below it (see module docs).
            if let Some(moved) = below_test_attribute(&func, &attr) {
                return moved;
            }
            check_fn(func.attrs, func.vis, func.sig, *func.block, &args)
        }
        Item::Impl(mut imp) => {
            for it in &mut imp.items {
                if let ImplItem::Fn(f) = it {
                    instrument_member(&mut f.attrs, &f.sig, &mut f.block, &attr);
                }
            }
            imp.into_token_stream()
        }
        Item::Trait(mut tr) => {
            for it in &mut tr.items {
                if let TraitItem::Fn(f) = it {
                    if let Some(block) = &mut f.default {
                        instrument_member(&mut f.attrs, &f.sig, block, &attr);
                    }
                }
            }
            tr.into_token_stream()
        }
        Item::Mod(mut m) => {
            let Some((_, items)) = &mut m.content else {
                return with_error(
                    item,
                    syn::Error::new(
                        m.mod_token.span,
                        "`#[reqleak::check]` can instrument an inline `mod { .. }` only: put it on the impl blocks and functions of a module in another file",
                    ),
                );
            };
            instrument_items(items, &attr);
            m.into_token_stream()
        }
        other => return with_error(item, not_a_function(&other)),
    };
    if always {
        instrumented
    } else {
        quote! {
            #[cfg(debug_assertions)]
            #instrumented
            #[cfg(not(debug_assertions))]
            #item
        }
    }
}

/// The items of an inline module, recursively.
fn instrument_items(items: &mut [Item], attr: &TokenStream) {
    for item in items {
        match item {
            Item::Fn(f) => instrument_member(&mut f.attrs, &f.sig, &mut f.block, attr),
            Item::Impl(imp) => {
                for it in &mut imp.items {
                    if let ImplItem::Fn(f) = it {
                        instrument_member(&mut f.attrs, &f.sig, &mut f.block, attr);
                    }
                }
            }
            Item::Trait(tr) => {
                for it in &mut tr.items {
                    if let TraitItem::Fn(f) = it {
                        if let Some(block) = &mut f.default {
                            instrument_member(&mut f.attrs, &f.sig, block, attr);
                        }
                    }
                }
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    instrument_items(items, attr);
                }
            }
            _ => {}
        }
    }
}

/// A function inside an `impl`/trait/`mod`: a test gets `#[::reqleak::check(..)]` (expanded on
/// its own, after its test attribute); one already carrying a check is left to it; any other is
/// tracked, in place (its signature stays).
fn instrument_member(
    attrs: &mut Vec<Attribute>,
    sig: &Signature,
    block: &mut Block,
    attr: &TokenStream,
) {
    if sig.constness.is_some() || attrs.iter().any(is_check_attribute) {
        return;
    }
    if attrs.iter().any(is_test_attribute) {
        attrs.push(syn::parse_quote!(#[::reqleak::check(#attr)]));
        return;
    }
    let mut rewriter = Rewriter::new(sig.ident.to_string());
    rewriter.resume = sig.asyncness.is_some().then(|| quote!(&__reqleak_current));
    rewriter.visit_block_mut(block);
    let stmts = std::mem::take(&mut block.stmts);
    let prelude: Block = if sig.asyncness.is_some() {
        syn::parse_quote! {{
            let __reqleak_current = ::reqleak::__private::Current::inherit();
            #[allow(unused_variables)]
            let __reqleak_id = __reqleak_current.id();
        }}
    } else {
        syn::parse_quote! {{
            #[allow(unused_variables)]
            let __reqleak_id = ::reqleak::__private::current_scope();
        }}
    };
    block.stmts = prelude.stmts;
    block.stmts.extend(stmts);
}

/// `#[check]` (however it was imported) or `#[reqleak::check]`.
fn is_check_attribute(a: &Attribute) -> bool {
    let segs: Vec<String> = a
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    matches!(segs.last().map(String::as_str), Some("check"))
        && (segs.len() == 1 || segs.iter().any(|s| s == "reqleak"))
}

/// A test function's attribute: `#[test]`, or `#[x::test]` (tokio, async-std, actix, test-log..).
fn is_test_attribute(a: &Attribute) -> bool {
    a.path().segments.last().is_some_and(|s| s.ident == "test")
}

/// A test attribute that is a macro building the test (`#[tokio::test]`, `#[async_std::test]`,
/// `#[test_log::test]`, any `#[x::test]`), as opposed to the built-in `#[test]`.
fn is_test_macro(a: &Attribute) -> bool {
    a.path().segments.len() >= 2 && is_test_attribute(a)
}

/// If test macros are below this attribute, re-emits the function with this attribute moved
/// just below the last of them, so that it expands on what they produce (the whole test).
fn below_test_attribute(func: &ItemFn, attr: &TokenStream) -> Option<TokenStream> {
    let last = func.attrs.iter().rposition(is_test_macro)?;
    let mut func = func.clone();
    func.attrs
        .insert(last + 1, syn::parse_quote!(#[::reqleak::check(#attr)]));
    Some(func.into_token_stream())
}

/// The original item (so that nothing else breaks) and the error.
fn with_error(item: TokenStream, e: syn::Error) -> TokenStream {
    let e = e.to_compile_error();
    quote!(#e #item)
}

/// A clear error for an item the attribute does not apply to, at its keyword.
fn not_a_function(parsed: &Item) -> syn::Error {
    let (span, what): (Span, &str) = match parsed {
        Item::Struct(i) => (i.struct_token.span, "a struct"),
        Item::Enum(i) => (i.enum_token.span, "an enum"),
        Item::Union(i) => (i.union_token.span, "a union"),
        Item::Static(i) => (i.static_token.span, "a static"),
        Item::Const(i) => (i.const_token.span, "a const"),
        Item::Type(i) => (i.type_token.span, "a type alias"),
        Item::Use(i) => (i.use_token.span, "a use declaration"),
        Item::ExternCrate(i) => (i.extern_token.span, "an extern crate"),
        Item::ForeignMod(i) => (i.abi.extern_token.span, "an extern block"),
        Item::Macro(i) => (i.mac.path.span(), "a macro invocation"),
        other => (other.span(), "this item"),
    };
    syn::Error::new(
        span,
        format!(
            "`#[reqleak::check]` applies to functions, `impl` blocks, traits and inline modules, not to {what}"
        ),
    )
}

/// Replaces `impl Trait` by `_` (a `let` type cannot name it); `.0`: one was found.
struct EraseImplTrait(bool);
impl VisitMut for EraseImplTrait {
    fn visit_type_mut(&mut self, t: &mut Type) {
        if let Type::ImplTrait(it) = t {
            self.0 = true;
            *t = Type::Infer(syn::TypeInfer {
                underscore_token: syn::Token![_](it.impl_token.span),
            });
            return;
        }
        syn::visit_mut::visit_type_mut(self, t);
    }
}

/// Moves the outer attributes of an expression out (a `let` initializer cannot carry them).
fn take_attrs(e: &mut syn::Expr) -> Vec<Attribute> {
    use syn::Expr as E;
    let attrs = match e {
        E::Block(x) => &mut x.attrs,
        E::Unsafe(x) => &mut x.attrs,
        E::Loop(x) => &mut x.attrs,
        E::Match(x) => &mut x.attrs,
        E::If(x) => &mut x.attrs,
        E::Macro(x) => &mut x.attrs,
        E::Call(x) => &mut x.attrs,
        E::MethodCall(x) => &mut x.attrs,
        E::Path(x) => &mut x.attrs,
        E::Await(x) => &mut x.attrs,
        E::Try(x) => &mut x.attrs,
        E::Paren(x) => &mut x.attrs,
        _ => return Vec::new(),
    };
    std::mem::take(attrs)
}

/// By-value parameters bound to a plain name (not references, not `self`): rebound as the first
/// locals so that they are dropped before the guard, as the body's own locals are. Their `mut`
/// moves to the rebinding.
fn rebind_params(sig: &mut Signature) -> TokenStream {
    let mut out = TokenStream::new();
    for arg in &mut sig.inputs {
        let FnArg::Typed(pt) = arg else { continue };
        if matches!(*pt.ty, Type::Reference(_)) {
            continue;
        }
        let Pat::Ident(pi) = &mut *pt.pat else {
            continue;
        };
        if pi.by_ref.is_some() || pi.subpat.is_some() || pi.ident == "self" {
            continue;
        }
        let mutability = pi.mutability.take();
        let ident = &pi.ident;
        out.extend(quote! {
            #[allow(clippy::redundant_locals)]
            let #mutability #ident = #ident;
        });
    }
    out
}

/// A checked function (see the module docs).
fn check_fn(
    attrs: Vec<Attribute>,
    vis: Visibility,
    mut sig: Signature,
    mut block: Block,
    args: &Args,
) -> TokenStream {
    let (inner_attrs, outer_attrs): (Vec<Attribute>, Vec<Attribute>) = attrs
        .into_iter()
        .partition(|a| matches!(a.style, syn::AttrStyle::Inner(_)));
    let name = sig.ident.to_string();
    let is_async = sig.asyncness.is_some();
    let ret_ty: Option<TokenStream> = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => {
            let mut erased = (**ty).clone();
            let mut eraser = EraseImplTrait(false);
            eraser.visit_type_mut(&mut erased);
            let opaque = eraser.0 || matches!(**ty, Type::Never(_));
            (!opaque).then(|| ty.to_token_stream())
        }
    };
    let unit = matches!(sig.output, ReturnType::Default);

    let mut rewriter = Rewriter::new(name.clone());
    rewriter.resume = is_async.then(|| quote!(__reqleak_current));
    rewriter.hand_returns = ret_ty.clone();
    rewriter.visit_block_mut(&mut block);

    // The tail: typed (it keeps its expected type), its response handed to the caller, and its
    // temporaries dropped before the guard checks.
    let mut stmts = block.stmts;
    if let Some(Stmt::Expr(tail, None)) = stmts.last() {
        let keep = ret_ty.is_none()
            && !unit
            && matches!(tail, syn::Expr::Closure(_) | syn::Expr::Async(_));
        if !keep {
            let mut tail = tail.clone();
            stmts.pop();
            let attrs = take_attrs(&mut tail);
            let span = tail.span();
            let ty = ret_ty.as_ref().map(|t| quote!(: #t));
            let hand = if ret_ty.is_some() {
                quote! {
                    #[allow(unknown_lints, unreachable_code)]
                    {
                        #[allow(unused_imports)]
                        use ::reqleak::__private::{PeekFallback as _, PeekTrackable as _};
                        __reqleak_scope.hand(
                            (&::reqleak::__private::Peek(&__reqleak_ret)).__reqleak_handed(),
                        );
                    }
                }
            } else {
                quote! {
                    #[allow(unknown_lints, unreachable_code, clippy::redundant_locals)]
                    let __reqleak_ret = __reqleak_ret;
                }
            };
            let wrapped: Block = syn::parse_quote_spanned! {span=> {
                #(#attrs)*
                #[allow(unknown_lints, unreachable_code, clippy::let_unit_value, clippy::let_and_return)]
                let __reqleak_ret #ty = #tail;
                #hand
                __reqleak_ret
            }};
            stmts.extend(wrapped.stmts);
        }
    }
    let rebinds = rebind_params(&mut sig);
    let strict = args.strict;
    let max_body = args.max_body;
    let pool = args.pool;
    let mode = match args.mode {
        Mode::Panic => quote!(Panic),
        Mode::Log => quote!(Log),
    };
    let current = if is_async {
        quote! {
            let __reqleak_current = __reqleak_scope.current();
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #(#outer_attrs)*
        #vis #sig {
            #(#inner_attrs)*
            static __REQLEAK_FN: ::reqleak::__private::FnMeta = ::reqleak::__private::FnMeta {
                name: ::core::concat!(::core::module_path!(), "::", #name),
                strict: #strict,
                mode: ::reqleak::__private::Mode::#mode,
                max_body: #max_body,
                pool: #pool,
            };
            let __reqleak_scope = ::reqleak::__private::ScopeGuard::enter(&__REQLEAK_FN);
            #[allow(unused_variables)]
            let __reqleak_id = __reqleak_scope.id();
            #current
            #rebinds
            #(#stmts)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEM: &str = r#"
        /// Docs stay.
        #[test]
        async fn fetch(client: &reqwest::Client) -> Result<(), reqwest::Error> {
            let resp = client.get("http://127.0.0.1:1/").send().await?;
            tx.send(1).await.unwrap();
            resp.bytes().await?;
            Ok(())
        }
    "#;

    /// Zero cost when inactive: the copy compiled without `debug_assertions` is the input,
    /// token for token, and the instrumented copy is compiled only with `debug_assertions`.
    #[test]
    fn inactive_copy_is_the_function_unchanged() {
        let item: TokenStream = ITEM.parse().unwrap();
        let out: Vec<proc_macro2::TokenTree> = expand(quote!(strict), item.clone(), false)
            .into_iter()
            .collect();
        let cfg_at = |i: usize| -> String {
            TokenStream::from_iter(out[i..i + 2].iter().cloned()).to_string()
        };
        assert_eq!(cfg_at(0), "# [cfg (debug_assertions)]");
        let inactive_at = (2..out.len() - 1)
            .find(|&i| cfg_at(i) == "# [cfg (not (debug_assertions))]")
            .expect("the inactive copy");
        let inactive = TokenStream::from_iter(out[inactive_at + 2..].iter().cloned());
        assert_eq!(
            inactive.to_string(),
            item.to_string(),
            "the inactive copy must be the function unchanged"
        );
        let active = TokenStream::from_iter(out[2..inactive_at].iter().cloned()).to_string();
        assert!(active.contains("__reqleak_instrument"), "{active}");
        assert!(active.contains("ScopeGuard :: enter"), "{active}");
        // Both copies are one function each.
        let active_fn: ItemFn = syn::parse_str(&active).unwrap();
        assert_eq!(active_fn.sig.ident, "fetch");
    }

    #[test]
    fn always_emits_only_the_instrumented_function() {
        let out = expand(quote!(), ITEM.parse().unwrap(), true).to_string();
        assert!(!out.contains("debug_assertions"), "{out}");
        assert_eq!(out.matches("async fn fetch").count(), 1, "{out}");
        // The source is instrumented, the channel send (one argument) is not.
        assert_eq!(out.matches("__reqleak_instrument").count(), 1, "{out}");
    }

    /// Above a test macro, the attribute moves just below it (and expands on its output).
    #[test]
    fn moves_below_test_macros() {
        let item = quote! {
            #[tokio::test(flavor = "multi_thread")]
            #[should_panic]
            async fn t() {}
        };
        let out = expand(quote!(strict), item, false).to_string();
        assert_eq!(
            out,
            quote! {
                #[tokio::test(flavor = "multi_thread")]
                #[::reqleak::check(strict)]
                #[should_panic]
                async fn t() {}
            }
            .to_string()
        );
    }

    /// Zero cost when inactive, for an `impl` block and a `mod` too: the copy compiled without
    /// `debug_assertions` is the item as written.
    #[test]
    fn inactive_copy_of_an_impl_or_mod_is_unchanged() {
        for item in [
            quote! { impl Sdk { async fn get(&self) { self.c.get("u").send().await.unwrap(); } } },
            quote! { mod m { pub fn get(c: &C) { let _ = c.get("u").send(); } } },
        ] {
            let out = expand(quote!(), item.clone(), false).to_string();
            let inactive = format!("# [cfg (not (debug_assertions))] {item}");
            assert!(out.ends_with(&inactive), "{out}");
            assert!(out.starts_with("# [cfg (debug_assertions)]"), "{out}");
            assert_eq!(out.matches("__reqleak_instrument").count(), 1, "{out}");
        }
    }

    /// On an impl block: tests become checks (expanded later), the rest is tracked in place.
    #[test]
    fn impl_blocks_track_their_functions() {
        let item = quote! {
            impl Sdk {
                async fn get(&self) -> reqwest::Result<()> { self.c.get("u").send().await?; Ok(()) }
                fn put(&self) { let _ = self.c.put("u").send(); }
                #[test]
                fn t() {}
                const fn k() -> u8 { 1 }
            }
        };
        let out = expand(quote!(), item, true).to_string();
        assert!(out.contains("Current :: inherit ()"), "{out}");
        assert!(out.contains("__private :: current_scope ()"), "{out}");
        assert!(
            out.contains("# [test] # [:: reqleak :: check ()] fn t"),
            "{out}"
        );
        assert!(out.contains("const fn k () -> u8 { 1 }"), "{out}");
        assert_eq!(out.matches("__reqleak_instrument").count(), 2, "{out}");
    }

    #[test]
    fn errors_keep_the_item() {
        let out = expand(quote!(bogus), ITEM.parse().unwrap(), false).to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("async fn fetch"), "{out}");
        let out = expand(
            quote!(),
            quote!(
                struct S;
            ),
            false,
        )
        .to_string();
        assert!(
            out.contains(
                "applies to functions, `impl` blocks, traits and inline modules, not to a struct"
            ),
            "{out}"
        );
    }
}

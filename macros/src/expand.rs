//! Expanding `#[reqleak::check]`.
//!
//! **Active or not.** A proc macro cannot see the `debug_assertions` of the crate it expands in,
//! so without the `always` feature the output is two copies of the function:
//! `#[cfg(debug_assertions)]` on the instrumented one and `#[cfg(not(debug_assertions))]` on the
//! original, token for token. A build without `debug_assertions` compiles the untouched function
//! (zero cost); with `always` only the instrumented copy is emitted.
//!
//! **Instrumented copy.** The body moves, untouched apart from its sources (see `rewrite`), into
//! an inner `async move` block (async fn) or `move` closure (sync fn), like tracing-attributes
//! does, so that `return` and `?` leave the inner part and the function can look at the value
//! before handing it on:
//! ```text
//! let __reqleak_scope = ScopeGuard::enter_async(&__REQLEAK_FN);   // or enter_sync
//! let __reqleak_id = __reqleak_scope.id();
//! let __reqleak_out = scoped(__reqleak_id, async move { <fake return> <body> }).await;
//! __reqleak_scope.finish(<id of the response in __reqleak_out, if it is one>);
//! __reqleak_out
//! ```
//! The "fake return" (`if false { let x: <return type> = loop {}; return x; }`) gives the inner
//! block the function's return type for `?` inference. If the body panics, the guard's `Drop`
//! prints the report without panicking again; if the future is dropped (cancelled) it reports
//! nothing.
//!
//! **Inline sync bodies.** A closure would change three kinds of sync functions, so their body
//! stays the function's own: `#[track_caller]` (the body must see its caller's location),
//! `-> !` (no `let` can have that type) and `-> impl Trait` (the body keeps its expected type, so
//! that `|s| s` can be an `impl Fn(&str) -> &str`). The guard's `Drop` closes the scope on early
//! exits; `return e` hands `e` to it first (`Rewriter::hand_returns`). `-> !`/`-> impl Trait`
//! values are never responses, so their body is simply the tail.
//!
//! **Inline async bodies.** An `async fn` returning `impl Fn*` runs inline too: its closure's
//! parameter types come only from the declared return type, which an inner async block cannot
//! carry. The guard is told `returning()` before the last statement, so that a drop from then
//! on is the return (checked) and one before it a cancellation (not reported).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Item, ItemFn, ReturnType, Type};

use crate::args::{self, Mode};
use crate::rewrite::Rewriter;

/// The whole expansion. `always`: emit the instrumented function only.
pub fn expand(attr: TokenStream, item: TokenStream, always: bool) -> TokenStream {
    let args = match args::parse(attr) {
        Ok(a) => a,
        Err(e) => return with_error(item, e),
    };
    let func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => return with_error(item.clone(), not_a_function(&item).unwrap_or(e)),
    };
    if let Some(c) = &func.sig.constness {
        return with_error(
            item,
            syn::Error::new(
                c.span,
                "`#[reqleak::check]` cannot check a `const fn`: it makes no requests at run time",
            ),
        );
    }
    let instrumented = instrument(func, &args);
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

/// The original item (so that nothing else breaks) and the error.
fn with_error(item: TokenStream, e: syn::Error) -> TokenStream {
    let e = e.to_compile_error();
    quote!(#e #item)
}

/// A clear error for an item that is not a function, at its keyword.
fn not_a_function(item: &TokenStream) -> Option<syn::Error> {
    let parsed: Item = syn::parse2(item.clone()).ok()?;
    let (span, what): (Span, &str) = match &parsed {
        Item::Struct(i) => (i.struct_token.span, "a struct"),
        Item::Enum(i) => (i.enum_token.span, "an enum"),
        Item::Union(i) => (i.union_token.span, "a union"),
        Item::Trait(i) => (i.trait_token.span, "a trait"),
        Item::Impl(i) => (i.impl_token.span, "an impl block"),
        Item::Mod(i) => (i.mod_token.span, "a module"),
        Item::Static(i) => (i.static_token.span, "a static"),
        Item::Const(i) => (i.const_token.span, "a const"),
        Item::Type(i) => (i.type_token.span, "a type alias"),
        Item::Use(i) => (i.use_token.span, "a use declaration"),
        Item::ExternCrate(i) => (i.extern_token.span, "an extern crate"),
        Item::ForeignMod(i) => (i.abi.extern_token.span, "an extern block"),
        Item::Macro(i) => (i.mac.path.span(), "a macro invocation"),
        _ => return None,
    };
    Some(syn::Error::new(
        span,
        format!("`#[reqleak::check]` applies to functions and methods with a body, not to {what}"),
    ))
}

/// Whether a return type is or contains `impl Fn(..)`/`impl FnMut(..)`/`impl FnOnce(..)`.
fn returns_impl_fn(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, it: &'ast syn::TypeImplTrait) {
            self.0 |= it.bounds.iter().any(|bound| {
                matches!(bound, syn::TypeParamBound::Trait(t)
                if t.path.segments.last().is_some_and(|s| {
                    s.ident == "Fn" || s.ident == "FnMut" || s.ident == "FnOnce"
                }))
            });
            syn::visit::visit_type_impl_trait(self, it);
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
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

fn instrument(func: ItemFn, args: &args::Args) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        sig,
        mut block,
    } = func;
    let name = sig.ident.to_string();
    let never = matches!(&sig.output, ReturnType::Type(_, t) if matches!(**t, Type::Never(_)));
    let opaque = match &sig.output {
        ReturnType::Default => false,
        ReturnType::Type(_, ty) => {
            let mut erased = (**ty).clone();
            let mut eraser = EraseImplTrait(false);
            eraser.visit_type_mut(&mut erased);
            eraser.0
        }
    };
    // `async fn f() -> impl Fn(&str) -> &str { |s| s.trim() }`: the closure's parameter types
    // come only from the declared return type, which an inner async block cannot carry.
    let returns_closure = sig.asyncness.is_some()
        && match &sig.output {
            ReturnType::Default => false,
            ReturnType::Type(_, ty) => returns_impl_fn(ty),
        };
    let track_caller = attrs.iter().any(|a| a.path().is_ident("track_caller"));
    // See the module docs: sync bodies that a closure would change run inline.
    let inline = sig.asyncness.is_none() && (never || opaque || track_caller);

    let (ret_ty, ret_span) = match &sig.output {
        ReturnType::Default => (quote!(()), sig.ident.span()),
        ReturnType::Type(_, ty) => {
            let mut ty = (**ty).clone();
            EraseImplTrait(false).visit_type_mut(&mut ty);
            (ty.to_token_stream(), ty.span())
        }
    };
    let mut rewriter = Rewriter::new(name.clone());
    if inline && !never && !opaque {
        rewriter.hand_returns = Some(ret_ty.clone());
    }
    rewriter.visit_block_mut(&mut block);

    let fake_return = quote_spanned! {ret_span=>
        #[allow(
            unknown_lints,
            unreachable_code,
            clippy::diverging_sub_expression,
            clippy::empty_loop,
            clippy::let_unit_value,
            clippy::let_with_type_underscore,
            clippy::needless_return,
            clippy::unreachable
        )]
        if false {
            let __reqleak_fake_return: #ret_ty = loop {};
            return __reqleak_fake_return;
        }
    };
    let strict = args.strict;
    let mode = match args.mode {
        Mode::Panic => quote!(Panic),
        Mode::Log => quote!(Log),
    };
    let meta = quote! {
        static __REQLEAK_FN: ::reqleak::__private::FnMeta = ::reqleak::__private::FnMeta {
            name: ::core::concat!(::core::module_path!(), "::", #name),
            strict: #strict,
            mode: ::reqleak::__private::Mode::#mode,
        };
    };
    let enter_sync = quote! {
        let __reqleak_scope = ::reqleak::__private::ScopeGuard::enter_sync(&__REQLEAK_FN);
        let __reqleak_id = __reqleak_scope.id();
    };
    if returns_closure {
        // The body stays the function's own, so the closure keeps its expected type; the
        // guard's drop after the last statement is the return (before it, a cancellation).
        let mut stmts = block.stmts;
        let last = stmts.pop();
        return quote! {
            #(#attrs)*
            #vis #sig {
                #meta
                let __reqleak_scope = ::reqleak::__private::ScopeGuard::enter_async(&__REQLEAK_FN);
                #[allow(unused_variables)]
                let __reqleak_id = __reqleak_scope.id();
                #(#stmts)*
                __reqleak_scope.returning();
                #last
            }
        };
    }
    if inline && (never || opaque) {
        // The body is the function's tail: it keeps the expected type (`-> !`, a closure
        // returned as `impl Fn(&str) -> &str`). Such a value is never a response: the guard's
        // drop closes the scope, handing nothing.
        return quote! {
            #(#attrs)*
            #vis #sig {
                #meta
                #enter_sync
                #block
            }
        };
    }
    if inline {
        // `#[track_caller]`: a closure would hide the caller's location from the body. Early
        // `return`s hand their value to the guard (see `Rewriter::hand_returns`); `?` exits
        // hand nothing, and the guard's drop closes the scope.
        return quote! {
            #(#attrs)*
            #vis #sig {
                #meta
                #enter_sync
                #[allow(unknown_lints, clippy::let_unit_value)]
                let __reqleak_out: #ret_ty = #block;
                {
                    #[allow(unused_imports)]
                    use ::reqleak::__private::{PeekFallback as _, PeekTrackable as _};
                    __reqleak_scope.finish(
                        (&::reqleak::__private::Peek(&__reqleak_out)).__reqleak_handed(),
                    );
                }
                __reqleak_out
            }
        };
    }
    let run = if sig.asyncness.is_some() {
        quote! {
            let __reqleak_scope = ::reqleak::__private::ScopeGuard::enter_async(&__REQLEAK_FN);
            let __reqleak_id = __reqleak_scope.id();
            // The body's own value may be a future (`-> JoinHandle<_>`): that is the function's.
            #[allow(clippy::async_yields_async)]
            let __reqleak_body = async move {
                #fake_return
                #block
            };
            let __reqleak_out = ::reqleak::__private::scoped(__reqleak_id, __reqleak_body).await;
        }
    } else {
        quote! {
            let __reqleak_scope = ::reqleak::__private::ScopeGuard::enter_sync(&__REQLEAK_FN);
            let __reqleak_id = __reqleak_scope.id();
            let __reqleak_once = ::reqleak::__private::Once;
            let __reqleak_out = ::reqleak::__private::run(move || {
                let _reqleak_once = __reqleak_once;
                #fake_return
                #block
            });
        }
    };
    quote! {
        #(#attrs)*
        #vis #sig {
            #meta
            #run
            {
                #[allow(unused_imports)]
                use ::reqleak::__private::{PeekFallback as _, PeekTrackable as _};
                __reqleak_scope.finish(
                    (&::reqleak::__private::Peek(&__reqleak_out)).__reqleak_handed(),
                );
            }
            __reqleak_out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEM: &str = r#"
        /// Docs stay.
        #[tokio::test]
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
        assert!(active.contains("enter_async"), "{active}");
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
            out.contains("applies to functions and methods with a body, not to a struct"),
            "{out}"
        );
    }
}

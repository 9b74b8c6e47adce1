//! `response_in_static`: a static holds a response, pinning its connection for the life of the process

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `response_in_static`.
pub static LINT: Lint = Lint {
    name: "response_in_static",
    default_level: Level::Warn,
    group: Group::Suspicious,
    reporter: Reporter::Analyzer,
    summary: "a static holds a response (or a collection of them), pinning its connection for the life of the process",
    help: "store the body (or the data you need from it), not the response",
    explanation: include_str!("response_in_static.md"),
};

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::diagnostic::Diagnostic;
use crate::model::context::FileContext;

/// Flags statics (also inside `thread_local!` and `lazy_static!`) whose type holds a response.
pub(crate) fn check(cx: &FileContext<'_>, file: &syn::File, out: &mut Vec<Diagnostic>) {
    let mut visitor = StaticVisitor { cx, out };
    visitor.visit_file(file);
}

struct StaticVisitor<'a, 'f> {
    cx: &'a FileContext<'f>,
    out: &'a mut Vec<Diagnostic>,
}

impl StaticVisitor<'_, '_> {
    fn report(&mut self, first: proc_macro2::Span, last: proc_macro2::Span) {
        let span = self.cx.map.span_between(first, last);
        self.out.push(
            Diagnostic::new(
                &LINT,
                span,
                "this static holds a response, pinning its connection for the life of the process",
            )
            .with_primary_label("the response stored here is never released"),
        );
    }

    /// `static NAME: TYPE = ..` (and `static ref` of lazy_static) inside macro tokens.
    fn scan_macro_statics(&mut self, tokens: &TokenStream) {
        let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let mut at = 0;
        while at < tokens.len() {
            let TokenTree::Ident(ident) = &tokens[at] else {
                if let TokenTree::Group(group) = &tokens[at] {
                    self.scan_macro_statics(&group.stream());
                }
                at += 1;
                continue;
            };
            if ident != "static" {
                at += 1;
                continue;
            }
            let static_span = ident.span();
            let Some(colon) = tokens[at..]
                .iter()
                .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
            else {
                break;
            };
            let type_start = at + colon + 1;
            let mut depth = 0i32;
            let mut type_end = type_start;
            while type_end < tokens.len() {
                if let TokenTree::Punct(punct) = &tokens[type_end] {
                    match punct.as_char() {
                        '<' => depth += 1,
                        '>' => depth -= 1,
                        '=' | ';' if depth <= 0 => break,
                        _ => {}
                    }
                }
                type_end += 1;
            }
            let type_tokens: TokenStream = tokens[type_start..type_end].iter().cloned().collect();
            if let Ok(ty) = syn::parse2::<syn::Type>(type_tokens) {
                if self.cx.names.static_holds_responses(&ty) {
                    self.report(static_span, ty.span());
                }
            }
            at = type_end;
        }
    }
}

impl<'ast> Visit<'ast> for StaticVisitor<'_, '_> {
    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        if self.cx.names.static_holds_responses(&item.ty) {
            let first = match &item.vis {
                syn::Visibility::Inherited => item.static_token.span,
                vis => vis.span(),
            };
            self.report(first, item.semi_token.span);
        }
        syn::visit::visit_item_static(self, item);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let is_static_macro = mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "thread_local" || s.ident == "lazy_static");
        if is_static_macro {
            self.scan_macro_statics(&mac.tokens);
        }
    }
}

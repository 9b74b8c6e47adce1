//! Which local names an expression or a macro's tokens mention.

use rustc_hash::FxHashSet as HashSet;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

use crate::model::syntax::unraw;

/// Every single-segment path (a local name) in `expr`, including inside closures and macro
/// tokens.
pub fn in_expr(expr: &syn::Expr) -> HashSet<String> {
    let mut collector = Collector::default();
    collector.visit_expr(expr);
    collector.names
}

/// Every local name a block mentions (see [`in_expr`]).
pub fn in_block(block: &syn::Block) -> HashSet<String> {
    let mut collector = Collector::default();
    collector.visit_block(block);
    collector.names
}

/// Every identifier in a token stream (macro arguments are not parsed).
pub fn in_tokens(tokens: &TokenStream) -> HashSet<String> {
    let mut names = HashSet::default();
    collect_tokens(tokens.clone(), &mut names);
    names
}

fn collect_tokens(tokens: TokenStream, names: &mut HashSet<String>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                names.insert(unraw(&ident.to_string()));
            }
            TokenTree::Group(group) => collect_tokens(group.stream(), names),
            _ => {}
        }
    }
}

#[derive(Default)]
struct Collector {
    names: HashSet<String>,
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        if let Some(name) = crate::model::syntax::local_name(path) {
            self.names.insert(name);
        }
        syn::visit::visit_expr_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        collect_tokens(mac.tokens.clone(), &mut self.names);
    }

    fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
        // `Struct { resp }` is shorthand for `Struct { resp: resp }`.
        if field.colon_token.is_none() {
            if let syn::Member::Named(ident) = &field.member {
                self.names.insert(unraw(&ident.to_string()));
            }
        }
        syn::visit::visit_field_value(self, field);
    }
}

/// Whether `expr` calls a method called `name` anywhere (`resp.content_length()`).
pub fn calls_method(expr: &syn::Expr, name: &str) -> bool {
    struct Finder<'n> {
        name: &'n str,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            self.found |= call.method == self.name;
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut finder = Finder { name, found: false };
    finder.visit_expr(expr);
    finder.found
}

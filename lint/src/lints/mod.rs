//! The lint catalogue: one module a lint, each with its documentation and its check.

pub mod await_holding_response;
pub mod client_per_request;
pub mod collected_responses;
pub mod leaked_response;
pub mod response_field;
pub mod response_in_static;
pub mod response_unread_on_early_exit;
pub mod unbounded_body_read;
pub mod unconsumed_response;

use crate::lint::Lint;

/// Every lint, in catalogue order (as lints.md lists them).
pub static LINTS: [&Lint; 9] = [
    &leaked_response::LINT,
    &unconsumed_response::LINT,
    &await_holding_response::LINT,
    &collected_responses::LINT,
    &client_per_request::LINT,
    &response_in_static::LINT,
    &response_unread_on_early_exit::LINT,
    &response_field::LINT,
    &unbounded_body_read::LINT,
];

use syn::visit::Visit;

use crate::diagnostic::Diagnostic;
use crate::flow::{self, FileContext};

/// Runs every lint over one parsed file.
pub(crate) fn check_file(cx: &FileContext<'_>, file: &syn::File, out: &mut Vec<Diagnostic>) {
    let mut functions = FunctionVisitor { cx, out };
    functions.visit_file(file);
    response_in_static::check(cx, file, out);
    response_field::check(cx, file, out);
    client_per_request::check(cx, file, out);
}

/// Runs the flow analysis on every function with a body (free, method, trait default, nested)
/// and the flow-based lints on its facts.
struct FunctionVisitor<'a, 'f> {
    cx: &'a FileContext<'f>,
    out: &'a mut Vec<Diagnostic>,
}

impl FunctionVisitor<'_, '_> {
    fn function(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let facts = flow::analyze_fn(self.cx, sig, block);
        leaked_response::check(&facts, self.out);
        unconsumed_response::check(&facts, self.out);
        await_holding_response::check(&facts, self.out);
        collected_responses::check(&facts, self.out);
        response_unread_on_early_exit::check(&facts, self.out);
        unbounded_body_read::check(&facts, self.out);
    }
}

impl<'ast> Visit<'ast> for FunctionVisitor<'_, '_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.function(&item.sig, &item.block);
        syn::visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.function(&item.sig, &item.block);
        syn::visit::visit_impl_item_fn(self, item);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            self.function(&item.sig, block);
        }
        syn::visit::visit_trait_item_fn(self, item);
    }
}

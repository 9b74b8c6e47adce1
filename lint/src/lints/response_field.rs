//! `response_field`: a struct or enum field holds a response, which pins a connection for the value's whole life

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `response_field`.
pub static LINT: Lint = Lint {
    name: "response_field",
    default_level: Level::Allow,
    group: Group::Pedantic,
    summary: "a struct or enum field holds a response, which pins a connection for the value's whole life",
    help: "store the body or the data you need (status, headers, bytes) instead of the response",
    explanation: include_str!("response_field.md"),
};

use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::diagnostic::Diagnostic;
use crate::flow::FileContext;

/// Flags struct and enum fields whose type holds a response.
pub(crate) fn check(cx: &FileContext<'_>, file: &syn::File, out: &mut Vec<Diagnostic>) {
    let mut visitor = FieldVisitor { cx, out };
    visitor.visit_file(file);
}

struct FieldVisitor<'a, 'f> {
    cx: &'a FileContext<'f>,
    out: &'a mut Vec<Diagnostic>,
}

impl<'ast> Visit<'ast> for FieldVisitor<'_, '_> {
    fn visit_field(&mut self, field: &'ast syn::Field) {
        if self.cx.names.holds_response(&field.ty) {
            let first = match (&field.vis, &field.ident) {
                (syn::Visibility::Inherited, Some(ident)) => ident.span(),
                (syn::Visibility::Inherited, None) => field.ty.span(),
                (vis, _) => vis.span(),
            };
            let span = self.cx.map.span_between(first, field.ty.span());
            self.out.push(
                Diagnostic::new(
                    &LINT,
                    span,
                    "this field holds a response, pinning its connection for the value's whole life",
                )
                .with_primary_label("a response stored here keeps its connection checked out"),
            );
        }
        syn::visit::visit_field(self, field);
    }
}

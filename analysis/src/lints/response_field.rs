//! `response_field`: a struct or enum field holds a response, which pins a connection for the value's whole life

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `response_field`.
pub static LINT: Lint = Lint {
    name: "response_field",
    default_level: Level::Allow,
    group: Group::Pedantic,
    reporter: Reporter::Analyzer,
    summary: "a struct or enum field holds a response, which pins a connection for the value's whole life",
    help: "store the body or the data you need (status, headers, bytes) instead of the response",
    explanation: include_str!("response_field.md"),
};

use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::diagnostic::Diagnostic;
use crate::model::context::FileContext;
use crate::model::crate_map::{Owner, Receiver};
use crate::model::syntax;

/// Flags struct and enum fields whose type holds a response, except in the crate's lazily read
/// wrappers (a type with a method taking `self` that reads or hands on the response) and in
/// error types (an error variant carries the response to the caller, who reads its body).
pub(crate) fn check(cx: &FileContext<'_>, file: &syn::File, out: &mut Vec<Diagnostic>) {
    let mut visitor = FieldVisitor { cx, out };
    visitor.visit_file(file);
}

struct FieldVisitor<'a, 'f> {
    cx: &'a FileContext<'f>,
    out: &'a mut Vec<Diagnostic>,
}

impl FieldVisitor<'_, '_> {
    fn field(&mut self, field: &syn::Field) {
        if !self.cx.names.holds_response(&field.ty) {
            return;
        }
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

    /// A type with a method that takes `self` and reads or hands on the response inside.
    fn is_lazy_wrapper(&self, name: &str) -> bool {
        let map = self.cx.crate_map;
        map.fns.iter().enumerate().any(|(id, def)| {
            matches!(&def.outline.owner, Owner::Impl { self_ty, .. } if self_ty == name)
                && def.outline.receiver == Some(Receiver::Value)
                && self.cx.summaries.get(id).is_some_and(|summary| {
                    let usage = summary.param(0);
                    usage.reads || usage.returns
                })
        })
    }

    /// An error type: named `..Error`, or implementing `std::error::Error`.
    fn is_error_type(&self, name: &str) -> bool {
        name.ends_with("Error") || self.cx.crate_map.implements(name, "Error")
    }
}

impl<'ast> Visit<'ast> for FieldVisitor<'_, '_> {
    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        let name = syntax::name(&item.ident);
        if !self.is_lazy_wrapper(&name) && !self.is_error_type(&name) {
            for field in &item.fields {
                self.field(field);
            }
        }
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        let name = syntax::name(&item.ident);
        if self.is_error_type(&name) {
            return;
        }
        for variant in &item.variants {
            for field in &variant.fields {
                self.field(field);
            }
        }
    }
}

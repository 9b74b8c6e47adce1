//! Spans of expressions without re-tokenizing them. syn's `Spanned::span` prints the whole
//! expression to tokens to find its ends, which turns a walk over a long method chain into
//! quadratic work; the ends of calls are known directly.

use proc_macro2::Span;
use syn::spanned::Spanned;

/// The span of the first token of `expr`.
pub fn first_span(expr: &syn::Expr) -> Span {
    match expr {
        syn::Expr::MethodCall(call) => first_span(&call.receiver),
        syn::Expr::Call(call) => first_span(&call.func),
        syn::Expr::Field(field) => first_span(&field.base),
        syn::Expr::Await(await_expr) => first_span(&await_expr.base),
        syn::Expr::Try(try_expr) => first_span(&try_expr.expr),
        syn::Expr::Index(index) => first_span(&index.expr),
        syn::Expr::Paren(paren) => paren.paren_token.span.open(),
        syn::Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => {
            match (&path.path.leading_colon, path.path.segments.first()) {
                (Some(colon), _) => colon.spans[0],
                (None, Some(segment)) => segment.ident.span(),
                (None, None) => expr.span(),
            }
        }
        other => other.span(),
    }
}

/// An identifier's name, without the `r#` of a raw identifier.
pub fn name(ident: &syn::Ident) -> String {
    unraw(&ident.to_string())
}

/// A name without the `r#` of a raw identifier.
pub fn unraw(name: &str) -> String {
    name.strip_prefix("r#").unwrap_or(name).to_owned()
}

/// A path's segments as names (`crate::a::f` is `["crate", "a", "f"]`).
pub fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| name(&s.ident)).collect()
}

/// The local name a path expression names: a single segment, no `<T>::`.
pub fn local_name(path: &syn::ExprPath) -> Option<String> {
    if path.qself.is_none() && path.path.segments.len() == 1 && path.path.leading_colon.is_none() {
        Some(name(&path.path.segments[0].ident))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_span_is_the_start_of_the_receiver_chain() {
        let expr: syn::Expr = syn::parse_str("\n  ::a::b(c)\n    .d(e)\n    .f()").unwrap();
        let first = first_span(&expr);
        assert_eq!((first.start().line, first.start().column), (2, 2));
        let expr: syn::Expr = syn::parse_str("(x).await?.y").unwrap();
        assert_eq!(first_span(&expr).start().column, 0);
    }
}

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

/// The name of a path's last segment: `Client` for `reqwest::Client`, `test` for
/// `#[tokio::test]`.
pub fn last_name(path: &syn::Path) -> Option<String> {
    path.segments.last().map(|segment| name(&segment.ident))
}

/// `ty` without the references and parentheses around it (`String` of `&(String)`).
pub fn strip_type_refs(ty: &syn::Type) -> &syn::Type {
    match ty {
        syn::Type::Reference(reference) => strip_type_refs(&reference.elem),
        syn::Type::Paren(paren) => strip_type_refs(&paren.elem),
        other => other,
    }
}

/// The last segment of a type's path, arguments included (`Vec<Response>` of
/// `std::vec::Vec<Response>`); none for other types and `<T as Trait>::X`.
pub fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}

/// The type arguments of a path segment, in order (`K` and `V` of `HashMap<K, V>`), without
/// its lifetimes, constants and associated types.
pub fn type_arguments(segment: &syn::PathSegment) -> impl Iterator<Item = &syn::Type> {
    let arguments = match &segment.arguments {
        syn::PathArguments::AngleBracketed(arguments) => Some(arguments.args.iter()),
        _ => None,
    };
    arguments
        .into_iter()
        .flatten()
        .filter_map(|argument| match argument {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
}

/// One name a `use` item brings in, or a glob.
#[derive(Debug, PartialEq, Eq)]
pub enum Import<'p> {
    /// `use prefix::name as alias;`, `alias` being `name` without `as`. A `self` in a group
    /// names the module before it: `use a::b::{self};` is `a` and `b`.
    Name {
        /// The path before the name.
        prefix: &'p [String],
        /// The imported item's name.
        name: String,
        /// The name it goes by here.
        alias: String,
    },
    /// `use prefix::*;`.
    Glob {
        /// The module whose public items come in.
        prefix: &'p [String],
    },
}

/// Calls `each` on every import of a `use` tree, in order. `use x as _;` binds no name and
/// is left out.
pub fn imports(tree: &syn::UseTree, each: &mut impl FnMut(Import<'_>)) {
    fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, each: &mut impl FnMut(Import<'_>)) {
        let (ident, alias) = match tree {
            syn::UseTree::Path(path) => {
                prefix.push(name(&path.ident));
                walk(&path.tree, prefix, each);
                prefix.pop();
                return;
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    walk(tree, prefix, each);
                }
                return;
            }
            syn::UseTree::Glob(_) => return each(Import::Glob { prefix }),
            syn::UseTree::Name(use_name) => (name(&use_name.ident), None),
            syn::UseTree::Rename(rename) => (name(&rename.ident), Some(name(&rename.rename))),
        };
        if alias.as_deref() == Some("_") {
            return;
        }
        if ident == "self" {
            if let Some((module, parent)) = prefix.split_last() {
                each(Import::Name {
                    prefix: parent,
                    name: module.clone(),
                    alias: alias.unwrap_or_else(|| module.clone()),
                });
            }
            return;
        }
        each(Import::Name {
            prefix,
            alias: alias.unwrap_or_else(|| ident.clone()),
            name: ident,
        });
    }
    walk(tree, &mut Vec::new(), each);
}

/// The local name a path expression names: a single segment, no `<T>::`.
pub fn local_name(path: &syn::ExprPath) -> Option<String> {
    if path.qself.is_none() && path.path.segments.len() == 1 && path.path.leading_colon.is_none() {
        Some(name(&path.path.segments[0].ident))
    } else {
        None
    }
}

/// `expr` without the parentheses around it.
pub fn strip_parens(expr: &syn::Expr) -> &syn::Expr {
    match expr {
        syn::Expr::Paren(paren) => strip_parens(&paren.expr),
        other => other,
    }
}

/// `expr` without the references and parentheses around it.
pub fn strip_refs(expr: &syn::Expr) -> &syn::Expr {
    match expr {
        syn::Expr::Reference(reference) => strip_refs(&reference.expr),
        syn::Expr::Paren(paren) => strip_refs(&paren.expr),
        other => other,
    }
}

/// The local name at the root of `v`, `self.v`, `v.field` (for collections).
pub fn root_name(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(path) => local_name(path),
        syn::Expr::Paren(paren) => root_name(&paren.expr),
        syn::Expr::Reference(reference) => root_name(&reference.expr),
        syn::Expr::Unary(unary) => root_name(&unary.expr),
        _ => None,
    }
}

/// A path as written, with a leading `::` if it has one.
pub fn path_text(path: &syn::Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let prefix = if path.leading_colon.is_some() {
        "::"
    } else {
        ""
    };
    format!("{prefix}{}", segments.join("::"))
}

/// Names a pattern binds.
pub fn pattern_names(pat: &syn::Pat, names: &mut Vec<String>) {
    match pat {
        syn::Pat::Ident(ident) => {
            names.push(name(&ident.ident));
            if let Some((_, sub)) = &ident.subpat {
                pattern_names(sub, names);
            }
        }
        syn::Pat::TupleStruct(tuple) => tuple.elems.iter().for_each(|p| pattern_names(p, names)),
        syn::Pat::Tuple(tuple) => tuple.elems.iter().for_each(|p| pattern_names(p, names)),
        syn::Pat::Struct(strukt) => strukt
            .fields
            .iter()
            .for_each(|field| pattern_names(&field.pat, names)),
        syn::Pat::Slice(slice) => slice.elems.iter().for_each(|p| pattern_names(p, names)),
        syn::Pat::Type(typed) => pattern_names(&typed.pat, names),
        syn::Pat::Paren(paren) => pattern_names(&paren.pat, names),
        syn::Pat::Reference(reference) => pattern_names(&reference.pat, names),
        syn::Pat::Or(or) => {
            if let Some(first) = or.cases.first() {
                pattern_names(first, names);
            }
        }
        _ => {}
    }
}

/// Whether `expr` is `self`, through references and parentheses.
pub fn receiver_is_self(expr: &syn::Expr) -> bool {
    matches!(strip_refs(expr), syn::Expr::Path(path) if path.path.is_ident("self"))
}

/// The name of the field `expr` reads of `self` (`self.name`, through references).
pub fn self_field(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::Field(field) = strip_refs(expr) else {
        return None;
    };
    let syn::Member::Named(name) = &field.member else {
        return None;
    };
    let syn::Expr::Path(base) = strip_refs(&field.base) else {
        return None;
    };
    base.path.is_ident("self").then(|| self::name(name))
}

/// Calls `each` with the value of every string literal in `tokens`, plain or raw, at any depth
/// of groups: what a macro's arguments spell (`json!({"grant_type": ..})`, `format!("{url}")`).
pub fn string_literals(tokens: proc_macro2::TokenStream, each: &mut impl FnMut(&str)) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Group(group) => string_literals(group.stream(), each),
            proc_macro2::TokenTree::Literal(literal) => {
                if let syn::Lit::Str(text) = syn::Lit::new(literal) {
                    each(&text.value());
                }
            }
            _ => {}
        }
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

    #[test]
    fn imports_of_a_use_tree() {
        let item: syn::ItemUse =
            syn::parse_str("use a::{b, c as d, e::{self, *}, f::{self as g}, h as _, r#i};")
                .unwrap();
        let mut found = Vec::new();
        imports(&item.tree, &mut |import| {
            found.push(match import {
                Import::Name {
                    prefix,
                    name,
                    alias,
                } => format!("{}::{name} as {alias}", prefix.join("::")),
                Import::Glob { prefix } => format!("{}::*", prefix.join("::")),
            })
        });
        assert_eq!(
            found,
            [
                "a::b as b",
                "a::c as d",
                "a::e as e",
                "a::e::*",
                "a::f as g",
                "a::i as i"
            ]
        );
    }

    #[test]
    fn names_and_arguments_of_paths() {
        let path: syn::Path = syn::parse_str("tokio::r#test").unwrap();
        assert_eq!(last_name(&path).as_deref(), Some("test"));
        assert_eq!(segments(&path), ["tokio", "test"]);
        let ty: syn::Type = syn::parse_str("std::collections::HashMap<'a, K, Vec<V>>").unwrap();
        let last = last_segment(&ty).unwrap();
        assert_eq!(last.ident, "HashMap");
        let arguments: Vec<String> = type_arguments(last)
            .map(|ty| quote::quote!(#ty).to_string())
            .collect();
        assert_eq!(arguments, ["K", "Vec < V >"]);
        let projection: syn::Type = syn::parse_str("<T as Trait>::Output").unwrap();
        assert!(last_segment(&projection).is_none());
        let local: syn::ExprPath = syn::parse_str("r#resp").unwrap();
        assert_eq!(local_name(&local).as_deref(), Some("resp"));
        let qualified: syn::ExprPath = syn::parse_str("self::resp").unwrap();
        assert_eq!(local_name(&qualified), None);
    }
}

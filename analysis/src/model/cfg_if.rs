//! `cfg_if! { if #[cfg(a)] { items } else if #[cfg(b)] { items } else { items } }` (the
//! `cfg-if` crate's macro) read as the items of every branch, each under the `#[cfg]` that
//! selects it: code inside it is the crate's code, and its branches are alternatives, as
//! `#[cfg]` items are. Other macros stay opaque.

use syn::parse::{Parse, ParseStream};
use syn::visit_mut::VisitMut;

/// The branches of a `cfg_if!` call: each one's condition (`None` for the final `else`) and
/// items.
struct Branches(Vec<(Option<syn::Meta>, Vec<syn::Item>)>);

impl Parse for Branches {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut branches = Vec::new();
        loop {
            input.parse::<syn::Token![if]>()?;
            let attrs = input.call(syn::Attribute::parse_outer)?;
            let [attr] = attrs.as_slice() else {
                return Err(input.error("expected one `#[cfg(..)]`"));
            };
            if !attr.path().is_ident("cfg") {
                return Err(input.error("expected `#[cfg(..)]`"));
            }
            let condition: syn::Meta = attr.parse_args()?;
            branches.push((Some(condition), items_in_braces(input)?));
            if input.is_empty() {
                break;
            }
            input.parse::<syn::Token![else]>()?;
            if input.peek(syn::Token![if]) {
                continue;
            }
            branches.push((None, items_in_braces(input)?));
            break;
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the last branch"));
        }
        Ok(Branches(branches))
    }
}

fn items_in_braces(input: ParseStream<'_>) -> syn::Result<Vec<syn::Item>> {
    let content;
    syn::braced!(content in input);
    let mut items = Vec::new();
    while !content.is_empty() {
        items.push(content.parse()?);
    }
    Ok(items)
}

/// Whether a macro call is `cfg_if!` (`cfg_if::cfg_if!` too).
fn is_cfg_if(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "cfg_if")
}

/// The items a `cfg_if!` item stands for, each with the `#[cfg]` of its branch (the `else`
/// branch's is `not(any(..))` of the others); `None` when it is no `cfg_if!` or its tokens are
/// not its grammar.
pub fn items(mac: &syn::Macro) -> Option<Vec<syn::Item>> {
    if !is_cfg_if(mac) {
        return None;
    }
    let Branches(branches) = mac.parse_body().ok()?;
    let conditions: Vec<syn::Meta> = branches.iter().filter_map(|(c, _)| c.clone()).collect();
    let mut out = Vec::new();
    for (condition, items) in branches {
        let attr: syn::Attribute = match condition {
            Some(condition) => syn::parse_quote!(#[cfg(#condition)]),
            None => syn::parse_quote!(#[cfg(not(any(#(#conditions),*)))]),
        };
        for mut item in items {
            if let Some(attrs) = item_attrs(&mut item) {
                attrs.insert(0, attr.clone());
            }
            out.push(item);
        }
    }
    Some(out)
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::ExternCrate(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::ForeignMod(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::TraitAlias(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Union(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// Replaces every `cfg_if!` item of `file` (in inline modules too, and nested) by its items.
pub fn expand(file: &mut syn::File) {
    struct Expander;
    impl VisitMut for Expander {
        fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
            if let Some((_, items)) = &mut module.content {
                expand_items(items);
            }
            syn::visit_mut::visit_item_mod_mut(self, module);
        }
    }
    expand_items(&mut file.items);
    for item in &mut file.items {
        Expander.visit_item_mut(item);
    }
}

fn expand_items(items: &mut Vec<syn::Item>) {
    if !items
        .iter()
        .any(|item| matches!(item, syn::Item::Macro(m) if is_cfg_if(&m.mac)))
    {
        return;
    }
    let mut out = Vec::with_capacity(items.len());
    for item in std::mem::take(items) {
        match &item {
            syn::Item::Macro(m) => match self::items(&m.mac) {
                Some(mut expanded) => {
                    expand_items(&mut expanded);
                    // The call's own attributes (an outer branch's `#[cfg]`) hold for each.
                    for item in &mut expanded {
                        if let Some(attrs) = item_attrs(item) {
                            attrs.splice(0..0, m.attrs.iter().cloned());
                        }
                    }
                    out.extend(expanded);
                }
                None => out.push(item),
            },
            _ => out.push(item),
        }
    }
    *items = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(source: &str) -> String {
        let mut file = syn::parse_file(source).unwrap();
        expand(&mut file);
        quote::ToTokens::to_token_stream(&file).to_string()
    }

    #[test]
    fn every_branch_under_its_cfg() {
        let out = expanded(
            "cfg_if::cfg_if! { if #[cfg(unix)] { mod a; fn f() {} } \
             else if #[cfg(windows)] { mod b; } else { mod c; } }",
        );
        assert_eq!(
            out,
            "# [cfg (unix)] mod a ; # [cfg (unix)] fn f () { } # [cfg (windows)] mod b ; \
             # [cfg (not (any (unix , windows)))] mod c ;"
        );
    }

    #[test]
    fn nested_and_in_inline_modules() {
        let out = expanded(
            "mod m { cfg_if! { if #[cfg(a)] { cfg_if! { if #[cfg(b)] { fn g() {} } } } } }",
        );
        assert_eq!(out, "mod m { # [cfg (a)] # [cfg (b)] fn g () { } }");
    }

    #[test]
    fn other_macros_and_bad_grammar_stay() {
        let source = "cfg_if! { when x { } } other! { if #[cfg(a)] { fn f() {} } }";
        let unchanged = quote::ToTokens::to_token_stream(&syn::parse_file(source).unwrap());
        assert_eq!(expanded(source), unchanged.to_string());
    }
}

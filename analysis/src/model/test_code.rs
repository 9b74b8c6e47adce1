//! Test code: `#[cfg(test)]` items and functions carrying a test attribute (`#[test]`,
//! `#[tokio::test]`, `#[rstest]`, `#[sqlx::test]`..). It is analyzed only when tests are
//! selected, as `cargo clippy` does: unread mock bodies in tests cost nothing, and
//! `#[reqleak::check]` is the tool for tests.

use syn::visit_mut::VisitMut;

use super::syntax;

/// Removes test code from a parsed file, so that no lint and no summary sees it.
pub fn strip(file: &mut syn::File) {
    file.items.retain(|item| !is_test_item(item));
    Stripper.visit_file_mut(file);
}

/// Whether an attribute list marks test code.
pub fn is_test_code(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| is_cfg_test(attr) || is_test_attribute(attr))
}

/// `#[cfg(test)]`, or a `cfg` that requires `test` (`all(test, ..)`).
fn is_cfg_test(attr: &syn::Attribute) -> bool {
    if !attr.path().is_ident("cfg") {
        return false;
    }
    attr.parse_args::<syn::Meta>()
        .is_ok_and(|meta| requires_test(&meta))
}

fn requires_test(meta: &syn::Meta) -> bool {
    match meta {
        syn::Meta::Path(path) => path.is_ident("test"),
        syn::Meta::List(list) if list.path.is_ident("all") => list
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|metas| metas.iter().any(requires_test)),
        _ => false,
    }
}

/// A test-running attribute: `#[test]`, `#[tokio::test]`, `#[async_std::test]`,
/// `#[sqlx::test]`, `#[test_log::test]`, `#[rstest]`, `#[test_case(..)]`, `#[quickcheck]`..
fn is_test_attribute(attr: &syn::Attribute) -> bool {
    let Some(name) = syntax::last_name(attr.path()) else {
        return false;
    };
    matches!(
        name.as_str(),
        "test" | "rstest" | "test_case" | "test_matrix" | "quickcheck" | "proptest" | "bench"
    )
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::ForeignMod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::TraitAlias(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn is_test_item(item: &syn::Item) -> bool {
    is_test_code(item_attrs(item))
}

struct Stripper;

impl VisitMut for Stripper {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            items.retain(|item| !is_test_item(item));
        }
        syn::visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        item.items.retain(|item| match item {
            syn::ImplItem::Fn(f) => !is_test_code(&f.attrs),
            syn::ImplItem::Const(c) => !is_test_code(&c.attrs),
            syn::ImplItem::Type(t) => !is_test_code(&t.attrs),
            _ => true,
        });
        syn::visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block
            .stmts
            .retain(|stmt| !matches!(stmt, syn::Stmt::Item(item) if is_test_item(item)));
        syn::visit_mut::visit_block_mut(self, block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(source: &str) -> String {
        let mut file = syn::parse_file(source).unwrap();
        strip(&mut file);
        quote::ToTokens::to_token_stream(&file).to_string()
    }

    #[test]
    fn removes_test_modules_and_functions() {
        let text = stripped(
            "fn keep() {} #[cfg(test)] mod tests { fn gone() {} } \
             #[tokio::test] async fn t() {} #[rstest] fn r() {} \
             mod inner { #[test] fn u() {} fn stays() {} } \
             #[cfg(all(test, feature = \"x\"))] fn both() {} \
             #[cfg(any(test, feature = \"x\"))] fn either() {}",
        );
        assert!(text.contains("keep") && text.contains("stays") && text.contains("either"));
        for gone in ["gone", "fn t", "fn r", "fn u", "both"] {
            assert!(!text.contains(gone), "{gone} in {text}");
        }
    }
}

//! The walk over a file's functions, in the order that numbers them ([`super::FnId`]).

use syn::visit::Visit;

use crate::model::syntax::{self};
use crate::model::types::Bounds;

/// The order in which a file's functions are numbered: every `fn` item, impl method and trait
/// method (with a body or not), depth first, in source order. Both the outline and the
/// analysis walk files in this order, so the k-th function met is the file's k-th [`super::FnId`].
pub trait FnVisitor<'ast> {
    /// Called for each function, in order.
    fn function(&mut self, function: FnRef<'ast>);
}

/// One function of a syntax tree.
#[derive(Clone)]
pub struct FnRef<'ast> {
    /// Its signature.
    pub sig: &'ast syn::Signature,
    /// Its body, if it has one.
    pub block: Option<&'ast syn::Block>,
    /// Its attributes.
    pub attrs: &'ast [syn::Attribute],
    /// Its visibility (trait items have none).
    pub vis: Option<&'ast syn::Visibility>,
    /// The module path from the file's module (inline modules).
    pub inline_modules: Vec<String>,
    /// The enclosing impl, if any.
    pub impl_block: Option<&'ast syn::ItemImpl>,
    /// The enclosing trait, if any.
    pub trait_block: Option<&'ast syn::ItemTrait>,
    /// The function whose body it is declared in, by its index in the file.
    pub parent: Option<usize>,
}

impl<'ast> FnRef<'ast> {
    /// The bounds of the generic parameters in scope: the enclosing impl's or trait's, then
    /// the function's own.
    pub fn bounds(&self) -> Bounds<'ast> {
        let mut bounds = Bounds::default();
        if let Some(block) = self.impl_block {
            bounds.add(&block.generics);
        }
        if let Some(block) = self.trait_block {
            bounds.add(&block.generics);
        }
        bounds.add(&self.sig.generics);
        bounds
    }
}

/// Walks `file` and calls `visitor` for each function in [`FnVisitor`] order.
pub fn visit_fns<'ast>(file: &'ast syn::File, visitor: &mut dyn FnVisitor<'ast>) {
    let mut walker = Walker {
        visitor,
        modules: Vec::new(),
        impl_block: None,
        trait_block: None,
        enclosing: Vec::new(),
        next: 0,
    };
    walker.visit_file(file);
}

struct Walker<'v, 'ast> {
    visitor: &'v mut dyn FnVisitor<'ast>,
    modules: Vec<String>,
    impl_block: Option<&'ast syn::ItemImpl>,
    trait_block: Option<&'ast syn::ItemTrait>,
    /// The functions whose bodies the walk is in, by their index in the file.
    enclosing: Vec<usize>,
    /// The index the next function gets.
    next: usize,
}

impl<'ast> Walker<'_, 'ast> {
    fn emit(
        &mut self,
        sig: &'ast syn::Signature,
        block: Option<&'ast syn::Block>,
        attrs: &'ast [syn::Attribute],
        vis: Option<&'ast syn::Visibility>,
    ) {
        self.visitor.function(FnRef {
            sig,
            block,
            attrs,
            vis,
            inline_modules: self.modules.clone(),
            impl_block: self.impl_block,
            trait_block: self.trait_block,
            parent: self.enclosing.last().copied(),
        });
        self.next += 1;
    }

    /// Walks the inside of the function just emitted.
    fn inside(&mut self, walk: impl FnOnce(&mut Self)) {
        self.enclosing.push(self.next - 1);
        let saved = (self.impl_block.take(), self.trait_block.take());
        walk(self);
        (self.impl_block, self.trait_block) = saved;
        self.enclosing.pop();
    }
}

impl<'ast> Visit<'ast> for Walker<'_, 'ast> {
    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        if module.content.is_some() {
            self.modules.push(syntax::name(&module.ident));
            let saved = (self.impl_block.take(), self.trait_block.take());
            syn::visit::visit_item_mod(self, module);
            (self.impl_block, self.trait_block) = saved;
            self.modules.pop();
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let saved = (self.impl_block.take(), self.trait_block.take());
        self.emit(&item.sig, Some(&item.block), &item.attrs, Some(&item.vis));
        self.inside(|walker| syn::visit::visit_item_fn(walker, item));
        (self.impl_block, self.trait_block) = saved;
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let saved = (self.impl_block.replace(item), self.trait_block.take());
        syn::visit::visit_item_impl(self, item);
        (self.impl_block, self.trait_block) = saved;
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        let saved = (self.impl_block.take(), self.trait_block.replace(item));
        syn::visit::visit_item_trait(self, item);
        (self.impl_block, self.trait_block) = saved;
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.emit(&item.sig, Some(&item.block), &item.attrs, Some(&item.vis));
        self.inside(|walker| syn::visit::visit_impl_item_fn(walker, item));
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        self.emit(&item.sig, item.default.as_ref(), &item.attrs, None);
        self.inside(|walker| syn::visit::visit_trait_item_fn(walker, item));
    }
}

//! What the crate's own functions return, so that calls to them are known sources.

use std::collections::HashMap;

use super::names::{Names, ReqwestItem};

/// What a same-crate function hands back, as far as responses go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returns {
    /// A response (`Response`, `Result<Response, _>`, `Option<Response>`).
    Response,
    /// A `RequestBuilder`, which starts a request-builder chain.
    RequestBuilder,
    /// A `Client`.
    Client,
}

/// A same-crate function's name, what it returns, and whether it is `async`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    /// What it returns.
    pub returns: Returns,
    /// `async fn`: calling it gives a future that must be awaited.
    pub is_async: bool,
}

/// Functions and methods of one crate, by name, that return a reqwest value.
/// A name declared twice with different signatures is dropped: when in doubt, stay silent.
/// Free functions and methods are kept apart: `request(x)` is not `self.request(x)`.
#[derive(Clone, Debug, Default)]
pub struct CrateIndex {
    functions: HashMap<String, Option<Signature>>,
    methods: HashMap<String, Option<Signature>>,
}

impl CrateIndex {
    /// Adds the functions of one parsed file.
    pub fn add_file(&mut self, file: &syn::File, names: &Names) {
        let mut visitor = SignatureCollector { names, index: self };
        syn::visit::Visit::visit_file(&mut visitor, file);
    }

    /// Merges another index in.
    pub fn merge(&mut self, other: CrateIndex) {
        for (name, signature) in other.functions {
            insert(&mut self.functions, name, signature);
        }
        for (name, signature) in other.methods {
            insert(&mut self.methods, name, signature);
        }
    }

    /// The signature of the free function called `name`, if it returns a reqwest value.
    pub fn function(&self, name: &str) -> Option<Signature> {
        self.functions.get(name).copied().flatten()
    }

    /// The signature of the method or associated function called `name`, if it returns a
    /// reqwest value.
    pub fn method(&self, name: &str) -> Option<Signature> {
        self.methods.get(name).copied().flatten()
    }
}

/// Records a declaration; two different signatures under one name cancel out.
fn insert(
    map: &mut HashMap<String, Option<Signature>>,
    name: String,
    signature: Option<Signature>,
) {
    map.entry(name)
        .and_modify(|known| {
            if *known != signature {
                *known = None;
            }
        })
        .or_insert(signature);
}

/// What a return type hands back: a response, maybe in `Result`/`Option`, or a builder/client.
pub fn classify_return(names: &Names, ty: &syn::Type) -> Option<Returns> {
    match names.type_item(ty) {
        Some(ReqwestItem::Response) if !matches!(ty, syn::Type::Reference(_)) => {
            return Some(Returns::Response)
        }
        Some(ReqwestItem::RequestBuilder) if !matches!(ty, syn::Type::Reference(_)) => {
            return Some(Returns::RequestBuilder)
        }
        Some(ReqwestItem::Client) if !matches!(ty, syn::Type::Reference(_)) => {
            return Some(Returns::Client)
        }
        _ => {}
    }
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let wrapper = last.ident.to_string();
    if !matches!(wrapper.as_str(), "Result" | "Option") {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let syn::GenericArgument::Type(inner) = args.args.first()? else {
        return None;
    };
    if names.type_item(inner) == Some(ReqwestItem::Response)
        && !matches!(inner, syn::Type::Reference(_))
    {
        Some(Returns::Response)
    } else {
        None
    }
}

struct SignatureCollector<'a> {
    names: &'a Names,
    index: &'a mut CrateIndex,
}

impl SignatureCollector<'_> {
    fn add(&mut self, sig: &syn::Signature, is_method: bool) {
        let returns = match &sig.output {
            syn::ReturnType::Type(_, ty) => classify_return(self.names, ty),
            syn::ReturnType::Default => None,
        };
        let signature = returns.map(|returns| Signature {
            returns,
            is_async: sig.asyncness.is_some(),
        });
        let map = if is_method {
            &mut self.index.methods
        } else {
            &mut self.index.functions
        };
        insert(map, sig.ident.to_string(), signature);
    }
}

impl<'ast> syn::visit::Visit<'ast> for SignatureCollector<'_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.add(&item.sig, false);
        syn::visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.add(&item.sig, true);
        syn::visit::visit_impl_item_fn(self, item);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        self.add(&item.sig, true);
        syn::visit::visit_trait_item_fn(self, item);
    }
}

//! A file's [`FileOutline`]: its functions' signatures, modules, `use` declarations, fields
//! and the wrappers of reqwest's types it declares, read from its syntax tree.

use syn::visit::Visit;

use crate::model::names::{Names, ReqwestItem};
use crate::model::source_map::SourceMap;
use crate::model::syntax::{self, Import};
use crate::model::types::{self};

use super::*;

/// The last segment of a type's path (`Client` for `&api::Client<T>`), for impl self types.
pub fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => syntax::last_name(&path.path),
        syn::Type::Reference(reference) => type_name(&reference.elem),
        syn::Type::Paren(paren) => type_name(&paren.elem),
        syn::Type::Group(group) => type_name(&group.elem),
        _ => None,
    }
}

/// Builds a file's outline. `module` is the file's module path.
pub fn outline(
    file: &syn::File,
    names: &Names,
    map: &SourceMap<'_>,
    module: &[String],
) -> FileOutline {
    struct Collector<'a> {
        names: &'a Names,
        map: &'a SourceMap<'a>,
        module: &'a [String],
        fns: Vec<FnOutline>,
    }
    impl<'ast> FnVisitor<'ast> for Collector<'_> {
        fn function(&mut self, function: FnRef<'ast>) {
            let bounds = function.bounds();
            let declared = match &function.sig.output {
                syn::ReturnType::Type(_, ty) => {
                    let self_is = function
                        .impl_block
                        .and_then(|block| types::classify(self.names, &bounds, &block.self_ty));
                    if is_self(ty) {
                        self_is
                    } else {
                        types::classify(self.names, &bounds, ty)
                    }
                }
                syn::ReturnType::Default => None,
            }
            .map(|mut returns| {
                returns.future |= function.sig.asyncness.is_some();
                returns
            });
            let params = function
                .sig
                .inputs
                .iter()
                .map(|input| match input {
                    syn::FnArg::Receiver(_) => None,
                    syn::FnArg::Typed(typed) => types::classify(self.names, &bounds, &typed.ty),
                })
                .collect();
            let owner = match (function.impl_block, function.trait_block) {
                (Some(block), _) => Owner::Impl {
                    self_ty: type_name(&block.self_ty).unwrap_or_default(),
                    trait_name: block
                        .trait_
                        .as_ref()
                        .and_then(|(_, path, _)| syntax::last_name(path)),
                },
                (None, Some(block)) => Owner::Trait {
                    trait_name: syntax::name(&block.ident),
                },
                (None, None) => Owner::Free,
            };
            let is_pub = matches!(function.vis, Some(syn::Visibility::Public(_)))
                || matches!(
                    &owner,
                    Owner::Impl {
                        trait_name: Some(_),
                        ..
                    }
                );
            let mut full = self.module.to_vec();
            full.extend(function.inline_modules.iter().cloned());
            self.fns.push(FnOutline {
                name: syntax::name(&function.sig.ident),
                module: full,
                owner,
                parent: function.parent,
                is_pub,
                has_body: function.block.is_some(),
                is_async: function.sig.asyncness.is_some(),
                declared,
                params,
                name_span: self.map.span(function.sig.ident.span()),
                handler_attr: function.attrs.iter().any(is_handler_attribute),
                macro_attr: function.attrs.iter().any(is_macro_attribute),
                command_attr: function.attrs.iter().any(is_command_attribute),
                blanket: function.impl_block.is_some_and(|block| {
                    let self_ty = type_name(&block.self_ty);
                    block.generics.params.iter().any(|param| {
                        matches!(param, syn::GenericParam::Type(t)
                            if Some(syntax::name(&t.ident)) == self_ty)
                    })
                }),
                receiver: function.sig.receiver().map(|receiver| {
                    if receiver.reference.is_some() {
                        Receiver::Ref
                    } else {
                        Receiver::Value
                    }
                }),
                returned_type: match &function.sig.output {
                    syn::ReturnType::Type(_, ty) if declared.is_none() => inner_type_name(ty),
                    _ => None,
                },
                predicate: predicate(function.sig, function.block),
                signs_in: function.block.is_some_and(sends_sign_in_grant),
            });
        }
    }
    let mut collector = Collector {
        names,
        map,
        module,
        fns: Vec::new(),
    };
    visit_fns(file, &mut collector);
    let mut modules = Vec::new();
    collect_modules(&file.items, module.to_vec(), &mut modules);
    FileOutline {
        fns: collector.fns,
        modules,
        fields: struct_fields(file, names),
        wrappers: wrappers(file, names, ReqwestItem::Response)
            .into_iter()
            .collect(),
        builder_wrappers: wrappers(file, names, ReqwestItem::RequestBuilder)
            .into_iter()
            .map(|(name, _)| name)
            .chain(builder_extensions(file, names))
            .collect(),
        trait_impls: trait_impls(file),
        macros: macro_rules_names(file),
    }
}

/// The names of the `macro_rules!` macros `file` defines, at any depth.
fn macro_rules_names(file: &syn::File) -> Vec<String> {
    struct Macros {
        found: Vec<String>,
    }
    impl<'ast> Visit<'ast> for Macros {
        fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
            if let (true, Some(ident)) = (item.mac.path.is_ident("macro_rules"), &item.ident) {
                self.found.push(syntax::name(ident));
            }
        }
    }
    let mut macros = Macros { found: Vec::new() };
    macros.visit_file(file);
    macros.found
}

fn trait_impls(file: &syn::File) -> Vec<(String, String)> {
    struct Impls {
        found: Vec<(String, String)>,
    }
    impl<'ast> Visit<'ast> for Impls {
        fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
            let trait_name = item
                .trait_
                .as_ref()
                .and_then(|(_, path, _)| syntax::last_name(path));
            if let (Some(trait_name), Some(self_ty)) = (trait_name, type_name(&item.self_ty)) {
                self.found.push((self_ty, trait_name));
            }
            syn::visit::visit_item_impl(self, item);
        }
    }
    let mut impls = Impls { found: Vec::new() };
    impls.visit_file(file);
    impls.found
}

/// reqwest's `RequestBuilder` itself, by the name its impls are filed under, where the file
/// implements a trait of the crate for it (`impl CustomSend for RequestBuilder`): its methods
/// take the builder as `self`, as a wrapper's do.
fn builder_extensions(file: &syn::File, names: &Names) -> Vec<String> {
    struct Impls<'n> {
        names: &'n Names,
        found: Vec<String>,
    }
    impl<'ast> Visit<'ast> for Impls<'_> {
        fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
            if item.trait_.is_some()
                && self.names.type_item(&item.self_ty) == Some(ReqwestItem::RequestBuilder)
            {
                if let Some(name) = type_name(&item.self_ty) {
                    if !self.found.contains(&name) {
                        self.found.push(name);
                    }
                }
            }
            syn::visit::visit_item_impl(self, item);
        }
    }
    let mut impls = Impls {
        names,
        found: Vec::new(),
    };
    impls.visit_file(file);
    impls.found
}

/// Structs with fields that hold `item` (a response, or a request builder), with those fields.
fn wrappers(file: &syn::File, names: &Names, item: ReqwestItem) -> Vec<(String, Vec<String>)> {
    struct Structs<'n> {
        names: &'n Names,
        item: ReqwestItem,
        found: Vec<(String, Vec<String>)>,
    }
    impl<'ast> Visit<'ast> for Structs<'_> {
        fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
            let fields: Vec<String> = item
                .fields
                .iter()
                .enumerate()
                .filter(|(_, field)| match self.item {
                    ReqwestItem::Response => self.names.holds_response(&field.ty),
                    item => self.names.type_item(&field.ty) == Some(item),
                })
                .map(|(at, field)| match &field.ident {
                    Some(ident) => syntax::name(ident),
                    None => at.to_string(),
                })
                .collect();
            if !fields.is_empty() {
                self.found.push((syntax::name(&item.ident), fields));
            }
        }
    }
    let mut structs = Structs {
        names,
        item,
        found: Vec::new(),
    };
    structs.visit_file(file);
    structs.found
}

fn struct_fields(file: &syn::File, names: &Names) -> Vec<FieldOutline> {
    struct Fields<'n> {
        names: &'n Names,
        found: Vec<FieldOutline>,
    }
    impl<'ast> Visit<'ast> for Fields<'_> {
        fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
            let owner = syntax::name(&item.ident);
            for field in &item.fields {
                if let Some(ident) = &field.ident {
                    self.found.push(FieldOutline {
                        owner: owner.clone(),
                        name: syntax::name(ident),
                        client: is_client_type(self.names, &field.ty),
                        builds_client: builds_client_type(self.names, &field.ty),
                        // `reqwest::Client` is no type of the crate's, whatever its own types
                        // are called.
                        ty: (!is_reqwest_type(self.names, &field.ty))
                            .then(|| unwrapped_type_name(&field.ty))
                            .flatten(),
                        element: element_type_name(&field.ty),
                        public: matches!(field.vis, syn::Visibility::Public(_)),
                    });
                }
            }
        }
        // An enum's variants, as `Enum::Variant`, with their fields by name or by position:
        // what a pattern on the variant binds (`Commands::Auth { command } => command.run()`).
        fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
            let owner = syntax::name(&item.ident);
            for variant in &item.variants {
                let variant_owner = format!("{owner}::{}", syntax::name(&variant.ident));
                for (position, field) in variant.fields.iter().enumerate() {
                    let name = match &field.ident {
                        Some(ident) => syntax::name(ident),
                        None => position.to_string(),
                    };
                    self.found.push(FieldOutline {
                        owner: variant_owner.clone(),
                        name,
                        client: false,
                        builds_client: false,
                        ty: (!is_reqwest_type(self.names, &field.ty))
                            .then(|| unwrapped_type_name(&field.ty))
                            .flatten(),
                        element: None,
                        public: false,
                    });
                }
            }
        }
    }
    let mut fields = Fields {
        names,
        found: Vec::new(),
    };
    fields.visit_file(file);
    fields.found
}

/// A field type's name through `Arc`, `Rc`, `Box` and references: `S3Client` for
/// `Arc<S3Client>`.
pub(crate) fn unwrapped_type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => {
            let last = path.path.segments.last()?;
            let name = syntax::name(&last.ident);
            if matches!(name.as_str(), "Arc" | "Rc" | "Box") {
                return unwrapped_type_name(syntax::type_arguments(last).next()?);
            }
            Some(name)
        }
        syn::Type::Reference(reference) => unwrapped_type_name(&reference.elem),
        syn::Type::Paren(paren) => unwrapped_type_name(&paren.elem),
        _ => None,
    }
}

/// The elements' type name of a collection type, through `Arc`, `Rc`, `Box` and references
/// around the collection and around its elements: `Image` for `Vec<Arc<Image>>`.
pub(super) fn element_type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => {
            let last = path.path.segments.last()?;
            let name = syntax::name(&last.ident);
            let inner = syntax::type_arguments(last).next()?;
            match name.as_str() {
                "Arc" | "Rc" | "Box" => element_type_name(inner),
                "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "LinkedList" => {
                    unwrapped_type_name(inner)
                }
                _ => None,
            }
        }
        syn::Type::Slice(slice) => unwrapped_type_name(&slice.elem),
        syn::Type::Array(array) => unwrapped_type_name(&array.elem),
        syn::Type::Reference(reference) => element_type_name(&reference.elem),
        syn::Type::Paren(paren) => element_type_name(&paren.elem),
        _ => None,
    }
}

/// A reqwest type (under any name it is imported by), also behind `Arc`, `Rc`, `Box`.
fn is_reqwest_type(names: &Names, ty: &syn::Type) -> bool {
    names.type_item(ty).is_some()
        || crate::model::names::wrapped_in(ty, &["Arc", "Rc", "Box"], |inner| {
            is_reqwest_type(names, inner)
        })
}

fn is_client_type(names: &Names, ty: &syn::Type) -> bool {
    names.type_item(ty) == Some(crate::model::names::ReqwestItem::Client)
        || crate::model::names::wrapped_in(ty, &["Arc", "Rc", "Box"], |inner| {
            is_client_type(names, inner)
        })
}

/// A reqwest `ClientBuilder` (whose `build()` makes a client), or an `Option<Client>` (whose
/// `unwrap_or_default()` makes one), also behind `Arc`, `Box`, `&`.
fn builds_client_type(names: &Names, ty: &syn::Type) -> bool {
    names.type_item(ty) == Some(crate::model::names::ReqwestItem::ClientBuilder)
        || crate::model::names::wrapped_in(ty, &["Option"], |inner| is_client_type(names, inner))
        || crate::model::names::wrapped_in(ty, &["Arc", "Rc", "Box"], |inner| {
            builds_client_type(names, inner)
        })
}

/// The name of the type a return type hands back, through `Result`, `Option`, `Box` and
/// futures: `Response` in `Result<Response, Error>`.
fn inner_type_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let name = syntax::name(&last.ident);
    let wraps = matches!(
        name.as_str(),
        "Result" | "Option" | "Box" | "Pin" | "BoxFuture"
    ) || (name.ends_with("Result") && name != "Result");
    if !wraps {
        return Some(name);
    }
    syntax::type_arguments(last).find_map(inner_type_name)
}

/// The longest predicate body kept, in characters of tokens: a condition, not an algorithm.
const MAX_PREDICATE: usize = 400;

/// `fn f(a: A, ..) -> bool { expr }` (or `{ return expr; }`) without `self`, whose expression
/// reads a parameter: what a call of it means, in terms of its arguments.
fn predicate(sig: &syn::Signature, block: Option<&syn::Block>) -> Option<Predicate> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    if !matches!(&**ty, syn::Type::Path(path) if path.path.is_ident("bool"))
        || sig.receiver().is_some()
        || sig.asyncness.is_some()
    {
        return None;
    }
    let expr = match block?.stmts.as_slice() {
        [syn::Stmt::Expr(expr, None)] => expr,
        [syn::Stmt::Expr(syn::Expr::Return(ret), _)] => ret.expr.as_deref()?,
        _ => return None,
    };
    let mut params = Vec::new();
    for input in &sig.inputs {
        let syn::FnArg::Typed(typed) = input else {
            return None;
        };
        let syn::Pat::Ident(ident) = &*typed.pat else {
            return None;
        };
        params.push(syntax::name(&ident.ident));
    }
    struct Reads<'p> {
        params: &'p [String],
        found: bool,
    }
    impl<'ast> Visit<'ast> for Reads<'_> {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if let Some(ident) = path.get_ident() {
                self.found |= self.params.contains(&syntax::name(ident));
            }
            syn::visit::visit_path(self, path);
        }
    }
    let mut reads = Reads {
        params: &params,
        found: false,
    };
    reads.visit_expr(expr);
    if !reads.found {
        return None;
    }
    let body = quote::ToTokens::to_token_stream(expr).to_string();
    (body.len() <= MAX_PREDICATE).then_some(Predicate { params, body })
}

fn is_self(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Self"))
}

/// The language's own attributes (and its tools'), on functions: any other is a macro.
const BUILTIN_ATTRIBUTES: &[&str] = &[
    "allow",
    "automatically_derived",
    "cfg",
    "cfg_attr",
    "cold",
    "coverage",
    "deny",
    "deprecated",
    "doc",
    "expect",
    "export_name",
    "forbid",
    "ignore",
    "inline",
    "instruction_set",
    "link_section",
    "must_use",
    "naked",
    "no_mangle",
    "optimize",
    "should_panic",
    "target_feature",
    "test",
    "track_caller",
    "unsafe",
    "warn",
];

/// An attribute macro: neither the language's nor a tool's (`rustfmt::`, `clippy::`).
fn is_macro_attribute(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    let Some(first) = path.segments.first() else {
        return false;
    };
    let first = syntax::name(&first.ident);
    if path.segments.len() > 1 {
        return !matches!(first.as_str(), "rustfmt" | "clippy" | "diagnostic");
    }
    !BUILTIN_ATTRIBUTES.contains(&first.as_str())
}

/// Web frameworks' handler attributes: actix-web's and rocket's `#[get("/path")]` and
/// siblings (with their route argument), `#[route(..)]`, poem's `#[handler]`.
fn is_handler_attribute(attr: &syn::Attribute) -> bool {
    let Some(name) = syntax::last_name(attr.path()) else {
        return false;
    };
    match name.as_str() {
        "handler" => true,
        "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "route" => {
            matches!(attr.meta, syn::Meta::List(_))
        }
        _ => false,
    }
}

/// Whether a body names an OAuth 2.0 grant that signs a user in: the literal `grant_type` and
/// the literal `authorization_code` or `password`, in code or inside a macro's tokens
/// (`json!({"grant_type": "authorization_code", ..})`, `[("grant_type", "password")]`).
fn sends_sign_in_grant(block: &syn::Block) -> bool {
    #[derive(Default)]
    struct Grant {
        grant_type: bool,
        sign_in: bool,
    }
    impl Grant {
        fn literal(&mut self, text: &str) {
            match text {
                "grant_type" => self.grant_type = true,
                "authorization_code" | "password" => self.sign_in = true,
                _ => {}
            }
        }
    }
    impl Visit<'_> for Grant {
        fn visit_lit_str(&mut self, literal: &syn::LitStr) {
            self.literal(&literal.value());
        }
        fn visit_macro(&mut self, mac: &syn::Macro) {
            syntax::string_literals(mac.tokens.clone(), &mut |text| self.literal(text));
        }
    }
    let mut grant = Grant::default();
    grant.visit_block(block);
    grant.grant_type && grant.sign_in
}

/// A framework's command attribute: tauri's `#[tauri::command]` (or `#[command]` after a
/// `use`), with or without arguments (`#[tauri::command(rename_all = "snake_case")]`).
fn is_command_attribute(attr: &syn::Attribute) -> bool {
    syntax::last_name(attr.path()).is_some_and(|name| name == "command")
}

fn collect_modules(items: &[syn::Item], path: Vec<String>, out: &mut Vec<ModuleOutline>) {
    let mut here = ModuleOutline {
        path: path.clone(),
        ..ModuleOutline::default()
    };
    let mut inline = Vec::new();
    struct BodyUses<'o> {
        out: &'o mut Vec<UseDecl>,
    }
    impl<'ast> Visit<'ast> for BodyUses<'_> {
        fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
            use_decls(&item.tree, self.out);
        }
        fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {}
    }
    for item in items {
        match item {
            syn::Item::Use(item) => {
                use_decls(&item.tree, &mut here.uses);
                if matches!(item.vis, syn::Visibility::Public(_)) {
                    use_decls(&item.tree, &mut here.reexports);
                }
            }
            syn::Item::Mod(module) => {
                let name = syntax::name(&module.ident);
                here.children.push(name.clone());
                if !matches!(module.vis, syn::Visibility::Public(_)) {
                    here.private_children.push(name.clone());
                }
                if let Some((_, items)) = &module.content {
                    inline.push((items, name));
                }
            }
            syn::Item::Struct(syn::ItemStruct { vis, ident, .. })
            | syn::Item::Enum(syn::ItemEnum { vis, ident, .. })
            | syn::Item::Union(syn::ItemUnion { vis, ident, .. })
            | syn::Item::Type(syn::ItemType { vis, ident, .. })
                if matches!(vis, syn::Visibility::Public(_)) =>
            {
                here.pub_types.push(syntax::name(ident));
            }
            syn::Item::Fn(_) | syn::Item::Impl(_) | syn::Item::Trait(_) => {
                BodyUses {
                    out: &mut here.uses,
                }
                .visit_item(item);
            }
            _ => {}
        }
    }
    out.push(here);
    for (items, name) in inline {
        let mut child = path.clone();
        child.push(name);
        collect_modules(items, child, out);
    }
}

fn use_decls(tree: &syn::UseTree, out: &mut Vec<UseDecl>) {
    syntax::imports(tree, &mut |import| {
        out.push(match import {
            Import::Name {
                prefix,
                name,
                alias,
            } => UseDecl {
                alias: Some(alias),
                path: prefix.iter().cloned().chain([name]).collect(),
            },
            Import::Glob { prefix } => UseDecl {
                alias: None,
                path: prefix.to_vec(),
            },
        })
    });
}

//! The package's own functions and how paths resolve to them, through the module tree of each
//! target: `crate::`, `super::`, `self::`, `use` of crate items (renames and globs included),
//! `Self::f`, `Type::f` and methods by their impl's type. A definition in the enclosing module
//! shadows others; what stays ambiguous resolves to several candidates, and callers treat that
//! as "cannot tell".
//!
//! Each file contributes a [`FileOutline`] (plain data, built where the file was parsed);
//! [`CrateMap::build`] joins them.

// Names hashed on every lookup: rustc's hasher, not SipHash.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::{Deserialize, Serialize};
use syn::visit::Visit;

use super::names::{Names, ReqwestItem};
use super::place::{ModulePlace, TargetKind};
use super::source_map::SourceMap;
use super::syntax::{self, Import};
use super::types::{self, Bounds, Returns};
use crate::diagnostic::Span;

/// A function of the package, by its index in [`CrateMap::fns`].
pub type FnId = usize;

/// Whose function it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    /// A free function.
    Free,
    /// A method or associated function of an `impl` block.
    Impl {
        /// The impl's self type, by its last path segment (`Client` for `impl api::Client`).
        self_ty: String,
        /// The trait implemented, by its last path segment.
        trait_name: Option<String>,
    },
    /// A method declared in a trait (with or without a default body).
    Trait {
        /// The trait's name.
        trait_name: String,
    },
}

/// One function as its file declares it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FnOutline {
    /// Its name (raw identifiers without `r#`).
    pub name: String,
    /// The module it is declared in, from the target's root.
    pub module: Vec<String>,
    /// Free, method, or trait item.
    pub owner: Owner,
    /// Declared inside another function's body (not reachable by path): that function, by its
    /// index in the file.
    pub parent: Option<usize>,
    /// Declared `pub` (not `pub(crate)`/`pub(super)`), or a trait impl's method.
    pub is_pub: bool,
    /// Has a body to analyze.
    pub has_body: bool,
    /// `async fn`.
    pub is_async: bool,
    /// What its signature says it returns.
    pub declared: Option<Returns>,
    /// The reqwest values its parameters hold, by position (`self` included).
    pub params: Vec<Option<Returns>>,
    /// Where its name is.
    pub name_span: Span,
    /// Carries a web framework's handler attribute (`#[get("/")]`, `#[handler]`).
    pub handler_attr: bool,
    /// How it takes `self`, if it is a method.
    pub receiver: Option<Receiver>,
    /// A method of a blanket impl (`impl<F: Future> WithMetrics for F`): it applies to any
    /// value, futures of responses included.
    pub blanket: bool,
    /// The type its signature hands back, by name, when no reqwest type: `Response` in
    /// `-> Result<Response, Error>`; a wrapper of the crate makes it a response.
    pub returned_type: Option<String>,
}

/// How a method takes `self`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Receiver {
    /// `&self` or `&mut self`: it borrows.
    Ref,
    /// `self`: it takes the value.
    Value,
}

/// A `use` declaration of a module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseDecl {
    /// The name it binds, or `None` for a glob (`use a::*;`).
    pub alias: Option<String>,
    /// The path it names (for a glob, the module whose items it imports).
    pub path: Vec<String>,
}

/// One module's declarations in one file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ModuleOutline {
    /// The module's path from the target's root.
    pub path: Vec<String>,
    /// Its `use` declarations (also those inside its functions' bodies).
    pub uses: Vec<UseDecl>,
    /// Its child modules (inline or in files).
    pub children: Vec<String>,
}

/// A named field of a struct.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldOutline {
    /// The struct's name.
    pub owner: String,
    /// The field's name.
    pub name: String,
    /// Whether its type is a reqwest `Client`, also behind `Arc`, `Box`, `&`, so that
    /// `self.http.execute(req)` is known to be a request.
    pub client: bool,
    /// Its type's name through `Arc`, `Rc`, `Box` and references.
    pub ty: Option<String>,
    /// For a collection (`Vec<T>`, `VecDeque<T>`, a set, a slice or an array), its
    /// elements' type name through the same wrappers: what `for x in &self.field` binds.
    pub element: Option<String>,
}

/// What one file declares.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileOutline {
    /// The functions, in the order [`visit_fns`] visits them.
    pub fns: Vec<FnOutline>,
    /// The modules the file holds (its own and the inline ones).
    pub modules: Vec<ModuleOutline>,
    /// Named struct fields.
    pub fields: Vec<FieldOutline>,
    /// Structs with a field that holds a reqwest response: the crate's response wrappers,
    /// with those fields' names.
    pub wrappers: Vec<(String, Vec<String>)>,
    /// Trait impls: (self type, trait), by last path segment.
    pub trait_impls: Vec<(String, String)>,
    /// Structs with a field that holds a reqwest request builder: the crate's builder
    /// wrappers.
    pub builder_wrappers: Vec<String>,
}

/// One function of the crate map.
#[derive(Clone, Debug)]
pub struct FnDef {
    /// The file it is in (index of the analyzed files).
    pub file: usize,
    /// Its target (index into [`CrateMap::targets`]).
    pub target: usize,
    /// The declaration.
    pub outline: FnOutline,
}

impl FnDef {
    /// `Type::name` or `name`, as a note shows it.
    pub fn display_name(&self) -> String {
        match &self.outline.owner {
            Owner::Impl { self_ty, .. } => format!("{self_ty}::{}", self.outline.name),
            Owner::Trait { trait_name } => format!("{trait_name}::{}", self.outline.name),
            Owner::Free => self.outline.name.clone(),
        }
    }
}

/// A target of the package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Its crate name.
    pub name: String,
    /// Its kind.
    pub kind: TargetKind,
}

#[derive(Default, Debug)]
struct Scope {
    fns: HashMap<String, Vec<FnId>>,
    uses: Vec<UseDecl>,
    children: HashSet<String>,
}

/// The package's functions and the scopes that resolve paths to them.
#[derive(Default, Debug)]
pub struct CrateMap {
    /// The targets.
    pub targets: Vec<Target>,
    /// Every function, by [`FnId`].
    pub fns: Vec<FnDef>,
    /// Where each file's functions start in [`CrateMap::fns`].
    pub file_fns: Vec<std::ops::Range<FnId>>,
    /// The place of each file.
    pub places: Vec<(usize, Vec<String>)>,
    scopes: HashMap<(usize, Vec<String>), Scope>,
    /// Methods by `(self type, name)`.
    methods: HashMap<(String, String), Vec<FnId>>,
    /// Methods (impl and trait) by name alone.
    methods_by_name: HashMap<String, Vec<FnId>>,
    /// Trait names implemented for each type.
    impls_of: HashMap<String, HashSet<String>>,
    /// The crate's response wrappers: struct name → the fields that hold the response.
    pub wrappers: HashMap<String, Vec<String>>,
    /// The crate's request-builder wrappers, by struct name.
    pub builder_wrappers: HashSet<String>,
    /// Functions declared inside each function's body.
    nested: HashMap<FnId, Vec<FnId>>,
    /// Named fields: (struct, field) → whether it holds a reqwest `Client`.
    fields: HashMap<(String, String), bool>,
    /// Named fields: (struct, field) → their type's name.
    field_types: HashMap<(String, String), String>,
    /// Named fields holding collections: (struct, field) → their elements' type name.
    element_types: HashMap<(String, String), String>,
}

/// How deep `use` chains are followed.
const USE_DEPTH: usize = 12;

/// The glob-imported modules searched in one lookup, with the segments looked up there and the
/// least depth they were searched at.
type Globbed = HashMap<(usize, Vec<String>, Vec<String>), usize>;

impl CrateMap {
    /// Joins the outlines of the package's files (`None` for a file that did not parse),
    /// each at its place.
    pub fn build(files: &[(ModulePlace, Option<&FileOutline>)]) -> Self {
        let mut map = CrateMap::default();
        for (file, (place, outline)) in files.iter().enumerate() {
            let target = map.target_index(place);
            map.places.push((target, place.module.clone()));
            let start = map.fns.len();
            let Some(outline) = outline else {
                map.file_fns.push(start..start);
                continue;
            };
            for field in &outline.fields {
                let key = (field.owner.clone(), field.name.clone());
                map.fields.insert(key.clone(), field.client);
                if let Some(ty) = &field.ty {
                    map.field_types.insert(key.clone(), ty.clone());
                }
                if let Some(element) = &field.element {
                    map.element_types.insert(key, element.clone());
                }
            }
            for (name, fields) in &outline.wrappers {
                map.wrappers.insert(name.clone(), fields.clone());
            }
            map.builder_wrappers
                .extend(outline.builder_wrappers.iter().cloned());
            for (self_ty, trait_name) in &outline.trait_impls {
                map.impls_of
                    .entry(self_ty.clone())
                    .or_default()
                    .insert(trait_name.clone());
            }
            for module in &outline.modules {
                let scope = map.scopes.entry((target, module.path.clone())).or_default();
                scope.uses.extend(module.uses.iter().cloned());
                scope.children.extend(module.children.iter().cloned());
            }
            for function in &outline.fns {
                let id = map.fns.len();
                map.fns.push(FnDef {
                    file,
                    target,
                    outline: function.clone(),
                });
                if let Some(parent) = function.parent {
                    map.nested.entry(start + parent).or_default().push(id);
                    continue;
                }
                match &function.owner {
                    Owner::Free => map
                        .scopes
                        .entry((target, function.module.clone()))
                        .or_default()
                        .fns
                        .entry(function.name.clone())
                        .or_default()
                        .push(id),
                    Owner::Impl {
                        self_ty,
                        trait_name,
                    } => {
                        map.methods
                            .entry((self_ty.clone(), function.name.clone()))
                            .or_default()
                            .push(id);
                        map.methods_by_name
                            .entry(function.name.clone())
                            .or_default()
                            .push(id);
                        if let Some(trait_name) = trait_name {
                            map.impls_of
                                .entry(self_ty.clone())
                                .or_default()
                                .insert(trait_name.clone());
                        }
                    }
                    Owner::Trait { .. } => map
                        .methods_by_name
                        .entry(function.name.clone())
                        .or_default()
                        .push(id),
                }
            }
            map.file_fns.push(start..map.fns.len());
        }
        // A function handing back one of the crate's wrappers returns what it wraps.
        for def in &mut map.fns {
            let outline = &mut def.outline;
            let Some(name) = outline.returned_type.as_ref() else {
                continue;
            };
            let kind = if map.wrappers.contains_key(name) {
                super::types::Kind::Response
            } else if map.builder_wrappers.contains(name) {
                super::types::Kind::Builder
            } else {
                continue;
            };
            if outline.declared.is_none() {
                outline.declared = Some(Returns {
                    kind,
                    future: outline.is_async,
                });
            }
        }
        // Parent modules know their children even when only the child's file declares them.
        let keys: Vec<(usize, Vec<String>)> = map.scopes.keys().cloned().collect();
        for (target, path) in keys {
            for depth in 1..=path.len() {
                let parent = (target, path[..depth - 1].to_vec());
                map.scopes
                    .entry(parent)
                    .or_default()
                    .children
                    .insert(path[depth - 1].clone());
            }
        }
        map
    }

    fn target_index(&mut self, place: &ModulePlace) -> usize {
        let target = Target {
            name: place.target.clone(),
            kind: place.kind,
        };
        match self.targets.iter().position(|known| *known == target) {
            Some(index) => index,
            None => {
                self.targets.push(target);
                self.targets.len() - 1
            }
        }
    }

    /// The functions a path used in `module` of `target` may name. `self_ty` is the type of
    /// the enclosing impl, for `Self::f`. Empty when it names nothing of the package (an
    /// external or local item); several when it cannot be told apart.
    pub fn resolve(
        &self,
        target: usize,
        module: &[String],
        segments: &[String],
        self_ty: Option<&str>,
        from: Option<FnId>,
    ) -> Vec<FnId> {
        // A function declared in the calling function's body (or an enclosing one's).
        if let ([name], Some(from)) = (segments, from) {
            let mut scope = Some(from);
            while let Some(function) = scope {
                let found: Vec<FnId> = self
                    .nested
                    .get(&function)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|id| self.fns[*id].outline.name == *name)
                    .collect();
                if !found.is_empty() {
                    return found;
                }
                scope = self.fns[function]
                    .outline
                    .parent
                    .map(|parent| self.file_fns[self.fns[function].file].start + parent);
            }
        }
        if let [first, name] = segments {
            if first == "Self" {
                return self_ty
                    .map(|ty| self.methods_of(ty, name))
                    .unwrap_or_default();
            }
        }
        self.resolve_path(target, module, segments, 0, &mut HashMap::default())
    }

    fn resolve_path(
        &self,
        target: usize,
        module: &[String],
        segments: &[String],
        depth: usize,
        globbed: &mut Globbed,
    ) -> Vec<FnId> {
        if depth > USE_DEPTH || segments.is_empty() {
            return Vec::new();
        }
        match segments[0].as_str() {
            "crate" => self.resolve_in(target, &[], &segments[1..], depth, globbed),
            "self" => self.resolve_in(target, module, &segments[1..], depth, globbed),
            "super" => {
                let supers = segments.iter().take_while(|s| *s == "super").count();
                if supers > module.len() {
                    return Vec::new();
                }
                self.resolve_in(
                    target,
                    &module[..module.len() - supers],
                    &segments[supers..],
                    depth,
                    globbed,
                )
            }
            first => {
                let found = self.resolve_in(target, module, segments, depth, globbed);
                if !found.is_empty() {
                    return found;
                }
                // A binary (or test) reaching the library by its crate name.
                match self.lib_named(first) {
                    Some(lib) if lib != target => {
                        self.resolve_in(lib, &[], &segments[1..], depth, globbed)
                    }
                    _ => Vec::new(),
                }
            }
        }
    }

    fn lib_named(&self, name: &str) -> Option<usize> {
        self.targets
            .iter()
            .position(|t| t.kind == TargetKind::Lib && t.name == name)
    }

    /// `segments` looked up among what `module` declares and imports.
    fn resolve_in(
        &self,
        target: usize,
        module: &[String],
        segments: &[String],
        depth: usize,
        globbed: &mut Globbed,
    ) -> Vec<FnId> {
        let Some((first, rest)) = segments.split_first() else {
            return Vec::new();
        };
        let scope = self.scopes.get(&(target, module.to_vec()));
        if rest.is_empty() {
            if let Some(found) = scope.and_then(|s| s.fns.get(first)) {
                return found.clone();
            }
        } else if scope.is_some_and(|s| s.children.contains(first)) {
            let mut child = module.to_vec();
            child.push(first.clone());
            return self.resolve_in(target, &child, rest, depth + 1, globbed);
        }
        let Some(scope) = scope else {
            return Vec::new();
        };
        for decl in &scope.uses {
            if decl.alias.as_deref() == Some(first.as_str()) {
                let mut path = decl.path.clone();
                path.extend(rest.iter().cloned());
                let found = self.resolve_path(target, module, &path, depth + 1, globbed);
                if !found.is_empty() {
                    return found;
                }
                // `use crate::api::Api;` then `Api::get(..)`: a type's associated function.
                if let ([name], Some(ty)) = (rest, decl.path.last()) {
                    return self.methods_of(ty, name);
                }
                return Vec::new();
            }
        }
        if let [name] = rest {
            let found = self.methods_of(first, name);
            if !found.is_empty() {
                return found;
            }
        }
        for decl in scope.uses.iter().filter(|decl| decl.alias.is_none()) {
            let Some(glob) = self.module_of(target, module, &decl.path, depth + 1) else {
                continue;
            };
            if glob == (target, module.to_vec()) {
                continue;
            }
            // Globs re-export each other (`use super::*` in every test module, `pub use
            // a::*` chains), and searching them all again at every level is exponential. A
            // module already searched for these segments at this depth or less found nothing
            // (or is being searched further up, which finds what it holds).
            let key = (glob.0, glob.1.clone(), segments.to_vec());
            if globbed.get(&key).is_some_and(|&at| at <= depth + 1) {
                continue;
            }
            globbed.insert(key, depth + 1);
            let found = self.resolve_in(glob.0, &glob.1, segments, depth + 1, globbed);
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// The module a path used in `module` names, if it is one of the package's.
    fn module_of(
        &self,
        target: usize,
        module: &[String],
        path: &[String],
        depth: usize,
    ) -> Option<(usize, Vec<String>)> {
        if depth > USE_DEPTH {
            return None;
        }
        let (mut current, rest): (Vec<String>, &[String]) = match path.first()?.as_str() {
            "crate" => (Vec::new(), &path[1..]),
            "self" => (module.to_vec(), &path[1..]),
            "super" => {
                let supers = path.iter().take_while(|s| *s == "super").count();
                if supers > module.len() {
                    return None;
                }
                (module[..module.len() - supers].to_vec(), &path[supers..])
            }
            _ => (module.to_vec(), path),
        };
        for segment in rest {
            let scope = self.scopes.get(&(target, current.clone()))?;
            if scope.children.contains(segment) {
                current.push(segment.clone());
                continue;
            }
            let decl = scope
                .uses
                .iter()
                .find(|decl| decl.alias.as_deref() == Some(segment.as_str()))?;
            let (t, m) = self.module_of(target, &current, &decl.path, depth + 1)?;
            if t != target {
                return None;
            }
            current = m;
        }
        Some((target, current))
    }

    /// The methods called `name` of the type called `ty` (inherent, trait impls, and the
    /// default bodies of the traits it implements).
    pub fn methods_of(&self, ty: &str, name: &str) -> Vec<FnId> {
        let mut found = self
            .methods
            .get(&(ty.to_owned(), name.to_owned()))
            .cloned()
            .unwrap_or_default();
        if found.is_empty() {
            if let Some(traits) = self.impls_of.get(ty) {
                for id in self.methods_by_name.get(name).into_iter().flatten() {
                    if let Owner::Trait { trait_name } = &self.fns[*id].outline.owner {
                        if traits.contains(trait_name) && self.fns[*id].outline.has_body {
                            found.push(*id);
                        }
                    }
                }
            }
        }
        found
    }

    /// Whether a field holds a reqwest `Client`: `self.field` of the impl's type `owner` by its
    /// declaration; any other base only when every struct with a field of that name declares it
    /// a client.
    pub fn client_field(&self, owner: Option<&str>, field: &str) -> bool {
        if let Some(client) =
            owner.and_then(|owner| self.fields.get(&(owner.to_owned(), field.to_owned())))
        {
            return *client;
        }
        let mut found = false;
        for ((_, name), client) in &self.fields {
            if name == field {
                if !client {
                    return false;
                }
                found = true;
            }
        }
        found
    }

    /// The type name of the field `field` of the struct `owner`.
    pub fn field_type(&self, owner: &str, field: &str) -> Option<String> {
        self.field_types
            .get(&(owner.to_owned(), field.to_owned()))
            .cloned()
    }

    /// The type name of the elements of the collection field `field` of the struct `owner`.
    pub fn element_type(&self, owner: &str, field: &str) -> Option<String> {
        self.element_types
            .get(&(owner.to_owned(), field.to_owned()))
            .cloned()
    }

    /// Whether the type called `ty` implements a trait called `trait_name`.
    pub fn implements(&self, ty: &str, trait_name: &str) -> bool {
        self.impls_of
            .get(ty)
            .is_some_and(|traits| traits.contains(trait_name))
    }

    /// Every method (impl or trait) called `name`.
    pub fn methods_named(&self, name: &str) -> &[FnId] {
        self.methods_by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// The order in which a file's functions are numbered: every `fn` item, impl method and trait
/// method (with a body or not), depth first, in source order. Both the outline and the
/// analysis walk files in this order, so the k-th function met is the file's k-th [`FnId`].
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
            .collect(),
        trait_impls: trait_impls(file),
    }
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
                        ty: unwrapped_type_name(&field.ty),
                        element: element_type_name(&field.ty),
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
fn unwrapped_type_name(ty: &syn::Type) -> Option<String> {
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
fn element_type_name(ty: &syn::Type) -> Option<String> {
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

fn is_client_type(names: &Names, ty: &syn::Type) -> bool {
    names.type_item(ty) == Some(super::names::ReqwestItem::Client)
        || super::names::wrapped_in(ty, &["Arc", "Rc", "Box"], |inner| {
            is_client_type(names, inner)
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

fn is_self(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Self"))
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
            syn::Item::Use(item) => use_decls(&item.tree, &mut here.uses),
            syn::Item::Mod(module) => {
                let name = syntax::name(&module.ident);
                here.children.push(name.clone());
                if let Some((_, items)) = &module.content {
                    inline.push((items, name));
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_types_of_collection_fields() {
        let cases = [
            ("Vec<std::sync::Arc<Image>>", Some("Image")),
            ("Arc<Vec<Box<Image>>>", Some("Image")),
            ("&'a [Image]", Some("Image")),
            ("[Image; 4]", Some("Image")),
            ("std::collections::VecDeque<&'a r#Image>", Some("Image")),
            ("HashMap<String, Image>", None),
            ("Option<Vec<Image>>", None),
            ("Image", None),
        ];
        for (ty, expected) in cases {
            let parsed: syn::Type = syn::parse_str(ty).unwrap();
            assert_eq!(element_type_name(&parsed).as_deref(), expected, "{ty}");
        }
    }

    fn map(files: &[(&str, &str)]) -> CrateMap {
        let parsed: Vec<(ModulePlace, syn::File, String)> = files
            .iter()
            .map(|(path, text)| {
                let place = ModulePlace::infer(std::path::Path::new(path), "app", true);
                (place, syn::parse_file(text).unwrap(), text.to_string())
            })
            .collect();
        let outlines: Vec<FileOutline> = parsed
            .iter()
            .map(|(place, file, text)| {
                let names = Names::collect(file);
                let source_map = SourceMap::new(text);
                outline(file, &names, &source_map, &place.module)
            })
            .collect();
        let inputs: Vec<(ModulePlace, Option<&FileOutline>)> = parsed
            .iter()
            .zip(&outlines)
            .map(|((place, _, _), outline)| (place.clone(), Some(outline)))
            .collect();
        CrateMap::build(&inputs)
    }

    fn names(map: &CrateMap, ids: &[FnId]) -> Vec<String> {
        ids.iter()
            .map(|id| {
                format!(
                    "{}::{}",
                    map.fns[*id].outline.module.join("::"),
                    map.fns[*id].display_name()
                )
            })
            .collect()
    }

    fn segs(path: &str) -> Vec<String> {
        path.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn resolves_through_the_module_tree() {
        let m = map(&[
            (
                "src/lib.rs",
                "mod a; mod b; pub use a::fetch as get_it; fn fetch() {} use b::*;",
            ),
            (
                "src/a.rs",
                "pub fn fetch() {} mod inner { fn g() { super::fetch(); } }",
            ),
            (
                "src/b.rs",
                "pub fn only_b() {} pub struct Api; impl Api { pub fn call(&self) {} }",
            ),
            ("src/main.rs", "fn main() { app::get_it(); }"),
        ]);
        let lib = 0;
        let at = |module: &str, path: &str| {
            let module: Vec<String> = if module.is_empty() {
                vec![]
            } else {
                segs(module)
            };
            names(&m, &m.resolve(lib, &module, &segs(path), None, None))
        };
        assert_eq!(at("", "fetch"), ["::fetch"]);
        assert_eq!(at("a", "fetch"), ["a::fetch"]);
        assert_eq!(at("a::inner", "super::fetch"), ["a::fetch"]);
        assert_eq!(at("", "get_it"), ["a::fetch"]);
        assert_eq!(at("a", "crate::fetch"), ["::fetch"]);
        assert_eq!(at("", "only_b"), ["b::only_b"]);
        assert_eq!(at("", "Api::call"), ["b::Api::call"]);
        assert_eq!(at("a", "fetch_nothing"), Vec::<String>::new());
        let bin = m
            .targets
            .iter()
            .position(|t| t.kind == TargetKind::Bin)
            .unwrap();
        assert_eq!(
            names(&m, &m.resolve(bin, &[], &segs("app::get_it"), None, None)),
            ["a::fetch"]
        );
        assert_eq!(
            names(&m, &m.resolve(bin, &[], &segs("fetch"), None, None)),
            Vec::<String>::new()
        );
    }
}

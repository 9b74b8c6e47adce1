//! The package's own functions and how paths resolve to them, through the module tree of each
//! target: `crate::`, `super::`, `self::`, `use` of crate items (renames and globs included),
//! `Self::f`, `Type::f` and methods by their impl's type. A definition in the enclosing module
//! shadows others; what stays ambiguous resolves to several candidates, and callers treat that
//! as "cannot tell".
//!
//! Each file contributes a [`FileOutline`] (plain data, built where the file was parsed);
//! [`CrateMap::build`] joins them.

// Names hashed on every lookup: rustc's hasher, not SipHash.
mod outline;
mod public_api;
mod visit;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::{Deserialize, Serialize};

use super::place::{ModulePlace, TargetKind};
use super::types::Returns;
use crate::diagnostic::Span;

pub use outline::outline;
pub(crate) use outline::unwrapped_type_name;
pub use visit::{visit_fns, FnRef, FnVisitor};

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
    /// Carries an attribute macro (not one of the language's attributes): generated code
    /// wires it to a framework (`#[tauri::command]`, `#[tracing::instrument]`), out of the
    /// crate's sight.
    pub macro_attr: bool,
    /// Carries a framework's command attribute (`#[tauri::command]`): the framework calls it
    /// from out of the crate's sight, once per invocation.
    #[serde(default)]
    pub command_attr: bool,
    /// How it takes `self`, if it is a method.
    pub receiver: Option<Receiver>,
    /// A method of a blanket impl (`impl<F: Future> WithMetrics for F`): it applies to any
    /// value, futures of responses included.
    pub blanket: bool,
    /// The type its signature hands back, by name, when no reqwest type: `Response` in
    /// `-> Result<Response, Error>`; a wrapper of the crate makes it a response.
    pub returned_type: Option<String>,
    /// A predicate over its parameters: a `bool` function whose body is one expression on
    /// them (`fn is_missing(status: StatusCode) -> bool { status == 404 || status == 501 }`).
    /// A condition that calls it reads its body in its place.
    #[serde(default)]
    pub predicate: Option<Predicate>,
    /// Its body sends an OAuth 2.0 grant that signs a user in: a `grant_type` of
    /// `authorization_code` or `password` (RFC 6749, 4.1.3 and 4.3.2). Signing in is once per
    /// session by protocol.
    #[serde(default)]
    pub signs_in: bool,
}

/// The body of a predicate function, to be read in place of its calls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Predicate {
    /// The parameters' names, by position (no `self`).
    pub params: Vec<String>,
    /// The body's expression, as tokens.
    pub body: String,
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
    /// The child modules it declares without `pub` (`mod a;`, `pub(crate) mod b;`): what
    /// they hold is out of the public API unless re-exported.
    pub private_children: Vec<String>,
    /// Its `pub use` declarations: what it re-exports.
    pub reexports: Vec<UseDecl>,
    /// The types it declares `pub` (structs, enums, unions, aliases): an inherent method of
    /// one is public API wherever its `impl` block is.
    #[serde(default)]
    pub pub_types: Vec<String>,
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
    /// Whether its type makes a client: a reqwest `ClientBuilder` (`self.builder.build()`),
    /// or an `Option<Client>` (`self.client.unwrap_or_default()`).
    #[serde(default)]
    pub builds_client: bool,
    /// Its type's name through `Arc`, `Rc`, `Box` and references.
    pub ty: Option<String>,
    /// For a collection (`Vec<T>`, `VecDeque<T>`, a set, a slice or an array), its
    /// elements' type name through the same wrappers: what `for x in &self.field` binds.
    pub element: Option<String>,
    /// Declared `pub`: a value of its type is in reach of whoever reaches the struct.
    #[serde(default)]
    pub public: bool,
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
    /// The names of the `macro_rules!` macros it defines.
    #[serde(default)]
    pub macros: Vec<String>,
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

impl FnOutline {
    /// The type of an inherent method (`impl T { fn f() }`): not a trait's, nor a free
    /// function's.
    pub fn inherent_type(&self) -> Option<&str> {
        match &self.owner {
            Owner::Impl {
                self_ty,
                trait_name: None,
            } => Some(self_ty),
            _ => None,
        }
    }
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
    /// Built only with features the package does not enable by default.
    pub optional: bool,
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
    /// The names of the crate's `macro_rules!` macros.
    pub macros: HashSet<String>,
    /// Functions declared inside each function's body.
    nested: HashMap<FnId, Vec<FnId>>,
    /// Named fields: (struct, field) → whether it holds a reqwest `Client`.
    fields: HashMap<(String, String), bool>,
    /// Named fields: (struct, field) → their type's name.
    field_types: HashMap<(String, String), String>,
    /// Named fields holding collections: (struct, field) → their elements' type name.
    element_types: HashMap<(String, String), String>,
    /// Modules declared without `pub`, by (target, path).
    private_modules: HashSet<(usize, Vec<String>)>,
    /// Every `pub use` of each target, by the module that declares it.
    reexports: Vec<(usize, Vec<String>, UseDecl)>,
    /// The `pub use` declarations of modules the crate root reaches, by target: the path each
    /// names from the root, and whether it names an item (or a module) rather than a glob's
    /// contents. Resolved once from [`CrateMap::reexports`] for [`CrateMap::is_public_api`].
    exports: Vec<(usize, Vec<String>, bool)>,
    /// The modules declaring each `pub` type, by (target, path).
    type_modules: HashMap<String, Vec<(usize, Vec<String>)>>,
    /// The `pub` fields' types, by struct: (struct, field's type).
    pub_field_types: Vec<(String, String)>,
    /// The crate's types a user of its library can reach: declared `pub` where the crate root
    /// reaches them, re-exported, or the type of a `pub` field of such a type or of what a
    /// public function returns (`openweather.current.call(..)` with `Current` in a private
    /// module). See [`CrateMap::is_public_api`].
    public_types: HashSet<String>,
    /// Named fields whose type makes a client (see [`FieldOutline::builds_client`]).
    builds_client: HashSet<(String, String)>,
    /// Structs that hold a reqwest `Client` (or what makes one): in a field, or in a field of
    /// one of the crate's structs that does (a field of a field).
    client_holders: HashSet<String>,
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
                if field.builds_client {
                    map.builds_client.insert(key.clone());
                }
                if let Some(ty) = &field.ty {
                    map.field_types.insert(key.clone(), ty.clone());
                }
                if let Some(element) = &field.element {
                    map.element_types.insert(key, element.clone());
                }
                if let (true, Some(ty)) = (field.public, &field.ty) {
                    map.pub_field_types.push((field.owner.clone(), ty.clone()));
                }
            }
            for (name, fields) in &outline.wrappers {
                map.wrappers.insert(name.clone(), fields.clone());
            }
            map.builder_wrappers
                .extend(outline.builder_wrappers.iter().cloned());
            map.macros.extend(outline.macros.iter().cloned());
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
                for child in &module.private_children {
                    let mut path = module.path.clone();
                    path.push(child.clone());
                    map.private_modules.insert((target, path));
                }
                for decl in &module.reexports {
                    map.reexports
                        .push((target, module.path.clone(), decl.clone()));
                }
                for ty in &module.pub_types {
                    map.type_modules
                        .entry(ty.clone())
                        .or_default()
                        .push((target, module.path.clone()));
                }
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
            let Some(mut name) = outline.returned_type.as_ref() else {
                continue;
            };
            // `-> Self` in an impl is the impl's type.
            if let (true, Owner::Impl { self_ty, .. }) = (name == "Self", &outline.owner) {
                name = self_ty;
            }
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
        // Structs holding a client, through fields of the crate's structs.
        for ((owner, _), client) in &map.fields {
            if *client {
                map.client_holders.insert(owner.clone());
            }
        }
        for (owner, _) in &map.builds_client {
            map.client_holders.insert(owner.clone());
        }
        loop {
            let more: Vec<String> = map
                .field_types
                .iter()
                .filter(|((owner, _), ty)| {
                    map.client_holders.contains(*ty) && !map.client_holders.contains(owner)
                })
                .map(|((owner, _), _)| owner.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            map.client_holders.extend(more);
        }
        map.exports = map.resolved_exports();
        map.public_types = map.reachable_types();
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
            optional: place.optional,
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
                    .map(|ty| self.methods_near(ty, name, from))
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
                    let declared = self.module_of(
                        target,
                        module,
                        &decl.path[..decl.path.len() - 1],
                        depth + 1,
                    );
                    return self.methods_in(ty, name, declared);
                }
                return Vec::new();
            }
        }
        if let [name] = rest {
            let found = self.methods_in(first, name, Some((target, module.to_vec())));
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

    /// [`CrateMap::methods_of`], for the type named in `module`: when several types of the
    /// crate share the name, those whose impl is in that module, if any.
    fn methods_in(&self, ty: &str, name: &str, module: Option<(usize, Vec<String>)>) -> Vec<FnId> {
        let found = self.methods_of(ty, name);
        let Some((target, module)) = module.filter(|_| found.len() > 1) else {
            return found;
        };
        let near: Vec<FnId> = found
            .iter()
            .copied()
            .filter(|id| self.fns[*id].target == target && self.fns[*id].outline.module == module)
            .collect();
        if near.is_empty() {
            found
        } else {
            near
        }
    }

    /// [`CrateMap::methods_of`] for the type called `ty` where function `from`'s module names
    /// it: when several types of the crate share the name, those whose impl is in the module
    /// the name leads to (declared there, or imported from there through `use` chains), then
    /// those in `from`'s file.
    pub fn methods_named_from(&self, ty: &str, name: &str, from: FnId) -> Vec<FnId> {
        let def = &self.fns[from];
        let home = self.type_home(def.target, &def.outline.module, ty, 0);
        let found = self.methods_in(ty, name, Some(home));
        if found.len() > 1 {
            let near = self.methods_near(ty, name, Some(from));
            if near.len() < found.len() {
                return near;
            }
        }
        found
    }

    /// The module the type name `ty` used in `module` leads to: where a `use` of that name
    /// points (followed through re-exports), or `module` itself.
    fn type_home(
        &self,
        target: usize,
        module: &[String],
        ty: &str,
        depth: usize,
    ) -> (usize, Vec<String>) {
        let here = (target, module.to_vec());
        if depth > USE_DEPTH {
            return here;
        }
        let Some(scope) = self.scopes.get(&here) else {
            return here;
        };
        let Some(decl) = scope
            .uses
            .iter()
            .find(|decl| decl.alias.as_deref() == Some(ty))
        else {
            return here;
        };
        let Some((last, prefix)) = decl.path.split_last() else {
            return here;
        };
        match self.module_of(target, module, prefix, depth + 1) {
            Some((t, m)) if (t, &m) != (target, &here.1) || last != ty => {
                self.type_home(t, &m, last, depth + 1)
            }
            _ => here,
        }
    }

    /// [`CrateMap::methods_of`], seen from function `from`: when several types of the crate
    /// share the name (`VideoFetcher` and `blocking::VideoFetcher`), the methods declared in
    /// `from`'s own file, if any, are those of `from`'s type.
    pub fn methods_near(&self, ty: &str, name: &str, from: Option<FnId>) -> Vec<FnId> {
        let found = self.methods_of(ty, name);
        let Some(file) = from
            .filter(|_| found.len() > 1)
            .map(|from| self.fns[from].file)
        else {
            return found;
        };
        let near: Vec<FnId> = found
            .iter()
            .copied()
            .filter(|id| self.fns[*id].file == file)
            .collect();
        if near.is_empty() {
            found
        } else {
            near
        }
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

    /// Whether the field `field` of the struct `owner` makes a client (a reqwest
    /// `ClientBuilder`, an `Option<Client>`).
    pub fn builds_client_field(&self, owner: &str, field: &str) -> bool {
        self.builds_client
            .contains(&(owner.to_owned(), field.to_owned()))
    }

    /// Whether the struct called `ty` holds a reqwest `Client` (or what makes one), in a field
    /// or in a field of a field.
    pub fn holds_client(&self, ty: &str) -> bool {
        self.client_holders.contains(ty)
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

#[cfg(test)]
mod tests {
    use super::outline::element_type_name;
    use super::*;
    use crate::model::names::Names;
    use crate::model::source_map::SourceMap;

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

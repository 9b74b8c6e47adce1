//! Which names in a file are reqwest's: `use` renames, module aliases and fully qualified paths.

use std::collections::HashSet;

use syn::visit::Visit;

use super::foreign::{ForeignCrate, Handoff};
use super::syntax::{self, Import};
use super::types::Returns;

/// A reqwest item the analysis cares about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReqwestItem {
    /// `reqwest::Client` or `reqwest::blocking::Client`.
    Client,
    /// `reqwest::Response` or `reqwest::blocking::Response`.
    Response,
    /// `reqwest::RequestBuilder` or its blocking twin.
    RequestBuilder,
    /// `reqwest::Request` or its blocking twin: a built request, which carries its method as
    /// a builder does.
    Request,
    /// `reqwest::get` or `reqwest::blocking::get`.
    Get,
    /// `reqwest::ClientBuilder` or its blocking twin.
    ClientBuilder,
    /// A middleware's next handler (`reqwest_middleware::Next`): `run(req, ext)` sends.
    Next,
    /// A builder that wraps an existing client (`reqwest_middleware::ClientBuilder::new(c)`):
    /// no pool of its own.
    WrappingClientBuilder,
}

impl ReqwestItem {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "Client" => Some(ReqwestItem::Client),
            "Response" => Some(ReqwestItem::Response),
            "RequestBuilder" => Some(ReqwestItem::RequestBuilder),
            "Request" => Some(ReqwestItem::Request),
            "get" => Some(ReqwestItem::Get),
            "ClientBuilder" => Some(ReqwestItem::ClientBuilder),
            _ => None,
        }
    }
}

/// The reqwest names in scope in one file.
#[derive(Debug, Default)]
pub struct Names {
    /// Other crates' reqwest-like items, and the names those crates go by here.
    foreign: Vec<(String, usize)>,
    /// The foreign crates' tables.
    foreign_crates: std::sync::Arc<[ForeignCrate]>,
    /// Bare names bound to a foreign crate's function that returns a reqwest value (`use
    /// sdk::fetch;`): (name here, crate, function's own name).
    foreign_functions: Vec<(String, usize, String)>,
    /// Bare names bound to a foreign crate's item that is, or has, a constructor (`use
    /// async_openai::Client;`, `use sdk::connect;`): (name here, crate, item's own name).
    foreign_items: Vec<(String, usize, String)>,
    /// Names of the reqwest crate (`reqwest`, or `http` after `use reqwest as http;`).
    crate_aliases: HashSet<String>,
    /// Names of `reqwest::blocking` (`blocking` after `use reqwest::blocking;`).
    module_aliases: HashSet<String>,
    /// Bare names bound to a reqwest item (`Http` after `use reqwest::Client as Http;`).
    items: Vec<(String, ReqwestItem)>,
}

impl Names {
    /// Collects the `use` declarations of a parsed file (at any depth: modules, fn bodies),
    /// with reqwest's names only.
    #[cfg(test)]
    pub fn collect(file: &syn::File) -> Self {
        Names::collect_with(file, std::sync::Arc::from(Vec::new()))
    }

    /// Collects the `use` declarations of a parsed file, knowing `foreign` crates' items.
    pub fn collect_with(file: &syn::File, foreign: std::sync::Arc<[ForeignCrate]>) -> Self {
        let mut names = Names::default();
        names.crate_aliases.insert("reqwest".to_owned());
        names.foreign = foreign
            .iter()
            .enumerate()
            .map(|(index, krate)| (krate.name.clone(), index))
            .collect();
        names.foreign_crates = foreign;
        let mut collector = UseCollector { names: &mut names };
        collector.visit_file(file);
        names
    }

    /// The reqwest item a path names, if any (`reqwest::Client`, `blocking::Response`, `Http`).
    pub fn resolve_path(&self, path: &syn::Path) -> Option<ReqwestItem> {
        self.resolve_segments(&syntax::segments(path))
    }

    /// Like [`Names::resolve_path`], on identifier strings.
    pub fn resolve_segments(&self, segments: &[String]) -> Option<ReqwestItem> {
        let (last, prefix) = segments.split_last()?;
        let item = ReqwestItem::from_name(last);
        match prefix {
            // A bare `Request` may be the crate's own type of that name in another module of
            // the file (names are per file): only a path says it is reqwest's.
            [] => self
                .items
                .iter()
                .find(|(name, _)| name == last)
                .map(|(_, item)| *item)
                .filter(|item| *item != ReqwestItem::Request),
            [first, rest @ ..] => {
                let first = first.trim_start_matches("r#");
                let via_crate = self.crate_aliases.contains(first)
                    && (rest.is_empty() || (rest.len() == 1 && rest[0] == "blocking"));
                let via_module = self.module_aliases.contains(first) && rest.is_empty();
                if via_crate || via_module {
                    item
                } else {
                    self.foreign_crate(first)
                        .and_then(|krate| krate.type_item(last))
                }
            }
        }
    }

    /// The foreign crate a path's first segment names here.
    fn foreign_crate(&self, first: &str) -> Option<&ForeignCrate> {
        self.foreign
            .iter()
            .find(|(alias, _)| alias == first)
            .and_then(|(_, index)| self.foreign_crates.get(*index))
    }

    /// What a foreign crate's function a call path names returns (`sdk::fetch`, or `fetch`
    /// after `use sdk::fetch;`).
    pub fn foreign_function(&self, segments: &[String]) -> Option<Returns> {
        let (krate, name) = self.foreign_function_named(segments)?;
        krate.function(name)
    }

    /// What the foreign crate's function a call path names does with what it is given.
    pub fn foreign_handoff<'s>(&'s self, segments: &'s [String]) -> Option<&'s Handoff> {
        let (krate, name) = self.foreign_function_named(segments)?;
        krate.handoff(name)
    }

    /// The foreign crate a call path names a function of, and the function's own name
    /// (`sdk::fetch`, or `fetch` after `use sdk::fetch;`).
    fn foreign_function_named<'s>(
        &'s self,
        segments: &'s [String],
    ) -> Option<(&'s ForeignCrate, &'s str)> {
        match segments {
            [name] => {
                let (_, index, original) = self
                    .foreign_functions
                    .iter()
                    .find(|(alias, ..)| alias == name)?;
                Some((self.foreign_crates.get(*index)?, original))
            }
            [first, .., last] => Some((self.foreign_crate(first)?, last)),
            [] => None,
        }
    }

    /// The foreign constructor a call path names (`async_openai::Client::with_config`,
    /// `Client::with_config` after `use async_openai::Client;`, `sdk::connect`): the crate's
    /// function that builds a client and hands it back, as `crate::Type::function`.
    pub fn foreign_constructor(&self, segments: &[String]) -> Option<String> {
        let (name, prefix) = segments.split_last()?;
        let found = |krate: &ForeignCrate, ty: &str| {
            krate.constructs(ty, name).then(|| match ty {
                "" => format!("{}::{name}", krate.name),
                ty => format!("{}::{ty}::{name}", krate.name),
            })
        };
        match prefix {
            [] => self
                .foreign_items
                .iter()
                .filter(|(alias, _, _)| alias == name)
                .find_map(|(_, index, item)| {
                    let krate = self.foreign_crates.get(*index)?;
                    krate
                        .constructs("", item)
                        .then(|| format!("{}::{item}", krate.name))
                }),
            [ty] => self
                .foreign_items
                .iter()
                .filter(|(alias, _, _)| alias == ty)
                .find_map(|(_, index, item)| found(self.foreign_crates.get(*index)?, item))
                .or_else(|| found(self.foreign_crate(ty)?, "")),
            [first, .., last] => {
                let krate = self.foreign_crate(first.trim_start_matches("r#"))?;
                found(krate, last).or_else(|| found(krate, ""))
            }
        }
    }

    /// The foreign crates known here.
    pub fn foreign_crates(&self) -> &[ForeignCrate] {
        &self.foreign_crates
    }

    /// Which `Client` constructor a call path names: `new`, `default` or `builder` of
    /// `reqwest::Client`, `blocking::Client`, or an alias of either.
    pub fn client_constructor(&self, path: &syn::Path) -> Option<&'static str> {
        let segments = syntax::segments(path);
        let (last, prefix) = segments.split_last()?;
        match (self.resolve_segments(prefix), last.as_str()) {
            (Some(ReqwestItem::Client), "new") => Some("new"),
            (Some(ReqwestItem::Client), "default") => Some("default"),
            (Some(ReqwestItem::Client), "builder") => Some("builder"),
            (Some(ReqwestItem::ClientBuilder), "new" | "default") => Some("builder"),
            _ => None,
        }
    }

    /// Whether a type is a collection of responses (`Vec<Response>`, `HashMap<K, Response>`,
    /// `Vec<reqwest::Result<Response>>`), maybe inside `Result`/`Option`
    /// (`collect::<Result<Vec<Response>, _>>()`).
    pub fn collection_of_responses(&self, ty: &syn::Type) -> bool {
        let Some(last) = syntax::last_segment(ty) else {
            return false;
        };
        let types: Vec<&syn::Type> = syntax::type_arguments(last).collect();
        match syntax::name(&last.ident).as_str() {
            "Vec" | "VecDeque" | "LinkedList" | "BinaryHeap" | "SmallVec" => types
                .first()
                .is_some_and(|ty| self.is_response_or_result(ty)),
            "HashMap" | "BTreeMap" | "IndexMap" => types
                .get(1)
                .is_some_and(|ty| self.is_response_or_result(ty)),
            "Result" | "Option" => types
                .first()
                .is_some_and(|ty| self.collection_of_responses(ty)),
            _ => false,
        }
    }

    /// `Response`, or `Result<Response, _>`/`Option<Response>` (an element of a collection).
    fn is_response_or_result(&self, ty: &syn::Type) -> bool {
        if matches!(ty, syn::Type::Reference(_)) {
            return false;
        }
        if self.type_item(ty) == Some(ReqwestItem::Response) {
            return true;
        }
        let Some(last) = syntax::last_segment(ty) else {
            return false;
        };
        if !matches!(syntax::name(&last.ident).as_str(), "Result" | "Option") {
            return false;
        }
        syntax::type_arguments(last).next().is_some_and(|inner| {
            !matches!(inner, syn::Type::Reference(_))
                && self.type_item(inner) == Some(ReqwestItem::Response)
        })
    }

    /// The reqwest item a type names, looking through references and parentheses.
    pub fn type_item(&self, ty: &syn::Type) -> Option<ReqwestItem> {
        match ty {
            syn::Type::Path(path) if path.qself.is_none() => self.resolve_path(&path.path),
            syn::Type::Reference(reference) => self.type_item(&reference.elem),
            syn::Type::Paren(paren) => self.type_item(&paren.elem),
            syn::Type::Group(group) => self.type_item(&group.elem),
            _ => None,
        }
    }

    /// Whether a type *holds* a response: is one, or wraps one in `Option`, `Box`, `Rc`/`Arc`,
    /// `Mutex`/`RwLock`/`RefCell`/`Cell`, `OnceLock`/`OnceCell`/`LazyLock`/`Lazy`.
    /// Collections do not count (they belong to `collected_responses`).
    pub fn holds_response(&self, ty: &syn::Type) -> bool {
        self.holds(ty, false)
    }

    /// Whether a static's type holds responses: one, as [`Names::holds_response`] has it, or a
    /// collection of them behind the same wrappers (`Mutex<Vec<Response>>`,
    /// `LazyLock<HashMap<K, Response>>`): every one pins a connection for the process's life.
    pub fn static_holds_responses(&self, ty: &syn::Type) -> bool {
        self.holds(ty, true)
    }

    fn holds(&self, ty: &syn::Type, collections: bool) -> bool {
        match ty {
            syn::Type::Path(path) if path.qself.is_none() => {
                if self.resolve_path(&path.path) == Some(ReqwestItem::Response) {
                    return true;
                }
                if collections && self.collection_of_responses(ty) {
                    return true;
                }
                wrapped_in(
                    ty,
                    &[
                        "Option",
                        "Box",
                        "Rc",
                        "Arc",
                        "Mutex",
                        "RwLock",
                        "RefCell",
                        "Cell",
                        "OnceLock",
                        "OnceCell",
                        "LazyLock",
                        "Lazy",
                        "ManuallyDrop",
                    ],
                    |inner| self.holds(inner, collections),
                )
            }
            syn::Type::Paren(paren) => self.holds(&paren.elem, collections),
            syn::Type::Group(group) => self.holds(&group.elem, collections),
            _ => false,
        }
    }
}

/// Whether `ty` is one of `wrappers` (by its last path segment, `std::sync::Arc` or `Arc`)
/// with a type argument for which `inner` holds: `Arc<Mutex<T>>` for a check on `T`.
pub fn wrapped_in(ty: &syn::Type, wrappers: &[&str], inner: impl Fn(&syn::Type) -> bool) -> bool {
    let Some(last) = syntax::last_segment(ty) else {
        return false;
    };
    wrappers.iter().any(|wrapper| last.ident == wrapper) && syntax::type_arguments(last).any(inner)
}

struct UseCollector<'n> {
    names: &'n mut Names,
}

impl UseCollector<'_> {
    /// `use prefix::*;`: a foreign crate's types, or reqwest's items.
    fn glob(&mut self, prefix: &[String]) {
        if let Some(krate) = self.foreign_of(prefix) {
            let types: Vec<(String, ReqwestItem)> = krate.types.clone();
            let mut made: Vec<String> = krate
                .constructors
                .iter()
                .map(|(ty, name)| {
                    if ty.is_empty() {
                        name.clone()
                    } else {
                        ty.clone()
                    }
                })
                .collect();
            made.sort();
            made.dedup();
            if let Some(index) = self.foreign_index(prefix) {
                for item in made {
                    self.names.foreign_items.push((item.clone(), index, item));
                }
            }
            self.names.items.extend(types);
        } else if self.is_reqwest_module(prefix) {
            for name in [
                "Client",
                "Response",
                "RequestBuilder",
                "get",
                "ClientBuilder",
            ] {
                self.bind(prefix, name, name);
            }
        }
    }

    /// `prefix` is `reqwest` or `reqwest::blocking` (or an alias of either).
    fn is_reqwest_module(&self, prefix: &[String]) -> bool {
        let prefix: Vec<&str> = prefix
            .iter()
            .map(|s| s.as_str())
            .skip_while(|s| *s == "::" || *s == "crate")
            .collect();
        match prefix.as_slice() {
            [first] => {
                self.names.crate_aliases.contains(*first)
                    || self.names.module_aliases.contains(*first)
            }
            [first, "blocking"] => self.names.crate_aliases.contains(*first),
            _ => false,
        }
    }

    /// The index of the foreign crate a `use` prefix starts with.
    fn foreign_index(&self, prefix: &[String]) -> Option<usize> {
        let first = prefix.iter().find(|s| *s != "::")?;
        self.names
            .foreign
            .iter()
            .find(|(alias, _)| alias == first)
            .map(|(_, index)| *index)
    }

    /// The foreign crate a `use` prefix starts with.
    fn foreign_of(&self, prefix: &[String]) -> Option<&ForeignCrate> {
        let first = prefix.iter().find(|s| *s != "::")?;
        self.names.foreign_crate(first)
    }

    fn bind(&mut self, prefix: &[String], original: &str, alias: &str) {
        if prefix.is_empty() {
            if let Some(index) = self
                .names
                .foreign
                .iter()
                .find(|(name, _)| name == original)
                .map(|(_, index)| *index)
            {
                self.names.foreign.push((alias.to_owned(), index));
                return;
            }
        }
        let constructs = self.foreign_of(prefix).is_some_and(|krate| {
            krate
                .constructors
                .iter()
                .any(|(ty, name)| ty == original || (ty.is_empty() && name == original))
        });
        if let (true, Some(index)) = (constructs, self.foreign_index(prefix)) {
            self.names
                .foreign_items
                .push((alias.to_owned(), index, original.to_owned()));
        }
        if let Some(krate) = self.foreign_of(prefix) {
            if let Some(item) = krate.type_item(original) {
                self.names.items.push((alias.to_owned(), item));
            } else if let (Some(_), Some(index)) =
                (krate.function(original), self.foreign_index(prefix))
            {
                self.names
                    .foreign_functions
                    .push((alias.to_owned(), index, original.to_owned()));
            }
            return;
        }
        if prefix.is_empty() && original == "reqwest" {
            self.names.crate_aliases.insert(alias.to_owned());
        } else if original == "blocking"
            && prefix.len() == 1
            && self.names.crate_aliases.contains(&prefix[0])
        {
            self.names.module_aliases.insert(alias.to_owned());
        } else if self.is_reqwest_module(prefix) {
            if let Some(item) = ReqwestItem::from_name(original) {
                self.names.items.push((alias.to_owned(), item));
            }
        }
    }
}

impl<'ast> Visit<'ast> for UseCollector<'_> {
    /// `type ReqwestClient = reqwest::Client;`: the alias names the reqwest item in this file
    /// (a crate that switches between `reqwest` and `reqwest::blocking` with `#[cfg]`).
    fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
        if let syn::Type::Path(path) = &*item.ty {
            if let (None, Some(found)) = (&path.qself, self.names.resolve_path(&path.path)) {
                self.names.items.push((syntax::name(&item.ident), found));
            }
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        syntax::imports(&item.tree, &mut |import| match import {
            Import::Name {
                prefix,
                name,
                alias,
            } => self.bind(prefix, &name, &alias),
            Import::Glob { prefix } => self.glob(prefix),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(source: &str) -> Names {
        Names::collect(&syn::parse_file(source).unwrap())
    }

    fn path(text: &str) -> syn::Path {
        syn::parse_str(text).unwrap()
    }

    #[test]
    fn resolves_renames_and_module_aliases() {
        let n = names(
            "use reqwest::{Client as Http, Response as Resp}; use reqwest::blocking; use reqwest as rq;",
        );
        assert_eq!(n.resolve_path(&path("Http")), Some(ReqwestItem::Client));
        assert_eq!(n.resolve_path(&path("Resp")), Some(ReqwestItem::Response));
        assert_eq!(
            n.resolve_path(&path("blocking::Client")),
            Some(ReqwestItem::Client)
        );
        assert_eq!(n.resolve_path(&path("rq::get")), Some(ReqwestItem::Get));
        assert_eq!(
            n.resolve_path(&path("reqwest::blocking::Response")),
            Some(ReqwestItem::Response)
        );
        assert_eq!(n.resolve_path(&path("Response")), None);
        assert_eq!(n.resolve_path(&path("axum::Response")), None);
    }

    #[test]
    fn a_type_alias_of_a_reqwest_item_names_it() {
        let n = names(
            "#[cfg(not(feature = \"blocking\"))] pub(crate) type ReqwestClient = reqwest::Client;
             #[cfg(feature = \"blocking\")] pub(crate) type ReqwestClient = reqwest::blocking::Client;
             use reqwest::Response; type Resp = Response; type Json = serde_json::Value;",
        );
        assert_eq!(
            n.resolve_path(&path("ReqwestClient")),
            Some(ReqwestItem::Client)
        );
        assert_eq!(n.resolve_path(&path("Resp")), Some(ReqwestItem::Response));
        assert_eq!(n.resolve_path(&path("Json")), None);
    }

    #[test]
    fn self_in_a_group_names_the_module() {
        let n =
            names("use reqwest::{self as rq, blocking::{self as b}}; use reqwest::r#Client as C;");
        assert_eq!(n.resolve_path(&path("rq::get")), Some(ReqwestItem::Get));
        assert_eq!(
            n.resolve_path(&path("b::Client")),
            Some(ReqwestItem::Client)
        );
        assert_eq!(n.resolve_path(&path("C")), Some(ReqwestItem::Client));
        let n = names("use reqwest::Client as _;");
        assert_eq!(n.resolve_path(&path("Client")), None);
    }

    #[test]
    fn a_dependencys_constructors_by_path_and_by_use() {
        let sdk = ForeignCrate {
            name: "sdk".to_owned(),
            constructors: vec![
                ("Client".to_owned(), "with_config".to_owned()),
                (String::new(), "connect".to_owned()),
            ],
            ..ForeignCrate::default()
        };
        let segments = |text: &str| syntax::segments(&path(text));
        let file = syn::parse_file("use sdk::Client; use sdk::connect as open;").unwrap();
        let n = Names::collect_with(&file, std::sync::Arc::from(vec![sdk.clone()]));
        let found = |text: &str| n.foreign_constructor(&segments(text));
        assert_eq!(
            found("Client::with_config").as_deref(),
            Some("sdk::Client::with_config")
        );
        assert_eq!(
            found("sdk::Client::with_config").as_deref(),
            Some("sdk::Client::with_config")
        );
        assert_eq!(found("open").as_deref(), Some("sdk::connect"));
        assert_eq!(found("sdk::connect").as_deref(), Some("sdk::connect"));
        assert_eq!(found("Client::build"), None, "not a constructor");
        assert_eq!(found("other::Client::with_config"), None, "not the crate's");
        let glob = syn::parse_file("use sdk::*;").unwrap();
        let n = Names::collect_with(&glob, std::sync::Arc::from(vec![sdk]));
        assert_eq!(
            n.foreign_constructor(&segments("Client::with_config"))
                .as_deref(),
            Some("sdk::Client::with_config")
        );
    }

    #[test]
    fn bare_names_need_a_use() {
        let n = names("use axum::response::Response; fn f() {}");
        assert_eq!(n.resolve_path(&path("Response")), None);
        let n = names("use reqwest::*;");
        assert_eq!(
            n.resolve_path(&path("Response")),
            Some(ReqwestItem::Response)
        );
    }
}

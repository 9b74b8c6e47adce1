//! A dependency's reqwest-facing API, read from its sources: its public functions and methods
//! that return a reqwest response, client or request builder, and its types that act as one.
//! The front-end finds the sources (workspace mode) and caches the result; this module only
//! reads syntax trees.
//!
//! - A public struct that holds a reqwest response is a response (a wrapper).
//! - A public type with a `send(self..)` method that returns a response acts as a request
//!   builder; one with `get`/`post`/`put`/`patch`/`delete`/`head`/`request` methods that return
//!   a request builder (reqwest's or one of the crate's) acts as a client.
//! - A public free function, associated function or inherent method returns what its
//!   signature says, the crate's own acting types included (`-> Self`, `-> RequestBuilder`).
//!   A name is recorded only when every public item of the crate with that name agrees on
//!   what it returns: an ambiguous name stays "cannot tell". Builder steps (`header(self..)
//!   -> Self` on a builder) are left to the flow analysis, which keeps a chain a builder, and
//!   so are methods named like one of reqwest's (the value's shape tells those).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::context::FileContext;
use super::crate_map::{
    self, visit_fns, CrateMap, FileOutline, FnId, FnOutline, FnRef, FnVisitor, Owner,
};
use super::foreign::{self, ForeignCrate};
use super::names::{Names, ReqwestItem};
use super::place::{ModulePlace, TargetKind};
use super::source_map::SourceMap;
use super::summary::{Summaries, Summary};
use super::test_code;
use super::types::{Kind, Returns};

/// Rounds of the bodies' analysis beyond the first (as the driver's).
const MAX_ROUNDS: usize = 12;

/// Methods that start a request on a client.
const REQUEST_STARTS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "request"];

/// One parsed file of a dependency's library.
pub struct DepFile<'a> {
    /// Its syntax tree.
    pub tree: syn::File,
    /// Its text (for positions).
    pub text: &'a str,
    /// Its module path from the library's root.
    pub module: Vec<String>,
}

/// Indexes the library called `name` (as paths write it) from its files, knowing the items of
/// its own dependencies that were indexed before it (and the built-in tables). Test code is
/// left out. A file whose analysis panics is left out too: the index says less, never more.
pub fn index_crate(
    name: &str,
    files: Vec<DepFile<'_>>,
    dependencies: &[ForeignCrate],
) -> ForeignCrate {
    let known: Arc<[ForeignCrate]> = foreign::with_builtins(dependencies).into();
    let mut outlines = Vec::new();
    let mut public_types = HashSet::new();
    let mut kept = Vec::new();
    for mut file in files {
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            test_code::strip(&mut file.tree);
            let names = Names::collect_with(&file.tree, Arc::clone(&known));
            let map = SourceMap::new(file.text);
            let outline = crate_map::outline(&file.tree, &names, &map, &file.module);
            (outline, names)
        }));
        if let Ok((outline, names)) = read {
            // The file's `pub` structs, enums, unions and type aliases, module by module.
            public_types.extend(
                outline
                    .modules
                    .iter()
                    .flat_map(|module| module.pub_types.iter().cloned()),
            );
            outlines.push(outline);
            kept.push((file, names));
        }
    }
    let mut krate = derive(name, &outlines, &public_types);
    // What the bodies do: a panic of the analysis costs the constructors and handoffs,
    // nothing else.
    let (constructors, handoffs) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_bodies(name, &kept, &outlines)
    }))
    .unwrap_or_default();
    krate.constructors = constructors;
    krate.handoffs = handoffs;
    krate
}

/// What the crate's public functions do, by the flow analysis of its bodies, round after round
/// to a fixpoint as for the analyzed package, read from each function's summary:
/// - those that build a reqwest client and hand it back, alone or inside the value they return
///   (`Client::with_config(cfg)` whose body runs `reqwest::Client::new()`, `ReqwestClient::new(url)`
///   through its builder's `build()`; [`crate::flow::Summary::fresh_client`]). A function that
///   only stores a client it was given builds none;
/// - what those that return a reqwest value do with what they are given ([`foreign::Handoff`]),
///   by name, where every public function and method of that name agrees.
type BodyFacts = (Vec<(String, String)>, Vec<(String, foreign::Handoff)>);

fn read_bodies(name: &str, files: &[(DepFile<'_>, Names)], outlines: &[FileOutline]) -> BodyFacts {
    let places: Vec<(ModulePlace, Option<&FileOutline>)> = files
        .iter()
        .zip(outlines)
        .map(|((file, _), outline)| {
            let place = ModulePlace {
                target: name.to_owned(),
                kind: TargetKind::Lib,
                optional: false,
                module: file.module.clone(),
            };
            (place, Some(outline))
        })
        .collect();
    let map = CrateMap::build(&places);
    let maps: Vec<SourceMap<'_>> = files
        .iter()
        .map(|(file, _)| SourceMap::new(file.text))
        .collect();
    // Each function with a body, by id, with its file.
    let mut functions: Vec<(FnId, usize, FnRef<'_>)> = Vec::new();
    for (index, (file, _)) in files.iter().enumerate() {
        struct Collect<'ast>(Vec<FnRef<'ast>>);
        impl<'ast> FnVisitor<'ast> for Collect<'ast> {
            fn function(&mut self, function: FnRef<'ast>) {
                self.0.push(function);
            }
        }
        let mut found = Collect(Vec::new());
        visit_fns(&file.tree, &mut found);
        let range = map.file_fns[index].clone();
        if found.0.len() != range.len() {
            continue;
        }
        for (id, function) in range.zip(found.0) {
            if function.block.is_some() {
                functions.push((id, index, function));
            }
        }
    }
    let mut summaries: Vec<Summary> = map
        .fns
        .iter()
        .map(|def| Summary::declared(def.outline.declared, def.outline.params.len()))
        .collect();
    let mut readers: HashMap<FnId, HashSet<FnId>> = HashMap::new();
    let mut dirty: Option<HashSet<FnId>> = None;
    // A dependency's functions are read as the crate sees them: nothing is known of what its
    // callers pass, and no body is asked for beyond those the index reads.
    let no_wanted = std::collections::HashSet::new();
    for _ in 0..=MAX_ROUNDS {
        let snapshot = summaries.clone();
        let mut changed = Vec::new();
        for (id, file, function) in &functions {
            if dirty.as_ref().is_some_and(|dirty| !dirty.contains(id)) {
                continue;
            }
            let cx = FileContext {
                names: &files[*file].1,
                crate_map: &map,
                summaries: Summaries::new(&snapshot),
                map: &maps[*file],
                mentions_reqwest: true,
                given: &[],
                wanted: &no_wanted,
            };
            let facts = crate::flow::analyze_fn(&cx, *id, function);
            for read in cx.summaries.take_reads() {
                readers.entry(read).or_default().insert(*id);
            }
            let mut grown = summaries[*id].clone();
            grown.grow(&facts.summary);
            if grown != summaries[*id] {
                summaries[*id] = grown;
                changed.push(*id);
            }
        }
        let next: HashSet<FnId> = changed
            .iter()
            .flat_map(|id| readers.get(id).into_iter().flatten().copied())
            .collect();
        if next.is_empty() {
            break;
        }
        dirty = Some(next);
    }
    let mut found: Vec<(String, String)> = Vec::new();
    let mut handoffs: BTreeMap<&str, Vec<Option<foreign::Handoff>>> = BTreeMap::new();
    for (id, def) in map.fns.iter().enumerate() {
        let outline = &def.outline;
        if !outline.is_pub || outline.parent.is_some() {
            continue;
        }
        let (ty, inherent) = match &outline.owner {
            Owner::Free => (String::new(), true),
            Owner::Impl {
                self_ty,
                trait_name,
            } => (self_ty.clone(), trait_name.is_none()),
            Owner::Trait { .. } => continue,
        };
        if inherent && outline.declared.is_some() {
            handoffs
                .entry(&outline.name)
                .or_default()
                .push(foreign::Handoff::of(&summaries[id]));
        }
        if outline.receiver.is_some() || summaries[id].fresh_client.is_none() {
            continue;
        }
        found.push((ty, outline.name.clone()));
    }
    found.sort();
    found.dedup();
    let handoffs = handoffs
        .into_iter()
        .filter_map(|(name, all)| Some((name.to_owned(), agreed(all.into_iter())?)))
        .collect();
    (found, handoffs)
}

/// The index of a crate from its files' outlines and its public type names.
pub fn derive(
    name: &str,
    outlines: &[FileOutline],
    public_types: &HashSet<String>,
) -> ForeignCrate {
    let fns: Vec<&FnOutline> = outlines
        .iter()
        .flat_map(|outline| &outline.fns)
        .filter(|function| function.parent.is_none())
        .collect();
    let mut acting: HashMap<String, Kind> = HashMap::new();
    for outline in outlines {
        for (wrapper, _) in &outline.wrappers {
            if public_types.contains(wrapper) {
                acting.insert(wrapper.clone(), Kind::Response);
            }
        }
    }
    // Builders first, then the clients that hand them out.
    for _ in 0..2 {
        for function in &fns {
            let Some(self_ty) = function.inherent_type() else {
                continue;
            };
            if function.receiver.is_none()
                || !public_types.contains(self_ty)
                || acting.contains_key(self_ty)
            {
                continue;
            }
            let kind = match (
                function.name.as_str(),
                returns(function, &acting).map(|r| r.kind),
            ) {
                ("send", Some(Kind::Response)) => Kind::Builder,
                (start, Some(Kind::Builder)) if REQUEST_STARTS.contains(&start) => Kind::Client,
                _ => continue,
            };
            acting.insert(self_ty.to_owned(), kind);
        }
    }

    // Names every public item with that name agrees on.
    let mut free: BTreeMap<&str, Vec<Option<Returns>>> = BTreeMap::new();
    let mut methods: BTreeMap<&str, Vec<(&str, Option<Returns>)>> = BTreeMap::new();
    for function in &fns {
        if !function.is_pub {
            continue;
        }
        let found = returns(function, &acting);
        match (&function.owner, function.receiver) {
            (Owner::Free, _) => free.entry(&function.name).or_default().push(found),
            (
                Owner::Impl {
                    trait_name: None, ..
                },
                None,
            ) => free.entry(&function.name).or_default().push(found),
            (
                Owner::Impl {
                    self_ty,
                    trait_name: None,
                },
                Some(_),
            ) => methods
                .entry(&function.name)
                .or_default()
                .push((self_ty, found)),
            _ => {}
        }
    }
    let functions = free
        .into_iter()
        .filter_map(|(name, found)| Some((name.to_owned(), agreed(found.into_iter())?)))
        .collect();
    let mut method_table = Vec::new();
    for (name, found) in methods {
        // reqwest's own method names (`error_for_status` on a crate's response wrapper, `get`
        // on its client) are known by the value's shape; by name alone they would make any
        // `x.error_for_status()` a new response.
        if crate::flow::reqwest_api()
            .iter()
            .any(|(_, _, names)| names.contains(&name))
        {
            continue;
        }
        let Some(returns) = agreed(found.iter().map(|(_, returns)| *returns)) else {
            continue;
        };
        let mut types: Vec<&str> = found.iter().map(|(ty, _)| *ty).collect();
        types.sort_unstable();
        types.dedup();
        for ty in types {
            // A builder step (`header(self, ..) -> Self`): the flow analysis keeps a chain
            // that starts with a request a builder; recording it would make any `.header(..)`
            // a builder.
            if returns.kind == Kind::Builder && acting.get(ty) == Some(&Kind::Builder) {
                continue;
            }
            method_table.push((ty.to_owned(), name.to_owned(), returns));
        }
    }
    let mut types: Vec<(String, ReqwestItem)> = acting
        .into_iter()
        .map(|(name, kind)| {
            let item = match kind {
                Kind::Response => ReqwestItem::Response,
                Kind::Builder => ReqwestItem::RequestBuilder,
                Kind::Client => ReqwestItem::Client,
            };
            (name, item)
        })
        .collect();
    types.sort_by(|a, b| a.0.cmp(&b.0));
    ForeignCrate {
        name: name.to_owned(),
        types,
        functions,
        methods: method_table,
        constructors: Vec::new(),
        handoffs: Vec::new(),
    }
}

/// The type of an inherent impl's function.
/// What a function returns: what its signature says in reqwest's terms, or one of the crate's
/// acting types (`Self` included).
fn returns(function: &FnOutline, acting: &HashMap<String, Kind>) -> Option<Returns> {
    if function.declared.is_some() {
        return function.declared;
    }
    let named = function.returned_type.as_deref()?;
    let named = match (named, &function.owner) {
        ("Self", Owner::Impl { self_ty, .. }) => self_ty.as_str(),
        ("Self", _) => return None,
        (named, _) => named,
    };
    acting.get(named).map(|kind| Returns {
        kind: *kind,
        future: function.is_async,
    })
}

/// The one value every item agrees on (`None` when one has none, such as nothing of reqwest's
/// to return, or they disagree).
fn agreed<T: PartialEq>(mut found: impl Iterator<Item = Option<T>>) -> Option<T> {
    let first = found.next()??;
    found
        .all(|other| other.as_ref() == Some(&first))
        .then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(files: &[(&str, &str)], dependencies: &[ForeignCrate]) -> ForeignCrate {
        let parsed = files
            .iter()
            .map(|(module, text)| DepFile {
                tree: syn::parse_file(text).unwrap(),
                text,
                module: module
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
            .collect();
        index_crate("sdk", parsed, dependencies)
    }

    fn response(future: bool) -> Returns {
        Returns {
            kind: Kind::Response,
            future,
        }
    }

    #[test]
    fn acting_types_functions_and_methods() {
        let krate = index(
            &[
                (
                    "",
                    "mod client; pub use client::*;
                     pub async fn fetch(url: &str) -> reqwest::Result<reqwest::Response> { todo!() }
                     pub fn status(url: &str) -> u16 { 0 }
                     fn private() -> reqwest::Response { todo!() }",
                ),
                (
                    "client",
                    "use reqwest::{Client, Response};
                     pub struct Api { http: Client }
                     pub struct Call { inner: reqwest::RequestBuilder }
                     pub struct Raw { pub resp: Response }
                     impl Raw { pub fn error_for_status(self) -> Result<Self, Error> { todo!() } }
                     impl Api {
                         pub fn new() -> Self { todo!() }
                         pub fn get(&self, path: &str) -> Call { todo!() }
                         pub fn post(&self, path: &str) -> Call { todo!() }
                         pub async fn download(&self, id: u64) -> Result<Response, Error> { todo!() }
                         pub async fn raw(&self) -> Raw { todo!() }
                         pub fn http(&self) -> Client { self.http.clone() }
                         pub fn name(&self) -> &str { \"\" }
                     }
                     impl Call {
                         pub fn header(self, k: &str, v: &str) -> Self { self }
                         pub async fn send(self) -> Result<Response, Error> { todo!() }
                     }
                     pub struct Files;
                     impl Files { pub fn name(&self) -> Call { todo!() } }
                     impl std::fmt::Display for Api {
                         fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { todo!() }
                     }
                     #[cfg(test)]
                     mod tests { pub fn fixture() -> reqwest::Response { todo!() } }",
                ),
            ],
            &[],
        );
        assert_eq!(krate.name, "sdk");
        assert_eq!(
            krate.types,
            [
                ("Api".to_owned(), ReqwestItem::Client),
                ("Call".to_owned(), ReqwestItem::RequestBuilder),
                ("Raw".to_owned(), ReqwestItem::Response),
            ]
        );
        assert_eq!(
            krate.functions,
            [
                ("fetch".to_owned(), response(true)),
                ("new".to_owned(), Returns::now(Kind::Client)),
            ]
        );
        assert_eq!(
            krate.methods,
            [
                ("Api".to_owned(), "download".to_owned(), response(true)),
                (
                    "Api".to_owned(),
                    "http".to_owned(),
                    Returns::now(Kind::Client)
                ),
                ("Api".to_owned(), "raw".to_owned(), response(true)),
            ],
            "`get`, `post`, `send` and `error_for_status` are reqwest's names: the shapes tell"
        );
    }

    #[test]
    fn constructors_are_read_from_the_bodies() {
        let krate = index(
            &[(
                "",
                "use reqwest::Client;
                 use std::sync::Arc;
                 pub struct Exec { http: Client }
                 impl Exec { pub fn new(http: Client) -> Self { Exec { http } } }
                 pub struct Sdk<C> { http: Client, executor: Arc<Exec>, config: C }
                 impl<C> Sdk<C> {
                     pub fn with_config(config: C) -> Self {
                         let http = reqwest::Client::new();
                         Self { executor: Arc::new(Exec::new(http.clone())), http, config }
                     }
                     pub fn build(http: Client, config: C) -> Self {
                         Self { executor: Arc::new(Exec::new(http.clone())), http, config }
                     }
                 }
                 impl Default for Sdk<()> { fn default() -> Self { Self::with_config(()) } }
                 impl Sdk<()> { pub fn new() -> Self { Self::default() } }
                 pub fn connect() -> Sdk<()> { Sdk::new() }
                 fn private() -> Sdk<()> { Sdk::new() }
                 pub struct XrpcBuilder { base: String, client: Option<Client> }
                 impl XrpcBuilder {
                     pub fn new(base: &str) -> Self { XrpcBuilder { base: base.into(), client: None } }
                     pub fn build(self) -> Xrpc {
                         Xrpc { base: self.base, client: self.client.unwrap_or_default() }
                     }
                 }
                 pub struct Xrpc { base: String, client: Client }
                 impl Xrpc { pub fn new(base: &str) -> Xrpc { XrpcBuilder::new(base).build() } }",
            )],
            &[],
        );
        let found: Vec<(&str, &str)> = krate
            .constructors
            .iter()
            .map(|(ty, name)| (ty.as_str(), name.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("", "connect"),
                ("Sdk", "default"),
                ("Sdk", "new"),
                ("Sdk", "with_config"),
                ("Xrpc", "new"),
            ],
            "public functions without `self` whose bodies build a client and hand it back; \
             not `Sdk::build` nor `Exec::new`, which store the client they are given"
        );
    }

    #[test]
    fn handoffs_are_read_from_the_bodies() {
        let krate = index(
            &[(
                "",
                "use reqwest::{Method, RequestBuilder, Response};
                 pub struct Error;
                 pub async fn check(resp: Response) -> Result<Response, Error> {
                     if resp.status().is_success() { return Ok(resp); }
                     let _ = resp.text().await;
                     Err(Error)
                 }
                 pub async fn fetch(url: &str) -> Result<Response, Error> {
                     reqwest::get(url).await.map_err(|_| Error)
                 }
                 pub struct Api { http: reqwest::Client }
                 impl Api {
                     pub fn request(&self, method: Method, url: &str) -> RequestBuilder {
                         self.http.request(method, url)
                     }
                     pub async fn ok(&self, resp: Response) -> Result<Response, Error> {
                         check(resp).await
                     }
                 }
                 pub mod other { pub fn ok(r: reqwest::Response) -> reqwest::Response { r } }",
            )],
            &[],
        );
        let check = krate.handoff("check").expect("`check` says what it does");
        assert!(check.returns_checked);
        assert!(check.params[0].returns && check.params[0].reads);
        let request = krate
            .handoff("request")
            .expect("`request` carries its method");
        assert_eq!(
            request.request_from,
            Some(1),
            "the `Method` parameter, after `self`"
        );
        assert_eq!(krate.handoff("fetch"), None, "nothing beyond its signature");
        assert_eq!(
            krate.handoff("ok"),
            None,
            "two functions called `ok` that disagree"
        );
    }

    #[test]
    fn names_that_disagree_are_left_out() {
        let krate = index(
            &[(
                "",
                "pub mod a { pub fn fetch() -> reqwest::Response { todo!() } }
                 pub mod b { pub fn fetch() -> String { todo!() } }
                 pub struct X; impl X { pub fn open(&self) -> reqwest::Response { todo!() } }
                 pub struct Y; impl Y { pub async fn open(&self) -> reqwest::Response { todo!() } }",
            )],
            &[],
        );
        assert_eq!(krate.functions, []);
        assert_eq!(krate.methods, []);
    }

    #[test]
    fn a_dependency_index_types_the_signatures() {
        let middleware = ForeignCrate::reqwest_middleware();
        let krate = index(
            &[(
                "",
                "use reqwest_middleware::ClientWithMiddleware;
                 pub fn client() -> ClientWithMiddleware { todo!() }
                 pub fn request(c: &ClientWithMiddleware) -> reqwest_middleware::RequestBuilder { todo!() }",
            )],
            &[middleware],
        );
        assert_eq!(
            krate.functions,
            [
                ("client".to_owned(), Returns::now(Kind::Client)),
                ("request".to_owned(), Returns::now(Kind::Builder)),
            ]
        );
    }
}

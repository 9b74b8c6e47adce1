//! What other crates export that the analysis cares about: their types that are clients,
//! request builders or responses, and their functions and methods that return one. A built-in
//! table covers `reqwest-middleware` in every mode; in workspace mode the package's
//! dependencies that use reqwest are indexed from their sources (see `frontend::deps`).

use serde::{Deserialize, Serialize};

use super::names::ReqwestItem;
use super::summary::{ParamUse, RequestKind, Summary};
use super::types::{Kind, Returns};

/// The reqwest-related items one crate exports, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignCrate {
    /// The crate's name as paths write it (`reqwest_middleware`).
    pub name: String,
    /// Its types that are (or act as) a client, a request builder or a response.
    pub types: Vec<(String, ReqwestItem)>,
    /// Its public free functions that return a reqwest value.
    pub functions: Vec<(String, Returns)>,
    /// Its public methods that return a reqwest value: (type, method, returns).
    pub methods: Vec<(String, String, Returns)>,
    /// Its public functions that build a reqwest client on every call and hand it back, alone
    /// or inside their value (`Client::with_config(cfg)`): (type, function), the type empty for
    /// a free function. Calling one is a client construction.
    #[serde(default)]
    pub constructors: Vec<(String, String)>,
    /// What its public functions and methods that return a reqwest value do with the
    /// responses and requests they are given, by name (every public item of that name
    /// agrees): a checker that hands a response back, a retry helper that sends what a closure
    /// builds.
    #[serde(default)]
    pub handoffs: Vec<(String, Handoff)>,
}

/// What a dependency's function does with what it is given, from its summary: enough for a
/// caller to follow a response through it (`check(resp).await?` hands back `resp`, checked)
/// and to know which request a response it returns answers (`retry(|| http.put(u).send())`
/// answers a PUT).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    /// By parameter position (`self` included): hands the response given there back, reads
    /// it, or fails on its status.
    pub params: Vec<ParamUse>,
    /// Every response it returns is handed back only on a success status.
    pub returns_checked: bool,
    /// What it returns answers the request given at this parameter position.
    pub request_from: Option<usize>,
    /// The request every response or builder it returns answers, by its own code.
    pub returns_request: RequestKind,
}

impl Handoff {
    /// The part of `summary` a caller in another crate reads; `None` when it says nothing
    /// beyond the signature.
    pub fn of(summary: &Summary) -> Option<Handoff> {
        let params: Vec<ParamUse> = summary
            .params
            .iter()
            .map(|usage| ParamUse {
                reads: usage.reads,
                streams: usage.streams,
                reads_whole: usage.reads_whole,
                returns: usage.returns,
                fails_on_status: usage.fails_on_status,
                ..ParamUse::default()
            })
            .collect();
        let handoff = Handoff {
            params,
            returns_checked: summary.returns_checked,
            request_from: summary.request_from,
            returns_request: summary.returns_request.constant(),
        };
        let says_something = handoff.returns_checked
            || handoff.request_from.is_some()
            || handoff.returns_request != RequestKind::default()
            || handoff
                .params
                .iter()
                .any(|usage| *usage != ParamUse::default());
        says_something.then_some(handoff)
    }

    /// As the summary of a function of the analyzed crate that returns `returns`.
    pub fn summary(&self, returns: Returns) -> Summary {
        Summary {
            params: self.params.clone(),
            returns_checked: self.returns_checked,
            request_from: self.request_from,
            returns_request: self.returns_request,
            ..Summary::declared(Some(returns), self.params.len())
        }
    }
}

impl ForeignCrate {
    /// The built-in table of `reqwest-middleware` (0.3 to 0.5): `ClientWithMiddleware` is a
    /// client, its `RequestBuilder` a request builder whose `send()` is a source, `Next::run`
    /// sends the request on, and `ClientBuilder::new(client)` wraps an existing client (it
    /// builds no pool of its own).
    pub fn reqwest_middleware() -> Self {
        let future_response = Returns {
            kind: Kind::Response,
            future: true,
        };
        ForeignCrate {
            name: "reqwest_middleware".to_owned(),
            types: vec![
                ("ClientWithMiddleware".to_owned(), ReqwestItem::Client),
                ("RequestBuilder".to_owned(), ReqwestItem::RequestBuilder),
                ("Next".to_owned(), ReqwestItem::Next),
                (
                    "ClientBuilder".to_owned(),
                    ReqwestItem::WrappingClientBuilder,
                ),
            ],
            functions: Vec::new(),
            methods: vec![
                ("Next".to_owned(), "run".to_owned(), future_response),
                (
                    "RequestBuilder".to_owned(),
                    "send".to_owned(),
                    future_response,
                ),
            ],
            constructors: Vec::new(),
            handoffs: Vec::new(),
        }
    }

    /// The type called `name`, if it is one of this crate's reqwest-like types.
    pub fn type_item(&self, name: &str) -> Option<ReqwestItem> {
        self.types
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, item)| *item)
    }

    /// Whether `ty::name` (`name` alone for a free function: `ty` empty) builds a client and
    /// hands it back.
    pub fn constructs(&self, ty: &str, name: &str) -> bool {
        self.constructors
            .iter()
            .any(|(known_ty, known)| known_ty == ty && known == name)
    }

    /// What its public function or method called `name` does with what it is given.
    pub fn handoff(&self, name: &str) -> Option<&Handoff> {
        self.handoffs
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, handoff)| handoff)
    }

    /// The free function called `name`, if it returns a reqwest value.
    pub fn function(&self, name: &str) -> Option<Returns> {
        self.functions
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, returns)| *returns)
    }
}

/// The built-in tables, then the indexed dependencies (an index of a crate the built-ins
/// cover adds to them).
pub fn with_builtins(dependencies: &[ForeignCrate]) -> Vec<ForeignCrate> {
    let mut all = vec![ForeignCrate::reqwest_middleware()];
    for dependency in dependencies {
        match all.iter_mut().find(|known| known.name == dependency.name) {
            Some(known) => {
                for function in &dependency.functions {
                    if !known.functions.contains(function) {
                        known.functions.push(function.clone());
                    }
                }
                for method in &dependency.methods {
                    if !known
                        .methods
                        .iter()
                        .any(|(t, m, _)| (t, m) == (&method.0, &method.1))
                    {
                        known.methods.push(method.clone());
                    }
                }
                for ty in &dependency.types {
                    if known.type_item(&ty.0).is_none() {
                        known.types.push(ty.clone());
                    }
                }
                for constructor in &dependency.constructors {
                    if !known.constructors.contains(constructor) {
                        known.constructors.push(constructor.clone());
                    }
                }
                for handoff in &dependency.handoffs {
                    if known.handoff(&handoff.0).is_none() {
                        known.handoffs.push(handoff.clone());
                    }
                }
            }
            None => all.push(dependency.clone()),
        }
    }
    all
}

/// A method of the foreign crates called `name` that returns a reqwest value, when every
/// crate that has one agrees on what it returns (`None` when they disagree or none has it).
pub fn method_returns(crates: &[ForeignCrate], name: &str) -> Option<Returns> {
    let mut agreed = None;
    for krate in crates {
        for (_, method, returns) in &krate.methods {
            if method != name {
                continue;
            }
            match agreed {
                None => agreed = Some(*returns),
                Some(known) if known == *returns => {}
                Some(_) => return None,
            }
        }
    }
    agreed
}

/// What the foreign crates' methods called `name` do with what they are given, when every
/// crate with such a method says the same (`None` when one says nothing or they disagree).
pub fn method_handoff<'c>(crates: &'c [ForeignCrate], name: &str) -> Option<&'c Handoff> {
    let mut agreed: Option<&Handoff> = None;
    for krate in crates {
        if !krate.methods.iter().any(|(_, method, _)| method == name) {
            continue;
        }
        let handoff = krate.handoff(name)?;
        match agreed {
            Some(known) if known != handoff => return None,
            _ => agreed = Some(handoff),
        }
    }
    agreed
}

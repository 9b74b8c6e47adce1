//! The abstract state the flow analysis carries along one path of a function body.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Span;

/// Index of a tracked value (a response, or a leakable wrapper of one) in [`super::Facts`].
pub type Id = usize;

/// What an iterator, collection, closure or future yields, as far as responses go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Responses themselves.
    Ready,
    /// Futures that resolve to responses.
    Future,
}

/// The shape of a value: what it is, as far as the analysis cares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// Anything else (or a response itself, when `ids` is not empty).
    #[default]
    Plain,
    /// A future that resolves to the value's responses (`client.get(u).send()` unawaited),
    /// and the kind of request they answer (for an `async` block, whose responses are handed
    /// to its awaiter).
    Future(super::RequestKind),
    /// An iterator, stream or collection of responses or of their futures.
    Iter(Flavor),
    /// A closure that returns responses or futures of them, and the kind of request they
    /// answer.
    Closure(Flavor, super::RequestKind),
    /// A reqwest `RequestBuilder` (or a `Request`, or one of the crate's wrappers of a
    /// builder), and the kind of request it builds.
    Builder(super::RequestKind),
    /// A closure or callable that makes a request builder of this kind
    /// (`|c| c.head(&url)`, a parameter `f: impl Fn(&Client) -> RequestBuilder`).
    Maker(super::RequestKind),
    /// An HTTP method (`Method::HEAD`, a parameter of type `Method`).
    Method(super::RequestKind),
    /// A reqwest `Client` (or its builder).
    Client,
    /// A tower `Service` whose responses are reqwest responses: `call(req)` sends.
    Service,
    /// A function of the crate, as a value: calling it calls that function.
    FnItem(crate::model::crate_map::FnId),
}

/// The abstract value of an expression: which tracked responses it may carry, and its shape.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Value {
    /// Tracked values this value may be (or contain, for `Result`/`Option`/`Box`).
    pub ids: Vec<Id>,
    /// What kind of value it is.
    pub shape: Shape,
    /// The client this value is (or borrows), when the analysis follows it: index into
    /// [`super::Facts::clients`].
    pub client: Option<ClientId>,
    /// A tuple's elements (empty for anything else), so that `let (resp, n) = pair;` binds each
    /// name to its own part.
    pub elements: Vec<Value>,
}

/// Index of a followed client in [`super::Facts::clients`].
pub type ClientId = usize;

/// Something that happens once each time its code runs: a client built, a call made. A loop's
/// back edge (or the end of a per-item closure) marks those of its iteration as repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fresh {
    /// A client construction ([`super::Facts::clients`]).
    Client(ClientId),
    /// A call of a function of the crate ([`super::Facts::calls`]).
    Call(usize),
    /// A request sent with a client ([`super::Facts::clients`]) at a place (its byte offset).
    Request(ClientId, usize),
}

impl Value {
    /// A value of the given shape carrying nothing tracked.
    pub fn shaped(shape: Shape) -> Self {
        Value {
            ids: Vec::new(),
            shape,
            client: None,
            elements: Vec::new(),
        }
    }

    /// A response (or several, on different paths).
    pub fn responses(ids: Vec<Id>) -> Self {
        Value {
            ids,
            shape: Shape::Plain,
            client: None,
            elements: Vec::new(),
        }
    }

    /// Responses a callee hands back: as they are, or in the future it returns (an `async fn`),
    /// answering `request`.
    pub fn handed_back(ids: Vec<Id>, future: bool, request: super::RequestKind) -> Self {
        Value {
            shape: if future {
                Shape::Future(request)
            } else {
                Shape::Plain
            },
            ..Value::responses(ids)
        }
    }

    /// The union of two values that reach the same place on different paths.
    pub fn join(mut self, other: Value) -> Value {
        // A path that yields nothing of interest (an arm that returned) keeps the other's parts.
        let self_empty = self.ids.is_empty() && self.elements.is_empty();
        let other_empty = other.ids.is_empty() && other.elements.is_empty();
        if self_empty {
            self.elements = other.elements;
        } else if !other_empty {
            if self.elements.len() == other.elements.len() {
                for (mine, theirs) in self.elements.iter_mut().zip(other.elements) {
                    *mine = std::mem::take(mine).join(theirs);
                }
            } else {
                self.elements.clear();
            }
        }
        for id in other.ids {
            if !self.ids.contains(&id) {
                self.ids.push(id);
            }
        }
        self.shape = match (self.shape, other.shape) {
            (Shape::Plain, theirs) => theirs,
            // The same kind of value on both paths: what holds of its method on both.
            (Shape::Builder(a), Shape::Builder(b)) => Shape::Builder(a.meet(b)),
            (Shape::Maker(a), Shape::Maker(b)) => Shape::Maker(a.meet(b)),
            (Shape::Method(a), Shape::Method(b)) => Shape::Method(a.meet(b)),
            (Shape::Future(a), Shape::Future(b)) => Shape::Future(a.meet(b)),
            (Shape::Closure(fa, a), Shape::Closure(fb, b)) if fa == fb => {
                Shape::Closure(fa, a.meet(b))
            }
            (mine, _) => mine,
        };
        // Two clients meeting (a parameter's and one built on a path, a construction and the
        // factory call that replaces it on another path): the later one is followed, a
        // construction over a parameter.
        self.client = self.client.max(other.client);
        self
    }
}

/// A local binding.
#[derive(Clone, Debug)]
pub struct Var {
    /// The binding's name (raw identifiers without `r#`).
    pub name: String,
    /// What it holds.
    pub value: Value,
    /// Block depth it was declared at.
    pub depth: usize,
    /// Loop depth it was declared at: a collection declared outside a loop outlives it.
    pub loop_depth: usize,
    /// A binding of the enclosing body, seen from a closure or async block: assigning to it
    /// or pushing into it stores outside.
    pub captured: bool,
    /// The name of its type, a type of the crate, where the analysis knows it (an element of
    /// a struct's collection field iterated by `for`): its method calls resolve to that
    /// type's methods.
    pub ty: Option<String>,
}

/// The state along one path.
#[derive(Clone, Debug)]
pub struct State {
    /// Tracked values that may be alive and unreleased here.
    pub live: BTreeSet<Id>,
    /// Bindings in scope, innermost last.
    pub vars: Vec<Var>,
    /// Whether this path is reachable at all (false after `return`, `break`, a panic...).
    pub reachable: bool,
    /// Clients built and calls made on this path (see [`Fresh`]).
    pub fresh: BTreeSet<Fresh>,
    /// What this path knows of its live responses' statuses and of what it makes of them.
    pub fates: BTreeMap<Id, Fate>,
}

/// What one path knows of a live response: whether it is taken on a failure status, and
/// whether the path turns that status into an error value or a log line (a response dropped
/// unread where all three hold loses the server's error message); or whether it is taken only
/// on a success status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fate {
    /// The path is taken on a failure status of the response.
    pub failed: bool,
    /// The path is taken only on a success status of the response (a branch on
    /// `is_success()`, a success arm, `error_for_status()`, a checker of the crate).
    pub succeeded: bool,
    /// The path logs (after the failure is known).
    pub logged: bool,
    /// The path's value, as the function's, is an error (`Err(..)`).
    pub errored: bool,
    /// Where the path logs or produces its error: the label of a report.
    pub span: Option<Span>,
}

impl Fate {
    /// A path taken on a failure status.
    pub fn failed() -> Self {
        Fate {
            failed: true,
            ..Fate::default()
        }
    }

    /// Whether a body dropped unread here loses an error message someone sees.
    pub fn loses_error_body(&self) -> bool {
        self.failed && (self.logged || self.errored)
    }

    /// What two paths meeting both know.
    fn meet(self, other: Fate) -> Fate {
        Fate {
            failed: self.failed && other.failed,
            succeeded: self.succeeded && other.succeeded,
            logged: self.logged && other.logged,
            errored: self.errored && other.errored,
            span: self.span.or(other.span),
        }
    }
}

impl State {
    /// The state at the start of a body.
    pub fn new() -> Self {
        State {
            live: BTreeSet::new(),
            vars: Vec::new(),
            reachable: true,
            fresh: BTreeSet::new(),
            fates: BTreeMap::new(),
        }
    }

    /// The innermost binding called `name`.
    pub fn var(&self, name: &str) -> Option<&Var> {
        self.vars.iter().rev().find(|var| var.name == name)
    }

    /// The innermost binding called `name`, mutably.
    pub fn var_mut(&mut self, name: &str) -> Option<&mut Var> {
        self.vars.iter_mut().rev().find(|var| var.name == name)
    }

    /// Whether some binding still refers to `id`.
    pub fn is_bound(&self, id: Id) -> bool {
        self.vars.iter().any(|var| var.value.ids.contains(&id))
    }

    /// The union of two paths meeting.
    pub fn join(self, other: State) -> State {
        if !other.reachable {
            return self;
        }
        if !self.reachable {
            return other;
        }
        let mut joined = self;
        // A fact holds after the join where it holds on every path the response is live on;
        // a path where it is not live (read, moved, never made) says nothing of it.
        let mut fates = BTreeMap::new();
        for id in joined.live.union(&other.live) {
            let mine = joined.live.contains(id).then(|| joined.fates.get(id));
            let theirs = other.live.contains(id).then(|| other.fates.get(id));
            let fate = match (mine, theirs) {
                (Some(Some(a)), Some(Some(b))) => Some(a.meet(*b)),
                (Some(Some(a)), None) => Some(*a),
                (None, Some(Some(b))) => Some(*b),
                _ => None,
            };
            if let Some(fate) = fate {
                fates.insert(*id, fate);
            }
        }
        joined.fates = fates;
        joined.live.extend(other.live);
        joined.fresh.extend(other.fresh);
        if joined.vars.len() == other.vars.len() {
            for (mine, theirs) in joined.vars.iter_mut().zip(other.vars) {
                if mine.name == theirs.name {
                    mine.value = std::mem::take(&mut mine.value).join(theirs.value);
                }
            }
        }
        joined
    }

    /// A state that no path reaches, shaped like `self` (for joining into).
    pub fn unreachable_like(&self) -> State {
        State {
            live: BTreeSet::new(),
            vars: self.vars.clone(),
            reachable: false,
            fresh: BTreeSet::new(),
            fates: BTreeMap::new(),
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

/// An evaluated argument: its value, and whether it was passed by reference.
pub struct Arg {
    /// What the argument evaluated to.
    pub value: Value,
    /// Passed as `&arg` or `&mut arg`.
    pub by_ref: bool,
    /// The live responses a `&resp` argument lends (the value of a borrow carries none).
    pub lent: Vec<Id>,
    /// The live responses a `&mut resp` argument lends to a function of the crate, whose
    /// summary says whether it reads the body through the borrow.
    pub lent_mut: Vec<Id>,
    /// The argument is `None`: where the callee builds a client in place of a `None`
    /// ([`crate::model::summary::ParamUse::defaults_client`]), the call makes one.
    pub none: bool,
}

//! The walk's driver: an abstract interpretation of one function body over [`State`], and the
//! primitives every part of it uses (tracking a response, releasing it, recording exits).

use std::collections::BTreeSet;

// Small integer and string keys, hashed very often: rustc's hasher, not SipHash.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::guards::bounds_body_size;
use super::state::{ClientId, Fate, Fresh, Id, Shape, State, Value};
use super::{
    ClientOrigin, Event, Facts, FileContext, Outcome, Place, PlaceKind, RequestKind, Tracked,
    TrackedKind,
};
use crate::diagnostic::Span;
use crate::model::crate_map::{FnId, FnRef, Receiver};
use crate::model::summary::{ClientSite, ParamUse, Summary, MAX_PER_CALL_CLIENTS};
use crate::model::syntax::pattern_names;
use crate::model::types::{Bounds, Kind, Returns};

/// How the code a closure or async block is given to runs it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct NestedContext {
    /// Once per item: an iterator or stream adapter's closure.
    pub(super) per_item: bool,
    /// Once for the program: a once-initializer's closure.
    pub(super) once: bool,
}

/// One body being walked: a function, closure or async block.
pub(super) struct Body {
    pub(super) is_async: bool,
    pub(super) depth: usize,
    pub(super) loop_depth: usize,
    pub(super) in_closure: bool,
    /// Inside a once-initializer (`get_or_init`, `LazyLock::new`..): runs once.
    pub(super) once: bool,
    pub(super) loops: Vec<LoopFrame>,
    /// Values handed out by `return`, to tell what a closure yields.
    pub(super) returned: Value,
    /// Inside branches taken on a `content_length()` check (the size limit
    /// `unbounded_body_read` asks for) or on a 204/304 status (a body that is always empty):
    /// exits there drop nothing worth reading.
    pub(super) size_guard: usize,
    /// Inside branches taken on a non-success status: a body read there is an error body.
    pub(super) error_path: usize,
    /// Set by an `if` whose then-branch leaves on a success status (`if ok { return Ok(resp) }`):
    /// the rest of the enclosing block runs on a failure status.
    pub(super) failure_after: bool,
    /// Set by an `if` whose then-branch leaves on a failure status (`if status != 206 { return
    /// Err(..) }`): the rest of the enclosing block runs on a success status, whatever an
    /// earlier exit on another success status (`if status == 200 { return .. }`) left.
    pub(super) success_after: bool,
    /// The expression about to be walked is in tail position: its value is the body's value.
    pub(super) tail: bool,
    /// Inside branches taken only on a status the caller may expect (a client error about the
    /// resource that the code names: 404, 409, 410, 422..).
    pub(super) expected_status: usize,
    /// The responses the function borrows through its parameters (`&Response`).
    pub(super) borrowed: Vec<Id>,
    /// Responses handed by reference to a crate's status checker in the statement being
    /// walked: a `?` on the checker's result leaves on their failure status.
    pub(super) checked_by_call: Vec<Id>,
}

pub(super) struct LoopFrame {
    pub(super) label: Option<String>,
    pub(super) depth: usize,
    pub(super) breaks: Option<State>,
    pub(super) continues: Option<State>,
    /// What `break value` hands out: the value of a `loop` expression.
    pub(super) value: Value,
}

impl Body {
    pub(super) fn new(is_async: bool, in_closure: bool) -> Self {
        Body {
            is_async,
            depth: 0,
            loop_depth: 0,
            in_closure,
            once: false,
            loops: Vec::new(),
            returned: Value::default(),
            size_guard: 0,
            error_path: 0,
            failure_after: false,
            success_after: false,
            tail: false,
            expected_status: 0,
            borrowed: Vec::new(),
            checked_by_call: Vec::new(),
        }
    }
}

/// The function being analyzed: where it is, and the generics that type its values.
pub(super) struct FnScope<'a> {
    pub(super) id: FnId,
    pub(super) target: usize,
    pub(super) module: &'a [String],
    /// The enclosing impl's self type, for `self.f()` and `Self::f`.
    pub(super) self_ty: Option<&'a str>,
    pub(super) bounds: Bounds<'a>,
}

pub(super) struct Engine<'a, 'f> {
    pub(super) cx: &'a FileContext<'f>,
    pub(super) function: FnScope<'a>,
    pub(super) facts: Facts,
    pub(super) body: Body,
    /// One tracked value per source expression, however often loops re-walk it.
    by_span: HashMap<(usize, usize, u8), Id>,
    /// One client per construction, however often loops re-walk it.
    pub(super) client_by_span: HashMap<(usize, usize), ClientId>,
    /// One call site per call expression.
    pub(super) call_by_span: HashMap<(usize, usize, usize), usize>,
    /// Every release in walk order, to tell what a non-`move` closure did with what it borrows.
    pub(super) release_log: Vec<Id>,
    /// Every client and call made, in walk order, to tell what a nested body did.
    pub(super) fresh_log: Vec<Fresh>,
    /// How the next closure or async block met runs (set by the call it is given to).
    pub(super) nested_context: NestedContext,
    /// Bindings that hold a `content_length()`: a condition on them is a size check.
    pub(super) size_vars: HashSet<String>,
    /// Bindings of a status or of a status check (`let code = resp.status().as_u16()`,
    /// `let ok = resp.status().is_success()`): a condition on them means what their
    /// definition means.
    pub(super) status_defs: HashMap<String, syn::Expr>,
    /// Bindings of a `FuturesUnordered`/`FuturesOrdered`: futures pushed into one are polled
    /// together, and the set yields their outputs (responses, for request futures).
    pub(super) future_sets: HashSet<String>,
    /// Locals bound to a local file (`let file = tokio::fs::File::create(p).await?`): waiting on
    /// one of their methods waits on the disk.
    pub(super) local_files: HashSet<String>,
    /// Parameters that are callables turning a request builder into another
    /// (`builder: impl FnOnce(RequestBuilder) -> RequestBuilder`): the builder they hand back
    /// is on the client of the one they are given.
    pub(super) builder_steps: HashSet<String>,
    /// Bindings that come from the call or the item: parameters, loop and closure patterns,
    /// and locals computed from them. A client configured with one is configured per item.
    pub(super) item_names: HashSet<String>,
    /// The body's rare paths.
    pub(super) rarity: super::rarity::FnRarity,
    /// Some await (or a macro that may hide one) waits on something other than the local
    /// disk: the function does not wait only locally.
    pub(super) waits_elsewhere: bool,
    /// Blocking code that sends a request or blocks the thread (see [`Summary::blocks`]).
    pub(super) blocks: bool,
}

/// Analyzes one function: its parameters and body, with nested closures and async blocks.
pub fn analyze_fn<'a>(cx: &FileContext<'_>, id: FnId, function: &FnRef<'a>) -> Facts {
    let Some(block) = function.block else {
        return Facts::default();
    };
    let def = &cx.crate_map.fns[id].outline;
    let bounds = function.bounds();
    let self_ty = match &def.owner {
        crate::model::crate_map::Owner::Impl { self_ty, .. } => Some(self_ty.as_str()),
        _ => None,
    };
    let mut engine = Engine {
        cx,
        function: FnScope {
            id,
            target: cx.crate_map.fns[id].target,
            module: &def.module,
            self_ty,
            bounds,
        },
        facts: Facts::default(),
        body: Body::new(function.sig.asyncness.is_some(), false),
        by_span: HashMap::default(),
        client_by_span: HashMap::default(),
        call_by_span: HashMap::default(),
        release_log: Vec::new(),
        fresh_log: Vec::new(),
        nested_context: NestedContext::default(),
        size_vars: HashSet::default(),
        status_defs: HashMap::default(),
        item_names: HashSet::default(),
        future_sets: HashSet::default(),
        local_files: HashSet::default(),
        rarity: super::rarity::FnRarity::of(block, cx.map, cx.crate_map),
        waits_elsewhere: false,
        blocks: false,
        builder_steps: HashSet::default(),
    };
    engine.facts.bounds_body_size = bounds_body_size(block);
    let mut state = State::new();
    engine.body.depth = 1;
    let mut params = Vec::new();
    // `self` of one of the crate's response wrappers, taken by value: the method owns the
    // response inside.
    let response_impl = function.impl_block.is_some_and(|block| {
        cx.names.type_item(&block.self_ty) == Some(crate::model::names::ReqwestItem::Response)
    });
    let wrapper_self = def.receiver == Some(Receiver::Value)
        && (response_impl || self_ty.is_some_and(|ty| cx.crate_map.wrappers.contains_key(ty)));
    if wrapper_self {
        let span = cx.map.span(function.sig.ident.span());
        let id = engine.track(
            TrackedKind::Response {
                request: RequestKind::default(),
                is_future: false,
            },
            span,
            0,
        );
        state.live.insert(id);
        let value = Value::responses(vec![id]);
        engine.bind_name("self", value.clone(), &mut state);
        params.push((0, value));
    } else if def.receiver.is_some()
        && self_ty.is_some_and(|ty| cx.crate_map.builder_wrappers.contains(ty))
    {
        // `self` of one of the crate's request-builder wrappers: a builder of the method its
        // callers' receiver carries.
        let value = Value::shaped(Shape::Builder(engine.param_kind(Some(0))));
        engine.bind_name("self", value.clone(), &mut state);
        params.push((0, value));
    } else if def.receiver.is_some() && self_ty.is_some_and(|ty| cx.crate_map.holds_client(ty)) {
        // `self` of a type holding a client: what the method does with what it holds.
        let span = cx.map.span(function.sig.ident.span());
        let value = engine.self_holder(span);
        engine.bind_name("self", value.clone(), &mut state);
        params.push((0, value));
    }
    for (position, input) in function.sig.inputs.iter().enumerate() {
        if let syn::FnArg::Typed(arg) = input {
            let mut names = Vec::new();
            pattern_names(&arg.pat, &mut names);
            if engine.is_builder_step_type(&arg.ty) {
                engine.builder_steps.extend(names.iter().cloned());
            }
            engine.item_names.extend(names);
            let value = engine.bind_param(arg, Some(position), &mut state);
            params.push((position, value));
        }
    }
    let value = engine.fn_block(block, &mut state);
    engine.handed_back(&value.ids, &state);
    let returned = value
        .clone()
        .join(std::mem::take(&mut engine.body.returned));
    for id in &returned.ids {
        engine.facts.tracked[*id].returned = true;
    }
    engine.release(&value.ids, &mut state, Release::Move);
    if let Some(client) = value.client {
        engine.return_client(client);
    }
    engine.facts.summary = engine.summarize(def, &params, &returned, function);
    engine.facts
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Release {
    /// Handed on: moved into a call, returned, stored.
    Move,
    /// Body read.
    Read,
    /// The analysis cannot tell what happens to it.
    Unknown,
}

pub(super) enum Exit {
    /// `return`, and whether it returns an error value.
    Return {
        error: bool,
    },
    /// `?`, and whether what it is applied to is an error value (`Err(..)?`).
    Try {
        error: bool,
    },
    Panic,
    Break(usize),
    Continue(usize),
}

impl<'f> Engine<'_, 'f> {
    pub(super) fn span(&self, span: proc_macro2::Span) -> Span {
        self.cx.map.span(span)
    }

    pub(super) fn track(&mut self, kind: TrackedKind, span: Span, discriminant: u8) -> Id {
        let key = (span.start.byte, span.end.byte, discriminant);
        if let Some(id) = self.by_span.get(&key) {
            return *id;
        }
        let id = self.facts.tracked.len();
        self.facts.tracked.push(Tracked {
            kind,
            span,
            released: false,
            body_read: false,
            unknown: false,
            awaited: false,
            held_across: Vec::new(),
            early_exits: Vec::new(),
            read_on_error_path: false,
            status_checked: false,
            checked_at_source: false,
            success_branch: false,
            released_off_failure: false,
            returned_unchecked: false,
            headers_read: false,
            returned: false,
            streamed: false,
            whole_read: false,
            fails_on_status: false,
            per_item: self.body.loop_depth > 0,
        });
        self.by_span.insert(key, id);
        id
    }

    pub(super) fn event(&mut self, event: Event) {
        if !self.facts.events.contains(&event) {
            self.facts.events.push(event);
        }
    }

    pub(super) fn release(&mut self, ids: &[Id], state: &mut State, how: Release) {
        for &id in ids {
            let on_failure =
                self.body.error_path > 0 || state.fates.get(&id).is_some_and(|fate| fate.failed);
            let tracked = &mut self.facts.tracked[id];
            tracked.released_off_failure |= how != Release::Unknown && !on_failure;
            match how {
                Release::Move => tracked.released = true,
                Release::Read => {
                    tracked.released = true;
                    tracked.body_read = true;
                    tracked.read_on_error_path |= self.body.error_path > 0;
                }
                Release::Unknown => tracked.unknown = true,
            }
            state.live.remove(&id);
            self.release_log.push(id);
        }
    }

    /// A new response from a source expression.
    pub(super) fn source(
        &mut self,
        span: Span,
        request: RequestKind,
        is_future: bool,
        state: &mut State,
    ) -> Value {
        let id = self.track(TrackedKind::Response { request, is_future }, span, 0);
        if is_future {
            return Value {
                ids: vec![id],
                shape: Shape::Future(request),
                client: None,
                elements: Vec::new(),
            };
        }
        if !self.body.is_async {
            // Blocking code: another request while a response is unread holds its connection.
            self.hold_live(state, &[id], span, PlaceKind::OtherRequest);
            self.blocks = true;
        }
        state.live.insert(id);
        Value::responses(vec![id])
    }

    /// Records that the live, bound responses (but those in `involved`) are held unread
    /// across a wait at `span`.
    pub(super) fn hold_live(
        &mut self,
        state: &State,
        involved: &[Id],
        span: Span,
        kind: PlaceKind,
    ) {
        let live: Vec<Id> = state
            .live
            .iter()
            .copied()
            .filter(|id| !involved.contains(id) && state.is_bound(*id))
            .collect();
        for id in live {
            let place = Place {
                span,
                kind,
                on_error_path: false,
                expected_status: false,
                outcome: Outcome::Normal,
            };
            let tracked = &mut self.facts.tracked[id];
            if matches!(tracked.kind, TrackedKind::Response { .. })
                && !tracked.held_across.contains(&place)
            {
                tracked.held_across.push(place);
            }
        }
    }

    /// Records an exit at `span` for the live responses bound deeper than `min_depth`,
    /// except those in `keep` (the exit's own value, or the value `?` is applied to).
    pub(super) fn exit(&mut self, state: &State, keep: &[Id], exit: Exit, span: Span) {
        let (min_depth, kind, outcome) = match exit {
            Exit::Return { error } => (
                0,
                PlaceKind::Return,
                if error {
                    Outcome::Error
                } else {
                    Outcome::Normal
                },
            ),
            Exit::Try { error } => (
                0,
                PlaceKind::Try,
                if error {
                    Outcome::Error
                } else {
                    Outcome::Unrelated
                },
            ),
            Exit::Panic => (0, PlaceKind::Diverge, Outcome::Error),
            Exit::Break(depth) => (depth, PlaceKind::Break, Outcome::Normal),
            Exit::Continue(depth) => (depth, PlaceKind::Continue, Outcome::Normal),
        };
        if self.body.size_guard > 0 {
            return;
        }
        if outcome == Outcome::Error {
            self.borrowed_fails(state);
        }
        let live: Vec<Id> = state.live.iter().copied().collect();
        for id in live {
            if keep.contains(&id) {
                continue;
            }
            let bound_deep = state
                .vars
                .iter()
                .any(|var| var.depth > min_depth && var.value.ids.contains(&id));
            if !bound_deep {
                continue;
            }
            // What this path made of the failure: an error value it carries to this exit
            // (`match status { 404 => Err(..), .. }?`), a log line before the loop goes round.
            // An expected status answered with a normal value is answered, whatever it logs
            // on the way (`debug!("no such commit"); return Ok(None)`).
            let expected = self.body.expected_status > 0;
            let fate = state.fates.get(&id).copied();
            let outcome = match fate {
                Some(fate) if fate.failed && fate.errored => Outcome::Error,
                Some(fate)
                    if fate.failed
                        && fate.logged
                        && outcome != Outcome::Error
                        && !(expected && outcome == Outcome::Normal) =>
                {
                    Outcome::Log
                }
                _ => outcome,
            };
            let place = Place {
                span,
                kind,
                on_error_path: self.body.error_path > 0 || fate.is_some_and(|fate| fate.failed),
                expected_status: expected,
                outcome,
            };
            self.record_exit(id, place);
        }
    }

    /// The path is taken on a failure status: of every live response, since the condition
    /// names the status of one of them (or a copy of it).
    pub(super) fn mark_failed(&self, state: &mut State) {
        for &id in state.live.iter().chain(&self.body.borrowed) {
            state.fates.entry(id).or_insert_with(Fate::failed).failed = true;
        }
    }

    /// The path is taken only on a success status: of every live response, since the
    /// condition names the status of one of them (or a copy of it).
    pub(super) fn mark_succeeded(&mut self, state: &mut State) {
        let live: Vec<Id> = state.live.iter().copied().collect();
        for id in live {
            self.succeeded(id, state);
        }
    }

    /// The path knows response `id` is a success.
    pub(super) fn succeeded(&mut self, id: Id, state: &mut State) {
        state.fates.entry(id).or_default().succeeded = true;
        self.facts.tracked[id].success_branch = true;
    }

    /// Responses handed back to the caller here: those whose success this path does not know
    /// make the function's summary say nothing of their status.
    pub(super) fn handed_back(&mut self, ids: &[Id], state: &State) {
        for &id in ids {
            let known =
                state.live.contains(&id) && state.fates.get(&id).is_some_and(|fate| fate.succeeded);
            if !known {
                self.facts.tracked[id].returned_unchecked = true;
            }
        }
    }

    /// The path logs, or makes an error value its function's value, at `span`: of the live
    /// responses it is taken on a failure status of, it turns that status into a message.
    pub(super) fn mark_outcome(&mut self, state: &mut State, outcome: Outcome, span: Span) {
        if outcome == Outcome::Error {
            self.borrowed_fails(state);
        }
        let live: Vec<Id> = state.live.iter().copied().collect();
        for id in live {
            if let Some(fate) = state.fates.get_mut(&id).filter(|fate| fate.failed) {
                match outcome {
                    Outcome::Log => fate.logged = true,
                    Outcome::Error => fate.errored = true,
                    Outcome::Normal | Outcome::Unrelated => continue,
                }
                fate.span.get_or_insert(span);
            }
        }
    }

    /// The path produces an error: the borrowed responses it is taken on a failure status of
    /// make the function a status checker of them.
    fn borrowed_fails(&mut self, state: &State) {
        for &id in &self.body.borrowed {
            if state.fates.get(&id).is_some_and(|fate| fate.failed) {
                self.facts.tracked[id].fails_on_status = true;
            }
        }
    }

    /// A response taken on a failure status, dropped unread where the path made an error or a
    /// log line of its status: the end of an early exit's kind for the lints.
    pub(super) fn dropped_on_failure(&mut self, state: &State, id: Id) {
        let Some(fate) = state.fates.get(&id) else {
            return;
        };
        if !state.reachable || !fate.loses_error_body() || self.body.size_guard > 0 {
            return;
        }
        let Some(span) = fate.span else {
            return;
        };
        let place = Place {
            span,
            kind: PlaceKind::Dropped,
            on_error_path: true,
            expected_status: self.body.expected_status > 0,
            outcome: if fate.errored {
                Outcome::Error
            } else {
                Outcome::Log
            },
        };
        self.record_exit(id, place);
    }

    /// Records a place where response `id` is dropped unread, once.
    fn record_exit(&mut self, id: Id, place: Place) {
        let tracked = &mut self.facts.tracked[id];
        if matches!(tracked.kind, TrackedKind::Response { .. })
            && !tracked.early_exits.contains(&place)
        {
            tracked.early_exits.push(place);
        }
    }

    /// Ids carried by the bindings an expression mentions.
    pub(super) fn mentioned_ids(&self, names: &HashSet<String>, state: &State) -> Vec<Id> {
        let mut ids = Vec::new();
        for name in names {
            if let Some(var) = state.var(name) {
                for &id in &var.value.ids {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
        }
        ids
    }

    /// Something that happens once each time this code runs (see [`Fresh`]).
    pub(super) fn fresh(&mut self, fresh: Fresh, state: &mut State) {
        state.fresh.insert(fresh);
        self.fresh_log.push(fresh);
    }

    /// Marks what happened in one iteration as repeated: clients built and used for a request,
    /// calls made. When the iteration is one item of a batch (`batch`: a `for` over items, a
    /// per-item closure; not a bounded retry), a client built before it and sent with in it
    /// serves the batch.
    pub(super) fn repeat(&mut self, fresh: impl IntoIterator<Item = Fresh>, batch: bool) {
        let fresh: Vec<Fresh> = fresh.into_iter().collect();
        for &item in &fresh {
            match item {
                Fresh::Client(client) => {
                    let fact = &mut self.facts.clients[client];
                    if fact.requested {
                        fact.per_iteration = true;
                    }
                }
                Fresh::Call(call) => self.facts.calls[call].repeated = true,
                Fresh::Request(client, _) => {
                    if batch && !fresh.contains(&Fresh::Client(client)) {
                        self.facts.clients[client].serves_batch = true;
                    }
                }
            }
        }
    }

    /// What the function does, as its callers see it.
    fn summarize(
        &self,
        def: &crate::model::crate_map::FnOutline,
        params: &[(usize, Value)],
        returned: &Value,
        function: &FnRef<'_>,
    ) -> Summary {
        let mut summary = Summary::declared(def.declared, function.sig.inputs.len());
        if summary.returns.is_none() && !returned.ids.is_empty() {
            let responses = returned
                .ids
                .iter()
                .any(|id| matches!(self.facts.tracked[*id].kind, TrackedKind::Response { .. }));
            if responses && matches!(returned.shape, Shape::Plain | Shape::Future(_)) {
                summary.returns = Some(Returns {
                    kind: Kind::Response,
                    future: self.body.is_async || matches!(returned.shape, Shape::Future(_)),
                });
            }
        }
        if summary.returns.is_none() && returned.shape == Shape::Client {
            summary.returns = Some(Returns {
                kind: Kind::Client,
                future: function.sig.asyncness.is_some(),
            });
        }

        // The method of what it hands back: its own, or the one given at a parameter.
        if let Some(kind) = self.kind_of(returned) {
            summary.returns_request = kind.constant();
            summary.request_from = kind.param;
        }
        let returned_responses: Vec<Id> = returned
            .ids
            .iter()
            .copied()
            .filter(|id| matches!(self.facts.tracked[*id].kind, TrackedKind::Response { .. }))
            .collect();
        if !returned_responses.is_empty() {
            summary.returns_checked = returned_responses
                .iter()
                .all(|id| !self.facts.tracked[*id].returned_unchecked);
        }
        // A client without a pool is no pool thrown away where it is built.
        summary.fresh_client = returned
            .client
            .filter(|client| !self.facts.clients[*client].unpooled)
            .and_then(|client| self.client_site(client));
        for (position, value) in params {
            let mut usage = ParamUse::default();
            for id in &value.ids {
                let tracked = &self.facts.tracked[*id];
                usage.reads |= tracked.body_read;
                usage.streams |= tracked.streamed;
                usage.reads_whole |= tracked.whole_read;
                usage.unknown |= tracked.unknown;
                usage.returns |= returned.ids.contains(id);
            }
            if let Some(client) = value.client {
                let fact = &self.facts.clients[client];
                usage.sends = fact.requested;
                usage.sends_batch = fact.serves_batch;
                usage.keeps_client = fact.escaped;
                usage.returns_client = fact.returned;
                usage.defaults_client = fact.defaulted;
            }
            usage.method = self.takes_method_from(*position, returned);
            summary.params[*position] = usage;
        }
        for tracked in &self.facts.tracked {
            if let TrackedKind::BorrowedParam { position } = tracked.kind {
                if let Some(usage) = summary.params.get_mut(position) {
                    usage.fails_on_status |= tracked.fails_on_status;
                }
            }
        }
        summary.per_call_clients = self.per_call_clients();
        summary.waits_locally = function.sig.asyncness.is_some() && !self.waits_elsewhere;
        summary.blocks = function.sig.asyncness.is_none() && self.blocks;
        summary
    }

    /// Whether a request this function makes, or the builder or response it returns, has the
    /// method given at parameter `position`.
    fn takes_method_from(&self, position: usize, returned: &Value) -> bool {
        let from = |kind: RequestKind| kind.param == Some(position);
        self.kind_of(returned).is_some_and(from)
            || self.facts.tracked.iter().any(|tracked| match tracked.kind {
                TrackedKind::Response { request, .. } => from(request),
                _ => false,
            })
    }

    /// Where a client this function has was built: here, or in a factory it called.
    fn client_site(&self, client: ClientId) -> Option<ClientSite> {
        let fact = &self.facts.clients[client];
        if let Some(site) = &fact.site {
            return Some(site.clone());
        }
        let get = match &fact.origin {
            ClientOrigin::Param(_) => return None,
            ClientOrigin::Get(written) | ClientOrigin::GetPerItem(written) => Some(written.clone()),
            ClientOrigin::Built => None,
        };
        Some(ClientSite {
            builder_fn: self.function.id,
            span: fact.span,
            get,
            via: Vec::new(),
            factory: None,
        })
    }

    /// The clients this function builds and sends with on every call, itself or through the
    /// functions it calls (not once per item: that is reported where the items are): its own
    /// first, each construction once.
    fn per_call_clients(&self) -> Vec<ClientSite> {
        let mut found: Vec<ClientSite> = Vec::new();
        // A constructor or a builder's last step runs once per value it makes, a server's run
        // loop once for good.
        if self.facts.upgrades
            || super::rarity::runs_once(self.cx.crate_map, self.function.id, &self.rarity)
        {
            return found;
        }
        let push = |found: &mut Vec<ClientSite>, site: ClientSite| {
            let known = found
                .iter()
                .any(|known| known.builder_fn == site.builder_fn && known.span == site.span);
            if !known && found.len() < MAX_PER_CALL_CLIENTS {
                found.push(site);
            }
        };
        // A pool for a batch is the only pool a function has when its `self` keeps none; next
        // to one it keeps, a new pool per call is one more thrown away.
        let keeps_a_pool = self
            .function
            .self_ty
            .is_some_and(|ty| self.cx.crate_map.holds_client(ty));
        for (client, fact) in self.facts.clients.iter().enumerate() {
            if fact.requested
                && !fact.escaped
                && !fact.returned
                && !fact.per_item_config
                && !fact.once
                && !fact.unpooled
                && (!fact.serves_batch || keeps_a_pool)
            {
                if let Some(site) = self.client_site(client) {
                    push(&mut found, site);
                }
            }
        }
        let mut seen = BTreeSet::new();
        for call in &self.facts.calls {
            if call.once || call.kind != super::CallKind::Call || !seen.insert(call.callee) {
                continue;
            }
            let Some(summary) = self.cx.summaries.get(call.callee) else {
                continue;
            };
            for site in &summary.per_call_clients {
                if site.builder_fn == self.function.id || site.via.contains(&self.function.id) {
                    continue;
                }
                let mut via = vec![call.callee];
                via.extend(site.via.iter().copied());
                push(
                    &mut found,
                    ClientSite {
                        via,
                        ..site.clone()
                    },
                );
            }
        }
        found
    }
}

//! The walk itself: an abstract interpretation of one function body over [`State`].

use std::collections::{HashMap, HashSet};

use syn::spanned::Spanned;

use super::mentions;
use super::state::{Flavor, Id, Shape, State, Value, Var};
use super::{Event, Facts, FileContext, Place, Tracked, TrackedKind};
use crate::diagnostic::Span;
use crate::model::names::ReqwestItem;

/// One body being walked: a function, closure or async block.
pub(super) struct Body {
    pub(super) is_async: bool,
    pub(super) depth: usize,
    pub(super) loop_depth: usize,
    pub(super) in_closure: bool,
    loops: Vec<LoopFrame>,
    /// Values handed out by `return`, to tell what a closure yields.
    returned: Value,
    /// Inside branches taken on a `content_length()` check (the size limit
    /// `unbounded_body_read` asks for) or on a 204/304 status (a body that is always empty):
    /// exits there drop nothing worth reading.
    size_guard: usize,
}

struct LoopFrame {
    label: Option<String>,
    depth: usize,
    breaks: Option<State>,
    continues: Option<State>,
    /// What `break value` hands out: the value of a `loop` expression.
    value: Value,
}

pub(super) struct Engine<'a, 'f> {
    pub(super) cx: &'a FileContext<'f>,
    pub(super) facts: Facts,
    pub(super) body: Body,
    /// One tracked value per source expression, however often loops re-walk it.
    by_span: HashMap<(usize, usize, u8), Id>,
    /// Every release in walk order, to tell what a non-`move` closure did with what it borrows.
    release_log: Vec<Id>,
}

/// Analyzes one function: its parameters and body, with nested closures and async blocks.
pub fn analyze_fn(cx: &FileContext<'_>, sig: &syn::Signature, block: &syn::Block) -> Facts {
    let mut engine = Engine {
        cx,
        facts: Facts::default(),
        body: Body::new(sig.asyncness.is_some(), false),
        by_span: HashMap::new(),
        release_log: Vec::new(),
    };
    engine.facts.bounds_body_size = bounds_body_size(block);
    let mut state = State::new();
    engine.body.depth = 1;
    for input in &sig.inputs {
        if let syn::FnArg::Typed(arg) = input {
            engine.bind_param(arg, &mut state);
        }
    }
    let value = engine.fn_block(block, &mut state);
    engine.release(&value.ids, &mut state, Release::Move);
    engine.facts
}

/// Whether the function checks `content_length()` or limits what it reads in some way.
fn bounds_body_size(block: &syn::Block) -> bool {
    let text = quote::ToTokens::to_token_stream(block).to_string();
    let lower = text.to_lowercase();
    lower.contains("content_length") || lower.contains("limit") || text.contains(". take (")
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
    Return,
    Try,
    Panic,
    Break(usize),
    Continue(usize),
}

impl Body {
    fn new(is_async: bool, in_closure: bool) -> Self {
        Body {
            is_async,
            depth: 0,
            loop_depth: 0,
            in_closure,
            loops: Vec::new(),
            returned: Value::default(),
            size_guard: 0,
        }
    }
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
            let tracked = &mut self.facts.tracked[id];
            match how {
                Release::Move => tracked.released = true,
                Release::Read => {
                    tracked.released = true;
                    tracked.body_read = true;
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
        head: bool,
        is_future: bool,
        state: &mut State,
    ) -> Value {
        let id = self.track(TrackedKind::Response { head, is_future }, span, 0);
        if is_future {
            return Value {
                ids: vec![id],
                shape: Shape::Future,
            };
        }
        if !self.body.is_async {
            // Blocking code: another request while a response is unread holds its connection.
            let live: Vec<Id> = state.live.iter().copied().filter(|&l| l != id).collect();
            for other in live {
                if state.is_bound(other) {
                    self.hold(
                        other,
                        span,
                        "another request is made here while it is unread",
                    );
                }
            }
        }
        state.live.insert(id);
        Value {
            ids: vec![id],
            shape: Shape::Plain,
        }
    }

    fn hold(&mut self, id: Id, span: Span, what: &'static str) {
        let place = Place { span, what };
        let tracked = &mut self.facts.tracked[id];
        if matches!(tracked.kind, TrackedKind::Response { .. })
            && !tracked.held_across.contains(&place)
        {
            tracked.held_across.push(place);
        }
    }

    /// Records an exit at `span` for the live responses bound deeper than `min_depth`,
    /// except those in `keep` (the exit's own value, or the value `?` is applied to).
    pub(super) fn exit(&mut self, state: &State, keep: &[Id], exit: Exit, span: Span) {
        let (min_depth, what) = match exit {
            Exit::Return => (0, "this early return drops it unread"),
            Exit::Try => (0, "this `?` returns early and drops it unread"),
            Exit::Panic => (0, "this early exit drops it unread"),
            Exit::Break(depth) => (depth, "this leaves the loop and drops it unread"),
            Exit::Continue(depth) => (depth, "this `continue` drops it unread"),
        };
        if self.body.size_guard > 0 {
            return;
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
            let place = Place { span, what };
            let tracked = &mut self.facts.tracked[id];
            if matches!(tracked.kind, TrackedKind::Response { .. })
                && !tracked.early_exits.contains(&place)
            {
                tracked.early_exits.push(place);
            }
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

    // ----- bindings and scopes -----

    fn bind_param(&mut self, arg: &syn::PatType, state: &mut State) {
        let names = &self.cx.names;
        let value = match names.type_item(&arg.ty) {
            Some(ReqwestItem::Response) if !matches!(*arg.ty, syn::Type::Reference(_)) => {
                let span = self.span(arg.pat.span());
                let id = self.track(
                    TrackedKind::Response {
                        head: false,
                        is_future: false,
                    },
                    span,
                    0,
                );
                state.live.insert(id);
                Value {
                    ids: vec![id],
                    shape: Shape::Plain,
                }
            }
            Some(ReqwestItem::Client) => Value::shaped(Shape::Client),
            Some(ReqwestItem::RequestBuilder) => Value::shaped(Shape::Builder { head: false }),
            _ => Value::default(),
        };
        self.bind_pattern(&arg.pat, value, state);
    }

    fn bind_pattern(&mut self, pat: &syn::Pat, value: Value, state: &mut State) {
        let mut names = Vec::new();
        pattern_names(pat, &mut names);
        for name in names {
            state.vars.push(Var {
                name,
                value: value.clone(),
                depth: self.body.depth,
                loop_depth: self.body.loop_depth,
                captured: false,
            });
        }
    }

    fn push_scope(&mut self) {
        self.body.depth += 1;
    }

    /// Leaves a block: its bindings go out of scope and their responses are dropped,
    /// except those in `keep` (the block's value).
    fn pop_scope(&mut self, state: &mut State, keep: &[Id]) {
        let depth = self.body.depth;
        state.vars.retain(|var| var.depth < depth);
        self.body.depth -= 1;
        self.drop_unbound(state, keep);
    }

    /// Drops temporaries: live values no binding refers to.
    fn drop_unbound(&mut self, state: &mut State, keep: &[Id]) {
        let dropped: Vec<Id> = state
            .live
            .iter()
            .copied()
            .filter(|id| !keep.contains(id) && !state.is_bound(*id))
            .collect();
        for id in dropped {
            state.live.remove(&id);
        }
    }

    // ----- blocks and statements -----

    fn fn_block(&mut self, block: &syn::Block, state: &mut State) -> Value {
        self.block_inner(block, state, true)
    }

    fn block(&mut self, block: &syn::Block, state: &mut State) -> Value {
        self.block_inner(block, state, false)
    }

    fn block_inner(&mut self, block: &syn::Block, state: &mut State, is_fn_body: bool) -> Value {
        self.push_scope();
        let mut last = Value::default();
        let count = block.stmts.len();
        for (at, stmt) in block.stmts.iter().enumerate() {
            if !state.reachable {
                break;
            }
            let is_last = at + 1 == count;
            match stmt {
                syn::Stmt::Local(local) => self.local(local, state),
                syn::Stmt::Item(_) => {}
                syn::Stmt::Expr(expr, None) if is_last => last = self.expr(expr, state),
                syn::Stmt::Expr(syn::Expr::Return(ret), Some(_)) if is_last && is_fn_body => {
                    // A `return x;` ending the function is its normal path, not an early exit.
                    last = match &ret.expr {
                        Some(expr) => self.expr(expr, state),
                        None => Value::default(),
                    };
                }
                syn::Stmt::Expr(expr, _) => {
                    self.expr(expr, state);
                }
                syn::Stmt::Macro(mac) => {
                    self.mac(&mac.mac, state);
                }
            }
            if state.reachable {
                self.drop_unbound(state, &last.ids);
            }
        }
        if !state.reachable {
            last = Value::default();
        }
        self.pop_scope(state, &last.ids);
        last
    }

    fn local(&mut self, local: &syn::Local, state: &mut State) {
        let (pat, annotation) = match &local.pat {
            syn::Pat::Type(typed) => (&*typed.pat, Some(&*typed.ty)),
            pat => (pat, None),
        };
        let mut value = match &local.init {
            Some(init) => {
                let value = self.expr(&init.expr, state);
                if let Some((_, diverge)) = &init.diverge {
                    // `let PAT = v else { .. }`: the else path has no `Ok`/`Some` response.
                    let mut other = state.clone();
                    if refutable_drops_value(pat) {
                        for id in &value.ids {
                            other.live.remove(id);
                        }
                    }
                    self.expr(diverge, &mut other);
                }
                value
            }
            None => Value::default(),
        };
        if let Some(ty) = annotation {
            match self.cx.names.type_item(ty) {
                Some(ReqwestItem::Response)
                    if value.ids.is_empty() && !matches!(ty, syn::Type::Reference(_)) =>
                {
                    if let Some(init) = &local.init {
                        let span = self.span(init.expr.span());
                        value = self.source(span, false, false, state);
                    }
                }
                _ if self.cx.names.collection_of_responses(ty) => {
                    if let Some(init) = &local.init {
                        if let Some(collect) = collect_call(&init.expr) {
                            self.event(Event::Collected {
                                span: self.cx.map.span_between(
                                    collect.dot_token.span,
                                    collect.paren_token.span.close(),
                                ),
                                call: collect.method.to_string(),
                            });
                        }
                    }
                    value.shape = Shape::Iter(Flavor::Ready);
                }
                Some(ReqwestItem::Client) => value.shape = Shape::Client,
                Some(ReqwestItem::RequestBuilder) => value.shape = Shape::Builder { head: false },
                _ => {}
            }
        }
        if matches!(pat, syn::Pat::Wild(_)) {
            return;
        }
        self.bind_pattern(pat, value, state);
    }

    // ----- expressions -----

    pub(super) fn expr(&mut self, expr: &syn::Expr, state: &mut State) -> Value {
        if !state.reachable {
            return Value::default();
        }
        match expr {
            syn::Expr::Await(await_expr) => self.await_expr(await_expr, state),
            syn::Expr::Try(try_expr) => {
                let value = self.expr(&try_expr.expr, state);
                // The value `?` is applied to is not dropped by its own exit (the `Err` of
                // `error_for_status()?` is dropped inside reqwest); a body read that exits has
                // already released its response.
                let span = self.span(try_expr.question_token.span);
                self.exit(state, &value.ids, Exit::Try, span);
                value
            }
            syn::Expr::MethodCall(call) => self.method_call(call, state),
            syn::Expr::Call(call) => self.call(call, state),
            syn::Expr::Path(path) => {
                if path.qself.is_none() && path.path.segments.len() == 1 {
                    let name = mentions::unraw(&path.path.segments[0].ident.to_string());
                    if let Some(var) = state.var(&name) {
                        return var.value.clone();
                    }
                }
                Value::default()
            }
            syn::Expr::Reference(reference) => {
                let value = self.expr(&reference.expr, state);
                if reference.mutability.is_some() && !value.ids.is_empty() {
                    // `&mut resp` lets the callee read the body: cannot tell.
                    self.release(&value.ids, state, Release::Unknown);
                }
                match value.shape {
                    Shape::Client | Shape::Builder { .. } | Shape::Iter(_) => {
                        Value::shaped(value.shape)
                    }
                    _ => Value::default(),
                }
            }
            syn::Expr::Paren(paren) => self.expr(&paren.expr, state),
            syn::Expr::Group(group) => self.expr(&group.expr, state),
            syn::Expr::Block(block) => self.block(&block.block, state),
            syn::Expr::Unsafe(block) => self.block(&block.block, state),
            syn::Expr::Const(block) => self.block(&block.block, state),
            syn::Expr::TryBlock(block) => self.block(&block.block, state),
            syn::Expr::If(if_expr) => self.if_expr(if_expr, state),
            syn::Expr::Match(match_expr) => self.match_expr(match_expr, state),
            syn::Expr::Loop(loop_expr) => self.loop_expr(
                LoopKind::Loop,
                loop_expr.label.as_ref(),
                &loop_expr.body,
                state,
            ),
            syn::Expr::While(while_expr) => self.loop_expr(
                LoopKind::While(&while_expr.cond),
                while_expr.label.as_ref(),
                &while_expr.body,
                state,
            ),
            syn::Expr::ForLoop(for_expr) => {
                let iterated = self.expr(&for_expr.expr, state);
                self.release(&iterated.ids, state, Release::Move);
                self.loop_expr(
                    LoopKind::For(&for_expr.pat),
                    for_expr.label.as_ref(),
                    &for_expr.body,
                    state,
                )
            }
            syn::Expr::Break(break_expr) => {
                let value = match &break_expr.expr {
                    Some(inner) => self.expr(inner, state),
                    None => Value::default(),
                };
                let label = break_expr.label.as_ref().map(|l| l.ident.to_string());
                let span = self.span(break_expr.break_token.span);
                self.leave_loop(label, Some(value), state, span);
                Value::default()
            }
            syn::Expr::Continue(continue_expr) => {
                let label = continue_expr.label.as_ref().map(|l| l.ident.to_string());
                let span = self.span(continue_expr.continue_token.span);
                self.leave_loop(label, None, state, span);
                Value::default()
            }
            syn::Expr::Return(ret) => {
                let value = match &ret.expr {
                    Some(inner) => self.expr(inner, state),
                    None => Value::default(),
                };
                let span = self.span(ret.return_token.span);
                self.exit(state, &value.ids, Exit::Return, span);
                self.release(&value.ids, state, Release::Move);
                let returned = std::mem::take(&mut self.body.returned);
                self.body.returned = returned.join(value);
                state.reachable = false;
                Value::default()
            }
            syn::Expr::Closure(closure) => self.closure(closure, state),
            syn::Expr::Async(async_block) => self.async_block(async_block, state),
            syn::Expr::Assign(assign) => {
                let value = self.expr(&assign.right, state);
                self.assign(&assign.left, value, state);
                Value::default()
            }
            syn::Expr::Tuple(tuple) => {
                for elem in &tuple.elems {
                    let value = self.expr(elem, state);
                    self.release(&value.ids, state, Release::Move);
                }
                Value::default()
            }
            syn::Expr::Array(array) => {
                for elem in &array.elems {
                    let value = self.expr(elem, state);
                    self.release(&value.ids, state, Release::Move);
                }
                Value::default()
            }
            syn::Expr::Struct(strukt) => {
                for field in &strukt.fields {
                    let value = self.expr(&field.expr, state);
                    self.release(&value.ids, state, Release::Move);
                }
                if let Some(rest) = &strukt.rest {
                    self.expr(rest, state);
                }
                Value::default()
            }
            syn::Expr::Field(field) => {
                let base = self.expr(&field.base, state);
                if !base.ids.is_empty() {
                    // A field of a tuple/struct carrying a response: cannot tell which part.
                    self.release(&base.ids, state, Release::Unknown);
                }
                if let syn::Member::Named(name) = &field.member {
                    if self.cx.client_fields.contains(&name.to_string()) {
                        return Value::shaped(Shape::Client);
                    }
                }
                Value::default()
            }
            syn::Expr::Index(index) => {
                self.expr(&index.expr, state);
                self.expr(&index.index, state);
                Value::default()
            }
            syn::Expr::Binary(binary) => {
                self.expr(&binary.left, state);
                self.expr(&binary.right, state);
                Value::default()
            }
            syn::Expr::Unary(unary) => {
                let value = self.expr(&unary.expr, state);
                if matches!(unary.op, syn::UnOp::Deref(_)) {
                    return value;
                }
                Value::default()
            }
            syn::Expr::Cast(cast) => {
                self.expr(&cast.expr, state);
                Value::default()
            }
            syn::Expr::Range(range) => {
                if let Some(start) = &range.start {
                    self.expr(start, state);
                }
                if let Some(end) = &range.end {
                    self.expr(end, state);
                }
                Value::default()
            }
            syn::Expr::Repeat(repeat) => {
                self.expr(&repeat.expr, state);
                Value::default()
            }
            syn::Expr::Let(let_expr) => {
                // A `let` outside `if`/`while` conditions (let chains are handled there).
                let value = self.expr(&let_expr.expr, state);
                self.bind_pattern(&let_expr.pat, value, state);
                Value::default()
            }
            syn::Expr::Macro(mac) => self.mac(&mac.mac, state),
            syn::Expr::Yield(yield_expr) => {
                if let Some(inner) = &yield_expr.expr {
                    let value = self.expr(inner, state);
                    self.release(&value.ids, state, Release::Move);
                }
                Value::default()
            }
            _ => Value::default(),
        }
    }

    fn await_expr(&mut self, await_expr: &syn::ExprAwait, state: &mut State) -> Value {
        let value = self.expr(&await_expr.base, state);
        let mut involved = self.mentioned_ids(&mentions::in_expr(&await_expr.base), state);
        involved.extend(value.ids.iter().copied());
        let span = self.span(await_expr.await_token.span);
        let live: Vec<Id> = state.live.iter().copied().collect();
        for id in live {
            if !involved.contains(&id) && state.is_bound(id) {
                self.hold(id, span, "it is still alive and unread across this await");
            }
        }
        match value.shape {
            Shape::Future => {
                for &id in &value.ids {
                    self.facts.tracked[id].awaited = true;
                    state.live.insert(id);
                }
                Value {
                    ids: value.ids,
                    shape: Shape::Plain,
                }
            }
            Shape::Plain => value,
            _ => Value::default(),
        }
    }

    fn assign(&mut self, left: &syn::Expr, value: Value, state: &mut State) {
        if let syn::Expr::Path(path) = left {
            if path.qself.is_none() && path.path.segments.len() == 1 {
                let name = mentions::unraw(&path.path.segments[0].ident.to_string());
                if let Some(var) = state.var_mut(&name).filter(|var| !var.captured) {
                    var.value = value;
                    self.drop_unbound(state, &[]);
                    return;
                }
            }
        }
        if matches!(left, syn::Expr::Infer(_)) {
            return;
        }
        // A field, an index, a deref, a global: the response is handed outside.
        self.expr(left, state);
        self.release(&value.ids, state, Release::Move);
    }

    fn if_expr(&mut self, if_expr: &syn::ExprIf, state: &mut State) -> Value {
        self.push_scope();
        let mut otherwise = self.condition(&if_expr.cond, state);
        let mut then_state = state.clone();
        let size_guard = exits_cost_nothing(&if_expr.cond);
        self.body.size_guard += usize::from(size_guard);
        let then_value = self.block(&if_expr.then_branch, &mut then_state);
        self.body.size_guard -= usize::from(size_guard);
        let else_value = match &if_expr.else_branch {
            Some((_, else_expr)) => self.expr(else_expr, &mut otherwise),
            None => Value::default(),
        };
        // The condition's `let` bindings live only in the then-branch.
        let depth = self.body.depth;
        then_state.vars.retain(|var| var.depth < depth);
        *state = then_state.join(otherwise);
        self.pop_scope(
            state,
            &[then_value.ids.clone(), else_value.ids.clone()].concat(),
        );
        then_value.join(else_value)
    }

    /// Evaluates an `if`/`while` condition, binding `let` patterns into `state` (the path
    /// where the condition holds) and returning the state where it does not.
    fn condition(&mut self, cond: &syn::Expr, state: &mut State) -> State {
        match cond {
            syn::Expr::Let(let_expr) => {
                let value = self.expr(&let_expr.expr, state);
                let mut otherwise = state.clone();
                if refutable_drops_value(&let_expr.pat) {
                    for id in &value.ids {
                        otherwise.live.remove(id);
                    }
                }
                self.bind_pattern(&let_expr.pat, value, state);
                otherwise
            }
            syn::Expr::Binary(binary) if matches!(binary.op, syn::BinOp::And(_)) => {
                let first = self.condition(&binary.left, state);
                let second = self.condition(&binary.right, state);
                first.join(second)
            }
            syn::Expr::Paren(paren) => self.condition(&paren.expr, state),
            other => {
                self.expr(other, state);
                state.clone()
            }
        }
    }

    fn match_expr(&mut self, match_expr: &syn::ExprMatch, state: &mut State) -> Value {
        let scrutinee = self.expr(&match_expr.expr, state);
        let size_guard = exits_cost_nothing(&match_expr.expr);
        self.body.size_guard += usize::from(size_guard);
        let mut joined = state.unreachable_like();
        let mut result = Value::default();
        for arm in &match_expr.arms {
            let mut arm_state = state.clone();
            self.push_scope();
            if binds_nothing_of_value(&arm.pat) {
                for id in &scrutinee.ids {
                    arm_state.live.remove(id);
                }
            } else {
                self.bind_pattern(&arm.pat, scrutinee.clone(), &mut arm_state);
            }
            if let Some((_, guard)) = &arm.guard {
                self.expr(guard, &mut arm_state);
            }
            let arm_guard = is_empty_body_status(&quote::ToTokens::to_token_stream(&arm.pat));
            self.body.size_guard += usize::from(arm_guard);
            let value = self.expr(&arm.body, &mut arm_state);
            self.body.size_guard -= usize::from(arm_guard);
            self.pop_scope(&mut arm_state, &value.ids);
            result = result.join(value);
            joined = joined.join(arm_state);
        }
        self.body.size_guard -= usize::from(size_guard);
        *state = joined;
        if !state.reachable {
            return Value::default();
        }
        result
    }

    fn loop_expr(
        &mut self,
        kind: LoopKind<'_>,
        label: Option<&syn::Label>,
        body: &syn::Block,
        state: &mut State,
    ) -> Value {
        let entry = state.clone();
        self.body.loops.push(LoopFrame {
            label: label.map(|l| l.name.ident.to_string()),
            depth: self.body.depth,
            breaks: None,
            continues: None,
            value: Value::default(),
        });
        self.body.loop_depth += 1;
        let mut head = entry.clone();
        let mut exit_without_break = entry.unreachable_like();
        // Two walks: the second sees what the first iteration leaves alive.
        for _ in 0..2 {
            let mut iteration = head.clone();
            self.push_scope();
            match kind {
                LoopKind::Loop => {}
                LoopKind::While(cond) => {
                    let otherwise = self.condition(cond, &mut iteration);
                    exit_without_break = exit_without_break.join(otherwise);
                }
                LoopKind::For(pat) => {
                    exit_without_break = exit_without_break.join(iteration.clone());
                    self.bind_pattern(pat, Value::default(), &mut iteration);
                }
            }
            let value = self.block(body, &mut iteration);
            self.release(&value.ids, &mut iteration, Release::Move);
            self.pop_scope(&mut iteration, &[]);
            let frame = self.body.loops.last_mut().expect("pushed above");
            let continues = frame.continues.take();
            let mut next = entry.clone().join(iteration);
            if let Some(continues) = continues {
                next = next.join(continues);
            }
            head = next;
        }
        self.body.loop_depth -= 1;
        let frame = self.body.loops.pop().expect("pushed above");
        let mut after = exit_without_break;
        if let Some(breaks) = frame.breaks {
            after = after.join(breaks);
        }
        *state = after;
        frame.value
    }

    /// `break` (with its value, `Some`) or `continue` (`None`).
    fn leave_loop(
        &mut self,
        label: Option<String>,
        broken: Option<Value>,
        state: &mut State,
        span: Span,
    ) {
        let is_break = broken.is_some();
        let value = broken.unwrap_or_default();
        let position = match &label {
            Some(label) => self
                .body
                .loops
                .iter()
                .rposition(|frame| frame.label.as_deref() == Some(label.as_str())),
            None => self.body.loops.len().checked_sub(1),
        };
        let Some(position) = position else {
            // A `break` out of a labelled block, or outside any loop we know: stop here.
            self.release(&value.ids, state, Release::Move);
            state.reachable = false;
            return;
        };
        let depth = self.body.loops[position].depth;
        let exit = if is_break {
            Exit::Break(depth)
        } else {
            Exit::Continue(depth)
        };
        self.exit(state, &value.ids, exit, span);
        let mut leaving = state.clone();
        leaving.vars.retain(|var| var.depth <= depth);
        self.drop_unbound(&mut leaving, &value.ids);
        let frame = &mut self.body.loops[position];
        frame.value = std::mem::take(&mut frame.value).join(value);
        let slot = if is_break {
            &mut frame.breaks
        } else {
            &mut frame.continues
        };
        *slot = Some(match slot.take() {
            Some(previous) => previous.join(leaving),
            None => leaving,
        });
        state.reachable = false;
    }

    // ----- closures and async blocks -----

    /// Walks a closure or async block as a nested body; returns what it yields.
    /// A `move` closure or async block takes the responses it mentions: they are handed on.
    /// A non-`move` one borrows them, and releases only those its body reads or moves.
    fn nested_body(
        &mut self,
        is_async: bool,
        is_move: bool,
        inputs: &[&syn::Pat],
        body: NestedBody<'_>,
        state: &mut State,
    ) -> Value {
        // Responses of the enclosing body that the nested one mentions are captured.
        let mentioned = match body {
            NestedBody::Block(block) => mentions::in_block(block),
            NestedBody::Expr(expr) => mentions::in_expr(expr),
        };
        let captured = self.mentioned_ids(&mentioned, state);
        let captured: Vec<Id> = captured
            .into_iter()
            .filter(|id| {
                inputs.iter().all(|pat| {
                    let mut names = Vec::new();
                    pattern_names(pat, &mut names);
                    !names
                        .iter()
                        .any(|n| state.var(n).is_some_and(|var| var.value.ids.contains(id)))
                })
            })
            .collect();
        if is_move {
            self.release(&captured, state, Release::Move);
        }

        let outer_async = self.body.is_async;
        let saved = std::mem::replace(&mut self.body, Body::new(is_async || outer_async, true));
        let mut inner = State::new();
        // The enclosing bindings stay visible (a `RequestBuilder` built outside and sent
        // inside); moved responses are the nested body's no more.
        inner.vars = state
            .vars
            .iter()
            .map(|var| Var {
                name: var.name.clone(),
                value: if is_move {
                    Value::shaped(var.value.shape)
                } else {
                    var.value.clone()
                },
                depth: 0,
                loop_depth: 0,
                captured: true,
            })
            .collect();
        let log_start = self.release_log.len();
        self.body.depth = 1;
        for pat in inputs {
            match pat {
                syn::Pat::Type(typed) => self.bind_param(typed, &mut inner),
                pat => self.bind_pattern(pat, Value::default(), &mut inner),
            }
        }
        let value = match body {
            NestedBody::Block(block) => self.fn_block(block, &mut inner),
            NestedBody::Expr(syn::Expr::Block(block)) if block.label.is_none() => {
                self.fn_block(&block.block, &mut inner)
            }
            NestedBody::Expr(other) => self.expr(other, &mut inner),
        };
        self.release(&value.ids, &mut inner, Release::Move);
        let returned = std::mem::replace(&mut self.body, saved).returned;
        if !is_move {
            for id in &self.release_log[log_start..] {
                if captured.contains(id) {
                    state.live.remove(id);
                }
            }
        }
        value.join(returned)
    }

    fn closure(&mut self, closure: &syn::ExprClosure, state: &mut State) -> Value {
        let inputs: Vec<&syn::Pat> = closure.inputs.iter().collect();
        let is_async = closure.asyncness.is_some();
        let is_move = closure.capture.is_some();
        let body = NestedBody::Expr(&closure.body);
        let yielded = self.nested_body(is_async, is_move, &inputs, body, state);
        let flavor = match yielded.shape {
            Shape::Future => Some(Flavor::Future),
            Shape::Plain if !yielded.ids.is_empty() => Some(if is_async {
                Flavor::Future
            } else {
                Flavor::Ready
            }),
            _ => None,
        };
        match flavor {
            Some(flavor) => Value::shaped(Shape::Closure(flavor)),
            None => Value::default(),
        }
    }

    fn async_block(&mut self, async_block: &syn::ExprAsync, state: &mut State) -> Value {
        let is_move = async_block.capture.is_some();
        let body = NestedBody::Block(&async_block.block);
        let yielded = self.nested_body(true, is_move, &[], body, state);
        if !yielded.ids.is_empty() && yielded.shape == Shape::Plain {
            Value::shaped(Shape::Future)
        } else {
            Value::default()
        }
    }

    /// `result.map(|resp| ..)`: the closure gets the response; walked in place.
    pub(super) fn closure_in_place(
        &mut self,
        closure: &syn::ExprClosure,
        param: Value,
        state: &mut State,
    ) -> Value {
        self.push_scope();
        if let Some(pat) = closure.inputs.first() {
            let pat = match pat {
                syn::Pat::Type(typed) => &*typed.pat,
                pat => pat,
            };
            self.bind_pattern(pat, param, state);
        }
        let value = self.expr(&closure.body, state);
        self.pop_scope(state, &value.ids);
        value
    }
}

/// Whether an `if` condition or `match` scrutinee is a size check or a check for a status
/// whose body is always empty (204 No Content, 304 Not Modified).
fn exits_cost_nothing(condition: &syn::Expr) -> bool {
    if mentions::calls_method(condition, "content_length") {
        return true;
    }
    is_empty_body_status(&quote::ToTokens::to_token_stream(condition))
}

/// Whether tokens name a status whose response has no body: 204 or 304.
fn is_empty_body_status(tokens: &proc_macro2::TokenStream) -> bool {
    let text = tokens.to_string();
    text.split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|word| matches!(word, "NOT_MODIFIED" | "NO_CONTENT" | "304" | "204"))
}

/// The body of a closure (an expression) or of an async block (a block).
#[derive(Clone, Copy)]
enum NestedBody<'a> {
    Block(&'a syn::Block),
    Expr(&'a syn::Expr),
}

#[derive(Clone, Copy)]
enum LoopKind<'a> {
    Loop,
    While(&'a syn::Expr),
    For(&'a syn::Pat),
}

/// The `.collect()` an initializer ends in, through `?`, `.await`, `unwrap`/`expect`.
fn collect_call(expr: &syn::Expr) -> Option<&syn::ExprMethodCall> {
    match expr {
        syn::Expr::MethodCall(call) if call.method == "collect" || call.method == "try_collect" => {
            Some(call)
        }
        syn::Expr::MethodCall(call) if call.method == "unwrap" || call.method == "expect" => {
            collect_call(&call.receiver)
        }
        syn::Expr::Try(inner) => collect_call(&inner.expr),
        syn::Expr::Await(inner) => collect_call(&inner.base),
        syn::Expr::Paren(inner) => collect_call(&inner.expr),
        _ => None,
    }
}

/// Names a pattern binds.
fn pattern_names(pat: &syn::Pat, names: &mut Vec<String>) {
    match pat {
        syn::Pat::Ident(ident) => {
            names.push(mentions::unraw(&ident.ident.to_string()));
            if let Some((_, sub)) = &ident.subpat {
                pattern_names(sub, names);
            }
        }
        syn::Pat::TupleStruct(tuple) => tuple.elems.iter().for_each(|p| pattern_names(p, names)),
        syn::Pat::Tuple(tuple) => tuple.elems.iter().for_each(|p| pattern_names(p, names)),
        syn::Pat::Struct(strukt) => strukt
            .fields
            .iter()
            .for_each(|field| pattern_names(&field.pat, names)),
        syn::Pat::Slice(slice) => slice.elems.iter().for_each(|p| pattern_names(p, names)),
        syn::Pat::Type(typed) => pattern_names(&typed.pat, names),
        syn::Pat::Paren(paren) => pattern_names(&paren.pat, names),
        syn::Pat::Reference(reference) => pattern_names(&reference.pat, names),
        syn::Pat::Or(or) => {
            if let Some(first) = or.cases.first() {
                pattern_names(first, names);
            }
        }
        _ => {}
    }
}

/// Whether the path a refutable pattern does *not* match has no response:
/// `Ok(..)`/`Some(..)` patterns (the other side is `Err`/`None`).
fn refutable_drops_value(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::TupleStruct(tuple) => tuple
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Ok" || s.ident == "Some"),
        syn::Pat::Paren(paren) => refutable_drops_value(&paren.pat),
        _ => false,
    }
}

/// Whether a `match` arm's pattern leaves the response out: `Err(..)`, `None`, `_`.
fn binds_nothing_of_value(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::Wild(_) => true,
        syn::Pat::Ident(ident) => ident.ident == "None",
        syn::Pat::Path(path) => path.path.is_ident("None"),
        syn::Pat::TupleStruct(tuple) => {
            tuple.path.segments.last().is_some_and(|s| s.ident == "Err")
        }
        _ => false,
    }
}

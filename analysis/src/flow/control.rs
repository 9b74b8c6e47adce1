//! Statements, expressions and control flow: blocks, branches, `match`, loops (walked twice, so
//! the second walk sees what the first iteration leaves alive), and early exits.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use super::engine::{Engine, Exit, LoopFrame, Release};
use super::guards;
use super::mentions;
use super::scopes::{binds_nothing_of_value, refutable_drops_value};
use super::state::{Fate, Fresh, Id, Shape, State, Value, Var};
use super::{Outcome, PlaceKind};
use crate::diagnostic::Span;
use crate::model::syntax::{self, pattern_names};

/// The name of the hidden binding of a `match` arm that holds the scrutinee's response without
/// naming it (`_` after a guarded arm, `Ok(_)`): an exit there drops it.
const MATCHED: &str = "<matched>";

#[derive(Clone, Copy)]
pub(super) enum LoopKind<'a> {
    Loop,
    While(&'a syn::Expr),
    /// A `for` loop's pattern, the type name of the items (when known), and what it iterates.
    For(&'a syn::Pat, Option<&'a str>, &'a syn::Expr),
}

impl Engine<'_, '_> {
    pub(super) fn fn_block(&mut self, block: &syn::Block, state: &mut State) -> Value {
        self.block_inner(block, state, true)
    }

    pub(super) fn block(&mut self, block: &syn::Block, state: &mut State) -> Value {
        self.block_inner(block, state, false)
    }

    fn block_inner(&mut self, block: &syn::Block, state: &mut State, is_fn_body: bool) -> Value {
        let tail = std::mem::take(&mut self.body.tail) || is_fn_body;
        self.push_scope();
        let mut last = Value::default();
        let count = block.stmts.len();
        let error_path = self.body.error_path;
        let mut at = 0;
        let mut failed_after = 0;
        while at < count {
            if !state.reachable {
                break;
            }
            if std::mem::take(&mut self.body.failure_after) {
                failed_after += 1;
                self.body.error_path += 1;
                self.mark_failed(state);
            }
            if std::mem::take(&mut self.body.success_after) && failed_after > 0 {
                self.body.error_path -= failed_after;
                failed_after = 0;
                let live: Vec<_> = state.live.iter().copied().collect();
                for id in live {
                    if let Some(fate) = state.fates.get_mut(&id) {
                        fate.failed = false;
                    }
                }
            }
            self.body.checked_by_call.clear();
            let stmt = &block.stmts[at];
            // `#[cfg(a)] let r = ..; #[cfg(not(a))] let r = ..;`: one build has one of them,
            // so they are two paths, not one binding shadowing another.
            if let Some(alternative) = block
                .stmts
                .get(at + 1)
                .filter(|next| cfg_alternatives(stmt, next))
            {
                let mut other = state.clone();
                let is_last = at + 2 == count;
                let mine = self.stmt(stmt, state, is_last, tail, is_fn_body);
                let theirs = self.stmt(alternative, &mut other, is_last, tail, is_fn_body);
                *state = std::mem::take(state).join(other);
                if let (Some(mine), Some(theirs)) = (mine, theirs) {
                    last = mine.join(theirs);
                }
                at += 2;
            } else {
                if let Some(value) = self.stmt(stmt, state, at + 1 == count, tail, is_fn_body) {
                    last = value;
                }
                at += 1;
            }
            if state.reachable {
                self.drop_unbound(state, &last.ids);
            }
        }
        self.body.failure_after = false;
        self.body.success_after = false;
        self.body.error_path = error_path;
        if !state.reachable {
            last = Value::default();
        }
        self.pop_scope(state, &last.ids);
        last
    }

    /// One statement; the block's value when it is the block's last expression.
    fn stmt(
        &mut self,
        stmt: &syn::Stmt,
        state: &mut State,
        is_last: bool,
        tail: bool,
        is_fn_body: bool,
    ) -> Option<Value> {
        match stmt {
            syn::Stmt::Local(local) => self.local(local, state),
            syn::Stmt::Item(_) => {}
            syn::Stmt::Expr(expr, None) if is_last => {
                self.body.tail = tail;
                return Some(self.expr(expr, state));
            }
            syn::Stmt::Expr(syn::Expr::Return(ret), Some(_)) if is_last && is_fn_body => {
                // A `return x;` ending the function is its normal path, not an early exit.
                return Some(match &ret.expr {
                    Some(expr) => {
                        self.body.tail = true;
                        self.expr(expr, state)
                    }
                    None => Value::default(),
                });
            }
            syn::Stmt::Expr(expr, _) => {
                self.expr(expr, state);
            }
            syn::Stmt::Macro(mac) => {
                self.mac(&mac.mac, state);
            }
        }
        None
    }

    pub(super) fn expr(&mut self, expr: &syn::Expr, state: &mut State) -> Value {
        let tail = std::mem::take(&mut self.body.tail);
        if !state.reachable {
            return Value::default();
        }
        // Through a block or parentheses, the error value is the innermost tail expression.
        let transparent = matches!(
            expr,
            syn::Expr::Block(_) | syn::Expr::Paren(_) | syn::Expr::Group(_)
        );
        // An error value made anywhere on a failure path carries the failure on: sent down a
        // channel, pushed into the results, handed to a callback.
        let made_error = tail || matches!(expr, syn::Expr::Call(_));
        if made_error && !transparent && guards::is_error_value(expr) {
            // The body's value is an error: a response taken on a failure status and dropped
            // unread after this lost the message that error should have carried.
            let value = self.expr_inner(expr, state, false);
            let span = self.span(syn::spanned::Spanned::span(expr));
            self.mark_outcome(state, Outcome::Error, span);
            return value;
        }
        self.expr_inner(expr, state, tail)
    }

    fn expr_inner(&mut self, expr: &syn::Expr, state: &mut State, tail: bool) -> Value {
        if matches!(
            expr,
            syn::Expr::Call(_) | syn::Expr::MethodCall(_) | syn::Expr::Try(_)
        ) {
            if let Some(method) = super::methods::method_value(expr) {
                return method;
            }
            if let Some(method) = self.method_from_text(expr, state) {
                return method;
            }
        }
        // `"POST"`: a method's name, which `Method::from_str` makes a method (and which a
        // caller passes for a parameter that does so).
        if let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = expr
        {
            if let Some(method) = super::methods::method_name_value(&text.value()) {
                return method;
            }
        }
        match expr {
            syn::Expr::Await(await_expr) => self.await_expr(await_expr, state),
            syn::Expr::Try(try_expr) => {
                // What `?` is applied to leaves the function on its error: an `Err(..)` there
                // (a `match` arm, an `if` branch) is the function's error value.
                self.body.tail = true;
                let value = self.expr(&try_expr.expr, state);
                let error = guards::is_error_value(&try_expr.expr);
                // The value `?` is applied to is not dropped by its own exit (the `Err` of
                // `error_for_status()?` is dropped inside reqwest); a body read that exits has
                // already released its response.
                let span = self.span(try_expr.question_token.span);
                self.exit(state, &value.ids, Exit::Try { error }, span);
                let checked = std::mem::take(&mut self.body.checked_by_call);
                if !checked.is_empty() {
                    // `check_status(&resp)?`: the `?` leaves with the checker's error on a
                    // failure status of the responses it was lent.
                    let mut failing = state.clone();
                    for &id in &checked {
                        let fate = failing.fates.entry(id).or_insert_with(Fate::failed);
                        fate.failed = true;
                        fate.errored = true;
                        fate.span.get_or_insert(span);
                    }
                    let keep: Vec<Id> = state
                        .live
                        .iter()
                        .copied()
                        .filter(|id| !checked.contains(id))
                        .chain(value.ids.iter().copied())
                        .collect();
                    self.exit(&failing, &keep, Exit::Try { error: true }, span);
                    // Past the `?`, the checker found a success.
                    for &id in &checked {
                        if state.live.contains(&id) {
                            self.succeeded(id, state);
                        }
                    }
                }
                value
            }
            syn::Expr::MethodCall(call) => self.method_call(call, state),
            syn::Expr::Call(call) => self.call(call, state),
            syn::Expr::Path(path) if path.path.is_ident("self") => state
                .var("self")
                .map(|var| var.value.clone())
                .unwrap_or_default(),
            syn::Expr::Path(path) => {
                if let Some(name) = syntax::local_name(path) {
                    if let Some(var) = state.var(&name) {
                        return var.value.clone();
                    }
                }
                if let Some(method) = super::methods::method_value(expr) {
                    return method;
                }
                // A function of the crate used as a value (`let f = match .. { A => a::fetch }`).
                let candidates = self.resolve_path(&path.path, state);
                // Called where the analysis may not see with what.
                for &candidate in &candidates {
                    self.pass(candidate, None, &[], 0);
                }
                match candidates.as_slice() {
                    [function] => Value::shaped(Shape::FnItem(*function)),
                    _ => Value::default(),
                }
            }
            syn::Expr::Reference(reference) => {
                let value = self.expr(&reference.expr, state);
                if reference.mutability.is_some() && !value.ids.is_empty() {
                    // `&mut resp` lets the callee read the body: cannot tell.
                    self.release(&value.ids, state, Release::Unknown);
                }
                match value.shape {
                    Shape::Client
                    | Shape::Builder(_)
                    | Shape::Method(_)
                    | Shape::Maker(_)
                    | Shape::Iter(_)
                    | Shape::Service => Value {
                        ids: Vec::new(),
                        shape: value.shape,
                        client: value.client,
                        elements: Vec::new(),
                    },
                    // A borrow of a value holding a client.
                    Shape::Plain => Value {
                        client: value.client,
                        ..Value::default()
                    },
                    _ => Value::default(),
                }
            }
            syn::Expr::Paren(paren) => {
                self.body.tail = tail;
                self.expr(&paren.expr, state)
            }
            syn::Expr::Group(group) => {
                self.body.tail = tail;
                self.expr(&group.expr, state)
            }
            syn::Expr::Block(block) => {
                self.body.tail = tail;
                self.block(&block.block, state)
            }
            syn::Expr::Unsafe(block) => {
                self.body.tail = tail;
                self.block(&block.block, state)
            }
            syn::Expr::Const(block) => self.block(&block.block, state),
            syn::Expr::TryBlock(block) => self.block(&block.block, state),
            syn::Expr::If(if_expr) => self.if_expr(if_expr, state, tail),
            syn::Expr::Match(match_expr) => self.match_expr(match_expr, state, tail),
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
                let items = self.element_type(&for_expr.expr);
                self.loop_expr(
                    LoopKind::For(&for_expr.pat, items.as_deref(), &for_expr.expr),
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
                let error = ret.expr.as_deref().is_some_and(guards::is_error_value);
                self.exit(state, &value.ids, Exit::Return { error }, span);
                self.handed_back(&value.ids, state);
                self.release(&value.ids, state, Release::Move);
                if let Some(client) = value.client {
                    self.return_client(client);
                }
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
            // A tuple carries its elements' responses: `(Ok(resp), None, delay)` is taken apart
            // by a `let (result, ..) =` later.
            syn::Expr::Tuple(tuple) => {
                let mut carried = Value::default();
                for elem in &tuple.elems {
                    let value = self.expr(elem, state);
                    for &id in &value.ids {
                        if !carried.ids.contains(&id) {
                            carried.ids.push(id);
                        }
                    }
                    carried.client = carried.client.or(value.client);
                    carried.elements.push(value);
                }
                carried
            }
            syn::Expr::Array(array) => {
                for elem in &array.elems {
                    let value = self.expr(elem, state);
                    self.hand_on(value, state);
                }
                Value::default()
            }
            syn::Expr::Struct(strukt) => {
                // A wrapper around a request builder builds the same kind of request.
                let mut wrapped = Value::default();
                // A client stored in a field: the struct holds it.
                let mut held = None;
                for field in &strukt.fields {
                    let value = self.expr(&field.expr, state);
                    if let Shape::Builder(request) = value.shape {
                        wrapped = Value::shaped(Shape::Builder(request));
                    }
                    self.release(&value.ids, state, Release::Move);
                    self.hold_client(&mut held, value.client);
                }
                if let Some(rest) = &strukt.rest {
                    let value = self.expr(rest, state);
                    self.hold_client(&mut held, value.client);
                }
                wrapped.client = held;
                wrapped
            }
            syn::Expr::Field(field) => {
                let base = self.expr(&field.base, state);
                let member = match &field.member {
                    syn::Member::Named(name) => syntax::name(name),
                    syn::Member::Unnamed(index) => index.index.to_string(),
                };
                // The response inside one of the crate's wrappers (`self.inner`).
                if !base.ids.is_empty()
                    && self
                        .cx
                        .crate_map
                        .wrappers
                        .values()
                        .any(|fields| fields.contains(&member))
                {
                    return base;
                }
                // The builder inside one of the crate's builder wrappers (`self.builder`).
                if let Shape::Builder(kind) = base.shape {
                    if base.ids.is_empty() && self.builder_field(&member) {
                        return Value::shaped(Shape::Builder(kind));
                    }
                }
                if !base.ids.is_empty() {
                    // A field of a tuple/struct carrying a response: cannot tell which part.
                    self.release(&base.ids, state, Release::Unknown);
                }
                if let Some(held) = self.held_field(field, &base) {
                    return held;
                }
                if let syn::Member::Named(name) = &field.member {
                    if self.client_field(&field.base, name) {
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
            // `Box::new(resp) as Box<dyn Body>`: the same value, moved on like any other.
            syn::Expr::Cast(cast) => self.expr(&cast.expr, state),
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
                    self.hand_on(value, state);
                }
                Value::default()
            }
            _ => Value::default(),
        }
    }

    /// A value moved somewhere the analysis does not follow (a struct, a tuple, a global):
    /// its responses are handed on, its client kept.
    pub(super) fn hand_on(&mut self, value: Value, state: &mut State) {
        self.release(&value.ids, state, Release::Move);
        if let Some(client) = value.client {
            self.escape_client(client);
        }
    }

    fn await_expr(&mut self, await_expr: &syn::ExprAwait, state: &mut State) -> Value {
        let value = self.expr(&await_expr.base, state);
        let mut involved = self.mentioned_ids(&mentions::in_expr(&await_expr.base), state);
        involved.extend(value.ids.iter().copied());
        let span = self.span(await_expr.await_token.span);
        // Preparing a local file (`tokio::fs::create_dir_all(dir).await`, or a helper of the
        // crate that only does that) waits on the disk, not on another party: it is not an
        // unrelated wait.
        let on_local_file = guards::chain_root(&await_expr.base)
            .is_some_and(|root| self.local_files.contains(&root));
        if !guards::is_local_file_io(&await_expr.base)
            && !on_local_file
            && !self.awaits_local_helper(&await_expr.base, &involved, state)
        {
            self.waits_elsewhere = true;
            self.hold_live(state, &involved, span, PlaceKind::Await);
        }
        match value.shape {
            Shape::Future(_) => {
                for &id in &value.ids {
                    self.facts.tracked[id].awaited = true;
                    state.live.insert(id);
                    if self.facts.tracked[id].checked_at_source {
                        self.succeeded(id, state);
                    }
                }
                Value::responses(value.ids)
            }
            Shape::Plain => value,
            // An `async fn` handing out a client or a request builder: the same, awaited.
            Shape::Client | Shape::Builder(_) | Shape::Service => Value {
                ids: Vec::new(),
                shape: value.shape,
                client: value.client,
                elements: Vec::new(),
            },
            _ => Value::default(),
        }
    }

    /// Whether an awaited expression calls a function of the crate whose summary says it
    /// waits only locally (or never suspends). When a response is held across it and the
    /// summary does not say so, the function's body is wanted: a body the lazy parse left
    /// unread has a summary that says nothing.
    fn awaits_local_helper(&mut self, base: &syn::Expr, involved: &[Id], state: &State) -> bool {
        let candidates = match base {
            syn::Expr::Call(call) => match &*call.func {
                syn::Expr::Path(path) => self.resolve_path(&path.path, state),
                _ => Vec::new(),
            },
            syn::Expr::MethodCall(call) => {
                let method = syntax::name(&call.method);
                match self.resolve_method(&call.receiver, &method, state) {
                    (found, true) => found,
                    _ => Vec::new(),
                }
            }
            syn::Expr::Paren(paren) => {
                return self.awaits_local_helper(&paren.expr, involved, state)
            }
            _ => Vec::new(),
        };
        let [callee] = candidates.as_slice() else {
            return false;
        };
        if self
            .cx
            .summaries
            .get(*callee)
            .is_some_and(|summary| summary.waits_locally)
        {
            return true;
        }
        // Asked for where it matters: a response is held across it, or this function is
        // itself asked how it waits.
        let holds = state
            .live
            .iter()
            .any(|id| !involved.contains(id) && state.is_bound(*id));
        let asked = self.cx.wanted.contains(&self.function.id);
        if (holds || asked) && !self.facts.wanted.contains(callee) {
            self.facts.wanted.push(*callee);
        }
        false
    }

    fn assign(&mut self, left: &syn::Expr, value: Value, state: &mut State) {
        if let syn::Expr::Path(path) = left {
            if let Some(name) = syntax::local_name(path) {
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
        self.hand_on(value, state);
    }

    fn if_expr(&mut self, if_expr: &syn::ExprIf, state: &mut State, tail: bool) -> Value {
        self.push_scope();
        let mut otherwise = self.condition(&if_expr.cond, state);
        let mut then_state = state.clone();
        // `if res.is_err() { .. }`: on that branch the request failed and no response exists.
        if let Some((name, then_has_none)) = guards::no_response_branch(&if_expr.cond) {
            let ids = state
                .var(&name)
                .map(|var| var.value.ids.clone())
                .unwrap_or_default();
            let side = if then_has_none {
                &mut then_state
            } else {
                &mut otherwise
            };
            for id in ids {
                side.live.remove(&id);
            }
        }
        let size_guard = guards::exits_cost_nothing(&if_expr.cond, &self.size_vars);
        let cond = self.read_condition(&if_expr.cond, state);
        let failure = guards::failure_branch(&cond);
        let expected = guards::expected_status_branch(&cond);
        if failure == Some(true) {
            self.mark_failed(&mut then_state);
        } else if failure == Some(false) {
            self.mark_failed(&mut otherwise);
        }
        match guards::success_branch(&cond) {
            Some(true) => self.mark_succeeded(&mut then_state),
            Some(false) => self.mark_succeeded(&mut otherwise),
            None => {}
        }
        self.body.size_guard += usize::from(size_guard);
        self.body.error_path += usize::from(failure == Some(true));
        self.body.expected_status += usize::from(expected);
        self.body.tail = tail;
        let then_value = self.block(&if_expr.then_branch, &mut then_state);
        if tail {
            self.dropped_by_value(&then_state, &then_value);
        }
        self.body.expected_status -= usize::from(expected);
        self.body.error_path -= usize::from(failure == Some(true));
        self.body.size_guard -= usize::from(size_guard);
        self.body.error_path += usize::from(failure == Some(false));
        let else_value = match &if_expr.else_branch {
            Some((_, else_expr)) => {
                self.body.tail = tail;
                let value = self.expr(else_expr, &mut otherwise);
                if tail {
                    self.dropped_by_value(&otherwise, &value);
                }
                value
            }
            None => Value::default(),
        };
        self.body.error_path -= usize::from(failure == Some(false));
        // `if status.is_success() { return Ok(resp); }`: what follows runs on a failure.
        let leaves = !then_state.reachable && if_expr.else_branch.is_none();
        self.body.failure_after = failure == Some(false) && leaves;
        self.body.success_after = failure == Some(true) && leaves;
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
    pub(super) fn condition(&mut self, cond: &syn::Expr, state: &mut State) -> State {
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

    fn match_expr(&mut self, match_expr: &syn::ExprMatch, state: &mut State, tail: bool) -> Value {
        let scrutinee = self.expr(&match_expr.expr, state);
        let size_guard = guards::exits_cost_nothing(&match_expr.expr, &self.size_vars);
        let scrutinee_read = self.read_condition(&match_expr.expr, state);
        let on_status = guards::is_status_check(&scrutinee_read);
        let on_status_result = guards::checks_status(&scrutinee_read);
        self.body.size_guard += usize::from(size_guard);
        let mut joined = state.unreachable_like();
        let mut result = Value::default();
        // A response that a guarded arm binds falls through to the next arms when its guard
        // fails: `Ok(resp) if resp.status().is_success() => .., _ => continue` drops it there.
        let mut falls_through = false;
        let mut after_success_guard = false;
        let mut after_success_arm = false;
        for arm in &match_expr.arms {
            let mut arm_state = state.clone();
            self.push_scope();
            let wildcard = matches!(arm.pat, syn::Pat::Wild(_));
            if binds_nothing_of_value(&arm.pat) && !(wildcard && falls_through) {
                for id in &scrutinee.ids {
                    arm_state.live.remove(id);
                }
            } else {
                let mut names = Vec::new();
                pattern_names(&arm.pat, &mut names);
                if names.is_empty() {
                    arm_state.vars.push(Var {
                        name: MATCHED.to_owned(),
                        value: scrutinee.clone(),
                        depth: self.body.depth,
                        loop_depth: self.body.loop_depth,
                        captured: false,
                        ty: None,
                    });
                } else {
                    self.bind_pattern(&arm.pat, scrutinee.clone(), &mut arm_state);
                }
            }
            if let Some((_, guard)) = &arm.guard {
                self.expr(guard, &mut arm_state);
            }
            let arm_guard = guards::is_empty_body_status(&arm.pat);
            let arm_expected = on_status && guards::is_expected_status_pattern(&arm.pat);
            // A catch-all arm (`_`, `other`) is taken on a failure only after an arm that
            // took the successes: after `400 => .., 503 => ..` it is the success path.
            let status_failure = match guards::is_catch_all(&arm.pat) {
                true => after_success_arm,
                false => !guards::is_success_pattern(&arm.pat),
            };
            // A guard on the status decides the arm: `Ok(r) if r.status() == 401 => bail!(..)`,
            // and `s if s == 401 => ..` on `match resp.status()` (the name is the status).
            let guard_read = arm.guard.as_ref().map(|(_, guard)| {
                match on_status.then(|| guards::binding_name(&arm.pat)).flatten() {
                    Some(name) => {
                        let status = HashMap::from_iter([(name, (*match_expr.expr).clone())]);
                        let guard = guards::expand(guard, &status);
                        Cow::Owned(self.read_condition(&guard, state).into_owned())
                    }
                    None => self.read_condition(guard, state),
                }
            });
            let guard_failure = guard_read.as_deref().and_then(guards::failure_branch);
            // After `Ok(r) if r.status().is_success() => ..`, an unguarded arm that binds the
            // same response again takes it on the other statuses.
            let rest_after_success = arm.guard.is_none()
                && after_success_guard
                && falls_through
                && !binds_nothing_of_value(&arm.pat)
                && !guards::is_err_pattern(&arm.pat);
            let arm_failure = (on_status && status_failure)
                || (on_status_result && guards::is_err_pattern(&arm.pat))
                || (wildcard && after_success_guard)
                || guard_failure == Some(true)
                || rest_after_success;
            after_success_arm |= guards::is_success_pattern(&arm.pat);
            if arm.guard.is_some() {
                falls_through |= !binds_nothing_of_value(&arm.pat);
                after_success_guard |= guard_failure == Some(false);
            }
            if arm_failure {
                self.mark_failed(&mut arm_state);
            } else if (on_status && guards::is_success_pattern(&arm.pat))
                || (on_status_result && !guards::is_err_pattern(&arm.pat) && !wildcard)
                || guard_read.as_deref().and_then(guards::success_branch) == Some(true)
            {
                self.mark_succeeded(&mut arm_state);
            }
            if arm_guard {
                // A 204 or 304: on this path there is no body to read.
                for &id in &arm_state.live {
                    self.facts.tracked[id].released_off_failure = true;
                }
            }
            self.body.size_guard += usize::from(arm_guard);
            self.body.error_path += usize::from(arm_failure);
            self.body.expected_status += usize::from(arm_expected);
            self.body.tail = tail;
            let value = self.expr(&arm.body, &mut arm_state);
            self.body.expected_status -= usize::from(arm_expected);
            self.body.error_path -= usize::from(arm_failure);
            self.body.size_guard -= usize::from(arm_guard);
            self.pop_scope(&mut arm_state, &value.ids);
            if tail {
                self.dropped_by_value(&arm_state, &value);
            }
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

    /// A branch that is the function's value drops, when the function returns, every live
    /// response that value does not carry (another branch may return it).
    fn dropped_by_value(&mut self, state: &State, value: &Value) {
        if !state.reachable {
            return;
        }
        let dropped: Vec<Id> = state
            .live
            .iter()
            .copied()
            .filter(|id| !value.ids.contains(id))
            .collect();
        for id in dropped {
            self.dropped_on_failure(state, id);
        }
    }

    pub(super) fn loop_expr(
        &mut self,
        kind: LoopKind<'_>,
        label: Option<&syn::Label>,
        body: &syn::Block,
        state: &mut State,
    ) -> Value {
        let entry = state.clone();
        let spread = match kind {
            LoopKind::For(pat, _, iterated) => self.spread_loop(pat, iterated, body),
            _ => None,
        };
        // A `for` over items is a batch; `loop`, `while` and a few counted rounds are more
        // often retries and polls than a batch of work.
        let batch = match kind {
            LoopKind::For(_, _, iterated) => self
                .iterations(iterated)
                .is_none_or(|count| count > super::rarity::MAX_BOUNDED_ITERATIONS),
            _ => false,
        };
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
                LoopKind::For(pat, items, _) => {
                    let mut names = Vec::new();
                    pattern_names(pat, &mut names);
                    self.item_names.extend(names);
                    exit_without_break = exit_without_break.join(iteration.clone());
                    self.bind_pattern(pat, Value::default(), &mut iteration);
                    if let (syn::Pat::Ident(_), Some(var)) = (pat, iteration.vars.last_mut()) {
                        var.ty = items.map(str::to_owned);
                    }
                }
            }
            let value = self.block(body, &mut iteration);
            self.release(&value.ids, &mut iteration, Release::Move);
            self.pop_scope(&mut iteration, &[]);
            let frame = self.body.loops.last_mut().expect("pushed above");
            let continues = frame.continues.take();
            // What this iteration did on a path that goes round again happens once per item.
            let mut again: BTreeSet<Fresh> = BTreeSet::new();
            if iteration.reachable {
                again.extend(iteration.fresh.difference(&entry.fresh));
            }
            if let Some(continues) = &continues {
                again.extend(continues.fresh.difference(&entry.fresh));
            }
            if let Some(spread) = &spread {
                spread.keep_repeated(self, &mut again);
            }
            self.repeat(again, batch);
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
}

/// Whether two statements are the two versions of one under complementary `#[cfg]`s:
/// `#[cfg(p)]` and `#[cfg(not(p))]`, in either order.
fn cfg_alternatives(first: &syn::Stmt, second: &syn::Stmt) -> bool {
    match (cfg_predicate(first), cfg_predicate(second)) {
        (Some(a), Some(b)) => a == format!("not ({b})") || b == format!("not ({a})"),
        _ => false,
    }
}

/// The predicate of a statement's `#[cfg(..)]`, as tokens.
fn cfg_predicate(stmt: &syn::Stmt) -> Option<String> {
    let attrs = match stmt {
        syn::Stmt::Local(local) => &local.attrs,
        syn::Stmt::Macro(mac) => &mac.attrs,
        syn::Stmt::Expr(syn::Expr::Call(call), _) => &call.attrs,
        syn::Stmt::Expr(syn::Expr::MethodCall(call), _) => &call.attrs,
        syn::Stmt::Expr(syn::Expr::Assign(assign), _) => &assign.attrs,
        _ => return None,
    };
    attrs.iter().find_map(|attr| {
        let syn::Meta::List(list) = &attr.meta else {
            return None;
        };
        list.path.is_ident("cfg").then(|| list.tokens.to_string())
    })
}

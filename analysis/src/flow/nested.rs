//! Closures and async blocks: nested bodies, walked where they are written. A `move` one takes
//! the responses it mentions; a non-`move` one borrows them and releases only those its body
//! reads or moves. What a nested body builds and calls happens where it runs: once per item
//! for a per-item closure, once for a once-initializer, and otherwise as part of the enclosing
//! code (a task spawned in a loop runs once per iteration).

use super::engine::{Body, Engine, NestedContext, Release};
use super::mentions;
use super::responses::request_kind;
use super::state::{Flavor, Id, Shape, State, Value, Var};
use super::vocabulary::{BUILDER_STEPS, REQUEST_STARTS};
use crate::model::syntax::pattern_names;
use crate::model::types::{self, Kind};

/// The body of a closure (an expression) or of an async block (a block).
#[derive(Clone, Copy)]
enum NestedBody<'a> {
    Block(&'a syn::Block),
    Expr(&'a syn::Expr),
}

impl Engine<'_, '_> {
    /// Evaluates `expr` (a call's argument) with `context` for the closure or async block it
    /// is, if it is one.
    pub(super) fn nested_arg(
        &mut self,
        expr: &syn::Expr,
        context: NestedContext,
        state: &mut State,
    ) -> Value {
        let saved = std::mem::replace(&mut self.nested_context, context);
        let value = self.expr(expr, state);
        self.nested_context = saved;
        value
    }

    /// Walks a closure or async block as a nested body; returns what it yields.
    fn nested_body(
        &mut self,
        is_async: bool,
        is_move: bool,
        inputs: &[&syn::Pat],
        body: NestedBody<'_>,
        state: &mut State,
    ) -> Value {
        let context = std::mem::take(&mut self.nested_context);
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
        let outer_once = self.body.once;
        let saved = std::mem::replace(&mut self.body, Body::new(is_async || outer_async, true));
        self.body.once = outer_once || context.once;
        let mut inner = State::new();
        // The enclosing bindings stay visible (a `RequestBuilder` built outside and sent
        // inside); moved responses are the nested body's no more.
        inner.vars = state
            .vars
            .iter()
            .map(|var| Var {
                name: var.name.clone(),
                value: if is_move {
                    Value {
                        ids: Vec::new(),
                        shape: var.value.shape,
                        client: var.value.client,
                        elements: Vec::new(),
                    }
                } else {
                    var.value.clone()
                },
                depth: 0,
                loop_depth: 0,
                captured: true,
                ty: var.ty.clone(),
            })
            .collect();
        let log_start = self.release_log.len();
        let fresh_start = self.fresh_log.len();
        self.body.depth = 1;
        for pat in inputs {
            let mut names = Vec::new();
            pattern_names(pat, &mut names);
            self.item_names.extend(names);
            match pat {
                syn::Pat::Type(typed) => {
                    self.bind_param(typed, None, &mut inner);
                }
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
        // What the nested body yields is handed to whoever runs it (a future's awaiter).
        for id in value.ids.iter().chain(&returned.ids) {
            self.facts.tracked[*id].returned = true;
        }
        let made: Vec<_> = self.fresh_log[fresh_start..].to_vec();
        if context.per_item {
            self.repeat(made.iter().copied(), true);
        }
        if !context.once {
            state.fresh.extend(made);
        }
        value.join(returned)
    }

    pub(super) fn closure(&mut self, closure: &syn::ExprClosure, state: &mut State) -> Value {
        let inputs: Vec<&syn::Pat> = closure.inputs.iter().collect();
        let is_async = closure.asyncness.is_some();
        let is_move = closure.capture.is_some();
        let body = NestedBody::Expr(&closure.body);
        let yielded = self.nested_body(is_async, is_move, &inputs, body, state);
        let mut flavor = match yielded.shape {
            Shape::Future(_) => Some(Flavor::Future),
            Shape::Plain if !yielded.ids.is_empty() => Some(if is_async {
                Flavor::Future
            } else {
                Flavor::Ready
            }),
            _ => None,
        };
        // `|| -> Result<Response, E> { .. }`: the closure says what it yields.
        if let (None, syn::ReturnType::Type(_, ty)) = (flavor, &closure.output) {
            if let Some(returns) = types::classify(self.cx.names, &self.function.bounds, ty) {
                if returns.kind == Kind::Response {
                    flavor = Some(if returns.future || is_async {
                        Flavor::Future
                    } else {
                        Flavor::Ready
                    });
                }
            }
        }
        match (flavor, yielded.shape) {
            (Some(flavor), _) => {
                let kind = self.kind_of(&yielded).unwrap_or_default();
                Value::shaped(Shape::Closure(flavor, kind))
            }
            // `|c| c.head(&url)`: a closure that makes a builder.
            (None, Shape::Builder(kind)) => Value::shaped(Shape::Maker(kind)),
            // The same with an untyped input: a request started on what it is given, which
            // only a function that makes its builder with it reads as a method.
            (None, _) => match started_on_input(&closure.body, &inputs) {
                Some(kind) => Value::shaped(Shape::Maker(kind)),
                None => Value::default(),
            },
        }
    }

    pub(super) fn async_block(&mut self, async_block: &syn::ExprAsync, state: &mut State) -> Value {
        let is_move = async_block.capture.is_some();
        let body = NestedBody::Block(&async_block.block);
        let yielded = self.nested_body(true, is_move, &[], body, state);
        if !yielded.ids.is_empty() && yielded.shape == Shape::Plain {
            Value::shaped(Shape::Future(self.kind_of(&yielded).unwrap_or_default()))
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

/// `|c| c.head(&url).header(..)`: the kind of request a closure's body starts on one of its
/// inputs, through builder steps.
fn started_on_input(body: &syn::Expr, inputs: &[&syn::Pat]) -> Option<super::RequestKind> {
    let mut names = Vec::new();
    for pat in inputs {
        pattern_names(pat, &mut names);
    }
    let mut expr = body;
    loop {
        match expr {
            syn::Expr::Block(block) if block.block.stmts.len() == 1 => {
                match &block.block.stmts[0] {
                    syn::Stmt::Expr(inner, None) => expr = inner,
                    _ => return None,
                }
            }
            syn::Expr::MethodCall(call) => {
                let method = call.method.to_string();
                if BUILDER_STEPS.contains(&method.as_str()) {
                    expr = &call.receiver;
                    continue;
                }
                let on_input = match &*call.receiver {
                    syn::Expr::Path(path) => path
                        .path
                        .get_ident()
                        .is_some_and(|ident| names.contains(&ident.to_string())),
                    _ => false,
                };
                return (on_input && REQUEST_STARTS.contains(&method.as_str()))
                    .then(|| request_kind(&method, &call.args));
            }
            _ => return None,
        }
    }
}

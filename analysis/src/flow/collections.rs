//! Responses pushed into collections (vectors, maps, sets of futures) and taken out again.

use super::engine::{Engine, Release};
use super::state::{Flavor, Shape, State, Value};
use super::vocabulary::*;
use super::{Event, RequestKind};
use crate::model::syntax;
use crate::model::types::Kind;

impl Engine<'_, '_> {
    pub(super) fn collect(
        &mut self,
        call: &syn::ExprMethodCall,
        method: String,
        receiver: &Value,
    ) -> Value {
        let named = call.turbofish.as_ref().is_some_and(|turbofish| {
            turbofish.args.iter().any(|arg| {
                matches!(arg, syn::GenericArgument::Type(ty)
                    if self.cx.names.collection_of_responses(ty))
            })
        });
        if named || receiver.shape == Shape::Iter(Flavor::Ready) {
            self.event(Event::Collected {
                span: self.method_span(call),
                call: method,
            });
            return Value::default();
        }
        match receiver.shape {
            Shape::Iter(Flavor::Future) => Value::shaped(Shape::Iter(Flavor::Future)),
            _ => Value::default(),
        }
    }

    pub(super) fn store_in_collection(
        &mut self,
        call: &syn::ExprMethodCall,
        method: &str,
        args: &[Value],
        state: &mut State,
    ) {
        let collection = syntax::root_name(&call.receiver);
        let outlives = match collection.as_deref().and_then(|name| state.var(name)) {
            Some(var) => var.captured || var.loop_depth < self.body.loop_depth,
            None => self.body.loop_depth > 0 || self.body.in_closure,
        };
        let is_set = collection
            .as_deref()
            .is_some_and(|name| self.future_sets.contains(name));
        let annotated = !is_set
            && collection
                .as_deref()
                .and_then(|name| state.var(name))
                .is_some_and(|var| var.value.shape == Shape::Iter(Flavor::Ready));
        let mut gathers_responses = annotated;
        let mut gathers_futures = false;
        for value in args {
            match value.shape {
                Shape::Plain if !value.ids.is_empty() => gathers_responses = true,
                Shape::Future(_) if !value.ids.is_empty() => gathers_futures = true,
                Shape::Iter(Flavor::Ready) => gathers_responses = true,
                Shape::Iter(Flavor::Future) => gathers_futures = true,
                _ => {}
            }
            self.release(&value.ids, state, Release::Move);
            if let Some(client) = value.client {
                self.escape_client(client);
            }
        }
        if gathers_responses && outlives {
            self.event(Event::Collected {
                span: self.method_span(call),
                call: method.to_owned(),
            });
        }
        if gathers_futures {
            // A set of futures yields their outputs: responses. A `Vec` yields the futures.
            let flavor = if is_set {
                Flavor::Ready
            } else {
                Flavor::Future
            };
            if let Some(var) = collection.as_deref().and_then(|name| state.var_mut(name)) {
                var.value.shape = Shape::Iter(flavor);
            }
        }
    }

    /// The shape of a simple expression without walking it (no effects).
    pub(super) fn static_shape(&self, expr: &syn::Expr, state: &State) -> Option<Shape> {
        match expr {
            syn::Expr::Path(path) => {
                let name = syntax::local_name(path)?;
                state.var(&name).map(|var| var.value.shape)
            }
            syn::Expr::Field(field) => match &field.member {
                syn::Member::Named(name) if self.client_field(&field.base, name) => {
                    Some(Shape::Client)
                }
                _ => None,
            },
            syn::Expr::Reference(reference) => self.static_shape(&reference.expr, state),
            syn::Expr::Paren(paren) => self.static_shape(&paren.expr, state),
            syn::Expr::Call(call) => {
                let syn::Expr::Path(path) = &*call.func else {
                    return None;
                };
                // A callable parameter or binding that makes a builder: `build()`.
                if let Some(Shape::Maker(kind)) = syntax::local_name(path)
                    .and_then(|name| state.var(&name))
                    .map(|var| var.value.shape)
                {
                    return Some(Shape::Builder(kind));
                }
                if self.cx.names.client_constructor(&path.path).is_some() {
                    return Some(Shape::Client);
                }
                match self
                    .agreed_returns(&self.resolve_path(&path.path, state))?
                    .kind
                {
                    Kind::Builder => Some(Shape::Builder(RequestKind::default())),
                    Kind::Client => Some(Shape::Client),
                    Kind::Response => None,
                }
            }
            _ => None,
        }
    }

    /// The type name of what iterating `expr` yields, when it is a collection field of
    /// `self` (`self.items`, `&self.items`, `self.items.iter()`, `.clone()`, `.into_iter()`).
    pub(super) fn element_type(&self, expr: &syn::Expr) -> Option<String> {
        let mut expr = syntax::strip_refs(expr);
        while let syn::Expr::MethodCall(call) = expr {
            if !call.args.is_empty()
                || !matches!(
                    syntax::name(&call.method).as_str(),
                    "iter" | "iter_mut" | "into_iter" | "clone"
                )
            {
                return None;
            }
            expr = syntax::strip_refs(&call.receiver);
        }
        let name = syntax::self_field(expr)?;
        self.cx
            .crate_map
            .element_type(self.function.self_ty?, &name)
    }
}

/// Whether `expr` is visibly an iterator or stream: `xs.iter()`, `stream::iter(xs)`, `0..n`,
/// and adapters of those.
pub(super) fn looks_like_iterator(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::MethodCall(call) => {
            let method = call.method.to_string();
            ITERATOR_STARTS.contains(&method.as_str())
                || (ITERATOR_STEPS.contains(&method.as_str())
                    && looks_like_iterator(&call.receiver))
        }
        syn::Expr::Call(call) => match &*call.func {
            syn::Expr::Path(path) => {
                path.path.segments.len() >= 2
                    && path.path.segments.last().is_some_and(|s| {
                        matches!(
                            s.ident.to_string().as_str(),
                            "iter" | "repeat" | "repeat_with" | "from_fn" | "unfold" | "successors"
                        )
                    })
            }
            _ => false,
        },
        syn::Expr::Range(_) => true,
        syn::Expr::Paren(paren) => looks_like_iterator(&paren.expr),
        syn::Expr::Reference(reference) => looks_like_iterator(&reference.expr),
        _ => false,
    }
}

//! The request method as a fact of values. A builder, a `Request`, a `Method`, a closure that
//! makes a builder or a response, and a response carry a [`RequestKind`]: what is known of the
//! method of their request. It follows them through bindings and builder steps, into the
//! crate's wrappers and out of its functions (through their summaries: what a function returns
//! given what it is passed), and into a function's parameters from what its callers in the
//! crate pass ([`super::given_of`]). A response whose request is known to be HEAD has no body.

use super::engine::Engine;
use super::state::{Arg, Shape, State, Value};
use super::{Pass, RequestKind, TrackedKind};
use crate::model::crate_map::FnId;
use crate::model::summary::Summary;
use crate::model::syntax;

impl Engine<'_, '_> {
    /// What `value` carries of a request's method: a builder's, a method's, what a closure
    /// makes, the request its responses answer (`None`: nothing).
    pub(super) fn kind_of(&self, value: &Value) -> Option<RequestKind> {
        match value.shape {
            Shape::Builder(kind)
            | Shape::Maker(kind)
            | Shape::Method(kind)
            | Shape::Closure(_, kind) => Some(kind),
            // An `async` block's future: its responses were handed to its awaiter.
            Shape::Future(kind) if value.ids.is_empty() => Some(kind),
            _ => {
                let mut kinds = value
                    .ids
                    .iter()
                    .map(|id| match self.facts.tracked[*id].kind {
                        TrackedKind::Response { request, .. } => Some(request),
                        _ => None,
                    });
                let first = kinds.next()??;
                kinds.try_fold(first, |met, kind| Some(met.meet(kind?)))
            }
        }
    }

    /// The method of what the function's parameter at `position` holds: what every caller in
    /// the crate passes there, tied to the parameter (a closure's parameter knows nothing).
    pub(super) fn param_kind(&self, position: Option<usize>) -> RequestKind {
        let Some(position) = position else {
            return RequestKind::default();
        };
        let given = self
            .cx
            .given
            .get(self.function.id)
            .and_then(|given| given.get(position))
            .copied()
            .unwrap_or_default();
        RequestKind {
            param: Some(position),
            ..given.constant()
        }
    }

    /// Whether `member` is a field of one of the crate's builder wrappers that holds the
    /// request builder.
    pub(super) fn builder_field(&self, member: &str) -> bool {
        let map = self.cx.crate_map;
        map.builder_wrappers
            .iter()
            .any(|wrapper| map.field_type(wrapper, member).as_deref() == Some("RequestBuilder"))
    }

    /// Records what a call (or a use as a value, with no `args`) passes to the crate's
    /// function `callee`. `receiver` is what a method call's receiver carries (parameter 0);
    /// `offset` is the position of the first of `args`.
    pub(super) fn pass(
        &mut self,
        callee: FnId,
        receiver: Option<RequestKind>,
        args: &[Arg],
        offset: usize,
    ) {
        let mut passed = vec![None; offset + args.len()];
        if offset == 1 {
            passed[0] = receiver;
        }
        for (position, arg) in args.iter().enumerate() {
            passed[position + offset] = self.kind_of(&arg.value);
        }
        let pass = Pass {
            callee,
            args: passed,
        };
        if !self.facts.passes.contains(&pass) {
            self.facts.passes.push(pass);
        }
    }

    /// The method of the response or builder a call of a function with `summary` hands back:
    /// the argument's where the function returns what it is given, else what its own code
    /// makes.
    pub(super) fn returned_kind(
        &self,
        summary: Option<&Summary>,
        receiver: Option<RequestKind>,
        args: &[Arg],
        offset: usize,
    ) -> RequestKind {
        let Some(summary) = summary else {
            return RequestKind::default();
        };
        let from_arg = summary.request_from.and_then(|position| {
            if position == 0 && offset == 1 {
                return receiver;
            }
            let arg = args.get(position.checked_sub(offset)?)?;
            self.kind_of(&arg.value)
        });
        let own = summary.returns_request.constant();
        if let Some(kind) = from_arg.or((own != RequestKind::default()).then_some(own)) {
            return kind;
        }
        // Where the walk lost the way (a request kept in an `Option`, a future handed through
        // a `ControlFlow`), a function given requests (its receiver one of them) of one method
        // answers that method.
        let carried = args.iter().filter_map(|arg| match arg.value.shape {
            Shape::Builder(kind) | Shape::Maker(kind) | Shape::Method(kind) => Some(kind),
            _ => None,
        });
        match (receiver, carried.reduce(RequestKind::meet)) {
            (None, Some(kind)) => kind,
            (Some(mine), Some(kind)) if offset == 1 => mine.meet(kind),
            (Some(mine), None) if offset == 1 => mine,
            _ => RequestKind::default(),
        }
    }
}

impl Engine<'_, '_> {
    /// A method made from text, `Method::from_str(m)`, `Method::from_bytes(m)`,
    /// `Method::try_from(m)` (under `unwrap`, `expect`, `map_err`, `?`): the method the text names, as
    /// far as its value tells (a literal, or a parameter every caller gives a method's name).
    pub(super) fn method_from_text(
        &mut self,
        expr: &syn::Expr,
        state: &mut State,
    ) -> Option<Value> {
        let call = match expr {
            syn::Expr::Try(try_expr) => return self.method_from_text(&try_expr.expr, state),
            syn::Expr::MethodCall(call)
                if matches!(
                    syntax::name(&call.method).as_str(),
                    "unwrap" | "expect" | "map_err"
                ) =>
            {
                return self.method_from_text(&call.receiver, state);
            }
            syn::Expr::Call(call) => call,
            _ => return None,
        };
        let syn::Expr::Path(path) = &*call.func else {
            return None;
        };
        // Read on every call the walk meets: compare the last two segments in place.
        let mut segments = path.path.segments.iter().rev();
        let (Some(function), Some(ty)) = (segments.next(), segments.next()) else {
            return None;
        };
        let makes_method = ["from_str", "from_bytes", "try_from"]
            .iter()
            .any(|name| function.ident == name);
        if ty.ident != "Method" || !makes_method {
            return None;
        }
        let [text] = call.args.iter().collect::<Vec<_>>()[..] else {
            return None;
        };
        // `m.as_bytes()`, `m.as_str()`: the same text.
        let mut text = syntax::strip_refs(text);
        while let syn::Expr::MethodCall(view) = text {
            if !matches!(
                syntax::name(&view.method).as_str(),
                "as_bytes" | "as_str" | "as_ref"
            ) {
                break;
            }
            text = syntax::strip_refs(&view.receiver);
        }
        let value = self.expr(text, state);
        match value.shape {
            Shape::Method(kind) => Some(Value::shaped(Shape::Method(kind))),
            _ => None,
        }
    }
}

/// `"POST"`: the value of a method's name, exactly as HTTP spells it.
pub(super) fn method_name_value(text: &str) -> Option<Value> {
    RequestKind::names_method(text)
        .then(|| Value::shaped(Shape::Method(RequestKind::of_method(Some(text)))))
}

/// `Method::HEAD`, `reqwest::Method::POST`: an HTTP method value.
pub(super) fn method_value(expr: &syn::Expr) -> Option<Value> {
    let name = super::responses::method_constant(expr)?;
    Some(Value::shaped(Shape::Method(RequestKind::of_method(Some(
        &name,
    )))))
}

//! Conditions read for their meaning through the crate's own predicates: a call of
//! `fn is_missing(status: StatusCode) -> bool { status == 404 || status == 501 }` in a condition
//! reads as its body on the call's arguments, and a status kept in a binding as its definition
//! ([`guards::expand`]). What the body says of the status is then read as if written in place.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;
use syn::visit_mut::VisitMut;

use super::engine::Engine;
use super::guards;
use super::state::State;

/// How deep predicates calling predicates are read.
const MAX_DEPTH: usize = 3;

impl Engine<'_, '_> {
    /// `cond` as the guards read it: the crate's predicates inlined, status bindings replaced
    /// by their definitions, and comparisons with `true`/`false` read as the test itself.
    pub(super) fn read_condition<'e>(
        &self,
        cond: &'e syn::Expr,
        state: &State,
    ) -> Cow<'e, syn::Expr> {
        let read = match self.inline_predicates(cond, state) {
            Some(inlined) => Cow::Owned(guards::expand(&inlined, &self.status_defs).into_owned()),
            None => guards::expand(cond, &self.status_defs),
        };
        guards::without_bool_comparisons(read)
    }

    /// `expr` with each call of a predicate of the crate replaced by the predicate's body on the
    /// call's arguments; `None` when it calls none.
    fn inline_predicates(&self, expr: &syn::Expr, state: &State) -> Option<syn::Expr> {
        struct Inliner<'a, 'e, 's> {
            engine: &'a Engine<'e, 's>,
            state: &'a State,
            depth: usize,
            changed: bool,
        }
        impl VisitMut for Inliner<'_, '_, '_> {
            fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
                if let syn::Expr::Call(call) = expr {
                    if let Some(body) = self.engine.predicate_body(call, self.state) {
                        *expr = body;
                        self.changed = true;
                        if self.depth < MAX_DEPTH {
                            self.depth += 1;
                            self.visit_expr_mut(expr);
                            self.depth -= 1;
                        }
                        return;
                    }
                }
                syn::visit_mut::visit_expr_mut(self, expr);
            }
        }
        if !calls_a_path(expr) {
            return None;
        }
        let mut inlined = expr.clone();
        let mut inliner = Inliner {
            engine: self,
            state,
            depth: 0,
            changed: false,
        };
        inliner.visit_expr_mut(&mut inlined);
        inliner.changed.then_some(inlined)
    }

    /// The body of the predicate `call` calls, its parameters replaced by the arguments.
    fn predicate_body(&self, call: &syn::ExprCall, state: &State) -> Option<syn::Expr> {
        let syn::Expr::Path(path) = &*call.func else {
            return None;
        };
        let [id] = self.resolve_path(&path.path, state)[..] else {
            return None;
        };
        let predicate = self.cx.crate_map.fns[id].outline.predicate.as_ref()?;
        if predicate.params.len() != call.args.len() {
            return None;
        }
        let body: syn::Expr = syn::parse_str(&predicate.body).ok()?;
        let arguments: HashMap<String, syn::Expr> = predicate
            .params
            .iter()
            .cloned()
            .zip(call.args.iter().cloned())
            .collect();
        Some(guards::expand(&body, &arguments).into_owned())
    }
}

/// Whether `expr` calls a function by path anywhere (a cheap test before cloning it).
fn calls_a_path(expr: &syn::Expr) -> bool {
    struct Finder {
        found: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            self.found |= matches!(&*call.func, syn::Expr::Path(_));
            syn::visit::visit_expr_call(self, call);
        }
    }
    let mut finder = Finder { found: false };
    syn::visit::Visit::visit_expr(&mut finder, expr);
    finder.found
}

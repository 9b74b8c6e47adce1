//! `client_per_request`: a new `Client` (a new connection pool) is built for every request in a loop or per-item closure

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `client_per_request`.
pub static LINT: Lint = Lint {
    name: "client_per_request",
    default_level: Level::Warn,
    group: Group::Perf,
    summary: "a new `Client` (a new connection pool) is built for every request in a loop or per-item closure",
    help: "build one `Client` outside the loop and reuse it (it is cheap to clone)",
    explanation: include_str!("client_per_request.md"),
};

use std::collections::HashSet;

use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::diagnostic::{Diagnostic, Span};
use crate::flow::FileContext;
use crate::model::names::ReqwestItem;
use crate::model::syntax;

/// Adapters that exist only on iterators and streams: their closure runs once per item.
const PER_ITEM_ADAPTERS: &[&str] = &[
    "for_each",
    "try_for_each",
    "for_each_concurrent",
    "try_for_each_concurrent",
    "filter_map",
    "flat_map",
    "fold",
    "try_fold",
    "scan",
];

/// Adapters that `Option`, `Result` and futures have too (where the closure runs at most
/// once): per item only on a receiver that is visibly an iterator or stream.
const MAYBE_PER_ITEM_ADAPTERS: &[&str] =
    &["map", "then", "filter", "inspect", "and_then", "map_ok"];

/// Methods that make an iterator out of something.
const ITERATOR_STARTS: &[&str] = &[
    "iter",
    "into_iter",
    "iter_mut",
    "par_iter",
    "into_par_iter",
    "par_iter_mut",
    "par_bridge",
    "lines",
    "chars",
    "split",
    "split_whitespace",
    "keys",
    "values",
    "values_mut",
    "into_keys",
    "into_values",
    "drain",
    "windows",
    "chunks",
    "enumerate",
    "rev",
    "step_by",
    "cycle",
    "peekable",
    "buffer_unordered",
    "buffered",
    "into_stream",
];

/// Methods that keep an iterator an iterator (and an `Option` an `Option`).
const ITERATOR_STEPS: &[&str] = &[
    "map",
    "filter",
    "filter_map",
    "flat_map",
    "flatten",
    "take",
    "skip",
    "zip",
    "chain",
    "inspect",
    "take_while",
    "skip_while",
    "then",
    "and_then",
    "map_ok",
    "fuse",
    "boxed",
    "cloned",
    "copied",
];

/// Methods that make a request on a client.
const REQUESTS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "request", "execute",
];

/// Flags clients (and `reqwest::get`) built per request in loops and per-item closures.
pub(crate) fn check(cx: &FileContext<'_>, file: &syn::File, out: &mut Vec<Diagnostic>) {
    let mut finder = RegionFinder {
        cx,
        flagged: HashSet::new(),
        out,
    };
    finder.visit_file(file);
}

/// Whether `expr` is visibly an iterator or stream: `xs.iter()`, `stream::iter(xs)`, `0..n`,
/// and adapters of those.
fn looks_like_iterator(expr: &syn::Expr) -> bool {
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

struct RegionFinder<'a, 'f> {
    cx: &'a FileContext<'f>,
    flagged: HashSet<(usize, usize)>,
    out: &'a mut Vec<Diagnostic>,
}

impl RegionFinder<'_, '_> {
    /// Scans one per-iteration region (a loop body or per-item closure).
    fn region(&mut self, is_loop: bool, scan: impl FnOnce(&mut RegionScan<'_, '_>)) {
        let mut region = RegionScan {
            cx: self.cx,
            is_loop,
            loops: 0,
            closures: 0,
            leaving: 0,
            constructions: Vec::new(),
            gets: Vec::new(),
            requested_on: HashSet::new(),
        };
        scan(&mut region);
        let RegionScan {
            constructions,
            gets,
            requested_on,
            ..
        } = region;
        for (span, written) in gets {
            self.report(
                span,
                &format!(
                    "`{written}` builds a new `Client` (a new connection pool) for every call"
                ),
            );
        }
        for construction in constructions {
            let used = construction.used_directly
                || construction
                    .bound_to
                    .as_ref()
                    .is_some_and(|name| requested_on.contains(name));
            if used {
                self.report(
                    construction.span,
                    "a new `Client` (a new connection pool) is built for every request",
                );
            }
        }
    }

    fn report(&mut self, span: Span, message: &str) {
        if self.flagged.insert((span.start.byte, span.end.byte)) {
            self.out.push(
                Diagnostic::new(&LINT, span, message)
                    .with_primary_label("built once per iteration")
                    .with_note(
                        "each `Client` has its own connection pool: a new one per request opens \
                         a new connection (and TLS handshake) every time",
                    ),
            );
        }
    }
}

impl<'ast> Visit<'ast> for RegionFinder<'_, '_> {
    fn visit_expr_for_loop(&mut self, expr: &'ast syn::ExprForLoop) {
        self.region(true, |scan| scan.visit_block(&expr.body));
        syn::visit::visit_expr_for_loop(self, expr);
    }

    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        self.region(true, |scan| {
            scan.visit_expr(&expr.cond);
            scan.visit_block(&expr.body);
        });
        syn::visit::visit_expr_while(self, expr);
    }

    fn visit_expr_loop(&mut self, expr: &'ast syn::ExprLoop) {
        self.region(true, |scan| scan.visit_block(&expr.body));
        syn::visit::visit_expr_loop(self, expr);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        let per_item = PER_ITEM_ADAPTERS.contains(&method.as_str())
            || (MAYBE_PER_ITEM_ADAPTERS.contains(&method.as_str())
                && looks_like_iterator(&call.receiver));
        if per_item {
            for arg in &call.args {
                match arg {
                    syn::Expr::Closure(_) => self.region(false, |scan| scan.visit_expr(arg)),
                    // `urls.iter().map(reqwest::get)`
                    syn::Expr::Path(path)
                        if self.cx.names.resolve_path(&path.path) == Some(ReqwestItem::Get) =>
                    {
                        let span = self.cx.map.span(path.span());
                        self.report(
                            span,
                            &format!(
                                "`{}` builds a new `Client` (a new connection pool) for every item",
                                path_text(&path.path)
                            ),
                        );
                    }
                    _ => {}
                }
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

fn path_text(path: &syn::Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let prefix = if path.leading_colon.is_some() {
        "::"
    } else {
        ""
    };
    format!("{prefix}{}", segments.join("::"))
}

struct Construction {
    span: Span,
    bound_to: Option<String>,
    used_directly: bool,
}

/// What one region builds and requests. Requests on a path that leaves the loop right after
/// (a block ending in `return`, or `break` out of this loop) happen at most once, and are
/// not per-request clients.
struct RegionScan<'a, 'f> {
    cx: &'a FileContext<'f>,
    is_loop: bool,
    /// Loops nested in the region: a `break` there leaves only the inner loop.
    loops: usize,
    /// Closures and async blocks nested in the region: `return` there leaves only them.
    closures: usize,
    /// Enclosing blocks that end by leaving the region's loop.
    leaving: usize,
    constructions: Vec<Construction>,
    gets: Vec<(Span, String)>,
    requested_on: HashSet<String>,
}

impl RegionScan<'_, '_> {
    /// Whether `expr` builds a client: `Client::new()`, `Client::default()`,
    /// `Client::builder()...build()` (possibly followed by `?`/`unwrap()`/`expect(..)`).
    fn construction(&self, expr: &syn::Expr) -> Option<Span> {
        match expr {
            syn::Expr::Call(call) => {
                let syn::Expr::Path(path) = &*call.func else {
                    return None;
                };
                let constructor = self.cx.names.client_constructor(&path.path)?;
                matches!(constructor, "new" | "default")
                    .then(|| self.call_span(expr, call.paren_token))
            }
            syn::Expr::MethodCall(call) if call.method == "build" => {
                let mut root = &*call.receiver;
                while let syn::Expr::MethodCall(inner) = root {
                    root = &inner.receiver;
                }
                let syn::Expr::Call(builder) = root else {
                    return None;
                };
                let syn::Expr::Path(path) = &*builder.func else {
                    return None;
                };
                let constructor = self.cx.names.client_constructor(&path.path)?;
                (constructor == "builder").then(|| self.call_span(expr, call.paren_token))
            }
            syn::Expr::Try(inner) => self.construction(&inner.expr),
            syn::Expr::MethodCall(call)
                if matches!(call.method.to_string().as_str(), "unwrap" | "expect") =>
            {
                self.construction(&call.receiver)
            }
            syn::Expr::Paren(inner) => self.construction(&inner.expr),
            _ => None,
        }
    }

    fn call_span(&self, expr: &syn::Expr, paren: syn::token::Paren) -> Span {
        self.cx
            .map
            .span_between(syntax::first_span(expr), paren.span.close())
    }

    /// Whether a block's last statement leaves the region's loop.
    /// A `continue` inside the block goes round again, so the block does not leave.
    fn leaves_loop(&self, block: &syn::Block) -> bool {
        if !self.is_loop || self.closures > 0 {
            return false;
        }
        let ends_by_leaving = match block.stmts.last() {
            Some(syn::Stmt::Expr(syn::Expr::Return(_), _)) => true,
            Some(syn::Stmt::Expr(syn::Expr::Break(brk), _)) => {
                self.loops == 0 || brk.label.is_some()
            }
            _ => false,
        };
        ends_by_leaving && !continues(block)
    }
}

/// Whether a block has a `continue` that goes round this loop again: any labelled one, or an
/// unlabelled one outside nested loops and closures.
fn continues(block: &syn::Block) -> bool {
    struct Finder {
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder {
        fn visit_expr_continue(&mut self, _: &'ast syn::ExprContinue) {
            self.found = true;
        }
        fn visit_expr_for_loop(&mut self, expr: &'ast syn::ExprForLoop) {
            labelled_continues(&expr.body, &mut self.found);
        }
        fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
            labelled_continues(&expr.body, &mut self.found);
        }
        fn visit_expr_loop(&mut self, expr: &'ast syn::ExprLoop) {
            labelled_continues(&expr.body, &mut self.found);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    }
    /// Inside a nested loop only a labelled `continue` can reach the outer one.
    fn labelled_continues(block: &syn::Block, found: &mut bool) {
        struct Labelled<'f>(&'f mut bool);
        impl<'ast> Visit<'ast> for Labelled<'_> {
            fn visit_expr_continue(&mut self, expr: &'ast syn::ExprContinue) {
                *self.0 |= expr.label.is_some();
            }
            fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
            fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        }
        Labelled(found).visit_block(block);
    }
    let mut finder = Finder { found: false };
    finder.visit_block(block);
    finder.found
}

impl<'ast> Visit<'ast> for RegionScan<'_, '_> {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        let leaves = self.leaves_loop(block);
        self.leaving += usize::from(leaves);
        syn::visit::visit_block(self, block);
        self.leaving -= usize::from(leaves);
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        self.closures += 1;
        syn::visit::visit_expr_closure(self, closure);
        self.closures -= 1;
    }

    fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
        self.closures += 1;
        syn::visit::visit_expr_async(self, block);
        self.closures -= 1;
    }

    fn visit_expr_for_loop(&mut self, expr: &'ast syn::ExprForLoop) {
        self.loops += 1;
        syn::visit::visit_expr_for_loop(self, expr);
        self.loops -= 1;
    }

    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        self.loops += 1;
        syn::visit::visit_expr_while(self, expr);
        self.loops -= 1;
    }

    fn visit_expr_loop(&mut self, expr: &'ast syn::ExprLoop) {
        self.loops += 1;
        syn::visit::visit_expr_loop(self, expr);
        self.loops -= 1;
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let (Some(init), 0) = (&local.init, self.leaving) {
            if let Some(span) = self.construction(&init.expr) {
                let bound_to = match &local.pat {
                    syn::Pat::Ident(ident) => Some(ident.ident.to_string()),
                    syn::Pat::Type(typed) => match &*typed.pat {
                        syn::Pat::Ident(ident) => Some(ident.ident.to_string()),
                        _ => None,
                    },
                    _ => None,
                };
                self.constructions.push(Construction {
                    span,
                    bound_to,
                    used_directly: false,
                });
            }
        }
        syn::visit::visit_local(self, local);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        if REQUESTS.contains(&method.as_str()) && self.leaving == 0 {
            if let Some(span) = self.construction(&call.receiver) {
                self.constructions.push(Construction {
                    span,
                    bound_to: None,
                    used_directly: true,
                });
            }
            let mut receiver = &*call.receiver;
            while let syn::Expr::Reference(inner) = receiver {
                receiver = &inner.expr;
            }
            if let syn::Expr::Path(path) = receiver {
                if let Some(ident) = path.path.get_ident() {
                    self.requested_on.insert(ident.to_string());
                }
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func {
            if self.leaving == 0 && self.cx.names.resolve_path(&path.path) == Some(ReqwestItem::Get)
            {
                let span = self.cx.map.span_between(
                    syntax::first_span(&call.func),
                    call.paren_token.span.close(),
                );
                self.gets.push((span, path_text(&path.path)));
            }
        }
        syn::visit::visit_expr_call(self, call);
    }
}

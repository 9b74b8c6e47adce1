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

/// Iterator and stream adapters whose closure runs once per item.
const PER_ITEM_ADAPTERS: &[&str] = &[
    "map",
    "for_each",
    "then",
    "filter_map",
    "flat_map",
    "and_then",
    "try_for_each",
    "for_each_concurrent",
    "try_for_each_concurrent",
    "map_ok",
    "filter",
    "fold",
    "try_fold",
    "inspect",
    "par_iter",
    "scan",
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

struct RegionFinder<'a, 'f> {
    cx: &'a FileContext<'f>,
    flagged: HashSet<(usize, usize)>,
    out: &'a mut Vec<Diagnostic>,
}

impl RegionFinder<'_, '_> {
    /// Scans one per-iteration region (a loop body or per-item closure).
    fn region(&mut self, scan: impl FnOnce(&mut RegionScan<'_, '_>)) {
        let mut region = RegionScan {
            cx: self.cx,
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
        for span in gets {
            self.report(
                span,
                "`reqwest::get` builds a new `Client` (a new connection pool) for every call",
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
        self.region(|scan| scan.visit_block(&expr.body));
        syn::visit::visit_expr_for_loop(self, expr);
    }

    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        self.region(|scan| {
            scan.visit_expr(&expr.cond);
            scan.visit_block(&expr.body);
        });
        syn::visit::visit_expr_while(self, expr);
    }

    fn visit_expr_loop(&mut self, expr: &'ast syn::ExprLoop) {
        self.region(|scan| scan.visit_block(&expr.body));
        syn::visit::visit_expr_loop(self, expr);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if PER_ITEM_ADAPTERS.contains(&call.method.to_string().as_str()) {
            for arg in &call.args {
                if matches!(arg, syn::Expr::Closure(_)) {
                    self.region(|scan| scan.visit_expr(arg));
                }
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

struct Construction {
    span: Span,
    bound_to: Option<String>,
    used_directly: bool,
}

struct RegionScan<'a, 'f> {
    cx: &'a FileContext<'f>,
    constructions: Vec<Construction>,
    gets: Vec<Span>,
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
                matches!(constructor, "new" | "default").then(|| self.cx.map.span(call.span()))
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
                (constructor == "builder").then(|| self.cx.map.span(call.span()))
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
}

impl<'ast> Visit<'ast> for RegionScan<'_, '_> {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
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
        if REQUESTS.contains(&method.as_str()) {
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
            if self.cx.names.resolve_path(&path.path) == Some(ReqwestItem::Get) {
                self.gets.push(self.cx.map.span(call.span()));
            }
        }
        syn::visit::visit_expr_call(self, call);
    }
}

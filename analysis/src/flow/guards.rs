//! Conditions the walk reads for their meaning, on syntax (never on printed tokens):
//! size checks, statuses whose body is always empty, and branches taken on a failure status.

use std::borrow::Cow;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use super::mentions;
use crate::model::syntax;

/// Methods whose result bounds what is read of a body.
const SIZE_METHODS: &[&str] = &["content_length", "take", "with_limit", "limit", "size_hint"];

/// Whether a function bounds what it reads: it checks `content_length()`, reads through
/// `.take(n)` or `Limited::new`, or compares a length with a limit (`len > MAX_BODY`).
pub(super) fn bounds_body_size(block: &syn::Block) -> bool {
    #[derive(Default)]
    struct Finder {
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            let method = syntax::name(&call.method);
            self.found |= SIZE_METHODS.contains(&method.as_str())
                && (method == "content_length" || !call.args.is_empty() || method == "size_hint");
            syn::visit::visit_expr_method_call(self, call);
        }
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            if let syn::Expr::Path(path) = &*call.func {
                let segments = syntax::segments(&path.path);
                self.found |= segments.ends_with(&["Limited".to_owned(), "new".to_owned()]);
            }
            syn::visit::visit_expr_call(self, call);
        }
        fn visit_expr_binary(&mut self, binary: &'ast syn::ExprBinary) {
            let comparison = matches!(
                binary.op,
                syn::BinOp::Lt(_) | syn::BinOp::Le(_) | syn::BinOp::Gt(_) | syn::BinOp::Ge(_)
            );
            if comparison && (names_a_limit(&binary.left) || names_a_limit(&binary.right)) {
                self.found = true;
            }
            syn::visit::visit_expr_binary(self, binary);
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            // `ensure!(len <= MAX_BODY, ..)`, `assert!(..)`: read the condition.
            if let Ok(expr) = mac.parse_body_with(
                syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
            ) {
                for expr in expr {
                    self.visit_expr(&expr);
                }
            }
        }
    }
    let mut finder = Finder::default();
    finder.visit_block(block);
    finder.found
}

/// An operand that names a size limit: `MAX_BODY_SIZE`, `self.max_len`, `limit`.
fn names_a_limit(expr: &syn::Expr) -> bool {
    let name = match expr {
        syn::Expr::Path(path) => path.path.segments.last().map(|s| syntax::name(&s.ident)),
        syn::Expr::Field(field) => match &field.member {
            syn::Member::Named(ident) => Some(syntax::name(ident)),
            syn::Member::Unnamed(_) => None,
        },
        syn::Expr::Paren(paren) => return names_a_limit(&paren.expr),
        syn::Expr::Cast(cast) => return names_a_limit(&cast.expr),
        _ => None,
    };
    name.is_some_and(|name| {
        let lower = name.to_lowercase();
        lower.contains("limit")
            || (lower.contains("max")
                && ["size", "len", "body", "bytes", "length"]
                    .iter()
                    .any(|w| lower.contains(w)))
    })
}

/// Whether an `if` condition or `match` scrutinee is a size check (also through one of
/// `size_vars`, bindings of `content_length()`) or a check for a status whose body is always
/// empty (204 No Content, 304 Not Modified): exits there drop nothing worth reading.
pub(super) fn exits_cost_nothing(condition: &syn::Expr, size_vars: &HashSet<String>) -> bool {
    if mentions::calls_method(condition, "content_length") {
        return true;
    }
    if mentions::in_expr(condition)
        .iter()
        .any(|name| size_vars.contains(name))
    {
        return true;
    }
    let mut finder = EmptyStatus::default();
    finder.visit_expr(condition);
    finder.found
}

/// Whether a pattern names a status whose response has no body: 204 or 304.
pub(super) fn is_empty_body_status(pat: &syn::Pat) -> bool {
    let mut finder = EmptyStatus::default();
    finder.visit_pat(pat);
    finder.found
}

#[derive(Default)]
struct EmptyStatus {
    found: bool,
}

impl<'ast> Visit<'ast> for EmptyStatus {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.found |= path
            .segments
            .last()
            .is_some_and(|s| s.ident == "NOT_MODIFIED" || s.ident == "NO_CONTENT");
        syn::visit::visit_path(self, path);
    }
    fn visit_lit_int(&mut self, lit: &'ast syn::LitInt) {
        self.found |= matches!(lit.base10_digits(), "204" | "304");
    }
}

/// Whether an awaited expression is local file-system work: `tokio::fs::..`,
/// `File::create(..)`/`File::open(..)`, and methods chained on those (awaited or not).
pub(super) fn is_local_file_io(expr: &syn::Expr) -> bool {
    match chain_start(expr) {
        syn::Expr::Call(call) => match &*call.func {
            syn::Expr::Path(path) => {
                let segments = syntax::segments(&path.path);
                let n = segments.len();
                segments.iter().any(|s| s == "fs" || s == "OpenOptions")
                    || (n >= 2
                        && segments[n - 2] == "File"
                        && matches!(segments[n - 1].as_str(), "create" | "open"))
            }
            _ => false,
        },
        syn::Expr::Paren(inner) => is_local_file_io(&inner.expr),
        _ => false,
    }
}

/// The local a method chain starts at (`file` of `file.seek(p).await.map_err(..)`).
pub(super) fn chain_root(expr: &syn::Expr) -> Option<String> {
    syntax::root_name(chain_start(expr))
}

/// What a method chain starts at, through its calls, awaits and `?`s (`File::open(p)` of
/// `File::open(p).await?.metadata()`).
pub(super) fn chain_start(expr: &syn::Expr) -> &syn::Expr {
    match expr {
        syn::Expr::MethodCall(call) => chain_start(&call.receiver),
        syn::Expr::Try(inner) => chain_start(&inner.expr),
        syn::Expr::Await(inner) => chain_start(&inner.base),
        other => other,
    }
}

/// Which branch of an `if` is taken on a failure status: `Some(true)` for the then-branch
/// (`!status.is_success()`, `is_client_error()`, `status != StatusCode::OK`,
/// `status.as_u16() >= 400`), `Some(false)` for the else-branch (`status.is_success()`),
/// `None` when the condition is not about the status.
pub(super) fn failure_branch(cond: &syn::Expr) -> Option<bool> {
    match cond {
        syn::Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Not(_)) => {
            failure_branch(&unary.expr).map(|then_fails| !then_fails)
        }
        syn::Expr::Paren(paren) => failure_branch(&paren.expr),
        syn::Expr::MethodCall(call) => match syntax::name(&call.method).as_str() {
            "is_success" => Some(false),
            "is_client_error" | "is_server_error" => Some(true),
            "is_err" if checks_status(&call.receiver) => Some(true),
            "is_ok" if checks_status(&call.receiver) => Some(false),
            _ => None,
        },
        // `if let Err(e) = resp.error_for_status_ref()`: the then-branch is the failure.
        syn::Expr::Let(let_expr) if checks_status(&let_expr.expr) => {
            let err = matches!(&*let_expr.pat, syn::Pat::TupleStruct(t)
                if t.path.segments.last().is_some_and(|s| s.ident == "Err"));
            Some(err)
        }
        // `if let StatusCode::TOO_MANY_REQUESTS = resp.status()`: a failure status matched.
        syn::Expr::Let(let_expr) if is_status_check(&let_expr.expr) => {
            is_failure_pattern(&let_expr.pat).then_some(true)
        }
        syn::Expr::Binary(binary) => match binary.op {
            syn::BinOp::Or(_) => {
                let left = failure_branch(&binary.left);
                let right = failure_branch(&binary.right);
                if left == Some(false) || right == Some(false) {
                    // `is_success() || status == 404`: the then-branch takes successes too;
                    // the else-branch, where neither holds, only failures.
                    return Some(false);
                }
                (left == Some(true) || right == Some(true)).then_some(true)
            }
            syn::BinOp::And(_) => match failure_branch(&binary.left) {
                Some(true) => Some(true),
                _ => (failure_branch(&binary.right) == Some(true)).then_some(true),
            },
            syn::BinOp::Ne(_) | syn::BinOp::Eq(_) => {
                let is_eq = matches!(binary.op, syn::BinOp::Eq(_));
                if let Some(class) = status_class_compared(binary) {
                    return match class {
                        2 => Some(!is_eq),
                        4 | 5 => Some(is_eq),
                        _ => None,
                    };
                }
                let about_status = is_status_check(&binary.left) || is_status_check(&binary.right);
                if !about_status {
                    return None;
                }
                // `status == 204`: its else-branch is the usual success, with a body.
                if is_empty_body_value(&binary.left) || is_empty_body_value(&binary.right) {
                    None
                } else if is_success_value(&binary.left) || is_success_value(&binary.right) {
                    Some(!is_eq)
                } else if is_failure_value(&binary.left) || is_failure_value(&binary.right) {
                    Some(is_eq)
                } else {
                    None
                }
            }
            syn::BinOp::Ge(_) | syn::BinOp::Gt(_) => {
                let about_status = is_status_check(&binary.left);
                let threshold = int_value(&binary.right).is_some_and(|n| (299..=500).contains(&n));
                (about_status && threshold).then_some(true)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Which branch of an `if` is taken only on a success status: `Some(true)` for the
/// then-branch (`status.is_success()`, `status == StatusCode::OK`,
/// `resp.error_for_status_ref().is_ok()`), `Some(false)` for the else-branch
/// (`!status.is_success()`, `status != StatusCode::OK`, `status.as_u16() >= 300`), `None`
/// when neither is (`is_client_error()` leaves server errors on its else-branch).
pub(super) fn success_branch(cond: &syn::Expr) -> Option<bool> {
    match cond {
        syn::Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Not(_)) => {
            success_branch(&unary.expr).map(|then_succeeds| !then_succeeds)
        }
        syn::Expr::Paren(paren) => success_branch(&paren.expr),
        syn::Expr::MethodCall(call) => match syntax::name(&call.method).as_str() {
            "is_success" => Some(true),
            "is_ok" if checks_status(&call.receiver) => Some(true),
            "is_err" if checks_status(&call.receiver) => Some(false),
            _ => None,
        },
        // `if let Ok(r) = resp.error_for_status_ref()`: the then-branch is the success.
        syn::Expr::Let(let_expr) if checks_status(&let_expr.expr) => {
            Some(!is_err_pattern(&let_expr.pat))
        }
        // `if let StatusCode::OK = resp.status()`: the then-branch is that success.
        syn::Expr::Let(let_expr) if is_status_check(&let_expr.expr) => {
            (!is_catch_all(&let_expr.pat) && is_success_pattern(&let_expr.pat)).then_some(true)
        }
        syn::Expr::Binary(binary) => match binary.op {
            // Both must hold for the then-branch, either fails the else-branch.
            syn::BinOp::And(_) => {
                let left = success_branch(&binary.left);
                let right = success_branch(&binary.right);
                (left == Some(true) || right == Some(true)).then_some(true)
            }
            syn::BinOp::Or(_) => {
                // `is_client_error() || is_server_error()`: every failure status, so the
                // else-branch is a success (1xx to 3xx).
                let classes = [failure_class(&binary.left), failure_class(&binary.right)];
                if classes.contains(&Some("client")) && classes.contains(&Some("server")) {
                    return Some(false);
                }
                let left = success_branch(&binary.left);
                let right = success_branch(&binary.right);
                (left == Some(false) || right == Some(false)).then_some(false)
            }
            syn::BinOp::Ne(_) | syn::BinOp::Eq(_) => {
                if let Some(class) = status_class_compared(binary) {
                    return (class == 2).then_some(matches!(binary.op, syn::BinOp::Eq(_)));
                }
                let about_status = is_status_check(&binary.left) || is_status_check(&binary.right);
                let success = is_success_value(&binary.left) || is_success_value(&binary.right);
                (about_status && success).then_some(matches!(binary.op, syn::BinOp::Eq(_)))
            }
            syn::BinOp::Ge(_) | syn::BinOp::Gt(_) | syn::BinOp::Lt(_) | syn::BinOp::Le(_) => {
                let about_status = is_status_check(&binary.left);
                let threshold = int_value(&binary.right).is_some_and(|n| (299..=400).contains(&n));
                let then_below = matches!(binary.op, syn::BinOp::Lt(_) | syn::BinOp::Le(_));
                (about_status && threshold).then_some(then_below)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The class a comparison tests a status's hundreds against: `2` for `code / 100 == 2`.
fn status_class_compared(binary: &syn::ExprBinary) -> Option<u64> {
    let hundreds = |expr: &syn::Expr| match syntax::strip_parens(expr) {
        syn::Expr::Binary(div) if matches!(div.op, syn::BinOp::Div(_)) => {
            is_status_check(&div.left) && int_value(&div.right) == Some(100)
        }
        _ => false,
    };
    if hundreds(&binary.left) {
        int_value(&binary.right)
    } else if hundreds(&binary.right) {
        int_value(&binary.left)
    } else {
        None
    }
}

/// The failure class an `is_client_error()`/`is_server_error()` call tests.
fn failure_class(expr: &syn::Expr) -> Option<&'static str> {
    match expr {
        syn::Expr::Paren(paren) => failure_class(&paren.expr),
        syn::Expr::MethodCall(call) => match syntax::name(&call.method).as_str() {
            "is_client_error" => Some("client"),
            "is_server_error" => Some("server"),
            _ => None,
        },
        _ => None,
    }
}

/// Whether an expression checks the status into a `Result`: `resp.error_for_status_ref()`.
pub(super) fn checks_status(expr: &syn::Expr) -> bool {
    mentions::calls_method(expr, "error_for_status_ref")
        || mentions::calls_method(expr, "error_for_status")
}

/// Whether a `match` arm on a status check is its failure arm: `Err(..)` of
/// `error_for_status_ref()`.
pub(super) fn is_err_pattern(pat: &syn::Pat) -> bool {
    matches!(pat, syn::Pat::TupleStruct(t)
        if t.path.segments.last().is_some_and(|s| s.ident == "Err"))
}

/// Whether a binding's value is a status or made from one: `resp.status()`,
/// `resp.status().as_u16()`, `resp.status().is_success()`.
pub(super) fn defines_status(init: &syn::Expr) -> bool {
    mentions::calls_method(init, "status")
}

/// `expr` with the bindings of `defs` replaced by their definitions (each in parentheses), so
/// that a condition on a status kept in a variable reads as one on the status itself; also a
/// predicate's body with its parameters replaced by a call's arguments.
pub(super) fn expand<'e>(
    expr: &'e syn::Expr,
    defs: &HashMap<String, syn::Expr>,
) -> Cow<'e, syn::Expr> {
    struct Expander<'d> {
        defs: &'d HashMap<String, syn::Expr>,
    }
    impl VisitMut for Expander<'_> {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::Path(path) = expr {
                if let Some(ident) = path.path.get_ident() {
                    if let Some(definition) = self.defs.get(&syntax::name(ident)) {
                        *expr = parenthesized(definition.clone());
                        return;
                    }
                }
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    if defs.is_empty()
        || !mentions::in_expr(expr)
            .iter()
            .any(|name| defs.contains_key(name))
    {
        return Cow::Borrowed(expr);
    }
    let mut expanded = expr.clone();
    Expander { defs }.visit_expr_mut(&mut expanded);
    Cow::Owned(expanded)
}

/// `expr` with each comparison of a test with a boolean literal read as the test or its
/// negation: `resp.status().is_success() == false` is `!resp.status().is_success()`.
pub(super) fn without_bool_comparisons(expr: Cow<'_, syn::Expr>) -> Cow<'_, syn::Expr> {
    struct Finder(bool);
    impl Visit<'_> for Finder {
        fn visit_expr_binary(&mut self, binary: &syn::ExprBinary) {
            self.0 |= bool_comparison(binary).is_some();
            syn::visit::visit_expr_binary(self, binary);
        }
    }
    struct Rewriter;
    impl VisitMut for Rewriter {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            let syn::Expr::Binary(binary) = expr else {
                return;
            };
            let Some((test, holds)) = bool_comparison(binary) else {
                return;
            };
            let test = parenthesized(test.clone());
            *expr = if holds {
                test
            } else {
                syn::Expr::Unary(syn::ExprUnary {
                    attrs: Vec::new(),
                    op: syn::UnOp::Not(Default::default()),
                    expr: Box::new(test),
                })
            };
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(&expr);
    if !finder.0 {
        return expr;
    }
    let mut rewritten = expr.into_owned();
    Rewriter.visit_expr_mut(&mut rewritten);
    Cow::Owned(rewritten)
}

/// `(expr)`: read in place of a name or inside an operator, it keeps its own precedence.
fn parenthesized(expr: syn::Expr) -> syn::Expr {
    syn::Expr::Paren(syn::ExprParen {
        attrs: Vec::new(),
        paren_token: Default::default(),
        expr: Box::new(expr),
    })
}

/// `test == false`, `true != test` and the like: the test, and whether the comparison holds
/// when the test does.
fn bool_comparison(binary: &syn::ExprBinary) -> Option<(&syn::Expr, bool)> {
    let equal = match binary.op {
        syn::BinOp::Eq(_) => true,
        syn::BinOp::Ne(_) => false,
        _ => return None,
    };
    let literal = |expr: &syn::Expr| match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(value),
            ..
        }) => Some(value.value),
        _ => None,
    };
    let (test, value) = match (literal(&binary.left), literal(&binary.right)) {
        (None, Some(value)) => (&*binary.left, value),
        (Some(value), None) => (&*binary.right, value),
        _ => return None,
    };
    Some((test, value == equal))
}

/// Whether an expression reads a status: `resp.status()` (a binding of one reads through its
/// definition, see [`expand`]).
pub(super) fn is_status_check(expr: &syn::Expr) -> bool {
    mentions::calls_method(expr, "status")
}

fn is_success_value(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| SUCCESSES.contains(&s.ident.to_string().as_str())),
        _ => int_value(expr).is_some_and(|n| (200..300).contains(&n)),
    }
}

/// A status whose response has no body: `StatusCode::NO_CONTENT`, `304`.
fn is_empty_body_value(expr: &syn::Expr) -> bool {
    let mut finder = EmptyStatus::default();
    finder.visit_expr(expr);
    finder.found
}

/// A failure status: `StatusCode::NOT_FOUND`, `409`.
fn is_failure_value(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Path(path) => path.path.segments.last().is_some_and(|s| {
            let name = s.ident.to_string();
            CLIENT_ERRORS.contains(&name.as_str()) || SERVER_ERRORS.contains(&name.as_str())
        }),
        _ => int_value(expr).is_some_and(|n| (400..600).contains(&n)),
    }
}

/// `http::StatusCode`'s constants of the 2xx class but 204 (a success with no body, which
/// conditions treat on its own).
const SUCCESSES: &[&str] = &[
    "OK",
    "CREATED",
    "ACCEPTED",
    "NON_AUTHORITATIVE_INFORMATION",
    "RESET_CONTENT",
    "PARTIAL_CONTENT",
    "MULTI_STATUS",
    "ALREADY_REPORTED",
    "IM_USED",
];

/// `http::StatusCode`'s constants of the 4xx class.
const CLIENT_ERRORS: &[&str] = &[
    "BAD_REQUEST",
    "UNAUTHORIZED",
    "PAYMENT_REQUIRED",
    "FORBIDDEN",
    "NOT_FOUND",
    "METHOD_NOT_ALLOWED",
    "NOT_ACCEPTABLE",
    "PROXY_AUTHENTICATION_REQUIRED",
    "REQUEST_TIMEOUT",
    "CONFLICT",
    "GONE",
    "LENGTH_REQUIRED",
    "PRECONDITION_FAILED",
    "PAYLOAD_TOO_LARGE",
    "URI_TOO_LONG",
    "UNSUPPORTED_MEDIA_TYPE",
    "RANGE_NOT_SATISFIABLE",
    "EXPECTATION_FAILED",
    "IM_A_TEAPOT",
    "MISDIRECTED_REQUEST",
    "UNPROCESSABLE_ENTITY",
    "LOCKED",
    "FAILED_DEPENDENCY",
    "UPGRADE_REQUIRED",
    "PRECONDITION_REQUIRED",
    "TOO_MANY_REQUESTS",
    "REQUEST_HEADER_FIELDS_TOO_LARGE",
    "UNAVAILABLE_FOR_LEGAL_REASONS",
];

/// `http::StatusCode`'s constants of the 5xx class.
const SERVER_ERRORS: &[&str] = &[
    "INTERNAL_SERVER_ERROR",
    "NOT_IMPLEMENTED",
    "BAD_GATEWAY",
    "SERVICE_UNAVAILABLE",
    "GATEWAY_TIMEOUT",
    "HTTP_VERSION_NOT_SUPPORTED",
    "VARIANT_ALSO_NEGOTIATES",
    "INSUFFICIENT_STORAGE",
    "LOOP_DETECTED",
    "NOT_EXTENDED",
    "NETWORK_AUTHENTICATION_REQUIRED",
];

fn int_value(expr: &syn::Expr) -> Option<u64> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        syn::Expr::Paren(paren) => int_value(&paren.expr),
        _ => None,
    }
}

/// The name a catch-all arm binds the matched value to (`status` in `status if .. =>`).
pub(super) fn binding_name(pat: &syn::Pat) -> Option<String> {
    match pat {
        syn::Pat::Ident(ident) if is_catch_all(pat) => Some(syntax::name(&ident.ident)),
        _ => None,
    }
}

/// Whether a `match` arm's pattern matches anything: `_`, or a binding (`other`, not a
/// constant such as `NOT_FOUND`).
pub(super) fn is_catch_all(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::Wild(_) => true,
        syn::Pat::Ident(ident) => {
            ident.subpat.is_none()
                && ident
                    .ident
                    .to_string()
                    .starts_with(|c: char| c.is_lowercase() || c == '_')
        }
        _ => false,
    }
}

/// Whether a `match` arm on a status is a success arm: `StatusCode::OK`, `200..=299`,
/// `CREATED`, `ACCEPTED`, `NO_CONTENT`.
pub(super) fn is_success_pattern(pat: &syn::Pat) -> bool {
    #[derive(Default)]
    struct Finder {
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            self.found |= path.segments.last().is_some_and(|s| {
                matches!(
                    s.ident.to_string().as_str(),
                    "OK" | "CREATED" | "ACCEPTED" | "NO_CONTENT" | "PARTIAL_CONTENT"
                )
            });
            syn::visit::visit_path(self, path);
        }
        fn visit_lit_int(&mut self, lit: &'ast syn::LitInt) {
            self.found |= lit
                .base10_parse::<u64>()
                .is_ok_and(|n| (200..300).contains(&n));
        }
    }
    let mut finder = Finder::default();
    finder.visit_pat(pat);
    finder.found
}

/// Whether a pattern matches failure statuses only: `StatusCode::TOO_MANY_REQUESTS`,
/// `500 | 503`.
fn is_failure_pattern(pat: &syn::Pat) -> bool {
    matches_only(pat, is_failure_value, |_| false)
}

/// Whether every status a pattern matches is one `value` accepts (`A | B`, a constant's path,
/// a literal), or one `name` accepts where a bare identifier names it (a glob-imported
/// constant).
fn matches_only(
    pat: &syn::Pat,
    value: fn(&syn::Expr) -> bool,
    name: fn(&syn::Ident) -> bool,
) -> bool {
    match pat {
        syn::Pat::Or(or) => or.cases.iter().all(|case| matches_only(case, value, name)),
        syn::Pat::Paren(paren) => matches_only(&paren.pat, value, name),
        syn::Pat::Path(path) => value(&syn::Expr::Path(path.clone())),
        syn::Pat::Ident(ident) if ident.subpat.is_none() => name(&ident.ident),
        syn::Pat::Lit(lit) => value(&syn::Expr::Lit(lit.clone())),
        _ => false,
    }
}

/// Whether an expression is an error value: `Err(..)`, and methods chained on one
/// (`Err(e).context(..)`, `Err(e.into())`).
pub(super) fn is_error_value(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Call(call) => matches!(&*call.func, syn::Expr::Path(path)
            if path.path.segments.last().is_some_and(|s| s.ident == "Err")),
        syn::Expr::MethodCall(call) => is_error_value(&call.receiver),
        syn::Expr::Paren(paren) => is_error_value(&paren.expr),
        syn::Expr::Block(block) => match block.block.stmts.last() {
            Some(syn::Stmt::Expr(last, None)) => is_error_value(last),
            _ => false,
        },
        _ => false,
    }
}

/// `res.is_err()`, `res.is_none()` (and their negations, `!res.is_ok()`..) on a local: the
/// binding's name, and whether the then-branch is the one where it holds no response
/// (`false`: the else-branch is).
pub(super) fn no_response_branch(cond: &syn::Expr) -> Option<(String, bool)> {
    match cond {
        syn::Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Not(_)) => {
            no_response_branch(&unary.expr).map(|(name, then)| (name, !then))
        }
        syn::Expr::Paren(paren) => no_response_branch(&paren.expr),
        syn::Expr::MethodCall(call) if call.args.is_empty() => {
            let then_has_none = match syntax::name(&call.method).as_str() {
                "is_err" | "is_none" => true,
                "is_ok" | "is_some" => false,
                _ => return None,
            };
            let syn::Expr::Path(path) = &*call.receiver else {
                return None;
            };
            syntax::local_name(path).map(|name| (name, then_has_none))
        }
        _ => None,
    }
}

/// The statuses a caller may expect: a client error (4xx) about the resource or the request
/// that the code names (404 Not Found, 409 Conflict, 410 Gone, the 422 a service answers for
/// "no such commit"). Named, and answered with a normal value, it is a probe (an existence
/// check, "already exists", "already deleted"): its body is a short notice nobody needs once
/// the status is known. A refusal (401, 402, 403, 407: not allowed; 408, 429: not now) is a
/// failure the body explains, as is a server error (5xx) or a failure tested as a class
/// (`!is_success()`).
fn is_expected_status(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| is_expected_status_name(&s.ident)),
        _ => int_value(expr).is_some_and(|n| (400..500).contains(&n) && !REFUSALS.contains(&n)),
    }
}

fn is_expected_status_name(ident: &syn::Ident) -> bool {
    let name = ident.to_string();
    CLIENT_ERRORS.contains(&name.as_str()) && !REFUSAL_NAMES.contains(&name.as_str())
}

/// The client errors that refuse the request (not allowed, or not now) by number.
const REFUSALS: &[u64] = &[401, 402, 403, 407, 408, 429];

/// The same, by `http::StatusCode`'s constant names.
const REFUSAL_NAMES: &[&str] = &[
    "UNAUTHORIZED",
    "PAYMENT_REQUIRED",
    "FORBIDDEN",
    "PROXY_AUTHENTICATION_REQUIRED",
    "REQUEST_TIMEOUT",
    "TOO_MANY_REQUESTS",
];

/// Whether an `if` condition takes its then-branch only on an expected status:
/// `status == StatusCode::NOT_FOUND`, `resp.status().as_u16() == 409 && exist_ok`.
pub(super) fn expected_status_branch(cond: &syn::Expr) -> bool {
    match cond {
        syn::Expr::Paren(paren) => expected_status_branch(&paren.expr),
        syn::Expr::Binary(binary) => match binary.op {
            syn::BinOp::And(_) => {
                expected_status_branch(&binary.left) || expected_status_branch(&binary.right)
            }
            syn::BinOp::Or(_) => {
                expected_status_branch(&binary.left) && expected_status_branch(&binary.right)
            }
            syn::BinOp::Eq(_) => {
                (is_status_check(&binary.left) && is_expected_status(&binary.right))
                    || (is_status_check(&binary.right) && is_expected_status(&binary.left))
            }
            _ => false,
        },
        // `let Some(StatusCode::NOT_FOUND) = err.status()`.
        syn::Expr::Let(let_expr) if is_status_check(&let_expr.expr) => match &*let_expr.pat {
            syn::Pat::TupleStruct(some) if some.elems.len() == 1 => {
                is_expected_status_pattern(&some.elems[0])
            }
            pat => is_expected_status_pattern(pat),
        },
        _ => false,
    }
}

/// Whether a `match` arm on a status matches only expected statuses (`StatusCode::NOT_FOUND`,
/// `404 | 410`).
pub(super) fn is_expected_status_pattern(pat: &syn::Pat) -> bool {
    matches_only(pat, is_expected_status, is_expected_status_name)
}

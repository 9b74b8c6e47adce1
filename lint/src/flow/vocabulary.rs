//! The vocabulary of reqwest the flow analysis knows: which methods read a body, hand a
//! response on, only borrow it, start or continue a request, and which macros diverge or borrow.

/// Methods that read a response's body (they take it by value, or read it through `&mut`).
pub(super) const BODY_READS: &[&str] = &[
    "text",
    "text_with_charset",
    "json",
    "bytes",
    "bytes_stream",
    "upgrade",
    "chunk",
    "copy_to",
    "read_to_end",
    "read_to_string",
    "read",
    "read_exact",
];
/// Whole-body reads that buffer everything (`unbounded_body_read`).
pub(super) const WHOLE_BODY_READS: &[&str] = &["text", "text_with_charset", "json", "bytes"];
/// Methods that hand the same response on (on the response, its `Result`, or its future).
pub(super) const PASS_THROUGHS: &[&str] = &[
    "error_for_status",
    "unwrap",
    "expect",
    "map_err",
    "ok",
    "context",
    "with_context",
    "wrap_err",
    "wrap_err_with",
    "into_future",
    "unwrap_or_else",
    "inspect_err",
];
/// Methods that give a closure the response-carrying value.
pub(super) const CLOSURE_PASSING: &[&str] = &["map", "and_then", "then", "inspect"];
/// Methods that only borrow the response (or its `Result`).
pub(super) const BORROWS: &[&str] = &[
    "status",
    "headers",
    "headers_mut",
    "url",
    "content_length",
    "error_for_status_ref",
    "remote_addr",
    "version",
    "extensions",
    "extensions_mut",
    "cookies",
    "is_ok",
    "is_err",
    "is_some",
    "is_none",
    "as_ref",
    "as_mut",
    "by_ref",
    "status_mut",
];
/// Methods on a response's `Result`/`Option` that keep the error and give the response up.
pub(super) const DISCARDS: &[&str] = &["err", "unwrap_err", "expect_err"];
/// Methods that start a request on a client.
pub(super) const REQUEST_STARTS: &[&str] =
    &["get", "post", "put", "patch", "delete", "head", "request"];
/// Methods of a `RequestBuilder` that return the builder.
pub(super) const BUILDER_STEPS: &[&str] = &[
    "header",
    "headers",
    "json",
    "form",
    "body",
    "query",
    "bearer_auth",
    "basic_auth",
    "timeout",
    "version",
    "multipart",
    "fetch_mode_no_cors",
];
/// Same-crate methods with these names are not looked up: too many other types have them.
pub(super) const COMMON_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "request", "send", "execute", "map", "then",
    "and_then", "clone", "new", "default", "build", "call", "run", "next", "unwrap", "into",
];
/// Macros that never return.
pub(super) const DIVERGING_MACROS: &[&str] =
    &["panic", "unreachable", "todo", "unimplemented", "bail"];
/// Macros that only borrow their arguments (formatting, assertions, logging).
pub(super) const BORROWING_MACROS: &[&str] = &[
    "println",
    "print",
    "eprintln",
    "eprint",
    "format",
    "format_args",
    "write",
    "writeln",
    "dbg",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "event",
    "log",
    "anyhow",
    "format_err",
    "ensure",
];

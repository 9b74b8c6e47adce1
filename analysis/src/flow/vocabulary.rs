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
    "inspect",
    "inspect_err",
    "instrument",
    "in_current_span",
    "with_current_subscriber",
    "boxed",
    "fuse",
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
/// Methods of a `RequestBuilder` that return the builder (reqwest 0.12 and 0.13, async and
/// blocking).
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
    // wasm's fetch options.
    "fetch_mode_no_cors",
    "fetch_cache_default",
    "fetch_cache_force_cache",
    "fetch_cache_no_cache",
    "fetch_cache_no_store",
    "fetch_cache_only_if_cached",
    "fetch_cache_reload",
    "fetch_credentials_include",
    "fetch_credentials_omit",
    "fetch_credentials_same_origin",
    "fetch_referrer",
    "fetch_referrer_policy",
];
/// Methods of a `ClientBuilder` that return the builder (reqwest 0.11, 0.12 and 0.13, async
/// and blocking); `build` ends it.
pub(super) const CLIENT_BUILDER_STEPS: &[&str] = &[
    "add_crl",
    "add_crls",
    "add_root_certificate",
    "brotli",
    "connect_timeout",
    "connection_verbose",
    "connector_layer",
    "cookie_provider",
    "cookie_store",
    "danger_accept_invalid_certs",
    "danger_accept_invalid_hostnames",
    "default_headers",
    "deflate",
    "dns_resolver",
    "dns_resolver2",
    "gzip",
    "hickory_dns",
    "http09_responses",
    "http1_allow_obsolete_multiline_headers_in_responses",
    "http1_allow_spaces_after_header_name_in_responses",
    "http1_ignore_invalid_headers_in_responses",
    "http1_max_headers",
    "http1_only",
    "http1_title_case_headers",
    "http2_adaptive_window",
    "http2_initial_connection_window_size",
    "http2_initial_stream_window_size",
    "http2_keep_alive_interval",
    "http2_keep_alive_timeout",
    "http2_keep_alive_while_idle",
    "http2_max_frame_size",
    "http2_max_header_list_size",
    "http2_prior_knowledge",
    "http3_congestion_bbr",
    "http3_conn_receive_window",
    "http3_max_field_section_size",
    "http3_max_idle_timeout",
    "http3_prior_knowledge",
    "http3_send_grease",
    "http3_send_window",
    "http3_stream_receive_window",
    "https_only",
    "identity",
    "interface",
    "local_address",
    "max_tls_version",
    "min_tls_version",
    "no_brotli",
    "no_deflate",
    "no_gzip",
    "no_hickory_dns",
    "no_proxy",
    "no_trust_dns",
    "no_zstd",
    "pool_idle_timeout",
    "pool_max_idle_per_host",
    "proxy",
    "read_timeout",
    "redirect",
    "referer",
    "resolve",
    "resolve_to_addrs",
    "retry",
    "set_quic_max_idle_timeout",
    "set_quic_receive_window",
    "set_quic_send_window",
    "set_quic_stream_receive_window",
    "set_tls_enable_early_data",
    "tcp_keepalive",
    "tcp_keepalive_interval",
    "tcp_keepalive_retries",
    "tcp_nodelay",
    "tcp_user_timeout",
    "timeout",
    "tls_backend_native",
    "tls_backend_preconfigured",
    "tls_backend_rustls",
    "tls_built_in_native_certs",
    "tls_built_in_root_certs",
    "tls_built_in_webpki_certs",
    "tls_certs_merge",
    "tls_certs_only",
    "tls_crls_only",
    "tls_danger_accept_invalid_certs",
    "tls_danger_accept_invalid_hostnames",
    "tls_early_data",
    "tls_info",
    "tls_sni",
    "tls_sslkeylogfile",
    "tls_version_max",
    "tls_version_min",
    "trust_dns",
    "unix_socket",
    "use_native_tls",
    "use_preconfigured_tls",
    "use_rustls_tls",
    "user_agent",
    "windows_named_pipe",
    "zstd",
    // reqwest-middleware's `ClientBuilder`, around an existing client.
    "with",
    "with_init",
    "with_arc",
    "with_arc_init",
];

/// Associated functions and methods of a `Client` besides the request starts: `new` and
/// `builder` make one (`Names::client_constructor`), `execute(request)` sends a built request
/// (a source).
pub(super) const CLIENT_METHODS: &[&str] = &["new", "builder", "execute"];
/// Associated functions and methods of a `ClientBuilder` besides its steps: `new` starts one
/// (`Names::client_constructor`), `build` ends it with the client.
pub(super) const CLIENT_BUILDER_ENDS: &[&str] = &["new", "build"];
/// Methods and associated functions of a `RequestBuilder` that are not steps: `send` sends
/// (a source); `build` and `build_split` end the builder with a `Request` (sent later through
/// `Client::execute`); `try_clone` copies it (the retry idiom); `from_parts` makes one from a
/// client and a request. Any other method called on a request builder is an extension (a
/// trait of another crate, `with_extension`) and keeps it a builder.
pub(super) const BUILDER_ENDS: &[&str] =
    &["send", "build", "build_split", "try_clone", "from_parts"];

/// Every list that classifies the public methods of reqwest's `Client`, `ClientBuilder`,
/// `RequestBuilder` and `Response` (async, blocking and wasm): (type, list name, methods).
/// A test checks it against reqwest's own source, every version in the lock file.
pub(crate) const REQWEST_API: &[(&str, &str, &[&str])] = &[
    ("Client", "REQUEST_STARTS", REQUEST_STARTS),
    ("Client", "CLIENT_METHODS", CLIENT_METHODS),
    (
        "ClientBuilder",
        "CLIENT_BUILDER_STEPS",
        CLIENT_BUILDER_STEPS,
    ),
    ("ClientBuilder", "CLIENT_BUILDER_ENDS", CLIENT_BUILDER_ENDS),
    ("RequestBuilder", "BUILDER_STEPS", BUILDER_STEPS),
    ("RequestBuilder", "BUILDER_ENDS", BUILDER_ENDS),
    ("Response", "BODY_READS", BODY_READS),
    ("Response", "BORROWS", BORROWS),
    ("Response", "PASS_THROUGHS", PASS_THROUGHS),
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

/// Macros that write a log line (the `log` and `tracing` levels, and printing to the terminal):
/// a failure status logged this way has become a message whose detail the body held.
pub(super) const LOG_MACROS: &[&str] = &[
    "println", "print", "eprintln", "eprint", "info", "warn", "error", "debug", "trace", "event",
    "log",
];

/// Adapters that exist only on iterators and streams: their closure runs once per item.
pub(super) const PER_ITEM_ADAPTERS: &[&str] = &[
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
pub(super) const MAYBE_PER_ITEM_ADAPTERS: &[&str] =
    &["map", "then", "filter", "inspect", "and_then", "map_ok"];
/// Methods that make an iterator out of something.
pub(super) const ITERATOR_STARTS: &[&str] = &[
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
pub(super) const ITERATOR_STEPS: &[&str] = &[
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
/// Methods whose closure runs once for the program: once-initializers.
pub(super) const ONCE_INITIALIZERS: &[&str] = &["get_or_init", "get_or_try_init", "call_once"];
/// Types whose `new(closure)` runs the closure once: lazy statics.
pub(super) const ONCE_CONSTRUCTORS: &[&str] = &["LazyLock", "Lazy", "LazyCell", "OnceCell"];
/// Web frameworks' routing functions: `get(handler)` registers a handler (axum).
pub(super) const ROUTE_FUNCTIONS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace", "any", "on",
];
/// Web frameworks' routing methods: `get(a).post(handler)` (axum), `web::get().to(handler)`
/// (actix-web).
pub(super) const ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace", "any", "on", "to",
];

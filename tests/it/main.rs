//! The integration tests, in one binary: each module was a test file of its own, linked
//! separately against axum, reqwest and the analyzer; together they link once. The shared
//! helpers are modules here too (`support`, `binary`, `sarif`: the CLI tests'; `corpus`,
//! `deep`: shared with the analyzer's benchmarks; `lazy`: lazy against eager runs).
//!
//! `tests/tests/runtime_api.rs` and `tests/tests/runtime_concurrency.rs` stay binaries of their
//! own: they assert on process-wide state (the leak hook, `REQLEAK_BACKTRACE`, every live
//! response), which the responses other tests keep on purpose would disturb. Settings read once
//! per process (`REQLEAK_LOG`, `REQLEAK_MAX_BODY`) are tested in a child process of this binary
//! running one ignored test (`runtime_log`, `runtime_max_body`).

#[path = "../cli/binary.rs"]
mod binary;
#[path = "../../analysis/benches/common/corpus.rs"]
mod corpus;
#[path = "../../analysis/benches/common/deep.rs"]
mod deep;
#[path = "../common/lazy.rs"]
mod lazy;
#[path = "../cli/sarif.rs"]
mod sarif;
#[path = "../cli/support.rs"]
mod support;

mod cli_baseline;
mod cli_binary;
mod cli_cache;
mod cli_config;
mod cli_demo;
mod cli_deps;
mod cli_editor;
mod cli_install;
mod cli_levels;
mod cli_paths;
mod cli_recipes;
mod cli_renamed;
mod cli_sarif;
mod cli_suppression;
mod cli_targets;
mod cli_workspace;
mod deep_input;
mod fuzz;
mod lazy_bodies;
mod no_panic;
mod runtime_clean;
mod runtime_grouped;
mod runtime_leaks;
mod runtime_library;
mod runtime_log;
mod runtime_max_body;
mod runtime_pool;
mod runtime_shapes;
mod runtime_strict;
mod runtime_transparency;
mod runtime_untracked;
mod runtime_versions;
mod trybuild;
mod ui;
mod ui_snapshots;
mod vocabulary;

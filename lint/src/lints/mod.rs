//! The lint catalogue: one module a lint, each with its documentation and its check.

pub mod await_holding_response;
pub mod client_per_request;
pub mod collected_responses;
pub mod leaked_response;
pub mod response_field;
pub mod response_in_static;
pub mod response_unread_on_early_exit;
pub mod unbounded_body_read;
pub mod unconsumed_response;

use crate::lint::Lint;

/// Every lint, in catalogue order (as lints.md lists them).
pub static LINTS: [&Lint; 9] = [
    &leaked_response::LINT,
    &unconsumed_response::LINT,
    &await_holding_response::LINT,
    &collected_responses::LINT,
    &client_per_request::LINT,
    &response_in_static::LINT,
    &response_unread_on_early_exit::LINT,
    &response_field::LINT,
    &unbounded_body_read::LINT,
];

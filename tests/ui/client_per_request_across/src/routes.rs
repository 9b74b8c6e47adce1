// axum routes registered here; the handlers are in another file.

use axum::routing::{get, post};
use axum::Router;

use crate::handlers;

pub(crate) fn app() -> Router {
    Router::new()
        .route("/proxy", get(handlers::proxy::forward))
        .route("/hook", post(handlers::relay))
        .route("/health", get(handlers::health))
}

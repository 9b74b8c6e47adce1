//@ lints: response_field
// response_field (pedantic): a struct or enum field whose type holds a response (itself, or in
// `Option`, `Box`, `Arc`, `Mutex`, `RefCell`...). Flagged at the field. Collections of
// responses belong to collected_responses.

use std::cell::RefCell;

use reqwest::Response;

// ---------------------------------------------------------------- flagged

// A named field of a fully qualified response type.
struct Page {
    url: String,
    response: reqwest::Response, //~ response_field
}

// An `Option<Response>` field.
struct Pending {
    resp: Option<Response>, //~ response_field
    retries: u32,
}

mod renamed {
    use std::sync::{Arc, Mutex};

    use reqwest::Response as Resp;

    // A renamed response type, deep in `Arc<Mutex<Option<..>>>`.
    pub struct Shared {
        inner: Arc<Mutex<Option<Resp>>>, //~ response_field
    }
}

// A tuple variant holding a blocking response.
enum Fetch {
    Done(String),
    Streaming(reqwest::blocking::Response), //~ response_field
}

// A tuple struct boxing a response.
struct Wrapped(Box<Response>); //~ response_field

// A struct-like variant with a `RefCell<Response>` field.
enum Slot {
    Empty,
    Full {
        resp: RefCell<Response>, //~ response_field
    },
}

// ---------------------------------------------------------------- silent

// What the response said, not the response.
struct Summary {
    status: reqwest::StatusCode,
    body: bytes::Bytes,
}

// A client field is the recommended pattern.
struct Api {
    client: reqwest::Client,
    base: String,
}

// A collection of responses belongs to collected_responses.
struct Batch {
    responses: Vec<Response>,
}

// A request builder is not a response.
struct Draft {
    builder: reqwest::RequestBuilder,
}

mod api {
    pub struct Response {
        pub code: u16,
    }
}

// Another module's type that happens to be called `Response`.
struct Holder {
    last: api::Response,
}

// A generic field: whatever it holds is not known here.
struct Wrapper<R> {
    inner: R,
}

// ---------------------------------------------------------------- silent: wrappers and errors

// A wrapper that reads itself lazily: `json(self)` reads the response inside.
pub struct ApiResponse {
    inner: reqwest::Response,
}

impl ApiResponse {
    pub fn status(&self) -> reqwest::StatusCode {
        self.inner.status()
    }

    pub async fn json<T: serde::de::DeserializeOwned>(self) -> reqwest::Result<T> {
        self.inner.json().await
    }
}

// A wrapper that hands the response on.
pub struct Tracked(Response);

impl Tracked {
    pub fn into_inner(self) -> Response {
        self.0
    }
}

// An error variant carries the response to the caller, who reads the error body.
pub enum ApiError {
    Status(reqwest::Response),
    Transport(reqwest::Error),
}

// An error type by its `Error` impl.
pub struct Rejected {
    pub response: Response,
}

impl std::fmt::Debug for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("rejected")
    }
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("rejected")
    }
}

impl std::error::Error for Rejected {}

// Flagged still: a wrapper whose methods only borrow never lets the response go.
pub struct Held {
    inner: Response, //~ response_field
}

impl Held {
    pub fn status(&self) -> reqwest::StatusCode {
        self.inner.status()
    }
}

//! Instrumenting responses: the extensions guard and the counting body.

use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use reqwest::ResponseBuilderExt;

use crate::registry::{self, Entry, BODY_TRACKED, EOF, FORGOTTEN};
use crate::report::Site;

/// Stored in the response's extensions: dropped when the response is dropped or a body method
/// starts (reqwest drops the head then), which is what "released" means.
pub(crate) struct Guard(Option<Arc<Entry>>);

impl Clone for Guard {
    /// A clone never marks anything (only the original belongs to the response).
    fn clone(&self) -> Self {
        Guard(None)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(e) = &self.0 {
            registry::release(e);
        }
    }
}

/// Wraps the body of an async response: counts the bytes read and sees its end.
struct CountingBody {
    inner: reqwest::Body,
    entry: Arc<Entry>,
}

impl HttpBody for CountingBody {
    type Data = Bytes;
    type Error = reqwest::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, reqwest::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.entry
                        .bytes_read
                        .fetch_add(data.len() as u64, Ordering::AcqRel);
                }
            }
            Poll::Ready(None) => self.mark_eof(),
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl CountingBody {
    fn mark_eof(&self) {
        if !self.entry.has(EOF) {
            self.entry.set(EOF);
            registry::CONSUMED.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Drop for CountingBody {
    fn drop(&mut self) {
        if self.entry.has(EOF) {
            return;
        }
        let empty = self.inner.is_end_stream()
            || (self.entry.content_length == Some(0))
            || self
                .entry
                .content_length
                .is_some_and(|len| self.entry.bytes_read.load(Ordering::Acquire) >= len);
        if empty {
            self.mark_eof();
        } else {
            registry::body_dropped_unread(&self.entry);
        }
    }
}

fn tracked_id(ext: &http::Extensions) -> Option<u64> {
    ext.get::<Guard>().and_then(|g| g.0.as_ref()).map(|e| e.id)
}

fn mark_forgotten(ext: &http::Extensions) {
    if let Some(e) = ext.get::<Guard>().and_then(|g| g.0.as_ref()) {
        e.set(FORGOTTEN);
    }
}

/// Instruments an async response: guard in its extensions, counting wrapper around its body.
pub(crate) fn instrument_async(
    resp: reqwest::Response,
    scope: u64,
    site: Site,
) -> reqwest::Response {
    if resp.extensions().get::<Guard>().is_some() {
        return resp;
    }
    let url = resp.url().clone();
    let entry = registry::register(
        url.to_string(),
        resp.status(),
        resp.content_length(),
        scope,
        site,
    );
    entry.set(BODY_TRACKED);
    let http_resp: http::Response<reqwest::Body> = resp.into();
    let (mut parts, body) = http_resp.into_parts();
    // `ResponseUrl` is private to reqwest: get it into the extensions through its builder.
    if let Ok(with_url) = http::response::Builder::new().url(url).body(()) {
        parts.extensions.extend(with_url.into_parts().0.extensions);
    }
    parts.extensions.insert(Guard(Some(entry.clone())));
    let body = reqwest::Body::wrap(CountingBody { inner: body, entry });
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// Instruments a blocking response: guard in its extensions only (never round-tripped).
pub(crate) fn instrument_blocking(
    mut resp: reqwest::blocking::Response,
    scope: u64,
    site: Site,
) -> reqwest::blocking::Response {
    if resp.extensions().get::<Guard>().is_some() {
        return resp;
    }
    let entry = registry::register(
        resp.url().to_string(),
        resp.status(),
        resp.content_length(),
        scope,
        site,
    );
    resp.extensions_mut().insert(Guard(Some(entry)));
    resp
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for reqwest::Response {}
    impl Sealed for reqwest::blocking::Response {}
    impl<T: super::Trackable, E> Sealed for Result<T, E> {}
    impl<T: super::Trackable> Sealed for Option<T> {}
}

/// A value that is or carries a reqwest response: `reqwest::Response`,
/// `reqwest::blocking::Response`, and `Result`/`Option` of them. Sealed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a reqwest response",
    label = "not a `reqwest::Response`, a `reqwest::blocking::Response`, or a `Result`/`Option` of one",
    note = "under `#[reqleak::check]`, a `.send()` or `.execute(..)` whose type is known only from later code cannot be instrumented: name its type at the call (`x.send::<T>()`), or call it as `Type::send(&x)` to leave it alone"
)]
pub trait Trackable: sealed::Sealed + Sized {
    #[doc(hidden)]
    fn __instrument(self, scope: u64, site: Site) -> Self;
    #[doc(hidden)]
    fn __tracked_id(&self) -> Option<u64>;
    #[doc(hidden)]
    fn __mark_forgotten(&self);
}

impl Trackable for reqwest::Response {
    fn __instrument(self, scope: u64, site: Site) -> Self {
        instrument_async(self, scope, site)
    }
    fn __tracked_id(&self) -> Option<u64> {
        tracked_id(self.extensions())
    }
    fn __mark_forgotten(&self) {
        mark_forgotten(self.extensions())
    }
}

impl Trackable for reqwest::blocking::Response {
    fn __instrument(self, scope: u64, site: Site) -> Self {
        instrument_blocking(self, scope, site)
    }
    fn __tracked_id(&self) -> Option<u64> {
        tracked_id(self.extensions())
    }
    fn __mark_forgotten(&self) {
        mark_forgotten(self.extensions())
    }
}

impl<T: Trackable, E> Trackable for Result<T, E> {
    fn __instrument(self, scope: u64, site: Site) -> Self {
        self.map(|r| r.__instrument(scope, site))
    }
    fn __tracked_id(&self) -> Option<u64> {
        self.as_ref().ok().and_then(Trackable::__tracked_id)
    }
    fn __mark_forgotten(&self) {
        if let Ok(r) = self {
            r.__mark_forgotten()
        }
    }
}

impl<T: Trackable> Trackable for Option<T> {
    fn __instrument(self, scope: u64, site: Site) -> Self {
        self.map(|r| r.__instrument(scope, site))
    }
    fn __tracked_id(&self) -> Option<u64> {
        self.as_ref().and_then(Trackable::__tracked_id)
    }
    fn __mark_forgotten(&self) {
        if let Some(r) = self {
            r.__mark_forgotten()
        }
    }
}

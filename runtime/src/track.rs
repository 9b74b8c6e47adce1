//! Instrumenting responses: the extensions guard and the counting body, for each tracked reqwest
//! major version (features `reqwest-0-13`, `reqwest-0-12`; `blocking` for the blocking client).
//!
//! Both versions build on `http` 1 and `http-body` 1, so the guard, the counting wrapper and the
//! registry are shared; only the `Response`/`Body` types differ.

use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};

#[cfg(any(feature = "reqwest-0-13", feature = "reqwest-0-12"))]
use crate::registry::BODY_TRACKED;
use crate::registry::{self, Entry, DELIBERATE, EOF, FORGOTTEN};
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
struct CountingBody<B: HttpBody<Data = Bytes> + Unpin> {
    inner: B,
    entry: Arc<Entry>,
}

impl<B> HttpBody for CountingBody<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
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

impl<B: HttpBody<Data = Bytes> + Unpin> CountingBody<B> {
    fn mark_eof(&self) {
        if !self.entry.has(EOF) {
            self.entry.set(EOF);
            registry::consumed(&self.entry);
        }
    }

    /// Whether the rest of the body is known to be empty: its end was signalled, its length is
    /// known and all read, or (no length: chunked or close-delimited) what is already buffered
    /// is its end. Never waits: one look with a no-op waker, and only outside a panic.
    fn rest_is_empty(&mut self) -> bool {
        let read = self.entry.bytes_read.load(Ordering::Acquire);
        if self.inner.is_end_stream()
            || self.inner.size_hint().exact() == Some(0)
            || self.entry.content_length.is_some_and(|len| read >= len)
        {
            return true;
        }
        if self.entry.content_length.is_some() || std::thread::panicking() {
            return false;
        }
        // No length: look at what is buffered. A body whose next frame is its end is empty; one
        // with data (or nothing yet) is not known to be.
        let mut cx = Context::from_waker(Waker::noop());
        let looked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for _ in 0..8 {
                match Pin::new(&mut self.inner).poll_frame(&mut cx) {
                    Poll::Ready(None) => return true,
                    Poll::Ready(Some(Ok(frame))) => match frame.data_ref() {
                        Some(data) if !data.is_empty() => return false,
                        _ => continue,
                    },
                    Poll::Ready(Some(Err(_))) | Poll::Pending => return false,
                }
            }
            false
        }));
        looked.unwrap_or(false)
    }
}

impl<B: HttpBody<Data = Bytes> + Unpin> Drop for CountingBody<B> {
    fn drop(&mut self) {
        if self.entry.has(EOF) {
            return;
        }
        if self.rest_is_empty() {
            self.mark_eof();
        } else {
            registry::body_dropped_unread(&self.entry);
        }
    }
}

fn tracked_id(ext: &http::Extensions) -> Option<u64> {
    ext.get::<Guard>().and_then(|g| g.0.as_ref()).map(|e| e.id)
}

fn mark(ext: &http::Extensions, flag: u8) {
    if let Some(e) = ext.get::<Guard>().and_then(|g| g.0.as_ref()) {
        e.set(flag);
    }
}

fn read_whole(ext: &http::Extensions, site: Site) {
    if let Some(e) = ext.get::<Guard>().and_then(|g| g.0.as_ref()) {
        let _ = e.read_whole_at.set(site);
    }
}

/// Instruments the responses of one reqwest major version (`$krate` is its renamed dependency).
macro_rules! reqwest_version {
    ($krate:ident) => {
        use super::*;
        use ::$krate::ResponseBuilderExt;

        /// Instruments an async response: guard in its extensions, counting wrapper around its
        /// body.
        pub(crate) fn instrument_async(
            resp: ::$krate::Response,
            scope: u64,
            site: Site,
        ) -> ::$krate::Response {
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
            let http_resp: http::Response<::$krate::Body> = resp.into();
            let (mut parts, body) = http_resp.into_parts();
            // `ResponseUrl` is private to reqwest: get it into the extensions through its builder.
            if let Ok(with_url) = http::response::Builder::new().url(url).body(()) {
                parts.extensions.extend(with_url.into_parts().0.extensions);
            }
            parts.extensions.insert(Guard(Some(entry.clone())));
            let body = ::$krate::Body::wrap(CountingBody { inner: body, entry });
            ::$krate::Response::from(http::Response::from_parts(parts, body))
        }

        impl IsClient for ::$krate::Client {}
        #[cfg(feature = "blocking")]
        impl IsClient for ::$krate::blocking::Client {}

        impl sealed::Sealed for ::$krate::Response {}

        impl Trackable for ::$krate::Response {
            fn __instrument(self, scope: u64, site: Site) -> Self {
                instrument_async(self, scope, site)
            }
            fn __tracked_id(&self) -> Option<u64> {
                tracked_id(self.extensions())
            }
            fn __mark(&self, flag: u8) {
                mark(self.extensions(), flag)
            }
            fn __read_whole(&self, site: Site) {
                read_whole(self.extensions(), site)
            }
        }

        /// Instruments a blocking response: guard in its extensions only (never round-tripped).
        #[cfg(feature = "blocking")]
        pub(crate) fn instrument_blocking(
            mut resp: ::$krate::blocking::Response,
            scope: u64,
            site: Site,
        ) -> ::$krate::blocking::Response {
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

        #[cfg(feature = "blocking")]
        impl sealed::Sealed for ::$krate::blocking::Response {}

        #[cfg(feature = "blocking")]
        impl Trackable for ::$krate::blocking::Response {
            fn __instrument(self, scope: u64, site: Site) -> Self {
                instrument_blocking(self, scope, site)
            }
            fn __tracked_id(&self) -> Option<u64> {
                tracked_id(self.extensions())
            }
            fn __mark(&self, flag: u8) {
                mark(self.extensions(), flag)
            }
        }
    };
}

#[cfg(feature = "reqwest-0-13")]
mod v0_13 {
    reqwest_version!(reqwest013);
}

#[cfg(feature = "reqwest-0-12")]
mod v0_12 {
    reqwest_version!(reqwest012);
}

/// reqwest 0.11 (feature `reqwest-0-11`), built on `http` 0.2 and hyper 0.14: its responses get
/// the extensions guard only, async and blocking alike. Its `Body` can wrap a stream but not keep
/// a body's size hint, so a counting wrapper would turn `content_length()` into `None`: what the
/// code observes would change. So `strict` cannot see a 0.11 body dropped before its end, and
/// reading one with `chunk()` releases it only when it is dropped.
#[cfg(feature = "reqwest-0-11")]
mod v0_11 {
    use super::*;

    fn tracked_id(ext: &http02::Extensions) -> Option<u64> {
        ext.get::<Guard>().and_then(|g| g.0.as_ref()).map(|e| e.id)
    }

    fn mark(ext: &http02::Extensions, flag: u8) {
        if let Some(e) = ext.get::<Guard>().and_then(|g| g.0.as_ref()) {
            e.set(flag);
        }
    }

    fn status(s: http02::StatusCode) -> http::StatusCode {
        http::StatusCode::from_u16(s.as_u16()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    macro_rules! guard_only {
        ($ty:ty) => {
            impl sealed::Sealed for $ty {}

            impl Trackable for $ty {
                fn __instrument(mut self, scope: u64, site: Site) -> Self {
                    if self.extensions().get::<Guard>().is_some() {
                        return self;
                    }
                    let entry = registry::register(
                        self.url().to_string(),
                        status(self.status()),
                        self.content_length(),
                        scope,
                        site,
                    );
                    self.extensions_mut().insert(Guard(Some(entry)));
                    self
                }
                fn __tracked_id(&self) -> Option<u64> {
                    tracked_id(self.extensions())
                }
                fn __mark(&self, flag: u8) {
                    mark(self.extensions(), flag)
                }
            }
        };
    }

    impl IsClient for ::reqwest011::Client {}
    #[cfg(feature = "blocking")]
    impl IsClient for ::reqwest011::blocking::Client {}

    guard_only!(::reqwest011::Response);
    #[cfg(feature = "blocking")]
    guard_only!(::reqwest011::blocking::Response);
}

/// A reqwest client of a tracked version, or a `Result` of one (what `build()` returns).
#[doc(hidden)]
pub trait IsClient {}

impl<T: IsClient, E> IsClient for Result<T, E> {}

mod sealed {
    pub trait Sealed {}
    impl<T: super::Trackable, E> Sealed for Result<T, E> {}
    impl<T: super::Trackable> Sealed for Option<T> {}
}

/// A value that is or carries a reqwest response of a tracked version: `reqwest::Response`
/// (and `reqwest::blocking::Response` with the `blocking` feature) of reqwest 0.13 (feature
/// `reqwest-0-13`, the default), 0.12 (feature `reqwest-0-12`) and/or 0.11 (feature
/// `reqwest-0-11`), and `Result`/`Option` of them. Sealed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a reqwest response that this build of reqleak tracks",
    label = "not a `reqwest::Response`, a `reqwest::blocking::Response`, or a `Result`/`Option` of one",
    note = "reqleak tracks reqwest 0.13 (feature `reqwest-0-13`, default), 0.12 (feature `reqwest-0-12`) and 0.11 (feature `reqwest-0-11`), and blocking responses with the feature `blocking`",
    note = "under `#[reqleak::check]`, a `.send()` or `.execute(..)` whose type is known only from later code cannot be instrumented: name its type at the call (`x.send::<T>()`), or call it as `Type::send(&x)` to leave it alone"
)]
pub trait Trackable: sealed::Sealed + Sized {
    #[doc(hidden)]
    fn __instrument(self, scope: u64, site: Site) -> Self;
    #[doc(hidden)]
    fn __tracked_id(&self) -> Option<u64>;
    #[doc(hidden)]
    fn __mark(&self, flag: u8);
    /// A whole-body read was called on it at `site` (bodies that are counted: async 0.12/0.13).
    #[doc(hidden)]
    fn __read_whole(&self, _site: Site) {}
    #[doc(hidden)]
    fn __mark_forgotten(&self) {
        self.__mark(FORGOTTEN)
    }
    #[doc(hidden)]
    fn __mark_deliberate(&self) {
        self.__mark(DELIBERATE)
    }
}

impl<T: Trackable, E> Trackable for Result<T, E> {
    fn __instrument(self, scope: u64, site: Site) -> Self {
        self.map(|r| r.__instrument(scope, site))
    }
    fn __tracked_id(&self) -> Option<u64> {
        self.as_ref().ok().and_then(Trackable::__tracked_id)
    }
    fn __mark(&self, flag: u8) {
        if let Ok(r) = self {
            r.__mark(flag)
        }
    }
    fn __read_whole(&self, site: Site) {
        if let Ok(r) = self {
            r.__read_whole(site)
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
    fn __mark(&self, flag: u8) {
        if let Some(r) = self {
            r.__mark(flag)
        }
    }
    fn __read_whole(&self, site: Site) {
        if let Some(r) = self {
            r.__read_whole(site)
        }
    }
}

/// What kind of untracked reqwest response a type name denotes, if any: `Response`,
/// `Result<Response, _>` or `Option<Response>` (nested), where `Response` is reqwest's async or
/// blocking response. Any other type (a wrapper, a collection) is not one.
pub(crate) fn untracked_kind(type_name: &str) -> Option<Kind> {
    let mut t = type_name;
    loop {
        if let Some(rest) = t.strip_prefix("core::result::Result<") {
            t = rest;
        } else if let Some(rest) = t.strip_prefix("core::option::Option<") {
            t = rest;
        } else {
            break;
        }
    }
    let (kind, rest) = if let Some(rest) = t.strip_prefix("reqwest::async_impl::response::Response")
    {
        (Kind::Async, rest)
    } else if let Some(rest) = t.strip_prefix("reqwest::blocking::response::Response") {
        (Kind::Blocking, rest)
    } else {
        return None;
    };
    (rest.is_empty() || rest.starts_with(',') || rest.starts_with('>')).then_some(kind)
}

/// An async or a blocking reqwest response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Async,
    Blocking,
}

/// What the type of an untracked response says about its reqwest version (found at compile
/// time, where the response was created; see `__private::Hint`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionHint {
    /// Built from an `http` 1 response: reqwest 0.12 or 0.13.
    Http1,
    /// Built from an `http` 0.2 response with `bytes` 1: reqwest 0.11.
    Http02,
    /// Neither: a reqwest older than 0.11 (or a type that was generic where it was created).
    Unknown,
}

/// The reqwest versions (and blocking) a build tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tracked {
    pub(crate) v013: bool,
    pub(crate) v012: bool,
    pub(crate) v011: bool,
    pub(crate) blocking: bool,
}

/// What to enable for an untracked response of `kind` whose type gave `hint`, given what this
/// build tracks: the one feature that fits, and the `blocking` feature with it when needed.
pub(crate) fn untracked_help(kind: Kind, hint: VersionHint, t: Tracked) -> &'static str {
    let needs_blocking = kind == Kind::Blocking && !t.blocking;
    const BLOCKING: &str = "this build of reqleak does not track blocking responses: enable the feature `blocking` of `reqleak`";
    match hint {
        VersionHint::Http02 if t.v011 => BLOCKING,
        VersionHint::Http02 if needs_blocking => {
            "this is a reqwest 0.11 blocking response: enable the features `reqwest-0-11` and `blocking` of `reqleak` to track it"
        }
        VersionHint::Http02 => {
            "this is a reqwest 0.11 response, and this build of reqleak does not track 0.11: enable the feature `reqwest-0-11` of `reqleak`"
        }
        VersionHint::Http1 => match (t.v013, t.v012, needs_blocking) {
            (true, false, false) => {
                "this is a reqwest 0.12 response, and this build of reqleak does not track 0.12: enable the feature `reqwest-0-12` of `reqleak`"
            }
            (true, false, true) => {
                "this is a reqwest 0.12 blocking response: enable the features `reqwest-0-12` and `blocking` of `reqleak` to track it"
            }
            (false, true, false) => {
                "this is a reqwest 0.13 response, and this build of reqleak does not track 0.13: enable the feature `reqwest-0-13` of `reqleak`"
            }
            (false, true, true) => {
                "this is a reqwest 0.13 blocking response: enable the features `reqwest-0-13` and `blocking` of `reqleak` to track it"
            }
            (false, false, false) => {
                "this is a reqwest 0.12 or 0.13 response, and this build of reqleak tracks neither: enable the feature `reqwest-0-13` or `reqwest-0-12` of `reqleak`, the one your crate's reqwest is"
            }
            (false, false, true) => {
                "this is a reqwest 0.12 or 0.13 blocking response: enable the feature `reqwest-0-13` or `reqwest-0-12` of `reqleak` (the one your crate's reqwest is) and `blocking`"
            }
            (true, true, true) => BLOCKING,
            (true, true, false) => {
                "this response is of a reqwest newer than 0.13, which reqleak does not support (it tracks 0.11, 0.12 and 0.13)"
            }
        },
        VersionHint::Unknown => {
            "this response is of a reqwest older than 0.11, which reqleak does not support: it tracks 0.11, 0.12 and 0.13 (features `reqwest-0-11`, `reqwest-0-12`, `reqwest-0-13`); if it is not, it was created in generic code, where its version cannot be seen"
        }
    }
}

/// What this build tracks.
pub(crate) fn tracked_here() -> Tracked {
    Tracked {
        v013: cfg!(feature = "reqwest-0-13"),
        v012: cfg!(feature = "reqwest-0-12"),
        v011: cfg!(feature = "reqwest-0-11"),
        blocking: cfg!(feature = "blocking"),
    }
}

/// [`untracked_help`] for this build.
pub(crate) fn untracked_help_here(kind: Kind, hint: VersionHint) -> &'static str {
    untracked_help(kind, hint, tracked_here())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_reqwest_responses_by_type_name() {
        let a = "reqwest::async_impl::response::Response";
        let b = "reqwest::blocking::response::Response";
        assert_eq!(untracked_kind(a), Some(Kind::Async));
        assert_eq!(untracked_kind(b), Some(Kind::Blocking));
        assert_eq!(
            untracked_kind("core::result::Result<reqwest::async_impl::response::Response, reqwest::error::Error>"),
            Some(Kind::Async)
        );
        assert_eq!(
            untracked_kind("core::option::Option<reqwest::blocking::response::Response>"),
            Some(Kind::Blocking)
        );
        assert_eq!(
            untracked_kind("core::result::Result<core::option::Option<reqwest::async_impl::response::Response>, E>"),
            Some(Kind::Async)
        );
        // Not a response: wrappers, collections, other types, other crates.
        for t in [
            "alloc::vec::Vec<reqwest::async_impl::response::Response>",
            "my::Wrapper<reqwest::async_impl::response::Response>",
            "reqwest::async_impl::response::ResponseExt",
            "core::result::Result<(), tokio::sync::mpsc::error::SendError<u8>>",
            "mycrate::reqwest::async_impl::response::Response",
            "u32",
        ] {
            assert_eq!(untracked_kind(t), None, "{t}");
        }
    }

    #[test]
    fn help_names_the_one_feature_that_fits() {
        use VersionHint::*;
        let t = |v013, v012, v011, blocking| Tracked {
            v013,
            v012,
            v011,
            blocking,
        };
        let only_013 = t(true, false, false, false);
        assert_eq!(
            untracked_help(Kind::Async, Http02, only_013),
            "this is a reqwest 0.11 response, and this build of reqleak does not track 0.11: enable the feature `reqwest-0-11` of `reqleak`"
        );
        assert_eq!(
            untracked_help(Kind::Async, Http1, only_013),
            "this is a reqwest 0.12 response, and this build of reqleak does not track 0.12: enable the feature `reqwest-0-12` of `reqleak`"
        );
        assert_eq!(
            untracked_help(Kind::Blocking, Http02, only_013),
            "this is a reqwest 0.11 blocking response: enable the features `reqwest-0-11` and `blocking` of `reqleak` to track it"
        );
        assert_eq!(
            untracked_help(Kind::Async, Http1, t(false, true, false, false)),
            "this is a reqwest 0.13 response, and this build of reqleak does not track 0.13: enable the feature `reqwest-0-13` of `reqleak`"
        );
        assert_eq!(
            untracked_help(Kind::Blocking, Http1, t(false, true, true, true)),
            "this is a reqwest 0.13 response, and this build of reqleak does not track 0.13: enable the feature `reqwest-0-13` of `reqleak`"
        );
        assert_eq!(
            untracked_help(Kind::Blocking, Http1, t(true, false, false, false)),
            "this is a reqwest 0.12 blocking response: enable the features `reqwest-0-12` and `blocking` of `reqleak` to track it"
        );
        assert_eq!(
            untracked_help(Kind::Async, Http1, t(false, false, true, false)),
            "this is a reqwest 0.12 or 0.13 response, and this build of reqleak tracks neither: enable the feature `reqwest-0-13` or `reqwest-0-12` of `reqleak`, the one your crate's reqwest is"
        );
        // The version is tracked: only `blocking` is missing.
        for hint in [Http1, Http02] {
            assert_eq!(
                untracked_help(Kind::Blocking, hint, t(true, true, true, false)),
                "this build of reqleak does not track blocking responses: enable the feature `blocking` of `reqleak`"
            );
        }
        assert!(
            untracked_help(Kind::Async, Http1, t(true, true, true, true))
                .starts_with("this response is of a reqwest newer than 0.13")
        );
        // Older than 0.11 (reqwest 0.10 is built on `bytes` 0.5): unsupported, whatever is on.
        for tracked in [only_013, t(true, true, true, true)] {
            assert!(untracked_help(Kind::Async, Unknown, tracked).starts_with(
                "this response is of a reqwest older than 0.11, which reqleak does not support"
            ));
        }
    }
}

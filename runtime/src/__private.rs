//! Support for the code that `#[reqleak::check]` emits. Not a public API.
//!
//! Instrumenting uses autoref specialization so that it compiles on any value: the method
//! `__reqleak_instrument` resolves to [`InstrumentTrackable`] when the probed value is a response
//! (or a `Result`/`Option` of one) and to an identity for everything else, including values of a
//! generic type. Between the two, two levels tell a reqwest response of a version this build
//! does not track by what its type is built on (`http` 1: reqwest 0.12/0.13; `http` 0.2 with
//! `bytes` 1: reqwest 0.11), so that the check fails naming the one feature to enable instead of
//! passing silently. `drop`, `mem::forget` and the whole-body reads go through [`ViaTrackable`]
//! and [`ViaFallback`] (two levels), and client constructions through [`ViaClient`].

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};

pub use crate::report::Site;
use crate::report::UntrackedResponse;
pub use crate::scope::{
    resume, Branch, Child, ChildThread, Current, FnMeta, Mode, Resume, ScopeGuard,
};
pub use crate::track::VersionHint;
use crate::track::{untracked_help_here, untracked_kind, Trackable};

/// The current scope of this thread (0: none).
#[inline]
pub fn current_scope() -> u64 {
    crate::registry::current_scope()
}

/// Holds a value being instrumented. `Sync` (a mutex, never contended: one thread takes the
/// value once) because the references to it that the specialization creates are temporaries of
/// the statement, which an async body may hold across an `.await`: a `Cell` there would make the
/// body's future not `Send`.
pub struct Probe<T>(Mutex<Option<T>>);

impl<T> Probe<T> {
    /// Wraps a value.
    #[inline]
    pub fn new(value: T) -> Probe<T> {
        Probe(Mutex::new(Some(value)))
    }

    #[inline]
    fn take(&self) -> T {
        let taken = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        match taken {
            Some(v) => v,
            None => unreachable!("reqleak: probe taken twice"),
        }
    }
}

/// Chosen for responses.
pub trait ViaTrackable {
    /// The probed type.
    type Out;
    /// Marks the tracked response as forgotten and returns the value (given to `mem::forget`).
    fn __reqleak_forgotten(&self) -> Self::Out;
    /// Marks the tracked response as read whole at `site` and returns the value (the receiver
    /// of `.bytes()`, `.text()`, `.json()`).
    fn __reqleak_whole(&self, site: &'static Site) -> Self::Out;
    /// Marks the tracked response as dropped on purpose and returns the value (given to `drop`).
    fn __reqleak_deliberate(&self) -> Self::Out;
}

impl<T: Trackable> ViaTrackable for Probe<T> {
    type Out = T;
    #[inline]
    fn __reqleak_forgotten(&self) -> T {
        let value = self.take();
        value.__mark_forgotten();
        value
    }
    #[inline]
    fn __reqleak_whole(&self, site: &'static Site) -> T {
        let value = self.take();
        value.__read_whole(*site);
        value
    }
    #[inline]
    fn __reqleak_deliberate(&self) -> T {
        let value = self.take();
        value.__mark_deliberate();
        value
    }
}

/// Chosen for everything else: the identity.
pub trait ViaFallback {
    /// The probed type.
    type Out;
    /// Returns the value unchanged.
    fn __reqleak_forgotten(&self) -> Self::Out;
    /// Returns the value unchanged.
    fn __reqleak_whole(&self, site: &'static Site) -> Self::Out;
    /// Returns the value unchanged.
    fn __reqleak_deliberate(&self) -> Self::Out;
}

impl<T> ViaFallback for &Probe<T> {
    type Out = T;
    #[inline]
    fn __reqleak_forgotten(&self) -> T {
        self.take()
    }
    #[inline]
    fn __reqleak_whole(&self, _site: &'static Site) -> T {
        self.take()
    }
    #[inline]
    fn __reqleak_deliberate(&self) -> T {
        self.take()
    }
}

/// Instrumenting a source: `(&&&Probe::new(x)).__reqleak_instrument(scope, &SITE)`. Four
/// levels of autoref specialization (a receiver `&&&Probe` looks for `&self` methods of impls
/// for `&&Probe`, `&&&Probe`, `&Probe`, then `Probe`, in that order):
/// 1. a response of a tracked version ([`InstrumentTrackable`]): instrumented;
/// 2. a type built from an `http` 1 response (reqwest 0.12 or 0.13), or a `Result`/`Option` of
///    one: recorded as untracked, with that hint;
/// 3. the same with `http` 0.2 and `bytes` 1 (reqwest 0.11);
/// 4. anything else ([`InstrumentFallback`]): unchanged, recorded as untracked if its type name
///    says it is a reqwest response (an older reqwest).
///
/// A type still to be inferred takes the first level, whose error names the fix.
pub trait InstrumentTrackable {
    /// The probed type.
    type Out;
    /// Instruments and returns the value.
    fn __reqleak_instrument(&self, scope: u64, site: &'static Site) -> Self::Out;
    /// The same for `reqwest::get(..)`, which also builds a client at `site`.
    fn __reqleak_instrument_get(&self, scope: u64, site: &'static Site) -> Self::Out;
}

impl<T: Trackable> InstrumentTrackable for &&Probe<T> {
    type Out = T;
    #[inline]
    fn __reqleak_instrument(&self, scope: u64, site: &'static Site) -> T {
        self.take().__instrument(scope, *site)
    }
    #[inline]
    fn __reqleak_instrument_get(&self, scope: u64, site: &'static Site) -> T {
        crate::registry::client_built(scope, *site, false);
        self.take().__instrument(scope, *site)
    }
}

/// Returns the value, recording it as untracked (with `hint`) if its type name says it is a
/// reqwest response.
#[inline]
fn pass_through<T>(probe: &Probe<T>, scope: u64, site: &'static Site, hint: VersionHint) -> T {
    let type_name = std::any::type_name::<T>();
    if let Some(kind) = untracked_kind(type_name) {
        crate::registry::untracked(
            scope,
            UntrackedResponse {
                type_name,
                site: *site,
                help: untracked_help_here(kind, hint),
            },
        );
    }
    probe.take()
}

/// `From<http::Response<Bytes>>` with `http` 1.
type Http1 = http::Response<bytes::Bytes>;
/// `From<http::Response<Bytes>>` with `http` 0.2.
type Http02 = http02::Response<bytes::Bytes>;

macro_rules! hinted_level {
    ($http:ty, $hint:ident, [$($name:ident: $on:ty, [$($g:ident),*]);*]) => {
        $(
            /// A level of [`InstrumentTrackable`]'s specialization.
            pub trait $name {
                /// The probed type.
                type Out;
                /// Returns the value, recorded as untracked.
                fn __reqleak_instrument(&self, scope: u64, site: &'static Site) -> Self::Out;
                /// The same.
                fn __reqleak_instrument_get(&self, scope: u64, site: &'static Site) -> Self::Out;
            }
            impl<T: From<$http> $(, $g)*> $name for $on {
                type Out = <Self as ProbeOf>::Value;
                #[inline]
                fn __reqleak_instrument(&self, scope: u64, site: &'static Site) -> Self::Out {
                    pass_through(self.probe(), scope, site, VersionHint::$hint)
                }
                #[inline]
                fn __reqleak_instrument_get(&self, scope: u64, site: &'static Site) -> Self::Out {
                    pass_through(self.probe(), scope, site, VersionHint::$hint)
                }
            }
        )*
    };
}

/// The probe behind any number of references.
pub trait ProbeOf {
    /// The probed value's type.
    type Value;
    /// The probe.
    fn probe(&self) -> &Probe<Self::Value>;
}

impl<T> ProbeOf for Probe<T> {
    type Value = T;
    fn probe(&self) -> &Probe<T> {
        self
    }
}

impl<P: ProbeOf> ProbeOf for &P {
    type Value = P::Value;
    fn probe(&self) -> &Probe<P::Value> {
        (**self).probe()
    }
}

hinted_level!(Http1, Http1, [
    InstrumentHttp1: &&&Probe<T>, [];
    InstrumentHttp1Result: &&&Probe<Result<T, E>>, [E];
    InstrumentHttp1Option: &&&Probe<Option<T>>, []
]);
hinted_level!(Http02, Http02, [
    InstrumentHttp02: &Probe<T>, [];
    InstrumentHttp02Result: &Probe<Result<T, E>>, [E];
    InstrumentHttp02Option: &Probe<Option<T>>, []
]);

/// The last level of [`InstrumentTrackable`]'s specialization.
pub trait InstrumentFallback {
    /// The probed type.
    type Out;
    /// Returns the value unchanged (recorded as untracked if it is a reqwest response).
    fn __reqleak_instrument(&self, scope: u64, site: &'static Site) -> Self::Out;
    /// The same.
    fn __reqleak_instrument_get(&self, scope: u64, site: &'static Site) -> Self::Out;
}

impl<T> InstrumentFallback for Probe<T> {
    type Out = T;
    #[inline]
    fn __reqleak_instrument(&self, scope: u64, site: &'static Site) -> T {
        pass_through(self, scope, site, VersionHint::Unknown)
    }
    #[inline]
    fn __reqleak_instrument_get(&self, scope: u64, site: &'static Site) -> T {
        pass_through(self, scope, site, VersionHint::Unknown)
    }
}

/// Holds what a client construction in instrumented code gives (`Client::new()`,
/// `Client::builder()..build()`): `(&Built::new(x)).__reqleak_client(scope, &SITE, per_item)`
/// records a built client when `x` is a reqwest client of a tracked version (or a `Result` of
/// one), and hands `x` back unchanged in every case.
pub struct Built<T>(Cell<Option<T>>);

impl<T> Built<T> {
    /// Wraps a value.
    #[inline]
    pub fn new(value: T) -> Built<T> {
        Built(Cell::new(Some(value)))
    }

    #[inline]
    fn take(&self) -> T {
        match self.0.replace(None) {
            Some(v) => v,
            None => unreachable!("reqleak: built value taken twice"),
        }
    }
}

/// Chosen for reqwest clients.
pub trait ViaClient {
    /// The value's type.
    type Out;
    /// Records the client and returns it.
    fn __reqleak_client(&self, scope: u64, site: &'static Site, per_item: bool) -> Self::Out;
}

impl<T: crate::track::IsClient> ViaClient for Built<T> {
    type Out = T;
    #[inline]
    fn __reqleak_client(&self, scope: u64, site: &'static Site, per_item: bool) -> T {
        crate::registry::client_built(scope, *site, per_item);
        self.take()
    }
}

/// Chosen for everything else (another crate's `Client::new()`): unchanged.
pub trait ViaClientFallback {
    /// The value's type.
    type Out;
    /// Returns the value unchanged.
    fn __reqleak_client(&self, scope: u64, site: &'static Site, per_item: bool) -> Self::Out;
}

impl<T> ViaClientFallback for &Built<T> {
    type Out = T;
    #[inline]
    fn __reqleak_client(&self, _scope: u64, _site: &'static Site, _per_item: bool) -> T {
        self.take()
    }
}

/// Borrows a value to look into it (the return value).
pub struct Peek<'a, T: ?Sized>(pub &'a T);

/// Chosen for responses.
pub trait PeekTrackable {
    /// The id of the tracked response this value is or carries.
    fn __reqleak_handed(&self) -> Option<u64>;
    /// Marks the tracked response as read whole at `site`.
    fn __reqleak_whole(&self, site: &'static Site);
}

impl<T: Trackable> PeekTrackable for Peek<'_, T> {
    #[inline]
    fn __reqleak_handed(&self) -> Option<u64> {
        self.0.__tracked_id()
    }
    #[inline]
    fn __reqleak_whole(&self, site: &'static Site) {
        self.0.__read_whole(*site)
    }
}

/// Chosen for everything else.
pub trait PeekFallback {
    /// None.
    fn __reqleak_handed(&self) -> Option<u64>;
    /// Nothing.
    fn __reqleak_whole(&self, site: &'static Site);
}

impl<T: ?Sized> PeekFallback for &Peek<'_, T> {
    #[inline]
    fn __reqleak_handed(&self) -> Option<u64> {
        None
    }
    #[inline]
    fn __reqleak_whole(&self, _site: &'static Site) {}
}

/// Holds what is given to a `spawn`-like call that is not a literal `async move` block or
/// `move` closure (those are instrumented in place): `(&&&Spawned::new(x)).__reqleak_child(s)`.
/// Three levels of autoref specialization, so that the type given to `spawn` never changes in a
/// way that could break a call that compiled: a boxed `dyn Future` stays one, any other future
/// becomes a [`Child`] of the same output (generic spawners take any future), and anything else
/// passes through unchanged.
pub struct Spawned<T>(Cell<Option<T>>);

impl<T> Spawned<T> {
    /// Wraps a value.
    #[inline]
    pub fn new(value: T) -> Spawned<T> {
        Spawned(Cell::new(Some(value)))
    }

    #[inline]
    fn take(&self) -> T {
        match self.0.replace(None) {
            Some(v) => v,
            None => unreachable!("reqleak: spawned value taken twice"),
        }
    }
}

/// A boxed `dyn Future` (a spawner may take exactly that type): re-boxed, same type.
pub trait SpawnBoxed {
    /// The same type.
    type Out;
    /// Wraps the future, keeping its type.
    fn __reqleak_child(&self, scope: u64) -> Self::Out;
}

impl<'a, T: 'a> SpawnBoxed for &Spawned<Pin<Box<dyn Future<Output = T> + Send + 'a>>> {
    type Out = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
    #[inline]
    fn __reqleak_child(&self, scope: u64) -> Self::Out {
        Box::pin(crate::scope::child_future(scope, self.take()))
    }
}

impl<'a, T: 'a> SpawnBoxed for &Spawned<Pin<Box<dyn Future<Output = T> + 'a>>> {
    type Out = Pin<Box<dyn Future<Output = T> + 'a>>;
    #[inline]
    fn __reqleak_child(&self, scope: u64) -> Self::Out {
        Box::pin(crate::scope::child_future(scope, self.take()))
    }
}

/// Any other future: a [`Child`] task of the spawning scope.
pub trait SpawnFuture {
    /// The wrapped future.
    type Out;
    /// Wraps the future.
    fn __reqleak_child(&self, scope: u64) -> Self::Out;
}

impl<F: Future> SpawnFuture for Spawned<F> {
    type Out = Child<F>;
    #[inline]
    fn __reqleak_child(&self, scope: u64) -> Child<F> {
        crate::scope::child_future(scope, self.take())
    }
}

/// Anything else given to a `spawn`-like call: unchanged.
pub trait SpawnFallback {
    /// The value's type.
    type Out;
    /// Returns the value unchanged.
    fn __reqleak_child(&self, scope: u64) -> Self::Out;
}

impl<T> SpawnFallback for &&Spawned<T> {
    type Out = T;
    #[inline]
    fn __reqleak_child(&self, _scope: u64) -> T {
        self.take()
    }
}

/// The scope for a source in a `move` closure or async block: the thread's current scope while
/// instrumented code runs it (a task spawned by instrumented code has its own), else the scope
/// captured where the block was written.
#[inline]
pub fn scope_or(captured: u64) -> u64 {
    match crate::registry::current_scope() {
        0 => captured,
        current => current,
    }
}

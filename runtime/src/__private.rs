//! Support for the code that `#[reqleak::check]` emits. Not a public API.
//!
//! Instrumenting uses autoref specialization so that it compiles on any value: the method
//! `__reqleak_instrument` resolves to [`ViaTrackable`] when the probed value is a response (or a
//! `Result`/`Option` of one) and to [`ViaFallback`], an identity, for everything else, including
//! values of a generic type.

use std::cell::Cell;

pub use crate::report::Site;
pub use crate::scope::{scoped, FnMeta, Mode, ScopeGuard, Scoped};
use crate::track::Trackable;

/// The current scope of this thread (0: none).
#[inline]
pub fn current_scope() -> u64 {
    crate::registry::current_scope()
}

/// Holds a value being instrumented.
pub struct Probe<T>(Cell<Option<T>>);

impl<T> Probe<T> {
    /// Wraps a value.
    #[inline]
    pub fn new(value: T) -> Probe<T> {
        Probe(Cell::new(Some(value)))
    }

    #[inline]
    fn take(&self) -> T {
        match self.0.replace(None) {
            Some(v) => v,
            None => unreachable!("reqleak: probe taken twice"),
        }
    }
}

/// Chosen for responses.
pub trait ViaTrackable {
    /// The probed type.
    type Out;
    /// Instruments and returns the value.
    fn __reqleak_instrument(&self, scope: u64, site: &'static Site) -> Self::Out;
    /// Marks the tracked response as forgotten and returns the value (given to `mem::forget`).
    fn __reqleak_forgotten(&self) -> Self::Out;
}

impl<T: Trackable> ViaTrackable for Probe<T> {
    type Out = T;
    #[inline]
    fn __reqleak_instrument(&self, scope: u64, site: &'static Site) -> T {
        self.take().__instrument(scope, *site)
    }
    #[inline]
    fn __reqleak_forgotten(&self) -> T {
        let value = self.take();
        value.__mark_forgotten();
        value
    }
}

/// Chosen for everything else: the identity.
pub trait ViaFallback {
    /// The probed type.
    type Out;
    /// Returns the value unchanged.
    fn __reqleak_instrument(&self, scope: u64, site: &'static Site) -> Self::Out;
    /// Returns the value unchanged.
    fn __reqleak_forgotten(&self) -> Self::Out;
}

impl<T> ViaFallback for &Probe<T> {
    type Out = T;
    #[inline]
    fn __reqleak_instrument(&self, _scope: u64, _site: &'static Site) -> T {
        self.take()
    }
    #[inline]
    fn __reqleak_forgotten(&self) -> T {
        self.take()
    }
}

/// Borrows a value to look into it (the return value).
pub struct Peek<'a, T>(pub &'a T);

/// Chosen for responses.
pub trait PeekTrackable {
    /// The id of the tracked response this value is or carries.
    fn __reqleak_handed(&self) -> Option<u64>;
}

impl<T: Trackable> PeekTrackable for Peek<'_, T> {
    #[inline]
    fn __reqleak_handed(&self) -> Option<u64> {
        self.0.__tracked_id()
    }
}

/// Chosen for everything else.
pub trait PeekFallback {
    /// None.
    fn __reqleak_handed(&self) -> Option<u64>;
}

impl<T> PeekFallback for &Peek<'_, T> {
    #[inline]
    fn __reqleak_handed(&self) -> Option<u64> {
        None
    }
}

/// A token moved into the closure that runs a sync body, which makes it `FnOnce` (so the body
/// may return borrows of its captured `&mut` arguments).
pub struct Once;

/// Runs the body of a sync checked function.
#[inline]
pub fn run<R>(body: impl FnOnce() -> R) -> R {
    body()
}

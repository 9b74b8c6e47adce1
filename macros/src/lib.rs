//! The `#[reqleak::check]` attribute. Use it through the `reqleak` crate, which re-exports it and
//! provides the runtime it expands to.

mod args;
mod expand;
mod rewrite;

use proc_macro::TokenStream;

/// Asserts, when the function returns, that every reqwest response created while it ran was
/// released (dropped, or its body consumed), and reports the others.
///
/// On an `impl` block, a trait or an inline `mod`, instruments every function inside: tests
/// become checks, and the others report into the check that calls them.
///
/// Options: `strict` (bodies dropped before their end are reported too), `mode = "panic"`
/// (default) or `mode = "log"`. Active under `debug_assertions` or with the `always` feature of
/// `reqleak`; otherwise the item is emitted unchanged. See the `reqleak` crate for details.
#[proc_macro_attribute]
pub fn check(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(attr.into(), item.into(), cfg!(feature = "always")).into()
}

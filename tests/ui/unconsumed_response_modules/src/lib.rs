// unconsumed_response across modules: a call resolves through the module tree (`crate::`,
// `super::`, `self::`, `use` of the crate's items, renames and globs, `Self::`, `self.`), and a
// name defined in two modules is the enclosing module's. Before whole-crate analysis, bare names
// were matched across files: `b::fetch` (a `u16`) was taken for `a::fetch` (a response).

mod a;
mod b;
mod c;
mod nested;

pub use a::Api;

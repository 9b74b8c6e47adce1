//! The source model: which names and types are reqwest's in a file, which same-crate
//! functions return responses, and how syn's spans map to file positions.

pub mod cfg_if;
pub mod context;
pub mod crate_map;
pub mod delimiters;
pub mod dep_index;
pub mod foreign;
pub mod lazy;
pub mod lex;
pub mod names;
pub mod place;
pub mod source_map;
pub mod summary;
pub mod syntax;
pub mod test_code;
pub mod types;

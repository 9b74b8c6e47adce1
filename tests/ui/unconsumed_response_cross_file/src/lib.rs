pub mod client;
pub mod query;
pub use client::Client;

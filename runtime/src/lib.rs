//! reqleak

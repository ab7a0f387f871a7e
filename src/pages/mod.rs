//! One module per route.
pub mod intentions;
pub mod not_found;
pub mod peers;

//! One module per route.
pub mod add_peer;
pub mod intentions;
pub mod not_found;
pub mod peer_detail;
pub mod peers;

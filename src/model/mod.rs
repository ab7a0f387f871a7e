//! Domain types and pure logic. No web-sys here: everything is unit-testable natively.
pub mod intentions;
pub mod peer_name;
pub mod peering;
pub mod settings;

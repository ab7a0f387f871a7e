//! Domain types and pure logic. No web-sys here: everything is unit-testable natively.
pub mod intention_edit;
pub mod intention_errors;
pub mod intention_precedence;
pub mod intention_render;
pub mod intentions;
pub mod peer_name;
pub mod peering;
pub mod settings;

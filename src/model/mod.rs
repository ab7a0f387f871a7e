//! Domain types and pure logic. No web-sys here: everything is unit-testable natively.
pub mod access;
pub mod address;
pub mod alarms;
pub mod freshness;
pub mod intention_edit;
pub mod intention_errors;
pub mod intention_precedence;
pub mod intention_render;
pub mod intentions;
pub mod meta;
pub mod peer_list;
pub mod peer_name;
pub mod peering;
pub mod settings;
pub mod token;

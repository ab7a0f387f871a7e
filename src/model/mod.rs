//! Domain types and Consul's rules, one folder per feature (the same names as `pages/`), plus
//! what every feature shares: `consul/` (Consul's clock, texts, UI settings, ACL access) and the
//! check-and-set stages of an edit (`entry_edit`, rendered for review by `entry_render`), and names isolated
//! for bidirectional text (`text`).
//! No web-sys here: everything is unit-testable natively.
pub mod checks;
pub mod consul;
pub mod entry_edit;
pub mod entry_render;
pub mod exports;
pub mod failover;
pub mod gateways;
pub mod intentions;
pub mod map;
pub mod peers;
pub mod text;

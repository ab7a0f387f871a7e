//! Routes only, grouped by feature: one module per route, plus that feature's private pieces.
//! No page imports another page; what two pages share lives in `components/`.
pub mod checks;
pub mod exports;
pub mod failover;
pub mod gateways;
pub mod intentions;
pub mod map;
pub mod not_found;
pub mod peers;

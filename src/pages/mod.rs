//! The views, one folder per feature (the same names as `model/`): each holds its routes' pages
//! and the views only it uses, and opens one front door, its `mod.rs`, whose re-exports are all
//! another feature or the router may use. Features use each other one way only (checked by
//! `tests/layout.rs`; see `docs/conventions.md`):
//!
//! - `peers` → `exports`, `intentions`, `failover`, `gateways` (a peer's tabs, the gateway warning)
//! - `checks` → `gateways` (the gateway lines of both checklists)
//!
//! A view that two features need and that belongs to neither is app-wide: `components/`.
pub mod checks;
pub mod exports;
pub mod failover;
pub mod gateways;
pub mod intentions;
pub mod map;
pub mod not_found;
pub mod peers;
pub mod unsafe_name;

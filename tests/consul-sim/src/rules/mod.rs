//! Consul's rules, below the HTTP handlers: how config entries are decoded,
//! normalised and validated, what an export stands for and what a peer
//! imports, how intentions decide, which addresses a peering token carries,
//! and the checks on peering names and meta.
//!
//! These modules read and return plain values (`serde_json::Value`, the
//! records of [`crate::state`]) and errors as Consul's texts (`String`). They
//! never import a handler module: the handlers (`catalog`, `config_entries`,
//! `intentions`, `peering`, `link`, …) call down into them and word the
//! answer for HTTP.

pub(crate) mod catalog;
pub(crate) mod common;
pub(crate) mod entries;
pub(crate) mod exports;
pub(crate) mod gateways;
pub(crate) mod intentions;
pub(crate) mod mesh;
pub(crate) mod peerings;
pub(crate) mod resolver;

//! The peering console: a Leptos CSR app for Consul cluster peering.
//! Layers point one way: pages and components use model, api and routes; app wires the pages.
//! `model`, `routes` and `url` are pure (no web-sys) and unit-tested natively.
pub(crate) mod api;
pub mod app;
pub mod browser;
pub(crate) mod components;
pub(crate) mod model;
pub(crate) mod pages;
pub(crate) mod routes;
pub(crate) mod url;

/// The HCL renderer, for the test that reads its output back with HCL 1 (`tests/hcl_roundtrip.rs`).
pub use model::entry_render;

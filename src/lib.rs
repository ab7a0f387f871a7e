//! The peering console: a Leptos CSR app for Consul cluster peering.
//! Layers point one way: pages and components use model, api and routes; app wires the pages.
//! `model`, `routes` and `url` are pure (no web-sys) and unit-tested natively.
pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod model;
pub mod pages;
pub mod routes;
pub mod url;

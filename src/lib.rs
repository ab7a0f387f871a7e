//! The peering console: a Leptos CSR app for Consul cluster peering.
//! Layers point one way: api → model ← components ← pages ← app.
pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod model;
pub mod pages;
pub mod routes;
pub mod url;

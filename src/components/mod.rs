//! Reusable view pieces.
pub mod app_link;
pub mod error_view;
pub mod loading;
pub mod state_badge;

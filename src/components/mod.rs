//! Reusable view pieces.
pub mod error_view;
pub mod loading;
pub mod state_badge;

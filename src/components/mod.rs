//! Reusable view pieces.
pub mod app_link;
pub mod confirm_delete;
pub mod copy_button;
pub mod error_view;
pub mod guard;
pub mod loading;
pub mod notices;
pub mod polling;
pub mod session;
pub mod state_badge;
pub mod token_result;

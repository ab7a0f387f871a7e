//! Reusable view pieces, and the feature views two pages share.
pub mod app_link;
pub mod confirm_delete;
pub mod copy_button;
pub mod entry_editor;
pub mod error_view;
pub mod exports;
pub mod field_errors;
pub mod focus_heading;
pub mod guard;
pub mod intentions;
pub mod loaded;
pub mod loading;
pub mod notices;
pub mod polling;
pub mod session;
pub mod state_badge;
pub mod token_result;

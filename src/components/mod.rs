//! App-wide pieces, used by every feature: primitives (links, buttons, field errors, headings,
//! the loading placeholder, the error view, the state badge), the one way to load server state
//! (`loaded`, `polling`), the session and its guards, notices, and the check-and-set editor.
//! A view used by one feature lives in that feature's folder under `pages/`.
pub mod app_link;
pub mod cluster;
pub mod copy_button;
pub mod entry_editor;
pub mod error_view;
pub mod field_errors;
pub mod focus_heading;
pub mod guard;
pub mod loaded;
pub mod loading;
pub mod notices;
pub mod polling;
pub mod service_options;
pub mod session;
pub mod state_badge;

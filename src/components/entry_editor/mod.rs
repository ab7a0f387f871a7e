//! The check-and-set editor of one config entry, shared by every editor of the console
//! (intentions, exports): the controller that runs `model::entry_edit`'s stages against Consul,
//! and the review and conflict panels.
pub mod conflict;
pub mod controller;
pub mod preview;
pub mod review;

pub use controller::{use_entry_editor, use_entry_editor_in, EntryEditor};

//! One module per route.
pub mod add_peer;
pub mod exports;
pub mod exports_editor;
pub mod exports_for_peer;
pub mod exports_review;
pub mod intentions;
pub mod intentions_edit;
pub mod intentions_for_peer;
pub mod intentions_parts;
pub mod intentions_preview;
pub mod intentions_talk;
pub mod not_found;
pub mod peer_detail;
pub mod peers;

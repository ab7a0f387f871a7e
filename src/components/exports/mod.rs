//! The exports editor, shared by `/exports` and a peer's "Exported services" tab.
pub mod editor;
pub mod for_peer;
pub mod review;

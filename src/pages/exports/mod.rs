//! The exports feature: every exported service (`/exports`), and the editor a peer's
//! "Exported services" tab shares.
pub mod editor;
pub mod for_peer;
pub mod list;
pub mod review;

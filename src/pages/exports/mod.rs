//! The exports feature: every exported service (`/exports`).
pub mod list;

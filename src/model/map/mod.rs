//! The map of peerings: its pure layout.
pub mod layout;

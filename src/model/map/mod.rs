//! The map of peerings: its pure layout, and what each node draws.
pub mod layout;
pub mod nodes;

//! Intention views shared by `/intentions` and a peer's page.
pub mod for_peer;
pub mod table;

//! How peering traffic travels: mesh gateways and the settings that route through them.
pub mod traffic;

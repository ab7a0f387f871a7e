//! How peering traffic travels: mesh gateways and the settings that route through them
//! (`traffic`), and the edit of those settings for the check-and-set editor (`change`).
pub mod change;
pub mod traffic;

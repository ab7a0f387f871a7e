//! The gateways feature: how peering traffic travels (`/gateways`), and the warnings the peers
//! list shows.
pub mod page;
pub mod status;

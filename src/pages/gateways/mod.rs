//! The gateways feature: how peering traffic travels (`/gateways`).
pub mod page;

//! The gateways feature: how peering traffic travels (`/gateways`), and the warnings and gateway
//! facts the peers list and the checklists show.
mod page;
mod status;

pub use page::GatewaysPage;
pub use status::{load_gateway_state, GatewayState, GatewayWarnings};

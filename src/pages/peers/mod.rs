//! The peers feature: the list (`/peers`), adding a peer (`/add-peer`), one peer (`/peers/:name`).
pub mod confirm_delete;
pub mod detail;
pub mod list;
pub mod new;
pub mod tabs;
pub mod token_result;

pub use detail::PeerDetailPage;
pub use list::PeersPage;
pub use new::AddPeerPage;
pub use tabs::{
    AddressesPanel, ExportedPanel, FailoverPanel, FirstTab, ImportedPanel, IntentionsPanel,
};

//! The exports feature: every exported service (`/exports`), and a peer's "Exported services"
//! tab, which shares its editor.
mod editor;
mod for_peer;
mod list;
mod review;

pub use for_peer::ExportsForPeer;
pub use list::ExportsPage;

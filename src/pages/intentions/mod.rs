//! The intentions feature: the list with "Can it talk?" (`/intentions`) and the rule editor
//! (`/intentions/new`, `/intentions/:destination/edit`) with its private parts.
mod delete;
mod edit;
mod editor;
mod for_peer;
mod form;
mod list;
mod parts;
mod table;
mod talk;

pub use edit::{IntentionEditPage, IntentionNewPage};
pub use for_peer::IntentionsForPeer;
pub use list::IntentionsPage;

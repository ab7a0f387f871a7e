//! The check-and-set editor of one config entry, shared by every editor of the console
//! (exports, intentions, failover, gateways): the controller that runs `model::entry_edit`'s
//! stages against Consul, the flow component that owns the whole edit on a page (status line,
//! form, review, conflict and reapply), and its review and conflict panels.
//!
//! To add an editor: implement `EntryChange` in `model/<feature>/change.rs` (apply, describe,
//! subject, the problems it can have, what to say when it changes nothing), write the form,
//! and mount the flow:
//!
//! ```text
//! let editor = use_entry_editor::<MyChange>(loaded); // the `Loaded` the page shows
//! view! {
//!     <EntryEditorFlow editor back_label="Back to the list">
//!         <MyForm editor />  // calls editor.propose(change)
//!     </EntryEditorFlow>
//! }
//! ```
//!
//! The editor takes the version a change goes onto from its source (`EntrySource`), shows
//! "Saved: …" in its status line, reads the source again after a save, and puts the latest
//! version into it after a lost race: pages keep no copy of its stages.
pub mod conflict;
pub mod controller;
pub mod flow;
pub mod preview;
pub mod review;
pub mod source;

pub use controller::{use_entry_editor, use_entry_editor_in, EntryEditor};
pub use flow::{EntryEditorFlow, StatusLine};
pub use source::{Base, EntrySource};

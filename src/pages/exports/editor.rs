//! The exports editor shared by a peer's "Exported services" tab and `/exports`: the entry as
//! last read, and one change at a time through the check-and-set editor (`entry_editor`).
use crate::components::cluster::use_cluster;
use crate::components::entry_editor::{use_entry_editor_in, EntryEditor};
use crate::components::guard::denied;
use crate::components::loaded::{use_loaded, Loaded};
use crate::model::consul::access::{needs, MESH_WRITE};
use crate::model::exports::entry::{exported_to, rows, ExportChange, ServiceKey};
use leptos::prelude::*;
use serde_json::Value;

#[derive(Clone, Copy)]
pub struct ExportsEditor {
    /// The entry as last read (`Some(None)`: this cluster has no exported-services entry yet).
    pub entry: Loaded<Option<Value>>,
    /// Review, save with `cas`, conflict and reapply; its problems are placed by service.
    pub edit: EntryEditor<ExportChange>,
    /// The token may not write exports (`mesh:write`).
    pub denied: Signal<bool>,
}

/// Reads the entry now and again after each save and after sign-in or sign-out.
pub fn use_exports_editor() -> ExportsEditor {
    // The list, not `GET /v1/config/exported-services/default`: "no entry yet" is normal, and a
    // 404 would be logged by the browser as a failed request every time.
    // From a secondary datacenter the entry lives in the primary.
    let cluster = use_cluster();
    let dc = cluster.exports_datacenter();
    let entry = use_loaded(move || cluster.read_exports());
    ExportsEditor {
        entry,
        edit: use_entry_editor_in(dc, entry),
        denied: denied(MESH_WRITE),
    }
}

impl ExportsEditor {
    pub fn busy(self) -> bool {
        self.edit.saving()
    }

    /// Whether a change can be prepared now: the entry is read and the token may write.
    pub fn ready(self) -> bool {
        !self.denied.get() && self.entry.data.with(Option::is_some) && !self.busy()
    }

    /// The tooltip of a control that changes exports.
    pub fn title(self) -> Option<String> {
        self.denied.get().then(|| needs(MESH_WRITE))
    }

    /// Problems about `service`, tracked.
    pub fn problems_for(self, service: &ServiceKey) -> Vec<String> {
        self.edit.problems.with(|ps| {
            ps.iter()
                .filter(|p| p.service.as_ref() == Some(service))
                .map(|p| p.message.clone())
                .collect()
        })
    }

    /// Problems about the service typed in a form, unless a row already shows them: rows of
    /// `peer`'s exports on a peer's tab (`Some`), of every export on `/exports` (`None`).
    pub fn problems_for_typed(self, typed: &str, peer: Option<&str>) -> Vec<String> {
        let key = ServiceKey::named(typed);
        let has_row = self.entry.data.with(|e| match (e, peer) {
            (Some(entry), Some(p)) => exported_to(entry.as_ref(), p).contains(&key),
            (Some(entry), None) => rows(entry.as_ref()).iter().any(|r| r.service == key),
            _ => false,
        });
        if has_row {
            Vec::new()
        } else {
            self.problems_for(&key)
        }
    }

    /// Checks the change, then shows what would be written. Nothing is sent yet.
    pub fn propose(self, change: ExportChange) {
        self.edit.propose(change);
    }

    /// A form's submit handler: proposes the change `make` builds from the form's fields.
    pub fn on_submit(
        self,
        make: impl Fn() -> ExportChange + 'static,
    ) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
        move |ev| {
            ev.prevent_default();
            self.propose(make());
        }
    }
}

//! Failover and redirects to peers, shared by `/failover` and a peer's "Failover" tab: the
//! service-resolver entries as last read, what each peer exports to this cluster, and one
//! change at a time through the check-and-set editor.
use crate::api::config_entries::list_entries;
use crate::api::peering::{list_peerings, PeeringList};
use crate::components::entry_editor::{use_entry_editor, EntryEditor};
use crate::components::loaded::{use_loaded, Loaded};
use crate::model::failover::change::{ResolverChange, ResolverField};
use crate::model::failover::resolver::{finds_nothing, KIND};
use leptos::prelude::*;
use serde_json::Value;

#[derive(Clone, Copy)]
pub struct FailoverEditor {
    /// Every service-resolver entry (`GET /v1/config/service-resolver`).
    pub entries: Loaded<Vec<Value>>,
    /// This cluster's peerings (`GET /v1/peerings`): the peer choices, and what each peer
    /// exports to this cluster (`StreamStatus.ImportedServices`).
    pub peerings: Loaded<PeeringList>,
    pub edit: EntryEditor<ResolverChange>,
}

pub fn use_failover_editor() -> FailoverEditor {
    let entries = use_loaded(|| list_entries(KIND));
    FailoverEditor {
        entries,
        peerings: use_loaded(list_peerings),
        edit: use_entry_editor(entries),
    }
}

impl FailoverEditor {
    /// Checks the change, then shows what would be written. Nothing is sent yet.
    pub fn propose(self, change: ResolverChange) {
        self.edit.propose(change);
    }

    /// Problems about `service` at `field`, tracked.
    pub fn problems(self, service: &str, field: &ResolverField) -> Vec<String> {
        self.edit.problems.with(|ps| {
            ps.iter()
                .filter(|p| p.service == service && &p.field == field)
                .map(|p| p.message.clone())
                .collect()
        })
    }

    /// What `peer` exports to this cluster; `None` while unknown or when no peering has that name.
    pub fn imports(self, peer: &str) -> Option<Vec<String>> {
        self.peerings.data.with(|l| {
            l.as_ref()?
                .peerings
                .iter()
                .find(|p| p.name == peer)
                .map(|p| p.stream().imported_services)
        })
    }

    /// The warning for a failover or redirect of `service` to `peer`, when it would find nothing.
    pub fn import_warning(self, service: &str, peer: &str, redirect: bool) -> Option<String> {
        if peer.is_empty() || service.is_empty() {
            return None;
        }
        let known = self.peerings.data.with(Option::is_some);
        match self.imports(peer) {
            Some(list) if finds_nothing(service, &list) => Some(if redirect {
                format!("{peer} does not export {service} to this cluster: the redirect would send every call to nothing.")
            } else {
                format!("{peer} does not export {service} to this cluster: failing over to it would find nothing.")
            }),
            None if known => Some(format!("This cluster has no peering named {peer}.")),
            _ => None,
        }
    }

    /// Peer names for the pickers.
    pub fn peer_names(self) -> Vec<String> {
        self.peerings.data.with(|l| {
            l.as_ref()
                .map(|l| l.peerings.iter().map(|p| p.name.clone()).collect())
                .unwrap_or_default()
        })
    }
}

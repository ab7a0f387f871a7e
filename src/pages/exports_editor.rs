//! The save path shared by a peer's "Exported services" tab and `/exports`: one change at a
//! time, previewed, written as the whole entry with `?cas=<ModifyIndex>` (`cas=0` when there is
//! no entry yet), and a lost race shown with what changed and a way to reapply.
use crate::api::config_entries::{find_entry, write_entry};
use crate::api::{ApiError, Problem};
use crate::components::guard::denied;
use crate::components::session::use_session;
use crate::model::access::{needs, MESH_WRITE};
use crate::model::config_entry::{modify_index, without_computed};
use crate::model::export_errors::{is_validation, locate, ExportProblem};
use crate::model::exports::{exported_to, rows, ExportChange, ServiceKey, ENTRY_NAME, KIND};
use leptos::prelude::*;
use serde_json::Value;

/// The entry as last read.
#[derive(Clone, Debug, PartialEq)]
pub enum Loaded {
    Loading,
    /// `None`: this cluster has no exported-services entry yet.
    Ready(Option<Value>),
    Failed(ApiError),
}

/// Where the operator is.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    Browsing,
    /// The whole entry to send, shown before saving.
    Reviewing {
        change: ExportChange,
        proposed: Value,
    },
    /// The save lost the race: the entry as it is now (`None`: deleted meanwhile).
    Conflict {
        change: ExportChange,
        latest: Option<Value>,
    },
}

#[derive(Clone, Copy)]
pub struct ExportsEditor {
    pub entry: RwSignal<Loaded>,
    pub stage: RwSignal<Stage>,
    /// Problems found before sending or reported by Consul, by service.
    pub problems: RwSignal<Vec<ExportProblem>>,
    /// A failure that is not about one service (network, permission).
    pub failure: RwSignal<Option<ApiError>>,
    /// What the last save did, for a status line.
    pub saved: RwSignal<Option<String>>,
    /// The token may not write exports (`mesh:write`).
    pub denied: Signal<bool>,
    load: Action<(), ()>,
    save: Action<(ExportChange, Value), ()>,
}

/// Reads the entry now and again after each save and after sign-in or sign-out.
pub fn use_exports_editor() -> ExportsEditor {
    let entry = RwSignal::new(Loaded::Loading);
    let stage = RwSignal::new(Stage::Browsing);
    let problems = RwSignal::new(Vec::<ExportProblem>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    // The list, not `GET /v1/config/exported-services/default`: "no entry yet" is normal, and a
    // 404 would be logged by the browser as a failed request every time.
    let load = Action::new_local(move |_: &()| async move {
        entry.set(match find_entry(KIND, ENTRY_NAME).await {
            Ok(found) => Loaded::Ready(found),
            Err(e) => Loaded::Failed(e),
        });
    });
    let save = Action::new_local(move |(change, proposed): &(ExportChange, Value)| {
        let (change, proposed) = (change.clone(), proposed.clone());
        let cas = entry.with_untracked(|e| match e {
            Loaded::Ready(Some(v)) => modify_index(v).unwrap_or(0),
            _ => 0,
        });
        async move {
            failure.set(None);
            match write_entry(&proposed, Some(cas)).await {
                Ok(true) => {
                    saved.set(Some(format!("Saved: {}.", change.describe())));
                    stage.set(Stage::Browsing);
                    if let Ok(found) = find_entry(KIND, ENTRY_NAME).await {
                        entry.set(Loaded::Ready(found));
                    }
                }
                Ok(false) => match find_entry(KIND, ENTRY_NAME).await {
                    Ok(latest) => stage.set(Stage::Conflict { change, latest }),
                    Err(e) => failure.set(Some(e)),
                },
                Err(e) if is_consul_validation(&e) => {
                    problems.set(vec![locate(&e.consul_message(), &proposed)]);
                    stage.set(Stage::Browsing);
                }
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    load.dispatch(());
    if let Some(session) = use_session() {
        Effect::new(move |previous: Option<u64>| {
            let version = session.version.get();
            if previous.is_some_and(|p| p != version) {
                load.dispatch(());
            }
            version
        });
    }
    ExportsEditor {
        entry,
        stage,
        problems,
        failure,
        saved,
        denied: denied(MESH_WRITE),
        load,
        save,
    }
}

/// Validation texts come back as 500 (or 400 from proxies).
fn is_consul_validation(error: &ApiError) -> bool {
    matches!(error.problem(), Problem::Server | Problem::BadRequest)
        && is_validation(&error.consul_message())
}

impl ExportsEditor {
    pub fn reload(self) {
        self.load.dispatch(());
    }

    pub fn busy(self) -> bool {
        self.load.pending().get() || self.save.pending().get()
    }

    /// Whether a change can be prepared now: the entry is read and the token may write.
    pub fn ready(self) -> bool {
        !self.denied.get() && matches!(self.entry.get(), Loaded::Ready(_)) && !self.busy()
    }

    /// The tooltip of a control that changes exports.
    pub fn title(self) -> Option<String> {
        self.denied.get().then(|| needs(MESH_WRITE))
    }

    /// The entry as read, untracked (`None` also while loading or after a failed read).
    pub fn base(self) -> Option<Value> {
        self.entry.with_untracked(|e| match e {
            Loaded::Ready(v) => v.clone(),
            _ => None,
        })
    }

    /// Problems about `service`, tracked.
    pub fn problems_for(self, service: &ServiceKey) -> Vec<String> {
        self.problems.with(|ps| {
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
        let has_row = self.entry.with(|e| match (e, peer) {
            (Loaded::Ready(entry), Some(p)) => exported_to(entry.as_ref(), p).contains(&key),
            (Loaded::Ready(entry), None) => rows(entry.as_ref()).iter().any(|r| r.service == key),
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
        self.saved.set(None);
        self.failure.set(None);
        let found = change.check();
        if !found.is_empty() {
            self.problems.set(
                found
                    .into_iter()
                    .map(|m| ExportProblem::about(change.service(), m))
                    .collect(),
            );
            return;
        }
        self.problems.set(Vec::new());
        if !matches!(self.entry.get_untracked(), Loaded::Ready(_)) {
            return;
        }
        let base = self.base();
        let proposed = change.apply(base.as_ref());
        let unchanged = match &base {
            Some(b) => without_computed(b) == proposed,
            None => matches!(change, ExportChange::Remove { .. }),
        };
        if unchanged {
            let (service, peer) = (change.service().label(), change.peer().to_string());
            self.saved.set(Some(match change {
                ExportChange::Add { .. } => format!("{service} is already exported to {peer}."),
                ExportChange::Remove { .. } => format!("{service} is not exported to {peer}."),
            }));
            return;
        }
        self.stage.set(Stage::Reviewing { change, proposed });
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

    pub fn save(self, change: ExportChange, proposed: Value) {
        if !self.save.pending().get_untracked() {
            self.save.dispatch((change, proposed));
        }
    }

    /// After a lost race: the same change on the latest version, previewed again.
    pub fn reapply(self, change: ExportChange, latest: Option<Value>) {
        self.entry.set(Loaded::Ready(latest));
        self.stage.set(Stage::Browsing);
        self.propose(change);
    }

    pub fn back(self) {
        self.stage.set(Stage::Browsing);
    }

    pub fn saving(self) -> bool {
        self.save.pending().get()
    }
}

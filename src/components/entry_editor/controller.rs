//! Runs one edit's stages against Consul: save with `cas`, read the latest version after a lost
//! race, place Consul's validation messages, and confirm a write whose answer never came.
use crate::api::config_entries::{delete_entry, find_entry, write_entry};
use crate::api::{ApiError, Problem};
use crate::model::entry_edit::{EntryChange, Proposal, Stage, Write};
use leptos::prelude::*;
use std::rc::Rc;

/// The editor's state: where it is, problems placed by the change, and any other failure.
pub struct EntryEditor<C: EntryChange> {
    pub stage: RwSignal<Stage<C>>,
    pub problems: RwSignal<Vec<C::Problem>>,
    /// A failure not about one field (network, permission, an unreadable answer).
    pub failure: RwSignal<Option<ApiError>>,
    save: Action<Proposal<C>, ()>,
}

/// Where an entry lives: `None` for this agent's datacenter.
pub type Datacenter = Option<String>;

impl<C: EntryChange> Clone for EntryEditor<C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C: EntryChange> Copy for EntryEditor<C> {}

/// `on_saved` runs after Consul accepted the write (also when a timed-out write turns out to
/// have landed).
pub fn use_entry_editor<C: EntryChange>(
    on_saved: impl Fn(&Proposal<C>) + 'static,
) -> EntryEditor<C> {
    use_entry_editor_in(None, on_saved)
}

/// Like [`use_entry_editor`], for an entry kept in another datacenter (exported-services from a
/// secondary: the primary).
pub fn use_entry_editor_in<C: EntryChange>(
    dc: Datacenter,
    on_saved: impl Fn(&Proposal<C>) + 'static,
) -> EntryEditor<C> {
    let stage = RwSignal::new(Stage::Editing);
    let problems = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<ApiError>);
    let on_saved = Rc::new(on_saved);
    let save = Action::new_local(move |proposal: &Proposal<C>| {
        let proposal = proposal.clone();
        let on_saved = on_saved.clone();
        let dc = dc.clone();
        async move {
            let dc = dc.as_deref();
            failure.set(None);
            let (kind, name) = (proposal.change.kind(), proposal.change.entry_name());
            let written = match &proposal.write {
                Write::Upsert(entry) => write_entry(entry, proposal.cas(), dc).await,
                Write::Delete => delete_entry(kind, &name, proposal.cas(), dc).await,
            };
            // The operator may have left the editor while Consul answered.
            if stage.try_get_untracked().is_none() {
                return;
            }
            let written = match written {
                // No answer in time: the write may still have landed. Ask Consul.
                Err(ApiError::Timeout { .. }) => match find_entry(kind, &name, dc).await {
                    Ok(latest) if landed(&proposal, latest.as_ref()) => Ok(true),
                    Ok(_) => Err(ApiError::Timeout { seconds: 10 }),
                    Err(e) => Err(e),
                },
                other => other,
            };
            match written {
                Ok(true) => {
                    problems.set(Vec::new());
                    stage.set(Stage::Editing);
                    on_saved(&proposal);
                }
                Ok(false) => match find_entry(kind, &name, dc).await {
                    Ok(latest) => stage.set(Stage::lost_race(proposal, latest)),
                    Err(e) => failure.set(Some(e)),
                },
                Err(e) => {
                    let sent = proposal.after().cloned().unwrap_or_default();
                    let placed = matches!(e.problem(), Problem::Server | Problem::BadRequest)
                        .then(|| proposal.change.place(&e.consul_message(), &sent))
                        .flatten();
                    match placed {
                        Some(problem) => {
                            problems.set(vec![problem]);
                            stage.set(Stage::Editing);
                        }
                        None => failure.set(Some(e)),
                    }
                }
            }
        }
    });
    EntryEditor {
        stage,
        problems,
        failure,
        save,
    }
}

/// Whether the entry as it is now is what the proposal wrote.
fn landed<C: EntryChange>(proposal: &Proposal<C>, latest: Option<&serde_json::Value>) -> bool {
    match (proposal.after(), latest) {
        // Compared as it would be written back: Consul adds computed fields (Precedence, …).
        (Some(after), Some(latest)) => proposal.change.writable(latest) == *after,
        (None, None) => true,
        _ => false,
    }
}

impl<C: EntryChange> EntryEditor<C> {
    /// Clears problems and failures, notifying only when there was something: every field of a
    /// long list reads the problems, so a needless notification re-runs thousands of them.
    pub fn clear(self) {
        if self.failure.with_untracked(Option::is_some) {
            self.failure.set(None);
        }
        if self.problems.with_untracked(|p| !p.is_empty()) {
            self.problems.set(Vec::new());
        }
    }

    /// Shows what `change` onto `base` (the version the operator is looking at) would write.
    /// Nothing is sent yet.
    pub fn review(self, change: C, base: Option<serde_json::Value>) {
        self.review_proposal(Proposal::new(change, base));
    }

    /// Shows a proposal already built (e.g. checked for being a no-op first).
    pub fn review_proposal(self, proposal: Proposal<C>) {
        self.clear();
        self.stage.set(Stage::Reviewing(proposal));
    }

    /// Sends a proposal (the reviewed one, or a delete confirmed in its own dialog).
    pub fn save(self, proposal: Proposal<C>) {
        if !self.save.pending().get_untracked() {
            self.save.dispatch(proposal);
        }
    }

    /// After a lost race: the operator's own change onto the latest version, reviewed again;
    /// `theirs_win` names the clashing fields whose other writer's value is kept.
    pub fn reapply(self, theirs_win: Vec<String>) {
        self.stage
            .update(|s| *s = std::mem::replace(s, Stage::Editing).reapply(&theirs_win));
    }

    /// Back to the form or list, the operator's input kept.
    pub fn back(self) {
        self.failure.set(None);
        self.stage.set(Stage::Editing);
    }

    pub fn saving(self) -> bool {
        self.save.pending().get()
    }

    /// The proposal being reviewed, untracked.
    pub fn reviewing(self) -> Option<Proposal<C>> {
        self.stage.with_untracked(|s| match s {
            Stage::Reviewing(p) => Some(p.clone()),
            _ => None,
        })
    }
}

//! Runs one edit's stages against Consul: prepare a proposal (check the change, take the version
//! it goes onto), save with `cas`, read the latest version after a lost race and show it in the
//! page's source, place Consul's validation messages, and confirm a write whose answer never came.
use super::source::{Base, EntrySource};
use crate::api::config_entries::{delete_entry, find_entry, write_entry};
use crate::api::{ApiError, Problem};
use crate::components::notices::use_flash;
use crate::model::entry_edit::{EntryChange, Proposal, Stage, Write};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde_json::Value;
use std::rc::Rc;

/// The editor's state: where it is, problems placed by the change, any other failure, and the
/// status line.
pub struct EntryEditor<C: EntryChange> {
    pub stage: RwSignal<Stage<C>>,
    pub problems: RwSignal<Vec<C::Problem>>,
    /// A failure not about one field (network, permission, an unreadable answer).
    pub failure: RwSignal<Option<ApiError>>,
    /// What the last save did, or why a change was not reviewed ("already exported").
    pub status: RwSignal<Option<String>>,
    save: Action<Proposal<C>, ()>,
    /// Reads the latest version first (`Base::Latest`).
    prepare: Action<C, ()>,
    source: StoredValue<Rc<dyn EntrySource>, LocalStorage>,
    /// Where to go after a save (the status then goes with it, as the app's flash).
    leave_to: StoredValue<Option<String>>,
}

/// Where an entry lives: `None` for this agent's datacenter.
pub type Datacenter = Option<String>;

impl<C: EntryChange> Clone for EntryEditor<C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C: EntryChange> Copy for EntryEditor<C> {}

/// An editor of entries `source` shows; it reads them again after each save.
pub fn use_entry_editor<C: EntryChange>(source: impl EntrySource) -> EntryEditor<C> {
    use_entry_editor_in(None, source)
}

/// Like [`use_entry_editor`], for an entry kept in another datacenter (exported-services from a
/// secondary: the primary).
pub fn use_entry_editor_in<C: EntryChange>(
    dc: Datacenter,
    source: impl EntrySource,
) -> EntryEditor<C> {
    let stage = RwSignal::new(Stage::Editing);
    let problems = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<ApiError>);
    let status = RwSignal::new(None::<String>);
    let source: Rc<dyn EntrySource> = Rc::new(source);
    let source = StoredValue::new_local(source);
    let leave_to = StoredValue::new(None::<String>);
    let flash = use_flash();
    let navigate = Rc::new(use_navigate());
    let read_dc = dc.clone();
    let prepare = Action::new_local(move |change: &C| {
        let change = change.clone();
        let dc = read_dc.clone();
        async move {
            let read = find_entry(change.kind(), &change.entry_name(), dc.as_deref()).await;
            if stage.try_get_untracked().is_none() {
                return; // the operator left the editor meanwhile
            }
            match read {
                Ok(base) => propose_onto(stage, problems, status, change, base),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let save = Action::new_local(move |proposal: &Proposal<C>| {
        let proposal = proposal.clone();
        let dc = dc.clone();
        let navigate = navigate.clone();
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
                    let text = proposal.change.saved();
                    match leave_to.get_value() {
                        Some(href) => {
                            flash.set(text);
                            navigate(&href, Default::default());
                        }
                        None => {
                            status.set(Some(text));
                            source.with_value(|s| s.refetch());
                        }
                    }
                }
                Ok(false) => match find_entry(kind, &name, dc).await {
                    Ok(latest) => {
                        stage.set(Stage::lost_race(proposal, latest.clone()));
                        // The page shows the latest version; the conflict view keeps what the
                        // operator saw.
                        source.with_value(|s| s.put(kind, &name, latest));
                    }
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
        status,
        save,
        prepare,
        source,
        leave_to,
    }
}

/// Whether the entry as it is now is what the proposal wrote.
fn landed<C: EntryChange>(proposal: &Proposal<C>, latest: Option<&Value>) -> bool {
    match (proposal.after(), latest) {
        // Compared as it would be written back: Consul adds computed fields (Precedence, …).
        (Some(after), Some(latest)) => proposal.change.writable(latest) == *after,
        (None, None) => true,
        _ => false,
    }
}

/// `change` onto `base`: reviewed, or the problem it has there, or why there is nothing to save.
fn propose_onto<C: EntryChange>(
    stage: RwSignal<Stage<C>>,
    problems: RwSignal<Vec<C::Problem>>,
    status: RwSignal<Option<String>>,
    change: C,
    base: Option<Value>,
) {
    let found = change.problems_onto(base.as_ref());
    if !found.is_empty() {
        problems.set(found);
        return;
    }
    // Built once: applying a change to a large entry is the costly part of a review.
    let proposal = Proposal::new(change, base);
    if proposal.is_noop() {
        if let Some(text) = proposal.change.unchanged() {
            status.set(Some(text));
            return;
        }
    }
    stage.set(Stage::Reviewing(proposal));
}

impl<C: EntryChange> EntryEditor<C> {
    /// After a save, go to `href` and say there what was saved (an editor that closes).
    pub fn leave_after_save(self, href: String) -> Self {
        self.leave_to.set_value(Some(href));
        self
    }

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

    /// Checks `change`, takes the version it goes onto from the source (or Consul), then shows
    /// what would be written; or places the problem, or says there is nothing to change. Nothing
    /// is sent yet.
    pub fn propose(self, change: C) {
        if self.save.pending().get_untracked() || self.prepare.pending().get_untracked() {
            return;
        }
        self.clear();
        if self.status.with_untracked(Option::is_some) {
            self.status.set(None);
        }
        let found = change.problems();
        if !found.is_empty() {
            self.problems.set(found);
            return;
        }
        let base = self
            .source
            .with_value(|s| s.base(change.kind(), &change.entry_name()));
        match base {
            Base::Unread => {}
            Base::Read(base) => propose_onto(self.stage, self.problems, self.status, change, base),
            Base::Latest => {
                self.prepare.dispatch(change);
            }
        }
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

    /// Reading the latest version before a review.
    pub fn preparing(self) -> bool {
        self.prepare.pending().get()
    }

    pub fn busy(self) -> bool {
        self.saving() || self.preparing()
    }

    /// The proposal being reviewed, untracked.
    pub fn reviewing(self) -> Option<Proposal<C>> {
        self.stage.with_untracked(|s| s.proposal().cloned())
    }
}

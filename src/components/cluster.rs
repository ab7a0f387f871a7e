//! This cluster's facts, built once in `App` and read by every page: its datacenter (page
//! settings, then `/v1/agent/self`), its primary, whether ACLs are on, the default intention
//! policy, and where the exported-services entry lives (`model::consul::cluster`).
use crate::api::agent::agent_self;
use crate::api::config_entries::find_entry;
use crate::api::ApiError;
use crate::browser;
use crate::components::loaded::{use_loaded, Loaded};
use crate::model::consul::cluster::{AgentSelf, ClusterFacts};
use crate::model::consul::settings::UiSettings;
use crate::model::exports::entry::{ENTRY_NAME, KIND as EXPORTS_KIND};
use leptos::prelude::*;
use serde_json::Value;
use std::future::Future;

#[derive(Clone, Copy)]
pub struct Cluster {
    settings: StoredValue<UiSettings>,
    /// `/v1/agent/self`, read on first use under the app's owner (so it outlives the page
    /// that asked first, and follows sign-in and sign-out like every read).
    agent: StoredValue<Option<Loaded<AgentSelf>>>,
    owner: StoredValue<Owner>,
}

/// Reads the page settings and provides the cluster to every page.
pub fn provide_cluster() -> Cluster {
    let cluster = Cluster {
        settings: StoredValue::new(browser::ui_settings()),
        agent: StoredValue::new(None),
        owner: StoredValue::new(Owner::current().unwrap_or_default()),
    };
    provide_context(cluster);
    cluster
}

pub fn use_cluster() -> Cluster {
    expect_context::<Cluster>()
}

impl Cluster {
    /// The agent's answer, asked for once, on first use.
    pub fn agent(self) -> Loaded<AgentSelf> {
        if let Some(loaded) = self.agent.get_value() {
            return loaded;
        }
        let loaded = self
            .owner
            .with_value(|owner| owner.with(|| use_loaded(agent_self)));
        self.agent.set_value(Some(loaded));
        loaded
    }

    /// What is known now: the settings, and the agent's answer once it is read (only asked for
    /// when the settings lack something). Tracked: a view re-reads when the answer comes.
    pub fn facts(self) -> ClusterFacts {
        let settings = self.settings.get_value();
        let agent = ClusterFacts::needs_agent(&settings)
            .then(|| self.agent().get())
            .flatten();
        ClusterFacts { settings, agent }
    }

    /// Whether the page settings say ACLs are on (`None`: they do not say).
    pub fn acls_enabled(self) -> Option<bool> {
        self.settings.with_value(|s| s.acls_enabled)
    }

    /// This agent's datacenter, tracked.
    pub fn datacenter(self) -> Option<String> {
        self.facts().datacenter().map(str::to_string)
    }

    /// The datacenter's name for the header: "…" while the agent is asked, and says so when
    /// nobody could tell.
    pub fn datacenter_label(self) -> String {
        if let Some(dc) = self.datacenter() {
            return dc;
        }
        let agent = self.agent();
        match (agent.get(), agent.error.get()) {
            (None, None) => "…".to_string(),
            _ => "unknown datacenter".to_string(),
        }
    }

    /// The name to suggest for this cluster on the other side of a peering, tracked.
    pub fn peer_name_suggestion(self) -> String {
        self.facts().peer_name_suggestion().to_string()
    }

    /// Where the exported-services entry is read and written (`None`: this datacenter), tracked.
    pub fn exports_datacenter(self) -> Option<String> {
        self.facts().exports_datacenter().map(str::to_string)
    }

    /// The agent's `default_intention_policy`: `Some(None)` when read and unset (or before
    /// 1.18), `None` when unknown (the token lacks `agent:read`, or the read failed). Asks the
    /// agent unless its answer is already here.
    pub fn intention_policy(self) -> impl Future<Output = Option<Option<String>>> {
        let known = self
            .agent
            .get_value()
            .and_then(|loaded| loaded.data.get_untracked());
        async move {
            let agent = match known {
                Some(agent) => Some(agent),
                None => agent_self().await.ok(),
            };
            agent.map(|a| a.default_intention_policy)
        }
    }

    /// This cluster's exported-services entry, read where it lives. Call it inside a loader's
    /// closure: the datacenter is tracked, so the entry is read again if it changes.
    pub fn read_exports(self) -> impl Future<Output = Result<Option<Value>, ApiError>> {
        let dc = self.exports_datacenter();
        async move { find_entry(EXPORTS_KIND, ENTRY_NAME, dc.as_deref()).await }
    }
}

//! The facts about this cluster that every page shares, read once: the agent's UI settings
//! (rendered into `index.html` by Consul, `agent/uiserver/uiserver.go`) and, where those are
//! missing (a proxy renders only `ContentPath`), `GET /v1/agent/self`
//! (`agent/agent_endpoint.go`, `AgentSelf`: `Config.Datacenter`, `Config.PrimaryDatacenter`,
//! and from 1.18 `DebugConfig.DefaultIntentionPolicy`). See `docs/cluster.md`.
use super::settings::UiSettings;
use serde_json::Value;

/// What `/v1/agent/self` says about the cluster (needs `agent:read`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentSelf {
    pub datacenter: Option<String>,
    pub primary_datacenter: Option<String>,
    /// `default_intention_policy` (1.18+); `None` when unset or on an older Consul.
    pub default_intention_policy: Option<String>,
}

fn text(body: &Value, pointer: &str) -> Option<String> {
    body.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl AgentSelf {
    pub fn from_json(body: &Value) -> Self {
        Self {
            datacenter: text(body, "/Config/Datacenter"),
            primary_datacenter: text(body, "/Config/PrimaryDatacenter")
                .or_else(|| text(body, "/DebugConfig/PrimaryDatacenter")),
            default_intention_policy: text(body, "/DebugConfig/DefaultIntentionPolicy"),
        }
    }
}

/// The page settings first, the agent's answer for what they lack.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClusterFacts {
    pub settings: UiSettings,
    /// `None` until read, or when the token may not read it.
    pub agent: Option<AgentSelf>,
}

impl ClusterFacts {
    /// Whether the page settings leave anything only the agent can tell.
    pub fn needs_agent(settings: &UiSettings) -> bool {
        settings.datacenter().is_none()
    }

    /// This agent's datacenter.
    pub fn datacenter(&self) -> Option<&str> {
        self.settings
            .datacenter()
            .or_else(|| self.agent.as_ref()?.datacenter.as_deref())
    }

    fn primary_datacenter(&self) -> Option<&str> {
        let from_settings = self
            .settings
            .primary_datacenter
            .as_deref()
            .filter(|p| !p.is_empty());
        // The settings name the datacenter: they are complete, even without a primary.
        if self.settings.datacenter().is_some() {
            return from_settings;
        }
        from_settings.or_else(|| self.agent.as_ref()?.primary_datacenter.as_deref())
    }

    /// Where exported-services entries are read and written: the primary datacenter when this
    /// one is a secondary (WAN federation). Consul refuses such writes in a secondary
    /// (`agent/consul/config_endpoint.go`, `Apply`: "exported-services writes must not target
    /// secondary datacenters"), and a secondary's replicated copy has its own indexes, useless
    /// for `cas`.
    pub fn exports_datacenter(&self) -> Option<&str> {
        let primary = self.primary_datacenter()?;
        (Some(primary) != self.datacenter()).then_some(primary)
    }

    /// The name to suggest for this cluster on the other side of a peering (`consul peering
    /// establish -name …`): its datacenter, or a placeholder the operator must replace.
    pub fn peer_name_suggestion(&self) -> &str {
        self.datacenter().unwrap_or("this-cluster")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn proxied() -> UiSettings {
        UiSettings::parse(r#"{"ContentPath":"/peering/"}"#)
    }

    fn agent(dc: &str, primary: &str) -> Option<AgentSelf> {
        Some(AgentSelf::from_json(&json!({
            "Config": {"Datacenter": dc, "PrimaryDatacenter": primary},
            "DebugConfig": {"DefaultIntentionPolicy": ""}
        })))
    }

    #[test]
    fn reads_agent_self() {
        let a = AgentSelf::from_json(&json!({
            "Config": {"Datacenter": "dc2", "PrimaryDatacenter": "dc1"},
            "DebugConfig": {"DefaultIntentionPolicy": "deny"}
        }));
        assert_eq!(a.datacenter.as_deref(), Some("dc2"));
        assert_eq!(a.primary_datacenter.as_deref(), Some("dc1"));
        assert_eq!(a.default_intention_policy.as_deref(), Some("deny"));
        // Before 1.18 there is no such field; an empty one is unset.
        let old = AgentSelf::from_json(&json!({"Config": {"Datacenter": "dc1"}}));
        assert_eq!(old.default_intention_policy, None);
        assert_eq!(old.primary_datacenter, None);
        let debug_only = AgentSelf::from_json(&json!({
            "Config": {"Datacenter": "dc2"}, "DebugConfig": {"PrimaryDatacenter": "dc1"}
        }));
        assert_eq!(debug_only.primary_datacenter.as_deref(), Some("dc1"));
    }

    #[test]
    fn settings_win_and_the_agent_fills_what_they_lack() {
        let served = ClusterFacts {
            settings: UiSettings::parse(r#"{"LocalDatacenter":"dc1"}"#),
            agent: agent("other", "primary"),
        };
        assert_eq!(served.datacenter(), Some("dc1"));
        // Settings that name the datacenter are complete: no primary means this is one.
        assert_eq!(served.exports_datacenter(), None);
        let behind_proxy = ClusterFacts {
            settings: proxied(),
            agent: agent("dc2", "dc1"),
        };
        assert_eq!(behind_proxy.datacenter(), Some("dc2"));
        assert_eq!(behind_proxy.exports_datacenter(), Some("dc1"));
        assert_eq!(behind_proxy.peer_name_suggestion(), "dc2");
        assert!(ClusterFacts::needs_agent(&proxied()));
    }

    #[test]
    fn unknown_until_read() {
        let unread = ClusterFacts {
            settings: proxied(),
            agent: None,
        };
        assert_eq!(unread.datacenter(), None);
        assert_eq!(unread.exports_datacenter(), None);
        assert_eq!(unread.peer_name_suggestion(), "this-cluster");
    }

    #[test]
    fn a_primary_exports_where_it_is() {
        let primary = ClusterFacts {
            settings: proxied(),
            agent: agent("dc1", "dc1"),
        };
        assert_eq!(primary.exports_datacenter(), None);
        let secondary = ClusterFacts {
            settings: UiSettings::parse(r#"{"LocalDatacenter":"dc2","PrimaryDatacenter":"dc1"}"#),
            agent: None,
        };
        assert_eq!(secondary.exports_datacenter(), Some("dc1"));
    }
}

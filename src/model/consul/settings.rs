//! The agent's UI settings, which Consul renders into `index.html` through `{{ jsonEncode . }}`.
use serde::Deserialize;

/// What the page knows about the agent serving it. Every field has a safe default so the
/// console still starts when the block is absent or left unrendered (dev server, plain proxy).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct UiSettings {
    #[serde(rename = "ContentPath")]
    pub content_path: Option<String>,
    #[serde(rename = "LocalDatacenter")]
    pub local_datacenter: Option<String>,
    #[serde(rename = "ACLsEnabled")]
    pub acls_enabled: Option<bool>,
    #[serde(rename = "PeeringEnabled")]
    pub peering_enabled: Option<bool>,
    #[serde(rename = "PrimaryDatacenter")]
    pub primary_datacenter: Option<String>,
}

impl UiSettings {
    /// Parses the text of the settings block. Unrendered template text or bad JSON gives defaults.
    pub fn parse(text: &str) -> Self {
        serde_json::from_str(text.trim()).unwrap_or_default()
    }

    /// The datacenter name when the agent told us one.
    pub fn datacenter(&self) -> Option<&str> {
        self.local_datacenter.as_deref().filter(|dc| !dc.is_empty())
    }
}

/// The router base (no trailing slash, `""` for the root) from the page's base URL path.
pub fn router_base(base_path: &str) -> String {
    let trimmed = base_path.trim_end_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rendered_settings() {
        let s = UiSettings::parse(
            r#"{"ContentPath":"/consul/ui/","LocalDatacenter":"dc2","ACLsEnabled":true,"PeeringEnabled":true,"UIConfig":{}}"#,
        );
        assert_eq!(s.content_path.as_deref(), Some("/consul/ui/"));
        assert_eq!(s.datacenter(), Some("dc2"));
        assert_eq!(s.acls_enabled, Some(true));
    }

    #[test]
    fn unrendered_template_falls_back_to_defaults() {
        let s = UiSettings::parse("{{ jsonEncode . }}");
        assert_eq!(s, UiSettings::default());
        assert_eq!(s.datacenter(), None);
    }

    #[test]
    fn empty_datacenter_is_unknown() {
        assert_eq!(
            UiSettings::parse(r#"{"LocalDatacenter":""}"#).datacenter(),
            None
        );
    }

    #[test]
    fn router_base_from_base_path() {
        assert_eq!(router_base("/ui/"), "/ui");
        assert_eq!(router_base("/consul/ui/"), "/consul/ui");
        assert_eq!(router_base("/"), "");
        assert_eq!(router_base(""), "");
        assert_eq!(router_base("ui/"), "/ui");
    }
}

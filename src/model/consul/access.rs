//! What the operator's ACL token may do, and the words to explain a denial.
use serde::{Deserialize, Serialize};

/// One question for `POST /v1/internal/acl/authorize`, and its answer (`Allow`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeCheck {
    #[serde(rename = "Resource")]
    pub resource: String,
    #[serde(rename = "Access")]
    pub access: String,
    #[serde(rename = "Segment", default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    #[serde(rename = "Allow", default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<bool>,
}

impl AuthorizeCheck {
    pub fn new(resource: &str, access: &str) -> Self {
        Self {
            resource: resource.into(),
            access: access.into(),
            segment: None,
            allow: None,
        }
    }

    /// `peering:write`, as Consul names permissions in its denials.
    pub fn permission(&self) -> String {
        format!("{}:{}", self.resource, self.access)
    }
}

/// Who the token belongs to (`GET /v1/acl/token/self`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Identity {
    #[serde(rename = "AccessorID")]
    pub accessor_id: String,
    #[serde(rename = "Description")]
    pub description: String,
    #[serde(rename = "Policies")]
    pub policies: Option<Vec<PolicyLink>>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PolicyLink {
    #[serde(rename = "Name")]
    pub name: String,
}

impl Identity {
    /// The description, else the accessor ID's first 8 characters.
    pub fn display_name(&self) -> String {
        if !self.description.trim().is_empty() {
            self.description.trim().to_string()
        } else {
            format!(
                "token {}…",
                self.accessor_id.chars().take(8).collect::<String>()
            )
        }
    }

    pub fn policy_names(&self) -> Vec<String> {
        self.policies
            .iter()
            .flatten()
            .map(|p| p.name.clone())
            .collect()
    }
}

/// The permissions the console's views and actions need.
pub const PEERING_READ: &str = "peering:read";
pub const PEERING_WRITE: &str = "peering:write";
pub const MESH_WRITE: &str = "mesh:write";

/// What the token may do. `None` for a permission means "not known yet": act, and let Consul decide.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    answers: Vec<(String, bool)>,
    /// ACLs are off on this cluster: everything is allowed.
    pub acls_disabled: bool,
}

impl Access {
    /// The questions asked on load and after sign-in.
    pub fn checks() -> Vec<AuthorizeCheck> {
        [PEERING_READ, PEERING_WRITE, MESH_WRITE]
            .iter()
            .filter_map(|p| p.split_once(':'))
            .map(|(resource, access)| AuthorizeCheck::new(resource, access))
            .collect()
    }

    pub fn from_answers(answers: &[AuthorizeCheck]) -> Self {
        Self {
            answers: answers
                .iter()
                .map(|a| (a.permission(), a.allow.unwrap_or(false)))
                .collect(),
            acls_disabled: false,
        }
    }

    pub fn acls_off() -> Self {
        Self {
            answers: Vec::new(),
            acls_disabled: true,
        }
    }

    /// `Some(false)` only when Consul said no; unknown permissions are not blocked in the UI.
    pub fn allows(&self, permission: &str) -> Option<bool> {
        if self.acls_disabled {
            return Some(true);
        }
        self.answers
            .iter()
            .find(|(p, _)| p == permission)
            .map(|(_, allow)| *allow)
    }

    pub fn denies(&self, permission: &str) -> bool {
        self.allows(permission) == Some(false)
    }
}

/// Tooltip for a disabled action.
pub fn needs(permission: &str) -> String {
    format!("Your token cannot do this: needs {permission}")
}

/// The ACL rule to ask for, in Consul's policy syntax.
pub fn rule_for(permission: &str, subject: Option<&str>) -> Option<String> {
    let (resource, access) = permission.split_once(':')?;
    let subject = subject.unwrap_or("");
    Some(match resource {
        "peering" | "mesh" | "operator" | "acl" | "keyring" => format!("{resource} = \"{access}\""),
        "intention" | "intentions" => {
            format!("service \"{subject}\" {{ intentions = \"{access}\" }}")
        }
        "service" | "node" | "key" | "agent" | "session" | "query" | "event" => {
            if subject.is_empty() {
                format!("{resource}_prefix \"\" {{ policy = \"{access}\" }}")
            } else {
                format!("{resource} \"{subject}\" {{ policy = \"{access}\" }}")
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_for_what_the_views_need() {
        let checks = Access::checks();
        let body = serde_json::to_string(&checks).expect("serializes");
        assert_eq!(
            body,
            r#"[{"Resource":"peering","Access":"read"},{"Resource":"peering","Access":"write"},{"Resource":"mesh","Access":"write"}]"#
        );
    }

    #[test]
    fn reads_consul_answers() {
        let answers: Vec<AuthorizeCheck> = serde_json::from_str(
            r#"[{"Resource":"peering","Access":"read","Allow":true},{"Resource":"peering","Access":"write","Allow":false}]"#,
        )
        .expect("answers");
        let access = Access::from_answers(&answers);
        assert_eq!(access.allows(PEERING_READ), Some(true));
        assert!(access.denies(PEERING_WRITE));
        assert_eq!(access.allows(MESH_WRITE), None);
        assert!(!access.denies(MESH_WRITE));
        assert_eq!(Access::acls_off().allows(PEERING_WRITE), Some(true));
        assert!(!Access::default().denies(PEERING_WRITE));
    }

    #[test]
    fn names_the_rule_to_ask_for() {
        assert_eq!(
            rule_for("peering:read", None).as_deref(),
            Some(r#"peering = "read""#)
        );
        assert_eq!(
            rule_for("mesh:write", None).as_deref(),
            Some(r#"mesh = "write""#)
        );
        assert_eq!(
            rule_for("intention:write", Some("web")).as_deref(),
            Some(r#"service "web" { intentions = "write" }"#)
        );
        assert_eq!(
            rule_for("service:read", None).as_deref(),
            Some(r#"service_prefix "" { policy = "read" }"#)
        );
        assert_eq!(rule_for("bogus", None), None);
        assert_eq!(
            needs("peering:write"),
            "Your token cannot do this: needs peering:write"
        );
    }

    #[test]
    fn identity_names_the_token() {
        let id: Identity = serde_json::from_str(
            r#"{"AccessorID":"6a1253d2-1785-24fd-91c2-f8e78c745511","Description":"","Policies":[{"ID":"x","Name":"peering-read"}]}"#,
        )
        .expect("identity");
        assert_eq!(id.display_name(), "token 6a1253d2…");
        assert_eq!(id.policy_names(), vec!["peering-read"]);
        let id: Identity = serde_json::from_str(
            r#"{"AccessorID":"a","Description":"ops on-call","Policies":null}"#,
        )
        .expect("identity");
        assert_eq!(id.display_name(), "ops on-call");
        assert!(id.policy_names().is_empty());
    }
}

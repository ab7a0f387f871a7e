//! Resolving a request's ACL token: the built-in tokens, what a token may do
//! (`Authz`), and Consul's `Permission denied` texts.
//!
//! Imitates `agent/consul/acl.go` (`ACLResolver.ResolveToken`: an unknown
//! secret is `ACL not found`, no secret is the anonymous token) and
//! `acl/errors.go` (`PermissionDeniedByACL`, `PermissionDeniedByACLUnnamed`).

use chrono::Utc;

use crate::acl::rules::{parse_rules, Access, Rules};
use crate::http_util::{request_token, ApiError, ApiReq};
use crate::profile::Change;
use crate::state::{AclPolicy, AclToken, Sim, State};

/// The anonymous token's fixed AccessorID (`acl.AnonymousTokenID`).
pub(crate) const ANONYMOUS_ACCESSOR: &str = "00000000-0000-0000-0000-000000000002";
/// The builtin `global-management` policy's ID (`structs.ACLPolicyGlobalManagementID`).
const MANAGEMENT_POLICY_ID: &str = "00000000-0000-0000-0000-000000000001";

/// What a request's token may do.
#[derive(Debug, Clone)]
pub(crate) enum Authz {
    /// ACLs are off: everything is allowed.
    Disabled,
    Management {
        accessor: String,
    },
    Token {
        accessor: String,
        anonymous: bool,
        rules: Rules,
    },
}

impl Authz {
    pub(crate) fn allowed(&self, resource: &str, access: Access, name: Option<&str>) -> bool {
        match self {
            Authz::Disabled | Authz::Management { .. } => true,
            Authz::Token { rules, .. } => rules.allowed(resource, access, name),
        }
    }

    /// Consul's `PermissionDeniedByACL` text when not allowed.
    pub(crate) fn check(
        &self,
        resource: &str,
        access: Access,
        name: Option<&str>,
    ) -> Result<(), String> {
        if self.allowed(resource, access, name) {
            return Ok(());
        }
        let acc = match access {
            Access::Write => "write",
            Access::List => "list",
            _ => "read",
        };
        let on = name.map(|n| format!(" on {n:?}")).unwrap_or_default();
        match self {
            Authz::Token {
                anonymous: true, ..
            } => Err(format!(
                "Permission denied: anonymous token lacks permission '{resource}:{acc}'{on}. The anonymous token is used implicitly when a request does not specify a token."
            )),
            Authz::Token { accessor, .. } | Authz::Management { accessor } => Err(format!(
                "Permission denied: token with AccessorID '{accessor}' lacks permission '{resource}:{acc}'{on}"
            )),
            Authz::Disabled => Ok(()),
        }
    }

    pub(crate) fn peering_read(&self) -> Result<(), String> {
        self.check("peering", Access::Read, None)
    }
    pub(crate) fn peering_write(&self) -> Result<(), String> {
        self.check("peering", Access::Write, None)
    }
}

/// Makes sure the built-in tokens exist when ACLs are on.
pub(crate) fn bootstrap(sim: &Sim) {
    let Some(master) = sim.cfg.acl_master.clone() else {
        return;
    };
    let mut st = sim.lock();
    let mut changed = false;
    let idx = st.index;
    if !st.acl_policies.contains_key(MANAGEMENT_POLICY_ID) {
        st.acl_policies.insert(
            MANAGEMENT_POLICY_ID.into(),
            AclPolicy {
                id: MANAGEMENT_POLICY_ID.into(),
                name: "global-management".into(),
                description: "Builtin Policy that grants unlimited access".into(),
                rules: String::new(),
                create_index: idx,
                modify_index: idx,
            },
        );
        changed = true;
    }
    if !st.acl_tokens.values().any(|t| t.secret_id == master) {
        let t = AclToken {
            accessor_id: uuid::Uuid::new_v4().to_string(),
            secret_id: master,
            description: "Initial Management Token".into(),
            policies: vec![MANAGEMENT_POLICY_ID.into()],
            local: false,
            create_time: Utc::now(),
            create_index: idx,
            modify_index: idx,
        };
        st.acl_tokens.insert(t.accessor_id.clone(), t);
        changed = true;
    }
    if !st.acl_tokens.contains_key(ANONYMOUS_ACCESSOR) {
        let t = AclToken {
            accessor_id: ANONYMOUS_ACCESSOR.into(),
            secret_id: "anonymous".into(),
            description: "Anonymous Token".into(),
            policies: vec![],
            local: false,
            create_time: Utc::now(),
            create_index: idx,
            modify_index: idx,
        };
        st.acl_tokens.insert(t.accessor_id.clone(), t);
        changed = true;
    }
    if changed {
        sim.commit(&mut st, &["acl"]);
    }
}

fn token_authz(st: &State, t: &AclToken) -> Authz {
    if t.policies.iter().any(|p| p == MANAGEMENT_POLICY_ID) {
        return Authz::Management {
            accessor: t.accessor_id.clone(),
        };
    }
    let mut rules = Rules::default();
    for pid in &t.policies {
        if let Some(p) = st.acl_policies.get(pid) {
            if let Ok(r) = parse_rules(&p.rules) {
                rules.merge_from(r);
            }
        }
    }
    Authz::Token {
        accessor: t.accessor_id.clone(),
        anonymous: t.accessor_id == ANONYMOUS_ACCESSOR,
        rules,
    }
}

/// Resolves the request's token; `Err("ACL not found")` for an unknown secret.
fn resolve_secret(sim: &Sim, st: &State, secret: Option<&str>) -> Result<Authz, String> {
    if !sim.cfg.acls_enabled() {
        return Ok(Authz::Disabled);
    }
    let secret = secret.unwrap_or("anonymous");
    match st.acl_tokens.values().find(|t| t.secret_id == secret) {
        Some(t) => {
            let mut authz = token_authz(st, t);
            if let Authz::Token { anonymous, .. } = &mut authz {
                // 1.14 has no anonymous wording: its denial names the anonymous
                // token's AccessorID like any other (`acl/errors.go`, v1.14.0).
                *anonymous &= sim.cfg.profile.has(Change::AnonymousWording);
            }
            Ok(authz)
        }
        None => Err("ACL not found".into()),
    }
}

impl ApiReq {
    /// The secret this request carries: `?token=`, `X-Consul-Token`, then
    /// `Authorization: Bearer` (`agent/http.go`, `parseTokenInternal`).
    pub(crate) fn token(&self) -> Option<String> {
        request_token(&self.q, &self.headers)
    }

    /// Resolves the request's token for agent-handled endpoints (plain errors).
    pub(crate) fn authz(&self, st: &State) -> Result<Authz, ApiError> {
        resolve_secret(&self.sim, st, self.token().as_deref()).map_err(ApiError::internal)
    }

    /// Resolves the request's token for an endpoint a server answers (an
    /// RPC a client agent forwards, so its errors are `forwarded`).
    pub(crate) fn server_authz(&self, st: &State) -> Result<Authz, ApiError> {
        self.authz(st).map_err(ApiError::forwarded)
    }

    /// Resolves the request's token for the peering endpoints (gRPC-wrapped errors).
    pub(crate) fn authz_rpc(&self, st: &State) -> Result<Authz, ApiError> {
        resolve_secret(&self.sim, st, self.token().as_deref()).map_err(ApiError::unknown)
    }

    /// Resolves the request's token and checks one permission, answering Consul's denial text.
    pub(crate) fn require(
        &self,
        st: &State,
        resource: &str,
        access: Access,
        name: Option<&str>,
    ) -> Result<Authz, ApiError> {
        let authz = self.authz(st)?;
        authz
            .check(resource, access, name)
            .map_err(ApiError::internal)?;
        Ok(authz)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denial_texts() {
        let a = Authz::Token {
            accessor: "abc".into(),
            anonymous: false,
            rules: Rules::default(),
        };
        assert_eq!(
            a.peering_write().unwrap_err(),
            "Permission denied: token with AccessorID 'abc' lacks permission 'peering:write'"
        );
        let a = Authz::Token {
            accessor: ANONYMOUS_ACCESSOR.into(),
            anonymous: true,
            rules: Rules::default(),
        };
        assert_eq!(
            a.check("service", Access::Read, Some("web")).unwrap_err(),
            "Permission denied: anonymous token lacks permission 'service:read' on \"web\". The anonymous token is used implicitly when a request does not specify a token."
        );
    }
}

//! The `/v1/acl` endpoints (policies and tokens: create, read, update,
//! delete, list, `token/self`) and `POST /v1/internal/acl/authorize`.
//!
//! Imitates `agent/acl_endpoint.go` (`ACLPolicyCRUD`, `ACLTokenCRUD`,
//! `ACLTokenSelf`, `ACLAuthorize`); 401 `ACL support disabled` when ACLs are
//! off (its `aclDisabled` error).

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::acl::resolve::ANONYMOUS_ACCESSOR;
use crate::acl::rules::{parse_rules, Access};
use crate::http_util::{json, parse_body, ApiError, ApiReq, ApiResult, Query};
use crate::state::{AclPolicy, AclToken, Sim, State};

fn acl_disabled() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "ACL support disabled")
}

fn policy_json(p: &AclPolicy) -> Value {
    json!({
        "ID": p.id,
        "Name": p.name,
        "Description": p.description,
        "Rules": p.rules,
        "Hash": hash_of(&p.rules),
        "CreateIndex": p.create_index,
        "ModifyIndex": p.modify_index,
    })
}

fn hash_of(s: &str) -> String {
    use base64::Engine;
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    base64::engine::general_purpose::STANDARD.encode(h.to_be_bytes())
}

fn token_json(st: &State, t: &AclToken) -> Value {
    let policies: Vec<Value> = t
        .policies
        .iter()
        .filter_map(|id| st.acl_policies.get(id))
        .map(|p| json!({"ID": p.id, "Name": p.name}))
        .collect();
    json!({
        "AccessorID": t.accessor_id,
        "SecretID": t.secret_id,
        "Description": t.description,
        "Policies": policies,
        "Roles": [],
        "ServiceIdentities": [],
        "NodeIdentities": [],
        "TemplatedPolicies": [],
        "Local": t.local,
        "AuthMethod": "",
        "ExpirationTime": null,
        "CreateTime": crate::http_util::go_time(&t.create_time),
        "Hash": hash_of(&format!("{}{:?}", t.description, t.policies)),
        "CreateIndex": t.create_index,
        "ModifyIndex": t.modify_index,
    })
}

/// What every `/v1/acl` endpoint checks first (`checkACLDisabled`).
fn acl_guard(r: &ApiReq) -> Result<(), ApiError> {
    if !r.sim.cfg.acls_enabled() {
        return Err(acl_disabled());
    }
    Ok(())
}

/// `acl:read` or `acl:write`, as every policy and token endpoint needs.
fn need(r: &ApiReq, st: &State, access: Access) -> Result<(), ApiError> {
    r.require(st, "acl", access, None)
        .map(|_| ())
        .map_err(ApiError::forwarded)
}

#[derive(Deserialize, Default)]
struct PolicyReq {
    #[serde(rename = "Name", default)]
    name: String,
    #[serde(rename = "Description", default)]
    description: String,
    #[serde(rename = "Rules", default)]
    rules: String,
}

fn write_policy(sim: &Sim, st: &mut State, id: Option<String>, req: PolicyReq) -> ApiResult {
    if req.name.is_empty() {
        return Err(ApiError::bad_request("Invalid Policy: no name set"));
    }
    if let Err(e) = parse_rules(&req.rules) {
        return Err(ApiError::bad_request(format!(
            "Invalid Policy: failed to parse rules: {e}"
        )));
    }
    if st
        .acl_policies
        .values()
        .any(|p| p.name == req.name && Some(&p.id) != id.as_ref())
    {
        return Err(ApiError::bad_request(format!(
            "Invalid Policy: A Policy with Name {:?} already exists",
            req.name
        )));
    }
    let idx = Sim::next_index(st);
    let id = id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let create = st
        .acl_policies
        .get(&id)
        .map(|p| p.create_index)
        .unwrap_or(idx);
    let p = AclPolicy {
        id: id.clone(),
        name: req.name,
        description: req.description,
        rules: req.rules,
        create_index: create,
        modify_index: idx,
    };
    st.acl_policies.insert(id, p.clone());
    sim.commit(st, &["acl"]);
    Ok(json(&Query::default(), &policy_json(&p), None))
}

fn decode<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    parse_body::<T>(body)
        .map(|o| o.unwrap_or_default())
        .map_err(|e| ApiError::bad_request(format!("Request decoding failed: {e}")))
}

pub(crate) async fn policy_create(r: ApiReq, body: Bytes) -> ApiResult {
    acl_guard(&r)?;
    let req: PolicyReq = decode(&body)?;
    let mut st = r.sim.lock();
    need(&r, &st, Access::Write)?;
    write_policy(&r.sim, &mut st, None, req)
}

pub(crate) async fn policy_by_id(r: ApiReq, Path(id): Path<String>, body: Bytes) -> ApiResult {
    acl_guard(&r)?;
    let mut st = r.sim.lock();
    match r.method.as_str() {
        "GET" => {
            need(&r, &st, Access::Read)?;
            match st.acl_policies.get(&id) {
                Some(p) => Ok(json(&r.q, &policy_json(p), Some(st.table("acl")))),
                None => Err(ApiError::new(StatusCode::FORBIDDEN, "ACL not found")),
            }
        }
        "PUT" => {
            need(&r, &st, Access::Write)?;
            let req: PolicyReq = decode(&body)?;
            write_policy(&r.sim, &mut st, Some(id), req)
        }
        "DELETE" => {
            need(&r, &st, Access::Write)?;
            st.acl_policies.remove(&id);
            for t in st.acl_tokens.values_mut() {
                t.policies.retain(|p| p != &id);
            }
            r.sim.commit(&mut st, &["acl"]);
            Ok(json(&r.q, &true, None))
        }
        _ => Ok(crate::http_util::method_not_allowed(
            &r.method,
            &["GET", "PUT", "DELETE"],
        )),
    }
}

pub(crate) async fn policy_list(r: ApiReq) -> ApiResult {
    acl_guard(&r)?;
    let st = r.sim.lock();
    need(&r, &st, Access::Read)?;
    let list: Vec<Value> = st.acl_policies.values().map(policy_json).collect();
    Ok(json(&r.q, &list, Some(st.table("acl"))))
}

#[derive(Deserialize, Default)]
struct TokenPolicyLink {
    #[serde(rename = "ID", default)]
    id: String,
    #[serde(rename = "Name", default)]
    name: String,
}

#[derive(Deserialize, Default)]
struct TokenReq {
    #[serde(rename = "AccessorID", default)]
    accessor_id: String,
    #[serde(rename = "SecretID", default)]
    secret_id: String,
    #[serde(rename = "Description", default)]
    description: String,
    #[serde(rename = "Policies", default)]
    policies: Vec<TokenPolicyLink>,
    #[serde(rename = "Local", default)]
    local: bool,
}

fn write_token(sim: &Sim, st: &mut State, id: Option<String>, req: TokenReq) -> ApiResult {
    let mut policies = Vec::new();
    for link in &req.policies {
        let found = st.acl_policies.values().find(|p| {
            (!link.id.is_empty() && p.id == link.id) || (link.id.is_empty() && p.name == link.name)
        });
        match found {
            Some(p) => policies.push(p.id.clone()),
            None => {
                let what = if link.id.is_empty() {
                    &link.name
                } else {
                    &link.id
                };
                return Err(ApiError::bad_request(format!(
                    "Invalid Token: Policy with ID or name {what:?} does not exist"
                )));
            }
        }
    }
    let idx = Sim::next_index(st);
    let accessor = id
        .or(Some(req.accessor_id.clone()).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let existing = st.acl_tokens.get(&accessor).cloned();
    let secret = if !req.secret_id.is_empty() {
        req.secret_id.clone()
    } else if let Some(e) = &existing {
        e.secret_id.clone()
    } else {
        uuid::Uuid::new_v4().to_string()
    };
    let t = AclToken {
        accessor_id: accessor.clone(),
        secret_id: secret,
        description: req.description,
        policies,
        local: req.local,
        create_time: existing
            .as_ref()
            .map(|e| e.create_time)
            .unwrap_or_else(Utc::now),
        create_index: existing.as_ref().map(|e| e.create_index).unwrap_or(idx),
        modify_index: idx,
    };
    st.acl_tokens.insert(accessor, t.clone());
    sim.commit(st, &["acl"]);
    Ok(json(&Query::default(), &token_json(st, &t), None))
}

pub(crate) async fn token_create(r: ApiReq, body: Bytes) -> ApiResult {
    acl_guard(&r)?;
    let req: TokenReq = decode(&body)?;
    let mut st = r.sim.lock();
    need(&r, &st, Access::Write)?;
    write_token(&r.sim, &mut st, None, req)
}

/// `GET /v1/acl/token/self`: `ACL.TokenRead` by the request's secret
/// (`agent/acl_endpoint.go` `ACLTokenSelf`). Without a token the secret is
/// the agent's default token, empty here, which no token has: 403 like an
/// unknown secret, worded per version (`agent/consul/acl_endpoint.go`
/// `TokenRead`), and wrapped by a client agent, which forwards the RPC.
pub(crate) async fn token_self(r: ApiReq) -> ApiResult {
    acl_guard(&r)?;
    let st = r.sim.lock();
    let secret = r.token().unwrap_or_default();
    match st.acl_tokens.values().find(|t| t.secret_id == secret) {
        Some(t) => Ok(json(&r.q, &token_json(&st, t), Some(st.table("acl")))),
        None => Err(ApiError::internal(r.sim.cfg.profile.token_not_found_text()).forwarded()),
    }
}

pub(crate) async fn token_by_id(r: ApiReq, Path(id): Path<String>, body: Bytes) -> ApiResult {
    acl_guard(&r)?;
    let mut st = r.sim.lock();
    match r.method.as_str() {
        "GET" => {
            need(&r, &st, Access::Read)?;
            match st.acl_tokens.get(&id) {
                Some(t) => Ok(json(&r.q, &token_json(&st, t), Some(st.table("acl")))),
                None => Err(ApiError::new(StatusCode::FORBIDDEN, "ACL not found")),
            }
        }
        "PUT" => {
            need(&r, &st, Access::Write)?;
            let req: TokenReq = decode(&body)?;
            write_token(&r.sim, &mut st, Some(id), req)
        }
        "DELETE" => {
            need(&r, &st, Access::Write)?;
            if id == ANONYMOUS_ACCESSOR {
                return Err(ApiError::internal(
                    "Delete operation not permitted on the anonymous token",
                ));
            }
            st.acl_tokens.remove(&id);
            r.sim.commit(&mut st, &["acl"]);
            Ok(json(&r.q, &true, None))
        }
        _ => Ok(crate::http_util::method_not_allowed(
            &r.method,
            &["GET", "PUT", "DELETE"],
        )),
    }
}

pub(crate) async fn token_list(r: ApiReq) -> ApiResult {
    acl_guard(&r)?;
    let st = r.sim.lock();
    need(&r, &st, Access::Read)?;
    let list: Vec<Value> = st
        .acl_tokens
        .values()
        .map(|t| {
            let mut v = token_json(&st, t);
            if let Some(o) = v.as_object_mut() {
                o.remove("SecretID");
            }
            v
        })
        .collect();
    Ok(json(&r.q, &list, Some(st.table("acl"))))
}

#[derive(Deserialize)]
struct AuthzItem {
    #[serde(rename = "Resource", default)]
    resource: String,
    #[serde(rename = "Segment", default)]
    segment: String,
    #[serde(rename = "Access", default)]
    access: String,
    #[serde(rename = "Namespace", default)]
    namespace: Option<String>,
    #[serde(rename = "Partition", default)]
    partition: Option<String>,
}

/// `POST /v1/internal/acl/authorize`
pub(crate) async fn authorize(r: ApiReq, body: Bytes) -> ApiResult {
    acl_guard(&r)?;
    let items: Vec<AuthzItem> = match parse_body::<Vec<AuthzItem>>(&body) {
        Ok(Some(v)) => v,
        Ok(None) => Vec::new(),
        Err(e) => {
            return Err(ApiError::bad_request(format!(
                "Failed to decode request body: {e}"
            )))
        }
    };
    if items.len() > 64 {
        return Err(ApiError::bad_request(
            "Refusing to process more than 64 authorizations at once",
        ));
    }
    if items.is_empty() {
        return Ok(json(&r.q, &Vec::<Value>::new(), None));
    }
    let st = r.sim.lock();
    let authz = r.authz(&st)?;
    let mut out = Vec::with_capacity(items.len());
    for it in &items {
        let access = enforceable(&it.resource, &it.access).map_err(ApiError::bad_request)?;
        let seg = if it.segment.is_empty() {
            None
        } else {
            Some(it.segment.as_str())
        };
        let allow = authz.allowed(&it.resource, access, seg);
        out.push(authorization(it, allow));
    }
    Ok(json(&r.q, &out, None))
}

/// The access `acl.Enforce` (`acl/authorizer.go`) checks for a resource and
/// an access level, or its error, which `ACLAuthorize` answers as 400: an
/// unknown resource is `Invalid ACL resource requested: "x"`, an access the
/// resource lacks `Invalid access level for x resource: y`. The access is
/// compared in lower case, the resource as given.
fn enforceable(resource: &str, access: &str) -> Result<Access, String> {
    let lower = access.to_lowercase();
    let levels: &[&str] = match resource {
        "acl" | "keyring" | "mesh" | "operator" | "peering" | "agent" | "event" | "intention"
        | "node" | "query" | "service" | "session" => &["read", "write"],
        "key" => &["read", "list", "write", "write-prefix"],
        _ => return Err(format!("Invalid ACL resource requested: {resource:?}")),
    };
    if !levels.contains(&lower.as_str()) {
        return Err(format!(
            "Invalid access level for {resource} resource: {access}"
        ));
    }
    // `write-prefix` needs write on the whole prefix; the sim checks write on it.
    Ok(Access::parse(lower.trim_end_matches("-prefix")).unwrap_or(Access::Write))
}

/// One answer of `authorize`: the request as given, plus `Allow`.
fn authorization(it: &AuthzItem, allow: bool) -> Value {
    let mut o = json!({
        "Resource": it.resource,
        "Access": it.access,
        "Allow": allow,
    });
    if let Some(m) = o.as_object_mut() {
        if !it.segment.is_empty() {
            m.insert("Segment".into(), json!(it.segment));
        }
        if let Some(ns) = &it.namespace {
            m.insert("Namespace".into(), json!(ns));
        }
        if let Some(p) = &it.partition {
            m.insert("Partition".into(), json!(p));
        }
    }
    o
}

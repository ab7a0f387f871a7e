//! ACLs: policies with HCL (or JSON) rules, tokens, resolution of the
//! request's token, Consul's denial texts, and the `/v1/acl` endpoints.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::http_util::{json, parse_body, request_token, ApiError, ApiResult, Query};
use crate::state::{AclPolicy, AclToken, Sim, State};

pub const ANONYMOUS_ACCESSOR: &str = "00000000-0000-0000-0000-000000000002";
pub const MANAGEMENT_POLICY_ID: &str = "00000000-0000-0000-0000-000000000001";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    Deny,
    List,
    Read,
    Write,
}

impl Access {
    fn parse(s: &str) -> Option<Access> {
        match s {
            "deny" => Some(Access::Deny),
            "list" => Some(Access::List),
            "read" => Some(Access::Read),
            "write" => Some(Access::Write),
            _ => None,
        }
    }
    /// Whether a granted level allows `want`.
    fn allows(self, want: Access) -> bool {
        self != Access::Deny && self >= want
    }
}

/// Merges two grants the way Consul merges policies: deny wins, then the
/// most permissive.
fn merge(a: Option<Access>, b: Option<Access>) -> Option<Access> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(Access::Deny), _) | (_, Some(Access::Deny)) => Some(Access::Deny),
        (Some(x), Some(y)) => Some(x.max(y)),
    }
}

#[derive(Debug, Clone, Default)]
pub struct NamedRule {
    pub policy: Option<Access>,
    pub intentions: Option<Access>,
}

/// The merged rules of a token's policies.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub top: BTreeMap<String, Access>,
    /// (resource, exact names) and (resource, prefixes).
    pub exact: BTreeMap<(String, String), NamedRule>,
    pub prefix: BTreeMap<(String, String), NamedRule>,
}

impl Rules {
    fn merge_from(&mut self, other: Rules) {
        for (k, v) in other.top {
            let cur = self.top.get(&k).copied();
            if let Some(m) = merge(cur, Some(v)) {
                self.top.insert(k, m);
            }
        }
        for (map, src) in [
            (&mut self.exact, other.exact),
            (&mut self.prefix, other.prefix),
        ] {
            for (k, v) in src {
                let e = map.entry(k).or_default();
                e.policy = merge(e.policy, v.policy);
                e.intentions = merge(e.intentions, v.intentions);
            }
        }
    }

    /// The rule that governs `name` of `resource`: exact, else longest prefix.
    fn lookup(&self, resource: &str, name: &str) -> Option<&NamedRule> {
        if let Some(r) = self.exact.get(&(resource.to_string(), name.to_string())) {
            return Some(r);
        }
        self.prefix
            .iter()
            .filter(|((res, p), _)| res == resource && name.starts_with(p.as_str()))
            .max_by_key(|((_, p), _)| p.len())
            .map(|(_, r)| r)
    }

    fn allowed(&self, resource: &str, want: Access, name: Option<&str>) -> bool {
        match resource {
            "peering" | "mesh" => {
                let grant = self
                    .top
                    .get(resource)
                    .or_else(|| self.top.get("operator"))
                    .copied();
                grant.is_some_and(|g| g.allows(want))
            }
            "operator" | "acl" | "keyring" => {
                self.top.get(resource).is_some_and(|g| g.allows(want))
            }
            "intention" => {
                let Some(r) = self.lookup("service", name.unwrap_or("")) else {
                    return false;
                };
                let grant = r.intentions.or(match r.policy {
                    Some(Access::Read) | Some(Access::Write) => Some(Access::Read),
                    Some(Access::Deny) => Some(Access::Deny),
                    _ => None,
                });
                grant.is_some_and(|g| g.allows(want))
            }
            res => self
                .lookup(res, name.unwrap_or(""))
                .and_then(|r| r.policy)
                .is_some_and(|g| g.allows(want)),
        }
    }
}

// ---------------------------------------------------------------- parsing

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Eq,
    Open,
    Close,
}

fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ',' {
            i += 1;
        } else if c == '#' || (c == '/' && chars.get(i + 1) == Some(&'/')) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '=' || c == ':' {
            out.push(Tok::Eq);
            i += 1;
        } else if c == '{' {
            out.push(Tok::Open);
            i += 1;
        } else if c == '}' {
            out.push(Tok::Close);
            i += 1;
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                }
                s.push(chars[i]);
                i += 1;
            }
            if i >= chars.len() {
                return Err("unterminated string".into());
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if c.is_alphanumeric() || c == '_' || c == '-' {
            let mut s = String::new();
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '-')
            {
                s.push(chars[i]);
                i += 1;
            }
            out.push(Tok::Ident(s));
        } else {
            return Err(format!("illegal char {c:?}"));
        }
    }
    Ok(out)
}

/// A parsed HCL body: `key = "value"` pairs and `key "label" { body }` blocks.
#[derive(Debug, Default)]
struct Body {
    attrs: Vec<(String, String)>,
    blocks: Vec<(String, String, Body)>,
}

fn parse_body_toks(toks: &[Tok], pos: &mut usize, nested: bool) -> Result<Body, String> {
    let mut body = Body::default();
    while *pos < toks.len() {
        let key = match &toks[*pos] {
            Tok::Close if nested => {
                *pos += 1;
                return Ok(body);
            }
            Tok::Ident(s) | Tok::Str(s) => s.clone(),
            t => return Err(format!("unexpected token {t:?}")),
        };
        *pos += 1;
        match toks.get(*pos) {
            Some(Tok::Eq) => {
                *pos += 1;
                match toks.get(*pos) {
                    Some(Tok::Str(v)) | Some(Tok::Ident(v)) => {
                        body.attrs.push((key, v.clone()));
                        *pos += 1;
                    }
                    Some(Tok::Open) => {
                        // `service = { "web" = { policy = "read" } }`
                        *pos += 1;
                        let inner = parse_body_toks(toks, pos, true)?;
                        for (label, _, b) in inner.blocks {
                            body.blocks.push((key.clone(), label, b));
                        }
                        for (label, v) in inner.attrs {
                            let b = Body {
                                attrs: vec![("policy".into(), v)],
                                blocks: vec![],
                            };
                            body.blocks.push((key.clone(), label, b));
                        }
                    }
                    _ => return Err(format!("missing value for {key}")),
                }
            }
            Some(Tok::Str(label)) => {
                let label = label.clone();
                *pos += 1;
                if toks.get(*pos) == Some(&Tok::Eq) {
                    *pos += 1;
                }
                if toks.get(*pos) != Some(&Tok::Open) {
                    return Err(format!("expected {{ after {key} {label:?}"));
                }
                *pos += 1;
                let inner = parse_body_toks(toks, pos, true)?;
                body.blocks.push((key, label, inner));
            }
            Some(Tok::Open) => {
                // `service { "web" { … } }` style or nested object.
                *pos += 1;
                let inner = parse_body_toks(toks, pos, true)?;
                for (label, _, b) in inner.blocks {
                    body.blocks.push((key.clone(), label, b));
                }
            }
            _ => return Err(format!("unexpected end after {key}")),
        }
    }
    if nested {
        return Err("missing }".into());
    }
    Ok(body)
}

const NAMED: [&str; 8] = [
    "service", "node", "key", "agent", "session", "event", "query", "identity",
];

/// Parses ACL rules (HCL or JSON) into `Rules`.
pub fn parse_rules(src: &str) -> Result<Rules, String> {
    let toks = tokenize(src)?;
    let mut pos = 0;
    // JSON: a single wrapping object.
    let toks = if toks.first() == Some(&Tok::Open) && toks.last() == Some(&Tok::Close) {
        toks[1..toks.len() - 1].to_vec()
    } else {
        toks
    };
    let body = parse_body_toks(&toks, &mut pos, false)?;
    let mut rules = Rules::default();
    for (k, v) in body.attrs {
        let a = Access::parse(&v).ok_or_else(|| format!("Invalid {k} policy: {v:?}"))?;
        rules.top.insert(k, a);
    }
    for (kind, label, b) in body.blocks {
        let (res, is_prefix) = match kind.strip_suffix("_prefix") {
            Some(r) => (r.to_string(), true),
            None => (kind.clone(), false),
        };
        if !NAMED.contains(&res.as_str()) {
            return Err(format!("Unknown rule block {kind:?}"));
        }
        let mut nr = NamedRule::default();
        for (k, v) in b.attrs {
            let a = Access::parse(&v).ok_or_else(|| format!("Invalid {kind} policy: {v:?}"))?;
            match k.as_str() {
                "policy" => nr.policy = Some(a),
                "intentions" => nr.intentions = Some(a),
                _ => {}
            }
        }
        let key = (res, label);
        let map = if is_prefix {
            &mut rules.prefix
        } else {
            &mut rules.exact
        };
        let e = map.entry(key).or_default();
        e.policy = merge(e.policy, nr.policy);
        e.intentions = merge(e.intentions, nr.intentions);
    }
    Ok(rules)
}

// ------------------------------------------------------------- resolution

/// What a request's token may do.
#[derive(Debug, Clone)]
pub enum Authz {
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
    pub fn allowed(&self, resource: &str, access: Access, name: Option<&str>) -> bool {
        match self {
            Authz::Disabled | Authz::Management { .. } => true,
            Authz::Token { rules, .. } => rules.allowed(resource, access, name),
        }
    }

    /// Consul's `PermissionDeniedByACL` text when not allowed.
    pub fn check(&self, resource: &str, access: Access, name: Option<&str>) -> Result<(), String> {
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

    pub fn peering_read(&self) -> Result<(), String> {
        self.check("peering", Access::Read, None)
    }
    pub fn peering_write(&self) -> Result<(), String> {
        self.check("peering", Access::Write, None)
    }
}

/// Makes sure the built-in tokens exist when ACLs are on.
pub fn bootstrap(sim: &Sim) {
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
pub fn resolve_secret(sim: &Sim, st: &State, secret: Option<&str>) -> Result<Authz, String> {
    if !sim.cfg.acls_enabled() {
        return Ok(Authz::Disabled);
    }
    let secret = secret.unwrap_or("anonymous");
    match st.acl_tokens.values().find(|t| t.secret_id == secret) {
        Some(t) => Ok(token_authz(st, t)),
        None => Err("ACL not found".into()),
    }
}

/// Resolves the request's token for the peering endpoints (gRPC-wrapped errors).
pub fn resolve(sim: &Sim, st: &State, q: &Query, headers: &HeaderMap) -> Result<Authz, ApiError> {
    let tok = request_token(q, headers);
    resolve_secret(sim, st, tok.as_deref()).map_err(ApiError::unknown)
}

/// Resolves the request's token for agent-handled endpoints (plain errors).
pub fn resolve_plain(
    sim: &Sim,
    st: &State,
    q: &Query,
    headers: &HeaderMap,
) -> Result<Authz, ApiError> {
    let tok = request_token(q, headers);
    resolve_secret(sim, st, tok.as_deref()).map_err(ApiError::internal)
}

/// Resolves the request's token and checks one permission, answering Consul's denial text.
pub fn require(
    sim: &Sim,
    st: &State,
    q: &Query,
    headers: &HeaderMap,
    resource: &str,
    access: Access,
    name: Option<&str>,
) -> Result<Authz, ApiError> {
    let authz = resolve_plain(sim, st, q, headers)?;
    authz
        .check(resource, access, name)
        .map_err(ApiError::internal)?;
    Ok(authz)
}

// -------------------------------------------------------------- endpoints

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

struct Ctx {
    q: Query,
}

fn acl_guard(sim: &Sim, raw: Option<&str>) -> Result<Ctx, ApiError> {
    if !sim.cfg.acls_enabled() {
        return Err(acl_disabled());
    }
    Ok(Ctx {
        q: Query::parse(raw),
    })
}

fn need(
    sim: &Sim,
    st: &State,
    q: &Query,
    headers: &HeaderMap,
    access: Access,
) -> Result<(), ApiError> {
    resolve_plain(sim, st, q, headers)?
        .check("acl", access, None)
        .map_err(ApiError::internal)
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

pub async fn policy_create(
    AxState(sim): AxState<Arc<Sim>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let c = acl_guard(&sim, raw.as_deref())?;
    let req: PolicyReq = decode(&body)?;
    let mut st = sim.lock();
    need(&sim, &st, &c.q, &headers, Access::Write)?;
    write_policy(&sim, &mut st, None, req)
}

pub async fn policy_by_id(
    AxState(sim): AxState<Arc<Sim>>,
    method: axum::http::Method,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let c = acl_guard(&sim, raw.as_deref())?;
    let mut st = sim.lock();
    match method.as_str() {
        "GET" => {
            need(&sim, &st, &c.q, &headers, Access::Read)?;
            match st.acl_policies.get(&id) {
                Some(p) => Ok(json(&c.q, &policy_json(p), Some(st.table("acl")))),
                None => Err(ApiError::new(StatusCode::FORBIDDEN, "ACL not found")),
            }
        }
        "PUT" => {
            need(&sim, &st, &c.q, &headers, Access::Write)?;
            let req: PolicyReq = decode(&body)?;
            write_policy(&sim, &mut st, Some(id), req)
        }
        "DELETE" => {
            need(&sim, &st, &c.q, &headers, Access::Write)?;
            st.acl_policies.remove(&id);
            for t in st.acl_tokens.values_mut() {
                t.policies.retain(|p| p != &id);
            }
            sim.commit(&mut st, &["acl"]);
            Ok(json(&c.q, &true, None))
        }
        m => Ok(crate::http_util::method_not_allowed(
            &method_of(m),
            &["GET", "PUT", "DELETE"],
        )),
    }
}

fn method_of(m: &str) -> axum::http::Method {
    axum::http::Method::from_bytes(m.as_bytes()).unwrap_or(axum::http::Method::GET)
}

pub async fn policy_list(
    AxState(sim): AxState<Arc<Sim>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult {
    let c = acl_guard(&sim, raw.as_deref())?;
    let st = sim.lock();
    need(&sim, &st, &c.q, &headers, Access::Read)?;
    let list: Vec<Value> = st.acl_policies.values().map(policy_json).collect();
    Ok(json(&c.q, &list, Some(st.table("acl"))))
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

pub async fn token_create(
    AxState(sim): AxState<Arc<Sim>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let c = acl_guard(&sim, raw.as_deref())?;
    let req: TokenReq = decode(&body)?;
    let mut st = sim.lock();
    need(&sim, &st, &c.q, &headers, Access::Write)?;
    write_token(&sim, &mut st, None, req)
}

pub async fn token_self(
    AxState(sim): AxState<Arc<Sim>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult {
    let c = acl_guard(&sim, raw.as_deref())?;
    let st = sim.lock();
    let secret = request_token(&c.q, &headers).unwrap_or_else(|| "anonymous".into());
    match st.acl_tokens.values().find(|t| t.secret_id == secret) {
        Some(t) => Ok(json(&c.q, &token_json(&st, t), Some(st.table("acl")))),
        None => Err(ApiError::new(StatusCode::FORBIDDEN, "ACL not found")),
    }
}

pub async fn token_by_id(
    AxState(sim): AxState<Arc<Sim>>,
    method: axum::http::Method,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let c = acl_guard(&sim, raw.as_deref())?;
    let mut st = sim.lock();
    match method.as_str() {
        "GET" => {
            need(&sim, &st, &c.q, &headers, Access::Read)?;
            match st.acl_tokens.get(&id) {
                Some(t) => Ok(json(&c.q, &token_json(&st, t), Some(st.table("acl")))),
                None => Err(ApiError::new(StatusCode::FORBIDDEN, "ACL not found")),
            }
        }
        "PUT" => {
            need(&sim, &st, &c.q, &headers, Access::Write)?;
            let req: TokenReq = decode(&body)?;
            write_token(&sim, &mut st, Some(id), req)
        }
        "DELETE" => {
            need(&sim, &st, &c.q, &headers, Access::Write)?;
            if id == ANONYMOUS_ACCESSOR {
                return Err(ApiError::internal(
                    "Delete operation not permitted on the anonymous token",
                ));
            }
            st.acl_tokens.remove(&id);
            sim.commit(&mut st, &["acl"]);
            Ok(json(&c.q, &true, None))
        }
        m => Ok(crate::http_util::method_not_allowed(
            &method_of(m),
            &["GET", "PUT", "DELETE"],
        )),
    }
}

pub async fn token_list(
    AxState(sim): AxState<Arc<Sim>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult {
    let c = acl_guard(&sim, raw.as_deref())?;
    let st = sim.lock();
    need(&sim, &st, &c.q, &headers, Access::Read)?;
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
    Ok(json(&c.q, &list, Some(st.table("acl"))))
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
pub async fn authorize(
    AxState(sim): AxState<Arc<Sim>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let q = Query::parse(raw.as_deref());
    if !sim.cfg.acls_enabled() {
        return Err(acl_disabled());
    }
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
    let st = sim.lock();
    let authz = resolve_plain(&sim, &st, &q, &headers)?;
    let out: Vec<Value> = items
        .iter()
        .map(|it| {
            let access = Access::parse(&it.access).unwrap_or(Access::Write);
            let seg = if it.segment.is_empty() {
                None
            } else {
                Some(it.segment.as_str())
            };
            let allow =
                Access::parse(&it.access).is_some() && authz.allowed(&it.resource, access, seg);
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
        })
        .collect();
    Ok(json(&q, &out, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hcl_rules() {
        let r = parse_rules(
            r#"
            # comment
            peering = "read"
            service "web" { policy = "read" intentions = "write" }
            service_prefix "" {
              policy = "read"
            }
            node_prefix "" { policy = "read" }
            "#,
        )
        .unwrap();
        assert!(r.allowed("peering", Access::Read, None));
        assert!(!r.allowed("peering", Access::Write, None));
        assert!(r.allowed("intention", Access::Write, Some("web")));
        assert!(r.allowed("intention", Access::Read, Some("api")));
        assert!(!r.allowed("intention", Access::Write, Some("api")));
        assert!(r.allowed("service", Access::Read, Some("db")));
        assert!(!r.allowed("mesh", Access::Read, None));
    }

    #[test]
    fn operator_fallback_and_json() {
        let r = parse_rules(r#"{"operator": "write"}"#).unwrap();
        assert!(r.allowed("peering", Access::Write, None));
        assert!(r.allowed("mesh", Access::Write, None));
        let r = parse_rules("operator = \"write\"\npeering = \"deny\"").unwrap();
        assert!(!r.allowed("peering", Access::Read, None));
        assert!(parse_rules("peering = \"maybe\"").is_err());
    }

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

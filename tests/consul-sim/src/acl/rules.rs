//! ACL policy rules: the grant levels (`Access`), the merged rules of a
//! token's policies (`Rules`) and what they allow, and the small HCL/JSON
//! parser that reads a policy's `Rules` text.
//!
//! Imitates `acl/policy.go` (`Parse`, the rule blocks) and the merge order of
//! `acl/policy_merger.go` (deny wins, else the most permissive grant).

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Access {
    Deny,
    List,
    Read,
    Write,
}

impl Access {
    pub(super) fn parse(s: &str) -> Option<Access> {
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
struct NamedRule {
    policy: Option<Access>,
    intentions: Option<Access>,
}

/// The merged rules of a token's policies.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    top: BTreeMap<String, Access>,
    /// (resource, exact names) and (resource, prefixes).
    exact: BTreeMap<(String, String), NamedRule>,
    prefix: BTreeMap<(String, String), NamedRule>,
}

impl Rules {
    pub(super) fn merge_from(&mut self, other: Rules) {
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

    pub(super) fn allowed(&self, resource: &str, want: Access, name: Option<&str>) -> bool {
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
pub(crate) fn parse_rules(src: &str) -> Result<Rules, String> {
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
}

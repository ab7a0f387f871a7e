//! `/v1/config/...` endpoints. Entries are kept as JSON values so fields this console does not
//! show survive a read-modify-write untouched.
use super::client::{decode, encode, send};
use super::error::ApiError;
use crate::url::query;
use gloo_net::http::Method;

/// `GET /v1/config/:kind` — every entry of one kind, as Consul sent it.
pub async fn list_entries(kind: &str) -> Result<Vec<serde_json::Value>, ApiError> {
    Ok(list_entries_with_policy(kind).await?.entries)
}

/// `?dc=` for a request aimed at another datacenter (`None`: the agent's own).
fn in_dc(dc: Option<&str>) -> String {
    query(&[("dc", dc)])
}

/// A list of entries with what the answer's headers say about it.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryList {
    pub entries: Vec<serde_json::Value>,
    /// `X-Consul-Default-ACL-Policy`: decides connections no intention matches.
    pub default_policy: Option<String>,
    /// Some entries are hidden from this token.
    pub filtered_by_acls: bool,
}

/// `GET /v1/config/:kind` with the headers the intentions view needs.
pub async fn list_entries_with_policy(kind: &str) -> Result<EntryList, ApiError> {
    let reply = send(Method::GET, &format!("/v1/config/{}", encode(kind)), None).await?;
    let list: Option<Vec<serde_json::Value>> = decode(&reply)?;
    Ok(EntryList {
        entries: list.unwrap_or_default(),
        default_policy: reply.default_acl_policy,
        filtered_by_acls: reply.filtered_by_acls,
    })
}

/// `GET /v1/config/:kind/:name`; `None` when Consul has no such entry (404).
pub async fn read_entry(kind: &str, name: &str) -> Result<Option<serde_json::Value>, ApiError> {
    let path = format!("/v1/config/{}/{}", encode(kind), encode(name));
    match send(Method::GET, &path, None).await {
        Ok(reply) => Ok(Some(checked(kind, name, decode(&reply)?)?)),
        Err(ApiError::Http { status: 404, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `entry` when its Kind and Name are the ones asked for; an answer about another entry is an
/// error, never an entry to edit or delete (a rewritten path reads another entry).
pub(crate) fn checked(
    kind: &str,
    name: &str,
    entry: serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    let field = |key: &str| entry.get(key).and_then(serde_json::Value::as_str);
    // The mesh entry has no Name (it is always "mesh"): named after its kind, as in find_entry.
    let answered_kind = field("Kind").unwrap_or_default();
    let answered_name = field("Name").unwrap_or(answered_kind);
    if answered_kind == kind && answered_name == name {
        Ok(entry)
    } else {
        Err(ApiError::Mismatch {
            asked: format!("{kind}/{name}"),
            answered: format!("{answered_kind}/{answered_name}"),
        })
    }
}

/// `PUT /v1/config?cas=N`: `Ok(false)` when the entry changed since index `N` was read
/// (`cas=0`: it appeared meanwhile). Every write is guarded: the console never writes blind.
pub async fn write_entry(
    entry: &serde_json::Value,
    cas: u64,
    dc: Option<&str>,
) -> Result<bool, ApiError> {
    let path = format!("/v1/config?cas={cas}{}", in_dc(dc).replacen('?', "&", 1));
    let reply = send(Method::PUT, &path, Some(entry.to_string())).await?;
    decode(&reply)
}

/// `DELETE /v1/config/:kind/:name?cas=N`: `Ok(false)` when the entry changed since it was read.
/// Always guarded, like writes.
pub async fn delete_entry(
    kind: &str,
    name: &str,
    cas: u64,
    dc: Option<&str>,
) -> Result<bool, ApiError> {
    let path = format!(
        "/v1/config/{}/{}?cas={cas}{}",
        encode(kind),
        encode(name),
        in_dc(dc).replacen('?', "&", 1)
    );
    let reply = send(Method::DELETE, &path, None).await?;
    let answer: serde_json::Value = decode(&reply)?;
    Ok(answer.as_bool().unwrap_or(true))
}

/// The entry named `name`, found in the list of its kind. Used where "no entry yet" is the
/// normal case (a new rule's destination): a 404 from [`read_entry`] would be logged by the
/// browser as a failed request every time.
///
/// Consul filters the list by ACLs instead of refusing it (`agent/consul/config_endpoint.go`:
/// `ConfigEntry.List` drops what `entry.CanRead` refuses and sets `ResultsFilteredByACLs`). So when
/// the entry is missing from a filtered list, "no entry yet" would be a guess: ask for the entry
/// itself, whose answer says which (403 with the permission, 404, or the entry).
pub async fn find_entry(
    kind: &str,
    name: &str,
    dc: Option<&str>,
) -> Result<Option<serde_json::Value>, ApiError> {
    let path = format!("/v1/config/{}{}", encode(kind), in_dc(dc));
    let reply = send(Method::GET, &path, None).await?;
    let list: Vec<serde_json::Value> = decode::<Option<_>>(&reply)?.unwrap_or_default();
    let found = list
        .into_iter()
        // The mesh entry has no Name (it is always "mesh"): an entry without one is named after
        // its kind.
        .find(|e| {
            e.get("Name")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(kind)
                == name
        });
    if found.is_some() || !reply.filtered_by_acls {
        return found.map(|e| checked(kind, name, e)).transpose();
    }
    let path = format!("/v1/config/{}/{}{}", encode(kind), encode(name), in_dc(dc));
    match send(Method::GET, &path, None).await {
        Ok(reply) => Ok(Some(checked(kind, name, decode(&reply)?)?)),
        Err(ApiError::Http { status: 404, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_about_another_object_is_an_error() {
        let web = json!({"Kind": "service-resolver", "Name": "web"});
        assert!(checked("service-resolver", "web", web.clone()).is_ok());
        assert!(matches!(
            checked("service-resolver", "api", web.clone()),
            Err(ApiError::Mismatch { .. })
        ));
        assert!(checked("proxy-defaults", "web", web).is_err());
        assert!(checked("mesh", "mesh", json!({"Kind": "mesh"})).is_ok());
        assert!(checked("service-defaults", "x", json!({})).is_err());
    }
}

//! The `exported-services` config entry: which services of this cluster each peer may import.
//! The entry stays a JSON value and every change touches only the consumer it is about, so
//! `Meta`, consumers naming a `Partition` or `SamenessGroup`, and fields added by later Consul
//! versions survive a save.
use crate::model::consul::config_entry::{non_default, text, without_computed};
use serde_json::{json, Map, Value};

pub const KIND: &str = "exported-services";
/// Consul CE has exactly one entry, named `default` (Enterprise: one per partition).
pub const ENTRY_NAME: &str = "default";
/// Consul's reasons, used word for word when the console refuses before sending.
pub const WILDCARD_PEER: &str = "exporting to all peers (wildcard) is not supported";
pub const EMPTY_NAME: &str = "service name cannot be empty";
pub const NO_PEER: &str = "choose the peer to export to";

/// A service as the entry names it: the namespace only matters in Enterprise.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceKey {
    pub name: String,
    pub namespace: String,
}

impl ServiceKey {
    pub fn named(name: &str) -> Self {
        Self {
            name: name.trim().to_string(),
            namespace: String::new(),
        }
    }

    pub fn of(service: &Value) -> Self {
        Self {
            name: text(service, "Name"),
            namespace: non_default(text(service, "Namespace")),
        }
    }

    /// `api`, or `team/api` in an Enterprise namespace.
    pub fn label(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }

    /// `*`: every service of this cluster, including ones registered later.
    pub fn is_wildcard(&self) -> bool {
        self.name == "*"
    }
}

/// Who may import a service: one consumer of the entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Consumer {
    Peer(String),
    Partition(String),
    SamenessGroup(String),
    /// Nothing the console knows (a later Consul's field); kept as it is.
    Other,
}

impl Consumer {
    pub fn of(consumer: &Value) -> Self {
        let (peer, partition, group) = (
            text(consumer, "Peer"),
            text(consumer, "Partition"),
            text(consumer, "SamenessGroup"),
        );
        if !peer.is_empty() {
            Self::Peer(peer)
        } else if !partition.is_empty() {
            Self::Partition(partition)
        } else if !group.is_empty() {
            Self::SamenessGroup(group)
        } else {
            Self::Other
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::Peer(p) => format!("peer {p}"),
            Self::Partition(p) => format!("partition {p}"),
            Self::SamenessGroup(g) => format!("sameness group {g}"),
            Self::Other => "a consumer this console does not show".into(),
        }
    }
}

/// One change the operator asks for. Each becomes a read-modify-write of the whole entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportChange {
    Add { service: ServiceKey, peer: String },
    Remove { service: ServiceKey, peer: String },
}

impl ExportChange {
    pub fn add(service: &str, peer: &str) -> Self {
        Self::Add {
            service: ServiceKey::named(service),
            peer: peer.trim().to_string(),
        }
    }

    pub fn service(&self) -> &ServiceKey {
        match self {
            Self::Add { service, .. } | Self::Remove { service, .. } => service,
        }
    }

    pub fn peer(&self) -> &str {
        match self {
            Self::Add { peer, .. } | Self::Remove { peer, .. } => peer,
        }
    }

    /// "export api to dc2" / "stop exporting api to dc2".
    pub fn describe(&self) -> String {
        let (service, peer) = (self.service().label(), self.peer());
        match self {
            Self::Add { .. } => format!("export {service} to {peer}"),
            Self::Remove { .. } => format!("stop exporting {service} to {peer}"),
        }
    }

    /// Checks Consul would make anyway, done first so nothing doomed is sent.
    /// Texts are Consul's where Consul has one.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.service().name.is_empty() {
            problems.push(EMPTY_NAME.to_string());
        }
        let peer = self.peer();
        if peer.is_empty() {
            problems.push(NO_PEER.to_string());
        } else if peer.contains('*') {
            problems.push(WILDCARD_PEER.to_string());
        }
        problems
    }

    /// The entry to write: `base` (the entry as last read, `None` when there is none) with this
    /// change, stripped of computed fields.
    pub fn applied_to(&self, base: Option<&Value>) -> Value {
        let mut entry = match base {
            Some(value) if value.is_object() => without_computed(value),
            _ => json!({"Kind": KIND, "Name": ENTRY_NAME}),
        };
        let Some(obj) = entry.as_object_mut() else {
            return entry;
        };
        let list = obj
            .entry("Services")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !list.is_array() {
            *list = Value::Array(Vec::new());
        }
        if let Some(list) = list.as_array_mut() {
            match self {
                Self::Add { service, peer } => add_peer(list, service, peer),
                Self::Remove { service, peer } => remove_peer(list, service, peer),
            }
        }
        entry
    }
}

fn add_peer(list: &mut Vec<Value>, service: &ServiceKey, peer: &str) {
    let existing = list.iter_mut().find(|s| ServiceKey::of(s) == *service);
    let Some(block) = existing.and_then(Value::as_object_mut) else {
        let mut block = Map::new();
        block.insert("Name".into(), Value::String(service.name.clone()));
        if !service.namespace.is_empty() {
            block.insert("Namespace".into(), Value::String(service.namespace.clone()));
        }
        block.insert("Consumers".into(), json!([{ "Peer": peer }]));
        list.push(Value::Object(block));
        return;
    };
    let consumers = block
        .entry("Consumers")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !consumers.is_array() {
        *consumers = Value::Array(Vec::new());
    }
    if let Some(consumers) = consumers.as_array_mut() {
        let wanted = Consumer::Peer(peer.to_string());
        if !consumers.iter().any(|c| Consumer::of(c) == wanted) {
            consumers.push(json!({ "Peer": peer }));
        }
    }
}

/// Removes the peer from the service; a service left without consumers goes too, because
/// Consul refuses it (`must have at least one consumer`).
fn remove_peer(list: &mut Vec<Value>, service: &ServiceKey, peer: &str) {
    let gone = Consumer::Peer(peer.to_string());
    list.retain_mut(|block| {
        if ServiceKey::of(block) != *service {
            return true;
        }
        let Some(consumers) = block.get_mut("Consumers").and_then(Value::as_array_mut) else {
            return true;
        };
        let before = consumers.len();
        consumers.retain(|c| Consumer::of(c) != gone);
        !(consumers.is_empty() && before > 0)
    });
}

/// The service blocks of an entry (empty when absent or malformed).
pub fn services(entry: &Value) -> &[Value] {
    entry
        .get("Services")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn consumers(service: &Value) -> impl Iterator<Item = Consumer> + '_ {
    service
        .get("Consumers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(Consumer::of)
}

/// One exported service and who may import it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    pub service: ServiceKey,
    /// Peers, sorted.
    pub peers: Vec<String>,
    /// Partitions, sameness groups and unknown consumers, as labels: shown, kept, not edited here.
    pub others: Vec<String>,
}

/// The per-service view, sorted by service (the wildcard first).
pub fn rows(entry: Option<&Value>) -> Vec<ExportRow> {
    let mut out: Vec<ExportRow> = Vec::new();
    for block in entry.map(services).unwrap_or_default() {
        let key = ServiceKey::of(block);
        let position = out.iter().position(|r| r.service == key);
        let row = match position {
            Some(i) => &mut out[i],
            None => {
                out.push(ExportRow {
                    service: key,
                    peers: Vec::new(),
                    others: Vec::new(),
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        for consumer in consumers(block) {
            match consumer {
                Consumer::Peer(p) if !row.peers.contains(&p) => row.peers.push(p),
                Consumer::Peer(_) => {}
                other => row.others.push(other.label()),
            }
        }
    }
    for row in &mut out {
        row.peers.sort();
    }
    out.sort_by(|a, b| {
        (!a.service.is_wildcard(), &a.service).cmp(&(!b.service.is_wildcard(), &b.service))
    });
    out
}

/// The per-peer view: the services `peer` may import, in the order of [`rows`].
pub fn exported_to(entry: Option<&Value>, peer: &str) -> Vec<ServiceKey> {
    rows(entry)
        .into_iter()
        .filter(|r| r.peers.iter().any(|p| p == peer))
        .map(|r| r.service)
        .collect()
}

/// Every peer the entry names, sorted: the choices of the peer filter.
pub fn peers_named(entry: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = rows(entry).into_iter().flat_map(|r| r.peers).collect();
    out.sort();
    out.dedup();
    out
}

/// Rows whose service contains `service` and, when `peer` is set, that `peer` may import.
pub fn filter_rows(rows: &[ExportRow], service: &str, peer: &str) -> Vec<ExportRow> {
    let service = service.trim().to_lowercase();
    rows.iter()
        .filter(|r| service.is_empty() || r.service.label().to_lowercase().contains(&service))
        .filter(|r| peer.is_empty() || r.peers.iter().any(|p| p == peer))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Value {
        json!({
            "Kind": "exported-services",
            "Name": "default",
            "CreateIndex": 5,
            "ModifyIndex": 9,
            "Meta": {"owner": "team-a"},
            "FutureField": {"x": [1]},
            "Services": [
                {"Name": "web", "Namespace": "default", "Consumers": [
                    {"Peer": "dc2"}, {"Partition": "default"}, {"SamenessGroup": "east", "Later": true}]},
                {"Name": "api", "Consumers": [{"Peer": "dc3"}], "FutureServiceField": 1}
            ]
        })
    }

    fn remove(service: &str, peer: &str) -> ExportChange {
        ExportChange::Remove {
            service: ServiceKey::named(service),
            peer: peer.into(),
        }
    }

    #[test]
    fn adding_a_peer_touches_only_that_service() {
        let out = ExportChange::add("api", "dc2").applied_to(Some(&stored()));
        let mut expected = without_computed(&stored());
        expected["Services"][1]["Consumers"] = json!([{"Peer": "dc3"}, {"Peer": "dc2"}]);
        assert_eq!(out, expected);
        // Adding what is already there changes nothing.
        let again = ExportChange::add("web", "dc2").applied_to(Some(&stored()));
        assert_eq!(again, without_computed(&stored()));
    }

    #[test]
    fn adding_a_service_appends_a_block() {
        let out = ExportChange::add(" payments ", "dc2").applied_to(Some(&stored()));
        assert_eq!(services(&out).len(), 3);
        assert_eq!(
            out["Services"][2],
            json!({"Name": "payments", "Consumers": [{"Peer": "dc2"}]})
        );
        assert_eq!(out["Meta"], json!({"owner": "team-a"}));
        assert_eq!(out["FutureField"], json!({"x": [1]}));
    }

    #[test]
    fn the_first_export_creates_the_entry() {
        let out = ExportChange::add("*", "dc2").applied_to(None);
        assert_eq!(
            out,
            json!({"Kind": "exported-services", "Name": "default",
                   "Services": [{"Name": "*", "Consumers": [{"Peer": "dc2"}]}]})
        );
    }

    #[test]
    fn removing_keeps_other_consumers_and_unknown_fields() {
        let out = remove("web", "dc2").applied_to(Some(&stored()));
        assert_eq!(
            out["Services"][0]["Consumers"],
            json!([{"Partition": "default"}, {"SamenessGroup": "east", "Later": true}])
        );
        assert_eq!(out["Services"][0]["Namespace"], json!("default"));
        assert_eq!(out["Services"][1], stored()["Services"][1]);
        assert_eq!(out["Meta"], stored()["Meta"]);
        assert!(out.get("ModifyIndex").is_none() && out.get("CreateIndex").is_none());
    }

    #[test]
    fn removing_the_last_consumer_removes_the_service() {
        let out = remove("api", "dc3").applied_to(Some(&stored()));
        assert_eq!(services(&out).len(), 1);
        assert_eq!(ServiceKey::of(&services(&out)[0]), ServiceKey::named("web"));
        // The entry itself stays (with its Meta), even with no service left.
        let empty = remove("web", "dc2").applied_to(Some(
            &json!({"Kind": KIND, "Name": "default", "Meta": {"a": "b"},
                    "Services": [{"Name": "web", "Consumers": [{"Peer": "dc2"}]}]}),
        ));
        assert_eq!(
            empty,
            json!({"Kind": KIND, "Name": "default", "Meta": {"a": "b"}, "Services": []})
        );
        // Removing what is not there changes nothing.
        let same = remove("web", "dc9").applied_to(Some(&stored()));
        assert_eq!(same, without_computed(&stored()));
    }

    #[test]
    fn checks_refuse_what_consul_would() {
        assert_eq!(ExportChange::add("api", "*").check(), vec![WILDCARD_PEER]);
        assert_eq!(ExportChange::add("api", "dc*").check(), vec![WILDCARD_PEER]);
        assert_eq!(
            ExportChange::add("  ", " ").check(),
            vec![EMPTY_NAME, NO_PEER]
        );
        // Exporting every service to one peer is allowed.
        assert!(ExportChange::add("*", "dc2").check().is_empty());
        assert_eq!(
            ExportChange::add("api", "dc2").describe(),
            "export api to dc2"
        );
        assert_eq!(remove("api", "dc2").describe(), "stop exporting api to dc2");
    }

    #[test]
    fn per_service_and_per_peer_views() {
        let mut entry = stored();
        entry["Services"]
            .as_array_mut()
            .unwrap()
            .push(json!({"Name": "*", "Consumers": [{"Peer": "dc3"}, {"Peer": "dc2"}]}));
        let all = rows(Some(&entry));
        let names: Vec<_> = all.iter().map(|r| r.service.label()).collect();
        assert_eq!(names, vec!["*", "api", "web"]);
        assert_eq!(all[0].peers, vec!["dc2", "dc3"]);
        assert_eq!(
            all[2].others,
            vec!["partition default", "sameness group east"]
        );
        assert_eq!(
            exported_to(Some(&entry), "dc2"),
            vec![ServiceKey::named("*"), ServiceKey::named("web")]
        );
        assert_eq!(peers_named(Some(&entry)), vec!["dc2", "dc3"]);
        assert!(rows(None).is_empty());
        assert_eq!(filter_rows(&all, "AP", "").len(), 1);
        assert_eq!(filter_rows(&all, "", "dc3").len(), 2);
        assert_eq!(filter_rows(&all, "web", "dc3").len(), 0);
    }

    #[test]
    fn enterprise_namespaces_are_part_of_the_identity() {
        let block = json!({"Name": "api", "Namespace": "team", "Consumers": [{"Peer": "dc2"}]});
        let key = ServiceKey::of(&block);
        assert_eq!(key.label(), "team/api");
        assert_ne!(key, ServiceKey::named("api"));
        let entry = json!({"Kind": KIND, "Name": "default", "Services": [block]});
        let out = ExportChange::Add {
            service: key.clone(),
            peer: "dc3".into(),
        }
        .applied_to(Some(&entry));
        assert_eq!(services(&out).len(), 1);
        let out = ExportChange::Add {
            service: ServiceKey::named("api"),
            peer: "dc3".into(),
        }
        .applied_to(Some(&entry));
        assert_eq!(services(&out).len(), 2);
    }
}

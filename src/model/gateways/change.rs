//! The operator's edit of the two gateway settings for the check-and-set editor: the `mesh`
//! entry's `Peering.PeerThroughMeshGateways` and the global `proxy-defaults`' `MeshGateway.Mode`.
//! Only that one field changes; everything else in the entry (and what a later Consul adds) stays.
//!
//! Field names from Consul's `agent/structs/config_entry_mesh.go` (`PeeringMeshConfig`) and
//! `agent/structs/config_entry.go` (`ProxyConfigEntry`).
use super::traffic::{
    gateway_mode, peer_through_gateways, GatewayMode, FIELD_MODE, FIELD_PEER_THROUGH, MESH_KIND,
    MESH_NAME, PROXY_KIND, PROXY_NAME,
};
use crate::model::consul::config_entry::without_computed;
use crate::model::consul::texts::unwrap_consul_error;
use crate::model::entry_edit::{Clash, EntryChange};
use serde_json::{json, Map, Value};

/// The operator's change to one of the two settings; `None` leaves the stored value (the other
/// writer's, after a clash decided for theirs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayChange {
    PeerThrough(Option<bool>),
    Mode(Option<GatewayMode>),
}

/// A problem with a gateway setting, placed at its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayProblem {
    pub field: &'static str,
    pub message: String,
}

fn object(value: &mut Value, key: &str) -> Option<Map<String, Value>> {
    let taken = value.as_object_mut()?.remove(key);
    Some(match taken {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    })
}

impl GatewayChange {
    pub fn field(&self) -> &'static str {
        match self {
            Self::PeerThrough(_) => FIELD_PEER_THROUGH,
            Self::Mode(_) => FIELD_MODE,
        }
    }

    fn value_in(&self, entry: Option<&Value>) -> String {
        match self {
            Self::PeerThrough(_) => peer_through_gateways(entry).to_string(),
            Self::Mode(_) => match gateway_mode(entry) {
                Ok(m) => m.label().to_string(),
                Err(word) => word,
            },
        }
    }

    fn mine(&self) -> Option<String> {
        match self {
            Self::PeerThrough(v) => v.map(|v| v.to_string()),
            Self::Mode(m) => m.map(|m| m.label().to_string()),
        }
    }
}

impl EntryChange for GatewayChange {
    type Problem = GatewayProblem;

    fn kind(&self) -> &'static str {
        match self {
            Self::PeerThrough(_) => MESH_KIND,
            Self::Mode(_) => PROXY_KIND,
        }
    }

    fn entry_name(&self) -> String {
        match self {
            Self::PeerThrough(_) => MESH_NAME.into(),
            Self::Mode(_) => PROXY_NAME.into(),
        }
    }

    /// Only the one field changes; `Config`, `TransparentProxy`, `TLS`, `Meta` and anything a
    /// later Consul adds stay as they are.
    fn apply(&self, base: Option<&Value>) -> Option<Value> {
        let mut entry = base
            .map(without_computed)
            .unwrap_or_else(|| json!({"Kind": self.kind(), "Name": self.entry_name()}));
        // The mesh entry has no Name field: Consul refuses one ("invalid config key \"Name\"",
        // agent/structs/config_entry.go DecodeConfigEntry; MeshConfigEntry.GetName is fixed).
        if let (Self::PeerThrough(_), Some(obj)) = (self, entry.as_object_mut()) {
            obj.remove("Name");
        }
        match self {
            Self::PeerThrough(None) | Self::Mode(None) => {}
            Self::PeerThrough(Some(on)) => {
                let mut peering = object(&mut entry, "Peering").unwrap_or_default();
                peering.insert("PeerThroughMeshGateways".into(), json!(on));
                entry["Peering"] = Value::Object(peering);
            }
            Self::Mode(Some(mode)) => {
                let mut gateway = object(&mut entry, "MeshGateway").unwrap_or_default();
                if *mode == GatewayMode::Default {
                    gateway.remove("Mode");
                } else {
                    gateway.insert("Mode".into(), json!(mode.as_str()));
                }
                if !gateway.is_empty() {
                    entry["MeshGateway"] = Value::Object(gateway);
                }
            }
        }
        Some(entry)
    }

    fn describe(&self) -> String {
        match self {
            Self::PeerThrough(Some(true)) => {
                "send peering control-plane traffic through mesh gateways".into()
            }
            Self::PeerThrough(Some(false)) => {
                "send peering control-plane traffic straight to the servers".into()
            }
            Self::Mode(Some(m)) => format!("set the global mesh gateway mode to {}", m.label()),
            Self::PeerThrough(None) | Self::Mode(None) => "keep the other writer's value".into(),
        }
    }

    fn subject(&self) -> String {
        match self {
            Self::PeerThrough(_) => "the mesh entry",
            Self::Mode(_) => "the global proxy-defaults",
        }
        .into()
    }

    fn entry_label(&self) -> String {
        match self {
            Self::PeerThrough(_) => "the mesh entry",
            Self::Mode(_) => "the global proxy-defaults entry",
        }
        .into()
    }

    fn unchanged(&self) -> Option<String> {
        Some("That is already the setting.".into())
    }

    /// Consul's validation texts for these two kinds (`MeshConfigEntry.Validate`,
    /// `ProxyConfigEntry.Validate`, `validateConfigEntryMeta`): all about the entry, shown at the
    /// field the operator changed.
    fn place(&self, message: &str, _sent: &Value) -> Option<GatewayProblem> {
        let message = unwrap_consul_error(message);
        let known = [
            "invalid name",
            "Meta",
            "error in incoming TLS",
            "error in outgoing TLS",
            "Invalid Mesh Gateway Mode",
            "1 error occurred",
            "config entry is nil",
        ];
        known
            .iter()
            .any(|k| message.starts_with(k))
            .then(|| GatewayProblem {
                field: self.field(),
                message: message.to_string(),
            })
    }

    fn clashes(&self, seen: Option<&Value>, latest: Option<&Value>) -> Vec<Clash> {
        let Some(mine) = self.mine() else {
            return Vec::new();
        };
        let theirs = self.value_in(latest);
        if self.value_in(seen) != theirs && theirs != mine {
            vec![Clash {
                field: self.field().to_string(),
                theirs,
                mine,
            }]
        } else {
            Vec::new()
        }
    }

    fn yield_to_theirs(&self, fields: &[String]) -> Self {
        if !fields.iter().any(|f| f == self.field()) {
            return self.clone();
        }
        match self {
            Self::PeerThrough(_) => Self::PeerThrough(None),
            Self::Mode(_) => Self::Mode(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry_edit::{Proposal, Stage};

    fn mesh(index: u64, extra: Value) -> Value {
        let mut e = json!({"Kind": "mesh", "Name": "mesh", "ModifyIndex": index,
            "TLS": {"Incoming": {"TLSMinVersion": "TLSv1_2"}}, "Meta": {"owner": "net"},
            "Peering": {"PeerThroughMeshGateways": false, "FutureField": 1}});
        if let (Some(o), Some(x)) = (e.as_object_mut(), extra.as_object()) {
            o.extend(x.clone());
        }
        e
    }

    #[test]
    fn turning_peer_through_on_keeps_every_other_field() {
        let p = Proposal::new(
            GatewayChange::PeerThrough(Some(true)),
            Some(mesh(4, json!({}))),
        );
        assert_eq!(p.cas(), 4);
        let after = p.after().cloned().unwrap_or_default();
        assert_eq!(after["Peering"]["PeerThroughMeshGateways"], json!(true));
        assert_eq!(after["Peering"]["FutureField"], json!(1));
        assert_eq!(after["TLS"]["Incoming"]["TLSMinVersion"], json!("TLSv1_2"));
        assert_eq!(after["Meta"]["owner"], json!("net"));
        assert!(after.get("ModifyIndex").is_none());
        // No entry yet: created with Consul's name for it.
        let fresh = Proposal::new(GatewayChange::PeerThrough(Some(true)), None);
        assert_eq!(
            fresh.after(),
            Some(&json!({"Kind": "mesh", "Peering": {"PeerThroughMeshGateways": true}}))
        );
    }

    #[test]
    fn mode_change_keeps_config_and_unsetting_removes_only_the_mode() {
        let proxy = json!({"Kind": "proxy-defaults", "Name": "global", "ModifyIndex": 9,
            "Config": {"protocol": "http"}, "MeshGateway": {"Mode": "remote"}, "Expose": {"Checks": true}});
        let local = Proposal::new(
            GatewayChange::Mode(Some(GatewayMode::Local)),
            Some(proxy.clone()),
        );
        let after = local.after().cloned().unwrap_or_default();
        assert_eq!(after["MeshGateway"]["Mode"], json!("local"));
        assert_eq!(after["Config"]["protocol"], json!("http"));
        assert_eq!(after["Expose"]["Checks"], json!(true));
        let unset = Proposal::new(GatewayChange::Mode(Some(GatewayMode::Default)), Some(proxy));
        assert!(unset
            .after()
            .is_some_and(|a| a.get("MeshGateway").is_none()));
        let fresh = Proposal::new(GatewayChange::Mode(Some(GatewayMode::Local)), None);
        assert_eq!(
            fresh.after(),
            Some(
                &json!({"Kind": "proxy-defaults", "Name": "global", "MeshGateway": {"Mode": "local"}})
            )
        );
    }

    #[test]
    fn a_concurrent_change_of_the_same_setting_is_a_clash_and_theirs_can_win() {
        let Some(p) = Stage::review(
            GatewayChange::PeerThrough(Some(true)),
            Some(mesh(4, json!({}))),
        )
        .proposal()
        .cloned() else {
            panic!("reviewing")
        };
        // Someone turned it on and added Meta meanwhile: no clash (same value).
        let same = mesh(5, json!({"Peering": {"PeerThroughMeshGateways": true}}));
        assert!(Stage::lost_race(p.clone(), Some(same)).clashes().is_empty());
        // Someone changed only TLS: reapplied on top, their TLS kept.
        let tls = mesh(
            6,
            json!({"TLS": {"Incoming": {"TLSMinVersion": "TLSv1_3"}}}),
        );
        let Some(again) = Stage::lost_race(p.clone(), Some(tls))
            .reapply(&[])
            .proposal()
            .cloned()
        else {
            panic!("reviewing")
        };
        let after = again.after().cloned().unwrap_or_default();
        assert_eq!(
            (again.cas(), &after["TLS"]["Incoming"]["TLSMinVersion"]),
            (6, &json!("TLSv1_3"))
        );
        assert_eq!(after["Peering"]["PeerThroughMeshGateways"], json!(true));
        // Mode clash: theirs wins, nothing of mine is written.
        let proxy = |i: u64, m: &str| json!({"Kind": "proxy-defaults", "Name": "global", "ModifyIndex": i, "MeshGateway": {"Mode": m}});
        let Some(p) = Stage::review(
            GatewayChange::Mode(Some(GatewayMode::Local)),
            Some(proxy(1, "remote")),
        )
        .proposal()
        .cloned() else {
            panic!("reviewing")
        };
        let conflict = Stage::lost_race(p, Some(proxy(2, "none")));
        assert_eq!(conflict.clashes().len(), 1);
        assert_eq!(conflict.clashes()[0].field, FIELD_MODE);
        let Some(theirs) = conflict
            .reapply(&[FIELD_MODE.to_string()])
            .proposal()
            .cloned()
        else {
            panic!("reviewing")
        };
        assert!(theirs.is_noop());
    }

    #[test]
    fn consul_messages_land_at_the_changed_field() {
        let c = GatewayChange::Mode(Some(GatewayMode::Local));
        let placed = c.place(
            "invalid name (\"x\"), only \"global\" is supported",
            &json!({}),
        );
        assert_eq!(placed.map(|p| p.field), Some(FIELD_MODE));
        let c = GatewayChange::PeerThrough(Some(true));
        assert_eq!(
            c.place("error in incoming TLS configuration: x", &json!({}))
                .map(|p| p.field),
            Some(FIELD_PEER_THROUGH)
        );
        assert_eq!(c.place("Permission denied", &json!({})), None);
    }
}

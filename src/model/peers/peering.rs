//! The `Peering` object of `GET /v1/peerings` and `GET /v1/peering/:name` (Consul 1.14+ shape).
use serde::Deserialize;
use std::collections::BTreeMap;

/// A peering's state as Consul reports it (docs/consul/peering-api.md, "States").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeeringState {
    Pending,
    Establishing,
    Active,
    Failing,
    Deleting,
    Terminated,
    /// A state this console does not know (a newer Consul's, or `INITIAL` from the 1.13
    /// alphas), with Consul's own word for it.
    Undefined(StateWord),
}

/// Consul's word for a state, kept inline so states stay `Copy` (longer words are cut).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StateWord {
    bytes: [u8; 24],
    len: u8,
}

impl StateWord {
    fn new(text: &str) -> Self {
        let mut bytes = [0u8; 24];
        let mut len = 0;
        for c in text
            .chars()
            .filter(char::is_ascii_graphic)
            .take(bytes.len())
        {
            bytes[len] = c as u8;
            len += 1;
        }
        Self {
            bytes,
            len: len as u8,
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl PeeringState {
    /// Parses Consul's enum text; anything unknown (a newer Consul) is `Undefined`, never an error.
    pub fn from_consul(text: &str) -> Self {
        match text {
            "PENDING" => Self::Pending,
            "ESTABLISHING" => Self::Establishing,
            "ACTIVE" => Self::Active,
            "FAILING" => Self::Failing,
            "DELETING" => Self::Deleting,
            "TERMINATED" => Self::Terminated,
            other => Self::Undefined(StateWord::new(other)),
        }
    }

    /// The badge text: the official UI's word, or Consul's own word for a state this console
    /// does not know (never just "Unknown").
    pub fn badge(self) -> String {
        match self {
            Self::Undefined(word) if !word.as_str().is_empty() => word.as_str().to_string(),
            other => other.label().to_string(),
        }
    }

    /// The state's name in filters and sorting, as the official UI words it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Establishing => "Establishing",
            Self::Active => "Active",
            Self::Failing => "Failing",
            Self::Deleting => "Deleting",
            Self::Terminated => "Terminated",
            Self::Undefined(_) => "Unknown",
        }
    }

    /// What the state means, in plain words (tooltip and screen-reader text).
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Pending => "This peering connection has not been established yet: the other cluster has not used the token.",
            Self::Establishing => "This peering connection is in the process of being established.",
            Self::Active => "This peer connection is currently active.",
            Self::Failing => "This peering connection has errors (usually network related). Consul keeps retrying.",
            Self::Deleting => "This peer is in the process of being deleted.",
            Self::Terminated => "The other cluster deleted this peering. Delete it here too, or re-establish it with a new token.",
            Self::Undefined(_) => "Consul reported a state this console does not know: see Consul's documentation for what it means.",
        }
    }

    /// A CSS-friendly tone for the badge.
    pub fn tone(self) -> &'static str {
        match self {
            Self::Active => "ok",
            Self::Pending | Self::Establishing => "info",
            Self::Failing | Self::Terminated => "bad",
            Self::Deleting | Self::Undefined(_) => "muted",
        }
    }
}

impl<'de> Deserialize<'de> for PeeringState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        Ok(Self::from_consul(text.as_deref().unwrap_or("")))
    }
}

/// Stream health as the leader's tracker sees it. Consul sends `null` for empty lists and unset times.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StreamStatus {
    #[serde(rename = "ImportedServices", deserialize_with = "null_as_empty")]
    pub imported_services: Vec<String>,
    #[serde(rename = "ExportedServices", deserialize_with = "null_as_empty")]
    pub exported_services: Vec<String>,
    #[serde(rename = "LastHeartbeat")]
    pub last_heartbeat: Option<String>,
    #[serde(rename = "LastReceive")]
    pub last_receive: Option<String>,
    #[serde(rename = "LastSend")]
    pub last_send: Option<String>,
}

/// Where the other side of the peering lives.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Remote {
    #[serde(rename = "Partition")]
    pub partition: String,
    #[serde(rename = "Datacenter")]
    pub datacenter: String,
    #[serde(rename = "Locality", default)]
    pub locality: Option<Locality>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Locality {
    #[serde(rename = "Region")]
    pub region: String,
    #[serde(rename = "Zone")]
    pub zone: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Peering {
    #[serde(rename = "ID", default)]
    pub id: String,
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "State", default = "undefined_state")]
    pub state: PeeringState,
    #[serde(rename = "PeerID", default)]
    pub peer_id: Option<String>,
    #[serde(rename = "DeletedAt", default)]
    pub deleted_at: Option<String>,
    #[serde(rename = "Meta", default)]
    pub meta: BTreeMap<String, String>,
    #[serde(rename = "Partition", default)]
    pub partition: Option<String>,
    #[serde(rename = "PeerCAPems", default, deserialize_with = "null_as_empty")]
    pub peer_ca_pems: Vec<String>,
    #[serde(rename = "PeerServerName", default)]
    pub peer_server_name: Option<String>,
    #[serde(
        rename = "PeerServerAddresses",
        default,
        deserialize_with = "null_as_empty"
    )]
    pub peer_server_addresses: Vec<String>,
    /// `None` on Consul 1.13, which sent only the counts below.
    #[serde(rename = "StreamStatus", default)]
    pub stream_status: Option<StreamStatus>,
    #[serde(rename = "ImportedServiceCount", default)]
    pub imported_service_count: Option<usize>,
    #[serde(rename = "ExportedServiceCount", default)]
    pub exported_service_count: Option<usize>,
    #[serde(rename = "Remote", default)]
    pub remote: Remote,
    #[serde(rename = "CreateIndex", default)]
    pub create_index: u64,
    #[serde(rename = "ModifyIndex", default)]
    pub modify_index: u64,
}

impl Peering {
    /// Stream status, empty when Consul had none (1.13, or no tracker entry on the leader).
    pub fn stream(&self) -> StreamStatus {
        self.stream_status.clone().unwrap_or_default()
    }

    pub fn imported_count(&self) -> usize {
        match &self.stream_status {
            Some(s) => s.imported_services.len(),
            None => self.imported_service_count.unwrap_or(0),
        }
    }

    pub fn exported_count(&self) -> usize {
        match &self.stream_status {
            Some(s) => s.exported_services.len(),
            None => self.exported_service_count.unwrap_or(0),
        }
    }

    /// Only the side that generated the token (the acceptor) can regenerate it, and not once
    /// the peering is going away.
    pub fn can_regenerate(&self) -> bool {
        !self.is_dialer()
            && !matches!(
                self.state,
                PeeringState::Deleting | PeeringState::Terminated
            )
    }

    /// Anything but a peering already being deleted (TERMINATED ones too, unlike the official UI).
    pub fn can_delete(&self) -> bool {
        self.state != PeeringState::Deleting
    }

    /// What the state means for this side, naming the role plainly.
    pub fn role_description(&self) -> &'static str {
        if self.is_dialer() {
            "This cluster dialed the other one, using the token the other cluster generated."
        } else {
            "This cluster generated the peering token and accepts the connection from the other cluster."
        }
    }

    /// Only the dialer holds the acceptor's ID: a peering without `PeerID` was created here
    /// by generating a token and waits to be dialed.
    pub fn is_dialer(&self) -> bool {
        self.peer_id.as_deref().is_some_and(|id| !id.is_empty())
    }
}

/// The peering a new token for `name` would silently re-key: one this cluster generated a
/// token for that is still waiting to be dialed. Consul keeps the peering and rotates its
/// secret, so the token handed out before stops working (agent/rpc/peering/service.go
/// `GenerateToken`).
pub fn pending_token_for<'a>(peerings: &'a [Peering], name: &str) -> Option<&'a Peering> {
    peerings
        .iter()
        .find(|p| p.name == name && p.state == PeeringState::Pending && !p.is_dialer())
}

fn undefined_state() -> PeeringState {
    PeeringState::Undefined(StateWord::new(""))
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

/// Parses the body of `GET /v1/peerings`.
pub fn parse_peerings(body: &str) -> Result<Vec<Peering>, serde_json::Error> {
    // Consul answers `[]` when empty, but a proxy or older agent may say `null`.
    Ok(serde_json::from_str::<Option<Vec<Peering>>>(body)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCEPTOR: &str = r#"{"ID":"9e8a1b2c-0000-4000-8000-000000000001","Name":"dc2","State":"ACTIVE",
      "StreamStatus":{"ImportedServices":null,"ExportedServices":["api","web"],
      "LastHeartbeat":"2026-11-27T09:00:00Z","LastReceive":"2026-11-27T09:00:00Z","LastSend":null},
      "Remote":{"Partition":"default","Datacenter":"dc2"},"CreateIndex":12,"ModifyIndex":15}"#;

    #[test]
    fn parses_consul_peering() {
        let p: Peering = serde_json::from_str(ACCEPTOR).expect("valid fixture");
        assert_eq!(p.name, "dc2");
        assert_eq!(p.state, PeeringState::Active);
        assert!(p.stream().imported_services.is_empty());
        assert_eq!(p.stream().exported_services, vec!["api", "web"]);
        assert_eq!(p.stream().last_send, None);
        assert_eq!((p.imported_count(), p.exported_count()), (0, 2));
        assert_eq!(p.remote.datacenter, "dc2");
        assert!(!p.is_dialer());
    }

    #[test]
    fn parses_minimal_and_unknown_states() {
        let p: Peering =
            serde_json::from_str(r#"{"Name":"x","State":"SOMETHING_NEW"}"#).expect("minimal");
        assert!(matches!(p.state, PeeringState::Undefined(_)));
        assert_eq!(
            p.state.badge(),
            "SOMETHING_NEW",
            "Consul's own word, not 'Unknown'"
        );
        assert_eq!(p.state.label(), "Unknown");
        assert_eq!(p.stream(), StreamStatus::default());
        let initial: Peering =
            serde_json::from_str(r#"{"Name":"x","State":"INITIAL"}"#).expect("1.13 alpha");
        assert_eq!(initial.state.badge(), "INITIAL");
        let missing: Peering = serde_json::from_str(r#"{"Name":"x"}"#).expect("no state");
        assert_eq!(missing.state.badge(), "Unknown");
        let p: Peering = serde_json::from_str(r#"{"Name":"x","PeerID":"abc","State":"PENDING"}"#)
            .expect("dialer");
        assert!(p.is_dialer());
        assert_eq!(p.state, PeeringState::Pending);
    }

    #[test]
    fn actions_follow_role_and_state() {
        let acceptor: Peering =
            serde_json::from_str(r#"{"Name":"a","State":"ACTIVE"}"#).expect("fixture");
        assert!(acceptor.can_regenerate() && acceptor.can_delete());
        let dialer: Peering =
            serde_json::from_str(r#"{"Name":"d","State":"ACTIVE","PeerID":"x"}"#).expect("fixture");
        assert!(!dialer.can_regenerate());
        let terminated: Peering =
            serde_json::from_str(r#"{"Name":"t","State":"TERMINATED"}"#).expect("fixture");
        assert!(!terminated.can_regenerate() && terminated.can_delete());
        let deleting: Peering =
            serde_json::from_str(r#"{"Name":"x","State":"DELETING"}"#).expect("fixture");
        assert!(!deleting.can_delete());
    }

    #[test]
    fn renders_the_1_13_shape() {
        // Consul 1.13 sent counts and no StreamStatus/Remote.
        let p: Peering = serde_json::from_str(
            r#"{"ID":"x","Name":"old","State":"ACTIVE","ImportedServiceCount":3,"ExportedServiceCount":1,"CreateIndex":1,"ModifyIndex":2}"#,
        )
        .expect("1.13 shape");
        assert_eq!((p.imported_count(), p.exported_count()), (3, 1));
        assert_eq!(p.remote, Remote::default());
    }

    #[test]
    fn list_accepts_empty_and_null() {
        assert!(parse_peerings("[]").expect("empty").is_empty());
        assert!(parse_peerings("null").expect("null").is_empty());
        assert_eq!(
            parse_peerings(&format!("[{ACCEPTOR}]")).expect("one").len(),
            1
        );
        assert!(parse_peerings("<html>").is_err());
    }

    #[test]
    fn every_state_has_words() {
        for s in [
            "PENDING",
            "ESTABLISHING",
            "ACTIVE",
            "FAILING",
            "DELETING",
            "TERMINATED",
            "",
        ] {
            let st = PeeringState::from_consul(s);
            assert!(!st.label().is_empty() && !st.meaning().is_empty());
        }
    }

    #[test]
    fn a_pending_acceptor_is_what_a_new_token_would_rotate() {
        let list: Vec<Peering> = serde_json::from_str(
            r#"[{"Name":"dc2","State":"PENDING"},{"Name":"dc3","State":"PENDING","PeerID":"x"},
                {"Name":"dc4","State":"ACTIVE"}]"#,
        )
        .expect("list");
        assert!(pending_token_for(&list, "dc2").is_some());
        assert!(
            pending_token_for(&list, "dc3").is_none(),
            "a dialer holds no token of ours"
        );
        assert!(pending_token_for(&list, "dc4").is_none());
        assert!(pending_token_for(&list, "dc9").is_none());
    }
}

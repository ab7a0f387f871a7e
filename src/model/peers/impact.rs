//! What names a peer, gathered before it is deleted: intentions whose source is one of its
//! services, exported-services consumers, failover targets and redirects. Deleting the peering
//! changes none of them (Consul keeps config entries that name a missing peer); they stop
//! matching, exporting or resolving anything.
use crate::model::exports::entry::rows;
use crate::model::failover::resolver::{uses_of_peer, PeerUse};
use crate::model::intentions::edit::SourceKey;
use crate::model::intentions::rows::rows_from_peer;
use serde_json::Value;

/// One place that names the peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerReference {
    /// An intention on `destination` whose source is `source` of the peer.
    IntentionSource { destination: String, key: SourceKey },
    /// This cluster exports `service` to the peer.
    ExportConsumer { service: String },
    /// `service` fails over to the peer (`Failover[subset].Targets[position]`).
    FailoverTarget {
        service: String,
        subset: String,
        position: usize,
    },
    /// `service` is redirected to the peer.
    Redirect { service: String },
}

impl PeerReference {
    /// What breaks, in a sentence.
    pub fn describe(&self) -> String {
        match self {
            Self::IntentionSource { destination, key } => {
                format!(
                    "Intention {} → {destination}: stops matching anything",
                    key.label()
                )
            }
            Self::ExportConsumer { service } => {
                format!("Export of {service}: the consumer entry stays but reaches nobody")
            }
            Self::FailoverTarget {
                service,
                subset,
                position,
            } => {
                let which = if subset == "*" {
                    String::new()
                } else {
                    format!(" (subset {subset})")
                };
                format!(
                    "Failover of {service}{which}: target {} finds nothing",
                    position + 1
                )
            }
            Self::Redirect { service } => {
                format!("Redirect of {service}: every call to {service} fails")
            }
        }
    }
}

/// The references to `peer` in this cluster's entries: `intentions` (every
/// `service-intentions` entry), `exports` (the `exported-services` entry, if any) and
/// `resolvers` (every `service-resolver` entry).
pub fn references(
    peer: &str,
    intentions: &[Value],
    exports: Option<&Value>,
    resolvers: &[Value],
) -> Vec<PeerReference> {
    let mut out: Vec<PeerReference> = rows_from_peer(intentions, peer)
        .into_iter()
        .map(|r| PeerReference::IntentionSource {
            destination: r.destination,
            key: r.key,
        })
        .collect();
    out.extend(
        rows(exports)
            .into_iter()
            .filter(|r| r.peers.iter().any(|p| p == peer))
            .map(|r| PeerReference::ExportConsumer {
                service: r.service.label(),
            }),
    );
    out.extend(
        uses_of_peer(resolvers, peer)
            .into_iter()
            .map(|(service, used)| match used {
                PeerUse::Failover { subset, position } => PeerReference::FailoverTarget {
                    service,
                    subset,
                    position,
                },
                PeerUse::Redirect => PeerReference::Redirect { service },
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gathers_every_kind_that_names_the_peer_and_nothing_else() {
        let intentions = vec![
            json!({"Kind": "service-intentions", "Name": "api", "Sources": [
                {"Name": "web", "Peer": "dc2", "Action": "allow"},
                {"Name": "web", "Peer": "dc3", "Action": "allow"},
                {"Name": "billing", "Action": "deny"}
            ]}),
        ];
        let exports = json!({"Kind": "exported-services", "Name": "default", "Services": [
            {"Name": "web", "Consumers": [{"Peer": "dc2"}, {"Peer": "dc3"}]},
            {"Name": "db", "Consumers": [{"Peer": "dc3"}]}
        ]});
        let resolvers = vec![
            json!({"Kind": "service-resolver", "Name": "api", "Failover": {"*": {"Targets": [{"Peer": "dc3"}, {"Peer": "dc2"}]}}}),
            json!({"Kind": "service-resolver", "Name": "pay", "Redirect": {"Service": "pay", "Peer": "dc2"}}),
            json!({"Kind": "service-resolver", "Name": "db", "Redirect": {"Service": "db", "Peer": "dc3"}}),
        ];
        let found = references("dc2", &intentions, Some(&exports), &resolvers);
        assert_eq!(
            found,
            vec![
                PeerReference::IntentionSource {
                    destination: "api".into(),
                    key: SourceKey::peered("dc2", "web")
                },
                PeerReference::ExportConsumer {
                    service: "web".into()
                },
                PeerReference::FailoverTarget {
                    service: "api".into(),
                    subset: "*".into(),
                    position: 1
                },
                PeerReference::Redirect {
                    service: "pay".into()
                },
            ]
        );
        assert_eq!(
            found[0].describe(),
            "Intention web (peer dc2) → api: stops matching anything"
        );
        assert_eq!(
            found[2].describe(),
            "Failover of api: target 2 finds nothing"
        );
        assert!(references("dc9", &intentions, Some(&exports), &resolvers).is_empty());
        assert!(references("dc2", &[], None, &[]).is_empty());
    }
}

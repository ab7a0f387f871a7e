//! Places Consul's validation messages about an `exported-services` entry next to the service
//! they concern. Consul does not reorder the services before validating, so `Services[i]` and
//! `Consumers[j]` index the entry exactly as it was sent.
use crate::model::consul::texts::unwrap_consul_error;
use crate::model::exports::entry::{services, Consumer, ServiceKey};
use serde_json::Value;

/// A problem with an export, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportProblem {
    /// The service it is about; `None`: the entry as a whole (its name, its `Meta`).
    pub service: Option<ServiceKey>,
    /// Consul's text without the `Services[i].Consumers[j]:` prefix, which means nothing to the
    /// operator, and with the consumer named instead.
    pub message: String,
}

impl ExportProblem {
    pub fn about(service: &ServiceKey, message: impl Into<String>) -> Self {
        Self {
            service: Some(service.clone()),
            message: message.into(),
        }
    }
}

/// Forwarded through a client agent or a follower, the leader's text comes prefixed.
fn unwrap_forwarded(message: &str) -> &str {
    unwrap_consul_error(message)
}

/// Whether `message` (Consul's text, gRPC prefix removed) is a validation message about this kind.
pub fn is_validation(message: &str) -> bool {
    let message = unwrap_forwarded(message);
    ["Services[", "exported-services", "Meta", "1 error occurred"]
        .iter()
        .any(|k| message.starts_with(k))
}

/// Locates `message` in the entry that was sent.
pub fn locate(message: &str, sent: &Value) -> ExportProblem {
    let message = unwrap_forwarded(message);
    let Some((i, rest)) = index_after(message, "Services[") else {
        return ExportProblem {
            service: None,
            message: message.to_string(),
        };
    };
    let block = services(sent).get(i);
    let (consumer, rest) = match rest
        .strip_prefix('.')
        .and_then(|r| index_after(r, "Consumers["))
    {
        Some((j, rest)) => (
            block
                .and_then(|b| b.get("Consumers"))
                .and_then(Value::as_array)
                .and_then(|c| c.get(j))
                .map(Consumer::of),
            rest,
        ),
        None => (None, rest),
    };
    let text = rest.trim_start_matches(':').trim();
    let message = match consumer {
        Some(c) => format!("{}: {text}", c.label()),
        None => text.to_string(),
    };
    ExportProblem {
        service: block.map(ServiceKey::of),
        message,
    }
}

/// `Services[3]…` with `prefix = "Services["` → (3, `…`).
fn index_after<'a>(message: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = message.strip_prefix(prefix)?;
    let (number, rest) = rest.split_once(']')?;
    Some((number.parse().ok()?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sent() -> Value {
        json!({"Kind": "exported-services", "Name": "default", "Services": [
            {"Name": "web", "Consumers": [{"Peer": "dc2"}]},
            {"Name": "api", "Consumers": [{"Partition": "default"}, {"Peer": "*"}]},
            {"Name": "", "Consumers": [{"Peer": "dc2"}]}
        ]})
    }

    #[test]
    fn consumer_messages_name_the_service_and_the_consumer() {
        let p = locate(
            "Services[1].Consumers[1]: exporting to all peers (wildcard) is not supported",
            &sent(),
        );
        assert_eq!(p.service, Some(ServiceKey::named("api")));
        assert_eq!(
            p.message,
            "peer *: exporting to all peers (wildcard) is not supported"
        );
        let p = locate(
            "Services[1].Consumers[0]: must define at most one of Peer, Partition, or SamenessGroup",
            &sent(),
        );
        assert_eq!(
            p.message,
            "partition default: must define at most one of Peer, Partition, or SamenessGroup"
        );
    }

    #[test]
    fn service_messages_land_on_the_service() {
        let p = locate("Services[2]: service name cannot be empty", &sent());
        assert_eq!(p.service, Some(ServiceKey::named("")));
        assert_eq!(p.message, "service name cannot be empty");
        let p = locate("Services[0]: must have at least one consumer", &sent());
        assert_eq!(p.service, Some(ServiceKey::named("web")));
    }

    #[test]
    fn entry_messages_and_unknown_positions_stay_general() {
        let p = locate("exported-services Name must be \"default\"", &sent());
        assert_eq!(p.service, None);
        let p = locate("Services[9].Consumers[0]: whatever", &sent());
        assert_eq!((p.service, p.message.as_str()), (None, "whatever"));
        assert!(is_validation("Services[0]: service name cannot be empty"));
        assert!(is_validation(
            "1 error occurred:\n\t* Meta value for key \"k\" exceeds maximum length 512\n\n"
        ));
        assert!(!is_validation("Permission denied: token lacks mesh:write"));
        // Written through a follower: the leader's text behind the forwarding prefix.
        let forwarded = "rpc error making call: Services[0]: must have at least one consumer";
        assert!(is_validation(forwarded));
        assert_eq!(
            locate(forwarded, &sent()).service,
            Some(ServiceKey::named("web"))
        );
    }
}

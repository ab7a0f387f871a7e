//! Peering tokens: standard base64 of compact JSON, keys in Consul's order.

use base64::Engine;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub(crate) struct TokenRemote {
    #[serde(rename = "Partition", default)]
    pub(crate) partition: String,
    #[serde(rename = "Datacenter", default)]
    pub(crate) datacenter: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub(crate) struct PeeringToken {
    #[serde(rename = "CA", default)]
    pub(crate) ca: Option<Vec<String>>,
    #[serde(rename = "ManualServerAddresses", default)]
    pub(crate) manual_server_addresses: Option<Vec<String>>,
    #[serde(rename = "ServerAddresses", default)]
    pub(crate) server_addresses: Option<Vec<String>>,
    #[serde(rename = "ServerName", default)]
    pub(crate) server_name: String,
    #[serde(rename = "PeerID", default)]
    pub(crate) peer_id: String,
    #[serde(rename = "EstablishmentSecret", default)]
    pub(crate) establishment_secret: String,
    #[serde(rename = "Remote", default)]
    pub(crate) remote: TokenRemote,
}

impl PeeringToken {
    pub(crate) fn encode(&self) -> String {
        let raw = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::STANDARD.encode(raw)
    }

    /// Decodes like Consul's `DecodeToken` (base64, then JSON).
    pub(crate) fn decode(s: &str) -> Result<Self, String> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .map_err(|e| format!("illegal base64 data: {e}"))?;
        serde_json::from_slice(&raw).map_err(|e| format!("invalid character in token JSON: {e}"))
    }

    /// `validatePeeringToken` in Consul's peering service, in its order.
    pub(crate) fn validate(&self) -> Result<(), String> {
        for pem in self.ca.iter().flatten() {
            if !(pem.contains("-----BEGIN CERTIFICATE-----")
                && pem.contains("-----END CERTIFICATE-----"))
            {
                return Err("peering token invalid CA: no PEM-encoded data found".into());
            }
        }
        let manual = self.manual_server_addresses.clone().unwrap_or_default();
        let auto = self.server_addresses.clone().unwrap_or_default();
        if manual.is_empty() && auto.is_empty() {
            return Err("peering token server addresses value is empty".into());
        }
        for addr in manual.iter().chain(auto.iter()) {
            if !valid_address(addr) {
                return Err(format!("{addr} is not a valid peering server address"));
            }
        }
        if self.ca.as_ref().is_some_and(|c| !c.is_empty()) && self.server_name.is_empty() {
            return Err("peering token server name value is empty".into());
        }
        if self.peer_id.is_empty() {
            return Err("peering token peer ID value is empty".into());
        }
        Ok(())
    }
}

fn valid_address(addr: &str) -> bool {
    let Some((host, port)) = addr.rsplit_once(':') else {
        return false;
    };
    if host.is_empty() {
        return false;
    }
    matches!(port.parse::<u32>(), Ok(p) if (1..=65535).contains(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_key_order() {
        let t = PeeringToken {
            ca: Some(vec![
                "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n".into(),
            ]),
            manual_server_addresses: None,
            server_addresses: Some(vec!["127.0.0.1:8500".into()]),
            server_name: "server.dc1.peering.x.consul".into(),
            peer_id: "id".into(),
            establishment_secret: "s".into(),
            remote: TokenRemote {
                partition: "default".into(),
                datacenter: "dc1".into(),
            },
        };
        let enc = t.encode();
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&enc)
            .unwrap();
        let s = String::from_utf8(raw).unwrap();
        assert!(s.starts_with("{\"CA\":["));
        assert!(s.contains("\"ManualServerAddresses\":null,\"ServerAddresses\""));
        let back = PeeringToken::decode(&enc).unwrap();
        assert!(back.validate().is_ok());
    }

    #[test]
    fn validation_messages() {
        let mut t = PeeringToken::default();
        assert_eq!(
            t.validate().unwrap_err(),
            "peering token server addresses value is empty"
        );
        t.server_addresses = Some(vec!["nope".into()]);
        assert_eq!(
            t.validate().unwrap_err(),
            "nope is not a valid peering server address"
        );
        t.server_addresses = Some(vec!["1.2.3.4:8503".into()]);
        assert_eq!(
            t.validate().unwrap_err(),
            "peering token peer ID value is empty"
        );
    }
}

//! Peering tokens, decoded in the browser so the operator sees where a token points before
//! anything is sent (docs/consul/peering-api.md, "The peering token"). Checks follow Consul's order and wording.
use crate::model::peers::address::validate_server_address;
use base64::Engine;
use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct TokenRemote {
    #[serde(rename = "Partition")]
    pub partition: String,
    #[serde(rename = "Datacenter")]
    pub datacenter: String,
}

/// The JSON inside a peering token.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PeeringToken {
    #[serde(rename = "CA")]
    pub ca: Option<Vec<String>>,
    #[serde(rename = "ManualServerAddresses")]
    pub manual_server_addresses: Option<Vec<String>>,
    #[serde(rename = "ServerAddresses")]
    pub server_addresses: Option<Vec<String>>,
    #[serde(rename = "ServerName")]
    pub server_name: String,
    #[serde(rename = "PeerID")]
    pub peer_id: String,
    #[serde(rename = "EstablishmentSecret")]
    pub establishment_secret: String,
    #[serde(rename = "Remote")]
    pub remote: TokenRemote,
}

impl PeeringToken {
    /// The addresses the dialer will use: manual ones win, as in Consul.
    pub fn addresses(&self) -> Vec<String> {
        match &self.manual_server_addresses {
            Some(manual) if !manual.is_empty() => manual.clone(),
            _ => self.server_addresses.clone().unwrap_or_default(),
        }
    }

    pub fn has_ca(&self) -> bool {
        self.ca.as_ref().is_some_and(|ca| !ca.is_empty())
    }
}

/// Why a pasted token cannot be used, precisely.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    Empty,
    NotBase64,
    NotJson(String),
    InvalidCa,
    NoAddresses,
    BadAddress(String),
    NoServerName,
    NoPeerId,
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => write!(f, "Paste the peering token generated on the other cluster."),
            Self::NotBase64 => write!(f, "This is not a peering token: it is not base64. Copy the whole token again."),
            Self::NotJson(e) => write!(f, "This is not a peering token: it decodes, but not to a token ({e}). It may be cut off."),
            Self::InvalidCa => write!(f, "peering token invalid CA: a CA is not a PEM certificate"),
            Self::NoAddresses => write!(f, "peering token server addresses value is empty"),
            Self::BadAddress(a) => write!(f, "{a} is not a valid peering server address"),
            Self::NoServerName => write!(f, "peering token server name value is empty"),
            Self::NoPeerId => write!(f, "peering token peer ID value is empty"),
        }
    }
}

/// Decodes and validates a pasted token (whitespace and line breaks from copying are ignored).
pub fn decode_token(text: &str) -> Result<PeeringToken, TokenError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(TokenError::Empty);
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&compact))
        .map_err(|_| TokenError::NotBase64)?;
    let token: PeeringToken =
        serde_json::from_slice(&bytes).map_err(|e| TokenError::NotJson(e.to_string()))?;
    if let Some(cas) = &token.ca {
        if cas
            .iter()
            .any(|pem| !pem.trim_start().starts_with("-----BEGIN CERTIFICATE-----"))
        {
            return Err(TokenError::InvalidCa);
        }
    }
    let addresses = token.addresses();
    if addresses.is_empty() {
        return Err(TokenError::NoAddresses);
    }
    if let Some(bad) = addresses
        .iter()
        .find(|a| validate_server_address(a).is_err())
    {
        return Err(TokenError::BadAddress(bad.clone()));
    }
    if token.has_ca() && token.server_name.is_empty() {
        return Err(TokenError::NoServerName);
    }
    if token.peer_id.is_empty() {
        return Err(TokenError::NoPeerId);
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(json: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(json)
    }

    // Shape of a token minted by Consul 1.14+ (key order as Consul writes them).
    const GOOD: &str = r#"{"CA":["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"],"ManualServerAddresses":null,"ServerAddresses":["10.0.0.5:8503"],"ServerName":"server.dc1.peering.11111111-2222-3333-4444-555555555555.consul","PeerID":"9e8a1b2c-0000-4000-8000-000000000001","EstablishmentSecret":"5f0c1a2b-0000-4000-8000-000000000002","Remote":{"Partition":"default","Datacenter":"dc1"}}"#;

    #[test]
    fn decodes_a_consul_token() {
        let t = decode_token(&encode(GOOD)).expect("valid");
        assert_eq!(t.remote.datacenter, "dc1");
        assert_eq!(t.remote.partition, "default");
        assert_eq!(t.addresses(), vec!["10.0.0.5:8503"]);
        assert!(t.has_ca());
        // Copying often wraps lines.
        let wrapped: String = encode(GOOD)
            .chars()
            .collect::<Vec<_>>()
            .chunks(60)
            .map(|c| c.iter().collect::<String>() + "\n")
            .collect();
        assert_eq!(decode_token(&wrapped), Ok(t));
    }

    #[test]
    fn manual_addresses_win() {
        let json = GOOD.replace(
            r#""ManualServerAddresses":null"#,
            r#""ManualServerAddresses":["gw.example.com:443"]"#,
        );
        assert_eq!(
            decode_token(&encode(&json)).expect("valid").addresses(),
            vec!["gw.example.com:443"]
        );
    }

    #[test]
    fn refuses_with_precise_reasons() {
        assert_eq!(decode_token("  "), Err(TokenError::Empty));
        assert_eq!(decode_token("not a token!"), Err(TokenError::NotBase64));
        assert!(matches!(
            decode_token(&encode("hello")),
            Err(TokenError::NotJson(_))
        ));
        assert_eq!(
            decode_token(&encode(
                &GOOD.replace("-----BEGIN CERTIFICATE-----", "junk")
            )),
            Err(TokenError::InvalidCa)
        );
        assert_eq!(
            decode_token(&encode(&GOOD.replace(r#"["10.0.0.5:8503"]"#, "[]"))),
            Err(TokenError::NoAddresses)
        );
        assert_eq!(
            decode_token(&encode(&GOOD.replace("10.0.0.5:8503", "10.0.0.5"))),
            Err(TokenError::BadAddress("10.0.0.5".into()))
        );
        assert_eq!(
            decode_token(&encode(&GOOD.replace(
                "server.dc1.peering.11111111-2222-3333-4444-555555555555.consul",
                ""
            ))),
            Err(TokenError::NoServerName)
        );
        assert_eq!(
            decode_token(&encode(
                &GOOD.replace("9e8a1b2c-0000-4000-8000-000000000001", "")
            )),
            Err(TokenError::NoPeerId)
        );
        assert_eq!(
            TokenError::BadAddress("x".into()).to_string(),
            "x is not a valid peering server address"
        );
    }
}

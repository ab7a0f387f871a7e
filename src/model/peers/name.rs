//! Consul's peer name rule (`agent/rpc/peering/validate.go`, 1.14+): a lowercase RFC 1123 label.

/// Why a peer name is refused, in the operator's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerNameError {
    Empty,
    TooLong(usize),
    Uppercase,
    InvalidCharacter(char),
    BadEdge,
}

impl std::fmt::Display for PeerNameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => write!(f, "Enter a name for the peer."),
            Self::TooLong(n) => write!(f, "At most 63 characters ({n} typed)."),
            Self::Uppercase => write!(
                f,
                "Use lowercase letters only: Consul refuses uppercase peer names."
            ),
            Self::InvalidCharacter(c) => {
                write!(
                    f,
                    "\"{c}\" is not allowed: use lowercase letters, digits and '-'."
                )
            }
            Self::BadEdge => write!(f, "Start and end with a letter or digit, not '-'."),
        }
    }
}

/// Checks `name` exactly as `^[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?$` does (no regex in the bundle).
pub fn validate_peer_name(name: &str) -> Result<(), PeerNameError> {
    if name.is_empty() {
        return Err(PeerNameError::Empty);
    }
    if let Some(c) = name
        .chars()
        .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-'))
    {
        return Err(if c.is_ascii_uppercase() {
            PeerNameError::Uppercase
        } else {
            PeerNameError::InvalidCharacter(c)
        });
    }
    if name.len() > 63 {
        return Err(PeerNameError::TooLong(name.len()));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err(PeerNameError::BadEdge);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_consul_valid_names() {
        for ok in ["a", "dc2", "cluster-02", "0", &"a".repeat(63)] {
            assert_eq!(validate_peer_name(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_what_consul_refuses() {
        assert_eq!(validate_peer_name(""), Err(PeerNameError::Empty));
        assert_eq!(validate_peer_name("Foo"), Err(PeerNameError::Uppercase));
        assert_eq!(
            validate_peer_name("a_b"),
            Err(PeerNameError::InvalidCharacter('_'))
        );
        assert_eq!(
            validate_peer_name("a.b"),
            Err(PeerNameError::InvalidCharacter('.'))
        );
        assert_eq!(validate_peer_name("-a"), Err(PeerNameError::BadEdge));
        assert_eq!(validate_peer_name("a-"), Err(PeerNameError::BadEdge));
        assert_eq!(
            validate_peer_name(&"a".repeat(64)),
            Err(PeerNameError::TooLong(64))
        );
        assert_eq!(
            validate_peer_name("é"),
            Err(PeerNameError::InvalidCharacter('é'))
        );
    }
}

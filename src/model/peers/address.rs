//! `host:port` server addresses, checked as Consul checks a token's addresses.

/// Validates one `host:port` (port 1–65535; IPv6 hosts in brackets).
pub fn validate_server_address(addr: &str) -> Result<(), String> {
    let addr = addr.trim();
    let Some((host, port)) = addr.rsplit_once(':') else {
        return Err(format!(
            "\"{addr}\" needs a port: write host:port, e.g. 10.0.4.12:8503"
        ));
    };
    if host.is_empty() || host == "[]" {
        return Err(format!("\"{addr}\" has no host before the port"));
    }
    if host.contains(':') && !(host.starts_with('[') && host.ends_with(']')) {
        return Err(format!(
            "\"{addr}\": put an IPv6 address in brackets, e.g. [::1]:8503"
        ));
    }
    if host.chars().any(char::is_whitespace) {
        return Err(format!("\"{addr}\" contains a space"));
    }
    match port.parse::<u32>() {
        Ok(p) if (1..=65535).contains(&p) => Ok(()),
        _ => Err(format!(
            "\"{addr}\": the port must be a number from 1 to 65535"
        )),
    }
}

/// Splits a comma- or newline-separated list into trimmed, non-empty addresses.
pub fn split_addresses(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_host_port() {
        for ok in [
            "10.0.0.1:8503",
            "consul.example.com:443",
            "[::1]:8502",
            " gw:1 ",
        ] {
            assert_eq!(validate_server_address(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_bad_addresses() {
        for bad in [
            "10.0.0.1",
            ":8503",
            "host:0",
            "host:65536",
            "host:http",
            "::1:8502",
            "a b:1",
        ] {
            assert!(validate_server_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn splits_lists() {
        assert_eq!(
            split_addresses("a:1, b:2\n\n c:3,"),
            vec!["a:1", "b:2", "c:3"]
        );
        assert!(split_addresses("  ").is_empty());
    }
}

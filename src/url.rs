//! URL pieces shared by the API client and the console's routes: percent-encoding of one path
//! segment or query value, and a query string built from pairs. Pure, no web-sys.

/// Percent-encodes one path segment or query value (peer names are restricted, but config
/// entry names and search text are not).
pub fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xF)] as char);
            }
        }
    }
    out
}

/// `?a=1&b=2` from pairs, each value encoded; pairs whose value is `None` are left out, and no
/// pairs at all give an empty string.
pub fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        if let Some(value) = value {
            out.push(if out.is_empty() { '?' } else { '&' });
            out.push_str(key);
            out.push('=');
            out.push_str(&encode(value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_path_segments() {
        assert_eq!(encode("web"), "web");
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
        assert_eq!(encode("*"), "%2A");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn builds_queries_without_empty_pairs() {
        assert_eq!(query(&[]), "");
        assert_eq!(query(&[("a", None)]), "");
        assert_eq!(
            query(&[("peer", Some("dc 2")), ("x", None), ("cas", Some("7"))]),
            "?peer=dc%202&cas=7"
        );
    }
}

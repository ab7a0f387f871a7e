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

/// The text of one percent-encoded path segment (invalid escapes are kept as written, bytes
/// that are not UTF-8 become U+FFFD: a hand-typed URL never fails to read).
pub fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let digit = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let (b'%', Some(high), Some(low)) = (b, digit(i + 1), digit(i + 2)) {
            // Two hex digits make one byte (at most 0xFF).
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The pairs of a query string (with or without its `?`), decoded the way browsers read a form
/// (`+` is a space); a key without `=` has an empty value.
pub fn parse_query(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                decode(&key.replace('+', " ")),
                decode(&value.replace('+', " ")),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_encode_writes_and_keeps_stray_percents() {
        for text in ["web", "a b/c", "100%", "é ü 日本", "%zz", "+", ""] {
            assert_eq!(decode(&encode(text)), text);
        }
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%C3%A9"), "é");
        assert_eq!(decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn reads_query_pairs() {
        assert_eq!(
            parse_query("?q=a+b&state=&x&peer=dc%202"),
            vec![
                ("q".to_string(), "a b".to_string()),
                ("state".to_string(), String::new()),
                ("x".to_string(), String::new()),
                ("peer".to_string(), "dc 2".to_string()),
            ]
        );
        assert!(parse_query("").is_empty());
    }

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

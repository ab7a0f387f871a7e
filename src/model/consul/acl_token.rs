//! An ACL token as the operator pastes it: only what an HTTP header can carry is sent.
//! A token copied from a document can bring a non-breaking hyphen or a line break, which the
//! browser refuses to put in `X-Consul-Token` (the request would never leave).

/// The token to send, trimmed, or why it cannot be sent.
pub fn clean_token(raw: &str) -> Result<String, String> {
    let token = raw.trim();
    if token.is_empty() {
        return Err("Enter a token.".into());
    }
    match token.chars().find(|c| !c.is_ascii_graphic()) {
        None => Ok(token.to_string()),
        Some(c) => Err(format!(
            "The token contains {}, which an HTTP header cannot carry. Consul tokens are plain letters, digits and '-': copy it again from its source, or type it.",
            describe(c)
        )),
    }
}

fn describe(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\n' | '\r' => "a line break".into(),
        '\t' => "a tab".into(),
        '\u{2011}' => "a non-breaking hyphen (U+2011)".into(),
        '\u{00a0}' => "a non-breaking space (U+00A0)".into(),
        other => format!("the character {other:?} (U+{:04X})", u32::from(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_tokens_are_trimmed_and_kept() {
        assert_eq!(
            clean_token("  8f3c1a52-0000-4000-8000-000000000001\n"),
            Ok("8f3c1a52-0000-4000-8000-000000000001".into())
        );
    }

    #[test]
    fn characters_a_header_cannot_carry_are_named() {
        let hyphen = clean_token("8f3c1a52\u{2011}0000").unwrap_err();
        assert!(hyphen.contains("non-breaking hyphen"), "{hyphen}");
        assert!(clean_token("abc\ndef").unwrap_err().contains("line break"));
        assert!(clean_token("ab cd").unwrap_err().contains("a space"));
        assert!(clean_token("é").unwrap_err().contains("U+00E9"));
        assert_eq!(clean_token("   "), Err("Enter a token.".into()));
    }
}

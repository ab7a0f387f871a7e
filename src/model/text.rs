//! Names from Consul in text the console builds: a service or peer name may carry bidirectional
//! controls (U+202E reverses what follows it), so where a name must sit inside one string
//! (attributes, `aria-label`, `title`) it is wrapped in Unicode isolates. In visible text the
//! views use `<bdi>` instead, which adds no characters.

/// `name` between FIRST STRONG ISOLATE (U+2068) and POP DIRECTIONAL ISOLATE (U+2069): its
/// direction, and any override inside it, cannot reorder the text around it (Unicode UAX #9).
pub fn isolate(name: &str) -> String {
    format!("\u{2068}{name}\u{2069}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_sits_between_isolates() {
        assert_eq!(isolate("web"), "\u{2068}web\u{2069}");
        let tricky = "\u{202E}bew\u{202C}-api";
        let label = format!("Checks for {} and dc2", isolate(tricky));
        assert!(label.starts_with("Checks for \u{2068}\u{202E}bew\u{202C}-api\u{2069} and"));
    }
}

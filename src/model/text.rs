//! Names from Consul in text the console builds: a service or peer name may carry bidirectional
//! controls (U+202E reverses what follows it), so where a name must sit inside one string
//! (attributes, `aria-label`, `title`) it is wrapped in Unicode isolates. In visible text the
//! views use `<bdi>` instead, which adds no characters.

/// `name` between FIRST STRONG ISOLATE (U+2068) and POP DIRECTIONAL ISOLATE (U+2069): its
/// direction, and any override inside it, cannot reorder the text around it (Unicode UAX #9).
pub fn isolate(name: &str) -> String {
    format!("\u{2068}{name}\u{2069}")
}

/// `text` cut where any of `names` occurs, each piece marked `true` if it is a name: a view
/// shows those pieces in `<bdi>` (texts built by the model, such as a checklist line's title).
/// At one position the longest name wins; empty names are ignored.
pub fn name_pieces<'a>(text: &'a str, names: &[&str]) -> Vec<(&'a str, bool)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        let next = names
            .iter()
            .filter(|n| !n.is_empty())
            .filter_map(|n| rest.find(*n).map(|at| (at, n.len())))
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((at, len)) = next else { break };
        if at > 0 {
            pieces.push((&rest[..at], false));
        }
        pieces.push((&rest[at..at + len], true));
        rest = &rest[at + len..];
    }
    if !rest.is_empty() {
        pieces.push((rest, false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_out_of_a_text() {
        assert_eq!(
            name_pieces("web is exported to dc2", &["web", "dc2"]),
            [("web", true), (" is exported to ", false), ("dc2", true)]
        );
        // The longer name wins where two start together; an empty name matches nothing.
        assert_eq!(
            name_pieces("web-api calls web.", &["web", "web-api", ""]),
            [
                ("web-api", true),
                (" calls ", false),
                ("web", true),
                (".", false)
            ]
        );
        assert_eq!(name_pieces("no names", &["x"]), [("no names", false)]);
        assert_eq!(name_pieces("", &["x"]), []);
    }

    #[test]
    fn a_name_sits_between_isolates() {
        assert_eq!(isolate("web"), "\u{2068}web\u{2069}");
        let tricky = "\u{202E}bew\u{202C}-api";
        let label = format!("Checks for {} and dc2", isolate(tricky));
        assert!(label.starts_with("Checks for \u{2068}\u{202E}bew\u{202C}-api\u{2069} and"));
    }
}

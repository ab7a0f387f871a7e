//! Notes under the intention form's source field: whether the source it names exists yet. The
//! rule is saved either way; the note says when it will take effect.

/// For a source of a peer: `peerings` are this cluster's peering names and `imported` what it
/// imports from that peer (`None`: not known yet, so nothing is said).
pub fn import_note(
    peer: &str,
    name: &str,
    peerings: Option<&[String]>,
    imported: Option<&[String]>,
) -> Option<String> {
    let (p, n) = (peer.trim(), name.trim());
    if p.is_empty() || n.is_empty() || n == "*" || p.contains('*') {
        return None;
    }
    if peerings.is_some_and(|names| !names.iter().any(|x| x == p)) {
        return Some(format!(
            "This cluster has no peering named {p} (yet): the rule is saved, and takes effect once that peering exists and exports {n}."
        ));
    }
    match imported {
        Some(list) if !list.iter().any(|x| x == n) => Some(format!(
            "{n} is not (yet) imported from {p}: the rule is saved, and takes effect once {p} exports {n} to this cluster."
        )),
        _ => None,
    }
}

/// For a source of this cluster: `services` are its registered services.
pub fn local_note(peer: &str, name: &str, services: Option<&[String]>) -> Option<String> {
    let n = name.trim();
    if !peer.trim().is_empty() || n.is_empty() || n == "*" {
        return None;
    }
    match services {
        Some(list) if !list.iter().any(|x| x == n) => Some(format!(
            "No service named {n} is registered in this cluster (yet)."
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_peer_source_is_checked_against_peerings_then_imports() {
        let peerings = names(&["dc2"]);
        let imported = names(&["web"]);
        let note = |p, n| import_note(p, n, Some(&peerings), Some(&imported));
        assert!(note("dc3", "web").is_some_and(|t| t.contains("no peering named dc3")));
        assert!(
            note("dc2", "api").is_some_and(|t| t.contains("api is not (yet) imported from dc2"))
        );
        assert_eq!(note("dc2", "web"), None);
        assert_eq!(note("dc2", "*"), None);
        assert_eq!(note("", "web"), None);
        // Unknown yet: say nothing rather than guess.
        assert_eq!(import_note("dc2", "api", None, None), None);
    }

    #[test]
    fn a_local_source_is_checked_against_the_catalog() {
        let services = names(&["web"]);
        assert!(local_note("", "api", Some(&services)).is_some());
        assert_eq!(local_note("", "web", Some(&services)), None);
        assert_eq!(local_note("dc2", "api", Some(&services)), None);
        assert_eq!(local_note("", "api", None), None);
    }
}

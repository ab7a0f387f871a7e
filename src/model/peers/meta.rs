//! Peering Meta pairs, checked like Consul's node-meta rules before sending.

/// Validates key/value rows; blank rows are ignored. Returns the map or the first problem.
pub fn collect_meta(
    rows: &[(String, String)],
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in rows {
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() && value.is_empty() {
            continue;
        }
        if key.is_empty() {
            return Err(format!("The value \"{value}\" needs a key."));
        }
        if key.len() > 128 {
            return Err(format!("Meta key \"{key}\" is longer than 128 characters."));
        }
        if !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "Meta key \"{key}\" may only use letters, digits, '-' and '_'."
            ));
        }
        if key.starts_with("consul-") {
            return Err(format!(
                "Meta key \"{key}\" uses the reserved prefix \"consul-\"."
            ));
        }
        if value.len() > 512 {
            return Err(format!(
                "The value of \"{key}\" is longer than 512 characters."
            ));
        }
        if map.insert(key.to_string(), value.to_string()).is_some() {
            return Err(format!("Meta key \"{key}\" appears twice."));
        }
    }
    if map.len() > 64 {
        return Err("At most 64 meta pairs.".into());
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn collects_valid_pairs_and_skips_blank_rows() {
        let map =
            collect_meta(&rows(&[("env", "prod"), ("", ""), ("team_id", " 42 ")])).expect("valid");
        assert_eq!(map.len(), 2);
        assert_eq!(map["team_id"], "42");
    }

    #[test]
    fn refuses_bad_pairs() {
        assert!(collect_meta(&rows(&[("", "x")])).is_err());
        assert!(collect_meta(&rows(&[("bad key", "x")])).is_err());
        assert!(collect_meta(&rows(&[("consul-x", "x")])).is_err());
        assert!(collect_meta(&rows(&[("a", "1"), ("a", "2")])).is_err());
        assert!(collect_meta(&rows(&[("a", &"v".repeat(513))])).is_err());
    }
}

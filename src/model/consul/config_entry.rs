//! What every config entry kind shares when the console writes one back: the fields Consul
//! computes, the CAS guard, and reading text fields leniently.
use serde_json::Value;

/// Fields Consul computes on every write: sending them back is at best ignored.
const COMPUTED: &[&str] = &["CreateIndex", "ModifyIndex", "Hash"];

/// `ModifyIndex` of a stored entry: the CAS guard for the next write.
pub fn modify_index(entry: &Value) -> Option<u64> {
    entry.get("ModifyIndex").and_then(Value::as_u64)
}

/// The entry without the fields Consul computes; everything else is kept as it is.
pub fn without_computed(entry: &Value) -> Value {
    let mut out = entry.clone();
    if let Some(obj) = out.as_object_mut() {
        for key in COMPUTED {
            obj.remove(*key);
        }
    }
    out
}

/// A string field, empty when absent or not a string.
pub fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// CE normalizes absent namespace/partition to `default`; treat both spellings as one.
pub fn non_default(value: String) -> String {
    if value == "default" {
        String::new()
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn computed_fields_go_and_the_rest_stays() {
        let e = json!({"Kind": "k", "Name": "n", "CreateIndex": 1, "ModifyIndex": 7, "Hash": 3, "Meta": {"a": "b"}});
        assert_eq!(modify_index(&e), Some(7));
        assert_eq!(
            without_computed(&e),
            json!({"Kind": "k", "Name": "n", "Meta": {"a": "b"}})
        );
        assert_eq!(modify_index(&json!({})), None);
        assert_eq!(text(&e, "Name"), "n");
        assert_eq!(text(&e, "CreateIndex"), "");
        assert_eq!(non_default("default".into()), "");
        assert_eq!(non_default("team".into()), "team");
    }
}

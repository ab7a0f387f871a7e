//! What the rules of every config-entry kind share: reading a field as Go
//! reads a missing one (its zero value), the meta checks, and
//! go-multierror's text.

use serde_json::{Map, Value};

/// A string field, `""` when missing or not a string.
pub(crate) fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// A list field, empty when missing or not a list.
pub(crate) fn arr<'a>(v: &'a Value, k: &str) -> Vec<&'a Value> {
    v.get(k)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// An object field, if it is one.
pub(crate) fn obj<'a>(v: &'a Value, k: &str) -> Option<&'a Map<String, Value>> {
    v.get(k).and_then(Value::as_object)
}

/// Whether a partition names the default one (CE knows no other).
pub(crate) fn is_default(p: &str) -> bool {
    p.is_empty() || p == "default"
}

/// `validateConfigEntryMeta`: every problem, as a go-multierror.
pub(crate) fn validate_meta(meta: Option<&Value>) -> Result<(), String> {
    let Some(m) = meta.and_then(Value::as_object) else {
        return Ok(());
    };
    let mut errs = Vec::new();
    if m.len() > 64 {
        errs.push("Meta exceeds maximum element count 64".to_string());
    }
    for (k, v) in m {
        if k.len() > 128 {
            errs.push(format!("Meta key {k:?} exceeds maximum length 128"));
        }
        if v.as_str().unwrap_or("").len() > 512 {
            errs.push(format!(
                "Meta value for key {k:?} exceeds maximum length 512"
            ));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(multierror(&errs))
    }
}

/// hashicorp/go-multierror's default text.
pub(crate) fn multierror(errs: &[String]) -> String {
    let n = errs.len();
    let mut out = format!("{n} error{} occurred:\n", if n == 1 { "" } else { "s" });
    for e in errs {
        out.push_str(&format!("\t* {e}\n"));
    }
    out.push('\n');
    out
}

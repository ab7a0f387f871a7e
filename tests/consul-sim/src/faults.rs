//! Fault injection rules (`POST /_sim/faults`, `--fault`): what a rule says
//! and which request it matches. The middleware that applies them is in
//! `layers.rs`.

use axum::http::StatusCode;
use regex::Regex;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct FaultSpec {
    pub(crate) path: String,
    #[serde(default)]
    pub(crate) method: Option<String>,
    #[serde(default)]
    pub(crate) delay_ms: Option<u64>,
    #[serde(default)]
    pub(crate) status: Option<u16>,
    #[serde(default)]
    pub(crate) body: Option<String>,
    #[serde(default)]
    pub(crate) drop: bool,
    #[serde(default)]
    pub(crate) malformed_json: bool,
    #[serde(default)]
    times: Option<u32>,
    /// Run the real handler to completion (in its own task, so a client that
    /// gives up cannot cancel it), then hold the answer this many ms.
    #[serde(default)]
    pub(crate) hold_after_ms: Option<u64>,
    /// Make a matching `PUT /v1/config?cas=N` lose: another writer touches
    /// the entry just before the check-and-set.
    #[serde(default)]
    pub(crate) cas_race: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Fault {
    pub(crate) spec: FaultSpec,
    re: Regex,
    remaining: Option<u32>,
}

impl Fault {
    pub(crate) fn parse(json: &str) -> Result<Self, String> {
        let spec: FaultSpec = serde_json::from_str(json).map_err(|e| format!("bad fault: {e}"))?;
        Self::from_spec(spec)
    }
    fn from_spec(spec: FaultSpec) -> Result<Self, String> {
        let re = Regex::new(&spec.path).map_err(|e| format!("bad fault path regex: {e}"))?;
        if let Some(s) = spec.status {
            if StatusCode::from_u16(s).is_err() {
                return Err(format!("bad fault status {s}"));
            }
        }
        Ok(Fault {
            remaining: spec.times,
            spec,
            re,
        })
    }
}

/// Finds (and consumes one use of) the first rule matching this request.
pub(crate) fn take_match(
    faults: &mut Vec<Fault>,
    method: &str,
    path_and_query: &str,
) -> Option<FaultSpec> {
    let pos = faults.iter().position(|f| {
        f.re.is_match(path_and_query)
            && f.spec
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && f.remaining != Some(0)
    })?;
    let f = &mut faults[pos];
    let spec = f.spec.clone();
    if let Some(r) = f.remaining.as_mut() {
        *r = r.saturating_sub(1);
        if *r == 0 {
            faults.remove(pos);
        }
    }
    Some(spec)
}

//! Serving a UI directory like a Consul agent with `ui_config.dir`:
//! real files as they are, `index.html` rendered as a Go text/template for
//! the index and every unknown path under the content path.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::http_util::index_not_found;
use crate::state::Sim;

#[derive(Clone)]
pub(crate) struct Ui {
    pub(crate) dir: PathBuf,
    pub(crate) content_path: String,
}

/// Normalises a content path to a leading and trailing slash.
pub(crate) fn normalize_content_path(p: &str) -> String {
    let t = p.trim().trim_matches('/');
    if t.is_empty() {
        "/".to_string()
    } else {
        format!("/{t}/")
    }
}

/// The data map Consul passes to the index template
/// (`agent/uiserver/ui_template_data.go` `uiTemplateDataFromConfig`, the same
/// keys from v1.14.0 to main). `PrimaryDatacenter` is `--primary-datacenter`
/// in a secondary.
fn template_data(sim: &Sim, content_path: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("ContentPath".into(), json!(content_path));
    m.insert("ACLsEnabled".into(), json!(sim.cfg.acls_enabled()));
    m.insert("LocalDatacenter".into(), json!(sim.cfg.datacenter));
    m.insert(
        "UIConfig".into(),
        json!({
            "metrics_provider": "",
            "metrics_proxy_enabled": false,
            "dashboard_url_templates": {},
            "hcp_enabled": false
        }),
    );
    m.insert(
        "PrimaryDatacenter".into(),
        json!(sim.cfg.primary_datacenter()),
    );
    m.insert("HCPEnabled".into(), json!(false));
    m.insert("PeeringEnabled".into(), json!(sim.cfg.peering_enabled));
    m
}

/// Go's `fmt` rendering of a value inside `{{ .Key }}`.
fn go_print(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => "<nil>".into(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        Value::Object(o) => {
            let parts: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_print(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Renders the subset of Go text/template that Consul's index needs.
/// Returns `None` when the template cannot be rendered.
fn render(tpl: &str, data: &Map<String, Value>) -> Option<String> {
    let mut out = String::with_capacity(tpl.len() + 512);
    let mut rest = tpl;
    while let Some(start) = rest.find("{{") {
        let mut before = &rest[..start];
        let after = &rest[start + 2..];
        let end = after.find("}}")?;
        let mut inner = &after[..end];
        let mut tail = &after[end + 2..];
        // Trim markers: "{{- " and " -}}".
        if let Some(i) = inner.strip_prefix("- ") {
            inner = i;
            before = before.trim_end();
        }
        if let Some(i) = inner.strip_suffix(" -") {
            inner = i;
            tail = tail.trim_start();
        }
        out.push_str(before);
        let action = inner.trim();
        if action.starts_with("/*") {
            if !action.ends_with("*/") {
                return None;
            }
        } else if action == "jsonEncode ." {
            let v = Value::Object(data.clone());
            out.push_str(&serde_json::to_string_pretty(&v).ok()?);
        } else if let Some(key) = action.strip_prefix('.') {
            let v = data.get(key)?;
            out.push_str(&go_print(v));
        } else {
            return None;
        }
        rest = tail;
    }
    out.push_str(rest);
    Some(out)
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") | Some("htm") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") | Some("map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("ico") => "image/vnd.microsoft.icon",
        Some("webp") => "image/webp",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("ttf") => "font/ttf",
        Some("txt") => "text/plain; charset=utf-8",
        Some("xml") => "text/xml; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn with_type(body: Vec<u8>, ctype: &'static str) -> Response {
    let mut resp = Response::new(Body::from(body));
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    resp
}

/// Resolves a request path below the content path to a file, refusing `..`.
fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = dir.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(s) => p.push(s),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(p)
}

async fn render_index(sim: &Sim, ui: &Ui) -> Response {
    let index = ui.dir.join("index.html");
    let Ok(raw) = tokio::fs::read_to_string(&index).await else {
        return (StatusCode::NOT_FOUND, "404 page not found\n").into_response();
    };
    match render(&raw, &template_data(sim, &ui.content_path)) {
        Some(html) => with_type(html.into_bytes(), "text/html; charset=utf-8"),
        None => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "UI server is misconfigured.",
        )
            .into_response(),
    }
}

/// Handles every non-API path: `/` redirects to the content path, paths
/// under it are files or the rendered index.
pub(crate) async fn handle(State((sim, ui)): State<(Arc<Sim>, Option<Ui>)>, uri: Uri) -> Response {
    let path = uri.path();
    let Some(ui) = ui else {
        if path == "/" {
            return redirect("/ui/");
        }
        return index_not_found(path);
    };
    if path == "/" && ui.content_path != "/" {
        return redirect(&ui.content_path);
    }
    if format!("{path}/") == ui.content_path {
        return redirect(&ui.content_path);
    }
    let Some(rel) = path.strip_prefix(ui.content_path.as_str()) else {
        return index_not_found(path);
    };
    let rel = percent_decode(rel);
    if rel.is_empty() || rel == "index.html" {
        return render_index(&sim, &ui).await;
    }
    if let Some(file) = safe_join(&ui.dir, &rel) {
        if let Ok(meta) = tokio::fs::metadata(&file).await {
            if meta.is_file() {
                if let Ok(bytes) = tokio::fs::read(&file).await {
                    return with_type(bytes, content_type(&file));
                }
            }
        }
    }
    render_index(&sim, &ui).await
}

fn redirect(to: &str) -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("ContentPath".into(), json!("/ui/"));
        m.insert("ACLsEnabled".into(), json!(false));
        m
    }

    #[test]
    fn renders_supported_actions() {
        let d = data();
        assert_eq!(render("a{{ .ContentPath }}b", &d).unwrap(), "a/ui/b");
        assert_eq!(render("{{.ACLsEnabled}}", &d).unwrap(), "false");
        assert_eq!(render("x{{/* c */}}y", &d).unwrap(), "xy");
        let j = render("{{ jsonEncode . }}", &d).unwrap();
        assert!(j.contains("\"ContentPath\": \"/ui/\""));
    }

    #[test]
    fn refuses_unknown_actions() {
        let d = data();
        assert!(render("{{ jsonEncode .ContentPath }}", &d).is_none());
        assert!(render("{{ .Nope }}", &d).is_none());
        assert!(render("{{ if x }}", &d).is_none());
        assert!(render("{{ open", &d).is_none());
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%zz%"), "%zz%");
        assert_eq!(percent_decode("%2"), "%2");
    }

    #[test]
    fn content_paths() {
        assert_eq!(normalize_content_path("ui"), "/ui/");
        assert_eq!(normalize_content_path("/consul/ui"), "/consul/ui/");
        assert_eq!(normalize_content_path("/"), "/");
    }
}

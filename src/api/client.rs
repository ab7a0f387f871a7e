//! The one place that performs HTTP: same-origin requests to `/v1/...` with the ACL token attached.
use super::error::ApiError;
use super::token_store;
use crate::model::consul::acl_token::clean_token;
use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;

/// A successful answer with the headers the console uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    /// The server's clock (`Date`), so ages are measured against Consul, not the browser.
    pub server_date: Option<String>,
    /// `X-Consul-Index`, for CAS and blocking reads.
    pub index: Option<u64>,
    /// `X-Consul-Results-Filtered-By-ACLs: true`: the list hides entries this token may not read.
    pub filtered_by_acls: bool,
    /// `X-Consul-Default-ACL-Policy` (`allow`/`deny`): what happens when no intention matches.
    pub default_acl_policy: Option<String>,
}

/// How long the console waits for Consul before it says so (reads are not blocking queries).
pub const TIMEOUT_SECONDS: u32 = 10;

/// Sends a request with the stored token and turns any non-2xx status into [`ApiError::Http`].
pub async fn send(method: Method, path: &str, body: Option<String>) -> Result<Reply, ApiError> {
    send_with_token(method, path, body, token_store::current().as_deref()).await
}

/// Sends a request with an explicit token (or none): used to check a token before storing it.
pub async fn send_with_token(
    method: Method,
    path: &str,
    body: Option<String>,
    token: Option<&str>,
) -> Result<Reply, ApiError> {
    // No endpoint the console calls redirects: a redirect means the path was rewritten on the
    // way (Go's pre-1.22 `ServeMux` cleans the decoded path and answers 301, Consul 1.14–1.19)
    // or a proxy wants a login. `fetch` would follow it with the token; `manual` stops and gives
    // an `opaqueredirect` answer we can recognise (`error` would be an unclassifiable TypeError).
    let mut builder = RequestBuilder::new(path)
        .method(method)
        .redirect(web_sys::RequestRedirect::Manual);
    // The token travels only in this header, to this origin: never in a URL, never logged.
    // One a header cannot carry would make the browser throw inside the wasm: refuse it here.
    if let Some(token) = token {
        let token = clean_token(token).map_err(ApiError::Transport)?;
        builder = builder.header("X-Consul-Token", &token);
    }
    let controller = web_sys::AbortController::new().ok();
    builder = builder.abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let _timer = controller.map(|controller| {
        let timed_out = timed_out.clone();
        gloo_timers::callback::Timeout::new(TIMEOUT_SECONDS * 1000, move || {
            timed_out.set(true);
            controller.abort();
        })
    });
    let request = match body {
        Some(text) => builder
            .header("Content-Type", "application/json")
            .body(text)
            .map_err(|e| ApiError::Transport(e.to_string()))?,
        None => builder
            .build()
            .map_err(|e| ApiError::Transport(e.to_string()))?,
    };
    let failed = |e: gloo_net::Error, what: &str| {
        if timed_out.get() {
            ApiError::Timeout {
                seconds: TIMEOUT_SECONDS,
            }
        } else {
            ApiError::Transport(format!("{what} ({e})"))
        }
    };
    let response = request
        .send()
        .await
        .map_err(|e| failed(e, "the request failed"))?;
    if response.type_() == web_sys::ResponseType::Opaqueredirect || response.redirected() {
        return Err(ApiError::Redirected);
    }
    let status = response.status();
    let headers = response.headers();
    let text = response
        .text()
        .await
        .map_err(|e| failed(e, "the answer was cut off"))?;
    reply(status, |name| headers.get(name), text)
}

/// A complete answer as the console sees it: any non-2xx status is [`ApiError::Http`], and a
/// success keeps the headers the views use. One place for both a request of ours and the
/// loader's early answer, so both classify alike.
fn reply(
    status: u16,
    header: impl Fn(&str) -> Option<String>,
    text: String,
) -> Result<Reply, ApiError> {
    if (300..400).contains(&status) {
        return Err(ApiError::Redirected);
    }
    if !(200..300).contains(&status) {
        return Err(ApiError::Http { status, body: text });
    }
    Ok(Reply {
        status,
        body: text,
        server_date: header("date"),
        index: header("x-consul-index").and_then(|v| v.parse().ok()),
        filtered_by_acls: header("x-consul-results-filtered-by-acls").as_deref() == Some("true"),
        default_acl_policy: header("x-consul-default-acl-policy"),
    })
}

/// The answer `public/loader.js` already asked for while the wasm was downloading (the peers
/// page's `/v1/peerings`), taken once: the first caller gets it when it asks for the same `path`
/// with the same token while still on the page it was asked for; any later call, or a request
/// that failed on the way, asks Consul itself (`None`). A timeout is the app's own timeout.
pub async fn take_prefetched(path: &str) -> Option<Result<Reply, ApiError>> {
    use wasm_bindgen::JsCast;
    const KEY: &str = "__peeringConsolePrefetch";
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str(KEY);
    let entry = js_sys::Reflect::get(&window, &key).ok()?;
    if entry.is_undefined() || entry.is_null() {
        return None;
    }
    // Taken once, whatever happens next.
    let _ = js_sys::Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &key);
    let field = |value: &wasm_bindgen::JsValue, name: &str| {
        js_sys::Reflect::get(value, &wasm_bindgen::JsValue::from_str(name)).ok()
    };
    if field(&entry, "path")?.as_string().as_deref() != Some(path)
        || field(&entry, "token")?
            .as_string()
            .filter(|t| !t.is_empty())
            != token_store::current()
        || !crate::browser::on_peers_page()
    {
        return None;
    }
    let answer = field(&entry, "answer")?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let answer = wasm_bindgen_futures::JsFuture::from(answer).await.ok()?;
    if field(&answer, "timedOut")?.as_bool() == Some(true) {
        return Some(Err(ApiError::Timeout {
            seconds: TIMEOUT_SECONDS,
        }));
    }
    let status = field(&answer, "status")?.as_f64()?;
    let headers = field(&answer, "headers")?
        .dyn_into::<web_sys::Headers>()
        .ok()?;
    let body = field(&answer, "body")?.as_string()?;
    Some(reply(
        status as u16,
        |name| headers.get(name).ok().flatten(),
        body,
    ))
}

/// Decodes a successful reply's JSON body.
pub fn decode<T: DeserializeOwned>(reply: &Reply) -> Result<T, ApiError> {
    serde_json::from_str(&reply.body).map_err(|e| ApiError::Malformed {
        status: reply.status,
        detail: format!("expected JSON from Consul: {e}"),
    })
}

pub use crate::url::encode;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_malformed_json() {
        let reply = Reply {
            status: 200,
            body: "{oops".into(),
            ..Reply::default()
        };
        let err = decode::<serde_json::Value>(&reply).expect_err("malformed");
        assert!(matches!(err, ApiError::Malformed { status: 200, .. }));
    }

    #[test]
    fn a_redirect_is_never_an_answer() {
        for status in [301, 302, 307, 308] {
            let answer = reply(
                status,
                |_| None,
                "<a href=\"/v1/acl/tokens\">Moved</a>".into(),
            );
            assert_eq!(answer, Err(ApiError::Redirected), "{status}");
        }
        assert!(reply(200, |_| None, "{}".into()).is_ok());
    }
}

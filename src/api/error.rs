//! One error type for every call, classified from Consul's text rather than its status alone:
//! some Consul versions answer 500 where others answer 403 for the same failure.
use crate::model::consul::texts::{is_anonymous_denial, unwrap_consul_error};

/// What went wrong with a request, as observed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No HTTP answer at all: connection refused, dropped, offline.
    Transport(String),
    /// Consul did not answer within the console's time limit.
    Timeout { seconds: u32 },
    /// Consul (or a proxy) answered with a non-success status; `body` is its plain-text message.
    Http { status: u16, body: String },
    /// A success status whose body was not the JSON we expect.
    Malformed { status: u16, detail: String },
    /// The answer was a redirect. No endpoint the console calls redirects, so the path was
    /// rewritten on the way (Go's pre-1.22 `ServeMux` answers 301 to a cleaned path, Consul
    /// 1.14–1.19) or a proxy wants a login; the console does not follow it (`client::send`).
    Redirected,
    /// A read answered for another object than the one asked for (`asked`, `answered`).
    Mismatch { asked: String, answered: String },
}

/// What the operator needs to know, derived from an [`ApiError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The token lacks a named permission (`permission` like `peering:write`).
    PermissionDenied {
        permission: Option<String>,
        anonymous: bool,
    },
    /// The token's secret is unknown to Consul (deleted or mistyped).
    AclNotFound,
    /// ACLs are off on this cluster.
    AclDisabled,
    /// The establishment secret in the peering token was used or superseded.
    TokenSuperseded,
    /// The agent runs with `peering { enabled = false }`.
    PeeringDisabled,
    NotFound,
    MethodNotAllowed,
    RateLimited,
    BadRequest,
    Unauthorized,
    Server,
    Transport,
    Timeout,
    Malformed,
    Redirected,
    Mismatch,
}

impl ApiError {
    /// Whether signing in (again) with another token could fix this.
    pub fn wants_sign_in(&self) -> bool {
        matches!(
            self.problem(),
            Problem::PermissionDenied { .. } | Problem::AclNotFound | Problem::Unauthorized
        )
    }

    /// The resource a denied permission is about, when Consul named one (`api` in
    /// `lacks permission 'intention:write' on "api"`).
    pub fn denied_subject(&self) -> Option<String> {
        match self {
            Self::Http { body, .. } => denied_subject(body),
            _ => None,
        }
    }

    /// The permission Consul named, when it named one (`peering:write`).
    pub fn missing_permission(&self) -> Option<String> {
        match self.problem() {
            Problem::PermissionDenied { permission, .. } => permission,
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Transport(_)
            | Self::Timeout { .. }
            | Self::Redirected
            | Self::Mismatch { .. } => None,
            Self::Http { status, .. } | Self::Malformed { status, .. } => Some(*status),
        }
    }

    /// Consul's own message without the gRPC wrapper (`rpc error: code = X desc = `).
    pub fn consul_message(&self) -> String {
        match self {
            Self::Transport(detail) => detail.clone(),
            Self::Timeout { seconds } => format!("no answer within {seconds} s"),
            Self::Malformed { detail, .. } => detail.clone(),
            Self::Redirected => {
                "the answer was a redirect, which the console does not follow".into()
            }
            Self::Mismatch { asked, answered } => {
                format!("asked for {asked:?}, Consul answered with {answered:?}")
            }
            Self::Http { body, .. } => unwrap_consul_error(body).to_string(),
        }
    }

    pub fn problem(&self) -> Problem {
        let (status, body) = match self {
            Self::Transport(_) => return Problem::Transport,
            Self::Timeout { .. } => return Problem::Timeout,
            Self::Malformed { .. } => return Problem::Malformed,
            Self::Redirected => return Problem::Redirected,
            Self::Mismatch { .. } => return Problem::Mismatch,
            Self::Http { status, body } => (*status, unwrap_consul_error(body)),
        };
        if body.contains("a new peering token must be generated") {
            return Problem::TokenSuperseded;
        }
        if body.contains("peering must be enabled") || body.contains("peering is disabled") {
            return Problem::PeeringDisabled;
        }
        if body.contains("ACL support disabled") {
            return Problem::AclDisabled;
        }
        if body.contains("ACL not found") {
            return Problem::AclNotFound;
        }
        if body.contains("Permission denied") {
            return Problem::PermissionDenied {
                permission: missing_permission(body),
                anonymous: is_anonymous_denial(body),
            };
        }
        match status {
            400 => Problem::BadRequest,
            401 => Problem::Unauthorized,
            403 => Problem::PermissionDenied {
                permission: None,
                anonymous: false,
            },
            404 => Problem::NotFound,
            405 => Problem::MethodNotAllowed,
            429 => Problem::RateLimited,
            _ => Problem::Server,
        }
    }

    /// A short headline for an error view.
    pub fn title(&self) -> String {
        match self.problem() {
            Problem::PermissionDenied {
                anonymous: true,
                permission,
            } => match permission {
                Some(p) => format!("Sign in with an ACL token: anonymous access lacks {p}"),
                None => "Sign in with an ACL token".into(),
            },
            Problem::PermissionDenied {
                permission: Some(p),
                ..
            } => format!("Your token lacks {p}"),
            Problem::PermissionDenied { .. } => "Permission denied".into(),
            Problem::AclNotFound => "Consul does not know this ACL token".into(),
            Problem::AclDisabled => "ACLs are disabled on this cluster".into(),
            Problem::TokenSuperseded => "This peering token was already used or replaced".into(),
            Problem::PeeringDisabled => "Cluster peering is disabled on this agent".into(),
            Problem::NotFound => "Not found".into(),
            Problem::MethodNotAllowed => "Consul refused this request method".into(),
            Problem::RateLimited => "Consul is rate-limiting requests".into(),
            Problem::BadRequest => "Consul refused the request".into(),
            Problem::Unauthorized => "Consul asked for authentication".into(),
            Problem::Server => "Consul reported an error".into(),
            Problem::Transport => "Cannot reach Consul".into(),
            Problem::Timeout => "Consul did not answer in time".into(),
            Problem::Malformed => "Consul's answer could not be read".into(),
            Problem::Redirected => "The request was redirected, so the console stopped".into(),
            Problem::Mismatch => {
                "Consul answered about another object than the one asked for".into()
            }
        }
    }

    /// What to do about it.
    pub fn advice(&self) -> &'static str {
        match self.problem() {
            Problem::PermissionDenied { anonymous: true, .. } => {
                "The request was made without a token, so Consul used the anonymous token. Sign in with a token that has this permission."
            }
            Problem::PermissionDenied { .. } => {
                "Ask your Consul operator for a token whose policy grants this permission, then sign in with it and retry."
            }
            Problem::AclNotFound => "The token was deleted or mistyped. Sign in again with a valid token.",
            Problem::AclDisabled => "No token is needed on this cluster.",
            Problem::TokenSuperseded => {
                "Each token works once, and generating a new one invalidates older ones. Ask the other cluster for a new token."
            }
            Problem::PeeringDisabled => {
                "Enable it in the agent configuration of every server (peering { enabled = true }) and restart them."
            }
            Problem::NotFound => "It may have been deleted, or the name is mistyped.",
            Problem::MethodNotAllowed => "This Consul version may not support this action.",
            Problem::RateLimited => "Wait a moment and retry.",
            Problem::BadRequest => "Check the values you entered and retry.",
            Problem::Unauthorized => "Sign in with an ACL token and retry.",
            Problem::Server => "Retry; if it persists, check the Consul servers' logs.",
            Problem::Transport => {
                "The agent did not answer: check that it runs and that this page is served by it or by a proxy that forwards /v1/ to it."
            }
            Problem::Timeout => "The agent or its servers may be overloaded, or a proxy is holding the request. Retry.",
            Problem::Malformed => "A proxy between the browser and Consul may have altered the answer. Retry.",
            Problem::Redirected => {
                "No Consul endpoint the console uses redirects: the path was rewritten on the way, or a proxy in front of Consul wants you to log in. Open the Consul UI or the CLI to check, or sign in to the proxy and retry."
            }
            Problem::Mismatch => {
                "The console will not act on it. The name may not be one the console can open safely: use the consul CLI for it."
            }
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status() {
            Some(status) => write!(f, "{status}: {}", self.consul_message()),
            None => write!(f, "{}", self.consul_message()),
        }
    }
}

impl std::error::Error for ApiError {}

/// The first quoted text at the start of `text` ('x' or "x"), and what follows it.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = &text[1..];
    let end = inner.find(quote)?;
    Some((&inner[..end], &inner[end + 1..]))
}

/// `lacks permission 'peering:write'` → `peering:write` (also `... permission "x:y"` in newer texts).
fn missing_permission(body: &str) -> Option<String> {
    let rest = body.split_once("lacks permission ")?.1;
    quoted(rest).map(|(permission, _)| permission.to_string())
}

/// `lacks permission 'intention:write' on "api"` → `api`: the resource the permission is about.
fn denied_subject(body: &str) -> Option<String> {
    let rest = body.split_once("lacks permission ")?.1;
    let after = quoted(rest)?.1;
    let on = after.strip_prefix(" on ")?;
    quoted(on).map(|(subject, _)| subject.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, body: &str) -> ApiError {
        ApiError::Http {
            status,
            body: body.into(),
        }
    }

    #[test]
    fn names_the_missing_permission() {
        let e = http(403, "rpc error: code = Unknown desc = Permission denied: token with AccessorID 'a-b' lacks permission 'peering:write'");
        assert_eq!(
            e.problem(),
            Problem::PermissionDenied {
                permission: Some("peering:write".into()),
                anonymous: false
            }
        );
        assert_eq!(e.title(), "Your token lacks peering:write");
        assert!(e.consul_message().starts_with("Permission denied"));
    }

    #[test]
    fn anonymous_denial_offers_sign_in() {
        let e = http(403, "rpc error: code = Unknown desc = Permission denied: anonymous token lacks permission 'peering:read'. The anonymous token is used implicitly when a request does not specify a token.");
        assert_eq!(
            e.problem(),
            Problem::PermissionDenied {
                permission: Some("peering:read".into()),
                anonymous: true
            }
        );
        assert_eq!(
            e.title(),
            "Sign in with an ACL token: anonymous access lacks peering:read"
        );
        assert!(e.wants_sign_in());
        assert_eq!(e.missing_permission().as_deref(), Some("peering:read"));
    }

    #[test]
    fn names_the_subject_of_a_denial() {
        let e = http(403, "Permission denied: token with AccessorID 'a' lacks permission 'intention:write' on \"api\"");
        assert_eq!(e.missing_permission().as_deref(), Some("intention:write"));
        assert_eq!(e.denied_subject().as_deref(), Some("api"));
        let e = http(
            403,
            "Permission denied: token with AccessorID 'a' lacks permission 'peering:read'",
        );
        assert_eq!(e.denied_subject(), None);
    }

    #[test]
    fn classifies_by_text_not_status() {
        let reused = "rpc error: code = PermissionDenied desc = a new peering token must be generated: invalid peering establishment secret";
        assert_eq!(http(403, reused).problem(), Problem::TokenSuperseded);
        assert_eq!(http(500, reused).problem(), Problem::TokenSuperseded);
        assert_eq!(http(500, "rpc error: code = Unknown desc = Permission denied: token with AccessorID 'x' lacks permission 'mesh:write'").problem(),
            Problem::PermissionDenied { permission: Some("mesh:write".into()), anonymous: false });
        assert_eq!(
            http(500, "rpc error: code = FailedPrecondition desc = peering must be enabled to use this endpoint").problem(),
            Problem::PeeringDisabled
        );
        assert_eq!(http(403, "ACL not found").problem(), Problem::AclNotFound);
        assert_eq!(
            http(401, "ACL support disabled").problem(),
            Problem::AclDisabled
        );
    }

    #[test]
    fn falls_back_to_status() {
        assert_eq!(
            http(404, "Peering not found for \"x\"").problem(),
            Problem::NotFound
        );
        assert_eq!(
            http(405, "method PUT not allowed").problem(),
            Problem::MethodNotAllowed
        );
        assert_eq!(http(429, "").problem(), Problem::RateLimited);
        assert_eq!(http(502, "Bad Gateway").problem(), Problem::Server);
        assert_eq!(http(400, "Invalid index").problem(), Problem::BadRequest);
        assert_eq!(
            ApiError::Transport("refused".into()).problem(),
            Problem::Transport
        );
        assert_eq!(ApiError::Redirected.problem(), Problem::Redirected);
        assert!(ApiError::Redirected.title().contains("redirected"));
        let e = ApiError::Mismatch {
            asked: "dc2".into(),
            answered: "dc3".into(),
        };
        assert_eq!(e.problem(), Problem::Mismatch);
        assert!(e.consul_message().contains("dc3"));
        assert_eq!(
            ApiError::Malformed {
                status: 200,
                detail: "x".into()
            }
            .problem(),
            Problem::Malformed
        );
    }

    #[test]
    fn strips_grpc_wrapper_only_when_present() {
        assert_eq!(
            unwrap_consul_error("rpc error: code = Unknown desc = Foo is bad"),
            "Foo is bad"
        );
        assert_eq!(unwrap_consul_error("plain text"), "plain text");
        assert_eq!(http(500, "x").to_string(), "500: x");
    }
}

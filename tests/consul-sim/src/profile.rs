//! Which Consul the stand-in answers as (`--consul-version`, `--client-agent`,
//! `--default-intention-policy`, `--primary-datacenter`): the version
//! differences the console meets, each citing the Consul source it imitates
//! (checked in the tags named on each method).

use clap::ValueEnum;

/// A Consul release line. Each behaviour below was checked at the `.0` tag of
/// the line (1.22 is the main branch of mid-2025, `version/VERSION` 1.22.0-dev).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, ValueEnum)]
pub(crate) enum ConsulVersion {
    #[value(name = "1.14")]
    V1_14,
    #[value(name = "1.15")]
    V1_15,
    #[value(name = "1.18")]
    V1_18,
    #[default]
    #[value(name = "1.22")]
    V1_22,
}

impl ConsulVersion {
    /// What `/v1/agent/self` reports as `Config.Version`.
    pub(crate) fn number(self) -> &'static str {
        match self {
            ConsulVersion::V1_14 => "1.14.0",
            ConsulVersion::V1_15 => "1.15.0",
            ConsulVersion::V1_18 => "1.18.0",
            ConsulVersion::V1_22 => "1.22.0",
        }
    }
}

/// `default_intention_policy` (agent config, 1.18+).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum IntentionPolicy {
    Allow,
    Deny,
}

impl IntentionPolicy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            IntentionPolicy::Allow => "allow",
            IntentionPolicy::Deny => "deny",
        }
    }
}

/// How an error reached the HTTP layer, so the profile can word it
/// (see [`Profile::error_text`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ErrorPath {
    /// The gRPC status code, when the error came back through gRPC (the
    /// peering endpoints call the peering service over gRPC).
    pub(crate) grpc: Option<&'static str>,
    /// The error came from a server RPC (net/rpc) that a client agent
    /// forwards, e.g. `ConfigEntry.Apply` or `ACL.TokenRead`.
    pub(crate) forwarded: bool,
}

/// The Consul this instance imitates.
#[derive(Debug, Clone, Default)]
pub(crate) struct Profile {
    pub(crate) version: ConsulVersion,
    pub(crate) client_agent: bool,
    pub(crate) default_intention_policy: Option<IntentionPolicy>,
    /// `--primary-datacenter` when it names another datacenter: this one is a secondary.
    pub(crate) primary_datacenter: Option<String>,
}

impl Profile {
    /// The HTTP body of an error.
    ///
    /// - 1.14 writes a gRPC error as `err.Error()`, so it keeps
    ///   `rpc error: code = X desc = `; from 1.15 the agent writes
    ///   `status.FromError(err).Message()` (`agent/http.go`, `handleErr` in
    ///   `wrap`, v1.14.0 vs v1.15.0).
    /// - A client agent reaches the servers through its connection pool, which
    ///   wraps every error the server returns as
    ///   `rpc error making call: %w` (`agent/pool/pool.go`, `ConnPool.rpc`).
    pub(crate) fn error_text(&self, msg: &str, path: ErrorPath) -> String {
        let mut text = match path.grpc {
            Some(code) if !self.has(Change::GrpcWrapperStripped) => {
                format!("rpc error: code = {code} desc = {msg}")
            }
            _ => msg.to_string(),
        };
        if path.forwarded && self.client_agent {
            text.insert_str(0, "rpc error making call: ");
        }
        text
    }

    /// Whether this version has `change`.
    pub(crate) fn has(&self, change: Change) -> bool {
        self.version >= change.since()
    }

    /// What `ACL.TokenRead` answers for a secret that is not stored
    /// (`token/self` with an unknown or no token).
    pub(crate) fn token_not_found_text(&self) -> &'static str {
        if self.has(Change::TokenDoesNotExist) {
            "token does not exist: ACL not found"
        } else {
            "ACL not found"
        }
    }
}

/// A difference between the versions, by the release that brought it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// The agent writes a gRPC error's message without
    /// `rpc error: code = X desc = ` (`agent/http.go` `handleErr` in `wrap`:
    /// `msg = s.Message()`, v1.15.0; v1.14.0 writes `err.Error()`).
    GrpcWrapperStripped,
    /// The `anonymous token …` denial sentence (`acl/errors.go`
    /// `PermissionDeniedError.Error`, v1.15.0); v1.14.0 names the anonymous
    /// token by its AccessorID like any other.
    AnonymousWording,
    /// `LastHeartbeat`, `LastReceive` and `LastSend` are `*time.Time`, null
    /// until set (`api/peering.go` `PeeringStreamStatus`, v1.15.0); v1.14.0
    /// has `time.Time`.
    NullStreamTimes,
    /// Peer names are lower case only (`agent/rpc/peering/validate.go`
    /// `validatePeerName`, v1.15.0); v1.14.0 uses `dns.ValidateLabel`
    /// (`agent/dns/validation.go`), which allows upper case.
    LowerCasePeerNames,
    /// `token does not exist: %w` around `acl.ErrNotFound`
    /// (`agent/consul/acl_endpoint.go` `ACL.TokenRead`, v1.15.0); v1.14.0
    /// returns the bare `ACL not found`.
    TokenDoesNotExist,
    /// Sameness groups: exported-services consumers count `SamenessGroup`
    /// and CE refuses partitions and sameness groups
    /// (`agent/structs/config_entry_exports.go` `validateServices`,
    /// `config_entry_exports_ce.go`; 1.16, checked at v1.18.0); v1.15.0 says
    /// `must define at most one of Peer or Partition`.
    SamenessGroups,
    /// `/v1/exported-services` is registered (`agent/http_register.go`,
    /// v1.17.3; absent in v1.17.2).
    ExportedServicesApi,
    /// `default_intention_policy` (`agent/config/config.go`,
    /// `agent/consul/util.go` `DefaultIntentionAllow`, v1.18.0; absent in
    /// v1.17.4).
    DefaultIntentionPolicy,
    /// `/v1/imported-services`: registered in no tag of the fork nor in its
    /// main of July 2025 (`agent/http_register.go`), so unconfirmed in
    /// Consul's source. Kept in the 1.22 profile (the default) so that profile
    /// keeps serving it.
    ImportedServicesApi,
    /// The agent's `http.NewServeMux()` (`agent/http.go`,
    /// `HTTPHandlers.handler`) is Go 1.22's, which cleans the *escaped* path,
    /// so `%2F` stays inside a segment (Go's `net/http/server.go`,
    /// `ServeMux.findHandler`: `cleanPath(r.URL.EscapedPath())`). Consul 1.20
    /// has it (`go.mod`: `go 1.22`, v1.20.0-rc1). Up to 1.19 `go.mod` says
    /// `go 1.19` or `go 1.20` (v1.14.0 to v1.19.x), so even a Go 1.22
    /// toolchain keeps the old mux (Go's `internal/godebugs/table.go`:
    /// `httpmuxgo121`, `Changed: 22, Old: "1"`), which cleans the *decoded*
    /// path and redirects to it (see `layers::go_mux_redirect`).
    Go122Mux,
}

impl Change {
    /// The first profile that has it.
    fn since(self) -> ConsulVersion {
        match self {
            Change::GrpcWrapperStripped
            | Change::AnonymousWording
            | Change::NullStreamTimes
            | Change::LowerCasePeerNames
            | Change::TokenDoesNotExist => ConsulVersion::V1_15,
            Change::SamenessGroups
            | Change::ExportedServicesApi
            | Change::DefaultIntentionPolicy => ConsulVersion::V1_18,
            Change::ImportedServicesApi | Change::Go122Mux => ConsulVersion::V1_22,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_texts() {
        use ConsulVersion::*;
        let grpc = ErrorPath {
            grpc: Some("Unknown"),
            forwarded: false,
        };
        let fwd = ErrorPath {
            grpc: None,
            forwarded: true,
        };
        let cases = [
            (V1_14, false, grpc, "rpc error: code = Unknown desc = boom"),
            (V1_15, false, grpc, "boom"),
            (V1_22, false, fwd, "boom"),
            (V1_22, true, fwd, "rpc error making call: boom"),
            (V1_22, true, grpc, "boom"),
        ];
        for (version, client_agent, path, want) in cases {
            let p = Profile {
                version,
                client_agent,
                ..Default::default()
            };
            assert_eq!(p.error_text("boom", path), want, "{version:?} {path:?}");
        }
    }
}

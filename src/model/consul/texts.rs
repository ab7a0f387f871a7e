//! Consul's error text as it reaches the console, unwrapped to what Consul meant. A write that a
//! client agent or a follower forwards comes back prefixed once per hop with
//! `rpc error making call: ` (agent/pool/pool.go), and Consul 1.14 keeps gRPC's
//! `rpc error: code = … desc = ` wrapper that 1.15+ strips.

const FORWARDED: &str = "rpc error making call:";
const GRPC: &str = "rpc error: code = ";

/// The message without any forwarding prefix or gRPC wrapper, however many there are.
pub fn unwrap_consul_error(text: &str) -> &str {
    let mut text = text.trim();
    loop {
        let before = text;
        if let Some(rest) = text.strip_prefix(FORWARDED) {
            text = rest.trim_start();
        }
        if let Some(rest) = text.strip_prefix(GRPC) {
            text = rest
                .split_once(" desc = ")
                .map_or(rest, |(_, desc)| desc)
                .trim_start();
        }
        if text == before {
            return text;
        }
    }
}

/// The accessor ID of Consul's anonymous token: Consul 1.14 names it instead of saying
/// "anonymous token".
pub const ANONYMOUS_ACCESSOR: &str = "00000000-0000-0000-0000-000000000002";

/// Whether a denial is about a request that carried no token.
pub fn is_anonymous_denial(text: &str) -> bool {
    text.contains("anonymous token") || text.contains(ANONYMOUS_ACCESSOR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_forwarding_hop_and_the_grpc_wrapper_come_off() {
        let leader = "Sources[0].Peer: cannot use wildcard '*' in peer";
        assert_eq!(unwrap_consul_error(leader), leader);
        assert_eq!(
            unwrap_consul_error(&format!("rpc error making call: {leader}")),
            leader
        );
        assert_eq!(
            unwrap_consul_error(&format!(
                "rpc error making call: rpc error making call: {leader}"
            )),
            leader
        );
        assert_eq!(
            unwrap_consul_error(
                "rpc error making call: rpc error: code = PermissionDenied desc = Permission denied: token lacks permission 'peering:write'"
            ),
            "Permission denied: token lacks permission 'peering:write'"
        );
        assert_eq!(unwrap_consul_error("  plain  "), "plain");
    }

    #[test]
    fn the_anonymous_token_is_recognised_in_both_wordings() {
        assert!(is_anonymous_denial(
            "Permission denied: anonymous token lacks permission 'peering:read'"
        ));
        assert!(is_anonymous_denial(
            "Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'peering:read'"
        ));
        assert!(!is_anonymous_denial(
            "Permission denied: token with AccessorID 'e2f1…' lacks permission 'peering:read'"
        ));
    }
}

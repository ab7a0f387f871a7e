//! "Why can't my service call theirs?": the importing side's checklist for one service imported
//! from one peer, and the intention to ask the peer's operators for (intentions are enforced
//! where the called service runs, so the allowing rule lives in the exporting cluster).
use crate::model::checks::lines::{
    count_healthy, one_service, peering_live, CheckLine, Fix, Read, Status,
};
use crate::model::gateways::traffic::{missing_gateway, GatewayFacts, GatewayMode, Health};
use crate::model::peers::peering::Peering;
use serde_json::{json, Value};

/// Everything the importer's checklist reads.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportFacts {
    /// Names imported from the peer (its stream's `ImportedServices` and
    /// `/v1/internal/ui/services?peer=`).
    pub imported: Read<Vec<String>>,
    /// The instances as the peer reports them (`/v1/health/service/:name?peer=`).
    pub instances: Read<Vec<Health>>,
    pub peering: Read<Option<Peering>>,
    pub server_now: Option<i64>,
    pub gateways: Read<GatewayFacts>,
}

/// The address transparent proxies dial for a service imported from a peer.
pub fn virtual_address(service: &str, peer: &str) -> String {
    format!("{service}.virtual.{peer}.consul")
}

pub fn import_checklist(service: &str, peer: &str, facts: &ImportFacts) -> Vec<CheckLine> {
    vec![
        imported(service, peer, &facts.imported),
        peer_instances(service, peer, &facts.instances),
        peering_live(peer, &facts.peering, facts.server_now),
        local_gateway(&facts.gateways),
        remote_intention(service, peer),
    ]
}

/// It is imported from that peer.
pub fn imported(service: &str, peer: &str, imported: &Read<Vec<String>>) -> CheckLine {
    let title = format!("{service} is imported from {peer}");
    match imported {
        Err(reason) => CheckLine::unreadable(title, "the imported services", reason),
        Ok(names) if names.iter().any(|n| n == service) => CheckLine::new(
            Status::Pass,
            title,
            format!(
                "Transparent proxies reach it at {}; an explicit upstream names the service {service} with peer {peer}.",
                virtual_address(service, peer)
            ),
        ),
        Ok(_) => CheckLine::new(
            Status::Fail,
            title,
            format!("{peer} does not send {service} to this cluster: its operators must export it to this cluster (their exported-services entry)."),
        ),
    }
}

/// Its instances' health as the peer reports it.
pub fn peer_instances(service: &str, peer: &str, instances: &Read<Vec<Health>>) -> CheckLine {
    let title = format!("{peer} reports healthy instances of {service}");
    match instances {
        Err(reason) => CheckLine::unreadable(title, "the imported instances", reason),
        Ok(list) => match count_healthy(list) {
            Ok(count) => CheckLine::new(Status::Pass, title, format!("{count}, as {peer} reports them.")),
            Err(problem) => CheckLine::new(
                Status::Fail,
                title,
                format!("In {peer}, {problem}: calls have nowhere to go. Only {peer}'s operators can fix this."),
            ),
        },
    }
}

/// A local mesh gateway, when the mode sends calls through one.
pub fn local_gateway(gateways: &Read<GatewayFacts>) -> CheckLine {
    let title = "A local mesh gateway, if the mode needs one";
    let facts = match gateways {
        Err(reason) => return CheckLine::unreadable(title, "the gateway settings", reason),
        Ok(f) => f,
    };
    match facts.mode {
        Some(GatewayMode::Local) if facts.healthy > 0 => CheckLine::new(
            Status::Pass,
            title,
            format!(
                "The mesh gateway mode is local, and {} of {} mesh gateway instances here are healthy.",
                facts.healthy, facts.registered
            ),
        ),
        Some(GatewayMode::Local) => CheckLine::new(
            Status::Fail,
            title,
            format!(
                "{}, and the mesh gateway mode is local: calls to a peer's services leave through a gateway here.",
                missing_gateway(facts)
            ),
        )
        .fix(Fix::Gateways),
        Some(mode) => CheckLine::new(
            Status::Pass,
            title,
            format!(
                "Not needed: the global mesh gateway mode is {}, so sidecars dial the peer's mesh gateway directly (a service's own service-defaults or upstream settings can still choose local).",
                mode.label()
            ),
        ),
        None => CheckLine::new(
            Status::Unknown,
            title,
            "The global proxy-defaults name a mesh gateway mode this console does not know.",
        )
        .fix(Fix::Gateways),
    }
}

/// The allowing intention lives in the other cluster: this one cannot read it.
pub fn remote_intention(service: &str, peer: &str) -> CheckLine {
    CheckLine::new(
        Status::Unknown,
        format!("An intention in {peer} allows your service to call {service}"),
        format!(
            "Intentions are enforced where the called service runs, so the rule that lets this cluster's services call {service} lives in {peer}'s cluster, which this console cannot read. Ask {peer}'s operators for the intention below."
        ),
    )
}

/// The `service-intentions` entry to ask the exporting cluster for: `caller` of this cluster,
/// which that cluster knows as its peer `our_name`, may call `service`. Refused when either
/// service is `*`: the page asks for one caller to call one service, never for every one.
pub fn intention_request(
    service: &str,
    caller: &str,
    our_name: &str,
) -> Result<Value, &'static str> {
    one_service(service)?;
    one_service(caller)?;
    Ok(json!({
        "Kind": "service-intentions",
        "Name": service,
        "Sources": [{ "Name": caller, "Peer": our_name, "Action": "allow" }]
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::checks::lines::tests::{now, peering};
    use crate::model::checks::lines::EVERY_SERVICE;
    use crate::model::entry_render::{to_hcl, to_json};

    #[test]
    fn imported_names_the_virtual_address() {
        let line = imported("api", "dc2", &Ok(vec!["api".into()]));
        assert_eq!(line.status, Status::Pass);
        assert!(line.why.contains("api.virtual.dc2.consul"));
        let missing = imported("api", "dc2", &Ok(vec!["web".into()]));
        assert_eq!((missing.status, missing.fix), (Status::Fail, None));
        assert_eq!(
            imported("api", "dc2", &Err("x".into())).status,
            Status::Unknown
        );
    }

    #[test]
    fn instances_as_the_peer_reports_them() {
        let ok = peer_instances("api", "dc2", &Ok(vec![Health::Passing, Health::Critical]));
        assert_eq!(ok.why, "1 of 2 instances is healthy, as dc2 reports them.");
        let bad = peer_instances("api", "dc2", &Ok(vec![Health::Critical]));
        assert_eq!(bad.status, Status::Fail);
        assert!(bad.why.contains("Only dc2's operators"));
    }

    #[test]
    fn a_local_gateway_matters_only_in_local_mode() {
        let remote = GatewayFacts {
            mode: Some(GatewayMode::Default),
            ..GatewayFacts::default()
        };
        assert_eq!(local_gateway(&Ok(remote)).status, Status::Pass);
        let local = GatewayFacts {
            mode: Some(GatewayMode::Local),
            registered: 1,
            healthy: 0,
            ..GatewayFacts::default()
        };
        let line = local_gateway(&Ok(local.clone()));
        assert_eq!((line.status, line.fix), (Status::Fail, Some(Fix::Gateways)));
        let healthy = GatewayFacts {
            healthy: 1,
            ..local
        };
        assert_eq!(local_gateway(&Ok(healthy)).status, Status::Pass);
        let odd = GatewayFacts {
            mode: None,
            ..GatewayFacts::default()
        };
        assert_eq!(local_gateway(&Ok(odd)).status, Status::Unknown);
    }

    #[test]
    fn the_whole_checklist_and_the_intention_to_ask_for() {
        let facts = ImportFacts {
            imported: Ok(vec!["api".into()]),
            instances: Ok(vec![Health::Passing]),
            peering: Ok(Some(peering("ACTIVE", Some("2026-11-27T09:09:58Z"), &[]))),
            server_now: now(),
            gateways: Ok(GatewayFacts {
                mode: Some(GatewayMode::Default),
                ..GatewayFacts::default()
            }),
        };
        let lines = import_checklist("api", "dc2", &facts);
        let statuses: Vec<Status> = lines.iter().map(|l| l.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Pass,
                Status::Pass,
                Status::Pass,
                Status::Pass,
                Status::Unknown
            ]
        );
        assert!(lines[4].why.contains("lives in dc2's cluster"));
        let entry = intention_request("api", "web", "dc1").unwrap_or_default();
        assert_eq!(
            to_json(&entry),
            "{\n  \"Kind\": \"service-intentions\",\n  \"Name\": \"api\",\n  \"Sources\": [\n    {\n      \"Action\": \"allow\",\n      \"Name\": \"web\",\n      \"Peer\": \"dc1\"\n    }\n  ]\n}"
        );
        assert_eq!(
            to_hcl(&entry),
            "Kind    = \"service-intentions\"\nName    = \"api\"\nSources = [\n  {\n    Action = \"allow\"\n    Name   = \"web\"\n    Peer   = \"dc1\"\n  },\n]\n"
        );
    }

    #[test]
    fn no_intention_for_every_service() {
        assert_eq!(intention_request("*", "web", "dc1"), Err(EVERY_SERVICE));
        assert_eq!(intention_request("api", "*", "dc1"), Err(EVERY_SERVICE));
        assert_eq!(intention_request("api", " * ", "dc1"), Err(EVERY_SERVICE));
    }
}

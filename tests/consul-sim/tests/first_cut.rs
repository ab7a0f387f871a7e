//! The first cut: CLI, listening line, UI serving, agent/self and the
//! peering read/generate/delete endpoints with Consul's shapes and codes.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn agent_self_and_headers() {
    let sim = Sim::start(&["--datacenter", "dc7"]);
    let r = get(&sim.url("/v1/agent/self")).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["Config"]["Datacenter"], "dc7");
    assert_eq!(v["Config"]["PrimaryDatacenter"], "dc7");
    assert_eq!(v["Config"]["Version"], "1.22.0");
    assert_eq!(v["Config"]["Server"], true);
    assert_eq!(v["DebugConfig"]["DefaultIntentionPolicy"], "");
    assert!(v["Config"]["NodeName"].is_string());
    assert!(v["Config"]["NodeID"].is_string());
    assert!(v["Member"].is_object());
    assert!(v["DebugConfig"].is_object());
    assert_eq!(
        r.header("x-consul-default-acl-policy").as_deref(),
        Some("allow")
    );
    assert_eq!(r.header("x-consul-knownleader").as_deref(), Some("true"));
    assert_eq!(r.header("x-consul-lastcontact").as_deref(), Some("0"));
    assert!(r.header("x-consul-index").is_some());
    let r = get(&sim.url("/v1/catalog/services?dc=elsewhere")).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.text, "No path to datacenter");
    let r = get(&sim.url("/v1/peerings?dc=elsewhere")).await;
    assert_eq!(r.status, 200);
    let r = get(&sim.url("/v1/catalog/services?dc=dc7")).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        get(&sim.url("/v1/status/leader")).await.text,
        "\"127.0.0.1:8300\""
    );
    assert_eq!(
        get(&sim.url("/v1/catalog/datacenters")).await.json(),
        json!(["dc7"])
    );
    get(&sim.url("/v1/nope")).await.is(
        404,
        "Invalid URL path: not a recognized HTTP API endpoint\n",
    );
    get(&sim.url("/elsewhere")).await.is(
        404,
        "Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'\n",
    );
}

#[tokio::test]
async fn empty_list_and_not_found() {
    let sim = Sim::start(&[]);
    let r = get(&sim.url("/v1/peerings")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, "[]");
    assert!(r.header("x-consul-index").is_some());
    let r = get(&sim.url("/v1/peering/baz")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.text, "Peering not found for \"baz\"");
    let r = get(&sim.url("/v1/peering/")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.text, "Must specify a name to fetch.");
    let r = req("PUT", &sim.url("/v1/peering/foo"), None, None).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.text, "method PUT not allowed");
    assert_eq!(r.header("allow").as_deref(), Some("OPTIONS,GET,DELETE"));
    let r = req("OPTIONS", &sim.url("/v1/peering/foo"), None, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("allow").as_deref(), Some("OPTIONS,GET,DELETE"));
}

#[tokio::test]
async fn generate_read_delete() {
    let sim = Sim::start(&["--delete-delay", "300ms"]);
    let tok = generate(&sim, "dc2").await;
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&tok)
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    let keys = [
        "\"CA\"",
        "\"ManualServerAddresses\"",
        "\"ServerAddresses\"",
        "\"ServerName\"",
        "\"PeerID\"",
        "\"EstablishmentSecret\"",
        "\"Remote\"",
    ];
    let mut last = 0;
    for k in keys {
        let at = text
            .find(k)
            .unwrap_or_else(|| panic!("{k} missing in {text}"));
        assert!(at >= last, "key order: {text}");
        last = at;
    }
    let t: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        t["ServerAddresses"][0],
        sim.base.trim_start_matches("http://")
    );
    assert_eq!(t["Remote"]["Partition"], "default");

    let r = get(&sim.url("/v1/peering/dc2")).await;
    assert_eq!(r.status, 200);
    let p = r.json();
    assert_eq!(p["Name"], "dc2");
    assert_eq!(p["State"], "PENDING");
    assert_eq!(p["ID"], t["PeerID"]);
    assert!(p.get("PeerID").is_none());
    assert!(p.get("Partition").is_none());
    assert!(p.get("DeletedAt").is_none());
    assert!(p["StreamStatus"]["ImportedServices"].is_null());
    assert!(p["StreamStatus"]["LastHeartbeat"].is_null());
    assert!(p["Remote"].is_object());
    assert!(p["CreateIndex"].as_u64().unwrap() > 0);

    // Regenerating keeps the ID.
    let tok2 = generate(&sim, "dc2").await;
    assert_ne!(tok, tok2);
    let p2 = get(&sim.url("/v1/peering/dc2")).await.json();
    assert_eq!(p2["ID"], p["ID"]);

    let list = get(&sim.url("/v1/peerings")).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let r = delete(&sim.url("/v1/peering/dc2")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, "");
    assert!(r.header("content-type").is_none());
    let p = get(&sim.url("/v1/peering/dc2")).await.json();
    assert_eq!(p["State"], "DELETING");
    assert!(p["DeletedAt"].is_string());
    // Deleting again, or an unknown name, is still 200.
    assert_eq!(delete(&sim.url("/v1/peering/dc2")).await.status, 200);
    assert_eq!(delete(&sim.url("/v1/peering/nope")).await.status, 200);
    wait_state(&sim, "dc2", "GONE", std::time::Duration::from_secs(5)).await;
}

#[tokio::test]
async fn generate_errors() {
    let sim = Sim::start(&[]);
    let url = sim.url("/v1/peering/token");
    let r = req("POST", &url, None, None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.text, "Body decoding failed: EOF");
    let c = client();
    let r = c.post(&url).body("{nope").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .starts_with("Body decoding failed: "));
    let r = post(&url, json!({})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text,
        "PeerName is required in the payload when generating a new peering token."
    );
    let r = post(&url, json!({"PeerName": "Foo"})).await;
    assert_eq!(r.status, 500);
    assert_eq!(
        r.text,
        "Foo is not a valid peer name: a valid peering name must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
    );
    let r = post(&url, json!({"peername": "lower-ok"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = req("DELETE", &sim.url("/v1/peering/"), None, None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.text, "Must specify a name to fetch.");
    let r = post(&url, json!({"PeerName": "ok", "Partition": "team"})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text,
        "Invalid query parameter: \"partition\" - Partitions are a Consul Enterprise feature"
    );
    let r = post(&url, json!({"PeerName": "ok", "Meta": {"bad key": "v"}})).await;
    assert_eq!(r.status, 500);
    assert!(
        r.text.contains("meta tags failed validation: "),
        "{}",
        r.text
    );
    let r = get(&sim.url("/v1/peerings?index=abc")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.text, "Invalid index");
    let r = get(&sim.url("/v1/peerings?index=1&wait=soon")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.text, "Invalid wait time");
}

#[tokio::test]
async fn gzip_for_large_api_responses() {
    let sim = Sim::start(&[]);
    post(&sim.url("/_sim/peerings?count=20"), json!({})).await;
    let c = client();
    let r = c
        .get(sim.url("/v1/peerings"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
    let r = c
        .get(sim.url("/v1/peering/nope"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn ui_serving_and_template() {
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "index.html",
        "<html><base href=\"{{ .ContentPath }}\">{{/* note */}}<script type=\"application/json\" id=\"consul-ui-config\">{{ jsonEncode . }}</script>{{ .LocalDatacenter }}</html>",
    );
    write_file(dir.path(), "app.wasm", "wasm");
    write_file(dir.path(), "app.js", "console.log(1)");
    write_file(dir.path(), "style.css", "body{}");
    let sim = Sim::start(&[
        "--datacenter",
        "dc9",
        "--ui-dir",
        dir.path().to_str().unwrap(),
        "--ui-content-path",
        "consul/ui",
    ]);
    let c = client_no_redirect();
    let r = c.get(sim.url("/")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 301);
    assert_eq!(r.headers()["location"], "/consul/ui/");
    for path in [
        "/consul/ui/",
        "/consul/ui/index.html",
        "/consul/ui/dc9/peers/x",
    ] {
        let r = get(&sim.url(path)).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert!(r.text.contains("<base href=\"/consul/ui/\">"), "{}", r.text);
        assert!(r.text.contains("\"LocalDatacenter\": \"dc9\""));
        assert!(r.text.contains("\"PeeringEnabled\": true"));
        assert!(r.text.contains("\"metrics_provider\": \"\""));
        assert!(r.text.ends_with("dc9</html>"));
        assert!(!r.text.contains("note"));
    }
    let r = get(&sim.url("/consul/ui/app.wasm")).await;
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(r.text, "wasm");
    let r = get(&sim.url("/consul/ui/app.js")).await;
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    let r = get(&sim.url("/consul/ui/style.css")).await;
    assert!(r.header("content-type").unwrap().starts_with("text/css"));
    // UI files are not compressed.
    let big = "x".repeat(5000);
    write_file(dir.path(), "big.js", &big);
    let r = c
        .get(sim.url("/consul/ui/big.js"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("content-encoding").is_none());

    // A template Consul cannot render.
    write_file(dir.path(), "index.html", "{{ jsonEncode .ContentPath }}");
    let r = get(&sim.url("/consul/ui/")).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.text, "UI server is misconfigured.");
}

#[tokio::test]
async fn exits_cleanly_on_sigterm() {
    let mut sim = Sim::start(&[]);
    let pid = sim.child.id().to_string();
    let st = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(st.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        if let Some(status) = sim.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "did not exit");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

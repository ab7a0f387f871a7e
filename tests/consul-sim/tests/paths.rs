//! Unclean paths: Consul 1.14 to 1.19 answer them with the old Go mux's 301
//! to the cleaned, decoded path; the default profile (1.22) routes them as
//! before.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;

/// Sends one raw HTTP/1.1 request (paths reqwest would normalise) and
/// returns the status line and the `location` header.
fn raw_get(port: u16, target: &str) -> (String, Option<String>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let req =
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut got = String::new();
    let _ = s.read_to_string(&mut got);
    let status = got.lines().next().unwrap_or_default().to_string();
    let location = got
        .lines()
        .find_map(|l| l.strip_prefix("location: ").map(|v| v.to_string()));
    (status, location)
}

async fn send(method: &str, url: &str) -> Resp {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    Resp::read(client_no_redirect().request(m, url).send().await.unwrap()).await
}

#[tokio::test]
async fn before_1_20_the_decoded_path_is_cleaned_with_a_301() {
    for version in ["1.14", "1.15", "1.18"] {
        let sim = Sim::start(&[
            "--consul-version",
            version,
            "--response-header",
            "X-Test: yes",
        ]);
        let r = send("GET", &sim.url("/v1/peering/..%2Facl%2Ftokens")).await;
        assert_eq!(r.status, 301, "{version}");
        assert_eq!(r.header("location").as_deref(), Some("/v1/acl/tokens"));
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(
            r.text,
            "<a href=\"/v1/acl/tokens\">Moved Permanently</a>.\n\n"
        );
        // The mux answers before Consul's handlers: none of their headers.
        assert_eq!(r.header("x-consul-knownleader"), None);
        assert_eq!(r.header("x-test"), None);

        let r = send("GET", &sim.url("/v1/peering/dc2/..%2F..%2Fagent%2Fself")).await;
        assert_eq!(
            (r.status, r.header("location").as_deref()),
            (301, Some("/v1/agent/self"))
        );
        // The query is kept, as the client sent it.
        let r = send(
            "GET",
            &sim.url("/v1/peering/x/..%2F..%2Fpeerings?pretty&a=%2F"),
        )
        .await;
        assert_eq!(
            r.header("location").as_deref(),
            Some("/v1/peerings?pretty&a=%2F")
        );
        assert_eq!(
            r.text,
            "<a href=\"/v1/peerings?pretty&amp;a=%2F\">Moved Permanently</a>.\n\n"
        );
    }
}

#[tokio::test]
async fn before_1_20_other_methods_get_the_301_without_a_body_and_nothing_runs() {
    let sim = Sim::start(&["--consul-version", "1.18"]);
    let r = send("POST", &sim.url("/v1//peering/token")).await;
    assert_eq!(
        (r.status, r.header("location").as_deref()),
        (301, Some("/v1/peering/token"))
    );
    assert_eq!((r.header("content-type"), r.text.as_str()), (None, ""));
    let r = send("DELETE", &sim.url("/v1/peering/a%2F..%2F..%2Fpeering%2Fb")).await;
    assert_eq!(
        (r.status, r.header("location").as_deref()),
        (301, Some("/v1/peering/b"))
    );
    let r = send("HEAD", &sim.url("/v1//agent/self")).await;
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    get(&sim.url("/v1/peerings")).await.is(200, "[]");
}

#[tokio::test]
async fn before_1_20_dot_segments_double_slashes_and_escapes() {
    let sim = Sim::start(&["--consul-version", "1.14"]);
    let cases = [
        ("/v1/agent/self/.", "/v1/agent/self"),
        ("/v1/x/../agent/self", "/v1/agent/self"),
        ("/v1/./agent//self", "/v1/agent/self"),
        ("/v1/peering/..", "/v1"),
        ("/v1/peering/x/../", "/v1/peering/"),
        ("/v1/../../..", "/"),
        // The Location is escaped again, as Go's url.URL.String does.
        ("/v1/x/..%2F%C3%A9%20a%3Fb%22", "/v1/%C3%A9%20a%3Fb%22"),
        ("/ui//peers", "/ui/peers"),
    ];
    for (target, want) in cases {
        let (status, location) = raw_get(sim.port, target);
        assert_eq!(status, "HTTP/1.1 301 Moved Permanently", "{target}");
        assert_eq!(location.as_deref(), Some(want), "{target}");
    }
    // Clean once decoded: routed as usual, `%2F` included.
    for target in ["/v1/agent/self", "/v1/peering/a%2Fb", "/v1/peering/"] {
        let (status, location) = raw_get(sim.port, target);
        assert!(!status.contains("301"), "{target}: {status}");
        assert_eq!(location, None, "{target}");
    }
}

#[tokio::test]
async fn from_1_20_no_redirect_for_escaped_slashes() {
    let sim = Sim::start(&[]);
    for target in [
        "/v1/peering/..%2Facl%2Ftokens",
        "/v1/peering/dc2/..%2F..%2Fagent%2Fself",
    ] {
        let r = send("GET", &sim.url(target)).await;
        assert_ne!(r.status, 301, "{target}");
        assert_eq!(r.header("location"), None, "{target}");
        // Consul's own handlers answered.
        assert_eq!(r.header("x-consul-knownleader").as_deref(), Some("true"));
    }
}

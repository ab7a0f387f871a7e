//! Shared helpers: start the built binary on a free port and talk to it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Sim {
    pub child: Child,
    pub base: String,
    pub port: u16,
    pub args: Vec<String>,
}

impl Sim {
    pub fn start(args: &[&str]) -> Sim {
        Self::start_on("127.0.0.1:0", args)
    }

    pub fn start_on(listen: &str, args: &[&str]) -> Sim {
        let mut all: Vec<String> = vec!["--listen".into(), listen.into()];
        all.extend(args.iter().map(|s| s.to_string()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_consul-sim"))
            .args(&all)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn consul-sim");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line).expect("read listening line");
        let base = line
            .trim()
            .strip_prefix("consul-sim listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        let port = base.rsplit(':').next().unwrap().parse().unwrap();
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while reader.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
                sink.clear();
            }
        });
        Sim {
            child,
            base,
            port,
            args: all,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// A client that shows redirects instead of following them.
pub fn client_no_redirect() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    /// The status, headers and body of an answer.
    pub async fn read(resp: reqwest::Response) -> Self {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        Resp {
            status,
            headers,
            text,
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.to_string())
    }
    /// Asserts the status and the exact body.
    #[track_caller]
    pub fn is(&self, status: u16, text: &str) {
        assert_eq!((self.status, self.text.as_str()), (status, text));
    }
}

pub async fn req(method: &str, url: &str, body: Option<Value>, token: Option<&str>) -> Resp {
    let c = client();
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut r = c.request(m, url);
    if let Some(b) = body {
        r = r.body(serde_json::to_vec(&b).unwrap());
    }
    if let Some(t) = token {
        r = r.header("X-Consul-Token", t);
    }
    Resp::read(r.send().await.expect("request")).await
}

pub async fn get(url: &str) -> Resp {
    req("GET", url, None, None).await
}

pub async fn post(url: &str, body: Value) -> Resp {
    req("POST", url, Some(body), None).await
}

pub async fn put(url: &str, body: Value) -> Resp {
    req("PUT", url, Some(body), None).await
}

pub async fn delete(url: &str) -> Resp {
    req("DELETE", url, None, None).await
}

/// Polls `f` until it returns true or `timeout` passes.
pub async fn wait_for<F, Fut>(timeout: Duration, mut f: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if f().await {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn peering_state(sim: &Sim, name: &str) -> String {
    let r = get(&sim.url(&format!("/v1/peering/{name}"))).await;
    if r.status == 404 {
        return "GONE".into();
    }
    r.json()["State"].as_str().unwrap_or("").to_string()
}

pub async fn wait_state(sim: &Sim, name: &str, want: &str, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    loop {
        let s = peering_state(sim, name).await;
        if s == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "peering {name} never reached {want}, last state {s}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn generate(sim: &Sim, name: &str) -> String {
    let r = post(
        &sim.url("/v1/peering/token"),
        serde_json::json!({ "PeerName": name }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["PeeringToken"].as_str().unwrap().to_string()
}

pub async fn establish(sim: &Sim, name: &str, token: &str) -> Resp {
    post(
        &sim.url("/v1/peering/establish"),
        serde_json::json!({ "PeerName": name, "PeeringToken": token }),
    )
    .await
}

/// dc1 and dc2, each seeded with `demo` and exporting to the other, with
/// `extra` flags on both.
pub fn seeded_pair(extra: &[&str]) -> (Sim, Sim) {
    let start = |dc: &str, peer: &str| {
        let mut args = vec!["--datacenter", dc, "--seed", "demo", "--seed-peer", peer];
        args.extend_from_slice(extra);
        Sim::start(&args)
    };
    (start("dc1", "dc2"), start("dc2", "dc1"))
}

pub fn write_file(dir: &Path, name: &str, content: &str) {
    std::fs::write(dir.join(name), content).unwrap();
}

/// The management token of the ACL tests.
pub const ROOT: &str = "root-secret";

/// A token with one policy of `rules`: (AccessorID, SecretID).
pub async fn make_token(sim: &Sim, name: &str, rules: &str) -> (String, String) {
    let r = req(
        "PUT",
        &sim.url("/v1/acl/policy"),
        Some(serde_json::json!({"Name": name, "Rules": rules})),
        Some(ROOT),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let pid = r.json()["ID"].as_str().unwrap().to_string();
    let r = req(
        "PUT",
        &sim.url("/v1/acl/token"),
        Some(serde_json::json!({"Description": name, "Policies": [{"ID": pid}]})),
        Some(ROOT),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t = r.json();
    (
        t["AccessorID"].as_str().unwrap().to_string(),
        t["SecretID"].as_str().unwrap().to_string(),
    )
}

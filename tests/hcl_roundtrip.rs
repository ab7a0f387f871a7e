//! The HCL the console shows for `consul config write` reads back, with HCL 1 itself (what
//! Consul parses it with: command/helpers/decode_shim.go, `hcl.Decode`), as exactly the JSON
//! entry it was made from. Needs Go and Debian's golang-github-hashicorp-hcl-dev, which
//! scripts/setup.sh installs (`make test` runs it first): missing, the test fails.
use peering_console::entry_render::to_hcl;
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Texts HCL 1 could misread: interpolation starts (it scans `${…}` without honouring quotes
/// and copies it without unescaping), quotes, backslashes, control characters, non-ASCII.
const NASTY: &[&str] = &[
    "say ${\"hi\"}",
    "budget ${",
    "${",
    "$",
    "$$",
    "a$",
    "${x}",
    "$${x}",
    "${${x}}",
    "%{ if x }y%{ endif }",
    "}{",
    "\"",
    "\\",
    "\\\"",
    "\\u0024{x}",
    "\\${x}",
    "line one\nline two",
    "tab\there",
    "cr\r\n",
    "\u{1}\u{8}\u{c}\u{b}\u{7}\u{1f}\u{7f}",
    "café 東京 🚀",
    "\u{202e}evil\u{202c}",
    "\u{2028}\u{2029}\u{feff}",
    "",
    " ",
    "#not a comment",
    "// nor this",
    "/* nor */",
    "<<EOF\nheredoc\nEOF",
];

fn entries() -> Vec<Value> {
    let mut out = vec![
        json!({"Kind": "service-intentions", "Name": "api",
               "Meta": {"app.kubernetes.io/name": "api", "owner": "a"},
               "Sources": [{"Name": "web", "Peer": "dc2", "Action": "allow",
                            "Description": "say \"hi\" ${x}"},
                           {"Name": "admin", "Peer": "dc2", "Permissions": [{"Action": "allow",
                            "HTTP": {"Methods": ["GET"], "PathPrefix": "/a"}}]}]}),
        json!({"Kind": "exported-services", "Name": "default",
               "Services": [{"Name": "web", "Consumers": [{"Peer": "dc2"}, {"Peer": "dc3"}]}]}),
    ];
    for text in NASTY {
        out.push(json!({"Kind": "service-intentions", "Name": "api",
                        "Meta": {*text: *text, "k": *text},
                        "Sources": [{"Name": "web", "Peer": "dc2", "Action": "deny",
                                     "Description": *text}]}));
    }
    out
}

/// HCL 1 decodes every object as a list of one object; Consul's decoder
/// (lib/decode HookWeakDecodeFromSlice) takes the single item where its type wants an object.
fn same(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::Object(_), Value::Array(items)) if items.len() == 1 => same(expected, &items[0]),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same(v, w))
        }
        _ => expected == got,
    }
}

/// Decodes each document with tests/hcl1/main.go: `{"value": …}` or `{"error": "…"}` each.
fn hcl1_decode(docs: &[String]) -> Vec<Value> {
    let program = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hcl1/main.go");
    let child = Command::new("go")
        .arg("run")
        .arg(&program)
        .arg("-batch")
        .env("GOPATH", "/usr/share/gocode")
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => panic!(
            "cannot run `go` ({e}): run scripts/setup.sh, which installs golang-go and \
             golang-github-hashicorp-hcl-dev (make test runs it first)"
        ),
    };
    let input = serde_json::to_vec(docs).expect("documents as JSON");
    child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(&input)
        .expect("write to the HCL 1 reader");
    let output = child.wait_with_output().expect("the HCL 1 reader runs");
    assert!(
        output.status.success(),
        "the HCL 1 reader failed (is golang-github-hashicorp-hcl-dev installed? scripts/setup.sh):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the HCL 1 reader prints JSON")
}

#[test]
fn generated_hcl_reads_back_exactly_with_hcl1() {
    let entries = entries();
    let docs: Vec<String> = entries.iter().map(to_hcl).collect();
    let results = hcl1_decode(&docs);
    assert_eq!(results.len(), docs.len());
    let mut wrong = Vec::new();
    for ((entry, doc), result) in entries.iter().zip(&docs).zip(&results) {
        match (result.get("value"), result.get("error")) {
            (Some(value), _) if same(entry, value) => {}
            (Some(value), _) => wrong.push(format!(
                "HCL:\n{doc}\nreads back as\n{value}\ninstead of\n{entry}\n"
            )),
            (None, error) => wrong.push(format!(
                "HCL:\n{doc}\ndoes not parse with HCL 1: {}\n",
                error.cloned().unwrap_or(Value::Null)
            )),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} entries do not read back:\n{}",
        wrong.len(),
        docs.len(),
        wrong.join("\n")
    );
}

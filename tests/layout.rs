//! The code's layout rules (written down in `docs/conventions.md`), checked so the next change
//! cannot quietly undo them: small view files, one name per concern, the check-and-set stages
//! only in the editor, route params only through the routes module, comments that cite
//! Consul's source or `docs/`, and features that use each other along one-way edges.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a source file is readable");
            let rel = p
                .strip_prefix(root)
                .expect("under the crate")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, text)
        })
        .collect()
}

#[test]
fn view_files_stay_small() {
    let long: Vec<String> = src_files()
        .into_iter()
        .filter(|(p, _)| p.starts_with("src/pages/") || p.starts_with("src/components/"))
        .filter(|(_, t)| t.lines().count() >= 450)
        .map(|(p, t)| format!("{p}: {} lines", t.lines().count()))
        .collect();
    assert!(
        long.is_empty(),
        "split these (450 lines at most, tests and styles included): {long:#?}"
    );
}

#[test]
fn a_folder_names_one_concern_once() {
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (path, _) in src_files() {
        let (dir, file) = path.rsplit_once('/').expect("a path under src/");
        let stem = file.trim_end_matches(".rs");
        if let Some((prefix, _)) = stem.split_once('_') {
            groups
                .entry((dir.to_string(), prefix.to_string()))
                .or_default()
                .push(file.to_string());
        }
    }
    let crowded: Vec<_> = groups.into_iter().filter(|(_, f)| f.len() >= 3).collect();
    assert!(
        crowded.is_empty(),
        "three or more files share a name prefix: make it a folder: {crowded:#?}"
    );
}

#[test]
fn only_the_editor_switches_on_its_stages() {
    let outside: Vec<String> = src_files()
        .into_iter()
        .filter(|(p, _)| {
            !p.starts_with("src/components/entry_editor/") && p != "src/model/entry_edit.rs"
        })
        .filter(|(_, t)| t.contains("Stage::Reviewing") || t.contains("Stage::Conflict"))
        .map(|(p, _)| p)
        .collect();
    assert!(
        outside.is_empty(),
        "the check-and-set editor owns its stages: {outside:?}"
    );
}

#[test]
fn route_params_are_read_only_through_the_routes_module() {
    let readers: Vec<String> = src_files()
        .into_iter()
        .filter(|(p, _)| !p.starts_with("src/routes"))
        .filter(|(_, t)| {
            [
                "use_params_map",
                "use_query_map",
                "use_params::<",
                "use_query::<",
            ]
            .iter()
            .any(|hook| t.contains(hook))
        })
        .map(|(p, _)| p)
        .collect();
    assert!(
        readers.is_empty(),
        "read params through the routes module's typed hook: {readers:?}"
    );
}

#[test]
fn comments_cite_consul_or_docs() {
    let issue = |line: &str| {
        let lower = line.to_lowercase();
        lower.match_indices("issue ").any(|(i, m)| {
            lower[i + m.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
    };
    let bad: Vec<String> = src_files()
        .into_iter()
        .flat_map(|(p, t)| {
            t.lines()
                .enumerate()
                .filter(|(_, l)| l.contains("fact sheet") || l.contains('§') || issue(l))
                .map(|(n, l)| format!("{p}:{}: {}", n + 1, l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        bad.is_empty(),
        "cite Consul's source (file and function) or docs/, not the team's notes: {bad:#?}"
    );
}

/// The features a feature may use (through what its `mod.rs` re-exports); see
/// `src/pages/mod.rs`.
const FEATURE_EDGES: &[(&str, &[&str])] = &[
    ("peers", &["exports", "intentions", "failover", "gateways"]),
    ("checks", &["gateways"]),
    ("map", &[]),
    ("exports", &[]),
    ("intentions", &[]),
    ("failover", &[]),
    ("gateways", &[]),
];

#[test]
fn features_use_each_other_one_way_through_their_front_door() {
    let mut bad = Vec::new();
    for (path, text) in src_files() {
        let Some(rest) = path.strip_prefix("src/pages/") else {
            continue;
        };
        let Some((feature, _)) = rest.split_once('/') else {
            continue;
        };
        let allowed = FEATURE_EDGES
            .iter()
            .find(|(f, _)| *f == feature)
            .map(|(_, to)| *to)
            .unwrap_or_else(|| panic!("{feature}: add it to FEATURE_EDGES and src/pages/mod.rs"));
        for (at, _) in text.match_indices("crate::pages::") {
            let used: String = text[at + "crate::pages::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut parts = used.split("::");
            let target = parts.next().unwrap_or_default();
            if target == feature || target.is_empty() {
                continue;
            }
            if !allowed.contains(&target) {
                bad.push(format!(
                    "{path}: {feature} → {target} is not an allowed edge"
                ));
            } else if parts.next().is_some_and(|inner| {
                if inner.is_empty() {
                    return false;
                }
                let feature_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("src/pages")
                    .join(target);
                feature_dir.join(format!("{inner}.rs")).exists() || feature_dir.join(inner).is_dir()
            }) {
                bad.push(format!(
                    "{path}: reaches into crate::pages::{used} (use what its mod.rs re-exports)"
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

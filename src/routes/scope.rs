//! Where a route sits: which cluster, and which Enterprise admin partition and namespace.
//! Empty today (the console serves the one cluster whose agent serves it, and Community
//! Edition has no partitions or namespaces); `docs/routes.md` says why these places.
use crate::url::encode;

/// The segment that introduces a cluster: `/c/:cluster/…`.
const CLUSTER: &str = "c";

/// The scope of a route. Every field empty means "the console's own cluster, default
/// partition and namespace", and adds nothing to a URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The cluster operated on, when one console serves several.
    pub cluster: String,
    /// The admin partition (Consul Enterprise; Consul's own `?partition=` query parameter).
    pub partition: String,
    /// The namespace (Consul Enterprise; Consul's own `?ns=` query parameter).
    pub namespace: String,
}

impl Scope {
    /// `/c/<cluster>` (encoded), or nothing.
    pub(super) fn prefix(&self) -> String {
        if self.cluster.is_empty() {
            String::new()
        } else {
            format!("/{CLUSTER}/{}", encode(&self.cluster))
        }
    }

    /// The query pairs after the route's own.
    pub(super) fn query_pairs(&self) -> Vec<(&'static str, Option<String>)> {
        let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
        vec![
            ("partition", some(&self.partition)),
            ("ns", some(&self.namespace)),
        ]
    }

    /// The scope named by decoded path segments and a query, and the segments of the route.
    pub(super) fn read(segments: &[String], text: impl Fn(&str) -> String) -> (Self, &[String]) {
        let (cluster, rest) = match segments {
            [first, cluster, rest @ ..] if first == CLUSTER => (cluster.clone(), rest),
            _ => (String::new(), segments),
        };
        let scope = Self {
            cluster,
            partition: text("partition"),
            namespace: text("ns"),
        };
        (scope, rest)
    }
}

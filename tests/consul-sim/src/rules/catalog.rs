//! The catalog as a read sees it: this cluster's own instances, or those
//! imported from a peer (none while the peering is being deleted or is
//! terminated).

use crate::rules::peerings::key;
use crate::state::{ServiceInstance, State};

/// An instance as seen by a reader: local, or imported from `peer`.
pub(crate) struct Seen<'a> {
    pub(crate) inst: &'a ServiceInstance,
    pub(crate) peer: Option<&'a str>,
    pub(crate) datacenter: &'a str,
}

/// Instances visible under `?peer=` (None: local ones).
pub(crate) fn instances<'a>(
    st: &'a State,
    local_dc: &'a str,
    peer: Option<&'a str>,
) -> Vec<Seen<'a>> {
    match peer {
        None => st
            .services
            .iter()
            .map(|inst| Seen {
                inst,
                peer: None,
                datacenter: local_dc,
            })
            .collect(),
        Some(p) => st
            .peerings
            .get(&key(p))
            .filter(|rec| !matches!(rec.state.as_str(), "DELETING" | "TERMINATED"))
            .map(|rec| {
                rec.imported
                    .iter()
                    .flat_map(|svc| svc.instances.iter())
                    .map(|inst| Seen {
                        inst,
                        peer: Some(rec.name.as_str()),
                        datacenter: rec.remote_datacenter.as_str(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

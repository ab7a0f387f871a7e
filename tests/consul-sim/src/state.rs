//! The simulated cluster's state: one mutex around everything Consul would
//! keep in Raft (persisted with `--data-dir`), plus in-memory stream trackers.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{watch, Notify};

use crate::cli::{Cli, ResponseHeader};
use crate::faults::Fault;
use crate::profile::Profile;

/// Static settings of this instance.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) datacenter: String,
    pub(crate) node_name: String,
    pub(crate) heartbeat_interval: Duration,
    pub(crate) heartbeat_timeout: Duration,
    pub(crate) delete_delay: Duration,
    pub(crate) acl_master: Option<String>,
    pub(crate) peering_enabled: bool,
    pub(crate) data_dir: Option<PathBuf>,
    /// `--response-header`s, one per name (the last one given wins).
    pub(crate) response_headers: Vec<ResponseHeader>,
    /// The Consul this instance answers as.
    pub(crate) profile: Profile,
}

impl Config {
    pub(crate) fn from_cli(cli: &Cli) -> Self {
        Config {
            datacenter: cli.datacenter.clone(),
            node_name: format!("consul-sim-{}", cli.datacenter),
            heartbeat_interval: cli.heartbeat_interval,
            heartbeat_timeout: cli.heartbeat_timeout,
            delete_delay: cli.delete_delay,
            acl_master: cli.acl_initial_management_token.clone(),
            peering_enabled: !cli.peering_disabled,
            data_dir: cli.data_dir.clone(),
            response_headers: cli.response_header.iter().fold(Vec::new(), |mut v, h| {
                v.retain(|x: &ResponseHeader| x.name != h.name);
                v.push(h.clone());
                v
            }),
            profile: cli.profile(),
        }
    }
    pub(crate) fn acls_enabled(&self) -> bool {
        self.acl_master.is_some()
    }
    /// The primary datacenter: `--primary-datacenter`, or this one.
    pub(crate) fn primary_datacenter(&self) -> &str {
        self.profile
            .primary_datacenter
            .as_deref()
            .unwrap_or(&self.datacenter)
    }
}

/// One peering as stored (both roles).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct PeeringRec {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) meta: BTreeMap<String, String>,
    /// Stored state: "" (undefined, shown as PENDING), PENDING, ESTABLISHING,
    /// ACTIVE, DELETING, TERMINATED.
    #[serde(default)]
    pub(crate) state: String,
    #[serde(default)]
    pub(crate) deleted_at: Option<DateTime<Utc>>,
    /// Dialer only: the acceptor's peering ID.
    #[serde(default)]
    pub(crate) peer_id: String,
    #[serde(default)]
    pub(crate) peer_ca_pems: Vec<String>,
    #[serde(default)]
    pub(crate) peer_server_name: String,
    #[serde(default)]
    pub(crate) peer_server_addresses: Vec<String>,
    #[serde(default)]
    pub(crate) manual_server_addresses: Vec<String>,
    #[serde(default)]
    pub(crate) remote_partition: String,
    #[serde(default)]
    pub(crate) remote_datacenter: String,
    pub(crate) create_index: u64,
    pub(crate) modify_index: u64,
    /// Acceptor: the secret of the newest token, until it is used.
    #[serde(default)]
    pub(crate) establishment_secret: Option<String>,
    /// Both: the secret that authenticates the stream (heartbeats).
    #[serde(default)]
    pub(crate) stream_secret: Option<String>,
    /// Acceptor: where the dialer can be reached, and its peering ID.
    #[serde(default)]
    pub(crate) remote_addr: Option<String>,
    #[serde(default)]
    pub(crate) remote_id: Option<String>,
    /// Services imported from the peer (what the last stream message said).
    #[serde(default)]
    pub(crate) imported: Vec<ExportedService>,
}

impl PeeringRec {
    pub(crate) fn is_dialer(&self) -> bool {
        !self.peer_server_addresses.is_empty() || !self.manual_server_addresses.is_empty()
    }
    pub(crate) fn dial_addresses(&self) -> Vec<String> {
        if !self.manual_server_addresses.is_empty() {
            self.manual_server_addresses.clone()
        } else {
            self.peer_server_addresses.clone()
        }
    }
}

/// The in-memory stream tracker of one peering (Consul keeps it outside Raft).
#[derive(Debug, Clone, Default)]
pub(crate) struct Tracker {
    pub(crate) connected: bool,
    pub(crate) disconnect_error: Option<String>,
    pub(crate) last_heartbeat: Option<DateTime<Utc>>,
    pub(crate) last_receive: Option<DateTime<Utc>>,
    pub(crate) last_send: Option<DateTime<Utc>>,
    pub(crate) imported: Option<Vec<String>>,
    pub(crate) exported: Option<Vec<String>>,
    /// Monotonic time of the last heartbeat received (for the timeout).
    pub(crate) last_seen: Option<Instant>,
    /// Dialer: when the last heartbeat was sent, and whether one is in flight.
    pub(crate) last_attempt: Option<Instant>,
    pub(crate) in_flight: bool,
}

/// A registered service instance (node + service + checks).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct ServiceInstance {
    pub(crate) node: String,
    pub(crate) node_id: String,
    pub(crate) address: String,
    #[serde(default)]
    pub(crate) node_meta: BTreeMap<String, String>,
    pub(crate) service_id: String,
    pub(crate) service: String,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    #[serde(default)]
    pub(crate) service_address: String,
    #[serde(default)]
    pub(crate) port: u16,
    #[serde(default)]
    pub(crate) service_meta: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) kind: String,
    /// The service's `TaggedAddresses` (`lan`, `wan`, …), as registered.
    #[serde(default)]
    pub(crate) tagged_addresses: BTreeMap<String, ServiceAddress>,
    /// The node's `TaggedAddresses` given at registration (`lan` and `wan`
    /// default to the node address when shown).
    #[serde(default)]
    pub(crate) node_tagged_addresses: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) checks: Vec<Check>,
    #[serde(default)]
    pub(crate) create_index: u64,
    #[serde(default)]
    pub(crate) modify_index: u64,
}

/// A service tagged address (`structs.ServiceAddress`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct ServiceAddress {
    #[serde(rename = "Address", alias = "address", default)]
    pub(crate) address: String,
    #[serde(rename = "Port", alias = "port", default)]
    pub(crate) port: u16,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct Check {
    pub(crate) check_id: String,
    pub(crate) name: String,
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) notes: String,
    #[serde(default)]
    pub(crate) output: String,
}

/// What the stream carries for one exported service.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct ExportedService {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) instances: Vec<ServiceInstance>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AclPolicy {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) rules: String,
    pub(crate) create_index: u64,
    pub(crate) modify_index: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AclToken {
    pub(crate) accessor_id: String,
    pub(crate) secret_id: String,
    #[serde(default)]
    pub(crate) description: String,
    /// Policy IDs.
    #[serde(default)]
    pub(crate) policies: Vec<String>,
    #[serde(default)]
    pub(crate) local: bool,
    pub(crate) create_time: DateTime<Utc>,
    pub(crate) create_index: u64,
    pub(crate) modify_index: u64,
}

/// Everything Consul would keep in Raft.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) index: u64,
    #[serde(default)]
    table_index: BTreeMap<String, u64>,
    cluster_id: String,
    pub(crate) node_id: String,
    #[serde(default)]
    pub(crate) peerings: BTreeMap<String, PeeringRec>,
    #[serde(default)]
    pub(crate) services: Vec<ServiceInstance>,
    /// kind -> name -> entry (JSON as stored, with indexes).
    #[serde(default)]
    pub(crate) config_entries: BTreeMap<String, BTreeMap<String, Value>>,
    #[serde(default)]
    pub(crate) acl_policies: BTreeMap<String, AclPolicy>,
    #[serde(default)]
    pub(crate) acl_tokens: BTreeMap<String, AclToken>,
    #[serde(skip)]
    pub(crate) trackers: HashMap<String, Tracker>,
}

impl State {
    pub(crate) fn table(&self, t: &str) -> u64 {
        self.table_index.get(t).copied().unwrap_or(0).max(1)
    }
    pub(crate) fn peering_by_id(&self, id: &str) -> Option<&PeeringRec> {
        self.peerings.values().find(|p| p.id == id)
    }
    pub(crate) fn peering_by_id_mut(&mut self, id: &str) -> Option<&mut PeeringRec> {
        self.peerings.values_mut().find(|p| p.id == id)
    }
}

/// The whole simulator, shared by every handler.
pub(crate) struct Sim {
    pub(crate) cfg: Config,
    st: Mutex<State>,
    index_tx: watch::Sender<u64>,
    pub(crate) paused: AtomicBool,
    /// Local exports may have changed: push them to peers at once.
    pub(crate) push: AtomicBool,
    /// Set by a `cas_race` fault; consumed by the next CAS config write.
    pub(crate) cas_race: AtomicBool,
    pub(crate) faults: Mutex<Vec<Fault>>,
    pub(crate) http: reqwest::Client,
    pub(crate) self_addr: OnceLock<String>,
    pub(crate) wake: Notify,
    pub(crate) ca_pem: String,
}

impl Sim {
    pub(crate) fn new(cfg: Config) -> Result<Self, String> {
        let mut state = State::default();
        if let Some(dir) = &cfg.data_dir {
            std::fs::create_dir_all(dir).map_err(|e| format!("data dir {dir:?}: {e}"))?;
            let file = dir.join("state.json");
            if file.exists() {
                let raw =
                    std::fs::read_to_string(&file).map_err(|e| format!("reading {file:?}: {e}"))?;
                state = serde_json::from_str(&raw).map_err(|e| format!("parsing {file:?}: {e}"))?;
            }
        }
        // Index 1 is "nothing written yet", so the first write is 2 and a
        // blocking query on an untouched table (index 1) wakes on it.
        state.index = state.index.max(1);
        if state.cluster_id.is_empty() {
            state.cluster_id = uuid::Uuid::new_v4().to_string();
        }
        if state.node_id.is_empty() {
            state.node_id = uuid::Uuid::new_v4().to_string();
        }
        // After a restart no stream is connected: start the clocks so that a
        // peer that never comes back turns FAILING after the timeout.
        let now = Instant::now();
        for p in state.peerings.values() {
            if matches!(p.state.as_str(), "ACTIVE" | "ESTABLISHING") {
                state.trackers.insert(
                    p.id.clone(),
                    Tracker {
                        last_seen: Some(now),
                        ..Default::default()
                    },
                );
            }
        }
        let ca_pem = fake_ca_pem(&state.cluster_id);
        let (index_tx, _) = watch::channel(state.index);
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(5))
            .no_proxy()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Sim {
            cfg,
            st: Mutex::new(state),
            index_tx,
            paused: AtomicBool::new(false),
            cas_race: AtomicBool::new(false),
            push: AtomicBool::new(false),
            faults: Mutex::new(Vec::new()),
            http,
            self_addr: OnceLock::new(),
            wake: Notify::new(),
            ca_pem,
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.st.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks the reconciler to send what this side exports to every peer now
    /// (Consul streams such changes at once rather than waiting for a heartbeat).
    pub(crate) fn push_soon(&self) {
        self.push.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    pub(crate) fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }

    /// Records a stored write touching `tables`: bumps the index, persists,
    /// wakes blocking queries. Returns the new index.
    pub(crate) fn commit(&self, st: &mut State, tables: &[&str]) -> u64 {
        st.index += 1;
        let idx = st.index;
        for t in tables {
            st.table_index.insert((*t).to_string(), idx);
        }
        self.persist(st);
        self.index_tx.send_replace(idx);
        idx
    }

    /// Reserves the next index for a write that will call `commit` (so the
    /// record can carry its own ModifyIndex).
    pub(crate) fn next_index(st: &State) -> u64 {
        st.index + 1
    }

    /// Registers an instance, or replaces the one with the same node and
    /// service ID (keeping its `CreateIndex`), and pushes the change to peers.
    pub(crate) fn register(&self, st: &mut State, mut inst: ServiceInstance) {
        let idx = Sim::next_index(st);
        let existing = st
            .services
            .iter()
            .position(|s| s.node == inst.node && s.service_id == inst.service_id);
        inst.modify_index = idx;
        match existing {
            Some(i) => {
                inst.create_index = st.services[i].create_index;
                st.services[i] = inst;
            }
            None => {
                inst.create_index = idx;
                st.services.push(inst);
            }
        }
        self.commit(st, &["catalog"]);
        self.push_soon();
    }

    pub(crate) fn persist(&self, st: &State) {
        let Some(dir) = &self.cfg.data_dir else {
            return;
        };
        let Ok(raw) = serde_json::to_vec_pretty(st) else {
            return;
        };
        let tmp = dir.join("state.json.tmp");
        if std::fs::write(&tmp, raw).is_ok() {
            let _ = std::fs::rename(&tmp, dir.join("state.json"));
        }
    }

    /// The server name (SNI) of this cluster, as Consul puts it in tokens.
    pub(crate) fn server_name(&self) -> String {
        let st = self.lock();
        format!(
            "server.{}.peering.{}.consul",
            self.cfg.datacenter, st.cluster_id
        )
    }

    pub(crate) fn addr(&self) -> String {
        self.self_addr
            .get()
            .cloned()
            .unwrap_or_else(|| "127.0.0.1:8500".into())
    }

    /// Waits until `table`'s index exceeds `index` or `wait` passes.
    pub(crate) async fn block(&self, table: &str, index: u64, wait: Duration) {
        let deadline = tokio::time::Instant::now() + wait;
        let mut rx = self.index_tx.subscribe();
        loop {
            if self.lock().table(table) > index {
                return;
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => continue,
                _ => return,
            }
        }
    }
}

/// A PEM-looking CA certificate (not a real one: nothing verifies TLS here).
fn fake_ca_pem(cluster_id: &str) -> String {
    use base64::Engine;
    let der = format!("consul-sim CA for cluster {cluster_id}");
    let b64 = base64::engine::general_purpose::STANDARD.encode(der.as_bytes());
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

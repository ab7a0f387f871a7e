//! What every feature reads from Consul the same way: its clock and error texts, the UI settings
//! an agent renders into `index.html`, what an ACL token may do, back-off under load, and the
//! fields every config entry shares.
pub mod access;
pub mod acl_token;
pub mod backoff;
pub mod clock;
pub mod cluster;
pub mod config_entry;
pub mod settings;
pub mod texts;

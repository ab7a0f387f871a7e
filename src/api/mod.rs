//! Typed client for Consul's HTTP API: one function per endpoint, one error type.
//! Requests are same-origin (`/v1/...`) and carry the operator's ACL token in `X-Consul-Token`.
pub mod acl;
pub mod agent;
pub mod catalog;
pub mod client;
pub mod config_entries;
pub mod error;
pub mod peering;
pub mod token_store;

pub use error::{ApiError, Problem};

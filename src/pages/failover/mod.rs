//! The failover feature: failover and redirects to peers (`/failover`).
pub mod list;

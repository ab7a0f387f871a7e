//! The failover feature: failover and redirects to peers (`/failover`, and a peer's tab).
pub mod list;
pub mod resolvers;
pub mod view;

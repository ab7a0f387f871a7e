//! The failover feature: failover and redirects to peers (`/failover`, and a peer's tab).
mod list;
mod resolvers;
mod view;

pub use list::FailoverPage;
pub use view::FailoverSection;

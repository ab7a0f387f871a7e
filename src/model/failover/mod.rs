//! `service-resolver` entries as far as peers go: failover targets and redirects as read
//! (`resolver`), and one edit of them for the check-and-set editor (`change`).
pub mod change;
pub mod resolver;

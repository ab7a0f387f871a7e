//! `service-resolver` entries as far as peers go: failover targets and redirects.
pub mod resolver;

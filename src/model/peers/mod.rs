//! Peerings: the `Peering` object, its liveness, names, tokens, addresses and Meta, the list's
//! search and sort, the alarms worth interrupting for, and what a delete leaves behind.
pub mod address;
pub mod alarms;
pub mod freshness;
pub mod impact;
pub mod list;
pub mod meta;
pub mod name;
pub mod peering;
pub mod token;

//! The `exported-services` entry: its consumers (`entry`), one change for the check-and-set
//! editor (`change`), and Consul's validation texts placed at their service (`errors`).
pub mod change;
pub mod entry;
pub mod errors;

//! The two "why can't…" checklists: the exporting side's (`/peers/:name/exported/:service`) and
//! the importing side's (`/peers/:name/imported/:service`).
pub mod ask_intention;
pub mod check_list;
pub mod export;
pub mod import;
mod reads;

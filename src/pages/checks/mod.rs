//! The two "why can't…" checklists: the exporting side's (`/peers/:name/exported/:service`) and
//! the importing side's (`/peers/:name/imported/:service`).
mod ask_intention;
mod check_list;
mod export;
mod import;
mod reads;

pub use export::WhyExportPage;
pub use import::WhyImportPage;

//! The two "why can't…" checklists: what a line is and the rules both share (`lines`), the
//! exporting side's (`exporter`) and the importing side's (`importer`).
pub mod exporter;
pub mod importer;
pub mod lines;

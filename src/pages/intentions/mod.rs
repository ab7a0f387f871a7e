//! The intentions feature: the list with "Can it talk?" (`/intentions`) and the rule editor
//! (`/intentions/new`, `/intentions/:destination/edit`) with its private parts.
mod delete;
pub mod edit;
mod editor;
pub mod for_peer;
mod form;
pub mod list;
mod parts;
pub mod table;
mod talk;

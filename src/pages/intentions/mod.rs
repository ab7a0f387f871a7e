//! The intentions feature: the list with "Can it talk?" (`/intentions`) and the rule editor
//! (`/intentions/new`, `/intentions/:destination/edit`) with its private parts.
mod delete;
pub mod edit;
mod editor;
mod form;
pub mod list;
mod parts;
mod talk;

//! The map feature (`/map`): the page, its SVG drawing and the same data as a table.
mod drawing;
mod page;
mod table;

pub use page::MapPage;

//! Intentions (`service-intentions` entries): the rows shown, one rule's edit and its change for
//! the check-and-set editor, Consul's validation texts placed at their field, the notes under
//! the form, and precedence with "Can it talk?".
pub mod change;
pub mod edit;
pub mod errors;
pub mod notes;
pub mod precedence;
pub mod rows;

//! ACLs: policies with HCL (or JSON) rules, tokens, resolution of the
//! request's token, Consul's denial texts, and the `/v1/acl` endpoints.
//!
//! - [`rules`]: the rule model and its parser (what a policy says);
//! - [`resolve`]: which token a request carries and what it may do;
//! - [`endpoints`]: the HTTP handlers of `/v1/acl/*` and `authorize`.

mod endpoints;
mod resolve;
mod rules;

pub(crate) use endpoints::{
    authorize, policy_by_id, policy_create, policy_list, token_by_id, token_create, token_list,
    token_self,
};
pub(crate) use resolve::{bootstrap, Authz};
pub(crate) use rules::Access;

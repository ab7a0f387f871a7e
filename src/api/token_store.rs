//! Where the operator's ACL token lives: `sessionStorage` (this tab) unless they chose
//! "remember on this browser" (`localStorage`). Never in a URL, never logged.
const KEY: &str = "peering-console:acl-token";

fn storages() -> Vec<web_sys::Storage> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    [window.session_storage(), window.local_storage()]
        .into_iter()
        .filter_map(|s| s.ok().flatten())
        .collect()
}

/// The token to send, if any: the tab's first, then the remembered one.
pub fn current() -> Option<String> {
    storages()
        .iter()
        .find_map(|s| s.get_item(KEY).ok().flatten())
        .filter(|t| !t.is_empty())
}

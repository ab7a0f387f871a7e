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

fn storage(remember: bool) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    let storage = if remember {
        window.local_storage()
    } else {
        window.session_storage()
    };
    storage.ok().flatten()
}

/// Keeps the token for this tab, or on this browser when the operator chose "remember".
pub fn store(token: &str, remember: bool) {
    forget();
    if let Some(s) = storage(remember) {
        let _ = s.set_item(KEY, token);
    }
}

/// Whether the current token is remembered on this browser.
pub fn is_remembered() -> bool {
    storage(true)
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .is_some()
}

/// Sign out: forget the token everywhere.
pub fn forget() {
    for s in storages() {
        let _ = s.remove_item(KEY);
    }
}

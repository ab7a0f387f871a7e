//! Where the operator's ACL token lives: `sessionStorage` (this tab) unless they chose
//! "remember on this browser" (`localStorage`). Never in a URL, never logged.
//!
//! A tab's own token wins over the remembered one, and signing in or out for one tab leaves the
//! remembered token (what other tabs use) alone. An empty tab entry means "signed out in this
//! tab": the remembered token is not used there until the tab signs in again.
const KEY: &str = "peering-console:acl-token";

fn storages() -> Vec<web_sys::Storage> {
    [storage(false), storage(true)]
        .into_iter()
        .flatten()
        .collect()
}

/// The token to send, if any: the tab's first (an empty one: signed out here), then the
/// remembered one. `public/loader.js` `storedToken` reads the same way.
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

/// Keeps the token for this tab only (a remembered one stays for the other tabs), or, when the
/// operator chose "remember", on this browser in place of the remembered one.
pub fn store(token: &str, remember: bool) {
    if remember {
        if let Some(s) = storage(true) {
            let _ = s.set_item(KEY, token);
        }
        // This tab now uses the remembered token.
        if let Some(s) = storage(false) {
            let _ = s.remove_item(KEY);
        }
    } else if let Some(s) = storage(false) {
        let _ = s.set_item(KEY, token);
    }
}

/// Whether this tab uses the token remembered on this browser (not one of its own).
pub fn uses_remembered() -> bool {
    let tab_own = storage(false).and_then(|s| s.get_item(KEY).ok().flatten());
    tab_own.is_none()
        && storage(true)
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .is_some_and(|t| !t.is_empty())
}

/// Sign out in this tab. A tab-only token is dropped and the tab stays signed out (the
/// remembered token, if any, stays for other tabs); the remembered token, when this tab uses
/// it, is forgotten on this browser.
pub fn sign_out() {
    if uses_remembered() {
        if let Some(s) = storage(true) {
            let _ = s.remove_item(KEY);
        }
    }
    if let Some(s) = storage(false) {
        let _ = s.set_item(KEY, "");
    }
}

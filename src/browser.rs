//! Reads what the hosting page tells the app: the agent's settings block and the base URL.
//! The only module that looks at the DOM outside the views.
use crate::model::settings::{router_base, UiSettings};

/// The `{{ jsonEncode . }}` block Consul renders into index.html (defaults when unrendered).
pub fn ui_settings() -> UiSettings {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("consul-ui-config"))
        .and_then(|el| el.text_content())
        .map(|text| UiSettings::parse(&text))
        .unwrap_or_default()
}

/// The router base taken from the page's `<base href>` (filled from `ContentPath`), e.g. `/ui`.
pub fn router_base_path() -> String {
    let base_uri = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    // base_uri is absolute (`http://host:port/ui/`): keep only its path.
    let path = base_uri
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    router_base(path)
}

/// Removes the static loading shell of index.html once the app is mounted.
pub fn remove_boot_shell() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot-shell"))
    {
        el.remove();
    }
}

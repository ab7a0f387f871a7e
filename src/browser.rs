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

/// Copies `text`: the Clipboard API in a secure context, else a hidden textarea and
/// `execCommand("copy")`, which still works on plain-HTTP origins where `navigator.clipboard`
/// does not exist.
pub async fn copy_text(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard_api = window.is_secure_context()
        && js_sys::Reflect::get(&window.navigator(), &"clipboard".into())
            .is_ok_and(|c| !c.is_undefined());
    if clipboard_api {
        let promise = window.navigator().clipboard().write_text(text);
        if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
            return true;
        }
    }
    let Some(document) = window.document() else {
        return false;
    };
    let Ok(area) = document.create_element("textarea") else {
        return false;
    };
    let Ok(area) = area.dyn_into::<web_sys::HtmlTextAreaElement>() else {
        return false;
    };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("style", "position:fixed;top:0;left:0;opacity:0");
    let Some(body) = document.body() else {
        return false;
    };
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let copied = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .is_some_and(|d| d.exec_command("copy").unwrap_or(false));
    area.remove();
    copied
}

/// Whether the tab is hidden (polling pauses then).
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Milliseconds since the epoch, by the browser's clock (only for "updated N s ago").
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Arrow keys in a tab list move to the previous or next tab and select it (the ARIA tabs pattern).
pub fn tablist_keydown(ev: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let forward = match ev.key().as_str() {
        "ArrowRight" => true,
        "ArrowLeft" => false,
        _ => return,
    };
    let Some(current) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let next = if forward {
        current.next_element_sibling()
    } else {
        current.previous_element_sibling()
    };
    if let Some(tab) = next.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        tab.click();
        let _ = tab.focus();
    }
}

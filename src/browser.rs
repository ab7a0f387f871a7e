//! Reads what the hosting page tells the app: the agent's settings block and the base URL.
//! The only module that looks at the DOM outside the views.
use crate::model::consul::settings::{router_base, UiSettings};
use crate::routes::prefetches_peerings;

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
/// Only a path on the page's own origin is used: a base on another origin (never set by
/// `loader.js`) gives the root instead, and runs of slashes collapse so it can never become
/// protocol-relative.
pub fn router_base_path() -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let origin = window.location().origin().unwrap_or_default();
    let base_uri = window
        .document()
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    router_base(&same_origin_path(&base_uri, &origin))
}

/// Whether the page is one where the loader asked for `/v1/peerings` early (the peers list, the
/// base it redirects from, the map: `routes::prefetch_paths`).
pub fn on_peers_page() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let path = window.location().pathname().unwrap_or_default();
    is_peers_path(&path, &router_base_path())
}

fn is_peers_path(path: &str, base: &str) -> bool {
    let mut collapsed = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    collapsed
        .strip_prefix(base)
        .is_some_and(|rest| (rest.is_empty() || rest.starts_with('/')) && prefetches_peerings(rest))
}

/// Sets the document title (the app follows the route with it).
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

/// The path of `url` when it is on `origin` (`/` otherwise), without query, fragment or
/// empty segments.
fn same_origin_path(url: &str, origin: &str) -> String {
    let path = match url.strip_prefix(origin) {
        Some(rest) if !origin.is_empty() && rest.starts_with('/') => rest,
        _ => "/",
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// Whether the page is framed by a page of another origin (the console then refuses to start:
/// clickjacking, or an operator's token used under someone else's page). `frame-ancestors 'none'`
/// in the server's CSP stops this too; this covers servers that do not send it.
pub fn framed_by_other_origin() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(origin) = window.location().origin() else {
        return true;
    };
    let ancestor_differs = |other: Result<Option<web_sys::Window>, wasm_bindgen::JsValue>| {
        match other {
            Ok(Some(w)) => {
                let this: &wasm_bindgen::JsValue = window.as_ref();
                let that: &wasm_bindgen::JsValue = w.as_ref();
                // Reading another origin's location.origin throws.
                this != that && w.location().origin().map_or(true, |o| o != origin)
            }
            Ok(None) => false,
            Err(_) => true,
        }
    };
    ancestor_differs(window.top()) || ancestor_differs(window.parent())
}

/// Replaces the loading shell's text with a message (when the console will not start).
pub fn show_boot_message(text: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("#boot-shell .boot-text").ok().flatten())
    {
        el.set_text_content(Some(text));
    }
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
    // Kept out of sight by a class, not a `style` attribute (a strict CSP forbids inline style);
    // not `hidden` or `display: none`, or there is nothing to select.
    area.set_class_name("visually-hidden");
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("aria-hidden", "true");
    let _ = area.set_attribute("tabindex", "-1");
    let Some(body) = document.body() else {
        return false;
    };
    let previous = document
        .active_element()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if body.append_child(&area).is_err() {
        return false;
    }
    focus_without_scrolling(&area);
    let _ = area.set_selection_range(0, area.value().encode_utf16().count() as u32);
    let copied = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .is_some_and(|d| d.exec_command("copy").unwrap_or(false));
    area.remove();
    if let Some(previous) = previous {
        focus_without_scrolling(&previous);
    }
    copied
}

/// `el.focus({ preventScroll: true })`: the copy textarea sits at the end of the body.
fn focus_without_scrolling(el: &web_sys::HtmlElement) {
    use wasm_bindgen::JsCast;
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
    match js_sys::Reflect::get(el, &"focus".into()).map(|f| f.dyn_into::<js_sys::Function>()) {
        Ok(Ok(focus)) => {
            let _ = focus.call1(el, &options);
        }
        _ => {
            let _ = el.focus();
        }
    }
}

/// Focuses the first element matching `selector` once the next frame is drawn (an SVG element
/// too: `focus` is on every element, not only `HtmlElement`). For controls a view replaces.
pub fn focus_soon(selector: String) {
    use wasm_bindgen::JsCast;
    leptos::prelude::request_animation_frame(move || {
        let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
        else {
            return;
        };
        if let Ok(Ok(focus)) =
            js_sys::Reflect::get(&el, &"focus".into()).map(|f| f.dyn_into::<js_sys::Function>())
        {
            let _ = focus.call0(&el);
        }
    });
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

/// Keys in a tab list (the ARIA tabs pattern, automatic activation): Left and Right move to the
/// previous or next tab, Home and End to the first or last, and the tab is followed (clicked:
/// a button selects, a link navigates).
pub fn tablist_keydown(ev: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let Some(current) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let list = current.parent_element();
    let next = match ev.key().as_str() {
        "ArrowRight" => current.next_element_sibling(),
        "ArrowLeft" => current.previous_element_sibling(),
        "Home" => list.and_then(|l| l.first_element_child()),
        "End" => list.and_then(|l| l.last_element_child()),
        _ => return,
    };
    if let Some(tab) = next.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        tab.click();
        let _ = tab.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::{is_peers_path, same_origin_path};

    #[test]
    fn peers_page_under_any_base() {
        assert!(is_peers_path("/ui/peers", "/ui"));
        assert!(is_peers_path("/ui//peers/", "/ui"));
        assert!(is_peers_path("/ui/", "/ui"));
        assert!(is_peers_path("/peers", ""));
        assert!(is_peers_path("/ui/map", "/ui"));
        assert!(!is_peers_path("/ui/mapx", "/ui"));
        assert!(!is_peers_path("/ui/peers/new", "/ui"));
        assert!(!is_peers_path("/ui/exports", "/ui"));
        assert!(!is_peers_path("/uix/peers", "/ui"));
    }

    #[test]
    fn base_path_stays_on_the_page_origin() {
        let o = "https://proxy.example";
        assert_eq!(
            same_origin_path("https://proxy.example/peering/", o),
            "/peering/"
        );
        assert_eq!(same_origin_path("https://proxy.example/ui/?x#y", o), "/ui/");
        // Protocol-relative and other origins never come through.
        assert_eq!(
            same_origin_path("https://proxy.example//attacker.example/", o),
            "/attacker.example/"
        );
        assert_eq!(same_origin_path("https://attacker.example/peers/", o), "/");
        assert_eq!(
            same_origin_path("https://proxy.example.attacker.example/x/", o),
            "/"
        );
        assert_eq!(same_origin_path("https://proxy.example:444/x/", o), "/");
        assert_eq!(same_origin_path("", ""), "/");
    }
}

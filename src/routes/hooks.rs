//! The leptos side of the routes: the router matches `Pattern`s, and pages read the current
//! location as a `Route` through `use_route` (never by a parameter's name).
use super::{Pattern, Route, Seg};
use crate::components::app_link::RouterBase;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::{
    NavigateOptions, ParamSegment, PartialPathMatch, PathSegment, PossibleRouteMatch, StaticSegment,
};
use std::time::Duration;

/// How long typing pauses before a filter's text is written to the URL.
const FILTER_PAUSE: Duration = Duration::from_millis(300);

impl PossibleRouteMatch for Pattern {
    fn optional(&self) -> bool {
        false
    }

    /// Each segment as leptos_router's own segment types match it, one after the other.
    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        if self.0.is_empty() {
            return StaticSegment("").test(path);
        }
        let mut rest = path;
        let mut params = Vec::new();
        for seg in self.0 {
            let found = match seg {
                Seg::Static(word) => StaticSegment(*word).test(rest)?,
                Seg::Param(name) => ParamSegment(name).test(rest)?,
            };
            rest = found.remaining();
            params.extend(found.params());
        }
        let matched = &path[..path.len() - rest.len()];
        Some(PartialPathMatch::new(rest, params, matched))
    }

    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        for seg in self.0 {
            match seg {
                Seg::Static(word) => StaticSegment(*word).generate_path(path),
                Seg::Param(name) => ParamSegment(name).generate_path(path),
            }
        }
    }
}

/// The current location as a route (`None`: a path the console does not know).
pub fn use_route() -> Memo<Option<Route>> {
    let location = use_location();
    let base = use_context::<RouterBase>().unwrap_or_default().0;
    Memo::new(move |_| {
        let path = location.pathname.get();
        let rest = path.strip_prefix(base.as_str()).unwrap_or(&path);
        location
            .search
            .with(|search| Route::parse(&format!("{rest}?{search}")))
    })
}

/// What a page reads from its route: `pick` gives it while the location is the page's, and the
/// last value is kept while it is not (a page still mounted as the router leaves it must not
/// follow another route's parameters).
pub fn use_route_part<T>(pick: impl Fn(&Route) -> Option<T> + Send + Sync + 'static) -> Memo<T>
where
    T: Clone + Default + PartialEq + Send + Sync + 'static,
{
    let route = use_route();
    Memo::new(move |before: Option<&T>| {
        route
            .with(|r| r.as_ref().and_then(&pick))
            .or_else(|| before.cloned())
            .unwrap_or_default()
    })
}

/// Goes to `route` in place of the current history entry (a filter, a redirect), keeping the
/// scroll position.
pub fn use_replace_route() -> impl Fn(&Route) + Clone {
    let navigate = use_navigate();
    move |route: &Route| {
        navigate(
            &route.href(),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        )
    }
}

/// A text filter kept in the URL, the console's one policy for filters: what is typed applies
/// at once; the URL follows once typing pauses for `FILTER_PAUSE` (history replace: a router
/// navigation per keystroke costs more than the filter itself, and Back should leave the page,
/// not undo letters); a URL that changes otherwise (a link, Back) sets the text. Returns the
/// text and the input handler; `write` gets the text to put in the URL (it builds the route
/// from the other filters' current values too).
pub fn use_url_filter(
    from_url: Memo<String>,
    write: impl Fn(String) + Clone + 'static,
) -> (RwSignal<String>, impl Fn(String) + Clone + 'static) {
    let text = RwSignal::new(from_url.get_untracked());
    Effect::new(move |first_done: Option<()>| {
        let url = from_url.get();
        if first_done.is_some() && text.get_untracked() != url {
            text.set(url);
        }
    });
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |typed: String| {
        text.set(typed);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let write = write.clone();
        let handle = set_timeout_with_handle(
            move || {
                // The page may be gone by now (the operator navigated away): then do nothing.
                if let Some(current) = text.try_get_untracked() {
                    if from_url.try_get_untracked().is_some_and(|u| u != current) {
                        write(current);
                    }
                }
            },
            FILTER_PAUSE,
        );
        pending.set_value(handle.ok());
    };
    (text, on_input)
}

#[cfg(test)]
mod tests {
    use super::super::{patterns, PeerTab};
    use super::*;

    fn params(pattern: Pattern, path: &str) -> Option<Vec<(String, String)>> {
        pattern.test(path).filter(|m| m.is_complete()).map(|m| {
            m.params()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect()
        })
    }

    #[test]
    fn the_router_matches_what_href_writes() {
        assert_eq!(params(patterns::PEERS, "/peers"), Some(vec![]));
        assert_eq!(
            params(patterns::PEER, "/peers/dc%202"),
            Some(vec![("name".into(), "dc%202".into())])
        );
        assert_eq!(
            params(patterns::WHY_EXPORT, "/peers/dc2/exported/web"),
            Some(vec![
                ("name".into(), "dc2".into()),
                ("service".into(), "web".into())
            ])
        );
        assert_eq!(params(patterns::PEERS, "/peersx"), None);
        assert_eq!(params(patterns::MAP, "/peers"), None);
        let m = patterns::PEER.test("/peers/dc2/exported-services");
        let rest = m.map(|m| m.remaining().to_string());
        assert_eq!(rest.as_deref(), Some("/exported-services"));
        assert!(PeerTab::Exported
            .pattern()
            .test("/exported-services")
            .is_some_and(|m| m.is_complete()));
        assert!(params(patterns::INDEX, "").is_some());
    }
}

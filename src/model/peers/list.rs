//! Search, state filter and sort of the Peers list. They live in the URL query (`q`, `state`,
//! `sort`) so a view can be shared and survives a reload.
use crate::model::peers::freshness::last_activity;
use crate::model::peers::peering::{Peering, PeeringState};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Name,
    State,
    Heartbeat,
}

/// Rows per page: long lists are paged so filtering 10,000 peerings repaints one page, not 10,000 rows
/// (25 keeps a keystroke within about one frame; see docs/performance.md).
pub const PAGE_SIZE: usize = 25;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub search: String,
    pub state: Option<PeeringState>,
    pub sort: SortKey,
    pub descending: bool,
    /// 1-based page number.
    pub page: usize,
}

/// One page of `items` (clamped to the last page) and the number of pages (at least 1).
pub fn page_of<T>(items: &[T], page: usize) -> (&[T], usize, usize) {
    let pages = items.len().div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * PAGE_SIZE;
    let end = (start + PAGE_SIZE).min(items.len());
    (&items[start..end], page, pages)
}

impl ListQuery {
    /// Reads the query parameters; unknown values fall back to defaults rather than failing.
    pub fn from_params(q: Option<&str>, state: Option<&str>, sort: Option<&str>) -> Self {
        let state = state
            .map(|s| PeeringState::from_consul(&s.to_ascii_uppercase()))
            .filter(|s| !matches!(s, PeeringState::Undefined(_)));
        let sort = sort.unwrap_or("name");
        let (descending, key) = match sort.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, sort),
        };
        let sort = match key {
            "state" => SortKey::State,
            "heartbeat" => SortKey::Heartbeat,
            _ => SortKey::Name,
        };
        Self {
            search: q.unwrap_or_default().to_string(),
            state,
            sort,
            descending,
            page: 1,
        }
    }

    /// With the `page` parameter (invalid or missing means the first page).
    pub fn with_page(mut self, page: Option<&str>) -> Self {
        self.page = page
            .and_then(|p| p.parse().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1);
        self
    }

    /// The `sort` parameter value (`None` for the default).
    pub fn sort_param(&self) -> Option<String> {
        let key = match self.sort {
            SortKey::Name => "name",
            SortKey::State => "state",
            SortKey::Heartbeat => "heartbeat",
        };
        match (self.sort, self.descending) {
            (SortKey::Name, false) => None,
            (_, true) => Some(format!("-{key}")),
            (_, false) => Some(key.to_string()),
        }
    }

    /// The peerings to show, in order (the list's view uses the prepared form).
    #[cfg(test)]
    pub fn apply<'a>(&self, peerings: &'a [Peering]) -> Vec<&'a Peering> {
        let prepared = PreparedList::new(peerings, self.sort, self.descending);
        prepared
            .select(peerings, &self.search, self.state)
            .into_iter()
            .filter_map(|i| peerings.get(i))
            .collect()
    }
}

/// A list sorted once and indexed for search, so a keystroke over 10,000 peerings only scans
/// precomputed lowercase keys: no sorting, no allocation per peering.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreparedList {
    /// Indices into the peerings, in display order.
    order: Vec<usize>,
    /// Lowercase "name\\nid" per peering (the newline keeps a search from spanning both), for case-insensitive search.
    keys: Vec<String>,
}

impl PreparedList {
    pub fn new(peerings: &[Peering], sort: SortKey, descending: bool) -> Self {
        let mut order: Vec<usize> = (0..peerings.len()).collect();
        let by_name = |a: &usize, b: &usize| peerings[*a].name.cmp(&peerings[*b].name);
        match sort {
            SortKey::Name => order.sort_by(by_name),
            SortKey::State => order.sort_by(|a, b| {
                peerings[*a]
                    .state
                    .cmp(&peerings[*b].state)
                    .then_with(|| by_name(a, b))
            }),
            // Newest first by default: what is alive matters most; never-heard-from last.
            SortKey::Heartbeat => {
                let activity: Vec<Option<i64>> = peerings.iter().map(last_activity).collect();
                order.sort_by(|a, b| activity[*b].cmp(&activity[*a]).then_with(|| by_name(a, b)));
            }
        }
        if descending {
            order.reverse();
        }
        let keys = peerings
            .iter()
            .map(|p| format!("{}\n{}", p.name, p.id).to_lowercase())
            .collect();
        Self { order, keys }
    }

    /// Indices of the peerings matching `search` (name or ID) and `state`, in display order.
    pub fn select(
        &self,
        peerings: &[Peering],
        search: &str,
        state: Option<PeeringState>,
    ) -> Vec<usize> {
        let needle = search.trim().to_lowercase();
        self.order
            .iter()
            .copied()
            .filter(|&i| needle.is_empty() || self.keys.get(i).is_some_and(|k| k.contains(&needle)))
            .filter(|&i| state.is_none_or(|s| peerings.get(i).is_some_and(|p| p.state == s)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, id: &str, state: &str, hb: Option<&str>) -> Peering {
        serde_json::from_value(serde_json::json!({
            "ID": id, "Name": name, "State": state, "StreamStatus": {"LastHeartbeat": hb}
        }))
        .expect("fixture")
    }

    fn names(v: Vec<&Peering>) -> Vec<&str> {
        v.into_iter().map(|p| p.name.as_str()).collect()
    }

    fn fixture() -> Vec<Peering> {
        vec![
            p("west", "aaa-111", "FAILING", Some("2026-11-27T09:00:00Z")),
            p("east", "bbb-222", "ACTIVE", Some("2026-11-27T09:09:00Z")),
            p("north", "ccc-333", "PENDING", None),
        ]
    }

    #[test]
    fn default_is_by_name() {
        let list = fixture();
        assert_eq!(
            names(ListQuery::default().apply(&list)),
            vec!["east", "north", "west"]
        );
    }

    #[test]
    fn searches_name_and_id_case_insensitively() {
        let list = fixture();
        assert_eq!(
            names(ListQuery::from_params(Some("WE"), None, None).apply(&list)),
            vec!["west"]
        );
        assert_eq!(
            names(ListQuery::from_params(Some("ccc"), None, None).apply(&list)),
            vec!["north"]
        );
    }

    #[test]
    fn filters_by_state() {
        let list = fixture();
        assert_eq!(
            names(ListQuery::from_params(None, Some("active"), None).apply(&list)),
            vec!["east"]
        );
        // Unknown state values are ignored rather than hiding everything.
        assert_eq!(
            ListQuery::from_params(None, Some("bogus"), None).state,
            None
        );
    }

    #[test]
    fn sorts_by_state_and_heartbeat_both_ways() {
        let list = fixture();
        assert_eq!(
            names(ListQuery::from_params(None, None, Some("state")).apply(&list)),
            vec!["north", "east", "west"]
        );
        assert_eq!(
            names(ListQuery::from_params(None, None, Some("heartbeat")).apply(&list)),
            vec!["east", "west", "north"]
        );
        assert_eq!(
            names(ListQuery::from_params(None, None, Some("-name")).apply(&list)),
            vec!["west", "north", "east"]
        );
    }

    #[test]
    fn pages_long_lists() {
        let items: Vec<usize> = (0..PAGE_SIZE * 2 + 20).collect();
        let (page, n, pages) = page_of(&items, 3);
        assert_eq!((page.len(), n, pages), (20, 3, 3));
        assert_eq!(page[0], PAGE_SIZE * 2);
        assert_eq!(page_of(&items, 99).1, 3);
        assert_eq!(page_of(&items, 0).1, 1);
        let empty: Vec<usize> = Vec::new();
        assert_eq!(page_of(&empty, 1), (&empty[..], 1, 1));
        assert_eq!(ListQuery::default().with_page(Some("2")).page, 2);
        assert_eq!(ListQuery::default().with_page(Some("x")).page, 1);
        assert_eq!(ListQuery::default().with_page(Some("0")).page, 1);
    }

    #[test]
    fn sort_param_round_trips() {
        for s in [
            None,
            Some("state"),
            Some("-state"),
            Some("heartbeat"),
            Some("-name"),
        ] {
            assert_eq!(
                ListQuery::from_params(None, None, s)
                    .sort_param()
                    .as_deref(),
                s
            );
        }
    }
}

//! Where an editor reads the entry it edits, and what it updates after a save or a lost race.
use crate::components::loaded::Loaded;
use leptos::prelude::*;
use serde_json::Value;

/// The version a change is proposed onto.
#[derive(Clone, Debug, PartialEq)]
pub enum Base {
    /// Not read yet (or the read failed): nothing can be proposed.
    Unread,
    /// As the operator sees it (`None`: there is no such entry).
    Read(Option<Value>),
    /// Read the latest version from Consul first (a new intention joins whatever entry its
    /// destination has by then).
    Latest,
}

/// What the page shows of the entries an editor changes.
pub trait EntrySource: 'static {
    /// The entry `kind`/`name` as the operator sees it, untracked.
    fn base(&self, kind: &str, name: &str) -> Base;
    /// After a lost race: the entry as it is now (`None`: deleted), so the page shows it.
    fn put(&self, kind: &str, name: &str, latest: Option<Value>);
    /// After a save: read again.
    fn refetch(&self);
}

/// One entry (`Some(None)`: there is none yet).
impl EntrySource for Loaded<Option<Value>> {
    fn base(&self, _kind: &str, _name: &str) -> Base {
        self.data
            .with_untracked(|e| e.clone().map_or(Base::Unread, Base::Read))
    }

    fn put(&self, _kind: &str, _name: &str, latest: Option<Value>) {
        self.data.set(Some(latest));
    }

    fn refetch(&self) {
        Loaded::refetch(*self);
    }
}

/// Every entry of one kind (`GET /v1/config/:kind`), by `Name`.
impl EntrySource for Loaded<Vec<Value>> {
    fn base(&self, _kind: &str, name: &str) -> Base {
        self.data.with_untracked(|l| match l {
            None => Base::Unread,
            Some(l) => Base::Read(l.iter().find(|e| named(e, name)).cloned()),
        })
    }

    fn put(&self, _kind: &str, name: &str, latest: Option<Value>) {
        self.data.update(|list| {
            if let Some(list) = list {
                list.retain(|e| !named(e, name));
                list.extend(latest);
            }
        });
    }

    fn refetch(&self) {
        Loaded::refetch(*self);
    }
}

fn named(entry: &Value, name: &str) -> bool {
    entry.get("Name").and_then(Value::as_str) == Some(name)
}

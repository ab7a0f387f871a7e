//! Notices about peerings that went bad while the console was open. They live at the app level
//! so they survive navigation, and stay until the operator dismisses them.
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Notices(RwSignal<Vec<(u64, String)>>, StoredValue<u64>);

impl Notices {
    pub fn push(self, text: String) {
        let id = self.1.get_value() + 1;
        self.1.set_value(id);
        self.0.update(|n| {
            if !n.iter().any(|(_, t)| *t == text) {
                n.push((id, text));
            }
        });
    }
}

pub fn provide_notices() {
    provide_context(Notices(RwSignal::new(Vec::new()), StoredValue::new(0)));
    provide_context(Flash(RwSignal::new(None)));
}

/// A one-time confirmation for the next page ("Saved … " after an editor closes). It comes from
/// the app's own state, never from the URL, so a link cannot make the console say anything.
#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Option<String>>);

impl Flash {
    pub fn set(self, text: String) {
        self.0.set(Some(text));
    }

    /// The confirmation, once: the next page takes it.
    pub fn take(self) -> Option<String> {
        self.0.try_update_untracked(Option::take).flatten()
    }
}

pub fn use_flash() -> Flash {
    expect_context::<Flash>()
}

pub fn use_notices() -> Notices {
    expect_context::<Notices>()
}

/// The list of notices, each with Dismiss.
#[component]
pub fn NoticeList() -> impl IntoView {
    let Notices(list, _) = use_notices();
    view! {
        <div class="notices" aria-live="assertive">
            <For each=move || list.get() key=|(id, _)| *id let:item>
                <div class="notice warn" role="alert">
                    <span>{item.1.clone()}</span>
                    <button type="button" class="secondary" on:click=move |_| list.update(|n| n.retain(|(id, _)| *id != item.0))>
                        "Dismiss"
                    </button>
                </div>
            </For>
        </div>
    }
    .into_any()
}

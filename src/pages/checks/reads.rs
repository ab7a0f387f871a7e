//! What both checklist pages do with an answer: a failure becomes the reason its lines show.
use crate::api::client::Reply;
use crate::api::ApiError;
use crate::model::checks::lines::Read;
use crate::model::peers::freshness::parse_http_date;
use crate::model::peers::peering::Peering;
use crate::pages::checks::check_list::reason;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub fn read<T>(result: Result<T, ApiError>) -> Read<T> {
    result.map_err(|e| reason(&e))
}

/// The peering (`None`: Consul has none of that name) and Consul's clock from the same answer.
pub fn read_peering(
    result: Result<(Peering, Reply), ApiError>,
) -> (Read<Option<Peering>>, Option<i64>) {
    match result {
        Ok((p, reply)) => (
            Ok(Some(p)),
            reply.server_date.as_deref().and_then(parse_http_date),
        ),
        Err(ApiError::Http { status: 404, .. }) => (Ok(None), None),
        Err(e) => (Err(reason(&e)), None),
    }
}

/// The peer and the service the page is about, from `/peers/:name/…/:service`.
pub fn peer_and_service() -> (Memo<String>, Memo<String>) {
    let params = use_params_map();
    (
        Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default())),
        Memo::new(move |_| params.with(|p| p.get("service").unwrap_or_default())),
    )
}

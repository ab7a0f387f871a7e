//! What both checklist pages do with an answer: a failure becomes the reason its lines show.
use crate::api::client::Reply;
use crate::api::ApiError;
use crate::model::checks::lines::Read;
use crate::model::peers::freshness::parse_http_date;
use crate::model::peers::peering::Peering;
use crate::pages::checks::check_list::reason;
use crate::routes::hooks::use_route_part;
use crate::routes::Route;
use leptos::prelude::*;

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

/// The peer and the service the page is about, from `/peers/:name/{exported,imported}/:service`.
pub fn peer_and_service() -> (Memo<String>, Memo<String>) {
    let both = use_route_part(|r| match r {
        Route::WhyExport { peer, service } | Route::WhyImport { peer, service } => {
            Some((peer.clone(), service.clone()))
        }
        _ => None,
    });
    (
        Memo::new(move |_| both.with(|(peer, _)| peer.clone())),
        Memo::new(move |_| both.with(|(_, service)| service.clone())),
    )
}

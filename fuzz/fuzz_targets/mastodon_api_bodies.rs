//! Foreign input: what Mastodon clients send: request bodies (JSON, form-urlencoded and
//! multipart) through the API's own `Params` extractor into each endpoint's form, and query
//! strings into the query structs and the paging and list readers.
#![no_main]

use axum::extract::{FromRequest, Query};
use buurtnet_web::api::{Params, accounts, media, oauth, proposals, search, statuses, timelines};
use http::Uri;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;

const CONTENT_TYPES: [&str; 3] = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=X"];

async fn params<T: DeserializeOwned + Send>(content_type: &str, body: &[u8]) {
    let request = http::Request::post("/api/v1/statuses")
        .header("content-type", content_type)
        .body(axum::body::Body::from(body.to_vec()))
        .expect("a valid request");
    let _ = Params::<T>::from_request(request, &()).await;
}

fuzz_target!(|body: &[u8]| {
    futures::executor::block_on(async {
        for content_type in CONTENT_TYPES {
            params::<statuses::StatusForm>(content_type, body).await;
            params::<oauth::AppForm>(content_type, body).await;
            params::<oauth::TokenForm>(content_type, body).await;
            params::<oauth::RevokeForm>(content_type, body).await;
            params::<accounts::CredentialsForm>(content_type, body).await;
            params::<accounts::ReportForm>(content_type, body).await;
            params::<accounts::MarkersForm>(content_type, body).await;
            params::<media::DescribeForm>(content_type, body).await;
            params::<proposals::HelpedParams>(content_type, body).await;
        }
    });
    let Ok(uri) = format!("/api/v1/timelines/home?{}", String::from_utf8_lossy(body)).parse::<Uri>() else { return };
    if let Ok(Query(page)) = Query::<accounts::PageQuery>::try_from_uri(&uri) {
        let _ = timelines::page(&page);
        let _ = (accounts::truthy(&page.pinned), accounts::truthy(&page.only_media));
    }
    let _ = Query::<search::SearchQuery>::try_from_uri(&uri);
    let _ = Query::<search::AccountSearchQuery>::try_from_uri(&uri);
    let _ = Query::<accounts::LookupQuery>::try_from_uri(&uri);
    let _ = Query::<oauth::AuthorizeQuery>::try_from_uri(&uri);
    let _ = accounts::query_list(&uri, "id");
});

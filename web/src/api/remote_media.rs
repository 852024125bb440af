//! Pictures from other servers, shown through this node: a page or an app that loaded them
//! from the peer would tell it who reads what. The first request fetches the picture, only
//! from the address the peer gave and through the federation client (its address checks, at
//! most 8 MiB, within time limits), writes it anew at most [`MAX_SIDE`] pixels a side
//! (which also drops its metadata) and keeps it under `<media>/remote/`; later requests are
//! served from there. The address carries a digest of the peer's address, so that only
//! someone who could see the picture can ask for it.

use super::media::{IMAGE_WORK, MediaDir, shrunk};
use axum::extract::{Extension, Path};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::media::MAX_IMAGE_BYTES;
use buurtnet_domain::store;
use buurtnet_federation::Context;
use sha2::{Digest, Sha256};

/// Largest width or height of a peer's picture as we show it.
pub const MAX_SIDE: u32 = 1600;

/// Our address for the peer's picture `remote` (media row `id`).
pub fn url(context: &Context, id: i64, remote: &str) -> String {
    format!("{}media/remote/{}", context.urls.base(), name(id, remote))
}

fn name(id: i64, remote: &str) -> String {
    let digest = Sha256::digest(remote.as_bytes());
    format!("{id}-{}", digest[..12].iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// `GET /media/remote/{id}-{digest}`.
pub async fn serve(context: Context, Extension(dir): Extension<MediaDir>, Path(requested): Path<String>) -> Response {
    let Some(id) = requested.split_once('-').and_then(|(id, _)| id.parse::<i64>().ok()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(mut conn) = context.store.conn().await else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let Ok(media) = store::media::by_id(&mut conn, id).await else { return StatusCode::NOT_FOUND.into_response() };
    drop(conn);
    let Some(remote) = media.remote_url.filter(|remote| name(id, remote) == requested) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let kept = dir.0.join("remote").join(&requested);
    if let Ok(bytes) = tokio::fs::read(&kept).await {
        return picture(bytes);
    }
    match fetch(&context, &remote).await {
        Ok(bytes) => {
            if let Err(e) = keep(&kept, &bytes).await {
                tracing::warn!(error = %e, "could not keep a peer's picture");
            }
            picture(bytes)
        }
        Err(why) => {
            tracing::info!(%remote, %why, "a peer's picture could not be shown");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

/// The peer's picture, written anew.
async fn fetch(context: &Context, remote: &str) -> Result<Vec<u8>, String> {
    let url = url::Url::parse(remote).map_err(|e| e.to_string())?;
    buurtnet_federation::safety::check_url(&url, context.dev).map_err(|e| e.to_string())?;
    let response = context.client.get(url).send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("the peer answered {}", response.status()));
    }
    let bytes = buurtnet_federation::bounded::read(response, MAX_IMAGE_BYTES, buurtnet_federation::bounded::READ_TIME)
        .await
        .map_err(|e| e.to_string())?;
    let _turn = IMAGE_WORK.acquire().await.map_err(|e| e.to_string())?;
    let (bytes, _) = tokio::task::spawn_blocking(move || shrunk(&bytes, MAX_SIDE)).await.map_err(|e| e.to_string())??;
    Ok(bytes)
}

async fn keep(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(folder) = path.parent() {
        tokio::fs::create_dir_all(folder).await?;
    }
    // Written aside and renamed, so that a reader never gets half a file.
    let partial = path.with_extension("partial");
    tokio::fs::write(&partial, bytes).await?;
    tokio::fs::rename(&partial, path).await
}

fn picture(bytes: Vec<u8>) -> Response {
    let content_type = if bytes.starts_with(b"\x89PNG") { "image/png" } else { "image/jpeg" };
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=604800")], bytes).into_response()
}

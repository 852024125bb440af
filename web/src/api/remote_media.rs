//! Pictures, video and audio from other servers, shown through this node: a page or an app
//! that loaded them from the peer would tell it who reads what. The first request fetches the
//! file, only from the address the peer gave and through the federation client (its address
//! checks, within size and time limits), and keeps it under `<media>/remote/`; later requests
//! are served from there. A picture is written anew at most [`MAX_SIDE`] pixels a side (which
//! also drops its metadata); video and audio cannot be, so only the common web formats
//! ([`passed`]) are kept, as they are, and served with the media type we name and a policy
//! that lets nothing in them run. Other files are not served at all (pages link to them).
//! The address carries a digest of the peer's address, so that only someone who could see
//! the file can ask for it.

use super::media::{IMAGE_WORK, MediaDir, shrunk};
use axum::body::{Body, Bytes};
use axum::extract::{Extension, Path};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::media::MAX_IMAGE_BYTES;
use buurtnet_domain::store;
use buurtnet_federation::Context;
use sha2::{Digest, Sha256};

/// Largest width or height of a peer's picture as we show it.
pub const MAX_SIDE: u32 = 1600;
/// Largest video or audio file of a peer's we keep and pass on.
pub const MAX_PLAYABLE_BYTES: usize = 40 * 1024 * 1024;
/// How long reading a peer's video or audio file may take.
const PLAYABLE_READ_TIME: std::time::Duration = std::time::Duration::from_secs(60);
/// Video and audio fetches at once (each written to disk as it comes).
static PLAYABLE_FETCHES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// What this node passes on of a peer's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passed {
    Picture,
    Video,
    Audio,
}

/// The media types this node passes on, each with what it is.
const PASSED: [(&str, Passed); 14] = [
    ("image/png", Passed::Picture),
    ("image/jpeg", Passed::Picture),
    ("image/webp", Passed::Picture),
    ("image/gif", Passed::Picture),
    ("video/mp4", Passed::Video),
    ("video/webm", Passed::Video),
    ("video/ogg", Passed::Video),
    ("audio/mpeg", Passed::Audio),
    ("audio/ogg", Passed::Audio),
    ("audio/wav", Passed::Audio),
    ("audio/webm", Passed::Audio),
    ("audio/mp4", Passed::Audio),
    ("audio/aac", Passed::Audio),
    ("audio/flac", Passed::Audio),
];

/// What a file of `content_type` is passed on as, with the media type we serve it with (ours,
/// not the peer's words); `None` for anything we do not pass on.
pub fn passed(content_type: &str) -> Option<(Passed, &'static str)> {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    PASSED.iter().find(|(known, _)| known.eq_ignore_ascii_case(essence)).map(|&(known, kind)| (kind, known))
}

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
    let Some((kind, content_type)) = passed(&media.content_type) else { return StatusCode::NOT_FOUND.into_response() };
    let kept = dir.0.join("remote").join(&requested);
    if kind != Passed::Picture {
        return playable(&context, &remote, &kept, content_type).await;
    }
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

/// A peer's video or audio: our copy, fetched first when we have none (written to disk as it
/// comes, never held in memory whole).
async fn playable(context: &Context, remote: &str, kept: &std::path::Path, content_type: &'static str) -> Response {
    if tokio::fs::metadata(kept).await.is_err() {
        let fetched = match PLAYABLE_FETCHES.acquire().await {
            Ok(_turn) => save_as_is(context, remote, kept).await,
            Err(e) => Err(e.to_string()),
        };
        if let Err(why) = fetched {
            tracing::info!(%remote, %why, "a peer's video or audio could not be shown");
            return StatusCode::NOT_FOUND.into_response();
        }
    }
    match tokio::fs::File::open(kept).await {
        Ok(file) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=604800"),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox"),
            ],
            Body::from_stream(chunks_of(file)),
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A file read in pieces, so that serving a video does not hold it in memory; a read error
/// ends the body.
fn chunks_of(file: tokio::fs::File) -> impl futures::Stream<Item = std::io::Result<Bytes>> {
    futures::stream::unfold(Some(file), |file| async move {
        use tokio::io::AsyncReadExt as _;
        let mut file = file?;
        let mut chunk = vec![0; 64 * 1024];
        match file.read(&mut chunk).await {
            Ok(0) => None,
            Ok(read) => {
                chunk.truncate(read);
                Some((Ok(Bytes::from(chunk)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}

/// The answer to a GET of the peer's file, from the address it gave, through the federation
/// client's address checks.
async fn get_remote(context: &Context, remote: &str) -> Result<buurtnet_federation::bounded::Response, String> {
    let url = url::Url::parse(remote).map_err(|e| e.to_string())?;
    buurtnet_federation::safety::check_url(&url, context.dev).map_err(|e| e.to_string())?;
    let response = context.client.get(url).send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("the peer answered {}", response.status()));
    }
    Ok(response)
}

/// The peer's video or audio file kept at `kept` as it is.
async fn save_as_is(context: &Context, remote: &str, kept: &std::path::Path) -> Result<(), String> {
    let response = get_remote(context, remote).await?;
    if let Some(folder) = kept.parent() {
        tokio::fs::create_dir_all(folder).await.map_err(|e| e.to_string())?;
    }
    buurtnet_federation::bounded::save(response, kept, MAX_PLAYABLE_BYTES, PLAYABLE_READ_TIME).await.map_err(|e| e.to_string())
}

/// The peer's picture, written anew.
async fn fetch(context: &Context, remote: &str) -> Result<Vec<u8>, String> {
    let response = get_remote(context, remote).await?;
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

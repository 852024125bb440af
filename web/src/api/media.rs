//! Images: upload (`/api/v1/media`, `/api/v2/media`), alt text, and serving the files.
//!
//! An upload is checked by its bytes, not its name: PNG, JPEG, WebP or GIF, at most 8 MiB,
//! 8000 pixels a side and 48 megapixels, decoded with memory limits on the blocking pool, one
//! at a time. Every upload is written anew, which drops its metadata (a phone photo's
//! location must not leak): WebP becomes JPEG or PNG, GIFs are written frame by frame; the
//! width, height and a blurhash go with the entity. Files get random names.

use super::{ApiError, ApiResult, require};
use crate::html::i18n::{Lang, Tr};
use axum::Json;
use axum::extract::{Multipart, Path};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::media::{MAX_IMAGE_BYTES, Media, NewMedia};
use buurtnet_domain::ops;
use buurtnet_domain::words::both_languages;
use buurtnet_federation::Context;
use image::{ImageFormat, ImageReader, Limits};
use serde_json::{Value, json};
use std::io::Cursor;
use std::path::PathBuf;

/// Where uploaded files live (`<data_dir>/media`).
#[derive(Clone, Debug)]
pub struct MediaDir(pub PathBuf);

/// What the image turned out to be, ready to store.
struct Processed {
    bytes: Vec<u8>,
    extension: &'static str,
    content_type: &'static str,
    width: u32,
    height: u32,
    blurhash: Option<String>,
}

/// Most pixels an upload may have (a 48-megapixel phone photo; 8000x8000 is 64): decoding
/// takes four bytes a pixel.
const MAX_PIXELS: u64 = 48_000_000;
/// Most pixels all frames of an animation may have together.
const MAX_ANIMATION_PIXELS: u64 = 100_000_000;

/// Image work runs one at a time per process: six 8000x8000 uploads at once took 1.2 GB.
pub(crate) static IMAGE_WORK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Why an upload is not taken as a picture, each with its words in the locales
/// (`image-refused-<code>`).
#[derive(Debug, Clone, PartialEq)]
pub enum NotAPicture {
    UnknownFormat,
    /// A format we know but do not take (not PNG, JPEG, WebP or GIF).
    FormatNotTaken,
    /// The decoder's reason, as it gives it.
    Unreadable(String),
    TooManyPixels,
    AnimationTooLong,
}

impl NotAPicture {
    /// In the visitor's language.
    pub fn said_in(&self, tr: Tr) -> String {
        match self {
            NotAPicture::UnknownFormat => tr.t("image-refused-unknown-format"),
            NotAPicture::FormatNotTaken => tr.t("image-refused-format-not-taken"),
            NotAPicture::Unreadable(why) => tr.t1("image-refused-unreadable", "why", why),
            NotAPicture::TooManyPixels => tr.t("image-refused-too-many-pixels"),
            NotAPicture::AnimationTooLong => tr.t("image-refused-animation-too-long"),
        }
    }

    /// In both languages, for an API client.
    fn said_in_both(&self) -> String {
        both_languages(&self.said_in(Tr::new(Lang::En)), &self.said_in(Tr::new(Lang::Nl)))
    }
}

impl From<image::ImageError> for NotAPicture {
    fn from(error: image::ImageError) -> Self {
        NotAPicture::Unreadable(error.to_string())
    }
}

/// Reads an upload and writes it anew, whatever its format, so that nothing but the pixels
/// leaves: no camera metadata (location, device), no comments or XMP. WebP becomes JPEG (or
/// PNG when it has transparency); GIF stays GIF, frame by frame.
fn process(bytes: Vec<u8>) -> Result<Processed, NotAPicture> {
    let reader = ImageReader::new(Cursor::new(&bytes)).with_guessed_format().map_err(|e| NotAPicture::Unreadable(e.to_string()))?;
    let format = reader.format().ok_or(NotAPicture::UnknownFormat)?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif) {
        return Err(NotAPicture::FormatNotTaken);
    }
    let (width, height) = reader.into_dimensions()?;
    if width > 8000 || height > 8000 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(NotAPicture::TooManyPixels);
    }
    if format == ImageFormat::Gif {
        return gif_anew(&bytes, width, height);
    }
    let mut reader = ImageReader::with_format(Cursor::new(&bytes), format);
    reader.limits(limits());
    let image = reader.decode()?;
    let blurhash = blurhash_of(&image);
    let (bytes, extension, content_type) = if format == ImageFormat::Png || image.color().has_alpha() {
        (encode(&image, ImageFormat::Png)?, "png", "image/png")
    } else {
        (encode(&image.to_rgb8().into(), ImageFormat::Jpeg)?, "jpg", "image/jpeg")
    };
    Ok(Processed { bytes, extension, content_type, width, height, blurhash })
}

/// A picture read from any of our formats (the first frame of an animation) and written anew
/// at most `max_side` pixels wide and high, as JPEG, or PNG when it has transparency.
pub(crate) fn shrunk(bytes: &[u8], max_side: u32) -> Result<(Vec<u8>, &'static str), String> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif)) {
        return Err("not a picture we show".into());
    }
    reader.limits(limits());
    let mut image = reader.decode().map_err(|e| e.to_string())?;
    if image.width() > max_side || image.height() > max_side {
        image = image.resize(max_side, max_side, image::imageops::FilterType::Triangle);
    }
    if image.color().has_alpha() {
        Ok((encode(&image, ImageFormat::Png).map_err(|e| e.to_string())?, "image/png"))
    } else {
        Ok((encode(&image.to_rgb8().into(), ImageFormat::Jpeg).map_err(|e| e.to_string())?, "image/jpeg"))
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(8000);
    limits.max_image_height = Some(8000);
    limits.max_alloc = Some(4 * MAX_PIXELS + 16 * 1024 * 1024);
    limits
}

fn encode(image: &image::DynamicImage, format: ImageFormat) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    image.write_to(&mut Cursor::new(&mut out), format)?;
    Ok(out)
}

fn blurhash_of(image: &image::DynamicImage) -> Option<String> {
    let thumbnail = image.thumbnail(32, 32).to_rgba8();
    blurhash::encode(4, 3, thumbnail.width(), thumbnail.height(), thumbnail.as_raw()).ok()
}

/// A GIF written anew frame by frame (one frame in memory at a time), repeating for ever as
/// animations on the web do; only the pixels and timing are kept.
fn gif_anew(bytes: &[u8], width: u32, height: u32) -> Result<Processed, NotAPicture> {
    use image::AnimationDecoder;
    use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
    let mut decoder = GifDecoder::new(Cursor::new(bytes))?;
    image::ImageDecoder::set_limits(&mut decoder, limits())?;
    let mut out = Vec::new();
    let mut blurhash = None;
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder.set_repeat(Repeat::Infinite)?;
        let mut pixels = 0u64;
        for frame in decoder.into_frames() {
            let frame = frame?;
            pixels += u64::from(frame.buffer().width()) * u64::from(frame.buffer().height());
            if pixels > MAX_ANIMATION_PIXELS {
                return Err(NotAPicture::AnimationTooLong);
            }
            if blurhash.is_none() {
                blurhash = blurhash_of(&image::DynamicImage::ImageRgba8(frame.buffer().clone()));
            }
            encoder.encode_frame(frame)?;
        }
    }
    Ok(Processed { bytes: out, extension: "gif", content_type: "image/gif", width, height, blurhash })
}

/// The MediaAttachment entity.
/// Why an image was not stored.
pub enum ImageProblem {
    TooLarge,
    /// Not a picture we take.
    Unreadable(NotAPicture),
    /// Our fault (the disk).
    Ours(String),
    Domain(buurtnet_domain::DomainError),
}

/// Checks, cleans (every image is encoded anew, which drops its metadata) and stores an
/// uploaded image for `member`, with its description. The API and the pages both use this.
pub async fn store_image(
    context: &Context,
    dir: &MediaDir,
    member: &buurtnet_domain::model::Actor,
    bytes: Vec<u8>,
    description: String,
) -> Result<Media, ImageProblem> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageProblem::TooLarge);
    }
    let _turn = IMAGE_WORK.acquire().await.map_err(|e| ImageProblem::Ours(format!("image work: {e}")))?;
    let processed = tokio::task::spawn_blocking(move || process(bytes))
        .await
        .map_err(|e| ImageProblem::Ours(format!("processing failed: {e}")))?
        .map_err(ImageProblem::Unreadable)?;
    let token: u128 = rand::random();
    let file_name = format!("{token:032x}.{}", processed.extension);
    tokio::fs::create_dir_all(&dir.0).await.map_err(|e| ImageProblem::Ours(format!("media directory: {e}")))?;
    tokio::fs::write(dir.0.join(&file_name), &processed.bytes).await.map_err(|e| ImageProblem::Ours(format!("writing the file: {e}")))?;
    let new = NewMedia {
        file_name: Some(file_name),
        remote_url: None,
        content_type: processed.content_type.into(),
        size: processed.bytes.len() as i64,
        width: Some(processed.width.into()),
        height: Some(processed.height.into()),
        description,
        blurhash: processed.blurhash,
    };
    ops::media::record_upload(&context.store, member, new).await.map_err(ImageProblem::Domain)
}

/// Mastodon's attachment type for a media type; a peer's file we cannot show is `unknown`.
fn kind_of(content_type: &str) -> &'static str {
    match content_type.split_once('/').map_or(content_type, |(kind, _)| kind) {
        _ if content_type == "image/gif" => "gifv",
        "image" if matches!(content_type, "image/png" | "image/jpeg" | "image/webp" | "image/avif" | "image/heic") => "image",
        "video" => "video",
        "audio" => "audio",
        _ => "unknown",
    }
}

pub fn entity(media: &Media, url: Option<String>) -> Value {
    let original = match (media.width, media.height) {
        (Some(w), Some(h)) if h > 0 => json!({"width": w, "height": h, "size": format!("{w}x{h}"), "aspect": w as f64 / h as f64}),
        _ => Value::Null,
    };
    json!({
        "id": media.id.to_string(),
        "type": kind_of(&media.content_type),
        "url": url,
        "preview_url": url,
        "remote_url": media.remote_url,
        "text_url": null,
        "meta": {"original": original, "small": original},
        "description": if media.description.is_empty() { Value::Null } else { json!(media.description) },
        "blurhash": media.blurhash,
    })
}

/// Where a picture is shown from: our copy, or, for a peer's picture, this node's copy of it
/// ([`super::remote_media`]), so that no reader's browser or app asks the peer.
pub fn local_url(context: &Context, media: &Media) -> Option<String> {
    match (&media.file_name, &media.remote_url) {
        (Some(file), _) => Some(context.urls.media(file).to_string()),
        (None, Some(remote)) => Some(super::remote_media::url(context, media.id, remote)),
        (None, None) => None,
    }
}

pub async fn upload(
    context: Context,
    headers: HeaderMap,
    axum::Extension(dir): axum::Extension<MediaDir>,
    mut multipart: Multipart,
) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:media").await?;
    let member = caller.member()?.clone();
    let (mut file, mut description) = (None, String::new());
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("file") => file = Some(field.bytes().await.map_err(multipart_error)?.to_vec()),
            Some("description") => description = field.text().await.map_err(multipart_error)?,
            _ => {}
        }
    }
    let bytes = file.ok_or_else(|| ApiError::unprocessable("Validation failed: File can't be blank"))?;
    let media = store_image(&context, &dir, &member, bytes, description).await.map_err(|problem| match problem {
        ImageProblem::TooLarge => too_large(),
        ImageProblem::Unreadable(why) => ApiError::unprocessable(format!("Validation failed: {}", why.said_in_both())),
        ImageProblem::Ours(why) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, why),
        ImageProblem::Domain(e @ buurtnet_domain::DomainError::Invalid(_)) => ApiError::invalid(&e),
        ImageProblem::Domain(other) => other.into(),
    })?;
    Ok(Json(entity(&media, local_url(&context, &media))).into_response())
}

/// A file over 8 MiB, said in both languages.
fn too_large() -> ApiError {
    let said = |lang| Tr::new(lang).t("image-refused-too-large");
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, both_languages(&said(Lang::En), &said(Lang::Nl)))
}

/// A body over the limit is 413 (with the limit in words); anything else is malformed.
fn multipart_error(error: axum::extract::multipart::MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    ApiError::new(StatusCode::BAD_REQUEST, format!("Malformed request: {}", error.body_text()))
}

pub async fn get(context: Context, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:media").await?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let media = ops::media::own(&context.store, caller.member()?, id).await?;
    Ok(Json(entity(&media, local_url(&context, &media))).into_response())
}

#[derive(Debug, serde::Deserialize)]
pub struct DescribeForm {
    #[serde(default)]
    description: String,
}

pub async fn describe(
    context: Context,
    headers: HeaderMap,
    Path(id): Path<String>,
    super::Params(form): super::Params<DescribeForm>,
) -> ApiResult<Response> {
    let caller = require(&context, &headers, "write:media").await?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let media = ops::media::describe(&context.store, caller.member()?, id, &form.description).await.map_err(|e| match e {
        buurtnet_domain::DomainError::Invalid(_) => ApiError::invalid(&e),
        other => other.into(),
    })?;
    Ok(Json(entity(&media, local_url(&context, &media))).into_response())
}

/// `GET /media/{file}`: an uploaded file. Names are ours (32 hex digits and an extension), so
/// nothing else on disk can be asked for.
pub async fn serve(axum::Extension(dir): axum::Extension<MediaDir>, Path(file): Path<String>) -> Response {
    let Some((stem, extension)) = file.split_once('.') else { return StatusCode::NOT_FOUND.into_response() };
    let content_type = match extension {
        "png" => "image/png",
        "jpg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if stem.len() != 32 || !stem.chars().all(|c| c.is_ascii_hexdigit()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(dir.0.join(&file)).await {
        Ok(bytes) => {
            ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=604800, immutable")], bytes).into_response()
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The MediaAttachment entities of a post.
pub async fn of_post(context: &Context, post_id: i64, post_ap_id: &str) -> Result<Vec<Value>, buurtnet_domain::DomainError> {
    let media = ops::media::of_post(&context.store, post_id).await?;
    Ok(entities(&media, post_ap_id))
}

/// The MediaAttachment entities of a post's media, already read.
pub fn entities(media: &[Media], post_ap_id: &str) -> Vec<Value> {
    media.iter().map(|m| entity(m, buurtnet_federation::objects::media::url_of(m, post_ap_id))).collect()
}

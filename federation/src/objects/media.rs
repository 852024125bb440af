//! Attachments on the wire: `attachment` items of type `Document` (as Mastodon sends them) with
//! `mediaType`, `url`, `name` (the alt text), `width`, `height` and `blurhash`. Peers'
//! attachments are kept as links: only http(s) addresses, alt text sanitised and cut to our
//! limit; our pages show pictures, video and audio through this node, other files as links.

use crate::protocol::parts::{Document, value};
use buurtnet_domain::model::html;
use buurtnet_domain::model::media::{MAX_ATTACHMENTS, MAX_DESCRIPTION_CHARS, Media, NewMedia};
use serde_json::Value;
use url::Url;

/// Where a stored image is found: a local file under the post's origin, or the peer's link.
pub fn url_of(media: &Media, post_ap_id: &str) -> Option<String> {
    match (&media.file_name, &media.remote_url) {
        (Some(file), _) => Url::parse(post_ap_id).ok()?.join(&format!("/media/{file}")).ok().map(String::from),
        (None, Some(remote)) => Some(remote.clone()),
        (None, None) => None,
    }
}

pub fn attachments(media: &[Media], post_ap_id: &str) -> Value {
    let items: Vec<Document> = media
        .iter()
        .filter_map(|m| {
            let url = url_of(m, post_ap_id)?;
            Some(Document {
                media_type: m.content_type.clone(),
                url,
                name: m.description.clone(),
                width: m.width,
                height: m.height,
                blurhash: m.blurhash.clone(),
            })
        })
        .collect();
    value(items)
}

/// The address a `url` or `href` names: a string, a `Link` (its `href`), an object with an
/// `id`, or the first of an array that names one.
pub fn href_of(value: &Value) -> Option<String> {
    match value {
        Value::String(url) => Some(url.clone()),
        Value::Object(link) => link.get("href").or_else(|| link.get("url")).or_else(|| link.get("id")).and_then(href_of),
        Value::Array(items) => items.iter().find_map(href_of),
        _ => None,
    }
}

/// Of several addresses, the `Link` of `media_type` (as Mastodon picks the `text/html` one for
/// a post's `url`), else the first.
pub fn preferred_href(value: &Value, media_type: &str) -> Option<String> {
    let of_type = |item: &Value| item.get("mediaType").and_then(Value::as_str) == Some(media_type);
    match value {
        Value::Array(items) => items.iter().find(|i| of_type(i)).and_then(href_of).or_else(|| href_of(value)),
        other => href_of(other),
    }
}

/// A media type from the file name, for attachments that do not say theirs; what we cannot
/// tell is `application/octet-stream` (shown as `unknown`, a link, as Mastodon does).
fn guessed_type(url: &Url) -> &'static str {
    let extension = url.path().rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    }
}

/// A peer's attachments that have a `url` (a string, a `Link` or an array of them: the first),
/// kept as links: pictures, videos, audio and other files. Alt text is `name`, else
/// `summary`, as Mastodon reads it.
pub fn read(attachment: Option<&Value>) -> Vec<NewMedia> {
    let items = match attachment {
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => return vec![],
    };
    items.iter().filter_map(read_one).take(MAX_ATTACHMENTS).collect()
}

fn read_one(item: &Value) -> Option<NewMedia> {
    let url = href_of(item.get("url")?)?;
    let parsed = Url::parse(&url).ok().filter(|u| matches!(u.scheme(), "http" | "https"))?;
    let named_type = item.get("mediaType").or_else(|| item["url"].get(0).and_then(|l| l.get("mediaType")));
    let content_type = match named_type.and_then(Value::as_str) {
        Some(given) if given.len() <= 100 && given.contains('/') => given.to_ascii_lowercase(),
        _ => guessed_type(&parsed).to_string(),
    };
    let text = |key: &str| item.get(key).and_then(Value::as_str).filter(|t| !t.trim().is_empty());
    let description = html::to_plain_text(&html::sanitize(text("name").or_else(|| text("summary")).unwrap_or("")));
    let dimension = |key: &str| item.get(key).and_then(Value::as_i64).filter(|v| (1..=100_000).contains(v));
    Some(NewMedia {
        file_name: None,
        remote_url: Some(parsed.to_string()),
        content_type,
        size: 0,
        width: dimension("width"),
        height: dimension("height"),
        description: description.chars().take(MAX_DESCRIPTION_CHARS).collect(),
        blurhash: item.get("blurhash").and_then(Value::as_str).filter(|b| b.len() <= 100).map(String::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attachments_are_documents_with_their_description_and_size_or_null() {
        let picture = |file_name: Option<&str>, remote_url: Option<&str>, width: Option<i64>| Media {
            id: 1,
            owner_id: 1,
            post_id: Some(1),
            file_name: file_name.map(str::to_string),
            remote_url: remote_url.map(str::to_string),
            content_type: "image/png".into(),
            size: 10,
            width,
            height: width,
            description: "Zonnebloemen".into(),
            blurhash: width.map(|_| "LKO2?U%2Tw=w".to_string()),
            created_at: 0,
        };
        let media =
            [picture(Some("a.png"), None, Some(640)), picture(None, Some("https://p.example/b.png"), None), picture(None, None, None)];
        crate::objects::samples::assert_sends(
            attachments(&media, "https://a.example/notes/1"),
            json!([
                {"type": "Document", "mediaType": "image/png", "url": "https://a.example/media/a.png", "name": "Zonnebloemen",
                    "width": 640, "height": 640, "blurhash": "LKO2?U%2Tw=w"},
                {"type": "Document", "mediaType": "image/png", "url": "https://p.example/b.png", "name": "Zonnebloemen",
                    "width": null, "height": null, "blurhash": null},
            ]),
        );
    }

    #[test]
    fn attachments_are_read_from_link_arrays_with_their_kind() {
        let read = read(Some(&json!([
            {"type": "Image", "url": [{"type": "Link", "href": "https://p.example/a.png"}, {"type": "Link", "href": "https://p.example/b.jpg"}]},
            {"type": "Document", "url": "https://p.example/notes.txt", "summary": "notities"},
            {"type": "Video", "url": "https://p.example/koe.mp4"},
            {"type": "Image", "url": "data:image/png;base64,AAAA"},
            {"type": "Link", "href": "https://p.example/elders"},
        ])));
        let seen: Vec<(&str, &str, &str)> =
            read.iter().map(|m| (m.remote_url.as_deref().unwrap_or(""), m.content_type.as_str(), m.description.as_str())).collect();
        assert_eq!(
            seen,
            vec![
                ("https://p.example/a.png", "image/png", ""),
                ("https://p.example/notes.txt", "application/octet-stream", "notities"),
                ("https://p.example/koe.mp4", "video/mp4", ""),
            ]
        );
    }
}

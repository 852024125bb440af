//! Images on the wire: `attachment` items of type `Document` (as Mastodon sends them) with
//! `mediaType`, `url`, `name` (the alt text), `width`, `height` and `blurhash`. Peers' images
//! are kept as links: only http(s) images, alt text sanitised and cut to our limit.

use buurtnet_domain::model::html;
use buurtnet_domain::model::media::{MAX_ATTACHMENTS, MAX_DESCRIPTION_CHARS, Media, NewMedia};
use serde_json::{Value, json};
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
    let items: Vec<Value> = media
        .iter()
        .filter_map(|m| {
            let url = url_of(m, post_ap_id)?;
            Some(json!({
                "type": "Document", "mediaType": m.content_type, "url": url, "name": m.description,
                "width": m.width, "height": m.height, "blurhash": m.blurhash,
            }))
        })
        .collect();
    Value::Array(items)
}

/// The images among a peer's attachments.
pub fn read(attachment: Option<&Value>) -> Vec<NewMedia> {
    let items = match attachment {
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => return vec![],
    };
    items
        .iter()
        .filter_map(|item| {
            let url = match item.get("url")? {
                Value::String(u) => u.clone(),
                other => crate::protocol::first_id(Some(other)).or_else(|| other.get("href").and_then(Value::as_str).map(String::from))?,
            };
            let parsed = Url::parse(&url).ok().filter(|u| matches!(u.scheme(), "http" | "https"))?;
            let content_type = item.get("mediaType").and_then(Value::as_str).unwrap_or("image/jpeg").to_string();
            if !content_type.starts_with("image/") {
                return None;
            }
            let description = html::to_plain_text(&html::sanitize(item.get("name").and_then(Value::as_str).unwrap_or("")));
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
        })
        .take(MAX_ATTACHMENTS)
        .collect()
}

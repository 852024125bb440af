//! What a reader is shown of a peer's object, read as Mastodon reads it: the text (`content`,
//! else the first entry of `contentMap`), titled objects (articles, pages, events, media
//! objects) with their `name`, `summary` and a link, the content warning (`summary`, or
//! `sensitive` alone), the `text/html` address, and the `Hashtag` and `Mention` tags.

use crate::protocol::note::NoteJson;
use serde_json::Value;

/// Types shown as the post they are.
const PLAIN_TYPES: [&str; 3] = ["Note", "Question", "Proposal"];

/// Whether we show objects of `kind` (see [`crate::protocol::note::SHOWN_TYPES`]).
pub fn is_shown(kind: &str) -> bool {
    crate::protocol::note::SHOWN_TYPES.contains(&kind)
}

/// `content`, else the first text of `contentMap` (a post sent only in languages).
fn text_of(note: &NoteJson) -> String {
    if !note.content.trim().is_empty() {
        return note.content.clone();
    }
    let first = note.content_map.as_ref().and_then(Value::as_object).and_then(|m| m.values().find_map(Value::as_str));
    first.unwrap_or_default().to_string()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The post a note quotes: `quote`, `quoteUri`, `quoteUrl`, `_misskey_quote`, or a `Link` tag
/// with the Misskey quote relation (FEP-e232).
pub fn quote_of(note: &NoteJson) -> Option<String> {
    let named = [&note.quote, &note.quote_uri, &note.quote_url, &note.misskey_quote].into_iter().flatten().find_map(super::media::href_of);
    named
        .or_else(|| {
            tags(note)
                .into_iter()
                .filter(|t| t.get("type").and_then(Value::as_str) == Some("Link"))
                .find(|t| t.get("rel").and_then(Value::as_str).is_some_and(|rel| rel.ends_with("_misskey_quote")))
                .and_then(|t| t.get("href").and_then(Value::as_str).map(String::from))
        })
        .filter(|url| url.starts_with("http"))
}

/// A quote we cannot show inline as Mastodon's own fallback: "RE: " and a link, after the
/// text, unless the text links the quoted post already.
fn with_quote(text: String, note: &NoteJson) -> String {
    match quote_of(note) {
        Some(url) if !text.contains(&url) => format!("{text}<p>RE: <a href=\"{0}\">{0}</a></p>", escape(&url)),
        _ => text,
    }
}

/// The post's HTML before sanitising. An article, page, event or media object that is not one
/// of ours (whose own fields already carry the title) starts with its `name` and `summary`
/// and ends with a link to it: Mastodon shows those three alone; we keep the content between.
pub fn content_of(note: &NoteJson, is_ours: bool) -> String {
    let text = with_quote(text_of(note), note);
    if PLAIN_TYPES.contains(&note.kind.as_str()) || is_ours {
        return text;
    }
    let mut html = String::new();
    if let Some(name) = note.name.as_deref().filter(|n| !n.trim().is_empty()) {
        html.push_str(&format!("<p><strong>{}</strong></p>", escape(name)));
    }
    if let Some(summary) = note.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        html.push_str(&format!("<p>{summary}</p>"));
    }
    html.push_str(&text);
    let link = url_of(note).unwrap_or_else(|| note.id.clone());
    html.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", escape(&link)));
    html
}

/// The content warning: `summary` on notes (empty when the note is only `sensitive`); none on
/// titled objects, whose summary is part of the text.
pub fn warning_of(note: &NoteJson) -> Option<String> {
    if !PLAIN_TYPES.contains(&note.kind.as_str()) {
        return None;
    }
    match note.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(summary) => Some(summary.to_string()),
        None if note.sensitive == Some(true) => Some(String::new()),
        None => None,
    }
}

/// The post's web address: the `text/html` link among several, else the first.
pub fn url_of(note: &NoteJson) -> Option<String> {
    note.url.as_ref().and_then(|url| super::media::preferred_href(url, "text/html"))
}

fn tags(note: &NoteJson) -> Vec<&Value> {
    match note.tag.as_ref() {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => vec![],
    }
}

/// The names of the `Hashtag` tags (without `#`, lower-cased) that are hashtags we could
/// write: letters, digits and `_`, not only digits.
pub fn hashtags(note: &NoteJson) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for tag in tags(note).into_iter().filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag")) {
        let Some(name) = tag.get("name").and_then(Value::as_str).map(|n| n.trim_start_matches('#').to_lowercase()) else { continue };
        let valid = !name.is_empty()
            && name.chars().count() <= 100
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !name.chars().all(|c| c.is_ascii_digit());
        if valid && !names.contains(&name) {
            names.push(name);
        }
    }
    names.truncate(20);
    names
}

/// The actors the `Mention` tags name (their `href`), each once.
pub fn mentions(note: &NoteJson) -> Vec<String> {
    let mut hrefs: Vec<String> = Vec::new();
    for tag in tags(note).into_iter().filter(|t| t.get("type").and_then(Value::as_str) == Some("Mention")) {
        if let Some(href) = tag.get("href").and_then(Value::as_str).filter(|h| h.starts_with("http"))
            && !hrefs.iter().any(|h| h == href)
        {
            hrefs.push(href.to_string());
        }
    }
    hrefs.truncate(50);
    hrefs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn note(value: Value) -> NoteJson {
        let mut base = json!({"id": "https://p.example/1", "type": "Note", "attributedTo": "https://p.example/a"});
        base.as_object_mut().unwrap().extend(value.as_object().unwrap().clone());
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn types_text_and_titles_read_as_mastodon_reads_them() {
        assert_eq!(note(json!({"type": ["Note", "Article"]})).kind, "Note");
        assert_eq!(note(json!({"type": null})).kind, "");
        assert_eq!(text_of(&note(json!({"contentMap": {"de": "Deutsch"}}))), "Deutsch");
        let page =
            note(json!({"type": "Page", "name": "Titel <b>", "summary": "Kort", "content": "Lang", "url": "https://p.example/page"}));
        assert_eq!(
            content_of(&page, false),
            r#"<p><strong>Titel &lt;b&gt;</strong></p><p>Kort</p>Lang<p><a href="https://p.example/page">https://p.example/page</a></p>"#
        );
        assert_eq!(warning_of(&page), None);
        assert_eq!(warning_of(&note(json!({"sensitive": true}))), Some(String::new()));
    }

    #[test]
    fn tags_quotes_and_addresses() {
        let tagged = note(json!({"tag": [
            {"type": "Hashtag", "name": "#Ladder"}, {"type": "Hashtag", "name": "#1234"}, {"type": "Hashtag", "name": "#met spatie"},
            {"type": "Mention", "href": "https://p.example/b"}, {"type": "Mention", "href": "https://p.example/b"}, {"type": "as:Mention", "href": "https://p.example/c"},
        ]}));
        assert_eq!(hashtags(&tagged), vec!["ladder"]);
        assert_eq!(mentions(&tagged), vec!["https://p.example/b"]);
        assert_eq!(quote_of(&note(json!({"_misskey_quote": "https://p.example/q"}))).as_deref(), Some("https://p.example/q"));
        assert_eq!(quote_of(&note(json!({"quote": "javascript:alert(1)"}))), None);
        let links = json!([{"type": "Link", "mediaType": "video/mp4", "href": "https://v.example"}, {"type": "Link", "mediaType": "text/html", "href": "https://h.example"}]);
        assert_eq!(url_of(&note(json!({"url": links}))).as_deref(), Some("https://h.example"));
    }
}

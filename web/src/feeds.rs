//! News feeds for feed readers: Atom (RFC 4287) and RSS 2.0, of the node and of each
//! member or initiative. Readers fetch anonymously, so feeds hold public posts only.

use crate::error::{public_message, status_of};
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::html;
use buurtnet_domain::ops::browse::{self, FeedItem};
use buurtnet_domain::{DomainError, store};
use buurtnet_federation::Context;
use chrono::{DateTime, Utc};

const ITEMS: i64 = 30;

/// What a feed is about: its title, the page it belongs to, and its own address.
struct Channel {
    title: String,
    page: String,
    own: String,
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

/// The item's own title, or the start of its text.
fn title_of(item: &FeedItem) -> String {
    item.title.clone().unwrap_or_else(|| {
        let text = html::to_plain_text(&item.post.content);
        let short: String = text.chars().take(80).collect();
        if text.chars().count() > 80 { format!("{short}…") } else { short }
    })
}

fn link_of(item: &FeedItem) -> String {
    item.post.url.clone().unwrap_or_else(|| item.post.ap_id.clone())
}

fn atom(channel: &Channel, items: &[FeedItem]) -> String {
    let updated = items.iter().map(|i| i.post.updated.unwrap_or(i.post.published)).max().unwrap_or(0);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\">\n<title>{}</title>\n<id>{}</id>\n<updated>{}</updated>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<generator>Buurtnet</generator>\n",
        xml(&channel.title),
        xml(&channel.own),
        time(updated).to_rfc3339(),
        xml(&channel.own),
        xml(&channel.page)
    );
    for item in items {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name><uri>{}</uri></author>\n<content type=\"html\">{}</content>\n</entry>\n",
            xml(&title_of(item)),
            xml(&item.post.ap_id),
            xml(&link_of(item)),
            time(item.post.published).to_rfc3339(),
            time(item.post.updated.unwrap_or(item.post.published)).to_rfc3339(),
            xml(&item.author.display_name),
            xml(&item.author.ap_id),
            xml(&item.post.content),
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn rss(channel: &Channel, items: &[FeedItem]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>nl</language>\n<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"{}\"/>\n",
        xml(&channel.title),
        xml(&channel.page),
        xml(&channel.title),
        xml(&channel.own)
    );
    for item in items {
        out.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"true\">{}</guid>\n<pubDate>{}</pubDate>\n<description>{}</description>\n</item>\n",
            xml(&title_of(item)),
            xml(&link_of(item)),
            xml(&item.post.ap_id),
            time(item.post.published).to_rfc2822(),
            xml(&item.post.content),
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

fn answer(content_type: &'static str, result: Result<String, DomainError>) -> Response {
    match result {
        Ok(body) => ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=300")], body).into_response(),
        Err(error) => (status_of(&error), public_message(&error)).into_response(),
    }
}

async fn node_channel(context: &Context, format: &str) -> Result<(Channel, Vec<FeedItem>), DomainError> {
    let base = context.urls.base().to_string();
    let channel = Channel { title: format!("Buurtnet {}", context.urls.domain()), page: base.clone(), own: format!("{base}feed.{format}") };
    Ok((channel, browse::feed(&context.store, None, ITEMS).await?))
}

async fn actor_channel(context: &Context, name: &str, format: &str) -> Result<(Channel, Vec<FeedItem>), DomainError> {
    let mut conn = context.store.conn().await?;
    let actor = store::actors::local_by_username(&mut conn, name).await?.ok_or(DomainError::NotFound)?;
    if store::actors::is_deleted(&mut conn, actor.id).await? {
        return Err(DomainError::Gone);
    }
    drop(conn);
    let title = if actor.display_name.is_empty() { actor.username.clone() } else { actor.display_name.clone() };
    let channel = Channel { title, page: actor.ap_id.clone(), own: format!("{}/feed.{format}", actor.ap_id) };
    Ok((channel, browse::feed(&context.store, Some(&actor), ITEMS).await?))
}

pub async fn node_atom(context: Context) -> Response {
    answer("application/atom+xml; charset=utf-8", node_channel(&context, "atom").await.map(|(c, items)| atom(&c, &items)))
}

pub async fn node_rss(context: Context) -> Response {
    answer("application/rss+xml; charset=utf-8", node_channel(&context, "rss").await.map(|(c, items)| rss(&c, &items)))
}

pub async fn actor_atom(context: Context, Path(name): Path<String>) -> Response {
    answer("application/atom+xml; charset=utf-8", actor_channel(&context, &name, "atom").await.map(|(c, items)| atom(&c, &items)))
}

pub async fn actor_rss(context: Context, Path(name): Path<String>) -> Response {
    answer("application/rss+xml; charset=utf-8", actor_channel(&context, &name, "rss").await.map(|(c, items)| rss(&c, &items)))
}

//! iCalendar feeds: one event, an initiative's (or member's) events, or all of this node's
//! events. Only what the reader may see is in a feed; anonymous readers (calendar apps)
//! get public and unlisted events. Feeds keep the past month, so calendars keep history.

use crate::error::{DomainError, Result};
use crate::model::calendar::{CalendarEntry, calendar};
use crate::model::{Actor, Event, Post};
use crate::now_ms;
use crate::store::{self, Store};
use chrono::{DateTime, Utc};

/// How far back a feed goes.
const HISTORY_MS: i64 = 31 * 24 * 3600 * 1000;
/// Most events in one feed.
const FEED_LIMIT: i64 = 500;

/// The calendar of one event, if `reader` may see it.
pub async fn for_event(store: &Store, post_id: i64, reader: Option<&str>) -> Result<String> {
    let mut conn = store.conn().await?;
    let post = store::posts::by_id(&mut conn, post_id).await?;
    let event = store::events::by_post_id(&mut conn, post_id).await?.ok_or(DomainError::NotFound)?;
    drop(conn);
    if post.is_deleted() {
        return Err(DomainError::Gone);
    }
    if !super::visibility::may_read(store, &post, reader).await? {
        return Err(DomainError::NotFound);
    }
    let entry = entry(store, &post, &event).await?;
    Ok(calendar(&event.title, &[entry]))
}

/// The calendar of an actor's events (an initiative's agenda), or of every event of this
/// node when `author` is `None`.
pub async fn feed(store: &Store, name: &str, author: Option<&Actor>, reader: Option<&str>) -> Result<String> {
    let events =
        store::events::upcoming(&mut store.conn().await?, author.map(|a| a.id), author.is_none(), now_ms() - HISTORY_MS, FEED_LIMIT)
            .await?;
    let mut entries = Vec::new();
    for event in events {
        let post = store::posts::by_id(&mut store.conn().await?, event.post_id).await?;
        if super::visibility::may_read(store, &post, reader).await? {
            entries.push(entry(store, &post, &event).await?);
        }
    }
    Ok(calendar(name, &entries))
}

pub(crate) async fn entry(store: &Store, post: &Post, event: &Event) -> Result<CalendarEntry> {
    let author = store::actors::by_id(&mut store.conn().await?, post.author_id).await?;
    let at = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    let location = match (&event.place_name, &event.place_address) {
        (Some(name), Some(address)) if !address.trim().is_empty() => Some(format!("{name}, {address}")),
        (Some(name), _) => Some(name.clone()),
        (None, _) => event.online_url.clone(),
    };
    Ok(CalendarEntry {
        uid: post.ap_id.clone(),
        url: Some(post.url.clone().unwrap_or_else(|| post.ap_id.clone())),
        title: event.title.clone(),
        description: event.description.clone(),
        starts_at: at(event.starts_at),
        ends_at: event.ends_at.map(at),
        timezone: event.timezone.clone(),
        location,
        geo: event.latitude.zip(event.longitude),
        organizer_name: if author.display_name.is_empty() { author.username.clone() } else { author.display_name.clone() },
        organizer_uri: author.ap_id.clone(),
        cancelled: event.is_cancelled(),
        sequence: event.sequence,
        created: at(event.created_at),
        last_modified: at(event.updated_at.unwrap_or(event.created_at)),
    })
}

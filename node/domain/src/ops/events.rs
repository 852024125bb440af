//! Publishing events and storing those peers send. An event is a post (readable text,
//! visibility, federation id) plus its fields, written with the outbox entry in one
//! transaction. RSVP (`Join`/`Leave`) comes next.

use crate::error::{DomainError, Result};
use crate::model::{Actor, EventDraft, NewPost, Post, Visibility, html};
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// Title first, then the time and place in words, the description, and a hashtag.
pub fn render(draft: &EventDraft) -> String {
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<p><strong>{}</strong></p><p>{}</p>{}<p>#activiteit</p>",
        escape(draft.title.trim()),
        escape(&draft.summary_nl()),
        html::text_to_html(&draft.description)
    )
}

pub async fn publish(
    store: &Store,
    urls: &LocalUrls,
    member: &Actor,
    author: &Actor,
    draft: &EventDraft,
    visibility: Visibility,
) -> Result<Post> {
    if !super::actors::may_act_as(store, member, author).await? {
        return Err(DomainError::Forbidden);
    }
    draft.validate()?;
    if visibility == Visibility::Direct {
        return Err(DomainError::invalid("visibility", "events are not direct messages"));
    }
    let new = NewPost::local(author.id, render(draft), draft.description.trim().to_string(), visibility);
    let mut tx = store.begin().await?;
    let post = super::posts::insert_local(&mut tx, urls, new).await?;
    store::events::upsert(&mut tx, post.id, draft).await?;
    super::posts::announce_created(&mut tx, &post).await?;
    tx.commit().await?;
    Ok(post)
}

/// Stores the fields of an event a peer sent, beside its (already stored) post. Remote
/// fields are cut to our limits; an event without place or link is taken as online.
pub async fn receive(store: &Store, post: &Post, draft: &EventDraft) -> Result<()> {
    let mut checked = draft.clone();
    checked.title = checked.title.chars().take(120).collect();
    checked.description = checked.description.chars().take(4000).collect();
    if checked.place.is_none() && checked.online_url.is_none() {
        checked.online_url = post.url.clone().or_else(|| Some(post.ap_id.clone()));
    }
    if let Some(place) = checked.place.as_mut() {
        place.name = place.name.chars().take(200).collect();
    }
    checked.capacity = checked.capacity.filter(|c| (1..=100_000).contains(c));
    checked.validate()?;
    let mut tx = store.begin().await?;
    store::events::upsert(&mut tx, post.id, &checked).await?;
    tx.commit().await?;
    Ok(())
}

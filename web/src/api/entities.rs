//! Mastodon entities (Account, Status) built from Buurtnet's actors and posts. Ids are digit
//! strings (row ids, so later rows sort later); times have milliseconds, as strict clients
//! want. Offers, needs, events and articles are statuses whose text already reads well
//! (title first, details in words, hashtags); events and articles also get a link card.

use buurtnet_domain::model::{Actor, ActorKind, Post, Visibility};
use buurtnet_domain::ops::statuses::{AccountFacts, StatusFacts};
use buurtnet_domain::{DomainError, store};
use buurtnet_federation::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

pub fn time(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// What Mastodon calls a visibility; coalition and node-local content is "private" to apps.
pub fn visibility_name(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Public => "public",
        Visibility::Unlisted => "unlisted",
        Visibility::Followers | Visibility::Coalition | Visibility::Local | Visibility::Coordinators => "private",
        Visibility::Direct => "direct",
    }
}

/// The Account entity. `acct` is `username` for local actors and `username@domain` for others;
/// `moved`, the account it moved to, when this node knows it.
pub async fn account(context: &Context, actor: &Actor) -> Result<Value, DomainError> {
    let facts = AccountFacts::read(&mut context.store.conn().await?, &[actor.id], &[]).await?;
    Ok(account_of(context, &facts, actor))
}

/// The Account entity of `actor` from facts read for a whole page.
pub fn account_of(context: &Context, facts: &AccountFacts, actor: &Actor) -> Value {
    let mut value = plain_account(context, facts, actor);
    if let Some(moved) = actor.moved_to.as_deref().and_then(|target| facts.by_ap_id(target)) {
        value["moved"] = plain_account(context, facts, moved);
    }
    value
}

fn plain_account(context: &Context, facts: &AccountFacts, actor: &Actor) -> Value {
    let counts = facts.counts(actor.id);
    let base = context.urls.base().as_str().trim_end_matches('/').to_string();
    let avatar = format!("{base}/avatars/default.png");
    let header = format!("{base}/headers/default.png");
    let display_name = if actor.display_name.is_empty() { actor.username.clone() } else { actor.display_name.clone() };
    json!({
        "id": actor.id.to_string(),
        "username": actor.username,
        "acct": acct(actor),
        "display_name": display_name,
        "locked": actor.manually_approves_followers,
        "bot": matches!(actor.kind(), ActorKind::Application),
        "discoverable": true,
        "indexable": false,
        "group": matches!(actor.kind(), ActorKind::Group),
        "created_at": time(actor.created_at),
        "note": buurtnet_domain::model::html::sanitize(&actor.summary),
        "url": actor.url.clone().unwrap_or_else(|| actor.ap_id.clone()),
        "uri": actor.ap_id,
        "avatar": avatar, "avatar_static": avatar,
        "header": header, "header_static": header,
        "followers_count": counts.followers,
        "following_count": counts.following,
        "statuses_count": counts.statuses,
        "last_status_at": null,
        "hide_collections": false,
        "noindex": true,
        "emojis": [],
        "roles": [],
        "fields": [],
    })
}

fn acct(actor: &Actor) -> String {
    if actor.is_local { actor.username.clone() } else { actor.handle() }
}

/// The Account entity of the member themself, with `source` (verify_credentials).
pub async fn credential_account(context: &Context, member: &Actor) -> Result<Value, DomainError> {
    let mut value = account(context, member).await?;
    value["source"] = json!({
        "privacy": "public", "sensitive": false, "language": "nl",
        "note": buurtnet_domain::model::html::to_plain_text(&member.summary), "fields": [], "follow_requests_count": 0,
    });
    Ok(value)
}

/// The Status entity of a post, with what `viewer` did with it (liked, boosted, bookmarked).
pub async fn status(context: &Context, post: &Post, viewer: Option<&Actor>) -> Result<Value, DomainError> {
    entry(context, &store::timelines::Entry::from(post.clone()), viewer).await
}

/// The Status entities of a page of timeline entries, from facts read once for all of them.
pub async fn entries(context: &Context, entries: &[store::timelines::Entry], viewer: Option<&Actor>) -> Result<Vec<Value>, DomainError> {
    let facts = StatusFacts::read(&context.store, entries, viewer, &[]).await?;
    Ok(entries.iter().map(|entry| entry_of(context, &facts, entry)).collect())
}

/// The Status entity of a post from facts read for a whole page.
pub fn status_of(context: &Context, facts: &StatusFacts, post: &Post) -> Value {
    let (likes, boosts) = facts.reactions.get(&post.id).copied().unwrap_or_default();
    let parent = post.in_reply_to.as_ref().and_then(|ap_id| facts.parents.get(ap_id));
    let mentions: Vec<Value> = facts
        .mentions
        .get(&post.id)
        .into_iter()
        .flatten()
        .filter_map(|recipient| facts.accounts.by_ap_id(recipient))
        .map(|actor| json!({"id": actor.id.to_string(), "username": actor.username, "acct": acct(actor), "url": actor.url.clone().unwrap_or(actor.ap_id.clone())}))
        .collect();
    let flags = facts.flags.get(&post.id).copied().unwrap_or_default();
    let media = facts.media.get(&post.id).map(Vec::as_slice).unwrap_or_default();
    let account = facts.accounts.actor(post.author_id).map(|author| account_of(context, &facts.accounts, author));
    json!({
        "id": post.id.to_string(),
        "uri": post.ap_id,
        "url": post.url.clone().unwrap_or_else(|| post.ap_id.clone()),
        "created_at": time(post.published),
        "edited_at": post.updated.map(time),
        "account": account,
        "content": post.content,
        "visibility": visibility_name(post.visibility),
        "sensitive": post.summary.is_some(),
        "spoiler_text": post.summary.clone().unwrap_or_default(),
        "media_attachments": super::media::entities(media, &post.ap_id),
        "application": null,
        "mentions": mentions,
        "tags": tags(&post.content, facts.tags.get(&post.id).cloned().unwrap_or_default()),
        "emojis": [],
        "reblogs_count": boosts,
        "favourites_count": likes,
        "replies_count": facts.replies.get(&post.ap_id).copied().unwrap_or_default(),
        "in_reply_to_id": parent.map(|p| p.id.to_string()),
        "in_reply_to_account_id": parent.map(|p| p.author_id.to_string()),
        "reblog": null,
        "poll": null,
        "card": null,
        "language": post.language,
        "text": null,
        "favourited": flags.favourited,
        "reblogged": flags.reblogged,
        "muted": false,
        "bookmarked": flags.bookmarked,
        "pinned": false,
        "filtered": [],
        "buurtnet_proposal": facts.proposals.get(&post.id).map(proposal_entity),
    })
}

/// An offer's or need's own fields beside the status (Mastodon apps ignore them; the content
/// says the same in words): what it is, its state, and once helped the hours.
fn proposal_entity(proposal: &buurtnet_domain::model::Proposal) -> serde_json::Value {
    json!({
        "purpose": proposal.purpose.as_str(),
        "title": proposal.title,
        "category": proposal.category,
        "state": proposal.state.as_str(),
        "hours_given": proposal.hours_given,
    })
}

/// Hashtags in a post's text, then those given beside it (`stored`), as Tag entities.
fn tags(content: &str, stored: Vec<String>) -> Vec<Value> {
    let mut names = buurtnet_domain::model::html::hashtags(content);
    names.extend(stored.into_iter().filter(|tag| !names.contains(tag)).collect::<Vec<_>>());
    names.into_iter().map(|name| json!({"name": name, "url": format!("/tags/{name}")})).collect()
}

/// The Status entity of a timeline entry: a post as it is, or a boost as Mastodon shows a
/// reblog (its own id, the booster as account, the post in `reblog`, no content of its own;
/// `favourited`, `reblogged` and `bookmarked` are the viewer's for the post).
pub async fn entry(context: &Context, entry: &store::timelines::Entry, viewer: Option<&Actor>) -> Result<Value, DomainError> {
    let facts = StatusFacts::read(&context.store, std::slice::from_ref(entry), viewer, &[]).await?;
    Ok(entry_of(context, &facts, entry))
}

/// The Status entity of a timeline entry from facts read for a whole page (no database).
pub fn entry_of(context: &Context, facts: &StatusFacts, entry: &store::timelines::Entry) -> Value {
    let original = status_of(context, facts, &entry.post);
    let Some(boost) = &entry.boost else { return original };
    let booster = facts.accounts.actor(boost.booster_id).map(|booster| account_of(context, &facts.accounts, booster));
    let mut wrapper = original.clone();
    let own = json!({
        "id": boost.status_id.to_string(),
        "uri": boost.activity_ap_id,
        "url": boost.activity_ap_id,
        "created_at": time(boost.created_at),
        "edited_at": null,
        "account": booster,
        "content": "",
        "sensitive": false,
        "spoiler_text": "",
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "reblogs_count": 0,
        "favourites_count": 0,
        "replies_count": 0,
        "in_reply_to_id": null,
        "in_reply_to_account_id": null,
        "card": null,
        "poll": null,
        "language": null,
        "buurtnet_proposal": null,
        "reblog": original,
    });
    if let (Some(wrapper), Value::Object(own)) = (wrapper.as_object_mut(), own) {
        wrapper.extend(own);
    }
    wrapper
}

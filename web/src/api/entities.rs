//! Mastodon entities (Account, Status) built from Buurtnet's actors and posts. Ids are digit
//! strings (row ids, so later rows sort later); times have milliseconds, as strict clients
//! want. Offers, needs, events and articles are statuses whose text already reads well
//! (title first, details in words, hashtags); events and articles also get a link card.

use buurtnet_domain::model::{Actor, ActorKind, Post, Visibility};
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
    let mut value = plain_account(context, actor).await?;
    if let Some(target) = &actor.moved_to
        && let Some(moved) = store::actors::by_ap_id(&mut context.store.conn().await?, target).await?
    {
        value["moved"] = plain_account(context, &moved).await?;
    }
    Ok(value)
}

async fn plain_account(context: &Context, actor: &Actor) -> Result<Value, DomainError> {
    let mut conn = context.store.conn().await?;
    let followers = store::follows::count_followers(&mut conn, actor.id).await?;
    let following = store::follows::count_following(&mut conn, actor.id).await?;
    let statuses = store::posts::count_public_by_author(&mut conn, actor.id).await?;
    let base = context.urls.base().as_str().trim_end_matches('/').to_string();
    let avatar = format!("{base}/avatars/default.png");
    let header = format!("{base}/headers/default.png");
    let acct = if actor.is_local { actor.username.clone() } else { actor.handle() };
    let display_name = if actor.display_name.is_empty() { actor.username.clone() } else { actor.display_name.clone() };
    Ok(json!({
        "id": actor.id.to_string(),
        "username": actor.username,
        "acct": acct,
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
        "followers_count": followers,
        "following_count": following,
        "statuses_count": statuses,
        "last_status_at": null,
        "hide_collections": false,
        "noindex": true,
        "emojis": [],
        "roles": [],
        "fields": [],
    }))
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
    let mut conn = context.store.conn().await?;
    let author = store::actors::by_id(&mut conn, post.author_id).await?;
    let (likes, boosts) = store::posts::reaction_counts(&mut conn, post.id).await?;
    let replies = store::posts::replies_to(&mut conn, &post.ap_id).await?.len();
    let parent = match &post.in_reply_to {
        Some(ap_id) => store::posts::by_ap_id(&mut conn, ap_id).await?,
        None => None,
    };
    let mut mentions = Vec::new();
    for recipient in store::posts::mentions(&mut conn, post.id).await? {
        if let Some(actor) = store::actors::by_ap_id(&mut conn, &recipient).await? {
            let acct = if actor.is_local { actor.username.clone() } else { actor.handle() };
            mentions.push(json!({"id": actor.id.to_string(), "username": actor.username, "acct": acct, "url": actor.url.clone().unwrap_or(actor.ap_id.clone())}));
        }
    }
    let proposal = store::proposals::by_post_id(&mut conn, post.id).await?;
    let tags = tags(&post.content, store::posts::tags(&mut conn, post.id).await?);
    drop(conn);
    let (favourited, reblogged, bookmarked) = match viewer {
        Some(viewer) => buurtnet_domain::ops::reactions::flags(&context.store, viewer, post.id).await?,
        None => (false, false, false),
    };
    Ok(json!({
        "id": post.id.to_string(),
        "uri": post.ap_id,
        "url": post.url.clone().unwrap_or_else(|| post.ap_id.clone()),
        "created_at": time(post.published),
        "edited_at": post.updated.map(time),
        "account": account(context, &author).await?,
        "content": post.content,
        "visibility": visibility_name(post.visibility),
        "sensitive": post.summary.is_some(),
        "spoiler_text": post.summary.clone().unwrap_or_default(),
        "media_attachments": super::media::of_post(context, post.id, &post.ap_id).await?,
        "application": null,
        "mentions": mentions,
        "tags": tags,
        "emojis": [],
        "reblogs_count": boosts,
        "favourites_count": likes,
        "replies_count": replies,
        "in_reply_to_id": parent.as_ref().map(|p| p.id.to_string()),
        "in_reply_to_account_id": parent.as_ref().map(|p| p.author_id.to_string()),
        "reblog": null,
        "poll": null,
        "card": null,
        "language": post.language,
        "text": null,
        "favourited": favourited,
        "reblogged": reblogged,
        "muted": false,
        "bookmarked": bookmarked,
        "pinned": false,
        "filtered": [],
        "buurtnet_proposal": proposal.map(|p| proposal_entity(&p)),
    }))
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
    let original = status(context, &entry.post, viewer).await?;
    let Some(boost) = &entry.boost else { return Ok(original) };
    let booster = store::actors::by_id(&mut context.store.conn().await?, boost.booster_id).await?;
    let mut wrapper = original.clone();
    let own = json!({
        "id": boost.status_id.to_string(),
        "uri": boost.activity_ap_id,
        "url": boost.activity_ap_id,
        "created_at": time(boost.created_at),
        "edited_at": null,
        "account": account(context, &booster).await?,
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
    Ok(wrapper)
}

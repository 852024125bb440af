//! Posts as `Note`s, both ways. The only place a [`Post`] meets its wire shape.

use crate::error::FederationError;
use crate::protocol::note::{NoteJson, TombstoneJson};
use crate::protocol::outgoing::{Activity, Kind};
use crate::protocol::parts::{Tag, value};
use crate::protocol::{self, PUBLIC};
use buurtnet_domain::model::{Actor, NewPost, Post, Visibility};
use buurtnet_domain::ops::posts::RemoteExtras;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

/// A time as we send it: to the millisecond, so that two changes within one second keep
/// their order on every node that compares them.
fn rfc3339(ms: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

fn parse_time(text: Option<&str>) -> Option<i64> {
    DateTime::parse_from_rfc3339(text?).ok().map(|t| t.timestamp_millis())
}

/// The `to` and `cc` of a post, from its visibility and recipients.
pub fn addressing(visibility: Visibility, author: &Actor, recipients: &[String]) -> (Vec<String>, Vec<String>) {
    let followers = author.followers.clone().unwrap_or_default();
    let others = recipients.to_vec();
    match visibility {
        Visibility::Public => (vec![PUBLIC.into()], [vec![followers], others].concat()),
        Visibility::Unlisted => (vec![followers], [vec![PUBLIC.into()], others].concat()),
        Visibility::Followers => (vec![followers], others),
        Visibility::Direct | Visibility::Coalition => (others, vec![]),
        Visibility::Local | Visibility::Coordinators => (vec![], vec![]),
    }
}

/// A local post as the `Note` we serve and send.
pub fn post_to_note(post: &Post, author: &Actor, recipients: &[String]) -> NoteJson {
    let (to, cc) = addressing(post.visibility, author, recipients);
    NoteJson {
        id: post.ap_id.clone(),
        kind: "Note".into(),
        attributed_to: Value::String(author.ap_id.clone()),
        content: post.content.clone(),
        content_map: post
            .language
            .as_ref()
            .map(|language| Value::Object(serde_json::Map::from_iter([(language.clone(), Value::String(post.content.clone()))]))),
        sensitive: Some(post.summary.is_some()),
        summary: post.summary.clone(),
        in_reply_to: post.in_reply_to.clone().map(Value::String),
        published: rfc3339(post.published),
        updated: post.updated.and_then(rfc3339),
        url: post.url.clone().map(Value::String),
        to: to.into(),
        cc: cc.into(),
        tag: None,
        replies: None,
        name: None,
        purpose: None,
        publishes: None,
        proposal_state: None,
        for_resident: None,
        first_response_at: None,
        fulfilled_at: None,
        hours_given: None,
        helped_by: None,
        location: None,
        start_time: None,
        end_time: None,
        timezone: None,
        join_mode: None,
        maximum_attendee_capacity: None,
        participant_count: None,
        event_status: None,
        organizers: None,
        series: None,
        attachment: None,
        source: None,
        revision: None,
        revision_number: None,
        forked_from: None,
        context: None,
        quote: None,
        quote_uri: None,
        quote_url: None,
        misskey_quote: None,
    }
}

/// The `Create` or `Update` of a post: addressed and dated as its note, carrying `object`
/// (the note, or the note with its author's proof).
pub fn post_activity(kind: Kind, id: String, author: &Actor, note: &NoteJson, object: Value) -> Activity {
    Activity { published: Some(note.published.clone().into()), ..Activity::new(kind, id, &author.ap_id, object) }.to(&note.to).cc(&note.cc)
}

/// A local post as served and sent, with its recipients and, for offers and needs, the
/// FEP-0837 properties.
pub async fn local_note(conn: &mut buurtnet_domain::store::Conn, post: &Post, author: &Actor) -> buurtnet_domain::Result<NoteJson> {
    let recipients = buurtnet_domain::store::posts::recipients(conn, post.id).await?;
    let mut note = post_to_note(post, author, &recipients);
    if let Some(proposal) = buurtnet_domain::store::proposals::by_post_id(conn, post.id).await? {
        super::proposal::decorate(&mut note, &proposal);
        let helpers = buurtnet_domain::store::proposals::helpers(conn, post.id).await?;
        super::proposal::state_facts(&mut note, &proposal, &helpers);
    }
    if let Some(event) = buurtnet_domain::store::events::by_post_id(conn, post.id).await? {
        let co_organisers = buurtnet_domain::store::events::organisers(conn, post.id).await?;
        let mut organisers = vec![author.ap_id.clone()];
        organisers.extend(co_organisers.into_iter().filter(|(_, confirmed)| *confirmed).map(|(id, _)| id));
        super::event::decorate(&mut note, &event, &organisers);
        if let Some(series) = buurtnet_domain::store::series::of_post(conn, post.id).await? {
            let first = buurtnet_domain::store::posts::by_id(conn, series.template_post_id).await?;
            super::event::mark_series(&mut note, buurtnet_domain::model::series_page(&first.ap_id, first.id), series.repeat);
        }
    }
    note.context = buurtnet_domain::store::posts::context_of(conn, post.id).await?.map(Value::String);
    let mentions = mention_tags(conn, post.id).await?;
    if !mentions.is_empty() {
        let mut tags = match note.tag.take() {
            Some(Value::Array(tags)) => tags,
            _ => vec![],
        };
        tags.extend(mentions);
        note.tag = Some(Value::Array(tags));
    }
    let media = buurtnet_domain::store::media::for_post(conn, post.id).await?;
    if !media.is_empty() {
        note.attachment = Some(super::media::attachments(&media, &post.ap_id));
    }
    if let Some(article) = buurtnet_domain::store::articles::by_post_id(conn, post.id).await? {
        super::article::decorate(&mut note, &article, &post.ap_id);
    }
    Ok(note)
}

/// The `Mention` tags of a post (Mastodon notifies the accounts they name).
async fn mention_tags(conn: &mut buurtnet_domain::store::Conn, post_id: i64) -> buurtnet_domain::Result<Vec<Value>> {
    let mut tags = Vec::new();
    for ap_id in buurtnet_domain::store::posts::mentions(conn, post_id).await? {
        if let Some(actor) = buurtnet_domain::store::actors::by_ap_id(conn, &ap_id).await? {
            tags.push(value(Tag::Mention { href: actor.ap_id.clone(), name: format!("@{}", actor.handle()) }));
        }
    }
    Ok(tags)
}

/// What a deleted post answers: a `Tombstone`.
pub fn tombstone(post: &Post) -> TombstoneJson {
    TombstoneJson { id: post.ap_id.clone(), kind: "Tombstone".into(), former_type: Some("Note".into()), attributed_to: None, deleted: None }
}

/// The visibility a remote post's addressing gives it, and the actors it names.
pub fn visibility_of(to: &Value, cc: &Value, author_followers: Option<&str>) -> (Visibility, Vec<String>) {
    let is_public = crate::protocol::activities::is_public;
    let to = protocol::ids(Some(to));
    let cc = protocol::ids(Some(cc));
    let visibility = if to.iter().any(|id| is_public(id)) {
        Visibility::Public
    } else if cc.iter().any(|id| is_public(id)) {
        Visibility::Unlisted
    } else if author_followers.is_some_and(|f| to.iter().chain(&cc).any(|id| id == f)) {
        Visibility::Followers
    } else {
        Visibility::Direct
    };
    let mut recipients: Vec<String> =
        to.into_iter().chain(cc).filter(|id| !is_public(id) && Some(id.as_str()) != author_followers).collect();
    recipients.sort();
    recipients.dedup();
    (visibility, recipients)
}

/// A `Note` a peer sent, checked and turned into a post to store. The note must come from the
/// same origin as its author, who must be `author`.
pub fn note_to_post(note: &NoteJson, author: &Actor) -> Result<NewPost, FederationError> {
    if note.kind.is_empty() {
        return Err(FederationError::Malformed("the object's type is null, missing or not a name".into()));
    }
    if !super::shown::is_shown(&note.kind) {
        return Err(FederationError::Malformed(format!("cannot show objects of type {}", note.kind)));
    }
    if note.attributed_to.is_null() {
        return Err(FederationError::Forbidden("the object's attributedTo is null or missing".into()));
    }
    let attributed = protocol::first_id(Some(&note.attributed_to)).unwrap_or_default();
    if attributed != author.ap_id {
        return Err(FederationError::Forbidden("the note is attributed to someone else than the sender".into()));
    }
    if !protocol::same_origin(&note.id, &author.ap_id) {
        return Err(FederationError::Forbidden("the note's id is on another origin than its author".into()));
    }
    let (visibility, recipients) = visibility_of(&note.to, &note.cc, author.followers.as_deref());
    let is_ours = crate::objects::article::read(note).is_some() || crate::objects::event::read(note).is_some();
    Ok(NewPost {
        ap_id: note.id.clone(),
        author_id: author.id,
        content: super::shown::content_of(note, is_ours),
        source: None,
        summary: super::shown::warning_of(note),
        visibility,
        in_reply_to: protocol::first_id(note.in_reply_to.as_ref()).or_else(|| note.in_reply_to.as_ref().and_then(super::media::href_of)),
        url: super::shown::url_of(note).and_then(|u| buurtnet_domain::model::links::web_address(&u)),
        published: parse_time(note.published.as_deref()).unwrap_or_else(buurtnet_domain::now_ms),
        updated: parse_time(note.updated.as_deref()),
        is_local: false,
        recipients,
        // The language of the first entry of `contentMap`, as Mastodon sends it.
        language: note
            .content_map
            .as_ref()
            .and_then(|m| m.as_object())
            .and_then(|m| m.keys().next())
            .and_then(|k| buurtnet_domain::model::language_code(k)),
    })
}

/// Offers and needs (FEP-0837), events (FEP-8a8e) and articles keep their fields beside the
/// post, stored with it.
pub fn extras(note: &NoteJson) -> RemoteExtras {
    RemoteExtras {
        event: crate::objects::event::read(note)
            .map(|draft| (draft, crate::objects::event::remote_state(note), crate::objects::event::organiser_ids(note))),
        article: crate::objects::article::read(note),
        proposal: crate::objects::proposal::read(note, buurtnet_domain::model::DEFAULT_CATEGORIES),
        proposal_state: crate::objects::proposal::state(note),
        proposal_facts: crate::objects::proposal::facts(note),
        attachments: crate::objects::media::read(note.attachment.as_ref()),
        hashtags: super::shown::hashtags(note),
        mentions: super::shown::mentions(note),
        context: note.context.as_ref().and_then(super::media::href_of).filter(|c| c.starts_with("http") && c.len() <= 2048),
        original: None,
    }
}

/// Fetches a post by its URL (a member pasted it into search), stores it and returns it.
/// The note must be attributed to an actor on its own origin, as for posts that are sent,
/// and hold no NUL character, as the inbox asks of what is sent.
pub async fn fetch_and_store(url: &str, context: &crate::state::Context) -> Result<Post, FederationError> {
    let parsed = url::Url::parse(url).map_err(|_| FederationError::Malformed("not a URL".into()))?;
    let object = activitypub_federation::fetch::fetch_object_http::<_, Value>(&parsed, context).await?.object;
    if protocol::any_text_holds_nul(&object) {
        return Err(FederationError::Malformed("a text holds a NUL character".into()));
    }
    let note: NoteJson = serde_json::from_value(object).map_err(|e| FederationError::Malformed(format!("note: {e}")))?;
    if !protocol::same_origin(&note.id, url) {
        return Err(FederationError::Forbidden("the object's id is on another origin than its URL".into()));
    }
    let author_id = protocol::first_id(Some(&note.attributed_to)).ok_or_else(|| FederationError::Malformed("no attributedTo".into()))?;
    let author = super::actor::resolve(&author_id, context).await?;
    let post = note_to_post(&note, &author)?;
    Ok(buurtnet_domain::ops::posts::receive(&context.store, post, &extras(&note)).await?)
}

/// How far up a thread we fetch the posts a reply answers.
pub const MAX_THREAD_DEPTH: usize = 3;

/// Fetches the posts a received reply answers that we do not hold yet, at most
/// [`MAX_THREAD_DEPTH`] up the thread, so that it shows threaded (Mastodon fetches them too).
/// Each goes through [`fetch_and_store`]: the federation client's address rules and size
/// limits, the object's id on the origin it was fetched from, its author on the same origin.
/// A parent that cannot be had leaves the reply as it is.
pub async fn fetch_parents(reply: &Post, context: &crate::state::Context) -> Result<(), FederationError> {
    let mut next = reply.in_reply_to.clone();
    for _ in 0..MAX_THREAD_DEPTH {
        let Some(parent) = next.take().filter(|p| !context.urls.is_local(p)) else { break };
        if buurtnet_domain::store::posts::by_ap_id(&mut context.store.conn().await?, &parent).await?.is_some() {
            break;
        }
        match fetch_and_store(&parent, context).await {
            Ok(stored) => next = stored.in_reply_to,
            Err(error) => {
                tracing::info!(%parent, %error, "the post a reply answers could not be fetched");
                break;
            }
        }
    }
    Ok(())
}

/// When a note was last changed: `updated`, else `published` (never "now": a late copy of an
/// old version must not pass for the newest), else now for a note that says neither.
pub fn updated_time(note: &NoteJson) -> i64 {
    parse_time(note.updated.as_deref()).or_else(|| parse_time(note.published.as_deref())).unwrap_or_else(buurtnet_domain::now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn addressing_gives_visibility_back() {
        let followers = "https://a.example/users/x/followers";
        for visibility in [Visibility::Public, Visibility::Unlisted, Visibility::Followers, Visibility::Direct] {
            let mut to = vec![];
            let mut cc = vec![];
            let recipients = vec!["https://b.example/users/y".to_string()];
            match visibility {
                Visibility::Public => {
                    to.push(PUBLIC.to_string());
                    cc.push(followers.to_string());
                }
                Visibility::Unlisted => {
                    to.push(followers.to_string());
                    cc.push(PUBLIC.to_string());
                }
                Visibility::Followers => to.push(followers.to_string()),
                Visibility::Direct | Visibility::Coalition | Visibility::Local | Visibility::Coordinators => {}
            }
            cc.extend(recipients.clone());
            let (seen, named) = visibility_of(&json!(to), &json!(cc), Some(followers));
            assert_eq!(seen, visibility);
            assert_eq!(named, recipients);
        }
    }
}

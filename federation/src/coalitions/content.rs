//! Coalition content on the wire (issue 6): `/coalitions/{slug}/content`, the collection of
//! members' posts and their deletions in the order they changed here, each signed by its
//! author and passed on byte for byte, for members' nodes only; and [`pull_content`], the
//! anti-entropy that reads it from another replica and keeps what the authors' proofs back.

use super::{CollectionPage, MAX_PAGES, get_body};
use crate::error::{FederationError, Result};
use crate::protocol::collections::MarkedPage;
use crate::protocol::with_context;
use crate::state::Context;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::model::coalition::CoalitionState;
use buurtnet_domain::model::{Actor, Post};
use buurtnet_domain::{now_ms, ops, store};
use serde_json::Value;

/// Posts one content page scans.
const CONTENT_PAGE: i64 = 50;
/// Changes younger than this may still be joined by slower transactions that stamped an
/// earlier time: a reader's mark never passes them, so it reads them again next time.
const SETTLE_MS: i64 = 2_000;

/// The query of a content page: `after` is a mark a previous page gave (`bn:readUpTo`).
#[derive(serde::Deserialize)]
pub struct AfterMark {
    after: Option<String>,
}

/// A content mark as it travels: `"{changed_at}.{id}"`, opaque to readers.
fn format_mark((changed_at, id): store::posts::ChangeMark) -> String {
    format!("{changed_at}.{id}")
}

fn parse_mark(text: &str) -> Result<store::posts::ChangeMark> {
    let malformed = || FederationError::Malformed(format!("not a content mark: {text:?}"));
    let (changed_at, id) = text.split_once('.').ok_or_else(malformed)?;
    Ok((changed_at.parse().map_err(|_| malformed())?, id.parse().map_err(|_| malformed())?))
}

/// `GET /coalitions/{slug}/content?after=MARK`: the coalition's content this node holds
/// (posts of members and for members, each the author's object with its proof; deleted ones
/// as the author's signed `Tombstone`) in the order they last changed here, for the nodes of
/// members only: the request must be signed by a member's node (its instance actor). `bn:readUpTo` is
/// where the next read starts.
pub async fn content(
    context: Context,
    Path(slug): Path<String>,
    Query(query): Query<AfterMark>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> Result<Response> {
    let coalition = ops::coalitions::replica(&context.store, &slug).await?.ok_or(FederationError::NotFound)?;
    let path = uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| uri.path().to_string());
    let reader = crate::inbox::signed_get_reader(&context, &path, &headers)
        .await?
        .ok_or(FederationError::Signature(crate::signatures::SignatureError::Missing))?;
    let state = ops::coalitions::state(&context.store, &coalition).await?;
    let mut conn = context.store.conn().await?;
    if !ops::visibility::speaks_for_a_node_of(&mut conn, &reader, state.members.iter().map(String::as_str)).await? {
        return Err(FederationError::Forbidden("coalition content is for the members' nodes".into()));
    }
    let after = query.after.as_deref().map(parse_mark).transpose()?.unwrap_or((0, 0));
    let changes = store::posts::coalition_changes_after(&mut conn, after, CONTENT_PAGE).await?;
    let mut items = Vec::new();
    for (_, post) in &changes {
        items.extend(content_item(&mut conn, &state, post).await?);
    }
    let full = changes.len() as i64 == CONTENT_PAGE;
    let last = changes.last().map(|(mark, _)| *mark).unwrap_or(after);
    // A full page is read on from its last item; the last page stops short of the changes
    // still settling, which the reader gets again next time (recognised, not taken twice).
    let read_up_to = if full { last } else { last.min((now_ms() - SETTLE_MS, 0)).max(after) };
    let base = format!("{}/content", context.urls.coalition(&slug));
    let read_on = full.then(|| format_mark(read_up_to));
    let page = MarkedPage::new(&base, &format_mark(after), read_on.as_deref()).reading_up_to(format_mark(read_up_to));
    let page = serde_json::to_value(page).map_err(|e| FederationError::Internal(e.to_string()))?;
    // Each item byte for byte as its author wrote it.
    let items = format!("[{}]", items.join(","));
    Ok(crate::http::activity_json_text(
        StatusCode::OK,
        crate::protocol::activities::with_verbatim(with_context(page), "orderedItems", &items),
    ))
}

/// What a content page shows of one post, if it is this coalition's: the author's signed
/// object, or the signed tombstone of a deleted one (as text, byte for byte).
async fn content_item(conn: &mut store::Conn, state: &CoalitionState, post: &Post) -> Result<Option<String>> {
    let author = store::actors::by_id(conn, post.author_id).await?;
    let recipients = store::posts::recipients(conn, post.id).await?;
    let of_this_coalition = state.members.contains(&author.ap_id) || recipients.iter().any(|r| state.members.contains(r));
    if !of_this_coalition || !crate::objects::coalition_content::is_coalition_content(post, &author) {
        return Ok(None);
    }
    crate::deliver::passed_on_object(conn, post, &author).await
}

/// What a content pull brought: posts new or changed here, deletions, and what was refused
/// (id, why).
#[derive(Debug, Default)]
pub struct ContentPulled {
    pub taken: usize,
    pub changed: usize,
    pub deleted: usize,
    pub refused: Vec<(String, String)>,
}

/// Anti-entropy for content: reads another replica's content from where this node stopped
/// last time and keeps each post new or newer here, and each deletion, whose proof holds with
/// its author's key (known, vouched for in the log, or fetched). "Coalition" posts stay for
/// members only here too.
pub async fn pull_content(context: &Context, coalition: &str, replica: &url::Url) -> Result<ContentPulled> {
    let mut pulled = ContentPulled::default();
    let key = replica.as_str();
    let mut after = store::coalitions::content_cursor(&mut context.store.conn().await?, coalition, key).await?;
    for _ in 0..MAX_PAGES {
        let mut url = url::Url::parse(&format!("{}/content", replica.as_str().trim_end_matches('/')))
            .map_err(|e| FederationError::Malformed(e.to_string()))?;
        if let Some(mark) = &after {
            url.query_pairs_mut().append_pair("after", mark);
        }
        let page = CollectionPage::parse(&get_body(context, &url, true).await?, &url)?;
        for text in page.items {
            let Ok(item) = serde_json::from_str::<Value>(&text) else { continue };
            match take_content(context, coalition, &item, text).await {
                Ok(Taken::New) => pulled.taken += 1,
                Ok(Taken::Changed) => pulled.changed += 1,
                Ok(Taken::Deleted) => pulled.deleted += 1,
                Ok(Taken::Held) => {}
                Err(e) => pulled.refused.push((item["id"].as_str().unwrap_or_default().to_string(), e.to_string())),
            }
        }
        let read_up_to = page.read_up_to;
        let moved = read_up_to.is_some() && read_up_to != after;
        if let Some(mark) = read_up_to.as_deref().filter(|_| moved) {
            ops::coalitions::mark_content_read(&context.store, coalition, key, mark).await?;
        }
        if page.next.is_none() || !moved {
            break;
        }
        after = read_up_to;
    }
    Ok(pulled)
}

/// What became of one pulled item.
enum Taken {
    New,
    Changed,
    Deleted,
    Held,
}

/// Keeps one pulled post (or deletion) once its author's proof holds; `text` is the item as
/// the page had it, kept byte for byte.
async fn take_content(context: &Context, coalition: &str, object: &Value, text: String) -> Result<Taken> {
    let id = object["id"].as_str().ok_or_else(|| FederationError::Malformed("no id".into()))?;
    let held = store::posts::by_ap_id(&mut context.store.conn().await?, id).await?;
    if held.as_ref().is_some_and(Post::is_deleted) {
        return Ok(Taken::Held);
    }
    let is_tombstone = crate::objects::coalition_content::is_tombstone(object);
    if held.is_none() && is_tombstone {
        // Nothing to delete: a post this node never held needs no stand-in from a pull.
        return Ok(Taken::Held);
    }
    let newer = |held: &Post| {
        let updated = object["updated"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
        updated.is_some_and(|t| t.timestamp_millis() > held.updated.unwrap_or(held.published))
    };
    if let Some(held) = &held
        && !is_tombstone
        && !newer(held)
    {
        return Ok(Taken::Held);
    }
    let author = checked_author(context, coalition, object, id).await?;
    if is_tombstone {
        ops::posts::receive_delete(&context.store, &author, id, Some(&text)).await?;
        return Ok(Taken::Deleted);
    }
    let note: crate::protocol::note::NoteJson =
        serde_json::from_value(object.clone()).map_err(|e| FederationError::Malformed(format!("note: {e}")))?;
    let mut post = crate::objects::note::note_to_post(&note, &author)?;
    if !matches!(post.visibility, buurtnet_domain::model::Visibility::Public | buurtnet_domain::model::Visibility::Unlisted) {
        post.visibility = buurtnet_domain::model::Visibility::Coalition;
    }
    let mut extras = crate::objects::note::extras(&note);
    extras.original = Some(text);
    if held.is_some() {
        let updated = post.updated.unwrap_or(post.published);
        ops::posts::receive_update(&context.store, &author, id, &post.content, post.summary, updated, &extras).await?;
        return Ok(Taken::Changed);
    }
    ops::posts::receive(&context.store, post, &extras).await?;
    Ok(Taken::New)
}

/// The author of a pulled object, once the object's proof holds with one of its keys (the
/// one it publishes, or those the coalition's log vouches for when its node is gone).
async fn checked_author(context: &Context, coalition: &str, object: &Value, id: &str) -> Result<Actor> {
    let author_id = crate::protocol::first_id(object.get("attributedTo")).ok_or_else(|| FederationError::Malformed("no author".into()))?;
    if !crate::protocol::same_origin(id, &author_id) {
        return Err(FederationError::Forbidden("the post's id is not on its author's node".into()));
    }
    let vouched = ops::coalitions::vouched_keys(&context.store, coalition, &author_id).await?;
    let known = store::actors::by_ap_id(&mut context.store.conn().await?, &author_id).await?;
    let author = match known {
        Some(actor) => actor,
        None => match crate::objects::actor::resolve(&author_id, context).await {
            Ok(actor) => actor,
            Err(_) if !vouched.is_empty() => remembered_author(context, &author_id, &vouched[0]).await?,
            Err(e) => return Err(e),
        },
    };
    let mut keys: Vec<String> = author.ed25519_public_multibase.clone().into_iter().collect();
    keys.extend(vouched);
    let method_is_authors =
        crate::integrity::verification_method(object).is_ok_and(|method| method.split('#').next() == Some(author.ap_id.as_str()));
    if object.get("proof").is_none() || !method_is_authors || !keys.iter().any(|key| crate::integrity::verify(object, key).is_ok()) {
        return Err(FederationError::Forbidden("the post carries no proof by its author that holds".into()));
    }
    Ok(author)
}

/// A member initiative known here only from the coalition's log (its node cannot be
/// reached, maybe gone for good): a stand-in with the key the log vouches for, so that its
/// posts can be kept. If its node answers again, the next fetch replaces the stand-in.
async fn remembered_author(context: &Context, author_id: &str, key: &str) -> Result<Actor> {
    let ap_id = url::Url::parse(author_id).map_err(|_| FederationError::Malformed("the author is not a URL".into()))?;
    let host = crate::host_of(&ap_id);
    let username = ap_id.path().rsplit('/').next().unwrap_or("initiatief").to_string();
    let new = buurtnet_domain::model::NewActor {
        inbox: url::Url::parse(&format!("{author_id}/inbox")).map_err(|e| FederationError::Malformed(e.to_string()))?,
        shared_inbox: None,
        outbox: None,
        followers: url::Url::parse(&format!("{author_id}/followers")).ok(),
        following: None,
        url: Some(ap_id.clone()),
        public_key_id: format!("{author_id}#main-key"),
        // No RSA key is known: nothing it sends over HTTP verifies until it is fetched again.
        public_key_pem: String::new(),
        private_key_pem: None,
        ed25519_public_multibase: Some(key.to_string()),
        ed25519_private_pkcs8: None,
        manually_approves_followers: false,
        kind: buurtnet_domain::model::ActorKind::Group,
        display_name: username.clone(),
        username,
        domain: host,
        is_local: false,
        summary: String::new(),
        ap_id,
    };
    Ok(ops::actors::learn_remote(&context.store, &new).await?)
}

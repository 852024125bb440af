//! `Create` and `Update` of notes, and `Update` of an actor's own profile.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::inbox::replay::LeftId;
use crate::objects::actor::ApubActor;
use crate::objects::note::{note_to_post, updated_time};
use crate::protocol::activities::ActivityJson;
use crate::protocol::actor::ActorJson;
use crate::protocol::note::NoteJson;
use crate::state::Context;
use activitypub_federation::fetch::fetch_object_http;
use buurtnet_domain::model::{Actor, ActorKind, NewPost, Visibility};
use buurtnet_domain::ops::posts::RemoteExtras;
use buurtnet_domain::{ops, store};
use serde_json::Value;
use url::Url;

/// The object of a Create or Update: embedded, or fetched by id (counted against the fetch
/// limit of this request).
async fn object_of(activity: &ActivityJson, context: &Context) -> Result<Value> {
    match &activity.object {
        Value::Object(_) => Ok(activity.object.clone()),
        Value::String(id) => {
            let url = Url::parse(id).map_err(|_| FederationError::Malformed("object id is not a URL".into()))?;
            Ok(fetch_object_http::<_, Value>(&url, context).await?.object)
        }
        _ => Err(FederationError::Malformed(format!("{} without object", activity.kind))),
    }
}

/// A public post announced by an actor someone here follows (a coalition replica's feed, a
/// boost) that we do not hold yet, kept as its author's: taken from the announcement when it
/// carries the post with a proof by its author that holds, else fetched from its origin
/// (what the announcer says is never trusted by itself).
pub(super) async fn take_announced(announce: &ActivityJson, id: &str, context: &Context) -> Result<()> {
    let announced = &announce.object;
    if announced.get("proof").is_some() {
        match keep_announced(announced.clone(), Some(announce.text_of(announced)), id, context).await {
            Ok(()) => return Ok(()),
            Err(e) => tracing::debug!(%id, error = %e, "the announced copy did not check out; fetching the post from its origin"),
        }
    }
    let url = Url::parse(id).map_err(|_| FederationError::Malformed("object id is not a URL".into()))?;
    let object = fetch_object_http::<_, Value>(&url, context).await?.object;
    keep_announced(object, None, id, context).await
}

/// Keeps an announced post after the checks: its id, its author on the same origin, public,
/// and, for a copy the announcement carried (`carried`: its text as it came), its author's
/// proof.
async fn keep_announced(object: Value, carried: Option<String>, id: &str, context: &Context) -> Result<()> {
    let must_be_signed = carried.is_some();
    let note = parse_note(object.clone())?;
    if note.id != id {
        return Err(FederationError::Forbidden("the post names another id".into()));
    }
    let author_id = crate::protocol::first_id(Some(&note.attributed_to)).ok_or_else(|| FederationError::Malformed("no author".into()))?;
    let author = crate::objects::actor::resolve(&author_id, context).await?;
    let signed = crate::objects::coalition_content::check_if_signed(&object, &author)?;
    if must_be_signed && !signed {
        return Err(FederationError::Forbidden("the announced copy carries no proof".into()));
    }
    let post = note_to_post(&note, &author)?;
    if !matches!(post.visibility, Visibility::Public | Visibility::Unlisted) {
        return Err(FederationError::Forbidden("only public posts are taken from an announcement".into()));
    }
    let mut extras = crate::objects::note::extras(&note);
    extras.original = signed.then(|| carried.unwrap_or_else(|| object.to_string()));
    ops::posts::receive(&context.store, post, &extras).await?;
    Ok(())
}

/// A post and what it carries (event, proposal, article, pictures), read off the async
/// workers unless it is small: reading a peer's HTML is the costly part of taking a post in,
/// but for a short note, handing it to another thread and back costs more than reading it.
async fn read_note(object: Value, author: &Actor) -> Result<(NoteJson, NewPost, RemoteExtras)> {
    let read = |object: Value, author: &Actor| {
        let note = parse_note(object)?;
        let post = note_to_post(&note, author)?;
        let extras = crate::objects::note::extras(&note);
        Ok((note, post, extras))
    };
    if is_small(&object) {
        return read(object, author);
    }
    let author = author.clone();
    tokio::task::spawn_blocking(move || read(object, &author))
        .await
        .map_err(|e| FederationError::Internal(format!("reading a note failed: {e}")))?
}

/// Whether an object holds at most about 2 KiB of text in at most 256 values: read in
/// microseconds. Stops counting as soon as either is passed.
fn is_small(object: &Value) -> bool {
    fn within(value: &Value, bytes: &mut usize, values: &mut usize) -> bool {
        *values = values.saturating_sub(1);
        let fits = match value {
            Value::String(text) => {
                *bytes = bytes.saturating_sub(text.len());
                true
            }
            Value::Array(items) => items.iter().all(|item| within(item, bytes, values)),
            Value::Object(fields) => fields.iter().all(|(key, item)| {
                *bytes = bytes.saturating_sub(key.len());
                within(item, bytes, values)
            }),
            _ => true,
        };
        fits && *bytes > 0 && *values > 0
    }
    within(object, &mut 2048, &mut 256)
}

pub fn parse_note(object: Value) -> Result<NoteJson> {
    serde_json::from_value(object).map_err(|e| FederationError::Malformed(format!("note: {e}")))
}

/// Whether anyone here wants the post: a local recipient or mentioned account, a reply to a
/// local post (asked first: no query), a local follower of its author.
async fn is_wanted(post: &NewPost, mentions: &[String], author: &Actor, context: &Context) -> Result<bool> {
    let urls = &context.urls;
    if post.recipients.iter().chain(mentions).any(|r| urls.is_local(r)) || post.in_reply_to.as_deref().is_some_and(|r| urls.is_local(r)) {
        return Ok(true);
    }
    let mut conn = context.store.conn().await?;
    if store::follows::has_local_follower(&mut conn, author.id).await? {
        return Ok(true);
    }
    drop(conn);
    Ok(matches!(post.visibility, Visibility::Public | Visibility::Unlisted)
        && ops::coalitions::is_member_of_a_hosted_coalition(&context.store, &author.ap_id).await?)
}

/// A post addressed only to named actors, among them initiatives here, is coalition content:
/// every member of this node may read it, nobody else. Only recipients whose id has the
/// shape of an initiative's here are looked up (a note to a member asks nothing).
async fn coalition_if_addressed_to_our_initiatives(post: &mut NewPost, context: &Context) -> Result<()> {
    if post.visibility != Visibility::Direct {
        return Ok(());
    }
    let initiatives_here: Vec<String> = post.recipients.iter().filter(|r| context.urls.may_be_local_group(r)).cloned().collect();
    if initiatives_here.is_empty() {
        return Ok(());
    }
    let mut conn = context.store.conn().await?;
    for recipient in &initiatives_here {
        if store::actors::by_ap_id(&mut conn, recipient).await?.is_some_and(|a| a.kind() == ActorKind::Group) {
            post.visibility = Visibility::Coalition;
            break;
        }
    }
    Ok(())
}

pub async fn create(activity: &ActivityJson, signer: &Actor, context: &Context, left: Option<&LeftId>) -> Result<Outcome> {
    let object = object_of(activity, context).await?;
    let signed = crate::objects::coalition_content::check_if_signed(&object, signer)?;
    let (_, mut post, mut extras) = read_note(object.clone(), signer).await?;
    coalition_if_addressed_to_our_initiatives(&mut post, context).await?;
    if !is_wanted(&post, &extras.mentions, signer, context).await? {
        return Ok(Outcome::Ignored("nobody here follows the author or is addressed"));
    }
    // Kept as it came, for this node's replicas to pass on.
    extras.original = signed.then(|| activity.text_of(&object));
    let Some(stored) = crate::inbox::replay::receive(context, left, post, &extras).await? else {
        return Ok(Outcome::Ignored("a copy of this activity was stored first"));
    };
    crate::objects::note::fetch_parents(&stored, context).await?;
    Ok(Outcome::Applied)
}

pub async fn update(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let object = object_of(activity, context).await?;
    let kind = object.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
    if matches!(kind.as_str(), "Person" | "Group" | "Application" | "Service" | "Organization") {
        let json: ActorJson = serde_json::from_value(object).map_err(|e| FederationError::Malformed(format!("actor: {e}")))?;
        if json.id.as_str() != signer.ap_id {
            return Err(FederationError::Forbidden("an actor can only update itself".into()));
        }
        return update_actor(&json, signer, context).await;
    }
    let signed = crate::objects::coalition_content::check_if_signed(&object, signer)?;
    let (note, mut post, mut extras) = read_note(object.clone(), signer).await?;
    coalition_if_addressed_to_our_initiatives(&mut post, context).await?;
    extras.original = signed.then(|| activity.text_of(&object));
    let updated = updated_time(&note);
    let apply = async || {
        ops::posts::receive_update(&context.store, signer, &post.ap_id, &post.content, post.summary.clone(), updated, &extras).await
    };
    match apply().await {
        Ok(()) => Ok(Outcome::Applied),
        // An update of a post we never stored: take it as new if someone here wants it. When
        // its `Create` got in first meanwhile, this newer version is applied over it.
        Err(buurtnet_domain::DomainError::NotFound) if is_wanted(&post, &extras.mentions, signer, context).await? => {
            let stored = ops::posts::receive(&context.store, post.clone(), &extras).await?;
            if stored.updated.unwrap_or(stored.published) < updated {
                apply().await?;
            }
            Ok(Outcome::Applied)
        }
        Err(buurtnet_domain::DomainError::NotFound) => Ok(Outcome::Ignored("update of a post we do not hold")),
        Err(e) => Err(e.into()),
    }
}

/// An actor's own `Update` is believed for its profile. Its keys are not: a key is taken only
/// from the actor's document fetched from its own origin, so a signature that was replayed or
/// a body that was altered can never hand its name to someone else's key.
async fn update_actor(json: &ActorJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let mut new = ApubActor::from_remote(json)?;
    let claims_new_keys = new.public_key_id != signer.public_key_id
        || new.public_key_pem != signer.public_key_pem
        || new.ed25519_public_multibase != signer.ed25519_public_multibase;
    new.public_key_id.clone_from(&signer.public_key_id);
    new.public_key_pem.clone_from(&signer.public_key_pem);
    new.ed25519_public_multibase.clone_from(&signer.ed25519_public_multibase);
    ops::actors::learn_remote(&context.store, &new).await?;
    if claims_new_keys && let Err(error) = crate::objects::actor::refetch(&signer.ap_id, context).await {
        tracing::info!(actor = %signer.ap_id, %error, "an Update names new keys, but the actor's own document could not be fetched");
    }
    Ok(Outcome::Applied)
}

#[cfg(test)]
mod tests {
    use super::is_small;
    use serde_json::json;

    #[test]
    fn only_short_notes_count_as_small() {
        assert!(is_small(&json!({"type": "Note", "content": "<p>Wie helpt er mee?</p>", "to": ["https://a.example/users/fatima"]})));
        assert!(!is_small(&json!({"type": "Note", "content": "x".repeat(3000)})));
        assert!(!is_small(&json!({"type": "Note", "tag": vec![json!({"type": "Hashtag"}); 300]})));
        assert!(!is_small(&json!({"contentMap": {"nl": "y".repeat(1500), "en": "z".repeat(1500)}})));
    }
}

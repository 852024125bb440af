//! `Like` and `Announce` (boost) of posts we hold; counted per post.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::protocol::activities::ActivityJson;
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::{DomainError, ops, store};

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context, kind: &'static str) -> Result<Outcome> {
    let target = activity.object_id().ok_or_else(|| FederationError::Malformed(format!("{} without object", activity.kind)))?;
    if kind == "announce"
        && let Some(outcome) = take_passed_on(activity, signer, &target, context).await?
    {
        return Ok(outcome);
    }
    match ops::posts::receive_reaction(&context.store, kind, &activity.id, &signer.ap_id, &target).await {
        Ok(_) => Ok(Outcome::Applied),
        Err(DomainError::NotFound) if kind == "announce" && followed_here(signer, context).await? => {
            // A boost by someone followed here (a coalition's replica announcing its feed)
            // brings the post along.
            super::create_update::take_announced(activity, &target, context).await?;
            ops::posts::receive_reaction(&context.store, kind, &activity.id, &signer.ap_id, &target).await?;
            Ok(Outcome::Applied)
        }
        Err(DomainError::NotFound | DomainError::Gone) => Ok(Outcome::Ignored("reaction to a post we do not hold")),
        Err(e) => Err(e.into()),
    }
}

/// An `Announce` carrying, with its author's proof, a post held here already: a replica
/// passing on its author's change. A newer version is applied as an `Update`, a tombstone as a
/// `Delete` (each only when the author's proof holds: what the announcer says is never
/// trusted); the same version again is not counted as another boost. `None` when the
/// announcement is an ordinary boost.
async fn take_passed_on(activity: &ActivityJson, announcer: &Actor, target: &str, context: &Context) -> Result<Option<Outcome>> {
    let object = &activity.object;
    if object.get("proof").is_none() || object["id"] != target {
        return Ok(None);
    }
    let mut conn = context.store.conn().await?;
    let Some(held) = store::posts::by_ap_id(&mut conn, target).await? else { return Ok(None) };
    let author = store::actors::by_id(&mut conn, held.author_id).await?;
    let announced_before = store::posts::reaction_of(&mut conn, "announce", &announcer.ap_id, held.id).await?.is_some();
    drop(conn);
    if held.is_deleted() {
        return Ok(Some(Outcome::Ignored("announcement of a deleted post")));
    }
    if crate::objects::coalition_content::is_tombstone(object) {
        if !super::delete::is_signed_tombstone(object, &author, target)? {
            return Err(FederationError::Forbidden("the tombstone carries no proof by its author".into()));
        }
        ops::posts::receive_delete(&context.store, &author, target, Some(&activity.text_of(object))).await?;
        return Ok(Some(Outcome::Applied));
    }
    let note: crate::protocol::note::NoteJson =
        serde_json::from_value(object.clone()).map_err(|e| FederationError::Malformed(format!("note: {e}")))?;
    let post = crate::objects::note::note_to_post(&note, &author)?;
    let newer = post.updated.is_some_and(|updated| updated > held.updated.unwrap_or(held.published));
    if !newer {
        return Ok(announced_before.then_some(Outcome::Ignored("announced before")));
    }
    if !crate::objects::coalition_content::check_if_signed(object, &author)? {
        return Ok(None);
    }
    let mut extras = crate::objects::note::extras(&note);
    extras.original = Some(activity.text_of(object));
    let updated = post.updated.unwrap_or(post.published);
    ops::posts::receive_update(&context.store, &author, target, &post.content, post.summary, updated, &extras).await?;
    Ok(Some(Outcome::Applied))
}

async fn followed_here(actor: &Actor, context: &Context) -> Result<bool> {
    Ok(buurtnet_domain::store::follows::has_local_follower(&mut context.store.conn().await?, actor.id).await?)
}

//! `Move`: a peer's actor moved to a new identity. Believed only when the new actor's own
//! document lists the old one (`alsoKnownAs`); then whoever here followed the old actor
//! follows the new one.

use super::Outcome;
use crate::error::{FederationError, Result};
use crate::objects::actor;
use crate::protocol::{self, activities::ActivityJson};
use crate::state::Context;
use buurtnet_domain::model::Actor;
use buurtnet_domain::{ops, store};

/// A `Move` as we take it: an actor moving itself to `target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveActivity {
    pub actor: String,
    pub target: String,
}

/// Reads a `Move`: `object` must be the `actor` itself (nobody moves someone else), `target`
/// another actor's `http(s)` address.
pub fn parse_move(activity: &ActivityJson) -> Result<MoveActivity> {
    let actor = activity.actor.clone();
    let object = activity.object_id().ok_or_else(|| FederationError::Malformed("Move without object".into()))?;
    if object != actor {
        return Err(FederationError::Forbidden("an actor can only move itself".into()));
    }
    let target = protocol::first_id(Some(&activity.target))
        .and_then(|t| url::Url::parse(&t).ok())
        .filter(|t| matches!(t.scheme(), "http" | "https") && t.host().is_some())
        .ok_or_else(|| FederationError::Malformed("Move without an actor to move to".into()))?;
    if target.as_str() == actor {
        return Err(FederationError::Malformed("Move to itself".into()));
    }
    Ok(MoveActivity { actor, target: target.to_string() })
}

pub async fn receive(activity: &ActivityJson, signer: &Actor, context: &Context) -> Result<Outcome> {
    let moving = parse_move(activity)?;
    if moving.actor != signer.ap_id {
        return Err(FederationError::Forbidden("a Move is signed by the actor that moves".into()));
    }
    let (remote, aliases) = crate::moving::new_identity(&moving.target, context).await?;
    if !aliases.iter().any(|alias| alias == &signer.ap_id) {
        return Err(FederationError::Forbidden("the new actor does not list the old one in alsoKnownAs".into()));
    }
    let target = match remote {
        Some(new) => actor::keep(&new, context).await?,
        None => store::actors::by_ap_id(&mut context.store.conn().await?, &moving.target).await?.ok_or(FederationError::NotFound)?,
    };
    ops::moving::receive_move(&context.store, &context.urls, signer, &target, &aliases).await?;
    context.wake_delivery();
    Ok(Outcome::Applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn activity(value: serde_json::Value) -> ActivityJson {
        serde_json::from_value(value).expect("an activity")
    }

    const OLD: &str = "https://oud.example/initiatives/zorg";
    const NEW: &str = "https://nieuw.example/initiatives/zorg";

    #[test]
    fn a_move_of_the_actor_itself_is_read() {
        let read = parse_move(&activity(
            json!({"id": format!("{OLD}#moves/1"), "type": "Move", "actor": OLD, "object": {"id": OLD}, "target": NEW}),
        ));
        assert_eq!(read.unwrap(), MoveActivity { actor: OLD.into(), target: NEW.into() });
    }

    #[test]
    fn a_move_of_someone_else_without_target_or_to_itself_is_refused() {
        let someone_else = json!({"id": "https://oud.example/a/1", "type": "Move", "actor": OLD, "object": "https://oud.example/users/fatima", "target": NEW});
        assert!(matches!(parse_move(&activity(someone_else)), Err(FederationError::Forbidden(_))));
        for target in [json!(null), json!("mailto:zorg@nieuw.example"), json!("not a url"), json!(OLD), json!(42)] {
            let moving = json!({"id": "https://oud.example/a/2", "type": "Move", "actor": OLD, "object": OLD, "target": target});
            assert!(matches!(parse_move(&activity(moving)), Err(FederationError::Malformed(_))), "{target}");
        }
    }
}

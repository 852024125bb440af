//! The commands that move accounts to another node (issue 17): `alias add|remove`, `move`
//! and `move-node`. They open the database (migrating it) and work while `serve` runs: what
//! they queue, the running node's delivery worker sends.

use crate::config::Config;
use anyhow::{Result, bail};
use buurtnet_domain::model::ActorKind;
use buurtnet_domain::ops::moving::MoveOutcome;
use buurtnet_domain::{ops, store};

/// `alias add` (`adding`) or `alias remove`: the old identities `username` lists.
pub async fn alias(config: &Config, username: &str, old_actor: &str, adding: bool) -> Result<()> {
    let store = crate::open_store(config).await?;
    let actor = store::actors::local_by_username(&mut store.conn().await?, &username.trim().to_lowercase()).await?;
    let Some(actor) = actor.filter(|a| matches!(a.kind(), ActorKind::Person | ActorKind::Group)) else {
        bail!("no member or initiative {username} on this node / geen lid of initiatief {username} op deze node");
    };
    let changed = if adding {
        ops::moving::add_alias(&store, &actor, old_actor).await?
    } else {
        ops::moving::remove_alias(&store, &actor, old_actor).await?
    };
    let aliases = ops::moving::aliases(&store, &actor).await?;
    let what = match (adding, changed) {
        (true, true) => "alias added / alias toegevoegd",
        (true, false) => "alias was listed already / alias stond er al",
        (false, true) => "alias removed / alias verwijderd",
        (false, false) => "alias was not listed / alias stond er niet",
    };
    println!("{what}: {} alsoKnownAs = [{}]", actor.ap_id, aliases.join(", "));
    Ok(())
}

/// `move <username> --to <new actor>`.
pub async fn move_one(config: &Config, username: &str, target: &str) -> Result<()> {
    let federation = crate::offline_federation(config).await?;
    match buurtnet_federation::moving::move_local(&federation.context(), username, target).await? {
        MoveOutcome::Moved => println!("moved / verhuisd: {username} -> {target}; its followers are told now"),
        MoveOutcome::AlreadyMoved => println!("had moved already / was al verhuisd: {username} -> {target}"),
    }
    Ok(())
}

/// `move-node --to <new node>`: every member and initiative, each reported.
pub async fn move_node(config: &Config, new_base: &url::Url) -> Result<()> {
    let federation = crate::offline_federation(config).await?;
    let report = buurtnet_federation::moving::move_node(&federation.context(), new_base).await?;
    let mut moved = 0;
    for line in &report {
        match &line.outcome {
            Ok(MoveOutcome::Moved) => {
                moved += 1;
                println!("moved          {} -> {}", line.actor, line.target);
            }
            Ok(MoveOutcome::AlreadyMoved) => println!("moved before   {} -> {}", line.actor, line.target),
            Err(why) => println!("skipped        {}: {why} ({})", line.actor, line.target),
        }
    }
    println!("{moved} of {} accounts moved now / {moved} van {} accounts nu verhuisd", report.len(), report.len());
    Ok(())
}

//! Anti-entropy: every `federation.coalition_sync_secs` a node asks a few other replicas of
//! each coalition it holds for their heads, and pulls the operations (and, for members'
//! nodes, the content) of those whose heads differ, so that a node that was away catches up
//! by itself.

use super::{fetch_json, pull_content, pull_of};
use crate::error::Result;
use crate::state::Context;
use buurtnet_domain::ops;

/// Replicas one sync round asks, per coalition.
const SYNC_FANOUT: usize = 3;

/// One round of anti-entropy: for every coalition this node holds a log of, asks a few other
/// replicas (at random) for their heads and pulls from those whose heads differ from ours.
/// Returns how many operations came in.
pub async fn sync_round(context: &Context) -> Result<usize> {
    let mut taken = 0;
    for coalition in ops::coalitions::held(&context.store).await? {
        let state = ops::coalitions::state(&context.store, &coalition).await?;
        let ours = ops::coalitions::current_heads(&context.store, &coalition).await?;
        let mut others: Vec<url::Url> = state
            .replicas
            .values()
            .filter(|r| !r.starts_with(context.urls.base().as_str()))
            .filter_map(|r| url::Url::parse(r).ok())
            .collect();
        shuffle(&mut others);
        others.truncate(SYNC_FANOUT);
        // Content is for members' nodes: only a node that hosts a replica asks for it.
        let with_content = ops::coalitions::local_replica(&context.store, &coalition).await?.is_some();
        // The replicas are asked at once, each within a time limit: one that hangs (a node
        // gone, or cut off) must not hold up the others.
        let (coalition, ours) = (&coalition, &ours);
        let rounds = others.iter().map(|replica| async move {
            let limit = std::time::Duration::from_secs(SYNC_LIMIT_SECS);
            match tokio::time::timeout(limit, sync_with(context, coalition, ours, replica, with_content)).await {
                Ok(taken) => taken,
                Err(_) => {
                    tracing::info!(%replica, "a replica took too long to answer; another round will ask again");
                    0
                }
            }
        });
        taken += futures::future::join_all(rounds).await.into_iter().sum::<usize>();
    }
    Ok(taken)
}

/// Longest a sync round spends on one replica, in seconds.
const SYNC_LIMIT_SECS: u64 = 5;

/// One replica's part of a sync round: its operations when its heads differ from `ours`,
/// then its content. How many came in.
async fn sync_with(context: &Context, coalition: &str, ours: &[String], replica: &url::Url, with_content: bool) -> usize {
    let mut taken = 0;
    match heads_of(context, replica).await {
        Ok(theirs) if theirs == ours => {}
        Ok(_) => match pull_of(context, replica, Some(coalition)).await {
            Ok(pulled) => taken += pulled.taken,
            Err(e) => tracing::info!(%replica, error = %e, "pulling from a replica failed"),
        },
        Err(e) => {
            tracing::debug!(%replica, error = %e, "a replica did not answer; another round will ask again");
            return 0;
        }
    }
    if with_content {
        match pull_content(context, coalition, replica).await {
            Ok(pulled) => taken += pulled.taken,
            Err(e) => tracing::info!(%replica, error = %e, "pulling content from a replica failed"),
        }
    }
    taken
}

fn shuffle<T>(items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rand::random_range(0..=i));
    }
}

async fn heads_of(context: &Context, replica: &url::Url) -> Result<Vec<String>> {
    let document = fetch_json(context, replica).await?;
    let mut heads: Vec<String> =
        document["bn:heads"].as_array().into_iter().flatten().filter_map(|h| h.as_str().map(str::to_string)).collect();
    heads.sort();
    Ok(heads)
}

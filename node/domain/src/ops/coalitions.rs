//! Coalitions (issue 6), the part built so far: keeping the operations of a membership log
//! (whose proofs the federation layer checked) and computing the coalition's state from
//! them. A replayed or second copy of an operation changes nothing.

use crate::error::{DomainError, Result};
use crate::model::coalition::{CoalitionState, Operation, fold, heads};
use crate::store::{self, Store};

/// Keeps a checked operation with its signed document; false when it was known already.
pub async fn record(store: &Store, coalition: &str, op: &Operation, raw: &str) -> Result<bool> {
    let reading = serde_json::to_string(op).map_err(|e| DomainError::Corrupt(format!("operation: {e}")))?;
    let new =
        store::coalitions::NewOperation { coalition, op_id: &op.id, author: &op.author, published: op.published, reading: &reading, raw };
    let mut tx = store.begin().await?;
    let fresh = store::coalitions::insert(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(fresh)
}

/// The coalition as its operations here make it.
pub async fn state(store: &Store, coalition: &str) -> Result<CoalitionState> {
    Ok(fold(&operations(store, coalition).await?))
}

/// Records the founding operation (signed by the caller) and hosts the first replica as
/// `slug`, in one transaction. The coordinator must act for the founding initiative.
pub async fn found(
    store: &Store,
    member: &crate::model::Actor,
    initiative: &crate::model::Actor,
    coalition: &str,
    slug: &str,
    op: &Operation,
    raw: &str,
) -> Result<()> {
    if !super::actors::may_act_as(store, member, initiative).await?
        || initiative.kind() != crate::model::ActorKind::Group
        || op.author != initiative.ap_id
    {
        return Err(DomainError::Forbidden);
    }
    let slug = crate::model::Username::parse(slug)
        .map_err(|_| DomainError::invalid("slug", "use small letters, digits and _ / gebruik kleine letters, cijfers en _"))?;
    let reading = serde_json::to_string(op).map_err(|e| DomainError::Corrupt(format!("operation: {e}")))?;
    let new =
        store::coalitions::NewOperation { coalition, op_id: &op.id, author: &op.author, published: op.published, reading: &reading, raw };
    let mut tx = store.begin().await?;
    if store::coalitions::replica_by_slug(&mut tx, slug.as_str()).await?.is_some() {
        return Err(DomainError::Conflict("that name is taken / die naam is al in gebruik".into()));
    }
    store::coalitions::insert(&mut tx, &new).await?;
    store::coalitions::insert_replica(&mut tx, coalition, slug.as_str()).await?;
    tx.commit().await?;
    Ok(())
}

/// The coalition a local replica stands for, if there is one by that name.
pub async fn replica(store: &Store, slug: &str) -> Result<Option<String>> {
    store::coalitions::replica_by_slug(&mut store.conn().await?, slug).await
}

/// Whether this node holds an operation already.
pub async fn knows(store: &Store, op_id: &str) -> Result<bool> {
    store::coalitions::is_known(&mut store.conn().await?, op_id).await
}

/// The operations held for a coalition.
async fn operations(store: &Store, coalition: &str) -> Result<Vec<Operation>> {
    let mut ops = Vec::new();
    for reading in store::coalitions::readings(&mut store.conn().await?, coalition).await? {
        ops.push(serde_json::from_str::<Operation>(&reading).map_err(|e| DomainError::Corrupt(format!("stored operation: {e}")))?);
    }
    Ok(ops)
}

/// What a new operation names as its parents: the current heads.
pub async fn current_heads(store: &Store, coalition: &str) -> Result<Vec<String>> {
    Ok(heads(&operations(store, coalition).await?))
}

/// Checks that `op` would count (the fold would not refuse it) before it is signed and kept.
pub async fn check_new(store: &Store, coalition: &str, op: &Operation) -> Result<()> {
    let mut ops = operations(store, coalition).await?;
    ops.push(op.clone());
    match fold(&ops).refused.get(&op.id) {
        Some(why) => Err(DomainError::invalid("operation", why.clone())),
        None => Ok(()),
    }
}

/// Hosts a replica of a coalition this node's initiative `member_initiative` is a member of.
pub async fn host(store: &Store, coalition: &str, slug: &str, member_initiative: &crate::model::Actor) -> Result<()> {
    if !state(store, coalition).await?.members.contains(&member_initiative.ap_id) {
        return Err(DomainError::Forbidden);
    }
    let slug = crate::model::Username::parse(slug)
        .map_err(|_| DomainError::invalid("slug", "use small letters, digits and _ / gebruik kleine letters, cijfers en _"))?;
    let mut tx = store.begin().await?;
    store::coalitions::insert_replica(&mut tx, coalition, slug.as_str()).await?;
    tx.commit().await?;
    Ok(())
}

/// Admissions ready to take effect at `now` (sponsored enough, unopposed, the objection
/// period over), with a local member initiative to issue the `Admit`: (coalition, proposal,
/// initiative).
pub async fn admissions_due(store: &Store, now: i64) -> Result<Vec<(String, String, crate::model::Actor)>> {
    let replicas = store::coalitions::replicas(&mut store.conn().await?).await?;
    let mut due = Vec::new();
    for (coalition, _) in replicas {
        let state = state(store, &coalition).await?;
        let Some(charter) = state.charter.clone() else { continue };
        let window = i64::from(charter.objection_days) * 24 * 3600 * 1000;
        let Some(issuer) = local_member(store, &state).await? else { continue };
        for proposal in state.proposals.values() {
            let ready = matches!(proposal.change, crate::model::coalition::Change::Admit(_))
                && !proposal.decided
                && proposal.objections.is_empty()
                && now >= proposal.published + window
                && proposal.sponsors.iter().filter(|s| state.members.contains(*s)).count() >= charter.sponsors_needed as usize;
            if ready {
                due.push((coalition.clone(), proposal.id.clone(), issuer.clone()));
            }
        }
    }
    Ok(due)
}

/// A member initiative hosted on this node, to act for the node's replica.
async fn local_member(store: &Store, state: &CoalitionState) -> Result<Option<crate::model::Actor>> {
    let mut conn = store.conn().await?;
    for member in &state.members {
        if let Some(actor) = store::actors::by_ap_id(&mut conn, member).await?.filter(|a| a.is_local) {
            return Ok(Some(actor));
        }
    }
    Ok(None)
}

//! Acting in a coalition: founding one, applying to one, every operation a coordinator makes
//! for her initiative, the admissions whose time has come, and hosting a replica once one of
//! our initiatives is a member. Each operation names the current heads as its parents, is
//! checked against the rules before it is signed, and is kept for the other replicas to
//! receive. Signing, reading another replica's log and learning actors belong to the wire:
//! the federation crate passes them in as a [`CoalitionWire`].

use super::coalitions::{self as log, Spread};
use crate::error::{DomainError, Result};
use crate::model::coalition::{Change, Charter, OpKind, Operation};
use crate::model::{Actor, ActorKeys};
use crate::now_ms;
use crate::store::{self, Store};
use crate::urls::LocalUrls;
use std::collections::BTreeMap;
use std::future::Future;

/// What acting in a coalition needs from the federation crate, which knows the operations'
/// wire form and the other nodes.
pub trait CoalitionWire: Sync {
    /// The identifier of the coalition a founding operation founds (its hash).
    fn coalition_id(&self, founding: &Operation) -> String;
    /// The operation as it travels, signed with its author's Ed25519 key (PKCS#8, base64).
    fn signed(&self, op: &Operation, coalition: &str, private_pkcs8: &str) -> Result<String>;
    /// Fresh keys for the actor of a new replica.
    fn new_keys(&self) -> ActorKeys;
    /// Reads (and keeps what checks out of) the log of the coalition a replica at another
    /// node stands for; gives the coalition's identifier.
    fn read_log(&self, replica: &url::Url) -> impl Future<Output = Result<String>> + Send;
    /// Tries to learn an actor from its own node (for its key); a failure is only logged.
    fn learn_actor(&self, ap_id: &str) -> impl Future<Output = ()> + Send;
    /// Operations were kept to be sent: the delivery worker may start.
    fn sent(&self);
}

/// A node acting in coalitions: its store and addresses, and the wire its operations go by.
pub struct Acting<'a, W> {
    pub store: &'a Store,
    pub urls: &'a LocalUrls,
    pub wire: W,
}

impl<W: CoalitionWire> Acting<'_, W> {
    /// Founds a coalition as `initiative` (which `member` coordinates): the founding operation
    /// (vouching for the initiative's key; the coalition's identifier is its hash) signed and
    /// kept, the first replica at `/coalitions/{slug}` with its actor, and the `Host` naming it.
    pub async fn found(&self, member: &Actor, initiative: &Actor, slug: &str, charter: Charter) -> Result<String> {
        let (store, urls, wire) = (self.store, self.urls, &self.wire);
        let charter = super::coalition_pages::checked_charter(charter)?;
        let own_key = initiative.ed25519_public_multibase.clone().ok_or_else(no_key)?;
        let op = Operation {
            id: urls.new_activity().to_string(),
            author: initiative.ap_id.clone(),
            parents: vec![],
            published: now_ms(),
            kind: OpKind::Found { charter, founders: vec![initiative.ap_id.clone()] },
            keys: [(initiative.ap_id.clone(), own_key)].into(),
        };
        let coalition = wire.coalition_id(&op);
        let signed = wire.signed(&op, &coalition, initiative.ed25519_private_pkcs8.as_deref().ok_or_else(no_key)?)?;
        log::found(store, member, initiative, &coalition, slug, &op, &signed).await?;
        log::ensure_replica_actor(store, urls, &coalition, slug, &wire.new_keys()).await?;
        self.issue(initiative, &coalition, OpKind::Host { replica: urls.coalition(slug).to_string() }).await?;
        Ok(coalition)
    }

    /// `member` applies for `initiative` to the coalition of `replica` (any replica a
    /// coordinator was given): the log is read from there first, so that the application names
    /// what the coalition had decided, and the application goes to every replica.
    pub async fn apply(&self, member: &Actor, initiative: &Actor, replica: &url::Url) -> Result<(String, Operation)> {
        let (store, wire) = (self.store, &self.wire);
        if !super::actors::may_act_as(store, member, initiative).await? {
            return Err(DomainError::Forbidden);
        }
        let coalition = wire.read_log(replica).await?;
        let op = self.issue(initiative, &coalition, OpKind::Propose(Change::Admit(initiative.ap_id.clone()))).await?;
        Ok((coalition, op))
    }

    /// `member` acts for `initiative` in a coalition. When the operation proposes or sponsors
    /// an admission, the candidate is looked up first, so that the operation vouches for its key.
    pub async fn act(&self, member: &Actor, initiative: &Actor, coalition: &str, kind: OpKind) -> Result<Operation> {
        let (store, wire) = (self.store, &self.wire);
        if !super::actors::may_act_as(store, member, initiative).await? {
            return Err(DomainError::Forbidden);
        }
        let kind = match kind {
            OpKind::Propose(Change::Charter(charter)) => {
                OpKind::Propose(Change::Charter(super::coalition_pages::checked_charter(charter)?))
            }
            other => other,
        };
        if let Some(candidate) = candidate_of(store, coalition, &kind).await? {
            wire.learn_actor(&candidate).await;
        }
        self.issue(initiative, coalition, kind).await
    }

    /// Lets in the candidates whose objection period has passed without objection (each
    /// replica's node may do it; the first `Admit` counts, the others change nothing). Runs with
    /// the node's housekeeping. Returns how many were admitted.
    pub async fn admit_due(&self) -> Result<usize> {
        let store = self.store;
        let mut admitted = 0;
        for (coalition, proposal, issuer) in log::admissions_due(store, now_ms()).await? {
            self.issue(&issuer, &coalition, OpKind::Admit { proposal }).await?;
            admitted += 1;
        }
        Ok(admitted)
    }

    /// When one of our initiatives has become a member of `coalition` and this node hosts no
    /// replica of it, hosts one (named `preferred` when that is free) and announces it with
    /// `Host`. Returns the replica's name when it did.
    pub async fn host_if_member(&self, coalition: &str, preferred: Option<&str>) -> Result<Option<String>> {
        let (store, urls, wire) = (self.store, self.urls, &self.wire);
        let Some((initiative, slug)) = log::host_if_member(store, coalition, preferred).await? else { return Ok(None) };
        log::ensure_replica_actor(store, urls, coalition, &slug, &wire.new_keys()).await?;
        self.issue(&initiative, coalition, OpKind::Host { replica: urls.coalition(&slug).to_string() }).await?;
        Ok(Some(slug))
    }

    /// Makes, checks, signs and keeps an operation of `initiative` (a local actor).
    async fn issue(&self, initiative: &Actor, coalition: &str, kind: OpKind) -> Result<Operation> {
        let (store, urls, wire) = (self.store, self.urls, &self.wire);
        let op = Operation {
            id: urls.new_activity().to_string(),
            author: initiative.ap_id.clone(),
            parents: log::current_heads(store, coalition).await?,
            published: now_ms(),
            keys: vouches(store, coalition, &kind).await?,
            kind,
        };
        log::check_new(store, coalition, &op).await?;
        let signed = wire.signed(&op, coalition, initiative.ed25519_private_pkcs8.as_deref().ok_or_else(no_key)?)?;
        log::record(store, coalition, &op, &signed, Spread::TellOthers).await?;
        wire.sent();
        Ok(op)
    }
}

fn no_key() -> DomainError {
    DomainError::Corrupt("the initiative has no Ed25519 key".into())
}

/// The candidate an operation proposes or sponsors the admission of.
async fn candidate_of(store: &Store, coalition: &str, kind: &OpKind) -> Result<Option<String>> {
    Ok(match kind {
        OpKind::Propose(Change::Admit(candidate)) => Some(candidate.clone()),
        OpKind::Sponsor { proposal } => match log::state(store, coalition).await?.proposals.get(proposal).map(|p| &p.change) {
            Some(Change::Admit(candidate)) => Some(candidate.clone()),
            _ => None,
        },
        _ => None,
    })
}

/// The keys an operation vouches for: the candidate's, as this node knows it, when it
/// proposes or sponsors an admission.
async fn vouches(store: &Store, coalition: &str, kind: &OpKind) -> Result<BTreeMap<String, String>> {
    let mut keys = BTreeMap::new();
    if let Some(candidate) = candidate_of(store, coalition, kind).await?
        && let Some(key) = store::actors::by_ap_id(&mut store.conn().await?, &candidate).await?.and_then(|a| a.ed25519_public_multibase)
    {
        keys.insert(candidate, key);
    }
    Ok(keys)
}

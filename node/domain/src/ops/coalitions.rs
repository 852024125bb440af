//! Coalitions (issue 6): keeping the operations of a membership log (whose proofs the
//! federation layer checked), computing the coalition's state from them, deciding which
//! operations are worth keeping and when this node hosts a replica. A replayed or second
//! copy of an operation changes nothing.

use crate::error::{DomainError, Result, Say};
use crate::model::coalition::{CoalitionState, FoldedLog, Operation};
use crate::store::{self, Store};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Whether a newly kept operation goes out to the other replicas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// Made here, or an application that came straight from its author: tell the others.
    TellOthers,
    /// Came from a replica (pushed or pulled): the others hear of it from there or by pulling.
    Keep,
}

/// Keeps a checked operation with its signed document (and, when it must spread, its
/// delivery in the same transaction); false when it was known already.
pub async fn record(store: &Store, coalition: &str, op: &Operation, raw: &str, spread: Spread) -> Result<bool> {
    let reading = serde_json::to_string(op).map_err(|e| DomainError::Internal(format!("operation: {e}")))?;
    let new =
        store::coalitions::NewOperation { coalition, op_id: &op.id, author: &op.author, published: op.published, reading: &reading, raw };
    let mut tx = store.begin().await?;
    let fresh = store::coalitions::insert(&mut tx, &new).await?;
    if fresh && spread == Spread::TellOthers {
        let event = crate::outbox::Outgoing::CoalitionOperation { coalition: coalition.to_string(), op_id: op.id.clone() };
        store::outbox::push(&mut tx, &event).await?;
    }
    tx.commit().await?;
    Ok(fresh)
}

/// Whether an operation that came from elsewhere is worth keeping: it must belong to a
/// coalition this node takes part in (it holds its log, or the operation concerns one of its
/// initiatives) and come from someone who is or was a member or candidate, or be an
/// application. Operations by members that the rules refuse now are kept all the same: a
/// concurrent operation arriving later may make them count, and the fold decides.
pub async fn admissible(store: &Store, coalition: &str, op: &Operation) -> Result<()> {
    let log = log(store, coalition).await?;
    let concerns_us = match &op.kind {
        crate::model::coalition::OpKind::Propose(crate::model::coalition::Change::Admit(candidate)) => {
            store::actors::by_ap_id(&mut store.conn().await?, candidate).await?.is_some_and(|a| a.is_local)
        }
        _ => false,
    };
    if log.ops.is_empty() && !concerns_us {
        return Err(DomainError::invalid("coalition", Say::CoalitionNotOurs));
    }
    let state = &log.state;
    let applies =
        matches!(&op.kind, crate::model::coalition::OpKind::Propose(crate::model::coalition::Change::Admit(c)) if c == &op.author);
    if !applies && !state.participants.contains(&op.author) && !concerns_us {
        return Err(DomainError::Forbidden);
    }
    Ok(())
}

/// The coalition as its operations here make it.
pub async fn state(store: &Store, coalition: &str) -> Result<CoalitionState> {
    Ok(log(store, coalition).await?.state.clone())
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
    let slug = crate::model::Username::parse(slug).map_err(|_| DomainError::invalid("slug", Say::UsernameCharacters))?;
    let reading = serde_json::to_string(op).map_err(|e| DomainError::Internal(format!("operation: {e}")))?;
    let new =
        store::coalitions::NewOperation { coalition, op_id: &op.id, author: &op.author, published: op.published, reading: &reading, raw };
    let mut tx = store.begin().await?;
    if store::coalitions::replica_by_slug(&mut tx, slug.as_str()).await?.is_some()
        || store::actors::local_by_username(&mut tx, slug.as_str()).await?.is_some()
    {
        return Err(DomainError::conflict(Say::NameTaken(slug.as_str().to_string())));
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

/// The operation held here under this id, as read.
pub async fn reading(store: &Store, op_id: &str) -> Result<Option<Operation>> {
    let Some(reading) = store::coalitions::reading_of(&mut store.conn().await?, op_id).await? else { return Ok(None) };
    Ok(Some(serde_json::from_str(&reading).map_err(|e| DomainError::Corrupt(format!("stored operation: {e}")))?))
}

/// Whom a post with "coalition" visibility by `author_id` is for: every member initiative of
/// every coalition the author (an initiative) or one of the author's initiatives is a member
/// of, as the logs held here make them, the author's own initiatives left out.
pub async fn partners(tx: &mut impl store::Handle, author_id: i64) -> Result<Vec<String>> {
    let author = store::actors::by_id(tx, author_id).await?;
    let mut own: BTreeSet<String> = BTreeSet::from([author.ap_id.clone()]);
    for (initiative_id, _) in store::actors::roles_of(tx, author_id).await? {
        own.insert(store::actors::by_id(tx, initiative_id).await?.ap_id);
    }
    let mut partners = BTreeSet::new();
    for coalition in store::coalitions::held(tx).await? {
        let members = fold_in(tx, &coalition).await?.members;
        if members.iter().any(|m| own.contains(m)) {
            partners.extend(members.into_iter().filter(|m| !own.contains(m)));
        }
    }
    Ok(partners.into_iter().collect())
}

/// The keys the log vouches for `actor` (Ed25519, multibase), to check its operations when
/// its node cannot be reached: the founder's own key in the founding (the coalition's id is
/// the founding's hash), and the keys any founder or admitted member names for someone else,
/// in any operation held (also one still waiting for its parents, since the operation that
/// needs the key may be one of those parents).
pub async fn vouched_keys(store: &Store, coalition: &str, actor: &str) -> Result<Vec<String>> {
    let log = log(store, coalition).await?;
    let (ops, state) = (&log.ops, &log.state);
    let mut keys = Vec::new();
    for op in ops {
        let counts = match op.kind {
            crate::model::coalition::OpKind::Found { .. } if op.author == actor => true,
            _ => op.author != actor && state.ever_members.contains(&op.author),
        };
        if let Some(key) = op.keys.get(actor).filter(|_| counts)
            && !keys.contains(key)
        {
            keys.push(key.clone());
        }
    }
    Ok(keys)
}

/// Makes sure every replica this node hosts has its actor (the `Group` people follow), made
/// with keys from `make_keys`: replicas hosted before replicas had actors get one at start.
pub async fn ensure_replica_actors(
    store: &Store,
    urls: &crate::urls::LocalUrls,
    make_keys: impl Fn() -> crate::model::ActorKeys,
) -> Result<()> {
    for (coalition, slug) in store::coalitions::replicas(&mut store.conn().await?).await? {
        ensure_replica_actor(store, urls, &coalition, &slug, &make_keys()).await?;
    }
    Ok(())
}

/// The actor of this node's replica `slug` of `coalition`, made with `keys` if missing.
pub async fn ensure_replica_actor(
    store: &Store,
    urls: &crate::urls::LocalUrls,
    coalition: &str,
    slug: &str,
    keys: &crate::model::ActorKeys,
) -> Result<crate::model::Actor> {
    let name = state(store, coalition).await?.charter.map(|c| c.name).unwrap_or_else(|| slug.to_string());
    super::actors::ensure_replica_actor(store, urls, slug, &name, keys).await
}

/// A public post by a member initiative of a coalition this node hosts a replica of is
/// announced by the replica to its followers (the coalition's feed). Once per replica and
/// post: the `Announce` has an id of its own derived from both.
pub(crate) async fn announce_in_replicas(tx: &mut store::Tx, post: &crate::model::Post) -> Result<()> {
    use crate::model::{ActorKind, Visibility};
    if !matches!(post.visibility, Visibility::Public | Visibility::Unlisted) || post.is_deleted() {
        return Ok(());
    }
    let author = store::actors::by_id(tx, post.author_id).await?;
    if author.kind() != ActorKind::Group {
        return Ok(());
    }
    for (coalition, slug) in store::coalitions::replicas(tx).await? {
        let Some(replica) = store::actors::local_by_username(tx, &slug).await?.filter(|a| a.kind() == ActorKind::Coalition) else {
            continue;
        };
        if !fold_in(tx, &coalition).await?.members.contains(&author.ap_id) {
            continue;
        }
        let activity = format!("{}/announces/{}", replica.ap_id, post.id);
        let kind = super::reactions::ANNOUNCE;
        if store::posts::add_reaction(tx, kind, &activity, &replica.ap_id, post.id).await? {
            let event = crate::outbox::Outgoing::Reacted { kind: kind.into(), activity, actor_id: replica.id, post_id: post.id };
            store::outbox::push(tx, &event).await?;
        }
    }
    Ok(())
}

/// A post the replicas here announced changed: each passes the new version on to its
/// followers (whose copies would otherwise stay as they were).
pub(crate) async fn pass_on_in_replicas(tx: &mut store::Tx, post: &crate::model::Post) -> Result<()> {
    for (replica, _) in replicas_that_announced(tx, post).await? {
        pass_on(tx, &replica, post).await?;
    }
    Ok(())
}

async fn pass_on(tx: &mut store::Tx, replica: &crate::model::Actor, post: &crate::model::Post) -> Result<()> {
    let activity = format!("{}/announces/{}/{}", replica.ap_id, post.id, crate::now_ms());
    store::outbox::push(tx, &crate::outbox::Outgoing::ReplicaPassedOn { activity, replica_id: replica.id, post_id: post.id }).await?;
    Ok(())
}

/// A post the replicas here announced is gone: each passes the author's tombstone on and
/// takes its `Announce` back (`Undo`, for servers that do not read the tombstone), so that
/// their followers drop the post too.
pub(crate) async fn unannounce_in_replicas(tx: &mut store::Tx, post: &crate::model::Post) -> Result<()> {
    for (replica, announce) in replicas_that_announced(tx, post).await? {
        pass_on(tx, &replica, post).await?;
        store::posts::remove_reaction(tx, &announce, &replica.ap_id).await?;
        let kind = super::reactions::ANNOUNCE.to_string();
        let event = crate::outbox::Outgoing::ReactionUndone { kind, activity: announce, actor_id: replica.id, post_id: post.id };
        store::outbox::push(tx, &event).await?;
    }
    Ok(())
}

/// The local replicas that announced `post`, each with the id of its `Announce`.
async fn replicas_that_announced(tx: &mut store::Tx, post: &crate::model::Post) -> Result<Vec<(crate::model::Actor, String)>> {
    let mut announcers = Vec::new();
    for (_, slug) in store::coalitions::replicas(tx).await? {
        let Some(replica) = store::actors::local_by_username(tx, &slug).await?.filter(|a| a.kind() == crate::model::ActorKind::Coalition)
        else {
            continue;
        };
        if let Some(announce) = store::posts::reaction_of(tx, super::reactions::ANNOUNCE, &replica.ap_id, post.id).await? {
            announcers.push((replica, announce));
        }
    }
    Ok(announcers)
}

/// Whether `author` is a member of a coalition this node hosts a replica of (its public
/// posts are then wanted here, for the replica's feed).
pub async fn is_member_of_a_hosted_coalition(store: &Store, author: &str) -> Result<bool> {
    let mut conn = store.conn().await?;
    for (coalition, _) in store::coalitions::replicas(&mut conn).await? {
        if fold_in(&mut conn, &coalition).await?.members.contains(author) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The coalition's state from the operations `db` holds (inside a transaction or not).
async fn fold_in(db: &mut impl store::Handle, coalition: &str) -> Result<CoalitionState> {
    Ok(log_in(db, coalition).await?.state.clone())
}

/// The coalition's log as `db` sees it, parsed and folded (issue 18: folding a log of a
/// thousand operations costs milliseconds, and a post or an incoming operation asks for it
/// several times). Operation rows are never changed or taken away, so counting the rows up to
/// the last one remembered says whether what the process remembers is still all of them
/// (used as it is) or all but some newer rows (read and added to it). Otherwise the log is
/// read and folded whole. It is remembered again when `db` sees committed rows only.
async fn log_in(db: &mut impl store::Handle, coalition: &str) -> Result<Arc<FoldedLog>> {
    let log = match db.memo().fold_of(coalition) {
        Some(known) if !known.ids.is_empty() => {
            let last = *known.ids.last().expect("not empty");
            match store::coalitions::extent(db, coalition, last).await? {
                (upto, all) if upto == known.ids.len() as i64 && all == upto => return Ok(known),
                (upto, _) if upto == known.ids.len() as i64 => {
                    Arc::new(known.extended(parsed(store::coalitions::readings_after(db, coalition, last).await?)?))
                }
                _ => read_whole(db, coalition).await?,
            }
        }
        _ => read_whole(db, coalition).await?,
    };
    if db.reads_committed_only() {
        db.memo().remember_fold(coalition, log.clone());
    }
    Ok(log)
}

async fn read_whole(db: &mut impl store::Handle, coalition: &str) -> Result<Arc<FoldedLog>> {
    let (ids, ops) = parsed(store::coalitions::readings(db, coalition).await?)?.into_iter().unzip();
    Ok(Arc::new(FoldedLog::new(ids, ops)))
}

fn parsed(readings: Vec<(i64, String)>) -> Result<Vec<(i64, Operation)>> {
    let parse = |(id, reading): (i64, String)| {
        serde_json::from_str::<Operation>(&reading).map(|op| (id, op)).map_err(|e| DomainError::Corrupt(format!("stored operation: {e}")))
    };
    readings.into_iter().map(parse).collect()
}

/// Whether this node holds every one of these operations.
pub async fn knows_all(store: &Store, op_ids: &[String]) -> Result<bool> {
    let mut conn = store.conn().await?;
    for id in op_ids {
        if !store::coalitions::is_known(&mut conn, id).await? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The operations held for a coalition, and their fold.
async fn log(store: &Store, coalition: &str) -> Result<Arc<FoldedLog>> {
    log_in(&mut store.conn().await?, coalition).await
}

/// What a new operation names as its parents: the current heads.
pub async fn current_heads(store: &Store, coalition: &str) -> Result<Vec<String>> {
    Ok(log(store, coalition).await?.heads.clone())
}

/// Checks that `op` would count (the fold would not refuse it) before it is signed and kept.
pub async fn check_new(store: &Store, coalition: &str, op: &Operation) -> Result<()> {
    match log(store, coalition).await?.refusal_if_added(op) {
        Some(why) => Err(DomainError::CoalitionRefused(why)),
        None => Ok(()),
    }
}

/// When one of this node's initiatives is a member of `coalition` and the node hosts no
/// replica of it yet, hosts one (named after the charter, or `preferred`) and returns the
/// initiative that will announce it and the replica's name.
pub async fn host_if_member(store: &Store, coalition: &str, preferred: Option<&str>) -> Result<Option<(crate::model::Actor, String)>> {
    if store::coalitions::replica_of(&mut store.conn().await?, coalition).await?.is_some() {
        return Ok(None);
    }
    let state = state(store, coalition).await?;
    let Some(initiative) = local_member(store, &state).await? else { return Ok(None) };
    let base =
        preferred.map(str::to_string).unwrap_or_else(|| slug_of(state.charter.as_ref().map(|c| c.name.as_str()).unwrap_or("coalitie")));
    let mut tx = store.begin().await?;
    // Two arrivals may settle at once (a push and a pull): the first one hosts.
    if store::coalitions::replica_of(&mut tx, coalition).await?.is_some() {
        return Ok(None);
    }
    let mut slug = base.clone();
    let mut n = 2;
    while store::coalitions::replica_by_slug(&mut tx, &slug).await?.is_some()
        || store::actors::local_by_username(&mut tx, &slug).await?.is_some()
    {
        slug = format!("{}_{n}", base.chars().take(27).collect::<String>());
        n += 1;
    }
    match store::coalitions::insert_replica(&mut tx, coalition, &slug).await {
        Ok(()) => {}
        Err(DomainError::Db(ref e)) if store::is_unique_violation(e) => return Ok(None),
        Err(e) => return Err(e),
    }
    tx.commit().await?;
    Ok(Some((initiative, slug)))
}

/// A replica name from a coalition's name: small letters, digits and `_`, at most 30.
fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            other => other,
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    let slug: String = slug.trim_end_matches('_').chars().take(30).collect();
    if slug.is_empty() { "coalitie".to_string() } else { slug.trim_end_matches('_').to_string() }
}

/// The coalitions this node holds a log of.
pub async fn held(store: &Store) -> Result<Vec<String>> {
    store::coalitions::held(&mut store.conn().await?).await
}

/// The name of this node's replica of `coalition`, if it hosts one.
pub async fn local_replica(store: &Store, coalition: &str) -> Result<Option<String>> {
    store::coalitions::replica_of(&mut store.conn().await?, coalition).await
}

/// The signed document of an operation held here.
pub async fn signed_document(store: &Store, op_id: &str) -> Result<Option<String>> {
    store::coalitions::raw_of(&mut store.conn().await?, op_id).await
}

/// Hosts a replica of a coalition this node's initiative `member_initiative` is a member of.
pub async fn host(store: &Store, coalition: &str, slug: &str, member_initiative: &crate::model::Actor) -> Result<()> {
    if !state(store, coalition).await?.members.contains(&member_initiative.ap_id) {
        return Err(DomainError::Forbidden);
    }
    let slug = crate::model::Username::parse(slug).map_err(|_| DomainError::invalid("slug", Say::UsernameCharacters))?;
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
                && proposal.accepted_by_candidate()
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
pub async fn local_member(store: &Store, state: &CoalitionState) -> Result<Option<crate::model::Actor>> {
    let mut conn = store.conn().await?;
    for member in &state.members {
        if let Some(actor) = store::actors::by_ap_id(&mut conn, member).await?.filter(|a| a.is_local) {
            return Ok(Some(actor));
        }
    }
    Ok(None)
}

/// How far this node has read another replica's content (`mark`), so the next pull starts
/// there.
pub async fn mark_content_read(store: &Store, coalition: &str, replica: &str, mark: &str) -> Result<()> {
    store::coalitions::set_content_cursor(&mut store.conn().await?, coalition, replica, mark).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn replica_names_come_from_the_coalition_name() {
        assert_eq!(super::slug_of("Welzijnscoalitie Delfshaven"), "welzijnscoalitie_delfshaven");
        assert_eq!(super::slug_of("  Één -- twee!  "), "een_twee");
        assert_eq!(super::slug_of("???"), "coalitie");
        assert!(super::slug_of(&"lang ".repeat(20)).len() <= 30);
    }
}

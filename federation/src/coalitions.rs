//! Coalitions on the wire (issue 6): founding one (the founding operation signed by the
//! initiative's Ed25519 key), acting in one, the replica as a `Group` at
//! `/coalitions/{slug}`, its operations as a paged collection that any replica or reader can
//! take, proofs included, and the ways operations travel: pushed to the other replicas'
//! inboxes by the node that made them, taken in by the inbox ([`receive`]), and pulled by
//! anti-entropy ([`pull`], [`sync_round`]) so that a node that was away catches up by itself.
//! Coalition content (its collection and its pull) is in the `content` module.

use crate::error::{FederationError, Result};
use crate::objects::coalition_op;
use crate::protocol::with_context;
use crate::state::{Context, FederationState};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::Actor;
use buurtnet_domain::model::coalition::{Change, Charter, CoalitionState, OpKind, Operation};
use buurtnet_domain::ops::coalitions::Spread;
use buurtnet_domain::{now_ms, ops, store};
use serde_json::{Value, json};

mod content;
pub use content::{ContentPulled, content, pull_content};

/// Operations on one page of the collection.
const PAGE: i64 = 50;

/// Founds a coalition as `initiative` (which `member` coordinates): the founding operation
/// (vouching for the initiative's key; the coalition's identifier is its hash) signed and
/// kept, and the first replica at `/coalitions/{slug}`.
pub async fn found(context: &Context, member: &Actor, initiative: &Actor, slug: &str, charter: Charter) -> Result<String> {
    let own_key =
        initiative.ed25519_public_multibase.clone().ok_or_else(|| FederationError::Internal("the initiative has no Ed25519 key".into()))?;
    let op = Operation {
        id: context.urls.new_activity().to_string(),
        author: initiative.ap_id.clone(),
        parents: vec![],
        published: now_ms(),
        kind: OpKind::Found { charter, founders: vec![initiative.ap_id.clone()] },
        keys: [(initiative.ap_id.clone(), own_key)].into(),
    };
    let coalition = coalition_op::coalition_id(&op);
    let private =
        initiative.ed25519_private_pkcs8.as_deref().ok_or_else(|| FederationError::Internal("the initiative has no Ed25519 key".into()))?;
    let signed = coalition_op::sign(&op, &coalition, private).map_err(|e| FederationError::Internal(e.to_string()))?;
    ops::coalitions::found(&context.store, member, initiative, &coalition, slug, &op, &signed.to_string()).await?;
    ops::coalitions::ensure_replica_actor(&context.store, &context.urls, &coalition, slug, &crate::keys::generate()).await?;
    issue(context, initiative, &coalition, OpKind::Host { replica: replica_id(context, slug) }).await?;
    Ok(coalition)
}

/// `member` applies for `initiative` to the coalition of `replica` (any replica a
/// coordinator was given): the log is read from there first, so that the application names
/// what the coalition had decided, and the application goes to every replica.
pub async fn apply(context: &Context, member: &Actor, initiative: &Actor, replica: &url::Url) -> Result<(String, Operation)> {
    if !ops::actors::may_act_as(&context.store, member, initiative).await? {
        return Err(FederationError::Forbidden("only coordinators act for their initiative".into()));
    }
    let pulled = pull(context, replica).await?;
    let op = issue(context, initiative, &pulled.coalition, OpKind::Propose(Change::Admit(initiative.ap_id.clone()))).await?;
    Ok((pulled.coalition, op))
}

/// `member` acts for `initiative` in a coalition: the operation names the current heads as
/// its parents, is checked against the rules, signed with the initiative's key and kept.
pub async fn act(context: &Context, member: &Actor, initiative: &Actor, coalition: &str, kind: OpKind) -> Result<Operation> {
    if !ops::actors::may_act_as(&context.store, member, initiative).await? {
        return Err(FederationError::Forbidden("only coordinators act for their initiative".into()));
    }
    if let Some(candidate) = candidate_of(context, coalition, &kind).await?
        && let Err(e) = crate::objects::actor::resolve(&candidate, context).await
    {
        // Its key is vouched for in the operation when it can be known; without it, other
        // nodes fetch the key from the candidate's node.
        tracing::info!(%candidate, error = %e, "the candidate could not be fetched; its key is not vouched for");
    }
    issue(context, initiative, coalition, kind).await
}

/// The candidate an operation proposes or sponsors the admission of.
async fn candidate_of(state: &FederationState, coalition: &str, kind: &OpKind) -> Result<Option<String>> {
    Ok(match kind {
        OpKind::Propose(Change::Admit(candidate)) => Some(candidate.clone()),
        OpKind::Sponsor { proposal } => {
            let folded = ops::coalitions::state(&state.store, coalition).await?;
            match folded.proposals.get(proposal).map(|p| &p.change) {
                Some(Change::Admit(candidate)) => Some(candidate.clone()),
                _ => None,
            }
        }
        _ => None,
    })
}

/// The keys an operation vouches for: the candidate's, as this node knows it, when it
/// proposes or sponsors an admission.
async fn vouches(state: &FederationState, coalition: &str, kind: &OpKind) -> Result<std::collections::BTreeMap<String, String>> {
    let mut keys = std::collections::BTreeMap::new();
    if let Some(candidate) = candidate_of(state, coalition, kind).await?
        && let Some(key) =
            store::actors::by_ap_id(&mut state.store.conn().await?, &candidate).await?.and_then(|a| a.ed25519_public_multibase)
    {
        keys.insert(candidate, key);
    }
    Ok(keys)
}

/// Makes, checks, signs and keeps an operation of `initiative` (a local actor).
async fn issue(context: &FederationState, initiative: &Actor, coalition: &str, kind: OpKind) -> Result<Operation> {
    let op = Operation {
        id: context.urls.new_activity().to_string(),
        author: initiative.ap_id.clone(),
        parents: ops::coalitions::current_heads(&context.store, coalition).await?,
        published: now_ms(),
        keys: vouches(context, coalition, &kind).await?,
        kind,
    };
    ops::coalitions::check_new(&context.store, coalition, &op).await?;
    let private =
        initiative.ed25519_private_pkcs8.as_deref().ok_or_else(|| FederationError::Internal("the initiative has no Ed25519 key".into()))?;
    let signed = coalition_op::sign(&op, coalition, private).map_err(|e| FederationError::Internal(e.to_string()))?;
    ops::coalitions::record(&context.store, coalition, &op, &signed.to_string(), Spread::TellOthers).await?;
    context.wake_delivery();
    Ok(op)
}

/// Lets in the candidates whose objection period has passed without objection (each
/// replica's node may do it; the first `Admit` counts, the others change nothing). Runs with
/// the node's housekeeping. Returns how many were admitted.
pub async fn admit_due(state: &FederationState) -> Result<usize> {
    let mut admitted = 0;
    for (coalition, proposal, issuer) in ops::coalitions::admissions_due(&state.store, now_ms()).await? {
        issue(state, &issuer, &coalition, OpKind::Admit { proposal }).await?;
        admitted += 1;
    }
    Ok(admitted)
}

fn replica_id(context: &FederationState, slug: &str) -> String {
    format!("{}coalitions/{slug}", context.urls.base())
}

#[derive(serde::Deserialize)]
pub struct Lookup {
    id: String,
}

/// `GET /coalitions?id=urn:buurtnet:coalition:…`: this node's replica of that coalition, so
/// that a node that knows only the coalition's id and a peer finds the peer's replica.
pub async fn replica_lookup(context: Context, Query(lookup): Query<Lookup>, headers: axum::http::HeaderMap) -> Result<Response> {
    let slug = ops::coalitions::local_replica(&context.store, &lookup.id).await?.ok_or(FederationError::NotFound)?;
    replica_document(context, Path(slug), headers).await
}

/// `GET /coalitions/{slug}`: the replica, a `Group` that anyone can follow (its own keys, as
/// every local actor has), with the coalition's log as it stands here. A browser (asking for
/// HTML, not ActivityStreams) is sent to the coalition's page, `/coalitie/{slug}`.
pub async fn replica_document(context: Context, Path(slug): Path<String>, headers: axum::http::HeaderMap) -> Result<Response> {
    let coalition = ops::coalitions::replica(&context.store, &slug).await?.ok_or(FederationError::NotFound)?;
    let asks_for_a_page = headers.get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if asks_for_a_page && !crate::http::wants_activity_json(&headers) {
        let page = format!("{}coalitie/{slug}", context.urls.base());
        return Ok((StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, page)]).into_response());
    }
    let state = ops::coalitions::state(&context.store, &coalition).await?;
    let actor = match store::actors::local_by_username(&mut context.store.conn().await?, &slug).await? {
        Some(actor) => actor,
        None => ops::coalitions::ensure_replica_actor(&context.store, &context.urls, &coalition, &slug, &crate::keys::generate()).await?,
    };
    let id = actor.ap_id.clone();
    let charter = state.charter.clone().unwrap_or(Charter {
        name: slug.clone(),
        description: String::new(),
        sponsors_needed: 1,
        objection_days: 7,
        removal_percent: buurtnet_domain::model::coalition::MAJORITY,
        change_percent: buurtnet_domain::model::coalition::MAJORITY,
    });
    let mut document = serde_json::to_value(crate::objects::actor::ApubActor::new(actor).to_json())
        .map_err(|e| FederationError::Internal(e.to_string()))?;
    let extra = json!({
        "name": charter.name, "summary": charter.description, "url": format!("{}coalitie/{slug}", context.urls.base()),
        "bn:coalition": coalition, "bn:operations": format!("{id}/operations"), "bn:charter": coalition_op::charter_json(&charter),
        "bn:members": state.members.iter().collect::<Vec<_>>(),
        "bn:replicas": state.replicas.values().filter(|r| **r != id).collect::<Vec<_>>(),
        "bn:heads": ops::coalitions::current_heads(&context.store, &coalition).await?,
    });
    if let (Some(fields), Value::Object(extra)) = (document.as_object_mut(), extra) {
        fields.extend(extra);
    }
    let mut document = with_context(document);
    if let Some(list) = document["@context"].as_array_mut() {
        list.push(json!({"bn": "urn:buurtnet:ns#"}));
    }
    Ok(crate::http::activity_json(StatusCode::OK, document))
}

#[derive(serde::Deserialize)]
pub struct After {
    after: Option<i64>,
}

/// `GET /coalitions/{slug}/operations?after=N`: the signed operations this replica holds,
/// oldest first, a page at a time (`next` when there is more).
pub async fn operations(context: Context, Path(slug): Path<String>, Query(query): Query<After>) -> Result<Response> {
    let coalition = ops::coalitions::replica(&context.store, &slug).await?.ok_or(FederationError::NotFound)?;
    let after = query.after.unwrap_or(0).max(0);
    let rows = store::coalitions::raw_page(&mut context.store.conn().await?, &coalition, after, PAGE).await?;
    // Each operation byte for byte as its author signed it.
    let readable = rows.iter().map(|(_, raw)| raw.as_str()).filter(|raw| serde_json::from_str::<Value>(raw).is_ok());
    let items = format!("[{}]", readable.collect::<Vec<_>>().join(","));
    let base = format!("{}/operations", replica_id(&context, &slug));
    let mut page = json!({"id": format!("{base}?after={after}"), "type": "OrderedCollectionPage", "partOf": base});
    if rows.len() as i64 == PAGE
        && let Some((last, _)) = rows.last()
    {
        page["next"] = json!(format!("{base}?after={last}"));
    }
    Ok(crate::http::activity_json_text(
        StatusCode::OK,
        crate::protocol::activities::with_verbatim(with_context(page), "orderedItems", &items),
    ))
}

/// A page of another replica's collection, read once: its items each byte for byte as the
/// page has them, and where to read on.
pub(crate) struct CollectionPage {
    pub items: Vec<String>,
    pub next: Option<String>,
    /// The content collection's mark (`bn:readUpTo`).
    pub read_up_to: Option<String>,
}

impl CollectionPage {
    pub fn parse(body: &[u8], url: &url::Url) -> Result<CollectionPage> {
        #[derive(serde::Deserialize)]
        struct Page<'a> {
            #[serde(borrow, default, rename = "orderedItems")]
            items: Vec<&'a serde_json::value::RawValue>,
            #[serde(default)]
            next: Value,
            #[serde(default, rename = "bn:readUpTo")]
            read_up_to: Value,
        }
        let page: Page = serde_json::from_slice(body).map_err(|e| FederationError::Malformed(format!("{url}: {e}")))?;
        let items = page.items.iter().map(|item| item.get().to_string()).collect();
        let text = |value: &Value| value.as_str().map(str::to_string);
        Ok(CollectionPage { items, next: text(&page.next), read_up_to: text(&page.read_up_to) })
    }
}

/// What a pull from another replica brought.
#[derive(Debug, Default)]
pub struct Pulled {
    pub coalition: String,
    /// Operations new here, checked and kept.
    pub taken: usize,
    /// Operations held already.
    pub known: usize,
    /// Operations refused: (id, why).
    pub refused: Vec<(String, String)>,
}

/// Most pages one pull reads.
const MAX_PAGES: usize = 200;
/// Largest page we read, in bytes.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

async fn fetch_json(context: &Context, url: &url::Url) -> Result<Value> {
    get_json(context, url, false).await
}

/// GETs a JSON document from another replica (signed by the instance actor when `signed`,
/// for collections kept for members' nodes), refusing answers over [`MAX_PAGE_BYTES`].
async fn get_json(context: &Context, url: &url::Url, signed: bool) -> Result<Value> {
    let body = get_body(context, url, signed).await?;
    serde_json::from_slice(&body).map_err(|e| FederationError::Malformed(format!("{url}: {e}")))
}

/// The body of a GET from another replica, as [`get_json`] asks for it.
async fn get_body(context: &Context, url: &url::Url, signed: bool) -> Result<Vec<u8>> {
    let failed = |e: &dyn std::fmt::Display| FederationError::Malformed(format!("{url}: {e}"));
    crate::safety::check_url(url, context.dev).map_err(|e| failed(&e))?;
    if context.faults.is_cut_off(url) {
        return Err(failed(&"cut off (fault injection)"));
    }
    let response = if signed {
        let instance = &context.instance_actor;
        let private =
            instance.private_key_pem.as_deref().ok_or_else(|| FederationError::Internal("the instance actor has no key".into()))?;
        let signer = context.signers.get(&instance.public_key_id, private)?;
        let outgoing =
            crate::deliver::knock::Outgoing { method: http::Method::GET, url, body: None, media_type: crate::protocol::ACTIVITY_JSON };
        crate::deliver::knock::send(context, signer, &outgoing).await.map_err(|e| failed(&e))?
    } else {
        context.client.get(url.clone()).header("accept", crate::protocol::ACTIVITY_JSON).send().await.map_err(|e| failed(&e))?
    };
    if !response.status().is_success() {
        return Err(failed(&response.status()));
    }
    crate::bounded::read(response, MAX_PAGE_BYTES, crate::bounded::READ_TIME).await.map_err(|e| failed(&e))
}

/// Anti-entropy: reads another replica's operations and keeps those new here whose proof
/// holds with their author's published key. What the forwarding replica says is never
/// trusted: each operation stands on its own proof.
pub async fn pull(context: &Context, replica: &url::Url) -> Result<Pulled> {
    pull_of(context, replica, None).await
}

/// [`pull`], refusing a replica that serves another coalition than `expected` (an address
/// in a coalition's log that now answers for something else).
async fn pull_of(context: &Context, replica: &url::Url, expected: Option<&str>) -> Result<Pulled> {
    let pulled = pull_operations(context, replica, expected).await?;
    if pulled.taken > 0 {
        // What came may make one of our initiatives a member, or name operations we lack.
        settle(context, &pulled.coalition, None).await?;
    }
    Ok(pulled)
}

async fn pull_operations(context: &Context, replica: &url::Url, expected: Option<&str>) -> Result<Pulled> {
    let document = fetch_json(context, replica).await?;
    let coalition =
        document["bn:coalition"].as_str().ok_or_else(|| FederationError::Malformed("not a coalition replica".into()))?.to_string();
    if expected.is_some_and(|e| e != coalition) {
        return Err(FederationError::Malformed(format!("{replica} serves another coalition")));
    }
    let mut next = document["bn:operations"]
        .as_str()
        .and_then(|u| url::Url::parse(u).ok())
        .filter(|u| u.origin() == replica.origin())
        .ok_or_else(|| FederationError::Malformed("the replica names no operations of its own".into()))?;
    let mut pulled = Pulled { coalition: coalition.clone(), ..Pulled::default() };
    let mut unchecked = Vec::new();
    for _ in 0..MAX_PAGES {
        let page = CollectionPage::parse(&get_body(context, &next, false).await?, &next)?;
        for text in page.items {
            if let Some(failed) = take(context, &coalition, &text, &mut pulled).await {
                unchecked.push((text, failed));
            }
        }
        match page.next.and_then(|u| url::Url::parse(&u).ok()).filter(|u| u.origin() == replica.origin() && *u != next) {
            Some(url) => next = url,
            None => break,
        }
    }
    // An operation whose author's node cannot be reached may become checkable once a later
    // one (a sponsorship) vouched for the author's key: try again while that helps.
    while !unchecked.is_empty() {
        let before = unchecked.len();
        let mut still = Vec::new();
        for (item, why) in unchecked {
            if let Some(failed) = take(context, &coalition, &item, &mut pulled).await {
                still.push((item, if failed.is_empty() { why } else { failed }));
            }
        }
        unchecked = still;
        if unchecked.len() == before {
            break;
        }
    }
    for (text, why) in unchecked {
        let id = serde_json::from_str::<Value>(&text).ok().and_then(|item| item["id"].as_str().map(str::to_string));
        pulled.refused.push((id.unwrap_or_default(), why));
    }
    Ok(pulled)
}

/// Takes one pulled operation (`text`, kept byte for byte); `Some(why)` when it could not be
/// checked or kept.
async fn take(context: &Context, coalition: &str, text: &str, pulled: &mut Pulled) -> Option<String> {
    let item: Value = match serde_json::from_str(text) {
        Ok(item) => item,
        Err(e) => return Some(format!("not JSON: {e}")),
    };
    let id = item["id"].as_str().unwrap_or_default().to_string();
    match ops::coalitions::knows(&context.store, &id).await {
        Ok(true) => {
            pulled.known += 1;
            return None;
        }
        Ok(false) => {}
        Err(e) => return Some(e.to_string()),
    }
    let checked = async {
        let (op, of) = verified(context, &item).await?;
        if of != coalition {
            return Err(FederationError::Malformed("an operation of another coalition".into()));
        }
        ops::coalitions::record(&context.store, coalition, &op, text, Spread::Keep).await?;
        Ok(())
    };
    match checked.await {
        Ok(()) => {
            pulled.taken += 1;
            None
        }
        Err(e) => Some(e.to_string()),
    }
}

/// Checks an operation's proof and reads it. The key: the one this node knows for the
/// author; else the one the coalition's log vouches for (so that operations of a node gone
/// for good stay checkable), or, for a founding, the one it names itself (the coalition's
/// id is bound to it); else the one the author's node publishes now.
async fn verified(context: &Context, document: &Value) -> Result<(Operation, String)> {
    let author = document["actor"].as_str().ok_or_else(|| FederationError::Malformed("no actor".into()))?;
    let known = store::actors::by_ap_id(&mut context.store.conn().await?, author).await?;
    let mut keys: Vec<String> = known.as_ref().and_then(|a| a.ed25519_public_multibase.clone()).into_iter().collect();
    if document["type"] == "bn:Found" {
        let own = document["bn:keys"].as_array().into_iter().flatten().find(|k| k["bn:actor"] == author);
        keys.extend(own.and_then(|k| k["publicKeyMultibase"].as_str()).map(str::to_string));
    } else if let Some(coalition) = document["bn:coalition"].as_str() {
        keys.extend(ops::coalitions::vouched_keys(&context.store, coalition, author).await?);
    }
    let mut last = None;
    for key in keys {
        match coalition_op::parse_verified(document, &key) {
            Ok(read) => return Ok(read),
            Err(coalition_op::OpError::Proof(e)) => last = Some(e),
            Err(other) => return Err(FederationError::Malformed(other.to_string())),
        }
    }
    let published = match known {
        Some(_) if last.is_some() => crate::objects::actor::refetch(author, context).await,
        Some(actor) => Ok(actor),
        None => crate::objects::actor::resolve(author, context).await,
    };
    let key = match published {
        Ok(actor) => actor.ed25519_public_multibase,
        Err(e) if last.is_none() => return Err(FederationError::Malformed(format!("no key for {author} in the log, and its node: {e}"))),
        Err(_) => None,
    };
    let key = key.ok_or_else(|| match &last {
        Some(e) => FederationError::Forbidden(format!("the operation's proof: {e}")),
        None => FederationError::Malformed("the author publishes no Ed25519 key".into()),
    })?;
    coalition_op::parse_verified(document, &key).map_err(|e| match e {
        coalition_op::OpError::Proof(p) => FederationError::Forbidden(format!("the operation's proof: {p}")),
        other => FederationError::Malformed(other.to_string()),
    })
}

/// What became of an operation the inbox took in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    New,
    Known,
    /// It names operations we lack: a pull from the sender's replica brings them and it.
    Deferred,
}

/// The inbox's part: an operation POSTed by `sender` (whose HTTP signature the inbox
/// checked; it need not be the author, as replicas forward). The operation counts only on
/// its own proof, made with its author's published key. `raw` is kept and forwarded as it
/// came. An application that came straight from its candidate (who hosts no replica to
/// spread it) is passed on to the other replicas.
pub async fn receive(context: &Context, document: &Value, raw: &str, sender: &Actor) -> Result<Received> {
    let id = document["id"].as_str().ok_or_else(|| FederationError::Malformed("no id".into()))?;
    if ops::coalitions::knows(&context.store, id).await? {
        return Ok(Received::Known);
    }
    let (op, coalition) = verified(context, document).await?;
    if !ops::coalitions::knows_all(&context.store, &op.parents).await? {
        let state = ops::coalitions::state(&context.store, &coalition).await?;
        pull_in_background(context, replica_near(context, &coalition, &state, Some(&sender.ap_id)));
        return Ok(Received::Deferred);
    }
    ops::coalitions::admissible(&context.store, &coalition, &op).await?;
    let state = ops::coalitions::state(&context.store, &coalition).await?;
    let from_author = crate::protocol::same_origin(&sender.ap_id, &op.author);
    let spread = if from_author && !state.replicas.contains_key(&op.author) { Spread::TellOthers } else { Spread::Keep };
    if !ops::coalitions::record(&context.store, &coalition, &op, raw, spread).await? {
        return Ok(Received::Known);
    }
    if spread == Spread::TellOthers {
        context.wake_delivery();
    }
    settle(context, &coalition, Some(&sender.ap_id)).await?;
    Ok(Received::New)
}

/// After operations came in: host a replica when one of our initiatives has become a member,
/// and when some operation waits for parents we lack, pull from the replica of the node
/// that sent it (in the background).
async fn settle(context: &Context, coalition: &str, sender: Option<&str>) -> Result<()> {
    let state = ops::coalitions::state(&context.store, coalition).await?;
    let preferred = state.replicas.values().next().and_then(|r| r.rsplit('/').next()).map(str::to_string);
    if let Some((initiative, slug)) = ops::coalitions::host_if_member(&context.store, coalition, preferred.as_deref()).await? {
        tracing::info!(%coalition, %slug, "one of our initiatives is a member now: hosting a replica");
        ops::coalitions::ensure_replica_actor(&context.store, &context.urls, coalition, &slug, &crate::keys::generate()).await?;
        issue(context, &initiative, coalition, OpKind::Host { replica: replica_id(context, &slug) }).await?;
    }
    if !state.pending.is_empty() {
        pull_in_background(context, replica_near(context, coalition, &state, sender));
    }
    Ok(())
}

/// Another node's replica to fill gaps from: the one on the sender's origin if there is one,
/// else any other.
fn replica_near(context: &Context, coalition: &str, state: &CoalitionState, sender: Option<&str>) -> Option<url::Url> {
    let known = sender
        .and_then(|s| state.replicas.values().find(|r| crate::protocol::same_origin(r, s)))
        .or_else(|| state.replicas.values().find(|r| !r.starts_with(context.urls.base().as_str())))
        .and_then(|r| url::Url::parse(r).ok());
    // A node we know no replica of (an invitation from a coalition we hold nothing of yet)
    // says where its replica is.
    known.or_else(|| {
        let mut lookup = url::Url::parse(sender?).ok()?.join("/coalitions").ok()?;
        lookup.query_pairs_mut().append_pair("id", coalition);
        Some(lookup)
    })
}

fn pull_in_background(context: &Context, source: Option<url::Url>) {
    let Some(source) = source else { return };
    let context = context.reset_request_count();
    tokio::spawn(async move {
        if let Err(e) = pull(&context, &source).await {
            tracing::info!(%source, error = %e, "filling a gap in a coalition log failed; the next sync round tries again");
        }
    });
}

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

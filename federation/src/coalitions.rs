//! Coalitions on the wire (issue 6): the wire side of acting in one ([`Wire`]: operations
//! signed with the initiative's Ed25519 key; the use cases are `ops::coalition_acts`), the
//! replica as a `Group` at `/coalitions/{slug}`, its operations as a paged collection that any replica or reader can
//! take, proofs included, and the ways operations travel: pushed to the other replicas'
//! inboxes by the node that made them, taken in by the inbox ([`receive`]), and pulled by
//! anti-entropy ([`pull`], [`sync_round`]) so that a node that was away catches up by itself.
//! Coalition content (its collection and its pull) is in the `content` module.

use crate::error::{FederationError, Result};
use crate::objects::coalition_op;
use crate::protocol::collections::MarkedPage;
use crate::protocol::with_context;
use crate::state::Context;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::model::coalition::{Charter, CoalitionState, Operation};
use buurtnet_domain::model::{Actor, ActorKeys};
use buurtnet_domain::ops::coalition_acts::{Acting, CoalitionWire};
use buurtnet_domain::ops::coalitions::Spread;
use buurtnet_domain::{DomainError, ops, store};
use serde_json::{Value, json};

mod content;
mod sync;
pub use content::{ContentPulled, content, pull_content};
pub use sync::sync_round;

/// Operations on one page of the collection.
const PAGE: i64 = 50;

/// This node acting in coalitions (`ops::coalition_acts`), over the wire below.
pub fn acting(context: &Context) -> Acting<'_, Wire<'_>> {
    Acting { store: &context.store, urls: &context.urls, wire: Wire(context) }
}

/// The wire side of acting in a coalition (`ops::coalition_acts`): operations signed in their
/// wire form, other replicas' logs read, candidates looked up, the delivery worker woken.
pub struct Wire<'a>(pub &'a Context);

impl CoalitionWire for Wire<'_> {
    fn coalition_id(&self, founding: &Operation) -> String {
        coalition_op::coalition_id(founding)
    }

    fn signed(&self, op: &Operation, coalition: &str, private_pkcs8: &str) -> Result<String, DomainError> {
        let signed =
            coalition_op::sign(op, coalition, private_pkcs8).map_err(|e| DomainError::Internal(format!("signing an operation: {e}")))?;
        Ok(signed.to_string())
    }

    fn new_keys(&self) -> ActorKeys {
        crate::keys::generate()
    }

    async fn read_log(&self, replica: &url::Url) -> Result<String, DomainError> {
        match pull(self.0, replica).await {
            Ok(pulled) => Ok(pulled.coalition),
            Err(FederationError::Domain(e)) => Err(e),
            Err(e) => {
                tracing::info!(%replica, error = %e, "reading a coalition's log from a replica failed");
                Err(DomainError::NotFound)
            }
        }
    }

    async fn learn_actor(&self, ap_id: &str) {
        if let Err(e) = crate::objects::actor::resolve(ap_id, self.0).await {
            // Without it, other nodes fetch the key from the candidate's node.
            tracing::info!(candidate = %ap_id, error = %e, "the candidate could not be fetched; its key is not vouched for");
        }
    }

    fn sent(&self) {
        self.0.wake_delivery();
    }
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
    let base = format!("{}/operations", context.urls.coalition(&slug));
    let next = rows.last().filter(|_| rows.len() as i64 == PAGE).map(|(last, _)| last.to_string());
    let page = MarkedPage::new(&base, &after.to_string(), next.as_deref());
    let page = serde_json::to_value(page).map_err(|e| FederationError::Internal(e.to_string()))?;
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
    if let Some(slug) = acting(context).host_if_member(coalition, preferred.as_deref()).await? {
        tracing::info!(%coalition, %slug, "one of our initiatives is a member now: hosting a replica");
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

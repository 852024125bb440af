//! Coalitions on the wire (issue 6), the part built so far: founding one (the founding
//! operation signed by the initiative's Ed25519 key), the replica as a `Group` actor at
//! `/coalitions/{slug}`, and its operations as a paged collection that any replica or
//! reader can take, proofs included, for anti-entropy.

use crate::error::{FederationError, Result};
use crate::objects::coalition_op;
use crate::protocol::with_context;
use crate::state::{Context, FederationState};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::model::Actor;
use buurtnet_domain::model::coalition::{Charter, OpKind, Operation};
use buurtnet_domain::{now_ms, ops, store};
use serde_json::{Value, json};

/// Operations on one page of the collection.
const PAGE: i64 = 50;

/// Founds a coalition as `initiative` (which `member` coordinates): a fresh identifier, the
/// founding operation signed and kept, and the first replica at `/coalitions/{slug}`.
pub async fn found(context: &Context, member: &Actor, initiative: &Actor, slug: &str, charter: Charter) -> Result<String> {
    let token: u128 = rand::random();
    let coalition = format!("urn:buurtnet:coalition:{token:032x}");
    let op = Operation {
        id: context.urls.new_activity().to_string(),
        author: initiative.ap_id.clone(),
        parents: vec![],
        published: now_ms(),
        kind: OpKind::Found { charter, founders: vec![initiative.ap_id.clone()] },
    };
    let private =
        initiative.ed25519_private_pkcs8.as_deref().ok_or_else(|| FederationError::Internal("the initiative has no Ed25519 key".into()))?;
    let signed = coalition_op::sign(&op, &coalition, private).map_err(|e| FederationError::Internal(e.to_string()))?;
    ops::coalitions::found(&context.store, member, initiative, &coalition, slug, &op, &signed.to_string()).await?;
    Ok(coalition)
}

/// `member` acts for `initiative` in a coalition: the operation names the current heads as
/// its parents, is checked against the rules, signed with the initiative's key and kept.
pub async fn act(context: &Context, member: &Actor, initiative: &Actor, coalition: &str, kind: OpKind) -> Result<Operation> {
    if !ops::actors::may_act_as(&context.store, member, initiative).await? {
        return Err(FederationError::Forbidden("only coordinators act for their initiative".into()));
    }
    issue(context, initiative, coalition, kind).await
}

/// Makes, checks, signs and keeps an operation of `initiative` (a local actor).
async fn issue(context: &FederationState, initiative: &Actor, coalition: &str, kind: OpKind) -> Result<Operation> {
    let op = Operation {
        id: context.urls.new_activity().to_string(),
        author: initiative.ap_id.clone(),
        parents: ops::coalitions::current_heads(&context.store, coalition).await?,
        published: now_ms(),
        kind,
    };
    ops::coalitions::check_new(&context.store, coalition, &op).await?;
    let private =
        initiative.ed25519_private_pkcs8.as_deref().ok_or_else(|| FederationError::Internal("the initiative has no Ed25519 key".into()))?;
    let signed = coalition_op::sign(&op, coalition, private).map_err(|e| FederationError::Internal(e.to_string()))?;
    ops::coalitions::record(&context.store, coalition, &op, &signed.to_string()).await?;
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

fn replica_id(context: &Context, slug: &str) -> String {
    format!("{}coalitions/{slug}", context.urls.base())
}

/// `GET /coalitions/{slug}`: the replica, a `Group`.
pub async fn replica_document(context: Context, Path(slug): Path<String>) -> Result<Response> {
    let coalition = ops::coalitions::replica(&context.store, &slug).await?.ok_or(FederationError::NotFound)?;
    let state = ops::coalitions::state(&context.store, &coalition).await?;
    let id = replica_id(&context, &slug);
    let charter =
        state.charter.clone().unwrap_or(Charter { name: slug.clone(), description: String::new(), sponsors_needed: 1, objection_days: 7 });
    let document = json!({
        "id": id, "type": "Group", "preferredUsername": slug, "name": charter.name, "summary": charter.description,
        "inbox": format!("{id}/inbox"), "outbox": format!("{id}/outbox"), "followers": format!("{id}/followers"),
        "endpoints": {"sharedInbox": context.urls.shared_inbox()},
        "bn:coalition": coalition, "bn:operations": format!("{id}/operations"),
        "bn:members": state.members.iter().collect::<Vec<_>>(),
    });
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
    let items: Vec<Value> = rows.iter().filter_map(|(_, raw)| serde_json::from_str(raw).ok()).collect();
    let base = format!("{}/operations", replica_id(&context, &slug));
    let mut page = json!({"id": format!("{base}?after={after}"), "type": "OrderedCollectionPage", "partOf": base, "orderedItems": items});
    if rows.len() as i64 == PAGE
        && let Some((last, _)) = rows.last()
    {
        page["next"] = json!(format!("{base}?after={last}"));
    }
    Ok(crate::http::activity_json(StatusCode::OK, with_context(page)))
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
    crate::safety::check_url(url, context.dev).map_err(|e| FederationError::Malformed(e.to_string()))?;
    let response = context
        .client
        .get(url.clone())
        .header("accept", crate::protocol::ACTIVITY_JSON)
        .send()
        .await
        .map_err(|e| FederationError::Malformed(format!("{url}: {e}")))?;
    if !response.status().is_success() {
        return Err(FederationError::Malformed(format!("{url}: {}", response.status())));
    }
    let body = response.bytes().await.map_err(|e| FederationError::Malformed(format!("{url}: {e}")))?;
    if body.len() > MAX_PAGE_BYTES {
        return Err(FederationError::Malformed(format!("{url}: answer too large")));
    }
    serde_json::from_slice(&body).map_err(|e| FederationError::Malformed(format!("{url}: {e}")))
}

/// Anti-entropy: reads another replica's operations and keeps those new here whose proof
/// holds with their author's published key. What the forwarding replica says is never
/// trusted: each operation stands on its own proof.
pub async fn pull(context: &Context, replica: &url::Url) -> Result<Pulled> {
    let document = fetch_json(context, replica).await?;
    let coalition =
        document["bn:coalition"].as_str().ok_or_else(|| FederationError::Malformed("not a coalition replica".into()))?.to_string();
    let mut next = document["bn:operations"]
        .as_str()
        .and_then(|u| url::Url::parse(u).ok())
        .filter(|u| u.origin() == replica.origin())
        .ok_or_else(|| FederationError::Malformed("the replica names no operations of its own".into()))?;
    let mut pulled = Pulled { coalition: coalition.clone(), ..Pulled::default() };
    for _ in 0..MAX_PAGES {
        let page = fetch_json(context, &next).await?;
        for item in page["orderedItems"].as_array().into_iter().flatten() {
            take(context, &coalition, item, &mut pulled).await;
        }
        match page["next"].as_str().and_then(|u| url::Url::parse(u).ok()).filter(|u| u.origin() == replica.origin() && *u != next) {
            Some(url) => next = url,
            None => break,
        }
    }
    Ok(pulled)
}

async fn take(context: &Context, coalition: &str, item: &Value, pulled: &mut Pulled) {
    let id = item["id"].as_str().unwrap_or_default().to_string();
    match ops::coalitions::knows(&context.store, &id).await {
        Ok(true) => {
            pulled.known += 1;
            return;
        }
        Ok(false) => {}
        Err(e) => {
            pulled.refused.push((id, e.to_string()));
            return;
        }
    }
    let checked = async {
        let author = item["actor"].as_str().ok_or_else(|| FederationError::Malformed("no actor".into()))?;
        let actor = crate::objects::actor::resolve(author, context).await?;
        let key = actor.ed25519_public_multibase.ok_or_else(|| FederationError::Malformed("the author publishes no Ed25519 key".into()))?;
        let (op, of) = coalition_op::parse_verified(item, &key).map_err(|e| FederationError::Malformed(e.to_string()))?;
        if of != coalition {
            return Err(FederationError::Malformed("an operation of another coalition".into()));
        }
        ops::coalitions::record(&context.store, coalition, &op, &item.to_string()).await?;
        Ok(())
    };
    match checked.await {
        Ok(()) => pulled.taken += 1,
        Err(e) => pulled.refused.push((id, e.to_string())),
    }
}

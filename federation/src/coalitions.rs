//! Coalitions on the wire (issue 6), the part built so far: founding one (the founding
//! operation signed by the initiative's Ed25519 key), the replica as a `Group` actor at
//! `/coalitions/{slug}`, and its operations as a paged collection that any replica or
//! reader can take, proofs included, for anti-entropy.

use crate::error::{FederationError, Result};
use crate::objects::coalition_op;
use crate::protocol::with_context;
use crate::state::Context;
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

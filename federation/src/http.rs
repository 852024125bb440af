//! ActivityPub's read side and discovery: WebFinger, host-meta, NodeInfo, actor documents,
//! notes, the activities we sent (by their ids), and the paged outbox, followers and following collections. Also the routes of the
//! inboxes. Pages for people (HTML) belong to the web crate, which calls
//! [`actor_document`] and [`note_document`] when a client asks for ActivityStreams JSON.

use crate::error::{FederationError, Result};
use crate::inbox::{self, signed_get_reader};
use crate::objects::actor::ApubActor;
use crate::objects::note::tombstone;
use crate::protocol::collections::{OrderedCollection, OrderedCollectionPage, PAGE_SIZE};
use crate::protocol::discovery::{Webfinger, WebfingerLink};
use crate::protocol::outgoing::Kind;
use crate::protocol::{ACTIVITY_JSON, with_context};
use crate::state::Context;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use buurtnet_domain::model::{Actor, ActorKind, FollowState};
use buurtnet_domain::urls::INSTANCE_ACTOR_USERNAME;
use buurtnet_domain::{DomainError, ops, store};
use serde::Deserialize;
use serde_json::{Value, json};

/// Routes that only ever answer machines. The web crate adds the content-negotiated ones.
pub fn routes() -> Router {
    Router::new()
        .route("/.well-known/webfinger", get(webfinger))
        .route("/.well-known/host-meta", get(host_meta))
        .route("/.well-known/nodeinfo", get(nodeinfo_links))
        .route("/nodeinfo/2.0", get(|c: Context| nodeinfo(c, "2.0")))
        .route("/nodeinfo/2.1", get(|c: Context| nodeinfo(c, "2.1")))
        .route("/inbox", post(inbox::post_inbox))
        .route("/actor/inbox", post(inbox::post_inbox))
        .route("/users/{name}/inbox", post(inbox::post_inbox))
        .route("/initiatives/{name}/inbox", post(inbox::post_inbox))
        .route("/actor", get(instance_actor))
        .route("/activities/{token}", get(activity_document))
        .route("/coalitions", get(crate::coalitions::replica_lookup))
        .route("/coalitions/{slug}", get(crate::coalitions::replica_document))
        .route("/coalitions/{slug}/inbox", post(inbox::post_inbox))
        .route("/coalitions/{slug}/operations", get(crate::coalitions::operations))
        .route("/coalitions/{slug}/content", get(crate::coalitions::content))
        .route("/coalitions/{name}/{collection}", get(collection))
        .route("/users/{name}/{collection}", get(collection))
        .route("/initiatives/{name}/{collection}", get(collection))
}

/// An ActivityStreams JSON response.
pub fn activity_json(status: StatusCode, value: Value) -> Response {
    activity_json_text(status, value.to_string())
}

/// An ActivityStreams JSON response written out already.
pub fn activity_json_text(status: StatusCode, text: String) -> Response {
    (status, [(header::CONTENT_TYPE, ACTIVITY_JSON)], text).into_response()
}

/// Whether a client asks for ActivityStreams JSON rather than a page.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| {
        accept.contains("application/activity+json")
            || accept.contains("application/ld+json")
            || (accept.contains("application/json") && !accept.contains("text/html"))
    })
}

#[derive(Deserialize)]
struct WebfingerQuery {
    resource: String,
}

async fn webfinger(context: Context, Query(query): Query<WebfingerQuery>) -> Result<Response> {
    let domain = context.urls.domain();
    let resource = query.resource.trim();
    let username = if let Some(acct) = resource.strip_prefix("acct:") {
        let (user, host) = acct.trim_start_matches('@').rsplit_once('@').ok_or(FederationError::NotFound)?;
        if !host.eq_ignore_ascii_case(&domain) {
            return Err(FederationError::NotFound);
        }
        if user.eq_ignore_ascii_case(&domain) { INSTANCE_ACTOR_USERNAME.to_string() } else { user.to_lowercase() }
    } else if resource.trim_end_matches('/') == context.urls.base().as_str().trim_end_matches('/') {
        INSTANCE_ACTOR_USERNAME.to_string()
    } else {
        let mut conn = context.store.conn().await?;
        let actor = store::actors::by_ap_id(&mut conn, resource).await?.filter(|a| a.is_local).ok_or(FederationError::NotFound)?;
        actor.username
    };
    let actor = local_actor(&context, &username).await?;
    let subject_user = if actor.kind() == ActorKind::Application { domain.clone() } else { actor.username.clone() };
    let link = |rel: &str, kind: Option<&str>, href: &str| WebfingerLink {
        rel: rel.into(),
        kind: kind.map(String::from),
        href: Some(href.into()),
        template: None,
    };
    let document = Webfinger {
        subject: format!("acct:{subject_user}@{domain}"),
        aliases: vec![actor.ap_id.clone()],
        links: vec![
            link("self", Some(ACTIVITY_JSON), &actor.ap_id),
            link("http://webfinger.net/rel/profile-page", Some("text/html"), &actor.ap_id),
            WebfingerLink {
                rel: "http://ostatus.org/schema/1.0/subscribe".into(),
                kind: None,
                href: None,
                template: Some(format!("{}authorize_interaction?uri={{uri}}", context.urls.base())),
            },
        ],
    };
    Ok((
        [(header::CONTENT_TYPE, "application/jrd+json"), (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")],
        serde_json::to_string(&document).expect("serialises"),
    )
        .into_response())
}

async fn host_meta(context: Context) -> Response {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{}.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n",
        context.urls.base()
    );
    ([(header::CONTENT_TYPE, "application/xrd+xml; charset=utf-8")], xml).into_response()
}

async fn nodeinfo_links(context: Context) -> Response {
    let base = context.urls.base();
    axum::Json(json!({
        "links": [
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": format!("{base}nodeinfo/2.0")},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{base}nodeinfo/2.1")},
            {"rel": "https://www.w3.org/ns/activitystreams#Application", "href": context.instance_actor.ap_id}
        ]
    }))
    .into_response()
}

async fn nodeinfo(context: Context, version: &'static str) -> Result<Response> {
    let mut conn = context.store.conn().await?;
    let members = store::actors::count_local(&mut conn, ActorKind::Person).await?;
    let mut software = json!({"name": "buurtnet", "version": context.software_version});
    if version == "2.1" {
        software["repository"] = json!("https://buurtnet.invalid/source");
        software["homepage"] = json!(context.urls.base().as_str());
    }
    let schema = format!("http://nodeinfo.diaspora.software/ns/schema/{version}#");
    let body = json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": false,
        "usage": {"users": {"total": members, "activeMonth": members, "activeHalfyear": members}},
        // megalodon and other client libraries recognise Mastodon-compatible servers by this.
        "metadata": {"nodeName": context.urls.domain(), "upstream": {"name": "mastodon", "version": "4.3.0"}}
    });
    Ok(([(header::CONTENT_TYPE, format!("application/json; profile=\"{schema}\""))], body.to_string()).into_response())
}

/// A local actor by name; 410 Gone once its account was deleted.
async fn local_actor(context: &Context, username: &str) -> Result<Actor> {
    let mut conn = context.store.conn().await?;
    let actor = store::actors::local_by_username(&mut conn, username).await?.ok_or(FederationError::NotFound)?;
    if store::actors::is_deleted(&mut conn, actor.id).await? {
        return Err(FederationError::Gone);
    }
    Ok(actor)
}

async fn instance_actor(context: Context) -> Response {
    activity_json(
        StatusCode::OK,
        with_context(serde_json::to_value(ApubActor::new(context.instance_actor.clone()).to_json()).expect("serialises")),
    )
}

/// Refuses unsigned GETs when authorized fetch is on; gives the signer otherwise.
async fn reader(context: &Context, uri: &Uri, headers: &HeaderMap) -> Result<Option<String>> {
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let reader = signed_get_reader(context, path_and_query, headers).await?;
    if reader.is_none() && context.settings.authorized_fetch {
        return Err(FederationError::Signature(crate::signatures::SignatureError::Missing));
    }
    Ok(reader)
}

/// The actor document of a local member or initiative (`kind` says which path it came by).
pub async fn actor_document(context: &Context, username: &str, kind: ActorKind, uri: &Uri, headers: &HeaderMap) -> Result<Response> {
    reader(context, uri, headers).await?;
    let actor = local_actor(context, username).await?;
    if actor.kind() != kind {
        return Err(FederationError::NotFound);
    }
    let document = ApubActor::local_document(&mut context.store.conn().await?, actor).await?;
    Ok(activity_json(StatusCode::OK, with_context(serde_json::to_value(document).expect("serialises"))))
}

/// A local note, for readers allowed to see it; a `Tombstone` with 410 once deleted.
pub async fn note_document(context: &Context, id: i64, uri: &Uri, headers: &HeaderMap) -> Result<Response> {
    let reader = reader(context, uri, headers).await?;
    let ap_id = context.urls.note(id).to_string();
    match ops::visibility::readable_post(&context.store, &ap_id, reader.as_deref()).await {
        Ok(post) => {
            let mut conn = context.store.conn().await?;
            let author = store::actors::by_id(&mut conn, post.author_id).await?;
            let note = crate::objects::note::local_note(&mut conn, &post, &author).await?;
            Ok(activity_json(StatusCode::OK, with_context(serde_json::to_value(note).expect("serialises"))))
        }
        Err(DomainError::Gone) => {
            let post = store::posts::by_ap_id(&mut context.store.conn().await?, &ap_id).await?.ok_or(FederationError::NotFound)?;
            Ok(activity_json(StatusCode::GONE, with_context(serde_json::to_value(tombstone(&post)).expect("serialises"))))
        }
        Err(e) => Err(e.into()),
    }
}

/// An activity this node sent, by its id, for readers its addressing allows (the post it
/// publishes decides for a `Create` or `Update`): 404 for others, 410 once gone.
async fn activity_document(context: Context, Path(token): Path<String>, uri: Uri, headers: HeaderMap) -> Result<Response> {
    let reader = reader(&context, &uri, &headers).await?;
    let ap_id = context.urls.activity(&token).to_string();
    let body = store::published::body(&mut context.store.conn().await?, &ap_id).await?.ok_or(FederationError::NotFound)?;
    let activity: Value = serde_json::from_str(&body).map_err(|e| FederationError::Internal(format!("stored activity {ap_id}: {e}")))?;
    let sent = crate::protocol::activities::addressing_of(&activity);
    ops::visibility::readable_activity(&context.store, &sent, reader.as_deref()).await?;
    Ok(activity_json_text(StatusCode::OK, body))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

async fn collection(
    context: Context,
    Path((name, which)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response> {
    reader(&context, &uri, &headers).await?;
    let actor = local_actor(&context, &name).await?;
    let id = format!("{}/{which}", actor.ap_id);
    let mut conn = context.store.conn().await?;
    let total = match which.as_str() {
        "outbox" => store::posts::count_public_by_author(&mut conn, actor.id).await?,
        "followers" => store::follows::count_followers(&mut conn, actor.id).await?,
        "following" => store::follows::count_following(&mut conn, actor.id).await?,
        _ => return Err(FederationError::NotFound),
    };
    let Some(page) = query.page.filter(|p| *p >= 1) else {
        return Ok(activity_json(
            StatusCode::OK,
            with_context(serde_json::to_value(OrderedCollection::new(id, total)).expect("serialises")),
        ));
    };
    let offset = (page - 1) * PAGE_SIZE;
    let items: Vec<Value> = match which.as_str() {
        "outbox" => {
            let mut items = Vec::new();
            for post in store::posts::public_by_author(&mut conn, actor.id, PAGE_SIZE, offset).await? {
                // As sent: offers, needs and events with their own fields.
                let note = crate::objects::note::local_note(&mut conn, &post, &actor).await?;
                let object = serde_json::to_value(&note).map_err(|e| FederationError::Internal(e.to_string()))?;
                let create = crate::objects::note::post_activity(Kind::Create, format!("{}#create", post.ap_id), &actor, &note, object);
                items.push(create.to_value());
            }
            items
        }
        "followers" => store::follows::followers(&mut conn, actor.id, FollowState::Accepted, PAGE_SIZE, offset)
            .await?
            .into_iter()
            .map(|a| json!(a.ap_id))
            .collect(),
        _ => store::follows::following(&mut conn, actor.id, PAGE_SIZE, offset).await?.into_iter().map(|a| json!(a.ap_id)).collect(),
    };
    Ok(activity_json(
        StatusCode::OK,
        with_context(serde_json::to_value(OrderedCollectionPage::new(&id, page, total, items)).expect("serialises")),
    ))
}

//! Finding and following people and neighbourhoods: the search page, the page of any actor
//! this node knows (a remote one too), following and unfollowing (as yourself or as an
//! initiative you coordinate), `/authorize_interaction` (where other servers send their
//! people to follow from here), and "follow from your own server" for visitors of our
//! profiles (the remote-follow pattern, [`buurtnet_federation::remote_follow`]).

use super::extract::{GenuineForm, MemberForm};
use super::front::ProposalView;
use super::layout::{Frame, error_page, render};
use super::visitor::Visitor;
use super::{local_time, url_encode};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::error::Words;
use buurtnet_domain::model::{Actor, ActorKind, FollowState, html};
use buurtnet_domain::ops::browse::{self, ProposalFilter};
use buurtnet_domain::{DomainError, ops, store};
use buurtnet_federation::Context;

pub struct ActorView {
    pub href: String,
    pub name: String,
    pub handle: String,
    pub is_initiative: bool,
}

fn actor_view(actor: &Actor) -> ActorView {
    ActorView {
        href: format!("/actor/{}", actor.id),
        name: if actor.display_name.is_empty() { actor.username.clone() } else { actor.display_name.clone() },
        handle: actor.handle(),
        is_initiative: actor.kind() == ActorKind::Group,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    frame: Frame,
    q: String,
    searched: bool,
    actors: Vec<ActorView>,
    proposals: Vec<ProposalView>,
    /// Shown when an address could not be found.
    problem: Option<String>,
}

pub async fn search(context: Context, visitor: Visitor, Query(query): Query<SearchQuery>) -> Response {
    let tr = visitor.tr;
    let q = query.q.trim().to_string();
    let mut actors = vec![];
    let mut proposals = vec![];
    let mut problem = None;
    if !q.is_empty() {
        // Only members make this node fetch from other servers.
        let may_resolve = visitor.member().is_some();
        match crate::api::search::find_accounts(&context, &q, may_resolve, 20).await {
            Ok(found) => actors = found.iter().map(actor_view).collect(),
            Err(_) => problem = Some(tr.t("search-not-found")),
        }
        if actors.is_empty() && q.contains('@') && !may_resolve {
            problem = Some(tr.t("search-login-to-find"));
        } else if actors.is_empty() && (q.contains('@') || q.starts_with("http")) {
            problem = Some(tr.t("search-not-found"));
        }
        let filter = ProposalFilter { words: Some(q.clone()), ..Default::default() };
        match browse::open_proposals(&context.store, visitor.member(), &filter, 20).await {
            Ok(cards) => proposals = cards.iter().map(|c| ProposalView::new(c, tr)).collect(),
            Err(e) => return error_page(&context, &visitor, &e).await,
        }
    }
    let page = SearchPage {
        frame: Frame::new(&context, &visitor, tr.t("search-title")).await,
        searched: !q.is_empty(),
        q,
        actors,
        proposals,
        problem,
    };
    render(&visitor, StatusCode::OK, &page)
}

/// One way the visitor may follow an actor: as themselves or as an initiative.
pub struct FollowOption {
    pub value: String,
    pub label: String,
    /// `none`, `pending` or `accepted`.
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "actor.html")]
struct ActorPage {
    frame: Frame,
    id: i64,
    name: String,
    handle: String,
    is_initiative: bool,
    summary: String,
    original: String,
    follow_options: Vec<FollowOption>,
    posts: Vec<(String, String, String)>,
    moved: Option<Moved>,
}

/// "Dit initiatief is verhuisd naar ...": where an actor moved to (`movedTo`), linked to its
/// page here when this node knows it.
pub(super) struct Moved {
    pub(super) initiative: bool,
    pub(super) href: String,
    pub(super) label: String,
}

pub(super) async fn moved(context: &Context, actor: &Actor) -> Result<Option<Moved>, DomainError> {
    let Some(target) = &actor.moved_to else { return Ok(None) };
    let known = store::actors::by_ap_id(&mut context.store.conn().await?, target).await?;
    let (href, label) = match known {
        Some(new) => (format!("/actor/{}", new.id), format!("@{}", new.handle())),
        None => (target.clone(), target.clone()),
    };
    Ok(Some(Moved { initiative: actor.kind() == ActorKind::Group, href, label }))
}

pub async fn follow_options(
    context: &Context,
    member: &Actor,
    actor: &Actor,
    tr: super::i18n::Tr,
) -> Result<Vec<FollowOption>, DomainError> {
    let mut as_whom = vec![(member.clone(), tr.t("post-as-myself"))];
    for initiative in browse::coordinated_by(&context.store, member).await? {
        let label = initiative.display_name.clone();
        as_whom.push((initiative, label));
    }
    let mut options = vec![];
    let mut conn = context.store.conn().await?;
    for (follower, label) in as_whom.into_iter().filter(|(f, _)| f.id != actor.id) {
        let state = match store::follows::find(&mut conn, follower.id, actor.id).await?.map(|f| f.state) {
            Some(FollowState::Accepted) => "accepted",
            Some(_) => "pending",
            None => "none",
        };
        options.push(FollowOption {
            value: if follower.id == member.id { "self".into() } else { follower.username.clone() },
            label,
            state,
        });
    }
    Ok(options)
}

/// `/actor/{id}`: our own actors have their pages; others are shown here.
pub async fn actor(context: Context, visitor: Visitor, Path(id): Path<i64>) -> Response {
    match actor_page(&context, &visitor, id).await {
        Ok(Ok(page)) => render(&visitor, StatusCode::OK, &page),
        Ok(Err(redirect)) => redirect,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

async fn actor_page(context: &Context, visitor: &Visitor, id: i64) -> Result<Result<ActorPage, Response>, DomainError> {
    let tr = visitor.tr;
    let mut conn = context.store.conn().await?;
    let actor = store::actors::by_id(&mut conn, id).await.map_err(|_| DomainError::NotFound)?;
    if actor.kind() == ActorKind::Application {
        return Err(DomainError::NotFound);
    }
    if actor.is_local {
        let part = if actor.kind() == ActorKind::Group { "initiatives" } else { "users" };
        return Ok(Err(Redirect::to(&format!("/{part}/{}", actor.username)).into_response()));
    }
    let mut posts = vec![];
    for post in store::posts::by_author(&mut conn, actor.id, 20, 0).await? {
        if !post.is_deleted() && ops::visibility::may_read(&context.store, &post, visitor.member().map(|m| m.ap_id.as_str())).await? {
            posts.push((format!("/bericht/{}", post.id), local_time(post.published, tr), post.content));
        }
    }
    drop(conn);
    let follow_options = match visitor.member() {
        Some(member) => follow_options(context, member, &actor, tr).await?,
        None => vec![],
    };
    let view = actor_view(&actor);
    Ok(Ok(ActorPage {
        frame: Frame::new(context, visitor, view.name.clone()).await,
        id: actor.id,
        name: view.name,
        handle: view.handle,
        is_initiative: view.is_initiative,
        summary: html::sanitize(&actor.summary),
        original: actor.url.clone().unwrap_or_else(|| actor.ap_id.clone()),
        follow_options,
        posts,
        moved: moved(context, &actor).await?,
    }))
}

#[derive(serde::Deserialize)]
pub struct FollowForm {
    /// `self` or an initiative's name.
    #[serde(default, rename = "as")]
    as_whom: String,
    /// `follow` or `unfollow`.
    #[serde(default)]
    action: String,
}

pub async fn follow(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<FollowForm>) -> Response {
    let result = async {
        let follower = super::proposals::chosen_author(&context, &member, &form.as_whom).await?;
        if !ops::actors::may_act_as(&context.store, &member, &follower).await? {
            return Err(DomainError::Forbidden);
        }
        let followee = store::actors::by_id(&mut context.store.conn().await?, id).await.map_err(|_| DomainError::NotFound)?;
        if form.action == "unfollow" {
            ops::follows::unfollow(&context.store, &follower, &followee).await?;
            Ok("ontvolgd")
        } else {
            let follow = ops::follows::follow(&context.store, &context.urls, &follower, &followee).await?;
            Ok(if follow.state == FollowState::Accepted { "gevolgd" } else { "volgen-gevraagd" })
        }
    };
    match result.await {
        Ok(done) => {
            context.wake_delivery();
            Redirect::to(&format!("{}?gedaan={done}", page_of(&context, id).await)).into_response()
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// Where to go back to after following actor `id`: a coalition's own page for a replica
/// here, else the actor's page.
async fn page_of(context: &Context, id: i64) -> String {
    let actor = async { store::actors::by_id(&mut context.store.conn().await?, id).await };
    match actor.await {
        Ok(actor) if actor.is_local && actor.kind() == buurtnet_domain::model::ActorKind::Coalition => {
            format!("/coalitie/{}", actor.username)
        }
        _ => format!("/actor/{id}"),
    }
}

#[derive(serde::Deserialize)]
pub struct InteractionQuery {
    #[serde(default)]
    uri: String,
}

/// Where other servers send their people to follow an account or see a post from here:
/// members are taken to its page on this node (fetched if need be).
pub async fn authorize_interaction(context: Context, visitor: Visitor, Query(query): Query<InteractionQuery>) -> Response {
    if visitor.member().is_none() {
        let back = format!("/authorize_interaction?uri={}", url_encode(&query.uri));
        return Redirect::to(&format!("/inloggen?terug={}", url_encode(&back))).into_response();
    }
    let uri = query.uri.trim().trim_start_matches("acct:");
    match crate::api::search::find_accounts(&context, uri, true, 1).await.ok().and_then(|found| found.into_iter().next()) {
        Some(actor) => Redirect::to(&format!("/actor/{}", actor.id)).into_response(),
        None => Redirect::to(&format!("/zoeken?q={}", url_encode(uri))).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct RemoteFollowForm {
    /// Our actor's handle.
    #[serde(default)]
    account: String,
    /// The visitor's own address.
    #[serde(default)]
    handle: String,
}

/// "Volg vanaf je eigen server": off to the visitor's server to confirm.
pub async fn remote_follow(
    context: Context,
    axum::Extension(limits): axum::Extension<std::sync::Arc<crate::limits::Limits>>,
    crate::limits::ClientAddress(client): crate::limits::ClientAddress,
    GenuineForm { visitor, form }: GenuineForm<RemoteFollowForm>,
) -> Response {
    // Anyone may ask, and each asking makes us read another server: a few a minute per address.
    if limits.check(crate::limits::Kind::Outward, client).is_err() {
        return super::too_many(&context, &visitor, visitor.tr.t("login-too-many")).await;
    }
    let target = format!("{}@{}", form.account.trim_start_matches('@').split('@').next().unwrap_or_default(), context.urls.domain());
    match buurtnet_federation::remote_follow::subscribe_url(&form.handle, &target, &context).await {
        Ok(url) => Redirect::to(url.as_str()).into_response(),
        Err(e) => {
            tracing::info!(error = %e, "remote follow failed");
            let mut response =
                error_page(&context, &visitor, &DomainError::invalid("handle", Words::Plain(visitor.tr.t("remote-follow-failed")))).await;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            response
        }
    }
}

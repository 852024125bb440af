//! The coordinators' moderation page: follow requests of their initiatives, reports,
//! blocked actors and servers, and the match suggestions made for them.

use super::extract::{Coordinator, CoordinatorForm};
use super::layout::{Frame, error_page, render, say};
use super::local_time;
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::{Actor, html};
use buurtnet_domain::ops::moderation;
use buurtnet_domain::{DomainError, ops, store};
use buurtnet_federation::Context;

pub struct RequestView {
    pub initiative: String,
    pub initiative_name: String,
    pub follower_id: i64,
    pub follower: String,
}

pub struct ReportLine {
    pub id: i64,
    pub reporter: String,
    pub account: String,
    pub account_ap_id: String,
    pub account_domain: String,
    pub is_remote: bool,
    pub posts: Vec<(String, String)>,
    pub comment: String,
    pub when: String,
}

pub struct SuggestionView {
    pub about_href: String,
    pub about: String,
    pub candidate_href: String,
    pub candidate: String,
}

#[derive(Template)]
#[template(path = "moderation.html")]
struct ModerationPage {
    frame: Frame,
    requests: Vec<RequestView>,
    reports: Vec<ReportLine>,
    blocked_actors: Vec<(String, String, String)>,
    blocked_domains: Vec<(String, String, String)>,
    suggestions: Vec<SuggestionView>,
    error: Option<String>,
}

fn who(actor: &Actor) -> String {
    format!("{} (@{})", if actor.display_name.is_empty() { &actor.username } else { &actor.display_name }, actor.handle())
}

fn summary_of(content: &str) -> String {
    let text = html::to_plain_text(content);
    if text.chars().count() > 140 { format!("{}…", text.chars().take(140).collect::<String>()) } else { text }
}

async fn page(context: &Context, visitor: &Visitor, member: &Actor, error: Option<String>) -> Result<ModerationPage, DomainError> {
    let requests = moderation::follow_requests(&context.store, member)
        .await?
        .into_iter()
        .map(|r| RequestView {
            initiative: r.initiative.username.clone(),
            initiative_name: r.initiative.display_name.clone(),
            follower_id: r.follower.id,
            follower: who(&r.follower),
        })
        .collect();
    let reports = moderation::open_reports(&context.store, member)
        .await?
        .into_iter()
        .map(|r| ReportLine {
            id: r.id,
            reporter: who(&r.reporter),
            account: who(&r.account),
            account_ap_id: r.account.ap_id.clone(),
            account_domain: r.account.domain.clone(),
            is_remote: !r.account.is_local,
            posts: r.posts.iter().map(|p| (format!("/bericht/{}", p.id), summary_of(&p.content))).collect(),
            comment: r.comment,
            when: local_time(r.created_at, visitor.tr),
        })
        .collect();
    let (actors, domains) = moderation::blocks(&context.store, member).await?;
    let since =
        |list: Vec<(String, String, i64)>| list.into_iter().map(|(what, why, at)| (what, why, local_time(at, visitor.tr))).collect();
    let suggestions = moderation::suggestions(&context.store, member)
        .await?
        .into_iter()
        .map(|s| SuggestionView {
            about_href: format!("/bericht/{}", s.about.id),
            about: summary_of(&s.about.content),
            candidate_href: format!("/bericht/{}", s.candidate.id),
            candidate: summary_of(&s.candidate.content),
        })
        .collect();
    Ok(ModerationPage {
        frame: Frame::new(context, visitor, visitor.tr.t("moderation-title")).await,
        requests,
        reports,
        blocked_actors: since(actors),
        blocked_domains: since(domains),
        suggestions,
        error,
    })
}

pub async fn overview(context: Context, Coordinator { visitor, member }: Coordinator) -> Response {
    match page(&context, &visitor, &member, None).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct ModerationForm {
    #[serde(default)]
    decision: String,
    /// `actor` or `domain`, for blocking.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    reason: String,
}

/// Runs one moderation action after the usual checks, then back to the page (or the page
/// again with the problem).
async fn act<F, Fut>(context: Context, visitor: Visitor, member: Actor, action: F) -> Response
where
    F: FnOnce(Context, Actor) -> Fut,
    Fut: std::future::Future<Output = Result<&'static str, DomainError>>,
{
    match action(context.clone(), member.clone()).await {
        Ok(done) => {
            context.wake_delivery();
            Redirect::to(&format!("/coordinatie/moderatie?gedaan={done}")).into_response()
        }
        Err(DomainError::Invalid(list)) => {
            let error = list.iter().map(|v| say(&v.message, visitor.tr)).collect::<Vec<_>>().join(" ");
            match page(&context, &visitor, &member, Some(error)).await {
                Ok(page) => render(&visitor, StatusCode::UNPROCESSABLE_ENTITY, &page),
                Err(e) => error_page(&context, &visitor, &e).await,
            }
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

pub async fn decide_follow(
    context: Context,
    Path((initiative, follower)): Path<(String, i64)>,
    CoordinatorForm { visitor, member, form }: CoordinatorForm<ModerationForm>,
) -> Response {
    let accept = form.decision == "accept";
    act(context, visitor, member, |context, member| async move {
        let mut conn = context.store.conn().await?;
        let initiative = store::actors::local_by_username(&mut conn, &initiative).await?.ok_or(DomainError::NotFound)?;
        let follower = store::actors::by_id(&mut conn, follower).await?;
        drop(conn);
        if accept {
            ops::follows::approve(&context.store, &member, &initiative, &follower).await?;
            Ok("volger-toegelaten")
        } else {
            ops::follows::reject(&context.store, &member, &initiative, &follower).await?;
            Ok("volger-geweigerd")
        }
    })
    .await
}

pub async fn handle_report(
    context: Context,
    Path(id): Path<i64>,
    CoordinatorForm { visitor, member, form: _ }: CoordinatorForm<ModerationForm>,
) -> Response {
    act(context, visitor, member, |context, member| async move {
        moderation::mark_report_handled(&context.store, &member, id).await?;
        Ok("afgehandeld")
    })
    .await
}

pub async fn block(context: Context, CoordinatorForm { visitor, member, form }: CoordinatorForm<ModerationForm>) -> Response {
    let (kind, what, reason) = (form.kind.clone(), form.what.trim().to_string(), form.reason.clone());
    act(context, visitor, member, |context, member| async move {
        if kind == "domain" {
            moderation::block_domain(&context.store, &member, &what, &reason, &context.urls.domain()).await?;
        } else {
            let found = crate::api::search::find_accounts(&context, &what, true, 1).await.ok().and_then(|f| f.into_iter().next());
            let actor = found.ok_or_else(|| DomainError::invalid("what", buurtnet_domain::error::Say::AccountNotFound))?;
            moderation::block_actor(&context.store, &member, &actor, &reason).await?;
        }
        Ok("geblokkeerd")
    })
    .await
}

pub async fn unblock(context: Context, CoordinatorForm { visitor, member, form }: CoordinatorForm<ModerationForm>) -> Response {
    let what = form.what.clone();
    act(context, visitor, member, |context, member| async move {
        moderation::unblock(&context.store, &member, &what).await?;
        Ok("gedeblokkeerd")
    })
    .await
}

//! The coordinators' page: invitation codes for new members, sign-ups waiting for
//! approval, the members (new password links, making one a coordinator), the recent
//! "Vraag het ons" questions to their initiatives, the help loop's desk (from
//! [`super::desk`]), (turning one into a need opens the need
//! form filled in, see [`super::proposals`]), and the coalitions of their initiatives (from
//! [`super::coalitions`]).

use super::extract::{ButtonForm, Coordinator, CoordinatorForm};
use super::layout::{Frame, error_page, render, say};
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::{browse, initiatives, questions, signup};
use buurtnet_domain::{DomainError, store};
use buurtnet_federation::Context;

pub struct InvitationView {
    pub note: String,
    pub made: String,
    pub status: String,
}

pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub handle: String,
    pub initiative: String,
    pub initiative_username: String,
    pub role: String,
    pub is_coordinator: bool,
    pub is_me: bool,
}

/// A "Vraag het ons" question as its initiative's coordinators see it.
pub struct QuestionView {
    pub id: i64,
    pub initiative: String,
    pub name: String,
    pub contact: String,
    pub question: String,
    pub when: String,
    /// "Handled by … on …", once handled.
    pub handled: Option<String>,
    /// The need made of it, if any.
    pub need_href: Option<String>,
    /// "Answered by … on …:", the answer, and whether it was mailed or she is to be phoned.
    pub answer: Option<(String, String, String)>,
}

impl QuestionView {
    fn new(view: &questions::QuestionView, tr: super::i18n::Tr) -> QuestionView {
        let q = &view.question;
        let handled = q.handled_at.map(|at| {
            let who = view.handled_by.as_ref().map(|a| a.display_name.clone()).unwrap_or_default();
            tr.with("question-handled-by", &[("who", who), ("when", super::local_time(at, tr))])
        });
        QuestionView {
            id: q.id,
            initiative: view.initiative.display_name.clone(),
            name: q.name.clone(),
            contact: q.contact.clone(),
            question: q.question.clone(),
            when: super::local_time(q.created_at, tr),
            handled,
            need_href: q.need_post_id.map(|id| format!("/bericht/{id}")),
            answer: answer_of(view, tr),
        }
    }
}

/// A coordinator's answer to a question, in words.
fn answer_of(view: &questions::QuestionView, tr: super::i18n::Tr) -> Option<(String, String, String)> {
    let q = &view.question;
    let (answer, at) = (q.answer.clone()?, q.answered_at?);
    let who = view.answered_by.as_ref().map(|a| a.display_name.clone()).unwrap_or_default();
    let by = tr.with("question-answered-by", &[("who", who), ("when", super::local_time(at, tr))]);
    let how = if q.answer_mailed {
        tr.t1("question-answered-mailed", "contact", &q.contact)
    } else {
        tr.with("question-answered-call", &[("name", q.name.clone()), ("contact", q.contact.clone())])
    };
    Some((by, answer, how))
}

pub struct WaitingView {
    pub id: i64,
    pub name: String,
    pub handle: String,
    pub application: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "coordinate.html")]
pub(super) struct CoordinatePage {
    frame: Frame,
    /// (username, name)
    initiatives: Vec<(String, String)>,
    invitations: Vec<InvitationView>,
    waiting: Vec<WaitingView>,
    members: Vec<MemberView>,
    questions: Vec<QuestionView>,
    /// A password link just made: (for whom, link), shown once.
    reset_link: Option<(String, String)>,
    /// A code just made: shown once, with the link that carries it.
    new_code: Option<(String, String)>,
    error: Option<String>,
    coalitions: super::coalitions::CoordinatorPart,
    desk: super::desk::DeskPart,
}

/// What a coordinator just made, shown once on the page.
#[derive(Default)]
pub(super) struct JustMade {
    code: Option<(String, String)>,
    reset_link: Option<(String, String)>,
    error: Option<String>,
    coalitions: super::coalitions::CoalitionForms,
}

impl JustMade {
    /// A coalition form sent back with what is wrong with it.
    pub(super) fn coalition_forms(coalitions: super::coalitions::CoalitionForms) -> JustMade {
        JustMade { coalitions, ..JustMade::default() }
    }
}

pub(super) async fn page(context: &Context, visitor: &Visitor, member: &Actor, made: JustMade) -> Result<CoordinatePage, DomainError> {
    let tr = visitor.tr;
    let now = buurtnet_domain::now_ms();
    let invitations = signup::invitations_made(&context.store, member)
        .await?
        .into_iter()
        .map(|i| InvitationView {
            note: i.note,
            made: super::local_time(i.created_at, tr),
            status: if i.used_by.is_some() {
                tr.t("invitation-used")
            } else if i.expires_at < now {
                tr.t("invitation-expired")
            } else {
                tr.t1("invitation-valid-until", "date", super::local_time(i.expires_at, tr))
            },
        })
        .collect();
    let waiting = signup::waiting(&context.store, member)
        .await?
        .into_iter()
        .map(|w| WaitingView {
            id: w.member.id,
            name: w.member.display_name.clone(),
            handle: w.member.handle(),
            application: w.application.unwrap_or_default(),
            since: super::local_time(w.since, tr),
        })
        .collect();
    let members = signup::members_of(&context.store, member)
        .await?
        .into_iter()
        .map(|m| MemberView {
            id: m.member.id,
            name: m.member.display_name.clone(),
            handle: m.member.handle(),
            initiative: m.initiative,
            initiative_username: m.initiative_username,
            role: tr.t(if m.role == "coordinator" { "role-coordinator" } else { "role-member" }),
            is_coordinator: m.role == "coordinator",
            is_me: m.member.id == member.id,
        })
        .collect();
    Ok(CoordinatePage {
        frame: Frame::new(context, visitor, tr.t("coordinate-title")).await,
        initiatives: browse::coordinated_by(&context.store, member).await?.into_iter().map(|i| (i.username, i.display_name)).collect(),
        invitations,
        waiting,
        members,
        questions: questions::recent_for(&context.store, member).await?.iter().map(|q| QuestionView::new(q, tr)).collect(),
        reset_link: made.reset_link,
        new_code: made.code,
        error: made.error,
        coalitions: super::coalitions::coordinator_part(context, member, tr, made.coalitions).await?,
        desk: super::desk::part(context, member, tr).await?,
    })
}

pub async fn overview(context: Context, Coordinator { visitor, member }: Coordinator) -> Response {
    match page(&context, &visitor, &member, JustMade::default()).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    initiative: String,
    #[serde(default)]
    note: String,
}

pub async fn invite(context: Context, CoordinatorForm { visitor, member, form }: CoordinatorForm<InviteForm>) -> Response {
    let initiative = match context.store.conn().await {
        Ok(mut conn) => store::actors::local_by_username(&mut conn, &form.initiative).await,
        Err(e) => Err(e),
    };
    let result = match initiative {
        Ok(Some(initiative)) => signup::invite(&context.store, &member, &initiative, &form.note).await,
        Ok(None) => Err(DomainError::invalid("initiative", buurtnet_domain::error::Say::ChooseInitiative)),
        Err(e) => Err(e),
    };
    let (new_code, error, status) = match result {
        Ok(code) => {
            let link = format!("{}aanmelden?code={code}", context.urls.base());
            (Some((code, link)), None, StatusCode::OK)
        }
        Err(DomainError::Invalid(list)) => {
            (None, Some(list.iter().map(|v| say(&v.message, visitor.tr)).collect::<Vec<_>>().join(" ")), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    match page(&context, &visitor, &member, JustMade { code: new_code, error, ..Default::default() }).await {
        Ok(page) => render(&visitor, status, &page),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

pub async fn approve(
    context: Context,
    Path(id): Path<i64>,
    CoordinatorForm { visitor, member, form: _ }: CoordinatorForm<ButtonForm>,
) -> Response {
    match signup::approve(&context.store, &member, id).await {
        Ok(()) => Redirect::to("/coordinatie?gedaan=goedgekeurd").into_response(),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// A coordinator makes a one-time link with which a member chooses a new password.
pub async fn reset_password(
    context: Context,
    Path(id): Path<i64>,
    CoordinatorForm { visitor, member, form: _ }: CoordinatorForm<ButtonForm>,
) -> Response {
    let made = async {
        let code = signup::start_password_reset(&context.store, &member, id).await?;
        let whom = store::actors::by_id(&mut context.store.conn().await?, id).await?.display_name;
        Ok::<_, DomainError>((whom, format!("{}wachtwoord/{code}", context.urls.base())))
    };
    let reset_link = match made.await {
        Ok(link) => link,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    match page(&context, &visitor, &member, JustMade { reset_link: Some(reset_link), ..Default::default() }).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct MakeCoordinatorForm {
    #[serde(default)]
    initiative: String,
}

/// A coordinator makes a member of one of their initiatives a coordinator of it.
pub async fn make_coordinator(
    context: Context,
    Path(id): Path<i64>,
    CoordinatorForm { visitor, member, form }: CoordinatorForm<MakeCoordinatorForm>,
) -> Response {
    let made = async {
        let initiative = initiatives::local(&context.store, &form.initiative).await?;
        initiatives::make_coordinator(&context.store, &member, &initiative, id).await
    };
    match made.await {
        Ok(()) => Redirect::to("/coordinatie?gedaan=coordinator#leden").into_response(),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// A coordinator marks a "Vraag het ons" question handled.
pub async fn question_handled(
    context: Context,
    Path(id): Path<i64>,
    CoordinatorForm { visitor, member, form: _ }: CoordinatorForm<ButtonForm>,
) -> Response {
    match questions::mark_handled(&context.store, &member, id).await {
        Ok(()) => Redirect::to("/coordinatie?gedaan=vraag-afgehandeld#vragen").into_response(),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

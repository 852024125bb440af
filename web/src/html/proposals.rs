//! Asking and offering help: the form for a need or an offer (with a preview, and for
//! coordinators "on behalf of a resident", also filled in from a "Vraag het ons" question,
//! which is marked handled once the need is published), and responding to someone else's.

use super::extract::{LoggedIn, MemberForm};
use super::front::categories;
use super::layout::{Frame, error_page, render, say};
use super::visitor::Visitor;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::{Actor, ProposalDraft, Purpose, Visibility, When};
use buurtnet_domain::ops::proposals::Audience;
use buurtnet_domain::ops::{self, browse};
use buurtnet_domain::{DomainError, store};
use buurtnet_federation::Context;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What the form holds; every field is kept when something must be corrected.
#[derive(serde::Deserialize, Default, Clone)]
pub struct ProposalForm {
    /// `self` or the username of an initiative the member coordinates.
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub resident: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub neighbourhood: String,
    /// `flexible`, `on` or `between`.
    #[serde(default)]
    pub when: String,
    #[serde(default)]
    pub date_from: String,
    #[serde(default)]
    pub date_to: String,
    /// Empty: the default (needs: the initiative's choice; offers: public).
    #[serde(default)]
    pub visibility: String,
    /// The "Vraag het ons" question this need is made of, if any (its id).
    #[serde(default)]
    pub question: String,
    /// `preview` or `publish`.
    #[serde(default)]
    pub(super) action: String,
}

/// `/nieuw/hulpvraag?vraag=7`: a need made of question 7.
#[derive(serde::Deserialize)]
pub struct FromQuestion {
    vraag: Option<i64>,
}

impl ProposalForm {
    /// The form filled in from a question: the initiative as author, the asker as the
    /// resident (whose name stays on this node), the question as the description. The title
    /// is left to the coordinator, who writes one without the name.
    async fn of_question(context: &Context, member: &Actor, id: i64) -> Result<ProposalForm, DomainError> {
        let view = ops::questions::for_coordinator(&context.store, member, id).await?;
        Ok(ProposalForm {
            author: view.initiative.username,
            resident: view.question.name,
            description: view.question.question,
            question: id.to_string(),
            when: "flexible".into(),
            ..Default::default()
        })
    }
}

#[derive(Template)]
#[template(path = "proposal_form.html")]
struct ProposalFormPage {
    frame: Frame,
    is_need: bool,
    form: ProposalForm,
    /// (username, name) of the initiatives the member may post for.
    initiatives: Vec<(String, String)>,
    categories: Vec<(&'static str, String)>,
    errors: BTreeMap<&'static str, String>,
    /// The text as readers will see it (sanitised HTML).
    preview: Option<String>,
    /// Where the form goes: `/nieuw/{kind}`, or the proposal's change address.
    target: String,
    /// Changing an existing one: no author, resident or audience to choose, no preview.
    changing: bool,
    /// A person asking for herself (no initiative to post for): she chooses in plain words
    /// who may see it, most private first.
    for_herself: bool,
    /// With the preview: who will see it, by name, and whether her name goes with it.
    audience: Vec<String>,
    /// A coordinator passing a resident's need on: for an initiative only, the resident is
    /// known (not typed), no preview.
    passing_on: bool,
}

fn purpose_of(kind: &str) -> Option<Purpose> {
    match kind {
        "hulpvraag" => Some(Purpose::Request),
        "hulpaanbod" => Some(Purpose::Offer),
        _ => None,
    }
}

/// The initiatives a member may post for, as (name, display name) for a form.
pub(super) async fn initiatives_for(context: &Context, member: &Actor) -> Vec<(String, String)> {
    browse::coordinated_by(&context.store, member).await.unwrap_or_default().into_iter().map(|i| (i.username, i.display_name)).collect()
}

async fn form_page(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    purpose: Purpose,
    form: ProposalForm,
    errors: BTreeMap<&'static str, String>,
    preview: Option<String>,
) -> ProposalFormPage {
    let is_need = purpose == Purpose::Request;
    let title = visitor.tr.t(if is_need { "new-need-title" } else { "new-offer-title" });
    let kind = if is_need { "hulpvraag" } else { "hulpaanbod" };
    let initiatives = initiatives_for(context, member).await;
    ProposalFormPage {
        frame: Frame::new(context, visitor, title).await,
        is_need,
        for_herself: is_need && initiatives.is_empty(),
        form,
        initiatives,
        categories: categories(visitor.tr),
        errors,
        preview,
        target: format!("/nieuw/{kind}"),
        changing: false,
        audience: vec![],
        passing_on: false,
    }
}

/// The form to pass resident's need `id` on as an initiative's need (filled from hers).
pub(super) async fn pass_on_form(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    id: i64,
    form: ProposalForm,
    errors: BTreeMap<&'static str, String>,
) -> impl Template {
    let mut page = form_page(context, visitor, member, Purpose::Request, form, errors, None).await;
    page.frame.title = visitor.tr.t("pass-on-heading");
    page.target = format!("/bericht/{id}/doorgeven");
    page.passing_on = true;
    page.for_herself = false;
    page
}

/// Who will see it, in sentences for the preview.
fn audience_sentences(view: &ops::proposals::AudienceView, tr: super::i18n::Tr) -> Vec<String> {
    let list = |names: &[String]| match names {
        [] => tr.t("audience-nobody-yet"),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), tr.t("and")),
    };
    let (who, name) = match view.visibility {
        Visibility::Coordinators => (
            tr.with("audience-coordinators", &[("people", list(&view.people)), ("initiatives", list(&view.initiatives))]),
            tr.t("audience-name-stays"),
        ),
        Visibility::Local => (tr.with("audience-local", &[("initiatives", list(&view.initiatives))]), tr.t("audience-name-shown")),
        Visibility::Coalition => (tr.with("audience-coalition", &[("initiatives", list(&view.initiatives))]), tr.t("audience-name-shown")),
        Visibility::Followers => (tr.t("audience-followers"), tr.t("audience-name-shown")),
        _ => (tr.t("audience-everyone"), tr.t("audience-name-shown")),
    };
    vec![who, name]
}

/// The form to change proposal `id` (whose fields `form` holds).
pub(super) async fn change_form(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    purpose: Purpose,
    id: i64,
    form: ProposalForm,
    errors: BTreeMap<&'static str, String>,
) -> impl Template {
    let mut page = form_page(context, visitor, member, purpose, form, errors, None).await;
    page.frame.title = visitor.tr.t(if purpose == Purpose::Request { "change-need-title" } else { "change-offer-title" });
    page.target = format!("/bericht/{id}/aanpassen");
    page.changing = true;
    page.initiatives.clear();
    page
}

pub async fn new_page(
    context: Context,
    LoggedIn { visitor, member }: LoggedIn,
    Path(kind): Path<String>,
    Query(from): Query<FromQuestion>,
) -> Response {
    let Some(purpose) = purpose_of(&kind) else { return super::not_found(context, visitor).await };
    let form = match from.vraag.filter(|_| purpose == Purpose::Request) {
        Some(id) => match ProposalForm::of_question(&context, &member, id).await {
            Ok(form) => form,
            Err(e) => return error_page(&context, &visitor, &e).await,
        },
        None => ProposalForm { when: "flexible".into(), author: "self".into(), ..Default::default() },
    };
    let page = form_page(&context, &visitor, &member, purpose, form, BTreeMap::new(), None).await;
    render(&visitor, StatusCode::OK, &page)
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// The draft, or the fields the form layer itself must refuse.
pub(super) fn draft_of(
    purpose: Purpose,
    form: &ProposalForm,
    tr: super::i18n::Tr,
) -> Result<ProposalDraft, BTreeMap<&'static str, String>> {
    let mut errors = BTreeMap::new();
    let when = match form.when.as_str() {
        "on" => match date(&form.date_from) {
            Some(d) => When::On(d),
            None => {
                errors.insert("date_from", tr.t("form-date-needed"));
                When::Flexible
            }
        },
        "between" => match (date(&form.date_from), date(&form.date_to)) {
            (Some(a), Some(b)) => When::Between(a, b),
            _ => {
                errors.insert("date_from", tr.t("form-dates-needed"));
                When::Flexible
            }
        },
        _ => When::Flexible,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ProposalDraft {
        purpose,
        title: form.title.clone(),
        description: form.description.clone(),
        category: form.category.clone(),
        neighbourhood: Some(form.neighbourhood.clone()).filter(|n| !n.trim().is_empty()),
        when,
        expires_at: None,
    })
}

pub async fn submit(
    context: Context,
    Path(kind): Path<String>,
    MemberForm { visitor, member, form }: MemberForm<ProposalForm>,
) -> Response {
    let Some(purpose) = purpose_of(&kind) else { return super::not_found(context, visitor).await };
    let tr = visitor.tr;
    let again = async |form: ProposalForm, errors: BTreeMap<&'static str, String>, preview: Option<String>| {
        let status = if preview.is_some() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        let page = form_page(&context, &visitor, &member, purpose, form, errors, preview).await;
        render(&visitor, status, &page)
    };
    let draft = match draft_of(purpose, &form, tr) {
        Ok(draft) => draft,
        Err(errors) => return again(form, errors, None).await,
    };
    if let Err(e) = draft.validate(buurtnet_domain::model::DEFAULT_CATEGORIES, buurtnet_domain::now_ms()) {
        return match super::layout::field_errors(e, tr) {
            Ok(errors) => again(form, errors, None).await,
            Err(e) => error_page(&context, &visitor, &e).await,
        };
    }
    let author = match chosen_author(&context, &member, &form.author).await {
        Ok(author) => author,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let visibility = match form.visibility.as_str() {
        "" => None,
        other => Visibility::parse(other).ok(),
    };
    if form.action != "publish" {
        let preview = ops::proposals::render(&draft);
        let audience = match ops::proposals::audience_of(&context.store, &author, purpose, visibility).await {
            Ok(view) => audience_sentences(&view, tr),
            Err(e) => return error_page(&context, &visitor, &e).await,
        };
        let mut page = form_page(&context, &visitor, &member, purpose, form, BTreeMap::new(), Some(preview)).await;
        page.audience = audience;
        return render(&visitor, StatusCode::OK, &page);
    }
    let on_behalf_of = Some(form.resident.trim().to_string()).filter(|r| !r.is_empty() && author.id != member.id);
    let audience = Audience { visibility, on_behalf_of };
    let published = match form.question.parse::<i64>() {
        Ok(question) => ops::questions::publish_need(&context.store, &context.urls, &member, question, &author, &draft, &audience).await,
        Err(_) => ops::proposals::publish(&context.store, &context.urls, &member, &author, &draft, &audience).await,
    };
    match published {
        Ok(post) => super::layout::posted(&context, post.id),
        Err(e) => match super::layout::field_errors(e, tr) {
            Ok(errors) => again(form, errors, None).await,
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

/// The author a form chose: `self` (or nothing) for the member, or an initiative by name
/// (whether the member may post for it is the use case's to check).
pub async fn chosen_author(context: &Context, member: &Actor, choice: &str) -> Result<Actor, DomainError> {
    if choice.is_empty() || choice == "self" {
        return Ok(member.clone());
    }
    store::actors::local_by_username(&mut context.store.conn().await?, choice).await?.ok_or(DomainError::NotFound)
}

#[derive(serde::Deserialize)]
pub struct ResponseForm {
    #[serde(default)]
    message: String,
}

/// "Ik kan helpen" / "Dit wil ik graag": a response to someone's need or offer.
pub async fn respond(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<ResponseForm>) -> Response {
    let post = match store::posts::by_id(
        &mut match context.store.conn().await {
            Ok(c) => c,
            Err(e) => return error_page(&context, &visitor, &e).await,
        },
        id,
    )
    .await
    {
        Ok(post) => post,
        Err(_) => return super::not_found(context, visitor).await,
    };
    match ops::responses::respond(&context.store, &context.urls, &member, &post.ap_id, &form.message).await {
        Ok(_) => {
            context.wake_delivery();
            Redirect::to(&format!("/bericht/{id}?gedaan=gereageerd")).into_response()
        }
        Err(DomainError::Invalid(list)) => {
            let message = list.iter().map(|v| say(&v.message, visitor.tr)).collect::<Vec<_>>().join(" ");
            super::posts::show(&context, &visitor, id, Some((form.message, message)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        // No longer open: someone helps already, or it was withdrawn. Said kindly, on the page.
        Err(DomainError::Conflict(message)) => {
            let message = say(&message, visitor.tr);
            super::posts::show(&context, &visitor, id, Some((form.message, message)), StatusCode::CONFLICT).await
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

//! "Vraag het ons" for people without an account. The form sits on each initiative's page
//! ([`super::initiatives`]) and is sent here, where a question must pass, in this order: the
//! CSRF token, [`Kind::Question`] (a few an hour per address), an empty honeypot field
//! (robots that fill it are thanked and nothing is kept), the simple sum
//! ([`crate::challenge`]), then the domain's rules (lengths, no web addresses). Taken, it
//! goes to the initiative's coordinators and the asker reads who will get back to them and
//! how. `/vraag-het-ons` is the way in from "Ik zoek hulp" for visitors: every initiative
//! with how to reach it.

use super::extract::GenuineForm;
use super::initiatives::{ReachView, initiative_page, reach_of};
use super::layout::{Frame, error_page, field_errors, render};
use super::visitor::Visitor;
use crate::challenge::{Challenge, Challenges};
use crate::limits::{ClientAddress, Kind, Limits};
use askama::Template;
use axum::Extension;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::DomainError;
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::{self, questions::QuestionDraft};
use buurtnet_federation::Context;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What the form holds.
#[derive(serde::Deserialize, Default, Clone)]
pub struct AskForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub question: String,
    /// The sum's token (see [`crate::challenge`]).
    #[serde(default)]
    token: String,
    #[serde(default)]
    answer: String,
    /// The honeypot: hidden from people, filled in by robots.
    #[serde(default)]
    website: String,
}

/// The form on an initiative's page: what was typed, what is wrong, and a sum to answer.
pub struct AskPart {
    pub form: AskForm,
    pub errors: BTreeMap<&'static str, String>,
    pub sum: Challenge,
}

impl AskPart {
    /// An empty form with a new sum.
    pub fn fresh(challenges: &Challenges, visitor: &Visitor) -> AskPart {
        AskPart { form: AskForm::default(), errors: BTreeMap::new(), sum: challenges.make(visitor.csrf()) }
    }
}

#[derive(Template)]
#[template(path = "asked.html")]
struct AskedPage {
    frame: Frame,
    initiative: String,
    username: String,
    name: String,
    contact: String,
    reach: ReachView,
}

async fn thanks(context: &Context, visitor: &Visitor, initiative: &Actor, form: &AskForm) -> Response {
    let reach = match reach_of(context, initiative).await {
        Ok(reach) => reach,
        Err(e) => return error_page(context, visitor, &e).await,
    };
    let page = AskedPage {
        frame: Frame::new(context, visitor, visitor.tr.t("asked-title")).await,
        initiative: initiative.display_name.clone(),
        username: initiative.username.clone(),
        name: form.name.trim().to_string(),
        contact: form.contact.trim().to_string(),
        reach,
    };
    render(visitor, StatusCode::OK, &page)
}

/// The initiative's page again, with the form as sent (and a new sum) and what is wrong.
async fn again(
    context: &Context,
    visitor: &Visitor,
    challenges: &Challenges,
    initiative: &Actor,
    form: AskForm,
    errors: BTreeMap<&'static str, String>,
) -> Response {
    let ask = AskPart { form: AskForm { answer: String::new(), ..form }, errors, sum: challenges.make(visitor.csrf()) };
    match initiative_page(context, visitor, initiative, ask).await {
        Ok(page) => render(visitor, StatusCode::UNPROCESSABLE_ENTITY, &page),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// `POST /initiatives/{name}/vraag-het-ons`.
pub async fn submit(
    context: Context,
    Extension(limits): Extension<Arc<Limits>>,
    Extension(challenges): Extension<Arc<Challenges>>,
    ClientAddress(client): ClientAddress,
    Path(name): Path<String>,
    GenuineForm { visitor, form }: GenuineForm<AskForm>,
) -> Response {
    if limits.check(Kind::Question, client).is_err() {
        return super::too_many(&context, &visitor, visitor.tr.t("ask-too-many")).await;
    }
    let initiative = match ops::initiatives::local(&context.store, &name).await {
        Ok(initiative) => initiative,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    if !form.website.is_empty() {
        return thanks(&context, &visitor, &initiative, &form).await;
    }
    if !challenges.check(&form.token, visitor.csrf(), &form.answer) {
        let errors = BTreeMap::from([("answer", visitor.tr.t("ask-wrong-answer"))]);
        return again(&context, &visitor, &challenges, &initiative, form, errors).await;
    }
    let draft = QuestionDraft { name: form.name.clone(), contact: form.contact.clone(), question: form.question.clone() };
    match ops::questions::ask(&context.store, &initiative, &draft).await {
        Ok(_) => thanks(&context, &visitor, &initiative, &form).await,
        Err(e) => match field_errors(e, visitor.tr) {
            Ok(errors) => again(&context, &visitor, &challenges, &initiative, form, errors).await,
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

/// An initiative on the "Ik zoek hulp" page.
pub struct InitiativeReach {
    pub name: String,
    pub href: String,
    pub reach: ReachView,
}

#[derive(Template)]
#[template(path = "ask_us.html")]
struct AskUsPage {
    frame: Frame,
    initiatives: Vec<InitiativeReach>,
}

/// `/vraag-het-ons`: for someone who looks for help, every initiative here with how to reach
/// it and a way to its form. No account needed.
pub async fn choose(context: Context, visitor: Visitor) -> Response {
    let listed = async {
        let mut list = Vec::new();
        for initiative in ops::browse::local_initiatives(&context.store).await? {
            let reach = reach_of(&context, &initiative).await?;
            list.push(InitiativeReach { name: initiative.display_name, href: format!("/initiatives/{}", initiative.username), reach });
        }
        Ok::<_, DomainError>(list)
    };
    match listed.await {
        Ok(initiatives) => {
            let page = AskUsPage { frame: Frame::new(&context, &visitor, visitor.tr.t("ask-us-title")).await, initiatives };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

//! An initiative's page for people: how to reach it ("Zo bereik je ons") and "Vraag het ons"
//! (the form goes to [`super::ask`]) above what every profile shows (description, following,
//! its open needs and offers, its posts); and the page where its coordinators change its
//! name, description and contact details, and how long closed needs and offers are kept.

use super::ask::AskPart;
use super::extract::{Coordinator, CoordinatorForm};
use super::layout::{Frame, error_page, field_errors, render};
use super::visitor::Visitor;
use crate::challenge::Challenges;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::DomainError;
use buurtnet_domain::model::{Actor, html};
use buurtnet_domain::ops::{self, initiatives::Details, signup};
use buurtnet_domain::store::contacts::Contact;
use buurtnet_federation::Context;
use std::collections::BTreeMap;

/// How to reach an initiative, as its pages show it.
pub struct ReachView {
    pub phone: String,
    /// `tel:` and the number's digits, so a phone dials it.
    pub phone_href: String,
    pub address: String,
    pub walk_in_hours: String,
    pub contact_text: String,
}

impl ReachView {
    pub fn new(contact: &Contact) -> ReachView {
        let dialled: String = contact.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
        ReachView {
            phone: contact.phone.clone(),
            phone_href: format!("tel:{dialled}"),
            address: contact.address.clone(),
            walk_in_hours: contact.walk_in_hours.clone(),
            contact_text: contact.contact_text.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.phone.is_empty() && self.address.is_empty() && self.walk_in_hours.is_empty() && self.contact_text.is_empty()
    }
}

/// How to reach `initiative`, for a page.
pub(super) async fn reach_of(context: &Context, initiative: &Actor) -> Result<ReachView, DomainError> {
    Ok(ReachView::new(&ops::initiatives::contact(&context.store, initiative).await?))
}

#[derive(Template)]
#[template(path = "initiative.html")]
pub(super) struct InitiativePage {
    /// What every profile shows (the template reads its fields through `Deref`).
    profile: super::posts::ProfilePage,
    reach: ReachView,
    ask: AskPart,
    /// The visitor coordinates it: a link to change its details.
    may_edit: bool,
}

impl std::ops::Deref for InitiativePage {
    type Target = super::posts::ProfilePage;
    fn deref(&self) -> &Self::Target {
        &self.profile
    }
}

/// The page of `initiative`, with the "Vraag het ons" form as `ask` holds it.
pub(super) async fn initiative_page(
    context: &Context,
    visitor: &Visitor,
    initiative: &Actor,
    ask: AskPart,
) -> Result<InitiativePage, DomainError> {
    let may_edit = match visitor.member() {
        Some(member) => signup::coordinates(&context.store, member, initiative).await?,
        None => false,
    };
    Ok(InitiativePage {
        profile: super::posts::profile_of(context, visitor, initiative).await?,
        reach: reach_of(context, initiative).await?,
        ask,
        may_edit,
    })
}

/// `/initiatives/{name}` for people.
pub async fn page(context: &Context, visitor: &Visitor, challenges: &Challenges, name: &str) -> Response {
    let built = async {
        let initiative = ops::initiatives::local(&context.store, name).await?;
        initiative_page(context, visitor, &initiative, AskPart::fresh(challenges, visitor)).await
    };
    match built.await {
        Ok(page) => render(visitor, StatusCode::OK, &page),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// The coordinators' form for the initiative's details.
#[derive(serde::Deserialize, Default)]
pub struct DetailsForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    walk_in_hours: String,
    #[serde(default)]
    contact_text: String,
}

impl DetailsForm {
    fn details(&self) -> Details {
        Details {
            display_name: self.display_name.clone(),
            description: self.description.clone(),
            contact: Contact {
                phone: self.phone.clone(),
                address: self.address.clone(),
                walk_in_hours: self.walk_in_hours.clone(),
                contact_text: self.contact_text.clone(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "initiative_edit.html")]
struct EditPage {
    frame: Frame,
    username: String,
    form: DetailsForm,
    errors: BTreeMap<&'static str, String>,
    /// How long closed needs and offers are kept: each choice, the one in force marked.
    keep_choices: Vec<KeepChoice>,
}

/// One choice of days to keep closed needs and offers.
struct KeepChoice {
    days: i64,
    label: String,
    chosen: bool,
}

/// The coordinators' choice of how long closed needs and offers are kept.
#[derive(serde::Deserialize, Default)]
pub struct KeepingForm {
    #[serde(default)]
    keep_days: String,
}

/// The initiative called `name` when `visitor` coordinates it; otherwise the answer to give.
async fn coordinated(context: &Context, visitor: &Visitor, member: &Actor, name: &str) -> Result<Actor, Response> {
    let initiative = match ops::initiatives::local(&context.store, name).await {
        Ok(initiative) => initiative,
        Err(e) => return Err(error_page(context, visitor, &e).await),
    };
    match signup::coordinates(&context.store, member, &initiative).await {
        Ok(true) => Ok(initiative),
        Ok(false) => Err(error_page(context, visitor, &DomainError::Forbidden).await),
        Err(e) => Err(error_page(context, visitor, &e).await),
    }
}

async fn edit_form(
    context: &Context,
    visitor: &Visitor,
    initiative: &Actor,
    form: DetailsForm,
    errors: BTreeMap<&'static str, String>,
) -> Result<EditPage, DomainError> {
    let title = visitor.tr.t1("initiative-edit-title", "name", &form.display_name);
    let kept = ops::initiatives::keep_needs_days(&context.store, initiative).await?;
    let keep_choices = ops::initiatives::KEEP_NEEDS_CHOICES
        .iter()
        .map(|&days| KeepChoice { days, label: visitor.tr.t1("initiative-keep-days", "days", days.to_string()), chosen: days == kept })
        .collect();
    Ok(EditPage { frame: Frame::new(context, visitor, title).await, username: initiative.username.clone(), form, errors, keep_choices })
}

/// The form as the initiative's details are now.
async fn current_details(context: &Context, initiative: &Actor) -> Result<DetailsForm, DomainError> {
    let contact = ops::initiatives::contact(&context.store, initiative).await?;
    Ok(DetailsForm {
        display_name: initiative.display_name.clone(),
        description: html::to_plain_text(&initiative.summary),
        phone: contact.phone,
        address: contact.address,
        walk_in_hours: contact.walk_in_hours,
        contact_text: contact.contact_text,
    })
}

/// The edit page with `form` and `errors`, answered with `status`.
async fn show_edit(
    context: &Context,
    visitor: &Visitor,
    initiative: &Actor,
    form: DetailsForm,
    errors: BTreeMap<&'static str, String>,
    status: StatusCode,
) -> Response {
    match edit_form(context, visitor, initiative, form, errors).await {
        Ok(page) => render(visitor, status, &page),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// `/coordinatie/initiatief/{name}`: the form, filled in with what is there now.
pub async fn edit_page(context: Context, Coordinator { visitor, member }: Coordinator, Path(name): Path<String>) -> Response {
    let initiative = match coordinated(&context, &visitor, &member, &name).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match current_details(&context, &initiative).await {
        Ok(form) => show_edit(&context, &visitor, &initiative, form, BTreeMap::new(), StatusCode::OK).await,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// `POST /coordinatie/initiatief/{name}/bewaren`: how long closed needs and offers are kept.
pub async fn save_keeping(
    context: Context,
    Path(name): Path<String>,
    CoordinatorForm { visitor, member, form }: CoordinatorForm<KeepingForm>,
) -> Response {
    let initiative = match coordinated(&context, &visitor, &member, &name).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let days = form.keep_days.trim().parse().unwrap_or(0);
    match ops::initiatives::set_keep_needs_days(&context.store, &member, &initiative, days).await {
        Ok(()) => Redirect::to(&format!("/coordinatie/initiatief/{}?gedaan=bewaren", initiative.username)).into_response(),
        Err(e) => match (field_errors(e, visitor.tr), current_details(&context, &initiative).await) {
            (Ok(errors), Ok(details)) => {
                show_edit(&context, &visitor, &initiative, details, errors, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            (Err(e), _) | (_, Err(e)) => error_page(&context, &visitor, &e).await,
        },
    }
}

pub async fn save(
    context: Context,
    Path(name): Path<String>,
    CoordinatorForm { visitor, member, form }: CoordinatorForm<DetailsForm>,
) -> Response {
    let initiative = match coordinated(&context, &visitor, &member, &name).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match ops::initiatives::update_details(&context.store, &member, &initiative, &form.details()).await {
        Ok(()) => {
            context.wake_delivery();
            Redirect::to(&format!("/initiatives/{}?gedaan=gegevens", initiative.username)).into_response()
        }
        Err(e) => match field_errors(e, visitor.tr) {
            Ok(errors) => show_edit(&context, &visitor, &initiative, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

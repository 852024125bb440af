//! The coalitions' pages (issues 6 and 16). `/coalities` lists the coalitions this node
//! hosts a replica of; `/coalitie/{slug}` shows one for people as its replica here sees it
//! (this week, the members' needs and offers, who helps whom, the members);
//! `/coalitie/{slug}/week` and `/eten` its week and meals; `/coalitie/{slug}/afspraken`
//! the agreements for coordinators of member initiatives (the charter in plain words, the
//! proposals, the forms through which they sponsor, object, vote, propose and leave). The
//! coordinators' page takes its "Coalities" section from here: their coalitions, founding
//! one and applying to one. Every operation is checked against the rules and signed by
//! `buurtnet_federation::coalitions`; a refusal comes back here in plain words.
//!
//! `page.rs` shows a coalition (`picture.rs` draws who helps whom), `week.rs` its week, `governance.rs` its agreements,
//! `actions.rs` takes their forms, `coordinators.rs` is the
//! coordinators' part (founding, applying, answering an invitation); this module holds
//! what they share: how an actor is named, the charter in words, the forms, refusals.

mod actions;
mod coordinators;
mod governance;
mod page;
mod picture;
mod week;

pub use actions::{Action, acting};
pub use coordinators::{CoalitionForms, CoordinatorPart, InvolvementView, answer_invitation, coordinator_part, found, join};
pub use governance::{ProposalView, governance};
pub use page::show;
pub use week::{meals, week};

use super::layout::{Frame, error_page, field_errors, render, say};
use super::visitor::Visitor;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::DomainError;
use buurtnet_domain::model::coalition::{Charter, CoalitionState, Refusal};
use buurtnet_domain::model::{Actor, ActorKind};
use buurtnet_domain::ops::coalition_pages;
use buurtnet_domain::ops::{self, browse};
use buurtnet_federation::Context;
use std::collections::BTreeMap;

type Errors = BTreeMap<&'static str, String>;

/// An actor as a coalition page names it: its name and handle when this node knows it
/// (linked to its page here), else its address.
pub struct ActorLink {
    pub name: String,
    pub handle: Option<String>,
    pub href: String,
    /// What the initiative says of itself (where it works, its neighbourhood), as text.
    pub about: String,
}

impl ActorLink {
    pub(super) fn of(id: &str, known: &BTreeMap<String, Actor>) -> ActorLink {
        let Some(actor) = known.get(id) else {
            return ActorLink { name: id.to_string(), handle: None, href: id.to_string(), about: String::new() };
        };
        let name = if actor.display_name.is_empty() { actor.username.clone() } else { actor.display_name.clone() };
        let href = match (actor.is_local, actor.kind()) {
            (true, ActorKind::Group) => format!("/initiatives/{}", actor.username),
            (true, _) => format!("/users/{}", actor.username),
            (false, _) => format!("/actor/{}", actor.id),
        };
        let about = buurtnet_domain::model::html::to_plain_text(&actor.summary);
        ActorLink { name, handle: Some(actor.handle()), href, about }
    }

    /// The name with the handle, as plain text.
    fn label(&self) -> String {
        match &self.handle {
            Some(handle) => format!("{} (@{handle})", self.name),
            None => self.name.clone(),
        }
    }
}

/// The admission and majority rules of a charter, in plain words.
fn rules(charter: &Charter, tr: super::i18n::Tr) -> (String, String) {
    let sponsors = tr.count("coalition-rule-sponsors", i64::from(charter.sponsors_needed));
    let objection = tr.count("coalition-rule-objection", i64::from(charter.objection_days));
    let majority = buurtnet_domain::model::coalition::MAJORITY;
    let votes = if charter.removal_percent == majority && charter.change_percent == majority {
        tr.t("coalition-rule-majority")
    } else {
        let share = |percent: u32| {
            if percent == majority { tr.t("coalition-rule-share-half") } else { tr.t1("coalition-rule-share-percent", "percent", percent) }
        };
        tr.with("coalition-rule-votes", &[("removal", share(charter.removal_percent)), ("change", share(charter.change_percent))])
    };
    (tr.with("coalition-rule-admission", &[("sponsors", sponsors), ("objection", objection)]), votes)
}

/// Where a coalition's page is, from a replica's address: here for our own, the same page
/// on a peer for theirs (Buurtnet serves it at `/coalitie/{slug}`), else the address itself.
fn page_of_replica(context: &Context, replica: &str) -> String {
    let Ok(url) = url::Url::parse(replica) else { return replica.to_string() };
    let Some(slug) = url.path().strip_prefix("/coalitions/").filter(|s| !s.is_empty() && !s.contains('/')) else {
        return replica.to_string();
    };
    if replica.starts_with(context.urls.base().as_str()) {
        format!("/coalitie/{slug}")
    } else {
        format!("{}/coalitie/{slug}", url.origin().ascii_serialization())
    }
}

pub struct CoalitionSummary {
    pub href: String,
    pub name: String,
    pub description: String,
    pub members: String,
}

#[derive(Template)]
#[template(path = "coalitions.html")]
struct ListPage {
    frame: Frame,
    coalitions: Vec<CoalitionSummary>,
}

/// `/coalities`: the coalitions this node hosts a replica of.
pub async fn list(context: Context, visitor: Visitor) -> Response {
    let tr = visitor.tr;
    let hosted = match coalition_pages::hosted(&context.store).await {
        Ok(hosted) => hosted,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let coalitions = hosted
        .iter()
        .map(|h| CoalitionSummary {
            href: format!("/coalitie/{}", h.slug),
            name: h.name().to_string(),
            description: h.state.charter.as_ref().map(|c| c.description.clone()).unwrap_or_default(),
            members: tr.count("coalition-members-count", h.state.members.len() as i64),
        })
        .collect();
    let page = ListPage { frame: Frame::new(&context, &visitor, tr.t("coalitions-title")).await, coalitions };
    render(&visitor, StatusCode::OK, &page)
}

/// What the forms of a coalition's page hold; kept when something must be corrected.
#[derive(serde::Deserialize, Default, Clone)]
pub struct CoalitionForm {
    /// The username of the initiative that acts.
    #[serde(default, rename = "as")]
    pub as_whom: String,
    #[serde(default)]
    pub proposal: String,
    /// `sponsor`, `object`, `for` or `against`.
    #[serde(default)]
    pub choice: String,
    /// An initiative's address or `@name@host`.
    #[serde(default)]
    pub candidate: String,
    /// The member to remove (its id).
    #[serde(default)]
    pub member: String,
    #[serde(flatten)]
    pub charter: CharterForm,
    /// `ja` when the coordinator confirmed leaving.
    #[serde(default)]
    pub confirm: String,
}

impl CoalitionForm {
    /// The charter fields filled in with the coalition's charter, to change from.
    fn with_charter(self, charter: Option<&Charter>) -> CoalitionForm {
        let Some(c) = charter else { return self };
        let charter = CharterForm {
            name: c.name.clone(),
            description: c.description.clone(),
            sponsors_needed: c.sponsors_needed.to_string(),
            objection_days: c.objection_days.to_string(),
            removal_percent: c.removal_percent.to_string(),
            change_percent: c.change_percent.to_string(),
        };
        CoalitionForm { charter, ..self }
    }
}

/// A charter's fields as typed, in the founding form and the form that changes a charter.
#[derive(serde::Deserialize, Clone)]
pub struct CharterForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sponsors_needed: String,
    #[serde(default)]
    pub objection_days: String,
    #[serde(default)]
    pub removal_percent: String,
    #[serde(default)]
    pub change_percent: String,
}

impl Default for CharterForm {
    /// What a new coalition starts from: one sponsor, a week to object.
    fn default() -> CharterForm {
        let majority = buurtnet_domain::model::coalition::MAJORITY.to_string();
        CharterForm {
            name: String::new(),
            description: String::new(),
            sponsors_needed: "1".into(),
            objection_days: "7".into(),
            removal_percent: majority.clone(),
            change_percent: majority,
        }
    }
}

/// The charter fields of a form, shared by founding and changing a charter.
pub struct CharterFields {
    /// Before each field's id, so that two forms on one page do not clash.
    pub prefix: &'static str,
    pub typed: CharterForm,
    /// By field: `name`, `description`, `sponsors_needed`, `objection_days`,
    /// `removal_percent`, `change_percent`.
    pub errors: Errors,
}

/// A charter from a form's fields, or what is wrong with them.
fn typed_charter(form: &CharterForm, tr: super::i18n::Tr) -> Result<Charter, Errors> {
    let mut errors = Errors::new();
    // `when_empty`: the usual value of a field that older forms do not have.
    let mut number = |field: &'static str, text: &str, when_empty: Option<u32>| match (text.trim(), when_empty) {
        ("", Some(usual)) => usual,
        (text, _) => text.parse::<u32>().unwrap_or_else(|_| {
            errors.insert(field, tr.t("coalition-number-needed"));
            1
        }),
    };
    let majority = Some(buurtnet_domain::model::coalition::MAJORITY);
    let sponsors_needed = number("sponsors_needed", &form.sponsors_needed, None);
    let objection_days = number("objection_days", &form.objection_days, None);
    let removal_percent = number("removal_percent", &form.removal_percent, majority);
    let change_percent = number("change_percent", &form.change_percent, majority);
    let typed = Charter {
        name: form.name.clone(),
        description: form.description.clone(),
        sponsors_needed,
        objection_days,
        removal_percent,
        change_percent,
    };
    match coalition_pages::checked_charter(typed) {
        Ok(charter) if errors.is_empty() => Ok(charter),
        Ok(_) => Err(errors),
        Err(e) => {
            for (field, message) in field_errors(e, tr).unwrap_or_default() {
                errors.entry(field).or_insert(message);
            }
            Err(errors)
        }
    }
}

/// The local initiatives `member` may act for that are members of the coalition.
async fn acting_for(context: &Context, member: &Actor, state: &CoalitionState) -> Result<Vec<Actor>, DomainError> {
    let mut acting = Vec::new();
    for initiative in acting_initiatives(context, member).await? {
        if state.members.contains(&initiative.ap_id) {
            acting.push(initiative);
        }
    }
    Ok(acting)
}

/// The initiatives `member` coordinates and may sign for.
async fn acting_initiatives(context: &Context, member: &Actor) -> Result<Vec<Actor>, DomainError> {
    let mut acting = Vec::new();
    for initiative in browse::coordinated_by(&context.store, member).await? {
        if ops::actors::may_act_as(&context.store, member, &initiative).await? {
            acting.push(initiative);
        }
    }
    Ok(acting)
}

/// The one chosen by username, or the only one when none was chosen.
fn chosen(initiatives: Vec<Actor>, username: &str) -> Option<Actor> {
    if username.is_empty() && initiatives.len() == 1 {
        return initiatives.into_iter().next();
    }
    initiatives.into_iter().find(|i| i.username == username)
}

/// A refusal by the coalition's rules, in plain words.
fn refusal(refusal: Refusal, tr: super::i18n::Tr) -> String {
    tr.t(&format!("coalition-refused-{}", refusal.code()))
}

/// What to say when the use case refused: the rule that was broken, or what was wrong.
fn refused_because(error: &DomainError, tr: super::i18n::Tr) -> Option<String> {
    match error {
        DomainError::CoalitionRefused(why) => Some(refusal(*why, tr)),
        DomainError::Invalid(list) => Some(list.iter().map(|v| say(&v.message, tr)).collect::<Vec<_>>().join(" ")),
        _ => None,
    }
}

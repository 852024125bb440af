//! The coordinators' page's "Coalities" part: their coalitions, founding one, applying to
//! one, and answering an invitation.

use super::governance::proposal_view;
use super::*;
use crate::html::coordinate::JustMade;
use crate::html::extract::CoordinatorForm;
use crate::html::layout::{error_page, render};
use crate::html::visitor::Visitor;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::DomainError;
use buurtnet_domain::model::coalition::OpKind;
use buurtnet_domain::model::{Actor, Username};
use buurtnet_domain::ops::coalition_pages::{self, Part};
use buurtnet_federation::Context;
use std::collections::BTreeMap;

/// A coalition one of the coordinator's initiatives takes part in.
pub struct InvolvementView {
    pub name: String,
    pub href: String,
    pub initiative: String,
    pub part: String,
    /// (coalition, proposal, initiative's username) of an invitation still to be answered.
    pub invitation: Option<(String, String, String)>,
}

/// The founding form.
#[derive(serde::Deserialize, Default, Clone)]
pub struct FoundForm {
    #[serde(default)]
    pub initiative: String,
    #[serde(flatten)]
    pub charter: CharterForm,
    #[serde(default)]
    pub slug: String,
}

/// The form for applying to a coalition.
#[derive(serde::Deserialize, Default, Clone)]
pub struct JoinForm {
    #[serde(default)]
    pub initiative: String,
    /// The address of any of its replicas.
    #[serde(default)]
    pub replica: String,
}

/// What the coordinators' page shows of coalitions.
pub struct CoordinatorPart {
    pub coalitions: Vec<InvolvementView>,
    /// (username, name) of the initiatives that may found or apply.
    pub initiatives: Vec<(String, String)>,
    pub found: FoundForm,
    pub charter: CharterFields,
    pub join: JoinForm,
    /// `found-initiative`, `found-slug`, `join-initiative`, `join-replica`.
    pub errors: Errors,
}

/// The forms as typed, with what is wrong, for the coordinators' page.
#[derive(Default)]
pub struct CoalitionForms {
    pub found: FoundForm,
    pub join: JoinForm,
    pub charter_errors: Errors,
    pub errors: Errors,
}

pub async fn coordinator_part(
    context: &Context,
    member: &Actor,
    tr: crate::html::i18n::Tr,
    forms: CoalitionForms,
) -> Result<CoordinatorPart, DomainError> {
    let initiatives = acting_initiatives(context, member).await?;
    let mut coalitions = Vec::new();
    for involvement in coalition_pages::taking_part(&context.store, &initiatives).await? {
        let state = &involvement.state;
        let href = match &involvement.slug {
            Some(slug) => format!("/coalitie/{slug}"),
            None => state.replicas.values().next().map(|r| page_of_replica(context, r)).unwrap_or_default(),
        };
        let (part, invitation) = match &involvement.part {
            Part::Member => (tr.count("coalition-part-member", state.members.len() as i64), None),
            Part::Candidate { proposal } => match state.proposals.get(proposal) {
                Some(p) => {
                    let unanswered = p.invitee().is_some() && !p.accepted_by_candidate() && !p.decided;
                    let invitation =
                        unanswered.then(|| (involvement.coalition.clone(), p.id.clone(), involvement.initiative.username.clone()));
                    (proposal_view(state, p, &BTreeMap::new(), tr).status, invitation)
                }
                None => (String::new(), None),
            },
        };
        coalitions.push(InvolvementView {
            name: state.charter.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| involvement.coalition.clone()),
            href,
            initiative: involvement.initiative.display_name.clone(),
            part,
            invitation,
        });
    }
    let found = forms.found;
    Ok(CoordinatorPart {
        coalitions,
        initiatives: initiatives.into_iter().map(|i| (i.username, i.display_name)).collect(),
        charter: CharterFields { prefix: "found-", typed: found.charter.clone(), errors: forms.charter_errors },
        found,
        join: forms.join,
        errors: forms.errors,
    })
}

/// The coordinators' page again, with a coalition form as typed and what is wrong with it.
async fn coordinate_again(context: &Context, visitor: &Visitor, member: &Actor, forms: CoalitionForms) -> Response {
    match crate::html::coordinate::page(context, visitor, member, JustMade::coalition_forms(forms)).await {
        Ok(page) => render(visitor, StatusCode::UNPROCESSABLE_ENTITY, &page),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// A coordinator's form on the coordinators' page: the coordinator, and the initiative
/// chosen to act (if it is one they may sign for).
async fn coordinator_form(context: &Context, visitor: &Visitor, member: &Actor, username: &str) -> Result<Option<Actor>, Response> {
    match acting_initiatives(context, member).await {
        Ok(initiatives) => Ok(chosen(initiatives, username)),
        Err(e) => Err(error_page(context, visitor, &e).await),
    }
}

/// The answer to an invitation, from the coordinators' page.
#[derive(serde::Deserialize, Default)]
pub struct InvitationForm {
    /// The invited initiative's username.
    #[serde(default)]
    initiative: String,
    #[serde(default)]
    coalition: String,
    #[serde(default)]
    proposal: String,
    /// `yes` or `no`.
    #[serde(default)]
    answer: String,
}

/// "Uitgenodigd": the invited initiative says yes (the admission goes on by the coalition's
/// rules) or no (it ends), signed by the initiative like any operation.
pub async fn answer_invitation(context: Context, CoordinatorForm { visitor, member, form }: CoordinatorForm<InvitationForm>) -> Response {
    let initiative = match coordinator_form(&context, &visitor, &member, &form.initiative).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Some(initiative) = initiative else { return error_page(&context, &visitor, &DomainError::Forbidden).await };
    let approve = form.answer == "yes";
    let vote = OpKind::Vote { proposal: form.proposal.clone(), approve };
    match buurtnet_federation::coalitions::acting(&context).act(&member, &initiative, &form.coalition, vote).await {
        Ok(_) => {
            let done = if approve { "uitnodiging-aangenomen" } else { "uitnodiging-afgeslagen" };
            Redirect::to(&format!("/coordinatie?gedaan={done}")).into_response()
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// "Een coalitie oprichten": founded, then off to its page.
pub async fn found(context: Context, CoordinatorForm { visitor, member, form }: CoordinatorForm<FoundForm>) -> Response {
    let initiative = match coordinator_form(&context, &visitor, &member, &form.initiative).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let tr = visitor.tr;
    let mut errors = Errors::new();
    if initiative.is_none() {
        errors.insert("found-initiative", tr.t("coalition-initiative-needed"));
    }
    let slug = Username::parse(&form.slug).map(|s| s.as_str().to_string());
    if slug.is_err() {
        errors.insert("found-slug", tr.t("coalition-slug-invalid"));
    }
    let charter = typed_charter(&form.charter, tr);
    let (Some(initiative), Ok(slug), Ok(charter), true) = (initiative, slug, &charter, errors.is_empty()) else {
        let charter_errors = charter.err().unwrap_or_default();
        return coordinate_again(&context, &visitor, &member, CoalitionForms { found: form, charter_errors, errors, ..Default::default() })
            .await;
    };
    match buurtnet_federation::coalitions::acting(&context).found(&member, &initiative, &slug, charter.clone()).await {
        Ok(_) => Redirect::to(&format!("/coalitie/{slug}?gedaan=coalitie-opgericht")).into_response(),
        Err(DomainError::Conflict(_)) => {
            let errors = Errors::from([("found-slug", tr.t("coalition-slug-taken"))]);
            coordinate_again(&context, &visitor, &member, CoalitionForms { found: form, errors, ..Default::default() }).await
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// "Aansluiten bij een coalitie": the application goes to the coalition's replicas; the
/// coordinator sees it on the coalition's page (on the replica that was given).
pub async fn join(context: Context, CoordinatorForm { visitor, member, form }: CoordinatorForm<JoinForm>) -> Response {
    let initiative = match coordinator_form(&context, &visitor, &member, &form.initiative).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let tr = visitor.tr;
    let typed = form.replica.trim();
    let address = if typed.contains("://") { typed.to_string() } else { format!("https://{typed}") };
    let replica = url::Url::parse(&address).ok().filter(|_| !typed.is_empty());
    let problem = match (&initiative, &replica) {
        (None, _) => Some(("join-initiative", tr.t("coalition-initiative-needed"))),
        (_, None) => Some(("join-replica", tr.t("coalition-replica-needed"))),
        _ => None,
    };
    let (Some(initiative), Some(replica), None) = (initiative, replica, &problem) else {
        let errors = problem.into_iter().collect();
        return coordinate_again(&context, &visitor, &member, CoalitionForms { join: form, errors, ..Default::default() }).await;
    };
    let why = match buurtnet_federation::coalitions::acting(&context).apply(&member, &initiative, &replica).await {
        Ok(_) => {
            let page = page_of_replica(&context, replica.as_str());
            let page = if page.ends_with("/coalitie/") || page == replica.as_str() {
                "/coordinatie?gedaan=coalitie-aangemeld".into()
            } else {
                page
            };
            return Redirect::to(&page).into_response();
        }
        Err(DomainError::Forbidden) => return error_page(&context, &visitor, &DomainError::Forbidden).await,
        Err(e) => refused_because(&e, tr).unwrap_or_else(|| {
            tracing::info!(%replica, error = %e, "applying to a coalition failed");
            tr.t("coalition-replica-not-found")
        }),
    };
    let errors = Errors::from([("join-replica", why)]);
    coordinate_again(&context, &visitor, &member, CoalitionForms { join: form, errors, ..Default::default() }).await
}

//! The forms on a coalition's agreements page: sponsor, object, vote, propose and leave;
//! each checked against the rules, signed for the chosen initiative, then back to the
//! agreements (to the coalition's page after leaving).

use super::governance::governance_page;
use super::page::hosted_or_not_found;
use super::*;
use crate::html::extract::MemberForm;
use crate::html::layout::{error_page, render};
use crate::html::visitor::Visitor;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, post};
use buurtnet_domain::DomainError;
use buurtnet_domain::model::coalition::{Change, CoalitionState, OpKind};
use buurtnet_domain::model::{Actor, ActorKind};
use buurtnet_domain::ops::coalition_pages::{self, Hosted, Part};
use buurtnet_federation::Context;

/// What a coordinator does on a coalition's page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Sponsor, object or vote, on one proposal.
    OnProposal,
    ProposeAdmission,
    ProposeRemoval,
    ProposeCharter,
    Leave,
}

impl Action {
    /// The field next to which a refusal of the rules is shown.
    fn field(self) -> &'static str {
        match self {
            Action::OnProposal => "act",
            Action::ProposeAdmission => "candidate",
            Action::ProposeRemoval => "member",
            Action::ProposeCharter => "charter",
            Action::Leave => "confirm",
        }
    }
}

/// The operation a form asks for, with the confirmation to show after it, or what is wrong.
async fn operation(
    context: &Context,
    state: &CoalitionState,
    form: &CoalitionForm,
    action: Action,
    tr: crate::html::i18n::Tr,
) -> Result<(OpKind, &'static str), (Errors, Errors)> {
    let one = |field: &'static str, message: String| (Errors::new(), Errors::from([(field, message)]));
    match action {
        Action::OnProposal => {
            let Some(proposal) = state.proposals.get(&form.proposal).map(|p| p.id.clone()) else {
                return Err(one("act", tr.t("coalition-refused-unknown-proposal")));
            };
            match form.choice.as_str() {
                "sponsor" => Ok((OpKind::Sponsor { proposal }, "coalitie-gesteund")),
                "object" => Ok((OpKind::Object { proposal }, "coalitie-bezwaar")),
                "for" => Ok((OpKind::Vote { proposal, approve: true }, "coalitie-gestemd")),
                "against" => Ok((OpKind::Vote { proposal, approve: false }, "coalitie-gestemd")),
                _ => Err(one("act", tr.t("coalition-refused-other"))),
            }
        }
        Action::ProposeAdmission => {
            let address = form.candidate.trim();
            if address.is_empty() {
                return Err(one("candidate", tr.t("coalition-candidate-needed")));
            }
            let found = crate::api::search::find_accounts(context, address, true, 1).await.ok().and_then(|f| f.into_iter().next());
            let Some(candidate) = found else { return Err(one("candidate", tr.t("coalition-candidate-not-found"))) };
            if candidate.kind() != ActorKind::Group {
                return Err(one("candidate", tr.t("coalition-candidate-not-initiative")));
            }
            match coalition_pages::part_of(state, &candidate.ap_id) {
                Some(Part::Member) => Err(one("candidate", tr.t("coalition-refused-already-member"))),
                Some(Part::Candidate { .. }) => Err(one("candidate", tr.t("coalition-candidate-already-proposed"))),
                None => Ok((OpKind::Propose(Change::Admit(candidate.ap_id)), "coalitie-voorgesteld")),
            }
        }
        Action::ProposeRemoval => match state.members.get(&form.member) {
            Some(member) => Ok((OpKind::Propose(Change::Remove(member.clone())), "coalitie-voorgesteld")),
            None => Err(one("member", tr.t("coalition-member-needed"))),
        },
        Action::ProposeCharter => match typed_charter(&form.charter, tr) {
            Ok(charter) => Ok((OpKind::Propose(Change::Charter(charter)), "coalitie-voorgesteld")),
            Err(errors) => Err((errors, Errors::new())),
        },
        Action::Leave if form.confirm == "ja" => Ok((OpKind::Leave, "coalitie-verlaten")),
        Action::Leave => Err(one("confirm", tr.t("coalition-leave-confirm-needed"))),
    }
}

/// Acting on a coalition's page: checked, signed and kept, then back to the page.
async fn act(context: Context, visitor: Visitor, member: Actor, slug: String, form: CoalitionForm, action: Action) -> Response {
    let hosted = match hosted_or_not_found(&context, &visitor, &slug).await {
        Ok(hosted) => hosted,
        Err(response) => return response,
    };
    let initiative = match acting_for(&context, &member, &hosted.state).await {
        Ok(acting) => chosen(acting, &form.as_whom),
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let Some(initiative) = initiative else { return error_page(&context, &visitor, &DomainError::Forbidden).await };
    let (kind, done) = match operation(&context, &hosted.state, &form, action, visitor.tr).await {
        Ok(made) => made,
        Err((charter_errors, errors)) => return again(&context, &visitor, &member, hosted, form, action, charter_errors, errors).await,
    };
    let back = if action == Action::Leave { format!("/coalitie/{slug}") } else { format!("/coalitie/{slug}/afspraken") };
    match buurtnet_federation::coalitions::acting(&context).act(&member, &initiative, &hosted.coalition, kind).await {
        Ok(_) => Redirect::to(&format!("{back}?gedaan={done}")).into_response(),
        Err(e) => match refused_because(&e, visitor.tr) {
            Some(why) => {
                again(&context, &visitor, &member, hosted, form, action, Errors::new(), Errors::from([(action.field(), why)])).await
            }
            None => error_page(&context, &visitor, &e).await,
        },
    }
}

/// The agreements again with what was typed and what is wrong.
#[allow(clippy::too_many_arguments)]
async fn again(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    hosted: Hosted,
    form: CoalitionForm,
    action: Action,
    charter_errors: Errors,
    errors: Errors,
) -> Response {
    let form = if action == Action::ProposeCharter { form } else { form.with_charter(hosted.state.charter.as_ref()) };
    match governance_page(context, visitor, member, hosted, form, charter_errors, errors).await {
        Ok(page) => render(visitor, StatusCode::UNPROCESSABLE_ENTITY, &page),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// The handler of one form: `action` on the coalition in the path, by the member logged in.
pub fn acting(action: Action) -> MethodRouter {
    post(move |context: Context, Path(slug): Path<String>, MemberForm { visitor, member, form }: MemberForm<CoalitionForm>| {
        act(context, visitor, member, slug, form, action)
    })
}

//! A coalition's agreements for coordinators (issue 16): `/coalitie/{slug}/afspraken`, the
//! charter in plain words, the proposals with their standing, and the forms through which
//! coordinators of member initiatives sponsor, object, vote, propose and leave. Only they
//! get the page (a visitor is asked to log in, anyone else is refused); the coalition's
//! own page links here for them.

use super::page::hosted_or_not_found;
use super::*;
use crate::html::extract::LoggedIn;
use crate::html::layout::{Frame, error_page, render};
use crate::html::local_time;
use crate::html::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::model::Actor;
use buurtnet_domain::model::coalition::{Change, Charter, CoalitionState, Proposal};
use buurtnet_domain::ops::coalition_pages::{self, Hosted, Standing};
use buurtnet_domain::{DomainError, now_ms};
use buurtnet_federation::Context;
use std::collections::BTreeMap;

/// One proposal as the page shows it.
pub struct ProposalView {
    pub id: String,
    pub what: String,
    /// A charter change: the proposed description and rules.
    pub details: Vec<String>,
    pub by: ActorLink,
    pub when: String,
    pub is_admission: bool,
    /// Names, or "nobody".
    pub sponsors: String,
    pub objections: String,
    pub approvals: String,
    pub rejections: String,
    pub status: String,
    pub open: bool,
}

fn names(ids: impl IntoIterator<Item = impl AsRef<str>>, known: &BTreeMap<String, Actor>, tr: crate::html::i18n::Tr) -> String {
    let list: Vec<String> = ids.into_iter().map(|id| ActorLink::of(id.as_ref(), known).name).collect();
    if list.is_empty() { tr.t("coalition-nobody") } else { list.join(", ") }
}

pub(super) fn proposal_view(
    state: &CoalitionState,
    p: &Proposal,
    known: &BTreeMap<String, Actor>,
    tr: crate::html::i18n::Tr,
) -> ProposalView {
    let standing = coalition_pages::standing(state, p, now_ms());
    let (what, details) = match &p.change {
        Change::Admit(who) => (tr.t1("coalition-proposal-admit", "who", ActorLink::of(who, known).label()), vec![]),
        Change::Remove(who) => (tr.t1("coalition-proposal-remove", "who", ActorLink::of(who, known).label()), vec![]),
        Change::Charter(charter) => {
            let (admission, majority) = rules(charter, tr);
            let mut details = vec![charter.description.clone(), admission, majority];
            details.retain(|d| !d.is_empty());
            (tr.t1("coalition-proposal-charter", "name", &charter.name), details)
        }
    };
    let status = match &standing {
        Standing::Objectable { until } => tr.t1("coalition-status-objectable", "date", local_time(*until, tr)),
        Standing::NeedsSponsors { have, needed } => {
            tr.with("coalition-status-needs-sponsors", &[("have", have.to_string()), ("needed", needed.to_string())])
        }
        Standing::AboutToBeAdmitted => tr.t("coalition-status-about-to-be-admitted"),
        Standing::Objected => tr.t("coalition-status-objected"),
        Standing::AwaitsAnswer => tr.t("coalition-status-awaits-answer"),
        Standing::Declined => tr.t("coalition-status-declined"),
        Standing::Admitted => tr.t("coalition-status-admitted"),
        Standing::Voting { needed } => tr.with(
            "coalition-status-voting",
            &[("for", p.approvals.len().to_string()), ("against", p.rejections.len().to_string()), ("needed", needed.to_string())],
        ),
        Standing::Passed => tr.t("coalition-status-passed"),
    };
    ProposalView {
        id: p.id.clone(),
        what,
        details,
        by: ActorLink::of(&p.proposer, known),
        when: local_time(p.published, tr),
        is_admission: matches!(p.change, Change::Admit(_)),
        sponsors: names(&p.sponsors, known, tr),
        objections: names(p.objections.keys(), known, tr),
        approvals: names(&p.approvals, known, tr),
        rejections: names(&p.rejections, known, tr),
        status,
        open: standing.is_open(),
    }
}

#[derive(Template)]
#[template(path = "coalition_governance.html")]
pub(super) struct GovernancePage {
    frame: Frame,
    slug: String,
    name: String,
    rules: (String, String),
    open: Vec<ProposalView>,
    decided: Vec<ProposalView>,
    /// (username, name) of the initiatives the coordinator acts for here.
    acting: Vec<(String, String)>,
    /// (id, label) of the members that can be proposed for removal.
    removable: Vec<(String, String)>,
    form: CoalitionForm,
    charter: CharterFields,
    errors: Errors,
}

/// The actors the proposals name, by id.
async fn named_in_proposals(context: &Context, state: &CoalitionState) -> Result<BTreeMap<String, Actor>, DomainError> {
    let mut ids: Vec<&String> = state.members.iter().collect();
    for p in state.proposals.values() {
        ids.push(&p.proposer);
        ids.extend(p.sponsors.iter().chain(p.objections.keys()).chain(&p.approvals).chain(&p.rejections));
        if let Change::Admit(who) | Change::Remove(who) = &p.change {
            ids.push(who);
        }
    }
    coalition_pages::known_actors(&context.store, ids).await
}

/// The agreements page for `member`; `Forbidden` when no initiative she may act for is a
/// member.
pub(super) async fn governance_page(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    hosted: Hosted,
    form: CoalitionForm,
    charter_errors: Errors,
    errors: Errors,
) -> Result<GovernancePage, DomainError> {
    let tr = visitor.tr;
    let state = &hosted.state;
    let acting = acting_for(context, member, state).await?;
    if acting.is_empty() {
        return Err(DomainError::Forbidden);
    }
    let known = named_in_proposals(context, state).await?;
    let mut proposals: Vec<ProposalView> = state.proposals.values().map(|p| proposal_view(state, p, &known, tr)).collect();
    proposals.sort_by_key(|p| std::cmp::Reverse(state.proposals.get(&p.id).map(|p| p.published)));
    let (open, mut decided): (Vec<_>, Vec<_>) = proposals.into_iter().partition(|p| p.open);
    decided.truncate(10);
    let mine: Vec<&str> = acting.iter().map(|a| a.ap_id.as_str()).collect();
    let removable =
        state.members.iter().filter(|m| !mine.contains(&m.as_str())).map(|m| (m.clone(), ActorLink::of(m, &known).label())).collect();
    let charter = charter_of(&hosted);
    Ok(GovernancePage {
        frame: Frame::new(context, visitor, tr.t1("coalition-governance-title", "name", &charter.name)).await,
        slug: hosted.slug.clone(),
        name: charter.name.clone(),
        rules: rules(&charter, tr),
        open,
        decided,
        acting: acting.into_iter().map(|a| (a.username.clone(), a.display_name.clone())).collect(),
        removable,
        charter: CharterFields { prefix: "charter-", typed: form.charter.clone(), errors: charter_errors },
        form,
        errors,
    })
}

/// The coalition's charter, or the rules a coalition starts with when none is known.
pub(super) fn charter_of(hosted: &Hosted) -> Charter {
    hosted.state.charter.clone().unwrap_or(Charter {
        name: hosted.slug.clone(),
        description: String::new(),
        sponsors_needed: 1,
        objection_days: 7,
        removal_percent: buurtnet_domain::model::coalition::MAJORITY,
        change_percent: buurtnet_domain::model::coalition::MAJORITY,
    })
}

/// `/coalitie/{slug}/afspraken`: the agreements, for coordinators of member initiatives.
pub async fn governance(context: Context, LoggedIn { visitor, member }: LoggedIn, Path(slug): Path<String>) -> Response {
    let hosted = match hosted_or_not_found(&context, &visitor, &slug).await {
        Ok(hosted) => hosted,
        Err(response) => return response,
    };
    let form = CoalitionForm::default().with_charter(hosted.state.charter.as_ref());
    match governance_page(&context, &visitor, &member, hosted, form, Errors::new(), Errors::new()).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

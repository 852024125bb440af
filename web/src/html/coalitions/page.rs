//! One coalition's page as the replica here sees it: the charter in plain words, the members,
//! the network of who passes on what, the replicas and the proposals with their standing.

use super::*;
use crate::html::layout::{Frame, error_page, render};
use crate::html::local_time;
use crate::html::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::model::coalition::{Change, Charter, CoalitionState, Proposal};
use buurtnet_domain::model::{Actor, Purpose};
use buurtnet_domain::ops::coalition_overview::{self, Flow};
use buurtnet_domain::ops::coalition_pages::{self, Hosted, Standing};
use buurtnet_domain::{DomainError, now_ms, store};
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
        Standing::Objectable { until } => tr.t1("coalition-status-objectable", "date", local_time(*until)),
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
        when: local_time(p.published),
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
#[template(path = "coalition.html")]
pub(super) struct CoalitionPage {
    frame: Frame,
    slug: String,
    name: String,
    description: String,
    rules: (String, String),
    members: Vec<ActorLink>,
    /// (href, host) of the other replicas.
    replicas: Vec<(String, String)>,
    open: Vec<ProposalView>,
    decided: Vec<ProposalView>,
    /// (username, name) of the initiatives the visitor may act for here; no forms when empty.
    acting: Vec<(String, String)>,
    logged_in: bool,
    /// (id, label) of the members that can be proposed for removal.
    removable: Vec<(String, String)>,
    form: CoalitionForm,
    charter: CharterFields,
    errors: Errors,
    /// The members' open needs and offers and coming events the visitor may see.
    needs: Vec<crate::html::front::ProposalView>,
    offers: Vec<crate::html::front::ProposalView>,
    events: Vec<crate::html::front::EventView>,
    /// The help between member initiatives: an SVG picture (empty when there was none)
    /// and the same as sentences.
    network_picture: String,
    network_rows: Vec<String>,
    /// The replica's actor here (to follow it), its handle and name.
    id: i64,
    handle: String,
    username: String,
    follow_options: Vec<crate::html::people::FollowOption>,
}

/// Member initiatives on a circle, an arrow for each flow of help (thicker for more),
/// labelled with how often; the sentences beside it say the same without the picture.
fn network_picture(members: &[String], flows: &[Flow], known: &BTreeMap<String, Actor>, tr: crate::html::i18n::Tr) -> String {
    use crate::html::escape;
    if flows.is_empty() {
        return String::new();
    }
    let (cx, cy, radius) = (400.0_f64, 260.0_f64, 190.0_f64);
    let ids: Vec<&str> = members.iter().map(String::as_str).collect();
    let count = ids.len().max(1) as f64;
    let place = |id: &str| {
        let i = ids.iter().position(|m| *m == id).unwrap_or(0) as f64;
        let angle = std::f64::consts::TAU * i / count - std::f64::consts::FRAC_PI_2;
        (cx + radius * angle.cos(), cy + radius * angle.sin())
    };
    let mut arrows = String::new();
    for flow in flows {
        let ((x1, y1), (x2, y2)) = (place(&flow.from), place(&flow.to));
        // Stop short of the circles, so the arrow heads show.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / length, dy / length);
        let (sx, sy, ex, ey) = (x1 + ux * 20.0, y1 + uy * 20.0, x2 - ux * 26.0, y2 - uy * 26.0);
        let width = (2.0 + flow.times as f64).min(10.0);
        arrows.push_str(&format!(
            "<line x1=\"{sx:.0}\" y1=\"{sy:.0}\" x2=\"{ex:.0}\" y2=\"{ey:.0}\" stroke=\"#1d5e3a\" stroke-width=\"{width:.0}\" marker-end=\"url(#arrow)\"/><text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"middle\" font-weight=\"700\">{}</text>",
            (sx + ex) / 2.0 - uy * 14.0,
            (sy + ey) / 2.0 + ux * 14.0,
            flow.times
        ));
    }
    let mut dots = String::new();
    for member in members {
        let (x, y) = place(member);
        let (anchor, label_x, label_y) = crate::html::label_beside((x, y), (cx, cy), 18.0);
        dots.push_str(&format!(
            "<circle cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"14\" fill=\"#0b4f9c\"/><text x=\"{label_x:.0}\" y=\"{label_y:.0}\" text-anchor=\"{anchor}\">{}</text>",
            escape(&ActorLink::of(member, known).name)
        ));
    }
    format!(
        "<svg viewBox=\"0 0 800 520\" role=\"img\" aria-labelledby=\"network-title\" class=\"network-picture\" font-size=\"16\" fill=\"#1a1a1a\">\
         <title id=\"network-title\">{}</title>\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto\">\
         <path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1d5e3a\"/></marker></defs>{arrows}{dots}</svg>",
        escape(&tr.t("coalition-network-title"))
    )
}

/// The flows of help as sentences: "Het Wijkpaleis hielp Zorgvrijstaat 2 keer".
fn network_rows(flows: &[Flow], known: &BTreeMap<String, Actor>, tr: crate::html::i18n::Tr) -> Vec<String> {
    flows
        .iter()
        .map(|flow| {
            let times = tr.count("coalition-network-times", flow.times);
            let (from, to) = (ActorLink::of(&flow.from, known).name, ActorLink::of(&flow.to, known).name);
            tr.with("coalition-network-row", &[("from", from), ("to", to), ("times", times)])
        })
        .collect()
}

pub(super) async fn coalition_page(
    context: &Context,
    visitor: &Visitor,
    hosted: Hosted,
    form: CoalitionForm,
    charter_errors: Errors,
    errors: Errors,
) -> Result<CoalitionPage, DomainError> {
    let tr = visitor.tr;
    let state = &hosted.state;
    let mut ids: Vec<&String> = state.members.iter().collect();
    for p in state.proposals.values() {
        ids.push(&p.proposer);
        ids.extend(p.sponsors.iter().chain(p.objections.keys()).chain(&p.approvals).chain(&p.rejections));
        if let Change::Admit(who) | Change::Remove(who) = &p.change {
            ids.push(who);
        }
    }
    let flows = coalition_overview::help_flows(&context.store, &hosted.coalition).await?;
    ids.extend(flows.iter().flat_map(|f| [&f.from, &f.to]));
    let known = coalition_pages::known_actors(&context.store, ids).await?;
    let members: Vec<ActorLink> = state.members.iter().map(|m| ActorLink::of(m, &known)).collect();
    let members_for_picture: Vec<String> = state.members.iter().cloned().collect();
    let reader = visitor.member();
    let proposals = coalition_overview::open_proposals(&context.store, &hosted.coalition, reader, 40).await?;
    let (needs, offers): (Vec<_>, Vec<_>) = proposals.into_iter().partition(|c| c.proposal.purpose == Purpose::Request);
    let agenda = coalition_overview::agenda(&context.store, &hosted.coalition, reader, 20).await?;
    let own = format!("{}coalitions/{}", context.urls.base(), hosted.slug);
    let replicas = state
        .replicas
        .values()
        .filter(|r| **r != own)
        .map(|r| (page_of_replica(context, r), url::Url::parse(r).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or(r.clone())))
        .collect();
    let mut proposals: Vec<ProposalView> = state.proposals.values().map(|p| proposal_view(state, p, &known, tr)).collect();
    proposals.sort_by_key(|p| std::cmp::Reverse(state.proposals.get(&p.id).map(|p| p.published)));
    let (open, mut decided): (Vec<_>, Vec<_>) = proposals.into_iter().partition(|p| p.open);
    decided.truncate(10);
    let acting = match visitor.member() {
        Some(member) => acting_for(context, member, state).await?,
        None => vec![],
    };
    let mine: Vec<&str> = acting.iter().map(|a| a.ap_id.as_str()).collect();
    let removable =
        state.members.iter().filter(|m| !mine.contains(&m.as_str())).map(|m| (m.clone(), ActorLink::of(m, &known).label())).collect();
    let charter = state.charter.clone().unwrap_or(Charter {
        name: hosted.slug.clone(),
        description: String::new(),
        sponsors_needed: 1,
        objection_days: 7,
        removal_percent: buurtnet_domain::model::coalition::MAJORITY,
        change_percent: buurtnet_domain::model::coalition::MAJORITY,
    });
    let replica = store::actors::local_by_username(&mut context.store.conn().await?, &hosted.slug).await?.ok_or(DomainError::NotFound)?;
    let follow_options = match visitor.member() {
        Some(member) => crate::html::people::follow_options(context, member, &replica, tr).await?,
        None => vec![],
    };
    Ok(CoalitionPage {
        id: replica.id,
        handle: replica.handle(),
        username: replica.username.clone(),
        follow_options,
        frame: Frame::new(context, visitor, charter.name.clone()).await,
        slug: hosted.slug.clone(),
        name: charter.name.clone(),
        description: charter.description.clone(),
        rules: rules(&charter, tr),
        members,
        replicas,
        open,
        decided,
        acting: acting.into_iter().map(|a| (a.username.clone(), a.display_name.clone())).collect(),
        logged_in: visitor.member().is_some(),
        removable,
        charter: CharterFields { prefix: "charter-", typed: form.charter.clone(), errors: charter_errors },
        form,
        errors,
        needs: needs.iter().map(|c| crate::html::front::ProposalView::new(c, tr)).collect(),
        offers: offers.iter().map(|c| crate::html::front::ProposalView::new(c, tr)).collect(),
        events: agenda.iter().map(|c| crate::html::front::EventView::new(c, tr)).collect(),
        network_picture: network_picture(&members_for_picture, &flows, &known, tr),
        network_rows: network_rows(&flows, &known, tr),
    })
}

pub(super) async fn hosted_or_not_found(context: &Context, visitor: &Visitor, slug: &str) -> Result<Hosted, Response> {
    match coalition_pages::hosted_as(&context.store, slug).await {
        Ok(Some(hosted)) => Ok(hosted),
        Ok(None) => Err(error_page(context, visitor, &DomainError::NotFound).await),
        Err(e) => Err(error_page(context, visitor, &e).await),
    }
}

/// `/coalitie/{slug}`: a coalition as this node's replica sees it.
pub async fn show(context: Context, visitor: Visitor, Path(slug): Path<String>) -> Response {
    let hosted = match hosted_or_not_found(&context, &visitor, &slug).await {
        Ok(hosted) => hosted,
        Err(response) => return response,
    };
    let form = CoalitionForm::default().with_charter(hosted.state.charter.as_ref());
    match coalition_page(&context, &visitor, hosted, form, Errors::new(), Errors::new()).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

//! One coalition's page for people (issue 16): content first (this week's activities, the
//! members' open needs and offers, who helps whom), then the members and where else the
//! coalition is found, named by initiative. The agreements, proposals and forms are on
//! their own page for coordinators (`governance.rs`), linked from here for them only.

use super::governance::charter_of;
use super::*;
use crate::html::layout::{Frame, error_page, render};
use crate::html::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::model::{Actor, Purpose};
use buurtnet_domain::ops::coalition_overview::{self, Flow};
use buurtnet_domain::ops::coalition_pages::{self, Hosted};
use buurtnet_domain::ops::coalition_week::{self, Show};
use buurtnet_domain::{DomainError, store};
use buurtnet_federation::Context;
use std::collections::BTreeMap;

/// How many of this week's activities the page shows before "the whole week".
const WEEK_ON_PAGE: usize = 3;

#[derive(Template)]
#[template(path = "coalition.html")]
pub(super) struct CoalitionPage {
    frame: Frame,
    slug: String,
    name: String,
    description: String,
    /// This week's first activities, by day.
    week: Vec<super::week::DayView>,
    members: Vec<ActorLink>,
    /// (href, initiative's name) of the other places the coalition is found.
    replicas: Vec<(String, String)>,
    /// Whether the visitor coordinates a member initiative (then a link to the agreements).
    coordinator: bool,
    /// The members' open needs and offers the visitor may see.
    needs: Vec<crate::html::front::ProposalView>,
    offers: Vec<crate::html::front::ProposalView>,
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

/// This week's activities as the page shows them: the first few, by day.
async fn short_week(context: &Context, visitor: &Visitor, coalition: &str) -> Result<Vec<super::week::DayView>, DomainError> {
    let mut days = coalition_week::week(&context.store, coalition, visitor.member(), coalition_week::today(), Show::All).await?;
    let mut left = WEEK_ON_PAGE;
    for day in &mut days {
        day.items.truncate(left);
        left -= day.items.len();
    }
    Ok(super::week::day_views(&days, visitor.tr))
}

/// The other places the coalition is found, each named by the initiative whose it is.
fn other_replicas(context: &Context, hosted: &Hosted, known: &BTreeMap<String, Actor>) -> Vec<(String, String)> {
    let own = format!("{}coalitions/{}", context.urls.base(), hosted.slug);
    hosted
        .state
        .replicas
        .iter()
        .filter(|(_, replica)| **replica != own)
        .map(|(member, replica)| (page_of_replica(context, replica), ActorLink::of(member, known).name))
        .collect()
}

pub(super) async fn coalition_page(context: &Context, visitor: &Visitor, hosted: Hosted) -> Result<CoalitionPage, DomainError> {
    let tr = visitor.tr;
    let state = &hosted.state;
    let flows = coalition_overview::help_flows(&context.store, &hosted.coalition).await?;
    let mut ids: Vec<&String> = state.members.iter().chain(state.replicas.keys()).collect();
    for flow in &flows {
        ids.extend([&flow.from, &flow.to]);
    }
    let known = coalition_pages::known_actors(&context.store, ids).await?;
    let members: Vec<ActorLink> = state.members.iter().map(|m| ActorLink::of(m, &known)).collect();
    let members_for_picture: Vec<String> = state.members.iter().cloned().collect();
    let reader = visitor.member();
    let proposals = coalition_overview::open_proposals(&context.store, &hosted.coalition, reader, 40).await?;
    let (needs, offers): (Vec<_>, Vec<_>) = proposals.into_iter().partition(|c| c.proposal.purpose == Purpose::Request);
    let coordinator = match reader {
        Some(member) => !acting_for(context, member, state).await?.is_empty(),
        None => false,
    };
    let charter = charter_of(&hosted);
    let replica = store::actors::local_by_username(&mut context.store.conn().await?, &hosted.slug).await?.ok_or(DomainError::NotFound)?;
    let follow_options = match reader {
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
        week: short_week(context, visitor, &hosted.coalition).await?,
        replicas: other_replicas(context, &hosted, &known),
        members,
        coordinator,
        needs: needs.iter().map(|c| crate::html::front::ProposalView::new(c, tr)).collect(),
        offers: offers.iter().map(|c| crate::html::front::ProposalView::new(c, tr)).collect(),
        network_picture: super::picture::network_picture(&members_for_picture, &flows, &known, tr),
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
    match coalition_page(&context, &visitor, hosted).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

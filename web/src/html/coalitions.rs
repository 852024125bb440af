//! The coalitions' pages (issue 6). `/coalities` lists the coalitions this node hosts a
//! replica of; `/coalitie/{slug}` shows one as its replica here sees it (the charter in
//! plain words, the members, the other replicas, the proposals), with the forms through
//! which coordinators of member initiatives sponsor, object, vote, propose and leave. The
//! coordinators' page takes its "Coalities" section from here: their coalitions, founding
//! one and applying to one. Every operation is checked against the rules and signed by
//! `buurtnet_federation::coalitions`; a refusal comes back here in plain words.

use super::coordinate::JustMade;
use super::extract::{CoordinatorForm, MemberForm};
use super::layout::{Frame, error_page, field_errors, in_language, render};
use super::local_time;
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::coalition::{Change, Charter, CoalitionState, OpKind, Proposal, Refusal};
use buurtnet_domain::model::{Actor, ActorKind, Purpose, Username};
use buurtnet_domain::ops::coalition_overview::{self, Flow};
use buurtnet_domain::ops::coalition_pages::{self, Hosted, Part, Standing};
use buurtnet_domain::ops::{self, browse};
use buurtnet_domain::{DomainError, now_ms, store};
use buurtnet_federation::Context;
use buurtnet_federation::error::FederationError;
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
    fn of(id: &str, known: &BTreeMap<String, Actor>) -> ActorLink {
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

fn names(ids: impl IntoIterator<Item = impl AsRef<str>>, known: &BTreeMap<String, Actor>, tr: super::i18n::Tr) -> String {
    let list: Vec<String> = ids.into_iter().map(|id| ActorLink::of(id.as_ref(), known).name).collect();
    if list.is_empty() { tr.t("coalition-nobody") } else { list.join(", ") }
}

fn proposal_view(state: &CoalitionState, p: &Proposal, known: &BTreeMap<String, Actor>, tr: super::i18n::Tr) -> ProposalView {
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

#[derive(Template)]
#[template(path = "coalition.html")]
struct CoalitionPage {
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
    needs: Vec<super::front::ProposalView>,
    offers: Vec<super::front::ProposalView>,
    events: Vec<super::front::EventView>,
    /// The help between member initiatives: an SVG picture (empty when there was none)
    /// and the same as sentences.
    network_picture: String,
    network_rows: Vec<String>,
    /// The replica's actor here (to follow it), its handle and name.
    id: i64,
    handle: String,
    username: String,
    follow_options: Vec<super::people::FollowOption>,
}

/// Member initiatives on a circle, an arrow for each flow of help (thicker for more),
/// labelled with how often; the sentences beside it say the same without the picture.
fn network_picture(members: &[String], flows: &[Flow], known: &BTreeMap<String, Actor>, tr: super::i18n::Tr) -> String {
    use super::escape;
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
        let (anchor, label_x, label_y) = super::label_beside((x, y), (cx, cy), 18.0);
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
fn network_rows(flows: &[Flow], known: &BTreeMap<String, Actor>, tr: super::i18n::Tr) -> Vec<String> {
    flows
        .iter()
        .map(|flow| {
            let times = tr.count("coalition-network-times", flow.times);
            let (from, to) = (ActorLink::of(&flow.from, known).name, ActorLink::of(&flow.to, known).name);
            tr.with("coalition-network-row", &[("from", from), ("to", to), ("times", times)])
        })
        .collect()
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

async fn coalition_page(
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
        Some(member) => super::people::follow_options(context, member, &replica, tr).await?,
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
        needs: needs.iter().map(|c| super::front::ProposalView::new(c, tr)).collect(),
        offers: offers.iter().map(|c| super::front::ProposalView::new(c, tr)).collect(),
        events: agenda.iter().map(|c| super::front::EventView::new(c, tr)).collect(),
        network_picture: network_picture(&members_for_picture, &flows, &known, tr),
        network_rows: network_rows(&flows, &known, tr),
    })
}

async fn hosted_or_not_found(context: &Context, visitor: &Visitor, slug: &str) -> Result<Hosted, Response> {
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

/// What a coordinator does on a coalition's page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
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

/// A refusal by the coalition's rules, in plain words.
fn refusal(refusal: Refusal, tr: super::i18n::Tr) -> String {
    tr.t(&format!("coalition-refused-{}", refusal.code()))
}

/// What to say when the use case refused: the rule that was broken, or what was wrong.
fn refused_because(error: &FederationError, tr: super::i18n::Tr) -> Option<String> {
    match error {
        FederationError::Domain(DomainError::CoalitionRefused(why)) => Some(refusal(*why, tr)),
        FederationError::Domain(DomainError::Invalid(list)) => {
            Some(list.iter().map(|v| in_language(&v.message, tr)).collect::<Vec<_>>().join(" "))
        }
        _ => None,
    }
}

/// The operation a form asks for, with the confirmation to show after it, or what is wrong.
async fn operation(
    context: &Context,
    state: &CoalitionState,
    form: &CoalitionForm,
    action: Action,
    tr: super::i18n::Tr,
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
        Err((charter_errors, errors)) => return again(&context, &visitor, hosted, form, action, charter_errors, errors).await,
    };
    match buurtnet_federation::coalitions::act(&context, &member, &initiative, &hosted.coalition, kind).await {
        Ok(_) => Redirect::to(&format!("/coalitie/{slug}?gedaan={done}")).into_response(),
        Err(e) => match refused_because(&e, visitor.tr) {
            Some(why) => again(&context, &visitor, hosted, form, action, Errors::new(), Errors::from([(action.field(), why)])).await,
            None => federation_failure(&context, &visitor, e).await,
        },
    }
}

/// The page again with what was typed and what is wrong.
async fn again(
    context: &Context,
    visitor: &Visitor,
    hosted: Hosted,
    form: CoalitionForm,
    action: Action,
    charter_errors: Errors,
    errors: Errors,
) -> Response {
    let form = if action == Action::ProposeCharter { form } else { form.with_charter(hosted.state.charter.as_ref()) };
    match coalition_page(context, visitor, hosted, form, charter_errors, errors).await {
        Ok(page) => render(visitor, StatusCode::UNPROCESSABLE_ENTITY, &page),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// A failure of the federation layer as a page: refusals as such, the rest as our fault.
async fn federation_failure(context: &Context, visitor: &Visitor, error: FederationError) -> Response {
    let domain = match error {
        FederationError::Forbidden(_) => DomainError::Forbidden,
        FederationError::NotFound => DomainError::NotFound,
        FederationError::Domain(e) => e,
        other => DomainError::Corrupt(other.to_string()),
    };
    error_page(context, visitor, &domain).await
}

pub async fn on_proposal(
    context: Context,
    Path(slug): Path<String>,
    MemberForm { visitor, member, form }: MemberForm<CoalitionForm>,
) -> Response {
    act(context, visitor, member, slug, form, Action::OnProposal).await
}

pub async fn propose_admission(
    context: Context,
    Path(slug): Path<String>,
    MemberForm { visitor, member, form }: MemberForm<CoalitionForm>,
) -> Response {
    act(context, visitor, member, slug, form, Action::ProposeAdmission).await
}

pub async fn propose_removal(
    context: Context,
    Path(slug): Path<String>,
    MemberForm { visitor, member, form }: MemberForm<CoalitionForm>,
) -> Response {
    act(context, visitor, member, slug, form, Action::ProposeRemoval).await
}

pub async fn propose_charter(
    context: Context,
    Path(slug): Path<String>,
    MemberForm { visitor, member, form }: MemberForm<CoalitionForm>,
) -> Response {
    act(context, visitor, member, slug, form, Action::ProposeCharter).await
}

pub async fn leave(
    context: Context,
    Path(slug): Path<String>,
    MemberForm { visitor, member, form }: MemberForm<CoalitionForm>,
) -> Response {
    act(context, visitor, member, slug, form, Action::Leave).await
}

// The coordinators' page: their coalitions, founding one, applying to one.

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
    tr: super::i18n::Tr,
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
    match super::coordinate::page(context, visitor, member, JustMade::coalition_forms(forms)).await {
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
    match buurtnet_federation::coalitions::act(&context, &member, &initiative, &form.coalition, vote).await {
        Ok(_) => {
            let done = if approve { "uitnodiging-aangenomen" } else { "uitnodiging-afgeslagen" };
            Redirect::to(&format!("/coordinatie?gedaan={done}")).into_response()
        }
        Err(FederationError::Domain(e)) => error_page(&context, &visitor, &e).await,
        Err(e) => {
            tracing::info!(error = %e, "answering an invitation failed");
            error_page(&context, &visitor, &DomainError::Forbidden).await
        }
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
    match buurtnet_federation::coalitions::found(&context, &member, &initiative, &slug, charter.clone()).await {
        Ok(_) => Redirect::to(&format!("/coalitie/{slug}?gedaan=coalitie-opgericht")).into_response(),
        Err(FederationError::Domain(DomainError::Conflict(_))) => {
            let errors = Errors::from([("found-slug", tr.t("coalition-slug-taken"))]);
            coordinate_again(&context, &visitor, &member, CoalitionForms { found: form, errors, ..Default::default() }).await
        }
        Err(e) => federation_failure(&context, &visitor, e).await,
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
    let why = match buurtnet_federation::coalitions::apply(&context, &member, &initiative, &replica).await {
        Ok(_) => {
            let page = page_of_replica(&context, replica.as_str());
            let page = if page.ends_with("/coalitie/") || page == replica.as_str() {
                "/coordinatie?gedaan=coalitie-aangemeld".into()
            } else {
                page
            };
            return Redirect::to(&page).into_response();
        }
        Err(FederationError::Forbidden(_)) => return error_page(&context, &visitor, &DomainError::Forbidden).await,
        Err(e) => refused_because(&e, tr).unwrap_or_else(|| {
            tracing::info!(%replica, error = %e, "applying to a coalition failed");
            tr.t("coalition-replica-not-found")
        }),
    };
    let errors = Errors::from([("join-replica", why)]);
    coordinate_again(&context, &visitor, &member, CoalitionForms { join: form, errors, ..Default::default() }).await
}

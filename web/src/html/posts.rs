//! One post's page (`/bericht/{id}` for anything this node holds, and the HTML of
//! `/notes/{id}`): a need or offer with its details and responses, an event with its time,
//! place and calendar link, or a plain post. Profiles of members and initiatives.

use super::attachments::{AttachmentView, Shown};
use super::extract::MemberForm;
use super::front::{ProposalView, category_label, describe_when};
use super::i18n::Tr;
use super::layout::{Frame, error_page, render};
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::{Actor, ActorKind, Event, Post, Proposal, ProposalState, Purpose, ResponseState, Visibility, html};
use buurtnet_domain::{DomainError, ops, store};
use buurtnet_federation::Context;

/// A response as its proposal's page shows it.
pub struct ResponseView {
    pub id: i64,
    pub who: String,
    pub message: String,
    pub state: String,
    /// Why it was declined without the author choosing to, in words.
    pub reason: Option<String>,
    /// Waiting for a decision the author can still make (the proposal is open).
    pub pending: bool,
}

/// The visitor's own response to someone else's offer or need, and what became of it.
pub struct MyResponse {
    pub message: String,
    /// In words: waiting, welcome, not needed (and why), not delivered.
    pub outcome: String,
    pub welcome: bool,
}

pub struct ProposalDetails {
    pub is_need: bool,
    pub title: String,
    pub category: String,
    pub neighbourhood: Option<String>,
    pub when: String,
    pub state: String,
    pub open: bool,
    pub description: String,
    /// Once helped: "Geholpen, 1,5 uur." when the hours are known.
    pub helped: Option<String>,
    /// The author's thanks, for the author's side and the helpers.
    pub thanks: Option<String>,
    /// The visitor speaks for the author and it is still open or being helped: the forms
    /// to mark it helped, withdraw it or change it are shown.
    pub manage: bool,
    /// For the coordinators alone (a resident's own need): a coordinator may pass it on.
    pub may_pass_on: bool,
    /// Passed on already: the page of the initiative's need it became.
    pub passed_on_href: Option<String>,
}

pub struct EventDetails {
    pub title: String,
    pub starts: String,
    pub ends: Option<String>,
    pub place: Option<String>,
    pub address: Option<String>,
    pub online_url: Option<String>,
    pub participants: String,
    pub cancelled: bool,
    /// Sanitised HTML.
    pub description: String,
}

#[derive(Template)]
#[template(path = "post.html")]
struct PostPage {
    frame: Frame,
    id: i64,
    author_name: String,
    author_href: String,
    published: String,
    /// Sanitised HTML of the post (shown when it is neither a proposal nor an event).
    content: String,
    content_warning: Option<String>,
    /// Pictures, video, audio and other files with the post.
    attachments: Vec<AttachmentView>,
    proposal: Option<ProposalDetails>,
    event: Option<EventDetails>,
    calendar_href: Option<String>,
    /// A date of a repeating event: "Komt elke week terug · alle datums".
    series: Option<super::series::SeriesLink>,
    rsvp: Option<super::events::RsvpView>,
    article: Option<super::knowledge::ArticleDetails>,
    /// (value, label) of whom the visitor may take an article over as.
    fork_as: Vec<(String, String)>,
    original_href: Option<String>,
    /// The visitor may respond (a member, not the author, the proposal open).
    can_respond: bool,
    /// Responding to a need ("I can help") rather than an offer.
    respond_to_need: bool,
    /// The visitor decides on responses (the author or its coordinator).
    responses: Option<Vec<ResponseView>>,
    /// (message kept, what was wrong) after a refused response or form.
    response_error: Option<(String, String)>,
    /// The visitor's own response to this offer or need.
    mine: Option<MyResponse>,
}

fn actor_href(actor: &Actor) -> String {
    if actor.is_local {
        let part = if actor.kind() == ActorKind::Group { "initiatives" } else { "users" };
        format!("/{part}/{}", actor.username)
    } else {
        format!("/actor/{}", actor.id)
    }
}

pub(super) fn state_key(state: ProposalState) -> &'static str {
    match state {
        ProposalState::Open => "state-open",
        ProposalState::InProgress => "state-in-progress",
        ProposalState::Fulfilled => "state-fulfilled",
        ProposalState::Withdrawn => "state-withdrawn",
        ProposalState::Expired => "state-expired",
    }
}

/// `/bericht/{id}`.
pub async fn page(context: Context, visitor: Visitor, Path(id): Path<i64>) -> Response {
    show(&context, &visitor, id, None, StatusCode::OK).await
}

/// The page of a post by its number here, as `visitor` may see it.
pub async fn show(context: &Context, visitor: &Visitor, id: i64, response_error: Option<(String, String)>, status: StatusCode) -> Response {
    match build(context, visitor, id, response_error).await {
        Ok(page) => render(visitor, status, &page),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

/// An event's page again, with its sign-up form for guests as sent and what is wrong.
pub async fn show_with_guest_form(context: &Context, visitor: &Visitor, id: i64, guest: super::guests::GuestPart) -> Response {
    match build(context, visitor, id, None).await {
        Ok(mut page) => {
            if let Some(rsvp) = page.rsvp.as_mut().filter(|r| r.guest.is_some()) {
                rsvp.guest = Some(guest);
            }
            render(visitor, StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => error_page(context, visitor, &e).await,
    }
}

async fn build(context: &Context, visitor: &Visitor, id: i64, response_error: Option<(String, String)>) -> Result<PostPage, DomainError> {
    let tr = visitor.tr;
    let reader = visitor.member();
    let ap_id = store::posts::by_id(&mut context.store.conn().await?, id).await.map_err(|_| DomainError::NotFound)?.ap_id;
    let post = ops::visibility::readable_post(&context.store, &ap_id, reader.map(|r| r.ap_id.as_str())).await?;
    let mut conn = context.store.conn().await?;
    let author = store::actors::by_id(&mut conn, post.author_id).await?;
    let proposal = store::proposals::by_post_id(&mut conn, post.id).await?;
    let event = store::events::by_post_id(&mut conn, post.id).await?;
    drop(conn);
    let is_authors_side = match reader {
        Some(r) => ops::actors::may_act_as(&context.store, r, &author).await?,
        None => false,
    };
    let open = proposal.as_ref().is_some_and(|p| p.state == ProposalState::Open);
    let respond_to_need = proposal.as_ref().is_some_and(|p| p.purpose == Purpose::Request);
    let responses = match (&proposal, is_authors_side && post.is_local) {
        (Some(_), true) => Some(response_views(context, &post, open, tr).await?),
        _ => None,
    };
    let mine = match (&proposal, reader) {
        (Some(_), Some(reader)) if !is_authors_side => my_response(context, &post, reader, tr).await?,
        _ => None,
    };
    let sees_thanks = is_authors_side || mine.as_ref().is_some_and(|m| m.welcome);
    let proposal_details = match proposal {
        Some(p) => Some(proposal_details(context, reader, &post, p, is_authors_side, sees_thanks, tr).await?),
        None => None,
    };
    let rsvp = match &event {
        Some(e) => Some(super::events::rsvp_view(context, visitor, &post, e, is_authors_side && post.is_local).await?),
        None => None,
    };
    let series = match &event {
        Some(_) => ops::series::of_post(&context.store, post.id).await?.map(|s| super::series::link(&s, post.id, tr)),
        None => None,
    };
    let article = ops::articles::of_post(&context.store, post.id).await?;
    let article_details = match &article {
        Some(a) => Some(super::knowledge::details(context, visitor, &post, a).await?),
        None => None,
    };
    let fork_as = match (reader, &article) {
        (Some(member), Some(_)) => fork_choices(context, member, tr).await?,
        _ => vec![],
    };
    let title = article
        .as_ref()
        .map(|a| a.title.clone())
        .or_else(|| proposal_details.as_ref().map(|p| p.title.clone()))
        .or_else(|| event.as_ref().map(|e| e.title.clone()))
        .unwrap_or_else(|| author.display_name.clone());
    Ok(PostPage {
        frame: Frame::new(context, visitor, title).await,
        id: post.id,
        author_name: author.display_name.clone(),
        author_href: actor_href(&author),
        published: super::local_time(post.published, tr),
        content: post.content.clone(),
        content_warning: post.summary.clone(),
        attachments: ops::media::of_post(&context.store, post.id)
            .await?
            .iter()
            .filter_map(|m| super::attachments::view(context, m, tr))
            .collect(),
        proposal: proposal_details,
        calendar_href: event.as_ref().map(|_| format!("/bericht/{}/agenda.ics", post.id)),
        series,
        rsvp,
        article: article_details,
        fork_as,
        event: event.map(|e| event_details(e, tr)),
        original_href: (!post.is_local).then(|| post.url.clone().unwrap_or_else(|| post.ap_id.clone())),
        can_respond: reader.is_some() && open && !is_authors_side && mine.is_none(),
        respond_to_need,
        responses,
        response_error,
        mine,
    })
}

/// A need or offer as its page shows it to the visitor: what the author's side may do with
/// it, whether a coordinator may pass it on, and where it went when it was.
async fn proposal_details(
    context: &Context,
    reader: Option<&Actor>,
    post: &Post,
    p: Proposal,
    is_authors_side: bool,
    sees_thanks: bool,
    tr: Tr,
) -> Result<ProposalDetails, DomainError> {
    let passed_on_to = match post.visibility {
        Visibility::Coordinators => store::proposals::passed_on_to(&mut context.store.conn().await?, post.id).await?,
        _ => None,
    };
    let may_pass_on = match reader {
        Some(reader) if passed_on_to.is_none() && p.state.is_active() && reader.id != post.author_id => {
            ops::proposals::readable_for_passing_on(&context.store, reader, post.id).await.is_ok()
        }
        _ => false,
    };
    Ok(ProposalDetails {
        is_need: p.purpose == Purpose::Request,
        title: p.title.clone(),
        category: category_label(&p.category, tr.lang),
        neighbourhood: p.neighbourhood.clone(),
        when: describe_when(p.when(), tr),
        state: tr.t(state_key(p.state)),
        open: p.state == ProposalState::Open,
        description: html::text_to_html(&p.description),
        helped: (p.state == ProposalState::Fulfilled).then(|| match p.hours_given {
            Some(hours) => tr.with("helped-with-hours", &[("hours", hours_in_words(hours, tr))]),
            None => tr.t("state-fulfilled"),
        }),
        thanks: p.thanks.clone().filter(|_| sees_thanks),
        manage: is_authors_side && post.is_local && !post.is_deleted() && p.state.is_active(),
        may_pass_on,
        passed_on_href: passed_on_to.map(|id| format!("/bericht/{id}")),
    })
}

/// An event's time, place and places left, in the visitor's words.
fn event_details(e: Event, tr: Tr) -> EventDetails {
    EventDetails {
        title: e.title.clone(),
        starts: super::local_time(e.starts_at, tr),
        ends: e.ends_at.map(|t| super::local_time(t, tr)),
        place: e.place_name.clone(),
        address: e.place_address.clone(),
        online_url: e.online_url.clone(),
        participants: match e.capacity {
            Some(cap) => tr.with("participants-of", &[("count", e.participant_count.to_string()), ("capacity", cap.to_string())]),
            None => tr.count("participants-count", e.participant_count),
        },
        cancelled: e.is_cancelled(),
        description: html::text_to_html(&e.description),
    }
}

/// (value, label) of whom `member` may take an article over as: herself or an initiative
/// she coordinates.
async fn fork_choices(context: &Context, member: &Actor, tr: Tr) -> Result<Vec<(String, String)>, DomainError> {
    let mut options = vec![("self".to_string(), tr.t("post-as-myself"))];
    for i in ops::browse::coordinated_by(&context.store, member).await? {
        options.push((i.username.clone(), i.display_name.clone()));
    }
    Ok(options)
}

/// Hours as people write them here: "1,5" in Dutch, "1.5" in English.
fn hours_in_words(hours: f64, tr: super::i18n::Tr) -> String {
    let text = format!("{}", (hours * 100.0).round() / 100.0);
    if tr.lang == super::i18n::Lang::Nl { text.replace('.', ",") } else { text }
}

/// Why a response was declined, in words: one of our reasons, or the words another server
/// sent.
fn reason_in_words(response: &buurtnet_domain::model::Response, tr: super::i18n::Tr) -> Option<String> {
    use buurtnet_domain::model::DeclineReason;
    match response.decline_reason() {
        Some(reason) => Some(tr.t(match reason {
            DeclineReason::OtherChosen => "decline-reason-other-chosen",
            DeclineReason::BeingHelped => "decline-reason-in-progress",
            DeclineReason::Helped => "decline-reason-fulfilled",
            DeclineReason::Withdrawn => "decline-reason-withdrawn",
            DeclineReason::Expired => "decline-reason-expired",
        })),
        None => response.reason.clone().filter(|r| !r.trim().is_empty()),
    }
}

/// The visitor's own response to this proposal, if she gave one.
async fn my_response(context: &Context, post: &Post, reader: &Actor, tr: super::i18n::Tr) -> Result<Option<MyResponse>, DomainError> {
    let Some(response) = store::responses::of_responder(&mut context.store.conn().await?, post.id, reader.id).await? else {
        return Ok(None);
    };
    let outcome = match response.state {
        ResponseState::Pending => tr.t("response-yours-pending"),
        ResponseState::Accepted => tr.t("response-yours-accepted"),
        ResponseState::Undelivered => tr.t("response-yours-undelivered"),
        ResponseState::Rejected => reason_in_words(&response, tr).unwrap_or_else(|| tr.t("response-yours-declined")),
    };
    Ok(Some(MyResponse { message: response.message.clone(), outcome, welcome: response.state == ResponseState::Accepted }))
}

async fn response_views(context: &Context, post: &Post, open: bool, tr: super::i18n::Tr) -> Result<Vec<ResponseView>, DomainError> {
    let mut conn = context.store.conn().await?;
    let mut views = Vec::new();
    for response in store::responses::for_proposal(&mut conn, post.id).await? {
        let who = store::actors::by_id(&mut conn, response.responder_id).await?;
        let (state, pending) = match response.state {
            ResponseState::Pending => (tr.t("response-pending"), open),
            ResponseState::Accepted => (tr.t("response-accepted"), false),
            ResponseState::Undelivered => (tr.t("response-undelivered"), false),
            ResponseState::Rejected => (tr.t("response-declined"), false),
        };
        views.push(ResponseView {
            id: response.id,
            who: format!("{} (@{})", who.display_name, who.handle()),
            reason: reason_in_words(&response, tr),
            message: response.message,
            state,
            pending,
        });
    }
    Ok(views)
}

#[derive(serde::Deserialize)]
pub struct DecisionForm {
    /// `accept` or `decline`.
    #[serde(default)]
    decision: String,
}

/// The author (or its coordinator) accepts or declines a response.
pub async fn decide(
    context: Context,
    Path((id, response_id)): Path<(i64, i64)>,
    MemberForm { visitor, member, form }: MemberForm<DecisionForm>,
) -> Response {
    match ops::responses::decide(&context.store, &context.urls, &member, response_id, form.decision == "accept").await {
        Ok(response) if response.proposal_post_id == id => {
            context.wake_delivery();
            let done = if form.decision == "accept" { "geaccepteerd" } else { "afgewezen" };
            Redirect::to(&format!("/bericht/{id}?gedaan={done}")).into_response()
        }
        Ok(_) => super::not_found(context, visitor).await,
        Err(DomainError::Conflict(message)) => {
            let problem = super::layout::say(&message, visitor.tr);
            show(&context, &visitor, id, Some((String::new(), problem)), StatusCode::CONFLICT).await
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// A member's or initiative's page (an initiative's adds how to reach it, see
/// [`super::initiatives`], whose page derefs to this one for the shared template).
#[derive(Template)]
#[template(path = "profile.html")]
pub(super) struct ProfilePage {
    pub(super) frame: Frame,
    pub(super) name: String,
    pub(super) handle: String,
    /// Sanitised HTML.
    pub(super) summary: String,
    pub(super) is_initiative: bool,
    pub(super) proposals: Vec<ProposalView>,
    pub(super) posts: Vec<(String, String, String)>,
    pub(super) calendar_href: String,
    /// The feeds' address without `.atom` / `.rss`.
    pub(super) feed_base: String,
    pub(super) id: i64,
    pub(super) username: String,
    pub(super) follow_options: Vec<super::people::FollowOption>,
    pub(super) moved: Option<super::people::Moved>,
}

/// The page of a member or initiative of this node.
pub async fn profile(context: &Context, visitor: &Visitor, name: &str, kind: ActorKind) -> Response {
    match profile_page(context, visitor, name, kind).await {
        Ok(page) => render(visitor, StatusCode::OK, &page),
        Err(e) => error_page(context, visitor, &e).await,
    }
}

async fn profile_page(context: &Context, visitor: &Visitor, name: &str, kind: ActorKind) -> Result<ProfilePage, DomainError> {
    let mut conn = context.store.conn().await?;
    let actor = store::actors::local_by_username(&mut conn, name).await?.filter(|a| a.kind() == kind).ok_or(DomainError::NotFound)?;
    if store::actors::is_deleted(&mut conn, actor.id).await? {
        return Err(DomainError::Gone);
    }
    drop(conn);
    profile_of(context, visitor, &actor).await
}

/// The page of a local member or initiative: its recent public posts, its open offers and
/// needs as the visitor may see them, and how to follow it.
pub(super) async fn profile_of(context: &Context, visitor: &Visitor, actor: &Actor) -> Result<ProfilePage, DomainError> {
    let tr = visitor.tr;
    let posts = store::posts::public_by_author(&mut context.store.conn().await?, actor.id, 20, 0).await?;
    let all = ops::browse::open_proposals(&context.store, visitor.member(), &Default::default(), 200).await?;
    let proposals = all.iter().filter(|c| c.author.id == actor.id).map(|c| ProposalView::new(c, tr)).collect();
    let follow_options = match visitor.member() {
        Some(member) => super::people::follow_options(context, member, actor, tr).await?,
        None => vec![],
    };
    Ok(ProfilePage {
        frame: Frame::new(context, visitor, actor.display_name.clone()).await,
        name: actor.display_name.clone(),
        handle: actor.handle(),
        summary: html::sanitize(&actor.summary),
        is_initiative: actor.kind() == ActorKind::Group,
        proposals,
        posts: posts.iter().map(|p| (format!("/bericht/{}", p.id), super::local_time(p.published, tr), p.content.clone())).collect(),
        calendar_href: format!("{}/calendar.ics", actor.ap_id),
        feed_base: format!("{}/feed", actor.ap_id),
        id: actor.id,
        username: actor.username.clone(),
        follow_options,
        moved: super::people::moved(context, actor).await?,
    })
}

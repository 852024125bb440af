//! Offers and needs: publishing, changing, withdrawing, expiring, and storing those peers
//! send. A proposal is a post (readable text, visibility, federation id) plus its fields; both
//! are written with the outbox entry in one transaction.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, DEFAULT_CATEGORIES, NewPost, Post, ProposalDraft, ProposalState, Visibility, category_tag, html};
use crate::now_ms;
use crate::outbox::Outgoing;
use crate::store::proposals::ProposalRow;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

fn row(draft: &ProposalDraft) -> ProposalRow<'_> {
    ProposalRow {
        purpose: draft.purpose,
        title: draft.title.trim(),
        description: draft.description.trim(),
        category: draft.category.trim(),
        neighbourhood: draft.neighbourhood.as_deref().map(str::trim).filter(|n| !n.is_empty()),
        when: draft.when,
        expires_at: draft.expires_at,
    }
}

/// The text Mastodon readers see of a proposal in `state`: once it is no longer open, a line
/// that says so ("Er wordt al geholpen.", "Geholpen!") above the rest.
pub fn render_in_state(draft: &ProposalDraft, state: ProposalState) -> String {
    match state.headline_nl() {
        Some(headline) => format!("<p><strong>{headline}</strong></p>{}", render(draft)),
        None => render(draft),
    }
}

/// The text Mastodon readers see: title first, then the description, the details in words,
/// and the hashtags.
pub fn render(draft: &ProposalDraft) -> String {
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let kind = match draft.purpose {
        crate::model::Purpose::Offer => "Hulpaanbod",
        crate::model::Purpose::Request => "Hulpvraag",
    };
    let mut details = vec![format!("Categorie: {}", escape(draft.category.trim())), format!("Wanneer: {}", draft.when.describe_nl())];
    if let Some(area) = draft.neighbourhood.as_deref().filter(|n| !n.trim().is_empty()) {
        details.insert(1, format!("Buurt: {}", escape(area.trim())));
    }
    format!(
        "<p><strong>{kind}: {}</strong></p>{}<p>{}</p><p>#{} #{}</p>",
        escape(draft.title.trim()),
        html::text_to_html(&draft.description),
        details.join(" · "),
        draft.purpose.label(),
        category_tag(&draft.category)
    )
}

/// Who sees a proposal and for whom it was posted.
#[derive(Debug, Clone, Default)]
pub struct Audience {
    /// `None`: needs get the initiative's default scope, offers are public.
    pub visibility: Option<Visibility>,
    /// A resident a coordinator posts a need for. Stays on this node: the network sees the
    /// initiative as the author.
    pub on_behalf_of: Option<String>,
}

/// Publishes an offer or need as `author` (the member, or an initiative it coordinates).
pub async fn publish(
    store: &Store,
    urls: &LocalUrls,
    member: &Actor,
    author: &Actor,
    draft: &ProposalDraft,
    audience: &Audience,
) -> Result<Post> {
    super::actors::may_publish_as(store, member, author).await?;
    draft.validate(DEFAULT_CATEGORIES, now_ms())?;
    let visibility = audience.visibility.unwrap_or_else(|| default_visibility(author, draft.purpose));
    visibility.for_an_audience()?;
    if visibility == Visibility::Coordinators && author.kind() != crate::model::ActorKind::Person {
        return Err(DomainError::invalid("visibility", Say::CoordinatorsOnlyForOwnNeed));
    }
    if audience.on_behalf_of.is_some() && (author.kind() != crate::model::ActorKind::Group || member.id == author.id) {
        return Err(DomainError::invalid("on_behalf_of", Say::OnBehalfOnlyForInitiative));
    }
    if audience.on_behalf_of.as_deref().is_some_and(|resident| crate::model::names_resident(draft, resident)) {
        return Err(DomainError::invalid("title", Say::NamesTheResident));
    }
    let mut tx = store.begin().await?;
    let post = insert_dated(&mut tx, urls, author, draft, visibility, now_ms()).await?;
    if let Some(resident) = audience.on_behalf_of.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        store::proposals::set_resident(&mut tx, post.id, resident).await?;
        store::proposals::mark_for_resident(&mut tx, post.id).await?;
    } else if draft.purpose == crate::model::Purpose::Request && author.kind() == crate::model::ActorKind::Person {
        store::proposals::mark_for_resident(&mut tx, post.id).await?;
    }
    tx.commit().await?;
    suggest_matches(store, post.id).await;
    Ok(post)
}

/// Stores a checked offer or need of `author`, published at `published`, and queues its
/// `Create` (in the caller's transaction). An offer or need handed over from another node
/// keeps the time it was first published there.
pub(crate) async fn insert_dated(
    tx: &mut store::Tx,
    urls: &LocalUrls,
    author: &Actor,
    draft: &ProposalDraft,
    visibility: Visibility,
    published: i64,
) -> Result<Post> {
    let new = NewPost { published, ..NewPost::local(author.id, render(draft), draft.description.trim().to_string(), visibility) };
    let post = super::posts::insert_local(tx, urls, new).await?;
    store::proposals::insert(tx, post.id, &row(draft)).await?;
    super::posts::announce_created(tx, &post).await?;
    Ok(post)
}

/// Who sees an offer or need when nobody chose: a resident's own need only her coordinators
/// (the most private choice that still reaches someone who can help; she may choose wider),
/// an initiative's need its own default, offers everyone.
pub fn default_visibility(author: &Actor, purpose: crate::model::Purpose) -> Visibility {
    match (purpose, author.kind()) {
        (crate::model::Purpose::Offer, _) => Visibility::Public,
        (crate::model::Purpose::Request, crate::model::ActorKind::Person) => Visibility::Coordinators,
        (crate::model::Purpose::Request, _) => author.default_need_visibility,
    }
}

/// Who will see an offer or need, by name, for the preview a person reads before posting.
#[derive(Debug, Clone, PartialEq)]
pub struct AudienceView {
    pub visibility: Visibility,
    /// The people who will see it, when that is a small circle (the coordinators).
    pub people: Vec<String>,
    /// The initiatives whose members will see it (here, or in the coalition).
    pub initiatives: Vec<String>,
    /// Whether the author's name goes with it.
    pub name_shown: bool,
}

/// Who would see what `author` posts with `visibility` (`None`: the default for `purpose`).
pub async fn audience_of(
    store: &Store,
    author: &Actor,
    purpose: crate::model::Purpose,
    visibility: Option<Visibility>,
) -> Result<AudienceView> {
    let visibility = visibility.unwrap_or_else(|| default_visibility(author, purpose));
    let mut conn = store.conn().await?;
    let name = |a: &Actor| if a.display_name.trim().is_empty() { a.username.clone() } else { a.display_name.clone() };
    let mut view = AudienceView { visibility, people: vec![], initiatives: vec![], name_shown: true };
    match visibility {
        Visibility::Coordinators => {
            view.name_shown = false;
            let hers: Vec<i64> = store::actors::roles_of(&mut conn, author.id).await?.into_iter().map(|(i, _)| i).collect();
            let initiatives = if hers.is_empty() { store::actors::local_initiative_ids(&mut conn).await? } else { hers };
            for initiative in initiatives {
                view.initiatives.push(name(&store::actors::by_id(&mut conn, initiative).await?));
                for id in store::actors::initiative_members_with_role(&mut conn, initiative, super::actors::ROLE_COORDINATOR).await? {
                    let person = name(&store::actors::by_id(&mut conn, id).await?);
                    if !view.people.contains(&person) {
                        view.people.push(person);
                    }
                }
            }
        }
        Visibility::Local => {
            for id in store::actors::local_initiative_ids(&mut conn).await? {
                view.initiatives.push(name(&store::actors::by_id(&mut conn, id).await?));
            }
        }
        Visibility::Coalition => {
            for (initiative, _) in store::actors::roles_of(&mut conn, author.id).await? {
                view.initiatives.push(name(&store::actors::by_id(&mut conn, initiative).await?));
            }
            for partner in super::coalitions::partners(&mut conn, author.id).await? {
                if let Some(actor) = store::actors::by_ap_id(&mut conn, &partner).await? {
                    view.initiatives.push(name(&actor));
                }
            }
            view.initiatives.dedup();
        }
        _ => {}
    }
    Ok(view)
}

/// A resident's need (for the coordinators alone) that `coordinator` may pass on, not yet
/// passed on and still active.
pub async fn readable_for_passing_on(store: &Store, coordinator: &Actor, post_id: i64) -> Result<crate::model::Proposal> {
    let mut conn = store.conn().await?;
    let post = store::posts::by_id(&mut conn, post_id).await?;
    let proposal = store::proposals::by_post_id(&mut conn, post_id).await?.ok_or(DomainError::NotFound)?;
    let already = store::proposals::passed_on_to(&mut conn, post_id).await?;
    drop(conn);
    let may = post.visibility == Visibility::Coordinators
        && post.author_id != coordinator.id
        && super::visibility::may_read(store, &post, Some(&coordinator.ap_id)).await?;
    if !may {
        return Err(DomainError::NotFound);
    }
    if already.is_some() || !proposal.state.is_active() {
        return Err(DomainError::conflict(Say::NeedPassedOnAlready));
    }
    Ok(proposal)
}

/// A coordinator passes a resident's need that only the coordinators see on as a need of the
/// initiative, without her name (`draft` is what the coordinator wrote; naming her is refused
/// as for any need on behalf of a resident). Her own need then follows its state: she sees
/// when someone helps and when it is done.
pub async fn pass_on(
    store: &Store,
    urls: &LocalUrls,
    coordinator: &Actor,
    initiative: &Actor,
    original_id: i64,
    draft: &ProposalDraft,
    visibility: Option<Visibility>,
) -> Result<Post> {
    readable_for_passing_on(store, coordinator, original_id).await?;
    let mut conn = store.conn().await?;
    let original = store::posts::by_id(&mut conn, original_id).await?;
    let resident = store::actors::by_id(&mut conn, original.author_id).await?;
    drop(conn);
    let name = if resident.display_name.trim().is_empty() { resident.username.clone() } else { resident.display_name.clone() };
    let audience = Audience { visibility, on_behalf_of: Some(format!("{name} (@{})", resident.username)) };
    let passed_on = publish(store, urls, coordinator, initiative, draft, &audience).await?;
    let mut tx = store.begin().await?;
    store::proposals::set_passed_on(&mut tx, original_id, passed_on.id).await?;
    tx.commit().await?;
    Ok(passed_on)
}

/// A need passed on for a resident moved to `state`: her own need follows, and she hears it.
async fn follow_passed_on(tx: &mut store::Tx, passed_on: &Post, state: ProposalState) -> Result<()> {
    let Some(original_id) = store::proposals::passed_on_from(tx, passed_on.id).await? else { return Ok(()) };
    store::proposals::set_state(tx, original_id, state).await?;
    let original = store::posts::by_id(tx, original_id).await?;
    let kind = match state {
        ProposalState::InProgress => super::responses::KIND_HELPER_FOUND,
        ProposalState::Fulfilled => super::responses::KIND_PROPOSAL_FULFILLED,
        _ => return Ok(()),
    };
    store::notifications::insert_once_by(tx, original.author_id, kind, original_id, passed_on.author_id).await?;
    Ok(())
}

/// Matching is a courtesy: a failure is logged, never fails the publication.
pub(crate) async fn suggest_matches(store: &Store, post_id: i64) {
    if let Err(e) = super::matching::suggest_for(store, post_id).await {
        tracing::warn!(error = %e, post_id, "suggesting matches failed");
    }
}

/// Changes an open proposal and announces the `Update`.
pub async fn change(store: &Store, member: &Actor, post_id: i64, draft: &ProposalDraft) -> Result<Post> {
    let (post, proposal) = own_active_proposal(store, member, post_id).await?;
    draft.validate(DEFAULT_CATEGORIES, now_ms())?;
    let mut tx = store.begin().await?;
    store::proposals::update(&mut tx, post.id, &row(draft)).await?;
    let edit = crate::model::PostEdit {
        content: render_in_state(draft, proposal.state),
        source: Some(draft.description.trim().to_string()),
        summary: None,
        updated: now_ms(),
    };
    super::posts::change_text(&mut tx, &post, &edit).await?;
    if post.visibility.federates() {
        store::outbox::push(&mut tx, &Outgoing::PostUpdated { post_id: post.id }).await?;
    }
    let post = store::posts::by_id(&mut tx, post.id).await?;
    tx.commit().await?;
    Ok(post)
}

/// Withdraws a proposal: every copy shows it as withdrawn (an `Update`, not a `Delete`: the
/// figures still count it as asked), and whoever responded and was not chosen hears why.
pub async fn withdraw(store: &Store, member: &Actor, post_id: i64) -> Result<()> {
    let (post, _) = own_active_proposal(store, member, post_id).await?;
    close(store, &post, ProposalState::Withdrawn).await
}

/// Expires every local proposal whose time has come. Returns how many.
pub async fn expire_due(store: &Store) -> Result<usize> {
    let due = store::proposals::due_for_expiry(&mut store.conn().await?, now_ms()).await?;
    for post_id in &due {
        let post = store::posts::by_id(&mut store.conn().await?, *post_id).await?;
        close(store, &post, ProposalState::Expired).await?;
    }
    Ok(due.len())
}

async fn close(store: &Store, post: &Post, state: ProposalState) -> Result<()> {
    let mut tx = store.begin().await?;
    if !move_to(&mut tx, post, &[ProposalState::Open, ProposalState::InProgress], state).await? {
        return Err(DomainError::Gone);
    }
    if let Some(reason) = crate::model::DeclineReason::for_state(state) {
        super::responses::decline_pending(&mut tx, post, reason).await?;
    }
    super::responses::tell_accepted_helpers(&mut tx, post, state).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a local proposal from one of `from` to `to`, rewrites the text readers see, and
/// sends the `Update` to everyone who holds a copy. Returns false (changing nothing) when it
/// was in none of `from`.
pub(crate) async fn move_to(tx: &mut store::Tx, post: &Post, from: &[ProposalState], to: ProposalState) -> Result<bool> {
    if !store::proposals::transition(tx, post.id, from, to).await? {
        return Ok(false);
    }
    let proposal = store::proposals::by_post_id(tx, post.id).await?.ok_or(DomainError::NotFound)?;
    let edit = crate::model::PostEdit {
        content: render_in_state(&proposal.draft(), to),
        source: post.source.clone(),
        summary: post.summary.clone(),
        updated: now_ms(),
    };
    super::posts::change_text(tx, post, &edit).await?;
    if post.visibility.federates() {
        store::outbox::push(tx, &Outgoing::PostUpdated { post_id: post.id }).await?;
    }
    follow_passed_on(tx, post, to).await?;
    Ok(true)
}

/// A local post is being deleted: an offer or need among them counts as withdrawn from now
/// on, and pending responses are declined (the `Delete` itself goes out with the post's).
pub(crate) async fn on_deleted(tx: &mut store::Tx, post: &Post) -> Result<()> {
    if store::proposals::transition(tx, post.id, &[ProposalState::Open, ProposalState::InProgress], ProposalState::Withdrawn).await? {
        super::responses::decline_pending(tx, post, crate::model::DeclineReason::Withdrawn).await?;
    }
    Ok(())
}

/// A local proposal `member` may change, with its fields, while it is open or being helped.
pub async fn own_active_proposal(store: &Store, member: &Actor, post_id: i64) -> Result<(Post, crate::model::Proposal)> {
    let mut conn = store.conn().await?;
    let post = store::posts::by_id(&mut conn, post_id).await?;
    let proposal = store::proposals::by_post_id(&mut conn, post_id).await?.ok_or(DomainError::NotFound)?;
    let author = store::actors::by_id(&mut conn, post.author_id).await?;
    drop(conn);
    if !post.is_local || !super::actors::may_act_as(store, member, &author).await? {
        return Err(DomainError::Forbidden);
    }
    if post.is_deleted() || !proposal.state.is_active() {
        return Err(DomainError::Gone);
    }
    Ok((post, proposal))
}

/// Stores the fields of a proposal a peer sent, beside its post (in the caller's
/// transaction). An unknown category becomes `overig`.
/// A state the author sent moves the copy too; a member here whose help was accepted hears
/// when the author withdraws it.
pub(crate) async fn apply_remote(tx: &mut store::Tx, post: &Post, draft: &ProposalDraft, state: Option<ProposalState>) -> Result<()> {
    let mut checked = draft.clone();
    if !DEFAULT_CATEGORIES.iter().any(|c| c.eq_ignore_ascii_case(checked.category.trim())) {
        checked.category = "overig".into();
    }
    checked.expires_at = None;
    checked.validate(DEFAULT_CATEGORIES, now_ms())?;
    if store::proposals::by_post_id(tx, post.id).await?.is_some() {
        store::proposals::update(tx, post.id, &row(&checked)).await?;
    } else {
        store::proposals::insert(tx, post.id, &row(&checked)).await?;
    }
    if let Some(state) = state {
        let before = store::proposals::by_post_id(tx, post.id).await?.map(|p| p.state);
        store::proposals::set_state(tx, post.id, state).await?;
        if before != Some(state) {
            super::responses::tell_accepted_helpers(tx, post, state).await?;
        }
    }
    Ok(())
}

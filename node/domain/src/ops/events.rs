//! Publishing events and storing those peers send. An event is a post (readable text,
//! visibility, federation id) plus its fields, written with the outbox entry in one
//! transaction. Moving or cancelling an event reaches everyone who takes part, here by a
//! notification, elsewhere by the `Update` their node receives. RSVP lives in `rsvp`.

use super::guests::{GuestNews, GuestTeller};
use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, EVENT_CANCELLED, Event, EventDraft, EventQuestions, NewPost, Post, PostEdit, Visibility, html};
use crate::now_ms;
use crate::outbox::Outgoing;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

/// Notification kinds for people taking part, and for initiatives asked to co-organise.
pub const KIND_EVENT_MOVED: &str = "event_moved";
pub const KIND_EVENT_CANCELLED: &str = "event_cancelled";
pub const KIND_CO_ORGANISER_ASKED: &str = "co_organiser_asked";

/// Title first, then the time and place in words, the description, and a hashtag.
pub fn render(draft: &EventDraft) -> String {
    render_with_state(draft, false)
}

/// As [`render`], with "Afgelast" in front when the event is cancelled.
pub fn render_with_state(draft: &EventDraft, cancelled: bool) -> String {
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<p><strong>{}{}</strong></p><p>{}</p>{}<p>#activiteit</p>",
        if cancelled { "Afgelast: " } else { "" },
        escape(draft.title.trim()),
        escape(&draft.summary_nl()),
        html::text_to_html(&draft.description)
    )
}

pub async fn publish(
    store: &Store,
    urls: &LocalUrls,
    member: &Actor,
    author: &Actor,
    draft: &EventDraft,
    visibility: Visibility,
) -> Result<Post> {
    publish_asking(store, urls, (member, author), draft, visibility, EventQuestions::default()).await
}

/// As [`publish`], with the questions asked of those who join (`who`: the member, and whom
/// she posts as).
pub async fn publish_asking(
    store: &Store,
    urls: &LocalUrls,
    (member, author): (&Actor, &Actor),
    draft: &EventDraft,
    visibility: Visibility,
    questions: EventQuestions,
) -> Result<Post> {
    super::actors::may_publish_as(store, member, author).await?;
    draft.validate()?;
    visibility.for_an_audience()?;
    let mut tx = store.begin().await?;
    let post = insert(&mut tx, urls, author, draft, (visibility, questions)).await?;
    tx.commit().await?;
    Ok(post)
}

/// Stores a checked local event and queues its `Create` (in the caller's transaction).
pub(crate) async fn insert(
    tx: &mut store::Tx,
    urls: &LocalUrls,
    author: &Actor,
    draft: &EventDraft,
    (visibility, questions): (Visibility, EventQuestions),
) -> Result<Post> {
    insert_dated(tx, urls, author, draft, (visibility, questions), now_ms()).await
}

/// As [`insert`], published at `published` (an event handed over from another node keeps the
/// time it was first published there).
pub(crate) async fn insert_dated(
    tx: &mut store::Tx,
    urls: &LocalUrls,
    author: &Actor,
    draft: &EventDraft,
    (visibility, questions): (Visibility, EventQuestions),
    published: i64,
) -> Result<Post> {
    let new = NewPost { published, ..NewPost::local(author.id, render(draft), draft.description.trim().to_string(), visibility) };
    let post = super::posts::insert_local(tx, urls, new).await?;
    store::events::upsert(tx, post.id, draft).await?;
    store::events::set_questions(tx, post.id, questions).await?;
    super::posts::announce_created(tx, &post).await?;
    Ok(post)
}

/// The event of a post, if it is one.
pub async fn of_post(store: &Store, post_id: i64) -> Result<Option<Event>> {
    store::events::by_post_id(&mut store.conn().await?, post_id).await
}

/// A local event changes (a new time, another place, other details). Everyone taking part
/// hears of a move.
pub async fn update(store: &Store, member: &Actor, post_id: i64, draft: &EventDraft) -> Result<Event> {
    update_asking(store, member, post_id, draft, (None, None)).await
}

/// As [`update`], also changing the questions asked of those who join when `questions` is
/// given; guests with an address hear of a move by mail when `teller` is given.
pub async fn update_asking(
    store: &Store,
    member: &Actor,
    post_id: i64,
    draft: &EventDraft,
    (questions, teller): (Option<EventQuestions>, Option<GuestTeller<'_>>),
) -> Result<Event> {
    let post = super::posts::own_post(store, member, post_id).await?;
    let old = of_post(store, post_id).await?.ok_or(DomainError::NotFound)?;
    draft.validate()?;
    let mut tx = store.begin().await?;
    store::events::upsert(&mut tx, post.id, draft).await?;
    if let Some(questions) = questions {
        store::events::set_questions(&mut tx, post.id, questions).await?;
    }
    rewrite_post(&mut tx, &post, draft, old.is_cancelled()).await?;
    if old.is_moved_by(draft) {
        tell_local_participants(&mut tx, post.id, KIND_EVENT_MOVED).await?;
        super::guests::tell_all(&mut tx, post.id, GuestNews::Moved, teller).await?;
    }
    tx.commit().await?;
    of_post(store, post_id).await?.ok_or(DomainError::NotFound)
}

/// A local event is called off. It stays readable, marked "Afgelast", and everyone taking
/// part hears of it.
pub async fn cancel(store: &Store, member: &Actor, post_id: i64) -> Result<Event> {
    cancel_telling(store, member, post_id, None).await
}

/// As [`cancel`]; guests with an address hear of it by mail when `teller` is given.
pub async fn cancel_telling(store: &Store, member: &Actor, post_id: i64, teller: Option<GuestTeller<'_>>) -> Result<Event> {
    let post = super::posts::own_post(store, member, post_id).await?;
    let event = of_post(store, post_id).await?.ok_or(DomainError::NotFound)?;
    if event.is_cancelled() {
        return Ok(event);
    }
    let mut tx = store.begin().await?;
    store::events::set_state(&mut tx, post.id, EVENT_CANCELLED).await?;
    rewrite_post(&mut tx, &post, &event.draft(), true).await?;
    tell_local_participants(&mut tx, post.id, KIND_EVENT_CANCELLED).await?;
    super::guests::tell_all(&mut tx, post.id, GuestNews::Cancelled, teller).await?;
    tx.commit().await?;
    of_post(store, post_id).await?.ok_or(DomainError::NotFound)
}

/// New text for the event's post, and the `Update` that carries it (and the event) out.
async fn rewrite_post(tx: &mut store::Tx, post: &Post, draft: &EventDraft, cancelled: bool) -> Result<()> {
    let change = PostEdit {
        content: render_with_state(draft, cancelled),
        source: Some(draft.description.trim().to_string()),
        summary: None,
        updated: now_ms(),
    };
    super::posts::change_text(tx, post, &change).await?;
    if post.visibility.federates() {
        store::outbox::push(tx, &Outgoing::PostUpdated { post_id: post.id }).await?;
    }
    Ok(())
}

/// Notifies the local people who take part (or asked to) in an event.
async fn tell_local_participants(tx: &mut store::Tx, post_id: i64, kind: &str) -> Result<()> {
    for participant_id in store::participants::interested_ids(tx, post_id).await? {
        if store::actors::by_id(tx, participant_id).await?.is_local {
            store::notifications::insert(tx, participant_id, kind, post_id, None).await?;
        }
    }
    Ok(())
}

/// The author's coordinator names another initiative (here or on another node) as
/// co-organiser. The event is addressed to it from then on, so its node receives it.
pub async fn add_co_organiser(store: &Store, member: &Actor, post_id: i64, organiser: &Actor) -> Result<()> {
    let post = super::posts::own_post(store, member, post_id).await?;
    of_post(store, post_id).await?.ok_or(DomainError::NotFound)?;
    if organiser.kind() != crate::model::ActorKind::Group || organiser.id == post.author_id {
        return Err(DomainError::invalid("organiser", Say::ChooseAnotherInitiative));
    }
    let mut tx = store.begin().await?;
    store::events::add_organiser(&mut tx, post.id, &organiser.ap_id, true).await?;
    store::posts::add_recipient(&mut tx, post.id, &organiser.ap_id).await?;
    store::posts::touch(&mut tx, post.id).await?;
    if post.visibility.federates() {
        store::outbox::push(&mut tx, &Outgoing::PostUpdated { post_id: post.id }).await?;
    }
    tx.commit().await
}

/// A coordinator of a local initiative that a peer's event names as co-organiser confirms
/// it; only then does the event show in the initiative's agenda and calendar.
pub async fn confirm_co_organising(store: &Store, member: &Actor, post_id: i64, initiative: &Actor) -> Result<()> {
    if !initiative.is_local || !super::actors::may_act_as(store, member, initiative).await? {
        return Err(DomainError::Forbidden);
    }
    let mut tx = store.begin().await?;
    let named = store::events::organisers(&mut tx, post_id).await?.into_iter().any(|(id, _)| id == initiative.ap_id);
    if !named {
        return Err(DomainError::NotFound);
    }
    store::events::add_organiser(&mut tx, post_id, &initiative.ap_id, true).await?;
    tx.commit().await
}

/// A peer's event names co-organisers: those that are initiatives here are recorded
/// unconfirmed and their coordinators asked (in the caller's transaction).
pub(crate) async fn apply_organisers(tx: &mut store::Tx, post: &Post, organiser_ap_ids: &[String]) -> Result<()> {
    let known: Vec<String> = store::events::organisers(tx, post.id).await?.into_iter().map(|(id, _)| id).collect();
    for id in organiser_ap_ids.iter().take(20).filter(|id| !known.contains(id)) {
        let Some(initiative) = store::actors::by_ap_id(tx, id).await?.filter(|a| a.is_local) else { continue };
        if initiative.kind() != crate::model::ActorKind::Group {
            continue;
        }
        store::events::add_organiser(tx, post.id, id, false).await?;
        for person in super::matching::people_behind(tx, &initiative).await? {
            store::notifications::insert(tx, person.id, KIND_CO_ORGANISER_ASKED, post.id, None).await?;
        }
    }
    Ok(())
}

/// What a peer says about its event beyond the fields people enter.
#[derive(Debug, Clone, Copy, Default)]
pub struct RemoteEventState {
    pub cancelled: bool,
    pub participant_count: Option<i64>,
}

/// Stores the fields of an event a peer sent, beside its post (in the caller's transaction).
/// Remote fields are cut to our limits; an event without place or link is taken as online.
/// Local people who take part hear when it moves or is cancelled.
pub(crate) async fn apply_remote(tx: &mut store::Tx, post: &Post, draft: &EventDraft, remote: RemoteEventState) -> Result<()> {
    let mut checked = draft.clone();
    checked.title = checked.title.chars().take(120).collect();
    checked.description = checked.description.chars().take(4000).collect();
    if checked.place.is_none() && checked.online_url.is_none() {
        checked.online_url = post.url.clone().or_else(|| Some(post.ap_id.clone()));
    }
    if let Some(place) = checked.place.as_mut() {
        place.name = place.name.chars().take(200).collect();
    }
    checked.capacity = checked.capacity.filter(|c| (1..=100_000).contains(c));
    checked.validate()?;
    let old = store::events::by_post_id(tx, post.id).await?;
    store::events::upsert(tx, post.id, &checked).await?;
    if let Some(count) = remote.participant_count.filter(|c| (0..=1_000_000).contains(c)) {
        store::events::set_participant_count(tx, post.id, count).await?;
    }
    match old {
        Some(old) if remote.cancelled && !old.is_cancelled() => {
            store::events::set_state(tx, post.id, EVENT_CANCELLED).await?;
            tell_local_participants(tx, post.id, KIND_EVENT_CANCELLED).await?;
        }
        Some(old) if old.is_moved_by(&checked) => tell_local_participants(tx, post.id, KIND_EVENT_MOVED).await?,
        None if remote.cancelled => store::events::set_state(tx, post.id, EVENT_CANCELLED).await?,
        _ => {}
    }
    Ok(())
}

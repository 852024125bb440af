//! Taking part in events (deelnemen), here and across nodes.
//!
//! A member asks to join with `Join`; the event's home node decides: in free mode at once
//! (accepted while there is room, refused when full), in approval mode when an organiser
//! says so; external events take no participants here. The answer is `Accept` or `Reject`
//! of the `Join`; `Leave` ends taking part. Friendica-style answers on the `Event` itself
//! (`Accept`, `TentativeAccept`, `Reject`) are taken too. The home node keeps the count of
//! accepted participants and sends it out with an `Update` of the event, so every node shows
//! the same number.

use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, Admission, Answers, Event, JoinMode, Participation, ParticipationState, Post, RsvpAnswer, admission, has_room};
use crate::outbox::Outgoing;
use crate::store::{self, Store, Tx};
use crate::urls::LocalUrls;

/// Notification kinds for organisers and participants.
pub const KIND_RSVP_REQUEST: &str = "rsvp_request";
pub const KIND_RSVP_ACCEPTED: &str = "rsvp_accepted";
pub const KIND_RSVP_REJECTED: &str = "rsvp_rejected";
/// An organiser took the member off the list.
pub const KIND_RSVP_REMOVED: &str = "rsvp_removed";

pub(crate) fn full() -> DomainError {
    DomainError::conflict(Say::EventFull)
}

/// Why a request is refused at once, in words for the one who asked.
pub(crate) fn refusal(admission: Admission) -> DomainError {
    match admission {
        Admission::Full => full(),
        _ => DomainError::conflict(Say::RegistrationClosed),
    }
}

/// A scheduled event that `reader` may see.
async fn joinable_event(store: &Store, event_ap_id: &str, reader: &Actor) -> Result<(Post, Event)> {
    let mut conn = store.conn().await?;
    let post = store::posts::by_ap_id(&mut conn, event_ap_id).await?.ok_or(DomainError::NotFound)?;
    let event = store::events::by_post_id(&mut conn, post.id).await?.ok_or(DomainError::NotFound)?;
    drop(conn);
    if !super::visibility::may_act_on(store, &post, &reader.ap_id).await? {
        return Err(DomainError::NotFound);
    }
    if post.is_deleted() || event.is_cancelled() {
        return Err(DomainError::Gone);
    }
    Ok((post, event))
}

/// A local member asks to take part in an event, here or on another node.
pub async fn join(store: &Store, urls: &LocalUrls, member: &Actor, event_ap_id: &str) -> Result<Participation> {
    join_answering(store, urls, member, event_ap_id, Answers::default()).await
}

/// As [`join`], with the answers to the questions the organiser chose (kept for our own
/// events only: they do not travel to other nodes).
pub async fn join_answering(store: &Store, urls: &LocalUrls, member: &Actor, event_ap_id: &str, answers: Answers) -> Result<Participation> {
    let (post, event) = joinable_event(store, event_ap_id, member).await?;
    if event.join_mode == JoinMode::External {
        return Err(DomainError::invalid("event", Say::SignUpThroughOrganisers));
    }
    let join_id = urls.new_activity().to_string();
    if post.is_local {
        let answers = answers.to(event.questions())?;
        return admit(store, &post, &event, member, &join_id, false, Some(&answers)).await;
    }
    let mut tx = store.begin().await?;
    let participation = store::participants::upsert(&mut tx, post.id, member.id, &join_id, ParticipationState::Pending).await?;
    store::outbox::push(&mut tx, &Outgoing::EventJoinSent { participation_id: participation.id }).await?;
    tx.commit().await?;
    Ok(participation)
}

/// A `Join` from another node for one of our events.
pub async fn receive_join(store: &Store, participant: &Actor, event_ap_id: &str, join_ap_id: &str) -> Result<Participation> {
    let (post, event) = joinable_event(store, event_ap_id, participant).await?;
    if !post.is_local {
        return Err(DomainError::NotFound);
    }
    let mut conn = store.conn().await?;
    if let Some(existing) = store::participants::by_event_and_participant(&mut conn, post.id, participant.id).await?
        && existing.state == ParticipationState::Accepted
    {
        // Asked again (a retry, or a lost answer): answer again, count once.
        drop(conn);
        let mut tx = store.begin().await?;
        let participation = store::participants::upsert(&mut tx, post.id, participant.id, join_ap_id, existing.state).await?;
        store::outbox::push(&mut tx, &Outgoing::EventJoinAnswered { participation_id: participation.id }).await?;
        tx.commit().await?;
        return Ok(participation);
    }
    drop(conn);
    if event.join_mode == JoinMode::External {
        let mut tx = store.begin().await?;
        let participation = store::participants::upsert(&mut tx, post.id, participant.id, join_ap_id, ParticipationState::Rejected).await?;
        store::outbox::push(&mut tx, &Outgoing::EventJoinAnswered { participation_id: participation.id }).await?;
        tx.commit().await?;
        return Ok(participation);
    }
    admit(store, &post, &event, participant, join_ap_id, false, None).await
}

/// Decides a request to join a local event by [`admission`]: accepted while there is room
/// (free mode), left to the organisers (approval mode), refused when full or closed.
/// `answers` come with a local member's request. `quiet` answers nobody (Friendica-style
/// answers expect no reply). Remote participants get their `Accept` or `Reject`.
async fn admit(
    store: &Store,
    post: &Post,
    event: &Event,
    participant: &Actor,
    join_id: &str,
    quiet: bool,
    answers: Option<&Answers>,
) -> Result<Participation> {
    let mut tx = store.begin().await?;
    let accepted = store::participants::count_accepted(&mut tx, post.id).await?;
    let state = match admission(event, accepted) {
        Admission::Pending => ParticipationState::Pending,
        Admission::Accepted => ParticipationState::Accepted,
        refused if participant.is_local => return Err(refusal(refused)),
        _ => ParticipationState::Rejected,
    };
    let participation = store::participants::upsert(&mut tx, post.id, participant.id, join_id, state).await?;
    if let Some(answers) = answers {
        store::participants::set_answers(&mut tx, participation.id, answers).await?;
    }
    match state {
        ParticipationState::Pending => tell_organisers(&mut tx, post, KIND_RSVP_REQUEST).await?,
        ParticipationState::Accepted => recount(&mut tx, post).await?,
        _ => {}
    }
    if !participant.is_local && !quiet && state != ParticipationState::Pending {
        store::outbox::push(&mut tx, &Outgoing::EventJoinAnswered { participation_id: participation.id }).await?;
    }
    tx.commit().await?;
    Ok(participation)
}

/// An organiser accepts or refuses a request to join (approval mode). Accepting needs room.
pub async fn decide(store: &Store, member: &Actor, participation_id: i64, accept: bool) -> Result<Participation> {
    let mut conn = store.conn().await?;
    let participation = store::participants::by_id(&mut conn, participation_id).await?;
    let participant = store::actors::by_id(&mut conn, participation.participant_id).await?;
    drop(conn);
    let post = super::posts::own_post(store, member, participation.event_post_id).await?;
    if participation.state != ParticipationState::Pending {
        return Err(DomainError::conflict(Say::RequestAnsweredAlready));
    }
    let mut tx = store.begin().await?;
    let event = store::events::by_post_id(&mut tx, post.id).await?.ok_or(DomainError::NotFound)?;
    if accept && !has_room(event.capacity, store::participants::count_accepted(&mut tx, post.id).await?) {
        return Err(full());
    }
    let state = if accept { ParticipationState::Accepted } else { ParticipationState::Rejected };
    store::participants::set_state(&mut tx, participation.id, state).await?;
    if accept {
        recount(&mut tx, &post).await?;
    }
    let kind = if accept { KIND_RSVP_ACCEPTED } else { KIND_RSVP_REJECTED };
    answer(&mut tx, &participant, (post.id, participation_id), kind).await?;
    tx.commit().await?;
    store::participants::by_id(&mut store.conn().await?, participation_id).await
}

/// Tells a participant the organisers' answer: a notification of `kind` here, the `Accept`
/// or `Reject` of her `Join` (by the participation's state) elsewhere.
pub(crate) async fn answer(tx: &mut Tx, participant: &Actor, (post_id, participation_id): (i64, i64), kind: &str) -> Result<()> {
    if participant.is_local {
        store::notifications::insert(tx, participant.id, kind, post_id, None).await?;
    } else {
        store::outbox::push(tx, &Outgoing::EventJoinAnswered { participation_id }).await?;
    }
    Ok(())
}

/// A local member no longer takes part (or withdraws a request).
pub async fn leave(store: &Store, member: &Actor, event_ap_id: &str) -> Result<()> {
    let mut conn = store.conn().await?;
    let post = store::posts::by_ap_id(&mut conn, event_ap_id).await?.ok_or(DomainError::NotFound)?;
    let participation = store::participants::by_event_and_participant(&mut conn, post.id, member.id).await?.ok_or(DomainError::NotFound)?;
    drop(conn);
    if !participation.state.is_interested() {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    store::participants::set_state(&mut tx, participation.id, ParticipationState::Left).await?;
    if post.is_local {
        recount(&mut tx, &post).await?;
    } else {
        store::outbox::push(&mut tx, &Outgoing::EventLeft { participation_id: participation.id }).await?;
    }
    tx.commit().await
}

/// A `Leave` (or `Undo{Join}`) from another node for one of our events.
pub async fn receive_leave(store: &Store, participant: &Actor, event_ap_id: &str) -> Result<bool> {
    let mut tx = store.begin().await?;
    let Some(post) = store::posts::by_ap_id(&mut tx, event_ap_id).await?.filter(|p| p.is_local) else { return Ok(false) };
    let Some(participation) = store::participants::by_event_and_participant(&mut tx, post.id, participant.id).await? else {
        return Ok(false);
    };
    store::participants::set_state(&mut tx, participation.id, ParticipationState::Left).await?;
    recount(&mut tx, &post).await?;
    tx.commit().await?;
    Ok(true)
}

/// The home node of an event answered one of our `Join`s. Only the event's author may.
pub async fn receive_answer(store: &Store, from: &Actor, join_ap_id: &str, accepted: bool) -> Result<bool> {
    let mut tx = store.begin().await?;
    let Some(participation) = store::participants::by_join_ap_id(&mut tx, join_ap_id).await? else { return Ok(false) };
    let post = store::posts::by_id(&mut tx, participation.event_post_id).await?;
    if post.author_id != from.id {
        return Err(DomainError::Forbidden);
    }
    if participation.state == ParticipationState::Left {
        return Ok(true);
    }
    let state = if accepted { ParticipationState::Accepted } else { ParticipationState::Rejected };
    store::participants::set_state(&mut tx, participation.id, state).await?;
    let kind = if accepted { KIND_RSVP_ACCEPTED } else { KIND_RSVP_REJECTED };
    store::notifications::insert(&mut tx, participation.participant_id, kind, post.id, None).await?;
    tx.commit().await?;
    Ok(true)
}

/// A Friendica-style answer on one of our events: "ik kom", "misschien", "ik kom niet".
pub async fn receive_answer_on_event(
    store: &Store,
    participant: &Actor,
    event_ap_id: &str,
    activity_ap_id: &str,
    answer: RsvpAnswer,
) -> Result<Participation> {
    let (post, event) = joinable_event(store, event_ap_id, participant).await?;
    if !post.is_local {
        return Err(DomainError::NotFound);
    }
    let state = match answer {
        RsvpAnswer::Attending => return admit(store, &post, &event, participant, activity_ap_id, true, None).await,
        RsvpAnswer::Maybe => ParticipationState::Tentative,
        RsvpAnswer::NotAttending => ParticipationState::Left,
    };
    let mut tx = store.begin().await?;
    let participation = store::participants::upsert(&mut tx, post.id, participant.id, activity_ap_id, state).await?;
    recount(&mut tx, &post).await?;
    tx.commit().await?;
    Ok(participation)
}

/// Whether `activity_ap_id` is one of the `Join`s we sent or received.
pub async fn is_join(store: &Store, activity_ap_id: &str) -> Result<bool> {
    Ok(store::participants::by_join_ap_id(&mut store.conn().await?, activity_ap_id).await?.is_some())
}

/// The participants of an event, for its organisers.
pub async fn participants(store: &Store, member: &Actor, post_id: i64) -> Result<Vec<(Participation, Actor)>> {
    super::posts::own_post(store, member, post_id).await?;
    let mut conn = store.conn().await?;
    let mut out = Vec::new();
    for participation in store::participants::for_event(&mut conn, post_id).await? {
        let actor = store::actors::by_id(&mut conn, participation.participant_id).await?;
        out.push((participation, actor));
    }
    Ok(out)
}

/// A member's own answer for an event, if any.
pub async fn mine(store: &Store, member: &Actor, post_id: i64) -> Result<Option<Participation>> {
    store::participants::by_event_and_participant(&mut store.conn().await?, post_id, member.id).await
}

/// Keeps the stored count equal to the accepted participants and, when it changed, tells
/// the peers with an `Update` of the event.
pub(crate) async fn recount(tx: &mut Tx, post: &Post) -> Result<()> {
    let count = store::participants::count_accepted(tx, post.id).await?;
    let Some(event) = store::events::by_post_id(tx, post.id).await? else { return Ok(()) };
    if event.participant_count == count {
        return Ok(());
    }
    store::events::set_participant_count(tx, post.id, count).await?;
    store::posts::touch(tx, post.id).await?;
    if post.visibility.federates() {
        store::outbox::push(tx, &Outgoing::PostUpdated { post_id: post.id }).await?;
    }
    Ok(())
}

/// Notifies the coordinators (or the member) behind a local event.
pub(crate) async fn tell_organisers(tx: &mut Tx, post: &Post, kind: &str) -> Result<()> {
    let author = store::actors::by_id(tx, post.author_id).await?;
    for person in super::matching::people_behind(tx, &author).await? {
        store::notifications::insert(tx, person.id, kind, post.id, None).await?;
    }
    Ok(())
}

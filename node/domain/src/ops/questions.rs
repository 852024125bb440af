//! "Vraag het ons": someone without an account asks an initiative for help with a short form
//! (a name or nickname, how to reach them, the question). The question goes to that
//! initiative's coordinators only: a notification each and a list on their page. Being a
//! coordinator of the initiative is what counts here; an administrator of the node who is
//! not one does not read them. Nothing of it ever leaves this node. A coordinator turns a
//! question into a need on the asker's behalf (the name becomes the need's resident, which
//! is not federated either) or marks it handled. A coordinator can also answer it with a
//! short text: mailed to the asker when she left an e-mail address and the node sends mail
//! (queued in the same transaction that records the answer), else the coordinator is told to
//! phone her.

use super::actors::ROLE_COORDINATOR;
use super::proposals::Audience;
use crate::error::{DomainError, Result, Say, Violation};
use crate::model::{Actor, ActorKind, Post, ProposalDraft, Purpose};
use crate::store::questions::Question;
use crate::store::{self, Store};
use crate::urls::LocalUrls;

pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_CONTACT_CHARS: usize = 120;
pub const MAX_QUESTION_CHARS: usize = 1000;
pub const MAX_ANSWER_CHARS: usize = 2000;
/// The notification each coordinator gets; it names the initiative, never the asker.
pub const KIND_QUESTION: &str = "question";
/// How many questions per initiative the coordinators' page lists.
const RECENT: i64 = 30;

/// What the form holds.
#[derive(Debug, Clone, Default)]
pub struct QuestionDraft {
    pub name: String,
    pub contact: String,
    pub question: String,
}

/// Whether `text` holds a web address (questions with links are refused: that is spam).
pub fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["http://", "https://", "www."].iter().any(|start| lower.contains(start))
}

fn field_problem(field: &'static str, text: &str, max: usize) -> Option<Violation> {
    let message = if text.trim().is_empty() {
        Say::FillThisIn
    } else if text.chars().count() > max {
        Say::AtMostChars(max)
    } else if has_link(text) {
        Say::NoWebAddresses
    } else {
        return None;
    };
    Some(Violation { field, message: message.into() })
}

impl QuestionDraft {
    pub fn validate(&self) -> Result<()> {
        let problems: Vec<Violation> = [
            field_problem("name", &self.name, MAX_NAME_CHARS),
            field_problem("contact", &self.contact, MAX_CONTACT_CHARS),
            field_problem("question", &self.question, MAX_QUESTION_CHARS),
        ]
        .into_iter()
        .flatten()
        .collect();
        if problems.is_empty() { Ok(()) } else { Err(DomainError::Invalid(problems)) }
    }
}

/// Someone asks `initiative` a question; its coordinators are told. Returns the question's id.
pub async fn ask(store: &Store, initiative: &Actor, draft: &QuestionDraft) -> Result<i64> {
    if !initiative.is_local || initiative.kind() != ActorKind::Group {
        return Err(DomainError::NotFound);
    }
    draft.validate()?;
    let mut tx = store.begin().await?;
    let id = store::questions::insert(&mut tx, initiative.id, draft.name.trim(), draft.contact.trim(), draft.question.trim()).await?;
    for coordinator in store::actors::initiative_members_with_role(&mut tx, initiative.id, ROLE_COORDINATOR).await? {
        store::notifications::insert_by(&mut tx, coordinator, KIND_QUESTION, None, initiative.id).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// A question with what the coordinators' page shows beside it.
pub struct QuestionView {
    pub question: Question,
    pub initiative: Actor,
    /// The coordinator who handled it, once handled.
    pub handled_by: Option<Actor>,
    /// The coordinator who answered it, once answered.
    pub answered_by: Option<Actor>,
}

async fn view(conn: &mut impl store::Handle, question: Question) -> Result<QuestionView> {
    let initiative = store::actors::by_id(conn, question.initiative_id).await?;
    let handled_by = match question.handled_by {
        Some(id) => Some(store::actors::by_id(conn, id).await?),
        None => None,
    };
    let answered_by = match question.answered_by {
        Some(id) => Some(store::actors::by_id(conn, id).await?),
        None => None,
    };
    Ok(QuestionView { question, initiative, handled_by, answered_by })
}

/// The recent questions to the initiatives `member` coordinates, open ones first.
pub async fn recent_for(store: &Store, member: &Actor) -> Result<Vec<QuestionView>> {
    let mut conn = store.conn().await?;
    let mut views = Vec::new();
    for (initiative_id, role) in store::actors::roles_of(&mut conn, member.id).await? {
        if role != ROLE_COORDINATOR {
            continue;
        }
        for question in store::questions::recent(&mut conn, initiative_id, RECENT).await? {
            views.push(view(&mut conn, question).await?);
        }
    }
    views.sort_by_key(|v| (v.question.handled_at.is_some(), -v.question.id));
    Ok(views)
}

/// One question, for a coordinator of the initiative it was asked of.
pub async fn for_coordinator(store: &Store, member: &Actor, id: i64) -> Result<QuestionView> {
    let mut conn = store.conn().await?;
    let question = store::questions::by_id(&mut conn, id).await?.ok_or(DomainError::NotFound)?;
    let role = store::actors::initiative_role(&mut conn, question.initiative_id, member.id).await?;
    if role.as_deref() != Some(ROLE_COORDINATOR) {
        return Err(DomainError::Forbidden);
    }
    view(&mut conn, question).await
}

/// A coordinator marks a question handled (called, helped, passed on).
pub async fn mark_handled(store: &Store, member: &Actor, id: i64) -> Result<()> {
    for_coordinator(store, member, id).await?;
    let mut tx = store.begin().await?;
    store::questions::mark_handled(&mut tx, id, member.id, None).await?;
    tx.commit().await
}

/// A coordinator publishes a need made of a question, on the asker's behalf, and the
/// question is marked handled with it. (Two steps: should the second fail, the need stands
/// and the question can still be marked handled by hand.)
pub async fn publish_need(
    store: &Store,
    urls: &LocalUrls,
    member: &Actor,
    question_id: i64,
    author: &Actor,
    draft: &ProposalDraft,
    audience: &Audience,
) -> Result<Post> {
    for_coordinator(store, member, question_id).await?;
    if draft.purpose != Purpose::Request {
        return Err(DomainError::invalid("purpose", Say::QuestionBecomesNeed));
    }
    let post = super::proposals::publish(store, urls, member, author, draft, audience).await?;
    let mut tx = store.begin().await?;
    store::questions::mark_handled(&mut tx, question_id, member.id, Some(post.id)).await?;
    tx.commit().await?;
    Ok(post)
}

/// Writes the e-mail of an answer to the asker (the words are the web crate's).
pub type AnswerMailer<'a> = &'a (dyn Fn(&QuestionView, &str) -> store::mail::NewMail + Sync);

/// How a coordinator's answer reached the asker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// Queued as an e-mail to the address she gave.
    Mailed,
    /// Not mailed (no address, or the node sends no mail): the coordinator gets in touch.
    GetInTouch,
}

/// A coordinator answers a question. `mail` writes the e-mail to the address the asker gave
/// (`None`: this node sends no mail); it is used only when her contact is an e-mail address.
/// The question counts as handled with it.
pub async fn answer(store: &Store, member: &Actor, id: i64, text: &str, mail: Option<AnswerMailer<'_>>) -> Result<Answered> {
    let view = for_coordinator(store, member, id).await?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_ANSWER_CHARS {
        return Err(DomainError::invalid("answer", Say::OneToChars(MAX_ANSWER_CHARS)));
    }
    let address = view.question.contact.trim();
    let mail = mail.filter(|_| super::mail::valid_address(address)).map(|compose| compose(&view, text));
    let mut tx = store.begin().await?;
    if !store::questions::record_answer(&mut tx, id, member.id, text, mail.is_some()).await? {
        return Err(DomainError::conflict(Say::QuestionAnsweredAlready));
    }
    store::questions::mark_handled(&mut tx, id, member.id, view.question.need_post_id).await?;
    if let Some(mail) = &mail {
        store::mail::enqueue(&mut tx, mail).await?;
    }
    tx.commit().await?;
    Ok(if mail.is_some() { Answered::Mailed } else { Answered::GetInTouch })
}

//! Taking in an initiative handed over from another node: the file is foreign input, so every
//! field is checked as the pages check it, no id in it is used, and text becomes HTML only
//! through `html::text_to_html`. The initiative gets new keys and new ids on this node's
//! domain; everything is written in one transaction, so a refusal changes nothing. Its posts
//! are published again as its posts here, with the time they were first published, and go to
//! its followers here as any new post does.

use super::format::{Body, HandedPost, Handover, Member};
use crate::error::{DomainError, Result, Say};
use crate::model::{Actor, ActorKeys, EventDraft, EventQuestions, JoinMode, Place, ProposalDraft, Purpose, Username, Visibility, When};
use crate::ops::actors::{InitiativeDraft, ROLE_COORDINATOR, ROLE_MEMBER};
use crate::ops::initiatives::Details;
use crate::ops::posts::PostDraft;
use crate::store::contacts::Contact;
use crate::store::{self, Store};
use crate::urls::LocalUrls;
use argon2::password_hash::PasswordHash;
use chrono::{TimeZone, Utc};

/// Longest content warning taken along.
const MAX_CONTENT_WARNING_CHARS: usize = 500;
/// Longest password hash taken along (an Argon2 PHC string is about 100 characters).
const MAX_HASH_CHARS: usize = 512;

/// What an import made and what it skipped, for the person running it.
#[derive(Debug, Default, Clone)]
pub struct Imported {
    /// The initiative's handle here.
    pub initiative: String,
    pub members: Vec<String>,
    pub notes: usize,
    pub proposals: usize,
    pub events: usize,
    /// What was not taken in, and why, one line each.
    pub skipped: Vec<String>,
    /// What the coordinators still have to do (coalitions to join again).
    pub next_steps: Vec<String>,
}

impl std::fmt::Display for Imported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "@{}: {} members ({}), {} posts, {} offers and needs, {} activities",
            self.initiative,
            self.members.len(),
            self.members.join(", "),
            self.notes,
            self.proposals,
            self.events
        )?;
        for line in &self.skipped {
            write!(f, "\n  skipped: {line}")?;
        }
        for line in &self.next_steps {
            write!(f, "\n  next step: {line}")?;
        }
        Ok(())
    }
}

/// A member as the file gives her, checked.
struct CheckedMember {
    username: Username,
    display_name: String,
    email: Option<String>,
    password_hash: String,
    role: &'static str,
}

/// A post as the file gives it, checked, with the time it was first published.
enum CheckedPost {
    Note(PostDraft),
    Proposal(ProposalDraft, Visibility),
    Event(EventDraft, EventQuestions, Visibility),
}

/// Takes in the initiative `handover` describes. `make_keys` makes the keys of each new actor
/// (before anything is written). Refuses, changing nothing, when its name is taken here or its
/// profile does not pass; a member or post that does not pass is skipped and said.
pub async fn import(store: &Store, urls: &LocalUrls, handover: &Handover, mut make_keys: impl FnMut() -> ActorKeys) -> Result<Imported> {
    let mut done = Imported::default();
    let (draft, details, keep_days, default_visibility) = checked_profile(handover)?;
    let members: Vec<CheckedMember> =
        keep_passing(&handover.members, checked_member, &mut done.skipped, |m| format!("member {:?}", m.username));
    let now = crate::now_ms();
    let posts: Vec<(CheckedPost, i64)> =
        keep_passing(&handover.posts, |p| checked_post(p, now), &mut done.skipped, |p| format!("a post of {}", p.published));
    let initiative_keys = make_keys();
    let member_keys: Vec<ActorKeys> = members.iter().map(|_| make_keys()).collect();

    let mut tx = store.begin().await?;
    let new = crate::ops::actors::initiative_actor(urls, &draft, &initiative_keys)?;
    let mut initiative = crate::ops::actors::insert_local_in(&mut tx, &new, None).await?;
    crate::ops::initiatives::set_handed_over(&mut tx, &initiative, &details, keep_days).await?;
    store::actors::set_default_need_visibility(&mut tx, initiative.id, default_visibility).await?;
    initiative = store::actors::by_id(&mut tx, initiative.id).await?;
    for (member, keys) in members.iter().zip(&member_keys) {
        match add_member(&mut tx, urls, &initiative, member, keys).await? {
            Ok(()) => done.members.push(member.username.to_string()),
            Err(why) => done.skipped.push(format!("member {}: {why}", member.username)),
        }
    }
    for (post, published) in &posts {
        publish(&mut tx, urls, &initiative, post, *published, &mut done).await?;
    }
    tx.commit().await?;
    done.initiative = initiative.handle();
    done.next_steps = next_steps(handover);
    Ok(done)
}

/// The items that pass `check`; the others are said in `skipped` as `name` names them.
fn keep_passing<T, U>(
    items: &[T],
    check: impl Fn(&T) -> std::result::Result<U, String>,
    skipped: &mut Vec<String>,
    name: impl Fn(&T) -> String,
) -> Vec<U> {
    let mut passing = Vec::new();
    for item in items {
        match check(item) {
            Ok(checked) => passing.push(checked),
            Err(why) => skipped.push(format!("{}: {why}", name(item))),
        }
    }
    passing
}

fn checked_profile(handover: &Handover) -> Result<(InitiativeDraft, Details, i64, Visibility)> {
    let profile = &handover.initiative;
    let draft = InitiativeDraft {
        slug: Username::parse(&profile.username)?.to_string(),
        name: profile.display_name.clone(),
        summary: String::new(),
        manually_approves_followers: profile.manually_approves_followers,
    };
    let details = Details {
        display_name: profile.display_name.clone(),
        description: profile.description.clone(),
        contact: Contact {
            phone: profile.phone.clone(),
            address: profile.address.clone(),
            walk_in_hours: profile.walk_in_hours.clone(),
            contact_text: profile.contact_text.clone(),
        },
    };
    let visibility = Visibility::parse(&profile.default_need_visibility)?;
    if matches!(visibility, Visibility::Direct | Visibility::Coordinators) {
        return Err(DomainError::invalid("default_need_visibility", Say::InitiativeNeedsVisibility));
    }
    Ok((draft, details, profile.keep_needs_days, visibility))
}

fn checked_member(member: &Member) -> std::result::Result<CheckedMember, String> {
    let username = Username::parse(&member.username).map_err(|e| e.to_string())?;
    let max = crate::ops::members::MAX_DISPLAY_NAME_CHARS;
    if member.display_name.chars().count() > max {
        return Err(format!("a display name longer than {max} characters"));
    }
    let email = member.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
    if email.is_some_and(|e| !crate::ops::mail::valid_address(e)) {
        return Err("an e-mail address that is not one".into());
    }
    let is_argon2 = member.password_hash.len() <= MAX_HASH_CHARS
        && PasswordHash::new(&member.password_hash).is_ok_and(|h| h.algorithm.as_str().starts_with("argon2"));
    if !is_argon2 {
        return Err("a password hash that is not an Argon2 hash".into());
    }
    let role = match member.role.as_str() {
        ROLE_COORDINATOR => ROLE_COORDINATOR,
        ROLE_MEMBER => ROLE_MEMBER,
        other => return Err(format!("an unknown role {other:?}")),
    };
    Ok(CheckedMember {
        username,
        display_name: member.display_name.clone(),
        email: email.map(str::to_string),
        password_hash: member.password_hash.clone(),
        role,
    })
}

/// Adds a member unless her name or e-mail address is taken here (then why, and nothing written).
async fn add_member(
    tx: &mut store::Tx,
    urls: &LocalUrls,
    initiative: &Actor,
    member: &CheckedMember,
    keys: &ActorKeys,
) -> Result<std::result::Result<(), String>> {
    if store::actors::local_by_username(tx, member.username.as_str()).await?.is_some()
        || member.username.as_str() == crate::urls::INSTANCE_ACTOR_USERNAME
    {
        return Ok(Err("this username is taken on this node; she can sign up with another one".into()));
    }
    if let Some(email) = member.email.as_deref()
        && store::actors::password_hash_for(tx, email).await?.is_some()
    {
        return Ok(Err("her e-mail address belongs to another account on this node".into()));
    }
    let names = (&member.username, member.display_name.as_str());
    let login = (member.email.as_deref(), member.password_hash.as_str());
    crate::ops::actors::insert_member_with_hash(tx, urls, names, login, (initiative, member.role), keys).await?;
    Ok(Ok(()))
}

fn checked_visibility(text: &str) -> std::result::Result<Visibility, String> {
    match Visibility::parse(text) {
        Ok(v @ (Visibility::Public | Visibility::Unlisted)) => Ok(v),
        _ => Err(format!("visibility {text:?} (only public and unlisted posts move)")),
    }
}

fn checked_post(post: &HandedPost, now: i64) -> std::result::Result<(CheckedPost, i64), String> {
    let visibility = checked_visibility(&post.visibility)?;
    if post.published <= 0 || post.published > now {
        return Err("a publication time that is not in the past".into());
    }
    let content_warning = post.content_warning.clone().filter(|cw| !cw.trim().is_empty());
    if content_warning.as_ref().is_some_and(|cw| cw.chars().count() > MAX_CONTENT_WARNING_CHARS) {
        return Err(format!("a content warning longer than {MAX_CONTENT_WARNING_CHARS} characters"));
    }
    let checked = match &post.body {
        Body::Note { text } => CheckedPost::Note(PostDraft { content_warning, ..PostDraft::plain(text.clone(), visibility, vec![]) }),
        Body::Proposal { .. } => {
            let draft = proposal_draft(&post.body)?;
            draft.validate(crate::model::DEFAULT_CATEGORIES, now).map_err(|e| e.to_string())?;
            CheckedPost::Proposal(draft, visibility)
        }
        Body::Event { .. } => {
            let (draft, questions) = event_draft(&post.body)?;
            draft.validate().map_err(|e| e.to_string())?;
            CheckedPost::Event(draft, questions, visibility)
        }
    };
    Ok((checked, post.published))
}

fn proposal_draft(body: &Body) -> std::result::Result<ProposalDraft, String> {
    let Body::Proposal { purpose, title, description, category, neighbourhood, when_from, when_to, expires_at } = body else {
        return Err("not an offer or need".into());
    };
    let purpose = Purpose::parse(purpose).ok_or_else(|| format!("an unknown purpose {purpose:?}"))?;
    let dates_read =
        [when_from, when_to].iter().all(|d| d.as_deref().is_none_or(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok()));
    if !dates_read {
        return Err("a date that is not YYYY-MM-DD".into());
    }
    Ok(ProposalDraft {
        purpose,
        title: title.clone(),
        description: description.clone(),
        category: category.clone(),
        neighbourhood: neighbourhood.clone(),
        when: When::from_columns(when_from.as_deref(), when_to.as_deref()),
        expires_at: *expires_at,
    })
}

fn event_draft(body: &Body) -> std::result::Result<(EventDraft, EventQuestions), String> {
    let Body::Event {
        title,
        description,
        starts_at,
        ends_at,
        timezone,
        place_name,
        place_address,
        latitude,
        longitude,
        online_url,
        capacity,
        join_mode,
        asks_lift,
        asks_diet,
    } = body
    else {
        return Err("not an activity".into());
    };
    let instant = |ms: i64| Utc.timestamp_millis_opt(ms).single().ok_or_else(|| format!("a time that is not one ({ms})"));
    let within = |value: Option<f64>, bound: f64| value.filter(|v| v.is_finite() && v.abs() <= bound);
    let place = place_name.as_ref().map(|name| Place {
        name: name.clone(),
        address: place_address.clone(),
        latitude: within(*latitude, 90.0),
        longitude: within(*longitude, 180.0),
    });
    let draft = EventDraft {
        title: title.clone(),
        description: description.clone(),
        starts_at: instant(*starts_at)?,
        ends_at: ends_at.map(instant).transpose()?,
        timezone: timezone.clone(),
        place,
        online_url: online_url.clone(),
        capacity: *capacity,
        join_mode: JoinMode::parse(join_mode),
    };
    Ok((draft, EventQuestions { lift: *asks_lift, diet: *asks_diet }))
}

/// Publishes one checked post as the initiative's, with its first publication time.
async fn publish(
    tx: &mut store::Tx,
    urls: &LocalUrls,
    initiative: &Actor,
    post: &CheckedPost,
    published: i64,
    done: &mut Imported,
) -> Result<()> {
    match post {
        CheckedPost::Note(draft) => {
            crate::ops::posts::insert_handed_over(tx, urls, initiative, draft, published).await?;
            done.notes += 1;
        }
        CheckedPost::Proposal(draft, visibility) => {
            crate::ops::proposals::insert_dated(tx, urls, initiative, draft, *visibility, published).await?;
            done.proposals += 1;
        }
        CheckedPost::Event(draft, questions, visibility) => {
            crate::ops::events::insert_dated(tx, urls, initiative, draft, (*visibility, *questions), published).await?;
            done.events += 1;
        }
    }
    Ok(())
}

/// For each coalition the initiative was a member of: where to ask to join again. Membership
/// belongs to its old actor; carrying it over to the new one is not built (docs/operations.md).
fn next_steps(handover: &Handover) -> Vec<String> {
    handover
        .coalitions
        .iter()
        .map(|seat| {
            let name = seat.name.clone().unwrap_or_else(|| seat.coalition.clone());
            let others: Vec<&str> =
                seat.replicas.iter().filter(|(member, _)| *member != handover.initiative.old_ap_id).map(|(_, r)| r.as_str()).collect();
            match others.first() {
                Some(replica) => format!("coalition {name} ({}): ask to join again through {replica}", seat.coalition),
                None => format!(
                    "coalition {name} ({}): no other member's replica is known; ask its coordinators to admit you again",
                    seat.coalition
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::format::{CoalitionSeat, sample};
    use super::next_steps;

    #[test]
    fn each_coalition_says_where_to_ask_to_join_again() {
        let mut handover = sample();
        let own = handover.initiative.old_ap_id.clone();
        handover.coalitions = vec![
            CoalitionSeat {
                coalition: "c1".into(),
                name: Some("Welzijnscoalitie Delfshaven".into()),
                replicas: vec![
                    (own.clone(), "https://oud.example/coalitions/delfshaven".into()),
                    ("https://ander.example/groups/buurt".into(), "https://ander.example/coalitions/delfshaven".into()),
                ],
            },
            CoalitionSeat { coalition: "c2".into(), name: None, replicas: vec![(own, "https://oud.example/coalitions/alleen".into())] },
        ];
        let steps = next_steps(&handover);
        assert!(steps[0].contains("ask to join again through https://ander.example/coalitions/delfshaven"), "{steps:?}");
        assert!(steps[1].contains("c2") && steps[1].contains("no other member's replica"), "{steps:?}");
    }
}

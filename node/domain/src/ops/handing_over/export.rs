//! Writing an initiative down for another node: its profile and choices, its own public and
//! unlisted posts (plain posts, open offers and needs, planned activities), the members who
//! chose to move along, and the coalitions it belongs to. Nothing here writes.

use super::format::{Body, CoalitionSeat, FORMAT, HandedPost, Handover, Member, Profile};
use crate::error::Result;
use crate::model::{Actor, Event, Post, Proposal, html};
use crate::store::{self, Store};

/// Most posts one handover carries; an initiative with more is handed over in part (said).
pub const MAX_POSTS: i64 = 10_000;

/// What an export wrote and what it left behind, for the person running it.
#[derive(Debug, Default, Clone)]
pub struct Exported {
    pub members: usize,
    /// Members who did not choose to move along: they stay here.
    pub members_staying: i64,
    pub notes: usize,
    pub proposals: usize,
    pub events: usize,
    pub coalitions: usize,
    /// What was left out, and why, one line each.
    pub left_out: Vec<String>,
}

impl std::fmt::Display for Exported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} members who chose to move along ({} stay behind), {} posts, {} offers and needs, {} activities, {} coalitions",
            self.members, self.members_staying, self.notes, self.proposals, self.events, self.coalitions
        )?;
        for line in &self.left_out {
            write!(f, "\n  left out: {line}")?;
        }
        Ok(())
    }
}

/// Writes the local initiative `slug` down, as this node (`domain`, Buurtnet `version`) knows it.
pub async fn export(store: &Store, slug: &str, domain: &str, version: &str) -> Result<(Handover, Exported)> {
    let initiative = super::super::initiatives::local(store, slug).await?;
    let mut done = Exported::default();
    let profile = profile(store, &initiative).await?;
    let mut conn = store.conn().await?;
    let members: Vec<Member> = store::handing_over::moving_members(&mut conn, initiative.id)
        .await?
        .into_iter()
        .map(|m| Member {
            username: m.username,
            display_name: m.display_name,
            email: m.email,
            password_hash: m.password_hash,
            role: m.role,
        })
        .collect();
    done.members = members.len();
    done.members_staying = store::handing_over::members_staying(&mut conn, initiative.id).await?;
    drop(conn);
    let posts = posts(store, &initiative, &mut done).await?;
    let coalitions = coalitions(store, &initiative).await?;
    done.coalitions = coalitions.len();
    let handover = Handover {
        format: FORMAT,
        made_by: version.to_string(),
        made_at: crate::now_ms(),
        from_domain: domain.to_string(),
        initiative: profile,
        members,
        posts,
        coalitions,
    };
    Ok((handover, done))
}

async fn profile(store: &Store, initiative: &Actor) -> Result<Profile> {
    let contact = super::super::initiatives::contact(store, initiative).await?;
    Ok(Profile {
        old_ap_id: initiative.ap_id.clone(),
        username: initiative.username.clone(),
        display_name: initiative.display_name.clone(),
        description: html::to_plain_text(&initiative.summary),
        phone: contact.phone,
        address: contact.address,
        walk_in_hours: contact.walk_in_hours,
        contact_text: contact.contact_text,
        manually_approves_followers: initiative.manually_approves_followers,
        keep_needs_days: super::super::initiatives::keep_needs_days(store, initiative).await?,
        default_need_visibility: initiative.default_need_visibility.as_str().to_string(),
    })
}

/// The initiative's own public and unlisted posts, oldest first, each as its kind.
async fn posts(store: &Store, initiative: &Actor, done: &mut Exported) -> Result<Vec<HandedPost>> {
    let mut conn = store.conn().await?;
    let mut found = store::posts::public_by_author(&mut conn, initiative.id, MAX_POSTS + 1, 0).await?;
    if found.len() as i64 > MAX_POSTS {
        found.truncate(MAX_POSTS as usize);
        done.left_out.push(format!("posts older than the newest {MAX_POSTS}"));
    }
    let mut handed = Vec::new();
    for post in found.into_iter().rev() {
        if post.in_reply_to.is_some() {
            done.left_out.push(format!("{}: a reply (the conversation it belongs to stays here)", post.ap_id));
            continue;
        }
        if store::articles::by_post_id(&mut conn, post.id).await?.is_some() {
            done.left_out.push(format!("{}: an article (shared knowledge is not handed over yet)", post.ap_id));
            continue;
        }
        let body = if let Some(event) = store::events::by_post_id(&mut conn, post.id).await? {
            if event.is_cancelled() {
                done.left_out.push(format!("{}: a cancelled activity", post.ap_id));
                continue;
            }
            done.events += 1;
            event_body(event)
        } else if let Some(proposal) = store::proposals::by_post_id(&mut conn, post.id).await? {
            if !proposal.state.is_active() {
                done.left_out.push(format!("{}: an offer or need that is {}", post.ap_id, proposal.state.as_str()));
                continue;
            }
            done.proposals += 1;
            proposal_body(proposal)
        } else {
            done.notes += 1;
            Body::Note { text: note_text(&post) }
        };
        handed.push(HandedPost {
            published: post.published,
            visibility: post.visibility.as_str().to_string(),
            content_warning: post.summary.clone(),
            body,
        });
    }
    Ok(handed)
}

fn note_text(post: &Post) -> String {
    post.source.clone().unwrap_or_else(|| html::to_plain_text(&post.content))
}

fn proposal_body(p: Proposal) -> Body {
    Body::Proposal {
        purpose: p.purpose.as_str().to_string(),
        title: p.title,
        description: p.description,
        category: p.category,
        neighbourhood: p.neighbourhood,
        when_from: p.when_from,
        when_to: p.when_to,
        expires_at: p.expires_at,
    }
}

fn event_body(e: Event) -> Body {
    Body::Event {
        title: e.title,
        description: e.description,
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        timezone: e.timezone,
        place_name: e.place_name,
        place_address: e.place_address,
        latitude: e.latitude,
        longitude: e.longitude,
        online_url: e.online_url,
        capacity: e.capacity,
        join_mode: e.join_mode.as_str().to_string(),
        asks_lift: e.asks_lift,
        asks_diet: e.asks_diet,
    }
}

/// The coalitions the initiative is a member of here, with its members' replicas.
async fn coalitions(store: &Store, initiative: &Actor) -> Result<Vec<CoalitionSeat>> {
    let involved = super::super::coalition_pages::taking_part(store, std::slice::from_ref(initiative)).await?;
    Ok(involved
        .into_iter()
        .filter(|i| i.part == super::super::coalition_pages::Part::Member)
        .map(|i| CoalitionSeat {
            name: i.state.charter.as_ref().map(|c| c.name.clone()),
            replicas: i.state.replicas.clone().into_iter().collect(),
            coalition: i.coalition,
        })
        .collect())
}

//! What a page of statuses shows besides the posts themselves (`StatusFacts`): authors and
//! boosters with their numbers, counts, parents, mentions, offers and needs, hashtags, media
//! and what the viewer did, each read once for the whole page, so that a page costs a fixed
//! number of statements whatever it holds and however many statuses the node keeps. Callers
//! serialise from these facts without going back to the database.

use crate::error::Result;
use crate::model::media::Media;
use crate::model::{Actor, Post, Proposal};
use crate::store::actors::AccountCounts;
use crate::store::timelines::Entry;
use crate::store::{self, Store};
use std::collections::{HashMap, HashSet};

/// What the viewer did with a post.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    pub favourited: bool,
    pub reblogged: bool,
    pub bookmarked: bool,
}

/// An account as shown: the actor, its numbers, and where it moved to when known.
#[derive(Debug, Clone, Default)]
pub struct AccountFacts {
    /// Actors by id (authors, boosters, those mentioned and those they moved to).
    pub actors: HashMap<i64, Actor>,
    /// The same actors by ActivityPub id.
    pub by_ap_id: HashMap<String, i64>,
    pub counts: HashMap<i64, AccountCounts>,
}

impl AccountFacts {
    /// Reads `actors` (by id) and the actors they moved to, with everyone's numbers.
    pub async fn read(conn: &mut store::Conn, ids: &[i64], ap_ids: &[String]) -> Result<AccountFacts> {
        let mut actors = store::actors::by_ids(conn, ids).await?;
        actors.extend(store::actors::by_ap_ids(conn, ap_ids).await?);
        let moved: Vec<String> = actors.iter().filter_map(|a| a.moved_to.clone()).collect();
        actors.extend(store::actors::by_ap_ids(conn, &moved).await?);
        let all: Vec<i64> = actors.iter().map(|a| a.id).collect::<HashSet<_>>().into_iter().collect();
        let counts = store::actors::counts_of(conn, &all).await?.into_iter().map(|c| (c.id, c)).collect();
        let by_ap_id = actors.iter().map(|a| (a.ap_id.clone(), a.id)).collect();
        Ok(AccountFacts { actors: actors.into_iter().map(|a| (a.id, a)).collect(), by_ap_id, counts })
    }

    pub fn actor(&self, id: i64) -> Option<&Actor> {
        self.actors.get(&id)
    }

    pub fn by_ap_id(&self, ap_id: &str) -> Option<&Actor> {
        self.by_ap_id.get(ap_id).and_then(|id| self.actors.get(id))
    }

    pub fn counts(&self, id: i64) -> AccountCounts {
        self.counts.get(&id).copied().unwrap_or_default()
    }
}

/// Everything a page of statuses shows besides the posts themselves.
#[derive(Debug, Default)]
pub struct StatusFacts {
    pub accounts: AccountFacts,
    /// (likes, boosts) by post id.
    pub reactions: HashMap<i64, (i64, i64)>,
    /// Replies by the replied-to post's ActivityPub id.
    pub replies: HashMap<String, i64>,
    /// Parents by ActivityPub id.
    pub parents: HashMap<String, Post>,
    /// The ActivityPub ids each post mentions.
    pub mentions: HashMap<i64, Vec<String>>,
    pub proposals: HashMap<i64, Proposal>,
    /// Hashtags given beside each post.
    pub tags: HashMap<i64, Vec<String>>,
    pub media: HashMap<i64, Vec<Media>>,
    pub flags: HashMap<i64, Flags>,
}

impl StatusFacts {
    /// Reads what `entries` show to `viewer`, and the accounts of `also` (people shown beside
    /// them, as a notification's), in a fixed number of statements.
    pub async fn read(store: &Store, entries: &[Entry], viewer: Option<&Actor>, also: &[i64]) -> Result<StatusFacts> {
        let mut conn = store.conn().await?;
        let conn = &mut conn;
        let post_ids: Vec<i64> = unique(entries.iter().map(|e| e.post.id));
        let ap_ids: Vec<String> = unique(entries.iter().map(|e| e.post.ap_id.clone()));
        let parent_ids: Vec<String> = unique(entries.iter().filter_map(|e| e.post.in_reply_to.clone()));
        let beside = store::post_facts::beside(conn, &post_ids, viewer.map(|v| (v.ap_id.as_str(), v.id))).await?;
        let mentions = super::visibility::group_by_post(beside.mentions);
        let mentioned: Vec<String> = unique(mentions.values().flatten().cloned());
        let shown = entries.iter().flat_map(|e| [Some(e.post.author_id), e.boost.as_ref().map(|b| b.booster_id)]).flatten();
        let people: Vec<i64> = unique(shown.chain(also.iter().copied()));
        Ok(StatusFacts {
            accounts: AccountFacts::read(conn, &people, &mentioned).await?,
            reactions: reaction_counts(&beside.reactions),
            replies: store::post_facts::reply_counts(conn, &ap_ids).await?.into_iter().collect(),
            parents: store::posts::by_ap_ids(conn, &parent_ids).await?.into_iter().map(|p| (p.ap_id.clone(), p)).collect(),
            mentions,
            proposals: store::proposals::by_post_ids(conn, &post_ids).await?.into_iter().map(|p| (p.post_id, p)).collect(),
            media: media_by_post(store::media::for_posts(conn, &post_ids).await?),
            flags: flags(&beside.by_reader, &beside.bookmarked),
            tags: super::visibility::group_by_post(beside.tags),
        })
    }
}

/// Likes and boosts by post, from each post's count of each kind.
fn reaction_counts(counts: &[(i64, String, i64)]) -> HashMap<i64, (i64, i64)> {
    let mut by_post: HashMap<i64, (i64, i64)> = HashMap::new();
    for (post, kind, count) in counts {
        let entry = by_post.entry(*post).or_default();
        match kind.as_str() {
            super::reactions::LIKE => entry.0 += count,
            super::reactions::ANNOUNCE => entry.1 += count,
            _ => {}
        }
    }
    by_post
}

/// What the reader did with each post (those with nothing done are left out).
fn flags(by_reader: &[(i64, String)], bookmarked: &[i64]) -> HashMap<i64, Flags> {
    let mut flags: HashMap<i64, Flags> = HashMap::new();
    for (post, kind) in by_reader {
        let entry = flags.entry(*post).or_default();
        entry.favourited |= kind == super::reactions::LIKE;
        entry.reblogged |= kind == super::reactions::ANNOUNCE;
    }
    for post in bookmarked {
        flags.entry(*post).or_default().bookmarked = true;
    }
    flags
}

fn media_by_post(media: Vec<Media>) -> HashMap<i64, Vec<Media>> {
    let mut grouped: HashMap<i64, Vec<Media>> = HashMap::new();
    for item in media {
        if let Some(post) = item.post_id {
            grouped.entry(post).or_default().push(item);
        }
    }
    grouped
}

/// The distinct values, in their first order.
fn unique<T: Eq + std::hash::Hash + Clone>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    values.filter(|v| seen.insert(v.clone())).collect()
}

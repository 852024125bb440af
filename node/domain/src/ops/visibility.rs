//! Who may read what. Every read path (HTML, Mastodon API, ActivityPub GETs, feeds) asks here.

use crate::error::{DomainError, Result};
use crate::model::{Actor, ActorKind, Post, Visibility};
use crate::store::{self, Store};
use std::collections::{HashMap, HashSet};

/// Whether the actor `reader` (by id; `None` for an anonymous or unsigned reader) may read `post`.
pub async fn may_read(store: &Store, post: &Post, reader: Option<&str>) -> Result<bool> {
    Ok(readable(store, std::slice::from_ref(post), reader).await?.contains(&post.id))
}

/// The ids of those of `posts` that `reader` may read, decided from facts read for all of them
/// at once (a fixed number of statements, whatever the page holds; none for public posts).
pub async fn readable(store: &Store, posts: &[Post], reader: Option<&str>) -> Result<HashSet<i64>> {
    if reader.is_none() || posts.iter().all(open_to_anyone) {
        return Ok(posts.iter().filter(|p| open_to_anyone(p)).map(|p| p.id).collect());
    }
    readable_on(&mut store.conn().await?, posts, reader).await
}

/// [`readable`], on a connection the caller holds.
pub async fn readable_on(conn: &mut store::Conn, posts: &[Post], reader: Option<&str>) -> Result<HashSet<i64>> {
    let (open, closed): (Vec<&Post>, Vec<&Post>) = posts.iter().partition(|p| open_to_anyone(p));
    let mut ids: HashSet<i64> = open.iter().map(|p| p.id).collect();
    let Some(reader) = reader.filter(|_| !closed.is_empty()) else { return Ok(ids) };
    let facts = ReaderFacts::read(conn, &closed, reader).await?;
    ids.extend(closed.iter().filter(|p| facts.may_read(p)).map(|p| p.id));
    Ok(ids)
}

fn open_to_anyone(post: &Post) -> bool {
    matches!(post.visibility, Visibility::Public | Visibility::Unlisted)
}

/// What decides whether one reader may read a page of posts that are not public.
struct ReaderFacts<'r> {
    reader: &'r str,
    /// The reader, when this node knows them.
    known: Option<Actor>,
    /// The initiatives the reader belongs to here, with the role.
    roles: Vec<(i64, String)>,
    authors: HashMap<i64, Actor>,
    /// Each post's recipients.
    recipients: HashMap<i64, Vec<String>>,
    /// The authors the reader follows (accepted).
    followed: HashSet<i64>,
    /// The initiatives each author belongs to here.
    authors_initiatives: HashMap<i64, Vec<i64>>,
    /// Recipients that are initiatives (groups), read only for a node as reader.
    group_recipients: HashSet<String>,
}

impl<'r> ReaderFacts<'r> {
    async fn read(conn: &mut store::Conn, posts: &[&Post], reader: &'r str) -> Result<ReaderFacts<'r>> {
        let post_ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
        let author_ids: Vec<i64> = posts.iter().map(|p| p.author_id).collect::<HashSet<_>>().into_iter().collect();
        let known = store::actors::by_ap_id(conn, reader).await?;
        let local_id = known.as_ref().filter(|a| a.is_local).map(|a| a.id);
        let roles = match local_id {
            Some(id) => store::actors::roles_of(conn, id).await?,
            None => Vec::new(),
        };
        let authors = store::actors::by_ids(conn, &author_ids).await?.into_iter().map(|a| (a.id, a)).collect();
        let recipients = group_by_post(store::post_facts::recipients_of(conn, &post_ids).await?);
        let followed = store::follows::followed_among(conn, &author_ids, reader).await?.into_iter().collect();
        let mut authors_initiatives: HashMap<i64, Vec<i64>> = HashMap::new();
        for (member, initiative, _) in store::actors::roles_of_all(conn, &author_ids).await? {
            authors_initiatives.entry(member).or_default().push(initiative);
        }
        let mut facts =
            ReaderFacts { reader, known, roles, authors, recipients, followed, authors_initiatives, group_recipients: HashSet::new() };
        if facts.is_a_node() {
            let addressed: Vec<String> = facts.recipients.values().flatten().filter(|r| same_origin(r, reader)).cloned().collect();
            let groups = store::actors::by_ap_ids(conn, &addressed).await?;
            facts.group_recipients = groups.into_iter().filter(|a| a.kind() == ActorKind::Group).map(|a| a.ap_id).collect();
        }
        Ok(facts)
    }

    fn is_member_here(&self) -> bool {
        self.known.as_ref().is_some_and(|a| a.is_local)
    }

    fn is_a_node(&self) -> bool {
        self.known.as_ref().is_some_and(|a| a.kind() == ActorKind::Application)
    }

    /// The one rule: its author, members of the initiative that wrote it, its recipients,
    /// then what its visibility opens it to.
    fn may_read(&self, post: &Post) -> bool {
        let Some(author) = self.authors.get(&post.author_id) else { return false };
        let recipients = self.recipients.get(&post.id).map(Vec::as_slice).unwrap_or_default();
        if author.ap_id == self.reader {
            return true;
        }
        let belongs = self.is_member_here() && self.roles.iter().any(|(initiative, _)| *initiative == author.id);
        if author.kind() == ActorKind::Group && author.is_local && belongs {
            return true;
        }
        if recipients.iter().any(|r| r == self.reader) {
            return true;
        }
        match post.visibility {
            Visibility::Followers => self.followed.contains(&author.id),
            Visibility::Local => self.is_member_here(),
            Visibility::Coordinators => self.coordinates_for(author.id),
            Visibility::Coalition => self.is_member_here() || self.hosts_an_addressed_initiative(recipients),
            _ => false,
        }
    }

    /// Whether the reader coordinates an initiative here that `person` belongs to (any
    /// initiative here, for someone who belongs to none: the node's coordinators are hers).
    fn coordinates_for(&self, person_id: i64) -> bool {
        let hers = self.authors_initiatives.get(&person_id).map(Vec::as_slice).unwrap_or_default();
        self.is_member_here()
            && self
                .roles
                .iter()
                .any(|(initiative, role)| role == super::actors::ROLE_COORDINATOR && (hers.is_empty() || hers.contains(initiative)))
    }

    /// Whether the reader is the node of one of the initiatives the post is addressed to.
    fn hosts_an_addressed_initiative(&self, recipients: &[String]) -> bool {
        self.is_a_node() && recipients.iter().any(|r| same_origin(r, self.reader) && self.group_recipients.contains(r))
    }
}

/// Rows of (post, value) as each post's values, in their order.
pub(crate) fn group_by_post(rows: Vec<(i64, String)>) -> HashMap<i64, Vec<String>> {
    let mut grouped: HashMap<i64, Vec<String>> = HashMap::new();
    for (post, value) in rows {
        grouped.entry(post).or_default().push(value);
    }
    grouped
}

/// Whether `actor` (on another node) may act on `post`: respond to it, take part, propose an
/// edit. What it may read, and coalition content also for the people of a node hosting an
/// addressed initiative, who were shown it there.
pub async fn may_act_on(store: &Store, post: &Post, actor: &str) -> Result<bool> {
    if may_read(store, post, Some(actor)).await? {
        return Ok(true);
    }
    if post.visibility != Visibility::Coalition {
        return Ok(false);
    }
    hosts_an_addressed_initiative(&mut store.conn().await?, post, actor).await
}

/// Whether `actor` lives on the node of one of the initiatives `post` is addressed to (not
/// of any recipient: a person mentioned on a big server does not open it to that server).
async fn hosts_an_addressed_initiative(conn: &mut store::Conn, post: &Post, actor: &str) -> Result<bool> {
    for recipient in store::posts::recipients(conn, post.id).await?.iter().filter(|r| same_origin(r, actor)) {
        if store::actors::by_ap_id(conn, recipient).await?.is_some_and(|r| r.kind() == ActorKind::Group) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `reader` is the node (its instance actor, an `Application`) of one of `actors`.
pub async fn speaks_for_a_node_of<'a>(conn: &mut store::Conn, reader: &str, mut actors: impl Iterator<Item = &'a str>) -> Result<bool> {
    let is_a_node = store::actors::by_ap_id(conn, reader).await?.is_some_and(|a| a.kind() == ActorKind::Application);
    Ok(is_a_node && actors.any(|actor| same_origin(actor, reader)))
}

fn same_origin(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// A post for `reader`: NotFound when it may not see it (so that its existence does not
/// leak), Gone when it was deleted.
pub async fn readable_post(store: &Store, ap_id: &str, reader: Option<&str>) -> Result<Post> {
    let post = store::posts::by_ap_id(&mut store.conn().await?, ap_id).await?.ok_or(DomainError::NotFound)?;
    if post.is_deleted() {
        return Err(DomainError::Gone);
    }
    if !may_read(store, &post, reader).await? {
        return Err(DomainError::NotFound);
    }
    Ok(post)
}

/// Who an activity this node sent was for, read from its addressing by the federation crate.
#[derive(Debug, Default)]
pub struct SentActivity {
    /// The actor that sent it (one of ours).
    pub actor: String,
    /// Addressed to the public collection.
    pub public: bool,
    /// Everyone it names as its audience: `to`, `cc`, `bto`, `audience`, and the actor it is
    /// about when its object is an actor (a `Follow`).
    pub addressed: Vec<String>,
    /// The post it publishes (`Create` or `Update`): then the post's own visibility decides.
    pub publishes: Option<String>,
}

/// Whether `reader` may read an activity this node sent (its id resolves for them):
/// NotFound when not, Gone when its actor's account or the post it publishes was deleted.
pub async fn readable_activity(store: &Store, sent: &SentActivity, reader: Option<&str>) -> Result<()> {
    let mut conn = store.conn().await?;
    let actor = store::actors::by_ap_id(&mut conn, &sent.actor).await?.filter(|a| a.is_local).ok_or(DomainError::NotFound)?;
    if store::actors::is_deleted(&mut conn, actor.id).await? {
        return Err(DomainError::Gone);
    }
    drop(conn);
    if let Some(post) = &sent.publishes {
        return readable_post(store, post, reader).await.map(|_| ());
    }
    if sent.public {
        return Ok(());
    }
    let Some(reader) = reader else { return Err(DomainError::NotFound) };
    if reader == actor.ap_id || sent.addressed.iter().any(|a| a == reader) {
        return Ok(());
    }
    let to_followers = actor.followers.as_ref().is_some_and(|f| sent.addressed.contains(f));
    if to_followers && store::follows::is_accepted_follower(&mut store.conn().await?, reader, actor.id).await? {
        return Ok(());
    }
    Err(DomainError::NotFound)
}

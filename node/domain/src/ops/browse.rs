//! What the web pages list: open offers and needs, coming events and a node's initiatives,
//! each filtered by what the reader may see (the same rule as every other read path).

use crate::error::Result;
use crate::model::{Actor, ActorKind, Event, Post, Proposal, Purpose};
use crate::now_ms;
use crate::ops::visibility::{may_read, readable_on};
use crate::store::{self, Conn, Store};
use std::collections::HashMap;

/// How many rows the database is asked for before visibility filtering.
const SCAN: i64 = 200;

/// An offer or need with its post and author.
pub struct ProposalCard {
    pub proposal: Proposal,
    pub post: Post,
    pub author: Actor,
}

/// An event with its post and author.
pub struct EventCard {
    pub event: Event,
    pub post: Post,
    pub author: Actor,
}

/// What to show of open offers and needs.
#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    pub purpose: Option<Purpose>,
    pub category: Option<String>,
    /// Part of the neighbourhood's name, any case.
    pub neighbourhood: Option<String>,
    /// Words that must occur in the title or description.
    pub words: Option<String>,
    /// A day it must be possible on (flexible ones always are).
    pub on: Option<chrono::NaiveDate>,
}

impl ProposalFilter {
    /// Whether the filter leaves any open offer or need out, beyond its purpose.
    fn narrows(&self) -> bool {
        let given = |text: &Option<String>| text.as_deref().is_some_and(|t| !t.trim().is_empty());
        given(&self.category) || given(&self.neighbourhood) || given(&self.words) || self.on.is_some()
    }

    fn admits(&self, proposal: &Proposal) -> bool {
        let contains = |haystack: &str, needle: &str| haystack.to_lowercase().contains(&needle.trim().to_lowercase());
        self.category.as_deref().is_none_or(|c| c.is_empty() || proposal.category.eq_ignore_ascii_case(c))
            && self
                .neighbourhood
                .as_deref()
                .is_none_or(|n| n.trim().is_empty() || proposal.neighbourhood.as_deref().is_some_and(|p| contains(p, n)))
            && self
                .words
                .as_deref()
                .is_none_or(|w| w.split_whitespace().all(|word| contains(&proposal.title, word) || contains(&proposal.description, word)))
            && self.on.is_none_or(|day| crate::model::matching::overlaps(proposal.when(), crate::model::When::On(day)))
    }
}

/// Open offers and needs `reader` may see, newest first. They are read a part at a time:
/// what the page shows first (twice that when some may be left out: by the filter, or for a
/// member, by whom each is for), doubling while too few are shown, so that a page costs about
/// the same whether the node holds ten open needs or ten thousand. A visitor who is not
/// logged in is read only what anyone may read. Both purposes
/// are read as one list when the filter names none; at most [`SCAN`] are looked at for each
/// purpose read (twice that for the list of both, of either kind).
pub async fn open_proposals(store: &Store, reader: Option<&Actor>, filter: &ProposalFilter, limit: usize) -> Result<Vec<ProposalCard>> {
    open_proposals_on(&mut store.conn().await?, reader, filter, limit).await
}

/// [`open_proposals`], on a connection the caller holds.
async fn open_proposals_on(conn: &mut Conn, reader: Option<&Actor>, filter: &ProposalFilter, limit: usize) -> Result<Vec<ProposalCard>> {
    let mut stream = OpenStream::new(filter.purpose, reader.is_none());
    let mut cards = Vec::new();
    let first = if filter.narrows() || reader.is_some() { 2 * limit as i64 } else { limit as i64 };
    let mut part = first.clamp(1, SCAN);
    while cards.len() < limit && stream.more {
        let admitted: Vec<Proposal> = stream.next_part(conn, part).await?.into_iter().filter(|p| filter.admits(p)).collect();
        cards.extend(proposal_cards(conn, admitted, reader, limit - cards.len()).await?);
        part = (part * 2).min(SCAN);
    }
    Ok(cards)
}

/// Open offers or needs of one purpose (or both), read newest first a part at a time.
struct OpenStream {
    purpose: Option<Purpose>,
    /// Only those anyone may read.
    anyones_only: bool,
    /// The oldest post read so far: what comes next is older.
    before: i64,
    read: i64,
    /// How many it reads at most: [`SCAN`] for each purpose it reads, together.
    cap: i64,
    more: bool,
}

impl OpenStream {
    fn new(purpose: Option<Purpose>, anyones_only: bool) -> OpenStream {
        let cap = if purpose.is_some() { SCAN } else { 2 * SCAN };
        OpenStream { purpose, anyones_only, before: i64::MAX, read: 0, cap, more: true }
    }

    async fn next_part(&mut self, conn: &mut Conn, part: i64) -> Result<Vec<Proposal>> {
        let wanted = part.min(self.cap - self.read);
        let rows = store::proposals::open_before(conn, self.purpose, self.before, wanted, self.anyones_only).await?;
        self.read += rows.len() as i64;
        self.more = rows.len() as i64 == wanted && self.read < self.cap;
        self.before = rows.last().map_or(self.before, |p| p.post_id);
        Ok(rows)
    }
}

/// The first `limit` of `proposals` (newest first) that `reader` may read, as cards.
async fn proposal_cards(conn: &mut Conn, proposals: Vec<Proposal>, reader: Option<&Actor>, limit: usize) -> Result<Vec<ProposalCard>> {
    if proposals.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = proposals.iter().map(|p| p.post_id).collect();
    let mut shown = readable_with_authors(conn, &ids, reader, limit).await?;
    Ok(proposals
        .into_iter()
        .filter_map(|proposal| shown.remove(&proposal.post_id).map(|(post, author)| ProposalCard { proposal, post, author }))
        .collect())
}

/// The first `limit` of the posts `ids` (in that order) that `reader` may read, with their
/// authors, read for all of them at once.
async fn readable_with_authors(conn: &mut Conn, ids: &[i64], reader: Option<&Actor>, limit: usize) -> Result<HashMap<i64, (Post, Actor)>> {
    let mut posts: HashMap<i64, Post> = store::posts::by_ids(conn, ids).await?.into_iter().map(|p| (p.id, p)).collect();
    let in_order: Vec<Post> = ids.iter().filter_map(|id| posts.remove(id)).collect();
    let readable = readable_on(conn, &in_order, reader.map(|r| r.ap_id.as_str())).await?;
    let shown: Vec<Post> = in_order.into_iter().filter(|p| readable.contains(&p.id)).take(limit).collect();
    let author_ids: Vec<i64> = shown.iter().map(|p| p.author_id).collect();
    let authors: HashMap<i64, Actor> = store::actors::by_ids(conn, &author_ids).await?.into_iter().map(|a| (a.id, a)).collect();
    Ok(shown.into_iter().filter_map(|post| authors.get(&post.author_id).cloned().map(|author| (post.id, (post, author)))).collect())
}

/// Coming events `reader` may see (of `author` only, when given), soonest first.
pub async fn coming_events(store: &Store, reader: Option<&Actor>, author: Option<&Actor>, limit: usize) -> Result<Vec<EventCard>> {
    events_from(store, reader, author, now_ms(), limit).await
}

/// What the front page lists: the initiatives here, the newest open needs and offers, coming
/// events and recent news, as `reader` may see them. Read on one connection: under a busy
/// inbox each wait for a pooled connection is long, and the page waited about 14 times
/// (docs/benchmarks.md: p50 10 to 14 ms under the inbox before, 6 to 9 ms after).
pub struct FrontPage {
    pub initiatives: Vec<Actor>,
    pub needs: Vec<ProposalCard>,
    pub offers: Vec<ProposalCard>,
    pub events: Vec<EventCard>,
    pub news: Vec<(Post, Actor)>,
}

/// The front page's lists, `per_list` of each (`news` of the news).
pub async fn front_page(store: &Store, reader: Option<&Actor>, per_list: usize, news: usize) -> Result<FrontPage> {
    let conn = &mut store.conn().await?;
    let of = |purpose| ProposalFilter { purpose: Some(purpose), ..Default::default() };
    Ok(FrontPage {
        initiatives: store::actors::local_of_kind(conn, ActorKind::Group).await?,
        needs: open_proposals_on(conn, reader, &of(Purpose::Request), per_list).await?,
        offers: open_proposals_on(conn, reader, &of(Purpose::Offer), per_list).await?,
        events: events_from_on(conn, reader, None, now_ms(), per_list).await?,
        news: recent_news(conn, news).await?,
    })
}

/// Events `reader` may see that end after `from_ms`, soonest first.
pub async fn events_from(
    store: &Store,
    reader: Option<&Actor>,
    author: Option<&Actor>,
    from_ms: i64,
    limit: usize,
) -> Result<Vec<EventCard>> {
    events_from_on(&mut store.conn().await?, reader, author, from_ms, limit).await
}

async fn events_from_on(
    conn: &mut Conn,
    reader: Option<&Actor>,
    author: Option<&Actor>,
    from_ms: i64,
    limit: usize,
) -> Result<Vec<EventCard>> {
    let events = store::events::upcoming(conn, author.map(|a| a.id), false, from_ms, SCAN).await?;
    let ids: Vec<i64> = events.iter().map(|e| e.post_id).collect();
    let mut shown = readable_with_authors(conn, &ids, reader, limit).await?;
    Ok(events
        .into_iter()
        .filter_map(|event| shown.remove(&event.post_id).map(|(post, author)| EventCard { event, post, author }))
        .collect())
}

/// The initiatives hosted here.
pub async fn local_initiatives(store: &Store) -> Result<Vec<Actor>> {
    store::actors::local_of_kind(&mut store.conn().await?, ActorKind::Group).await
}

/// The initiatives a member coordinates (all of them for an administrator).
pub async fn coordinated_by(store: &Store, member: &Actor) -> Result<Vec<Actor>> {
    let mut conn = store.conn().await?;
    let all = store::actors::local_of_kind(&mut conn, ActorKind::Group).await?;
    if store::actors::is_admin(&mut conn, member.id).await? {
        return Ok(all);
    }
    let roles = store::actors::roles_of(&mut conn, member.id).await?;
    Ok(all.into_iter().filter(|i| roles.iter().any(|(id, role)| *id == i.id && role == super::actors::ROLE_COORDINATOR)).collect())
}

/// The newest public posts this node holds that are not offers, needs, events or articles, with
/// their authors.
async fn recent_news(conn: &mut Conn, limit: usize) -> Result<Vec<(Post, Actor)>> {
    let recent = store::posts::recent_public(conn, 50).await?;
    let ids: Vec<i64> = recent.iter().map(|p| p.id).collect();
    let with_own_form = store::post_facts::with_own_form(conn, &ids).await?;
    let news: Vec<Post> = recent.into_iter().filter(|p| p.in_reply_to.is_none() && !with_own_form.contains(&p.id)).take(limit).collect();
    let author_ids: Vec<i64> = news.iter().map(|p| p.author_id).collect();
    let authors: HashMap<i64, Actor> = store::actors::by_ids(conn, &author_ids).await?.into_iter().map(|a| (a.id, a)).collect();
    Ok(news.into_iter().filter_map(|post| authors.get(&post.author_id).cloned().map(|author| (post, author))).collect())
}

/// A post for a news feed, with its author and a title when it has one of its own.
pub struct FeedItem {
    pub post: Post,
    pub author: Actor,
    pub title: Option<String>,
}

/// The newest public posts of this node (of `author` only, when given), for feed readers,
/// which read anonymously: public posts only, replies left out.
pub async fn feed(store: &Store, author: Option<&Actor>, limit: i64) -> Result<Vec<FeedItem>> {
    let mut conn = store.conn().await?;
    let posts = match author {
        Some(author) => store::posts::public_by_author(&mut conn, author.id, limit, 0).await?,
        None => store::posts::recent_public(&mut conn, limit * 3).await?.into_iter().filter(|p| p.is_local).take(limit as usize).collect(),
    };
    let mut items = Vec::new();
    for post in posts.into_iter().filter(|p| p.in_reply_to.is_none() && !p.is_deleted() && p.visibility == crate::model::Visibility::Public)
    {
        let title = match store::proposals::by_post_id(&mut conn, post.id).await? {
            Some(p) => Some(p.title),
            None => store::events::by_post_id(&mut conn, post.id).await?.map(|e| e.title),
        };
        let author = store::actors::by_id(&mut conn, post.author_id).await?;
        items.push(FeedItem { post, author, title });
    }
    Ok(items)
}

/// An article with its post and author.
pub struct ArticleCard {
    pub article: crate::model::Article,
    pub post: Post,
    pub author: Actor,
}

/// The articles `reader` may see, most recently changed first.
pub async fn articles(store: &Store, reader: Option<&Actor>, limit: usize) -> Result<Vec<ArticleCard>> {
    let ids = store::articles::recent(&mut store.conn().await?, SCAN).await?;
    let mut cards = Vec::new();
    for id in ids {
        if cards.len() == limit {
            break;
        }
        let mut conn = store.conn().await?;
        let post = store::posts::by_id(&mut conn, id).await?;
        let Some(article) = store::articles::by_post_id(&mut conn, id).await? else { continue };
        drop(conn);
        if !may_read(store, &post, reader.map(|r| r.ap_id.as_str())).await? {
            continue;
        }
        let author = store::actors::by_id(&mut store.conn().await?, post.author_id).await?;
        cards.push(ArticleCard { article, post, author });
    }
    Ok(cards)
}

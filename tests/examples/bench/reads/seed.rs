//! What the reads benchmark's node holds, written in this process through the domain's own
//! store functions (`store::posts::insert`, which draws every post's id from the shared
//! status counter, `store::proposals::insert`, `store::notifications::insert_by`, ...) on
//! the node's SQLite file while the node is stopped, in transactions of a few thousand
//! statuses: no use case runs, so nothing is queued for delivery and no matching starts.
//!
//! The member `schrijver` follows [`AUTHORS`] remote authors, each of whom follows her back.
//! Status `i` is hers when `i % 10 == 0` (every second of those an open need or offer,
//! every third liked by an author), otherwise a public post by author `i % AUTHORS`; every
//! fifth of those carries `#buurt`, one in fifty mentions her, one in a hundred is boosted
//! by another author.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{Actor, FollowState, NewPost, Purpose, Visibility, When};
use buurtnet_domain::store::proposals::ProposalRow;
use buurtnet_domain::store::{self, Store, Tx};
use buurtnet_domain::urls::LocalUrls;
use std::ops::Range;
use std::time::Instant;

pub const MEMBER: &str = "schrijver";
pub const AUTHORS: usize = 50;
pub const TAG: &str = "buurt";
/// Statuses written in one transaction.
const BATCH: usize = 5_000;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// The member and the remote authors she follows; statuses are dated from `first_ms` on,
/// one a second.
pub struct Cast {
    pub member: Actor,
    pub authors: Vec<Actor>,
    first_ms: i64,
}

/// Adds the remote authors, the follows both ways and the member's notifications of them.
pub async fn cast(store: &Store, statuses: usize) -> Result<Cast> {
    let member =
        store::actors::local_by_username(&mut store.conn().await?, MEMBER).await?.with_context(|| format!("no member {MEMBER}"))?;
    let mut tx = store.begin().await?;
    let mut authors = Vec::new();
    for n in 0..AUTHORS {
        let ap_id = url::Url::parse(&format!("https://buren{}.example/users/buur{n}", n % 5))?;
        let author = store::actors::upsert(&mut tx, &buurtnet_tests::harness::stand_in_remote_actor(&ap_id)?).await?;
        store::follows::upsert(&mut tx, member.id, author.id, FollowState::Accepted, &format!("{}/follows/{n}", member.ap_id)).await?;
        store::follows::upsert(&mut tx, author.id, member.id, FollowState::Accepted, &format!("{ap_id}/follows/schrijver")).await?;
        store::notifications::insert_by(&mut tx, member.id, "follow", None, author.id).await?;
        authors.push(author);
    }
    tx.commit().await?;
    let first_ms = buurtnet_domain::now_ms() - statuses as i64 * 1000;
    Ok(Cast { member, authors, first_ms })
}

/// Writes statuses number `numbers` (see the module's description).
pub async fn statuses(store: &Store, urls: &LocalUrls, cast: &Cast, numbers: Range<usize>) -> Result<()> {
    let started = Instant::now();
    let count = numbers.len();
    let mut next = numbers.start;
    while next < numbers.end {
        let end = (next + BATCH).min(numbers.end);
        let mut tx = store.begin().await?;
        for i in next..end {
            if i.is_multiple_of(10) { members_status(&mut tx, urls, cast, i).await? } else { authors_status(&mut tx, cast, i).await? }
        }
        tx.commit().await?;
        next = end;
    }
    eprintln!("reads: {count} statuses written in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The member's post `i`, as `ops::posts` stores a local one (its id made from its row id).
async fn members_status(tx: &mut Tx, urls: &LocalUrls, cast: &Cast, i: usize) -> Result<()> {
    let member = &cast.member;
    let text = format!("Wie helpt er mee met de buurtmaaltijd? ({i}) #{TAG}");
    let mut new = NewPost::local(member.id, format!("<p>{text}</p>"), text, Visibility::Public);
    new.published = cast.first_ms + i as i64 * 1000;
    let post = store::posts::insert(tx, &new).await?;
    let ap_id = urls.note(post.id).to_string();
    store::posts::set_ap_id(tx, post.id, &ap_id, &ap_id).await?;
    if i.is_multiple_of(20) {
        let purpose = if i.is_multiple_of(40) { Purpose::Request } else { Purpose::Offer };
        let title = format!("Boodschappen doen ({i})");
        let row = ProposalRow {
            purpose,
            title: &title,
            description: "Een keer per week naar de supermarkt.",
            category: "boodschappen",
            neighbourhood: Some("Oost"),
            when: When::Flexible,
            expires_at: Some(buurtnet_domain::now_ms() + 30 * DAY_MS),
        };
        store::proposals::insert(tx, post.id, &row).await?;
    }
    if i.is_multiple_of(30) {
        let fan = &cast.authors[i % AUTHORS];
        store::posts::add_reaction(tx, "like", &format!("{}/likes/{i}", fan.ap_id), &fan.ap_id, post.id).await?;
        store::notifications::insert_by(tx, member.id, "favourite", Some(post.id), fan.id).await?;
    }
    Ok(())
}

/// A remote author's public post `i`, as it is stored when it arrives.
async fn authors_status(tx: &mut Tx, cast: &Cast, i: usize) -> Result<()> {
    let author = &cast.authors[i % AUTHORS];
    let mentions = i % 50 == 3;
    let tag = if i % 5 == 1 { format!(" #{TAG}") } else { String::new() };
    let content = format!("<p>Nieuws uit de straat, nummer {i}.{tag}</p>");
    let mut new = buurtnet_tests::harness::stand_in_remote_post(author, i, content, cast.first_ms + i as i64 * 1000);
    if mentions {
        new.recipients = vec![cast.member.ap_id.clone()];
    }
    let post = store::posts::insert(tx, &new).await?;
    if mentions {
        store::posts::add_mentions(tx, post.id, std::slice::from_ref(&cast.member.ap_id)).await?;
        store::notifications::insert_by(tx, cast.member.id, "mention", Some(post.id), author.id).await?;
    }
    if i % 100 == 7 {
        let booster = &cast.authors[(i + 1) % AUTHORS];
        store::posts::add_reaction(tx, "announce", &format!("{}/boosts/{i}", booster.ap_id), &booster.ap_id, post.id).await?;
    }
    Ok(())
}

//! A coalition's week (issue 16): the events of all its member initiatives that this node
//! holds (members' public and coalition events reach every member node), day by day for
//! seven days, or only the meals ("Waar kan ik deze week eten?"), and the same as an iCal
//! feed. What an event belongs to: an author that is a member initiative, or a person here
//! who belongs to one. Every event passes [`super::visibility::may_read`] for the reader.
//!
//! A meal is an event whose text carries `#samenEten` (or `#maaltijd`): hashtags travel
//! with the post to every node (Mastodon shows them too), so no new field is needed on the
//! wire or in the database.

use crate::error::Result;
use crate::model::{Actor, Event, Post};
use crate::store::{self, Store};
use chrono::{Days, NaiveDate, TimeZone};
use chrono_tz::Tz;
use std::collections::BTreeSet;

pub use crate::model::MEAL_TAGS;
/// Days in a week's view.
pub const DAYS: u64 = 7;
/// Most events looked at for one week or one feed.
const SCAN: i64 = 500;
/// How far back the feed goes, so calendars keep a month of history.
const HISTORY_MS: i64 = 31 * 24 * 3600 * 1000;

/// One event of the week with its post and author, and whether it is a meal.
pub struct Item {
    pub event: Event,
    pub post: Post,
    pub author: Actor,
    pub meal: bool,
}

/// One day of the week: its date (in the coalition's time zone) and its events, by time.
pub struct Day {
    pub date: NaiveDate,
    pub items: Vec<Item>,
}

/// Which events a week shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    All,
    Meals,
}

/// The zone the days are counted in (the events' own zone gives their times).
fn zone() -> Tz {
    crate::model::DEFAULT_TIMEZONE.parse().unwrap_or(chrono_tz::Europe::Amsterdam)
}

/// Today in the coalition's time zone.
pub fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&zone()).date_naive()
}

/// The first instant of `day` in the coalition's time zone, in Unix milliseconds.
fn start_of(day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    zone().from_local_datetime(&midnight).earliest().map(|t| t.timestamp_millis()).unwrap_or_default()
}

/// The date an event starts on, in the coalition's time zone.
fn date_of(ms: i64) -> NaiveDate {
    zone().timestamp_millis_opt(ms).single().map(|t| t.date_naive()).unwrap_or_default()
}

/// The seven days from `from`, each with the members' events `reader` may see.
pub async fn week(store: &Store, coalition: &str, reader: Option<&Actor>, from: NaiveDate, show: Show) -> Result<Vec<Day>> {
    let until = from.checked_add_days(Days::new(DAYS)).unwrap_or(from);
    let items = members_events(store, coalition, reader.map(|r| r.ap_id.as_str()), start_of(from), start_of(until)).await?;
    let mut days: Vec<Day> =
        (0..DAYS).filter_map(|n| from.checked_add_days(Days::new(n))).map(|date| Day { date, items: vec![] }).collect();
    for item in items.into_iter().filter(|i| show == Show::All || i.meal) {
        let date = date_of(item.event.starts_at);
        if let Some(day) = days.iter_mut().find(|d| d.date == date) {
            day.items.push(item);
        }
    }
    Ok(days)
}

/// The members' events as an iCal feed named `name`: a month back and everything coming.
pub async fn feed(store: &Store, coalition: &str, name: &str, reader: Option<&str>) -> Result<String> {
    let items = members_events(store, coalition, reader, crate::now_ms() - HISTORY_MS, i64::MAX).await?;
    let mut entries = Vec::new();
    for item in &items {
        entries.push(super::calendar::entry(store, &item.post, &item.event).await?);
    }
    Ok(crate::model::calendar::calendar(name, &entries))
}

/// The events of the coalition's members that end after `from_ms` and start before
/// `until_ms`, that `reader` may see, soonest first.
async fn members_events(store: &Store, coalition: &str, reader: Option<&str>, from_ms: i64, until_ms: i64) -> Result<Vec<Item>> {
    let members = super::coalitions::state(store, coalition).await?.members;
    let events = store::events::upcoming(&mut store.conn().await?, None, false, from_ms, SCAN).await?;
    let mut items = Vec::new();
    for event in events.into_iter().filter(|e| e.starts_at < until_ms) {
        let mut conn = store.conn().await?;
        let post = store::posts::by_id(&mut conn, event.post_id).await?;
        let author = store::actors::by_id(&mut conn, post.author_id).await?;
        if !belongs_to_a_member(&mut conn, &members, &author).await? {
            continue;
        }
        let meal = store::posts::tags(&mut conn, post.id).await?.iter().any(|t| MEAL_TAGS.contains(&t.as_str()));
        drop(conn);
        if super::visibility::may_read(store, &post, reader).await? {
            items.push(Item { event, post, author, meal });
        }
    }
    Ok(items)
}

/// Whether `author` is one of `members`, or a person here who belongs to one of them (a
/// resident or volunteer of a member initiative). Of a person elsewhere this node does not
/// know the initiative, so only the initiatives themselves count there.
pub(crate) async fn belongs_to_a_member(conn: &mut store::Conn, members: &BTreeSet<String>, author: &Actor) -> Result<bool> {
    if members.contains(&author.ap_id) {
        return Ok(true);
    }
    if !author.is_local {
        return Ok(false);
    }
    for (initiative, _) in store::actors::roles_of(conn, author.id).await? {
        if members.contains(&store::actors::by_id(conn, initiative).await?.ap_id) {
            return Ok(true);
        }
    }
    Ok(false)
}

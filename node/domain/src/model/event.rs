//! Events (activiteiten): meals, meet-ups, workshops, with a time in a time zone, a place or
//! an online link, a capacity and a join mode. FEP-8a8e on the wire.

use crate::error::{DomainError, Result, Say, Violation};
use chrono::{DateTime, Datelike, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

pub const DEFAULT_TIMEZONE: &str = "Europe/Amsterdam";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinMode {
    /// Anyone may join, up to the capacity.
    Free,
    /// The organisers accept each participant.
    Approval,
    /// Registration happens elsewhere (a link).
    External,
}

impl JoinMode {
    pub fn as_str(self) -> &'static str {
        match self {
            JoinMode::Free => "free",
            JoinMode::Approval => "restricted",
            JoinMode::External => "external",
        }
    }

    pub fn parse(s: &str) -> JoinMode {
        match s {
            "restricted" | "approval" | "invite" => JoinMode::Approval,
            "external" => JoinMode::External,
            _ => JoinMode::Free,
        }
    }
}

impl TryFrom<String> for JoinMode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        Ok(JoinMode::parse(&value))
    }
}

/// Where an event takes place.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Place {
    pub name: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct EventDraft {
    pub title: String,
    pub description: String,
    /// Start and end as UTC instants.
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA name, such as `Europe/Amsterdam`.
    pub timezone: String,
    pub place: Option<Place>,
    pub online_url: Option<String>,
    pub capacity: Option<i64>,
    pub join_mode: JoinMode,
}

/// The hashtags (lower case, as kept) that make an event a meal.
pub const MEAL_TAGS: [&str; 2] = ["sameneten", "maaltijd"];
/// The hashtag the "Dit is een maaltijd" tick adds.
const MEAL_HASHTAG: &str = "#samenEten";

/// Whether `word` is one of the meal hashtags (in any case, with a full stop or comma after).
fn is_meal_hashtag(word: &str) -> bool {
    let tag = word.trim_end_matches(|c: char| c.is_ascii_punctuation() && c != '#');
    tag.strip_prefix('#').is_some_and(|t| MEAL_TAGS.contains(&t.to_lowercase().as_str()))
}

impl EventDraft {
    /// Whether the description carries a meal hashtag (`#samenEten`, `#maaltijd`).
    pub fn is_meal(&self) -> bool {
        self.description.split_whitespace().any(is_meal_hashtag)
    }

    /// The "Dit is een maaltijd" tick: ticked, `#samenEten` goes at the end of the
    /// description unless it has a meal hashtag already; not ticked, every meal hashtag is
    /// taken out (the lines that held one keep their other words, single-spaced).
    pub fn mark_meal(&mut self, meal: bool) {
        if meal == self.is_meal() {
            return;
        }
        if meal {
            let text = self.description.trim_end();
            self.description = if text.is_empty() { MEAL_HASHTAG.to_string() } else { format!("{text}\n\n{MEAL_HASHTAG}") };
            return;
        }
        let lines: Vec<String> = self
            .description
            .lines()
            .map(|line| {
                if !line.split_whitespace().any(is_meal_hashtag) {
                    return line.to_string();
                }
                line.split_whitespace().filter(|w| !is_meal_hashtag(w)).collect::<Vec<_>>().join(" ")
            })
            .collect();
        self.description = lines.join("\n").trim_end().to_string();
    }

    /// Local wall-clock times in `timezone` (as people enter them) to UTC.
    pub fn local_to_utc(local: NaiveDateTime, timezone: &str) -> Result<DateTime<Utc>> {
        let tz: Tz = timezone.parse().map_err(|_| DomainError::invalid("timezone", Say::UnknownTimeZone))?;
        tz.from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| DomainError::invalid("starts_at", Say::NoSuchLocalTime))
    }

    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        let mut problem = |field: &'static str, message: Say| problems.push(Violation { field, message: message.into() });
        if !(3..=120).contains(&self.title.trim().chars().count()) {
            problem("title", Say::TitleLength);
        }
        if self.description.chars().count() > 4000 {
            problem("description", Say::AtMostChars(4000));
        }
        if self.timezone.parse::<Tz>().is_err() {
            problem("timezone", Say::UnknownTimeZone);
        }
        if self.ends_at.is_some_and(|end| end < self.starts_at) {
            problem("ends_at", Say::EndBeforeStart);
        }
        if self.place.is_none() && self.online_url.is_none() {
            problem("place", Say::PlaceOrOnlineLink);
        }
        if self.online_url.as_deref().is_some_and(|u| super::links::web_address(u).is_none()) {
            problem("online_url", Say::HttpsAddress);
        }
        if self.place.as_ref().is_some_and(|p| p.name.trim().is_empty() || p.name.chars().count() > 200) {
            problem("place", Say::PlaceNameLength);
        }
        if self.capacity.is_some_and(|c| !(1..=100_000).contains(&c)) {
            problem("capacity", Say::CapacityRange);
        }
        if problems.is_empty() { Ok(()) } else { Err(DomainError::Invalid(problems)) }
    }

    /// Date, time and place in Dutch words, as Mastodon shows them:
    /// "donderdag 3 december 2026, 17:30 tot 20:00, Buurthuis De Ark, Gaffelstraat 1".
    pub fn summary_nl(&self) -> String {
        let tz: Tz = self.timezone.parse().unwrap_or(chrono_tz::Europe::Amsterdam);
        let start = self.starts_at.with_timezone(&tz);
        const DAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
        const MONTHS: [&str; 12] =
            ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
        let mut text = format!(
            "{} {} {} {}, {:02}:{:02}",
            DAYS[start.weekday().num_days_from_monday() as usize],
            start.day(),
            MONTHS[start.month0() as usize],
            start.year(),
            start.hour(),
            start.minute()
        );
        if let Some(end) = self.ends_at.map(|e| e.with_timezone(&tz)) {
            if end.date_naive() == start.date_naive() {
                text.push_str(&format!(" tot {:02}:{:02}", end.hour(), end.minute()));
            } else {
                text.push_str(&format!(" tot {} {} {:02}:{:02}", end.day(), MONTHS[end.month0() as usize], end.hour(), end.minute()));
            }
        }
        match (&self.place, &self.online_url) {
            (Some(place), _) => {
                text.push_str(&format!(", {}", place.name.trim()));
                if let Some(address) = place.address.as_deref().filter(|a| !a.trim().is_empty()) {
                    text.push_str(&format!(", {}", address.trim()));
                }
            }
            (None, Some(_)) => text.push_str(", online"),
            (None, None) => {}
        }
        text
    }
}

/// An event as stored, next to its post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Event {
    pub post_id: i64,
    pub title: String,
    pub description: String,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub timezone: String,
    pub place_name: Option<String>,
    pub place_address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    pub capacity: Option<i64>,
    #[sqlx(try_from = "String")]
    pub join_mode: JoinMode,
    /// `scheduled` or `cancelled`.
    pub state: String,
    pub created_at: i64,
    /// Ours: the accepted participants. A peer's: the count its home node last reported.
    pub participant_count: i64,
    /// Bumped on every change of time, place or state.
    pub sequence: i64,
    pub updated_at: Option<i64>,
    /// Closed by an organiser: nobody new may join (members, peers' members, guests).
    pub registration_closed: bool,
    /// The organiser asks those who join whether they need a lift.
    pub asks_lift: bool,
    /// The organiser asks those who join for a diet wish.
    pub asks_diet: bool,
}

/// The optional questions an organiser chose for an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventQuestions {
    /// "Heeft vervoer nodig".
    pub lift: bool,
    /// "Dieetwens" (free text).
    pub diet: bool,
}

pub const EVENT_SCHEDULED: &str = "scheduled";
pub const EVENT_CANCELLED: &str = "cancelled";

impl Event {
    pub fn is_cancelled(&self) -> bool {
        self.state == EVENT_CANCELLED
    }

    /// What the organiser asks of those who join.
    pub fn questions(&self) -> EventQuestions {
        EventQuestions { lift: self.asks_lift, diet: self.asks_diet }
    }

    /// Whether a change to `draft` moves the event in time or place (what participants must hear).
    pub fn is_moved_by(&self, draft: &EventDraft) -> bool {
        let old = self.draft();
        old.starts_at != draft.starts_at || old.ends_at != draft.ends_at || old.place != draft.place || old.online_url != draft.online_url
    }

    /// Back to a draft, for rendering and sending.
    pub fn draft(&self) -> EventDraft {
        EventDraft {
            title: self.title.clone(),
            description: self.description.clone(),
            starts_at: DateTime::<Utc>::from_timestamp_millis(self.starts_at).unwrap_or_default(),
            ends_at: self.ends_at.and_then(DateTime::<Utc>::from_timestamp_millis),
            timezone: self.timezone.clone(),
            place: self.place_name.clone().map(|name| Place {
                name,
                address: self.place_address.clone(),
                latitude: self.latitude,
                longitude: self.longitude,
            }),
            online_url: self.online_url.clone(),
            capacity: self.capacity,
            join_mode: self.join_mode,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> EventDraft {
        let start = NaiveDateTime::parse_from_str("2026-12-03 17:30", "%Y-%m-%d %H:%M").unwrap();
        let end = NaiveDateTime::parse_from_str("2026-12-03 20:00", "%Y-%m-%d %H:%M").unwrap();
        EventDraft {
            title: "Samen eten".into(),
            description: "Iedereen welkom.".into(),
            starts_at: EventDraft::local_to_utc(start, DEFAULT_TIMEZONE).unwrap(),
            ends_at: Some(EventDraft::local_to_utc(end, DEFAULT_TIMEZONE).unwrap()),
            timezone: DEFAULT_TIMEZONE.into(),
            place: Some(Place { name: "Buurthuis De Ark".into(), address: Some("Gaffelstraat 1".into()), ..Place::default() }),
            online_url: None,
            capacity: Some(30),
            join_mode: JoinMode::Free,
        }
    }

    #[test]
    fn summary_says_date_time_and_place_in_dutch_local_time() {
        let d = draft();
        assert_eq!(d.starts_at.to_rfc3339(), "2026-12-03T16:30:00+00:00", "Amsterdam is UTC+1 in winter");
        assert_eq!(d.summary_nl(), "donderdag 3 december 2026, 17:30 tot 20:00, Buurthuis De Ark, Gaffelstraat 1");
        assert!(d.validate().is_ok());
    }

    #[test]
    fn the_meal_tick_adds_and_takes_out_the_hashtag() {
        let mut d = draft();
        assert!(!d.is_meal());
        d.mark_meal(true);
        assert_eq!(d.description, "Iedereen welkom.\n\n#samenEten");
        d.mark_meal(true);
        assert_eq!(d.description, "Iedereen welkom.\n\n#samenEten", "added once");
        let mut own = EventDraft { description: "Soep en brood. #Maaltijd, elke week".into(), ..draft() };
        assert!(own.is_meal(), "any case, with a comma after");
        own.mark_meal(true);
        assert_eq!(own.description, "Soep en brood. #Maaltijd, elke week", "a meal hashtag already there is enough");
        own.mark_meal(false);
        assert_eq!(own.description, "Soep en brood. elke week");
        d.mark_meal(false);
        assert_eq!(d.description, "Iedereen welkom.");
        assert!(!EventDraft { description: "#samenEtenEnDrinken #maaltijden".into(), ..draft() }.is_meal());
    }

    #[test]
    fn bad_events_are_refused_with_every_reason() {
        let bad = EventDraft { title: "x".into(), timezone: "Mars/Olympus".into(), place: None, capacity: Some(0), ..draft() };
        let Err(DomainError::Invalid(problems)) = bad.validate() else { panic!("invalid") };
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["title", "timezone", "place", "capacity"]);
    }
}

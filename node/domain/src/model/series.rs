//! Repeating events (a reeks): how often an event comes back, until when, and which dates
//! are skipped. The rule is an RFC 5545 recurrence rule, expanded by the `rrule` crate in
//! the event's own time zone, so a 17:30 meal stays 17:30 in winter and in summer. Each
//! date is published as an event of its own (see `ops::series`); this module owns only the
//! rule and its dates, no I/O.

use crate::error::{DomainError, Result, Violation};
use crate::words::Say;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rrule::{Frequency, NWeekday, RRule, RRuleSet, Unvalidated};

/// Most dates one series may have.
pub const MAX_OCCURRENCES: u32 = 104;
/// How long a series may run, counted from its first date.
const MAX_SPAN_DAYS: i64 = 2 * 366;
/// Most dates expanded at once (a window never holds more).
const EXPAND_LIMIT: u16 = 400;

/// How often the event comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Every week on the same weekday.
    Weekly,
    /// Every two weeks on the same weekday.
    Fortnightly,
    /// Every month on the same day of the month (months without that day are left out).
    MonthlyDay,
    /// Every month on the same weekday in the same week: "every first Tuesday"; a date in
    /// the fifth week means "every last Tuesday".
    MonthlyWeekday,
}

impl Repeat {
    pub const ALL: [Repeat; 4] = [Repeat::Weekly, Repeat::Fortnightly, Repeat::MonthlyDay, Repeat::MonthlyWeekday];

    /// The line a date's event carries for readers elsewhere (Mastodon shows only the text);
    /// peers that read the event take it out again (`federation::objects::fallback`).
    pub fn comes_back_nl(self) -> &'static str {
        match self {
            Repeat::Weekly => "Komt elke week terug.",
            Repeat::Fortnightly => "Komt elke twee weken terug.",
            Repeat::MonthlyDay | Repeat::MonthlyWeekday => "Komt elke maand terug.",
        }
    }

    /// The form's and the store's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Repeat::Weekly => "weekly",
            Repeat::Fortnightly => "fortnightly",
            Repeat::MonthlyDay => "monthly_day",
            Repeat::MonthlyWeekday => "monthly_weekday",
        }
    }

    /// `Ok(None)` for "not" (empty or `none`), an error for anything unknown.
    pub fn parse(s: &str) -> Result<Option<Repeat>> {
        match s.trim() {
            "" | "none" => Ok(None),
            "weekly" => Ok(Some(Repeat::Weekly)),
            "fortnightly" => Ok(Some(Repeat::Fortnightly)),
            "monthly_day" => Ok(Some(Repeat::MonthlyDay)),
            "monthly_weekday" => Ok(Some(Repeat::MonthlyWeekday)),
            _ => Err(DomainError::invalid("repeat", Say::RepeatUnknown)),
        }
    }
}

impl TryFrom<String> for Repeat {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        Repeat::parse(&value)?.ok_or_else(|| DomainError::invalid("repeat", Say::RepeatUnknown))
    }
}

/// When a series stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesEnd {
    /// The last local date on which it may take place (inclusive).
    Until(NaiveDate),
    /// After this many dates (skipped dates count too, as in iCalendar).
    Count(u32),
}

/// A repeat rule with its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesRule {
    pub repeat: Repeat,
    pub end: SeriesEnd,
}

/// One date of a series: the local date it was planned on (its key, also after a move) and
/// its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
}

impl SeriesRule {
    /// The rule from the event form: the repeat choice, a last date (`YYYY-MM-DD`) or a
    /// number of times. `Ok(None)` when the event does not repeat. Every problem is named.
    pub fn from_form(repeat: &str, until: &str, count: &str, first: NaiveDate) -> Result<Option<SeriesRule>> {
        let mut problems = Vec::new();
        let repeat = Repeat::parse(repeat).map_err(|e| problems.extend(violations(e))).ok().flatten();
        let end = parse_end(until, count).map_err(|e| problems.extend(violations(e))).ok();
        let rule = match (repeat, end) {
            (Some(repeat), Some(end)) => Some(SeriesRule { repeat, end }),
            _ => None,
        };
        if let Some(rule) = rule {
            problems.extend(rule.validate(first).err().map(violations).unwrap_or_default());
        }
        if problems.is_empty() { Ok(rule) } else { Err(DomainError::Invalid(problems)) }
    }

    /// A count of 1 to [`MAX_OCCURRENCES`]; a last date not before `first` nor more than two
    /// years after it.
    pub fn validate(&self, first: NaiveDate) -> Result<()> {
        match self.end {
            SeriesEnd::Count(n) if !(1..=MAX_OCCURRENCES).contains(&n) => Err(DomainError::invalid("repeat_count", Say::RepeatCountRange)),
            SeriesEnd::Until(last) if last < first => Err(DomainError::invalid("repeat_until", Say::RepeatEndsBeforeStart)),
            SeriesEnd::Until(last) if (last - first).num_days() > MAX_SPAN_DAYS => {
                Err(DomainError::invalid("repeat_until", Say::RepeatTooLong))
            }
            _ => Ok(()),
        }
    }

    /// The RRULE value for iCalendar ("FREQ=WEEKLY;UNTIL=…"), for a series starting at
    /// `first` (local time) in `timezone`. Written here, not by `rrule`'s `Display`: that
    /// writes "the first Tuesday" (`1TU`) as `TU`, which means every Tuesday.
    pub fn to_ical(&self, first: NaiveDateTime, timezone: &str) -> Result<String> {
        let start = local_start(first, timezone)?;
        let day = start.weekday().to_string().to_uppercase()[..2].to_string();
        let mut value = match self.repeat {
            Repeat::Weekly => "FREQ=WEEKLY".to_string(),
            Repeat::Fortnightly => "FREQ=WEEKLY;INTERVAL=2".to_string(),
            Repeat::MonthlyDay => format!("FREQ=MONTHLY;BYMONTHDAY={}", start.day()),
            Repeat::MonthlyWeekday => format!("FREQ=MONTHLY;BYDAY={}{day}", week_of_month(start.day())),
        };
        match self.end {
            SeriesEnd::Count(n) => value.push_str(&format!(";COUNT={n}")),
            SeriesEnd::Until(last) => {
                let until = end_of_day(last, start.timezone())?.with_timezone(&Utc);
                value.push_str(&until.format(";UNTIL=%Y%m%dT%H%M%SZ").to_string());
            }
        }
        Ok(value)
    }

    /// The dates from `first` (local time in `timezone`) that start within `from..=to`,
    /// leaving out `skipped` local dates.
    pub fn occurrences(
        &self,
        first: NaiveDateTime,
        timezone: &str,
        skipped: &[NaiveDate],
        (from, to): (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<Vec<Occurrence>> {
        let start = local_start(first, timezone)?;
        let set = self.build(start)?.after(from.with_timezone(&rrule::Tz::UTC)).before(to.with_timezone(&rrule::Tz::UTC));
        Ok(set
            .all(EXPAND_LIMIT)
            .dates
            .into_iter()
            .map(|at| Occurrence { date: at.date_naive(), starts_at: at.with_timezone(&Utc) })
            .filter(|o| !skipped.contains(&o.date))
            .collect())
    }

    fn build(&self, start: DateTime<rrule::Tz>) -> Result<RRuleSet> {
        self.rrule(start)?.build(start).map_err(|_| DomainError::invalid("repeat", Say::RepeatUnknown))
    }

    fn rrule(&self, start: DateTime<rrule::Tz>) -> Result<RRule<Unvalidated>> {
        let rule = match self.repeat {
            Repeat::Weekly => RRule::new(Frequency::Weekly),
            Repeat::Fortnightly => RRule::new(Frequency::Weekly).interval(2),
            Repeat::MonthlyDay => RRule::new(Frequency::Monthly).by_month_day(vec![start.day() as i8]),
            Repeat::MonthlyWeekday => {
                RRule::new(Frequency::Monthly).by_weekday(vec![NWeekday::Nth(week_of_month(start.day()), start.weekday())])
            }
        };
        Ok(match self.end {
            SeriesEnd::Count(n) => rule.count(n),
            SeriesEnd::Until(last) => rule.until(end_of_day(last, start.timezone())?.with_timezone(&rrule::Tz::UTC)),
        })
    }
}

/// "First" to "fourth" of the month; the fifth week is "the last".
pub fn week_of_month(day: u32) -> i16 {
    match (day - 1) / 7 + 1 {
        5 => -1,
        n => n as i16,
    }
}

fn parse_end(until: &str, count: &str) -> Result<SeriesEnd> {
    match (until.trim(), count.trim()) {
        ("", "") => Ok(SeriesEnd::Count(MAX_OCCURRENCES)),
        (until, "") => NaiveDate::parse_from_str(until, "%Y-%m-%d")
            .map(SeriesEnd::Until)
            .map_err(|_| DomainError::invalid("repeat_until", Say::RepeatEndsBeforeStart)),
        ("", count) => match count.parse::<u32>() {
            Ok(n) if (1..=MAX_OCCURRENCES).contains(&n) => Ok(SeriesEnd::Count(n)),
            _ => Err(DomainError::invalid("repeat_count", Say::RepeatCountRange)),
        },
        _ => Err(DomainError::invalid("repeat_count", Say::RepeatCountRange)),
    }
}

fn violations(error: DomainError) -> Vec<Violation> {
    match error {
        DomainError::Invalid(problems) => problems,
        _ => Vec::new(),
    }
}

fn local_start(first: NaiveDateTime, timezone: &str) -> Result<DateTime<rrule::Tz>> {
    let tz: Tz = timezone.parse().map_err(|_| DomainError::invalid("timezone", Say::UnknownTimeZone))?;
    rrule::Tz::Tz(tz).from_local_datetime(&first).earliest().ok_or_else(|| DomainError::invalid("starts_at", Say::NoSuchLocalTime))
}

fn end_of_day(date: NaiveDate, tz: rrule::Tz) -> Result<DateTime<rrule::Tz>> {
    let last = date.and_hms_opt(23, 59, 59).unwrap_or_default();
    tz.from_local_datetime(&last)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(last - Duration::hours(1))).earliest())
        .ok_or_else(|| DomainError::invalid("repeat_until", Say::RepeatEndsBeforeStart))
}

/// A series as stored by the organiser's node.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Series {
    pub id: i64,
    pub author_id: i64,
    /// The first date's event, whose details every date copies.
    pub template_post_id: i64,
    #[sqlx(try_from = "String")]
    pub repeat: Repeat,
    /// `YYYY-MM-DD`.
    pub until_date: Option<String>,
    pub repeat_count: Option<i32>,
    /// The first start in local time, `YYYY-MM-DD HH:MM`.
    pub first_local: String,
    pub timezone: String,
    pub duration_ms: Option<i64>,
    pub stopped: bool,
    pub created_at: i64,
}

/// The page of the series whose first date is the local post `first_ap_id` (number
/// `first_post_id`): `{origin}/bericht/{id}/reeks`. Also the series' id on the wire and
/// its UID in calendars.
pub fn series_page(first_ap_id: &str, first_post_id: i64) -> String {
    let origin = url::Url::parse(first_ap_id).map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    format!("{origin}/bericht/{first_post_id}/reeks")
}

/// The format of [`Series::first_local`].
pub const LOCAL_FORMAT: &str = "%Y-%m-%d %H:%M";

impl Series {
    pub fn rule(&self) -> SeriesRule {
        let until = self.until_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let end = match (until, self.repeat_count) {
            (Some(last), _) => SeriesEnd::Until(last),
            (None, count) => SeriesEnd::Count(count.map_or(MAX_OCCURRENCES, |n| n.clamp(1, MAX_OCCURRENCES as i32) as u32)),
        };
        SeriesRule { repeat: self.repeat, end }
    }

    pub fn first(&self) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&self.first_local, LOCAL_FORMAT).unwrap_or_default()
    }

    /// Each date's planned start, from the first to the rule's end.
    pub fn planned(&self) -> Result<Vec<Occurrence>> {
        let always = (DateTime::<Utc>::UNIX_EPOCH, Utc.with_ymd_and_hms(2200, 1, 1, 0, 0, 0).single().unwrap_or_default());
        self.rule().occurrences(self.first(), &self.timezone, &[], always)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    const AMS: &str = "Europe/Amsterdam";

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn always() -> (DateTime<Utc>, DateTime<Utc>) {
        (Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap())
    }

    fn local_times(dates: &[Occurrence]) -> Vec<String> {
        let tz: Tz = AMS.parse().unwrap();
        dates.iter().map(|o| o.starts_at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()).collect()
    }

    #[test]
    fn a_weekly_meal_keeps_its_local_time_across_the_change_to_summer_time() {
        let rule = SeriesRule { repeat: Repeat::Weekly, end: SeriesEnd::Count(3) };
        let dates = rule.occurrences(local("2027-03-21 17:30"), AMS, &[], always()).unwrap();
        assert_eq!(local_times(&dates), ["2027-03-21 17:30", "2027-03-28 17:30", "2027-04-04 17:30"]);
        let utc_hours: Vec<u32> = dates.iter().map(|o| o.starts_at.hour()).collect();
        assert_eq!(utc_hours, [16, 15, 15], "UTC+1 in winter, UTC+2 from 28 March");
    }

    #[test]
    fn a_weekly_meal_keeps_its_local_time_across_the_change_to_winter_time() {
        let rule = SeriesRule { repeat: Repeat::Fortnightly, end: SeriesEnd::Until(day("2026-11-05")) };
        let dates = rule.occurrences(local("2026-10-15 17:30"), AMS, &[], always()).unwrap();
        assert_eq!(local_times(&dates), ["2026-10-15 17:30", "2026-10-29 17:30"]);
        assert_eq!(dates[0].starts_at.hour(), 15);
        assert_eq!(dates[1].starts_at.hour(), 16);
        assert_eq!(rule.to_ical(local("2026-10-15 17:30"), AMS).unwrap(), "FREQ=WEEKLY;INTERVAL=2;UNTIL=20261105T225959Z");
    }

    #[test]
    fn every_first_tuesday_of_the_month() {
        let rule = SeriesRule { repeat: Repeat::MonthlyWeekday, end: SeriesEnd::Count(4) };
        let dates = rule.occurrences(local("2026-12-01 19:00"), AMS, &[], always()).unwrap();
        assert_eq!(local_times(&dates), ["2026-12-01 19:00", "2027-01-05 19:00", "2027-02-02 19:00", "2027-03-02 19:00"]);
        assert_eq!(rule.to_ical(local("2026-12-01 19:00"), AMS).unwrap(), "FREQ=MONTHLY;BYDAY=1TU;COUNT=4");
    }

    #[test]
    fn a_date_in_the_fifth_week_means_the_last_of_the_month() {
        let rule = SeriesRule { repeat: Repeat::MonthlyWeekday, end: SeriesEnd::Count(2) };
        let dates = rule.occurrences(local("2026-12-29 19:00"), AMS, &[], always()).unwrap();
        assert_eq!(local_times(&dates), ["2026-12-29 19:00", "2027-01-26 19:00"]);
        assert_eq!(rule.to_ical(local("2026-12-29 19:00"), AMS).unwrap(), "FREQ=MONTHLY;BYDAY=-1TU;COUNT=2");
    }

    #[test]
    fn the_same_day_of_every_month() {
        let rule = SeriesRule { repeat: Repeat::MonthlyDay, end: SeriesEnd::Until(day("2027-03-15")) };
        let dates = rule.occurrences(local("2026-12-15 12:00"), AMS, &[], always()).unwrap();
        assert_eq!(local_times(&dates), ["2026-12-15 12:00", "2027-01-15 12:00", "2027-02-15 12:00", "2027-03-15 12:00"]);
    }

    #[test]
    fn skipped_dates_are_left_out_and_still_count() {
        let rule = SeriesRule { repeat: Repeat::Weekly, end: SeriesEnd::Count(4) };
        let dates = rule.occurrences(local("2026-12-03 17:30"), AMS, &[day("2026-12-24")], always()).unwrap();
        assert_eq!(local_times(&dates), ["2026-12-03 17:30", "2026-12-10 17:30", "2026-12-17 17:30"]);
    }

    #[test]
    fn only_the_dates_in_the_window() {
        let rule = SeriesRule { repeat: Repeat::Weekly, end: SeriesEnd::Count(MAX_OCCURRENCES) };
        let from = Utc.with_ymd_and_hms(2026, 12, 9, 0, 0, 0).unwrap();
        let dates = rule.occurrences(local("2026-12-03 17:30"), AMS, &[], (from, from + Duration::weeks(2))).unwrap();
        assert_eq!(local_times(&dates), ["2026-12-10 17:30", "2026-12-17 17:30"]);
        assert_eq!(dates[0].date, day("2026-12-10"));
    }

    #[test]
    fn the_series_page_is_on_the_node_of_its_first_date() {
        assert_eq!(series_page("https://buurt.example/notes/40", 40), "https://buurt.example/bericht/40/reeks");
        assert_eq!(series_page("http://localhost:8080/notes/7", 7), "http://localhost:8080/bericht/7/reeks");
    }

    #[test]
    fn the_form_names_every_problem() {
        let first = day("2026-12-03");
        assert_eq!(SeriesRule::from_form("", "", "", first).unwrap(), None);
        assert_eq!(
            SeriesRule::from_form("weekly", "", "5", first).unwrap(),
            Some(SeriesRule { repeat: Repeat::Weekly, end: SeriesEnd::Count(5) })
        );
        let fields = |repeat: &str, until: &str, count: &str| match SeriesRule::from_form(repeat, until, count, first) {
            Err(DomainError::Invalid(problems)) => problems.iter().map(|p| p.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields("daily", "", ""), ["repeat"]);
        assert_eq!(fields("weekly", "", "0"), ["repeat_count"]);
        assert_eq!(fields("weekly", "", "many"), ["repeat_count"]);
        assert_eq!(fields("weekly", "2026-12-01", ""), ["repeat_until"]);
        assert_eq!(fields("weekly", "2030-12-01", ""), ["repeat_until"]);
        assert_eq!(fields("sometimes", "", "0"), ["repeat", "repeat_count"]);
    }
}

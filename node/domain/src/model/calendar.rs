//! iCalendar (RFC 5545) for events: one VEVENT per event with its ActivityPub id as UID
//! (a date of a repeating event too: each is an event of its own), local times with a TZID
//! and a VTIMEZONE built from the time zone database. Only a series' own file
//! ([`series_calendar`]) is one VEVENT with an RRULE. Written with the `icalendar` crate
//! (escaping, folding at 75 octets, CRLF line ends).

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus, Property};
use std::collections::BTreeSet;

/// One event in a calendar.
#[derive(Debug, Clone)]
pub struct CalendarEntry {
    /// The event's ActivityPub id.
    pub uid: String,
    pub url: Option<String>,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA name; an unknown one makes the times UTC.
    pub timezone: String,
    pub location: Option<String>,
    pub geo: Option<(f64, f64)>,
    pub organizer_name: String,
    pub organizer_uri: String,
    pub cancelled: bool,
    pub sequence: i64,
    pub created: DateTime<Utc>,
    pub last_modified: DateTime<Utc>,
}

/// A whole VCALENDAR named `name`. Calendar, events, escaping and folding are the
/// `icalendar` crate's; the VTIMEZONEs are built here from the time zone database (the
/// crate writes none) and put before the first event.
pub fn calendar(name: &str, entries: &[CalendarEntry]) -> String {
    assemble(name, entries, entries.iter().map(vevent).collect(), 0)
}

/// A repeating event as one calendar entry: `master` (its first planned date) with the
/// `RRULE`, an `EXDATE` for each date that does not take place, and for each moved date an
/// entry with the same UID and a `RECURRENCE-ID` (the planned start) at its new time.
pub struct Repeating<'a> {
    pub master: &'a CalendarEntry,
    /// The RRULE value (`SeriesRule::to_ical`).
    pub rule: &'a str,
    pub skipped: &'a [DateTime<Utc>],
    /// (planned start, the date as it now is).
    pub moved: &'a [(DateTime<Utc>, CalendarEntry)],
}

/// The VCALENDAR of a repeating event; its time zone rules cover the two years a series
/// may run.
pub fn series_calendar(name: &str, series: &Repeating<'_>) -> String {
    let mut master = vevent(series.master);
    master.add_property("RRULE", series.rule);
    for skipped in series.skipped {
        master.append_multi_property(local_property("EXDATE", *skipped, &series.master.timezone));
    }
    let mut events = vec![master.done()];
    for (planned, entry) in series.moved {
        let mut moved = vevent(entry);
        moved.append_property(local_property("RECURRENCE-ID", *planned, &entry.timezone));
        events.push(moved.done());
    }
    let mut entries = vec![series.master.clone()];
    entries.extend(series.moved.iter().map(|(_, entry)| entry.clone()));
    assemble(name, &entries, events, 3)
}

/// `key` at `t` in local time with its TZID, or in UTC when the zone is unknown.
fn local_property(key: &str, t: DateTime<Utc>, timezone: &str) -> Property {
    match timezone.parse::<Tz>() {
        Ok(tz) => {
            let mut property = Property::new(key, t.with_timezone(&tz).format("%Y%m%dT%H%M%S").to_string());
            property.add_parameter("TZID", timezone);
            property
        }
        Err(_) => Property::new(key, utc(t)),
    }
}

/// The VCALENDAR around `events` (made of `entries`), with the zone rules of the years of
/// `entries` and `more_years` after them.
fn assemble(name: &str, entries: &[CalendarEntry], events: Vec<Event>, more_years: i32) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [("VERSION", "2.0"), ("PRODID", "-//Buurtnet//Buurtnet//NL"), ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH")] {
        calendar.append_property(Property::new(key, value));
    }
    calendar.append_property(Property::new("X-WR-CALNAME", one_line(name)));
    let zones: BTreeSet<&str> = entries.iter().filter(|e| e.timezone.parse::<Tz>().is_ok()).map(|e| e.timezone.as_str()).collect();
    if zones.len() == 1 && entries.iter().all(|e| zones.contains(e.timezone.as_str())) {
        calendar.append_property(Property::new("X-WR-TIMEZONE", *zones.first().expect("one")));
    }
    for event in events {
        calendar.push(event);
    }
    let mut zone_lines = Vec::new();
    for zone in &zones {
        let used = entries.iter().filter(|e| e.timezone == *zone);
        let first = used.clone().map(|e| e.starts_at.year()).min().unwrap_or(1970);
        let last = used.map(|e| e.ends_at.unwrap_or(e.starts_at).year()).max().unwrap_or(1970);
        zone_lines.extend(vtimezone(zone.parse().expect("checked"), first - 1, last + 1 + more_years));
    }
    with_zones(&calendar.to_string(), &zone_lines)
}

/// The calendar's text with the VTIMEZONE lines before its first component.
fn with_zones(text: &str, zone_lines: &[String]) -> String {
    let zones: String = zone_lines.iter().map(|l| fold(l)).collect();
    let at = text.find("BEGIN:VEVENT\r\n").or_else(|| text.rfind("END:VCALENDAR")).unwrap_or(text.len());
    format!("{}{zones}{}", &text[..at], &text[at..])
}

fn vevent(e: &CalendarEntry) -> Event {
    let mut event = Event::new();
    event
        .uid(&one_line(&e.uid))
        .timestamp(e.last_modified)
        .add_property("CREATED", utc(e.created))
        .add_property("LAST-MODIFIED", utc(e.last_modified))
        .sequence(u32::try_from(e.sequence.max(0)).unwrap_or(u32::MAX))
        .starts(time(e.starts_at, &e.timezone))
        .summary(&one_line(&e.title))
        .status(if e.cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
    if let Some(end) = e.ends_at {
        event.ends(time(end, &e.timezone));
    }
    if !e.description.trim().is_empty() {
        event.description(&one_line(e.description.trim()));
    }
    if let Some(location) = &e.location {
        event.location(&one_line(location));
    }
    if let Some((lat, lon)) = e.geo {
        event.add_property("GEO", format!("{lat:.6};{lon:.6}"));
    }
    if let Some(url) = &e.url {
        event.url(&one_line(url));
    }
    let mut organizer = Property::new("ORGANIZER", one_line(&e.organizer_uri));
    organizer.add_parameter("CN", &e.organizer_name.replace('"', ""));
    event.append_property(organizer);
    event.done()
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Local time with its zone, or UTC when the zone is unknown.
fn time(t: DateTime<Utc>, timezone: &str) -> CalendarDateTime {
    match timezone.parse::<Tz>() {
        Ok(tz) => CalendarDateTime::WithTimezone { date_time: t.with_timezone(&tz).naive_local(), tzid: timezone.to_string() },
        Err(_) => CalendarDateTime::Utc(t),
    }
}

/// A VTIMEZONE with every change of offset of `tz` in the years `from..=to`.
fn vtimezone(tz: Tz, from: i32, to: i32) -> Vec<String> {
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{}", tz.name())];
    let transitions = transitions(tz, from, to);
    if transitions.is_empty() {
        let offset = tz.offset_from_utc_datetime(&Utc.with_ymd_and_hms(from.max(1970), 1, 1, 0, 0, 0).unwrap().naive_utc());
        let seconds = offset.fix().local_minus_utc();
        lines.extend(observance("STANDARD", "19700101T000000".into(), seconds, seconds, offset.abbreviation().unwrap_or("")));
    }
    for (instant, before, after) in transitions {
        let kind = if after.dst_offset().is_zero() { "STANDARD" } else { "DAYLIGHT" };
        let from_seconds = before.fix().local_minus_utc();
        let local_before = (instant + Duration::seconds(i64::from(from_seconds))).format("%Y%m%dT%H%M%S").to_string();
        lines.extend(observance(kind, local_before, from_seconds, after.fix().local_minus_utc(), after.abbreviation().unwrap_or("")));
    }
    lines.push("END:VTIMEZONE".into());
    lines
}

fn observance(kind: &str, start: String, from: i32, to: i32, name: &str) -> Vec<String> {
    let mut lines = vec![
        format!("BEGIN:{kind}"),
        format!("DTSTART:{start}"),
        format!("TZOFFSETFROM:{}", offset_text(from)),
        format!("TZOFFSETTO:{}", offset_text(to)),
    ];
    if !name.is_empty() {
        lines.push(format!("TZNAME:{}", name.replace(['\\', ';', ',', '\r', '\n'], "")));
    }
    lines.push(format!("END:{kind}"));
    lines
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// The offset of a zone at an instant, with its name and daylight-saving part.
type ZoneOffset = <Tz as TimeZone>::Offset;

/// (first instant of the new offset, offset before, offset after), found day by day and
/// narrowed to the minute.
fn transitions(tz: Tz, from: i32, to: i32) -> Vec<(NaiveDateTime, ZoneOffset, ZoneOffset)> {
    let offset_at = |t: NaiveDateTime| tz.offset_from_utc_datetime(&t);
    let seconds_at = |t: NaiveDateTime| offset_at(t).fix().local_minus_utc();
    let mut found = Vec::new();
    let Some(mut day) = Utc.with_ymd_and_hms(from.max(1900), 1, 1, 0, 0, 0).single().map(|t| t.naive_utc()) else { return found };
    let Some(end) = Utc.with_ymd_and_hms(to.min(2200) + 1, 1, 1, 0, 0, 0).single().map(|t| t.naive_utc()) else { return found };
    while day < end {
        let next = day + Duration::days(1);
        if seconds_at(day) != seconds_at(next) {
            let (mut low, mut high) = (day, next);
            while high - low > Duration::minutes(1) {
                let middle = low + (high - low) / 2;
                if seconds_at(middle) == seconds_at(low) { low = middle } else { high = middle }
            }
            let high = high - Duration::seconds(i64::from(high.and_utc().timestamp() as i32 % 60));
            found.push((high, offset_at(low), offset_at(high)));
        }
        day = next;
    }
    found
}

/// Every line break as `\n` before the crate escapes it: a lone carriage return would pass
/// its escaping, and some calendar apps take it for a line break, which would let a peer's
/// title start a property of its own.
fn one_line(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// One content line, folded at 75 octets on character boundaries, with its CRLF.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meal() -> CalendarEntry {
        let start = Utc.with_ymd_and_hms(2026, 12, 3, 16, 30, 0).unwrap();
        CalendarEntry {
            uid: "https://zorgvrijstaat.example/notes/40".into(),
            url: Some("https://zorgvrijstaat.example/notes/40".into()),
            title: "Samen eten; iedereen welkom, ook je buren".into(),
            description: "Eerste regel\nTweede regel met ë en é, die lang genoeg is om over de grens van vijfenzeventig octetten te gaan."
                .into(),
            starts_at: start,
            ends_at: Some(start + Duration::hours(2)),
            timezone: "Europe/Amsterdam".into(),
            location: Some("Buurthuis De Ark, Gaffelstraat 1".into()),
            geo: Some((51.91, 4.46)),
            organizer_name: "Zorgvrijstaat".into(),
            organizer_uri: "https://zorgvrijstaat.example/initiatives/zorgvrijstaat".into(),
            cancelled: false,
            sequence: 2,
            created: start - Duration::days(7),
            last_modified: start - Duration::days(1),
        }
    }

    #[test]
    fn local_time_with_its_zone_and_the_zone_rules() {
        let text = calendar("Zorgvrijstaat", &[meal()]);
        assert!(text.contains("DTSTART;TZID=Europe/Amsterdam:20261203T173000\r\n"), "{text}");
        assert!(text.contains("DTEND;TZID=Europe/Amsterdam:20261203T193000\r\n"));
        assert!(
            text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST"),
            "{text}"
        );
        assert!(
            text.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET"),
            "{text}"
        );
        assert!(text.contains("SUMMARY:Samen eten\\; iedereen welkom\\, ook je buren\r\n"));
        assert!(text.contains("UID:https://zorgvrijstaat.example/notes/40\r\n"));
        assert!(text.contains("STATUS:CONFIRMED") && text.contains("SEQUENCE:2"));
        assert!(text.contains("X-WR-TIMEZONE:Europe/Amsterdam\r\n"), "calendar apps that read only this get the zone too");
    }

    #[test]
    fn a_series_is_one_entry_with_its_rule_skipped_and_moved_dates() {
        let master = meal();
        let planned = master.starts_at + Duration::weeks(1);
        let moved = CalendarEntry { starts_at: planned + Duration::hours(1), ends_at: None, ..meal() };
        let series = Repeating {
            master: &master,
            rule: "FREQ=WEEKLY;COUNT=4",
            skipped: &[master.starts_at + Duration::weeks(2)],
            moved: &[(planned, moved)],
        };
        let text = series_calendar("Soep", &series);
        assert!(text.contains("RRULE:FREQ=WEEKLY;COUNT=4\r\n"), "{text}");
        assert!(text.contains("EXDATE;TZID=Europe/Amsterdam:20261217T173000\r\n"), "{text}");
        assert!(text.contains("RECURRENCE-ID;TZID=Europe/Amsterdam:20261210T173000\r\n"), "{text}");
        assert!(text.contains("DTSTART;TZID=Europe/Amsterdam:20261210T183000\r\n"), "{text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert!(text.contains("TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST") && text.contains("DTSTART:20280326T020000"));
    }

    #[test]
    fn long_lines_fold_on_character_boundaries() {
        let text = calendar("x", &[meal()]);
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        assert!(text.replace("\r\n ", "").contains("Tweede regel met ë en é\\, die lang genoeg is"), "unfolding gives the text back");
    }

    #[test]
    fn cancelled_events_and_unknown_zones() {
        let entry = CalendarEntry { cancelled: true, timezone: "Mars/Olympus".into(), ..meal() };
        let text = calendar("x", &[entry]);
        assert!(text.contains("STATUS:CANCELLED"));
        assert!(text.contains("DTSTART:20261203T163000Z\r\n") && !text.contains("VTIMEZONE"), "{text}");
    }

    #[test]
    fn no_line_break_in_a_text_survives_escaping() {
        let title = "Soep\rEND:VEVENT\r\nBEGIN:VEVENT\nSUMMARY:nep";
        let text = calendar("x", &[CalendarEntry { title: title.into(), ..meal() }]);
        assert!(text.contains("SUMMARY:Soep\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:nep\r\n"), "{text}");
        assert_eq!(text.split("\r\n").filter(|line| line.starts_with("BEGIN:VEVENT") || line.starts_with("SUMMARY")).count(), 2);
    }
}

//! Dates and times as people read them: "zondag 13 december, 17:30" in Dutch and
//! "Sunday 13 December, 17:30" in English, in the node's time zone (Europe/Amsterdam).
//! The year shows only when it is not this year. Every page formats its moments here.

use super::i18n::Tr;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone};
use chrono_tz::Tz;

const ZONE: Tz = chrono_tz::Europe::Amsterdam;
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Today in the node's time zone.
fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&ZONE).date_naive()
}

fn moment(ms: i64) -> Option<DateTime<Tz>> {
    ZONE.timestamp_millis_opt(ms).single()
}

/// "maandag 14 december" / "Monday 14 December", always without the year.
pub fn weekday_day_month(date: NaiveDate, tr: Tr) -> String {
    tr.with(
        "week-day-heading",
        &[
            ("weekday", WEEKDAYS[date.weekday().num_days_from_monday() as usize].to_string()),
            ("day", date.day().to_string()),
            ("month", MONTHS[date.month0() as usize].to_string()),
        ],
    )
}

/// "dinsdag" / "Tuesday".
pub fn weekday_name(date: NaiveDate, tr: Tr) -> String {
    tr.t1("weekday-name", "weekday", WEEKDAYS[date.weekday().num_days_from_monday() as usize])
}

/// "17:30", in the node's time zone.
pub fn clock_time(ms: i64) -> String {
    moment(ms).map(|t| t.format("%H:%M").to_string()).unwrap_or_default()
}

/// A day as people read it, the year added when it is not the year of `today`.
fn day_seen_from(date: NaiveDate, today: NaiveDate, tr: Tr) -> String {
    let day = weekday_day_month(date, tr);
    if date.year() == today.year() { day } else { format!("{day} {}", date.year()) }
}

/// "zondag 13 december" (with the year when it is not this year).
pub fn local_day(date: NaiveDate, tr: Tr) -> String {
    day_seen_from(date, today(), tr)
}

/// "zondag 13 december, 17:30" (with the year when it is not this year).
pub fn local_time(ms: i64, tr: Tr) -> String {
    moment(ms).map(|t| time_seen_from(t, today(), tr)).unwrap_or_default()
}

fn time_seen_from(t: DateTime<Tz>, today: NaiveDate, tr: Tr) -> String {
    format!("{}, {}", day_seen_from(t.date_naive(), today, tr), t.format("%H:%M"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::i18n::Lang;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Tz> {
        ZONE.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("a moment")
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a day")
    }

    #[test]
    fn dutch_has_the_weekday_and_no_year_this_year() {
        let tr = Tr::new(Lang::Nl);
        assert_eq!(time_seen_from(at(2026, 12, 13, 17, 30), day(2026, 12, 7), tr), "zondag 13 december, 17:30");
        assert_eq!(time_seen_from(at(2027, 1, 4, 9, 5), day(2026, 12, 7), tr), "maandag 4 januari 2027, 09:05");
    }

    #[test]
    fn english_has_the_weekday_and_no_year_this_year() {
        let tr = Tr::new(Lang::En);
        assert_eq!(time_seen_from(at(2026, 12, 13, 17, 30), day(2026, 12, 7), tr), "Sunday 13 December, 17:30");
        assert_eq!(day_seen_from(day(2025, 5, 1), day(2026, 12, 7), tr), "Thursday 1 May 2025");
    }

    #[test]
    fn the_time_is_amsterdam_time() {
        // 16:30 UTC in winter is 17:30 in Amsterdam.
        let ms = chrono::Utc.with_ymd_and_hms(2026, 12, 13, 16, 30, 0).single().expect("utc").timestamp_millis();
        assert!(
            local_time(ms, Tr::new(Lang::Nl)).ends_with("13 december 2026, 17:30")
                || local_time(ms, Tr::new(Lang::Nl)).ends_with("13 december, 17:30")
        );
    }
}

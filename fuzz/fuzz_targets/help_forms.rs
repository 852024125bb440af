//! Foreign input: what people type into the help loop's forms without an account or as a
//! member: a "Vraag het ons" question (the link check, the sum's answer), the hours and
//! thank-you of "geholpen", a need's text checked against the resident's name, a guest's
//! sign-up for an event (name, phone, e-mail), and an organiser's repeat choice for a
//! series. None of them may panic, and the checks must hold for any text.
#![no_main]

use buurtnet_domain::model::{
    Fulfilment, GuestDraft, MAX_GUEST_NAME_CHARS, MAX_OCCURRENCES, MAX_THANKS_CHARS, ProposalDraft, Purpose, SeriesEnd, SeriesRule, When,
    check_name, names_resident, normal_phone,
};
use buurtnet_domain::ops::questions::has_link;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let (first, second) = input.split_at(input.char_indices().nth(input.chars().count() / 2).map_or(input.len(), |(i, _)| i));
    if has_link(first) {
        assert!(has_link(&format!("{first} {second}")), "a link stays a link whatever follows it");
    }
    let _ = buurtnet_web::challenge::read_number(first);
    let hours = first.trim().replace(',', ".").parse::<f64>().ok();
    if let Ok(fulfilment) = Fulfilment::checked(hours, Some(second)) {
        assert!(fulfilment.hours.is_none_or(|h| (0.0..=1000.0).contains(&h)));
        assert!(fulfilment.thanks.is_none_or(|t| !t.is_empty() && t.chars().count() <= MAX_THANKS_CHARS));
    }
    let draft = ProposalDraft {
        purpose: Purpose::Request,
        title: first.to_string(),
        description: second.to_string(),
        category: "overig".into(),
        neighbourhood: None,
        when: When::Flexible,
        expires_at: None,
    };
    if names_resident(&draft, second) {
        assert!(second.chars().any(char::is_alphanumeric));
    }
    guest(first, second);
    series(first, second);
});

/// A guest's sign-up: a name that passes is readable, a phone number that passes holds 8 to
/// 15 digits.
fn guest(first: &str, second: &str) {
    if check_name(first).is_ok() {
        assert!((2..=MAX_GUEST_NAME_CHARS).contains(&first.trim().chars().count()));
        assert!(!first.chars().any(char::is_control));
    }
    if let Some(phone) = normal_phone(second) {
        assert!((8..=15).contains(&phone.chars().filter(char::is_ascii_digit).count()));
    }
    let draft = GuestDraft { name: first.to_string(), phone: second.to_string(), email: second.to_string(), ..Default::default() };
    let _ = draft.problems(buurtnet_domain::ops::mail::valid_address);
}

/// An organiser's repeat choice (kind, last date, count): a rule that passes ends, and its
/// dates are few.
fn series(first: &str, second: &str) {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 12, 13).expect("a date");
    let Ok(Some(rule)) = SeriesRule::from_form(first, second, second, start) else { return };
    if let SeriesEnd::Count(n) = rule.end {
        assert!((1..=MAX_OCCURRENCES).contains(&n));
    }
    let begin = start.and_hms_opt(17, 30, 0).expect("a time");
    let window = (chrono::Utc::now() - chrono::Duration::days(800), chrono::Utc::now() + chrono::Duration::days(800));
    if let Ok(dates) = rule.occurrences(begin, "Europe/Amsterdam", &[], window) {
        // At most two years of weekly dates, or the count.
        assert!(dates.len() <= 2 * MAX_OCCURRENCES as usize, "{} dates", dates.len());
    }
}

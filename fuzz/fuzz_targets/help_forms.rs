//! Foreign input: what people type into the help loop's forms without an account or as a
//! member: a "Vraag het ons" question (the link check, the sum's answer), the hours and
//! thank-you of "geholpen", and a need's text checked against the resident's name. None of
//! them may panic, and the checks must hold for any text.
#![no_main]

use buurtnet_domain::model::{Fulfilment, MAX_THANKS_CHARS, ProposalDraft, Purpose, When, names_resident};
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
});

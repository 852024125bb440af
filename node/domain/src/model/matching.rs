//! How well an offer and a need fit each other: category, shared words (Dutch and English),
//! neighbourhood and time. Pure functions; `ops::matching` decides who hears about it.

use super::{Proposal, When};
use std::collections::BTreeSet;

/// Matches below this score are not suggested.
pub const THRESHOLD: u32 = 40;

const STOPWORDS: &[&str] = &[
    "de", "het", "een", "en", "of", "van", "voor", "met", "op", "in", "te", "naar", "bij", "om", "aan", "is", "zijn", "ik", "je", "jij",
    "wij", "we", "die", "dat", "er", "ook", "wie", "kan", "mij", "me", "mijn", "graag", "wil", "heeft", "hebben", "nog", "wat", "niet",
    "als", "per", "week", "the", "a", "an", "and", "or", "of", "for", "with", "on", "to", "at", "is", "are", "i", "you", "we", "my", "can",
    "who", "help", "hulp", "helpen",
];

/// The words of a text that carry meaning, lower-cased and crudely stemmed.
pub fn keywords(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !STOPWORDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect()
}

/// Dutch and English plural and verb endings, so "boodschappen" meets "boodschap".
fn stem(word: &str) -> String {
    for suffix in ["ppen", "pen", "en", "es", "s", "e"] {
        if let Some(base) = word.strip_suffix(suffix)
            && base.chars().count() >= 3
        {
            return if suffix == "ppen" { format!("{base}p") } else { base.to_string() };
        }
    }
    word.to_string()
}

/// Whether two times can meet (a flexible time meets any).
pub fn overlaps(a: When, b: When) -> bool {
    let range = |w: When| match w {
        When::Flexible => None,
        When::On(d) => Some((d, d)),
        When::Between(from, to) => Some((from, to)),
    };
    match (range(a), range(b)) {
        (Some((a1, a2)), Some((b1, b2))) => a1 <= b2 && b1 <= a2,
        _ => true,
    }
}

/// Categories whose help often overlaps: someone good with forms helps with money worries,
/// someone with a car takes the shopping along.
const NEIGHBOURS: &[(&str, &str)] = &[
    ("geldzorg", "administratie"),
    ("digitale hulp", "administratie"),
    ("klussen", "tuin"),
    ("gezelschap", "maaltijd"),
    ("boodschappen", "vervoer"),
];

/// Whether two categories are neighbours (in either order).
pub fn neighbouring(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
    NEIGHBOURS.iter().any(|(x, y)| (a == *x && b == *y) || (a == *y && b == *x))
}

/// The fit of two proposals, or `None` when they cannot match (same purpose, or times that
/// never meet).
pub fn score(a: &Proposal, b: &Proposal) -> Option<u32> {
    if a.purpose == b.purpose || !overlaps(a.when(), b.when()) {
        return None;
    }
    let mut score = 0;
    if a.category.eq_ignore_ascii_case(&b.category) && a.category != "overig" {
        score += 50;
    } else if neighbouring(&a.category, &b.category) {
        score += 30;
    }
    let shared = keywords(&format!("{} {}", a.title, a.description))
        .intersection(&keywords(&format!("{} {}", b.title, b.description)))
        .count() as u32;
    score += (shared * 15).min(45);
    if let (Some(x), Some(y)) = (&a.neighbourhood, &b.neighbourhood)
        && x.trim().eq_ignore_ascii_case(y.trim())
    {
        score += 20;
    }
    Some(score)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProposalState, Purpose};

    fn proposal(purpose: Purpose, title: &str, category: &str, area: Option<&str>, from: Option<&str>) -> Proposal {
        Proposal {
            post_id: 1,
            purpose,
            title: title.into(),
            description: String::new(),
            category: category.into(),
            neighbourhood: area.map(String::from),
            when_from: from.map(String::from),
            when_to: from.map(String::from),
            expires_at: None,
            state: ProposalState::Open,
            created_at: 0,
            hours_given: None,
            thanks: None,
            for_resident: false,
            first_response_at: None,
            fulfilled_at: None,
        }
    }

    #[test]
    fn neighbouring_categories_can_still_match() {
        let need = proposal(Purpose::Request, "Hulp bij mijn geldzaken en post", "geldzorg", None, None);
        let offer = proposal(Purpose::Offer, "Ik help met post en formulieren", "administratie", None, None);
        assert!(score(&need, &offer).is_some_and(|s| s >= THRESHOLD), "{:?}", score(&need, &offer));
        let far = proposal(Purpose::Offer, "Ik help met post en formulieren", "tuin", None, None);
        assert!(score(&need, &far).is_some_and(|s| s < THRESHOLD), "not every category is a neighbour");
        assert!(neighbouring("Administratie", "geldzorg"));
    }

    #[test]
    fn category_words_and_area_add_up_and_times_must_meet() {
        let need = proposal(Purpose::Request, "Boodschappen doen op dinsdag", "boodschappen", Some("Oude Westen"), None);
        let offer = proposal(Purpose::Offer, "Ik doe graag boodschappen", "boodschappen", Some("oude westen"), None);
        assert!(score(&need, &offer).unwrap() >= 50 + 15 + 20);
        let unrelated = proposal(Purpose::Offer, "Kleine klussen in huis", "klussen", None, None);
        assert!(score(&need, &unrelated).unwrap() < THRESHOLD);
        assert_eq!(score(&need, &need), None, "two needs do not match");
        let monday = proposal(Purpose::Request, "Boodschappen", "boodschappen", None, Some("2026-12-07"));
        let friday = proposal(Purpose::Offer, "Boodschappen", "boodschappen", None, Some("2026-12-11"));
        assert_eq!(score(&monday, &friday), None, "different days");
        assert_eq!(keywords("Boodschappen en een boodschap"), BTreeSet::from(["boodschap".to_string()]));
    }
}

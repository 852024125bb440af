//! Offers (hulpaanbod) and needs (hulpvragen): FEP-0837 proposals with a purpose, a title, a
//! category from the node's list, a neighbourhood, a time and a lifecycle.

use crate::error::{DomainError, Result, Say, Violation};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The categories a node starts with; configurable per node.
pub const DEFAULT_CATEGORIES: &[&str] =
    &["boodschappen", "klussen", "vervoer", "gezelschap", "maaltijd", "geldzorg", "digitale hulp", "administratie", "tuin", "overig"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// Hulpaanbod.
    Offer,
    /// Hulpvraag (FEP-0837 calls it `request`).
    Request,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Offer => "offer",
            Purpose::Request => "request",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        match s {
            "offer" => Some(Purpose::Offer),
            "request" => Some(Purpose::Request),
            _ => None,
        }
    }

    /// The Dutch word and hashtag Mastodon readers see.
    pub fn label(self) -> &'static str {
        match self {
            Purpose::Offer => "hulpaanbod",
            Purpose::Request => "hulpvraag",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalState {
    Open,
    InProgress,
    Fulfilled,
    Withdrawn,
    Expired,
}

impl ProposalState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Open => "open",
            ProposalState::InProgress => "in_progress",
            ProposalState::Fulfilled => "fulfilled",
            ProposalState::Withdrawn => "withdrawn",
            ProposalState::Expired => "expired",
        }
    }
}

impl ProposalState {
    pub const ALL: [ProposalState; 5] =
        [ProposalState::Open, ProposalState::InProgress, ProposalState::Fulfilled, ProposalState::Withdrawn, ProposalState::Expired];

    /// The state named as stored and as sent (`proposalState` on the wire).
    pub fn parse(name: &str) -> Option<ProposalState> {
        ProposalState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the author can still change it, fulfil it or withdraw it.
    pub fn is_active(self) -> bool {
        matches!(self, ProposalState::Open | ProposalState::InProgress)
    }

    /// The line Mastodon readers see above the proposal once it is no longer open.
    pub fn headline_nl(self) -> Option<&'static str> {
        match self {
            ProposalState::Open => None,
            ProposalState::InProgress => Some("Er wordt al geholpen."),
            ProposalState::Fulfilled => Some("Geholpen!"),
            ProposalState::Withdrawn => Some("Ingetrokken."),
            ProposalState::Expired => Some("Verlopen."),
        }
    }
}

impl TryFrom<String> for ProposalState {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        ProposalState::parse(&value).ok_or_else(|| DomainError::Corrupt(format!("unknown proposal state {value:?}")))
    }
}

impl TryFrom<String> for Purpose {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        Purpose::parse(&value).ok_or_else(|| DomainError::Corrupt(format!("unknown purpose {value:?}")))
    }
}

/// When help is wanted or offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Flexible,
    On(NaiveDate),
    Between(NaiveDate, NaiveDate),
}

impl When {
    /// From the two stored dates (`YYYY-MM-DD`).
    pub fn from_columns(from: Option<&str>, to: Option<&str>) -> When {
        let parse = |d: Option<&str>| d.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        match (parse(from), parse(to)) {
            (Some(a), Some(b)) if a != b => When::Between(a, b),
            (Some(a), _) => When::On(a),
            _ => When::Flexible,
        }
    }

    pub fn columns(self) -> (Option<String>, Option<String>) {
        let text = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        match self {
            When::Flexible => (None, None),
            When::On(d) => (Some(text(d)), Some(text(d))),
            When::Between(a, b) => (Some(text(a)), Some(text(b))),
        }
    }

    /// In Dutch words, as posts show it.
    pub fn describe_nl(self) -> String {
        let day = |d: NaiveDate| d.format("%d-%m-%Y").to_string();
        match self {
            When::Flexible => "in overleg".into(),
            When::On(d) => format!("op {}", day(d)),
            When::Between(a, b) => format!("van {} tot en met {}", day(a), day(b)),
        }
    }
}

/// What a member fills in.
#[derive(Debug, Clone)]
pub struct ProposalDraft {
    pub purpose: Purpose,
    pub title: String,
    pub description: String,
    pub category: String,
    pub neighbourhood: Option<String>,
    pub when: When,
    pub expires_at: Option<i64>,
}

impl ProposalDraft {
    /// Checks every field; all problems at once, in words for the person filling the form.
    pub fn validate(&self, categories: &[&str], now_ms: i64) -> Result<()> {
        let mut problems = Vec::new();
        let mut problem = |field: &'static str, say: Say| problems.push(Violation { field, message: say.into() });
        let title = self.title.trim().chars().count();
        if !(3..=120).contains(&title) {
            problem("title", Say::TitleLength);
        }
        if self.description.chars().count() > 4000 {
            problem("description", Say::AtMostChars(4000));
        }
        if !categories.iter().any(|c| c.eq_ignore_ascii_case(self.category.trim())) {
            problem("category", Say::ChooseCategory);
        }
        if self.neighbourhood.as_deref().is_some_and(|n| n.chars().count() > 80) {
            problem("neighbourhood", Say::AtMostChars(80));
        }
        if let When::Between(a, b) = self.when
            && b < a
        {
            problem("when", Say::EndBeforeStart);
        }
        if self.expires_at.is_some_and(|t| t <= now_ms) {
            problem("expires_at", Say::ExpiryPassed);
        }
        if problems.is_empty() { Ok(()) } else { Err(DomainError::Invalid(problems)) }
    }
}

/// Words in how a coordinator writes down a resident that say nothing about who she is.
const NOT_A_NAME: &[&str] = &["mevrouw", "mevr", "meneer", "heer", "dhr", "van", "der", "den", "het", "ter", "bij", "een", "aan"];

/// Whether a need's title or description gives away the resident it was posted for: a word of
/// her name or address as written down (`"mevrouw De Boer, Gaffelstraat 3"`) appears in it as
/// a whole word. The text goes to other initiatives; the name must stay on this node.
pub fn names_resident(draft: &ProposalDraft, resident: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let telling: Vec<String> =
        words(resident).into_iter().filter(|w| w.chars().count() >= 3 && !NOT_A_NAME.contains(&w.as_str())).collect();
    let text = words(&format!("{} {}", draft.title, draft.description));
    telling.iter().any(|name| text.contains(name))
}

/// A proposal as stored, next to its post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Proposal {
    pub post_id: i64,
    #[sqlx(try_from = "String")]
    pub purpose: Purpose,
    pub title: String,
    pub description: String,
    pub category: String,
    pub neighbourhood: Option<String>,
    pub when_from: Option<String>,
    pub when_to: Option<String>,
    pub expires_at: Option<i64>,
    #[sqlx(try_from = "String")]
    pub state: ProposalState,
    pub created_at: i64,
    /// Hours given, recorded when it was fulfilled.
    pub hours_given: Option<f64>,
    /// The author's thank-you to the helper, given when it was fulfilled (local proposals,
    /// and copies whose author sent one to a helper here).
    pub thanks: Option<String>,
    /// Asked for a resident (by a coordinator for her, or by herself): counted, never named.
    pub for_resident: bool,
    pub first_response_at: Option<i64>,
    pub fulfilled_at: Option<i64>,
}

/// What the figures count of one offer or need, as its author's node states it and sends it
/// along, so that every node holding a copy counts the same.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProposalFacts {
    pub for_resident: bool,
    pub first_response_at: Option<i64>,
    pub fulfilled_at: Option<i64>,
    pub hours_given: Option<f64>,
    /// The sides whose people help (an initiative's id, or a server's origin), with how many.
    pub helped_by: Vec<(String, i64)>,
}

impl Proposal {
    pub fn when(&self) -> When {
        When::from_columns(self.when_from.as_deref(), self.when_to.as_deref())
    }

    /// The fields as a draft, to render or change it.
    pub fn draft(&self) -> ProposalDraft {
        ProposalDraft {
            purpose: self.purpose,
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            neighbourhood: self.neighbourhood.clone(),
            when: self.when(),
            expires_at: self.expires_at,
        }
    }
}

/// Longest thank-you that goes with "geholpen".
pub const MAX_THANKS_CHARS: usize = 500;
/// Most hours one fulfilment may record.
pub const MAX_HOURS: f64 = 1000.0;

/// How an offer or need ended well: the hours given (when known) and the author's thanks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fulfilment {
    pub hours: Option<f64>,
    pub thanks: Option<String>,
}

impl Fulfilment {
    /// Checks the hours and the thank-you; an empty thank-you is none.
    pub fn checked(hours: Option<f64>, thanks: Option<&str>) -> Result<Fulfilment> {
        let mut problems = Vec::new();
        if hours.is_some_and(|h| !h.is_finite() || !(0.0..=MAX_HOURS).contains(&h)) {
            problems.push(Violation { field: "hours", message: Say::HoursRange.into() });
        }
        let thanks = thanks.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        if thanks.as_deref().is_some_and(|t| t.chars().count() > MAX_THANKS_CHARS) {
            problems.push(Violation { field: "thanks", message: Say::AtMostChars(MAX_THANKS_CHARS).into() });
        }
        if problems.is_empty() { Ok(Fulfilment { hours, thanks }) } else { Err(DomainError::Invalid(problems)) }
    }
}

/// The hashtag of a category (`digitale hulp` → `digitalehulp`).
pub fn category_tag(category: &str) -> String {
    category.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase()
}

/// The posting convention for Mastodon apps: a post with `#hulpvraag` (or `#hulpaanbod`) is
/// a need (an offer). The first line, without hashtags, is the title; the rest the
/// description; a hashtag naming a category (`#boodschappen`, `#digitalehulp`) sets it
/// (`overig` otherwise). `None` for an ordinary post.
pub fn from_hashtag_post(text: &str) -> Option<ProposalDraft> {
    let tags: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter_map(|w| w.strip_prefix('#'))
        .map(|t| t.to_lowercase())
        .collect();
    let purpose = if tags.iter().any(|t| t == "hulpvraag") {
        Purpose::Request
    } else if tags.iter().any(|t| t == "hulpaanbod") {
        Purpose::Offer
    } else {
        return None;
    };
    let category = DEFAULT_CATEGORIES.iter().find(|c| tags.contains(&category_tag(c))).copied().unwrap_or("overig");
    let without_tags = |line: &str| line.split_whitespace().filter(|w| !w.starts_with('#')).collect::<Vec<_>>().join(" ");
    let mut lines = text.trim().lines().map(without_tags).filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or_default();
    let title: String = first.chars().take(120).collect();
    let rest: Vec<String> = lines.collect();
    let description = if rest.is_empty() && first.chars().count() > 120 { first.clone() } else { rest.join("\n") };
    Some(ProposalDraft {
        purpose,
        title: if title.trim().chars().count() >= 3 { title } else { purpose.label().to_string() },
        description,
        category: category.to_string(),
        neighbourhood: None,
        when: When::Flexible,
        expires_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProposalDraft {
        ProposalDraft {
            purpose: Purpose::Request,
            title: "Boodschappen op dinsdag".into(),
            description: "Wie kan mij helpen?".into(),
            category: "Boodschappen".into(),
            neighbourhood: Some("Oude Westen".into()),
            when: When::Flexible,
            expires_at: None,
        }
    }

    #[test]
    fn a_residents_name_or_street_in_the_text_is_noticed_and_titles_are_not() {
        let draft = |title: &str, description: &str| ProposalDraft { title: title.into(), description: description.into(), ..draft() };
        let resident = "mevrouw De Boer, Gaffelstraat 3";
        assert!(names_resident(&draft("Wie helpt mevrouw De Boer met haar tuin?", ""), resident));
        assert!(names_resident(&draft("Hulp in de tuin", "Aan de Gaffelstraat, achterom."), resident));
        assert!(!names_resident(&draft("Wie helpt een buurvrouw met haar tuin?", "Mevrouw heeft een kleine tuin."), resident));
        assert!(!names_resident(&draft("Boodschappen", "Boerenkool halen"), resident), "whole words only");
    }

    #[test]
    fn hashtag_posts_become_needs_and_offers() {
        let need = from_hashtag_post("Wie doet dinsdag boodschappen met mij? #hulpvraag #boodschappen\nIk woon in de Gaffelstraat.")
            .expect("a need");
        assert_eq!((need.purpose, need.category.as_str()), (Purpose::Request, "boodschappen"));
        assert_eq!(need.title, "Wie doet dinsdag boodschappen met mij?");
        assert_eq!(need.description, "Ik woon in de Gaffelstraat.");
        let offer = from_hashtag_post("#HulpAanbod Ik help met de computer #digitalehulp").expect("an offer");
        assert_eq!(
            (offer.purpose, offer.category.as_str(), offer.title.as_str()),
            (Purpose::Offer, "digitale hulp", "Ik help met de computer")
        );
        assert!(from_hashtag_post("Gewoon een bericht over #hulp").is_none());
    }

    #[test]
    fn a_good_draft_passes_and_bad_fields_are_all_reported() {
        assert!(draft().validate(DEFAULT_CATEGORIES, 0).is_ok());
        let bad = ProposalDraft {
            title: "x".into(),
            category: "ruimtevaart".into(),
            when: When::Between(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            expires_at: Some(5),
            ..draft()
        };
        let Err(DomainError::Invalid(problems)) = bad.validate(DEFAULT_CATEGORIES, 10) else { panic!("invalid") };
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["title", "category", "when", "expires_at"]);
    }

    #[test]
    fn when_round_trips_through_its_columns() {
        let on = When::On(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let (a, b) = on.columns();
        assert_eq!(When::from_columns(a.as_deref(), b.as_deref()), on);
        assert_eq!(When::from_columns(None, None), When::Flexible);
        assert_eq!(on.describe_nl(), "op 01-12-2026");
        assert_eq!(category_tag("digitale hulp"), "digitalehulp");
    }
}

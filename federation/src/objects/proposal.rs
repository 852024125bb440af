//! Offers and needs on the wire: a `Note` with the FEP-0837 properties (`purpose`,
//! `publishes` an `Intent`, `name`), so Mastodon followers read a post and FEP-0837 software
//! sees a proposal. `Proposal` objects from others (Mitra) are read the same way.

use crate::protocol::note::NoteJson;
use crate::protocol::parts::{Area, Helpers, Tag, value};
use crate::protocol::valueflows::Intent;
use buurtnet_domain::model::{MAX_HOURS, Proposal, ProposalDraft, ProposalFacts, ProposalState, Purpose, When, category_tag};
use serde_json::Value;

/// Where a category's IRI points: `{origin}/categories/{tag}`.
fn category_iri(note_id: &str, category: &str) -> String {
    let origin = url::Url::parse(note_id).map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    format!("{origin}/categories/{}", category_tag(category))
}

/// Adds the proposal's properties to its note.
pub fn decorate(note: &mut NoteJson, proposal: &Proposal) {
    note.name = Some(proposal.title.clone());
    note.purpose = Some(proposal.purpose.as_str().to_string());
    note.proposal_state = Some(proposal.state.as_str().to_string());
    note.publishes = Some(value(Intent::service(format!("{}#primary", note.id), category_iri(&note.id, &proposal.category))));
    note.location = proposal.neighbourhood.clone().map(|name| value(Area { name }));
    note.start_time = proposal.when_from.clone();
    note.end_time = proposal.when_to.clone();
    let tags = format!("{}/tags", note.id.split("/notes/").next().unwrap_or_default());
    let hashtag = |name: String| Tag::Hashtag { href: format!("{tags}/{name}"), name: format!("#{name}") };
    note.tag = Some(value([hashtag(proposal.purpose.label().to_string()), hashtag(category_tag(&proposal.category))]));
}

/// What the figures count, as the author's node states it (see `ProposalFacts`).
pub fn state_facts(note: &mut NoteJson, proposal: &Proposal, helpers: &[(String, i64)]) {
    let time = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    note.for_resident = Some(proposal.for_resident);
    note.first_response_at = proposal.first_response_at.and_then(time);
    note.fulfilled_at = proposal.fulfilled_at.and_then(time);
    note.hours_given = proposal.hours_given.map(|h| format!("{h}"));
    if !helpers.is_empty() {
        note.helped_by = Some(value(helpers.iter().map(|(side, n)| Helpers { id: side.clone(), helpers: *n }).collect::<Vec<_>>()));
    }
}

/// The facts a peer's proposal carries, when it carries any (a proposal from other software
/// carries none: `None`, and what we hold stays as it is).
pub fn facts(note: &NoteJson) -> Option<ProposalFacts> {
    note.for_resident?;
    let time = |text: Option<&str>| text.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map(|t| t.timestamp_millis());
    let hours = note.hours_given.as_deref().and_then(|h| h.parse::<f64>().ok()).filter(|h| h.is_finite() && (0.0..=MAX_HOURS).contains(h));
    let helped_by = note
        .helped_by
        .as_ref()
        .and_then(Value::as_array)
        .map(|sides| {
            sides
                .iter()
                .take(50)
                .filter_map(|s| {
                    Some((s.get("id")?.as_str()?.chars().take(300).collect::<String>(), s.get("helpers")?.as_i64()?.clamp(1, 1000)))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ProposalFacts {
        for_resident: note.for_resident.unwrap_or(false),
        first_response_at: time(note.first_response_at.as_deref()),
        fulfilled_at: time(note.fulfilled_at.as_deref()),
        hours_given: hours,
        helped_by,
    })
}

/// The state the author gives its proposal, when it says one we know.
pub fn state(note: &NoteJson) -> Option<ProposalState> {
    note.proposal_state.as_deref().and_then(ProposalState::parse)
}

/// The proposal in a note or `Proposal` from a peer, if it is one. The category comes from
/// `resourceConformsTo` or a hashtag naming one of ours; the title from `name`.
pub fn read(note: &NoteJson, categories: &[&str]) -> Option<ProposalDraft> {
    let purpose = Purpose::parse(note.purpose.as_deref()?)?;
    let known = |candidate: &str| categories.iter().find(|c| category_tag(c) == category_tag(candidate)).map(|c| c.to_string());
    let from_intent = note
        .publishes
        .as_ref()
        .and_then(|i| i.get("resourceConformsTo"))
        .and_then(Value::as_str)
        .and_then(|iri| iri.rsplit('/').next())
        .and_then(known);
    let from_tags = || -> Option<String> {
        note.tag
            .as_ref()?
            .as_array()?
            .iter()
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .find_map(|n| known(n.trim_start_matches('#')))
    };
    let text = buurtnet_domain::model::html::to_plain_text(&buurtnet_domain::model::html::sanitize(&note.content));
    let title = note
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| text.lines().next().unwrap_or_default().chars().take(120).collect());
    Some(ProposalDraft {
        purpose,
        title: title.chars().take(120).collect(),
        description: super::fallback::description(&text, &title, &[]).chars().take(4000).collect(),
        category: from_intent.or_else(from_tags).unwrap_or_else(|| "overig".into()),
        neighbourhood: note.location.as_ref().and_then(|l| l.get("name")).and_then(Value::as_str).map(|n| n.chars().take(80).collect()),
        // The date of a time (`2026-11-22T10:00:00Z`); a text with no date there reads as none.
        when: When::from_columns(
            note.start_time.as_deref().map(|t| t.get(..10).unwrap_or(t)),
            note.end_time.as_deref().map(|t| t.get(..10).unwrap_or(t)),
        ),
        expires_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_time_with_a_wide_character_at_its_tenth_byte_reads_as_no_date() {
        let note: NoteJson = serde_json::from_value(json!({
            "id": "https://a.example/notes/1", "type": "Note", "attributedTo": "https://a.example/users/anna",
            "purpose": "offer", "startTime": "2026-11-2\u{20ac}", "endTime": "2026-11-30T10:00:00+01:00",
        }))
        .unwrap();
        assert_eq!(read(&note, &["overig"]).map(|p| p.when), Some(When::Flexible));
        let note = NoteJson { start_time: Some("2026-11-23T09:00:00Z".into()), ..note };
        assert_eq!(read(&note, &["overig"]).map(|p| p.when), Some(When::Between(date(2026, 11, 23), date(2026, 11, 30))));
    }

    fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_proposal_publishes_an_intent_with_its_place_tags_and_helpers() {
        use crate::objects::samples::{self, assert_sends};
        let mut note: NoteJson = serde_json::from_value(
            json!({"id": "https://a.example/notes/1", "type": "Note", "attributedTo": "https://a.example/users/anna"}),
        )
        .unwrap();
        let proposal = Proposal { neighbourhood: Some("Bospolder".into()), ..samples::proposal(Purpose::Request) };
        decorate(&mut note, &proposal);
        state_facts(&mut note, &proposal, &[("https://a.example/initiatives/zorg".into(), 2)]);
        assert_sends(
            &note.publishes,
            json!({"type": "Intent", "id": "https://a.example/notes/1#primary", "action": "deliverService",
                "resourceConformsTo": "https://a.example/categories/boodschappen", "resourceQuantity": {"hasUnit": "one", "hasNumericalValue": "1"}}),
        );
        assert_sends(&note.location, json!({"type": "Place", "name": "Bospolder"}));
        assert_sends(
            &note.tag,
            json!([{"type": "Hashtag", "name": format!("#{}", Purpose::Request.label()), "href": format!("https://a.example/tags/{}", Purpose::Request.label())},
                {"type": "Hashtag", "name": "#boodschappen", "href": "https://a.example/tags/boodschappen"}]),
        );
        assert_sends(&note.helped_by, json!([{"id": "https://a.example/initiatives/zorg", "helpers": 2}]));
    }
}

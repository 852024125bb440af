//! Events on the wire (FEP-8a8e, Mobilizon-compatible): type `Event` with `name`,
//! `startTime`/`endTime` (with offset), `timezone`, `location` (a `Place` with a
//! `PostalAddress`), `joinMode`, `maximumAttendeeCapacity`, `participantCount`, and always a
//! `summary` with date, time and place in words and a `url`, since Mastodon shows only those.

use crate::protocol::note::NoteJson;
use crate::protocol::parts::{self, OrganizersCollection, PostalAddress, VirtualLocation, value};
use buurtnet_domain::model::{DEFAULT_TIMEZONE, Event, EventDraft, JoinMode, Place, Repeat};
use buurtnet_domain::ops::events::RemoteEventState;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde_json::Value;

fn local_time(ms: i64, tz: &Tz) -> Option<String> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.with_timezone(tz).to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// The organisers an event names, in any of the shapes FEP-8a8e allows: an id, an array,
/// or a collection with `items`, `orderedItems` or a `first` page of them.
pub fn organiser_ids(note: &NoteJson) -> Vec<String> {
    let Some(value) = note.organizers.as_ref() else { return vec![] };
    let items = match value {
        Value::Object(map) => map
            .get("items")
            .or_else(|| map.get("orderedItems"))
            .or_else(|| map.get("first").and_then(|f| f.get("items").or_else(|| f.get("orderedItems")))),
        other => Some(other),
    };
    crate::protocol::ids(items)
}

/// The state a peer gives its event: cancelled (Mobilizon's `ical:status`), and how many take part.
pub fn remote_state(note: &NoteJson) -> RemoteEventState {
    RemoteEventState {
        cancelled: note.event_status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED")),
        participant_count: note.participant_count,
    }
}

/// Turns a local post's note into the event it is. `organisers`: the author first, then the
/// co-organising initiatives (FEP-8a8e `organizers`, as an inline collection).
pub fn decorate(note: &mut NoteJson, event: &Event, organisers: &[String]) {
    let draft = event.draft();
    let tz: Tz = event.timezone.parse().unwrap_or(chrono_tz::Europe::Amsterdam);
    note.kind = "Event".into();
    note.name = Some(event.title.clone());
    note.summary = Some(draft.summary_nl());
    note.sensitive = None;
    note.start_time = local_time(event.starts_at, &tz);
    note.end_time = event.ends_at.and_then(|t| local_time(t, &tz));
    note.timezone = Some(event.timezone.clone());
    note.join_mode = Some(event.join_mode.as_str().into());
    note.maximum_attendee_capacity = event.capacity;
    note.participant_count = Some(event.participant_count);
    note.organizers = Some(value(OrganizersCollection::of(organisers)));
    note.event_status = Some(if event.is_cancelled() { "CANCELLED" } else { "CONFIRMED" }.into());
    note.location = match (&draft.place, &event.online_url) {
        (Some(place), _) => Some(value(parts::Place {
            name: place.name.clone(),
            address: place.address.clone().map(|street_address| PostalAddress { street_address }),
            latitude: place.latitude,
            longitude: place.longitude,
        })),
        (None, Some(link)) => Some(value(VirtualLocation { url: link.clone() })),
        (None, None) => None,
    };
}

/// A date of a repeating event: `series` names the series' page, and the text gets the
/// line "Komt elke week terug." before the hashtag, for readers who see only the text.
pub fn mark_series(note: &mut NoteJson, page: String, repeat: Repeat) {
    let line = format!("<p>{}</p>", repeat.comes_back_nl());
    let at = note.content.rfind("<p>#activiteit</p>").unwrap_or(note.content.len());
    note.content.insert_str(at, &line);
    if let Some(Value::Object(map)) = note.content_map.as_mut() {
        for text in map.values_mut() {
            *text = Value::String(note.content.clone());
        }
    }
    note.series = Some(page);
}

fn address_text(address: &Value) -> Option<String> {
    match address {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => {
            let parts: Vec<&str> = ["streetAddress", "postalCode", "addressLocality"]
                .iter()
                .filter_map(|k| map.get(*k).and_then(Value::as_str))
                .filter(|s| !s.is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

/// The event in an `Event` from a peer (Buurtnet, Mobilizon, Gancio, ...), if it is one with
/// a start time we can read.
pub fn read(note: &NoteJson) -> Option<EventDraft> {
    if note.kind != "Event" {
        return None;
    }
    let starts_at = DateTime::parse_from_rfc3339(note.start_time.as_deref()?).ok()?.with_timezone(&Utc);
    let ends_at = note
        .end_time
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .filter(|end| *end >= starts_at);
    let timezone = note.timezone.clone().filter(|tz| tz.parse::<Tz>().is_ok()).unwrap_or_else(|| DEFAULT_TIMEZONE.into());
    let location = note.location.as_ref();
    let place = location.filter(|l| l.get("type").and_then(Value::as_str) != Some("VirtualLocation")).and_then(|l| {
        let address = l.get("address").and_then(address_text);
        let name =
            l.get("name").and_then(Value::as_str).map(str::to_string).filter(|n| !n.trim().is_empty()).or_else(|| address.clone())?;
        Some(Place {
            name,
            address,
            latitude: l.get("latitude").and_then(Value::as_f64),
            longitude: l.get("longitude").and_then(Value::as_f64),
        })
    });
    let online_url = location
        .filter(|l| l.get("type").and_then(Value::as_str) == Some("VirtualLocation"))
        .and_then(|l| l.get("url"))
        .and_then(Value::as_str)
        .and_then(buurtnet_domain::model::links::web_address);
    let text = buurtnet_domain::model::html::to_plain_text(&buurtnet_domain::model::html::sanitize(&note.content));
    let title =
        note.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| text.lines().next().unwrap_or("Activiteit").to_string());
    let description = super::fallback::description(&text, &title, &[note.summary.as_deref().unwrap_or_default()]);
    Some(EventDraft {
        title,
        description,
        starts_at,
        ends_at,
        timezone,
        place,
        online_url,
        capacity: note.maximum_attendee_capacity.filter(|c| *c > 0),
        join_mode: JoinMode::parse(note.join_mode.as_deref().unwrap_or("free")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::samples::{self, assert_sends};
    use serde_json::json;

    fn note() -> NoteJson {
        serde_json::from_value(json!({"id": "https://a.example/notes/1", "type": "Note", "attributedTo": "https://a.example/users/anna"}))
            .unwrap()
    }

    #[test]
    fn an_event_names_its_organisers_and_its_place_or_link() {
        let organisers = ["https://a.example/users/anna".to_string(), "https://a.example/initiatives/zorg".to_string()];
        let mut at_a_place = note();
        decorate(&mut at_a_place, &samples::event(Some("Buurthuis"), Some("https://meet.example/soep")), &organisers);
        assert_sends(
            &at_a_place.organizers,
            json!({"type": "OrganizersCollection", "totalItems": 2, "first": {"type": "CollectionPage", "items": organisers}}),
        );
        assert_sends(
            &at_a_place.location,
            json!({"type": "Place", "name": "Buurthuis", "address": {"type": "PostalAddress", "streetAddress": "Schiedamseweg 1"},
                "latitude": null, "longitude": 4.45}),
        );
        let mut online = note();
        decorate(&mut online, &samples::event(None, Some("https://meet.example/soep")), &organisers[..1]);
        assert_sends(&online.location, json!({"type": "VirtualLocation", "url": "https://meet.example/soep"}));
        assert_eq!(online.organizers.as_ref().map(|o| o["totalItems"].clone()), Some(json!(1)));
    }
}

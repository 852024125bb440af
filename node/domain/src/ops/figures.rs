//! Figures that show an initiative's and a coalition's value (harde euro's): needs asked and
//! helped by category, time to the first response, hours given, how often someone helped,
//! residents helped (counted, never named), events held and their participants, and who
//! helps whom. A coalition's figures are counted only from facts that travel with its
//! members' offers, needs and events (their state, `fulfilledAt`, `hoursGiven`, `helpedBy`,
//! `forResident`, `firstResponseAt`; see FEDERATION.md), so every replica shows the same
//! numbers once it holds the same posts.

use crate::error::Result;
use crate::model::Actor;
use crate::store::figures::{EventRow, ProposalRow};
use crate::store::{self, Store};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A period: from `from` (inclusive) to `until` (exclusive), in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: i64,
    pub until: i64,
}

impl Period {
    fn holds(&self, at: i64) -> bool {
        (self.from..self.until).contains(&at)
    }
}

/// Help that went from one member initiative to another: `from` helped `to`, `times` times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub times: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Needs published in the period, by category.
    pub needs_asked: BTreeMap<String, i64>,
    /// Needs helped in the period, by category.
    pub needs_helped: BTreeMap<String, i64>,
    pub offers_made: i64,
    pub offers_taken: i64,
    /// The middle time from a need's publication to its first response, for needs published in
    /// the period that had one.
    pub first_response_hours: Option<f64>,
    /// Hours given on needs and offers helped in the period (as their authors recorded them).
    pub hours_given: f64,
    /// How often someone helped, on needs and offers helped in the period.
    pub times_helped: i64,
    /// Needs asked for residents and helped in the period: counted, never named.
    pub residents_helped: i64,
    /// Distinct people of this node whose help was accepted in the period (an initiative's
    /// figures only: who helped is not sent to other nodes).
    pub volunteers: Option<i64>,
    pub events_held: i64,
    pub participants: i64,
    /// Who helps whom (a coalition's figures).
    pub flows: Vec<Flow>,
}

impl Figures {
    pub fn needs_asked_total(&self) -> i64 {
        self.needs_asked.values().sum()
    }

    pub fn needs_helped_total(&self) -> i64 {
        self.needs_helped.values().sum()
    }
}

const SHARED: [&str; 3] = ["coalition", "public", "unlisted"];

/// The figures of a local initiative: its own offers and needs (and the needs its residents
/// asked themselves that were not passed on as its own), its events, its volunteers.
pub async fn of_initiative(store: &Store, initiative: &Actor, period: Period) -> Result<Figures> {
    let mut conn = store.conn().await?;
    let rows = store::figures::proposals(&mut conn, period.until).await?;
    let mut residents_of: HashMap<String, bool> = HashMap::new();
    let mut mine = Vec::new();
    for row in rows {
        let belongs = if row.author_ap_id == initiative.ap_id {
            true
        } else if row.author_kind == "person" && row.passed_on_to.is_none() {
            if !residents_of.contains_key(&row.author_ap_id) {
                let member = match store::actors::by_ap_id(&mut conn, &row.author_ap_id).await?.filter(|a| a.is_local) {
                    Some(person) => store::actors::initiative_role(&mut conn, initiative.id, person.id).await?.is_some(),
                    None => false,
                };
                residents_of.insert(row.author_ap_id.clone(), member);
            }
            residents_of[&row.author_ap_id]
        } else {
            false
        };
        if belongs {
            mine.push(row);
        }
    }
    let events: Vec<EventRow> = store::figures::events(&mut conn, period.from, period.until)
        .await?
        .into_iter()
        .filter(|e| e.author_ap_id == initiative.ap_id)
        .collect();
    let helpers = helpers_by_post(&store::figures::helpers(&mut conn).await?);
    let mut figures = count(&mine, &helpers, &events, period);
    figures.volunteers = Some(store::responses::helpers_here_between(&mut conn, initiative.id, period.from, period.until).await?);
    Ok(figures)
}

/// The figures of a coalition, from the offers, needs and events its member initiatives
/// shared with it (the same on every replica), with who helps whom.
pub async fn of_coalition(store: &Store, coalition: &str, period: Period) -> Result<Figures> {
    let members = super::coalitions::state(store, coalition).await?.members;
    let mut conn = store.conn().await?;
    let shared = |author: &str, visibility: &str| members.contains(author) && SHARED.contains(&visibility);
    let rows: Vec<ProposalRow> =
        store::figures::proposals(&mut conn, period.until).await?.into_iter().filter(|r| shared(&r.author_ap_id, &r.visibility)).collect();
    let events: Vec<EventRow> = store::figures::events(&mut conn, period.from, period.until)
        .await?
        .into_iter()
        .filter(|e| shared(&e.author_ap_id, &e.visibility))
        .collect();
    let helpers = store::figures::helpers(&mut conn).await?;
    let mut figures = count(&rows, &helpers_by_post(&helpers), &events, period);
    figures.flows = flows(&rows, &helpers, &members, period);
    Ok(figures)
}

fn helped_in(row: &ProposalRow, period: Period) -> bool {
    row.state == "fulfilled" && row.fulfilled_at.is_some_and(|at| period.holds(whole_seconds(at)))
}

fn whole_seconds(ms: i64) -> i64 {
    ms.div_euclid(1000) * 1000
}

/// How many helped on each proposal.
fn helpers_by_post(helpers: &[(i64, String, i64)]) -> HashMap<i64, i64> {
    let mut by_post = HashMap::new();
    for (post_id, _, n) in helpers {
        *by_post.entry(*post_id).or_default() += n;
    }
    by_post
}

fn count(rows: &[ProposalRow], helpers: &HashMap<i64, i64>, events: &[EventRow], period: Period) -> Figures {
    let mut figures = Figures::default();
    let mut waits = Vec::new();
    for row in rows {
        let is_need = row.purpose == "request";
        // Times travel in whole seconds; counting in seconds everywhere gives every node the
        // same answer, the author's own included.
        let published = whole_seconds(row.published);
        if period.holds(published) {
            if is_need {
                *figures.needs_asked.entry(row.category.clone()).or_default() += 1;
                if let Some(first) = row.first_response_at.map(whole_seconds) {
                    waits.push((first - published).max(0) as f64 / 3_600_000.0);
                }
            } else {
                figures.offers_made += 1;
            }
        }
        if helped_in(row, period) {
            if is_need {
                *figures.needs_helped.entry(row.category.clone()).or_default() += 1;
                figures.residents_helped += i64::from(row.for_resident);
            } else {
                figures.offers_taken += 1;
            }
            figures.hours_given += row.hours_given.unwrap_or(0.0);
            figures.times_helped += helpers.get(&row.post_id).copied().unwrap_or(0);
        }
    }
    figures.first_response_hours = median(&mut waits);
    for event in events.iter().filter(|e| e.state != crate::model::EVENT_CANCELLED && e.starts_at <= crate::now_ms()) {
        figures.events_held += 1;
        figures.participants += event.participant_count;
    }
    figures
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[middle] } else { (values[middle - 1] + values[middle]) / 2.0 })
}

/// Who helped whom: help on needs and offers helped in the period, or still being helped and
/// published in it. A helper's side counts for the member it is, or the member on its server.
fn flows(rows: &[ProposalRow], helpers: &[(i64, String, i64)], members: &BTreeSet<String>, period: Period) -> Vec<Flow> {
    let by_post: HashMap<i64, &ProposalRow> = rows.iter().map(|r| (r.post_id, r)).collect();
    let mut counted: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (post_id, side, times) in helpers {
        let Some(row) = by_post.get(post_id) else { continue };
        let counts = helped_in(row, period) || (row.state == "in_progress" && period.holds(whole_seconds(row.published)));
        let Some(helper) = member_of_side(members, side).filter(|_| counts) else { continue };
        let (from, to) = if row.purpose == "request" { (helper, row.author_ap_id.clone()) } else { (row.author_ap_id.clone(), helper) };
        if from != to {
            *counted.entry((from, to)).or_default() += times;
        }
    }
    counted.into_iter().map(|((from, to), times)| Flow { from, to, times }).collect()
}

/// The member a helper's side stands for: itself, or the first member on its server.
fn member_of_side(members: &BTreeSet<String>, side: &str) -> Option<String> {
    if members.contains(side) {
        return Some(side.to_string());
    }
    let origin = |id: &str| url::Url::parse(id).ok().map(|u| u.origin());
    let own = origin(side)?;
    members.iter().find(|m| origin(m).as_ref() == Some(&own)).cloned()
}

/// The figures as CSV: `key,label,category,value` per line (labels from `label`, in the
/// reader's language), for a funder's spreadsheet.
pub fn to_csv(figures: &Figures, label: impl Fn(&str) -> String) -> String {
    let mut lines = vec!["key,label,category,value".to_string()];
    let mut line = |key: &str, category: &str, value: String| {
        lines.push([key.to_string(), label(key), category.to_string(), value].map(|f| csv_field(&f)).join(","));
    };
    for (category, n) in &figures.needs_asked {
        line("needs_asked", category, n.to_string());
    }
    line("needs_asked", "", figures.needs_asked_total().to_string());
    for (category, n) in &figures.needs_helped {
        line("needs_helped", category, n.to_string());
    }
    line("needs_helped", "", figures.needs_helped_total().to_string());
    line("offers_made", "", figures.offers_made.to_string());
    line("offers_taken", "", figures.offers_taken.to_string());
    line("first_response_hours", "", figures.first_response_hours.map(|h| format!("{h:.1}")).unwrap_or_default());
    line("hours_given", "", format!("{}", figures.hours_given));
    line("times_helped", "", figures.times_helped.to_string());
    line("residents_helped", "", figures.residents_helped.to_string());
    if let Some(volunteers) = figures.volunteers {
        line("volunteers", "", volunteers.to_string());
    }
    line("events_held", "", figures.events_held.to_string());
    line("participants", "", figures.participants.to_string());
    lines.join("\r\n") + "\r\n"
}

/// A CSV field, quoted when it must be; a leading `=`, `+`, `-` or `@` is defused so that a
/// spreadsheet does not run it as a formula.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_in_a_field_is_defused_and_commas_are_quoted() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1.5"), "-1.5");
        assert_eq!(csv_field("boodschappen, klussen"), "\"boodschappen, klussen\"");
    }

    #[test]
    fn the_median_is_the_middle_value() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn a_helpers_side_counts_for_the_member_on_its_server() {
        let members = BTreeSet::from(["https://a.example/initiatives/x".to_string(), "https://b.example/initiatives/y".to_string()]);
        assert_eq!(member_of_side(&members, "https://b.example").as_deref(), Some("https://b.example/initiatives/y"));
        assert_eq!(member_of_side(&members, "https://a.example/initiatives/x").as_deref(), Some("https://a.example/initiatives/x"));
        assert_eq!(member_of_side(&members, "https://c.example"), None);
    }
}

//! The help part of the coordinator's page (`/coordinatie`, "Hulp"): what the desk use case
//! ([`buurtnet_domain::ops::desk`]) finds, as lines with links to the needs' own pages, where
//! the coordinator decides, passes on, marks helped or withdraws.

use super::i18n::Tr;
use buurtnet_domain::DomainError;
use buurtnet_domain::model::Post;
use buurtnet_domain::ops::desk::{self, DeskItem};
use buurtnet_federation::Context;

/// One need on the desk, in words.
pub struct DeskLine {
    pub href: String,
    pub title: String,
    /// "Zorgvrijstaat · 3 dagen geleden geplaatst · 2 reacties".
    pub meta: String,
    /// For whom (needs posted for residents): only coordinators see this page.
    pub resident: Option<String>,
    pub state: String,
}

/// A match suggestion: one of theirs and one that fits.
pub struct SuggestionLine {
    pub about_href: String,
    pub about: String,
    pub candidate_href: String,
    pub candidate: String,
}

#[derive(Default)]
pub struct DeskPart {
    pub for_residents: Vec<DeskLine>,
    pub unanswered: Vec<DeskLine>,
    pub waiting: Vec<DeskLine>,
    pub to_pass_on: Vec<DeskLine>,
    pub suggestions: Vec<SuggestionLine>,
    pub unanswered_days: i64,
}

fn line(item: &DeskItem, now: i64, tr: Tr) -> DeskLine {
    let days = (now - item.post.published).max(0) / (24 * 3600 * 1000);
    let mut meta = vec![item.author.display_name.clone(), tr.count("desk-days-ago", days)];
    meta.push(tr.count("desk-responses", item.responses as i64));
    if item.pending > 0 {
        meta.push(tr.count("desk-pending", item.pending as i64));
    }
    DeskLine {
        href: format!("/bericht/{}", item.post.id),
        title: item.proposal.title.clone(),
        meta: meta.join(" · "),
        resident: item.resident.clone(),
        state: tr.t(super::posts::state_key(item.proposal.state)),
    }
}

fn title_of(post: &Post) -> String {
    let text = buurtnet_domain::model::html::to_plain_text(&post.content);
    text.lines().next().unwrap_or_default().chars().take(120).collect()
}

/// The desk of `coordinator`, for the page.
pub async fn part(context: &Context, coordinator: &buurtnet_domain::model::Actor, tr: Tr) -> Result<DeskPart, DomainError> {
    let now = buurtnet_domain::now_ms();
    let desk = desk::of(&context.store, coordinator, now).await?;
    let lines = |items: &[DeskItem]| items.iter().map(|i| line(i, now, tr)).collect::<Vec<_>>();
    Ok(DeskPart {
        for_residents: lines(&desk.for_residents),
        unanswered: lines(&desk.unanswered),
        waiting: lines(&desk.waiting),
        to_pass_on: lines(&desk.to_pass_on),
        suggestions: desk
            .suggestions
            .iter()
            .take(20)
            .map(|s| SuggestionLine {
                about_href: format!("/bericht/{}", s.about.id),
                about: title_of(&s.about),
                candidate_href: format!("/bericht/{}", s.candidate.id),
                candidate: title_of(&s.candidate),
            })
            .collect(),
        unanswered_days: desk::UNANSWERED_AFTER_DAYS,
    })
}

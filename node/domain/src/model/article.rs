//! Shared knowledge (kennis): articles written in markdown, with every revision kept, edits
//! proposed from other nodes as patches (unified diffs against a named revision), merged
//! three ways where they do not conflict.

use crate::error::{DomainError, Result, Say, Violation};

pub const MAX_TITLE_CHARS: usize = 160;
pub const MAX_SOURCE_CHARS: usize = 100_000;
pub const MAX_SUMMARY_CHARS: usize = 300;

/// Who may change an article directly on its home node. Everyone else who may read it
/// proposes edits; those wait for someone who may edit, who merges or declines them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditPolicy {
    /// The author (for an initiative: its coordinators).
    Author,
    /// Also every member of the authoring initiative.
    Initiative,
    /// Everyone who may read it, here and on other nodes: proposed edits are merged at once.
    Open,
}

impl EditPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            EditPolicy::Author => "author",
            EditPolicy::Initiative => "initiative",
            EditPolicy::Open => "open",
        }
    }
}

impl TryFrom<String> for EditPolicy {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        Ok(match value.as_str() {
            "author" => EditPolicy::Author,
            "initiative" => EditPolicy::Initiative,
            "open" => EditPolicy::Open,
            other => return Err(DomainError::Corrupt(format!("unknown edit policy {other:?}"))),
        })
    }
}

#[derive(Debug, Clone)]
pub struct ArticleDraft {
    pub title: String,
    /// Markdown.
    pub source: String,
    pub edit_policy: EditPolicy,
}

impl ArticleDraft {
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        if !(3..=MAX_TITLE_CHARS).contains(&self.title.trim().chars().count()) {
            problems.push(Violation { field: "title", message: Say::ArticleTitleLength(MAX_TITLE_CHARS).into() });
        }
        if let Err(DomainError::Invalid(more)) = validate_source(&self.source) {
            problems.extend(more);
        }
        if problems.is_empty() { Ok(()) } else { Err(DomainError::Invalid(problems)) }
    }
}

pub fn validate_source(source: &str) -> Result<()> {
    if source.trim().is_empty() || source.chars().count() > MAX_SOURCE_CHARS {
        return Err(DomainError::invalid("source", Say::OneToChars(MAX_SOURCE_CHARS)));
    }
    Ok(())
}

/// Markdown to safe HTML: rendered, then sanitised like any remote HTML.
pub fn render_markdown(source: &str) -> String {
    let mut html = String::new();
    let options = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(source, options));
    super::html::sanitize_article(&html)
}

/// Texts end with a newline, so that diffs of the last line apply cleanly.
pub fn normalise(source: &str) -> String {
    let mut text = source.replace("\r\n", "\n");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// A unified diff from `from` to `to`.
pub fn diff(from: &str, to: &str) -> String {
    diffy::create_patch(&normalise(from), &normalise(to)).to_string()
}

/// Why a proposed edit could not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeFailure {
    /// The diff does not apply to the revision it names (or is not a diff).
    DoesNotApply(String),
    /// It changes the same lines as an edit made since; the text with conflict markers.
    Conflict(String),
    /// It holds no changes (so it fits no version).
    Empty,
}

impl MergeFailure {
    /// For the member whose edit it was.
    pub fn say(&self) -> Say {
        match self {
            MergeFailure::DoesNotApply(why) => Say::EditDoesNotFit(why.clone()),
            MergeFailure::Conflict(marked) => Say::EditClashes(marked.clone()),
            MergeFailure::Empty => Say::EditEmpty,
        }
    }
}

/// Why a proposed edit was refused. The words are kept with the edit and sent to the server
/// of the member who proposed it (in the `Reject`, as free text: other servers read no codes
/// of ours), so they live here in both languages, as a response's decline reasons do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchRefusal {
    /// Those who may edit the article declined it.
    Declined,
    /// It starts from a version this article never had.
    UnknownBase,
    Unmergeable(MergeFailure),
}

impl PatchRefusal {
    /// In words, Dutch then English.
    pub fn words(&self) -> (String, String) {
        let (nl, en) = match self {
            PatchRefusal::Declined => ("afgewezen door de redactie", "declined by the editors"),
            PatchRefusal::UnknownBase => {
                ("ze gaat uit van een versie die dit artikel nooit had", "it starts from a version this article never had")
            }
            PatchRefusal::Unmergeable(MergeFailure::Empty) => (
                "de wijziging past niet op de versie waarvan ze uitgaat: er staat geen wijziging in",
                "the change does not fit the version it starts from: no changes in it",
            ),
            PatchRefusal::Unmergeable(MergeFailure::DoesNotApply(why)) => {
                let nl = format!("de wijziging past niet op de versie waarvan ze uitgaat: {why}");
                return (nl, format!("the change does not fit the version it starts from: {why}"));
            }
            PatchRefusal::Unmergeable(MergeFailure::Conflict(marked)) => {
                let nl = format!("iemand anders heeft intussen dezelfde regels gewijzigd:\n{marked}");
                return (nl, format!("someone changed the same lines in the meantime:\n{marked}"));
            }
        };
        (nl.to_string(), en.to_string())
    }

    /// The reason as it is kept and sent: both languages in one text.
    pub fn reason(&self) -> String {
        let (nl, en) = self.words();
        crate::words::both_languages(&en, &nl)
    }
}

/// Applies `patch` (made against `base`) to `current` (which may have moved on since):
/// a three-way merge of base, current and base-with-the-patch.
pub fn merge_patch(base: &str, current: &str, patch: &str) -> std::result::Result<String, MergeFailure> {
    let base = normalise(base);
    let parsed = diffy::Patch::from_str(patch).map_err(|e| MergeFailure::DoesNotApply(e.to_string()))?;
    if parsed.hunks().is_empty() {
        return Err(MergeFailure::Empty);
    }
    let theirs = diffy::apply(&base, &parsed).map_err(|e| MergeFailure::DoesNotApply(e.to_string()))?;
    diffy::merge(&base, &normalise(current), &theirs).map_err(MergeFailure::Conflict)
}

/// An article as stored, beside its post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Article {
    pub post_id: i64,
    pub title: String,
    /// Markdown of the current revision.
    pub source: String,
    /// Number of the current revision, from 1.
    pub version: i64,
    #[sqlx(try_from = "String")]
    pub edit_policy: EditPolicy,
    /// The article this one was forked from, and who wrote that.
    pub forked_from: Option<String>,
    pub forked_from_author: Option<String>,
    pub updated_at: i64,
}

/// One revision in an article's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Revision {
    pub id: i64,
    pub article_post_id: i64,
    pub version: i64,
    pub ap_id: String,
    pub source: String,
    /// The diff from the previous revision (empty for the first).
    pub diff: String,
    /// Whoever made the change (a local or remote actor).
    pub editor_ap_id: String,
    pub summary: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchState {
    Pending,
    Merged,
    Rejected,
}

impl PatchState {
    pub fn as_str(self) -> &'static str {
        match self {
            PatchState::Pending => "pending",
            PatchState::Merged => "merged",
            PatchState::Rejected => "rejected",
        }
    }
}

impl TryFrom<String> for PatchState {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        Ok(match value.as_str() {
            "pending" => PatchState::Pending,
            "merged" => PatchState::Merged,
            "rejected" => PatchState::Rejected,
            other => return Err(DomainError::Corrupt(format!("unknown patch state {other:?}"))),
        })
    }
}

/// A proposed edit: sent from here to an article's home node, or received there.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticlePatch {
    pub id: i64,
    pub ap_id: String,
    pub article_post_id: i64,
    pub author_id: i64,
    /// The revision the diff starts from.
    pub base_revision: String,
    pub diff: String,
    pub summary: String,
    #[sqlx(try_from = "String")]
    pub state: PatchState,
    /// Why it was refused, in words (with the conflict).
    pub reason: Option<String>,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "# Soep koken\n\nNeem een grote pan.\nSnijd de groente.\nKook een uur.\n";

    #[test]
    fn edits_to_different_lines_merge() {
        let mine = BASE.replace("Neem een grote pan.", "Neem een grote pan met deksel.");
        let theirs = BASE.replace("Kook een uur.", "Kook een uur op laag vuur.");
        let merged = merge_patch(BASE, &mine, &diff(BASE, &theirs)).expect("no conflict");
        assert!(merged.contains("met deksel") && merged.contains("laag vuur"), "{merged}");
    }

    #[test]
    fn edits_to_the_same_line_conflict_and_say_so() {
        let mine = BASE.replace("Kook een uur.", "Kook twee uur.");
        let theirs = BASE.replace("Kook een uur.", "Kook een half uur.");
        let Err(failure) = merge_patch(BASE, &mine, &diff(BASE, &theirs)) else { panic!("a conflict") };
        assert!(matches!(&failure, MergeFailure::Conflict(marked) if marked.contains("<<<<<<<")));
        assert!(matches!(failure.say(), crate::words::Say::EditClashes(marked) if marked.contains("<<<<<<<")));
        assert!(PatchRefusal::Unmergeable(failure).reason().contains("dezelfde regels"), "the peer is told in words");
    }

    #[test]
    fn a_diff_for_another_text_or_no_diff_does_not_apply() {
        let other = "Iets heel anders\n";
        let patch = diff(other, "Iets heel anders, aangepast\n");
        assert!(matches!(merge_patch(BASE, BASE, &patch), Err(MergeFailure::DoesNotApply(_))));
        assert!(matches!(merge_patch(BASE, BASE, "geen diff"), Err(MergeFailure::Empty)), "no changes in it");
    }

    #[test]
    fn markdown_is_rendered_and_cleaned() {
        let html = render_markdown("# Kop\n\n*nadruk* <script>alert(1)</script> [link](javascript:alert(1))");
        assert!(html.contains("<h1>Kop</h1>") && html.contains("<em>nadruk</em>"), "{html}");
        assert!(!html.contains("<script") && !html.contains("javascript:"), "{html}");
    }
}

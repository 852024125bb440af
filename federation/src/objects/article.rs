//! Shared knowledge on the wire: an `Article` with HTML `content`, its markdown `source`, the
//! id and number of its current `revision`, and `forkedFrom` for forks. Edits from other
//! nodes are `Update{Patch}`: a unified diff (`content`, `mediaType: text/x-diff`) against
//! `previousVersion` (a revision id), sent to the article's author, who answers `Accept`
//! (merged; the new text follows as `Update{Article}`) or `Reject` (with the reason and the
//! conflict in `content`).

use crate::protocol::note::NoteJson;
use crate::protocol::outgoing::{Activity, Kind};
use crate::protocol::parts::{Source, value};
use crate::protocol::patch::Patch;
use buurtnet_domain::model::{Actor, Article, ArticlePatch, PatchState, Post};
use buurtnet_domain::ops::articles::{RemoteArticle, revision_id};
use serde_json::Value;

/// The media type of an article's `source`.
const MARKDOWN: &str = "text/markdown";

pub fn decorate(note: &mut NoteJson, article: &Article, article_ap_id: &str) {
    note.kind = "Article".into();
    note.name = Some(article.title.clone());
    // Mastodon shows an Article as its name, summary and link: the summary is its opening.
    note.summary = Some(excerpt(&article.source));
    note.sensitive = None;
    note.source = Some(value(Source { content: article.source.clone(), media_type: MARKDOWN }));
    note.revision = Some(revision_id(article_ap_id, article.version));
    note.revision_number = Some(article.version);
    note.forked_from = article.forked_from.clone();
}

/// The opening of an article as plain text, about 300 characters, cut at a word.
fn excerpt(source: &str) -> String {
    let text = buurtnet_domain::model::html::to_plain_text(&buurtnet_domain::model::render_markdown(source));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 300 {
        return flat;
    }
    let cut: String = flat.chars().take(300).collect();
    format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head))
}

/// Our copy of a peer's article: only articles that carry their markdown and revision.
pub fn read(note: &NoteJson) -> Option<RemoteArticle> {
    if note.kind != "Article" {
        return None;
    }
    let source = note.source.as_ref()?;
    if source.get("mediaType").and_then(Value::as_str) != Some(MARKDOWN) {
        return None;
    }
    let revision = note.revision.clone().filter(|r| crate::protocol::same_origin(r, &note.id))?;
    Some(RemoteArticle {
        title: note.name.clone().unwrap_or_default(),
        source: source.get("content")?.as_str()?.to_string(),
        revision_ap_id: revision,
        version: note.revision_number.unwrap_or(1),
        forked_from: note.forked_from.clone(),
    })
}

pub fn patch(id: String, patch: &ArticlePatch, article: &Post, author: &Actor, home: &Actor) -> Activity {
    let object = Patch::edit(
        patch.ap_id.clone(),
        author.ap_id.clone(),
        article.ap_id.clone(),
        patch.base_revision.clone(),
        patch.diff.clone(),
        patch.summary.clone(),
    );
    Activity::new(Kind::Update, id, &author.ap_id, object).to([&home.ap_id])
}

pub fn answer(id: String, patch: &ArticlePatch, article: &Post, author: &Actor, home: &Actor) -> Activity {
    let merged = patch.state == PatchState::Merged;
    let object = Patch::named(patch.ap_id.clone(), article.ap_id.clone());
    let activity = Activity::new(if merged { Kind::Accept } else { Kind::Reject }, id, &home.ap_id, object).to([&author.ap_id]);
    match patch.reason.as_deref().filter(|_| !merged) {
        Some(reason) => activity.content(reason),
        None => activity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::samples::{self, assert_sends};
    use serde_json::json;

    const ARTICLE: &str = "https://a.example/notes/1";
    const HOME: &str = "https://a.example/users/anna";
    const EDITOR: &str = "https://b.example/users/piet";
    const PATCH: &str = "https://b.example/patches/1";

    #[test]
    fn an_article_carries_its_markdown_as_source() {
        let mut note: NoteJson = serde_json::from_value(json!({"id": ARTICLE, "type": "Note", "attributedTo": HOME})).expect("a note");
        let article = Article {
            post_id: 1,
            title: "Soep koken".into(),
            source: "# Soep koken\n\nNeem een pan.".into(),
            version: 2,
            edit_policy: buurtnet_domain::model::EditPolicy::Author,
            forked_from: None,
            forked_from_author: None,
            updated_at: 0,
        };
        decorate(&mut note, &article, ARTICLE);
        assert_sends(&note.source, json!({"content": "# Soep koken\n\nNeem een pan.", "mediaType": "text/markdown"}));
    }

    #[test]
    fn an_edit_is_an_update_carrying_the_whole_patch() {
        let patch = samples::patch(PATCH, PatchState::Pending);
        let (article, editor, home) = (samples::post(ARTICLE), samples::actor(EDITOR), samples::actor(HOME));
        assert_sends(
            super::patch("https://b.example/a/1".into(), &patch, &article, &editor, &home),
            json!({"id": "https://b.example/a/1", "type": "Update", "actor": EDITOR,
                "object": {"id": PATCH, "type": "Patch", "attributedTo": EDITOR, "object": ARTICLE,
                    "previousVersion": patch.base_revision, "content": patch.diff, "mediaType": "text/x-diff", "summary": "Brood erbij"},
                "to": [HOME]}),
        );
    }

    #[test]
    fn an_answer_names_the_patch_and_a_refusal_says_why() {
        let (article, editor, home) = (samples::post(ARTICLE), samples::actor(EDITOR), samples::actor(HOME));
        let merged = samples::patch(PATCH, PatchState::Merged);
        let object = json!({"id": PATCH, "type": "Patch", "object": ARTICLE});
        assert_sends(
            answer("https://a.example/a/1".into(), &merged, &article, &editor, &home),
            json!({"id": "https://a.example/a/1", "type": "Accept", "actor": HOME, "object": object, "to": [EDITOR]}),
        );
        let refused = ArticlePatch { reason: Some("Botst met regel 1".into()), ..samples::patch(PATCH, PatchState::Rejected) };
        assert_sends(
            answer("https://a.example/a/2".into(), &refused, &article, &editor, &home),
            json!({"id": "https://a.example/a/2", "type": "Reject", "actor": HOME, "object": object, "to": [EDITOR],
                "content": "Botst met regel 1"}),
        );
    }
}

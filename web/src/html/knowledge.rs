//! Shared knowledge on the pages: the list of articles, writing one (markdown, with a
//! preview), editing or proposing an edit (merged three ways with changes made meanwhile,
//! or refused with the conflict), the history of revisions with their differences, reviewing
//! proposed edits, and taking an article over into this node's own knowledge (a fork).

use super::extract::{LoggedIn, MemberForm};
use super::layout::{Frame, error_page, render, say};
use super::local_time;
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::{Actor, Article, ArticleDraft, EditPolicy, PatchState, Post, Visibility, render_markdown};
use buurtnet_domain::ops::{self, browse};
use buurtnet_domain::{DomainError, store};
use buurtnet_federation::Context;
use std::collections::BTreeMap;

pub struct ArticleLine {
    pub href: String,
    pub title: String,
    pub author: String,
    pub updated: String,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "knowledge.html")]
struct KnowledgePage {
    frame: Frame,
    articles: Vec<ArticleLine>,
}

pub async fn list(context: Context, visitor: Visitor) -> Response {
    match browse::articles(&context.store, visitor.member(), 100).await {
        Ok(cards) => {
            let articles = cards
                .iter()
                .map(|c| ArticleLine {
                    href: format!("/bericht/{}", c.post.id),
                    title: c.article.title.clone(),
                    author: c.author.display_name.clone(),
                    updated: local_time(c.article.updated_at, visitor.tr),
                    version: c.article.version,
                })
                .collect();
            let page = KnowledgePage { frame: Frame::new(&context, &visitor, visitor.tr.t("knowledge-title")).await, articles };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// What an article's page shows besides its text.
pub struct ArticleDetails {
    pub title: String,
    /// The article's HTML without its own first heading (the page has it).
    pub body: String,
    pub version: i64,
    pub updated: String,
    pub forked_from: Option<String>,
    /// The visitor edits directly (else: proposes an edit).
    pub may_edit: bool,
    /// Proposed edits waiting, for those who may edit: (id, who, summary, diff).
    pub waiting: Vec<(i64, String, String, String)>,
}

pub async fn details(context: &Context, visitor: &Visitor, post: &Post, article: &Article) -> Result<ArticleDetails, DomainError> {
    let may_edit = match visitor.member() {
        Some(member) => ops::articles::may_edit(&context.store, member, post, article).await?,
        None => false,
    };
    let mut waiting = vec![];
    if may_edit {
        let mut conn = context.store.conn().await?;
        for patch in store::articles::patches(&mut conn, post.id).await?.into_iter().filter(|p| p.state == PatchState::Pending) {
            let who = store::actors::by_id(&mut conn, patch.author_id).await?;
            waiting.push((patch.id, format!("{} (@{})", who.display_name, who.handle()), patch.summary, patch.diff));
        }
    }
    let body = match post.content.strip_prefix("<h1>").and_then(|rest| rest.split_once("</h1>")) {
        Some((_, rest)) => rest.to_string(),
        None => post.content.clone(),
    };
    Ok(ArticleDetails {
        title: article.title.clone(),
        body,
        version: article.version,
        updated: local_time(article.updated_at, visitor.tr),
        forked_from: article.forked_from.clone(),
        may_edit,
        waiting,
    })
}

/// The article form's fields; kept when something must be corrected.
#[derive(serde::Deserialize, Default, Clone)]
pub struct ArticleForm {
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub source: String,
    /// `author`, `initiative` or `open`.
    #[serde(default)]
    pub edit_policy: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "article_form.html")]
struct ArticleFormPage {
    frame: Frame,
    form: ArticleForm,
    initiatives: Vec<(String, String)>,
    errors: BTreeMap<&'static str, String>,
    preview: Option<String>,
}

async fn article_form(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    form: ArticleForm,
    errors: BTreeMap<&'static str, String>,
    preview: Option<String>,
) -> ArticleFormPage {
    let initiatives = super::proposals::initiatives_for(context, member).await;
    ArticleFormPage { frame: Frame::new(context, visitor, visitor.tr.t("new-article-title")).await, form, initiatives, errors, preview }
}

pub async fn new_page(context: Context, LoggedIn { visitor, member }: LoggedIn) -> Response {
    let form = ArticleForm { author: "self".into(), edit_policy: "initiative".into(), ..Default::default() };
    let page = article_form(&context, &visitor, &member, form, BTreeMap::new(), None).await;
    render(&visitor, StatusCode::OK, &page)
}

fn policy(text: &str) -> EditPolicy {
    match text {
        "author" => EditPolicy::Author,
        "open" => EditPolicy::Open,
        _ => EditPolicy::Initiative,
    }
}

pub async fn submit(context: Context, MemberForm { visitor, member, form }: MemberForm<ArticleForm>) -> Response {
    let tr = visitor.tr;
    let again = async |form: ArticleForm, errors: BTreeMap<&'static str, String>, preview: Option<String>| {
        let status = if preview.is_some() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        let page = article_form(&context, &visitor, &member, form, errors, preview).await;
        render(&visitor, status, &page)
    };
    let draft = ArticleDraft { title: form.title.clone(), source: form.source.clone(), edit_policy: policy(&form.edit_policy) };
    if let Err(e) = draft.validate() {
        return match super::layout::field_errors(e, tr) {
            Ok(errors) => again(form, errors, None).await,
            Err(e) => error_page(&context, &visitor, &e).await,
        };
    }
    if form.action != "publish" {
        let preview = render_markdown(&form.source);
        return again(form, BTreeMap::new(), Some(preview)).await;
    }
    let author = match super::proposals::chosen_author(&context, &member, &form.author).await {
        Ok(author) => author,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let visibility = Visibility::parse(&form.visibility).unwrap_or(Visibility::Public);
    match ops::articles::publish(&context.store, &context.urls, &member, &author, &draft, visibility).await {
        Ok(post) => super::layout::posted(&context, post.id),
        Err(e) => match super::layout::field_errors(e, tr) {
            Ok(errors) => again(form, errors, None).await,
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

#[derive(Template)]
#[template(path = "article_edit.html")]
struct EditPage {
    frame: Frame,
    id: i64,
    source: String,
    summary: String,
    base_version: i64,
    may_edit: bool,
    problem: Option<String>,
}

async fn article_of(context: &Context, visitor: &Visitor, id: i64) -> Result<(Post, Article), DomainError> {
    let post = store::posts::by_id(&mut context.store.conn().await?, id).await.map_err(|_| DomainError::NotFound)?;
    let post = ops::visibility::readable_post(&context.store, &post.ap_id, visitor.member().map(|m| m.ap_id.as_str())).await?;
    let article = ops::articles::of_post(&context.store, post.id).await?.ok_or(DomainError::NotFound)?;
    Ok((post, article))
}

pub async fn edit_page(context: Context, LoggedIn { visitor, member }: LoggedIn, Path(id): Path<i64>) -> Response {
    match article_of(&context, &visitor, id).await {
        Ok((post, article)) => {
            let may_edit = ops::articles::may_edit(&context.store, &member, &post, &article).await.unwrap_or(false);
            let page = EditPage {
                frame: Frame::new(&context, &visitor, visitor.tr.t1("edit-title", "title", &article.title)).await,
                id,
                source: article.source,
                summary: String::new(),
                base_version: article.version,
                may_edit,
                problem: None,
            };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct EditForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    base_version: i64,
}

pub async fn edit(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<EditForm>) -> Response {
    let (post, article) = match article_of(&context, &visitor, id).await {
        Ok(found) => found,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let may_edit = ops::articles::may_edit(&context.store, &member, &post, &article).await.unwrap_or(false);
    let result = if may_edit {
        ops::articles::edit(&context.store, &member, post.id, form.base_version, &form.source, &form.summary).await.map(|_| "bewerkt")
    } else {
        ops::articles::propose(&context.store, &context.urls, &member, &post.ap_id, form.base_version, &form.source, &form.summary)
            .await
            .map(|patch| if patch.state == PatchState::Merged { "bewerkt" } else { "voorgesteld" })
    };
    match result {
        Ok(done) => {
            context.wake_delivery();
            Redirect::to(&format!("/bericht/{id}?gedaan={done}")).into_response()
        }
        Err(e @ (DomainError::Conflict(_) | DomainError::Invalid(_))) => {
            let problem = match &e {
                DomainError::Conflict(why) => format!("{} {}", visitor.tr.t("edit-conflict"), super::layout::say(why, visitor.tr)),
                DomainError::Invalid(list) => list.iter().map(|v| say(&v.message, visitor.tr)).collect::<Vec<_>>().join(" "),
                _ => String::new(),
            };
            // Start again from the newest text; what the person wrote stays in the box.
            let newest =
                ops::articles::of_post(&context.store, post.id).await.ok().flatten().map(|a| a.version).unwrap_or(form.base_version);
            let page = EditPage {
                frame: Frame::new(&context, &visitor, visitor.tr.t1("edit-title", "title", &article.title)).await,
                id,
                source: form.source,
                summary: form.summary,
                base_version: newest,
                may_edit,
                problem: Some(problem),
            };
            render(&visitor, StatusCode::CONFLICT, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

pub struct RevisionView {
    pub version: i64,
    pub editor: String,
    pub summary: String,
    pub when: String,
    pub diff: String,
}

#[derive(Template)]
#[template(path = "article_history.html")]
struct HistoryPage {
    frame: Frame,
    id: i64,
    revisions: Vec<RevisionView>,
}

pub async fn history(context: Context, visitor: Visitor, Path(id): Path<i64>) -> Response {
    let result = async {
        let (post, article) = article_of(&context, &visitor, id).await?;
        let mut conn = context.store.conn().await?;
        let mut revisions = Vec::new();
        for r in store::articles::revisions(&mut conn, post.id).await?.into_iter().rev() {
            let editor = match store::actors::by_ap_id(&mut conn, &r.editor_ap_id).await? {
                Some(actor) => format!("{} (@{})", actor.display_name, actor.handle()),
                None => r.editor_ap_id.clone(),
            };
            revisions.push(RevisionView {
                version: r.version,
                editor,
                summary: r.summary,
                when: local_time(r.created_at, visitor.tr),
                diff: r.diff,
            });
        }
        Ok::<_, DomainError>((article.title, revisions))
    };
    match result.await {
        Ok((title, revisions)) => {
            let page =
                HistoryPage { frame: Frame::new(&context, &visitor, visitor.tr.t1("history-title", "title", &title)).await, id, revisions };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default, rename = "as")]
    as_whom: String,
}

pub async fn review(
    context: Context,
    Path((id, patch)): Path<(i64, i64)>,
    MemberForm { visitor, member, form }: MemberForm<ReviewForm>,
) -> Response {
    match ops::articles::review(&context.store, &member, patch, form.decision == "accept").await {
        Ok(p) if p.article_post_id == id => {
            context.wake_delivery();
            let done = if p.state == PatchState::Merged { "overgenomen" } else { "niet-overgenomen" };
            Redirect::to(&format!("/bericht/{id}?gedaan={done}")).into_response()
        }
        Ok(_) => super::not_found(context, visitor).await,
        Err(DomainError::Conflict(why)) => error_page(&context, &visitor, &DomainError::invalid("patch", why)).await,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// Takes an article over into this node's knowledge, as the member or an initiative.
pub async fn fork(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<ReviewForm>) -> Response {
    let result = async {
        let (post, _) = article_of(&context, &visitor, id).await?;
        let author = super::proposals::chosen_author(&context, &member, &form.as_whom).await?;
        ops::articles::fork(&context.store, &context.urls, &member, &author, &post.ap_id).await
    };
    match result.await {
        Ok(copy) => {
            context.wake_delivery();
            Redirect::to(&format!("/bericht/{}?gedaan=overgenomen-kopie", copy.id)).into_response()
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

//! Writing a plain post (a note) from the pages, with a preview: for news of an initiative,
//! a thank-you, or a message to the followers.

use super::layout::{Frame, error_page, in_language, render};
use super::stale_form;
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::DomainError;
use buurtnet_domain::model::{Actor, Visibility, html};
use buurtnet_domain::ops::{self, posts::PostDraft};
use buurtnet_federation::Context;

#[derive(serde::Deserialize, Default, Clone)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub content_warning: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "note_form.html")]
struct NotePage {
    frame: Frame,
    form: NoteForm,
    initiatives: Vec<(String, String)>,
    problem: Option<String>,
    preview: Option<String>,
}

async fn note_page(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    form: NoteForm,
    problem: Option<String>,
    preview: Option<String>,
) -> NotePage {
    let initiatives = super::proposals::initiatives_for(context, member).await;
    NotePage { frame: Frame::new(context, visitor, visitor.tr.t("new-note-title")).await, form, initiatives, problem, preview }
}

pub async fn new_page(context: Context, visitor: Visitor) -> Response {
    let Some(member) = visitor.member().cloned() else { return Redirect::to("/inloggen?terug=/nieuw/bericht").into_response() };
    let form = NoteForm { author: "self".into(), visibility: "public".into(), ..Default::default() };
    let page = note_page(&context, &visitor, &member, form, None, None).await;
    render(&visitor, StatusCode::OK, &page)
}

pub async fn submit(context: Context, visitor: Visitor, Form(form): Form<NoteForm>) -> Response {
    let Some(member) = visitor.member().cloned() else { return Redirect::to("/inloggen?terug=/nieuw/bericht").into_response() };
    if !visitor.form_is_genuine(&form.csrf) {
        return stale_form(&context, &visitor).await;
    }
    let visibility = match Visibility::parse(&form.visibility) {
        Ok(Visibility::Direct) | Err(_) => Visibility::Public,
        Ok(v) => v,
    };
    if form.action != "publish" && !form.text.trim().is_empty() {
        let preview = html::text_to_html(&form.text);
        let page = note_page(&context, &visitor, &member, form, None, Some(preview)).await;
        return render(&visitor, StatusCode::OK, &page);
    }
    let result = async {
        let author = super::proposals::chosen_author(&context, &member, &form.author).await?;
        let warning = Some(form.content_warning.trim().to_string()).filter(|w| !w.is_empty());
        let draft = PostDraft { content_warning: warning, ..PostDraft::plain(form.text.clone(), visibility, vec![]) };
        ops::posts::publish(&context.store, &context.urls, &member, &author, &draft).await
    };
    match result.await {
        Ok(post) => super::layout::posted(&context, post.id),
        Err(DomainError::Invalid(list)) => {
            let problem = list.iter().map(|v| in_language(&v.message, visitor.tr)).collect::<Vec<_>>().join(" ");
            let page = note_page(&context, &visitor, &member, form, Some(problem), None).await;
            render(&visitor, StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

//! Writing a plain post (a note) from the pages, with a preview: for news of an initiative,
//! a thank-you, or a message to the followers. A picture may go with it, and then a
//! description of it is asked for (for people who cannot see it); it is kept between the
//! preview and posting.

use super::extract::LoggedIn;
use super::i18n::Tr;
use super::layout::{Frame, error_page, render, say};
use super::stale_form;
use super::visitor::Visitor;
use crate::api::media::{ImageProblem, MediaDir, store_image};
use askama::Template;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Extension, Multipart};
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::DomainError;
use buurtnet_domain::model::media::MAX_IMAGE_BYTES;
use buurtnet_domain::model::{Actor, Visibility, html};
use buurtnet_domain::ops::{self, posts::PostDraft};
use buurtnet_domain::words::Say;
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
    /// An image uploaded with a preview, to post with it.
    #[serde(default)]
    pub media_id: Option<i64>,
    #[serde(default)]
    pub image_description: String,
}

#[derive(Template)]
#[template(path = "note_form.html")]
struct NotePage {
    frame: Frame,
    form: NoteForm,
    initiatives: Vec<(String, String)>,
    problem: Option<String>,
    image_problem: Option<String>,
    preview: Option<String>,
    /// The picture uploaded so far: (address, description).
    image: Option<(String, String)>,
}

struct Shown {
    problem: Option<String>,
    image_problem: Option<String>,
    preview: Option<String>,
}

async fn note_page(context: &Context, visitor: &Visitor, member: &Actor, form: NoteForm, shown: Shown) -> NotePage {
    let initiatives = super::proposals::initiatives_for(context, member).await;
    let image = match form.media_id {
        Some(id) => ops::media::own(&context.store, member, id)
            .await
            .ok()
            .and_then(|m| crate::api::media::local_url(context, &m).map(|url| (url, m.description))),
        None => None,
    };
    NotePage {
        frame: Frame::new(context, visitor, visitor.tr.t("new-note-title")).await,
        form,
        initiatives,
        problem: shown.problem,
        image_problem: shown.image_problem,
        preview: shown.preview,
        image,
    }
}

pub async fn new_page(context: Context, LoggedIn { visitor, member }: LoggedIn) -> Response {
    let form = NoteForm { author: "self".into(), visibility: "public".into(), ..Default::default() };
    let page = note_page(&context, &visitor, &member, form, Shown { problem: None, image_problem: None, preview: None }).await;
    render(&visitor, StatusCode::OK, &page)
}

/// What to tell the writer when the form cannot be read: too large, or not whole (the
/// multipart reader's own words go to the log only).
fn unreadable(error: MultipartError) -> Say {
    tracing::info!(why = %error.body_text(), "a note's form could not be read");
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE { Say::PhotoTooLarge(MAX_IMAGE_BYTES / (1024 * 1024)) } else { Say::FormUnreadable }
}

/// The form's fields and the picture, if one was chosen.
async fn read_form(mut multipart: Multipart) -> Result<(NoteForm, Option<Vec<u8>>), Say> {
    let mut form = NoteForm::default();
    let mut image = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "image" {
            let bytes = field.bytes().await.map_err(unreadable)?;
            image = Some(bytes.to_vec()).filter(|b| !b.is_empty());
            continue;
        }
        let value = field.text().await.map_err(unreadable)?;
        match name.as_str() {
            "csrf" => form.csrf = value,
            "author" => form.author = value,
            "text" => form.text = value,
            "content_warning" => form.content_warning = value,
            "visibility" => form.visibility = value,
            "action" => form.action = value,
            "media_id" => form.media_id = value.parse().ok(),
            "image_description" => form.image_description = value,
            _ => {}
        }
    }
    Ok((form, image))
}

pub async fn submit(
    context: Context,
    LoggedIn { visitor, member }: LoggedIn,
    Extension(dir): Extension<MediaDir>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let read = match multipart {
        Ok(multipart) => read_form(multipart).await,
        Err(_) => Err(Say::FormUnreadable),
    };
    let (mut form, image) = match read {
        Ok(read) => read,
        Err(why) => return error_page(&context, &visitor, &DomainError::invalid("form", why)).await,
    };
    if !visitor.form_is_genuine(&form.csrf) {
        return stale_form(&context, &visitor).await;
    }
    let tr = visitor.tr;
    let again = async |form: NoteForm, shown: Shown, status: StatusCode| {
        let page = note_page(&context, &visitor, &member, form, shown).await;
        render(&visitor, status, &page)
    };
    // Every picture needs words for those who cannot see it.
    if (image.is_some() || form.media_id.is_some()) && form.image_description.trim().is_empty() {
        let shown = Shown { problem: None, image_problem: Some(tr.t("image-description-needed")), preview: None };
        if let Some(bytes) = image {
            form.media_id = store_picture(&context, &dir, &member, bytes, String::new(), tr).await.ok();
        }
        return again(form, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if let Some(bytes) = image {
        match store_picture(&context, &dir, &member, bytes, form.image_description.clone(), tr).await {
            Ok(id) => form.media_id = Some(id),
            Err(why) => {
                return again(form, Shown { problem: None, image_problem: Some(why), preview: None }, StatusCode::UNPROCESSABLE_ENTITY)
                    .await;
            }
        }
    } else if let Some(id) = form.media_id
        && let Err(e) = ops::media::describe(&context.store, &member, id, &form.image_description).await
    {
        return error_page(&context, &visitor, &e).await;
    }
    let visibility = match Visibility::parse(&form.visibility) {
        Ok(Visibility::Direct) | Err(_) => Visibility::Public,
        Ok(v) => v,
    };
    if form.action != "publish" && !form.text.trim().is_empty() {
        let preview = html::text_to_html(&form.text);
        return again(form, Shown { problem: None, image_problem: None, preview: Some(preview) }, StatusCode::OK).await;
    }
    let result = async {
        let author = super::proposals::chosen_author(&context, &member, &form.author).await?;
        let warning = Some(form.content_warning.trim().to_string()).filter(|w| !w.is_empty());
        let draft = PostDraft {
            content_warning: warning,
            media_ids: form.media_id.into_iter().collect(),
            ..PostDraft::plain(form.text.clone(), visibility, vec![])
        };
        ops::posts::publish(&context.store, &context.urls, &member, &author, &draft).await
    };
    match result.await {
        Ok(post) => super::layout::posted(&context, post.id),
        Err(DomainError::Invalid(list)) => {
            let problem = list.iter().map(|v| say(&v.message, tr)).collect::<Vec<_>>().join(" ");
            again(form, Shown { problem: Some(problem), image_problem: None, preview: None }, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// Stores a picture; the reason in the visitor's words when it cannot be.
async fn store_picture(
    context: &Context,
    dir: &MediaDir,
    member: &Actor,
    bytes: Vec<u8>,
    description: String,
    tr: Tr,
) -> Result<i64, String> {
    match store_image(context, dir, member, bytes, description).await {
        Ok(media) => Ok(media.id),
        Err(ImageProblem::TooLarge) => Err(tr.t("image-refused-too-large")),
        Err(ImageProblem::Unreadable(why)) => Err(why.said_in(tr)),
        Err(ImageProblem::Domain(e)) => Err(crate::error::said_in(&e, tr)),
        Err(ImageProblem::Ours(why)) => {
            tracing::error!(%why, "storing a picture failed");
            Err(tr.t("error-ours-short"))
        }
    }
}

//! Pages for people: server-rendered, no JavaScript, Dutch by default and English when the
//! browser prefers it. A first slice (front page, profiles, single posts); the full set of
//! pages and a proper i18n library come with the web-pages issue.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use buurtnet_domain::model::{Actor, ActorKind, Post};
use buurtnet_domain::{DomainError, ops, store};
use buurtnet_federation::Context;
use chrono::{DateTime, Utc};

/// The language of a page: Dutch unless the browser puts English first.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        match accept.split(',').next().map(|l| l.trim().to_lowercase()) {
            Some(first) if first.starts_with("en") => Lang::En,
            _ => Lang::Nl,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    fn pick(self, nl: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(lang: Lang, title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Buurtnet</title>
<style>
body {{ font-family: system-ui, sans-serif; font-size: 1.2rem; line-height: 1.6; max-width: 44rem; margin: 0 auto; padding: 1rem; color: #1a1a1a; background: #fff; }}
a {{ color: #0b4f9c; }}
a:focus, button:focus {{ outline: 3px solid #b35900; outline-offset: 2px; }}
article {{ border-top: 1px solid #767676; padding: 0.5rem 0; }}
.meta {{ color: #4a4a4a; font-size: 1rem; }}
</style>
</head>
<body>
<header><p><a href="/">Buurtnet</a></p></header>
<main id="inhoud">
{body}
</main>
</body>
</html>"#,
        lang = lang.code(),
        title = escape(title),
    ))
}

fn date(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.format("%d-%m-%Y %H:%M UTC").to_string()).unwrap_or_default()
}

fn post_html(post: &Post) -> String {
    let warning = post.summary.as_deref().map(|s| format!("<p><strong>{}</strong></p>", escape(s))).unwrap_or_default();
    // Post content is sanitised HTML (local text is escaped on the way in, remote HTML cleaned).
    format!(
        "<article>{warning}{}<p class=\"meta\"><a href=\"{}\">{}</a></p></article>",
        post.content,
        escape(post.url.as_deref().unwrap_or(&post.ap_id)),
        date(post.published)
    )
}

fn failure(lang: Lang, error: DomainError) -> Response {
    let status = crate::error::status_of(&error);
    let (title, text) = match status {
        StatusCode::NOT_FOUND => {
            (lang.pick("Niet gevonden", "Not found"), lang.pick("Deze pagina bestaat niet (meer).", "This page does not exist (any more)."))
        }
        StatusCode::GONE => (lang.pick("Verwijderd", "Deleted"), lang.pick("Dit bericht is verwijderd.", "This post was deleted.")),
        _ => (lang.pick("Er ging iets mis", "Something went wrong"), lang.pick("Probeer het later nog eens.", "Please try again later.")),
    };
    crate::error::public_message(&error);
    (status, page(lang, title, &format!("<h1>{title}</h1><p>{text}</p>"))).into_response()
}

pub async fn not_found(headers: HeaderMap) -> Response {
    failure(Lang::from_headers(&headers), DomainError::NotFound)
}

/// The node's initiatives and the newest public posts it holds (its own and its peers').
async fn front_page_parts(context: &Context) -> Result<(Vec<Actor>, Vec<(Post, Actor)>), DomainError> {
    let mut conn = context.store.conn().await?;
    let initiatives = store::actors::local_of_kind(&mut conn, ActorKind::Group).await?;
    let mut posts = Vec::new();
    for post in store::posts::recent_public(&mut conn, 20).await? {
        let author = store::actors::by_id(&mut conn, post.author_id).await?;
        posts.push((post, author));
    }
    Ok((initiatives, posts))
}

pub async fn front_page(context: Context, headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let (initiatives, posts) = match front_page_parts(&context).await {
        Ok(parts) => parts,
        Err(e) => return failure(lang, e),
    };
    let posts_html: String = posts
        .iter()
        .map(|(post, author)| {
            format!(
                "<p class=\"meta\"><a href=\"{}\">{}</a> @{}</p>{}",
                escape(author.url.as_deref().unwrap_or(&author.ap_id)),
                escape(&author.display_name),
                escape(&author.handle()),
                post_html(post)
            )
        })
        .collect();
    let items: String = initiatives
        .iter()
        .map(|i| {
            format!(
                "<li><a href=\"{}\">{}</a> <span class=\"meta\">@{}</span></li>",
                escape(&i.ap_id),
                escape(&i.display_name),
                escape(&i.handle())
            )
        })
        .collect();
    let heading = lang.pick("Initiatieven op deze buurtnode", "Initiatives on this neighbourhood node");
    let empty = if initiatives.is_empty() {
        format!("<p>{}</p>", lang.pick("Nog geen initiatieven.", "No initiatives yet."))
    } else {
        String::new()
    };
    let news = lang.pick("Nieuws uit de buurt", "News from the neighbourhood");
    let body = format!("<h1>{}</h1><h2>{heading}</h2>{empty}<ul>{items}</ul><h2>{news}</h2>{posts_html}", escape(&context.urls.domain()));
    page(lang, &context.urls.domain(), &body).into_response()
}

pub async fn profile(context: &Context, name: &str, kind: ActorKind, headers: &HeaderMap) -> Response {
    let lang = Lang::from_headers(headers);
    match profile_parts(context, name, kind).await {
        Ok((actor, posts)) => {
            let posts_html: String = posts.iter().map(post_html).collect();
            let follow_hint =
                lang.pick("Volg vanaf je eigen Mastodon of buurtnode met", "Follow from your own Mastodon or neighbourhood node with");
            let body = format!(
                "<h1>{}</h1><p class=\"meta\">@{}</p><div>{}</div><p>{follow_hint} <code>@{}</code></p><h2>{}</h2>{posts_html}",
                escape(&actor.display_name),
                escape(&actor.handle()),
                actor.summary,
                escape(&actor.handle()),
                lang.pick("Berichten", "Posts"),
            );
            page(lang, &actor.display_name, &body).into_response()
        }
        Err(e) => failure(lang, e),
    }
}

async fn profile_parts(context: &Context, name: &str, kind: ActorKind) -> Result<(Actor, Vec<Post>), DomainError> {
    let mut conn = context.store.conn().await?;
    let actor = store::actors::local_by_username(&mut conn, name).await?.filter(|a| a.kind() == kind).ok_or(DomainError::NotFound)?;
    let posts = store::posts::public_by_author(&mut conn, actor.id, 20, 0).await?;
    Ok((actor, posts))
}

pub async fn note(context: &Context, id: i64, headers: &HeaderMap) -> Response {
    let lang = Lang::from_headers(headers);
    let ap_id = context.urls.note(id).to_string();
    // Pages have no login yet: only public and unlisted posts show here.
    match note_parts(context, &ap_id).await {
        Ok((post, author)) => {
            let calendar_link = match ops::events::of_post(&context.store, post.id).await {
                Ok(Some(_)) => format!(
                    "<p><a href=\"{}/calendar.ics\">{}</a></p>",
                    escape(&post.ap_id),
                    lang.pick("Zet in mijn agenda", "Add to my calendar")
                ),
                _ => String::new(),
            };
            let body = format!(
                "<h1>{}</h1><p class=\"meta\"><a href=\"{}\">@{}</a></p>{}{calendar_link}",
                escape(&author.display_name),
                escape(&author.ap_id),
                escape(&author.handle()),
                post_html(&post)
            );
            page(lang, &author.display_name, &body).into_response()
        }
        Err(e) => failure(lang, e),
    }
}

async fn note_parts(context: &Context, ap_id: &str) -> Result<(Post, Actor), DomainError> {
    let post = ops::visibility::readable_post(&context.store, ap_id, None).await?;
    let author = store::actors::by_id(&mut context.store.conn().await?, post.author_id).await?;
    Ok((post, author))
}

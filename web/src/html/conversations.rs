//! Private conversations: the people a member writes with, and one conversation with a form
//! to answer.

use super::extract::{LoggedIn, MemberForm};
use super::layout::{Frame, error_page, render, say};
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::conversations;
use buurtnet_domain::{DomainError, store};
use buurtnet_federation::Context;

pub struct PartnerView {
    pub href: String,
    pub name: String,
    pub when: String,
}

pub struct MessageView {
    pub mine: bool,
    pub who: String,
    pub when: String,
    /// Sanitised HTML.
    pub content: String,
}

#[derive(Template)]
#[template(path = "conversations.html")]
struct ConversationsPage {
    frame: Frame,
    partners: Vec<PartnerView>,
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct ConversationPage {
    frame: Frame,
    other_id: i64,
    other_name: String,
    messages: Vec<MessageView>,
    /// (text kept, what was wrong)
    problem: Option<(String, String)>,
}

pub async fn list(context: Context, LoggedIn { visitor, member }: LoggedIn) -> Response {
    match conversations::partners(&context.store, &member).await {
        Ok(partners) => {
            let partners = partners
                .into_iter()
                .map(|p| PartnerView {
                    href: format!("/gesprekken/{}", p.actor.id),
                    name: p.actor.display_name.clone(),

                    when: super::local_time(p.newest.published, visitor.tr),
                })
                .collect();
            let page = ConversationsPage { frame: Frame::new(&context, &visitor, visitor.tr.t("conversations-title")).await, partners };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

async fn other(context: &Context, id: i64) -> Result<Actor, DomainError> {
    store::actors::by_id(&mut context.store.conn().await?, id).await.map_err(|_| DomainError::NotFound)
}

async fn conversation_page(
    context: &Context,
    visitor: &Visitor,
    member: &Actor,
    other_id: i64,
    problem: Option<(String, String)>,
) -> Result<ConversationPage, DomainError> {
    let other = other(context, other_id).await?;
    let messages = conversations::between(&context.store, member, &other)
        .await?
        .into_iter()
        .map(|p| {
            let mine = p.author_id == member.id;
            MessageView {
                mine,
                who: if mine { visitor.tr.t("conversation-me") } else { other.display_name.clone() },
                when: super::local_time(p.published, visitor.tr),
                content: p.content,
            }
        })
        .collect();
    Ok(ConversationPage {
        frame: Frame::new(context, visitor, visitor.tr.t1("conversation-title", "name", &other.display_name)).await,
        other_id,
        other_name: other.display_name.clone(),
        messages,
        problem,
    })
}

pub async fn show(context: Context, LoggedIn { visitor, member }: LoggedIn, Path(other_id): Path<i64>) -> Response {
    match conversation_page(&context, &visitor, &member, other_id, None).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    text: String,
}

pub async fn send(context: Context, Path(other_id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<MessageForm>) -> Response {
    let result = match other(&context, other_id).await {
        Ok(other) => conversations::send(&context.store, &context.urls, &member, &other, &form.text).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            context.wake_delivery();
            Redirect::to(&format!("/gesprekken/{other_id}?gedaan=verstuurd")).into_response()
        }
        Err(DomainError::Invalid(list)) => {
            let why = list.iter().map(|v| say(&v.message, visitor.tr)).collect::<Vec<_>>().join(" ");
            match conversation_page(&context, &visitor, &member, other_id, Some((form.text, why))).await {
                Ok(page) => render(&visitor, StatusCode::UNPROCESSABLE_ENTITY, &page),
                Err(e) => error_page(&context, &visitor, &e).await,
            }
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

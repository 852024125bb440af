//! iCalendar feeds (`text/calendar`) for calendar apps: one event, an initiative's or a
//! member's agenda, the whole node's, and a coalition's (all its members' events). Calendar apps fetch anonymously, so feeds hold
//! public and unlisted events only.

use crate::error::{public_message, status_of};
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::{DomainError, ops, store};
use buurtnet_federation::Context;

fn ics(filename: &str, result: Result<String, DomainError>) -> Response {
    match result {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}.ics\"")),
            ],
            body,
        )
            .into_response(),
        Err(error) => (status_of(&error), public_message(&error)).into_response(),
    }
}

/// `/notes/{id}/calendar.ics`: one event, for "add to my calendar".
pub async fn event(context: Context, Path(id): Path<i64>) -> Response {
    ics(&format!("activiteit-{id}"), ops::calendar::for_event(&context.store, id, None).await)
}

/// `/initiatives/{name}/calendar.ics` and `/users/{name}/calendar.ics`: someone's agenda.
pub async fn actor(context: Context, Path(name): Path<String>) -> Response {
    let result = async {
        let actor = store::actors::local_by_username(&mut context.store.conn().await?, &name).await?.ok_or(DomainError::NotFound)?;
        let title = if actor.display_name.is_empty() { actor.username.clone() } else { actor.display_name.clone() };
        ops::calendar::feed(&context.store, &title, Some(&actor), None).await
    }
    .await;
    ics(&name, result)
}

/// `/calendar.ics`: every event of this node's initiatives and members.
pub async fn node(context: Context) -> Response {
    let name = format!("Buurtnet {}", context.urls.domain());
    ics("buurtnet", ops::calendar::feed(&context.store, &name, None, None).await)
}

/// `/coalitie/{slug}/agenda.ics`: the events of all members of a coalition hosted here.
pub async fn coalition(context: Context, Path(slug): Path<String>) -> Response {
    let result = async {
        let hosted = ops::coalition_pages::hosted_as(&context.store, &slug).await?.ok_or(DomainError::NotFound)?;
        ops::coalition_week::feed(&context.store, &hosted.coalition, hosted.name(), None).await
    }
    .await;
    ics(&slug, result)
}

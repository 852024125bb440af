//! `/api/v1/instance` and `/api/v2/instance`: what clients read first. Complete entities,
//! with a non-null streaming URL and the version in the form clients parse.

use super::{ApiResult, entities};
use axum::Json;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::store;
use buurtnet_federation::Context;
use serde_json::{Value, json};

/// Mastodon's version that our API matches, with ours in the form clients recognise.
pub fn version(context: &Context) -> String {
    format!("4.3.0 (compatible; Buurtnet {})", context.software_version)
}

const TITLE_SUFFIX: &str = "Buurtnet";
const DESCRIPTION: &str =
    "Een buurtnode van Buurtnet: hulpvragen, hulpaanbod, activiteiten en kennis van buurtinitiatieven. / A Buurtnet neighbourhood node.";

fn configuration() -> Value {
    json!({
        "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 0},
        "statuses": {"max_characters": 5000, "max_media_attachments": 4, "characters_reserved_per_url": 23},
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/webp", "image/gif"],
            "image_size_limit": 8_388_608, "image_matrix_limit": 16_777_216,
            "video_size_limit": 0, "video_frame_rate_limit": 0, "video_matrix_limit": 0,
            "description_limit": 1500,
        },
        "polls": {"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2_629_746},
    })
}

async fn contact(context: &Context) -> ApiResult<(Value, i64, i64)> {
    let mut conn = context.store.conn().await?;
    let admin = store::actors::first_admin(&mut conn).await?;
    let users = store::actors::count_accounts(&mut conn).await?;
    let statuses = store::posts::count_local(&mut conn).await?;
    drop(conn);
    let account = match admin {
        Some(admin) => entities::account(context, &admin).await?,
        None => Value::Null,
    };
    Ok((account, users, statuses))
}

/// What the administrators set (name, description, rules, sign-up) as the entities say it.
async fn node_facts(context: &Context, settings: &crate::WebSettings) -> (String, String, Value, crate::Registrations) {
    let domain = context.urls.domain();
    let set = crate::settings::in_force(&context.store, settings, &domain).await;
    let title = if set.name == domain { format!("{domain} · {TITLE_SUFFIX}") } else { set.name };
    let description = if set.description.is_empty() { DESCRIPTION.to_string() } else { set.description };
    let rules: Vec<Value> =
        set.rules.iter().enumerate().map(|(i, text)| json!({"id": (i + 1).to_string(), "text": text, "hint": ""})).collect();
    (title, description, Value::Array(rules), set.registrations)
}

pub async fn v1(context: Context, axum::Extension(settings): axum::Extension<std::sync::Arc<crate::WebSettings>>) -> ApiResult<Response> {
    let (account, users, statuses) = contact(&context).await?;
    let domain = context.urls.domain();
    let (title, description, rules, registrations) = node_facts(&context, &settings).await;
    let streaming = streaming_url(&context);
    Ok(Json(json!({
        "uri": domain,
        "title": title,
        "short_description": description,
        "description": description,
        "email": "",
        "version": version(&context),
        "urls": {"streaming_api": streaming},
        "stats": {"user_count": users, "status_count": statuses, "domain_count": 0},
        "thumbnail": null,
        "languages": ["nl", "en"],
        "registrations": registrations != crate::Registrations::Closed,
        "approval_required": registrations == crate::Registrations::Approval,
        "invites_enabled": true,
        "configuration": configuration(),
        "contact_account": account,
        "rules": rules,
    }))
    .into_response())
}

pub async fn v2(context: Context, axum::Extension(settings): axum::Extension<std::sync::Arc<crate::WebSettings>>) -> ApiResult<Response> {
    let (account, users, _) = contact(&context).await?;
    let domain = context.urls.domain();
    let (title, description, rules, registrations) = node_facts(&context, &settings).await;
    let mut configuration = configuration();
    configuration["urls"] = json!({"streaming": streaming_url(&context), "status": null});
    configuration["vapid"] = json!({"public_key": ""});
    configuration["translation"] = json!({"enabled": false});
    Ok(Json(json!({
        "domain": domain,
        "title": title,
        "version": version(&context),
        "source_url": "https://buurtnet.invalid/source",
        "description": description,
        "usage": {"users": {"active_month": users}},
        "thumbnail": {"url": format!("{}avatars/default.png", context.urls.base())},
        "icon": [],
        "languages": ["nl", "en"],
        "configuration": configuration,
        "registrations": {
            "enabled": registrations != crate::Registrations::Closed,
            "approval_required": registrations == crate::Registrations::Approval,
            "message": null,
            "url": format!("{}aanmelden", context.urls.base()),
        },
        "api_versions": {"mastodon": 2},
        "contact": {"email": "", "account": account},
        "rules": rules,
    }))
    .into_response())
}

fn streaming_url(context: &Context) -> String {
    let base = context.urls.base();
    let scheme = if base.scheme() == "https" { "wss" } else { "ws" };
    format!("{scheme}://{}", context.urls.domain())
}

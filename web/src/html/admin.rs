//! The administrators' federation page: every peer as a picture (this node in the middle,
//! a line to each peer: solid when healthy, dashed when failing, dotted and red when
//! unreachable) and as a table with what is pending or given up and since when, with a
//! button to try a peer again. And the node's settings: its name, description, rules and
//! how people sign up, with the config file's fixed settings shown beside them, and whether
//! the node sends e-mail ([`super::mail_pages`]).

use super::extract::{ButtonForm, LoggedIn, MemberForm, administrators_only};
use super::layout::{Frame, error_page, render};
use super::visitor::Visitor;
use super::{escape, local_time};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::ops::federation_health::{self, PeerHealth, PeerState};
use buurtnet_domain::{DomainError, ops};
use buurtnet_federation::Context;

pub struct PeerRow {
    pub host: String,
    pub state: String,
    pub state_class: &'static str,
    pub pending: i64,
    pub failed: i64,
    pub since: String,
    pub last_success: String,
    pub last_error: String,
}

#[derive(Template)]
#[template(path = "federation.html")]
struct FederationPage {
    frame: Frame,
    /// An inline SVG, built from escaped host names only.
    picture: String,
    rows: Vec<PeerRow>,
    healthy: usize,
    troubled: usize,
    /// Outbox entries set aside: (when, reason, the stored text), and how many in all.
    set_aside: Vec<(String, String, String)>,
    set_aside_count: i64,
    /// When finished work was last cleared, and what.
    clearing: String,
}

fn state_words(state: PeerState, tr: super::i18n::Tr) -> (String, &'static str) {
    match state {
        PeerState::Healthy => (tr.t("peer-healthy"), "ok"),
        PeerState::Failing => (tr.t("peer-failing"), "failing"),
        PeerState::Unreachable => (tr.t("peer-unreachable"), "unreachable"),
    }
}

/// This node in the middle, the peers on a circle around it.
fn picture(site: &str, peers: &[PeerHealth], tr: super::i18n::Tr) -> String {
    let (cx, cy, radius) = (400.0_f64, 260.0_f64, 200.0_f64);
    let mut lines = String::new();
    let mut nodes = String::new();
    let count = peers.len().max(1) as f64;
    for (i, peer) in peers.iter().enumerate() {
        let angle = std::f64::consts::TAU * (i as f64) / count - std::f64::consts::FRAC_PI_2;
        let (x, y) = (cx + radius * angle.cos(), cy + radius * angle.sin());
        let (colour, dash) = match peer.state {
            PeerState::Healthy => ("#1d5e3a", ""),
            PeerState::Failing => ("#8a3b00", " stroke-dasharray=\"10 6\""),
            PeerState::Unreachable => ("#a30000", " stroke-dasharray=\"2 6\""),
        };
        lines.push_str(&format!(
            "<line x1=\"{cx:.0}\" y1=\"{cy:.0}\" x2=\"{x:.0}\" y2=\"{y:.0}\" stroke=\"{colour}\" stroke-width=\"4\"{dash}/>"
        ));
        let (anchor, label_x, label_y) = super::label_beside((x, y), (cx, cy), 16.0);
        let (words, _) = state_words(peer.state, tr);
        nodes.push_str(&format!(
            "<circle cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"11\" fill=\"{colour}\"/><text x=\"{label_x:.0}\" y=\"{label_y:.0}\" text-anchor=\"{anchor}\">{} ({})</text>",
            escape(&peer.host),
            escape(&words)
        ));
    }
    format!(
        "<svg viewBox=\"0 0 800 520\" role=\"img\" aria-labelledby=\"picture-title\" class=\"federation-picture\" font-size=\"16\" fill=\"#1a1a1a\">\
         <title id=\"picture-title\">{title}</title>{lines}<circle cx=\"{cx:.0}\" cy=\"{cy:.0}\" r=\"22\" fill=\"#0b4f9c\"/>\
         <text x=\"{cx:.0}\" y=\"{ty:.0}\" text-anchor=\"middle\" font-weight=\"700\">{site}</text>{nodes}</svg>",
        title = escape(&tr.with("federation-picture-title", &[("count", peers.len().to_string())])),
        site = escape(site),
        ty = cy + 44.0,
    )
}

pub async fn overview(context: Context, LoggedIn { visitor, member: admin }: LoggedIn) -> Response {
    let tr = visitor.tr;
    let peers = match federation_health::overview(&context.store, &admin).await {
        Ok(peers) => peers,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let never = tr.t("never");
    let rows = peers
        .iter()
        .map(|p| {
            let (state, state_class) = state_words(p.state, tr);
            PeerRow {
                host: p.host.clone(),
                state,
                state_class,
                pending: p.pending,
                failed: p.failed,
                since: p.failing_since.or(p.pending_since).map(|t| local_time(t, tr)).unwrap_or_default(),
                last_success: p.last_success_at.map(|t| local_time(t, tr)).unwrap_or_else(|| never.clone()),
                last_error: p.last_error.clone().unwrap_or_default(),
            }
        })
        .collect();
    let healthy = peers.iter().filter(|p| p.state == PeerState::Healthy).count();
    let (set_aside, set_aside_count) = match federation_health::set_aside(&context.store, &admin, 20).await {
        Ok(found) => found,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let set_aside = set_aside.into_iter().map(|e| (local_time(e.set_aside_at, tr), e.set_aside_reason, e.event)).collect();
    let clearing = match ops::housekeeping::last(&context.store).await {
        Ok(Some(last)) => tr.with(
            "federation-cleared",
            &[
                ("when", local_time(last.at, tr)),
                ("deliveries", last.cleared.deliveries.to_string()),
                ("received", last.cleared.received_ids.to_string()),
                ("mail", last.cleared.mail.to_string()),
                ("needs", last.cleared.needs.to_string()),
                ("freed", format!("{:.1}", last.cleared.pages_freed as f64 * SQLITE_PAGE_BYTES / 1_000_000.0)),
                ("days", ops::housekeeping::KEEP_DAYS.to_string()),
            ],
        ),
        Ok(None) => tr.t("federation-cleared-never"),
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let page = FederationPage {
        frame: Frame::new(&context, &visitor, tr.t("federation-title")).await,
        picture: picture(&context.urls.domain(), &peers, tr),
        rows,
        healthy,
        troubled: peers.len() - healthy,
        set_aside,
        set_aside_count,
        clearing,
    };
    render(&visitor, StatusCode::OK, &page)
}

pub async fn retry(
    context: Context,
    Path(host): Path<String>,
    MemberForm { visitor, member: admin, form: _ }: MemberForm<ButtonForm>,
) -> Response {
    match federation_health::retry(&context.store, &admin, &host).await {
        Ok(_) => {
            context.wake_delivery();
            Redirect::to("/beheer/federatie?gedaan=opnieuw").into_response()
        }
        Err(e @ DomainError::Forbidden) => error_page(&context, &visitor, &e).await,
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    frame: Frame,
    name: String,
    description: String,
    rules: String,
    registrations: String,
    /// From the config file, read only: (setting, value).
    fixed: Vec<(&'static str, String)>,
    error: Option<String>,
    mail: super::mail_pages::AdminMailPart,
}

async fn settings_page(
    context: &Context,
    visitor: &Visitor,
    form: Option<&SettingsForm>,
    error: Option<String>,
) -> Result<SettingsPage, DomainError> {
    let stored = ops::node_settings::load(&context.store).await?;
    let (name, description, rules, registrations) = match form {
        Some(f) => (f.name.clone(), f.description.clone(), f.rules.clone(), f.registrations.clone()),
        None => (stored.name, stored.description, stored.rules.join("\n"), stored.registrations),
    };
    let web = &visitor.settings;
    let fixed = vec![
        ("domain", context.urls.domain()),
        ("dev", context.dev.to_string()),
        ("federation.authorized_fetch", context.settings.authorized_fetch.to_string()),
        ("web.registrations", web.registrations.as_str().to_string()),
        ("web.access_token_lifetime_secs", web.access_token_lifetime_secs.map(|s| s.to_string()).unwrap_or_else(|| "-".into())),
        ("web.session_idle_hours", web.session_idle_hours.to_string()),
    ];
    Ok(SettingsPage {
        frame: Frame::new(context, visitor, visitor.tr.t("settings-title")).await,
        name,
        description,
        rules,
        registrations,
        fixed,
        error,
        mail: super::mail_pages::AdminMailPart::of(context, visitor).await,
    })
}

pub async fn settings(context: Context, LoggedIn { visitor, member }: LoggedIn) -> Response {
    if let Err(refused) = administrators_only(&context, &visitor, &member).await {
        return refused;
    }
    match settings_page(&context, &visitor, None, None).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    /// One rule a line.
    #[serde(default)]
    rules: String,
    #[serde(default)]
    registrations: String,
}

pub async fn save_settings(context: Context, MemberForm { visitor, member: admin, form }: MemberForm<SettingsForm>) -> Response {
    if let Err(refused) = administrators_only(&context, &visitor, &admin).await {
        return refused;
    }
    let settings = ops::node_settings::NodeSettings {
        name: form.name.clone(),
        description: form.description.clone(),
        rules: form.rules.lines().map(str::to_string).collect(),
        registrations: form.registrations.clone(),
    };
    match ops::node_settings::save(&context.store, &admin, &settings).await {
        Ok(()) => Redirect::to("/beheer/instellingen?gedaan=opgeslagen").into_response(),
        Err(DomainError::Invalid(list)) => {
            let error = list.iter().map(|v| super::layout::say(&v.message, visitor.tr)).collect::<Vec<_>>().join(" ");
            match settings_page(&context, &visitor, Some(&form), Some(error)).await {
                Ok(page) => render(&visitor, StatusCode::UNPROCESSABLE_ENTITY, &page),
                Err(e) => error_page(&context, &visitor, &e).await,
            }
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// The size of a page of the SQLite file (its default), to say what a clearing gave back.
const SQLITE_PAGE_BYTES: f64 = 4096.0;

//! Pages for people: server-rendered HTML that works without JavaScript, Dutch by default
//! and English, accessible (WCAG 2.2 AA is the aim; axe-core checks every main page in the
//! browser tests). Each page module extracts its form, calls a domain use case and renders
//! an askama template from `web/templates/`; texts come from `web/locales/*.ftl` ([`i18n`]).
//! Logins are sessions in a cookie ([`visitor`]); every form carries a CSRF token.

pub mod account;
pub mod admin;
pub mod ask;
pub mod attachments;
pub mod auth;
pub mod coalitions;
pub mod consent;
pub mod conversations;
pub mod coordinate;
pub mod dates;
pub mod desk;
pub mod events;
pub mod extract;
pub mod figures;
pub mod front;
pub mod guests;
pub mod i18n;
pub mod initiatives;
pub mod knowledge;
pub mod layout;
pub mod mail_pages;
pub mod mail_text;
pub mod moderation;
pub mod notes;
pub mod notices;
pub mod organise;
pub mod people;
pub mod posts;
pub mod proposal_actions;
pub mod proposals;
pub mod series;
pub mod visitor;

use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use buurtnet_domain::DomainError;
use buurtnet_domain::error::Words;
use buurtnet_federation::Context;
use layout::error_page;
use visitor::Visitor;

pub use i18n::Lang;

pub fn routes() -> Router {
    Router::new()
        .route("/", get(front::front_page))
        .route("/hulp", get(front::browse))
        .route("/vraag-het-ons", get(ask::choose))
        .route("/initiatives/{name}/vraag-het-ons", post(ask::submit))
        .route("/agenda", get(front::agenda))
        .route("/taal/{code}", get(choose_language))
        .route("/static/buurtnet.css", get(stylesheet))
        .route("/oauth/authorize", get(consent::page).post(consent::submit))
        .route("/inloggen", get(auth::login_page).post(auth::login))
        .route("/uitloggen", post(auth::logout))
        .route("/aanmelden", get(auth::signup_page).post(auth::signup))
        .route("/nieuw", get(choose_what_to_post))
        .route("/nieuw/activiteit", get(events::new_page).post(events::submit))
        .route("/nieuw/artikel", get(knowledge::new_page).post(knowledge::submit))
        .route(
            "/nieuw/bericht",
            get(notes::new_page)
                .post(notes::submit)
                .layer(axum::extract::DefaultBodyLimit::max(buurtnet_domain::model::media::MAX_IMAGE_BYTES + 64 * 1024)),
        )
        .route("/kennis", get(knowledge::list))
        .route("/bericht/{id}/bewerken", get(knowledge::edit_page).post(knowledge::edit))
        .route("/bericht/{id}/geschiedenis", get(knowledge::history))
        .route("/bericht/{id}/wijzigingen/{patch}", post(knowledge::review))
        .route("/bericht/{id}/overnemen", post(knowledge::fork))
        .route("/nieuw/{kind}", get(proposals::new_page).post(proposals::submit))
        .route("/bericht/{id}/deelnemen", post(events::join))
        .route("/bericht/{id}/afmelden", post(events::leave))
        .route("/bericht/{id}/deelnemers/{participation}", post(events::decide))
        .route("/bericht/{id}/agenda.ics", get(events::calendar_file))
        .route("/bericht/{id}/organiseren", get(organise::page).post(organise::save))
        .route("/bericht/{id}/afgelasten", post(organise::cancel))
        .route("/bericht/{id}/reeks", get(series::page))
        .route("/bericht/{id}/reeks.ics", get(series::calendar_file))
        .route("/bericht/{id}/reeks/overslaan", post(organise::skip))
        .route("/bericht/{id}/reeks/stoppen", post(organise::stop))
        .route("/bericht/{id}/inschrijving", post(organise::registration))
        .route("/bericht/{id}/gasten", post(organise::add_guest))
        .route("/bericht/{id}/gasten/{guest}", post(organise::decide_guest))
        .route("/bericht/{id}/organiseren/afmelden", post(organise::remove))
        .route("/bericht/{id}/aanmelden-als-gast", post(guests::sign_up))
        .route("/activiteit-afmelden/{token}", get(guests::cancel_confirm).post(guests::cancel))
        .route("/bericht/{id}", get(posts::page))
        .route("/bericht/{id}/reageren", post(proposals::respond))
        .route("/bericht/{id}/reacties/{response}", post(posts::decide))
        .route("/bericht/{id}/geholpen", post(proposal_actions::helped))
        .route("/bericht/{id}/intrekken", post(proposal_actions::withdraw))
        .route("/bericht/{id}/aanpassen", get(proposal_actions::change_page).post(proposal_actions::change))
        .route("/bericht/{id}/doorgeven", get(proposal_actions::pass_on_page).post(proposal_actions::pass_on))
        .route("/zoeken", get(people::search))
        .route("/actor/{id}", get(people::actor))
        .route("/actor/{id}/volgen", post(people::follow))
        .route("/authorize_interaction", get(people::authorize_interaction))
        .route("/volg-op-afstand", post(people::remote_follow))
        .route("/mijn-gegevens", get(account::page))
        .route("/mijn-gegevens/export.json", get(account::export))
        .route("/mijn-gegevens/verwijderen", post(account::delete))
        .route("/mijn-gegevens/email", post(mail_pages::choose))
        .route("/mijn-gegevens/verhuizen", post(account::choose_moving_along))
        .route("/afmelden/{token}", get(mail_pages::unsubscribe_confirm).post(mail_pages::unsubscribe))
        .route("/beheer/instellingen/proefmail", post(mail_pages::test_mail))
        .route("/coordinatie/vragen/{id}/antwoord", post(mail_pages::answer))
        .route("/meldingen", get(notices::list))
        .route("/meldingen/wissen", post(notices::clear))
        .route("/gesprekken", get(conversations::list))
        .route("/gesprekken/{other}", get(conversations::show).post(conversations::send))
        .route("/beheer/federatie", get(admin::overview))
        .route("/beheer/instellingen", get(admin::settings).post(admin::save_settings))
        .route("/beheer/federatie/{host}/opnieuw", post(admin::retry))
        .route("/coordinatie", get(coordinate::overview))
        .route("/coordinatie/uitnodigingen", post(coordinate::invite))
        .route("/coordinatie/aanmeldingen/{id}", post(coordinate::approve))
        .route("/coordinatie/leden/{id}/wachtwoord", post(coordinate::reset_password))
        .route("/coordinatie/leden/{id}/coordinator", post(coordinate::make_coordinator))
        .route("/coordinatie/vragen/{id}/afgehandeld", post(coordinate::question_handled))
        .route("/coordinatie/initiatief/{name}", get(initiatives::edit_page).post(initiatives::save))
        .route("/coordinatie/initiatief/{name}/bewaren", post(initiatives::save_keeping))
        .route("/coordinatie/coalities", post(coalitions::found))
        .route("/coordinatie/coalities/aansluiten", post(coalitions::join))
        .route("/coordinatie/coalities/uitnodiging", post(coalitions::answer_invitation))
        .route("/coalities", get(coalitions::list))
        .route("/coalitie/{slug}", get(coalitions::show))
        .route("/coalitie/{slug}/week", get(coalitions::week))
        .route("/coalitie/{slug}/eten", get(coalitions::meals))
        .route("/coalitie/{slug}/cijfers", get(figures::of_coalition))
        .route("/coalitie/{slug}/cijfers.csv", get(figures::of_coalition_csv))
        .route("/initiatives/{name}/cijfers", get(figures::of_initiative))
        .route("/initiatives/{name}/cijfers.csv", get(figures::of_initiative_csv))
        .route("/coalitie/{slug}/voorstellen", coalitions::acting(coalitions::Action::OnProposal))
        .route("/coalitie/{slug}/toelating", coalitions::acting(coalitions::Action::ProposeAdmission))
        .route("/coalitie/{slug}/verwijdering", coalitions::acting(coalitions::Action::ProposeRemoval))
        .route("/coalitie/{slug}/afspraken", get(coalitions::governance).merge(coalitions::acting(coalitions::Action::ProposeCharter)))
        .route("/coalitie/{slug}/verlaten", coalitions::acting(coalitions::Action::Leave))
        .route("/coordinatie/moderatie", get(moderation::overview))
        .route("/coordinatie/volgverzoeken/{initiative}/{follower}", post(moderation::decide_follow))
        .route("/coordinatie/meldingen/{id}/afgehandeld", post(moderation::handle_report))
        .route("/coordinatie/blokkeren", post(moderation::block))
        .route("/coordinatie/deblokkeren", post(moderation::unblock))
        .route("/wachtwoord/{code}", get(auth::reset_page).post(auth::reset))
}

/// Where a label goes beside a dot at `at` on a circle around `centre` in an SVG picture:
/// (text-anchor, x, y), outward, `gap` away.
pub fn label_beside(at: (f64, f64), centre: (f64, f64), gap: f64) -> (&'static str, f64, f64) {
    let ((x, y), (cx, cy)) = (at, centre);
    if x < cx - 10.0 {
        ("end", x - gap, y + 5.0)
    } else if x > cx + 10.0 {
        ("start", x + gap, y + 5.0)
    } else if y < cy {
        ("middle", x, y - gap)
    } else {
        ("middle", x, y + gap + 12.0)
    }
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Percent-encodes a value for a query string.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A path on this site to go back to; anything else becomes `/`. The candidate is read the
/// way a browser reads a link (the WHATWG URL parser, which drops tabs and newlines and takes
/// `\\` for `/`), so `/\t/evil.example` cannot turn into `//evil.example` on the way.
pub fn local_path(candidate: Option<&str>) -> String {
    static BASE: std::sync::LazyLock<url::Url> =
        std::sync::LazyLock::new(|| url::Url::parse("https://buurtnet.invalid/").expect("valid base"));
    let Some(candidate) = candidate.filter(|c| c.starts_with('/')) else { return "/".to_string() };
    match BASE.join(candidate) {
        Ok(url) if url.origin() == BASE.origin() => url[url::Position::BeforePath..].to_string(),
        _ => "/".to_string(),
    }
}

#[derive(serde::Deserialize)]
struct Back {
    terug: Option<String>,
}

/// `/taal/en?terug=/hulp`: remembers the choice for a year and goes back.
async fn choose_language(visitor: Visitor, Path(code): Path<String>, Query(back): Query<Back>) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return (StatusCode::NOT_FOUND, "onbekende taal / unknown language").into_response();
    };
    let mut response = Redirect::to(&local_path(back.terug.as_deref())).into_response();
    response.headers_mut().append(header::SET_COOKIE, visitor.cookie_header(i18n::LANG_COOKIE, lang.code(), Some(365 * 24 * 3600)));
    response
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        include_str!("../../static/buurtnet.css"),
    )
        .into_response()
}

#[derive(askama::Template)]
#[template(path = "new.html")]
struct NewPage {
    frame: layout::Frame,
}

/// One place to start posting anything: five big choices.
async fn choose_what_to_post(context: Context, visitor: Visitor) -> Response {
    if visitor.member().is_none() {
        return Redirect::to("/inloggen?terug=/nieuw").into_response();
    }
    let page = NewPage { frame: layout::Frame::new(&context, &visitor, visitor.tr.t("new-title")).await };
    layout::render(&visitor, StatusCode::OK, &page)
}

pub async fn not_found(context: Context, visitor: Visitor) -> Response {
    error_page(&context, &visitor, &DomainError::NotFound).await
}

/// The form came from elsewhere (or the page was open too long): say so, change nothing.
pub async fn stale_form(context: &Context, visitor: &Visitor) -> Response {
    let mut response = error_page(context, visitor, &DomainError::Forbidden).await;
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

/// Too many requests from this address: say so (`message`), change nothing.
pub async fn too_many(context: &Context, visitor: &Visitor, message: String) -> Response {
    let mut response = error_page(context, visitor, &DomainError::invalid("form", Words::Plain(message))).await;
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    response
}

pub use dates::local_time;

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_kept() {
        assert_eq!(local_path(Some("/hulp?soort=vraag#lijst")), "/hulp?soort=vraag#lijst");
        for off_site in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example/",
            " /x",
            "x",
        ] {
            assert_eq!(local_path(Some(off_site)), "/", "{off_site:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}

//! The pages everyone sees first: the node's front page (initiatives, open needs and offers,
//! coming events), browsing offers and needs with filters, and the agenda.

use super::i18n::{Lang, Tr};
use super::layout::{Frame, error_page, render};
use super::visitor::Visitor;
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use buurtnet_domain::model::{DEFAULT_CATEGORIES, Purpose, When};
use buurtnet_domain::ops::browse::{self, EventCard, ProposalCard, ProposalFilter};
use buurtnet_federation::Context;
use chrono::NaiveDate;

/// An offer or need as a list shows it.
pub struct ProposalView {
    pub href: String,
    pub is_need: bool,
    pub title: String,
    pub category: String,
    pub neighbourhood: Option<String>,
    pub when: String,
    pub author: String,
    pub on_behalf: bool,
}

impl ProposalView {
    pub fn new(card: &ProposalCard, tr: Tr) -> ProposalView {
        ProposalView {
            href: format!("/bericht/{}", card.post.id),
            is_need: card.proposal.purpose == Purpose::Request,
            title: card.proposal.title.clone(),
            category: category_label(&card.proposal.category, tr.lang),
            neighbourhood: card.proposal.neighbourhood.clone(),
            when: describe_when(card.proposal.when(), tr),
            author: card.author.display_name.clone(),
            on_behalf: false,
        }
    }
}

/// An event as a list shows it.
pub struct EventView {
    pub href: String,
    pub title: String,
    pub starts: String,
    pub place: String,
    pub author: String,
    pub cancelled: bool,
}

impl EventView {
    pub fn new(card: &EventCard, tr: Tr) -> EventView {
        let place =
            card.event.place_name.clone().or_else(|| card.event.online_url.as_ref().map(|_| tr.t("event-online"))).unwrap_or_default();
        EventView {
            href: format!("/bericht/{}", card.post.id),
            title: card.event.title.clone(),
            starts: super::local_time(card.event.starts_at, tr),
            place,
            author: card.author.display_name.clone(),
            cancelled: card.event.is_cancelled(),
        }
    }
}

/// "in overleg", "op donderdag 3 december", "van … tot en met …" and the English equivalents.
pub fn describe_when(when: When, tr: Tr) -> String {
    let day = |d: NaiveDate| super::dates::local_day(d, tr);
    match when {
        When::Flexible => tr.t("when-flexible"),
        When::On(d) => tr.t1("when-on", "date", day(d)),
        When::Between(a, b) => tr.with("when-between", &[("from", day(a)), ("to", day(b))]),
    }
}

pub struct InitiativeView {
    pub href: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "front.html")]
struct FrontPage {
    frame: Frame,
    initiatives: Vec<InitiativeView>,
    needs: Vec<ProposalView>,
    offers: Vec<ProposalView>,
    events: Vec<EventView>,
    news: Vec<NewsView>,
    /// The node's own description, when its administrators wrote one.
    description: String,
}

/// A recent public post (not an offer, need or event: those have their own sections).
pub struct NewsView {
    pub href: String,
    pub author: String,
    pub when: String,
    /// Sanitised HTML.
    pub content: String,
}

pub async fn front_page(context: Context, visitor: Visitor) -> Response {
    let reader = visitor.member();
    let tr = visitor.tr;
    let browse::FrontPage { initiatives, needs, offers, events, news } = match browse::front_page(&context.store, reader, 6, 5).await {
        Ok(parts) => parts,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let description = buurtnet_domain::ops::node_settings::load(&context.store).await.map(|s| s.description).unwrap_or_default();
    let page = FrontPage {
        description,
        frame: Frame::new(&context, &visitor, tr.t("front-title")).await,
        initiatives: initiatives
            .iter()
            .map(|i| InitiativeView { href: format!("/initiatives/{}", i.username), name: i.display_name.clone() })
            .collect(),
        needs: needs.iter().map(|c| ProposalView::new(c, tr)).collect(),
        offers: offers.iter().map(|c| ProposalView::new(c, tr)).collect(),
        events: events.iter().map(|c| EventView::new(c, tr)).collect(),
        news: news
            .into_iter()
            .map(|(post, author)| NewsView {
                href: format!("/bericht/{}", post.id),
                author: author.display_name,
                when: super::local_time(post.published, tr),
                content: post.content,
            })
            .collect(),
    };
    render(&visitor, StatusCode::OK, &page)
}

#[derive(serde::Deserialize, Default)]
pub struct BrowseQuery {
    #[serde(default)]
    soort: String,
    #[serde(default)]
    categorie: String,
    #[serde(default)]
    buurt: String,
    #[serde(default)]
    woorden: String,
    /// `JJJJ-MM-DD`: only what is possible on that day.
    #[serde(default)]
    datum: String,
}

#[derive(Template)]
#[template(path = "browse.html")]
struct BrowsePage {
    frame: Frame,
    query: BrowseQuery,
    /// (value, label)
    categories: Vec<(&'static str, String)>,
    results: Vec<ProposalView>,
}

pub async fn browse(context: Context, visitor: Visitor, Query(query): Query<BrowseQuery>) -> Response {
    let tr = visitor.tr;
    let filter = ProposalFilter {
        purpose: match query.soort.as_str() {
            "hulpvraag" => Some(Purpose::Request),
            "hulpaanbod" => Some(Purpose::Offer),
            _ => None,
        },
        category: Some(query.categorie.clone()).filter(|c| !c.is_empty()),
        neighbourhood: Some(query.buurt.clone()).filter(|n| !n.trim().is_empty()),
        words: Some(query.woorden.clone()).filter(|w| !w.trim().is_empty()),
        on: NaiveDate::parse_from_str(query.datum.trim(), "%Y-%m-%d").ok(),
    };
    let results = match browse::open_proposals(&context.store, visitor.member(), &filter, 50).await {
        Ok(cards) => cards.iter().map(|c| ProposalView::new(c, tr)).collect(),
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let page = BrowsePage { frame: Frame::new(&context, &visitor, tr.t("browse-title")).await, query, categories: categories(tr), results };
    render(&visitor, StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "agenda.html")]
struct AgendaPage {
    frame: Frame,
    events: Vec<EventView>,
    from: String,
}

#[derive(serde::Deserialize, Default)]
pub struct AgendaQuery {
    /// `JJJJ-MM-DD`: from that day on (default: now).
    #[serde(default)]
    vanaf: String,
}

pub async fn agenda(context: Context, visitor: Visitor, Query(query): Query<AgendaQuery>) -> Response {
    use chrono::TimeZone;
    let tr = visitor.tr;
    let from_ms = NaiveDate::parse_from_str(query.vanaf.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| chrono_tz::Europe::Amsterdam.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).earliest())
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(buurtnet_domain::now_ms);
    let events = match browse::events_from(&context.store, visitor.member(), None, from_ms, 100).await {
        Ok(cards) => cards.iter().map(|c| EventView::new(c, tr)).collect(),
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let page = AgendaPage { frame: Frame::new(&context, &visitor, tr.t("agenda-title")).await, events, from: query.vanaf };
    render(&visitor, StatusCode::OK, &page)
}

/// The categories as (value, label) for a select.
pub fn categories(tr: Tr) -> Vec<(&'static str, String)> {
    DEFAULT_CATEGORIES.iter().map(|c| (*c, category_label(c, tr.lang))).collect()
}

/// Category names are Dutch words in the data; English visitors get them translated.
pub fn category_label(category: &str, lang: Lang) -> String {
    let key = format!("category-{}", category.to_lowercase().replace(' ', "-"));
    super::i18n::Tr::new(lang).lookup(&key, None).unwrap_or_else(|| category.to_string())
}

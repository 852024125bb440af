//! Issue 16 item 2: repeating events. The organiser's node keeps the series and publishes
//! each date in the coming weeks as an event of its own; another node shows single dates,
//! a member there joins one date, hears when it moves, and sees a skipped date cancelled.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::{
    Actor, DEFAULT_TIMEZONE, EventDraft, EventQuestions, JoinMode, Place, Repeat, SeriesEnd, SeriesRule, Visibility,
};
use buurtnet_domain::ops::{events, rsvp, series};
use buurtnet_domain::store;
use buurtnet_tests::harness::{Backend, PASSWORD, TestNode, eventually, form_coalition};
use buurtnet_tests::on_both_backends;
use buurtnet_tests::pages::PageVisitor;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;
use reqwest::StatusCode;

on_both_backends!(a_weekly_meal_shows_as_single_dates_elsewhere_with_a_skip_and_a_move);

fn amsterdam(t: NaiveDateTime) -> chrono::DateTime<Utc> {
    EventDraft::local_to_utc(t, DEFAULT_TIMEZONE).unwrap()
}

/// A meal at 17:30 on the day after tomorrow, Amsterdam time.
fn meal() -> EventDraft {
    let day = (Utc::now() + Duration::days(2)).date_naive();
    let at = |h, m| amsterdam(day.and_hms_opt(h, m, 0).unwrap());
    EventDraft {
        title: "Samen eten op donderdag".into(),
        description: "Elke week, iedereen is welkom.".into(),
        starts_at: at(17, 30),
        ends_at: Some(at(19, 30)),
        timezone: DEFAULT_TIMEZONE.into(),
        place: Some(Place { name: "Buurthuis De Ark".into(), address: Some("Gaffelstraat 1".into()), ..Place::default() }),
        online_url: None,
        capacity: Some(30),
        join_mode: JoinMode::Free,
    }
}

async fn ap_id(node: &TestNode, post_id: i64) -> Result<String> {
    Ok(store::posts::by_id(&mut node.store().conn().await?, post_id).await?.ap_id)
}

async fn copy(node: &TestNode, ap_id: &str) -> Result<buurtnet_domain::model::Event> {
    let post = node.post(ap_id).await?.context("copy")?;
    store::events::by_post_id(&mut node.store().conn().await?, post.id).await?.context("event")
}

async fn told(node: &TestNode, member: &Actor, kind: &str) -> Result<usize> {
    let all = store::notifications::for_recipient(&mut node.store().conn().await?, member.id, 100).await?;
    Ok(all.iter().filter(|n| n.kind == kind).count())
}

async fn a_weekly_meal_shows_as_single_dates_elsewhere_with_a_skip_and_a_move(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let initiative = home.add_initiative("buurtkeuken", false).await?;
    let fatima = home.add_member("fatima", Some(&initiative)).await?;
    let away = TestNode::start(backend).await?;
    let buurtwerk = away.add_initiative("buurtwerk", false).await?;
    let kees = away.add_member("kees", Some(&buurtwerk)).await?;
    away.follow_and_wait(&kees, &initiative.ap_id).await?;
    form_coalition((&home, &initiative, &fatima), &[(&away, &buurtwerk, &kees)]).await?;

    let state = home.node.as_ref().context("running")?.state();
    let rule = SeriesRule { repeat: Repeat::Weekly, end: SeriesEnd::Count(4) };
    let draft = meal();
    let (series_id, _) =
        series::start(&state.store, &state.urls, (&fatima, &initiative), (&draft, Visibility::Public, EventQuestions::default()), rule)
            .await?;
    state.wake_delivery();
    let dates = series::dates(&state.store, series_id).await?;
    assert_eq!(dates.len(), 4, "four weeks fall within the window: {dates:?}");

    // The other node holds four single events, a week apart, each at 17:30 Amsterdam time.
    let tz: Tz = DEFAULT_TIMEZONE.parse()?;
    let mut ids = Vec::new();
    for date in &dates {
        let id = ap_id(&home, date.post_id.context("published")?).await?;
        away.until_event(&id).await?;
        let there = copy(&away, &id).await?;
        let start = chrono::DateTime::<Utc>::from_timestamp_millis(there.starts_at).context("time")?.with_timezone(&tz);
        assert_eq!((start.hour(), start.minute()), (17, 30));
        assert_eq!(start.date_naive(), NaiveDate::parse_from_str(&date.planned_date, "%Y-%m-%d")?);
        ids.push(id);
    }
    let first = copy(&away, &ids[0]).await?.starts_at;
    let weekdays: Vec<_> = {
        let mut days = Vec::new();
        for id in &ids {
            let at = chrono::DateTime::<Utc>::from_timestamp_millis(copy(&away, id).await?.starts_at).context("time")?;
            days.push(at.with_timezone(&tz).weekday());
        }
        days
    };
    assert!(weekdays.iter().all(|d| *d == weekdays[0]), "the same weekday: {weekdays:?}");
    assert!(copy(&away, &ids[3]).await?.starts_at > first);

    // The coalition's week on the other node shows one date a week, a single meal each.
    let mut times_shown = Vec::new();
    for date in &dates[..2] {
        let week = PageVisitor::new(&away.base_url())?.get(&format!("/coalitie/delfshaven/week?van={}", date.planned_date)).await?;
        assert_eq!(week.status, StatusCode::OK);
        times_shown.push(week.body.matches("Samen eten op donderdag").count());
    }
    let after_last = NaiveDate::parse_from_str(&dates[3].planned_date, "%Y-%m-%d")? + Duration::days(1);
    let later = PageVisitor::new(&away.base_url())?.get(&format!("/coalitie/delfshaven/week?van={after_last}")).await?;
    times_shown.push(later.body.matches("Samen eten op donderdag").count());
    assert!(times_shown[0] > 0 && times_shown[0] == times_shown[1] && times_shown[2] == 0, "one date in each week: {times_shown:?}");

    // Kees joins the second date only.
    {
        let there = away.node.as_ref().context("running")?.state();
        rsvp::join(&there.store, &there.urls, &kees, &ids[1]).await?;
        there.wake_delivery();
    }
    let second = dates[1].post_id.context("second")?;
    eventually("kees is in on the second date", || async {
        let count = store::events::by_post_id(&mut home.store().conn().await?, second).await?.context("event")?.participant_count;
        Ok((count == 1).then_some(()))
    })
    .await?;

    // The organiser skips the third date and moves the second by an hour.
    let third_day = NaiveDate::parse_from_str(&dates[2].planned_date, "%Y-%m-%d")?;
    series::skip(&state.store, &fatima, series_id, third_day, None).await?;
    let mut moved = events::of_post(&state.store, second).await?.context("second")?.draft();
    moved.starts_at += Duration::hours(1);
    moved.ends_at = moved.ends_at.map(|end| end + Duration::hours(1));
    events::update(&state.store, &fatima, second, &moved).await?;
    state.wake_delivery();

    eventually("the move reaches kees", || async { Ok((told(&away, &kees, events::KIND_EVENT_MOVED).await? == 1).then_some(())) }).await?;
    assert_eq!(copy(&away, &ids[1]).await?.starts_at, moved.starts_at.timestamp_millis());
    eventually("the skipped date is cancelled there", || async { Ok(copy(&away, &ids[2]).await?.is_cancelled().then_some(())) }).await?;
    assert!(!copy(&away, &ids[0]).await?.is_cancelled() && !copy(&away, &ids[3]).await?.is_cancelled());
    assert_eq!(told(&away, &kees, events::KIND_EVENT_CANCELLED).await?, 0, "kees did not join the skipped date");

    // Housekeeping publishes nothing twice, and nothing for a skipped date.
    assert_eq!(series::extend_due(&state.store, &state.urls).await?, 0);
    let after = series::dates(&state.store, series_id).await?;
    assert_eq!(after.len(), 4);
    assert!(after[2].skipped);

    let post_ids: Vec<i64> = dates.iter().map(|d| d.post_id.context("published")).collect::<Result<_>>()?;
    the_series_page_lists_every_date(&home, &post_ids, weekdays[0]).await?;
    the_dates_are_tied_together_on_the_wire(&away, &ids, post_ids[0]).await
}

const DUTCH_WEEKDAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

/// The page of the series, reached from any date: the rule in words, the first and last
/// date linked, the moved second with its new time, the skipped third marked.
async fn the_series_page_lists_every_date(home: &TestNode, post_ids: &[i64], weekday: chrono::Weekday) -> Result<()> {
    let mut anyone = PageVisitor::new(&home.base_url())?;
    let date_page = anyone.get(&format!("/bericht/{}", post_ids[3])).await?;
    let link = format!("Komt elke week terug · <a href=\"/bericht/{}/reeks\">alle datums</a>", post_ids[3]);
    assert!(date_page.body.contains(&link), "{}", date_page.body);
    let page = anyone.get(&format!("/bericht/{}/reeks", post_ids[3])).await?;
    assert_eq!(page.status, StatusCode::OK);
    let rule = format!("Elke week op {}, 17:30", DUTCH_WEEKDAYS[weekday.num_days_from_monday() as usize]);
    assert!(page.body.contains(&rule), "{rule}: {}", page.body);
    for (id, linked) in post_ids.iter().zip([true, true, false, true]) {
        assert_eq!(page.body.contains(&format!("href=\"/bericht/{id}\"")), linked, "date {id}: {}", page.body);
    }
    assert_eq!(page.body.matches("gaat niet door").count(), 1, "the skipped date");
    assert!(page.body.contains("verplaatst naar") && page.body.contains(", 18:30</strong>"), "the moved date: {}", page.body);
    assert!(page.body.contains("href=\"/bericht/") && page.body.contains("/reeks.ics\""), "Zet alle datums in je agenda");
    Ok(())
}

/// Each date says on the wire which series it belongs to, and a line for Mastodon readers
/// that the other node does not show as part of the description.
async fn the_dates_are_tied_together_on_the_wire(away: &TestNode, ids: &[String], first: i64) -> Result<()> {
    let (status, document) = buurtnet_tests::harness::get_signed(&ids[3], None).await?;
    assert_eq!(status, 200, "{document}");
    let origin = url::Url::parse(&ids[3])?.origin().ascii_serialization();
    assert_eq!(document["series"], format!("{origin}/bericht/{first}/reeks"), "{document}");
    assert!(document["@context"].to_string().contains("bn:series"), "the term is declared");
    assert_eq!(document["content"].as_str().unwrap_or_default().matches("Komt elke week terug.").count(), 1);
    let there = away.post(&ids[3]).await?.context("copy")?;
    assert!(there.content.contains("Komt elke week terug."), "received as sent: {}", there.content);
    assert!(!copy(away, &ids[3]).await?.description.contains("Komt elke"), "not part of what the organiser wrote");
    let page = PageVisitor::new(&away.base_url())?.get(&format!("/bericht/{}", there.id)).await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Elke week, iedereen is welkom."));
    assert!(page.body.matches("Komt elke week terug").count() <= 1, "never twice: {}", page.body);
    Ok(())
}

/// A series for followers only: its page and calendar are not found for someone else, as
/// its first date is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_for_followers_is_not_found_by_outsiders() -> Result<()> {
    let node = TestNode::start(Backend::Sqlite).await?;
    let initiative = node.add_initiative("buurtkeuken", false).await?;
    let fatima = node.add_member("fatima", Some(&initiative)).await?;
    node.add_member("piet", None).await?;
    let state = node.node.as_ref().context("running")?.state();
    let rule = SeriesRule { repeat: Repeat::Weekly, end: SeriesEnd::Count(3) };
    let (series_id, first) =
        series::start(&state.store, &state.urls, (&fatima, &initiative), (&meal(), Visibility::Followers, EventQuestions::default()), rule)
            .await?;
    let last = series::dates(&state.store, series_id).await?.last().and_then(|d| d.post_id).context("last")?;
    for path in [format!("/bericht/{}/reeks", first.id), format!("/bericht/{last}/reeks"), format!("/bericht/{last}/reeks.ics")] {
        assert_eq!(PageVisitor::new(&node.base_url())?.get(&path).await?.status, StatusCode::NOT_FOUND, "{path}: anonymous");
        let mut piet = PageVisitor::new(&node.base_url())?;
        piet.log_in("piet", PASSWORD).await?;
        assert_eq!(piet.get(&path).await?.status, StatusCode::NOT_FOUND, "{path}: not a follower");
        let mut fatima = PageVisitor::new(&node.base_url())?;
        fatima.log_in("fatima", PASSWORD).await?;
        assert_eq!(fatima.get(&path).await?.status, StatusCode::OK, "{path}: the organiser");
    }
    let not_a_series = node.publish(&fatima, "Gewoon een bericht", Visibility::Public).await?;
    assert_eq!(
        PageVisitor::new(&node.base_url())?.get(&format!("/bericht/{}/reeks", not_a_series.id)).await?.status,
        StatusCode::NOT_FOUND
    );
    Ok(())
}

/// The new-event form with "Herhalen": a weekly meal of three dates is three events; an
/// unknown choice, a count of 0 and a last date before the first are refused with the
/// field named, and nothing is published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_form_repeats_and_explains_what_is_wrong() -> Result<()> {
    let node = TestNode::start(Backend::Sqlite).await?;
    let initiative = node.add_initiative("buurtkeuken", false).await?;
    node.add_member("fatima", Some(&initiative)).await?;
    let mut fatima = PageVisitor::new(&node.base_url())?;
    fatima.log_in("fatima", PASSWORD).await?;
    let day = (Utc::now() + Duration::days(2)).date_naive().to_string();
    let before = (Utc::now() - Duration::days(2)).date_naive().to_string();
    let form = |repeat: &'static str, until: String, count: &'static str| {
        vec![
            ("title", "Samen eten".to_string()),
            ("date", day.clone()),
            ("start", "17:30".into()),
            ("end", "19:30".into()),
            ("place", "Buurthuis De Ark".into()),
            ("join_mode", "free".into()),
            ("visibility", "public".into()),
            ("action", "publish".into()),
            ("repeat", repeat.into()),
            ("repeat_until", until),
            ("repeat_count", count.into()),
        ]
    };
    let send = async |fatima: &mut PageVisitor, fields: Vec<(&str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fatima.submit("/nieuw/activiteit", "/nieuw/activiteit", &fields).await
    };
    let page = fatima.get("/nieuw/activiteit").await?.body;
    assert!(page.contains("name=\"repeat\"") && page.contains("Elke week"), "the choice is on the form");
    for (fields, field) in [
        (form("daily", String::new(), ""), "repeat"),
        (form("weekly", String::new(), "0"), "repeat_count"),
        (form("weekly", before.clone(), ""), "repeat_until"),
    ] {
        let answer = send(&mut fatima, fields).await?;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(answer.body.contains(&format!("id=\"{field}-error\"")), "{field} explained: {}", answer.body);
    }
    let events = store::events::upcoming(&mut node.store().conn().await?, None, true, 0, 100).await?;
    assert!(events.is_empty(), "nothing published");
    let answer = send(&mut fatima, form("weekly", String::new(), "3")).await?;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let events = store::events::upcoming(&mut node.store().conn().await?, None, true, 0, 100).await?;
    assert_eq!(events.len(), 3, "three dates");

    // On the organiser's page of the first date: skip the second, then stop the series.
    let first = events.iter().min_by_key(|e| e.starts_at).context("first")?.post_id;
    let second = events.iter().filter(|e| e.post_id != first).min_by_key(|e| e.starts_at).context("second")?;
    let organise = format!("/bericht/{first}/organiseren");
    let second_day =
        chrono::DateTime::<Utc>::from_timestamp_millis(second.starts_at).context("time")?.with_timezone(&"Europe/Amsterdam".parse::<Tz>()?);
    let page = fatima.get(&organise).await?.body;
    assert!(page.contains("Deze datum overslaan"));
    let options: Vec<&str> = page.match_indices("<option value=\"20").map(|(at, _)| &page[at + 15..at + 25]).collect();
    let amsterdam: Tz = DEFAULT_TIMEZONE.parse()?;
    let mut coming: Vec<String> = events
        .iter()
        .filter_map(|e| chrono::DateTime::<Utc>::from_timestamp_millis(e.starts_at))
        .map(|t| t.with_timezone(&amsterdam).date_naive().to_string())
        .collect();
    coming.sort();
    assert_eq!(options, coming, "the coming dates to choose from");
    assert_eq!(page.matches(", 17:30</option>").count(), 3, "as weekday, date and time");
    let skip = format!("/bericht/{first}/reeks/overslaan");
    assert_eq!(fatima.submit(&organise, &skip, &[("date", "gisteren")]).await?.status, StatusCode::UNPROCESSABLE_ENTITY);
    let skipped = fatima.submit(&organise, &skip, &[("date", &second_day.date_naive().to_string())]).await?;
    assert_eq!(skipped.status, StatusCode::SEE_OTHER, "{}", skipped.body);
    let node = &node;
    let cancelled = async |id: i64| -> Result<bool> {
        Ok(store::events::by_post_id(&mut node.store().conn().await?, id).await?.context("event")?.is_cancelled())
    };
    assert!(cancelled(second.post_id).await?);
    let stop = format!("/bericht/{first}/reeks/stoppen");
    assert_eq!(fatima.submit(&organise, &stop, &[]).await?.status, StatusCode::UNPROCESSABLE_ENTITY, "stopping asks to be sure");
    assert_eq!(fatima.submit(&organise, &stop, &[("sure", "ja")]).await?.status, StatusCode::SEE_OTHER);
    for event in &events {
        assert!(cancelled(event.post_id).await?, "every date to come is cancelled");
    }
    assert!(!fatima.get(&organise).await?.body.contains("Deze datum overslaan"), "a stopped series offers nothing more");
    Ok(())
}

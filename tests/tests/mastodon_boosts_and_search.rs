//! What Mastodon apps show and ask on their first screens, over HTTP on SQLite and
//! PostgreSQL: boosts as reblogs (their own ids, paged with posts, only when the post may be
//! read) in home and profile timelines, `/api/v1/accounts/search` (mention autocomplete)
//! with its parameters and what it never finds, and pages of notifications: a page reads a
//! page's worth of notifications first and more only while some are left out (kinds not
//! asked for), so it still fills to its limit, pages on without gaps or repeats, and reads no
//! more than 200 notifications however many are left out.

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_domain::store;
use buurtnet_tests::app::Session;
use buurtnet_tests::harness::{Backend, TestNode, eventually, post_signed, signer_of};
use buurtnet_tests::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    boosts_are_reblogs_in_home_and_profile_and_page_with_posts,
    a_boost_of_a_post_the_reader_may_not_see_is_not_shown,
    accounts_search_matches_pages_resolves_and_hides_blocked,
    first_screens_of_elk_and_phanpy_get_mastodon_shaped_answers,
    a_page_of_notifications_fills_past_what_it_leaves_out_and_reads_a_bounded_number
);

fn ids(list: &Value) -> Vec<String> {
    list.as_array().into_iter().flatten().filter_map(|s| s["id"].as_str().map(String::from)).collect()
}

fn id_of(status: &Value) -> Result<String> {
    Ok(status["id"].as_str().context("id")?.to_string())
}

async fn boosts_are_reblogs_in_home_and_profile_and_page_with_posts(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let fatima = node.add_member("fatima", None).await?;
    let kees = node.add_member("kees", None).await?;
    node.add_member("anna", None).await?;
    node.follow(&fatima, &kees.ap_id).await?;
    let base = node.base_url();
    let (f, k, a) = (Session::start(&base, "fatima").await?, Session::start(&base, "kees").await?, Session::start(&base, "anna").await?);

    let original = a.post("/api/v1/statuses", json!({"status": "Wie heeft er een ladder te leen?", "visibility": "public"})).await?;
    let original_id = id_of(&original)?;
    let mut stream = f.client.get(format!("{base}/api/v1/streaming/user")).header("authorization", &f.bearer).send().await?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let boost = k.post(&format!("/api/v1/statuses/{original_id}/reblog"), json!({})).await?;
    let boost_id = id_of(&boost)?;
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    while !seen.contains(&format!("\"id\":\"{boost_id}\"")) {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk()).await.context("no reblog streamed within 15 s")??.context("ended")?;
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: update") && seen.contains("\"reblog\":{"), "the user stream carries the reblog: {seen}");
    drop(stream);
    assert_ne!(boost_id, original_id, "a reblog has its own id: {boost}");
    assert_eq!((boost["account"]["acct"].as_str(), boost["content"].as_str()), (Some("kees"), Some("")));
    assert_eq!((boost["reblog"]["id"].as_str(), boost["reblogged"].as_bool()), (Some(original_id.as_str()), Some(true)));
    let later = k.post("/api/v1/statuses", json!({"status": "Ik heb er een, kom maar langs", "visibility": "public"})).await?;
    let later_id = id_of(&later)?;

    let home = f.get("/api/v1/timelines/home").await?;
    assert_eq!(ids(&home), vec![later_id.clone(), boost_id.clone()], "the boost by whom she follows, newest first: {home}");
    let wrapper = &home[1];
    assert_eq!(wrapper["account"]["acct"], "kees");
    assert_eq!(wrapper["reblog"]["account"]["acct"], "anna");
    assert_eq!(wrapper["reblog"]["content"], original["content"]);
    assert_eq!((wrapper["reblogged"].as_bool(), wrapper["reblog"]["reblogs_count"].as_i64()), (Some(false), Some(1)));
    assert_eq!(k.get("/api/v1/timelines/home").await?[1]["reblogged"], true, "kees boosted it himself");

    // Pages run over posts and boosts alike.
    let first = f.response("/api/v1/timelines/home?limit=1").await?;
    let link = first.headers().get("link").context("link")?.to_str()?.to_string();
    assert_eq!(ids(&first.json().await?), vec![later_id.clone()]);
    assert!(link.contains(&format!("max_id={later_id}")), "{link}");
    assert_eq!(ids(&f.get(&format!("/api/v1/timelines/home?max_id={later_id}")).await?), vec![boost_id.clone()]);
    assert_eq!(ids(&f.get(&format!("/api/v1/timelines/home?max_id={boost_id}")).await?), Vec::<String>::new());
    assert_eq!(ids(&f.get(&format!("/api/v1/timelines/home?since_id={boost_id}")).await?), vec![later_id.clone()]);
    let oldest_first = f.get(&format!("/api/v1/timelines/home?min_id={original_id}&limit=1")).await?;
    assert_eq!(ids(&oldest_first), vec![boost_id.clone()], "min_id pages up from the oldest");
    for past_the_ends in ["since_id=9223372036854775807", "min_id=9223372036854775807", "max_id=-9223372036854775808&min_id=0"] {
        let page = f.get(&format!("/api/v1/timelines/home?{past_the_ends}")).await?;
        assert_eq!(ids(&page), Vec::<String>::new(), "{past_the_ends}");
    }

    // The reblog by its id; acting on it acts on the post, as in Mastodon.
    let fetched = f.get(&format!("/api/v1/statuses/{boost_id}")).await?;
    assert_eq!((fetched["id"].as_str(), fetched["reblog"]["id"].as_str()), (Some(boost_id.as_str()), Some(original_id.as_str())));
    let liked = f.post(&format!("/api/v1/statuses/{boost_id}/favourite"), json!({})).await?;
    assert_eq!((liked["id"].as_str(), liked["favourites_count"].as_i64()), (Some(original_id.as_str()), Some(1)));
    let boosters = f.get(&format!("/api/v1/statuses/{original_id}/reblogged_by")).await?;
    let likers = f.get(&format!("/api/v1/statuses/{original_id}/favourited_by")).await?;
    assert_eq!((boosters[0]["acct"].as_str(), likers[0]["acct"].as_str()), (Some("kees"), Some("fatima")), "{boosters} {likers}");
    assert_eq!((boosters.as_array().map(Vec::len), likers.as_array().map(Vec::len)), (Some(1), Some(1)));

    // Kees's profile shows his boost unless asked not to; nothing is pinned; public shows posts.
    let profile = f.get(&format!("/api/v1/accounts/{}/statuses", kees.id)).await?;
    assert_eq!(ids(&profile), vec![later_id.clone(), boost_id.clone()]);
    let without = f.get(&format!("/api/v1/accounts/{}/statuses?exclude_reblogs=true", kees.id)).await?;
    assert_eq!(ids(&without), vec![later_id.clone()]);
    assert_eq!(f.get(&format!("/api/v1/accounts/{}/statuses?pinned=true", kees.id)).await?, json!([]));
    let public = ids(&f.get("/api/v1/timelines/public").await?);
    assert!(public.contains(&original_id) && !public.contains(&boost_id), "no reblogs in public, as in Mastodon: {public:?}");
    // A peer's public post is in the public timeline, not in the local one.
    let peer = url::Url::parse("https://elders.example/users/buur")?;
    let peer = store::actors::upsert(&mut node.store().conn().await?, &buurtnet_tests::harness::stand_in_remote_actor(&peer)?).await?;
    let news = buurtnet_tests::harness::stand_in_remote_post(&peer, 1, "<p>Nieuws van elders</p>".into(), buurtnet_domain::now_ms());
    let news_id = store::posts::insert(&mut node.store().conn().await?, &news).await?.id.to_string();
    let (everywhere, here) = (ids(&f.get("/api/v1/timelines/public").await?), ids(&f.get("/api/v1/timelines/public?local=true").await?));
    assert_eq!(everywhere.first(), Some(&news_id), "{everywhere:?}");
    assert!(!here.contains(&news_id) && here.contains(&original_id), "{here:?}");

    // Deleting a reblog takes one's own boost back, never the post; nobody else's.
    let by_other = f.client.delete(format!("{base}/api/v1/statuses/{boost_id}")).header("authorization", &f.bearer).send().await?;
    assert_eq!(by_other.status(), StatusCode::NOT_FOUND, "Fatima cannot delete Kees's boost");
    let by_author = a.client.delete(format!("{base}/api/v1/statuses/{boost_id}")).header("authorization", &a.bearer).send().await?;
    assert_eq!(by_author.status(), StatusCode::NOT_FOUND, "nor can Anna, whose post it boosts");
    assert_eq!(ids(&f.get("/api/v1/timelines/home").await?), vec![later_id.clone(), boost_id.clone()], "nothing changed");
    let own_post = k.post("/api/v1/statuses", json!({"status": "Mijn eigen bericht, ook doorgestuurd"})).await?;
    let own_boost = id_of(&k.post(&format!("/api/v1/statuses/{}/reblog", id_of(&own_post)?), json!({})).await?)?;
    let undone = k.client.delete(format!("{base}/api/v1/statuses/{own_boost}")).header("authorization", &k.bearer).send().await?;
    assert_eq!(undone.status(), StatusCode::OK);
    assert_eq!(k.get(&format!("/api/v1/statuses/{}", id_of(&own_post)?)).await?["reblogs_count"], 0, "the post stays, unboosted");
    k.post(&format!("/api/v1/statuses/{original_id}/unreblog"), json!({})).await?;
    let home = ids(&f.get("/api/v1/timelines/home").await?);
    assert_eq!(home, vec![id_of(&own_post)?, later_id], "the boosts taken back leave the timeline");
    let gone = f.response(&format!("/api/v1/statuses/{boost_id}")).await?;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    Ok(())
}

/// Bart (another node) sends an `Announce` of Noor's followers-only post, which Mastodon never
/// would: Anna follows Noor and sees the boost; Fatima follows only Bart and does not.
async fn a_boost_of_a_post_the_reader_may_not_see_is_not_shown(backend: Backend) -> Result<()> {
    let (here, there) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    let fatima = here.add_member("fatima", None).await?;
    let anna = here.add_member("anna", None).await?;
    let noor = there.add_member("noor", None).await?;
    let bart = there.add_member("bart", None).await?;
    here.follow_and_wait(&anna, &noor.ap_id).await?;
    for member in [&fatima, &anna] {
        here.follow_and_wait(member, &bart.ap_id).await?;
    }
    let hidden = there.publish(&noor, "Alleen voor mijn volgers: sleutel ligt bij de buren", Visibility::Followers).await?;
    eventually("the followers-only post reaches Anna's node", || async { here.post(&hidden.ap_id).await }).await?;

    let announce = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/boosts/1", bart.ap_id), "type": "Announce", "actor": bart.ap_id, "object": hidden.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    let inbox = format!("{}/inbox", here.base_url());
    assert_eq!(post_signed(&inbox, &serde_json::to_vec(&announce)?, Some(&signer_of(&bart)), None).await?, 202);
    let (f, a) = (Session::start(&here.base_url(), "fatima").await?, Session::start(&here.base_url(), "anna").await?);
    let anna_home = a.get("/api/v1/timelines/home").await?;
    let reblog = anna_home.as_array().into_iter().flatten().find(|s| s["reblog"]["uri"] == hidden.ap_id.as_str());
    let reblog = reblog.with_context(|| format!("Anna, a follower of Noor, sees Bart's boost: {anna_home}"))?;
    assert_eq!(reblog["account"]["acct"], format!("bart@{}", there.base_url().trim_start_matches("http://")).as_str());
    let fatima_home = f.get("/api/v1/timelines/home").await?.to_string();
    assert!(!fatima_home.contains(&hidden.ap_id) && !fatima_home.contains("sleutel"), "Fatima may not read it: {fatima_home}");
    let boost_id = id_of(reblog)?;
    assert_eq!(f.response(&format!("/api/v1/statuses/{boost_id}")).await?.status(), StatusCode::NOT_FOUND);
    let profile = f.get(&format!("/api/v1/accounts/{}/statuses", store_id_of(&here, &bart.ap_id).await?)).await?;
    assert!(!profile.to_string().contains("sleutel"), "nor on Bart's profile: {profile}");
    Ok(())
}

async fn store_id_of(node: &TestNode, ap_id: &str) -> Result<i64> {
    Ok(node.actor(ap_id).await?.context("known actor")?.id)
}

async fn accounts_search_matches_pages_resolves_and_hides_blocked(backend: Backend) -> Result<()> {
    let (here, there) = (TestNode::start(backend).await?, TestNode::start(backend).await?);
    let fatima = here.add_member("fatima", None).await?;
    let kees = here.add_member("kees", None).await?;
    here.add_member("keetje", None).await?;
    let karim = here.add_member("karim", None).await?;
    there.add_member("noor", None).await?;
    let base = here.base_url();
    let f = Session::start(&base, "fatima").await?;
    let usernames = |list: &Value| -> Vec<String> {
        list.as_array().into_iter().flatten().filter_map(|a| a["username"].as_str().map(String::from)).collect()
    };

    let anonymous: Value = reqwest::get(format!("{base}/api/v1/accounts/search?q=kee")).await?.error_for_status()?.json().await?;
    assert_eq!(usernames(&anonymous), vec!["kees", "keetje"], "by the start of a name, no token needed");
    assert_eq!(usernames(&f.get("/api/v1/accounts/search?q=@kee&limit=1").await?), vec!["kees"]);
    assert_eq!(usernames(&f.get("/api/v1/accounts/search?q=kee&limit=1&offset=1").await?), vec!["keetje"]);
    assert_eq!(f.get("/api/v1/accounts/search?q=").await?, json!([]));

    // Following: only those she follows; without a member token that cannot be asked.
    assert_eq!(f.get("/api/v1/accounts/search?q=k&following=true").await?, json!([]));
    here.follow(&fatima, &kees.ap_id).await?;
    assert_eq!(usernames(&f.get("/api/v1/accounts/search?q=k&following=true").await?), vec!["kees"]);
    let refused = reqwest::get(format!("{base}/api/v1/accounts/search?q=k&following=true")).await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Someone on another node: only a member's search asks that node (WebFinger).
    let host = there.base_url().trim_start_matches("http://").to_string();
    let handle = format!("noor@{host}");
    assert_eq!(f.get(&format!("/api/v1/accounts/search?q={handle}")).await?, json!([]), "not known yet, not resolved");
    let anonymous: Value =
        reqwest::get(format!("{base}/api/v1/accounts/search?q={handle}&resolve=true")).await?.error_for_status()?.json().await?;
    assert_eq!(anonymous, json!([]), "anonymous searches never make the node fetch");
    let found = f.get(&format!("/api/v1/accounts/search?q=@{handle}&resolve=true")).await?;
    assert_eq!(found[0]["acct"], handle.as_str(), "{found}");
    assert_eq!(usernames(&f.get("/api/v1/accounts/search?q=noo").await?), vec!["noor"], "known now, found by name");
    let by_acct = f.get(&format!("/api/v1/accounts/search?q=noor@{}", &host[..host.len() - 2])).await?;
    assert_eq!(usernames(&by_acct), vec!["noor"], "and by the start of her acct");

    // Blocked here: never found, by name or by handle, resolved or not.
    let noor_ap_id = found[0]["uri"].as_str().context("uri")?;
    let mut tx = here.store().begin().await?;
    store::inbox::block_actor(&mut tx, noor_ap_id, "test").await?;
    tx.commit().await?;
    assert_eq!(f.get("/api/v1/accounts/search?q=noo").await?, json!([]));
    assert_eq!(f.get(&format!("/api/v1/accounts/search?q={handle}&resolve=true")).await?, json!([]));
    let v2 = f.get(&format!("/api/v2/search?q={handle}&resolve=true&type=accounts")).await?;
    assert_eq!(v2["accounts"], json!([]), "nor through /api/v2/search");

    // A deleted account is not found either.
    assert_eq!(usernames(&f.get("/api/v1/accounts/search?q=kar").await?), vec!["karim"]);
    buurtnet_domain::ops::members::delete_account(here.store(), &karim, buurtnet_tests::harness::PASSWORD).await?;
    assert_eq!(f.get("/api/v1/accounts/search?q=kar").await?, json!([]));
    Ok(())
}

/// What Elk and Phanpy ask on their first screens (README's endpoint table), with a member's
/// token: each answers 200 with Mastodon's shape, or 404 where Mastodon does.
async fn first_screens_of_elk_and_phanpy_get_mastodon_shaped_answers(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let fatima = node.add_member("fatima", None).await?;
    let kees = node.add_member("kees", None).await?;
    let base = node.base_url();
    let (f, k) = (Session::start(&base, "fatima").await?, Session::start(&base, "kees").await?);
    k.post(&format!("/api/v1/accounts/{}/follow", fatima.id), json!({})).await?;
    k.post("/api/v1/statuses", json!({"status": "Hallo @fatima, tot morgen!"})).await?;

    let empty_lists = [
        "/api/v1/lists",
        "/api/v1/filters",
        "/api/v2/filters",
        "/api/v1/followed_tags",
        "/api/v1/announcements",
        "/api/v1/custom_emojis",
        "/api/v1/instance/rules",
        "/api/v1/trends/tags",
        "/api/v1/trends/statuses",
        "/api/v1/trends/links",
        "/api/v1/follow_requests?limit=1",
        "/api/v1/notifications/requests",
        "/api/v1/featured_tags",
        "/api/v2/suggestions",
        "/api/v1/scheduled_statuses",
        "/api/v1/conversations",
    ];
    for path in empty_lists {
        assert_eq!(f.get(path).await?, json!([]), "{path}");
    }
    for path in [format!("/api/v1/accounts/{}/featured_tags", kees.id), format!("/api/v1/accounts/{}/lists", kees.id)] {
        assert_eq!(f.get(&path).await?, json!([]), "{path}");
    }
    let familiar = f.get(&format!("/api/v1/accounts/familiar_followers?id[]={}", kees.id)).await?;
    assert_eq!(familiar, json!([{"id": kees.id.to_string(), "accounts": []}]));
    assert_eq!(f.get("/api/v1/preferences").await?["posting:default:visibility"], "public");
    assert_eq!(f.get("/api/v2/notifications/policy").await?["summary"]["pending_requests_count"], 0);
    assert!(f.get("/api/v1/markers?timeline[]=notifications").await?.is_object());
    let instance = f.get("/api/v2/instance").await?;
    assert_eq!(instance["api_versions"]["mastodon"], 2, "which is why Phanpy asks for grouped notifications");
    assert_eq!(f.response("/api/v1/push/subscription").await?.status(), StatusCode::FORBIDDEN, "outside the token's scopes");
    let with_push = buurtnet_tests::app::bearer(&base, "fatima", "read write follow push").await?;
    let no_push = f.client.get(format!("{base}/api/v1/push/subscription")).header("authorization", with_push).send().await?;
    assert_eq!(no_push.status(), StatusCode::NOT_FOUND, "no subscription: 404, as Mastodon and Elk expect");
    let anonymous = reqwest::get(format!("{base}/api/v1/lists")).await?;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "guarded as in Mastodon");

    // Grouped notifications (Phanpy): a group of one per notification, accounts and statuses beside.
    let flat = f.get("/api/v1/notifications").await?;
    let grouped = f.get("/api/v2/notifications").await?;
    let groups = grouped["notification_groups"].as_array().context("groups")?;
    let types: Vec<&Value> = groups.iter().map(|g| &g["type"]).collect();
    assert_eq!(types, flat.as_array().context("flat")?.iter().map(|n| &n["type"]).collect::<Vec<_>>(), "{grouped}");
    assert!(types.contains(&&json!("mention")) && types.contains(&&json!("follow")), "{grouped}");
    let mention = groups.iter().find(|g| g["type"] == "mention").context("mention")?;
    assert_eq!(
        (mention["notifications_count"].as_i64(), mention["sample_account_ids"][0].as_str()),
        (Some(1), Some(kees.id.to_string().as_str()))
    );
    let status_id = mention["status_id"].as_str().context("status_id")?;
    assert!(grouped["statuses"].as_array().is_some_and(|s| s.iter().any(|s| s["id"] == status_id)), "{grouped}");
    assert_eq!(grouped["accounts"].as_array().map(Vec::len), Some(1), "kees once, though in two groups");
    let oldest = groups.last().context("oldest")?["page_max_id"].as_str().context("id")?;
    let older = f.get(&format!("/api/v2/notifications?max_id={oldest}")).await?;
    assert_eq!(older["notification_groups"], json!([]), "paged like v1");

    // A profile's media tab shows posts with images only.
    let with_image = upload_image(&k).await?;
    let pictured = k.post("/api/v1/statuses", json!({"status": "De nieuwe bank", "media_ids": [with_image]})).await?;
    let media = f.get(&format!("/api/v1/accounts/{}/statuses?only_media=true", kees.id)).await?;
    assert_eq!(ids(&media), vec![id_of(&pictured)?]);
    Ok(())
}

/// Uploads a small PNG as `session`; the media id.
async fn upload_image(session: &Session) -> Result<String> {
    let mut png = Vec::new();
    image::RgbImage::from_pixel(8, 8, image::Rgb([40, 140, 80])).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(png).file_name("bank.png"));
    let request = session.client.post(format!("{}/api/v2/media", session.base)).header("authorization", &session.bearer).multipart(form);
    let media: Value = request.send().await?.error_for_status()?.json().await?;
    id_of(&media)
}

const MENTIONS: usize = 25;

fn notification_ids_and_types(list: &Value) -> Vec<(String, String)> {
    let of = |n: &Value, key: &str| n[key].as_str().unwrap_or_default().to_string();
    list.as_array().into_iter().flatten().map(|n| (of(n, "id"), of(n, "type"))).collect()
}

/// `count` notifications to `recipient_id` that `follower_id` follows them.
async fn notify_of_follows(node: &TestNode, recipient_id: i64, follower_id: i64, count: usize) -> Result<()> {
    let mut tx = node.store().begin().await?;
    for _ in 0..count {
        store::notifications::insert_by(&mut tx, recipient_id, "follow", None, follower_id).await?;
    }
    Ok(tx.commit().await?)
}

async fn a_page_of_notifications_fills_past_what_it_leaves_out_and_reads_a_bounded_number(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let fatima = node.add_member("fatima", None).await?;
    let kees = node.add_member("kees", None).await?;
    let (f, k) = (Session::start(&node.base_url(), "fatima").await?, Session::start(&node.base_url(), "kees").await?);
    for n in 0..MENTIONS {
        k.post("/api/v1/statuses", json!({"status": format!("@fatima kun je helpen? ({n})"), "visibility": "public"})).await?;
    }
    // Newer than every mention: 30 notifications of a kind the app below does not ask for.
    notify_of_follows(&node, fatima.id, kees.id, 30).await?;

    let first = f.get("/api/v1/notifications?types[]=mention&limit=20").await?;
    let first = notification_ids_and_types(&first);
    assert_eq!(first.len(), 20, "the page fills with mentions older than 30 follows: {first:?}");
    assert!(first.iter().all(|(_, kind)| kind == "mention"), "{first:?}");
    let oldest = &first.last().context("a last one")?.0;
    let rest = notification_ids_and_types(&f.get(&format!("/api/v1/notifications?types[]=mention&limit=20&max_id={oldest}")).await?);
    assert_eq!(rest.len(), MENTIONS - 20, "the next page holds the rest: {rest:?}");
    let mut all: Vec<&String> = first.iter().chain(&rest).map(|(id, _)| id).collect();
    all.dedup();
    assert_eq!(all.len(), MENTIONS, "no mention is shown twice or skipped");
    let few = notification_ids_and_types(&f.get("/api/v1/notifications?exclude_types[]=follow&limit=3").await?);
    assert_eq!(few.iter().map(|(id, _)| id).collect::<Vec<_>>(), all[..3].to_vec(), "the newest three mentions");

    // With 200 or more left out before them, the mentions are not reached on this page: the
    // work a page asks for stays bounded.
    notify_of_follows(&node, fatima.id, kees.id, 180).await?;
    assert_eq!(f.get("/api/v1/notifications?types[]=mention").await?, json!([]));
    let unfiltered = notification_ids_and_types(&f.get("/api/v1/notifications?limit=40").await?);
    assert_eq!(unfiltered.len(), 40, "a page asking for every kind is full");
    Ok(())
}

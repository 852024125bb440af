//! The Mastodon client API over HTTP, on SQLite and PostgreSQL: instance and discovery,
//! every OAuth grant, scopes, revocation, posting and reading with visibility, pagination,
//! idempotency, and the errors clients must get (with nothing changed).

use anyhow::{Context as _, Result};
use buurtnet_domain::model::Visibility;
use buurtnet_tests::harness::{Backend, TestNode};
use buurtnet_tests::on_both_backends;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

on_both_backends!(
    oauth_grants_scopes_and_revocation,
    tokens_expire_when_the_node_limits_them_and_refresh_renews_them,
    posting_reading_and_visibility,
    interactions_reach_notifications_here_and_across_nodes,
    a_resident_follows_a_coalition_from_a_client_and_reads_its_feed,
    images_are_checked_cleaned_described_and_federated,
    profile_markers_tags_and_reports,
    server_sent_events_carry_new_posts_and_need_a_token_for_the_user_stream
);

const PASSWORD: &str = "geheim-wachtwoord";

struct App {
    client_id: String,
    secret: String,
}

async fn register(client: &Client, base: &str, scopes: &str, redirect: &str) -> Result<App> {
    let app: Value = client
        .post(format!("{base}/api/v1/apps"))
        .json(&json!({"client_name": "test", "redirect_uris": redirect, "scopes": scopes}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(App {
        client_id: app["client_id"].as_str().context("client_id")?.into(),
        secret: app["client_secret"].as_str().context("secret")?.into(),
    })
}

async fn password_token(client: &Client, base: &str, app: &App, username: &str, scope: &str) -> Result<Value> {
    let form = [
        ("grant_type", "password"),
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.secret.as_str()),
        ("username", username),
        ("password", PASSWORD),
        ("scope", scope),
    ];
    Ok(client.post(format!("{base}/oauth/token")).form(&form).send().await?.error_for_status()?.json().await?)
}

/// A new token for the refresh token of `token`.
async fn refresh(client: &Client, base: &str, app: &App, token: &Value) -> Result<Value> {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.secret.as_str()),
        ("refresh_token", token["refresh_token"].as_str().context("refresh")?),
    ];
    Ok(client.post(format!("{base}/oauth/token")).form(&form).send().await?.error_for_status()?.json().await?)
}

fn bearer(token: &Value) -> String {
    format!("Bearer {}", token["access_token"].as_str().unwrap_or_default())
}

async fn oauth_grants_scopes_and_revocation(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    node.add_member("fatima", None).await?;
    let base = node.base_url();
    let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;

    let metadata: Value = client.get(format!("{base}/.well-known/oauth-authorization-server")).send().await?.json().await?;
    assert_eq!(metadata["code_challenge_methods_supported"], json!(["S256"]));
    let v1: Value = client.get(format!("{base}/api/v1/instance/")).send().await?.error_for_status()?.json().await?;
    assert!(v1["version"].as_str().is_some_and(|v| v.starts_with("4.3.0 (compatible; Buurtnet")), "{v1}");
    assert!(v1["urls"]["streaming_api"].as_str().is_some_and(|s| s.starts_with("ws://")));
    let nodeinfo: Value = client.get(format!("{base}/nodeinfo/2.0")).send().await?.json().await?;
    assert_eq!(nodeinfo["metadata"]["upstream"]["name"], "mastodon", "megalodon's detector");

    // Apps register with JSON, a form or multipart; custom-scheme redirects are fine.
    let multipart = reqwest::multipart::Form::new()
        .text("client_name", "multipart app")
        .text("redirect_uris", "nl.buurtnet.app://callback")
        .text("scopes", "read write");
    let registered: Value =
        client.post(format!("{base}/api/v1/apps")).multipart(multipart).send().await?.error_for_status()?.json().await?;
    assert_eq!(registered["redirect_uri"], "nl.buurtnet.app://callback");
    let bad_redirect =
        client.post(format!("{base}/api/v1/apps")).form(&[("client_name", "x"), ("redirect_uris", "javascript:alert(1)")]).send().await?;
    assert_eq!(bad_redirect.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Password grant; wrong password and unknown scope refused.
    let app = register(&client, &base, "read write", "urn:ietf:wg:oauth:2.0:oob").await?;
    let wrong = client
        .post(format!("{base}/oauth/token"))
        .json(&json!({"grant_type": "password", "client_id": app.client_id, "client_secret": app.secret, "username": "fatima", "password": "fout"}))
        .send()
        .await?;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert_eq!(wrong.json::<Value>().await?["error"], "invalid_grant");
    let too_much = client
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", &app.client_id),
            ("client_secret", &app.secret),
            ("username", "fatima"),
            ("password", PASSWORD),
            ("scope", "push"),
        ])
        .send()
        .await?;
    assert_eq!(too_much.json::<Value>().await?["error"], "invalid_scope", "more than the app was registered for");

    // A read-only token may read but not post.
    let read_only = password_token(&client, &base, &app, "fatima", "read").await?;
    assert_eq!(read_only["scope"], "read");
    let me = client.get(format!("{base}/api/v1/accounts/verify_credentials")).header("authorization", bearer(&read_only)).send().await?;
    assert_eq!(me.status(), 200);
    let refused = client
        .post(format!("{base}/api/v1/statuses"))
        .header("authorization", bearer(&read_only))
        .json(&json!({"status": "mag niet"}))
        .send()
        .await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "missing write scope");

    // Refresh: the new token works, the old one no longer does.
    let full = password_token(&client, &base, &app, "fatima", "read write").await?;
    let refreshed = refresh(&client, &base, &app, &full).await?;
    let check = |token: Value| {
        let client = client.clone();
        let base = base.clone();
        async move {
            Ok::<_, anyhow::Error>(
                client
                    .get(format!("{base}/api/v1/accounts/verify_credentials"))
                    .header("authorization", bearer(&token))
                    .send()
                    .await?
                    .status(),
            )
        }
    };
    assert_eq!(check(full.clone()).await?, StatusCode::UNAUTHORIZED, "the refreshed token is revoked");
    assert_eq!(check(refreshed.clone()).await?, StatusCode::OK);
    client
        .post(format!("{base}/oauth/revoke"))
        .form(&[
            ("client_id", &app.client_id),
            ("client_secret", &app.secret),
            ("token", &refreshed["access_token"].as_str().unwrap_or_default().to_string()),
        ])
        .send()
        .await?
        .error_for_status()?;
    let revoked =
        client.get(format!("{base}/api/v1/accounts/verify_credentials")).header("authorization", bearer(&refreshed)).send().await?;
    assert_eq!(revoked.status(), StatusCode::UNAUTHORIZED, "revoked");
    assert_eq!(revoked.json::<Value>().await?["error"], "The access token was revoked");
    assert_eq!(check(json!({"access_token": "verzonnen"})).await?, StatusCode::UNAUTHORIZED, "made up");

    // Client credentials: the app, no member.
    let app_token: Value = client
        .post(format!("{base}/oauth/token"))
        .json(&json!({"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": app.secret, "scope": "read"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    assert_eq!(check(app_token.clone()).await?, StatusCode::UNPROCESSABLE_ENTITY, "no member behind an app token");
    let verified = client.get(format!("{base}/api/v1/apps/verify_credentials")).header("authorization", bearer(&app_token)).send().await?;
    assert_eq!(verified.json::<Value>().await?["name"], "test");

    // Authorization code with PKCE: the page, a wrong verifier, the right one, no reuse.
    let pkce_app = register(&client, &base, "read", "http://localhost:1/callback").await?;
    let verifier = "een-lange-willekeurige-verifier-van-minstens-43-tekens-lang-genoeg";
    let challenge = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
    };
    let page = client
        .get(format!("{base}/oauth/authorize"))
        .query(&[
            ("client_id", pkce_app.client_id.as_str()),
            ("redirect_uri", "http://localhost:1/callback"),
            ("response_type", "code"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("state", "xyz"),
        ])
        .send()
        .await?;
    assert!(page.text().await?.contains("<label for=\"password\">"), "a labelled login form");
    let submit = |password: &'static str| {
        let (client, base, id, challenge) = (client.clone(), base.clone(), pkce_app.client_id.clone(), challenge.clone());
        async move {
            Ok::<_, anyhow::Error>(
                client
                    .post(format!("{base}/oauth/authorize"))
                    .form(&[
                        ("client_id", id.as_str()),
                        ("redirect_uri", "http://localhost:1/callback"),
                        ("code_challenge", &challenge),
                        ("code_challenge_method", "S256"),
                        ("state", "xyz"),
                        ("username", "fatima"),
                        ("password", password),
                        ("decision", "allow"),
                    ])
                    .send()
                    .await?,
            )
        }
    };
    assert_eq!(submit("fout").await?.status(), StatusCode::UNAUTHORIZED, "wrong password shows the form again");
    let redirected = submit(PASSWORD).await?;
    let location = redirected.headers().get("location").context("redirect")?.to_str()?.to_string();
    let location = url::Url::parse(&location)?;
    let code = location.query_pairs().find(|(k, _)| k == "code").context("code")?.1.to_string();
    assert!(location.query_pairs().any(|(k, v)| k == "state" && v == "xyz"));
    let exchange = |verifier: &'static str| {
        let (client, base, id, code) = (client.clone(), base.clone(), pkce_app.client_id.clone(), code.clone());
        async move {
            Ok::<_, anyhow::Error>(
                client
                    .post(format!("{base}/oauth/token"))
                    .json(&json!({"grant_type": "authorization_code", "client_id": id, "code": code, "redirect_uri": "http://localhost:1/callback", "code_verifier": verifier}))
                    .send()
                    .await?,
            )
        }
    };
    assert_eq!(exchange("verkeerd").await?.json::<Value>().await?["error"], "invalid_grant", "wrong verifier");
    // The code was used up by the failed attempt, as RFC 6749 advises.
    assert_eq!(exchange(verifier).await?.json::<Value>().await?["error"], "invalid_grant", "a code works once");

    // After five wrong passwords this client waits before it may try the account again,
    // even with the right one (others are not held up: attacks.rs).
    let attempt = |password: &'static str| {
        let (client, base, app) = (client.clone(), base.clone(), (app.client_id.clone(), app.secret.clone()));
        async move {
            Ok::<_, anyhow::Error>(
                client
                    .post(format!("{base}/oauth/token"))
                    .form(&[
                        ("grant_type", "password"),
                        ("client_id", &app.0),
                        ("client_secret", &app.1),
                        ("username", "fatima"),
                        ("password", password),
                    ])
                    .send()
                    .await?
                    .status(),
            )
        }
    };
    // (The right passwords above cleared the wrong ones before them.)
    for _ in 0..5 {
        assert_eq!(attempt("fout").await?, StatusCode::BAD_REQUEST);
    }
    assert_eq!(attempt(PASSWORD).await?, StatusCode::TOO_MANY_REQUESTS, "this client waits for now");
    // And one address gets 60 token requests a minute.
    let mut statuses = Vec::new();
    for _ in 0..60 {
        statuses.push(
            client
                .post(format!("{base}/oauth/token"))
                .json(&json!({"grant_type": "client_credentials", "client_id": "x"}))
                .send()
                .await?
                .status(),
        );
    }
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    Ok(())
}

async fn tokens_expire_when_the_node_limits_them_and_refresh_renews_them(backend: Backend) -> Result<()> {
    let node = TestNode::start_with(backend, |config| config.web.access_token_lifetime_secs = Some(2)).await?;
    node.add_member("fatima", None).await?;
    let (client, base) = (Client::new(), node.base_url());
    let app = register(&client, &base, "read write", "urn:ietf:wg:oauth:2.0:oob").await?;
    let token = password_token(&client, &base, &app, "fatima", "read").await?;
    assert_eq!(token["expires_in"], 2, "the client is told how long the token lives");
    let whoami = |token: Value| {
        let (client, base) = (client.clone(), base.clone());
        async move { client.get(format!("{base}/api/v1/accounts/verify_credentials")).header("authorization", bearer(&token)).send().await }
    };
    assert_eq!(whoami(token.clone()).await?.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let expired = whoami(token.clone()).await?;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(expired.json::<Value>().await?["error"], "The access token expired");
    let renewed = refresh(&client, &base, &app, &token).await?;
    assert_eq!(whoami(renewed).await?.status(), StatusCode::OK, "the refresh token outlives the access token");
    Ok(())
}

async fn posting_reading_and_visibility(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    let fatima = node.add_member("fatima", None).await?;
    node.add_member("kees", None).await?;
    let base = node.base_url();
    let client = Client::new();
    let app = register(&client, &base, "read write follow", "urn:ietf:wg:oauth:2.0:oob").await?;
    let token = password_token(&client, &base, &app, "fatima", "read write").await?;
    let kees = password_token(&client, &base, &app, "kees", "read write").await?;
    let post = |token: &Value, body: Value, key: Option<&str>| {
        let mut request = client.post(format!("{base}/api/v1/statuses")).header("authorization", bearer(token)).json(&body);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        request.send()
    };

    let first: Value = post(&token, json!({"status": "Eerste bericht", "visibility": "public"}), Some("abc")).await?.json().await?;
    let again: Value = post(&token, json!({"status": "Eerste bericht", "visibility": "public"}), Some("abc")).await?.json().await?;
    assert_eq!(first["id"], again["id"], "the same idempotency key posts once");
    assert!(first["id"].as_str().is_some_and(|id| id.chars().all(|c| c.is_ascii_digit())), "digit-string ids: {first}");
    assert!(first["created_at"].as_str().is_some_and(|t| t.len() == "2026-11-22T12:00:00.000Z".len()), "milliseconds");
    let private: Value = post(&token, json!({"status": "Alleen voor volgers", "visibility": "private"}), None).await?.json().await?;
    assert_eq!(private["visibility"], "private");
    let english: Value = post(&token, json!({"status": "Hello neighbours", "language": "en-GB"}), None).await?.json().await?;
    assert_eq!((english["language"].as_str(), first["language"].as_str()), (Some("en"), None), "the language the app gave, if any");

    let malformed = client
        .post(format!("{base}/api/v1/statuses"))
        .header("authorization", bearer(&token))
        .header("content-type", "application/json")
        .body("{\"status\": ")
        .send()
        .await?;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert!(malformed.json::<Value>().await?["error"].is_string(), "Mastodon-shaped error");
    assert_eq!(post(&token, json!({"status": "x", "visibility": "geheim"}), None).await?.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(post(&token, json!({"status": "   "}), None).await?.status(), StatusCode::UNPROCESSABLE_ENTITY, "empty");

    // Visibility on reads: anonymous and a non-follower do not see the followers-only post.
    let get = |id: &str, token: Option<&Value>| {
        let mut request = client.get(format!("{base}/api/v1/statuses/{id}"));
        if let Some(token) = token {
            request = request.header("authorization", bearer(token));
        }
        request.send()
    };
    let private_id = private["id"].as_str().context("id")?;
    assert_eq!(get(private_id, None).await?.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(private_id, Some(&kees)).await?.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(private_id, Some(&token)).await?.status(), StatusCode::OK);
    let public: Vec<Value> = client.get(format!("{base}/api/v1/timelines/public")).send().await?.json().await?;
    assert!(public.iter().all(|s| s["id"] != private["id"]), "not in the public timeline");

    // Someone else's status cannot be deleted, and stays.
    let kees_delete = client
        .delete(format!("{base}/api/v1/statuses/{}", first["id"].as_str().unwrap_or_default()))
        .header("authorization", bearer(&kees))
        .send()
        .await?;
    assert_eq!(kees_delete.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(first["id"].as_str().unwrap_or_default(), None).await?.status(), StatusCode::OK);

    // Pages: newest first, Link headers that lead on.
    for n in 0..5 {
        node.publish(&fatima, &format!("Bericht {n}"), Visibility::Public).await?;
    }
    let page = client.get(format!("{base}/api/v1/timelines/home?limit=3")).header("authorization", bearer(&token)).send().await?;
    let link = page.headers().get("link").context("Link header")?.to_str()?.to_string();
    let statuses: Vec<Value> = page.json().await?;
    assert_eq!(statuses.len(), 3);
    let ids: Vec<i64> = statuses.iter().filter_map(|s| s["id"].as_str()?.parse().ok()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    let next = link.split(", ").find(|l| l.ends_with("rel=\"next\"")).context("next")?;
    let next_url = next.trim_start_matches('<').split('>').next().context("url")?;
    let older: Vec<Value> = client.get(next_url).header("authorization", bearer(&token)).send().await?.json().await?;
    assert!(older.iter().filter_map(|s| s["id"].as_str()?.parse::<i64>().ok()).all(|id| id < ids[2]), "the next page is older");

    let deleted: Value =
        client.delete(format!("{base}/api/v1/statuses/{private_id}")).header("authorization", bearer(&token)).send().await?.json().await?;
    assert_eq!(deleted["text"], "Alleen voor volgers", "the source comes back for delete-and-redraft");
    assert_eq!(get(private_id, Some(&token)).await?.status(), StatusCode::NOT_FOUND);
    Ok(())
}

/// A logged-in member of a node, for short API calls.
struct Session {
    client: Client,
    base: String,
    token: Value,
}

impl Session {
    async fn start(node: &TestNode, username: &str) -> Result<Session> {
        let client = Client::new();
        let base = node.base_url();
        let app = register(&client, &base, "read write follow", "urn:ietf:wg:oauth:2.0:oob").await?;
        let token = password_token(&client, &base, &app, username, "read write follow").await?;
        Ok(Session { client, base, token })
    }

    async fn get(&self, path: &str) -> Result<Value> {
        Ok(self
            .client
            .get(format!("{}{path}", self.base))
            .header("authorization", bearer(&self.token))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value> {
        Ok(self
            .client
            .post(format!("{}{path}", self.base))
            .header("authorization", bearer(&self.token))
            .json(&body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// The types of my notifications, newest first.
    async fn notification_types(&self, query: &str) -> Result<Vec<String>> {
        let list = self.get(&format!("/api/v1/notifications{query}")).await?;
        Ok(list.as_array().into_iter().flatten().filter_map(|n| n["type"].as_str().map(String::from)).collect())
    }
}

async fn interactions_reach_notifications_here_and_across_nodes(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let fatima = home.add_member("fatima", None).await?;
    home.add_member("kees", None).await?;
    away.add_member("noor", None).await?;
    let (f, k, n) = (Session::start(&home, "fatima").await?, Session::start(&home, "kees").await?, Session::start(&away, "noor").await?);

    k.post(&format!("/api/v1/accounts/{}/follow", fatima.id), json!({})).await?;
    let status = f.post("/api/v1/statuses", json!({"status": "Hallo @kees, kom je zaterdag?", "visibility": "public"})).await?;
    let id = status["id"].as_str().context("id")?.to_string();
    assert_eq!(status["mentions"][0]["acct"], "kees");
    assert_eq!(k.notification_types("").await?, vec!["mention"], "kees is mentioned");
    let liked = k.post(&format!("/api/v1/statuses/{id}/favourite"), json!({})).await?;
    assert_eq!((liked["favourited"].as_bool(), liked["favourites_count"].as_i64()), (Some(true), Some(1)));
    k.post(&format!("/api/v1/statuses/{id}/bookmark"), json!({})).await?;
    assert_eq!(k.get("/api/v1/bookmarks").await?[0]["id"], id.as_str());
    assert_eq!(k.get("/api/v1/favourites").await?[0]["id"], id.as_str());
    k.post(&format!("/api/v1/statuses/{id}/unbookmark"), json!({})).await?;
    assert_eq!(k.get("/api/v1/bookmarks").await?, json!([]));

    // Noor, on another node, pastes the post's address into search: it is fetched.
    let uri = status["uri"].as_str().context("uri")?;
    let fetched = n.get(&format!("/api/v2/search?q={uri}&resolve=true&type=statuses")).await?;
    assert!(fetched["statuses"][0]["content"].as_str().is_some_and(|c| c.contains("kom je zaterdag")), "{fetched}");
    let unresolved = n.get(&format!("/api/v2/search?q={}/notes/999999&resolve=true&type=statuses", home.base_url())).await?;
    assert_eq!(unresolved["statuses"], json!([]), "an address that does not exist finds nothing");

    // Noor finds Fatima by handle, follows her, then likes and boosts.
    let handle = format!("fatima@{}", home.base_url().trim_start_matches("http://"));
    let found = n.get(&format!("/api/v2/search?q={handle}&resolve=true&type=accounts")).await?;
    let remote_id = found["accounts"][0]["id"].as_str().context("found through WebFinger")?.to_string();
    assert_eq!(found["accounts"][0]["acct"], handle.as_str());
    n.post(&format!("/api/v1/accounts/{remote_id}/follow"), json!({})).await?;
    home.eventually_follow(&fatima, 2).await?;
    let later = f.post("/api/v1/statuses", json!({"status": "Nieuw bericht voor alle volgers"})).await?;
    let later_uri = later["uri"].as_str().context("uri")?.to_string();
    let copy = eventually_status(&n, &later_uri).await?;
    let copy_id = copy["id"].as_str().context("id")?.to_string();
    n.post(&format!("/api/v1/statuses/{copy_id}/favourite"), json!({})).await?;
    n.post(&format!("/api/v1/statuses/{copy_id}/reblog"), json!({})).await?;
    let later_id = later["id"].as_str().context("id")?.to_string();
    buurtnet_tests::harness::eventually("the like and the boost arrive", || async {
        let status = f.get(&format!("/api/v1/statuses/{later_id}")).await?;
        Ok((status["favourites_count"] == 1 && status["reblogs_count"] == 1).then_some(()))
    })
    .await?;
    let types = f.notification_types("").await?;
    for wanted in ["follow", "favourite", "reblog"] {
        assert!(types.iter().any(|t| t == wanted), "{wanted} in {types:?}");
    }
    assert_eq!(types.iter().filter(|t| *t == "follow").count(), 2, "kees here, noor there: {types:?}");
    assert!(f.notification_types("?types[]=favourite").await?.iter().all(|t| t == "favourite"));
    assert!(!f.notification_types("?exclude_types[]=follow").await?.iter().any(|t| t == "follow"));
    n.post(&format!("/api/v1/statuses/{copy_id}/unreblog"), json!({})).await?;
    buurtnet_tests::harness::eventually("the boost is taken back", || async {
        Ok((f.get(&format!("/api/v1/statuses/{later_id}")).await?["reblogs_count"] == 0).then_some(()))
    })
    .await?;

    let first = f.get("/api/v1/notifications").await?[0]["id"].as_str().context("id")?.to_string();
    f.post(&format!("/api/v1/notifications/{first}/dismiss"), json!({})).await?;
    assert!(f.get("/api/v1/notifications").await?.as_array().is_some_and(|l| l.iter().all(|n| n["id"] != first.as_str())));
    f.post("/api/v1/notifications/clear", json!({})).await?;
    assert_eq!(f.get("/api/v1/notifications").await?, json!([]));
    Ok(())
}

/// Noor, on a node outside the coalition, finds the coalition by its handle in a Mastodon
/// client (a group), follows it, and her home timeline shows what member initiatives post
/// publicly (boosted by the replica); a post withdrawn by its author leaves her timeline.
async fn a_resident_follows_a_coalition_from_a_client_and_reads_its_feed(backend: Backend) -> Result<()> {
    let (a, b, x) = (TestNode::start(backend).await?, TestNode::start(backend).await?, TestNode::start(backend).await?);
    let zorg = a.add_initiative("zorg", false).await?;
    let fatima = a.add_member("fatima", Some(&zorg)).await?;
    let paleis = b.add_initiative("paleis", false).await?;
    let kees = b.add_member("kees", Some(&paleis)).await?;
    x.add_member("noor", None).await?;
    buurtnet_tests::harness::form_coalition((&a, &zorg, &fatima), &[(&b, &paleis, &kees)]).await?;
    let noor = Session::start(&x, "noor").await?;

    let handle = format!("delfshaven@{}", b.base_url().trim_start_matches("http://"));
    let found = noor.get(&format!("/api/v2/search?q=@{handle}&resolve=true&type=accounts")).await?;
    let coalition = &found["accounts"][0];
    assert_eq!(coalition["acct"], handle.as_str(), "{found}");
    assert_eq!(coalition["display_name"], "Welzijnscoalitie Delfshaven");
    assert_eq!(coalition["group"], true);
    let coalition_id = coalition["id"].as_str().context("id")?.to_string();
    let relationship = noor.post(&format!("/api/v1/accounts/{coalition_id}/follow"), json!({})).await?;
    assert!(relationship["following"] == true || relationship["requested"] == true, "{relationship}");
    buurtnet_tests::harness::eventually("the replica accepts", || async {
        let relationships = noor.get(&format!("/api/v1/accounts/relationships?id[]={coalition_id}")).await?;
        Ok((relationships[0]["following"] == true).then_some(()))
    })
    .await?;

    let kept = a.publish(&zorg, "Zaterdag opruimdag in de Schiemond, doe je mee?", Visibility::Public).await?;
    let withdrawn = a.publish(&zorg, "Buurtmaaltijd gaat niet door", Visibility::Public).await?;
    a.node.as_ref().context("a")?.state().wake_delivery();
    for post in [&kept, &withdrawn] {
        let status = eventually_status(&noor, &post.ap_id).await?;
        assert_eq!(status["account"]["acct"], format!("zorg@{}", a.base_url().trim_start_matches("http://")).as_str());
    }
    a.delete(&zorg, &withdrawn).await?;
    buurtnet_tests::harness::eventually("the deleted post leaves the timeline", || async {
        let home = noor.get("/api/v1/timelines/home").await?;
        let uris: Vec<&str> =
            home.as_array().into_iter().flatten().filter_map(|s| s["reblog"]["uri"].as_str().or(s["uri"].as_str())).collect();
        Ok((!uris.contains(&withdrawn.ap_id.as_str()) && uris.contains(&kept.ap_id.as_str())).then_some(()))
    })
    .await?;
    Ok(())
}

/// Waits until a status with `uri` is in the home timeline of `session`, as a post or boosted.
async fn eventually_status(session: &Session, uri: &str) -> Result<Value> {
    buurtnet_tests::harness::eventually("the status arrives", || async {
        let home = session.get("/api/v1/timelines/home").await?;
        Ok(home
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| if s["reblog"].is_object() { &s["reblog"] } else { s })
            .find(|s| s["uri"] == uri)
            .cloned())
    })
    .await
}

/// A JPEG with an EXIF segment that says where it was taken.
fn jpeg_with_location() -> Result<Vec<u8>> {
    let image = image::RgbImage::from_pixel(64, 48, image::Rgb([200, 120, 40]));
    let mut plain = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut plain), image::ImageFormat::Jpeg)?;
    let mut exif = b"Exif\0\0GPS-51.9225-4.4792-GAFFELSTRAAT".to_vec();
    let length = u16::try_from(exif.len() + 2)?.to_be_bytes();
    let mut segment = vec![0xFF, 0xE1, length[0], length[1]];
    segment.append(&mut exif);
    Ok([&plain[..2], &segment[..], &plain[2..]].concat())
}

async fn upload(session: &Session, bytes: Vec<u8>, name: &str, description: &str) -> Result<reqwest::Response> {
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()))
        .text("description", description.to_string());
    Ok(session
        .client
        .post(format!("{}/api/v2/media", session.base))
        .header("authorization", bearer(&session.token))
        .multipart(form)
        .send()
        .await?)
}

async fn images_are_checked_cleaned_described_and_federated(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let fatima = home.add_member("fatima", None).await?;
    home.add_member("kees", None).await?;
    let noor = away.add_member("noor", None).await?;
    away.follow_and_wait(&noor, &fatima.ap_id).await?;
    let (f, k) = (Session::start(&home, "fatima").await?, Session::start(&home, "kees").await?);

    let original = jpeg_with_location()?;
    assert!(original.windows(12).any(|w| w == b"GAFFELSTRAAT"), "the test image carries a location");
    let media: Value = upload(&f, original, "IMG_0001.jpg", "Kees en Ans bij de moestuin").await?.error_for_status()?.json().await?;
    assert_eq!((media["meta"]["original"]["width"].as_i64(), media["meta"]["original"]["height"].as_i64()), (Some(64), Some(48)));
    assert_eq!(media["description"], "Kees en Ans bij de moestuin");
    let served = reqwest::get(media["url"].as_str().context("url")?).await?;
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let served = served.bytes().await?;
    assert!(!served.windows(12).any(|w| w == b"GAFFELSTRAAT"), "the location is gone from the served file");
    assert!(image::load_from_memory(&served).is_ok(), "still an image");

    let not_an_image = upload(&f, b"<script>alert(1)</script>".to_vec(), "foto.jpg", "").await?;
    assert_eq!(not_an_image.status(), StatusCode::UNPROCESSABLE_ENTITY, "judged by its bytes, not its name");
    // The server answers 413 before reading the whole body and then closes the connection,
    // so this upload goes over a connection of its own (a pooled one may be closed under the
    // next request).
    let alone = Session { client: Client::new(), base: f.base.clone(), token: f.token.clone() };
    let too_big = upload(&alone, vec![0u8; 9 * 1024 * 1024], "groot.png", "").await?;
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let id = media["id"].as_str().context("id")?.to_string();
    let long = f
        .client
        .put(format!("{}/api/v1/media/{id}", f.base))
        .header("authorization", bearer(&f.token))
        .json(&json!({"description": "x".repeat(1501)}))
        .send()
        .await?;
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY, "alt text has a limit");
    let stolen = k
        .client
        .post(format!("{}/api/v1/statuses", k.base))
        .header("authorization", bearer(&k.token))
        .json(&json!({"status": "mijn foto", "media_ids": [id]}))
        .send()
        .await?;
    assert_eq!(stolen.status(), StatusCode::UNPROCESSABLE_ENTITY, "someone else's upload cannot be attached");

    let status = f.post("/api/v1/statuses", json!({"status": "De moestuin bloeit", "media_ids": [id]})).await?;
    assert_eq!(status["media_attachments"][0]["description"], "Kees en Ans bij de moestuin");
    let copy = buurtnet_tests::harness::eventually("the post with its image reaches noor's node", || async {
        let Some(copy) = away.post(status["uri"].as_str().unwrap_or_default()).await? else { return Ok(None) };
        let media = buurtnet_domain::store::media::for_post(&mut away.store().conn().await?, copy.id).await?;
        Ok((!media.is_empty()).then_some(media))
    })
    .await?;
    assert_eq!(copy[0].description, "Kees en Ans bij de moestuin", "alt text travels with the image");
    assert_eq!(copy[0].remote_url.as_deref(), media["url"].as_str(), "kept as a link to the original");
    Ok(())
}

async fn profile_markers_tags_and_reports(backend: Backend) -> Result<()> {
    let home = TestNode::start(backend).await?;
    let away = TestNode::start(backend).await?;
    let initiative = home.add_initiative("zorgvrijstaat", false).await?;
    let anouk = home.add_member("anouk", Some(&initiative)).await?;
    let fatima = home.add_member("fatima", None).await?;
    home.add_member("kees", None).await?;
    let noor = away.add_member("noor", None).await?;
    let away_coordinator_initiative = away.add_initiative("wijkpaleis", false).await?;
    let piet = away.add_member("piet", Some(&away_coordinator_initiative)).await?;
    away.follow_and_wait(&noor, &fatima.ap_id).await?;
    home.follow_and_wait(&fatima, &noor.ap_id).await?;
    let (f, k, a) = (Session::start(&home, "fatima").await?, Session::start(&home, "kees").await?, Session::start(&home, "anouk").await?);

    // Profile: changed here, and the follower's node hears of it.
    let patched = f
        .client
        .patch(format!("{}/api/v1/accounts/update_credentials", f.base))
        .header("authorization", bearer(&f.token))
        .form(&[("display_name", "Fatima van de Moestuin"), ("note", "Ik help graag met tuinieren.")])
        .send()
        .await?;
    let patched: Value = patched.error_for_status()?.json().await?;
    assert_eq!(patched["display_name"], "Fatima van de Moestuin");
    assert_eq!(patched["source"]["note"], "Ik help graag met tuinieren.");
    buurtnet_tests::harness::eventually("the new name reaches the follower's node", || async {
        Ok(away.actor(&fatima.ap_id).await?.filter(|a| a.display_name == "Fatima van de Moestuin"))
    })
    .await?;
    let too_long = f
        .client
        .patch(format!("{}/api/v1/accounts/update_credentials", f.base))
        .header("authorization", bearer(&f.token))
        .json(&json!({"display_name": "x".repeat(101)}))
        .send()
        .await?;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Markers are kept, with a version that counts.
    f.post("/api/v1/markers", json!({"home": {"last_read_id": "12"}})).await?;
    let markers = f.post("/api/v1/markers", json!({"home": {"last_read_id": "15"}})).await?;
    assert_eq!((markers["home"]["last_read_id"].as_str(), markers["home"]["version"].as_i64()), (Some("15"), Some(2)));

    // Tag timelines: public posts with the tag, not private ones.
    let tagged = f.post("/api/v1/statuses", json!({"status": "Oogst van vandaag #Moestuin"})).await?;
    f.post("/api/v1/statuses", json!({"status": "Alleen voor volgers #moestuin", "visibility": "private"})).await?;
    let timeline = k.get("/api/v1/timelines/tag/moestuin").await?;
    let ids: Vec<&str> = timeline.as_array().context("list")?.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids, vec![tagged["id"].as_str().context("id")?], "{timeline}");

    // Reports: the coordinators here are told; one about someone elsewhere also reaches there.
    let report = k
        .post("/api/v1/reports", json!({"account_id": fatima.id.to_string(), "status_ids": [tagged["id"]], "comment": "Dit klopt niet"}))
        .await?;
    assert_eq!(report["forwarded"], false);
    let kinds = a.notification_types("").await?;
    assert!(kinds.iter().any(|t| t == "admin.report"), "the coordinator hears of it: {kinds:?}");
    let stolen = k.post("/api/v1/reports", json!({"account_id": anouk.id.to_string(), "status_ids": [tagged["id"]]})).await;
    assert!(stolen.is_err(), "a post of someone else than the reported account is refused");
    let noor_here = home.actor(&noor.ap_id).await?.context("noor is known here")?;
    let forwarded =
        f.post("/api/v1/reports", json!({"account_id": noor_here.id.to_string(), "comment": "Ongepast", "forward": true})).await?;
    assert_eq!(forwarded["forwarded"], true);
    buurtnet_tests::harness::eventually("the Flag reaches noor's node and its coordinator", || async {
        let all = buurtnet_domain::store::notifications::for_recipient(&mut away.store().conn().await?, piet.id, 10).await?;
        Ok(all.iter().any(|n| n.kind == "admin.report").then_some(()))
    })
    .await?;
    Ok(())
}

async fn server_sent_events_carry_new_posts_and_need_a_token_for_the_user_stream(backend: Backend) -> Result<()> {
    let node = TestNode::start(backend).await?;
    node.add_member("fatima", None).await?;
    let f = Session::start(&node, "fatima").await?;
    let client = Client::new();
    let anonymous_user = client.get(format!("{}/api/v1/streaming/user", f.base)).send().await?;
    assert_eq!(anonymous_user.status(), StatusCode::UNAUTHORIZED);
    let bad_token = client.get(format!("{}/api/v1/streaming/public?access_token=verzonnen", f.base)).send().await?;
    assert_eq!(bad_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(client.get(format!("{}/api/v1/streaming/health", f.base)).send().await?.text().await?, "OK");

    let mut stream = client.get(format!("{}/api/v1/streaming/user", f.base)).header("authorization", bearer(&f.token)).send().await?;
    assert!(stream.headers()["content-type"].to_str()?.starts_with("text/event-stream"));
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    f.post("/api/v1/statuses", json!({"status": "Nieuws uit de buurt, live"})).await?;
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    while !(seen.contains("event: update") && seen.contains("Nieuws uit de buurt, live")) {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk()).await.context("no update within 15 s")??.context("stream ended")?;
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    Ok(())
}

//! A Mastodon app as a test needs one: registered, with a member's bearer token from the
//! password grant (the test accounts' password is the harness's).

use anyhow::{Context as _, Result};
use serde_json::{Value, json};

/// `Bearer …` for `username` on the node at `base`, with `scope`.
pub async fn bearer(base: &str, username: &str, scope: &str) -> Result<String> {
    let client = reqwest::Client::new();
    let app: Value = client
        .post(format!("{base}/api/v1/apps"))
        .json(&json!({"client_name": "test", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": scope}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let form = [
        ("grant_type", "password"),
        ("client_id", app["client_id"].as_str().context("client_id")?),
        ("client_secret", app["client_secret"].as_str().context("client_secret")?),
        ("username", username),
        ("password", crate::harness::PASSWORD),
        ("scope", scope),
    ];
    let token: Value = client.post(format!("{base}/oauth/token")).form(&form).send().await?.error_for_status()?.json().await?;
    Ok(format!("Bearer {}", token["access_token"].as_str().context("access_token")?))
}

/// The status `uri` as `bearer`'s member finds it through search (without fetching it), if any.
pub async fn find_status(base: &str, bearer: &str, uri: &str) -> Result<Option<Value>> {
    let found: Value = reqwest::Client::new()
        .get(format!("{base}/api/v2/search"))
        .query(&[("q", uri), ("type", "statuses"), ("resolve", "false")])
        .header("authorization", bearer)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(found["statuses"].get(0).cloned())
}

/// A member's app: calls with their bearer token, JSON in and out.
pub struct Session {
    pub client: reqwest::Client,
    pub base: String,
    pub bearer: String,
}

impl Session {
    /// Registers an app and logs `username` in with the scopes `read write follow`.
    pub async fn start(base: &str, username: &str) -> Result<Session> {
        let bearer = bearer(base, username, "read write follow").await?;
        Ok(Session { client: reqwest::Client::new(), base: base.to_string(), bearer })
    }

    /// The answer to a GET, whatever its status.
    pub async fn response(&self, path: &str) -> Result<reqwest::Response> {
        Ok(self.client.get(format!("{}{path}", self.base)).header("authorization", &self.bearer).send().await?)
    }

    /// The JSON of a GET that must succeed.
    pub async fn get(&self, path: &str) -> Result<Value> {
        Ok(self.response(path).await?.error_for_status()?.json().await?)
    }

    /// The JSON of a POST (JSON body) that must succeed.
    pub async fn post(&self, path: &str, body: Value) -> Result<Value> {
        let request = self.client.post(format!("{}{path}", self.base)).header("authorization", &self.bearer).json(&body);
        Ok(request.send().await?.error_for_status()?.json().await?)
    }
}

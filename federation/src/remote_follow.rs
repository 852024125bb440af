//! "Follow from your own server": the remote-follow pattern. A visitor of one of our
//! profiles gives their own address (`@anna@mastodon.example`); we read their server's
//! WebFinger for the `http://ostatus.org/schema/1.0/subscribe` template and send the
//! browser there with our actor's address filled in. Their server then asks them to confirm
//! and sends the `Follow`. The lookup obeys the same safety rules as every other fetch.

use crate::error::FederationError;
use crate::safety::check_url;
use crate::state::Context;
use url::Url;

const SUBSCRIBE: &str = "http://ostatus.org/schema/1.0/subscribe";
/// Largest WebFinger answer we read.
const MAX_BYTES: usize = 64 * 1024;

/// Where to send a visitor whose address is `their_handle` so that they can follow `target`
/// (an actor's id or `user@host`).
pub async fn subscribe_url(their_handle: &str, target: &str, context: &Context) -> Result<Url, FederationError> {
    let handle = their_handle.trim().trim_start_matches('@');
    let (user, host) = handle
        .split_once('@')
        .filter(|(u, h)| !u.is_empty() && !h.is_empty() && !h.contains('/'))
        .ok_or_else(|| FederationError::Malformed(format!("{their_handle:?} is not an address like @naam@server.nl")))?;
    let scheme = if context.dev { "http" } else { "https" };
    let mut webfinger =
        Url::parse(&format!("{scheme}://{host}/.well-known/webfinger")).map_err(|e| FederationError::Malformed(format!("{host}: {e}")))?;
    webfinger.query_pairs_mut().append_pair("resource", &format!("acct:{user}@{host}"));
    check_url(&webfinger, context.dev).map_err(|e| FederationError::Malformed(e.to_string()))?;
    let response = context
        .client
        .get(webfinger.clone())
        .header("accept", "application/jrd+json, application/json")
        .send()
        .await
        .map_err(|e| FederationError::Malformed(format!("{host} did not answer: {e}")))?;
    if !response.status().is_success() {
        return Err(FederationError::Malformed(format!("{host} does not know {user} ({})", response.status())));
    }
    let body = crate::bounded::read(response, MAX_BYTES, crate::bounded::READ_TIME)
        .await
        .map_err(|e| FederationError::Malformed(format!("{host}: WebFinger: {e}")))?;
    let document: serde_json::Value = serde_json::from_slice(&body).map_err(|e| FederationError::Malformed(format!("{host}: {e}")))?;
    let url = subscribe_template(&document, target).map_err(|why| FederationError::Malformed(format!("{host}: {why}")))?;
    if url.scheme() == "http" && !context.dev {
        return Err(FederationError::Malformed(format!("{host}: subscribe template is not a web address")));
    }
    Ok(url)
}

/// The address a WebFinger `document` gives for following `target` from its server: the
/// subscribe template with `{uri}` filled in, an http(s) URL. `Err`: why there is none.
pub fn subscribe_template(document: &serde_json::Value, target: &str) -> Result<Url, String> {
    let template = document["links"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["rel"] == SUBSCRIBE)
        .and_then(|l| l["template"].as_str())
        .ok_or("does not offer following from elsewhere")?;
    let url = Url::parse(&template.replace("{uri}", &url_encode(target))).map_err(|e| format!("subscribe template: {e}"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err("subscribe template is not a web address".into());
    }
    Ok(url)
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

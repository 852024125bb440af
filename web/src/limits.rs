//! The node's rate limits, all in one place (governor's GCRA, one state per key, pruned once
//! a key has recovered, so memory stays bounded). Requests count per client address, which
//! [`ClientAddress`] takes from the connection or, when the connection comes from one of the
//! node's `web.trusted_proxies`, from the `X-Forwarded-For` that proxy added.
//!
//! - **Outward**: anonymous forms that make this node work for someone it does not know:
//!   following from elsewhere (which reads another server's WebFinger) and signing up.
//!   [`OUTWARD_PER_MINUTE`] a minute per address.
//! - **Logins**: the login form, the consent page's login and OAuth token requests:
//!   [`LOGINS_PER_MINUTE`] a minute per address.
//! - **Wrong passwords** slow down whoever guesses, never the owner: counted per account (the
//!   same bucket whether the name or the e-mail address was typed) *and* client address. After
//!   [`FREE_FAILURES`] a client must wait before it may try that account again, two seconds
//!   doubling with each further failure up to a quarter of an hour. The owner, on another
//!   address, is not held up; a successful login clears the client's count. These counts are
//!   kept in the database (`ops::password_guessing`), so they hold whichever of several
//!   processes on one database answers.
//! - **Questions**: "Vraag het ons", the form anyone may send to an initiative's
//!   coordinators: [`QUESTIONS_PER_HOUR`] an hour per address, counted whether or not the
//!   question was taken (so the simple sum on the form cannot be guessed at).
//! - **Guests**: signing up for an event without an account: [`GUESTS_PER_HOUR`] an hour
//!   per address, counted whether or not the sign-up was taken.
//! - **Streams**: at most [`STREAMS_PER_ADDRESS`] streaming connections open at once from one
//!   address ([`Limits::open_stream`]).
//!
//! Every limit but the wrong passwords lives in this process's memory: with several
//! processes behind one proxy (docs/operations.md) a client may reach each of them, so it
//! gets at most that many times the allowance. They brake cost and spam, not guessing, and a
//! database write on every request would cost more than they save; the one limit that guards
//! against guessing holds across processes.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use buurtnet_domain::ops::password_guessing;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const OUTWARD_PER_MINUTE: u32 = 10;
pub const LOGINS_PER_MINUTE: u32 = 60;
pub const QUESTIONS_PER_HOUR: u32 = 5;
/// Sign-ups for events without an account (a family at one address signs up together).
pub const GUESTS_PER_HOUR: u32 = 10;
pub use buurtnet_domain::ops::password_guessing::FREE_FAILURES;
/// Streaming connections (WebSocket or server-sent events) open at once from one address.
pub const STREAMS_PER_ADDRESS: usize = 8;
/// How many keys a limiter holds before it drops those that have recovered.
const PRUNE_ABOVE: usize = 10_000;

/// Which limit a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Outward,
    Login,
    Question,
    Guest,
}

/// The limits of one node (several nodes in one process each have their own).
pub struct Limits {
    outward: DefaultKeyedRateLimiter<IpAddr>,
    logins: DefaultKeyedRateLimiter<IpAddr>,
    questions: DefaultKeyedRateLimiter<IpAddr>,
    guests: DefaultKeyedRateLimiter<IpAddr>,
    streams: Mutex<HashMap<IpAddr, usize>>,
}

/// A streaming connection counted against its address while it lives.
pub struct OpenStream {
    limits: Arc<Limits>,
    client: IpAddr,
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        let mut streams = self.limits.streams.lock().expect("streams lock");
        if let Some(count) = streams.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                streams.remove(&self.client);
            }
        }
    }
}

/// A password check under way, for [`Limits::end_password`].
pub struct PasswordAttempt {
    account: String,
    client: String,
}

/// Refused: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany(pub Duration);

impl Default for Limits {
    fn default() -> Self {
        let per_minute = |n: u32| Quota::per_minute(NonZeroU32::new(n).expect("a limit above zero"));
        let per_hour = |n: u32| Quota::per_hour(NonZeroU32::new(n).expect("a limit above zero"));
        Limits {
            outward: RateLimiter::keyed(per_minute(OUTWARD_PER_MINUTE)),
            logins: RateLimiter::keyed(per_minute(LOGINS_PER_MINUTE)),
            questions: RateLimiter::keyed(per_hour(QUESTIONS_PER_HOUR)),
            guests: RateLimiter::keyed(per_hour(GUESTS_PER_HOUR)),
            streams: Mutex::new(HashMap::new()),
        }
    }
}

impl Limits {
    /// Counts a request of `kind` from `client`.
    pub fn check(&self, kind: Kind, client: IpAddr) -> Result<(), TooMany> {
        let limiter = match kind {
            Kind::Outward => &self.outward,
            Kind::Login => &self.logins,
            Kind::Question => &self.questions,
            Kind::Guest => &self.guests,
        };
        if limiter.len() > PRUNE_ABOVE {
            limiter.retain_recent();
        }
        limiter
            .check_key(&client)
            .map_err(|not_until| TooMany(not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()))))
    }

    /// Counts a streaming connection from `client` while the returned value lives; `None`
    /// when that address has [`STREAMS_PER_ADDRESS`] open already.
    pub fn open_stream(self: &Arc<Self>, client: IpAddr) -> Option<OpenStream> {
        let mut streams = self.streams.lock().expect("streams lock");
        let count = streams.entry(client).or_insert(0);
        if *count >= STREAMS_PER_ADDRESS {
            return None;
        }
        *count += 1;
        Some(OpenStream { limits: self.clone(), client })
    }

    /// Before checking a password typed as `username_or_email` by `client`: refuses when this
    /// client must wait for this account. (The request itself is counted by [`Kind::Login`].)
    pub async fn begin_password(
        &self,
        store: &buurtnet_domain::Store,
        username_or_email: &str,
        client: IpAddr,
    ) -> Result<PasswordAttempt, TooMany> {
        let account = buurtnet_domain::ops::actors::login_key(store, username_or_email)
            .await
            .unwrap_or_else(|_| format!("name:{}", username_or_email.trim().to_lowercase()));
        let attempt = PasswordAttempt { account, client: client.to_string() };
        match password_guessing::wait_left(store, &attempt.account, &attempt.client, buurtnet_domain::now_ms()).await {
            Ok(None) => Ok(attempt),
            Ok(Some(left)) => Err(TooMany(Duration::from_millis(left.unsigned_abs()))),
            Err(e) => {
                tracing::error!(error = %e, "could not read the wrong passwords of a client; refusing the try");
                Err(TooMany(Duration::from_secs(1)))
            }
        }
    }

    /// How the attempt begun by [`Limits::begin_password`] ended.
    pub async fn end_password(&self, store: &buurtnet_domain::Store, attempt: &PasswordAttempt, right: bool) {
        let (account, client) = (&attempt.account, &attempt.client);
        let kept = if right {
            password_guessing::right(store, account, client).await
        } else {
            password_guessing::wrong(store, account, client, buurtnet_domain::now_ms()).await
        };
        if let Err(e) = kept {
            tracing::error!(error = %e, "could not count a password try");
        }
    }
}

/// The client's address: the connection's, or, when that is a trusted proxy, the last
/// address in `X-Forwarded-For` that is not itself a trusted proxy (what the nearest proxy
/// saw; earlier entries are the client's own word and could be anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    pub fn from_parts(connection: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> ClientAddress {
        if !trusted.contains(&connection) {
            return ClientAddress(connection);
        }
        let hops = forwarded_for.unwrap_or_default().split(',').rev().map(str::trim);
        let client = hops.filter_map(|hop| hop.parse::<IpAddr>().ok()).find(|ip| !trusted.contains(ip));
        ClientAddress(client.unwrap_or(connection))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let connection = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let trusted = parts.extensions.get::<Arc<crate::WebSettings>>().map(|s| s.trusted_proxies.clone()).unwrap_or_default();
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
        Ok(ClientAddress::from_parts(connection, Some(&forwarded), &trusted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy = IpAddr::from([10, 0, 0, 2]);
        let trusted = [proxy];
        let client = IpAddr::from([145, 97, 1, 1]);
        let direct = IpAddr::from([203, 0, 113, 9]);
        assert_eq!(ClientAddress::from_parts(direct, Some("1.2.3.4"), &trusted).0, direct, "anyone can write the header");
        assert_eq!(ClientAddress::from_parts(proxy, Some("1.2.3.4, 145.97.1.1"), &trusted).0, client, "the proxy's word");
        assert_eq!(ClientAddress::from_parts(proxy, Some("145.97.1.1, 10.0.0.2"), &trusted).0, client, "past trusted hops");
        assert_eq!(ClientAddress::from_parts(proxy, None, &trusted).0, proxy);
    }

    #[test]
    fn requests_per_address_are_limited() {
        let limits = Limits::default();
        let client = IpAddr::from([145, 97, 1, 1]);
        for _ in 0..OUTWARD_PER_MINUTE {
            assert_eq!(limits.check(Kind::Outward, client), Ok(()));
        }
        assert!(limits.check(Kind::Outward, client).is_err());
        assert_eq!(limits.check(Kind::Outward, IpAddr::from([145, 97, 1, 2])), Ok(()), "per address");
    }

    #[test]
    fn streams_are_counted_per_address_while_they_live() {
        let limits = Arc::new(Limits::default());
        let client = IpAddr::from([145, 97, 1, 1]);
        let open: Vec<_> = (0..STREAMS_PER_ADDRESS).map(|_| limits.open_stream(client).expect("within the cap")).collect();
        assert!(limits.open_stream(client).is_none(), "one more is refused");
        assert!(limits.open_stream(IpAddr::from([145, 97, 1, 2])).is_some(), "per address");
        drop(open);
        assert!(limits.open_stream(client).is_some(), "closed ones no longer count");
    }
}

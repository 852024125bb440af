//! OAuth 2 for Mastodon clients: scopes as Mastodon defines them, and the apps, codes and
//! tokens that carry them. Secrets are kept only as SHA-256 hashes.

use crate::error::{DomainError, Result, Say};
use std::collections::BTreeSet;

/// The scopes a token may hold. `read`, `write`, `follow`, `push` and the granular ones
/// (`read:statuses`, `write:media`, ...), as Mastodon has them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(BTreeSet<String>);

const TOP: [&str; 5] = ["read", "write", "follow", "push", "profile"];
const READ: [&str; 12] = [
    "accounts",
    "blocks",
    "bookmarks",
    "favourites",
    "filters",
    "follows",
    "lists",
    "mutes",
    "notifications",
    "search",
    "statuses",
    "reports",
];
const WRITE: [&str; 13] = [
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
];

impl Scopes {
    /// Parses a space- (or plus-, or comma-) separated list; unknown scopes are refused.
    /// An empty list means `read`, as Mastodon does.
    pub fn parse(text: &str) -> Result<Scopes> {
        let mut set = BTreeSet::new();
        for scope in text.split([' ', '+', ',']).map(str::trim).filter(|s| !s.is_empty()) {
            if !is_known(scope) {
                return Err(DomainError::invalid("scope", Say::UnknownScope(scope.to_string())));
            }
            set.insert(scope.to_string());
        }
        if set.is_empty() {
            set.insert("read".into());
        }
        Ok(Scopes(set))
    }

    /// Whether these scopes allow what `required` names (`read:statuses` is covered by `read`;
    /// `read:follows` and `write:follows` also by `follow`).
    pub fn covers(&self, required: &str) -> bool {
        if self.0.contains(required) {
            return true;
        }
        let Some((top, _)) = required.split_once(':') else { return false };
        if self.0.contains(top) {
            return true;
        }
        let follow_covers =
            matches!(required, "read:follows" | "write:follows" | "read:blocks" | "write:blocks" | "read:mutes" | "write:mutes");
        follow_covers && self.0.contains("follow")
    }

    /// Whether every scope in `other` is allowed by these (a token may not exceed its app).
    pub fn includes_all(&self, other: &Scopes) -> bool {
        other.0.iter().all(|s| self.covers(s))
    }

    pub fn as_text(&self) -> String {
        self.0.iter().cloned().collect::<Vec<_>>().join(" ")
    }
}

fn is_known(scope: &str) -> bool {
    match scope.split_once(':') {
        None => TOP.contains(&scope),
        Some(("read", what)) => READ.contains(&what),
        Some(("write", what)) => WRITE.contains(&what),
        Some(("admin", _)) => false,
        _ => false,
    }
}

/// A client application registered through `POST /api/v1/apps`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OAuthApp {
    pub id: i64,
    pub client_id: String,
    pub secret_hash: String,
    pub name: String,
    /// One per line, as registered.
    pub redirect_uris: String,
    pub scopes: String,
    pub website: Option<String>,
    pub created_at: i64,
}

impl OAuthApp {
    pub fn allows_redirect(&self, uri: &str) -> bool {
        self.redirect_uris.lines().any(|r| r == uri)
    }
}

/// An access token as stored (the token itself only as a hash).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OAuthToken {
    pub id: i64,
    pub app_id: i64,
    /// `None` for a client-credentials token (the app itself, no member).
    pub member_id: Option<i64>,
    pub scopes: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    /// Unix milliseconds after which the token no longer works; `None`: until revoked.
    pub expires_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_cover_as_mastodon_does() {
        let s = Scopes::parse("read write:statuses follow").unwrap();
        assert!(s.covers("read:notifications") && s.covers("write:statuses") && s.covers("write:follows"));
        assert!(!s.covers("write:media") && !s.covers("push"));
        assert_eq!(Scopes::parse("").unwrap().as_text(), "read");
        assert!(Scopes::parse("read admin:read").is_err() && Scopes::parse("lezen").is_err());
        assert!(Scopes::parse("read write").unwrap().includes_all(&Scopes::parse("read:statuses write").unwrap()));
        assert!(!Scopes::parse("read").unwrap().includes_all(&Scopes::parse("write").unwrap()));
    }
}

//! Where a node's own objects live. Ids of local objects are built here and nowhere else.

use url::Url;

/// The public base of a node, such as `https://buurt.example` or `http://localhost:8081`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalUrls {
    base: Url,
}

/// The username the instance actor is stored under; reserved for it.
pub const INSTANCE_ACTOR_USERNAME: &str = "instance.actor";

impl LocalUrls {
    /// `domain` is the public host, with port in development (`localhost:8081`).
    pub fn new(domain: &str, https: bool) -> Result<Self, url::ParseError> {
        let scheme = if https { "https" } else { "http" };
        Ok(LocalUrls { base: Url::parse(&format!("{scheme}://{domain}/"))? })
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// Host with port, as in handles (`alice@localhost:8081`).
    pub fn domain(&self) -> String {
        match self.base.port() {
            Some(port) => format!("{}:{port}", self.base.host_str().unwrap_or_default()),
            None => self.base.host_str().unwrap_or_default().to_string(),
        }
    }

    fn join(&self, path: &str) -> Url {
        self.base.join(path).expect("local paths are valid")
    }

    pub fn instance_actor(&self) -> Url {
        self.join("actor")
    }

    pub fn person(&self, username: &str) -> Url {
        self.join(&format!("users/{username}"))
    }

    pub fn group(&self, slug: &str) -> Url {
        self.join(&format!("initiatives/{slug}"))
    }

    /// This node's replica of a coalition.
    pub fn coalition(&self, slug: &str) -> Url {
        self.join(&format!("coalitions/{slug}"))
    }

    pub fn shared_inbox(&self) -> Url {
        self.join("inbox")
    }

    /// `{actor}/{part}` for inbox, outbox, followers and following.
    pub fn actor_part(actor: &Url, part: &str) -> Url {
        Url::parse(&format!("{}/{part}", actor.as_str().trim_end_matches('/'))).expect("actor ids are valid URLs")
    }

    pub fn key_id(actor: &Url) -> String {
        format!("{actor}#main-key")
    }

    pub fn note(&self, id: i64) -> Url {
        self.join(&format!("notes/{id}"))
    }

    /// Where an uploaded file is served.
    pub fn media(&self, file_name: &str) -> Url {
        self.join(&format!("media/{file_name}"))
    }

    /// A fresh id for an activity.
    pub fn new_activity(&self) -> Url {
        let token: u128 = rand::random();
        self.activity(&format!("{token:032x}"))
    }

    /// The activity with this token (the last part of a [`LocalUrls::new_activity`] id).
    pub fn activity(&self, token: &str) -> Url {
        self.join(&format!("activities/{token}"))
    }

    /// Whether `id` is an activity id made by [`LocalUrls::new_activity`] here.
    pub fn is_activity(&self, id: &str) -> bool {
        id.strip_prefix(self.join("activities/").as_str()).is_some_and(|token| !token.is_empty() && !token.contains(['/', '?', '#']))
    }

    /// Whether `url` points at this node.
    pub fn is_local(&self, url: &str) -> bool {
        Url::parse(url).is_ok_and(|u| u.origin() == self.base.origin())
    }

    /// Whether `url` has the shape of an initiative's id here ([`Self::group`], the only way
    /// one is made): what is not needs no look in the database to know it is none.
    pub fn may_be_local_group(&self, url: &str) -> bool {
        url.strip_prefix(self.join("initiatives/").as_str()).is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_ids_with_port_in_dev() {
        let urls = LocalUrls::new("localhost:8081", false).unwrap();
        assert_eq!(urls.person("alice").as_str(), "http://localhost:8081/users/alice");
        assert!(urls.may_be_local_group(urls.group("buurtkeuken").as_str()));
        assert!(!urls.may_be_local_group(urls.person("alice").as_str()));
        assert!(!urls.may_be_local_group("http://localhost:8081/initiatives/buurtkeuken/inbox"));
        assert!(!urls.may_be_local_group("https://elders.example/initiatives/buurtkeuken"));
        assert_eq!(urls.domain(), "localhost:8081");
        assert_eq!(LocalUrls::actor_part(&urls.person("alice"), "inbox").as_str(), "http://localhost:8081/users/alice/inbox");
        assert!(urls.is_local("http://localhost:8081/notes/1"));
        assert!(!urls.is_local("http://localhost:8082/notes/1"));
        assert_ne!(urls.new_activity(), urls.new_activity());
        assert!(urls.is_activity(urls.new_activity().as_str()));
        assert!(!urls.is_activity("http://localhost:8081/activities/"));
        assert!(!urls.is_activity("http://localhost:8082/activities/ab"));
        assert!(!urls.is_activity("http://localhost:8081/notes/1"));
    }
}

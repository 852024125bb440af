//! Posts (`Note`s): what members and initiatives write, and what we receive.

use crate::error::{DomainError, Result, Say};
use serde::{Deserialize, Serialize};

/// Who may read a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Anyone, listed in public timelines.
    Public,
    /// Anyone with the link, not listed (Mastodon's "unlisted").
    Unlisted,
    /// Accepted followers of the author.
    Followers,
    /// Only the actors named as recipients.
    Direct,
    /// The member initiatives of the coalitions the author's initiatives are members of (as
    /// their membership logs say), and the members of their nodes.
    Coalition,
    /// Members of this node only; never federated.
    Local,
    /// The author and the coordinators of the initiatives the author belongs to here: a
    /// resident's need that she wants only her coordinators to see (they pass it on without
    /// her name). Never federated, never listed for anyone else.
    Coordinators,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Followers => "followers",
            Visibility::Direct => "direct",
            Visibility::Coalition => "coalition",
            Visibility::Local => "local",
            Visibility::Coordinators => "coordinators",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "public" => Ok(Visibility::Public),
            "unlisted" => Ok(Visibility::Unlisted),
            "followers" | "private" => Ok(Visibility::Followers),
            "direct" => Ok(Visibility::Direct),
            "coalition" => Ok(Visibility::Coalition),
            "local" => Ok(Visibility::Local),
            "coordinators" => Ok(Visibility::Coordinators),
            _ => Err(DomainError::invalid("visibility", Say::VisibilityUnknown)),
        }
    }
}

impl Visibility {
    /// Whether peers ever hear of a post with this visibility.
    pub fn federates(self) -> bool {
        !matches!(self, Visibility::Local | Visibility::Coordinators)
    }

    /// Refuses a direct message where the post is for an audience (an offer or need, an
    /// event, an article).
    pub fn for_an_audience(self) -> Result<Self> {
        match self {
            Visibility::Direct => Err(DomainError::invalid("visibility", Say::NotADirectMessage)),
            audience => Ok(audience),
        }
    }
}

impl TryFrom<String> for Visibility {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self> {
        Visibility::parse(&value).map_err(|_| DomainError::Corrupt(format!("unknown visibility {value:?}")))
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Post {
    pub id: i64,
    pub ap_id: String,
    pub author_id: i64,
    /// Sanitised HTML.
    pub content: String,
    /// What a local author typed, kept for editing.
    pub source: Option<String>,
    /// Content warning.
    pub summary: Option<String>,
    #[sqlx(try_from = "String")]
    pub visibility: Visibility,
    pub in_reply_to: Option<String>,
    pub url: Option<String>,
    pub published: i64,
    pub updated: Option<i64>,
    pub deleted_at: Option<i64>,
    pub is_local: bool,
    pub created_at: i64,
    /// ISO 639 code, when known.
    pub language: Option<String>,
}

impl Post {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

/// A post to store. Local drafts are validated by `ops::posts`; remote ones arrive sanitised.
#[derive(Debug, Clone)]
pub struct NewPost {
    pub ap_id: String,
    pub author_id: i64,
    pub content: String,
    pub source: Option<String>,
    pub summary: Option<String>,
    pub visibility: Visibility,
    pub in_reply_to: Option<String>,
    pub url: Option<String>,
    pub published: i64,
    pub updated: Option<i64>,
    pub is_local: bool,
    /// Actors addressed by id (mentions and direct recipients).
    pub recipients: Vec<String>,
    /// ISO 639 code, when known.
    pub language: Option<String>,
}

impl NewPost {
    /// A new local post by `author_id`, with a placeholder id: `ops::posts::insert_local`
    /// gives it its real id once its row exists.
    pub fn local(author_id: i64, content: String, source: String, visibility: Visibility) -> NewPost {
        NewPost {
            ap_id: format!("urn:buurtnet:pending:{:032x}", rand::random::<u128>()),
            author_id,
            content,
            source: Some(source),
            summary: None,
            visibility,
            in_reply_to: None,
            url: None,
            published: crate::now_ms(),
            updated: None,
            is_local: true,
            recipients: vec![],
            language: None,
        }
    }
}

/// A change to an existing post's text.
#[derive(Debug, Clone)]
pub struct PostEdit {
    pub content: String,
    pub source: Option<String>,
    pub summary: Option<String>,
    pub updated: i64,
}

/// A language code as we keep it: two or three ASCII letters, lower-cased; anything else is
/// no language.
pub fn language_code(code: &str) -> Option<String> {
    let code = code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    ((2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase())).then_some(code)
}

//! The file an initiative travels in from one node to another: one JSON document with a
//! format version. It is never stored in a database; the receiving node reads it as foreign
//! input (its size bounded, its version checked here, every field checked again on import).

use crate::error::{DomainError, Result, Say};
use serde::{Deserialize, Serialize};

/// The format this version writes and the newest it reads.
pub const FORMAT: u32 = 1;
/// The largest file an import reads: far more than an initiative's text ever takes.
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// An initiative on its way to another node.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handover {
    pub format: u32,
    /// The Buurtnet version that wrote it.
    pub made_by: String,
    /// Unix milliseconds.
    pub made_at: i64,
    /// The domain of the node it left.
    pub from_domain: String,
    pub initiative: Profile,
    pub members: Vec<Member>,
    pub posts: Vec<HandedPost>,
    pub coalitions: Vec<CoalitionSeat>,
}

/// What the initiative says of itself and how it chose to work.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Its id on the node it left (to tell its own coalition replica from the others').
    pub old_ap_id: String,
    pub username: String,
    pub display_name: String,
    /// Plain text, as its coordinators typed it.
    pub description: String,
    pub phone: String,
    pub address: String,
    pub walk_in_hours: String,
    pub contact_text: String,
    pub manually_approves_followers: bool,
    /// Days closed needs and offers are kept (`ops::initiatives::keep_needs_days`).
    pub keep_needs_days: i64,
    /// Who sees its needs when nobody chose (`public`, `unlisted`, ...).
    pub default_need_visibility: String,
}

/// A member who chose to move along, with her login as it was.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// Her password's Argon2 hash (PHC string), so her password stays the same.
    pub password_hash: String,
    /// `member` or `coordinator`.
    pub role: String,
}

/// One of the initiative's own posts, public or unlisted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandedPost {
    /// When it was first published (Unix milliseconds); it keeps that time.
    pub published: i64,
    /// `public` or `unlisted`.
    pub visibility: String,
    pub content_warning: Option<String>,
    pub body: Body,
}

/// What kind of post it is, with its own fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Body {
    /// A plain post, as typed.
    Note { text: String },
    /// An open offer or need (`purpose` `offer` or `request`).
    Proposal {
        purpose: String,
        title: String,
        description: String,
        category: String,
        neighbourhood: Option<String>,
        /// `YYYY-MM-DD`, both absent when the time is flexible.
        when_from: Option<String>,
        when_to: Option<String>,
        expires_at: Option<i64>,
    },
    /// A planned activity.
    Event {
        title: String,
        description: String,
        /// Unix milliseconds.
        starts_at: i64,
        ends_at: Option<i64>,
        timezone: String,
        place_name: Option<String>,
        place_address: Option<String>,
        latitude: Option<f64>,
        longitude: Option<f64>,
        online_url: Option<String>,
        capacity: Option<i64>,
        join_mode: String,
        asks_lift: bool,
        asks_diet: bool,
    },
}

/// A coalition the initiative was a member of, and where its members' replicas are.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoalitionSeat {
    /// The coalition's id (its founding's hash).
    pub coalition: String,
    pub name: Option<String>,
    /// The replicas of its members, as the coalition's log says (member → replica URL).
    pub replicas: Vec<(String, String)>,
}

/// Reads a handover file: well-formed JSON of a format this version knows.
pub fn parse(bytes: &[u8]) -> Result<Handover> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(DomainError::invalid("file", Say::HandoverTooLarge(MAX_BYTES)));
    }
    #[derive(Deserialize)]
    struct Version {
        format: u32,
    }
    let version: Version = serde_json::from_slice(bytes).map_err(|e| DomainError::invalid("file", Say::HandoverNotAFile(e.to_string())))?;
    if version.format == 0 || version.format > FORMAT {
        return Err(DomainError::invalid("format", Say::HandoverFormat(version.format, FORMAT)));
    }
    serde_json::from_slice(bytes).map_err(|e| DomainError::invalid("file", Say::HandoverDamaged(e.to_string())))
}

/// Writes a handover file.
pub fn write(handover: &Handover) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(handover).map_err(|e| DomainError::Internal(format!("writing the handover file: {e}")))
}

/// A small handover for unit tests: `zorg` with one plain post.
#[cfg(test)]
pub(crate) fn sample() -> Handover {
    tests::sample()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn sample() -> Handover {
        Handover {
            format: FORMAT,
            made_by: "test".into(),
            made_at: 1,
            from_domain: "oud.example".into(),
            initiative: Profile {
                old_ap_id: "https://oud.example/groups/zorg".into(),
                username: "zorg".into(),
                display_name: "Zorg".into(),
                description: String::new(),
                phone: String::new(),
                address: String::new(),
                walk_in_hours: String::new(),
                contact_text: String::new(),
                manually_approves_followers: false,
                keep_needs_days: 180,
                default_need_visibility: "public".into(),
            },
            members: vec![],
            posts: vec![HandedPost {
                published: 1,
                visibility: "public".into(),
                content_warning: None,
                body: Body::Note { text: "Soep".into() },
            }],
            coalitions: vec![],
        }
    }

    #[test]
    fn a_file_of_this_format_reads_back() {
        let read = parse(&write(&sample()).unwrap()).unwrap();
        assert_eq!(read.initiative.username, "zorg");
        assert!(matches!(&read.posts[0].body, Body::Note { text } if text == "Soep"));
    }

    #[test]
    fn a_newer_or_missing_format_is_refused() {
        let newer = Handover { format: FORMAT + 1, ..sample() };
        let error = parse(&write(&newer).unwrap()).unwrap_err();
        let newer_format = crate::words::Say::HandoverFormat(FORMAT + 1, FORMAT).into();
        assert!(matches!(&error, DomainError::Invalid(v) if v[0].message == newer_format), "{error}");
        let mut value = serde_json::to_value(sample()).unwrap();
        value.as_object_mut().unwrap().remove("format");
        assert!(parse(value.to_string().as_bytes()).is_err());
        assert!(parse(&write(&Handover { format: 0, ..sample() }).unwrap()).is_err());
    }

    #[test]
    fn a_damaged_file_is_refused() {
        let whole = write(&sample()).unwrap();
        assert!(parse(&whole[..whole.len() / 2]).is_err());
        assert!(parse(b"not json").is_err());
    }
}

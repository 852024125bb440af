//! Images attached to posts, with the alt text our users rely on.

/// Longest alt text, as Mastodon allows.
pub const MAX_DESCRIPTION_CHARS: usize = 1500;
/// Largest image accepted, in bytes.
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
/// Most images on one post.
pub const MAX_ATTACHMENTS: usize = 4;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Media {
    pub id: i64,
    pub owner_id: i64,
    pub post_id: Option<i64>,
    /// A local file under the media directory.
    pub file_name: Option<String>,
    /// A peer's image, linked to.
    pub remote_url: Option<String>,
    pub content_type: String,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub description: String,
    pub blurhash: Option<String>,
    pub created_at: i64,
}

/// What an upload or a peer's attachment gives us to store.
#[derive(Debug, Clone, Default)]
pub struct NewMedia {
    pub file_name: Option<String>,
    pub remote_url: Option<String>,
    pub content_type: String,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub description: String,
    pub blurhash: Option<String>,
}

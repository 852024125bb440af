//! Images: an upload is recorded for its member first (the file is already written by the
//! web layer), described (alt text), then attached to the member's next post in the post's
//! own transaction. Peers' images are recorded as links.

use crate::error::{DomainError, Result, Say};
use crate::model::Actor;
use crate::model::media::{MAX_ATTACHMENTS, MAX_DESCRIPTION_CHARS, Media, NewMedia};
use crate::store::{self, Store};

fn check_description(description: &str) -> Result<String> {
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(DomainError::invalid("description", Say::AtMostChars(MAX_DESCRIPTION_CHARS)));
    }
    Ok(description.trim().to_string())
}

/// Records an uploaded image for `member`, not yet attached to a post.
pub async fn record_upload(store: &Store, member: &Actor, mut media: NewMedia) -> Result<Media> {
    media.description = check_description(&media.description)?;
    let mut tx = store.begin().await?;
    let stored = store::media::insert(&mut tx, member.id, None, &media).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Changes the alt text of one of the member's images.
pub async fn describe(store: &Store, member: &Actor, id: i64, description: &str) -> Result<Media> {
    let description = check_description(description)?;
    let mut tx = store.begin().await?;
    let media = store::media::by_id(&mut tx, id).await?;
    if media.owner_id != member.id {
        return Err(DomainError::NotFound);
    }
    store::media::set_description(&mut tx, id, &description).await?;
    let media = store::media::by_id(&mut tx, id).await?;
    tx.commit().await?;
    Ok(media)
}

/// One of the member's images, for them.
pub async fn own(store: &Store, member: &Actor, id: i64) -> Result<Media> {
    let media = store::media::by_id(&mut store.conn().await?, id).await?;
    if media.owner_id != member.id {
        return Err(DomainError::NotFound);
    }
    Ok(media)
}

/// Attaches the member's unattached images to a new post (in the post's transaction).
pub(crate) async fn attach(tx: &mut store::Tx, member: &Actor, post_id: i64, ids: &[i64]) -> Result<()> {
    if ids.len() > MAX_ATTACHMENTS {
        return Err(DomainError::invalid("media_ids", Say::AtMostImages(MAX_ATTACHMENTS)));
    }
    for id in ids {
        let media = store::media::by_id(tx, *id).await.map_err(|_| DomainError::invalid("media_ids", Say::UnknownImage))?;
        if media.owner_id != member.id || media.post_id.is_some() {
            return Err(DomainError::invalid("media_ids", Say::UnknownImage));
        }
        store::media::attach(tx, *id, post_id).await?;
    }
    Ok(())
}

/// The images of a post, in order.
pub async fn of_post(store: &Store, post_id: i64) -> Result<Vec<Media>> {
    store::media::for_post(&mut store.conn().await?, post_id).await
}

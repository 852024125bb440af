//! A post's attachments as its page shows them: pictures as pictures (the description as alt
//! text), video and audio as players that load nothing until the reader presses play, and any
//! other file as a link named by its description or file name. A peer's pictures, video and
//! audio come through this node ([`crate::api::remote_media`]), as the pages' policy demands,
//! so no page makes a reader's browser ask a peer; other files stay where they are and are
//! reached only by following the link.

use super::i18n::Tr;
use crate::api::remote_media::{Passed, passed};
use buurtnet_domain::model::media::Media;
use buurtnet_federation::Context;

/// How an attachment is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    Picture,
    Video,
    Audio,
    /// A link to the file.
    File,
}

/// One attachment, ready for the page.
pub struct AttachmentView {
    pub shown: Shown,
    /// Where the picture, video or audio is loaded from (this node).
    pub src: String,
    /// Where a link to the file goes: this node's copy, or the peer's file for [`Shown::File`].
    pub href: String,
    /// The description (alt text), possibly empty.
    pub description: String,
    /// "Attachment: " and the description, else the file's name.
    pub label: String,
}

/// The attachment `media` as the page shows it; `None` when it has no address.
pub fn view(context: &Context, media: &Media, tr: Tr) -> Option<AttachmentView> {
    let src = crate::api::media::local_url(context, media)?;
    let shown = shown_as(media);
    let href = match (shown, &media.remote_url) {
        (Shown::File, Some(remote)) => remote.clone(),
        _ => src.clone(),
    };
    let name =
        if media.description.is_empty() { file_name(media.remote_url.as_deref().unwrap_or(&src)) } else { media.description.clone() };
    Some(AttachmentView { shown, src, href, description: media.description.clone(), label: tr.t1("attachment-file", "name", name) })
}

/// Pictures, video and audio in the formats this node passes on are shown as such; the
/// rest as a link (as Mastodon shows what it cannot process as `unknown`).
fn shown_as(media: &Media) -> Shown {
    match passed(&media.content_type) {
        Some((Passed::Picture, _)) => Shown::Picture,
        Some((Passed::Video, _)) => Shown::Video,
        Some((Passed::Audio, _)) => Shown::Audio,
        None => Shown::File,
    }
}

/// The last part of an address's path, else the address itself.
fn file_name(address: &str) -> String {
    let path = url::Url::parse(address).map(|u| u.path().to_string()).unwrap_or_else(|_| address.to_string());
    match path.rsplit('/').next().filter(|last| !last.is_empty()) {
        Some(last) => last.to_string(),
        None => address.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn media(content_type: &str) -> Media {
        Media {
            id: 1,
            owner_id: 1,
            post_id: Some(1),
            file_name: None,
            remote_url: Some("https://p.example/files/koe.bin".into()),
            content_type: content_type.into(),
            size: 0,
            width: None,
            height: None,
            description: String::new(),
            blurhash: None,
            created_at: 0,
        }
    }

    #[test]
    fn pictures_players_and_links_by_media_type() {
        assert_eq!(shown_as(&media("image/png")), Shown::Picture);
        assert_eq!(shown_as(&media("video/mp4")), Shown::Video);
        assert_eq!(shown_as(&media("audio/mpeg; codecs=mp3")), Shown::Audio);
        assert_eq!(shown_as(&media("image/svg+xml")), Shown::File);
        assert_eq!(shown_as(&media("application/octet-stream")), Shown::File);
        assert_eq!(shown_as(&media("video/x-unheard-of")), Shown::File);
    }

    #[test]
    fn a_file_is_named_by_the_end_of_its_address() {
        assert_eq!(file_name("https://p.example/files/notities.txt?x=1"), "notities.txt");
        assert_eq!(file_name("https://p.example/"), "https://p.example/");
    }
}
